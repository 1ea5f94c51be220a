/*
 * bgp_vpn.c: VPNv4/VPNv6 NLRI, route distinguishers, MP_REACH next hops,
 * route targets and End-of-RIB (RFC 4364, 4659, 8277, 8950, 4724).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp.h"
#include "bgp_vpn.h"
#include "imsg.h"
#include "srv6d.h"

#define RD_LEN		8

static int	vpn_err_set(struct vpn_error *, enum vpn_err, const char *);
static int	afi_bits(uint16_t);
static int	nlri_one(struct bgp_view, uint16_t, size_t *,
		    struct vpn_error *);
static int	buf_undo(struct ibuf *, size_t);
static int	nlri_put(struct ibuf *, uint32_t, rd_t,
		    const struct srv6d_prefix *);
static int	nh_rd_zero(const uint8_t *);
static int	nh_put(struct ibuf *, const void *, size_t);

static int
vpn_err_set(struct vpn_error *e, enum vpn_err code, const char *reason)
{
	if (e != NULL) {
		e->code = code;
		e->reason = reason;
	}
	return -1;
}

/* Address bits of a VPN family, 0 if not one. */
static int
afi_bits(uint16_t afi)
{
	if (afi == BGP_AFI_IPV4)
		return 32;
	if (afi == BGP_AFI_IPV6)
		return 128;
	return 0;
}

/* RFC 4364 §4.2: the RD is kept as its 8 wire octets, any type. */
int
vpn_rd_decode(const uint8_t *p, rd_t *rd)
{
	int	i;

	*rd = 0;
	for (i = 0; i < RD_LEN; i++)
		*rd = *rd << 8 | p[i];
	return vpn_rd_known(*rd) ? 0 : 1;
}

void
vpn_rd_encode(rd_t rd, uint8_t *p)
{
	int	i;

	for (i = RD_LEN - 1; i >= 0; i--) {
		p[i] = rd & 0xff;
		rd >>= 8;
	}
}

/* Types 0 (ASN2:LA4), 1 (IPv4:LA2) and 2 (ASN4:LA2). */
int
vpn_rd_known(rd_t rd)
{
	uint16_t	type = rd >> 48;

	return type == VPN_RD_AS2 || type == VPN_RD_IP4 ||
	    type == VPN_RD_AS4;
}

/* Check the prefix at v.p + *off and step over it. */
static int
nlri_one(struct bgp_view v, uint16_t afi, size_t *off, struct vpn_error *e)
{
	unsigned	bits = v.p[*off];
	int		maxbits = afi_bits(afi);

	if (bits < VPN_NLRI_HDR_BITS)
		return vpn_err_set(e, VPN_ERR_NLRI,
		    "VPN NLRI shorter than label and RD");
	if (bits - VPN_NLRI_HDR_BITS > (unsigned)maxbits)
		return vpn_err_set(e, VPN_ERR_NLRI,
		    "VPN NLRI prefix too long for the family");
	if ((bits + 7) / 8 > v.len - *off - 1)
		return vpn_err_set(e, VPN_ERR_NLRI, "VPN NLRI truncated");
	*off += 1 + (bits + 7) / 8;
	return 0;
}

/*
 * The whole NLRI block must parse before any of it is used: RFC 7606
 * §5.3 makes one bad length spoil the field, since what follows it can
 * no longer be found.
 */
int
vpn_nlri_check(struct bgp_view v, uint16_t afi, struct vpn_error *e)
{
	size_t	off = 0;

	if (afi_bits(afi) == 0)
		return vpn_err_set(e, VPN_ERR_AFI, "VPN NLRI of unknown AFI");
	while (off < v.len)
		if (nlri_one(v, afi, &off, e) == -1)
			return -1;
	return 0;
}

/*
 * The next prefix from v.  1: got one, 0: none left, -1: malformed (e
 * says why; v is left at the bad prefix).  The label is decoded but not
 * judged: withdraws carry 0x800000 (RFC 8277) or 0 (FRR), both fine.
 */
int
vpn_nlri_next(struct bgp_view *v, uint16_t afi, struct vpn_nlri *n,
    struct vpn_error *e)
{
	size_t		 off = 0;
	unsigned	 plen;
	const uint8_t	*p;
	uint8_t		*a;

	if (afi_bits(afi) == 0)
		return vpn_err_set(e, VPN_ERR_AFI, "VPN NLRI of unknown AFI");
	if (v->len == 0)
		return 0;
	if (nlri_one(*v, afi, &off, e) == -1)
		return -1;
	memset(n, 0, sizeof(*n));
	p = v->p;
	plen = p[0] - VPN_NLRI_HDR_BITS;
	n->wire_label = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	n->label = n->wire_label >> 4;
	n->tc = (n->wire_label >> 1) & 0x7;
	n->bos = n->wire_label & 0x1;
	n->rd_unknown = vpn_rd_decode(p + 4, &n->rd);
	n->prefix.len = plen;
	if (afi == BGP_AFI_IPV4) {
		n->prefix.addr.af = AF_INET;
		a = (uint8_t *)&n->prefix.addr.v4;
	} else {
		n->prefix.addr.af = AF_INET6;
		a = n->prefix.addr.v6.s6_addr;
	}
	memcpy(a, p + 12, (plen + 7) / 8);
	prefix_mask(&n->prefix);
	v->p += off;
	v->len -= off;
	return 1;
}

/*
 * A prefix or next hop that does not fit leaves nothing behind, so that
 * an UPDATE packer can stop at a full buffer and send what it has.
 */
static int
buf_undo(struct ibuf *b, size_t start)
{
	int	saved = errno;

	b->wpos = start;
	errno = saved;
	return -1;
}

static int
nlri_put(struct ibuf *b, uint32_t wire_label, rd_t rd,
    const struct srv6d_prefix *pfx)
{
	uint8_t		 rdb[RD_LEN];
	const uint8_t	*a;
	unsigned	 max;
	uint8_t		*q;
	size_t		 n, start = ibuf_size(b);

	if (pfx->addr.af == AF_INET) {
		a = (const uint8_t *)&pfx->addr.v4;
		max = 32;
	} else if (pfx->addr.af == AF_INET6) {
		a = pfx->addr.v6.s6_addr;
		max = 128;
	} else {
		errno = EINVAL;
		return -1;
	}
	if (pfx->len > max) {
		errno = EINVAL;
		return -1;
	}
	vpn_rd_encode(rd, rdb);
	n = (pfx->len + 7) / 8;
	if (ibuf_add_u8(b, VPN_NLRI_HDR_BITS + pfx->len) == -1 ||
	    ibuf_add_u8(b, wire_label >> 16) == -1 ||
	    ibuf_add_n16(b, wire_label & 0xffff) == -1 ||
	    ibuf_add(b, rdb, sizeof(rdb)) == -1 ||
	    (q = ibuf_reserve(b, n)) == NULL)
		return buf_undo(b, start);
	memcpy(q, a, n);
	if (pfx->len % 8 != 0)
		q[n - 1] &= (uint8_t)(0xff << (8 - pfx->len % 8));
	return 0;
}

/* One label, bottom of stack (RFC 8277 §2: S=1 on the only label). */
int
vpn_nlri_write(struct ibuf *b, uint32_t label, rd_t rd,
    const struct srv6d_prefix *pfx)
{
	if (label > VPN_LABEL_MAX) {
		errno = EINVAL;
		return -1;
	}
	return nlri_put(b, label << 4 | 1, rd, pfx);
}

int
vpn_nlri_write_withdraw(struct ibuf *b, rd_t rd,
    const struct srv6d_prefix *pfx)
{
	return nlri_put(b, VPN_LABEL_WITHDRAW, rd, pfx);
}

static int
nh_rd_zero(const uint8_t *p)
{
	rd_t	rd;

	vpn_rd_decode(p, &rd);
	return rd == 0;
}

/*
 * RFC 4364 §4.3.2, RFC 4659 §3.2.1, RFC 8950 §3: the next hop is an
 * address behind an RD of 0.  VPNv4 takes an IPv6 one only when the
 * extended next hop capability was negotiated for it (ext_nh).
 */
int
vpn_nexthop_decode(uint16_t afi, struct bgp_view v, int ext_nh,
    struct vpn_nexthop *nh, struct vpn_error *e)
{
	memset(nh, 0, sizeof(*nh));
	if (afi_bits(afi) == 0)
		return vpn_err_set(e, VPN_ERR_AFI, "VPN next hop of unknown AFI");
	if (v.len == RD_LEN + 4 && afi == BGP_AFI_IPV4) {
		if (!nh_rd_zero(v.p))
			return vpn_err_set(e, VPN_ERR_NH_RD,
			    "VPN next hop RD not 0");
		nh->global.af = AF_INET;
		memcpy(&nh->global.v4, v.p + RD_LEN, 4);
		return 0;
	}
	if (v.len != RD_LEN + 16 && v.len != 2 * (RD_LEN + 16))
		return vpn_err_set(e, VPN_ERR_NH_LEN,
		    "VPN next hop length");
	if (afi == BGP_AFI_IPV4 && !ext_nh)
		return vpn_err_set(e, VPN_ERR_NH_EXT,
		    "IPv6 next hop for VPNv4 without extended next hop");
	if (!nh_rd_zero(v.p) ||
	    (v.len > RD_LEN + 16 && !nh_rd_zero(v.p + RD_LEN + 16)))
		return vpn_err_set(e, VPN_ERR_NH_RD, "VPN next hop RD not 0");
	nh->global.af = AF_INET6;
	memcpy(nh->global.v6.s6_addr, v.p + RD_LEN, 16);
	if (v.len > RD_LEN + 16) {
		nh->ll.af = AF_INET6;
		memcpy(nh->ll.v6.s6_addr, v.p + 2 * RD_LEN + 16, 16);
	}
	return 0;
}

/* RD 0 and an address, as a VPN next hop carries it. */
static int
nh_put(struct ibuf *b, const void *addr, size_t len)
{
	if (ibuf_add_zero(b, RD_LEN) == -1 || ibuf_add(b, addr, len) == -1)
		return -1;
	return 0;
}

/* The next hop length octet and the next hop, as MP_REACH_NLRI has them. */
int
vpn_nexthop_write(struct ibuf *b, const struct vpn_nexthop *nh)
{
	int	ll = nh->ll.af == AF_INET6;
	size_t	start = ibuf_size(b);

	if (nh->global.af == AF_INET && nh->ll.af == AF_UNSPEC) {
		if (ibuf_add_u8(b, RD_LEN + 4) == -1 ||
		    nh_put(b, &nh->global.v4, 4) == -1)
			return buf_undo(b, start);
		return 0;
	}
	if (nh->global.af != AF_INET6 || (!ll && nh->ll.af != AF_UNSPEC)) {
		errno = EINVAL;
		return -1;
	}
	if (ibuf_add_u8(b, (ll ? 2 : 1) * (RD_LEN + 16)) == -1 ||
	    nh_put(b, nh->global.v6.s6_addr, 16) == -1)
		return buf_undo(b, start);
	if (ll && nh_put(b, nh->ll.v6.s6_addr, 16) == -1)
		return buf_undo(b, start);
	return 0;
}

/* RFC 4360 §4, RFC 5668 §2: transitive types 0, 1 and 2, subtype 2. */
int
vpn_is_rt(ext_community_t c)
{
	uint16_t	ts = c >> 48;

	return ts == VPN_RT_AS2 || ts == VPN_RT_IP4 || ts == VPN_RT_AS4;
}

/*
 * The route targets in an EXTENDED_COMMUNITIES value, in order, into
 * rt[max]; *n is how many there are (it may exceed max).  -1: the
 * value is not a multiple of 8 octets.
 */
int
vpn_rt_extract(struct bgp_view v, ext_community_t *rt, size_t max,
    size_t *n)
{
	ext_community_t	c;
	size_t		i;
	int		k;

	*n = 0;
	if (v.len % 8 != 0) {
		errno = EBADMSG;
		return -1;
	}
	for (i = 0; i < v.len; i += 8) {
		c = 0;
		for (k = 0; k < 8; k++)
			c = c << 8 | v.p[i + k];
		if (!vpn_is_rt(c))
			continue;
		if (*n < max)
			rt[*n] = c;
		(*n)++;
	}
	return 0;
}

/* RFC 4364 §4.3.1: a VRF imports a route carrying any of its targets. */
int
vpn_rt_match(const ext_community_t *route, size_t nroute,
    const ext_community_t *import, size_t nimport)
{
	size_t	i, k;

	for (i = 0; i < nroute; i++) {
		if (!vpn_is_rt(route[i]))
			continue;
		for (k = 0; k < nimport; k++)
			if (route[i] == import[k])
				return 1;
	}
	return 0;
}

/*
 * RFC 4724 §2: End-of-RIB for a multiprotocol family is an UPDATE with
 * only an empty MP_UNREACH_NLRI.  1 and *afi for VPNv4/VPNv6, else 0.
 */
int
vpn_eor(const struct bgp_update *u, uint16_t *afi)
{
	if (u->action != BGP_UPD_OK || !u->has_unreach || u->has_reach)
		return 0;
	if (u->withdrawn.len != 0 || u->nlri.len != 0 ||
	    u->unreach.nlri.len != 0 || u->nattr != 1)
		return 0;
	if (u->unreach.safi != BGP_SAFI_VPN ||
	    afi_bits(u->unreach.afi) == 0)
		return 0;
	*afi = u->unreach.afi;
	return 1;
}
