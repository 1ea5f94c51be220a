/*
 * rde_show.c: the RDE's side of srv6ctl's show commands.
 *
 * show neighbor: the SE's view passes through and gets our counters.
 * show rib: the global tables (unicast and the VPN RIBs, whose prefixes
 * carry their RD) or one VRF's Loc-RIBs, dumped in chunks so that a big
 * table never blocks the event loop; one IMSG_CTL_SHOW_RIB per path.
 * show vrf, show sid, show locator: built from the live state (VRF
 * tables, SIDs, counters), not from the configuration alone; show sid
 * adds the kernel's counters, asked of the parent once per command.
 */
#include <sys/tree.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "imsgev.h"
#include "log.h"
#include "rde.h"
#include "rde_out.h"
#include "rde_show.h"
#include "srv6d.h"

#define RIB_DUMP_CHUNK		1000	/* prefixes per turn */
#define RIB_DUMP_QUEUE_MAX	2000	/* imsgs queued to the SE: wait */
#define RIB_DUMP_TABLES		AID_MAX	/* tables one dump visits, at most */

struct rib_dump {
	TAILQ_ENTRY(rib_dump)	 entry;
	uint32_t		 ctl_id;
	struct ctl_rib_request	 req;
	struct rde_peer		*neighbor;
	/* the tables to visit in order: global ones, or a VRF's two */
	struct rde_table	*tables[RIB_DUMP_TABLES];
	int			 ntables;
	int			 cur;
	enum rde_aid		 out_aid;	/* show rib out: the family */
	struct rde_walk		 walk;
	struct event		 ev;
};
static TAILQ_HEAD(, rib_dump)	rib_dumps = TAILQ_HEAD_INITIALIZER(rib_dumps);

/* show sid requests waiting for the parent's counters (below) */
struct sid_req;
static TAILQ_HEAD(, sid_req)	sid_reqs = TAILQ_HEAD_INITIALIZER(sid_reqs);
static struct sid_req	*sid_req_find(uint32_t);
static void		 sid_req_free(struct sid_req *);

/* ------------------------------------------------------------------ */
/* replies                                                             */

static void
show_result(uint32_t ctl_id, enum ctl_result_code code, const char *msg)
{
	struct ctl_result	 res = { .code = code };
	char			 buf[sizeof(res) + 128];
	size_t			 len;

	memcpy(buf, &res, sizeof(res));
	strlcpy(buf + sizeof(res), msg, sizeof(buf) - sizeof(res));
	len = sizeof(res) + strlen(buf + sizeof(res)) + 1;
	rde_se_compose(IMSG_CTL_RESULT, ctl_id, buf, len);
}

static void
show_end(uint32_t ctl_id)
{
	rde_se_compose(IMSG_CTL_END, ctl_id, NULL, 0);
}

/* One imsg to the SE made of n parts, built in place (no copy first). */
struct show_part {
	const void	*data;
	size_t		 len;
};

static int
show_send_parts(uint32_t type, uint32_t ctl_id, const struct show_part *p,
    size_t n)
{
	struct imsgev	*iev = rde_se_channel();
	struct ibuf	*wb;
	size_t		 i, len = 0;

	for (i = 0; i < n; i++)
		len += p[i].len;
	if ((wb = imsg_create(&iev->ibuf, type, ctl_id, 0, len)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (p[i].len > 0 && imsg_add(wb, p[i].data, p[i].len) == -1)
			return -1;
	imsg_close(&iev->ibuf, wb);
	imsgev_add(iev);
	return 0;
}

static struct rde_peer *
show_peer_by_addr(const struct srv6d_addr *a)
{
	struct rde_peer	*peer;

	RB_FOREACH(peer, rde_peer_tree, &rde_peers)
		if (peer->conf != NULL && addr_cmp(&peer->conf->addr, a) == 0)
			return peer;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* show neighbor: the SE's view, our counters added                    */

void
rde_show_neighbor(struct imsg *imsg)
{
	struct ctl_show_neighbor	 n;
	struct rde_peer			*peer;

	if (imsg_get_data(imsg, &n, sizeof(n)) == -1)
		fatalx("bad show neighbor imsg from session engine");
	if ((peer = show_peer_by_addr(&n.addr)) != NULL) {
		n.prefixes_received = peer->prefixes_received;
		n.prefixes_accepted = peer->prefixes_accepted;
		n.prefixes_best = peer->prefixes_best;
		n.prefixes_sent = peer->prefixes_sent;
	}
	rde_se_compose(IMSG_CTL_SHOW_NEIGHBOR, imsg->hdr.peerid, &n,
	    sizeof(n));
}

/* The end of a show neighbor sequence: answered in order. */
void
rde_show_end(struct imsg *imsg)
{
	if (imsg_get_len(imsg) != 0)
		fatalx("bad ctl end imsg from session engine");
	show_end(imsg->hdr.peerid);
}

/* ------------------------------------------------------------------ */
/* show rib: one reply per path                                        */

/* The AS_PATH as u32 words: per segment (type << 16 | count), ASNs. */
static size_t
rib_aspath_words(const struct rde_aspath *a, uint32_t *w)
{
	const uint8_t	*p = a->data, *end = a->data + a->len;
	size_t		 n = 0, i;
	uint32_t	 as;

	while (end - p >= 2 && (size_t)(end - p) >= 2 + 4 * (size_t)p[1]) {
		w[n++] = (uint32_t)p[0] << 16 | p[1];
		for (i = 0; i < p[1]; i++) {
			memcpy(&as, p + 2 + 4 * i, 4);
			w[n++] = ntohl(as);
		}
		p += 2 + 4 * (size_t)p[1];
	}
	return n;
}

static uint8_t
rib_flags(const struct rde_table *t, const struct rde_path *p)
{
	uint8_t	f = 0;

	if (p->flags & PATH_F_BEST)
		f |= RIB_F_BEST;
	if (p->flags & PATH_F_ELIGIBLE)
		f |= RIB_F_ELIGIBLE;
	if (p->peer->id == 0)
		f |= RIB_F_LOCAL;
	else if (!p->peer->ebgp)
		f |= RIB_F_INTERNAL;
	if (p->flags & PATH_F_STALE)
		f |= RIB_F_STALE;
	if (p->flags & PATH_F_DENIED)
		f |= RIB_F_FILTERED;
	if (t->vrf != NULL && rde_path_src_rd(p) != 0)
		f |= RIB_F_IMPORTED;
	/* a VPN route, or one imported from it, that cannot be forwarded */
	if ((rde_aid_vpn(t->aid) || (f & RIB_F_IMPORTED)) &&
	    !p->attrs->has_srv6)
		f |= RIB_F_NOSID;
	return f;
}

/*
 * The VPN part: the table's family and VRF, the RD (a VPN prefix's, or
 * in a VRF the RD of the VPN route the path was imported from), the
 * label and the SRv6 service as received (RFC 9252 §2, transposition
 * undone).
 */
static void
rib_fill_vpn(struct ctl_show_rib *r, enum rde_aid aid,
    const struct rde_vrf *vrf, rd_t rd, const struct rde_attrs *a)
{
	r->afs = rde_families[aid].afs;
	if (vrf != NULL)
		strlcpy(r->vrf, vrf->name, sizeof(r->vrf));
	r->rd = rd;
	r->label = a->label;
	if (!a->has_srv6)
		return;
	r->has_sid = 1;
	r->sid = a->srv6.sid;
	r->behavior = a->srv6.behavior;
	if (a->srv6.has_structure) {
		r->structure[0] = a->srv6.st.lbl;
		r->structure[1] = a->srv6.st.lnl;
		r->structure[2] = a->srv6.st.fl;
		r->structure[3] = a->srv6.st.al;
		r->structure[4] = a->srv6.st.tl;
		r->structure[5] = a->srv6.st.to;
	}
}

/* A VRF's own route: the SID it is exported with (one of ours). */
static void
rib_local_sid(struct ctl_show_rib *r, const struct rde_table *t,
    const struct rde_prefix *pfx, const struct rde_path *p)
{
	const struct rde_attrs	*ea;
	struct ctl_show_rib	 x;

	if (t->vrf == NULL || p->peer != &rde_peer_self ||
	    rde_path_src_rd(p) != 0 ||
	    (ea = rde_vrf_exported(t->vrf, t, pfx)) == NULL || !ea->has_srv6)
		return;
	memset(&x, 0, sizeof(x));
	rib_fill_vpn(&x, t->aid, t->vrf, 0, ea);
	r->has_sid = 1;
	r->sid = x.sid;
	r->behavior = x.behavior;
	memcpy(r->structure, x.structure, sizeof(r->structure));
}

static void
rib_fill(struct ctl_show_rib *r, const struct srv6d_prefix *pfx,
    const struct rde_peer *peer, const struct rde_attrs *a, uint8_t flags,
    uint32_t lastchange, const char *reason)
{
	memset(r, 0, sizeof(*r));
	r->prefix = *pfx;
	if (peer != NULL && peer->id != 0) {
		r->neighbor = peer->conf->addr;
		r->neighbor_id = peer->sess.remote_id;
	}
	r->nexthop = a->nexthop;
	r->med = a->med;
	r->localpref = a->localpref;
	r->lastchange = lastchange;
	r->origin = a->origin;
	r->flags = flags;
	r->has_med = (a->flags & ATTR_F_MED) != 0;
	r->atomic_aggregate = (a->flags & ATTR_F_ATOMIC_AGG) != 0;
	if (a->flags & ATTR_F_ORIGINATOR)
		r->originator_id = a->originator_id;
	strlcpy(r->reason, reason, sizeof(r->reason));
	r->n_communities = a->n_communities;
	r->n_large_communities = a->n_large_communities;
	r->n_ext_communities = a->n_ext_communities;
	r->n_cluster = a->n_cluster;
}

/* One reply: ctl_show_rib and the arrays srv6d.h lists. */
static void
rib_send(uint32_t ctl_id, struct ctl_show_rib *r, const struct rde_attrs *a)
{
	struct show_part	 parts[6];
	uint32_t		*asw;
	size_t			 nas;

	if ((asw = calloc(a->aspath->len / 2 + 1, sizeof(*asw))) == NULL)
		fatal("%s", __func__);
	nas = rib_aspath_words(a->aspath, asw);
	r->n_aspath = nas;
	parts[0] = (struct show_part){ r, sizeof(*r) };
	parts[1] = (struct show_part){ asw, 4 * nas };
	parts[2] = (struct show_part){ a->communities, 4 * a->n_communities };
	parts[3] = (struct show_part){ a->large_communities,
	    12 * (size_t)a->n_large_communities };
	parts[4] = (struct show_part){ a->ext_communities,
	    8 * (size_t)a->n_ext_communities };
	parts[5] = (struct show_part){ a->cluster_list, 4 * a->n_cluster };
	if (show_send_parts(IMSG_CTL_SHOW_RIB, ctl_id, parts, 6) == -1)
		fatal("%s: compose", __func__);
	free(asw);
}

/*
 * Whether the request wants prefix pfx of table t: its RD, then the
 * prefix asked for: more specifics with or-longer, else the longest
 * match (the exact prefix when it exists).  A VPN table without an RD is
 * walked for this: each RD's longest match.
 */
static bool
rib_prefix_wanted(const struct rib_dump *d, struct rde_table *t,
    struct rde_prefix *pfx)
{
	struct srv6d_prefix	p;
	uint8_t			key[RDE_KEY_MAX];
	rd_t			rd = rde_prefix_rd(pfx);

	if ((d->req.flags & RIB_REQ_RD) && rde_aid_vpn(t->aid) &&
	    rd != d->req.rd)
		return false;
	if (!(d->req.flags & RIB_REQ_PREFIX))
		return true;
	rde_prefix_get(pfx, &p);
	if (d->req.flags & RIB_REQ_LONGER)
		return p.len >= d->req.prefix.len &&
		    prefix_contains(&d->req.prefix, &p.addr);
	if (p.len > d->req.prefix.len ||
	    !prefix_contains(&p, &d->req.prefix.addr))
		return false;
	rde_key_make(t->aid, rd, &d->req.prefix, key);
	return rde_prefix_match(t, key, d->req.prefix.len) == pfx;
}

static bool
rib_path_wanted(const struct rib_dump *d, const struct rde_table *t,
    const struct rde_path *p, const struct rde_path *best)
{
	if (d->neighbor != NULL && p->peer != d->neighbor)
		return false;
	if ((d->req.flags & RIB_REQ_BEST) && p != best)
		return false;
	if (!(d->req.flags & RIB_REQ_IN) && (p->flags & PATH_F_DENIED))
		return false;
	/* in a VRF, an RD selects the paths imported from it */
	if ((d->req.flags & RIB_REQ_RD) && t->vrf != NULL &&
	    rde_path_src_rd(p) != d->req.rd)
		return false;
	return true;
}

/* The paths of one prefix the request asks for. */
static void
rib_dump_prefix(struct rde_table *t, struct rde_prefix *pfx, void *arg)
{
	struct rib_dump		*d = arg;
	struct rde_path		*p, *best = rde_prefix_best(pfx);
	struct rde_attrs	*a;
	struct ctl_show_rib	 r;
	struct srv6d_prefix	 sp;
	const char		*why;
	bool			 in = (d->req.flags & RIB_REQ_IN) != 0;

	if (!rib_prefix_wanted(d, t, pfx))
		return;
	rde_prefix_get(pfx, &sp);
	RDE_PATH_FOREACH(p, pfx) {
		if (!rib_path_wanted(d, t, p, best))
			continue;
		why = "";
		if (best != NULL && p != best)
			(void)rde_decide_cmp(best, p, &why);
		a = in ? rde_path_attrs_in(p) : p->attrs;
		rib_fill(&r, &sp, p->peer, a, rib_flags(t, p), p->lastchange,
		    why);
		rib_fill_vpn(&r, t->aid, t->vrf, t->vrf != NULL ?
		    rde_path_src_rd(p) : rde_prefix_rd(pfx), a);
		rib_local_sid(&r, t, pfx, p);
		rib_send(d->ctl_id, &r, a);
	}
}

static void
rib_dump_free(struct rib_dump *d, bool end)
{
	if (end)
		show_end(d->ctl_id);
	rde_walk_end(&d->walk);
	evtimer_del(&d->ev);
	TAILQ_REMOVE(&rib_dumps, d, entry);
	free(d);
}

static bool
rib_family_wanted(const struct rib_dump *d, enum rde_aid aid)
{
	if (d->req.afs != 0 && !(d->req.afs & rde_families[aid].afs))
		return false;
	if ((d->req.flags & RIB_REQ_PREFIX) &&
	    d->req.prefix.addr.af != rde_families[aid].af)
		return false;
	/* an RD selects VPN routes (or, in a VRF, imported paths) */
	if ((d->req.flags & RIB_REQ_RD) && !(d->req.flags & RIB_REQ_VRF) &&
	    !rde_aid_vpn(aid))
		return false;
	return true;
}

/*
 * The tables a dump visits: a VRF's Loc-RIBs (IPv4, then IPv6), or the
 * global tables in family order.  -1 when the VRF does not exist.
 */
static int
rib_dump_tables(struct rib_dump *d)
{
	struct rde_vrf	*v;
	int		 i, aid;

	if (d->req.flags & RIB_REQ_VRF) {
		d->req.vrf[sizeof(d->req.vrf) - 1] = '\0';
		if ((v = rde_vrf_find(&rde_vrfs, d->req.vrf)) == NULL)
			return -1;
		for (i = 0; i < 2; i++)
			if (v->tables[i] != NULL &&
			    rib_family_wanted(d, v->tables[i]->aid))
				d->tables[d->ntables++] = v->tables[i];
		return 0;
	}
	for (aid = 0; aid < AID_MAX; aid++)
		if (rib_family_wanted(d, aid))
			d->tables[d->ntables++] = &rde_tables[aid];
	return 0;
}

/*
 * An exact prefix (or its longest match) is looked up at once, except in
 * a VPN table without an RD: there every RD may hold one, so it is walked.
 */
static bool
rib_dump_lookup(struct rib_dump *d, struct rde_table *t)
{
	struct rde_prefix	*pfx;
	uint8_t			 key[RDE_KEY_MAX];

	if (!(d->req.flags & RIB_REQ_PREFIX) ||
	    (d->req.flags & RIB_REQ_LONGER) ||
	    (rde_aid_vpn(t->aid) && !(d->req.flags & RIB_REQ_RD)))
		return false;
	rde_key_make(t->aid, d->req.rd, &d->req.prefix, key);
	if ((pfx = rde_prefix_find(t, key, d->req.prefix.len)) == NULL ||
	    pfx->paths == NULL)
		pfx = rde_prefix_match(t, key, d->req.prefix.len);
	if (pfx != NULL)
		rib_dump_prefix(t, pfx, d);
	return true;
}

/*
 * A VRF dump between two turns: its tables must still be the VRF's.
 * rde_show_table_gone() ends such dumps before a table is freed; this
 * only catches a VRF that went without telling.
 */
static bool
rib_dump_vrf_intact(const struct rib_dump *d)
{
	struct rde_vrf	*v;
	int		 i;

	if (!(d->req.flags & RIB_REQ_VRF))
		return true;
	if ((v = rde_vrf_find(&rde_vrfs, d->req.vrf)) == NULL)
		return false;
	for (i = d->cur; i < d->ntables; i++)
		if (d->tables[i] != v->tables[0] &&
		    d->tables[i] != v->tables[1])
			return false;
	return true;
}

/* One turn of a dump: about RIB_DUMP_CHUNK prefixes, then yield. */
static void
rib_dump_run(int fd, short ev, void *arg)
{
	struct rib_dump	*d = arg;
	struct rde_table *t;
	struct timeval	 tv = { 0, 0 };

	(void)fd;
	(void)ev;
	if (!rib_dump_vrf_intact(d)) {
		log_warnx("show rib vrf %s: the vrf changed without notice",
		    d->req.vrf);
		d->walk.active = false;	/* its table is gone: do not touch */
		show_result(d->ctl_id, CTL_RES_FAILED, "vrf changed during "
		    "the dump: incomplete");
		rib_dump_free(d, true);
		return;
	}
	if (imsgbuf_queuelen(&rde_se_channel()->ibuf) > RIB_DUMP_QUEUE_MAX) {
		tv.tv_usec = 10000;	/* let the SE drain us first */
		evtimer_add(&d->ev, &tv);
		return;
	}
	while (d->cur < d->ntables) {
		t = d->tables[d->cur];
		if (!d->walk.active) {
			if (rib_dump_lookup(d, t)) {
				d->cur++;
				continue;
			}
			rde_walk_start(&d->walk, t);
		}
		if (rde_walk_step(&d->walk, RIB_DUMP_CHUNK, rib_dump_prefix,
		    d)) {
			evtimer_add(&d->ev, &tv);
			return;
		}
		d->cur++;
	}
	rib_dump_free(d, true);
}

static void
rib_dump_out_cb(rd_t rd, const struct srv6d_prefix *p, struct rde_attrs *a,
    void *arg)
{
	struct rib_dump		*d = arg;
	struct ctl_show_rib	 r;

	if ((d->req.flags & RIB_REQ_RD) && rd != d->req.rd)
		return;
	if ((d->req.flags & RIB_REQ_PREFIX) &&
	    (p->len < d->req.prefix.len ||
	    !prefix_contains(&d->req.prefix, &p->addr) ||
	    (!(d->req.flags & RIB_REQ_LONGER) && p->len != d->req.prefix.len)))
		return;
	/* what the neighbor gets: internal when it is an iBGP neighbor */
	rib_fill(&r, p, d->neighbor, a, RIB_F_ELIGIBLE |
	    (d->neighbor->ebgp ? 0 : RIB_F_INTERNAL), 0, "");
	rib_fill_vpn(&r, d->out_aid, NULL, rd, a);
	rib_send(d->ctl_id, &r, a);
}

/* The Adj-RIB-Out towards a neighbor, at once. */
static void
rib_dump_out(struct rib_dump *d)
{
	int	aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (!rib_family_wanted(d, aid))
			continue;
		d->out_aid = aid;
		rde_out_show_rd(d->neighbor, aid, rib_dump_out_cb, d);
	}
}

void
rde_show_rib(struct imsg *imsg)
{
	struct rib_dump	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("%s", __func__);
	if (imsg_get_data(imsg, &d->req, sizeof(d->req)) == -1)
		fatalx("bad show rib imsg from session engine");
	d->ctl_id = imsg->hdr.peerid;
	TAILQ_INSERT_TAIL(&rib_dumps, d, entry);
	evtimer_set(&d->ev, rib_dump_run, d);
	if ((d->req.flags & (RIB_REQ_NEIGHBOR | RIB_REQ_OUT)) &&
	    (d->neighbor = show_peer_by_addr(&d->req.neighbor)) == NULL) {
		show_result(d->ctl_id, CTL_RES_NOSUCH, "no such neighbor");
		rib_dump_free(d, true);
		return;
	}
	if (rib_dump_tables(d) == -1) {
		show_result(d->ctl_id, CTL_RES_NOSUCH, "no such vrf");
		rib_dump_free(d, true);
		return;
	}
	if (d->req.flags & RIB_REQ_OUT) {
		rib_dump_out(d);
		rib_dump_free(d, true);
		return;
	}
	rib_dump_run(-1, 0, d);
}

/* The client left: stop its dumps, without an END nobody reads. */
void
rde_show_terminate(struct imsg *imsg)
{
	struct rib_dump	*d, *next;
	struct sid_req	*r;

	TAILQ_FOREACH_SAFE(d, &rib_dumps, entry, next)
		if (d->ctl_id == imsg->hdr.peerid)
			rib_dump_free(d, false);
	while ((r = sid_req_find(imsg->hdr.peerid)) != NULL)
		sid_req_free(r);
}

void
rde_show_table_gone(struct rde_table *t)
{
	struct rib_dump	*d, *next;
	int		 i;

	TAILQ_FOREACH_SAFE(d, &rib_dumps, entry, next) {
		for (i = d->cur; i < d->ntables; i++)
			if (d->tables[i] == t)
				break;
		if (i == d->ntables)
			continue;
		show_result(d->ctl_id, CTL_RES_FAILED, "vrf changed during "
		    "the dump: incomplete");
		rib_dump_free(d, true);
	}
}

void
rde_show_shutdown(void)
{
	struct rib_dump	*d;

	struct sid_req	*r;

	while ((d = TAILQ_FIRST(&rib_dumps)) != NULL)
		rib_dump_free(d, false);
	while ((r = TAILQ_FIRST(&sid_reqs)) != NULL)
		sid_req_free(r);
}

/* ------------------------------------------------------------------ */
/* show sid, show vrf, show locator                                    */

/* The family a local SID decapsulates into (RFC 8986 §4.4-§4.8). */
static uint8_t
show_sid_af(uint16_t behavior)
{
	switch (behavior) {
	case SRV6_BEHAVIOR_END_DT4:
	case SRV6_BEHAVIOR_END_DX4:
	case SRV6_BEHAVIOR_UDT4:
	case SRV6_BEHAVIOR_UDX4:
		return AF_INET;
	case SRV6_BEHAVIOR_END_DT6:
	case SRV6_BEHAVIOR_END_DX6:
	case SRV6_BEHAVIOR_UDT6:
	case SRV6_BEHAVIOR_UDX6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

static void
show_sid_fill(struct ctl_show_sid *s, const struct rde_sid *sid,
    uint16_t behavior, uint32_t table)
{
	memset(s, 0, sizeof(*s));
	s->sid = sid->sid;
	strlcpy(s->vrf, sid->key.vrf, sizeof(s->vrf));
	strlcpy(s->locator, sid->locator, sizeof(s->locator));
	s->behavior = behavior;
	s->af = show_sid_af(behavior);
	s->table = table;
	if (sid->key.nh_af == AF_INET) {
		s->nh.af = AF_INET;
		memcpy(&s->nh.v4, sid->key.nh, sizeof(s->nh.v4));
	} else if (sid->key.nh_af == AF_INET6) {
		s->nh.af = AF_INET6;
		memcpy(&s->nh.v6, sid->key.nh, sizeof(s->nh.v6));
	}
	s->routes = sid->routes;
	/* the kernel's counters live in the parent (show sid) */
}

/*
 * show sid asks the parent for the kernel's counters of every local SID
 * (IMSG_FIB_COUNTERS, peerid = the client) once per command, never per
 * SID, and answers when they come.  The parent answers requests in
 * order, so a reply is for the first request of its client still here.
 */
struct sid_req {
	TAILQ_ENTRY(sid_req)	 entry;
	uint32_t		 ctl_id;
	struct fib_sid_counter	*c;	/* sorted by SID once complete */
	size_t			 n;
	size_t			 cap;
};

static void
sid_req_free(struct sid_req *r)
{
	TAILQ_REMOVE(&sid_reqs, r, entry);
	free(r->c);
	free(r);
}

static struct sid_req *
sid_req_find(uint32_t ctl_id)
{
	struct sid_req	*r;

	TAILQ_FOREACH(r, &sid_reqs, entry)
		if (r->ctl_id == ctl_id)
			return r;
	return NULL;
}

static int
sid_counter_cmp(const void *a, const void *b)
{
	const struct fib_sid_counter	*x = a, *y = b;

	return memcmp(&x->sid, &y->sid, sizeof(x->sid));
}

static void
show_sid_cb(const struct rde_sid *sid, uint16_t behavior, uint32_t table,
    void *arg)
{
	struct sid_req		*r = arg;
	struct fib_sid_counter	 key, *k = NULL;
	struct ctl_show_sid	 s;

	show_sid_fill(&s, sid, behavior, table);
	key.sid = sid->sid;
	if (r->n > 0)
		k = bsearch(&key, r->c, r->n, sizeof(*r->c), sid_counter_cmp);
	if (k != NULL) {
		s.has_counters = 1;
		s.packets = k->packets;
		s.bytes = k->bytes;
		s.errors = k->errors;
	}
	rde_se_compose(IMSG_CTL_SHOW_SID, r->ctl_id, &s, sizeof(s));
}

/* Request: empty.  Replies once the parent sent the counters. */
void
rde_show_sid(struct imsg *imsg)
{
	struct sid_req	*r;

	if (imsg_get_len(imsg) != 0)
		fatalx("bad show sid imsg from session engine");
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->ctl_id = imsg->hdr.peerid;
	TAILQ_INSERT_TAIL(&sid_reqs, r, entry);
	if (imsgev_compose(rde_parent_channel(), IMSG_FIB_COUNTERS, r->ctl_id,
	    0, -1, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

static void
show_sid_counters_add(struct sid_req *r, const void *data, size_t n)
{
	struct fib_sid_counter	*nc;
	size_t			 cap = r->cap;

	while (r->n + n > cap)
		cap = cap ? cap * 2 : n;
	if (cap != r->cap) {
		if ((nc = reallocarray(r->c, cap, sizeof(*nc))) == NULL)
			fatal("%s", __func__);
		r->c = nc;
		r->cap = cap;
	}
	memcpy(r->c + r->n, data, n * sizeof(*r->c));
	r->n += n;
}

/*
 * IMSG_FIB_COUNTERS from the parent: a chunk of records, or the empty
 * message that ends them; then one reply per local SID, and END.  A
 * client that left meanwhile has no request left: dropped.
 */
void
rde_show_sid_counters(struct imsg *imsg)
{
	struct sid_req	*r;
	size_t		 len = imsg_get_len(imsg);

	if (len % sizeof(struct fib_sid_counter) != 0)
		fatalx("bad fib counters imsg from parent");
	if ((r = sid_req_find(imsg->hdr.peerid)) == NULL) {
		log_debug("show sid: counters for gone client %u dropped",
		    imsg->hdr.peerid);
		return;
	}
	if (len > 0) {
		show_sid_counters_add(r, ibuf_data(&imsg->buf),
		    len / sizeof(struct fib_sid_counter));
		return;
	}
	if (r->n > 1)
		qsort(r->c, r->n, sizeof(*r->c), sid_counter_cmp);
	rde_sid_foreach(NULL, show_sid_cb, r);
	show_end(r->ctl_id);
	sid_req_free(r);
}

/* A VRF's SIDs, gathered for its show vrf reply. */
struct show_sids {
	struct ctl_show_sid	*v;
	size_t			 n;
	size_t			 cap;
};

static void
show_vrf_sid_cb(const struct rde_sid *sid, uint16_t behavior,
    uint32_t table, void *arg)
{
	struct show_sids	*ss = arg;
	struct ctl_show_sid	*nv;

	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 4;
		if ((nv = reallocarray(ss->v, ss->cap, sizeof(*nv))) == NULL)
			fatal("%s", __func__);
		ss->v = nv;
	}
	show_sid_fill(&ss->v[ss->n++], sid, behavior, table);
}

static void
show_vrf_fixed(struct ctl_show_vrf *sv, const struct rde_vrf *v,
    size_t n_sids)
{
	const struct vrf_config	*vc = v->conf;
	int			 i;

	memset(sv, 0, sizeof(*sv));
	strlcpy(sv->name, v->name, sizeof(sv->name));
	sv->table = vc->table;
	sv->rd = vc->rd;
	sv->sid_mode = vc->sid_mode;
	sv->net_flags = vc->net_flags;
	sv->sid = vc->sid;
	strlcpy(sv->locator, vc->locator, sizeof(sv->locator));
	strlcpy(sv->kernel_mode, kernel_mode_name(rde_kernel_mode), sizeof(sv->kernel_mode));
	sv->n_import = vc->n_import_rt;
	sv->n_export = vc->n_export_rt;
	sv->n_ifaces = vc->n_ifaces;
	sv->n_networks = vc->n_networks;
	sv->n_sids = n_sids;
	for (i = 0; i < 2; i++)
		if (v->tables[i] != NULL)
			*(i == 0 ? &sv->routes4 : &sv->routes6) =
			    v->tables[i]->count;
	sv->imported = v->imported;
	sv->exported = v->exported;
}

/*
 * One IMSG_CTL_SHOW_VRF reply: the fixed part, then the arrays in the
 * order struct ctl_show_vrf documents.  -1 when it cannot be sent.
 */
static int
show_vrf_reply(uint32_t ctl_id, const struct rde_vrf *v)
{
	const struct vrf_config	*vc = v->conf;
	struct ctl_show_vrf	 sv;
	struct show_sids	 ss = { NULL, 0, 0 };
	struct show_part	 parts[6];
	int			 rv = -1;

	rde_sid_foreach(v, show_vrf_sid_cb, &ss);
	if (vc->n_import_rt > UINT16_MAX || vc->n_export_rt > UINT16_MAX ||
	    vc->n_ifaces > UINT16_MAX || vc->n_networks > UINT16_MAX ||
	    ss.n > UINT16_MAX)
		goto done;
	show_vrf_fixed(&sv, v, ss.n);
	parts[0] = (struct show_part){ &sv, sizeof(sv) };
	parts[1] = (struct show_part){ vc->import_rt,
	    vc->n_import_rt * sizeof(ext_community_t) };
	parts[2] = (struct show_part){ vc->export_rt,
	    vc->n_export_rt * sizeof(ext_community_t) };
	parts[3] = (struct show_part){ vc->ifaces, vc->n_ifaces * IFNAMSIZ };
	parts[4] = (struct show_part){ vc->networks,
	    vc->n_networks * sizeof(struct srv6d_prefix) };
	parts[5] = (struct show_part){ ss.v, ss.n * sizeof(*ss.v) };
	rv = show_send_parts(IMSG_CTL_SHOW_VRF, ctl_id, parts, 6);
 done:
	free(ss.v);
	return rv;
}

/* Request: empty (every VRF) or a NUL-terminated name (checked by SE). */
void
rde_show_vrf(struct imsg *imsg)
{
	char		 name[VRF_NAME_LEN] = "";
	size_t		 len = imsg_get_len(imsg);
	uint32_t	 ctl_id = imsg->hdr.peerid;
	struct rde_vrf	*v;
	bool		 found = false;

	if (len > 0 && (len > sizeof(name) ||
	    imsg_get_data(imsg, name, len) == -1 || name[len - 1] != '\0'))
		fatalx("bad show vrf imsg from session engine");
	RB_FOREACH(v, rde_vrf_tree, &rde_vrfs) {
		if (name[0] != '\0' && strcmp(name, v->name) != 0)
			continue;
		found = true;
		if (show_vrf_reply(ctl_id, v) == -1) {
			log_warn("show vrf %s", v->name);
			show_result(ctl_id, CTL_RES_FAILED,
			    "vrf reply too large");
		}
	}
	if (name[0] != '\0' && !found)
		show_result(ctl_id, CTL_RES_NOSUCH, "no such vrf");
	show_end(ctl_id);
}

/* Request: empty.  One reply per configured locator, then END. */
void
rde_show_locator(struct imsg *imsg)
{
	const struct locator_config	*lc;
	struct ctl_show_locator		 sl;
	uint32_t			 ctl_id = imsg->hdr.peerid;
	size_t				 i;

	if (imsg_get_len(imsg) != 0)
		fatalx("bad show locator imsg from session engine");
	for (i = 0; rde_conf != NULL && i < rde_conf->n_locators; i++) {
		lc = &rde_conf->locators[i];
		memset(&sl, 0, sizeof(sl));
		strlcpy(sl.name, lc->name, sizeof(sl.name));
		sl.prefix = lc->prefix;
		sl.block_len = lc->block_len;
		sl.node_len = lc->node_len;
		sl.func_len = lc->func_len;
		sl.arg_len = lc->arg_len;
		sl.announce = lc->announce;
		sl.n_sids = rde_locator_sids(lc->name);
		rde_se_compose(IMSG_CTL_SHOW_LOCATOR, ctl_id, &sl, sizeof(sl));
	}
	show_end(ctl_id);
}
