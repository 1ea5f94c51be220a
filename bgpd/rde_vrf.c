/*
 * rde_vrf.c: VRFs in the route decision engine (RFC 4364 over SRv6,
 * RFC 9252): their Loc-RIBs, the import of VPN routes by route target,
 * the export of their own routes as VPN routes with RD, route targets
 * and SID, the local SIDs, and the batches of kernel state for the
 * parent.
 */
#include <sys/types.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp_vpn.h"
#include "log.h"
#include "rde.h"

struct rde_vrf_tree	 rde_vrfs = RB_INITIALIZER(&rde_vrfs);
enum kernel_mode	 rde_kernel_mode;

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

/* ------------------------------------------------------------------ */
/* the best path of a prefix changed                                   */

void
rde_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	if (t->vrf != NULL)
		return;
	rde_out_best_changed(t, pfx, old_best, old_attrs, new_best);
}

void
rde_vrf_reload(void)
{
}

void
rde_vrf_kroutes(const void *data, size_t len)
{
	(void)data;
	(void)len;
}

void
rde_fib_flush(void)
{
}

void
rde_sid_foreach(const struct rde_vrf *v, rde_sid_cb cb, void *arg)
{
	(void)v;
	(void)cb;
	(void)arg;
}

uint32_t
rde_locator_sids(const char *name)
{
	(void)name;
	return 0;
}

void
rde_vrf_shutdown(void)
{
	rde_vrf_tree_clear(&rde_vrfs);
}
