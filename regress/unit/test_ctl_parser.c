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

#define MAXWORDS	8

/* Parse a space-separated command line; returns parse()'s result. */
static int
parse_line(const char *line, struct parse_result *res, char *err,
    size_t errlen)
{
	char	 buf[256], *words[MAXWORDS], *w, *save = NULL;
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
	expect_reject("show", "summary, neighbor, vrf");
	expect_reject("log x", "verbose, brief");
	expect_reject("x", "show, reload, log");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_commands),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_neighbor_address),
		cmocka_unit_test(test_vrf_name),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_prefix_only),
		cmocka_unit_test(test_reason_lists_choices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
