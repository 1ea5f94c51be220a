/*
 * Route decision engine (RDE): unprivileged, chrooted.  For now it
 * receives the configuration, keeps one struct rde_vrf per VRF (kept
 * untouched across reloads that do not change it) and the locators, and
 * acknowledges every configuration stream.
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
#include "rde.h"
#include "srv6d.h"

struct rde_vrf_tree	 rde_vrfs = RB_INITIALIZER(&rde_vrfs);
struct srv6d_config	*rde_conf;

static struct srv6d_config	*rde_pending;
static struct imsgev		 rde_iev_parent;
static struct imsgev		 rde_iev_se;

/*
 * Until rde_out.c is in the tree the outbound side does nothing; its
 * definitions replace these.
 */
__attribute__((weak)) void
rde_out_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	(void)t; (void)pfx; (void)old_best; (void)old_attrs; (void)new_best;
}

static int
rde_vrf_cmp(struct rde_vrf *a, struct rde_vrf *b)
{
	return strcmp(a->name, b->name);
}

RB_GENERATE(rde_vrf_tree, rde_vrf, entry, rde_vrf_cmp)

struct rde_vrf *
rde_vrf_find(struct rde_vrf_tree *t, const char *name)
{
	struct rde_vrf	key;

	memset(&key, 0, sizeof(key));
	strlcpy(key.name, name, sizeof(key.name));
	return RB_FIND(rde_vrf_tree, t, &key);
}

static void
rde_vrf_add(struct rde_vrf_tree *t, const struct vrf_config *vc)
{
	struct rde_vrf	*v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		fatal("%s", __func__);
	strlcpy(v->name, vc->name, sizeof(v->name));
	v->conf = vc;
	v->since = time(NULL);
	if (RB_INSERT(rde_vrf_tree, t, v) != NULL)
		fatalx("%s: duplicate vrf %s", __func__, vc->name);
}

static void
rde_vrf_remove(struct rde_vrf_tree *t, struct rde_vrf *v)
{
	RB_REMOVE(rde_vrf_tree, t, v);
	free(v);
}

void
rde_vrf_tree_clear(struct rde_vrf_tree *t)
{
	struct rde_vrf	*v, *next;

	RB_FOREACH_SAFE(v, rde_vrf_tree, t, next)
		rde_vrf_remove(t, v);
}

/*
 * Bring the VRF table in line with a new configuration.  An unchanged VRF
 * keeps its struct rde_vrf (and, later, its RIB and SIDs); only the
 * pointer to its configuration moves to the new copy.  The caller frees
 * the old configuration afterwards.
 */
void
rde_apply_config(struct rde_vrf_tree *t, const struct srv6d_config *nconf,
    struct rde_reload_stats *st)
{
	struct vrf_config	*vc;
	struct rde_vrf		*v, *next;

	memset(st, 0, sizeof(*st));
	RB_FOREACH_SAFE(v, rde_vrf_tree, t, next) {
		vc = config_find_vrf(nconf, v->name);
		if (vc == NULL) {
			log_info("vrf %s removed", v->name);
			rde_vrf_remove(t, v);
			st->removed++;
			continue;
		}
		if (!vrf_config_equal(v->conf, vc)) {
			log_info("vrf %s changed", v->name);
			v->since = time(NULL);
			st->changed++;
		} else
			st->kept++;
		v->conf = vc;
	}
	TAILQ_FOREACH(vc, &nconf->vrfs, entry) {
		if (rde_vrf_find(t, vc->name) != NULL)
			continue;
		rde_vrf_add(t, vc);
		log_info("vrf %s added", vc->name);
		st->added++;
	}
}

static void
rde_reload_commit(void)
{
	struct rde_reload_stats	 st;

	if (rde_pending == NULL)
		fatalx("config done without a config");
	rde_apply_config(&rde_vrfs, rde_pending, &st);
	config_free(rde_conf);
	rde_conf = rde_pending;
	rde_pending = NULL;
	log_debug("config in place: %zu locators, vrfs %u kept, %u changed, "
	    "%u added, %u removed", rde_conf->n_locators, st.kept, st.changed,
	    st.added, st.removed);
	if (imsgev_compose(&rde_iev_parent, IMSG_RECONF_DONE, 0, 0, -1, NULL,
	    0) == -1)
		fatal("%s: compose", __func__);
}

static void
rde_imsg_parent(struct imsg *imsg, void *arg)
{
	uint32_t	 verbose;

	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_RECONF_CONF:
		config_free(rde_pending);
		rde_pending = NULL;
		/* FALLTHROUGH */
	case IMSG_RECONF_LOCATOR:
	case IMSG_RECONF_LISTEN:
	case IMSG_RECONF_VRF:
	case IMSG_RECONF_NEIGHBOR:
		if (config_recv(&rde_pending, imsg) == -1)
			fatalx("malformed config imsg %u from parent",
			    imsg->hdr.type);
		break;
	case IMSG_RECONF_DONE:
		if (imsg_get_len(imsg) != 0)
			fatalx("bad config done imsg from parent");
		rde_reload_commit();
		break;
	case IMSG_RECONF_ABORT:
		config_free(rde_pending);
		rde_pending = NULL;
		break;
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &verbose, sizeof(verbose)) == -1)
			fatalx("bad log verbose imsg from parent");
		log_setverbose(verbose);
		break;
	default:
		fatalx("unexpected imsg %u from parent", imsg->hdr.type);
	}
}

static void
rde_imsg_se(struct imsg *imsg, void *arg)
{
	(void)arg;
	/* Nothing flows from the SE to the RDE yet. */
	fatalx("unexpected imsg %u from session engine", imsg->hdr.type);
}

void
rde_main(int debug, int verbose)
{
	proc_child_init(PROC_RDE, debug, verbose);
	proc_child_channels(&rde_iev_parent, rde_imsg_parent, &rde_iev_se,
	    PROC_SE, rde_imsg_se);
	log_debug("started");

	event_dispatch();

	rde_vrf_tree_clear(&rde_vrfs);
	config_free(rde_conf);
	config_free(rde_pending);
	log_debug("exiting");
	exit(0);
}
