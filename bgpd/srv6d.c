/*
 * srv6d: the parent process.  It parses the configuration, creates the
 * control sockets and the channels, starts the session engine and the
 * route decision engine (proc.c), streams them the configuration, and
 * reloads it on SIGHUP or `srv6ctl reload`.  It keeps root: it binds the
 * BGP listeners (port 179 needs privilege) and owns netlink (fibd/): it
 * detects the kernel mode at start-up and takes the RDE's FIB batches.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "fib.h"
#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "rde.h"
#include "session.h"
#include "srv6d.h"

#define CHILD_STOP_WAIT_MS	5000	/* SIGTERM, then SIGKILL */
/* Longest reload error text sent back to srv6ctl. */
#define CTL_ERRORS_MAX		(16 * 1024)

struct child {
	enum srv6d_process	 proc;
	pid_t			 pid;	/* 0 once reaped */
	struct imsgev		 iev;
	bool			 acked;	/* this config stream */
};

/* A configuration stream in flight; commit when both children acked. */
struct reload {
	bool			 pending;
	struct srv6d_config	*nconf;	/* NULL: start-up */
	uint32_t		 peerid;	/* client, if from_ctl */
	bool			 from_ctl;
};

/* A bound BGP listener, kept across reloads while configured. */
struct parent_listener {
	TAILQ_ENTRY(parent_listener) entry;
	struct srv6d_addr	 addr;
	uint16_t		 port;
	int			 fd;
	bool			 keep;	/* in the config being sent */
};
TAILQ_HEAD(parent_listener_head, parent_listener);

static struct child		 children[2] = {
	{ .proc = PROC_SE }, { .proc = PROC_RDE }
};
#define CHILD_SE	(&children[0])
#define CHILD_RDE	(&children[1])

static struct srv6d_config	*conf;
static const char		*conffile = SRV6D_CONFFILE;
static const char		*ctl_path = SRV6D_SOCKET;
static const char		*rctl_path = SRV6D_RSOCKET;
static int			 ctl_made, rctl_made;
static struct reload		 reload;
static int			 quitting;
static struct parent_listener_head parent_listeners =
    TAILQ_HEAD_INITIALIZER(parent_listeners);
/* Neighbor ids are never reused: this only goes up. */
static uint32_t			 parent_neighbor_nextid = 1;

static void	parent_listeners_clear(void);

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: srv6d [-dnv] [-f file] [-s socket] "
	    "[-S restricted-socket]\n");
	exit(1);
}

static const char *
parent_status_str(int status)
{
	static char	 buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "stopped (status 0x%x)", status);
	return buf;
}

/* Wait at most ms milliseconds for pid; -1 if it is still running. */
static int
parent_wait(pid_t pid, int ms, int *status)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	pid_t		 r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r == -1 && errno == ECHILD))
			return r == pid ? 0 : -1;
		if (r == -1 && errno != EINTR)
			return -1;
		if (ms <= 0)
			return -1;
		nanosleep(&ts, NULL);
		ms -= 10;
	}
}

/* Stop the children that are still there, politely then not. */
static void
parent_stop_children(void)
{
	struct child	*c;
	int		 status;
	size_t		 i;

	for (i = 0; i < 2; i++)
		if (children[i].pid > 0)
			kill(children[i].pid, SIGTERM);
	for (i = 0; i < 2; i++) {
		c = &children[i];
		if (c->pid <= 0)
			continue;
		if (parent_wait(c->pid, CHILD_STOP_WAIT_MS, &status) == -1) {
			log_warnx("%s does not stop, killing it",
			    proc_name(c->proc));
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			log_warnx("%s %s", proc_name(c->proc),
			    parent_status_str(status));
		c->pid = 0;
	}
}

static __attribute__((noreturn)) void
parent_exit(int code)
{
	quitting = 1;
	parent_stop_children();
	if (ctl_made)
		control_cleanup(ctl_path);
	if (rctl_made)
		control_cleanup(rctl_path);
	parent_listeners_clear();
	fk_stop();
	fib_shutdown();
	config_free(reload.nconf);
	config_free(conf);
	log_info("terminating");
	exit(code);
}

/* A child went away on its own: nothing can go on without it. */
static __attribute__((noreturn)) void
parent_child_died(struct child *c, int status)
{
	log_warnx("%s (pid %d) %s, stopping", proc_name(c->proc), (int)c->pid,
	    parent_status_str(status));
	c->pid = 0;
	parent_exit(1);
}

static struct child *
parent_child_by_pid(pid_t pid)
{
	size_t	i;

	for (i = 0; i < 2; i++)
		if (children[i].pid == pid && pid > 0)
			return &children[i];
	return NULL;
}

static void
parent_reap(void)
{
	struct child	*c;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = parent_child_by_pid(pid)) != NULL)
			parent_child_died(c, status);
	}
}

/* EOF on a child's channel: learn how it ended, then give up. */
static __attribute__((noreturn)) void
parent_child_lost(struct child *c)
{
	int	 status;

	log_warnx("lost the channel to %s", proc_name(c->proc));
	if (parent_wait(c->pid, 1000, &status) == -1) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &status, 0);
	}
	parent_child_died(c, status);
}

/* Answer control client `peerid` through the SE. */
static void
parent_ctl_result(uint32_t peerid, enum ctl_result_code code,
    const char *msg)
{
	struct ctl_result	 res = { .code = code };
	struct ibuf		*wb;
	size_t			 len = strnlen(msg, CTL_ERRORS_MAX);

	wb = imsg_create(&CHILD_SE->iev.ibuf, IMSG_CTL_RESULT, peerid, 0,
	    sizeof(res) + len + 1);
	if (wb == NULL || imsg_add(wb, &res, sizeof(res)) == -1 ||
	    imsg_add(wb, msg, len) == -1 || imsg_add(wb, "", 1) == -1)
		fatal("%s", __func__);
	imsg_close(&CHILD_SE->iev.ibuf, wb);
	imsgev_add(&CHILD_SE->iev);
}

/*
 * Give every neighbor of a freshly parsed config its id: the one it had in
 * the running config (same address), else the next never-used one.
 */
static void
parent_assign_ids(struct srv6d_config *nconf, const struct srv6d_config *run)
{
	struct neighbor_config	*nc, *old;

	TAILQ_FOREACH(nc, &nconf->neighbors, entry) {
		old = run != NULL ? config_find_neighbor(run, &nc->addr) : NULL;
		if (old != NULL && old->id != 0)
			nc->id = old->id;
		else
			nc->id = parent_neighbor_nextid++;
	}
}

static void
parent_sockopt(int fd, int level, int name, int on)
{
	if (setsockopt(fd, level, name, &on, sizeof(on)) == -1)
		log_warn("listener: setsockopt %d/%d", level, name);
}

/*
 * Bind one BGP listener.  v6 sockets are v6 only so that 0.0.0.0 and ::
 * can both listen on 179; IP_FREEBIND lets an address that is not up yet
 * be configured.  Returns -1 (logged) on failure.
 */
static int
parent_listen_bind(const struct srv6d_addr *a, uint16_t port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	int			 fd;

	slen = session_sockaddr(a, port, &ss);
	fd = socket(a->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1) {
		log_warn("listen on %s port %u: socket", addr2str(a), port);
		return -1;
	}
	parent_sockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	parent_sockopt(fd, IPPROTO_IP, IP_FREEBIND, 1);
	if (a->af == AF_INET6)
		parent_sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	if (bind(fd, (struct sockaddr *)&ss, slen) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		log_warn("listen on %s port %u", addr2str(a), port);
		close(fd);
		return -1;
	}
	log_debug("listening on %s port %u", addr2str(a), port);
	return fd;
}

static struct parent_listener *
parent_listener_find(const struct srv6d_addr *a, uint16_t port)
{
	struct parent_listener	*l;

	TAILQ_FOREACH(l, &parent_listeners, entry)
		if (l->port == port && addr_cmp(&l->addr, a) == 0)
			return l;
	return NULL;
}

/* Want a listener on a/port: keep the bound one or bind it. */
static void
parent_listener_want(const struct srv6d_addr *a, uint16_t port)
{
	struct parent_listener	*l;
	int			 fd;

	if ((l = parent_listener_find(a, port)) != NULL) {
		l->keep = true;
		return;
	}
	if ((fd = parent_listen_bind(a, port)) == -1)
		return;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("%s", __func__);
	l->addr = *a;
	l->port = port;
	l->fd = fd;
	l->keep = true;
	TAILQ_INSERT_TAIL(&parent_listeners, l, entry);
}

/*
 * Bring the bound listeners in line with c: `listen on` addresses, or by
 * default 0.0.0.0 and :: on port 179.  Only new ones are bound; the
 * others stay bound (the SE keeps accepting on them).
 */
static void
parent_listeners_update(const struct srv6d_config *c)
{
	struct parent_listener	*l, *next;
	struct listen_config	*la;
	struct srv6d_addr	 any;

	TAILQ_FOREACH(l, &parent_listeners, entry)
		l->keep = false;
	if (TAILQ_EMPTY(&c->listens)) {
		memset(&any, 0, sizeof(any));
		any.af = AF_INET;
		parent_listener_want(&any, BGP_PORT);
		any.af = AF_INET6;
		parent_listener_want(&any, BGP_PORT);
	}
	TAILQ_FOREACH(la, &c->listens, entry)
		parent_listener_want(&la->addr, la->port);
	TAILQ_FOREACH_SAFE(l, &parent_listeners, entry, next) {
		if (l->keep)
			continue;
		log_debug("no longer listening on %s port %u",
		    addr2str(&l->addr), l->port);
		TAILQ_REMOVE(&parent_listeners, l, entry);
		close(l->fd);
		free(l);
	}
}

/*
 * The SE gets a copy of every listener before each config stream; at the
 * end of the stream it closes those it had that are not in this set.
 */
static void
parent_send_listeners(void)
{
	struct parent_listener	*l;
	struct ibuf		*wb;
	int			 fd;

	TAILQ_FOREACH(l, &parent_listeners, entry) {
		if ((fd = fcntl(l->fd, F_DUPFD_CLOEXEC, 0)) == -1)
			fatal("%s: dup", __func__);
		wb = imsg_create(&CHILD_SE->iev.ibuf, IMSG_SOCKET_LISTEN, 0, 0,
		    sizeof(l->addr) + sizeof(l->port));
		if (wb == NULL || imsg_add(wb, &l->addr, sizeof(l->addr)) ==
		    -1 || imsg_add(wb, &l->port, sizeof(l->port)) == -1)
			fatal("%s", __func__);
		wb->fd = fd;
		imsg_close(&CHILD_SE->iev.ibuf, wb);
	}
	imsgev_add(&CHILD_SE->iev);
}

static void
parent_listeners_clear(void)
{
	struct parent_listener	*l;

	while ((l = TAILQ_FIRST(&parent_listeners)) != NULL) {
		TAILQ_REMOVE(&parent_listeners, l, entry);
		close(l->fd);
		free(l);
	}
}

static void
parent_send_config(const struct srv6d_config *c)
{
	size_t	i;

	parent_listeners_update(c);
	parent_send_listeners();
	for (i = 0; i < 2; i++) {
		children[i].acked = false;
		if (config_send(&children[i].iev.ibuf, c) == -1)
			fatal("sending config to %s",
			    proc_name(children[i].proc));
		imsgev_add(&children[i].iev);
	}
}

static void
parent_log_errors(const char *errors)
{
	const char	*p, *nl;

	for (p = errors; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			log_warnx("%s", p);
			break;
		}
		log_warnx("%.*s", (int)(nl - p), p);
	}
}

/*
 * Parse the file aside; a bad file changes nothing.  A good one is
 * streamed to both children and becomes ours only once both acked
 * (parent_reload_ack).  peerid names the control client to answer, if
 * from_ctl.
 */
static void
parent_reload(uint32_t peerid, bool from_ctl)
{
	struct srv6d_config	*nconf;
	char			*errors = NULL;

	if (reload.pending) {
		log_warnx("reload requested while one is in progress");
		if (from_ctl)
			parent_ctl_result(peerid, CTL_RES_BUSY,
			    "a reload is already in progress");
		return;
	}
	log_info("reloading config %s", conffile);
	if ((nconf = parse_config(conffile, &errors)) == NULL) {
		log_warnx("reload failed, keeping the running config:");
		parent_log_errors(errors);
		if (from_ctl)
			parent_ctl_result(peerid, CTL_RES_FAILED,
			    errors != NULL ? errors : "reload failed\n");
		free(errors);
		return;
	}
	free(errors);
	parent_assign_ids(nconf, conf);
	reload.pending = true;
	reload.nconf = nconf;
	reload.peerid = peerid;
	reload.from_ctl = from_ctl;
	parent_send_config(nconf);
}

static void
parent_reload_ack(struct child *c)
{
	if (!reload.pending || c->acked) {
		log_warnx("unexpected config ack from %s, ignored",
		    proc_name(c->proc));
		return;
	}
	c->acked = true;
	if (!CHILD_SE->acked || !CHILD_RDE->acked)
		return;
	reload.pending = false;
	if (reload.nconf == NULL) {
		log_debug("children configured");
		return;
	}
	fk_reconfig(reload.nconf, conf);
	config_free(conf);
	conf = reload.nconf;
	reload.nconf = NULL;
	log_info("reload done");
	if (reload.from_ctl)
		parent_ctl_result(reload.peerid, CTL_RES_OK, "reload done");
}

/*
 * srv6ctl show fib: what fibd did to the kernel, then its recent
 * refusals, newest first, and the end, for client peerid.
 */
static void
parent_show_fib_errors(uint32_t peerid)
{
	const struct fk_fail	*f;
	struct ctl_fib_error	 e;
	size_t			 i;

	for (i = 0; (f = fk_fail_get(i)) != NULL; i++) {
		memset(&e, 0, sizeof(e));
		e.time = f->time;
		e.error = f->error;
		strlcpy(e.what, f->what, sizeof(e.what));
		strlcpy(e.extack, f->extack, sizeof(e.extack));
		if (imsgev_compose(&CHILD_SE->iev, IMSG_CTL_SHOW_FIB_ERROR,
		    peerid, 0, -1, &e, sizeof(e)) == -1)
			fatal("%s", __func__);
	}
	if (imsgev_compose(&CHILD_SE->iev, IMSG_CTL_END, peerid, 0, -1, NULL,
	    0) == -1)
		fatal("%s", __func__);
}

static void
parent_show_fib(uint32_t peerid)
{
	struct fk_stats		st;
	struct ctl_show_fib	sf;

	fk_stats(&st);
	memset(&sf, 0, sizeof(sf));
	strlcpy(sf.kernel_mode, kernel_mode_name(fib_kernel_mode()),
	    sizeof(sf.kernel_mode));
	sf.sent = st.sent;
	sf.acked = st.acked;
	sf.failed = st.failed;
	sf.pending = st.pending;
	sf.routes = st.routes;
	sf.sids = st.sids;
	sf.nexthops = st.nexthops;
	sf.adopted = st.adopted;
	sf.stale_removed = st.stale_removed;
	sf.resyncs = st.resyncs;
	sf.n_errors = fk_fail_count();
	if (imsgev_compose(&CHILD_SE->iev, IMSG_CTL_SHOW_FIB, peerid, 0, -1,
	    &sf, sizeof(sf)) == -1)
		fatal("%s", __func__);
	parent_show_fib_errors(peerid);
}

/*
 * show sid: every local SID's kernel counters for the RDE, in chunks
 * that fit an imsg, then an empty IMSG_FIB_COUNTERS that ends them.
 */
#define COUNTERS_CHUNK	((MAX_IMSGSIZE - IMSG_HEADER_SIZE) / \
			    sizeof(struct fib_sid_counter))
struct parent_counters {
	uint32_t		 peerid;
	size_t			 n;
	struct fib_sid_counter	 c[COUNTERS_CHUNK];
};

static void
parent_counters_flush(struct parent_counters *pc)
{
	if (imsgev_compose(&CHILD_RDE->iev, IMSG_FIB_COUNTERS, pc->peerid, 0,
	    -1, pc->c, pc->n * sizeof(pc->c[0])) == -1)
		fatal("%s", __func__);
	pc->n = 0;
}

static void
parent_counter(const struct in6_addr *sid, uint64_t packets, uint64_t bytes,
    uint64_t errors, void *arg)
{
	struct parent_counters	*pc = arg;

	pc->c[pc->n++] = (struct fib_sid_counter){ *sid, packets, bytes,
	    errors };
	if (pc->n == COUNTERS_CHUNK)
		parent_counters_flush(pc);
}

static void
parent_fib_counters(uint32_t peerid)
{
	static struct parent_counters	pc;

	pc.peerid = peerid;
	pc.n = 0;
	fk_sid_counters(parent_counter, &pc);
	if (pc.n > 0)
		parent_counters_flush(&pc);
	parent_counters_flush(&pc);	/* the end */
}

static void
parent_imsg_se(struct imsg *imsg, void *arg)
{
	uint32_t	 v;

	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_CTL_RELOAD:
		if (imsg_get_len(imsg) != 0)
			break;
		parent_reload(imsg->hdr.peerid, true);
		return;
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &v, sizeof(v)) == -1 || v > 1)
			break;
		log_setverbose(v);
		log_info("logging %s", v ? "verbose" : "brief");
		if (imsgev_compose(&CHILD_RDE->iev, IMSG_CTL_LOG_VERBOSE, 0, 0,
		    -1, &v, sizeof(v)) == -1)
			fatal("%s: compose", __func__);
		return;
	case IMSG_RECONF_DONE:
		if (imsg_get_len(imsg) != 0)
			break;
		parent_reload_ack(CHILD_SE);
		return;
	case IMSG_CTL_SHOW_FIB:
		if (imsg_get_len(imsg) != 0)
			break;
		parent_show_fib(imsg->hdr.peerid);
		return;
	}
	log_warnx("unexpected imsg %u (length %zu) from session engine, "
	    "dropped", imsg->hdr.type, imsg_get_len(imsg));
}

/* A malformed batch from our own RDE is a broken invariant: fatal. */
static void
parent_imsg_fib(struct imsg *imsg)
{
	const char	*why = "?";
	int		 r;

	if (imsg->hdr.type == IMSG_FIB_ROUTES)
		r = fib_imsg_routes(ibuf_data(&imsg->buf), imsg_get_len(imsg),
		    &why);
	else
		r = fib_imsg_sids(ibuf_data(&imsg->buf), imsg_get_len(imsg),
		    &why);
	if (r == -1)
		fatalx("bad %s imsg from route decision engine: %s",
		    imsg->hdr.type == IMSG_FIB_ROUTES ? "fib routes" :
		    "fib sids", why);
	fk_commit();
}

/* Kernel routes of the VRF tables, for `network connected|kernel'. */
static void
parent_kroutes(uint32_t type, const void *data, size_t len)
{
	if (imsgev_compose(&CHILD_RDE->iev, type, 0, 0, -1, data, len) == -1)
		fatal("%s", __func__);
}

static void
parent_imsg_rde(struct imsg *imsg, void *arg)
{
	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_RECONF_DONE:
		if (imsg_get_len(imsg) != 0)
			break;
		parent_reload_ack(CHILD_RDE);
		return;
	case IMSG_FIB_ROUTES:
	case IMSG_FIB_SIDS:
		parent_imsg_fib(imsg);
		return;
	case IMSG_FIB_SYNCED:
		if (imsg_get_len(imsg) != 0)
			break;
		fk_synced();
		return;
	case IMSG_FIB_COUNTERS:
		if (imsg_get_len(imsg) != 0)
			break;
		parent_fib_counters(imsg->hdr.peerid);
		return;
	}
	log_warnx("unexpected imsg %u (length %zu) from route decision "
	    "engine, dropped", imsg->hdr.type, imsg_get_len(imsg));
}

static void
parent_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct child	*c = iev->data;

	(void)fd;
	if (imsgev_dispatch(iev, event, proc_name(c->proc),
	    c == CHILD_SE ? parent_imsg_se : parent_imsg_rde, NULL) == -1)
		parent_child_lost(c);
}

static void
parent_sig(int sig, short event, void *arg)
{
	(void)event;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("signal %s, shutting down", strsignal(sig));
		parent_exit(0);
	case SIGHUP:
		parent_reload(0, false);
		break;
	case SIGCHLD:
		if (!quitting)
			parent_reap();
		break;
	}
}

/* Socket pairs: [0] stays with the parent or the SE, [1] goes across. */
static void
parent_socketpair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
}

/* Both children learn the kernel mode before their first configuration. */
static void
parent_send_kernel_mode(void)
{
	uint32_t	 mode = fib_kernel_mode();
	size_t		 i;

	for (i = 0; i < 2; i++)
		if (imsgev_compose(&children[i].iev, IMSG_KERNEL_MODE, 0, 0, -1,
		    &mode, sizeof(mode)) == -1)
			fatal("sending the kernel mode to %s",
			    proc_name(children[i].proc));
}

static void
parent_start_children(int debug, int verbose, int ctl_fd, int rctl_fd)
{
	int	 se[2], rde[2], peer[2];

	parent_socketpair(se);
	parent_socketpair(rde);
	parent_socketpair(peer);
	CHILD_SE->pid = proc_start(PROC_SE, se[1], peer[0], debug, verbose);
	CHILD_RDE->pid = proc_start(PROC_RDE, rde[1], peer[1], debug,
	    verbose);
	close(se[1]);
	close(rde[1]);
	close(peer[0]);
	close(peer[1]);
	proc_set_nonblock(se[0]);
	proc_set_nonblock(rde[0]);
	imsgev_init(&CHILD_SE->iev, se[0], parent_dispatch, CHILD_SE);
	imsgev_init(&CHILD_RDE->iev, rde[0], parent_dispatch, CHILD_RDE);

	/* The SE serves the control sockets; they leave us with the imsg. */
	if (imsgev_compose(&CHILD_SE->iev, IMSG_SOCKET_CTL, 0, 0, ctl_fd,
	    NULL, 0) == -1 ||
	    imsgev_compose(&CHILD_SE->iev, IMSG_SOCKET_RCTL, 0, 0, rctl_fd,
	    NULL, 0) == -1)
		fatal("passing the control sockets");

	parent_send_kernel_mode();

	/* The start-up stream is acked like a reload, with no commit. */
	reload.pending = true;
	parent_send_config(conf);
}

static int
parent_main(int debug, int noaction, int verbose)
{
	struct event	 ev_term, ev_int, ev_hup, ev_chld;
	enum kernel_mode kmode;
	char		*errors = NULL;
	int		 ctl_fd, rctl_fd;

	if ((conf = parse_config(conffile, &errors)) == NULL) {
		if (errors != NULL)
			fputs(errors, stderr);
		free(errors);
		return 1;
	}
	free(errors);
	parent_assign_ids(conf, NULL);
	if (noaction) {
		if (verbose)
			print_config(stdout, conf);
		config_free(conf);
		return 0;
	}
	if (geteuid() != 0)
		errx(1, "need root privileges");
	if (kmode_parse(getenv(KMODE_ENV), &kmode) == -1)
		errx(1, "%s: expected vrf, table or auto, not \"%s\"",
		    KMODE_ENV, getenv(KMODE_ENV));
	proc_preflight();
	log_setverbose(verbose);
	log_procinit(proc_name(PROC_PARENT));

	if ((ctl_fd = control_init(ctl_path, 0660)) == -1)
		return 1;
	ctl_made = 1;
	if ((rctl_fd = control_init(rctl_path, 0666)) == -1) {
		control_cleanup(ctl_path);
		return 1;
	}
	rctl_made = 1;

	if (!debug) {
		log_init(0, LOG_DAEMON);
		if (daemon(1, 0) == -1)
			fatal("daemon");
	}
	proc_title(proc_name(PROC_PARENT));
	log_info("starting srv6d %s, config %s", SRV6D_VERSION, conffile);
	fib_init(kmode_detect(kmode));

	event_init();
	signal(SIGPIPE, SIG_IGN);
	signal_set(&ev_term, SIGTERM, parent_sig, NULL);
	signal_set(&ev_int, SIGINT, parent_sig, NULL);
	signal_set(&ev_hup, SIGHUP, parent_sig, NULL);
	signal_set(&ev_chld, SIGCHLD, parent_sig, NULL);
	signal_add(&ev_term, NULL);
	signal_add(&ev_int, NULL);
	signal_add(&ev_hup, NULL);
	signal_add(&ev_chld, NULL);

	parent_start_children(debug, verbose, ctl_fd, rctl_fd);
	if (fk_start(fib_kernel_mode(), conf, parent_kroutes) == -1)
		log_warnx("fib: the kernel will not be programmed");

	event_dispatch();
	parent_exit(1);
}

/* The hidden role flags only make sense with the channels in place. */
static void
check_child_fds(void)
{
	if (fcntl(PROC_PARENT_FD, F_GETFD) == -1 ||
	    fcntl(PROC_PEER_FD, F_GETFD) == -1)
		errx(1, "-E and -R are for srv6d's own use");
}

int
main(int argc, char *argv[])
{
	extern char	**environ;
	int		 ch, debug = 0, noaction = 0, verbose = 0;
	int		 role = PROC_PARENT;

	proc_title_init(argc, argv, environ);
	log_init(1, LOG_DAEMON);

	while ((ch = getopt(argc, argv, "dEf:nRs:S:v")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'E':
			role = PROC_SE;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'R':
			role = PROC_RDE;
			break;
		case 's':
			ctl_path = optarg;
			break;
		case 'S':
			rctl_path = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	switch (role) {
	case PROC_SE:
		check_child_fds();
		session_main(debug, verbose);
	case PROC_RDE:
		check_child_fds();
		rde_main(debug, verbose);
	default:
		break;
	}
	return parent_main(debug, noaction, verbose);
}
