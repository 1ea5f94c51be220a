/*
 * srv6.h: the SRv6 library: the BGP Prefix-SID attribute's SRv6 Service
 * TLVs (RFC 9252), SID bit arithmetic and deterministic SID allocation
 * from locators.  It depends on nothing but libc, so that every process
 * and every test can link it without the daemon's headers.
 */
#ifndef SRV6_H
#define SRV6_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/* BGP Prefix-SID attribute (RFC 8669) and its TLV types. */
#define PREFIX_SID_ATTR_TYPE		40
#define PREFIX_SID_TLV_LABEL_INDEX	1
#define PREFIX_SID_TLV_ORIG_SRGB	3
#define PREFIX_SID_TLV_SRV6_L3		5	/* RFC 9252 §2 */
#define PREFIX_SID_TLV_SRV6_L2		6

/* RFC 9252 §3.1, §3.2: sub-TLV and sub-sub-TLV types and sizes. */
#define SRV6_SUBTLV_SID_INFO		1
#define SRV6_SUBSUBTLV_STRUCTURE	1
#define SRV6_SID_INFO_MINLEN		21
#define SRV6_STRUCTURE_LEN		6
/* Bytes prefix_sid_encode() writes: TLV, one sub-TLV, one sub-sub-TLV. */
#define PREFIX_SID_SRV6_ENCODED_LEN	(3 + 1 + 3 + 21 + 3 + 6)

#define SRV6_LABEL_MAX			0xfffff
#define SRV6_LABEL_IMPLICIT_NULL	3
#define SRV6_TRANSPOSE_MAXLEN		20

/* Endpoint behaviour codes (IANA "SRv6 Endpoint Behaviors"). */
#define SRV6_BEHAVIOR_END		1
#define SRV6_BEHAVIOR_END_DX6		16
#define SRV6_BEHAVIOR_END_DX4		17
#define SRV6_BEHAVIOR_END_DT6		18
#define SRV6_BEHAVIOR_END_DT4		19
#define SRV6_BEHAVIOR_END_DT46		20
#define SRV6_BEHAVIOR_UN		43
#define SRV6_BEHAVIOR_UDX6		60
#define SRV6_BEHAVIOR_UDX4		61
#define SRV6_BEHAVIOR_UDT6		62
#define SRV6_BEHAVIOR_UDT4		63
#define SRV6_BEHAVIOR_UDT46		64
#define SRV6_BEHAVIOR_OPAQUE		0xffff

/* Results of prefix_sid_decode(). */
#define PREFIX_SID_FOUND		0
#define PREFIX_SID_ABSENT		1	/* no TLV of the wanted type */
#define PREFIX_SID_MALFORMED		(-1)	/* treat-as-withdraw */

/* SID Structure sub-sub-TLV (RFC 9252 §3.2.1), lengths in bits. */
struct srv6_sid_structure {
	uint8_t			 lbl;	/* locator block */
	uint8_t			 lnl;	/* locator node */
	uint8_t			 fl;	/* function */
	uint8_t			 al;	/* argument */
	uint8_t			 tl;	/* transposition length */
	uint8_t			 to;	/* transposition offset */
};

/* The first SRv6 SID Information sub-TLV of a Service TLV. */
struct srv6_sid_info {
	struct in6_addr		 sid;	/* the SID field as on the wire */
	uint8_t			 flags;
	uint16_t		 behavior;
	int			 has_structure;
	struct srv6_sid_structure st;
};

/* prefix_sid.c */
int		 prefix_sid_decode(const uint8_t *, size_t, uint8_t,
		    struct srv6_sid_info *, const char **);
ssize_t		 prefix_sid_encode(uint8_t *, size_t, uint8_t,
		    const struct srv6_sid_info *, int, uint32_t *);
int		 srv6_sid_reconstruct(const struct srv6_sid_info *, uint32_t,
		    struct in6_addr *);
uint16_t	 srv6_behavior_infer(uint16_t, int);
const char	*srv6_behavior_name(uint16_t);
uint32_t	 srv6_bits_get(const struct in6_addr *, unsigned, unsigned);
void		 srv6_bits_put(struct in6_addr *, unsigned, unsigned,
		    uint32_t);

/* A locator: prefix of block + node bits, then function and argument. */
#define SRV6_NAMELEN		32
struct srv6_locator {
	char			 name[SRV6_NAMELEN];
	struct in6_addr		 prefix;
	uint8_t			 block_len;
	uint8_t			 node_len;
	uint8_t			 func_len;
	uint8_t			 arg_len;
};

/*
 * What a SID is for: a VRF and behaviour (End.DT4/DT6/DT46), or a VRF,
 * behaviour and CE next hop (End.DX4/DX6).  nh_af is 0 without a next
 * hop, else AF_INET (address in the first 4 bytes of nh) or AF_INET6.
 */
struct sid_key {
	char			 vrf[SRV6_NAMELEN];
	uint16_t		 behavior;
	uint8_t			 nh_af;
	uint8_t			 nh[16];
};

/* One SID wanted by the configuration; explicit ones carry their SID. */
struct sid_request {
	struct sid_key		 key;
	int			 is_explicit;
	struct in6_addr		 sid;	/* in: explicit SID; out: result */
};

struct sid_alloc;

/* sid_alloc.c */
int		 sid_locator_check(const struct srv6_locator *,
		    const char **);
struct sid_alloc *sid_alloc_new(const struct srv6_locator *);
void		 sid_alloc_free(struct sid_alloc *);
int		 sid_alloc_reserve(struct sid_alloc *, const struct sid_key *,
		    const struct in6_addr *, const char **);
int		 sid_alloc_get(struct sid_alloc *, const struct sid_key *,
		    struct in6_addr *, const char **);
int		 sid_alloc_batch(struct sid_alloc *, struct sid_request *,
		    size_t, const char **);
int		 sid_alloc_release(struct sid_alloc *, const struct sid_key *);
int		 sid_alloc_lookup(const struct sid_alloc *,
		    const struct sid_key *, struct in6_addr *);
size_t		 sid_alloc_count(const struct sid_alloc *);

#endif /* SRV6_H */
