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
#include "bgp_vpn.h"
#include "helpers.h"
#include "rde.h"
#include "rde_show.h"
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

/* no show dumps run here */
void
rde_show_table_gone(struct rde_table *t)
{
	(void)t;
}

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

/* VPN prefixes in an MP_REACH/MP_UNREACH NLRI field. */
static size_t
count_vpn(struct bgp_view v, uint16_t afi)
{
	struct vpn_nlri	n;
	size_t		c = 0;
	int		r;

	while ((r = vpn_nlri_next(&v, afi, &n, NULL)) == 1)
		c++;
	assert_int_equal(r, 0);
	return c;
}

static size_t
count_mp(const struct bgp_mp *mp)
{
	if (mp->safi == BGP_SAFI_MPLSVPN)
		return count_vpn(mp->nlri, mp->afi);
	return count_prefixes(mp->nlri, mp->afi == BGP_AFI_IPV6 ? 128 : 32);
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
		    count_mp(&upd.reach) : 0);
		w = count_prefixes(upd.withdrawn, 32) + (upd.has_unreach ?
		    count_mp(&upd.unreach) : 0);
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

/* ------------------------------------------------------------------ */
/* VPN routes (RFC 4364, 4659, 8277) with SRv6 services (RFC 9252)     */

/* Our locator fc00:0:1::/48, 32/16/16/0, and our End.DT4 SID in it. */
#define OUR_SID		"fc00:0:1:e000::"

static rd_t
RD(const char *s)
{
	rd_t	rd;

	assert_int_equal(str2rd(s, &rd), 0);
	return rd;
}

/*
 * A VPN route of ours as rde_vrf.c makes it: no next hop, the export
 * target, the SID with the locator's structure and TL = TO = 0, label 0.
 */
static struct rde_attrs *
vpn_attrs_ours(const char *sid, uint16_t behavior)
{
	struct rde_attrs	t;
	ext_community_t		rt = RT("65001:10");

	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.n_ext_communities = 1;
	t.ext_communities = &rt;
	t.has_srv6 = 1;
	t.srv6.sid = A(sid).v6;
	t.srv6.behavior = behavior;
	t.srv6.has_structure = 1;
	t.srv6.st = (struct srv6_sid_structure){ 32, 16, 16, 0, 0, 0 };
	t.srv6.local = 1;
	return rde_attrs_intern(&t);
}

static void
vpn_route_add(struct rde_peer *p, const char *rd, const char *prefix,
    struct rde_attrs *a)
{
	struct srv6d_prefix	pfx = P(prefix);
	enum rde_aid		aid = pfx.addr.af == AF_INET ? AID_VPNV4 :
				    AID_VPNV6;
	uint8_t			key[RDE_KEY_MAX];

	rde_key_make(aid, RD(rd), &pfx, key);
	rde_rib_update(&rde_tables[aid], p, key, pfx.len, a, a);
}

static void
vpn_route_del(struct rde_peer *p, const char *rd, const char *prefix)
{
	struct srv6d_prefix	pfx = P(prefix);
	enum rde_aid		aid = pfx.addr.af == AF_INET ? AID_VPNV4 :
				    AID_VPNV6;
	uint8_t			key[RDE_KEY_MAX];

	rde_key_make(aid, RD(rd), &pfx, key);
	rde_rib_withdraw(&rde_tables[aid], p, key, pfx.len);
}

/* The n-th captured UPDATE with prefixes to peer id: raw bytes. */
static const struct captured *
nth_capture(uint32_t id, size_t n)
{
	size_t	i;

	for (i = 0; i < ncaps; i++) {
		if (caps[i].peerid != id || caps[i].type != IMSG_UPDATE)
			continue;
		parse(&caps[i], true);
		if (is_eor(&upd))
			continue;
		if (n-- == 0)
			return &caps[i];
	}
	fail_msg("no update %zu to peer %u", n, id);
	return NULL;
}

static void
assert_bytes(const struct captured *c, const char *hex)
{
	uint8_t	want[512];
	size_t	n = unhex(hex, want, sizeof(want)), i;

	for (i = 0; i < n && i < c->len; i++)
		if (c->data[i] != want[i])
			fail_msg("byte %zu: got %02x, want %02x", i,
			    c->data[i], want[i]);
	assert_int_equal(c->len, n);
}

/* What the peer got in the UPDATE in upd: the SRv6 service, decoded. */
struct vpn_got {
	struct vpn_nlri		n[4];
	size_t			nn;
	struct vpn_nexthop	nh;
	struct srv6_sid_info	info;
	int			sid_rv;		/* prefix_sid_decode */
	struct in6_addr		sid;		/* of n[0], reconstructed */
};

static void
vpn_decode(struct vpn_got *g, int ext_nh)
{
	const struct bgp_attr	*ps;
	struct bgp_view		 v;
	struct vpn_error	 e;
	const char		*why = NULL;
	int			 r;

	memset(g, 0, sizeof(*g));
	assert_true(upd.has_reach);
	assert_int_equal(upd.reach.safi, BGP_SAFI_MPLSVPN);
	assert_int_equal(vpn_nexthop_decode(upd.reach.afi, upd.reach.nh,
	    ext_nh, &g->nh, &e), 0);
	v = upd.reach.nlri;
	while ((r = vpn_nlri_next(&v, upd.reach.afi, &g->n[g->nn], &e)) == 1)
		assert_true(++g->nn < 4);
	assert_int_equal(r, 0);
	g->sid_rv = PREFIX_SID_ABSENT;
	if ((ps = bgp_update_attr(&upd, BGP_ATTR_PREFIX_SID)) == NULL)
		return;
	assert_int_equal(ps->flags & ~BGP_ATTR_EXTLEN,
	    BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE);
	g->sid_rv = prefix_sid_decode(ps->val.p, ps->val.len,
	    PREFIX_SID_TLV_SRV6_L3, &g->info, &why);
	assert_int_equal(g->sid_rv, PREFIX_SID_FOUND);
	assert_int_equal(srv6_sid_reconstruct(&g->info, g->n[0].label,
	    &g->sid), 0);
}

static void
assert_in6(const struct in6_addr *got, const char *want)
{
	struct srv6d_addr	w = A(want);

	if (memcmp(got, &w.v6, 16) != 0)
		fail_msg("got %s, want %s", addr2str(&(struct srv6d_addr){
		    .af = AF_INET6, .v6 = *got }), want);
}

/*
 * Our VPNv4 route to an iBGP peer over IPv4, transposed (the default):
 * RFC 9252 §4, the function bits (16 at offset 48) go into the label and
 * are zeroed in the SID field.  Every byte checked, then decoded again.
 */
static void
test_vpn_ours_transposed(void **state)
{
	struct rde_peer		*ib;
	struct rde_attrs	*a;
	struct vpn_got		 g;
	const struct captured	*c;

	(void)state;
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV4);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	vpn_route_add(&rde_peer_self, "65001:10", "10.200.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	c = nth_capture(2, 0);
	assert_bytes(c,
	    "ffffffffffffffffffffffffffffffff 007c 02"
	    "0000 0065"
	    "400101 00"					/* ORIGIN IGP */
	    "400200"					/* AS_PATH empty */
	    "400504 00000064"				/* LOCAL_PREF */
	    "c01008 0002fde90000000a"			/* RT 65001:10 */
	    "c02825"					/* Prefix-SID */
	    "  050022 00"				/* SRv6 L3 Service */
	    "  01001e 00 fc000000000100000000000000000000"	/* SID info */
	    "    00 0013 00"				/* End.DT4 */
	    "    010006 20101000 1030"			/* 32/16/16/0 TL16 TO48 */
	    "900e0020 0001 80"				/* MP_REACH VPNv4 */
	    "  0c 0000000000000000 c0000201 00"		/* RD 0, 192.0.2.1 */
	    "  70 e00001 0000fde90000000a 0ac800");	/* /24 label 0xe000 */
	vpn_decode(&g, 0);
	assert_int_equal(g.nn, 1);
	assert_int_equal(g.nh.global.af, AF_INET);
	assert_string_equal(addr2str(&g.nh.global), "192.0.2.1");
	assert_int_equal(g.n[0].rd, RD("65001:10"));
	assert_int_equal(g.n[0].label, 0xe000u << 4);
	assert_int_equal(g.n[0].bos, 1);
	assert_int_equal(g.n[0].prefix.len, 24);
	assert_string_equal(addr2str(&g.n[0].prefix.addr), "10.200.0.0");
	assert_in6(&g.info.sid, "fc00:0:1::");
	assert_int_equal(g.info.behavior, SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(g.info.st.tl, 16);
	assert_int_equal(g.info.st.to, 48);
	assert_in6(&g.sid, OUR_SID);
	assert_int_equal(ib->prefixes_sent, 1);
}

/* `srv6 transposition no': the whole SID, TL = TO = 0, label 3. */
static void
test_vpn_ours_not_transposed(void **state)
{
	struct rde_peer		*ib;
	struct rde_attrs	*a;
	struct vpn_got		 g;
	const struct captured	*c;

	(void)state;
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_NO_TRANSPOSE, CAPA_AS4, AFS_VPNV4);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	vpn_route_add(&rde_peer_self, "65001:10", "10.200.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	c = nth_capture(2, 0);
	assert_bytes(c,
	    "ffffffffffffffffffffffffffffffff 007c 02"
	    "0000 0065"
	    "400101 00 400200 400504 00000064"
	    "c01008 0002fde90000000a"
	    "c02825 050022 00"
	    "  01001e 00 fc0000000001e0000000000000000000"
	    "    00 0013 00"
	    "    010006 20101000 0000"
	    "900e0020 0001 80 0c 0000000000000000 c0000201 00"
	    "  70 000031 0000fde90000000a 0ac800");
	vpn_decode(&g, 0);
	assert_int_equal(g.n[0].label, SRV6_LABEL_IMPLICIT_NULL);
	assert_int_equal(g.info.st.tl, 0);
	assert_int_equal(g.info.st.to, 0);
	assert_in6(&g.info.sid, OUR_SID);
	assert_in6(&g.sid, OUR_SID);
	(void)ib;
}

/*
 * Next hops of our routes (RFC 4364 §4.3.2, RFC 4659 §3.2.1.1, RFC
 * 8950): VPNv4 over IPv6 with extended next hop, 24 bytes; not sent at
 * all without it.  VPNv6 over IPv6, 24 bytes; over IPv4, our address
 * IPv4-mapped, 24 bytes.
 */
static void
test_vpn_nexthops(void **state)
{
	struct rde_peer		*v6, *v6noext, *v4;
	struct rde_attrs	*a;
	struct vpn_got		 g;
	struct sent		 s;

	(void)state;
	v6 = peer_new(2, "2001:db8::3", "2001:db8::1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV4 | AFS_VPNV6);
	v6->sess.ext_nexthop = AFS_VPNV4;
	v6noext = peer_new(3, "2001:db8::4", "2001:db8::1", LOCAL_AS, 0,
	    CAPA_AS4, AFS_VPNV4 | AFS_VPNV6);
	v6noext->sess.ext_nexthop = AFS_IPV4_UNICAST;	/* not for VPNv4 */
	v4 = peer_new(4, "192.0.2.4", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV6);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	vpn_route_add(&rde_peer_self, "65001:10", "10.200.0.0/24", a);
	rde_attrs_unref(a);
	a = vpn_attrs_ours("fc00:0:1:e001::", SRV6_BEHAVIOR_END_DT6);
	vpn_route_add(&rde_peer_self, "65001:10", "2001:db8:200::/48", a);
	rde_attrs_unref(a);
	rde_out_peer_up(v6);
	rde_out_peer_up(v6noext);
	rde_out_peer_up(v4);
	run();

	s = sent_to(2);
	assert_int_equal(s.announced, 2);
	assert_int_equal(s.eor, 2);
	nth_update(2, 0, true);
	if (upd.reach.afi != BGP_AFI_IPV4)
		nth_update(2, 1, true);
	assert_int_equal(upd.reach.afi, BGP_AFI_IPV4);
	assert_int_equal(upd.reach.nh.len, 24);
	assert_int_equal(vpn_nexthop_decode(BGP_AFI_IPV4, upd.reach.nh, 0,
	    &g.nh, NULL), -1);		/* needs RFC 8950 */
	vpn_decode(&g, 1);
	assert_string_equal(addr2str(&g.nh.global), "2001:db8::1");
	assert_int_equal(g.n[0].label, 0xe000u << 4);
	nth_update(2, 0, true);
	if (upd.reach.afi != BGP_AFI_IPV6)
		nth_update(2, 1, true);
	assert_int_equal(upd.reach.nh.len, 24);
	vpn_decode(&g, 0);
	assert_string_equal(addr2str(&g.nh.global), "2001:db8::1");
	assert_int_equal(g.n[0].prefix.len, 48);
	assert_string_equal(addr2str(&g.n[0].prefix.addr), "2001:db8:200::");
	assert_int_equal(g.n[0].label, 0xe001u << 4);
	assert_int_equal(g.info.behavior, SRV6_BEHAVIOR_END_DT6);
	assert_in6(&g.sid, "fc00:0:1:e001::");

	s = sent_to(3);
	assert_int_equal(s.announced, 1);	/* the VPNv6 route only */
	assert_int_equal(s.eor, 2);
	nth_update(3, 0, true);
	assert_int_equal(upd.reach.afi, BGP_AFI_IPV6);

	s = sent_to(4);
	assert_int_equal(s.announced, 1);
	nth_update(4, 0, true);
	assert_int_equal(upd.reach.nh.len, 24);
	vpn_decode(&g, 0);
	assert_string_equal(addr2str(&g.nh.global), "::ffff:192.0.2.1");
}

/*
 * A route reflector reflects VPN routes as they are (no route target
 * filtering): the next hop kept, the received transposition (FRR 8.4's
 * 40/24/16/0/16/64, behaviour 0xffff) kept, ORIGINATOR_ID and
 * CLUSTER_LIST added (RFC 4456 §8).  A peer that takes no transposition
 * gets the whole SID.
 */
static void
test_vpn_reflect(void **state)
{
	struct rde_peer		*src, *cl, *notr;
	struct rde_attrs	 t, *a;
	struct vpn_got		 g;
	ext_community_t		 rt = RT("65000:99");

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	notr = peer_new(3, "192.0.2.4", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT | NEIGH_F_NO_TRANSPOSE, CAPA_AS4, AFS_VPNV4);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.n_ext_communities = 1;
	t.ext_communities = &rt;
	t.label = 0x100 << 4;		/* as received */
	t.has_srv6 = 1;
	t.srv6.sid = A("fc00:0:2:2:100::").v6;	/* transposition undone */
	t.srv6.behavior = SRV6_BEHAVIOR_OPAQUE;
	t.srv6.has_structure = 1;
	t.srv6.st = (struct srv6_sid_structure){ 40, 24, 16, 0, 16, 64 };
	a = rde_attrs_intern(&t);
	vpn_route_add(src, "65000:2", "10.1.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	rde_out_peer_up(notr);
	run();

	nth_update(2, 0, true);
	vpn_decode(&g, 0);
	assert_string_equal(addr2str(&g.nh.global), "192.0.2.2");
	assert_int_equal(g.n[0].rd, RD("65000:2"));
	assert_int_equal(g.n[0].label, 4096);
	assert_int_equal(g.n[0].wire_label, 0x010001);
	assert_in6(&g.info.sid, "fc00:0:2:2::");
	assert_int_equal(g.info.behavior, SRV6_BEHAVIOR_OPAQUE);
	assert_int_equal(g.info.st.lbl, 40);
	assert_int_equal(g.info.st.lnl, 24);
	assert_int_equal(g.info.st.tl, 16);
	assert_int_equal(g.info.st.to, 64);
	assert_in6(&g.sid, "fc00:0:2:2:100::");
	assert_int_equal(attr_u32(BGP_ATTR_ORIGINATOR_ID), 0x0a000001);
	assert_int_equal(attr_u32(BGP_ATTR_CLUSTER_LIST), 0xc0000201);
	assert_non_null(bgp_update_attr(&upd, BGP_ATTR_EXT_COMMUNITIES));

	nth_update(3, 0, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.n[0].label, SRV6_LABEL_IMPLICIT_NULL);
	assert_in6(&g.info.sid, "fc00:0:2:2:100::");
	assert_int_equal(g.info.st.tl, 0);
	assert_int_equal(g.info.st.to, 0);
	assert_in6(&g.sid, "fc00:0:2:2:100::");
}

/*
 * A route received with its SID whole (TL 0) is reflected whole, even to
 * a neighbor that takes transposed SIDs: only our own SIDs get their
 * function transposed (the originator chose, and its structure may not
 * say where the function is).
 */
static void
test_vpn_reflect_whole(void **state)
{
	struct rde_peer		*src, *cl;
	struct rde_attrs	 t, *a;
	struct vpn_got		 g;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.label = SRV6_LABEL_IMPLICIT_NULL;
	t.has_srv6 = 1;
	t.srv6.sid = A("fc00:0:2:2:100::").v6;
	t.srv6.behavior = SRV6_BEHAVIOR_END_DT4;
	t.srv6.has_structure = 1;
	t.srv6.st = (struct srv6_sid_structure){ 32, 16, 16, 0, 0, 0 };
	a = rde_attrs_intern(&t);
	vpn_route_add(src, "65000:2", "10.1.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	run();
	nth_update(2, 0, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.n[0].label, SRV6_LABEL_IMPLICIT_NULL);
	assert_int_equal(g.info.st.tl, 0);
	assert_in6(&g.info.sid, "fc00:0:2:2:100::");
}

/* A plain MPLS VPN route (no Prefix-SID) keeps its label when reflected. */
static void
test_vpn_mpls_label(void **state)
{
	struct rde_peer		*src, *cl;
	struct rde_attrs	 t, *a;
	struct vpn_got		 g;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.label = 16001;
	a = rde_attrs_intern(&t);
	vpn_route_add(src, "192.0.2.2:7", "10.9.0.0/16", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	run();
	nth_update(2, 0, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.sid_rv, PREFIX_SID_ABSENT);
	assert_int_equal(g.nn, 1);
	assert_int_equal(g.n[0].label, 16001);
	assert_int_equal(g.n[0].wire_label, 16001 << 4 | 1);
	assert_int_equal(g.n[0].rd, RD("192.0.2.2:7"));
	assert_string_equal(rd2str(g.n[0].rd), "192.0.2.2:7");
}

/*
 * Withdrawal: MP_UNREACH_NLRI with the RD and the label 0x800000 (RFC
 * 8277 §2.4), every byte.  End-of-RIB for both VPN families: an empty
 * MP_UNREACH_NLRI each (RFC 4724 §2), as vpn_eor() reads it.
 */
static void
test_vpn_withdraw_eor(void **state)
{
	struct rde_peer		*ib;
	struct rde_attrs	*a;
	const struct captured	*c;
	size_t			 i, eor4 = 0, eor6 = 0;
	uint16_t		 afi;

	(void)state;
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV4 | AFS_VPNV6);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	vpn_route_add(&rde_peer_self, "65001:10", "10.200.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	for (i = 0; i < ncaps; i++) {
		if (caps[i].type != IMSG_UPDATE)
			continue;
		parse(&caps[i], true);
		if (!vpn_eor(&upd, &afi))
			continue;
		eor4 += afi == BGP_AFI_IPV4;
		eor6 += afi == BGP_AFI_IPV6;
		/* header, two lengths, MP_UNREACH: AFI, SAFI 128 */
		assert_int_equal(caps[i].len, 19 + 2 + 2 + 3 + 3);
	}
	assert_int_equal(eor4, 1);
	assert_int_equal(eor6, 1);
	assert_int_equal(sent_to(2).eor_told, 1);
	caps_clear();

	vpn_route_del(&rde_peer_self, "65001:10", "10.200.0.0/24");
	run();
	c = nth_capture(2, 0);
	assert_bytes(c,
	    "ffffffffffffffffffffffffffffffff 002d 02"
	    "0000 0016"
	    "900f0012 0001 80"
	    "  70 800000 0000fde90000000a 0ac800");
	assert_int_equal(sent_to(2).withdrawn, 1);
	assert_int_equal(ib->prefixes_sent, 0);
	/* gone: not withdrawn twice */
	caps_clear();
	vpn_route_del(&rde_peer_self, "65001:10", "10.200.0.0/24");
	run();
	assert_int_equal(ncaps, 0);
}

/*
 * The same prefix under two RDs is two routes: two NLRI (in one UPDATE,
 * as they share the set), two Adj-RIB-Out entries; withdrawing one
 * leaves the other.  A route refresh for VPNv4 sends both again.
 */
static void
show_rd_cb(rd_t rd, const struct srv6d_prefix *p, struct rde_attrs *a,
    void *arg)
{
	rd_t	*rds = arg;

	assert_non_null(a);
	assert_int_equal(p->len, 24);
	assert_string_equal(addr2str(&p->addr), "10.1.0.0");
	if (rds[0] == 0)
		rds[0] = rd;
	else
		rds[1] = rd;
}

static void
test_vpn_two_rds(void **state)
{
	struct rde_peer		*src, *cl;
	struct rde_attrs	 t, *a;
	struct vpn_got		 g;
	struct session_refresh	 r;
	struct sent		 s;
	rd_t			 rds[2] = { 0, 0 };

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.label = 100;
	a = rde_attrs_intern(&t);
	vpn_route_add(src, "65000:1", "10.1.0.0/24", a);
	vpn_route_add(src, "65000:2", "10.1.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	run();
	s = sent_to(2);
	assert_int_equal(s.updates, 1);
	assert_int_equal(s.announced, 2);
	assert_int_equal(cl->prefixes_sent, 2);
	nth_update(2, 0, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.nn, 2);
	/* sorted by key: the RD first */
	assert_int_equal(g.n[0].rd, RD("65000:1"));
	assert_int_equal(g.n[1].rd, RD("65000:2"));
	assert_int_equal(addr_cmp(&g.n[0].prefix.addr, &g.n[1].prefix.addr),
	    0);
	rde_out_show_rd(cl, AID_VPNV4, show_rd_cb, rds);
	assert_int_equal(rds[0], RD("65000:1"));
	assert_int_equal(rds[1], RD("65000:2"));

	caps_clear();
	memset(&r, 0, sizeof(r));
	r.afi = BGP_AFI_IPV4;
	r.safi = BGP_SAFI_MPLSVPN;
	r.subtype = BGP_RR_NORMAL;
	rde_out_refresh(cl, &r);
	run();
	assert_int_equal(sent_to(2).announced, 2);

	caps_clear();
	vpn_route_del(src, "65000:1", "10.1.0.0/24");
	run();
	s = sent_to(2);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.announced, 0);
	assert_true(upd.has_unreach);
	vpn_nlri_next(&upd.unreach.nlri, BGP_AFI_IPV4, &g.n[0], NULL);
	assert_int_equal(g.n[0].rd, RD("65000:1"));
	assert_int_equal(cl->prefixes_sent, 1);
}

/*
 * Switching transposition off by a reload (the session stays up): the
 * peer has the same attribute sets, but they go out again with the
 * whole SID and label 3.
 */
static void
test_vpn_transposition_reload(void **state)
{
	struct rde_peer		*ib;
	struct rde_attrs	*a;
	struct vpn_got		 g;
	struct sent		 s;

	(void)state;
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV4 | AFS_IPV4_UNICAST);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	vpn_route_add(&rde_peer_self, "65001:10", "10.200.0.0/24", a);
	rde_attrs_unref(a);
	a = attrs_new(path_of(NULL, 0), "192.0.2.9");
	route_add(&rde_peer_self, "10.0.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	nth_update(2, 0, true);
	if (!upd.has_reach)
		nth_update(2, 1, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.n[0].label, 0xe000u << 4);

	/* nothing changed: nothing sent */
	caps_clear();
	rde_out_reload();
	run();
	assert_int_equal(sent_to(2).updates, 0);

	caps_clear();
	confs[2].flags |= NEIGH_F_NO_TRANSPOSE;
	rde_out_reload();
	run();
	s = sent_to(2);
	assert_int_equal(s.updates, 1);		/* VPNv4 only */
	assert_int_equal(s.announced, 1);
	nth_update(2, 0, true);
	vpn_decode(&g, 0);
	assert_int_equal(g.n[0].label, SRV6_LABEL_IMPLICIT_NULL);
	assert_in6(&g.info.sid, OUR_SID);
	assert_int_equal(ib->prefixes_sent, 2);
}

/*
 * The Prefix-SID goes in ascending type order among the unknown
 * transitive attributes passed on (RFC 4271 §5), and replaces a raw
 * Prefix-SID kept there: one attribute of a type (RFC 7606 §3 g).
 */
static void
test_vpn_attr_order(void **state)
{
	struct rde_peer		*src, *cl;
	struct rde_attrs	 t, *a;
	struct vpn_got		 g;
	uint8_t			 others[64];
	size_t			 n;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	n = unhex("e0 24 02 abcd"		/* type 36, partial */
	    "e0 28 03 010004"			/* a raw Prefix-SID */
	    "f0 c8 0001 ee",			/* type 200, extended length */
	    others, sizeof(others));
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.others = others;
	t.others_len = (uint16_t)n;
	t.has_srv6 = 1;
	t.srv6.sid = A("fc00:0:2:2:100::").v6;
	t.srv6.behavior = SRV6_BEHAVIOR_END_DT4;
	a = rde_attrs_intern(&t);
	vpn_route_add(src, "65000:2", "10.1.0.0/24", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	run();
	nth_update(2, 0, true);
	assert_true(upd.pos[36] != 0);
	assert_true(upd.pos[BGP_ATTR_PREFIX_SID] != 0);
	assert_true(upd.pos[200] != 0);
	assert_true(upd.pos[36] < upd.pos[BGP_ATTR_PREFIX_SID]);
	assert_true(upd.pos[BGP_ATTR_PREFIX_SID] < upd.pos[200]);
	assert_int_equal(bgp_update_attr(&upd, 200)->val.len, 1);
	vpn_decode(&g, 0);
	/* no structure received: the SID whole, label 3 */
	assert_int_equal(g.n[0].label, SRV6_LABEL_IMPLICIT_NULL);
	assert_in6(&g.sid, "fc00:0:2:2:100::");
	assert_int_equal(bgp_update_attr(&upd, BGP_ATTR_PREFIX_SID)->val.len,
	    PREFIX_SID_SRV6_ENCODED_LEN);
}

/*
 * The size limit counts the label, RD and the 12-byte next hop: with
 * 1001 communities a reflected VPNv4 /32 fills a 4096-byte UPDATE
 * exactly and is sent; with 1002 (4100 bytes) it is not sent (and that
 * is not fatal).
 */
static struct rde_attrs *
vpn_attrs_communities(size_t n)
{
	struct rde_attrs	 t, *a;
	uint32_t		*c;
	size_t			 i;

	c = calloc(n, sizeof(*c));
	assert_non_null(c);
	for (i = 0; i < n; i++)
		c[i] = 65000u << 16 | (uint32_t)i;
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.nexthop = A("192.0.2.2");
	t.label = 100;
	t.communities = c;
	t.n_communities = (uint16_t)n;
	a = rde_attrs_intern(&t);
	free(c);
	return a;
}

static void
test_vpn_oversize(void **state)
{
	struct rde_peer		*src, *cl;
	struct rde_attrs	*a;
	struct out_peer_stats	 st;
	struct sent		 s;

	(void)state;
	src = peer_new(1, "192.0.2.2", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	cl = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS,
	    NEIGH_F_RR_CLIENT, CAPA_AS4, AFS_VPNV4);
	a = vpn_attrs_communities(1001);
	vpn_route_add(src, "65000:1", "10.1.0.1/32", a);
	rde_attrs_unref(a);
	a = vpn_attrs_communities(1002);
	vpn_route_add(src, "65000:1", "10.1.0.2/32", a);
	rde_attrs_unref(a);
	rde_out_peer_up(cl);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 1);
	assert_int_equal(s.maxlen, 4096);
	assert_int_equal(cl->prefixes_sent, 1);
	rde_out_peer_stats(cl, &st);
	assert_int_equal(st.skipped, 1);
}

/* Many VPN prefixes with one set: packed full, 15 bytes per /24. */
static void
test_vpn_packing(void **state)
{
	struct rde_peer		*ib;
	struct rde_attrs	*a;
	struct sent		 s;
	char			 buf[32];
	size_t			 i;

	(void)state;
	ib = peer_new(2, "192.0.2.3", "192.0.2.1", LOCAL_AS, 0, CAPA_AS4,
	    AFS_VPNV4);
	a = vpn_attrs_ours(OUR_SID, SRV6_BEHAVIOR_END_DT4);
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "10.%zu.%zu.0/24", i / 256,
		    i % 256);
		vpn_route_add(&rde_peer_self, "65001:10", buf, a);
	}
	rde_attrs_unref(a);
	rde_out_peer_up(ib);
	run();
	s = sent_to(2);
	assert_int_equal(s.announced, 1000);
	/* (4096 - 124 + 15) / 15 = 265 prefixes in a full message */
	assert_int_equal(s.updates, 4);
	assert_true(s.maxlen > BGP_MAX_LEN - 15);
	assert_true(s.maxlen <= BGP_MAX_LEN);
	assert_int_equal(ib->prefixes_sent, 1000);
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
		cmocka_unit_test_setup_teardown(test_vpn_ours_transposed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpn_ours_not_transposed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpn_nexthops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_reflect, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_reflect_whole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpn_mpls_label, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_withdraw_eor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_two_rds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_transposition_reload,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpn_attr_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_oversize, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_packing, setup,
		    teardown),
	};
	int	rv;

	event_init();
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	free(caps);
	return rv;
}
