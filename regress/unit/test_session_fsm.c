/*
 * The session FSM (RFC 4271 §8.2.2) and its rules, without sockets:
 * transitions and actions per state and event, a sweep of every pair for
 * the invariants, back-off and jitter, hold time negotiation, and the
 * connection collision rule of §6.8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "session_fsm.h"
#include "srv6d.h"

static struct fsm_result
step(enum neighbor_state s, enum fsm_event ev, bool passive)
{
	struct fsm_result	res;

	memset(&res, 0xa5, sizeof(res));
	fsm_step(s, ev, passive, &res);
	return res;
}

/* One expected transition. */
struct trans {
	enum neighbor_state	 from;
	enum fsm_event		 ev;
	bool			 passive;
	enum neighbor_state	 to;
	uint32_t		 actions;
	uint8_t			 code;
	uint8_t			 subcode;
};

#define IDLE_ERR	(FSM_A_CLOSE | FSM_A_CONNRETRY_STOP | FSM_A_IDLEHOLD)

static const struct trans transitions[] = {
	/* Idle: start connects, or waits when passive; the rest ignored */
	{ NSTATE_IDLE, FSM_EV_START, false, NSTATE_CONNECT,
	    FSM_A_CONNECT | FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_IDLE, FSM_EV_START, true, NSTATE_ACTIVE, 0, 0, 0 },
	{ NSTATE_IDLE, FSM_EV_KEEPALIVE, false, NSTATE_IDLE, 0, 0, 0 },
	{ NSTATE_IDLE, FSM_EV_STOP, false, NSTATE_IDLE, 0, 0, 0 },
	{ NSTATE_IDLE, FSM_EV_TCP_CONNECTED, false, NSTATE_IDLE, 0, 0, 0 },
	/* Connect */
	{ NSTATE_CONNECT, FSM_EV_TCP_CONNECTED, false, NSTATE_OPENSENT,
	    FSM_A_CONNRETRY_STOP | FSM_A_SEND_OPEN | FSM_A_HOLD_LARGE, 0, 0 },
	{ NSTATE_CONNECT, FSM_EV_TCP_FAILS, false, NSTATE_ACTIVE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_CONNECT, FSM_EV_CONNRETRY_EXPIRES, false, NSTATE_CONNECT,
	    FSM_A_CLOSE | FSM_A_CONNECT | FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_CONNECT, FSM_EV_STOP, false, NSTATE_IDLE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_STOP, 0, 0 },
	{ NSTATE_CONNECT, FSM_EV_HOLD_EXPIRES, false, NSTATE_IDLE,
	    IDLE_ERR, 0, 0 },
	/* Active: passive neighbors never connect */
	{ NSTATE_ACTIVE, FSM_EV_CONNRETRY_EXPIRES, false, NSTATE_CONNECT,
	    FSM_A_CLOSE | FSM_A_CONNECT | FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_ACTIVE, FSM_EV_CONNRETRY_EXPIRES, true, NSTATE_ACTIVE,
	    FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_ACTIVE, FSM_EV_TCP_CONNECTED, true, NSTATE_OPENSENT,
	    FSM_A_CONNRETRY_STOP | FSM_A_SEND_OPEN | FSM_A_HOLD_LARGE, 0, 0 },
	{ NSTATE_ACTIVE, FSM_EV_OPEN, false, NSTATE_IDLE, IDLE_ERR, 0, 0 },
	/* OpenSent */
	{ NSTATE_OPENSENT, FSM_EV_OPEN, false, NSTATE_OPENCONFIRM,
	    FSM_A_SEND_KEEPALIVE | FSM_A_HOLD_START |
	    FSM_A_KEEPALIVE_START, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_TCP_FAILS, false, NSTATE_ACTIVE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_START, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_HOLD_EXPIRES, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_HOLDTIMER, 0 },
	{ NSTATE_OPENSENT, FSM_EV_KEEPALIVE, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_FSM, BGP_ERR_FSM_OPENSENT },
	{ NSTATE_OPENSENT, FSM_EV_UPDATE, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_FSM, BGP_ERR_FSM_OPENSENT },
	{ NSTATE_OPENSENT, FSM_EV_OPEN_ERR, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY_EVENT, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_HEADER_ERR, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY_EVENT, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_NOTIF, false, NSTATE_IDLE, IDLE_ERR, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_STOP, false, NSTATE_IDLE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_STOP | FSM_A_NOTIFY_EVENT, 0, 0 },
	{ NSTATE_OPENSENT, FSM_EV_COLLISION_DUMP, false, NSTATE_IDLE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_STOP | FSM_A_NOTIFY,
	    BGP_ERR_CEASE, BGP_CEASE_COLLISION },
	/* OpenConfirm */
	{ NSTATE_OPENCONFIRM, FSM_EV_KEEPALIVE, false, NSTATE_ESTABLISHED,
	    FSM_A_HOLD_START | FSM_A_UP, 0, 0 },
	{ NSTATE_OPENCONFIRM, FSM_EV_KEEPALIVE_EXPIRES, false,
	    NSTATE_OPENCONFIRM,
	    FSM_A_SEND_KEEPALIVE | FSM_A_KEEPALIVE_START, 0, 0 },
	{ NSTATE_OPENCONFIRM, FSM_EV_UPDATE, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_FSM, BGP_ERR_FSM_OPENCONFIRM },
	{ NSTATE_OPENCONFIRM, FSM_EV_OPEN, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_FSM, BGP_ERR_FSM_OPENCONFIRM },
	{ NSTATE_OPENCONFIRM, FSM_EV_TCP_FAILS, false, NSTATE_IDLE,
	    IDLE_ERR, 0, 0 },
	{ NSTATE_OPENCONFIRM, FSM_EV_HOLD_EXPIRES, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_NOTIFY, BGP_ERR_HOLDTIMER, 0 },
	/* Established */
	{ NSTATE_ESTABLISHED, FSM_EV_UPDATE, false, NSTATE_ESTABLISHED,
	    FSM_A_HOLD_START | FSM_A_RELAY, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_KEEPALIVE, false, NSTATE_ESTABLISHED,
	    FSM_A_HOLD_START, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_KEEPALIVE_EXPIRES, false,
	    NSTATE_ESTABLISHED,
	    FSM_A_SEND_KEEPALIVE | FSM_A_KEEPALIVE_START, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_STOP, false, NSTATE_IDLE,
	    FSM_A_CLOSE | FSM_A_CONNRETRY_STOP | FSM_A_NOTIFY_EVENT |
	    FSM_A_DOWN, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_NOTIF, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_DOWN, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_TCP_FAILS, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_DOWN, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_HOLD_EXPIRES, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_DOWN | FSM_A_NOTIFY, BGP_ERR_HOLDTIMER, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_UPDATE_ERR, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_DOWN | FSM_A_NOTIFY_EVENT, 0, 0 },
	{ NSTATE_ESTABLISHED, FSM_EV_OPEN, false, NSTATE_IDLE,
	    IDLE_ERR | FSM_A_DOWN | FSM_A_NOTIFY, BGP_ERR_FSM,
	    BGP_ERR_FSM_ESTABLISHED },
	{ NSTATE_ESTABLISHED, FSM_EV_START, false, NSTATE_ESTABLISHED, 0, 0, 0 },
};

static void
test_fsm_transitions(void **state)
{
	struct fsm_result	 res;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		const struct trans	*t = &transitions[i];

		res = step(t->from, t->ev, t->passive);
		print_message("# %s + %s%s -> %s\n",
		    neighbor_state_name(t->from), fsm_event_name(t->ev),
		    t->passive ? " (passive)" : "",
		    neighbor_state_name(t->to));
		assert_int_equal(res.next, t->to);
		assert_int_equal(res.actions, t->actions);
		if (t->actions & FSM_A_NOTIFY) {
			assert_int_equal(res.code, t->code);
			assert_int_equal(res.subcode, t->subcode);
		}
	}
}

/*
 * Every state with every event: leaving for Idle always closes and stops
 * the connect retry; only Established reports a session down; a stop
 * always ends in Idle without the error back-off; a NOTIFICATION is
 * never answered with one.
 */
static void
test_fsm_invariants(void **state)
{
	struct fsm_result	 res;
	int			 s, ev, passive;

	(void)state;
	for (s = NSTATE_IDLE; s <= NSTATE_ESTABLISHED; s++)
	    for (ev = FSM_EV_START; ev < FSM_EV_MAX; ev++)
		for (passive = 0; passive < 2; passive++) {
			res = step(s, ev, passive);
			assert_true(res.next <= NSTATE_ESTABLISHED);
			if (res.next == NSTATE_IDLE && s != NSTATE_IDLE)
				assert_int_equal(res.actions & (FSM_A_CLOSE |
				    FSM_A_CONNRETRY_STOP), FSM_A_CLOSE |
				    FSM_A_CONNRETRY_STOP);
			assert_int_equal((res.actions & FSM_A_DOWN) != 0,
			    s == NSTATE_ESTABLISHED &&
			    res.next != NSTATE_ESTABLISHED);
			assert_int_equal((res.actions & FSM_A_UP) != 0,
			    res.next == NSTATE_ESTABLISHED &&
			    s != NSTATE_ESTABLISHED);
			if (ev == FSM_EV_STOP) {
				assert_int_equal(res.next, NSTATE_IDLE);
				assert_false(res.actions & FSM_A_IDLEHOLD);
			}
			if (ev == FSM_EV_NOTIF)
				assert_false(res.actions & (FSM_A_NOTIFY |
				    FSM_A_NOTIFY_EVENT));
			if (passive)
				assert_false(res.actions & FSM_A_CONNECT);
			/* Idle never moves without a start. */
			if (s == NSTATE_IDLE && ev != FSM_EV_START)
				assert_int_equal(res.next, NSTATE_IDLE);
		}
}

/* A whole session: start, connect, OPENs, keepalives, a flap. */
static void
test_fsm_walk(void **state)
{
	static const enum fsm_event	 evs[] = {
		FSM_EV_START, FSM_EV_TCP_FAILS, FSM_EV_CONNRETRY_EXPIRES,
		FSM_EV_TCP_CONNECTED, FSM_EV_OPEN, FSM_EV_KEEPALIVE,
		FSM_EV_UPDATE, FSM_EV_KEEPALIVE_EXPIRES, FSM_EV_HOLD_EXPIRES,
		FSM_EV_START,
	};
	static const enum neighbor_state want[] = {
		NSTATE_CONNECT, NSTATE_ACTIVE, NSTATE_CONNECT,
		NSTATE_OPENSENT, NSTATE_OPENCONFIRM, NSTATE_ESTABLISHED,
		NSTATE_ESTABLISHED, NSTATE_ESTABLISHED, NSTATE_IDLE,
		NSTATE_CONNECT,
	};
	enum neighbor_state	 s = NSTATE_IDLE;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		s = step(s, evs[i], false).next;
		assert_int_equal(s, want[i]);
	}
}

static void
test_fsm_backoff(void **state)
{
	static const uint32_t	 retry[] = { 5, 10, 20, 40, 80, 120, 120 };
	uint32_t		 v = 0;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(retry) / sizeof(retry[0]); i++) {
		v = fsm_connretry_next(v);
		assert_int_equal(v, retry[i]);
	}
	/* Idle hold: doubles while flapping, starts over once stable. */
	v = 0;
	for (i = 0; i < sizeof(retry) / sizeof(retry[0]); i++) {
		v = fsm_idlehold_next(v, 10);
		assert_int_equal(v, retry[i]);
	}
	assert_int_equal(fsm_idlehold_next(120, FSM_STABLE - 1), 120);
	assert_int_equal(fsm_idlehold_next(120, FSM_STABLE), FSM_IDLEHOLD_MIN);
	assert_int_equal(fsm_idlehold_next(40, 0), 80);
}

/* RFC 4271 §10: 0.75 to 1.0 of the value. */
static void
test_fsm_jitter(void **state)
{
	uint32_t	rnd, ms;
	uint64_t	r;

	(void)state;
	assert_int_equal(fsm_jitter_ms(120, 0), 90000);
	assert_true(fsm_jitter_ms(120, UINT32_MAX) <= 120000);
	assert_true(fsm_jitter_ms(120, UINT32_MAX) >= 119990);
	for (r = 0; r <= UINT32_MAX; r += 0x01234567) {
		rnd = (uint32_t)r;
		ms = fsm_jitter_ms(5, rnd);
		assert_true(ms >= 3750 && ms <= 5000);
	}
	assert_int_equal(fsm_jitter_ms(0, 12345), 0);
}

/* RFC 4271 §4.2, §6.2: min of both, 0 means none, 1 and 2 refused. */
static void
test_fsm_holdtime(void **state)
{
	struct bgp_open		 o;
	struct bgp_open_policy	 pol;
	struct bgp_err		 err;
	uint16_t		 h;

	(void)state;
	assert_int_equal(fsm_holdtime(90, 30), 30);
	assert_int_equal(fsm_holdtime(9, 180), 9);
	assert_int_equal(fsm_holdtime(90, 0), 0);
	assert_int_equal(fsm_holdtime(0, 90), 0);
	assert_int_equal(fsm_keepalive(90), 30);
	assert_int_equal(fsm_keepalive(3), 1);
	assert_int_equal(fsm_keepalive(0), 0);

	memset(&pol, 0, sizeof(pol));
	pol.local_as = 65001;
	pol.local_bgpid = 0xc0000201;
	pol.remote_as = 65002;
	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.as = o.myas = 65002;
	o.bgpid = 0xc0000202;
	for (h = 0; h < 5; h++) {
		o.holdtime = h;
		memset(&err, 0, sizeof(err));
		if (h == 1 || h == 2) {
			assert_int_equal(bgp_open_check(&o, &pol, &err), -1);
			assert_int_equal(err.code, BGP_ERR_OPEN);
			assert_int_equal(err.subcode, BGP_ERR_OPEN_HOLDTIME);
		} else
			assert_int_equal(bgp_open_check(&o, &pol, &err), 0);
	}
	/* A peer without 4-octet AS support is fine. */
	o.holdtime = 90;
	o.caps.as4 = 0;
	assert_int_equal(bgp_open_check(&o, &pol, &err), 0);
	/* Bad peer AS and bad identifier. */
	o.as = 65003;
	assert_int_equal(bgp_open_check(&o, &pol, &err), -1);
	assert_int_equal(err.subcode, BGP_ERR_OPEN_AS);
	o.as = 65002;
	o.bgpid = 0;
	assert_int_equal(bgp_open_check(&o, &pol, &err), -1);
	assert_int_equal(err.subcode, BGP_ERR_OPEN_BGPID);
}

/*
 * RFC 4271 §6.8: keep the connection initiated by the higher BGP
 * Identifier; RFC 6286 §2.3: equal identifiers, the larger AS.
 */
static void
test_fsm_collision(void **state)
{
	(void)state;
	/* Ours (outgoing) exists, the peer's (incoming) is new. */
	assert_true(fsm_collision_keep_new(1, 2, 65001, 65002, true, false));
	assert_false(fsm_collision_keep_new(2, 1, 65001, 65002, true,
	    false));
	/* The peer's exists, ours is new. */
	assert_false(fsm_collision_keep_new(1, 2, 65001, 65002, false,
	    true));
	assert_true(fsm_collision_keep_new(2, 1, 65001, 65002, false, true));
	/* Same identifier: the larger AS wins. */
	assert_true(fsm_collision_keep_new(7, 7, 65001, 65002, true, false));
	assert_false(fsm_collision_keep_new(7, 7, 65003, 65002, true,
	    false));
	/* Both from the same side: keep what we have. */
	assert_false(fsm_collision_keep_new(1, 2, 65001, 65002, false,
	    false));
	assert_false(fsm_collision_keep_new(2, 1, 65001, 65002, true, true));
	/* Both ends apply the same rule and agree on one connection. */
	assert_true(fsm_collision_keep_new(1, 2, 1, 2, true, false) ==
	    fsm_collision_keep_new(2, 1, 2, 1, false, true));
}

static void
test_fsm_names(void **state)
{
	int	ev;

	(void)state;
	for (ev = FSM_EV_START; ev < FSM_EV_MAX; ev++)
		assert_string_not_equal(fsm_event_name(ev), "unknown event");
	assert_string_equal(fsm_event_name(0), "unknown event");
	assert_string_equal(fsm_event_name(FSM_EV_MAX), "unknown event");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_transitions),
		cmocka_unit_test(test_fsm_invariants),
		cmocka_unit_test(test_fsm_walk),
		cmocka_unit_test(test_fsm_backoff),
		cmocka_unit_test(test_fsm_jitter),
		cmocka_unit_test(test_fsm_holdtime),
		cmocka_unit_test(test_fsm_collision),
		cmocka_unit_test(test_fsm_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
