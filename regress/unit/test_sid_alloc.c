/*
 * sid_alloc.c: deterministic allocation (same SIDs whatever the order,
 * and after a restart), explicit reservations first, every conflict an
 * error, exhaustion, release and reuse without moving other SIDs.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srv6.h"

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static const char *
str6(const struct in6_addr *a)
{
	static char	buf[INET6_ADDRSTRLEN];

	assert_non_null(inet_ntop(AF_INET6, a, buf, sizeof(buf)));
	return buf;
}

/* fc00:0:1::/48: block 32, node 16, then func_len bits of function. */
static struct srv6_locator
locator(uint8_t func_len)
{
	struct srv6_locator	l;

	memset(&l, 0, sizeof(l));
	strlcpy(l.name, "main", sizeof(l.name));
	l.prefix = addr6("fc00:0:1::");
	l.block_len = 32;
	l.node_len = 16;
	l.func_len = func_len;
	return l;
}

static struct sid_key
key(const char *vrf, uint16_t behavior, const char *nh)
{
	struct sid_key	k;

	memset(&k, 0, sizeof(k));
	strlcpy(k.vrf, vrf, sizeof(k.vrf));
	k.behavior = behavior;
	if (nh != NULL && inet_pton(AF_INET, nh, k.nh) == 1)
		k.nh_af = AF_INET;
	else if (nh != NULL) {
		assert_int_equal(inet_pton(AF_INET6, nh, k.nh), 1);
		k.nh_af = AF_INET6;
	}
	return k;
}

/* A small configuration: VRFs with DT4/DT6, CEs with DX4/DX6. */
#define NREQ	10
static void
requests(struct sid_request *r)
{
	memset(r, 0, NREQ * sizeof(*r));
	r[0].key = key("red", SRV6_BEHAVIOR_END_DT4, NULL);
	r[1].key = key("red", SRV6_BEHAVIOR_END_DT6, NULL);
	r[2].key = key("blue", SRV6_BEHAVIOR_END_DT4, NULL);
	r[3].key = key("blue", SRV6_BEHAVIOR_END_DT6, NULL);
	r[4].key = key("green", SRV6_BEHAVIOR_END_DT46, NULL);
	r[5].key = key("red", SRV6_BEHAVIOR_END_DX4, "192.0.2.1");
	r[6].key = key("red", SRV6_BEHAVIOR_END_DX4, "192.0.2.2");
	r[7].key = key("blue", SRV6_BEHAVIOR_END_DX4, "192.0.2.1");
	r[8].key = key("blue", SRV6_BEHAVIOR_END_DX6, "2001:db8::1");
	r[9].key = key("svc", SRV6_BEHAVIOR_END_DT4, NULL);
	r[9].is_explicit = 1;
	r[9].sid = addr6("fc00:0:1:42::");
}

static void
test_locator_check(void **state)
{
	struct srv6_locator	 l;
	const char		*why;

	(void)state;
	l = locator(16);
	assert_int_equal(sid_locator_check(&l, &why), 0);
	l.arg_len = 81;
	assert_int_equal(sid_locator_check(&l, &why), -1);
	assert_non_null(strstr(why, "exceed 128"));
	l = locator(0);
	assert_int_equal(sid_locator_check(&l, &why), -1);
	assert_null(sid_alloc_new(&l));
	l = locator(33);
	assert_int_equal(sid_locator_check(&l, &why), -1);
	l = locator(16);
	l.prefix = addr6("fc00:0:1:1::");
	assert_int_equal(sid_locator_check(&l, &why), -1);
	assert_non_null(strstr(why, "beyond its length"));
	l = locator(16);
	l.block_len = l.node_len = 0;
	assert_int_equal(sid_locator_check(&l, &why), -1);
}

static void
test_deterministic(void **state)
{
	struct srv6_locator	 l = locator(16);
	struct sid_request	 r1[NREQ], r2[NREQ], r3[NREQ - 1];
	struct sid_alloc	*a, *b, *c;
	struct in6_addr		 s;
	const char		*why;
	size_t			 i, j;

	(void)state;
	requests(r1);
	/* The same configuration listed in reverse order. */
	requests(r2);
	for (i = 0; i < NREQ / 2; i++) {
		struct sid_request	t = r2[i];

		r2[i] = r2[NREQ - 1 - i];
		r2[NREQ - 1 - i] = t;
	}
	a = sid_alloc_new(&l);
	b = sid_alloc_new(&l);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(sid_alloc_batch(a, r1, NREQ, &why), 0);
	assert_int_equal(sid_alloc_batch(b, r2, NREQ, &why), 0);
	assert_int_equal(sid_alloc_count(a), NREQ);
	for (i = 0; i < NREQ; i++) {
		assert_memory_equal(&r1[i].sid, &r2[NREQ - 1 - i].sid,
		    sizeof(s));
		assert_int_equal(sid_alloc_lookup(b, &r1[i].key, &s), 0);
		assert_memory_equal(&s, &r1[i].sid, sizeof(s));
		/* Inside the locator, function not 0, nothing after it. */
		assert_int_equal(memcmp(&r1[i].sid, &l.prefix, 6), 0);
		assert_int_not_equal(srv6_bits_get(&r1[i].sid, 48, 16), 0);
		assert_int_equal(srv6_bits_get(&r1[i].sid, 64, 32), 0);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(&r1[i].sid, &r1[j].sid,
			    sizeof(s));
	}
	assert_string_equal(str6(&r1[9].sid), "fc00:0:1:42::");

	/* A restart: a fresh allocator, one key at a time, same SIDs. */
	c = sid_alloc_new(&l);
	for (i = NREQ; i-- > 0; ) {
		if (r1[i].is_explicit)
			assert_int_equal(sid_alloc_reserve(c, &r1[i].key,
			    &r1[i].sid, &why), 0);
		else {
			assert_int_equal(sid_alloc_get(c, &r1[i].key, &s,
			    &why), 0);
			assert_memory_equal(&s, &r1[i].sid, sizeof(s));
		}
	}
	sid_alloc_free(c);

	/* Without "blue" DT4, the others keep their SIDs. */
	c = sid_alloc_new(&l);
	requests(r2);
	memcpy(r3, r2, 2 * sizeof(*r3));
	memcpy(r3 + 2, r2 + 3, (NREQ - 3) * sizeof(*r3));
	assert_int_equal(sid_alloc_batch(c, r3, NREQ - 1, &why), 0);
	for (i = 0; i < NREQ - 1; i++) {
		assert_int_equal(sid_alloc_lookup(a, &r3[i].key, &s), 0);
		assert_memory_equal(&s, &r3[i].sid, sizeof(s));
	}
	sid_alloc_free(a);
	sid_alloc_free(b);
	sid_alloc_free(c);
}

/* Keys differ by every field; bytes outside a key do not count. */
static void
test_keys(void **state)
{
	struct srv6_locator	 l = locator(16);
	struct sid_alloc	*a = sid_alloc_new(&l);
	struct sid_key		 k1, k2;
	struct in6_addr		 s1, s2;
	const char		*why;

	(void)state;
	k1 = key("red", SRV6_BEHAVIOR_END_DX4, "192.0.2.1");
	k2 = k1;
	k2.nh[10] = 0x55;	/* beyond an IPv4 next hop */
	k2.vrf[sizeof(k2.vrf) - 1] = 'x';
	assert_int_equal(sid_alloc_get(a, &k1, &s1, &why), 0);
	assert_int_equal(sid_alloc_get(a, &k2, &s2, &why), 0);
	assert_memory_equal(&s1, &s2, sizeof(s1));
	assert_int_equal(sid_alloc_count(a), 1);
	k2 = key("red", SRV6_BEHAVIOR_END_DX6, "::ffff:192.0.2.1");
	assert_int_equal(sid_alloc_get(a, &k2, &s2, &why), 0);
	assert_memory_not_equal(&s1, &s2, sizeof(s1));
	k2 = key("red", SRV6_BEHAVIOR_END_DX4, "192.0.2.2");
	assert_int_equal(sid_alloc_get(a, &k2, &s2, &why), 0);
	assert_memory_not_equal(&s1, &s2, sizeof(s1));
	k2 = key("Red", SRV6_BEHAVIOR_END_DX4, "192.0.2.1");
	assert_int_equal(sid_alloc_get(a, &k2, &s2, &why), 0);
	assert_memory_not_equal(&s1, &s2, sizeof(s1));
	assert_int_equal(sid_alloc_count(a), 4);
	sid_alloc_free(a);
}

/*
 * The hash is part of the contract: a new version of srv6d must not
 * renumber a running network's SIDs.  These values are pinned.
 */
static void
test_golden(void **state)
{
	struct srv6_locator	 l = locator(16);
	struct sid_alloc	*a = sid_alloc_new(&l);
	struct sid_key		 k;
	struct in6_addr		 s;
	const char		*why;

	(void)state;
	k = key("red", SRV6_BEHAVIOR_END_DT4, NULL);
	assert_int_equal(sid_alloc_get(a, &k, &s, &why), 0);
	assert_string_equal(str6(&s), "fc00:0:1:7a63::");
	k = key("blue", SRV6_BEHAVIOR_END_DT4, NULL);
	assert_int_equal(sid_alloc_get(a, &k, &s, &why), 0);
	assert_string_equal(str6(&s), "fc00:0:1:7af3::");
	k = key("green", SRV6_BEHAVIOR_END_DT4, NULL);
	assert_int_equal(sid_alloc_get(a, &k, &s, &why), 0);
	assert_string_equal(str6(&s), "fc00:0:1:22d4::");
	sid_alloc_free(a);
}

/* An explicit SID wins its function even over a key hashed onto it. */
static void
test_explicit(void **state)
{
	struct srv6_locator	 l = locator(2);
	struct sid_alloc	*a;
	struct sid_request	 r[2];
	struct sid_key		 k;
	struct in6_addr		 pref, s;
	const char		*why;

	(void)state;
	k = key("red", SRV6_BEHAVIOR_END_DT4, NULL);
	a = sid_alloc_new(&l);
	assert_int_equal(sid_alloc_get(a, &k, &pref, &why), 0);
	sid_alloc_free(a);

	memset(r, 0, sizeof(r));
	r[0].key = k;
	r[1].key = key("blue", SRV6_BEHAVIOR_END_DT4, NULL);
	r[1].is_explicit = 1;
	r[1].sid = pref;
	a = sid_alloc_new(&l);
	assert_int_equal(sid_alloc_batch(a, r, 2, &why), 0);
	assert_memory_equal(&r[1].sid, &pref, sizeof(pref));
	assert_memory_not_equal(&r[0].sid, &pref, sizeof(pref));
	/* Reserving the same SID again for the same key is a no-op. */
	assert_int_equal(sid_alloc_reserve(a, &r[1].key, &pref, &why), 0);
	assert_int_equal(sid_alloc_lookup(a, &r[1].key, &s), 0);
	assert_memory_equal(&s, &pref, sizeof(s));
	assert_int_equal(sid_alloc_count(a), 2);
	sid_alloc_free(a);

	/* Functions beyond the dynamic range (func_len 24). */
	l = locator(24);
	a = sid_alloc_new(&l);
	s = addr6("fc00:0:1:abcd:ef00::");
	assert_int_equal(sid_alloc_reserve(a, &k, &s, &why), 0);
	r[1].key = key("x", SRV6_BEHAVIOR_END_DT6, NULL);
	assert_int_equal(sid_alloc_reserve(a, &r[1].key, &s, &why), -1);
	assert_int_equal(sid_alloc_get(a, &r[1].key, &s, &why), 0);
	assert_true(srv6_bits_get(&s, 48, 24) < (1u << 20));
	sid_alloc_free(a);
}

static void
test_conflicts(void **state)
{
	struct srv6_locator	 l = locator(16);
	struct sid_alloc	*a = sid_alloc_new(&l);
	struct sid_request	 r[NREQ];
	struct sid_key		 k1, k2;
	struct in6_addr		 s;
	const char		*why;

	(void)state;
	k1 = key("red", SRV6_BEHAVIOR_END_DT4, NULL);
	k2 = key("blue", SRV6_BEHAVIOR_END_DT4, NULL);
	s = addr6("fc00:0:2:5::");
	assert_int_equal(sid_alloc_reserve(a, &k1, &s, &why), -1);
	assert_non_null(strstr(why, "outside its locator"));
	s = addr6("fc00:0:1::");
	assert_int_equal(sid_alloc_reserve(a, &k1, &s, &why), -1);
	assert_non_null(strstr(why, "function 0"));
	s = addr6("fc00:0:1:5::1");
	assert_int_equal(sid_alloc_reserve(a, &k1, &s, &why), -1);
	assert_non_null(strstr(why, "after its function"));
	s = addr6("fc00:0:1:5::");
	assert_int_equal(sid_alloc_reserve(a, &k1, &s, &why), 0);
	assert_int_equal(sid_alloc_reserve(a, &k2, &s, &why), -1);
	assert_non_null(strstr(why, "already in use"));
	s = addr6("fc00:0:1:6::");
	assert_int_equal(sid_alloc_reserve(a, &k1, &s, &why), -1);
	assert_non_null(strstr(why, "same VRF"));
	assert_int_equal(sid_alloc_count(a), 1);
	sid_alloc_free(a);

	/* Two explicit SIDs equal in one configuration. */
	requests(r);
	r[0].is_explicit = 1;
	r[0].sid = r[9].sid;
	a = sid_alloc_new(&l);
	why = NULL;
	assert_int_equal(sid_alloc_batch(a, r, NREQ, &why), -1);
	assert_non_null(strstr(why, "already in use"));
	sid_alloc_free(a);
}

/* func_len 2: functions 1, 2 and 3 only. */
static void
test_exhaust_release(void **state)
{
	struct srv6_locator	 l = locator(2);
	struct sid_alloc	*a = sid_alloc_new(&l);
	struct sid_key		 k[4];
	struct in6_addr		 s[4], t;
	const char		*why;
	char			 name[8];
	int			 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "v%d", i);
		k[i] = key(name, SRV6_BEHAVIOR_END_DT46, NULL);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(sid_alloc_get(a, &k[i], &s[i], &why), 0);
	assert_int_equal(sid_alloc_get(a, &k[3], &s[3], &why), -1);
	assert_non_null(strstr(why, "exhausted"));
	assert_int_equal(sid_alloc_count(a), 3);

	/* Free v1: v3 takes its function, v0 and v2 do not move. */
	assert_int_equal(sid_alloc_release(a, &k[1]), 0);
	assert_int_equal(sid_alloc_release(a, &k[1]), -1);
	assert_int_equal(sid_alloc_lookup(a, &k[1], &t), -1);
	assert_int_equal(sid_alloc_get(a, &k[3], &t, &why), 0);
	assert_memory_equal(&t, &s[1], sizeof(t));
	assert_int_equal(sid_alloc_lookup(a, &k[0], &t), 0);
	assert_memory_equal(&t, &s[0], sizeof(t));
	assert_int_equal(sid_alloc_lookup(a, &k[2], &t), 0);
	assert_memory_equal(&t, &s[2], sizeof(t));
	assert_int_equal(sid_alloc_get(a, &k[1], &t, &why), -1);

	/* An explicit SID on a freed function. */
	assert_int_equal(sid_alloc_release(a, &k[0]), 0);
	assert_int_equal(sid_alloc_reserve(a, &k[1], &s[0], &why), 0);
	assert_int_equal(sid_alloc_count(a), 3);
	sid_alloc_free(a);
	sid_alloc_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locator_check),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_explicit),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_exhaust_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
