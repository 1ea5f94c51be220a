/*
 * rde_out.c: the outbound side of the route decision engine.
 *
 * For every peer that is up and every family it negotiated, an
 * Adj-RIB-Out (RFC 4271 §3.2): a tree of what the peer was last sent,
 * one small entry per prefix holding a reference to the interned
 * attribute set as exported (after the export rules and the outbound
 * filter).  Interned sets are shared by every peer and prefix that
 * export the same attributes, so a full table costs one entry per
 * prefix.
 *
 * Changes do not go out one by one.  A best path change, a session-up
 * dump or a route refresh only queues the prefix on its peer's pending
 * list (replacing what was queued before, so a burst of changes
 * coalesces); the work runs from the event loop, where the pending
 * prefixes are sorted by attribute set and packed into as few UPDATEs as
 * the peer's maximum message size allows, withdrawals together.  Only
 * prefixes the peer actually has are withdrawn, and a prefix whose
 * attributes did not change is not sent again.
 *
 * VPN families (VPNv4, VPNv6) work the same way on keys that start with
 * the RD, so the same prefix under two RDs is two routes.  Their label
 * and the encoding of their SRv6 SID (RFC 9252 transposition, chosen
 * per neighbor) follow from the attribute set and the peer alone: they
 * are worked out once per group of prefixes, while encoding the
 * attributes, and the Adj-RIB-Out keeps only the set.
 */
#include <sys/queue.h>
#include <sys/tree.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"
#include "bgp_vpn.h"
#include "imsg.h"
#include "log.h"
#include "rde.h"
#include "rde_out.h"
#include "srv6d.h"

#define ATTR_WK		BGP_ATTR_TRANSITIVE
#define ATTR_OPT	BGP_ATTR_OPTIONAL
#define ATTR_OPT_TR	(BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE)

/* Bytes of an UPDATE before the path attributes: header, two lengths. */
#define UPD_FIXED	(BGP_HDR_LEN + 2 + 2)
/* MP_REACH/MP_UNREACH header: flags, type, extended length, AFI, SAFI. */
#define MP_HDR		(4 + 3)

#define OUT_CACHE_SIZE	1024	/* export results kept per peer */

#define ADJ_F_PENDING	0x01	/* on the pending list, want valid */
#define ADJ_F_FORCE	0x02	/* send even if want == adv (refresh) */
#define ADJ_F_STALE	0x04	/* not seen yet by a re-evaluation walk */

/* One prefix of one peer's Adj-RIB-Out: 40 bytes for IPv4. */
struct adjout {
	struct adjout		*hnext;	/* hash chain */
	struct rde_attrs	*adv;	/* what the peer has; NULL: nothing */
	struct rde_attrs	*want;	/* pending: what it gets next */
	struct adjout		*pnext;	/* pending list */
	uint8_t			 aid;
	uint8_t			 flags;	/* ADJ_F_* */
	uint8_t			 len;
	uint8_t			 addr[];	/* rde_families[aid].addrlen */
};

/* A hash table of entries: lookups are what a full-table dump does. */
struct adj_table {
	struct adjout		**buckets;
	size_t			  mask;		/* buckets - 1 (power of 2) */
	size_t			  count;
};

/* Every entry of t; the current one may be freed. */
#define ADJ_FOREACH_SAFE(adj, next, t, i)				\
	for ((i) = 0; (t)->buckets != NULL && (i) <= (t)->mask; (i)++)	\
		for ((adj) = (t)->buckets[(i)];				\
		    (adj) != NULL && ((next) = (adj)->hnext, 1);	\
		    (adj) = (next))

#define FAM_F_DUMP	0x01	/* walking the Loc-RIB */
#define FAM_F_REEVAL	0x02	/* that walk re-evaluates: withdraw stale */
#define FAM_F_EOR	0x04	/* End-of-RIB owed after the dump */
#define FAM_F_EORR	0x08	/* EoRR owed after a refresh (RFC 7313) */

struct out_fam {
	struct adj_table	 rib;
	struct adjout		*pending;
	size_t			 npending;
	uint64_t		 count;		/* entries with adv */
	struct rde_walk		 walk;
	uint8_t			 flags;		/* FAM_F_* */
	bool			 warned_nh;
};

/* An export result: what best path attributes from a source became. */
struct out_cache {
	struct rde_attrs	*in;		/* NULL: empty slot */
	uint32_t		 src;		/* source peer id */
	uint32_t		 gen;		/* out_cache_gen when made */
	uint8_t			 aid;
	struct rde_attrs	*out;		/* NULL: not exported */
};

struct out_peer {
	TAILQ_ENTRY(out_peer)	 entry;		/* on out_work */
	bool			 queued;
	bool			 eor_told;	/* IMSG_SESSION_EOR_SENT */
	bool			 transpose;	/* what the VPN routes got */
	struct rde_peer		*peer;
	size_t			 maxlen;
	struct out_fam		 fam[AID_MAX];
	struct out_peer_stats	 st;
	struct out_cache	 cache[OUT_CACHE_SIZE];
};

static TAILQ_HEAD(, out_peer)	 out_work = TAILQ_HEAD_INITIALIZER(out_work);
static struct event		 out_ev;
static bool			 out_ev_set;
/* Our `network' statements in the global table, as originated. */
static struct srv6d_prefix	*out_networks;
static size_t			 out_nnetworks;
/* Export results may be cached: no outbound rule looks at the prefix. */
static const struct filter_head	*out_cache_filters;
static bool			 out_cache_valid;
static bool			 out_cache_ok;
static uint32_t			 out_cache_gen;	/* older entries: stale */
/* Values of an attribute under construction. */
static uint8_t			 out_scratch[UINT16_MAX + 1];
static uint32_t			 out_cluster[UINT16_MAX / 4 + 1];

static void	out_ev_cb(int, short, void *);

/* ------------------------------------------------------------------ */
/* Adj-RIB-Out entries                                                 */

/* Prefix order (for sorting): address, then length. */
static int
adj_cmp(const struct adjout *a, const struct adjout *b)
{
	uint32_t	x, y;
	int		r;

	if (rde_families[a->aid].addrlen == 4) {
		memcpy(&x, a->addr, 4);
		memcpy(&y, b->addr, 4);
		x = ntohl(x);
		y = ntohl(y);
		r = x < y ? -1 : x > y;
	} else
		r = memcmp(a->addr, b->addr, rde_families[a->aid].addrlen);
	if (r != 0)
		return r;
	return (int)a->len - (int)b->len;
}

static size_t
adj_bucket(const struct adj_table *t, enum rde_aid aid, const uint8_t *addr,
    uint8_t len)
{
	return rde_hash_final(rde_hash_add(len, addr,
	    rde_families[aid].addrlen)) & t->mask;
}

static struct adjout *
adj_find(struct out_fam *fam, enum rde_aid aid, const uint8_t *addr,
    uint8_t len)
{
	struct adjout	*adj;
	size_t		 alen = rde_families[aid].addrlen;

	if (fam->rib.buckets == NULL)
		return NULL;
	for (adj = fam->rib.buckets[adj_bucket(&fam->rib, aid, addr, len)];
	    adj != NULL; adj = adj->hnext)
		if (adj->len == len && memcmp(adj->addr, addr, alen) == 0)
			return adj;
	return NULL;
}

/* Twice the buckets (or the first 256), entries rehashed. */
static void
adj_grow(struct adj_table *t)
{
	struct adjout	**old = t->buckets, *adj, *next;
	size_t		  i, oldn = old != NULL ? t->mask + 1 : 0;
	size_t		  n = oldn != 0 ? 2 * oldn : 256, b;

	if ((t->buckets = calloc(n, sizeof(*t->buckets))) == NULL)
		fatal("%s", __func__);
	t->mask = n - 1;
	for (i = 0; i < oldn; i++)
		for (adj = old[i]; adj != NULL; adj = next) {
			next = adj->hnext;
			b = adj_bucket(t, adj->aid, adj->addr, adj->len);
			adj->hnext = t->buckets[b];
			t->buckets[b] = adj;
		}
	free(old);
}

static struct adjout *
adj_new(struct out_fam *fam, enum rde_aid aid, const uint8_t *addr,
    uint8_t len)
{
	struct adj_table	*t = &fam->rib;
	struct adjout		*adj;
	size_t			 alen = rde_families[aid].addrlen, b;

	if (t->buckets == NULL || t->count > t->mask)
		adj_grow(t);
	if ((adj = calloc(1, sizeof(*adj) + alen)) == NULL)
		fatal("%s", __func__);
	adj->aid = aid;
	adj->len = len;
	memcpy(adj->addr, addr, alen);
	b = adj_bucket(t, aid, addr, len);
	adj->hnext = t->buckets[b];
	t->buckets[b] = adj;
	t->count++;
	return adj;
}

static void
adj_free(struct out_fam *fam, struct adjout *adj)
{
	struct adjout	**pp;

	pp = &fam->rib.buckets[adj_bucket(&fam->rib, adj->aid, adj->addr,
	    adj->len)];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == adj) {
			*pp = adj->hnext;
			fam->rib.count--;
			rde_attrs_unref(adj->adv);
			rde_attrs_unref(adj->want);
			free(adj);
			return;
		}
	fatalx("%s: entry not in its table", __func__);
}

/* The address part of an entry's key (after the RD of a VPN family). */
static void
adj_prefix(const struct adjout *adj, struct srv6d_prefix *p)
{
	const struct rde_family	*f = &rde_families[adj->aid];

	memset(p, 0, sizeof(*p));
	p->addr.af = f->af;
	memcpy(&p->addr.v6, adj->addr + f->keyoff, f->addrlen - f->keyoff);
	p->len = adj->len;
}

/* The RD of an entry of a VPN family (the key's first 8 bytes); else 0. */
static rd_t
adj_rd(const struct adjout *adj)
{
	rd_t	rd = 0;
	size_t	i;

	for (i = 0; i < rde_families[adj->aid].keyoff; i++)
		rd = rd << 8 | adj->addr[i];
	return rd;
}

/* ------------------------------------------------------------------ */
/* scheduling                                                          */

static void
out_arm(void)
{
	struct timeval	tv = { 0, 0 };

	if (!out_ev_set) {
		evtimer_set(&out_ev, out_ev_cb, NULL);
		out_ev_set = true;
	}
	if (!evtimer_pending(&out_ev, NULL))
		evtimer_add(&out_ev, &tv);
}

static void
out_schedule(struct out_peer *op)
{
	if (!op->queued) {
		TAILQ_INSERT_TAIL(&out_work, op, entry);
		op->queued = true;
	}
	out_arm();
}

static void
out_ev_cb(int fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	rde_out_flush();
}

/*
 * Queue want (a reference the entry takes over; NULL: withdraw) for the
 * prefix.  What was queued before is replaced; a prefix that ends where
 * it started is skipped when the list is flushed.
 */
static void
out_queue(struct out_peer *op, enum rde_aid aid, const uint8_t *addr,
    uint8_t len, struct rde_attrs *want)
{
	struct out_fam	*fam = &op->fam[aid];
	struct adjout	*adj;

	if ((adj = adj_find(fam, aid, addr, len)) == NULL) {
		if (want == NULL)
			return;
		adj = adj_new(fam, aid, addr, len);
	}
	adj->flags &= ~ADJ_F_STALE;
	if (adj->flags & ADJ_F_PENDING) {
		rde_attrs_unref(adj->want);
		adj->want = want;
		return;
	}
	if (want == adj->adv) {
		rde_attrs_unref(want);
		return;
	}
	adj->want = want;
	adj->flags |= ADJ_F_PENDING;
	adj->pnext = fam->pending;
	fam->pending = adj;
	fam->npending++;
	out_schedule(op);
}

/* ------------------------------------------------------------------ */
/* export rules                                                        */

static bool
peer_rr_client(const struct rde_peer *p)
{
	return p->conf != NULL && (p->conf->flags & NEIGH_F_RR_CLIENT);
}

static bool
peer_is_self(const struct rde_peer *p)
{
	return p->id == 0;
}

/*
 * Whether a best path from src may go to peer at all.
 * RFC 4271 §9.2: never back to the peer it came from (it would only be
 * a loop), iBGP-learned routes not to other iBGP peers (§9.2.1 full
 * mesh) unless we reflect them: RFC 4456 §6, a route from a client goes
 * to every client and non-client, one from a non-client to the clients
 * only.  RFC 4456 §8: a route is not reflected to its originator.
 */
static bool
out_may_send(const struct rde_peer *peer, const struct rde_path *best)
{
	const struct rde_peer	*src = best->peer;
	const struct rde_attrs	*a = best->attrs;

	if (src == peer || src->id == peer->id)
		return false;
	if (peer->ebgp || peer_is_self(src) || src->ebgp)
		return true;
	if ((a->flags & ATTR_F_ORIGINATOR) &&
	    a->originator_id.s_addr == peer->sess.remote_id.s_addr)
		return false;
	return peer_rr_client(src) || peer_rr_client(peer);
}

/*
 * Our address on the session as the next hop for family aid (RFC 4271
 * §5.1.3).  An IPv4 or VPN-IPv4 route over an IPv6 session needs RFC
 * 8950 extended next hop for its family; an IPv6 or VPN-IPv6 route over
 * an IPv4 session gets our IPv4 address IPv4-mapped (RFC 4291 §2.5.5.2,
 * RFC 4659 §3.2.1.2), as FRR and BIRD do.  The VPN families carry it
 * behind an RD of 0 (RFC 4364 §4.3.2), which the packer adds.
 */
static bool
out_nexthop_self(const struct rde_peer *peer, enum rde_aid aid,
    struct srv6d_addr *nh)
{
	const struct srv6d_addr	*la = &peer->sess.local_addr;

	memset(nh, 0, sizeof(*nh));
	if (rde_families[aid].af == AF_INET) {
		if (la->af == AF_INET || (la->af == AF_INET6 &&
		    (peer->sess.ext_nexthop & rde_families[aid].afs))) {
			*nh = *la;
			return true;
		}
		return false;
	}
	if (la->af == AF_INET6) {
		*nh = *la;
		return true;
	}
	if (la->af == AF_INET) {
		nh->af = AF_INET6;
		nh->v6.s6_addr[10] = 0xff;
		nh->v6.s6_addr[11] = 0xff;
		memcpy(&nh->v6.s6_addr[12], &la->v4, 4);
		return true;
	}
	return false;
}

/* Can the peer be sent this next hop as it is, for family aid? */
static bool
out_nexthop_fits(const struct rde_peer *peer, enum rde_aid aid,
    const struct srv6d_addr *nh)
{
	if (rde_families[aid].af == AF_INET)
		return nh->af == AF_INET || (nh->af == AF_INET6 &&
		    (peer->sess.ext_nexthop & rde_families[aid].afs));
	return nh->af == AF_INET6;
}

/* A writable copy of an interned set, to change and intern again. */
static void
attrs_copy_template(struct rde_attrs *t, const struct rde_attrs *a)
{
	*t = *a;
	t->hnext = NULL;
	t->refcnt = 0;
	t->hash = 0;
}

/*
 * RFC 4456 §8: reflecting an iBGP route, set ORIGINATOR_ID to the BGP
 * identifier of the peer we learned it from unless it has one, and
 * prepend our cluster id to CLUSTER_LIST.
 */
static void
out_reflect(struct rde_attrs *t, const struct rde_peer *src)
{
	if (!(t->flags & ATTR_F_ORIGINATOR)) {
		t->flags |= ATTR_F_ORIGINATOR;
		t->originator_id = src->sess.remote_id;
	}
	if (t->n_cluster >= UINT16_MAX / 4 - 1)
		return;		/* cannot grow: the loop check will catch it */
	out_cluster[0] = ntohl(rde_self.cluster_id.s_addr);
	if (t->n_cluster > 0)
		memcpy(out_cluster + 1, t->cluster_list,
		    4 * (size_t)t->n_cluster);
	t->cluster_list = out_cluster;
	t->n_cluster++;
}

/*
 * The changes every route gets on its way to the peer, after the
 * outbound filter:
 *  eBGP (RFC 4271 §5.1.2, §5.1.3): our AS prepended, our address as
 *   next hop, no ORIGINATOR_ID/CLUSTER_LIST (RFC 4456 §8: they stay in
 *   the AS), LOCAL_PREF not sent (§5.1.5; the encoder leaves it out, the
 *   value is reset so that sets intern together).
 *  iBGP: the next hop kept (§5.1.3) unless next-hop-self, or it is ours
 *   (our own routes) or not expressible for the family; reflected routes
 *   as out_reflect says.
 * Returns an interned set with a reference, or NULL when no next hop
 * can be given.
 */
static struct rde_attrs *
out_transform(struct out_fam *fam, const struct rde_peer *peer,
    enum rde_aid aid, const struct rde_peer *src, const struct rde_attrs *f,
    bool nh_self)
{
	struct rde_attrs	 t, *out;
	struct rde_aspath	*path = NULL;
	bool			 self;

	attrs_copy_template(&t, f);
	if (peer->ebgp) {
		path = rde_aspath_prepend(f->aspath, rde_self.as, 1);
		t.aspath = path;
		t.flags &= ~(ATTR_F_ORIGINATOR | ATTR_F_LOCALPREF);
		t.originator_id.s_addr = 0;
		t.n_cluster = 0;
		t.cluster_list = NULL;
		t.localpref = RDE_LOCALPREF_DEFAULT;
		self = true;
	} else {
		self = nh_self || (peer->conf != NULL &&
		    (peer->conf->flags & NEIGH_F_NEXTHOP_SELF)) ||
		    !out_nexthop_fits(peer, aid, &f->nexthop);
		if (!peer_is_self(src) && !src->ebgp)
			out_reflect(&t, src);
	}
	if (self && !out_nexthop_self(peer, aid, &t.nexthop)) {
		if (!fam->warned_nh)
			log_warnx("neighbor %s: no %s next hop of ours on this "
			    "session: %s routes not sent",
			    addr2str(&peer->sess.remote_addr),
			    rde_families[aid].name, rde_families[aid].name);
		fam->warned_nh = true;
		rde_aspath_unref(path);
		return NULL;
	}
	out = rde_attrs_intern(&t);
	if (path != NULL)
		rde_aspath_unref(path);
	return out;
}

/*
 * The outbound filter sees the route as we have it, except that MED is
 * already gone for an eBGP peer: RFC 4271 §5.1.4, a MED received from a
 * neighbouring AS is not propagated to other ASes; one set by the filter
 * is sent.  *nh_self: the filter said `set nexthop self'.
 */
static struct rde_attrs *
out_filter(const struct rde_peer *peer, const struct srv6d_prefix *p,
    struct rde_attrs *in, bool *nh_self)
{
	struct rde_attrs	 t, *pre, *f = NULL;
	enum filter_action	 act;

	if (peer->ebgp && (in->flags & ATTR_F_MED)) {
		attrs_copy_template(&t, in);
		t.flags &= ~ATTR_F_MED;
		t.med = 0;
		pre = rde_attrs_intern(&t);
	} else {
		pre = in;
		rde_attrs_ref(pre);
	}
	*nh_self = false;
	act = rde_filter_apply_nh(rde_self.filters, FILTER_OUT, peer, p, pre,
	    &f, nh_self);
	rde_attrs_unref(pre);
	if (act != FILTER_ALLOW) {
		rde_attrs_unref(f);
		return NULL;
	}
	return f;
}

static void
out_cache_clear(struct out_peer *op)
{
	size_t	i;

	for (i = 0; i < OUT_CACHE_SIZE; i++) {
		rde_attrs_unref(op->cache[i].in);
		rde_attrs_unref(op->cache[i].out);
		op->cache[i].in = op->cache[i].out = NULL;
	}
}

/*
 * Export results depend on the prefix only through filter rules that
 * match prefixes; without such rules one result per (attribute set,
 * source) serves every prefix, which makes a table dump cheap.
 */
static void
out_cache_check(void)
{
	if (out_cache_valid && out_cache_filters == rde_self.filters)
		return;
	out_cache_valid = true;
	out_cache_gen++;
	out_cache_filters = rde_self.filters;
	out_cache_ok = rde_self.filters == NULL ||
	    !rde_filter_uses_prefix(rde_self.filters, FILTER_OUT);
}

static struct out_cache *
out_cache_slot(struct out_peer *op, const struct rde_attrs *in, uint32_t src,
    enum rde_aid aid)
{
	uintptr_t	h = (uintptr_t)in;

	h = (h >> 4) ^ (h >> 12) ^ src * 2654435761u ^ aid;
	return &op->cache[h % OUT_CACHE_SIZE];
}

/* What the peer is to be sent for this best path: a reference, or NULL. */
static struct rde_attrs *
out_export(struct out_peer *op, enum rde_aid aid,
    const struct srv6d_prefix *p, const struct rde_path *best)
{
	struct rde_peer		*peer = op->peer;
	struct out_cache	*c = NULL;
	struct rde_attrs	*f, *out;
	bool			 nh_self;

	if (best == NULL || !out_may_send(peer, best))
		return NULL;
	out_cache_check();
	if (out_cache_ok) {
		c = out_cache_slot(op, best->attrs, best->peer->id, aid);
		if (c->in == best->attrs && c->src == best->peer->id &&
		    c->aid == aid && c->gen == out_cache_gen) {
			if (c->out != NULL)
				rde_attrs_ref(c->out);
			return c->out;
		}
	}
	out = NULL;
	if ((f = out_filter(peer, p, best->attrs, &nh_self)) != NULL) {
		out = out_transform(&op->fam[aid], peer, aid, best->peer, f,
		    nh_self);
		rde_attrs_unref(f);
	}
	if (c != NULL) {
		rde_attrs_unref(c->in);
		rde_attrs_unref(c->out);
		c->in = best->attrs;
		rde_attrs_ref(c->in);
		c->src = best->peer->id;
		c->aid = aid;
		c->gen = out_cache_gen;
		c->out = out;
		if (out != NULL)
			rde_attrs_ref(out);
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* attribute encoding                                                  */

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return p + 4;
}

static int
attr_u32s(struct ibuf *b, uint8_t flags, uint8_t type, const uint32_t *v,
    size_t n)
{
	uint8_t	*p = out_scratch;
	size_t	 i;

	if (n == 0)
		return 0;
	if (4 * n > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	for (i = 0; i < n; i++)
		p = put32(p, v[i]);
	return bgp_attr_write(b, flags, type, out_scratch, 4 * n);
}

static int
attr_ext_communities(struct ibuf *b, const struct rde_attrs *a)
{
	uint8_t	*p = out_scratch;
	size_t	 i, n = a->n_ext_communities;

	if (n == 0)
		return 0;
	if (8 * n > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	for (i = 0; i < n; i++) {
		p = put32(p, a->ext_communities[i] >> 32);
		p = put32(p, a->ext_communities[i] & 0xffffffff);
	}
	return bgp_attr_write(b, ATTR_OPT_TR, BGP_ATTR_EXT_COMMUNITIES,
	    out_scratch, 8 * n);
}

/*
 * AGGREGATOR: the AS in 4 octets to a 4-octet AS speaker; else in 2,
 * AS_TRANS when it does not fit, with AS4_AGGREGATOR (RFC 6793 §4.2.2),
 * which the caller writes in its place by type code.
 */
static int
attr_aggregator(struct ibuf *b, const struct rde_attrs *a, bool as4)
{
	uint8_t		v[8];
	uint16_t	as2;

	if (!(a->flags & ATTR_F_AGGREGATOR))
		return 0;
	if (as4) {
		put32(v, a->aggr_as);
		memcpy(v + 4, &a->aggr_id, 4);
		return bgp_attr_write(b, ATTR_OPT_TR, BGP_ATTR_AGGREGATOR, v,
		    8);
	}
	as2 = a->aggr_as > UINT16_MAX ? AS_TRANS : a->aggr_as;
	v[0] = as2 >> 8;
	v[1] = as2 & 0xff;
	memcpy(v + 2, &a->aggr_id, 4);
	return bgp_attr_write(b, ATTR_OPT_TR, BGP_ATTR_AGGREGATOR, v, 6);
}

static int
attr_as4_aggregator(struct ibuf *b, const struct rde_attrs *a, bool as4)
{
	uint8_t	v[8];

	if (as4 || !(a->flags & ATTR_F_AGGREGATOR) || a->aggr_as <= UINT16_MAX)
		return 0;
	put32(v, a->aggr_as);
	memcpy(v + 4, &a->aggr_id, 4);
	return bgp_attr_write(b, ATTR_OPT_TR, BGP_ATTR_AS4_AGGREGATOR, v, 8);
}

/*
 * AS_PATH (and AS4_PATH for a 2-octet peer, RFC 6793 §4.2.2) through the
 * codec; AS4_PATH is held back in as4 so that attributes go out in
 * ascending type order (RFC 4271 §5, SHOULD).
 */
static int
attr_aspath(struct ibuf *b, const struct rde_attrs *a, bool as4,
    struct ibuf *tail)
{
	struct bgp_view	 v = { a->aspath->data, a->aspath->len };
	const uint8_t	*p;
	size_t		 n, first;

	if (bgp_aspath_write(tail, v, as4) == -1)
		return -1;
	n = ibuf_size(tail);
	if ((p = ibuf_seek(tail, 0, n)) == NULL)
		return -1;
	first = (p[0] & BGP_ATTR_EXTLEN) ? 4 + (size_t)(p[2] << 8 | p[3]) :
	    3 + (size_t)p[2];
	if (ibuf_add(b, p, first) == -1)
		return -1;
	/* what is left to read: AS4_PATH, if any */
	return ibuf_skip(tail, first);
}

static int
attr_nexthop(struct ibuf *b, enum rde_aid aid, const struct rde_attrs *a)
{
	if (aid != AID_IPV4 || a->nexthop.af != AF_INET)
		return 0;	/* in MP_REACH_NLRI */
	return bgp_attr_write(b, ATTR_WK, BGP_ATTR_NEXT_HOP, &a->nexthop.v4,
	    4);
}

static int
attr_med_lp(struct ibuf *b, const struct rde_peer *peer,
    const struct rde_attrs *a)
{
	uint8_t	v[4];

	if (a->flags & ATTR_F_MED) {
		put32(v, a->med);
		if (bgp_attr_write(b, ATTR_OPT, BGP_ATTR_MED, v, 4) == -1)
			return -1;
	}
	/* RFC 4271 §5.1.5: to internal peers only, and always to them. */
	if (peer->ebgp)
		return 0;
	put32(v, a->localpref);
	return bgp_attr_write(b, ATTR_WK, BGP_ATTR_LOCAL_PREF, v, 4);
}

/* RFC 4456 §8: ORIGINATOR_ID and CLUSTER_LIST, iBGP only. */
static int
attr_rr(struct ibuf *b, const struct rde_peer *peer,
    const struct rde_attrs *a)
{
	if (peer->ebgp)
		return 0;
	if ((a->flags & ATTR_F_ORIGINATOR) && bgp_attr_write(b, ATTR_OPT,
	    BGP_ATTR_ORIGINATOR_ID, &a->originator_id, 4) == -1)
		return -1;
	return attr_u32s(b, ATTR_OPT, BGP_ATTR_CLUSTER_LIST, a->cluster_list,
	    a->n_cluster);
}

/*
 * The SID structure to send (RFC 9252 §4).  A received one is kept as it
 * is, so that a reflected route keeps its originator's choice (TL 0: the
 * SID whole).  Our own SIDs (local: the locator's lengths, TL = 0) get
 * their function transposed when it fits a label, 1 to 20 bits, at the
 * offset where it starts.  With TL still 0 the SID goes whole.
 */
static void
out_sid_structure(const struct rde_srv6 *s, struct srv6_sid_structure *st)
{
	*st = s->st;
	if (!s->has_structure || st->tl > 0 || !s->local)
		return;
	if (st->fl >= 1 && st->fl <= SRV6_TRANSPOSE_MAXLEN) {
		st->tl = st->fl;
		st->to = st->lbl + st->lnl;
	}
}

static bool
peer_transposes(const struct rde_peer *peer)
{
	return peer->conf == NULL ||
	    !(peer->conf->flags & NEIGH_F_NO_TRANSPOSE);
}

/*
 * BGP Prefix-SID (RFC 9252 §2, §3) with the SRv6 L3 Service TLV, exactly
 * one SID Information sub-TLV and one SID Structure sub-sub-TLV (FRR 8.4
 * reads nothing else).  *label is what every NLRI of the message carries:
 * the transposed bits, 3 (implicit null) for a whole SID, or, for a VPN
 * route without SRv6 (plain MPLS, reflected), its label as received.
 * Whether to transpose is the neighbor's choice (`srv6 transposition');
 * only labelled families can carry the bits.  A structure that cannot be
 * transposed (TO + TL > 128) sends the SID whole.
 */
static int
attr_prefix_sid(struct ibuf *b, const struct rde_peer *peer,
    enum rde_aid aid, const struct rde_attrs *a, uint32_t *label)
{
	struct srv6_sid_info	info;
	uint8_t			v[PREFIX_SID_SRV6_ENCODED_LEN];
	ssize_t			n;
	int			transpose;

	*label = a->label;
	if (!a->has_srv6)
		return 0;
	memset(&info, 0, sizeof(info));
	info.sid = a->srv6.sid;
	info.behavior = a->srv6.behavior;	/* 0xffff as received */
	info.has_structure = 1;
	out_sid_structure(&a->srv6, &info.st);
	transpose = rde_aid_vpn(aid) && peer_transposes(peer);
	n = prefix_sid_encode(v, sizeof(v), PREFIX_SID_TLV_SRV6_L3, &info,
	    transpose, label);
	if (n == -1 && transpose)
		n = prefix_sid_encode(v, sizeof(v), PREFIX_SID_TLV_SRV6_L3,
		    &info, 0, label);
	if (n == -1) {
		errno = EINVAL;
		return -1;
	}
	return bgp_attr_write(b, ATTR_OPT_TR, BGP_ATTR_PREFIX_SID, v,
	    (size_t)n);
}

/* Bytes of the kept attribute at p (left bytes remain), 0 if cut short. */
static size_t
others_entry_len(const uint8_t *p, size_t left)
{
	size_t	n;

	if (left < 3 || ((p[0] & BGP_ATTR_EXTLEN) && left < 4))
		return 0;
	if (p[0] & BGP_ATTR_EXTLEN)
		n = 4 + (size_t)(p[2] << 8 | p[3]);
	else
		n = 3 + (size_t)p[2];
	return n > left ? 0 : n;
}

/*
 * The unknown attributes we pass on, with the Prefix-SID in its place
 * among them (they are sorted by type).  A raw Prefix-SID kept there
 * gives way to the one we encode: one attribute of a type per message
 * (RFC 7606 §3 g).
 */
static int
attr_others_sid(struct ibuf *b, const struct rde_peer *peer,
    enum rde_aid aid, const struct rde_attrs *a, uint32_t *label)
{
	const uint8_t	*p = a->others;
	size_t		 off = 0, n, len = a->others_len;
	bool		 sid_done = false;

	while (off < len && (n = others_entry_len(p + off, len - off)) > 0) {
		if (!sid_done && p[off + 1] >= BGP_ATTR_PREFIX_SID) {
			if (attr_prefix_sid(b, peer, aid, a, label) == -1)
				return -1;
			sid_done = true;
		}
		if (!(a->has_srv6 && p[off + 1] == BGP_ATTR_PREFIX_SID) &&
		    ibuf_add(b, p + off, n) == -1)
			return -1;
		off += n;
	}
	if (!sid_done)
		return attr_prefix_sid(b, peer, aid, a, label);
	return 0;
}

/*
 * The path attributes of a set as the peer gets them, in ascending type
 * order, without MP_REACH_NLRI (the packer adds it with the NLRI).
 * *label (NULL: not wanted): the label of a VPN family's NLRI, which
 * depends on the set and the peer only (attr_prefix_sid).
 */
int
rde_out_encode_attrs(struct ibuf *b, const struct rde_peer *peer,
    enum rde_aid aid, const struct rde_attrs *a, uint32_t *label)
{
	struct ibuf	*tail;
	bool		 as4 = (peer->sess.capa & CAPA_AS4) != 0;
	uint32_t	 dummy;
	int		 rv = -1;

	if ((tail = ibuf_dynamic(64, UINT16_MAX)) == NULL)
		return -1;
	if (bgp_attr_write(b, ATTR_WK, BGP_ATTR_ORIGIN, &a->origin, 1) == -1 ||
	    attr_aspath(b, a, as4, tail) == -1 ||
	    attr_nexthop(b, aid, a) == -1 ||
	    attr_med_lp(b, peer, a) == -1)
		goto done;
	if ((a->flags & ATTR_F_ATOMIC_AGG) && bgp_attr_write(b, ATTR_WK,
	    BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0) == -1)
		goto done;
	if (attr_aggregator(b, a, as4) == -1 ||
	    attr_u32s(b, ATTR_OPT_TR, BGP_ATTR_COMMUNITIES, a->communities,
	    a->n_communities) == -1 ||
	    attr_rr(b, peer, a) == -1 ||
	    attr_ext_communities(b, a) == -1)
		goto done;
	if (ibuf_left(tail) > 0 &&
	    ibuf_add(b, ibuf_data(tail), ibuf_left(tail)) == -1)
		goto done;
	if (attr_as4_aggregator(b, a, as4) == -1 ||
	    attr_u32s(b, ATTR_OPT_TR, BGP_ATTR_LARGE_COMMUNITIES,
	    a->large_communities, 3 * (size_t)a->n_large_communities) == -1)
		goto done;
	if (attr_others_sid(b, peer, aid, a, label != NULL ? label :
	    &dummy) == -1)
		goto done;
	rv = 0;
 done:
	ibuf_free(tail);
	return rv;
}

/* ------------------------------------------------------------------ */
/* UPDATE packing                                                      */

/*
 * One UPDATE under construction.  IPv4 unicast with an IPv4 next hop
 * uses the classic fields; everything else MP_REACH_NLRI and
 * MP_UNREACH_NLRI (RFC 4760 §3, §4), written with the Extended Length
 * bit (RFC 4271 §4.3 allows it for any length) so that the header does
 * not change size while prefixes are added.  VPN prefixes are labelled
 * (RFC 8277 §2): one label for the whole message, as it depends on the
 * attribute set and the peer only.
 */
struct upd_msg {
	struct ibuf	*b;
	size_t		 start;
	size_t		 wlen;		/* offset: withdrawn routes length */
	size_t		 alen;		/* offset: path attribute length */
	size_t		 mplen;		/* offset: MP attribute length, or 0 */
	size_t		 attrend;	/* classic NLRI: where attributes end */
	size_t		 max;
	size_t		 n;		/* prefixes */
	enum rde_aid	 aid;
	bool		 withdraw;
	uint32_t	 label;		/* VPN announcements: 20 bits */
};

static void
put16_at(struct ibuf *b, size_t off, size_t v)
{
	uint8_t	*p;

	if ((p = ibuf_seek(b, off, 2)) == NULL)
		fatalx("%s: bad offset", __func__);
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
upd_begin(struct upd_msg *m, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->max = max;
	if ((m->b = ibuf_dynamic(512, max)) == NULL ||
	    bgp_msg_begin(m->b, BGP_UPDATE, &m->start) == -1)
		fatal("%s", __func__);
	m->wlen = ibuf_size(m->b);
	if (ibuf_add_n16(m->b, 0) == -1)
		fatal("%s", __func__);
}

static void
upd_mp_begin(struct upd_msg *m, uint8_t type, enum rde_aid aid)
{
	const struct rde_family	*f = &rde_families[aid];

	if (ibuf_add_u8(m->b, ATTR_OPT | BGP_ATTR_EXTLEN) == -1 ||
	    ibuf_add_u8(m->b, type) == -1)
		fatal("%s", __func__);
	m->mplen = ibuf_size(m->b);
	if (ibuf_add_n16(m->b, 0) == -1 || ibuf_add_n16(m->b, f->afi) == -1 ||
	    ibuf_add_u8(m->b, f->safi) == -1)
		fatal("%s", __func__);
}

/* A withdrawal: Withdrawn Routes (IPv4) or MP_UNREACH_NLRI. */
static void
upd_begin_withdraw(struct upd_msg *m, size_t max, enum rde_aid aid)
{
	upd_begin(m, max);
	m->aid = aid;
	m->withdraw = true;
	if (aid == AID_IPV4)
		return;
	m->alen = ibuf_size(m->b);
	if (ibuf_add_n16(m->b, 0) == -1)
		fatal("%s", __func__);
	upd_mp_begin(m, BGP_ATTR_MP_UNREACH, aid);
}

static bool
upd_uses_mp(enum rde_aid aid, const struct rde_attrs *a)
{
	return aid != AID_IPV4 || a->nexthop.af != AF_INET;
}

/* Next hop bytes in MP_REACH_NLRI; a VPN one has an RD (of 0) first. */
static size_t
nexthop_len(enum rde_aid aid, const struct rde_attrs *a)
{
	return (rde_aid_vpn(aid) ? 8 : 0) +
	    (a->nexthop.af == AF_INET ? 4 : 16);
}

/* Bytes of one prefix of len bits: length, [label, RD,] address. */
static size_t
upd_nlri_len(enum rde_aid aid, uint8_t len)
{
	return 1 + (rde_aid_vpn(aid) ? 3 + 8 : 0) + (len + 7) / 8;
}

/*
 * An announcement: the attributes, and MP_REACH_NLRI when needed.  VPN
 * next hops are RD 0 and the address (RFC 4364 §4.3.2, RFC 4659
 * §3.2.1.1): 12 bytes for IPv4, 24 for IPv6 (VPN-IPv6, or VPN-IPv4 over
 * RFC 8950); we send no link-local address.
 */
static void
upd_begin_announce(struct upd_msg *m, size_t max, enum rde_aid aid,
    const struct rde_attrs *a, const uint8_t *attrs, size_t attrlen,
    uint32_t label)
{
	struct vpn_nexthop	vnh;

	upd_begin(m, max);
	m->aid = aid;
	m->label = label;
	m->alen = ibuf_size(m->b);
	if (ibuf_add_n16(m->b, 0) == -1 || ibuf_add(m->b, attrs, attrlen) == -1)
		fatal("%s", __func__);
	if (!upd_uses_mp(aid, a)) {
		m->attrend = ibuf_size(m->b);
		return;
	}
	upd_mp_begin(m, BGP_ATTR_MP_REACH, aid);
	if (rde_aid_vpn(aid)) {
		memset(&vnh, 0, sizeof(vnh));
		vnh.global = a->nexthop;
		if (vpn_nexthop_write(m->b, &vnh) == -1 ||
		    ibuf_add_u8(m->b, 0) == -1)
			fatal("%s", __func__);
		return;
	}
	/* RFC 2545 §3, RFC 8950 §3: a global IPv6 next hop, 16 octets. */
	if (ibuf_add_u8(m->b, nexthop_len(aid, a)) == -1 ||
	    ibuf_add(m->b, a->nexthop.af == AF_INET ? (void *)&a->nexthop.v4 :
	    (void *)&a->nexthop.v6, nexthop_len(aid, a)) == -1 ||
	    ibuf_add_u8(m->b, 0) == -1)
		fatal("%s", __func__);
}

/* Room for one more prefix?  A classic withdrawal still needs its
 * (empty) attribute length after the prefixes. */
static bool
upd_fits(const struct upd_msg *m, const struct adjout *adj)
{
	size_t	need = upd_nlri_len(adj->aid, adj->len);

	if (m->alen == 0)
		need += 2;
	return ibuf_size(m->b) + need <= m->max;
}

/* RFC 8277 §2.4: a withdrawn VPN prefix has the label 0x800000. */
static void
upd_add(struct upd_msg *m, const struct adjout *adj)
{
	struct srv6d_prefix	p;
	int			rv;

	if (!rde_aid_vpn(adj->aid))
		rv = bgp_prefix_write(m->b, adj->addr, adj->len);
	else {
		adj_prefix(adj, &p);
		rv = m->withdraw ?
		    vpn_nlri_write_withdraw(m->b, adj_rd(adj), &p) :
		    vpn_nlri_write(m->b, m->label, adj_rd(adj), &p);
	}
	if (rv == -1)
		fatal("%s", __func__);
	m->n++;
}

static void
upd_send(struct out_peer *op, struct upd_msg *m)
{
	size_t	end = ibuf_size(m->b);

	if (m->alen == 0) {
		/* classic withdrawal: close Withdrawn Routes */
		put16_at(m->b, m->wlen, end - m->wlen - 2);
		if (ibuf_add_n16(m->b, 0) == -1)
			fatal("%s", __func__);
		end += 2;
	} else {
		if (m->mplen != 0)
			put16_at(m->b, m->mplen, end - m->mplen - 2);
		put16_at(m->b, m->alen, (m->attrend != 0 ? m->attrend : end) -
		    m->alen - 2);
	}
	if (bgp_msg_end(m->b, m->start, m->max) == -1)
		fatal("%s: message too long", __func__);
	rde_se_compose(IMSG_UPDATE, op->peer->id, ibuf_seek(m->b, 0, end),
	    end);
	op->st.updates++;
	ibuf_free(m->b);
	m->b = NULL;
}

/* The peer no longer has these prefixes: withdraw the ones it had. */
static void
out_send_withdraws(struct out_peer *op, enum rde_aid aid,
    struct adjout **v, size_t n)
{
	struct out_fam	*fam = &op->fam[aid];
	struct upd_msg	 m;
	size_t		 i;

	m.b = NULL;
	for (i = 0; i < n; i++) {
		if (v[i]->adv != NULL) {
			if (m.b != NULL && !upd_fits(&m, v[i]))
				upd_send(op, &m);
			if (m.b == NULL)
				upd_begin_withdraw(&m, op->maxlen, aid);
			upd_add(&m, v[i]);
			fam->count--;
			op->st.withdraws++;
		}
		adj_free(fam, v[i]);
	}
	if (m.b != NULL)
		upd_send(op, &m);
}

/*
 * Fixed bytes of an announcement with attrlen bytes of attributes and
 * the prefix longest for the family: more than the peer takes, and the
 * route cannot be sent to it at all.
 */
static size_t
upd_announce_min(enum rde_aid aid, const struct rde_attrs *a, size_t attrlen)
{
	size_t	len = UPD_FIXED + attrlen;

	if (upd_uses_mp(aid, a))
		len += MP_HDR + 1 + nexthop_len(aid, a) + 1;
	return len + upd_nlri_len(aid, rde_families[aid].maxbits);
}

/*
 * Announce the prefixes of v, which all want the same set.  A set too big
 * for the peer's messages is not sent (see SRV6.md: GoBGP crashes on
 * that); the peer loses what it had of those prefixes instead.
 */
static void
out_send_group(struct out_peer *op, enum rde_aid aid, struct adjout **v,
    size_t n)
{
	struct out_fam		*fam = &op->fam[aid];
	struct rde_attrs	*a = v[0]->want;
	struct ibuf		*ab;
	struct upd_msg		 m;
	size_t			 i;
	uint32_t		 label;

	if ((ab = ibuf_dynamic(256, UINT16_MAX)) == NULL)
		fatal("%s", __func__);
	if (rde_out_encode_attrs(ab, op->peer, aid, a, &label) == -1 ||
	    upd_announce_min(aid, a, ibuf_size(ab)) > op->maxlen) {
		log_warnx("neighbor %s: %zu %s route(s) not sent: path "
		    "attributes (%zu bytes) do not fit a %zu-byte UPDATE",
		    addr2str(&op->peer->sess.remote_addr), n,
		    rde_families[aid].name, ibuf_size(ab), op->maxlen);
		ibuf_free(ab);
		op->st.skipped += n;
		for (i = 0; i < n; i++) {
			rde_attrs_unref(v[i]->want);
			v[i]->want = NULL;
		}
		out_send_withdraws(op, aid, v, n);
		return;
	}
	m.b = NULL;
	for (i = 0; i < n; i++) {
		if (m.b != NULL && !upd_fits(&m, v[i]))
			upd_send(op, &m);
		if (m.b == NULL)
			upd_begin_announce(&m, op->maxlen, aid, a,
			    ibuf_seek(ab, 0, ibuf_size(ab)), ibuf_size(ab),
			    label);
		upd_add(&m, v[i]);
		if (v[i]->adv == NULL)
			fam->count++;
		rde_attrs_unref(v[i]->adv);
		v[i]->adv = v[i]->want;
		v[i]->want = NULL;
		v[i]->flags &= ~ADJ_F_FORCE;
	}
	if (m.b != NULL)
		upd_send(op, &m);
	ibuf_free(ab);
}

/* Withdrawals first, then one group per attribute set, prefix order. */
static int
pending_cmp(const void *x, const void *y)
{
	const struct adjout	*a = *(const struct adjout * const *)x;
	const struct adjout	*b = *(const struct adjout * const *)y;

	if (a->want != b->want)
		return (uintptr_t)a->want < (uintptr_t)b->want ? -1 : 1;
	return adj_cmp(a, b);
}

/* Take the pending list: what really changes, in an array. */
static size_t
out_take_pending(struct out_fam *fam, struct adjout ***vp)
{
	struct adjout	**v, *adj, *next;
	size_t		  n = 0;

	if ((v = reallocarray(NULL, fam->npending, sizeof(*v))) == NULL)
		fatal("%s", __func__);
	for (adj = fam->pending; adj != NULL; adj = next) {
		next = adj->pnext;
		adj->pnext = NULL;
		adj->flags &= ~ADJ_F_PENDING;
		if (adj->want == adj->adv && !(adj->flags & ADJ_F_FORCE)) {
			rde_attrs_unref(adj->want);
			adj->want = NULL;
			if (adj->adv == NULL)
				adj_free(fam, adj);
			continue;
		}
		v[n++] = adj;
	}
	fam->pending = NULL;
	fam->npending = 0;
	*vp = v;
	return n;
}

static void
out_fam_flush(struct out_peer *op, enum rde_aid aid)
{
	struct out_fam	 *fam = &op->fam[aid];
	struct adjout	**v;
	size_t		  n, i, j;

	if (fam->npending == 0)
		return;
	n = out_take_pending(fam, &v);
	qsort(v, n, sizeof(*v), pending_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j]->want == v[i]->want; j++)
			;
		if (v[i]->want == NULL)
			out_send_withdraws(op, aid, v + i, j - i);
		else
			out_send_group(op, aid, v + i, j - i);
	}
	free(v);
}

/*
 * RFC 4724 §2: End-of-RIB is an UPDATE with nothing in it for IPv4
 * unicast, and one with an MP_UNREACH_NLRI holding only the AFI and
 * SAFI for the other families.
 */
static void
out_send_eor(struct out_peer *op, enum rde_aid aid)
{
	struct upd_msg	m;
	uint8_t		v[3];

	upd_begin(&m, op->maxlen);
	m.alen = ibuf_size(m.b);
	if (ibuf_add_n16(m.b, 0) == -1)
		fatal("%s", __func__);
	if (aid != AID_IPV4) {
		v[0] = rde_families[aid].afi >> 8;
		v[1] = rde_families[aid].afi & 0xff;
		v[2] = rde_families[aid].safi;
		if (bgp_attr_write(m.b, ATTR_OPT, BGP_ATTR_MP_UNREACH, v,
		    sizeof(v)) == -1)
			fatal("%s", __func__);
	}
	upd_send(op, &m);
	op->st.eor_sent |= rde_families[aid].afs;
}

/* RFC 7313 §4: BoRR before, EoRR after re-advertising a family. */
static void
out_send_rr(struct out_peer *op, enum rde_aid aid, uint8_t subtype)
{
	struct session_refresh	r;

	memset(&r, 0, sizeof(r));
	r.afi = rde_families[aid].afi;
	r.safi = rde_families[aid].safi;
	r.subtype = subtype;
	rde_se_compose(IMSG_REFRESH, op->peer->id, &r, sizeof(r));
}

/* ------------------------------------------------------------------ */
/* table dumps                                                         */

static void
out_dump_cb(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct out_peer		*op = arg;
	struct srv6d_prefix	 p;

	rde_prefix_get(pfx, &p);
	out_queue(op, t->aid, pfx->addr, pfx->len,
	    out_export(op, t->aid, &p, rde_prefix_best(pfx)));
}

/* A re-evaluation walk is over: what it did not find goes. */
static void
out_withdraw_stale(struct out_peer *op, enum rde_aid aid)
{
	struct out_fam	*fam = &op->fam[aid];
	struct adjout	*adj, *next;
	size_t		 i;

	ADJ_FOREACH_SAFE(adj, next, &fam->rib, i)
		if (adj->flags & ADJ_F_STALE)
			out_queue(op, aid, adj->addr, adj->len, NULL);
}

static void
out_dump_start(struct out_peer *op, enum rde_aid aid, bool reeval)
{
	struct out_fam	*fam = &op->fam[aid];
	struct adjout	*adj, *next;
	size_t		 i;

	if (fam->flags & FAM_F_DUMP)
		rde_walk_end(&fam->walk);
	fam->flags |= FAM_F_DUMP;
	if (reeval) {
		fam->flags |= FAM_F_REEVAL;
		ADJ_FOREACH_SAFE(adj, next, &fam->rib, i)
			adj->flags |= ADJ_F_STALE;
	}
	rde_walk_start(&fam->walk, &rde_tables[aid]);
	out_schedule(op);
}

static void
out_dump_step(struct out_peer *op, enum rde_aid aid)
{
	struct out_fam	*fam = &op->fam[aid];

	if (!(fam->flags & FAM_F_DUMP))
		return;
	if (rde_walk_step(&fam->walk, OUT_DUMP_CHUNK, out_dump_cb, op) != 0)
		return;
	fam->flags &= ~FAM_F_DUMP;
	if (fam->flags & FAM_F_REEVAL) {
		fam->flags &= ~FAM_F_REEVAL;
		out_withdraw_stale(op, aid);
	}
}

/* ------------------------------------------------------------------ */
/* the work loop                                                       */

static uint8_t
peer_afs(const struct rde_peer *peer)
{
	return peer->sess.afs;
}

static void
out_count(struct out_peer *op)
{
	uint64_t	n = 0;
	int		aid;

	for (aid = 0; aid < AID_MAX; aid++)
		n += op->fam[aid].count;
	op->peer->prefixes_sent = n;
}

/* One turn for one peer; true while it has more to do. */
static bool
out_peer_work(struct out_peer *op)
{
	struct out_fam	*fam;
	bool		 more = false, eor_all = true;
	int		 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		fam = &op->fam[aid];
		out_dump_step(op, aid);
		if (fam->flags & FAM_F_DUMP) {
			/*
			 * The walk meets prefixes in hash order, and a chunk
			 * holds few prefixes per attribute set: sending
			 * chunk by chunk would send nearly a message per
			 * prefix.  Pack once the whole table is queued.
			 */
			more = true;
		} else {
			out_fam_flush(op, aid);
			if (fam->flags & FAM_F_EOR)
				out_send_eor(op, aid);
			if (fam->flags & FAM_F_EORR)
				out_send_rr(op, aid, BGP_RR_EORR);
			fam->flags &= ~(FAM_F_EOR | FAM_F_EORR);
		}
		if (peer_afs(op->peer) & rde_families[aid].afs &&
		    !(op->st.eor_sent & rde_families[aid].afs))
			eor_all = false;
	}
	if (eor_all && !op->eor_told) {
		rde_se_compose(IMSG_SESSION_EOR_SENT, op->peer->id, NULL, 0);
		op->eor_told = true;
	}
	out_count(op);
	return more;
}

/*
 * Do the queued work: a chunk of each running dump, then every pending
 * prefix.  Called from the event loop once the current batch of imsgs
 * has been handled; tests call it directly.
 */
void
rde_out_flush(void)
{
	struct out_peer	*op, *next;

	TAILQ_FOREACH_SAFE(op, &out_work, entry, next) {
		if (out_peer_work(op))
			continue;
		TAILQ_REMOVE(&out_work, op, entry);
		op->queued = false;
	}
	if (!TAILQ_EMPTY(&out_work))
		out_arm();
}

bool
rde_out_busy(void)
{
	return !TAILQ_EMPTY(&out_work);
}

/* ------------------------------------------------------------------ */
/* entry points from the inbound side                                  */

void
rde_out_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	struct rde_peer		*peer;
	struct out_peer		*op;
	struct srv6d_prefix	 p;

	(void)old_best, (void)old_attrs;	/* the Adj-RIB-Out knows */
	if (t->vrf != NULL)
		return;		/* a VRF's routes go out as VPN routes */
	rde_prefix_get(pfx, &p);
	RB_FOREACH(peer, rde_peer_tree, &rde_peers) {
		if ((op = peer->out) == NULL || peer->state != PEER_UP ||
		    !(peer_afs(peer) & rde_families[t->aid].afs))
			continue;
		out_queue(op, t->aid, pfx->addr, pfx->len,
		    out_export(op, t->aid, &p, new_best));
	}
}

static void
out_peer_free(struct out_peer *op)
{
	struct out_fam	*fam;
	struct adjout	*adj, *next;
	size_t		 i;
	int		 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		fam = &op->fam[aid];
		if (fam->flags & FAM_F_DUMP)
			rde_walk_end(&fam->walk);
		ADJ_FOREACH_SAFE(adj, next, &fam->rib, i)
			adj_free(fam, adj);
		free(fam->rib.buckets);
	}
	out_cache_clear(op);
	if (op->queued)
		TAILQ_REMOVE(&out_work, op, entry);
	op->peer->prefixes_sent = 0;
	op->peer->out = NULL;
	free(op);
}

/*
 * Session up: dump every negotiated family, End-of-RIB after each
 * (RFC 4724 §2: also without graceful restart, which is harmless and
 * lets the peer know the initial table is complete).
 */
void
rde_out_peer_up(struct rde_peer *peer)
{
	struct out_peer	*op;
	int		 aid;

	if (peer->out != NULL)
		out_peer_free(peer->out);
	if ((op = calloc(1, sizeof(*op))) == NULL)
		fatal("%s", __func__);
	op->peer = peer;
	op->transpose = peer_transposes(peer);
	/* RFC 8654 §4: bigger messages only when both sides can. */
	op->maxlen = (peer->sess.capa & CAPA_EXT_MESSAGE) ? BGP_MAX_LEN_EXT :
	    BGP_MAX_LEN;
	for (aid = 0; aid < AID_MAX; aid++) {
		if (!(peer_afs(peer) & rde_families[aid].afs))
			continue;
		op->fam[aid].flags |= FAM_F_EOR;
		out_dump_start(op, aid, false);
	}
	peer->out = op;
	peer->prefixes_sent = 0;
	out_schedule(op);
}

void
rde_out_peer_down(struct rde_peer *peer)
{
	if (peer->out != NULL)
		out_peer_free(peer->out);
}

/* Send the peer everything it has of the family again, as it is. */
static void
out_fam_resend(struct out_peer *op, enum rde_aid aid)
{
	struct out_fam	*fam = &op->fam[aid];
	struct adjout	*adj, *next;
	size_t		 i;

	ADJ_FOREACH_SAFE(adj, next, &fam->rib, i) {
		adj->flags |= ADJ_F_FORCE;
		if (adj->adv == NULL || (adj->flags & ADJ_F_PENDING))
			continue;
		rde_attrs_ref(adj->adv);
		adj->want = adj->adv;
		adj->flags |= ADJ_F_PENDING;
		adj->pnext = fam->pending;
		fam->pending = adj;
		fam->npending++;
	}
	out_schedule(op);
}

/*
 * ROUTE-REFRESH from the peer (RFC 2918 §4): send it the family's
 * Adj-RIB-Out again.  With enhanced route refresh (RFC 7313 §4) the
 * re-advertisement is framed by BoRR and EoRR.  BoRR/EoRR from the peer
 * concern its routes to us, not ours.
 */
void
rde_out_refresh(struct rde_peer *peer, const struct session_refresh *r)
{
	struct out_peer	*op = peer->out;
	int		 aid;

	if (op == NULL || r->subtype != BGP_RR_NORMAL)
		return;
	for (aid = 0; aid < AID_MAX; aid++)
		if (rde_families[aid].afi == r->afi &&
		    rde_families[aid].safi == r->safi)
			break;
	if (aid == AID_MAX || !(peer_afs(peer) & rde_families[aid].afs)) {
		log_warnx("neighbor %s: route refresh for a family not "
		    "negotiated (afi %u safi %u)",
		    addr2str(&peer->sess.remote_addr), r->afi, r->safi);
		return;
	}
	if (peer->sess.capa & CAPA_ENHANCED_REFRESH) {
		out_send_rr(op, aid, BGP_RR_BORR);
		op->fam[aid].flags |= FAM_F_EORR;
	}
	out_fam_resend(op, aid);
}

/* ------------------------------------------------------------------ */
/* `network' statements and reloads                                    */

static int
prefix_aid(const struct srv6d_prefix *p, enum rde_aid *aid)
{
	int	i;

	for (i = 0; i < AID_MAX; i++)
		if (rde_families[i].af == p->addr.af) {
			*aid = i;
			return 0;
		}
	return -1;
}

static const uint8_t *
prefix_bytes(const struct srv6d_prefix *p)
{
	return p->addr.af == AF_INET ? (const uint8_t *)&p->addr.v4 :
	    (const uint8_t *)&p->addr.v6;
}

static bool
networks_have(const struct srv6d_prefix *v, size_t n,
    const struct srv6d_prefix *p)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i].len == p->len && addr_cmp(&v[i].addr, &p->addr) == 0)
			return true;
	return false;
}

/*
 * A `network' is a path of our own (rde_peer_self) in the Loc-RIB:
 * ORIGIN IGP, an empty AS_PATH, no next hop (ourselves: each peer gets
 * our address on its session), so it takes part in the decision process
 * and is exported like any route.
 */
static void
out_network_add(const struct srv6d_prefix *p)
{
	struct rde_attrs	 t, *a;
	enum rde_aid		 aid;

	if (prefix_aid(p, &aid) == -1)
		return;
	rde_attrs_template(&t);
	t.origin = BGP_ORIGIN_IGP;
	a = rde_attrs_intern(&t);
	rde_rib_update(&rde_tables[aid], &rde_peer_self, prefix_bytes(p),
	    p->len, a, a);
	rde_attrs_unref(a);
}

static void
out_network_remove(const struct srv6d_prefix *p)
{
	enum rde_aid	aid;

	if (prefix_aid(p, &aid) == -1)
		return;
	rde_rib_withdraw(&rde_tables[aid], &rde_peer_self, prefix_bytes(p),
	    p->len);
}

static void
out_networks_sync(void)
{
	const struct srv6d_prefix	*nv = NULL;
	struct srv6d_prefix		*copy = NULL;
	size_t				 nn = 0, i;

	if (rde_conf != NULL) {
		nv = rde_conf->networks;
		nn = rde_conf->n_networks;
	}
	for (i = 0; i < out_nnetworks; i++)
		if (!networks_have(nv, nn, &out_networks[i]))
			out_network_remove(&out_networks[i]);
	for (i = 0; i < nn; i++)
		if (!networks_have(out_networks, out_nnetworks, &nv[i]))
			out_network_add(&nv[i]);
	if (nn > 0) {
		if ((copy = reallocarray(NULL, nn, sizeof(*copy))) == NULL)
			fatal("%s", __func__);
		memcpy(copy, nv, nn * sizeof(*copy));
	}
	free(out_networks);
	out_networks = copy;
	out_nnetworks = nn;
}

/*
 * After a reload: originate the new `network' statements, withdraw the
 * old ones, and re-evaluate what every peer is sent (filters, route
 * reflection clients and next-hop-self may have changed): a walk of the
 * Loc-RIB that queues only what differs, and withdraws what the walk
 * does not find.
 */
void
rde_out_reload(void)
{
	struct rde_peer	*peer;
	struct out_peer	*op;
	bool		 resend;
	int		 aid;

	out_networks_sync();
	out_cache_valid = false;
	RB_FOREACH(peer, rde_peer_tree, &rde_peers) {
		if ((op = peer->out) == NULL)
			continue;
		out_cache_clear(op);
		resend = op->transpose != peer_transposes(peer);
		op->transpose = peer_transposes(peer);
		for (aid = 0; aid < AID_MAX; aid++) {
			op->fam[aid].warned_nh = false;
			if (!(peer_afs(peer) & rde_families[aid].afs))
				continue;
			/* same sets, other labels and SIDs on the wire */
			if (resend && rde_aid_vpn(aid))
				out_fam_resend(op, aid);
			out_dump_start(op, aid, true);
		}
	}
}

/* ------------------------------------------------------------------ */
/* show and tests                                                      */

void
rde_out_peer_stats(const struct rde_peer *peer, struct out_peer_stats *st)
{
	const struct out_peer	*op = peer->out;
	int			 aid;

	memset(st, 0, sizeof(*st));
	if (op == NULL)
		return;
	*st = op->st;
	for (aid = 0; aid < AID_MAX; aid++) {
		st->prefixes += op->fam[aid].count;
		st->pending += op->fam[aid].npending;
	}
}

static int
adj_ptr_cmp(const void *x, const void *y)
{
	return adj_cmp(*(const struct adjout * const *)x,
	    *(const struct adjout * const *)y);
}

/* Every prefix the peer was sent in family aid, in prefix order. */
void
rde_out_show_rd(const struct rde_peer *peer, enum rde_aid aid,
    rde_out_show_rd_cb cb, void *arg)
{
	struct out_peer		*op = peer->out;
	struct adjout		*adj, *next, **v;
	struct srv6d_prefix	 p;
	size_t			 i, n = 0;

	if (op == NULL || op->fam[aid].rib.count == 0)
		return;
	v = reallocarray(NULL, op->fam[aid].rib.count, sizeof(*v));
	if (v == NULL)
		fatal("%s", __func__);
	ADJ_FOREACH_SAFE(adj, next, &op->fam[aid].rib, i)
		if (adj->adv != NULL)
			v[n++] = adj;
	qsort(v, n, sizeof(*v), adj_ptr_cmp);
	for (i = 0; i < n; i++) {
		adj_prefix(v[i], &p);
		cb(adj_rd(v[i]), &p, v[i]->adv, arg);
	}
	free(v);
}

struct show_plain {
	rde_out_show_cb	 cb;
	void		*arg;
};

static void
show_plain_cb(rd_t rd, const struct srv6d_prefix *p, struct rde_attrs *a,
    void *arg)
{
	struct show_plain	*sp = arg;

	(void)rd;
	sp->cb(p, a, sp->arg);
}

/* The same without the RD (which VPN prefixes lose here). */
void
rde_out_show(const struct rde_peer *peer, enum rde_aid aid,
    rde_out_show_cb cb, void *arg)
{
	struct show_plain	sp = { cb, arg };

	rde_out_show_rd(peer, aid, show_plain_cb, &sp);
}

/* Free everything (exit, tests). */
void
rde_out_shutdown(void)
{
	struct rde_peer	*peer;

	RB_FOREACH(peer, rde_peer_tree, &rde_peers)
		if (peer->out != NULL)
			out_peer_free(peer->out);
	free(out_networks);
	out_networks = NULL;
	out_nnetworks = 0;
	out_cache_valid = false;
	if (out_ev_set && evtimer_pending(&out_ev, NULL))
		evtimer_del(&out_ev);
	out_ev_set = false;
}
