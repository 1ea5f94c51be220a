/*
 * fib_kernel.c: make the kernel hold what the RDE decided (issue 5).
 *
 * The kernel forwards; these files only keep its state equal to the
 * parent's fib_state, with as few netlink messages as that takes:
 *
 *  - a remote SID is one nexthop object (seg6 encapsulation, RFC 8986
 *    H.Encaps), shared by every route towards it (fk_nexthop.c);
 *  - a local SID is a seg6local route in the main table with counters
 *    (fk_sid.c);
 *  - a VRF is a VRF device (VRF mode) or `ip rule iif IF lookup TABLE'
 *    per member interface (table mode) (fk_vrf.c);
 *  - every object carries RTPROT_SRV6D, and only such objects are ever
 *    changed or removed; what an earlier run left is adopted or removed
 *    (fk_reconcile.c);
 *  - the kernel's own routes of the VRF tables go to the RDE
 *    (fk_monitor.c).
 * Requests go out batched on one connection and their ACKs come back
 * asynchronously (nl_sock.c); a failure is logged per object with the
 * kernel's extended ACK text, counted, and kept among the recent ones
 * that show fib lists (fk_fail.c).
 *
 * This file holds the shared state (fk.h), the requests, the routes and
 * the entry points of fib.h: start, reload, stop, commit and the stats.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_iptunnel.h>

#include "fk.h"
#include "log.h"

#define FK_NO_NHOBJ_ENV	"SRV6D_NO_NEXTHOP_OBJECTS"	/* tests: fallback */
#define FK_STOP_WAIT_MS	5000		/* for the last ACKs at a stop */

/* ------------------------------------------------------------------ */
/* state                                                               */

struct fk_state		 fk;
struct fk_nh_tree	 fk_nhs = RB_INITIALIZER(&fk_nhs);
struct fk_grp_tree	 fk_grps = RB_INITIALIZER(&fk_grps);
struct fk_link_tree	 fk_links = RB_INITIALIZER(&fk_links);
struct fk_addr_tree	 fk_addrs = RB_INITIALIZER(&fk_addrs);
struct fk_old_tree	 fk_olds = RB_INITIALIZER(&fk_olds);
struct fk_rule_head	 fk_rules = TAILQ_HEAD_INITIALIZER(fk_rules);

static void	fk_free(void);

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


RB_GENERATE(fk_nh_tree, fk_nh, entry, nh_cmp)
RB_GENERATE(fk_grp_tree, fk_grp, entry, grp_cmp)
RB_GENERATE(fk_link_tree, fk_link, entry, link_cmp)
RB_GENERATE(fk_addr_tree, fk_addr, entry, addr_entry_cmp)
RB_GENERATE(fk_old_tree, fk_old, entry, old_cmp)

/* ------------------------------------------------------------------ */
/* requests                                                            */

/* What a request was, for the log line when the kernel refuses it. */
struct fk_req {
	char		 what[96];
	int		 ok_errno;	/* also success (EEXIST for a rule) */
};

/*
 * A route request the kernel refused, named from the copy it sent back:
 * "add route 10.1.0.0/24 table 100" (routes carry no description of their
 * own; see fk_send_ok).
 */
static const char *
fk_req_route(const struct nlmsghdr *req, char *buf, size_t size)
{
	struct nl_route	*nr;

	if (req == NULL || (req->nlmsg_type != RTM_NEWROUTE &&
	    req->nlmsg_type != RTM_DELROUTE) ||
	    (nr = calloc(1, sizeof(*nr))) == NULL)
		return "route";
	if (nl_route_parse(req, nr) == 0)
		snprintf(buf, size, "%s route %s table %u",
		    req->nlmsg_type == RTM_NEWROUTE ? "add" : "delete",
		    prefix2str(&nr->dst), nr->table);
	else
		snprintf(buf, size, "route");
	free(nr);
	return buf;
}

static void
fk_done(void *arg, int error, const char *extack,
    const struct nlmsghdr *req)
{
	struct fk_req	*r = arg;
	char		 buf[96];
	const char	*what;

	if (error == 0 || (r != NULL && error == r->ok_errno)) {
		fk.st.acked++;
		free(r);
		return;
	}
	what = r != NULL && r->what[0] != '\0' ? r->what :
	    fk_req_route(req, buf, sizeof(buf));
	fk.st.failed++;
	fk_fail_record(time(NULL), what, error, extack);
	log_warnx("fib: %s: %s%s%s", what, strerror(error),
	    extack ? ": " : "", extack ? extack : "");
	free(r);
}

/*
 * Queue one request.  what names it for the log (only allocated for the
 * rare objects; routes pass NULL, a million routes must not cost a
 * million strings, and a refused one is named from the copy of the
 * request the kernel sends back with its error).
 */
void
fk_send_ok(const struct nlmsghdr *nlh, const char *what, int ok_errno)
{
	struct fk_req	*r = NULL;

	if (nlh == NULL)
		fatalx("fib: request does not fit (%s)", what ? what : "route");
	if (what != NULL || ok_errno != 0) {
		if ((r = malloc(sizeof(*r))) == NULL)
			fatal("%s", __func__);
		strlcpy(r->what, what != NULL ? what : "", sizeof(r->what));
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
		int	error = errno;

		log_warn("fib: queue %s", what ? what : "route");
		fk_fail_record(time(NULL), what ? what : "route", error, NULL);
		fk.st.failed++;
		free(r);
		return;
	}
	fk.st.sent++;
}

void
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
struct nlmsghdr *
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

struct nlmsghdr *
fk_route_nhid_msg(uint16_t type, uint32_t table,
    const struct srv6d_prefix *dst, uint32_t nh_id)
{
	return fk_route_key_msg(type, table, dst, nh_id, RTN_UNICAST, 0);
}

/* Dumps on the synchronous socket (start, scans, counters, stop). */
void
fk_dump_all(uint16_t type, uint8_t family, nl_msg_cb cb, void *arg)
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
void
fk_dump_ours(uint8_t family, uint32_t table, nl_msg_cb cb, void *arg)
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
		nr->paths[i].oif = fk_resolve_oif(&nh[i].sid);
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
				struct fk_old	*o = fk_old_find(r->table,
				    &r->dst);

				if (o != NULL)
					fk_old_remove(o);	/* replaced */
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
			fk_paths_put(old, old_nh);
		fk.st.routes--;
		return;
	}
	if (!route_plain(r, nh))
		id = fk_paths_get(r, nh);
	if (old == NULL)
		fk.st.routes++;
	else if (!route_plain(old, old_nh))
		fk_paths_put(old, old_nh);
	if (fk.syncing && old == NULL && fk_old_adopt_route(r->table, &r->dst,
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
/* start, reload, stop                                                 */

static void
kroutes_out(uint32_t type, const void *data, size_t len, void *arg)
{
	(void)arg;
	if (fk.kroute_out != NULL)
		fk.kroute_out(type, data, len);
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
	if (fk_monitor_open() == -1)
		return -1;
	nl_conn_set_drained(fk.conn, fk_drained, NULL);
	evtimer_set(&fk.sync_ev, fk_sync_timeout, NULL);
	fk_repair_init();
	fk.up = true;
	fk_sysctls();
	fk_kernel_scan_links();
	fk.per_route = getenv(FK_NO_NHOBJ_ENV) != NULL || !fk_nexthop_probe();
	if (fk.per_route)
		log_warnx("fib: no seg6 nexthop objects%s: each route carries "
		    "its own encapsulation", getenv(FK_NO_NHOBJ_ENV) != NULL ?
		    " (" FK_NO_NHOBJ_ENV " set)" : " in this kernel");
	/* what an earlier run left: kept until the initial routes are in */
	fk.syncing = true;
	fk_old_scan();
	fk_kernel_scan();
	fk_devices_sync(NULL);
	fk_rules_sync();
	fk_tunsrc_set();
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
	RB_FOREACH(a, fk_addr_tree, &fk_addrs) {
		if (fk.mode != KERNEL_MODE_TABLE ||
		    (l = fk_link_by_index(a->ifindex)) == NULL ||
		    (ov = fk_vrf_of_iface(l->name)) == NULL)
			continue;
		fk.conf = conf;
		nv = fk_vrf_of_iface(l->name);
		fk.conf = old;
		if (nv == NULL || nv->table != ov->table)
			fk_conn_route(a, ov->table, false);
	}
	fk.conf = conf;
	if (fk_monitor_wants_routes(conf) != fk.mon_routes) {
		nl_monitor_close(fk.mon);
		if (fk_monitor_open() == -1)
			fk.mon = NULL;	/* links and routes no longer followed */
	}
	if (old != NULL && old->encap_mode != conf->encap_mode)
		RB_FOREACH(n, fk_nh_tree, &fk_nhs)
			fk_nh_program(n);	/* replaced: routes follow */
	fk_devices_sync(old);
	fk_rules_sync();
	fk_tunsrc_set();
	fk_kernel_scan();
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
	fk_repair_stop();
	nl_monitor_close(fk.mon);
	fk.mon = NULL;
	if (fk.conf != NULL && !fk.conf->fib_keep) {
		fk_dump_ours(AF_INET, 0, flush_route_cb, NULL);
		fk_dump_ours(AF_INET6, 0, flush_route_cb, NULL);
		TAILQ_FOREACH(r, &fk_rules, entry)
			fk_rule_send(&r->r, RTM_DELRULE);
		RB_FOREACH(g, fk_grp_tree, &fk_grps)
			fk_nh_delete(g->id);
		RB_FOREACH(n, fk_nh_tree, &fk_nhs)
			fk_nh_delete(n->id);
		if (fk.mode == KERNEL_MODE_VRF)
			TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
				if ((l = fk_link_by_name(v->name)) != NULL &&
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

	while ((n = RB_ROOT(&fk_nhs)) != NULL) {
		RB_REMOVE(fk_nh_tree, &fk_nhs, n);
		free(n);
	}
	while ((g = RB_ROOT(&fk_grps)) != NULL) {
		RB_REMOVE(fk_grp_tree, &fk_grps, g);
		free(g);
	}
	while ((l = RB_ROOT(&fk_links)) != NULL) {
		RB_REMOVE(fk_link_tree, &fk_links, l);
		free(l);
	}
	while ((a = RB_ROOT(&fk_addrs)) != NULL) {
		RB_REMOVE(fk_addr_tree, &fk_addrs, a);
		free(a);
	}
	while ((o = RB_ROOT(&fk_olds)) != NULL)
		fk_old_remove(o);
	while ((r = TAILQ_FIRST(&fk_rules)) != NULL) {
		TAILQ_REMOVE(&fk_rules, r, entry);
		free(r);
	}
	fib_batch_free(&fk.kroutes);
	nl_conn_close(fk.conn);
	nl_sync_close(fk.sync);
	fk.conn = NULL;
	fk.sync = NULL;
	fk.up = false;
}

void
fk_stats(struct fk_stats *st)
{
	*st = fk.st;
	st->pending = fk.up ? nl_pending(fk.conn) : 0;
	st->nexthops = 0;
	{
		struct fk_nh	*n;

		RB_FOREACH(n, fk_nh_tree, &fk_nhs)
			st->nexthops++;
	}
}
