/*
 * Interned path attributes.
 *
 * Routes learnt together share their attributes: a full table has some
 * 50,000 distinct attribute sets for 1,000,000 prefixes.  Each distinct
 * set is stored once, found by a hash over its whole content, and shared
 * by reference count; AS_PATHs are interned on their own because many
 * sets differ only in MED, communities or next hop.
 *
 * An interned rde_attrs is one allocation: the struct, then its arrays
 * (extended communities first for their 8-byte alignment, then the 4-byte
 * arrays, then the unknown attributes' bytes).
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"
#include "log.h"
#include "rde.h"

struct intern_table {
	void		**buckets;
	size_t		  mask;
	size_t		  count;
};

static struct intern_table	attr_tab;
static struct intern_table	path_tab;

#define HASH_K1		0x9e3779b97f4a7c15ULL
#define HASH_K2		0xff51afd7ed558ccdULL

/* A quick multiplicative hash, 8 bytes at a time; not for hostile keys'
   worst case, which the chained tables only slow down. */
uint64_t
rde_hash_add(uint64_t h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * HASH_K1;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = (h ^ w ^ ((uint64_t)len << 56)) * HASH_K1;
		h ^= h >> 29;
	}
	return h;
}

uint32_t
rde_hash_final(uint64_t h)
{
	h ^= h >> 33;
	h *= HASH_K2;
	h ^= h >> 33;
	return (uint32_t)h;
}

static void
intern_init(struct intern_table *t)
{
	if (t->buckets != NULL)
		return;
	t->mask = 1023;
	if ((t->buckets = calloc(t->mask + 1, sizeof(void *))) == NULL)
		fatal("%s", __func__);
	t->count = 0;
}

void
rde_attr_init(void)
{
	intern_init(&attr_tab);
	intern_init(&path_tab);
}

void
rde_attr_shutdown(void)
{
	if (attr_tab.count != 0 || path_tab.count != 0)
		log_debug("%s: %zu attribute sets, %zu paths still referenced",
		    __func__, attr_tab.count, path_tab.count);
	free(attr_tab.buckets);
	free(path_tab.buckets);
	memset(&attr_tab, 0, sizeof(attr_tab));
	memset(&path_tab, 0, sizeof(path_tab));
}

size_t
rde_attrs_count(void)
{
	return attr_tab.count;
}

size_t
rde_aspath_count(void)
{
	return path_tab.count;
}

/* ------------------------------------------------------------------ */
/* AS paths                                                            */

static uint32_t
seg_as(const uint8_t *p, size_t i)
{
	uint32_t	v;

	memcpy(&v, p + 2 + 4 * i, 4);
	return ntohl(v);
}

/*
 * Path length for the decision (RFC 4271 §9.1.2.2 a: an AS_SET counts 1;
 * RFC 5065 §5.3: confederation segments count 0), the neighbour AS (the
 * first AS of a leading AS_SEQUENCE, confederation segments skipped) and
 * the origin AS (the last AS of a final AS_SEQUENCE).
 */
static void
aspath_summary(struct rde_aspath *a)
{
	const uint8_t	*p = a->data, *end = a->data + a->len;
	unsigned int	 len = 0;
	bool		 first = true;

	a->neighbor_as = a->origin_as = 0;
	while (end - p >= 2) {
		uint8_t	type = p[0], cnt = p[1];

		if ((size_t)(end - p) < 2 + 4 * (size_t)cnt)
			break;
		if (type == BGP_AS_SEQUENCE) {
			len += cnt;
			if (first && cnt > 0)
				a->neighbor_as = seg_as(p, 0);
			a->origin_as = cnt > 0 ? seg_as(p, cnt - 1) : 0;
		} else if (type == BGP_AS_SET) {
			len += 1;
			a->origin_as = 0;
		}
		if (type == BGP_AS_SEQUENCE || type == BGP_AS_SET)
			first = false;
		p += 2 + 4 * (size_t)cnt;
	}
	a->pathlen = len > UINT16_MAX ? UINT16_MAX : len;
}

static void
intern_grow(struct intern_table *t, bool attrs)
{
	size_t		  n = (t->mask + 1) * 2, i;
	void		**nb;

	if ((nb = calloc(n, sizeof(void *))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i <= t->mask; i++) {
		if (attrs) {
			struct rde_attrs	*a, *next;

			for (a = t->buckets[i]; a != NULL; a = next) {
				next = a->hnext;
				a->hnext = nb[a->hash & (n - 1)];
				nb[a->hash & (n - 1)] = a;
			}
		} else {
			struct rde_aspath	*a, *next;

			for (a = t->buckets[i]; a != NULL; a = next) {
				next = a->hnext;
				a->hnext = nb[a->hash & (n - 1)];
				nb[a->hash & (n - 1)] = a;
			}
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->mask = n - 1;
}

struct rde_aspath *
rde_aspath_intern(const uint8_t *data, size_t len)
{
	struct rde_aspath	*a;
	uint32_t		 h;

	if (len > UINT16_MAX)
		fatalx("%s: path of %zu bytes", __func__, len);
	intern_init(&path_tab);
	h = rde_hash_final(rde_hash_add(len, data, len));
	for (a = path_tab.buckets[h & path_tab.mask]; a != NULL; a = a->hnext)
		if (a->hash == h && a->len == len &&
		    (len == 0 || memcmp(a->data, data, len) == 0)) {
			a->refcnt++;
			return a;
		}
	if ((a = malloc(sizeof(*a) + len)) == NULL)
		fatal("%s", __func__);
	a->refcnt = 1;
	a->hash = h;
	a->len = len;
	if (len > 0)
		memcpy(a->data, data, len);
	aspath_summary(a);
	if (path_tab.count >= path_tab.mask)
		intern_grow(&path_tab, false);
	a->hnext = path_tab.buckets[h & path_tab.mask];
	path_tab.buckets[h & path_tab.mask] = a;
	path_tab.count++;
	return a;
}

void
rde_aspath_ref(struct rde_aspath *a)
{
	a->refcnt++;
}

void
rde_aspath_unref(struct rde_aspath *a)
{
	struct rde_aspath	**pp;

	if (a == NULL || --a->refcnt > 0)
		return;
	for (pp = (struct rde_aspath **)&path_tab.buckets[a->hash &
	    path_tab.mask]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == a) {
			*pp = a->hnext;
			path_tab.count--;
			free(a);
			return;
		}
	fatalx("%s: path not interned", __func__);
}

bool
rde_aspath_contains(const struct rde_aspath *a, uint32_t as)
{
	const uint8_t	*p = a->data, *end = a->data + a->len;
	size_t		 i;

	while (end - p >= 2) {
		uint8_t	cnt = p[1];

		if ((size_t)(end - p) < 2 + 4 * (size_t)cnt)
			break;
		for (i = 0; i < cnt; i++)
			if (seg_as(p, i) == as)
				return true;
		p += 2 + 4 * (size_t)cnt;
	}
	return false;
}

/*
 * Prepend `as' n times: into a leading AS_SEQUENCE while it has room
 * (255 ASNs), else in new AS_SEQUENCE segments before it.
 */
struct rde_aspath *
rde_aspath_prepend(struct rde_aspath *a, uint32_t as, unsigned int n)
{
	struct rde_aspath	*r;
	uint8_t			*buf, *w;
	const uint8_t		*rest = a->data;
	size_t			 restlen = a->len, room = 0, total, k;
	uint32_t		 nas = htonl(as);
	unsigned int		 cnt = 0;

	if (n == 0) {
		rde_aspath_ref(a);
		return a;
	}
	if (restlen >= 2 && rest[0] == BGP_AS_SEQUENCE) {
		cnt = rest[1];
		room = 255 - cnt;
		rest += 2;
		restlen -= 2;
	}
	/* worst case: a new header per 255 ASNs */
	total = a->len + 4 * (size_t)n + 2 * (n / 255 + 2);
	if ((buf = malloc(total)) == NULL)
		fatal("%s", __func__);
	w = buf;
	/* the prepended ASNs that do not fit the leading segment */
	while (n > room) {
		k = n - room > 255 ? 255 : n - room;
		*w++ = BGP_AS_SEQUENCE;
		*w++ = (uint8_t)k;
		for (size_t i = 0; i < k; i++, w += 4)
			memcpy(w, &nas, 4);
		n -= k;
	}
	if (cnt > 0 || n > 0) {
		*w++ = BGP_AS_SEQUENCE;
		*w++ = (uint8_t)(cnt + n);
		for (size_t i = 0; i < n; i++, w += 4)
			memcpy(w, &nas, 4);
	}
	memcpy(w, rest, restlen);
	w += restlen;
	r = rde_aspath_intern(buf, w - buf);
	free(buf);
	return r;
}

/* ------------------------------------------------------------------ */
/* attribute sets                                                      */

void
rde_attrs_template(struct rde_attrs *t)
{
	memset(t, 0, sizeof(*t));
	t->localpref = RDE_LOCALPREF_DEFAULT;
	t->origin = BGP_ORIGIN_INCOMPLETE;
}

static size_t
attrs_varlen(const struct rde_attrs *a)
{
	return 8 * (size_t)a->n_ext_communities +
	    4 * (size_t)a->n_communities +
	    12 * (size_t)a->n_large_communities +
	    4 * (size_t)a->n_cluster + a->others_len;
}

static size_t
addr_len(const struct srv6d_addr *a)
{
	if (a->af == AF_INET)
		return 4;
	if (a->af == AF_INET6)
		return 16;
	return 0;
}

/* The scalar fields, in a fixed order without padding, for hash/equal. */
struct attrs_key {
	uint64_t	aspath;
	uint32_t	med, localpref, aggr_as, aggr_id, originator_id;
	uint32_t	label;
	uint16_t	n_communities, n_ext_communities, n_large_communities;
	uint16_t	n_cluster, others_len;
	uint8_t		origin, flags, nh_af;
	uint8_t		nh[16];
	uint8_t		has_srv6;
	uint8_t		sid[16];
	uint16_t	behavior;
	uint8_t		has_structure;
	uint8_t		st[6];
	uint8_t		sid_local;
	uint8_t		pad[8];		/* no implicit padding */
};

static void
attrs_key(const struct rde_attrs *a, struct attrs_key *k)
{
	memset(k, 0, sizeof(*k));
	k->aspath = (uintptr_t)a->aspath;
	k->med = a->med;
	k->localpref = a->localpref;
	k->aggr_as = a->aggr_as;
	k->aggr_id = a->aggr_id.s_addr;
	k->originator_id = a->originator_id.s_addr;
	k->n_communities = a->n_communities;
	k->n_ext_communities = a->n_ext_communities;
	k->n_large_communities = a->n_large_communities;
	k->n_cluster = a->n_cluster;
	k->others_len = a->others_len;
	k->origin = a->origin;
	k->flags = a->flags;
	k->nh_af = a->nexthop.af;
	memcpy(k->nh, &a->nexthop.v6, addr_len(&a->nexthop));
	k->label = a->label;
	if ((k->has_srv6 = a->has_srv6)) {
		memcpy(k->sid, &a->srv6.sid, 16);
		k->behavior = a->srv6.behavior;
		k->sid_local = a->srv6.local;
		if ((k->has_structure = a->srv6.has_structure)) {
			k->st[0] = a->srv6.st.lbl;
			k->st[1] = a->srv6.st.lnl;
			k->st[2] = a->srv6.st.fl;
			k->st[3] = a->srv6.st.al;
			k->st[4] = a->srv6.st.tl;
			k->st[5] = a->srv6.st.to;
		}
	}
}

static uint32_t
attrs_hash(const struct rde_attrs *a)
{
	struct attrs_key	k;
	uint64_t		h;

	attrs_key(a, &k);
	h = rde_hash_add(0x5bd1e995, &k, sizeof(k));
	h = rde_hash_add(h, a->ext_communities, 8 * a->n_ext_communities);
	h = rde_hash_add(h, a->communities, 4 * a->n_communities);
	h = rde_hash_add(h, a->large_communities,
	    12 * a->n_large_communities);
	h = rde_hash_add(h, a->cluster_list, 4 * a->n_cluster);
	h = rde_hash_add(h, a->others, a->others_len);
	return rde_hash_final(h);
}

static bool
mem_eq(const void *a, const void *b, size_t len)
{
	return len == 0 || memcmp(a, b, len) == 0;
}

bool
rde_attrs_equal(const struct rde_attrs *a, const struct rde_attrs *b)
{
	struct attrs_key	ka, kb;

	if (a == b)
		return true;
	attrs_key(a, &ka);
	attrs_key(b, &kb);
	return memcmp(&ka, &kb, sizeof(ka)) == 0 &&
	    mem_eq(a->ext_communities, b->ext_communities,
	    8 * a->n_ext_communities) &&
	    mem_eq(a->communities, b->communities, 4 * a->n_communities) &&
	    mem_eq(a->large_communities, b->large_communities,
	    12 * a->n_large_communities) &&
	    mem_eq(a->cluster_list, b->cluster_list, 4 * a->n_cluster) &&
	    mem_eq(a->others, b->others, a->others_len);
}

/* Copy n bytes from src to *w, point *dst at the copy, advance *w. */
static void
attrs_place(uint8_t **w, void *dstp, const void *src, size_t n)
{
	void	**dst = dstp;

	if (n == 0) {
		*dst = NULL;
		return;
	}
	memcpy(*w, src, n);
	*dst = *w;
	*w += n;
}

static struct rde_attrs *
attrs_copy(const struct rde_attrs *t, uint32_t h)
{
	struct rde_attrs	*a;
	uint8_t			*w;

	if ((a = malloc(sizeof(*a) + attrs_varlen(t))) == NULL)
		fatal("%s", __func__);
	*a = *t;
	a->refcnt = 1;
	a->hash = h;
	w = (uint8_t *)(a + 1);
	attrs_place(&w, &a->ext_communities, t->ext_communities,
	    8 * (size_t)t->n_ext_communities);
	attrs_place(&w, &a->communities, t->communities,
	    4 * (size_t)t->n_communities);
	attrs_place(&w, &a->large_communities, t->large_communities,
	    12 * (size_t)t->n_large_communities);
	attrs_place(&w, &a->cluster_list, t->cluster_list,
	    4 * (size_t)t->n_cluster);
	attrs_place(&w, &a->others, t->others, t->others_len);
	return a;
}

/*
 * Find the interned copy of t or make one.  A template without a path
 * gets the empty one (our own routes); the path is referenced anew.
 */
struct rde_attrs *
rde_attrs_intern(const struct rde_attrs *t)
{
	struct rde_attrs	 tmp, *a;
	uint32_t		 h;
	bool			 own_path = false;

	intern_init(&attr_tab);
	if (t->aspath == NULL) {
		tmp = *t;
		tmp.aspath = rde_aspath_intern(NULL, 0);
		own_path = true;
		t = &tmp;
	}
	h = attrs_hash(t);
	for (a = attr_tab.buckets[h & attr_tab.mask]; a != NULL;
	    a = a->hnext)
		if (a->hash == h && rde_attrs_equal(a, t)) {
			a->refcnt++;
			if (own_path)
				rde_aspath_unref(tmp.aspath);
			return a;
		}
	a = attrs_copy(t, h);
	if (!own_path)
		rde_aspath_ref(a->aspath);
	if (attr_tab.count >= attr_tab.mask)
		intern_grow(&attr_tab, true);
	a->hnext = attr_tab.buckets[h & attr_tab.mask];
	attr_tab.buckets[h & attr_tab.mask] = a;
	attr_tab.count++;
	return a;
}

void
rde_attrs_ref(struct rde_attrs *a)
{
	a->refcnt++;
}

void
rde_attrs_unref(struct rde_attrs *a)
{
	struct rde_attrs	**pp;

	if (a == NULL || --a->refcnt > 0)
		return;
	for (pp = (struct rde_attrs **)&attr_tab.buckets[a->hash &
	    attr_tab.mask]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == a) {
			*pp = a->hnext;
			attr_tab.count--;
			rde_aspath_unref(a->aspath);
			free(a);
			return;
		}
	fatalx("%s: attributes not interned", __func__);
}

bool
rde_attrs_has_community(const struct rde_attrs *a, uint32_t c)
{
	uint16_t	i;

	for (i = 0; i < a->n_communities; i++)
		if (a->communities[i] == c)
			return true;
	return false;
}
