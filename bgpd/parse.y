/*
 * srv6d.conf: the grammar, its lexer, and the checks made while reading.
 *
 * The language follows OpenBGPD's: one statement per line (or separated
 * by ';'), blocks in braces, macros, include.  The parser is reentrant:
 * everything lives in a struct parse_state on parse_config()'s stack, so
 * the parent can read a new file on reload while the old configuration
 * runs, and nothing is left behind.  Errors are collected, never printed,
 * and parsing goes on after each one so that one run reports them all.
 */

%code requires {
struct parse_file;
struct parse_state;

/* A token's position: the file it came from (includes) and its line. */
struct parse_loc {
	struct parse_file	*file;
	int			 line;
};

/* A rule is where its first symbol is (or the one before, if empty). */
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		(cur) = YYRHSLOC((rhs), (n) > 0 ? 1 : 0);		\
	} while (0)
}

%{
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv6d.h"
%}

%define api.pure full
%define api.location.type {struct parse_loc}
%define parse.error custom
%locations
%param {struct parse_state *ps}
%expect 0

%union {
	int64_t		 number;
	char		*string;
}

%code {
#define STRING_MAX		1024	/* longest token */
#define INCLUDE_DEPTH_MAX	16
#define MACRO_EXPAND_MAX	32	/* expansions without real input */

struct parse_file {
	TAILQ_ENTRY(parse_file)	 entry;
	struct parse_file	*parent;	/* the includer */
	FILE			*stream;	/* NULL once read */
	char			*name;
	int			 lineno;
	int			 depth;
	char			*unget;		/* pushed back, read LIFO */
	size_t			 ungetlen;
	size_t			 ungetsize;
};
TAILQ_HEAD(parse_file_head, parse_file);

struct macro {
	TAILQ_ENTRY(macro)	 entry;
	char			*name;
	char			*value;
};
TAILQ_HEAD(macro_head, macro);

/* A VRF and where its statements were, for the checks made at the end. */
struct vrf_meta {
	TAILQ_ENTRY(vrf_meta)	 entry;
	struct vrf_config	*vrf;
	struct parse_loc	 loc;
	struct parse_loc	 sid_loc;
	bool			 has_table;
	bool			 has_rd;	/* statement seen */
	bool			 rd_ok;		/* and valid */
	bool			 has_sid;
};
TAILQ_HEAD(vrf_meta_head, vrf_meta);

struct group_name {
	TAILQ_ENTRY(group_name)	 entry;
	char			 name[GROUP_NAME_LEN];
};
TAILQ_HEAD(group_name_head, group_name);

/* A rule naming a group, checked once every group is known. */
struct filter_meta {
	TAILQ_ENTRY(filter_meta) entry;
	struct filter_rule	*rule;
	struct parse_loc	 loc;
};
TAILQ_HEAD(filter_meta_head, filter_meta);

/* What a syntax error message says about the token it stopped at. */
enum tok_kind {
	TOK_WORD,	/* unquoted, not a keyword or number */
	TOK_KEYWORD,
	TOK_QUOTED,
	TOK_SEP,	/* end of line or ';' */
	TOK_EOF,
	TOK_OTHER,
};

struct tok_info {
	enum tok_kind	 kind;
	bool		 first;		/* the first of its statement */
	char		 text[48];
};

/* A neighbor's (or a group's) settings not kept in neighbor_config. */
struct neigh_state {
	struct parse_loc	 local_loc;	/* where local-address was */
	bool			 has_remote_as;
	bool			 has_afs;	/* had an address-family */
};

struct parse_state {
	struct srv6d_config	*conf;
	struct parse_file	*file;		/* being read */
	struct parse_file_head	 files;		/* all, kept for locations */
	struct macro_head	 macros;
	struct vrf_meta_head	 vrf_metas;
	struct group_name_head	 groups;
	struct filter_meta_head	 filter_groups;
	/* objects with errors, kept aside so that no check sees them */
	struct vrf_head		 junk_vrfs;
	struct neighbor_head	 junk_neighbors;
	FILE			*errs;
	char			*errbuf;
	size_t			 errlen;
	int			 nerrors;
	int			 nexpand;
	struct tok_info		 tok, prevtok;
	bool			 has_as;
	/* the block being read */
	struct locator_config	 loc;
	struct parse_loc	 loc_loc;
	bool			 loc_ok;
	struct vrf_config	*vrf;
	struct vrf_meta		*vmeta;		/* NULL: a junk VRF */
	struct neighbor_config	*neigh;		/* a neighbor, or &group */
	struct neigh_state	 nstate;
	struct parse_loc	 neigh_loc;
	bool			 neigh_junk;
	struct neighbor_config	 group;		/* the group's defaults */
	struct neigh_state	 gstate;
	struct filter_rule	*rule;		/* NULL: none being read */
	struct parse_loc	 rule_loc;
	struct parse_loc	 rule_peer_loc;
	bool			 rule_ok;
	/* read blocks into these when memory runs out */
	struct vrf_config	 vrf_oom;
	struct neighbor_config	 neigh_oom;
	struct filter_rule	 rule_oom;
};

static int	 yylex(YYSTYPE *, YYLTYPE *, struct parse_state *);
static void	 yyerror(YYLTYPE *, struct parse_state *, const char *);
static void	 parse_error(struct parse_state *, const YYLTYPE *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static char	*number_text(struct parse_state *, int64_t, const YYLTYPE *);
static void	 include_file(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 macro_set(struct parse_state *, const char *, const char *,
		    const YYLTYPE *);
static uint32_t	 asnum_number(struct parse_state *, int64_t,
		    const YYLTYPE *);
static uint32_t	 asnum_asdot(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 global_as(struct parse_state *, uint32_t);
static void	 global_router_id(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 global_holdtime(struct parse_state *, int64_t,
		    const YYLTYPE *);
static void	 global_listen(struct parse_state *, const char *, int64_t,
		    const YYLTYPE *);
static void	 global_network(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 global_cluster_id(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 global_fib_update(struct parse_state *, uint8_t, bool,
		    const YYLTYPE *);
static void	 global_fib_sync_timeout(struct parse_state *, int64_t,
		    const YYLTYPE *);
static void	 global_rule_priority(struct parse_state *, int64_t,
		    const YYLTYPE *);
static void	 locator_begin(struct parse_state *, const char *,
		    const char *, const YYLTYPE *);
static uint8_t	 locator_len(struct parse_state *, int64_t,
		    const YYLTYPE *);
static void	 locator_end(struct parse_state *);
static void	 srv6_encap_source(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 srv6_encap_mode(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 vrf_begin(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 vrf_end(struct parse_state *);
static void	 vrf_table(struct parse_state *, int64_t, const YYLTYPE *);
static void	 vrf_rd(struct parse_state *, const char *, const YYLTYPE *);
static void	 vrf_rt(struct parse_state *, const char *, bool,
		    const YYLTYPE *);
static void	 vrf_sid(struct parse_state *, enum vrf_sid_mode,
		    const char *, const YYLTYPE *);
static void	 vrf_sid_locator(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 vrf_iface(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 vrf_network(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 neighbor_begin(struct parse_state *, const char *, bool,
		    const YYLTYPE *);
static void	 neighbor_end(struct parse_state *);
static void	 neighbor_remote_as(struct parse_state *, uint32_t);
static void	 neighbor_descr(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 neighbor_local_addr(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 neighbor_holdtime(struct parse_state *, int64_t,
		    const YYLTYPE *);
static void	 neighbor_password(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 neighbor_flag(struct parse_state *, uint8_t, bool);
static void	 neighbor_af(struct parse_state *, uint8_t);
static void	 neighbor_max_prefix(struct parse_state *, int64_t, int64_t,
		    const YYLTYPE *, const YYLTYPE *);
static void	 filter_begin(struct parse_state *, int, bool, int,
		    const YYLTYPE *);
static void	 filter_end(struct parse_state *);
static void	 filter_peer(struct parse_state *, enum filter_peer,
		    const char *, const YYLTYPE *);
static void	 filter_prefix(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 filter_prefixlen(struct parse_state *, int64_t, int64_t,
		    const YYLTYPE *);
static void	 filter_prefixlen_range(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 filter_or_longer(struct parse_state *, const YYLTYPE *);
static void	 filter_community(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 filter_as(struct parse_state *, enum filter_as, uint32_t,
		    const YYLTYPE *);
static void	 filter_set(struct parse_state *, uint8_t, int64_t,
		    const YYLTYPE *);
static void	 filter_set_community(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 group_begin(struct parse_state *, const char *,
		    const YYLTYPE *);
static void	 group_end(struct parse_state *);
}

%token	ADDRFAMILY ANNOUNCE ARGLEN AS AUTO BLOCKLEN CONNECTED DESCRIPTION
%token	DOWN ENCAPSOURCE EXPORTTARGET FUNCLEN GROUP HOLDTIME IMPORTTARGET
%token	INCLUDE INTERFACE IPV4UNICAST IPV6UNICAST KERNEL LISTEN LOCALADDR
%token	LOCATOR NEIGHBOR NETWORK NO NODELEN ON PASSIVE PASSWORD PERCE PORT
%token	PREFIX RD REMOTEAS ROUTERID SID SRV6 TABLE TTLSECURITY VPNV4 VPNV6
%token	VRF YES
%token	ALLOW ALWAYS ANY CLUSTERID COMMUNITY COMPARE DENY EBGP FROM IBGP
%token	LOCALPREF MATCH MAXPREFIX MED NEXTHOP NEXTHOPSELF ORLONGER PEERAS
%token	PREFIXLEN PREPENDSELF QUICK RDE RESTART RRCLIENT SELF SET SOURCEAS
%token	STRICT TO TRANSITAS TRANSPOSITION
%token	ENCAPMODE FIBKEEP FIBSYNCTIMEOUT FIBUPDATE RULEPRIORITY
%token	ERROR
%token	<string>	STRING
%token	<number>	NUMBER
%type	<string>	string
%type	<number>	asnum yesno afi port
%type	<number>	filteraction quick filterdir

%destructor { free($$); } <string>

%%

grammar		: line
		| grammar sep line
		;

line		: %empty
		| include
		| varset
		| global
		| srv6
		| vrf
		| neighbor
		| group
		| filterrule
		| AS error		{ global_as(ps, 0); }
		| errskip
		;

/*
 * After an error, skip to the end of the line, or past the block that
 * the line opens, and report the next error again: a mistyped keyword
 * then costs one message, not one for each line of its block.
 */
errskip		: error
		| error '{' skip '}'
		;

/* Report errors again once a line has ended (not right after one). */
sep		: '\n'			{ yyerrok; }
		;

skip		: %empty
		| skip skiptok
		| skip '{' skip '}'
		;

skiptok		: STRING		{ free($1); }
		| NUMBER | ERROR | '\n' | '='
		| ADDRFAMILY | ANNOUNCE | ARGLEN | AS | AUTO | BLOCKLEN
		| CONNECTED | DESCRIPTION | DOWN | ENCAPSOURCE | EXPORTTARGET
		| FUNCLEN | GROUP | HOLDTIME | IMPORTTARGET | INCLUDE
		| INTERFACE | IPV4UNICAST | IPV6UNICAST | KERNEL | LISTEN
		| LOCALADDR | LOCATOR | NEIGHBOR | NETWORK | NO | NODELEN | ON
		| PASSIVE | PASSWORD | PERCE | PORT | PREFIX | RD | REMOTEAS
		| ROUTERID | SID | SRV6 | TABLE | TTLSECURITY | VPNV4 | VPNV6
		| VRF | YES | ','
		| ALLOW | ALWAYS | ANY | CLUSTERID | COMMUNITY | COMPARE | DENY
		| EBGP | FROM | IBGP | LOCALPREF | MATCH | MAXPREFIX | MED
		| NEXTHOP | NEXTHOPSELF | ORLONGER | PEERAS | PREFIXLEN
		| PREPENDSELF | QUICK | RDE | RESTART | RRCLIENT | SELF | SET
		| SOURCEAS | STRICT | TO | TRANSITAS | TRANSPOSITION
		| ENCAPMODE | FIBKEEP | FIBSYNCTIMEOUT | FIBUPDATE
		| RULEPRIORITY
		;

string		: STRING
		| NUMBER		{
			if (($$ = number_text(ps, $1, &@1)) == NULL)
				YYNOMEM;
		}
		;

include		: INCLUDE string	{
			include_file(ps, $2, &@2);
			free($2);
		}
		;

varset		: STRING '=' string	{
			macro_set(ps, $1, $3, &@1);
			free($1);
			free($3);
		}
		;

asnum		: NUMBER		{ $$ = asnum_number(ps, $1, &@1); }
		| STRING		{
			$$ = asnum_asdot(ps, $1, &@1);
			free($1);
		}
		;

yesno		: YES			{ $$ = 1; }
		| NO			{ $$ = 0; }
		;

global		: AS asnum		{ global_as(ps, $2); }
		| ROUTERID string	{
			global_router_id(ps, $2, &@2);
			free($2);
		}
		| HOLDTIME NUMBER	{ global_holdtime(ps, $2, &@2); }
		| LISTEN ON string port	{
			global_listen(ps, $3, $4, &@1);
			free($3);
		}
		| NETWORK string	{
			global_network(ps, $2, &@2);
			free($2);
		}
		| CLUSTERID string	{
			global_cluster_id(ps, $2, &@2);
			free($2);
		}
		| RDE MED COMPARE ALWAYS {
			ps->conf->flags |= CONF_F_ALWAYS_COMPARE_MED;
		}
		| RDE MED COMPARE STRICT {
			ps->conf->flags &= ~CONF_F_ALWAYS_COMPARE_MED;
		}
		| FIBKEEP yesno		{ ps->conf->fib_keep = $2; }
		| FIBUPDATE yesno	{
			global_fib_update(ps, FIB_UPDATE_AFS, $2, NULL);
		}
		| FIBUPDATE afi yesno	{ global_fib_update(ps, $2, $3, &@2); }
		| FIBUPDATE STRING yesno {
			parse_error(ps, &@2, "unknown address family \"%s\" "
			    "(ipv4-unicast or ipv6-unicast)", $2);
			free($2);
		}
		| FIBUPDATE STRING	{
			/* `fib-update maybe': what bison would have said */
			parse_error(ps, &@2, "syntax error: unexpected \"%s\"",
			    $2);
			free($2);
		}
		| FIBSYNCTIMEOUT NUMBER	{
			global_fib_sync_timeout(ps, $2, &@2);
		}
		| RULEPRIORITY NUMBER	{
			global_rule_priority(ps, $2, &@2);
		}
		;

port		: %empty		{ $$ = BGP_PORT; }
		| PORT NUMBER		{ $$ = $2; }
		;

srv6		: SRV6 '{' srv6lines '}'
		;

srv6lines	: srv6line
		| srv6lines sep srv6line
		;

srv6line	: %empty
		| LOCATOR string PREFIX string {
			locator_begin(ps, $2, $4, &@1);
			free($2);
			free($4);
			$2 = $4 = NULL;	/* still on the stack */
		} locopts {
			locator_end(ps);
		}
		| ENCAPSOURCE string	{
			srv6_encap_source(ps, $2, &@2);
			free($2);
		}
		| ENCAPMODE string	{
			srv6_encap_mode(ps, $2, &@2);
			free($2);
		}
		| errskip
		;

locopts		: %empty
		| locopts locopt
		;

locopt		: BLOCKLEN NUMBER	{
			ps->loc.block_len = locator_len(ps, $2, &@2);
		}
		| NODELEN NUMBER	{
			ps->loc.node_len = locator_len(ps, $2, &@2);
		}
		| FUNCLEN NUMBER	{
			ps->loc.func_len = locator_len(ps, $2, &@2);
		}
		| ARGLEN NUMBER		{
			ps->loc.arg_len = locator_len(ps, $2, &@2);
		}
		| ANNOUNCE yesno	{ ps->loc.announce = $2; }
		;

vrf		: VRF string		{
			vrf_begin(ps, $2, &@1);
			free($2);
			$2 = NULL;
		} '{' vrflines '}'	{
			vrf_end(ps);
		}
		;

vrflines	: vrfline
		| vrflines sep vrfline
		;

vrfline		: %empty
		| TABLE NUMBER		{ vrf_table(ps, $2, &@2); }
		| RD string		{
			vrf_rd(ps, $2, &@2);
			free($2);
		}
		| IMPORTTARGET importlist
		| EXPORTTARGET exportlist
		| SID AUTO sidlocator	{
			vrf_sid(ps, VRF_SID_AUTO, NULL, &@1);
		}
		| SID PERCE sidlocator	{
			vrf_sid(ps, VRF_SID_PER_CE, NULL, &@1);
		}
		| SID string sidlocator	{
			vrf_sid(ps, VRF_SID_EXPLICIT, $2, &@1);
			free($2);
		}
		| INTERFACE iflist
		| NETWORK string	{
			vrf_network(ps, $2, &@2);
			free($2);
		}
		| NETWORK CONNECTED	{
			ps->vrf->net_flags |= VRF_NET_CONNECTED;
		}
		| NETWORK KERNEL	{
			ps->vrf->net_flags |= VRF_NET_KERNEL;
		}
		/* a bad table or rd is said once, not again as a missing one */
		| TABLE error		{ vrf_table(ps, -1, NULL); }
		| RD error		{ vrf_rd(ps, NULL, NULL); }
		| errskip
		;

importlist	: string		{
			vrf_rt(ps, $1, true, &@1);
			free($1);
		}
		| importlist string	{
			vrf_rt(ps, $2, true, &@2);
			free($2);
		}
		;

exportlist	: string		{
			vrf_rt(ps, $1, false, &@1);
			free($1);
		}
		| exportlist string	{
			vrf_rt(ps, $2, false, &@2);
			free($2);
		}
		;

iflist		: string		{
			vrf_iface(ps, $1, &@1);
			free($1);
		}
		| iflist string		{
			vrf_iface(ps, $2, &@2);
			free($2);
		}
		;

sidlocator	: %empty		{ ps->vrf->locator[0] = '\0'; }
		| LOCATOR string	{
			vrf_sid_locator(ps, $2, &@2);
			free($2);
		}
		;

neighbor	: NEIGHBOR string	{
			neighbor_begin(ps, $2, false, &@1);
			free($2);
			$2 = NULL;
		} neighblock		{
			neighbor_end(ps);
			ps->neigh = NULL;
		}
		;

neighblock	: %empty
		| '{' neighlines '}'
		;

neighlines	: neighline
		| neighlines sep neighline
		;

neighline	: %empty
		| neighopt
		| errskip
		;

neighopt	: REMOTEAS asnum	{ neighbor_remote_as(ps, $2); }
		| REMOTEAS error	{ neighbor_remote_as(ps, 0); }
		| DESCRIPTION string	{
			neighbor_descr(ps, $2, &@2);
			free($2);
		}
		| LOCALADDR string	{
			neighbor_local_addr(ps, $2, &@2);
			free($2);
		}
		| PASSIVE		{
			neighbor_flag(ps, NEIGH_F_PASSIVE, true);
		}
		| HOLDTIME NUMBER	{ neighbor_holdtime(ps, $2, &@2); }
		| PASSWORD string	{
			neighbor_password(ps, $2, &@2);
			free($2);
		}
		| TTLSECURITY yesno	{
			neighbor_flag(ps, NEIGH_F_TTL_SECURITY, $2);
		}
		| ADDRFAMILY afi	{ neighbor_af(ps, $2); }
		| DOWN			{
			neighbor_flag(ps, NEIGH_F_DOWN, true);
		}
		| MAXPREFIX NUMBER	{
			neighbor_max_prefix(ps, $2, 0, &@2, NULL);
		}
		| MAXPREFIX NUMBER RESTART NUMBER {
			neighbor_max_prefix(ps, $2, $4, &@2, &@4);
		}
		| RRCLIENT		{
			neighbor_flag(ps, NEIGH_F_RR_CLIENT, true);
		}
		| NEXTHOPSELF		{
			neighbor_flag(ps, NEIGH_F_NEXTHOP_SELF, true);
		}
		| SRV6 TRANSPOSITION yesno {
			/* RFC 9252 §4: the SID's function in the label */
			neighbor_flag(ps, NEIGH_F_NO_TRANSPOSE, !$3);
		}
		;

afi		: IPV4UNICAST		{ $$ = AFS_IPV4_UNICAST; }
		| IPV6UNICAST		{ $$ = AFS_IPV6_UNICAST; }
		| VPNV4			{ $$ = AFS_VPNV4; }
		| VPNV6			{ $$ = AFS_VPNV6; }
		;

group		: GROUP string		{
			group_begin(ps, $2, &@1);
			free($2);
			$2 = NULL;
		} '{' grouplines '}'	{
			group_end(ps);
		}
		;

grouplines	: groupline
		| grouplines sep groupline
		;

groupline	: %empty
		| neighopt
		| NEIGHBOR string	{
			neighbor_begin(ps, $2, true, &@1);
			free($2);
			$2 = NULL;
		} neighblock		{
			neighbor_end(ps);
			ps->neigh = &ps->group;
		}
		| errskip		{ ps->neigh = &ps->group; }
		;

/*
 * Filter rules, OpenBGPD's language cut down:
 *	allow|deny|match [quick] from|to PEER [MATCH ...] [set SET]
 */
filterrule	: filteraction quick filterdir {
			filter_begin(ps, $1, $2, $3, &@1);
		} filterpeer filteropts filterset {
			filter_end(ps);
		}
		;

filteraction	: ALLOW			{ $$ = FILTER_ALLOW; }
		| DENY			{ $$ = FILTER_DENY; }
		| MATCH			{ $$ = FILTER_MATCH; }
		;

quick		: %empty		{ $$ = 0; }
		| QUICK			{ $$ = 1; }
		;

filterdir	: FROM			{ $$ = FILTER_IN; }
		| TO			{ $$ = FILTER_OUT; }
		;

filterpeer	: ANY			{
			filter_peer(ps, FILTER_PEER_ANY, NULL, &@1);
		}
		| EBGP			{
			filter_peer(ps, FILTER_PEER_EBGP, NULL, &@1);
		}
		| IBGP			{
			filter_peer(ps, FILTER_PEER_IBGP, NULL, &@1);
		}
		| GROUP string		{
			filter_peer(ps, FILTER_PEER_GROUP, $2, &@2);
			free($2);
		}
		| string		{
			filter_peer(ps, FILTER_PEER_ADDR, $1, &@1);
			free($1);
		}
		;

filteropts	: %empty
		| filteropts filteropt
		;

filteropt	: PREFIX string		{
			filter_prefix(ps, $2, &@2);
			free($2);
			$2 = NULL;	/* still on the stack */
		} prefixlen
		| COMMUNITY string	{
			filter_community(ps, $2, &@2);
			free($2);
		}
		| AS asnum		{
			filter_as(ps, FILTER_AS_ANY, $2, &@1);
		}
		| SOURCEAS asnum	{
			filter_as(ps, FILTER_AS_SOURCE, $2, &@1);
		}
		| TRANSITAS asnum	{
			filter_as(ps, FILTER_AS_TRANSIT, $2, &@1);
		}
		| PEERAS asnum		{
			filter_as(ps, FILTER_AS_PEER, $2, &@1);
		}
		;

prefixlen	: %empty
		| ORLONGER		{ filter_or_longer(ps, &@1); }
		| PREFIXLEN '=' NUMBER	{
			filter_prefixlen(ps, $3, $3, &@3);
		}
		| PREFIXLEN NUMBER STRING NUMBER {
			/* "-" alone is a word: the lexer reads addresses */
			if (strcmp($3, "-") != 0)
				parse_error(ps, &@3, "syntax error: "
				    "unexpected \"%s\"", $3);
			else
				filter_prefixlen(ps, $2, $4, &@2);
			free($3);
		}
		| PREFIXLEN STRING	{
			filter_prefixlen_range(ps, $2, &@2);
			free($2);
		}
		;

filterset	: %empty
		| SET setitem
		| SET '{' setlist '}'
		;

/* Items on their own lines, or separated by commas, or both. */
setlist		: %empty
		| setlist setitem
		| setlist '\n'
		| setlist ','
		;

setitem		: LOCALPREF NUMBER	{
			filter_set(ps, FILTER_SET_LOCALPREF, $2, &@2);
		}
		| MED NUMBER		{
			filter_set(ps, FILTER_SET_MED, $2, &@2);
		}
		| COMMUNITY string	{
			filter_set_community(ps, $2, &@2);
			free($2);
		}
		| PREPENDSELF NUMBER	{
			filter_set(ps, FILTER_SET_PREPEND, $2, &@2);
		}
		| NEXTHOP SELF		{
			filter_set(ps, FILTER_SET_NEXTHOP_SELF, 0, &@1);
		}
		;

%%

/* ------------------------------------------------------------------ */
/* errors                                                              */

/* One byte as itself when printable ASCII, else as a \ooo escape. */
static void
vis_encode(char dst[5], unsigned char c)
{
	if (c >= 0x20 && c < 0x7f && c != '\\')
		snprintf(dst, 5, "%c", c);
	else if (c == '\\')
		snprintf(dst, 5, "\\\\");
	else
		snprintf(dst, 5, "\\%03o", c);
}

/*
 * Error text quotes what the file said; a broken file may say anything, so
 * control bytes and non-ASCII are shown as \ooo escapes: the text goes to
 * logs, terminals and srv6ctl's JSON.
 */
static void
parse_print_visible(FILE *fp, const char *fmt, va_list ap)
{
	char	*raw;
	char	 vis[5];
	size_t	 i;

	if (vasprintf(&raw, fmt, ap) == -1) {
		fputs("(out of memory)", fp);
		return;
	}
	for (i = 0; raw[i] != '\0'; i++) {
		vis_encode(vis, (unsigned char)raw[i]);
		fputs(vis, fp);
	}
	free(raw);
}

static void
parse_verror(struct parse_state *ps, const YYLTYPE *loc, const char *fmt,
    va_list ap)
{
	const struct parse_file	*f = TAILQ_FIRST(&ps->files);
	int			 line = 1;

	/* Only the empty rule before the first token has no file. */
	if (loc->file != NULL) {
		f = loc->file;
		line = loc->line;
	}
	fprintf(ps->errs, "%s:%d: ", f->name, line);
	parse_print_visible(ps->errs, fmt, ap);
	fputc('\n', ps->errs);
	ps->nerrors++;
}

static void
parse_error(struct parse_state *ps, const YYLTYPE *loc, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	parse_verror(ps, loc, fmt, ap);
	va_end(ap);
}

/* Bison's own failures (memory exhausted); syntax errors come below. */
static void
yyerror(YYLTYPE *loc, struct parse_state *ps, const char *msg)
{
	parse_error(ps, loc, "%s", msg);
}

static bool
parse_expects(const yypcontext_t *ctx, yysymbol_kind_t want)
{
	yysymbol_kind_t	exp[YYNTOKENS];
	int		i, n;

	n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	for (i = 0; i < n; i++)
		if (exp[i] == want)
			return (true);
	return (false);
}

/*
 * Name the token the parser stopped at.  An unquoted word first on its
 * statement is a keyword we do not know; so is one followed by anything
 * but '=' (a word alone at the start of a line can only begin a macro).
 */
static int
yyreport_syntax_error(const yypcontext_t *ctx, struct parse_state *ps)
{
	const YYLTYPE	*loc = yypcontext_location(ctx);
	yysymbol_kind_t	 kind = yypcontext_token(ctx);
	struct tok_info	*t = &ps->tok;

	if (kind == YYSYMBOL_ERROR)
		return (0);	/* the lexer has said why */
	if (t->kind == TOK_WORD && t->first)
		parse_error(ps, loc, "syntax error: unknown keyword \"%s\"",
		    t->text);
	else if (ps->prevtok.kind == TOK_WORD && ps->prevtok.first &&
	    parse_expects(ctx, YYTRANSLATE('=')))
		parse_error(ps, loc, "syntax error: unknown keyword \"%s\"",
		    ps->prevtok.text);
	else if (t->kind == TOK_EOF)
		parse_error(ps, loc, "syntax error: unexpected end of file");
	else if (t->kind == TOK_SEP && strcmp(t->text, ";") != 0)
		parse_error(ps, loc, "syntax error: unexpected end of line");
	else
		parse_error(ps, loc, "syntax error: unexpected \"%s\"",
		    t->text);
	return (0);
}

/* ------------------------------------------------------------------ */
/* lexer                                                               */

static const struct keyword {
	const char	*name;
	int		 token;
} keywords[] = {
	/* sorted for bsearch (strcmp: capitals first) */
	{ "AS",			AS },	/* OpenBGPD's spelling in filters */
	{ "address-family",	ADDRFAMILY },
	{ "allow",		ALLOW },
	{ "always",		ALWAYS },
	{ "announce",		ANNOUNCE },
	{ "any",		ANY },
	{ "argument-length",	ARGLEN },
	{ "as",			AS },
	{ "auto",		AUTO },
	{ "block-length",	BLOCKLEN },
	{ "cluster-id",		CLUSTERID },
	{ "community",		COMMUNITY },
	{ "compare",		COMPARE },
	{ "connected",		CONNECTED },
	{ "deny",		DENY },
	{ "description",	DESCRIPTION },
	{ "down",		DOWN },
	{ "ebgp",		EBGP },
	{ "encap-mode",		ENCAPMODE },
	{ "encap-source",	ENCAPSOURCE },
	{ "export-target",	EXPORTTARGET },
	{ "fib-keep",		FIBKEEP },
	{ "fib-sync-timeout",	FIBSYNCTIMEOUT },
	{ "fib-update",		FIBUPDATE },
	{ "from",		FROM },
	{ "function-length",	FUNCLEN },
	{ "group",		GROUP },
	{ "holdtime",		HOLDTIME },
	{ "ibgp",		IBGP },
	{ "import-target",	IMPORTTARGET },
	{ "include",		INCLUDE },
	{ "interface",		INTERFACE },
	{ "ipv4-unicast",	IPV4UNICAST },
	{ "ipv6-unicast",	IPV6UNICAST },
	{ "kernel",		KERNEL },
	{ "listen",		LISTEN },
	{ "local-address",	LOCALADDR },
	{ "localpref",		LOCALPREF },
	{ "locator",		LOCATOR },
	{ "match",		MATCH },
	{ "max-prefix",		MAXPREFIX },
	{ "med",		MED },
	{ "neighbor",		NEIGHBOR },
	{ "network",		NETWORK },
	{ "next-hop-self",	NEXTHOPSELF },
	{ "nexthop",		NEXTHOP },
	{ "no",			NO },
	{ "node-length",	NODELEN },
	{ "on",			ON },
	{ "or-longer",		ORLONGER },
	{ "passive",		PASSIVE },
	{ "password",		PASSWORD },
	{ "peer-as",		PEERAS },
	{ "per-ce",		PERCE },
	{ "port",		PORT },
	{ "prefix",		PREFIX },
	{ "prefixlen",		PREFIXLEN },
	{ "prepend-self",	PREPENDSELF },
	{ "quick",		QUICK },
	{ "rd",			RD },
	{ "rde",		RDE },
	{ "remote-as",		REMOTEAS },
	{ "restart",		RESTART },
	{ "route-reflector-client", RRCLIENT },
	{ "router-id",		ROUTERID },
	{ "rule-priority",	RULEPRIORITY },
	{ "self",		SELF },
	{ "set",		SET },
	{ "sid",		SID },
	{ "source-as",		SOURCEAS },
	{ "srv6",		SRV6 },
	{ "strict",		STRICT },
	{ "table",		TABLE },
	{ "to",			TO },
	{ "transit-as",		TRANSITAS },
	{ "transposition",	TRANSPOSITION },
	{ "ttl-security",	TTLSECURITY },
	{ "vpnv4",		VPNV4 },
	{ "vpnv6",		VPNV6 },
	{ "vrf",		VRF },
	{ "yes",		YES },
};

static int
keyword_cmp(const void *k, const void *e)
{
	return (strcmp(k, ((const struct keyword *)e)->name));
}

static int
keyword_lookup(const char *s)
{
	const struct keyword	*kw;

	kw = bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), keyword_cmp);
	return (kw != NULL ? kw->token : STRING);
}

int
parse_is_keyword(const char *s)
{
	return (keyword_lookup(s) != STRING);
}

/* Characters of an unquoted word (names, numbers, addresses, RDs). */
static bool
lex_wordchar(int c)
{
	return (isalnum(c) || (c != EOF && strchr("-_.:/@%", c) != NULL));
}

static int
lex_unget(struct parse_state *ps, int c)
{
	struct parse_file	*f = ps->file;
	char			*p;
	size_t			 size;

	if (c == EOF)
		return (0);
	if (f->ungetlen == f->ungetsize) {
		size = f->ungetsize == 0 ? 64 : f->ungetsize * 2;
		if ((p = realloc(f->unget, size)) == NULL)
			return (-1);
		f->unget = p;
		f->ungetsize = size;
	}
	f->unget[f->ungetlen++] = c;
	return (0);
}

/* Push s back so that it is read next, first character first. */
static int
lex_push(struct parse_state *ps, const char *s)
{
	size_t	n = strlen(s);

	while (n > 0)
		if (lex_unget(ps, (unsigned char)s[--n]) == -1)
			return (-1);
	return (0);
}

/*
 * The next character.  Outside quotes a backslash before a newline joins
 * the lines.  Macro expansions are pushed back, so they are read first.
 */
static int
lex_getc(struct parse_state *ps, bool quoted)
{
	struct parse_file	*f = ps->file;
	int			 c, next;

	if (f->ungetlen > 0)
		return ((unsigned char)f->unget[--f->ungetlen]);
	if (f->stream == NULL)
		return (EOF);
	for (;;) {
		c = getc(f->stream);
		ps->nexpand = 0;
		if (quoted || c != '\\')
			return (c);
		next = getc(f->stream);
		if (next != '\n') {
			if (next != EOF)
				ungetc(next, f->stream);
			return (c);
		}
		f->lineno++;
	}
}

static void
lex_settok(struct parse_state *ps, enum tok_kind kind, const char *text)
{
	bool	first;

	first = ps->tok.kind == TOK_SEP || ps->tok.kind == TOK_EOF ||
	    (ps->tok.kind == TOK_OTHER && strchr("{}", ps->tok.text[0]));
	ps->prevtok = ps->tok;
	ps->tok.kind = kind;
	ps->tok.first = first;
	strlcpy(ps->tok.text, text, sizeof(ps->tok.text));
}

/* $name: push the macro's value back to be read as input. */
static int
lex_macro(struct parse_state *ps, const YYLTYPE *loc)
{
	struct macro	*m;
	char		 name[STRING_MAX];
	size_t		 n = 0;
	int		 c;

	while ((c = lex_getc(ps, false)) != EOF && (isalnum(c) || c == '_'))
		if (n < sizeof(name) - 1)
			name[n++] = c;
	lex_unget(ps, c);
	name[n] = '\0';
	TAILQ_FOREACH(m, &ps->macros, entry)
		if (strcmp(m->name, name) == 0)
			break;
	if (m == NULL) {
		parse_error(ps, loc, "macro \"%s\" not defined", name);
		return (-1);
	}
	if (++ps->nexpand > MACRO_EXPAND_MAX) {
		parse_error(ps, loc, "macro \"%s\" expands itself", name);
		ps->file->ungetlen = 0;
		return (-1);
	}
	if (lex_push(ps, m->value) == -1) {
		parse_error(ps, loc, "%s", strerror(errno));
		return (-1);
	}
	return (0);
}

static int
lex_quoted(struct parse_state *ps, YYSTYPE *lval, const YYLTYPE *loc)
{
	char	buf[STRING_MAX];
	size_t	n = 0;
	int	c, next;

	for (;;) {
		c = lex_getc(ps, true);
		if (c == EOF || c == '\n') {
			lex_unget(ps, c);
			parse_error(ps, loc, "unterminated quoted string");
			return (ERROR);
		}
		if (c == '"')
			break;
		if (c == '\\') {
			next = lex_getc(ps, true);
			if (next == '"' || next == '\\')
				c = next;
			else
				lex_unget(ps, next);
		}
		if (n == sizeof(buf) - 1) {
			parse_error(ps, loc, "string too long");
			return (ERROR);
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	lex_settok(ps, TOK_QUOTED, buf);
	if ((lval->string = strdup(buf)) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		return (ERROR);
	}
	return (STRING);
}

/* All digits: a NUMBER, clamped so that range checks name it. */
static bool
lex_number(const char *s, int64_t *out)
{
	int64_t	v = 0;

	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return (false);
		if (v > (INT64_MAX - 9) / 10)
			v = INT64_MAX;
		else
			v = v * 10 + (*s - '0');
	}
	*out = v;
	return (true);
}

static int
lex_word(struct parse_state *ps, int c, YYSTYPE *lval, const YYLTYPE *loc)
{
	char	buf[STRING_MAX];
	size_t	n = 0;
	int	tok;

	do {
		if (n == sizeof(buf) - 1) {
			parse_error(ps, loc, "word too long");
			return (ERROR);
		}
		buf[n++] = c;
	} while ((c = lex_getc(ps, false)) != EOF && lex_wordchar(c));
	lex_unget(ps, c);
	buf[n] = '\0';
	if (lex_number(buf, &lval->number)) {
		lex_settok(ps, TOK_OTHER, buf);
		return (NUMBER);
	}
	if ((tok = keyword_lookup(buf)) != STRING) {
		lex_settok(ps, TOK_KEYWORD, buf);
		return (tok);
	}
	lex_settok(ps, TOK_WORD, buf);
	if ((lval->string = strdup(buf)) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		return (ERROR);
	}
	return (STRING);
}

/* The end of a file: an included one ends like a line, back in its parent. */
static int
lex_eof(struct parse_state *ps)
{
	struct parse_file	*f = ps->file;

	if (f->stream != NULL) {
		fclose(f->stream);
		f->stream = NULL;
	}
	if (f->parent == NULL) {
		lex_settok(ps, TOK_EOF, "end of file");
		return (YYEOF);
	}
	ps->file = f->parent;
	lex_settok(ps, TOK_EOF, "end of file");
	return ('\n');
}

static int
yylex(YYSTYPE *lval, YYLTYPE *loc, struct parse_state *ps)
{
	char	text[2];
	int	c;

	for (;;) {
		while ((c = lex_getc(ps, false)) == ' ' || c == '\t' ||
		    c == '\r')
			;
		/* A comment ends at the newline, backslash or not. */
		if (c == '#')
			while ((c = lex_getc(ps, true)) != '\n' && c != EOF)
				;
		loc->file = ps->file;
		loc->line = ps->file->lineno;
		if (c != '$')
			break;
		if (lex_macro(ps, loc) == -1) {
			lex_settok(ps, TOK_OTHER, "$");
			return (ERROR);
		}
	}
	switch (c) {
	case EOF:
		return (lex_eof(ps));
	case '\n':
		ps->file->lineno++;
		lex_settok(ps, TOK_SEP, "end of line");
		return ('\n');
	case ';':
		lex_settok(ps, TOK_SEP, ";");
		return ('\n');
	case '"':
		return (lex_quoted(ps, lval, loc));
	}
	if (lex_wordchar(c))
		return (lex_word(ps, c, lval, loc));
	text[0] = c;
	text[1] = '\0';
	lex_settok(ps, TOK_OTHER, text);
	return (c);
}

/* ------------------------------------------------------------------ */
/* files and macros                                                    */

/* A configuration is a regular file (a directory reads as empty). */
static int
parse_file_regular(FILE *fp)
{
	struct stat	st;

	if (fstat(fileno(fp), &st) == -1)
		return (-1);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

static int
file_push(struct parse_state *ps, const char *name)
{
	struct parse_file	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if ((f->name = strdup(name)) == NULL) {
		free(f);
		return (-1);
	}
	if ((f->stream = fopen(name, "r")) == NULL ||
	    parse_file_regular(f->stream) == -1) {
		if (f->stream != NULL)
			fclose(f->stream);
		free(f->name);
		free(f);
		return (-1);
	}
	f->lineno = 1;
	f->parent = ps->file;
	f->depth = ps->file != NULL ? ps->file->depth + 1 : 0;
	TAILQ_INSERT_TAIL(&ps->files, f, entry);
	ps->file = f;
	return (0);
}

/* A relative include is relative to the directory of the includer. */
static char *
include_path(const char *includer, const char *name)
{
	const char	*slash;
	char		*path;

	if (name[0] == '/' || (slash = strrchr(includer, '/')) == NULL)
		return (strdup(name));
	if (asprintf(&path, "%.*s/%s", (int)(slash - includer), includer,
	    name) == -1)
		return (NULL);
	return (path);
}

static void
include_file(struct parse_state *ps, const char *name, const YYLTYPE *loc)
{
	char	*path;

	if (ps->file->depth >= INCLUDE_DEPTH_MAX) {
		parse_error(ps, loc, "include \"%s\": nested too deeply", name);
		return;
	}
	if ((path = include_path(ps->file->name, name)) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		return;
	}
	if (file_push(ps, path) == -1)
		parse_error(ps, loc, "include \"%s\": %s", path,
		    strerror(errno));
	else
		/* The included file starts a new statement. */
		lex_unget(ps, ';');
	free(path);
}

static void
macro_set(struct parse_state *ps, const char *name, const char *value,
    const YYLTYPE *loc)
{
	struct macro	*m;
	const char	*p;
	char		*v;

	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			break;
	if (*p != '\0') {
		parse_error(ps, loc, "invalid macro name \"%s\"", name);
		return;
	}
	if ((v = strdup(value)) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		return;
	}
	TAILQ_FOREACH(m, &ps->macros, entry)
		if (strcmp(m->name, name) == 0)
			break;
	if (m == NULL) {
		if ((m = calloc(1, sizeof(*m))) == NULL ||
		    (m->name = strdup(name)) == NULL) {
			free(m);
			free(v);
			parse_error(ps, loc, "%s", strerror(errno));
			return;
		}
		TAILQ_INSERT_TAIL(&ps->macros, m, entry);
	}
	free(m->value);
	m->value = v;
}

static char *
number_text(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	char	*s;

	if (asprintf(&s, "%" PRId64, n) == -1) {
		parse_error(ps, loc, "%s", strerror(errno));
		return (NULL);
	}
	return (s);
}

/* ------------------------------------------------------------------ */
/* global statements                                                   */

/* Returns 0 (not a valid AS) after reporting the error. */
static uint32_t
asnum_number(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	if (n < 1 || n > UINT32_MAX) {
		parse_error(ps, loc, "AS number %" PRId64 " out of range "
		    "(1 to 4294967295)", n);
		return (0);
	}
	return (n);
}

/* "high.low", RFC 5396 asdot. */
static uint32_t
asnum_asdot(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	const char	*dot = strchr(s, '.');
	int64_t		 hi, lo;
	char		 buf[8];

	if (dot == NULL || dot - s == 0 || (size_t)(dot - s) >= sizeof(buf) ||
	    strlen(dot + 1) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, dot - s);
	buf[dot - s] = '\0';
	if (!lex_number(buf, &hi) || dot[1] == '\0' ||
	    !lex_number(dot + 1, &lo) || hi > UINT16_MAX || lo > UINT16_MAX ||
	    (hi == 0 && lo == 0))
		goto bad;
	return ((uint32_t)hi << 16 | (uint32_t)lo);
 bad:
	parse_error(ps, loc, "invalid AS number \"%s\"", s);
	return (0);
}

static void
global_as(struct parse_state *ps, uint32_t as)
{
	ps->has_as = true;
	if (as != 0)
		ps->conf->as = as;
}

static void
global_router_id(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct srv6d_addr	a;

	if (str2addr(s, &a) == -1 || a.af != AF_INET ||
	    a.v4.s_addr == INADDR_ANY) {
		parse_error(ps, loc, "invalid router-id \"%s\" "
		    "(a non-zero IPv4 address)", s);
		return;
	}
	ps->conf->router_id = a.v4;
}

/* RFC 4271 §4.2: the hold time is zero or at least three seconds. */
static bool
holdtime_ok(int64_t n)
{
	return (n >= BGP_HOLDTIME_MIN && n <= UINT16_MAX);
}

static void
global_holdtime(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	if (n != 0 && !holdtime_ok(n)) {
		parse_error(ps, loc, "holdtime %" PRId64 " must be 0 or "
		    "3 to 65535", n);
		return;
	}
	ps->conf->holdtime = n;
}

static void
global_listen(struct parse_state *ps, const char *s, int64_t port,
    const YYLTYPE *loc)
{
	struct listen_config	*la;
	struct srv6d_addr	 a;

	if (str2addr(s, &a) == -1) {
		parse_error(ps, loc, "invalid listen address \"%s\"", s);
		return;
	}
	if (port < 1 || port > UINT16_MAX) {
		parse_error(ps, loc, "port %" PRId64 " out of range "
		    "(1 to 65535)", port);
		return;
	}
	TAILQ_FOREACH(la, &ps->conf->listens, entry)
		if (addr_cmp(&la->addr, &a) == 0 && la->port == port) {
			parse_error(ps, loc, "duplicate listen on %s port %"
			    PRId64, s, port);
			return;
		}
	if (config_add_listen(ps->conf, &a, port) == -1)
		parse_error(ps, loc, "%s", strerror(errno));
}

/* Parse a prefix whose host bits must be clear. */
static int	parse_prefix(struct parse_state *, const char *,
		    struct srv6d_prefix *, const char *, const YYLTYPE *);

static void
global_network(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct srv6d_prefix	p;

	if (parse_prefix(ps, s, &p, "network", loc) == -1)
		return;
	if (config_has_network(ps->conf, &p))
		return;		/* said twice means the same */
	if (config_add_network(ps->conf, &p) == -1)
		parse_error(ps, loc, "%s", strerror(errno));
}

static void
global_cluster_id(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct srv6d_addr	a;

	if (str2addr(s, &a) == -1 || a.af != AF_INET ||
	    a.v4.s_addr == INADDR_ANY) {
		parse_error(ps, loc, "invalid cluster-id \"%s\" "
		    "(a non-zero IPv4 address)", s);
		return;
	}
	ps->conf->cluster_id = a.v4;
}

/*
 * fib-update without a family sets both unicast families; a later line
 * overrides an earlier one for the families it names.  VPN routes never
 * go into the main table (their VRFs' tables take them).
 */
static void
global_fib_update(struct parse_state *ps, uint8_t afs, bool on,
    const YYLTYPE *loc)
{
	if (afs & ~FIB_UPDATE_AFS) {
		parse_error(ps, loc, "fib-update is for ipv4-unicast and "
		    "ipv6-unicast only");
		return;
	}
	if (on)
		ps->conf->fib_update_afs |= afs;
	else
		ps->conf->fib_update_afs &= ~afs;
}

/* At least a second: 0 would delete every kept route at once. */
static void
global_fib_sync_timeout(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	if (n < 1 || n > FIB_SYNC_TIMEOUT_MAX) {
		parse_error(ps, loc, "fib-sync-timeout %" PRId64 " out of "
		    "range (1 to %d seconds)", n, FIB_SYNC_TIMEOUT_MAX);
		return;
	}
	ps->conf->fib_sync_timeout = n;
}

/*
 * Before the kernel's main rule (32766), else a VRF's traffic would
 * take main's routes first; 0 is the local table's rule.
 */
static void
global_rule_priority(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	if (n < 1 || n > RULE_PRIORITY_MAX) {
		parse_error(ps, loc, "rule-priority %" PRId64 " out of range "
		    "(1 to %d)", n, RULE_PRIORITY_MAX);
		return;
	}
	ps->conf->rule_priority = n;
}

/* ------------------------------------------------------------------ */
/* srv6 block                                                          */

/* Parse a prefix whose host bits must be clear. */
static int
parse_prefix(struct parse_state *ps, const char *s, struct srv6d_prefix *p,
    const char *what, const YYLTYPE *loc)
{
	struct srv6d_prefix	masked;

	if (str2prefix(s, p) == -1) {
		parse_error(ps, loc, "invalid %s \"%s\"", what, s);
		return (-1);
	}
	masked = *p;
	prefix_mask(&masked);
	if (addr_cmp(&masked.addr, &p->addr) != 0) {
		parse_error(ps, loc, "%s %s has host bits set (%s)", what, s,
		    prefix2str(&masked));
		return (-1);
	}
	return (0);
}

static void
locator_begin(struct parse_state *ps, const char *name, const char *pfx,
    const YYLTYPE *loc)
{
	memset(&ps->loc, 0, sizeof(ps->loc));
	ps->loc_loc = *loc;
	ps->loc_ok = true;
	/* RFC 8986 §3.1: a 32-bit block and 16-bit node and function. */
	ps->loc.block_len = 32;
	ps->loc.node_len = 16;
	ps->loc.func_len = 16;
	ps->loc.announce = true;
	if (name[0] == '\0' || strlcpy(ps->loc.name, name,
	    sizeof(ps->loc.name)) >= sizeof(ps->loc.name)) {
		parse_error(ps, loc, "invalid locator name \"%s\" "
		    "(1 to %d characters)", name, LOCATOR_NAME_LEN - 1);
		ps->loc_ok = false;
	}
	if (parse_prefix(ps, pfx, &ps->loc.prefix, "locator prefix",
	    loc) == -1)
		ps->loc_ok = false;
	else if (ps->loc.prefix.addr.af != AF_INET6) {
		parse_error(ps, loc, "locator prefix %s is not IPv6", pfx);
		ps->loc_ok = false;
	}
}

static uint8_t
locator_len(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	if (n > 128) {
		parse_error(ps, loc, "length %" PRId64 " out of range "
		    "(0 to 128)", n);
		ps->loc_ok = false;
		return (0);
	}
	return (n);
}

/* The SID structure must add up (RFC 8986 §3.1), names and prefixes unique. */
static bool
locator_check(struct parse_state *ps, const struct locator_config *l)
{
	const YYLTYPE	*loc = &ps->loc_loc;

	if (l->block_len + l->node_len != l->prefix.len) {
		parse_error(ps, loc, "locator \"%s\": block-length %u + "
		    "node-length %u differ from the prefix length %u",
		    l->name, l->block_len, l->node_len, l->prefix.len);
		return (false);
	}
	if (l->block_len + l->node_len + l->func_len + l->arg_len > 128) {
		parse_error(ps, loc, "locator \"%s\": block, node, function "
		    "and argument lengths add up to more than 128 bits",
		    l->name);
		return (false);
	}
	if (l->func_len == 0) {
		parse_error(ps, loc, "locator \"%s\": function-length must "
		    "not be 0", l->name);
		return (false);
	}
	return (true);
}

static void
locator_end(struct parse_state *ps)
{
	struct srv6d_config	*conf = ps->conf;
	struct locator_config	*l = &ps->loc, *o;
	size_t			 i;

	if (!ps->loc_ok || !locator_check(ps, l))
		return;
	for (i = 0; i < conf->n_locators; i++) {
		o = &conf->locators[i];
		if (strcmp(o->name, l->name) == 0) {
			parse_error(ps, &ps->loc_loc, "duplicate locator "
			    "\"%s\"", l->name);
			return;
		}
		if (prefix_overlaps(&o->prefix, &l->prefix)) {
			parse_error(ps, &ps->loc_loc, "locator \"%s\" (%s) "
			    "overlaps locator \"%s\" (%s)", l->name,
			    prefix2str(&l->prefix), o->name,
			    prefix2str(&o->prefix));
			return;
		}
	}
	if (config_add_locator(conf, l) == -1)
		parse_error(ps, &ps->loc_loc, "%s", strerror(errno));
}

static void
srv6_encap_source(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct srv6d_addr	a;

	if (str2addr(s, &a) == -1 || a.af != AF_INET6) {
		parse_error(ps, loc, "encap-source \"%s\" is not an IPv6 "
		    "address", s);
		return;
	}
	ps->conf->encap_source = a;
}

/* encap.red leaves the first SID out of the SRH (RFC 8986 5.2). */
static void
srv6_encap_mode(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	if (strcmp(s, "encap") == 0)
		ps->conf->encap_mode = SRV6_ENCAP_NORMAL;
	else if (strcmp(s, "encap.red") == 0)
		ps->conf->encap_mode = SRV6_ENCAP_RED;
	else
		parse_error(ps, loc, "invalid encap-mode \"%s\" (encap or "
		    "encap.red)", s);
}

/* ------------------------------------------------------------------ */
/* vrf blocks                                                          */

/* The name is also a device name: IFNAMSIZ, no '/', no blanks. */
static bool
vrf_name_ok(const char *name)
{
	size_t	len = strlen(name);

	return (len > 0 && len < VRF_NAME_LEN &&
	    strpbrk(name, "/ \t") == NULL);
}

static void
vrf_begin(struct parse_state *ps, const char *name, const YYLTYPE *loc)
{
	struct vrf_config	*vrf;
	struct vrf_meta		*meta = NULL;
	bool			 junk = true;

	if (!vrf_name_ok(name))
		parse_error(ps, loc, "invalid vrf name \"%s\" (1 to %d "
		    "characters, no '/' or blanks)", name, VRF_NAME_LEN - 1);
	else if (config_find_vrf(ps->conf, name) != NULL)
		parse_error(ps, loc, "duplicate vrf \"%s\"", name);
	else
		junk = false;
	if ((vrf = vrf_config_new()) == NULL ||
	    (!junk && (meta = calloc(1, sizeof(*meta))) == NULL)) {
		parse_error(ps, loc, "%s", strerror(errno));
		free(vrf);
		ps->vrf = &ps->vrf_oom;
		ps->vmeta = NULL;
		return;
	}
	ps->vrf = vrf;
	ps->vmeta = meta;
	strlcpy(vrf->name, name, sizeof(vrf->name));
	if (junk) {
		TAILQ_INSERT_TAIL(&ps->junk_vrfs, vrf, entry);
		return;
	}
	meta->vrf = vrf;
	meta->loc = *loc;
	TAILQ_INSERT_TAIL(&ps->conf->vrfs, vrf, entry);
	TAILQ_INSERT_TAIL(&ps->vrf_metas, meta, entry);
}

static void
vrf_end(struct parse_state *ps)
{
	struct vrf_meta	*m = ps->vmeta;

	if (m != NULL && !m->has_table)
		parse_error(ps, &m->loc, "vrf \"%s\" has no table",
		    m->vrf->name);
	if (m != NULL && !m->has_rd)
		parse_error(ps, &m->loc, "vrf \"%s\" has no rd", m->vrf->name);
	ps->vrf = NULL;
	ps->vmeta = NULL;
}

static const char *
table_reserved(int64_t n)
{
	switch (n) {
	case 253:
		return ("default");
	case 254:
		return ("main");
	case 255:
		return ("local");
	}
	return (NULL);
}

static void
vrf_table(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	struct vrf_meta	*m;

	if (ps->vmeta != NULL)
		ps->vmeta->has_table = true;
	if (loc == NULL)
		return;		/* a syntax error, already reported */
	if (n < 1 || n > UINT32_MAX) {
		parse_error(ps, loc, "table %" PRId64 " out of range "
		    "(1 to 4294967295)", n);
		return;
	}
	if (table_reserved(n) != NULL) {
		parse_error(ps, loc, "table %" PRId64 " is the kernel's %s "
		    "table", n, table_reserved(n));
		return;
	}
	ps->vrf->table = n;
	TAILQ_FOREACH(m, &ps->vrf_metas, entry)
		if (m->vrf != ps->vrf && m->vrf->table == n) {
			parse_error(ps, loc, "table %" PRId64 " already used "
			    "by vrf \"%s\"", n, m->vrf->name);
			break;
		}
}

static void
vrf_rd(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct vrf_meta	*m;
	rd_t		 rd;

	if (ps->vmeta != NULL)
		ps->vmeta->has_rd = true;
	if (s == NULL)
		return;		/* a syntax error, already reported */
	if (str2rd(s, &rd) == -1) {
		parse_error(ps, loc, "invalid route distinguisher \"%s\"", s);
		return;
	}
	ps->vrf->rd = rd;
	TAILQ_FOREACH(m, &ps->vrf_metas, entry)
		if (m->vrf != ps->vrf && m->rd_ok && m->vrf->rd == rd) {
			parse_error(ps, loc, "rd %s already used by vrf \"%s\"",
			    s, m->vrf->name);
			break;
		}
	if (ps->vmeta != NULL)
		ps->vmeta->rd_ok = true;
}

static void
vrf_rt(struct parse_state *ps, const char *s, bool import,
    const YYLTYPE *loc)
{
	struct vrf_config	*vrf = ps->vrf;
	ext_community_t		 rt, *list;
	size_t			 i, n;
	int			 r;

	if (str2rt(s, &rt) == -1) {
		parse_error(ps, loc, "invalid route target \"%s\"", s);
		return;
	}
	list = import ? vrf->import_rt : vrf->export_rt;
	n = import ? vrf->n_import_rt : vrf->n_export_rt;
	for (i = 0; i < n; i++)
		if (list[i] == rt)
			return;		/* said twice means the same */
	r = import ? vrf_add_import_rt(vrf, rt) : vrf_add_export_rt(vrf, rt);
	if (r == -1)
		parse_error(ps, loc, "%s", strerror(errno));
}

static void
vrf_sid(struct parse_state *ps, enum vrf_sid_mode mode, const char *s,
    const YYLTYPE *loc)
{
	struct srv6d_addr	a;

	if (ps->vmeta != NULL) {
		ps->vmeta->has_sid = true;
		ps->vmeta->sid_loc = *loc;
	}
	memset(&ps->vrf->sid, 0, sizeof(ps->vrf->sid));
	ps->vrf->sid_mode = mode;
	if (mode != VRF_SID_EXPLICIT)
		return;
	if (str2addr(s, &a) == -1 || a.af != AF_INET6) {
		parse_error(ps, loc, "invalid sid \"%s\" (auto, per-ce or "
		    "an IPv6 address)", s);
		if (ps->vmeta != NULL)
			ps->vmeta->has_sid = false;
		ps->vrf->sid_mode = VRF_SID_AUTO;
		return;
	}
	ps->vrf->sid = a.v6;
}

static void
vrf_sid_locator(struct parse_state *ps, const char *name,
    const YYLTYPE *loc)
{
	if (strlcpy(ps->vrf->locator, name, sizeof(ps->vrf->locator)) >=
	    sizeof(ps->vrf->locator) || name[0] == '\0') {
		parse_error(ps, loc, "invalid locator name \"%s\"", name);
		ps->vrf->locator[0] = '\0';
	}
}

static void
vrf_iface(struct parse_state *ps, const char *name, const YYLTYPE *loc)
{
	struct vrf_config	*vrf = ps->vrf;
	struct vrf_meta		*m;
	size_t			 i;

	if (name[0] == '\0' || strlen(name) >= IFNAMSIZ) {
		parse_error(ps, loc, "invalid interface name \"%s\" "
		    "(1 to %d characters)", name, IFNAMSIZ - 1);
		return;
	}
	for (i = 0; i < vrf->n_ifaces; i++)
		if (strcmp(vrf->ifaces[i], name) == 0)
			return;
	/* An interface can belong to one VRF only. */
	TAILQ_FOREACH(m, &ps->vrf_metas, entry)
		for (i = 0; m->vrf != vrf && i < m->vrf->n_ifaces; i++)
			if (strcmp(m->vrf->ifaces[i], name) == 0) {
				parse_error(ps, loc, "interface %s already in "
				    "vrf \"%s\"", name, m->vrf->name);
				return;
			}
	if (vrf_add_iface(vrf, name) == -1)
		parse_error(ps, loc, "%s", strerror(errno));
}

static void
vrf_network(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct vrf_config	*vrf = ps->vrf;
	struct srv6d_prefix	 p;
	size_t			 i;

	if (parse_prefix(ps, s, &p, "network", loc) == -1)
		return;
	for (i = 0; i < vrf->n_networks; i++)
		if (vrf->networks[i].len == p.len &&
		    addr_cmp(&vrf->networks[i].addr, &p.addr) == 0)
			return;
	if (vrf_add_network(vrf, &p) == -1)
		parse_error(ps, loc, "%s", strerror(errno));
}

/* ------------------------------------------------------------------ */
/* neighbors and groups                                                */

static void
neighbor_begin(struct parse_state *ps, const char *s, bool in_group,
    const YYLTYPE *loc)
{
	struct neighbor_config	*n;
	struct srv6d_addr	 a;

	ps->neigh_junk = true;
	ps->neigh_loc = *loc;
	if (str2addr(s, &a) == -1)
		parse_error(ps, loc, "invalid neighbor address \"%s\"", s);
	else if (config_find_neighbor(ps->conf, &a) != NULL)
		parse_error(ps, loc, "duplicate neighbor %s", s);
	else
		ps->neigh_junk = false;
	if ((n = neighbor_config_new()) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		ps->neigh = &ps->neigh_oom;
		ps->neigh_junk = true;
		return;
	}
	if (in_group) {
		*n = ps->group;
		ps->nstate = ps->gstate;
		ps->nstate.has_afs = false;	/* the first one replaces */
	} else
		memset(&ps->nstate, 0, sizeof(ps->nstate));
	n->addr = a;
	if (ps->neigh_junk)
		TAILQ_INSERT_TAIL(&ps->junk_neighbors, n, entry);
	else
		TAILQ_INSERT_TAIL(&ps->conf->neighbors, n, entry);
	ps->neigh = n;
}

static void
neighbor_end(struct parse_state *ps)
{
	struct neighbor_config	*n = ps->neigh;
	const char		*name;

	if (ps->neigh_junk || n == NULL)
		return;
	name = addr2str(&n->addr);
	if (!ps->nstate.has_remote_as)
		parse_error(ps, &ps->neigh_loc, "neighbor %s has no remote-as",
		    name);
	if (n->local_addr.af != AF_UNSPEC && n->local_addr.af != n->addr.af)
		parse_error(ps, &ps->nstate.local_loc, "neighbor %s: "
		    "local-address %s is not of the neighbor's address family",
		    name, addr2str(&n->local_addr));
}

/* Statements for a neighbor, or for a group's defaults. */
static struct neigh_state *
neighbor_state(struct parse_state *ps)
{
	return (ps->neigh == &ps->group ? &ps->gstate : &ps->nstate);
}

static void
neighbor_remote_as(struct parse_state *ps, uint32_t as)
{
	neighbor_state(ps)->has_remote_as = true;
	if (as != 0)
		ps->neigh->remote_as = as;
}

static void
neighbor_descr(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	if (strlcpy(ps->neigh->descr, s, sizeof(ps->neigh->descr)) >=
	    sizeof(ps->neigh->descr))
		parse_error(ps, loc, "description too long (%d bytes at most)",
		    DESCR_LEN - 1);
}

static void
neighbor_local_addr(struct parse_state *ps, const char *s,
    const YYLTYPE *loc)
{
	if (str2addr(s, &ps->neigh->local_addr) == -1) {
		parse_error(ps, loc, "invalid local-address \"%s\"", s);
		return;
	}
	neighbor_state(ps)->local_loc = *loc;
}

static void
neighbor_holdtime(struct parse_state *ps, int64_t n, const YYLTYPE *loc)
{
	/* 0 in neighbor_config means "the global holdtime". */
	if (!holdtime_ok(n)) {
		parse_error(ps, loc, "neighbor holdtime %" PRId64 " must be "
		    "3 to 65535", n);
		return;
	}
	ps->neigh->holdtime = n;
}

static void
neighbor_password(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	if (s[0] == '\0' || strlen(s) > TCP_MD5_KEY_LEN) {
		parse_error(ps, loc, "password must be 1 to %d bytes "
		    "(TCP-MD5 key)", TCP_MD5_KEY_LEN);
		return;
	}
	strlcpy(ps->neigh->password, s, sizeof(ps->neigh->password));
}

static void
neighbor_flag(struct parse_state *ps, uint8_t flag, bool on)
{
	if (on)
		ps->neigh->flags |= flag;
	else
		ps->neigh->flags &= ~flag;
}

/* A neighbor's first address-family replaces the ones of its group. */
static void
neighbor_af(struct parse_state *ps, uint8_t af)
{
	struct neigh_state	*st = neighbor_state(ps);

	if (!st->has_afs)
		ps->neigh->afs = 0;
	st->has_afs = true;
	ps->neigh->afs |= af;
}

/* Without restart, a neighbor over its limit stays down. */
static void
neighbor_max_prefix(struct parse_state *ps, int64_t n, int64_t restart,
    const YYLTYPE *loc, const YYLTYPE *rloc)
{
	if (n < 1 || n > UINT32_MAX) {
		parse_error(ps, loc, "max-prefix %" PRId64 " out of range "
		    "(1 to 4294967295)", n);
		return;
	}
	if (rloc != NULL && (restart < 1 || restart > UINT16_MAX)) {
		parse_error(ps, rloc, "max-prefix restart %" PRId64 " out of "
		    "range (1 to 65535 minutes)", restart);
		return;
	}
	ps->neigh->max_prefix = n;
	ps->neigh->max_prefix_restart = restart;
}

static void
group_begin(struct parse_state *ps, const char *name, const YYLTYPE *loc)
{
	struct group_name	*g;

	memset(&ps->group, 0, sizeof(ps->group));
	memset(&ps->gstate, 0, sizeof(ps->gstate));
	ps->group.addr.af = AF_UNSPEC;
	ps->group.local_addr.af = AF_UNSPEC;
	ps->neigh = &ps->group;
	if (name[0] == '\0' || strlcpy(ps->group.group, name,
	    sizeof(ps->group.group)) >= sizeof(ps->group.group)) {
		parse_error(ps, loc, "invalid group name \"%s\" (1 to %d "
		    "characters)", name, GROUP_NAME_LEN - 1);
		return;
	}
	TAILQ_FOREACH(g, &ps->groups, entry)
		if (strcmp(g->name, name) == 0) {
			parse_error(ps, loc, "duplicate group \"%s\"", name);
			return;
		}
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		return;
	}
	strlcpy(g->name, name, sizeof(g->name));
	TAILQ_INSERT_TAIL(&ps->groups, g, entry);
}

static void
group_end(struct parse_state *ps)
{
	explicit_bzero(&ps->group, sizeof(ps->group));
	ps->neigh = NULL;
}

/* ------------------------------------------------------------------ */
/* filter rules                                                        */

static uint8_t
family_maxlen(uint8_t af)
{
	return (af == AF_INET ? 32 : af == AF_INET6 ? 128 : 0);
}

/*
 * A rule is read into ps->rule and joins the configuration at its end if
 * nothing in it was wrong.  A syntax error leaves it behind: the next rule
 * or the cleanup frees it.
 */
static void
filter_begin(struct parse_state *ps, int action, bool quick, int dir,
    const YYLTYPE *loc)
{
	if (ps->rule != NULL && ps->rule != &ps->rule_oom)
		filter_rule_free(ps->rule);
	ps->rule_ok = true;
	ps->rule_loc = *loc;
	if ((ps->rule = filter_rule_new()) == NULL) {
		parse_error(ps, loc, "%s", strerror(errno));
		memset(&ps->rule_oom, 0, sizeof(ps->rule_oom));
		ps->rule = &ps->rule_oom;
		ps->rule_ok = false;
	}
	ps->rule->action = action;
	ps->rule->quick = quick;
	ps->rule->dir = dir;
	ps->rule->line = loc->line;
}

static void
filter_end(struct parse_state *ps)
{
	struct filter_rule	*r = ps->rule;
	struct filter_meta	*m;

	ps->rule = NULL;
	if (!ps->rule_ok) {
		if (r != &ps->rule_oom)
			filter_rule_free(r);
		return;
	}
	TAILQ_INSERT_TAIL(&ps->conf->filters, r, entry);
	if (r->peer != FILTER_PEER_GROUP)
		return;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		parse_error(ps, &ps->rule_peer_loc, "%s", strerror(errno));
		return;
	}
	m->rule = r;
	m->loc = ps->rule_peer_loc;
	TAILQ_INSERT_TAIL(&ps->filter_groups, m, entry);
}

static void
filter_fail(struct parse_state *ps, const YYLTYPE *loc, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
filter_fail(struct parse_state *ps, const YYLTYPE *loc, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	parse_verror(ps, loc, fmt, ap);
	va_end(ap);
	ps->rule_ok = false;
}

/* Any address is allowed: a rule may name a neighbor yet to come. */
static void
filter_peer(struct parse_state *ps, enum filter_peer peer, const char *s,
    const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	r->peer = peer;
	ps->rule_peer_loc = *loc;
	if (peer == FILTER_PEER_ADDR && str2addr(s, &r->peer_addr) == -1)
		filter_fail(ps, loc, "invalid neighbor address \"%s\"", s);
	if (peer == FILTER_PEER_GROUP && (s[0] == '\0' ||
	    strlcpy(r->group, s, sizeof(r->group)) >= sizeof(r->group)))
		filter_fail(ps, loc, "invalid group name \"%s\" (1 to %d "
		    "characters)", s, GROUP_NAME_LEN - 1);
}

static void
filter_prefix(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (r->prefix.addr.af != AF_UNSPEC) {
		filter_fail(ps, loc, "only one prefix per rule");
		return;
	}
	if (parse_prefix(ps, s, &r->prefix, "prefix", loc) == -1) {
		memset(&r->prefix, 0, sizeof(r->prefix));
		ps->rule_ok = false;
	}
}

/*
 * Routes within the prefix whose length is min to max, both within the
 * family and no shorter than the prefix.  Exactly the prefix's length is
 * kept as 0,0, the canonical form of "this prefix only".
 */
static void
filter_prefixlen(struct parse_state *ps, int64_t min, int64_t max,
    const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;
	uint8_t			 fmax = family_maxlen(r->prefix.addr.af);

	if (r->prefix.addr.af == AF_UNSPEC)
		return;		/* the prefix was wrong: said already */
	if (min == max && (min < r->prefix.len || max > fmax)) {
		filter_fail(ps, loc, "prefixlen %" PRId64 " out of range for "
		    "prefix %s (%u to %u)", min, prefix2str(&r->prefix),
		    r->prefix.len, fmax);
		return;
	}
	if (min > max || min < r->prefix.len || max > fmax) {
		filter_fail(ps, loc, "prefixlen %" PRId64 " - %" PRId64
		    " out of range for prefix %s (%u to %u)", min, max,
		    prefix2str(&r->prefix), r->prefix.len, fmax);
		return;
	}
	if (min == r->prefix.len && max == r->prefix.len)
		min = max = 0;
	r->len_min = min;
	r->len_max = max;
}

/* "A-B" as one word. */
static void
filter_prefixlen_range(struct parse_state *ps, const char *s,
    const YYLTYPE *loc)
{
	const char	*dash = strchr(s, '-');
	char		 buf[8];
	int64_t		 min, max;

	if (dash == NULL || dash == s || (size_t)(dash - s) >= sizeof(buf) ||
	    strlen(dash + 1) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, dash - s);
	buf[dash - s] = '\0';
	if (!lex_number(buf, &min) || dash[1] == '\0' ||
	    !lex_number(dash + 1, &max))
		goto bad;
	filter_prefixlen(ps, min, max, loc);
	return;
 bad:
	filter_fail(ps, loc, "invalid prefixlen \"%s\" (N - M, or = N)", s);
}

static void
filter_or_longer(struct parse_state *ps, const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (r->prefix.addr.af != AF_UNSPEC)
		filter_prefixlen(ps, r->prefix.len,
		    family_maxlen(r->prefix.addr.af), loc);
}

/* "ASN:VALUE", RFC 1997: two 16-bit halves. */
static int
parse_community(struct parse_state *ps, const char *s, uint32_t *out,
    const YYLTYPE *loc)
{
	const char	*colon = strchr(s, ':');
	char		 buf[8];
	int64_t		 as, val;

	if (colon == NULL || colon == s ||
	    (size_t)(colon - s) >= sizeof(buf) ||
	    strlen(colon + 1) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, colon - s);
	buf[colon - s] = '\0';
	if (!lex_number(buf, &as) || colon[1] == '\0' ||
	    !lex_number(colon + 1, &val) || as > UINT16_MAX ||
	    val > UINT16_MAX)
		goto bad;
	*out = (uint32_t)as << 16 | (uint32_t)val;
	return (0);
 bad:
	filter_fail(ps, loc, "invalid community \"%s\" (ASN:VALUE, each "
	    "0 to 65535)", s);
	return (-1);
}

static void
filter_community(struct parse_state *ps, const char *s, const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (r->has_community) {
		filter_fail(ps, loc, "only one community match per rule");
		return;
	}
	if (parse_community(ps, s, &r->community, loc) == 0)
		r->has_community = true;
}

static void
filter_as(struct parse_state *ps, enum filter_as type, uint32_t as,
    const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (as == 0) {
		ps->rule_ok = false;	/* asnum said why */
		return;
	}
	if (r->as_type != FILTER_AS_NONE) {
		filter_fail(ps, loc, "only one AS match per rule");
		return;
	}
	r->as_type = type;
	r->as = as;
}

static const char *
filter_set_name(uint8_t item)
{
	switch (item) {
	case FILTER_SET_LOCALPREF:
		return ("localpref");
	case FILTER_SET_MED:
		return ("med");
	case FILTER_SET_COMMUNITY:
		return ("community");
	case FILTER_SET_PREPEND:
		return ("prepend-self");
	}
	return ("nexthop");
}

static bool
filter_set_once(struct parse_state *ps, uint8_t item, const YYLTYPE *loc)
{
	if (ps->rule->set & item) {
		filter_fail(ps, loc, "set %s given twice",
		    filter_set_name(item));
		return (false);
	}
	return (true);
}

static void
filter_set(struct parse_state *ps, uint8_t item, int64_t n,
    const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (!filter_set_once(ps, item, loc))
		return;
	if (item == FILTER_SET_PREPEND && (n < 1 || n > FILTER_PREPEND_MAX)) {
		filter_fail(ps, loc, "prepend-self %" PRId64 " out of range "
		    "(1 to %d)", n, FILTER_PREPEND_MAX);
		return;
	}
	if (n > UINT32_MAX) {
		filter_fail(ps, loc, "%s %" PRId64 " out of range (0 to "
		    "4294967295)", filter_set_name(item), n);
		return;
	}
	r->set |= item;
	if (item == FILTER_SET_LOCALPREF)
		r->set_localpref = n;
	else if (item == FILTER_SET_MED)
		r->set_med = n;
	else if (item == FILTER_SET_PREPEND)
		r->set_prepend = n;
}

static void
filter_set_community(struct parse_state *ps, const char *s,
    const YYLTYPE *loc)
{
	struct filter_rule	*r = ps->rule;

	if (!filter_set_once(ps, FILTER_SET_COMMUNITY, loc))
		return;
	if (parse_community(ps, s, &r->set_community, loc) == 0)
		r->set |= FILTER_SET_COMMUNITY;
}

/* ------------------------------------------------------------------ */
/* checks that need the whole file                                     */

static const YYLTYPE *
conf_top(struct parse_state *ps, YYLTYPE *loc)
{
	loc->file = TAILQ_FIRST(&ps->files);
	loc->line = 1;
	return (loc);
}

/*
 * Without a router-id, take the first IPv4 listen address, else the
 * first IPv4 local-address of a neighbor (both are ours).
 */
static void
check_router_id(struct parse_state *ps)
{
	struct srv6d_config	*conf = ps->conf;
	struct listen_config	*la;
	struct neighbor_config	*n;
	YYLTYPE			 loc;

	if (conf->router_id.s_addr != INADDR_ANY)
		return;
	TAILQ_FOREACH(la, &conf->listens, entry)
		if (la->addr.af == AF_INET && la->addr.v4.s_addr != 0) {
			conf->router_id = la->addr.v4;
			return;
		}
	TAILQ_FOREACH(n, &conf->neighbors, entry)
		if (n->local_addr.af == AF_INET &&
		    n->local_addr.v4.s_addr != 0) {
			conf->router_id = n->local_addr.v4;
			return;
		}
	parse_error(ps, conf_top(ps, &loc), "router-id not set and no IPv4 "
	    "address to derive it from");
}

static void
check_vrf_sid(struct parse_state *ps, struct vrf_meta *m)
{
	struct srv6d_config	*conf = ps->conf;
	struct vrf_config	*vrf = m->vrf;
	struct locator_config	*l = NULL;
	const YYLTYPE		*loc = m->has_sid ? &m->sid_loc : &m->loc;
	struct srv6d_addr	 sid;
	size_t			 i;

	if (vrf->locator[0] != '\0' &&
	    (l = config_find_locator(conf, vrf->locator)) == NULL) {
		parse_error(ps, loc, "vrf \"%s\": unknown locator \"%s\"",
		    vrf->name, vrf->locator);
		return;
	}
	if (vrf->sid_mode != VRF_SID_EXPLICIT) {
		if (conf->n_locators == 0)
			parse_error(ps, loc, "vrf \"%s\": sid %s needs a "
			    "locator in the srv6 block", vrf->name,
			    vrf_sid_mode_name(vrf->sid_mode));
		return;
	}
	sid.af = AF_INET6;
	sid.v6 = vrf->sid;
	if (l != NULL && !prefix_contains(&l->prefix, &sid)) {
		parse_error(ps, loc, "sid %s is outside locator \"%s\" (%s)",
		    addr2str(&sid), l->name, prefix2str(&l->prefix));
		return;
	}
	for (i = 0; l == NULL && i < conf->n_locators; i++)
		if (prefix_contains(&conf->locators[i].prefix, &sid))
			l = &conf->locators[i];
	if (l == NULL)
		parse_error(ps, loc, "sid %s is outside every locator",
		    addr2str(&sid));
}

static const char *
sid2str(const struct in6_addr *sid)
{
	struct srv6d_addr	a;

	memset(&a, 0, sizeof(a));
	a.af = AF_INET6;
	a.v6 = *sid;
	return (addr2str(&a));
}

static void
check_vrf_sid_unique(struct parse_state *ps, struct vrf_meta *m)
{
	struct vrf_meta	*o;

	if (m->vrf->sid_mode != VRF_SID_EXPLICIT)
		return;
	TAILQ_FOREACH(o, &ps->vrf_metas, entry) {
		if (o == m)
			break;
		if (o->vrf->sid_mode == VRF_SID_EXPLICIT &&
		    memcmp(&o->vrf->sid, &m->vrf->sid,
		    sizeof(m->vrf->sid)) == 0) {
			parse_error(ps, &m->sid_loc, "sid %s already used "
			    "by vrf \"%s\"", sid2str(&m->vrf->sid),
			    o->vrf->name);
			return;
		}
	}
}

/* A rule may come before the group it names. */
static void
check_filter_groups(struct parse_state *ps)
{
	struct filter_meta	*m;
	struct group_name	*g;

	TAILQ_FOREACH(m, &ps->filter_groups, entry) {
		TAILQ_FOREACH(g, &ps->groups, entry)
			if (strcmp(g->name, m->rule->group) == 0)
				break;
		if (g == NULL)
			parse_error(ps, &m->loc, "filter: unknown group "
			    "\"%s\"", m->rule->group);
	}
}

static void
conf_check(struct parse_state *ps)
{
	struct vrf_meta	*m;
	YYLTYPE		 loc;

	if (!ps->has_as)
		parse_error(ps, conf_top(ps, &loc), "missing \"as\" "
		    "statement (the local AS number)");
	check_router_id(ps);
	TAILQ_FOREACH(m, &ps->vrf_metas, entry) {
		check_vrf_sid(ps, m);
		check_vrf_sid_unique(ps, m);
	}
	check_filter_groups(ps);
}

/* ------------------------------------------------------------------ */
/* entry point                                                         */

static void
parse_cleanup(struct parse_state *ps)
{
	struct parse_file	*f;
	struct macro		*m;
	struct vrf_meta		*vm;
	struct group_name	*g;
	struct filter_meta	*fm;
	struct vrf_config	*vrf;
	struct neighbor_config	*n;

	while ((f = TAILQ_FIRST(&ps->files)) != NULL) {
		TAILQ_REMOVE(&ps->files, f, entry);
		if (f->stream != NULL)
			fclose(f->stream);
		free(f->unget);
		free(f->name);
		free(f);
	}
	while ((m = TAILQ_FIRST(&ps->macros)) != NULL) {
		TAILQ_REMOVE(&ps->macros, m, entry);
		free(m->name);
		free(m->value);
		free(m);
	}
	while ((vm = TAILQ_FIRST(&ps->vrf_metas)) != NULL) {
		TAILQ_REMOVE(&ps->vrf_metas, vm, entry);
		free(vm);
	}
	while ((g = TAILQ_FIRST(&ps->groups)) != NULL) {
		TAILQ_REMOVE(&ps->groups, g, entry);
		free(g);
	}
	while ((fm = TAILQ_FIRST(&ps->filter_groups)) != NULL) {
		TAILQ_REMOVE(&ps->filter_groups, fm, entry);
		free(fm);
	}
	/* a rule cut short by a syntax error */
	if (ps->rule != NULL && ps->rule != &ps->rule_oom)
		filter_rule_free(ps->rule);
	ps->rule = NULL;
	while ((vrf = TAILQ_FIRST(&ps->junk_vrfs)) != NULL) {
		TAILQ_REMOVE(&ps->junk_vrfs, vrf, entry);
		vrf_config_free(vrf);
	}
	while ((n = TAILQ_FIRST(&ps->junk_neighbors)) != NULL) {
		TAILQ_REMOVE(&ps->junk_neighbors, n, entry);
		neighbor_config_free(n);
	}
	explicit_bzero(&ps->group, sizeof(ps->group));
	explicit_bzero(&ps->neigh_oom, sizeof(ps->neigh_oom));
	free(ps->vrf_oom.import_rt);
	free(ps->vrf_oom.export_rt);
	free(ps->vrf_oom.ifaces);
	free(ps->vrf_oom.networks);
}

/*
 * Read file into a new configuration.  Returns NULL if anything in it is
 * wrong; *errors then holds every error, one "FILE:LINE: message" a line
 * (NULL when there are none, which only happens on success).
 */
struct srv6d_config *
parse_config(const char *file, char **errors)
{
	struct parse_state	 ps;
	struct srv6d_config	*conf;

	*errors = NULL;
	memset(&ps, 0, sizeof(ps));
	TAILQ_INIT(&ps.files);
	TAILQ_INIT(&ps.macros);
	TAILQ_INIT(&ps.vrf_metas);
	TAILQ_INIT(&ps.groups);
	TAILQ_INIT(&ps.filter_groups);
	TAILQ_INIT(&ps.junk_vrfs);
	TAILQ_INIT(&ps.junk_neighbors);
	ps.tok.kind = TOK_SEP;
	if ((ps.errs = open_memstream(&ps.errbuf, &ps.errlen)) == NULL)
		return (NULL);
	if ((ps.conf = config_new()) == NULL) {
		fprintf(ps.errs, "%s: %s\n", file, strerror(errno));
		ps.nerrors++;
	} else if (file_push(&ps, file) == -1) {
		fprintf(ps.errs, "%s: %s\n", file, strerror(errno));
		ps.nerrors++;
	} else {
		yyparse(&ps);
		conf_check(&ps);
	}
	parse_cleanup(&ps);
	fclose(ps.errs);
	conf = ps.conf;
	if (ps.nerrors > 0) {
		config_free(conf);
		*errors = ps.errbuf;
		return (NULL);
	}
	free(ps.errbuf);
	return (conf);
}
