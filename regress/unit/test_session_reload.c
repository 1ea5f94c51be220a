/*
 * The reload diff of the session engine (neighbors) and of the RDE
 * (VRFs): unchanged entries keep their very struct, changed ones are
 * updated in place, others are added or removed.
 */
#include <sys/tree.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rde.h"
#include "session.h"
#include "srv6d.h"

static struct neighbor_config *
add_neighbor(struct srv6d_config *c, const char *addr, uint32_t as)
{
	struct neighbor_config	*n;

	assert_non_null(n = neighbor_config_new());
	assert_int_equal(str2addr(addr, &n->addr), 0);
	n->remote_as = as;
	TAILQ_INSERT_TAIL(&c->neighbors, n, entry);
	return n;
}

static struct vrf_config *
add_vrf(struct srv6d_config *c, const char *name, uint32_t table)
{
	struct vrf_config	*v;

	assert_non_null(v = vrf_config_new());
	strlcpy(v->name, name, sizeof(v->name));
	v->table = table;
	assert_int_equal(vrf_add_import_rt(v, 0x0002fde800000000ULL | table),
	    0);
	TAILQ_INSERT_TAIL(&c->vrfs, v, entry);
	return v;
}

static struct peer *
find_peer(struct peer_tree *t, const char *addr)
{
	struct srv6d_addr	a;

	assert_int_equal(str2addr(addr, &a), 0);
	return peer_find(t, &a);
}

static void
test_session_first_config(void **state)
{
	struct peer_tree		 t = RB_INITIALIZER(&t);
	struct srv6d_config		*c;
	struct session_reload_stats	 st;
	struct peer			*p;

	(void)state;
	assert_non_null(c = config_new());
	add_neighbor(c, "2001:db8::2", 65000);
	add_neighbor(c, "192.0.2.2", 65002);
	session_apply_config(&t, c, &st);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.kept + st.changed + st.removed, 0);
	assert_non_null(p = find_peer(&t, "192.0.2.2"));
	assert_int_equal(p->state, NSTATE_IDLE);
	assert_int_equal(p->conf.remote_as, 65002);
	peer_tree_clear(&t);
	config_free(c);
	assert_true(RB_EMPTY(&t));
}

static void
test_session_reload(void **state)
{
	struct peer_tree		 t = RB_INITIALIZER(&t);
	struct srv6d_config		*c1, *c2;
	struct session_reload_stats	 st;
	struct peer			*kept, *changed, *p;

	(void)state;
	assert_non_null(c1 = config_new());
	add_neighbor(c1, "2001:db8::2", 65000);
	add_neighbor(c1, "2001:db8::3", 65000);
	add_neighbor(c1, "2001:db8::4", 65000);
	session_apply_config(&t, c1, &st);

	kept = find_peer(&t, "2001:db8::2");
	changed = find_peer(&t, "2001:db8::3");
	assert_non_null(kept);
	assert_non_null(changed);
	/* Pretend the FSM moved: the reload must not touch it. */
	kept->state = NSTATE_ESTABLISHED;
	kept->state_since = 12345;

	assert_non_null(c2 = config_new());
	add_neighbor(c2, "2001:db8::2", 65000);		/* unchanged */
	add_neighbor(c2, "2001:db8::3", 65099);		/* changed */
	add_neighbor(c2, "2001:db8::5", 65000);		/* new */
	/* ::4 removed */
	session_apply_config(&t, c2, &st);
	/* The old config may go now: peers hold copies. */
	config_free(c1);

	assert_int_equal(st.kept, 1);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.removed, 1);
	assert_ptr_equal(find_peer(&t, "2001:db8::2"), kept);
	assert_int_equal(kept->state, NSTATE_ESTABLISHED);
	assert_int_equal(kept->state_since, 12345);
	assert_ptr_equal(find_peer(&t, "2001:db8::3"), changed);
	assert_int_equal(changed->conf.remote_as, 65099);
	assert_null(find_peer(&t, "2001:db8::4"));
	assert_non_null(p = find_peer(&t, "2001:db8::5"));
	assert_int_equal(p->state, NSTATE_IDLE);

	/* The same config again changes nothing. */
	session_apply_config(&t, c2, &st);
	assert_int_equal(st.kept, 3);
	assert_int_equal(st.added + st.changed + st.removed, 0);

	peer_tree_clear(&t);
	config_free(c2);
}

static void
test_rde_reload(void **state)
{
	struct rde_vrf_tree		 t = RB_INITIALIZER(&t);
	struct srv6d_config		*c1, *c2;
	struct rde_reload_stats		 st;
	struct rde_vrf			*kept, *changed;
	struct vrf_config		*nv;

	(void)state;
	assert_non_null(c1 = config_new());
	add_vrf(c1, "red", 10);
	add_vrf(c1, "blue", 20);
	add_vrf(c1, "green", 30);
	rde_apply_config(&t, c1, &st);
	assert_int_equal(st.added, 3);
	assert_non_null(kept = rde_vrf_find(&t, "red"));
	assert_non_null(changed = rde_vrf_find(&t, "blue"));

	assert_non_null(c2 = config_new());
	nv = add_vrf(c2, "red", 10);
	add_vrf(c2, "blue", 21);
	add_vrf(c2, "white", 40);
	rde_apply_config(&t, c2, &st);
	config_free(c1);

	assert_int_equal(st.kept, 1);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.removed, 1);
	assert_ptr_equal(rde_vrf_find(&t, "red"), kept);
	/* Kept entries point at the live config, never the freed one. */
	assert_ptr_equal(kept->conf, nv);
	assert_ptr_equal(rde_vrf_find(&t, "blue"), changed);
	assert_int_equal(changed->conf->table, 21);
	assert_null(rde_vrf_find(&t, "green"));
	assert_non_null(rde_vrf_find(&t, "white"));

	rde_vrf_tree_clear(&t);
	config_free(c2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_first_config),
		cmocka_unit_test(test_session_reload),
		cmocka_unit_test(test_rde_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
