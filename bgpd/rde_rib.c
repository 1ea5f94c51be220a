/*
 * The RIBs: one hash table of prefixes per address family.
 *
 * Why a hash table and not a radix tree: the hot paths (an UPDATE adds
 * or withdraws prefixes by exact key) need one lookup, and a chained
 * table costs a pointer per prefix plus a bucket pointer, less than a
 * tree's two children and internal nodes.  The rare queries a tree would
 * serve better (longest match for `show rib ADDR', more specifics) probe
 * each shorter length or scan the table.
 *
 * Each prefix has a singly linked list of paths, one per peer, the best
 * first.  The Adj-RIB-In of a peer is the set of its paths (found by
 * walking the table when a session goes down: no per-peer index costs
 * memory on every path).  Prefixes and paths come from fixed-size pools
 * (no malloc header; 24 bytes per IPv4 prefix, 32 per path).
 *
 * Pre-filter attributes are kept only for paths an import filter changed,
 * in a side table keyed by the path.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "rde.h"

const struct rde_family rde_families[AID_MAX] = {
	[AID_IPV4] = { 1, 1, AF_INET, AFS_IPV4_UNICAST, 4, 32, 0,
	    "IPv4 unicast" },
	[AID_IPV6] = { 2, 1, AF_INET6, AFS_IPV6_UNICAST, 16, 128, 0,
	    "IPv6 unicast" },
	[AID_VPNV4] = { 1, 128, AF_INET, AFS_VPNV4, 8 + 4, 32, 8,
	    "VPNv4" },
	[AID_VPNV6] = { 2, 128, AF_INET6, AFS_VPNV6, 8 + 16, 128, 8,
	    "VPNv6" },
};

enum rde_aid
rde_aid_unicast(enum rde_aid aid)
{
	return aid == AID_VPNV4 ? AID_IPV4 : aid == AID_VPNV6 ? AID_IPV6 : aid;
}

enum rde_aid
rde_aid_vpn_of(enum rde_aid aid)
{
	return aid == AID_IPV4 ? AID_VPNV4 : aid == AID_IPV6 ? AID_VPNV6 : aid;
}

void
rde_key_make(enum rde_aid aid, rd_t rd, const struct srv6d_prefix *p,
    uint8_t *key)
{
	const struct rde_family	*f = &rde_families[aid];
	size_t			 i;

	memset(key, 0, f->addrlen);
	for (i = 0; i < f->keyoff; i++)
		key[i] = (uint8_t)(rd >> (8 * (7 - i)));
	memcpy(key + f->keyoff, &p->addr.v6, f->addrlen - f->keyoff);
	for (i = p->len; i < f->maxbits; i++)
		key[f->keyoff + i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

struct rde_table	rde_tables[AID_MAX];

/* ------------------------------------------------------------------ */
/* fixed-size object pools                                             */

#if defined(__SANITIZE_ADDRESS__)
#define POOL_MALLOC	1	/* let ASan see every object */
#endif

#define POOL_CHUNK	(64 * 1024)

struct pool {
	size_t		 size;
	void		*free;		/* free objects, linked by first word */
	void		*chunks;	/* linked by first word */
	size_t		 live;
};

static struct pool	prefix_pool[AID_MAX];
static struct pool	path_pool = { sizeof(struct rde_path), NULL, NULL, 0 };
static struct pool	vrf_path_pool = { sizeof(struct rde_vrf_path), NULL,
			    NULL, 0 };
static struct pool	mod_pool;

#ifndef POOL_MALLOC
static void
pool_refill(struct pool *p)
{
	uint8_t	*c, *o;
	size_t	 n, i;

	if ((c = malloc(POOL_CHUNK)) == NULL)
		fatal("%s", __func__);
	*(void **)c = p->chunks;
	p->chunks = c;
	n = (POOL_CHUNK - sizeof(void *)) / p->size;
	o = c + sizeof(void *);
	for (i = 0; i < n; i++, o += p->size) {
		*(void **)o = p->free;
		p->free = o;
	}
}
#endif

static void *
pool_get(struct pool *p)
{
	void	*o;

	p->live++;
#ifdef POOL_MALLOC
	if ((o = malloc(p->size)) == NULL)
		fatal("%s", __func__);
	return o;
#else
	if (p->free == NULL)
		pool_refill(p);
	o = p->free;
	p->free = *(void **)o;
	return o;
#endif
}

static void
pool_put(struct pool *p, void *o)
{
	p->live--;
#ifdef POOL_MALLOC
	free(o);
#else
	*(void **)o = p->free;
	p->free = o;
#endif
}

static void
pool_destroy(struct pool *p)
{
	void	*c;

	while ((c = p->chunks) != NULL) {
		p->chunks = *(void **)c;
		free(c);
	}
	p->free = NULL;
}

/* ------------------------------------------------------------------ */
/* pre-filter attributes of modified paths                             */

struct mod_entry {
	struct mod_entry	*next;
	const struct rde_path	*path;
	struct rde_attrs	*attrs;
};

static struct mod_entry	**mod_buckets;
static size_t		  mod_mask;

static size_t
mod_slot(const struct rde_path *p)
{
	return rde_hash_final((uintptr_t)p) & mod_mask;
}

static void
mod_set(const struct rde_path *p, struct rde_attrs *a)
{
	struct mod_entry	*e;

	if (mod_buckets == NULL) {
		mod_mask = 4095;
		if ((mod_buckets = calloc(mod_mask + 1, sizeof(*mod_buckets)))
		    == NULL)
			fatal("%s", __func__);
	}
	e = pool_get(&mod_pool);
	e->path = p;
	e->attrs = a;
	rde_attrs_ref(a);
	e->next = mod_buckets[mod_slot(p)];
	mod_buckets[mod_slot(p)] = e;
}

static void
mod_clear(const struct rde_path *p)
{
	struct mod_entry	**pp, *e;

	for (pp = &mod_buckets[mod_slot(p)]; (e = *pp) != NULL;
	    pp = &e->next)
		if (e->path == p) {
			*pp = e->next;
			rde_attrs_unref(e->attrs);
			pool_put(&mod_pool, e);
			return;
		}
	fatalx("%s: modified path without its attributes", __func__);
}

struct rde_attrs *
rde_path_attrs_in(const struct rde_path *p)
{
	struct mod_entry	*e;

	if (!(p->flags & PATH_F_MODIFIED))
		return p->attrs;
	for (e = mod_buckets[mod_slot(p)]; e != NULL; e = e->next)
		if (e->path == p)
			return e->attrs;
	fatalx("%s: modified path without its attributes", __func__);
}

/* ------------------------------------------------------------------ */
/* tables                                                              */

static void
table_init(struct rde_table *t, enum rde_aid aid)
{
	memset(t, 0, sizeof(*t));
	t->aid = aid;
	t->mask = 1023;
	if ((t->buckets = calloc(t->mask + 1, sizeof(*t->buckets))) == NULL)
		fatal("%s", __func__);
}

void
rde_rib_init(void)
{
	int	aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (rde_tables[aid].buckets == NULL)
			table_init(&rde_tables[aid], aid);
		prefix_pool[aid].size = sizeof(struct rde_prefix) +
		    rde_families[aid].addrlen;
		/* round up so the pointers stay aligned */
		prefix_pool[aid].size = (prefix_pool[aid].size + 7) & ~7UL;
	}
	mod_pool.size = sizeof(struct mod_entry);
	rde_attr_init();
}

static uint32_t
prefix_hash(enum rde_aid aid, const uint8_t *addr, uint8_t len)
{
	return rde_hash_final(rde_hash_add(len, addr,
	    rde_families[aid].addrlen));
}

static bool
prefix_eq(const struct rde_prefix *p, const uint8_t *addr, uint8_t len,
    size_t alen)
{
	uint32_t	a, b;

	if (p->len != len)
		return false;
	if (alen == 4) {
		memcpy(&a, p->addr, 4);
		memcpy(&b, addr, 4);
		return a == b;
	}
	return memcmp(p->addr, addr, alen) == 0;
}

struct rde_prefix *
rde_prefix_find(struct rde_table *t, const uint8_t *addr, uint8_t len)
{
	struct rde_prefix	*p;
	size_t			 alen = rde_families[t->aid].addrlen;

	p = t->buckets[prefix_hash(t->aid, addr, len) & t->mask];
	for (; p != NULL; p = p->hnext)
		if (prefix_eq(p, addr, len, alen))
			return p;
	return NULL;
}

/* Longest match: probe each shorter length (33 or 129 lookups at most). */
struct rde_prefix *
rde_prefix_match(struct rde_table *t, const uint8_t *addr, uint8_t len)
{
	struct rde_prefix	*p;
	uint8_t			 key[RDE_KEY_MAX], *a;
	size_t			 off = rde_families[t->aid].keyoff;
	int			 l;

	a = key + off;
	for (l = len; l >= 0; l--) {
		memset(key, 0, sizeof(key));
		memcpy(key, addr, off + (l + 7) / 8);
		if (l % 8 != 0)
			a[l / 8] &= (uint8_t)(0xff << (8 - l % 8));
		if ((p = rde_prefix_find(t, key, l)) != NULL &&
		    p->paths != NULL)
			return p;
	}
	return NULL;
}

void
rde_prefix_get(const struct rde_prefix *p, struct srv6d_prefix *out)
{
	const struct rde_family	*f = &rde_families[p->aid];

	memset(out, 0, sizeof(*out));
	out->addr.af = f->af;
	memcpy(&out->addr.v6, p->addr + f->keyoff, f->addrlen - f->keyoff);
	out->len = p->len;
}

rd_t
rde_prefix_rd(const struct rde_prefix *p)
{
	rd_t	rd = 0;
	size_t	i;

	for (i = 0; i < rde_families[p->aid].keyoff; i++)
		rd = rd << 8 | p->addr[i];
	return rd;
}

static void
table_grow(struct rde_table *t)
{
	struct rde_prefix	**nb, *p, *next;
	size_t			  n = (t->mask + 1) * 2, i;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i <= t->mask; i++)
		for (p = t->buckets[i]; p != NULL; p = next) {
			size_t	h = prefix_hash(t->aid, p->addr, p->len) &
			    (n - 1);

			next = p->hnext;
			p->hnext = nb[h];
			nb[h] = p;
		}
	free(t->buckets);
	t->buckets = nb;
	t->mask = n - 1;
}

static struct rde_prefix *
prefix_get(struct rde_table *t, const uint8_t *addr, uint8_t len)
{
	struct rde_prefix	*p;
	size_t			 alen = rde_families[t->aid].addrlen, h;

	h = prefix_hash(t->aid, addr, len);
	for (p = t->buckets[h & t->mask]; p != NULL; p = p->hnext)
		if (prefix_eq(p, addr, len, alen))
			return p;
	if (t->count > t->mask && t->walkers == 0)
		table_grow(t);
	p = pool_get(&prefix_pool[t->aid]);
	p->paths = NULL;
	p->aid = t->aid;
	p->len = len;
	memcpy(p->addr, addr, alen);
	p->hnext = t->buckets[h & t->mask];
	t->buckets[h & t->mask] = p;
	t->count++;
	return p;
}

static void
prefix_free(struct rde_table *t, struct rde_prefix *p)
{
	struct rde_prefix	**pp;

	pp = &t->buckets[prefix_hash(t->aid, p->addr, p->len) & t->mask];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == p) {
			*pp = p->hnext;
			t->count--;
			pool_put(&prefix_pool[t->aid], p);
			return;
		}
	fatalx("%s: prefix not in its table", __func__);
}

struct rde_path *
rde_prefix_best(const struct rde_prefix *p)
{
	if (p->paths != NULL && (p->paths->flags & PATH_F_BEST))
		return p->paths;
	return NULL;
}

rd_t
rde_path_src_rd(const struct rde_path *p)
{
	if (!(p->flags & PATH_F_VRF))
		return 0;
	return ((const struct rde_vrf_path *)p)->src_rd;
}

struct rde_path *
rde_path_find_rd(const struct rde_prefix *pfx, const struct rde_peer *peer,
    rd_t rd)
{
	struct rde_path	*p;

	RDE_PATH_FOREACH(p, pfx)
		if (p->peer == peer && rde_path_src_rd(p) == rd)
			return p;
	return NULL;
}

struct rde_path *
rde_path_find(const struct rde_prefix *pfx, const struct rde_peer *peer)
{
	return rde_path_find_rd(pfx, peer, 0);
}

size_t
rde_rib_paths(void)
{
	return path_pool.live + vrf_path_pool.live;
}

static void	shutdown_cb(struct rde_table *, struct rde_prefix *, void *);

/* ------------------------------------------------------------------ */
/* changes                                                             */

/* Point the path at its new attributes (references taken here). */
static void
path_set(struct rde_path *p, struct rde_attrs *in, struct rde_attrs *out)
{
	struct rde_peer	*peer = p->peer;

	if (p->flags & PATH_F_MODIFIED)
		mod_clear(p);
	if (p->attrs != NULL && !(p->flags & PATH_F_DENIED))
		peer->prefixes_accepted--;
	rde_attrs_unref(p->attrs);
	p->flags &= ~(PATH_F_DENIED | PATH_F_MODIFIED | PATH_F_ELIGIBLE);
	if (out == NULL) {
		p->flags |= PATH_F_DENIED;
		p->attrs = in;
	} else {
		p->attrs = out;
		if (out != in) {
			p->flags |= PATH_F_MODIFIED;
			mod_set(p, in);
		}
		peer->prefixes_accepted++;
	}
	rde_attrs_ref(p->attrs);
	if (rde_path_eligible(p))
		p->flags |= PATH_F_ELIGIBLE;
	p->lastchange = (uint32_t)time(NULL);
}

static bool
path_same(const struct rde_path *p, struct rde_attrs *in,
    struct rde_attrs *out)
{
	if (out == NULL)
		return (p->flags & PATH_F_DENIED) && p->attrs == in;
	if (p->flags & PATH_F_DENIED || p->attrs != out)
		return false;
	return rde_path_attrs_in(p) == in;
}

static struct rde_path *
path_new(const struct rde_table *t, struct rde_peer *peer, rd_t src_rd)
{
	struct rde_vrf_path	*vp;
	struct rde_path		*p;

	if (t->vrf == NULL) {
		p = pool_get(&path_pool);
		memset(p, 0, sizeof(*p));
	} else {
		vp = pool_get(&vrf_path_pool);
		memset(vp, 0, sizeof(*vp));
		vp->src_rd = src_rd;
		p = &vp->p;
		p->flags = PATH_F_VRF;
	}
	p->peer = peer;
	return p;
}

enum rde_rib_change
rde_rib_update(struct rde_table *t, struct rde_peer *peer,
    const uint8_t *addr, uint8_t len, struct rde_attrs *in,
    struct rde_attrs *out)
{
	return rde_rib_update_rd(t, peer, 0, addr, len, in, out);
}

enum rde_rib_change
rde_rib_update_rd(struct rde_table *t, struct rde_peer *peer, rd_t src_rd,
    const uint8_t *addr, uint8_t len, struct rde_attrs *in,
    struct rde_attrs *out)
{
	struct rde_prefix	*pfx;
	struct rde_path		*p, *old_best;
	struct rde_attrs	*old_attrs = NULL;
	enum rde_rib_change	 ch = RIB_REPLACED;
	bool			 changed;

	pfx = prefix_get(t, addr, len);
	if ((p = rde_path_find_rd(pfx, peer, src_rd)) != NULL &&
	    path_same(p, in, out))
		return RIB_NOCHANGE;
	if ((old_best = rde_prefix_best(pfx)) != NULL) {
		old_attrs = old_best->attrs;
		rde_attrs_ref(old_attrs);
	}
	if (p == NULL) {
		p = path_new(t, peer, src_rd);
		/* behind the best: the decision moves it if it wins */
		if (pfx->paths == NULL)
			pfx->paths = p;
		else {
			p->next = pfx->paths->next;
			pfx->paths->next = p;
		}
		peer->prefixes_received++;
		ch = RIB_ADDED;
	}
	path_set(p, in, out);
	changed = rde_decide(t, pfx, old_best, old_attrs);
	rde_attrs_unref(old_attrs);
	if (!changed && t->vrf != NULL)
		rde_vrf_paths_changed(t, pfx);
	return ch;
}

/*
 * Eligibility may have changed for every path (our addresses, the
 * decision's settings): check it again and choose again.
 */
void
rde_prefix_redecide(struct rde_table *t, struct rde_prefix *pfx)
{
	struct rde_path		*p, *old_best = rde_prefix_best(pfx);

	RDE_PATH_FOREACH(p, pfx) {
		p->flags &= ~PATH_F_ELIGIBLE;
		if (rde_path_eligible(p))
			p->flags |= PATH_F_ELIGIBLE;
	}
	rde_decide(t, pfx, old_best, old_best ? old_best->attrs : NULL);
}

static void
path_unlink(struct rde_prefix *pfx, struct rde_path *p)
{
	struct rde_path	**pp;

	for (pp = &pfx->paths; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			p->next = NULL;
			return;
		}
	fatalx("%s: path not in its prefix", __func__);
}

static void
path_free(struct rde_path *p)
{
	if (p->flags & PATH_F_MODIFIED)
		mod_clear(p);
	if (!(p->flags & PATH_F_DENIED))
		p->peer->prefixes_accepted--;
	p->peer->prefixes_received--;
	rde_attrs_unref(p->attrs);
	pool_put(p->flags & PATH_F_VRF ? &vrf_path_pool : &path_pool, p);
}

static void
prefix_remove_path(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *p)
{
	struct rde_path	*old_best = rde_prefix_best(pfx);
	bool		 changed;

	path_unlink(pfx, p);
	changed = rde_decide(t, pfx, old_best, old_best ? old_best->attrs :
	    NULL);
	path_free(p);
	if (!changed && t->vrf != NULL && pfx->paths != NULL)
		rde_vrf_paths_changed(t, pfx);
	if (pfx->paths == NULL)
		prefix_free(t, pfx);
}

enum rde_rib_change
rde_rib_withdraw(struct rde_table *t, struct rde_peer *peer,
    const uint8_t *addr, uint8_t len)
{
	return rde_rib_withdraw_rd(t, peer, 0, addr, len);
}

enum rde_rib_change
rde_rib_withdraw_rd(struct rde_table *t, struct rde_peer *peer, rd_t src_rd,
    const uint8_t *addr, uint8_t len)
{
	struct rde_prefix	*pfx;
	struct rde_path		*p;

	if ((pfx = rde_prefix_find(t, addr, len)) == NULL ||
	    (p = rde_path_find_rd(pfx, peer, src_rd)) == NULL)
		return RIB_NOCHANGE;
	prefix_remove_path(t, pfx, p);
	return RIB_REMOVED;
}

/* ------------------------------------------------------------------ */
/* VRF tables                                                          */

struct rde_table *
rde_table_new(enum rde_aid aid, struct rde_vrf *vrf)
{
	struct rde_table	*t;

	if ((t = malloc(sizeof(*t))) == NULL)
		fatal("%s", __func__);
	table_init(t, aid);
	t->vrf = vrf;
	return t;
}

static void
flush_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	(void)arg;
	while (pfx->paths != NULL) {
		if (pfx->paths->next == NULL) {
			prefix_remove_path(t, pfx, pfx->paths);
			return;		/* the prefix is gone */
		}
		prefix_remove_path(t, pfx, pfx->paths->next);
	}
}

/* Remove every path, with the decision (and its consequences) for each. */
void
rde_table_flush(struct rde_table *t)
{
	if (t != NULL && t->count > 0)
		rde_rib_walk(t, flush_cb, NULL);
}

void
rde_table_free(struct rde_table *t)
{
	if (t == NULL)
		return;
	rde_rib_walk(t, shutdown_cb, NULL);
	free(t->buckets);
	free(t);
}

static void
peer_flush_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct rde_path	*p;

	if ((p = rde_path_find(pfx, arg)) != NULL)
		prefix_remove_path(t, pfx, p);
}

void
rde_rib_peer_flush(struct rde_peer *peer)
{
	int	aid;

	for (aid = 0; aid < AID_MAX && peer->prefixes_received > 0; aid++)
		if (rde_tables[aid].buckets != NULL)
			rde_rib_walk(&rde_tables[aid], peer_flush_cb, peer);
}

/* ------------------------------------------------------------------ */
/* walks                                                               */

void
rde_walk_start(struct rde_walk *w, struct rde_table *t)
{
	w->table = t;
	w->bucket = 0;
	w->active = true;
	t->walkers++;
}

void
rde_walk_end(struct rde_walk *w)
{
	if (!w->active)
		return;
	w->active = false;
	w->table->walkers--;
}

int
rde_walk_step(struct rde_walk *w, size_t n, rde_walk_cb cb, void *arg)
{
	struct rde_table	*t = w->table;
	struct rde_prefix	*p, *next;
	size_t			 seen = 0;

	if (!w->active)
		return 0;
	while (w->bucket <= t->mask && seen < n) {
		for (p = t->buckets[w->bucket]; p != NULL; p = next) {
			next = p->hnext;
			cb(t, p, arg);
			seen++;
		}
		w->bucket++;
	}
	if (w->bucket <= t->mask)
		return 1;
	rde_walk_end(w);
	return 0;
}

void
rde_rib_walk(struct rde_table *t, rde_walk_cb cb, void *arg)
{
	struct rde_walk	w;

	rde_walk_start(&w, t);
	while (rde_walk_step(&w, SIZE_MAX, cb, arg))
		;
}

/* ------------------------------------------------------------------ */

static void
shutdown_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct rde_path	*p;

	(void)arg;
	while ((p = pfx->paths) != NULL) {
		pfx->paths = p->next;
		path_free(p);
	}
	prefix_free(t, pfx);
}

/* Free everything without running the decision process. */
void
rde_rib_shutdown(void)
{
	int	aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (rde_tables[aid].buckets == NULL)
			continue;
		rde_rib_walk(&rde_tables[aid], shutdown_cb, NULL);
		free(rde_tables[aid].buckets);
		rde_tables[aid].buckets = NULL;
		pool_destroy(&prefix_pool[aid]);
	}
	pool_destroy(&path_pool);
	pool_destroy(&vrf_path_pool);
	pool_destroy(&mod_pool);
	free(mod_buckets);
	mod_buckets = NULL;
	rde_attr_shutdown();
}
