/*
 * fk_reconcile.c: start-up reconciliation for fib_kernel.c.
 *
 * What an earlier run left (routes, SIDs, rules, nexthop objects with our
 * protocol) is read first and kept while the RDE relearns its routes; a
 * route the RDE wants again exactly as it is installed is adopted without
 * a message, so a restart removes and re-adds nothing.  When the RDE has
 * its initial routes (fk_synced) or the sync timeout fires, what nobody
 * wanted again is removed.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <event.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>

#include "fk.h"
#include "log.h"

struct fk_old *
fk_old_find(uint32_t table, const struct srv6d_prefix *dst)
{
	struct fk_old	key;

	memset(&key, 0, sizeof(key));
	key.table = table;
	key.dst = *dst;
	return RB_FIND(fk_old_tree, &fk_olds, &key);
}

void
fk_old_remove(struct fk_old *o)
{
	RB_REMOVE(fk_old_tree, &fk_olds, o);
	free(o);
}

/*
 * Is the route installed exactly as wanted (by an earlier run)?  Then it
 * is adopted: no message, no flap.
 */
bool
fk_old_adopt_route(uint32_t table, const struct srv6d_prefix *dst,
    uint32_t nh_id, const struct srv6d_addr *gw, uint32_t oif)
{
	struct fk_old	*o;
	bool		 same;

	if ((o = fk_old_find(table, dst)) == NULL)
		return false;
	/* by nexthop object, or by gateway and (oif != 0) device */
	same = !o->is_sid && o->nh_id == nh_id && (nh_id != 0 ||
	    (addr_cmp(&o->gateway, gw) == 0 && (oif == 0 || o->oif == oif)));
	fk_old_remove(o);
	return same;
}

/* A connected copy (fk_conn_route) left by an earlier run, as wanted? */
bool
fk_old_adopt_conn(uint32_t table, const struct srv6d_prefix *dst, uint32_t oif)
{
	struct srv6d_addr	none;

	memset(&none, 0, sizeof(none));
	return fk_old_adopt_route(table, dst, 0, &none, oif);
}

static int
old_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_route	 r;
	struct fk_old	*o;

	(void)arg;
	if (nl_route_parse(nlh, &r) == -1 || r.protocol != RTPROT_SRV6D)
		return 0;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		fatal("%s", __func__);
	o->table = r.table;
	o->dst = r.dst;
	o->nh_id = r.nh_id;
	o->type = r.type;
	o->priority = r.priority;
	if (r.npaths > 0) {
		o->oif = r.paths[0].oif;
		o->gateway = r.paths[0].gateway;
		if (r.paths[0].encap_type == LWTUNNEL_ENCAP_SEG6_LOCAL) {
			o->is_sid = true;
			o->sl = r.paths[0].seg6local;
		}
	}
	if (RB_INSERT(fk_old_tree, &fk_olds, o) != NULL)
		free(o);	/* ECMP duplicates: one entry is enough */
	return 0;
}

/* A nexthop object of ours from an earlier run: adopt it by its SID. */
static int
old_nexthop_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_nexthop	 nh;
	struct fk_nh		*n;

	(void)arg;
	if (nl_nexthop_parse(nlh, &nh) == -1 || nh.protocol != RTPROT_SRV6D)
		return 0;
	if (nh.id >= fk.next_id)
		fk.next_id = nh.id + 1;
	if (nh.ngroup > 0 || nh.encap_type != LWTUNNEL_ENCAP_SEG6 ||
	    nh.seg6.nsegs != 1 || fk_nh_find(&nh.seg6.segs[0]) != NULL) {
		fk_nh_delete(nh.id);	/* groups are made again */
		return 0;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		fatal("%s", __func__);
	n->sid = nh.seg6.segs[0];
	n->id = nh.id;
	n->oif = nh.oif;
	n->adopted = true;
	RB_INSERT(fk_nh_tree, &fk_nhs, n);
	return 0;
}

static int
old_rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fk_rule	*r;
	struct nl_rule	 nr;

	(void)arg;
	if (nl_rule_parse(nlh, &nr) == -1 || nr.protocol != RTPROT_SRV6D)
		return 0;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->r = nr;
	TAILQ_INSERT_TAIL(&fk_rules, r, entry);
	return 0;
}

static void
old_delete(struct fk_old *o)
{
	char	what[96];

	snprintf(what, sizeof(what), "delete stale %s %s table %u",
	    o->is_sid ? "SID" : "route", prefix2str(&o->dst), o->table);
	fk_send(fk_route_key_msg(RTM_DELROUTE, o->table, &o->dst, 0, o->type,
	    o->priority), what);
	fk.st.stale_removed++;
}

/* The RDE has its initial routes, or it took too long: clean up. */
static void
reconcile(void)
{
	struct fk_old	*o;
	struct fk_nh	*n, *nn;
	size_t		 count = 0;

	if (!fk.syncing)
		return;
	fk.syncing = false;
	evtimer_del(&fk.sync_ev);
	while ((o = RB_ROOT(&fk_olds)) != NULL) {
		old_delete(o);
		fk_old_remove(o);
		count++;
	}
	RB_FOREACH_SAFE(n, fk_nh_tree, &fk_nhs, nn)
		if (n->refs == 0) {
			fk_nh_delete(n->id);
			RB_REMOVE(fk_nh_tree, &fk_nhs, n);
			free(n);
		}
	nl_flush(fk.conn);
	log_info("fib: reconciled: %zu stale routes and SIDs removed", count);
}

void
fk_sync_timeout(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	log_info("fib: initial routes not complete after the sync timeout");
	reconcile();
}

void
fk_synced(void)
{
	if (fk.up)
		reconcile();
}

/*
 * What an earlier run left: nexthops first (routes point to them), then
 * our routes and rules.
 */
void
fk_old_scan(void)
{
	fk_dump_all(RTM_GETNEXTHOP, AF_UNSPEC, old_nexthop_cb, NULL);
	fk_dump_ours(AF_INET, 0, old_route_cb, NULL);
	fk_dump_ours(AF_INET6, 0, old_route_cb, NULL);
	fk_dump_all(RTM_GETRULE, AF_INET, old_rule_cb, NULL);
	fk_dump_all(RTM_GETRULE, AF_INET6, old_rule_cb, NULL);
	if (!RB_EMPTY(&fk_olds) || !RB_EMPTY(&fk_nhs))
		log_info("fib: found %s routes of an earlier run: kept until "
		    "the initial routes are in", RB_EMPTY(&fk_olds) ? "no" :
		    "installed");
}
