/*
 * fk_nexthop.c: the nexthop objects of fib_kernel.c.
 *
 * A remote SID is one nexthop object (seg6 encapsulation, RFC 8986
 * H.Encaps), shared by every route towards it, so a million routes cost
 * a million small RTM_NEWROUTE with RTA_NH_ID and the kernel no per-route
 * encapsulation state (DESIGN.md: per-route encapsulations run out of
 * memory in batches); routes with several paths share a nexthop group.
 * Objects are counted by reference and removed with their last route;
 * their device follows the routing towards the SID.  The probe tells
 * whether this kernel holds seg6 in nexthop objects at all.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/lwtunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_iptunnel.h>

#include "fk.h"
#include "log.h"

static uint32_t
id_alloc(void)
{
	return fk.next_id++;
}

/* The device towards sid in the main table (0: no route, use any). */
static int
resolve_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_route	r;

	if (nlh->nlmsg_type == RTM_NEWROUTE && nl_route_parse(nlh, &r) == 0 &&
	    r.npaths > 0)
		*(uint32_t *)arg = r.paths[0].oif;
	return 0;
}

uint32_t
fk_resolve_oif(const struct in6_addr *sid)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	uint8_t		 buf[256];
	char		 err[128];
	uint32_t	 oif = 0;
	struct fk_link	*l;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	mnl_attr_put(nlh, RTA_DST, 16, sid);
	(void)nl_dump(fk.sync, nlh, resolve_cb, &oif, err, sizeof(err));
	/* a seg6 nexthop needs a device that is up; the kernel routes the
	 * outer packet itself (seg6_output), so any up device will do */
	if (oif == 0 || (l = fk_link_by_index(oif)) == NULL || l->loopback)
		oif = fk_link_any();
	return oif;
}

void
fk_nh_program(struct fk_nh *n)
{
	struct nl_nexthop	 nh;
	char			 what[96];

	memset(&nh, 0, sizeof(nh));
	nh.id = n->id;
	nh.family = AF_INET6;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = n->oif;
	nh.encap_type = LWTUNNEL_ENCAP_SEG6;
	nh.seg6.mode = fk.conf != NULL && fk.conf->encap_mode ==
	    SRV6_ENCAP_RED ? SEG6_IPTUN_MODE_ENCAP_RED : SEG6_IPTUN_MODE_ENCAP;
	nh.seg6.nsegs = 1;
	nh.seg6.segs[0] = n->sid;
	snprintf(what, sizeof(what), "nexthop %u encap seg6 %s", n->id,
	    inet_ntop(AF_INET6, &n->sid, (char[INET6_ADDRSTRLEN]){ 0 },
	    INET6_ADDRSTRLEN));
	fk_send(nl_nexthop_msg(fk.buf, sizeof(fk.buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh), what);
}

static struct fk_nh *
nh_get(const struct in6_addr *sid)
{
	struct fk_nh	key, *n;

	key.sid = *sid;
	if ((n = RB_FIND(fk_nh_tree, &fk_nhs, &key)) == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL)
			fatal("%s", __func__);
		n->sid = *sid;
		n->id = id_alloc();
		RB_INSERT(fk_nh_tree, &fk_nhs, n);
	}
	if (n->oif == 0) {
		n->oif = fk_resolve_oif(sid);
		fk_nh_program(n);
	}
	n->refs++;
	return n;
}

void
fk_nh_delete(uint32_t id)
{
	struct nl_nexthop	nh;
	char			what[48];

	memset(&nh, 0, sizeof(nh));
	nh.id = id;
	snprintf(what, sizeof(what), "delete nexthop %u", id);
	fk_send(nl_nexthop_msg(fk.buf, sizeof(fk.buf), RTM_DELNEXTHOP,
	    NL_F_DEL, &nh), what);
}

static void
nh_put(struct fk_nh *n)
{
	if (n == NULL || --n->refs > 0 || fk.syncing)
		return;		/* unused ones go after reconciliation */
	fk_nh_delete(n->id);
	RB_REMOVE(fk_nh_tree, &fk_nhs, n);
	free(n);
}

struct fk_nh *
fk_nh_find(const struct in6_addr *sid)
{
	struct fk_nh	key;

	key.sid = *sid;
	return RB_FIND(fk_nh_tree, &fk_nhs, &key);
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static struct fk_grp *
grp_get(const uint32_t *ids, uint8_t n)
{
	struct fk_grp		 key, *g;
	struct nl_nexthop	 nh;
	char			 what[48];
	uint8_t			 i;

	memset(&key, 0, sizeof(key));
	key.n = n;
	memcpy(key.members, ids, n * sizeof(ids[0]));
	qsort(key.members, n, sizeof(key.members[0]), u32_cmp);
	if ((g = RB_FIND(fk_grp_tree, &fk_grps, &key)) == NULL) {
		if ((g = calloc(1, sizeof(*g))) == NULL)
			fatal("%s", __func__);
		*g = key;
		g->id = id_alloc();
		RB_INSERT(fk_grp_tree, &fk_grps, g);
		memset(&nh, 0, sizeof(nh));
		nh.id = g->id;
		nh.protocol = RTPROT_SRV6D;
		nh.ngroup = n;
		for (i = 0; i < n; i++)
			nh.group[i].id = g->members[i];
		snprintf(what, sizeof(what), "nexthop group %u", g->id);
		fk_send(nl_nexthop_msg(fk.buf, sizeof(fk.buf), RTM_NEWNEXTHOP,
		    NL_F_NEW, &nh), what);
	}
	g->refs++;
	return g;
}

static struct fk_grp *
grp_find(const uint32_t *ids, uint8_t n)
{
	struct fk_grp	key;

	memset(&key, 0, sizeof(key));
	key.n = n;
	memcpy(key.members, ids, n * sizeof(ids[0]));
	qsort(key.members, n, sizeof(key.members[0]), u32_cmp);
	return RB_FIND(fk_grp_tree, &fk_grps, &key);
}

static void
grp_put(struct fk_grp *g)
{
	if (g == NULL || --g->refs > 0)
		return;
	fk_nh_delete(g->id);
	RB_REMOVE(fk_grp_tree, &fk_grps, g);
	free(g);
}

/*
 * The object a route with these paths points to: the nexthop of its one
 * SID, or the group of its SIDs; one reference taken on each.
 */
uint32_t
fk_paths_get(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint32_t	ids[FIB_NEXTHOPS_MAX];
	uint8_t		i;

	for (i = 0; i < r->n_nexthops; i++)
		ids[i] = nh_get(&nh[i].sid)->id;
	if (r->n_nexthops == 1)
		return ids[0];
	return grp_get(ids, r->n_nexthops)->id;
}

void
fk_paths_put(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint32_t	 ids[FIB_NEXTHOPS_MAX];
	struct fk_nh	*n;
	uint8_t		 i;

	for (i = 0; i < r->n_nexthops; i++)
		ids[i] = (n = fk_nh_find(&nh[i].sid)) != NULL ? n->id : 0;
	if (r->n_nexthops > 1)
		grp_put(grp_find(ids, r->n_nexthops));
	for (i = 0; i < r->n_nexthops; i++)
		nh_put(fk_nh_find(&nh[i].sid));
}

/*
 * The routing to the SIDs may have changed: a device went away or came
 * up.  Move the nexthop objects whose device is gone (a replace of the
 * object moves every route using it at once).
 */
void
fk_resolve_all(int fd, short ev, void *arg)
{
	struct fk_nh	*n;
	struct fk_link	*l;
	uint32_t	 oif;

	(void)fd;
	(void)ev;
	(void)arg;
	fk.resolve_armed = false;
	RB_FOREACH(n, fk_nh_tree, &fk_nhs) {
		if (n->refs == 0)
			continue;
		oif = fk_resolve_oif(&n->sid);
		l = fk_link_by_index(n->oif);
		if (oif != n->oif && oif != 0 && (l == NULL || !l->up ||
		    oif != n->oif)) {
			n->oif = oif;
			fk_nh_program(n);
		}
	}
	nl_flush(fk.conn);
}

void
fk_resolve_schedule(void)
{
	struct timeval	tv = { 0, 100000 };

	if (fk.resolve_armed || !fk.up)
		return;
	fk.resolve_armed = true;
	evtimer_add(&fk.resolve_ev, &tv);
}

/*
 * Can this kernel hold a seg6 encapsulation in a nexthop object (5.3+
 * nexthop objects, seg6 in them later)?  One is made and removed.
 */
bool
fk_nexthop_probe(void)
{
	struct nl_nexthop	nh;
	char			err[128] = "";
	int			rv;

	memset(&nh, 0, sizeof(nh));
	nh.id = NL_NHID_BASE - 1;
	nh.family = AF_INET6;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = fk_link_any();
	nh.encap_type = LWTUNNEL_ENCAP_SEG6;
	nh.seg6.mode = SEG6_IPTUN_MODE_ENCAP;
	nh.seg6.nsegs = 1;
	nh.seg6.segs[0].s6_addr[0] = 0xfc;
	rv = nl_dump(fk.sync, nl_nexthop_msg(fk.buf, sizeof(fk.buf),
	    RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE, &nh), NULL, NULL, err,
	    sizeof(err));
	if (rv != 0) {
		log_info("fib: nexthop object probe: %s%s%s", strerror(rv),
		    err[0] ? ": " : "", err);
		/* a device that is not up says nothing about support */
		return rv == ENETDOWN || rv == ENODEV;
	}
	memset(&nh, 0, sizeof(nh));
	nh.id = NL_NHID_BASE - 1;
	(void)nl_dump(fk.sync, nl_nexthop_msg(fk.buf, sizeof(fk.buf),
	    RTM_DELNEXTHOP, 0, &nh), NULL, NULL, err, sizeof(err));
	return true;
}
