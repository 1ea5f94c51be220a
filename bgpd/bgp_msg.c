/*
 * bgp_msg.c: BGP-4 message framing, OPEN, NOTIFICATION, KEEPALIVE and
 * ROUTE-REFRESH (RFC 4271 §4, RFC 5492, RFC 2918, RFC 7313, RFC 9003,
 * RFC 9072).  Pure functions: buffers in, structs or ibufs out.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp.h"
#include "imsg.h"

static const uint8_t bgp_marker[BGP_MARKER_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Small data is copied into the error itself so that it never outlives
 * the bytes it came from; larger data stays a view of the message.
 */
void
bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t len)
{
	err->code = code;
	err->subcode = subcode;
	err->datalen = len;
	err->data = NULL;
	if (len <= sizeof(err->inl)) {
		if (len > 0)
			memcpy(err->inl, data, len);
	} else
		err->data = data;
}

const uint8_t *
bgp_err_data(const struct bgp_err *err)
{
	return err->data != NULL ? err->data : err->inl;
}

static void
bgp_err_u16(struct bgp_err *err, uint8_t code, uint8_t subcode, uint16_t v)
{
	uint8_t	b[2] = { v >> 8, v & 0xff };

	bgp_err_set(err, code, subcode, b, sizeof(b));
}

/*
 * Per-type length bounds, RFC 4271 §6.1.  OPEN and KEEPALIVE stay within
 * 4096 even with extended messages (RFC 8654 §3); the exact ROUTE-REFRESH
 * length is checked by its decoder, which owes a different error.
 */
static const struct {
	uint16_t	min;
	uint16_t	max;	/* 0: the negotiated maximum */
} bgp_len_rules[] = {
	[BGP_OPEN] =		{ BGP_OPEN_MIN_LEN, BGP_MAX_LEN },
	[BGP_UPDATE] =		{ BGP_UPDATE_MIN_LEN, 0 },
	[BGP_NOTIFICATION] =	{ BGP_NOTIF_MIN_LEN, 0 },
	[BGP_KEEPALIVE] =	{ BGP_KEEPALIVE_LEN, BGP_KEEPALIVE_LEN },
	[BGP_RREFRESH] =	{ BGP_HDR_LEN, 0 },
};

static int
bgp_frame_len_ok(uint8_t type, size_t len, size_t maxlen)
{
	size_t	max;

	if (len < BGP_HDR_LEN || len > maxlen)
		return 0;
	if (type < BGP_OPEN || type > BGP_RREFRESH)
		return 1;	/* a type error, reported next */
	max = bgp_len_rules[type].max ? bgp_len_rules[type].max : maxlen;
	return len >= bgp_len_rules[type].min && len <= max;
}

/*
 * Header checks of RFC 4271 §6.1 in its order: marker, length, type.
 * Returns 1 with hdr when a whole message is at buf, 0 when more bytes
 * are needed, -1 with err (code 1) when the stream is broken.  maxlen is
 * BGP_MAX_LEN, or BGP_MAX_LEN_EXT once extended messages are negotiated.
 */
int
bgp_frame(const uint8_t *buf, size_t len, size_t maxlen, struct bgp_hdr *hdr,
    struct bgp_err *err)
{
	if (len < BGP_HDR_LEN)
		return 0;
	if (memcmp(buf, bgp_marker, BGP_MARKER_LEN) != 0) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_SYNC, NULL, 0);
		return -1;
	}
	hdr->len = get16(buf + 16);
	hdr->type = buf[18];
	/* §6.1: the data of Bad Message Length is the Length field. */
	if (!bgp_frame_len_ok(hdr->type, hdr->len, maxlen)) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, buf + 16, 2);
		return -1;
	}
	/* §6.1: the data of Bad Message Type is the Type field. */
	if (hdr->type < BGP_OPEN || hdr->type > BGP_RREFRESH) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_ERR_HDR_TYPE, buf + 18, 1);
		return -1;
	}
	return len >= hdr->len ? 1 : 0;
}

/* Append a header with a zero length; bgp_msg_end fills it in. */
int
bgp_msg_begin(struct ibuf *b, uint8_t type, size_t *start)
{
	*start = ibuf_size(b);
	if (ibuf_add(b, bgp_marker, sizeof(bgp_marker)) == -1 ||
	    ibuf_add_n16(b, 0) == -1 || ibuf_add_u8(b, type) == -1)
		return -1;
	return 0;
}

int
bgp_msg_end(struct ibuf *b, size_t start, size_t maxlen)
{
	uint8_t	*p;
	size_t	 len = ibuf_size(b) - start;

	if (len > maxlen) {
		errno = ERANGE;
		return -1;
	}
	if ((p = ibuf_seek(b, start + BGP_MARKER_LEN, 2)) == NULL)
		return -1;
	p[0] = len >> 8;
	p[1] = len & 0xff;
	return 0;
}

/* OPEN capabilities, encoding (RFC 5492 §4: code, length, value). */

static size_t
bgp_caps_len(const struct bgp_caps *c)
{
	size_t	len = 6 * c->nmp;

	len += c->rrefresh ? 2 : 0;
	len += c->enh_rrefresh ? 2 : 0;
	len += c->ext_msg ? 2 : 0;
	len += (c->next_nh > 0 || c->ext_nh_cap) ? 2 + 6 * c->next_nh : 0;
	len += c->gr ? 4 + 4 * c->ngr_af : 0;
	len += c->as4 ? 6 : 0;
	return len;
}

static int
bgp_capa_hdr(struct ibuf *b, uint8_t code, size_t len)
{
	if (len > UINT8_MAX) {
		errno = ERANGE;
		return -1;
	}
	if (ibuf_add_u8(b, code) == -1 || ibuf_add_u8(b, len) == -1)
		return -1;
	return 0;
}

/* RFC 4760 §8: AFI, reserved, SAFI; one capability per family. */
static int
bgp_caps_put_mp(struct ibuf *b, const struct bgp_caps *c)
{
	int	i;

	for (i = 0; i < c->nmp; i++) {
		if (bgp_capa_hdr(b, BGP_CAPA_MP, 4) == -1 ||
		    ibuf_add_n16(b, c->mp[i].afi) == -1 ||
		    ibuf_add_u8(b, 0) == -1 ||
		    ibuf_add_u8(b, c->mp[i].safi) == -1)
			return -1;
	}
	return 0;
}

/* RFC 8950 §3: a list of (NLRI AFI, NLRI SAFI, next hop AFI) tuples. */
static int
bgp_caps_put_ext_nh(struct ibuf *b, const struct bgp_caps *c)
{
	int	i;

	if (c->next_nh == 0 && !c->ext_nh_cap)
		return 0;
	if (bgp_capa_hdr(b, BGP_CAPA_EXT_NH, 6 * c->next_nh) == -1)
		return -1;
	for (i = 0; i < c->next_nh; i++) {
		if (ibuf_add_n16(b, c->ext_nh[i].afi) == -1 ||
		    ibuf_add_n16(b, c->ext_nh[i].safi) == -1 ||
		    ibuf_add_n16(b, c->ext_nh[i].nh_afi) == -1)
			return -1;
	}
	return 0;
}

/* RFC 4724 §3: 4 bits of flags, 12 bits of restart time, then families. */
static int
bgp_caps_put_gr(struct ibuf *b, const struct bgp_caps *c)
{
	int	i;

	if (!c->gr)
		return 0;
	if (bgp_capa_hdr(b, BGP_CAPA_GR, 2 + 4 * c->ngr_af) == -1 ||
	    ibuf_add_n16(b, (uint16_t)((c->gr_flags & 0xf) << 12 |
	    (c->gr_time & BGP_GR_TIME_MAX))) == -1)
		return -1;
	for (i = 0; i < c->ngr_af; i++) {
		if (ibuf_add_n16(b, c->gr_af[i].afi) == -1 ||
		    ibuf_add_u8(b, c->gr_af[i].safi) == -1 ||
		    ibuf_add_u8(b, c->gr_af[i].flags) == -1)
			return -1;
	}
	return 0;
}

static int
bgp_caps_put_flag(struct ibuf *b, int on, uint8_t code)
{
	return on ? bgp_capa_hdr(b, code, 0) : 0;
}

static int
bgp_caps_put(struct ibuf *b, const struct bgp_caps *c)
{
	if (bgp_caps_put_mp(b, c) == -1 ||
	    bgp_caps_put_flag(b, c->rrefresh, BGP_CAPA_RREFRESH) == -1 ||
	    bgp_caps_put_flag(b, c->enh_rrefresh, BGP_CAPA_ENH_RREFRESH) == -1 ||
	    bgp_caps_put_flag(b, c->ext_msg, BGP_CAPA_EXT_MSG) == -1 ||
	    bgp_caps_put_ext_nh(b, c) == -1 ||
	    bgp_caps_put_gr(b, c) == -1)
		return -1;
	/* RFC 6793 §3: the 4-octet AS number itself. */
	if (c->as4 && (bgp_capa_hdr(b, BGP_CAPA_AS4, 4) == -1 ||
	    ibuf_add_n32(b, c->as) == -1))
		return -1;
	return 0;
}

/*
 * All capabilities go in one Capabilities parameter.  When the parameters
 * do not fit the one-octet length, RFC 9072 §2: Non-Ext OP Len and Non-Ext
 * OP Type are 255, a two-octet length follows, and each parameter has a
 * two-octet length.
 */
static int
bgp_open_put_params(struct ibuf *b, const struct bgp_caps *c)
{
	size_t	len = bgp_caps_len(c);

	if (len == 0)
		return ibuf_add_u8(b, 0);
	if (len + 2 <= UINT8_MAX) {
		if (ibuf_add_u8(b, len + 2) == -1 ||
		    ibuf_add_u8(b, BGP_OPT_CAPABILITIES) == -1 ||
		    ibuf_add_u8(b, len) == -1)
			return -1;
	} else if (len + 3 > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	} else if (ibuf_add_u8(b, BGP_OPT_EXTENDED) == -1 ||
	    ibuf_add_u8(b, BGP_OPT_EXTENDED) == -1 ||
	    ibuf_add_n16(b, len + 3) == -1 ||
	    ibuf_add_u8(b, BGP_OPT_CAPABILITIES) == -1 ||
	    ibuf_add_n16(b, len) == -1)
		return -1;
	return bgp_caps_put(b, c);
}

/*
 * RFC 4271 §4.2.  My AS carries AS_TRANS when our AS needs four octets
 * (RFC 6793 §4.1); o->myas is ignored, o->as and caps.as are used.
 */
int
bgp_open_encode(struct ibuf *b, const struct bgp_open *o)
{
	size_t		start;
	uint16_t	myas;

	myas = o->as > UINT16_MAX ? AS_TRANS : (uint16_t)o->as;
	if (bgp_msg_begin(b, BGP_OPEN, &start) == -1 ||
	    ibuf_add_u8(b, o->version ? o->version : BGP_VERSION) == -1 ||
	    ibuf_add_n16(b, myas) == -1 ||
	    ibuf_add_n16(b, o->holdtime) == -1 ||
	    ibuf_add_n32(b, o->bgpid) == -1 ||
	    bgp_open_put_params(b, &o->caps) == -1)
		return -1;
	return bgp_msg_end(b, start, BGP_MAX_LEN);
}

/* OPEN capabilities, decoding.  Each returns -1 when malformed. */

static int
bgp_capa_get_mp(struct bgp_caps *c, struct bgp_view v)
{
	if (v.len != 4)
		return -1;
	if (c->nmp < BGP_CAPA_MAX_AF) {
		c->mp[c->nmp].afi = get16(v.p);
		c->mp[c->nmp].safi = v.p[3];
		c->nmp++;
	}
	return 0;
}

static int
bgp_capa_get_ext_nh(struct bgp_caps *c, struct bgp_view v)
{
	size_t	i;

	/* RFC 8950 §3: a multiple of 6; some peers send it empty. */
	if (v.len % 6 != 0)
		return -1;
	c->ext_nh_cap = 1;
	for (i = 0; i < v.len && c->next_nh < BGP_CAPA_MAX_AF; i += 6) {
		c->ext_nh[c->next_nh].afi = get16(v.p + i);
		c->ext_nh[c->next_nh].safi = get16(v.p + i + 2);
		c->ext_nh[c->next_nh].nh_afi = get16(v.p + i + 4);
		c->next_nh++;
	}
	return 0;
}

static int
bgp_capa_get_gr(struct bgp_caps *c, struct bgp_view v)
{
	size_t	i;

	/* RFC 4724 §3: two octets, then 4 per address family. */
	if (v.len < 2 || (v.len - 2) % 4 != 0)
		return -1;
	c->gr = 1;
	c->gr_flags = v.p[0] >> 4;
	c->gr_time = get16(v.p) & BGP_GR_TIME_MAX;
	for (i = 2; i < v.len && c->ngr_af < BGP_CAPA_MAX_AF; i += 4) {
		c->gr_af[c->ngr_af].afi = get16(v.p + i);
		c->gr_af[c->ngr_af].safi = v.p[i + 2];
		c->gr_af[c->ngr_af].flags = v.p[i + 3];
		c->ngr_af++;
	}
	return 0;
}

static int
bgp_capa_get_as4(struct bgp_caps *c, struct bgp_view v)
{
	if (v.len != 4)
		return -1;
	c->as4 = 1;
	c->as = (uint32_t)get16(v.p) << 16 | get16(v.p + 2);
	return 0;
}

static int
bgp_capa_get_empty(struct bgp_view v)
{
	return v.len == 0 ? 0 : -1;
}

static int
bgp_capa_get_rr(struct bgp_caps *c, struct bgp_view v)
{
	c->rrefresh = 1;
	return bgp_capa_get_empty(v);
}

static int
bgp_capa_get_err(struct bgp_caps *c, struct bgp_view v)
{
	c->enh_rrefresh = 1;
	return bgp_capa_get_empty(v);
}

static int
bgp_capa_get_ext_msg(struct bgp_caps *c, struct bgp_view v)
{
	c->ext_msg = 1;
	return bgp_capa_get_empty(v);
}

static const struct {
	uint8_t	code;
	int	(*get)(struct bgp_caps *, struct bgp_view);
} bgp_capa_decoders[] = {
	{ BGP_CAPA_MP,		bgp_capa_get_mp },
	{ BGP_CAPA_RREFRESH,	bgp_capa_get_rr },
	{ BGP_CAPA_EXT_NH,	bgp_capa_get_ext_nh },
	{ BGP_CAPA_EXT_MSG,	bgp_capa_get_ext_msg },
	{ BGP_CAPA_GR,		bgp_capa_get_gr },
	{ BGP_CAPA_AS4,		bgp_capa_get_as4 },
	{ BGP_CAPA_ENH_RREFRESH, bgp_capa_get_err },
};

/* RFC 5492 §3: a capability we do not know is ignored; keep a view. */
static int
bgp_capa_get(struct bgp_caps *c, uint8_t code, struct bgp_view v)
{
	size_t	i;

	for (i = 0; i < sizeof(bgp_capa_decoders) /
	    sizeof(bgp_capa_decoders[0]); i++)
		if (bgp_capa_decoders[i].code == code)
			return bgp_capa_decoders[i].get(c, v);
	if (c->nunknown < BGP_CAPA_MAX_UNKNOWN) {
		c->unknown[c->nunknown].code = code;
		c->unknown[c->nunknown].val = v;
		c->nunknown++;
	}
	return 0;
}

/* The value of a Capabilities parameter: (code, length, value)... */
static int
bgp_caps_get(struct bgp_caps *c, struct bgp_view v)
{
	size_t	i = 0;
	uint8_t	len;

	while (i < v.len) {
		if (v.len - i < 2)
			return -1;
		len = v.p[i + 1];
		if (v.len - i - 2 < len)
			return -1;
		if (bgp_capa_get(c, v.p[i], (struct bgp_view){ v.p + i + 2,
		    len }) == -1)
			return -1;
		i += 2 + len;
	}
	return 0;
}

/*
 * The optional parameters.  A malformed parameter list or capability
 * has no subcode of its own: Unspecific (RFC 4271 §4.5).  A parameter
 * other than Capabilities is Unsupported Optional Parameter (§6.2).
 */
static int
bgp_open_get_params(struct bgp_open *o, struct bgp_view v, int ext,
    struct bgp_err *err)
{
	size_t	i = 0, hl = ext ? 3 : 2, len;

	while (i < v.len) {
		if (v.len - i < hl)
			goto bad;
		len = ext ? get16(v.p + i + 1) : v.p[i + 1];
		if (v.len - i - hl < len)
			goto bad;
		if (v.p[i] != BGP_OPT_CAPABILITIES) {
			bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_OPT,
			    NULL, 0);
			return -1;
		}
		if (bgp_caps_get(&o->caps, (struct bgp_view){ v.p + i + hl,
		    len }) == -1)
			goto bad;
		i += hl + len;
	}
	return 0;
 bad:
	bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_UNSPEC, NULL, 0);
	return -1;
}

/*
 * Locate the parameters: RFC 4271 §4.2, or RFC 9072 §2 when Non-Ext OP
 * Len and the first parameter type are both 255.
 */
static int
bgp_open_params(struct bgp_open *o, const uint8_t *p, size_t left,
    struct bgp_err *err)
{
	size_t	optlen = p[0];
	int	ext = 0;

	p++, left--;
	if (optlen == BGP_OPT_EXTENDED && left >= 1 &&
	    p[0] == BGP_OPT_EXTENDED) {
		if (left < 3)
			goto bad;
		optlen = get16(p + 1);
		p += 3, left -= 3;
		ext = o->ext_params = 1;
	}
	if (optlen != left)
		goto bad;
	return bgp_open_get_params(o, (struct bgp_view){ p, left }, ext, err);
 bad:
	bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_UNSPEC, NULL, 0);
	return -1;
}

/*
 * Decode an OPEN (buf, len: the whole message).  Only syntax is checked
 * here, except the version, which decides the rest of the format (RFC
 * 4271 §6.2: the data is the largest version we support).  The values
 * are checked by bgp_open_check.
 */
int
bgp_open_decode(const uint8_t *buf, size_t len, struct bgp_open *o,
    struct bgp_err *err)
{
	const uint8_t	*p = buf + BGP_HDR_LEN;

	memset(o, 0, sizeof(*o));
	if (len < BGP_OPEN_MIN_LEN) {
		bgp_err_u16(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, len);
		return -1;
	}
	o->version = p[0];
	if (o->version != BGP_VERSION) {
		bgp_err_u16(err, BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION,
		    BGP_VERSION);
		return -1;
	}
	o->myas = get16(p + 1);
	o->holdtime = get16(p + 3);
	o->bgpid = (uint32_t)get16(p + 5) << 16 | get16(p + 7);
	if (bgp_open_params(o, p + 9, len - BGP_HDR_LEN - 9, err) == -1)
		return -1;
	/* RFC 6793 §4.1: the capability carries the real AS. */
	o->as = o->caps.as4 ? o->caps.as : o->myas;
	return 0;
}

static int
bgp_open_check_as(const struct bgp_open *o, const struct bgp_open_policy *pol)
{
	/* RFC 7607 §2: AS 0 in an OPEN is Bad Peer AS. */
	if (o->as == 0 || (o->caps.as4 && o->myas == 0))
		return -1;
	/* RFC 4271 §6.2: not the AS we expect. */
	if (pol->remote_as != 0 && o->as != pol->remote_as)
		return -1;
	return 0;
}

/*
 * RFC 6286 §2.1: the identifier is non-zero; §2.2: within one AS two
 * speakers may not share it, so an iBGP peer with ours is refused.
 */
static int
bgp_open_check_bgpid(const struct bgp_open *o,
    const struct bgp_open_policy *pol)
{
	if (o->bgpid == 0)
		return -1;
	if (o->as == pol->local_as && o->bgpid == pol->local_bgpid)
		return -1;
	return 0;
}

/* RFC 4271 §6.2: hold time 1 or 2 is unacceptable; we may refuse more. */
static int
bgp_open_check_holdtime(const struct bgp_open *o,
    const struct bgp_open_policy *pol)
{
	if (o->holdtime == 1 || o->holdtime == 2)
		return -1;
	if (o->holdtime != 0 && o->holdtime < pol->min_holdtime)
		return -1;
	return 0;
}

/*
 * RFC 5492 §5: Unsupported Capability lists what we require: here the
 * 4-octet AS capability with our own AS.
 */
static void
bgp_open_err_capa(struct bgp_err *err, uint32_t as)
{
	uint8_t	c[6] = { BGP_CAPA_AS4, 4, as >> 24, (as >> 16) & 0xff,
		    (as >> 8) & 0xff, as & 0xff };

	bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_CAPA, c, sizeof(c));
}

/*
 * Check a decoded OPEN against our side, in the order of RFC 4271 §6.2.
 * 0 if acceptable, else -1 with the NOTIFICATION in err.
 */
int
bgp_open_check(const struct bgp_open *o, const struct bgp_open_policy *pol,
    struct bgp_err *err)
{
	if (o->version != BGP_VERSION)
		bgp_err_u16(err, BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION,
		    BGP_VERSION);
	else if (bgp_open_check_as(o, pol) == -1)
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_AS, NULL, 0);
	else if (bgp_open_check_holdtime(o, pol) == -1)
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_HOLDTIME, NULL, 0);
	else if (bgp_open_check_bgpid(o, pol) == -1)
		bgp_err_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_BGPID, NULL, 0);
	else if (pol->require_as4 && !o->caps.as4)
		bgp_open_err_capa(err, pol->local_as);
	else
		return 0;
	return -1;
}

/*
 * RFC 9003 §2: the Shutdown Communication is UTF-8.  This checks the
 * encoding only (no overlong or surrogate forms, no NUL); whoever shows
 * it must still escape control characters.
 */
static int
bgp_utf8_valid(const uint8_t *p, size_t len)
{
	size_t	i = 0, n, k;

	while (i < len) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80)
			n = 0;
		else if (p[i] >= 0xc2 && p[i] <= 0xdf)
			n = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			n = 2;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			n = 3;
		else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		if ((p[i] == 0xe0 && p[i + 1] < 0xa0) ||
		    (p[i] == 0xed && p[i + 1] >= 0xa0) ||
		    (p[i] == 0xf0 && p[i + 1] < 0x90) ||
		    (p[i] == 0xf4 && p[i + 1] >= 0x90))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int
bgp_cease_has_comm(uint8_t code, uint8_t subcode)
{
	return code == BGP_ERR_CEASE && (subcode == BGP_CEASE_ADMIN_SHUTDOWN ||
	    subcode == BGP_CEASE_ADMIN_RESET);
}

/*
 * The length to send of a communication: at most max bytes, and an
 * incomplete UTF-8 sequence at the end (a cut made by whoever filled the
 * buffer) is left out rather than sent as malformed (RFC 9003 §2).
 */
static size_t
bgp_utf8_trim(const char *s, size_t max)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 len = strnlen(s, max), j, n;

	if (len == 0)
		return 0;
	j = len - 1;
	while (j > 0 && (p[j] & 0xc0) == 0x80)
		j--;
	if (p[j] < 0x80)
		n = 1;
	else if (p[j] >= 0xf0)
		n = 4;
	else if (p[j] >= 0xe0)
		n = 3;
	else
		n = 2;
	return j + n > len ? j : len;
}

/*
 * NOTIFICATION, RFC 4271 §4.5.  For Administrative Shutdown and Reset
 * with n->comm set, the data starts with the RFC 9003 §2 length-prefixed
 * Shutdown Communication.
 */
int
bgp_notification_encode(struct ibuf *b, const struct bgp_notification *n)
{
	size_t	start, clen;

	if (bgp_msg_begin(b, BGP_NOTIFICATION, &start) == -1 ||
	    ibuf_add_u8(b, n->code) == -1 || ibuf_add_u8(b, n->subcode) == -1)
		return -1;
	if (bgp_cease_has_comm(n->code, n->subcode) && n->comm[0] != '\0') {
		clen = bgp_utf8_trim(n->comm, BGP_SHUTDOWN_COMM_MAX);
		if (ibuf_add_u8(b, clen) == -1 ||
		    ibuf_add(b, n->comm, clen) == -1)
			return -1;
	}
	if (n->data.len > 0 && ibuf_add(b, n->data.p, n->data.len) == -1)
		return -1;
	return bgp_msg_end(b, start, BGP_MAX_LEN_EXT);
}

/* The NOTIFICATION a decoder asked for. */
int
bgp_err_encode(struct ibuf *b, const struct bgp_err *err)
{
	struct bgp_notification	n;

	memset(&n, 0, sizeof(n));
	n.code = err->code;
	n.subcode = err->subcode;
	n.data.p = bgp_err_data(err);
	n.data.len = err->datalen;
	return bgp_notification_encode(b, &n);
}

/* RFC 9003 §2: a bad length or bad UTF-8 is noted, never shown. */
static void
bgp_notification_comm(struct bgp_notification *n)
{
	size_t	clen;

	if (n->data.len == 0)
		return;
	clen = n->data.p[0];
	if (clen == 0) {
		n->data.p++, n->data.len--;
		return;
	}
	if (clen > n->data.len - 1 || !bgp_utf8_valid(n->data.p + 1, clen)) {
		n->bad_comm = 1;
		return;
	}
	memcpy(n->comm, n->data.p + 1, clen);
	n->comm[clen] = '\0';
	n->has_comm = 1;
	n->data.p += 1 + clen;
	n->data.len -= 1 + clen;
}

int
bgp_notification_decode(const uint8_t *buf, size_t len,
    struct bgp_notification *n)
{
	memset(n, 0, sizeof(*n));
	if (len < BGP_NOTIF_MIN_LEN)
		return -1;
	n->code = buf[BGP_HDR_LEN];
	n->subcode = buf[BGP_HDR_LEN + 1];
	n->data.p = buf + BGP_NOTIF_MIN_LEN;
	n->data.len = len - BGP_NOTIF_MIN_LEN;
	if (bgp_cease_has_comm(n->code, n->subcode))
		bgp_notification_comm(n);
	return 0;
}

int
bgp_keepalive_encode(struct ibuf *b)
{
	size_t	start;

	if (bgp_msg_begin(b, BGP_KEEPALIVE, &start) == -1)
		return -1;
	return bgp_msg_end(b, start, BGP_KEEPALIVE_LEN);
}

/* RFC 2918 §3, with the subtype of RFC 7313 §4 in the reserved octet. */
int
bgp_rrefresh_encode(struct ibuf *b, const struct bgp_rrefresh *rr)
{
	size_t	start;

	if (bgp_msg_begin(b, BGP_RREFRESH, &start) == -1 ||
	    ibuf_add_n16(b, rr->afi) == -1 ||
	    ibuf_add_u8(b, rr->subtype) == -1 ||
	    ibuf_add_u8(b, rr->safi) == -1)
		return -1;
	return bgp_msg_end(b, start, BGP_RREFRESH_LEN);
}

/*
 * Returns 0, 1 when RFC 7313 §5 says to ignore the message (an unknown
 * subtype), or -1 with err: a length other than 23 is ROUTE-REFRESH
 * Message Error / Invalid Message Length with the whole message as data.
 */
int
bgp_rrefresh_decode(const uint8_t *buf, size_t len, struct bgp_rrefresh *rr,
    struct bgp_err *err)
{
	memset(rr, 0, sizeof(*rr));
	if (len != BGP_RREFRESH_LEN) {
		bgp_err_set(err, BGP_ERR_RREFRESH, BGP_ERR_RREFRESH_LEN, buf,
		    len);
		return -1;
	}
	rr->afi = get16(buf + BGP_HDR_LEN);
	rr->subtype = buf[BGP_HDR_LEN + 2];
	rr->safi = buf[BGP_HDR_LEN + 3];
	return rr->subtype > BGP_RR_EORR ? 1 : 0;
}

/* Names for logs and srv6ctl. */

const char *
bgp_msg_name(uint8_t type)
{
	static const char *const names[] = { "UNKNOWN", "OPEN", "UPDATE",
	    "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH" };

	return type <= BGP_RREFRESH ? names[type] : names[0];
}

static const struct {
	uint8_t		 code;
	uint8_t		 subcode;
	const char	*name;
} bgp_err_names[] = {
	{ 1, 0, "message header error" },
	{ 1, 1, "connection not synchronized" },
	{ 1, 2, "bad message length" },
	{ 1, 3, "bad message type" },
	{ 2, 0, "OPEN message error" },
	{ 2, 1, "unsupported version number" },
	{ 2, 2, "bad peer AS" },
	{ 2, 3, "bad BGP identifier" },
	{ 2, 4, "unsupported optional parameter" },
	{ 2, 6, "unacceptable hold time" },
	{ 2, 7, "unsupported capability" },
	{ 3, 0, "UPDATE message error" },
	{ 3, 1, "malformed attribute list" },
	{ 3, 2, "unrecognized well-known attribute" },
	{ 3, 3, "missing well-known attribute" },
	{ 3, 4, "attribute flags error" },
	{ 3, 5, "attribute length error" },
	{ 3, 6, "invalid ORIGIN attribute" },
	{ 3, 8, "invalid NEXT_HOP attribute" },
	{ 3, 9, "optional attribute error" },
	{ 3, 10, "invalid network field" },
	{ 3, 11, "malformed AS_PATH" },
	{ 4, 0, "hold timer expired" },
	{ 5, 0, "finite state machine error" },
	{ 5, 1, "unexpected message in OpenSent" },
	{ 5, 2, "unexpected message in OpenConfirm" },
	{ 5, 3, "unexpected message in Established" },
	{ 6, 0, "cease" },
	{ 6, 1, "maximum number of prefixes reached" },
	{ 6, 2, "administrative shutdown" },
	{ 6, 3, "peer de-configured" },
	{ 6, 4, "administrative reset" },
	{ 6, 5, "connection rejected" },
	{ 6, 6, "other configuration change" },
	{ 6, 7, "connection collision resolution" },
	{ 6, 8, "out of resources" },
	{ 6, 9, "hard reset" },
	{ 6, 10, "BFD down" },
	{ 7, 0, "ROUTE-REFRESH message error" },
	{ 7, 1, "invalid ROUTE-REFRESH message length" },
};

/* The subcode's name, else the code's, else "unknown error". */
const char *
bgp_err_name(uint8_t code, uint8_t subcode)
{
	const char	*name = "unknown error";
	size_t		 i;

	for (i = 0; i < sizeof(bgp_err_names) / sizeof(bgp_err_names[0]); i++) {
		if (bgp_err_names[i].code != code)
			continue;
		if (bgp_err_names[i].subcode == subcode)
			return bgp_err_names[i].name;
		if (bgp_err_names[i].subcode == 0)
			name = bgp_err_names[i].name;
	}
	return name;
}
