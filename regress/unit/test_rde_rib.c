/*
 * rde_rib.c: prefixes and paths.  Insert, replace, withdraw, a peer's
 * removal, filtered paths, the best-path hook, walks, longest match,
 * and 200,000 prefixes in and out without a leak.
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
static const uint32_t	as_a[] = { 65001 };
static const uint32_t	as_b[] = { 65002, 65003 };

static int
setup(void **state)
{
	(void)state;
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65000;
	rde_rib_init();
	peer_init(&pa, 1, true, 65001, "10.0.0.1", "1.1.1.1");
	peer_init(&pb, 2, true, 65002, "10.0.0.2", "2.2.2.2");
	stubs_reset();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(rde_rib_paths(), 0);
	assert_int_equal(rde_tables[AID_IPV4].count, 0);
	assert_int_equal(rde_tables[AID_IPV6].count, 0);
	rde_rib_shutdown();
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	return 0;
}

static struct rde_table *
t4(void)
{
	return &rde_tables[AID_IPV4];
}

static void
test_insert_withdraw(void **state)
{
	struct rde_attrs	*a = attrs_make(100, as_a, 1, 0, "10.0.0.1");
	struct rde_prefix	*pfx;
	uint8_t			 k[4];

	(void)state;
	assert_int_equal(rde_rib_update(t4(), &pa, v4("10.1.0.0", k), 16, a,
	    a), RIB_ADDED);
	assert_int_equal(best_calls, 1);
	assert_null(best_last.old_best);
	assert_ptr_equal(best_last.new_peer, &pa);
	pfx = rde_prefix_find(t4(), v4("10.1.0.0", k), 16);
	assert_non_null(pfx);
	assert_null(rde_prefix_find(t4(), v4("10.1.0.0", k), 17));
	assert_int_equal(pa.prefixes_received, 1);
	assert_int_equal(pa.prefixes_accepted, 1);
	assert_int_equal(pa.prefixes_best, 1);
	assert_int_equal(a->refcnt, 2);
	/* the same again: nothing happens */
	assert_int_equal(rde_rib_update(t4(), &pa, k, 16, a, a), RIB_NOCHANGE);
	assert_int_equal(best_calls, 1);
	/* withdraw of something else: nothing */
	assert_int_equal(rde_rib_withdraw(t4(), &pb, k, 16), RIB_NOCHANGE);
	assert_int_equal(rde_rib_withdraw(t4(), &pa, k, 24), RIB_NOCHANGE);
	assert_int_equal(rde_rib_withdraw(t4(), &pa, k, 16), RIB_REMOVED);
	assert_int_equal(best_calls, 2);
	assert_ptr_equal(best_last.old_peer, &pa);
	assert_null(best_last.new_best);
	assert_null(rde_prefix_find(t4(), k, 16));
	assert_int_equal(pa.prefixes_received, 0);
	assert_int_equal(pa.prefixes_accepted, 0);
	assert_int_equal(pa.prefixes_best, 0);
	assert_int_equal(a->refcnt, 1);
	rde_attrs_unref(a);
}

static void
test_replace_and_best(void **state)
{
	struct rde_attrs	*a = attrs_make(100, as_a, 1, 0, "10.0.0.1");
	struct rde_attrs	*b = attrs_make(100, as_b, 2, 0, "10.0.0.2");
	struct rde_attrs	*a2 = attrs_make(100, as_b, 2, 2, "10.0.0.1");
	struct rde_attrs	*b2 = attrs_make(100, as_b, 2, 1, "10.0.0.2");
	struct rde_prefix	*pfx;
	uint8_t			 k[4];

	(void)state;
	v4("10.2.0.0", k);
	rde_rib_update(t4(), &pa, k, 16, a, a);
	/* b's path is longer: no change of best */
	assert_int_equal(rde_rib_update(t4(), &pb, k, 16, b, b), RIB_ADDED);
	assert_int_equal(best_calls, 1);
	pfx = rde_prefix_find(t4(), k, 16);
	assert_ptr_equal(rde_prefix_best(pfx)->peer, &pa);
	/* a's replacement loses to b on ORIGIN: best moves to b */
	assert_int_equal(rde_rib_update(t4(), &pa, k, 16, a2, a2),
	    RIB_REPLACED);
	assert_int_equal(best_calls, 2);
	assert_ptr_equal(best_last.old_peer, &pa);
	assert_ptr_equal(best_last.old_attrs, a);
	assert_ptr_equal(best_last.new_peer, &pb);
	assert_int_equal(pa.prefixes_best, 0);
	assert_int_equal(pb.prefixes_best, 1);
	/* b replaced by a set still better than a's: same path, new attrs */
	assert_int_equal(rde_rib_update(t4(), &pb, k, 16, b2, b2),
	    RIB_REPLACED);
	assert_int_equal(best_calls, 3);
	assert_ptr_equal(best_last.old_best, best_last.new_best);
	assert_ptr_equal(best_last.old_attrs, b);
	/* b the same as a: a's lower router id wins */
	rde_rib_update(t4(), &pb, k, 16, a2, a2);
	assert_int_equal(best_calls, 4);
	assert_ptr_equal(rde_prefix_best(pfx)->peer, &pa);
	/* withdraw the best: the other takes over */
	rde_rib_withdraw(t4(), &pa, k, 16);
	assert_ptr_equal(rde_prefix_best(pfx)->peer, &pb);
	assert_ptr_equal(best_last.new_peer, &pb);
	rde_rib_withdraw(t4(), &pb, k, 16);
	rde_attrs_unref(a);
	rde_attrs_unref(b);
	rde_attrs_unref(b2);
	rde_attrs_unref(a2);
}

static void
test_filtered(void **state)
{
	struct rde_attrs	*in = attrs_make(100, as_a, 1, 0, "10.0.0.1");
	struct rde_attrs	*out = attrs_make(300, as_a, 1, 0, "10.0.0.1");
	struct rde_prefix	*pfx;
	struct rde_path		*p;
	uint8_t			 k[4];

	(void)state;
	v4("10.3.0.0", k);
	/* denied: kept for show rib in, never best, not accepted */
	assert_int_equal(rde_rib_update(t4(), &pa, k, 16, in, NULL),
	    RIB_ADDED);
	assert_int_equal(best_calls, 0);
	pfx = rde_prefix_find(t4(), k, 16);
	p = rde_path_find(pfx, &pa);
	assert_true(p->flags & PATH_F_DENIED);
	assert_false(p->flags & PATH_F_ELIGIBLE);
	assert_null(rde_prefix_best(pfx));
	assert_ptr_equal(rde_path_attrs_in(p), in);
	assert_int_equal(pa.prefixes_received, 1);
	assert_int_equal(pa.prefixes_accepted, 0);
	/* allowed with changes: the received set is kept aside */
	assert_int_equal(rde_rib_update(t4(), &pa, k, 16, in, out),
	    RIB_REPLACED);
	assert_int_equal(best_calls, 1);
	assert_true(p->flags & PATH_F_MODIFIED);
	assert_ptr_equal(p->attrs, out);
	assert_ptr_equal(rde_path_attrs_in(p), in);
	assert_int_equal(pa.prefixes_accepted, 1);
	assert_int_equal(in->refcnt, 2);
	/* unchanged */
	assert_int_equal(rde_rib_update(t4(), &pa, k, 16, in, out),
	    RIB_NOCHANGE);
	/* allowed as is */
	rde_rib_update(t4(), &pa, k, 16, in, in);
	assert_false(p->flags & PATH_F_MODIFIED);
	assert_int_equal(out->refcnt, 1);
	rde_rib_withdraw(t4(), &pa, k, 16);
	rde_attrs_unref(in);
	rde_attrs_unref(out);
}

static void
walk_count(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	(void)t;
	(void)pfx;
	(*(size_t *)arg)++;
}

static void
test_peer_flush(void **state)
{
	struct rde_attrs	*a = attrs_make(100, as_a, 1, 0, "10.0.0.1");
	struct rde_attrs	*b = attrs_make(100, as_b, 2, 0, "10.0.0.2");
	uint8_t			 k[4];
	uint32_t		 i, n;
	size_t			 cnt = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		n = htonl(0x0a000000 | i << 8);
		memcpy(k, &n, 4);
		rde_rib_update(t4(), &pa, k, 24, a, a);
		if (i % 2 == 0)
			rde_rib_update(t4(), &pb, k, 24, b, b);
	}
	assert_int_equal(t4()->count, 1000);
	assert_int_equal(rde_rib_paths(), 1500);
	assert_int_equal(pa.prefixes_best, 1000);
	stubs_reset();
	rde_rib_peer_flush(&pa);
	/* 1000 best changes: 500 to b, 500 to none */
	assert_int_equal(best_calls, 1000);
	assert_int_equal(t4()->count, 500);
	assert_int_equal(pa.prefixes_received, 0);
	assert_int_equal(pb.prefixes_best, 500);
	rde_rib_walk(t4(), walk_count, &cnt);
	assert_int_equal(cnt, 500);
	rde_rib_peer_flush(&pb);
	assert_int_equal(rde_rib_paths(), 0);
	rde_attrs_unref(a);
	rde_attrs_unref(b);
}

static void
test_walk_chunks(void **state)
{
	struct rde_attrs	*a = attrs_make(100, as_a, 1, 0, "10.0.0.1");
	struct rde_walk		 w;
	uint8_t			 k[4];
	uint32_t		 i, n;
	size_t			 cnt = 0, steps = 0, buckets;

	(void)state;
	for (i = 0; i < 5000; i++) {
		n = htonl(0x0b000000 | i << 8);
		memcpy(k, &n, 4);
		rde_rib_update(t4(), &pa, k, 24, a, a);
	}
	rde_walk_start(&w, t4());
	buckets = t4()->mask;
	while (rde_walk_step(&w, 100, walk_count, &cnt)) {
		steps++;
		/* inserting while walked must not resize the table */
		n = htonl(0x0c000000 | (uint32_t)steps << 8);
		memcpy(k, &n, 4);
		rde_rib_update(t4(), &pa, k, 24, a, a);
	}
	assert_int_equal(t4()->mask, buckets);
	assert_int_equal(t4()->walkers, 0);
	assert_true(cnt >= 5000);
	assert_true(steps >= 45);
	/* abandoning a walk */
	rde_walk_start(&w, t4());
	rde_walk_step(&w, 10, walk_count, &cnt);
	rde_walk_end(&w);
	rde_walk_end(&w);
	assert_int_equal(t4()->walkers, 0);
	rde_rib_peer_flush(&pa);
	rde_attrs_unref(a);
}

static void
test_match_v6(void **state)
{
	struct rde_attrs	*a = attrs_make(100, as_a, 1, 0, "2001:db8::1");
	struct rde_table	*t6 = &rde_tables[AID_IPV6];
	struct rde_prefix	*pfx;
	struct srv6d_prefix	 sp;
	uint8_t			 k[16];

	(void)state;
	inet_pton(AF_INET6, "2001:db8:1::", k);
	rde_rib_update(t6, &pa, k, 48, a, a);
	inet_pton(AF_INET6, "2001:db8::", k);
	rde_rib_update(t6, &pa, k, 32, a, a);
	inet_pton(AF_INET6, "2001:db8:1:2::5", k);
	pfx = rde_prefix_match(t6, k, 128);
	assert_non_null(pfx);
	rde_prefix_get(pfx, &sp);
	assert_string_equal(prefix2str(&sp), "2001:db8:1::/48");
	inet_pton(AF_INET6, "2001:db8:2::", k);
	pfx = rde_prefix_match(t6, k, 128);
	rde_prefix_get(pfx, &sp);
	assert_string_equal(prefix2str(&sp), "2001:db8::/32");
	inet_pton(AF_INET6, "2001:db9::", k);
	assert_null(rde_prefix_match(t6, k, 128));
	rde_rib_peer_flush(&pa);
	rde_attrs_unref(a);
}

/* 200,000 prefixes, 20 per attribute set, in and out. */
static void
test_many(void **state)
{
	struct rde_attrs	*a[10000], t;
	uint32_t		 as[2] = { 65001, 0 };
	uint8_t			 k[4];
	uint32_t		 i, n, np = 200000;

	(void)state;
	for (i = 0; i < np / 20; i++) {
		as[1] = i;
		rde_attrs_template(&t);
		t.aspath = path_make(as, 2);
		str2addr("10.0.0.1", &t.nexthop);
		a[i] = rde_attrs_intern(&t);
		rde_aspath_unref(t.aspath);
	}
	for (i = 0; i < np; i++) {
		n = htonl(0x10000000 | i << 8);
		memcpy(k, &n, 4);
		rde_rib_update(t4(), &pa, k, 24, a[i / 20], a[i / 20]);
	}
	assert_int_equal(t4()->count, np);
	assert_int_equal(pa.prefixes_best, np);
	for (i = 0; i < np; i += 2) {
		n = htonl(0x10000000 | i << 8);
		memcpy(k, &n, 4);
		assert_int_equal(rde_rib_withdraw(t4(), &pa, k, 24),
		    RIB_REMOVED);
	}
	assert_int_equal(t4()->count, np / 2);
	rde_rib_peer_flush(&pa);
	assert_int_equal(t4()->count, 0);
	for (i = 0; i < np / 20; i++) {
		assert_int_equal(a[i]->refcnt, 1);
		rde_attrs_unref(a[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_withdraw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_best, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filtered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_flush, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_walk_chunks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_match_v6, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
