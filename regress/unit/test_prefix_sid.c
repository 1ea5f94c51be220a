/*
 * prefix_sid.c: the RFC 9252 SRv6 Service TLV against byte vectors from
 * SRV6.md (ExaBGP's generic attribute, FRR 8.4's form), transposition
 * both ways, every malformed case, unknown TLVs skipped, exact encoding.
 * Buffers are allocated to their exact size so that ASan and valgrind
 * catch any read past the end.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srv6.h"

/* ExaBGP: fc00:0:2:2::, End.DT4, 40/24/16/0/16/64, sent with label 4096. */
#define EXABGP_VEC	"05 0022 00 01 001e 00 " \
			"fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 00 " \
			"01 0006 28 18 10 00 10 40"

/* Hex digits to a buffer of exactly their size; blanks ignored. */
static size_t
hex(const char *s, uint8_t **out)
{
	size_t	n = 0, i = 0;
	char	b[3] = { 0 };

	*out = malloc(strlen(s) / 2 + 1);
	assert_non_null(*out);
	while (s[i] != '\0') {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		assert_non_null(s[i + 1]);
		memcpy(b, s + i, 2);
		(*out)[n++] = (uint8_t)strtoul(b, NULL, 16);
		i += 2;
	}
	*out = realloc(*out, n ? n : 1);
	assert_non_null(*out);
	return n;
}

static struct in6_addr
addr6(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void
assert_addr(const struct in6_addr *a, const char *want)
{
	char	buf[INET6_ADDRSTRLEN];

	assert_non_null(inet_ntop(AF_INET6, a, buf, sizeof(buf)));
	assert_string_equal(buf, want);
}

/* Decode hex s; the result code, *info filled. */
static int
decode(const char *s, uint8_t want, struct srv6_sid_info *info,
    const char **why)
{
	uint8_t	*buf;
	size_t	 n;
	int	 rv;

	n = hex(s, &buf);
	rv = prefix_sid_decode(buf, n, want, info, why);
	free(buf);
	return rv;
}

static void
test_exabgp_vector(void **state)
{
	struct srv6_sid_info	 i;
	struct in6_addr		 sid;
	const char		*why = NULL;

	(void)state;
	assert_int_equal(decode(EXABGP_VEC, PREFIX_SID_TLV_SRV6_L3, &i, &why),
	    PREFIX_SID_FOUND);
	assert_null(why);
	assert_addr(&i.sid, "fc00:0:2:2::");
	assert_int_equal(i.behavior, SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(i.flags, 0);
	assert_true(i.has_structure);
	assert_int_equal(i.st.lbl, 40);
	assert_int_equal(i.st.lnl, 24);
	assert_int_equal(i.st.fl, 16);
	assert_int_equal(i.st.al, 0);
	assert_int_equal(i.st.tl, 16);
	assert_int_equal(i.st.to, 64);
	/* Wire label 0x010001 (S bit set) is the 20-bit value 0x01000. */
	assert_int_equal(srv6_sid_reconstruct(&i, 0x010001 >> 4, &sid), 0);
	assert_addr(&sid, "fc00:0:2:2:100::");
	/* Not an L2 service attribute. */
	assert_int_equal(decode(EXABGP_VEC, PREFIX_SID_TLV_SRV6_L2, &i, &why),
	    PREFIX_SID_ABSENT);
}

/* FRR 8.4: behaviour 0xFFFF, SID field the locator, label index << 12. */
static void
test_frr84(void **state)
{
	struct srv6_sid_info	 i;
	struct in6_addr		 sid;
	const char		*why;

	(void)state;
	assert_int_equal(decode("05 0022 00 01 001e 00 "
	    "fc00 0000 0001 0000 0000 0000 0000 0000 00 ffff 00 "
	    "01 0006 28 18 10 00 10 40", PREFIX_SID_TLV_SRV6_L3, &i, &why),
	    PREFIX_SID_FOUND);
	assert_int_equal(i.behavior, SRV6_BEHAVIOR_OPAQUE);
	assert_string_equal(srv6_behavior_name(i.behavior), "opaque");
	assert_int_equal(srv6_behavior_infer(i.behavior, AF_INET),
	    SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(srv6_behavior_infer(i.behavior, AF_INET6),
	    SRV6_BEHAVIOR_END_DT6);
	assert_int_equal(srv6_behavior_infer(SRV6_BEHAVIOR_END_DX4, AF_INET6),
	    SRV6_BEHAVIOR_END_DX4);
	assert_addr(&i.sid, "fc00:0:1::");
	assert_int_equal(srv6_sid_reconstruct(&i, 1 << 12, &sid), 0);
	assert_addr(&sid, "fc00:0:1:0:100::");
	assert_int_equal(srv6_sid_reconstruct(&i, 2 << 12, &sid), 0);
	assert_addr(&sid, "fc00:0:1:0:200::");
	/* A label that does not fit 20 bits is refused. */
	assert_int_equal(srv6_sid_reconstruct(&i, 0x100000, &sid), -1);
}

static void
roundtrip(const char *s, uint8_t tl, uint8_t to)
{
	struct srv6_sid_info	 in, out;
	struct in6_addr		 sid;
	uint8_t			 buf[PREFIX_SID_SRV6_ENCODED_LEN];
	uint32_t		 label = 0xdeadbeef;
	const char		*why;

	memset(&in, 0, sizeof(in));
	in.sid = addr6(s);
	in.behavior = SRV6_BEHAVIOR_END_DT6;
	in.has_structure = 1;
	in.st = (struct srv6_sid_structure){ 40, 24, 16, 0, tl, to };
	assert_int_equal(prefix_sid_encode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &in, 1, &label), sizeof(buf));
	assert_true(label <= SRV6_LABEL_MAX);
	if (tl == 0)
		assert_int_equal(label, SRV6_LABEL_IMPLICIT_NULL);
	else
		/* Left-aligned: the low 20 - TL bits are zero. */
		assert_int_equal(label & ((1u << (20 - tl)) - 1), 0);
	assert_int_equal(prefix_sid_decode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &out, &why), PREFIX_SID_FOUND);
	assert_int_equal(out.st.tl, tl);
	assert_int_equal(out.st.to, to);
	if (tl > 0)
		assert_int_equal(srv6_bits_get(&out.sid, to, tl), 0);
	assert_int_equal(srv6_sid_reconstruct(&out, label, &sid), 0);
	assert_memory_equal(&sid, &in.sid, sizeof(sid));
}

static void
test_transposition(void **state)
{
	struct in6_addr	a, b;
	uint32_t	v;
	unsigned	tl, to;

	(void)state;
	roundtrip("fc00:0:2:2:100::", 16, 64);
	roundtrip("fc00:0:2:2:abcd::", 16, 64);
	roundtrip("fc00:0:2:2:abcd:ef01::", 8, 56);
	roundtrip("fc00:0:2:2::ab:cdef", 20, 108);
	roundtrip("fc00:0:2:2::ab:cdef", 20, 100);
	roundtrip("fc00:0:2:2:1234::", 0, 0);
	roundtrip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 20, 0);
	roundtrip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, 127);

	/* Every TL 1..20 at every TO: label bits land back where they were. */
	a = addr6("a5a5:5a5a:a5a5:5a5a:a5a5:5a5a:a5a5:5a5a");
	for (tl = 1; tl <= 20; tl++)
		for (to = 0; to + tl <= 128; to++) {
			struct srv6_sid_info	i = { 0 };

			v = srv6_bits_get(&a, to, tl);
			i.sid = a;
			srv6_bits_put(&i.sid, to, tl, 0);
			i.has_structure = 1;
			i.st.tl = tl;
			i.st.to = to;
			assert_int_equal(srv6_sid_reconstruct(&i,
			    v << (20 - tl), &b), 0);
			assert_memory_equal(&a, &b, sizeof(a));
		}
}

/* TL = 0: the SID field is the SID whatever the label. */
static void
test_no_transposition(void **state)
{
	struct srv6_sid_info	 i;
	struct in6_addr		 sid;
	const char		*why;

	(void)state;
	assert_int_equal(decode("05 0022 00 01 001e 00 "
	    "fc00 0000 0002 0002 00aa 0000 0000 0000 00 0014 00 "
	    "01 0006 28 18 10 00 00 00", PREFIX_SID_TLV_SRV6_L3, &i, &why),
	    PREFIX_SID_FOUND);
	assert_int_equal(i.behavior, SRV6_BEHAVIOR_END_DT46);
	assert_int_equal(srv6_sid_reconstruct(&i, 3, &sid), 0);
	assert_addr(&sid, "fc00:0:2:2:aa::");
	assert_int_equal(srv6_sid_reconstruct(&i, 12345, &sid), 0);
	assert_addr(&sid, "fc00:0:2:2:aa::");
	/* No structure sub-sub-TLV at all (sub-TLV length 21). */
	assert_int_equal(decode("05 0019 00 01 0015 00 "
	    "fc00 0000 0002 0002 00aa 0000 0000 0000 00 0011 00", PREFIX_SID_TLV_SRV6_L3, &i, &why), PREFIX_SID_FOUND);
	assert_false(i.has_structure);
	assert_int_equal(i.behavior, SRV6_BEHAVIOR_END_DX4);
	assert_int_equal(srv6_sid_reconstruct(&i, 4096, &sid), 0);
	assert_addr(&sid, "fc00:0:2:2:aa::");
}

static void
test_malformed(void **state)
{
	const struct {
		const char	*hex;
		const char	*why;
	} bad[] = {
		/* TLV length overruns the attribute. */
		{ "05 0023 00 01 001e 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0006 28 18 10 00 10 40",
		  "overruns the attribute" },
		/* TLV header truncated after a valid Label-Index TLV. */
		{ "01 0007 00 0000 0000 0064 05",
		  "header truncated" },
		/* Service TLV of length 0. */
		{ "05 0000",
		  "reserved octet" },
		/* Service TLV without a SID Information sub-TLV. */
		{ "05 0004 00 02 0000",
		  "without a SID Information" },
		/* Sub-TLV length overruns the Service TLV. */
		{ "05 0022 00 01 001f 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0006 28 18 10 00 10 40",
		  "overruns its Service TLV" },
		/* SID Information sub-TLV of 20 octets (FRR 8.4 aborts). */
		{ "05 0018 00 01 0014 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013",
		  "shorter than 21" },
		/* Structure sub-sub-TLV of length 5 (GoBGP 3.10 panics). */
		{ "05 0021 00 01 001d 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0005 28 18 10 00 10",
		  "length not 6" },
		/* Structure sub-sub-TLV of length 7. */
		{ "05 0023 00 01 001f 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0007 28 18 10 00 10 40 ff",
		  "length not 6" },
		/* Sub-sub-TLV overruns its sub-TLV. */
		{ "05 0022 00 01 001e 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0007 28 18 10 00 10 40",
		  "overruns its sub-TLV" },
		/* Sub-sub-TLV header truncated. */
		{ "05 001b 00 01 0017 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 00",
		  "sub-sub-TLV header truncated" },
		/* TL 21. */
		{ "05 0022 00 01 001e 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0006 28 18 10 00 15 40",
		  "above 20" },
		/* TO 120 + TL 9 = 129. */
		{ "05 0022 00 01 001e 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0006 28 18 10 00 09 78",
		  "beyond the SID" },
		/* A malformed second SID Information sub-TLV. */
		{ "05 0025 00 01 001e 00 "
		  "fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 "
		  "00 01 0006 28 18 10 00 10 40 01 0000",
		  "shorter than 21" },
	};
	struct srv6_sid_info	 i;
	const char		*why;
	uint8_t			*buf;
	size_t			 n, k, len;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		why = NULL;
		assert_int_equal(decode(bad[k].hex, PREFIX_SID_TLV_SRV6_L3,
		    &i, &why), PREFIX_SID_MALFORMED);
		assert_non_null(why);
		assert_non_null(strstr(why, bad[k].why));
	}
	/* Every truncation of the valid vector is refused, never overread. */
	n = hex(EXABGP_VEC, &buf);
	for (len = 1; len < n; len++) {
		uint8_t	*t = malloc(len);

		assert_non_null(t);
		memcpy(t, buf, len);
		assert_int_equal(prefix_sid_decode(t, len,
		    PREFIX_SID_TLV_SRV6_L3, &i, &why), PREFIX_SID_MALFORMED);
		free(t);
	}
	assert_int_equal(prefix_sid_decode(buf, 0, PREFIX_SID_TLV_SRV6_L3, &i,
	    &why), PREFIX_SID_ABSENT);
	free(buf);
}

static void
test_unknown_skipped(void **state)
{
	struct srv6_sid_info	 i;
	struct in6_addr		 sid;
	const char		*why;

	(void)state;
	/*
	 * Label-Index (1), Originator SRGB (3), an L2 Service TLV (6) with a
	 * different SID, then the L3 Service TLV holding an unknown sub-TLV
	 * (7) before the SID Information sub-TLV, whose structure follows an
	 * unknown sub-sub-TLV (9); a second SID Information is ignored.
	 */
	assert_int_equal(decode(
	    "01 0007 00 0000 0000 0064 "
	    "03 0008 0000 000010 000064 "
	    "06 0022 00 01 001e 00 fc00 0000 0009 0009 0000 0000 0000 0000 "
	    "00 0015 00 01 0006 28 18 10 00 10 40 "
	    "05 004d 00 "
	    "07 0002 abcd "
	    "01 0023 00 fc00 0000 0002 0002 0000 0000 0000 0000 00 0013 00 "
	    "09 0002 0102 "
	    "01 0006 28 18 10 00 10 40 "
	    "01 001e 00 fc00 0000 0007 0007 0000 0000 0000 0000 00 0014 00 "
	    "01 0006 28 18 10 00 10 40",
	    PREFIX_SID_TLV_SRV6_L3, &i, &why), PREFIX_SID_FOUND);
	assert_addr(&i.sid, "fc00:0:2:2::");
	assert_int_equal(i.behavior, SRV6_BEHAVIOR_END_DT4);
	assert_true(i.has_structure);
	assert_int_equal(i.st.to, 64);
	assert_int_equal(srv6_sid_reconstruct(&i, 4096, &sid), 0);
	assert_addr(&sid, "fc00:0:2:2:100::");
	/* Only other TLVs: absent, not malformed. */
	assert_int_equal(decode("01 0007 00 0000 0000 0064", PREFIX_SID_TLV_SRV6_L3,
	    &i, &why), PREFIX_SID_ABSENT);
	/* The L2 service TLV when asked for it. */
	assert_int_equal(decode("06 0022 00 01 001e 00 "
	    "fc00 0000 0009 0009 0000 0000 0000 0000 00 0015 00 "
	    "01 0006 28 18 10 00 10 40", PREFIX_SID_TLV_SRV6_L2, &i, &why),
	    PREFIX_SID_FOUND);
	assert_addr(&i.sid, "fc00:0:9:9::");
}

static void
test_encode(void **state)
{
	struct srv6_sid_info	 in;
	uint8_t			 buf[64], *want;
	uint32_t		 label;
	size_t			 n;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.sid = addr6("fc00:0:2:2:100::");
	in.behavior = SRV6_BEHAVIOR_END_DT4;
	in.st = (struct srv6_sid_structure){ 40, 24, 16, 0, 16, 64 };

	/* Transposed: exactly ExaBGP's vector, label 4096. */
	n = hex(EXABGP_VEC, &want);
	assert_int_equal(prefix_sid_encode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &in, 1, &label), n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(label, 4096);
	free(want);

	/* Not transposed: the whole SID, TL and TO 0, label 3. */
	n = hex("05 0022 00 01 001e 00 "
	    "fc00 0000 0002 0002 0100 0000 0000 0000 00 0013 00 "
	    "01 0006 28 18 10 00 00 00", &want);
	assert_int_equal(prefix_sid_encode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &in, 0, &label), n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(label, SRV6_LABEL_IMPLICIT_NULL);
	free(want);

	/* Too small a buffer, an impossible structure. */
	assert_int_equal(prefix_sid_encode(buf, PREFIX_SID_SRV6_ENCODED_LEN - 1,
	    PREFIX_SID_TLV_SRV6_L3, &in, 0, &label), -1);
	in.st.tl = 21;
	assert_int_equal(prefix_sid_encode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &in, 1, &label), -1);
	in.st.tl = 16;
	in.st.to = 113;
	assert_int_equal(prefix_sid_encode(buf, sizeof(buf),
	    PREFIX_SID_TLV_SRV6_L3, &in, 1, &label), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(srv6_behavior_name(16), "End.DX6");
	assert_string_equal(srv6_behavior_name(17), "End.DX4");
	assert_string_equal(srv6_behavior_name(18), "End.DT6");
	assert_string_equal(srv6_behavior_name(19), "End.DT4");
	assert_string_equal(srv6_behavior_name(20), "End.DT46");
	assert_string_equal(srv6_behavior_name(60), "uDX6");
	assert_string_equal(srv6_behavior_name(61), "uDX4");
	assert_string_equal(srv6_behavior_name(62), "uDT6");
	assert_string_equal(srv6_behavior_name(63), "uDT4");
	assert_string_equal(srv6_behavior_name(64), "uDT46");
	assert_string_equal(srv6_behavior_name(0xffff), "opaque");
	assert_string_equal(srv6_behavior_name(999), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exabgp_vector),
		cmocka_unit_test(test_frr84),
		cmocka_unit_test(test_transposition),
		cmocka_unit_test(test_no_transposition),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
