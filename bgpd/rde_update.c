/*
 * UPDATE in: from the bytes the session engine relayed to the Adj-RIB-In.
 *
 * bgp_update_parse (bgp_update.c) sorts every error by RFC 7606; here the
 * verdict is carried out:
 *   session reset      IMSG_UPDATE_ERR to the SE with the NOTIFICATION;
 *                      nothing of the message is used;
 *   treat-as-withdraw  every prefix of the message, reachable or not, is
 *                      withdrawn (RFC 7606 §2), with a log line;
 *   attribute discard  the attributes are already left out; logged.
 * Then the checks that need our state: an eBGP peer's path must start
 * with its AS (RFC 4271 §6.3; treat-as-withdraw and a log line, as
 * OpenBGPD does), a path with our AS from an eBGP peer is a loop, and a
 * reflected route with our router id as ORIGINATOR_ID or our cluster id
 * in its CLUSTER_LIST has looped (RFC 4456 §8): their prefixes are
 * withdrawn (ignored) quietly.
 *
 * The attributes of a message are interned once; each prefix then costs
 * a hash lookup, the import filter (run once per message when no rule
 * looks at the prefix) and the decision process for its prefix.
 *
 * VPN-IPv4 and VPN-IPv6 (RFC 4364, 4659, 8277): a prefix is keyed by its
 * RD and address (rde_key_make); the import filter sees the address.
 * The next hop (RD 0 and an address, 12, 24 or 48 bytes) goes into
 * attrs.nexthop as its global address.  A VPN prefix carries its own
 * label, and with an SRv6 service whose SID is transposed (RFC 9252 §4)
 * its own SID bits: the set is interned again whenever a prefix's label
 * differs from the previous one's (upd_label).
 *
 * What the sets hold for the other parts of the RDE:
 *   label     VPN families: the 20-bit label of the NLRI as received
 *             (wire >> 4), also for SRv6 routes, where it is the
 *             transposed bits or 3 and so says nothing srv6.sid does
 *             not; the encoder derives its own from srv6.  Unicast: 0.
 *   has_srv6  the BGP Prefix-SID had an SRv6 L3 Service TLV (RFC 9252
 *             §2), any family (§5 carries global IPv4/IPv6 with it).
 *   srv6.sid  the whole SID: transposition undone with the prefix's
 *             label for VPN families; unicast NLRI have no label to hold
 *             transposed bits, so there the SID field is the SID.
 *   srv6.behavior, has_structure, st: as received (0xffff kept).
 * A Prefix-SID without an SRv6 L3 Service TLV (e.g. only a Label-Index)
 * is passed on unchanged among the unknown attributes (`others').
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"
#include "bgp_vpn.h"
#include "log.h"
#include "rde.h"
#include "srv6.h"

#define OTHERS_MAX	4096	/* bytes of unknown attributes kept */

/* Where one message's prefixes go. */
struct upd_state {
	struct rde_peer		*peer;
	struct rde_attrs	 t;		/* template; t.aspath referenced */
	struct rde_attrs	*in;		/* interned t, as received */
	struct rde_attrs	*out;		/* when filtered once */
	enum filter_action	 verdict;
	bool			 per_prefix;	/* filter per prefix */
	bool			 stop;		/* max-prefix hit */
	/* decoded once per message by upd_check */
	bool			 has_sid;	/* SRv6 L3 Service found */
	struct srv6_sid_info	 sid;
	struct vpn_nexthop	 vnh;		/* VPN MP_REACH next hop */
};

static struct bgp_update	upd;	/* 10 kB: not on the stack */

static const char *
peer_name(const struct rde_peer *peer)
{
	if (peer->conf != NULL)
		return addr2str(&peer->conf->addr);
	return addr2str(&peer->sess.remote_addr);
}

static int
family_find(uint16_t afi, uint8_t safi)
{
	int	aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (rde_families[aid].afi == afi &&
		    rde_families[aid].safi == safi)
			return aid;
	return -1;
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ------------------------------------------------------------------ */
/* errors                                                              */

static void
upd_reset(struct rde_peer *peer, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t len)
{
	struct session_notify	 n = { code, subcode };
	uint8_t			*buf;

	/* a NOTIFICATION's data fits a BGP message */
	if (len > BGP_MAX_LEN_EXT)
		len = BGP_MAX_LEN_EXT;
	if ((buf = malloc(sizeof(n) + len)) == NULL)
		fatal("%s", __func__);
	memcpy(buf, &n, sizeof(n));
	if (len > 0)
		memcpy(buf + sizeof(n), data, len);
	rde_se_compose(IMSG_UPDATE_ERR, peer->id, buf, sizeof(n) + len);
	free(buf);
	peer->state = PEER_ERR;
}

/*
 * Called before one more prefix would be accepted: at the limit, RFC 4486
 * §4: Cease, Maximum Number of Prefixes Reached, with AFI (2), SAFI (1)
 * and the upper bound (4); the prefix is not taken.
 */
bool
rde_update_maxprefix(struct rde_peer *peer, enum rde_aid aid)
{
	uint8_t		data[7];
	uint32_t	max;

	if (peer->conf == NULL || (max = peer->conf->max_prefix) == 0 ||
	    peer->prefixes_accepted < max)
		return false;
	log_warnx("neighbor %s: more than the limit of %u prefixes: "
	    "closing", peer_name(peer), max);
	data[0] = rde_families[aid].afi >> 8;
	data[1] = rde_families[aid].afi & 0xff;
	data[2] = rde_families[aid].safi;
	max = htonl(max);
	memcpy(data + 3, &max, 4);
	upd_reset(peer, BGP_ERR_CEASE, BGP_CEASE_MAXPREFIX, data,
	    sizeof(data));
	return true;
}

/* ------------------------------------------------------------------ */
/* prefixes                                                            */

/*
 * Labels of withdrawn VPN prefixes are not looked at: RFC 8277 §2.4 says
 * 0x800000, FRR sends 0.  The NLRI field was checked whole by
 * bgp_update_parse (RFC 7606 §5.3), so the loops run to its end.
 */
static void
upd_withdraw_vpn(struct rde_peer *peer, enum rde_aid aid, struct bgp_view v)
{
	struct vpn_nlri	n;
	uint8_t		key[RDE_KEY_MAX];

	while (vpn_nlri_next(&v, rde_families[aid].afi, &n, NULL) == 1) {
		rde_key_make(aid, n.rd, &n.prefix, key);
		rde_rib_withdraw(&rde_tables[aid], peer, key, n.prefix.len);
	}
}

static void
upd_withdraw_all(struct rde_peer *peer, enum rde_aid aid, struct bgp_view v)
{
	uint8_t	addr[16], plen;

	if (rde_aid_vpn(aid)) {
		upd_withdraw_vpn(peer, aid, v);
		return;
	}
	while (bgp_prefix_next(&v, rde_families[aid].maxbits, addr,
	    &plen) == 1)
		rde_rib_withdraw(&rde_tables[aid], peer, addr, plen);
}

/*
 * Intern the template as st->in (and filter it once when no rule looks
 * at the prefix) for a prefix with this label.  A VPN prefix has its own
 * label and, transposed (RFC 9252 §4), its own SID; the set of the
 * previous prefix is kept, and routes of one VRF share one label (FRR,
 * most PEs), so this interns once per message in the common case.
 */
static void
upd_label(struct upd_state *st, enum rde_aid aid, uint32_t label)
{
	if (st->in != NULL && st->t.label == label)
		return;
	st->t.label = label;
	if (st->t.has_srv6 && rde_aid_vpn(aid) &&
	    srv6_sid_reconstruct(&st->sid, label, &st->t.srv6.sid) == -1)
		fatalx("%s: SID structure checked in upd_prefix_sid",
		    __func__);
	rde_attrs_unref(st->out);
	rde_attrs_unref(st->in);
	st->out = NULL;
	st->in = rde_attrs_intern(&st->t);
	if (!st->per_prefix)
		st->verdict = rde_filter_apply(rde_self.filters, FILTER_IN,
		    st->peer, NULL, st->in, &st->out);
}

/* One prefix: key is what the table is indexed by, p what filters see. */
static void
upd_prefix(struct upd_state *st, enum rde_aid aid, const uint8_t *key,
    const struct srv6d_prefix *p)
{
	struct rde_attrs	*out = st->out;
	struct rde_prefix	*pfx;
	struct rde_path		*old;
	enum filter_action	 verdict = st->verdict;

	if (st->per_prefix) {
		out = NULL;
		verdict = rde_filter_apply(rde_self.filters, FILTER_IN,
		    st->peer, p, st->in, &out);
	}
	if (verdict == FILTER_ALLOW && st->peer->conf != NULL &&
	    st->peer->conf->max_prefix != 0) {
		/* a new accepted prefix, not a replacement, counts */
		pfx = rde_prefix_find(&rde_tables[aid], key, p->len);
		old = pfx ? rde_path_find(pfx, st->peer) : NULL;
		if ((old == NULL || (old->flags & PATH_F_DENIED)) &&
		    rde_update_maxprefix(st->peer, aid)) {
			st->stop = true;
			verdict = FILTER_DENY;
		}
	}
	if (!st->stop)
		rde_rib_update(&rde_tables[aid], st->peer, key, p->len, st->in,
		    verdict == FILTER_ALLOW ? out : NULL);
	if (st->per_prefix)
		rde_attrs_unref(out);
}

static void
upd_announce(struct upd_state *st, enum rde_aid aid, struct bgp_view v)
{
	struct srv6d_prefix	p;
	uint8_t			addr[16], plen;

	upd_label(st, aid, 0);
	while (!st->stop && bgp_prefix_next(&v, rde_families[aid].maxbits,
	    addr, &plen) == 1) {
		memset(&p, 0, sizeof(p));
		p.addr.af = rde_families[aid].af;
		memcpy(&p.addr.v6, addr, rde_families[aid].addrlen);
		p.len = plen;
		upd_prefix(st, aid, addr, &p);
	}
}

/* RFC 8277 §2: label (20 bits, TC, S), RD, address; one label taken. */
static void
upd_announce_vpn(struct upd_state *st, enum rde_aid aid, struct bgp_view v)
{
	struct vpn_nlri	n;
	uint8_t		key[RDE_KEY_MAX];

	while (!st->stop &&
	    vpn_nlri_next(&v, rde_families[aid].afi, &n, NULL) == 1) {
		upd_label(st, aid, n.label);
		rde_key_make(aid, n.rd, &n.prefix, key);
		upd_prefix(st, aid, key, &n.prefix);
	}
}

/* Every prefix of the message, reachable or withdrawn, is withdrawn. */
static void
upd_treat_as_withdraw(struct rde_peer *peer, const struct bgp_update *u)
{
	int	aid;

	upd_withdraw_all(peer, AID_IPV4, u->withdrawn);
	upd_withdraw_all(peer, AID_IPV4, u->nlri);
	if (u->has_reach &&
	    (aid = family_find(u->reach.afi, u->reach.safi)) != -1)
		upd_withdraw_all(peer, aid, u->reach.nlri);
	if (u->has_unreach &&
	    (aid = family_find(u->unreach.afi, u->unreach.safi)) != -1)
		upd_withdraw_all(peer, aid, u->unreach.nlri);
}

/* ------------------------------------------------------------------ */
/* attributes                                                          */

static bool
attr_known(uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ORIGIN:
	case BGP_ATTR_AS_PATH:
	case BGP_ATTR_NEXT_HOP:
	case BGP_ATTR_MED:
	case BGP_ATTR_LOCAL_PREF:
	case BGP_ATTR_ATOMIC_AGGREGATE:
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_COMMUNITIES:
	case BGP_ATTR_ORIGINATOR_ID:
	case BGP_ATTR_CLUSTER_LIST:
	case BGP_ATTR_MP_REACH:
	case BGP_ATTR_MP_UNREACH:
	case BGP_ATTR_EXT_COMMUNITIES:
	case BGP_ATTR_AS4_PATH:
	case BGP_ATTR_AS4_AGGREGATOR:
	case BGP_ATTR_LARGE_COMMUNITIES:
		return true;
	}
	return false;
}

/* Scratch arrays for one message's template (host order). */
struct upd_arrays {
	uint32_t	comm[BGP_MAX_LEN_EXT / 4];
	uint64_t	ext[BGP_MAX_LEN_EXT / 8];
	uint32_t	large[BGP_MAX_LEN_EXT / 4];
	uint32_t	cluster[BGP_MAX_LEN_EXT / 4];
	uint8_t		others[OTHERS_MAX];
};
static struct upd_arrays	arr;

static uint16_t
words(uint32_t *dst, struct bgp_view v)
{
	size_t	i;

	for (i = 0; i < v.len / 4; i++)
		dst[i] = get32(v.p + 4 * i);
	return (uint16_t)i;
}

/*
 * Unknown optional transitive attributes, sorted by type, Partial set;
 * the Prefix-SID too when it held no SRv6 L3 Service TLV (has_sid false).
 */
static uint16_t
upd_others(const struct bgp_update *u, bool has_sid, uint8_t *buf)
{
	size_t			 len = 0, hl;
	unsigned int		 type;
	const struct bgp_attr	*a;

	for (type = 0; type < 256; type++) {
		if (attr_known(type) ||
		    (type == BGP_ATTR_PREFIX_SID && has_sid) ||
		    (a = bgp_update_attr(u, type)) == NULL)
			continue;
		hl = a->val.len > 255 ? 4 : 3;
		if (len + hl + a->val.len > OTHERS_MAX)
			break;
		buf[len] = (a->flags | BGP_ATTR_PARTIAL) & ~BGP_ATTR_EXTLEN;
		if (hl == 4)
			buf[len] |= BGP_ATTR_EXTLEN;
		buf[len + 1] = type;
		if (hl == 4) {
			buf[len + 2] = a->val.len >> 8;
			buf[len + 3] = a->val.len & 0xff;
		} else
			buf[len + 2] = a->val.len;
		memcpy(buf + len + hl, a->val.p, a->val.len);
		len += hl + a->val.len;
	}
	return (uint16_t)len;
}

/* The 4-octet AS_PATH, merged with AS4_PATH for a 2-octet peer. */
static struct rde_aspath *
upd_aspath(const struct rde_peer *peer, const struct bgp_update *u)
{
	const struct bgp_attr	*a;
	struct ibuf		*b;
	struct rde_aspath	*path;

	if (peer->sess.capa & CAPA_AS4) {
		if ((a = bgp_update_attr(u, BGP_ATTR_AS_PATH)) == NULL)
			return rde_aspath_intern(NULL, 0);
		return rde_aspath_intern(a->val.p, a->val.len);
	}
	if ((b = ibuf_dynamic(256, 2 * BGP_MAX_LEN_EXT)) == NULL)
		fatal("%s", __func__);
	if (bgp_as4_merge(b, u) == -1)
		fatal("%s: merge", __func__);
	path = rde_aspath_intern(ibuf_seek(b, 0, ibuf_size(b)),
	    ibuf_size(b));
	ibuf_free(b);
	return path;
}

static void
upd_nexthop(struct rde_attrs *t, const struct upd_state *st,
    const struct bgp_update *u, enum rde_aid aid, bool mp)
{
	const struct bgp_attr	*a;

	if (rde_aid_vpn(aid)) {
		/* decoded by upd_vpn_nexthop; the link-local is not used */
		t->nexthop = st->vnh.global;
		return;
	}
	if (!mp) {
		if ((a = bgp_update_attr(u, BGP_ATTR_NEXT_HOP)) != NULL) {
			t->nexthop.af = AF_INET;
			memcpy(&t->nexthop.v4, a->val.p, 4);
		}
		return;
	}
	/* RFC 4760 §3, RFC 2545 §3, RFC 8950: IPv4 or IPv6 (+ link-local) */
	if (u->reach.nh.len == 4) {
		t->nexthop.af = AF_INET;
		memcpy(&t->nexthop.v4, u->reach.nh.p, 4);
	} else if (u->reach.nh.len >= 16) {
		t->nexthop.af = AF_INET6;
		memcpy(&t->nexthop.v6, u->reach.nh.p, 16);
	}
}

static void
upd_aggregator(struct rde_attrs *t, const struct rde_peer *peer,
    const struct bgp_update *u)
{
	const struct bgp_attr	*a, *a4;

	if ((a = bgp_update_attr(u, BGP_ATTR_AGGREGATOR)) == NULL)
		return;
	t->flags |= ATTR_F_AGGREGATOR;
	if (a->val.len == 8) {
		t->aggr_as = get32(a->val.p);
		memcpy(&t->aggr_id, a->val.p + 4, 4);
		return;
	}
	t->aggr_as = get16(a->val.p);
	memcpy(&t->aggr_id, a->val.p + 2, 4);
	/* RFC 6793 §4.2.3 */
	a4 = bgp_update_attr(u, BGP_ATTR_AS4_AGGREGATOR);
	if (!(peer->sess.capa & CAPA_AS4) && a4 != NULL &&
	    t->aggr_as == AS_TRANS) {
		t->aggr_as = get32(a4->val.p);
		memcpy(&t->aggr_id, a4->val.p + 4, 4);
	}
}

static void
upd_communities(struct rde_attrs *t, const struct bgp_update *u)
{
	const struct bgp_attr	*a;
	size_t			 i;

	if ((a = bgp_update_attr(u, BGP_ATTR_COMMUNITIES)) != NULL) {
		t->n_communities = words(arr.comm, a->val);
		t->communities = arr.comm;
	}
	if ((a = bgp_update_attr(u, BGP_ATTR_LARGE_COMMUNITIES)) != NULL) {
		t->n_large_communities = words(arr.large, a->val) / 3;
		t->large_communities = arr.large;
	}
	if ((a = bgp_update_attr(u, BGP_ATTR_EXT_COMMUNITIES)) != NULL) {
		for (i = 0; i < a->val.len / 8; i++)
			arr.ext[i] = (uint64_t)get32(a->val.p + 8 * i) << 32 |
			    get32(a->val.p + 8 * i + 4);
		t->n_ext_communities = (uint16_t)i;
		t->ext_communities = arr.ext;
	}
	if ((a = bgp_update_attr(u, BGP_ATTR_CLUSTER_LIST)) != NULL) {
		t->n_cluster = words(arr.cluster, a->val);
		t->cluster_list = arr.cluster;
	}
}

/*
 * The SRv6 service (RFC 9252 §3.1, §3.2.1).  For VPN families upd_label
 * fills in the SID of each prefix; for unicast ones there is no label
 * to hold transposed bits, so the SID field is the whole SID.
 */
static void
upd_srv6(struct rde_attrs *t, const struct upd_state *st)
{
	if (!st->has_sid)
		return;
	t->has_srv6 = 1;
	t->srv6.sid = st->sid.sid;
	t->srv6.behavior = st->sid.behavior;
	if (st->sid.has_structure) {
		t->srv6.has_structure = 1;
		t->srv6.st = st->sid.st;
	}
}

/* The template of the message's attributes; t->aspath is referenced. */
static void
upd_attrs(struct rde_attrs *t, const struct upd_state *st,
    const struct bgp_update *u, enum rde_aid aid, bool mp)
{
	const struct rde_peer	*peer = st->peer;
	const struct bgp_attr	*a;

	rde_attrs_template(t);
	if ((a = bgp_update_attr(u, BGP_ATTR_ORIGIN)) != NULL)
		t->origin = a->val.p[0];
	t->aspath = upd_aspath(peer, u);
	upd_nexthop(t, st, u, aid, mp);
	if ((a = bgp_update_attr(u, BGP_ATTR_MED)) != NULL) {
		t->med = get32(a->val.p);
		t->flags |= ATTR_F_MED;
	}
	if ((a = bgp_update_attr(u, BGP_ATTR_LOCAL_PREF)) != NULL) {
		t->localpref = get32(a->val.p);
		t->flags |= ATTR_F_LOCALPREF;
	}
	if (bgp_update_attr(u, BGP_ATTR_ATOMIC_AGGREGATE) != NULL)
		t->flags |= ATTR_F_ATOMIC_AGG;
	upd_aggregator(t, peer, u);
	if ((a = bgp_update_attr(u, BGP_ATTR_ORIGINATOR_ID)) != NULL) {
		memcpy(&t->originator_id, a->val.p, 4);
		t->flags |= ATTR_F_ORIGINATOR;
	}
	upd_communities(t, u);
	upd_srv6(t, st);
	t->others_len = upd_others(u, st->has_sid, arr.others);
	t->others = t->others_len ? arr.others : NULL;
}

/*
 * Checks against our own state.  NULL: usable; else why the routes are
 * ignored, *warn set when the peer broke a rule (worth a log line).
 */
static const char *
upd_loop(const struct rde_peer *peer, const struct rde_attrs *t, bool *warn)
{
	uint16_t	i;

	*warn = false;
	if (peer->ebgp) {
		if (t->aspath->neighbor_as != peer->remote_as) {
			*warn = true;
			return "AS_PATH does not start with the peer's AS";
		}
		if (rde_aspath_contains(t->aspath, rde_self.as))
			return "AS loop";
		return NULL;
	}
	if ((t->flags & ATTR_F_ORIGINATOR) &&
	    t->originator_id.s_addr == rde_self.router_id.s_addr)
		return "ORIGINATOR_ID is our router id";
	for (i = 0; i < t->n_cluster; i++)
		if (t->cluster_list[i] == ntohl(rde_self.cluster_id.s_addr))
			return "CLUSTER_LIST loop";
	return NULL;
}

/* ------------------------------------------------------------------ */

/*
 * RFC 4724 §2: End-of-RIB is an UPDATE with nothing in it (IPv4 unicast)
 * or with only an empty MP_UNREACH_NLRI.
 */
static int
upd_eor(const struct bgp_update *u)
{
	int	aid;

	if (u->withdrawn.len != 0 || u->nlri.len != 0)
		return -1;
	if (u->attrs.len == 0)
		return AID_IPV4;
	if (u->nattr == 1 && u->has_unreach && u->unreach.nlri.len == 0 &&
	    (aid = family_find(u->unreach.afi, u->unreach.safi)) != -1)
		return aid;
	return -1;
}

static void
upd_log_discards(const struct rde_peer *peer, const struct bgp_update *u)
{
	uint16_t	i;

	for (i = 0; i < u->ndisc && i < BGP_UPD_MAX_DISC; i++)
		log_debug("neighbor %s: UPDATE: %s discarded: %s",
		    peer_name(peer), bgp_attr_name(u->disc[i].type),
		    u->disc[i].reason);
}

static void
upd_withdrawn(struct rde_peer *peer, const struct bgp_update *u)
{
	int	aid;

	upd_withdraw_all(peer, AID_IPV4, u->withdrawn);
	if (!u->has_unreach)
		return;
	if ((aid = family_find(u->unreach.afi, u->unreach.safi)) != -1)
		upd_withdraw_all(peer, aid, u->unreach.nlri);
	else
		log_debug("neighbor %s: MP_UNREACH for AFI %u SAFI %u ignored",
		    peer_name(peer), u->unreach.afi, u->unreach.safi);
}

static void
upd_reach(struct upd_state *st, const struct bgp_update *u, bool mp)
{
	struct bgp_view	 nlri = mp ? u->reach.nlri : u->nlri;
	const char	*why;
	bool		 warn;
	int		 aid = AID_IPV4;

	if (mp && (aid = family_find(u->reach.afi, u->reach.safi)) == -1) {
		log_debug("neighbor %s: MP_REACH for AFI %u SAFI %u ignored",
		    peer_name(st->peer), u->reach.afi, u->reach.safi);
		return;
	}
	upd_attrs(&st->t, st, u, aid, mp);
	if ((why = upd_loop(st->peer, &st->t, &warn)) != NULL) {
		if (warn)
			log_warnx("neighbor %s: %s: treat-as-withdraw",
			    peer_name(st->peer), why);
		upd_withdraw_all(st->peer, aid, nlri);
		rde_aspath_unref(st->t.aspath);
		return;
	}
	st->per_prefix = rde_filter_uses_prefix(rde_self.filters, FILTER_IN);
	if (rde_aid_vpn(aid))
		upd_announce_vpn(st, aid, nlri);
	else
		upd_announce(st, aid, nlri);
	rde_attrs_unref(st->out);
	rde_attrs_unref(st->in);
	rde_aspath_unref(st->t.aspath);
	st->in = st->out = NULL;
}

/*
 * RFC 9252 §2, §3: the SRv6 L3 Service TLV of the BGP Prefix-SID, for
 * every family (§5: global IPv4/IPv6 over SRv6 too).  A malformed one,
 * and a SID structure whose transposition cannot be undone (TL > 20, TO
 * + TL > 128: §7 makes the routes ineligible), is treat-as-withdraw for
 * the whole message (RFC 8669 §6, RFC 9252 §7); the session stays.
 */
static const char *
upd_prefix_sid(struct upd_state *st, const struct bgp_update *u)
{
	const struct bgp_attr	*a;
	struct in6_addr		 sid;
	const char		*why = NULL;

	st->has_sid = false;
	if ((a = bgp_update_attr(u, BGP_ATTR_PREFIX_SID)) == NULL)
		return NULL;
	switch (prefix_sid_decode(a->val.p, a->val.len,
	    PREFIX_SID_TLV_SRV6_L3, &st->sid, &why)) {
	case PREFIX_SID_FOUND:
		break;
	case PREFIX_SID_ABSENT:
		return NULL;
	default:
		return why != NULL ? why : "malformed";
	}
	/* labels have 20 bits: only the structure can make this fail */
	if (srv6_sid_reconstruct(&st->sid, 0, &sid) == -1)
		return "SID structure cannot be transposed back";
	st->has_sid = true;
	return NULL;
}

/*
 * RFC 4364 §4.3.2, RFC 4659 §3.2.1, RFC 8950 §3: a VPN next hop is RD 0
 * and an address; VPNv4 takes an IPv6 one only when extended next hop
 * was negotiated for VPNv4.  bgp_update_parse checked the length against
 * 12/24/48 already.  What is left to refuse (an IPv6 next hop without
 * RFC 8950, an RD that is not 0) is a next hop other than the one
 * expected, before an NLRI field that can still be found: RFC 7606 §7.11
 * and §5.3 make that treat-as-withdraw, not a session reset.
 */
static const char *
upd_vpn_nexthop(struct upd_state *st, const struct bgp_update *u)
{
	struct vpn_error	e = { VPN_ERR_NONE, NULL };
	int			aid, ext;

	memset(&st->vnh, 0, sizeof(st->vnh));
	if (!u->has_reach ||
	    (aid = family_find(u->reach.afi, u->reach.safi)) == -1 ||
	    !rde_aid_vpn(aid))
		return NULL;
	ext = (st->peer->sess.ext_nexthop & AFS_VPNV4) != 0;
	if (vpn_nexthop_decode(u->reach.afi, u->reach.nh, ext, &st->vnh,
	    &e) == -1)
		return e.reason != NULL ? e.reason : "VPN next hop";
	return NULL;
}

/* What needs decoding once per message; NULL or why to withdraw all. */
static const char *
upd_check(struct upd_state *st, const struct bgp_update *u, uint8_t *type)
{
	const char	*why;

	*type = BGP_ATTR_PREFIX_SID;
	if ((why = upd_prefix_sid(st, u)) != NULL)
		return why;
	*type = BGP_ATTR_MP_REACH;
	return upd_vpn_nexthop(st, u);
}

static void
upd_log_withdraw(const struct rde_peer *peer, uint8_t type,
    const char *why)
{
	log_warnx("neighbor %s: UPDATE: %s%s%s: treat-as-withdraw",
	    peer_name(peer), type ? bgp_attr_name(type) : "",
	    type ? ": " : "", why);
}

void
rde_update(struct rde_peer *peer, const uint8_t *msg, size_t len)
{
	struct bgp_upd_ctx	 ctx = { 0 };
	struct upd_state	 st = { .peer = peer };
	const struct bgp_update	*u = &upd;
	const char		*why;
	uint8_t			 type;
	int			 aid;

	if (peer->state != PEER_UP)
		return;
	ctx.as4 = (peer->sess.capa & CAPA_AS4) != 0;
	ctx.ebgp = peer->ebgp;
	switch (bgp_update_parse(msg, len, &ctx, &upd)) {
	case BGP_UPD_RESET:
		log_warnx("neighbor %s: UPDATE: %s: %s", peer_name(peer),
		    upd.reason, bgp_err_name(upd.err.code, upd.err.subcode));
		upd_reset(peer, upd.err.code, upd.err.subcode,
		    bgp_err_data(&upd.err), upd.err.datalen);
		return;
	case BGP_UPD_WITHDRAW:
		upd_log_withdraw(peer, upd.reason_type, upd.reason);
		upd_treat_as_withdraw(peer, u);
		return;
	case BGP_UPD_DISCARD:
		upd_log_discards(peer, u);
		break;
	case BGP_UPD_OK:
		break;
	}
	if ((aid = upd_eor(u)) != -1) {
		log_info("neighbor %s: End-of-RIB for %s", peer_name(peer),
		    rde_families[aid].name);
		peer->eor_rcvd |= rde_families[aid].afs;
		return;
	}
	if ((why = upd_check(&st, u, &type)) != NULL) {
		upd_log_withdraw(peer, type, why);
		upd_treat_as_withdraw(peer, u);
		return;
	}
	upd_withdrawn(peer, u);
	if (u->nlri.len > 0)
		upd_reach(&st, u, false);
	if (u->has_reach && !st.stop)
		upd_reach(&st, u, true);
}
