/*
 * The streaming JSON emitter: escaping, UTF-8 handling, nesting, commas,
 * numbers, and misuse detection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

struct sink {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

static int
sink_setup(void **state)
{
	struct sink	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	if ((s->fp = open_memstream(&s->buf, &s->len)) == NULL)
		return -1;
	*state = s;
	return 0;
}

static int
sink_teardown(void **state)
{
	struct sink	*s = *state;

	fclose(s->fp);
	free(s->buf);
	free(s);
	return 0;
}

static const char *
sink_text(struct sink *s)
{
	fflush(s->fp);
	return s->buf;
}

/* The escaped form of one string value. */
static void
check_string(void **state, const char *in, const char *want)
{
	struct sink	*s = *state;

	rewind(s->fp);
	json_write_string(s->fp, in);
	fputc('\0', s->fp);
	fflush(s->fp);
	assert_string_equal(s->buf, want);
}

static void
test_escape_quote_backslash(void **state)
{
	check_string(state, "a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
	check_string(state, "", "\"\"");
	check_string(state, NULL, "\"\"");
}

static void
test_escape_control(void **state)
{
	check_string(state, "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_string(state, "\x01x\x1f\x7f",
	    "\"\\u0001x\\u001f\x7f\"");
	check_string(state, "line1\nline2\n", "\"line1\\nline2\\n\"");
}

static void
test_utf8_passthrough(void **state)
{
	/* é, €, U+10348 (4 bytes), U+FFFF */
	check_string(state, "caf\xc3\xa9 \xe2\x82\xac \xf0\x90\x8d\x88 "
	    "\xef\xbf\xbf", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x90\x8d\x88 "
	    "\xef\xbf\xbf\"");
}

static void
test_utf8_invalid(void **state)
{
	/* a lone continuation byte, an overlong '/', a truncated sequence */
	check_string(state, "a\x80z", "\"a\\ufffdz\"");
	check_string(state, "\xc0\xaf", "\"\\ufffd\\ufffd\"");
	check_string(state, "x\xe2\x82", "\"x\\ufffd\\ufffd\"");
	/* a UTF-16 surrogate encoded in UTF-8, and above U+10FFFF */
	check_string(state, "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	check_string(state, "\xf4\x90\x80\x80",
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

/* The sequence length srv6ctl's text escaper also relies on. */
static void
test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(json_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xe2\x82\xac"),
	    3);
	assert_int_equal(json_utf8_len(
	    (const unsigned char *)"\xf0\x90\x8d\x88"), 4);
	/* ASCII is not a multibyte sequence; a NUL stops one */
	assert_int_equal(json_utf8_len((const unsigned char *)"a"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xc3"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xe2\x82"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xc0\xaf"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xed\xa0\x80"),
	    0);
}

static void
test_nesting_commas(void **state)
{
	struct sink	*s = *state;
	struct json	 js;

	json_init(&js, s->fp, 0);
	json_object(&js, NULL);
	json_string(&js, "a", "x");
	json_array(&js, "list");
	json_uint(&js, NULL, 1);
	json_object(&js, NULL);
	json_bool(&js, "t", true);
	json_bool(&js, "f", false);
	json_end(&js);
	json_array(&js, NULL);
	json_end(&js);
	json_null(&js, NULL);
	json_end(&js);
	json_object(&js, "empty");
	json_end(&js);
	json_string(&js, "k\"ey", "v");
	json_end(&js);
	assert_int_equal(json_finish(&js), 0);
	assert_string_equal(sink_text(s), "{\"a\":\"x\",\"list\":[1,"
	    "{\"t\":true,\"f\":false},[],null],\"empty\":{},"
	    "\"k\\\"ey\":\"v\"}\n");
}

static void
test_numbers(void **state)
{
	struct sink	*s = *state;
	struct json	 js;

	json_init(&js, s->fp, 0);
	json_array(&js, NULL);
	json_uint(&js, NULL, 0);
	json_uint(&js, NULL, UINT64_MAX);
	json_int(&js, NULL, -1);
	json_int(&js, NULL, INT64_MIN);
	json_int(&js, NULL, INT64_MAX);
	json_uint(&js, NULL, 4294967296ULL);
	assert_int_equal(json_finish(&js), 0);
	assert_string_equal(sink_text(s), "[0,18446744073709551615,-1,"
	    "-9223372036854775808,9223372036854775807,4294967296]\n");
}

static void
test_pretty(void **state)
{
	struct sink	*s = *state;
	struct json	 js;

	json_init(&js, s->fp, JSON_PRETTY);
	json_object(&js, NULL);
	json_array(&js, "l");
	json_int(&js, NULL, 1);
	json_int(&js, NULL, 2);
	json_end(&js);
	json_array(&js, "e");
	json_end(&js);
	json_string(&js, "s", "v");
	assert_int_equal(json_finish(&js), 0);
	assert_string_equal(sink_text(s), "{\n  \"l\": [\n    1,\n    2\n"
	    "  ],\n  \"e\": [],\n  \"s\": \"v\"\n}\n");
}

static void
test_finish_closes(void **state)
{
	struct sink	*s = *state;
	struct json	 js;

	json_init(&js, s->fp, 0);
	json_object(&js, NULL);
	json_array(&js, "a");
	json_object(&js, NULL);
	assert_int_equal(json_finish(&js), 0);
	assert_string_equal(sink_text(s), "{\"a\":[{}]}\n");
}

static void
test_misuse(void **state)
{
	struct sink	*s = *state;
	struct json	 js;
	int		 i;

	/* a member without a name */
	json_init(&js, s->fp, 0);
	json_object(&js, NULL);
	json_int(&js, NULL, 1);
	assert_int_equal(json_finish(&js), -1);

	/* one end too many */
	json_init(&js, s->fp, 0);
	json_array(&js, NULL);
	json_end(&js);
	json_end(&js);
	assert_int_equal(json_finish(&js), -1);

	/* nesting deeper than the emitter tracks */
	json_init(&js, s->fp, 0);
	for (i = 0; i < JSON_MAXDEPTH + 2; i++)
		json_array(&js, NULL);
	assert_int_equal(js.depth, JSON_MAXDEPTH);
	assert_int_equal(json_finish(&js), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_escape_quote_backslash,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_escape_control,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_utf8_passthrough,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_utf8_invalid,
		    sink_setup, sink_teardown),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test_setup_teardown(test_nesting_commas,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_numbers,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_pretty,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_finish_closes,
		    sink_setup, sink_teardown),
		cmocka_unit_test_setup_teardown(test_misuse,
		    sink_setup, sink_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
