/*
 * rde_filter.c: the rule evaluator with rules built in C.  RFC 8212
 * defaults, last match wins, quick, each match and each set action, and
 * the interned results.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde_stubs.h"

static struct rde_peer		 ebgp, ibgp;
static struct neighbor_config	 ebgp_conf, ibgp_conf;
static struct filter_head	 rules;
static struct rde_attrs		*in;
static const uint32_t		 path[] = { 65001, 65010, 65020 };

static int
setup(void **state)
{
	uint32_t		 comm[] = { 65001U << 16 | 100 };
	struct rde_attrs	 t;

	(void)state;
	rde_attr_init();
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65000;
	peer_init(&ebgp, 1, true, 65001, "10.0.0.1", "1.1.1.1");
	peer_init(&ibgp, 2, false, 65000, "10.0.0.2", "2.2.2.2");
	memset(&ebgp_conf, 0, sizeof(ebgp_conf));
	memset(&ibgp_conf, 0, sizeof(ibgp_conf));
	ebgp_conf.addr = ebgp.sess.remote_addr;
	ibgp_conf.addr = ibgp.sess.remote_addr;
	strlcpy(ebgp_conf.group, "upstreams", sizeof(ebgp_conf.group));
	ebgp.conf = &ebgp_conf;
	ibgp.conf = &ibgp_conf;
	TAILQ_INIT(&rules);
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	t.aspath = path_make(path, 3);
	str2addr("10.0.0.1", &t.nexthop);
	t.communities = comm;
	t.n_communities = 1;
	in = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	return 0;
}

static int
teardown(void **state)
{
	struct filter_rule	*r;

	(void)state;
	while ((r = TAILQ_FIRST(&rules)) != NULL) {
		TAILQ_REMOVE(&rules, r, entry);
		free(r);
	}
	rde_attrs_unref(in);
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	rde_attr_shutdown();
	return 0;
}

static struct filter_rule *
rule(enum filter_action action, enum filter_peer peer)
{
	struct filter_rule	*r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->action = action;
	r->dir = FILTER_IN;
	r->peer = peer;
	TAILQ_INSERT_TAIL(&rules, r, entry);
	return r;
}

static struct srv6d_prefix *
pfx(const char *s)
{
	static struct srv6d_prefix	p;

	assert_int_equal(str2prefix(s, &p), 0);
	return &p;
}

/* Run, check the verdict, drop the result; returns whether changed. */
static bool
run(const struct rde_peer *peer, const char *p, enum filter_action want)
{
	struct rde_attrs	*out = (void *)1;
	bool			 changed;

	assert_int_equal(rde_filter_apply(&rules, FILTER_IN, peer, pfx(p), in,
	    &out), want);
	if (want == FILTER_DENY) {
		assert_null(out);
		return false;
	}
	assert_non_null(out);
	changed = out != in;
	rde_attrs_unref(out);
	return changed;
}

static void
test_defaults(void **state)
{
	(void)state;
	/* RFC 8212: eBGP denied without a rule, iBGP and our own allowed */
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	assert_false(run(&ibgp, "10.0.0.0/8", FILTER_ALLOW));
	assert_int_equal(in->refcnt, 1);
	rde_peer_self.ebgp = false;
	run(&rde_peer_self, "10.0.0.0/8", FILTER_ALLOW);
	assert_int_equal(rde_filter_apply(NULL, FILTER_IN, &ebgp,
	    pfx("10.0.0.0/8"), in, &(struct rde_attrs *){ NULL }),
	    FILTER_DENY);
	assert_false(rde_filter_uses_prefix(&rules, FILTER_IN));
}

static void
test_last_match_quick(void **state)
{
	struct filter_rule	*r;

	(void)state;
	rule(FILTER_ALLOW, FILTER_PEER_EBGP);
	r = rule(FILTER_DENY, FILTER_PEER_ANY);
	r->prefix = *pfx("10.0.0.0/8");
	r->len_min = 8;
	r->len_max = 24;
	assert_true(rde_filter_uses_prefix(&rules, FILTER_IN));
	assert_false(rde_filter_uses_prefix(&rules, FILTER_OUT));
	run(&ebgp, "10.1.0.0/16", FILTER_DENY);
	run(&ebgp, "10.1.2.0/24", FILTER_DENY);
	run(&ebgp, "10.1.2.0/25", FILTER_ALLOW);	/* longer than 24 */
	run(&ebgp, "11.0.0.0/8", FILTER_ALLOW);
	run(&ebgp, "2001:db8::/32", FILTER_ALLOW);
	/* a quick allow before them decides at once */
	r = calloc(1, sizeof(*r));
	r->action = FILTER_ALLOW;
	r->quick = true;
	r->peer = FILTER_PEER_ADDR;
	r->peer_addr = ebgp.sess.remote_addr;
	TAILQ_INSERT_HEAD(&rules, r, entry);
	run(&ebgp, "10.1.0.0/16", FILTER_ALLOW);
	run(&ibgp, "10.1.0.0/16", FILTER_DENY);
	/* exact length without a range */
	r->peer_addr = ibgp.sess.remote_addr;
	r->prefix = *pfx("10.1.0.0/16");
	run(&ibgp, "10.1.0.0/16", FILTER_ALLOW);
	run(&ibgp, "10.1.0.0/17", FILTER_DENY);
}

static void
test_matches(void **state)
{
	struct filter_rule	*r;

	(void)state;
	r = rule(FILTER_ALLOW, FILTER_PEER_GROUP);
	strlcpy(r->group, "upstreams", sizeof(r->group));
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	strlcpy(r->group, "others", sizeof(r->group));
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	r->peer = FILTER_PEER_ANY;
	r->has_community = true;
	r->community = 65001U << 16 | 100;
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	r->community = 65001U << 16 | 101;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	r->has_community = false;
	r->as_type = FILTER_AS_SOURCE;
	r->as = 65020;
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	r->as = 65010;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	r->as_type = FILTER_AS_TRANSIT;
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	r->as = 65099;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	r->as_type = FILTER_AS_PEER;
	r->as = 65001;
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	r->as = 65010;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	r->as_type = FILTER_AS_ANY;
	run(&ebgp, "10.0.0.0/8", FILTER_ALLOW);
	/* a rule for the other direction does not apply */
	r->as_type = FILTER_AS_NONE;
	r->dir = FILTER_OUT;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
}

static void
test_set(void **state)
{
	struct filter_rule	*r;
	struct rde_attrs	*out, *out2;
	bool			 nhself;

	(void)state;
	r = rule(FILTER_MATCH, FILTER_PEER_ANY);
	r->set = FILTER_SET_LOCALPREF | FILTER_SET_COMMUNITY | FILTER_SET_MED;
	r->set_localpref = 300;
	r->set_med = 7;
	r->set_community = 65000U << 16 | 1;
	/* match alone gives no verdict: eBGP still denied */
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
	rule(FILTER_ALLOW, FILTER_PEER_ANY);
	assert_int_equal(rde_filter_apply(&rules, FILTER_IN, &ebgp,
	    pfx("10.0.0.0/8"), in, &out), FILTER_ALLOW);
	assert_ptr_not_equal(out, in);
	assert_int_equal(out->localpref, 300);
	assert_true(out->flags & ATTR_F_LOCALPREF);
	assert_int_equal(out->med, 7);
	assert_true(out->flags & ATTR_F_MED);
	assert_int_equal(out->n_communities, 2);
	assert_true(rde_attrs_has_community(out, 65000U << 16 | 1));
	assert_true(rde_attrs_has_community(out, 65001U << 16 | 100));
	assert_ptr_equal(out->aspath, in->aspath);
	/* the input is untouched and the same result is shared */
	assert_int_equal(in->n_communities, 1);
	assert_int_equal(in->localpref, RDE_LOCALPREF_DEFAULT);
	rde_filter_apply(&rules, FILTER_IN, &ebgp, pfx("10.0.0.0/8"), in,
	    &out2);
	assert_ptr_equal(out, out2);
	assert_int_equal(out->refcnt, 2);
	rde_attrs_unref(out2);
	rde_attrs_unref(out);
	/* an existing community is not added twice */
	r->set = FILTER_SET_COMMUNITY;
	r->set_community = 65001U << 16 | 100;
	assert_false(run(&ebgp, "10.0.0.0/8", FILTER_ALLOW) &&
	    in->n_communities != 1);
	/* prepend our AS */
	r->set = FILTER_SET_PREPEND;
	r->set_prepend = 3;
	rde_filter_apply(&rules, FILTER_IN, &ebgp, pfx("10.0.0.0/8"), in,
	    &out);
	assert_int_equal(out->aspath->pathlen, 6);
	assert_int_equal(out->aspath->neighbor_as, 65000);
	assert_int_equal(out->aspath->origin_as, 65020);
	rde_attrs_unref(out);
	/* next-hop self: only outbound, and not an attribute change */
	r->set = FILTER_SET_NEXTHOP_SELF;
	r->dir = FILTER_OUT;
	TAILQ_LAST(&rules, filter_head)->dir = FILTER_OUT;
	assert_int_equal(rde_filter_apply_nh(&rules, FILTER_OUT, &ebgp,
	    pfx("10.0.0.0/8"), in, &out, &nhself), FILTER_ALLOW);
	assert_true(nhself);
	assert_ptr_equal(out, in);
	rde_attrs_unref(out);
	/* a deny rule's sets leave nothing behind */
	r->dir = FILTER_IN;
	r->action = FILTER_DENY;
	r->set = FILTER_SET_PREPEND | FILTER_SET_COMMUNITY;
	r->quick = true;
	run(&ebgp, "10.0.0.0/8", FILTER_DENY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_last_match_quick, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
