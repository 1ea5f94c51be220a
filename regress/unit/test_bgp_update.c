/*
 * bgp_update.c: UPDATE parsing (a table of malformed UPDATEs, each with
 * the RFC 7606 outcome and NOTIFICATION), zero-copy views, prefixes, the
 * attribute and AS_PATH encoders and the RFC 6793 AS_PATH/AS4_PATH merge.
 */
#include <ctype.h>
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

#define MARKER	"ffffffffffffffffffffffffffffffff"

static void
put16(uint8_t *p, size_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* An UPDATE from its three parts, lengths filled in. */
static size_t
upd_build(uint8_t *m, size_t max, const char *wd, const char *attrs,
    const char *nlri)
{
	size_t	n = BGP_HDR_LEN, w, a;

	memset(m, 0xff, BGP_MARKER_LEN);
	m[18] = BGP_UPDATE;
	w = unhex(wd, m + n + 2, max - n - 2);
	put16(m + n, w);
	n += 2 + w;
	a = unhex(attrs, m + n + 2, max - n - 2);
	put16(m + n, a);
	n += 2 + a;
	n += unhex(nlri, m + n, max - n);
	put16(m + 16, n);
	return n;
}

/* An UPDATE from a raw body (lengths as given). */
static size_t
upd_raw(uint8_t *m, size_t max, const char *body)
{
	size_t	n;

	memset(m, 0xff, BGP_MARKER_LEN);
	m[18] = BGP_UPDATE;
	n = BGP_HDR_LEN + unhex(body, m + BGP_HDR_LEN, max - BGP_HDR_LEN);
	put16(m + 16, n);
	return n;
}

static struct bgp_update	upd;	/* 13 kB: not on the stack */
static const struct bgp_upd_ctx	ctx4 = { .as4 = 1, .ebgp = 1 };
static const struct bgp_upd_ctx	ctx2 = { .as4 = 0, .ebgp = 1 };
static const struct bgp_upd_ctx	ctxi = { .as4 = 1, .ebgp = 0 };

#define ORIGIN		"40 01 01 00 "
#define ASPATH4		"40 02 06 02 01 0000fde9 "
#define ASPATH2		"40 02 04 02 01 fde9 "
#define NH		"40 03 04 c0000201 "
#define BASE		ORIGIN ASPATH4 NH
#define NLRI		"18 c63364"
#define MP6		"80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 " \
			"20 20010db8 "

static const struct upd_case {
	const char		*what;
	const struct bgp_upd_ctx *ctx;
	const char		*body;	/* raw body, else the three parts */
	const char		*wd, *attrs, *nlri;
	enum bgp_upd_action	 action;
	int			 type;	/* reason or discarded attribute */
	int			 subcode;	/* with RESET */
	const char		*data;		/* with RESET */
} cases[] = {
	/* Message structure: RFC 4271 §6.3. */
	{ "withdrawn length beyond message", &ctx4, "0005 00 0000", 0, 0, 0,
	    BGP_UPD_RESET, 0, 1, "" },
	{ "attribute length beyond message", &ctx4, "0000 0005 400101", 0, 0,
	    0, BGP_UPD_RESET, 0, 1, "" },
	{ "no room for attribute length", &ctx4, "0001 00", 0, 0, 0,
	    BGP_UPD_RESET, 0, 1, "" },
	/* RFC 7606 §5.3: prefix syntax is a session reset. */
	{ "withdrawn prefix /33", &ctx4, 0, "21 0a000000 00", "", "",
	    BGP_UPD_RESET, 0, 10, "" },
	{ "withdrawn prefix cut", &ctx4, 0, "18 0a00", "", "",
	    BGP_UPD_RESET, 0, 10, "" },
	{ "NLRI prefix /33", &ctx4, 0, "", BASE, "21 0a000000 00",
	    BGP_UPD_RESET, 0, 10, "" },
	{ "NLRI prefix cut", &ctx4, 0, "", BASE, "18 0a00",
	    BGP_UPD_RESET, 0, 10, "" },
	/* Per attribute, RFC 7606 §7. */
	{ "ORIGIN 3", &ctx4, 0, "", "40 01 01 03 " ASPATH4 NH, NLRI,
	    BGP_UPD_WITHDRAW, 1, 0, "" },
	{ "ORIGIN length 2", &ctx4, 0, "", "40 01 02 0000 " ASPATH4 NH, NLRI,
	    BGP_UPD_WITHDRAW, 1, 0, "" },
	{ "ORIGIN flagged optional", &ctx4, 0, "", "c0 01 01 00 " ASPATH4 NH,
	    NLRI, BGP_UPD_WITHDRAW, 1, 0, "" },
	{ "ORIGIN not transitive", &ctx4, 0, "", "00 01 01 00 " ASPATH4 NH,
	    NLRI, BGP_UPD_WITHDRAW, 1, 0, "" },
	{ "AS_PATH segment type 0", &ctx4, 0, "",
	    ORIGIN "40 02 06 00 01 0000fde9 " NH, NLRI,
	    BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "AS_PATH segment type 5", &ctx4, 0, "",
	    ORIGIN "40 02 06 05 01 0000fde9 " NH, NLRI,
	    BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "AS_PATH empty segment", &ctx4, 0, "",
	    ORIGIN "40 02 02 02 00 " NH, NLRI, BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "AS_PATH segment overrun", &ctx4, 0, "",
	    ORIGIN "40 02 06 02 02 0000fde9 " NH, NLRI,
	    BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "AS_PATH one octet left over", &ctx4, 0, "",
	    ORIGIN "40 02 07 02 01 0000fde9 02 " NH, NLRI,
	    BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "2-octet AS_PATH on a 4-octet session", &ctx4, 0, "",
	    ORIGIN ASPATH2 NH, NLRI, BGP_UPD_WITHDRAW, 2, 0, "" },
	{ "2-octet AS_PATH on a 2-octet session", &ctx2, 0, "",
	    ORIGIN ASPATH2 NH, NLRI, BGP_UPD_OK, 0, 0, "" },
	{ "confederation segments", &ctxi, 0, "",
	    ORIGIN "40 02 0c 03 01 0000fde8 02 01 0000fde9 " NH, NLRI,
	    BGP_UPD_OK, 0, 0, "" },
	{ "NEXT_HOP length 5", &ctx4, 0, "", ORIGIN ASPATH4 "40 03 05 c000020100",
	    NLRI, BGP_UPD_WITHDRAW, 3, 0, "" },
	{ "MED length 2", &ctx4, 0, "", BASE "80 04 02 0064", NLRI,
	    BGP_UPD_WITHDRAW, 4, 0, "" },
	{ "MED flagged well-known", &ctx4, 0, "", BASE "40 04 04 00000064",
	    NLRI, BGP_UPD_WITHDRAW, 4, 0, "" },
	{ "LOCAL_PREF length 3 (iBGP)", &ctxi, 0, "", BASE "40 05 03 000064",
	    NLRI, BGP_UPD_WITHDRAW, 5, 0, "" },
	{ "LOCAL_PREF from eBGP", &ctx4, 0, "", BASE "40 05 04 00000064",
	    NLRI, BGP_UPD_DISCARD, 5, 0, "" },
	{ "LOCAL_PREF length 3 from eBGP (RFC 7606 §7.5)", &ctx4, 0, "",
	    BASE "40 05 03 000064", NLRI, BGP_UPD_DISCARD, 5, 0, "" },
	{ "LOCAL_PREF flagged optional from eBGP", &ctx4, 0, "",
	    BASE "c0 05 04 00000064", NLRI, BGP_UPD_DISCARD, 5, 0, "" },
	{ "AS4_AGGREGATOR length 6 from a 4-octet speaker", &ctx4, 0, "",
	    BASE "c0 12 06 1170 c0000201", NLRI, BGP_UPD_DISCARD, 18, 0, "" },
	{ "LOCAL_PREF from iBGP", &ctxi, 0, "", BASE "40 05 04 00000064",
	    NLRI, BGP_UPD_OK, 0, 0, "" },
	{ "ATOMIC_AGGREGATE length 1", &ctx4, 0, "", BASE "40 06 01 00",
	    NLRI, BGP_UPD_DISCARD, 6, 0, "" },
	{ "AGGREGATOR length 6 on a 4-octet session", &ctx4, 0, "",
	    BASE "c0 07 06 fde9 c0000201", NLRI, BGP_UPD_DISCARD, 7, 0, "" },
	{ "AGGREGATOR length 8 on a 2-octet session", &ctx2, 0, "",
	    ORIGIN ASPATH2 NH "c0 07 08 0000fde9 c0000201", NLRI,
	    BGP_UPD_DISCARD, 7, 0, "" },
	{ "AGGREGATOR not transitive", &ctx4, 0, "",
	    BASE "80 07 08 0000fde9 c0000201", NLRI, BGP_UPD_DISCARD, 7, 0,
	    "" },
	{ "COMMUNITIES length 5", &ctx4, 0, "", BASE "c0 08 05 fde9000100",
	    NLRI, BGP_UPD_WITHDRAW, 8, 0, "" },
	{ "COMMUNITIES length 0", &ctx4, 0, "", BASE "c0 08 00", NLRI,
	    BGP_UPD_WITHDRAW, 8, 0, "" },
	{ "ORIGINATOR_ID length 3", &ctxi, 0, "", BASE "80 09 03 0a0000",
	    NLRI, BGP_UPD_WITHDRAW, 9, 0, "" },
	{ "CLUSTER_LIST length 0", &ctxi, 0, "", BASE "80 0a 00", NLRI,
	    BGP_UPD_WITHDRAW, 10, 0, "" },
	{ "CLUSTER_LIST length 6", &ctxi, 0, "", BASE "80 0a 06 0a0000020000",
	    NLRI, BGP_UPD_WITHDRAW, 10, 0, "" },
	{ "EXTENDED_COMMUNITIES length 12", &ctx4, 0, "",
	    BASE "c0 10 0c 0002fde900000001 00000000", NLRI,
	    BGP_UPD_WITHDRAW, 16, 0, "" },
	{ "LARGE_COMMUNITIES length 8", &ctx4, 0, "",
	    BASE "c0 20 08 0000fde9 00000001", NLRI, BGP_UPD_WITHDRAW, 32, 0,
	    "" },
	{ "LARGE_COMMUNITIES well-known", &ctx4, 0, "",
	    BASE "40 20 0c 0000fde9 00000001 00000002", NLRI,
	    BGP_UPD_WITHDRAW, 32, 0, "" },
	{ "PREFIX_SID not transitive", &ctx4, 0, "", BASE "80 28 00", NLRI,
	    BGP_UPD_WITHDRAW, 40, 0, "" },
	/* RFC 6793 §6 and §4.1. */
	{ "AS4_PATH with confederation", &ctx2, 0, "",
	    ORIGIN ASPATH2 NH "c0 11 06 03 01 00011170", NLRI,
	    BGP_UPD_DISCARD, 17, 0, "" },
	{ "AS4_PATH overrun", &ctx2, 0, "",
	    ORIGIN ASPATH2 NH "c0 11 06 02 02 00011170", NLRI,
	    BGP_UPD_DISCARD, 17, 0, "" },
	{ "AS4_PATH from a 4-octet speaker", &ctx4, 0, "",
	    BASE "c0 11 06 02 01 00011170", NLRI, BGP_UPD_DISCARD, 17, 0, "" },
	{ "AS4_AGGREGATOR length 6", &ctx2, 0, "",
	    ORIGIN ASPATH2 NH "c0 12 06 1170 c0000201", NLRI,
	    BGP_UPD_DISCARD, 18, 0, "" },
	/* RFC 7606 §7.11, RFC 4760 §7: MP_REACH errors reset. */
	{ "MP_REACH IPv6 with a 4-octet next hop", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 0c 0002 01 04 c0000201 00 10 2001", "",
	    BGP_UPD_RESET, 14, 9, "800e0c00020104c000020100102001" },
	{ "MP_REACH next hop beyond attribute", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 06 0002 01 10 2001", "",
	    BGP_UPD_RESET, 14, 9, "800e06 0002 01 10 2001" },
	{ "MP_REACH length 4", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 04 0002 01 00", "",
	    BGP_UPD_RESET, 14, 5, "800e040002 0100" },
	{ "MP_REACH flagged transitive", &ctx4, 0, "",
	    "c0 0e 05 0002 01 00 00", "", BGP_UPD_RESET, 14, 4,
	    "c00e05000201 0000" },
	{ "MP_REACH IPv6 prefix /129", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 17 0002 01 10 20010db8000000000000000000000001"
	    " 00 81 20", "", BGP_UPD_RESET, 14, 9,
	    "800e17000201 10 20010db8000000000000000000000001 00 8120" },
	{ "MP_REACH VPNv4 prefix shorter than label and RD", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 1c 0001 80 0c 0000000000000000c0000201 00"
	    " 50 000001 00000000000000", "", BGP_UPD_RESET, 14, 9,
	    "800e1c000180 0c 0000000000000000c0000201 00"
	    " 50 000001 00000000000000" },
	{ "MP_UNREACH prefix cut", &ctx4, 0, "", "80 0f 05 0002 01 40 20",
	    "", BGP_UPD_RESET, 15, 9, "800f05000201 4020" },
	{ "MP_UNREACH length 2", &ctx4, 0, "", "80 0f 02 0002", "",
	    BGP_UPD_RESET, 15, 5, "800f02 0002" },
	/* RFC 7606 §3 g. */
	{ "MP_REACH twice", &ctx4, 0, "", ORIGIN ASPATH4 MP6 MP6, "",
	    BGP_UPD_RESET, 14, 1, "" },
	{ "MP_UNREACH twice", &ctx4, 0, "",
	    "80 0f 03 0002 01 80 0f 03 0002 01", "", BGP_UPD_RESET, 15, 1, "" },
	{ "ORIGIN twice", &ctx4, 0, "", BASE "40 01 01 05", NLRI,
	    BGP_UPD_DISCARD, 1, 0, "" },
	{ "COMMUNITIES twice, second malformed", &ctx4, 0, "",
	    BASE "c0 08 04 fde90001 c0 08 01 00", NLRI, BGP_UPD_DISCARD, 8, 0,
	    "" },
	/* RFC 4271 §6.3, §5: unknown attributes. */
	{ "unknown well-known 99", &ctx4, 0, "", BASE "40 63 02 abcd", NLRI,
	    BGP_UPD_RESET, 99, 2, "406302abcd" },
	{ "unknown optional transitive 99", &ctx4, 0, "", BASE "c0 63 01 ab",
	    NLRI, BGP_UPD_OK, 0, 0, "" },
	{ "unknown optional non-transitive 99", &ctx4, 0, "",
	    BASE "80 63 01 ab", NLRI, BGP_UPD_OK, 0, 0, "" },
	/* RFC 7606 §3 d. */
	{ "no ORIGIN", &ctx4, 0, "", ASPATH4 NH, NLRI, BGP_UPD_WITHDRAW, 1, 0,
	    "" },
	{ "no AS_PATH", &ctx4, 0, "", ORIGIN NH, NLRI, BGP_UPD_WITHDRAW, 2, 0,
	    "" },
	{ "no NEXT_HOP", &ctx4, 0, "", ORIGIN ASPATH4, NLRI,
	    BGP_UPD_WITHDRAW, 3, 0, "" },
	{ "no ORIGIN with MP_REACH", &ctx4, 0, "", ASPATH4 MP6, "",
	    BGP_UPD_WITHDRAW, 1, 0, "" },
	{ "no NEXT_HOP with MP_REACH only", &ctx4, 0, "", ORIGIN ASPATH4 MP6,
	    "", BGP_UPD_OK, 0, 0, "" },
	{ "withdraw only", &ctx4, 0, "18 c63364", "", "", BGP_UPD_OK, 0, 0,
	    "" },
	{ "End-of-RIB", &ctx4, 0, "", "", "", BGP_UPD_OK, 0, 0, "" },
	{ "IPv6 End-of-RIB", &ctx4, 0, "", "80 0f 03 0002 01", "",
	    BGP_UPD_OK, 0, 0, "" },
	/* RFC 7606 §4: overruns are treat-as-withdraw. */
	{ "last attribute overruns", &ctx4, 0, "", BASE "c0 08 08 fde90001",
	    NLRI, BGP_UPD_WITHDRAW, 0, 0, "" },
	{ "two octets left", &ctx4, 0, "", BASE "c0 08", NLRI,
	    BGP_UPD_WITHDRAW, 0, 0, "" },
	{ "extended length header cut", &ctx4, 0, "", BASE "d0 08 00", NLRI,
	    BGP_UPD_WITHDRAW, 0, 0, "" },
	/* Good ones. */
	{ "extended length COMMUNITIES", &ctx4, 0, "",
	    BASE "d0 08 0004 fde90001", NLRI, BGP_UPD_OK, 0, 0, "" },
	{ "VPNv4 MP_REACH", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 20 0001 80 0c 0000000000000000c0000201 00"
	    " 70 000011 0000fde900000001 c63364", "", BGP_UPD_OK, 0, 0, "" },
	{ "unknown AFI MP_REACH", &ctx4, 0, "",
	    ORIGIN ASPATH4 "80 0e 07 0019 46 00 00 ffff", "", BGP_UPD_OK, 0, 0,
	    "" },
};

static void
test_update_table(void **state)
{
	uint8_t				 m[4096];
	size_t				 i, n, dn;
	const struct upd_case		*c;
	uint8_t				 data[512];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &cases[i];
		print_message("# UPDATE: %s\n", c->what);
		if (c->body != NULL)
			n = upd_raw(m, sizeof(m), c->body);
		else
			n = upd_build(m, sizeof(m), c->wd, c->attrs, c->nlri);
		assert_int_equal(bgp_update_parse(m, n, c->ctx, &upd),
		    c->action);
		if (c->action == BGP_UPD_OK)
			continue;
		assert_non_null(upd.reason);
		if (c->action == BGP_UPD_DISCARD) {
			assert_true(upd.ndisc >= 1);
			assert_int_equal(upd.disc[0].type, c->type);
			continue;
		}
		assert_int_equal(upd.reason_type, c->type);
		if (c->action != BGP_UPD_RESET)
			continue;
		assert_int_equal(upd.err.code, BGP_ERR_UPDATE);
		assert_int_equal(upd.err.subcode, c->subcode);
		dn = unhex(c->data, data, sizeof(data));
		assert_int_equal(upd.err.datalen, dn);
		if (dn > 0)
			assert_memory_equal(bgp_err_data(&upd.err), data, dn);
	}
}

static void
assert_view(struct bgp_view v, const char *hex)
{
	uint8_t	want[512];
	size_t	n = unhex(hex, want, sizeof(want));

	assert_int_equal(v.len, n);
	if (n > 0)
		assert_memory_equal(v.p, want, n);
}

/* Every attribute in one UPDATE: zero-copy views of each. */
static void
test_update_views(void **state)
{
	uint8_t			 m[1024];
	size_t			 n;
	const struct bgp_attr	*a;

	(void)state;
	n = upd_build(m, sizeof(m), "10 0a01 20 0a020304",
	    BASE "80 04 04 00000064 40 05 04 000000c8 40 06 00 "
	    "c0 07 08 0000fde9 c0000201 c0 08 04 fde90001 80 09 04 0a000001 "
	    "80 0a 08 0a000002 0a000003 c0 10 08 0002fde900000001 "
	    "c0 20 0c 0000fde9 00000001 00000002 c0 28 03 01 0000 " MP6
	    "80 0f 08 0002 01 20 20010db9",
	    NLRI " 10 0a00");
	assert_int_equal(bgp_update_parse(m, n, &ctxi, &upd), BGP_UPD_OK);
	assert_int_equal(upd.nattr, 15);
	assert_view(upd.withdrawn, "10 0a01 20 0a020304");
	assert_view(upd.nlri, NLRI "10 0a00");
	assert_ptr_equal(upd.nlri.p, m + n - 7);
	assert_view(bgp_update_attr(&upd, BGP_ATTR_MED)->val, "00000064");
	assert_view(bgp_update_attr(&upd, BGP_ATTR_LOCAL_PREF)->val,
	    "000000c8");
	assert_view(bgp_update_attr(&upd, BGP_ATTR_CLUSTER_LIST)->val,
	    "0a000002 0a000003");
	assert_view(bgp_update_attr(&upd, BGP_ATTR_PREFIX_SID)->val,
	    "01 0000");
	a = bgp_update_attr(&upd, BGP_ATTR_LARGE_COMMUNITIES);
	assert_int_equal(a->flags, 0xc0);
	assert_view(a->raw, "c0 20 0c 0000fde9 00000001 00000002");
	assert_true(upd.has_reach && upd.has_unreach);
	assert_int_equal(upd.reach.afi, 2);
	assert_int_equal(upd.reach.safi, 1);
	assert_view(upd.reach.nh, "20010db8000000000000000000000001");
	assert_view(upd.reach.nlri, "20 20010db8");
	assert_view(upd.unreach.nlri, "20 20010db9");
	assert_null(bgp_update_attr(&upd, BGP_ATTR_AS4_PATH));
	assert_string_equal(bgp_attr_name(BGP_ATTR_MP_REACH), "MP_REACH_NLRI");
	assert_string_equal(bgp_attr_name(99), "unknown");
}

/*
 * RFC 7606 §4 and SRV6.md: a malformed attribute that is not the last
 * one; the NLRI is still found, and so is an MP_REACH after it.
 */
static void
test_update_nlri_after_malformed(void **state)
{
	uint8_t	m[1024];
	size_t	n;

	(void)state;
	n = upd_build(m, sizeof(m), "", "40 01 01 07 " ASPATH4 MP6 NH
	    "c0 08 03 000000 c0 10 08 0002fde900000001", NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx4, &upd),
	    BGP_UPD_WITHDRAW);
	assert_int_equal(upd.reason_type, BGP_ATTR_ORIGIN);
	assert_ptr_equal(upd.nlri.p, m + n - 4);
	assert_view(upd.nlri, NLRI);
	assert_true(upd.has_reach);
	assert_view(upd.reach.nlri, "20 20010db8");
	/* Attributes after the bad ones are still parsed. */
	assert_non_null(bgp_update_attr(&upd, BGP_ATTR_EXT_COMMUNITIES));
	assert_null(bgp_update_attr(&upd, BGP_ATTR_COMMUNITIES));
	/* An overrun in the middle: NLRI by Total Path Attribute Length. */
	n = upd_build(m, sizeof(m), "", ORIGIN "40 02 40 02 01 0000fde9 " NH,
	    NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx4, &upd),
	    BGP_UPD_WITHDRAW);
	assert_view(upd.nlri, NLRI);
}

static void
test_update_unknown(void **state)
{
	uint8_t			 m[1024];
	size_t			 n;
	const struct bgp_attr	*a;

	(void)state;
	n = upd_build(m, sizeof(m), "", BASE "c0 63 01 ab 80 64 01 cd "
	    "e0 65 01 ef", NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx4, &upd), BGP_UPD_OK);
	/* RFC 4271 §5: transitive kept with Partial, the other dropped. */
	a = bgp_update_attr(&upd, 99);
	assert_non_null(a);
	assert_int_equal(a->flags, 0xe0);
	assert_view(a->raw, "c0 63 01 ab");	/* the wire is untouched */
	assert_null(bgp_update_attr(&upd, 100));
	assert_int_equal(bgp_update_attr(&upd, 101)->flags, 0xe0);
	assert_int_equal(upd.nattr, 5);
	/* A repeat keeps the first. */
	n = upd_build(m, sizeof(m), "", BASE "40 01 01 02", NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx4, &upd),
	    BGP_UPD_DISCARD);
	assert_view(bgp_update_attr(&upd, BGP_ATTR_ORIGIN)->val, "00");
}

static void
test_prefixes(void **state)
{
	uint8_t		 m[64], a[16];
	struct bgp_view	 v;
	uint8_t		 plen;
	struct ibuf	*b;
	uint8_t		 addr[4] = { 10, 1, 2, 255 };

	(void)state;
	v.len = unhex("00 08 0a 13 0a01ff 20 c0000201", m, sizeof(m));
	v.p = m;
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), 1);
	assert_int_equal(plen, 0);
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), 1);
	assert_int_equal(plen, 8);
	assert_memory_equal(a, "\x0a\x00\x00\x00", 4);
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), 1);
	assert_int_equal(plen, 19);
	assert_memory_equal(a, "\x0a\x01\xe0\x00", 4);	/* host bits cleared */
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), 1);
	assert_memory_equal(a, "\xc0\x00\x02\x01", 4);
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), 0);
	v.len = unhex("21 0a000000 00", m, sizeof(m));
	v.p = m;
	assert_int_equal(bgp_prefix_next(&v, 32, a, &plen), -1);
	v.len = unhex("81 20", m, sizeof(m));
	assert_int_equal(bgp_prefix_next(&v, 128, a, &plen), -1);
	assert_int_equal(bgp_prefixes_check(v, 128), -1);
	b = ibuf_dynamic(16, 64);
	assert_int_equal(bgp_prefix_write(b, addr, 20), 0);
	assert_int_equal(bgp_prefix_write(b, addr, 0), 0);
	assert_int_equal(bgp_prefix_write(b, addr, 32), 0);
	assert_int_equal(ibuf_size(b), 10);
	assert_memory_equal(ibuf_seek(b, 0, 10),
	    "\x14\x0a\x01\x00\x00\x20\x0a\x01\x02\xff", 10);
	ibuf_free(b);
}

static void
assert_ibuf(struct ibuf *b, const char *hex)
{
	uint8_t	want[2048];
	size_t	n = unhex(hex, want, sizeof(want));

	assert_int_equal(ibuf_size(b), n);
	assert_memory_equal(ibuf_seek(b, 0, n), want, n);
}

/* RFC 4271 §4.3: Extended Length exactly when needed. */
static void
test_attr_write(void **state)
{
	struct ibuf	*b = ibuf_dynamic(16, 70000);
	uint8_t		 big[300];

	(void)state;
	assert_int_equal(bgp_attr_write(b, 0x40 | BGP_ATTR_EXTLEN, 1, "\x00",
	    1), 0);
	assert_int_equal(bgp_attr_write(b, 0x40, 6, NULL, 0), 0);
	assert_ibuf(b, "40 01 01 00 40 06 00");
	ibuf_free(b);
	b = ibuf_dynamic(16, 70000);
	memset(big, 0xaa, sizeof(big));
	assert_int_equal(bgp_attr_write(b, 0xc0, 8, big, sizeof(big)), 0);
	assert_int_equal(ibuf_size(b), 4 + 300);
	assert_memory_equal(ibuf_seek(b, 0, 4), "\xd0\x08\x01\x2c", 4);
	ibuf_free(b);
}

static const struct {
	const char	*what;
	const char	*path4;
	int		 peer_as4;
	const char	*out;
} aspath_writes[] = {
	{ "4-octet peer", "02 02 0000fde9 00011170", 1,
	    "40 02 0a 02 02 0000fde9 00011170" },
	{ "2-octet peer, small ASes", "02 02 0000fde9 0000fdea", 0,
	    "40 02 06 02 02 fde9 fdea" },
	/* RFC 6793 §4.2.2: AS_TRANS, then AS4_PATH. */
	{ "2-octet peer, AS 70000", "02 02 0000fde9 00011170", 0,
	    "40 02 06 02 02 fde9 5ba0 c0 11 0a 02 02 0000fde9 00011170" },
	{ "2-octet peer, confederation left out of AS4_PATH",
	    "03 01 0000fde8 02 01 00011170 01 02 00000064 000000c8", 0,
	    "40 02 0e 03 01 fde8 02 01 5ba0 01 02 0064 00c8 "
	    "c0 11 10 02 01 00011170 01 02 00000064 000000c8" },
	{ "empty path", "", 0, "40 02 00" },
};

static void
test_aspath_write(void **state)
{
	struct ibuf	*b;
	uint8_t		 p[256];
	size_t		 i;
	struct bgp_view	 v;

	(void)state;
	for (i = 0; i < sizeof(aspath_writes) / sizeof(aspath_writes[0]);
	    i++) {
		print_message("# AS_PATH write: %s\n", aspath_writes[i].what);
		v.len = unhex(aspath_writes[i].path4, p, sizeof(p));
		v.p = p;
		b = ibuf_dynamic(16, 65535);
		assert_int_equal(bgp_aspath_write(b, v,
		    aspath_writes[i].peer_as4), 0);
		assert_ibuf(b, aspath_writes[i].out);
		ibuf_free(b);
	}
}

/* RFC 6793 §4.2.3. */
static const struct {
	const char	*what;
	const char	*as_path, *as4_path, *out;
} merges[] = {
	{ "AS4_PATH covers the tail", "02 03 0064 5ba0 012c",
	    "02 02 00011170 0000012c", "02 03 00000064 00011170 0000012c" },
	{ "AS4_PATH longer: ignored", "02 01 0064",
	    "02 02 00011170 0000012c", "02 01 00000064" },
	{ "no AS4_PATH", "02 02 0064 00c8", "", "02 02 00000064 000000c8" },
	{ "all covered", "02 02 5ba0 5ba0", "02 02 00011170 00011171",
	    "02 02 00011170 00011171" },
	{ "confederation kept in front", "03 01 fde8 02 02 5ba0 00c8",
	    "02 02 00011170 000000c8",
	    "03 01 0000fde8 02 02 00011170 000000c8" },
	{ "sets count one", "02 02 0064 5ba0 01 02 5ba0 0190",
	    "02 01 00011170 01 02 00013880 00000190",
	    "02 02 00000064 00011170 01 02 00013880 00000190" },
	{ "split sequence", "02 02 0064 00c8 02 01 5ba0",
	    "02 01 00011170", "02 03 00000064 000000c8 00011170" },
};

static void
test_aspath_merge(void **state)
{
	struct ibuf	*b;
	uint8_t		 p[256], p4[256];
	size_t		 i;
	struct bgp_view	 v, v4;

	(void)state;
	for (i = 0; i < sizeof(merges) / sizeof(merges[0]); i++) {
		print_message("# merge: %s\n", merges[i].what);
		v = (struct bgp_view){ p, unhex(merges[i].as_path, p,
		    sizeof(p)) };
		v4 = (struct bgp_view){ p4, unhex(merges[i].as4_path, p4,
		    sizeof(p4)) };
		assert_int_equal(bgp_aspath_check(v, 2, 1), 0);
		assert_int_equal(bgp_aspath_check(v4, 4, 0), 0);
		b = ibuf_dynamic(16, 65535);
		assert_int_equal(bgp_aspath_merge(b, v, v4), 0);
		assert_ibuf(b, merges[i].out);
		ibuf_free(b);
	}
}

/* RFC 6793 §4.2.3: AGGREGATOR not AS_TRANS voids AS4_PATH. */
static void
test_as4_merge_update(void **state)
{
	uint8_t		 m[512];
	size_t		 n;
	struct ibuf	*b;

	(void)state;
	n = upd_build(m, sizeof(m), "", ORIGIN "40 02 06 02 02 0064 5ba0 " NH
	    "c0 07 06 5ba0 c0000201 c0 11 06 02 01 00011170 "
	    "c0 12 08 00011170 c0000201", NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx2, &upd), BGP_UPD_OK);
	b = ibuf_dynamic(16, 65535);
	assert_int_equal(bgp_as4_merge(b, &upd), 0);
	assert_ibuf(b, "02 02 00000064 00011170");
	ibuf_free(b);
	n = upd_build(m, sizeof(m), "", ORIGIN "40 02 06 02 02 0064 5ba0 " NH
	    "c0 07 06 00c8 c0000201 c0 11 06 02 01 00011170 "
	    "c0 12 08 00011170 c0000201", NLRI);
	assert_int_equal(bgp_update_parse(m, n, &ctx2, &upd), BGP_UPD_OK);
	b = ibuf_dynamic(16, 65535);
	assert_int_equal(bgp_as4_merge(b, &upd), 0);
	assert_ibuf(b, "02 02 00000064 00005ba0");
	ibuf_free(b);
}

/*
 * Round trip: an UPDATE built with the encoders parses back, including a
 * path over 255 octets (Extended Length) in an extended message.
 */
static void
test_update_roundtrip(void **state)
{
	struct ibuf	*b = ibuf_dynamic(64, BGP_MAX_LEN_EXT), *path, *out;
	size_t		 start, wpos, apos, i;
	uint8_t		*p, *m;
	uint8_t		 pfx[4] = { 198, 51, 100, 0 };
	struct bgp_view	 v;

	(void)state;
	path = ibuf_dynamic(64, 65535);
	ibuf_add_u8(path, BGP_AS_SEQUENCE);
	ibuf_add_u8(path, 200);
	for (i = 0; i < 200; i++)
		ibuf_add_n32(path, 70000 + i);
	v = (struct bgp_view){ ibuf_seek(path, 0, ibuf_size(path)),
	    ibuf_size(path) };
	assert_int_equal(bgp_msg_begin(b, BGP_UPDATE, &start), 0);
	wpos = ibuf_size(b);
	ibuf_add_n16(b, 0);
	assert_int_equal(bgp_prefix_write(b, pfx, 22), 0);
	apos = ibuf_size(b);
	ibuf_add_n16(b, 0);
	assert_int_equal(bgp_attr_write(b, 0x40, BGP_ATTR_ORIGIN, "\x02", 1),
	    0);
	assert_int_equal(bgp_aspath_write(b, v, 0), 0);
	assert_int_equal(bgp_attr_write(b, 0x40, BGP_ATTR_NEXT_HOP,
	    "\xc0\x00\x02\x01", 4), 0);
	p = ibuf_seek(b, wpos, 2);
	p[1] = apos - wpos - 2;
	p = ibuf_seek(b, apos, 2);
	p[0] = (ibuf_size(b) - apos - 2) >> 8;
	p[1] = (ibuf_size(b) - apos - 2) & 0xff;
	assert_int_equal(bgp_prefix_write(b, pfx, 24), 0);
	assert_int_equal(bgp_msg_end(b, start, BGP_MAX_LEN_EXT), 0);
	m = ibuf_seek(b, 0, ibuf_size(b));
	assert_int_equal(bgp_update_parse(m, ibuf_size(b), &ctx2, &upd),
	    BGP_UPD_OK);
	assert_int_equal(upd.nattr, 4);
	assert_int_equal(bgp_update_attr(&upd, BGP_ATTR_AS_PATH)->flags,
	    0x40 | BGP_ATTR_EXTLEN);
	assert_int_equal(bgp_update_attr(&upd, BGP_ATTR_AS_PATH)->val.len,
	    402);
	assert_int_equal(bgp_update_attr(&upd, BGP_ATTR_AS4_PATH)->val.len,
	    802);
	assert_view(upd.withdrawn, "16 c63364");
	assert_view(upd.nlri, "18 c63364");
	/* The merge gives the original path back. */
	out = ibuf_dynamic(64, 65535);
	assert_int_equal(bgp_as4_merge(out, &upd), 0);
	assert_int_equal(ibuf_size(out), v.len);
	assert_memory_equal(ibuf_seek(out, 0, v.len), v.p, v.len);
	ibuf_free(out);
	ibuf_free(b);	/* only now: upd holds views of it */
	ibuf_free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_table),
		cmocka_unit_test(test_update_views),
		cmocka_unit_test(test_update_nlri_after_malformed),
		cmocka_unit_test(test_update_unknown),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_attr_write),
		cmocka_unit_test(test_aspath_write),
		cmocka_unit_test(test_aspath_merge),
		cmocka_unit_test(test_as4_merge_update),
		cmocka_unit_test(test_update_roundtrip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
