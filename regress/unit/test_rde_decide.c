/*
 * rde_decide.c: the decision process, one step at a time.  Each test
 * makes two paths that tie on every step before the one under test and
 * checks which wins, and why.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde_stubs.h"

static struct rde_peer	pa, pb;

struct pair {
	struct rde_path	a, b;
};

/* Both paths from eBGP peers in AS 65001, ids 1.1.1.1 / 2.2.2.2. */
static int
setup(void **state)
{
	(void)state;
	rde_attr_init();
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65000;
	peer_init(&pa, 1, true, 65001, "10.0.0.1", "1.1.1.1");
	peer_init(&pb, 2, true, 65001, "10.0.0.2", "2.2.2.2");
	rde_local_addr_clear();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	rde_attr_shutdown();
	return 0;
}

static void
pair_set(struct pair *p, struct rde_attrs *a, struct rde_attrs *b)
{
	memset(p, 0, sizeof(*p));
	p->a.peer = &pa;
	p->b.peer = &pb;
	p->a.attrs = a;
	p->b.attrs = b;
	p->a.flags = rde_path_eligible(&p->a) ? PATH_F_ELIGIBLE : 0;
	p->b.flags = rde_path_eligible(&p->b) ? PATH_F_ELIGIBLE : 0;
}

static void
pair_free(struct pair *p)
{
	rde_attrs_unref(p->a.attrs);
	rde_attrs_unref(p->b.attrs);
}

/* a must beat b for `why', both ways round. */
static void
expect_a(struct pair *p, const char *why)
{
	const char	*r = NULL;

	assert_true(rde_decide_cmp(&p->a, &p->b, &r) < 0);
	assert_string_equal(r, why);
	assert_true(rde_decide_cmp(&p->b, &p->a, &r) > 0);
	assert_string_equal(r, why);
}

static const uint32_t	p1[] = { 65001, 3 };
static const uint32_t	p2[] = { 65001, 3, 4 };

/* Template of the tie: lp 100, path 65001 3, IGP, next hop 192.0.2.1. */
static struct rde_attrs *
base(void (*mod)(struct rde_attrs *))
{
	struct rde_attrs	 t, *a;

	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.aspath = path_make(p1, 2);
	assert_int_equal(str2addr("192.0.2.1", &t.nexthop), 0);
	if (mod != NULL)
		mod(&t);
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	return a;
}

static void mod_lp200(struct rde_attrs *t) { t->localpref = 200; }
static void mod_origin_egp(struct rde_attrs *t) { t->origin = 1; }
static void mod_med10(struct rde_attrs *t)
{
	t->med = 10;
	t->flags |= ATTR_F_MED;
}
static void mod_med5(struct rde_attrs *t)
{
	t->med = 5;
	t->flags |= ATTR_F_MED;
}
static void mod_longpath(struct rde_attrs *t)
{
	rde_aspath_unref(t->aspath);
	t->aspath = path_make(p2, 3);
}
static void mod_nh_martian(struct rde_attrs *t)
{
	assert_int_equal(str2addr("127.0.0.1", &t->nexthop), 0);
}
static void mod_originator_0(struct rde_attrs *t)
{
	t->flags |= ATTR_F_ORIGINATOR;
	inet_pton(AF_INET, "0.0.0.9", &t->originator_id);
}
static void mod_cluster2(struct rde_attrs *t)
{
	static uint32_t	cl[2] = { 1, 2 };

	t->cluster_list = cl;
	t->n_cluster = 2;
}

static void
test_eligible(void **state)
{
	struct pair		 p;
	struct srv6d_addr	 me;

	(void)state;
	/* b has a better LOCAL_PREF but a martian next hop */
	pair_set(&p, base(NULL), base(mod_nh_martian));
	assert_false(p.b.flags & PATH_F_ELIGIBLE);
	expect_a(&p, "not eligible");
	pair_free(&p);
	/* our own address as next hop */
	str2addr("192.0.2.1", &me);
	rde_local_addr_add(&me);
	pair_set(&p, base(NULL), base(NULL));
	assert_false(p.a.flags & PATH_F_ELIGIBLE);
	pair_free(&p);
	rde_local_addr_clear();
	assert_true(rde_nexthop_reachable(&me));
	/* a denied path is never eligible */
	pair_set(&p, base(NULL), base(NULL));
	p.b.flags = PATH_F_DENIED;
	assert_false(rde_path_eligible(&p.b));
	pair_free(&p);
}

static void
test_martians(void **state)
{
	struct srv6d_addr	a;
	const char		*bad[] = { "0.1.2.3", "127.0.0.1", "224.0.0.5",
				    "255.255.255.255", "240.0.0.1", "::", "::1",
				    "ff02::1" };
	const char		*good[] = { "10.0.0.1", "192.0.2.1",
				    "2001:db8::1", "fe80::1" };
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		str2addr(bad[i], &a);
		assert_false(rde_nexthop_reachable(&a));
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		str2addr(good[i], &a);
		assert_true(rde_nexthop_reachable(&a));
	}
	memset(&a, 0, sizeof(a));
	assert_true(rde_nexthop_reachable(&a));	/* our own route */
}

static void
test_localpref(void **state)
{
	struct pair	p;

	(void)state;
	/* a: higher LOCAL_PREF despite the longer path and EGP origin */
	pair_set(&p, base(mod_lp200), base(NULL));
	expect_a(&p, "local-pref");
	pair_free(&p);
}

static void
test_aspath_len(void **state)
{
	struct pair	p;

	(void)state;
	pair_set(&p, base(NULL), base(mod_longpath));
	expect_a(&p, "as-path length");
	pair_free(&p);
}

/* An AS_SET counts 1, confederation segments 0 (RFC 5065 §5.3). */
static void
test_aspath_set(void **state)
{
	/* a: SEQ 65001, SET {1,2,3,4} -> 2; b: SEQ 65001 3 4 -> 3 */
	static const uint8_t	wa[] = { 2, 1, 0, 0, 0xfd, 0xe9,
				    1, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
				    0, 0, 0, 4 };
	/* c: CONFED_SEQ 1 2 3, SEQ 65001 -> 1 */
	static const uint8_t	wc[] = { 3, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0,
				    0, 3, 2, 1, 0, 0, 0xfd, 0xe9 };
	struct rde_aspath	*a, *c;
	struct rde_attrs	 t;
	struct pair		 p;

	(void)state;
	a = path_segs(wa, sizeof(wa));
	c = path_segs(wc, sizeof(wc));
	assert_int_equal(a->pathlen, 2);
	assert_int_equal(a->neighbor_as, 65001);
	assert_int_equal(a->origin_as, 0);
	assert_int_equal(c->pathlen, 1);
	assert_int_equal(c->neighbor_as, 65001);
	assert_int_equal(c->origin_as, 65001);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	str2addr("192.0.2.1", &t.nexthop);
	t.aspath = a;
	pair_set(&p, rde_attrs_intern(&t), base(mod_longpath));
	expect_a(&p, "as-path length");
	pair_free(&p);
	t.aspath = c;
	pair_set(&p, rde_attrs_intern(&t), base(NULL));
	expect_a(&p, "as-path length");
	pair_free(&p);
	rde_aspath_unref(a);
	rde_aspath_unref(c);
}

static void
test_origin(void **state)
{
	struct pair	p;

	(void)state;
	pair_set(&p, base(NULL), base(mod_origin_egp));
	expect_a(&p, "origin");
	pair_free(&p);
}

static void
test_med_same_as(void **state)
{
	struct pair	p;

	(void)state;
	pair_set(&p, base(mod_med5), base(mod_med10));
	expect_a(&p, "med");
	pair_free(&p);
	/* a missing MED counts 0 and beats 5 */
	pair_set(&p, base(NULL), base(mod_med5));
	expect_a(&p, "med");
	pair_free(&p);
}

static const uint32_t	other_as[] = { 65009, 3 };

static void mod_other_as_med10(struct rde_attrs *t)
{
	rde_aspath_unref(t->aspath);
	t->aspath = path_make(other_as, 2);
	mod_med10(t);
}

/* Different neighbour ASes: MED is skipped unless always-compare. */
static void
test_med_other_as(void **state)
{
	struct pair	p;

	(void)state;
	pb.remote_as = 65009;
	/* b's MED is worse, but only the router id (a lower) decides */
	pair_set(&p, base(mod_med5), base(mod_other_as_med10));
	expect_a(&p, "router-id");
	pair_free(&p);
	/* make a's id higher: b wins despite its worse MED */
	pair_set(&p, base(mod_med5), base(mod_other_as_med10));
	p.a.peer = &pb;
	p.b.peer = &pa;
	assert_true(rde_decide_cmp(&p.a, &p.b, &(const char *){ NULL }) > 0);
	pair_free(&p);
	/* always compare: a's MED wins whatever the ids */
	rde_self.flags |= CONF_F_ALWAYS_COMPARE_MED;
	pair_set(&p, base(mod_med5), base(mod_other_as_med10));
	p.a.peer = &pb;
	p.b.peer = &pa;
	expect_a(&p, "med");
	pair_free(&p);
	rde_self.flags = 0;
}

static void
test_ebgp_over_ibgp(void **state)
{
	struct pair	p;

	(void)state;
	pa.ebgp = true;
	pb.ebgp = false;
	pair_set(&p, base(NULL), base(NULL));
	/* b has the higher id, a lower: swap ids so only eBGP can decide */
	p.a.peer = &pa;
	inet_pton(AF_INET, "9.9.9.9", &pa.sess.remote_id);
	expect_a(&p, "external over internal");
	pair_free(&p);
}

static void
test_router_id(void **state)
{
	struct pair	p;

	(void)state;
	pair_set(&p, base(NULL), base(NULL));
	expect_a(&p, "router-id");
	pair_free(&p);
	/* RFC 4456 §9: ORIGINATOR_ID stands for the router id */
	pair_set(&p, base(NULL), base(mod_originator_0));
	{
		const char	*r;

		assert_true(rde_decide_cmp(&p.b, &p.a, &r) < 0);
		assert_string_equal(r, "router-id");
	}
	pair_free(&p);
}

static void
test_cluster_list(void **state)
{
	struct pair	p;

	(void)state;
	/* same id on both (reflected from the same originator) */
	pb.sess.remote_id = pa.sess.remote_id;
	pair_set(&p, base(NULL), base(mod_cluster2));
	expect_a(&p, "cluster-list length");
	pair_free(&p);
}

static void
test_peer_address(void **state)
{
	struct pair	p;

	(void)state;
	pb.sess.remote_id = pa.sess.remote_id;
	pair_set(&p, base(NULL), base(NULL));
	expect_a(&p, "peer address");
	pair_free(&p);
	/* the same peer twice: equal */
	pair_set(&p, base(NULL), base(NULL));
	p.b.peer = &pa;
	{
		const char	*r;

		assert_int_equal(rde_decide_cmp(&p.a, &p.b, &r), 0);
		assert_string_equal(r, "equal");
	}
	pair_free(&p);
}

/* rde_decide moves the winner first and tells the outbound side. */
static void
test_decide_list(void **state)
{
	struct rde_prefix	*pfx;
	struct rde_path		 a, b;
	struct rde_table	 t = { .aid = AID_IPV4 };

	(void)state;
	stubs_reset();
	pfx = calloc(1, sizeof(*pfx) + 4);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.peer = &pa;
	b.peer = &pb;
	a.attrs = base(NULL);
	b.attrs = base(mod_lp200);
	a.flags = b.flags = PATH_F_ELIGIBLE;
	pfx->paths = &a;
	rde_decide(&t, pfx, NULL, NULL);
	assert_int_equal(best_calls, 1);
	assert_ptr_equal(best_last.new_best, &a);
	assert_int_equal(pa.prefixes_best, 1);
	a.next = &b;
	rde_decide(&t, pfx, &a, a.attrs);
	assert_int_equal(best_calls, 2);
	assert_ptr_equal(pfx->paths, &b);
	assert_ptr_equal(b.next, &a);
	assert_null(a.next);
	assert_false(a.flags & PATH_F_BEST);
	assert_int_equal(pa.prefixes_best, 0);
	assert_int_equal(pb.prefixes_best, 1);
	/* nothing changed: no call */
	rde_decide(&t, pfx, &b, b.attrs);
	assert_int_equal(best_calls, 2);
	rde_attrs_unref(a.attrs);
	rde_attrs_unref(b.attrs);
	free(pfx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eligible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_martians, setup, teardown),
		cmocka_unit_test_setup_teardown(test_localpref, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aspath_len, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aspath_set, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_med_same_as, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_med_other_as, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_over_ibgp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_router_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cluster_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_address, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decide_list, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
