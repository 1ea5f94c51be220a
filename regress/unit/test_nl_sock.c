/*
 * nl_sock: the netlink transport against the running kernel, in a
 * private network namespace (unshare(CLONE_NEWNET) of this process: the
 * namespace goes away with it, and the host's routing state is never
 * touched).  Needs root; every test is skipped otherwise.
 *
 * Batched ACKed requests (100,000 routes, timed), per-message errors
 * with the kernel's extended ACK text, flow control, ACKs lost to a
 * receive buffer overflow, close with requests outstanding, dumps, the
 * monitor and its resync on ENOBUFS, and a generic netlink family.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_genl.h>
#include <net/if.h>

#include <errno.h>
#include <event.h>
#include <libmnl/libmnl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "nl_sock.h"

#define RTPROT_SRV6D	201
#define LO_IFINDEX	1		/* lo in a new namespace */
#define BIG_TABLE	100
#define BIG_COUNT	100000

static int	 in_netns;		/* root, and the namespace is ours */

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int	 timed_out;

static void
timeout_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	*(int *)arg = 1;
}

/* Run the event loop until *flag is non-zero (or the timeout). */
static void
run_until(const int *flag, int secs)
{
	struct event	 t;
	struct timeval	 tv = { secs, 0 };

	timed_out = 0;
	evtimer_set(&t, timeout_cb, &timed_out);
	evtimer_add(&t, &tv);
	while (!*flag && !timed_out)
		event_loop(EVLOOP_ONCE);
	evtimer_del(&t);
	assert_false(timed_out);
}

/* 10.a.b.c for index i: distinct /32s. */
static uint32_t
dst_of(uint32_t i)
{
	return htonl(0x0a000000u + i);
}

/* A plain IPv4 route message into buf (RTM_NEWROUTE or RTM_DELROUTE). */
static struct nlmsghdr *
route_msg(char *buf, uint16_t type, uint16_t flags, uint32_t table,
    uint32_t dst, uint8_t plen, uint32_t oif)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;

	memset(buf, 0, 256);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_SRV6D;
	rtm->rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_LINK :
	    RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	mnl_attr_put(nlh, RTA_DST, sizeof(dst), &dst);
	if (oif != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nlh;
}

/* Per-message results: how often each callback ran, and with what. */
struct results {
	size_t		 n;
	int		*calls;
	int		*error;
	char		**text;
	uint16_t	*req_type;	/* the echoed request's, 0: none */
	uint32_t	*req_dst;	/* its RTA_DST (IPv4) */
	uint8_t		*req_dstlen;
	size_t		 done, ok, bad;
	int		 drained;
	struct nl_conn	*close_in_cb;	/* close it at the close_at-th call */
	size_t		 close_at;
};

struct res_arg {
	struct results	*r;
	size_t		 i;
};

static struct res_arg *
results_init(struct results *r, size_t n)
{
	struct res_arg	*a;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->n = n;
	assert_non_null(r->calls = calloc(n, sizeof(int)));
	assert_non_null(r->error = calloc(n, sizeof(int)));
	assert_non_null(r->text = calloc(n, sizeof(char *)));
	assert_non_null(r->req_type = calloc(n, sizeof(uint16_t)));
	assert_non_null(r->req_dst = calloc(n, sizeof(uint32_t)));
	assert_non_null(r->req_dstlen = calloc(n, 1));
	assert_non_null(a = calloc(n, sizeof(*a)));
	for (i = 0; i < n; i++) {
		a[i].r = r;
		a[i].i = i;
	}
	return a;
}

static void
results_free(struct results *r, struct res_arg *a)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		free(r->text[i]);
	free(r->calls);
	free(r->error);
	free(r->text);
	free(r->req_type);
	free(r->req_dst);
	free(r->req_dstlen);
	free(a);
}

static void
done_cb(void *arg, int error, const char *extack, const struct nlmsghdr *req)
{
	struct res_arg		*a = arg;
	struct results		*r = a->r;
	const struct nlattr	*at;

	r->calls[a->i]++;
	r->error[a->i] = error;
	if (extack != NULL && r->text[a->i] == NULL)
		r->text[a->i] = strdup(extack);
	if (req != NULL) {
		r->req_type[a->i] = req->nlmsg_type;
		if (req->nlmsg_type == RTM_NEWROUTE ||
		    req->nlmsg_type == RTM_DELROUTE) {
			const struct rtmsg *rtm = mnl_nlmsg_get_payload(req);

			r->req_dstlen[a->i] = rtm->rtm_dst_len;
			mnl_attr_for_each(at, req, sizeof(*rtm))
				if (mnl_attr_get_type(at) == RTA_DST)
					r->req_dst[a->i] = mnl_attr_get_u32(at);
		}
	}
	r->done++;
	if (error == 0)
		r->ok++;
	else
		r->bad++;
	if (r->close_in_cb != NULL && r->done == r->close_at) {
		nl_conn_close(r->close_in_cb);
		r->close_in_cb = NULL;
	}
}

static void
drained_cb(void *arg)
{
	((struct results *)arg)->drained++;
}

/* Every callback ran exactly once. */
static void
assert_once(const struct results *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->calls[i] != 1)
			fail_msg("message %zu: %d callbacks", i, r->calls[i]);
}

/* A synchronous request that must succeed. */
static void
sync_ok(int protocol, const struct nlmsghdr *nlh)
{
	struct nl_sync	*s;
	char		 msg[256];
	int		 err;

	assert_non_null(s = nl_sync_open(protocol));
	err = nl_dump(s, nlh, NULL, NULL, msg, sizeof(msg));
	if (err != 0)
		fail_msg("request: %s: %s", strerror(err), msg);
	nl_sync_close(s);
}

/* Count (and mark) the routes of one table in a dump. */
struct count {
	uint32_t	 table;
	size_t		 n;
	uint8_t		*seen;		/* by index, if not NULL */
	size_t		 nseen;
};

static int
count_attr(const struct nlattr *a, void *arg)
{
	const struct nlattr	**tb = arg;
	int			 type = mnl_attr_get_type(a);

	if (type <= RTA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int
count_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct count		*c = arg;
	const struct nlattr	*tb[RTA_MAX + 1] = { NULL };
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);
	uint32_t		 table, i;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;
	mnl_attr_parse(nlh, sizeof(*rtm), count_attr, tb);
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	if (table != c->table)
		return 0;
	c->n++;
	if (c->seen != NULL && tb[RTA_DST] != NULL) {
		i = ntohl(mnl_attr_get_u32(tb[RTA_DST])) - 0x0a000000u;
		if (i < c->nseen)
			c->seen[i] = 1;
	}
	return 0;
}

/* Routes in table, by a dump the kernel filters (strict checking). */
static size_t
count_table(uint32_t table, uint8_t *seen, size_t nseen)
{
	char		 buf[256];
	struct nl_sync	*s;
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	struct count	 c = { table, 0, seen, nseen };
	char		 msg[256];
	int		 err;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	assert_non_null(s = nl_sync_open(NETLINK_ROUTE));
	err = nl_dump(s, nlh, count_cb, &c, msg, sizeof(msg));
	nl_sync_close(s);
	if (err != 0)
		fail_msg("dump of table %u: %s: %s", table, strerror(err),
		    msg);
	return c.n;
}

/* Queue count routes dst_of(first ..) into table, run until all ACKed. */
static double
install(struct nl_conn *c, struct results *r, struct res_arg *a,
    uint16_t type, uint32_t table, uint32_t first, size_t count)
{
	char		 buf[256];
	struct nlmsghdr	*nlh;
	double		 t0;
	size_t		 i;

	nl_conn_set_drained(c, drained_cb, r);
	t0 = now();
	for (i = 0; i < count; i++) {
		nlh = route_msg(buf, type, type == RTM_NEWROUTE ?
		    NLM_F_CREATE | NLM_F_EXCL : 0, table,
		    dst_of(first + (uint32_t)i), 32, LO_IFINDEX);
		assert_int_equal(nl_queue(c, nlh, done_cb, &a[i]), 0);
	}
	nl_flush(c);
	run_until(&r->drained, 120);
	return now() - t0;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */

static int
group_setup(void **state)
{
	char		 buf[256];
	struct nlmsghdr	*nlh;
	struct ifinfomsg *ifi;
	struct nl_sync	*s;
	int		 err;

	(void)state;
	event_init();
	if (geteuid() != 0)
		return 0;
	if (unshare(CLONE_NEWNET) == -1) {
		print_message("# unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 0;
	}
	/* lo up: the routes below go to it without a gateway. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = LO_IFINDEX;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	if ((s = nl_sync_open(NETLINK_ROUTE)) == NULL)
		return -1;
	err = nl_dump(s, nlh, NULL, NULL, NULL, 0);
	nl_sync_close(s);
	if (err != 0)
		return -1;
	in_netns = 1;
	return 0;
}

/* In a test (cmocka counts a skip in a setup function as a failure). */
#define NEED_NETNS()	do { if (!in_netns) skip(); } while (0)

/* ------------------------------------------------------------------ */
/* tests                                                               */

struct mon_count {
	uint32_t	 table;
	size_t		 newroute, delroute, newnh, other;
	int		 resyncs;
	int		 seen_dst;
	uint32_t	 want_dst;
};

static void
mon_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct mon_count	*m = arg;
	const struct nlattr	*tb[RTA_MAX + 1] = { NULL };
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);

	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		mnl_attr_parse(nlh, sizeof(*rtm), count_attr, tb);
		if (tb[RTA_TABLE] == NULL ||
		    mnl_attr_get_u32(tb[RTA_TABLE]) != m->table)
			break;
		if (nlh->nlmsg_type == RTM_NEWROUTE)
			m->newroute++;
		else
			m->delroute++;
		if (tb[RTA_DST] != NULL &&
		    mnl_attr_get_u32(tb[RTA_DST]) == m->want_dst)
			m->seen_dst = 1;
		break;
	case RTM_NEWNEXTHOP:
		m->newnh++;
		m->seen_dst = 1;
		break;
	default:
		m->other++;
		break;
	}
}

static void
mon_resync(void *arg)
{
	((struct mon_count *)arg)->resyncs++;
}

/*
 * 100,000 routes in batches, every one ACKed once with 0, all in the
 * table by a dump, the monitor hearing all of them (or asking for a
 * resync); then all deleted.  The rates are figures, not assertions.
 */
static void
test_100k_routes(void **state)
{
	unsigned int		 groups[] = { RTNLGRP_IPV4_ROUTE };
	struct nl_conn		*c;
	struct nl_monitor	*m;
	struct mon_count	 mc = { .table = BIG_TABLE };
	struct nl_conn_stats	 st;
	struct results		 r;
	struct res_arg		*a;
	double			 t;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	assert_non_null(m = nl_monitor_open(groups, 1, 0, mon_cb, mon_resync,
	    &mc));
	a = results_init(&r, BIG_COUNT);
	t = install(c, &r, a, RTM_NEWROUTE, BIG_TABLE, 0, BIG_COUNT);
	assert_once(&r);
	assert_int_equal(r.ok, BIG_COUNT);
	assert_int_equal(nl_pending(c), 0);
	assert_int_equal(r.drained, 1);
	nl_conn_stats(c, &st);
	print_message("# %d routes added in %.3f s: %.0f routes/s "
	    "(kernel limit ~320k/s batched, DESIGN.md); %ju sendmsg, "
	    "window %zu, most in flight %zu, %ju stalls\n", BIG_COUNT, t,
	    BIG_COUNT / t, (uintmax_t)st.sends, st.window, st.max_inflight,
	    (uintmax_t)st.stalls);
	assert_true(st.sends < BIG_COUNT / 100);
	assert_true(st.max_inflight <= st.window);
	assert_int_equal(st.enobufs, 0);
	assert_int_equal(count_table(BIG_TABLE, NULL, 0), BIG_COUNT);

	/* The monitor heard each, unless it asked for a resync. */
	mc.seen_dst = 0;
	mc.want_dst = dst_of(BIG_COUNT - 1);
	if (mc.newroute < BIG_COUNT && mc.resyncs == 0)
		run_until(&mc.seen_dst, 10);
	print_message("# monitor: %zu RTM_NEWROUTE, %d resyncs\n",
	    mc.newroute, mc.resyncs);
	assert_true(mc.newroute == BIG_COUNT || mc.resyncs > 0);
	results_free(&r, a);

	a = results_init(&r, BIG_COUNT);
	t = install(c, &r, a, RTM_DELROUTE, BIG_TABLE, 0, BIG_COUNT);
	assert_once(&r);
	assert_int_equal(r.ok, BIG_COUNT);
	print_message("# %d routes deleted in %.3f s: %.0f routes/s\n",
	    BIG_COUNT, t, BIG_COUNT / t);
	assert_int_equal(count_table(BIG_TABLE, NULL, 0), 0);
	results_free(&r, a);
	nl_monitor_close(m);
	nl_conn_close(c);
}

/*
 * One batch with bad messages in the middle: exactly those fail, each
 * with its own errno and the kernel's text; the others succeed.
 */
static void
errors_in_batch(int ack_every)
{
	char		 buf[256];
	struct nl_conn	*c;
	struct nlmsghdr	*nlh;
	struct results	 r;
	struct res_arg	*a;
	struct rtmsg	*rtm;
	const size_t	 n = 200;
	size_t		 i;
	uint32_t	 table = ack_every ? 109 : 101;

	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	nl_conn_ack_every(c, ack_every);
	a = results_init(&r, n);
	nl_conn_set_drained(c, drained_cb, &r);
	for (i = 0; i < n; i++) {
		nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
		    table, dst_of((uint32_t)i), 32, LO_IFINDEX);
		rtm = mnl_nlmsg_get_payload(nlh);
		switch (i) {
		case 50:	/* the same as message 10 */
			nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE |
			    NLM_F_EXCL, table, dst_of(10), 32, LO_IFINDEX);
			break;
		case 100:	/* no such device */
			nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE |
			    NLM_F_EXCL, table, dst_of(100), 32, 9999);
			break;
		case 101:	/* prefix length 33 */
			rtm->rtm_dst_len = 33;
			break;
		case 150:	/* delete what is not there */
			nlh = route_msg(buf, RTM_DELROUTE, 0, table,
			    dst_of(100000), 32, 0);
			break;
		}
		assert_int_equal(nl_queue(c, nlh, done_cb, &a[i]), 0);
	}
	assert_int_equal(nl_pending(c), n);
	nl_flush(c);
	run_until(&r.drained, 10);
	assert_once(&r);
	for (i = 0; i < n; i++)
		if (r.error[i] != 0)
			print_message("# message %zu: %s: %s\n", i,
			    strerror(r.error[i]), r.text[i] ? r.text[i] :
			    "(no extack)");
	assert_int_equal(r.bad, 4);
	assert_int_equal(r.error[50], EEXIST);
	assert_int_equal(r.error[100], ENODEV);
	assert_int_equal(r.error[101], EINVAL);
	assert_non_null(r.text[101]);
	assert_string_equal(r.text[101], "Invalid prefix length");
	assert_int_equal(r.error[150], ESRCH);
	/* each error came with our request, which names what failed */
	assert_int_equal(r.req_type[100], RTM_NEWROUTE);
	assert_int_equal(r.req_dst[100], dst_of(100));
	assert_int_equal(r.req_dstlen[101], 33);
	assert_int_equal(r.req_type[150], RTM_DELROUTE);
	assert_int_equal(r.req_dst[150], dst_of(100000));
	for (i = 0; i < n; i++)
		if (r.error[i] == 0)
			assert_int_equal(r.req_type[i], 0);
	assert_int_equal(count_table(table, NULL, 0), n - 4);
	results_free(&r, a);
	nl_conn_close(c);
}

/* The errors come back the same with or without an ACK per message. */
static void
test_errors_in_batch(void **state)
{
	(void)state;
	NEED_NETNS();
	errors_in_batch(0);
}

static void
test_errors_ack_every(void **state)
{
	(void)state;
	NEED_NETNS();
	errors_in_batch(1);
}

/* A dump request cannot go on a request connection (no ACK comes). */
static void
test_queue_refuses(void **state)
{
	char		 buf[256];
	struct nl_conn	*c;
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	struct results	 r;
	struct res_arg	*a;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	a = results_init(&r, 1);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	assert_int_equal(nl_queue(c, nlh, done_cb, &a[0]), -1);
	assert_int_equal(errno, EINVAL);
	nlh->nlmsg_len = 8;
	assert_int_equal(nl_queue(c, nlh, done_cb, &a[0]), -1);
	assert_int_equal(errno, EINVAL);
	nl_conn_tune(c, 0, 32, 0);
	nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE, 102, dst_of(1), 32,
	    LO_IFINDEX);
	assert_int_equal(nl_queue(c, nlh, done_cb, &a[0]), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(nl_pending(c), 0);
	nl_conn_close(c);
	assert_int_equal(r.done, 0);
	results_free(&r, a);
}

/* A small window: never more in flight, sends resume as ACKs come. */
static void
test_window(void **state)
{
	struct nl_conn		*c;
	struct nl_conn_stats	 st;
	struct results		 r;
	struct res_arg		*a;
	const size_t		 n = 5000;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	nl_conn_tune(c, 0, 0, 100);
	a = results_init(&r, n);
	install(c, &r, a, RTM_NEWROUTE, 103, 0, n);
	assert_once(&r);
	assert_int_equal(r.ok, n);
	nl_conn_stats(c, &st);
	print_message("# window 100: %ju sendmsg, most in flight %zu, "
	    "%ju stalls\n", (uintmax_t)st.sends, st.max_inflight,
	    (uintmax_t)st.stalls);
	assert_int_equal(st.max_inflight, 100);
	assert_true(st.sends >= n / 100);
	assert_true(st.stalls > 0);
	assert_int_equal(count_table(103, NULL, 0), n);
	results_free(&r, a);
	nl_conn_close(c);
}

/*
 * Flow control off and a tiny receive buffer: the kernel drops ACKs.
 * Every message is still answered once, 0 or ENOBUFS, and since every
 * message was valid, all of them are in the table: ENOBUFS said
 * "processed, outcome unknown", never "not done".
 */
static void
test_lost_acks(void **state)
{
	struct nl_conn		*c;
	struct nl_conn_stats	 st;
	struct results		 r;
	struct res_arg		*a;
	const size_t		 n = 5000;
	size_t			 i, lost = 0;
	uint8_t			*seen;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	/* An ACK per message: one per batch would not overflow anything. */
	nl_conn_ack_every(c, 1);
	nl_conn_tune(c, 4096, 0, (size_t)-1);
	a = results_init(&r, n);
	install(c, &r, a, RTM_NEWROUTE, 104, 0, n);
	assert_once(&r);
	for (i = 0; i < n; i++) {
		if (r.error[i] == ENOBUFS)
			lost++;
		else
			assert_int_equal(r.error[i], 0);
	}
	nl_conn_stats(c, &st);
	print_message("# tiny buffer: %zu of %zu ACKs lost, %ju ENOBUFS\n",
	    lost, n, (uintmax_t)st.enobufs);
	assert_true(lost > 0);
	assert_true(st.enobufs > 0);
	assert_int_equal(st.lost, lost);
	assert_int_equal(st.acked + st.lost, n);
	assert_non_null(seen = calloc(n, 1));
	assert_int_equal(count_table(104, seen, n), n);
	for (i = 0; i < n; i++)
		assert_int_equal(seen[i], 1);
	free(seen);
	results_free(&r, a);
	nl_conn_close(c);
}

/* Close with requests outstanding: each callback once, ECANCELED. */
static void
test_close_pending(void **state)
{
	char		 buf[256];
	struct nl_conn	*c;
	struct nlmsghdr	*nlh;
	struct results	 r;
	struct res_arg	*a;
	size_t		 i, n = 10;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	a = results_init(&r, n);
	for (i = 0; i < n; i++) {
		nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE, 105,
		    dst_of((uint32_t)i), 32, LO_IFINDEX);
		assert_int_equal(nl_queue(c, nlh, done_cb, &a[i]), 0);
	}
	nl_flush(c);		/* sent, not ACKed: the loop has not run */
	nl_conn_close(c);
	assert_once(&r);
	for (i = 0; i < n; i++)
		assert_int_equal(r.error[i], ECANCELED);
	results_free(&r, a);
}

/*
 * Close from inside a callback: what was ACKed already (read in the same
 * recvmmsg) still gets 0, the rest ECANCELED, and nothing is used after
 * it is freed (valgrind).
 */
static void
test_close_in_callback(void **state)
{
	char		 buf[256];
	struct nl_conn	*c;
	struct nlmsghdr	*nlh;
	struct results	 r;
	struct res_arg	*a;
	size_t		 i, n = 3000;
	int		 canceled = 0;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	/* Batches of 10: the ACKs are not all read at once. */
	nl_conn_tune(c, 0, 10 * 56, 0);
	a = results_init(&r, n);
	r.close_in_cb = c;
	r.close_at = 5;
	for (i = 0; i < n; i++) {
		nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE, 106,
		    dst_of((uint32_t)i), 32, LO_IFINDEX);
		assert_int_equal(nl_queue(c, nlh, done_cb, &a[i]), 0);
	}
	nl_flush(c);
	while (r.done < n && !timed_out) {
		struct timeval	tv = { 5, 0 };

		event_loopexit(&tv);
		event_loop(EVLOOP_ONCE);
	}
	assert_once(&r);
	for (i = 0; i < n; i++) {
		if (i < 5 || r.error[i] != ECANCELED)
			assert_int_equal(r.error[i], 0);
		else
			canceled++;
		/* In sequence order: no 0 after the first ECANCELED. */
		if (i > 0 && r.error[i] == 0)
			assert_int_equal(r.error[i - 1], 0);
	}
	print_message("# closed at the 5th callback: %d of %zu canceled\n",
	    canceled, n);
	assert_true(canceled > 0);
	results_free(&r, a);
}

/* The monitor sees a route another socket adds, and a nexthop (group 32). */
static void
test_monitor(void **state)
{
	unsigned int		 groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
	    RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
	    RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE, RTNLGRP_NEXTHOP };
	char			 buf[256];
	struct nl_monitor	*m;
	struct mon_count	 mc = { .table = 107 };
	struct nlmsghdr		*nlh;
	struct nhmsg		*nhm;

	(void)state;
	NEED_NETNS();
	assert_non_null(m = nl_monitor_open(groups,
	    sizeof(groups) / sizeof(groups[0]), 0, mon_cb, mon_resync, &mc));
	mc.want_dst = dst_of(7);
	sync_ok(NETLINK_ROUTE, route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE,
	    107, dst_of(7), 32, LO_IFINDEX));
	run_until(&mc.seen_dst, 5);
	assert_int_equal(mc.newroute, 1);

	mc.seen_dst = 0;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEXTHOP;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE;
	nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nhm->nh_protocol = RTPROT_SRV6D;
	mnl_attr_put_u32(nlh, NHA_ID, 0x5d600000);
	mnl_attr_put(nlh, NHA_BLACKHOLE, 0, NULL);
	sync_ok(NETLINK_ROUTE, nlh);
	run_until(&mc.seen_dst, 5);
	assert_int_equal(mc.newnh, 1);
	assert_int_equal(mc.resyncs, 0);
	nl_monitor_close(m);
}

/*
 * With srv6d's protocol ignored, the kernel drops its route and nexthop
 * notifications before the monitor's buffer; others still come.
 */
static void
test_monitor_ignore_proto(void **state)
{
	unsigned int		 groups[] = { RTNLGRP_IPV4_ROUTE,
	    RTNLGRP_NEXTHOP };
	char			 buf[256];
	struct nl_monitor	*m;
	struct mon_count	 mc = { .table = 110 };
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;
	struct nhmsg		*nhm;
	int			 i;

	(void)state;
	NEED_NETNS();
	assert_non_null(m = nl_monitor_open(groups, 2, 0, mon_cb, mon_resync,
	    &mc));
	assert_int_equal(nl_monitor_ignore_proto(m, RTPROT_SRV6D), 0);
	/* Ours (201) first, then the same with another protocol. */
	for (i = 0; i < 2; i++) {
		nlh = route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE, 110,
		    dst_of((uint32_t)i), 32, LO_IFINDEX);
		rtm = mnl_nlmsg_get_payload(nlh);
		rtm->rtm_protocol = i == 0 ? RTPROT_SRV6D : RTPROT_STATIC;
		sync_ok(NETLINK_ROUTE, nlh);

		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_NEWNEXTHOP;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE;
		nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
		nhm->nh_family = AF_INET;
		nhm->nh_protocol = i == 0 ? RTPROT_SRV6D : RTPROT_STATIC;
		mnl_attr_put_u32(nlh, NHA_ID, 0x5d600010 + (uint32_t)i);
		mnl_attr_put(nlh, NHA_BLACKHOLE, 0, NULL);
		sync_ok(NETLINK_ROUTE, nlh);
	}
	mc.want_dst = dst_of(1);
	run_until(&mc.seen_dst, 5);
	/* The rest of what is queued, if anything (nothing should be). */
	event_loop(EVLOOP_NONBLOCK);
	assert_int_equal(mc.newroute, 1);
	assert_int_equal(mc.newnh, 1);
	nl_monitor_close(m);
}

/* A flood into a tiny monitor buffer: ENOBUFS, and resync is asked. */
static void
test_monitor_overrun(void **state)
{
	unsigned int		 groups[] = { RTNLGRP_IPV4_ROUTE };
	struct nl_conn		*c;
	struct nl_monitor	*m;
	struct mon_count	 mc = { .table = 108 };
	struct results		 r;
	struct res_arg		*a;
	const size_t		 n = 5000;

	(void)state;
	NEED_NETNS();
	assert_non_null(m = nl_monitor_open(groups, 1, 1, mon_cb, mon_resync,
	    &mc));
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	a = results_init(&r, n);
	install(c, &r, a, RTM_NEWROUTE, 108, 0, n);
	assert_int_equal(r.ok, n);
	run_until(&mc.resyncs, 5);
	print_message("# tiny monitor buffer: %zu of %zu notifications, "
	    "%d resyncs, %ju overruns\n", mc.newroute, n, mc.resyncs,
	    (uintmax_t)nl_monitor_overruns(m));
	assert_true(mc.newroute < n);
	assert_true(nl_monitor_overruns(m) > 0);
	results_free(&r, a);
	nl_conn_close(c);
	nl_monitor_close(m);
}

/* The SEG6 generic netlink family's id, 0 if the kernel has none. */
static int
genl_id_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*at;

	mnl_attr_for_each(at, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(at) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)arg = mnl_attr_get_u16(at);
	return 0;
}

static int
tunsrc_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr	*at;

	mnl_attr_for_each(at, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(at) == SEG6_ATTR_DST &&
		    mnl_attr_get_payload_len(at) == 16)
			memcpy(arg, mnl_attr_get_payload(at), 16);
	return 0;
}

static struct nlmsghdr *
genl_msg(char *buf, uint16_t family, uint8_t cmd)
{
	struct nlmsghdr		*nlh;
	struct genlmsghdr	*g;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, 256);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* The same engine on NETLINK_GENERIC: SEG6 SET_TUNSRC, good and bad. */
static void
test_generic(void **state)
{
	char		 buf[256], msg[256];
	struct nl_sync	*s;
	struct nl_conn	*c;
	struct nlmsghdr	*nlh;
	struct results	 r;
	struct res_arg	*a;
	struct in6_addr	 want, got;
	uint16_t	 family = 0;
	int		 err;

	(void)state;
	NEED_NETNS();
	assert_non_null(s = nl_sync_open(NETLINK_GENERIC));
	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SEG6_GENL_NAME);
	err = nl_dump(s, nlh, genl_id_cb, &family, msg, sizeof(msg));
	if (err == ENOENT) {
		nl_sync_close(s);
		skip();
	}
	assert_int_equal(err, 0);
	assert_int_not_equal(family, 0);

	assert_non_null(c = nl_conn_open(NETLINK_GENERIC));
	a = results_init(&r, 2);
	nl_conn_set_drained(c, drained_cb, &r);
	inet_pton(AF_INET6, "fc00:0:1::1", &want);
	nlh = genl_msg(buf, family, SEG6_CMD_SET_TUNSRC);
	mnl_attr_put(nlh, SEG6_ATTR_DST, sizeof(want), &want);
	assert_int_equal(nl_queue(c, nlh, done_cb, &a[0]), 0);
	nlh = genl_msg(buf, family, SEG6_CMD_SET_TUNSRC);	/* no DST */
	assert_int_equal(nl_queue(c, nlh, done_cb, &a[1]), 0);
	nl_flush(c);
	run_until(&r.drained, 5);
	assert_once(&r);
	print_message("# SET_TUNSRC without an address: %s: %s\n",
	    strerror(r.error[1]), r.text[1] ? r.text[1] : "(no extack)");
	assert_int_equal(r.error[0], 0);
	assert_int_equal(r.error[1], EINVAL);

	memset(&got, 0, sizeof(got));
	nlh = genl_msg(buf, family, SEG6_CMD_GET_TUNSRC);
	assert_int_equal(nl_dump(s, nlh, tunsrc_cb, &got, msg, sizeof(msg)),
	    0);
	assert_memory_equal(&got, &want, sizeof(want));
	results_free(&r, a);
	nl_conn_close(c);
	nl_sync_close(s);
}

/* A dump's errors: the kernel's (with text) and the callback's. */
static int
stop_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	return ++*(int *)arg == 3 ? ECANCELED : 0;
}

static void
test_dump_errors(void **state)
{
	char		 buf[256], msg[256];
	struct nl_sync	*s;
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	struct count	 c = { 101, 0, NULL, 0 };
	int		 n = 0;

	(void)state;
	NEED_NETNS();
	assert_non_null(s = nl_sync_open(NETLINK_ROUTE));
	/* Strict checking refuses a route dump with a prefix length. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 8;
	assert_int_equal(nl_dump(s, nlh, count_cb, NULL, msg, sizeof(msg)),
	    EINVAL);
	print_message("# strict dump refused: %s\n", msg);
	assert_true(msg[0] != '\0');

	/* The callback stops at the third of table 101's routes. */
	rtm->rtm_dst_len = 0;
	mnl_attr_put_u32(nlh, RTA_TABLE, 101);
	assert_int_equal(nl_dump(s, nlh, stop_cb, &n, msg, sizeof(msg)),
	    ECANCELED);
	assert_int_equal(n, 3);
	/* The socket is clean for the next one: all 196 of table 101. */
	assert_int_equal(nl_dump(s, nlh, count_cb, &c, msg, sizeof(msg)), 0);
	assert_int_equal(c.n, 196);
	nl_sync_close(s);
}

/* An IPv4 address on lo (RTM_NEWADDR or RTM_DELADDR). */
static struct nlmsghdr *
addr_msg(char *buf, uint16_t type, uint32_t addr)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;

	memset(buf, 0, 256);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST |
	    (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_index = LO_IFINDEX;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
	return nlh;
}

static int
count_any(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(size_t *)arg)++;
	return 0;
}

/*
 * A dump the kernel flags NLM_F_DUMP_INTR (addresses change while it
 * runs, in another process): nl_dump says EINTR, and the socket stays
 * usable.  A kernel that never flags it here is skipped, not passed.
 */
static void
test_dump_intr(void **state)
{
	char		 buf[256], msg[256];
	struct nl_conn	*c;
	struct nl_sync	*s;
	struct nlmsghdr	*nlh;
	struct ifaddrmsg *ifa;
	struct results	 r;
	struct res_arg	*a;
	const size_t	 n = 2000;
	size_t		 i, seen;
	int		 err, intr = 0, tries, status;
	pid_t		 pid;

	(void)state;
	NEED_NETNS();
	assert_non_null(c = nl_conn_open(NETLINK_ROUTE));
	a = results_init(&r, n);
	nl_conn_set_drained(c, drained_cb, &r);
	for (i = 0; i < n; i++)
		assert_int_equal(nl_queue(c, addr_msg(buf, RTM_NEWADDR,
		    htonl(0x0afe0000u + (uint32_t)i)), done_cb, &a[i]), 0);
	nl_flush(c);
	run_until(&r.drained, 20);
	assert_int_equal(r.ok, n);

	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		/* Change the addresses until killed, or the parent dies. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		s = nl_sync_open(NETLINK_ROUTE);
		for (i = 0; s != NULL && i < 2000000; i++)
			nl_dump(s, addr_msg(buf, i & 1 ? RTM_DELADDR :
			    RTM_NEWADDR, htonl(0x0afd0000u)), NULL, NULL,
			    NULL, 0);
		_exit(1);
	}
	assert_non_null(s = nl_sync_open(NETLINK_ROUTE));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	for (tries = 0; tries < 300 && intr == 0; tries++) {
		seen = 0;
		err = nl_dump(s, nlh, count_any, &seen, msg, sizeof(msg));
		if (err == EINTR)
			intr++;
		else
			assert_int_equal(err, 0);
		assert_true(seen >= n);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	print_message("# NLM_F_DUMP_INTR after %d address dumps\n", tries);
	/* Quiet now: a dump is consistent again. */
	seen = 0;
	assert_int_equal(nl_dump(s, nlh, count_any, &seen, msg, sizeof(msg)),
	    0);
	assert_true(seen >= n);
	nl_sync_close(s);
	results_free(&r, a);
	nl_conn_close(c);
	if (intr == 0)
		skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_100k_routes),
		cmocka_unit_test(test_errors_in_batch),
		cmocka_unit_test(test_errors_ack_every),
		cmocka_unit_test(test_queue_refuses),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_lost_acks),
		cmocka_unit_test(test_close_pending),
		cmocka_unit_test(test_close_in_callback),
		cmocka_unit_test(test_monitor),
		cmocka_unit_test(test_monitor_ignore_proto),
		cmocka_unit_test(test_monitor_overrun),
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_dump_errors),
		cmocka_unit_test(test_dump_intr),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
