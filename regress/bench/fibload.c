/*
 * fibload: the kernel's own limit for srv6d's FIB work, measured with a
 * minimal libmnl loader that sends the messages fibd will send, as fast as
 * the kernel takes them, for regress/bench/fib.
 *
 * Load mode (the default) makes a veth pair and an IPv6 address, one
 * nexthop object carrying a seg6 encapsulation (mode encap, one SID), then
 * N IPv4 /32 routes in a table pointing to it by RTA_NH_ID, many messages
 * per sendmsg.  rtnetlink handles a sendmsg synchronously, so when it
 * returns every ACK of the batch is queued on our socket (or was dropped
 * for want of room, which we count): the batch's ACKs are read before the
 * next batch goes.  The routes are counted by a dump, deleted the same way
 * and counted again.  With -e every route carries its own RTA_ENCAP
 * instead, the layout DESIGN.md found losing routes to ENOMEM.
 *
 * -c prints how many routes a table holds (by a dump); -w waits until it
 * holds exactly COUNT and prints when, which times other programs' kernel
 * sync (BIRD) without racing a shell poll.
 *
 * It refuses to run outside a namespace made by `ip netns add': it is
 * meant for a namespace of its own and never touches the host's tables.
 *
 * Output, one fact a line, for the script:
 *	add routes N seconds S rate R failed F lost L [errno-name count...]
 *	count N
 *	del routes N seconds S rate R failed F lost L [...]
 *	reached N at SECONDS		(-w; CLOCK_REALTIME)
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/lwtunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/seg6.h>
#include <linux/seg6_iptunnel.h>
#include <linux/veth.h>

#define FL_ROUTES_DEFAULT	1000000
#define FL_BATCH_DEFAULT	1024		/* messages per sendmsg */
#define FL_TABLE_DEFAULT	100
#define FL_PROTO_DEFAULT	201		/* RTPROT_SRV6D */
#define FL_NHID			0x5d600000	/* srv6d's first nexthop id */
#define FL_SID_DEFAULT		"fc00:0:2:2:100::"
#define FL_DEV			"flb0"
#define FL_PEER			"flb1"
#define FL_ADDR			"fd00:5::1"
#define FL_SOCKBUF		(64 * 1024 * 1024)
#define FL_ROUTE_MAXLEN		256		/* one message, encap included */
#define FL_ERRNO_MAX		256

struct fl_pfx {
	uint32_t	 addr;		/* network order */
	uint8_t		 len;
};

struct fl_opts {
	uint32_t	 nroutes;
	uint32_t	 batch;
	uint32_t	 table;
	uint32_t	 proto;
	int		 proto_set;
	int		 per_route;	/* -e */
	int		 count;		/* -c */
	long		 wait;		/* -w COUNT, -1 if not */
	double		 timeout;	/* -T for -w */
	int		 keep;		/* -k: leave the routes */
	struct in6_addr	 sid;
	struct fl_pfx	*pfx;		/* -f: route i is pfx[i] */
	uint32_t	 npfx;
	struct fl_pfx	*dpfx;		/* -r: the deletes' order */
};

struct fl_nl {
	struct mnl_socket	*sk;
	uint32_t		 portid;
	uint32_t		 seq;
	char			*buf;
	size_t			 buflen;
};

/* What one direction of a load cost and how it went. */
struct fl_stats {
	uint32_t	 sent;
	uint32_t	 acked;
	uint32_t	 failed;
	uint32_t	 lost;		/* ACKs the socket had no room for */
	uint32_t	 by_errno[FL_ERRNO_MAX];
	double		 seconds;
};

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: fibload [-ek] [-b batch] [-f file [-r] |"
	    " -n routes]\n               [-p proto] [-s sid] [-t table]\n"
	    "       fibload -c [-p proto] [-t table]\n"
	    "       fibload -w count [-p proto] [-t table] [-T timeout]\n");
	exit(1);
}

static double
now(clockid_t clk)
{
	struct timespec	ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Our namespace is one that `ip netns add' made (bind-mounted under
 * /run/netns), or we do nothing: that keeps us off the host's tables.
 */
static void
check_netns(void)
{
	struct stat	 self, st;
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX];
	int		 found = 0;

	if (stat("/proc/self/ns/net", &self) == -1)
		err(1, "/proc/self/ns/net");
	if ((d = opendir("/run/netns")) != NULL) {
		while (!found && (de = readdir(d)) != NULL) {
			snprintf(path, sizeof(path), "/run/netns/%s",
			    de->d_name);
			found = de->d_name[0] != '.' && stat(path, &st) == 0 &&
			    st.st_ino == self.st_ino &&
			    st.st_dev == self.st_dev;
		}
		closedir(d);
	}
	if (!found)
		errx(1, "refusing to run outside a namespace of `ip netns'"
		    " (use ip netns exec)");
}

static void
nl_open(struct fl_nl *nl, size_t buflen)
{
	int	on = 1, size = FL_SOCKBUF;

	if ((nl->sk = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) == -1)
		err(1, "netlink");
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	/* ACKs without the request copied back; the kernel's reason text */
	if (mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &on,
	    sizeof(on)) == -1 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &on,
	    sizeof(on)) == -1 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_GET_STRICT_CHK, &on,
	    sizeof(on)) == -1)
		err(1, "netlink options");
	/* past rmem_max/wmem_max: we are root in our own namespace */
	if (setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET,
	    SO_RCVBUFFORCE, &size, sizeof(size)) == -1 ||
	    setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET,
	    SO_SNDBUFFORCE, &size, sizeof(size)) == -1)
		err(1, "netlink buffers");
	nl->buflen = buflen;
	if ((nl->buf = malloc(buflen)) == NULL)
		err(1, NULL);
}

static struct nlmsghdr *
nl_msg(char *buf, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr	*nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

/* One request, its ACK: 0 or the kernel's errno. */
static int
nl_request(struct fl_nl *nl, struct nlmsghdr *nlh)
{
	const struct nlmsgerr	*e;
	ssize_t			 n;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) == -1)
		err(1, "netlink send");
	if ((n = mnl_socket_recvfrom(nl->sk, nl->buf, nl->buflen)) == -1)
		err(1, "netlink receive");
	nlh = (struct nlmsghdr *)nl->buf;
	if (!mnl_nlmsg_ok(nlh, (int)n) || nlh->nlmsg_type != NLMSG_ERROR)
		errx(1, "netlink: no ACK");
	e = mnl_nlmsg_get_payload(nlh);
	return -e->error;
}

/* Setup: a veth pair, up, an address, the nexthop object. */

static void
setup_veth(struct fl_nl *nl)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*info, *data, *peer;

	nlh = nl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ++nl->seq);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, FL_DEV);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds an ifinfomsg, then the peer's attributes */
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, FL_PEER);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if ((errno = nl_request(nl, nlh)) != 0)
		err(1, "veth %s", FL_DEV);
}

static void
setup_up(struct fl_nl *nl, unsigned ifindex)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	nlh = nl_msg(buf, RTM_NEWLINK, 0, ++nl->seq);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	if ((errno = nl_request(nl, nlh)) != 0)
		err(1, "link %u up", ifindex);
}

static void
setup_addr(struct fl_nl *nl, unsigned ifindex)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct in6_addr		 a;

	inet_pton(AF_INET6, FL_ADDR, &a);
	nlh = nl_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ++nl->seq);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(a), &a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(a), &a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	if ((errno = nl_request(nl, nlh)) != 0)
		err(1, "address %s", FL_ADDR);
}

/*
 * The seg6 encapsulation as RTA_ENCAP / NHA_ENCAP carry it: a nest of
 * SEG6_IPTUNNEL_SRH = mode, then an SRH of one segment (SRV6.md).
 */
static void
put_seg6(struct nlmsghdr *nlh, uint16_t type_attr, uint16_t encap_attr,
    const struct in6_addr *sid)
{
	uint8_t				 tun[sizeof(struct seg6_iptunnel_encap) +
					    sizeof(struct ipv6_sr_hdr) + 16];
	struct seg6_iptunnel_encap	*t = (void *)tun;
	struct nlattr			*nest;

	memset(tun, 0, sizeof(tun));
	t->mode = SEG6_IPTUN_MODE_ENCAP;
	t->srh->hdrlen = 2;		/* 8-octet units past the first 8 */
	t->srh->type = 4;		/* RFC 8754 §2: Segment Routing */
	memcpy(t->srh->segments, sid, 16);
	mnl_attr_put_u16(nlh, type_attr, LWTUNNEL_ENCAP_SEG6);
	nest = mnl_attr_nest_start(nlh, encap_attr);
	mnl_attr_put(nlh, SEG6_IPTUNNEL_SRH, sizeof(tun), tun);
	mnl_attr_nest_end(nlh, nest);
}

static void
setup_nexthop(struct fl_nl *nl, unsigned ifindex, const struct fl_opts *o)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct nhmsg	*nhm;

	nlh = nl_msg(buf, RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_EXCL,
	    ++nl->seq);
	nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
	nhm->nh_family = AF_INET;	/* for the IPv4 routes using it */
	nhm->nh_protocol = (uint8_t)o->proto;
	mnl_attr_put_u32(nlh, NHA_ID, FL_NHID);
	mnl_attr_put_u32(nlh, NHA_OIF, ifindex);
	put_seg6(nlh, NHA_ENCAP_TYPE, NHA_ENCAP, &o->sid);
	if ((errno = nl_request(nl, nlh)) != 0)
		err(1, "nexthop %#x", FL_NHID);
}

static unsigned
setup(struct fl_nl *nl, const struct fl_opts *o)
{
	unsigned	dev, peer;

	setup_veth(nl);
	if ((dev = if_nametoindex(FL_DEV)) == 0 ||
	    (peer = if_nametoindex(FL_PEER)) == 0)
		err(1, "veth pair");
	setup_up(nl, dev);
	setup_up(nl, peer);
	setup_addr(nl, dev);
	if (!o->per_route)
		setup_nexthop(nl, dev, o);
	return dev;
}

/* Routes. */

/*
 * Route i: 10.0.0.0 + i as a /32, or with -f the file's i-th prefix, in
 * the table, ours by protocol.
 */
static struct nlmsghdr *
route_msg(char *buf, uint16_t type, uint32_t i, uint32_t seq,
    const struct fl_opts *o, unsigned ifindex)
{
	const struct fl_pfx *pfx;
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;

	nlh = nl_msg(buf, type, NLM_F_ACK |
	    (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0), seq);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	pfx = type == RTM_DELROUTE && o->dpfx != NULL ? o->dpfx : o->pfx;
	rtm->rtm_dst_len = pfx != NULL ? pfx[i].len : 32;
	rtm->rtm_table = o->table < 256 ? o->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = (uint8_t)o->proto;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_DST, pfx != NULL ? pfx[i].addr :
	    htonl(0x0a000000 + i));
	mnl_attr_put_u32(nlh, RTA_TABLE, o->table);
	if (type == RTM_DELROUTE)
		return nlh;
	if (o->per_route) {
		mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
		put_seg6(nlh, RTA_ENCAP_TYPE, RTA_ENCAP, &o->sid);
	} else
		mnl_attr_put_u32(nlh, RTA_NH_ID, FL_NHID);
	return nlh;
}

/* Account for one ACK or error of ours. */
static void
ack_one(const struct nlmsghdr *nlh, struct fl_stats *st)
{
	const struct nlmsgerr	*e = mnl_nlmsg_get_payload(nlh);
	int			 no = -e->error;

	st->acked++;
	if (no == 0)
		return;
	st->failed++;
	st->by_errno[no > 0 && no < FL_ERRNO_MAX ? no : 0]++;
}

/*
 * Read what the batch left on the socket: its sendmsg has returned, so
 * every ACK the kernel could queue is there; the rest (ENOBUFS) is lost.
 */
static void
ack_drain(struct fl_nl *nl, struct fl_stats *st, uint32_t expect)
{
	struct nlmsghdr	*nlh;
	uint32_t	 got = 0;
	ssize_t		 n;
	int		 len;

	while (got < expect) {
		n = recv(mnl_socket_get_fd(nl->sk), nl->buf, nl->buflen,
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS)
			continue;	/* overflowed: drain what is left */
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1)
			err(1, "netlink receive");
		len = (int)n;
		for (nlh = (struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_pid != nl->portid)
				continue;
			ack_one(nlh, st);
			got++;
		}
	}
	st->lost += expect - got;
}

/* Send N route messages of TYPE, BATCH per sendmsg; time it. */
static void
load(struct fl_nl *nl, uint16_t type, const struct fl_opts *o,
    unsigned ifindex, struct fl_stats *st)
{
	struct nlmsghdr	*nlh;
	char		*out;
	size_t		 outlen = (size_t)o->batch * FL_ROUTE_MAXLEN, len;
	uint32_t	 i = 0, inbatch;
	double		 t0;

	if ((out = malloc(outlen)) == NULL)
		err(1, NULL);
	memset(st, 0, sizeof(*st));
	t0 = now(CLOCK_MONOTONIC);
	while (i < o->nroutes) {
		for (len = 0, inbatch = 0; inbatch < o->batch &&
		    i < o->nroutes; inbatch++, i++) {
			nlh = route_msg(out + len, type, i, ++nl->seq, o,
			    ifindex);
			len += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (mnl_socket_sendto(nl->sk, out, len) == -1)
			err(1, "netlink send");
		st->sent += inbatch;
		ack_drain(nl, st, inbatch);
	}
	st->seconds = now(CLOCK_MONOTONIC) - t0;
	free(out);
}

static void
stats_print(const char *what, const struct fl_stats *st)
{
	int	i;

	printf("%s routes %u seconds %.3f rate %.0f failed %u lost %u", what,
	    st->sent, st->seconds, st->seconds > 0 ? st->sent / st->seconds :
	    0, st->failed, st->lost);
	for (i = 0; i < FL_ERRNO_MAX; i++)
		if (st->by_errno[i] > 0)
			printf(" %s %u", i == 0 ? "other" : strerrorname_np(i),
			    st->by_errno[i]);
	printf("\n");
	fflush(stdout);
}

/* Count by a dump. */

/*
 * The routes of the table (and protocol, if one was given).  With strict
 * checking the kernel filters by RTA_TABLE and rtm_protocol itself; we
 * check again, as older kernels ignore the filter.
 */
static long
route_count(struct fl_nl *nl, const struct fl_opts *o)
{
	char		 req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	uint32_t	 seq = ++nl->seq, table;
	struct nlattr	*a;
	long		 count = 0;
	ssize_t		 n;
	int		 len;

	nlh = nl_msg(req, RTM_GETROUTE, NLM_F_DUMP, seq);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_protocol = o->proto_set ? (uint8_t)o->proto : 0;
	mnl_attr_put_u32(nlh, RTA_TABLE, o->table);
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) == -1)
		err(1, "netlink send");
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl->sk, nl->buf,
		    nl->buflen)) == -1)
			err(1, "netlink dump");
		len = (int)n;
		for (nlh = (struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return count;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				errx(1, "dump: %s", strerror(-((struct
				    nlmsgerr *)mnl_nlmsg_get_payload(nlh))->
				    error));
			if (nlh->nlmsg_type != RTM_NEWROUTE)
				continue;
			rtm = mnl_nlmsg_get_payload(nlh);
			table = rtm->rtm_table;
			mnl_attr_for_each(a, nlh, sizeof(*rtm))
				if (mnl_attr_get_type(a) == RTA_TABLE)
					table = mnl_attr_get_u32(a);
			if (table == o->table && (!o->proto_set ||
			    rtm->rtm_protocol == o->proto))
				count++;
		}
	}
}

/* -w: dump until the table holds exactly COUNT; print when (realtime). */
static int
wait_count(struct fl_nl *nl, const struct fl_opts *o)
{
	struct timespec	 pause = { 0, 20 * 1000 * 1000 };
	double		 t0 = now(CLOCK_MONOTONIC), at;
	long		 c = -1;

	while (now(CLOCK_MONOTONIC) - t0 < o->timeout) {
		at = now(CLOCK_REALTIME);
		if ((c = route_count(nl, o)) == o->wait) {
			/* the dump began at `at': the state held by then */
			printf("reached %ld at %.6f\n", c, at);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	printf("timeout with %ld routes after %.0f s\n", c, o->timeout);
	return 1;
}

/*
 * -f: IPv4 prefixes, "a.b.c.d/len" a line (bgpgen -P), in that order;
 * *n set to how many.
 */
static struct fl_pfx *
pfx_read(const char *path, uint32_t *n)
{
	FILE		*f;
	char		 line[64], *slash;
	struct in_addr	 in;
	struct fl_pfx	*p = NULL;
	size_t		 i = 0, cap = 0;
	const char	*errstr;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((slash = strchr(line, '/')) == NULL)
			errx(1, "%s: %zu: not a prefix", path, i + 1);
		*slash++ = '\0';
		if (inet_pton(AF_INET, line, &in) != 1)
			errx(1, "%s: %zu: bad address", path, i + 1);
		if (i == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((p = reallocarray(p, cap, sizeof(*p))) == NULL)
				err(1, NULL);
		}
		p[i].len = strtonum(slash, 0, 32, &errstr);
		if (errstr != NULL)
			errx(1, "%s: %zu: length %s", path, i + 1, errstr);
		p[i++].addr = in.s_addr;
	}
	if (ferror(f) || i == 0 || i > UINT32_MAX)
		errx(1, "%s: no prefixes read", path);
	fclose(f);
	*n = (uint32_t)i;
	return p;
}

/*
 * -r: the prefixes in a random order, the same every run (xorshift64,
 * Fisher-Yates): srv6d withdraws a peer's routes in its RIB's hash order,
 * which costs the kernel's trie far less than deleting them in the
 * ascending order they were added.
 */
static struct fl_pfx *
pfx_shuffle(const struct fl_pfx *in, uint32_t n)
{
	struct fl_pfx	*p, t;
	uint64_t	 x = 20261128;
	uint32_t	 i, j;

	if ((p = reallocarray(NULL, n, sizeof(*p))) == NULL)
		err(1, NULL);
	memcpy(p, in, (size_t)n * sizeof(*p));
	for (i = n - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (uint32_t)(x % ((uint64_t)i + 1));
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

static void
opts_parse(struct fl_opts *o, int argc, char *argv[])
{
	static const struct option	 longopts[] = {
		{ "per-route-encap", no_argument, NULL, 'e' },
		{ "count", no_argument, NULL, 'c' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char			*errstr;
	int				 ch, shuffle = 0;

	memset(o, 0, sizeof(*o));
	o->nroutes = FL_ROUTES_DEFAULT;
	o->batch = FL_BATCH_DEFAULT;
	o->table = FL_TABLE_DEFAULT;
	o->proto = FL_PROTO_DEFAULT;
	o->wait = -1;
	o->timeout = 600;
	inet_pton(AF_INET6, FL_SID_DEFAULT, &o->sid);
	while ((ch = getopt_long(argc, argv, "T:b:cef:kn:p:rs:t:w:", longopts,
	    NULL)) != -1) {
		errstr = NULL;
		switch (ch) {
		case 'T':
			o->timeout = strtonum(optarg, 1, 86400, &errstr);
			break;
		case 'b':
			o->batch = strtonum(optarg, 1, 65536, &errstr);
			break;
		case 'c':
			o->count = 1;
			break;
		case 'e':
			o->per_route = 1;
			break;
		case 'f':
			o->pfx = pfx_read(optarg, &o->npfx);
			break;
		case 'r':
			shuffle = 1;
			break;
		case 'k':
			o->keep = 1;
			break;
		case 'n':
			/* 10.0.0.0/8 holds them */
			o->nroutes = strtonum(optarg, 1, 1 << 24, &errstr);
			break;
		case 'p':
			o->proto = strtonum(optarg, 1, 255, &errstr);
			o->proto_set = 1;
			break;
		case 's':
			if (inet_pton(AF_INET6, optarg, &o->sid) != 1)
				errx(1, "bad SID %s", optarg);
			break;
		case 't':
			o->table = strtonum(optarg, 1, UINT32_MAX, &errstr);
			break;
		case 'w':
			o->wait = strtonum(optarg, 0, 1 << 24, &errstr);
			break;
		default:
			usage();
		}
		if (errstr != NULL)
			errx(1, "-%c %s: %s", ch, optarg, errstr);
	}
	if (optind != argc)
		usage();
	if (o->pfx != NULL)
		o->nroutes = o->npfx;
	if (shuffle && o->pfx == NULL)
		errx(1, "-r needs -f");
	if (shuffle)
		o->dpfx = pfx_shuffle(o->pfx, o->npfx);
}

int
main(int argc, char *argv[])
{
	struct fl_opts	 o;
	struct fl_nl	 nl;
	struct fl_stats	 st;
	unsigned	 ifindex;

	opts_parse(&o, argc, argv);
	check_netns();
	nl_open(&nl, 1024 * 1024);
	if (o.count) {
		printf("count %ld\n", route_count(&nl, &o));
		return 0;
	}
	if (o.wait >= 0)
		return wait_count(&nl, &o);
	/* our own routes only, from here on */
	o.proto_set = 1;
	ifindex = setup(&nl, &o);
	printf("setup %s, %s, %s, %u routes into table %u, proto %u, "
	    "%u per sendmsg\n", FL_DEV, FL_ADDR, o.per_route ?
	    "an encapsulation per route" : "nexthop object 0x5d600000",
	    o.nroutes, o.table, o.proto, o.batch);
	load(&nl, RTM_NEWROUTE, &o, ifindex, &st);
	stats_print("add", &st);
	printf("count %ld\n", route_count(&nl, &o));
	if (o.keep)
		return 0;
	load(&nl, RTM_DELROUTE, &o, ifindex, &st);
	stats_print("del", &st);
	printf("count %ld\n", route_count(&nl, &o));
	return 0;
}
