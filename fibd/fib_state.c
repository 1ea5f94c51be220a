/*
 * fib_state.c: the kernel state the RDE asked for, as the parent holds it
 * until it is programmed.  Routes are keyed by (table, prefix), as the
 * kernel keys them, so an add replaces and a delete removes exactly one
 * entry; a per-table count of routes per family follows every change.
 * SIDs are keyed by their address (one seg6local route per SID/128).
 */
#include <sys/socket.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "log.h"

struct fib_state_route {
	RB_ENTRY(fib_state_route) entry;
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

RB_HEAD(fib_route_tree, fib_state_route);
RB_HEAD(fib_sid_tree, fib_state_sid);
RB_HEAD(fib_table_tree, fib_state_table);

struct fib_state {
	struct fib_route_tree	 routes;
	struct fib_sid_tree	 sids;
	struct fib_table_tree	 tables;
	size_t			 n_routes;
	size_t			 n_sids;
	size_t			 n_tables;
};

static int
fib_route_cmp(struct fib_state_route *a, struct fib_state_route *b)
{
	int	r;

	if (a->r.table != b->r.table)
		return a->r.table < b->r.table ? -1 : 1;
	if ((r = addr_cmp(&a->r.dst.addr, &b->r.dst.addr)) != 0)
		return r;
	return a->r.dst.len < b->r.dst.len ? -1 : a->r.dst.len > b->r.dst.len;
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

RB_PROTOTYPE(fib_route_tree, fib_state_route, entry, fib_route_cmp)
RB_PROTOTYPE(fib_sid_tree, fib_state_sid, entry, fib_sid_cmp)
RB_PROTOTYPE(fib_table_tree, fib_state_table, entry, fib_table_cmp)
RB_GENERATE(fib_route_tree, fib_state_route, entry, fib_route_cmp)
RB_GENERATE(fib_sid_tree, fib_state_sid, entry, fib_sid_cmp)
RB_GENERATE(fib_table_tree, fib_state_table, entry, fib_table_cmp)

struct fib_state *
fib_state_new(void)
{
	struct fib_state	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		fatal("%s", __func__);
	RB_INIT(&st->routes);
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

	if (st == NULL)
		return;
	RB_FOREACH_SAFE(r, fib_route_tree, &st->routes, rn) {
		RB_REMOVE(fib_route_tree, &st->routes, r);
		free(r);
	}
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
	struct fib_state_route	 key;

	memset(&key, 0, sizeof(key));
	key.r.table = table;
	key.r.dst = *dst;
	return RB_FIND(fib_route_tree, (struct fib_route_tree *)&st->routes,
	    &key);
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
	RB_REMOVE(fib_route_tree, &st->routes, e);
	fib_table_count(st, e->r.table, e->r.dst.addr.af, -1);
	st->n_routes--;
	free(e);
}

static void
fib_route_insert(struct fib_state *st, struct fib_state_route *e)
{
	RB_INSERT(fib_route_tree, &st->routes, e);
	fib_table_count(st, e->r.table, e->r.dst.addr.af, 1);
	st->n_routes++;
}

enum fib_change
fib_state_route(struct fib_state *st, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	struct fib_state_route	*e;
	enum fib_change		 ch;

	e = fib_route_lookup(st, r->table, &r->dst);
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
