/*
 * rde.c and rde_show.c: the RDE as the other processes see it, over real
 * imsg channels.  A configuration from the "parent", a session and its
 * UPDATEs from the "SE", then the show rib and show neighbor replies:
 * their wire format, the request flags, a chunked dump of a big table, a
 * dump stopped by IMSG_CTL_TERMINATE, and a session going down.  Then
 * the VPN views: a VPN RIB with two RDs and a VRF's Loc-RIB filled by
 * hand, show vrf, show sid and show locator; show sid's one request
 * for the kernel's counters to the parent, answered in chunks, for two
 * clients at once, and for a client that left meanwhile.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde.h"
#include "rde_out.h"
#include "rde_show.h"

#define CTL_ID		77

static struct imsgbuf	 parent, se;
static struct event_base *base;

static void
pump(void)
{
	int	i;

	for (i = 0; i < 20; i++)
		event_loop(EVLOOP_NONBLOCK);
}

/* The next imsg on ib, running the RDE until one comes. */
static void
next(struct imsgbuf *ib, struct imsg *imsg)
{
	int	i;

	for (i = 0; i < 5000; i++) {
		if (imsg_get(ib, imsg) > 0) {
			/* the outbound side's and the FIB's traffic: other
			   tests check it */
			if (imsg->hdr.type == IMSG_UPDATE ||
			    imsg->hdr.type == IMSG_SESSION_EOR_SENT ||
			    imsg->hdr.type == IMSG_FIB_ROUTES ||
			    imsg->hdr.type == IMSG_FIB_SIDS) {
				imsg_free(imsg);
				continue;
			}
			return;
		}
		pump();
		if (imsgbuf_read(ib) == 0)
			fail_msg("RDE closed the channel");
		if (i > 10)
			usleep(1000);	/* a dump waits for the SE to read */
	}
	fail_msg("no reply from the RDE");
}

static void
send_se(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	assert_int_equal(imsg_compose(&se, type, peerid, 0, -1, data, len),
	    0);
	assert_int_equal(imsgbuf_flush(&se), 0);
	pump();
}

static rd_t
rd(const char *s)
{
	rd_t	v;

	assert_int_equal(str2rd(s, &v), 0);
	return v;
}

/* A locator "main" and a VRF "red" (table 10, RD 65001:10). */
static void
config_add_vpn(struct srv6d_config *c)
{
	struct locator_config	 lc;
	struct vrf_config	*vc = vrf_config_new();
	ext_community_t		 rt;

	memset(&lc, 0, sizeof(lc));
	strlcpy(lc.name, "main", sizeof(lc.name));
	assert_int_equal(str2prefix("fc00:0:1::/48", &lc.prefix), 0);
	lc.block_len = 32;
	lc.node_len = 16;
	lc.func_len = 16;
	assert_int_equal(config_add_locator(c, &lc), 0);
	strlcpy(vc->name, "red", sizeof(vc->name));
	vc->table = 10;
	vc->rd = rd("65001:10");
	vc->sid_mode = VRF_SID_AUTO;
	assert_int_equal(str2rt("65000:10", &rt), 0);
	assert_int_equal(vrf_add_import_rt(vc, rt), 0);
	assert_int_equal(str2rt("65001:10", &rt), 0);
	assert_int_equal(vrf_add_export_rt(vc, rt), 0);
	assert_int_equal(vrf_add_iface(vc, "veth-red"), 0);
	TAILQ_INSERT_TAIL(&c->vrfs, vc, entry);
}

static void
send_config_full(enum filter_action action, bool vpn)
{
	struct srv6d_config	*c = config_new();
	struct neighbor_config	*nc = neighbor_config_new();
	struct filter_rule	*r = filter_rule_new();
	struct imsg		 imsg;

	c->as = 65000;
	inet_pton(AF_INET, "192.0.2.254", &c->router_id);
	str2addr("10.0.0.1", &nc->addr);
	nc->remote_as = 65001;
	nc->id = 1;
	TAILQ_INSERT_TAIL(&c->neighbors, nc, entry);
	r->action = action;
	TAILQ_INSERT_TAIL(&c->filters, r, entry);
	if (vpn)
		config_add_vpn(c);
	assert_int_equal(config_send(&parent, c), 0);
	assert_int_equal(imsgbuf_flush(&parent), 0);
	next(&parent, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_RECONF_DONE);
	imsg_free(&imsg);
	config_free(c);
}

static void
send_config_action(enum filter_action action)
{
	send_config_full(action, false);
}

static void
send_config(void)
{
	send_config_action(FILTER_ALLOW);
}

static void
session_up(void)
{
	struct session_up	su;

	memset(&su, 0, sizeof(su));
	str2addr("10.0.0.1", &su.remote_addr);
	str2addr("10.0.0.2", &su.local_addr);
	inet_pton(AF_INET, "1.1.1.1", &su.remote_id);
	su.remote_as = 65001;
	su.capa = CAPA_AS4;
	su.afs = AFS_IPV4_UNICAST;
	su.ebgp = 1;
	send_se(IMSG_SESSION_UP, 1, &su, sizeof(su));
}

/* An UPDATE for n /24s from 20.0.0.0 on, path 65001 65002, 1 community. */
static void
announce(uint32_t first, uint32_t n)
{
	static const uint8_t	 attrs[] = {
		0x40, 1, 1, 0,
		0x40, 2, 10, 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea,
		0x40, 3, 4, 10, 0, 0, 1,
		0xc0, 8, 4, 0xfd, 0xe9, 0, 7,
	};
	uint8_t			 m[4096], *p;
	uint32_t		 i, a;

	assert_true(n <= 1000);
	memset(m, 0xff, 16);
	m[18] = BGP_UPDATE;
	p = m + 19;
	*p++ = 0, *p++ = 0;
	*p++ = 0, *p++ = sizeof(attrs);
	memcpy(p, attrs, sizeof(attrs));
	p += sizeof(attrs);
	for (i = 0; i < n; i++) {
		a = htonl(0x14000000 + ((first + i) << 8));
		*p++ = 24;
		memcpy(p, &a, 3);
		p += 3;
	}
	m[16] = (p - m) >> 8;
	m[17] = (p - m) & 0xff;
	send_se(IMSG_UPDATE, 1, m, p - m);
}

/* Count the replies to a show rib request; check the first one. */
static size_t
show_rib(const struct ctl_rib_request *req, struct ctl_show_rib *first,
    uint32_t *words)
{
	struct imsg	imsg;
	size_t		n = 0, len;

	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, req, sizeof(*req));
	for (;;) {
		next(&se, &imsg);
		assert_int_equal(imsg.hdr.peerid, CTL_ID);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			return n;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			imsg_free(&imsg);
			continue;
		}
		assert_int_equal(imsg.hdr.type, IMSG_CTL_SHOW_RIB);
		len = imsg_get_len(&imsg);
		assert_true(len >= sizeof(*first));
		if (n++ == 0 && first != NULL) {
			memcpy(first, ibuf_data(&imsg.buf), sizeof(*first));
			memcpy(words, (const uint8_t *)ibuf_data(&imsg.buf) +
			    sizeof(*first), len - sizeof(*first));
		}
		imsg_free(&imsg);
	}
}

static int
setup(void **state)
{
	int	p[2], s[2];

	(void)state;
	base = event_init();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(s[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fcntl(s[1], F_SETFL, O_NONBLOCK);
	imsgbuf_init(&parent, p[0]);
	imsgbuf_init(&se, s[0]);
	rde_init(p[1], s[1]);
	send_config();
	session_up();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rde_shutdown();
	imsgbuf_clear(&parent);
	imsgbuf_clear(&se);
	close(parent.fd);
	close(se.fd);
	event_base_free(base);
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	return 0;
}

static void
test_show_rib(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_show_rib	 r;
	uint32_t		 w[64];

	(void)state;
	announce(0, 3);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_string_equal(addr2str(&r.neighbor), "10.0.0.1");
	assert_string_equal(addr2str(&r.nexthop), "10.0.0.1");
	assert_int_equal(r.neighbor_id.s_addr, htonl(0x01010101));
	assert_int_equal(r.flags, RIB_F_BEST | RIB_F_ELIGIBLE);
	assert_int_equal(r.localpref, 100);
	assert_int_equal(r.n_aspath, 3);
	assert_int_equal(r.n_communities, 1);
	assert_int_equal(w[0], BGP_AS_SEQUENCE << 16 | 2);
	assert_int_equal(w[1], 65001);
	assert_int_equal(w[2], 65002);
	assert_int_equal(w[3], 65001U << 16 | 7);
	assert_int_equal(r.prefix.len, 24);
	/* one prefix, exact; an address finds its covering prefix */
	req.flags = RIB_REQ_PREFIX;
	str2prefix("20.0.1.0/24", &req.prefix);
	assert_int_equal(show_rib(&req, &r, w), 1);
	assert_string_equal(prefix2str(&r.prefix), "20.0.1.0/24");
	str2prefix("20.0.2.77/32", &req.prefix);
	assert_int_equal(show_rib(&req, &r, w), 1);
	assert_string_equal(prefix2str(&r.prefix), "20.0.2.0/24");
	/* more specifics of 20.0.0.0/23 */
	req.flags = RIB_REQ_PREFIX | RIB_REQ_LONGER;
	str2prefix("20.0.0.0/23", &req.prefix);
	assert_int_equal(show_rib(&req, NULL, NULL), 2);
	/* IPv6 only: nothing */
	memset(&req, 0, sizeof(req));
	req.afs = AFS_IPV6_UNICAST;
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	/* a neighbor we do not know: a result, then END */
	req.afs = 0;
	req.flags = RIB_REQ_NEIGHBOR;
	str2addr("10.9.9.9", &req.neighbor);
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	str2addr("10.0.0.1", &req.neighbor);
	req.flags = RIB_REQ_NEIGHBOR | RIB_REQ_IN | RIB_REQ_BEST;
	assert_int_equal(show_rib(&req, NULL, NULL), 3);
}

static void
test_show_neighbor(void **state)
{
	struct ctl_show_neighbor	 n;
	struct imsg			 imsg;

	(void)state;
	announce(0, 5);
	memset(&n, 0, sizeof(n));
	str2addr("10.0.0.1", &n.addr);
	n.remote_as = 65001;
	send_se(IMSG_CTL_SHOW_NEIGHBOR, CTL_ID, &n, sizeof(n));
	send_se(IMSG_CTL_END, CTL_ID, NULL, 0);
	next(&se, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_CTL_SHOW_NEIGHBOR);
	assert_int_equal(imsg.hdr.peerid, CTL_ID);
	assert_int_equal(imsg_get_data(&imsg, &n, sizeof(n)), 0);
	assert_int_equal(n.prefixes_received, 5);
	assert_int_equal(n.prefixes_accepted, 5);
	assert_int_equal(n.prefixes_best, 5);
	assert_int_equal(n.remote_as, 65001);
	imsg_free(&imsg);
	next(&se, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_CTL_END);
	imsg_free(&imsg);
}

static void
test_big_dump_and_down(void **state)
{
	struct ctl_rib_request	 req;
	struct imsg		 imsg;
	uint32_t		 i;

	(void)state;
	for (i = 0; i < 5000; i += 1000)
		announce(i, 1000);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, NULL, NULL), 5000);
	/* a dump stopped by its client: no END comes */
	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, &req, sizeof(req));
	send_se(IMSG_CTL_TERMINATE, CTL_ID, NULL, 0);
	req.flags = RIB_REQ_PREFIX;
	str2prefix("30.0.0.0/8", &req.prefix);
	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, &req, sizeof(req));
	for (i = 0;; i++) {
		next(&se, &imsg);
		if (imsg.hdr.type == IMSG_CTL_END)
			break;
		imsg_free(&imsg);
	}
	/* the only END is the one of the next request */
	imsg_free(&imsg);
	assert_true(i < 5000);
	memset(&req, 0, sizeof(req));
	send_se(IMSG_SESSION_DOWN, 1, NULL, 0);
	assert_int_equal(rde_rib_paths(), 0);
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
}

/* A reload with other filters applies them to what was received. */
static void
test_reload_refilter(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_show_rib	 r;
	uint32_t		 w[64];

	(void)state;
	announce(0, 3);
	send_config_action(FILTER_DENY);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	req.flags = RIB_REQ_IN;
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_int_equal(r.flags, RIB_F_FILTERED);
	send_config();
	req.flags = RIB_REQ_BEST;
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_int_equal(r.flags, RIB_F_BEST | RIB_F_ELIGIBLE);
}

/* ------------------------------------------------------------------ */
/* VPN RIBs, VRFs, SIDs, locators                                      */

#define MAXPATHS	16

/* Every reply to a show rib request; *code: the last result, or -1. */
static size_t
show_rib_all(const struct ctl_rib_request *req, struct ctl_show_rib *out,
    int *code)
{
	struct imsg		imsg;
	struct ctl_result	res;
	size_t			n = 0;

	*code = -1;
	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, req, sizeof(*req));
	for (;;) {
		next(&se, &imsg);
		assert_int_equal(imsg.hdr.peerid, CTL_ID);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			return n;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			assert_true(imsg_get_len(&imsg) > sizeof(res));
			memcpy(&res, ibuf_data(&imsg.buf), sizeof(res));
			*code = res.code;
			imsg_free(&imsg);
			continue;
		}
		assert_int_equal(imsg.hdr.type, IMSG_CTL_SHOW_RIB);
		assert_true(imsg_get_len(&imsg) >= sizeof(*out));
		if (n < MAXPATHS)
			memcpy(&out[n], ibuf_data(&imsg.buf), sizeof(*out));
		n++;
		imsg_free(&imsg);
	}
}

/* Attributes of a VPN route: next hop (NULL: ours), label, SRv6 SID. */
static struct rde_attrs *
vpn_attrs(const char *nexthop, uint32_t label, const char *sid,
    uint16_t behavior)
{
	struct rde_attrs	t;

	rde_attrs_template(&t);
	if (nexthop != NULL)
		assert_int_equal(str2addr(nexthop, &t.nexthop), 0);
	t.label = label;
	if (sid != NULL) {
		t.has_srv6 = 1;
		assert_int_equal(inet_pton(AF_INET6, sid, &t.srv6.sid), 1);
		t.srv6.behavior = behavior;
		t.srv6.has_structure = 1;
		t.srv6.st = (struct srv6_sid_structure){ 40, 24, 16, 0, 16,
		    64 };
	}
	return rde_attrs_intern(&t);
}

/* A path from neighbor 1 in a VPN table, for (rd, prefix). */
static void
vpn_add(enum rde_aid aid, const char *rds, const char *prefix,
    struct rde_attrs *a)
{
	struct srv6d_prefix	p;
	uint8_t			key[RDE_KEY_MAX];

	assert_int_equal(str2prefix(prefix, &p), 0);
	rde_key_make(aid, rd(rds), &p, key);
	rde_rib_update(&rde_tables[aid], rde_peer_find(1), key, p.len, a, a);
}

/*
 * RD 65000:10: 10.0.0.0/8, 10.1.0.0/24 (opaque behaviour) and
 * 10.2.0.0/16 (no SID); RD 65000:20: 10.1.0.0/24 (End.DT4).
 */
static void
vpn_fill(void)
{
	struct rde_attrs	*a1, *a2, *a3;

	a1 = vpn_attrs("10.0.0.1", 8192, "fc00:0:2:2:200::", 0xffff);
	a2 = vpn_attrs("10.0.0.1", 4096, "fc00:0:2:2:100::",
	    SRV6_BEHAVIOR_END_DT4);
	a3 = vpn_attrs("10.0.0.1", 3, NULL, 0);
	vpn_add(AID_VPNV4, "65000:10", "10.0.0.0/8", a1);
	vpn_add(AID_VPNV4, "65000:10", "10.1.0.0/24", a1);
	vpn_add(AID_VPNV4, "65000:10", "10.2.0.0/16", a3);
	vpn_add(AID_VPNV4, "65000:20", "10.1.0.0/24", a2);
	rde_attrs_unref(a1);
	rde_attrs_unref(a2);
	rde_attrs_unref(a3);
}

static const struct ctl_show_rib *
find_path(const struct ctl_show_rib *r, size_t n, const char *rds,
    const char *prefix)
{
	size_t	i;

	for (i = 0; i < n && i < MAXPATHS; i++)
		if (r[i].rd == rd(rds) &&
		    strcmp(prefix2str(&r[i].prefix), prefix) == 0)
			return &r[i];
	fail_msg("no path %s %s among %zu", rds, prefix, n);
	return NULL;
}

static void
test_show_vpn_rib(void **state)
{
	struct ctl_rib_request		 req;
	struct ctl_show_rib		 r[MAXPATHS];
	const struct ctl_show_rib	*p;
	struct in6_addr			 sid;
	int				 code;

	(void)state;
	vpn_fill();
	memset(&req, 0, sizeof(req));
	req.afs = AFS_VPNV4;
	assert_int_equal(show_rib_all(&req, r, &code), 4);
	assert_int_equal(code, -1);
	p = find_path(r, 4, "65000:10", "10.1.0.0/24");
	assert_int_equal(p->afs, AFS_VPNV4);
	assert_string_equal(p->vrf, "");
	assert_int_equal(p->label, 8192);
	assert_int_equal(p->has_sid, 1);
	inet_pton(AF_INET6, "fc00:0:2:2:200::", &sid);
	assert_memory_equal(&p->sid, &sid, sizeof(sid));
	assert_int_equal(p->behavior, 0xffff);
	assert_memory_equal(p->structure, ((uint8_t[6]){ 40, 24, 16, 0, 16,
	    64 }), 6);
	assert_string_equal(addr2str(&p->neighbor), "10.0.0.1");
	assert_int_equal(p->flags, RIB_F_BEST | RIB_F_ELIGIBLE);
	p = find_path(r, 4, "65000:20", "10.1.0.0/24");
	assert_int_equal(p->behavior, SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(p->label, 4096);
	/* a VPN route without a SID: shown, marked */
	p = find_path(r, 4, "65000:10", "10.2.0.0/16");
	assert_int_equal(p->has_sid, 0);
	assert_true(p->flags & RIB_F_NOSID);
	/* every family: the same four, no unicast route yet */
	req.afs = 0;
	assert_int_equal(show_rib_all(&req, r, &code), 4);
	req.afs = AFS_VPNV6;
	assert_int_equal(show_rib_all(&req, r, &code), 0);
}

static void
test_show_vpn_rd_prefix(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_show_rib	 r[MAXPATHS];
	int			 code;

	(void)state;
	vpn_fill();
	memset(&req, 0, sizeof(req));
	req.afs = AFS_VPNV4;
	req.flags = RIB_REQ_RD;
	req.rd = rd("65000:10");
	assert_int_equal(show_rib_all(&req, r, &code), 3);
	req.rd = rd("65000:20");
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	req.rd = rd("65000:30");
	assert_int_equal(show_rib_all(&req, r, &code), 0);
	/* an RD and an address: that RD's longest match, looked up */
	req.flags = RIB_REQ_RD | RIB_REQ_PREFIX;
	req.rd = rd("65000:10");
	str2prefix("10.1.0.77/32", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	assert_string_equal(prefix2str(&r[0].prefix), "10.1.0.0/24");
	assert_true(r[0].rd == rd("65000:10"));
	str2prefix("10.9.0.1/32", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	assert_string_equal(prefix2str(&r[0].prefix), "10.0.0.0/8");
	req.rd = rd("65000:20");
	assert_int_equal(show_rib_all(&req, r, &code), 0);
	/* no RD: each RD's longest match */
	req.flags = RIB_REQ_PREFIX;
	req.rd = 0;
	str2prefix("10.1.0.77/32", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 2);
	assert_string_equal(prefix2str(&r[0].prefix), "10.1.0.0/24");
	assert_string_equal(prefix2str(&r[1].prefix), "10.1.0.0/24");
	assert_true(r[0].rd != r[1].rd);
	str2prefix("10.2.0.0/16", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	(void)find_path(r, 1, "65000:10", "10.2.0.0/16");
	/* RD 65000:20 has nothing that covers 10.1.5.0/24 */
	str2prefix("10.1.5.0/24", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	(void)find_path(r, 1, "65000:10", "10.0.0.0/8");
	/* more specifics, in one RD or in all */
	req.flags = RIB_REQ_PREFIX | RIB_REQ_LONGER | RIB_REQ_RD;
	req.rd = rd("65000:10");
	str2prefix("10.0.0.0/8", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 3);
	req.flags = RIB_REQ_PREFIX | RIB_REQ_LONGER;
	str2prefix("10.1.0.0/16", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 2);
	/* an RD asks for VPN routes only, even without a family */
	announce(0, 3);
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_RD;
	req.rd = rd("65000:20");
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	req.flags = 0;
	assert_int_equal(show_rib_all(&req, r, &code), 7);
}

/* show rib out for a VPN family: what the neighbor gets, with RDs. */
static void
test_show_vpn_out(void **state)
{
	struct ctl_rib_request		 req;
	struct ctl_show_rib		 r[MAXPATHS];
	const struct ctl_show_rib	*p;
	struct session_up		 su;
	struct rde_attrs		*a;
	struct srv6d_prefix		 pfx;
	uint8_t				 key[RDE_KEY_MAX];
	int				 code, i;

	(void)state;
	/* the session again, now with VPN-IPv4, as iBGP (RFC 8212 would
	   keep our routes from an eBGP neighbor without an out filter) */
	memset(&su, 0, sizeof(su));
	str2addr("10.0.0.1", &su.remote_addr);
	str2addr("10.0.0.2", &su.local_addr);
	inet_pton(AF_INET, "1.1.1.1", &su.remote_id);
	su.remote_as = 65001;
	su.capa = CAPA_AS4;
	su.afs = AFS_IPV4_UNICAST | AFS_VPNV4;
	su.remote_as = 65000;
	su.ebgp = 0;
	send_se(IMSG_SESSION_UP, 1, &su, sizeof(su));
	/* our own VPN routes in two RDs */
	a = vpn_attrs(NULL, 0, "fc00:0:1:e000::", SRV6_BEHAVIOR_END_DT4);
	for (i = 0; i < 2; i++) {
		assert_int_equal(str2prefix("10.7.0.0/24", &pfx), 0);
		rde_key_make(AID_VPNV4, rd(i ? "65000:2" : "65000:1"), &pfx,
		    key);
		rde_rib_update(&rde_tables[AID_VPNV4], &rde_peer_self, key, 24,
		    a, a);
	}
	rde_attrs_unref(a);
	rde_out_flush();
	pump();
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_OUT | RIB_REQ_NEIGHBOR;
	req.afs = AFS_VPNV4;
	str2addr("10.0.0.1", &req.neighbor);
	assert_int_equal(show_rib_all(&req, r, &code), 2);
	p = find_path(r, 2, "65000:2", "10.7.0.0/24");
	assert_int_equal(p->afs, AFS_VPNV4);
	assert_int_equal(p->has_sid, 1);
	(void)find_path(r, 2, "65000:1", "10.7.0.0/24");
	req.flags |= RIB_REQ_RD;
	req.rd = rd("65000:1");
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	assert_true(r[0].rd == rd("65000:1"));
}

/* The VRF's IPv4 Loc-RIB: the lead's rde_vrf.c makes it, or we do. */
static struct rde_table *
vrf_table(struct rde_vrf **vp, bool *made)
{
	struct rde_vrf	*v;

	assert_non_null(v = rde_vrf_find(&rde_vrfs, "red"));
	*vp = v;
	*made = false;
	if (v->tables[0] == NULL) {
		v->tables[0] = rde_table_new(AID_IPV4, v);
		*made = true;
	}
	return v->tables[0];
}

static void
vrf_table_done(struct rde_vrf *v, bool made)
{
	if (!made)
		return;
	rde_table_flush(v->tables[0]);
	rde_table_free(v->tables[0]);
	v->tables[0] = NULL;
}

static void
vrf_add(struct rde_table *t, struct rde_peer *peer, const char *rds,
    const char *prefix, struct rde_attrs *a)
{
	struct srv6d_prefix	p;
	uint8_t			key[RDE_KEY_MAX];

	assert_int_equal(str2prefix(prefix, &p), 0);
	rde_key_make(AID_IPV4, 0, &p, key);
	rde_rib_update_rd(t, peer, rds != NULL ? rd(rds) : 0, key, p.len, a,
	    a);
}

static void
setup_vpn_config(void)
{
	uint32_t	mode = KERNEL_MODE_TABLE;

	assert_int_equal(imsg_compose(&parent, IMSG_KERNEL_MODE, 0, 0, -1,
	    &mode, sizeof(mode)), 0);
	assert_int_equal(imsgbuf_flush(&parent), 0);
	pump();
	send_config_full(FILTER_ALLOW, true);
}

static void
test_show_vrf_rib(void **state)
{
	struct ctl_rib_request		 req;
	struct ctl_show_rib		 r[MAXPATHS];
	const struct ctl_show_rib	*p;
	struct rde_vrf			*v;
	struct rde_table		*t;
	struct rde_attrs		*imp, *imp2, *loc;
	struct rde_attrs		 tmpl;
	bool				 made;
	int				 code;

	(void)state;
	setup_vpn_config();
	t = vrf_table(&v, &made);
	imp = vpn_attrs("10.0.0.1", 4096, "fc00:0:2:2:100::", 0xffff);
	imp2 = vpn_attrs("10.0.0.1", 3, NULL, 0);
	rde_attrs_template(&tmpl);
	loc = rde_attrs_intern(&tmpl);
	/* two PEs' routes for one prefix (two RDs), one without a SID */
	vrf_add(t, rde_peer_find(1), "65000:10", "10.1.0.0/24", imp);
	vrf_add(t, rde_peer_find(1), "65000:11", "10.1.0.0/24", imp2);
	vrf_add(t, &rde_peer_self, NULL, "10.200.0.0/24", loc);
	rde_attrs_unref(imp);
	rde_attrs_unref(imp2);
	rde_attrs_unref(loc);

	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_VRF;
	strlcpy(req.vrf, "red", sizeof(req.vrf));
	assert_int_equal(show_rib_all(&req, r, &code), 3);
	assert_int_equal(code, -1);
	p = find_path(r, 3, "65000:10", "10.1.0.0/24");
	assert_string_equal(p->vrf, "red");
	assert_int_equal(p->afs, AFS_IPV4_UNICAST);
	assert_int_equal(p->label, 4096);
	assert_int_equal(p->has_sid, 1);
	assert_int_equal(p->behavior, 0xffff);
	assert_int_equal(p->flags, RIB_F_BEST | RIB_F_ELIGIBLE |
	    RIB_F_IMPORTED);
	p = find_path(r, 3, "65000:11", "10.1.0.0/24");
	assert_int_equal(p->flags, RIB_F_IMPORTED | RIB_F_NOSID);
	p = find_path(r, 3, "0:0", "10.200.0.0/24");
	assert_int_equal(p->flags, RIB_F_BEST | RIB_F_ELIGIBLE | RIB_F_LOCAL);
	/* the VRF's own route shows the SID it is exported with: table
	 * mode, IPv4, so End.DX4 for the attached network */
	assert_int_equal(p->has_sid, 1);
	assert_int_equal(p->behavior, SRV6_BEHAVIOR_END_DX4);
	assert_int_equal(p->neighbor.af, AF_UNSPEC);

	/* best only; one source RD; a prefix (looked up); IPv6 only */
	req.flags = RIB_REQ_VRF | RIB_REQ_BEST;
	assert_int_equal(show_rib_all(&req, r, &code), 2);
	req.flags = RIB_REQ_VRF | RIB_REQ_RD;
	req.rd = rd("65000:11");
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	assert_true(r[0].rd == rd("65000:11"));
	req.flags = RIB_REQ_VRF | RIB_REQ_PREFIX;
	str2prefix("10.200.0.9/32", &req.prefix);
	assert_int_equal(show_rib_all(&req, r, &code), 1);
	assert_string_equal(prefix2str(&r[0].prefix), "10.200.0.0/24");
	req.flags = RIB_REQ_VRF;
	req.afs = AFS_IPV6_UNICAST;
	assert_int_equal(show_rib_all(&req, r, &code), 0);
	/* the VRF's routes are not in the global tables */
	memset(&req, 0, sizeof(req));
	req.afs = AFS_IPV4_UNICAST;
	assert_int_equal(show_rib_all(&req, r, &code), 0);
	/* a VRF that does not exist */
	req.flags = RIB_REQ_VRF;
	strlcpy(req.vrf, "blue", sizeof(req.vrf));
	assert_int_equal(show_rib_all(&req, r, &code), 0);
	assert_int_equal(code, CTL_RES_NOSUCH);
	vrf_table_done(v, made);
}

/* A VRF table freed in the middle of a dump ends the dump there. */
static void
test_show_vrf_table_gone(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_result	 res;
	struct imsg		 imsg;
	struct rde_vrf		*v;
	struct rde_table	*t;
	struct rde_attrs	*loc, tmpl;
	struct srv6d_prefix	 p;
	uint8_t			 key[RDE_KEY_MAX];
	uint32_t		 i, n = 0;
	bool			 made;
	int			 code = -1;

	(void)state;
	setup_vpn_config();
	t = vrf_table(&v, &made);
	rde_attrs_template(&tmpl);
	loc = rde_attrs_intern(&tmpl);
	for (i = 0; i < 5000; i++) {
		p.addr.af = AF_INET;
		p.addr.v4.s_addr = htonl(0x1e000000 + (i << 8));
		p.len = 24;
		rde_key_make(AID_IPV4, 0, &p, key);
		rde_rib_update_rd(t, &rde_peer_self, 0, key, 24, loc, loc);
	}
	rde_attrs_unref(loc);
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_VRF;
	strlcpy(req.vrf, "red", sizeof(req.vrf));
	/* the request and one turn of the RDE: a first chunk */
	assert_int_equal(imsg_compose(&se, IMSG_CTL_SHOW_RIB, CTL_ID, 0, -1,
	    &req, sizeof(req)), 0);
	assert_int_equal(imsgbuf_flush(&se), 0);
	event_loop(EVLOOP_NONBLOCK | EVLOOP_ONCE);
	rde_show_table_gone(t);
	for (;;) {
		next(&se, &imsg);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			break;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			memcpy(&res, ibuf_data(&imsg.buf), sizeof(res));
			code = res.code;
		} else
			n++;
		imsg_free(&imsg);
	}
	assert_int_equal(code, CTL_RES_FAILED);
	assert_true(n > 0 && n < 5000);
	/* nothing more comes for that dump */
	pump();
	assert_int_equal(imsgbuf_read(&se), -1);
	assert_int_equal(errno, EAGAIN);
	vrf_table_done(v, made);
}

/* A VRF whose table went without rde_show_table_gone: the dump stops. */
static void
test_show_vrf_table_swapped(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_result	 res;
	struct imsg		 imsg;
	struct rde_vrf		*v;
	struct rde_table	*t;
	struct rde_attrs	*loc, tmpl;
	struct srv6d_prefix	 p;
	uint8_t			 key[RDE_KEY_MAX];
	uint32_t		 i, n = 0;
	bool			 made;
	int			 code = -1;

	(void)state;
	setup_vpn_config();
	t = vrf_table(&v, &made);
	rde_attrs_template(&tmpl);
	loc = rde_attrs_intern(&tmpl);
	for (i = 0; i < 3000; i++) {
		p.addr.af = AF_INET;
		p.addr.v4.s_addr = htonl(0x1f000000 + (i << 8));
		p.len = 24;
		rde_key_make(AID_IPV4, 0, &p, key);
		rde_rib_update_rd(t, &rde_peer_self, 0, key, 24, loc, loc);
	}
	rde_attrs_unref(loc);
	memset(&req, 0, sizeof(req));
	req.flags = RIB_REQ_VRF;
	strlcpy(req.vrf, "red", sizeof(req.vrf));
	assert_int_equal(imsg_compose(&se, IMSG_CTL_SHOW_RIB, CTL_ID, 0, -1,
	    &req, sizeof(req)), 0);
	assert_int_equal(imsgbuf_flush(&se), 0);
	event_loop(EVLOOP_NONBLOCK | EVLOOP_ONCE);
	/* the VRF's table is another one now (as after a teardown) */
	v->tables[0] = NULL;
	for (;;) {
		next(&se, &imsg);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			break;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			memcpy(&res, ibuf_data(&imsg.buf), sizeof(res));
			code = res.code;
		} else
			n++;
		imsg_free(&imsg);
	}
	v->tables[0] = t;
	/* the dump left the table without ending its walk: as if freed */
	t->walkers = 0;
	assert_int_equal(code, CTL_RES_FAILED);
	assert_true(n > 0 && n < 3000);
	vrf_table_done(v, made);
}

/*
 * The parent's side of show sid: the RDE's one IMSG_FIB_COUNTERS request
 * for client ctl_id, which must be the next thing on the channel.
 */
static void
parent_counters_request(uint32_t ctl_id)
{
	struct imsg	imsg;

	next(&parent, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_FIB_COUNTERS);
	assert_int_equal(imsg.hdr.peerid, ctl_id);
	assert_int_equal(imsg_get_len(&imsg), 0);
	imsg_free(&imsg);
}

/* The answer: n records in chunks of `chunk', then the empty end. */
static void
parent_counters_reply(uint32_t ctl_id, const struct fib_sid_counter *c,
    size_t n, size_t chunk)
{
	size_t	i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < chunk ? n - i : chunk;
		assert_int_equal(imsg_compose(&parent, IMSG_FIB_COUNTERS,
		    ctl_id, 0, -1, c + i, k * sizeof(*c)), 0);
	}
	assert_int_equal(imsg_compose(&parent, IMSG_FIB_COUNTERS, ctl_id, 0,
	    -1, NULL, 0), 0);
	assert_int_equal(imsgbuf_flush(&parent), 0);
	pump();
}

/* Collect replies for ctl_id until its END; none for another client. */
static size_t
show_replies(uint32_t type, uint32_t ctl_id, void *out, size_t size,
    size_t max, int *code)
{
	struct imsg		imsg;
	struct ctl_result	res;
	size_t			n = 0;

	*code = -1;
	for (;;) {
		next(&se, &imsg);
		assert_int_equal(imsg.hdr.peerid, ctl_id);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			return n;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			memcpy(&res, ibuf_data(&imsg.buf), sizeof(res));
			*code = res.code;
			imsg_free(&imsg);
			continue;
		}
		assert_int_equal(imsg.hdr.type, type);
		if (n < max) {
			assert_true(imsg_get_len(&imsg) <= size);
			memset((uint8_t *)out + n * size, 0, size);
			memcpy((uint8_t *)out + n * size, ibuf_data(&imsg.buf),
			    imsg_get_len(&imsg));
		}
		n++;
		imsg_free(&imsg);
	}
}

/*
 * Request and collect the replies of a show vrf / sid / locator; show
 * sid's counters request is answered with none.
 */
static size_t
show_items(uint32_t type, const void *data, size_t len, void *out,
    size_t size, size_t max, int *code)
{
	send_se(type, CTL_ID, data, len);
	if (type == IMSG_CTL_SHOW_SID) {
		parent_counters_request(CTL_ID);
		parent_counters_reply(CTL_ID, NULL, 0, 1);
	}
	return show_replies(type, CTL_ID, out, size, max, code);
}

#define VRF_REPLY_MAX	4096

static void
test_show_vrf_sid_locator(void **state)
{
	static uint8_t			 buf[2][VRF_REPLY_MAX];
	struct ctl_show_vrf		 sv;
	struct ctl_show_sid		 sids[MAXPATHS], *s;
	struct ctl_show_locator		 loc;
	struct rde_vrf			*v;
	struct rde_table		*t;
	struct rde_attrs		*a, tmpl;
	ext_community_t			 rts[2], want;
	const uint8_t			*q;
	size_t				 nsid, i, off;
	bool				 made;
	int				 code;

	(void)state;
	setup_vpn_config();
	t = vrf_table(&v, &made);
	rde_attrs_template(&tmpl);
	a = rde_attrs_intern(&tmpl);
	vrf_add(t, &rde_peer_self, NULL, "10.200.0.0/24", a);
	vrf_add(t, &rde_peer_self, NULL, "10.201.0.0/24", a);
	rde_attrs_unref(a);

	assert_int_equal(show_items(IMSG_CTL_SHOW_VRF, NULL, 0, buf,
	    VRF_REPLY_MAX, 2, &code), 1);
	assert_int_equal(code, -1);
	memcpy(&sv, buf[0], sizeof(sv));
	assert_string_equal(sv.name, "red");
	assert_int_equal(sv.table, 10);
	assert_true(sv.rd == rd("65001:10"));
	assert_string_equal(sv.kernel_mode, "table");
	assert_int_equal(sv.n_import, 1);
	assert_int_equal(sv.n_export, 1);
	assert_int_equal(sv.n_ifaces, 1);
	assert_int_equal(sv.n_networks, 0);
	assert_true(sv.routes4 >= 2);	/* ours, and any the VRF made */
	assert_true(sv.routes4 == t->count);
	assert_true(sv.exported == v->exported);
	assert_true(sv.imported == v->imported);
	/* the arrays, in wire order */
	q = buf[0] + sizeof(sv);
	memcpy(rts, q, sizeof(rts));
	assert_int_equal(str2rt("65000:10", &want), 0);
	assert_true(rts[0] == want);
	assert_int_equal(str2rt("65001:10", &want), 0);
	assert_true(rts[1] == want);
	q += sizeof(rts);
	assert_string_equal((const char *)q, "veth-red");
	off = sizeof(sv) + sizeof(rts) + IFNAMSIZ;
	assert_true(off + sv.n_sids * sizeof(*s) <= VRF_REPLY_MAX);
	/* by name; an unknown name */
	assert_int_equal(show_items(IMSG_CTL_SHOW_VRF, "red", 4, buf,
	    VRF_REPLY_MAX, 2, &code), 1);
	assert_int_equal(show_items(IMSG_CTL_SHOW_VRF, "blue", 5, buf,
	    VRF_REPLY_MAX, 2, &code), 0);
	assert_int_equal(code, CTL_RES_NOSUCH);

	/* show sid: every SID, the VRF's ones as show vrf has them */
	nsid = show_items(IMSG_CTL_SHOW_SID, NULL, 0, sids, sizeof(*sids),
	    MAXPATHS, &code);
	assert_int_equal(nsid, sv.n_sids);
	assert_true(nsid <= MAXPATHS);
	for (i = 0; i < nsid; i++) {
		s = &sids[i];
		assert_string_equal(s->vrf, "red");
		assert_string_equal(s->locator, "main");
		assert_int_equal(memcmp(&s->sid, "\xfc\x00\x00\x00\x00\x01",
		    6), 0);
		assert_non_null(srv6_behavior_name(s->behavior));
		assert_memory_equal(buf[0] + off + i * sizeof(*s), s,
		    sizeof(*s));
	}

	/* show locator: the configuration and the SIDs taken from it */
	assert_int_equal(show_items(IMSG_CTL_SHOW_LOCATOR, NULL, 0, &loc,
	    sizeof(loc), 1, &code), 1);
	assert_string_equal(loc.name, "main");
	assert_string_equal(prefix2str(&loc.prefix), "fc00:0:1::/48");
	assert_int_equal(loc.block_len, 32);
	assert_int_equal(loc.node_len, 16);
	assert_int_equal(loc.func_len, 16);
	assert_int_equal(loc.arg_len, 0);
	assert_int_equal(loc.n_sids, nsid);
	vrf_table_done(v, made);
}

/* A VRF with two local routes, so that it has local SIDs; their number. */
static size_t
sids_setup(struct rde_vrf **v, bool *made, struct ctl_show_sid *sids)
{
	struct rde_table	*t;
	struct rde_attrs	*a, tmpl;
	size_t			 n, i;
	int			 code;

	setup_vpn_config();
	t = vrf_table(v, made);
	rde_attrs_template(&tmpl);
	a = rde_attrs_intern(&tmpl);
	vrf_add(t, &rde_peer_self, NULL, "10.200.0.0/24", a);
	vrf_add(t, &rde_peer_self, NULL, "10.201.0.0/24", a);
	rde_attrs_unref(a);
	n = show_items(IMSG_CTL_SHOW_SID, NULL, 0, sids, sizeof(*sids),
	    MAXPATHS, &code);
	assert_true(n >= 1 && n <= MAXPATHS);
	for (i = 0; i < n; i++)
		assert_int_equal(sids[i].has_counters, 0);
	return n;
}

static void
counter_set(struct fib_sid_counter *c, const struct in6_addr *sid,
    uint64_t b0)
{
	memset(c, 0, sizeof(*c));
	c->sid = *sid;
	c->packets = b0;
	c->bytes = b0 * 100;
	c->errors = b0 / 10;
}

/* The reply for sid: has_counters, and its numbers from b0. */
static void
check_counters(const struct ctl_show_sid *s, size_t n,
    const struct in6_addr *sid, uint64_t b0)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (memcmp(&s[i].sid, sid, sizeof(*sid)) != 0) {
			assert_int_equal(s[i].has_counters, 0);
			assert_true(s[i].packets == 0 && s[i].bytes == 0);
			continue;
		}
		assert_int_equal(s[i].has_counters, 1);
		assert_true(s[i].packets == b0);
		assert_true(s[i].bytes == b0 * 100);
		assert_true(s[i].errors == b0 / 10);
	}
}

/*
 * show sid with the kernel's counters: one request to the parent per
 * command, the reply in chunks; SIDs the kernel did not report (and
 * records of SIDs the RDE does not have) change nothing else.
 */
static void
test_show_sid_counters(void **state)
{
	struct ctl_show_sid	 sids[MAXPATHS], got[MAXPATHS];
	struct fib_sid_counter	 c[3];
	struct in6_addr		 other;
	struct rde_vrf		*v;
	size_t			 n;
	bool			 made;
	int			 code;

	(void)state;
	n = sids_setup(&v, &made, sids);
	assert_int_equal(inet_pton(AF_INET6, "fc00:99::1", &other), 1);
	counter_set(&c[0], &other, 5);
	counter_set(&c[1], &sids[n - 1].sid, 1234);
	counter_set(&c[2], &other, 6);
	send_se(IMSG_CTL_SHOW_SID, CTL_ID, NULL, 0);
	parent_counters_request(CTL_ID);
	/* nothing for the client before the counters came */
	pump();
	assert_int_equal(imsg_get(&se, &(struct imsg){ 0 }), 0);
	assert_int_equal(imsgbuf_read(&se), -1);
	assert_int_equal(errno, EAGAIN);
	parent_counters_reply(CTL_ID, c, 3, 2);
	assert_int_equal(show_replies(IMSG_CTL_SHOW_SID, CTL_ID, got,
	    sizeof(*got), MAXPATHS, &code), n);
	assert_int_equal(code, -1);
	check_counters(got, n, &sids[n - 1].sid, 1234);
	/* the rest of each reply as without counters */
	got[n - 1].has_counters = 0;
	got[n - 1].packets = got[n - 1].bytes = got[n - 1].errors = 0;
	assert_memory_equal(got, sids, n * sizeof(*sids));
	vrf_table_done(v, made);
}

/*
 * Two clients at once, answered by the parent out of order: each gets
 * its own numbers (requests are keyed by the client's id).  A client
 * that left before the counters came gets nothing, and the next one is
 * not confused by the late counters.
 */
static void
test_show_sid_concurrent(void **state)
{
	struct ctl_show_sid	 sids[MAXPATHS], got[MAXPATHS];
	struct fib_sid_counter	 c;
	struct rde_vrf		*v;
	size_t			 n;
	bool			 made;
	int			 code;

	(void)state;
	n = sids_setup(&v, &made, sids);
	send_se(IMSG_CTL_SHOW_SID, CTL_ID, NULL, 0);
	send_se(IMSG_CTL_SHOW_SID, CTL_ID + 1, NULL, 0);
	parent_counters_request(CTL_ID);
	parent_counters_request(CTL_ID + 1);
	counter_set(&c, &sids[0].sid, 20);
	parent_counters_reply(CTL_ID + 1, &c, 1, 1);
	assert_int_equal(show_replies(IMSG_CTL_SHOW_SID, CTL_ID + 1, got,
	    sizeof(*got), MAXPATHS, &code), n);
	check_counters(got, n, &sids[0].sid, 20);
	counter_set(&c, &sids[0].sid, 10);
	parent_counters_reply(CTL_ID, &c, 1, 1);
	assert_int_equal(show_replies(IMSG_CTL_SHOW_SID, CTL_ID, got,
	    sizeof(*got), MAXPATHS, &code), n);
	check_counters(got, n, &sids[0].sid, 10);

	/* CTL_ID + 2 leaves between its request and the counters */
	send_se(IMSG_CTL_SHOW_SID, CTL_ID + 2, NULL, 0);
	parent_counters_request(CTL_ID + 2);
	send_se(IMSG_CTL_TERMINATE, CTL_ID + 2, NULL, 0);
	counter_set(&c, &sids[0].sid, 30);
	parent_counters_reply(CTL_ID + 2, &c, 1, 1);
	/* the next client's answer is the first thing the SE gets */
	send_se(IMSG_CTL_SHOW_SID, CTL_ID + 3, NULL, 0);
	parent_counters_request(CTL_ID + 3);
	counter_set(&c, &sids[0].sid, 40);
	parent_counters_reply(CTL_ID + 3, &c, 1, 1);
	assert_int_equal(show_replies(IMSG_CTL_SHOW_SID, CTL_ID + 3, got,
	    sizeof(*got), MAXPATHS, &code), n);
	check_counters(got, n, &sids[0].sid, 40);
	vrf_table_done(v, made);
}

/* A show sid still waiting at shutdown is freed (the leak check). */
static void
test_show_sid_pending_shutdown(void **state)
{
	(void)state;
	send_se(IMSG_CTL_SHOW_SID, CTL_ID, NULL, 0);
	parent_counters_request(CTL_ID);
}

/* Without locators and VRFs: empty answers. */
static void
test_show_no_vpn(void **state)
{
	struct ctl_show_locator	loc;
	int			code;

	(void)state;
	assert_int_equal(show_items(IMSG_CTL_SHOW_LOCATOR, NULL, 0, &loc,
	    sizeof(loc), 1, &code), 0);
	assert_int_equal(show_items(IMSG_CTL_SHOW_SID, NULL, 0, &loc,
	    sizeof(loc), 0, &code), 0);
	assert_int_equal(show_items(IMSG_CTL_SHOW_VRF, NULL, 0, &loc,
	    sizeof(loc), 0, &code), 0);
	assert_int_equal(code, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_show_rib, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_neighbor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_big_dump_and_down, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_refilter, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_vpn_rib, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_vpn_rd_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_vpn_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_vrf_rib, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_vrf_table_gone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_vrf_table_swapped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_vrf_sid_locator,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_no_vpn,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_sid_counters,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_sid_concurrent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_sid_pending_shutdown,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
