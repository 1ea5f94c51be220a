/*
 * nl_msg.h: the exact netlink messages srv6d sends the kernel, and the
 * parsers of what the kernel sends back.  Pure code over caller buffers:
 * no sockets, no state.  The facts behind each message are in
 * ../shared/SRV6.md; the kernel's uapi headers name every attribute.
 *
 * Builders write one message into buf (buflen bytes) with libmnl and
 * return it, or NULL when it does not fit (buf is then garbage).  They set
 * NLM_F_REQUEST and OR in the caller's flags; the caller sets nlmsg_seq.
 * Parsers take one message (a dump entry or notification), validate every
 * attribute they read and fill a plain struct: 0, or -1 when the message
 * is malformed (truncated header or attribute, wrong attribute size,
 * bytes left over, a SID list that is not an SRH).
 */
#ifndef NL_MSG_H
#define NL_MSG_H

#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/netlink.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv6d.h"

struct nlmsghdr;

/* srv6d's route protocol number: on every route, rule, nexthop object. */
#define RTPROT_SRV6D		201
/* Nexthop object ids srv6d allocates start here (recognisable). */
#define NL_NHID_BASE		0x5d600000u

/* Flags for an idempotent add (replace what is there) and a delete. */
#define NL_F_NEW		(NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE)
#define NL_F_DEL		(NLM_F_ACK)

#define NL_SEGS_MAX		8	/* SIDs of one seg6 encapsulation */
#define NL_PATHS_MAX		16	/* ECMP paths (FIB_NEXTHOPS_MAX) */

/* A seg6 encapsulation (LWTUNNEL_ENCAP_SEG6). */
struct nl_seg6_encap {
	int			 mode;	/* SEG6_IPTUN_MODE_ENCAP, _ENCAP_RED */
	uint8_t			 nsegs;
	/*
	 * In travel order, segs[0] the first SID visited (as `ip route ...
	 * segs A,B' lists them); the SRH on the wire holds them reversed.
	 */
	struct in6_addr		 segs[NL_SEGS_MAX];
};

/* A seg6local action (LWTUNNEL_ENCAP_SEG6_LOCAL) and its parameters. */
struct nl_seg6local {
	uint32_t		 action;	/* SEG6_LOCAL_ACTION_* */
	uint32_t		 table;		/* SEG6_LOCAL_TABLE, 0: none */
	uint32_t		 vrftable;	/* SEG6_LOCAL_VRFTABLE, 0: none */
	bool			 has_nh4;
	bool			 has_nh6;
	bool			 counters;	/* SEG6_LOCAL_COUNTERS present */
	struct in_addr		 nh4;		/* End.DX4 */
	struct in6_addr		 nh6;		/* End.X, End.DX6 */
	/* Counters: zero in a request (that enables them), read in dumps. */
	uint64_t		 packets;
	uint64_t		 bytes;
	uint64_t		 errors;
};

/* One next hop of a route: a single path, or one RTA_MULTIPATH entry. */
struct nl_path {
	uint32_t		 oif;		/* 0: none */
	uint8_t			 flags;		/* RTNH_F_* (RTNH_F_ONLINK) */
	uint8_t			 weight;	/* rtnh_hops: weight - 1 */
	uint16_t		 encap_type;	/* LWTUNNEL_ENCAP_*, 0: none */
	/*
	 * AF_UNSPEC: none.  An IPv6 gateway of an IPv4 route is RTA_VIA
	 * (RFC 8950 style next hop); otherwise RTA_GATEWAY.
	 */
	struct srv6d_addr	 gateway;
	struct nl_seg6_encap	 seg6;		/* encap_type SEG6 */
	struct nl_seg6local	 seg6local;	/* encap_type SEG6_LOCAL */
};

/*
 * A route.  To build, exactly one of: nh_id != 0 (RTA_NH_ID), npaths == 1
 * (RTA_OIF, RTA_GATEWAY/RTA_VIA, RTA_ENCAP of the route itself, rtm_flags
 * from paths[0].flags), npaths > 1 (RTA_MULTIPATH; for IPv6 the kernel
 * wants a gateway on every path, "Device only routes can not be added for
 * IPv6 using the multipath API").  A delete message carries only the key
 * (family, dst, table, protocol, priority), scope nowhere.  Parsed from a
 * dump, a route via a nexthop object has nh_id and also (with the default
 * net.ipv4.nexthop_compat_mode 1) the object's path spelled out.
 */
struct nl_route {
	uint8_t			 family;	/* AF_INET, AF_INET6 */
	uint8_t			 protocol;	/* RTPROT_SRV6D */
	uint8_t			 type;		/* RTN_UNICAST */
	uint8_t			 scope;		/* RT_SCOPE_UNIVERSE */
	uint32_t		 table;		/* RTA_TABLE over rtm_table */
	uint32_t		 priority;	/* RTA_PRIORITY, 0: none */
	uint32_t		 flags;		/* rtm_flags */
	struct srv6d_prefix	 dst;
	uint32_t		 nh_id;		/* RTA_NH_ID, 0: none */
	uint8_t			 npaths;
	bool			 multipath;	/* parsed: had RTA_MULTIPATH */
	struct nl_path		 paths[NL_PATHS_MAX];
};

/* A nexthop object (linux/nexthop.h). */
struct nl_nhgrp {
	uint32_t		 id;
	uint8_t			 weight;	/* weight - 1, as the kernel */
};

struct nl_nexthop {
	uint32_t		 id;
	/*
	 * AF_INET6 for a seg6 nexthop: IPv4 routes may use an IPv6 nexthop
	 * but IPv6 routes refuse an IPv4 one.  AF_UNSPEC for a group.
	 */
	uint8_t			 family;
	uint8_t			 protocol;	/* RTPROT_SRV6D */
	uint32_t		 flags;		/* nh_flags (RTNH_F_ONLINK) */
	uint32_t		 oif;
	bool			 blackhole;	/* parsed only */
	struct srv6d_addr	 gateway;	/* AF_UNSPEC: none */
	uint16_t		 encap_type;	/* LWTUNNEL_ENCAP_SEG6 or 0 */
	struct nl_seg6_encap	 seg6;
	uint8_t			 ngroup;	/* > 0: a group (NHA_GROUP) */
	struct nl_nhgrp		 group[NL_PATHS_MAX];
};

/* A policy routing rule, table action (`ip rule iif X lookup T'). */
struct nl_rule {
	uint8_t			 family;	/* AF_INET, AF_INET6 */
	uint8_t			 protocol;	/* FRA_PROTOCOL */
	uint8_t			 action;	/* FR_ACT_TO_TBL */
	uint32_t		 table;
	uint32_t		 priority;
	char			 iifname[IFNAMSIZ];	/* "": none */
};

/* A link (RTM_NEWLINK dump entry or notification). */
struct nl_link {
	uint32_t		 ifindex;
	uint32_t		 flags;		/* ifi_flags */
	bool			 up;		/* IFF_UP */
	uint32_t		 master;	/* IFLA_MASTER, 0: none */
	char			 name[IFNAMSIZ];
	char			 kind[16];	/* IFLA_INFO_KIND, "": none */
	uint32_t		 vrf_table;	/* kind "vrf": IFLA_VRF_TABLE */
};

/* An interface address. */
struct nl_addr {
	uint32_t		 ifindex;
	uint32_t		 flags;		/* IFA_FLAGS over ifa_flags */
	uint8_t			 scope;
	struct srv6d_prefix	 prefix;	/* IFA_LOCAL over IFA_ADDRESS */
};

/* nl_msg.c: links */
struct nlmsghdr	*nl_vrf_link(void *, size_t, uint16_t, const char *,
		    uint32_t);
struct nlmsghdr	*nl_link_updown(void *, size_t, uint16_t, uint32_t, bool);
struct nlmsghdr	*nl_link_master(void *, size_t, uint16_t, uint32_t,
		    uint32_t);
struct nlmsghdr	*nl_link_del(void *, size_t, uint16_t, uint32_t);

/*
 * rules, nexthop objects, routes: type RTM_NEW* or RTM_DEL*.  Rules: add
 * with NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL and take EEXIST as done;
 * without NLM_F_EXCL the kernel adds a duplicate (NLM_F_REPLACE does not
 * help).  Nexthop objects and routes: NL_F_NEW replaces in place.
 */
struct nlmsghdr	*nl_rule_msg(void *, size_t, uint16_t, uint16_t,
		    const struct nl_rule *);
struct nlmsghdr	*nl_nexthop_msg(void *, size_t, uint16_t, uint16_t,
		    const struct nl_nexthop *);
struct nlmsghdr	*nl_route_msg(void *, size_t, uint16_t, uint16_t,
		    const struct nl_route *);

/* Fill a route's usual fields (protocol srv6d, unicast, universe). */
void		 nl_route_init(struct nl_route *, const struct srv6d_prefix *,
		    uint32_t);
/* A seg6local SID route: sid/128 in table, oif, the action in sl. */
void		 nl_route_sid(struct nl_route *, const struct in6_addr *,
		    uint32_t, uint32_t, const struct nl_seg6local *);
/* `nh4/32 via nh4 dev oif onlink' in table: End.DX4's next hop. */
void		 nl_route_onlink_host(struct nl_route *, const struct in_addr *,
		    uint32_t, uint32_t);
/* SEG6_LOCAL_ACTION_* of an SRV6_BEHAVIOR_* code, 0: none. */
uint32_t	 nl_seg6local_action(uint16_t);

/* the SEG6 generic netlink family */
struct nlmsghdr	*nl_genl_getfamily(void *, size_t, const char *);
int		 nl_genl_family_id(const struct nlmsghdr *, uint16_t *);
struct nlmsghdr	*nl_seg6_tunsrc_set(void *, size_t, uint16_t, uint16_t,
		    const struct in6_addr *);
struct nlmsghdr	*nl_seg6_tunsrc_get(void *, size_t, uint16_t);
int		 nl_seg6_tunsrc_parse(const struct nlmsghdr *, uint16_t,
		    struct in6_addr *);

/* dump requests: RTM_GETROUTE, GETLINK, GETADDR, GETRULE, GETNEXTHOP */
struct nlmsghdr	*nl_dump_msg(void *, size_t, uint16_t, uint8_t);

/* parsers */
int		 nl_route_parse(const struct nlmsghdr *, struct nl_route *);
int		 nl_nexthop_parse(const struct nlmsghdr *,
		    struct nl_nexthop *);
int		 nl_rule_parse(const struct nlmsghdr *, struct nl_rule *);
int		 nl_link_parse(const struct nlmsghdr *, struct nl_link *);
int		 nl_addr_parse(const struct nlmsghdr *, struct nl_addr *);

#endif
