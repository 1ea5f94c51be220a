/*
 * rde_out.c: the outbound side against a real Loc-RIB (rde_rib.c,
 * rde_decide.c, rde_attr.c, rde_filter.c).  The messages meant for the
 * session engine are captured (rde_se_compose is stubbed here) and
 * parsed back with bgp_update_parse: packing, withdrawals of what was
 * advertised only, the iBGP/eBGP and route reflection rules, AS4, End-of-
 * RIB, route refresh, `network' statements and oversized routes.
 */
#include <sys/tree.h>

#include <arpa/inet.h>
#include <event.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "helpers.h"
#include "rde.h"
#include "rde_out.h"

#define LOCAL_AS	65001

/* ------------------------------------------------------------------ */
/* what rde.c provides in the daemon                                   */

struct srv6d_config	*rde_conf;
struct rde_peer_tree	 rde_peers = RB_INITIALIZER(&rde_peers);
struct rde_peer		 rde_peer_self;

static int
rde_peer_cmp(struct rde_peer *a, struct rde_peer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)

void
rde_parent_compose(uint32_t type, const void *data, size_t len)
{
	(void)type;
	(void)data;
	(void)len;
}

struct captured {
	uint32_t	 type;
	uint32_t	 peerid;
	uint8_t		*data;
	size_t		 len;
};

static struct captured	*caps;
static size_t		 ncaps, capsize;

void
rde_se_compose(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	struct captured	*c;

	if (ncaps == capsize) {
		capsize = capsize ? 2 * capsize : 64;
		caps = realloc(caps, capsize * sizeof(*caps));
		assert_non_null(caps);
	}
	c = &caps[ncaps++];
	c->type = type;
	c->peerid = peerid;
	c->len = len;
	c->data = malloc(len ? len : 1);
	assert_non_null(c->data);
	if (len > 0)
		memcpy(c->data, data, len);
}

static void
caps_clear(void)
{
	size_t	i;

	for (i = 0; i < ncaps; i++)
		free(caps[i].data);
	ncaps = 0;
}

/* ------------------------------------------------------------------ */
/* building a Loc-RIB and peers                                        */

static struct neighbor_config	confs[16];

static struct rde_peer *
peer_new(uint32_t id, const char *addr, const char *local, uint32_t as,
    uint8_t flags, uint16_t capa, uint8_t afs)
{
	struct rde_peer	*p;

	assert_true(id < 16);
	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	confs[id].id = id;
	confs[id].addr = A(addr);
	confs[id].remote_as = as;
	confs[id].flags = flags;
	p->id = id;
	p->conf = &confs[id];
	p->state = PEER_UP;
	p->ebgp = as != LOCAL_AS;
	p->remote_as = as;
	p->sess.remote_addr = A(addr);
	p->sess.local_addr = A(local);
	p->sess.remote_id.s_addr = htonl(0x0a000000 | id);
	p->sess.remote_as = as;
	p->sess.capa = capa;
	p->sess.afs = afs;
	p->sess.ebgp = p->ebgp;
	assert_null(RB_INSERT(rde_peer_tree, &rde_peers, p));
	return p;
}

/* An AS_PATH of one AS_SEQUENCE (4-octet form). */
static struct rde_aspath *
path_of(const uint32_t *as, size_t n)
{
	uint8_t		buf[2 + 4 * 255];
	size_t		i;
	uint32_t	v;

	assert_true(n <= 255);
	if (n == 0)
		return rde_aspath_intern(NULL, 0);
	buf[0] = BGP_AS_SEQUENCE;
	buf[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		v = htonl(as[i]);
		memcpy(buf + 2 + 4 * i, &v, 4);
	}
	return rde_aspath_intern(buf, 2 + 4 * n);
}

/* An interned set: ORIGIN IGP, the path, next hop; a reference. */
static struct rde_attrs *
attrs_new(struct rde_aspath *path, const char *nh)
{
	struct rde_attrs	t, *a;

	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.aspath = path;
	t.nexthop = A(nh);
	a = rde_attrs_intern(&t);
	rde_aspath_unref(path);
	return a;
}

static void
route_add(struct rde_peer *p, const char *prefix, struct rde_attrs *a)
{
	struct srv6d_prefix	pfx = P(prefix);
	enum rde_aid		aid = pfx.addr.af == AF_INET ? AID_IPV4 :
				    AID_IPV6;

	rde_rib_update(&rde_tables[aid], p, pfx.addr.af == AF_INET ?
	    (uint8_t *)&pfx.addr.v4 : (uint8_t *)&pfx.addr.v6, pfx.len, a, a);
}

static void
route_del(struct rde_peer *p, const char *prefix)
{
	struct srv6d_prefix	pfx = P(prefix);
	enum rde_aid		aid = pfx.addr.af == AF_INET ? AID_IPV4 :
				    AID_IPV6;

	rde_rib_withdraw(&rde_tables[aid], p, pfx.addr.af == AF_INET ?
	    (uint8_t *)&pfx.addr.v4 : (uint8_t *)&pfx.addr.v6, pfx.len);
}

/* 10.x.y.0/24 for i = x * 256 + y */
static const char *
pfx24(unsigned int i)
{
	static char	buf[32];

	snprintf(buf, sizeof(buf), "10.%u.%u.0/24", (i >> 8) & 0xff, i & 0xff);
	return buf;
}

static void
run(void)
{
	int	n = 0;

	while (rde_out_busy()) {
		rde_out_flush();
		assert_true(++n < 100000);
	}
}

/* ------------------------------------------------------------------ */
/* looking at what was sent                                            */

static struct bgp_update	 upd;	/* large: not on the stack */

struct sent {
	size_t		 updates;	/* UPDATEs with prefixes */
	size_t		 announced;
	size_t		 withdrawn;
	size_t		 eor;		/* End-of-RIB markers */
	size_t		 eor_told;	/* IMSG_SESSION_EOR_SENT */
	size_t		 borr, eorr;
	size_t		 maxlen;	/* longest message */
};

static size_t
count_prefixes(struct bgp_view v, uint8_t maxbits)
{
	uint8_t	addr[16], len;
	size_t	n = 0;
	int	r;

	while ((r = bgp_prefix_next(&v, maxbits, addr, &len)) == 1)
		n++;
	assert_int_equal(r, 0);
	return n;
}

static void
parse(const struct captured *c, bool as4)
{
	struct bgp_upd_ctx	ctx = { .as4 = as4, .ebgp = 0 };

	assert_int_equal(c->type, IMSG_UPDATE);
	assert_int_equal(bgp_update_parse(c->data, c->len, &ctx, &upd),
	    BGP_UPD_OK);
}

static bool
is_eor(const struct bgp_update *u)
{
	if (u->withdrawn.len == 0 && u->attrs.len == 0 && u->nlri.len == 0)
		return true;
	return u->nattr == 1 && u->has_unreach && u->unreach.nlri.len == 0;
}

static struct sent
sent_to(uint32_t id)
{
	struct sent		 s;
	const struct captured	*c;
	const struct session_refresh *r;
	size_t			 i, a, w;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < ncaps; i++) {
		c = &caps[i];
		if (c->peerid != id)
			continue;
		if (c->type == IMSG_SESSION_EOR_SENT) {
			s.eor_told++;
			continue;
		}
		if (c->type == IMSG_REFRESH) {
			assert_int_equal(c->len, sizeof(*r));
			r = (const void *)c->data;
			s.borr += r->subtype == BGP_RR_BORR;
			s.eorr += r->subtype == BGP_RR_EORR;
			continue;
		}
		parse(c, true);
		if (c->len > s.maxlen)
			s.maxlen = c->len;
		if (is_eor(&upd)) {
			s.eor++;
			continue;
		}
		a = count_prefixes(upd.nlri, 32) + (upd.has_reach ?
		    count_prefixes(upd.reach.nlri, upd.reach.afi ==
		    BGP_AFI_IPV6 ? 128 : 32) : 0);
		w = count_prefixes(upd.withdrawn, 32) + (upd.has_unreach ?
		    count_prefixes(upd.unreach.nlri, upd.unreach.afi ==
		    BGP_AFI_IPV6 ? 128 : 32) : 0);
		s.updates++;
		s.announced += a;
		s.withdrawn += w;
	}
	return s;
}

/* The n-th UPDATE with prefixes to peer id, parsed into upd. */
static void
nth_update(uint32_t id, size_t n, bool as4)
{
	size_t	i;

	for (i = 0; i < ncaps; i++) {
		if (caps[i].peerid != id || caps[i].type != IMSG_UPDATE)
			continue;
		parse(&caps[i], as4);
		if (is_eor(&upd))
			continue;
		if (n-- == 0)
			return;
	}
	fail_msg("no update %zu to peer %u", n, id);
}

static uint32_t
attr_u32(uint8_t type)
{
	const struct bgp_attr	*a = bgp_update_attr(&upd, type);
	uint32_t		 v;

	assert_non_null(a);
	assert_true(a->val.len >= 4);
	memcpy(&v, a->val.p, 4);
	return ntohl(v);
}

static void
check_aspath(uint8_t type, const uint32_t *as, size_t n, int asz)
{
	const struct bgp_attr	*a = bgp_update_attr(&upd, type);
	size_t			 i;
	uint32_t		 v;

	assert_non_null(a);
	if (n == 0) {
		assert_int_equal(a->val.len, 0);
		return;
	}
	assert_int_equal(a->val.len, 2 + asz * n);
	assert_int_equal(a->val.p[0], BGP_AS_SEQUENCE);
	assert_int_equal(a->val.p[1], n);
	for (i = 0; i < n; i++) {
		v = asz == 4 ? (uint32_t)a->val.p[2 + 4 * i] << 24 |
		    a->val.p[3 + 4 * i] << 16 | a->val.p[4 + 4 * i] << 8 |
		    a->val.p[5 + 4 * i] : (uint32_t)a->val.p[2 + 2 * i] << 8 |
		    a->val.p[3 + 2 * i];
		assert_int_equal(v, as[i]);
	}
}

/* ------------------------------------------------------------------ */
/* fixtures                                                            */

static struct filter_head	 filters;
static struct filter_rule	 allow_all;

static int
setup(void **state)
{
	(void)state;
	rde_rib_init();
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = LOCAL_AS;
	rde_self.router_id.s_addr = htonl(0xc0000201);
	rde_self.cluster_id = rde_self.router_id;
	rde_self.filters = NULL;
	rde_peer_self.id = 0;
	rde_peer_self.state = PEER_UP;
	rde_conf = NULL;
	return 0;
}

static int
teardown(void **state)
{
	struct rde_peer	*p, *next;
	size_t		 n;

	(void)state;
	rde_out_shutdown();
	RB_FOREACH(p, rde_peer_tree, &rde_peers)
		rde_rib_peer_flush(p);
	rde_rib_peer_flush(&rde_peer_self);
	n = rde_attrs_count();
	RB_FOREACH_SAFE(p, rde_peer_tree, &rde_peers, next) {
		RB_REMOVE(rde_peer_tree, &rde_peers, p);
		free(p);
	}
	rde_rib_shutdown();
	caps_clear();
	memset(confs, 0, sizeof(confs));
	/* every reference the outbound side took is back */
	assert_int_equal(n, 0);
	return 0;
}

/* Outbound filter: allow everything (eBGP is denied by default). */
static void
filters_allow(void)
{
	TAILQ_INIT(&filters);
	memset(&allow_all, 0, sizeof(allow_all));
	allow_all.action = FILTER_ALLOW;
	allow_all.dir = FILTER_OUT;
	allow_all.peer = FILTER_PEER_ANY;
	TAILQ_INSERT_TAIL(&filters, &allow_all, entry);
	rde_self.filters = &filters;
}

/* ------------------------------------------------------------------ */
/* tests                                                               */

/*
 * 3,000 prefixes with one attribute set: as few 4096-byte UPDATEs as
 * the arithmetic allows; one with extended messages.
 */
static void
test_packing(void **state)
{
	struct rde_peer	*src, *ibgp, *ext;
	struct rde_attrs *a;
	struct sent	 s;
	uint32_t	 path[] = { 65002 };
	size_t		 i, alen, per, want;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(path, 1), "192.0.2.2");
	for (i = 0; i < 3000; i++)
		route_add(src, pfx24(i), a);
	rde_attrs_unref(a);
	ibgp = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	ext = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS, 0,
	    CAPA_AS4 | CAPA_EXT_MESSAGE, AFS_IPV4_UNICAST);
	rde_out_peer_up(ibgp);
	rde_out_peer_up(ext);
	run();

	nth_update(2, 0, true);
	alen = upd.attrs.len;
	per = (BGP_MAX_LEN - BGP_UPDATE_MIN_LEN - alen) / 4;
	want = (3000 + per - 1) / per;
	s = sent_to(2);
	assert_int_equal(want, 3);
	assert_int_equal(s.announced, 3000);
	assert_int_equal(s.updates, want);
	assert_true(s.maxlen <= BGP_MAX_LEN);
	assert_int_equal(s.eor, 1);
	assert_int_equal(s.eor_told, 1);
	assert_int_equal(ibgp->prefixes_sent, 3000);

	s = sent_to(3);
	assert_int_equal(s.announced, 3000);
	assert_int_equal(s.updates, 1);
	assert_true(s.maxlen > BGP_MAX_LEN);
	assert_int_equal(ext->prefixes_sent, 3000);
	/* nothing goes back to where it came from */
	s = sent_to(1);
	assert_int_equal(s.updates, 0);
}

/* Two attribute sets, changes coalesced, withdrawals of what was sent. */
static void
test_withdraw(void **state)
{
	struct rde_peer	*src, *b, *c;
	struct rde_attrs *a1, *a2;
	struct sent	 s;
	uint32_t	 p1[] = { 65002 }, p2[] = { 65002, 65010 };
	size_t		 i;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	b = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	c = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS, NEIGH_F_RR_CLIENT,
	    CAPA_AS4, AFS_IPV4_UNICAST);
	a1 = attrs_new(path_of(p1, 1), "192.0.2.2");
	a2 = attrs_new(path_of(p2, 2), "192.0.2.2");
	for (i = 0; i < 10; i++)
		route_add(src, pfx24(i), i % 2 ? a1 : a2);
	/* learned from b: never sent to b, reflected to c */
	route_add(b, "172.16.0.0/16", a1);
	rde_out_peer_up(b);
	rde_out_peer_up(c);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 10);
	assert_int_equal(s.updates, 2);		/* one per set */
	assert_int_equal(b->prefixes_sent, 10);
	caps_clear();

	/* withdraw 5; b's own prefix goes too, but b never had it */
	for (i = 0; i < 5; i++)
		route_del(src, pfx24(i));
	route_del(b, "172.16.0.0/16");
	/* a burst: new, changed back and forth, gone again */
	route_add(src, "10.200.0.0/24", a1);
	route_add(src, pfx24(7), a1);
	route_add(src, pfx24(7), a2);
	route_add(src, pfx24(7), a1);	/* where it was */
	route_del(src, "10.200.0.0/24");
	run();
	s = sent_to(2);
	assert_int_equal(s.withdrawn, 5);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.updates, 1);
	assert_int_equal(b->prefixes_sent, 5);
	s = sent_to(3);
	assert_int_equal(s.withdrawn, 6);
	assert_int_equal(s.updates, 1);

	/* same attributes again: nothing */
	caps_clear();
	route_add(src, pfx24(9), a2);
	route_add(src, pfx24(9), a1);
	run();
	assert_int_equal(ncaps, 0);
	rde_attrs_unref(a1);
	rde_attrs_unref(a2);
}

/* iBGP-learned routes to iBGP peers only through a route reflector. */
static void
test_ibgp_no_reflection(void **state)
{
	struct rde_peer	*b, *c, *e;
	struct rde_attrs *a;
	struct sent	 s;

	(void)state;
	filters_allow();
	b = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	c = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	e = peer_new(3, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(b, "10.0.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(b);
	rde_out_peer_up(c);
	rde_out_peer_up(e);
	run();
	assert_int_equal(sent_to(1).announced, 0);
	assert_int_equal(sent_to(2).announced, 0);
	s = sent_to(3);
	assert_int_equal(s.announced, 1);
	assert_int_equal(s.eor, 1);
	(void)c;
}

/*
 * RFC 4456 §6: from a client to everyone, from a non-client to the
 * clients only; ORIGINATOR_ID set once, our cluster id prepended.
 */
static void
test_route_reflection(void **state)
{
	struct rde_peer		*cl1, *cl2, *nc1, *nc2;
	struct rde_attrs	 t, *a;
	const struct bgp_attr	*cl;
	uint32_t		 v[2];

	(void)state;
	cl1 = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_IPV4_UNICAST);
	cl2 = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_IPV4_UNICAST);
	nc1 = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	nc2 = peer_new(4, "192.0.2.5", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(cl1, "10.1.0.0/24", a);
	rde_attrs_unref(a);
	/* from a non-client, already reflected once elsewhere */
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.4");
	t.flags = ATTR_F_ORIGINATOR;
	t.originator_id.s_addr = htonl(0x0a0000ff);
	v[0] = 0x0a0a0a0a;
	t.cluster_list = v;
	t.n_cluster = 1;
	a = rde_attrs_intern(&t);
	route_add(nc1, "10.3.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl1);
	rde_out_peer_up(cl2);
	rde_out_peer_up(nc1);
	rde_out_peer_up(nc2);
	run();

	assert_int_equal(sent_to(1).announced, 1);	/* nc1's */
	assert_int_equal(sent_to(2).announced, 2);	/* both */
	assert_int_equal(sent_to(3).announced, 1);	/* cl1's */
	assert_int_equal(sent_to(4).announced, 1);	/* cl1's only */

	/* cl1's route at nc2: originator cl1, our cluster id */
	nth_update(4, 0, true);
	assert_int_equal(attr_u32(BGP_ATTR_ORIGINATOR_ID), 0x0a000001);
	assert_int_equal(attr_u32(BGP_ATTR_CLUSTER_LIST), 0xc0000201);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xc0000202);
	assert_int_equal(attr_u32(BGP_ATTR_LOCAL_PREF), 100);
	/* nc1's route at cl1: its originator kept, cluster list grows */
	nth_update(1, 0, true);
	assert_int_equal(attr_u32(BGP_ATTR_ORIGINATOR_ID), 0x0a0000ff);
	cl = bgp_update_attr(&upd, BGP_ATTR_CLUSTER_LIST);
	assert_non_null(cl);
	assert_int_equal(cl->val.len, 8);
	memcpy(v, cl->val.p, 8);
	assert_int_equal(ntohl(v[0]), 0xc0000201);
	assert_int_equal(ntohl(v[1]), 0x0a0a0a0a);
	(void)cl2, (void)nc2;
}

/*
 * eBGP: our AS first, our address as next hop, no LOCAL_PREF, no MED
 * from elsewhere (RFC 4271 §5.1.4) unless a filter set one; iBGP keeps
 * the next hop and gets LOCAL_PREF.
 */
static void
test_ebgp_export(void **state)
{
	struct rde_peer		*ib, *e1, *e2;
	struct rde_attrs	 t, *a;
	struct filter_rule	 setmed;
	uint32_t		 path[] = { 65010, 65020 };
	uint32_t		 want[] = { LOCAL_AS, 65010, 65020 };

	(void)state;
	filters_allow();
	ib = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	e1 = peer_new(2, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	e2 = peer_new(3, "203.0.113.2", "203.0.113.1", 65004, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.aspath = path_of(path, 2);
	t.nexthop = A("192.0.2.99");
	t.flags = ATTR_F_MED | ATTR_F_LOCALPREF;
	t.med = 50;
	t.localpref = 200;
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	route_add(ib, "10.9.0.0/16", a);
	rde_attrs_unref(a);
	/* e2 gets a MED set by the filter */
	memset(&setmed, 0, sizeof(setmed));
	setmed.action = FILTER_MATCH;
	setmed.dir = FILTER_OUT;
	setmed.peer = FILTER_PEER_ADDR;
	setmed.peer_addr = A("203.0.113.2");
	setmed.set = FILTER_SET_MED;
	setmed.set_med = 7;
	TAILQ_INSERT_TAIL(&filters, &setmed, entry);
	rde_out_peer_up(e1);
	rde_out_peer_up(e2);
	run();

	nth_update(2, 0, true);
	check_aspath(BGP_ATTR_AS_PATH, want, 3, 4);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xc6336401);
	assert_null(bgp_update_attr(&upd, BGP_ATTR_LOCAL_PREF));
	assert_null(bgp_update_attr(&upd, BGP_ATTR_MED));
	nth_update(3, 0, true);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xcb007101);
	assert_int_equal(attr_u32(BGP_ATTR_MED), 7);

	/* and eBGP-learned to iBGP: next hop and MED kept, LOCAL_PREF */
	caps_clear();
	a = attrs_new(path_of(path, 2), "198.51.100.2");
	route_add(e1, "10.10.0.0/16", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	nth_update(1, 0, true);
	check_aspath(BGP_ATTR_AS_PATH, path, 2, 4);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xc6336402);
	assert_int_equal(attr_u32(BGP_ATTR_LOCAL_PREF), 100);
	assert_int_equal(sent_to(1).announced, 1);	/* not its own */
	TAILQ_REMOVE(&filters, &setmed, entry);
}

/* RFC 8212: without an outbound rule, nothing goes to eBGP peers. */
static void
test_ebgp_default_deny(void **state)
{
	struct rde_peer		*ib, *e;
	struct rde_attrs	*a;
	struct sent		 s;

	(void)state;
	ib = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	e = peer_new(2, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(ib, "10.0.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(e);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.eor, 1);
	assert_int_equal(e->prefixes_sent, 0);
}

/* RFC 6793 §4.2.2: a 2-octet peer gets AS_TRANS and AS4_PATH. */
static void
test_as2_peer(void **state)
{
	struct rde_peer		*src, *old;
	struct rde_attrs	 t, *a;
	uint32_t		 path[] = { 4200000001u, 65020 };
	uint32_t		 want2[] = { LOCAL_AS, AS_TRANS, 65020 };
	uint32_t		 want4[] = { LOCAL_AS, 4200000001u, 65020 };
	const struct bgp_attr	*agg;

	(void)state;
	filters_allow();
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 4200000001u, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	old = peer_new(2, "198.51.100.2", "198.51.100.1", 65003, 0, 0,
	    AFS_IPV4_UNICAST);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.aspath = path_of(path, 2);
	t.nexthop = A("192.0.2.2");
	t.flags = ATTR_F_AGGREGATOR;
	t.aggr_as = 4200000001u;
	t.aggr_id.s_addr = htonl(0x01020304);
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	route_add(src, "10.0.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(old);
	run();
	nth_update(2, 0, false);
	check_aspath(BGP_ATTR_AS_PATH, want2, 3, 2);
	check_aspath(BGP_ATTR_AS4_PATH, want4, 3, 4);
	agg = bgp_update_attr(&upd, BGP_ATTR_AGGREGATOR);
	assert_non_null(agg);
	assert_int_equal(agg->val.len, 6);
	assert_int_equal(agg->val.p[0] << 8 | agg->val.p[1], AS_TRANS);
	assert_int_equal(attr_u32(BGP_ATTR_AS4_AGGREGATOR), 4200000001u);
	/* in ascending type order */
	assert_true(upd.pos[BGP_ATTR_AS_PATH] < upd.pos[BGP_ATTR_NEXT_HOP]);
	assert_true(upd.pos[BGP_ATTR_AGGREGATOR] <
	    upd.pos[BGP_ATTR_AS4_PATH]);
}

/* IPv6 in MP_REACH_NLRI, End-of-RIB per family (RFC 4724 §2). */
static void
test_ipv6_and_eor(void **state)
{
	struct rde_peer		*src, *ib, *e4;
	struct rde_attrs	*a;
	struct sent		 s;
	struct srv6d_addr	 nh;
	size_t			 i, eors = 0, ipv6_eor = 0;

	(void)state;
	filters_allow();
	src = peer_new(1, "2001:db8::2", "2001:db8::1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST | AFS_IPV6_UNICAST);
	ib = peer_new(2, "2001:db8:1::2", "2001:db8:1::1", LOCAL_AS, 0,
	    CAPA_AS4, AFS_IPV4_UNICAST | AFS_IPV6_UNICAST);
	/* an IPv4 session: IPv6 next hop IPv4-mapped */
	e4 = peer_new(3, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV6_UNICAST);
	a = attrs_new(path_of(NULL, 0), "2001:db8::2");
	route_add(src, "2001:db8:100::/48", a);
	route_add(src, "2001:db8:200::/48", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	rde_out_peer_up(e4);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 2);
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.eor, 2);
	assert_int_equal(s.eor_told, 1);
	for (i = 0; i < ncaps; i++) {
		if (caps[i].peerid != 2 || caps[i].type != IMSG_UPDATE)
			continue;
		parse(&caps[i], true);
		if (!is_eor(&upd))
			continue;
		eors++;
		if (upd.has_unreach) {
			assert_int_equal(upd.unreach.afi, BGP_AFI_IPV6);
			assert_int_equal(upd.unreach.safi, BGP_SAFI_UNICAST);
			ipv6_eor++;
		} else
			assert_int_equal(caps[i].len, BGP_UPDATE_MIN_LEN);
	}
	assert_int_equal(eors, 2);
	assert_int_equal(ipv6_eor, 1);
	/* the EOR_SENT notice comes after both */
	assert_int_equal(caps[ncaps - 1].type, IMSG_SESSION_EOR_SENT);

	nth_update(2, 0, true);
	assert_true(upd.has_reach);
	assert_int_equal(upd.reach.afi, BGP_AFI_IPV6);
	assert_int_equal(upd.reach.nh.len, 16);
	nh = A("2001:db8::2");
	assert_memory_equal(upd.reach.nh.p, &nh.v6, 16);
	assert_null(bgp_update_attr(&upd, BGP_ATTR_NEXT_HOP));

	nth_update(3, 0, true);
	nh = A("::ffff:198.51.100.1");
	assert_int_equal(upd.reach.nh.len, 16);
	assert_memory_equal(upd.reach.nh.p, &nh.v6, 16);
	assert_int_equal(sent_to(3).eor, 1);
	(void)e4;
}

/* RFC 8950: IPv4 over an IPv6 session only with extended next hop. */
static void
test_ext_nexthop(void **state)
{
	struct rde_peer		*src, *with, *without;
	struct rde_attrs	*a;
	struct srv6d_addr	 nh;

	(void)state;
	filters_allow();
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	with = peer_new(2, "2001:db8::2", "2001:db8::1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	with->sess.ext_nexthop = AFS_IPV4_UNICAST;
	without = peer_new(3, "2001:db8::3", "2001:db8::1", 65004, 0,
	    CAPA_AS4, AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(src, "10.0.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(with);
	rde_out_peer_up(without);
	run();
	nth_update(2, 0, true);
	assert_true(upd.has_reach);
	assert_int_equal(upd.reach.afi, BGP_AFI_IPV4);
	nh = A("2001:db8::1");
	assert_int_equal(upd.reach.nh.len, 16);
	assert_memory_equal(upd.reach.nh.p, &nh.v6, 16);
	assert_int_equal(upd.nlri.len, 0);
	assert_int_equal(sent_to(3).announced, 0);
	assert_int_equal(sent_to(3).eor, 1);
}

/*
 * A route whose attributes do not fit the peer's messages is not sent
 * (and what the peer had of it is withdrawn); with extended messages it
 * is.  Nothing crashes (see SRV6.md on GoBGP).
 */
static void
test_oversize(void **state)
{
	struct rde_peer		*src, *small, *big;
	struct rde_attrs	*a, *huge;
	struct out_peer_stats	 st;
	uint8_t			*buf;
	size_t			 i, n = 2000, len = 0;
	uint32_t		 as;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	small = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_IPV4_UNICAST);
	big = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4 | CAPA_EXT_MESSAGE,
	    AFS_IPV4_UNICAST);
	buf = malloc(n / 255 * 2 + 2 + 4 * n);
	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		if (i % 255 == 0) {
			buf[len++] = BGP_AS_SEQUENCE;
			buf[len++] = n - i > 255 ? 255 : n - i;
		}
		as = htonl(64512 + i % 1000);
		memcpy(buf + len, &as, 4);
		len += 4;
	}
	huge = attrs_new(rde_aspath_intern(buf, len), "192.0.2.2");
	free(buf);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(src, "10.0.0.0/24", a);
	route_add(src, "10.0.1.0/24", a);
	rde_out_peer_up(small);
	rde_out_peer_up(big);
	run();
	assert_int_equal(small->prefixes_sent, 2);
	caps_clear();

	route_add(src, "10.0.1.0/24", huge);
	route_add(src, "10.0.2.0/24", huge);
	run();
	assert_int_equal(sent_to(2).withdrawn, 1);
	assert_int_equal(sent_to(2).announced, 0);
	assert_int_equal(small->prefixes_sent, 1);
	rde_out_peer_stats(small, &st);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(sent_to(3).announced, 2);
	assert_true(sent_to(3).maxlen > BGP_MAX_LEN);
	assert_int_equal(big->prefixes_sent, 3);
	rde_attrs_unref(a);
	rde_attrs_unref(huge);
}

/* RFC 2918 / RFC 7313: the Adj-RIB-Out again, framed by BoRR/EoRR. */
static void
test_refresh(void **state)
{
	struct rde_peer		*src, *plain, *enh;
	struct rde_attrs	*a;
	struct session_refresh	 r = { BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0 };
	struct sent		 s;
	size_t			 i;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	plain = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0,
	    CAPA_AS4 | CAPA_REFRESH, AFS_IPV4_UNICAST);
	enh = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS, 0,
	    CAPA_AS4 | CAPA_REFRESH | CAPA_ENHANCED_REFRESH,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	for (i = 0; i < 300; i++)
		route_add(src, pfx24(i), a);
	rde_attrs_unref(a);
	rde_out_peer_up(plain);
	rde_out_peer_up(enh);
	run();
	caps_clear();

	rde_out_refresh(plain, &r);
	rde_out_refresh(enh, &r);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 300);
	assert_int_equal(s.borr + s.eorr + s.eor, 0);
	s = sent_to(3);
	assert_int_equal(s.announced, 300);
	assert_int_equal(s.borr, 1);
	assert_int_equal(s.eorr, 1);
	/* BoRR first, EoRR last */
	for (i = 0; i < ncaps && caps[i].peerid != 3; i++)
		;
	assert_int_equal(caps[i].type, IMSG_REFRESH);
	assert_int_equal(((struct session_refresh *)caps[i].data)->subtype,
	    BGP_RR_BORR);
	for (i = ncaps; i-- > 0 && caps[i].peerid != 3;)
		;
	assert_int_equal(((struct session_refresh *)caps[i].data)->subtype,
	    BGP_RR_EORR);
	assert_int_equal(enh->prefixes_sent, 300);
}

/* `network': our own paths, exported with next hop self; and removed. */
static void
test_network(void **state)
{
	struct srv6d_config	 conf;
	struct srv6d_prefix	 nets[2];
	struct rde_peer		*ib, *e;
	uint32_t		 want[] = { LOCAL_AS };

	(void)state;
	filters_allow();
	memset(&conf, 0, sizeof(conf));
	nets[0] = P("10.200.0.0/24");
	nets[1] = P("2001:db8:200::/48");
	conf.networks = nets;
	conf.n_networks = 2;
	rde_conf = &conf;
	ib = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST | AFS_IPV6_UNICAST);
	e = peer_new(2, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	rde_out_peer_up(ib);
	rde_out_peer_up(e);
	rde_out_reload();
	run();
	assert_int_equal(sent_to(1).announced, 2);
	nth_update(1, 0, true);
	if (upd.has_reach)
		nth_update(1, 1, true);
	assert_int_equal(bgp_update_attr(&upd, BGP_ATTR_ORIGIN)->val.p[0],
	    BGP_ORIGIN_IGP);
	check_aspath(BGP_ATTR_AS_PATH, NULL, 0, 4);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xc0000201);
	assert_int_equal(attr_u32(BGP_ATTR_LOCAL_PREF), 100);
	nth_update(2, 0, true);
	check_aspath(BGP_ATTR_AS_PATH, want, 1, 4);
	assert_int_equal(attr_u32(BGP_ATTR_NEXT_HOP), 0xc6336401);
	caps_clear();

	conf.n_networks = 1;
	rde_out_reload();
	run();
	assert_int_equal(sent_to(1).withdrawn, 1);
	assert_int_equal(sent_to(1).announced, 0);
	assert_int_equal(sent_to(2).updates, 0);
	conf.n_networks = 0;
	rde_out_reload();
	run();
	assert_int_equal(ib->prefixes_sent, 0);
	assert_int_equal(e->prefixes_sent, 0);
	rde_conf = NULL;
}

/* Session down drops the Adj-RIB-Out; up again sends the table anew. */
static void
test_down_up(void **state)
{
	struct rde_peer		*src, *ib;
	struct rde_attrs	*a;
	size_t			 i;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	for (i = 0; i < 20000; i++)	/* more than one dump chunk */
		route_add(src, pfx24(i), a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	assert_int_equal(ib->prefixes_sent, 20000);
	assert_int_equal(sent_to(2).eor, 1);
	rde_out_peer_down(ib);
	ib->state = PEER_DOWN;
	assert_int_equal(ib->prefixes_sent, 0);
	assert_null(ib->out);
	caps_clear();
	route_del(src, pfx24(1));
	run();
	assert_int_equal(ncaps, 0);
	ib->state = PEER_UP;
	rde_out_peer_up(ib);
	/* a change while the dump runs is sent once */
	route_del(src, pfx24(2));
	run();
	assert_int_equal(sent_to(2).announced, 19998);
	assert_int_equal(sent_to(2).withdrawn, 0);
	assert_int_equal(sent_to(2).eor, 1);
}

/* A reload re-evaluates what each peer has: a new deny withdraws. */
static void
test_reload_reeval(void **state)
{
	struct rde_peer		*src, *e;
	struct rde_attrs	*a;
	struct filter_rule	 deny;
	struct sent		 s;

	(void)state;
	filters_allow();
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	e = peer_new(2, "198.51.100.2", "198.51.100.1", 65003, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	a = attrs_new(path_of(NULL, 0), "192.0.2.2");
	route_add(src, "10.0.0.0/24", a);
	route_add(src, "10.0.1.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(e);
	run();
	assert_int_equal(e->prefixes_sent, 2);
	caps_clear();

	memset(&deny, 0, sizeof(deny));
	deny.action = FILTER_DENY;
	deny.dir = FILTER_OUT;
	deny.peer = FILTER_PEER_ANY;
	deny.prefix = P("10.0.1.0/24");
	TAILQ_INSERT_TAIL(&filters, &deny, entry);
	rde_out_reload();
	run();
	s = sent_to(2);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.announced, 0);
	assert_int_equal(s.eor, 0);
	assert_int_equal(e->prefixes_sent, 1);
	TAILQ_REMOVE(&filters, &deny, entry);
}

/*
 * A dump bigger than one walk chunk, attribute sets scattered over the
 * table: still one UPDATE per set.  And the Adj-RIB-Out shown in prefix
 * order.
 */
static void
show_cb(const struct srv6d_prefix *p, struct rde_attrs *a, void *arg)
{
	struct srv6d_prefix	*last = arg;

	assert_non_null(a);
	if (last->len != 0)
		assert_true(ntohl(last->addr.v4.s_addr) <
		    ntohl(p->addr.v4.s_addr));
	*last = *p;
}

static void
test_dump_packing(void **state)
{
	struct rde_peer		*src, *ib;
	struct rde_attrs	*a[1000];
	struct srv6d_prefix	 last;
	uint32_t		 as[2] = { 65002, 0 };
	size_t			 i;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", 65002, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_IPV4_UNICAST);
	for (i = 0; i < 1000; i++) {
		as[1] = 70000 + i;
		a[i] = attrs_new(path_of(as, 2), "192.0.2.2");
	}
	for (i = 0; i < 20000; i++)
		route_add(src, pfx24(i), a[i / 20]);
	for (i = 0; i < 1000; i++)
		rde_attrs_unref(a[i]);
	assert_true(20000 > OUT_DUMP_CHUNK);
	rde_out_peer_up(ib);
	run();
	assert_int_equal(sent_to(2).announced, 20000);
	assert_int_equal(sent_to(2).updates, 1000);
	memset(&last, 0, sizeof(last));
	rde_out_show(ib, AID_IPV4, show_cb, &last);
	assert_int_equal(last.len, 24);
	assert_int_equal(ntohl(last.addr.v4.s_addr), 0x0a4e1f00);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_packing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ibgp_no_reflection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_reflection, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_export, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_default_deny, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_as2_peer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_and_eor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ext_nexthop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oversize, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_network, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_down_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_reeval, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dump_packing, setup,
		    teardown),
	};
	int	rv;

	event_init();
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	free(caps);
	return rv;
}
