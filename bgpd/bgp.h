/*
 * bgp.h: the BGP-4 wire format (RFC 4271 and the extensions srv6d speaks)
 * and the codec in bgp_msg.c and bgp_update.c.
 *
 * The codec is pure: no I/O, no process state, no allocation.  Decoders
 * take a whole message (header included, as bgp_frame() found it) and
 * fill structs whose views point into that buffer, so the buffer must
 * outlive them.  Encoders append a whole message to an ibuf (imsg.h).
 * Every decoder that can fail fills a struct bgp_err: the NOTIFICATION
 * the caller has to send before closing the session.
 */
#ifndef SRV6D_BGP_H
#define SRV6D_BGP_H

#include <stddef.h>
#include <stdint.h>

#include "imsg.h"

/* RFC 4271 §4.1: header; RFC 8654 §3: extended messages. */
#define BGP_MARKER_LEN		16
#define BGP_HDR_LEN		19
#define BGP_MAX_LEN		4096
#define BGP_MAX_LEN_EXT		65535
#define BGP_VERSION		4
#define BGP_OPEN_MIN_LEN	29	/* RFC 4271 §4.2 */
#define BGP_UPDATE_MIN_LEN	23	/* RFC 4271 §4.3 */
#define BGP_NOTIF_MIN_LEN	21	/* RFC 4271 §4.5 */
#define BGP_KEEPALIVE_LEN	19	/* RFC 4271 §4.4 */
#define BGP_RREFRESH_LEN	23	/* RFC 2918 §3 */

#define AS_TRANS		23456	/* RFC 6793 §9 */

enum bgp_msg_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_RREFRESH = 5,		/* RFC 2918 */
};

/* NOTIFICATION error codes, RFC 4271 §4.5, RFC 7313 §5. */
enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLDTIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7,
};

/* Subcodes, RFC 4271 §6.1-6.3 with RFC 5492 §5 and RFC 6608 §4. */
#define BGP_ERR_UNSPEC			0
#define BGP_ERR_HDR_SYNC		1
#define BGP_ERR_HDR_LEN			2
#define BGP_ERR_HDR_TYPE		3
#define BGP_ERR_OPEN_VERSION		1
#define BGP_ERR_OPEN_AS			2
#define BGP_ERR_OPEN_BGPID		3
#define BGP_ERR_OPEN_OPT		4
#define BGP_ERR_OPEN_HOLDTIME		6
#define BGP_ERR_OPEN_CAPA		7	/* RFC 5492 §5 */
#define BGP_ERR_UPD_ATTRLIST		1
#define BGP_ERR_UPD_UNKNWN_WK		2
#define BGP_ERR_UPD_MISSING_WK		3
#define BGP_ERR_UPD_FLAGS		4
#define BGP_ERR_UPD_LENGTH		5
#define BGP_ERR_UPD_ORIGIN		6
#define BGP_ERR_UPD_NEXTHOP		8
#define BGP_ERR_UPD_OPTATTR		9
#define BGP_ERR_UPD_NETWORK		10
#define BGP_ERR_UPD_ASPATH		11
#define BGP_ERR_FSM_OPENSENT		1	/* RFC 6608 §4 */
#define BGP_ERR_FSM_OPENCONFIRM		2
#define BGP_ERR_FSM_ESTABLISHED		3
#define BGP_ERR_RREFRESH_LEN		1	/* RFC 7313 §5 */

/* Cease subcodes, RFC 4486 §4, RFC 8538 §5, RFC 9384 §3. */
#define BGP_CEASE_MAXPREFIX		1
#define BGP_CEASE_ADMIN_SHUTDOWN	2
#define BGP_CEASE_PEER_UNCONF		3
#define BGP_CEASE_ADMIN_RESET		4
#define BGP_CEASE_CONN_REJECT		5
#define BGP_CEASE_CONF_CHANGE		6
#define BGP_CEASE_COLLISION		7
#define BGP_CEASE_RESOURCES		8
#define BGP_CEASE_HARD_RESET		9
#define BGP_CEASE_BFD_DOWN		10

#define BGP_SHUTDOWN_COMM_MAX		255	/* RFC 9003 §2 */

/* OPEN optional parameters: RFC 5492 §4, RFC 9072 §2. */
#define BGP_OPT_CAPABILITIES		2
#define BGP_OPT_EXTENDED		255

/* Capability codes (IANA "Capability Codes"). */
#define BGP_CAPA_MP			1	/* RFC 4760 §8 */
#define BGP_CAPA_RREFRESH		2	/* RFC 2918 §2 */
#define BGP_CAPA_EXT_NH			5	/* RFC 8950 §3 */
#define BGP_CAPA_EXT_MSG		6	/* RFC 8654 §3 */
#define BGP_CAPA_ROLE			9	/* RFC 9234 */
#define BGP_CAPA_GR			64	/* RFC 4724 §3 */
#define BGP_CAPA_AS4			65	/* RFC 6793 §3 */
#define BGP_CAPA_ADDPATH		69	/* RFC 7911 */
#define BGP_CAPA_ENH_RREFRESH		70	/* RFC 7313 §3 */
#define BGP_CAPA_LLGR			71
#define BGP_CAPA_FQDN			73

/* Graceful restart flags, RFC 4724 §3 and RFC 8538 §2. */
#define BGP_GR_RESTARTING		0x8	/* R: in the 4 high bits */
#define BGP_GR_NOTIFICATION		0x4	/* N */
#define BGP_GR_TIME_MAX			0xfff
#define BGP_GR_AF_FORWARDING		0x80	/* F, per AFI/SAFI */

/* ROUTE-REFRESH subtypes, RFC 7313 §4 (the old Reserved octet). */
#define BGP_RR_NORMAL			0
#define BGP_RR_BORR			1
#define BGP_RR_EORR			2

/* Path attribute flags and type codes, RFC 4271 §4.3 and IANA. */
#define BGP_ATTR_OPTIONAL		0x80
#define BGP_ATTR_TRANSITIVE		0x40
#define BGP_ATTR_PARTIAL		0x20
#define BGP_ATTR_EXTLEN			0x10

#define BGP_ATTR_ORIGIN			1
#define BGP_ATTR_AS_PATH		2
#define BGP_ATTR_NEXT_HOP		3
#define BGP_ATTR_MED			4
#define BGP_ATTR_LOCAL_PREF		5
#define BGP_ATTR_ATOMIC_AGGREGATE	6
#define BGP_ATTR_AGGREGATOR		7
#define BGP_ATTR_COMMUNITIES		8	/* RFC 1997 */
#define BGP_ATTR_ORIGINATOR_ID		9	/* RFC 4456 */
#define BGP_ATTR_CLUSTER_LIST		10
#define BGP_ATTR_MP_REACH		14	/* RFC 4760 */
#define BGP_ATTR_MP_UNREACH		15
#define BGP_ATTR_EXT_COMMUNITIES	16	/* RFC 4360 */
#define BGP_ATTR_AS4_PATH		17	/* RFC 6793 */
#define BGP_ATTR_AS4_AGGREGATOR		18
#define BGP_ATTR_LARGE_COMMUNITIES	32	/* RFC 8092 */
#define BGP_ATTR_PREFIX_SID		40	/* RFC 8669, RFC 9252 */

#define BGP_ORIGIN_IGP			0
#define BGP_ORIGIN_EGP			1
#define BGP_ORIGIN_INCOMPLETE		2

/* AS_PATH segment types, RFC 4271 §4.3 and RFC 5065 §3. */
#define BGP_AS_SET			1
#define BGP_AS_SEQUENCE			2
#define BGP_AS_CONFED_SEQUENCE		3
#define BGP_AS_CONFED_SET		4

/* AFI (IANA "Address Family Numbers") and SAFI. */
#define BGP_AFI_IPV4			1
#define BGP_AFI_IPV6			2
#define BGP_AFI_L2VPN			25
#define BGP_SAFI_UNICAST		1
#define BGP_SAFI_MULTICAST		2
#define BGP_SAFI_LABELED		4
#define BGP_SAFI_EVPN			70
#define BGP_SAFI_MPLSVPN		128
#define BGP_SAFI_FLOWSPEC		133

/* A read-only view of bytes in a received message. */
struct bgp_view {
	const uint8_t	*p;
	size_t		 len;
};

/*
 * A NOTIFICATION we owe the peer.  Its data is either a view into the
 * received message (data != NULL) or a few bytes we made up (inl).
 */
struct bgp_err {
	uint8_t		 code;
	uint8_t		 subcode;
	uint8_t		 inl[8];
	const uint8_t	*data;
	size_t		 datalen;
};

struct bgp_hdr {
	uint8_t		 type;
	uint16_t	 len;
};

/* OPEN capabilities as decoded, or to encode. */
#define BGP_CAPA_MAX_AF		16
#define BGP_CAPA_MAX_UNKNOWN	16

struct bgp_af {
	uint16_t	 afi;
	uint8_t		 safi;
	uint8_t		 flags;		/* GR: BGP_GR_AF_FORWARDING */
};

struct bgp_ext_nh {			/* RFC 8950 §3 tuple */
	uint16_t	 afi;
	uint16_t	 safi;
	uint16_t	 nh_afi;
};

struct bgp_capa_raw {
	uint8_t		 code;
	struct bgp_view	 val;
};

struct bgp_caps {
	unsigned	 as4:1, rrefresh:1, enh_rrefresh:1, ext_msg:1, gr:1;
	uint32_t	 as;			/* with as4 */
	struct bgp_af	 mp[BGP_CAPA_MAX_AF];
	int		 nmp;
	struct bgp_ext_nh ext_nh[BGP_CAPA_MAX_AF];
	int		 next_nh;
	unsigned	 ext_nh_cap:1;		/* announced, maybe empty */
	uint8_t		 gr_flags;		/* BGP_GR_RESTARTING ... */
	uint16_t	 gr_time;		/* seconds, 12 bits */
	struct bgp_af	 gr_af[BGP_CAPA_MAX_AF];
	int		 ngr_af;
	/* Decoded only: capabilities we do not know, ignored (RFC 5492 §3). */
	struct bgp_capa_raw unknown[BGP_CAPA_MAX_UNKNOWN];
	int		 nunknown;
};

struct bgp_open {
	uint8_t		 version;
	uint16_t	 myas;		/* the 2-octet field, maybe AS_TRANS */
	uint16_t	 holdtime;
	uint32_t	 bgpid;		/* host order */
	uint32_t	 as;		/* decoded: caps.as with as4, else myas */
	unsigned	 ext_params:1;	/* decoded: RFC 9072 form was used */
	struct bgp_caps	 caps;
};

/* What our side requires of the peer's OPEN (bgp_open_check). */
struct bgp_open_policy {
	uint32_t	 local_as;
	uint32_t	 local_bgpid;	/* host order */
	uint32_t	 remote_as;	/* 0: any */
	uint16_t	 min_holdtime;	/* 0: only RFC 4271's 1 and 2 refused */
	unsigned	 require_as4:1;
};

struct bgp_notification {
	uint8_t		 code;
	uint8_t		 subcode;
	struct bgp_view	 data;		/* after any shutdown communication */
	/* RFC 9003: cease 2 and 4 may carry a UTF-8 message. */
	unsigned	 has_comm:1;
	unsigned	 bad_comm:1;	/* present but malformed: not shown */
	char		 comm[BGP_SHUTDOWN_COMM_MAX + 1];
};

struct bgp_rrefresh {
	uint16_t	 afi;
	uint8_t		 subtype;	/* BGP_RR_* */
	uint8_t		 safi;
};

/* bgp_msg.c */
const uint8_t	*bgp_err_data(const struct bgp_err *);
void		 bgp_err_set(struct bgp_err *, uint8_t, uint8_t,
		    const uint8_t *, size_t);
int		 bgp_frame(const uint8_t *, size_t, size_t, struct bgp_hdr *,
		    struct bgp_err *);
int		 bgp_msg_begin(struct ibuf *, uint8_t, size_t *);
int		 bgp_msg_end(struct ibuf *, size_t, size_t);
int		 bgp_open_encode(struct ibuf *, const struct bgp_open *);
int		 bgp_open_decode(const uint8_t *, size_t, struct bgp_open *,
		    struct bgp_err *);
int		 bgp_open_check(const struct bgp_open *,
		    const struct bgp_open_policy *, struct bgp_err *);
int		 bgp_notification_encode(struct ibuf *,
		    const struct bgp_notification *);
int		 bgp_notification_decode(const uint8_t *, size_t,
		    struct bgp_notification *);
int		 bgp_err_encode(struct ibuf *, const struct bgp_err *);
int		 bgp_keepalive_encode(struct ibuf *);
int		 bgp_rrefresh_encode(struct ibuf *, const struct bgp_rrefresh *);
int		 bgp_rrefresh_decode(const uint8_t *, size_t,
		    struct bgp_rrefresh *, struct bgp_err *);
const char	*bgp_msg_name(uint8_t);
const char	*bgp_err_name(uint8_t, uint8_t);

/*
 * UPDATE (bgp_update.c).  RFC 7606 sorts every error into one of these;
 * the worst one found decides what the caller does with the message.
 */
enum bgp_upd_action {
	BGP_UPD_OK = 0,
	BGP_UPD_DISCARD = 1,	/* attributes in disc[] dropped; rest is fine */
	BGP_UPD_WITHDRAW = 2,	/* treat-as-withdraw: withdraw every prefix */
	BGP_UPD_RESET = 3,	/* send err and reset the session */
};

#define BGP_UPD_MAX_DISC	32

struct bgp_attr {
	uint8_t		 flags;		/* received; PARTIAL added if unknown */
	uint8_t		 type;
	struct bgp_view	 val;
	struct bgp_view	 raw;		/* flags, type, length and value */
};

struct bgp_mp {
	uint16_t	 afi;
	uint8_t		 safi;
	struct bgp_view	 nh;		/* MP_REACH only */
	struct bgp_view	 nlri;
};

struct bgp_discard {
	uint8_t		 type;
	const char	*reason;
};

/* Parse context: what the session negotiated. */
struct bgp_upd_ctx {
	unsigned	 as4:1;		/* 4-octet AS numbers in AS_PATH */
	unsigned	 ebgp:1;
};

struct bgp_update {
	enum bgp_upd_action	 action;
	const char		*reason;	/* the worst error, for the log */
	uint8_t			 reason_type;	/* its attribute, or 0 */
	struct bgp_err		 err;		/* with BGP_UPD_RESET */
	struct bgp_view		 withdrawn;
	struct bgp_view		 attrs;
	struct bgp_view		 nlri;
	/* Kept attributes in wire order; pos[type] is index + 1, 0: none. */
	struct bgp_attr		 attr[256];
	uint16_t		 nattr;
	uint16_t		 pos[256];
	struct bgp_discard	 disc[BGP_UPD_MAX_DISC];
	uint16_t		 ndisc;		/* may exceed BGP_UPD_MAX_DISC */
	uint8_t			 seen[32];	/* bitmap: duplicates */
	unsigned		 has_reach:1, has_unreach:1;
	struct bgp_mp		 reach;
	struct bgp_mp		 unreach;
};

/* bgp_update.c */
enum bgp_upd_action bgp_update_parse(const uint8_t *, size_t,
		    const struct bgp_upd_ctx *, struct bgp_update *);
const struct bgp_attr *bgp_update_attr(const struct bgp_update *, uint8_t);
const char	*bgp_attr_name(uint8_t);
int		 bgp_prefix_next(struct bgp_view *, uint8_t, uint8_t *,
		    uint8_t *);
int		 bgp_prefixes_check(struct bgp_view, uint8_t);
int		 bgp_prefix_write(struct ibuf *, const uint8_t *, uint8_t);
int		 bgp_attr_write(struct ibuf *, uint8_t, uint8_t, const void *,
		    size_t);
int		 bgp_aspath_check(struct bgp_view, int, int);
int		 bgp_aspath_write(struct ibuf *, struct bgp_view, int);
int		 bgp_aspath_merge(struct ibuf *, struct bgp_view,
		    struct bgp_view);
int		 bgp_as4_merge(struct ibuf *, const struct bgp_update *);

#endif
