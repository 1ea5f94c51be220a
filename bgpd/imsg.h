/*
 * imsg: framed messages between srv6d's processes and between srv6ctl and
 * the session engine.  Written for srv6d; the shape follows OpenBSD's imsg
 * (a header, a payload, an optional passed fd, queued partial writes).
 *
 * Wire header (host byte order; both ends are on the same host):
 *	u32 type, u32 len (header included), u32 flags, u32 peerid, u32 pid
 */
#ifndef SRV6D_IMSG_H
#define SRV6D_IMSG_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define IMSG_HEADER_SIZE	20
#define MAX_IMSGSIZE		(256 * 1024)	/* header included */
#define IMSGF_HASFD		0x1

struct ibuf {
	TAILQ_ENTRY(ibuf)	 entry;
	uint8_t			*buf;
	size_t			 size;	/* allocated */
	size_t			 max;	/* growth limit */
	size_t			 wpos;	/* bytes written */
	size_t			 rpos;	/* read position (readers, writers) */
	int			 fd;	/* fd to pass with this buffer, or -1 */
};

struct imsg_hdr {
	uint32_t	type;
	uint32_t	len;
	uint32_t	flags;
	uint32_t	peerid;
	uint32_t	pid;
};

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;	/* received fd, or -1; imsg_free closes it */
	struct ibuf	 buf;	/* read view of the payload */
	uint8_t		*data;	/* owned copy of the payload */
};

struct imsgbuf {
	TAILQ_HEAD(, ibuf)	 wq;		/* queued for writing */
	uint32_t		 queued;	/* buffers in wq */
	int			 fd;
	pid_t			 pid;		/* stamped on composed imsgs */
	uint8_t			*rbuf;		/* read buffer */
	size_t			 rpos;		/* start of unprocessed bytes */
	size_t			 rlen;		/* end of received bytes */
	size_t			 rsize;
	int			 rfds[16];	/* fds received, in order */
	int			 nrfds;
};

/*
 * Conventions: functions returning int give 0 on success and -1 with errno
 * on failure; those returning a pointer give NULL with errno.
 */

/*
 * imsg.c: buffers.
 * Write side: ibuf_open(n) is fixed at n bytes, ibuf_dynamic(n, max) starts
 * at n and grows to max (EINVAL if max < n).  Adds append (u8..u64 in host
 * order, n16/n32 in network order, a string as u16 length + bytes without
 * NUL) and fail with ERANGE past the limit, appending nothing.
 * ibuf_reserve(b, n) appends n uninitialised bytes and returns them;
 * ibuf_seek(b, pos, n) returns written bytes [pos, pos+n) (ERANGE if not
 * written yet).  Either pointer is valid only until the next add.
 * ibuf_free(NULL) is a no-op; ibuf_free closes the buffer's fd if set.
 *
 * Read side: ibuf_from_buffer makes a view of caller-owned bytes (never
 * ibuf_free it).  Each get takes exactly its bytes or, when too few are
 * left, fails with EBADMSG leaving the read position where it was.
 * ibuf_get_string(b, dst, dstlen) reads a u16-length string into dst with
 * a NUL; EBADMSG if truncated, if it holds a NUL, or if it does not fit
 * dstlen including the NUL.
 */
struct ibuf	*ibuf_open(size_t);
struct ibuf	*ibuf_dynamic(size_t, size_t);
int		 ibuf_add(struct ibuf *, const void *, size_t);
int		 ibuf_add_zero(struct ibuf *, size_t);
int		 ibuf_add_u8(struct ibuf *, uint8_t);
int		 ibuf_add_u16(struct ibuf *, uint16_t);
int		 ibuf_add_u32(struct ibuf *, uint32_t);
int		 ibuf_add_u64(struct ibuf *, uint64_t);
int		 ibuf_add_n16(struct ibuf *, uint16_t);	/* network order */
int		 ibuf_add_n32(struct ibuf *, uint32_t);
int		 ibuf_add_string(struct ibuf *, const char *);	/* u16 len + bytes */
void		*ibuf_reserve(struct ibuf *, size_t);
void		*ibuf_seek(struct ibuf *, size_t, size_t);
size_t		 ibuf_size(const struct ibuf *);	/* bytes written */
size_t		 ibuf_left(const struct ibuf *);	/* unread bytes */
const void	*ibuf_data(const struct ibuf *);	/* at read position */
void		 ibuf_from_buffer(struct ibuf *, const void *, size_t);
int		 ibuf_get(struct ibuf *, void *, size_t);
int		 ibuf_get_u8(struct ibuf *, uint8_t *);
int		 ibuf_get_u16(struct ibuf *, uint16_t *);
int		 ibuf_get_u32(struct ibuf *, uint32_t *);
int		 ibuf_get_u64(struct ibuf *, uint64_t *);
int		 ibuf_get_n16(struct ibuf *, uint16_t *);
int		 ibuf_get_n32(struct ibuf *, uint32_t *);
int		 ibuf_get_string(struct ibuf *, char *, size_t);
int		 ibuf_skip(struct ibuf *, size_t);
void		 ibuf_free(struct ibuf *);

/*
 * imsg.c: channels.  imsgbuf_init(ib, fd) never fails (buffers come on
 * first use); imsgbuf_clear frees the queues and closes fds not yet sent
 * or taken, but not ib->fd.
 *
 * imsgbuf_read: one recvmsg.  >0 bytes read, 0 on EOF, -1 with errno
 * (EAGAIN/EINTR: nothing now; EBADMSG: the pending header is invalid).
 * Call imsg_get until it returns 0 after each read.
 * imsg_get: >0 (the message length) and fills *imsg, 0 when no complete
 * message is buffered, -1 with EBADMSG when a header's length is outside
 * [IMSG_HEADER_SIZE, MAX_IMSGSIZE] (the channel is then unusable: close
 * it) or ENOMEM.  Every filled imsg must be imsg_free()d.
 *
 * imsg_compose(ib, type, peerid, pid, fd, data, len): queue one message;
 * pid 0 means ib->pid; fd -1 for none, else the fd is sent and closed
 * (on failure the caller still owns it).  ERANGE above MAX_IMSGSIZE.
 * imsg_create/imsg_add/imsg_close build one in steps; imsg_add on a NULL
 * ibuf returns -1 and a failing imsg_add frees the ibuf, so a chain is
 *	if ((wb = imsg_create(...)) == NULL) return -1;
 *	if (imsg_add(wb, a, alen) == -1 || imsg_add(wb, b, blen) == -1)
 *		return -1;
 *	imsg_close(ib, wb);
 * To pass an fd with imsg_create, set wb->fd before imsg_close.
 *
 * imsgbuf_write: sends as much as the socket takes; 0 (maybe still
 * queued: wait for POLLOUT while imsgbuf_queuelen() > 0), -1 on error
 * (EPIPE ...).  imsgbuf_flush: blocks until the queue is empty, 0 or -1.
 *
 * imsg_get_len: payload length.  imsg_get_data(imsg, dst, len): copies
 * the payload, -1 with EBADMSG unless its length is exactly len.  For
 * variable payloads, parse imsg->buf with the ibuf_get functions.
 * imsg_get_fd: takes the received fd (-1 if none).  imsg_free: frees the
 * payload and closes an fd not taken.
 */
void		 imsgbuf_init(struct imsgbuf *, int);
void		 imsgbuf_clear(struct imsgbuf *);
ssize_t		 imsgbuf_read(struct imsgbuf *);
int		 imsgbuf_write(struct imsgbuf *);
int		 imsgbuf_flush(struct imsgbuf *);
uint32_t	 imsgbuf_queuelen(const struct imsgbuf *);
ssize_t		 imsg_get(struct imsgbuf *, struct imsg *);
int		 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
		    const void *, size_t);
struct ibuf	*imsg_create(struct imsgbuf *, uint32_t, uint32_t, pid_t,
		    size_t);
int		 imsg_add(struct ibuf *, const void *, size_t);
void		 imsg_close(struct imsgbuf *, struct ibuf *);
size_t		 imsg_get_len(const struct imsg *);
int		 imsg_get_fd(struct imsg *);
int		 imsg_get_data(struct imsg *, void *, size_t);
void		 imsg_free(struct imsg *);

#endif
