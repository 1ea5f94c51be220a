/*
 * srv6ctl command line parser: a table of tokens, each pointing at the
 * table for the next word, so the accepted grammar is read off the tables.
 */
#ifndef SRV6CTL_PARSER_H
#define SRV6CTL_PARSER_H

#include <stddef.h>

#include "srv6d.h"

enum actions {
	NONE,
	SHOW_SUMMARY,
	SHOW_NEIGHBOR,
	SHOW_VRF,
	RELOAD,
	LOG_VERBOSE,
	LOG_BRIEF,
	SHOW_RIB,
	NEIGHBOR_UP,
	NEIGHBOR_DOWN,
	NEIGHBOR_CLEAR,
	NEIGHBOR_REFRESH,
	SHOW_SID,
	SHOW_LOCATOR,
	SHOW_FIB,
};

/* RFC 9003: a shutdown communication holds at most 255 bytes. */
#define REASON_MAX	255

struct parse_result {
	enum actions		action;
	struct srv6d_addr	addr;		/* AF_UNSPEC: all */
	char			name[VRF_NAME_LEN];	/* "": all */
	struct ctl_rib_request	rib;		/* show rib (rd, vrf too) */
	int			detail;		/* show rib: one block a path */
	char			reason[REASON_MAX + 1];	/* neighbor down */
};

/* parser.c */
int		 parse(int, char *[], struct parse_result *, char *, size_t);
const char	*action_name(enum actions);

#endif
