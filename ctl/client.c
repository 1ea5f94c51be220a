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
	free(ctx->message);
	free(ctx->error);
	ctx->message = ctx->error = NULL;
}

int
ctl_request(struct imsgbuf *ibuf, const struct parse_result *res)
{
	const void	*data = NULL;
	size_t		 len = 0;
	uint32_t	 type, verbose;

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

/*
 * IMSG_CTL_SHOW_VRF: struct ctl_show_vrf, then n_import + n_export route
 * targets, n_ifaces names, n_networks prefixes, and nothing else.
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
	    (size_t)v->n_networks * sizeof(struct srv6d_prefix);
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
	    sizeof(struct srv6d_prefix)) == -1) {
		ctl_vrf_free(vrf);
		return -1;
	}
	v->name[sizeof(v->name) - 1] = '\0';
	v->locator[sizeof(v->locator) - 1] = '\0';
	v->kernel_mode[sizeof(v->kernel_mode) - 1] = '\0';
	for (i = 0; i < v->n_ifaces; i++)
		vrf->ifaces[i][IFNAMSIZ - 1] = '\0';
	return 0;
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
		return imsg_get_len(imsg) == 0 ? REPLY_END : REPLY_BAD;
	if (type == IMSG_CTL_RESULT)
		return ctl_reply_result(imsg, out, ctx, failed);
	if (type != ctl_reply_type(ctx->res->action))
		return REPLY_BAD;
	switch (type) {
	case IMSG_CTL_SHOW_SUMMARY:
		return ctl_reply_summary(imsg, out, ctx);
	case IMSG_CTL_SHOW_NEIGHBOR:
		return ctl_reply_neighbor(imsg, out, ctx);
	case IMSG_CTL_SHOW_VRF:
		return ctl_reply_vrf(imsg, out, ctx);
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
