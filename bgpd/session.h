/*
 * Session engine: private header.  The SE keeps one struct peer per
 * configured neighbor, runs the BGP FSM (session.c, session_fsm.c) over
 * its TCP connections (session_io.c) and serves the control socket
 * (control.c).
 */
#ifndef SRV6D_SESSION_H
#define SRV6D_SESSION_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/tree.h>
#include <sys/types.h>

#include <event.h>
#include <stdbool.h>
#include <time.h>

#include "bgp.h"
#include "imsg.h"
#include "srv6d.h"

struct peer;

/*
 * One TCP connection to a peer.  A peer has its main connection and, only
 * while a connection collision (RFC 4271 §6.8) is being resolved, a
 * second one that the peer opened to us.
 */
struct conn {
	struct peer		*peer;
	int			 fd;		/* -1: none */
	bool			 outgoing;	/* we initiated it */
	bool			 connecting;	/* connect() in progress */
	bool			 ev_set;
	struct event		 ev_read;
	struct event		 ev_write;
	bool			 writing;	/* ev_write added */
	uint8_t			*rbuf;		/* CONN_RBUF_SIZE bytes */
	size_t			 rpos;		/* first unhandled byte */
	size_t			 rlen;		/* bytes in rbuf */
	TAILQ_HEAD(, ibuf)	 wq;
	size_t			 wq_bytes;
	struct srv6d_addr	 local;
	struct srv6d_addr	 remote;
	uint16_t		 local_port;
	uint16_t		 remote_port;
};

#define CONN_RBUF_SIZE		(BGP_MAX_LEN_EXT + 1)
/* Queued output beyond which a peer that does not read is reset. */
#define CONN_WQ_MAX		(64 * 1024 * 1024)

enum peer_timer {
	PT_CONNRETRY,
	PT_HOLD,
	PT_KEEPALIVE,
	PT_IDLEHOLD,
	PT_MAX
};

struct peer_timer_ev {
	struct peer		*peer;
	enum peer_timer		 which;
	struct event		 ev;
};

struct peer {
	RB_ENTRY(peer)		 entry;
	RB_ENTRY(peer)		 id_entry;	/* se_peer_ids, live peers */
	struct neighbor_config	 conf;	/* a copy; entry unused */
	uint32_t		 id;	/* neighbor id: peerid to the RDE */
	enum neighbor_state	 state;
	time_t			 state_since;
	struct conn		 conn;
	struct conn		 coll;	/* the peer's connection in a collision */
	bool			 timers_set;
	struct peer_timer_ev	 timers[PT_MAX];
	uint32_t		 connretry;	/* seconds, current back-off */
	uint32_t		 idlehold;	/* seconds, current damping */
	bool			 admin_down;	/* `neighbor down`, config */
	bool			 maxprefix_held; /* over max-prefix: until
						   `clear` or `up` */
	bool			 coll_moved;	/* the collision conn won */
	/* negotiated, valid from OpenConfirm on */
	struct in_addr		 remote_id;
	uint32_t		 remote_as;
	uint16_t		 holdtime;
	uint16_t		 keepalive;
	uint16_t		 capa;		/* CAPA_* */
	uint8_t			 afs;		/* AFS_* both ways */
	uint8_t			 ext_nexthop;
	size_t			 maxlen;	/* largest message both ways */
	time_t			 up_since;	/* 0: not Established */
	uint32_t		 flaps;
	uint64_t		 msgs_in[6];
	uint64_t		 msgs_out[6];
	uint8_t			 last_sent_code;
	uint8_t			 last_sent_subcode;
	uint8_t			 last_recv_code;
	uint8_t			 last_recv_subcode;
	char			 last_sent_reason[256];
	char			 last_recv_reason[256];
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
int		 session_to_rde(uint32_t, uint32_t, const void *, size_t);
struct peer	*peer_find_id(uint32_t);
void		 session_accept(int, const struct srv6d_addr *, uint16_t);
void		 session_conn_input(struct conn *);
void		 session_conn_connected(struct conn *, int);
void		 session_conn_failed(struct conn *, const char *);
int		 session_neighbor_up(struct peer *);
int		 session_neighbor_down(struct peer *, const char *);
int		 session_neighbor_clear(struct peer *);
int		 session_neighbor_refresh(struct peer *, char *, size_t);

/* session_io.c: sockets, listeners, connections */
int		 session_accept_fd(int, struct event *, struct event *,
		    const char *, struct sockaddr *, socklen_t *);
socklen_t	 session_sockaddr(const struct srv6d_addr *, uint16_t,
		    struct sockaddr_storage *);
void		 session_sa2addr(const struct sockaddr *, struct srv6d_addr *,
		    uint16_t *);
void		 listener_add(int, const struct srv6d_addr *, uint16_t);
void		 listener_commit(void);
void		 listener_abort(void);
void		 listener_md5(const struct srv6d_addr *, const char *);
void		 listener_md5_sync(struct peer_tree *);
void		 listener_shutdown(void);
void		 conn_init(struct conn *, struct peer *);
int		 conn_connect(struct conn *, const struct neighbor_config *);
void		 conn_attach(struct conn *, int, bool,
		    const struct neighbor_config *);
void		 conn_close(struct conn *);
void		 conn_move(struct conn *, struct conn *);
int		 conn_send(struct conn *, struct ibuf *);
void		 conn_consume(struct conn *, size_t);

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
