/*
 * bgpgen: a minimal BGP speaker that feeds a daemon many IPv4 unicast
 * prefixes as fast as the daemon takes them, for regress/bench/run.
 *
 * It builds the whole UPDATE stream before the session comes up (with
 * srv6d's own codec, bgp_msg.c and bgp_update.c), so that what is timed is
 * the daemon and not the generator.  Prefixes come in attribute groups of
 * about 20, each with its own AS path (2 to 6 ASes, the first ours), some
 * with a MED, some with a community, the way a full-table feed looks.
 * After End-of-RIB it keeps the session up with KEEPALIVEs until killed.
 *
 * With -V the same prefixes go as VPNv4 routes (RFC 4364, AFI 1 SAFI 128
 * in MP_REACH_NLRI), as a route reflector would pass them on over iBGP
 * (no AS of ours in the path, LOCAL_PREF 100): RD 65100:10, route target
 * 65000:10, and one RFC 9252 SRv6 L3 Service SID for all, End.DT4
 * fc00:0:2:100:: of a 32/16/16/0 locator with the function transposed
 * into the label (the layout srv6d sends by default; SRV6.md).
 *
 * -P FILE writes the prefixes, one "a.b.c.d/len" a line in the order they
 * are sent, so that fibload can send the kernel exactly the routes srv6d
 * will install (with -C nothing is sent: bgpgen -C -V -n N -P FILE).
 *
 * Output on stdout, one fact a line; the bench script reads
 * "first-update SECONDS" (CLOCK_REALTIME, when the first UPDATE byte was
 * handed to the kernel).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgp.h"
#include "bgp_vpn.h"
#include "imsg.h"
#include "srv6.h"

#define GEN_AS_DEFAULT		65100
#define GEN_PREFIXES_DEFAULT	1000000
#define GEN_HOLDTIME		90
#define GEN_CONNECT_TRIES	300		/* every 0.1 s: 30 s */
#define GEN_RBUF_SIZE		(2 * BGP_MAX_LEN_EXT)
#define GEN_GROUP_MIN		10		/* prefixes per attribute set */
#define GEN_GROUP_SPREAD	21		/* 10 .. 30, mean 20 */
#define GEN_PATH_MAX		6
/* -V: RD 65100:10 (type 0), RT 65000:10, the SID fc00:0:2:100:: */
#define GEN_VPN_RD		((rd_t)65100 << 32 | 10)
#define GEN_VPN_RT		((ext_community_t)VPN_RT_AS2 << 48 | \
				    (ext_community_t)65000 << 32 | 10)
#define GEN_VPN_SID		"fc00:0:2:100::"
#define GEN_VPN_LOCALPREF	100
/* room after MP_REACH for EXT_COMMUNITIES and PREFIX_SID, headers too */
#define GEN_VPN_TAIL		(3 + 8 + 3 + PREFIX_SID_SRV6_ENCODED_LEN)
#define GEN_VPN_NLRI_MAX	(1 + 3 + 8 + 4)

struct gen_opts {
	struct sockaddr_in	 peer;		/* connect, or listen with -l */
	int			 listen;
	uint32_t		 as;
	uint32_t		 bgpid;		/* network order */
	uint32_t		 nprefixes;
	uint64_t		 seed;
	int			 check;		/* -C: build, verify, exit */
	int			 vpn;		/* -V: VPNv4 with a SID */
	const char		*pfxfile;	/* -P: the prefixes, as text */
};

/* One attribute set, shared by a group of prefixes. */
struct gen_attrs {
	uint8_t		 origin;
	uint8_t		 pathlen;
	uint32_t	 path[GEN_PATH_MAX];
	int		 has_med;
	uint32_t	 med;
	uint8_t		 ncomm;
	uint32_t	 comm[2];
};

struct gen {
	uint64_t	 rnd;
	uint32_t	 cursor;	/* next free address, host order */
	uint32_t	 nexthop;	/* network order */
	uint32_t	 as;
	uint32_t	 nupdates;
	uint32_t	 ngroups;
	int		 vpn;
	uint8_t		 psid[PREFIX_SID_SRV6_ENCODED_LEN]; /* -V */
	uint32_t	 label;		/* -V: the transposed function */
	FILE		*pfx;		/* -P: each prefix written here */
};

/* The session: a socket and what is still to be written on it. */
struct gen_sess {
	int		 fd;
	const uint8_t	*out;		/* the prebuilt UPDATE stream */
	size_t		 outlen;
	size_t		 outpos;
	size_t		 msgend;	/* end of the message at outpos */
	uint16_t	 holdtime;	/* negotiated */
	struct timespec	 next_ka;
	uint8_t		 rbuf[GEN_RBUF_SIZE];
	size_t		 rlen;
	uint64_t	 updates_in;
	int		 established;
};

static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: bgpgen [-CVl] [-a as] [-i id] [-n prefixes]"
	    " [-P file] [-p port] [-s seed] [address]\n");
	exit(1);
}

static double
ts_sec(const struct timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

static double
now_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts_sec(&ts);
}

static void
print_realtime(const char *what)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%s %lld.%09ld\n", what, (long long)ts.tv_sec, ts.tv_nsec);
	fflush(stdout);
}

/* xorshift64: fast, and the same stream for the same seed everywhere. */
static uint64_t
gen_rand(struct gen *g)
{
	g->rnd ^= g->rnd << 13;
	g->rnd ^= g->rnd >> 7;
	g->rnd ^= g->rnd << 17;
	return g->rnd;
}

static uint32_t
gen_below(struct gen *g, uint32_t n)
{
	return (uint32_t)(gen_rand(g) % n);
}

/*
 * An AS a few hops away.  A small set of transit ASes gives paths common
 * second hops, as on the Internet; a third of the others need 4 octets.
 */
static uint32_t
gen_asn(struct gen *g, int hop)
{
	static const uint32_t	transit[] = { 174, 1299, 2914, 3257, 3356,
	    6453, 6461, 6762, 6939, 7018, 9002, 12956, 1273, 3491, 5511 };
	uint32_t		as;

	if (hop == 1)
		return transit[gen_below(g, sizeof(transit) /
		    sizeof(transit[0]))];
	if (gen_below(g, 3) == 0)
		return 131072 + gen_below(g, 270000);
	do {
		as = 1 + gen_below(g, 64495);
	} while (as == AS_TRANS);
	return as;
}

static void
gen_group(struct gen *g, struct gen_attrs *a)
{
	uint32_t	r = gen_below(g, 100);
	int		i;

	a->origin = r < 80 ? BGP_ORIGIN_IGP : r < 95 ? BGP_ORIGIN_INCOMPLETE :
	    BGP_ORIGIN_EGP;
	a->pathlen = 2 + gen_below(g, GEN_PATH_MAX - 1);
	a->path[0] = g->as;	/* eBGP: the peer's AS comes first */
	for (i = 1; i < a->pathlen; i++)
		a->path[i] = gen_asn(g, i);
	if (g->vpn) {		/* iBGP: the path as received from outside */
		memmove(a->path, a->path + 1, --a->pathlen *
		    sizeof(a->path[0]));
	}
	a->has_med = gen_below(g, 10) < 3;
	a->med = gen_below(g, 1000);
	a->ncomm = gen_below(g, 10) < 4 ? 1 + gen_below(g, 2) : 0;
	for (i = 0; i < a->ncomm; i++)
		a->comm[i] = htonl(g->as << 16 | gen_below(g, 1000));
}

/*
 * The next prefix: mostly /24, some shorter, each aligned to its length,
 * allocated upward from 1.0.0.0 and skipping 10/8 (our links) and 127/8.
 * Returns -1 once unicast space (below 224/8) runs out.
 */
static int
gen_prefix(struct gen *g, uint8_t *addr, uint8_t *plen)
{
	static const uint8_t	lens[20] = { 24, 24, 24, 24, 24, 24, 24, 24,
	    24, 24, 24, 24, 24, 23, 23, 23, 22, 22, 21, 20 };
	uint32_t		size, a;

	*plen = lens[gen_below(g, 20)];
	size = 1U << (32 - *plen);
	for (;;) {
		a = (g->cursor + size - 1) & ~(size - 1);
		if (a >> 24 >= 224 || a < g->cursor)
			return -1;
		if (a >> 24 != 10 && a >> 24 != 127)
			break;
		g->cursor = ((a >> 24) + 1) << 24;
	}
	g->cursor = a + size;
	if (g->pfx != NULL)
		fprintf(g->pfx, "%u.%u.%u.%u/%u\n", a >> 24, (a >> 16) & 0xff,
		    (a >> 8) & 0xff, a & 0xff, *plen);
	a = htonl(a);
	memcpy(addr, &a, 4);
	return 0;
}

static int
gen_attrs_write(struct ibuf *b, const struct gen *g, const struct gen_attrs *a)
{
	uint8_t		path[2 + 4 * GEN_PATH_MAX];
	uint32_t	v;
	int		i;

	path[0] = BGP_AS_SEQUENCE;
	path[1] = a->pathlen;
	for (i = 0; i < a->pathlen; i++) {
		v = htonl(a->path[i]);
		memcpy(path + 2 + 4 * i, &v, 4);
	}
	if (bgp_attr_write(b, BGP_ATTR_TRANSITIVE, BGP_ATTR_ORIGIN,
	    &a->origin, 1) == -1 ||
	    bgp_attr_write(b, BGP_ATTR_TRANSITIVE, BGP_ATTR_AS_PATH, path,
	    2 + 4 * a->pathlen) == -1)
		return -1;
	/* VPN routes have their next hop in MP_REACH_NLRI (RFC 4760 §3) */
	if (!g->vpn && bgp_attr_write(b, BGP_ATTR_TRANSITIVE,
	    BGP_ATTR_NEXT_HOP, &g->nexthop, 4) == -1)
		return -1;
	v = htonl(a->med);
	if (a->has_med && bgp_attr_write(b, BGP_ATTR_OPTIONAL, BGP_ATTR_MED,
	    &v, 4) == -1)
		return -1;
	v = htonl(GEN_VPN_LOCALPREF);
	if (g->vpn && bgp_attr_write(b, BGP_ATTR_TRANSITIVE,
	    BGP_ATTR_LOCAL_PREF, &v, 4) == -1)
		return -1;
	if (a->ncomm > 0 && bgp_attr_write(b, BGP_ATTR_OPTIONAL |
	    BGP_ATTR_TRANSITIVE, BGP_ATTR_COMMUNITIES, a->comm,
	    4 * a->ncomm) == -1)
		return -1;
	return 0;
}

/*
 * -V: the rest of the UPDATE after the common attributes (RFC 4760 §3,
 * RFC 4364 §4.3.4): MP_REACH_NLRI with the next hop (RD 0 + our address)
 * and as many labelled VPN prefixes as fit, then the route target and
 * the Prefix-SID, in ascending type order; the attribute length last.
 */
static int
gen_update_vpn(struct ibuf *b, struct gen *g, size_t start, size_t alen_at,
    uint32_t *left)
{
	struct vpn_nexthop	 nh = { .global = { .af = AF_INET } };
	struct srv6d_prefix	 pfx = { .addr = { .af = AF_INET } };
	struct ibuf		*mp;
	uint8_t			 rt[8], *p;
	size_t			 room, alen;
	int			 i, rv = -1;

	nh.global.v4.s_addr = g->nexthop;
	room = BGP_MAX_LEN - (ibuf_size(b) - start) - 4 - GEN_VPN_TAIL;
	if ((mp = ibuf_dynamic(room, room)) == NULL ||
	    ibuf_add_n16(mp, BGP_AFI_IPV4) == -1 ||
	    ibuf_add_u8(mp, BGP_SAFI_VPN) == -1 ||
	    vpn_nexthop_write(mp, &nh) == -1 || ibuf_add_u8(mp, 0) == -1)
		goto out;
	while (*left > 0 && ibuf_size(mp) + GEN_VPN_NLRI_MAX <= room) {
		if (gen_prefix(g, (uint8_t *)&pfx.addr.v4, &pfx.len) == -1) {
			errno = ENOSPC;
			goto out;
		}
		if (vpn_nlri_write(mp, g->label, GEN_VPN_RD, &pfx) == -1)
			goto out;
		(*left)--;
	}
	for (i = 0; i < 8; i++)
		rt[i] = (uint8_t)(GEN_VPN_RT >> (56 - 8 * i));
	if (bgp_attr_write(b, BGP_ATTR_OPTIONAL, BGP_ATTR_MP_REACH,
	    ibuf_seek(mp, 0, ibuf_size(mp)), ibuf_size(mp)) == -1 ||
	    bgp_attr_write(b, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE,
	    BGP_ATTR_EXT_COMMUNITIES, rt, sizeof(rt)) == -1 ||
	    bgp_attr_write(b, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE,
	    BGP_ATTR_PREFIX_SID, g->psid, sizeof(g->psid)) == -1)
		goto out;
	alen = ibuf_size(b) - alen_at - 2;
	if ((p = ibuf_seek(b, alen_at, 2)) == NULL)
		goto out;
	p[0] = alen >> 8;
	p[1] = alen & 0xff;
	g->nupdates++;
	rv = bgp_msg_end(b, start, BGP_MAX_LEN);
out:
	ibuf_free(mp);
	return rv;
}

/*
 * -V: the one Prefix-SID attribute value all routes carry, and the
 * label that holds its transposed function (RFC 9252 §4).
 */
static void
gen_vpn_sid(struct gen *g)
{
	struct srv6_sid_info	in = {
		.behavior = SRV6_BEHAVIOR_END_DT4,
		.has_structure = 1,
		.st = { .lbl = 32, .lnl = 16, .fl = 16, .al = 0,
		    .tl = 16, .to = 48 },
	};

	inet_pton(AF_INET6, GEN_VPN_SID, &in.sid);
	if (prefix_sid_encode(g->psid, sizeof(g->psid),
	    PREFIX_SID_TLV_SRV6_L3, &in, 1, &g->label) != sizeof(g->psid))
		errx(1, "encoding the Prefix-SID");
}

/*
 * One UPDATE: the attribute set and as many of the group's *left
 * prefixes as fit in BGP_MAX_LEN (RFC 4271 §4.3 layout).
 */
static int
gen_update(struct ibuf *b, struct gen *g, const struct gen_attrs *a,
    uint32_t *left)
{
	size_t	 start, alen_at, alen;
	uint8_t	 addr[4], plen, *p;

	if (bgp_msg_begin(b, BGP_UPDATE, &start) == -1 ||
	    ibuf_add_n16(b, 0) == -1)	/* no withdrawn routes */
		return -1;
	alen_at = ibuf_size(b);
	if (ibuf_add_n16(b, 0) == -1 || gen_attrs_write(b, g, a) == -1)
		return -1;
	alen = ibuf_size(b) - alen_at - 2;
	if ((p = ibuf_seek(b, alen_at, 2)) == NULL)
		return -1;
	p[0] = alen >> 8;
	p[1] = alen & 0xff;
	if (g->vpn)
		return gen_update_vpn(b, g, start, alen_at, left);
	while (*left > 0 && ibuf_size(b) - start + 5 <= BGP_MAX_LEN) {
		if (gen_prefix(g, addr, &plen) == -1) {
			errno = ENOSPC;
			return -1;
		}
		if (bgp_prefix_write(b, addr, plen) == -1)
			return -1;
		(*left)--;
	}
	g->nupdates++;
	return bgp_msg_end(b, start, BGP_MAX_LEN);
}

/*
 * RFC 4724 §2: End-of-RIB for IPv4 unicast is an empty UPDATE; for
 * VPNv4 an UPDATE with only an empty MP_UNREACH_NLRI for AFI 1 SAFI 128.
 */
static int
gen_eor(struct ibuf *b, int vpn)
{
	static const uint8_t	unreach[] = { 0, BGP_AFI_IPV4, BGP_SAFI_VPN };
	size_t			start;

	if (bgp_msg_begin(b, BGP_UPDATE, &start) == -1 ||
	    ibuf_add_n16(b, 0) == -1 ||
	    ibuf_add_n16(b, vpn ? 3 + sizeof(unreach) : 0) == -1)
		return -1;
	if (vpn && bgp_attr_write(b, BGP_ATTR_OPTIONAL, BGP_ATTR_MP_UNREACH,
	    unreach, sizeof(unreach)) == -1)
		return -1;
	return bgp_msg_end(b, start, BGP_MAX_LEN);
}

static struct ibuf *
gen_build(struct gen *g, uint32_t n)
{
	struct gen_attrs	 a;
	struct ibuf		*b;
	uint32_t		 left, group, todo;

	/* about 7.5 bytes a prefix: start big enough to rarely grow */
	if ((b = ibuf_dynamic(8 * (size_t)n + 4096, SIZE_MAX)) == NULL)
		return NULL;
	g->cursor = 1U << 24;
	for (left = n; left > 0; left -= group) {
		group = GEN_GROUP_MIN + gen_below(g, GEN_GROUP_SPREAD);
		if (group > left)
			group = left;
		gen_group(g, &a);
		g->ngroups++;
		for (todo = group; todo > 0;)
			if (gen_update(b, g, &a, &todo) == -1)
				goto fail;
	}
	if (gen_eor(b, g->vpn) == -1)
		goto fail;
	return b;
fail:
	ibuf_free(b);
	return NULL;
}

/*
 * -C: parse the stream back with the daemon's own UPDATE parser, so a
 * benchmark never measures a daemon rejecting our messages.
 */
static int
gen_verify_vpn(const struct bgp_update *u, uint64_t *count)
{
	const struct bgp_attr	*a;
	struct srv6_sid_info	 si;
	struct vpn_nlri		 nlri;
	struct vpn_error	 e;
	struct in6_addr		 sid, want;
	struct bgp_view		 v;
	const char		*why;
	int			 r;

	if (!u->has_reach)
		return 0;
	if (u->reach.afi != BGP_AFI_IPV4 || u->reach.safi != BGP_SAFI_VPN ||
	    (a = bgp_update_attr(u, BGP_ATTR_PREFIX_SID)) == NULL ||
	    bgp_update_attr(u, BGP_ATTR_EXT_COMMUNITIES) == NULL) {
		warnx("not VPNv4 with a Prefix-SID and a route target");
		return -1;
	}
	if (prefix_sid_decode(a->val.p, a->val.len, PREFIX_SID_TLV_SRV6_L3,
	    &si, &why) != PREFIX_SID_FOUND) {
		warnx("Prefix-SID: %s", why);
		return -1;
	}
	inet_pton(AF_INET6, GEN_VPN_SID, &want);
	for (v = u->reach.nlri; (r = vpn_nlri_next(&v, BGP_AFI_IPV4, &nlri,
	    &e)) == 1; (*count)++)
		if (nlri.rd != GEN_VPN_RD || srv6_sid_reconstruct(&si,
		    nlri.label, &sid) == -1 || memcmp(&sid, &want, 16) != 0) {
			warnx("a prefix without our RD or SID");
			return -1;
		}
	if (r == -1)
		warnx("VPN NLRI: %s", e.reason);
	return r;
}

static int
gen_verify(const uint8_t *buf, size_t len, uint32_t n, int vpn)
{
	static struct bgp_update	 u;
	struct bgp_upd_ctx		 ctx = { .as4 = 1, .ebgp = !vpn };
	uint16_t			 afi;
	struct bgp_hdr			 hdr;
	struct bgp_err			 err;
	struct bgp_view			 v;
	uint8_t				 addr[4], plen;
	size_t				 off;
	uint64_t			 msgs = 0, count = 0;
	int				 eor = 0;

	for (off = 0; off < len; off += hdr.len, msgs++) {
		if (bgp_frame(buf + off, len - off, BGP_MAX_LEN, &hdr,
		    &err) != 1 || hdr.type != BGP_UPDATE) {
			warnx("message %" PRIu64 ": bad header", msgs);
			return -1;
		}
		if (bgp_update_parse(buf + off, hdr.len, &ctx, &u) !=
		    BGP_UPD_OK) {
			warnx("UPDATE %" PRIu64 ": %s", msgs, u.reason);
			return -1;
		}
		if (vpn) {
			eor = vpn_eor(&u, &afi) == 1 && afi == BGP_AFI_IPV4;
			if (gen_verify_vpn(&u, &count) == -1)
				return -1;
			continue;
		}
		eor = u.nlri.len == 0 && u.attrs.len == 0;
		for (v = u.nlri; bgp_prefix_next(&v, 32, addr, &plen) == 1;)
			count++;
	}
	if (count != n || !eor) {
		warnx("%" PRIu64 " prefixes, want %u; End-of-RIB last: %s",
		    count, n, eor ? "yes" : "no");
		return -1;
	}
	printf("check: %" PRIu64 " UPDATEs parse cleanly, %" PRIu64
	    " %sprefixes, End-of-RIB last\n", msgs, count, vpn ?
	    "VPNv4 " : "");
	return 0;
}

/* Session. */

static int
sess_connect(const struct sockaddr_in *sin)
{
	struct timespec	pause = { 0, 100 * 1000 * 1000 };
	int		fd, i;

	for (i = 0; i < GEN_CONNECT_TRIES; i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			err(1, "socket");
		if (connect(fd, (const struct sockaddr *)sin,
		    sizeof(*sin)) == 0)
			return fd;
		close(fd);
		nanosleep(&pause, NULL);
	}
	err(1, "connect to %s", inet_ntoa(sin->sin_addr));
}

static int
sess_accept(const struct sockaddr_in *sin)
{
	int	lfd, fd, on = 1;

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		err(1, "SO_REUSEADDR");
	if (bind(lfd, (const struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    listen(lfd, 1) == -1)
		err(1, "listen on %s", inet_ntoa(sin->sin_addr));
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	close(lfd);
	return fd;
}

/* Small messages, written whole; only ever between stream messages. */
static void
sess_write_all(struct gen_sess *s, const void *data, size_t len)
{
	struct pollfd	 pfd = { .fd = s->fd, .events = POLLOUT };
	const uint8_t	*p = data;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(s->fd, p, len)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				err(1, "write");
			poll(&pfd, 1, 1000);
			continue;
		}
		p += n;
		len -= n;
	}
}

static void
sess_keepalive(struct gen_sess *s)
{
	struct ibuf	*b;

	if ((b = ibuf_open(BGP_KEEPALIVE_LEN)) == NULL ||
	    bgp_keepalive_encode(b) == -1)
		err(1, "keepalive");
	sess_write_all(s, ibuf_seek(b, 0, ibuf_size(b)), ibuf_size(b));
	ibuf_free(b);
	clock_gettime(CLOCK_MONOTONIC, &s->next_ka);
	s->next_ka.tv_sec += s->holdtime / 3;
}

static void
sess_open(struct gen_sess *s, uint32_t as, uint32_t bgpid, int vpn)
{
	struct bgp_open	 o;
	struct ibuf	*b;

	memset(&o, 0, sizeof(o));
	o.as = as;
	o.holdtime = GEN_HOLDTIME;
	o.bgpid = ntohl(bgpid);
	o.caps.as4 = 1;
	o.caps.as = as;
	o.caps.mp[0].afi = BGP_AFI_IPV4;
	o.caps.mp[0].safi = vpn ? BGP_SAFI_VPN : BGP_SAFI_UNICAST;
	o.caps.nmp = 1;
	if ((b = ibuf_open(BGP_MAX_LEN)) == NULL || bgp_open_encode(b, &o) == -1)
		err(1, "OPEN");
	sess_write_all(s, ibuf_seek(b, 0, ibuf_size(b)), ibuf_size(b));
	ibuf_free(b);
}

static void
sess_peer_open(struct gen_sess *s, const uint8_t *msg, size_t len)
{
	struct bgp_open		o;
	struct bgp_err		e;
	struct in_addr		id;

	if (bgp_open_decode(msg, len, &o, &e) == -1)
		errx(1, "bad OPEN from peer: %s", bgp_err_name(e.code,
		    e.subcode));
	id.s_addr = htonl(o.bgpid);
	s->holdtime = o.holdtime < GEN_HOLDTIME ? o.holdtime : GEN_HOLDTIME;
	printf("peer AS %u id %s holdtime %u\n", o.as, inet_ntoa(id),
	    s->holdtime);
	sess_keepalive(s);
}

static void
sess_msg(struct gen_sess *s, const uint8_t *msg, const struct bgp_hdr *hdr)
{
	struct bgp_notification	n;

	switch (hdr->type) {
	case BGP_OPEN:
		sess_peer_open(s, msg, hdr->len);
		break;
	case BGP_KEEPALIVE:
		if (!s->established)
			printf("established\n");
		s->established = 1;
		break;
	case BGP_UPDATE:
		s->updates_in++;
		break;
	case BGP_NOTIFICATION:
		bgp_notification_decode(msg, hdr->len, &n);
		errx(2, "NOTIFICATION from peer: %s%s%s",
		    bgp_err_name(n.code, n.subcode), n.has_comm ? ": " : "",
		    n.has_comm ? n.comm : "");
	default:
		break;
	}
}

/* Read what the peer sent and act on each whole message. */
static void
sess_input(struct gen_sess *s)
{
	struct bgp_hdr	hdr;
	struct bgp_err	e;
	ssize_t		n;
	size_t		off = 0;
	int		r;

	n = read(s->fd, s->rbuf + s->rlen, sizeof(s->rbuf) - s->rlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1)
		err(1, "read");
	if (n == 0)
		errx(1, "peer closed the session");
	s->rlen += n;
	while ((r = bgp_frame(s->rbuf + off, s->rlen - off, BGP_MAX_LEN_EXT,
	    &hdr, &e)) == 1) {
		sess_msg(s, s->rbuf + off, &hdr);
		off += hdr.len;
	}
	if (r == -1)
		errx(1, "bad message from peer: %s", bgp_err_name(e.code,
		    e.subcode));
	memmove(s->rbuf, s->rbuf + off, s->rlen - off);
	s->rlen -= off;
}

/* Milliseconds until the next KEEPALIVE is due, 0 if it is. */
static int
sess_ka_wait(const struct gen_sess *s)
{
	struct timespec	now;
	double		ms;

	if (s->holdtime == 0)
		return 1000;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (ts_sec(&s->next_ka) - ts_sec(&now)) * 1000;
	if (ms <= 0)
		return 0;
	return ms > 1000 ? 1000 : (int)ms + 1;
}

static void
sess_wait_established(struct gen_sess *s)
{
	struct pollfd	pfd = { .fd = s->fd, .events = POLLIN };
	double		deadline = now_mono() + 120;

	while (!s->established) {
		if (now_mono() > deadline)
			errx(1, "no session after 120 s");
		if (poll(&pfd, 1, 1000) > 0)
			sess_input(s);
	}
}

static uint16_t
stream_msglen(const struct gen_sess *s, size_t at)
{
	return (uint16_t)(s->out[at + 16] << 8 | s->out[at + 17]);
}

/*
 * Write the stream as fast as the peer takes it, reading whatever it
 * says meanwhile.  A due KEEPALIVE waits for the end of the message
 * being written, so it never lands inside an UPDATE.
 */
static void
sess_blast(struct gen_sess *s)
{
	struct pollfd	pfd = { .fd = s->fd, .events = POLLIN | POLLOUT };
	size_t		msgstart = 0, lim;
	ssize_t		n;
	int		wait;

	s->msgend = stream_msglen(s, 0);
	while (s->outpos < s->outlen) {
		/* mid-message with a KEEPALIVE due: wait to write, not spin */
		wait = sess_ka_wait(s);
		if (wait == 0 && s->outpos != msgstart)
			wait = 1000;
		if (poll(&pfd, 1, wait) == -1 && errno != EINTR)
			err(1, "poll");
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			sess_input(s);
		lim = s->outlen;
		if (sess_ka_wait(s) == 0) {
			if (s->outpos == msgstart) {
				sess_keepalive(s);
				continue;
			}
			lim = s->msgend;
		}
		if (!(pfd.revents & POLLOUT))
			continue;
		n = write(s->fd, s->out + s->outpos, lim - s->outpos);
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			err(1, "write");
		if (n > 0)
			s->outpos += n;
		while (s->outpos >= s->msgend && s->msgend < s->outlen) {
			msgstart = s->msgend;
			s->msgend += stream_msglen(s, msgstart);
		}
		if (s->outpos == s->outlen)
			msgstart = s->outlen;
	}
}

static void __attribute__((noreturn))
sess_idle(struct gen_sess *s)
{
	struct pollfd	pfd = { .fd = s->fd, .events = POLLIN };

	for (;;) {
		if (poll(&pfd, 1, sess_ka_wait(s)) > 0)
			sess_input(s);
		if (s->holdtime != 0 && sess_ka_wait(s) == 0)
			sess_keepalive(s);
	}
}

static void
opts_parse(struct gen_opts *o, int argc, char *argv[])
{
	const char	*errstr;
	struct in_addr	 in;
	int		 ch;

	memset(o, 0, sizeof(*o));
	o->as = GEN_AS_DEFAULT;
	o->nprefixes = GEN_PREFIXES_DEFAULT;
	o->seed = 20260101;
	o->peer.sin_family = AF_INET;
	o->peer.sin_port = htons(179);
	while ((ch = getopt(argc, argv, "CVa:i:ln:P:p:s:")) != -1) {
		switch (ch) {
		case 'C':
			o->check = 1;
			break;
		case 'a':
			o->as = strtonum(optarg, 1, UINT32_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "AS %s: %s", optarg, errstr);
			break;
		case 'i':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				errx(1, "bad router id %s", optarg);
			o->bgpid = in.s_addr;
			break;
		case 'V':
			o->vpn = 1;
			break;
		case 'l':
			o->listen = 1;
			break;
		case 'n':
			o->nprefixes = strtonum(optarg, 1, 4000000, &errstr);
			if (errstr != NULL)
				errx(1, "prefixes %s: %s", optarg, errstr);
			break;
		case 'P':
			o->pfxfile = optarg;
			break;
		case 'p':
			o->peer.sin_port = htons(strtonum(optarg, 1, 65535,
			    &errstr));
			if (errstr != NULL)
				errx(1, "port %s: %s", optarg, errstr);
			break;
		case 's':
			o->seed = strtonum(optarg, 1, INT64_MAX, &errstr);
			if (errstr != NULL)
				errx(1, "seed %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 0 && !o->listen && !o->check))
		usage();
	if (argc == 1 && inet_pton(AF_INET, argv[0], &o->peer.sin_addr) != 1)
		errx(1, "bad address %s", argv[0]);
}

static struct ibuf *
build(struct gen *g, const struct gen_opts *o)
{
	struct ibuf	*b;
	double		 t0 = now_mono();

	g->rnd = o->seed;
	if ((g->vpn = o->vpn))
		gen_vpn_sid(g);
	g->as = o->as;
	if (o->pfxfile != NULL && (g->pfx = fopen(o->pfxfile, "w")) == NULL)
		err(1, "%s", o->pfxfile);
	if ((b = gen_build(g, o->nprefixes)) == NULL)
		err(1, "building %u prefixes", o->nprefixes);
	if (g->pfx != NULL && fclose(g->pfx) == EOF)
		err(1, "%s", o->pfxfile);
	g->pfx = NULL;
	printf("built %u prefixes in %u attribute sets, %u UPDATEs, %zu bytes"
	    " in %.3f s\n", o->nprefixes, g->ngroups, g->nupdates,
	    ibuf_size(b), now_mono() - t0);
	fflush(stdout);
	return b;
}

int
main(int argc, char *argv[])
{
	static struct gen_sess	 s;
	struct gen_opts		 o;
	struct gen		 g;
	struct sockaddr_in	 local;
	socklen_t		 slen = sizeof(local);
	struct ibuf		*b;
	int			 on = 1, rv;

	opts_parse(&o, argc, argv);
	memset(&g, 0, sizeof(g));
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.check) {
		g.nexthop = htonl(0x0a000001);
		b = build(&g, &o);
		rv = gen_verify(ibuf_seek(b, 0, ibuf_size(b)), ibuf_size(b),
		    o.nprefixes, o.vpn);
		ibuf_free(b);
		return rv == 0 ? 0 : 1;
	}
	s.fd = o.listen ? sess_accept(&o.peer) : sess_connect(&o.peer);
	if (getsockname(s.fd, (struct sockaddr *)&local, &slen) == -1)
		err(1, "getsockname");
	setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	printf("connected from %s\n", inet_ntoa(local.sin_addr));
	g.nexthop = local.sin_addr.s_addr;
	b = build(&g, &o);
	s.out = ibuf_seek(b, 0, ibuf_size(b));
	s.outlen = ibuf_size(b);
	sess_open(&s, o.as, o.bgpid ? o.bgpid : local.sin_addr.s_addr,
	    o.vpn);
	sess_wait_established(&s);
	if (fcntl(s.fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "O_NONBLOCK");
	print_realtime("first-update");
	sess_blast(&s);
	print_realtime("last-update");
	printf("end-of-rib sent\n");
	sess_idle(&s);
}
