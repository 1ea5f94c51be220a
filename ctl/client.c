/*
 * srv6ctl's side of the control protocol: one request, then replies until
 * IMSG_CTL_END.  Every reply is checked (type expected for the request,
 * exact length, variable parts parsed with bounds) and decoded into C
 * structs before an output function sees it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

enum reply_status {
	REPLY_MORE,
	REPLY_END,
	REPLY_BAD,
};

void
output_ctx_init(struct output_ctx *ctx, FILE *out, FILE *err,
    const struct parse_result *res)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->out = out;
	ctx->err = err;
	ctx->res = res;
	ctx->now = time(NULL);
}

void
output_ctx_free(struct output_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nheld; i++)
		ctl_rib_free(&ctx->held[i]);
	free(ctx->held);
	ctx->held = NULL;
	ctx->nheld = ctx->held_cap = 0;
	free(ctx->message);
	free(ctx->error);
	ctx->message = ctx->error = NULL;
}

/* Neighbor commands: the address, for "down" then the reason if any. */
static int
ctl_request_neighbor(struct imsgbuf *ibuf, uint32_t type,
    const struct parse_result *res)
{
	struct ibuf	*b;
	size_t		 rlen = 0;

	if (type == IMSG_CTL_NEIGHBOR_DOWN && res->reason[0] != '\0')
		rlen = strlen(res->reason) + 1;
	if ((b = imsg_create(ibuf, type, 0, 0, sizeof(res->addr) + rlen)) ==
	    NULL)
		return -1;
	if (imsg_add(b, &res->addr, sizeof(res->addr)) == -1 ||
	    (rlen > 0 && imsg_add(b, res->reason, rlen) == -1))
		return -1;
	imsg_close(ibuf, b);
	return imsgbuf_flush(ibuf);
}

static const struct {
	enum actions	action;
	uint32_t	type;
} neighbor_requests[] = {
	{ NEIGHBOR_UP,		IMSG_CTL_NEIGHBOR_UP },
	{ NEIGHBOR_DOWN,	IMSG_CTL_NEIGHBOR_DOWN },
	{ NEIGHBOR_CLEAR,	IMSG_CTL_NEIGHBOR_CLEAR },
	{ NEIGHBOR_REFRESH,	IMSG_CTL_NEIGHBOR_REFRESH },
};

int
ctl_request(struct imsgbuf *ibuf, const struct parse_result *res)
{
	const void	*data = NULL;
	size_t		 len = 0, i;
	uint32_t	 type, verbose;

	for (i = 0; i < sizeof(neighbor_requests) /
	    sizeof(neighbor_requests[0]); i++)
		if (neighbor_requests[i].action == res->action)
			return ctl_request_neighbor(ibuf,
			    neighbor_requests[i].type, res);
	switch (res->action) {
	case SHOW_SUMMARY:
		type = IMSG_CTL_SHOW_SUMMARY;
		break;
	case SHOW_NEIGHBOR:
		type = IMSG_CTL_SHOW_NEIGHBOR;
		if (res->addr.af != AF_UNSPEC) {
			data = &res->addr;
			len = sizeof(res->addr);
		}
		break;
	case SHOW_VRF:
		type = IMSG_CTL_SHOW_VRF;
		if (res->name[0] != '\0') {
			data = res->name;
			len = strlen(res->name) + 1;
		}
		break;
	case SHOW_RIB:
		type = IMSG_CTL_SHOW_RIB;
		data = &res->rib;
		len = sizeof(res->rib);
		break;
	case SHOW_SID:
		type = IMSG_CTL_SHOW_SID;
		break;
	case SHOW_LOCATOR:
		type = IMSG_CTL_SHOW_LOCATOR;
		break;
	case SHOW_FIB:
		type = IMSG_CTL_SHOW_FIB;
		break;
	case RELOAD:
		type = IMSG_CTL_RELOAD;
		break;
	case LOG_VERBOSE:
	case LOG_BRIEF:
		type = IMSG_CTL_LOG_VERBOSE;
		verbose = res->action == LOG_VERBOSE;
		data = &verbose;
		len = sizeof(verbose);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (imsg_compose(ibuf, type, 0, 0, -1, data, len) == -1)
		return -1;
	return imsgbuf_flush(ibuf);
}

void
ctl_vrf_free(struct ctl_vrf *vrf)
{
	free(vrf->import_rt);
	free(vrf->export_rt);
	free(vrf->ifaces);
	free(vrf->networks);
	free(vrf->sids);
	memset(vrf, 0, sizeof(*vrf));
}

/* Copy n elements of size sz out of buf into a new array (NULL if n=0). */
static int
ctl_get_array(struct ibuf *buf, void *dstp, size_t n, size_t sz)
{
	void	**dst = dstp;

	*dst = NULL;
	if (n == 0)
		return 0;
	if ((*dst = calloc(n, sz)) == NULL)
		return -1;
	return ibuf_get(buf, *dst, n * sz);
}

static int
ctl_check_af(const struct srv6d_addr *a, int unspec_ok)
{
	return a->af == AF_INET || a->af == AF_INET6 ||
	    (unspec_ok && a->af == AF_UNSPEC);
}

/* A local SID: its strings terminated, its families known. */
static int
ctl_check_sid(struct ctl_show_sid *s)
{
	s->vrf[sizeof(s->vrf) - 1] = '\0';
	s->locator[sizeof(s->locator) - 1] = '\0';
	if (!ctl_check_af(&s->nh, 1) || (s->af != AF_UNSPEC &&
	    s->af != AF_INET && s->af != AF_INET6)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/*
 * IMSG_CTL_SHOW_VRF: struct ctl_show_vrf, then n_import + n_export route
 * targets, n_ifaces names, n_networks prefixes, n_sids struct
 * ctl_show_sid, and nothing else.
 */
int
ctl_decode_vrf(struct imsg *imsg, struct ctl_vrf *vrf)
{
	struct ibuf	*buf = &imsg->buf;
	struct ctl_show_vrf *v = &vrf->v;
	size_t		 need, i;

	memset(vrf, 0, sizeof(*vrf));
	if (ibuf_get(buf, v, sizeof(*v)) == -1)
		return -1;
	need = ((size_t)v->n_import + v->n_export) * sizeof(ext_community_t) +
	    (size_t)v->n_ifaces * IFNAMSIZ +
	    (size_t)v->n_networks * sizeof(struct srv6d_prefix) +
	    (size_t)v->n_sids * sizeof(struct ctl_show_sid);
	if (ibuf_left(buf) != need) {
		errno = EBADMSG;
		return -1;
	}
	if (ctl_get_array(buf, &vrf->import_rt, v->n_import,
	    sizeof(ext_community_t)) == -1 ||
	    ctl_get_array(buf, &vrf->export_rt, v->n_export,
	    sizeof(ext_community_t)) == -1 ||
	    ctl_get_array(buf, &vrf->ifaces, v->n_ifaces, IFNAMSIZ) == -1 ||
	    ctl_get_array(buf, &vrf->networks, v->n_networks,
	    sizeof(struct srv6d_prefix)) == -1 ||
	    ctl_get_array(buf, &vrf->sids, v->n_sids,
	    sizeof(struct ctl_show_sid)) == -1)
		goto bad;
	for (i = 0; i < v->n_sids; i++)
		if (ctl_check_sid(&vrf->sids[i]) == -1)
			goto bad;
	v->name[sizeof(v->name) - 1] = '\0';
	v->locator[sizeof(v->locator) - 1] = '\0';
	v->kernel_mode[sizeof(v->kernel_mode) - 1] = '\0';
	for (i = 0; i < v->n_ifaces; i++)
		vrf->ifaces[i][IFNAMSIZ - 1] = '\0';
	return 0;
 bad:
	ctl_vrf_free(vrf);
	return -1;
}

/* IMSG_CTL_SHOW_SID: exactly one struct ctl_show_sid. */
int
ctl_decode_sid(struct imsg *imsg, struct ctl_show_sid *s)
{
	if (imsg_get_data(imsg, s, sizeof(*s)) == -1)
		return -1;
	return ctl_check_sid(s);
}

/* IMSG_CTL_SHOW_FIB: exactly one struct ctl_show_fib. */
int
ctl_decode_fib(struct imsg *imsg, struct ctl_show_fib *f)
{
	if (imsg_get_data(imsg, f, sizeof(*f)) == -1)
		return -1;
	f->kernel_mode[sizeof(f->kernel_mode) - 1] = '\0';
	return 0;
}

/* IMSG_CTL_SHOW_FIB_ERROR: exactly one struct ctl_fib_error. */
int
ctl_decode_fib_error(struct imsg *imsg, struct ctl_fib_error *e)
{
	if (imsg_get_data(imsg, e, sizeof(*e)) == -1)
		return -1;
	e->what[sizeof(e->what) - 1] = '\0';
	e->extack[sizeof(e->extack) - 1] = '\0';
	if (e->error <= 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* IMSG_CTL_SHOW_LOCATOR: exactly one struct ctl_show_locator. */
int
ctl_decode_locator(struct imsg *imsg, struct ctl_show_locator *l)
{
	if (imsg_get_data(imsg, l, sizeof(*l)) == -1)
		return -1;
	l->name[sizeof(l->name) - 1] = '\0';
	if (l->prefix.addr.af != AF_INET6 || l->prefix.len > 128) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

void
ctl_rib_free(struct ctl_rib *rib)
{
	free(rib->aspath);
	free(rib->communities);
	free(rib->large);
	free(rib->ext);
	free(rib->cluster);
	memset(rib, 0, sizeof(*rib));
}

/* Every segment header has a known type and its ASNs fit the path. */
static int
ctl_check_aspath(const uint32_t *words, size_t n)
{
	size_t	i = 0, count;

	while (i < n) {
		if (aspath_segment_name(words[i] >> 16) == NULL)
			return -1;
		count = words[i] & 0xffff;
		if (count > n - i - 1)
			return -1;
		i += 1 + count;
	}
	return 0;
}

static int
ctl_check_rib(const struct ctl_rib *rib)
{
	const struct ctl_show_rib	*r = &rib->r;

	if (!ctl_check_af(&r->prefix.addr, 0) ||
	    r->prefix.len > (r->prefix.addr.af == AF_INET ? 32 : 128) ||
	    !ctl_check_af(&r->neighbor, 1) || !ctl_check_af(&r->nexthop, 1))
		return -1;
	return ctl_check_aspath(rib->aspath, r->n_aspath);
}

/*
 * IMSG_CTL_SHOW_RIB: struct ctl_show_rib, then the AS path words,
 * communities, large communities (3 words each), extended communities
 * and the cluster list, and nothing else.
 */
int
ctl_decode_rib(struct imsg *imsg, struct ctl_rib *rib)
{
	struct ibuf		*buf = &imsg->buf;
	struct ctl_show_rib	*r = &rib->r;
	size_t			 need;

	memset(rib, 0, sizeof(*rib));
	if (ibuf_get(buf, r, sizeof(*r)) == -1)
		return -1;
	need = ((size_t)r->n_aspath + r->n_communities + r->n_cluster +
	    (size_t)r->n_large_communities * 3) * sizeof(uint32_t) +
	    (size_t)r->n_ext_communities * sizeof(uint64_t);
	if (ibuf_left(buf) != need) {
		errno = EBADMSG;
		return -1;
	}
	if (ctl_get_array(buf, &rib->aspath, r->n_aspath, 4) == -1 ||
	    ctl_get_array(buf, &rib->communities, r->n_communities, 4) == -1 ||
	    ctl_get_array(buf, &rib->large, (size_t)r->n_large_communities * 3,
	    4) == -1 ||
	    ctl_get_array(buf, &rib->ext, r->n_ext_communities, 8) == -1 ||
	    ctl_get_array(buf, &rib->cluster, r->n_cluster, 4) == -1)
		goto bad;
	r->reason[sizeof(r->reason) - 1] = '\0';
	r->vrf[sizeof(r->vrf) - 1] = '\0';
	if (ctl_check_rib(rib) == -1) {
		errno = EBADMSG;
		goto bad;
	}
	return 0;
 bad:
	ctl_rib_free(rib);
	return -1;
}

/* A deep copy of a decoded path (text output holds VPN paths). */
int
ctl_rib_dup(struct ctl_rib *dst, const struct ctl_rib *src)
{
	const struct ctl_show_rib	*r = &src->r;
	struct ibuf			 b;

	memset(dst, 0, sizeof(*dst));
	dst->r = *r;
#define DUP(f, n, sz)	do {						\
	ibuf_from_buffer(&b, src->f, (size_t)(n) * (sz));		\
	if (ctl_get_array(&b, &dst->f, (n), (sz)) == -1)		\
		goto bad;						\
} while (0)
	DUP(aspath, r->n_aspath, 4);
	DUP(communities, r->n_communities, 4);
	DUP(large, (size_t)r->n_large_communities * 3, 4);
	DUP(ext, r->n_ext_communities, 8);
	DUP(cluster, r->n_cluster, 4);
#undef DUP
	return 0;
 bad:
	ctl_rib_free(dst);
	return -1;
}

static enum reply_status
ctl_reply_sid(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_show_sid	s;

	if (ctl_decode_sid(imsg, &s) == -1)
		return REPLY_BAD;
	out->sid(ctx, &s);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_locator(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_show_locator	l;

	if (ctl_decode_locator(imsg, &l) == -1)
		return REPLY_BAD;
	out->locator(ctx, &l);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_fib(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_show_fib	f;

	if (ctx->fib_seen || ctl_decode_fib(imsg, &f) == -1)
		return REPLY_BAD;
	ctx->fib_seen = 1;
	ctx->fib_errors = f.n_errors;
	out->fib(ctx, &f);
	return REPLY_MORE;
}

/* As many refusals as show fib announced, after it. */
static enum reply_status
ctl_reply_fib_error(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_fib_error	e;

	if (!ctx->fib_seen || ctx->fib_errors == 0 ||
	    ctl_decode_fib_error(imsg, &e) == -1)
		return REPLY_BAD;
	ctx->fib_errors--;
	out->fib_error(ctx, &e);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_rib(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_rib	rib;

	if (ctl_decode_rib(imsg, &rib) == -1)
		return REPLY_BAD;
	out->rib(ctx, &rib);
	ctl_rib_free(&rib);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_summary(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_show_summary	s;

	if (imsg_get_data(imsg, &s, sizeof(s)) == -1)
		return REPLY_BAD;
	s.version[sizeof(s.version) - 1] = '\0';
	s.kernel_mode[sizeof(s.kernel_mode) - 1] = '\0';
	out->summary(ctx, &s);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_neighbor(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_show_neighbor	n;

	if (imsg_get_data(imsg, &n, sizeof(n)) == -1)
		return REPLY_BAD;
	n.descr[sizeof(n.descr) - 1] = '\0';
	n.group[sizeof(n.group) - 1] = '\0';
	n.last_sent_reason[sizeof(n.last_sent_reason) - 1] = '\0';
	n.last_recv_reason[sizeof(n.last_recv_reason) - 1] = '\0';
	out->neighbor(ctx, &n);
	return REPLY_MORE;
}

static enum reply_status
ctl_reply_vrf(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx)
{
	struct ctl_vrf	vrf;

	if (ctl_decode_vrf(imsg, &vrf) == -1)
		return REPLY_BAD;
	out->vrf(ctx, &vrf);
	ctl_vrf_free(&vrf);
	return REPLY_MORE;
}

/* IMSG_CTL_RESULT: u32 code, then a text that ends at the last byte. */
static enum reply_status
ctl_reply_result(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx, int *failed)
{
	struct ibuf	*buf = &imsg->buf;
	const char	*text;
	uint32_t	 code;
	size_t		 left;

	if (ibuf_get_u32(buf, &code) == -1 || (left = ibuf_left(buf)) == 0)
		return REPLY_BAD;
	text = ibuf_data(buf);
	if (memchr(text, '\0', left) != text + left - 1)
		return REPLY_BAD;
	if (code != CTL_RES_OK)
		*failed = 1;
	out->result(ctx, code, text);
	return REPLY_MORE;
}

/* The reply type a request expects besides RESULT and END. */
static uint32_t
ctl_reply_type(enum actions action)
{
	switch (action) {
	case SHOW_SUMMARY:
		return IMSG_CTL_SHOW_SUMMARY;
	case SHOW_NEIGHBOR:
		return IMSG_CTL_SHOW_NEIGHBOR;
	case SHOW_VRF:
		return IMSG_CTL_SHOW_VRF;
	case SHOW_RIB:
		return IMSG_CTL_SHOW_RIB;
	case SHOW_SID:
		return IMSG_CTL_SHOW_SID;
	case SHOW_LOCATOR:
		return IMSG_CTL_SHOW_LOCATOR;
	case SHOW_FIB:
		return IMSG_CTL_SHOW_FIB;
	default:
		return IMSG_NONE;
	}
}

static enum reply_status
ctl_reply(struct imsg *imsg, const struct output *out,
    struct output_ctx *ctx, int *failed)
{
	uint32_t	type = imsg->hdr.type;

	if (type == IMSG_CTL_END)
		return imsg_get_len(imsg) == 0 && ctx->fib_errors == 0 ?
		    REPLY_END : REPLY_BAD;
	if (type == IMSG_CTL_RESULT)
		return ctl_reply_result(imsg, out, ctx, failed);
	/* show summary is followed by the neighbor list, show fib by the
	   recent refusals */
	if (type != ctl_reply_type(ctx->res->action) &&
	    !(ctx->res->action == SHOW_SUMMARY &&
	    type == IMSG_CTL_SHOW_NEIGHBOR) &&
	    !(ctx->res->action == SHOW_FIB &&
	    type == IMSG_CTL_SHOW_FIB_ERROR))
		return REPLY_BAD;
	switch (type) {
	case IMSG_CTL_SHOW_SUMMARY:
		return ctl_reply_summary(imsg, out, ctx);
	case IMSG_CTL_SHOW_NEIGHBOR:
		return ctl_reply_neighbor(imsg, out, ctx);
	case IMSG_CTL_SHOW_VRF:
		return ctl_reply_vrf(imsg, out, ctx);
	case IMSG_CTL_SHOW_RIB:
		return ctl_reply_rib(imsg, out, ctx);
	case IMSG_CTL_SHOW_SID:
		return ctl_reply_sid(imsg, out, ctx);
	case IMSG_CTL_SHOW_LOCATOR:
		return ctl_reply_locator(imsg, out, ctx);
	case IMSG_CTL_SHOW_FIB:
		return ctl_reply_fib(imsg, out, ctx);
	case IMSG_CTL_SHOW_FIB_ERROR:
		return ctl_reply_fib_error(imsg, out, ctx);
	}
	return REPLY_BAD;
}

static void
ctl_fail(const struct output *out, struct output_ctx *ctx, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
ctl_fail(const struct output *out, struct output_ctx *ctx, const char *fmt,
    ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out->error(ctx, msg);
}

/* The next message, reading as needed: 1, 0 at EOF, -1 on error. */
static int
ctl_next(struct imsgbuf *ibuf, struct imsg *imsg)
{
	ssize_t	n;

	for (;;) {
		if ((n = imsg_get(ibuf, imsg)) != 0)
			return n > 0 ? 1 : -1;
		if ((n = imsgbuf_read(ibuf)) == 0)
			return 0;
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

/*
 * Read and print replies until IMSG_CTL_END.  Returns 0 when everything
 * was received and every result was OK, else 1 (after telling the user).
 */
int
ctl_replies(struct imsgbuf *ibuf, const struct output *out,
    struct output_ctx *ctx)
{
	struct imsg		imsg;
	enum reply_status	st;
	uint32_t		type;
	int			failed = 0, n;

	for (;;) {
		if ((n = ctl_next(ibuf, &imsg)) == 0) {
			ctl_fail(out, ctx, "connection closed by srv6d before "
			    "the end of the reply");
			return 1;
		}
		if (n == -1) {
			ctl_fail(out, ctx, "read reply: %s", strerror(errno));
			return 1;
		}
		type = imsg.hdr.type;
		st = ctl_reply(&imsg, out, ctx, &failed);
		imsg_free(&imsg);
		if (st == REPLY_END)
			return failed;
		if (st == REPLY_BAD) {
			ctl_fail(out, ctx, "malformed reply from srv6d "
			    "(type %u, %zu bytes)", type,
			    (size_t)imsg.hdr.len - IMSG_HEADER_SIZE);
			return 1;
		}
	}
}

/*
 * The whole exchange over a connected socket: the request, the replies
 * and one complete output.  Returns srv6ctl's exit status (0 or 1).
 */
int
ctl_run(int fd, const struct output *out, struct output_ctx *ctx)
{
	struct imsgbuf	ibuf;
	int		rv;

	imsgbuf_init(&ibuf, fd);
	out->head(ctx);
	if (ctl_request(&ibuf, ctx->res) == -1) {
		ctl_fail(out, ctx, "send request: %s", strerror(errno));
		rv = 1;
	} else
		rv = ctl_replies(&ibuf, out, ctx);
	if (out->tail(ctx) == -1)
		rv = 1;
	imsgbuf_clear(&ibuf);
	return rv;
}
