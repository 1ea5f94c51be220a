/*
 * Import and export filters (OpenBGPD's model, kept small).
 *
 * The rules of one direction are run in order.  Every matching rule
 * applies its `set' actions; an allow or deny rule records its verdict,
 * the last one wins, and a matching `quick' rule ends the run.  With no
 * verdict, routes of iBGP peers (and our own) are allowed and routes of
 * eBGP peers are denied (RFC 8212 §3).
 *
 * The attributes are interned: `set' builds a modified copy on the stack
 * and interns it once at the end, so an unmodified route costs no
 * allocation.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"

/* The working copy of the attributes while rules apply. */
struct filter_state {
	struct rde_attrs	 t;		/* template, or a copy of in */
	bool			 modified;
	bool			 own_path;	/* t.aspath is our reference */
	uint32_t		*comm;		/* own array once modified */
	bool			 nexthop_self;
};

static bool
filter_peer_match(const struct filter_rule *r, const struct rde_peer *peer)
{
	switch (r->peer) {
	case FILTER_PEER_ANY:
		return true;
	case FILTER_PEER_ADDR:
		return peer->conf != NULL &&
		    addr_cmp(&r->peer_addr, &peer->conf->addr) == 0;
	case FILTER_PEER_GROUP:
		return peer->conf != NULL &&
		    strcmp(r->group, peer->conf->group) == 0;
	case FILTER_PEER_EBGP:
		return peer->ebgp;
	case FILTER_PEER_IBGP:
		return !peer->ebgp && peer->id != 0;
	}
	return false;
}

static bool
filter_prefix_match(const struct filter_rule *r,
    const struct srv6d_prefix *p)
{
	if (r->prefix.addr.af != AF_UNSPEC) {
		if (p->addr.af != r->prefix.addr.af ||
		    p->len < r->prefix.len ||
		    !prefix_contains(&r->prefix, &p->addr))
			return false;
		if (r->len_min == 0 && r->len_max == 0)
			return p->len == r->prefix.len;
	} else if (r->len_min == 0 && r->len_max == 0)
		return true;
	return p->len >= r->len_min && p->len <= r->len_max;
}

static bool
filter_as_match(const struct filter_rule *r, const struct rde_aspath *a)
{
	switch (r->as_type) {
	case FILTER_AS_NONE:
		return true;
	case FILTER_AS_ANY:
		return rde_aspath_contains(a, r->as);
	case FILTER_AS_SOURCE:
		return a->origin_as == r->as;
	case FILTER_AS_PEER:
		return a->neighbor_as == r->as;
	case FILTER_AS_TRANSIT:
		/* anywhere but as the origin alone */
		return rde_aspath_contains(a, r->as) &&
		    (a->origin_as != r->as || a->pathlen > 1);
	}
	return false;
}

static bool
filter_match(const struct filter_rule *r, const struct rde_peer *peer,
    const struct srv6d_prefix *p, const struct filter_state *st)
{
	if (!filter_peer_match(r, peer) || !filter_prefix_match(r, p))
		return false;
	if (r->has_community &&
	    !rde_attrs_has_community(&st->t, r->community))
		return false;
	return filter_as_match(r, st->t.aspath);
}

static void
filter_add_community(struct filter_state *st, uint32_t c)
{
	uint32_t	*n;

	if (rde_attrs_has_community(&st->t, c))
		return;
	if (st->t.n_communities == UINT16_MAX)
		return;
	n = reallocarray(st->comm, st->t.n_communities + 1, sizeof(*n));
	if (n == NULL)
		fatal("%s", __func__);
	if (st->comm == NULL && st->t.n_communities > 0)
		memcpy(n, st->t.communities,
		    st->t.n_communities * sizeof(*n));
	n[st->t.n_communities++] = c;
	st->comm = n;
	st->t.communities = n;
}

static void
filter_set(const struct filter_rule *r, enum filter_dir dir,
    struct filter_state *st)
{
	struct rde_aspath	*np;

	if (r->set & FILTER_SET_LOCALPREF) {
		st->t.localpref = r->set_localpref;
		st->t.flags |= ATTR_F_LOCALPREF;
	}
	if (r->set & FILTER_SET_MED) {
		st->t.med = r->set_med;
		st->t.flags |= ATTR_F_MED;
	}
	if (r->set & FILTER_SET_COMMUNITY)
		filter_add_community(st, r->set_community);
	if ((r->set & FILTER_SET_PREPEND) && r->set_prepend > 0) {
		np = rde_aspath_prepend(st->t.aspath, rde_self.as,
		    r->set_prepend);
		if (st->own_path)
			rde_aspath_unref(st->t.aspath);
		st->t.aspath = np;
		st->own_path = true;
	}
	if ((r->set & FILTER_SET_NEXTHOP_SELF) && dir == FILTER_OUT)
		st->nexthop_self = true;
	if (r->set & ~FILTER_SET_NEXTHOP_SELF)
		st->modified = true;
}

enum filter_action
rde_filter_apply_nh(const struct filter_head *rules, enum filter_dir dir,
    const struct rde_peer *peer, const struct srv6d_prefix *p,
    struct rde_attrs *in, struct rde_attrs **out, bool *nexthop_self)
{
	struct filter_state	 st;
	const struct filter_rule *r;
	enum filter_action	 verdict;

	memset(&st, 0, sizeof(st));
	st.t = *in;
	verdict = peer->ebgp ? FILTER_DENY : FILTER_ALLOW;
	if (rules != NULL) {
		TAILQ_FOREACH(r, rules, entry) {
			if (r->dir != dir || !filter_match(r, peer, p, &st))
				continue;
			filter_set(r, dir, &st);
			if (r->action == FILTER_MATCH)
				continue;
			verdict = r->action;
			if (r->quick)
				break;
		}
	}
	*out = NULL;
	if (verdict == FILTER_ALLOW) {
		if (st.modified)
			*out = rde_attrs_intern(&st.t);
		else {
			rde_attrs_ref(in);
			*out = in;
		}
	}
	if (st.own_path)
		rde_aspath_unref(st.t.aspath);
	free(st.comm);
	if (nexthop_self != NULL)
		*nexthop_self = st.nexthop_self;
	return verdict;
}

enum filter_action
rde_filter_apply(const struct filter_head *rules, enum filter_dir dir,
    const struct rde_peer *peer, const struct srv6d_prefix *p,
    struct rde_attrs *in, struct rde_attrs **out)
{
	return rde_filter_apply_nh(rules, dir, peer, p, in, out, NULL);
}

bool
rde_filter_uses_prefix(const struct filter_head *rules, enum filter_dir dir)
{
	const struct filter_rule	*r;

	if (rules == NULL)
		return false;
	TAILQ_FOREACH(r, rules, entry)
		if (r->dir == dir && (r->prefix.addr.af != AF_UNSPEC ||
		    r->len_min != 0 || r->len_max != 0))
			return true;
	return false;
}
