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
	if (ctx->res->action == SHOW_NEIGHBOR)
		json_array(&ctx->json, "neighbors");
	else if (ctx->res->action == SHOW_VRF)
		json_array(&ctx->json, "vrfs");
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
json_afs(struct json *js, uint8_t afs)
{
	const char	*name;
	uint8_t		 flag;
	size_t		 i;

	json_array(js, "address_families");
	for (i = 0; (name = afs_name(i, &flag)) != NULL; i++)
		if (afs & flag)
			json_string(js, NULL, name);
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
	if (n->local_addr.af != AF_UNSPEC)
		json_string(js, "local_address", addr2str(&n->local_addr));
	else
		json_null(js, "local_address");
	if (n->holdtime != 0)
		json_uint(js, "holdtime", n->holdtime);
	else
		json_null(js, "holdtime");
	json_afs(js, n->afs);
	json_bool(js, "tcp_md5", n->md5 != 0);
	json_bool(js, "passive", (n->flags & NEIGH_F_PASSIVE) != 0);
	json_bool(js, "ttl_security", (n->flags & NEIGH_F_TTL_SECURITY) != 0);
	json_bool(js, "admin_down", (n->flags & NEIGH_F_DOWN) != 0);
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
	json_end(js);
	ctx->items++;
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
	.result = json_result,
	.error = json_error,
	.tail = json_tail,
};
