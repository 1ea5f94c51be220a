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
	/* a seg6 nexthop needs a device that is up and has its carrier (the
	 * kernel refuses one without, and drops those on a device that loses
	 * it); the kernel routes the outer packet itself (seg6_output), so
	 * any such device will do */
	if (oif == 0 || (l = fk_link_by_index(oif)) == NULL || l->loopback ||
	    !l->up || !l->carrier)
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

static void
grp_program(const struct fk_grp *g)
{
	struct nl_nexthop	 nh;
	char			 what[48];
	uint8_t			 i;

	memset(&nh, 0, sizeof(nh));
	nh.id = g->id;
	nh.protocol = RTPROT_SRV6D;
	nh.ngroup = g->n;
	for (i = 0; i < g->n; i++)
		nh.group[i].id = g->members[i];
	snprintf(what, sizeof(what), "nexthop group %u", g->id);
	fk_send(nl_nexthop_msg(fk.buf, sizeof(fk.buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh), what);
}

static struct fk_grp *
grp_get(const uint32_t *ids, uint8_t n)
{
	struct fk_grp		 key, *g;

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
		grp_program(g);
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

/* ------------------------------------------------------------------ */
/* put back what the kernel removed                                    */

static bool
id_present(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * The kernel holds the nexthop objects ids[0..n) of ours.  Those in use
 * that it removed (a device of theirs went down or away, taking along
 * every route through them) are made again, and groups that lost one of
 * them; those whose SID is now routed through another device are moved
 * there (a replace moves every route using the object at once).  Returns
 * how many were made again; they stay marked lost until
 * fk_nh_lost_clear, for fk_paths_lost.
 */
size_t
fk_nh_restore(const uint32_t *ids, size_t n)
{
	struct fk_nh	*h;
	struct fk_grp	*g;
	size_t		 count = 0;
	uint32_t	 oif;
	uint8_t		 i;

	RB_FOREACH(h, fk_nh_tree, &fk_nhs) {
		if (h->refs == 0 || h->oif == 0)
			continue;
		oif = fk_resolve_oif(&h->sid);
		if (id_present(ids, n, h->id)) {
			if (oif != 0 && oif != h->oif) {
				h->oif = oif;
				fk_nh_program(h);
			}
			continue;
		}
		h->oif = oif;
		fk_nh_program(h);
		h->lost = true;
		count++;
	}
	RB_FOREACH(g, fk_grp_tree, &fk_grps) {
		if (g->refs == 0)
			continue;
		g->lost = !id_present(ids, n, g->id);
		for (i = 0; i < g->n && !g->lost; i++)
			if (!id_present(ids, n, g->members[i]))
				break;
		if (g->lost || i < g->n) {
			grp_program(g);		/* members back in it */
			count += g->lost;
		}
	}
	return count;
}

/* Was the object this route points to made again (its route is gone)? */
bool
fk_paths_lost(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint32_t	 ids[FIB_NEXTHOPS_MAX];
	struct fk_nh	*h;
	struct fk_grp	*g;
	uint8_t		 i;

	for (i = 0; i < r->n_nexthops; i++) {
		if ((h = fk_nh_find(&nh[i].sid)) == NULL)
			return false;
		if (r->n_nexthops == 1)
			return h->lost;
		ids[i] = h->id;
	}
	g = r->n_nexthops > 1 ? grp_find(ids, r->n_nexthops) : NULL;
	return g != NULL && g->lost;
}

void
fk_nh_lost_clear(void)
{
	struct fk_nh	*h;
	struct fk_grp	*g;

	RB_FOREACH(h, fk_nh_tree, &fk_nhs)
		h->lost = false;
	RB_FOREACH(g, fk_grp_tree, &fk_grps)
		g->lost = false;
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
