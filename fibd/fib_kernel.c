/*
 * fib_kernel.c: make the kernel hold what the RDE decided (issue 5).
 *
 * The kernel forwards; this file only keeps its state equal to the
 * parent's fib_state, with as few netlink messages as that takes:
 *
 *  - a remote SID is one nexthop object (seg6 encapsulation, RFC 8986
 *    H.Encaps), shared by every route towards it, so a million routes
 *    cost a million small RTM_NEWROUTE with RTA_NH_ID and the kernel no
 *    per-route encapsulation state (DESIGN.md: per-route encapsulations
 *    run out of memory in batches); routes with several paths share a
 *    nexthop group;
 *  - a local SID is a seg6local route in the main table with counters;
 *  - a VRF is a VRF device (VRF mode) or `ip rule iif IF lookup TABLE'
 *    per member interface (table mode);
 *  - every object carries RTPROT_SRV6D, and only such objects are ever
 *    changed or removed.
 * Requests go out batched on one connection and their ACKs come back
 * asynchronously (nl_sock.c); a failure is logged per object with the
 * kernel's extended ACK text and counted.
 *
 * Start-up reconciliation: what an earlier run left (routes, SIDs, rules,
 * nexthop objects with our protocol) is read first and kept while the
 * RDE relearns its routes; a route the RDE wants again exactly as it is
 * installed is adopted without a message, so a restart removes and re-
 * adds nothing.  When the RDE has its initial routes (fk_synced) or the
 * sync timeout fires, what nobody wanted again is removed.
 *
 * The monitor reports to the RDE the routes it may export: in VRF mode
 * the routes of the VRFs' tables (connected ones from the kernel, others
 * as kernel routes), in table mode the subnets of the member interfaces'
 * addresses as connected routes and the other routes of the VRF tables
 * as kernel routes; srv6d's own routes never.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/lwtunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_genl.h>
#include <linux/seg6_iptunnel.h>

#include "fib.h"
#include "log.h"
#include "nl_msg.h"
#include "nl_sock.h"
#include "srv6.h"

#define FK_MSG_MAX	8192		/* one request */
#define FK_NO_NHOBJ_ENV	"SRV6D_NO_NEXTHOP_OBJECTS"	/* tests: fallback */
#define FK_STOP_WAIT_MS	5000		/* for the last ACKs at a stop */

/* ------------------------------------------------------------------ */
/* state                                                               */

/* A nexthop object: the seg6 encapsulation towards one remote SID. */
struct fk_nh {
	RB_ENTRY(fk_nh)		 entry;		/* by sid */
	struct in6_addr		 sid;
	uint32_t		 id;
	uint32_t		 refs;		/* routes and groups using it */
	uint32_t		 oif;		/* 0: not made yet */
	bool			 adopted;	/* found at start-up */
};
RB_HEAD(fk_nh_tree, fk_nh);

/* A nexthop group: ECMP across several remote SIDs. */
struct fk_grp {
	RB_ENTRY(fk_grp)	 entry;		/* by members */
	uint8_t			 n;
	uint32_t		 members[FIB_NEXTHOPS_MAX];	/* sorted ids */
	uint32_t		 id;
	uint32_t		 refs;
};
RB_HEAD(fk_grp_tree, fk_grp);

/* A link we know of (dump at start, then the monitor). */
struct fk_link {
	RB_ENTRY(fk_link)	 entry;		/* by ifindex */
	uint32_t		 ifindex;
	char			 name[IFNAMSIZ];
	bool			 up;
	bool			 loopback;
	uint32_t		 master;
	char			 kind[16];
};
RB_HEAD(fk_link_tree, fk_link);

/* An interface address (for table mode's connected routes, End.DX4). */
struct fk_addr {
	RB_ENTRY(fk_addr)	 entry;
	uint32_t		 ifindex;
	struct srv6d_prefix	 prefix;	/* the address and its length */
};
RB_HEAD(fk_addr_tree, fk_addr);

/*
 * Something of ours in the kernel that an earlier run left (start-up) or
 * that we installed: a route (table, dst), told by what it points to.
 */
struct fk_old {
	RB_ENTRY(fk_old)	 entry;
	uint32_t		 table;
	struct srv6d_prefix	 dst;
	uint32_t		 nh_id;		/* via a nexthop object */
	struct srv6d_addr	 gateway;	/* a plain route's */
	uint8_t			 type;		/* RTN_* */
	uint32_t		 priority;
	bool			 is_sid;	/* a seg6local route */
	struct nl_seg6local	 sl;
	uint32_t		 oif;
};
RB_HEAD(fk_old_tree, fk_old);

struct fk_rule {
	TAILQ_ENTRY(fk_rule)	 entry;
	struct nl_rule		 r;
	bool			 wanted;
};
TAILQ_HEAD(fk_rule_head, fk_rule);

static struct {
	bool			 up;
	enum kernel_mode	 mode;
	const struct srv6d_config *conf;
	struct nl_conn		*conn;
	struct nl_sync		*sync;
	struct nl_monitor	*mon;
	bool			 mon_routes;	/* in the route groups */
	uint16_t		 seg6_family;	/* SEG6 generic netlink id */
	uint32_t		 next_id;	/* nexthop object ids */
	bool			 syncing;	/* old objects kept meanwhile */
	bool			 per_route;	/* no seg6 nexthop objects */
	struct event		 sync_ev;
	struct event		 resolve_ev;
	bool			 resolve_armed;
	fk_kroute_cb		 kroute_out;
	/*
	 * For the log (and the benchmark): a load starts with the first
	 * request after 2 s without any and is reported, when its requests
	 * are all answered, if it was big.
	 */
	struct timespec		 load_start;
	struct timespec		 last_drain;
	uint64_t		 load_sent;
	uint64_t		 burst_sent;	/* since the last drain */
	struct fib_batch	 kroutes;
	struct fk_stats		 st;
	uint8_t			 buf[FK_MSG_MAX];
} fk;

static struct fk_nh_tree	nhs = RB_INITIALIZER(&nhs);
static struct fk_grp_tree	grps = RB_INITIALIZER(&grps);
static struct fk_link_tree	links = RB_INITIALIZER(&links);
static struct fk_addr_tree	addrs = RB_INITIALIZER(&addrs);
static struct fk_old_tree	olds = RB_INITIALIZER(&olds);
static struct fk_rule_head	rules = TAILQ_HEAD_INITIALIZER(rules);

static int
nh_cmp(struct fk_nh *a, struct fk_nh *b)
{
	return memcmp(&a->sid, &b->sid, sizeof(a->sid));
}

static int
grp_cmp(struct fk_grp *a, struct fk_grp *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return memcmp(a->members, b->members, a->n * sizeof(a->members[0]));
}

static int
link_cmp(struct fk_link *a, struct fk_link *b)
{
	return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

static int
prefix_cmp(const struct srv6d_prefix *a, const struct srv6d_prefix *b)
{
	if (a->addr.af != b->addr.af)
		return a->addr.af < b->addr.af ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return addr_cmp(&a->addr, &b->addr);
}

static int
addr_entry_cmp(struct fk_addr *a, struct fk_addr *b)
{
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return prefix_cmp(&a->prefix, &b->prefix);
}

static int
old_cmp(struct fk_old *a, struct fk_old *b)
{
	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	return prefix_cmp(&a->dst, &b->dst);
}

RB_PROTOTYPE(fk_nh_tree, fk_nh, entry, nh_cmp)
RB_GENERATE(fk_nh_tree, fk_nh, entry, nh_cmp)
RB_PROTOTYPE(fk_grp_tree, fk_grp, entry, grp_cmp)
RB_GENERATE(fk_grp_tree, fk_grp, entry, grp_cmp)
RB_PROTOTYPE(fk_link_tree, fk_link, entry, link_cmp)
RB_GENERATE(fk_link_tree, fk_link, entry, link_cmp)
RB_PROTOTYPE(fk_addr_tree, fk_addr, entry, addr_entry_cmp)
RB_GENERATE(fk_addr_tree, fk_addr, entry, addr_entry_cmp)
RB_PROTOTYPE(fk_old_tree, fk_old, entry, old_cmp)
RB_GENERATE(fk_old_tree, fk_old, entry, old_cmp)

/* ------------------------------------------------------------------ */
/* requests                                                            */

/* What a request was, for the log line when the kernel refuses it. */
struct fk_req {
	char		 what[96];
	int		 ok_errno;	/* also success (EEXIST for a rule) */
};

static void
fk_done(void *arg, int error, const char *extack)
{
	struct fk_req	*r = arg;

	if (error == 0 || (r != NULL && error == r->ok_errno))
		fk.st.acked++;
	else {
		fk.st.failed++;
		snprintf(fk.st.last_error, sizeof(fk.st.last_error),
		    "%s: %s%s%s", r != NULL ? r->what : "route",
		    strerror(error), extack ? ": " : "", extack ? extack : "");
		fk.st.last_error_time = time(NULL);
		log_warnx("fib: %s", fk.st.last_error);
	}
	free(r);
}

/*
 * Queue one request.  what names it for the log (only allocated for the
 * rare objects; routes pass NULL and are named from the kernel's answer
 * by their count: a million routes must not cost a million strings).
 */
static void
fk_send_ok(const struct nlmsghdr *nlh, const char *what, int ok_errno)
{
	struct fk_req	*r = NULL;

	if (nlh == NULL)
		fatalx("fib: request does not fit (%s)", what ? what : "route");
	if (what != NULL) {
		if ((r = malloc(sizeof(*r))) == NULL)
			fatal("%s", __func__);
		strlcpy(r->what, what, sizeof(r->what));
		r->ok_errno = ok_errno;
	}
	if (fk.burst_sent++ == 0) {
		struct timespec	now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		/* a few requests before (start-up) do not start the load */
		if (fk.load_sent < 100 ||
		    now.tv_sec - fk.last_drain.tv_sec >= 2) {
			fk.load_start = now;
			fk.load_sent = 0;
			log_debug("fib: first batch");
		}
	}
	fk.load_sent++;
	if (nl_queue(fk.conn, nlh, fk_done, r) == -1) {
		log_warn("fib: queue %s", what ? what : "route");
		fk.st.failed++;
		free(r);
		return;
	}
	fk.st.sent++;
}

static void
fk_send(const struct nlmsghdr *nlh, const char *what)
{
	fk_send_ok(nlh, what, 0);
}

/*
 * Every request answered.  A big load gets an info line with the time
 * from its first request to this last ACK (the benchmark reads it).
 */
static void
fk_drained(void *arg)
{
	double	secs;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &fk.last_drain);
	secs = (double)(fk.last_drain.tv_sec - fk.load_start.tv_sec) +
	    (double)(fk.last_drain.tv_nsec - fk.load_start.tv_nsec) / 1e9;
	if (fk.load_sent >= 10000)
		log_info("fib: all acknowledged: %llu requests in %.3f s, "
		    "%llu failed so far", (unsigned long long)fk.load_sent,
		    secs, (unsigned long long)fk.st.failed);
	else
		log_debug("fib: all acknowledged: %llu requests in %.3f s",
		    (unsigned long long)fk.load_sent, secs);
	fk.burst_sent = 0;
}

/*
 * A route via a nexthop object (the hot path, built without nl_route's
 * large struct), a route's delete by key, or (rtm_type unreachable) the
 * VRF table's last resort.
 */
static struct nlmsghdr *
fk_route_key_msg(uint16_t type, uint32_t table,
    const struct srv6d_prefix *dst, uint32_t nh_id, uint8_t rtm_type,
    uint32_t prio)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;

	nlh = mnl_nlmsg_put_header(fk.buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST |
	    (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst->addr.af;
	rtm->rtm_dst_len = dst->len;
	rtm->rtm_table = table < 256 ? table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_SRV6D;
	rtm->rtm_type = rtm_type;
	rtm->rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_UNIVERSE :
	    RT_SCOPE_NOWHERE;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (dst->len > 0)
		mnl_attr_put(nlh, RTA_DST, dst->addr.af == AF_INET ? 4 : 16,
		    &dst->addr.v6);
	if (prio != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, prio);
	if (nh_id != 0)
		mnl_attr_put_u32(nlh, RTA_NH_ID, nh_id);
	return nlh;
}

static struct nlmsghdr *
fk_route_nhid_msg(uint16_t type, uint32_t table,
    const struct srv6d_prefix *dst, uint32_t nh_id)
{
	return fk_route_key_msg(type, table, dst, nh_id, RTN_UNICAST, 0);
}

/* ------------------------------------------------------------------ */
/* links and addresses                                                 */

static struct fk_link *
link_by_name(const char *name)
{
	struct fk_link	*l;

	RB_FOREACH(l, fk_link_tree, &links)
		if (strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

static struct fk_link *
link_by_index(uint32_t ifindex)
{
	struct fk_link	key;

	key.ifindex = ifindex;
	return RB_FIND(fk_link_tree, &links, &key);
}

/* Some interface that is up and not the loopback (a seg6local oif). */
static uint32_t
link_any(void)
{
	struct fk_link	*l;

	RB_FOREACH(l, fk_link_tree, &links)
		if (l->up && !l->loopback && strcmp(l->kind, "vrf") != 0)
			return l->ifindex;
	RB_FOREACH(l, fk_link_tree, &links)
		if (!l->loopback)
			return l->ifindex;
	return 0;
}

static const struct vrf_config *
vrf_of_iface(const char *name)
{
	const struct vrf_config	*v;
	size_t			 i;

	if (fk.conf == NULL)
		return NULL;
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
		for (i = 0; i < v->n_ifaces; i++)
			if (strcmp(v->ifaces[i], name) == 0)
				return v;
	return NULL;
}

static const struct vrf_config *
vrf_by_name(const char *name)
{
	return fk.conf != NULL ? config_find_vrf(fk.conf, name) : NULL;
}

static const struct vrf_config *
vrf_by_table(uint32_t table)
{
	const struct vrf_config	*v;

	if (fk.conf == NULL)
		return NULL;
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
		if (v->table == table)
			return v;
	return NULL;
}

static void
kroute_report(uint8_t op, uint8_t type, uint32_t table,
    const struct srv6d_prefix *dst, const struct srv6d_addr *gw,
    uint32_t ifindex)
{
	struct kroute	k;

	if (fk.kroute_out == NULL)
		return;
	memset(&k, 0, sizeof(k));
	k.op = op;
	k.type = type;
	k.table = table;
	k.dst = *dst;
	prefix_mask(&k.dst);
	if (gw != NULL)
		k.gateway = *gw;
	k.ifindex = ifindex;
	if (fib_batch_add_kroute(&fk.kroutes, &k) == -1)
		log_warn("fib: kernel route %s not reported", prefix2str(dst));
}

static bool	old_adopt_conn(uint32_t, const struct srv6d_prefix *,
		    uint32_t);

/*
 * Table mode: the kernel puts a member interface's subnet in the main
 * table only, but End.DT6 looks up the VRF's table alone and the VRF's
 * rules send its traffic there: srv6d copies the subnet into the VRF
 * table (`PREFIX dev IF table T proto 201 scope link').
 */
static void
conn_route(const struct fk_addr *a, uint32_t table, bool add)
{
	struct nl_route		*r;
	struct srv6d_prefix	 dst = a->prefix;

	prefix_mask(&dst);
	if (add && fk.syncing && old_adopt_conn(table, &dst, a->ifindex))
		return;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_init(r, &dst, table);
	r->scope = RT_SCOPE_LINK;
	r->npaths = 1;
	r->paths[0].oif = a->ifindex;
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), add ? RTM_NEWROUTE :
	    RTM_DELROUTE, add ? NL_F_NEW : NL_F_DEL, r), NULL);
	free(r);
}

/*
 * Table mode: an address on a member interface is a connected route of
 * its VRF, for the RDE (`network connected') and for the VRF's table.
 */
static void
addr_report(const struct fk_addr *a, uint8_t op)
{
	const struct fk_link	*l;
	const struct vrf_config	*v;

	if (fk.mode != KERNEL_MODE_TABLE ||
	    (l = link_by_index(a->ifindex)) == NULL ||
	    (v = vrf_of_iface(l->name)) == NULL)
		return;
	if (a->prefix.addr.af == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&a->prefix.addr.v6))
		return;
	kroute_report(op, KROUTE_CONNECTED, v->table, &a->prefix, NULL,
	    a->ifindex);
	if (fk.up)
		conn_route(a, v->table, op == FIB_ADD);
}

static void
addr_update(const struct nl_addr *na, bool add)
{
	struct fk_addr	 key, *a;

	memset(&key, 0, sizeof(key));
	key.ifindex = na->ifindex;
	key.prefix = na->prefix;
	a = RB_FIND(fk_addr_tree, &addrs, &key);
	if (add && a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			fatal("%s", __func__);
		*a = key;
		RB_INSERT(fk_addr_tree, &addrs, a);
		addr_report(a, FIB_ADD);
	} else if (!add && a != NULL) {
		addr_report(a, FIB_DEL);
		RB_REMOVE(fk_addr_tree, &addrs, a);
		free(a);
	}
}

/* The member interface (ifindex) whose IPv4 subnet holds nh, or 0. */
static uint32_t
addr_subnet_of(const struct in_addr *nh, bool *is_network)
{
	struct fk_addr		*a;
	struct srv6d_addr	 x;
	struct srv6d_prefix	 net;

	memset(&x, 0, sizeof(x));
	x.af = AF_INET;
	x.v4 = *nh;
	RB_FOREACH(a, fk_addr_tree, &addrs) {
		if (a->prefix.addr.af != AF_INET ||
		    !prefix_contains(&a->prefix, &x))
			continue;
		net = a->prefix;
		prefix_mask(&net);
		*is_network = net.addr.v4.s_addr == nh->s_addr &&
		    net.len < 32;
		return a->ifindex;
	}
	return 0;
}

static void	vrf_link_appeared(const struct fk_link *);
static void	sysctl_set(const char *, const char *);
static void	member_rp_filter(const char *);
static void	fk_free(void);

static void
link_update(const struct nl_link *nl, bool add)
{
	struct fk_link	*l = link_by_index(nl->ifindex);
	bool		 was_known = l != NULL;

	if (!add) {
		if (l != NULL) {
			RB_REMOVE(fk_link_tree, &links, l);
			free(l);
		}
		return;
	}
	if (l == NULL) {
		if ((l = calloc(1, sizeof(*l))) == NULL)
			fatal("%s", __func__);
		l->ifindex = nl->ifindex;
		RB_INSERT(fk_link_tree, &links, l);
	}
	strlcpy(l->name, nl->name, sizeof(l->name));
	strlcpy(l->kind, nl->kind, sizeof(l->kind));
	l->up = nl->up;
	l->loopback = (nl->flags & IFF_LOOPBACK) != 0;
	l->master = nl->master;
	if (!was_known) {
		if (vrf_of_iface(l->name) != NULL)
			member_rp_filter(l->name);
		vrf_link_appeared(l);
	}
}

/* ------------------------------------------------------------------ */
/* nexthop objects                                                     */

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

static uint32_t
resolve_oif(const struct in6_addr *sid)
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
	if (oif == 0 || (l = link_by_index(oif)) == NULL || l->loopback)
		oif = link_any();
	return oif;
}

static void
nh_program(struct fk_nh *n)
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
	if ((n = RB_FIND(fk_nh_tree, &nhs, &key)) == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL)
			fatal("%s", __func__);
		n->sid = *sid;
		n->id = id_alloc();
		RB_INSERT(fk_nh_tree, &nhs, n);
	}
	if (n->oif == 0) {
		n->oif = resolve_oif(sid);
		nh_program(n);
	}
	n->refs++;
	return n;
}

static void
nh_delete(uint32_t id)
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
	nh_delete(n->id);
	RB_REMOVE(fk_nh_tree, &nhs, n);
	free(n);
}

static struct fk_nh *
nh_find(const struct in6_addr *sid)
{
	struct fk_nh	key;

	key.sid = *sid;
	return RB_FIND(fk_nh_tree, &nhs, &key);
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
	if ((g = RB_FIND(fk_grp_tree, &grps, &key)) == NULL) {
		if ((g = calloc(1, sizeof(*g))) == NULL)
			fatal("%s", __func__);
		*g = key;
		g->id = id_alloc();
		RB_INSERT(fk_grp_tree, &grps, g);
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
	return RB_FIND(fk_grp_tree, &grps, &key);
}

static void
grp_put(struct fk_grp *g)
{
	if (g == NULL || --g->refs > 0)
		return;
	nh_delete(g->id);
	RB_REMOVE(fk_grp_tree, &grps, g);
	free(g);
}

/*
 * The object a route with these paths points to: the nexthop of its one
 * SID, or the group of its SIDs; one reference taken on each.
 */
static uint32_t
paths_get(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint32_t	ids[FIB_NEXTHOPS_MAX];
	uint8_t		i;

	for (i = 0; i < r->n_nexthops; i++)
		ids[i] = nh_get(&nh[i].sid)->id;
	if (r->n_nexthops == 1)
		return ids[0];
	return grp_get(ids, r->n_nexthops)->id;
}

static void
paths_put(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint32_t	 ids[FIB_NEXTHOPS_MAX];
	struct fk_nh	*n;
	uint8_t		 i;

	for (i = 0; i < r->n_nexthops; i++)
		ids[i] = (n = nh_find(&nh[i].sid)) != NULL ? n->id : 0;
	if (r->n_nexthops > 1)
		grp_put(grp_find(ids, r->n_nexthops));
	for (i = 0; i < r->n_nexthops; i++)
		nh_put(nh_find(&nh[i].sid));
}

/*
 * The routing to the SIDs may have changed: a device went away or came
 * up.  Move the nexthop objects whose device is gone (a replace of the
 * object moves every route using it at once).
 */
static void
resolve_all(int fd, short ev, void *arg)
{
	struct fk_nh	*n;
	struct fk_link	*l;
	uint32_t	 oif;

	(void)fd;
	(void)ev;
	(void)arg;
	fk.resolve_armed = false;
	RB_FOREACH(n, fk_nh_tree, &nhs) {
		if (n->refs == 0)
			continue;
		oif = resolve_oif(&n->sid);
		l = link_by_index(n->oif);
		if (oif != n->oif && oif != 0 && (l == NULL || !l->up ||
		    oif != n->oif)) {
			n->oif = oif;
			nh_program(n);
		}
	}
	nl_flush(fk.conn);
}

static void
resolve_schedule(void)
{
	struct timeval	tv = { 0, 100000 };

	if (fk.resolve_armed || !fk.up)
		return;
	fk.resolve_armed = true;
	evtimer_add(&fk.resolve_ev, &tv);
}

/* ------------------------------------------------------------------ */
/* old objects: reconciliation                                         */

static struct fk_old *
old_find(uint32_t table, const struct srv6d_prefix *dst)
{
	struct fk_old	key;

	memset(&key, 0, sizeof(key));
	key.table = table;
	key.dst = *dst;
	return RB_FIND(fk_old_tree, &olds, &key);
}

static void
old_remove(struct fk_old *o)
{
	RB_REMOVE(fk_old_tree, &olds, o);
	free(o);
}

/*
 * Is the route installed exactly as wanted (by an earlier run)?  Then it
 * is adopted: no message, no flap.
 */
static bool
old_adopt_route(uint32_t table, const struct srv6d_prefix *dst,
    uint32_t nh_id, const struct srv6d_addr *gw, uint32_t oif)
{
	struct fk_old	*o;
	bool		 same;

	if ((o = old_find(table, dst)) == NULL)
		return false;
	/* by nexthop object, or by gateway and (oif != 0) device */
	same = !o->is_sid && o->nh_id == nh_id && (nh_id != 0 ||
	    (addr_cmp(&o->gateway, gw) == 0 && (oif == 0 || o->oif == oif)));
	old_remove(o);
	return same;
}

/* A connected copy (conn_route) left by an earlier run, as wanted? */
static bool
old_adopt_conn(uint32_t table, const struct srv6d_prefix *dst, uint32_t oif)
{
	struct srv6d_addr	none;

	memset(&none, 0, sizeof(none));
	return old_adopt_route(table, dst, 0, &none, oif);
}

static int
old_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_route	 r;
	struct fk_old	*o;

	(void)arg;
	if (nl_route_parse(nlh, &r) == -1 || r.protocol != RTPROT_SRV6D)
		return 0;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		fatal("%s", __func__);
	o->table = r.table;
	o->dst = r.dst;
	o->nh_id = r.nh_id;
	o->type = r.type;
	o->priority = r.priority;
	if (r.npaths > 0) {
		o->oif = r.paths[0].oif;
		o->gateway = r.paths[0].gateway;
		if (r.paths[0].encap_type == LWTUNNEL_ENCAP_SEG6_LOCAL) {
			o->is_sid = true;
			o->sl = r.paths[0].seg6local;
		}
	}
	if (RB_INSERT(fk_old_tree, &olds, o) != NULL)
		free(o);	/* ECMP duplicates: one entry is enough */
	return 0;
}

/* A nexthop object of ours from an earlier run: adopt it by its SID. */
static int
old_nexthop_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_nexthop	 nh;
	struct fk_nh		*n;

	(void)arg;
	if (nl_nexthop_parse(nlh, &nh) == -1 || nh.protocol != RTPROT_SRV6D)
		return 0;
	if (nh.id >= fk.next_id)
		fk.next_id = nh.id + 1;
	if (nh.ngroup > 0 || nh.encap_type != LWTUNNEL_ENCAP_SEG6 ||
	    nh.seg6.nsegs != 1 || nh_find(&nh.seg6.segs[0]) != NULL) {
		nh_delete(nh.id);	/* groups are made again */
		return 0;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		fatal("%s", __func__);
	n->sid = nh.seg6.segs[0];
	n->id = nh.id;
	n->oif = nh.oif;
	n->adopted = true;
	RB_INSERT(fk_nh_tree, &nhs, n);
	return 0;
}

static int
old_rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fk_rule	*r;
	struct nl_rule	 nr;

	(void)arg;
	if (nl_rule_parse(nlh, &nr) == -1 || nr.protocol != RTPROT_SRV6D)
		return 0;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->r = nr;
	TAILQ_INSERT_TAIL(&rules, r, entry);
	return 0;
}

static void
dump_all(uint16_t type, uint8_t family, nl_msg_cb cb, void *arg)
{
	char	err[128] = "";
	int	rv;

	do {
		rv = nl_dump(fk.sync, nl_dump_msg(fk.buf, sizeof(fk.buf), type,
		    family), cb, arg, err, sizeof(err));
	} while (rv == EINTR);
	if (rv != 0)
		log_warnx("fib: dump %u/%u: %s%s%s", type, family,
		    strerror(rv), err[0] ? ": " : "", err);
}

/*
 * A route dump the kernel filters to our protocol (and table, 0: all),
 * thanks to NETLINK_GET_STRICT_CHK on the dump socket.
 */
static void
dump_ours(uint8_t family, uint32_t table, nl_msg_cb cb, void *arg)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	char		 err[128] = "";
	int		 rv;

	do {
		nlh = mnl_nlmsg_put_header(fk.buf);
		nlh->nlmsg_type = RTM_GETROUTE;
		nlh->nlmsg_flags = NLM_F_DUMP;
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = family;
		rtm->rtm_protocol = RTPROT_SRV6D;
		if (table != 0)
			mnl_attr_put_u32(nlh, RTA_TABLE, table);
		rv = nl_dump(fk.sync, nlh, cb, arg, err, sizeof(err));
	} while (rv == EINTR);
	if (rv != 0)
		log_warnx("fib: dump of our routes: %s%s%s", strerror(rv),
		    err[0] ? ": " : "", err);
}

static void
old_delete(struct fk_old *o)
{
	char	what[96];

	snprintf(what, sizeof(what), "delete stale %s %s table %u",
	    o->is_sid ? "SID" : "route", prefix2str(&o->dst), o->table);
	fk_send(fk_route_key_msg(RTM_DELROUTE, o->table, &o->dst, 0, o->type,
	    o->priority), what);
	fk.st.stale_removed++;
}

/* The RDE has its initial routes, or it took too long: clean up. */
static void
reconcile(void)
{
	struct fk_old	*o;
	struct fk_nh	*n, *nn;
	size_t		 count = 0;

	if (!fk.syncing)
		return;
	fk.syncing = false;
	evtimer_del(&fk.sync_ev);
	while ((o = RB_ROOT(&olds)) != NULL) {
		old_delete(o);
		old_remove(o);
		count++;
	}
	RB_FOREACH_SAFE(n, fk_nh_tree, &nhs, nn)
		if (n->refs == 0) {
			nh_delete(n->id);
			RB_REMOVE(fk_nh_tree, &nhs, n);
			free(n);
		}
	nl_flush(fk.conn);
	log_info("fib: reconciled: %zu stale routes and SIDs removed", count);
}

static void
sync_timeout(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	log_info("fib: initial routes not complete after the sync timeout");
	reconcile();
}

void
fk_synced(void)
{
	if (fk.up)
		reconcile();
}

/* ------------------------------------------------------------------ */
/* routes                                                              */

/*
 * r (with its paths nh) replaces old (NULL: none) in the kernel, or with
 * FIB_DEL removes it.
 */
/* fib-update: a global route via its BGP next hop, no SID. */
static bool
route_plain(const struct fib_route *r, const struct fib_nexthop *nh)
{
	return r->n_nexthops > 0 && IN6_IS_ADDR_UNSPECIFIED(&nh[0].sid);
}

static void
route_plain_send(const struct fib_route *r, const struct fib_nexthop *nh)
{
	struct nl_route	*nr;

	if ((nr = calloc(1, sizeof(*nr))) == NULL)
		fatal("%s", __func__);
	nl_route_init(nr, &r->dst, r->table);
	nr->npaths = 1;
	nr->paths[0].gateway = nh[0].gateway;
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), RTM_NEWROUTE, NL_F_NEW,
	    nr), NULL);
	free(nr);
}

/*
 * The fallback where the kernel has no nexthop objects with seg6: each
 * route carries its own encapsulation (RTA_ENCAP, RTA_MULTIPATH for
 * ECMP).  The kernel refuses device-only IPv6 multipath routes, so an
 * IPv6 route keeps its first path there.
 */
static void
route_encap_send(const struct fib_route *r, const struct fib_nexthop *nh)
{
	struct nl_route	*nr;
	uint8_t		 i, n = r->n_nexthops;
	static bool	 warned;

	if (n > 1 && r->dst.addr.af == AF_INET6) {
		if (!warned)
			log_warnx("fib: per-route encapsulation: IPv6 routes "
			    "keep one path (no device-only IPv6 multipath)");
		warned = true;
		n = 1;
	}
	if ((nr = calloc(1, sizeof(*nr))) == NULL)
		fatal("%s", __func__);
	nl_route_init(nr, &r->dst, r->table);
	nr->npaths = n;
	for (i = 0; i < n; i++) {
		nr->paths[i].oif = resolve_oif(&nh[i].sid);
		nr->paths[i].encap_type = LWTUNNEL_ENCAP_SEG6;
		nr->paths[i].seg6.mode = fk.conf != NULL &&
		    fk.conf->encap_mode == SRV6_ENCAP_RED ?
		    SEG6_IPTUN_MODE_ENCAP_RED : SEG6_IPTUN_MODE_ENCAP;
		nr->paths[i].seg6.nsegs = 1;
		nr->paths[i].seg6.segs[0] = nh[i].sid;
	}
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), RTM_NEWROUTE, NL_F_NEW,
	    nr), NULL);
	free(nr);
}

void
fk_route(const struct fib_route *r, const struct fib_nexthop *nh,
    const struct fib_route *old, const struct fib_nexthop *old_nh)
{
	uint32_t	id = 0;

	if (!fk.up)
		return;
	if (fk.per_route) {
		if (r->op == FIB_DEL) {
			if (old != NULL) {
				fk_send(fk_route_nhid_msg(RTM_DELROUTE,
				    r->table, &r->dst, 0), NULL);
				fk.st.routes--;
			}
		} else {
			if (old == NULL)
				fk.st.routes++;
			if (fk.syncing) {
				struct fk_old	*o = old_find(r->table,
				    &r->dst);

				if (o != NULL)
					old_remove(o);	/* replaced */
			}
			if (route_plain(r, nh))
				route_plain_send(r, nh);
			else
				route_encap_send(r, nh);
		}
		return;
	}
	if (r->op == FIB_DEL) {
		if (old == NULL)
			return;
		fk_send(fk_route_nhid_msg(RTM_DELROUTE, r->table, &r->dst, 0),
		    NULL);
		if (!route_plain(old, old_nh))
			paths_put(old, old_nh);
		fk.st.routes--;
		return;
	}
	if (!route_plain(r, nh))
		id = paths_get(r, nh);
	if (old == NULL)
		fk.st.routes++;
	else if (!route_plain(old, old_nh))
		paths_put(old, old_nh);
	if (fk.syncing && old == NULL && old_adopt_route(r->table, &r->dst,
	    id, &nh[0].gateway, 0)) {
		fk.st.adopted++;
		return;
	}
	if (id == 0)
		route_plain_send(r, nh);
	else
		fk_send(fk_route_nhid_msg(RTM_NEWROUTE, r->table, &r->dst, id),
		    NULL);
}

/* ------------------------------------------------------------------ */
/* local SIDs                                                          */

/* The device a SID route hangs on: not the loopback (SRV6.md). */
static uint32_t
sid_oif(const struct fib_sid *s)
{
	const struct vrf_config	*v = vrf_by_name(s->vrf);
	struct fk_link		*l;
	size_t			 i;

	if (v != NULL && fk.mode == KERNEL_MODE_VRF &&
	    (l = link_by_name(v->name)) != NULL)
		return l->ifindex;
	for (i = 0; v != NULL && i < v->n_ifaces; i++)
		if ((l = link_by_name(v->ifaces[i])) != NULL)
			return l->ifindex;
	return link_any();
}

static void
sid_seg6local(const struct fib_sid *s, struct nl_seg6local *sl)
{
	memset(sl, 0, sizeof(*sl));
	sl->action = nl_seg6local_action(s->behavior);
	sl->counters = true;
	switch (s->behavior) {
	case SRV6_BEHAVIOR_END_DT6:
		if (fk.mode == KERNEL_MODE_VRF)
			sl->vrftable = s->table;
		else
			sl->table = s->table;
		break;
	case SRV6_BEHAVIOR_END_DT4:
	case SRV6_BEHAVIOR_END_DT46:
		sl->vrftable = s->table;
		break;
	case SRV6_BEHAVIOR_END_DX4:
		sl->has_nh4 = true;
		sl->nh4 = s->nh.v4;
		break;
	case SRV6_BEHAVIOR_END_DX6:
		sl->has_nh6 = true;
		sl->nh6 = s->nh.v6;
		break;
	}
}

static bool
sid_same(const struct fk_old *o, const struct nl_seg6local *sl,
    uint32_t oif)
{
	return o->is_sid && o->oif == oif && o->sl.action == sl->action &&
	    o->sl.table == sl->table && o->sl.vrftable == sl->vrftable &&
	    o->sl.has_nh4 == sl->has_nh4 && o->sl.has_nh6 == sl->has_nh6 &&
	    o->sl.nh4.s_addr == sl->nh4.s_addr &&
	    memcmp(&o->sl.nh6, &sl->nh6, 16) == 0 && o->sl.counters;
}

/*
 * End.DX4 towards a CE gateway needs `nh4/32 via nh4 dev IF onlink' so
 * that the kernel resolves nh4 and not the inner destination; towards an
 * attached network (nh4 = its network address) the inner destination is
 * what we want.  (SRV6.md, "Without VRF devices".)
 */
static void
sid_dx4_host(const struct fib_sid *s, uint16_t type)
{
	struct nl_route	*r;
	bool		 is_net = false;
	uint32_t	 oif;
	char		 what[96];

	if (s->behavior != SRV6_BEHAVIOR_END_DX4 || s->nh.af != AF_INET)
		return;
	oif = addr_subnet_of(&s->nh.v4, &is_net);
	if (is_net)
		return;
	if (oif == 0)
		oif = sid_oif(s);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_onlink_host(r, &s->nh.v4, oif, RT_TABLE_MAIN);
	snprintf(what, sizeof(what), "%s host route %s for End.DX4",
	    type == RTM_NEWROUTE ? "add" : "delete", addr2str(&s->nh));
	if (fk.syncing && type == RTM_NEWROUTE) {
		struct fk_old	*o = old_find(RT_TABLE_MAIN, &r->dst);

		if (o != NULL)
			old_remove(o);	/* replaced below, harmless */
	}
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), type,
	    type == RTM_NEWROUTE ? NL_F_NEW : NL_F_DEL, r), what);
	free(r);
}

/*
 * VRF mode: End.DT4/DT6/DT46 with vrftable need the VRF's device when the
 * SID is added (else ENODEV "Table has no associated VRF device"), but the
 * RDE sends the SIDs of a VRF added by reload before fk_reconfig() makes
 * the device: make it first (requests on one socket run in order).
 */
static void
sid_vrf_device(const struct fib_sid *s, const struct nl_seg6local *sl)
{
	char	what[64];

	if (fk.mode != KERNEL_MODE_VRF || sl->vrftable == 0 ||
	    link_by_name(s->vrf) != NULL)
		return;
	snprintf(what, sizeof(what), "VRF device %s table %u", s->vrf,
	    s->table);
	fk_send_ok(nl_vrf_link(fk.buf, sizeof(fk.buf), NLM_F_CREATE |
	    NLM_F_EXCL | NLM_F_ACK, s->vrf, s->table), what, EEXIST);
}

void
fk_sid(const struct fib_sid *s)
{
	struct nl_seg6local	 sl;
	struct nl_route		*r;
	struct fk_old		*o;
	struct srv6d_prefix	 p;
	uint32_t		 oif;
	char			 what[96], sid[INET6_ADDRSTRLEN];

	if (!fk.up)
		return;
	inet_ntop(AF_INET6, &s->sid, sid, sizeof(sid));
	if (s->op == FIB_DEL) {
		memset(&p, 0, sizeof(p));
		p.addr.af = AF_INET6;
		p.addr.v6 = s->sid;
		p.len = 128;
		snprintf(what, sizeof(what), "delete SID %s", sid);
		fk_send(fk_route_nhid_msg(RTM_DELROUTE, RT_TABLE_MAIN, &p, 0),
		    what);
		sid_dx4_host(s, RTM_DELROUTE);
		fk.st.sids--;
		return;
	}
	sid_seg6local(s, &sl);
	sid_vrf_device(s, &sl);
	oif = sid_oif(s);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_sid(r, &s->sid, oif, RT_TABLE_MAIN, &sl);
	fk.st.sids++;
	if (fk.syncing && (o = old_find(RT_TABLE_MAIN, &r->dst)) != NULL) {
		bool	same = sid_same(o, &sl, oif);

		old_remove(o);
		if (same) {
			fk.st.adopted++;
			free(r);
			return;
		}
	}
	snprintf(what, sizeof(what), "SID %s %s", sid,
	    srv6_behavior_name(s->behavior));
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), RTM_NEWROUTE, NL_F_NEW,
	    r), what);
	free(r);
	sid_dx4_host(s, RTM_NEWROUTE);
}

/* ------------------------------------------------------------------ */
/* VRFs: devices (VRF mode) or rules (table mode)                      */

static void
rule_send(const struct nl_rule *r, uint16_t type)
{
	char	what[96];

	snprintf(what, sizeof(what), "%s rule iif %s lookup %u (%s)",
	    type == RTM_NEWRULE ? "add" : "delete", r->iifname, r->table,
	    r->family == AF_INET ? "IPv4" : "IPv6");
	/* without EXCL the kernel adds a duplicate rule every time */
	fk_send_ok(nl_rule_msg(fk.buf, sizeof(fk.buf), type,
	    type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK :
	    NL_F_DEL, r), what, type == RTM_NEWRULE ? EEXIST : 0);
}

static bool
rule_eq(const struct nl_rule *a, const struct nl_rule *b)
{
	return a->family == b->family && a->table == b->table &&
	    a->priority == b->priority &&
	    strcmp(a->iifname, b->iifname) == 0;
}

/*
 * Table mode: strict or loose reverse-path filtering looks in the main
 * table and drops what comes from networks only the VRF's table knows.
 */
static void
member_rp_filter(const char *ifname)
{
	char	path[96];

	if (fk.mode != KERNEL_MODE_TABLE)
		return;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    ifname);
	sysctl_set(path, "0");
}

/* One rule wanted: kept when there, added when not. */
static void
rule_want(const struct vrf_config *v, const char *ifname, int family)
{
	struct fk_rule	*r;
	struct nl_rule	 want;

	memset(&want, 0, sizeof(want));
	want.family = family;
	want.protocol = RTPROT_SRV6D;
	want.action = FR_ACT_TO_TBL;
	want.table = v->table;
	want.priority = fk.conf->rule_priority;
	strlcpy(want.iifname, ifname, sizeof(want.iifname));
	TAILQ_FOREACH(r, &rules, entry)
		if (rule_eq(&r->r, &want)) {
			r->wanted = true;
			return;
		}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->r = want;
	r->wanted = true;
	TAILQ_INSERT_TAIL(&rules, r, entry);
	rule_send(&want, RTM_NEWRULE);
}

/*
 * Table mode: `ip rule iif IF lookup TABLE' per member interface and
 * family (by name: the kernel matches it even before IF exists), and
 * nothing else.  What the VRF's table does not hold falls through to the
 * main table: the encapsulated (outer) packet is looked up with the same
 * rules and must find the remote locator there, so the table cannot end
 * in an unreachable default as a VRF device's would.
 */
static void
rules_sync(void)
{
	const struct vrf_config	*v;
	struct fk_rule		*r, *next;
	size_t			 i;

	TAILQ_FOREACH(r, &rules, entry)
		r->wanted = false;
	if (fk.mode == KERNEL_MODE_TABLE && fk.conf != NULL)
		TAILQ_FOREACH(v, &fk.conf->vrfs, entry) {
			for (i = 0; i < v->n_ifaces; i++) {
				if (link_by_name(v->ifaces[i]) != NULL)
					member_rp_filter(v->ifaces[i]);
				rule_want(v, v->ifaces[i], AF_INET);
				rule_want(v, v->ifaces[i], AF_INET6);
			}
		}
	TAILQ_FOREACH_SAFE(r, &rules, entry, next)
		if (!r->wanted) {
			rule_send(&r->r, RTM_DELRULE);
			TAILQ_REMOVE(&rules, r, entry);
			free(r);
		}
}

static void
sysctl_set(const char *path, const char *value)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		log_warn("fib: %s", path);
		return;
	}
	if (write(fd, value, strlen(value)) == -1)
		log_warn("fib: %s = %s", path, value);
	close(fd);
}

/* VRF mode: enslave a member interface that has just appeared. */
static void
vrf_enslave(const struct fk_link *l)
{
	const struct vrf_config	*v;
	struct fk_link		*dev;
	char			 what[64], path[96];

	if (fk.mode != KERNEL_MODE_VRF || (v = vrf_of_iface(l->name)) == NULL ||
	    (dev = link_by_name(v->name)) == NULL || l->master == dev->ifindex)
		return;
	/* enslaving cycles the link down and up: keep its IPv6 addresses */
	snprintf(path, sizeof(path),
	    "/proc/sys/net/ipv6/conf/%s/keep_addr_on_down", l->name);
	sysctl_set(path, "1");
	snprintf(what, sizeof(what), "enslave %s to %s", l->name, v->name);
	fk_send(nl_link_master(fk.buf, sizeof(fk.buf), NLM_F_ACK, l->ifindex,
	    dev->ifindex), what);
}

static void
vrf_link_appeared(const struct fk_link *l)
{
	const struct vrf_config	*v;
	struct fk_link		*m;
	char			 what[64];

	if (!fk.up || fk.mode != KERNEL_MODE_VRF)
		return;
	if (strcmp(l->kind, "vrf") == 0 && (v = vrf_by_name(l->name)) !=
	    NULL) {
		if (!l->up) {
			snprintf(what, sizeof(what), "set %s up", l->name);
			fk_send(nl_link_updown(fk.buf, sizeof(fk.buf),
			    NLM_F_ACK, l->ifindex, true), what);
		}
		RB_FOREACH(m, fk_link_tree, &links)
			vrf_enslave(m);
		return;
	}
	vrf_enslave(l);
}

/*
 * VRF mode: a device per VRF.  A VRF removed from the configuration
 * (old: the previous one) loses its device; devices of other names are
 * never touched (a VRF device carries no protocol number to tell).
 */
static void
devices_sync(const struct srv6d_config *old)
{
	const struct vrf_config	*v;
	struct fk_link		*l;
	char			 what[64];

	if (fk.mode != KERNEL_MODE_VRF || fk.conf == NULL)
		return;
	sysctl_set("/proc/sys/net/vrf/strict_mode", "1");
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry) {
		if ((l = link_by_name(v->name)) != NULL) {
			vrf_link_appeared(l);
			continue;
		}
		snprintf(what, sizeof(what), "VRF device %s table %u",
		    v->name, v->table);
		/* EEXIST: sid_vrf_device() made it, not yet seen */
		fk_send_ok(nl_vrf_link(fk.buf, sizeof(fk.buf), NLM_F_CREATE |
		    NLM_F_EXCL | NLM_F_ACK, v->name, v->table), what, EEXIST);
	}
	if (old == NULL)
		return;
	TAILQ_FOREACH(v, &old->vrfs, entry)
		if (vrf_by_name(v->name) == NULL &&
		    (l = link_by_name(v->name)) != NULL &&
		    strcmp(l->kind, "vrf") == 0) {
			snprintf(what, sizeof(what), "delete VRF device %s",
			    l->name);
			fk_send(nl_link_del(fk.buf, sizeof(fk.buf), NLM_F_ACK,
			    l->ifindex), what);
		}
}

static int
genl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nl_genl_family_id(nlh, arg);
	return 0;
}

/* The encapsulation source (SEG6 generic netlink, `ip sr tunsrc set'). */
static void
tunsrc_set(void)
{
	struct nl_sync	*g;
	char		 err[128] = "";
	uint16_t	 id = 0;
	int		 rv;

	if (fk.conf == NULL || fk.conf->encap_source.af != AF_INET6)
		return;
	if ((g = nl_sync_open(NETLINK_GENERIC)) == NULL) {
		log_warn("fib: generic netlink");
		return;
	}
	if (fk.seg6_family == 0) {
		rv = nl_dump(g, nl_genl_getfamily(fk.buf, sizeof(fk.buf),
		    SEG6_GENL_NAME), genl_family_cb, &id, err, sizeof(err));
		if (rv != 0 || id == 0) {
			log_warnx("fib: no SEG6 generic netlink family: %s",
			    rv ? strerror(rv) : "not found");
			nl_sync_close(g);
			return;
		}
		fk.seg6_family = id;
	}
	rv = nl_dump(g, nl_seg6_tunsrc_set(fk.buf, sizeof(fk.buf),
	    fk.seg6_family, 0, &fk.conf->encap_source.v6), NULL, NULL, err,
	    sizeof(err));
	if (rv != 0)
		log_warnx("fib: encapsulation source %s: %s%s%s",
		    addr2str(&fk.conf->encap_source), strerror(rv),
		    err[0] ? ": " : "", err);
	else
		log_info("fib: encapsulation source %s",
		    addr2str(&fk.conf->encap_source));
	nl_sync_close(g);
}

/* ------------------------------------------------------------------ */
/* the monitor                                                         */

static void
route_notify(const struct nlmsghdr *nlh)
{
	struct nl_route		 r;
	const struct vrf_config	*v;
	uint8_t			 type;

	if (nl_route_parse(nlh, &r) == -1 || r.protocol == RTPROT_SRV6D ||
	    r.type != RTN_UNICAST)
		return;
	if (r.table == RT_TABLE_MAIN) {
		resolve_schedule();
		return;
	}
	if ((v = vrf_by_table(r.table)) == NULL)
		return;
	/* VRF mode: the kernel's own routes are the connected ones */
	type = r.protocol == RTPROT_KERNEL ? KROUTE_CONNECTED : KROUTE_KERNEL;
	if (r.family == AF_INET6 && r.dst.len == 64 &&
	    IN6_IS_ADDR_LINKLOCAL(&r.dst.addr.v6))
		return;
	kroute_report(nlh->nlmsg_type == RTM_NEWROUTE ? FIB_ADD : FIB_DEL,
	    type, r.table, &r.dst, r.npaths > 0 && r.paths[0].gateway.af !=
	    AF_UNSPEC ? &r.paths[0].gateway : NULL,
	    r.npaths > 0 ? r.paths[0].oif : 0);
}

static void
fk_notify(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link	l;
	struct nl_addr	a;

	(void)arg;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nl_link_parse(nlh, &l) == 0) {
			link_update(&l, nlh->nlmsg_type == RTM_NEWLINK);
			resolve_schedule();
		}
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (nl_addr_parse(nlh, &a) == 0)
			addr_update(&a, nlh->nlmsg_type == RTM_NEWADDR);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		route_notify(nlh);
		break;
	}
	fib_batch_flush(&fk.kroutes);
	nl_flush(fk.conn);
}

static int
dump_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link	l;

	(void)arg;
	if (nl_link_parse(nlh, &l) == 0)
		link_update(&l, true);
	return 0;
}

static int
dump_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_addr	a;

	(void)arg;
	if (nl_addr_parse(nlh, &a) == 0)
		addr_update(&a, true);
	return 0;
}

static int
dump_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	route_notify(nlh);
	return 0;
}

/*
 * Links, addresses and the VRF tables' routes, reported again from a
 * dump (start, a reload, or notifications lost).  The RDE keeps what it
 * was told by table and prefix, so telling it again changes nothing.
 */
static void
kernel_scan(void)
{
	struct fk_addr	*a;

	dump_all(RTM_GETLINK, AF_UNSPEC, dump_link_cb, NULL);
	/* addresses may belong to VRFs now: report them all again */
	RB_FOREACH(a, fk_addr_tree, &addrs)
		addr_report(a, FIB_ADD);
	dump_all(RTM_GETADDR, AF_INET, dump_addr_cb, NULL);
	dump_all(RTM_GETADDR, AF_INET6, dump_addr_cb, NULL);
	dump_all(RTM_GETROUTE, AF_INET, dump_route_cb, NULL);
	dump_all(RTM_GETROUTE, AF_INET6, dump_route_cb, NULL);
	fib_batch_flush(&fk.kroutes);
}

static void
fk_resync(void *arg)
{
	(void)arg;
	log_warnx("fib: kernel notifications lost: scanning again");
	fk.st.resyncs++;
	kernel_scan();
	resolve_schedule();
}

/* ------------------------------------------------------------------ */
/* start, reload, stop                                                 */

static void
kernel_scan_links(void)
{
	dump_all(RTM_GETLINK, AF_UNSPEC, dump_link_cb, NULL);
}

/*
 * Can this kernel hold a seg6 encapsulation in a nexthop object (5.3+
 * nexthop objects, seg6 in them later)?  One is made and removed.
 */
static bool
nexthop_probe(void)
{
	struct nl_nexthop	nh;
	char			err[128] = "";
	int			rv;

	memset(&nh, 0, sizeof(nh));
	nh.id = NL_NHID_BASE - 1;
	nh.family = AF_INET6;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = link_any();
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

static void
kroutes_out(uint32_t type, const void *data, size_t len, void *arg)
{
	(void)arg;
	if (fk.kroute_out != NULL)
		fk.kroute_out(type, data, len);
}

static void
sysctls(void)
{
	/* seg6_enabled gates SRH processing (End behaviours); harmless */
	sysctl_set("/proc/sys/net/ipv6/conf/all/seg6_enabled", "1");
	sysctl_set("/proc/sys/net/ipv6/conf/default/seg6_enabled", "1");
	sysctl_set("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	sysctl_set("/proc/sys/net/ipv4/ip_forward", "1");
}

/*
 * Does some VRF want the routes of its kernel table (`network kernel',
 * or `network connected' where the kernel puts them there, VRF mode)?
 * Only then does the monitor join the route groups: for every route the
 * kernel builds a notification for each listener before any filter
 * drops it, which costs a million installs a good share of their time.
 * Links and addresses are always followed (liveness of the nexthop
 * objects' devices, members appearing, table mode's connected routes).
 */
static bool
monitor_wants_routes(const struct srv6d_config *conf)
{
	const struct vrf_config	*v;

	if (conf == NULL)
		return false;
	TAILQ_FOREACH(v, &conf->vrfs, entry)
		if ((v->net_flags & VRF_NET_KERNEL) ||
		    ((v->net_flags & VRF_NET_CONNECTED) &&
		    fk.mode == KERNEL_MODE_VRF))
			return true;
	return false;
}

static int
monitor_open(void)
{
	unsigned int	groups[5];
	size_t		n = 0;

	groups[n++] = RTNLGRP_LINK;
	groups[n++] = RTNLGRP_IPV4_IFADDR;
	groups[n++] = RTNLGRP_IPV6_IFADDR;
	if ((fk.mon_routes = monitor_wants_routes(fk.conf))) {
		groups[n++] = RTNLGRP_IPV4_ROUTE;
		groups[n++] = RTNLGRP_IPV6_ROUTE;
	}
	if ((fk.mon = nl_monitor_open(groups, n, 0, fk_notify, fk_resync,
	    NULL)) == NULL) {
		log_warn("fib: netlink monitor");
		return -1;
	}
	/* our own changes need no report */
	if (nl_monitor_ignore_proto(fk.mon, RTPROT_SRV6D) == -1)
		log_warn("fib: monitor filter");
	return 0;
}

/*
 * Start: open the sockets, learn links and addresses, read what an
 * earlier run left, set up the VRFs.  Routes come later from the RDE.
 */
int
fk_start(enum kernel_mode mode, const struct srv6d_config *conf,
    fk_kroute_cb out)
{
	struct timeval	tv;

	memset(&fk.st, 0, sizeof(fk.st));
	fk.mode = mode;
	fk.conf = conf;
	fk.kroute_out = out;
	fk.next_id = NL_NHID_BASE;
	fib_batch_init(&fk.kroutes, IMSG_KROUTES, kroutes_out, NULL);
	if ((fk.conn = nl_conn_open(NETLINK_ROUTE)) == NULL ||
	    (fk.sync = nl_sync_open(NETLINK_ROUTE)) == NULL) {
		log_warn("fib: netlink");
		return -1;
	}
	if (monitor_open() == -1)
		return -1;
	nl_conn_set_drained(fk.conn, fk_drained, NULL);
	evtimer_set(&fk.resolve_ev, resolve_all, NULL);
	evtimer_set(&fk.sync_ev, sync_timeout, NULL);
	fk.up = true;
	sysctls();
	kernel_scan_links();
	fk.per_route = getenv(FK_NO_NHOBJ_ENV) != NULL || !nexthop_probe();
	if (fk.per_route)
		log_warnx("fib: no seg6 nexthop objects%s: each route carries "
		    "its own encapsulation", getenv(FK_NO_NHOBJ_ENV) != NULL ?
		    " (" FK_NO_NHOBJ_ENV " set)" : " in this kernel");
	/* what an earlier run left: nexthops first (routes point to them) */
	fk.syncing = true;
	dump_all(RTM_GETNEXTHOP, AF_UNSPEC, old_nexthop_cb, NULL);
	dump_ours(AF_INET, 0, old_route_cb, NULL);
	dump_ours(AF_INET6, 0, old_route_cb, NULL);
	dump_all(RTM_GETRULE, AF_INET, old_rule_cb, NULL);
	dump_all(RTM_GETRULE, AF_INET6, old_rule_cb, NULL);
	if (!RB_EMPTY(&olds) || !RB_EMPTY(&nhs))
		log_info("fib: found %s routes of an earlier run: kept until "
		    "the initial routes are in", RB_EMPTY(&olds) ? "no" :
		    "installed");
	kernel_scan();
	devices_sync(NULL);
	rules_sync();
	tunsrc_set();
	nl_flush(fk.conn);
	tv.tv_sec = conf != NULL ? conf->fib_sync_timeout : 60;
	tv.tv_usec = 0;
	evtimer_add(&fk.sync_ev, &tv);
	return 0;
}

/* A new configuration (old is still valid during the call). */
void
fk_reconfig(const struct srv6d_config *conf, const struct srv6d_config *old)
{
	struct fk_addr		*a;
	struct fk_link		*l;
	const struct vrf_config	*ov, *nv;
	struct fk_nh		*n;

	if (!fk.up)
		return;
	/* connected copies of interfaces that leave a VRF (table mode) */
	RB_FOREACH(a, fk_addr_tree, &addrs) {
		if (fk.mode != KERNEL_MODE_TABLE ||
		    (l = link_by_index(a->ifindex)) == NULL ||
		    (ov = vrf_of_iface(l->name)) == NULL)
			continue;
		fk.conf = conf;
		nv = vrf_of_iface(l->name);
		fk.conf = old;
		if (nv == NULL || nv->table != ov->table)
			conn_route(a, ov->table, false);
	}
	fk.conf = conf;
	if (monitor_wants_routes(conf) != fk.mon_routes) {
		nl_monitor_close(fk.mon);
		if (monitor_open() == -1)
			fk.mon = NULL;	/* links and routes no longer followed */
	}
	if (old != NULL && old->encap_mode != conf->encap_mode)
		RB_FOREACH(n, fk_nh_tree, &nhs)
			nh_program(n);	/* replaced in place, routes follow */
	devices_sync(old);
	rules_sync();
	tunsrc_set();
	kernel_scan();
	nl_flush(fk.conn);
}

void
fk_commit(void)
{
	if (fk.up)
		nl_flush(fk.conn);
}

/* Delete every route of ours in table t (the flush at a stop). */
static int
flush_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_route	r;

	(void)arg;
	if (nl_route_parse(nlh, &r) == 0 && r.protocol == RTPROT_SRV6D)
		fk_send(fk_route_key_msg(RTM_DELROUTE, r.table, &r.dst, 0,
		    r.type, r.priority), NULL);
	return 0;
}

static void
stop_wait(void)
{
	size_t	left;

	if ((left = nl_conn_wait(fk.conn, FK_STOP_WAIT_MS)) > 0)
		log_warnx("fib: %zu requests unanswered at stop", left);
}

/*
 * Stop: unless fib-keep, remove everything of ours (routes, SIDs,
 * rules, nexthop objects, VRF devices of configured VRFs).
 */
void
fk_stop(void)
{
	const struct vrf_config	*v;
	struct fk_rule		*r;
	struct fk_nh		*n;
	struct fk_grp		*g;
	struct fk_link		*l;
	char			 what[64];

	if (!fk.up)
		return;
	evtimer_del(&fk.sync_ev);
	evtimer_del(&fk.resolve_ev);
	nl_monitor_close(fk.mon);
	fk.mon = NULL;
	if (fk.conf != NULL && !fk.conf->fib_keep) {
		dump_ours(AF_INET, 0, flush_route_cb, NULL);
		dump_ours(AF_INET6, 0, flush_route_cb, NULL);
		TAILQ_FOREACH(r, &rules, entry)
			rule_send(&r->r, RTM_DELRULE);
		RB_FOREACH(g, fk_grp_tree, &grps)
			nh_delete(g->id);
		RB_FOREACH(n, fk_nh_tree, &nhs)
			nh_delete(n->id);
		if (fk.mode == KERNEL_MODE_VRF)
			TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
				if ((l = link_by_name(v->name)) != NULL &&
				    strcmp(l->kind, "vrf") == 0) {
					snprintf(what, sizeof(what),
					    "delete VRF device %s", v->name);
					fk_send(nl_link_del(fk.buf,
					    sizeof(fk.buf), NLM_F_ACK,
					    l->ifindex), what);
				}
		stop_wait();
		log_info("fib: kernel state removed");
	} else
		log_info("fib: kernel state kept (fib-keep)");
	fk_free();
}

static void
fk_free(void)
{
	struct fk_nh	*n;
	struct fk_grp	*g;
	struct fk_link	*l;
	struct fk_addr	*a;
	struct fk_old	*o;
	struct fk_rule	*r;

	while ((n = RB_ROOT(&nhs)) != NULL) {
		RB_REMOVE(fk_nh_tree, &nhs, n);
		free(n);
	}
	while ((g = RB_ROOT(&grps)) != NULL) {
		RB_REMOVE(fk_grp_tree, &grps, g);
		free(g);
	}
	while ((l = RB_ROOT(&links)) != NULL) {
		RB_REMOVE(fk_link_tree, &links, l);
		free(l);
	}
	while ((a = RB_ROOT(&addrs)) != NULL) {
		RB_REMOVE(fk_addr_tree, &addrs, a);
		free(a);
	}
	while ((o = RB_ROOT(&olds)) != NULL)
		old_remove(o);
	while ((r = TAILQ_FIRST(&rules)) != NULL) {
		TAILQ_REMOVE(&rules, r, entry);
		free(r);
	}
	fib_batch_free(&fk.kroutes);
	nl_conn_close(fk.conn);
	nl_sync_close(fk.sync);
	fk.conn = NULL;
	fk.sync = NULL;
	fk.up = false;
}

struct counters_arg {
	fk_counter_cb	 cb;
	void		*arg;
};

static int
counters_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct counters_arg	*c = arg;
	struct nl_route		 r;

	if (nl_route_parse(nlh, &r) == 0 && r.protocol == RTPROT_SRV6D &&
	    r.npaths > 0 && r.paths[0].encap_type ==
	    LWTUNNEL_ENCAP_SEG6_LOCAL && r.paths[0].seg6local.counters)
		c->cb(&r.dst.addr.v6, r.paths[0].seg6local.packets,
		    r.paths[0].seg6local.bytes, r.paths[0].seg6local.errors,
		    c->arg);
	return 0;
}

/* The kernel's counters of every local SID (a dump of the SID routes). */
void
fk_sid_counters(fk_counter_cb cb, void *arg)
{
	struct counters_arg	c = { cb, arg };

	if (fk.up)
		dump_ours(AF_INET6, RT_TABLE_MAIN, counters_cb, &c);
}

void
fk_stats(struct fk_stats *st)
{
	*st = fk.st;
	st->pending = fk.up ? nl_pending(fk.conn) : 0;
	st->nexthops = 0;
	{
		struct fk_nh	*n;

		RB_FOREACH(n, fk_nh_tree, &nhs)
			st->nexthops++;
	}
}
