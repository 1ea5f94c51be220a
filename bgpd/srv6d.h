/*
 * srv6d: everything that crosses a process boundary.
 *
 * The imsg types, the configuration (as every process holds it), and the
 * control-socket wire structs that srv6ctl decodes.  Each process has its
 * own private header for the rest (session.h, rde.h, parent.h).
 * Prototypes are grouped by the file that defines them.
 */
#ifndef SRV6D_H
#define SRV6D_H

#include <sys/queue.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "imsg.h"

#define SRV6D_VERSION		"0.1"
#define SRV6D_CONFFILE		"/etc/srv6d.conf"
#define SRV6D_SOCKET		"/run/srv6d.sock"
#define SRV6D_RSOCKET		"/run/srv6d.rsock"
#define SRV6D_USER		"_srv6d"
#ifndef SRV6D_CHROOT
#define SRV6D_CHROOT		"/var/lib/srv6d/empty"
#endif

/* Fixed descriptors of a re-executed child (see proc.c). */
#define PROC_PARENT_FD		3	/* imsg channel to the parent */
#define PROC_PEER_FD		4	/* imsg channel SE <-> RDE */

#define BGP_PORT		179
#define BGP_HOLDTIME_DEFAULT	90
#define BGP_HOLDTIME_MIN	3
#define TCP_MD5_KEY_LEN		80
#define DESCR_LEN		64
#define VRF_NAME_LEN		16	/* also the VRF device name: IFNAMSIZ */
#define LOCATOR_NAME_LEN	32
#define GROUP_NAME_LEN		32

enum srv6d_process {
	PROC_PARENT,
	PROC_SE,
	PROC_RDE,
};

/* An IPv4 or IPv6 address; af is AF_INET, AF_INET6 or AF_UNSPEC (unset). */
struct srv6d_addr {
	uint8_t		af;
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	};
};

struct srv6d_prefix {
	struct srv6d_addr	addr;
	uint8_t			len;
};

/* Address families a neighbor may carry (bit mask). */
#define AFS_IPV4_UNICAST	0x01
#define AFS_IPV6_UNICAST	0x02
#define AFS_VPNV4		0x04
#define AFS_VPNV6		0x08

/*
 * Route distinguisher and extended community (route target), kept in their
 * 8-byte wire form (RFC 4364 §4.2, RFC 4360) as a host-order u64.
 */
typedef uint64_t	rd_t;
typedef uint64_t	ext_community_t;

/* ------------------------------------------------------------------ */
/* configuration                                                       */

struct locator_config {
	char			name[LOCATOR_NAME_LEN];
	struct srv6d_prefix	prefix;		/* locator prefix, IPv6 */
	uint8_t			block_len;	/* RFC 8986 §3.1 bits */
	uint8_t			node_len;
	uint8_t			func_len;
	uint8_t			arg_len;
	bool			announce;	/* as IPv6 unicast route */
};

enum vrf_sid_mode {
	VRF_SID_AUTO,		/* per-VRF End.DT4/DT6/DT46 from a locator */
	VRF_SID_PER_CE,		/* End.DX4/DX6 per CE next hop */
	VRF_SID_EXPLICIT,	/* the SID given in the config */
};

#define VRF_NET_CONNECTED	0x01
#define VRF_NET_KERNEL		0x02

struct vrf_config {
	TAILQ_ENTRY(vrf_config)	 entry;
	char			 name[VRF_NAME_LEN];
	uint32_t		 table;
	rd_t			 rd;
	enum vrf_sid_mode	 sid_mode;
	struct in6_addr		 sid;		/* VRF_SID_EXPLICIT */
	char			 locator[LOCATOR_NAME_LEN]; /* "" = first */
	uint8_t			 net_flags;	/* VRF_NET_* */
	ext_community_t		*import_rt;
	size_t			 n_import_rt;
	ext_community_t		*export_rt;
	size_t			 n_export_rt;
	char			(*ifaces)[IFNAMSIZ];
	size_t			 n_ifaces;
	struct srv6d_prefix	*networks;
	size_t			 n_networks;
};
TAILQ_HEAD(vrf_head, vrf_config);

#define NEIGH_F_PASSIVE		0x01
#define NEIGH_F_TTL_SECURITY	0x02
#define NEIGH_F_DOWN		0x04	/* administratively down */
#define NEIGH_F_RR_CLIENT	0x08	/* route-reflector-client (RFC 4456) */
#define NEIGH_F_NEXTHOP_SELF	0x10	/* next-hop-self */
#define NEIGH_F_NO_TRANSPOSE	0x20	/* `srv6 transposition no': send
					   whole SIDs, label 3 (RFC 9252 §4) */

struct neighbor_config {
	TAILQ_ENTRY(neighbor_config) entry;
	struct srv6d_addr	 addr;
	struct srv6d_addr	 local_addr;	/* AF_UNSPEC: kernel chooses */
	char			 descr[DESCR_LEN];
	char			 group[GROUP_NAME_LEN];	/* "" = none */
	char			 password[TCP_MD5_KEY_LEN + 1];
	uint32_t		 remote_as;
	uint16_t		 holdtime;	/* 0: the global one */
	uint8_t			 flags;		/* NEIGH_F_* */
	uint8_t			 afs;		/* AFS_*; 0: by transport */
	/*
	 * Peer id: assigned by the parent after parsing, kept across reloads
	 * for the same address, never reused; names the peer in every imsg
	 * between the processes.  0 in a freshly parsed config.
	 */
	uint32_t		 id;
	uint32_t		 max_prefix;	/* 0: no limit */
	uint16_t		 max_prefix_restart;	/* minutes; 0: stay down */
};
TAILQ_HEAD(neighbor_head, neighbor_config);

/*
 * Filter rules (OpenBGPD's model, kept small): evaluated in order for
 * routes received from (FILTER_IN) or sent to (FILTER_OUT) a peer; the
 * last matching rule decides, a matching `quick` rule decides at once.
 * Without a matching rule, routes from and to iBGP peers are allowed and
 * routes from and to eBGP peers are denied (RFC 8212).
 */
enum filter_action	{ FILTER_ALLOW, FILTER_DENY, FILTER_MATCH };
enum filter_dir		{ FILTER_IN, FILTER_OUT };
enum filter_peer	{ FILTER_PEER_ANY, FILTER_PEER_ADDR,
			  FILTER_PEER_GROUP, FILTER_PEER_EBGP,
			  FILTER_PEER_IBGP };
enum filter_as		{ FILTER_AS_NONE, FILTER_AS_ANY, FILTER_AS_SOURCE,
			  FILTER_AS_TRANSIT, FILTER_AS_PEER };

#define FILTER_SET_LOCALPREF	0x01
#define FILTER_SET_MED		0x02
#define FILTER_SET_COMMUNITY	0x04
#define FILTER_SET_PREPEND	0x08
#define FILTER_SET_NEXTHOP_SELF	0x10
#define FILTER_PREPEND_MAX	16	/* set prepend-self 1..16 */

struct filter_rule {
	TAILQ_ENTRY(filter_rule) entry;
	enum filter_action	 action;
	enum filter_dir		 dir;
	bool			 quick;
	enum filter_peer	 peer;
	struct srv6d_addr	 peer_addr;	/* FILTER_PEER_ADDR */
	char			 group[GROUP_NAME_LEN];	/* FILTER_PEER_GROUP */
	/* match: prefix (len 0 and af AF_UNSPEC: any) with a length range */
	struct srv6d_prefix	 prefix;
	uint8_t			 len_min;	/* 0,0: exactly prefix.len */
	uint8_t			 len_max;
	bool			 has_community;
	uint32_t		 community;	/* ASN << 16 | value */
	enum filter_as		 as_type;
	uint32_t		 as;
	/* set */
	uint8_t			 set;		/* FILTER_SET_* */
	uint32_t		 set_localpref;
	uint32_t		 set_med;
	uint32_t		 set_community;
	uint8_t			 set_prepend;	/* times to prepend our AS */
	uint32_t		 line;		/* config line, for show */
};
TAILQ_HEAD(filter_head, filter_rule);

struct listen_config {
	TAILQ_ENTRY(listen_config) entry;
	struct srv6d_addr	 addr;
	uint16_t		 port;
};
TAILQ_HEAD(listen_head, listen_config);

#define CONF_F_ALWAYS_COMPARE_MED	0x01	/* `rde med compare always` */

struct srv6d_config {
	uint32_t		 as;
	struct in_addr		 router_id;	/* 0.0.0.0: derive */
	struct in_addr		 cluster_id;	/* 0.0.0.0: the router-id */
	uint16_t		 holdtime;
	uint8_t			 flags;		/* CONF_F_* */
	struct srv6d_prefix	*networks;	/* `network` in the global table */
	size_t			 n_networks;
	struct filter_head	 filters;
	struct srv6d_addr	 encap_source;	/* AF_UNSPEC: unset */
	struct locator_config	*locators;
	size_t			 n_locators;
	struct listen_head	 listens;
	struct vrf_head		 vrfs;
	struct neighbor_head	 neighbors;
	/* the kernel (issue 5), srv6d.conf(5) */
	bool			 fib_keep;	/* keep routes at a stop */
	uint8_t			 fib_update_afs; /* AFS_*: global -> main */
#define FIB_UPDATE_AFS		(AFS_IPV4_UNICAST | AFS_IPV6_UNICAST)
	uint8_t			 encap_mode;	/* SRV6_ENCAP_* */
#define SRV6_ENCAP_NORMAL		0	/* seg6 mode encap */
#define SRV6_ENCAP_RED			1	/* encap.red, RFC 8986 */
	uint16_t		 fib_sync_timeout;	/* seconds */
#define FIB_SYNC_TIMEOUT_DEFAULT	60
#define FIB_SYNC_TIMEOUT_MAX		3600
	uint32_t		 rule_priority;	/* table-mode ip rules */
#define RULE_PRIORITY_DEFAULT		2000
#define RULE_PRIORITY_MAX		32765	/* below main's 32766 */
};

/* ------------------------------------------------------------------ */
/* imsg types                                                          */

enum imsg_type {
	IMSG_NONE,
	/* srv6ctl <-> session engine <-> parent / RDE */
	IMSG_CTL_SHOW_SUMMARY,
	IMSG_CTL_SHOW_NEIGHBOR,
	IMSG_CTL_SHOW_VRF,
	IMSG_CTL_RELOAD,
	IMSG_CTL_LOG_VERBOSE,
	IMSG_CTL_RESULT,	/* struct ctl_result + message text */
	IMSG_CTL_END,		/* last reply to a request */
	/* parent -> session engine: sockets */
	IMSG_SOCKET_CTL,	/* fd: control socket */
	IMSG_SOCKET_RCTL,	/* fd: restricted control socket */
	IMSG_SOCKET_LISTEN,	/* fd: a BGP listener; srv6d_addr + u16 port */
	/* configuration stream, parent -> children, and the acks */
	IMSG_RECONF_CONF,
	IMSG_RECONF_LOCATOR,
	IMSG_RECONF_LISTEN,
	IMSG_RECONF_VRF,
	IMSG_RECONF_NEIGHBOR,
	IMSG_RECONF_DONE,	/* parent -> child: end; child -> parent: ack */
	IMSG_RECONF_ABORT,
	IMSG_RECONF_FILTER,
	/* srv6ctl requests added with BGP */
	IMSG_CTL_SHOW_RIB,	/* request: struct ctl_rib_request; reply: rib */
	IMSG_CTL_NEIGHBOR_UP,	/* payload: struct srv6d_addr */
	IMSG_CTL_NEIGHBOR_DOWN,	/* srv6d_addr, then optional NUL-term. text */
	IMSG_CTL_NEIGHBOR_CLEAR,	/* srv6d_addr */
	IMSG_CTL_NEIGHBOR_REFRESH,	/* srv6d_addr */
	/* session engine <-> route decision engine, peerid = neighbor id */
	IMSG_SESSION_UP,	/* SE -> RDE: struct session_up */
	IMSG_SESSION_DOWN,	/* SE -> RDE: no payload */
	IMSG_UPDATE,		/* both ways: one whole BGP UPDATE message */
	IMSG_REFRESH,		/* both ways: struct session_refresh */
	IMSG_UPDATE_ERR,	/* RDE -> SE: struct session_notify + data */
	IMSG_SESSION_EOR_SENT,	/* RDE -> SE: initial table sent (for show) */
	IMSG_CTL_TERMINATE,	/* SE -> RDE: ctl client peerid left: stop */
	/* SRv6 L3VPN (issue 4) */
	IMSG_CTL_SHOW_SID,	/* request: empty; reply: struct ctl_show_sid */
	IMSG_CTL_SHOW_LOCATOR,	/* request: empty; reply: ctl_show_locator */
	IMSG_KERNEL_MODE,	/* parent -> SE, RDE: u32 enum kernel_mode,
				   before the first configuration */
	IMSG_FIB_ROUTES,	/* RDE -> parent: a batch of fib_route */
	IMSG_FIB_SIDS,		/* RDE -> parent: a batch of struct fib_sid */
	IMSG_KROUTES,		/* parent -> RDE: a batch of struct kroute */
	IMSG_FIB_SYNCED,	/* RDE -> parent: the initial routes are in
				   (End-of-RIB from every peer): remove what
				   an earlier run left and nobody wants */
	/* kernel counters and state for srv6ctl (issue 5) */
	IMSG_FIB_COUNTERS,	/* RDE -> parent: empty, peerid = ctl id;
				   parent -> RDE: struct fib_sid_counter
				   records in chunks, then an empty one */
	IMSG_CTL_SHOW_FIB,	/* request: empty; reply (parent, relayed
				   by the SE): struct ctl_show_fib, its
				   n_errors IMSG_CTL_SHOW_FIB_ERROR, END */
	IMSG_CTL_SHOW_FIB_ERROR,	/* struct ctl_fib_error */
};

/* ------------------------------------------------------------------ */
/* kernel state: RDE -> parent (what to program), parent -> RDE (routes */
/* found in VRF tables).  Records are packed back to back in one imsg   */
/* (fib_batch_* in fib_imsg.c); nothing is ever sent per route.        */

enum kernel_mode {
	KERNEL_MODE_UNKNOWN,
	KERNEL_MODE_VRF,	/* VRF devices: End.DT4/DT6/DT46 vrftable */
	KERNEL_MODE_TABLE,	/* no VRF devices: rules, End.DT6 table,
				   End.DX4 per CE (DESIGN.md Kernel modes) */
};

enum fib_op {
	FIB_ADD = 1,		/* add or replace */
	FIB_DEL = 2,
};

#define FIB_NEXTHOPS_MAX	16	/* ECMP paths of one route */

/* One path of a route: an SRv6 encapsulation towards a remote SID. */
struct fib_nexthop {
	struct in6_addr		 sid;		/* the segment (one SID) */
	struct srv6d_addr	 gateway;	/* the BGP next hop (remote PE) */
	uint16_t		 behavior;	/* SRV6_BEHAVIOR_* at the remote */
	uint8_t			 pad[2];
};

/* IMSG_FIB_ROUTES record: this, then n_nexthops struct fib_nexthop. */
struct fib_route {
	char			 vrf[VRF_NAME_LEN];	/* "" = global */
	uint32_t		 table;		/* kernel routing table */
	uint8_t			 op;		/* enum fib_op */
	uint8_t			 n_nexthops;	/* 0 with FIB_DEL */
	uint8_t			 pad[2];
	struct srv6d_prefix	 dst;
};

/* IMSG_FIB_SIDS record: a local SID and what the kernel does with it. */
struct fib_sid {
	struct in6_addr		 sid;		/* /128 */
	char			 vrf[VRF_NAME_LEN];
	char			 locator[LOCATOR_NAME_LEN];
	uint32_t		 table;		/* End.DT*: the VRF's table */
	uint16_t		 behavior;	/* SRV6_BEHAVIOR_END_DT4 ... */
	uint8_t			 op;		/* enum fib_op */
	uint8_t			 pad;
	struct srv6d_addr	 nh;		/* End.DX4/DX6: the CE next hop */
};

/*
 * IMSG_FIB_COUNTERS record (parent -> RDE): one local SID's kernel
 * counters (SEG6_LOCAL_COUNTERS).  The RDE asks once per show sid.
 */
struct fib_sid_counter {
	struct in6_addr		 sid;
	uint64_t		 packets;
	uint64_t		 bytes;
	uint64_t		 errors;
};

#define KROUTE_CONNECTED	1	/* an address's subnet */
#define KROUTE_KERNEL		2	/* any other route in the table */

/* IMSG_KROUTES record: a route the parent found in a VRF's table. */
struct kroute {
	uint32_t		 table;
	uint8_t			 op;		/* enum fib_op */
	uint8_t			 type;		/* KROUTE_* */
	uint8_t			 pad[2];
	struct srv6d_prefix	 dst;
	struct srv6d_addr	 gateway;	/* AF_UNSPEC: directly attached */
	uint32_t		 ifindex;
};

/* ------------------------------------------------------------------ */
/* session engine <-> route decision engine                            */

/* What the two sides negotiated, per session (RFC 5492 and friends). */
#define CAPA_AS4		0x0001	/* RFC 6793 */
#define CAPA_REFRESH		0x0002	/* RFC 2918 */
#define CAPA_ENHANCED_REFRESH	0x0004	/* RFC 7313 */
#define CAPA_EXT_MESSAGE	0x0008	/* RFC 8654 */
#define CAPA_GRACEFUL_RESTART	0x0010	/* RFC 4724 (advertised both ways) */

struct session_up {
	struct srv6d_addr	remote_addr;
	struct srv6d_addr	local_addr;
	struct in_addr		remote_id;	/* BGP identifier */
	uint32_t		remote_as;
	uint16_t		capa;		/* CAPA_* negotiated */
	uint8_t			afs;		/* AFS_* negotiated both ways */
	uint8_t			ext_nexthop;	/* AFS_* with RFC 8950 NH */
	uint8_t			ebgp;		/* remote_as != our as */
};

/* IMSG_REFRESH: RFC 2918/7313 ROUTE-REFRESH for one AFI/SAFI. */
struct session_refresh {
	uint16_t	afi;
	uint8_t		safi;
	uint8_t		subtype;	/* 0 normal, 1 BoRR, 2 EoRR */
};

/*
 * IMSG_UPDATE_ERR: the RDE asks the SE to end the session with this
 * NOTIFICATION (RFC 7606 session reset, max-prefix); the data follows.
 */
struct session_notify {
	uint8_t		code;
	uint8_t		subcode;
};

/* ------------------------------------------------------------------ */
/* control socket wire structs (srv6ctl <-> session engine)            */

enum ctl_result_code {
	CTL_RES_OK,
	CTL_RES_DENIED,		/* restricted socket */
	CTL_RES_FAILED,		/* message text says why */
	CTL_RES_BUSY,		/* e.g. a reload is in progress */
	CTL_RES_NOSUCH,		/* no such neighbor / VRF */
	CTL_RES_PARSE,		/* bad request */
};

/* IMSG_CTL_RESULT payload: u32 code, then a NUL-terminated text. */
struct ctl_result {
	uint32_t	code;	/* enum ctl_result_code */
};

struct ctl_show_summary {
	char		version[16];
	uint32_t	as;
	struct in_addr	router_id;
	int64_t		started;	/* time(3) of start-up */
	int64_t		reloaded;	/* time(3) of the last reload */
	uint32_t	n_neighbors;
	uint32_t	n_established;
	uint32_t	n_vrfs;
	uint32_t	n_locators;
	uint32_t	verbose;
	char		kernel_mode[16];	/* "vrf", "table", or "" */
};

enum neighbor_state {
	NSTATE_IDLE,
	NSTATE_CONNECT,
	NSTATE_ACTIVE,
	NSTATE_OPENSENT,
	NSTATE_OPENCONFIRM,
	NSTATE_ESTABLISHED,
};

/* Request payload of IMSG_CTL_SHOW_NEIGHBOR: empty, or a srv6d_addr. */
struct ctl_show_neighbor {
	struct srv6d_addr addr;
	struct srv6d_addr local_addr;
	char		descr[DESCR_LEN];
	char		group[GROUP_NAME_LEN];
	uint32_t	remote_as;
	uint16_t	holdtime;	/* configured; 0: the global one */
	uint8_t		flags;		/* NEIGH_F_* */
	uint8_t		afs;		/* configured */
	uint8_t		md5;		/* a password is set */
	uint8_t		state;		/* enum neighbor_state */
	int64_t		state_since;	/* time(3) of the last change */
	/* session, when one is or was up */
	struct srv6d_addr session_local;	/* the TCP endpoints */
	uint16_t	local_port;
	uint16_t	remote_port;
	struct in_addr	remote_id;
	uint16_t	holdtime_neg;	/* negotiated */
	uint16_t	keepalive;
	uint16_t	capa;		/* CAPA_* negotiated */
	uint8_t		afs_neg;	/* AFS_* negotiated */
	uint8_t		ext_nexthop;
	uint32_t	flaps;		/* Established -> down transitions */
	/* messages: index by BGP type 1..5 (OPEN ... ROUTE-REFRESH) */
	uint64_t	msgs_in[6];
	uint64_t	msgs_out[6];
	/* prefixes, filled in by the RDE */
	uint64_t	prefixes_received;	/* Adj-RIB-In */
	uint64_t	prefixes_accepted;	/* passed import filters */
	uint64_t	prefixes_best;		/* best in the Loc-RIB */
	uint64_t	prefixes_sent;		/* Adj-RIB-Out */
	/* last NOTIFICATION each way; code 0: none */
	uint8_t		last_sent_code;
	uint8_t		last_sent_subcode;
	uint8_t		last_recv_code;
	uint8_t		last_recv_subcode;
	char		last_sent_reason[256];	/* RFC 9003 text, or ours */
	char		last_recv_reason[256];	/* sanitized for display */
};
/*
 * IMSG_CTL_SHOW_RIB request.  Replies: one IMSG_CTL_SHOW_RIB per path:
 * struct ctl_show_rib, then n_aspath u32 (the AS_PATH flattened: each
 * segment as a u32 header (type << 16 | count) followed by its ASNs),
 * n_communities u32, n_large_communities 3 x u32,
 * n_ext_communities u64, n_cluster u32 (CLUSTER_LIST); then END.
 */
#define RIB_REQ_PREFIX		0x01	/* prefix given (exact, or */
#define RIB_REQ_LONGER		0x02	/* ... and more specifics) */
#define RIB_REQ_NEIGHBOR	0x04	/* only paths of this neighbor */
#define RIB_REQ_IN		0x08	/* Adj-RIB-In, before filters */
#define RIB_REQ_OUT		0x10	/* Adj-RIB-Out towards the neighbor */
#define RIB_REQ_BEST		0x20	/* only best paths */
#define RIB_REQ_RD		0x40	/* VPN: only this route distinguisher */
#define RIB_REQ_VRF		0x80	/* the Loc-RIB of VRF vrf (both AFs) */

struct ctl_rib_request {
	uint8_t			flags;	/* RIB_REQ_* */
	uint8_t			afs;	/* AFS_*; 0: every family */
	struct srv6d_prefix	prefix;
	struct srv6d_addr	neighbor;
	rd_t			rd;
	char			vrf[VRF_NAME_LEN];
};

#define RIB_F_BEST		0x01
#define RIB_F_ELIGIBLE		0x02	/* usable: next hop reachable etc. */
#define RIB_F_INTERNAL		0x04	/* from an iBGP peer */
#define RIB_F_LOCAL		0x08	/* our own (network statement) */
#define RIB_F_STALE		0x10
#define RIB_F_FILTERED		0x20	/* Adj-RIB-In only: denied by filter */
#define RIB_F_IMPORTED		0x40	/* in a VRF: imported from a VPN route */
#define RIB_F_NOSID		0x80	/* VPN route without a usable SRv6 SID */

struct ctl_show_rib {
	struct srv6d_prefix	prefix;
	struct srv6d_addr	neighbor;	/* AF_UNSPEC: local */
	struct in_addr		neighbor_id;	/* its BGP identifier */
	struct srv6d_addr	nexthop;
	uint32_t		med;
	uint32_t		localpref;
	uint32_t		weight;		/* reserved, 0 */
	int64_t			lastchange;	/* time(3) */
	uint8_t			origin;		/* 0 IGP, 1 EGP, 2 ? */
	uint8_t			flags;		/* RIB_F_* */
	uint8_t			has_med;
	uint8_t			atomic_aggregate;
	struct in_addr		originator_id;	/* 0: none */
	/* why the best path won against this one, for non-best paths */
	char			reason[48];
	uint16_t		n_aspath;	/* u32 words */
	uint16_t		n_communities;
	uint16_t		n_large_communities;
	uint16_t		n_ext_communities;
	uint16_t		n_cluster;
	/* VPN and VRF routes */
	uint8_t			afs;		/* AFS_* of the table */
	uint8_t			has_sid;	/* the SRv6 fields are valid */
	char			vrf[VRF_NAME_LEN];	/* VRF Loc-RIB: its name */
	rd_t			rd;	/* VPN: the prefix's; VRF: the source
					   VPN route's (0: local) */
	uint32_t		label;		/* 20-bit VPN label */
	struct in6_addr		sid;		/* the whole SID */
	uint16_t		behavior;	/* as received (0xffff ok) */
	uint8_t			structure[6];	/* LBL LNL FL AL TL TO */
};

/*
 * IMSG_CTL_SHOW_VRF reply: this fixed part, then n_import + n_export u64
 * route targets, n_ifaces names of IFNAMSIZ bytes, n_networks
 * struct srv6d_prefix.  Request payload: empty, or a VRF name.
 */
struct ctl_show_vrf {
	char		name[VRF_NAME_LEN];
	uint32_t	table;
	rd_t		rd;
	uint8_t		sid_mode;	/* enum vrf_sid_mode */
	uint8_t		net_flags;
	struct in6_addr	sid;		/* VRF_SID_EXPLICIT */
	char		locator[LOCATOR_NAME_LEN];
	char		kernel_mode[16];
	uint16_t	n_import;
	uint16_t	n_export;
	uint16_t	n_ifaces;
	uint16_t	n_networks;
	uint16_t	n_sids;		/* struct ctl_show_sid after networks */
	uint8_t		pad[2];
	uint64_t	routes4;	/* IPv4 prefixes in the VRF Loc-RIB */
	uint64_t	routes6;
	uint64_t	imported;	/* paths imported from VPN routes */
	uint64_t	exported;	/* VPN routes we originate for it */
};

/* IMSG_CTL_SHOW_SID reply: one per local SID. */
struct ctl_show_sid {
	struct in6_addr	sid;
	char		vrf[VRF_NAME_LEN];
	char		locator[LOCATOR_NAME_LEN];
	uint16_t	behavior;	/* SRV6_BEHAVIOR_* */
	uint8_t		af;		/* AF_INET, AF_INET6, AF_UNSPEC: both */
	uint8_t		has_counters;	/* counters below are valid */
	uint32_t	table;
	struct srv6d_addr nh;		/* End.DX4/DX6 next hop */
	uint64_t	routes;		/* VPN routes advertised with it */
	uint64_t	packets;	/* kernel counters (fibd) */
	uint64_t	bytes;
	uint64_t	errors;
};

/*
 * IMSG_CTL_SHOW_FIB reply: what fibd did to the kernel (fk_stats), then
 * n_errors IMSG_CTL_SHOW_FIB_ERROR, newest first, then IMSG_CTL_END.
 */
struct ctl_show_fib {
	char		kernel_mode[16];	/* "vrf", "table", or "" */
	uint64_t	sent;		/* netlink requests */
	uint64_t	acked;
	uint64_t	failed;		/* refused by the kernel */
	uint64_t	pending;	/* not answered yet */
	uint64_t	routes;		/* routes installed */
	uint64_t	sids;		/* local SIDs installed */
	uint64_t	nexthops;	/* nexthop objects */
	uint64_t	adopted;	/* found at start-up, kept */
	uint64_t	stale_removed;	/* found at start-up, removed */
	uint64_t	resyncs;	/* monitor overflows */
	uint32_t	n_errors;	/* recent refusals that follow */
	uint32_t	pad;
};

/* IMSG_CTL_SHOW_FIB_ERROR reply: one recent refusal of the kernel. */
#define CTL_FIB_WHAT_LEN	96
#define CTL_FIB_EXTACK_LEN	160
struct ctl_fib_error {
	int64_t		time;		/* time(3) */
	int32_t		error;		/* errno, > 0 */
	uint32_t	pad;
	char		what[CTL_FIB_WHAT_LEN];	/* the request */
	char		extack[CTL_FIB_EXTACK_LEN];	/* the kernel's text;
							   "": none */
};

/* IMSG_CTL_SHOW_LOCATOR reply: one per locator. */
struct ctl_show_locator {
	char		name[LOCATOR_NAME_LEN];
	struct srv6d_prefix prefix;
	uint8_t		block_len;
	uint8_t		node_len;
	uint8_t		func_len;
	uint8_t		arg_len;
	uint8_t		announce;
	uint8_t		pad[3];
	uint32_t	n_sids;		/* SIDs allocated from it */
};

/* ------------------------------------------------------------------ */
/* shared helpers (compiled into srv6d and srv6ctl)                    */

/* util.c: text forms; the *2str functions return a static buffer */
const char	*addr2str(const struct srv6d_addr *);
const char	*prefix2str(const struct srv6d_prefix *);
const char	*rd2str(rd_t);
const char	*rt2str(ext_community_t);
int		 str2addr(const char *, struct srv6d_addr *);
int		 str2prefix(const char *, struct srv6d_prefix *);
int		 str2rd(const char *, rd_t *);
int		 str2rt(const char *, ext_community_t *);
int		 addr_cmp(const struct srv6d_addr *, const struct srv6d_addr *);
int		 prefix_contains(const struct srv6d_prefix *,
		    const struct srv6d_addr *);
int		 prefix_overlaps(const struct srv6d_prefix *,
		    const struct srv6d_prefix *);
void		 prefix_mask(struct srv6d_prefix *);
const char	*neighbor_state_name(enum neighbor_state);
const char	*vrf_sid_mode_name(enum vrf_sid_mode);
const char	*kernel_mode_name(enum kernel_mode);

/* config.c: configuration memory; *_add_* return -1 with errno set */
struct srv6d_config	*config_new(void);
void		 config_free(struct srv6d_config *);
struct vrf_config	*vrf_config_new(void);
void		 vrf_config_free(struct vrf_config *);
struct neighbor_config	*neighbor_config_new(void);
void		 neighbor_config_free(struct neighbor_config *);
int		 vrf_add_import_rt(struct vrf_config *, ext_community_t);
int		 vrf_add_export_rt(struct vrf_config *, ext_community_t);
int		 vrf_add_iface(struct vrf_config *, const char *);
int		 vrf_add_network(struct vrf_config *,
		    const struct srv6d_prefix *);
int		 config_add_locator(struct srv6d_config *,
		    const struct locator_config *);
int		 config_add_listen(struct srv6d_config *,
		    const struct srv6d_addr *, uint16_t);
struct neighbor_config	*config_find_neighbor(const struct srv6d_config *,
		    const struct srv6d_addr *);
struct vrf_config	*config_find_vrf(const struct srv6d_config *,
		    const char *);
struct locator_config	*config_find_locator(const struct srv6d_config *,
		    const char *);
bool		 neighbor_config_equal(const struct neighbor_config *,
		    const struct neighbor_config *);
bool		 vrf_config_equal(const struct vrf_config *,
		    const struct vrf_config *);
bool		 locator_config_equal(const struct locator_config *,
		    const struct locator_config *);
int		 config_add_network(struct srv6d_config *,
		    const struct srv6d_prefix *);
bool		 config_has_network(const struct srv6d_config *,
		    const struct srv6d_prefix *);
bool		 networks_equal(const struct srv6d_config *,
		    const struct srv6d_config *);
struct filter_rule	*filter_rule_new(void);
void		 filter_rule_free(struct filter_rule *);
void		 filters_free(struct filter_head *);
bool		 filter_rule_equal(const struct filter_rule *,
		    const struct filter_rule *);
bool		 filters_equal(const struct filter_head *,
		    const struct filter_head *);

/* config_imsg.c: the IMSG_RECONF_* stream (CONF, items, DONE) */
int		 config_send(struct imsgbuf *, const struct srv6d_config *);
int		 config_recv(struct srv6d_config **, struct imsg *);
enum config_stream {
	CONFIG_STREAM_OTHER,	/* not a configuration imsg */
	CONFIG_STREAM_ITEM,
	CONFIG_STREAM_DONE,	/* commit *pending and ack */
	CONFIG_STREAM_ABORT,
};
enum config_stream config_stream(struct srv6d_config **, struct imsg *);

/* parse.y: NULL on any error; *errors: "FILE:LINE: message\n" lines */
struct srv6d_config	*parse_config(const char *, char **);
int		 parse_is_keyword(const char *);

/* printconf.c: the configuration in a form parse_config reads back */
void		 print_config(FILE *, const struct srv6d_config *);

#endif
