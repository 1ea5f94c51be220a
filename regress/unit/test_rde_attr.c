/*
 * rde_attr.c: interning.  Equal sets share one copy, references count
 * down to a free, any difference (communities, order, MED presence)
 * makes another set; AS paths are shared between sets and prepend.
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

static const uint32_t	path1[] = { 65001, 65002 };

static int
setup(void **state)
{
	(void)state;
	rde_attr_init();
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
tmpl(struct rde_attrs *t, uint32_t *comm, uint16_t ncomm)
{
	rde_attrs_template(t);
	t->origin = BGP_ORIGIN_IGP;
	t->aspath = path_make(path1, 2);
	str2addr("192.0.2.1", &t->nexthop);
	t->communities = comm;
	t->n_communities = ncomm;
}

static void
test_equal_shared(void **state)
{
	struct rde_attrs	 t1, t2, *a, *b;
	uint32_t		 c1[] = { 65001U << 16 | 1, 65001U << 16 | 2 };
	uint32_t		 c2[] = { 65001U << 16 | 1, 65001U << 16 | 2 };

	(void)state;
	tmpl(&t1, c1, 2);
	tmpl(&t2, c2, 2);
	/* the same path is interned once */
	assert_ptr_equal(t1.aspath, t2.aspath);
	assert_int_equal(t1.aspath->refcnt, 2);
	a = rde_attrs_intern(&t1);
	b = rde_attrs_intern(&t2);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refcnt, 2);
	assert_int_equal(rde_attrs_count(), 1);
	/* the copy owns its arrays */
	assert_ptr_not_equal(a->communities, c1);
	c1[0] = 0;
	assert_int_equal(a->communities[0], 65001U << 16 | 1);
	assert_true(rde_attrs_has_community(a, 65001U << 16 | 2));
	assert_false(rde_attrs_has_community(a, 65001U << 16 | 3));
	rde_aspath_unref(t1.aspath);
	rde_aspath_unref(t2.aspath);
	assert_int_equal(a->aspath->refcnt, 1);
	rde_attrs_unref(a);
	assert_int_equal(rde_attrs_count(), 1);
	rde_attrs_unref(b);
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
}

static void
test_different(void **state)
{
	struct rde_attrs	 t, *base, *a;
	uint32_t		 c[] = { 1, 2 }, c2[] = { 2, 1 }, c3[] = { 1, 3 };
	uint64_t		 ext[] = { 0x0002fde800000001ULL };
	uint32_t		 large[] = { 65001, 1, 2 };
	uint8_t			 other[] = { 0xe0, 99, 1, 7 };

	(void)state;
	tmpl(&t, c, 2);
	base = rde_attrs_intern(&t);
#define DIFFERS(stmt) do {					\
	struct rde_attrs	 s = t;				\
	stmt;							\
	a = rde_attrs_intern(&s);				\
	assert_ptr_not_equal(a, base);				\
	assert_false(rde_attrs_equal(a, base));			\
	rde_attrs_unref(a);					\
} while (0)
	DIFFERS(s.communities = c3);
	DIFFERS(s.communities = c2);		/* order counts */
	DIFFERS(s.n_communities = 1);
	DIFFERS(s.n_communities = 0);
	DIFFERS(s.flags |= ATTR_F_MED);	/* MED 0 present vs absent */
	DIFFERS(s.med = 1);
	DIFFERS(s.localpref = 200);
	DIFFERS(s.origin = BGP_ORIGIN_EGP);
	DIFFERS(str2addr("192.0.2.2", &s.nexthop));
	DIFFERS(str2addr("2001:db8::1", &s.nexthop));
	DIFFERS(s.ext_communities = ext; s.n_ext_communities = 1);
	DIFFERS(s.large_communities = large; s.n_large_communities = 1);
	DIFFERS(s.cluster_list = c; s.n_cluster = 1);
	DIFFERS(s.others = other; s.others_len = sizeof(other));
	DIFFERS(s.flags |= ATTR_F_ORIGINATOR);
	DIFFERS(s.aspath = NULL);		/* the empty path */
#undef DIFFERS
	assert_int_equal(rde_attrs_count(), 1);
	/* the IPv4 next hop ignores junk in the rest of the union */
	{
		struct rde_attrs	s = t;

		s.nexthop.v6.s6_addr[15] = 0x55;
		a = rde_attrs_intern(&s);
		assert_ptr_equal(a, base);
		rde_attrs_unref(a);
	}
	rde_attrs_unref(base);
	rde_aspath_unref(t.aspath);
}

static void
test_many(void **state)
{
	struct rde_attrs	 t, **v;
	size_t			 i, n = 20000;

	(void)state;
	v = calloc(n, sizeof(*v));
	tmpl(&t, NULL, 0);
	t.flags |= ATTR_F_MED;
	for (i = 0; i < n; i++) {
		t.med = (uint32_t)i;
		v[i] = rde_attrs_intern(&t);
	}
	assert_int_equal(rde_attrs_count(), n);
	/* found again after the table grew */
	for (i = 0; i < n; i++) {
		t.med = (uint32_t)i;
		assert_ptr_equal(rde_attrs_intern(&t), v[i]);
		rde_attrs_unref(v[i]);
	}
	for (i = 0; i < n; i++)
		rde_attrs_unref(v[i]);
	assert_int_equal(rde_attrs_count(), 0);
	rde_aspath_unref(t.aspath);
	free(v);
}

static void
test_prepend(void **state)
{
	struct rde_aspath	*p, *q, *e, *r;
	static const uint32_t	 want[] = { 65000, 65000, 65001, 65002 };
	uint32_t		 many[250];
	size_t			 i;

	(void)state;
	p = path_make(path1, 2);
	q = rde_aspath_prepend(p, 65000, 2);
	r = path_make(want, 4);
	assert_ptr_equal(q, r);
	assert_int_equal(q->pathlen, 4);
	assert_int_equal(q->neighbor_as, 65000);
	assert_int_equal(q->origin_as, 65002);
	assert_true(rde_aspath_contains(q, 65001));
	assert_false(rde_aspath_contains(q, 65003));
	rde_aspath_unref(q);
	rde_aspath_unref(r);
	/* onto the empty path */
	e = rde_aspath_intern(NULL, 0);
	assert_int_equal(e->pathlen, 0);
	q = rde_aspath_prepend(e, 65000, 1);
	assert_int_equal(q->len, 6);
	assert_int_equal(q->neighbor_as, 65000);
	rde_aspath_unref(q);
	/* past 255 ASNs: a new segment in front */
	for (i = 0; i < 250; i++)
		many[i] = 65100 + (uint32_t)i;
	r = path_make(many, 250);
	q = rde_aspath_prepend(r, 65000, 10);
	assert_int_equal(q->pathlen, 260);
	assert_int_equal(q->len, 2 + 4 * 5 + 2 + 4 * 255);
	assert_int_equal(q->data[0], BGP_AS_SEQUENCE);
	assert_int_equal(q->data[1], 5);
	assert_int_equal(q->neighbor_as, 65000);
	assert_int_equal(q->origin_as, 65349);
	rde_aspath_unref(q);
	rde_aspath_unref(r);
	q = rde_aspath_prepend(p, 65000, 0);
	assert_ptr_equal(q, p);
	rde_aspath_unref(q);
	rde_aspath_unref(e);
	rde_aspath_unref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_equal_shared, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_different, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepend, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
