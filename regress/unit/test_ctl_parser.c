/*
 * srv6ctl's token-table parser: every valid command line maps to its
 * action and arguments; anything else is rejected with a reason.
 */
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parser.h"

#define MAXWORDS	16

/* Parse a space-separated command line; returns parse()'s result. */
static int
parse_line(const char *line, struct parse_result *res, char *err,
    size_t errlen)
{
	char	 buf[1024], *words[MAXWORDS], *w, *save = NULL;
	int	 n = 0;

	strlcpy(buf, line, sizeof(buf));
	for (w = strtok_r(buf, " ", &save); w != NULL && n < MAXWORDS;
	    w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	err[0] = '\0';
	return parse(n, words, res, err, errlen);
}

static void
expect_action(const char *line, enum actions action)
{
	struct parse_result	res;
	char			err[256];

	if (parse_line(line, &res, err, sizeof(err)) != 0)
		fail_msg("\"%s\" rejected: %s", line, err);
	if (res.action != action)
		fail_msg("\"%s\" gave %s, want %s", line,
		    action_name(res.action), action_name(action));
}

static void
expect_reject(const char *line, const char *why)
{
	struct parse_result	res;
	char			err[256];

	if (parse_line(line, &res, err, sizeof(err)) != -1)
		fail_msg("\"%s\" accepted as %s", line,
		    action_name(res.action));
	if (strstr(err, why) == NULL)
		fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", line, err, why);
}

static void
test_valid_commands(void **state)
{
	(void)state;
	expect_action("show summary", SHOW_SUMMARY);
	expect_action("show neighbor", SHOW_NEIGHBOR);
	expect_action("show vrf", SHOW_VRF);
	expect_action("reload", RELOAD);
	expect_action("log verbose", LOG_VERBOSE);
	expect_action("log brief", LOG_BRIEF);
	expect_action("show rib", SHOW_RIB);
	expect_action("neighbor 192.0.2.2 up", NEIGHBOR_UP);
	expect_action("neighbor 192.0.2.2 down", NEIGHBOR_DOWN);
	expect_action("neighbor 2001:db8::2 clear", NEIGHBOR_CLEAR);
	expect_action("neighbor 2001:db8::2 refresh", NEIGHBOR_REFRESH);
	expect_action("show sid", SHOW_SID);
	expect_action("show locator", SHOW_LOCATOR);
	expect_action("show fib", SHOW_FIB);
	expect_action("show rib vpnv4", SHOW_RIB);
	expect_action("show rib vrf red", SHOW_RIB);
}

static void
test_abbreviations(void **state)
{
	(void)state;
	expect_action("sh su", SHOW_SUMMARY);
	expect_action("s n", SHOW_NEIGHBOR);
	expect_action("show v", SHOW_VRF);
	expect_action("rel", RELOAD);
	expect_action("l v", LOG_VERBOSE);
	expect_action("lo b", LOG_BRIEF);
	expect_action("sh r", SHOW_RIB);
	expect_action("sh r ipv4 n 10.0.0.1 b", SHOW_RIB);
	expect_action("n 10.0.0.1 d", NEIGHBOR_DOWN);
	expect_action("nei 10.0.0.1 ref", NEIGHBOR_REFRESH);
	expect_action("nei 10.0.0.1 c", NEIGHBOR_CLEAR);
	expect_action("nei 10.0.0.1 u", NEIGHBOR_UP);
	expect_action("sh si", SHOW_SID);
	expect_action("sh l", SHOW_LOCATOR);
	expect_action("sh f", SHOW_FIB);
	expect_reject("show fib all", "unexpected argument: all");
	expect_action("sh r vpnv6 r 65000:1", SHOW_RIB);
	expect_action("sh r vr red", SHOW_RIB);
	/* "s" is summary or sid, "v" vpnv4, vpnv6 or vrf */
	expect_reject("show s", "ambiguous argument: s");
	expect_reject("show rib v", "ambiguous argument: v");
}

static void
test_neighbor_address(void **state)
{
	struct parse_result	res;
	char			err[256];
	struct in_addr		v4;
	struct in6_addr		v6;

	(void)state;
	assert_int_equal(parse_line("show neighbor", &res, err,
	    sizeof(err)), 0);
	assert_int_equal(res.addr.af, AF_UNSPEC);

	assert_int_equal(parse_line("show neighbor 192.0.2.7", &res, err,
	    sizeof(err)), 0);
	assert_int_equal(res.action, SHOW_NEIGHBOR);
	assert_int_equal(res.addr.af, AF_INET);
	inet_pton(AF_INET, "192.0.2.7", &v4);
	assert_memory_equal(&res.addr.v4, &v4, sizeof(v4));

	assert_int_equal(parse_line("show neighbor 2001:db8::2", &res, err,
	    sizeof(err)), 0);
	assert_int_equal(res.addr.af, AF_INET6);
	inet_pton(AF_INET6, "2001:db8::2", &v6);
	assert_memory_equal(&res.addr.v6, &v6, sizeof(v6));
	assert_string_equal(res.name, "");
}

static void
test_vrf_name(void **state)
{
	struct parse_result	res;
	char			err[256];

	(void)state;
	assert_int_equal(parse_line("show vrf", &res, err, sizeof(err)), 0);
	assert_string_equal(res.name, "");
	assert_int_equal(parse_line("show vrf vrf0", &res, err, sizeof(err)),
	    0);
	assert_int_equal(res.action, SHOW_VRF);
	assert_string_equal(res.name, "vrf0");
	assert_int_equal(res.addr.af, AF_UNSPEC);
	/* 15 characters fit a VRF (device) name, 16 do not */
	assert_int_equal(parse_line("show vrf abcdefghijklmno", &res, err,
	    sizeof(err)), 0);
	assert_string_equal(res.name, "abcdefghijklmno");
	expect_reject("show vrf abcdefghijklmnop", "invalid name");
}

/* Parse a line that must be accepted. */
static void
parse_ok(const char *line, struct parse_result *res)
{
	char	err[256];

	if (parse_line(line, res, err, sizeof(err)) != 0)
		fail_msg("\"%s\" rejected: %s", line, err);
}

static void
check_prefix(const struct srv6d_prefix *p, const char *want)
{
	assert_string_equal(prefix2str(p), want);
}

static void
test_rib_options(void **state)
{
	struct parse_result	res;
	struct srv6d_addr	a;

	(void)state;
	parse_ok("show rib", &res);
	assert_int_equal(res.rib.flags, 0);
	assert_int_equal(res.rib.afs, 0);
	assert_int_equal(res.detail, 0);

	parse_ok("show rib ipv4 10.0.0.0/8 or-longer neighbor 192.0.2.2 "
	    "in best detail", &res);
	assert_int_equal(res.action, SHOW_RIB);
	assert_int_equal(res.rib.afs, AFS_IPV4_UNICAST);
	assert_int_equal(res.rib.flags, RIB_REQ_PREFIX | RIB_REQ_LONGER |
	    RIB_REQ_NEIGHBOR | RIB_REQ_IN | RIB_REQ_BEST);
	check_prefix(&res.rib.prefix, "10.0.0.0/8");
	assert_int_equal(str2addr("192.0.2.2", &a), 0);
	assert_int_equal(addr_cmp(&res.rib.neighbor, &a), 0);
	assert_int_equal(res.detail, 1);
	/* the neighbor of show rib is not the target of a neighbor command */
	assert_int_equal(res.addr.af, AF_UNSPEC);

	/* the same options in another order */
	parse_ok("show rib detail best in neighbor 192.0.2.2 10.0.0.0/8 "
	    "or-longer ipv4", &res);
	assert_int_equal(res.rib.flags, RIB_REQ_PREFIX | RIB_REQ_LONGER |
	    RIB_REQ_NEIGHBOR | RIB_REQ_IN | RIB_REQ_BEST);
	assert_int_equal(res.rib.afs, AFS_IPV4_UNICAST);

	parse_ok("show rib out neighbor 2001:db8::2 ipv6", &res);
	assert_int_equal(res.rib.flags, RIB_REQ_OUT | RIB_REQ_NEIGHBOR);
	assert_int_equal(res.rib.afs, AFS_IPV6_UNICAST);
	assert_int_equal(res.rib.neighbor.af, AF_INET6);
}

/* A prefix has its host bits cleared; an address asks for its match. */
static void
test_rib_prefix(void **state)
{
	struct parse_result	res;

	(void)state;
	parse_ok("show rib 10.1.2.3/16", &res);
	check_prefix(&res.rib.prefix, "10.1.0.0/16");
	assert_int_equal(res.rib.flags, RIB_REQ_PREFIX);

	parse_ok("show rib 10.1.2.3", &res);
	check_prefix(&res.rib.prefix, "10.1.2.3/32");
	assert_int_equal(res.rib.flags, RIB_REQ_PREFIX);

	parse_ok("show rib 2001:db8::1", &res);
	check_prefix(&res.rib.prefix, "2001:db8::1/128");

	parse_ok("show rib 2001:db8::/32 or-longer", &res);
	check_prefix(&res.rib.prefix, "2001:db8::/32");
	assert_int_equal(res.rib.flags, RIB_REQ_PREFIX | RIB_REQ_LONGER);

	parse_ok("show rib 0.0.0.0/0", &res);
	check_prefix(&res.rib.prefix, "0.0.0.0/0");
	parse_ok("show rib ipv6 ::/0 or-longer", &res);
	check_prefix(&res.rib.prefix, "::/0");
}

static void
test_rib_invalid(void **state)
{
	(void)state;
	expect_reject("show rib 10.0.0.0/33", "invalid prefix: 10.0.0.0/33");
	expect_reject("show rib 2001:db8::/129", "invalid prefix");
	expect_reject("show rib 10.0.0.0/", "invalid prefix");
	expect_reject("show rib 10.0.0/8", "invalid prefix");
	expect_reject("show rib bogus", "invalid prefix or address: bogus");
	expect_reject("show rib 10.0.0.0/8 10.1.0.0/16", "duplicate prefix");
	expect_reject("show rib or-longer", "or-longer needs a PREFIX/len");
	expect_reject("show rib 10.0.0.1 or-longer", "needs a PREFIX/len");
	expect_reject("show rib 10.0.0.0/8 or-longer or-longer",
	    "duplicate argument: or-longer");
	expect_reject("show rib in out", "conflicting arguments: in, out");
	expect_reject("show rib out in", "conflicting arguments");
	expect_reject("show rib best best", "duplicate argument: best");
	expect_reject("show rib detail detail", "duplicate argument: detail");
	expect_reject("show rib ipv4 ipv6", "only one of ipv4, ipv6, vpnv4");
	expect_reject("show rib ipv6 10.0.0.0/8", "not of the family");
	expect_reject("show rib 2001:db8::/32 ipv4", "not of the family");
	expect_reject("show rib neighbor", "incomplete command");
	expect_reject("show rib neighbor pe0", "invalid address: pe0");
	expect_reject("show rib neighbor 10.0.0.1 neighbor 10.0.0.2",
	    "duplicate neighbor");
	/* "o" abbreviates both or-longer and out; "i" three keywords */
	expect_reject("show rib o", "ambiguous argument: o");
	expect_reject("show rib i", "ambiguous argument: i");
}

/* show rib vpnv4|vpnv6 [rd RD] [PREFIX]: the family, RD and prefix. */
static void
test_rib_vpn(void **state)
{
	struct parse_result	res;
	rd_t			rd;

	(void)state;
	parse_ok("show rib vpnv4", &res);
	assert_int_equal(res.rib.afs, AFS_VPNV4);
	assert_int_equal(res.rib.flags, 0);

	parse_ok("show rib vpnv6 rd 65000:10 2001:db8::/32", &res);
	assert_int_equal(res.rib.afs, AFS_VPNV6);
	assert_int_equal(res.rib.flags, RIB_REQ_RD | RIB_REQ_PREFIX);
	assert_int_equal(str2rd("65000:10", &rd), 0);
	assert_true(res.rib.rd == rd);
	check_prefix(&res.rib.prefix, "2001:db8::/32");

	/* every RD type: 2-octet AS, IPv4, 4-octet AS */
	parse_ok("show rib vpnv4 rd 192.0.2.1:7 10.1.0.1", &res);
	assert_int_equal(str2rd("192.0.2.1:7", &rd), 0);
	assert_true(res.rib.rd == rd);
	assert_int_equal(res.rib.rd >> 48, 1);
	check_prefix(&res.rib.prefix, "10.1.0.1/32");
	parse_ok("show rib vpnv4 rd 4200000000:7", &res);
	assert_int_equal(res.rib.rd >> 48, 2);

	/* an RD without a family: both VPN families */
	parse_ok("show rib rd 65000:10", &res);
	assert_int_equal(res.rib.afs, AFS_VPNV4 | AFS_VPNV6);
	parse_ok("show rib rd 65000:10 10.0.0.0/8 or-longer detail", &res);
	assert_int_equal(res.rib.afs, AFS_VPNV4 | AFS_VPNV6);
	assert_int_equal(res.rib.flags, RIB_REQ_RD | RIB_REQ_PREFIX |
	    RIB_REQ_LONGER);

	/* in any order, with the other options */
	parse_ok("show rib best 10.0.0.0/8 or-longer rd 65000:10 vpnv4 "
	    "neighbor 2001:db8::2", &res);
	assert_int_equal(res.rib.afs, AFS_VPNV4);
	assert_int_equal(res.rib.flags, RIB_REQ_RD | RIB_REQ_PREFIX |
	    RIB_REQ_LONGER | RIB_REQ_BEST | RIB_REQ_NEIGHBOR);
	assert_string_equal(res.rib.vrf, "");
}

/* show rib vrf NAME [ipv4|ipv6] [rd RD] [PREFIX] */
static void
test_rib_vrf(void **state)
{
	struct parse_result	res;
	rd_t			rd;

	(void)state;
	parse_ok("show rib vrf red", &res);
	assert_int_equal(res.rib.flags, RIB_REQ_VRF);
	assert_string_equal(res.rib.vrf, "red");
	assert_int_equal(res.rib.afs, 0);
	/* the name of show vrf is not the VRF of show rib */
	assert_string_equal(res.name, "");

	parse_ok("show rib vrf red 10.1.0.0/24", &res);
	assert_int_equal(res.rib.flags, RIB_REQ_VRF | RIB_REQ_PREFIX);
	check_prefix(&res.rib.prefix, "10.1.0.0/24");

	parse_ok("show rib ipv6 vrf abcdefghijklmno", &res);
	assert_string_equal(res.rib.vrf, "abcdefghijklmno");
	assert_int_equal(res.rib.afs, AFS_IPV6_UNICAST);

	/* in a VRF, an RD selects the paths imported from it */
	parse_ok("show rib vrf red rd 65000:10", &res);
	assert_int_equal(res.rib.flags, RIB_REQ_VRF | RIB_REQ_RD);
	assert_int_equal(res.rib.afs, 0);
	assert_int_equal(str2rd("65000:10", &rd), 0);
	assert_true(res.rib.rd == rd);
}

static void
test_rib_vpn_invalid(void **state)
{
	(void)state;
	/* bad RDs */
	expect_reject("show rib vpnv4 rd 65000", "invalid route "
	    "distinguisher: 65000 (ASN:NN or IPv4:NN)");
	expect_reject("show rib vpnv4 rd x:1", "invalid route distinguisher");
	expect_reject("show rib vpnv4 rd 65000:4294967296",
	    "invalid route distinguisher");
	expect_reject("show rib vpnv4 rd 4200000000:65536",
	    "invalid route distinguisher");
	expect_reject("show rib vpnv4 rd 192.0.2.1:65536",
	    "invalid route distinguisher");
	expect_reject("show rib vpnv4 rd", "incomplete command (valid: RD)");
	expect_reject("show rib rd 65000:1 rd 65000:2", "duplicate rd");
	expect_reject("show rib ipv4 rd 65000:1", "rd needs vpnv4, vpnv6 or "
	    "vrf, not ipv4");
	expect_reject("show rib rd 65000:1 ipv6", "not ipv6");
	/* unknown families */
	expect_reject("show rib vpnv5", "unknown address family: vpnv5 "
	    "(valid: ipv4, ipv6, vpnv4, vpnv6)");
	expect_reject("show rib ipv7", "unknown address family: ipv7");
	expect_reject("show rib evpn", "unknown address family");
	expect_reject("show rib vpnv4 vpnv6", "only one of ipv4, ipv6, "
	    "vpnv4, vpnv6: vpnv6");
	expect_reject("show rib vpnv4 ipv4", "only one of");
	/* the prefix and the family disagree */
	expect_reject("show rib vpnv4 2001:db8::/32", "not of the family");
	expect_reject("show rib vpnv6 10.0.0.1", "not of the family");
	expect_reject("show rib vpnv6 rd 65000:1 10.0.0.0/8",
	    "not of the family");
}

static void
test_rib_vrf_invalid(void **state)
{
	(void)state;
	expect_reject("show rib vrf", "incomplete command (valid: VRF-NAME)");
	expect_reject("show rib ipv4 vrf", "valid: VRF-NAME");
	expect_reject("show rib vrf abcdefghijklmnop", "invalid VRF name: "
	    "\"abcdefghijklmnop\" (1 to 15 characters)");
	expect_reject("show rib vrf red vrf blue", "duplicate vrf: blue");
	expect_reject("show rib vrf red vpnv4", "vpnv4: a VRF holds ipv4 "
	    "and ipv6 routes");
	expect_reject("show rib vpnv6 vrf red", "vpnv6: a VRF holds");
	expect_reject("show rib vrf red out", "a VRF has no Adj-RIB-Out");
	expect_reject("show rib vrf red ipv4 2001:db8::/32",
	    "not of the family");
	expect_reject("show rib vrf red rd bogus",
	    "invalid route distinguisher: bogus");
}

static void
test_show_sid_locator(void **state)
{
	(void)state;
	expect_reject("show sid vrf0", "unexpected argument: vrf0");
	expect_reject("show locator main", "unexpected argument: main");
	expect_reject("show sids", "unknown argument: sids");
}

static void
test_neighbor_commands(void **state)
{
	struct parse_result	res;
	char			line[600], reason[300];

	(void)state;
	parse_ok("neighbor 192.0.2.2 down", &res);
	assert_int_equal(res.addr.af, AF_INET);
	assert_string_equal(res.reason, "");

	parse_ok("neighbor 192.0.2.2 down maintenance", &res);
	assert_int_equal(res.action, NEIGHBOR_DOWN);
	assert_string_equal(res.reason, "maintenance");

	/* RFC 9003: 255 bytes fit, 256 do not */
	memset(reason, 'x', 255);
	reason[255] = '\0';
	snprintf(line, sizeof(line), "neighbor 192.0.2.2 down %s", reason);
	parse_ok(line, &res);
	assert_int_equal(strlen(res.reason), 255);
	snprintf(line, sizeof(line), "neighbor 192.0.2.2 down %sy", reason);
	expect_reject(line, "reason too long: 256 bytes (at most 255)");

	parse_ok("neighbor 2001:db8::2 up", &res);
	assert_int_equal(res.addr.af, AF_INET6);
	assert_string_equal(res.reason, "");
}

static void
test_neighbor_invalid(void **state)
{
	(void)state;
	expect_reject("neighbor", "incomplete command (valid: ADDRESS)");
	expect_reject("neighbor down", "invalid address: down");
	expect_reject("neighbor 1.2.3.4", "incomplete command (valid: up, "
	    "down, clear, refresh)");
	expect_reject("neighbor 1.2.3.4 bogus", "unknown argument: bogus");
	expect_reject("neighbor 1.2.3.4 up now", "unexpected argument: now");
	expect_reject("neighbor 1.2.3.4 clear x", "unexpected argument");
	expect_reject("neighbor 1.2.3.4 down why more",
	    "unexpected argument: more");
}

static void
test_invalid(void **state)
{
	(void)state;
	expect_reject("", "missing command");
	expect_reject("show", "incomplete command");
	expect_reject("show bogus", "unknown argument: bogus");
	expect_reject("show neighbor 1.2.3", "invalid address: 1.2.3");
	expect_reject("show neighbor pe0", "invalid address");
	expect_reject("show neighbor 10.0.0.1 extra", "unexpected argument");
	expect_reject("show summary now", "unexpected argument: now");
	expect_reject("show vrf a b", "unexpected argument: b");
	expect_reject("log", "incomplete command");
	expect_reject("log loud", "unknown argument: loud");
	expect_reject("reload now", "unexpected argument: now");
	expect_reject("bogus", "unknown argument");
	expect_reject("Show summary", "unknown argument");
}

/* Abbreviation works one way: a word longer than a keyword is no match. */
static void
test_prefix_only(void **state)
{
	(void)state;
	expect_reject("r x", "unexpected argument");
	expect_reject("show summaryx", "unknown argument");
	expect_reject("showx", "unknown argument");
}

static void
test_reason_lists_choices(void **state)
{
	(void)state;
	expect_reject("show", "summary, neighbor, vrf, rib");
	expect_reject("log x", "verbose, brief");
	expect_reject("x", "show, reload, log, neighbor");
	expect_reject("show rib bogus x", "invalid prefix or address");
	expect_reject("show rib best o", "(valid: ipv4, ipv6, vpnv4, vpnv6, "
	    "rd, vrf, or-longer, neighbor, in, out, best, detail, PREFIX)");
	expect_reject("show x", "summary, neighbor, vrf, rib, sid, locator");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_commands),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_neighbor_address),
		cmocka_unit_test(test_vrf_name),
		cmocka_unit_test(test_rib_options),
		cmocka_unit_test(test_rib_prefix),
		cmocka_unit_test(test_rib_invalid),
		cmocka_unit_test(test_rib_vpn),
		cmocka_unit_test(test_rib_vrf),
		cmocka_unit_test(test_rib_vpn_invalid),
		cmocka_unit_test(test_rib_vrf_invalid),
		cmocka_unit_test(test_show_sid_locator),
		cmocka_unit_test(test_neighbor_commands),
		cmocka_unit_test(test_neighbor_invalid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_prefix_only),
		cmocka_unit_test(test_reason_lists_choices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
