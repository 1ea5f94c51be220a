/*
 * Session engine: private header.  The SE keeps one struct peer per
 * configured neighbor (the BGP FSM will hang on it) and serves the control
 * socket (control.c).
 */
#ifndef SRV6D_SESSION_H
#define SRV6D_SESSION_H

#include <sys/tree.h>
#include <sys/types.h>

#include <stdbool.h>
#include <time.h>

#include "imsg.h"
#include "srv6d.h"

struct peer {
	RB_ENTRY(peer)		 entry;
	struct neighbor_config	 conf;	/* a copy; entry unused */
	uint32_t		 id;
	enum neighbor_state	 state;
	time_t			 state_since;
};
RB_HEAD(peer_tree, peer);
RB_PROTOTYPE(peer_tree, peer, entry, peer_cmp)

/* What a reload did to the neighbor table (for logs and tests). */
struct session_reload_stats {
	unsigned int	 added;
	unsigned int	 changed;
	unsigned int	 removed;
	unsigned int	 kept;
};

/* session.c */
extern struct peer_tree		 se_peers;
extern struct srv6d_config	*se_conf;	/* NULL until the first */
extern time_t			 se_started;
extern time_t			 se_reloaded;	/* 0: never */

void		 session_main(int, int) __attribute__((noreturn));
struct peer	*peer_find(struct peer_tree *, const struct srv6d_addr *);
void		 peer_tree_clear(struct peer_tree *);
void		 session_apply_config(struct peer_tree *,
		    const struct srv6d_config *, struct session_reload_stats *);
void		 session_fill_summary(struct ctl_show_summary *);
void		 session_fill_neighbor(const struct peer *,
		    struct ctl_show_neighbor *);
int		 session_to_parent(uint32_t, uint32_t, const void *, size_t);

/* control.c: the parent creates and removes the sockets, the SE serves */
/* Output buffers queued for a client before it is disconnected. */
#define CONTROL_MAX_QUEUED	1000
#define CONTROL_BACKLOG		128

int		 control_init(const char *, mode_t);
void		 control_cleanup(const char *);
void		 control_listen(int, bool);
void		 control_shutdown(void);
void		 control_relay(struct imsg *, bool);

#endif
