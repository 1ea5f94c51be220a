/*
 * Small helpers the unit tests share: text to srv6d values, failing the
 * test (not returning an error) when the text is wrong.
 */
#ifndef REGRESS_HELPERS_H
#define REGRESS_HELPERS_H

#include "srv6d.h"

struct srv6d_addr	A(const char *);
struct srv6d_prefix	P(const char *);
ext_community_t		RT(const char *);
/* Hex digits to bytes, blanks ignored; the number of bytes. */
size_t			unhex(const char *, uint8_t *, size_t);

#endif
