/*
 * rde_update.c: real UPDATE bytes through rde_update.  What reaches the
 * RIB, and each RFC 7606 outcome: treat-as-withdraw removes the prefixes,
 * session reset sends IMSG_UPDATE_ERR with the NOTIFICATION; the loop
 * checks, End-of-RIB, AS4_PATH merge, unknown attributes, IPv6 through
 * MP_REACH/MP_UNREACH, and max-prefix.  VPNv4/VPNv6 (RFC 4364, 4659,
 * 8277, 8950): next hops of 12, 24 and 48 bytes, RD types 0-2, labels per
 * prefix, withdraw and End-of-RIB; the BGP Prefix-SID (RFC 9252) with
 * and without transposition, and malformed ones as treat-as-withdraw.
 */
#include <sys/socket.h>

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
#include "srv6.h"

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

/* ------------------------------------------------------------------ */
/* VPNv4 / VPNv6                                                       */

/* RDs as on the wire: 65001:1 (type 0), 192.0.2.1:7 (1), 65536:5 (2). */
#define RD0		0x0000fde900000001ULL
#define RD1		0x0001c00002010007ULL
#define RD2		0x0002000100000005ULL
#define RD0_HEX		"0000fde900000001"
#define RD1_HEX		"0001c00002010007"
/* MP_REACH_NLRI AFI 1 SAFI 128, next hop RD 0 + 10.0.0.1 (12 bytes). */
#define VPN4_NH12	"0001 80 0c 0000000000000000 0a000001 00"

/* The path of peer p for (rd, prefix) in the global VPN table aid. */
static struct rde_path *
vpn_path(enum rde_aid aid, rd_t rd, const char *prefix, struct rde_peer *p)
{
	struct srv6d_prefix	 sp = P(prefix), got;
	struct rde_prefix	*pfx;
	uint8_t			 key[RDE_KEY_MAX];

	rde_key_make(aid, rd, &sp, key);
	if ((pfx = rde_prefix_find(&rde_tables[aid], key, sp.len)) == NULL)
		return NULL;
	assert_true(rde_prefix_rd(pfx) == rd);
	rde_prefix_get(pfx, &got);
	assert_int_equal(got.len, sp.len);
	assert_int_equal(addr_cmp(&got.addr, &sp.addr), 0);
	return rde_path_find(pfx, p);
}

static void
assert_sid(const struct in6_addr *a, const char *want)
{
	char	buf[INET6_ADDRSTRLEN];

	assert_non_null(inet_ntop(AF_INET6, a, buf, sizeof(buf)));
	assert_string_equal(buf, want);
}

/* VPNv4 over an IPv4 next hop; withdraws with either withdraw label. */
static void
test_vpnv4_nh12(void **state)
{
	struct rde_path		*p, *q;
	struct rde_prefix	*pfx;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e2f " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100"	/* label 16 10.1.0.0/24 */
	    " 70 000111 " RD0_HEX " 0a0200",	/* label 17 10.2.0.0/24 */
	    "");
	assert_int_equal(se_calls, 0);
	assert_int_equal(rde_tables[AID_VPNV4].count, 2);
	assert_int_equal(rde_tables[AID_IPV4].count, 0);
	assert_non_null(p = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(q = vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	/* the key: the RD's 8 wire bytes, then the address */
	pfx = best_last.pfx;
	assert_int_equal(pfx->len, 24);
	assert_memory_equal(pfx->addr,
	    "\x00\x00\xfd\xe9\x00\x00\x00\x01\x0a\x02\x00\x00", 12);
	assert_true(p->flags & PATH_F_BEST);
	assert_string_equal(addr2str(&p->attrs->nexthop), "10.0.0.1");
	assert_int_equal(p->attrs->label, 16);
	assert_int_equal(q->attrs->label, 17);
	assert_false(p->attrs->has_srv6);
	assert_int_equal(p->attrs->aspath->neighbor_as, 65001);
	assert_int_equal(peer.prefixes_received, 2);
	/* RFC 8277 withdraw label 0x800000 */
	feed(&peer, "", "800f12 0001 80 70 800000 " RD0_HEX " 0a0100", "");
	assert_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	/* FRR's withdraw label 0 */
	feed(&peer, "", "800f12 0001 80 70 000000 " RD0_HEX " 0a0200", "");
	assert_null(vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_int_equal(peer.prefixes_received, 0);
	assert_int_equal(se_calls, 0);
}

/*
 * VPNv4 over IPv6 (24 bytes) with extended next hop negotiated for
 * VPNv4 (RFC 8950); without it the next hop is not the one expected:
 * RFC 7606 §7.11, treat-as-withdraw, the session stays.
 */
static void
test_vpnv4_nh24(void **state)
{
	struct rde_path	*p;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, "180a0102");
	peer.sess.ext_nexthop = AFS_VPNV4;
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e2c 0001 80 18 0000000000000000"
	    " 20010db8000000000000000000000001 00"
	    " 70 000101 " RD0_HEX " 0a0100", "");
	assert_non_null(p = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_string_equal(addr2str(&p->attrs->nexthop), "2001:db8::1");
	/* extended next hop only for IPv4 unicast: not for VPNv4 */
	peer.sess.ext_nexthop = AFS_IPV4_UNICAST;
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e2c 0001 80 18 0000000000000000"
	    " 20010db8000000000000000000000002 00"
	    " 70 000101 " RD0_HEX " 0a0100", "");
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.state, PEER_UP);
	assert_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(path4("10.1.2.0/24", &peer));
	/* an RD that is not 0 in the next hop: the same */
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e20 " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100", "");
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e20 0001 80 0c " RD0_HEX " 0a000001 00"
	    " 70 000101 " RD0_HEX " 0a0100", "");
	assert_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.state, PEER_UP);
	assert_int_equal(peer.prefixes_received, 1);
}

/* VPNv6, RD type 1: 24-byte next hop, then 48 (global + link-local). */
static void
test_vpnv6(void **state)
{
	struct rde_path	*p;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e2f 0002 80 18 0000000000000000"
	    " 20010db8000000000000000000000001 00"
	    " 88 000201 " RD1_HEX " 20010db80001", "");
	assert_int_equal(rde_tables[AID_VPNV6].count, 1);
	assert_non_null(p = vpn_path(AID_VPNV6, RD1, "2001:db8:1::/48",
	    &peer));
	assert_string_equal(addr2str(&p->attrs->nexthop), "2001:db8::1");
	assert_int_equal(p->attrs->label, 32);
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "800e47 0002 80 30 0000000000000000"
	    " 20010db8000000000000000000000002"
	    " 0000000000000000 fe800000000000000000000000000002 00"
	    " 88 000201 " RD1_HEX " 20010db80001", "");
	assert_non_null(p = vpn_path(AID_VPNV6, RD1, "2001:db8:1::/48",
	    &peer));
	assert_string_equal(addr2str(&p->attrs->nexthop), "2001:db8::2");
	assert_int_equal(rde_tables[AID_VPNV6].count, 1);
	assert_int_equal(rde_tables[AID_IPV6].count, 0);
	feed(&peer, "", "800f15 0002 80 88 800000 " RD1_HEX " 20010db80001",
	    "");
	assert_null(vpn_path(AID_VPNV6, RD1, "2001:db8:1::/48", &peer));
	assert_int_equal(se_calls, 0);
}

/* One address under RD types 0, 1 and 2: three prefixes. */
static void
test_vpn_rd_types(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e3b " VPN4_NH12
	    " 68 000101 " RD0_HEX " 0a09"
	    " 68 000101 " RD1_HEX " 0a09"
	    " 68 000101 0002000100000005 0a09", "");
	assert_int_equal(rde_tables[AID_VPNV4].count, 3);
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.9.0.0/16", &peer));
	assert_non_null(vpn_path(AID_VPNV4, RD1, "10.9.0.0/16", &peer));
	assert_non_null(vpn_path(AID_VPNV4, RD2, "10.9.0.0/16", &peer));
	assert_null(vpn_path(AID_VPNV4, RD0, "10.9.0.0/24", &peer));
	/* withdrawing one RD leaves the others */
	feed(&peer, "", "800f11 0001 80 68 800000 0002000100000005 0a09", "");
	assert_null(vpn_path(AID_VPNV4, RD2, "10.9.0.0/16", &peer));
	assert_int_equal(rde_tables[AID_VPNV4].count, 2);
	assert_int_equal(se_calls, 0);
}

/* A label per prefix: one set per label, shared again when it repeats. */
static void
test_vpn_labels(void **state)
{
	struct rde_path	*a, *b, *c;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e3e " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100"	/* label 16 */
	    " 70 000111 " RD0_HEX " 0a0200"	/* label 17 */
	    " 70 000101 " RD0_HEX " 0a0300", "");	/* label 16 */
	assert_non_null(a = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(b = vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_non_null(c = vpn_path(AID_VPNV4, RD0, "10.3.0.0/24", &peer));
	assert_int_equal(a->attrs->label, 16);
	assert_int_equal(b->attrs->label, 17);
	assert_int_equal(c->attrs->label, 16);
	assert_ptr_equal(a->attrs, c->attrs);
	assert_ptr_not_equal(a->attrs, b->attrs);
	assert_int_equal(rde_attrs_count(), 2);
	/* the same again: nothing changes, nothing leaks */
	best_calls = 0;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e3e " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100"
	    " 70 000111 " RD0_HEX " 0a0200"
	    " 70 000101 " RD0_HEX " 0a0300", "");
	assert_int_equal(best_calls, 0);
	assert_int_equal(rde_attrs_count(), 2);
}

/* The import filter sees the address part of a VPN prefix. */
static void
test_vpn_filter(void **state)
{
	struct filter_rule	 deny;
	struct rde_path		*p;

	(void)state;
	memset(&deny, 0, sizeof(deny));
	deny.action = FILTER_DENY;
	deny.dir = FILTER_IN;
	deny.prefix = P("10.1.0.0/24");
	TAILQ_INSERT_TAIL(&rules, &deny, entry);
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e2f " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100"
	    " 70 000111 " RD0_HEX " 0a0200", "");
	assert_non_null(p = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_true(p->flags & PATH_F_DENIED);
	assert_non_null(p = vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_false(p->flags & PATH_F_DENIED);
	assert_int_equal(p->attrs->label, 17);
	assert_int_equal(peer.prefixes_accepted, 1);
	TAILQ_REMOVE(&rules, &deny, entry);
}

/* AS loop and max-prefix for a VPN family. */
static void
test_vpn_loop_maxprefix(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e20 " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100", "");
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	/* our AS in the path: the VPN prefix goes */
	feed(&peer, "", ORIGIN_IGP "40020a0202 0000fde9 0000fde8"
	    "800e20 " VPN4_NH12 " 70 000101 " RD0_HEX " 0a0100", "");
	assert_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_int_equal(se_calls, 0);
	/* RFC 4486 §4: Cease with AFI 1, SAFI 128 and the limit */
	conf.max_prefix = 1;
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e2f " VPN4_NH12
	    " 70 000101 " RD0_HEX " 0a0100"
	    " 70 000111 " RD0_HEX " 0a0200", "");
	assert_int_equal(se_calls, 1);
	assert_int_equal(se_type, IMSG_UPDATE_ERR);
	assert_int_equal(se_data[0], BGP_ERR_CEASE);
	assert_int_equal(se_data[1], BGP_CEASE_MAXPREFIX);
	assert_memory_equal(se_data + 2, "\x00\x01\x80\x00\x00\x00\x01", 7);
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_null(vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
}

/* RFC 7606 §5.3: a VPN NLRI field that does not parse resets. */
static void
test_vpn_nlri_reset(void **state)
{
	(void)state;
	/* 80 bits: shorter than label and RD */
	feed(&peer, "", ORIGIN_IGP PATH_65001 "800e1d " VPN4_NH12
	    " 50 000101 " RD0_HEX, "");
	assert_int_equal(se_calls, 1);
	assert_int_equal(se_type, IMSG_UPDATE_ERR);
	assert_int_equal(se_data[0], BGP_ERR_UPDATE);
	assert_int_equal(peer.state, PEER_ERR);
	assert_int_equal(rde_tables[AID_VPNV4].count, 0);
}

static void
test_vpn_eor(void **state)
{
	(void)state;
	feed(&peer, "", "800f03 0001 80", "");
	assert_int_equal(peer.eor_rcvd, AFS_VPNV4);
	feed(&peer, "", "800f03 0002 80", "");
	assert_int_equal(peer.eor_rcvd, AFS_VPNV4 | AFS_VPNV6);
	assert_int_equal(rde_rib_paths(), 0);
	assert_int_equal(se_calls, 0);
}

/* ------------------------------------------------------------------ */
/* BGP Prefix-SID (RFC 9252)                                           */

/*
 * SRv6 L3 Service TLV as FRR 8.4 sends it: SID field the locator
 * fc00:0:1::, behaviour 0xffff, structure 40/24/16/0/16/64.
 */
#define SID_FRR84	"c02825 05 0022 00 01 001e 00"			\
			" fc000000000100000000000000000000 00 ffff 00"	\
			" 01 0006 28 18 10 00 10 40"
/* ExaBGP's generic attribute of SRV6.md: fc00:0:2:2::, End.DT4. */
#define SID_EXABGP	"c02825 0500220001001e00fc00000000020002000000" \
			"000000000000001300010006281810001040"
/* Not transposed (TL 0): the SID field is the SID. */
#define SID_PLAIN	"c02825 05 0022 00 01 001e 00"			\
			" fc000000000200021234000000000000 00 0013 00"	\
			" 01 0006 28 18 10 00 00 00"

/* FRR 8.4: the function in the label (index << 12), per prefix. */
static void
test_sid_transposed(void **state)
{
	struct rde_path	*a, *b;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 SID_FRR84 "800e2f " VPN4_NH12
	    " 70 010001 " RD0_HEX " 0a0100"	/* label 1 << 12 */
	    " 70 020001 " RD0_HEX " 0a0200", "");	/* label 2 << 12 */
	assert_int_equal(se_calls, 0);
	assert_non_null(a = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(b = vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_true(a->attrs->has_srv6);
	assert_sid(&a->attrs->srv6.sid, "fc00:0:1:0:100::");
	assert_sid(&b->attrs->srv6.sid, "fc00:0:1:0:200::");
	assert_int_equal(a->attrs->label, 0x01000);
	assert_int_equal(b->attrs->label, 0x02000);
	/* 0xffff as received; inferring it is for who uses the SID */
	assert_int_equal(a->attrs->srv6.behavior, SRV6_BEHAVIOR_OPAQUE);
	assert_true(a->attrs->srv6.has_structure);
	assert_int_equal(a->attrs->srv6.st.lbl, 40);
	assert_int_equal(a->attrs->srv6.st.lnl, 24);
	assert_int_equal(a->attrs->srv6.st.fl, 16);
	assert_int_equal(a->attrs->srv6.st.al, 0);
	assert_int_equal(a->attrs->srv6.st.tl, 16);
	assert_int_equal(a->attrs->srv6.st.to, 64);
	/* a known attribute: not among the unknown ones */
	assert_int_equal(a->attrs->others_len, 0);
	/* ExaBGP's vector with label 4096 */
	feed(&peer, "", ORIGIN_IGP PATH_65001 SID_EXABGP "800e20 " VPN4_NH12
	    " 70 010001 " RD1_HEX " 0a0100", "");
	assert_non_null(a = vpn_path(AID_VPNV4, RD1, "10.1.0.0/24", &peer));
	assert_sid(&a->attrs->srv6.sid, "fc00:0:2:2:100::");
	assert_int_equal(a->attrs->srv6.behavior, SRV6_BEHAVIOR_END_DT4);
}

/* TL 0 and label 3: the SID whole; both prefixes share one set. */
static void
test_sid_plain(void **state)
{
	struct rde_path	*a, *b;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 SID_PLAIN "800e2f " VPN4_NH12
	    " 70 000031 " RD0_HEX " 0a0100"
	    " 70 000031 " RD0_HEX " 0a0200", "");
	assert_non_null(a = vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(b = vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_ptr_equal(a->attrs, b->attrs);
	assert_true(a->attrs->has_srv6);
	assert_sid(&a->attrs->srv6.sid, "fc00:0:2:2:1234::");
	assert_int_equal(a->attrs->label, SRV6_LABEL_IMPLICIT_NULL);
	assert_int_equal(a->attrs->srv6.behavior, SRV6_BEHAVIOR_END_DT4);
	assert_int_equal(a->attrs->srv6.st.tl, 0);
	assert_int_equal(rde_attrs_count(), 1);
}

/*
 * RFC 9252 §7: a malformed Prefix-SID withdraws the message's prefixes,
 * the session stays and the peer's other routes are untouched.
 */
static void
test_sid_malformed(void **state)
{
	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1, "180a0102");
	feed(&peer, "", ORIGIN_IGP PATH_65001 SID_PLAIN "800e2f " VPN4_NH12
	    " 70 000031 " RD0_HEX " 0a0100"
	    " 70 000031 " RD0_HEX " 0a0200", "");
	assert_int_equal(rde_tables[AID_VPNV4].count, 2);
	/* SID Information sub-TLV of 20 octets (FRR 8.4 aborts on it) */
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "c0281b 05 0018 00 01 0014 00"
	    " fc000000000200020000000000000000 00 0013"
	    "800e20 " VPN4_NH12 " 70 000031 " RD0_HEX " 0a0100", "");
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.state, PEER_UP);
	assert_null(vpn_path(AID_VPNV4, RD0, "10.1.0.0/24", &peer));
	assert_non_null(vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	assert_non_null(path4("10.1.2.0/24", &peer));
	/* TL 21 (§7: ineligible): the same */
	feed(&peer, "", ORIGIN_IGP PATH_65001
	    "c02825 05 0022 00 01 001e 00"
	    " fc000000000200020000000000000000 00 0013 00"
	    " 01 0006 28 18 10 00 15 40"
	    "800e20 " VPN4_NH12 " 70 000031 " RD0_HEX " 0a0200", "");
	assert_null(vpn_path(AID_VPNV4, RD0, "10.2.0.0/24", &peer));
	/* flags not optional transitive (RFC 7606 §3 c) */
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1
	    "802825 05 0022 00 01 001e 00"
	    " fc000000000200021234000000000000 00 0013 00"
	    " 01 0006 28 18 10 00 00 00", "180a0102");
	assert_null(path4("10.1.2.0/24", &peer));
	assert_int_equal(se_calls, 0);
	assert_int_equal(peer.state, PEER_UP);
	assert_int_equal(peer.prefixes_received, 0);
}

/*
 * RFC 9252 §5: IPv4 unicast over SRv6 carries it too; no label, so no
 * transposition: the SID field is the SID.  A Prefix-SID without an SRv6
 * Service TLV (a Label-Index, RFC 8669) is passed on untouched.
 */
static void
test_sid_unicast(void **state)
{
	struct rde_path	*p;

	(void)state;
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1 SID_EXABGP,
	    "180a0102");
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_true(p->attrs->has_srv6);
	assert_sid(&p->attrs->srv6.sid, "fc00:0:2:2::");
	assert_int_equal(p->attrs->label, 0);
	assert_int_equal(p->attrs->others_len, 0);
	feed(&peer, "", ORIGIN_IGP PATH_65001 NH_10_0_0_1
	    "c0280a 01 0007 00 0000 00000064", "180a0102");
	assert_non_null(p = path4("10.1.2.0/24", &peer));
	assert_false(p->attrs->has_srv6);
	assert_int_equal(p->attrs->others_len, 13);
	assert_int_equal(p->attrs->others[1], BGP_ATTR_PREFIX_SID);
	assert_int_equal(se_calls, 0);
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
		cmocka_unit_test_setup_teardown(test_vpnv4_nh12, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpnv4_nh24, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpnv6, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_rd_types, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_labels, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_filter, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_loop_maxprefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_nlri_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vpn_eor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sid_transposed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sid_plain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sid_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sid_unicast, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
