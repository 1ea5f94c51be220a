/*
 * The BGP finite state machine of RFC 4271 §8, as pure functions: a state
 * and an event in, the next state and the actions to take out.  The
 * session engine (session.c) performs the actions; keeping them apart
 * lets the unit tests walk the machine without sockets or timers.
 */
#ifndef SRV6D_SESSION_FSM_H
#define SRV6D_SESSION_FSM_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "srv6d.h"

/* RFC 4271 §8.1, with the numbers of the RFC's events. */
enum fsm_event {
	FSM_EV_START = 1,		/* 1, 3: ManualStart, AutomaticStart */
	FSM_EV_STOP,			/* 2: ManualStop */
	FSM_EV_CONNRETRY_EXPIRES,	/* 9 */
	FSM_EV_HOLD_EXPIRES,		/* 10 */
	FSM_EV_KEEPALIVE_EXPIRES,	/* 11 */
	FSM_EV_TCP_CONNECTED,		/* 16, 17: Tcp_CR_Acked, Confirmed */
	FSM_EV_TCP_FAILS,		/* 18 */
	FSM_EV_OPEN,			/* 19: BGPOpen, already checked */
	FSM_EV_HEADER_ERR,		/* 21 */
	FSM_EV_OPEN_ERR,		/* 22 */
	FSM_EV_COLLISION_DUMP,		/* 23 */
	FSM_EV_NOTIF,			/* 24, 25 */
	FSM_EV_KEEPALIVE,		/* 26 */
	FSM_EV_UPDATE,			/* 27, and ROUTE-REFRESH */
	FSM_EV_UPDATE_ERR,		/* 28 */
	FSM_EV_MAX
};

/* Actions, performed by session_fsm in this order. */
#define FSM_A_NOTIFY		0x0001	/* send res.code/subcode */
#define FSM_A_NOTIFY_EVENT	0x0002	/* send the event's NOTIFICATION */
#define FSM_A_CLOSE		0x0004	/* drop the TCP connection */
#define FSM_A_CONNECT		0x0008	/* initiate a TCP connection */
#define FSM_A_CONNRETRY_START	0x0010	/* (re)start ConnectRetryTimer */
#define FSM_A_CONNRETRY_STOP	0x0020
#define FSM_A_SEND_OPEN		0x0040
#define FSM_A_SEND_KEEPALIVE	0x0080
#define FSM_A_HOLD_LARGE	0x0100	/* HoldTimer to 4 minutes (§8) */
#define FSM_A_HOLD_START	0x0200	/* HoldTimer to the negotiated */
#define FSM_A_KEEPALIVE_START	0x0400
#define FSM_A_UP		0x0800	/* now Established */
#define FSM_A_DOWN		0x1000	/* left Established */
#define FSM_A_IDLEHOLD		0x2000	/* an error: restart after a while */
#define FSM_A_RELAY		0x4000	/* hand the message to the RDE */

struct fsm_result {
	enum neighbor_state	 next;
	uint32_t		 actions;	/* FSM_A_* */
	uint8_t			 code;		/* with FSM_A_NOTIFY */
	uint8_t			 subcode;
};

/* §8: the HoldTimer before the OPEN is known ("a large value"). */
#define FSM_HOLD_LARGE		240
/*
 * Connect retry (RFC 4271 §10 suggests 120 s): we start at 5 s and double
 * up to 120 s while the peer is unreachable, so a peer that comes up soon
 * is found soon; reset once Established.  Idle hold after an error (the
 * damping of §8.1.1's DampPeerOscillations, our way): 5 s doubling up to
 * 120 s for each error or flap, back to 5 s once a session has stayed
 * Established for FSM_STABLE seconds.  Both are jittered (§10: 0.75-1).
 */
#define FSM_CONNRETRY_MIN	5
#define FSM_CONNRETRY_MAX	120
#define FSM_IDLEHOLD_MIN	5
#define FSM_IDLEHOLD_MAX	120
#define FSM_STABLE		180

/* session_fsm.c */
void		 fsm_step(enum neighbor_state, enum fsm_event, bool,
		    struct fsm_result *);
const char	*fsm_event_name(enum fsm_event);
uint32_t	 fsm_connretry_next(uint32_t);
uint32_t	 fsm_idlehold_next(uint32_t, time_t);
uint32_t	 fsm_jitter_ms(uint32_t, uint32_t);
uint16_t	 fsm_holdtime(uint16_t, uint16_t);
uint16_t	 fsm_keepalive(uint16_t);
bool		 fsm_collision_keep_new(uint32_t, uint32_t, uint32_t,
		    uint32_t, bool, bool);

#endif
