/*
 * rde_show.c: the RDE's answers to srv6ctl's show requests, which the
 * session engine passes on with the client's id as peerid and relays the
 * replies of (control.c, control_relay).  Every request is answered with
 * replies and one IMSG_CTL_END, except after IMSG_CTL_TERMINATE.
 */
#ifndef SRV6D_RDE_SHOW_H
#define SRV6D_RDE_SHOW_H

struct imsg;
struct imsgev;
struct rde_table;

/* rde_show.c: one handler per request type (rde.c dispatches) */
void		 rde_show_neighbor(struct imsg *);
void		 rde_show_end(struct imsg *);	/* end of show neighbor */
void		 rde_show_rib(struct imsg *);
void		 rde_show_vrf(struct imsg *);
void		 rde_show_sid(struct imsg *);
/* IMSG_FIB_COUNTERS from the parent: completes a show sid */
void		 rde_show_sid_counters(struct imsg *);
void		 rde_show_locator(struct imsg *);
void		 rde_show_terminate(struct imsg *);	/* the client left */
/*
 * A VRF table is about to be freed (rde_vrf.c): dumps walking it end
 * there (with IMSG_CTL_END) instead of walking freed memory.
 */
void		 rde_show_table_gone(struct rde_table *);
void		 rde_show_shutdown(void);	/* drop every dump */

/* rde.c: the channel to the session engine, for replies built in place */
struct imsgev	*rde_se_channel(void);
/* rde.c: the channel to the parent (show sid asks it for counters) */
struct imsgev	*rde_parent_channel(void);

#endif
