/*
 * fk.h: private header of fib_kernel.c and its fk_*.c parts, the
 * parent's kernel programming.  The state is one struct and a few trees,
 * defined in fib_kernel.c; the prototypes below are grouped by the file
 * that defines them (the map of fibd's kernel side).
 */
#ifndef FK_H
#define FK_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/tree.h>

#include <net/if.h>
#include <event.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fib.h"
#include "nl_msg.h"
#include "nl_sock.h"

#define FK_MSG_MAX	8192		/* one request */

/* A nexthop object: the seg6 encapsulation towards one remote SID. */
struct fk_nh {
	RB_ENTRY(fk_nh)		 entry;		/* by sid */
	struct in6_addr		 sid;
	uint32_t		 id;
	uint32_t		 refs;		/* routes and groups using it */
	uint32_t		 oif;		/* 0: not made yet */
	bool			 adopted;	/* found at start-up */
	bool			 lost;		/* the kernel removed it */
};
RB_HEAD(fk_nh_tree, fk_nh);

/* A nexthop group: ECMP across several remote SIDs. */
struct fk_grp {
	RB_ENTRY(fk_grp)	 entry;		/* by members */
	uint8_t			 n;
	uint32_t		 members[FIB_NEXTHOPS_MAX];	/* sorted ids */
	uint32_t		 id;
	uint32_t		 refs;
	bool			 lost;		/* the kernel removed it */
};
RB_HEAD(fk_grp_tree, fk_grp);

/* A link we know of (dump at start, then the monitor). */
struct fk_link {
	RB_ENTRY(fk_link)	 entry;		/* by ifindex */
	uint32_t		 ifindex;
	char			 name[IFNAMSIZ];
	bool			 up;		/* IFF_UP */
	bool			 carrier;	/* IFF_LOWER_UP */
	bool			 loopback;
	uint32_t		 master;
	char			 kind[16];
};
RB_HEAD(fk_link_tree, fk_link);

/* An interface address (for table mode's connected routes, End.DX4). */
struct fk_addr {
	RB_ENTRY(fk_addr)	 entry;
	uint32_t		 ifindex;
	struct srv6d_prefix	 prefix;	/* the address and its length */
};
RB_HEAD(fk_addr_tree, fk_addr);

/*
 * Something of ours in the kernel that an earlier run left (start-up) or
 * that we installed: a route (table, dst), told by what it points to.
 */
struct fk_old {
	RB_ENTRY(fk_old)	 entry;
	uint32_t		 table;
	struct srv6d_prefix	 dst;
	uint32_t		 nh_id;		/* via a nexthop object */
	struct srv6d_addr	 gateway;	/* a plain route's */
	uint8_t			 type;		/* RTN_* */
	uint32_t		 priority;
	bool			 is_sid;	/* a seg6local route */
	struct nl_seg6local	 sl;
	uint32_t		 oif;
};
RB_HEAD(fk_old_tree, fk_old);

struct fk_rule {
	TAILQ_ENTRY(fk_rule)	 entry;
	struct nl_rule		 r;
	bool			 wanted;
};
TAILQ_HEAD(fk_rule_head, fk_rule);

/* The kernel side's state: one, fk, in fib_kernel.c. */
struct fk_state {
	bool			 up;
	enum kernel_mode	 mode;
	const struct srv6d_config *conf;
	struct nl_conn		*conn;
	struct nl_sync		*sync;
	struct nl_monitor	*mon;
	bool			 mon_routes;	/* in the route groups */
	uint16_t		 seg6_family;	/* SEG6 generic netlink id */
	uint32_t		 next_id;	/* nexthop object ids */
	bool			 syncing;	/* old objects kept meanwhile */
	bool			 per_route;	/* no seg6 nexthop objects */
	struct event		 sync_ev;
	fk_kroute_cb		 kroute_out;
	/*
	 * For the log (and the benchmark): a load starts with the first
	 * request after 2 s without any and is reported, when its requests
	 * are all answered, if it was big.
	 */
	struct timespec		 load_start;
	struct timespec		 last_drain;
	uint64_t		 load_sent;
	uint64_t		 burst_sent;	/* since the last drain */
	struct fib_batch	 kroutes;
	struct fk_stats		 st;
	uint8_t			 buf[FK_MSG_MAX];
};

RB_PROTOTYPE(fk_nh_tree, fk_nh, entry, nh_cmp)
RB_PROTOTYPE(fk_grp_tree, fk_grp, entry, grp_cmp)
RB_PROTOTYPE(fk_link_tree, fk_link, entry, link_cmp)
RB_PROTOTYPE(fk_addr_tree, fk_addr, entry, addr_entry_cmp)
RB_PROTOTYPE(fk_old_tree, fk_old, entry, old_cmp)

/* fib_kernel.c */
extern struct fk_state		 fk;
extern struct fk_nh_tree	 fk_nhs;
extern struct fk_grp_tree	 fk_grps;
extern struct fk_link_tree	 fk_links;
extern struct fk_addr_tree	 fk_addrs;
extern struct fk_old_tree	 fk_olds;
extern struct fk_rule_head	 fk_rules;
void		 fk_send_ok(const struct nlmsghdr *, const char *, int);
void		 fk_send(const struct nlmsghdr *, const char *);
struct nlmsghdr	*fk_route_key_msg(uint16_t, uint32_t,
		    const struct srv6d_prefix *, uint32_t, uint8_t, uint32_t);
struct nlmsghdr	*fk_route_nhid_msg(uint16_t, uint32_t,
		    const struct srv6d_prefix *, uint32_t);
void		 fk_dump_all(uint16_t, uint8_t, nl_msg_cb, void *);
void		 fk_dump_ours(uint8_t, uint32_t, nl_msg_cb, void *);

/* fk_fail.c (its readers are in fib.h) */
void		 fk_fail_record(int64_t, const char *, int, const char *);
void		 fk_fail_clear(void);

/* fk_monitor.c */
void		 fk_kroute_report(uint8_t, uint8_t, uint32_t,
		    const struct srv6d_prefix *, const struct srv6d_addr *,
		    uint32_t);
void		 fk_kernel_scan(void);
void		 fk_kernel_scan_links(void);
bool		 fk_monitor_wants_routes(const struct srv6d_config *);
int		 fk_monitor_open(void);

/* fk_nexthop.c */
uint32_t	 fk_resolve_oif(const struct in6_addr *);
void		 fk_nh_program(struct fk_nh *);
void		 fk_nh_delete(uint32_t);
struct fk_nh	*fk_nh_find(const struct in6_addr *);
uint32_t	 fk_paths_get(const struct fib_route *,
		    const struct fib_nexthop *);
void		 fk_paths_put(const struct fib_route *,
		    const struct fib_nexthop *);
bool		 fk_nexthop_probe(void);
size_t		 fk_nh_restore(const uint32_t *, size_t);
bool		 fk_paths_lost(const struct fib_route *,
		    const struct fib_nexthop *);
void		 fk_nh_lost_clear(void);

/* fk_repair.c: what brought the kernel's state into question */
#define FK_REPAIR_ROUTING	0x0	/* the routing towards SIDs changed */
#define FK_REPAIR_LOSS		0x1	/* a device went down, away, or lost
					   its carrier */
#define FK_REPAIR_GAIN		0x2	/* a device came up or got it back */
void		 fk_repair_init(void);
void		 fk_repair_schedule(int);
void		 fk_repair_stop(void);

/* fk_reconcile.c */
struct fk_old	*fk_old_find(uint32_t, const struct srv6d_prefix *);
void		 fk_old_remove(struct fk_old *);
bool		 fk_old_adopt_route(uint32_t, const struct srv6d_prefix *,
		    uint32_t, const struct srv6d_addr *, uint32_t);
bool		 fk_old_adopt_conn(uint32_t, const struct srv6d_prefix *,
		    uint32_t);
void		 fk_old_scan(void);
void		 fk_sync_timeout(int, short, void *);

/* fk_sid.c */
void		 fk_sid_install(const struct fib_sid *);
void		 fk_sid_dx4_host(const struct fib_sid *, uint16_t);

/* fk_vrf.c */
struct fk_link	*fk_link_by_name(const char *);
struct fk_link	*fk_link_by_index(uint32_t);
uint32_t	 fk_link_any(void);
const struct vrf_config *fk_vrf_of_iface(const char *);
const struct vrf_config *fk_vrf_by_name(const char *);
const struct vrf_config *fk_vrf_by_table(uint32_t);
void		 fk_conn_route(const struct fk_addr *, uint32_t, bool);
void		 fk_addr_report(const struct fk_addr *, uint8_t);
void		 fk_addr_update(const struct nl_addr *, bool);
uint32_t	 fk_addr_subnet_of(const struct in_addr *, bool *);
void		 fk_link_update(const struct nl_link *, bool);
void		 fk_rule_send(const struct nl_rule *, uint16_t);
void		 fk_rules_sync(void);
void		 fk_devices_sync(const struct srv6d_config *);
void		 fk_tunsrc_set(void);
void		 fk_sysctls(void);

#endif /* FK_H */
