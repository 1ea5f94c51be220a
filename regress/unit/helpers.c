/*
 * Helpers shared by the unit tests (see helpers.h).  They assert: a test
 * that writes a bad literal fails where it wrote it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

struct srv6d_addr
A(const char *s)
{
	struct srv6d_addr	a;

	assert_int_equal(str2addr(s, &a), 0);
	return (a);
}

struct srv6d_prefix
P(const char *s)
{
	struct srv6d_prefix	p;

	assert_int_equal(str2prefix(s, &p), 0);
	return (p);
}

ext_community_t
RT(const char *s)
{
	ext_community_t	rt;

	assert_int_equal(str2rt(s, &rt), 0);
	return (rt);
}
