/*
 * fk_monitor.c: the kernel's notifications and scans for fib_kernel.c.
 *
 * Links and addresses are always followed (liveness of the nexthop
 * objects' devices, members appearing, table mode's connected routes).
 * The monitor reports to the RDE the routes it may export: in VRF mode
 * the routes of the VRFs' tables (connected ones from the kernel, others
 * as kernel routes), in table mode the subnets of the member interfaces'
 * addresses as connected routes and the other routes of the VRF tables
 * as kernel routes; srv6d's own routes never.  Lost notifications are
 * made good by a scan of the kernel.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <string.h>

#include <linux/rtnetlink.h>

#include "fk.h"
#include "log.h"

void
fk_kroute_report(uint8_t op, uint8_t type, uint32_t table,
    const struct srv6d_prefix *dst, const struct srv6d_addr *gw,
    uint32_t ifindex)
{
	struct kroute	k;

	if (fk.kroute_out == NULL)
		return;
	memset(&k, 0, sizeof(k));
	k.op = op;
	k.type = type;
	k.table = table;
	k.dst = *dst;
	prefix_mask(&k.dst);
	if (gw != NULL)
		k.gateway = *gw;
	k.ifindex = ifindex;
	if (fib_batch_add_kroute(&fk.kroutes, &k) == -1)
		log_warn("fib: kernel route %s not reported", prefix2str(dst));
}

static void
route_notify(const struct nlmsghdr *nlh)
{
	struct nl_route		 r;
	const struct vrf_config	*v;
	uint8_t			 type;

	if (nl_route_parse(nlh, &r) == -1 || r.protocol == RTPROT_SRV6D ||
	    r.type != RTN_UNICAST)
		return;
	if (r.table == RT_TABLE_MAIN) {
		fk_repair_schedule(FK_REPAIR_ROUTING);
		return;
	}
	if ((v = fk_vrf_by_table(r.table)) == NULL)
		return;
	/* VRF mode: the kernel's own routes are the connected ones */
	type = r.protocol == RTPROT_KERNEL ? KROUTE_CONNECTED : KROUTE_KERNEL;
	if (r.family == AF_INET6 && r.dst.len == 64 &&
	    IN6_IS_ADDR_LINKLOCAL(&r.dst.addr.v6))
		return;
	fk_kroute_report(nlh->nlmsg_type == RTM_NEWROUTE ? FIB_ADD : FIB_DEL,
	    type, r.table, &r.dst, r.npaths > 0 && r.paths[0].gateway.af !=
	    AF_UNSPEC ? &r.paths[0].gateway : NULL,
	    r.npaths > 0 ? r.paths[0].oif : 0);
}

static void
fk_notify(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link	l;
	struct nl_addr	a;

	(void)arg;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nl_link_parse(nlh, &l) == 0)
			fk_link_update(&l, nlh->nlmsg_type == RTM_NEWLINK);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (nl_addr_parse(nlh, &a) == 0)
			fk_addr_update(&a, nlh->nlmsg_type == RTM_NEWADDR);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		route_notify(nlh);
		break;
	}
	fib_batch_flush(&fk.kroutes);
	nl_flush(fk.conn);
}

static int
dump_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link	l;

	(void)arg;
	if (nl_link_parse(nlh, &l) == 0)
		fk_link_update(&l, true);
	return 0;
}

static int
dump_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_addr	a;

	(void)arg;
	if (nl_addr_parse(nlh, &a) == 0)
		fk_addr_update(&a, true);
	return 0;
}

static int
dump_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	route_notify(nlh);
	return 0;
}

/*
 * Links, addresses and the VRF tables' routes, reported again from a
 * dump (start, a reload, or notifications lost).  The RDE keeps what it
 * was told by table and prefix, so telling it again changes nothing.
 */
void
fk_kernel_scan(void)
{
	struct fk_addr	*a;

	fk_dump_all(RTM_GETLINK, AF_UNSPEC, dump_link_cb, NULL);
	/* addresses may belong to VRFs now: report them all again */
	RB_FOREACH(a, fk_addr_tree, &fk_addrs)
		fk_addr_report(a, FIB_ADD);
	fk_dump_all(RTM_GETADDR, AF_INET, dump_addr_cb, NULL);
	fk_dump_all(RTM_GETADDR, AF_INET6, dump_addr_cb, NULL);
	fk_dump_all(RTM_GETROUTE, AF_INET, dump_route_cb, NULL);
	fk_dump_all(RTM_GETROUTE, AF_INET6, dump_route_cb, NULL);
	fib_batch_flush(&fk.kroutes);
}

static void
fk_resync(void *arg)
{
	(void)arg;
	log_warnx("fib: kernel notifications lost: scanning again");
	fk.st.resyncs++;
	fk_kernel_scan();
	fk_repair_schedule(FK_REPAIR_LOSS | FK_REPAIR_GAIN);
}

void
fk_kernel_scan_links(void)
{
	fk_dump_all(RTM_GETLINK, AF_UNSPEC, dump_link_cb, NULL);
}

/*
 * Does some VRF want the routes of its kernel table (`network kernel',
 * or `network connected' where the kernel puts them there, VRF mode)?
 * Only then does the monitor join the route groups: for every route the
 * kernel builds a notification for each listener before any filter
 * drops it, which costs a million installs a good share of their time.
 * Links and addresses are always followed (liveness of the nexthop
 * objects' devices, members appearing, table mode's connected routes).
 */
bool
fk_monitor_wants_routes(const struct srv6d_config *conf)
{
	const struct vrf_config	*v;

	if (conf == NULL)
		return false;
	TAILQ_FOREACH(v, &conf->vrfs, entry)
		if ((v->net_flags & VRF_NET_KERNEL) ||
		    ((v->net_flags & VRF_NET_CONNECTED) &&
		    fk.mode == KERNEL_MODE_VRF))
			return true;
	return false;
}

int
fk_monitor_open(void)
{
	unsigned int	groups[5];
	size_t		n = 0;

	groups[n++] = RTNLGRP_LINK;
	groups[n++] = RTNLGRP_IPV4_IFADDR;
	groups[n++] = RTNLGRP_IPV6_IFADDR;
	if ((fk.mon_routes = fk_monitor_wants_routes(fk.conf))) {
		groups[n++] = RTNLGRP_IPV4_ROUTE;
		groups[n++] = RTNLGRP_IPV6_ROUTE;
	}
	if ((fk.mon = nl_monitor_open(groups, n, 0, fk_notify, fk_resync,
	    NULL)) == NULL) {
		log_warn("fib: netlink monitor");
		return -1;
	}
	/* our own changes need no report */
	if (nl_monitor_ignore_proto(fk.mon, RTPROT_SRV6D) == -1)
		log_warn("fib: monitor filter");
	return 0;
}
