/*
 * srv6ctl JSON output: one document per run, whatever happens.  Lists are
 * opened with their first item, or at the end if the answer was empty
 * (but not when srv6ctl failed to get one), results (normally one)
 * are merged and written at the end next to srv6ctl's own error, if any.
 * Times are epoch seconds plus the age in seconds; unset ones are null.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "output.h"

static void
json_time(struct output_ctx *ctx, const char *name, const char *age,
    int64_t t)
{
	if (t == 0) {
		json_null(&ctx->json, name);
		json_null(&ctx->json, age);
		return;
	}
	json_int(&ctx->json, name, t);
	json_int(&ctx->json, age, ctx->now >= t ? (int64_t)ctx->now - t : 0);
}

static void
json_head(struct output_ctx *ctx)
{
	json_init(&ctx->json, ctx->out, JSON_PRETTY);
	json_object(&ctx->json, NULL);
}

/* The list of a show command, opened with its first item. */
static void
json_list(struct output_ctx *ctx)
{
	if (ctx->json.depth != 1)
		return;
	if (ctx->res->action == SHOW_NEIGHBOR ||
	    ctx->res->action == SHOW_SUMMARY)
		json_array(&ctx->json, "neighbors");
	else if (ctx->res->action == SHOW_VRF)
		json_array(&ctx->json, "vrfs");
	else if (ctx->res->action == SHOW_RIB)
		json_array(&ctx->json, "rib");
	else if (ctx->res->action == SHOW_SID)
		json_array(&ctx->json, "sids");
	else if (ctx->res->action == SHOW_LOCATOR)
		json_array(&ctx->json, "locators");
}

static void
json_summary(struct output_ctx *ctx, const struct ctl_show_summary *s)
{
	struct json	*js = &ctx->json;

	json_object(js, "summary");
	json_string(js, "version", s->version);
	json_uint(js, "as", s->as);
	json_string(js, "router_id", inet_ntoa(s->router_id));
	json_time(ctx, "started", "uptime", s->started);
	json_time(ctx, "reloaded", "since_reload", s->reloaded);
	json_uint(js, "neighbors", s->n_neighbors);
	json_uint(js, "established", s->n_established);
	json_uint(js, "vrfs", s->n_vrfs);
	json_uint(js, "locators", s->n_locators);
	json_bool(js, "log_verbose", s->verbose != 0);
	if (s->kernel_mode[0] != '\0')
		json_string(js, "kernel_mode", s->kernel_mode);
	else
		json_null(js, "kernel_mode");
	json_end(js);
	ctx->items++;
}

static void
json_afs(struct json *js, const char *key, uint8_t afs)
{
	const char	*name;
	uint8_t		 flag;
	size_t		 i;

	json_array(js, key);
	for (i = 0; (name = afs_name(i, &flag)) != NULL; i++)
		if (afs & flag)
			json_string(js, NULL, name);
	json_end(js);
}

static void
json_addr(struct json *js, const char *key, const struct srv6d_addr *a)
{
	if (a->af == AF_UNSPEC)
		json_null(js, key);
	else
		json_string(js, key, addr2str(a));
}

static void
json_id(struct json *js, const char *key, struct in_addr id)
{
	if (id.s_addr == 0)
		json_null(js, key);
	else
		json_string(js, key, inet_ntoa(id));
}

/* The session's endpoints and what it negotiated (zero: none yet). */
static void
json_session(struct json *js, const struct ctl_show_neighbor *n)
{
	const char	*name;
	uint16_t	 flag;
	size_t		 i;

	json_object(js, "session");
	json_addr(js, "local_address", &n->session_local);
	json_uint(js, "local_port", n->local_port);
	json_uint(js, "remote_port", n->remote_port);
	json_id(js, "remote_id", n->remote_id);
	json_uint(js, "holdtime", n->holdtime_neg);
	json_uint(js, "keepalive", n->keepalive);
	json_array(js, "capabilities");
	for (i = 0; (name = capa_name(i, &flag)) != NULL; i++)
		if (n->capa & flag)
			json_string(js, NULL, name);
	json_end(js);
	json_afs(js, "address_families", n->afs_neg);
	json_afs(js, "extended_nexthop", n->ext_nexthop);
	json_end(js);
}

static void
json_msgs(struct json *js, const char *key, const uint64_t *msgs)
{
	uint64_t	total = 0;
	size_t		i;

	json_object(js, key);
	for (i = 1; i < 6; i++) {
		json_uint(js, msg_type_name(i), msgs[i]);
		total += msgs[i];
	}
	json_uint(js, "total", total);
	json_end(js);
}

static void
json_counters(struct json *js, const struct ctl_show_neighbor *n)
{
	json_uint(js, "flaps", n->flaps);
	json_object(js, "messages");
	json_msgs(js, "sent", n->msgs_out);
	json_msgs(js, "received", n->msgs_in);
	json_end(js);
	json_object(js, "prefixes");
	json_uint(js, "received", n->prefixes_received);
	json_uint(js, "accepted", n->prefixes_accepted);
	json_uint(js, "best", n->prefixes_best);
	json_uint(js, "sent", n->prefixes_sent);
	json_end(js);
}

static void
json_name_or_null(struct json *js, const char *key, const char *name)
{
	if (name != NULL)
		json_string(js, key, name);
	else
		json_null(js, key);
}

/* A NOTIFICATION: null when none, else its numbers, names and text. */
static void
json_notification(struct json *js, const char *key, uint8_t code,
    uint8_t subcode, const char *reason)
{
	if (code == 0) {
		json_null(js, key);
		return;
	}
	json_object(js, key);
	json_uint(js, "code", code);
	json_uint(js, "subcode", subcode);
	json_name_or_null(js, "error", notify_code_name(code));
	json_name_or_null(js, "suberror", notify_subcode_name(code, subcode));
	json_string(js, "description", fmt_notify(code, subcode));
	json_name_or_null(js, "reason", reason[0] != '\0' ? reason : NULL);
	json_end(js);
}

static void
json_neighbor(struct output_ctx *ctx, const struct ctl_show_neighbor *n)
{
	struct json	*js = &ctx->json;

	json_list(ctx);
	json_object(js, NULL);
	json_string(js, "address", addr2str(&n->addr));
	json_uint(js, "remote_as", n->remote_as);
	json_string(js, "description", n->descr);
	if (n->group[0] != '\0')
		json_string(js, "group", n->group);
	else
		json_null(js, "group");
	json_string(js, "state", neighbor_state_name(n->state));
	json_time(ctx, "state_since", "state_age", n->state_since);
	json_addr(js, "local_address", &n->local_addr);
	if (n->holdtime != 0)
		json_uint(js, "holdtime", n->holdtime);
	else
		json_null(js, "holdtime");
	json_afs(js, "address_families", n->afs);
	json_bool(js, "tcp_md5", n->md5 != 0);
	json_bool(js, "passive", (n->flags & NEIGH_F_PASSIVE) != 0);
	json_bool(js, "ttl_security", (n->flags & NEIGH_F_TTL_SECURITY) != 0);
	json_bool(js, "admin_down", (n->flags & NEIGH_F_DOWN) != 0);
	json_bool(js, "route_reflector_client",
	    (n->flags & NEIGH_F_RR_CLIENT) != 0);
	json_bool(js, "nexthop_self", (n->flags & NEIGH_F_NEXTHOP_SELF) != 0);
	json_session(js, n);
	json_counters(js, n);
	json_notification(js, "last_notification_sent", n->last_sent_code,
	    n->last_sent_subcode, n->last_sent_reason);
	json_notification(js, "last_notification_received",
	    n->last_recv_code, n->last_recv_subcode, n->last_recv_reason);
	json_end(js);
	ctx->items++;
}

/* ------------------------------------------------------------------ */
/* show rib                                                            */

/* The AS path in text form, as the text output shows it. */
static void
json_aspath_string(struct json *js, const struct ctl_rib *rib)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &len)) == NULL) {
		js->error = true;
		json_null(js, "as_path");
		return;
	}
	aspath_print(fp, rib->aspath, rib->r.n_aspath);
	if (fclose(fp) == EOF) {
		js->error = true;
		json_null(js, "as_path");
	} else
		json_string(js, "as_path", buf);
	free(buf);
}

static void
json_aspath_segments(struct json *js, const struct ctl_rib *rib)
{
	const uint32_t	*w = rib->aspath;
	size_t		 i = 0, j, count, n = rib->r.n_aspath;

	json_array(js, "as_path_segments");
	while (i < n) {
		count = w[i] & 0xffff;
		json_object(js, NULL);
		json_string(js, "type", aspath_segment_name(w[i] >> 16));
		json_array(js, "asns");
		for (j = 0, i++; j < count && i < n; j++, i++)
			json_uint(js, NULL, w[i]);
		json_end(js);
		json_end(js);
	}
	json_end(js);
}

static void
json_rib_communities(struct json *js, const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;
	struct in_addr			 id;
	size_t				 i;

	json_array(js, "communities");
	for (i = 0; i < r->n_communities; i++)
		json_string(js, NULL, fmt_community(rib->communities[i]));
	json_end(js);
	json_array(js, "large_communities");
	for (i = 0; i < r->n_large_communities; i++)
		json_string(js, NULL, fmt_large_community(rib->large + 3 * i));
	json_end(js);
	json_array(js, "ext_communities");
	for (i = 0; i < r->n_ext_communities; i++)
		json_string(js, NULL, fmt_ext_community(rib->ext[i]));
	json_end(js);
	json_id(js, "originator_id", r->originator_id);
	json_array(js, "cluster_list");
	for (i = 0; i < r->n_cluster; i++) {
		id.s_addr = htonl(rib->cluster[i]);
		json_string(js, NULL, inet_ntoa(id));
	}
	json_end(js);
}

static void
json_rib_flags(struct json *js, const struct ctl_show_rib *r)
{
	json_bool(js, "best", (r->flags & RIB_F_BEST) != 0);
	json_bool(js, "eligible", (r->flags & RIB_F_ELIGIBLE) != 0);
	json_bool(js, "internal", (r->flags & RIB_F_INTERNAL) != 0);
	json_bool(js, "local", (r->flags & RIB_F_LOCAL) != 0);
	json_bool(js, "stale", (r->flags & RIB_F_STALE) != 0);
	json_bool(js, "filtered", (r->flags & RIB_F_FILTERED) != 0);
	json_bool(js, "atomic_aggregate", r->atomic_aggregate != 0);
}

static const char *
json_family(uint8_t afs)
{
	const char	*name;
	uint8_t		 flag;
	size_t		 i;

	for (i = 0; (name = afs_name(i, &flag)) != NULL; i++)
		if (afs == flag)
			return name;
	return NULL;
}

/* RFC 9252 §3.2.1, in bits; null when the route carried none. */
static void
json_structure(struct json *js, const uint8_t *st)
{
	if (!structure_present(st)) {
		json_null(js, "structure");
		return;
	}
	json_object(js, "structure");
	json_uint(js, "block_length", st[0]);
	json_uint(js, "node_length", st[1]);
	json_uint(js, "function_length", st[2]);
	json_uint(js, "argument_length", st[3]);
	json_uint(js, "transposition_length", st[4]);
	json_uint(js, "transposition_offset", st[5]);
	json_end(js);
}

/* The behaviour as received (code and name) and what it stands for. */
static void
json_behavior(struct json *js, uint16_t code, uint8_t af)
{
	json_name_or_null(js, "behavior", behavior_name(code));
	json_uint(js, "behavior_code", code);
	json_name_or_null(js, "behavior_inferred",
	    behavior_name(behavior_infer(code, af)));
}

/*
 * The VPN part of a path of a VPN RIB or a VRF: the RD (a VPN prefix's;
 * in a VRF the source VPN route's, null for local paths), the label,
 * and the SRv6 SID with its behaviour and structure (nulls without one).
 */
static void
json_rib_vpn(struct json *js, const struct ctl_show_rib *r)
{
	int	imported = (r->flags & RIB_F_IMPORTED) != 0;

	json_name_or_null(js, "family", json_family(r->afs));
	if (r->vrf[0] != '\0') {
		json_string(js, "vrf", r->vrf);
		json_bool(js, "imported", imported);
		json_name_or_null(js, "rd", imported ? rd2str(r->rd) : NULL);
	} else
		json_string(js, "rd", rd2str(r->rd));
	json_uint(js, "label", r->label);
	json_bool(js, "no_sid", (r->flags & RIB_F_NOSID) != 0);
	if (!r->has_sid) {
		json_null(js, "sid");
		json_null(js, "behavior");
		json_null(js, "behavior_code");
		json_null(js, "behavior_inferred");
		json_null(js, "structure");
		return;
	}
	json_string(js, "sid", fmt_sid(&r->sid));
	json_behavior(js, r->behavior, r->prefix.addr.af);
	json_structure(js, r->structure);
}

static void
json_rib(struct output_ctx *ctx, const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;
	struct json			*js = &ctx->json;

	json_list(ctx);
	json_object(js, NULL);
	json_string(js, "prefix", prefix2str(&r->prefix));
	json_addr(js, "neighbor", &r->neighbor);
	json_id(js, "neighbor_id", r->neighbor_id);
	json_addr(js, "nexthop", &r->nexthop);
	json_string(js, "origin", origin_name(r->origin));
	json_uint(js, "localpref", r->localpref);
	if (r->has_med)
		json_uint(js, "med", r->med);
	else
		json_null(js, "med");
	json_uint(js, "weight", r->weight);
	json_rib_flags(js, r);
	json_aspath_string(js, rib);
	json_aspath_segments(js, rib);
	json_rib_communities(js, rib);
	json_time(ctx, "last_change", "last_change_age", r->lastchange);
	json_name_or_null(js, "reason", r->reason[0] != '\0' ? r->reason :
	    NULL);
	if ((r->afs & (AFS_VPNV4 | AFS_VPNV6)) || r->vrf[0] != '\0')
		json_rib_vpn(js, r);
	json_end(js);
	ctx->items++;
}

static void
json_rts(struct json *js, const char *name, const ext_community_t *rts,
    size_t n)
{
	size_t	i;

	json_array(js, name);
	for (i = 0; i < n; i++)
		json_string(js, NULL, rt2str(rts[i]));
	json_end(js);
}

static void
json_vrf_sid(struct json *js, const struct ctl_show_vrf *v)
{
	char	buf[INET6_ADDRSTRLEN];

	json_string(js, "sid_mode", vrf_sid_mode_name(v->sid_mode));
	if (v->sid_mode == VRF_SID_EXPLICIT &&
	    inet_ntop(AF_INET6, &v->sid, buf, sizeof(buf)) != NULL)
		json_string(js, "sid", buf);
	else
		json_null(js, "sid");
	if (v->locator[0] != '\0')
		json_string(js, "locator", v->locator);
	else
		json_null(js, "locator");
}

static void	json_sid_object(struct json *, const struct ctl_show_sid *);

static void
json_vrf(struct output_ctx *ctx, const struct ctl_vrf *vrf)
{
	const struct ctl_show_vrf	*v = &vrf->v;
	struct json			*js = &ctx->json;
	size_t				 i;

	json_list(ctx);
	json_object(js, NULL);
	json_string(js, "name", v->name);
	json_uint(js, "table", v->table);
	json_string(js, "rd", rd2str(v->rd));
	json_rts(js, "import_targets", vrf->import_rt, v->n_import);
	json_rts(js, "export_targets", vrf->export_rt, v->n_export);
	json_vrf_sid(js, v);
	json_array(js, "interfaces");
	for (i = 0; i < v->n_ifaces; i++)
		json_string(js, NULL, vrf->ifaces[i]);
	json_end(js);
	json_array(js, "networks");
	for (i = 0; i < v->n_networks; i++)
		json_string(js, NULL, prefix2str(&vrf->networks[i]));
	json_end(js);
	json_bool(js, "network_connected",
	    (v->net_flags & VRF_NET_CONNECTED) != 0);
	json_bool(js, "network_kernel", (v->net_flags & VRF_NET_KERNEL) != 0);
	if (v->kernel_mode[0] != '\0')
		json_string(js, "kernel_mode", v->kernel_mode);
	else
		json_null(js, "kernel_mode");
	json_object(js, "routes");
	json_uint(js, "ipv4", v->routes4);
	json_uint(js, "ipv6", v->routes6);
	json_end(js);
	json_uint(js, "imported", v->imported);
	json_uint(js, "exported", v->exported);
	json_array(js, "sids");
	for (i = 0; i < v->n_sids; i++)
		json_sid_object(js, &vrf->sids[i]);
	json_end(js);
	json_end(js);
	ctx->items++;
}

/* One local SID: what the kernel does with it, and its counters. */
static void
json_sid_object(struct json *js, const struct ctl_show_sid *s)
{
	json_object(js, NULL);
	json_string(js, "sid", fmt_sid(&s->sid));
	json_name_or_null(js, "behavior", behavior_name(s->behavior));
	json_uint(js, "behavior_code", s->behavior);
	json_string(js, "family", sid_af_name(s->af));
	json_name_or_null(js, "vrf", s->vrf[0] != '\0' ? s->vrf : NULL);
	json_name_or_null(js, "locator", s->locator[0] != '\0' ?
	    s->locator : NULL);
	if (s->table != 0)
		json_uint(js, "table", s->table);
	else
		json_null(js, "table");
	json_addr(js, "nexthop", &s->nh);
	json_uint(js, "routes", s->routes);
	if (s->has_counters) {
		json_object(js, "counters");
		json_uint(js, "packets", s->packets);
		json_uint(js, "bytes", s->bytes);
		json_uint(js, "errors", s->errors);
		json_end(js);
	} else
		json_null(js, "counters");
	json_end(js);
}

static void
json_sid(struct output_ctx *ctx, const struct ctl_show_sid *s)
{
	json_list(ctx);
	json_sid_object(&ctx->json, s);
	ctx->items++;
}

static void
json_locator(struct output_ctx *ctx, const struct ctl_show_locator *l)
{
	struct json	*js = &ctx->json;

	json_list(ctx);
	json_object(js, NULL);
	json_string(js, "name", l->name);
	json_string(js, "prefix", prefix2str(&l->prefix));
	json_uint(js, "block_length", l->block_len);
	json_uint(js, "node_length", l->node_len);
	json_uint(js, "function_length", l->func_len);
	json_uint(js, "argument_length", l->arg_len);
	json_bool(js, "announce", l->announce != 0);
	json_uint(js, "sids", l->n_sids);
	json_end(js);
	ctx->items++;
}

static void
json_fib(struct output_ctx *ctx, const struct ctl_show_fib *f)
{
	struct json	*js = &ctx->json;

	json_object(js, "fib");
	json_name_or_null(js, "kernel_mode", f->kernel_mode[0] != '\0' ?
	    f->kernel_mode : NULL);
	json_uint(js, "routes", f->routes);
	json_uint(js, "sids", f->sids);
	json_uint(js, "nexthops", f->nexthops);
	json_object(js, "requests");
	json_uint(js, "sent", f->sent);
	json_uint(js, "acked", f->acked);
	json_uint(js, "failed", f->failed);
	json_uint(js, "pending", f->pending);
	json_end(js);
	json_uint(js, "adopted", f->adopted);
	json_uint(js, "stale_removed", f->stale_removed);
	json_uint(js, "resyncs", f->resyncs);
	/* the refusals follow: json_fib_error adds them, json_tail closes */
	json_array(js, "errors");
	ctx->items++;
}

static void
json_fib_error(struct output_ctx *ctx, const struct ctl_fib_error *e)
{
	struct json	*js = &ctx->json;

	json_object(js, NULL);
	json_time(ctx, "time", "age", e->time);
	json_string(js, "object", e->what);
	json_int(js, "errno", e->error);
	json_string(js, "errno_name", errno_name(e->error));
	json_string(js, "message", strerror(e->error));
	json_name_or_null(js, "extack", e->extack[0] != '\0' ? e->extack :
	    NULL);
	json_end(js);
}

/* Append a line to *dst (NULL: empty); false when out of memory. */
static bool
json_append(char **dst, const char *line)
{
	size_t	 old = *dst != NULL ? strlen(*dst) : 0;
	size_t	 len = strlen(line);
	char	*p;

	if ((p = realloc(*dst, old + len + 2)) == NULL)
		return false;
	if (old > 0 && p[old - 1] != '\n' && len > 0)
		p[old++] = '\n';
	memcpy(p + old, line, len + 1);
	*dst = p;
	return true;
}

/* The first failure decides the code; the messages are joined. */
static void
json_result(struct output_ctx *ctx, uint32_t code, const char *msg)
{
	if (!ctx->has_result || ctx->result == CTL_RES_OK)
		ctx->result = code;
	ctx->has_result = 1;
	json_append(&ctx->message, msg);
}

static void
json_error(struct output_ctx *ctx, const char *msg)
{
	fprintf(ctx->err, "srv6ctl: %s\n", msg);
	json_append(&ctx->error, msg);
}

static int
json_tail(struct output_ctx *ctx)
{
	struct json	*js = &ctx->json;

	/* An empty answer is an empty list, not a missing one. */
	if (ctx->items == 0 && ctx->error == NULL)
		json_list(ctx);
	while (js->depth > 1)
		json_end(js);
	if (ctx->has_result) {
		json_string(js, "result", result_name(ctx->result));
		json_string(js, "message", ctx->message);
	}
	if (ctx->error != NULL)
		json_string(js, "error", ctx->error);
	return json_finish(js);
}

const struct output json_output = {
	.head = json_head,
	.summary = json_summary,
	.neighbor = json_neighbor,
	.vrf = json_vrf,
	.rib = json_rib,
	.sid = json_sid,
	.locator = json_locator,
	.fib = json_fib,
	.fib_error = json_fib_error,
	.result = json_result,
	.error = json_error,
	.tail = json_tail,
};
