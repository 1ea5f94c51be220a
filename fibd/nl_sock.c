/*
 * nl_sock.c: the parent's netlink transport (see nl_sock.h).
 *
 * Request connection.  Queued messages sit in one contiguous send buffer
 * and are sent a batch (up to conn->batch bytes) per sendmsg; each has a
 * sequence number, so a ring of pending entries indexed by
 * (seq - head_seq) finds a message's callback in O(1).  Entries are
 * sent in sequence order, so the sent ones are a prefix of the ring.
 *
 * Facts about the kernel this relies on (net/netlink/af_netlink.c,
 * netlink_rcv_skb): rtnetlink and generic netlink process the messages of
 * a sendmsg in order, inside the sendmsg call, and queue each ACK as its
 * own skb on the sender's socket; an ACK that does not fit the receive
 * buffer (or cannot be allocated) is dropped and the socket's next recv
 * fails with ENOBUFS before any queued data is returned.  Hence:
 *  - when a recv returns EAGAIN, every message sent so far has been
 *    processed and its ACK is either read or lost;
 *  - an ACK for seq s means every earlier message was processed: an
 *    earlier one still without ACK got none (a dump request, whose
 *    replies end in NLMSG_DONE) or lost it (ENOBUFS was read first).
 * Flow control keeps the ACKs of the messages in flight inside the
 * receive buffer (window = buffer / NL_ACK_TRUESIZE), so ENOBUFS should
 * not happen; if it does, the sent messages still without ACK once the
 * socket reads EAGAIN are exactly those whose ACK was lost, and they are
 * reported ENOBUFS (outcome unknown).
 *
 * Callbacks run in sequence order, only from the event loop (read
 * handler, or a zero timeout after a sendmsg failure) and nl_conn_close.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <event.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "nl_sock.h"

#define NL_RX_MSGS	64		/* datagrams per recvmmsg */
#define NL_RX_ACK	8192		/* bytes per datagram: ACKs ~100 */
#define NL_RX_NOTIFY	32768		/* notifications: RTM_NEWLINK ~3k */
#define NL_DUMP_SIZE	(64 * 1024)	/* the kernel fills up to 32 KiB */
#define NL_MON_BUDGET	100000		/* notifications per wakeup */

/* Receive many datagrams per system call; each checked to be the kernel's. */
struct nl_rx {
	struct mmsghdr		 mm[NL_RX_MSGS];
	struct iovec		 iov[NL_RX_MSGS];
	struct sockaddr_nl	 from[NL_RX_MSGS];
	char			*buf;
	size_t			 size;		/* per datagram */
};

/* Where a result came from, for the counters. */
enum nl_how {
	NL_BY_ACK,		/* the kernel's ACK */
	NL_BY_LOSS,		/* ENOBUFS: the ACK was dropped */
	NL_BY_US,		/* sendmsg, socket failure, close, no ACK */
};

enum nl_pstate {
	NL_WAIT,		/* not sent, or sent and no ACK yet */
	NL_DONE,		/* result known, callback not run yet */
};

struct nl_pend {
	nl_done_cb	 cb;
	void		*arg;
	char		*text;		/* extack kept for a late callback */
	struct nlmsghdr	*req;		/* the echoed request of an error */
	int		 error;
	enum nl_pstate	 state;
};

struct nl_conn {
	int		 fd;
	int		 protocol;
	uint32_t	 portid;
	struct event	 ev;
	struct event	 defer;		/* callbacks after a sendmsg failure */
	struct nl_rx	 rx;

	/* queued messages: [outsent, outlen) not sent yet */
	char		*out;
	size_t		 outcap, outlen, outsent;

	/* pending entries in sequence order, head first */
	struct nl_pend	*ring;
	size_t		 ringcap;	/* a power of two */
	size_t		 head, count;
	size_t		 nsent;		/* ring[0 .. nsent) were sent */
	size_t		 inflight;	/* sent and waiting */
	uint32_t	 head_seq, next_seq;

	size_t		 batch, window;
	int		 ack_every;	/* NLM_F_ACK on each, not the last */
	int		 flushing;	/* send partial batches too */
	int		 stalled;	/* the window is closed */
	int		 busy;		/* inside a dispatch */
	int		 dying;		/* nl_conn_close while busy */
	int		 failed;	/* socket errno: no more requests */
	int		 lostack;	/* ENOBUFS read, not yet at EAGAIN */
	nl_drained_cb	 drained;
	void		*drained_arg;
	struct nl_conn_stats st;
};

struct nl_sync {
	int		 fd;
	uint32_t	 portid;
	uint32_t	 seq;
	char		*buf;
};

struct nl_monitor {
	int		 fd;
	struct event	 ev;
	struct nl_rx	 rx;
	nl_notify_cb	 cb;
	nl_resync_cb	 resync;
	void		*arg;
	uint64_t	 overruns;
	int		 busy, dying;
};

/* ------------------------------------------------------------------ */
/* sockets                                                             */

/* Set a buffer size past the sysctl limits if we may, else up to them. */
static void
nl_setbuf(int fd, int force, int plain, size_t size)
{
	int	 v = size > (size_t)(INT32_MAX / 2) ? INT32_MAX / 2 : (int)size;

	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) == -1 &&
	    setsockopt(fd, SOL_SOCKET, plain, &v, sizeof(v)) == -1)
		log_warn("netlink socket buffer of %zu bytes", size);
}

static size_t
nl_getbuf(int fd, int opt)
{
	int		 v = 0;
	socklen_t	 len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) == -1 || v < 0)
		return 0;
	return (size_t)v;
}

/*
 * A bound netlink socket with extended ACKs (the kernel's error text).
 * ACKs are not capped: an error then carries a copy of our request, which
 * names what failed; an ACK of a success never carries one, so this costs
 * nothing while all goes well.
 */
static int
nl_socket(int protocol, int nonblock, uint32_t *portid)
{
	struct sockaddr_nl	 sa;
	socklen_t		 len = sizeof(sa);
	int			 fd, on = 1, save;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), protocol);
	if (fd == -1)
		return -1;
	/* Best effort: without them only the error text is lost. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1) {
		save = errno;
		close(fd);
		errno = save;
		return -1;
	}
	*portid = sa.nl_pid;
	return fd;
}

static int
nl_rx_init(struct nl_rx *rx, size_t size)
{
	int	 i;

	if ((rx->buf = malloc(NL_RX_MSGS * size)) == NULL)
		return -1;
	rx->size = size;
	for (i = 0; i < NL_RX_MSGS; i++) {
		rx->iov[i].iov_base = rx->buf + (size_t)i * size;
		rx->iov[i].iov_len = size;
	}
	return 0;
}

/*
 * Read up to NL_RX_MSGS datagrams: their number, or -1 with errno.  Any
 * local process may unicast to our port id: what does not come from the
 * kernel (nl_pid 0) gets length 0, so that nobody can forge an ACK.
 */
static int
nl_rx_read(int fd, struct nl_rx *rx)
{
	int	 i, n;

	for (i = 0; i < NL_RX_MSGS; i++) {
		memset(&rx->mm[i].msg_hdr, 0, sizeof(rx->mm[i].msg_hdr));
		rx->mm[i].msg_hdr.msg_name = &rx->from[i];
		rx->mm[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
		rx->mm[i].msg_hdr.msg_iov = &rx->iov[i];
		rx->mm[i].msg_hdr.msg_iovlen = 1;
	}
	if ((n = recvmmsg(fd, rx->mm, NL_RX_MSGS, MSG_DONTWAIT, NULL)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (rx->from[i].nl_pid != 0)
			rx->mm[i].msg_len = 0;
	return n;
}

/* The i-th datagram's length; truncated ones as far as they go. */
static int
nl_rx_len(const struct nl_rx *rx, int i)
{
	if (rx->mm[i].msg_len > rx->size)
		return (int)rx->size;
	return (int)rx->mm[i].msg_len;
}

static int
nl_rx_truncated(const struct nl_rx *rx, int i)
{
	return (rx->mm[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
}

/* ------------------------------------------------------------------ */
/* ACKs                                                                */

static int
nl_extack_attr(const struct nlattr *a, void *arg)
{
	const char	**msg = arg;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/*
 * The extended ACK text of an NLMSG_ERROR or NLMSG_DONE whose fixed part
 * is off bytes (NLM_F_ACK_TLVS, kernel 4.12): the TLVs follow that, and
 * for an uncapped ACK the copy of our request.  len is what was read.
 */
static const char *
nl_extack(const struct nlmsghdr *nlh, size_t off, int len)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	const char		*text = NULL;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len > (uint32_t)len)
		return NULL;
	if (nlh->nlmsg_type == NLMSG_ERROR && !(nlh->nlmsg_flags &
	    NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (mnl_nlmsg_size(off) > nlh->nlmsg_len)
		return NULL;
	mnl_attr_parse(nlh, off, nl_extack_attr, &text);
	return text;
}

/* ------------------------------------------------------------------ */
/* request connection: queue and ring                                  */

static struct nl_pend *
nl_ring(struct nl_conn *c, size_t i)
{
	return &c->ring[(c->head + i) & (c->ringcap - 1)];
}

static int
nl_ring_grow(struct nl_conn *c)
{
	struct nl_pend	*n;
	size_t		 cap = c->ringcap ? c->ringcap * 2 : 1024, i;

	if ((n = calloc(cap, sizeof(*n))) == NULL)
		return -1;
	for (i = 0; i < c->count; i++)
		n[i] = *nl_ring(c, i);
	free(c->ring);
	c->ring = n;
	c->ringcap = cap;
	c->head = 0;
	return 0;
}

/* Make room for len more bytes, dropping what was sent. */
static int
nl_out_reserve(struct nl_conn *c, size_t len)
{
	char	*n;
	size_t	 cap;

	if (c->outsent > 0 && c->outsent >= c->outlen / 2) {
		memmove(c->out, c->out + c->outsent, c->outlen - c->outsent);
		c->outlen -= c->outsent;
		c->outsent = 0;
	}
	if (c->outlen + len <= c->outcap)
		return 0;
	cap = c->outcap ? c->outcap : c->batch;
	while (cap < c->outlen + len)
		cap *= 2;
	if ((n = realloc(c->out, cap)) == NULL)
		return -1;
	c->out = n;
	c->outcap = cap;
	return 0;
}

static int
nl_is_dump(const struct nl_conn *c, const struct nlmsghdr *nlh)
{
	/* rtnetlink: a GET (type % 4 == 2) with NLM_F_DUMP is a dump. */
	return c->protocol == NETLINK_ROUTE && nlh->nlmsg_type >= RTM_BASE &&
	    (nlh->nlmsg_type & 3) == 2 &&
	    (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/*
 * Mark entry i done with error (text and the echoed request req copied:
 * they are delivered later).
 */
static void
nl_set_result(struct nl_conn *c, size_t i, int error, const char *text,
    const struct nlmsghdr *req, enum nl_how how)
{
	struct nl_pend	*p = nl_ring(c, i);

	if (p->state == NL_DONE)
		return;
	p->state = NL_DONE;
	p->error = error;
	if (text != NULL)
		p->text = strdup(text);
	if (req != NULL && (p->req = malloc(req->nlmsg_len)) != NULL)
		memcpy(p->req, req, req->nlmsg_len);
	if (i < c->nsent)
		c->inflight--;
	if (how == NL_BY_ACK && error == 0)
		c->st.acked++;
	else if (how == NL_BY_ACK)
		c->st.nacked++;
	else if (how == NL_BY_LOSS)
		c->st.lost++;
	else
		c->st.failed++;
}

/*
 * Run the callbacks of finished entries at the head, in sequence order.
 * Each is taken off the ring before its callback runs, so a callback
 * may queue, flush or close.
 */
static void
nl_deliver(struct nl_conn *c)
{
	struct nl_pend	 p;
	int		 any = 0;

	c->busy++;
	while (c->count > 0 && nl_ring(c, 0)->state == NL_DONE) {
		p = *nl_ring(c, 0);
		memset(nl_ring(c, 0), 0, sizeof(p));
		c->head = (c->head + 1) & (c->ringcap - 1);
		c->head_seq++;
		c->count--;
		if (c->nsent > 0)
			c->nsent--;
		any = 1;
		p.cb(p.arg, p.error, p.text, p.req);
		free(p.text);
		free(p.req);
	}
	if (any && c->count == 0 && c->drained != NULL && !c->dying)
		c->drained(c->drained_arg);
	c->busy--;
}

/* Every entry from first (relative index) on: this error. */
static void
nl_fail_from(struct nl_conn *c, size_t first, int error)
{
	size_t	 i;

	for (i = first; i < c->count; i++)
		nl_set_result(c, i, error, NULL, NULL, NL_BY_US);
}

static void
nl_free(struct nl_conn *c)
{
	event_del(&c->ev);
	event_del(&c->defer);
	close(c->fd);
	free(c->rx.buf);
	free(c->out);
	free(c->ring);
	free(c);
}

/* ------------------------------------------------------------------ */
/* request connection: sending                                         */

/*
 * Send one batch from the unsent messages: as many as fit in c->batch
 * bytes and in the window.  0 if something was sent, -1 if not (nothing
 * to send, a partial batch without flushing, the window closed, or
 * sendmsg failed: then the batch's entries are done with its errno).
 */
static int
nl_send_batch(struct nl_conn *c)
{
	struct sockaddr_nl	 sa;
	const struct nlmsghdr	*nlh;
	size_t			 off = c->outsent, bytes = 0, k = 0, room, len;
	size_t			 i, last = 0;
	ssize_t			 n;
	int			 err;

	if (c->outsent == c->outlen)
		return -1;
	if (!c->flushing && c->outlen - c->outsent < c->batch)
		return -1;
	room = c->window > c->inflight ? c->window - c->inflight : 0;
	while (off < c->outlen && k < room) {
		nlh = (const struct nlmsghdr *)(c->out + off);
		len = NLMSG_ALIGN(nlh->nlmsg_len);
		if (bytes + len > c->batch)
			break;
		last = off;
		bytes += len;
		off += len;
		k++;
	}
	if (k == 0) {
		if (!c->stalled)
			c->st.stalls++;
		c->stalled = 1;
		return -1;
	}
	c->stalled = 0;
	/* The kernel reports errors anyway; this ACK closes the batch. */
	((struct nlmsghdr *)(c->out + last))->nlmsg_flags |= NLM_F_ACK;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do {
		n = sendto(c->fd, c->out + c->outsent, bytes, 0,
		    (struct sockaddr *)&sa, sizeof(sa));
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		/* The kernel saw none of them (sendmsg fails before). */
		err = errno;
		log_warn("netlink batch of %zu messages", k);
		for (i = 0; i < k; i++)
			nl_set_result(c, c->nsent + i, err, NULL, NULL,
			    NL_BY_US);
		c->outsent += bytes;
		c->nsent += k;
		event_active(&c->defer, EV_TIMEOUT, 1);
		return -1;
	}
	c->outsent += bytes;
	c->nsent += k;
	c->inflight += k;
	c->st.sends++;
	if (c->inflight > c->st.max_inflight)
		c->st.max_inflight = c->inflight;
	if (c->outsent == c->outlen) {
		c->outsent = c->outlen = 0;
		c->flushing = 0;
	}
	return 0;
}

static void
nl_send_more(struct nl_conn *c)
{
	if (c->busy || c->failed)
		return;
	while (nl_send_batch(c) == 0)
		;
}

/* ------------------------------------------------------------------ */
/* request connection: receiving                                       */

/*
 * The copy of our request in an uncapped NLMSG_ERROR (the kernel appends
 * it to errors), or NULL if it is not there whole.
 */
static const struct nlmsghdr *
nl_echoed(const struct nlmsghdr *nlh, int len)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	size_t			 room;

	if (nlh->nlmsg_flags & NLM_F_CAPPED || nlh->nlmsg_len > (uint32_t)len ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return NULL;
	room = nlh->nlmsg_len - mnl_nlmsg_size(offsetof(struct nlmsgerr,
	    msg));
	if (e->msg.nlmsg_len < sizeof(e->msg) || e->msg.nlmsg_len > room)
		return NULL;
	return &e->msg;
}

/* One NLMSG_ERROR from the kernel: finish its entry (and skipped ones). */
static void
nl_conn_ack(struct nl_conn *c, const struct nlmsghdr *nlh, int len)
{
	const struct nlmsgerr	*e;
	size_t			 idx, i;
	int			 error;

	if ((size_t)len < mnl_nlmsg_size(sizeof(*e)) ||
	    nlh->nlmsg_pid != c->portid)
		return;
	idx = (uint32_t)(nlh->nlmsg_seq - c->head_seq);
	if (idx >= c->nsent) {
		log_debug("netlink: ACK for unknown sequence %u",
		    nlh->nlmsg_seq);
		return;
	}
	if (nl_ring(c, idx)->state == NL_DONE)
		return;
	/*
	 * Earlier ones were processed (see the top of the file) and no
	 * error came for them: success when they asked no ACK of their
	 * own, else they never get one (EPROTO), unless it was lost.
	 */
	for (i = 0; i < idx; i++) {
		if (nl_ring(c, i)->state != NL_WAIT)
			continue;
		if (c->lostack)
			nl_set_result(c, i, ENOBUFS, NULL, NULL, NL_BY_LOSS);
		else if (!c->ack_every)
			nl_set_result(c, i, 0, NULL, NULL, NL_BY_ACK);
		else
			nl_set_result(c, i, EPROTO, NULL, NULL, NL_BY_US);
	}
	e = mnl_nlmsg_get_payload(nlh);
	error = e->error < 0 ? -e->error : e->error;
	nl_set_result(c, idx, error, nl_extack(nlh, sizeof(*e), len),
	    error != 0 ? nl_echoed(nlh, len) : NULL, NL_BY_ACK);
}

/*
 * Handle the datagrams of one recvmmsg.  Replies other than ACKs
 * (NLM_F_ECHO, a GET) are not wanted here.  A truncated ACK still has
 * its header and error code.
 */
static void
nl_conn_input(struct nl_conn *c, int n)
{
	const struct nlmsghdr	*nlh;
	const char		*p;
	int			 i, len;

	for (i = 0; i < n; i++) {
		len = nl_rx_len(&c->rx, i);
		p = c->rx.iov[i].iov_base;
		while (len >= (int)sizeof(*nlh)) {
			nlh = (const struct nlmsghdr *)p;
			if (nlh->nlmsg_len < sizeof(*nlh))
				break;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				nl_conn_ack(c, nlh, len);
			if (nlh->nlmsg_len >= (uint32_t)len)
				break;
			p += NLMSG_ALIGN(nlh->nlmsg_len);
			len -= (int)NLMSG_ALIGN(nlh->nlmsg_len);
		}
	}
}

/*
 * Read until EAGAIN.  ENOBUFS: some ACKs were dropped; those of the
 * messages still waiting at EAGAIN are the lost ones.  Any other error
 * ends the connection.
 */
static void
nl_conn_read(struct nl_conn *c)
{
	size_t	 i;
	int	 n;

	for (;;) {
		if ((n = nl_rx_read(c->fd, &c->rx)) > 0) {
			nl_conn_input(c, n);
			nl_deliver(c);
			if (c->dying)
				return;
			continue;
		}
		if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		if (errno == EINTR)
			continue;
		if (errno == ENOBUFS) {
			c->st.enobufs++;
			c->lostack = 1;
			continue;
		}
		c->failed = errno;
		log_warn("netlink request socket");
		event_del(&c->ev);
		nl_fail_from(c, 0, c->failed);
		break;
	}
	if (c->lostack) {
		log_warnx("netlink: %zu ACKs lost (receive buffer overflow)",
		    c->inflight);
		for (i = 0; i < c->nsent; i++)
			if (nl_ring(c, i)->state == NL_WAIT)
				nl_set_result(c, i, ENOBUFS, NULL, NULL,
				    NL_BY_LOSS);
		c->lostack = 0;
	}
	nl_deliver(c);
}

static void
nl_conn_dispatch(int fd, short events, void *arg)
{
	struct nl_conn	*c = arg;

	(void)fd;
	(void)events;
	c->busy++;
	if (!c->dying)
		nl_conn_read(c);
	c->busy--;
	if (c->dying) {
		if (c->busy == 0)
			nl_free(c);
		return;
	}
	nl_send_more(c);
}

/* Callbacks of a failed sendmsg, from the event loop. */
static void
nl_conn_defer(int fd, short events, void *arg)
{
	struct nl_conn	*c = arg;

	(void)fd;
	(void)events;
	c->busy++;
	nl_deliver(c);
	c->busy--;
	if (c->dying) {
		if (c->busy == 0)
			nl_free(c);
		return;
	}
	nl_send_more(c);
}

/* ------------------------------------------------------------------ */
/* request connection: API                                             */

struct nl_conn *
nl_conn_open(int protocol)
{
	struct nl_conn	*c;
	int		 save;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->protocol = protocol;
	c->batch = NL_CONN_BATCH;
	c->next_seq = c->head_seq = 1;
	if ((c->fd = nl_socket(protocol, 1, &c->portid)) == -1) {
		save = errno;
		free(c);
		errno = save;
		return NULL;
	}
	if (nl_rx_init(&c->rx, NL_RX_ACK) == -1 || nl_ring_grow(c) == -1) {
		close(c->fd);
		free(c->rx.buf);
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	nl_setbuf(c->fd, SO_SNDBUFFORCE, SO_SNDBUF, NL_CONN_SNDBUF);
	nl_conn_tune(c, NL_CONN_RCVBUF, 0, 0);
	event_set(&c->ev, c->fd, EV_READ | EV_PERSIST, nl_conn_dispatch, c);
	evtimer_set(&c->defer, nl_conn_defer, c);
	if (event_add(&c->ev, NULL) == -1)
		fatal("%s: event_add", __func__);
	return c;
}

void
nl_conn_tune(struct nl_conn *c, size_t rcvbuf, size_t batch, size_t window)
{
	size_t	 sndbuf;

	if (rcvbuf != 0)
		nl_setbuf(c->fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);
	if (batch != 0)
		c->batch = batch;
	/* netlink_sendmsg: EMSGSIZE for more than the send buffer - 32. */
	sndbuf = nl_getbuf(c->fd, SO_SNDBUF);
	if (sndbuf > 4096 && c->batch > sndbuf - 64)
		c->batch = sndbuf - 64;
	/*
	 * The window is what the granted buffer (the kernel doubles the
	 * value asked and reports that) holds in ACKs; at least one.
	 */
	if (window != 0)
		c->window = window;
	else if (rcvbuf != 0 || c->window == 0) {
		c->window = nl_getbuf(c->fd, SO_RCVBUF) / NL_ACK_TRUESIZE;
		if (c->window == 0)
			c->window = 1;
	}
	c->st.window = c->window;
}

void
nl_conn_ack_every(struct nl_conn *c, int on)
{
	c->ack_every = on;
}

void
nl_conn_close(struct nl_conn *c)
{
	if (c == NULL || c->dying)
		return;
	c->dying = 1;
	c->busy++;
	nl_fail_from(c, 0, ECANCELED);
	nl_deliver(c);
	c->busy--;
	if (c->busy == 0)
		nl_free(c);
}

int
nl_queue(struct nl_conn *c, const struct nlmsghdr *nlh, nl_done_cb cb,
    void *arg)
{
	struct nlmsghdr	*m;
	struct nl_pend	*p;
	size_t		 len;

	if (c->failed || c->dying) {
		errno = EPIPE;
		return -1;
	}
	if (nlh->nlmsg_len < sizeof(*nlh) || nl_is_dump(c, nlh) ||
	    cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	len = NLMSG_ALIGN(nlh->nlmsg_len);
	if (len > c->batch) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((c->count == c->ringcap && nl_ring_grow(c) == -1) ||
	    nl_out_reserve(c, len) == -1) {
		errno = ENOMEM;
		return -1;
	}
	m = (struct nlmsghdr *)(c->out + c->outlen);
	memcpy(m, nlh, nlh->nlmsg_len);
	memset((char *)m + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	m->nlmsg_flags |= NLM_F_REQUEST | (c->ack_every ? NLM_F_ACK : 0);
	m->nlmsg_seq = c->next_seq++;
	m->nlmsg_pid = 0;
	c->outlen += len;
	p = nl_ring(c, c->count++);
	memset(p, 0, sizeof(*p));
	p->cb = cb;
	p->arg = arg;
	p->state = NL_WAIT;
	c->st.queued++;
	nl_send_more(c);
	return 0;
}

void
nl_flush(struct nl_conn *c)
{
	if (c->outsent == c->outlen)
		return;
	c->flushing = 1;
	nl_send_more(c);
}

size_t
nl_pending(const struct nl_conn *c)
{
	return c->count;
}

/*
 * Send everything queued and read the answers here, without the event
 * loop (a stop runs inside a signal callback, where libevent refuses to
 * be entered again), until none is pending or ms milliseconds passed.
 * Returns what is still pending.
 */
size_t
nl_conn_wait(struct nl_conn *c, int ms)
{
	struct pollfd	pfd;
	struct timespec	t0, t;
	int		left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	nl_flush(c);
	while (c->count > 0 && !c->failed) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			break;
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) == -1 && errno != EINTR)
			break;
		c->busy++;
		nl_conn_read(c);
		nl_deliver(c);
		c->busy--;
		nl_send_more(c);
	}
	return c->count;
}

void
nl_conn_set_drained(struct nl_conn *c, nl_drained_cb cb, void *arg)
{
	c->drained = cb;
	c->drained_arg = arg;
}

void
nl_conn_stats(const struct nl_conn *c, struct nl_conn_stats *st)
{
	*st = c->st;
}

int
nl_conn_fd(const struct nl_conn *c)
{
	return c->fd;
}

/* ------------------------------------------------------------------ */
/* synchronous dumps and requests                                      */

struct nl_sync *
nl_sync_open(int protocol)
{
	struct nl_sync	*s;
	struct timeval	 tv = { NL_SYNC_TIMEOUT_SEC, 0 };
	int		 on = 1, save;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->buf = malloc(NL_DUMP_SIZE)) == NULL) {
		free(s);
		return NULL;
	}
	if ((s->fd = nl_socket(protocol, 0, &s->portid)) == -1) {
		save = errno;
		free(s->buf);
		free(s);
		errno = save;
		return NULL;
	}
	setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on,
	    sizeof(on));
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl_setbuf(s->fd, SO_RCVBUFFORCE, SO_RCVBUF, 1024 * 1024);
	s->seq = (uint32_t)getpid() << 16;
	return s;
}

void
nl_sync_close(struct nl_sync *s)
{
	if (s == NULL)
		return;
	close(s->fd);
	free(s->buf);
	free(s);
}

/* How a dump or request goes on after one message. */
struct nl_dump_state {
	nl_msg_cb	 cb;
	void		*arg;
	char		*errmsg;
	size_t		 errlen;
	int		 error;		/* the first error: cb's or kernel's */
	int		 intr;		/* NLM_F_DUMP_INTR seen */
	int		 done;
};

static void
nl_dump_error(struct nl_dump_state *d, int error, const char *text)
{
	if (d->error != 0 || error == 0)
		return;
	d->error = error;
	if (text != NULL && d->errlen > 0)
		snprintf(d->errmsg, d->errlen, "%s", text);
}

/* NLMSG_DONE of a dump carries an int error (and maybe extack TLVs). */
static void
nl_dump_done(struct nl_dump_state *d, const struct nlmsghdr *nlh, int len)
{
	int	 err;

	d->done = 1;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	nl_dump_error(d, err < 0 ? -err : err,
	    nl_extack(nlh, sizeof(int), len));
}

static void
nl_dump_msg(struct nl_dump_state *d, const struct nlmsghdr *nlh, int len)
{
	const struct nlmsgerr	*e;
	int			 err;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = 1;
	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		nl_dump_done(d, nlh, len);
		break;
	case NLMSG_ERROR:
		d->done = 1;
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
			nl_dump_error(d, EBADMSG, NULL);
			break;
		}
		e = mnl_nlmsg_get_payload(nlh);
		nl_dump_error(d, e->error < 0 ? -e->error : e->error,
		    nl_extack(nlh, sizeof(*e), len));
		break;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		break;
	default:
		if (d->error == 0 && d->cb != NULL &&
		    (err = d->cb(nlh, d->arg)) != 0)
			nl_dump_error(d, err, NULL);
		break;
	}
}

/* Send req with our sequence number and the flags a request needs. */
static int
nl_sync_send(struct nl_sync *s, const struct nlmsghdr *req)
{
	struct sockaddr_nl	 sa;
	struct nlmsghdr		*m;
	ssize_t			 n;

	if (req->nlmsg_len < sizeof(*req) || req->nlmsg_len > NL_DUMP_SIZE)
		return EINVAL;
	m = (struct nlmsghdr *)s->buf;
	memcpy(m, req, req->nlmsg_len);
	m->nlmsg_flags |= NLM_F_REQUEST;
	/* A dump ends in NLMSG_DONE; anything else in its ACK. */
	if ((m->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		m->nlmsg_flags |= NLM_F_ACK;
	m->nlmsg_seq = ++s->seq;
	m->nlmsg_pid = 0;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do {
		n = sendto(s->fd, m, m->nlmsg_len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	} while (n == -1 && errno == EINTR);
	return n == -1 ? errno : 0;
}

int
nl_dump(struct nl_sync *s, const struct nlmsghdr *req, nl_msg_cb cb,
    void *arg, char *errmsg, size_t errlen)
{
	struct nl_dump_state	 d = { cb, arg, errmsg, errlen, 0, 0, 0 };
	const struct nlmsghdr	*nlh;
	struct sockaddr_nl	 from;
	socklen_t		 fromlen;
	ssize_t			 n;
	int			 len, err;

	if (errlen > 0)
		errmsg[0] = '\0';
	if ((err = nl_sync_send(s, req)) != 0)
		return err;
	while (!d.done) {
		fromlen = sizeof(from);
		n = recvfrom(s->fd, s->buf, NL_DUMP_SIZE, MSG_TRUNC,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			/* The rest of a broken dump is dropped by seq. */
			return errno == EAGAIN ? ETIMEDOUT : errno;
		}
		if (from.nl_pid != 0)
			continue;
		if (n > NL_DUMP_SIZE) {
			/* Cannot happen: the kernel fills at most 32 KiB. */
			nl_dump_error(&d, EMSGSIZE, "reply too large");
			continue;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)s->buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			/* Left over from an earlier, abandoned request. */
			if (nlh->nlmsg_seq != s->seq ||
			    nlh->nlmsg_pid != s->portid)
				continue;
			nl_dump_msg(&d, nlh, len);
		}
	}
	if (d.error != 0)
		return d.error;
	return d.intr ? EINTR : 0;
}

/* ------------------------------------------------------------------ */
/* multicast monitor                                                   */

/* Deliver one recvmmsg's notifications; 1 if one was truncated. */
static int
nl_monitor_input(struct nl_monitor *m, int n)
{
	const struct nlmsghdr	*nlh;
	int			 i, len, trunc = 0;

	for (i = 0; i < n && !m->dying; i++) {
		if (nl_rx_truncated(&m->rx, i)) {
			log_warnx("netlink monitor: notification of more "
			    "than %zu bytes", m->rx.size);
			trunc = 1;
			continue;
		}
		len = nl_rx_len(&m->rx, i);
		for (nlh = m->rx.iov[i].iov_base; mnl_nlmsg_ok(nlh, len) &&
		    !m->dying; nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
				m->cb(nlh, m->arg);
		}
	}
	return trunc;
}

/*
 * Deliver what is queued, then ask for a resync if the kernel dropped
 * some: a dump made then is newer than every notification delivered.
 */
static void
nl_monitor_dispatch(int fd, short events, void *arg)
{
	struct nl_monitor	*m = arg;
	int			 n, seen = 0, overrun = 0;

	(void)fd;
	(void)events;
	m->busy++;
	while (!m->dying && seen < NL_MON_BUDGET) {
		if ((n = nl_rx_read(m->fd, &m->rx)) > 0) {
			seen += n;
			if (nl_monitor_input(m, n)) {
				m->overruns++;
				overrun = 1;
			}
			continue;
		}
		if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		if (errno == EINTR)
			continue;
		if (errno == ENOBUFS) {
			m->overruns++;
			overrun = 1;
			continue;
		}
		log_warn("netlink monitor");
		break;
	}
	if (overrun && !m->dying) {
		log_warnx("netlink monitor: kernel notifications lost, "
		    "resynchronising");
		m->resync(m->arg);
	}
	m->busy--;
	if (m->dying && m->busy == 0) {
		event_del(&m->ev);
		close(m->fd);
		free(m->rx.buf);
		free(m);
	}
}

struct nl_monitor *
nl_monitor_open(const unsigned int *groups, size_t ngroups, size_t rcvbuf,
    nl_notify_cb cb, nl_resync_cb resync, void *arg)
{
	struct nl_monitor	*m;
	uint32_t		 portid;
	size_t			 i;
	int			 save;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cb = cb;
	m->resync = resync;
	m->arg = arg;
	m->fd = -1;
	if ((m->fd = nl_socket(NETLINK_ROUTE, 1, &portid)) == -1)
		goto fail;
	nl_setbuf(m->fd, SO_RCVBUFFORCE, SO_RCVBUF,
	    rcvbuf ? rcvbuf : NL_MONITOR_RCVBUF);
	/* Not the bind() mask: it only reaches groups 1 to 32. */
	for (i = 0; i < ngroups; i++)
		if (setsockopt(m->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		    &groups[i], sizeof(groups[i])) == -1)
			goto fail;
	if (nl_rx_init(&m->rx, NL_RX_NOTIFY) == -1)
		goto fail;
	event_set(&m->ev, m->fd, EV_READ | EV_PERSIST, nl_monitor_dispatch,
	    m);
	if (event_add(&m->ev, NULL) == -1)
		fatal("%s: event_add", __func__);
	return m;
 fail:
	save = errno;
	if (m->fd != -1)
		close(m->fd);
	free(m->rx.buf);
	free(m);
	errno = save;
	return NULL;
}

/*
 * A classic BPF filter over each notification (one message per skb, so
 * the offsets are fixed): drop RTM_{NEW,DEL}ROUTE whose rtm_protocol and
 * RTM_{NEW,DEL}NEXTHOP whose nh_protocol is proto.  BPF loads halfwords
 * in network order and nlmsg_type is in host order: compare with htons.
 */
int
nl_monitor_ignore_proto(struct nl_monitor *m, uint8_t proto)
{
	const uint32_t		 type = offsetof(struct nlmsghdr, nlmsg_type);
	const uint32_t		 rtp = NLMSG_HDRLEN +
				    offsetof(struct rtmsg, rtm_protocol);
	const uint32_t		 nhp = NLMSG_HDRLEN +
				    offsetof(struct nhmsg, nh_protocol);
	struct sock_filter	 f[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, type),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWROUTE), 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELROUTE), 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWNEXTHOP), 4,
		    0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELNEXTHOP), 3,
		    0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, rtp),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, nhp),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	struct sock_fprog	 prog = { sizeof(f) / sizeof(f[0]), f };

	return setsockopt(m->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

void
nl_monitor_close(struct nl_monitor *m)
{
	if (m == NULL || m->dying)
		return;
	m->dying = 1;
	if (m->busy > 0)
		return;
	event_del(&m->ev);
	close(m->fd);
	free(m->rx.buf);
	free(m);
}

uint64_t
nl_monitor_overruns(const struct nl_monitor *m)
{
	return m->overruns;
}
