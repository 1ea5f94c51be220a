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
	size_t			 rlen;		/* bytes in rbuf */
	size_t			 rsize;
	int			 rfds[16];	/* fds received, in order */
	int			 nrfds;
};

/* imsg.c: buffers */
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

/* imsg.c: channels */
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
