/*
 * Route decision engine: private header.  For now the RDE keeps the VRFs
 * and locators of the configuration; the RIBs, the decision process and
 * SID allocation come in later issues and hang on struct rde_vrf.
 */
#ifndef SRV6D_RDE_H
#define SRV6D_RDE_H

#include <sys/tree.h>

#include "srv6d.h"

struct rde_vrf {
	RB_ENTRY(rde_vrf)	 entry;
	char			 name[VRF_NAME_LEN];
	/* Points into rde_conf; repointed at every reload. */
	const struct vrf_config	*conf;
	time_t			 since;	/* added or changed */
};
RB_HEAD(rde_vrf_tree, rde_vrf);
RB_PROTOTYPE(rde_vrf_tree, rde_vrf, entry, rde_vrf_cmp)

struct rde_reload_stats {
	unsigned int	 added;
	unsigned int	 changed;
	unsigned int	 removed;
	unsigned int	 kept;
};

/* rde.c */
extern struct rde_vrf_tree	 rde_vrfs;
extern struct srv6d_config	*rde_conf;

void		 rde_main(int, int) __attribute__((noreturn));
struct rde_vrf	*rde_vrf_find(struct rde_vrf_tree *, const char *);
void		 rde_vrf_tree_clear(struct rde_vrf_tree *);
void		 rde_apply_config(struct rde_vrf_tree *,
		    const struct srv6d_config *, struct rde_reload_stats *);

#endif
