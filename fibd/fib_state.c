/*
 * fib_state.c: the kernel state the RDE asked for, as the parent holds it.
 * Routes are keyed by (table, prefix), as the kernel keys them, so an add
 * replaces and a delete removes exactly one entry; a per-table count of
 * routes per family follows every change.
 *
 * Sized for a million routes: a route is a 32-byte slot in an open-
 * addressed table (linear probing, deletion by backward shift: no
 * tombstones, no malloc per route, one cache line per lookup), and what
 * it points to -- its VRF and next hops -- is a path set interned once
 * and shared by every route with the same paths (a bulk load of routes
 * towards one SID is one path set).  SIDs, few, live in a tree keyed by
 * their address (one seg6local route per SID/128).
 */
#include <sys/socket.h>
#include <sys/tree.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "log.h"

/* A VRF and next hops, shared by the routes that have exactly them. */
struct fib_pathset {
	struct fib_pathset	*hnext;
	uint64_t		 hash;
	size_t			 refs;
	char			 vrf[VRF_NAME_LEN];
	uint8_t			 n;
	struct fib_nexthop	 nh[];
};

/* One route: its key and its paths; free while ps is NULL. */
struct fib_slot {
	uint32_t		 table;
	uint8_t			 af;
	uint8_t			 len;
	uint8_t			 pad[2];
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
	}			 addr;
	struct fib_pathset	*ps;
};

struct fib_state_sid {
	RB_ENTRY(fib_state_sid)	 entry;
	struct fib_sid		 s;
};

struct fib_state_table {
	RB_ENTRY(fib_state_table) entry;
	uint32_t		 table;
	size_t			 routes4;
	size_t			 routes6;
};

RB_HEAD(fib_sid_tree, fib_state_sid);
RB_HEAD(fib_table_tree, fib_state_table);

struct fib_state {
	struct fib_slot		*slots;
	size_t			 mask;		/* slots - 1 */
	size_t			 n_routes;
	struct fib_pathset	**psets;	/* interned path sets */
	size_t			 psmask;
	size_t			 n_psets;
	struct fib_pathset	*ps_last;	/* the last one interned */
	struct fib_state_table	*t_last;	/* the last table counted */
	struct fib_sid_tree	 sids;
	struct fib_table_tree	 tables;
	size_t			 n_sids;
	size_t			 n_tables;
};

#define FIB_SLOTS_MIN		1024
#define FIB_PSETS_MIN		64

static uint64_t
fib_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
fib_key_hash(uint32_t table, uint8_t af, uint8_t len, const void *addr)
{
	uint64_t	w[2];
	uint64_t	h;

	h = fib_mix((uint64_t)table << 16 | (uint64_t)af << 8 | len);
	if (af == AF_INET) {
		uint32_t	v4;

		memcpy(&v4, addr, 4);
		return fib_mix(h ^ v4);
	}
	memcpy(w, addr, 16);
	return fib_mix(fib_mix(h ^ w[0]) ^ w[1]);
}

static int
fib_sid_cmp(struct fib_state_sid *a, struct fib_state_sid *b)
{
	return memcmp(&a->s.sid, &b->s.sid, sizeof(a->s.sid));
}

static int
fib_table_cmp(struct fib_state_table *a, struct fib_state_table *b)
{
	return a->table < b->table ? -1 : a->table > b->table;
}

RB_PROTOTYPE(fib_sid_tree, fib_state_sid, entry, fib_sid_cmp)
RB_PROTOTYPE(fib_table_tree, fib_state_table, entry, fib_table_cmp)
RB_GENERATE(fib_sid_tree, fib_state_sid, entry, fib_sid_cmp)
RB_GENERATE(fib_table_tree, fib_state_table, entry, fib_table_cmp)

struct fib_state *
fib_state_new(void)
{
	struct fib_state	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->slots = calloc(FIB_SLOTS_MIN, sizeof(*st->slots))) == NULL ||
	    (st->psets = calloc(FIB_PSETS_MIN, sizeof(*st->psets))) == NULL)
		fatal("%s", __func__);
	st->mask = FIB_SLOTS_MIN - 1;
	st->psmask = FIB_PSETS_MIN - 1;
	RB_INIT(&st->sids);
	RB_INIT(&st->tables);
	return st;
}

void
fib_state_free(struct fib_state *st)
{
	struct fib_pathset	*ps, *psn;
	struct fib_state_sid	*s, *sn;
	struct fib_state_table	*t, *tn;
	size_t			 i;

	if (st == NULL)
		return;
	free(st->slots);
	for (i = 0; i <= st->psmask; i++)
		for (ps = st->psets[i]; ps != NULL; ps = psn) {
			psn = ps->hnext;
			free(ps);
		}
	free(st->psets);
	RB_FOREACH_SAFE(s, fib_sid_tree, &st->sids, sn) {
		RB_REMOVE(fib_sid_tree, &st->sids, s);
		free(s);
	}
	RB_FOREACH_SAFE(t, fib_table_tree, &st->tables, tn) {
		RB_REMOVE(fib_table_tree, &st->tables, t);
		free(t);
	}
	free(st);
}

/* ------------------------------------------------------------------ */
/* per-table counts                                                    */

static struct fib_state_table *
fib_table_find(const struct fib_state *st, uint32_t table)
{
	struct fib_state_table	 key;

	if (st->t_last != NULL && st->t_last->table == table)
		return st->t_last;
	key.table = table;
	return RB_FIND(fib_table_tree, (struct fib_table_tree *)&st->tables,
	    &key);
}

/* Count one route of family af more (delta 1) or less (delta -1). */
static void
fib_table_count(struct fib_state *st, uint32_t table, int af, int delta)
{
	struct fib_state_table	*t;
	size_t			*n;

	if ((t = fib_table_find(st, table)) != NULL)
		st->t_last = t;
	else {
		if (delta < 0)
			fatalx("%s: table %u not counted", __func__, table);
		if ((t = calloc(1, sizeof(*t))) == NULL)
			fatal("%s", __func__);
		t->table = table;
		RB_INSERT(fib_table_tree, &st->tables, t);
		st->n_tables++;
		st->t_last = t;
	}
	n = af == AF_INET ? &t->routes4 : &t->routes6;
	if (delta > 0)
		(*n)++;
	else
		(*n)--;
	if (t->routes4 == 0 && t->routes6 == 0) {
		st->t_last = NULL;
		RB_REMOVE(fib_table_tree, &st->tables, t);
		free(t);
		st->n_tables--;
	}
}

/* ------------------------------------------------------------------ */
/* path sets                                                           */

/* Field by field: padding in the records carries nothing. */
static bool
fib_paths_equal(const struct fib_pathset *ps, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	unsigned int	i;

	if (ps->n != r->n_nexthops || strcmp(ps->vrf, r->vrf) != 0)
		return false;
	for (i = 0; i < ps->n; i++)
		if (memcmp(&ps->nh[i].sid, &nh[i].sid, sizeof(nh[i].sid)) != 0 ||
		    addr_cmp(&ps->nh[i].gateway, &nh[i].gateway) != 0 ||
		    ps->nh[i].behavior != nh[i].behavior)
			return false;
	return true;
}

static uint64_t
fib_paths_hash(const struct fib_route *r, const struct fib_nexthop *nh)
{
	uint64_t	h = r->n_nexthops, w[2];
	size_t		i, k;

	for (k = 0; k < sizeof(r->vrf) && r->vrf[k] != '\0'; k++)
		h = h * 31 + (uint8_t)r->vrf[k];
	for (i = 0; i < r->n_nexthops; i++) {
		memcpy(w, &nh[i].sid, 16);
		h = fib_mix(h ^ w[0]) ^ w[1];
		h = fib_mix(h ^ nh[i].behavior ^ (uint64_t)nh[i].gateway.af << 16);
		if (nh[i].gateway.af == AF_INET)
			h ^= nh[i].gateway.v4.s_addr;
		else if (nh[i].gateway.af == AF_INET6) {
			memcpy(w, &nh[i].gateway.v6, 16);
			h = fib_mix(h ^ w[0]) ^ w[1];
		}
	}
	return fib_mix(h);
}

static void
fib_psets_grow(struct fib_state *st)
{
	struct fib_pathset	**nb, *ps, *next;
	size_t			  n = (st->psmask + 1) * 2, i;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i <= st->psmask; i++)
		for (ps = st->psets[i]; ps != NULL; ps = next) {
			next = ps->hnext;
			ps->hnext = nb[ps->hash & (n - 1)];
			nb[ps->hash & (n - 1)] = ps;
		}
	free(st->psets);
	st->psets = nb;
	st->psmask = n - 1;
}

/* The path set of r and nh, with one more reference. */
static struct fib_pathset *
fib_paths_get(struct fib_state *st, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	struct fib_pathset	*ps = st->ps_last;
	uint64_t		 h;

	if (ps == NULL || !fib_paths_equal(ps, r, nh)) {
		h = fib_paths_hash(r, nh);
		for (ps = st->psets[h & st->psmask]; ps != NULL;
		    ps = ps->hnext)
			if (ps->hash == h && fib_paths_equal(ps, r, nh))
				break;
		if (ps == NULL) {
			if (st->n_psets > st->psmask)
				fib_psets_grow(st);
			ps = calloc(1, sizeof(*ps) +
			    r->n_nexthops * sizeof(*nh));
			if (ps == NULL)
				fatal("%s", __func__);
			ps->hash = h;
			memcpy(ps->vrf, r->vrf, sizeof(ps->vrf));
			ps->vrf[sizeof(ps->vrf) - 1] = '\0';
			ps->n = r->n_nexthops;
			memcpy(ps->nh, nh, r->n_nexthops * sizeof(*nh));
			ps->hnext = st->psets[h & st->psmask];
			st->psets[h & st->psmask] = ps;
			st->n_psets++;
		}
		st->ps_last = ps;
	}
	ps->refs++;
	return ps;
}

static void
fib_paths_put(struct fib_state *st, struct fib_pathset *ps)
{
	struct fib_pathset	**pp;

	if (--ps->refs > 0)
		return;
	for (pp = &st->psets[ps->hash & st->psmask]; *pp != ps;
	    pp = &(*pp)->hnext)
		;
	*pp = ps->hnext;
	st->n_psets--;
	if (st->ps_last == ps)
		st->ps_last = NULL;
	free(ps);
}

/* ------------------------------------------------------------------ */
/* routes                                                              */

static size_t
fib_slot_home(const struct fib_state *st, const struct fib_slot *e)
{
	return fib_key_hash(e->table, e->af, e->len, &e->addr) & st->mask;
}

/* The slot holding (table, dst), or the free slot where it would go. */
static struct fib_slot *
fib_slot_find(const struct fib_state *st, uint32_t table,
    const struct srv6d_prefix *dst)
{
	struct fib_slot	*e;
	size_t		 i, alen = dst->addr.af == AF_INET ? 4 : 16;

	i = fib_key_hash(table, dst->addr.af, dst->len, &dst->addr.v6) &
	    st->mask;
	for (;; i = (i + 1) & st->mask) {
		e = &st->slots[i];
		if (e->ps == NULL || (e->table == table &&
		    e->len == dst->len && e->af == dst->addr.af &&
		    memcmp(&e->addr, &dst->addr.v6, alen) == 0))
			return e;
	}
}

/* Twice the slots, every route placed again. */
static void
fib_slots_grow(struct fib_state *st)
{
	struct fib_slot	*old = st->slots, *e;
	size_t		 n = st->mask + 1, i, j;

	if ((st->slots = calloc(n * 2, sizeof(*st->slots))) == NULL)
		fatal("%s", __func__);
	st->mask = n * 2 - 1;
	for (i = 0; i < n; i++) {
		if (old[i].ps == NULL)
			continue;
		for (j = fib_slot_home(st, &old[i]); ; j = (j + 1) & st->mask)
			if ((e = &st->slots[j])->ps == NULL)
				break;
		*e = old[i];
	}
	free(old);
}

/*
 * Empty slot e and close the gap (Knuth's algorithm R): a later entry of
 * the same run moves back when its home is not between the gap and it.
 */
static void
fib_slot_clear(struct fib_state *st, struct fib_slot *e)
{
	size_t	i = (size_t)(e - st->slots), j = i, k;

	for (;;) {
		st->slots[i].ps = NULL;
		do {
			j = (j + 1) & st->mask;
			if (st->slots[j].ps == NULL)
				return;
			k = fib_slot_home(st, &st->slots[j]);
		} while (i <= j ? (i < k && k <= j) : (i < k || k <= j));
		st->slots[i] = st->slots[j];
		i = j;
	}
}

/* The route in slot e as a record, its paths in nh. */
static void
fib_slot_route(const struct fib_slot *e, struct fib_route *r,
    struct fib_nexthop *nh)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->vrf, e->ps->vrf, sizeof(r->vrf));
	r->table = e->table;
	r->op = FIB_ADD;
	r->n_nexthops = e->ps->n;
	r->dst.addr.af = e->af;
	memcpy(&r->dst.addr.v6, &e->addr, e->af == AF_INET ? 4 : 16);
	r->dst.len = e->len;
	if (nh != NULL)
		memcpy(nh, e->ps->nh, e->ps->n * sizeof(*nh));
}

enum fib_change
fib_state_route(struct fib_state *st, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	return fib_state_route_old(st, r, nh, NULL, NULL);
}

/*
 * The same, and the route it replaced or deleted copied to *old and
 * old_nh (old->n_nexthops), when old is not NULL: one lookup for both.
 * old->op is 0 when there was none.
 */
enum fib_change
fib_state_route_old(struct fib_state *st, const struct fib_route *r,
    const struct fib_nexthop *nh, struct fib_route *old,
    struct fib_nexthop *old_nh)
{
	struct fib_slot		*e = fib_slot_find(st, r->table, &r->dst);
	bool			 held = e->ps != NULL;

	if (old != NULL) {
		old->op = 0;
		if (held)
			fib_slot_route(e, old, old_nh);
	}
	if (r->op == FIB_DEL) {
		if (!held)
			return FIB_CHANGE_NONE;
		fib_paths_put(st, e->ps);
		fib_slot_clear(st, e);
		fib_table_count(st, r->table, r->dst.addr.af, -1);
		st->n_routes--;
		return FIB_CHANGE_DELETED;
	}
	if (held) {
		if (fib_paths_equal(e->ps, r, nh))
			return FIB_CHANGE_SAME;
		fib_paths_put(st, e->ps);
		e->ps = fib_paths_get(st, r, nh);
		return FIB_CHANGE_REPLACED;
	}
	/* at most 3/4 full, so that probe runs stay short */
	if ((st->n_routes + 1) * 4 > (st->mask + 1) * 3) {
		fib_slots_grow(st);
		e = fib_slot_find(st, r->table, &r->dst);
	}
	e->table = r->table;
	e->af = r->dst.addr.af;
	e->len = r->dst.len;
	memset(&e->addr, 0, sizeof(e->addr));
	memcpy(&e->addr, &r->dst.addr.v6, e->af == AF_INET ? 4 : 16);
	e->ps = fib_paths_get(st, r, nh);
	fib_table_count(st, r->table, r->dst.addr.af, 1);
	st->n_routes++;
	return FIB_CHANGE_ADDED;
}

/*
 * Bring (table, dst)'s slot into the cache: fib.c calls it for every
 * record of a batch while checking the batch, so that applying it finds
 * the slots there instead of waiting for memory once per route.
 */
void
fib_state_route_prefetch(const struct fib_state *st, uint32_t table,
    const struct srv6d_prefix *dst)
{
	__builtin_prefetch(&st->slots[fib_key_hash(table, dst->addr.af,
	    dst->len, &dst->addr.v6) & st->mask]);
}

bool
fib_state_route_get(const struct fib_state *st, uint32_t table,
    const struct srv6d_prefix *dst, struct fib_route *r,
    struct fib_nexthop *nh)
{
	const struct fib_slot	*e = fib_slot_find(st, table, dst);

	if (e->ps == NULL)
		return false;
	fib_slot_route(e, r, nh);
	return true;
}

void
fib_state_route_walk(const struct fib_state *st, fib_route_walk_cb cb,
    void *arg)
{
	struct fib_route	r;
	struct fib_nexthop	nh[FIB_NEXTHOPS_MAX];
	size_t			i;

	for (i = 0; i <= st->mask; i++)
		if (st->slots[i].ps != NULL) {
			fib_slot_route(&st->slots[i], &r, nh);
			cb(&r, nh, arg);
		}
}

size_t
fib_state_npathsets(const struct fib_state *st)
{
	return st->n_psets;
}

size_t
fib_state_table_routes(const struct fib_state *st, uint32_t table, int af)
{
	struct fib_state_table	*t;

	if ((t = fib_table_find(st, table)) == NULL)
		return 0;
	if (af == AF_INET)
		return t->routes4;
	if (af == AF_INET6)
		return t->routes6;
	return t->routes4 + t->routes6;
}

size_t
fib_state_nroutes(const struct fib_state *st)
{
	return st->n_routes;
}

size_t
fib_state_ntables(const struct fib_state *st)
{
	return st->n_tables;
}

/* ------------------------------------------------------------------ */
/* SIDs                                                                */

static struct fib_state_sid *
fib_sid_lookup(const struct fib_state *st, const struct in6_addr *sid)
{
	struct fib_state_sid	 key;

	key.s.sid = *sid;
	return RB_FIND(fib_sid_tree, (struct fib_sid_tree *)&st->sids, &key);
}

static int
fib_sid_same(const struct fib_sid *a, const struct fib_sid *b)
{
	return a->behavior == b->behavior && a->table == b->table &&
	    strcmp(a->vrf, b->vrf) == 0 &&
	    strcmp(a->locator, b->locator) == 0 &&
	    addr_cmp(&a->nh, &b->nh) == 0;
}

enum fib_change
fib_state_sid(struct fib_state *st, const struct fib_sid *s)
{
	struct fib_state_sid	*e;

	e = fib_sid_lookup(st, &s->sid);
	if (s->op == FIB_DEL) {
		if (e == NULL)
			return FIB_CHANGE_NONE;
		RB_REMOVE(fib_sid_tree, &st->sids, e);
		st->n_sids--;
		free(e);
		return FIB_CHANGE_DELETED;
	}
	if (e != NULL) {
		if (fib_sid_same(&e->s, s))
			return FIB_CHANGE_SAME;
		e->s = *s;
		return FIB_CHANGE_REPLACED;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("%s", __func__);
	e->s = *s;
	RB_INSERT(fib_sid_tree, &st->sids, e);
	st->n_sids++;
	return FIB_CHANGE_ADDED;
}

const struct fib_sid *
fib_state_sid_find(const struct fib_state *st, const struct in6_addr *sid)
{
	struct fib_state_sid	*e;

	return (e = fib_sid_lookup(st, sid)) != NULL ? &e->s : NULL;
}

void
fib_state_sid_walk(const struct fib_state *st, fib_sid_walk_cb cb, void *arg)
{
	struct fib_state_sid	*e;

	RB_FOREACH(e, fib_sid_tree, (struct fib_sid_tree *)&st->sids)
		cb(&e->s, arg);
}

size_t
fib_state_nsids(const struct fib_state *st)
{
	return st->n_sids;
}
