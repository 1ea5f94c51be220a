/*
 * bgp_vpn.h: the VPNv4/VPNv6 codec (AFI 1/2, SAFI 128; RFC 4364, 4659,
 * 8277, 8950): labelled VPN prefixes, route distinguishers, the next
 * hops of MP_REACH_NLRI, route targets and End-of-RIB.
 *
 * Pure like bgp_update.c: no I/O, no process state, no allocation.  It
 * works on the MP_REACH/MP_UNREACH views bgp_update_parse() filled in.
 * Not used by the RDE yet (issue 4 wires it in).
 */
#ifndef SRV6D_BGP_VPN_H
#define SRV6D_BGP_VPN_H

#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "srv6d.h"

#define BGP_SAFI_VPN		BGP_SAFI_MPLSVPN

/* RFC 8277 §2: label(3) and RD(8) come before the address: 88 bits. */
#define VPN_NLRI_HDR_BITS	88
#define VPN_LABEL_WITHDRAW	0x800000	/* RFC 8277 §2.4, wire form */
#define VPN_LABEL_MAX		0xfffff		/* 20 bits */

/* RD types (RFC 4364 §4.2) and route target type/subtype (RFC 4360). */
#define VPN_RD_AS2		0x0000		/* ASN2:LA4 */
#define VPN_RD_IP4		0x0001		/* IPv4:LA2 */
#define VPN_RD_AS4		0x0002		/* ASN4:LA2 */
#define VPN_RT_AS2		0x0002
#define VPN_RT_IP4		0x0102
#define VPN_RT_AS4		0x0202

/*
 * Why a decoder refused.  VPN_ERR_NLRI makes the whole NLRI field
 * unparseable (RFC 7606 §5.3): reset the session or disable the AFI/SAFI.
 * The next hop errors are the caller's to weigh (RFC 7606 §7.11).
 */
enum vpn_err {
	VPN_ERR_NONE = 0,
	VPN_ERR_AFI,		/* not AFI 1 or 2 */
	VPN_ERR_NLRI,		/* length < 88, prefix too long, truncated */
	VPN_ERR_NH_LEN,		/* not 12, 24 or 48 bytes for the AFI */
	VPN_ERR_NH_RD,		/* an RD in the next hop that is not 0 */
	VPN_ERR_NH_EXT,		/* IPv6 next hop for VPNv4 without RFC 8950 */
};

struct vpn_error {
	enum vpn_err	 code;
	const char	*reason;
};

/* One labelled VPN prefix. */
struct vpn_nlri {
	uint32_t		wire_label;	/* the 3 octets as received */
	uint32_t		label;		/* 20 bits */
	uint8_t			tc;		/* 3 bits */
	uint8_t			bos;		/* S bit */
	rd_t			rd;
	unsigned		rd_unknown:1;	/* type not 0, 1 or 2 */
	struct srv6d_prefix	prefix;
};

/* MP_REACH_NLRI next hop: RD 0 + global [+ RD 0 + link-local]. */
struct vpn_nexthop {
	struct srv6d_addr	global;		/* AF_INET or AF_INET6 */
	struct srv6d_addr	ll;		/* AF_INET6 or AF_UNSPEC */
};

/*
 * bgp_vpn.c.  vpn_rd_decode: 0, or 1 for an RD type kept opaque.
 * vpn_nlri_next: 1 a prefix, 0 the end, -1 malformed (vpn_error says why;
 * check the whole block with vpn_nlri_check first).  The writers append
 * one prefix (label << 4 | S=1, or the withdraw label 0x800000) or the
 * next hop length and next hop; on failure (-1, errno) they append
 * nothing.  vpn_rt_extract: the RTs of an EXTENDED_COMMUNITIES value,
 * the count in the last argument.  vpn_eor: 1 and the AFI for VPN EoR.
 */
int		 vpn_rd_decode(const uint8_t *, rd_t *);
void		 vpn_rd_encode(rd_t, uint8_t *);
int		 vpn_rd_known(rd_t);
int		 vpn_nlri_check(struct bgp_view, uint16_t, struct vpn_error *);
int		 vpn_nlri_next(struct bgp_view *, uint16_t, struct vpn_nlri *,
		    struct vpn_error *);
int		 vpn_nlri_write(struct ibuf *, uint32_t, rd_t,
		    const struct srv6d_prefix *);
int		 vpn_nlri_write_withdraw(struct ibuf *, rd_t,
		    const struct srv6d_prefix *);
int		 vpn_nexthop_decode(uint16_t, struct bgp_view, int,
		    struct vpn_nexthop *, struct vpn_error *);
int		 vpn_nexthop_write(struct ibuf *, const struct vpn_nexthop *);
int		 vpn_is_rt(ext_community_t);
int		 vpn_rt_extract(struct bgp_view, ext_community_t *, size_t,
		    size_t *);
int		 vpn_rt_match(const ext_community_t *, size_t,
		    const ext_community_t *, size_t);
int		 vpn_eor(const struct bgp_update *, uint16_t *);

#endif
