/*
 * fib.h: the parent's kernel interface (fibd).  It never sees the session
 * engine's or the RDE's headers: what it knows of them is the imsg
 * records of srv6d.h, read and written by fib_msg.c.
 */
#ifndef FIB_H
#define FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib_msg.h"
#include "srv6d.h"

/* Environment variable that overrides the kernel mode probe. */
#define KMODE_ENV		"SRV6D_KERNEL_MODE"

/*
 * kmode.c: which kernel mode to run in (DESIGN.md "Kernel modes").
 * kmode_parse: the override's value, "vrf", "table", "auto" or NULL
 * (auto: *m = KERNEL_MODE_UNKNOWN); -1 for anything else.
 * kmode_detect: the forced mode, or else the probe's answer, logged in one
 * line; never KERNEL_MODE_UNKNOWN.  kmode_probe: can this network
 * namespace have VRF devices?  KERNEL_MODE_VRF or KERNEL_MODE_TABLE;
 * *err is 0, or the errno that decided (or that stopped the probe).
 */
int		 kmode_parse(const char *, enum kernel_mode *);
enum kernel_mode kmode_detect(enum kernel_mode);
enum kernel_mode kmode_probe(int *, char *, size_t);
const char	*kmode_describe(enum kernel_mode);

/*
 * fib_state.c: what the RDE asked the kernel to hold, keyed as the kernel
 * keys it: routes by table and prefix, SIDs by address.  An add replaces
 * the entry with the same key, a delete removes it.
 */
enum fib_change {
	FIB_CHANGE_NONE,	/* delete of an entry not held */
	FIB_CHANGE_ADDED,
	FIB_CHANGE_REPLACED,	/* held, now different */
	FIB_CHANGE_SAME,	/* held exactly so already */
	FIB_CHANGE_DELETED,
};

struct fib_state;

struct fib_state	*fib_state_new(void);
void		 fib_state_free(struct fib_state *);
/* r and nh as checked by fib_route_check / fib_sid_check. */
enum fib_change	 fib_state_route(struct fib_state *, const struct fib_route *,
		    const struct fib_nexthop *);
enum fib_change	 fib_state_route_old(struct fib_state *,
		    const struct fib_route *, const struct fib_nexthop *,
		    struct fib_route *, struct fib_nexthop *);
enum fib_change	 fib_state_sid(struct fib_state *, const struct fib_sid *);
/*
 * The route held for table/prefix copied to *r, its next hops to nh
 * (room for FIB_NEXTHOPS_MAX, or NULL); false if none is held.
 */
bool		 fib_state_route_get(const struct fib_state *, uint32_t,
		    const struct srv6d_prefix *, struct fib_route *,
		    struct fib_nexthop *);
/*
 * Every route (with its next hops) or SID held, in no particular order;
 * the callback must not change the state.
 */
typedef void	(*fib_route_walk_cb)(const struct fib_route *,
		    const struct fib_nexthop *, void *);
typedef void	(*fib_sid_walk_cb)(const struct fib_sid *, void *);
void		 fib_state_route_walk(const struct fib_state *,
		    fib_route_walk_cb, void *);
void		 fib_state_sid_walk(const struct fib_state *, fib_sid_walk_cb,
		    void *);
/* A hint: the route's entry will be looked up soon. */
void		 fib_state_route_prefetch(const struct fib_state *, uint32_t,
		    const struct srv6d_prefix *);
/* Distinct VRF + next hop sets the routes share. */
size_t		 fib_state_npathsets(const struct fib_state *);
const struct fib_sid *fib_state_sid_find(const struct fib_state *,
		    const struct in6_addr *);
/* Routes held in one table for af (AF_UNSPEC: both). */
size_t		 fib_state_table_routes(const struct fib_state *, uint32_t,
		    int);
size_t		 fib_state_nroutes(const struct fib_state *);
size_t		 fib_state_ntables(const struct fib_state *);
size_t		 fib_state_nsids(const struct fib_state *);

/*
 * fib.c: the batches from the RDE.  fib_apply_routes / fib_apply_sids
 * check the whole batch first and apply nothing from a malformed one
 * (-1, *why says what is wrong); each record is logged at debug level.
 * fib_init / fib_shutdown hold the parent's state; fib_imsg_* apply a
 * batch to it, hand each change to fib_kernel.c and log the totals.
 */
struct fib_stats {
	size_t		 records;
	size_t		 added;
	size_t		 replaced;
	size_t		 same;
	size_t		 deleted;
	size_t		 unknown;	/* deletes of entries not held */
};

int		 fib_apply_routes(struct fib_state *, const void *, size_t,
		    struct fib_stats *, const char **);
int		 fib_apply_sids(struct fib_state *, const void *, size_t,
		    struct fib_stats *, const char **);
void		 fib_init(enum kernel_mode);
void		 fib_shutdown(void);
enum kernel_mode fib_kernel_mode(void);
int		 fib_imsg_routes(const void *, size_t, const char **);
/* The parent's state walked (fib_kernel.c repairs the kernel from it). */
void		 fib_walk_routes(fib_route_walk_cb, void *);
void		 fib_walk_sids(fib_sid_walk_cb, void *);
int		 fib_imsg_sids(const void *, size_t, const char **);

/*
 * fib_kernel.c: the kernel made to hold the fib_state (see there).
 * fk_start after event_init; out gets the batches of struct kroute for
 * the RDE.  fk_route / fk_sid: one record as the RDE sent it, with the
 * route it replaces (NULL: none) or whether it replaces a SID held;
 * fk_commit at the end of a batch sends
 * what is queued; fk_synced when the RDE has its initial routes.
 */
typedef void	(*fk_kroute_cb)(uint32_t, const void *, size_t);

struct fk_stats {
	uint64_t	 sent;		/* requests */
	uint64_t	 acked;
	uint64_t	 failed;	/* refused by the kernel (logged) */
	uint64_t	 routes;	/* routes installed */
	uint64_t	 sids;
	uint64_t	 adopted;	/* found installed at start, kept */
	uint64_t	 stale_removed;
	uint64_t	 resyncs;	/* notifications lost */
	size_t		 pending;	/* requests not answered yet */
	size_t		 nexthops;	/* nexthop objects */
};

/*
 * fk_fail.c: the last FK_FAIL_MAX refusals of the kernel (every one is
 * also logged and counted in fk_stats.failed); fk_fail_get(0) is the
 * newest, NULL past the oldest held.
 */
#define FK_FAIL_MAX		32
#define FK_FAIL_WHAT_LEN	96
#define FK_FAIL_EXTACK_LEN	160
struct fk_fail {
	int64_t		 time;		/* time(3) */
	int		 error;		/* errno */
	char		 what[FK_FAIL_WHAT_LEN];	/* the request */
	char		 extack[FK_FAIL_EXTACK_LEN];	/* "": none */
};

int		 fk_start(enum kernel_mode, const struct srv6d_config *,
		    fk_kroute_cb);
void		 fk_reconfig(const struct srv6d_config *,
		    const struct srv6d_config *);
void		 fk_route(const struct fib_route *, const struct fib_nexthop *,
		    const struct fib_route *, const struct fib_nexthop *);
void		 fk_sid(const struct fib_sid *, bool);
void		 fk_commit(void);
void		 fk_synced(void);
void		 fk_stop(void);
void		 fk_stats(struct fk_stats *);
size_t		 fk_fail_count(void);
const struct fk_fail *fk_fail_get(size_t);
/* Each local SID's kernel counters: sid, packets, bytes, errors. */
typedef void	(*fk_counter_cb)(const struct in6_addr *, uint64_t, uint64_t,
		    uint64_t, void *);
void		 fk_sid_counters(fk_counter_cb, void *);

#endif
