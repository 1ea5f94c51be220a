/*
 * A small streaming JSON emitter for srv6ctl: values are written as they
 * come, the emitter only remembers which containers are open and whether a
 * comma is due.  Names are required inside objects and ignored elsewhere.
 */
#ifndef SRV6CTL_JSON_H
#define SRV6CTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAXDEPTH	16
#define JSON_PRETTY	0x01	/* newlines and two-space indentation */

struct json {
	FILE	*fp;
	int	 flags;
	int	 depth;		/* open containers */
	bool	 error;		/* misuse: too deep, unbalanced */
	char	 kind[JSON_MAXDEPTH];	/* '{' or '[' */
	bool	 empty[JSON_MAXDEPTH];	/* nothing in it yet */
};

/* json.c */
void	json_init(struct json *, FILE *, int);
void	json_object(struct json *, const char *);
void	json_array(struct json *, const char *);
void	json_end(struct json *);
void	json_string(struct json *, const char *, const char *);
void	json_uint(struct json *, const char *, uint64_t);
void	json_int(struct json *, const char *, int64_t);
void	json_bool(struct json *, const char *, bool);
void	json_null(struct json *, const char *);
int	json_finish(struct json *);
void	json_write_string(FILE *, const char *);
size_t	json_utf8_len(const unsigned char *);

#endif
