/*
 * test_rde_vrf: VRFs in the RDE — SIDs per kernel mode, export of VRF
 * routes as VPN routes, import by route target (overlapping prefixes in
 * two VRFs, two RDs of one prefix, leaking between local VRFs), routes
 * without a usable SID, the batches for the parent, kernel routes,
 * locator announcement, reloads, and fib-update per family (global best
 * routes in table main).
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde.h"
#include "rde_show.h"

/* ------------------------------------------------------------------ */
/* what rde.c and rde_out.c provide in the daemon                      */

struct srv6d_config	*rde_conf;
struct rde_peer		 rde_peer_self;
struct rde_peer_tree	 rde_peers = RB_INITIALIZER(&rde_peers);
static unsigned int	 synced_calls;

static int
rde_peer_cmp(struct rde_peer *a, struct rde_peer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)
static unsigned int	 out_calls;	/* best changes seen by the peers */

void
rde_out_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	(void)t;
	(void)pfx;
	(void)old_best;
	(void)old_attrs;
	(void)new_best;
	out_calls++;
}

void
rde_se_compose(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	(void)type;
	(void)peerid;
	(void)data;
	(void)len;
}

/* The batches the parent was sent, kept as records. */
#define REC_MAX	64
static struct fib_route		routes[REC_MAX];
static struct fib_nexthop	route_nh[REC_MAX];	/* the first path */
static struct fib_nexthop	route_nh2[REC_MAX];	/* the second */
static size_t			nroutes;
static struct fib_sid		fsids[REC_MAX];
static size_t			nsids;

/* no show dumps run here */
void
rde_show_table_gone(struct rde_table *t)
{
	(void)t;
}

void
rde_parent_compose(uint32_t type, const void *data, size_t len)
{
	const uint8_t		*p = data;
	struct fib_route	 r;

	if (type == IMSG_FIB_SYNCED) {
		assert_int_equal(len, 0);
		synced_calls++;
		return;
	}
	if (type == IMSG_FIB_SIDS) {
		assert_int_equal(len % sizeof(struct fib_sid), 0);
		for (; len > 0; p += sizeof(struct fib_sid),
		    len -= sizeof(struct fib_sid)) {
			assert_true(nsids < REC_MAX);
			memcpy(&fsids[nsids++], p, sizeof(struct fib_sid));
		}
		return;
	}
	assert_int_equal(type, IMSG_FIB_ROUTES);
	while (len > 0) {
		assert_true(len >= sizeof(r));
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		len -= sizeof(r);
		assert_true(nroutes < REC_MAX);
		routes[nroutes] = r;
		assert_true(len >= r.n_nexthops * sizeof(route_nh[0]));
		if (r.n_nexthops > 0)
			memcpy(&route_nh[nroutes], p, sizeof(route_nh[0]));
		if (r.n_nexthops > 1)
			memcpy(&route_nh2[nroutes], p + sizeof(route_nh[0]),
			    sizeof(route_nh[0]));
		p += r.n_nexthops * sizeof(route_nh[0]);
		len -= r.n_nexthops * sizeof(route_nh[0]);
		nroutes++;
	}
}

static void
records_clear(void)
{
	rde_fib_flush();
	nroutes = nsids = 0;
}

/* ------------------------------------------------------------------ */
/* set-up                                                              */

static const char conf_text[] =
    "as 65001\n"
    "router-id 192.0.2.1\n"
    "srv6 {\n"
    "	locator main prefix fc00:0:1::/48 block-length 32 "
    "node-length 16 function-length 16\n"
    "}\n"
    "vrf vrf0 {\n"
    "	table 10\n"
    "	rd 65001:10\n"
    "	import-target 65000:10\n"
    "	export-target 65001:10\n"
    "	sid auto\n"
    "	network 10.200.0.0/24\n"
    "	network 2001:db8:200::/64\n"
    "	network connected\n"
    "}\n"
    "vrf vrf1 {\n"
    "	table 11\n"
    "	rd 65001:11\n"
    "	import-target 65000:11\n"
    "	import-target %s\n"
    "	export-target 65001:11\n"
    "	sid per-ce\n"
    "	network 10.200.0.0/24\n"
    "	network kernel\n"
    "}\n";

static struct rde_peer	 pe;		/* a PE (or reflector) */

/* The configuration with extra global lines (fib-update) before it. */
static struct srv6d_config *
conf_load_extra(const char *leak, const char *extra)
{
	struct srv6d_config	*c;
	char			 path[] = "/tmp/test_rde_vrf.XXXXXX", *errs;
	FILE			*f;
	int			 fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(extra, f);
	fprintf(f, conf_text, leak);
	fclose(f);
	c = parse_config(path, &errs);
	unlink(path);
	if (c == NULL)
		fail_msg("config: %s", errs);
	return c;
}

static struct srv6d_config *
conf_load(const char *leak)
{
	return conf_load_extra(leak, "");
}

static void
reload(struct srv6d_config *c)
{
	struct rde_reload_stats	st;

	rde_apply_config(&rde_vrfs, c, &st);
	config_free(rde_conf);
	rde_conf = c;
	rde_vrf_reload();
}

static int
setup_mode(enum kernel_mode mode, const char *leak)
{
	rde_rib_init();
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65001;
	inet_pton(AF_INET, "192.0.2.1", &rde_self.router_id);
	memset(&rde_peer_self, 0, sizeof(rde_peer_self));
	rde_peer_self.state = PEER_UP;
	rde_peer_self.remote_as = 65001;
	memset(&pe, 0, sizeof(pe));
	pe.id = 7;
	pe.state = PEER_UP;
	pe.remote_as = 65001;
	pe.sess.remote_addr.af = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &pe.sess.remote_addr.v6);
	inet_pton(AF_INET, "10.0.0.2", &pe.sess.remote_id);
	rde_kernel_mode = mode;
	out_calls = 0;
	synced_calls = 0;
	nroutes = nsids = 0;
	reload(conf_load(leak));
	return 0;
}

static int
setup_table(void **state)
{
	(void)state;
	return setup_mode(KERNEL_MODE_TABLE, "65000:99");
}

static int
setup_vrf(void **state)
{
	(void)state;
	return setup_mode(KERNEL_MODE_VRF, "65000:99");
}

/* vrf1 also imports what vrf0 exports */
static int
setup_leak(void **state)
{
	(void)state;
	return setup_mode(KERNEL_MODE_VRF, "65001:10");
}

static int
teardown(void **state)
{
	(void)state;
	rde_vrf_shutdown();
	rde_rib_shutdown();
	config_free(rde_conf);
	rde_conf = NULL;
	assert_int_equal(rde_rib_paths(), 0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct srv6d_prefix
pfx(const char *s)
{
	struct srv6d_prefix	p;

	assert_int_equal(str2prefix(s, &p), 0);
	return p;
}

static rd_t
rd(const char *s)
{
	rd_t	r;

	assert_int_equal(str2rd(s, &r), 0);
	return r;
}

static ext_community_t
rt(const char *s)
{
	ext_community_t	c;

	assert_int_equal(str2rt(s, &c), 0);
	return c;
}

static struct in6_addr
a6(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static const char *
sidstr(const struct in6_addr *a)
{
	static char	buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof(buf));
}

static struct rde_vrf *
vrf(const char *name)
{
	struct rde_vrf	*v = rde_vrf_find(&rde_vrfs, name);

	assert_non_null(v);
	return v;
}

/* The path of peer (src_rd) for prefix in t, or NULL. */
static struct rde_path *
path_in(struct rde_table *t, rd_t r, const char *prefix, struct rde_peer *peer,
    rd_t src)
{
	struct srv6d_prefix	 p = pfx(prefix);
	struct rde_prefix	*x;
	uint8_t			 key[RDE_KEY_MAX];

	rde_key_make(t->aid, r, &p, key);
	if ((x = rde_prefix_find(t, key, p.len)) == NULL)
		return NULL;
	return rde_path_find_rd(x, peer, src);
}

static struct rde_path *
exported(const char *rdtext, const char *prefix)
{
	struct srv6d_prefix	p = pfx(prefix);

	return path_in(&rde_tables[p.addr.af == AF_INET ? AID_VPNV4 :
	    AID_VPNV6], rd(rdtext), prefix, &rde_peer_self, 0);
}

/* A VPN route from pe: RD, prefix, targets, and a SID (NULL: none). */
static void
vpn_announce(const char *rdtext, const char *prefix, const char *rt1,
    const char *sid)
{
	struct srv6d_prefix	 p = pfx(prefix);
	enum rde_aid		 aid = p.addr.af == AF_INET ? AID_VPNV4 :
				    AID_VPNV6;
	struct rde_attrs	 t, *a;
	uint64_t		 ext[1];
	uint8_t			 key[RDE_KEY_MAX];

	rde_attrs_template(&t);
	t.aspath = rde_aspath_intern(NULL, 0);
	t.nexthop.af = AF_INET6;
	t.nexthop.v6 = a6("2001:db8::2");
	if (rt1 != NULL) {
		ext[0] = rt(rt1);
		t.ext_communities = ext;
		t.n_ext_communities = 1;
	}
	if (sid != NULL) {
		t.has_srv6 = 1;
		t.srv6.sid = a6(sid);
		t.srv6.behavior = SRV6_BEHAVIOR_OPAQUE;
	}
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	rde_key_make(aid, rd(rdtext), &p, key);
	rde_rib_update(&rde_tables[aid], &pe, key, p.len, a, a);
	rde_attrs_unref(a);
}

static void
vpn_withdraw(const char *rdtext, const char *prefix)
{
	struct srv6d_prefix	p = pfx(prefix);
	enum rde_aid		aid = p.addr.af == AF_INET ? AID_VPNV4 :
				    AID_VPNV6;
	uint8_t			key[RDE_KEY_MAX];

	rde_key_make(aid, rd(rdtext), &p, key);
	rde_rib_withdraw(&rde_tables[aid], &pe, key, p.len);
}

static bool
has_ext(const struct rde_attrs *a, ext_community_t c)
{
	uint16_t	i;

	for (i = 0; i < a->n_ext_communities; i++)
		if (a->ext_communities[i] == c)
			return true;
	return false;
}

static void
kroute(uint8_t op, uint32_t table, uint8_t type, const char *dst,
    const char *gw)
{
	struct kroute	k;

	memset(&k, 0, sizeof(k));
	k.op = op;
	k.table = table;
	k.type = type;
	k.dst = pfx(dst);
	if (gw != NULL)
		assert_int_equal(str2addr(gw, &k.gateway), 0);
	rde_vrf_kroutes(&k, sizeof(k));
}

/* ------------------------------------------------------------------ */
/* SIDs and export                                                     */

/* With VRF devices: one End.DT46 SID per VRF (vrf0), told the parent. */
static void
test_export_vrf_mode(void **state)
{
	struct rde_path	*p4, *p6;
	struct rde_vrf	*v = vrf("vrf0");

	(void)state;
	rde_fib_flush();
	assert_non_null(v->sid4);
	assert_ptr_equal(v->sid4, v->sid6);
	assert_int_equal(v->sid4->key.behavior, SRV6_BEHAVIOR_END_DT46);
	assert_int_equal(v->sid4->table, 10);
	assert_non_null(p4 = exported("65001:10", "10.200.0.0/24"));
	assert_non_null(p6 = exported("65001:10", "2001:db8:200::/64"));
	assert_true(p4->attrs->has_srv6);
	assert_memory_equal(&p4->attrs->srv6.sid, &v->sid4->sid, 16);
	assert_memory_equal(&p6->attrs->srv6.sid, &v->sid4->sid, 16);
	assert_int_equal(p4->attrs->srv6.behavior, SRV6_BEHAVIOR_END_DT46);
	/* the locator's structure, untransposed (the encoder decides) */
	assert_true(p4->attrs->srv6.has_structure);
	assert_true(p4->attrs->srv6.local);
	assert_int_equal(p4->attrs->srv6.st.lbl, 32);
	assert_int_equal(p4->attrs->srv6.st.lnl, 16);
	assert_int_equal(p4->attrs->srv6.st.fl, 16);
	assert_int_equal(p4->attrs->srv6.st.tl, 0);
	assert_true(has_ext(p4->attrs, rt("65001:10")));
	assert_false(has_ext(p4->attrs, rt("65000:10")));
	assert_int_equal(p4->attrs->nexthop.af, AF_UNSPEC);
	assert_int_equal(v->exported, 2);
	assert_int_equal(v->sid4->routes, 2);
	/* the SID lies in the locator, function not 0 */
	{
		struct in6_addr	loc = a6("fc00:0:1::");

		assert_memory_equal(&v->sid4->sid, &loc, 6);
	}
	assert_true(v->sid4->sid.s6_addr[6] != 0 ||
	    v->sid4->sid.s6_addr[7] != 0);
	/* vrf1 (sid per-ce): End.DX4 for its attached network */
	assert_null(vrf("vrf1")->sid4);
	assert_non_null(p4 = exported("65001:11", "10.200.0.0/24"));
	assert_int_equal(p4->attrs->srv6.behavior, SRV6_BEHAVIOR_END_DX4);
	/* the overlapping prefix of vrf0 and vrf1: two VPN routes */
	assert_memory_not_equal(&p4->attrs->srv6.sid, &v->sid4->sid, 16);
	/* the parent was told about both SIDs */
	assert_int_equal(nsids, 2);
	assert_int_equal(fsids[0].op, FIB_ADD);
	assert_int_equal(nroutes, 0);	/* nothing imported yet */
}

/* Without VRF devices: End.DT6 per VRF, End.DX4 per CE for IPv4. */
static void
test_export_table_mode(void **state)
{
	struct rde_vrf	*v = vrf("vrf0");
	struct rde_path	*p4;
	size_t		 i, dx4 = 0, dt6 = 0;

	(void)state;
	rde_fib_flush();
	assert_null(v->sid4);
	assert_non_null(v->sid6);
	assert_int_equal(v->sid6->key.behavior, SRV6_BEHAVIOR_END_DT6);
	assert_non_null(p4 = exported("65001:10", "10.200.0.0/24"));
	assert_int_equal(p4->attrs->srv6.behavior, SRV6_BEHAVIOR_END_DX4);
	for (i = 0; i < nsids; i++) {
		if (fsids[i].behavior == SRV6_BEHAVIOR_END_DX4 &&
		    strcmp(fsids[i].vrf, "vrf0") == 0) {
			dx4++;
			/* the attached network is the next hop */
			assert_int_equal(fsids[i].nh.af, AF_INET);
			assert_string_equal(addr2str(&fsids[i].nh),
			    "10.200.0.0");
			assert_memory_equal(&fsids[i].sid,
			    &p4->attrs->srv6.sid, 16);
		}
		if (fsids[i].behavior == SRV6_BEHAVIOR_END_DT6) {
			dt6++;
			assert_int_equal(fsids[i].table, 10);
		}
	}
	assert_int_equal(dx4, 1);
	assert_int_equal(dt6, 1);
}

/* The same configuration gives the same SIDs (a restart). */
static void
test_sids_deterministic(void **state)
{
	struct in6_addr	first;

	(void)state;
	first = vrf("vrf0")->sid6->sid;
	teardown(NULL);
	setup_mode(KERNEL_MODE_TABLE, "65000:99");
	assert_memory_equal(&vrf("vrf0")->sid6->sid, &first, 16);
}

/* ------------------------------------------------------------------ */
/* import                                                              */

/* Overlapping prefixes in two VRFs, each imports its own target only. */
static void
test_import_by_rt(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0"), *v1 = vrf("vrf1");
	struct rde_path	*p;

	(void)state;
	records_clear();
	vpn_announce("65000:1", "10.1.0.0/24", "65000:10", "fc00:0:2:1::");
	vpn_announce("65000:2", "10.1.0.0/24", "65000:11", "fc00:0:2:2::");
	vpn_announce("65000:3", "10.9.0.0/24", "65000:77", "fc00:0:2:3::");
	assert_non_null(p = path_in(v0->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:1")));
	assert_true(p->flags & PATH_F_BEST);
	assert_string_equal(sidstr(&p->attrs->srv6.sid), "fc00:0:2:1::");
	assert_null(path_in(v0->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:2")));
	assert_non_null(p = path_in(v1->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:2")));
	assert_string_equal(sidstr(&p->attrs->srv6.sid), "fc00:0:2:2::");
	assert_null(path_in(v1->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:1")));
	/* nobody imports 65000:77: it stays in the VPN RIB only */
	assert_null(path_in(v0->tables[0], 0, "10.9.0.0/24", &pe,
	    rd("65000:3")));
	assert_non_null(path_in(&rde_tables[AID_VPNV4], rd("65000:3"),
	    "10.9.0.0/24", &pe, 0));
	assert_int_equal(v0->imported, 1);
	assert_int_equal(v1->imported, 1);
	/* the parent installs each in its own table, towards its own SID */
	rde_fib_flush();
	assert_int_equal(nroutes, 2);
	assert_int_equal(routes[0].op, FIB_ADD);
	assert_int_equal(routes[0].table, 10);
	assert_string_equal(prefix2str(&routes[0].dst), "10.1.0.0/24");
	assert_string_equal(sidstr(&route_nh[0].sid), "fc00:0:2:1::");
	/* 0xffff: the behaviour inferred from the family */
	assert_int_equal(route_nh[0].behavior, SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(routes[1].table, 11);
	assert_string_equal(sidstr(&route_nh[1].sid), "fc00:0:2:2::");

	/* withdrawn: gone from the VRF and from the kernel */
	records_clear();
	vpn_withdraw("65000:1", "10.1.0.0/24");
	assert_null(path_in(v0->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:1")));
	assert_int_equal(v0->imported, 0);
	rde_fib_flush();
	assert_int_equal(nroutes, 1);
	assert_int_equal(routes[0].op, FIB_DEL);
	assert_int_equal(routes[0].table, 10);
}

/*
 * Two PEs with the same prefix (two RDs), equally good: one kernel route
 * with both SIDs (ECMP); one withdrawn, one
 * path left.
 */
static void
test_ecmp(void **state)
{
	(void)state;
	records_clear();
	vpn_announce("65000:1", "10.1.0.0/24", "65000:10", "fc00:0:2:1::");
	vpn_announce("65000:2", "10.1.0.0/24", "65000:10", "fc00:0:3:1::");
	rde_fib_flush();
	assert_true(nroutes >= 2);
	assert_int_equal(routes[nroutes - 1].op, FIB_ADD);
	assert_int_equal(routes[nroutes - 1].n_nexthops, 2);
	assert_string_equal(sidstr(&route_nh[nroutes - 1].sid),
	    "fc00:0:2:1::");
	assert_string_equal(sidstr(&route_nh2[nroutes - 1].sid),
	    "fc00:0:3:1::");
	records_clear();
	vpn_withdraw("65000:1", "10.1.0.0/24");
	rde_fib_flush();
	assert_true(nroutes >= 1);
	assert_int_equal(routes[nroutes - 1].op, FIB_ADD);
	assert_int_equal(routes[nroutes - 1].n_nexthops, 1);
	assert_string_equal(sidstr(&route_nh[nroutes - 1].sid),
	    "fc00:0:3:1::");
	records_clear();
	vpn_withdraw("65000:2", "10.1.0.0/24");
	rde_fib_flush();
	assert_int_equal(nroutes, 1);
	assert_int_equal(routes[0].op, FIB_DEL);
}

/* A route that loses the VRF's target leaves it; IPv6 works alike. */
static void
test_import_rt_change(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0");

	(void)state;
	vpn_announce("65000:1", "2001:db8:1::/64", "65000:10", "fc00:0:2:1::");
	assert_non_null(path_in(v0->tables[1], 0, "2001:db8:1::/64", &pe,
	    rd("65000:1")));
	vpn_announce("65000:1", "2001:db8:1::/64", "65000:11", "fc00:0:2:1::");
	assert_null(path_in(v0->tables[1], 0, "2001:db8:1::/64", &pe,
	    rd("65000:1")));
	assert_int_equal(v0->imported, 0);
}

/* Without a SID the route is imported, visible, never installed. */
static void
test_import_without_sid(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0");
	struct rde_path	*p;

	(void)state;
	records_clear();
	vpn_announce("65000:1", "10.1.0.0/24", "65000:10", NULL);
	assert_non_null(p = path_in(v0->tables[0], 0, "10.1.0.0/24", &pe,
	    rd("65000:1")));
	assert_false(p->flags & PATH_F_ELIGIBLE);
	assert_false(p->flags & PATH_F_BEST);
	rde_fib_flush();
	assert_int_equal(nroutes, 0);
}

/* The VRF's own route beats an imported one for the same prefix. */
static void
test_local_wins(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0");
	struct rde_path	*p;

	(void)state;
	records_clear();
	vpn_announce("65000:1", "10.200.0.0/24", "65000:10", "fc00:0:2:1::");
	assert_non_null(p = path_in(v0->tables[0], 0, "10.200.0.0/24",
	    &rde_peer_self, 0));
	assert_true(p->flags & PATH_F_BEST);
	rde_fib_flush();
	assert_int_equal(nroutes, 0);
	assert_non_null(exported("65001:10", "10.200.0.0/24"));
}

/* vrf1 imports vrf0's export target: vrf0's routes leak into it. */
static void
test_leak(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0"), *v1 = vrf("vrf1");
	struct rde_path	*p;

	(void)state;
	assert_non_null(p = path_in(v1->tables[1], 0, "2001:db8:200::/64",
	    &rde_peer_self, rd("65001:10")));
	assert_true(p->flags & PATH_F_BEST);
	assert_memory_equal(&p->attrs->srv6.sid, &v0->sid6->sid, 16);
	/* vrf1's own 10.200.0.0/24 wins over vrf0's */
	assert_non_null(p = path_in(v1->tables[0], 0, "10.200.0.0/24",
	    &rde_peer_self, 0));
	assert_true(p->flags & PATH_F_BEST);
	/* vrf0 does not import its own routes back */
	assert_int_equal(v0->imported, 0);
	assert_null(path_in(v0->tables[0], 0, "10.200.0.0/24",
	    &rde_peer_self, rd("65001:10")));
}

/* ------------------------------------------------------------------ */
/* kernel routes, locators, reloads                                    */

static void
test_kroutes(void **state)
{
	struct rde_vrf	*v0 = vrf("vrf0"), *v1 = vrf("vrf1");
	struct rde_path	*p1, *p2;

	(void)state;
	/* vrf0 takes connected routes only, vrf1 kernel routes only */
	kroute(FIB_ADD, 10, KROUTE_CONNECTED, "10.201.0.0/24", NULL);
	kroute(FIB_ADD, 10, KROUTE_KERNEL, "10.202.0.0/24", "10.201.0.1");
	assert_non_null(exported("65001:10", "10.201.0.0/24"));
	assert_null(exported("65001:10", "10.202.0.0/24"));
	/* per CE: two routes via one CE share one End.DX4 SID */
	kroute(FIB_ADD, 11, KROUTE_KERNEL, "10.210.0.0/24", "10.209.0.1");
	kroute(FIB_ADD, 11, KROUTE_KERNEL, "10.211.0.0/24", "10.209.0.1");
	kroute(FIB_ADD, 11, KROUTE_CONNECTED, "10.209.0.0/24", NULL);
	assert_non_null(p1 = exported("65001:11", "10.210.0.0/24"));
	assert_non_null(p2 = exported("65001:11", "10.211.0.0/24"));
	assert_null(exported("65001:11", "10.209.0.0/24"));
	assert_memory_equal(&p1->attrs->srv6.sid, &p2->attrs->srv6.sid, 16);
	assert_int_equal(v1->exported, 3);
	records_clear();
	kroute(FIB_DEL, 11, KROUTE_KERNEL, "10.210.0.0/24", NULL);
	rde_fib_flush();
	assert_int_equal(nsids, 0);	/* still used by 10.211.0.0/24 */
	kroute(FIB_DEL, 11, KROUTE_KERNEL, "10.211.0.0/24", NULL);
	rde_fib_flush();
	assert_int_equal(nsids, 1);	/* the CE's SID is released */
	assert_int_equal(fsids[0].op, FIB_DEL);
	assert_int_equal(fsids[0].behavior, SRV6_BEHAVIOR_END_DX4);
	assert_null(exported("65001:11", "10.210.0.0/24"));
	assert_int_equal(v1->exported, 1);
	(void)v0;
}

static void
test_locator_announced(void **state)
{
	(void)state;
	assert_non_null(path_in(&rde_tables[AID_IPV6], 0, "fc00:0:1::/48",
	    &rde_peer_self, 0));
}

/* A VRF removed by reload takes its routes, imports and SIDs along. */
static void
test_reload_remove(void **state)
{
	struct srv6d_config	*c;
	struct vrf_config	*vc;
	size_t			 i, dels = 0;

	(void)state;
	vpn_announce("65000:1", "10.1.0.0/24", "65000:10", "fc00:0:2:1::");
	records_clear();
	c = conf_load("65000:99");
	vc = config_find_vrf(c, "vrf0");
	TAILQ_REMOVE(&c->vrfs, vc, entry);
	vrf_config_free(vc);
	reload(c);
	assert_null(rde_vrf_find(&rde_vrfs, "vrf0"));
	assert_null(exported("65001:10", "10.200.0.0/24"));
	assert_null(exported("65001:10", "2001:db8:200::/64"));
	assert_non_null(exported("65001:11", "10.200.0.0/24"));
	rde_fib_flush();
	assert_int_equal(nroutes, 1);
	assert_int_equal(routes[0].op, FIB_DEL);
	assert_int_equal(routes[0].table, 10);
	for (i = 0; i < nsids; i++)
		if (fsids[i].op == FIB_DEL && strcmp(fsids[i].vrf, "vrf0") == 0)
			dels++;
	assert_int_equal(dels, nsids);
	assert_true(dels >= 1);
	/* an unchanged configuration changes nothing */
	records_clear();
	c = conf_load("65000:99");
	vc = config_find_vrf(c, "vrf0");
	TAILQ_REMOVE(&c->vrfs, vc, entry);
	vrf_config_free(vc);
	reload(c);
	rde_fib_flush();
	assert_int_equal(nroutes + nsids, 0);
}

/* A route of the global unicast table from pe (gw: its next hop). */
static void
global_announce(const char *prefix, const char *gw)
{
	struct srv6d_prefix	 p = pfx(prefix);
	enum rde_aid		 aid = p.addr.af == AF_INET ? AID_IPV4 :
				    AID_IPV6;
	struct rde_attrs	 t, *a;
	uint8_t			 key[RDE_KEY_MAX];

	rde_attrs_template(&t);
	t.aspath = rde_aspath_intern(NULL, 0);
	assert_int_equal(str2addr(gw, &t.nexthop), 0);
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	rde_key_make(aid, 0, &p, key);
	rde_rib_update(&rde_tables[aid], &pe, key, p.len, a, a);
	rde_attrs_unref(a);
}

static void
global_withdraw(const char *prefix)
{
	struct srv6d_prefix	p = pfx(prefix);
	enum rde_aid		aid = p.addr.af == AF_INET ? AID_IPV4 :
				    AID_IPV6;
	uint8_t			key[RDE_KEY_MAX];

	rde_key_make(aid, 0, &p, key);
	rde_rib_withdraw(&rde_tables[aid], &pe, key, p.len);
}

/* The one route the last flush sent: op, table main, prefix. */
static void
assert_main_route(uint8_t op, const char *prefix, const char *gw)
{
	rde_fib_flush();
	assert_int_equal(nroutes, 1);
	assert_int_equal(routes[0].op, op);
	assert_int_equal(routes[0].table, 254);
	assert_string_equal(prefix2str(&routes[0].dst), prefix);
	if (gw != NULL) {
		assert_int_equal(routes[0].n_nexthops, 1);
		assert_string_equal(addr2str(&route_nh[0].gateway), gw);
	}
	records_clear();
}

/*
 * fib-update per family: with IPv4 unicast only, the IPv4 best route
 * of the global table goes to table main and the IPv6 one does not; a
 * reload that turns IPv6 on adds it (and nothing of IPv4 again), one
 * that turns it off deletes it; route changes follow each family's
 * setting.
 */
static void
test_fib_update_family(void **state)
{
	(void)state;
	records_clear();
	reload(conf_load_extra("65000:99", "fib-update ipv4-unicast yes\n"));
	rde_fib_flush();
	assert_int_equal(nroutes, 0);		/* no global routes yet */
	records_clear();
	global_announce("10.50.0.0/24", "10.0.0.2");
	global_announce("2001:db8:50::/64", "2001:db8::2");
	assert_main_route(FIB_ADD, "10.50.0.0/24", "10.0.0.2");

	/* IPv6 turned on: only its route is sent */
	reload(conf_load_extra("65000:99", "fib-update ipv4-unicast yes\n"
	    "fib-update ipv6-unicast yes\n"));
	assert_main_route(FIB_ADD, "2001:db8:50::/64", "2001:db8::2");
	/* the same again changes nothing */
	reload(conf_load_extra("65000:99", "fib-update yes\n"));
	rde_fib_flush();
	assert_int_equal(nroutes, 0);

	/* IPv6 off again: its route is deleted, IPv4's stays */
	reload(conf_load_extra("65000:99",
	    "fib-update yes\nfib-update ipv6-unicast no\n"));
	assert_main_route(FIB_DEL, "2001:db8:50::/64", NULL);

	/* IPv6 changes stay out of table main, IPv4 ones go in */
	global_withdraw("2001:db8:50::/64");
	global_announce("2001:db8:51::/64", "2001:db8::2");
	rde_fib_flush();
	assert_int_equal(nroutes, 0);
	global_withdraw("10.50.0.0/24");
	assert_main_route(FIB_DEL, "10.50.0.0/24", NULL);

	/* IPv4 off, IPv6 on: the IPv6 route that came while off goes in */
	global_announce("10.51.0.0/24", "10.0.0.2");
	assert_main_route(FIB_ADD, "10.51.0.0/24", "10.0.0.2");
	reload(conf_load_extra("65000:99", "fib-update ipv6-unicast yes\n"));
	rde_fib_flush();
	assert_int_equal(nroutes, 2);
	assert_int_equal(routes[0].op, FIB_DEL);
	assert_string_equal(prefix2str(&routes[0].dst), "10.51.0.0/24");
	assert_int_equal(routes[1].op, FIB_ADD);
	assert_string_equal(prefix2str(&routes[1].dst), "2001:db8:51::/64");
	records_clear();
	global_withdraw("10.51.0.0/24");
	global_withdraw("2001:db8:51::/64");
	assert_main_route(FIB_DEL, "2001:db8:51::/64", NULL);
}

/*
 * The parent hears once that the initial routes are in: at once without
 * neighbors, else when each neighbor that is up sent End-of-RIB for what
 * it negotiated.
 */
static void
test_synced(void **state)
{
	struct neighbor_config	nc;

	(void)state;
	rde_fib_flush();
	assert_int_equal(synced_calls, 1);	/* no neighbors */
	rde_fib_flush();
	assert_int_equal(synced_calls, 1);	/* once */

	rde_vrf_shutdown();
	memset(&nc, 0, sizeof(nc));
	pe.conf = &nc;
	pe.state = PEER_DOWN;
	RB_INSERT(rde_peer_tree, &rde_peers, &pe);
	synced_calls = 0;
	rde_fib_flush();
	assert_int_equal(synced_calls, 0);	/* the neighbor is down */
	pe.state = PEER_UP;
	pe.sess.afs = AFS_VPNV4 | AFS_VPNV6;
	pe.eor_rcvd = AFS_VPNV4;
	rde_fib_flush();
	assert_int_equal(synced_calls, 0);	/* one family to go */
	pe.eor_rcvd |= AFS_VPNV6;
	rde_fib_flush();
	assert_int_equal(synced_calls, 1);
	RB_REMOVE(rde_peer_tree, &rde_peers, &pe);
	pe.conf = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export_vrf_mode,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_export_table_mode,
		    setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_sids_deterministic,
		    setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_import_by_rt,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_ecmp,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_import_rt_change,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_import_without_sid,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_local_wins,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_leak,
		    setup_leak, teardown),
		cmocka_unit_test_setup_teardown(test_kroutes,
		    setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_locator_announced,
		    setup_table, teardown),
		cmocka_unit_test_setup_teardown(test_reload_remove,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_synced,
		    setup_vrf, teardown),
		cmocka_unit_test_setup_teardown(test_fib_update_family,
		    setup_vrf, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
