/*
 * rde_stubs: what the RDE unit tests put in place of the rest of the
 * RDE process (rde.c, rde_out.c), and helpers to make peers and
 * attribute sets.
 */
#ifndef RDE_STUBS_H
#define RDE_STUBS_H

#include "rde.h"

/* rde_out_best_changed calls seen, and the last one's arguments. */
struct best_call {
	struct rde_prefix	*pfx;
	struct rde_path		*old_best;
	struct rde_attrs	*old_attrs;
	struct rde_path		*new_best;
	struct rde_peer		*old_peer;	/* of old_best, at call time */
	struct rde_peer		*new_peer;
};
extern unsigned int	 best_calls;
extern struct best_call	 best_last;

/* rde_se_compose calls seen, and the last one. */
extern unsigned int	 se_calls;
extern uint32_t		 se_type;
extern uint32_t		 se_peerid;
extern uint8_t		 se_data[4096];
extern size_t		 se_len;

void		 stubs_reset(void);
void		 peer_init(struct rde_peer *, uint32_t, bool, uint32_t,
		    const char *, const char *);
struct rde_aspath *path_make(const uint32_t *, size_t);
struct rde_aspath *path_segs(const uint8_t *, size_t);
struct rde_attrs *attrs_make(uint32_t, const uint32_t *, size_t, uint8_t,
		    const char *);
uint8_t		*v4(const char *, uint8_t *);

#endif
