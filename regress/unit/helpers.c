/*
 * Helpers shared by the unit tests (see helpers.h).  They assert: a test
 * that writes a bad literal fails where it wrote it.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t	n = 0;
	char	b[3] = { 0 };

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			continue;
		assert_true(isxdigit((unsigned char)s[0]) &&
		    isxdigit((unsigned char)s[1]));
		assert_true(n < max);
		b[0] = s[0];
		b[1] = s[1];
		out[n++] = (uint8_t)strtoul(b, NULL, 16);
		s++;
	}
	return n;
}
