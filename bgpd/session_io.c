/*
 * Session engine I/O: the BGP listeners the parent passes down, outgoing
 * connects (local-address, TCP-MD5, GTSM), and per connection a read
 * buffer and a write queue with partial writes.  What the bytes mean is
 * session.c's business: this file calls session_accept,
 * session_conn_connected, session_conn_input and session_conn_failed.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "session.h"
#include "srv6d.h"

#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT	73	/* linux/in6.h */
#endif

/* RFC 5082 §3: send with 255, accept 254 and up (one hop). */
#define GTSM_TTL		255
#define GTSM_MINTTL		254

struct listener {
	TAILQ_ENTRY(listener)	 entry;
	struct srv6d_addr	 addr;
	uint16_t		 port;
	int			 fd;
	struct event		 ev;
	struct event		 pause;	/* out of fds: retry accept later */
};
TAILQ_HEAD(listener_head, listener);

static struct listener_head	 listeners = TAILQ_HEAD_INITIALIZER(listeners);
static struct listener_head	 listeners_new =
    TAILQ_HEAD_INITIALIZER(listeners_new);

/* ------------------------------------------------------------------ */
/* addresses                                                           */

socklen_t
session_sockaddr(const struct srv6d_addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = a->v6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

void
session_sa2addr(const struct sockaddr *sa, struct srv6d_addr *a,
    uint16_t *port)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (sa->sa_family == AF_INET) {
		a->af = AF_INET;
		a->v4 = sin->sin_addr;
		*port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		a->af = AF_INET6;
		a->v6 = sin6->sin6_addr;
		*port = ntohs(sin6->sin6_port);
	}
}

/* ------------------------------------------------------------------ */
/* socket options                                                      */

/*
 * RFC 2385: the key for `addr` on socket fd; an empty key removes it.
 * Without CONFIG_TCP_MD5SIG this fails and the session cannot work.
 */
static int
sock_md5(int fd, const struct srv6d_addr *addr, const char *key)
{
	struct tcp_md5sig	 md5;
	size_t			 len = strlen(key);

	memset(&md5, 0, sizeof(md5));
	session_sockaddr(addr, 0, &md5.tcpm_addr);
	md5.tcpm_keylen = len;
	memcpy(md5.tcpm_key, key, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

static int
sock_int(int fd, int level, int name, int v)
{
	return setsockopt(fd, level, name, &v, sizeof(v));
}

/*
 * RFC 5082: with ttl-security, send with TTL 255 and accept only 254 and
 * up.  Without it the kernel's default TTL (64) is used: we do not force
 * TTL 1 on single-hop eBGP as some implementations do.
 */
static void
sock_gtsm(int fd, int af)
{
	int	rv;

	if (af == AF_INET)
		rv = sock_int(fd, IPPROTO_IP, IP_TTL, GTSM_TTL) == -1 ||
		    sock_int(fd, IPPROTO_IP, IP_MINTTL, GTSM_MINTTL) == -1;
	else
		rv = sock_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
		    GTSM_TTL) == -1 || sock_int(fd, IPPROTO_IPV6,
		    IPV6_MINHOPCOUNT, GTSM_MINTTL) == -1;
	if (rv)
		log_warn("ttl-security");
}

/* Back to the kernel's default TTL (-1) on a socket from a listener. */
static void
sock_ttl_default(int fd, int af)
{
	if (af == AF_INET)
		(void)sock_int(fd, IPPROTO_IP, IP_TTL, -1);
	else
		(void)sock_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, -1);
}

/* Options every BGP connection gets once it exists. */
static void
sock_session_opts(int fd, int af, const struct neighbor_config *nc,
    bool accepted)
{
	if (sock_int(fd, IPPROTO_TCP, TCP_NODELAY, 1) == -1)
		log_warn("TCP_NODELAY");
	if (nc->flags & NEIGH_F_TTL_SECURITY)
		sock_gtsm(fd, af);
	else if (accepted)
		sock_ttl_default(fd, af);
}

/* ------------------------------------------------------------------ */
/* listeners                                                           */

/*
 * accept(2) for the SE's listening sockets, BGP and control alike.  Out of
 * descriptors, the listener's event is paused for a second (the pause
 * timer re-adds it) rather than spinning on a socket that stays readable.
 * Returns the new non-blocking fd, or -1 when there is none (logged).
 */
int
session_accept_fd(int fd, struct event *ev, struct event *pause,
    const char *what, struct sockaddr *sa, socklen_t *salen)
{
	struct timeval	 tv = { 1, 0 };
	int		 cfd;

	cfd = accept4(fd, sa, salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd != -1)
		return cfd;
	if (errno == EMFILE || errno == ENFILE) {
		log_warn("%s: accept", what);
		event_del(ev);
		evtimer_add(pause, &tv);
	} else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		log_warn("%s: accept", what);
	return -1;
}

static void
listener_accept(int fd, short event, void *arg)
{
	struct listener		*l = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);
	struct srv6d_addr	 remote;
	uint16_t		 port;
	int			 cfd;

	(void)event;
	if ((cfd = session_accept_fd(fd, &l->ev, &l->pause, "bgp",
	    (struct sockaddr *)&ss, &slen)) == -1)
		return;
	session_sa2addr((struct sockaddr *)&ss, &remote, &port);
	session_accept(cfd, &remote, port);
}

static void
listener_resume(int fd, short event, void *arg)
{
	struct listener	*l = arg;

	(void)fd;
	(void)event;
	event_add(&l->ev, NULL);
}

static struct listener *
listener_find(struct listener_head *h, const struct srv6d_addr *a,
    uint16_t port)
{
	struct listener	*l;

	TAILQ_FOREACH(l, h, entry)
		if (l->port == port && addr_cmp(&l->addr, a) == 0)
			return l;
	return NULL;
}

/* A listener from the parent; in use once the config stream ends. */
void
listener_add(int fd, const struct srv6d_addr *a, uint16_t port)
{
	struct listener	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("%s", __func__);
	l->addr = *a;
	l->port = port;
	l->fd = fd;
	TAILQ_INSERT_TAIL(&listeners_new, l, entry);
}

static void
listener_free(struct listener *l, bool active)
{
	if (active) {
		event_del(&l->ev);
		evtimer_del(&l->pause);
	}
	close(l->fd);
	free(l);
}

/*
 * The set passed before this config stream replaces the one in use: a
 * listener already served stays as it is (the new copy of the same
 * socket is closed), the others start or stop.
 */
void
listener_commit(void)
{
	struct listener	*l, *next, *old;

	TAILQ_FOREACH_SAFE(l, &listeners, entry, next) {
		if (listener_find(&listeners_new, &l->addr, l->port) != NULL)
			continue;
		log_debug("stop listening on %s port %u", addr2str(&l->addr),
		    l->port);
		TAILQ_REMOVE(&listeners, l, entry);
		listener_free(l, true);
	}
	while ((l = TAILQ_FIRST(&listeners_new)) != NULL) {
		TAILQ_REMOVE(&listeners_new, l, entry);
		if ((old = listener_find(&listeners, &l->addr,
		    l->port)) != NULL) {
			listener_free(l, false);
			continue;
		}
		proc_set_nonblock(l->fd);
		/*
		 * The SYN-ACK leaves with the listener's TTL: 255, so that
		 * GTSM peers (RFC 5082) take it.  Accepted connections of
		 * other neighbors go back to the default.
		 */
		if (l->addr.af == AF_INET ?
		    sock_int(l->fd, IPPROTO_IP, IP_TTL, GTSM_TTL) == -1 :
		    sock_int(l->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
		    GTSM_TTL) == -1)
			log_warn("listener %s: TTL", addr2str(&l->addr));
		event_set(&l->ev, l->fd, EV_READ | EV_PERSIST,
		    listener_accept, l);
		event_add(&l->ev, NULL);
		evtimer_set(&l->pause, listener_resume, l);
		TAILQ_INSERT_TAIL(&listeners, l, entry);
		log_debug("listening on %s port %u", addr2str(&l->addr),
		    l->port);
	}
}

void
listener_abort(void)
{
	struct listener	*l;

	while ((l = TAILQ_FIRST(&listeners_new)) != NULL) {
		TAILQ_REMOVE(&listeners_new, l, entry);
		listener_free(l, false);
	}
}

void
listener_shutdown(void)
{
	struct listener	*l;

	listener_abort();
	while ((l = TAILQ_FIRST(&listeners)) != NULL) {
		TAILQ_REMOVE(&listeners, l, entry);
		listener_free(l, true);
	}
}

/*
 * TCP-MD5 keys live on the listening sockets, one per neighbor address:
 * set `password` for addr on every listener of its family, or remove the
 * key with an empty one (a key that is not there is not an error).
 */
void
listener_md5(const struct srv6d_addr *addr, const char *password)
{
	struct listener	*l;

	TAILQ_FOREACH(l, &listeners, entry) {
		if (addr->af != l->addr.af)
			continue;
		if (sock_md5(l->fd, addr, password) == -1 &&
		    (password[0] != '\0' || errno != ENOENT))
			log_warn("neighbor %s: TCP-MD5 on listener %s",
			    addr2str(addr), addr2str(&l->addr));
	}
}

/* Every neighbor's key on every listener (new listeners, reloads). */
void
listener_md5_sync(struct peer_tree *peers)
{
	struct peer	*p;

	RB_FOREACH(p, peer_tree, peers)
		listener_md5(&p->conf.addr, p->conf.password);
}

/* ------------------------------------------------------------------ */
/* connections                                                         */

static void	conn_read_cb(int, short, void *);
static void	conn_write_cb(int, short, void *);

void
conn_init(struct conn *c, struct peer *p)
{
	memset(c, 0, sizeof(*c));
	c->peer = p;
	c->fd = -1;
	TAILQ_INIT(&c->wq);
}

static void
conn_endpoints(struct conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);

	if (getsockname(c->fd, (struct sockaddr *)&ss, &slen) == 0)
		session_sa2addr((struct sockaddr *)&ss, &c->local,
		    &c->local_port);
	slen = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &slen) == 0)
		session_sa2addr((struct sockaddr *)&ss, &c->remote,
		    &c->remote_port);
}

static void
conn_events(struct conn *c)
{
	event_set(&c->ev_read, c->fd, EV_READ | EV_PERSIST, conn_read_cb, c);
	event_set(&c->ev_write, c->fd, EV_WRITE | EV_PERSIST, conn_write_cb,
	    c);
	c->ev_set = true;
}

/* The connection is up (accepted, or our connect completed). */
static void
conn_ready(struct conn *c)
{
	c->connecting = false;
	if (c->rbuf == NULL && (c->rbuf = malloc(CONN_RBUF_SIZE)) == NULL)
		fatal("%s", __func__);
	c->rpos = c->rlen = 0;
	conn_endpoints(c);
	event_add(&c->ev_read, NULL);
	if (!TAILQ_EMPTY(&c->wq) && !c->writing) {
		event_add(&c->ev_write, NULL);
		c->writing = true;
	}
}

/* Take an accepted socket. */
void
conn_attach(struct conn *c, int fd, bool outgoing,
    const struct neighbor_config *nc)
{
	c->fd = fd;
	c->outgoing = outgoing;
	sock_session_opts(fd, nc->addr.af, nc, !outgoing);
	conn_events(c);
	conn_ready(c);
}

/*
 * Start a non-blocking connect: 0 when under way (the result comes as
 * session_conn_connected), -1 (logged) if it failed at once.
 */
int
conn_connect(struct conn *c, const struct neighbor_config *nc)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	int			 fd;

	fd = socket(nc->addr.af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1) {
		log_warn("neighbor %s: socket", addr2str(&nc->addr));
		return -1;
	}
	if (nc->password[0] != '\0' && sock_md5(fd, &nc->addr,
	    nc->password) == -1) {
		log_warn("neighbor %s: TCP-MD5", addr2str(&nc->addr));
		close(fd);
		return -1;
	}
	sock_session_opts(fd, nc->addr.af, nc, false);
	if (nc->local_addr.af == nc->addr.af) {
		slen = session_sockaddr(&nc->local_addr, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, slen) == -1) {
			log_warn("neighbor %s: bind to local address %s",
			    addr2str(&nc->addr), addr2str(&nc->local_addr));
			close(fd);
			return -1;
		}
	}
	slen = session_sockaddr(&nc->addr, BGP_PORT, &ss);
	if (connect(fd, (struct sockaddr *)&ss, slen) == -1 &&
	    errno != EINPROGRESS) {
		log_debug("neighbor %s: connect: %s", addr2str(&nc->addr),
		    strerror(errno));
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->outgoing = true;
	c->connecting = true;
	conn_events(c);
	/* The connect's result comes as writability. */
	event_add(&c->ev_write, NULL);
	c->writing = true;
	return 0;
}

static void
conn_wq_clear(struct conn *c)
{
	struct ibuf	*b;

	while ((b = TAILQ_FIRST(&c->wq)) != NULL) {
		TAILQ_REMOVE(&c->wq, b, entry);
		ibuf_free(b);
	}
	c->wq_bytes = 0;
}

/* Write what the socket takes: 0, or -1 on a hard error. */
static int
conn_flush(struct conn *c)
{
	struct iovec	 iov[64];
	struct ibuf	*b;
	ssize_t		 n;
	size_t		 left;
	int		 i;

	while (!TAILQ_EMPTY(&c->wq)) {
		i = 0;
		TAILQ_FOREACH(b, &c->wq, entry) {
			if (i == 64)
				break;
			iov[i].iov_base = (void *)ibuf_data(b);
			iov[i++].iov_len = ibuf_left(b);
		}
		if ((n = writev(c->fd, iov, i)) == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->wq_bytes -= n;
		while (n > 0 && (b = TAILQ_FIRST(&c->wq)) != NULL) {
			left = ibuf_left(b);
			if ((size_t)n < left) {
				ibuf_skip(b, n);
				break;
			}
			n -= left;
			TAILQ_REMOVE(&c->wq, b, entry);
			ibuf_free(b);
		}
	}
	return 0;
}

/*
 * Close, giving whatever is queued (a NOTIFICATION) one chance to leave.
 */
void
conn_close(struct conn *c)
{
	if (c->fd == -1)
		return;
	if (!c->connecting)
		(void)conn_flush(c);
	if (c->ev_set) {
		event_del(&c->ev_read);
		event_del(&c->ev_write);
	}
	c->ev_set = c->writing = c->connecting = false;
	close(c->fd);
	c->fd = -1;
	conn_wq_clear(c);
	free(c->rbuf);
	c->rbuf = NULL;
	c->rpos = c->rlen = 0;
}

/* Move a live connection (the collision winner) into an empty slot. */
void
conn_move(struct conn *dst, struct conn *src)
{
	struct ibuf	*b;

	conn_close(dst);
	if (src->ev_set) {
		event_del(&src->ev_read);
		event_del(&src->ev_write);
	}
	dst->fd = src->fd;
	dst->outgoing = src->outgoing;
	dst->connecting = false;
	dst->rbuf = src->rbuf;
	dst->rpos = src->rpos;
	dst->rlen = src->rlen;
	dst->local = src->local;
	dst->remote = src->remote;
	dst->local_port = src->local_port;
	dst->remote_port = src->remote_port;
	while ((b = TAILQ_FIRST(&src->wq)) != NULL) {
		TAILQ_REMOVE(&src->wq, b, entry);
		TAILQ_INSERT_TAIL(&dst->wq, b, entry);
	}
	dst->wq_bytes = src->wq_bytes;
	conn_init(src, src->peer);
	conn_events(dst);
	event_add(&dst->ev_read, NULL);
	dst->writing = false;
	if (!TAILQ_EMPTY(&dst->wq)) {
		event_add(&dst->ev_write, NULL);
		dst->writing = true;
	}
}

/*
 * Queue a whole message (the ibuf is ours from here).  -1 when the peer
 * has not been reading for long: the caller resets the session.
 */
int
conn_send(struct conn *c, struct ibuf *b)
{
	if (c->fd == -1) {
		ibuf_free(b);
		return 0;
	}
	if (c->wq_bytes + ibuf_left(b) > CONN_WQ_MAX) {
		ibuf_free(b);
		return -1;
	}
	c->wq_bytes += ibuf_left(b);
	TAILQ_INSERT_TAIL(&c->wq, b, entry);
	if (!c->writing && !c->connecting) {
		event_add(&c->ev_write, NULL);
		c->writing = true;
	}
	return 0;
}

/* The next n bytes of the read buffer are handled. */
void
conn_consume(struct conn *c, size_t n)
{
	c->rpos += n;
}

static void
conn_connect_done(struct conn *c)
{
	int		 err = 0;
	socklen_t	 len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	event_del(&c->ev_write);
	c->writing = false;
	if (err != 0) {
		log_debug("neighbor %s: connect: %s",
		    addr2str(&c->peer->conf.addr), strerror(err));
		session_conn_connected(c, err);
		return;
	}
	conn_ready(c);
	session_conn_connected(c, 0);
}

static void
conn_write_cb(int fd, short event, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)event;
	if (c->connecting) {
		conn_connect_done(c);
		return;
	}
	if (conn_flush(c) == -1) {
		session_conn_failed(c, strerror(errno));
		return;
	}
	if (TAILQ_EMPTY(&c->wq)) {
		event_del(&c->ev_write);
		c->writing = false;
	}
}

static void
conn_read_cb(int fd, short event, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;

	(void)event;
	/* Keep a partial message at the start: a whole one always fits. */
	if (c->rpos > 0) {
		memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
		c->rlen -= c->rpos;
		c->rpos = 0;
	}
	n = read(fd, c->rbuf + c->rlen, CONN_RBUF_SIZE - c->rlen);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		session_conn_failed(c, strerror(errno));
		return;
	}
	if (n == 0) {
		session_conn_failed(c, "connection closed by peer");
		return;
	}
	c->rlen += n;
	session_conn_input(c);
}
