/*
 * fk_fail.c: the ring of the kernel's recent refusals keeps the last
 * FK_FAIL_MAX, gives them newest first, and cuts long strings to their
 * fields, terminated.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fk.h"

static int
setup(void **state)
{
	(void)state;
	fk_fail_clear();
	return 0;
}

static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(fk_fail_count(), 0);
	assert_null(fk_fail_get(0));
}

/* A few: all there, the newest first, every field as given. */
static void
test_newest_first(void **state)
{
	const struct fk_fail	*f;

	(void)state;
	fk_fail_record(100, "VRF device vrf0 table 10", EOPNOTSUPP,
	    "Unknown device type");
	fk_fail_record(101, "SID fc00:0:1:1:: End.DT6", EINVAL, NULL);
	fk_fail_record(102, NULL, ENODEV, "");
	assert_int_equal(fk_fail_count(), 3);

	f = fk_fail_get(0);
	assert_non_null(f);
	assert_int_equal(f->time, 102);
	assert_int_equal(f->error, ENODEV);
	assert_string_equal(f->what, "");
	assert_string_equal(f->extack, "");

	f = fk_fail_get(1);
	assert_int_equal(f->time, 101);
	assert_int_equal(f->error, EINVAL);
	assert_string_equal(f->what, "SID fc00:0:1:1:: End.DT6");
	assert_string_equal(f->extack, "");

	f = fk_fail_get(2);
	assert_int_equal(f->time, 100);
	assert_int_equal(f->error, EOPNOTSUPP);
	assert_string_equal(f->what, "VRF device vrf0 table 10");
	assert_string_equal(f->extack, "Unknown device type");

	assert_null(fk_fail_get(3));
	assert_null(fk_fail_get((size_t)-1));
}

/*
 * More than the ring holds: the count stops at FK_FAIL_MAX, the oldest
 * go, and the order stays newest first across the wrap, at every fill.
 */
static void
test_wrap(void **state)
{
	const struct fk_fail	*f;
	char			 what[32];
	size_t			 n, i;

	(void)state;
	for (n = 1; n <= 3 * FK_FAIL_MAX + 5; n++) {
		snprintf(what, sizeof(what), "nexthop %zu", n);
		fk_fail_record((int64_t)n, what, (int)(n % 100) + 1, "x");
		assert_int_equal(fk_fail_count(),
		    n < FK_FAIL_MAX ? n : FK_FAIL_MAX);
		for (i = 0; i < fk_fail_count(); i++) {
			f = fk_fail_get(i);
			assert_non_null(f);
			assert_int_equal(f->time, (int64_t)(n - i));
			snprintf(what, sizeof(what), "nexthop %zu", n - i);
			assert_string_equal(f->what, what);
		}
		assert_null(fk_fail_get(i));
	}
	f = fk_fail_get(FK_FAIL_MAX - 1);
	assert_int_equal(f->time, 3 * FK_FAIL_MAX + 5 - (FK_FAIL_MAX - 1));
}

/* Long strings are cut to their fields and terminated, nothing more. */
static void
test_truncation(void **state)
{
	const struct fk_fail	*f;
	char			 what[3 * FK_FAIL_WHAT_LEN];
	char			 extack[3 * FK_FAIL_EXTACK_LEN];

	(void)state;
	memset(what, 'w', sizeof(what) - 1);
	what[sizeof(what) - 1] = '\0';
	memset(extack, 'e', sizeof(extack) - 1);
	extack[sizeof(extack) - 1] = '\0';
	fk_fail_record(7, what, EEXIST, extack);
	f = fk_fail_get(0);
	assert_int_equal(strlen(f->what), FK_FAIL_WHAT_LEN - 1);
	assert_int_equal(strlen(f->extack), FK_FAIL_EXTACK_LEN - 1);
	assert_int_equal(strspn(f->what, "w"), FK_FAIL_WHAT_LEN - 1);
	assert_int_equal(strspn(f->extack, "e"), FK_FAIL_EXTACK_LEN - 1);
}

/* An entry reused by the wrap holds only the new strings. */
static void
test_reuse_clears(void **state)
{
	const struct fk_fail	*f;
	char			 longer[FK_FAIL_WHAT_LEN];
	size_t			 i;

	(void)state;
	memset(longer, 'l', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	fk_fail_record(1, longer, EINVAL, longer);
	for (i = 0; i < FK_FAIL_MAX; i++)
		fk_fail_record(2 + (int64_t)i, "r", EINVAL, NULL);
	for (i = 0; i < FK_FAIL_MAX; i++) {
		f = fk_fail_get(i);
		assert_string_equal(f->what, "r");
		assert_string_equal(f->extack, "");
		assert_true(memchr(f->what, 'l', sizeof(f->what)) == NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_newest_first, setup),
		cmocka_unit_test_setup(test_wrap, setup),
		cmocka_unit_test_setup(test_truncation, setup),
		cmocka_unit_test_setup(test_reuse_clears, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
