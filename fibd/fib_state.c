/*
 * fib_state.c: the kernel state the RDE asked for, as the parent holds it.
 * Routes are keyed by (table, prefix), as the kernel keys them, so an add
 * replaces and a delete removes exactly one entry; a per-table count of
 * routes per family follows every change.  Routes live in a hash table
 * (a million of them: one lookup each, no tree of compares); SIDs, few,
 * in a tree keyed by their address (one seg6local route per SID/128).
 */
#include <sys/socket.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "log.h"

struct fib_state_route {
	struct fib_state_route	*hnext;		/* hash chain */
	uint32_t		 hash;
	struct fib_route	 r;
	struct fib_nexthop	 nh[];		/* r.n_nexthops */
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
	struct fib_state_route	**buckets;
	size_t			 mask;		/* buckets - 1 */
	struct fib_sid_tree	 sids;
	struct fib_table_tree	 tables;
	size_t			 n_routes;
	size_t			 n_sids;
	size_t			 n_tables;
};

/* FNV-1a over the key: table, family, length, address. */
static uint32_t
fib_route_hash(uint32_t table, const struct srv6d_prefix *dst)
{
	const uint8_t	*a = (const uint8_t *)&dst->addr.v6;
	size_t		 n = dst->addr.af == AF_INET ? 4 : 16, i;
	uint32_t	 h = 2166136261u;

	h = (h ^ (table & 0xff)) * 16777619u;
	h = (h ^ (table >> 8)) * 16777619u;
	h = (h ^ dst->addr.af) * 16777619u;
	h = (h ^ dst->len) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

static int
fib_route_key_eq(const struct fib_state_route *e, uint32_t table,
    const struct srv6d_prefix *dst)
{
	return e->r.table == table && e->r.dst.len == dst->len &&
	    e->r.dst.addr.af == dst->addr.af &&
	    memcmp(&e->r.dst.addr.v6, &dst->addr.v6,
	    dst->addr.af == AF_INET ? 4 : 16) == 0;
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

	if ((st = calloc(1, sizeof(*st))) == NULL)
		fatal("%s", __func__);
	st->mask = 1023;
	if ((st->buckets = calloc(st->mask + 1, sizeof(*st->buckets))) == NULL)
		fatal("%s", __func__);
	RB_INIT(&st->sids);
	RB_INIT(&st->tables);
	return st;
}

void
fib_state_free(struct fib_state *st)
{
	struct fib_state_route	*r, *rn;
	struct fib_state_sid	*s, *sn;
	struct fib_state_table	*t, *tn;
	size_t			 i;

	if (st == NULL)
		return;
	for (i = 0; i <= st->mask; i++)
		for (r = st->buckets[i]; r != NULL; r = rn) {
			rn = r->hnext;
			free(r);
		}
	free(st->buckets);
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

	if ((t = fib_table_find(st, table)) == NULL) {
		if (delta < 0)
			fatalx("%s: table %u not counted", __func__, table);
		if ((t = calloc(1, sizeof(*t))) == NULL)
			fatal("%s", __func__);
		t->table = table;
		RB_INSERT(fib_table_tree, &st->tables, t);
		st->n_tables++;
	}
	n = af == AF_INET ? &t->routes4 : &t->routes6;
	if (delta > 0)
		(*n)++;
	else
		(*n)--;
	if (t->routes4 == 0 && t->routes6 == 0) {
		RB_REMOVE(fib_table_tree, &st->tables, t);
		free(t);
		st->n_tables--;
	}
}

/* ------------------------------------------------------------------ */
/* routes                                                              */

static struct fib_state_route *
fib_route_lookup(const struct fib_state *st, uint32_t table,
    const struct srv6d_prefix *dst)
{
	struct fib_state_route	*e;

	e = st->buckets[fib_route_hash(table, dst) & st->mask];
	for (; e != NULL; e = e->hnext)
		if (fib_route_key_eq(e, table, dst))
			return e;
	return NULL;
}

/* Field by field: padding in the records carries nothing. */
static int
fib_nexthops_equal(const struct fib_nexthop *a, const struct fib_nexthop *b,
    unsigned int n)
{
	unsigned int	i;

	for (i = 0; i < n; i++)
		if (memcmp(&a[i].sid, &b[i].sid, sizeof(a[i].sid)) != 0 ||
		    addr_cmp(&a[i].gateway, &b[i].gateway) != 0 ||
		    a[i].behavior != b[i].behavior)
			return 0;
	return 1;
}

static int
fib_route_same(const struct fib_state_route *e, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	return strcmp(e->r.vrf, r->vrf) == 0 &&
	    e->r.n_nexthops == r->n_nexthops &&
	    fib_nexthops_equal(e->nh, nh, r->n_nexthops);
}

static struct fib_state_route *
fib_route_new(const struct fib_route *r, const struct fib_nexthop *nh)
{
	struct fib_state_route	*e;

	e = calloc(1, sizeof(*e) + r->n_nexthops * sizeof(*nh));
	if (e == NULL)
		fatal("%s", __func__);
	e->r = *r;
	memcpy(e->nh, nh, r->n_nexthops * sizeof(*nh));
	return e;
}

static void
fib_route_remove(struct fib_state *st, struct fib_state_route *e)
{
	struct fib_state_route	**pp;

	for (pp = &st->buckets[e->hash & st->mask]; *pp != e;
	    pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
	fib_table_count(st, e->r.table, e->r.dst.addr.af, -1);
	st->n_routes--;
	free(e);
}

static void
fib_grow(struct fib_state *st)
{
	struct fib_state_route	**nb, *e, *next;
	size_t			  n = (st->mask + 1) * 2, i;

	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i <= st->mask; i++)
		for (e = st->buckets[i]; e != NULL; e = next) {
			next = e->hnext;
			e->hnext = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	free(st->buckets);
	st->buckets = nb;
	st->mask = n - 1;
}

static void
fib_route_insert(struct fib_state *st, struct fib_state_route *e)
{
	if (st->n_routes > st->mask)
		fib_grow(st);
	e->hash = fib_route_hash(e->r.table, &e->r.dst);
	e->hnext = st->buckets[e->hash & st->mask];
	st->buckets[e->hash & st->mask] = e;
	fib_table_count(st, e->r.table, e->r.dst.addr.af, 1);
	st->n_routes++;
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
	struct fib_state_route	*e;
	enum fib_change		 ch;

	e = fib_route_lookup(st, r->table, &r->dst);
	if (old != NULL) {
		old->op = 0;
		if (e != NULL) {
			*old = e->r;
			memcpy(old_nh, e->nh, e->r.n_nexthops * sizeof(*nh));
		}
	}
	if (r->op == FIB_DEL) {
		if (e == NULL)
			return FIB_CHANGE_NONE;
		fib_route_remove(st, e);
		return FIB_CHANGE_DELETED;
	}
	ch = FIB_CHANGE_ADDED;
	if (e != NULL) {
		if (fib_route_same(e, r, nh))
			return FIB_CHANGE_SAME;
		fib_route_remove(st, e);
		ch = FIB_CHANGE_REPLACED;
	}
	e = fib_route_new(r, nh);
	e->r.op = FIB_ADD;
	fib_route_insert(st, e);
	return ch;
}

const struct fib_route *
fib_state_route_find(const struct fib_state *st, uint32_t table,
    const struct srv6d_prefix *dst, const struct fib_nexthop **nh)
{
	struct fib_state_route	*e;

	if ((e = fib_route_lookup(st, table, dst)) == NULL)
		return NULL;
	if (nh != NULL)
		*nh = e->nh;
	return &e->r;
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

size_t
fib_state_nsids(const struct fib_state *st)
{
	return st->n_sids;
}
