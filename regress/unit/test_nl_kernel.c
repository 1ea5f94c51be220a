/*
 * nl_msg.c against the running kernel: each builder's message sent to a
 * network namespace of our own and ACKed, and the kernel's dumps read
 * back through the parsers.  Root only: without root, or where a
 * namespace cannot be made, every test says skipped.
 *
 * A forked child unshares the network namespace, opens the netlink
 * sockets there and hands them back over a socketpair; the test process
 * itself never leaves the host's namespace, and the namespace goes away
 * when the sockets close.  In it: lo up, a veth pair nlt0/nlt1 with
 * 2001:db8:1::1/64 and 192.0.2.1/24 on nlt0.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_genl.h>
#include <linux/seg6_iptunnel.h>
#include <linux/seg6_local.h>
#include <linux/veth.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "nl_msg.h"
#include "srv6.h"

#define NLT_TABLE	10
#define NLT_PRIO	2000

struct nlt {
	const char		*skip;		/* why nothing runs */
	struct mnl_socket	*rt;		/* NETLINK_ROUTE in the netns */
	struct mnl_socket	*genl;		/* NETLINK_GENERIC in it */
	uint32_t		 seq;
	uint32_t		 if0, if1;	/* nlt0, nlt1 */
	bool			 vrf_sysctl;	/* net.vrf.strict_mode set */
	char			 extack[256];	/* of the last request */
};

static struct nlt	 T;
static uint8_t		 buf[8192];
static uint8_t		 rbuf[32768];

#define NEED_NETNS() do {						\
	if (T.skip != NULL) {						\
		print_message("# %s\n", T.skip);			\
		skip();							\
	}								\
} while (0)

static struct in6_addr
SID(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* ------------------------------------------------------------------ */
/* the namespace                                                        */

/* In the child: a new netns, its sockets sent to the parent over fd. */
static void __attribute__((noreturn))
netns_child(int fd)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		b[CMSG_SPACE(2 * sizeof(int))];
	} c;
	struct cmsghdr	*cm;
	int		 s[2], err = 0, v;

	if (unshare(CLONE_NEWNET) == -1)
		err = errno;
	else if ((s[0] = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1 || (s[1] = socket(AF_NETLINK,
	    SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC)) == -1)
		err = errno;
	if (err == 0 && (v = open("/proc/sys/net/vrf/strict_mode",
	    O_WRONLY)) != -1) {
		/* End.DT4/DT46 vrftable need it (SRV6.md) */
		if (write(v, "1\n", 2) != 2)
			err = errno;
		close(v);
		err = err == 0 ? -1 : err;	/* -1: set */
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (err <= 0) {
		msg.msg_control = c.b;
		msg.msg_controllen = sizeof(c.b);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(cm), s, sizeof(s));
	}
	_exit(sendmsg(fd, &msg, 0) == -1);
}

static struct mnl_socket *
nlt_socket(int fd)
{
	struct mnl_socket	*nl;
	struct timeval		 tv = { 5, 0 };
	int			 on = 1;

	if ((nl = mnl_socket_fdopen(fd)) == NULL)
		return NULL;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &on, sizeof(on));
	/* as nl_sock.c dumps: the kernel checks the dump request headers */
	mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Fork, unshare, receive the two sockets; T.skip says why not. */
static void
netns_open(void)
{
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		b[CMSG_SPACE(2 * sizeof(int))];
	} c;
	struct cmsghdr	*cm;
	int		 sp[2], s[2], err = 0, status;
	pid_t		 pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) == -1 ||
	    (pid = fork()) == -1) {
		T.skip = "no socketpair or fork";
		return;
	}
	if (pid == 0) {
		close(sp[0]);
		netns_child(sp[1]);
	}
	close(sp[1]);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &err;
	iov.iov_len = sizeof(err);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.b;
	msg.msg_controllen = sizeof(c.b);
	if (recvmsg(sp[0], &msg, 0) != sizeof(err))
		err = EIO;
	close(sp[0]);
	waitpid(pid, &status, 0);
	if (err > 0) {
		T.skip = err == EPERM ? "cannot create a network namespace "
		    "(not permitted)" : "cannot create a network namespace";
		return;
	}
	T.vrf_sysctl = err == -1;
	if ((cm = CMSG_FIRSTHDR(&msg)) == NULL ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(2 * sizeof(int))) {
		T.skip = "no netlink sockets from the namespace";
		return;
	}
	memcpy(s, CMSG_DATA(cm), sizeof(s));
	if ((T.rt = nlt_socket(s[0])) == NULL ||
	    (T.genl = nlt_socket(s[1])) == NULL)
		T.skip = "netlink sockets unusable";
}

/* ------------------------------------------------------------------ */
/* requests and dumps                                                   */

static int
extack_cb(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		strlcpy(arg, mnl_attr_get_str(a), sizeof(T.extack));
	return MNL_CB_OK;
}

/* The errno of an NLMSG_ERROR (0: ACK), its extended ACK in T.extack. */
static int
ack_error(const struct nlmsghdr *r)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(r);
	size_t			 off = sizeof(*e);

	assert_true(r->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)));
	if (r->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(r->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_parse(r, off, extack_cb, T.extack);
	}
	return -e->error;
}

/*
 * Send nlh; call cb on each reply message until the ACK or the end of a
 * dump.  The kernel's errno (0: success).
 */
static int
talk(struct mnl_socket *nl, struct nlmsghdr *nlh,
    void (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	const struct nlmsghdr	*r;
	uint32_t		 seq = ++T.seq;
	ssize_t			 n;
	int			 len;

	T.extack[0] = '\0';
	nlh->nlmsg_seq = seq;
	assert_int_equal(mnl_socket_sendto(nl, nlh, nlh->nlmsg_len),
	    nlh->nlmsg_len);
	for (;;) {
		n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		assert_true(n > 0);
		len = (int)n;
		for (r = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(r, len);
		    r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR)
				return ack_error(r);
			if (r->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb != NULL)
				cb(r, arg);
		}
	}
}

/* A request that must succeed (errno and extended ACK shown if not). */
static void
ok(struct mnl_socket *nl, struct nlmsghdr *nlh, const char *what)
{
	int	 err;

	assert_non_null(nlh);
	if ((err = talk(nl, nlh, NULL, NULL)) != 0)
		fail_msg("%s: %s%s%s", what, strerror(err),
		    T.extack[0] != '\0' ? ": " : "", T.extack);
}

/* A request that must fail with want. */
static void
fails(struct mnl_socket *nl, struct nlmsghdr *nlh, int want,
    const char *what)
{
	int	 err;

	assert_non_null(nlh);
	if ((err = talk(nl, nlh, NULL, NULL)) != want)
		fail_msg("%s: %s (%s), want %s", what, strerror(err),
		    T.extack, strerror(want));
	print_message("# %s: %s%s%s (as expected)\n", what, strerror(err),
	    T.extack[0] != '\0' ? ": " : "", T.extack);
}

/* ------------------------------------------------------------------ */
/* what the kernel holds, through the parsers                          */

struct found_routes {
	uint32_t		 table;
	struct srv6d_prefix	 dst;
	unsigned int		 n;
	struct nl_route		 r;
};

static void
route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_routes	*f = arg;
	struct nl_route		 r;

	if (nl_route_parse(nlh, &r) == -1)
		fail_msg("kernel route dump entry refused by nl_route_parse");
	if (r.table != f->table || r.dst.len != f->dst.len ||
	    addr_cmp(&r.dst.addr, &f->dst.addr) != 0)
		return;
	f->n++;
	f->r = r;
}

/* The one route dst in table, as the kernel dumps it. */
static struct nl_route
kernel_route(const char *dst, uint32_t table)
{
	struct found_routes	 f;

	memset(&f, 0, sizeof(f));
	f.table = table;
	f.dst = P(dst);
	assert_int_equal(talk(T.rt, nl_dump_msg(buf, sizeof(buf),
	    RTM_GETROUTE, f.dst.addr.af), route_cb, &f), 0);
	if (f.n != 1)
		fail_msg("%s in table %u: %u routes", dst, table, f.n);
	return f.r;
}

struct found_nh {
	uint32_t		 id;
	unsigned int		 n;
	struct nl_nexthop	 nh;
};

static void
nexthop_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_nh		*f = arg;
	struct nl_nexthop	 nh;

	if (nl_nexthop_parse(nlh, &nh) == -1)
		fail_msg("kernel nexthop dump entry refused");
	if (nh.id == f->id) {
		f->n++;
		f->nh = nh;
	}
}

static struct nl_nexthop
kernel_nexthop(uint32_t id)
{
	struct found_nh	 f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	assert_int_equal(talk(T.rt, nl_dump_msg(buf, sizeof(buf),
	    RTM_GETNEXTHOP, AF_UNSPEC), nexthop_cb, &f), 0);
	assert_int_equal(f.n, 1);
	return f.nh;
}

struct found_links {
	const char	*name;
	struct nl_link	 l;
	unsigned int	 n;
};

static void
link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_links	*f = arg;
	struct nl_link		 l;

	if (nl_link_parse(nlh, &l) == -1)
		fail_msg("kernel link dump entry refused");
	if (strcmp(l.name, f->name) == 0) {
		f->l = l;
		f->n++;
	}
}

static struct nl_link
kernel_link(const char *name)
{
	struct found_links	 f;

	memset(&f, 0, sizeof(f));
	f.name = name;
	assert_int_equal(talk(T.rt, nl_dump_msg(buf, sizeof(buf),
	    RTM_GETLINK, AF_UNSPEC), link_cb, &f), 0);
	assert_int_equal(f.n, 1);
	return f.l;
}

struct found_rules {
	uint8_t		 family;
	unsigned int	 n;
	struct nl_rule	 r;
};

static void
rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_rules	*f = arg;
	struct nl_rule		 r;

	if (nl_rule_parse(nlh, &r) == -1)
		fail_msg("kernel rule dump entry refused");
	if (r.family == f->family && r.priority == NLT_PRIO) {
		f->n++;
		f->r = r;
	}
}

static unsigned int
kernel_rules(uint8_t family, struct nl_rule *r)
{
	struct found_rules	 f;

	memset(&f, 0, sizeof(f));
	f.family = family;
	assert_int_equal(talk(T.rt, nl_dump_msg(buf, sizeof(buf),
	    RTM_GETRULE, family), rule_cb, &f), 0);
	*r = f.r;
	return f.n;
}

struct found_addrs {
	uint32_t		 ifindex;
	struct srv6d_addr	 want4, want6;
	unsigned int	 n4, n6;
};

static void
addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_addrs	*f = arg;
	struct nl_addr		 a;

	if (nl_addr_parse(nlh, &a) == -1)
		fail_msg("kernel address dump entry refused");
	if (a.ifindex != f->ifindex)
		return;
	if (a.prefix.len == 24 && addr_cmp(&a.prefix.addr, &f->want4) == 0)
		f->n4++;
	if (a.prefix.len == 64 && addr_cmp(&a.prefix.addr, &f->want6) == 0)
		f->n6++;
}

/* ------------------------------------------------------------------ */
/* the namespace's links and addresses (messages srv6d never sends)    */

static struct nlmsghdr *
veth_msg(const char *name, const char *peer)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*info, *data, *p;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL;
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

static struct nlmsghdr *
addr_msg(uint32_t ifindex, const char *pfx)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct srv6d_prefix	 p = P(pfx);
	size_t			 len = p.addr.af == AF_INET ? 4 : 16;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p.addr.af;
	ifa->ifa_prefixlen = p.len;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, len, &p.addr.v6);
	mnl_attr_put(nlh, IFA_ADDRESS, len, &p.addr.v6);
	return nlh;
}

static int
group_setup(void **state)
{
	struct found_addrs	 fa;

	(void)state;
	if (geteuid() != 0) {
		T.skip = "not root";
		return 0;
	}
	netns_open();
	if (T.skip != NULL)
		return 0;
	/* lo is ifindex 1 in every new namespace */
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, 1, true),
	    "lo up");
	ok(T.rt, veth_msg("nlt0", "nlt1"), "veth pair");
	T.if0 = kernel_link("nlt0").ifindex;
	T.if1 = kernel_link("nlt1").ifindex;
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, T.if0, true),
	    "nlt0 up");
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, T.if1, true),
	    "nlt1 up");
	ok(T.rt, addr_msg(T.if0, "2001:db8:1::1/64"), "IPv6 address");
	ok(T.rt, addr_msg(T.if0, "192.0.2.1/24"), "IPv4 address");
	memset(&fa, 0, sizeof(fa));
	fa.ifindex = T.if0;
	fa.want4 = A("192.0.2.1");
	fa.want6 = A("2001:db8:1::1");
	assert_int_equal(talk(T.rt, nl_dump_msg(buf, sizeof(buf),
	    RTM_GETADDR, AF_UNSPEC), addr_cb, &fa), 0);
	assert_int_equal(fa.n4, 1);
	assert_int_equal(fa.n6, 1);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (T.rt != NULL)
		mnl_socket_close(T.rt);
	if (T.genl != NULL)
		mnl_socket_close(T.genl);
	return 0;
}

/* ------------------------------------------------------------------ */
/* the tests                                                            */

static void
test_links(void **state)
{
	struct nl_link	 l;

	(void)state;
	NEED_NETNS();
	l = kernel_link("nlt0");
	assert_true(l.up);
	assert_string_equal(l.kind, "veth");
	assert_int_equal(l.master, 0);
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, T.if1, false),
	    "nlt1 down");
	assert_false(kernel_link("nlt1").up);
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, T.if1, true),
	    "nlt1 up");
	assert_true(kernel_link("nlt1").up);
	/* no such link */
	fails(T.rt, nl_link_del(buf, sizeof(buf), NLM_F_ACK, 999999), ENODEV,
	    "delete a link that is not there");
}

/* VRF devices: refused where the kernel has none, else the whole cycle. */
static void
test_vrf(void **state)
{
	struct nl_link		 l;
	struct nl_seg6local	 sl;
	struct nl_route		 r;
	struct in6_addr		 sid = SID("fc00:0:1:e004::");
	uint16_t		 acts[] = { SEG6_LOCAL_ACTION_END_DT4,
				    SEG6_LOCAL_ACTION_END_DT46,
				    SEG6_LOCAL_ACTION_END_DT6 };
	int			 err;
	unsigned int		 i;

	(void)state;
	NEED_NETNS();
	err = talk(T.rt, nl_vrf_link(buf, sizeof(buf), NLM_F_ACK |
	    NLM_F_CREATE | NLM_F_EXCL, "nltvrf", NLT_TABLE), NULL, NULL);
	if (err == EOPNOTSUPP) {
		print_message("# VRF device: %s: %s (no CONFIG_NET_VRF)\n",
		    strerror(err), T.extack);
		/* and so End.DT4 vrftable is refused (SRV6.md) */
		memset(&sl, 0, sizeof(sl));
		sl.action = SEG6_LOCAL_ACTION_END_DT4;
		sl.vrftable = NLT_TABLE;
		nl_route_sid(&r, &sid, T.if0, RT_TABLE_MAIN, &sl);
		fails(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE,
		    NL_F_NEW, &r), EINVAL, "End.DT4 vrftable without VRF");
		return;
	}
	if (err != 0)
		fail_msg("VRF device: %s: %s", strerror(err), T.extack);
	l = kernel_link("nltvrf");
	assert_string_equal(l.kind, "vrf");
	assert_int_equal(l.vrf_table, NLT_TABLE);
	ok(T.rt, nl_link_updown(buf, sizeof(buf), NLM_F_ACK, l.ifindex, true),
	    "VRF up");
	ok(T.rt, nl_link_master(buf, sizeof(buf), NLM_F_ACK, T.if1,
	    l.ifindex), "enslave nlt1");
	assert_int_equal(kernel_link("nlt1").master, l.ifindex);
	if (!T.vrf_sysctl)
		fail_msg("VRF devices but no net.vrf.strict_mode");
	for (i = 0; i < 3; i++) {
		memset(&sl, 0, sizeof(sl));
		sl.action = acts[i];
		sl.vrftable = NLT_TABLE;
		sl.counters = true;
		nl_route_sid(&r, &sid, T.if0, RT_TABLE_MAIN, &sl);
		ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE,
		    NL_F_NEW, &r), "End.DT* vrftable");
		r = kernel_route("fc00:0:1:e004::/128", RT_TABLE_MAIN);
		assert_int_equal(r.paths[0].seg6local.action, acts[i]);
		assert_int_equal(r.paths[0].seg6local.vrftable, NLT_TABLE);
	}
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL, &r),
	    "delete End.DT* vrftable");
	ok(T.rt, nl_link_master(buf, sizeof(buf), NLM_F_ACK, T.if1, 0),
	    "release nlt1");
	assert_int_equal(kernel_link("nlt1").master, 0);
	ok(T.rt, nl_link_del(buf, sizeof(buf), NLM_F_ACK, l.ifindex),
	    "delete VRF");
	print_message("# VRF device made, up, member enslaved and released, "
	    "End.DT4/DT46/DT6 vrftable with counters accepted, deleted\n");
}

static struct nl_nexthop
seg6_nh(uint32_t id, const char *gw, int mode, const char *sid1,
    const char *sid2)
{
	struct nl_nexthop	nh;

	memset(&nh, 0, sizeof(nh));
	nh.id = id;
	nh.family = AF_INET6;
	nh.protocol = RTPROT_SRV6D;
	nh.oif = T.if0;
	if (gw != NULL)
		nh.gateway = A(gw);
	nh.encap_type = LWTUNNEL_ENCAP_SEG6;
	nh.seg6.mode = mode;
	nh.seg6.segs[nh.seg6.nsegs++] = SID(sid1);
	if (sid2 != NULL)
		nh.seg6.segs[nh.seg6.nsegs++] = SID(sid2);
	return nh;
}

static void
test_nexthop_objects(void **state)
{
	struct nl_nexthop	 nh1, nh2, grp, k;
	struct nl_route		 r;
	struct srv6d_prefix	 p;
	unsigned int		 i;

	(void)state;
	NEED_NETNS();
	nh1 = seg6_nh(NL_NHID_BASE + 1, "2001:db8:1::2",
	    SEG6_IPTUN_MODE_ENCAP, "fc00:0:2:2:100::", NULL);
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW,
	    &nh1), "seg6 nexthop object");
	/* replace is idempotent */
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW,
	    &nh1), "seg6 nexthop object again");
	nh2 = seg6_nh(NL_NHID_BASE + 2, NULL, SEG6_IPTUN_MODE_ENCAP_RED,
	    "fc00:0:3::1", "fc00:0:3:3:100::");
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW,
	    &nh2), "seg6 encap.red nexthop object, two SIDs");
	k = kernel_nexthop(nh1.id);
	assert_int_equal(k.protocol, RTPROT_SRV6D);
	assert_int_equal(k.family, AF_INET6);
	assert_int_equal(k.oif, T.if0);
	assert_int_equal(addr_cmp(&k.gateway, &nh1.gateway), 0);
	assert_int_equal(k.encap_type, LWTUNNEL_ENCAP_SEG6);
	assert_int_equal(k.seg6.mode, SEG6_IPTUN_MODE_ENCAP);
	assert_int_equal(k.seg6.nsegs, 1);
	assert_memory_equal(&k.seg6.segs[0], &nh1.seg6.segs[0], 16);
	k = kernel_nexthop(nh2.id);
	assert_int_equal(k.seg6.mode, SEG6_IPTUN_MODE_ENCAP_RED);
	assert_int_equal(k.seg6.nsegs, 2);
	for (i = 0; i < 2; i++)
		assert_memory_equal(&k.seg6.segs[i], &nh2.seg6.segs[i], 16);

	memset(&grp, 0, sizeof(grp));
	grp.id = NL_NHID_BASE + 10;
	grp.protocol = RTPROT_SRV6D;
	grp.ngroup = 2;
	grp.group[0].id = nh1.id;
	grp.group[1].id = nh2.id;
	grp.group[1].weight = 1;
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_NEWNEXTHOP, NL_F_NEW,
	    &grp), "nexthop group");
	k = kernel_nexthop(grp.id);
	assert_int_equal(k.ngroup, 2);
	assert_int_equal(k.group[0].id, nh1.id);
	assert_int_equal(k.group[1].id, nh2.id);
	assert_int_equal(k.group[1].weight, 1);
	assert_int_equal(k.protocol, RTPROT_SRV6D);

	/* routes through them, IPv4 and IPv6, one table above 255 */
	p = P("10.1.0.0/24");
	nl_route_init(&r, &p, NLT_TABLE);
	r.nh_id = nh1.id;
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv4 route via a seg6 nexthop object");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "the same route again (replace)");
	r = kernel_route("10.1.0.0/24", NLT_TABLE);
	assert_int_equal(r.nh_id, nh1.id);
	assert_int_equal(r.protocol, RTPROT_SRV6D);
	assert_int_equal(r.type, RTN_UNICAST);
	/*
	 * net.ipv4.nexthop_compat_mode (1 in a new namespace): the dump
	 * also spells out the nexthop object's path, encapsulation included.
	 */
	assert_int_equal(r.npaths, 1);
	assert_int_equal(r.paths[0].oif, T.if0);
	assert_int_equal(r.paths[0].encap_type, LWTUNNEL_ENCAP_SEG6);
	assert_memory_equal(&r.paths[0].seg6.segs[0], &nh1.seg6.segs[0], 16);
	p = P("2001:db8:100::/64");
	nl_route_init(&r, &p, 100000);
	r.nh_id = grp.id;
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv6 route via a group, table 100000");
	r = kernel_route("2001:db8:100::/64", 100000);
	assert_int_equal(r.nh_id, grp.id);
	assert_int_equal(r.table, 100000);
	fails(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_DELNEXTHOP,
	    NL_F_DEL, &(struct nl_nexthop){ .id = NL_NHID_BASE + 99 }),
	    ENOENT, "delete a nexthop object that is not there");

	/* delete by key: gone, and a second delete finds nothing */
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL, &r),
	    "delete the IPv6 route");
	fails(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL,
	    &r), ESRCH, "delete it again");
	/* a delete of protocol srv6d leaves another protocol's route */
	nl_route_init(&r, &(struct srv6d_prefix){ A("10.1.0.0"), 24 },
	    NLT_TABLE);
	r.protocol = RTPROT_STATIC;
	fails(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL,
	    &r), ESRCH, "delete our IPv4 route as protocol static");
	r.protocol = RTPROT_SRV6D;
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL, &r),
	    "delete the IPv4 route");
	/* deleting a member nexthop shrinks the group */
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_DELNEXTHOP, NL_F_DEL,
	    &nh2), "delete a group member");
	assert_int_equal(kernel_nexthop(grp.id).ngroup, 1);
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_DELNEXTHOP, NL_F_DEL,
	    &grp), "delete the group");
	ok(T.rt, nl_nexthop_msg(buf, sizeof(buf), RTM_DELNEXTHOP, NL_F_DEL,
	    &nh1), "delete the nexthop");
}

static void
test_encap_routes(void **state)
{
	struct nl_route		 r, k;
	struct srv6d_prefix	 p;
	unsigned int		 i;

	(void)state;
	NEED_NETNS();
	/* single path, no gateway (SRV6.md) */
	p = P("10.2.0.0/24");
	nl_route_init(&r, &p, NLT_TABLE);
	r.npaths = 1;
	r.paths[0].oif = T.if0;
	r.paths[0].encap_type = LWTUNNEL_ENCAP_SEG6;
	r.paths[0].seg6.mode = SEG6_IPTUN_MODE_ENCAP;
	r.paths[0].seg6.nsegs = 1;
	r.paths[0].seg6.segs[0] = SID("fc00:0:2:2:100::");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv4 seg6 encap route");
	k = kernel_route("10.2.0.0/24", NLT_TABLE);
	assert_int_equal(k.npaths, 1);
	assert_int_equal(k.paths[0].oif, T.if0);
	assert_int_equal(k.paths[0].encap_type, LWTUNNEL_ENCAP_SEG6);
	assert_int_equal(k.paths[0].seg6.nsegs, 1);
	assert_memory_equal(&k.paths[0].seg6.segs[0],
	    &r.paths[0].seg6.segs[0], 16);

	/* an IPv6 gateway of an IPv4 route: RTA_VIA */
	r.paths[0].gateway = A("2001:db8:1::2");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv4 seg6 encap route via an IPv6 gateway");
	k = kernel_route("10.2.0.0/24", NLT_TABLE);
	assert_int_equal(k.paths[0].gateway.af, AF_INET6);
	assert_int_equal(addr_cmp(&k.paths[0].gateway, &r.paths[0].gateway),
	    0);

	/* ECMP: RTA_MULTIPATH, each path its own SID */
	r.npaths = 2;
	r.paths[1] = r.paths[0];
	r.paths[1].gateway.af = AF_UNSPEC;
	r.paths[1].seg6.mode = SEG6_IPTUN_MODE_ENCAP_RED;
	r.paths[1].seg6.segs[0] = SID("fc00:0:3:3:100::");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv4 multipath seg6 encap route");
	k = kernel_route("10.2.0.0/24", NLT_TABLE);
	assert_true(k.multipath);
	assert_int_equal(k.npaths, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(k.paths[i].oif, T.if0);
		assert_int_equal(k.paths[i].seg6.mode, r.paths[i].seg6.mode);
		assert_memory_equal(&k.paths[i].seg6.segs[0],
		    &r.paths[i].seg6.segs[0], 16);
	}
	assert_int_equal(k.paths[0].gateway.af, AF_INET6);
	assert_int_equal(k.paths[1].gateway.af, AF_UNSPEC);

	/*
	 * IPv6 multipath: the kernel wants a gateway on every path ("Device
	 * only routes can not be added for IPv6 using the multipath API").
	 */
	p = P("2001:db8:200::/64");
	r.family = AF_INET6;
	r.dst = p;
	fails(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r), EINVAL, "IPv6 multipath with a path without gateway");
	r.paths[1].gateway = A("2001:db8:1::3");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "IPv6 multipath seg6 encap route");
	k = kernel_route("2001:db8:200::/64", NLT_TABLE);
	assert_true(k.multipath);
	assert_int_equal(k.npaths, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(addr_cmp(&k.paths[i].gateway,
		    &r.paths[i].gateway), 0);
		assert_int_equal(k.paths[i].seg6.mode, r.paths[i].seg6.mode);
		assert_memory_equal(&k.paths[i].seg6.segs[0],
		    &r.paths[i].seg6.segs[0], 16);
	}

	/* plain route (fib-update) and End.DX4's onlink host route */
	p = P("fc00:0:9::/48");
	nl_route_init(&r, &p, RT_TABLE_MAIN);
	r.npaths = 1;
	r.paths[0].oif = T.if0;
	r.paths[0].gateway = A("2001:db8:1::9");
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "plain route in main");
	k = kernel_route("fc00:0:9::/48", RT_TABLE_MAIN);
	assert_int_equal(addr_cmp(&k.paths[0].gateway, &r.paths[0].gateway),
	    0);
	assert_int_equal(k.protocol, RTPROT_SRV6D);
	nl_route_onlink_host(&r, &(struct in_addr){ htonl(0x0ac80a0a) },
	    T.if1, NLT_TABLE);
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "onlink host route");
	k = kernel_route("10.200.10.10/32", NLT_TABLE);
	assert_true(k.paths[0].flags & RTNH_F_ONLINK);
	assert_int_equal(k.paths[0].oif, T.if1);
	assert_int_equal(addr_cmp(&k.paths[0].gateway, &r.dst.addr), 0);
	/* without onlink the kernel refuses it: nothing on that link */
	r.paths[0].flags = 0;
	r.dst = P("10.200.10.11/32");
	r.paths[0].gateway = r.dst.addr;
	fails(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW,
	    &r), ENETUNREACH, "host route without onlink");
}

/* Every seg6local action this kernel runs in table mode, with counters. */
static void
test_seg6local(void **state)
{
	static const struct {
		const char	*sid;
		uint32_t	 action;
		uint32_t	 table;
		const char	*nh;
	} c[] = {
		{ "fc00:0:1:e000::", SEG6_LOCAL_ACTION_END, 0, NULL },
		{ "fc00:0:1:e001::", SEG6_LOCAL_ACTION_END_X, 0,
		    "2001:db8:1::2" },
		{ "fc00:0:1:e002::", SEG6_LOCAL_ACTION_END_DX6, 0, "::" },
		{ "fc00:0:1:e003::", SEG6_LOCAL_ACTION_END_DX4, 0,
		    "192.0.2.2" },
		{ "fc00:0:1:e005::", SEG6_LOCAL_ACTION_END_DT6, NLT_TABLE,
		    NULL },
	};
	struct nl_seg6local	 sl;
	struct nl_route		 r, k;
	struct srv6d_addr	 nh;
	struct in6_addr		 sid;
	char			 dst[64];
	unsigned int		 i;

	(void)state;
	NEED_NETNS();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&sl, 0, sizeof(sl));
		sl.action = c[i].action;
		sl.table = c[i].table;
		if (c[i].nh != NULL) {
			nh = A(c[i].nh);
			sl.has_nh4 = nh.af == AF_INET;
			sl.has_nh6 = nh.af == AF_INET6;
			sl.nh4 = nh.v4;
			sl.nh6 = nh.v6;
		}
		sl.counters = true;
		sid = SID(c[i].sid);
		nl_route_sid(&r, &sid, T.if0, RT_TABLE_MAIN, &sl);
		ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE,
		    NL_F_NEW, &r), c[i].sid);
		snprintf(dst, sizeof(dst), "%s/128", c[i].sid);
		k = kernel_route(dst, RT_TABLE_MAIN);
		assert_int_equal(k.protocol, RTPROT_SRV6D);
		assert_int_equal(k.npaths, 1);
		assert_int_equal(k.paths[0].oif, T.if0);
		assert_int_equal(k.paths[0].encap_type,
		    LWTUNNEL_ENCAP_SEG6_LOCAL);
		assert_int_equal(k.paths[0].seg6local.action, c[i].action);
		assert_int_equal(k.paths[0].seg6local.table, c[i].table);
		assert_int_equal(k.paths[0].seg6local.has_nh4, sl.has_nh4);
		assert_int_equal(k.paths[0].seg6local.has_nh6, sl.has_nh6);
		if (sl.has_nh4)
			assert_memory_equal(&k.paths[0].seg6local.nh4, &sl.nh4,
			    4);
		if (sl.has_nh6)
			assert_memory_equal(&k.paths[0].seg6local.nh6, &sl.nh6,
			    16);
		assert_true(k.paths[0].seg6local.counters);
		assert_int_equal(k.paths[0].seg6local.packets, 0);
		assert_int_equal(k.paths[0].seg6local.bytes, 0);
		assert_int_equal(k.paths[0].seg6local.errors, 0);
	}
	/* End.DT6 replaced without counters: the kernel dumps none */
	sl.counters = false;
	nl_route_sid(&r, &sid, T.if0, RT_TABLE_MAIN, &sl);
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_NEWROUTE, NL_F_NEW, &r),
	    "End.DT6 replaced without counters");
	k = kernel_route("fc00:0:1:e005::/128", RT_TABLE_MAIN);
	assert_false(k.paths[0].seg6local.counters);
	assert_int_equal(k.paths[0].seg6local.table, NLT_TABLE);
	ok(T.rt, nl_route_msg(buf, sizeof(buf), RTM_DELROUTE, NL_F_DEL, &r),
	    "delete End.DT6");
}

static void
test_rules(void **state)
{
	static const uint8_t	 afs[] = { AF_INET, AF_INET6 };
	struct nl_rule		 r, k;
	unsigned int		 i;

	(void)state;
	NEED_NETNS();
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		r.family = afs[i];
		r.protocol = RTPROT_SRV6D;
		r.action = FR_ACT_TO_TBL;
		r.table = NLT_TABLE;
		r.priority = NLT_PRIO;
		strlcpy(r.iifname, "nlt1", sizeof(r.iifname));
		ok(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_NEWRULE,
		    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &r), "rule");
		fails(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_NEWRULE,
		    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &r), EEXIST,
		    "the same rule with NLM_F_EXCL");
		assert_int_equal(kernel_rules(afs[i], &k), 1);
		assert_memory_equal(&k, &r, sizeof(r));
		/* without NLM_F_EXCL the kernel adds a duplicate */
		ok(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_NEWRULE, NL_F_NEW,
		    &r), "the same rule without NLM_F_EXCL");
		assert_int_equal(kernel_rules(afs[i], &k), 2);
		ok(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_DELRULE, NL_F_DEL,
		    &r), "delete the rule");
		ok(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_DELRULE, NL_F_DEL,
		    &r), "delete the duplicate");
		assert_int_equal(kernel_rules(afs[i], &k), 0);
		fails(T.rt, nl_rule_msg(buf, sizeof(buf), RTM_DELRULE,
		    NL_F_DEL, &r), ENOENT, "delete a rule not there");
	}
}

static void
family_cb(const struct nlmsghdr *nlh, void *arg)
{
	if (nl_genl_family_id(nlh, arg) == -1)
		fail_msg("CTRL_CMD_GETFAMILY reply refused");
}

struct found_tunsrc {
	uint16_t	 family;
	unsigned int	 n;
	struct in6_addr	 src;
};

static void
tunsrc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found_tunsrc	*t = arg;

	if (nl_seg6_tunsrc_parse(nlh, t->family, &t->src) == -1)
		fail_msg("SEG6_CMD_GET_TUNSRC reply refused");
	t->n++;
}

static void
test_tunsrc(void **state)
{
	struct nlmsghdr		*nlh;
	struct in6_addr		 src = SID("fc00:0:1::1"), got;
	struct found_tunsrc	 t;
	uint16_t		 id = 0;

	(void)state;
	NEED_NETNS();
	nlh = nl_genl_getfamily(buf, sizeof(buf), SEG6_GENL_NAME);
	assert_int_equal(talk(T.genl, nlh, family_cb, &id), 0);
	assert_true(id > GENL_ID_CTRL);
	ok(T.genl, nl_seg6_tunsrc_set(buf, sizeof(buf), id, NLM_F_ACK, &src),
	    "SEG6_CMD_SET_TUNSRC");
	nlh = nl_seg6_tunsrc_get(buf, sizeof(buf), id);
	nlh->nlmsg_flags |= NLM_F_ACK;
	memset(&t, 0, sizeof(t));
	t.family = id;
	assert_int_equal(talk(T.genl, nlh, tunsrc_cb, &t), 0);
	assert_int_equal(t.n, 1);
	got = t.src;
	assert_memory_equal(&got, &src, 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_vrf),
		cmocka_unit_test(test_nexthop_objects),
		cmocka_unit_test(test_encap_routes),
		cmocka_unit_test(test_seg6local),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_tunsrc),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
