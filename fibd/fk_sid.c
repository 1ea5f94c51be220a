/*
 * fk_sid.c: the local SIDs of fib_kernel.c.
 *
 * A local SID is a seg6local route in the main table with counters, hung
 * on a device that is not the loopback; End.DX4 towards a CE gateway also
 * needs a host route, and End.DT* in VRF mode the VRF's device.  The
 * kernel's counters of the SIDs are read back by a dump of these routes.
 */
#include <sys/types.h>
#include <sys/tree.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>

#include "fk.h"
#include "log.h"
#include "srv6.h"

/*
 * The device a SID route hangs on: not the loopback (SRV6.md).  The
 * kernel removes the route with its device, when that goes down or away
 * (fk_repair.c hangs it elsewhere then): the VRF's device (VRF mode),
 * else a member interface that is up, else any device that is up.
 */
static uint32_t
sid_oif(const struct fib_sid *s)
{
	const struct vrf_config	*v = fk_vrf_by_name(s->vrf);
	struct fk_link		*l;
	size_t			 i;

	if (v != NULL && fk.mode == KERNEL_MODE_VRF &&
	    (l = fk_link_by_name(v->name)) != NULL)
		return l->ifindex;
	for (i = 0; v != NULL && i < v->n_ifaces; i++)
		if ((l = fk_link_by_name(v->ifaces[i])) != NULL && l->up)
			return l->ifindex;
	return fk_link_any();
}

static void
sid_seg6local(const struct fib_sid *s, struct nl_seg6local *sl)
{
	memset(sl, 0, sizeof(*sl));
	sl->action = nl_seg6local_action(s->behavior);
	sl->counters = true;
	switch (s->behavior) {
	case SRV6_BEHAVIOR_END_DT6:
		if (fk.mode == KERNEL_MODE_VRF)
			sl->vrftable = s->table;
		else
			sl->table = s->table;
		break;
	case SRV6_BEHAVIOR_END_DT4:
	case SRV6_BEHAVIOR_END_DT46:
		sl->vrftable = s->table;
		break;
	case SRV6_BEHAVIOR_END_DX4:
		sl->has_nh4 = true;
		sl->nh4 = s->nh.v4;
		break;
	case SRV6_BEHAVIOR_END_DX6:
		sl->has_nh6 = true;
		sl->nh6 = s->nh.v6;
		break;
	}
}

static bool
sid_same(const struct fk_old *o, const struct nl_seg6local *sl,
    uint32_t oif)
{
	return o->is_sid && o->oif == oif && o->sl.action == sl->action &&
	    o->sl.table == sl->table && o->sl.vrftable == sl->vrftable &&
	    o->sl.has_nh4 == sl->has_nh4 && o->sl.has_nh6 == sl->has_nh6 &&
	    o->sl.nh4.s_addr == sl->nh4.s_addr &&
	    memcmp(&o->sl.nh6, &sl->nh6, 16) == 0 && o->sl.counters;
}

/*
 * End.DX4 towards a CE gateway needs `nh4/32 via nh4 dev IF onlink' so
 * that the kernel resolves nh4 and not the inner destination; towards an
 * attached network (nh4 = its network address) the inner destination is
 * what we want.  (SRV6.md, "Without VRF devices".)
 */
void
fk_sid_dx4_host(const struct fib_sid *s, uint16_t type)
{
	struct nl_route	*r;
	bool		 is_net = false;
	uint32_t	 oif;
	char		 what[96];

	if (s->behavior != SRV6_BEHAVIOR_END_DX4 || s->nh.af != AF_INET)
		return;
	oif = fk_addr_subnet_of(&s->nh.v4, &is_net);
	if (is_net)
		return;
	if (oif == 0)
		oif = sid_oif(s);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_onlink_host(r, &s->nh.v4, oif, RT_TABLE_MAIN);
	snprintf(what, sizeof(what), "%s host route %s for End.DX4",
	    type == RTM_NEWROUTE ? "add" : "delete", addr2str(&s->nh));
	if (fk.syncing && type == RTM_NEWROUTE) {
		struct fk_old	*o = fk_old_find(RT_TABLE_MAIN, &r->dst);

		if (o != NULL)
			fk_old_remove(o);	/* replaced below, harmless */
	}
	fk_send_ok(nl_route_msg(fk.buf, sizeof(fk.buf), type,
	    type == RTM_NEWROUTE ? NL_F_NEW : NL_F_DEL, r), what,
	    type == RTM_DELROUTE ? ESRCH : 0);
	free(r);
}

/*
 * VRF mode: End.DT4/DT6/DT46 with vrftable need the VRF's device when the
 * SID is added (else ENODEV "Table has no associated VRF device"), but the
 * RDE sends the SIDs of a VRF added by reload before fk_reconfig() makes
 * the device: make it first (requests on one socket run in order).
 */
static void
sid_vrf_device(const struct fib_sid *s, const struct nl_seg6local *sl)
{
	char	what[64];

	if (fk.mode != KERNEL_MODE_VRF || sl->vrftable == 0 ||
	    fk_link_by_name(s->vrf) != NULL)
		return;
	snprintf(what, sizeof(what), "VRF device %s table %u", s->vrf,
	    s->table);
	fk_send_ok(nl_vrf_link(fk.buf, sizeof(fk.buf), NLM_F_CREATE |
	    NLM_F_EXCL | NLM_F_ACK, s->vrf, s->table), what, EEXIST);
}

/* The SID's seg6local route (and End.DX4's host route) sent. */
void
fk_sid_install(const struct fib_sid *s)
{
	struct nl_seg6local	 sl;
	struct nl_route		*r;
	char			 what[96], sid[INET6_ADDRSTRLEN];

	sid_seg6local(s, &sl);
	sid_vrf_device(s, &sl);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	nl_route_sid(r, &s->sid, sid_oif(s), RT_TABLE_MAIN, &sl);
	snprintf(what, sizeof(what), "SID %s %s",
	    inet_ntop(AF_INET6, &s->sid, sid, sizeof(sid)),
	    srv6_behavior_name(s->behavior));
	fk_send(nl_route_msg(fk.buf, sizeof(fk.buf), RTM_NEWROUTE, NL_F_NEW,
	    r), what);
	free(r);
	fk_sid_dx4_host(s, RTM_NEWROUTE);
}

/*
 * s added (replace: it was held before, with other parameters) or, with
 * FIB_DEL, removed.
 */
void
fk_sid(const struct fib_sid *s, bool replace)
{
	struct nl_seg6local	 sl;
	struct fk_old		*o;
	struct srv6d_prefix	 p;
	char			 what[96], sid[INET6_ADDRSTRLEN];

	if (!fk.up)
		return;
	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET6;
	p.addr.v6 = s->sid;
	p.len = 128;
	if (s->op == FIB_DEL) {
		snprintf(what, sizeof(what), "delete SID %s",
		    inet_ntop(AF_INET6, &s->sid, sid, sizeof(sid)));
		/* the kernel removes a SID with its device: fine */
		fk_send_ok(fk_route_nhid_msg(RTM_DELROUTE, RT_TABLE_MAIN, &p,
		    0), what, ESRCH);
		fk_sid_dx4_host(s, RTM_DELROUTE);
		fk.st.sids--;
		return;
	}
	if (!replace)
		fk.st.sids++;
	if (fk.syncing && (o = fk_old_find(RT_TABLE_MAIN, &p)) != NULL) {
		bool	same;

		sid_seg6local(s, &sl);
		same = sid_same(o, &sl, sid_oif(s));
		fk_old_remove(o);
		if (same) {
			fk.st.adopted++;
			return;
		}
	}
	fk_sid_install(s);
}

struct counters_arg {
	fk_counter_cb	 cb;
	void		*arg;
};

static int
counters_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct counters_arg	*c = arg;
	struct nl_route		 r;

	if (nl_route_parse(nlh, &r) == 0 && r.protocol == RTPROT_SRV6D &&
	    r.npaths > 0 && r.paths[0].encap_type ==
	    LWTUNNEL_ENCAP_SEG6_LOCAL && r.paths[0].seg6local.counters)
		c->cb(&r.dst.addr.v6, r.paths[0].seg6local.packets,
		    r.paths[0].seg6local.bytes, r.paths[0].seg6local.errors,
		    c->arg);
	return 0;
}

/* The kernel's counters of every local SID (a dump of the SID routes). */
void
fk_sid_counters(fk_counter_cb cb, void *arg)
{
	struct counters_arg	c = { cb, arg };

	if (fk.up)
		fk_dump_ours(AF_INET6, RT_TABLE_MAIN, counters_cb, &c);
}
