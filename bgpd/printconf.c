/*
 * The configuration as text, in the canonical form of srv6d.conf(5): what
 * `srv6d -nv` prints.  The order is the configuration's own, values are
 * printed only where they differ from the defaults, and parse_config()
 * reads the output back to the same configuration.  Neighbors of a group
 * are printed with every setting of their own, so the group block carries
 * only the name.
 */
#include <sys/queue.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "srv6d.h"

static void	print_quoted(FILE *, const char *);
static void	print_string(FILE *, const char *);
static void	print_fib_update(FILE *, uint8_t);
static void	print_global(FILE *, const struct srv6d_config *);
static void	print_srv6(FILE *, const struct srv6d_config *);
static void	print_locator(FILE *, const struct locator_config *);
static void	print_vrf(FILE *, const struct vrf_config *);
static void	print_vrf_lists(FILE *, const struct vrf_config *);
static void	print_neighbor(FILE *, const struct neighbor_config *,
		    const char *);
static void	print_filter(FILE *, const struct filter_rule *);

/*
 * A word the lexer reads back as the same STRING: not empty, not a
 * keyword or a number, only characters of unquoted words.
 */
static bool
print_bare(const char *s)
{
	const char	*p;
	bool		 digits = true;

	if (*s == '\0' || parse_is_keyword(s))
		return (false);
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) &&
		    strchr("-_.:/@%", *p) == NULL)
			return (false);
		if (!isdigit((unsigned char)*p))
			digits = false;
	}
	return (!digits);
}

static void
print_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Names bare where they can be, quoted where they must. */
static void
print_string(FILE *fp, const char *s)
{
	if (print_bare(s))
		fputs(s, fp);
	else
		print_quoted(fp, s);
}

/* Both families on print as one line, one as its own; off is the default. */
static void
print_fib_update(FILE *fp, uint8_t afs)
{
	if ((afs & FIB_UPDATE_AFS) == FIB_UPDATE_AFS)
		fputs("fib-update yes\n", fp);
	else if (afs & AFS_IPV4_UNICAST)
		fputs("fib-update ipv4-unicast yes\n", fp);
	else if (afs & AFS_IPV6_UNICAST)
		fputs("fib-update ipv6-unicast yes\n", fp);
}

static void
print_global(FILE *fp, const struct srv6d_config *conf)
{
	const struct listen_config	*la;
	char				 buf[INET_ADDRSTRLEN];
	size_t				 i;

	fprintf(fp, "as %u\n", conf->as);
	if (conf->router_id.s_addr != INADDR_ANY)
		fprintf(fp, "router-id %s\n",
		    inet_ntop(AF_INET, &conf->router_id, buf, sizeof(buf)));
	if (conf->cluster_id.s_addr != INADDR_ANY)
		fprintf(fp, "cluster-id %s\n",
		    inet_ntop(AF_INET, &conf->cluster_id, buf, sizeof(buf)));
	if (conf->holdtime != BGP_HOLDTIME_DEFAULT)
		fprintf(fp, "holdtime %u\n", conf->holdtime);
	if (conf->flags & CONF_F_ALWAYS_COMPARE_MED)
		fputs("rde med compare always\n", fp);
	if (conf->fib_keep)
		fputs("fib-keep yes\n", fp);
	print_fib_update(fp, conf->fib_update_afs);
	if (conf->fib_sync_timeout != FIB_SYNC_TIMEOUT_DEFAULT)
		fprintf(fp, "fib-sync-timeout %u\n", conf->fib_sync_timeout);
	if (conf->rule_priority != RULE_PRIORITY_DEFAULT)
		fprintf(fp, "rule-priority %u\n", conf->rule_priority);
	TAILQ_FOREACH(la, &conf->listens, entry) {
		fprintf(fp, "listen on %s", addr2str(&la->addr));
		if (la->port != BGP_PORT)
			fprintf(fp, " port %u", la->port);
		fputc('\n', fp);
	}
	for (i = 0; i < conf->n_networks; i++)
		fprintf(fp, "network %s\n", prefix2str(&conf->networks[i]));
}

static void
print_locator(FILE *fp, const struct locator_config *l)
{
	fputs("\tlocator ", fp);
	print_string(fp, l->name);
	fprintf(fp, " prefix %s", prefix2str(&l->prefix));
	if (l->block_len != 32)
		fprintf(fp, " block-length %u", l->block_len);
	if (l->node_len != 16)
		fprintf(fp, " node-length %u", l->node_len);
	if (l->func_len != 16)
		fprintf(fp, " function-length %u", l->func_len);
	if (l->arg_len != 0)
		fprintf(fp, " argument-length %u", l->arg_len);
	if (!l->announce)
		fputs(" announce no", fp);
	fputc('\n', fp);
}

static void
print_srv6(FILE *fp, const struct srv6d_config *conf)
{
	size_t	i;

	if (conf->n_locators == 0 && conf->encap_source.af == AF_UNSPEC &&
	    conf->encap_mode == SRV6_ENCAP_NORMAL)
		return;
	fputs("\nsrv6 {\n", fp);
	for (i = 0; i < conf->n_locators; i++)
		print_locator(fp, &conf->locators[i]);
	if (conf->encap_source.af != AF_UNSPEC)
		fprintf(fp, "\tencap-source %s\n",
		    addr2str(&conf->encap_source));
	if (conf->encap_mode == SRV6_ENCAP_RED)
		fputs("\tencap-mode encap.red\n", fp);
	fputs("}\n", fp);
}

static void
print_vrf_lists(FILE *fp, const struct vrf_config *vrf)
{
	size_t	i;

	if (vrf->n_import_rt > 0) {
		fputs("\timport-target", fp);
		for (i = 0; i < vrf->n_import_rt; i++)
			fprintf(fp, " %s", rt2str(vrf->import_rt[i]));
		fputc('\n', fp);
	}
	if (vrf->n_export_rt > 0) {
		fputs("\texport-target", fp);
		for (i = 0; i < vrf->n_export_rt; i++)
			fprintf(fp, " %s", rt2str(vrf->export_rt[i]));
		fputc('\n', fp);
	}
}

static void
print_vrf(FILE *fp, const struct vrf_config *vrf)
{
	struct srv6d_addr	sid;
	size_t			i;

	fputs("\nvrf ", fp);
	print_string(fp, vrf->name);
	fprintf(fp, " {\n\ttable %u\n\trd %s\n", vrf->table, rd2str(vrf->rd));
	print_vrf_lists(fp, vrf);
	if (vrf->sid_mode == VRF_SID_EXPLICIT) {
		sid.af = AF_INET6;
		sid.v6 = vrf->sid;
		fprintf(fp, "\tsid %s", addr2str(&sid));
	} else if (vrf->sid_mode == VRF_SID_PER_CE || vrf->locator[0] != '\0')
		fprintf(fp, "\tsid %s", vrf_sid_mode_name(vrf->sid_mode));
	if (vrf->locator[0] != '\0') {
		fputs(" locator ", fp);
		print_string(fp, vrf->locator);
	}
	if (vrf->sid_mode != VRF_SID_AUTO || vrf->locator[0] != '\0')
		fputc('\n', fp);
	if (vrf->n_ifaces > 0) {
		fputs("\tinterface", fp);
		for (i = 0; i < vrf->n_ifaces; i++) {
			fputc(' ', fp);
			print_string(fp, vrf->ifaces[i]);
		}
		fputc('\n', fp);
	}
	for (i = 0; i < vrf->n_networks; i++)
		fprintf(fp, "\tnetwork %s\n", prefix2str(&vrf->networks[i]));
	if (vrf->net_flags & VRF_NET_CONNECTED)
		fputs("\tnetwork connected\n", fp);
	if (vrf->net_flags & VRF_NET_KERNEL)
		fputs("\tnetwork kernel\n", fp);
	fputs("}\n", fp);
}

static void
print_neighbor_afs(FILE *fp, uint8_t afs, const char *indent)
{
	static const struct {
		uint8_t		 bit;
		const char	*name;
	} names[] = {
		{ AFS_IPV4_UNICAST,	"ipv4-unicast" },
		{ AFS_IPV6_UNICAST,	"ipv6-unicast" },
		{ AFS_VPNV4,		"vpnv4" },
		{ AFS_VPNV6,		"vpnv6" },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (afs & names[i].bit)
			fprintf(fp, "%s\taddress-family %s\n", indent,
			    names[i].name);
}

/* indent: "" at the top level, "\t" inside a group. */
static void
print_neighbor(FILE *fp, const struct neighbor_config *n, const char *indent)
{
	fprintf(fp, "%sneighbor %s {\n", indent, addr2str(&n->addr));
	fprintf(fp, "%s\tremote-as %u\n", indent, n->remote_as);
	if (n->descr[0] != '\0') {
		fprintf(fp, "%s\tdescription ", indent);
		print_quoted(fp, n->descr);
		fputc('\n', fp);
	}
	if (n->local_addr.af != AF_UNSPEC)
		fprintf(fp, "%s\tlocal-address %s\n", indent,
		    addr2str(&n->local_addr));
	if (n->flags & NEIGH_F_PASSIVE)
		fprintf(fp, "%s\tpassive\n", indent);
	if (n->holdtime != 0)
		fprintf(fp, "%s\tholdtime %u\n", indent, n->holdtime);
	if (n->password[0] != '\0') {
		fprintf(fp, "%s\tpassword ", indent);
		print_quoted(fp, n->password);
		fputc('\n', fp);
	}
	if (n->flags & NEIGH_F_TTL_SECURITY)
		fprintf(fp, "%s\tttl-security yes\n", indent);
	print_neighbor_afs(fp, n->afs, indent);
	if (n->max_prefix != 0) {
		fprintf(fp, "%s\tmax-prefix %u", indent, n->max_prefix);
		if (n->max_prefix_restart != 0)
			fprintf(fp, " restart %u", n->max_prefix_restart);
		fputc('\n', fp);
	}
	if (n->flags & NEIGH_F_RR_CLIENT)
		fprintf(fp, "%s\troute-reflector-client\n", indent);
	if (n->flags & NEIGH_F_NEXTHOP_SELF)
		fprintf(fp, "%s\tnext-hop-self\n", indent);
	if (n->flags & NEIGH_F_NO_TRANSPOSE)
		fprintf(fp, "%s\tsrv6 transposition no\n", indent);
	if (n->flags & NEIGH_F_DOWN)
		fprintf(fp, "%s\tdown\n", indent);
	fprintf(fp, "%s}\n", indent);
}

/* Neighbors of one group follow each other: one group block for each run. */
static void
print_neighbors(FILE *fp, const struct srv6d_config *conf)
{
	const struct neighbor_config	*n, *next;

	TAILQ_FOREACH(n, &conf->neighbors, entry) {
		if (n->group[0] == '\0') {
			fputc('\n', fp);
			print_neighbor(fp, n, "");
			continue;
		}
		if (n == TAILQ_FIRST(&conf->neighbors) || strcmp(n->group,
		    TAILQ_PREV(n, neighbor_head, entry)->group) != 0) {
			fputs("\ngroup ", fp);
			print_string(fp, n->group);
			fputs(" {\n", fp);
		}
		print_neighbor(fp, n, "\t");
		next = TAILQ_NEXT(n, entry);
		if (next == NULL || strcmp(next->group, n->group) != 0)
			fputs("}\n", fp);
	}
}

static void
print_community(FILE *fp, uint32_t c)
{
	fprintf(fp, "%u:%u", c >> 16, c & 0xffff);
}

static void
print_filter_peer(FILE *fp, const struct filter_rule *r)
{
	switch (r->peer) {
	case FILTER_PEER_ANY:
		fputs(" any", fp);
		break;
	case FILTER_PEER_ADDR:
		fprintf(fp, " %s", addr2str(&r->peer_addr));
		break;
	case FILTER_PEER_GROUP:
		fputs(" group ", fp);
		print_string(fp, r->group);
		break;
	case FILTER_PEER_EBGP:
		fputs(" ebgp", fp);
		break;
	case FILTER_PEER_IBGP:
		fputs(" ibgp", fp);
		break;
	}
}

/* The length range in its shortest form; 0,0 is the prefix only. */
static void
print_filter_prefix(FILE *fp, const struct filter_rule *r)
{
	uint8_t	fmax = r->prefix.addr.af == AF_INET ? 32 : 128;

	if (r->prefix.addr.af == AF_UNSPEC)
		return;
	fprintf(fp, " prefix %s", prefix2str(&r->prefix));
	if (r->len_max == 0)
		return;
	if (r->len_min == r->prefix.len && r->len_max == fmax)
		fputs(" or-longer", fp);
	else if (r->len_min == r->len_max)
		fprintf(fp, " prefixlen = %u", r->len_min);
	else
		fprintf(fp, " prefixlen %u - %u", r->len_min, r->len_max);
}

static void
print_filter_match(FILE *fp, const struct filter_rule *r)
{
	static const char	*as_names[] = {
		[FILTER_AS_ANY] = "AS",
		[FILTER_AS_SOURCE] = "source-as",
		[FILTER_AS_TRANSIT] = "transit-as",
		[FILTER_AS_PEER] = "peer-as",
	};

	print_filter_prefix(fp, r);
	if (r->has_community) {
		fputs(" community ", fp);
		print_community(fp, r->community);
	}
	if (r->as_type != FILTER_AS_NONE)
		fprintf(fp, " %s %u", as_names[r->as_type], r->as);
}

/* Set items: one bare, several in braces separated by commas. */
static void
print_filter_set(FILE *fp, const struct filter_rule *r)
{
	const char	*sep = "";
	int		 n = __builtin_popcount(r->set);

	if (n == 0)
		return;
	fputs(n > 1 ? " set { " : " set ", fp);
	if (r->set & FILTER_SET_LOCALPREF) {
		fprintf(fp, "%slocalpref %u", sep, r->set_localpref);
		sep = ", ";
	}
	if (r->set & FILTER_SET_MED) {
		fprintf(fp, "%smed %u", sep, r->set_med);
		sep = ", ";
	}
	if (r->set & FILTER_SET_COMMUNITY) {
		fprintf(fp, "%scommunity ", sep);
		print_community(fp, r->set_community);
		sep = ", ";
	}
	if (r->set & FILTER_SET_PREPEND) {
		fprintf(fp, "%sprepend-self %u", sep, r->set_prepend);
		sep = ", ";
	}
	if (r->set & FILTER_SET_NEXTHOP_SELF)
		fprintf(fp, "%snexthop self", sep);
	if (n > 1)
		fputs(" }", fp);
}

static void
print_filter(FILE *fp, const struct filter_rule *r)
{
	static const char	*actions[] = {
		[FILTER_ALLOW] = "allow",
		[FILTER_DENY] = "deny",
		[FILTER_MATCH] = "match",
	};

	fputs(actions[r->action], fp);
	if (r->quick)
		fputs(" quick", fp);
	fputs(r->dir == FILTER_IN ? " from" : " to", fp);
	print_filter_peer(fp, r);
	print_filter_match(fp, r);
	print_filter_set(fp, r);
	fputc('\n', fp);
}

void
print_config(FILE *fp, const struct srv6d_config *conf)
{
	const struct vrf_config		*vrf;
	const struct filter_rule	*r;

	print_global(fp, conf);
	print_srv6(fp, conf);
	TAILQ_FOREACH(vrf, &conf->vrfs, entry)
		print_vrf(fp, vrf);
	print_neighbors(fp, conf);
	if (!TAILQ_EMPTY(&conf->filters))
		fputc('\n', fp);
	TAILQ_FOREACH(r, &conf->filters, entry)
		print_filter(fp, r);
}
