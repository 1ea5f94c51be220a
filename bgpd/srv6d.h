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
};
TAILQ_HEAD(neighbor_head, neighbor_config);

struct listen_config {
	TAILQ_ENTRY(listen_config) entry;
	struct srv6d_addr	 addr;
	uint16_t		 port;
};
TAILQ_HEAD(listen_head, listen_config);

struct srv6d_config {
	uint32_t		 as;
	struct in_addr		 router_id;	/* 0.0.0.0: derive */
	uint16_t		 holdtime;
	struct srv6d_addr	 encap_source;	/* AF_UNSPEC: unset */
	struct locator_config	*locators;
	size_t			 n_locators;
	struct listen_head	 listens;
	struct vrf_head		 vrfs;
	struct neighbor_head	 neighbors;
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
	/* configuration stream, parent -> children, and the acks */
	IMSG_RECONF_CONF,
	IMSG_RECONF_LOCATOR,
	IMSG_RECONF_LISTEN,
	IMSG_RECONF_VRF,
	IMSG_RECONF_NEIGHBOR,
	IMSG_RECONF_DONE,	/* parent -> child: end; child -> parent: ack */
	IMSG_RECONF_ABORT,
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
	uint16_t	holdtime;
	uint8_t		flags;		/* NEIGH_F_* */
	uint8_t		afs;
	uint8_t		md5;		/* a password is set */
	uint8_t		state;		/* enum neighbor_state */
	int64_t		state_since;	/* time(3) of the last change */
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

/* config_imsg.c: the IMSG_RECONF_* stream (CONF, items, DONE) */
int		 config_send(struct imsgbuf *, const struct srv6d_config *);
int		 config_recv(struct srv6d_config **, struct imsg *);

/* parse.y: NULL on any error; *errors: "FILE:LINE: message\n" lines */
struct srv6d_config	*parse_config(const char *, char **);
int		 parse_is_keyword(const char *);

/* printconf.c: the configuration in a form parse_config reads back */
void		 print_config(FILE *, const struct srv6d_config *);

#endif
