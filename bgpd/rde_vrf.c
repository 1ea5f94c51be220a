/*
 * rde_vrf.c: VRFs in the route decision engine (RFC 4364 over an SRv6
 * data plane, RFC 9252).
 *
 *  - Each VRF has two Loc-RIBs (IPv4, IPv6): its own routes (`network'
 *    statements, and connected or kernel routes the parent finds in its
 *    kernel table) and the VPN routes it imports.
 *  - Import (RFC 4364 §4.3.1): the best path of every VPN prefix goes
 *    into each VRF whose import targets it carries, told apart there by
 *    its RD; local VRFs leak into each other the same way, through the
 *    VPN routes we originate.  A reflector keeps every VPN route whatever
 *    its targets (nothing here filters the VPN RIBs).
 *  - Export: a VRF's own best routes become VPN routes of rde_peer_self
 *    with the VRF's RD, export targets and SID; imported routes are never
 *    exported again.
 *  - SIDs: per VRF (End.DT46 with VRF devices, End.DT6 per table without)
 *    or per CE next hop (End.DX4/DX6: IPv4 without VRF devices, or
 *    `sid per-ce'), from the locators by srv6/sid_alloc.c, which makes
 *    them the same after every restart.
 *  - The parent is told, in batches, every route to encapsulate and
 *    every local SID (IMSG_FIB_ROUTES, IMSG_FIB_SIDS).
 * Everything happens inside rde_best_changed, the decision process's
 * single exit, so a change crosses to the VRFs, the VPN RIB, the peers
 * and the parent in one pass.
 */
#include <sys/types.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp.h"
#include "bgp_vpn.h"
#include "fib_msg.h"
#include "log.h"
#include "rde.h"
#include "rde_show.h"

struct rde_vrf_tree	 rde_vrfs = RB_INITIALIZER(&rde_vrfs);
enum kernel_mode	 rde_kernel_mode;

/* A locator of the configuration and its allocator. */
struct rde_loc {
	struct locator_config	 conf;
	struct sid_alloc	*alloc;
	bool			 announced;	/* as an IPv6 route */
};
static struct rde_loc	*locs;
static size_t		 nlocs;

/* Every local SID, by key. */
static struct rde_sid_tree	 sids = RB_INITIALIZER(&sids);

/* Routes the parent reported from kernel tables, by table and prefix. */
struct kr_entry {
	RB_ENTRY(kr_entry)	 entry;
	uint32_t		 table;
	struct srv6d_prefix	 dst;
	struct srv6d_addr	 gateway;
	uint8_t			 type;		/* KROUTE_* */
};
RB_HEAD(kr_tree, kr_entry);
static struct kr_tree	 kroutes = RB_INITIALIZER(&kroutes);

static void	vrf_teardown(struct rde_vrf *);

static int
sid_cmp(struct rde_sid *a, struct rde_sid *b)
{
	return memcmp(&a->key, &b->key, sizeof(a->key));
}

RB_PROTOTYPE(rde_sid_tree, rde_sid, entry, sid_cmp)
RB_GENERATE(rde_sid_tree, rde_sid, entry, sid_cmp)

static int
kr_cmp(struct kr_entry *a, struct kr_entry *b)
{
	int	c;

	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	if (a->dst.addr.af != b->dst.addr.af)
		return a->dst.addr.af < b->dst.addr.af ? -1 : 1;
	if (a->dst.len != b->dst.len)
		return a->dst.len < b->dst.len ? -1 : 1;
	if ((c = addr_cmp(&a->dst.addr, &b->dst.addr)) != 0)
		return c;
	return 0;
}

RB_PROTOTYPE(kr_tree, kr_entry, entry, kr_cmp)
RB_GENERATE(kr_tree, kr_entry, entry, kr_cmp)

/* ------------------------------------------------------------------ */
/* batches for the parent                                              */

/*
 * fib_msg.c packs the records (and refuses malformed ones: a bug here,
 * not a condition to live with); a batch goes out when it is full or at
 * the end of each event (rde_fib_flush).
 */
static struct fib_batch	fib_routes, fib_sids;
static bool		fib_ready;

static void
batch_out(uint32_t type, const void *data, size_t len, void *arg)
{
	(void)arg;
	rde_parent_compose(type, data, len);
}

static void
fib_init(void)
{
	if (fib_ready)
		return;
	fib_batch_init(&fib_routes, IMSG_FIB_ROUTES, batch_out, NULL);
	fib_batch_init(&fib_sids, IMSG_FIB_SIDS, batch_out, NULL);
	fib_ready = true;
}

void
rde_fib_flush(void)
{
	if (fib_ready) {
		/* SIDs first: a route may point at one of our own */
		fib_batch_flush(&fib_sids);
		fib_batch_flush(&fib_routes);
	}
	rde_fib_synced_check();
}

/*
 * The parent keeps what an earlier run installed until we have our
 * initial routes: End-of-RIB from every configured neighbor that is not
 * shut down, for every family it negotiated (RFC 4724 §2).  Told once;
 * neighbors that never come up leave it to the parent's timeout.
 */
static bool	fib_synced;

void
rde_fib_synced_check(void)
{
	struct rde_peer	*peer;

	if (fib_synced || rde_conf == NULL)
		return;
	RB_FOREACH(peer, rde_peer_tree, &rde_peers) {
		if (peer->conf == NULL || (peer->conf->flags & NEIGH_F_DOWN))
			continue;
		if (peer->state != PEER_UP ||
		    (peer->eor_rcvd & peer->sess.afs) != peer->sess.afs)
			return;
	}
	fib_synced = true;
	log_info("initial routes complete: telling the parent");
	rde_parent_compose(IMSG_FIB_SYNCED, NULL, 0);
}

/*
 * ECMP (like FRR's maximum-paths, always on in a VRF): imported paths as
 * good as the best one up to the tie-breakers (RFC 4271 §9.1.2.2 f and
 * after) each give the route one more path, towards its own SID.
 */
static bool
vrf_multipath(const struct rde_path *p, const struct rde_path *best)
{
	const char	*why;

	if (p == best)
		return true;
	if (!(p->flags & PATH_F_ELIGIBLE) || rde_path_src_rd(p) == 0 ||
	    !p->attrs->has_srv6)
		return false;
	if (rde_decide_cmp(p, best, &why) == 0)
		return true;
	return strcmp(why, "router-id") == 0 ||
	    strcmp(why, "cluster-list length") == 0 ||
	    strcmp(why, "peer address") == 0 ||
	    strcmp(why, "route distinguisher") == 0;
}

static int
nexthop_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct fib_nexthop *)a)->sid,
	    &((const struct fib_nexthop *)b)->sid, sizeof(struct in6_addr));
}

/*
 * The kernel route of pfx in v: its best path, imported, and the paths
 * that share it (sorted by SID, so the same set compares equal at the
 * parent, which sends nothing for an unchanged route); add false
 * deletes.
 */
static void
fib_route(const struct rde_vrf *v, const struct rde_prefix *pfx, bool add)
{
	struct fib_route	 r;
	struct fib_nexthop	 nh[FIB_NEXTHOPS_MAX];
	const struct rde_path	*best = rde_prefix_best(pfx), *p;
	uint8_t			 n = 0, i;

	memset(&r, 0, sizeof(r));
	strlcpy(r.vrf, v->name, sizeof(r.vrf));
	r.table = v->conf->table;
	rde_prefix_get(pfx, &r.dst);
	memset(nh, 0, sizeof(nh));
	r.op = FIB_DEL;
	if (add && best != NULL) {
		r.op = FIB_ADD;
		RDE_PATH_FOREACH(p, pfx) {
			if (n == FIB_NEXTHOPS_MAX || !vrf_multipath(p, best))
				continue;
			for (i = 0; i < n; i++)
				if (memcmp(&nh[i].sid, &p->attrs->srv6.sid,
				    16) == 0)
					break;
			if (i < n)
				continue;	/* one path per SID */
			nh[n].sid = p->attrs->srv6.sid;
			nh[n].gateway = p->attrs->nexthop;
			nh[n].behavior = srv6_behavior_infer(
			    p->attrs->srv6.behavior, r.dst.addr.af);
			n++;
		}
		qsort(nh, n, sizeof(nh[0]), nexthop_cmp);
		r.n_nexthops = n;
	}
	fib_init();
	if (fib_batch_add_route(&fib_routes, &r, nh) == -1)
		fatal("%s: %s", __func__, prefix2str(&r.dst));
}

/*
 * fib-update: the best route of a global unicast prefix into the main
 * table (e.g. the locators of the other PEs), via its BGP next hop; our
 * own routes stay out (a NULL a deletes).
 */
static void
fib_global(const struct rde_prefix *pfx, const struct rde_attrs *a)
{
	struct fib_route	r;
	struct fib_nexthop	nh;

	memset(&r, 0, sizeof(r));
	r.table = 254;		/* RT_TABLE_MAIN */
	rde_prefix_get(pfx, &r.dst);
	memset(&nh, 0, sizeof(nh));
	if (a == NULL)
		r.op = FIB_DEL;
	else {
		r.op = FIB_ADD;
		r.n_nexthops = 1;
		nh.gateway = a->nexthop;
	}
	fib_init();
	if (fib_batch_add_route(&fib_routes, &r, &nh) == -1)
		fatal("%s: %s", __func__, prefix2str(&r.dst));
}

static bool
fib_global_wants(const struct rde_path *p)
{
	return p != NULL && p->peer != &rde_peer_self &&
	    p->attrs->nexthop.af != AF_UNSPEC;
}

/*
 * The families whose best routes are in the main table: what the
 * configuration asked for as of the last reload (fib_global_reload).
 */
static uint8_t	fib_global_afs;		/* AFS_* */

static void
fib_global_changed(const struct rde_prefix *pfx,
    const struct rde_path *old_best, const struct rde_path *new_best)
{
	if ((fib_global_afs & rde_families[pfx->aid].afs) == 0)
		return;
	if (fib_global_wants(new_best))
		fib_global(pfx, new_best->attrs);
	else if (fib_global_wants(old_best))
		fib_global(pfx, NULL);
}

static void
fib_global_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct rde_path	*best = rde_prefix_best(pfx);

	(void)t;
	if (!fib_global_wants(best))
		return;
	fib_global(pfx, *(bool *)arg ? best->attrs : NULL);
}

/*
 * `fib-update' was turned on or off by a reload, for each family on its
 * own: only a family that changed is walked, adding or removing its
 * routes.
 */
static void
fib_global_reload(void)
{
	uint8_t	want = rde_conf != NULL ? rde_conf->fib_update_afs : 0;
	uint8_t	afs;
	bool	on;
	int	aid;

	for (aid = AID_IPV4; aid <= AID_IPV6; aid++) {
		afs = rde_families[aid].afs;
		if ((want & afs) == (fib_global_afs & afs))
			continue;
		on = (want & afs) != 0;
		fib_global_afs ^= afs;
		rde_rib_walk(&rde_tables[aid], fib_global_cb, &on);
	}
}

static void
fib_sid(const struct rde_sid *s, enum fib_op op)
{
	struct fib_sid	f;

	memset(&f, 0, sizeof(f));
	f.sid = s->sid;
	strlcpy(f.vrf, s->key.vrf, sizeof(f.vrf));
	strlcpy(f.locator, s->locator, sizeof(f.locator));
	f.table = s->table;
	f.behavior = s->key.behavior;
	f.op = op;
	if (s->key.nh_af == AF_INET) {
		f.nh.af = AF_INET;
		memcpy(&f.nh.v4, s->key.nh, 4);
	} else if (s->key.nh_af == AF_INET6) {
		f.nh.af = AF_INET6;
		memcpy(&f.nh.v6, s->key.nh, 16);
	}
	fib_init();
	if (fib_batch_add_sid(&fib_sids, &f) == -1)
		fatal("%s", __func__);
}

/* ------------------------------------------------------------------ */
/* locators and SIDs                                                   */

static struct rde_loc *
loc_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nlocs; i++)
		if (strcmp(locs[i].conf.name, name) == 0)
			return &locs[i];
	return NULL;
}

/* The locator holding an explicit SID. */
static struct rde_loc *
loc_containing(const struct in6_addr *sid)
{
	struct srv6d_addr	a;
	size_t			i;

	memset(&a, 0, sizeof(a));
	a.af = AF_INET6;
	a.v6 = *sid;
	for (i = 0; i < nlocs; i++)
		if (prefix_contains(&locs[i].conf.prefix, &a))
			return &locs[i];
	return NULL;
}

/* The VRF's locator: the one it names, else the first. */
static struct rde_loc *
vrf_loc(const struct rde_vrf *v)
{
	if (v->conf->locator[0] != '\0')
		return loc_find(v->conf->locator);
	return nlocs > 0 ? &locs[0] : NULL;
}

static void
sid_key_make(struct sid_key *k, const struct rde_vrf *v, uint16_t behavior,
    const struct srv6d_addr *nh)
{
	memset(k, 0, sizeof(*k));
	strlcpy(k->vrf, v->name, sizeof(k->vrf));
	k->behavior = behavior;
	if (nh != NULL && nh->af == AF_INET) {
		k->nh_af = AF_INET;
		memcpy(k->nh, &nh->v4, 4);
	} else if (nh != NULL && nh->af == AF_INET6) {
		k->nh_af = AF_INET6;
		memcpy(k->nh, &nh->v6, 16);
	}
}

/*
 * The SID for (v, behavior, nh), allocated on first use; one more
 * reference.  explicit: the configured SID (per-VRF SIDs only).  NULL
 * when no locator can give one (logged).
 */
static struct rde_sid *
sid_get(const struct rde_vrf *v, uint16_t behavior,
    const struct srv6d_addr *nh, const struct in6_addr *explicit)
{
	struct rde_sid	 key, *s;
	struct rde_loc	*l;
	const char	*why = "no locator";
	int		 rv = -1;

	sid_key_make(&key.key, v, behavior, nh);
	if ((s = RB_FIND(rde_sid_tree, &sids, &key)) != NULL) {
		s->refs++;
		return s;
	}
	l = explicit != NULL ? loc_containing(explicit) : vrf_loc(v);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("%s", __func__);
	s->key = key.key;
	if (l != NULL && explicit != NULL) {
		s->sid = *explicit;
		rv = sid_alloc_reserve(l->alloc, &s->key, explicit, &why);
	} else if (l != NULL)
		rv = sid_alloc_get(l->alloc, &s->key, &s->sid, &why);
	if (rv == -1) {
		log_warnx("vrf %s: no %s SID: %s", v->name,
		    srv6_behavior_name(behavior), why);
		free(s);
		return NULL;
	}
	strlcpy(s->locator, l->conf.name, sizeof(s->locator));
	if (behavior != SRV6_BEHAVIOR_END_DX4 &&
	    behavior != SRV6_BEHAVIOR_END_DX6)
		s->table = v->conf->table;
	s->refs = 1;
	RB_INSERT(rde_sid_tree, &sids, s);
	log_debug("vrf %s: SID %s %s", v->name,
	    addr2str(&(struct srv6d_addr){ .af = AF_INET6, .v6 = s->sid }),
	    srv6_behavior_name(behavior));
	fib_sid(s, FIB_ADD);
	return s;
}

static void
sid_put(struct rde_sid *s)
{
	struct rde_loc	*l;

	if (s == NULL || --s->refs > 0)
		return;
	if ((l = loc_find(s->locator)) != NULL)
		sid_alloc_release(l->alloc, &s->key);
	fib_sid(s, FIB_DEL);
	RB_REMOVE(rde_sid_tree, &sids, s);
	free(s);
}

/* The SID a VPN route of ours carries (by its value), or NULL. */
static struct rde_sid *
sid_by_value(const struct rde_vrf *v, const struct in6_addr *sid)
{
	struct rde_sid	 key, *s;

	memset(&key, 0, sizeof(key));
	strlcpy(key.key.vrf, v->name, sizeof(key.key.vrf));
	for (s = RB_NFIND(rde_sid_tree, &sids, &key);
	    s != NULL && strcmp(s->key.vrf, v->name) == 0;
	    s = RB_NEXT(rde_sid_tree, &sids, s))
		if (memcmp(&s->sid, sid, sizeof(*sid)) == 0)
			return s;
	return NULL;
}

/*
 * The SIDs of a VRF by kernel mode and `sid' mode (DESIGN.md, Kernel
 * modes).  0: per CE next hop (End.DX4/DX6).
 */
static void
vrf_behaviors(const struct rde_vrf *v, uint16_t *b4, uint16_t *b6)
{
	bool	table = rde_kernel_mode == KERNEL_MODE_TABLE;

	if (v->conf->sid_mode == VRF_SID_PER_CE) {
		*b4 = *b6 = 0;
		return;
	}
	*b4 = table ? 0 : SRV6_BEHAVIOR_END_DT46;
	*b6 = table ? SRV6_BEHAVIOR_END_DT6 : SRV6_BEHAVIOR_END_DT46;
}

static void
vrf_sids_get(struct rde_vrf *v)
{
	const struct in6_addr	*ex = NULL;
	uint16_t		 b4, b6;

	if (v->conf->sid_mode == VRF_SID_EXPLICIT)
		ex = &v->conf->sid;
	vrf_behaviors(v, &b4, &b6);
	if (b6 != 0)
		v->sid6 = sid_get(v, b6, NULL, ex);
	if (b4 != 0)
		v->sid4 = sid_get(v, b4, NULL, ex);
}

/* The SID a route of v for prefix p with next hop nh is exported with. */
static struct rde_sid *
route_sid(struct rde_vrf *v, const struct srv6d_prefix *p,
    const struct srv6d_addr *nh)
{
	struct rde_sid	*s = p->addr.af == AF_INET ? v->sid4 : v->sid6;

	if (s != NULL) {
		s->refs++;
		return s;
	}
	/* per CE: the route's next hop, or the attached network itself */
	return sid_get(v, p->addr.af == AF_INET ? SRV6_BEHAVIOR_END_DX4 :
	    SRV6_BEHAVIOR_END_DX6, nh->af != AF_UNSPEC ? nh : &p->addr, NULL);
}

static void
sid_structure(struct rde_srv6 *s, const struct rde_sid *sid)
{
	struct rde_loc	*l = loc_find(sid->locator);

	if (l == NULL)
		return;
	s->has_structure = 1;
	s->st.lbl = l->conf.block_len;
	s->st.lnl = l->conf.node_len;
	s->st.fl = l->conf.func_len;
	s->st.al = l->conf.arg_len;
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
	vrf_teardown(v);
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
 * keeps its struct rde_vrf, RIBs and SIDs; only the pointer to its
 * configuration moves to the new copy.  A removed VRF is torn down (its
 * routes withdrawn, SIDs released), a changed one too, to be built again
 * by rde_vrf_reload.  The caller frees the old configuration afterwards.
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
			/* rebuilt by rde_vrf_reload; torn down with the old
			 * configuration (its RD names what we exported) */
			vrf_teardown(v);
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
/* export: a VRF's own routes as VPN routes                            */

#define EXPORT_EXT_MAX	1024	/* extended communities of an export */
static uint64_t	export_ext[EXPORT_EXT_MAX];

/* The VPN table and key of v's route for pfx. */
static struct rde_table *
export_key(const struct rde_vrf *v, const struct rde_table *t,
    const struct rde_prefix *pfx, struct srv6d_prefix *p, uint8_t *key)
{
	enum rde_aid	aid = rde_aid_vpn_of(t->aid);

	rde_prefix_get(pfx, p);
	rde_key_make(aid, v->conf->rd, p, key);
	return &rde_tables[aid];
}

/* The attributes of v's VPN route for pfx (our export), or NULL. */
const struct rde_attrs *
rde_vrf_exported(const struct rde_vrf *v, const struct rde_table *t,
    const struct rde_prefix *pfx)
{
	struct srv6d_prefix	 p;
	struct rde_table	*vt;
	struct rde_prefix	*vp;
	struct rde_path		*path;
	uint8_t			 key[RDE_KEY_MAX];

	vt = export_key(v, t, pfx, &p, key);
	if ((vp = rde_prefix_find(vt, key, p.len)) == NULL ||
	    (path = rde_path_find(vp, &rde_peer_self)) == NULL)
		return NULL;
	return path->attrs;
}

/* Withdraw our VPN route for pfx, if there is one, and free its SID. */
static void
vrf_unexport(struct rde_vrf *v, const struct rde_table *t,
    const struct rde_prefix *pfx)
{
	const struct rde_attrs	*ea;
	struct srv6d_prefix	 p;
	struct rde_table	*vt;
	struct rde_sid		*s;
	uint8_t			 key[RDE_KEY_MAX];

	if ((ea = rde_vrf_exported(v, t, pfx)) == NULL)
		return;
	s = sid_by_value(v, &ea->srv6.sid);
	vt = export_key(v, t, pfx, &p, key);
	rde_rib_withdraw(vt, &rde_peer_self, key, p.len);
	v->exported--;
	if (s != NULL) {
		s->routes--;
		sid_put(s);
	}
}

/*
 * Export v's best route for pfx (a local one, a): the VRF's RD, its
 * export targets added to the route's own extended communities (other
 * targets dropped), the SID and our locator's structure; no next hop
 * (each peer gets our address on its session).
 */
static void
vrf_export(struct rde_vrf *v, const struct rde_table *t,
    const struct rde_prefix *pfx, const struct rde_attrs *a)
{
	const struct vrf_config	*vc = v->conf;
	struct srv6d_prefix	 p;
	struct rde_table	*vt;
	const struct rde_attrs	*ea;
	struct rde_attrs	 tmpl, *out;
	struct rde_sid		*s, *old = NULL;
	uint8_t			 key[RDE_KEY_MAX];
	size_t			 n = 0, i;

	vt = export_key(v, t, pfx, &p, key);
	if ((s = route_sid(v, &p, &a->nexthop)) == NULL) {
		vrf_unexport(v, t, pfx);
		return;
	}
	tmpl = *a;
	tmpl.hnext = NULL;
	tmpl.refcnt = 0;
	tmpl.hash = 0;
	memset(&tmpl.nexthop, 0, sizeof(tmpl.nexthop));
	for (i = 0; i < a->n_ext_communities && n < EXPORT_EXT_MAX; i++)
		if (!vpn_is_rt(a->ext_communities[i]))
			export_ext[n++] = a->ext_communities[i];
	for (i = 0; i < vc->n_export_rt && n < EXPORT_EXT_MAX; i++)
		export_ext[n++] = vc->export_rt[i];
	tmpl.ext_communities = export_ext;
	tmpl.n_ext_communities = (uint16_t)n;
	tmpl.label = 0;
	tmpl.has_srv6 = 1;
	memset(&tmpl.srv6, 0, sizeof(tmpl.srv6));
	tmpl.srv6.sid = s->sid;
	tmpl.srv6.behavior = s->key.behavior;
	tmpl.srv6.local = 1;
	sid_structure(&tmpl.srv6, s);
	out = rde_attrs_intern(&tmpl);
	/* the SID of what we exported before is let go after the change */
	if ((ea = rde_vrf_exported(v, t, pfx)) != NULL)
		old = sid_by_value(v, &ea->srv6.sid);
	else
		v->exported++;
	s->routes++;
	rde_rib_update(vt, &rde_peer_self, key, p.len, out, out);
	rde_attrs_unref(out);
	if (old != NULL) {
		old->routes--;
		sid_put(old);
	}
}

/* ------------------------------------------------------------------ */
/* import: VPN routes into the VRFs whose targets they carry           */

static int
vrf_idx(enum rde_aid aid)
{
	return rde_aid_unicast(aid) == AID_IPV4 ? 0 : 1;
}

/* Does v import this best VPN path of route distinguisher rd? */
static bool
vrf_imports(const struct rde_vrf *v, const struct rde_path *best, rd_t rd)
{
	const struct rde_attrs	*a = best->attrs;

	/* our own export from v itself */
	if (best->peer == &rde_peer_self && rd == v->conf->rd)
		return false;
	return vpn_rt_match(a->ext_communities, a->n_ext_communities,
	    v->conf->import_rt, v->conf->n_import_rt);
}

/*
 * The best path of a VPN prefix changed from old_best to new_best: each
 * VRF holds new_best's route if it imports it, and no other of that RD.
 */
static void
vrf_import_one(struct rde_vrf *v, const struct rde_prefix *pfx,
    const struct rde_path *old_best, const struct rde_path *new_best)
{
	struct rde_table	*t = v->tables[vrf_idx(pfx->aid)];
	struct srv6d_prefix	 p;
	uint8_t			 key[RDE_KEY_MAX];
	rd_t			 rd = rde_prefix_rd(pfx);
	bool			 want;

	if (t == NULL)
		return;
	want = new_best != NULL && vrf_imports(v, new_best, rd);
	rde_prefix_get(pfx, &p);
	rde_key_make(t->aid, 0, &p, key);
	if (old_best != NULL && (!want || old_best->peer != new_best->peer) &&
	    rde_rib_withdraw_rd(t, old_best->peer, rd, key, p.len) ==
	    RIB_REMOVED)
		v->imported--;
	if (want && rde_rib_update_rd(t, new_best->peer, rd, key, p.len,
	    new_best->attrs, new_best->attrs) == RIB_ADDED)
		v->imported++;
}

static void
vpn_import(const struct rde_prefix *pfx, const struct rde_path *old_best,
    const struct rde_path *new_best)
{
	struct rde_vrf	*v;

	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs)
		vrf_import_one(v, pfx, old_best, new_best);
}

/* A new VRF takes what it imports from the VPN RIBs. */
static void
vrf_import_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct rde_path	*best;

	(void)t;
	if ((best = rde_prefix_best(pfx)) != NULL)
		vrf_import_one(arg, pfx, NULL, best);
}

/* ------------------------------------------------------------------ */
/* the best path of a prefix changed                                   */

static bool
path_local(const struct rde_path *p)
{
	return p != NULL && p->peer == &rde_peer_self &&
	    rde_path_src_rd(p) == 0;
}

/*
 * In a VRF: an imported best route is installed in the kernel (its SID
 * is usable, or it would not be eligible); a local best route is
 * exported as a VPN route.  Local routes win over imported ones in the
 * decision, so a VRF never installs over its own route.
 */
static void
vrf_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_path *new_best)
{
	struct rde_vrf	*v = t->vrf;

	if (new_best != NULL && !path_local(new_best))
		fib_route(v, pfx, true);
	else if (old_best != NULL && !path_local(old_best))
		fib_route(v, pfx, false);
	if (path_local(new_best))
		vrf_export(v, t, pfx, new_best->attrs);
	else if (path_local(old_best))
		vrf_unexport(v, t, pfx);
}

/*
 * Any path of a VRF prefix changed (after the decision): a path that is
 * not the best may still add or leave an ECMP path of the kernel route.
 */
void
rde_vrf_paths_changed(struct rde_table *t, struct rde_prefix *pfx)
{
	struct rde_path	*best = rde_prefix_best(pfx);

	if (t->vrf != NULL && best != NULL && !path_local(best))
		fib_route(t->vrf, pfx, true);
}

void
rde_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	if (t->vrf != NULL) {
		vrf_best_changed(t, pfx, old_best, new_best);
		return;
	}
	rde_out_best_changed(t, pfx, old_best, old_attrs, new_best);
	if (rde_aid_vpn(t->aid))
		vpn_import(pfx, old_best, new_best);
	else
		fib_global_changed(pfx, old_best, new_best);
}

/* ------------------------------------------------------------------ */
/* a VRF's own routes                                                  */

static struct rde_table *
vrf_table_of(const struct rde_vrf *v, const struct srv6d_prefix *p)
{
	return v->tables[p->addr.af == AF_INET ? 0 : 1];
}

static void
local_add(struct rde_vrf *v, const struct srv6d_prefix *p,
    const struct srv6d_addr *gw)
{
	struct rde_table	*t = vrf_table_of(v, p);
	struct rde_attrs	 tmpl, *a;
	uint8_t			 key[RDE_KEY_MAX];

	if (t == NULL)
		return;
	rde_attrs_template(&tmpl);
	tmpl.origin = BGP_ORIGIN_IGP;
	if (gw != NULL)
		tmpl.nexthop = *gw;
	a = rde_attrs_intern(&tmpl);
	rde_key_make(t->aid, 0, p, key);
	rde_rib_update(t, &rde_peer_self, key, p->len, a, a);
	rde_attrs_unref(a);
}

static void
local_remove(struct rde_vrf *v, const struct srv6d_prefix *p)
{
	struct rde_table	*t = vrf_table_of(v, p);
	uint8_t			 key[RDE_KEY_MAX];

	if (t == NULL)
		return;
	rde_key_make(t->aid, 0, p, key);
	rde_rib_withdraw(t, &rde_peer_self, key, p->len);
}

static bool
vrf_has_network(const struct rde_vrf *v, const struct srv6d_prefix *p)
{
	size_t	i;

	for (i = 0; i < v->conf->n_networks; i++)
		if (v->conf->networks[i].len == p->len &&
		    addr_cmp(&v->conf->networks[i].addr, &p->addr) == 0)
			return true;
	return false;
}

/* Does v take this kernel route (`network connected|kernel')? */
static bool
vrf_takes(const struct rde_vrf *v, const struct kr_entry *k)
{
	if (v->conf->table != k->table || vrf_has_network(v, &k->dst))
		return false;
	if (k->type == KROUTE_CONNECTED)
		return (v->conf->net_flags & VRF_NET_CONNECTED) != 0;
	return (v->conf->net_flags & VRF_NET_KERNEL) != 0;
}

static struct rde_vrf *
vrf_by_table(uint32_t table)
{
	struct rde_vrf	*v;

	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs)
		if (v->conf->table == table)
			return v;
	return NULL;
}

/*
 * IMSG_KROUTES: routes the parent found in (or saw leave) kernel tables.
 * The parent never reports srv6d's own routes.  Kept by table, so that a
 * VRF configured later, or rebuilt, finds them.
 */
void
rde_vrf_kroutes(const void *data, size_t len)
{
	struct kroute	 k;
	struct kr_entry	 key, *e;
	struct rde_vrf	*v;
	const char	*why;
	size_t		 off = 0;
	int		 rv;

	while ((rv = kroute_next(data, len, &off, &k, &why)) == 1) {
		memset(&key, 0, sizeof(key));
		key.table = k.table;
		key.dst = k.dst;
		prefix_mask(&key.dst);
		e = RB_FIND(kr_tree, &kroutes, &key);
		v = vrf_by_table(k.table);
		if (k.op == FIB_DEL) {
			if (e == NULL)
				continue;
			if (v != NULL && vrf_takes(v, e))
				local_remove(v, &e->dst);
			RB_REMOVE(kr_tree, &kroutes, e);
			free(e);
			continue;
		}
		if (e == NULL) {
			if ((e = calloc(1, sizeof(*e))) == NULL)
				fatal("%s", __func__);
			*e = key;
			RB_INSERT(kr_tree, &kroutes, e);
		} else if (v != NULL && vrf_takes(v, e) && e->type != k.type)
			local_remove(v, &e->dst);
		e->type = k.type;
		e->gateway = k.gateway;
		if (v != NULL && vrf_takes(v, e))
			local_add(v, &e->dst,
			    e->gateway.af != AF_UNSPEC ? &e->gateway : NULL);
	}
	if (rv == -1)
		fatalx("bad kernel routes imsg from parent: %s", why);
}

/* ------------------------------------------------------------------ */
/* building and tearing down a VRF                                     */

static void
vrf_setup(struct rde_vrf *v)
{
	struct kr_entry	 key, *e;
	size_t		 i;
	int		 aid;

	v->tables[0] = rde_table_new(AID_IPV4, v);
	v->tables[1] = rde_table_new(AID_IPV6, v);
	vrf_sids_get(v);
	for (aid = AID_VPNV4; aid <= AID_VPNV6; aid++)
		rde_rib_walk(&rde_tables[aid], vrf_import_cb, v);
	for (i = 0; i < v->conf->n_networks; i++)
		local_add(v, &v->conf->networks[i], NULL);
	memset(&key, 0, sizeof(key));
	key.table = v->conf->table;
	for (e = RB_NFIND(kr_tree, &kroutes, &key);
	    e != NULL && e->table == v->conf->table;
	    e = RB_NEXT(kr_tree, &kroutes, e))
		if (vrf_takes(v, e))
			local_add(v, &e->dst, e->gateway.af != AF_UNSPEC ?
			    &e->gateway : NULL);
	log_info("vrf %s: table %u, rd %s, IPv4 %s, IPv6 %s", v->name,
	    v->conf->table, rd2str(v->conf->rd),
	    v->sid4 ? srv6_behavior_name(v->sid4->key.behavior) :
	    "End.DX4 per CE", v->sid6 ?
	    srv6_behavior_name(v->sid6->key.behavior) : "End.DX6 per CE");
}

/* Withdraw everything the VRF exported and installed, free its SIDs. */
static void
vrf_teardown(struct rde_vrf *v)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (v->tables[i] == NULL)
			continue;
		rde_show_table_gone(v->tables[i]);
		rde_table_flush(v->tables[i]);
		rde_table_free(v->tables[i]);
		v->tables[i] = NULL;
	}
	sid_put(v->sid4);
	sid_put(v->sid6);
	v->sid4 = v->sid6 = NULL;
	v->imported = v->exported = 0;
}

/* ------------------------------------------------------------------ */
/* locators                                                            */

static void
loc_announce(const struct locator_config *lc, bool on)
{
	struct rde_attrs	 tmpl, *a;
	uint8_t			 key[RDE_KEY_MAX];

	rde_key_make(AID_IPV6, 0, &lc->prefix, key);
	if (!on) {
		rde_rib_withdraw(&rde_tables[AID_IPV6], &rde_peer_self, key,
		    lc->prefix.len);
		return;
	}
	rde_attrs_template(&tmpl);
	tmpl.origin = BGP_ORIGIN_IGP;
	a = rde_attrs_intern(&tmpl);
	rde_rib_update(&rde_tables[AID_IPV6], &rde_peer_self, key,
	    lc->prefix.len, a, a);
	rde_attrs_unref(a);
}

static void
loc_free_all(bool withdraw)
{
	size_t	i;

	for (i = 0; i < nlocs; i++) {
		if (withdraw && locs[i].announced)
			loc_announce(&locs[i].conf, false);
		sid_alloc_free(locs[i].alloc);
	}
	free(locs);
	locs = NULL;
	nlocs = 0;
}

static bool
locators_same(const struct srv6d_config *c)
{
	size_t	i;

	if (c->n_locators != nlocs)
		return false;
	for (i = 0; i < nlocs; i++)
		if (!locator_config_equal(&locs[i].conf, &c->locators[i]) ||
		    locs[i].conf.announce != c->locators[i].announce)
			return false;
	return true;
}

/*
 * New locators: every VRF is built again (its SIDs may move), and the
 * announcements follow.  Unchanged locators keep everything.
 */
static void
locators_sync(const struct srv6d_config *c)
{
	struct srv6_locator	 sl;
	struct rde_vrf		*v;
	const char		*why;
	size_t			 i;

	if (locators_same(c))
		return;
	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs)
		vrf_teardown(v);
	loc_free_all(true);
	if (c->n_locators == 0)
		return;
	if ((locs = calloc(c->n_locators, sizeof(*locs))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < c->n_locators; i++) {
		locs[i].conf = c->locators[i];
		memset(&sl, 0, sizeof(sl));
		strlcpy(sl.name, c->locators[i].name, sizeof(sl.name));
		sl.prefix = c->locators[i].prefix.addr.v6;
		sl.block_len = c->locators[i].block_len;
		sl.node_len = c->locators[i].node_len;
		sl.func_len = c->locators[i].func_len;
		sl.arg_len = c->locators[i].arg_len;
		if (sid_locator_check(&sl, &why) == -1 ||
		    (locs[i].alloc = sid_alloc_new(&sl)) == NULL)
			fatalx("locator %s: %s", sl.name, why);
		nlocs++;
		/* RFC 9252 §3: remote PEs reach our SIDs by the locator */
		if ((locs[i].announced = c->locators[i].announce))
			loc_announce(&locs[i].conf, true);
	}
}

void
rde_vrf_reload(void)
{
	struct rde_vrf	*v;

	if (rde_conf == NULL)
		return;
	fib_global_reload();
	locators_sync(rde_conf);
	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs)
		if (v->tables[0] == NULL)
			vrf_setup(v);
}

/* ------------------------------------------------------------------ */
/* show                                                                */

void
rde_sid_foreach(const struct rde_vrf *v, rde_sid_cb cb, void *arg)
{
	struct rde_sid	*s;

	RB_FOREACH(s, rde_sid_tree, &sids)
		if (v == NULL || strcmp(s->key.vrf, v->name) == 0)
			cb(s, s->key.behavior, s->table, arg);
}

uint32_t
rde_locator_sids(const char *name)
{
	struct rde_sid	*s;
	uint32_t	 n = 0;

	RB_FOREACH(s, rde_sid_tree, &sids)
		if (strcmp(s->locator, name) == 0)
			n++;
	return n;
}

/* Free everything, telling nobody (the process ends). */
void
rde_vrf_shutdown(void)
{
	struct rde_vrf	*v;
	struct rde_sid	*s;
	struct kr_entry	*e;
	int		 i;

	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs)
		for (i = 0; i < 2; i++) {
			rde_table_free(v->tables[i]);
			v->tables[i] = NULL;
		}
	rde_vrf_tree_clear(&rde_vrfs);
	while ((s = RB_ROOT(&sids)) != NULL) {
		RB_REMOVE(rde_sid_tree, &sids, s);
		free(s);
	}
	while ((e = RB_ROOT(&kroutes)) != NULL) {
		RB_REMOVE(kr_tree, &kroutes, e);
		free(e);
	}
	loc_free_all(false);
	fib_synced = false;
	fib_global_afs = 0;
	if (fib_ready) {
		fib_batch_free(&fib_routes);
		fib_batch_free(&fib_sids);
		fib_ready = false;
	}
}
