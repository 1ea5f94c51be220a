/*
 * fib_msg.c, fib_state.c, fib.c and kmode.c's parsing: the RDE -> parent
 * FIB batches written and read back (routes with 0, 1 and 16 next hops,
 * every SID behaviour the parent programs, kernel routes), every malformed
 * record refused by both the reader and the writer, batches split at the
 * imsg size, and the parent's bookkeeping (add, replace, unchanged,
 * delete, per-table counts, a bad batch applying nothing).
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fib.h"
#include "helpers.h"
#include "srv6.h"

static struct in6_addr
SID(const char *s)
{
	struct in6_addr	a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct fib_route
ROUTE(const char *vrf, uint32_t table, uint8_t op, const char *pfx,
    uint8_t n)
{
	struct fib_route	r;

	memset(&r, 0, sizeof(r));
	strlcpy(r.vrf, vrf, sizeof(r.vrf));
	r.table = table;
	r.op = op;
	r.n_nexthops = n;
	r.dst = P(pfx);
	return r;
}

/* n next hops: SID fc00:0:2:I::, gateway 2001:db8::I+2, End.DT4. */
static void
nexthops(struct fib_nexthop *nh, unsigned int n)
{
	char		 s[64];
	unsigned int	 i;

	memset(nh, 0, n * sizeof(*nh));
	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "fc00:0:2:%x:100::", i + 1);
		nh[i].sid = SID(s);
		snprintf(s, sizeof(s), "2001:db8::%x", i + 2);
		nh[i].gateway = A(s);
		nh[i].behavior = SRV6_BEHAVIOR_END_DT4;
	}
}

static struct fib_sid
FSID(const char *sid, uint16_t behavior, uint32_t table, const char *nh)
{
	struct fib_sid	s;

	memset(&s, 0, sizeof(s));
	s.sid = SID(sid);
	strlcpy(s.vrf, "vrf0", sizeof(s.vrf));
	strlcpy(s.locator, "main", sizeof(s.locator));
	s.table = table;
	s.behavior = behavior;
	s.op = FIB_ADD;
	if (nh != NULL)
		s.nh = A(nh);
	return s;
}

static struct kroute
KROUTE(uint32_t table, uint8_t type, const char *pfx, const char *gw)
{
	struct kroute	k;

	memset(&k, 0, sizeof(k));
	k.table = table;
	k.op = FIB_ADD;
	k.type = type;
	k.dst = P(pfx);
	if (gw != NULL)
		k.gateway = A(gw);
	k.ifindex = 7;
	return k;
}

static void
assert_prefix_equal(const struct srv6d_prefix *a, const struct srv6d_prefix *b)
{
	assert_int_equal(a->len, b->len);
	assert_int_equal(addr_cmp(&a->addr, &b->addr), 0);
}

static void
assert_route_equal(const struct fib_route *a, const struct fib_nexthop *anh,
    const struct fib_route *b, const struct fib_nexthop *bnh)
{
	unsigned int	i;

	assert_string_equal(a->vrf, b->vrf);
	assert_int_equal(a->table, b->table);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->n_nexthops, b->n_nexthops);
	assert_prefix_equal(&a->dst, &b->dst);
	for (i = 0; i < a->n_nexthops; i++) {
		assert_memory_equal(&anh[i].sid, &bnh[i].sid,
		    sizeof(anh[i].sid));
		assert_int_equal(addr_cmp(&anh[i].gateway, &bnh[i].gateway),
		    0);
		assert_int_equal(anh[i].behavior, bnh[i].behavior);
	}
}

/* ------------------------------------------------------------------ */
/* round trips                                                         */

static void
test_routes_round_trip(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 in[3], out;
	struct fib_nexthop	 nh[3][FIB_NEXTHOPS_MAX], onh[FIB_NEXTHOPS_MAX];
	const char		*why = NULL;
	size_t			 off = 0, i;

	(void)state;
	in[0] = ROUTE("vrf0", 10, FIB_DEL, "10.1.0.0/24", 0);
	in[1] = ROUTE("vrf0", 10, FIB_ADD, "10.2.0.0/16", 1);
	in[2] = ROUTE("", 254, FIB_ADD, "2001:db8:77::/48", 16);
	nexthops(nh[0], 0);
	nexthops(nh[1], 1);
	nexthops(nh[2], 16);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(fib_batch_add_route(&b, &in[i], nh[i]), 0);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.len, 3 * sizeof(struct fib_route) +
	    17 * sizeof(struct fib_nexthop));
	for (i = 0; i < 3; i++) {
		assert_int_equal(fib_route_next(b.buf, b.len, &off, &out, onh,
		    &why), 1);
		assert_route_equal(&out, onh, &in[i], nh[i]);
	}
	assert_int_equal(off, b.len);
	assert_int_equal(fib_route_next(b.buf, b.len, &off, &out, onh, &why),
	    0);
	/* an empty batch is the end at once */
	off = 0;
	assert_int_equal(fib_route_next(b.buf, 0, &off, &out, onh, &why), 0);
	fib_batch_free(&b);
}

/* An unaligned buffer reads the same (records are copied out). */
static void
test_routes_unaligned(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 in, out;
	struct fib_nexthop	 nh[2], onh[FIB_NEXTHOPS_MAX];
	uint8_t			*buf;
	size_t			 off = 0;

	(void)state;
	in = ROUTE("vrf1", 11, FIB_ADD, "10.1.0.0/24", 2);
	nexthops(nh, 2);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	assert_int_equal(fib_batch_add_route(&b, &in, nh), 0);
	assert_non_null(buf = malloc(b.len + 1));
	memcpy(buf + 1, b.buf, b.len);
	assert_int_equal(fib_route_next(buf + 1, b.len, &off, &out, onh,
	    NULL), 1);
	assert_route_equal(&out, onh, &in, nh);
	free(buf);
	fib_batch_free(&b);
}

static void
test_sids_round_trip(void **state)
{
	struct fib_batch	 b;
	struct fib_sid		 in[5], out;
	size_t			 off = 0, i;

	(void)state;
	in[0] = FSID("fc00:0:1:e000::", SRV6_BEHAVIOR_END_DT4, 10, NULL);
	in[1] = FSID("fc00:0:1:e001::", SRV6_BEHAVIOR_END_DT6, 10, NULL);
	in[2] = FSID("fc00:0:1:e002::", SRV6_BEHAVIOR_END_DT46, 10, NULL);
	in[3] = FSID("fc00:0:1:e003::", SRV6_BEHAVIOR_END_DX4, 0, "10.1.0.2");
	in[4] = FSID("fc00:0:1:e004::", SRV6_BEHAVIOR_END_DX6, 0,
	    "2001:db8:1::2");
	in[4].op = FIB_DEL;
	fib_batch_init(&b, IMSG_FIB_SIDS, NULL, NULL);
	for (i = 0; i < 5; i++)
		assert_int_equal(fib_batch_add_sid(&b, &in[i]), 0);
	assert_int_equal(b.len, 5 * sizeof(struct fib_sid));
	for (i = 0; i < 5; i++) {
		assert_int_equal(fib_sid_next(b.buf, b.len, &off, &out, NULL),
		    1);
		assert_memory_equal(&out, &in[i], sizeof(out));
	}
	assert_int_equal(fib_sid_next(b.buf, b.len, &off, &out, NULL), 0);
	fib_batch_free(&b);
}

static void
test_kroutes_round_trip(void **state)
{
	struct fib_batch	 b;
	struct kroute		 in[3], out;
	size_t			 off = 0, i;

	(void)state;
	in[0] = KROUTE(10, KROUTE_CONNECTED, "10.200.0.0/24", NULL);
	in[1] = KROUTE(10, KROUTE_KERNEL, "10.9.0.0/16", "10.200.0.1");
	in[2] = KROUTE(10, KROUTE_KERNEL, "2001:db8:9::/64", "fe80::1");
	in[2].op = FIB_DEL;
	fib_batch_init(&b, IMSG_KROUTES, NULL, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(fib_batch_add_kroute(&b, &in[i]), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(kroute_next(b.buf, b.len, &off, &out, NULL),
		    1);
		assert_memory_equal(&out, &in[i], sizeof(out));
	}
	assert_int_equal(kroute_next(b.buf, b.len, &off, &out, NULL), 0);
	fib_batch_free(&b);
}

/* A record of another kind is refused by each writer. */
static void
test_batch_wrong_type(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 r = ROUTE("", 10, FIB_DEL, "10.0.0.0/8", 0);
	struct fib_sid		 s = FSID("fc00::1", SRV6_BEHAVIOR_END_DT6, 10,
				    NULL);
	struct kroute		 k = KROUTE(10, KROUTE_KERNEL, "10.0.0.0/8",
				    NULL);

	(void)state;
	fib_batch_init(&b, IMSG_FIB_SIDS, NULL, NULL);
	errno = 0;
	assert_int_equal(fib_batch_add_route(&b, &r, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fib_batch_add_kroute(&b, &k), -1);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	assert_int_equal(fib_batch_add_sid(&b, &s), -1);
	assert_int_equal(b.len, 0);
	fib_batch_free(&b);
}

/* ------------------------------------------------------------------ */
/* batches split at the imsg size                                      */

struct flushed {
	size_t	 calls;
	size_t	 records;
	size_t	 bytes;
	uint32_t type;
};

static void
collect(uint32_t type, const void *data, size_t len, void *arg)
{
	struct flushed		*f = arg;
	struct fib_route	 r;
	struct fib_nexthop	 nh[FIB_NEXTHOPS_MAX];
	size_t			 off = 0;
	const char		*why = NULL;
	int			 n;

	assert_true(len > 0 && len <= FIB_BATCH_MAX);
	f->calls++;
	f->bytes += len;
	f->type = type;
	/* every flushed batch holds whole records only */
	while ((n = fib_route_next(data, len, &off, &r, nh, &why)) == 1)
		f->records++;
	assert_int_equal(n, 0);
}

static void
test_batch_split(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 r;
	struct fib_nexthop	 nh[FIB_NEXTHOPS_MAX];
	struct flushed		 f = { 0 };
	char			 pfx[32];
	size_t			 i, n = 2000, rec, per;

	(void)state;
	rec = sizeof(r) + 16 * sizeof(nh[0]);
	nexthops(nh, 16);
	fib_batch_init(&b, IMSG_FIB_ROUTES, collect, &f);
	for (i = 0; i < n; i++) {
		snprintf(pfx, sizeof(pfx), "10.%zu.%zu.0/24", i / 256, i % 256);
		r = ROUTE("vrf0", 10, FIB_ADD, pfx, 16);
		assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	}
	/* 2000 records of 688 bytes: more than 5 imsgs' worth */
	assert_true(n * rec > 5 * FIB_BATCH_MAX);
	per = FIB_BATCH_MAX / rec;
	assert_int_equal(f.calls, (n + per - 1) / per - 1);
	fib_batch_flush(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(f.records, n);
	assert_int_equal(f.bytes, n * rec);
	assert_int_equal(f.type, IMSG_FIB_ROUTES);
	/* flushing an empty batch sends nothing */
	i = f.calls;
	fib_batch_flush(&b);
	assert_int_equal(f.calls, i);
	fib_batch_free(&b);
}

static void
test_batch_full_without_flush(void **state)
{
	struct fib_batch	 b;
	struct fib_sid		 s = FSID("fc00::1", SRV6_BEHAVIOR_END_DT6, 10,
				    NULL);
	size_t			 i, fit = FIB_BATCH_MAX / sizeof(s);

	(void)state;
	fib_batch_init(&b, IMSG_FIB_SIDS, NULL, NULL);
	for (i = 0; i < fit; i++)
		assert_int_equal(fib_batch_add_sid(&b, &s), 0);
	errno = 0;
	assert_int_equal(fib_batch_add_sid(&b, &s), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(b.count, fit);
	fib_batch_free(&b);
}

/* ------------------------------------------------------------------ */
/* malformed records                                                   */

/* The reader rejects r+nh (as written raw) and the writer refuses it. */
static void
assert_route_bad(const struct fib_route *r, const struct fib_nexthop *nh,
    const char *want)
{
	uint8_t			 buf[sizeof(*r) + 17 * sizeof(*nh)];
	struct fib_route	 out;
	struct fib_nexthop	 onh[FIB_NEXTHOPS_MAX];
	struct fib_batch	 b;
	const char		*why = NULL;
	size_t			 off = 0, n = r->n_nexthops;

	if (n > 17)
		n = 17;
	memcpy(buf, r, sizeof(*r));
	memcpy(buf + sizeof(*r), nh, n * sizeof(*nh));
	assert_int_equal(fib_route_next(buf, sizeof(*r) + n * sizeof(*nh),
	    &off, &out, onh, &why), -1);
	assert_int_equal(off, 0);
	assert_non_null(why);
	assert_string_equal(why, want);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	errno = 0;
	assert_int_equal(fib_batch_add_route(&b, r, nh), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(b.len, 0);
	fib_batch_free(&b);
}

static void
test_routes_malformed(void **state)
{
	struct fib_route	 r, good = ROUTE("vrf0", 10, FIB_ADD,
				    "10.1.0.0/24", 1);
	struct fib_nexthop	 nh[17];

	(void)state;
	nexthops(nh, 17);
	r = good; r.op = 0;
	assert_route_bad(&r, nh, "bad route op");
	r = good; r.op = 3;
	assert_route_bad(&r, nh, "bad route op");
	r = good; memset(r.vrf, 'x', sizeof(r.vrf));
	assert_route_bad(&r, nh, "VRF name not terminated");
	r = good; r.table = 0;
	assert_route_bad(&r, nh, "route without a table");
	r = good; r.dst.addr.af = AF_UNSPEC;
	assert_route_bad(&r, nh, "prefix of unknown address family");
	r = good; r.dst.addr.af = 99;
	assert_route_bad(&r, nh, "prefix of unknown address family");
	r = good; r.dst.len = 33;
	assert_route_bad(&r, nh, "prefix length too long for its family");
	r = ROUTE("", 10, FIB_ADD, "2001:db8::/32", 1); r.dst.len = 129;
	assert_route_bad(&r, nh, "prefix length too long for its family");
	r = good; r.dst = P("10.1.0.1/32"); r.dst.len = 24;
	assert_route_bad(&r, nh, "prefix has host bits set");
	r = ROUTE("", 10, FIB_ADD, "2001:db8::1/128", 1); r.dst.len = 127;
	assert_route_bad(&r, nh, "prefix has host bits set");
	r = good; r.n_nexthops = FIB_NEXTHOPS_MAX + 1;
	assert_route_bad(&r, nh, "too many next hops");
	r = good; r.n_nexthops = 255;
	assert_route_bad(&r, nh, "too many next hops");
	r = good; r.op = FIB_DEL;
	assert_route_bad(&r, nh, "route delete with next hops");
	r = good; r.n_nexthops = 0;
	assert_route_bad(&r, nh, "route add without a next hop");
	r = good;
	memset(&nh[0].sid, 0, sizeof(nh[0].sid));
	assert_route_bad(&r, nh, "next hop without a SID");
	nexthops(nh, 17);
	nh[0].gateway.af = 77;
	assert_route_bad(&r, nh, "next hop gateway of unknown address family");
	nexthops(nh, 17);
	/* the bad one is the last of 3 next hops */
	r = good; r.n_nexthops = 3;
	memset(&nh[2].sid, 0, sizeof(nh[2].sid));
	assert_route_bad(&r, nh, "next hop without a SID");
	/* fib-update: a global route via a gateway needs no SID ... */
	nexthops(nh, 1);
	r = ROUTE("", 254, FIB_ADD, "fc00:0:2::/48", 1);
	memset(&nh[0].sid, 0, sizeof(nh[0].sid));
	assert_null(fib_route_check(&r, nh));
	/* ... but a gateway */
	nh[0].gateway.af = AF_UNSPEC;
	assert_route_bad(&r, nh, "next hop without a SID");
}

static void
test_routes_truncated(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/24",
				    2), out;
	struct fib_nexthop	 nh[2], onh[FIB_NEXTHOPS_MAX];
	const char		*why;
	size_t			 off, len;

	(void)state;
	nexthops(nh, 2);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	/* every cut inside the second record fails there, after the first */
	for (len = b.len / 2 + 1; len < b.len; len++) {
		off = 0;
		why = NULL;
		assert_int_equal(fib_route_next(b.buf, len, &off, &out, onh,
		    &why), 1);
		assert_int_equal(off, b.len / 2);
		assert_int_equal(fib_route_next(b.buf, len, &off, &out, onh,
		    &why), -1);
		assert_int_equal(off, b.len / 2);
		assert_string_equal(why, len - off < sizeof(r) ?
		    "truncated route" : "truncated next hops");
	}
	/* an offset past the end */
	off = b.len + 1;
	assert_int_equal(fib_route_next(b.buf, b.len, &off, &out, onh, NULL),
	    -1);
	fib_batch_free(&b);
}

static void
assert_sid_bad(const struct fib_sid *s, const char *want)
{
	struct fib_sid		 out;
	struct fib_batch	 b;
	const char		*why = NULL;
	size_t			 off = 0;

	assert_int_equal(fib_sid_next(s, sizeof(*s), &off, &out, &why), -1);
	assert_int_equal(off, 0);
	assert_string_equal(why, want);
	fib_batch_init(&b, IMSG_FIB_SIDS, NULL, NULL);
	errno = 0;
	assert_int_equal(fib_batch_add_sid(&b, s), -1);
	assert_int_equal(errno, EINVAL);
	fib_batch_free(&b);
}

static void
test_sids_malformed(void **state)
{
	struct fib_sid	 s, dt = FSID("fc00:0:1:e000::", SRV6_BEHAVIOR_END_DT6,
			    10, NULL);
	struct fib_sid	 dx = FSID("fc00:0:1:e001::", SRV6_BEHAVIOR_END_DX4, 0,
			    "10.1.0.2");
	const char	*why = NULL;
	size_t		 off = 0;

	(void)state;
	s = dt; s.op = 0;
	assert_sid_bad(&s, "bad SID op");
	s = dt; s.op = 7;
	assert_sid_bad(&s, "bad SID op");
	s = dt; memset(&s.sid, 0, sizeof(s.sid));
	assert_sid_bad(&s, "SID ::");
	s = dt; memset(s.vrf, 'v', sizeof(s.vrf));
	assert_sid_bad(&s, "SID names not terminated");
	s = dt; memset(s.locator, 'l', sizeof(s.locator));
	assert_sid_bad(&s, "SID names not terminated");
	s = dt; s.table = 0;
	assert_sid_bad(&s, "End.DT* SID without a table");
	s = dt; s.behavior = SRV6_BEHAVIOR_END_DT4; s.table = 0;
	assert_sid_bad(&s, "End.DT* SID without a table");
	s = dt; s.behavior = SRV6_BEHAVIOR_END_DT46; s.table = 0;
	s.op = FIB_DEL;
	assert_sid_bad(&s, "End.DT* SID without a table");
	s = dx; s.nh.af = AF_UNSPEC;
	assert_sid_bad(&s, "End.DX4 SID without an IPv4 next hop");
	s = dx; s.nh = A("2001:db8::2");
	assert_sid_bad(&s, "End.DX4 SID without an IPv4 next hop");
	s = dx; s.behavior = SRV6_BEHAVIOR_END_DX6;
	assert_sid_bad(&s, "End.DX6 SID without an IPv6 next hop");
	s = dt; s.behavior = SRV6_BEHAVIOR_END;
	assert_sid_bad(&s, "SID behaviour the parent cannot program");
	s = dt; s.behavior = SRV6_BEHAVIOR_OPAQUE;
	assert_sid_bad(&s, "SID behaviour the parent cannot program");
	s = dt; s.behavior = SRV6_BEHAVIOR_UDT6;
	assert_sid_bad(&s, "SID behaviour the parent cannot program");
	/* truncated */
	assert_int_equal(fib_sid_next(&dt, sizeof(dt) - 1, &off, &s, &why),
	    -1);
	assert_int_equal(off, 0);
	assert_string_equal(why, "truncated record");
}

static void
assert_kroute_bad(const struct kroute *k, const char *want)
{
	struct kroute		 out;
	struct fib_batch	 b;
	const char		*why = NULL;
	size_t			 off = 0;

	assert_int_equal(kroute_next(k, sizeof(*k), &off, &out, &why), -1);
	assert_int_equal(off, 0);
	assert_string_equal(why, want);
	fib_batch_init(&b, IMSG_KROUTES, NULL, NULL);
	assert_int_equal(fib_batch_add_kroute(&b, k), -1);
	fib_batch_free(&b);
}

static void
test_kroutes_malformed(void **state)
{
	struct kroute	 k, good = KROUTE(10, KROUTE_KERNEL, "10.9.0.0/16",
			    "10.200.0.1");
	const char	*why = NULL;
	size_t		 off = 0;

	(void)state;
	k = good; k.op = 0;
	assert_kroute_bad(&k, "bad kroute op");
	k = good; k.type = 0;
	assert_kroute_bad(&k, "bad kroute type");
	k = good; k.type = 3;
	assert_kroute_bad(&k, "bad kroute type");
	k = good; k.table = 0;
	assert_kroute_bad(&k, "kroute without a table");
	k = good; k.gateway.af = 200;
	assert_kroute_bad(&k, "kroute gateway of unknown address family");
	k = good; k.dst.len = 40;
	assert_kroute_bad(&k, "prefix length too long for its family");
	k = good; k.dst = P("10.9.1.0/24"); k.dst.len = 16;
	assert_kroute_bad(&k, "prefix has host bits set");
	assert_int_equal(kroute_next(&good, sizeof(good) - 4, &off, &k, &why),
	    -1);
	assert_string_equal(why, "truncated record");
}

/* ------------------------------------------------------------------ */
/* the parent's bookkeeping                                            */

static void
test_state_routes(void **state)
{
	struct fib_state		*st = fib_state_new();
	struct fib_route		 r;
	struct fib_nexthop		 nh[3], got[FIB_NEXTHOPS_MAX];
	struct fib_route		 f;
	struct srv6d_prefix		 p;

	(void)state;
	nexthops(nh, 3);
	r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/24", 1);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_ADDED);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_SAME);
	/* more paths: a replacement, still one route */
	r.n_nexthops = 3;
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_REPLACED);
	assert_int_equal(fib_state_nroutes(st), 1);
	p = P("10.1.0.0/24");
	assert_true(fib_state_route_get(st, 10, &p, &f, got));
	assert_int_equal(f.n_nexthops, 3);
	assert_route_equal(&f, got, &r, nh);
	/* another SID on the same path: a replacement */
	nh[1].sid = SID("fc00:0:9::");
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_REPLACED);
	assert_true(fib_state_route_get(st, 10, &p, &f, got));
	assert_memory_equal(&got[1].sid, &nh[1].sid, sizeof(nh[1].sid));
	/* the same prefix in another table, another length: other routes */
	r = ROUTE("vrf1", 11, FIB_ADD, "10.1.0.0/24", 1);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_ADDED);
	r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/25", 1);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_ADDED);
	r = ROUTE("vrf0", 10, FIB_ADD, "2001:db8:1::/64", 2);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_ADDED);
	assert_int_equal(fib_state_nroutes(st), 4);
	assert_int_equal(fib_state_ntables(st), 2);
	assert_int_equal(fib_state_table_routes(st, 10, AF_INET), 2);
	assert_int_equal(fib_state_table_routes(st, 10, AF_INET6), 1);
	assert_int_equal(fib_state_table_routes(st, 10, AF_UNSPEC), 3);
	assert_int_equal(fib_state_table_routes(st, 11, AF_UNSPEC), 1);
	assert_int_equal(fib_state_table_routes(st, 12, AF_UNSPEC), 0);
	/* deletes remove exactly the keyed route */
	r = ROUTE("vrf0", 10, FIB_DEL, "10.1.0.0/25", 0);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_DELETED);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_NONE);
	assert_true(fib_state_route_get(st, 10, &p, &f, NULL));
	r = ROUTE("vrf1", 11, FIB_DEL, "10.1.0.0/24", 0);
	assert_int_equal(fib_state_route(st, &r, nh), FIB_CHANGE_DELETED);
	assert_false(fib_state_route_get(st, 11, &p, &f, NULL));
	assert_int_equal(fib_state_ntables(st), 1);
	assert_int_equal(fib_state_nroutes(st), 2);
	fib_state_free(st);
}

/*
 * Many routes, so that the slots grow and probe runs wrap and collide:
 * IPv4 and IPv6 in two tables over two path sets, a third deleted in a
 * scattered order (each delete closes its gap by moving later entries
 * back), then every route looked up against what it should be.
 */
#define MANY	40000

static struct fib_route
many_route(unsigned int i, uint8_t op)
{
	struct fib_route	r;

	memset(&r, 0, sizeof(r));
	strlcpy(r.vrf, i % 5 == 0 ? "vrf1" : "vrf0", sizeof(r.vrf));
	r.table = i % 2 ? 10 : 11;
	r.op = op;
	r.n_nexthops = op == FIB_ADD ? 1 + (i % 3 == 0) : 0;
	r.dst.len = i % 4 == 0 ? 64 : 24;
	if (i % 4 == 0) {
		r.dst.addr.af = AF_INET6;
		r.dst.addr.v6.s6_addr[0] = 0x20;
		r.dst.addr.v6.s6_addr[1] = 0x01;
		r.dst.addr.v6.s6_addr[4] = i >> 16;
		r.dst.addr.v6.s6_addr[5] = i >> 8;
		r.dst.addr.v6.s6_addr[6] = i;
	} else {
		r.dst.addr.af = AF_INET;
		r.dst.addr.v4.s_addr = htonl(0x0a000000 | i << 8);
	}
	return r;
}

static void
test_state_many(void **state)
{
	struct fib_state	*st = fib_state_new();
	struct fib_route	 r, got;
	struct fib_nexthop	 nh[2], gnh[FIB_NEXTHOPS_MAX];
	static bool		 gone[MANY];
	unsigned int		 i, k, left = MANY;

	(void)state;
	nexthops(nh, 2);
	for (i = 0; i < MANY; i++) {
		r = many_route(i, FIB_ADD);
		assert_int_equal(fib_state_route(st, &r, nh),
		    FIB_CHANGE_ADDED);
	}
	assert_int_equal(fib_state_nroutes(st), MANY);
	/* (vrf0, vrf1) x (one path, two paths) */
	assert_int_equal(fib_state_npathsets(st), 4);
	for (k = 0; k < MANY; k++) {
		i = (k * 7919) % MANY;		/* 7919 is prime to MANY */
		if (i % 3 != 1)
			continue;
		r = many_route(i, FIB_DEL);
		assert_int_equal(fib_state_route(st, &r, nh),
		    FIB_CHANGE_DELETED);
		gone[i] = true;
		left--;
	}
	assert_int_equal(fib_state_nroutes(st), left);
	for (i = 0; i < MANY; i++) {
		struct fib_route	want = many_route(i, FIB_ADD);

		if (gone[i]) {
			assert_false(fib_state_route_get(st, want.table,
			    &want.dst, &got, gnh));
			continue;
		}
		assert_true(fib_state_route_get(st, want.table, &want.dst,
		    &got, gnh));
		assert_route_equal(&got, gnh, &want, nh);
		/* added again exactly so: nothing to do */
		assert_int_equal(fib_state_route(st, &want, nh),
		    FIB_CHANGE_SAME);
	}
	assert_int_equal(fib_state_table_routes(st, 10, AF_UNSPEC) +
	    fib_state_table_routes(st, 11, AF_UNSPEC), left);
	for (i = 0; i < MANY; i++) {
		r = many_route(i, FIB_DEL);
		assert_int_equal(fib_state_route(st, &r, nh), gone[i] ?
		    FIB_CHANGE_NONE : FIB_CHANGE_DELETED);
	}
	assert_int_equal(fib_state_nroutes(st), 0);
	assert_int_equal(fib_state_ntables(st), 0);
	assert_int_equal(fib_state_npathsets(st), 0);
	fib_state_free(st);
}

static void
test_state_sids(void **state)
{
	struct fib_state	*st = fib_state_new();
	struct fib_sid		 s = FSID("fc00:0:1:e000::",
				    SRV6_BEHAVIOR_END_DT6, 10, NULL);
	const struct fib_sid	*f;

	(void)state;
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_ADDED);
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_SAME);
	s.table = 11;
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_REPLACED);
	assert_non_null(f = fib_state_sid_find(st, &s.sid));
	assert_int_equal(f->table, 11);
	s = FSID("fc00:0:1:e001::", SRV6_BEHAVIOR_END_DX4, 0, "10.1.0.2");
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_ADDED);
	s.nh = A("10.1.0.3");
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_REPLACED);
	assert_int_equal(fib_state_nsids(st), 2);
	s.op = FIB_DEL;
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_DELETED);
	assert_int_equal(fib_state_sid(st, &s), FIB_CHANGE_NONE);
	assert_null(fib_state_sid_find(st, &s.sid));
	assert_int_equal(fib_state_nsids(st), 1);
	fib_state_free(st);
}

/* A batch with a bad record applies nothing; a good one is counted. */
static void
test_apply_batches(void **state)
{
	struct fib_state	*st = fib_state_new();
	struct fib_batch	 b;
	struct fib_route	 r;
	struct fib_nexthop	 nh[1];
	struct fib_sid		 s;
	struct fib_stats	 stats;
	const char		*why = NULL;
	uint8_t			 bad[2048];

	(void)state;
	nexthops(nh, 1);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/24", 1);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	r = ROUTE("vrf0", 10, FIB_ADD, "10.2.0.0/24", 1);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	/* the same batch with its last byte cut: nothing applied */
	memcpy(bad, b.buf, b.len);
	assert_int_equal(fib_apply_routes(st, bad, b.len - 1, &stats, &why),
	    -1);
	assert_string_equal(why, "truncated next hops");
	assert_int_equal(fib_state_nroutes(st), 0);
	assert_int_equal(fib_apply_routes(st, b.buf, b.len, &stats, &why), 0);
	assert_int_equal(stats.records, 2);
	assert_int_equal(stats.added, 2);
	r = ROUTE("vrf0", 10, FIB_DEL, "10.2.0.0/24", 0);
	fib_batch_flush(&b);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	r = ROUTE("vrf0", 10, FIB_DEL, "10.3.0.0/24", 0);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/24", 1);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	assert_int_equal(fib_apply_routes(st, b.buf, b.len, &stats, &why), 0);
	assert_int_equal(stats.records, 3);
	assert_int_equal(stats.deleted, 1);
	assert_int_equal(stats.unknown, 1);
	assert_int_equal(stats.same, 1);
	assert_int_equal(fib_state_nroutes(st), 1);
	fib_batch_free(&b);

	fib_batch_init(&b, IMSG_FIB_SIDS, NULL, NULL);
	s = FSID("fc00:0:1:e000::", SRV6_BEHAVIOR_END_DT6, 10, NULL);
	assert_int_equal(fib_batch_add_sid(&b, &s), 0);
	memcpy(bad, b.buf, b.len);
	bad[offsetof(struct fib_sid, op)] = 9;
	memcpy(bad + b.len, b.buf, b.len);
	assert_int_equal(fib_apply_sids(st, bad, 2 * b.len, &stats, &why), -1);
	assert_string_equal(why, "bad SID op");
	assert_int_equal(fib_state_nsids(st), 0);
	assert_int_equal(fib_apply_sids(st, b.buf, b.len, &stats, &why), 0);
	assert_int_equal(stats.added, 1);
	assert_int_equal(fib_state_nsids(st), 1);
	fib_batch_free(&b);
	fib_state_free(st);
}

/* The parent's global state through the imsg entry points. */
static void
test_imsg_entry(void **state)
{
	struct fib_batch	 b;
	struct fib_route	 r = ROUTE("vrf0", 10, FIB_ADD, "10.1.0.0/24",
				    1);
	struct fib_nexthop	 nh[1];
	const char		*why = NULL;

	(void)state;
	nexthops(nh, 1);
	fib_init(KERNEL_MODE_TABLE);
	assert_int_equal(fib_kernel_mode(), KERNEL_MODE_TABLE);
	fib_batch_init(&b, IMSG_FIB_ROUTES, NULL, NULL);
	assert_int_equal(fib_batch_add_route(&b, &r, nh), 0);
	assert_int_equal(fib_imsg_routes(b.buf, b.len, &why), 0);
	assert_int_equal(fib_imsg_routes(b.buf, b.len - 1, &why), -1);
	assert_int_equal(fib_imsg_sids(b.buf, 3, &why), -1);
	assert_string_equal(why, "truncated record");
	assert_int_equal(fib_imsg_sids(NULL, 0, &why), 0);
	fib_batch_free(&b);
	fib_shutdown();
}

/* ------------------------------------------------------------------ */
/* kernel mode names and the override                                  */

static void
test_kernel_mode_names(void **state)
{
	enum kernel_mode	 m = KERNEL_MODE_VRF;

	(void)state;
	assert_string_equal(kernel_mode_name(KERNEL_MODE_VRF), "vrf");
	assert_string_equal(kernel_mode_name(KERNEL_MODE_TABLE), "table");
	assert_string_equal(kernel_mode_name(KERNEL_MODE_UNKNOWN), "");
	assert_int_equal(kmode_parse(NULL, &m), 0);
	assert_int_equal(m, KERNEL_MODE_UNKNOWN);
	assert_int_equal(kmode_parse("vrf", &m), 0);
	assert_int_equal(m, KERNEL_MODE_VRF);
	assert_int_equal(kmode_parse("table", &m), 0);
	assert_int_equal(m, KERNEL_MODE_TABLE);
	assert_int_equal(kmode_parse("auto", &m), 0);
	assert_int_equal(m, KERNEL_MODE_UNKNOWN);
	assert_int_equal(kmode_parse("VRF", &m), -1);
	assert_int_equal(kmode_parse("tables", &m), -1);
	assert_int_equal(kmode_parse("vrf ", &m), -1);
	/* the forced mode is taken without a probe */
	assert_int_equal(kmode_detect(KERNEL_MODE_VRF), KERNEL_MODE_VRF);
	assert_int_equal(kmode_detect(KERNEL_MODE_TABLE), KERNEL_MODE_TABLE);
	assert_non_null(strstr(kmode_describe(KERNEL_MODE_TABLE),
	    "End.DX4 per CE"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_round_trip),
		cmocka_unit_test(test_routes_unaligned),
		cmocka_unit_test(test_sids_round_trip),
		cmocka_unit_test(test_kroutes_round_trip),
		cmocka_unit_test(test_batch_wrong_type),
		cmocka_unit_test(test_batch_split),
		cmocka_unit_test(test_batch_full_without_flush),
		cmocka_unit_test(test_routes_malformed),
		cmocka_unit_test(test_routes_truncated),
		cmocka_unit_test(test_sids_malformed),
		cmocka_unit_test(test_kroutes_malformed),
		cmocka_unit_test(test_state_routes),
		cmocka_unit_test(test_state_many),
		cmocka_unit_test(test_state_sids),
		cmocka_unit_test(test_apply_batches),
		cmocka_unit_test(test_imsg_entry),
		cmocka_unit_test(test_kernel_mode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
