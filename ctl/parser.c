/*
 * srv6ctl's grammar as token tables.  Each word of the command line is
 * matched against the current table; a match may set the action, store an
 * argument, and names the table for the next word.  A table that contains
 * ENDTOKEN allows the command to stop there.  Keywords may be abbreviated
 * to any unique prefix ("sh nei").
 */
#include <stdio.h>
#include <string.h>

#include "parser.h"

enum token_type {
	NOTOKEN,	/* end of a table */
	ENDTOKEN,	/* the command may end here */
	KEYWORD,
	ADDRESS,
	NAME,
};

struct token {
	enum token_type		 type;
	const char		*keyword;
	enum actions		 value;
	const struct token	*next;
};

static const struct token t_main[];
static const struct token t_show[];
static const struct token t_show_neighbor[];
static const struct token t_show_vrf[];
static const struct token t_log[];
static const struct token t_end[];

static const struct token t_main[] = {
	{ KEYWORD,	"show",		NONE,		t_show },
	{ KEYWORD,	"reload",	RELOAD,		t_end },
	{ KEYWORD,	"log",		NONE,		t_log },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const struct token t_show[] = {
	{ KEYWORD,	"summary",	SHOW_SUMMARY,	t_end },
	{ KEYWORD,	"neighbor",	SHOW_NEIGHBOR,	t_show_neighbor },
	{ KEYWORD,	"vrf",		SHOW_VRF,	t_show_vrf },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const struct token t_show_neighbor[] = {
	{ ENDTOKEN,	NULL,		NONE,		NULL },
	{ ADDRESS,	NULL,		NONE,		t_end },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const struct token t_show_vrf[] = {
	{ ENDTOKEN,	NULL,		NONE,		NULL },
	{ NAME,		NULL,		NONE,		t_end },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const struct token t_log[] = {
	{ KEYWORD,	"verbose",	LOG_VERBOSE,	t_end },
	{ KEYWORD,	"brief",	LOG_BRIEF,	t_end },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const struct token t_end[] = {
	{ ENDTOKEN,	NULL,		NONE,		NULL },
	{ NOTOKEN,	NULL,		NONE,		NULL },
};

static const char *action_names[] = {
	[NONE] = "none",
	[SHOW_SUMMARY] = "show summary",
	[SHOW_NEIGHBOR] = "show neighbor",
	[SHOW_VRF] = "show vrf",
	[RELOAD] = "reload",
	[LOG_VERBOSE] = "log verbose",
	[LOG_BRIEF] = "log brief",
};

const char *
action_name(enum actions a)
{
	if ((size_t)a >= sizeof(action_names) / sizeof(action_names[0]))
		return "unknown";
	return action_names[a];
}

static int
parse_has_end(const struct token *table)
{
	for (; table->type != NOTOKEN; table++)
		if (table->type == ENDTOKEN)
			return 1;
	return 0;
}

/* "summary, neighbor, vrf": what the table accepts, for error messages. */
static void
parse_expected(const struct token *table, char *buf, size_t len)
{
	const char	*word;

	buf[0] = '\0';
	for (; table->type != NOTOKEN; table++) {
		switch (table->type) {
		case KEYWORD:
			word = table->keyword;
			break;
		case ADDRESS:
			word = "ADDRESS";
			break;
		case NAME:
			word = "NAME";
			break;
		default:
			continue;
		}
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, word, len);
	}
}

/*
 * The token in table matching word: an exact keyword, else the only
 * keyword word abbreviates, else an address or name argument.
 */
static const struct token *
parse_match(const struct token *table, const char *word, int *ambiguous)
{
	const struct token	*t, *match = NULL, *arg = NULL;
	size_t			 wlen = strlen(word);
	int			 n = 0;

	*ambiguous = 0;
	for (t = table; t->type != NOTOKEN; t++) {
		if (t->type == KEYWORD) {
			if (strcmp(word, t->keyword) == 0)
				return t;
			if (wlen > 0 && strncmp(word, t->keyword, wlen) == 0) {
				match = t;
				n++;
			}
		} else if (t->type == ADDRESS || t->type == NAME)
			arg = t;
	}
	if (n == 1)
		return match;
	if (n > 1 && arg == NULL)
		*ambiguous = 1;
	return arg;
}

/* Store an argument token's value; -1 with err set if it is invalid. */
static int
parse_argument(const struct token *t, const char *word,
    struct parse_result *res, char *err, size_t errlen)
{
	switch (t->type) {
	case ADDRESS:
		if (str2addr(word, &res->addr) == -1) {
			snprintf(err, errlen, "invalid address: %s", word);
			return -1;
		}
		break;
	case NAME:
		if (word[0] == '\0' ||
		    strlcpy(res->name, word, sizeof(res->name)) >=
		    sizeof(res->name)) {
			snprintf(err, errlen, "invalid name: \"%s\" "
			    "(1 to %zu characters)", word,
			    sizeof(res->name) - 1);
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Parse argv (the words after the options) into res.  Returns 0, or -1
 * with a one-line reason in err.
 */
int
parse(int argc, char *argv[], struct parse_result *res, char *err,
    size_t errlen)
{
	const struct token	*table = t_main, *t;
	char			 expected[128];
	int			 i, ambiguous;

	memset(res, 0, sizeof(*res));
	res->addr.af = AF_UNSPEC;
	for (i = 0; i < argc; i++) {
		parse_expected(table, expected, sizeof(expected));
		if ((t = parse_match(table, argv[i], &ambiguous)) == NULL) {
			if (expected[0] == '\0')
				snprintf(err, errlen, "unexpected argument: "
				    "%s", argv[i]);
			else
				snprintf(err, errlen, "%s argument: %s "
				    "(valid: %s)", ambiguous ? "ambiguous" :
				    "unknown", argv[i], expected);
			return -1;
		}
		if (t->value != NONE)
			res->action = t->value;
		if (parse_argument(t, argv[i], res, err, errlen) == -1)
			return -1;
		table = t->next;
	}
	if (!parse_has_end(table)) {
		parse_expected(table, expected, sizeof(expected));
		snprintf(err, errlen, "%s (valid: %s)", argc == 0 ?
		    "missing command" : "incomplete command", expected);
		return -1;
	}
	return 0;
}
