/*
 * util.c: every text form both ways, malformed input rejected, and the
 * prefix arithmetic on both families.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "srv6d.h"
#include "helpers.h"

static void
test_addr(void **state)
{
	struct srv6d_addr	a;
	const char		*good[] = { "0.0.0.0", "192.0.2.1",
	    "255.255.255.255", "::", "::1", "2001:db8::2", "fc00:0:1::1",
	    "::ffff:192.0.2.1", "2001:db8:0:1:1:1:1:1" };
	const char		*bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1",
	    "1.2.3.4 ", " 1.2.3.4", "2001:db8:::1", "fc00::1::2", "x",
	    "1.2.3.4/32", "01.2.3.4x" };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(str2addr(good[i], &a), 0);
		assert_string_equal(addr2str(&a), good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(str2addr(bad[i], &a), -1);

	/* RFC 5952: lower case, longest zero run compressed. */
	a = A("2001:DB8:0:0:0:0:0:1");
	assert_int_equal(a.af, AF_INET6);
	assert_string_equal(addr2str(&a), "2001:db8::1");
	a = A("2001:db8:0:0:1:0:0:1");
	assert_string_equal(addr2str(&a), "2001:db8::1:0:0:1");

	memset(&a, 0, sizeof(a));
	a.af = AF_UNSPEC;
	assert_string_equal(addr2str(&a), "-");
}

static void
test_addr_rotating_buffers(void **state)
{
	struct srv6d_addr	a = A("192.0.2.1"), b = A("2001:db8::1");
	struct srv6d_prefix	p = P("10.0.0.0/8"), q = P("fc00::/7");
	const char		*s1, *s2, *s3, *s4;

	(void)state;
	s1 = addr2str(&a);
	s2 = prefix2str(&p);
	s3 = addr2str(&b);
	s4 = prefix2str(&q);
	assert_string_equal(s1, "192.0.2.1");
	assert_string_equal(s2, "10.0.0.0/8");
	assert_string_equal(s3, "2001:db8::1");
	assert_string_equal(s4, "fc00::/7");
}

static void
test_prefix(void **state)
{
	struct srv6d_prefix	p;
	const char		*good[] = { "0.0.0.0/0", "10.0.0.0/8",
	    "192.0.2.1/32", "::/0", "fc00:0:1::/48", "2001:db8::1/128",
	    "10.200.0.0/24" };
	const char		*bad[] = { "10.0.0.0", "10.0.0.0/", "10.0.0.0/33",
	    "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8x", "10.0.0.0/ 8",
	    "::/129", "::/1000", "fc00::/48/1", "/24", "x/24", "",
	    "10.0.0.0/99999999999999999999999",
	    "1234:5678:9abc:def0:1234:5678:9abc:def0:1/64" };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(str2prefix(good[i], &p), 0);
		assert_string_equal(prefix2str(&p), good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(str2prefix(bad[i], &p), -1);

	p = P("10.0.0.0/32");
	assert_int_equal(p.addr.af, AF_INET);
	assert_int_equal(p.len, 32);
	p = P("::/128");
	assert_int_equal(p.addr.af, AF_INET6);
	assert_int_equal(p.len, 128);
	/* Host bits set are accepted; prefix_mask is the caller's check. */
	p = P("10.1.2.3/8");
	assert_string_equal(prefix2str(&p), "10.1.2.3/8");

	memset(&p, 0, sizeof(p));
	assert_string_equal(prefix2str(&p), "-");
}

static void
test_prefix_mask(void **state)
{
	struct srv6d_prefix	p;

	(void)state;
	p = P("10.1.2.3/8");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "10.0.0.0/8");
	p = P("10.255.255.255/13");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "10.248.0.0/13");
	p = P("10.1.2.3/0");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "0.0.0.0/0");
	p = P("10.1.2.3/32");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "10.1.2.3/32");
	p = P("fc00:0:1:e000::1/48");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "fc00:0:1::/48");
	p = P("ffff:ffff::/17");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "ffff:8000::/17");
	p = P("2001:db8::1/128");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "2001:db8::1/128");
	p = P("2001:db8::1/0");
	prefix_mask(&p);
	assert_string_equal(prefix2str(&p), "::/0");
}

static void
test_rd(void **state)
{
	rd_t	rd;
	const char	*bad[] = { "", ":", "1", "1:", ":1", "65000:",
	    "4294967296:1", "65000:4294967296", "65536:65536",
	    "1.2.3.4:65536", "1.2.3:1", "1.2.3.4.5:1", "-1:1", "1:-1",
	    "1: 1", " 1:1", "1:1 ", "1:2:3", "a:1", "1.2.3.4:",
	    "0x10:1", "99999999999999999999999:1" };
	size_t	i;

	(void)state;
	/* Type 0: 2-byte ASN, 32-bit number. */
	assert_int_equal(str2rd("65001:10", &rd), 0);
	assert_true(rd == 0x0000fde90000000aULL);
	assert_string_equal(rd2str(rd), "65001:10");
	assert_int_equal(str2rd("65535:4294967295", &rd), 0);
	assert_true(rd == 0x0000ffffffffffffULL);
	assert_string_equal(rd2str(rd), "65535:4294967295");
	assert_int_equal(str2rd("0:0", &rd), 0);
	assert_true(rd == 0);
	assert_string_equal(rd2str(rd), "0:0");

	/* Type 1: IPv4 address, 16-bit number. */
	assert_int_equal(str2rd("192.0.2.1:7", &rd), 0);
	assert_true(rd == 0x0001c00002010007ULL);
	assert_string_equal(rd2str(rd), "192.0.2.1:7");
	assert_int_equal(str2rd("1.2.3.4:65535", &rd), 0);
	assert_string_equal(rd2str(rd), "1.2.3.4:65535");

	/* Type 2: 4-byte ASN, 16-bit number. */
	assert_int_equal(str2rd("65536:1", &rd), 0);
	assert_true(rd == 0x0002000100000001ULL);
	assert_string_equal(rd2str(rd), "65536:1");
	assert_int_equal(str2rd("4294967295:65535", &rd), 0);
	assert_true(rd == 0x0002ffffffffffffULL);
	assert_string_equal(rd2str(rd), "4294967295:65535");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rd = 0x1234;
		assert_int_equal(str2rd(bad[i], &rd), -1);
	}

	/* Unknown type: type and the value in hex. */
	assert_string_equal(rd2str(0x0003000000000001ULL), "3:0x000000000001");
	assert_string_equal(rd2str(0xffffabcdef012345ULL),
	    "65535:0xabcdef012345");
}

static void
test_rt(void **state)
{
	ext_community_t	rt;

	(void)state;
	/* RFC 4360 §4: type 0x00/0x01/0x02, subtype 0x02. */
	assert_int_equal(str2rt("65000:10", &rt), 0);
	assert_true(rt == 0x0002fde80000000aULL);
	assert_string_equal(rt2str(rt), "65000:10");
	assert_int_equal(str2rt("65000:4294967295", &rt), 0);
	assert_true(rt == 0x0002fde8ffffffffULL);
	assert_int_equal(str2rt("192.0.2.1:100", &rt), 0);
	assert_true(rt == 0x0102c00002010064ULL);
	assert_string_equal(rt2str(rt), "192.0.2.1:100");
	assert_int_equal(str2rt("65536:1", &rt), 0);
	assert_true(rt == 0x0202000100000001ULL);
	assert_string_equal(rt2str(rt), "65536:1");
	assert_int_equal(str2rt("4200000000:65535", &rt), 0);
	assert_string_equal(rt2str(rt), "4200000000:65535");

	assert_int_equal(str2rt("4294967296:1", &rt), -1);
	assert_int_equal(str2rt("1.2.3.4:65536", &rt), -1);
	assert_int_equal(str2rt("65536:65536", &rt), -1);
	assert_int_equal(str2rt("65000", &rt), -1);
	assert_int_equal(str2rt("", &rt), -1);

	/* A route origin (subtype 0x03) is not a route target. */
	assert_string_equal(rt2str(0x0003fde80000000aULL),
	    "3:0xfde80000000a");
	/* The RD type numbers are not route-target types. */
	assert_string_equal(rt2str(0x0001c00002010064ULL),
	    "1:0xc00002010064");
}

static void
test_addr_cmp(void **state)
{
	struct srv6d_addr	u, a, b, c, d;

	(void)state;
	memset(&u, 0, sizeof(u));
	a = A("10.0.0.1");
	b = A("10.0.0.2");
	c = A("::1");
	d = A("2001:db8::1");
	assert_int_equal(addr_cmp(&a, &a), 0);
	assert_true(addr_cmp(&a, &b) < 0);
	assert_true(addr_cmp(&b, &a) > 0);
	assert_true(addr_cmp(&c, &d) < 0);
	assert_true(addr_cmp(&d, &c) > 0);
	/* Family first: unset < IPv4 < IPv6, whatever the bytes. */
	assert_true(addr_cmp(&u, &a) < 0);
	assert_true(addr_cmp(&b, &c) < 0);
	assert_true(addr_cmp(&c, &a) > 0);
	assert_int_equal(addr_cmp(&u, &u), 0);
	/* Bytes of the union beyond an IPv4 address do not count. */
	b = a;
	b.v6.s6_addr[10] = 0xaa;
	assert_int_equal(addr_cmp(&a, &b), 0);
	/* Ordered as unsigned bytes, network order. */
	a = A("128.0.0.0");
	b = A("127.255.255.255");
	assert_true(addr_cmp(&a, &b) > 0);
}

static void
test_contains(void **state)
{
	struct srv6d_prefix	p;
	struct srv6d_addr	a;

	(void)state;
	p = P("10.200.0.0/24");
	a = A("10.200.0.10");
	assert_true(prefix_contains(&p, &a));
	a = A("10.200.1.10");
	assert_false(prefix_contains(&p, &a));
	a = A("::ffff:10.200.0.10");
	assert_false(prefix_contains(&p, &a));
	p = P("0.0.0.0/0");
	a = A("255.255.255.255");
	assert_true(prefix_contains(&p, &a));
	p = P("192.0.2.1/32");
	a = A("192.0.2.1");
	assert_true(prefix_contains(&p, &a));
	a = A("192.0.2.0");
	assert_false(prefix_contains(&p, &a));
	p = P("10.240.0.0/12");
	a = A("10.255.0.1");
	assert_true(prefix_contains(&p, &a));
	a = A("10.224.0.1");
	assert_false(prefix_contains(&p, &a));

	p = P("fc00:0:1::/48");
	a = A("fc00:0:1:e000::");
	assert_true(prefix_contains(&p, &a));
	a = A("fc00:0:2::1");
	assert_false(prefix_contains(&p, &a));
	a = A("10.0.0.1");
	assert_false(prefix_contains(&p, &a));
	p = P("::/0");
	a = A("ffff::1");
	assert_true(prefix_contains(&p, &a));
	p = P("2001:db8::1/128");
	a = A("2001:db8::1");
	assert_true(prefix_contains(&p, &a));
	a = A("2001:db8::");
	assert_false(prefix_contains(&p, &a));
	p = P("fe80::/10");
	a = A("febf::1");
	assert_true(prefix_contains(&p, &a));
	a = A("fec0::1");
	assert_false(prefix_contains(&p, &a));
}

static void
check_overlap(const char *x, const char *y, int expect)
{
	struct srv6d_prefix	a = P(x), b = P(y);

	assert_int_equal(prefix_overlaps(&a, &b) != 0, expect);
	assert_int_equal(prefix_overlaps(&b, &a) != 0, expect);
}

static void
test_overlaps(void **state)
{
	(void)state;
	check_overlap("10.0.0.0/8", "10.1.0.0/16", 1);
	check_overlap("10.0.0.0/8", "11.0.0.0/8", 0);
	check_overlap("10.0.0.0/8", "10.0.0.0/8", 1);
	check_overlap("0.0.0.0/0", "192.0.2.1/32", 1);
	check_overlap("192.0.2.1/32", "192.0.2.2/32", 0);
	check_overlap("192.0.2.0/25", "192.0.2.128/25", 0);
	check_overlap("fc00:0:1::/48", "fc00:0:2::/48", 0);
	check_overlap("fc00:0:1::/48", "fc00:0:1:e000::/64", 1);
	check_overlap("fc00::/7", "fd00::/8", 1);
	check_overlap("::/0", "2001:db8::1/128", 1);
	check_overlap("2001:db8::1/128", "2001:db8::2/128", 0);
	check_overlap("2001:db8::/32", "2001:db9::/32", 0);
	/* Different families never overlap, not even ::/0 and 0/0. */
	check_overlap("0.0.0.0/0", "::/0", 0);
	check_overlap("10.0.0.0/8", "::ffff:10.0.0.0/104", 0);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(neighbor_state_name(NSTATE_IDLE), "Idle");
	assert_string_equal(neighbor_state_name(NSTATE_CONNECT), "Connect");
	assert_string_equal(neighbor_state_name(NSTATE_ACTIVE), "Active");
	assert_string_equal(neighbor_state_name(NSTATE_OPENSENT), "OpenSent");
	assert_string_equal(neighbor_state_name(NSTATE_OPENCONFIRM),
	    "OpenConfirm");
	assert_string_equal(neighbor_state_name(NSTATE_ESTABLISHED),
	    "Established");
	assert_string_equal(neighbor_state_name((enum neighbor_state)99),
	    "unknown");
	assert_string_equal(vrf_sid_mode_name(VRF_SID_AUTO), "auto");
	assert_string_equal(vrf_sid_mode_name(VRF_SID_PER_CE), "per-ce");
	assert_string_equal(vrf_sid_mode_name(VRF_SID_EXPLICIT), "explicit");
	assert_string_equal(vrf_sid_mode_name((enum vrf_sid_mode)7),
	    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_rotating_buffers),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_mask),
		cmocka_unit_test(test_rd),
		cmocka_unit_test(test_rt),
		cmocka_unit_test(test_addr_cmp),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
