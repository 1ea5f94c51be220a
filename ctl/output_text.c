/*
 * srv6ctl text output: aligned for people.  Neighbor lists are columns in
 * the manner of bgpctl show summary; single objects are label/value blocks.
 */
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define LABEL_WIDTH	18

static void	text_error(struct output_ctx *, const char *);

static const struct {
	uint8_t		 flag;
	const char	*name;
} afs_names[] = {
	{ AFS_IPV4_UNICAST,	"ipv4" },
	{ AFS_IPV6_UNICAST,	"ipv6" },
	{ AFS_VPNV4,		"vpnv4" },
	{ AFS_VPNV6,		"vpnv6" },
};

/* Name of the i-th address family bit, NULL past the last. */
const char *
afs_name(size_t i, uint8_t *flag)
{
	if (i >= sizeof(afs_names) / sizeof(afs_names[0]))
		return NULL;
	*flag = afs_names[i].flag;
	return afs_names[i].name;
}

/* "ipv4, vpnv4", or "by transport" when none is configured. */
const char *
fmt_afs(uint8_t afs)
{
	static char	 buf[64];
	const char	*name;
	uint8_t		 flag;
	size_t		 i;

	buf[0] = '\0';
	for (i = 0; (name = afs_name(i, &flag)) != NULL; i++) {
		if (!(afs & flag))
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", sizeof(buf));
		strlcat(buf, name, sizeof(buf));
	}
	if (buf[0] == '\0')
		strlcpy(buf, "by transport", sizeof(buf));
	return buf;
}

/*
 * A duration the way bgpctl shows it: hh:mm:ss below a day, then days
 * and hours, then weeks, days and hours.
 */
const char *
fmt_duration(time_t t)
{
	static char	buf[32];
	unsigned long	sec, min, hrs, day, week;

	if (t < 0)
		t = 0;
	sec = (unsigned long)t % 60;
	min = (unsigned long)t / 60 % 60;
	hrs = (unsigned long)t / 3600 % 24;
	day = (unsigned long)t / 86400;
	week = day / 7;
	if (day == 0)
		snprintf(buf, sizeof(buf), "%02lu:%02lu:%02lu", hrs, min, sec);
	else if (week == 0)
		snprintf(buf, sizeof(buf), "%lud%02luh", day, hrs);
	else
		snprintf(buf, sizeof(buf), "%luw%lud%02luh", week, day % 7,
		    hrs);
	return buf;
}

/* Time since then, or "never" when then is unset (0). */
const char *
fmt_since(time_t now, time_t then)
{
	if (then == 0)
		return "never";
	return fmt_duration(now - then);
}

const char *
result_name(uint32_t code)
{
	static const char	*names[] = {
		[CTL_RES_OK] = "ok",
		[CTL_RES_DENIED] = "denied",
		[CTL_RES_FAILED] = "failed",
		[CTL_RES_BUSY] = "busy",
		[CTL_RES_NOSUCH] = "no such object",
		[CTL_RES_PARSE] = "bad request",
	};

	if (code >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[code];
}

static void
text_field(struct output_ctx *ctx, int indent, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
text_field(struct output_ctx *ctx, int indent, const char *label,
    const char *fmt, ...)
{
	va_list	ap;

	fprintf(ctx->out, "%*s%s:%*s", indent, "", label,
	    LABEL_WIDTH - (int)strlen(label), "");
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->out);
}

static void
text_head(struct output_ctx *ctx)
{
	ctx->items = 0;
	ctx->rows = 0;
}

static void
text_summary(struct output_ctx *ctx, const struct ctl_show_summary *s)
{
	char	reload[48];

	if (s->reloaded == 0)
		strlcpy(reload, "never", sizeof(reload));
	else
		snprintf(reload, sizeof(reload), "%s ago",
		    fmt_since(ctx->now, s->reloaded));
	text_field(ctx, 0, "Version", "srv6d %s", s->version);
	text_field(ctx, 0, "AS", "%u", s->as);
	text_field(ctx, 0, "Router ID", "%s", inet_ntoa(s->router_id));
	text_field(ctx, 0, "Uptime", "%s", fmt_since(ctx->now, s->started));
	text_field(ctx, 0, "Last reload", "%s", reload);
	text_field(ctx, 0, "Neighbors", "%u configured, %u established",
	    s->n_neighbors, s->n_established);
	text_field(ctx, 0, "VRFs", "%u", s->n_vrfs);
	text_field(ctx, 0, "Locators", "%u", s->n_locators);
	text_field(ctx, 0, "Kernel mode", "%s",
	    s->kernel_mode[0] != '\0' ? s->kernel_mode : "unknown");
	text_field(ctx, 0, "Logging", "%s", s->verbose ? "verbose" : "brief");
	ctx->items++;
}

/* Text that breaks before column 80, continuing under the value. */
struct text_wrap {
	FILE	*fp;
	size_t	 col;
	char	 sep;	/* after each word but the last, or 0 */
	int	 words;
};

#define WRAP_COLUMN	80
#define VALUE_COLUMN	(2 + LABEL_WIDTH + 1)

static void
text_wrap_begin(struct text_wrap *w, struct output_ctx *ctx,
    const char *label, char sep)
{
	w->fp = ctx->out;
	w->sep = sep;
	w->words = 0;
	fprintf(w->fp, "  %s:%*s", label, LABEL_WIDTH - (int)strlen(label),
	    "");
	w->col = VALUE_COLUMN;
}

static void
text_wrap_word(struct text_wrap *w, const char *word)
{
	size_t	len = strlen(word);

	if (w->words > 0) {
		if (w->sep != '\0')
			fputc(w->sep, w->fp);
		if (w->col + (w->sep != '\0') + 1 + len > WRAP_COLUMN) {
			fprintf(w->fp, "\n%*s", VALUE_COLUMN, "");
			w->col = VALUE_COLUMN;
		} else {
			fputc(' ', w->fp);
			w->col += (w->sep != '\0') + 1;
		}
	}
	fputs(word, w->fp);
	w->col += len;
	w->words++;
}

static void
text_wrap_end(struct text_wrap *w)
{
	if (w->words == 0)
		fputs("none", w->fp);
	fputc('\n', w->fp);
}

static uint64_t
msgs_total(const uint64_t *msgs)
{
	uint64_t	sum = 0;
	size_t		i;

	for (i = 1; i < 6; i++)
		sum += msgs[i];
	return sum;
}

/* The state, or the prefix count once Established, as bgpctl does. */
static const char *
text_state_prefixes(const struct ctl_show_neighbor *n)
{
	static char	buf[24];

	if (n->flags & NEIGH_F_DOWN)
		return "Idle (Admin)";
	if (n->state != NSTATE_ESTABLISHED)
		return neighbor_state_name(n->state);
	snprintf(buf, sizeof(buf), "%llu",
	    (unsigned long long)n->prefixes_received);
	return buf;
}

static void
text_neighbor_row(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	const char	*state = text_state_prefixes(n);

	if (ctx->rows++ == 0) {
		if (ctx->items > 0)	/* below the summary */
			fputc('\n', ctx->out);
		fprintf(ctx->out, "%-24s %10s %8s %8s  %-9s %-14s %s\n",
		    "Neighbor", "AS", "MsgRcvd", "MsgSent", "Up/Down",
		    "State/PrfRcvd", "Description");
	}
	fprintf(ctx->out, "%-24s %10u %8llu %8llu  %-9s ", addr2str(&n->addr),
	    n->remote_as, (unsigned long long)msgs_total(n->msgs_in),
	    (unsigned long long)msgs_total(n->msgs_out),
	    fmt_since(ctx->now, n->state_since));
	if (n->descr[0] != '\0')
		fprintf(ctx->out, "%-14s %s\n", state, n->descr);
	else
		fprintf(ctx->out, "%s\n", state);
}

static void
text_neighbor_flags(struct output_ctx *ctx, uint8_t flags)
{
	char	buf[96] = "";

	if (flags & NEIGH_F_PASSIVE)
		strlcat(buf, ", passive", sizeof(buf));
	if (flags & NEIGH_F_TTL_SECURITY)
		strlcat(buf, ", ttl-security", sizeof(buf));
	if (flags & NEIGH_F_DOWN)
		strlcat(buf, ", down", sizeof(buf));
	if (flags & NEIGH_F_RR_CLIENT)
		strlcat(buf, ", route-reflector-client", sizeof(buf));
	if (flags & NEIGH_F_NEXTHOP_SELF)
		strlcat(buf, ", next-hop-self", sizeof(buf));
	if (buf[0] != '\0')
		text_field(ctx, 2, "Options", "%s", buf + 2);
}

static void
text_neighbor_config(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	if (n->descr[0] != '\0')
		text_field(ctx, 2, "Description", "%s", n->descr);
	text_field(ctx, 2, "Remote AS", "%u", n->remote_as);
	if (n->group[0] != '\0')
		text_field(ctx, 2, "Group", "%s", n->group);
	text_field(ctx, 2, "State", "%s, for %s",
	    (n->flags & NEIGH_F_DOWN) && n->state == NSTATE_IDLE ?
	    "Idle (Admin)" : neighbor_state_name(n->state),
	    fmt_since(ctx->now, n->state_since));
	text_field(ctx, 2, "Local address", "%s",
	    n->local_addr.af == AF_UNSPEC ? "auto" : addr2str(&n->local_addr));
	if (n->holdtime == 0)
		text_field(ctx, 2, "Hold time", "default");
	else
		text_field(ctx, 2, "Hold time", "%u", n->holdtime);
	text_field(ctx, 2, "Address families", "%s", fmt_afs(n->afs));
	text_field(ctx, 2, "TCP-MD5", "%s", n->md5 ? "yes" : "no");
	text_neighbor_flags(ctx, n->flags);
}

static void
text_afs_list(struct output_ctx *ctx, const char *label, uint8_t afs)
{
	struct text_wrap	 w;
	const char		*name;
	uint8_t			 flag;
	size_t			 i;

	text_wrap_begin(&w, ctx, label, ',');
	for (i = 0; (name = afs_name(i, &flag)) != NULL; i++)
		if (afs & flag)
			text_wrap_word(&w, name);
	text_wrap_end(&w);
}

/* What the last (or current) session negotiated: shown once one was up. */
static void
text_neighbor_session(struct output_ctx *ctx,
    const struct ctl_show_neighbor *n)
{
	struct text_wrap	 w;
	const char		*name;
	uint16_t		 flag;
	size_t			 i;

	text_field(ctx, 2, "Local endpoint", "%s port %u",
	    addr2str(&n->session_local), n->local_port);
	text_field(ctx, 2, "Remote endpoint", "%s port %u",
	    addr2str(&n->addr), n->remote_port);
	text_field(ctx, 2, "BGP identifier", "%s", inet_ntoa(n->remote_id));
	text_field(ctx, 2, "Negotiated hold", "%u s, keepalive %u s",
	    n->holdtime_neg, n->keepalive);
	text_wrap_begin(&w, ctx, "Capabilities", ',');
	for (i = 0; (name = capa_name(i, &flag)) != NULL; i++)
		if (n->capa & flag)
			text_wrap_word(&w, name);
	text_wrap_end(&w);
	text_afs_list(ctx, "Families", n->afs_neg);
	if (n->ext_nexthop != 0)
		text_afs_list(ctx, "Extended next hop", n->ext_nexthop);
}

static void
text_neighbor_counters(struct output_ctx *ctx,
    const struct ctl_show_neighbor *n)
{
	size_t	i;

	text_field(ctx, 2, "Flaps", "%u", n->flaps);
	text_field(ctx, 2, "Prefixes", "%llu received, %llu accepted, "
	    "%llu best, %llu sent",
	    (unsigned long long)n->prefixes_received,
	    (unsigned long long)n->prefixes_accepted,
	    (unsigned long long)n->prefixes_best,
	    (unsigned long long)n->prefixes_sent);
	fprintf(ctx->out, "  %-*s %10s %10s\n", LABEL_WIDTH, "Messages",
	    "sent", "received");
	for (i = 1; i < 6; i++)
		fprintf(ctx->out, "    %-*s %10llu %10llu\n", LABEL_WIDTH - 2,
		    msg_type_name(i), (unsigned long long)n->msgs_out[i],
		    (unsigned long long)n->msgs_in[i]);
	fprintf(ctx->out, "    %-*s %10llu %10llu\n", LABEL_WIDTH - 2,
	    "total", (unsigned long long)msgs_total(n->msgs_out),
	    (unsigned long long)msgs_total(n->msgs_in));
}

static void
text_notification(struct output_ctx *ctx, const char *label, uint8_t code,
    uint8_t subcode, const char *reason)
{
	if (code == 0)
		text_field(ctx, 2, label, "none");
	else if (reason[0] == '\0')
		text_field(ctx, 2, label, "%s", fmt_notify(code, subcode));
	else
		text_field(ctx, 2, label, "%s: \"%s\"",
		    fmt_notify(code, subcode), fmt_escape(reason));
}

static void
text_neighbor_detail(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	if (ctx->items > 0)
		fputc('\n', ctx->out);
	fprintf(ctx->out, "Neighbor %s\n", addr2str(&n->addr));
	text_neighbor_config(ctx, n);
	if (n->session_local.af != AF_UNSPEC)
		text_neighbor_session(ctx, n);
	text_neighbor_counters(ctx, n);
	text_notification(ctx, "Notification sent", n->last_sent_code,
	    n->last_sent_subcode, n->last_sent_reason);
	text_notification(ctx, "Notification rcvd", n->last_recv_code,
	    n->last_recv_subcode, n->last_recv_reason);
}

static void
text_neighbor(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	if (ctx->res->addr.af == AF_UNSPEC)
		text_neighbor_row(ctx, n);
	else
		text_neighbor_detail(ctx, n);
	ctx->items++;
}

/* ------------------------------------------------------------------ */
/* show rib                                                            */

/* Fixed positions: eligible, best, iBGP or local, stale, filtered. */
static const char *
text_rib_flags(uint8_t flags)
{
	static char	buf[6];

	buf[0] = (flags & RIB_F_ELIGIBLE) ? '*' : ' ';
	buf[1] = (flags & RIB_F_BEST) ? '>' : ' ';
	buf[2] = (flags & RIB_F_LOCAL) ? 'l' :
	    (flags & RIB_F_INTERNAL) ? 'i' : ' ';
	buf[3] = (flags & RIB_F_STALE) ? 'S' : ' ';
	buf[4] = (flags & RIB_F_FILTERED) ? 'F' : ' ';
	buf[5] = '\0';
	return buf;
}

static const char *
text_rib_neighbor(const struct ctl_show_rib *r)
{
	return r->neighbor.af == AF_UNSPEC ? "local" : addr2str(&r->neighbor);
}

static void
text_rib_legend(struct output_ctx *ctx)
{
	fprintf(ctx->out,
	    "flags: * = eligible, > = best, i = iBGP, l = local, S = stale, "
	    "F = filtered\n"
	    "origin: i = IGP, e = EGP, ? = incomplete\n\n"
	    "%-5s %-18s %-15s %-15s %6s %6s %s\n", "flags", "prefix",
	    "neighbor", "nexthop", "lpref", "med", "aspath origin");
}

static void
text_rib_row(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;
	char				 med[16];

	if (ctx->items == 0)
		text_rib_legend(ctx);
	if (r->has_med)
		snprintf(med, sizeof(med), "%u", r->med);
	else
		strlcpy(med, "-", sizeof(med));
	fprintf(ctx->out, "%-5s %-18s %-15s %-15s %6u %6s ",
	    text_rib_flags(r->flags), prefix2str(&r->prefix),
	    text_rib_neighbor(r), addr2str(&r->nexthop), r->localpref, med);
	if (r->n_aspath > 0) {
		aspath_print(ctx->out, rib->aspath, r->n_aspath);
		fputc(' ', ctx->out);
	}
	fprintf(ctx->out, "%c\n", origin_char(r->origin));
}

static void
text_rib_status(struct output_ctx *ctx, const struct ctl_show_rib *r)
{
	struct text_wrap	w;

	text_wrap_begin(&w, ctx, "Status", ',');
	text_wrap_word(&w, (r->flags & RIB_F_ELIGIBLE) ? "eligible" :
	    "not eligible");
	if (r->flags & RIB_F_BEST)
		text_wrap_word(&w, "best");
	text_wrap_word(&w, (r->flags & RIB_F_LOCAL) ? "local" :
	    (r->flags & RIB_F_INTERNAL) ? "internal" : "external");
	if (r->flags & RIB_F_STALE)
		text_wrap_word(&w, "stale");
	if (r->flags & RIB_F_FILTERED)
		text_wrap_word(&w, "filtered");
	if (r->atomic_aggregate)
		text_wrap_word(&w, "atomic-aggregate");
	text_wrap_end(&w);
}

/* The community lists, each only when the path has one. */
static void
text_rib_communities(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;
	struct text_wrap		 w;
	size_t				 i;

	if (r->n_communities > 0) {
		text_wrap_begin(&w, ctx, "Communities", '\0');
		for (i = 0; i < r->n_communities; i++)
			text_wrap_word(&w, fmt_community(rib->communities[i]));
		text_wrap_end(&w);
	}
	if (r->n_large_communities > 0) {
		text_wrap_begin(&w, ctx, "Large communities", '\0');
		for (i = 0; i < r->n_large_communities; i++)
			text_wrap_word(&w, fmt_large_community(rib->large +
			    3 * i));
		text_wrap_end(&w);
	}
	if (r->n_ext_communities > 0) {
		text_wrap_begin(&w, ctx, "Ext. communities", ',');
		for (i = 0; i < r->n_ext_communities; i++)
			text_wrap_word(&w, fmt_ext_community(rib->ext[i]));
		text_wrap_end(&w);
	}
}

static void
text_rib_reflection(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	struct text_wrap	w;
	struct in_addr		id;
	size_t			i;

	if (rib->r.originator_id.s_addr != 0)
		text_field(ctx, 2, "Originator ID", "%s",
		    inet_ntoa(rib->r.originator_id));
	if (rib->r.n_cluster == 0)
		return;
	text_wrap_begin(&w, ctx, "Cluster list", '\0');
	for (i = 0; i < rib->r.n_cluster; i++) {
		id.s_addr = htonl(rib->cluster[i]);
		text_wrap_word(&w, inet_ntoa(id));
	}
	text_wrap_end(&w);
}

/* A path of a VPN RIB or of a VRF's Loc-RIB (not plain unicast). */
static int
rib_is_vpn(const struct ctl_show_rib *r)
{
	return (r->afs & (AFS_VPNV4 | AFS_VPNV6)) || r->vrf[0] != '\0';
}

/* The SRv6 service of a VPN path (RFC 9252), or why there is none. */
static void
text_rib_vpn_detail(struct output_ctx *ctx, const struct ctl_show_rib *r)
{
	int	imported = (r->flags & RIB_F_IMPORTED) != 0;

	if (r->vrf[0] != '\0') {
		if (!imported) {
			text_field(ctx, 2, "Source RD", "none (local)");
			return;
		}
		text_field(ctx, 2, "Source RD", "%s", rd2str(r->rd));
	}
	text_field(ctx, 2, "Label", "%u", r->label);
	if (!r->has_sid) {
		text_field(ctx, 2, "SID", "none%s", (r->flags & RIB_F_NOSID) ?
		    " (not usable for forwarding)" : "");
		return;
	}
	text_field(ctx, 2, "SID", "%s", fmt_sid(&r->sid));
	text_field(ctx, 2, "Behavior", "%s",
	    fmt_behavior(r->behavior, r->prefix.addr.af));
	if (structure_present(r->structure))
		text_field(ctx, 2, "SID structure", "%s",
		    fmt_structure(r->structure));
	else
		text_field(ctx, 2, "SID structure", "none");
}

static void
text_rib_detail(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;

	if (ctx->items > 0)
		fputc('\n', ctx->out);
	fprintf(ctx->out, "Prefix %s\n", prefix2str(&r->prefix));
	if (r->vrf[0] != '\0')
		text_field(ctx, 2, "VRF", "%s", r->vrf);
	else if (rib_is_vpn(r))
		text_field(ctx, 2, "RD", "%s", rd2str(r->rd));
	if (r->neighbor.af == AF_UNSPEC)
		text_field(ctx, 2, "Neighbor", "local");
	else
		text_field(ctx, 2, "Neighbor", "%s (BGP id %s)",
		    addr2str(&r->neighbor), inet_ntoa(r->neighbor_id));
	text_field(ctx, 2, "Next hop", "%s", addr2str(&r->nexthop));
	if (rib_is_vpn(r))
		text_rib_vpn_detail(ctx, r);
	fprintf(ctx->out, "  %s:%*s", "AS path",
	    LABEL_WIDTH - (int)strlen("AS path"), "");
	if (r->n_aspath == 0)
		fputs("empty", ctx->out);
	aspath_print(ctx->out, rib->aspath, r->n_aspath);
	fputc('\n', ctx->out);
	text_field(ctx, 2, "Origin", "%s", origin_name(r->origin));
	text_field(ctx, 2, "LOCAL_PREF", "%u", r->localpref);
	if (r->has_med)
		text_field(ctx, 2, "MED", "%u", r->med);
	else
		text_field(ctx, 2, "MED", "none");
	text_rib_status(ctx, r);
	text_rib_communities(ctx, rib);
	text_rib_reflection(ctx, rib);
	text_field(ctx, 2, "Last change", "%s%s",
	    fmt_since(ctx->now, r->lastchange), r->lastchange ? " ago" : "");
	if (!(r->flags & RIB_F_BEST) && r->reason[0] != '\0')
		text_field(ctx, 2, "Not best", "%s", fmt_escape(r->reason));
}

static int
text_rib_blocks(const struct output_ctx *ctx)
{
	const struct parse_result	*res = ctx->res;

	return res->detail || ((res->rib.flags & RIB_REQ_PREFIX) &&
	    !(res->rib.flags & RIB_REQ_LONGER));
}

/* VPN and VRF views: one more flag, n = no usable SRv6 SID. */
static const char *
text_vpn_flags(uint8_t flags)
{
	static char	buf[7];

	memcpy(buf, text_rib_flags(flags), 5);
	buf[5] = (flags & RIB_F_NOSID) ? 'n' : ' ';
	buf[6] = '\0';
	return buf;
}

static const char *
text_vpn_sid(const struct ctl_show_rib *r)
{
	return r->has_sid ? fmt_sid(&r->sid) : "-";
}

static const char *
text_vpn_behavior(const struct ctl_show_rib *r)
{
	return r->has_sid ? fmt_behavior(r->behavior, r->prefix.addr.af) :
	    "-";
}

static void
text_vpn_legend(struct output_ctx *ctx, int vrf)
{
	if (ctx->items > 0)	/* below unicast paths */
		fputc('\n', ctx->out);
	fprintf(ctx->out,
	    "flags: * = eligible, > = best, i = iBGP, l = local, S = stale, "
	    "F = filtered,\n"
	    "       n = no usable SRv6 SID\n\n");
	if (vrf)
		fprintf(ctx->out, "%-6s %-18s %-24s %-14s %-24s %s\n",
		    "flags", "prefix", "nexthop", "source RD", "SID",
		    "behavior");
	else
		fprintf(ctx->out, "%-6s %-18s %-24s %7s  %-24s %s\n",
		    "flags", "prefix", "nexthop", "label", "SID", "behavior");
}

static void	text_vpn_path(struct output_ctx *, const struct ctl_show_rib *);

/* show rib vpnv4|vpnv6: FRR's layout, paths grouped by RD. */
static void
text_vpn_row(struct output_ctx *ctx, const struct ctl_show_rib *r,
    const struct ctl_show_rib *prev)
{
	uint8_t	afs = ctx->res->rib.afs;

	if (prev != NULL && prev->rd == r->rd && prev->afs == r->afs)
		return text_vpn_path(ctx, r);
	/* both VPN families listed: say which one a group is */
	if (afs == AFS_VPNV4 || afs == AFS_VPNV6)
		fprintf(ctx->out, "Route Distinguisher: %s\n", rd2str(r->rd));
	else
		fprintf(ctx->out, "Route Distinguisher: %s (%s)\n",
		    rd2str(r->rd), r->afs == AFS_VPNV4 ? "vpnv4" : "vpnv6");
	text_vpn_path(ctx, r);
}

static void
text_vpn_path(struct output_ctx *ctx, const struct ctl_show_rib *r)
{
	fprintf(ctx->out, "%-6s %-18s %-24s %7u  %-24s %s\n",
	    text_vpn_flags(r->flags), prefix2str(&r->prefix),
	    addr2str(&r->nexthop), r->label, text_vpn_sid(r),
	    text_vpn_behavior(r));
}

/* show rib vrf NAME: where each path came from and its SID. */
static void
text_vrf_row(struct output_ctx *ctx, const struct ctl_show_rib *r)
{
	fprintf(ctx->out, "%-6s %-18s %-24s %-14s %-24s %s\n",
	    text_vpn_flags(r->flags), prefix2str(&r->prefix),
	    addr2str(&r->nexthop), (r->flags & RIB_F_IMPORTED) ?
	    rd2str(r->rd) : "-", text_vpn_sid(r), text_vpn_behavior(r));
}

/*
 * Held paths in order: VRF, family, then in a VPN RIB the RD (the
 * groups), the prefix, the best path first (as the RDE sends them), and
 * the source RD and neighbor for a stable order.
 */
static int
text_held_cmp(const void *a, const void *b)
{
	const struct ctl_show_rib	*x = &((const struct ctl_rib *)a)->r;
	const struct ctl_show_rib	*y = &((const struct ctl_rib *)b)->r;
	int				 c;

	if ((c = strcmp(x->vrf, y->vrf)) != 0)
		return c;
	if (x->afs != y->afs)
		return x->afs < y->afs ? -1 : 1;
	if (x->vrf[0] == '\0' && x->rd != y->rd)
		return x->rd < y->rd ? -1 : 1;
	if ((c = addr_cmp(&x->prefix.addr, &y->prefix.addr)) != 0)
		return c;
	if (x->prefix.len != y->prefix.len)
		return x->prefix.len < y->prefix.len ? -1 : 1;
	if ((x->flags ^ y->flags) & RIB_F_BEST)
		return (x->flags & RIB_F_BEST) ? -1 : 1;
	if (x->rd != y->rd)
		return x->rd < y->rd ? -1 : 1;
	return addr_cmp(&x->neighbor, &y->neighbor);
}

static void
text_hold(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	struct ctl_rib	*nh;
	size_t		 cap;

	if (ctx->nheld == ctx->held_cap) {
		cap = ctx->held_cap ? ctx->held_cap * 2 : 64;
		if ((nh = reallocarray(ctx->held, cap, sizeof(*nh))) == NULL) {
			text_error(ctx, "out of memory");
			return;
		}
		ctx->held = nh;
		ctx->held_cap = cap;
	}
	if (ctl_rib_dup(&ctx->held[ctx->nheld], rib) == -1) {
		text_error(ctx, "out of memory");
		return;
	}
	ctx->nheld++;
}

/* The held VPN and VRF paths, sorted, as rows or blocks. */
static void
text_held_flush(struct output_ctx *ctx)
{
	const struct ctl_show_rib	*prev = NULL, *r;
	size_t				 i;

	if (ctx->nheld == 0)
		return;
	qsort(ctx->held, ctx->nheld, sizeof(*ctx->held), text_held_cmp);
	if (!text_rib_blocks(ctx))
		text_vpn_legend(ctx, ctx->held[0].r.vrf[0] != '\0');
	for (i = 0; i < ctx->nheld; i++) {
		r = &ctx->held[i].r;
		if (text_rib_blocks(ctx))
			text_rib_detail(ctx, &ctx->held[i]);
		else if (r->vrf[0] != '\0')
			text_vrf_row(ctx, r);
		else
			text_vpn_row(ctx, r, prev);
		prev = r;
		ctx->items++;
	}
	for (i = 0; i < ctx->nheld; i++)
		ctl_rib_free(&ctx->held[i]);
	ctx->nheld = 0;
}

/*
 * One block a path with `detail' or a single prefix, else one line.
 * VPN and VRF paths come in the RDE's hash order: they are held and
 * printed at the end, sorted and grouped by RD.
 */
static void
text_rib(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	if (rib_is_vpn(&rib->r)) {
		text_hold(ctx, rib);
		return;
	}
	if (text_rib_blocks(ctx))
		text_rib_detail(ctx, rib);
	else
		text_rib_row(ctx, rib);
	ctx->items++;
}

static void
text_rts(struct output_ctx *ctx, const char *label,
    const ext_community_t *rts, size_t n)
{
	size_t	i;

	fprintf(ctx->out, "  %s:%*s", label, LABEL_WIDTH - (int)strlen(label),
	    "");
	if (n == 0)
		fputs("none", ctx->out);
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%s%s", i > 0 ? ", " : "", rt2str(rts[i]));
	fputc('\n', ctx->out);
}

static void
text_vrf_sid(struct output_ctx *ctx, const struct ctl_show_vrf *v)
{
	char		 buf[INET6_ADDRSTRLEN];
	const char	*mode = vrf_sid_mode_name(v->sid_mode);

	if (v->sid_mode == VRF_SID_EXPLICIT) {
		if (inet_ntop(AF_INET6, &v->sid, buf, sizeof(buf)) == NULL)
			strlcpy(buf, "?", sizeof(buf));
		text_field(ctx, 2, "SID", "%s (%s)", buf, mode);
	} else if (v->locator[0] != '\0')
		text_field(ctx, 2, "SID", "%s, locator %s", mode, v->locator);
	else
		text_field(ctx, 2, "SID", "%s, first locator", mode);
}

static void
text_vrf_networks(struct output_ctx *ctx, const struct ctl_vrf *vrf)
{
	size_t	i, n = 0;

	fprintf(ctx->out, "  %s:%*s", "Networks",
	    LABEL_WIDTH - (int)strlen("Networks"), "");
	for (i = 0; i < vrf->v.n_networks; i++)
		fprintf(ctx->out, "%s%s", n++ > 0 ? ", " : "",
		    prefix2str(&vrf->networks[i]));
	if (vrf->v.net_flags & VRF_NET_CONNECTED)
		fprintf(ctx->out, "%sconnected", n++ > 0 ? ", " : "");
	if (vrf->v.net_flags & VRF_NET_KERNEL)
		fprintf(ctx->out, "%skernel", n++ > 0 ? ", " : "");
	if (n == 0)
		fputs("none", ctx->out);
	fputc('\n', ctx->out);
}

static void	text_vrf_sids(struct output_ctx *, const struct ctl_vrf *);

static void
text_vrf(struct output_ctx *ctx, const struct ctl_vrf *vrf)
{
	const struct ctl_show_vrf	*v = &vrf->v;
	size_t				 i;

	if (ctx->items++ > 0)
		fputc('\n', ctx->out);
	fprintf(ctx->out, "VRF %s\n", v->name);
	text_field(ctx, 2, "Table", "%u", v->table);
	text_field(ctx, 2, "RD", "%s", rd2str(v->rd));
	text_rts(ctx, "Import targets", vrf->import_rt, v->n_import);
	text_rts(ctx, "Export targets", vrf->export_rt, v->n_export);
	text_vrf_sid(ctx, v);
	fprintf(ctx->out, "  %s:%*s", "Interfaces",
	    LABEL_WIDTH - (int)strlen("Interfaces"), "");
	if (v->n_ifaces == 0)
		fputs("none", ctx->out);
	for (i = 0; i < v->n_ifaces; i++)
		fprintf(ctx->out, "%s%s", i > 0 ? ", " : "", vrf->ifaces[i]);
	fputc('\n', ctx->out);
	text_vrf_networks(ctx, vrf);
	text_field(ctx, 2, "Kernel mode", "%s",
	    v->kernel_mode[0] != '\0' ? v->kernel_mode : "unknown");
	text_field(ctx, 2, "Routes", "%llu IPv4, %llu IPv6",
	    (unsigned long long)v->routes4, (unsigned long long)v->routes6);
	text_field(ctx, 2, "Imported paths", "%llu",
	    (unsigned long long)v->imported);
	text_field(ctx, 2, "Exported routes", "%llu",
	    (unsigned long long)v->exported);
	text_vrf_sids(ctx, vrf);
}

/* "fc00:0:1:e001:: End.DX4 via 10.200.0.10" */
static const char *
text_sid_line(const struct ctl_show_sid *s)
{
	static char	buf[160];

	snprintf(buf, sizeof(buf), "%s %s", fmt_sid(&s->sid),
	    fmt_behavior(s->behavior, s->af));
	if (s->nh.af != AF_UNSPEC) {
		strlcat(buf, " via ", sizeof(buf));
		strlcat(buf, addr2str(&s->nh), sizeof(buf));
	}
	return buf;
}

/* The SIDs the VRF has now, one a line. */
static void
text_vrf_sids(struct output_ctx *ctx, const struct ctl_vrf *vrf)
{
	size_t	i;

	if (vrf->v.n_sids == 0) {
		text_field(ctx, 2, "Local SIDs", "none");
		return;
	}
	for (i = 0; i < vrf->v.n_sids; i++)
		if (i == 0)
			text_field(ctx, 2, "Local SIDs", "%s",
			    text_sid_line(&vrf->sids[i]));
		else
			fprintf(ctx->out, "%*s%s\n", VALUE_COLUMN, "",
			    text_sid_line(&vrf->sids[i]));
}

/* show sid: a table; kernel counters on a line below when known. */
static void
text_sid(struct output_ctx *ctx, const struct ctl_show_sid *s)
{
	char	table[16] = "-";

	if (s->table != 0)	/* End.DX4/DX6 forward, look up no table */
		snprintf(table, sizeof(table), "%u", s->table);
	if (ctx->items++ == 0)
		fprintf(ctx->out, "%-24s %-10s %-15s %-12s %6s %-16s %s\n",
		    "SID", "behavior", "vrf", "locator", "table", "nexthop",
		    "routes");
	fprintf(ctx->out, "%-24s %-10s %-15s %-12s %6s %-16s %llu\n",
	    fmt_sid(&s->sid), fmt_behavior(s->behavior, s->af),
	    s->vrf[0] != '\0' ? s->vrf : "-",
	    s->locator[0] != '\0' ? s->locator : "-", table,
	    addr2str(&s->nh), (unsigned long long)s->routes);
	if (s->has_counters)
		fprintf(ctx->out, "  counters: %llu packets, %llu bytes, "
		    "%llu errors\n", (unsigned long long)s->packets,
		    (unsigned long long)s->bytes,
		    (unsigned long long)s->errors);
}

/* show locator: RFC 8986 §3.1 structure, bits. */
static void
text_locator(struct output_ctx *ctx, const struct ctl_show_locator *l)
{
	if (ctx->items++ == 0)
		fprintf(ctx->out, "%-16s %-24s %5s %4s %4s %3s  %-8s %s\n",
		    "locator", "prefix", "block", "node", "func", "arg",
		    "announce", "SIDs");
	fprintf(ctx->out, "%-16s %-24s %5u %4u %4u %3u  %-8s %u\n", l->name,
	    prefix2str(&l->prefix), l->block_len, l->node_len, l->func_len,
	    l->arg_len, l->announce ? "yes" : "no", l->n_sids);
}

/* show fib: what srv6d did to the kernel, then its recent refusals. */
static void
text_fib(struct output_ctx *ctx, const struct ctl_show_fib *f)
{
	text_field(ctx, 0, "Kernel mode", "%s",
	    f->kernel_mode[0] != '\0' ? f->kernel_mode : "unknown");
	text_field(ctx, 0, "Routes", "%llu", (unsigned long long)f->routes);
	text_field(ctx, 0, "Local SIDs", "%llu", (unsigned long long)f->sids);
	text_field(ctx, 0, "Nexthop objects", "%llu",
	    (unsigned long long)f->nexthops);
	text_field(ctx, 0, "Requests", "%llu sent, %llu acknowledged, "
	    "%llu failed, %llu pending", (unsigned long long)f->sent,
	    (unsigned long long)f->acked, (unsigned long long)f->failed,
	    (unsigned long long)f->pending);
	text_field(ctx, 0, "Start-up", "%llu adopted, %llu stale removed",
	    (unsigned long long)f->adopted,
	    (unsigned long long)f->stale_removed);
	text_field(ctx, 0, "Monitor resyncs", "%llu",
	    (unsigned long long)f->resyncs);
	if (f->n_errors == 0)
		text_field(ctx, 0, "Recent errors", "none");
	else if (f->failed > f->n_errors)
		text_field(ctx, 0, "Recent errors", "last %u of %llu, newest "
		    "first", f->n_errors, (unsigned long long)f->failed);
	else
		text_field(ctx, 0, "Recent errors", "%u, newest first",
		    f->n_errors);
	ctx->items++;
}

/*
 * One refusal a line, as the log has it: age, the request, the errno and
 * the kernel's extended ACK text (strings escaped: the kernel's).
 */
static void
text_fib_error(struct output_ctx *ctx, const struct ctl_fib_error *e)
{
	fprintf(ctx->out, "  %s ago: ", fmt_since(ctx->now, e->time));
	fprintf(ctx->out, "%s: %s (%s)", fmt_escape(e->what),
	    errno_name(e->error), strerror(e->error));
	if (e->extack[0] != '\0')
		fprintf(ctx->out, ": %s", fmt_escape(e->extack));
	fputc('\n', ctx->out);
}

/* The daemon's answer: to stdout when it is good news, else stderr. */
static void
text_result(struct output_ctx *ctx, uint32_t code, const char *msg)
{
	FILE	*fp = code == CTL_RES_OK ? ctx->out : ctx->err;
	size_t	 len = strlen(msg);

	if (len == 0) {
		if (code != CTL_RES_OK)
			fprintf(fp, "srv6ctl: %s\n", result_name(code));
		return;
	}
	fputs(msg, fp);
	if (msg[len - 1] != '\n')
		fputc('\n', fp);
}

static void
text_error(struct output_ctx *ctx, const char *msg)
{
	fflush(ctx->out);
	fprintf(ctx->err, "srv6ctl: %s\n", msg);
}

static int
text_tail(struct output_ctx *ctx)
{
	text_held_flush(ctx);
	if (fflush(ctx->out) == EOF || ferror(ctx->out))
		return -1;
	return 0;
}

const struct output text_output = {
	.head = text_head,
	.summary = text_summary,
	.neighbor = text_neighbor,
	.vrf = text_vrf,
	.rib = text_rib,
	.sid = text_sid,
	.locator = text_locator,
	.fib = text_fib,
	.fib_error = text_fib_error,
	.result = text_result,
	.error = text_error,
	.tail = text_tail,
};
