/*
 * Route decision engine (RDE): unprivileged, chrooted.  It receives the
 * configuration (one struct rde_peer per neighbor, by neighbor id; one
 * struct rde_vrf per VRF, kept untouched across reloads that do not
 * change it), the sessions' ups and downs and their UPDATEs from the
 * session engine, and hands the show requests the SE passes on to
 * rde_show.c.
 */
#include <sys/tree.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "rde.h"
#include "rde_show.h"
#include "srv6d.h"

struct srv6d_config	*rde_conf;
struct rde_peer_tree	 rde_peers = RB_INITIALIZER(&rde_peers);
struct rde_peer		 rde_peer_self;

static struct srv6d_config	*rde_pending;
static struct imsgev		 rde_iev_parent;
static struct imsgev		 rde_iev_se;

void
rde_parent_compose(uint32_t type, const void *data, size_t len)
{
	if (imsgev_compose(&rde_iev_parent, type, 0, 0, -1, data, len) == -1)
		fatal("%s", __func__);
}

/* ------------------------------------------------------------------ */
/* peers                                                               */

static int
rde_peer_cmp(struct rde_peer *a, struct rde_peer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(rde_peer_tree, rde_peer, entry, rde_peer_cmp)

struct rde_peer *
rde_peer_find(uint32_t id)
{
	struct rde_peer	key;

	if (id == 0)
		return &rde_peer_self;
	key.id = id;
	return RB_FIND(rde_peer_tree, &rde_peers, &key);
}

/* The session ended, or the neighbor is gone: forget what it sent. */
static void
rde_peer_down(struct rde_peer *peer)
{
	if (peer->state == PEER_DOWN)
		return;
	rde_out_peer_down(peer);
	rde_rib_peer_flush(peer);
	peer->state = PEER_DOWN;
	peer->eor_rcvd = 0;
	peer->since = time(NULL);
	log_debug("neighbor %s: down, %zu paths left in the RIB",
	    addr2str(&peer->conf->addr), rde_rib_paths());
}

static void
rde_local_addrs(const struct srv6d_config *conf)
{
	struct neighbor_config	*nc;
	struct listen_config	*lc;
	struct rde_peer		*peer;

	rde_local_addr_clear();
	TAILQ_FOREACH(nc, &conf->neighbors, entry)
		rde_local_addr_add(&nc->local_addr);
	TAILQ_FOREACH(lc, &conf->listens, entry)
		rde_local_addr_add(&lc->addr);
	RB_FOREACH(peer, rde_peer_tree, &rde_peers)
		if (peer->state != PEER_DOWN)
			rde_local_addr_add(&peer->sess.local_addr);
}

/*
 * Bring the peers in line with a new configuration, matched by neighbor
 * id.  A removed neighbor's routes go; the others keep theirs and point
 * at their new configuration.
 */
static void
rde_apply_peers(const struct srv6d_config *nconf)
{
	struct neighbor_config	*nc;
	struct rde_peer		*peer, *next;

	RB_FOREACH_SAFE(peer, rde_peer_tree, &rde_peers, next) {
		TAILQ_FOREACH(nc, &nconf->neighbors, entry)
			if (nc->id == peer->id)
				break;
		if (nc != NULL)
			continue;
		/* its old configuration is still there while it goes */
		rde_peer_down(peer);
		RB_REMOVE(rde_peer_tree, &rde_peers, peer);
		free(peer);
	}
	TAILQ_FOREACH(nc, &nconf->neighbors, entry) {
		if (nc->id == 0)
			fatalx("neighbor %s without an id", addr2str(&nc->addr));
		if ((peer = rde_peer_find(nc->id)) == NULL) {
			if ((peer = calloc(1, sizeof(*peer))) == NULL)
				fatal("%s", __func__);
			peer->id = nc->id;
			peer->state = PEER_DOWN;
			peer->since = time(NULL);
			RB_INSERT(rde_peer_tree, &rde_peers, peer);
		}
		peer->conf = nc;
		if (peer->state == PEER_DOWN) {
			peer->remote_as = nc->remote_as;
			peer->ebgp = nc->remote_as != nconf->as;
		}
	}
}

static void
rde_apply_self(const struct srv6d_config *conf)
{
	rde_self.as = conf->as;
	rde_self.router_id = conf->router_id;
	rde_self.cluster_id = conf->cluster_id.s_addr != 0 ?
	    conf->cluster_id : conf->router_id;
	rde_self.flags = conf->flags;
	rde_self.filters = &conf->filters;
	rde_peer_self.id = 0;
	rde_peer_self.state = PEER_UP;
	rde_peer_self.sess.remote_id = conf->router_id;
	rde_peer_self.remote_as = conf->as;
	rde_peer_self.ebgp = false;
}

uint32_t
rde_local_as(void)
{
	return rde_self.as;
}

struct in_addr
rde_router_id(void)
{
	return rde_self.router_id;
}

struct in_addr
rde_cluster_id(void)
{
	return rde_self.cluster_id;
}

void
rde_se_compose(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	if (imsgev_compose(&rde_iev_se, type, peerid, 0, -1, data, len) == -1)
		fatal("%s: compose", __func__);
}

struct imsgev *
rde_se_channel(void)
{
	return &rde_iev_se;
}

struct imsgev *
rde_parent_channel(void)
{
	return &rde_iev_parent;
}

/* ------------------------------------------------------------------ */
/* configuration                                                       */

/*
 * Run the import filters again over every received path (the received
 * attributes are all kept: as the path's own, or aside when a filter
 * changed them), then the decision: new filters apply without a session
 * reset.
 */
static void
rde_reeval_prefix(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct srv6d_prefix	 sp;
	struct rde_peer		*peer;
	struct rde_path		*p;
	struct rde_attrs	*in, *out;
	enum filter_action	 verdict;

	(void)arg;
	rde_prefix_get(pfx, &sp);
	RB_FOREACH(peer, rde_peer_tree, &rde_peers) {
		if ((p = rde_path_find(pfx, peer)) == NULL)
			continue;
		in = rde_path_attrs_in(p);
		rde_attrs_ref(in);
		verdict = rde_filter_apply(rde_self.filters, FILTER_IN, peer,
		    &sp, in, &out);
		rde_rib_update(t, peer, pfx->addr, pfx->len, in,
		    verdict == FILTER_ALLOW ? out : NULL);
		rde_attrs_unref(out);
		rde_attrs_unref(in);
	}
	rde_prefix_redecide(t, pfx);
}

static void
rde_reeval(void)
{
	int	aid;

	for (aid = 0; aid < AID_MAX; aid++)
		rde_rib_walk(&rde_tables[aid], rde_reeval_prefix, NULL);
}

static bool
rde_reeval_needed(const struct srv6d_config *o, const struct srv6d_config *n)
{
	return o == NULL || o->as != n->as || o->flags != n->flags ||
	    o->router_id.s_addr != n->router_id.s_addr ||
	    !filters_equal(&o->filters, &n->filters);
}

static void
rde_reload_commit(void)
{
	struct rde_reload_stats	 st;
	bool			 reeval;

	if (rde_pending == NULL)
		fatalx("config done without a config");
	reeval = rde_reeval_needed(rde_conf, rde_pending);
	rde_apply_config(&rde_vrfs, rde_pending, &st);
	rde_apply_peers(rde_pending);
	rde_apply_self(rde_pending);
	rde_local_addrs(rde_pending);
	if (reeval)
		rde_reeval();
	config_free(rde_conf);
	rde_conf = rde_pending;
	rde_pending = NULL;
	log_debug("config in place: %zu locators, vrfs %u kept, %u changed, "
	    "%u added, %u removed", rde_conf->n_locators, st.kept, st.changed,
	    st.added, st.removed);
	rde_vrf_reload();
	rde_out_reload();
	rde_fib_flush();
	if (imsgev_compose(&rde_iev_parent, IMSG_RECONF_DONE, 0, 0, -1, NULL,
	    0) == -1)
		fatal("%s: compose", __func__);
}

static void
rde_imsg_parent(struct imsg *imsg, void *arg)
{
	uint32_t	 verbose, mode;

	(void)arg;
	switch (config_stream(&rde_pending, imsg)) {
	case CONFIG_STREAM_DONE:
		rde_reload_commit();
		return;
	case CONFIG_STREAM_OTHER:
		break;
	default:
		return;
	}
	switch (imsg->hdr.type) {
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &verbose, sizeof(verbose)) == -1)
			fatalx("bad log verbose imsg from parent");
		log_setverbose(verbose);
		break;
	case IMSG_KERNEL_MODE:
		if (imsg_get_data(imsg, &mode, sizeof(mode)) == -1 ||
		    mode > KERNEL_MODE_TABLE)
			fatalx("bad kernel mode imsg from parent");
		rde_kernel_mode = mode;
		break;
	case IMSG_KROUTES:
		rde_vrf_kroutes(ibuf_data(&imsg->buf), imsg_get_len(imsg));
		rde_fib_flush();
		break;
	case IMSG_FIB_COUNTERS:
		rde_show_sid_counters(imsg);
		break;
	default:
		fatalx("unexpected imsg %u from parent", imsg->hdr.type);
	}
}

/* ------------------------------------------------------------------ */
/* sessions                                                            */

static struct rde_peer *
rde_imsg_peer(struct imsg *imsg)
{
	struct rde_peer	*peer;

	if (imsg->hdr.peerid == 0 ||
	    (peer = rde_peer_find(imsg->hdr.peerid)) == NULL) {
		log_warnx("imsg %u for unknown neighbor id %u", imsg->hdr.type,
		    imsg->hdr.peerid);
		return NULL;
	}
	return peer;
}

static void
rde_session_up(struct imsg *imsg)
{
	struct rde_peer	*peer;
	struct session_up sup;

	if (imsg_get_data(imsg, &sup, sizeof(sup)) == -1)
		fatalx("bad session up imsg from session engine");
	if ((peer = rde_imsg_peer(imsg)) == NULL)
		return;
	if (peer->state != PEER_DOWN)
		rde_peer_down(peer);
	peer->sess = sup;
	peer->ebgp = sup.ebgp != 0;
	peer->remote_as = sup.remote_as;
	peer->state = PEER_UP;
	peer->since = time(NULL);
	rde_local_addr_add(&sup.local_addr);
	log_debug("neighbor %s: up", addr2str(&peer->conf->addr));
	rde_out_peer_up(peer);
}

static void
rde_session_down(struct imsg *imsg)
{
	struct rde_peer	*peer;

	if (imsg_get_len(imsg) != 0)
		fatalx("bad session down imsg from session engine");
	if ((peer = rde_imsg_peer(imsg)) != NULL)
		rde_peer_down(peer);
	rde_fib_flush();
}

static void
rde_session_update(struct imsg *imsg)
{
	struct rde_peer	*peer;

	if ((peer = rde_imsg_peer(imsg)) == NULL)
		return;
	rde_update(peer, ibuf_data(&imsg->buf), imsg_get_len(imsg));
	rde_fib_flush();
}

static void
rde_session_refresh(struct imsg *imsg)
{
	struct rde_peer		*peer;
	struct session_refresh	 r;

	if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
		fatalx("bad refresh imsg from session engine");
	if ((peer = rde_imsg_peer(imsg)) != NULL && peer->state == PEER_UP)
		rde_out_refresh(peer, &r);
}

/* ------------------------------------------------------------------ */

static void
rde_imsg_se(struct imsg *imsg, void *arg)
{
	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_SESSION_UP:
		rde_session_up(imsg);
		break;
	case IMSG_SESSION_DOWN:
		rde_session_down(imsg);
		break;
	case IMSG_UPDATE:
		rde_session_update(imsg);
		break;
	case IMSG_REFRESH:
		rde_session_refresh(imsg);
		break;
	case IMSG_CTL_SHOW_NEIGHBOR:
		rde_show_neighbor(imsg);
		break;
	case IMSG_CTL_END:
		rde_show_end(imsg);
		break;
	case IMSG_CTL_SHOW_RIB:
		rde_show_rib(imsg);
		break;
	case IMSG_CTL_SHOW_VRF:
		rde_show_vrf(imsg);
		break;
	case IMSG_CTL_SHOW_SID:
		rde_show_sid(imsg);
		break;
	case IMSG_CTL_SHOW_LOCATOR:
		rde_show_locator(imsg);
		break;
	case IMSG_CTL_TERMINATE:
		rde_show_terminate(imsg);
		break;
	default:
		fatalx("unexpected imsg %u from session engine",
		    imsg->hdr.type);
	}
}

static void
rde_test_parent(int fd, short ev, void *arg)
{
	(void)fd;
	imsgev_dispatch(arg, ev, "parent", rde_imsg_parent, NULL);
}

static void
rde_test_se(int fd, short ev, void *arg)
{
	(void)fd;
	imsgev_dispatch(arg, ev, "session engine", rde_imsg_se, NULL);
}

/* The RDE without its process: channels on these fds (for tests). */
void
rde_init(int parent_fd, int se_fd)
{
	rde_rib_init();
	imsgev_init(&rde_iev_parent, parent_fd, rde_test_parent, NULL);
	imsgev_init(&rde_iev_se, se_fd, rde_test_se, NULL);
}

void
rde_shutdown(void)
{
	struct rde_peer	*peer;

	rde_show_shutdown();
	rde_out_shutdown();
	rde_vrf_shutdown();	/* VRF tables before the pools go */
	rde_rib_shutdown();
	while ((peer = RB_ROOT(&rde_peers)) != NULL) {
		RB_REMOVE(rde_peer_tree, &rde_peers, peer);
		free(peer);
	}
	config_free(rde_conf);
	config_free(rde_pending);
	rde_conf = rde_pending = NULL;
	memset(&rde_self, 0, sizeof(rde_self));
	imsgev_clear(&rde_iev_parent);
	imsgev_clear(&rde_iev_se);
}

void
rde_main(int debug, int verbose)
{
	proc_child_init(PROC_RDE, debug, verbose);
	rde_rib_init();
	proc_child_channels(&rde_iev_parent, rde_imsg_parent, &rde_iev_se,
	    PROC_SE, rde_imsg_se);
	log_debug("started");

	event_dispatch();

	rde_shutdown();
	log_debug("exiting");
	exit(0);
}
