/*
 * prefix_sid.c: the SRv6 Service TLVs of the BGP Prefix-SID attribute
 * (type 40, RFC 8669; SRv6 Services, RFC 9252), decoded and encoded, and
 * the transposition of SID bits into the MPLS label field of the NLRI.
 *
 * Decoding never reads past the buffer: every length is checked against
 * its container before it is used.  A malformed SRv6 Service TLV makes
 * the route ineligible, i.e. treat-as-withdraw (RFC 9252 §7, RFC 7606);
 * the session stays up.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "srv6.h"

_Static_assert(sizeof(struct srv6_sid_structure) == SRV6_STRUCTURE_LEN,
    "the structure is copied from and to the wire");

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Bits [off, off + len) of a, bit 0 being the most significant; len <= 32. */
uint32_t
srv6_bits_get(const struct in6_addr *a, unsigned off, unsigned len)
{
	uint32_t	v = 0;
	unsigned	i, b;

	for (i = 0; i < len && off + i < 128; i++) {
		b = off + i;
		v = v << 1 | ((a->s6_addr[b / 8] >> (7 - b % 8)) & 1);
	}
	return v;
}

/* Write the low len bits of v at bits [off, off + len) of a. */
void
srv6_bits_put(struct in6_addr *a, unsigned off, unsigned len, uint32_t v)
{
	unsigned	i, b;
	uint8_t		m;

	for (i = 0; i < len && off + i < 128; i++) {
		b = off + i;
		m = 0x80 >> (b % 8);
		if ((v >> (len - 1 - i)) & 1)
			a->s6_addr[b / 8] |= m;
		else
			a->s6_addr[b / 8] &= ~m;
	}
}

/*
 * RFC 9252 §3.2.1: TL is at most 20 (the label field) and TO + TL must
 * stay inside the 128-bit SID; anything else is malformed (§7).  We do
 * not require TO + TL <= LBL + LNL + FL + AL: deployed FRR violates it.
 */
static int
structure_check(const struct srv6_sid_structure *st, const char **why)
{
	if (st->tl > SRV6_TRANSPOSE_MAXLEN) {
		*why = "SID structure transposition length above 20";
		return -1;
	}
	if (st->to + st->tl > 128) {
		*why = "SID structure transposition beyond the SID";
		return -1;
	}
	return 0;
}

/*
 * The attribute's three levels (TLVs, sub-TLVs, sub-sub-TLVs) share one
 * layout: type (1 octet), length (2), value.  Each level names its own
 * errors.
 */
struct tlv_level {
	const char	*truncated;	/* header cut short */
	const char	*overruns;	/* value past its container */
};

static const struct tlv_level	 lvl_tlv = {
	"Prefix-SID TLV header truncated",
	"Prefix-SID TLV overruns the attribute",
};
static const struct tlv_level	 lvl_subtlv = {
	"SRv6 sub-TLV header truncated",
	"SRv6 sub-TLV overruns its Service TLV",
};
static const struct tlv_level	 lvl_subsubtlv = {
	"SRv6 sub-sub-TLV header truncated",
	"SRv6 sub-sub-TLV overruns its sub-TLV",
};

/*
 * The element of p[0, len) at *off: its type, value and value length;
 * *off moves past it.  -1 with *why when it does not fit.
 */
static int
tlv_next(const uint8_t *p, size_t len, size_t *off,
    const struct tlv_level *lvl, uint8_t *type, const uint8_t **val,
    size_t *vlen, const char **why)
{
	if (len - *off < 3) {
		*why = lvl->truncated;
		return -1;
	}
	*vlen = get16(p + *off + 1);
	if (*vlen > len - *off - 3) {
		*why = lvl->overruns;
		return -1;
	}
	*type = p[*off];
	*val = p + *off + 3;
	*off += 3 + *vlen;
	return 0;
}

/* Sub-sub-TLVs of a SID Information sub-TLV (RFC 9252 §3.2). */
static int
sid_info_subsub(const uint8_t *p, size_t len, struct srv6_sid_info *out,
    int use, const char **why)
{
	struct srv6_sid_structure	 st;
	const uint8_t			*v;
	size_t				 off = 0, slen;
	uint8_t				 type;

	while (off < len) {
		if (tlv_next(p, len, &off, &lvl_subsubtlv, &type, &v, &slen,
		    why) == -1)
			return -1;
		if (type != SRV6_SUBSUBTLV_STRUCTURE)
			continue;
		if (slen != SRV6_STRUCTURE_LEN) {
			*why = "SID structure sub-sub-TLV length not 6";
			return -1;
		}
		memcpy(&st, v, sizeof(st));
		if (structure_check(&st, why) == -1)
			return -1;
		if (use && !out->has_structure) {
			out->st = st;
			out->has_structure = 1;
		}
	}
	return 0;
}

/* SRv6 SID Information sub-TLV (RFC 9252 §3.1): at least 21 octets. */
static int
sid_info_parse(const uint8_t *p, size_t len, struct srv6_sid_info *out,
    int use, const char **why)
{
	if (len < SRV6_SID_INFO_MINLEN) {
		*why = "SRv6 SID Information sub-TLV shorter than 21";
		return -1;
	}
	if (use) {
		memcpy(&out->sid, p + 1, 16);
		out->flags = p[17];
		out->behavior = get16(p + 18);
	}
	return sid_info_subsub(p + SRV6_SID_INFO_MINLEN,
	    len - SRV6_SID_INFO_MINLEN, out, use, why);
}

/*
 * SRv6 Service TLV value (RFC 9252 §2): one reserved octet, then
 * sub-TLVs.  The first SID Information sub-TLV is the one used; every
 * sub-TLV is still checked so that a malformed one is never ignored.
 */
static int
service_parse(const uint8_t *p, size_t len, struct srv6_sid_info *out,
    const char **why)
{
	const uint8_t	*v;
	size_t		 off = 1, slen;
	uint8_t		 type;
	int		 found = 0;

	if (len < 1) {
		*why = "SRv6 Service TLV without its reserved octet";
		return -1;
	}
	while (off < len) {
		if (tlv_next(p, len, &off, &lvl_subtlv, &type, &v, &slen,
		    why) == -1)
			return -1;
		if (type == SRV6_SUBTLV_SID_INFO) {
			if (sid_info_parse(v, slen, out, !found, why) == -1)
				return -1;
			found = 1;
		}
	}
	if (!found) {
		*why = "SRv6 Service TLV without a SID Information sub-TLV";
		return -1;
	}
	return 0;
}

/*
 * Decode the value of a Prefix-SID attribute (the bytes after the
 * attribute header), looking for the first TLV of type want (5 for L3,
 * 6 for L2 services).  Other TLVs (Label-Index, Originator SRGB, ...)
 * are skipped by length.  Returns PREFIX_SID_FOUND with *out filled,
 * PREFIX_SID_ABSENT, or PREFIX_SID_MALFORMED with *why set.
 */
int
prefix_sid_decode(const uint8_t *buf, size_t len, uint8_t want,
    struct srv6_sid_info *out, const char **why)
{
	const uint8_t	*v;
	size_t		 off = 0, tlen;
	uint8_t		 type;
	int		 found = 0;
	const char	*dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	memset(out, 0, sizeof(*out));
	while (off < len) {
		if (tlv_next(buf, len, &off, &lvl_tlv, &type, &v, &tlen,
		    why) == -1)
			return PREFIX_SID_MALFORMED;
		if (type == want && !found) {
			if (service_parse(v, tlen, out, why) == -1)
				return PREFIX_SID_MALFORMED;
			found = 1;
		}
	}
	return found ? PREFIX_SID_FOUND : PREFIX_SID_ABSENT;
}

/*
 * Encode one SRv6 Service TLV of the given type with exactly one SID
 * Information sub-TLV and one SID Structure sub-sub-TLV: FRR 8.4 parses
 * nothing more.  With transpose (RFC 9252 §4), bits [TO, TO + TL) of the
 * SID are zeroed in the SID field and returned left-aligned in *label
 * (label = bits << (20 - TL)) for the NLRI; without, TL and TO are sent
 * as 0, the SID whole and *label is 3 (implicit null).  Returns the
 * number of bytes written or -1 (buffer too small, bad structure).
 */
ssize_t
prefix_sid_encode(uint8_t *buf, size_t len, uint8_t type,
    const struct srv6_sid_info *in, int transpose, uint32_t *label)
{
	struct srv6_sid_structure	 st = in->st;
	struct in6_addr			 sid = in->sid;
	uint32_t			 bits;
	uint8_t				*p = buf;

	if (len < PREFIX_SID_SRV6_ENCODED_LEN)
		return -1;
	if (transpose && st.tl > 0) {
		if (st.tl > SRV6_TRANSPOSE_MAXLEN || st.to + st.tl > 128)
			return -1;
		bits = srv6_bits_get(&sid, st.to, st.tl);
		srv6_bits_put(&sid, st.to, st.tl, 0);
		*label = bits << (SRV6_TRANSPOSE_MAXLEN - st.tl);
	} else {
		st.tl = st.to = 0;
		*label = SRV6_LABEL_IMPLICIT_NULL;
	}
	*p++ = type;
	put16(p, PREFIX_SID_SRV6_ENCODED_LEN - 3);
	p += 2;
	*p++ = 0;				/* reserved */
	*p++ = SRV6_SUBTLV_SID_INFO;
	put16(p, SRV6_SID_INFO_MINLEN + 3 + SRV6_STRUCTURE_LEN);
	p += 2;
	*p++ = 0;				/* reserved */
	memcpy(p, &sid, 16);
	p += 16;
	*p++ = 0;				/* flags: send 0 (§3.1) */
	put16(p, in->behavior);
	p += 2;
	*p++ = 0;				/* reserved */
	*p++ = SRV6_SUBSUBTLV_STRUCTURE;
	put16(p, SRV6_STRUCTURE_LEN);
	p += 2;
	memcpy(p, &st, SRV6_STRUCTURE_LEN);
	p += SRV6_STRUCTURE_LEN;
	return p - buf;
}

/*
 * The full SID of a received route (RFC 9252 §4): with TL > 0 the
 * transposed bits are label >> (20 - TL), written back at bit TO of the
 * SID field.  With TL = 0 (or no structure) the SID field is the SID and
 * any label is accepted.  label is the 20-bit value (wire >> 4).
 */
int
srv6_sid_reconstruct(const struct srv6_sid_info *in, uint32_t label,
    struct in6_addr *sid)
{
	const struct srv6_sid_structure	*st = &in->st;

	*sid = in->sid;
	if (!in->has_structure || st->tl == 0)
		return 0;
	if (label > SRV6_LABEL_MAX || st->tl > SRV6_TRANSPOSE_MAXLEN ||
	    st->to + st->tl > 128)
		return -1;
	srv6_bits_put(sid, st->to, st->tl,
	    label >> (SRV6_TRANSPOSE_MAXLEN - st->tl));
	return 0;
}

/*
 * FRR 8.4 sends (and, reflecting, rewrites to) the opaque behaviour
 * 0xFFFF for its per-VRF SIDs; those are End.DT4 for VPNv4 and End.DT6
 * for VPNv6, so infer the behaviour from the address family.
 */
uint16_t
srv6_behavior_infer(uint16_t behavior, int af)
{
	if (behavior != SRV6_BEHAVIOR_OPAQUE)
		return behavior;
	return af == AF_INET ? SRV6_BEHAVIOR_END_DT4 : SRV6_BEHAVIOR_END_DT6;
}

const char *
srv6_behavior_name(uint16_t behavior)
{
	switch (behavior) {
	case SRV6_BEHAVIOR_END:
		return "End";
	case SRV6_BEHAVIOR_END_DX6:
		return "End.DX6";
	case SRV6_BEHAVIOR_END_DX4:
		return "End.DX4";
	case SRV6_BEHAVIOR_END_DT6:
		return "End.DT6";
	case SRV6_BEHAVIOR_END_DT4:
		return "End.DT4";
	case SRV6_BEHAVIOR_END_DT46:
		return "End.DT46";
	case SRV6_BEHAVIOR_UN:
		return "uN";
	case SRV6_BEHAVIOR_UDX6:
		return "uDX6";
	case SRV6_BEHAVIOR_UDX4:
		return "uDX4";
	case SRV6_BEHAVIOR_UDT6:
		return "uDT6";
	case SRV6_BEHAVIOR_UDT4:
		return "uDT4";
	case SRV6_BEHAVIOR_UDT46:
		return "uDT46";
	case SRV6_BEHAVIOR_OPAQUE:
		return "opaque";
	default:
		return "unknown";
	}
}
