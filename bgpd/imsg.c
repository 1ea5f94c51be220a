/*
 * imsg and ibuf: framed messages between srv6d's processes (and srv6ctl).
 *
 * Written for srv6d.  A channel is a connected unix stream socket; each
 * message is a 20 byte header (see imsg.h) followed by its payload.  The
 * writer keeps a queue of finished messages and sends as much as the
 * socket takes; the reader accumulates bytes and hands out whole messages,
 * however the kernel split or joined them.  An fd travels with the first
 * byte of its message via SCM_RIGHTS.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#define IMSG_READ_CHUNK		(64 * 1024)	/* initial read buffer */
#define IMSG_RBUF_MAX		(4 * MAX_IMSGSIZE)
#define IMSG_MAXFDS		((int)(sizeof(((struct imsgbuf *)0)->rfds) / \
				    sizeof(int)))
#define IMSG_IOV_MAX		64		/* buffers per sendmsg */

/* Offsets of the header fields imsg_close fills in. */
#define IMSG_HDR_LEN_OFF	offsetof(struct imsg_hdr, len)
#define IMSG_HDR_FLAGS_OFF	offsetof(struct imsg_hdr, flags)

_Static_assert(sizeof(struct imsg_hdr) == IMSG_HEADER_SIZE,
    "imsg header must be packed to 20 bytes");

/* ------------------------------------------------------------------ */
/* ibuf: write side                                                    */
/* ------------------------------------------------------------------ */

struct ibuf *
ibuf_open(size_t len)
{
	return ibuf_dynamic(len, len);
}

struct ibuf *
ibuf_dynamic(size_t len, size_t max)
{
	struct ibuf	*buf;

	if (max < len) {
		errno = EINVAL;
		return NULL;
	}
	if ((buf = calloc(1, sizeof(*buf))) == NULL)
		return NULL;
	if (len > 0 && (buf->buf = malloc(len)) == NULL) {
		free(buf);
		return NULL;
	}
	buf->size = len;
	buf->max = max;
	buf->fd = -1;
	return buf;
}

/*
 * Make room for len more bytes.  Growth doubles so that many small adds
 * stay linear, but never past the buffer's limit.
 */
static int
ibuf_grow(struct ibuf *buf, size_t len)
{
	uint8_t	*nb;
	size_t	 need, nsize;

	if (len > buf->max - buf->wpos) {
		errno = ERANGE;
		return -1;
	}
	need = buf->wpos + len;
	if (need <= buf->size)
		return 0;
	nsize = buf->size < 64 ? 64 : buf->size;
	while (nsize < need)
		nsize = nsize > buf->max / 2 ? buf->max : nsize * 2;
	if (nsize > buf->max)
		nsize = buf->max;
	if ((nb = realloc(buf->buf, nsize)) == NULL)
		return -1;
	buf->buf = nb;
	buf->size = nsize;
	return 0;
}

void *
ibuf_reserve(struct ibuf *buf, size_t len)
{
	void	*p;

	if (ibuf_grow(buf, len) == -1)
		return NULL;
	p = buf->buf + buf->wpos;
	buf->wpos += len;
	return p;
}

int
ibuf_add(struct ibuf *buf, const void *data, size_t len)
{
	void	*p;

	if ((p = ibuf_reserve(buf, len)) == NULL)
		return -1;
	if (len > 0)
		memcpy(p, data, len);
	return 0;
}

int
ibuf_add_zero(struct ibuf *buf, size_t len)
{
	void	*p;

	if ((p = ibuf_reserve(buf, len)) == NULL)
		return -1;
	if (len > 0)
		memset(p, 0, len);
	return 0;
}

int
ibuf_add_u8(struct ibuf *buf, uint8_t v)
{
	return ibuf_add(buf, &v, sizeof(v));
}

int
ibuf_add_u16(struct ibuf *buf, uint16_t v)
{
	return ibuf_add(buf, &v, sizeof(v));
}

int
ibuf_add_u32(struct ibuf *buf, uint32_t v)
{
	return ibuf_add(buf, &v, sizeof(v));
}

int
ibuf_add_u64(struct ibuf *buf, uint64_t v)
{
	return ibuf_add(buf, &v, sizeof(v));
}

int
ibuf_add_n16(struct ibuf *buf, uint16_t v)
{
	v = htons(v);
	return ibuf_add(buf, &v, sizeof(v));
}

int
ibuf_add_n32(struct ibuf *buf, uint32_t v)
{
	v = htonl(v);
	return ibuf_add(buf, &v, sizeof(v));
}

/* Length first, so the reader can bound it before copying. */
int
ibuf_add_string(struct ibuf *buf, const char *s)
{
	size_t	 len = strlen(s);
	size_t	 start = buf->wpos;

	if (len > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	if (ibuf_add_u16(buf, (uint16_t)len) == -1)
		return -1;
	if (ibuf_add(buf, s, len) == -1) {
		buf->wpos = start;	/* all or nothing */
		return -1;
	}
	return 0;
}

void *
ibuf_seek(struct ibuf *buf, size_t pos, size_t len)
{
	if (pos > buf->wpos || len > buf->wpos - pos) {
		errno = ERANGE;
		return NULL;
	}
	return buf->buf + pos;
}

size_t
ibuf_size(const struct ibuf *buf)
{
	return buf->wpos;
}

size_t
ibuf_left(const struct ibuf *buf)
{
	return buf->wpos - buf->rpos;
}

const void *
ibuf_data(const struct ibuf *buf)
{
	if (buf->buf == NULL)
		return NULL;
	return buf->buf + buf->rpos;
}

void
ibuf_free(struct ibuf *buf)
{
	int	saved_errno;

	if (buf == NULL)
		return;
	saved_errno = errno;
	if (buf->fd != -1)
		close(buf->fd);
	free(buf->buf);
	free(buf);
	errno = saved_errno;
}

/* ------------------------------------------------------------------ */
/* ibuf: read side.  Every get is all or nothing: on failure the read   */
/* position does not move.                                             */
/* ------------------------------------------------------------------ */

/*
 * A read-only view of someone else's bytes: never ibuf_free() it.  The
 * cast drops const only because struct ibuf is shared with the writers;
 * the get functions never write through it.
 */
void
ibuf_from_buffer(struct ibuf *buf, const void *data, size_t len)
{
	memset(buf, 0, sizeof(*buf));
	buf->buf = (uint8_t *)(uintptr_t)data;
	buf->size = buf->max = buf->wpos = len;
	buf->fd = -1;
}

int
ibuf_get(struct ibuf *buf, void *dst, size_t len)
{
	if (len > ibuf_left(buf)) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(dst, buf->buf + buf->rpos, len);
	buf->rpos += len;
	return 0;
}

int
ibuf_get_u8(struct ibuf *buf, uint8_t *v)
{
	return ibuf_get(buf, v, sizeof(*v));
}

int
ibuf_get_u16(struct ibuf *buf, uint16_t *v)
{
	return ibuf_get(buf, v, sizeof(*v));
}

int
ibuf_get_u32(struct ibuf *buf, uint32_t *v)
{
	return ibuf_get(buf, v, sizeof(*v));
}

int
ibuf_get_u64(struct ibuf *buf, uint64_t *v)
{
	return ibuf_get(buf, v, sizeof(*v));
}

int
ibuf_get_n16(struct ibuf *buf, uint16_t *v)
{
	uint16_t	n;

	if (ibuf_get(buf, &n, sizeof(n)) == -1)
		return -1;
	*v = ntohs(n);
	return 0;
}

int
ibuf_get_n32(struct ibuf *buf, uint32_t *v)
{
	uint32_t	n;

	if (ibuf_get(buf, &n, sizeof(n)) == -1)
		return -1;
	*v = ntohl(n);
	return 0;
}

/*
 * The string must fit dst with its NUL and must not hold a NUL itself:
 * an embedded NUL would let two different wire strings compare equal.
 */
int
ibuf_get_string(struct ibuf *buf, char *dst, size_t dstlen)
{
	size_t		 start = buf->rpos;
	uint16_t	 len;

	if (ibuf_get_u16(buf, &len) == -1)
		return -1;
	if (len > ibuf_left(buf) || len >= dstlen ||
	    memchr(buf->buf + buf->rpos, '\0', len) != NULL) {
		buf->rpos = start;
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(dst, buf->buf + buf->rpos, len);
	dst[len] = '\0';
	buf->rpos += len;
	return 0;
}

int
ibuf_skip(struct ibuf *buf, size_t len)
{
	if (len > ibuf_left(buf)) {
		errno = EBADMSG;
		return -1;
	}
	buf->rpos += len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* imsgbuf: channels                                                   */
/* ------------------------------------------------------------------ */

void
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	memset(ibuf, 0, sizeof(*ibuf));
	TAILQ_INIT(&ibuf->wq);
	ibuf->fd = fd;
	ibuf->pid = getpid();
}

/* Frees both queues and closes fds not yet sent or taken; keeps ibuf->fd. */
void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct ibuf	*buf;
	int		 i;

	while ((buf = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		TAILQ_REMOVE(&ibuf->wq, buf, entry);
		ibuf_free(buf);
	}
	ibuf->queued = 0;
	for (i = 0; i < ibuf->nrfds; i++)
		close(ibuf->rfds[i]);
	ibuf->nrfds = 0;
	free(ibuf->rbuf);
	ibuf->rbuf = NULL;
	ibuf->rpos = ibuf->rlen = ibuf->rsize = 0;
}

uint32_t
imsgbuf_queuelen(const struct imsgbuf *ibuf)
{
	return ibuf->queued;
}

/*
 * Length announced by the header of the first unprocessed message: 0 if
 * the header is not complete yet, -1 with EBADMSG if it is invalid.
 */
static ssize_t
imsg_pending_len(const struct imsgbuf *ibuf)
{
	struct imsg_hdr	 hdr;

	if (ibuf->rlen - ibuf->rpos < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf + ibuf->rpos, sizeof(hdr));
	if (hdr.len < IMSG_HEADER_SIZE || hdr.len > MAX_IMSGSIZE) {
		errno = EBADMSG;
		return -1;
	}
	return hdr.len;
}

/*
 * Make room in the read buffer: drop what imsg_get consumed, then grow
 * so that the pending message fits whole (it may be up to MAX_IMSGSIZE).
 */
static int
imsgbuf_rbuf_room(struct imsgbuf *ibuf)
{
	uint8_t	*nb;
	size_t	 want;
	ssize_t	 plen;

	if (ibuf->rpos > 0) {
		memmove(ibuf->rbuf, ibuf->rbuf + ibuf->rpos,
		    ibuf->rlen - ibuf->rpos);
		ibuf->rlen -= ibuf->rpos;
		ibuf->rpos = 0;
	}
	want = ibuf->rsize < IMSG_READ_CHUNK ? IMSG_READ_CHUNK : ibuf->rsize;
	if ((plen = imsg_pending_len(ibuf)) == -1)
		return -1;	/* no use reading on: imsg_get refuses it */
	if ((size_t)plen > want)
		want = (size_t)plen;
	if (ibuf->rlen == want)	/* complete messages the caller left */
		want *= 2;
	if (want > IMSG_RBUF_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	if (want == ibuf->rsize)
		return 0;
	if ((nb = realloc(ibuf->rbuf, want)) == NULL)
		return -1;
	ibuf->rbuf = nb;
	ibuf->rsize = want;
	return 0;
}

/* Queue received fds in order; those beyond our capacity are closed. */
static void
imsgbuf_take_fds(struct imsgbuf *ibuf, struct msghdr *msg)
{
	struct cmsghdr	*cm;
	int		*fds, i, n;

	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		fds = (int *)CMSG_DATA(cm);
		n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < n; i++) {
			int	fd;

			memcpy(&fd, &fds[i], sizeof(fd));
			if (ibuf->nrfds < IMSG_MAXFDS)
				ibuf->rfds[ibuf->nrfds++] = fd;
			else
				close(fd);
		}
	}
}

ssize_t
imsgbuf_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * IMSG_MAXFDS)];
	} cmsgbuf;
	struct iovec	 iov;
	struct msghdr	 msg;
	ssize_t		 n;

	if (imsgbuf_rbuf_room(ibuf) == -1)
		return -1;
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = ibuf->rsize - ibuf->rlen;
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	if ((n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC)) == -1)
		return -1;
	imsgbuf_take_fds(ibuf, &msg);
	ibuf->rlen += (size_t)n;
	return n;
}

ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	size_t	 avail, datalen;
	uint8_t	*data = NULL;

	avail = ibuf->rlen - ibuf->rpos;
	if (avail < IMSG_HEADER_SIZE)
		return 0;
	if (imsg_pending_len(ibuf) == -1)
		return -1;
	memcpy(&imsg->hdr, ibuf->rbuf + ibuf->rpos, IMSG_HEADER_SIZE);
	if (avail < imsg->hdr.len)
		return 0;

	datalen = imsg->hdr.len - IMSG_HEADER_SIZE;
	if (datalen > 0) {
		if ((data = malloc(datalen)) == NULL)
			return -1;	/* nothing consumed: retry later */
		memcpy(data, ibuf->rbuf + ibuf->rpos + IMSG_HEADER_SIZE,
		    datalen);
	}
	imsg->data = data;
	ibuf_from_buffer(&imsg->buf, data, datalen);
	imsg->fd = -1;
	if ((imsg->hdr.flags & IMSGF_HASFD) && ibuf->nrfds > 0) {
		imsg->fd = ibuf->rfds[0];
		ibuf->nrfds--;
		memmove(&ibuf->rfds[0], &ibuf->rfds[1],
		    (size_t)ibuf->nrfds * sizeof(int));
	}

	ibuf->rpos += imsg->hdr.len;
	if (ibuf->rpos == ibuf->rlen)
		ibuf->rpos = ibuf->rlen = 0;
	return (ssize_t)imsg->hdr.len;
}

/* ------------------------------------------------------------------ */
/* Composing                                                           */
/* ------------------------------------------------------------------ */

struct ibuf *
imsg_create(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    size_t datalen)
{
	struct ibuf	*wbuf;
	struct imsg_hdr	 hdr;

	if (datalen > MAX_IMSGSIZE - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return NULL;
	}
	if ((wbuf = ibuf_dynamic(datalen + IMSG_HEADER_SIZE,
	    MAX_IMSGSIZE)) == NULL)
		return NULL;
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.peerid = peerid;
	hdr.pid = pid != 0 ? (uint32_t)pid : (uint32_t)ibuf->pid;
	if (ibuf_add(wbuf, &hdr, sizeof(hdr)) == -1) {
		ibuf_free(wbuf);
		return NULL;
	}
	return wbuf;
}

/*
 * On failure the message is freed: a caller chaining several adds then
 * simply returns, and a NULL from imsg_create falls through the same way.
 */
int
imsg_add(struct ibuf *wbuf, const void *data, size_t len)
{
	if (wbuf == NULL)
		return -1;
	if (ibuf_add(wbuf, data, len) == -1) {
		ibuf_free(wbuf);
		return -1;
	}
	return 0;
}

void
imsg_close(struct imsgbuf *ibuf, struct ibuf *wbuf)
{
	uint32_t	 len, flags;

	if (wbuf == NULL)
		return;
	len = (uint32_t)ibuf_size(wbuf);
	memcpy(wbuf->buf + IMSG_HDR_LEN_OFF, &len, sizeof(len));
	memcpy(&flags, wbuf->buf + IMSG_HDR_FLAGS_OFF, sizeof(flags));
	if (wbuf->fd != -1)
		flags |= IMSGF_HASFD;
	else
		flags &= ~(uint32_t)IMSGF_HASFD;
	memcpy(wbuf->buf + IMSG_HDR_FLAGS_OFF, &flags, sizeof(flags));
	wbuf->rpos = 0;		/* from now on: bytes already sent */
	TAILQ_INSERT_TAIL(&ibuf->wq, wbuf, entry);
	ibuf->queued++;
}

int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid,
    pid_t pid, int fd, const void *data, size_t datalen)
{
	struct ibuf	*wbuf;

	if ((wbuf = imsg_create(ibuf, type, peerid, pid, datalen)) == NULL)
		return -1;
	if (imsg_add(wbuf, data, datalen) == -1)
		return -1;
	wbuf->fd = fd;
	imsg_close(ibuf, wbuf);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/*
 * Gather queued buffers into one sendmsg.  A buffer's fd must ride with
 * its first byte, so a batch carries at most one fd, on its first buffer;
 * it stops before any later buffer that has one.
 */
static int
imsgbuf_gather(struct imsgbuf *ibuf, struct iovec *iov)
{
	struct ibuf	*buf;
	int		 n = 0;

	TAILQ_FOREACH(buf, &ibuf->wq, entry) {
		if (n == IMSG_IOV_MAX || (n > 0 && buf->fd != -1))
			break;
		iov[n].iov_base = buf->buf + buf->rpos;
		iov[n].iov_len = buf->wpos - buf->rpos;
		n++;
	}
	return n;
}

/* Drop what the kernel took: whole buffers are freed, a partial one stays. */
static void
imsgbuf_consume(struct imsgbuf *ibuf, size_t n)
{
	struct ibuf	*buf;
	size_t		 left;

	while (n > 0 && (buf = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		left = buf->wpos - buf->rpos;
		if (n < left) {
			buf->rpos += n;
			return;
		}
		n -= left;
		TAILQ_REMOVE(&ibuf->wq, buf, entry);
		ibuf->queued--;
		ibuf_free(buf);
	}
}

/* One sendmsg.  Returns bytes sent, 0 if the socket is full, -1 on error. */
static ssize_t
imsgbuf_send(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec	 iov[IMSG_IOV_MAX];
	struct msghdr	 msg;
	struct cmsghdr	*cm;
	struct ibuf	*first = TAILQ_FIRST(&ibuf->wq);
	ssize_t		 n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)imsgbuf_gather(ibuf, iov);
	if (first->fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = &cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), &first->fd, sizeof(int));
	}

	n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR || errno == ENOBUFS) ? 0 : -1;
	/* The kernel holds its own reference once any byte went out. */
	if (n > 0 && first->fd != -1) {
		close(first->fd);
		first->fd = -1;
	}
	imsgbuf_consume(ibuf, (size_t)n);
	return n;
}

int
imsgbuf_write(struct imsgbuf *ibuf)
{
	ssize_t	n;

	while (!TAILQ_EMPTY(&ibuf->wq)) {
		if ((n = imsgbuf_send(ibuf)) == -1)
			return -1;
		if (n == 0)
			break;
	}
	return 0;
}

/* For blocking use (srv6ctl, start-up): wait until everything is sent. */
int
imsgbuf_flush(struct imsgbuf *ibuf)
{
	struct pollfd	pfd;

	while (!TAILQ_EMPTY(&ibuf->wq)) {
		if (imsgbuf_write(ibuf) == -1)
			return -1;
		if (TAILQ_EMPTY(&ibuf->wq))
			break;
		pfd.fd = ibuf->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Received messages                                                   */
/* ------------------------------------------------------------------ */

size_t
imsg_get_len(const struct imsg *imsg)
{
	return imsg->hdr.len - IMSG_HEADER_SIZE;
}

int
imsg_get_fd(struct imsg *imsg)
{
	int	fd = imsg->fd;

	imsg->fd = -1;
	return fd;
}

int
imsg_get_data(struct imsg *imsg, void *dst, size_t len)
{
	if (len != imsg_get_len(imsg)) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(dst, imsg->data, len);
	return 0;
}

void
imsg_free(struct imsg *imsg)
{
	int	saved_errno = errno;

	if (imsg->fd != -1)
		close(imsg->fd);
	imsg->fd = -1;
	free(imsg->data);
	imsg->data = NULL;
	ibuf_from_buffer(&imsg->buf, NULL, 0);
	errno = saved_errno;
}
