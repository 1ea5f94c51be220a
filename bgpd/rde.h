/*
 * Route decision engine: private header.
 *
 * The RDE's data, from the bottom up:
 *
 *   struct rde_aspath	an AS_PATH in 4-octet wire form, interned (one copy
 *			per distinct path, refcounted)           rde_attr.c
 *   struct rde_attrs	a whole path attribute set, interned; points to
 *			its rde_aspath                           rde_attr.c
 *   struct rde_peer	one per configured neighbor (by neighbor id) plus
 *			rde_peer_self (id 0) for our own routes  rde.c
 *   struct rde_table	one per address family (rde_families[]): a hash
 *			table of prefixes                         rde_rib.c
 *   struct rde_prefix	one prefix of a table and its paths
 *   struct rde_path	one peer's route for a prefix: the Adj-RIB-In is
 *			every path of one peer; the Loc-RIB is the best
 *			path of every prefix (always first in the list)
 *
 * Ownership: a path holds one reference on its attrs (and on its
 * pre-filter attrs when a filter changed them).  Whoever else keeps an
 * rde_attrs pointer (the Adj-RIB-Out) takes its own reference with
 * rde_attrs_ref and drops it with rde_attrs_unref.
 *
 * The outbound side (rde_out.c) is told about every change of the best
 * path of a prefix through rde_out_best_changed, about sessions through
 * rde_out_peer_up/down, and walks the Loc-RIB with rde_walk_*.
 */
#ifndef SRV6D_RDE_H
#define SRV6D_RDE_H

#include <sys/tree.h>

#include <stdbool.h>
#include <stdint.h>

#include "srv6.h"
#include "srv6d.h"

struct bgp_update;
struct rde_table;
struct imsg;

/*
 * A local SID of a VRF (rde_vrf.c): per VRF and behaviour (End.DT4,
 * End.DT6, End.DT46) or per VRF, behaviour and CE next hop (End.DX4,
 * End.DX6).  routes counts the VPN routes we advertise with it; a per-CE
 * SID lives while some route uses it.
 */
struct rde_sid {
	RB_ENTRY(rde_sid)	 entry;
	struct sid_key		 key;		/* vrf, behavior, nh */
	struct in6_addr		 sid;
	char			 locator[LOCATOR_NAME_LEN];
	uint64_t		 routes;
	uint32_t		 refs;		/* the VRF's hold + routes */
	uint32_t		 table;		/* End.DT*: the VRF's table */
};
RB_HEAD(rde_sid_tree, rde_sid);

struct rde_vrf {
	RB_ENTRY(rde_vrf)	 entry;
	char			 name[VRF_NAME_LEN];
	/* Points into rde_conf; repointed at every reload. */
	const struct vrf_config	*conf;
	time_t			 since;	/* added or changed */
	/* the VRF's Loc-RIBs, [0] IPv4, [1] IPv6 (aid AID_IPV4/AID_IPV6) */
	struct rde_table	*tables[2];
	/* per-VRF SIDs (NULL: none for that family), see rde_vrf.c */
	struct rde_sid		*sid4;
	struct rde_sid		*sid6;
	uint64_t		 imported;	/* imported paths alive */
	uint64_t		 exported;	/* VPN routes originated */
};
RB_HEAD(rde_vrf_tree, rde_vrf);
RB_PROTOTYPE(rde_vrf_tree, rde_vrf, entry, rde_vrf_cmp)

struct rde_reload_stats {
	unsigned int	 added;
	unsigned int	 changed;
	unsigned int	 removed;
	unsigned int	 kept;
};

/* ------------------------------------------------------------------ */
/* address families: adding one is adding an entry here and a table    */

enum rde_aid {
	AID_IPV4,		/* IPv4 unicast */
	AID_IPV6,		/* IPv6 unicast */
	AID_VPNV4,		/* VPN-IPv4 (AFI 1, SAFI 128) */
	AID_VPNV6,		/* VPN-IPv6 (AFI 2, SAFI 128) */
	AID_MAX
};

/*
 * A prefix key is keyoff bytes of route distinguisher (VPN families: the
 * RD in its 8-byte wire form) and then the address bytes, host bits
 * zero; the prefix length counts address bits only.
 */
struct rde_family {
	uint16_t	 afi;		/* BGP_AFI_* */
	uint8_t		 safi;		/* BGP_SAFI_* */
	uint8_t		 af;		/* AF_INET, AF_INET6 */
	uint8_t		 afs;		/* AFS_* bit */
	uint8_t		 addrlen;	/* bytes of a prefix key */
	uint8_t		 maxbits;	/* longest prefix (address bits) */
	uint8_t		 keyoff;	/* RD bytes before the address */
	const char	*name;
};
extern const struct rde_family rde_families[AID_MAX];
#define RDE_KEY_MAX	24		/* largest addrlen (VPN-IPv6) */

static inline bool
rde_aid_vpn(enum rde_aid aid)
{
	return aid == AID_VPNV4 || aid == AID_VPNV6;
}

/* The unicast family of a VPN family and back (others: themselves). */
enum rde_aid	 rde_aid_unicast(enum rde_aid);
enum rde_aid	 rde_aid_vpn_of(enum rde_aid);
/* The key of (rd, prefix) for aid; rd ignored unless a VPN family. */
void		 rde_key_make(enum rde_aid, rd_t, const struct srv6d_prefix *,
		    uint8_t *);

/* ------------------------------------------------------------------ */
/* interned attributes (rde_attr.c)                                    */

/*
 * AS_PATH, always in 4-octet wire form (segments: type, count, ASNs in
 * network order), whatever the peer spoke.  Interned by content.
 */
struct rde_aspath {
	struct rde_aspath	*hnext;		/* intern hash chain */
	uint32_t		 refcnt;
	uint32_t		 hash;
	uint16_t		 len;		/* bytes in data */
	uint16_t		 pathlen;	/* for the decision, RFC 4271
						   §9.1.2.2 a: AS_SET 1,
						   confed segments 0 */
	uint32_t		 neighbor_as;	/* first AS of a leading
						   AS_SEQUENCE, else 0 */
	uint32_t		 origin_as;	/* last AS of the last
						   AS_SEQUENCE, else 0 */
	uint8_t			 data[];
};

#define ATTR_F_MED		0x01	/* MULTI_EXIT_DISC present */
#define ATTR_F_LOCALPREF	0x02	/* LOCAL_PREF present */
#define ATTR_F_ATOMIC_AGG	0x04
#define ATTR_F_AGGREGATOR	0x08	/* aggr_as, aggr_id valid */
#define ATTR_F_ORIGINATOR	0x10	/* originator_id valid */

#define RDE_LOCALPREF_DEFAULT	100

/*
 * The SRv6 service of a route (RFC 9252): the SID as the data plane uses
 * it (transposition already undone on receipt), the behaviour as
 * received (0xffff: opaque, infer it from the family) and the structure
 * as received (zeros when absent).  The encoder sends a received SID with
 * the transposition it came with (or whole, per neighbor), and one of our
 * own (local) with its function transposed unless the neighbor says not.
 */
struct rde_srv6 {
	struct in6_addr		 sid;
	uint16_t		 behavior;
	uint8_t			 has_structure;
	struct srv6_sid_structure st;
	uint8_t			 local;		/* our own SID: the encoder
						   may transpose its function */
};
/*
 * A path attribute set.  Interned copies (from rde_attrs_intern) are
 * read-only and shared: never write to one.  The same struct, filled on
 * the stack with the array pointers aimed at any memory, is the template
 * rde_attrs_intern looks up or copies; the copy keeps its arrays in the
 * same allocation.  Arrays hold host-order values.
 *
 * `others': the optional transitive attributes we do not know, kept as
 * their raw wire bytes (flags, type, length, value; Partial set, RFC 4271
 * §5), sorted by type, to be sent on as they are.
 */
struct rde_attrs {
	struct rde_attrs	*hnext;		/* intern hash chain */
	uint32_t		 refcnt;	/* 0 in a template */
	uint32_t		 hash;
	struct rde_aspath	*aspath;	/* interned; never NULL once
						   interned (empty path ok) */
	struct srv6d_addr	 nexthop;	/* AF_UNSPEC: none */
	uint32_t		 med;
	uint32_t		 localpref;	/* the default if !LOCALPREF */
	uint32_t		 aggr_as;
	struct in_addr		 aggr_id;
	struct in_addr		 originator_id;
	uint8_t			 origin;	/* BGP_ORIGIN_* */
	uint8_t			 flags;		/* ATTR_F_* */
	uint16_t		 n_communities;
	uint16_t		 n_ext_communities;
	uint16_t		 n_large_communities;	/* triples */
	uint16_t		 n_cluster;
	uint16_t		 others_len;	/* bytes */
	/*
	 * VPN routes: the 20-bit label as received (for our own routes and
	 * SRv6 ones the encoder derives it from srv6), and the SRv6 service.
	 * Routes of one VRF share these, so they still share one set.
	 */
	uint32_t		 label;
	uint8_t			 has_srv6;
	struct rde_srv6		 srv6;
	uint64_t		*ext_communities;
	uint32_t		*communities;	/* ASN << 16 | value */
	uint32_t		*large_communities;	/* 3 words each */
	uint32_t		*cluster_list;	/* host order IPv4 ids */
	uint8_t			*others;
};

uint64_t	 rde_hash_add(uint64_t, const void *, size_t);
uint32_t	 rde_hash_final(uint64_t);
void		 rde_attr_init(void);
void		 rde_attr_shutdown(void);	/* frees the tables */
struct rde_aspath *rde_aspath_intern(const uint8_t *, size_t);
void		 rde_aspath_ref(struct rde_aspath *);
void		 rde_aspath_unref(struct rde_aspath *);
struct rde_aspath *rde_aspath_prepend(struct rde_aspath *, uint32_t,
		    unsigned int);	/* new reference, `as' n times */
bool		 rde_aspath_contains(const struct rde_aspath *, uint32_t);
/* A template: memset 0, localpref default, empty path (not interned). */
void		 rde_attrs_template(struct rde_attrs *);
/* Returns an interned copy with one reference for the caller. */
struct rde_attrs *rde_attrs_intern(const struct rde_attrs *);
void		 rde_attrs_ref(struct rde_attrs *);
void		 rde_attrs_unref(struct rde_attrs *);	/* NULL ok */
bool		 rde_attrs_equal(const struct rde_attrs *,
		    const struct rde_attrs *);
bool		 rde_attrs_has_community(const struct rde_attrs *, uint32_t);
size_t		 rde_attrs_count(void);		/* interned sets alive */
size_t		 rde_aspath_count(void);

/* ------------------------------------------------------------------ */
/* peers (rde.c)                                                       */

enum rde_peer_state {
	PEER_DOWN,
	PEER_UP,
	PEER_ERR,	/* told the SE to reset it: ignore its UPDATEs */
};

struct rde_peer {
	RB_ENTRY(rde_peer)	 entry;
	uint32_t		 id;		/* neighbor_config.id; 0: self */
	const struct neighbor_config *conf;	/* NULL for self */
	enum rde_peer_state	 state;
	struct session_up	 sess;		/* valid while PEER_UP */
	bool			 ebgp;
	uint32_t		 remote_as;
	time_t			 since;		/* state change */
	uint8_t			 eor_rcvd;	/* AFS_* seen End-of-RIB */
	/* counters (paths in the Adj-RIB-In, all families) */
	uint64_t		 prefixes_received;	/* incl. denied */
	uint64_t		 prefixes_accepted;	/* import allowed */
	uint64_t		 prefixes_best;		/* best in Loc-RIB */
	/* owned by rde_out.c */
	uint64_t		 prefixes_sent;
	void			*out;
};
RB_HEAD(rde_peer_tree, rde_peer);
RB_PROTOTYPE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)

/* ------------------------------------------------------------------ */
/* RIB (rde_rib.c)                                                     */

#define PATH_F_BEST		0x01	/* first in its prefix's list */
#define PATH_F_ELIGIBLE		0x02	/* next hop reachable etc. */
#define PATH_F_DENIED		0x04	/* import filter denied: attrs are
					   the received ones; never best */
#define PATH_F_MODIFIED		0x08	/* import filter changed attrs: the
					   received ones in rde_path_attrs_in */
#define PATH_F_STALE		0x10
#define PATH_F_VRF		0x20	/* in a VRF table: a struct rde_vrf_path */

struct rde_path {
	struct rde_path		*next;		/* in the prefix; best first */
	struct rde_peer		*peer;
	struct rde_attrs	*attrs;		/* after the import filter */
	uint32_t		 lastchange;	/* time(3), truncated */
	uint8_t			 flags;		/* PATH_F_* */
};

/*
 * A path in a VRF's Loc-RIB.  Paths imported from VPN routes are told
 * apart by the RD of the VPN route (two PEs may advertise the same
 * prefix with different RDs through one reflector); local paths have
 * peer rde_peer_self and src_rd 0.
 */
struct rde_vrf_path {
	struct rde_path		 p;
	rd_t			 src_rd;
};

/*
 * A prefix: the key (family, length, address bytes with host bits zero)
 * and its paths.  Allocated from a per-family pool: 24 bytes for IPv4.
 */
struct rde_prefix {
	struct rde_prefix	*hnext;		/* table hash chain */
	struct rde_path		*paths;
	uint8_t			 aid;		/* enum rde_aid */
	uint8_t			 len;
	uint8_t			 addr[];	/* rde_families[aid].addrlen */
};

struct rde_table {
	enum rde_aid		 aid;
	struct rde_vrf		*vrf;		/* NULL: a global table */
	struct rde_prefix	**buckets;
	size_t			 mask;		/* buckets - 1 (power of 2) */
	size_t			 count;		/* prefixes */
	unsigned int		 walkers;	/* no resize while > 0 */
};

/* The global tables, one per family. */
extern struct rde_table	 rde_tables[AID_MAX];

/* What rde_rib_update did, for counters. */
enum rde_rib_change {
	RIB_NOCHANGE,
	RIB_ADDED,
	RIB_REPLACED,
	RIB_REMOVED,
};

void		 rde_rib_init(void);
void		 rde_rib_shutdown(void);	/* frees every table */
/* A VRF's table (empty); rde_table_free withdraws nothing: empty it
 * first with rde_table_flush, which runs the decision for each prefix. */
struct rde_table *rde_table_new(enum rde_aid, struct rde_vrf *);
void		 rde_table_flush(struct rde_table *);
void		 rde_table_free(struct rde_table *);
struct rde_prefix *rde_prefix_find(struct rde_table *, const uint8_t *,
		    uint8_t);
struct rde_prefix *rde_prefix_match(struct rde_table *, const uint8_t *,
		    uint8_t);		/* longest match covering */
void		 rde_prefix_get(const struct rde_prefix *,
		    struct srv6d_prefix *);	/* the address part */
rd_t		 rde_prefix_rd(const struct rde_prefix *);	/* 0: not VPN */
struct rde_path	*rde_prefix_best(const struct rde_prefix *); /* or NULL */
struct rde_path	*rde_path_find(const struct rde_prefix *,
		    const struct rde_peer *);	/* src_rd 0 */
struct rde_path	*rde_path_find_rd(const struct rde_prefix *,
		    const struct rde_peer *, rd_t);
rd_t		 rde_path_src_rd(const struct rde_path *);	/* 0: none */
/* The attributes as received (before the import filter). */
struct rde_attrs *rde_path_attrs_in(const struct rde_path *);
/*
 * Add or replace the path of peer for prefix: in = as received, out =
 * after the import filter (NULL: denied).  Takes its own references.
 * Runs the decision process and calls rde_out_best_changed.
 */
enum rde_rib_change rde_rib_update(struct rde_table *, struct rde_peer *,
		    const uint8_t *, uint8_t, struct rde_attrs *,
		    struct rde_attrs *);
enum rde_rib_change rde_rib_withdraw(struct rde_table *, struct rde_peer *,
		    const uint8_t *, uint8_t);
/* The same in a VRF table, for the path imported from src_rd. */
enum rde_rib_change rde_rib_update_rd(struct rde_table *, struct rde_peer *,
		    rd_t, const uint8_t *, uint8_t, struct rde_attrs *,
		    struct rde_attrs *);
enum rde_rib_change rde_rib_withdraw_rd(struct rde_table *, struct rde_peer *,
		    rd_t, const uint8_t *, uint8_t);
/* Check eligibility and run the decision again for one prefix. */
void		 rde_prefix_redecide(struct rde_table *, struct rde_prefix *);
/* Remove every path of the peer from every table (session down). */
void		 rde_rib_peer_flush(struct rde_peer *);
size_t		 rde_rib_paths(void);		/* paths alive, for tests */

/*
 * Walking a table.  rde_rib_walk does it all at once.  A chunked walk
 * (for dumps that must not block the event loop) keeps its place in a
 * struct rde_walk: rde_walk_step visits about n prefixes and returns 1
 * while more remain, 0 when done (then rde_walk_end is implied; call
 * rde_walk_end only to abandon a walk early).  The table does not resize
 * while walked, and prefixes added between steps may or may not be seen.
 * The callback may remove the prefix it is given (by withdrawing its
 * paths), no other.
 */
typedef void	(*rde_walk_cb)(struct rde_table *, struct rde_prefix *,
		    void *);
struct rde_walk {
	struct rde_table	*table;
	size_t			 bucket;	/* next bucket to visit */
	bool			 active;
};
void		 rde_rib_walk(struct rde_table *, rde_walk_cb, void *);
void		 rde_walk_start(struct rde_walk *, struct rde_table *);
int		 rde_walk_step(struct rde_walk *, size_t, rde_walk_cb, void *);
void		 rde_walk_end(struct rde_walk *);

#define RDE_PATH_FOREACH(p, pfx)	\
	for ((p) = (pfx)->paths; (p) != NULL; (p) = (p)->next)

/* ------------------------------------------------------------------ */
/* decision process (rde_decide.c)                                     */

/*
 * Who we are, with the configuration's defaults applied (rde.c sets it
 * at every reload; tests fill it in).
 */
struct rde_self {
	uint32_t	 as;
	struct in_addr	 router_id;
	struct in_addr	 cluster_id;	/* the router id unless configured */
	uint8_t		 flags;		/* CONF_F_* */
	const struct filter_head *filters;	/* NULL: none */
};
extern struct rde_self	 rde_self;

/* <0: a is better, >0: b is better; *reason: the step that decided. */
int		 rde_decide_cmp(const struct rde_path *,
		    const struct rde_path *, const char **);
bool		 rde_nexthop_reachable(const struct srv6d_addr *);
void		 rde_local_addr_clear(void);	/* our own addresses: */
void		 rde_local_addr_add(const struct srv6d_addr *);	/* never NH */
bool		 rde_path_eligible(const struct rde_path *);
/*
 * Choose the best path of the prefix again and move it first; calls
 * rde_best_changed (and returns true) when the best path, or its
 * attributes, changed.
 * old_attrs: the attrs the previous best path had (NULL: none), kept
 * valid by the caller across the call.
 */
bool		 rde_decide(struct rde_table *, struct rde_prefix *,
		    struct rde_path *, struct rde_attrs *);	/* changed */

/* ------------------------------------------------------------------ */
/* filters (rde_filter.c)                                              */

/*
 * Run the rules of dir for a route of prefix to/from peer.  Returns
 * FILTER_ALLOW or FILTER_DENY; with ALLOW, *out is an interned set with a
 * reference for the caller (in itself, re-referenced, when no `set'
 * applied).
 */
enum filter_action rde_filter_apply(const struct filter_head *,
		    enum filter_dir, const struct rde_peer *,
		    const struct srv6d_prefix *, struct rde_attrs *,
		    struct rde_attrs **);
/* The same; *nexthop_self tells whether a `set nexthop self' applied. */
enum filter_action rde_filter_apply_nh(const struct filter_head *,
		    enum filter_dir, const struct rde_peer *,
		    const struct srv6d_prefix *, struct rde_attrs *,
		    struct rde_attrs **, bool *);
/* True if some rule of dir looks at the prefix (else one run per set). */
bool		 rde_filter_uses_prefix(const struct filter_head *,
		    enum filter_dir);

/* ------------------------------------------------------------------ */
/* UPDATE in (rde_update.c)                                            */

/*
 * Handle one received UPDATE (the whole message, header included) from
 * peer.  Errors are handled per RFC 7606; a session reset is sent to the
 * SE as IMSG_UPDATE_ERR and the peer goes PEER_ERR.
 */
void		 rde_update(struct rde_peer *, const uint8_t *, size_t);
/* RFC 4486 max-prefix check after a prefix was accepted. */
bool		 rde_update_maxprefix(struct rde_peer *, enum rde_aid);

/* ------------------------------------------------------------------ */
/* rde.c                                                               */

extern struct rde_vrf_tree	 rde_vrfs;
extern struct srv6d_config	*rde_conf;
extern struct rde_peer_tree	 rde_peers;
extern struct rde_peer		 rde_peer_self;

void		 rde_main(int, int) __attribute__((noreturn));
void		 rde_init(int, int);	/* tests: parent fd, SE fd */
void		 rde_shutdown(void);
struct rde_vrf	*rde_vrf_find(struct rde_vrf_tree *, const char *);
void		 rde_vrf_tree_clear(struct rde_vrf_tree *);
void		 rde_apply_config(struct rde_vrf_tree *,
		    const struct srv6d_config *, struct rde_reload_stats *);
struct rde_peer	*rde_peer_find(uint32_t);
/* rde_self's fields, for the outbound side. */
uint32_t	 rde_local_as(void);
struct in_addr	 rde_router_id(void);
struct in_addr	 rde_cluster_id(void);
/* Queue an imsg to the session engine (fatal if it cannot). */
void		 rde_se_compose(uint32_t, uint32_t, const void *, size_t);

/* ------------------------------------------------------------------ */
/* VRFs, VPN import/export, SIDs, FIB batches (rde_vrf.c)              */

/*
 * rde_decide's single exit: the best path of pfx in t changed (arguments
 * as for rde_out_best_changed).  Global and VPN tables go to the peers
 * (rde_out_best_changed); VPN tables are also imported into the VRFs
 * whose import targets match; a VRF table exports its own routes as VPN
 * routes and tells the parent what to install.
 */
void		 rde_best_changed(struct rde_table *, struct rde_prefix *,
		    struct rde_path *, struct rde_attrs *, struct rde_path *);
void		 rde_vrf_paths_changed(struct rde_table *,
		    struct rde_prefix *);
/* The VPN route a VRF's own route is exported as (its SID), or NULL. */
const struct rde_attrs *rde_vrf_exported(const struct rde_vrf *,
		    const struct rde_table *, const struct rde_prefix *);
extern enum kernel_mode	 rde_kernel_mode;
/* The configuration changed (after rde_apply_config and peers/self). */
void		 rde_vrf_reload(void);
/* Routes the parent found in VRF tables (IMSG_KROUTES). */
void		 rde_vrf_kroutes(const void *, size_t);
/* Send what is batched for the parent (end of every event). */
void		 rde_fib_flush(void);
/* Tell the parent once when every neighbor sent its End-of-RIBs. */
void		 rde_fib_synced_check(void);
/* Every local SID, for show sid and show vrf. */
typedef void	(*rde_sid_cb)(const struct rde_sid *, uint16_t, uint32_t,
		    void *);
void		 rde_sid_foreach(const struct rde_vrf *, rde_sid_cb, void *);
uint32_t	 rde_locator_sids(const char *);	/* SIDs of a locator */
void		 rde_vrf_shutdown(void);
/* Queue an imsg to the parent (fatal if it cannot). */
void		 rde_parent_compose(uint32_t, const void *, size_t);

/* ------------------------------------------------------------------ */
/* outbound side (rde_out.c), called by the inbound side               */

/*
 * The best path of prefix in table changed: old_best (NULL: there was
 * none) had old_attrs, new_best (NULL: no best path now) has its attrs.
 * old_best == new_best when only its attributes changed.  old_best and
 * old_attrs are valid during the call only (a withdrawn path is freed
 * afterwards).
 */
void		 rde_out_best_changed(struct rde_table *, struct rde_prefix *,
		    struct rde_path *, struct rde_attrs *, struct rde_path *);
/* The session came up (send the table, End-of-RIB) / went down. */
void		 rde_out_peer_up(struct rde_peer *);
void		 rde_out_peer_down(struct rde_peer *);
/* IMSG_REFRESH from the peer: send it the family again. */
void		 rde_out_refresh(struct rde_peer *, const struct session_refresh *);
/* After a reload was committed (networks, filters may have changed). */
void		 rde_out_reload(void);
/* For show rib out (also in rde_out.h). */
typedef void	(*rde_out_show_cb)(const struct srv6d_prefix *,
		    struct rde_attrs *, void *);
void		 rde_out_show(const struct rde_peer *, enum rde_aid,
		    rde_out_show_cb, void *);
void		 rde_out_shutdown(void);

#endif
