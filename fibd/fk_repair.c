/*
 * fk_repair.c: put back what the kernel removed on its own.
 *
 * A device that goes down or away takes along, without a notification
 * for each: the nexthop objects on it and every route through them, the
 * seg6local SIDs hung on it, and the routes through it (table mode's
 * connected copies, End.DX4's host routes, per-route encapsulations,
 * fib-update routes via a gateway on it).  srv6d still holds them all,
 * so once link changes settle (a short timer) the kernel is read back and
 * what is missing is sent again: a flap costs messages only for what the
 * flap removed, except where nothing tells which routes went (per-route
 * encapsulations, fib-update routes), which are all sent again (replace)
 * after a device went down or away (and per-route encapsulations after
 * one came up too, to move them back to the device towards their SID).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>

#include "fk.h"
#include "log.h"

#define REPAIR_DELAY_USEC	200000

static struct event	repair_ev;
static bool		repair_armed;
static int		repair_why;	/* FK_REPAIR_* since the last one */

/* Ids, or SIDs, that the kernel holds: a growing array. */
struct present {
	void		*v;
	size_t		 n, cap, size;
};

static void
present_add(struct present *p, const void *x)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		if ((p->v = reallocarray(p->v, p->cap, p->size)) == NULL)
			fatal("%s", __func__);
	}
	memcpy((char *)p->v + p->n++ * p->size, x, p->size);
}

static bool
present_has(const struct present *p, const void *x)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (memcmp((char *)p->v + i * p->size, x, p->size) == 0)
			return true;
	return false;
}

static int
nexthop_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_nexthop	nh;

	if (nl_nexthop_parse(nlh, &nh) == 0 && nh.protocol == RTPROT_SRV6D)
		present_add(arg, &nh.id);
	return 0;
}

static int
sid_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_route	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	if (nl_route_parse(nlh, r) == 0 && r->protocol == RTPROT_SRV6D &&
	    r->dst.len == 128 && r->npaths == 1 &&
	    r->paths[0].encap_type == LWTUNNEL_ENCAP_SEG6_LOCAL)
		present_add(arg, &r->dst.addr.v6);
	free(r);
	return 0;
}

struct repair_count {
	size_t		 routes;
	bool		 all;		/* every route again */
	bool		 plain;		/* every fib-update route again */
};

static void
route_cb(const struct fib_route *r, const struct fib_nexthop *nh, void *arg)
{
	struct repair_count	*c = arg;
	bool			 plain = r->n_nexthops > 0 &&
				    IN6_IS_ADDR_UNSPECIFIED(&nh[0].sid);

	if (!c->all && !(c->plain && plain) && !fk_paths_lost(r, nh))
		return;
	fk_route(r, nh, r, nh);		/* itself replaced: no count moves */
	c->routes++;
}

struct sid_repair {
	const struct present	*have;		/* the SIDs the kernel holds */
	size_t			 sent;
};

static void
sid_repair_cb(const struct fib_sid *s, void *arg)
{
	struct sid_repair	*a = arg;

	if (!present_has(a->have, &s->sid)) {
		fk_sid_install(s);
		a->sent++;
	} else
		fk_sid_dx4_host(s, RTM_NEWROUTE);	/* a replace, if held */
}

/* Table mode: the connected copies of the members that are up. */
static void
repair_connected(void)
{
	const struct vrf_config	*v;
	const struct fk_link	*l;
	struct fk_addr		*a;

	if (fk.mode != KERNEL_MODE_TABLE)
		return;
	RB_FOREACH(a, fk_addr_tree, &fk_addrs) {
		if ((l = fk_link_by_index(a->ifindex)) == NULL || !l->up ||
		    (v = fk_vrf_of_iface(l->name)) == NULL)
			continue;
		if (a->prefix.addr.af == AF_INET6 &&
		    IN6_IS_ADDR_LINKLOCAL(&a->prefix.addr.v6))
			continue;
		fk_conn_route(a, v->table, true);
	}
}

static void
repair(int fd, short ev, void *arg)
{
	struct present		 ids = { .size = sizeof(uint32_t) };
	struct present		 sids = { .size = sizeof(struct in6_addr) };
	struct repair_count	 c = { 0 };
	struct sid_repair	 missing = { &sids, 0 };
	size_t			 nhs = 0;

	(void)fd;
	(void)ev;
	(void)arg;
	repair_armed = false;
	if (!fk.up)
		return;
	if (!fk.per_route) {
		fk_dump_all(RTM_GETNEXTHOP, AF_UNSPEC, nexthop_cb, &ids);
		nhs = fk_nh_restore(ids.v, ids.n);
	}
	/* per-route encapsulations name their device: after any loss or
	 * gain, all of them again (a loss removed some, a gain may be a
	 * better device) */
	c.all = fk.per_route && repair_why != FK_REPAIR_ROUTING;
	c.plain = (repair_why & FK_REPAIR_LOSS) != 0;
	if (nhs > 0 || c.all || c.plain)
		fib_walk_routes(route_cb, &c);
	fk_nh_lost_clear();
	/* only a device's loss or gain touches SIDs and connected copies */
	if (repair_why != FK_REPAIR_ROUTING) {
		fk_dump_ours(AF_INET6, RT_TABLE_MAIN, sid_cb, &sids);
		fib_walk_sids(sid_repair_cb, &missing);
		repair_connected();
	}
	repair_why = FK_REPAIR_ROUTING;
	nl_flush(fk.conn);
	if (nhs > 0 || c.routes > 0 || missing.sent > 0)
		log_info("fib: after link changes, put back what the kernel "
		    "removed: %zu nexthop objects, %zu routes, %zu SIDs", nhs,
		    c.routes, missing.sent);
	free(ids.v);
	free(sids.v);
}

void
fk_repair_init(void)
{
	evtimer_set(&repair_ev, repair, NULL);
	repair_armed = false;
	repair_why = FK_REPAIR_ROUTING;
}

/* Links or the routing changed (why: FK_REPAIR_*): repair soon, once. */
void
fk_repair_schedule(int why)
{
	struct timeval	tv = { 0, REPAIR_DELAY_USEC };

	repair_why |= why;
	if (repair_armed || !fk.up)
		return;
	repair_armed = true;
	evtimer_add(&repair_ev, &tv);
}

void
fk_repair_stop(void)
{
	if (repair_armed)
		evtimer_del(&repair_ev);
	repair_armed = false;
}
