/*
 * fib_msg.h: the batches of kernel state that cross between the RDE and
 * the parent (IMSG_FIB_ROUTES, IMSG_FIB_SIDS, IMSG_KROUTES; the records
 * are in srv6d.h).  Readers that validate every record, and a writer that
 * packs records back to back into imsg-sized batches.  This header needs
 * nothing but srv6d.h, so the RDE may use the writer without seeing the
 * rest of fibd.
 */
#ifndef FIB_MSG_H
#define FIB_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "srv6d.h"

/* Largest batch payload: one imsg. */
#define FIB_BATCH_MAX		(MAX_IMSGSIZE - IMSG_HEADER_SIZE)

/*
 * Readers: take the record at *off of buf[0..len), check it and copy it
 * out (a route with its next hops into nh[0..n_nexthops)).  1: a record,
 * *off advanced past it; 0: the end (*off == len); -1: malformed, *off
 * unchanged and *why (if not NULL) saying what is wrong.
 *
 * A route: op FIB_ADD with 1..FIB_NEXTHOPS_MAX next hops, or FIB_DEL with
 * none; an IPv4 or IPv6 prefix of a length valid for its family and no
 * host bits; table not 0; the VRF name NUL-terminated.  Each next hop: a
 * SID other than ::, a gateway of either family or none.
 * A SID: op, a SID other than ::, End.DT4/DT6/DT46 with a table,
 * End.DX4 with an IPv4 or End.DX6 with an IPv6 next hop; names
 * NUL-terminated.  The same rules hold for FIB_DEL.
 * A kroute: op, type KROUTE_CONNECTED or KROUTE_KERNEL, a valid prefix,
 * table not 0, a gateway of either family or none.
 */
int		 fib_route_next(const void *, size_t, size_t *,
		    struct fib_route *, struct fib_nexthop *, const char **);
int		 fib_sid_next(const void *, size_t, size_t *, struct fib_sid *,
		    const char **);
int		 kroute_next(const void *, size_t, size_t *, struct kroute *,
		    const char **);
/* The same checks on one record in memory: NULL if good, else why. */
const char	*fib_route_check(const struct fib_route *,
		    const struct fib_nexthop *);
const char	*fib_sid_check(const struct fib_sid *);
const char	*kroute_check(const struct kroute *);

/*
 * Writer.  A batch holds records of one imsg type, at most FIB_BATCH_MAX
 * bytes.  When the next record does not fit, flush(type, data, len, arg)
 * is called with what is there (the caller composes the imsg) and the
 * batch starts again empty.  The add functions check the record with the
 * rules above: -1 with EINVAL if it is malformed (nothing added), -1 with
 * ENOMEM if memory runs out, -1 with ERANGE if the batch is full and
 * there is no flush function.  fib_batch_flush hands over what is left
 * (nothing if empty; without a flush function it only empties the batch:
 * tests read buf and len first); fib_batch_free frees the buffer.
 */
typedef void	(*fib_flush_cb)(uint32_t, const void *, size_t, void *);

struct fib_batch {
	uint32_t	 type;		/* IMSG_FIB_ROUTES, _SIDS, IMSG_KROUTES */
	uint8_t		*buf;
	size_t		 len;
	size_t		 size;		/* allocated */
	size_t		 count;		/* records in buf */
	fib_flush_cb	 flush;
	void		*arg;
};

void		 fib_batch_init(struct fib_batch *, uint32_t, fib_flush_cb,
		    void *);
int		 fib_batch_add_route(struct fib_batch *,
		    const struct fib_route *, const struct fib_nexthop *);
int		 fib_batch_add_sid(struct fib_batch *, const struct fib_sid *);
int		 fib_batch_add_kroute(struct fib_batch *, const struct kroute *);
void		 fib_batch_flush(struct fib_batch *);
void		 fib_batch_free(struct fib_batch *);

/* "vrf", "table", or "" for KERNEL_MODE_UNKNOWN (show summary, show vrf). */

#endif
