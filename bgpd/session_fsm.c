/*
 * The BGP finite state machine, RFC 4271 §8.2.2, without the optional
 * session attributes we do not implement (DelayOpen, passive TCP
 * establishment as a separate start event, and the RFC's own
 * DampPeerOscillations: our idle hold replaces it).  Passive neighbors
 * wait in Active and never connect.  Connection collisions (§6.8) are
 * resolved by the caller before it feeds FSM_EV_OPEN, with
 * fsm_collision_keep_new.
 *
 * Pure: no I/O, no clock, no randomness (the caller passes them in).
 */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bgp.h"
#include "session_fsm.h"
#include "srv6d.h"

/* Every exit to Idle stops the timers; this says what else happens. */
static void
fsm_to_idle(enum neighbor_state from, struct fsm_result *res,
    uint32_t actions)
{
	res->next = NSTATE_IDLE;
	res->actions |= actions | FSM_A_CLOSE | FSM_A_CONNRETRY_STOP;
	if (from == NSTATE_ESTABLISHED)
		res->actions |= FSM_A_DOWN;
}

/* An error: tell the peer (if code), close, back off, restart. */
static void
fsm_error(enum neighbor_state from, struct fsm_result *res, uint8_t code,
    uint8_t subcode)
{
	uint32_t	a = FSM_A_IDLEHOLD;

	if (code != 0) {
		a |= FSM_A_NOTIFY;
		res->code = code;
		res->subcode = subcode;
	}
	fsm_to_idle(from, res, a);
}

/* RFC 6608 §4: the FSM error subcode says in which state it happened. */
static uint8_t
fsm_err_subcode(enum neighbor_state s)
{
	switch (s) {
	case NSTATE_OPENSENT:
		return BGP_ERR_FSM_OPENSENT;
	case NSTATE_OPENCONFIRM:
		return BGP_ERR_FSM_OPENCONFIRM;
	case NSTATE_ESTABLISHED:
		return BGP_ERR_FSM_ESTABLISHED;
	default:
		return BGP_ERR_UNSPEC;
	}
}

/* Idle: only a start does anything (§8.2.2, Idle state). */
static void
fsm_idle(enum fsm_event ev, bool passive, struct fsm_result *res)
{
	if (ev != FSM_EV_START)
		return;
	if (passive) {
		res->next = NSTATE_ACTIVE;
		return;
	}
	res->next = NSTATE_CONNECT;
	res->actions = FSM_A_CONNECT | FSM_A_CONNRETRY_START;
}

/* Connect and Active differ in whether a connect is in progress. */
static void
fsm_connect_active(enum neighbor_state s, enum fsm_event ev, bool passive,
    struct fsm_result *res)
{
	switch (ev) {
	case FSM_EV_START:
		break;
	case FSM_EV_STOP:
		fsm_to_idle(s, res, 0);
		break;
	case FSM_EV_CONNRETRY_EXPIRES:
		res->actions = FSM_A_CONNRETRY_START;
		if (passive)
			break;
		/* Connect: drop the attempt and try again; Active: try. */
		res->next = NSTATE_CONNECT;
		res->actions |= FSM_A_CLOSE | FSM_A_CONNECT;
		break;
	case FSM_EV_TCP_CONNECTED:
		res->next = NSTATE_OPENSENT;
		res->actions = FSM_A_CONNRETRY_STOP | FSM_A_SEND_OPEN |
		    FSM_A_HOLD_LARGE;
		break;
	case FSM_EV_TCP_FAILS:
		res->next = NSTATE_ACTIVE;
		res->actions = FSM_A_CLOSE | FSM_A_CONNRETRY_START;
		break;
	default:
		/* §8.2.2: any other event in Connect or Active. */
		fsm_error(s, res, 0, 0);
		break;
	}
}

static void
fsm_opensent(enum fsm_event ev, struct fsm_result *res)
{
	const enum neighbor_state s = NSTATE_OPENSENT;

	switch (ev) {
	case FSM_EV_START:
		break;
	case FSM_EV_STOP:
		fsm_to_idle(s, res, FSM_A_NOTIFY_EVENT);
		break;
	case FSM_EV_HOLD_EXPIRES:
		fsm_error(s, res, BGP_ERR_HOLDTIMER, 0);
		break;
	case FSM_EV_TCP_FAILS:
		/* §8.2.2: back to Active, listening; try again later. */
		res->next = NSTATE_ACTIVE;
		res->actions = FSM_A_CLOSE | FSM_A_CONNRETRY_START;
		break;
	case FSM_EV_OPEN:
		res->next = NSTATE_OPENCONFIRM;
		res->actions = FSM_A_SEND_KEEPALIVE | FSM_A_HOLD_START |
		    FSM_A_KEEPALIVE_START;
		break;
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		fsm_to_idle(s, res, FSM_A_NOTIFY_EVENT | FSM_A_IDLEHOLD);
		break;
	case FSM_EV_COLLISION_DUMP:
		fsm_to_idle(s, res, FSM_A_NOTIFY);
		res->code = BGP_ERR_CEASE;
		res->subcode = BGP_CEASE_COLLISION;
		break;
	case FSM_EV_NOTIF:
		fsm_error(s, res, 0, 0);
		break;
	default:
		fsm_error(s, res, BGP_ERR_FSM, fsm_err_subcode(s));
		break;
	}
}

/* OpenConfirm and Established share most of their rules. */
static void
fsm_confirm_established(enum neighbor_state s, enum fsm_event ev,
    struct fsm_result *res)
{
	switch (ev) {
	case FSM_EV_START:
		break;
	case FSM_EV_STOP:
		fsm_to_idle(s, res, FSM_A_NOTIFY_EVENT);
		break;
	case FSM_EV_HOLD_EXPIRES:
		fsm_error(s, res, BGP_ERR_HOLDTIMER, 0);
		break;
	case FSM_EV_KEEPALIVE_EXPIRES:
		res->actions = FSM_A_SEND_KEEPALIVE | FSM_A_KEEPALIVE_START;
		break;
	case FSM_EV_TCP_FAILS:
	case FSM_EV_NOTIF:
		fsm_error(s, res, 0, 0);
		break;
	case FSM_EV_KEEPALIVE:
		res->actions = FSM_A_HOLD_START;
		if (s == NSTATE_OPENCONFIRM) {
			res->next = NSTATE_ESTABLISHED;
			res->actions |= FSM_A_UP;
		}
		break;
	case FSM_EV_UPDATE:
		if (s != NSTATE_ESTABLISHED) {
			fsm_error(s, res, BGP_ERR_FSM, fsm_err_subcode(s));
			break;
		}
		res->actions = FSM_A_HOLD_START | FSM_A_RELAY;
		break;
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
	case FSM_EV_UPDATE_ERR:
		fsm_to_idle(s, res, FSM_A_NOTIFY_EVENT | FSM_A_IDLEHOLD);
		break;
	case FSM_EV_COLLISION_DUMP:
		fsm_to_idle(s, res, FSM_A_NOTIFY);
		res->code = BGP_ERR_CEASE;
		res->subcode = BGP_CEASE_COLLISION;
		break;
	default:
		/* An OPEN on this connection, a timer that cannot run. */
		fsm_error(s, res, BGP_ERR_FSM, fsm_err_subcode(s));
		break;
	}
}

/*
 * One step: res->next is the state after `ev` in state `s` (the same
 * state when nothing changes) and res->actions what to do, in the order
 * of the FSM_A_* bits.  passive: the neighbor never connects.
 */
void
fsm_step(enum neighbor_state s, enum fsm_event ev, bool passive,
    struct fsm_result *res)
{
	res->next = s;
	res->actions = 0;
	res->code = res->subcode = 0;
	switch (s) {
	case NSTATE_IDLE:
		fsm_idle(ev, passive, res);
		break;
	case NSTATE_CONNECT:
	case NSTATE_ACTIVE:
		fsm_connect_active(s, ev, passive, res);
		break;
	case NSTATE_OPENSENT:
		fsm_opensent(ev, res);
		break;
	case NSTATE_OPENCONFIRM:
	case NSTATE_ESTABLISHED:
		fsm_confirm_established(s, ev, res);
		break;
	}
}

const char *
fsm_event_name(enum fsm_event ev)
{
	static const char *const names[FSM_EV_MAX] = {
		[FSM_EV_START] = "start",
		[FSM_EV_STOP] = "stop",
		[FSM_EV_CONNRETRY_EXPIRES] = "connect retry timer expired",
		[FSM_EV_HOLD_EXPIRES] = "hold timer expired",
		[FSM_EV_KEEPALIVE_EXPIRES] = "keepalive timer expired",
		[FSM_EV_TCP_CONNECTED] = "connection up",
		[FSM_EV_TCP_FAILS] = "connection failed",
		[FSM_EV_OPEN] = "OPEN received",
		[FSM_EV_HEADER_ERR] = "message header error",
		[FSM_EV_OPEN_ERR] = "OPEN message error",
		[FSM_EV_COLLISION_DUMP] = "connection collision",
		[FSM_EV_NOTIF] = "NOTIFICATION received",
		[FSM_EV_KEEPALIVE] = "KEEPALIVE received",
		[FSM_EV_UPDATE] = "UPDATE received",
		[FSM_EV_UPDATE_ERR] = "UPDATE message error",
	};

	if (ev <= 0 || ev >= FSM_EV_MAX || names[ev] == NULL)
		return "unknown event";
	return names[ev];
}

/* The next connect retry interval: 5, 10, 20 ... 120 seconds. */
uint32_t
fsm_connretry_next(uint32_t cur)
{
	if (cur < FSM_CONNRETRY_MIN)
		return FSM_CONNRETRY_MIN;
	return cur >= FSM_CONNRETRY_MAX / 2 ? FSM_CONNRETRY_MAX : cur * 2;
}

/*
 * The idle hold after an error or a flap: doubles from 5 s up to 120 s
 * while errors keep coming, and starts over at 5 s when the session that
 * just went down had been Established for FSM_STABLE seconds (up: how
 * long; 0 if it never got there).
 */
uint32_t
fsm_idlehold_next(uint32_t cur, time_t up)
{
	if (cur < FSM_IDLEHOLD_MIN || up >= FSM_STABLE)
		return FSM_IDLEHOLD_MIN;
	return cur >= FSM_IDLEHOLD_MAX / 2 ? FSM_IDLEHOLD_MAX : cur * 2;
}

/*
 * RFC 4271 §10: timers are jittered by a random factor between 0.75 and
 * 1.0 so that peers do not synchronise.  rnd is uniform over 32 bits.
 */
uint32_t
fsm_jitter_ms(uint32_t secs, uint32_t rnd)
{
	uint64_t	ms = (uint64_t)secs * 1000;

	return (uint32_t)(ms * 3 / 4 + (ms / 4 * rnd >> 32));
}

/*
 * RFC 4271 §4.2: the hold time is the smaller of the two; zero on either
 * side means no hold timer and no keepalives.  1 and 2 were refused by
 * bgp_open_check before this is asked.
 */
uint16_t
fsm_holdtime(uint16_t ours, uint16_t theirs)
{
	return ours < theirs ? ours : theirs;
}

/* §10: KeepaliveTime is a third of the hold time. */
uint16_t
fsm_keepalive(uint16_t holdtime)
{
	return holdtime / 3;
}

/*
 * RFC 4271 §6.8: of two connections to the same peer, keep the one
 * initiated by the speaker with the higher BGP Identifier; RFC 6286 §2.3:
 * with equal identifiers (eBGP), the one initiated by the speaker with
 * the larger AS.  Two connections initiated by the same side (the peer
 * connected twice) keep the existing one.  true: keep the new connection
 * and close the existing one.  Identifiers in host order.
 */
bool
fsm_collision_keep_new(uint32_t local_id, uint32_t remote_id,
    uint32_t local_as, uint32_t remote_as, bool existing_outgoing,
    bool new_outgoing)
{
	bool	remote_wins;

	if (existing_outgoing == new_outgoing)
		return false;
	if (local_id != remote_id)
		remote_wins = local_id < remote_id;
	else
		remote_wins = local_as < remote_as;
	/* The remote's connection is the one we did not initiate. */
	return remote_wins ? !new_outgoing : new_outgoing;
}
