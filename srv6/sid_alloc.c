/*
 * sid_alloc.c: SIDs from a locator.  A SID is the locator prefix (block
 * + node bits), then a function value of func_len bits, then zero
 * argument and trailing bits.  Each SID serves a key: a VRF and
 * behaviour (End.DT4/DT6/DT46), or a VRF, behaviour and CE next hop
 * (End.DX4/DX6).
 *
 * The allocation rule, chosen so that SIDs survive restarts and edits:
 * explicit SIDs are reserved first; then each dynamic key, taken in
 * sorted key order, gets the function value 1 + hash(key) mod
 * (space - 1), or, if that value is taken, the next free one upward
 * (wrapping, skipping 0).  The hash is FNV-1a over the key's bytes, so it
 * is the same on every run and every host.  The same configuration hence
 * gives the same SIDs after a restart whatever order it lists things in,
 * and adding or removing a VRF does not renumber the others (it could
 * only change a key that collided with it).  Function value 0 is never
 * allocated: that SID is the locator itself.  A SID, once allocated,
 * does not move until its key is released.
 *
 * Dynamic values stay below 2^20 even with longer functions, so that a
 * bitmap of at most 128 kB tracks the used ones.
 */
#include <sys/types.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv6.h"

#define SID_DYN_MAXBITS		20
#define SID_FUNC_MAXBITS	32

struct sid_entry {
	struct sid_key		 key;
	struct in6_addr		 sid;
	uint32_t		 func;
	int			 is_explicit;
};

struct sid_alloc {
	struct srv6_locator	 loc;
	uint32_t		 space;		/* dynamic values: [1, space) */
	uint8_t			*used;		/* bitmap of values < space */
	struct sid_entry	*ent;
	size_t			 nent;
	size_t			 cap;
};

static unsigned
loc_bits(const struct srv6_locator *loc)
{
	return loc->block_len + loc->node_len;
}

/*
 * A usable locator: lengths within 128 bits, a function of 1 to 32 bits,
 * no bits set in the prefix beyond block + node.
 */
int
sid_locator_check(const struct srv6_locator *loc, const char **why)
{
	unsigned	lb = loc_bits(loc), i;

	if (lb + loc->func_len + loc->arg_len > 128) {
		*why = "locator block, node, function and argument exceed 128";
		return -1;
	}
	if (lb == 0) {
		*why = "locator without block and node bits";
		return -1;
	}
	if (loc->func_len == 0 || loc->func_len > SID_FUNC_MAXBITS) {
		*why = "locator function length not between 1 and 32";
		return -1;
	}
	for (i = lb; i < 128; i++)
		if (srv6_bits_get(&loc->prefix, i, 1)) {
			*why = "locator prefix has bits set beyond its length";
			return -1;
		}
	return 0;
}

struct sid_alloc *
sid_alloc_new(const struct srv6_locator *loc)
{
	struct sid_alloc	*a;
	const char		*why;
	unsigned		 bits;

	if (sid_locator_check(loc, &why) == -1)
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->loc = *loc;
	bits = loc->func_len < SID_DYN_MAXBITS ? loc->func_len :
	    SID_DYN_MAXBITS;
	a->space = 1u << bits;
	if ((a->used = calloc((a->space + 7) / 8, 1)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
sid_alloc_free(struct sid_alloc *a)
{
	if (a == NULL)
		return;
	free(a->used);
	free(a->ent);
	free(a);
}

static int
used_get(const struct sid_alloc *a, uint32_t v)
{
	return v < a->space && (a->used[v / 8] >> (v % 8) & 1);
}

static void
used_set(struct sid_alloc *a, uint32_t v, int on)
{
	if (v >= a->space)
		return;
	if (on)
		a->used[v / 8] |= 1 << (v % 8);
	else
		a->used[v / 8] &= ~(1 << (v % 8));
}

static size_t
nh_len(uint8_t af)
{
	if (af == AF_INET)
		return 4;
	if (af == AF_INET6)
		return 16;
	return 0;
}

/*
 * A copy with every byte that does not belong to the key zeroed; names
 * are cut at SRV6_NAMELEN - 1 everywhere, terminated or not.
 */
static struct sid_key
key_norm(const struct sid_key *k)
{
	struct sid_key	n;

	memset(&n, 0, sizeof(n));
	memcpy(n.vrf, k->vrf, strnlen(k->vrf, sizeof(n.vrf) - 1));
	n.behavior = k->behavior;
	n.nh_af = k->nh_af;
	memcpy(n.nh, k->nh, nh_len(k->nh_af));
	return n;
}

static int
key_cmp(const struct sid_key *a, const struct sid_key *b)
{
	int	c;

	if ((c = strncmp(a->vrf, b->vrf, sizeof(a->vrf) - 1)) != 0)
		return c;
	if (a->behavior != b->behavior)
		return a->behavior < b->behavior ? -1 : 1;
	if (a->nh_af != b->nh_af)
		return a->nh_af < b->nh_af ? -1 : 1;
	return memcmp(a->nh, b->nh, nh_len(a->nh_af));
}

/* FNV-1a, 32 bits, over the VRF name, behaviour and next hop. */
static uint32_t
key_hash(const struct sid_key *k)
{
	uint32_t	h = 2166136261u;
	size_t		i, n = strnlen(k->vrf, sizeof(k->vrf) - 1);
	uint8_t		b[3] = { k->behavior >> 8, k->behavior & 0xff, k->nh_af };

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)k->vrf[i]) * 16777619u;
	for (i = 0; i < sizeof(b); i++)
		h = (h ^ b[i]) * 16777619u;
	for (i = 0; i < nh_len(k->nh_af); i++)
		h = (h ^ k->nh[i]) * 16777619u;
	return h;
}

static struct sid_entry *
entry_find(const struct sid_alloc *a, const struct sid_key *k)
{
	size_t	i;

	for (i = 0; i < a->nent; i++)
		if (key_cmp(&a->ent[i].key, k) == 0)
			return &a->ent[i];
	return NULL;
}

static int
func_taken(const struct sid_alloc *a, uint32_t func)
{
	size_t	i;

	if (func < a->space)
		return used_get(a, func);
	for (i = 0; i < a->nent; i++)
		if (a->ent[i].func == func)
			return 1;
	return 0;
}

static struct in6_addr
sid_make(const struct sid_alloc *a, uint32_t func)
{
	struct in6_addr	sid = a->loc.prefix;

	srv6_bits_put(&sid, loc_bits(&a->loc), a->loc.func_len, func);
	return sid;
}

static int
entry_add(struct sid_alloc *a, const struct sid_key *k, uint32_t func,
    int is_explicit, const char **why)
{
	struct sid_entry	*e;
	size_t			 ncap;

	if (a->nent == a->cap) {
		ncap = a->cap ? a->cap * 2 : 16;
		e = reallocarray(a->ent, ncap, sizeof(*e));
		if (e == NULL) {
			*why = "out of memory";
			return -1;
		}
		a->ent = e;
		a->cap = ncap;
	}
	e = &a->ent[a->nent++];
	e->key = key_norm(k);
	e->func = func;
	e->is_explicit = is_explicit;
	e->sid = sid_make(a, func);
	used_set(a, func, 1);
	return 0;
}

/*
 * An explicit SID: inside the locator, a non-zero function, nothing set
 * after the function, and no other key on the same function.
 */
int
sid_alloc_reserve(struct sid_alloc *a, const struct sid_key *k,
    const struct in6_addr *sid, const char **why)
{
	const struct srv6_locator	*loc = &a->loc;
	struct sid_entry		*e;
	unsigned			 lb = loc_bits(loc), i;
	uint32_t			 func;

	for (i = 0; i < lb; i += 32)
		if (srv6_bits_get(sid, i, lb - i < 32 ? lb - i : 32) !=
		    srv6_bits_get(&loc->prefix, i, lb - i < 32 ? lb - i : 32)) {
			*why = "explicit SID outside its locator";
			return -1;
		}
	for (i = lb + loc->func_len; i < 128; i++)
		if (srv6_bits_get(sid, i, 1)) {
			*why = "explicit SID has bits set after its function";
			return -1;
		}
	func = srv6_bits_get(sid, lb, loc->func_len);
	if (func == 0) {
		*why = "explicit SID with function 0 is the locator itself";
		return -1;
	}
	if ((e = entry_find(a, k)) != NULL) {
		if (e->func == func)
			return 0;
		*why = "a second explicit SID for the same VRF and behaviour";
		return -1;
	}
	if (func_taken(a, func)) {
		*why = "explicit SID already in use";
		return -1;
	}
	return entry_add(a, k, func, 1, why);
}

/* The key's SID, allocated by the rule above if it has none yet. */
int
sid_alloc_get(struct sid_alloc *a, const struct sid_key *k,
    struct in6_addr *sid, const char **why)
{
	struct sid_entry	*e;
	uint32_t		 n = a->space - 1, v, i;

	if ((e = entry_find(a, k)) != NULL) {
		*sid = e->sid;
		return 0;
	}
	v = key_hash(k) % n;
	for (i = 0; i < n; i++) {
		if (!used_get(a, 1 + (v + i) % n)) {
			v = 1 + (v + i) % n;
			if (entry_add(a, k, v, 0, why) == -1)
				return -1;
			*sid = sid_make(a, v);
			return 0;
		}
	}
	*why = "locator function space exhausted";
	return -1;
}

static int
req_cmp(const void *pa, const void *pb)
{
	const struct sid_request	*a = *(const struct sid_request *const *)pa;
	const struct sid_request	*b = *(const struct sid_request *const *)pb;

	if (a->is_explicit != b->is_explicit)
		return a->is_explicit ? -1 : 1;
	return key_cmp(&a->key, &b->key);
}

/*
 * A whole configuration's SIDs: explicit ones first, then the dynamic
 * ones in sorted key order, so the result does not depend on the order
 * of reqs.  Each request's sid is filled in.  On error *why says which
 * rule failed and the allocator holds what was done so far: callers
 * check a new configuration on a scratch allocator.
 */
int
sid_alloc_batch(struct sid_alloc *a, struct sid_request *reqs, size_t n,
    const char **why)
{
	struct sid_request	**v;
	size_t			  i;
	int			  rv = 0;

	if (n == 0)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < n; i++)
		v[i] = &reqs[i];
	qsort(v, n, sizeof(*v), req_cmp);
	for (i = 0; i < n && rv == 0; i++) {
		if (v[i]->is_explicit)
			rv = sid_alloc_reserve(a, &v[i]->key, &v[i]->sid, why);
		else
			rv = sid_alloc_get(a, &v[i]->key, &v[i]->sid, why);
	}
	free(v);
	return rv;
}

/* Free the key's SID (its VRF or next hop was removed). */
int
sid_alloc_release(struct sid_alloc *a, const struct sid_key *k)
{
	struct sid_entry	*e;

	if ((e = entry_find(a, k)) == NULL)
		return -1;
	used_set(a, e->func, 0);
	*e = a->ent[--a->nent];
	return 0;
}

int
sid_alloc_lookup(const struct sid_alloc *a, const struct sid_key *k,
    struct in6_addr *sid)
{
	const struct sid_entry	*e;

	if ((e = entry_find(a, k)) == NULL)
		return -1;
	*sid = e->sid;
	return 0;
}

size_t
sid_alloc_count(const struct sid_alloc *a)
{
	return a->nent;
}
