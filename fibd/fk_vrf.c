/*
 * fk_vrf.c: links, addresses and VRFs for fib_kernel.c.
 *
 * The links and addresses the kernel has (a dump at start, then the
 * monitor) tell where SID routes and nexthop objects can hang and which
 * member interfaces a VRF has.  A VRF is a VRF device (VRF mode) or
 * `ip rule iif IF lookup TABLE' per member interface (table mode); in
 * table mode the members' subnets are also copied into the VRF's table.
 * Here too: the fk_sysctls srv6d needs and the encapsulation source.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_genl.h>

#include "fk.h"
#include "log.h"

/* linux/if.h's, which clashes with net/if.h (driver signals L1 up) */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

static void	vrf_link_appeared(const struct fk_link *);
static void	sysctl_set(const char *, const char *);
static void	member_rp_filter(const char *);

/* ------------------------------------------------------------------ */
/* links and addresses                                                 */

struct fk_link *
fk_link_by_name(const char *name)
{
	struct fk_link	*l;

	RB_FOREACH(l, fk_link_tree, &fk_links)
		if (strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

struct fk_link *
fk_link_by_index(uint32_t ifindex)
{
	struct fk_link	key;

	key.ifindex = ifindex;
	return RB_FIND(fk_link_tree, &fk_links, &key);
}

/* Some interface that is up and not the loopback (a seg6local oif). */
uint32_t
fk_link_any(void)
{
	struct fk_link	*l;

	/* with a carrier first: the kernel keeps nothing on one without */
	RB_FOREACH(l, fk_link_tree, &fk_links)
		if (l->up && l->carrier && !l->loopback &&
		    strcmp(l->kind, "vrf") != 0)
			return l->ifindex;
	RB_FOREACH(l, fk_link_tree, &fk_links)
		if (l->up && !l->loopback && strcmp(l->kind, "vrf") != 0)
			return l->ifindex;
	RB_FOREACH(l, fk_link_tree, &fk_links)
		if (!l->loopback)
			return l->ifindex;
	return 0;
}

const struct vrf_config *
fk_vrf_of_iface(const char *name)
{
	const struct vrf_config	*v;
	size_t			 i;

	if (fk.conf == NULL)
		return NULL;
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
		for (i = 0; i < v->n_ifaces; i++)
			if (strcmp(v->ifaces[i], name) == 0)
				return v;
	return NULL;
}

const struct vrf_config *
fk_vrf_by_name(const char *name)
{
	return fk.conf != NULL ? config_find_vrf(fk.conf, name) : NULL;
}

const struct vrf_config *
fk_vrf_by_table(uint32_t table)
{
	const struct vrf_config	*v;

	if (fk.conf == NULL)
		return NULL;
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry)
		if (v->table == table)
			return v;
	return NULL;
}

/*
 * Table mode: the kernel puts a member interface's subnet in the main
 * table only, but End.DT6 looks up the VRF's table alone and the VRF's
 * rules send its traffic there: srv6d copies the subnet into the VRF
 * table (`PREFIX dev IF table T proto 201 scope link').
 */
void
fk_conn_route(const struct fk_addr *a, uint32_t table, bool add)
{
	struct nl_route		*r;
	struct srv6d_prefix	 dst = a->prefix;

	prefix_mask(&dst);
	if (add && fk.syncing && fk_old_adopt_conn(table, &dst, a->ifindex))
		return;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_init(r, &dst, table);
	r->scope = RT_SCOPE_LINK;
	r->npaths = 1;
	r->paths[0].oif = a->ifindex;
	/* gone already if its link went down or away: fine */
	fk_send_ok(nl_route_msg(fk.buf, sizeof(fk.buf), add ? RTM_NEWROUTE :
	    RTM_DELROUTE, add ? NL_F_NEW : NL_F_DEL, r), NULL,
	    add ? 0 : ESRCH);
	free(r);
}

/*
 * Table mode: an address on a member interface is a connected route of
 * its VRF, for the RDE (`network connected') and for the VRF's table.
 */
void
fk_addr_report(const struct fk_addr *a, uint8_t op)
{
	const struct fk_link	*l;
	const struct vrf_config	*v;

	if (fk.mode != KERNEL_MODE_TABLE ||
	    (l = fk_link_by_index(a->ifindex)) == NULL || !l->up ||
	    (v = fk_vrf_of_iface(l->name)) == NULL)
		return;		/* a member that is down reported them gone */
	if (a->prefix.addr.af == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&a->prefix.addr.v6))
		return;
	fk_kroute_report(op, KROUTE_CONNECTED, v->table, &a->prefix, NULL,
	    a->ifindex);
	if (fk.up)
		fk_conn_route(a, v->table, op == FIB_ADD);
}

/* Every address of link l reported with op (it went up or down). */
static void
link_addrs_report(const struct fk_link *l, uint8_t op)
{
	struct fk_addr	*a;

	RB_FOREACH(a, fk_addr_tree, &fk_addrs)
		if (a->ifindex == l->ifindex)
			fk_addr_report(a, op);
}

void
fk_addr_update(const struct nl_addr *na, bool add)
{
	struct fk_addr	 key, *a;

	memset(&key, 0, sizeof(key));
	key.ifindex = na->ifindex;
	key.prefix = na->prefix;
	a = RB_FIND(fk_addr_tree, &fk_addrs, &key);
	if (add && a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			fatal("%s", __func__);
		*a = key;
		RB_INSERT(fk_addr_tree, &fk_addrs, a);
		fk_addr_report(a, FIB_ADD);
	} else if (!add && a != NULL) {
		fk_addr_report(a, FIB_DEL);
		RB_REMOVE(fk_addr_tree, &fk_addrs, a);
		free(a);
	}
}

/* The member interface (ifindex) whose IPv4 subnet holds nh, or 0. */
uint32_t
fk_addr_subnet_of(const struct in_addr *nh, bool *is_network)
{
	struct fk_addr		*a;
	struct srv6d_addr	 x;
	struct srv6d_prefix	 net;

	memset(&x, 0, sizeof(x));
	x.af = AF_INET;
	x.v4 = *nh;
	RB_FOREACH(a, fk_addr_tree, &fk_addrs) {
		if (a->prefix.addr.af != AF_INET ||
		    !prefix_contains(&a->prefix, &x))
			continue;
		net = a->prefix;
		prefix_mask(&net);
		*is_network = net.addr.v4.s_addr == nh->s_addr &&
		    net.len < 32;
		return a->ifindex;
	}
	return 0;
}

/*
 * A link appeared, changed or went away.  A member of a VRF that goes
 * down takes its connected networks along (the kernel removes their
 * routes; table mode reports them gone), and brings them back when up.
 * Whatever the kernel removed with a device or its carrier (nexthop
 * objects, SIDs, routes) fk_repair.c puts back.
 */
void
fk_link_update(const struct nl_link *nl, bool add)
{
	struct fk_link		*l = fk_link_by_index(nl->ifindex);
	const struct vrf_config	*v;
	bool			 was_known = l != NULL, was_up, was_carrier;

	if (!add) {
		if (l != NULL) {
			if ((v = fk_vrf_of_iface(l->name)) != NULL)
				log_info("fib: VRF %s: member %s gone", v->name,
				    l->name);
			if (l->up)
				link_addrs_report(l, FIB_DEL);
			RB_REMOVE(fk_link_tree, &fk_links, l);
			free(l);
			fk_repair_schedule(FK_REPAIR_LOSS);
		}
		return;
	}
	if (l == NULL) {
		if ((l = calloc(1, sizeof(*l))) == NULL)
			fatal("%s", __func__);
		l->ifindex = nl->ifindex;
		RB_INSERT(fk_link_tree, &fk_links, l);
	}
	was_up = l->up;
	was_carrier = l->carrier;
	l->carrier = (nl->flags & IFF_LOWER_UP) != 0;
	strlcpy(l->name, nl->name, sizeof(l->name));
	strlcpy(l->kind, nl->kind, sizeof(l->kind));
	l->loopback = (nl->flags & IFF_LOOPBACK) != 0;
	l->master = nl->master;
	v = fk_vrf_of_iface(l->name);
	if (was_known && was_up && !nl->up)
		link_addrs_report(l, FIB_DEL);	/* while still up */
	l->up = nl->up;
	if (was_known && !was_up && l->up)
		link_addrs_report(l, FIB_ADD);
	if (v != NULL && fk.up && (!was_known || was_up != l->up))
		log_info("fib: VRF %s: member %s (index %u) %s", v->name,
		    l->name, l->ifindex, !was_known ? "appeared" : l->up ?
		    "up" : "down");
	if (!was_known) {
		if (v != NULL)
			member_rp_filter(l->name);
		vrf_link_appeared(l);
	}
	/* the kernel drops nexthop objects on a device that loses its
	 * carrier, not only on one that goes down */
	if ((was_up && !l->up) || (was_carrier && !l->carrier))
		fk_repair_schedule(FK_REPAIR_LOSS);
	else if ((!was_known && l->up) || (!was_up && l->up) ||
	    (!was_carrier && l->carrier))
		fk_repair_schedule(FK_REPAIR_GAIN);
}

/* ------------------------------------------------------------------ */
/* VRFs: devices (VRF mode) or rules (table mode)                      */

void
fk_rule_send(const struct nl_rule *r, uint16_t type)
{
	char	what[96];

	snprintf(what, sizeof(what), "%s rule iif %s lookup %u (%s)",
	    type == RTM_NEWRULE ? "add" : "delete", r->iifname, r->table,
	    r->family == AF_INET ? "IPv4" : "IPv6");
	/* without EXCL the kernel adds a duplicate rule every time */
	fk_send_ok(nl_rule_msg(fk.buf, sizeof(fk.buf), type,
	    type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK :
	    NL_F_DEL, r), what, type == RTM_NEWRULE ? EEXIST : 0);
}

static bool
rule_eq(const struct nl_rule *a, const struct nl_rule *b)
{
	return a->family == b->family && a->table == b->table &&
	    a->priority == b->priority &&
	    strcmp(a->iifname, b->iifname) == 0;
}

/*
 * Table mode: strict or loose reverse-path filtering looks in the main
 * table and drops what comes from networks only the VRF's table knows.
 */
static void
member_rp_filter(const char *ifname)
{
	char	path[96];

	if (fk.mode != KERNEL_MODE_TABLE)
		return;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    ifname);
	sysctl_set(path, "0");
}

/* One rule wanted: kept when there, added when not. */
static void
rule_want(const struct vrf_config *v, const char *ifname, int family)
{
	struct fk_rule	*r;
	struct nl_rule	 want;

	memset(&want, 0, sizeof(want));
	want.family = family;
	want.protocol = RTPROT_SRV6D;
	want.action = FR_ACT_TO_TBL;
	want.table = v->table;
	want.priority = fk.conf->rule_priority;
	strlcpy(want.iifname, ifname, sizeof(want.iifname));
	TAILQ_FOREACH(r, &fk_rules, entry)
		if (rule_eq(&r->r, &want)) {
			r->wanted = true;
			return;
		}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->r = want;
	r->wanted = true;
	TAILQ_INSERT_TAIL(&fk_rules, r, entry);
	fk_rule_send(&want, RTM_NEWRULE);
}

/*
 * Table mode: `ip rule iif IF lookup TABLE' per member interface and
 * family (by name: the kernel matches it even before IF exists), and
 * nothing else.  What the VRF's table does not hold falls through to the
 * main table: the encapsulated (outer) packet is looked up with the same
 * rules and must find the remote locator there, so the table cannot end
 * in an unreachable default as a VRF device's would.
 */
void
fk_rules_sync(void)
{
	const struct vrf_config	*v;
	struct fk_rule		*r, *next;
	size_t			 i;

	TAILQ_FOREACH(r, &fk_rules, entry)
		r->wanted = false;
	if (fk.mode == KERNEL_MODE_TABLE && fk.conf != NULL)
		TAILQ_FOREACH(v, &fk.conf->vrfs, entry) {
			for (i = 0; i < v->n_ifaces; i++) {
				if (fk_link_by_name(v->ifaces[i]) != NULL)
					member_rp_filter(v->ifaces[i]);
				rule_want(v, v->ifaces[i], AF_INET);
				rule_want(v, v->ifaces[i], AF_INET6);
			}
		}
	TAILQ_FOREACH_SAFE(r, &fk_rules, entry, next)
		if (!r->wanted) {
			fk_rule_send(&r->r, RTM_DELRULE);
			TAILQ_REMOVE(&fk_rules, r, entry);
			free(r);
		}
}

static void
sysctl_set(const char *path, const char *value)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		log_warn("fib: %s", path);
		return;
	}
	if (write(fd, value, strlen(value)) == -1)
		log_warn("fib: %s = %s", path, value);
	close(fd);
}

/* VRF mode: enslave a member interface that has just appeared. */
static void
vrf_enslave(const struct fk_link *l)
{
	const struct vrf_config	*v;
	struct fk_link		*dev;
	char			 what[64], path[96];

	if (fk.mode != KERNEL_MODE_VRF ||
	    (v = fk_vrf_of_iface(l->name)) == NULL ||
	    (dev = fk_link_by_name(v->name)) == NULL ||
	    l->master == dev->ifindex)
		return;
	/* enslaving cycles the link down and up: keep its IPv6 addresses */
	snprintf(path, sizeof(path),
	    "/proc/sys/net/ipv6/conf/%s/keep_addr_on_down", l->name);
	sysctl_set(path, "1");
	snprintf(what, sizeof(what), "enslave %s to %s", l->name, v->name);
	fk_send(nl_link_master(fk.buf, sizeof(fk.buf), NLM_F_ACK, l->ifindex,
	    dev->ifindex), what);
}

static void
vrf_link_appeared(const struct fk_link *l)
{
	const struct vrf_config	*v;
	struct fk_link		*m;
	char			 what[64];

	if (!fk.up || fk.mode != KERNEL_MODE_VRF)
		return;
	if (strcmp(l->kind, "vrf") == 0 && (v = fk_vrf_by_name(l->name)) !=
	    NULL) {
		if (!l->up) {
			snprintf(what, sizeof(what), "set %s up", l->name);
			fk_send(nl_link_updown(fk.buf, sizeof(fk.buf),
			    NLM_F_ACK, l->ifindex, true), what);
		}
		RB_FOREACH(m, fk_link_tree, &fk_links)
			vrf_enslave(m);
		return;
	}
	vrf_enslave(l);
}

/*
 * VRF mode: a device per VRF.  A VRF removed from the configuration
 * (old: the previous one) loses its device; devices of other names are
 * never touched (a VRF device carries no protocol number to tell).
 */
void
fk_devices_sync(const struct srv6d_config *old)
{
	const struct vrf_config	*v;
	struct fk_link		*l;
	char			 what[64];

	if (fk.mode != KERNEL_MODE_VRF || fk.conf == NULL)
		return;
	sysctl_set("/proc/sys/net/vrf/strict_mode", "1");
	TAILQ_FOREACH(v, &fk.conf->vrfs, entry) {
		if ((l = fk_link_by_name(v->name)) != NULL) {
			vrf_link_appeared(l);
			continue;
		}
		snprintf(what, sizeof(what), "VRF device %s table %u",
		    v->name, v->table);
		/* EEXIST: sid_vrf_device() made it, not yet seen */
		fk_send_ok(nl_vrf_link(fk.buf, sizeof(fk.buf), NLM_F_CREATE |
		    NLM_F_EXCL | NLM_F_ACK, v->name, v->table), what, EEXIST);
	}
	if (old == NULL)
		return;
	TAILQ_FOREACH(v, &old->vrfs, entry)
		if (fk_vrf_by_name(v->name) == NULL &&
		    (l = fk_link_by_name(v->name)) != NULL &&
		    strcmp(l->kind, "vrf") == 0) {
			snprintf(what, sizeof(what), "delete VRF device %s",
			    l->name);
			fk_send(nl_link_del(fk.buf, sizeof(fk.buf), NLM_F_ACK,
			    l->ifindex), what);
		}
}

static int
genl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nl_genl_family_id(nlh, arg);
	return 0;
}

/* The encapsulation source (SEG6 generic netlink, `ip sr tunsrc set'). */
void
fk_tunsrc_set(void)
{
	struct nl_sync	*g;
	char		 err[128] = "";
	uint16_t	 id = 0;
	int		 rv;

	if (fk.conf == NULL || fk.conf->encap_source.af != AF_INET6)
		return;
	if ((g = nl_sync_open(NETLINK_GENERIC)) == NULL) {
		log_warn("fib: generic netlink");
		return;
	}
	if (fk.seg6_family == 0) {
		rv = nl_dump(g, nl_genl_getfamily(fk.buf, sizeof(fk.buf),
		    SEG6_GENL_NAME), genl_family_cb, &id, err, sizeof(err));
		if (rv != 0 || id == 0) {
			log_warnx("fib: no SEG6 generic netlink family: %s",
			    rv ? strerror(rv) : "not found");
			nl_sync_close(g);
			return;
		}
		fk.seg6_family = id;
	}
	rv = nl_dump(g, nl_seg6_tunsrc_set(fk.buf, sizeof(fk.buf),
	    fk.seg6_family, 0, &fk.conf->encap_source.v6), NULL, NULL, err,
	    sizeof(err));
	if (rv != 0)
		log_warnx("fib: encapsulation source %s: %s%s%s",
		    addr2str(&fk.conf->encap_source), strerror(rv),
		    err[0] ? ": " : "", err);
	else
		log_info("fib: encapsulation source %s",
		    addr2str(&fk.conf->encap_source));
	nl_sync_close(g);
}

/* What SRv6 forwarding needs of the whole system (at start). */
void
fk_sysctls(void)
{
	/* seg6_enabled gates SRH processing (End behaviours); harmless */
	sysctl_set("/proc/sys/net/ipv6/conf/all/seg6_enabled", "1");
	sysctl_set("/proc/sys/net/ipv6/conf/default/seg6_enabled", "1");
	sysctl_set("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	sysctl_set("/proc/sys/net/ipv4/ip_forward", "1");
}
