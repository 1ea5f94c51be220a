/*
 * bgp_msg.c: framing, OPEN (byte vectors written from the RFCs for each
 * capability, round trips, a table of malformed OPENs), NOTIFICATION with
 * RFC 9003 shutdown communications, KEEPALIVE and ROUTE-REFRESH.
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

static struct ibuf *
wbuf(void)
{
	struct ibuf	*b;

	assert_non_null(b = ibuf_dynamic(64, BGP_MAX_LEN_EXT));
	return b;
}

static void
assert_ibuf_hex(struct ibuf *b, const char *hex)
{
	uint8_t	want[4096];
	size_t	n = unhex(hex, want, sizeof(want));

	assert_int_equal(ibuf_size(b), n);
	assert_memory_equal(ibuf_seek(b, 0, n), want, n);
}

static void
assert_err(const struct bgp_err *e, int code, int subcode, const char *hex)
{
	uint8_t	want[64];
	size_t	n = unhex(hex, want, sizeof(want));

	assert_int_equal(e->code, code);
	assert_int_equal(e->subcode, subcode);
	assert_int_equal(e->datalen, n);
	if (n > 0)
		assert_memory_equal(bgp_err_data(e), want, n);
}

/* Framing: RFC 4271 §6.1. */

static void
test_frame_partial(void **state)
{
	uint8_t		m[64];
	size_t		n = unhex(MARKER "0013 04", m, sizeof(m));
	struct bgp_hdr	h;
	struct bgp_err	e;

	(void)state;
	assert_int_equal(bgp_frame(m, 0, BGP_MAX_LEN, &h, &e), 0);
	assert_int_equal(bgp_frame(m, 18, BGP_MAX_LEN, &h, &e), 0);
	assert_int_equal(bgp_frame(m, n, BGP_MAX_LEN, &h, &e), 1);
	assert_int_equal(h.type, BGP_KEEPALIVE);
	assert_int_equal(h.len, 19);
	/* A header saying 23 with 19 bytes present: wait for more. */
	n = unhex(MARKER "0017 05 0001 00 01", m, sizeof(m));
	assert_int_equal(bgp_frame(m, 19, BGP_MAX_LEN, &h, &e), 0);
	assert_int_equal(bgp_frame(m, n, BGP_MAX_LEN, &h, &e), 1);
	assert_int_equal(h.type, BGP_RREFRESH);
}

static const struct {
	const char	*what;
	const char	*hdr;
	size_t		 max;
	int		 subcode;
	const char	*data;
} bad_headers[] = {
	{ "marker", "fffffffffffffffffffffffffffffffe 0013 04",
	    BGP_MAX_LEN, BGP_ERR_HDR_SYNC, "" },
	{ "zero marker", "00000000000000000000000000000000 0013 04",
	    BGP_MAX_LEN, BGP_ERR_HDR_SYNC, "" },
	{ "length 18", MARKER "0012 04", BGP_MAX_LEN, BGP_ERR_HDR_LEN, "0012" },
	{ "length 0", MARKER "0000 02", BGP_MAX_LEN, BGP_ERR_HDR_LEN, "0000" },
	{ "length 4097", MARKER "1001 02", BGP_MAX_LEN, BGP_ERR_HDR_LEN,
	    "1001" },
	{ "OPEN 28", MARKER "001c 01", BGP_MAX_LEN, BGP_ERR_HDR_LEN, "001c" },
	{ "OPEN 4097 ext", MARKER "1001 01", BGP_MAX_LEN_EXT, BGP_ERR_HDR_LEN,
	    "1001" },
	{ "UPDATE 22", MARKER "0016 02", BGP_MAX_LEN, BGP_ERR_HDR_LEN, "0016" },
	{ "NOTIFICATION 20", MARKER "0014 03", BGP_MAX_LEN, BGP_ERR_HDR_LEN,
	    "0014" },
	{ "KEEPALIVE 20", MARKER "0014 04", BGP_MAX_LEN, BGP_ERR_HDR_LEN,
	    "0014" },
	{ "KEEPALIVE 4097 ext", MARKER "1001 04", BGP_MAX_LEN_EXT,
	    BGP_ERR_HDR_LEN, "1001" },
	{ "type 0", MARKER "0013 00", BGP_MAX_LEN, BGP_ERR_HDR_TYPE, "00" },
	{ "type 6", MARKER "0017 06", BGP_MAX_LEN, BGP_ERR_HDR_TYPE, "06" },
	{ "type 255", MARKER "0013 ff", BGP_MAX_LEN, BGP_ERR_HDR_TYPE, "ff" },
};

static void
test_frame_bad(void **state)
{
	uint8_t		m[64];
	size_t		i, n;
	struct bgp_hdr	h;
	struct bgp_err	e;

	(void)state;
	for (i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		print_message("# header: %s\n", bad_headers[i].what);
		n = unhex(bad_headers[i].hdr, m, sizeof(m));
		memset(&e, 0, sizeof(e));
		assert_int_equal(bgp_frame(m, n, bad_headers[i].max, &h, &e),
		    -1);
		assert_err(&e, BGP_ERR_HEADER, bad_headers[i].subcode,
		    bad_headers[i].data);
	}
}

static void
test_frame_extended(void **state)
{
	uint8_t		m[BGP_HDR_LEN];
	struct bgp_hdr	h;
	struct bgp_err	e;

	(void)state;
	unhex(MARKER "1388 02", m, sizeof(m));	/* UPDATE of 5000 */
	assert_int_equal(bgp_frame(m, sizeof(m), BGP_MAX_LEN, &h, &e), -1);
	assert_err(&e, 1, 2, "1388");
	assert_int_equal(bgp_frame(m, sizeof(m), BGP_MAX_LEN_EXT, &h, &e), 0);
	assert_int_equal(h.len, 5000);
}

/* OPEN vectors, written from RFC 4271 §4.2 and each capability's RFC. */

#define OPEN_HEAD	MARKER "%04x 01 04 %s 00b4 c0000201 %s"

static size_t
open_vec(uint8_t *m, size_t max, const char *myas, const char *params)
{
	char	hex[2048];
	size_t	n;

	/* First without the right length, then patch it. */
	snprintf(hex, sizeof(hex), OPEN_HEAD, 0, myas, params);
	n = unhex(hex, m, max);
	m[16] = n >> 8;
	m[17] = n & 0xff;
	return n;
}

static const struct {
	const char	*what;
	const char	*params;
} open_vectors[] = {
	{ "no parameters", "00" },
	{ "MP IPv4 unicast (RFC 4760 §8)", "08 02 06 01 04 0001 00 01" },
	{ "MP IPv6 unicast", "08 02 06 01 04 0002 00 01" },
	{ "MP VPNv4", "08 02 06 01 04 0001 00 80" },
	{ "route refresh (RFC 2918 §2)", "04 02 02 02 00" },
	{ "enhanced route refresh (RFC 7313 §3)", "04 02 02 46 00" },
	{ "extended message (RFC 8654 §3)", "04 02 02 06 00" },
	{ "extended next hop (RFC 8950 §3)",
	    "10 02 0e 05 0c 0001 0001 0002 0001 0080 0002" },
	{ "graceful restart (RFC 4724 §3)",
	    "0e 02 0c 40 0a 8078 0001 01 80 0002 01 00" },
	{ "4-octet AS (RFC 6793 §3)", "08 02 06 41 04 0000fde8" },
};

static void
test_open_vectors(void **state)
{
	uint8_t		 m[512];
	size_t		 i, n;
	struct bgp_open	 o;
	struct bgp_err	 e;
	struct ibuf	*b;

	(void)state;
	for (i = 0; i < sizeof(open_vectors) / sizeof(open_vectors[0]); i++) {
		print_message("# OPEN: %s\n", open_vectors[i].what);
		n = open_vec(m, sizeof(m), "fde8", open_vectors[i].params);
		assert_int_equal(bgp_open_decode(m, n, &o, &e), 0);
		assert_int_equal(o.as, 65000);
		assert_int_equal(o.holdtime, 180);
		assert_int_equal(o.bgpid, 0xc0000201);
		/* Encoding what was decoded gives the same bytes. */
		b = wbuf();
		assert_int_equal(bgp_open_encode(b, &o), 0);
		assert_int_equal(ibuf_size(b), n);
		assert_memory_equal(ibuf_seek(b, 0, n), m, n);
		ibuf_free(b);
	}
}

static struct bgp_open
open_decode_ok(const char *myas, const char *params)
{
	uint8_t		m[512];
	size_t		n = open_vec(m, sizeof(m), myas, params);
	struct bgp_open	o;
	struct bgp_err	e;

	assert_int_equal(bgp_open_decode(m, n, &o, &e), 0);
	/* No view into m escapes: only unknown capabilities have them. */
	assert_int_equal(o.caps.nunknown, 0);
	return o;
}

static void
test_open_caps(void **state)
{
	struct bgp_open	o;

	(void)state;
	o = open_decode_ok("fde8", "0e 02 0c 01 04 0001 00 01 01 04 0002 00 80");
	assert_int_equal(o.caps.nmp, 2);
	assert_int_equal(o.caps.mp[1].afi, BGP_AFI_IPV6);
	assert_int_equal(o.caps.mp[1].safi, BGP_SAFI_MPLSVPN);
	o = open_decode_ok("fde8", "10 02 0e 05 0c 0001 0001 0002 0001 0080 0002");
	assert_true(o.caps.ext_nh_cap);
	assert_int_equal(o.caps.next_nh, 2);
	assert_int_equal(o.caps.ext_nh[1].safi, 128);
	assert_int_equal(o.caps.ext_nh[1].nh_afi, 2);
	/* An empty extended next hop capability (ExaBGP sends one). */
	o = open_decode_ok("fde8", "04 02 02 05 00");
	assert_true(o.caps.ext_nh_cap);
	assert_int_equal(o.caps.next_nh, 0);
	o = open_decode_ok("fde8", "0e 02 0c 40 0a 8078 0001 01 80 0002 01 00");
	assert_true(o.caps.gr);
	assert_int_equal(o.caps.gr_flags, BGP_GR_RESTARTING);
	assert_int_equal(o.caps.gr_time, 120);
	assert_int_equal(o.caps.ngr_af, 2);
	assert_int_equal(o.caps.gr_af[0].flags, BGP_GR_AF_FORWARDING);
	assert_int_equal(o.caps.gr_af[1].afi, BGP_AFI_IPV6);
	o = open_decode_ok("fde8", "08 02 06 02 00 46 00 06 00");
	assert_true(o.caps.rrefresh && o.caps.enh_rrefresh && o.caps.ext_msg);
	assert_false(o.caps.as4 || o.caps.gr);
	/* Capabilities spread over several parameters (RFC 5492 §4). */
	o = open_decode_ok("fde8", "08 02 02 02 00 02 02 46 00");
	assert_true(o.caps.rrefresh && o.caps.enh_rrefresh);
}

/* RFC 6793 §4.1: AS 70000 sends AS_TRANS in My AS. */
static void
test_open_as4(void **state)
{
	uint8_t		 m[512];
	size_t		 n;
	struct bgp_open	 o;
	struct bgp_err	 e;
	struct ibuf	*b;

	(void)state;
	n = open_vec(m, sizeof(m), "5ba0", "08 02 06 41 04 00011170");
	assert_int_equal(bgp_open_decode(m, n, &o, &e), 0);
	assert_int_equal(o.myas, AS_TRANS);
	assert_int_equal(o.as, 70000);
	memset(&o, 0, sizeof(o));
	o.as = o.caps.as = 70000;
	o.caps.as4 = 1;
	o.holdtime = 180;
	o.bgpid = 0xc0000201;
	b = wbuf();
	assert_int_equal(bgp_open_encode(b, &o), 0);
	assert_int_equal(ibuf_size(b), n);
	assert_memory_equal(ibuf_seek(b, 0, n), m, n);
	ibuf_free(b);
}

static void
test_open_unknown_caps(void **state)
{
	uint8_t		m[512];
	size_t		n;
	struct bgp_open	o;
	struct bgp_err	e;

	(void)state;
	/* FQDN (73) and an unassigned 200: kept, ignored (RFC 5492 §3). */
	n = open_vec(m, sizeof(m), "fde8",
	    "11 02 0f 49 05 01 61 01 62 00 c8 00 01 04 0001 00 01");
	assert_int_equal(bgp_open_decode(m, n, &o, &e), 0);
	assert_int_equal(o.caps.nunknown, 2);
	assert_int_equal(o.caps.unknown[0].code, 73);
	assert_int_equal(o.caps.unknown[0].val.len, 5);
	assert_ptr_equal(o.caps.unknown[0].val.p, m + 33);
	assert_int_equal(o.caps.unknown[1].code, 200);
	assert_int_equal(o.caps.unknown[1].val.len, 0);
	assert_int_equal(o.caps.nmp, 1);
}

/* RFC 9072 §2: 255, 255, a two-octet length, two-octet param lengths. */
static void
test_open_extended_params(void **state)
{
	uint8_t		 m[1024];
	size_t		 n;
	struct bgp_open	 o, o2;
	struct bgp_err	 e;
	struct ibuf	*b;
	int		 i;

	(void)state;
	n = open_vec(m, sizeof(m), "fde8", "ff ff 000b 02 0008 02 00 41 04 0000fde8");
	assert_int_equal(bgp_open_decode(m, n, &o, &e), 0);
	assert_true(o.ext_params);
	assert_true(o.caps.rrefresh && o.caps.as4);
	/* Enough capabilities for more than 255 octets: encoded extended. */
	memset(&o, 0, sizeof(o));
	o.as = 65000;
	o.bgpid = 1;
	o.holdtime = 90;
	o.caps.nmp = BGP_CAPA_MAX_AF;
	for (i = 0; i < BGP_CAPA_MAX_AF; i++)
		o.caps.mp[i] = (struct bgp_af){ 1, (uint8_t)(i + 1), 0 };
	o.caps.next_nh = BGP_CAPA_MAX_AF;
	o.caps.gr = 1;
	o.caps.ngr_af = BGP_CAPA_MAX_AF;
	b = wbuf();
	assert_int_equal(bgp_open_encode(b, &o), 0);
	n = ibuf_size(b);
	memcpy(m, ibuf_seek(b, 0, n), n);
	ibuf_free(b);
	assert_int_equal(m[28], 255);
	assert_int_equal(m[29], 255);
	assert_int_equal(bgp_open_decode(m, n, &o2, &e), 0);
	assert_true(o2.ext_params);
	assert_int_equal(o2.caps.nmp, BGP_CAPA_MAX_AF);
	assert_int_equal(o2.caps.mp[15].safi, 16);
	assert_int_equal(o2.caps.next_nh, BGP_CAPA_MAX_AF);
	assert_int_equal(o2.caps.ngr_af, BGP_CAPA_MAX_AF);
}

/* Malformed OPENs: the decoder's NOTIFICATION. */
static const struct {
	const char	*what;
	const char	*msg;
	int		 code, subcode;
	const char	*data;
} bad_opens[] = {
	{ "version 3 (RFC 4271 §6.2)",
	    MARKER "001d 01 03 fde8 00b4 c0000201 00", 2, 1, "0004" },
	{ "version 5", MARKER "001d 01 05 fde8 00b4 c0000201 00", 2, 1, "0004" },
	{ "short", MARKER "001c 01 04 fde8 00b4 c0000201", 1, 2, "001c" },
	{ "optional parameter 1 (auth)",
	    MARKER "0021 01 04 fde8 00b4 c0000201 04 01 02 0000", 2, 4, "" },
	{ "optional parameter 3",
	    MARKER "001f 01 04 fde8 00b4 c0000201 02 03 00", 2, 4, "" },
	{ "param length overruns",
	    MARKER "0021 01 04 fde8 00b4 c0000201 04 02 05 0200", 2, 0, "" },
	{ "opt len short of message",
	    MARKER "0021 01 04 fde8 00b4 c0000201 02 02 00 0200", 2, 0, "" },
	{ "opt len beyond message",
	    MARKER "001f 01 04 fde8 00b4 c0000201 04 02 00", 2, 0, "" },
	{ "capability overruns param",
	    MARKER "0021 01 04 fde8 00b4 c0000201 04 02 02 02 01", 2, 0, "" },
	{ "capability header cut",
	    MARKER "0020 01 04 fde8 00b4 c0000201 03 02 01 02", 2, 0, "" },
	{ "MP capability length 3",
	    MARKER "0024 01 04 fde8 00b4 c0000201 07 02 05 01 03 000100",
	    2, 0, "" },
	{ "AS4 capability length 2",
	    MARKER "0023 01 04 fde8 00b4 c0000201 06 02 04 41 02 fde8",
	    2, 0, "" },
	{ "route refresh with a value",
	    MARKER "0022 01 04 fde8 00b4 c0000201 05 02 03 02 01 00",
	    2, 0, "" },
	{ "GR length 5",
	    MARKER "0026 01 04 fde8 00b4 c0000201 09 02 07 40 05 0078 000101",
	    2, 0, "" },
	{ "extended next hop length 4",
	    MARKER "0025 01 04 fde8 00b4 c0000201 08 02 06 05 04 00010001",
	    2, 0, "" },
	{ "RFC 9072 length cut",
	    MARKER "001f 01 04 fde8 00b4 c0000201 ff ff 00", 2, 0, "" },
	{ "RFC 9072 length mismatch",
	    MARKER "0023 01 04 fde8 00b4 c0000201 ff ff 0005 02 0000", 2, 0,
	    "" },
};

static void
test_open_bad(void **state)
{
	uint8_t		m[256];
	size_t		i, n;
	struct bgp_open	o;
	struct bgp_err	e;

	(void)state;
	for (i = 0; i < sizeof(bad_opens) / sizeof(bad_opens[0]); i++) {
		print_message("# bad OPEN: %s\n", bad_opens[i].what);
		n = unhex(bad_opens[i].msg, m, sizeof(m));
		assert_int_equal(m[16] << 8 | m[17], n);
		memset(&e, 0, sizeof(e));
		assert_int_equal(bgp_open_decode(m, n, &o, &e), -1);
		assert_err(&e, bad_opens[i].code, bad_opens[i].subcode,
		    bad_opens[i].data);
	}
}

/* OPEN values against our side: RFC 4271 §6.2, RFC 6286, RFC 7607. */
static const struct {
	const char	*what;
	uint32_t	 as, bgpid, remote_as;
	uint16_t	 holdtime, min_holdtime;
	int		 as4, require_as4;
	int		 subcode;	/* -1: accepted */
	const char	*data;
} open_checks[] = {
	{ "good eBGP", 65001, 0x0a000001, 65001, 90, 0, 0, 0, -1, "" },
	{ "any remote AS", 65001, 0x0a000001, 0, 90, 0, 0, 0, -1, "" },
	{ "hold time 0", 65001, 0x0a000001, 65001, 0, 0, 0, 0, -1, "" },
	{ "hold time 3", 65001, 0x0a000001, 65001, 3, 0, 0, 0, -1, "" },
	{ "hold time 1", 65001, 0x0a000001, 65001, 1, 0, 0, 0, 6, "" },
	{ "hold time 2", 65001, 0x0a000001, 65001, 2, 0, 0, 0, 6, "" },
	{ "hold below our minimum", 65001, 0x0a000001, 65001, 5, 10, 0, 0, 6,
	    "" },
	{ "wrong AS", 65002, 0x0a000001, 65001, 90, 0, 0, 0, 2, "" },
	{ "AS 0 (RFC 7607)", 0, 0x0a000001, 0, 90, 0, 0, 0, 2, "" },
	{ "4-octet AS", 4200000000u, 0x0a000001, 4200000000u, 90, 0, 1, 0, -1,
	    "" },
	{ "BGP id 0", 65001, 0, 65001, 90, 0, 0, 0, 3, "" },
	{ "iBGP with our id (RFC 6286 §2.2)", 65000, 0x0a000063, 65000, 90,
	    0, 0, 0, 3, "" },
	{ "eBGP with our id (RFC 6286)", 65001, 0x0a000063, 65001, 90, 0, 0,
	    0, -1, "" },
	{ "AS4 required (RFC 5492 §5)", 65001, 0x0a000001, 65001, 90, 0, 0, 1,
	    7, "41 04 0000fde8" },
	{ "AS4 required and there", 65001, 0x0a000001, 65001, 90, 0, 1, 1, -1,
	    "" },
};

static void
test_open_check(void **state)
{
	struct bgp_open		o;
	struct bgp_open_policy	pol;
	struct bgp_err		e;
	size_t			i;
	int			rv;

	(void)state;
	for (i = 0; i < sizeof(open_checks) / sizeof(open_checks[0]); i++) {
		print_message("# check OPEN: %s\n", open_checks[i].what);
		memset(&o, 0, sizeof(o));
		o.version = 4;
		o.as = open_checks[i].as;
		o.myas = o.as > 65535 ? AS_TRANS : o.as;
		o.caps.as4 = open_checks[i].as4;
		o.caps.as = o.as;
		o.bgpid = open_checks[i].bgpid;
		o.holdtime = open_checks[i].holdtime;
		pol = (struct bgp_open_policy){ .local_as = 65000,
		    .local_bgpid = 0x0a000063,
		    .remote_as = open_checks[i].remote_as,
		    .min_holdtime = open_checks[i].min_holdtime,
		    .require_as4 = open_checks[i].require_as4 };
		rv = bgp_open_check(&o, &pol, &e);
		if (open_checks[i].subcode == -1) {
			assert_int_equal(rv, 0);
			continue;
		}
		assert_int_equal(rv, -1);
		assert_err(&e, 2, open_checks[i].subcode, open_checks[i].data);
	}
	o.version = 3;
	assert_int_equal(bgp_open_check(&o, &pol, &e), -1);
	assert_err(&e, 2, 1, "0004");
}

/* NOTIFICATION, RFC 4271 §4.5 and RFC 9003 §2. */

static void
test_notification(void **state)
{
	struct bgp_notification	 n, d;
	struct ibuf		*b;
	uint8_t			 data[] = { 0x00, 0x13 };

	(void)state;
	memset(&n, 0, sizeof(n));
	n.code = 1;
	n.subcode = 2;
	n.data = (struct bgp_view){ data, sizeof(data) };
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	assert_ibuf_hex(b, MARKER "0017 03 01 02 0013");
	assert_int_equal(bgp_notification_decode(ibuf_seek(b, 0, 23), 23, &d),
	    0);
	assert_int_equal(d.code, 1);
	assert_int_equal(d.subcode, 2);
	assert_int_equal(d.data.len, 2);
	assert_false(d.has_comm);
	ibuf_free(b);

	/* Administrative shutdown with "maint" (RFC 9003 §2). */
	memset(&n, 0, sizeof(n));
	n.code = 6;
	n.subcode = 2;
	strlcpy(n.comm, "maint", sizeof(n.comm));
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	assert_ibuf_hex(b, MARKER "001b 03 06 02 05 6d61696e74");
	assert_int_equal(bgp_notification_decode(ibuf_seek(b, 0, 27), 27, &d),
	    0);
	assert_true(d.has_comm);
	assert_false(d.bad_comm);
	assert_string_equal(d.comm, "maint");
	assert_int_equal(d.data.len, 0);
	ibuf_free(b);

	/* A communication is only for cease 2 and 4. */
	n.subcode = 3;
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	assert_ibuf_hex(b, MARKER "0015 03 06 03");
	ibuf_free(b);
}

static void
test_notification_comm(void **state)
{
	static const struct {
		const char	*msg;
		int		 has, bad;
		const char	*comm;
		size_t		 rest;
	} v[] = {
		{ MARKER "0015 03 06 02", 0, 0, "", 0 },
		{ MARKER "0016 03 06 04 00", 0, 0, "", 0 },
		{ MARKER "0018 03 06 04 02 c3a9", 1, 0, "\xc3\xa9", 0 },
		{ MARKER "0019 03 06 04 01 41 ff", 1, 0, "A", 1 },
		{ MARKER "0017 03 06 02 05 41", 0, 1, "", 2 },
		{ MARKER "0017 03 06 02 01 ff", 0, 1, "", 2 },
		{ MARKER "0018 03 06 02 02 c0 80", 0, 1, "", 3 },
		{ MARKER "0019 03 06 02 03 eda080", 0, 1, "", 4 },
		{ MARKER "0017 03 06 02 01 00", 0, 1, "", 2 },
		{ MARKER "0017 03 06 03 01 41", 0, 0, "", 2 },
	};
	uint8_t			m[64];
	size_t			i, n;
	struct bgp_notification	d;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		print_message("# comm %zu\n", i);
		n = unhex(v[i].msg, m, sizeof(m));
		assert_int_equal(bgp_notification_decode(m, n, &d), 0);
		assert_int_equal(d.has_comm, v[i].has);
		assert_int_equal(d.bad_comm, v[i].bad);
		assert_string_equal(d.comm, v[i].comm);
		assert_int_equal(d.data.len, v[i].rest);
	}
	assert_int_equal(bgp_notification_decode(m, 20, &d), -1);
}

/* A communication never ends in a cut UTF-8 sequence (RFC 9003 §2). */
static void
test_notification_comm_trim(void **state)
{
	struct bgp_notification	 n, d;
	struct ibuf		*b;
	size_t			 i, len;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.code = 6;
	n.subcode = 4;
	for (i = 0; i < 254; i += 2)
		memcpy(n.comm + i, "\xc3\xa9", 2);	/* 127 x U+00E9 */
	n.comm[254] = 'x';			/* 255 bytes: all sent */
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	assert_int_equal(ibuf_size(b), 21 + 1 + 255);
	ibuf_free(b);
	n.comm[254] = '\xc3';			/* half a character */
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	len = ibuf_size(b);
	assert_int_equal(len, 21 + 1 + 254);
	assert_int_equal(bgp_notification_decode(ibuf_seek(b, 0, len), len,
	    &d), 0);
	assert_true(d.has_comm);
	assert_int_equal(strlen(d.comm), 254);
	ibuf_free(b);
	strlcpy(n.comm, "ab\xe2\x82", sizeof(n.comm));	/* cut U+20AC */
	b = wbuf();
	assert_int_equal(bgp_notification_encode(b, &n), 0);
	assert_ibuf_hex(b, MARKER "0018 03 06 04 02 6162");
	ibuf_free(b);
}

static void
test_err_encode(void **state)
{
	struct bgp_err	 e;
	struct ibuf	*b;
	uint8_t		 big[20];

	(void)state;
	memset(big, 0xab, sizeof(big));
	bgp_err_set(&e, 3, 4, big, sizeof(big));
	assert_ptr_equal(bgp_err_data(&e), big);	/* a view */
	bgp_err_set(&e, 2, 1, (const uint8_t *)"\x00\x04", 2);
	assert_ptr_equal(bgp_err_data(&e), e.inl);	/* a copy */
	b = wbuf();
	assert_int_equal(bgp_err_encode(b, &e), 0);
	assert_ibuf_hex(b, MARKER "0017 03 02 01 0004");
	ibuf_free(b);
}

static void
test_keepalive(void **state)
{
	struct ibuf	*b = wbuf();
	struct bgp_hdr	 h;
	struct bgp_err	 e;

	(void)state;
	assert_int_equal(bgp_keepalive_encode(b), 0);
	assert_ibuf_hex(b, MARKER "0013 04");
	assert_int_equal(bgp_frame(ibuf_seek(b, 0, 19), 19, BGP_MAX_LEN, &h,
	    &e), 1);
	assert_int_equal(h.type, BGP_KEEPALIVE);
	ibuf_free(b);
}

static void
test_rrefresh(void **state)
{
	struct bgp_rrefresh	 rr = { BGP_AFI_IPV6, BGP_RR_BORR, 1 }, d;
	struct ibuf		*b;
	struct bgp_err		 e;
	uint8_t			 m[64];
	size_t			 n;

	(void)state;
	b = wbuf();
	assert_int_equal(bgp_rrefresh_encode(b, &rr), 0);
	assert_ibuf_hex(b, MARKER "0017 05 0002 01 01");
	assert_int_equal(bgp_rrefresh_decode(ibuf_seek(b, 0, 23), 23, &d, &e),
	    0);
	assert_int_equal(d.afi, 2);
	assert_int_equal(d.subtype, BGP_RR_BORR);
	assert_int_equal(d.safi, 1);
	ibuf_free(b);
	n = unhex(MARKER "0017 05 0001 02 80", m, sizeof(m));
	assert_int_equal(bgp_rrefresh_decode(m, n, &d, &e), 0);
	assert_int_equal(d.subtype, BGP_RR_EORR);
	assert_int_equal(d.safi, 128);
	/* RFC 7313 §5: unknown subtype ignored; bad length 7/1 + message. */
	n = unhex(MARKER "0017 05 0001 03 01", m, sizeof(m));
	assert_int_equal(bgp_rrefresh_decode(m, n, &d, &e), 1);
	n = unhex(MARKER "0018 05 0001 00 01 00", m, sizeof(m));
	assert_int_equal(bgp_rrefresh_decode(m, n, &d, &e), -1);
	assert_int_equal(e.code, BGP_ERR_RREFRESH);
	assert_int_equal(e.subcode, BGP_ERR_RREFRESH_LEN);
	assert_int_equal(e.datalen, 24);
	assert_memory_equal(bgp_err_data(&e), m, 24);
}

static void
test_msg_limits(void **state)
{
	struct ibuf	*b;
	size_t		 start;

	(void)state;
	/* bgp_msg_end refuses a message beyond the peer's maximum. */
	b = wbuf();
	assert_int_equal(bgp_msg_begin(b, BGP_UPDATE, &start), 0);
	assert_int_equal(ibuf_add_zero(b, 4096 - 19 + 1), 0);
	assert_int_equal(bgp_msg_end(b, start, BGP_MAX_LEN), -1);
	assert_int_equal(bgp_msg_end(b, start, BGP_MAX_LEN_EXT), 0);
	ibuf_free(b);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_msg_name(BGP_OPEN), "OPEN");
	assert_string_equal(bgp_msg_name(5), "ROUTE-REFRESH");
	assert_string_equal(bgp_msg_name(9), "UNKNOWN");
	assert_string_equal(bgp_err_name(6, 2), "administrative shutdown");
	assert_string_equal(bgp_err_name(3, 10), "invalid network field");
	assert_string_equal(bgp_err_name(3, 99), "UPDATE message error");
	assert_string_equal(bgp_err_name(42, 1), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_partial),
		cmocka_unit_test(test_frame_bad),
		cmocka_unit_test(test_frame_extended),
		cmocka_unit_test(test_open_vectors),
		cmocka_unit_test(test_open_caps),
		cmocka_unit_test(test_open_as4),
		cmocka_unit_test(test_open_unknown_caps),
		cmocka_unit_test(test_open_extended_params),
		cmocka_unit_test(test_open_bad),
		cmocka_unit_test(test_open_check),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_notification_comm),
		cmocka_unit_test(test_notification_comm_trim),
		cmocka_unit_test(test_err_encode),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_rrefresh),
		cmocka_unit_test(test_msg_limits),
		cmocka_unit_test(test_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
