/*
 * Control socket.  The parent creates the two sockets (it may bind in
 * /run) and passes them to the session engine, which serves any number of
 * clients: one request per imsg, replies ending in IMSG_CTL_END.  Clients
 * are never waited on: a client that does not read its replies is cut
 * off once its output queue is too long.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "session.h"
#include "srv6d.h"

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct imsgev		 iev;
	uint32_t		 id;	/* peerid of relayed requests */
	bool			 restricted;
};

struct ctl_listener {
	struct event	 ev;
	struct event	 pause;	/* out of fds: retry accept later */
	int		 fd;
	bool		 restricted;
};

struct ctl_handler {
	uint32_t	 type;
	bool		 restricted_ok;	/* on the restricted one */
	void		(*fn)(struct ctl_conn *, struct imsg *);
};

static TAILQ_HEAD(, ctl_conn)	 ctl_conns =
    TAILQ_HEAD_INITIALIZER(ctl_conns);
static struct ctl_listener	 ctl_listeners[2] = {
	{ .fd = -1 }, { .fd = -1 }
};
static uint32_t			 ctl_nextid = 1;
static bool			 ctl_exiting;

static void	control_show_summary(struct ctl_conn *, struct imsg *);
static void	control_show_all_neighbors(struct ctl_conn *);
static void	control_show_neighbor(struct ctl_conn *, struct imsg *);
static void	control_show_rde(struct ctl_conn *, struct imsg *);
static void	control_reload(struct ctl_conn *, struct imsg *);
static void	control_log_verbose(struct ctl_conn *, struct imsg *);
static void	control_show_rib(struct ctl_conn *, struct imsg *);
static void	control_neighbor_op(struct ctl_conn *, struct imsg *);
static void	control_show_fib(struct ctl_conn *, struct imsg *);

static const struct ctl_handler ctl_handlers[] = {
	{ IMSG_CTL_SHOW_SUMMARY,	true,	control_show_summary },
	{ IMSG_CTL_SHOW_NEIGHBOR,	true,	control_show_neighbor },
	{ IMSG_CTL_SHOW_VRF,		true,	control_show_rde },
	{ IMSG_CTL_SHOW_SID,		true,	control_show_rde },
	{ IMSG_CTL_SHOW_LOCATOR,	true,	control_show_rde },
	{ IMSG_CTL_RELOAD,		false,	control_reload },
	{ IMSG_CTL_LOG_VERBOSE,	false,	control_log_verbose },
	{ IMSG_CTL_SHOW_RIB,		true,	control_show_rib },
	{ IMSG_CTL_NEIGHBOR_UP,		false,	control_neighbor_op },
	{ IMSG_CTL_NEIGHBOR_DOWN,	false,	control_neighbor_op },
	{ IMSG_CTL_NEIGHBOR_CLEAR,	false,	control_neighbor_op },
	{ IMSG_CTL_NEIGHBOR_REFRESH,	false,	control_neighbor_op },
	{ IMSG_CTL_SHOW_FIB,		true,	control_show_fib },
};

/* ------------------------------------------------------------------ */
/* parent side: create and remove the sockets                          */

/*
 * Make sure no running daemon owns `path`; a socket nobody answers on is a
 * leftover of a crash and is removed.  Returns -1 (logged) if in use or
 * not a socket.
 */
static int
control_check_stale(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, rv;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : (log_warn("control socket %s",
		    sun->sun_path), -1);
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket",
		    sun->sun_path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("control socket: socket");
		return -1;
	}
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rv == 0) {
		log_warnx("control socket %s: in use by a running srv6d",
		    sun->sun_path);
		return -1;
	}
	if (unlink(sun->sun_path) == -1 && errno != ENOENT) {
		log_warn("control socket %s: unlink", sun->sun_path);
		return -1;
	}
	log_debug("removed stale control socket %s", sun->sun_path);
	return 0;
}

/* Create a listening control socket with `mode`; -1 (logged) on error. */
int
control_init(const char *path, mode_t mode)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	if (control_check_stale(&sun) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("control socket: socket");
		return -1;
	}
	/* Born private; opened up to `mode` only once it exists. */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control socket %s: bind", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, mode) == -1 || listen(fd, CONTROL_BACKLOG) == -1) {
		log_warn("control socket %s", path);
		unlink(path);
		close(fd);
		return -1;
	}
	return fd;
}

void
control_cleanup(const char *path)
{
	if (path != NULL && unlink(path) == -1 && errno != ENOENT)
		log_warn("control socket %s: unlink", path);
}

/* ------------------------------------------------------------------ */
/* session engine side: connections                                    */

static struct ctl_conn *
control_conn_by_id(uint32_t id)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &ctl_conns, entry)
		if (c->id == id)
			return c;
	return NULL;
}

static void
control_close(struct ctl_conn *c)
{
	/* The RDE may be walking a table for this client: stop it. */
	if (!ctl_exiting &&
	    session_to_rde(IMSG_CTL_TERMINATE, c->id, NULL, 0) == -1)
		log_warn("control: terminate for client %u", c->id);
	TAILQ_REMOVE(&ctl_conns, c, entry);
	imsgev_clear(&c->iev);
	close(c->iev.ibuf.fd);
	free(c);
	/* A slot is free again: resume listeners paused for lack of fds. */
	for (size_t i = 0; i < 2; i++) {
		struct ctl_listener	*l = &ctl_listeners[i];

		if (l->fd != -1 && evtimer_pending(&l->pause, NULL)) {
			evtimer_del(&l->pause);
			event_add(&l->ev, NULL);
		}
	}
}

/*
 * Queue a reply.  Errors (out of memory, a message too large) only log:
 * the connection is then judged by control_check_queue.
 */
static void
control_compose(struct ctl_conn *c, uint32_t type, const void *data,
    size_t len)
{
	if (imsgev_compose(&c->iev, type, 0, 0, -1, data, len) == -1)
		log_warn("control: reply to client %u", c->id);
}

static void
control_result(struct ctl_conn *c, enum ctl_result_code code,
    const char *msg)
{
	struct ctl_result	 res = { .code = code };
	struct ibuf		*wb;

	wb = imsg_create(&c->iev.ibuf, IMSG_CTL_RESULT, 0, 0,
	    sizeof(res) + strlen(msg) + 1);
	if (wb == NULL || imsg_add(wb, &res, sizeof(res)) == -1 ||
	    imsg_add(wb, msg, strlen(msg) + 1) == -1) {
		log_warn("control: result to client %u", c->id);
		return;
	}
	imsg_close(&c->iev.ibuf, wb);
	imsgev_add(&c->iev);
}

static void
control_end(struct ctl_conn *c)
{
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

static void
control_result_end(struct ctl_conn *c, enum ctl_result_code code,
    const char *msg)
{
	control_result(c, code, msg);
	control_end(c);
}

/*
 * A client that lets its replies pile up is cut off rather than letting
 * it eat the daemon's memory.  Returns -1 if the connection was closed.
 */
static int
control_check_queue(struct ctl_conn *c)
{
	if (imsgbuf_queuelen(&c->iev.ibuf) <= CONTROL_MAX_QUEUED)
		return 0;
	/* Give the socket one chance to take what it can. */
	if (imsgbuf_write(&c->iev.ibuf) == 0 &&
	    imsgbuf_queuelen(&c->iev.ibuf) <= CONTROL_MAX_QUEUED)
		return 0;
	log_warnx("control: client %u does not read its replies, "
	    "disconnecting", c->id);
	control_close(c);
	return -1;
}

static void
control_request(struct ctl_conn *c, struct imsg *imsg)
{
	const struct ctl_handler	*h;
	size_t				 i;

	for (i = 0; i < sizeof(ctl_handlers) / sizeof(ctl_handlers[0]); i++) {
		h = &ctl_handlers[i];
		if (h->type != imsg->hdr.type)
			continue;
		if (c->restricted && !h->restricted_ok) {
			control_result_end(c, CTL_RES_DENIED, "permission "
			    "denied: restricted control socket");
			return;
		}
		h->fn(c, imsg);
		return;
	}
	log_debug("control: client %u: unknown request %u", c->id,
	    imsg->hdr.type);
	control_result_end(c, CTL_RES_PARSE, "unknown request");
}

static void
control_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct ctl_conn	*c = iev->data;
	struct imsg	 imsg;
	ssize_t		 n;

	(void)fd;
	if (imsgev_io(iev, event) == -1) {
		if (errno != 0)
			log_debug("control: client %u: %s", c->id,
			    strerror(errno));
		control_close(c);
		return;
	}
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		control_request(c, &imsg);
		imsg_free(&imsg);
		if (control_check_queue(c) == -1)
			return;
	}
	if (n == -1) {
		log_warnx("control: client %u sent a malformed message, "
		    "disconnecting", c->id);
		control_close(c);
		return;
	}
	imsgev_add(iev);
}

static void
control_accept(int fd, short event, void *arg)
{
	struct ctl_listener	*l = arg;
	struct ctl_conn		*c;
	int			 cfd;

	(void)event;
	if ((cfd = session_accept_fd(fd, &l->ev, &l->pause, "control", NULL,
	    NULL)) == -1)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control: accept");
		close(cfd);
		return;
	}
	c->id = ctl_nextid++;
	if (ctl_nextid == 0)	/* 0 means "no client" to the parent */
		ctl_nextid = 1;
	c->restricted = l->restricted;
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	imsgev_init(&c->iev, cfd, control_dispatch, c);
	log_debug("control: client %u connected%s", c->id,
	    c->restricted ? " (restricted)" : "");
}

static void
control_resume(int fd, short event, void *arg)
{
	struct ctl_listener	*l = arg;

	(void)fd;
	(void)event;
	event_add(&l->ev, NULL);
}

/* Serve a listening socket the parent passed down. */
void
control_listen(int fd, bool restricted)
{
	struct ctl_listener	*l = &ctl_listeners[restricted ? 1 : 0];

	if (l->fd != -1)
		fatalx("%s control socket passed twice",
		    restricted ? "restricted" : "main");
	proc_set_nonblock(fd);
	l->fd = fd;
	l->restricted = restricted;
	event_set(&l->ev, fd, EV_READ | EV_PERSIST, control_accept, l);
	event_add(&l->ev, NULL);
	evtimer_set(&l->pause, control_resume, l);
}

void
control_shutdown(void)
{
	struct ctl_conn	*c;
	size_t		 i;

	ctl_exiting = true;
	while ((c = TAILQ_FIRST(&ctl_conns)) != NULL)
		control_close(c);
	for (i = 0; i < 2; i++) {
		if (ctl_listeners[i].fd == -1)
			continue;
		event_del(&ctl_listeners[i].ev);
		evtimer_del(&ctl_listeners[i].pause);
		close(ctl_listeners[i].fd);
		ctl_listeners[i].fd = -1;
	}
}

/*
 * Pass a reply another process made for client `imsg->hdr.peerid` on to
 * it, with an IMSG_CTL_END after it if `end`.  The client may have left
 * meanwhile: then the reply is dropped.
 */
void
control_relay(struct imsg *imsg, bool end)
{
	struct ctl_conn	*c;
	size_t		 len = imsg_get_len(imsg);

	if ((c = control_conn_by_id(imsg->hdr.peerid)) == NULL) {
		log_debug("control: reply for gone client %u dropped",
		    imsg->hdr.peerid);
		return;
	}
	control_compose(c, imsg->hdr.type, ibuf_data(&imsg->buf), len);
	if (end)
		control_end(c);
	control_check_queue(c);
}

/* ------------------------------------------------------------------ */
/* requests                                                            */

static void
control_show_summary(struct ctl_conn *c, struct imsg *imsg)
{
	struct ctl_show_summary	 s;

	if (imsg_get_len(imsg) != 0) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	session_fill_summary(&s);
	control_compose(c, IMSG_CTL_SHOW_SUMMARY, &s, sizeof(s));
	/* then every neighbor, as bgpctl's summary lists them */
	control_show_all_neighbors(c);
}

/*
 * Show neighbor: the SE fills the session part of each matching peer and
 * passes it through the RDE, which adds the prefix counts and sends it
 * back with END for the client (relayed by session.c).
 */
static void
control_neighbor_reply(struct ctl_conn *c, const struct peer *p)
{
	struct ctl_show_neighbor	 n;

	session_fill_neighbor(p, &n);
	if (session_to_rde(IMSG_CTL_SHOW_NEIGHBOR, c->id, &n, sizeof(n)) ==
	    -1)
		fatal("%s: compose", __func__);
}

static void
control_rde_end(struct ctl_conn *c)
{
	if (session_to_rde(IMSG_CTL_END, c->id, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

static void
control_show_all_neighbors(struct ctl_conn *c)
{
	struct peer	*p;

	RB_FOREACH(p, peer_tree, &se_peers)
		control_neighbor_reply(c, p);
	control_rde_end(c);
}

/* Request payload: a srv6d_addr; -1 (answered) if bad or unknown. */
static struct peer *
control_peer(struct ctl_conn *c, struct imsg *imsg)
{
	struct srv6d_addr	 addr;
	struct peer		*p;

	if (ibuf_get(&imsg->buf, &addr, sizeof(addr)) == -1 ||
	    (addr.af != AF_INET && addr.af != AF_INET6)) {
		control_result_end(c, CTL_RES_PARSE, "bad neighbor address");
		return NULL;
	}
	if ((p = peer_find(&se_peers, &addr)) == NULL) {
		control_result_end(c, CTL_RES_NOSUCH, "no such neighbor");
		return NULL;
	}
	return p;
}

static void
control_show_neighbor(struct ctl_conn *c, struct imsg *imsg)
{
	struct peer		*p;

	if (imsg_get_len(imsg) == 0) {
		control_show_all_neighbors(c);
		return;
	}
	if ((p = control_peer(c, imsg)) == NULL)
		return;
	if (ibuf_left(&imsg->buf) != 0) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	control_neighbor_reply(c, p);
	control_rde_end(c);
}

/* The RDE answers show rib itself; the SE relays until END. */
static void
control_show_rib(struct ctl_conn *c, struct imsg *imsg)
{
	struct ctl_rib_request	 req;

	if (imsg_get_data(imsg, &req, sizeof(req)) == -1) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	if (session_to_rde(IMSG_CTL_SHOW_RIB, c->id, &req, sizeof(req)) == -1)
		fatal("%s: compose", __func__);
}

/* The optional reason of neighbor down: a NUL-terminated text. */
static int
control_reason(struct imsg *imsg, char *buf, size_t size)
{
	size_t		 len = ibuf_left(&imsg->buf);
	const char	*p = ibuf_data(&imsg->buf);

	buf[0] = '\0';
	if (len == 0)
		return 0;
	if (p[len - 1] != '\0' || strlen(p) + 1 != len || len > size)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

/* neighbor ADDR up | down ["reason"] | clear | refresh */
static void
control_neighbor_op(struct ctl_conn *c, struct imsg *imsg)
{
	char		 reason[BGP_SHUTDOWN_COMM_MAX + 1], err[128];
	struct peer	*p;
	uint32_t	 type = imsg->hdr.type;

	if ((p = control_peer(c, imsg)) == NULL)
		return;
	if (type == IMSG_CTL_NEIGHBOR_DOWN) {
		if (control_reason(imsg, reason, sizeof(reason)) == -1) {
			control_result_end(c, CTL_RES_PARSE, "bad reason: "
			    "at most 255 bytes");
			return;
		}
	} else if (ibuf_left(&imsg->buf) != 0) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	switch (type) {
	case IMSG_CTL_NEIGHBOR_UP:
		session_neighbor_up(p);
		control_result_end(c, CTL_RES_OK, "neighbor up");
		break;
	case IMSG_CTL_NEIGHBOR_DOWN:
		session_neighbor_down(p, reason[0] ? reason : NULL);
		control_result_end(c, CTL_RES_OK, "neighbor down");
		break;
	case IMSG_CTL_NEIGHBOR_CLEAR:
		session_neighbor_clear(p);
		control_result_end(c, CTL_RES_OK, "neighbor cleared");
		break;
	default:
		if (session_neighbor_refresh(p, err, sizeof(err)) == -1)
			control_result_end(c, CTL_RES_FAILED, err);
		else
			control_result_end(c, CTL_RES_OK, "route refresh sent");
		break;
	}
}

/* Request payload: empty (all VRFs) or a NUL-terminated name. */
static int
control_vrf_name(struct imsg *imsg)
{
	size_t		 len = imsg_get_len(imsg);
	const char	*p = ibuf_data(&imsg->buf);

	if (len == 0)
		return 0;
	/* 1 to VRF_NAME_LEN - 1 characters and the NUL, nothing after it */
	if (len < 2 || len > VRF_NAME_LEN || p[len - 1] != '\0' ||
	    strlen(p) + 1 != len)
		return -1;
	return 0;
}

/*
 * show vrf, show sid, show locator: the RDE holds the live state (tables,
 * SIDs, counters) and answers; the SE checks the request and relays the
 * replies until END.
 */
static void
control_show_rde(struct ctl_conn *c, struct imsg *imsg)
{
	uint32_t	type = imsg->hdr.type;
	size_t		len = imsg_get_len(imsg);

	if (type == IMSG_CTL_SHOW_VRF ? control_vrf_name(imsg) == -1 :
	    len != 0) {
		control_result_end(c, CTL_RES_PARSE, type == IMSG_CTL_SHOW_VRF ?
		    "bad vrf name" : "bad request length");
		return;
	}
	if (session_to_rde(type, c->id, ibuf_data(&imsg->buf), len) == -1)
		fatal("%s: compose", __func__);
}

static void
control_reload(struct ctl_conn *c, struct imsg *imsg)
{
	if (imsg_get_len(imsg) != 0) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	/* The parent answers with IMSG_CTL_RESULT for peerid c->id. */
	if (session_to_parent(IMSG_CTL_RELOAD, c->id, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

/* show fib: the parent holds the kernel state; SE relays its replies. */
static void
control_show_fib(struct ctl_conn *c, struct imsg *imsg)
{
	if (imsg_get_len(imsg) != 0) {
		control_result_end(c, CTL_RES_PARSE, "bad request length");
		return;
	}
	if (session_to_parent(IMSG_CTL_SHOW_FIB, c->id, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

static void
control_log_verbose(struct ctl_conn *c, struct imsg *imsg)
{
	uint32_t	 v;

	if (imsg_get_data(imsg, &v, sizeof(v)) == -1 || v > 1) {
		control_result_end(c, CTL_RES_PARSE, "bad log level");
		return;
	}
	log_setverbose(v);
	if (session_to_parent(IMSG_CTL_LOG_VERBOSE, 0, &v, sizeof(v)) == -1)
		fatal("%s: compose", __func__);
	log_info("logging %s", v ? "verbose" : "brief");
	control_result_end(c, CTL_RES_OK, v ? "logging verbose" :
	    "logging brief");
}
