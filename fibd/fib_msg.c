/*
 * fib_msg.c: reading and writing the batches of kernel state between the
 * RDE and the parent.  Records are fixed-size structs (a route followed by
 * its next hops) packed back to back, copied out with memcpy so that no
 * record needs to be aligned.  Both ends run the same checks: the writer
 * refuses what the reader would reject, so a bad record shows up where it
 * was made, not as a fatal error in the parent.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fib_msg.h"
#include "srv6.h"

/* ------------------------------------------------------------------ */
/* checks                                                              */

static int
fib_op_valid(uint8_t op)
{
	return op == FIB_ADD || op == FIB_DEL;
}

static int
fib_name_valid(const char *name, size_t size)
{
	return memchr(name, '\0', size) != NULL;
}

static int
fib_addr_valid(const struct srv6d_addr *a, int unspec_ok)
{
	return a->af == AF_INET || a->af == AF_INET6 ||
	    (unspec_ok && a->af == AF_UNSPEC);
}

/* An IPv4 or IPv6 prefix, length within the family, no host bits set. */
static const char *
fib_prefix_check(const struct srv6d_prefix *p)
{
	struct srv6d_prefix	 m;

	if (p->addr.af != AF_INET && p->addr.af != AF_INET6)
		return "prefix of unknown address family";
	if (p->len > (p->addr.af == AF_INET ? 32 : 128))
		return "prefix length too long for its family";
	m = *p;
	prefix_mask(&m);
	if (addr_cmp(&m.addr, &p->addr) != 0)
		return "prefix has host bits set";
	return NULL;
}

static int
fib_sid_zero(const struct in6_addr *sid)
{
	return IN6_IS_ADDR_UNSPECIFIED(sid);
}

const char *
fib_route_check(const struct fib_route *r, const struct fib_nexthop *nh)
{
	const char	*why;
	unsigned int	 i;

	if (!fib_op_valid(r->op))
		return "bad route op";
	if (!fib_name_valid(r->vrf, sizeof(r->vrf)))
		return "VRF name not terminated";
	if (r->table == 0)
		return "route without a table";
	if ((why = fib_prefix_check(&r->dst)) != NULL)
		return why;
	if (r->n_nexthops > FIB_NEXTHOPS_MAX)
		return "too many next hops";
	if (r->op == FIB_DEL && r->n_nexthops != 0)
		return "route delete with next hops";
	if (r->op == FIB_ADD && r->n_nexthops == 0)
		return "route add without a next hop";
	for (i = 0; i < r->n_nexthops; i++) {
		if (!fib_addr_valid(&nh[i].gateway, 1))
			return "next hop gateway of unknown address family";
		/* a plain route (fib-update) has a gateway and no SID */
		if (fib_sid_zero(&nh[i].sid) && (r->vrf[0] != '\0' ||
		    nh[i].gateway.af == AF_UNSPEC))
			return "next hop without a SID";
	}
	return NULL;
}

/* What each local SID behaviour needs (RFC 8986 §4.4-4.8). */
const char *
fib_sid_check(const struct fib_sid *s)
{
	if (!fib_op_valid(s->op))
		return "bad SID op";
	if (fib_sid_zero(&s->sid))
		return "SID ::";
	if (!fib_name_valid(s->vrf, sizeof(s->vrf)) ||
	    !fib_name_valid(s->locator, sizeof(s->locator)))
		return "SID names not terminated";
	switch (s->behavior) {
	case SRV6_BEHAVIOR_END_DT4:
	case SRV6_BEHAVIOR_END_DT6:
	case SRV6_BEHAVIOR_END_DT46:
		if (s->table == 0)
			return "End.DT* SID without a table";
		return NULL;
	case SRV6_BEHAVIOR_END_DX4:
		if (s->nh.af != AF_INET)
			return "End.DX4 SID without an IPv4 next hop";
		return NULL;
	case SRV6_BEHAVIOR_END_DX6:
		if (s->nh.af != AF_INET6)
			return "End.DX6 SID without an IPv6 next hop";
		return NULL;
	default:
		return "SID behaviour the parent cannot program";
	}
}

const char *
kroute_check(const struct kroute *k)
{
	if (!fib_op_valid(k->op))
		return "bad kroute op";
	if (k->type != KROUTE_CONNECTED && k->type != KROUTE_KERNEL)
		return "bad kroute type";
	if (k->table == 0)
		return "kroute without a table";
	if (!fib_addr_valid(&k->gateway, 1))
		return "kroute gateway of unknown address family";
	return fib_prefix_check(&k->dst);
}

/* ------------------------------------------------------------------ */
/* readers                                                             */

static int
fib_why(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

int
fib_route_next(const void *buf, size_t len, size_t *off,
    struct fib_route *r, struct fib_nexthop *nh, const char **why)
{
	const uint8_t	*p = buf;
	const char	*bad;
	size_t		 o = *off, nhlen;

	if (o == len)
		return 0;
	if (o > len || len - o < sizeof(*r))
		return fib_why(why, "truncated route");
	memcpy(r, p + o, sizeof(*r));
	o += sizeof(*r);
	if (r->n_nexthops > FIB_NEXTHOPS_MAX)
		return fib_why(why, "too many next hops");
	nhlen = r->n_nexthops * sizeof(*nh);
	if (len - o < nhlen)
		return fib_why(why, "truncated next hops");
	memcpy(nh, p + o, nhlen);
	if ((bad = fib_route_check(r, nh)) != NULL)
		return fib_why(why, bad);
	*off = o + nhlen;
	return 1;
}

/* One fixed-size record at *off into rec. */
static int
fib_fixed_next(const void *buf, size_t len, size_t *off, void *rec,
    size_t size, const char **why)
{
	if (*off == len)
		return 0;
	if (*off > len || len - *off < size)
		return fib_why(why, "truncated record");
	memcpy(rec, (const uint8_t *)buf + *off, size);
	return 1;
}

int
fib_sid_next(const void *buf, size_t len, size_t *off, struct fib_sid *s,
    const char **why)
{
	const char	*bad;
	int		 r;

	if ((r = fib_fixed_next(buf, len, off, s, sizeof(*s), why)) != 1)
		return r;
	if ((bad = fib_sid_check(s)) != NULL)
		return fib_why(why, bad);
	*off += sizeof(*s);
	return 1;
}

int
kroute_next(const void *buf, size_t len, size_t *off, struct kroute *k,
    const char **why)
{
	const char	*bad;
	int		 r;

	if ((r = fib_fixed_next(buf, len, off, k, sizeof(*k), why)) != 1)
		return r;
	if ((bad = kroute_check(k)) != NULL)
		return fib_why(why, bad);
	*off += sizeof(*k);
	return 1;
}

/* ------------------------------------------------------------------ */
/* writer                                                              */

void
fib_batch_init(struct fib_batch *b, uint32_t type, fib_flush_cb flush,
    void *arg)
{
	memset(b, 0, sizeof(*b));
	b->type = type;
	b->flush = flush;
	b->arg = arg;
}

void
fib_batch_flush(struct fib_batch *b)
{
	if (b->len == 0)
		return;
	if (b->flush != NULL)
		b->flush(b->type, b->buf, b->len, b->arg);
	b->len = 0;
	b->count = 0;
}

void
fib_batch_free(struct fib_batch *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->size = b->count = 0;
}

/* Room for n more bytes: flush when the imsg would be too big, grow. */
static int
fib_batch_room(struct fib_batch *b, size_t n)
{
	size_t	 nsize;
	uint8_t	*nbuf;

	if (b->len + n > FIB_BATCH_MAX) {
		if (b->flush == NULL) {
			errno = ERANGE;
			return -1;
		}
		fib_batch_flush(b);
	}
	if (b->len + n <= b->size)
		return 0;
	nsize = b->size == 0 ? 4096 : b->size * 2;
	while (nsize < b->len + n)
		nsize *= 2;
	if (nsize > FIB_BATCH_MAX)
		nsize = FIB_BATCH_MAX;
	if ((nbuf = realloc(b->buf, nsize)) == NULL)
		return -1;
	b->buf = nbuf;
	b->size = nsize;
	return 0;
}

static int
fib_batch_append(struct fib_batch *b, const void *a, size_t alen,
    const void *c, size_t clen)
{
	if (fib_batch_room(b, alen + clen) == -1)
		return -1;
	memcpy(b->buf + b->len, a, alen);
	if (clen > 0)
		memcpy(b->buf + b->len + alen, c, clen);
	b->len += alen + clen;
	b->count++;
	return 0;
}

int
fib_batch_add_route(struct fib_batch *b, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	if (b->type != IMSG_FIB_ROUTES || fib_route_check(r, nh) != NULL) {
		errno = EINVAL;
		return -1;
	}
	return fib_batch_append(b, r, sizeof(*r), nh,
	    r->n_nexthops * sizeof(*nh));
}

int
fib_batch_add_sid(struct fib_batch *b, const struct fib_sid *s)
{
	if (b->type != IMSG_FIB_SIDS || fib_sid_check(s) != NULL) {
		errno = EINVAL;
		return -1;
	}
	return fib_batch_append(b, s, sizeof(*s), NULL, 0);
}

int
fib_batch_add_kroute(struct fib_batch *b, const struct kroute *k)
{
	if (b->type != IMSG_KROUTES || kroute_check(k) != NULL) {
		errno = EINVAL;
		return -1;
	}
	return fib_batch_append(b, k, sizeof(*k), NULL, 0);
}
