/*
 * srv6ctl's grammar as token tables.  Each word of the command line is
 * matched against the current table; a match may set the action, store an
 * argument, and names the table for the next word.  A table that contains
 * ENDTOKEN allows the command to stop there; a table may name itself as
 * the next one, which lets options come in any order ("show rib").
 * Keywords may be abbreviated to any unique prefix ("sh nei").
 */
#include <stdio.h>
#include <string.h>

#include "parser.h"

enum token_type {
	NOTOKEN,	/* end of a table */
	ENDTOKEN,	/* the command may end here */
	KEYWORD,
	ADDRESS,	/* res->addr */
	NAME,		/* res->name */
	RIB_FAMILY,	/* keyword: rib.afs = arg */
	RIB_FLAG,	/* keyword: rib.flags |= arg */
	RIB_DETAIL,	/* keyword: detail = 1 */
	RIB_PREFIX,	/* rib.prefix: PREFIX or a bare address */
	RIB_NEIGHBOR,	/* rib.neighbor */
	RIB_RD,		/* rib.rd: a route distinguisher */
	RIB_VRF,	/* rib.vrf: a VRF's Loc-RIB */
	REASON,		/* res->reason */
};

struct token {
	enum token_type		 type;
	const char		*keyword;	/* NULL: an argument */
	enum actions		 value;
	unsigned int		 arg;
	const struct token	*next;
};

/* What a parse has seen so far, beyond what parse_result records. */
struct parse_state {
	struct parse_result	*res;
	int			 bare_address;	/* rib prefix had no /len */
	char			*err;
	size_t			 errlen;
};

static const struct token t_main[];
static const struct token t_show[];
static const struct token t_show_neighbor[];
static const struct token t_show_vrf[];
static const struct token t_show_rib[];
static const struct token t_rib_neighbor[];
static const struct token t_rib_rd[];
static const struct token t_rib_vrf[];
static const struct token t_log[];
static const struct token t_neighbor[];
static const struct token t_neighbor_cmd[];
static const struct token t_neighbor_down[];
static const struct token t_end[];

static const struct token t_main[] = {
	{ KEYWORD,	"show",		NONE,		0, t_show },
	{ KEYWORD,	"reload",	RELOAD,		0, t_end },
	{ KEYWORD,	"log",		NONE,		0, t_log },
	{ KEYWORD,	"neighbor",	NONE,		0, t_neighbor },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_show[] = {
	{ KEYWORD,	"summary",	SHOW_SUMMARY,	0, t_end },
	{ KEYWORD,	"neighbor",	SHOW_NEIGHBOR,	0, t_show_neighbor },
	{ KEYWORD,	"vrf",		SHOW_VRF,	0, t_show_vrf },
	{ KEYWORD,	"rib",		SHOW_RIB,	0, t_show_rib },
	{ KEYWORD,	"sid",		SHOW_SID,	0, t_end },
	{ KEYWORD,	"locator",	SHOW_LOCATOR,	0, t_end },
	{ KEYWORD,	"fib",		SHOW_FIB,	0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_show_neighbor[] = {
	{ ENDTOKEN,	NULL,		NONE,		0, NULL },
	{ ADDRESS,	NULL,		NONE,		0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_show_vrf[] = {
	{ ENDTOKEN,	NULL,		NONE,		0, NULL },
	{ NAME,		NULL,		NONE,		0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

/*
 * show rib [ipv4|ipv6|vpnv4|vpnv6] [rd RD] [vrf NAME] [PREFIX [or-longer]]
 *     [neighbor ADDR] [in|out] [best] [detail]
 */
static const struct token t_show_rib[] = {
	{ ENDTOKEN,	NULL,		NONE,		0, NULL },
	{ RIB_FAMILY,	"ipv4",		NONE,	AFS_IPV4_UNICAST, t_show_rib },
	{ RIB_FAMILY,	"ipv6",		NONE,	AFS_IPV6_UNICAST, t_show_rib },
	{ RIB_FAMILY,	"vpnv4",	NONE,	AFS_VPNV4,	t_show_rib },
	{ RIB_FAMILY,	"vpnv6",	NONE,	AFS_VPNV6,	t_show_rib },
	{ KEYWORD,	"rd",		NONE,		0, t_rib_rd },
	{ KEYWORD,	"vrf",		NONE,		0, t_rib_vrf },
	{ RIB_FLAG,	"or-longer",	NONE,	RIB_REQ_LONGER,	t_show_rib },
	{ KEYWORD,	"neighbor",	NONE,		0, t_rib_neighbor },
	{ RIB_FLAG,	"in",		NONE,	RIB_REQ_IN,	t_show_rib },
	{ RIB_FLAG,	"out",		NONE,	RIB_REQ_OUT,	t_show_rib },
	{ RIB_FLAG,	"best",		NONE,	RIB_REQ_BEST,	t_show_rib },
	{ RIB_DETAIL,	"detail",	NONE,		0, t_show_rib },
	{ RIB_PREFIX,	NULL,		NONE,		0, t_show_rib },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_rib_neighbor[] = {
	{ RIB_NEIGHBOR,	NULL,		NONE,		0, t_show_rib },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_rib_rd[] = {
	{ RIB_RD,	NULL,		NONE,		0, t_show_rib },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_rib_vrf[] = {
	{ RIB_VRF,	NULL,		NONE,		0, t_show_rib },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_log[] = {
	{ KEYWORD,	"verbose",	LOG_VERBOSE,	0, t_end },
	{ KEYWORD,	"brief",	LOG_BRIEF,	0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_neighbor[] = {
	{ ADDRESS,	NULL,		NONE,		0, t_neighbor_cmd },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_neighbor_cmd[] = {
	{ KEYWORD,	"up",		NEIGHBOR_UP,	0, t_end },
	{ KEYWORD,	"down",		NEIGHBOR_DOWN,	0, t_neighbor_down },
	{ KEYWORD,	"clear",	NEIGHBOR_CLEAR,	0, t_end },
	{ KEYWORD,	"refresh",	NEIGHBOR_REFRESH, 0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_neighbor_down[] = {
	{ ENDTOKEN,	NULL,		NONE,		0, NULL },
	{ REASON,	NULL,		NONE,		0, t_end },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const struct token t_end[] = {
	{ ENDTOKEN,	NULL,		NONE,		0, NULL },
	{ NOTOKEN,	NULL,		NONE,		0, NULL },
};

static const char *action_names[] = {
	[NONE] = "none",
	[SHOW_SUMMARY] = "show summary",
	[SHOW_NEIGHBOR] = "show neighbor",
	[SHOW_VRF] = "show vrf",
	[RELOAD] = "reload",
	[LOG_VERBOSE] = "log verbose",
	[LOG_BRIEF] = "log brief",
	[SHOW_RIB] = "show rib",
	[NEIGHBOR_UP] = "neighbor up",
	[NEIGHBOR_DOWN] = "neighbor down",
	[NEIGHBOR_CLEAR] = "neighbor clear",
	[NEIGHBOR_REFRESH] = "neighbor refresh",
	[SHOW_SID] = "show sid",
	[SHOW_LOCATOR] = "show locator",
	[SHOW_FIB] = "show fib",
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

/* The placeholder an argument token shows in "valid:" lists. */
static const char *
parse_placeholder(enum token_type type)
{
	switch (type) {
	case ADDRESS:
	case RIB_NEIGHBOR:
		return "ADDRESS";
	case NAME:
		return "NAME";
	case RIB_PREFIX:
		return "PREFIX";
	case REASON:
		return "REASON";
	case RIB_RD:
		return "RD";
	case RIB_VRF:
		return "VRF-NAME";
	default:
		return NULL;
	}
}

/* "summary, neighbor, vrf": what the table accepts, for error messages. */
static void
parse_expected(const struct token *table, char *buf, size_t len)
{
	const char	*word;

	buf[0] = '\0';
	for (; table->type != NOTOKEN; table++) {
		if ((word = table->keyword) == NULL &&
		    (word = parse_placeholder(table->type)) == NULL)
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, word, len);
	}
}

/*
 * The token in table matching word: an exact keyword, else the only
 * keyword word abbreviates, else an argument token.  *ambiguous tells
 * that word abbreviates several keywords.
 */
static const struct token *
parse_match(const struct token *table, const char *word, int *ambiguous)
{
	const struct token	*t, *match = NULL, *arg = NULL;
	size_t			 wlen = strlen(word);
	int			 n = 0;

	*ambiguous = 0;
	for (t = table; t->type != NOTOKEN; t++) {
		if (t->keyword != NULL) {
			if (strcmp(word, t->keyword) == 0)
				return t;
			if (wlen > 0 && strncmp(word, t->keyword, wlen) == 0) {
				match = t;
				n++;
			}
		} else if (parse_placeholder(t->type) != NULL)
			arg = t;
	}
	*ambiguous = n > 1;
	if (n == 1)
		return match;
	return arg;
}

static int
parse_fail(struct parse_state *ps, const char *fmt, const char *word)
{
	snprintf(ps->err, ps->errlen, fmt, word);
	return -1;
}

/* A word that means an address family, not a prefix ("vpnv5", "ip4"). */
static int
parse_family_like(const char *word)
{
	static const char	*stems[] = { "ip", "vpn", "inet", "evpn",
	    "l2vpn", "mpls", "unicast" };
	size_t			 i;

	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		if (strncmp(word, stems[i], strlen(stems[i])) == 0 &&
		    strchr(word, ':') == NULL)
			return 1;
	return 0;
}

/* A route distinguisher (RFC 4364 §4.2): ASN:NN or IPv4:NN. */
static int
parse_rib_rd(struct parse_state *ps, const char *word)
{
	struct ctl_rib_request	*rib = &ps->res->rib;

	if (rib->flags & RIB_REQ_RD)
		return parse_fail(ps, "duplicate rd: %s", word);
	if (str2rd(word, &rib->rd) == -1)
		return parse_fail(ps, "invalid route distinguisher: %s "
		    "(ASN:NN or IPv4:NN)", word);
	rib->flags |= RIB_REQ_RD;
	return 0;
}

static int
parse_rib_vrf(struct parse_state *ps, const char *word)
{
	struct ctl_rib_request	*rib = &ps->res->rib;

	if (rib->flags & RIB_REQ_VRF)
		return parse_fail(ps, "duplicate vrf: %s", word);
	if (word[0] == '\0' ||
	    strlcpy(rib->vrf, word, sizeof(rib->vrf)) >= sizeof(rib->vrf)) {
		memset(rib->vrf, 0, sizeof(rib->vrf));
		snprintf(ps->err, ps->errlen, "invalid VRF name: \"%s\" "
		    "(1 to %zu characters)", word, sizeof(rib->vrf) - 1);
		return -1;
	}
	rib->flags |= RIB_REQ_VRF;
	return 0;
}

/* "PREFIX/len" (host bits cleared), or an address: its longest match. */
static int
parse_rib_prefix(struct parse_state *ps, const char *word)
{
	struct ctl_rib_request	*rib = &ps->res->rib;

	if (rib->flags & RIB_REQ_PREFIX)
		return parse_fail(ps, "duplicate prefix: %s", word);
	if (strchr(word, '/') != NULL) {
		if (str2prefix(word, &rib->prefix) == -1)
			return parse_fail(ps, "invalid prefix: %s", word);
		prefix_mask(&rib->prefix);
	} else {
		if (str2addr(word, &rib->prefix.addr) == -1 &&
		    parse_family_like(word))
			return parse_fail(ps, "unknown address family: %s "
			    "(valid: ipv4, ipv6, vpnv4, vpnv6)", word);
		if (str2addr(word, &rib->prefix.addr) == -1)
			return parse_fail(ps, "invalid prefix or address: %s",
			    word);
		rib->prefix.len = rib->prefix.addr.af == AF_INET ? 32 : 128;
		ps->bare_address = 1;
	}
	rib->flags |= RIB_REQ_PREFIX;
	return 0;
}

static int
parse_rib_flag(struct parse_state *ps, const struct token *t)
{
	struct ctl_rib_request	*rib = &ps->res->rib;

	if (rib->flags & t->arg)
		return parse_fail(ps, "duplicate argument: %s", t->keyword);
	if ((t->arg == RIB_REQ_IN && (rib->flags & RIB_REQ_OUT)) ||
	    (t->arg == RIB_REQ_OUT && (rib->flags & RIB_REQ_IN)))
		return parse_fail(ps, "conflicting arguments: in, out (%s "
		    "given last)", t->keyword);
	if (t->arg == RIB_REQ_LONGER &&
	    (!(rib->flags & RIB_REQ_PREFIX) || ps->bare_address))
		return parse_fail(ps, "%s needs a PREFIX/len before it",
		    t->keyword);
	rib->flags |= t->arg;
	return 0;
}

static int
parse_reason(struct parse_state *ps, const char *word)
{
	size_t	len = strlen(word);

	if (len > REASON_MAX) {
		snprintf(ps->err, ps->errlen, "reason too long: %zu bytes "
		    "(at most %d)", len, REASON_MAX);
		return -1;
	}
	memcpy(ps->res->reason, word, len + 1);
	return 0;
}

/* Store an argument token's value; -1 with err set if it is invalid. */
static int
parse_argument(struct parse_state *ps, const struct token *t,
    const char *word)
{
	struct parse_result	*res = ps->res;

	switch (t->type) {
	case ADDRESS:
		if (str2addr(word, &res->addr) == -1)
			return parse_fail(ps, "invalid address: %s", word);
		break;
	case NAME:
		if (word[0] == '\0' ||
		    strlcpy(res->name, word, sizeof(res->name)) >=
		    sizeof(res->name)) {
			snprintf(ps->err, ps->errlen, "invalid name: \"%s\" "
			    "(1 to %zu characters)", word,
			    sizeof(res->name) - 1);
			return -1;
		}
		break;
	case RIB_FAMILY:
		if (res->rib.afs != 0)
			return parse_fail(ps, "only one of ipv4, ipv6, vpnv4, "
			    "vpnv6: %s", word);
		res->rib.afs = t->arg;
		break;
	case RIB_RD:
		return parse_rib_rd(ps, word);
	case RIB_VRF:
		return parse_rib_vrf(ps, word);
	case RIB_FLAG:
		return parse_rib_flag(ps, t);
	case RIB_DETAIL:
		if (res->detail)
			return parse_fail(ps, "duplicate argument: %s",
			    t->keyword);
		res->detail = 1;
		break;
	case RIB_PREFIX:
		return parse_rib_prefix(ps, word);
	case RIB_NEIGHBOR:
		if (res->rib.flags & RIB_REQ_NEIGHBOR)
			return parse_fail(ps, "duplicate neighbor: %s", word);
		if (str2addr(word, &res->rib.neighbor) == -1)
			return parse_fail(ps, "invalid address: %s", word);
		res->rib.flags |= RIB_REQ_NEIGHBOR;
		break;
	case REASON:
		return parse_reason(ps, word);
	default:
		break;
	}
	return 0;
}

/* The address family a rib family asks for. */
static int
parse_rib_af(uint8_t afs)
{
	return (afs & (AFS_IPV4_UNICAST | AFS_VPNV4)) ? AF_INET : AF_INET6;
}

/*
 * Checks that need the whole command: a prefix of the wrong family; an
 * RD only for VPN routes (without a family: both VPN families) or, in a
 * VRF, for the paths imported from it; a VRF's tables are ipv4 and ipv6.
 */
static int
parse_check(struct parse_state *ps)
{
	struct ctl_rib_request	*rib = &ps->res->rib;
	uint8_t			 vpn = AFS_VPNV4 | AFS_VPNV6;

	if (ps->res->action != SHOW_RIB)
		return 0;
	if ((rib->flags & RIB_REQ_VRF) && (rib->afs & vpn))
		return parse_fail(ps, "%s: a VRF holds ipv4 and ipv6 routes",
		    rib->afs == AFS_VPNV4 ? "vpnv4" : "vpnv6");
	if ((rib->flags & RIB_REQ_VRF) && (rib->flags & RIB_REQ_OUT))
		return parse_fail(ps, "%s: a VRF has no Adj-RIB-Out", "out");
	if ((rib->flags & RIB_REQ_RD) && !(rib->flags & RIB_REQ_VRF)) {
		if (rib->afs != 0 && !(rib->afs & vpn))
			return parse_fail(ps, "rd needs vpnv4, vpnv6 or vrf, "
			    "not %s", rib->afs == AFS_IPV4_UNICAST ? "ipv4" :
			    "ipv6");
		if (rib->afs == 0)
			rib->afs = vpn;
	}
	if (rib->afs == 0 || rib->afs == vpn ||
	    !(rib->flags & RIB_REQ_PREFIX))
		return 0;
	if (rib->prefix.addr.af != parse_rib_af(rib->afs))
		return parse_fail(ps, "prefix %s is not of the family asked "
		    "for", prefix2str(&rib->prefix));
	return 0;
}

static int
parse_unmatched(struct parse_state *ps, const struct token *table,
    const char *word, int ambiguous)
{
	char	expected[128];

	parse_expected(table, expected, sizeof(expected));
	if (expected[0] == '\0')
		snprintf(ps->err, ps->errlen, "unexpected argument: %s", word);
	else
		snprintf(ps->err, ps->errlen, "%s argument: %s (valid: %s)",
		    ambiguous ? "ambiguous" : "unknown", word, expected);
	return -1;
}

/*
 * Parse argv (the words after the options) into res.  Returns 0, or -1
 * with a one-line reason in err.
 */
int
parse(int argc, char *argv[], struct parse_result *res, char *err,
    size_t errlen)
{
	struct parse_state	 ps = { res, 0, err, errlen };
	const struct token	*table = t_main, *t;
	char			 expected[128];
	int			 i, ambiguous;

	memset(res, 0, sizeof(*res));
	res->addr.af = AF_UNSPEC;
	for (i = 0; i < argc; i++) {
		t = parse_match(table, argv[i], &ambiguous);
		if (t == NULL)
			return parse_unmatched(&ps, table, argv[i], ambiguous);
		if (t->value != NONE)
			res->action = t->value;
		if (parse_argument(&ps, t, argv[i]) == -1) {
			/* "o" is no prefix, but say why it matched none */
			if (ambiguous)
				parse_unmatched(&ps, table, argv[i], 1);
			return -1;
		}
		table = t->next;
	}
	if (!parse_has_end(table)) {
		parse_expected(table, expected, sizeof(expected));
		snprintf(err, errlen, "%s (valid: %s)", argc == 0 ?
		    "missing command" : "incomplete command", expected);
		return -1;
	}
	return parse_check(&ps);
}
