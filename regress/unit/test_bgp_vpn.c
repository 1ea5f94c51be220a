/*
 * bgp_vpn.c: VPN NLRI against byte vectors (FRR 8.4's among them) and in
 * round trips for each RD type, labels, malformed lengths, next hops of
 * 12, 24 and 48 bytes with RFC 8950, route targets and End-of-RIB.
 */
#include <arpa/inet.h>

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

static rd_t
RD(const char *s)
{
	rd_t	rd;

	assert_int_equal(str2rd(s, &rd), 0);
	return rd;
}

static struct bgp_view
hexview(const char *hex, uint8_t *buf, size_t max)
{
	return (struct bgp_view){ buf, unhex(hex, buf, max) };
}

/* The bytes written to b equal the hex text. */
static void
assert_buf(struct ibuf *b, const char *hex)
{
	uint8_t	want[256];
	size_t	n = unhex(hex, want, sizeof(want));

	assert_int_equal(ibuf_size(b), n);
	assert_memory_equal(ibuf_data(b), want, n);
}

/* FRR 8.4: label 4096, RD 65001:10, 10.1.0.0/24. */
static void
test_nlri_frr(void **state)
{
	uint8_t		 buf[64];
	struct bgp_view	 v = hexview("70 010001 0000fde90000000a 0a0100",
			    buf, sizeof(buf));
	struct vpn_nlri	 n;
	struct vpn_error e;
	struct srv6d_prefix want = P("10.1.0.0/24");

	(void)state;
	assert_int_equal(vpn_nlri_check(v, BGP_AFI_IPV4, &e), 0);
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_int_equal(n.wire_label, 0x010001);
	assert_int_equal(n.label, 4096);
	assert_int_equal(n.bos, 1);
	assert_int_equal(n.tc, 0);
	assert_true(n.rd == RD("65001:10"));
	assert_false(n.rd_unknown);
	assert_string_equal(rd2str(n.rd), "65001:10");
	assert_int_equal(n.prefix.len, 24);
	assert_memory_equal(&n.prefix, &want, sizeof(want));
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 0);
}

static void
roundtrip(const char *rd, const char *pfx, uint16_t afi, const char *hex)
{
	struct ibuf	*b = ibuf_dynamic(64, 1024);
	struct srv6d_prefix p = P(pfx);
	struct bgp_view	 v;
	struct vpn_nlri	 n;
	struct vpn_error e;

	assert_non_null(b);
	assert_int_equal(vpn_nlri_write(b, 4096, RD(rd), &p), 0);
	assert_buf(b, hex);
	v = (struct bgp_view){ ibuf_data(b), ibuf_size(b) };
	assert_int_equal(vpn_nlri_next(&v, afi, &n, &e), 1);
	assert_true(n.rd == RD(rd));
	assert_string_equal(rd2str(n.rd), rd);
	assert_false(n.rd_unknown);
	assert_int_equal(n.label, 4096);
	assert_memory_equal(&n.prefix, &p, sizeof(p));
	assert_int_equal(v.len, 0);
	ibuf_free(b);
}

static void
test_nlri_rd_types(void **state)
{
	(void)state;
	roundtrip("65001:10", "10.1.0.0/24", BGP_AFI_IPV4,
	    "70 010001 0000fde90000000a 0a0100");
	roundtrip("192.0.2.1:7", "10.2.3.0/25", BGP_AFI_IPV4,
	    "71 010001 0001c00002010007 0a020300");
	roundtrip("4200000001:65535", "0.0.0.0/0", BGP_AFI_IPV4,
	    "58 010001 0002fa56ea01ffff");
	roundtrip("65001:10", "2001:db8:1::/48", BGP_AFI_IPV6,
	    "88 010001 0000fde90000000a 20010db80001");
	roundtrip("4200000001:1", "fc00::1/128", BGP_AFI_IPV6,
	    "d8 010001 0002fa56ea010001 fc000000000000000000000000000001");
}

static void
test_nlri_unknown_rd(void **state)
{
	uint8_t		 buf[64];
	struct bgp_view	 v = hexview("70 800000 0005010203040506 0a0100",
			    buf, sizeof(buf));
	struct vpn_nlri	 n;
	struct vpn_error e;
	struct ibuf	*b = ibuf_dynamic(64, 1024);

	(void)state;
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_true(n.rd_unknown);
	assert_true(n.rd == 0x0005010203040506ULL);
	assert_false(vpn_rd_known(n.rd));
	/* Host bits beyond the prefix length are cleared. */
	v = hexview("71 010001 0001c00002010007 0a0203ff", buf, sizeof(buf));
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_string_equal(prefix2str(&n.prefix), "10.2.3.128/25");
	assert_string_equal(rd2str(n.rd), "192.0.2.1:7");
	/* Kept opaque: written back as received. */
	n.rd = 0x0005010203040506ULL;
	n.prefix = P("10.1.0.0/24");
	assert_int_equal(vpn_nlri_write_withdraw(b, n.rd, &n.prefix), 0);
	assert_buf(b, "70 800000 0005010203040506 0a0100");
	ibuf_free(b);
}

static void
test_nlri_labels(void **state)
{
	uint8_t		 buf[128];
	struct bgp_view	 v = hexview(
			    "70 800000 0000fde90000000a 0a0100"
			    "70 000000 0000fde90000000a 0a0200"
			    "70 fffffb 0000fde90000000a 0a0300"
			    "70 000030 0000fde90000000a 0a0400",
			    buf, sizeof(buf));
	struct vpn_nlri	 n;
	struct vpn_error e;
	struct srv6d_prefix p = P("10.9.0.0/16");
	struct ibuf	*b = ibuf_dynamic(64, 1024);

	(void)state;
	assert_int_equal(vpn_nlri_check(v, BGP_AFI_IPV4, &e), 0);
	/* RFC 8277 withdraw label. */
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_int_equal(n.wire_label, VPN_LABEL_WITHDRAW);
	assert_int_equal(n.label, 0x80000);
	assert_int_equal(n.bos, 0);
	/* FRR's withdraw label. */
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_int_equal(n.wire_label, 0);
	assert_int_equal(n.label, 0);
	/* Every bit: label 0xfffff, TC 5, S 1. */
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_int_equal(n.label, 0xfffff);
	assert_int_equal(n.tc, 5);
	assert_int_equal(n.bos, 1);
	/* Implicit null without S. */
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 1);
	assert_int_equal(n.label, 3);
	assert_int_equal(n.bos, 0);
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_IPV4, &n, &e), 0);

	assert_int_equal(vpn_nlri_write(b, 3, RD("65001:10"), &p), 0);
	assert_int_equal(vpn_nlri_write(b, 0xfffff, RD("65001:10"), &p), 0);
	assert_int_equal(vpn_nlri_write_withdraw(b, RD("65001:10"), &p), 0);
	assert_int_equal(vpn_nlri_write(b, 0x100000, RD("65001:10"), &p), -1);
	assert_buf(b, "68 000031 0000fde90000000a 0a09"
	    "68 fffff1 0000fde90000000a 0a09"
	    "68 800000 0000fde90000000a 0a09");
	ibuf_free(b);
}

/* A prefix or next hop that does not fit leaves the buffer as it was. */
static void
test_write_full(void **state)
{
	struct ibuf	*b = ibuf_open(20);
	struct srv6d_prefix p = P("10.1.0.0/24");
	struct vpn_nexthop nh;

	(void)state;
	assert_int_equal(vpn_nlri_write(b, 4096, RD("65001:10"), &p), 0);
	assert_int_equal(ibuf_size(b), 15);
	assert_int_equal(vpn_nlri_write(b, 4096, RD("65001:10"), &p), -1);
	assert_int_equal(ibuf_size(b), 15);
	memset(&nh, 0, sizeof(nh));
	nh.global = A("2001:db8::1");
	assert_int_equal(vpn_nexthop_write(b, &nh), -1);
	assert_int_equal(ibuf_size(b), 15);
	nh.global = A("192.0.2.1");
	assert_int_equal(vpn_nexthop_write(b, &nh), -1);
	assert_int_equal(ibuf_size(b), 15);
	assert_buf(b, "70 010001 0000fde90000000a 0a0100");
	p = P("10.1.0.0/24");
	p.len = 33;
	assert_int_equal(vpn_nlri_write(b, 4096, RD("65001:10"), &p), -1);
	assert_int_equal(ibuf_size(b), 15);
	ibuf_free(b);
}

static void
bad_nlri(const char *hex, uint16_t afi)
{
	uint8_t		 buf[128];
	struct bgp_view	 v = hexview(hex, buf, sizeof(buf));
	struct bgp_view	 w = v;
	struct vpn_nlri	 n;
	struct vpn_error e = { VPN_ERR_NONE, NULL };
	int		 r;

	assert_int_equal(vpn_nlri_check(v, afi, &e), -1);
	assert_int_equal(e.code, VPN_ERR_NLRI);
	assert_non_null(e.reason);
	while ((r = vpn_nlri_next(&w, afi, &n, &e)) == 1)
		;
	assert_int_equal(r, -1);
	assert_int_equal(e.code, VPN_ERR_NLRI);
}

static void
test_nlri_malformed(void **state)
{
	uint8_t		 buf[8];
	struct vpn_error e;
	struct vpn_nlri	 n;
	struct bgp_view	 v = hexview("70", buf, sizeof(buf));

	(void)state;
	bad_nlri("57 010001 0000fde90000000a", BGP_AFI_IPV4);	/* 87 */
	bad_nlri("00", BGP_AFI_IPV4);
	bad_nlri("79 010001 0000fde90000000a 0a010000 00", BGP_AFI_IPV4);
	bad_nlri("d9 010001 0000fde90000000a"
	    "fc000000000000000000000000000001 00", BGP_AFI_IPV6);
	bad_nlri("70 010001 0000fde90000000a 0a01", BGP_AFI_IPV4);
	bad_nlri("70 010001 0000fde9", BGP_AFI_IPV4);
	/* A good prefix, then a bad one: the whole field is unparseable. */
	bad_nlri("70 010001 0000fde90000000a 0a0100 70 0100", BGP_AFI_IPV4);
	/* An AFI that is not a VPN one. */
	assert_int_equal(vpn_nlri_check(v, BGP_AFI_L2VPN, &e), -1);
	assert_int_equal(e.code, VPN_ERR_AFI);
	assert_int_equal(vpn_nlri_next(&v, BGP_AFI_L2VPN, &n, &e), -1);
	assert_int_equal(e.code, VPN_ERR_AFI);
}

static void
nh_roundtrip(uint16_t afi, int ext, const char *hex, const char *g,
    const char *ll)
{
	uint8_t		 buf[64];
	struct bgp_view	 v = hexview(hex, buf, sizeof(buf));
	struct vpn_nexthop nh, want;
	struct vpn_error e;
	struct ibuf	*b = ibuf_dynamic(64, 1024);
	char		 full[256];

	memset(&want, 0, sizeof(want));
	want.global = A(g);
	if (ll != NULL)
		want.ll = A(ll);
	assert_int_equal(vpn_nexthop_decode(afi, v, ext, &nh, &e), 0);
	assert_memory_equal(&nh, &want, sizeof(want));
	assert_int_equal(vpn_nexthop_write(b, &want), 0);
	snprintf(full, sizeof(full), "%02zx %s", v.len, hex);
	assert_buf(b, full);
	ibuf_free(b);
}

#define RD0	"0000000000000000"
#define NH6	"20010db8000000000000000000000001"
#define LL6	"fe800000000000000000000000000001"

static void
test_nexthop(void **state)
{
	(void)state;
	nh_roundtrip(BGP_AFI_IPV4, 0, RD0 "c0000201", "192.0.2.1", NULL);
	nh_roundtrip(BGP_AFI_IPV6, 0, RD0 NH6, "2001:db8::1", NULL);
	nh_roundtrip(BGP_AFI_IPV6, 0, RD0 NH6 RD0 LL6, "2001:db8::1",
	    "fe80::1");
	/* RFC 8950: VPNv4 over IPv6 with the capability negotiated. */
	nh_roundtrip(BGP_AFI_IPV4, 1, RD0 NH6, "2001:db8::1", NULL);
	nh_roundtrip(BGP_AFI_IPV4, 1, RD0 NH6 RD0 LL6, "2001:db8::1",
	    "fe80::1");
}

static void
bad_nh(uint16_t afi, int ext, const char *hex, enum vpn_err code)
{
	uint8_t		 buf[64];
	struct bgp_view	 v = hexview(hex, buf, sizeof(buf));
	struct vpn_nexthop nh;
	struct vpn_error e = { VPN_ERR_NONE, NULL };

	assert_int_equal(vpn_nexthop_decode(afi, v, ext, &nh, &e), -1);
	assert_int_equal(e.code, code);
	assert_non_null(e.reason);
}

static void
test_nexthop_bad(void **state)
{
	struct vpn_nexthop nh;
	struct ibuf	*b = ibuf_dynamic(64, 1024);

	(void)state;
	/* RFC 8950 next hop without the capability. */
	bad_nh(BGP_AFI_IPV4, 0, RD0 NH6, VPN_ERR_NH_EXT);
	bad_nh(BGP_AFI_IPV4, 0, RD0 NH6 RD0 LL6, VPN_ERR_NH_EXT);
	/* Non-zero RDs. */
	bad_nh(BGP_AFI_IPV4, 0, "0000fde90000000a c0000201", VPN_ERR_NH_RD);
	bad_nh(BGP_AFI_IPV6, 0, "0000000000000001" NH6, VPN_ERR_NH_RD);
	bad_nh(BGP_AFI_IPV6, 0, RD0 NH6 "0001c00002010007" LL6,
	    VPN_ERR_NH_RD);
	bad_nh(BGP_AFI_IPV4, 1, "0002fa56ea010001" NH6, VPN_ERR_NH_RD);
	/* Lengths. */
	bad_nh(BGP_AFI_IPV4, 0, "c0000201", VPN_ERR_NH_LEN);
	bad_nh(BGP_AFI_IPV6, 0, RD0 "c0000201", VPN_ERR_NH_LEN);
	bad_nh(BGP_AFI_IPV6, 0, NH6, VPN_ERR_NH_LEN);
	bad_nh(BGP_AFI_IPV6, 0, "", VPN_ERR_NH_LEN);
	bad_nh(BGP_AFI_IPV4, 1, RD0 NH6 "00", VPN_ERR_NH_LEN);
	bad_nh(BGP_AFI_L2VPN, 0, RD0 "c0000201", VPN_ERR_AFI);
	/* Nothing to encode. */
	memset(&nh, 0, sizeof(nh));
	assert_int_equal(vpn_nexthop_write(b, &nh), -1);
	nh.global = A("192.0.2.1");
	nh.ll = A("fe80::1");
	assert_int_equal(vpn_nexthop_write(b, &nh), -1);
	assert_int_equal(ibuf_size(b), 0);
	ibuf_free(b);
}

static void
test_rt(void **state)
{
	uint8_t		 buf[128];
	/* RT 65001:10, SoO 65001:1, RT 192.0.2.1:7, encap, RT 4200000001:5 */
	struct bgp_view	 v = hexview(
			    "0002fde90000000a" "0003fde900000001"
			    "0102c00002010007" "030c00000000000e"
			    "0202fa56ea010005" "4002fde90000000b",
			    buf, sizeof(buf));
	ext_community_t	 rt[4], one[1];
	ext_community_t	 imp[2];
	size_t		 n;

	(void)state;
	assert_int_equal(vpn_rt_extract(v, rt, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_true(rt[0] == RT("65001:10"));
	assert_true(rt[1] == RT("192.0.2.1:7"));
	assert_true(rt[2] == RT("4200000001:5"));
	assert_int_equal(vpn_rt_extract(v, one, 1, &n), 0);
	assert_int_equal(n, 3);
	assert_true(one[0] == RT("65001:10"));
	v.len--;
	assert_int_equal(vpn_rt_extract(v, rt, 4, &n), -1);
	v.len = 0;
	assert_int_equal(vpn_rt_extract(v, rt, 4, &n), 0);
	assert_int_equal(n, 0);

	assert_true(vpn_is_rt(RT("65001:10")));
	assert_false(vpn_is_rt(0x0003fde900000001ULL));
	assert_false(vpn_is_rt(0x4002fde90000000bULL));

	imp[0] = RT("65001:99");
	imp[1] = RT("4200000001:5");
	assert_true(vpn_rt_match(rt, 3, imp, 2));
	assert_false(vpn_rt_match(rt, 2, imp, 2));
	assert_false(vpn_rt_match(rt, 3, imp, 1));
	assert_false(vpn_rt_match(rt, 0, imp, 2));
	assert_false(vpn_rt_match(rt, 3, imp, 0));
	/* The same value as a non-RT community does not import. */
	imp[0] = 0x0003fde900000001ULL;
	rt[0] = 0x0003fde900000001ULL;
	assert_false(vpn_rt_match(rt, 1, imp, 1));
}

static size_t
upd(uint8_t *m, size_t max, const char *attrs)
{
	size_t	n = BGP_HDR_LEN, a;

	memset(m, 0xff, BGP_MARKER_LEN);
	m[18] = BGP_UPDATE;
	m[n] = m[n + 1] = 0;
	a = unhex(attrs, m + n + 4, max - n - 4);
	m[n + 2] = a >> 8;
	m[n + 3] = a & 0xff;
	n += 4 + a;
	m[16] = n >> 8;
	m[17] = n & 0xff;
	return n;
}

static int
eor(const char *attrs, uint16_t *afi)
{
	static struct bgp_update u;
	struct bgp_upd_ctx	 ctx = { .as4 = 1, .ebgp = 0 };
	static uint8_t		 m[512];
	size_t			 n = upd(m, sizeof(m), attrs);

	*afi = 0;
	/* Every vector is a valid UPDATE: only vpn_eor() decides. */
	assert_int_equal(bgp_update_parse(m, n, &ctx, &u), BGP_UPD_OK);
	return vpn_eor(&u, afi);
}

static void
test_eor(void **state)
{
	uint16_t	afi;

	(void)state;
	assert_int_equal(eor("800f03 000180", &afi), 1);
	assert_int_equal(afi, BGP_AFI_IPV4);
	assert_int_equal(eor("800f03 000280", &afi), 1);
	assert_int_equal(afi, BGP_AFI_IPV6);
	/* Other families, withdraws, an empty UPDATE: not VPN EoR. */
	assert_int_equal(eor("800f03 000201", &afi), 0);
	assert_int_equal(eor("800f03 001980", &afi), 0);
	assert_int_equal(eor("", &afi), 0);
	assert_int_equal(eor("800f12 000180 70800000 0000fde90000000a 0a0100",
	    &afi), 0);
	assert_int_equal(afi, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nlri_frr),
		cmocka_unit_test(test_nlri_rd_types),
		cmocka_unit_test(test_nlri_unknown_rd),
		cmocka_unit_test(test_nlri_labels),
		cmocka_unit_test(test_nlri_malformed),
		cmocka_unit_test(test_write_full),
		cmocka_unit_test(test_nexthop),
		cmocka_unit_test(test_nexthop_bad),
		cmocka_unit_test(test_rt),
		cmocka_unit_test(test_eor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
