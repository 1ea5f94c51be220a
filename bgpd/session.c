/*
 * Session engine (SE): unprivileged, chrooted.  For now it keeps the
 * neighbor table built from the configuration (every neighbor Idle) and
 * serves the control socket; the BGP FSM comes in a later issue and hangs
 * on struct peer.
 */
#include <sys/tree.h>
#include <sys/types.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "session.h"
#include "srv6d.h"

struct peer_tree	 se_peers = RB_INITIALIZER(&se_peers);
struct srv6d_config	*se_conf;
time_t			 se_started;
time_t			 se_reloaded;

static struct srv6d_config	*se_pending;	/* being received */
static struct imsgev		 se_iev_parent;
static struct imsgev		 se_iev_rde;
static uint32_t			 se_peer_nextid = 1;
static int			 se_reloads;	/* streams committed */

static int
peer_cmp(struct peer *a, struct peer *b)
{
	return addr_cmp(&a->conf.addr, &b->conf.addr);
}

RB_GENERATE(peer_tree, peer, entry, peer_cmp)

struct peer *
peer_find(struct peer_tree *t, const struct srv6d_addr *addr)
{
	struct peer	key;

	memset(&key, 0, sizeof(key));
	key.conf.addr = *addr;
	return RB_FIND(peer_tree, t, &key);
}

static void
peer_setconf(struct peer *p, const struct neighbor_config *nc)
{
	p->conf = *nc;
	/* The copy must not point into a config that will be freed. */
	memset(&p->conf.entry, 0, sizeof(p->conf.entry));
}

static struct peer *
peer_add(struct peer_tree *t, const struct neighbor_config *nc)
{
	struct peer	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	peer_setconf(p, nc);
	p->id = se_peer_nextid++;
	p->state = NSTATE_IDLE;
	p->state_since = time(NULL);
	if (RB_INSERT(peer_tree, t, p) != NULL)
		fatalx("%s: duplicate neighbor %s", __func__,
		    addr2str(&nc->addr));
	return p;
}

static void
peer_remove(struct peer_tree *t, struct peer *p)
{
	RB_REMOVE(peer_tree, t, p);
	free(p);
}

void
peer_tree_clear(struct peer_tree *t)
{
	struct peer	*p, *next;

	RB_FOREACH_SAFE(p, peer_tree, t, next)
		peer_remove(t, p);
}

static const char *
peer_label(const struct neighbor_config *nc)
{
	static char	 buf[128];

	if (nc->descr[0] != '\0')
		snprintf(buf, sizeof(buf), "%s (%s)", addr2str(&nc->addr),
		    nc->descr);
	else
		snprintf(buf, sizeof(buf), "%s", addr2str(&nc->addr));
	return buf;
}

/*
 * Bring the neighbor table in line with a new configuration.  A neighbor
 * whose configuration did not change keeps its struct peer untouched (its
 * session, state and counters survive the reload); a changed one gets the
 * new configuration in place; the others are added or removed.
 */
void
session_apply_config(struct peer_tree *t, const struct srv6d_config *nconf,
    struct session_reload_stats *st)
{
	struct neighbor_config	*nc;
	struct peer		*p, *next;

	memset(st, 0, sizeof(*st));
	RB_FOREACH_SAFE(p, peer_tree, t, next) {
		nc = config_find_neighbor(nconf, &p->conf.addr);
		if (nc == NULL) {
			log_info("neighbor %s removed", peer_label(&p->conf));
			peer_remove(t, p);
			st->removed++;
		} else if (!neighbor_config_equal(&p->conf, nc)) {
			peer_setconf(p, nc);
			log_info("neighbor %s changed", peer_label(nc));
			st->changed++;
		} else
			st->kept++;
	}
	TAILQ_FOREACH(nc, &nconf->neighbors, entry) {
		if (peer_find(t, &nc->addr) != NULL)
			continue;
		peer_add(t, nc);
		log_info("neighbor %s added", peer_label(nc));
		st->added++;
	}
}

void
session_fill_summary(struct ctl_show_summary *s)
{
	struct peer	*p;

	memset(s, 0, sizeof(*s));
	strlcpy(s->version, SRV6D_VERSION, sizeof(s->version));
	s->started = se_started;
	s->reloaded = se_reloaded;
	s->verbose = log_getverbose();
	RB_FOREACH(p, peer_tree, &se_peers) {
		s->n_neighbors++;
		if (p->state == NSTATE_ESTABLISHED)
			s->n_established++;
	}
	if (se_conf != NULL) {
		struct vrf_config	*v;

		s->as = se_conf->as;
		s->router_id = se_conf->router_id;
		s->n_locators = se_conf->n_locators;
		TAILQ_FOREACH(v, &se_conf->vrfs, entry)
			s->n_vrfs++;
	}
	/* kernel_mode: the parent will report it once fibd detects it. */
}

void
session_fill_neighbor(const struct peer *p, struct ctl_show_neighbor *n)
{
	const struct neighbor_config	*nc = &p->conf;

	memset(n, 0, sizeof(*n));
	n->addr = nc->addr;
	n->local_addr = nc->local_addr;
	strlcpy(n->descr, nc->descr, sizeof(n->descr));
	strlcpy(n->group, nc->group, sizeof(n->group));
	n->remote_as = nc->remote_as;
	n->holdtime = nc->holdtime;
	n->flags = nc->flags;
	n->afs = nc->afs;
	n->md5 = nc->password[0] != '\0';
	n->state = p->state;
	n->state_since = p->state_since;
}

int
session_to_parent(uint32_t type, uint32_t peerid, const void *data,
    size_t len)
{
	return imsgev_compose(&se_iev_parent, type, peerid, 0, -1, data, len);
}

/* A complete config stream arrived: swap it in and acknowledge. */
static void
session_reload_commit(void)
{
	struct session_reload_stats	 st;

	if (se_pending == NULL)
		fatalx("config done without a config");
	session_apply_config(&se_peers, se_pending, &st);
	config_free(se_conf);
	se_conf = se_pending;
	se_pending = NULL;
	if (se_reloads++ > 0)
		se_reloaded = time(NULL);
	log_debug("config in place: %u neighbors kept, %u changed, "
	    "%u added, %u removed", st.kept, st.changed, st.added, st.removed);
	if (session_to_parent(IMSG_RECONF_DONE, 0, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

static void
session_imsg_parent(struct imsg *imsg, void *arg)
{
	size_t	 len;
	int	 fd;

	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_SOCKET_CTL:
	case IMSG_SOCKET_RCTL:
		if (imsg_get_len(imsg) != 0 ||
		    (fd = imsg_get_fd(imsg)) == -1)
			fatalx("bad control socket imsg from parent");
		control_listen(fd, imsg->hdr.type == IMSG_SOCKET_RCTL);
		break;
	case IMSG_RECONF_CONF:
		/* A new stream starts over whatever was half received. */
		config_free(se_pending);
		se_pending = NULL;
		/* FALLTHROUGH */
	case IMSG_RECONF_LOCATOR:
	case IMSG_RECONF_LISTEN:
	case IMSG_RECONF_VRF:
	case IMSG_RECONF_NEIGHBOR:
		if (config_recv(&se_pending, imsg) == -1)
			fatalx("malformed config imsg %u from parent",
			    imsg->hdr.type);
		break;
	case IMSG_RECONF_DONE:
		if (imsg_get_len(imsg) != 0)
			fatalx("bad config done imsg from parent");
		session_reload_commit();
		break;
	case IMSG_RECONF_ABORT:
		config_free(se_pending);
		se_pending = NULL;
		break;
	case IMSG_CTL_RESULT:
		/* struct ctl_result, then a NUL-terminated text */
		len = imsg_get_len(imsg);
		if (len < sizeof(struct ctl_result) + 1 ||
		    ((const char *)ibuf_data(&imsg->buf))[len - 1] != '\0')
			fatalx("bad control result imsg from parent");
		control_relay(imsg, true);
		break;
	default:
		fatalx("unexpected imsg %u from parent", imsg->hdr.type);
	}
}

static void
session_imsg_rde(struct imsg *imsg, void *arg)
{
	(void)arg;
	/* Nothing flows from the RDE to the SE yet. */
	fatalx("unexpected imsg %u from route decision engine",
	    imsg->hdr.type);
}

void
session_main(int debug, int verbose)
{
	proc_child_init(PROC_SE, debug, verbose);
	proc_child_channels(&se_iev_parent, session_imsg_parent, &se_iev_rde, PROC_RDE,
	    session_imsg_rde);
	se_started = time(NULL);
	log_debug("started");

	event_dispatch();

	control_shutdown();
	peer_tree_clear(&se_peers);
	config_free(se_conf);
	config_free(se_pending);
	log_debug("exiting");
	exit(0);
}
