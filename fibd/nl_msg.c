/*
 * nl_msg.c: the netlink messages srv6d sends (builders) and the kernel's
 * messages it reads (parsers); see nl_msg.h.  Message layouts follow the
 * kernel's uapi headers and ../shared/SRV6.md; where the kernel insists
 * on something not obvious from the headers, the comment says so.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <linux/fib_rules.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6.h>
#include <linux/seg6_genl.h>
#include <linux/seg6_iptunnel.h>
#include <linux/seg6_local.h>
#include <net/if.h>
#include <netinet/in.h>

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "nl_msg.h"
#include "srv6.h"

/* RFC 8754 §2: the SRH is routing header type 4. */
#define SRH_TYPE		4
#define SRH_FIXED_LEN		8

/* ------------------------------------------------------------------ */
/* writing                                                              */

/*
 * The netlink header and the family header (zeroed) at the start of buf,
 * or NULL when buf cannot hold them.
 */
static struct nlmsghdr *
nl_start(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    size_t extra, void **ehdr)
{
	struct nlmsghdr	*nlh;

	if (buflen < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	*ehdr = mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

static size_t
nl_addr_len(uint8_t af)
{
	switch (af) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

/* An address attribute: 4 or 16 bytes by its family. */
static bool
nl_put_addr(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
    const struct srv6d_addr *a)
{
	size_t	 len = nl_addr_len(a->af);

	if (len == 0)
		return false;
	return mnl_attr_put_check(nlh, buflen, type, len, &a->v6);
}

/*
 * SEG6_IPTUNNEL_SRH: struct seg6_iptunnel_encap { int mode; } followed by
 * an SRH (RFC 8754 §2) with hdrlen 2N, type 4, segments_left and
 * first_segment N - 1, and the segments in reverse: segments[0] is the
 * last SID of the path.  The kernel fills in nexthdr.
 */
static bool
nl_put_srh(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_seg6_encap *e)
{
	union {
		uint32_t	align;
		uint8_t		b[sizeof(int) + SRH_FIXED_LEN +
				    NL_SEGS_MAX * sizeof(struct in6_addr)];
	} u;
	struct ipv6_sr_hdr	*srh;
	unsigned int		 i, n = e->nsegs;

	if (n == 0 || n > NL_SEGS_MAX)
		return false;
	memset(&u, 0, sizeof(u));
	memcpy(u.b, &e->mode, sizeof(int));
	srh = (struct ipv6_sr_hdr *)(u.b + sizeof(int));
	srh->hdrlen = 2 * n;
	srh->type = SRH_TYPE;
	srh->segments_left = n - 1;
	srh->first_segment = n - 1;
	for (i = 0; i < n; i++)
		memcpy(u.b + sizeof(int) + SRH_FIXED_LEN +
		    i * sizeof(struct in6_addr), &e->segs[n - 1 - i],
		    sizeof(struct in6_addr));
	return mnl_attr_put_check(nlh, buflen, SEG6_IPTUNNEL_SRH,
	    sizeof(int) + SRH_FIXED_LEN + n * sizeof(struct in6_addr), u.b);
}

/* The nest of SEG6_LOCAL_COUNTERS: all three zero asks for counters. */
static bool
nl_put_counters(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_seg6local *sl)
{
	struct nlattr	*nest;

	if ((nest = mnl_attr_nest_start_check(nlh, buflen,
	    SEG6_LOCAL_COUNTERS)) == NULL)
		return false;
	if (!mnl_attr_put_u64_check(nlh, buflen, SEG6_LOCAL_CNT_PACKETS,
	    sl->packets) ||
	    !mnl_attr_put_u64_check(nlh, buflen, SEG6_LOCAL_CNT_BYTES,
	    sl->bytes) ||
	    !mnl_attr_put_u64_check(nlh, buflen, SEG6_LOCAL_CNT_ERRORS,
	    sl->errors))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/* The attributes of a seg6local action (SRV6.md, seg6local route). */
static bool
nl_put_seg6local(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_seg6local *sl)
{
	if (sl->action == SEG6_LOCAL_ACTION_UNSPEC ||
	    !mnl_attr_put_u32_check(nlh, buflen, SEG6_LOCAL_ACTION,
	    sl->action))
		return false;
	if (sl->table != 0 && !mnl_attr_put_u32_check(nlh, buflen,
	    SEG6_LOCAL_TABLE, sl->table))
		return false;
	if (sl->vrftable != 0 && !mnl_attr_put_u32_check(nlh, buflen,
	    SEG6_LOCAL_VRFTABLE, sl->vrftable))
		return false;
	if (sl->has_nh4 && !mnl_attr_put_check(nlh, buflen, SEG6_LOCAL_NH4,
	    sizeof(sl->nh4), &sl->nh4))
		return false;
	if (sl->has_nh6 && !mnl_attr_put_check(nlh, buflen, SEG6_LOCAL_NH6,
	    sizeof(sl->nh6), &sl->nh6))
		return false;
	if (sl->counters && !nl_put_counters(nlh, buflen, sl))
		return false;
	return true;
}

/*
 * ENCAP_TYPE (u16) and the ENCAP nest, under the route's (RTA_*) or the
 * nexthop object's (NHA_*) attribute types.
 */
static bool
nl_put_lwt(struct nlmsghdr *nlh, size_t buflen, uint16_t type_attr,
    uint16_t encap_attr, uint16_t encap_type,
    const struct nl_seg6_encap *seg6, const struct nl_seg6local *sl)
{
	struct nlattr	*nest;
	bool		 ok;

	if (encap_type == LWTUNNEL_ENCAP_NONE)
		return true;
	if (!mnl_attr_put_u16_check(nlh, buflen, type_attr, encap_type) ||
	    (nest = mnl_attr_nest_start_check(nlh, buflen, encap_attr)) ==
	    NULL)
		return false;
	switch (encap_type) {
	case LWTUNNEL_ENCAP_SEG6:
		ok = nl_put_srh(nlh, buflen, seg6);
		break;
	case LWTUNNEL_ENCAP_SEG6_LOCAL:
		ok = sl != NULL && nl_put_seg6local(nlh, buflen, sl);
		break;
	default:
		ok = false;
	}
	if (ok)
		mnl_attr_nest_end(nlh, nest);
	return ok;
}

/*
 * A route's gateway: RTA_GATEWAY in the route's family, or RTA_VIA for an
 * IPv6 gateway of an IPv4 route (the kernel has taken that since 5.2).
 */
static bool
nl_put_gateway(struct nlmsghdr *nlh, size_t buflen, uint8_t family,
    const struct srv6d_addr *gw)
{
	struct {
		struct rtvia	 via;
		struct in6_addr	 addr;
	} __attribute__((packed)) v;

	if (gw->af == AF_UNSPEC)
		return true;
	if (gw->af == family)
		return nl_put_addr(nlh, buflen, RTA_GATEWAY, gw);
	if (family != AF_INET || gw->af != AF_INET6)
		return false;
	v.via.rtvia_family = AF_INET6;
	v.addr = gw->v6;
	return mnl_attr_put_check(nlh, buflen, RTA_VIA, sizeof(v), &v);
}

static bool
nl_put_path(struct nlmsghdr *nlh, size_t buflen, uint8_t family,
    const struct nl_path *p)
{
	if (p->oif != 0 && !mnl_attr_put_u32_check(nlh, buflen, RTA_OIF,
	    p->oif))
		return false;
	return nl_put_gateway(nlh, buflen, family, &p->gateway) &&
	    nl_put_lwt(nlh, buflen, RTA_ENCAP_TYPE, RTA_ENCAP, p->encap_type,
	    &p->seg6, &p->seg6local);
}

/* RTA_MULTIPATH: a struct rtnexthop, then its attributes, per path. */
static bool
nl_put_multipath(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_route *r)
{
	struct nlattr		*nest;
	struct rtnexthop	*rtnh;
	const struct nl_path	*p;
	unsigned int		 i;

	if ((nest = mnl_attr_nest_start_check(nlh, buflen, RTA_MULTIPATH)) ==
	    NULL)
		return false;
	for (i = 0; i < r->npaths; i++) {
		p = &r->paths[i];
		if (nlh->nlmsg_len + MNL_ALIGN(sizeof(*rtnh)) > buflen)
			return false;
		rtnh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtnh));
		rtnh->rtnh_flags = p->flags;
		rtnh->rtnh_hops = p->weight;
		rtnh->rtnh_ifindex = (int)p->oif;
		if (!nl_put_gateway(nlh, buflen, r->family, &p->gateway) ||
		    !nl_put_lwt(nlh, buflen, RTA_ENCAP_TYPE, RTA_ENCAP,
		    p->encap_type, &p->seg6, &p->seg6local))
			return false;
		rtnh->rtnh_len = (char *)mnl_nlmsg_get_payload_tail(nlh) -
		    (char *)rtnh;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/* ------------------------------------------------------------------ */
/* links                                                                */

/* RTM_NEWLINK of a VRF device name bound to table (SRV6.md). */
struct nlmsghdr *
nl_vrf_link(void *buf, size_t buflen, uint16_t flags, const char *name,
    uint32_t table)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*info, *data;

	if (strlen(name) >= IFNAMSIZ || *name == '\0' ||
	    (nlh = nl_start(buf, buflen, RTM_NEWLINK, flags, sizeof(*ifi),
	    (void **)&ifi)) == NULL)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, buflen, IFLA_IFNAME, name) ||
	    (info = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_LINKINFO)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, buflen, IFLA_INFO_KIND, "vrf") ||
	    (data = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_INFO_DATA)) == NULL ||
	    !mnl_attr_put_u32_check(nlh, buflen, IFLA_VRF_TABLE, table))
		return NULL;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* RTM_NEWLINK changing only IFF_UP of ifindex. */
struct nlmsghdr *
nl_link_updown(void *buf, size_t buflen, uint16_t flags, uint32_t ifindex,
    bool up)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if ((nlh = nl_start(buf, buflen, RTM_NEWLINK, flags, sizeof(*ifi),
	    (void **)&ifi)) == NULL)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	return nlh;
}

/* Enslave ifindex to the VRF device master; master 0 releases it. */
struct nlmsghdr *
nl_link_master(void *buf, size_t buflen, uint16_t flags, uint32_t ifindex,
    uint32_t master)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if ((nlh = nl_start(buf, buflen, RTM_NEWLINK, flags, sizeof(*ifi),
	    (void **)&ifi)) == NULL)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	if (!mnl_attr_put_u32_check(nlh, buflen, IFLA_MASTER, master))
		return NULL;
	return nlh;
}

struct nlmsghdr *
nl_link_del(void *buf, size_t buflen, uint16_t flags, uint32_t ifindex)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if ((nlh = nl_start(buf, buflen, RTM_DELLINK, flags, sizeof(*ifi),
	    (void **)&ifi)) == NULL)
		return NULL;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return nlh;
}

/* ------------------------------------------------------------------ */
/* rules, nexthop objects, routes                                       */

/* The one-byte table field: the table itself when it fits. */
static uint8_t
nl_table_byte(uint32_t table)
{
	return table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
}

/*
 * RTM_NEWRULE / RTM_DELRULE `iif NAME lookup TABLE pref PRIO proto srv6d'.
 * The kernel adds a duplicate of an existing rule unless NLM_F_EXCL is
 * set (fib_nl_newrule): add rules with NLM_F_CREATE | NLM_F_EXCL and take
 * EEXIST as success.  A delete matches on every attribute given.
 */
struct nlmsghdr *
nl_rule_msg(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    const struct nl_rule *r)
{
	struct nlmsghdr		*nlh;
	struct fib_rule_hdr	*frh;

	if ((type != RTM_NEWRULE && type != RTM_DELRULE) ||
	    strnlen(r->iifname, sizeof(r->iifname)) == sizeof(r->iifname) ||
	    (nlh = nl_start(buf, buflen, type, flags, sizeof(*frh),
	    (void **)&frh)) == NULL)
		return NULL;
	frh->family = r->family;
	frh->table = nl_table_byte(r->table);
	frh->action = r->action;
	if (r->iifname[0] != '\0' && !mnl_attr_put_strz_check(nlh, buflen,
	    FRA_IIFNAME, r->iifname))
		return NULL;
	if (!mnl_attr_put_u32_check(nlh, buflen, FRA_TABLE, r->table) ||
	    (r->priority != 0 && !mnl_attr_put_u32_check(nlh, buflen,
	    FRA_PRIORITY, r->priority)) ||
	    !mnl_attr_put_u8_check(nlh, buflen, FRA_PROTOCOL, r->protocol))
		return NULL;
	return nlh;
}

/* NHA_GROUP: an array of struct nexthop_grp. */
static bool
nl_put_nhgroup(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_nexthop *nh)
{
	struct nexthop_grp	 g[NL_PATHS_MAX];
	unsigned int		 i;

	if (nh->ngroup > NL_PATHS_MAX)
		return false;
	memset(g, 0, sizeof(g));
	for (i = 0; i < nh->ngroup; i++) {
		g[i].id = nh->group[i].id;
		g[i].weight = nh->group[i].weight;
	}
	return mnl_attr_put_check(nlh, buflen, NHA_GROUP,
	    nh->ngroup * sizeof(g[0]), g);
}

/*
 * RTM_NEWNEXTHOP / RTM_DELNEXTHOP (linux/nexthop.h).  A group carries
 * only NHA_ID and NHA_GROUP (the kernel refuses anything else with it); a
 * delete carries only NHA_ID under a zero header: the kernel refuses a
 * delete naming a protocol, so it cannot check the owner (our ids are).
 */
struct nlmsghdr *
nl_nexthop_msg(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    const struct nl_nexthop *nh)
{
	struct nlmsghdr	*nlh;
	struct nhmsg	*nhm;

	if ((type != RTM_NEWNEXTHOP && type != RTM_DELNEXTHOP) ||
	    nh->id == 0 ||
	    (nlh = nl_start(buf, buflen, type, flags, sizeof(*nhm),
	    (void **)&nhm)) == NULL)
		return NULL;
	if (!mnl_attr_put_u32_check(nlh, buflen, NHA_ID, nh->id))
		return NULL;
	/* nh_valid_get_del_req: "Invalid values in header" otherwise */
	if (type == RTM_DELNEXTHOP)
		return nlh;
	nhm->nh_family = nh->family;
	nhm->nh_protocol = nh->protocol;
	nhm->nh_flags = nh->flags;
	if (nh->ngroup > 0)
		return nl_put_nhgroup(nlh, buflen, nh) ? nlh : NULL;
	if (nh->oif != 0 && !mnl_attr_put_u32_check(nlh, buflen, NHA_OIF,
	    nh->oif))
		return NULL;
	if (nh->gateway.af != AF_UNSPEC && (nh->gateway.af != nh->family ||
	    !nl_put_addr(nlh, buflen, NHA_GATEWAY, &nh->gateway)))
		return NULL;
	if (!nl_put_lwt(nlh, buflen, NHA_ENCAP_TYPE, NHA_ENCAP,
	    nh->encap_type, &nh->seg6, NULL))
		return NULL;
	return nlh;
}

/* The key of a route, for every message about it. */
static bool
nl_put_route_key(struct nlmsghdr *nlh, size_t buflen,
    const struct nl_route *r)
{
	if (r->dst.len > 0 && !nl_put_addr(nlh, buflen, RTA_DST,
	    &r->dst.addr))
		return false;
	if (!mnl_attr_put_u32_check(nlh, buflen, RTA_TABLE, r->table))
		return false;
	if (r->priority != 0 && !mnl_attr_put_u32_check(nlh, buflen,
	    RTA_PRIORITY, r->priority))
		return false;
	return true;
}

/*
 * RTM_NEWROUTE / RTM_DELROUTE.  A delete names the route by its key and
 * protocol: the kernel then deletes only a route of ours (fib_table_delete
 * and ip6_route_del skip other protocols), scope nowhere matching any.
 */
struct nlmsghdr *
nl_route_msg(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    const struct nl_route *r)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;

	if ((type != RTM_NEWROUTE && type != RTM_DELROUTE) ||
	    (r->family != AF_INET && r->family != AF_INET6) ||
	    r->dst.addr.af != r->family ||
	    r->dst.len > 8 * nl_addr_len(r->family) ||
	    r->npaths > NL_PATHS_MAX ||
	    (type == RTM_NEWROUTE && (r->nh_id != 0) == (r->npaths > 0)) ||
	    (nlh = nl_start(buf, buflen, type, flags, sizeof(*rtm),
	    (void **)&rtm)) == NULL)
		return NULL;
	rtm->rtm_family = r->family;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_table = nl_table_byte(r->table);
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = r->type;
	if (type == RTM_DELROUTE) {
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
		return nl_put_route_key(nlh, buflen, r) ? nlh : NULL;
	}
	rtm->rtm_scope = r->scope;
	rtm->rtm_flags = r->flags;
	if (r->npaths == 1)
		rtm->rtm_flags |= r->paths[0].flags;
	if (!nl_put_route_key(nlh, buflen, r))
		return NULL;
	if (r->nh_id != 0)
		return mnl_attr_put_u32_check(nlh, buflen, RTA_NH_ID,
		    r->nh_id) ? nlh : NULL;
	if (r->npaths == 1)
		return nl_put_path(nlh, buflen, r->family, &r->paths[0]) ?
		    nlh : NULL;
	return nl_put_multipath(nlh, buflen, r) ? nlh : NULL;
}

void
nl_route_init(struct nl_route *r, const struct srv6d_prefix *dst,
    uint32_t table)
{
	memset(r, 0, sizeof(*r));
	r->family = dst->addr.af;
	r->protocol = RTPROT_SRV6D;
	r->type = RTN_UNICAST;
	r->scope = RT_SCOPE_UNIVERSE;
	r->table = table;
	r->dst = *dst;
}

void
nl_route_sid(struct nl_route *r, const struct in6_addr *sid, uint32_t oif,
    uint32_t table, const struct nl_seg6local *sl)
{
	struct srv6d_prefix	 p;

	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET6;
	p.addr.v6 = *sid;
	p.len = 128;
	nl_route_init(r, &p, table);
	r->npaths = 1;
	r->paths[0].oif = oif;
	r->paths[0].encap_type = LWTUNNEL_ENCAP_SEG6_LOCAL;
	r->paths[0].seg6local = *sl;
}

/*
 * End.DX4 forwards toward nh4, but when nh4's route is a plain connected
 * route the kernel resolves the inner destination instead (SRV6.md
 * "Without VRF devices"); a host route via nh4 itself makes it resolve nh4.
 */
void
nl_route_onlink_host(struct nl_route *r, const struct in_addr *nh4,
    uint32_t oif, uint32_t table)
{
	struct srv6d_prefix	 p;

	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET;
	p.addr.v4 = *nh4;
	p.len = 32;
	nl_route_init(r, &p, table);
	r->npaths = 1;
	r->paths[0].oif = oif;
	r->paths[0].flags = RTNH_F_ONLINK;
	r->paths[0].gateway = p.addr;
}

/*
 * The kernel's action for an endpoint behaviour.  The uSID (NEXT-C-SID)
 * decapsulation behaviours uDX4 ... uDT46 (RFC 9800) decapsulate as their
 * classic counterparts once the SID is the destination; uN needs the
 * NEXT-C-SID flavour, which srv6d does not program.
 */
uint32_t
nl_seg6local_action(uint16_t behavior)
{
	switch (behavior) {
	case SRV6_BEHAVIOR_END:
		return SEG6_LOCAL_ACTION_END;
	case SRV6_BEHAVIOR_END_DX6:
	case SRV6_BEHAVIOR_UDX6:
		return SEG6_LOCAL_ACTION_END_DX6;
	case SRV6_BEHAVIOR_END_DX4:
	case SRV6_BEHAVIOR_UDX4:
		return SEG6_LOCAL_ACTION_END_DX4;
	case SRV6_BEHAVIOR_END_DT6:
	case SRV6_BEHAVIOR_UDT6:
		return SEG6_LOCAL_ACTION_END_DT6;
	case SRV6_BEHAVIOR_END_DT4:
	case SRV6_BEHAVIOR_UDT4:
		return SEG6_LOCAL_ACTION_END_DT4;
	case SRV6_BEHAVIOR_END_DT46:
	case SRV6_BEHAVIOR_UDT46:
		return SEG6_LOCAL_ACTION_END_DT46;
	default:
		return SEG6_LOCAL_ACTION_UNSPEC;
	}
}

/* ------------------------------------------------------------------ */
/* the SEG6 generic netlink family                                      */

static struct nlmsghdr *
nl_genl_start(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    uint8_t cmd, uint8_t version)
{
	struct nlmsghdr		*nlh;
	struct genlmsghdr	*g;

	if ((nlh = nl_start(buf, buflen, type, flags, sizeof(*g),
	    (void **)&g)) == NULL)
		return NULL;
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* CTRL_CMD_GETFAMILY by name: the reply carries CTRL_ATTR_FAMILY_ID. */
struct nlmsghdr *
nl_genl_getfamily(void *buf, size_t buflen, const char *name)
{
	struct nlmsghdr	*nlh;

	if ((nlh = nl_genl_start(buf, buflen, GENL_ID_CTRL, NLM_F_ACK,
	    CTRL_CMD_GETFAMILY, 1)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, buflen, CTRL_ATTR_FAMILY_NAME, name))
		return NULL;
	return nlh;
}

/* SEG6_CMD_SET_TUNSRC, as `ip sr tunsrc set' (per network namespace). */
struct nlmsghdr *
nl_seg6_tunsrc_set(void *buf, size_t buflen, uint16_t family,
    uint16_t flags, const struct in6_addr *src)
{
	struct nlmsghdr	*nlh;

	if ((nlh = nl_genl_start(buf, buflen, family, flags,
	    SEG6_CMD_SET_TUNSRC, SEG6_GENL_VERSION)) == NULL ||
	    !mnl_attr_put_check(nlh, buflen, SEG6_ATTR_DST, sizeof(*src), src))
		return NULL;
	return nlh;
}

/* SEG6_CMD_GET_TUNSRC: the reply is one message of the same command. */
struct nlmsghdr *
nl_seg6_tunsrc_get(void *buf, size_t buflen, uint16_t family)
{
	return nl_genl_start(buf, buflen, family, 0, SEG6_CMD_GET_TUNSRC,
	    SEG6_GENL_VERSION);
}

/* ------------------------------------------------------------------ */
/* dump requests                                                        */

struct nlmsghdr *
nl_dump_msg(void *buf, size_t buflen, uint16_t type, uint8_t family)
{
	struct nlmsghdr	*nlh;
	uint8_t		*hdr;
	size_t		 len;

	switch (type) {
	case RTM_GETROUTE:
		len = sizeof(struct rtmsg);
		break;
	case RTM_GETLINK:
		len = sizeof(struct ifinfomsg);
		break;
	case RTM_GETADDR:
		len = sizeof(struct ifaddrmsg);
		break;
	case RTM_GETRULE:
		len = sizeof(struct fib_rule_hdr);
		break;
	case RTM_GETNEXTHOP:
		len = sizeof(struct nhmsg);
		break;
	default:
		return NULL;
	}
	if ((nlh = nl_start(buf, buflen, type, NLM_F_DUMP, len,
	    (void **)&hdr)) == NULL)
		return NULL;
	/* Every one of these headers starts with its family byte. */
	hdr[0] = family;
	return nlh;
}

/* ------------------------------------------------------------------ */
/* reading                                                              */

/* An address attribute: its length must be its family's. */
#define NL_T_ADDR	(MNL_TYPE_MAX + 1)

/* How to validate one attribute type; type 0 (MNL_TYPE_UNSPEC): skip. */
struct nl_pol {
	uint16_t		 type;	/* MNL_TYPE_* or NL_T_ADDR */
	uint16_t		 len;	/* BINARY: exact; NUL_STRING: max */
};

struct nl_tb {
	const struct nlattr	**tb;
	const struct nl_pol	*pol;
	uint16_t		 max;
	size_t			 alen;	/* NL_T_ADDR length */
	const char		*tail;	/* end of the attribute stream */
	const char		*end;	/* of the last attribute, aligned */
};

static int
nl_attr_check(const struct nlattr *a, const struct nl_pol *p, size_t alen)
{
	uint16_t	 plen = mnl_attr_get_payload_len(a);

	switch (p->type) {
	case NL_T_ADDR:
		return alen != 0 && plen == alen ? 0 : -1;
	case MNL_TYPE_BINARY:
		return p->len == 0 || plen == p->len ? 0 : -1;
	case MNL_TYPE_NUL_STRING:
		if (p->len != 0 && plen > p->len)
			return -1;
		return mnl_attr_validate(a, MNL_TYPE_NUL_STRING);
	default:
		return mnl_attr_validate(a, p->type);
	}
}

static int
nl_attr_cb(const struct nlattr *a, void *arg)
{
	struct nl_tb	*t = arg;
	uint16_t	 type = mnl_attr_get_type(a);

	if ((const char *)a + a->nla_len > t->tail)
		return MNL_CB_ERROR;
	t->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (type > t->max || t->pol[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (nl_attr_check(a, &t->pol[type], t->alen) == -1)
		return MNL_CB_ERROR;
	t->tb[type] = a;
	return MNL_CB_OK;
}

/*
 * The attributes in [p, p + len) into tb[0..max] by the policy.  libmnl
 * stops quietly at an attribute that does not fit; bytes left after the
 * last whole attribute are a truncated one, and refused here.
 */
static int
nl_parse_buf(const void *p, size_t len, const struct nl_pol *pol,
    uint16_t max, size_t alen, const struct nlattr **tb)
{
	struct nl_tb	 t;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	t.tb = tb;
	t.pol = pol;
	t.max = max;
	t.alen = alen;
	t.tail = (const char *)p + len;
	t.end = p;
	if (mnl_attr_parse_payload(p, len, nl_attr_cb, &t) == MNL_CB_ERROR)
		return -1;
	return t.end >= t.tail ? 0 : -1;
}

/* A message's attributes after its family header of hdrlen bytes. */
static int
nl_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
    const struct nl_pol *pol, uint16_t max, size_t alen,
    const struct nlattr **tb)
{
	size_t	 off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off)
		return -1;
	return nl_parse_buf((const char *)nlh + off, nlh->nlmsg_len - off,
	    pol, max, alen, tb);
}

static int
nl_parse_nest(const struct nlattr *nest, const struct nl_pol *pol,
    uint16_t max, size_t alen, const struct nlattr **tb)
{
	return nl_parse_buf(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), pol, max, alen, tb);
}

/* The payload of a validated address attribute into a. */
static void
nl_get_addr(const struct nlattr *attr, uint8_t af, struct srv6d_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->af = af;
	memcpy(&a->v6, mnl_attr_get_payload(attr), nl_addr_len(af));
}

/* The SEG6_IPTUNNEL_SRH payload back into travel order. */
static int
nl_get_srh(const struct nlattr *attr, struct nl_seg6_encap *e)
{
	const uint8_t		*b = mnl_attr_get_payload(attr);
	size_t			 len = mnl_attr_get_payload_len(attr);
	struct ipv6_sr_hdr	 srh;
	unsigned int		 i, n;

	if (len < sizeof(int) + SRH_FIXED_LEN)
		return -1;
	memcpy(&e->mode, b, sizeof(int));
	memcpy(&srh, b + sizeof(int), SRH_FIXED_LEN);
	n = srh.first_segment + 1u;
	/* RFC 8754 §2: hdrlen counts 8-octet units after the first 8. */
	if (len - sizeof(int) != SRH_FIXED_LEN + srh.hdrlen * 8u ||
	    srh.type != SRH_TYPE || n * sizeof(struct in6_addr) >
	    srh.hdrlen * 8u || n > NL_SEGS_MAX)
		return -1;
	e->nsegs = n;
	for (i = 0; i < n; i++)
		memcpy(&e->segs[n - 1 - i], b + sizeof(int) + SRH_FIXED_LEN +
		    i * sizeof(struct in6_addr), sizeof(struct in6_addr));
	return 0;
}

static const struct nl_pol seg6_pol[SEG6_IPTUNNEL_MAX + 1] = {
	[SEG6_IPTUNNEL_SRH] = { MNL_TYPE_BINARY, 0 },
};

static const struct nl_pol seg6local_pol[SEG6_LOCAL_MAX + 1] = {
	[SEG6_LOCAL_ACTION] = { MNL_TYPE_U32, 0 },
	[SEG6_LOCAL_TABLE] = { MNL_TYPE_U32, 0 },
	[SEG6_LOCAL_VRFTABLE] = { MNL_TYPE_U32, 0 },
	[SEG6_LOCAL_NH4] = { MNL_TYPE_BINARY, sizeof(struct in_addr) },
	[SEG6_LOCAL_NH6] = { MNL_TYPE_BINARY, sizeof(struct in6_addr) },
	[SEG6_LOCAL_COUNTERS] = { MNL_TYPE_NESTED, 0 },
};

static const struct nl_pol counters_pol[SEG6_LOCAL_CNT_MAX + 1] = {
	[SEG6_LOCAL_CNT_PACKETS] = { MNL_TYPE_U64, 0 },
	[SEG6_LOCAL_CNT_BYTES] = { MNL_TYPE_U64, 0 },
	[SEG6_LOCAL_CNT_ERRORS] = { MNL_TYPE_U64, 0 },
};

static int
nl_get_counters(const struct nlattr *nest, struct nl_seg6local *sl)
{
	const struct nlattr	*tb[SEG6_LOCAL_CNT_MAX + 1];

	if (nl_parse_nest(nest, counters_pol, SEG6_LOCAL_CNT_MAX, 0,
	    tb) == -1 || tb[SEG6_LOCAL_CNT_PACKETS] == NULL ||
	    tb[SEG6_LOCAL_CNT_BYTES] == NULL || tb[SEG6_LOCAL_CNT_ERRORS] ==
	    NULL)
		return -1;
	sl->counters = true;
	sl->packets = mnl_attr_get_u64(tb[SEG6_LOCAL_CNT_PACKETS]);
	sl->bytes = mnl_attr_get_u64(tb[SEG6_LOCAL_CNT_BYTES]);
	sl->errors = mnl_attr_get_u64(tb[SEG6_LOCAL_CNT_ERRORS]);
	return 0;
}

static int
nl_get_seg6local(const struct nlattr *nest, struct nl_seg6local *sl)
{
	const struct nlattr	*tb[SEG6_LOCAL_MAX + 1];

	if (nl_parse_nest(nest, seg6local_pol, SEG6_LOCAL_MAX, 0, tb) == -1 ||
	    tb[SEG6_LOCAL_ACTION] == NULL)
		return -1;
	sl->action = mnl_attr_get_u32(tb[SEG6_LOCAL_ACTION]);
	if (tb[SEG6_LOCAL_TABLE] != NULL)
		sl->table = mnl_attr_get_u32(tb[SEG6_LOCAL_TABLE]);
	if (tb[SEG6_LOCAL_VRFTABLE] != NULL)
		sl->vrftable = mnl_attr_get_u32(tb[SEG6_LOCAL_VRFTABLE]);
	if (tb[SEG6_LOCAL_NH4] != NULL) {
		sl->has_nh4 = true;
		memcpy(&sl->nh4, mnl_attr_get_payload(tb[SEG6_LOCAL_NH4]),
		    sizeof(sl->nh4));
	}
	if (tb[SEG6_LOCAL_NH6] != NULL) {
		sl->has_nh6 = true;
		memcpy(&sl->nh6, mnl_attr_get_payload(tb[SEG6_LOCAL_NH6]),
		    sizeof(sl->nh6));
	}
	if (tb[SEG6_LOCAL_COUNTERS] != NULL &&
	    nl_get_counters(tb[SEG6_LOCAL_COUNTERS], sl) == -1)
		return -1;
	return 0;
}

/*
 * An ENCAP_TYPE / ENCAP pair (either may be NULL).  Encapsulations other
 * than seg6 and seg6local are recorded by type only.
 */
static int
nl_get_lwt(const struct nlattr *type, const struct nlattr *encap,
    uint16_t *encap_type, struct nl_seg6_encap *seg6,
    struct nl_seg6local *sl)
{
	const struct nlattr	*tb[SEG6_IPTUNNEL_MAX + 1];

	if (type == NULL)
		return encap == NULL ? 0 : -1;
	*encap_type = mnl_attr_get_u16(type);
	switch (*encap_type) {
	case LWTUNNEL_ENCAP_SEG6:
		if (encap == NULL || nl_parse_nest(encap, seg6_pol,
		    SEG6_IPTUNNEL_MAX, 0, tb) == -1 ||
		    tb[SEG6_IPTUNNEL_SRH] == NULL)
			return -1;
		return nl_get_srh(tb[SEG6_IPTUNNEL_SRH], seg6);
	case LWTUNNEL_ENCAP_SEG6_LOCAL:
		if (encap == NULL || sl == NULL)
			return -1;
		return nl_get_seg6local(encap, sl);
	default:
		return 0;
	}
}

/* RTA_VIA: struct rtvia (a host-order family) then an address. */
static int
nl_get_via(const struct nlattr *attr, struct srv6d_addr *a)
{
	const uint8_t	*b = mnl_attr_get_payload(attr);
	size_t		 len = mnl_attr_get_payload_len(attr);
	struct rtvia	 via;

	if (len < sizeof(via))
		return -1;
	memcpy(&via, b, sizeof(via));
	if ((via.rtvia_family != AF_INET && via.rtvia_family != AF_INET6) ||
	    len != sizeof(via) + nl_addr_len(via.rtvia_family))
		return -1;
	memset(a, 0, sizeof(*a));
	a->af = via.rtvia_family;
	memcpy(&a->v6, b + sizeof(via), nl_addr_len(a->af));
	return 0;
}

static const struct nl_pol route_pol[RTA_MAX + 1] = {
	[RTA_DST] = { NL_T_ADDR, 0 },
	[RTA_OIF] = { MNL_TYPE_U32, 0 },
	[RTA_GATEWAY] = { NL_T_ADDR, 0 },
	[RTA_PRIORITY] = { MNL_TYPE_U32, 0 },
	[RTA_MULTIPATH] = { MNL_TYPE_BINARY, 0 },
	[RTA_TABLE] = { MNL_TYPE_U32, 0 },
	[RTA_VIA] = { MNL_TYPE_BINARY, 0 },
	[RTA_ENCAP_TYPE] = { MNL_TYPE_U16, 0 },
	[RTA_ENCAP] = { MNL_TYPE_NESTED, 0 },
	[RTA_NH_ID] = { MNL_TYPE_U32, 0 },
};

/* Gateway, encapsulation of one path from its attributes. */
static int
nl_get_path(const struct nlattr **tb, uint8_t family, struct nl_path *p)
{
	if (tb[RTA_GATEWAY] != NULL)
		nl_get_addr(tb[RTA_GATEWAY], family, &p->gateway);
	else if (tb[RTA_VIA] != NULL && nl_get_via(tb[RTA_VIA],
	    &p->gateway) == -1)
		return -1;
	return nl_get_lwt(tb[RTA_ENCAP_TYPE], tb[RTA_ENCAP], &p->encap_type,
	    &p->seg6, &p->seg6local);
}

/* RTA_MULTIPATH: rtnexthop entries, each with its attributes. */
static int
nl_get_multipath(const struct nlattr *attr, struct nl_route *r)
{
	const struct nlattr	*tb[RTA_MAX + 1];
	const uint8_t		*b = mnl_attr_get_payload(attr);
	size_t			 len = mnl_attr_get_payload_len(attr);
	struct rtnexthop	 rtnh;
	struct nl_path		*p;
	size_t			 step;

	r->multipath = true;
	while (len > 0) {
		if (len < sizeof(rtnh) || r->npaths == NL_PATHS_MAX)
			return -1;
		memcpy(&rtnh, b, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > len ||
		    nl_parse_buf(b + sizeof(rtnh), rtnh.rtnh_len - sizeof(rtnh),
		    route_pol, RTA_MAX, nl_addr_len(r->family), tb) == -1)
			return -1;
		p = &r->paths[r->npaths++];
		p->oif = (uint32_t)rtnh.rtnh_ifindex;
		p->flags = rtnh.rtnh_flags;
		p->weight = rtnh.rtnh_hops;
		if (nl_get_path(tb, r->family, p) == -1)
			return -1;
		step = RTNH_ALIGN(rtnh.rtnh_len);
		if (step > len)
			step = len;
		b += step;
		len -= step;
	}
	return 0;
}

/* Route attributes past the key: one path, or the multipath list. */
static int
nl_route_paths(const struct nlattr **tb, uint32_t rtm_flags,
    struct nl_route *r)
{
	struct nl_path	*p = &r->paths[0];

	if (tb[RTA_NH_ID] != NULL)
		r->nh_id = mnl_attr_get_u32(tb[RTA_NH_ID]);
	if (tb[RTA_MULTIPATH] != NULL)
		return nl_get_multipath(tb[RTA_MULTIPATH], r);
	if (tb[RTA_OIF] == NULL && tb[RTA_GATEWAY] == NULL &&
	    tb[RTA_VIA] == NULL && tb[RTA_ENCAP_TYPE] == NULL)
		return tb[RTA_ENCAP] == NULL ? 0 : -1;
	r->npaths = 1;
	p->flags = rtm_flags & 0xff;	/* RTNH_F_*; RTM_F_* are above */
	if (tb[RTA_OIF] != NULL)
		p->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	return nl_get_path(tb, r->family, p);
}

int
nl_route_parse(const struct nlmsghdr *nlh, struct nl_route *r)
{
	const struct nlattr	*tb[RTA_MAX + 1];
	const struct rtmsg	*rtm;
	size_t			 alen;

	memset(r, 0, sizeof(*r));
	if ((nlh->nlmsg_type != RTM_NEWROUTE &&
	    nlh->nlmsg_type != RTM_DELROUTE) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return -1;
	rtm = mnl_nlmsg_get_payload(nlh);
	if ((alen = nl_addr_len(rtm->rtm_family)) == 0 ||
	    rtm->rtm_dst_len > 8 * alen ||
	    nl_parse_msg(nlh, sizeof(*rtm), route_pol, RTA_MAX, alen,
	    tb) == -1)
		return -1;
	r->family = rtm->rtm_family;
	r->protocol = rtm->rtm_protocol;
	r->type = rtm->rtm_type;
	r->scope = rtm->rtm_scope;
	r->flags = rtm->rtm_flags & ~0xffu;
	r->table = tb[RTA_TABLE] != NULL ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	if (tb[RTA_PRIORITY] != NULL)
		r->priority = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	r->dst.addr.af = r->family;
	r->dst.len = rtm->rtm_dst_len;
	if (tb[RTA_DST] != NULL)
		nl_get_addr(tb[RTA_DST], r->family, &r->dst.addr);
	return nl_route_paths(tb, rtm->rtm_flags, r);
}

static const struct nl_pol nexthop_pol[NHA_MAX + 1] = {
	[NHA_ID] = { MNL_TYPE_U32, 0 },
	[NHA_GROUP] = { MNL_TYPE_BINARY, 0 },
	[NHA_BLACKHOLE] = { MNL_TYPE_FLAG, 0 },
	[NHA_OIF] = { MNL_TYPE_U32, 0 },
	[NHA_GATEWAY] = { NL_T_ADDR, 0 },
	[NHA_ENCAP_TYPE] = { MNL_TYPE_U16, 0 },
	[NHA_ENCAP] = { MNL_TYPE_NESTED, 0 },
};

static int
nl_get_nhgroup(const struct nlattr *attr, struct nl_nexthop *nh)
{
	const uint8_t		*b = mnl_attr_get_payload(attr);
	size_t			 len = mnl_attr_get_payload_len(attr);
	struct nexthop_grp	 g;
	unsigned int		 i, n;

	n = len / sizeof(g);
	if (len % sizeof(g) != 0 || n == 0 || n > NL_PATHS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&g, b + i * sizeof(g), sizeof(g));
		nh->group[i].id = g.id;
		nh->group[i].weight = g.weight;
	}
	nh->ngroup = n;
	return 0;
}

int
nl_nexthop_parse(const struct nlmsghdr *nlh, struct nl_nexthop *nh)
{
	const struct nlattr	*tb[NHA_MAX + 1];
	const struct nhmsg	*nhm;

	memset(nh, 0, sizeof(*nh));
	if ((nlh->nlmsg_type != RTM_NEWNEXTHOP &&
	    nlh->nlmsg_type != RTM_DELNEXTHOP) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nhm)))
		return -1;
	nhm = mnl_nlmsg_get_payload(nlh);
	if (nl_parse_msg(nlh, sizeof(*nhm), nexthop_pol, NHA_MAX,
	    nl_addr_len(nhm->nh_family), tb) == -1 || tb[NHA_ID] == NULL)
		return -1;
	nh->family = nhm->nh_family;
	nh->protocol = nhm->nh_protocol;
	nh->flags = nhm->nh_flags;
	nh->id = mnl_attr_get_u32(tb[NHA_ID]);
	nh->blackhole = tb[NHA_BLACKHOLE] != NULL;
	if (tb[NHA_OIF] != NULL)
		nh->oif = mnl_attr_get_u32(tb[NHA_OIF]);
	if (tb[NHA_GATEWAY] != NULL)
		nl_get_addr(tb[NHA_GATEWAY], nh->family, &nh->gateway);
	if (tb[NHA_GROUP] != NULL && nl_get_nhgroup(tb[NHA_GROUP], nh) == -1)
		return -1;
	return nl_get_lwt(tb[NHA_ENCAP_TYPE], tb[NHA_ENCAP], &nh->encap_type,
	    &nh->seg6, NULL);
}

static const struct nl_pol rule_pol[FRA_MAX + 1] = {
	[FRA_IIFNAME] = { MNL_TYPE_NUL_STRING, IFNAMSIZ },
	[FRA_PRIORITY] = { MNL_TYPE_U32, 0 },
	[FRA_TABLE] = { MNL_TYPE_U32, 0 },
	[FRA_PROTOCOL] = { MNL_TYPE_U8, 0 },
};

int
nl_rule_parse(const struct nlmsghdr *nlh, struct nl_rule *r)
{
	const struct nlattr		*tb[FRA_MAX + 1];
	const struct fib_rule_hdr	*frh;

	memset(r, 0, sizeof(*r));
	if ((nlh->nlmsg_type != RTM_NEWRULE &&
	    nlh->nlmsg_type != RTM_DELRULE) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*frh)))
		return -1;
	frh = mnl_nlmsg_get_payload(nlh);
	if (nl_parse_msg(nlh, sizeof(*frh), rule_pol, FRA_MAX, 0, tb) == -1)
		return -1;
	r->family = frh->family;
	r->action = frh->action;
	r->table = tb[FRA_TABLE] != NULL ? mnl_attr_get_u32(tb[FRA_TABLE]) :
	    frh->table;
	if (tb[FRA_PRIORITY] != NULL)
		r->priority = mnl_attr_get_u32(tb[FRA_PRIORITY]);
	if (tb[FRA_PROTOCOL] != NULL)
		r->protocol = mnl_attr_get_u8(tb[FRA_PROTOCOL]);
	if (tb[FRA_IIFNAME] != NULL)
		strlcpy(r->iifname, mnl_attr_get_str(tb[FRA_IIFNAME]),
		    sizeof(r->iifname));
	return 0;
}

static const struct nl_pol link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, IFNAMSIZ },
	[IFLA_MASTER] = { MNL_TYPE_U32, 0 },
	[IFLA_LINKINFO] = { MNL_TYPE_NESTED, 0 },
};

static const struct nl_pol linkinfo_pol[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_INFO_DATA] = { MNL_TYPE_NESTED, 0 },
};

static const struct nl_pol vrf_pol[IFLA_VRF_MAX + 1] = {
	[IFLA_VRF_TABLE] = { MNL_TYPE_U32, 0 },
};

/* IFLA_LINKINFO: the kind, and a VRF device's table. */
static int
nl_get_linkinfo(const struct nlattr *nest, struct nl_link *l)
{
	const struct nlattr	*tb[IFLA_INFO_MAX + 1];
	const struct nlattr	*vtb[IFLA_VRF_MAX + 1];

	if (nl_parse_nest(nest, linkinfo_pol, IFLA_INFO_MAX, 0, tb) == -1)
		return -1;
	if (tb[IFLA_INFO_KIND] == NULL)
		return 0;
	strlcpy(l->kind, mnl_attr_get_str(tb[IFLA_INFO_KIND]),
	    sizeof(l->kind));
	if (strcmp(l->kind, "vrf") != 0 || tb[IFLA_INFO_DATA] == NULL)
		return 0;
	if (nl_parse_nest(tb[IFLA_INFO_DATA], vrf_pol, IFLA_VRF_MAX, 0,
	    vtb) == -1)
		return -1;
	if (vtb[IFLA_VRF_TABLE] != NULL)
		l->vrf_table = mnl_attr_get_u32(vtb[IFLA_VRF_TABLE]);
	return 0;
}

int
nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct nlattr	*tb[IFLA_MAX + 1];
	const struct ifinfomsg	*ifi;

	memset(l, 0, sizeof(*l));
	if ((nlh->nlmsg_type != RTM_NEWLINK &&
	    nlh->nlmsg_type != RTM_DELLINK) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (nl_parse_msg(nlh, sizeof(*ifi), link_pol, IFLA_MAX, 0, tb) == -1)
		return -1;
	l->ifindex = (uint32_t)ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->up = (ifi->ifi_flags & IFF_UP) != 0;
	if (tb[IFLA_IFNAME] != NULL)
		strlcpy(l->name, mnl_attr_get_str(tb[IFLA_IFNAME]),
		    sizeof(l->name));
	if (tb[IFLA_MASTER] != NULL)
		l->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINKINFO] != NULL)
		return nl_get_linkinfo(tb[IFLA_LINKINFO], l);
	return 0;
}

static const struct nl_pol addr_pol[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { NL_T_ADDR, 0 },
	[IFA_LOCAL] = { NL_T_ADDR, 0 },
	[IFA_FLAGS] = { MNL_TYPE_U32, 0 },
};

int
nl_addr_parse(const struct nlmsghdr *nlh, struct nl_addr *a)
{
	const struct nlattr	*tb[IFA_MAX + 1], *at;
	const struct ifaddrmsg	*ifa;
	size_t			 alen;

	memset(a, 0, sizeof(*a));
	if ((nlh->nlmsg_type != RTM_NEWADDR &&
	    nlh->nlmsg_type != RTM_DELADDR) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return -1;
	ifa = mnl_nlmsg_get_payload(nlh);
	if ((alen = nl_addr_len(ifa->ifa_family)) == 0 ||
	    ifa->ifa_prefixlen > 8 * alen ||
	    nl_parse_msg(nlh, sizeof(*ifa), addr_pol, IFA_MAX, alen,
	    tb) == -1)
		return -1;
	/* IPv4: IFA_LOCAL is ours, IFA_ADDRESS a point-to-point peer. */
	if ((at = tb[IFA_LOCAL]) == NULL && (at = tb[IFA_ADDRESS]) == NULL)
		return -1;
	a->ifindex = ifa->ifa_index;
	a->scope = ifa->ifa_scope;
	a->flags = tb[IFA_FLAGS] != NULL ? mnl_attr_get_u32(tb[IFA_FLAGS]) :
	    ifa->ifa_flags;
	nl_get_addr(at, ifa->ifa_family, &a->prefix.addr);
	a->prefix.len = ifa->ifa_prefixlen;
	return 0;
}

static const struct nl_pol ctrl_pol[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16, 0 },
};

/* The family id in the reply to CTRL_CMD_GETFAMILY. */
int
nl_genl_family_id(const struct nlmsghdr *nlh, uint16_t *id)
{
	const struct nlattr	*tb[CTRL_ATTR_MAX + 1];

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    nl_parse_msg(nlh, sizeof(struct genlmsghdr), ctrl_pol,
	    CTRL_ATTR_MAX, 0, tb) == -1 || tb[CTRL_ATTR_FAMILY_ID] == NULL)
		return -1;
	*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

static const struct nl_pol seg6genl_pol[SEG6_ATTR_MAX + 1] = {
	[SEG6_ATTR_DST] = { MNL_TYPE_BINARY, sizeof(struct in6_addr) },
};

/* The reply to SEG6_CMD_GET_TUNSRC. */
int
nl_seg6_tunsrc_parse(const struct nlmsghdr *nlh, uint16_t family,
    struct in6_addr *src)
{
	const struct nlattr	*tb[SEG6_ATTR_MAX + 1];
	const struct genlmsghdr	*g;

	if (nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	if (g->cmd != SEG6_CMD_GET_TUNSRC ||
	    nl_parse_msg(nlh, sizeof(*g), seg6genl_pol, SEG6_ATTR_MAX, 0,
	    tb) == -1 || tb[SEG6_ATTR_DST] == NULL)
		return -1;
	memcpy(src, mnl_attr_get_payload(tb[SEG6_ATTR_DST]), sizeof(*src));
	return 0;
}
