/*
 * nl_msg.c: every netlink message srv6d sends, taken apart again with
 * libmnl attribute by attribute (including the VRF-mode ones this kernel
 * cannot run), the SRH bytes, builder -> parser round trips for each
 * object kind, buffers one byte too small, and the parsers refusing
 * truncated and malformed attributes.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6.h>
#include <linux/seg6_genl.h>
#include <linux/seg6_iptunnel.h>
#include <linux/seg6_local.h>
#include <net/if.h>

#include <libmnl/libmnl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "nl_msg.h"
#include "srv6.h"

#define BUFLEN		8192
#define MAXATTR		64

static uint8_t	 buf[BUFLEN];

static struct in6_addr
SID(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct in_addr
V4(const char *s)
{
	struct in_addr	a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* ------------------------------------------------------------------ */
/* taking messages apart with libmnl alone                             */

struct attrs {
	const struct nlattr	*tb[MAXATTR];
	unsigned int		 n;
};

static int
collect_cb(const struct nlattr *a, void *arg)
{
	struct attrs	*at = arg;
	uint16_t	 type = mnl_attr_get_type(a);

	assert_true(type < MAXATTR);
	assert_null(at->tb[type]);	/* each attribute once */
	at->tb[type] = a;
	at->n++;
	return MNL_CB_OK;
}

/* A message's attributes after hdrlen bytes; every byte accounted for. */
static void
msg_attrs(const struct nlmsghdr *nlh, size_t hdrlen, struct attrs *at)
{
	const struct nlattr	*a;
	size_t			 used = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	memset(at, 0, sizeof(*at));
	assert_int_equal(mnl_attr_parse(nlh, hdrlen, collect_cb, at),
	    MNL_CB_OK);
	mnl_attr_for_each(a, nlh, hdrlen)
		used += MNL_ALIGN(a->nla_len);
	assert_int_equal(used, nlh->nlmsg_len);
}

static void
nest_attrs(const struct nlattr *nest, struct attrs *at)
{
	const struct nlattr	*a;
	size_t			 used = 0;

	memset(at, 0, sizeof(*at));
	assert_int_equal(mnl_attr_parse_nested(nest, collect_cb, at),
	    MNL_CB_OK);
	mnl_attr_for_each_nested(a, nest)
		used += MNL_ALIGN(a->nla_len);
	assert_int_equal(used, MNL_ALIGN(mnl_attr_get_payload_len(nest)));
}

static void
payload_attrs(const void *p, size_t len, struct attrs *at)
{
	memset(at, 0, sizeof(*at));
	assert_int_equal(mnl_attr_parse_payload(p, len, collect_cb, at),
	    MNL_CB_OK);
}

static uint32_t
u32(const struct attrs *at, uint16_t type)
{
	assert_non_null(at->tb[type]);
	assert_int_equal(mnl_attr_validate(at->tb[type], MNL_TYPE_U32), 0);
	return mnl_attr_get_u32(at->tb[type]);
}

static uint64_t
u64(const struct attrs *at, uint16_t type)
{
	assert_non_null(at->tb[type]);
	assert_int_equal(mnl_attr_validate(at->tb[type], MNL_TYPE_U64), 0);
	return mnl_attr_get_u64(at->tb[type]);
}

static void
assert_attr_bytes(const struct attrs *at, uint16_t type, const void *want,
    size_t len)
{
	assert_non_null(at->tb[type]);
	assert_int_equal(mnl_attr_get_payload_len(at->tb[type]), len);
	assert_memory_equal(mnl_attr_get_payload(at->tb[type]), want, len);
}

static void
assert_attr_str(const struct attrs *at, uint16_t type, const char *want)
{
	assert_non_null(at->tb[type]);
	assert_int_equal(mnl_attr_validate(at->tb[type], MNL_TYPE_NUL_STRING),
	    0);
	assert_string_equal(mnl_attr_get_str(at->tb[type]), want);
}

static void
assert_header(const struct nlmsghdr *nlh, uint16_t type, uint16_t flags)
{
	assert_non_null(nlh);
	assert_ptr_equal(nlh, buf);
	assert_int_equal(nlh->nlmsg_type, type);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | flags);
	assert_int_equal(nlh->nlmsg_seq, 0);
	assert_int_equal(nlh->nlmsg_len % 4, 0);
}

/*
 * A SEG6_IPTUNNEL_SRH payload, byte by byte: mode, then the SRH with
 * hdrlen 2N, type 4, segments_left = first_segment = N - 1, flags and
 * tag 0, and the segments reversed (RFC 8754 §2, SRV6.md).
 */
static void
assert_srh(const struct nlattr *encap, int mode, const char **segs,
    unsigned int n)
{
	struct attrs		 at;
	const uint8_t		*b;
	struct in6_addr		 s;
	int			 m;
	unsigned int		 i;

	nest_attrs(encap, &at);
	assert_int_equal(at.n, 1);
	assert_non_null(at.tb[SEG6_IPTUNNEL_SRH]);
	assert_int_equal(mnl_attr_get_payload_len(at.tb[SEG6_IPTUNNEL_SRH]),
	    4 + 8 + 16 * n);
	b = mnl_attr_get_payload(at.tb[SEG6_IPTUNNEL_SRH]);
	memcpy(&m, b, sizeof(m));
	assert_int_equal(m, mode);
	assert_int_equal(b[4], 0);		/* nexthdr: the kernel's */
	assert_int_equal(b[5], 2 * n);		/* hdrlen */
	assert_int_equal(b[6], 4);		/* type */
	assert_int_equal(b[7], n - 1);		/* segments_left */
	assert_int_equal(b[8], n - 1);		/* first_segment */
	assert_int_equal(b[9], 0);		/* flags */
	assert_int_equal(b[10], 0);		/* tag */
	assert_int_equal(b[11], 0);
	for (i = 0; i < n; i++) {
		s = SID(segs[n - 1 - i]);
		assert_memory_equal(b + 12 + 16 * i, &s, 16);
	}
}

/* Every shorter buffer refused, the exact size accepted. */
#define ASSERT_FITS_EXACTLY(call, len) do {				\
	size_t	 _l;							\
	for (_l = 0; _l < (len); _l++) {				\
		size_t buflen = _l;					\
		assert_null(call);					\
	}								\
	{								\
		size_t buflen = (len);					\
		assert_non_null(call);					\
	}								\
} while (0)

/* ------------------------------------------------------------------ */
/* seg6 encapsulations and seg6local actions used below                 */

static const char *segs1[] = { "fc00:0:2:2:100::" };
static const char *segs3[] = { "fc00:0:2::1", "fc00:0:3::2",
    "fc00:0:4:4:200::" };

static struct nl_seg6_encap
ENCAP(int mode, const char **segs, unsigned int n)
{
	struct nl_seg6_encap	e;
	unsigned int		i;

	memset(&e, 0, sizeof(e));
	e.mode = mode;
	e.nsegs = n;
	for (i = 0; i < n; i++)
		e.segs[i] = SID(segs[i]);
	return e;
}

static void
assert_encap_equal(const struct nl_seg6_encap *a,
    const struct nl_seg6_encap *b)
{
	unsigned int	i;

	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->nsegs, b->nsegs);
	for (i = 0; i < a->nsegs; i++)
		assert_memory_equal(&a->segs[i], &b->segs[i], 16);
}

static void
assert_seg6local_equal(const struct nl_seg6local *a,
    const struct nl_seg6local *b)
{
	assert_int_equal(a->action, b->action);
	assert_int_equal(a->table, b->table);
	assert_int_equal(a->vrftable, b->vrftable);
	assert_int_equal(a->has_nh4, b->has_nh4);
	assert_int_equal(a->has_nh6, b->has_nh6);
	if (a->has_nh4)
		assert_memory_equal(&a->nh4, &b->nh4, 4);
	if (a->has_nh6)
		assert_memory_equal(&a->nh6, &b->nh6, 16);
	assert_int_equal(a->counters, b->counters);
	assert_int_equal(a->packets, b->packets);
	assert_int_equal(a->bytes, b->bytes);
	assert_int_equal(a->errors, b->errors);
}

static void
assert_path_equal(const struct nl_path *a, const struct nl_path *b)
{
	assert_int_equal(a->oif, b->oif);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->weight, b->weight);
	assert_int_equal(a->encap_type, b->encap_type);
	assert_int_equal(addr_cmp(&a->gateway, &b->gateway), 0);
	assert_int_equal(a->gateway.af, b->gateway.af);
	if (a->encap_type == LWTUNNEL_ENCAP_SEG6)
		assert_encap_equal(&a->seg6, &b->seg6);
	if (a->encap_type == LWTUNNEL_ENCAP_SEG6_LOCAL)
		assert_seg6local_equal(&a->seg6local, &b->seg6local);
}

static void
assert_route_equal(const struct nl_route *a, const struct nl_route *b)
{
	unsigned int	i;

	assert_int_equal(a->family, b->family);
	assert_int_equal(a->protocol, b->protocol);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->scope, b->scope);
	assert_int_equal(a->table, b->table);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->dst.len, b->dst.len);
	assert_int_equal(addr_cmp(&a->dst.addr, &b->dst.addr), 0);
	assert_int_equal(a->nh_id, b->nh_id);
	assert_int_equal(a->npaths, b->npaths);
	assert_int_equal(a->multipath, b->multipath);
	for (i = 0; i < a->npaths; i++)
		assert_path_equal(&a->paths[i], &b->paths[i]);
}

/* Build r, parse it back, compare. */
static struct nlmsghdr *
route_round_trip(const struct nl_route *r)
{
	struct nlmsghdr	*nlh;
	struct nl_route	 out;

	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, r);
	assert_header(nlh, RTM_NEWROUTE, NL_F_NEW);
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	assert_route_equal(&out, r);
	return nlh;
}

/* The rtmsg of a route message and its key attributes. */
static const struct rtmsg *
assert_route_key(const struct nlmsghdr *nlh, const char *dst,
    uint32_t table, struct attrs *at)
{
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);
	struct srv6d_prefix	 p = P(dst);

	msg_attrs(nlh, sizeof(*rtm), at);
	assert_int_equal(rtm->rtm_family, p.addr.af);
	assert_int_equal(rtm->rtm_dst_len, p.len);
	assert_int_equal(rtm->rtm_src_len, 0);
	assert_int_equal(rtm->rtm_tos, 0);
	assert_int_equal(rtm->rtm_protocol, RTPROT_SRV6D);
	assert_int_equal(rtm->rtm_table, table < 256 ? table : RT_TABLE_UNSPEC);
	assert_int_equal(u32(at, RTA_TABLE), table);
	assert_attr_bytes(at, RTA_DST, &p.addr.v6, p.addr.af == AF_INET ?
	    4 : 16);
	return rtm;
}

/* ------------------------------------------------------------------ */
/* links: VRF device (VRF mode), up/down, enslave/release, delete      */

static void
test_vrf_link(void **state)
{
	struct nlmsghdr		*nlh;
	const struct ifinfomsg	*ifi;
	struct attrs		 at, info, data;
	struct nl_link		 l;
	char			 name[IFNAMSIZ + 1];

	(void)state;
	nlh = nl_vrf_link(buf, sizeof(buf), NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL, "vrf-blue", 1010);
	assert_header(nlh, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);
	assert_int_equal(ifi->ifi_index, 0);
	assert_int_equal(ifi->ifi_flags, 0);
	assert_int_equal(ifi->ifi_change, 0);
	msg_attrs(nlh, sizeof(*ifi), &at);
	assert_int_equal(at.n, 2);
	assert_attr_str(&at, IFLA_IFNAME, "vrf-blue");
	assert_non_null(at.tb[IFLA_LINKINFO]);
	nest_attrs(at.tb[IFLA_LINKINFO], &info);
	assert_int_equal(info.n, 2);
	assert_attr_str(&info, IFLA_INFO_KIND, "vrf");
	nest_attrs(info.tb[IFLA_INFO_DATA], &data);
	assert_int_equal(data.n, 1);
	assert_int_equal(u32(&data, IFLA_VRF_TABLE), 1010);

	/* the kernel's notification has the same shape */
	assert_int_equal(nl_link_parse(nlh, &l), 0);
	assert_string_equal(l.name, "vrf-blue");
	assert_string_equal(l.kind, "vrf");
	assert_int_equal(l.vrf_table, 1010);
	assert_false(l.up);
	assert_int_equal(l.master, 0);

	/* a name the kernel cannot take is refused here */
	memset(name, 'x', IFNAMSIZ);
	name[IFNAMSIZ] = '\0';
	assert_null(nl_vrf_link(buf, sizeof(buf), NL_F_NEW, name, 10));
	name[IFNAMSIZ - 1] = '\0';
	assert_non_null(nl_vrf_link(buf, sizeof(buf), NL_F_NEW, name, 10));
	assert_null(nl_vrf_link(buf, sizeof(buf), NL_F_NEW, "", 10));
	ASSERT_FITS_EXACTLY(nl_vrf_link(buf, buflen, NL_F_NEW, "vrf-blue",
	    1010), 16 + 16 + 16 + 24);
}

static void
test_link_updown_master_del(void **state)
{
	struct nlmsghdr		*nlh;
	const struct ifinfomsg	*ifi;
	struct attrs		 at;
	struct nl_link		 l;

	(void)state;
	nlh = nl_link_updown(buf, sizeof(buf), NLM_F_ACK, 7, true);
	assert_header(nlh, RTM_NEWLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(ifi->ifi_flags, IFF_UP);
	assert_int_equal(ifi->ifi_change, IFF_UP);
	msg_attrs(nlh, sizeof(*ifi), &at);
	assert_int_equal(at.n, 0);
	assert_int_equal(nl_link_parse(nlh, &l), 0);
	assert_true(l.up);
	assert_int_equal(l.ifindex, 7);

	nlh = nl_link_updown(buf, sizeof(buf), NLM_F_ACK, 7, false);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_flags, 0);
	assert_int_equal(ifi->ifi_change, IFF_UP);

	nlh = nl_link_master(buf, sizeof(buf), NLM_F_ACK, 7, 12);
	assert_header(nlh, RTM_NEWLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(ifi->ifi_change, 0);
	msg_attrs(nlh, sizeof(*ifi), &at);
	assert_int_equal(at.n, 1);
	assert_int_equal(u32(&at, IFLA_MASTER), 12);
	assert_int_equal(nl_link_parse(nlh, &l), 0);
	assert_int_equal(l.master, 12);
	/* release: IFLA_MASTER 0, present */
	nlh = nl_link_master(buf, sizeof(buf), NLM_F_ACK, 7, 0);
	msg_attrs(nlh, sizeof(*ifi), &at);
	assert_int_equal(u32(&at, IFLA_MASTER), 0);
	ASSERT_FITS_EXACTLY(nl_link_master(buf, buflen, NLM_F_ACK, 7, 0),
	    16 + 16 + 8);

	nlh = nl_link_del(buf, sizeof(buf), NLM_F_ACK, 12);
	assert_header(nlh, RTM_DELLINK, NLM_F_ACK);
	ifi = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifi->ifi_index, 12);
	assert_int_equal(nlh->nlmsg_len, 32);
	ASSERT_FITS_EXACTLY(nl_link_del(buf, buflen, NLM_F_ACK, 12), 32);
}

/* ------------------------------------------------------------------ */
/* rules (table mode)                                                   */

static void
test_rule(void **state)
{
	static const uint32_t	 tables[] = { 10, 1000 };
	static const uint8_t	 afs[] = { AF_INET, AF_INET6 };
	struct nl_rule		 r, out;
	struct nlmsghdr		*nlh;
	const struct fib_rule_hdr *frh;
	struct attrs		 at;
	unsigned int		 i, j;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			memset(&r, 0, sizeof(r));
			r.family = afs[i];
			r.protocol = RTPROT_SRV6D;
			r.action = FR_ACT_TO_TBL;
			r.table = tables[j];
			r.priority = 2000;
			strlcpy(r.iifname, "veth-pod1", sizeof(r.iifname));
			nlh = nl_rule_msg(buf, sizeof(buf), RTM_NEWRULE,
			    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &r);
			assert_header(nlh, RTM_NEWRULE, NLM_F_ACK |
			    NLM_F_CREATE | NLM_F_EXCL);
			frh = mnl_nlmsg_get_payload(nlh);
			assert_int_equal(frh->family, afs[i]);
			assert_int_equal(frh->dst_len, 0);
			assert_int_equal(frh->src_len, 0);
			assert_int_equal(frh->table, tables[j] < 256 ?
			    tables[j] : RT_TABLE_UNSPEC);
			assert_int_equal(frh->action, FR_ACT_TO_TBL);
			assert_int_equal(frh->flags, 0);
			msg_attrs(nlh, sizeof(*frh), &at);
			assert_int_equal(at.n, 4);
			assert_attr_str(&at, FRA_IIFNAME, "veth-pod1");
			assert_int_equal(u32(&at, FRA_TABLE), tables[j]);
			assert_int_equal(u32(&at, FRA_PRIORITY), 2000);
			assert_int_equal(mnl_attr_validate(at.tb[FRA_PROTOCOL],
			    MNL_TYPE_U8), 0);
			assert_int_equal(mnl_attr_get_u8(at.tb[FRA_PROTOCOL]),
			    RTPROT_SRV6D);
			assert_int_equal(nl_rule_parse(nlh, &out), 0);
			assert_memory_equal(&out, &r, sizeof(r));
		}
	nlh = nl_rule_msg(buf, sizeof(buf), RTM_DELRULE, NL_F_DEL, &r);
	assert_header(nlh, RTM_DELRULE, NLM_F_ACK);
	msg_attrs(nlh, sizeof(*frh), &at);
	assert_int_equal(at.n, 4);
	assert_null(nl_rule_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r));
	ASSERT_FITS_EXACTLY(nl_rule_msg(buf, buflen, RTM_NEWRULE, NL_F_NEW,
	    &r), 16 + 12 + 16 + 8 + 8 + 8);
}

/* ------------------------------------------------------------------ */
/* nexthop objects                                                      */

static struct nl_nexthop
NH(uint32_t id, const char *gw, int mode, const char **segs, unsigned int n)
{
	struct nl_nexthop	nh;

	memset(&nh, 0, sizeof(nh));
	nh.id = id;
	nh.family = AF_INET6;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = 3;
	if (gw != NULL)
		nh.gateway = A(gw);
	nh.encap_type = LWTUNNEL_ENCAP_SEG6;
	nh.seg6 = ENCAP(mode, segs, n);
	return nh;
}

static void
assert_nexthop_equal(const struct nl_nexthop *a, const struct nl_nexthop *b)
{
	unsigned int	i;

	assert_int_equal(a->id, b->id);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->protocol, b->protocol);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->oif, b->oif);
	assert_int_equal(a->blackhole, b->blackhole);
	assert_int_equal(a->gateway.af, b->gateway.af);
	assert_int_equal(addr_cmp(&a->gateway, &b->gateway), 0);
	assert_int_equal(a->encap_type, b->encap_type);
	if (a->encap_type == LWTUNNEL_ENCAP_SEG6)
		assert_encap_equal(&a->seg6, &b->seg6);
	assert_int_equal(a->ngroup, b->ngroup);
	for (i = 0; i < a->ngroup; i++) {
		assert_int_equal(a->group[i].id, b->group[i].id);
		assert_int_equal(a->group[i].weight, b->group[i].weight);
	}
}

static void
test_nexthop_seg6(void **state)
{
	struct nl_nexthop	 nh, out;
	struct nlmsghdr		*nlh;
	const struct nhmsg	*nhm;
	struct attrs		 at;
	struct srv6d_addr	 gw = A("2001:db8::2");

	(void)state;
	/* encap, one SID, IPv6 gateway */
	nh = NH(NL_NHID_BASE + 1, "2001:db8::2", SEG6_IPTUN_MODE_ENCAP,
	    segs1, 1);
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	assert_header(nlh, RTM_NEWNEXTHOP, NL_F_NEW);
	nhm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nhm->nh_family, AF_INET6);
	assert_int_equal(nhm->nh_scope, 0);
	assert_int_equal(nhm->nh_protocol, RTPROT_SRV6D);
	assert_int_equal(nhm->nh_flags, 0);
	msg_attrs(nlh, sizeof(*nhm), &at);
	assert_int_equal(at.n, 5);
	assert_int_equal(u32(&at, NHA_ID), 0x5d600001);
	assert_int_equal(u32(&at, NHA_OIF), 3);
	assert_attr_bytes(&at, NHA_GATEWAY, &gw.v6, 16);
	assert_int_equal(mnl_attr_validate(at.tb[NHA_ENCAP_TYPE],
	    MNL_TYPE_U16), 0);
	assert_int_equal(mnl_attr_get_u16(at.tb[NHA_ENCAP_TYPE]),
	    LWTUNNEL_ENCAP_SEG6);
	assert_srh(at.tb[NHA_ENCAP], SEG6_IPTUN_MODE_ENCAP, segs1, 1);
	assert_int_equal(nl_nexthop_parse(nlh, &out), 0);
	assert_nexthop_equal(&out, &nh);
	ASSERT_FITS_EXACTLY(nl_nexthop_msg(buf, buflen, RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh), 16 + 8 + 8 + 8 + 20 + 8 + 4 + 4 + 28);

	/* encap.red, three SIDs, no gateway */
	nh = NH(NL_NHID_BASE + 2, NULL, SEG6_IPTUN_MODE_ENCAP_RED, segs3, 3);
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	msg_attrs(nlh, sizeof(*nhm), &at);
	assert_int_equal(at.n, 4);
	assert_null(at.tb[NHA_GATEWAY]);
	assert_srh(at.tb[NHA_ENCAP], SEG6_IPTUN_MODE_ENCAP_RED, segs3, 3);
	assert_int_equal(nl_nexthop_parse(nlh, &out), 0);
	assert_nexthop_equal(&out, &nh);

	/* a plain IPv4 nexthop */
	memset(&nh, 0, sizeof(nh));
	nh.id = 9;
	nh.family = AF_INET;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = 4;
	nh.flags = RTNH_F_ONLINK;
	nh.gateway = A("192.0.2.1");
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	nhm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nhm->nh_flags, RTNH_F_ONLINK);
	msg_attrs(nlh, sizeof(*nhm), &at);
	assert_int_equal(at.n, 3);
	assert_attr_bytes(&at, NHA_GATEWAY, &nh.gateway.v4, 4);
	assert_int_equal(nl_nexthop_parse(nlh, &out), 0);
	assert_nexthop_equal(&out, &nh);
	/* a gateway of the other family, no id: refused */
	nh.gateway = A("2001:db8::1");
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh));
	nh.gateway.af = AF_UNSPEC;
	nh.id = 0;
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh));
	/* no SID, too many SIDs */
	nh = NH(5, NULL, SEG6_IPTUN_MODE_ENCAP, segs1, 1);
	nh.seg6.nsegs = 0;
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh));
	nh.seg6.nsegs = NL_SEGS_MAX + 1;
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh));
}

static void
test_nexthop_group_del(void **state)
{
	struct nl_nexthop	 nh, out;
	struct nlmsghdr		*nlh;
	const struct nhmsg	*nhm;
	const struct nexthop_grp *g;
	struct attrs		 at;

	(void)state;
	memset(&nh, 0, sizeof(nh));
	nh.id = NL_NHID_BASE + 10;
	nh.family = AF_UNSPEC;
	nh.protocol = RTPROT_SRV6D;
	nh.ngroup = 3;
	nh.group[0].id = NL_NHID_BASE + 1;
	nh.group[1].id = NL_NHID_BASE + 2;
	nh.group[2].id = NL_NHID_BASE + 3;
	nh.group[2].weight = 4;
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	assert_header(nlh, RTM_NEWNEXTHOP, NL_F_NEW);
	nhm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nhm->nh_family, AF_UNSPEC);
	msg_attrs(nlh, sizeof(*nhm), &at);
	assert_int_equal(at.n, 2);	/* NHA_ID, NHA_GROUP, nothing else */
	assert_int_equal(u32(&at, NHA_ID), NL_NHID_BASE + 10);
	assert_int_equal(mnl_attr_get_payload_len(at.tb[NHA_GROUP]),
	    3 * sizeof(*g));
	g = mnl_attr_get_payload(at.tb[NHA_GROUP]);
	assert_int_equal(g[0].id, NL_NHID_BASE + 1);
	assert_int_equal(g[0].weight, 0);
	assert_int_equal(g[1].id, NL_NHID_BASE + 2);
	assert_int_equal(g[2].id, NL_NHID_BASE + 3);
	assert_int_equal(g[2].weight, 4);
	assert_int_equal(g[2].resvd1, 0);
	assert_int_equal(g[2].resvd2, 0);
	assert_int_equal(nl_nexthop_parse(nlh, &out), 0);
	assert_nexthop_equal(&out, &nh);

	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_DELNEXTHOP, NL_F_DEL, &nh);
	assert_header(nlh, RTM_DELNEXTHOP, NLM_F_ACK);
	/* the kernel refuses a delete whose header is not all zero */
	nhm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nhm->nh_family, 0);
	assert_int_equal(nhm->nh_scope, 0);
	assert_int_equal(nhm->nh_protocol, 0);
	assert_int_equal(nhm->resvd, 0);
	assert_int_equal(nhm->nh_flags, 0);
	msg_attrs(nlh, sizeof(*nhm), &at);
	assert_int_equal(at.n, 1);
	assert_int_equal(u32(&at, NHA_ID), NL_NHID_BASE + 10);
	nh.ngroup = NL_PATHS_MAX + 1;
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP,
	    NL_F_NEW, &nh));
	assert_null(nl_nexthop_msg(buf, sizeof(buf), RTM_NEWROUTE,
	    NL_F_NEW, &nh));
}

/* ------------------------------------------------------------------ */
/* routes                                                               */

static void
test_route_nhid(void **state)
{
	struct nl_route		 r;
	struct srv6d_prefix	 p;
	struct nlmsghdr		*nlh;
	const struct rtmsg	*rtm;
	struct attrs		 at;

	(void)state;
	p = P("10.1.0.0/24");
	nl_route_init(&r, &p, 10);
	r.nh_id = NL_NHID_BASE + 1;
	nlh = route_round_trip(&r);
	rtm = assert_route_key(nlh, "10.1.0.0/24", 10, &at);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_flags, 0);
	assert_int_equal(at.n, 3);
	assert_int_equal(u32(&at, RTA_NH_ID), NL_NHID_BASE + 1);
	ASSERT_FITS_EXACTLY(nl_route_msg(buf, buflen, RTM_NEWROUTE,
	    NL_F_NEW, &r), 16 + 12 + 8 + 8 + 8);

	/* a table above 255: rtm_table unspec, RTA_TABLE has it */
	p = P("2001:db8:1::/48");
	nl_route_init(&r, &p, 100000);
	r.nh_id = 77;
	r.priority = 20;
	nlh = route_round_trip(&r);
	rtm = assert_route_key(nlh, "2001:db8:1::/48", 100000, &at);
	assert_int_equal(at.n, 4);
	assert_int_equal(u32(&at, RTA_PRIORITY), 20);
	assert_int_equal(u32(&at, RTA_NH_ID), 77);

	/* delete: the key and protocol only, scope nowhere */
	nlh = nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL, &r);
	assert_header(nlh, RTM_DELROUTE, NLM_F_ACK);
	rtm = assert_route_key(nlh, "2001:db8:1::/48", 100000, &at);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_NOWHERE);
	assert_int_equal(at.n, 3);
	assert_null(at.tb[RTA_NH_ID]);

	/* a default route has no RTA_DST */
	p = P("0.0.0.0/0");
	nl_route_init(&r, &p, 10);
	r.nh_id = 5;
	nlh = route_round_trip(&r);
	msg_attrs(nlh, sizeof(*rtm), &at);
	assert_null(at.tb[RTA_DST]);
	assert_int_equal(at.n, 2);

	/* inconsistent requests */
	r.npaths = 1;
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
	r.npaths = 0;
	r.nh_id = 0;
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
	r.nh_id = 5;
	r.family = AF_INET6;
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
	r.family = AF_INET;
	r.dst.len = 33;
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
}

static void
test_route_encap(void **state)
{
	struct nl_route		 r;
	struct srv6d_prefix	 p;
	struct nlmsghdr		*nlh;
	struct attrs		 at;
	struct srv6d_addr	 gw;
	const uint8_t		*via;
	unsigned short		 fam;

	(void)state;
	/* IPv4 route, encap, no gateway (SRV6.md: none needed) */
	p = P("10.1.0.0/24");
	nl_route_init(&r, &p, 10);
	r.npaths = 1;
	r.paths[0].oif = 3;
	r.paths[0].encap_type = LWTUNNEL_ENCAP_SEG6;
	r.paths[0].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP, segs1, 1);
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "10.1.0.0/24", 10, &at);
	assert_int_equal(at.n, 5);
	assert_int_equal(u32(&at, RTA_OIF), 3);
	assert_int_equal(mnl_attr_get_u16(at.tb[RTA_ENCAP_TYPE]),
	    LWTUNNEL_ENCAP_SEG6);
	assert_srh(at.tb[RTA_ENCAP], SEG6_IPTUN_MODE_ENCAP, segs1, 1);

	/* with an IPv6 gateway: RTA_VIA { AF_INET6, address } */
	gw = A("fe80::2");
	r.paths[0].gateway = gw;
	r.paths[0].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP_RED, segs3, 3);
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "10.1.0.0/24", 10, &at);
	assert_int_equal(at.n, 6);
	assert_null(at.tb[RTA_GATEWAY]);
	assert_non_null(at.tb[RTA_VIA]);
	assert_int_equal(mnl_attr_get_payload_len(at.tb[RTA_VIA]), 2 + 16);
	via = mnl_attr_get_payload(at.tb[RTA_VIA]);
	memcpy(&fam, via, 2);
	assert_int_equal(fam, AF_INET6);
	assert_memory_equal(via + 2, &gw.v6, 16);
	assert_srh(at.tb[RTA_ENCAP], SEG6_IPTUN_MODE_ENCAP_RED, segs3, 3);

	/* IPv6 route with an IPv6 gateway: RTA_GATEWAY */
	p = P("2001:db8:5::/64");
	nl_route_init(&r, &p, 10);
	r.npaths = 1;
	r.paths[0].oif = 3;
	r.paths[0].gateway = gw;
	r.paths[0].encap_type = LWTUNNEL_ENCAP_SEG6;
	r.paths[0].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP, segs1, 1);
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "2001:db8:5::/64", 10, &at);
	assert_null(at.tb[RTA_VIA]);
	assert_attr_bytes(&at, RTA_GATEWAY, &gw.v6, 16);
	/* an IPv4 gateway of an IPv6 route: refused */
	r.paths[0].gateway = A("192.0.2.1");
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
}

static void
test_route_multipath(void **state)
{
	struct nl_route		 r;
	struct srv6d_prefix	 p;
	struct nlmsghdr		*nlh;
	struct attrs		 at, nh;
	struct rtnexthop	 rtnh;
	const uint8_t		*b;
	size_t			 len, off = 0;
	struct srv6d_addr	 gw = A("2001:db8::3");
	unsigned int		 i;

	(void)state;
	p = P("10.1.0.0/24");
	nl_route_init(&r, &p, 10);
	r.npaths = 3;
	for (i = 0; i < 3; i++) {
		r.paths[i].oif = 3 + i;
		r.paths[i].encap_type = LWTUNNEL_ENCAP_SEG6;
		r.paths[i].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP, &segs3[i], 1);
	}
	r.paths[1].gateway = gw;		/* RTA_VIA */
	r.paths[2].gateway = A("192.0.2.9");	/* RTA_GATEWAY */
	r.paths[2].flags = RTNH_F_ONLINK;
	r.paths[2].weight = 9;
	r.multipath = true;
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "10.1.0.0/24", 10, &at);
	assert_int_equal(at.n, 3);
	assert_null(at.tb[RTA_OIF]);
	assert_null(at.tb[RTA_ENCAP]);
	assert_non_null(at.tb[RTA_MULTIPATH]);
	b = mnl_attr_get_payload(at.tb[RTA_MULTIPATH]);
	len = mnl_attr_get_payload_len(at.tb[RTA_MULTIPATH]);
	for (i = 0; i < 3; i++) {
		assert_true(off + sizeof(rtnh) <= len);
		memcpy(&rtnh, b + off, sizeof(rtnh));
		assert_int_equal(rtnh.rtnh_ifindex, 3 + i);
		assert_int_equal(rtnh.rtnh_flags, i == 2 ? RTNH_F_ONLINK : 0);
		assert_int_equal(rtnh.rtnh_hops, i == 2 ? 9 : 0);
		assert_true(off + rtnh.rtnh_len <= len);
		payload_attrs(b + off + sizeof(rtnh), rtnh.rtnh_len -
		    sizeof(rtnh), &nh);
		assert_int_equal(nh.n, i == 0 ? 2 : 3);
		assert_int_equal(mnl_attr_get_u16(nh.tb[RTA_ENCAP_TYPE]),
		    LWTUNNEL_ENCAP_SEG6);
		assert_srh(nh.tb[RTA_ENCAP], SEG6_IPTUN_MODE_ENCAP, &segs3[i],
		    1);
		if (i == 1) {
			assert_int_equal(mnl_attr_get_payload_len(
			    nh.tb[RTA_VIA]), 18);
			assert_memory_equal((const uint8_t *)
			    mnl_attr_get_payload(nh.tb[RTA_VIA]) + 2,
			    &gw.v6, 16);
		}
		if (i == 2)
			assert_attr_bytes(&nh, RTA_GATEWAY,
			    &r.paths[2].gateway.v4, 4);
		off += RTNH_ALIGN(rtnh.rtnh_len);
	}
	assert_int_equal(off, len);
	/* 16 paths fit; buffers one byte short do not */
	r.npaths = NL_PATHS_MAX;
	for (i = 3; i < NL_PATHS_MAX; i++)
		r.paths[i] = r.paths[0];
	route_round_trip(&r);
	len = nlh->nlmsg_len;
	ASSERT_FITS_EXACTLY(nl_route_msg(buf, buflen, RTM_NEWROUTE,
	    NL_F_NEW, &r), len);
	r.npaths = NL_PATHS_MAX + 1;
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
}

static void
test_route_plain_and_onlink(void **state)
{
	struct nl_route		 r;
	struct srv6d_prefix	 p;
	struct nlmsghdr		*nlh;
	const struct rtmsg	*rtm;
	struct attrs		 at;
	struct in_addr		 nh4 = V4("10.200.0.10");

	(void)state;
	/* fib-update: a best route of the global table */
	p = P("fc00:0:2::/48");
	nl_route_init(&r, &p, RT_TABLE_MAIN);
	r.npaths = 1;
	r.paths[0].oif = 3;
	r.paths[0].gateway = A("fe80::1");
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "fc00:0:2::/48", RT_TABLE_MAIN, &at);
	assert_int_equal(at.n, 4);
	assert_int_equal(u32(&at, RTA_OIF), 3);
	assert_attr_bytes(&at, RTA_GATEWAY, &r.paths[0].gateway.v6, 16);

	/* End.DX4's host route: nh4/32 via nh4 dev 5 onlink */
	nl_route_onlink_host(&r, &nh4, 5, 10);
	nlh = route_round_trip(&r);
	rtm = assert_route_key(nlh, "10.200.0.10/32", 10, &at);
	assert_int_equal(rtm->rtm_flags, RTNH_F_ONLINK);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(at.n, 4);
	assert_int_equal(u32(&at, RTA_OIF), 5);
	assert_attr_bytes(&at, RTA_GATEWAY, &nh4, 4);
}

/* ------------------------------------------------------------------ */
/* seg6local SID routes: every action srv6d programs, with counters   */

struct sl_case {
	uint16_t	 behavior;	/* 0: End.X, which has no code here */
	uint32_t	 action;
	uint32_t	 table;
	uint32_t	 vrftable;
	const char	*nh4;
	const char	*nh6;
	unsigned int	 nattrs;	/* in the encap nest, counters too */
};

static const struct sl_case sl_cases[] = {
	{ SRV6_BEHAVIOR_END, SEG6_LOCAL_ACTION_END, 0, 0, NULL, NULL, 2 },
	{ 0, SEG6_LOCAL_ACTION_END_X, 0, 0, NULL, "fe80::9", 3 },
	{ SRV6_BEHAVIOR_END_DX6, SEG6_LOCAL_ACTION_END_DX6, 0, 0, NULL,
	    "2001:db8:9::1", 3 },
	{ SRV6_BEHAVIOR_END_DX6, SEG6_LOCAL_ACTION_END_DX6, 0, 0, NULL,
	    "::", 3 },
	{ SRV6_BEHAVIOR_END_DX4, SEG6_LOCAL_ACTION_END_DX4, 0, 0,
	    "10.200.0.10", NULL, 3 },
	{ SRV6_BEHAVIOR_END_DT6, SEG6_LOCAL_ACTION_END_DT6, 10, 0, NULL,
	    NULL, 3 },		/* table mode: legacy table */
	{ SRV6_BEHAVIOR_END_DT6, SEG6_LOCAL_ACTION_END_DT6, 0, 10, NULL,
	    NULL, 3 },		/* VRF mode: vrftable */
	{ SRV6_BEHAVIOR_END_DT4, SEG6_LOCAL_ACTION_END_DT4, 0, 10, NULL,
	    NULL, 3 },
	{ SRV6_BEHAVIOR_END_DT46, SEG6_LOCAL_ACTION_END_DT46, 0, 100000,
	    NULL, NULL, 3 },
};

static void
test_seg6local(void **state)
{
	const struct sl_case	*c;
	struct nl_seg6local	 sl;
	struct nl_route		 r;
	struct in6_addr		 sid = SID("fc00:0:1:e000::");
	struct nlmsghdr		*nlh;
	const struct rtmsg	*rtm;
	struct attrs		 at, enc, cnt;
	struct in_addr		 a4;
	struct in6_addr		 a6;
	unsigned int		 i;

	(void)state;
	for (i = 0; i < sizeof(sl_cases) / sizeof(sl_cases[0]); i++) {
		c = &sl_cases[i];
		memset(&sl, 0, sizeof(sl));
		sl.action = c->behavior != 0 ?
		    nl_seg6local_action(c->behavior) : SEG6_LOCAL_ACTION_END_X;
		assert_int_equal(sl.action, c->action);
		sl.table = c->table;
		sl.vrftable = c->vrftable;
		if (c->nh4 != NULL) {
			sl.has_nh4 = true;
			sl.nh4 = V4(c->nh4);
		}
		if (c->nh6 != NULL) {
			sl.has_nh6 = true;
			sl.nh6 = SID(c->nh6);
		}
		sl.counters = true;
		nl_route_sid(&r, &sid, 4, RT_TABLE_MAIN, &sl);
		nlh = route_round_trip(&r);
		rtm = assert_route_key(nlh, "fc00:0:1:e000::/128",
		    RT_TABLE_MAIN, &at);
		assert_int_equal(rtm->rtm_type, RTN_UNICAST);
		assert_int_equal(at.n, 5);
		assert_int_equal(u32(&at, RTA_OIF), 4);
		assert_int_equal(mnl_attr_get_u16(at.tb[RTA_ENCAP_TYPE]),
		    LWTUNNEL_ENCAP_SEG6_LOCAL);
		nest_attrs(at.tb[RTA_ENCAP], &enc);
		assert_int_equal(enc.n, c->nattrs);
		assert_int_equal(u32(&enc, SEG6_LOCAL_ACTION), c->action);
		if (c->table != 0)
			assert_int_equal(u32(&enc, SEG6_LOCAL_TABLE), c->table);
		else
			assert_null(enc.tb[SEG6_LOCAL_TABLE]);
		if (c->vrftable != 0)
			assert_int_equal(u32(&enc, SEG6_LOCAL_VRFTABLE),
			    c->vrftable);
		else
			assert_null(enc.tb[SEG6_LOCAL_VRFTABLE]);
		if (c->nh4 != NULL) {
			a4 = V4(c->nh4);
			assert_attr_bytes(&enc, SEG6_LOCAL_NH4, &a4, 4);
		} else
			assert_null(enc.tb[SEG6_LOCAL_NH4]);
		if (c->nh6 != NULL) {
			a6 = SID(c->nh6);
			assert_attr_bytes(&enc, SEG6_LOCAL_NH6, &a6, 16);
		} else
			assert_null(enc.tb[SEG6_LOCAL_NH6]);
		/* counters: all three, zero */
		nest_attrs(enc.tb[SEG6_LOCAL_COUNTERS], &cnt);
		assert_int_equal(cnt.n, 3);
		assert_int_equal(u64(&cnt, SEG6_LOCAL_CNT_PACKETS), 0);
		assert_int_equal(u64(&cnt, SEG6_LOCAL_CNT_BYTES), 0);
		assert_int_equal(u64(&cnt, SEG6_LOCAL_CNT_ERRORS), 0);
	}
	/* without counters: no nest */
	sl.counters = false;
	nl_route_sid(&r, &sid, 4, RT_TABLE_MAIN, &sl);
	nlh = route_round_trip(&r);
	assert_route_key(nlh, "fc00:0:1:e000::/128", RT_TABLE_MAIN, &at);
	nest_attrs(at.tb[RTA_ENCAP], &enc);
	assert_null(enc.tb[SEG6_LOCAL_COUNTERS]);
	/* a dump's counters come back */
	sl.counters = true;
	sl.packets = 3;
	sl.bytes = 300;
	sl.errors = 0xffffffff01ULL;
	nl_route_sid(&r, &sid, 4, RT_TABLE_MAIN, &sl);
	route_round_trip(&r);
	/* no action: refused */
	sl.action = SEG6_LOCAL_ACTION_UNSPEC;
	nl_route_sid(&r, &sid, 4, RT_TABLE_MAIN, &sl);
	assert_null(nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r));
}

static void
test_seg6local_action_map(void **state)
{
	(void)state;
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END),
	    SEG6_LOCAL_ACTION_END);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END_DX6),
	    SEG6_LOCAL_ACTION_END_DX6);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END_DX4),
	    SEG6_LOCAL_ACTION_END_DX4);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END_DT6),
	    SEG6_LOCAL_ACTION_END_DT6);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END_DT4),
	    SEG6_LOCAL_ACTION_END_DT4);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_END_DT46),
	    SEG6_LOCAL_ACTION_END_DT46);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UDX6),
	    SEG6_LOCAL_ACTION_END_DX6);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UDX4),
	    SEG6_LOCAL_ACTION_END_DX4);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UDT6),
	    SEG6_LOCAL_ACTION_END_DT6);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UDT4),
	    SEG6_LOCAL_ACTION_END_DT4);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UDT46),
	    SEG6_LOCAL_ACTION_END_DT46);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_UN), 0);
	assert_int_equal(nl_seg6local_action(SRV6_BEHAVIOR_OPAQUE), 0);
	assert_int_equal(nl_seg6local_action(0), 0);
}

/* ------------------------------------------------------------------ */
/* generic netlink: the SEG6 family and its tunnel source              */

static void
test_genl_seg6(void **state)
{
	struct nlmsghdr			*nlh;
	const struct genlmsghdr		*g;
	struct genlmsghdr		*rg;
	struct attrs			 at;
	struct in6_addr			 src = SID("fc00:0:1::1"), got;
	uint16_t			 id = 0;

	(void)state;
	nlh = nl_genl_getfamily(buf, sizeof(buf), SEG6_GENL_NAME);
	assert_header(nlh, GENL_ID_CTRL, NLM_F_ACK);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, CTRL_CMD_GETFAMILY);
	assert_int_equal(g->version, 1);
	msg_attrs(nlh, sizeof(*g), &at);
	assert_int_equal(at.n, 1);
	assert_attr_str(&at, CTRL_ATTR_FAMILY_NAME, "SEG6");

	/* the controller's reply */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	rg = mnl_nlmsg_put_extra_header(nlh, sizeof(*rg));
	rg->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "SEG6");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	assert_int_equal(nl_genl_family_id(nlh, &id), 0);
	assert_int_equal(id, 0x1c);
	nlh->nlmsg_type = 0x1c;
	assert_int_equal(nl_genl_family_id(nlh, &id), -1);

	nlh = nl_seg6_tunsrc_set(buf, sizeof(buf), 0x1c, NLM_F_ACK, &src);
	assert_header(nlh, 0x1c, NLM_F_ACK);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, SEG6_CMD_SET_TUNSRC);
	assert_int_equal(g->version, SEG6_GENL_VERSION);
	msg_attrs(nlh, sizeof(*g), &at);
	assert_int_equal(at.n, 1);
	assert_attr_bytes(&at, SEG6_ATTR_DST, &src, 16);
	ASSERT_FITS_EXACTLY(nl_seg6_tunsrc_set(buf, buflen, 0x1c, NLM_F_ACK,
	    &src), 16 + 4 + 20);

	nlh = nl_seg6_tunsrc_get(buf, sizeof(buf), 0x1c);
	assert_header(nlh, 0x1c, 0);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, SEG6_CMD_GET_TUNSRC);
	assert_int_equal(nlh->nlmsg_len, 20);
	/* the kernel's reply to it */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x1c;
	rg = mnl_nlmsg_put_extra_header(nlh, sizeof(*rg));
	rg->cmd = SEG6_CMD_GET_TUNSRC;
	mnl_attr_put(nlh, SEG6_ATTR_DST, sizeof(src), &src);
	assert_int_equal(nl_seg6_tunsrc_parse(nlh, 0x1c, &got), 0);
	assert_memory_equal(&got, &src, 16);
	assert_int_equal(nl_seg6_tunsrc_parse(nlh, 0x1d, &got), -1);
	rg->cmd = SEG6_CMD_SET_TUNSRC;
	assert_int_equal(nl_seg6_tunsrc_parse(nlh, 0x1c, &got), -1);
}

/* ------------------------------------------------------------------ */
/* dump requests                                                        */

static void
test_dump(void **state)
{
	static const struct {
		uint16_t	type;
		size_t		hdr;
	} d[] = {
		{ RTM_GETROUTE, sizeof(struct rtmsg) },
		{ RTM_GETLINK, sizeof(struct ifinfomsg) },
		{ RTM_GETADDR, sizeof(struct ifaddrmsg) },
		{ RTM_GETRULE, sizeof(struct fib_rule_hdr) },
		{ RTM_GETNEXTHOP, sizeof(struct nhmsg) },
	};
	static const uint8_t	 afs[] = { AF_UNSPEC, AF_INET, AF_INET6 };
	struct nlmsghdr		*nlh;
	const uint8_t		*p;
	unsigned int		 i, j, k;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		for (j = 0; j < 3; j++) {
			memset(buf, 0xaa, sizeof(buf));
			nlh = nl_dump_msg(buf, sizeof(buf), d[i].type, afs[j]);
			assert_header(nlh, d[i].type, NLM_F_DUMP);
			assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN +
			    MNL_ALIGN(d[i].hdr));
			p = mnl_nlmsg_get_payload(nlh);
			assert_int_equal(p[0], afs[j]);
			for (k = 1; k < d[i].hdr; k++)
				assert_int_equal(p[k], 0);
		}
	assert_null(nl_dump_msg(buf, sizeof(buf), RTM_NEWROUTE, AF_INET));
	ASSERT_FITS_EXACTLY(nl_dump_msg(buf, buflen, RTM_GETLINK, AF_UNSPEC),
	    32);
}

/* ------------------------------------------------------------------ */
/* parsers: kernel-shaped messages, and what they refuse               */

/* An RTM_NEWADDR as the kernel dumps an IPv4 address. */
static void
test_addr_parse(void **state)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct nl_addr		 a;
	struct in_addr		 local = V4("10.200.0.1"), peer;
	struct in6_addr		 a6 = SID("2001:db8::1");

	(void)state;
	peer = V4("10.200.0.2");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 6;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &peer);
	mnl_attr_put(nlh, IFA_LOCAL, 4, &local);
	mnl_attr_put_strz(nlh, IFA_LABEL, "veth0");
	mnl_attr_put_u32(nlh, IFA_FLAGS, 0x80);
	assert_int_equal(nl_addr_parse(nlh, &a), 0);
	assert_int_equal(a.ifindex, 6);
	assert_int_equal(a.flags, 0x80);
	assert_int_equal(a.prefix.len, 24);
	assert_int_equal(a.prefix.addr.af, AF_INET);
	assert_memory_equal(&a.prefix.addr.v4, &local, 4);

	/* IPv6: IFA_ADDRESS only */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_index = 2;
	mnl_attr_put(nlh, IFA_ADDRESS, 16, &a6);
	assert_int_equal(nl_addr_parse(nlh, &a), 0);
	assert_int_equal(a.prefix.addr.af, AF_INET6);
	assert_memory_equal(&a.prefix.addr.v6, &a6, 16);
	/* refused: prefix length, family, a 4-byte IPv6 address, none */
	ifa->ifa_prefixlen = 129;
	assert_int_equal(nl_addr_parse(nlh, &a), -1);
	ifa->ifa_prefixlen = 64;
	ifa->ifa_family = AF_PACKET;
	assert_int_equal(nl_addr_parse(nlh, &a), -1);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	assert_int_equal(nl_addr_parse(nlh, &a), -1);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &local);
	assert_int_equal(nl_addr_parse(nlh, &a), -1);
}

/* A RTM_NEWLINK as the kernel dumps an enslaved veth. */
static void
test_link_parse(void **state)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*info;
	struct nl_link		 l;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 9;
	ifi->ifi_flags = IFF_UP | IFF_RUNNING;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth-pod1");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 12);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(nl_link_parse(nlh, &l), 0);
	assert_int_equal(l.ifindex, 9);
	assert_true(l.up);
	assert_int_equal(l.flags, IFF_UP | IFF_RUNNING);
	assert_string_equal(l.name, "veth-pod1");
	assert_int_equal(l.master, 12);
	assert_string_equal(l.kind, "veth");
	assert_int_equal(l.vrf_table, 0);
	/* a name without its NUL, a name too long */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");
	assert_int_equal(nl_link_parse(nlh, &l), -1);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "abcdefghijklmnopq");
	assert_int_equal(nl_link_parse(nlh, &l), -1);
	nlh->nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(nl_link_parse(nlh, &l), -1);
}

/*
 * Cut n bytes off a message of full bytes; false when the cut falls
 * between two top-level attributes (a shorter but whole message).
 */
static bool
truncate_msg(struct nlmsghdr *nlh, size_t hdrlen, uint32_t full, size_t n)
{
	const struct nlattr	*a;
	size_t			 off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	nlh->nlmsg_len = full;
	mnl_attr_for_each(a, nlh, hdrlen) {
		off += MNL_ALIGN(a->nla_len);
		if (off == full - n)
			return false;
	}
	nlh->nlmsg_len = full - n;
	return true;
}

static void
test_parse_truncated(void **state)
{
	struct nl_route		 r, out;
	struct nl_nexthop	 nh, nout;
	struct nl_rule		 rule, rout;
	struct srv6d_prefix	 p = P("10.1.0.0/24");
	struct nlmsghdr		*nlh;
	uint32_t		 full, n;

	(void)state;
	nl_route_init(&r, &p, 10);
	r.npaths = 2;
	r.paths[0].oif = 3;
	r.paths[0].encap_type = LWTUNNEL_ENCAP_SEG6;
	r.paths[0].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP, segs3, 3);
	r.paths[1] = r.paths[0];
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	full = nlh->nlmsg_len;
	/* every cut inside the attributes is refused */
	for (n = 1; n < full - MNL_NLMSG_HDRLEN - sizeof(struct rtmsg);
	    n++) {
		if (truncate_msg(nlh, sizeof(struct rtmsg), full, n) &&
		    nl_route_parse(nlh, &out) == 0)
			fail_msg("route cut by %u bytes accepted", n);
	}
	nlh->nlmsg_len = full - (full - MNL_NLMSG_HDRLEN -
	    sizeof(struct rtmsg));
	assert_int_equal(nl_route_parse(nlh, &out), 0);	/* no attributes */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct rtmsg) - 1;
	assert_int_equal(nl_route_parse(nlh, &out), -1);

	nh = NH(7, "2001:db8::2", SEG6_IPTUN_MODE_ENCAP, segs3, 3);
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	full = nlh->nlmsg_len;
	for (n = 1; n < full - MNL_NLMSG_HDRLEN - sizeof(struct nhmsg);
	    n++) {
		if (truncate_msg(nlh, sizeof(struct nhmsg), full, n) &&
		    nl_nexthop_parse(nlh, &nout) == 0)
			fail_msg("nexthop cut by %u bytes accepted", n);
	}

	memset(&rule, 0, sizeof(rule));
	rule.family = AF_INET;
	rule.table = 10;
	rule.protocol = RTPROT_SRV6D;
	strlcpy(rule.iifname, "veth0", sizeof(rule.iifname));
	nlh = nl_rule_msg(buf, sizeof(buf), RTM_NEWRULE, NL_F_NEW, &rule);
	full = nlh->nlmsg_len;
	/* FRA_PROTOCOL is 5 bytes: its padding may go, not its byte */
	nlh->nlmsg_len = full - 3;
	assert_int_equal(nl_rule_parse(nlh, &rout), 0);
	assert_int_equal(rout.protocol, RTPROT_SRV6D);
	nlh->nlmsg_len = full - 4;
	assert_int_equal(nl_rule_parse(nlh, &rout), -1);
	nlh->nlmsg_len = full - 8;	/* whole attribute gone: fine */
	assert_int_equal(nl_rule_parse(nlh, &rout), 0);
	assert_int_equal(rout.table, 10);
	assert_int_equal(rout.protocol, 0);
}

/* Find attribute type in [p, p + len) (top level), NULL if none. */
static struct nlattr *
find_attr(struct nlmsghdr *nlh, size_t hdrlen, uint16_t type)
{
	struct nlattr	*a;

	mnl_attr_for_each(a, nlh, hdrlen)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void
test_parse_malformed(void **state)
{
	struct nl_route		 r, out;
	struct nl_nexthop	 nh, nout;
	struct nl_seg6local	 sl;
	struct srv6d_prefix	 p = P("10.1.0.0/24");
	struct in6_addr		 sid = SID("fc00:0:1:e000::");
	struct nlmsghdr		*nlh;
	struct nlattr		*a, *srh;
	struct rtmsg		*rtm;
	uint8_t			*b;

	(void)state;
	/* RTA_DST of the wrong size */
	nl_route_init(&r, &p, 10);
	r.nh_id = 1;
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET6;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 33;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	rtm->rtm_dst_len = 24;
	/* RTA_TABLE of 2 bytes */
	a = find_attr(nlh, sizeof(*rtm), RTA_TABLE);
	a->nla_len = 6;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	a->nla_len = 8;
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	/* an attribute length below the header */
	a->nla_len = 2;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	a->nla_len = 8;
	/* a route with encap but no encap type */
	nl_route_init(&r, &p, 10);
	r.npaths = 1;
	r.paths[0].oif = 3;
	r.paths[0].encap_type = LWTUNNEL_ENCAP_SEG6;
	r.paths[0].seg6 = ENCAP(SEG6_IPTUN_MODE_ENCAP, segs3, 3);
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	a = find_attr(nlh, sizeof(*rtm), RTA_ENCAP_TYPE);
	a->nla_type = RTA_UNSPEC;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	a->nla_type = RTA_ENCAP_TYPE;
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	/* SRH: wrong type, hdrlen not matching the length, too few bytes */
	a = find_attr(nlh, sizeof(*rtm), RTA_ENCAP);
	srh = mnl_attr_get_payload(a);
	b = mnl_attr_get_payload(srh);
	b[6] = 3;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	b[6] = 4;
	b[5] = 4;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	b[5] = 6;
	b[8] = 3;	/* first_segment: 4 segments in 48 bytes */
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	b[8] = 2;
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	srh->nla_len = 4 + 4 + 7;	/* mode and 7 bytes of SRH */
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	/* counters missing one of the three */
	memset(&sl, 0, sizeof(sl));
	sl.action = SEG6_LOCAL_ACTION_END;
	sl.counters = true;
	nl_route_sid(&r, &sid, 4, RT_TABLE_MAIN, &sl);
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	a = find_attr(nlh, sizeof(*rtm), RTA_ENCAP);
	mnl_attr_for_each_nested(srh, a)
		if (mnl_attr_get_type(srh) == SEG6_LOCAL_COUNTERS) {
			struct nlattr *c = mnl_attr_get_payload(srh);

			c->nla_type = SEG6_LOCAL_CNT_PAD;
		}
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	/* a nexthop group whose size is no multiple of its entries */
	memset(&nh, 0, sizeof(nh));
	nh.id = 3;
	nh.ngroup = 2;
	nh.group[0].id = 1;
	nh.group[1].id = 2;
	nlh = nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW, &nh);
	a = find_attr(nlh, sizeof(struct nhmsg), NHA_GROUP);
	a->nla_len -= 4;
	nlh->nlmsg_len -= 4;
	assert_int_equal(nl_nexthop_parse(nlh, &nout), -1);
	a->nla_len += 4;
	nlh->nlmsg_len += 4;
	assert_int_equal(nl_nexthop_parse(nlh, &nout), 0);
	/* no NHA_ID */
	a = find_attr(nlh, sizeof(struct nhmsg), NHA_ID);
	a->nla_type = NHA_UNSPEC;
	assert_int_equal(nl_nexthop_parse(nlh, &nout), -1);
	nlh->nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(nl_nexthop_parse(nlh, &nout), -1);
	/* RTA_VIA of an unknown family */
	nl_route_init(&r, &p, 10);
	r.npaths = 1;
	r.paths[0].oif = 3;
	r.paths[0].gateway = A("2001:db8::1");
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	a = find_attr(nlh, sizeof(*rtm), RTA_VIA);
	b = mnl_attr_get_payload(a);
	b[0] = AF_INET;		/* 16 bytes for an IPv4 via */
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	/* a multipath entry longer than the attribute */
	nl_route_init(&r, &p, 10);
	r.npaths = 2;
	r.paths[0].oif = 3;
	r.paths[1].oif = 4;
	nlh = nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r);
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	a = find_attr(nlh, sizeof(*rtm), RTA_MULTIPATH);
	((struct rtnexthop *)mnl_attr_get_payload(a))->rtnh_len = 20;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	((struct rtnexthop *)mnl_attr_get_payload(a))->rtnh_len = 4;
	assert_int_equal(nl_route_parse(nlh, &out), -1);
	((struct rtnexthop *)mnl_attr_get_payload(a))->rtnh_len = 8;
	assert_int_equal(nl_route_parse(nlh, &out), 0);
	assert_int_equal(out.npaths, 2);
	assert_int_equal(out.paths[1].oif, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vrf_link),
		cmocka_unit_test(test_link_updown_master_del),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_nexthop_seg6),
		cmocka_unit_test(test_nexthop_group_del),
		cmocka_unit_test(test_route_nhid),
		cmocka_unit_test(test_route_encap),
		cmocka_unit_test(test_route_multipath),
		cmocka_unit_test(test_route_plain_and_onlink),
		cmocka_unit_test(test_seg6local),
		cmocka_unit_test(test_seg6local_action_map),
		cmocka_unit_test(test_genl_seg6),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_link_parse),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
