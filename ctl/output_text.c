/*
 * srv6ctl text output: aligned for people.  Neighbor lists are columns in
 * the manner of bgpctl show summary; single objects are label/value blocks.
 */
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

#define LABEL_WIDTH	18

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

static void
text_neighbor_row(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	const char	*state = neighbor_state_name(n->state);

	if (ctx->items == 0)
		fprintf(ctx->out, "%-28s %10s  %-12s %-9s %s\n", "Neighbor",
		    "AS", "State", "Up/Down", "Description");
	if (n->flags & NEIGH_F_DOWN)
		state = "Idle (Admin)";
	fprintf(ctx->out, "%-28s %10u  %-12s ", addr2str(&n->addr),
	    n->remote_as, state);
	if (n->descr[0] != '\0')
		fprintf(ctx->out, "%-9s %s\n",
		    fmt_since(ctx->now, n->state_since), n->descr);
	else
		fprintf(ctx->out, "%s\n", fmt_since(ctx->now, n->state_since));
}

static void
text_neighbor_flags(struct output_ctx *ctx, uint8_t flags)
{
	char	buf[64] = "";

	if (flags & NEIGH_F_PASSIVE)
		strlcat(buf, ", passive", sizeof(buf));
	if (flags & NEIGH_F_TTL_SECURITY)
		strlcat(buf, ", ttl-security", sizeof(buf));
	if (flags & NEIGH_F_DOWN)
		strlcat(buf, ", down", sizeof(buf));
	if (buf[0] != '\0')
		text_field(ctx, 2, "Options", "%s", buf + 2);
}

static void
text_neighbor_detail(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	if (ctx->items > 0)
		fputc('\n', ctx->out);
	fprintf(ctx->out, "Neighbor %s\n", addr2str(&n->addr));
	if (n->descr[0] != '\0')
		text_field(ctx, 2, "Description", "%s", n->descr);
	text_field(ctx, 2, "Remote AS", "%u", n->remote_as);
	if (n->group[0] != '\0')
		text_field(ctx, 2, "Group", "%s", n->group);
	text_field(ctx, 2, "State", "%s, for %s",
	    neighbor_state_name(n->state), fmt_since(ctx->now, n->state_since));
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
text_neighbor(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	if (ctx->res->addr.af == AF_UNSPEC)
		text_neighbor_row(ctx, n);
	else
		text_neighbor_detail(ctx, n);
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
	if (fflush(ctx->out) == EOF || ferror(ctx->out))
		return -1;
	return 0;
}

const struct output text_output = {
	.head = text_head,
	.summary = text_summary,
	.neighbor = text_neighbor,
	.vrf = text_vrf,
	.result = text_result,
	.error = text_error,
	.tail = text_tail,
};
