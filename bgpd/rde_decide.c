/*
 * The decision process, RFC 4271 §9.1.
 *
 * Of the paths of a prefix, only eligible ones compete: not denied by the
 * import filter and with a reachable next hop (for now: reachable unless
 * it is one of our own addresses or a martian; the kernel's routing
 * table is asked in a later issue).  Between two eligible paths the first
 * of these steps that tells them apart decides:
 *
 *  1. the higher LOCAL_PREF (§9.1.1; 100 when absent);
 *  2. the shorter AS_PATH (§9.1.2.2 a; an AS_SET counts 1, confederation
 *     segments 0, RFC 5065 §5.3);
 *  3. the lower ORIGIN (IGP < EGP < INCOMPLETE, §9.1.2.2 b);
 *  4. the lower MULTI_EXIT_DISC, only between paths from the same
 *     neighbour AS unless `rde med compare always' (§9.1.2.2 c; a missing
 *     MED counts 0);
 *  5. a path from an eBGP peer over one from an iBGP peer (§9.1.2.2 d);
 *  6. the lower BGP identifier of the announcing peer, or the
 *     ORIGINATOR_ID when the path carries one (§9.1.2.2 f, RFC 4456 §9);
 *  7. the shorter CLUSTER_LIST (RFC 4456 §9);
 *  8. the lower peer address (§9.1.2.2 g);
 *  9. in a VRF, the lower RD of the VPN route a path was imported from.
 * In a VRF's Loc-RIB the VRF's own routes win over imported ones right
 * after eligibility (as FRR's weight does).
 *
 * The best path is found by comparing each path against the best so far;
 * since step 4 is not transitive across neighbour ASes the result can
 * depend on the list order, as in most implementations without
 * "deterministic MED".
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <string.h>

#include "bgp.h"
#include "log.h"
#include "rde.h"

struct rde_self			rde_self;

#define RDE_LOCAL_ADDRS_MAX	64
static struct srv6d_addr	local_addrs[RDE_LOCAL_ADDRS_MAX];
static size_t			n_local_addrs;

/* Our own addresses, which are never a usable next hop. */
void
rde_local_addr_clear(void)
{
	n_local_addrs = 0;
}

void
rde_local_addr_add(const struct srv6d_addr *a)
{
	size_t	i;

	if (a->af != AF_INET && a->af != AF_INET6)
		return;
	for (i = 0; i < n_local_addrs; i++)
		if (addr_cmp(&local_addrs[i], a) == 0)
			return;
	if (n_local_addrs < RDE_LOCAL_ADDRS_MAX)
		local_addrs[n_local_addrs++] = *a;
}

static bool
martian_v4(struct in_addr a)
{
	uint32_t	h = ntohl(a.s_addr);

	/* 0/8 "this network", 127/8 loopback, 224/3 multicast and class E */
	return (h >> 24) == 0 || (h >> 24) == 127 || (h >> 29) == 7;
}

static bool
martian_v6(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    IN6_IS_ADDR_MULTICAST(a);
}

bool
rde_nexthop_reachable(const struct srv6d_addr *nh)
{
	size_t	i;

	switch (nh->af) {
	case AF_INET:
		if (martian_v4(nh->v4))
			return false;
		break;
	case AF_INET6:
		if (martian_v6(&nh->v6))
			return false;
		break;
	default:
		return true;	/* our own routes: no next hop */
	}
	for (i = 0; i < n_local_addrs; i++)
		if (addr_cmp(&local_addrs[i], nh) == 0)
			return false;
	return true;
}

/*
 * A VPN route imported into a VRF is usable for forwarding only with an
 * SRv6 SID (we have no MPLS data plane): without one it stays visible.
 */
bool
rde_path_eligible(const struct rde_path *p)
{
	if (p->flags & PATH_F_DENIED)
		return false;
	if (rde_path_src_rd(p) != 0 && !p->attrs->has_srv6)
		return false;
	return rde_nexthop_reachable(&p->attrs->nexthop);
}

static uint32_t
path_id(const struct rde_path *p)
{
	if (p->attrs->flags & ATTR_F_ORIGINATOR)
		return ntohl(p->attrs->originator_id.s_addr);
	return ntohl(p->peer->sess.remote_id.s_addr);
}

static int
cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static bool
med_comparable(const struct rde_attrs *a, const struct rde_attrs *b)
{
	if (rde_self.flags & CONF_F_ALWAYS_COMPARE_MED)
		return true;
	return a->aspath->neighbor_as == b->aspath->neighbor_as;
}

static uint32_t
med(const struct rde_attrs *a)
{
	return (a->flags & ATTR_F_MED) ? a->med : 0;
}

/* <0: a is better, >0: b is better, 0: no step tells them apart. */
int
rde_decide_cmp(const struct rde_path *a, const struct rde_path *b,
    const char **reason)
{
	const struct rde_attrs	*aa = a->attrs, *ba = b->attrs;
	bool			 ae, be;
	int			 c;

#define DECIDE(expr, why) do {				\
	if ((c = (expr)) != 0) {			\
		*reason = (why);			\
		return c;				\
	}						\
} while (0)

	ae = (a->flags & PATH_F_ELIGIBLE) != 0;
	be = (b->flags & PATH_F_ELIGIBLE) != 0;
	DECIDE((int)be - (int)ae, "not eligible");
	/* in a VRF, the VRF's own routes over imported ones (FRR: weight) */
	if ((a->flags & b->flags & PATH_F_VRF) &&
	    (rde_path_src_rd(a) == 0) != (rde_path_src_rd(b) == 0))
		DECIDE(rde_path_src_rd(a) == 0 ? -1 : 1, "local route");
	DECIDE(cmp_u32(ba->localpref, aa->localpref), "local-pref");
	DECIDE(cmp_u32(aa->aspath->pathlen, ba->aspath->pathlen),
	    "as-path length");
	DECIDE(cmp_u32(aa->origin, ba->origin), "origin");
	if (med_comparable(aa, ba))
		DECIDE(cmp_u32(med(aa), med(ba)), "med");
	DECIDE((int)b->peer->ebgp - (int)a->peer->ebgp,
	    "external over internal");
	DECIDE(cmp_u32(path_id(a), path_id(b)), "router-id");
	DECIDE(cmp_u32(aa->n_cluster, ba->n_cluster), "cluster-list length");
	DECIDE(addr_cmp(&a->peer->sess.remote_addr, &b->peer->sess.remote_addr),
	    "peer address");
	/* one peer's routes imported from two RDs: the lower RD */
	if (rde_path_src_rd(a) != rde_path_src_rd(b))
		DECIDE(rde_path_src_rd(a) < rde_path_src_rd(b) ? -1 : 1,
		    "route distinguisher");
#undef DECIDE
	*reason = "equal";
	return 0;
}

static void
best_move_first(struct rde_prefix *pfx, struct rde_path *best)
{
	struct rde_path	**pp;

	if (pfx->paths == best)
		return;
	for (pp = &pfx->paths; *pp != best; pp = &(*pp)->next)
		;
	*pp = best->next;
	best->next = pfx->paths;
	pfx->paths = best;
}

bool
rde_decide(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs)
{
	struct rde_path	*p, *best = NULL;
	const char	*why;

	RDE_PATH_FOREACH(p, pfx) {
		p->flags &= ~PATH_F_BEST;
		if (!(p->flags & PATH_F_ELIGIBLE))
			continue;
		if (best == NULL || rde_decide_cmp(p, best, &why) < 0)
			best = p;
	}
	if (old_best != NULL)
		old_best->flags &= ~PATH_F_BEST;
	if (best != NULL) {
		best_move_first(pfx, best);
		best->flags |= PATH_F_BEST;
	}
	if (old_best != best) {
		if (old_best != NULL)
			old_best->peer->prefixes_best--;
		if (best != NULL)
			best->peer->prefixes_best++;
	} else if (best == NULL || best->attrs == old_attrs)
		return false;
	rde_best_changed(t, pfx, old_best, old_attrs, best);
	return true;
}
