/*
 * rde_out: the outbound side of the route decision engine, beyond what
 * rde.h declares for the inbound side to call: running the pending work
 * (from the event loop, or directly in tests), showing an Adj-RIB-Out,
 * and the UPDATE builders the tests check byte by byte.
 */
#ifndef SRV6D_RDE_OUT_H
#define SRV6D_RDE_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "rde.h"

/* Prefixes a session-up dump walks per turn of the event loop. */
#define OUT_DUMP_CHUNK		8192

struct out_peer_stats {
	uint64_t	 prefixes;	/* advertised, every family */
	uint64_t	 pending;	/* queued, not sent yet */
	uint64_t	 updates;	/* UPDATE messages sent */
	uint64_t	 withdraws;	/* prefixes withdrawn */
	uint64_t	 skipped;	/* routes too big for the peer */
	uint8_t		 eor_sent;	/* AFS_*: End-of-RIB sent */
};

/* rde_out.c */
void		 rde_out_flush(void);
bool		 rde_out_busy(void);
void		 rde_out_peer_stats(const struct rde_peer *,
		    struct out_peer_stats *);
int		 rde_out_encode_attrs(struct ibuf *, const struct rde_peer *,
		    enum rde_aid, const struct rde_attrs *, uint32_t *);
/* rde_out_show with the RD of each prefix (VPN families; else 0). */
typedef void	(*rde_out_show_rd_cb)(rd_t, const struct srv6d_prefix *,
		    struct rde_attrs *, void *);
void		 rde_out_show_rd(const struct rde_peer *, enum rde_aid,
		    rde_out_show_rd_cb, void *);

#endif
