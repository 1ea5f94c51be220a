/*
 * rde_update.c: real UPDATE bytes through rde_update.  What reaches the
 * RIB, and each RFC 7606 outcome: treat-as-withdraw removes the prefixes,
 * session reset sends IMSG_UPDATE_ERR with the NOTIFICATION; the loop
 * checks, End-of-RIB, AS4_PATH merge, unknown attributes, IPv6 through
 * MP_REACH/MP_UNREACH, a VPN family ignored, and max-prefix.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde_stubs.h"
#include "helpers.h"

static struct rde_peer		 peer, ipeer;
static struct neighbor_config	 conf, iconf;
static struct filter_head	 rules;
static struct filter_rule	 allow_all;

/* Attributes used again and again (hex). */
#define ORIGIN_IGP	"40010100"
#define PATH_65001	"4002060201 0000fde9"
#define NH_10_0_0_1	"4003040a000001"
#define NLRI_TWO	"180a0102 100a02"	/* 10.1.2.0/24, 10.2.0.0/16 */

/* Send an UPDATE made of withdrawn routes, attributes and NLRI. */
static void
feed(struct rde_peer *p, const char *wd, const char *attrs, const char *nlri)
{
	uint8_t	m[4096];
	size_t	n = BGP_HDR_LEN, wl, al;

	memset(m, 0xff, BGP_MARKER_LEN);
	m[18] = BGP_UPDATE;
	wl = unhex(wd, m + n + 2, sizeof(m) - n - 2);
	m[n] = wl >> 8;
	m[n + 1] = wl & 0xff;
	n += 2 + wl;
	al = unhex(attrs, m + n + 2, sizeof(m) - n - 2);
	m[n] = al >> 8;
	m[n + 1] = al & 0xff;
	n += 2 + al;
	n += unhex(nlri, m + n, sizeof(m) - n);
	m[16] = n >> 8;
	m[17] = n & 0xff;
	rde_update(p, m, n);
}

static struct rde_path *
path4(const char *prefix, struct rde_peer *p)
{
	struct srv6d_prefix	 sp;
	struct rde_prefix	*pfx;
	int			 aid;

	assert_int_equal(str2prefix(prefix, &sp), 0);
	aid = sp.addr.af == AF_INET ? AID_IPV4 : AID_IPV6;
	pfx = rde_prefix_find(&rde_tables[aid], (uint8_t *)&sp.addr.v6,
	    sp.len);
	return pfx ? rde_path_find(pfx, p) : NULL;
}

static int
setup(void **state)
{
	(void)state;
	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65000;
	inet_pton(AF_INET, "192.0.2.254", &rde_self.router_id);
	inet_pton(AF_INET, "192.0.2.253", &rde_self.cluster_id);
	TAILQ_INIT(&rules);
	memset(&allow_all, 0, sizeof(allow_all));
	allow_all.action = FILTER_ALLOW;
	TAILQ_INSERT_TAIL(&rules, &allow_all, entry);
	rde_self.filters = &rules;
	rde_rib_init();
	peer_init(&peer, 7, true, 65001, "10.0.0.1", "1.1.1.1");
	peer_init(&ipeer, 8, false, 65000, "10.0.0.8", "8.8.8.8");
	memset(&conf, 0, sizeof(conf));
	memset(&iconf, 0, sizeof(iconf));
	conf.addr = peer.sess.remote_addr;
	iconf.addr = ipeer.sess.remote_addr;
	peer.conf = &conf;
	ipeer.conf = &iconf;
	stubs_reset();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rde_rib_peer_flush(&peer);
	rde_rib_peer_flush(&ipeer);
	assert_int_equal(rde_rib_paths(), 0);
	rde_rib_shutdown();
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	return 0;
}

static void
test_announce_withdraw(void **state)
{
	struct rde_path	*p;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1
	    "80040400000005"			/* MED 5 */
	    "c008080000fde9 0000fdea",		/* 2 communities */
	    NLRI_TWO);
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.prefixes_received, 2);
	assert_int_equal(peer.prefixes_best, 2);
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_non_null(path4("10.2.0.0/16", &peer));
	assert_ptr_equal(p->attrs, path4("10.2.0.0/16", &peer)->attrs);
	assert_int_equal(p->attrs->origin, BGP_ORIGIN_IGP);
	assert_int_equal(p->attrs->aspath->neighbor_as, 65001);
	assert_string_equal(addr2str(&p->attrs->nexthop), "10.0.0.1");
	assert_true(p->attrs->flags & ATTR_F_MED);
	assert_int_equal(p->attrs->med, 5);
	assert_int_equal(p->attrs->localpref, RDE_LOCALPREF_DEFAULT);
	assert_int_equal(p->attrs->n_communities, 2);
	assert_int_equal(p->attrs->communities[1], 0xfdea);
	assert_true(p->flags & PATH_F_BEST);
	/* withdrawn routes field */
	feed(&peer, "180a0102", "", "");
	assert_null(path4("10.1.2.0/24", &peer));
	assert_non_null(path4("10.2.0.0/16", &peer));
	assert_int_equal(peer.prefixes_received, 1);
}

/* RFC 8212: without the allow rule an eBGP route is kept, denied. */
static void
test_default_deny(void **state)
{
	struct rde_path	*p;

	(void)state;
	TAILQ_REMOVE(&rules, &allow_all, entry);
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, NLRI_TWO);
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_true(p->flags & PATH_F_DENIED);
	assert_int_equal(peer.prefixes_received, 2);
	assert_int_equal(peer.prefixes_accepted, 0);
	assert_int_equal(peer.prefixes_best, 0);
	assert_int_equal(best_calls, 0);
}

static void
test_treat_as_withdraw(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, NLRI_TWO);
	assert_int_equal(peer.prefixes_received, 2);
	/* ORIGIN 5: RFC 7606 §7.1 treat-as-withdraw, no NOTIFICATION */
	feed(&peer, "", "40010105" PATH_65001 NH_10_0_0_1, "180a0102");
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.state, PEER_UP);
	assert_null(path4("10.1.2.0/24", &peer));
	assert_non_null(path4("10.2.0.0/16", &peer));
	/* missing NEXT_HOP: the same */
	feed(&peer, "", ORIGIN_IGP PATH_65001, "100a02");
	assert_null(path4("10.2.0.0/16", &peer));
	assert_int_equal(peer.prefixes_received, 0);
}

static void
test_session_reset(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, NLRI_TWO);
	/* an NLRI of length 33: Invalid Network Field, session reset */
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, "210a010203 04");
	assert_int_equal(se_calls, 1);
	assert_int_equal(se_type, IMSG_UPDATE_ERR);
	assert_int_equal(se_peerid, 7);
	assert_true(se_len >= sizeof(struct session_notify));
	assert_int_equal(se_data[0], BGP_ERR_UPDATE);
	assert_int_equal(se_data[1], BGP_ERR_UPD_NETWORK);
	assert_int_equal(peer.state, PEER_ERR);
	/* nothing of the message was used, and what follows is ignored */
	assert_non_null(path4("10.1.2.0/24", &peer));
	feed(&peer, "180a0102", "", "");
	assert_non_null(path4("10.1.2.0/24", &peer));
	/* an unknown well-known attribute: reset with the attribute */
	peer.state = PEER_UP;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1 "40630100",
	    "180a0102");
	assert_int_equal(se_calls, 2);
	assert_int_equal(se_data[0], BGP_ERR_UPDATE);
	assert_int_equal(se_data[1], BGP_ERR_UPD_UNKNWN_WK);
	assert_int_equal(se_len, 2 + 4);
	assert_int_equal(se_data[3], 0x63);
}

static void
test_ebgp_checks(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, NLRI_TWO);
	/* first AS not the peer's: the prefixes go, the session stays */
	feed(&peer, "", ORIGIN_IGP "4002060201 0000fdea" NH_10_0_0_1,
	    "180a0102");
	assert_null(path4("10.1.2.0/24", &peer));
	assert_int_equal(se_calls, 0);
	/* our AS in the path: a loop, ignored */
	feed(&peer, "", ORIGIN_IGP "40020a0202 0000fde9 0000fde8" NH_10_0_0_1,
	    "100a02");
	assert_null(path4("10.2.0.0/16", &peer));
	assert_int_equal(peer.prefixes_received, 0);
}

static void
test_ibgp_checks(void **state)
{
	struct rde_path	*p;

	(void)state;
	/* LOCAL_PREF from iBGP is used; an empty AS_PATH is fine */
	feed(&ipeer, "", ORIGIN_IGP "400200" NH_10_0_0_1 "40050400000096",
	    "180a0102");
	assert_non_null(p = path4("10.1.2.0/24", &ipeer));
	assert_int_equal(p->attrs->localpref, 150);
	assert_int_equal(p->attrs->aspath->len, 0);
	/* ORIGINATOR_ID = our router id: reflected back to us, ignored */
	feed(&ipeer, "", ORIGIN_IGP "400200" NH_10_0_0_1 "800904c00002fe",
	    "180a0102");
	assert_null(path4("10.1.2.0/24", &ipeer));
	/* our cluster id in CLUSTER_LIST */
	feed(&ipeer, "", ORIGIN_IGP "400200" NH_10_0_0_1
	    "800a080a000001 c00002fd", "100a02");
	assert_null(path4("10.2.0.0/16", &ipeer));
	/* another cluster: accepted, the list kept */
	feed(&ipeer, "", ORIGIN_IGP "400200" NH_10_0_0_1
	    "800a040a000001 800904 0b000001", "100a02");
	assert_non_null(p = path4("10.2.0.0/16", &ipeer));
	assert_int_equal(p->attrs->n_cluster, 1);
	assert_int_equal(p->attrs->cluster_list[0], 0x0a000001);
	assert_true(p->attrs->flags & ATTR_F_ORIGINATOR);
	assert_int_equal(se_calls, 0);
}

static void
test_mp_ipv6(void **state)
{
	struct rde_path	*p;

	(void)state;
	/* MP_REACH: AFI 2 SAFI 1, NH 2001:db8::1, 2001:db8::/32, ::/0 */
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e1b 0002 01 10 20010db8000000000000000000000001 00"
	    " 20 20010db8 00", "");
	assert_non_null(p = path4("2001:db8::/32", &peer));
	assert_string_equal(addr2str(&p->attrs->nexthop), "2001:db8::1");
	assert_non_null(path4("::/0", &peer));
	assert_int_equal(rde_tables[AID_IPV6].count, 2);
	/* MP_UNREACH */
	feed(&peer, "", "800f08 0002 01 20 20010db8", "");
	assert_null(path4("2001:db8::/32", &peer));
	assert_non_null(path4("::/0", &peer));
	/* a VPN family is left alone, cleanly */
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e20 0001 80 0c 000000000000000000000001 00"
	    " 70 000011 0000fde900000001 0a0101", "");
	assert_int_equal(rde_tables[AID_IPV4].count, 0);
	assert_int_equal(se_calls, 0);
}

static void
test_eor(void **state)
{
	(void)state;
	feed(&peer, "", "", "");
	assert_int_equal(peer.eor_rcvd, AFS_IPV4_UNICAST);
	feed(&peer, "", "800f03 0002 01", "");
	assert_int_equal(peer.eor_rcvd, AFS_IPV4_UNICAST | AFS_IPV6_UNICAST);
	assert_int_equal(rde_rib_paths(), 0);
}

/* A 2-octet peer: AS_PATH with AS_TRANS, AS4_PATH with the real AS. */
static void
test_as4_merge(void **state)
{
	struct rde_path	*p;

	(void)state;
	peer.sess.capa = 0;
	peer.remote_as = 4200000000U;
	feed(&peer, "", ORIGIN_IGP "400204 0201 5ba0" NH_10_0_0_1
	    "c01106 0201 fa56ea00", "180a0102");
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_int_equal(p->attrs->aspath->neighbor_as, 4200000000U);
	assert_int_equal(p->attrs->aspath->pathlen, 1);
}

/* Unknown optional transitive: kept with Partial; non-transitive: not. */
static void
test_unknown_attrs(void **state)
{
	struct rde_path	*p;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1
	    "c0630201 02 80640101", "180a0102");
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_int_equal(p->attrs->others_len, 5);
	assert_int_equal(p->attrs->others[0], 0xe0);
	assert_int_equal(p->attrs->others[1], 0x63);
	assert_int_equal(p->attrs->others[2], 2);
	assert_int_equal(p->attrs->others[4], 2);
}

static void
test_maxprefix(void **state)
{
	(void)state;
	conf.max_prefix = 1;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, NLRI_TWO);
	assert_int_equal(se_calls, 1);
	assert_int_equal(se_type, IMSG_UPDATE_ERR);
	assert_int_equal(se_len, 2 + 7);
	assert_int_equal(se_data[0], BGP_ERR_CEASE);
	assert_int_equal(se_data[1], BGP_CEASE_MAXPREFIX);
	/* AFI 1, SAFI 1, limit 1 (RFC 4486 §4) */
	assert_memory_equal(se_data + 2, "\x00\x01\x01\x00\x00\x00\x01", 7);
	assert_int_equal(peer.state, PEER_ERR);
	/* the second prefix was not taken */
	assert_null(path4("10.2.0.0/16", &peer));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_announce_withdraw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_default_deny, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_treat_as_withdraw, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_session_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ebgp_checks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ibgp_checks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mp_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as4_merge, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_attrs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_maxprefix, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
