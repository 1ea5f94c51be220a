/*
 * Text forms of addresses, prefixes, route distinguishers and route
 * targets, and prefix arithmetic.  Compiled into srv6d and srv6ctl, so it
 * uses libc and libbsd only and never logs.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "srv6d.h"

/*
 * The *2str functions hand out one of a few rotating static buffers, so a
 * caller may use several results in one printf.
 */
#define STRBUF_N	8
#define STRBUF_LEN	64

/*
 * RFC 4364 §4.2 route distinguisher types (the top 16 bits), and RFC 4360
 * §4 / RFC 5668 route-target extended communities: type octet 0x00 (two
 * octet AS), 0x01 (IPv4 address) or 0x02 (four octet AS), subtype 0x02.
 * Both share the layout of the remaining 48 bits, so one codec serves both
 * with a different 16-bit type for each layout.
 */
#define RD_TYPE_AS2		0x0000
#define RD_TYPE_IP4		0x0001
#define RD_TYPE_AS4		0x0002
#define RT_SUBTYPE		0x02
#define RT_TYPE_AS2		(0x0000 | RT_SUBTYPE)
#define RT_TYPE_IP4		(0x0100 | RT_SUBTYPE)
#define RT_TYPE_AS4		(0x0200 | RT_SUBTYPE)

enum rdlayout {
	LAYOUT_AS2,	/* 16-bit ASN, 32-bit number */
	LAYOUT_IP4,	/* IPv4 address, 16-bit number */
	LAYOUT_AS4,	/* 32-bit ASN, 16-bit number */
};

static char		*strbuf(void);
static const char	*addr_format(const struct srv6d_addr *, char *);
static const uint8_t	*addr_bytes(const struct srv6d_addr *, unsigned int *);
static int		 bits_equal(const uint8_t *, const uint8_t *,
			    unsigned int);
static int		 parse_uint(const char *, size_t, uint64_t,
			    uint64_t *);
static const char	*typed2str(uint64_t, const uint16_t [3]);
static int		 str2typed(const char *, uint64_t *,
			    const uint16_t [3]);

static const uint16_t	rd_types[3] = { RD_TYPE_AS2, RD_TYPE_IP4, RD_TYPE_AS4 };
static const uint16_t	rt_types[3] = { RT_TYPE_AS2, RT_TYPE_IP4, RT_TYPE_AS4 };

static char *
strbuf(void)
{
	static char	bufs[STRBUF_N][STRBUF_LEN];
	static int	idx;

	idx = (idx + 1) % STRBUF_N;
	return (bufs[idx]);
}

/* The address bytes in network order and the family's maximum length. */
static const uint8_t *
addr_bytes(const struct srv6d_addr *a, unsigned int *maxlen)
{
	switch (a->af) {
	case AF_INET:
		*maxlen = 32;
		return ((const uint8_t *)&a->v4);
	case AF_INET6:
		*maxlen = 128;
		return (a->v6.s6_addr);
	default:
		*maxlen = 0;
		return (NULL);
	}
}

/* The address into buf (STRBUF_LEN bytes), or NULL if it has no text. */
static const char *
addr_format(const struct srv6d_addr *a, char *buf)
{
	const void	*src;

	if (a->af == AF_INET)
		src = &a->v4;
	else if (a->af == AF_INET6)
		src = &a->v6;
	else
		return (NULL);
	return (inet_ntop(a->af, src, buf, STRBUF_LEN));
}

const char *
addr2str(const struct srv6d_addr *a)
{
	const char	*s;

	if (a->af == AF_UNSPEC)
		return ("-");
	if ((s = addr_format(a, strbuf())) == NULL)
		return ("?");
	return (s);
}

const char *
prefix2str(const struct srv6d_prefix *p)
{
	char	*buf;
	size_t	 n;

	if (p->addr.af == AF_UNSPEC)
		return ("-");
	buf = strbuf();
	if (addr_format(&p->addr, buf) == NULL)
		return ("?");
	n = strlen(buf);
	snprintf(buf + n, STRBUF_LEN - n, "/%u", p->len);
	return (buf);
}

int
str2addr(const char *s, struct srv6d_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->af = AF_INET;
		return (0);
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->af = AF_INET6;
		return (0);
	}
	memset(a, 0, sizeof(*a));
	return (-1);
}

/*
 * "address/len".  Host bits may be set (the caller decides whether that is
 * an error, see prefix_mask); the length must fit the family.
 */
int
str2prefix(const char *s, struct srv6d_prefix *p)
{
	char		 abuf[INET6_ADDRSTRLEN];
	const char	*slash;
	uint64_t	 len;
	unsigned int	 maxlen;

	memset(p, 0, sizeof(*p));
	if ((slash = strchr(s, '/')) == NULL ||
	    (size_t)(slash - s) >= sizeof(abuf))
		return (-1);
	memcpy(abuf, s, slash - s);
	abuf[slash - s] = '\0';
	if (str2addr(abuf, &p->addr) == -1)
		return (-1);
	addr_bytes(&p->addr, &maxlen);
	if (parse_uint(slash + 1, strlen(slash + 1), maxlen, &len) == -1) {
		memset(p, 0, sizeof(*p));
		return (-1);
	}
	p->len = len;
	return (0);
}

/*
 * A decimal number of n characters, digits only (no sign, no blanks),
 * at most max.
 */
static int
parse_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (n == 0 || n > 20)
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		if (v > (UINT64_MAX - (s[i] - '0')) / 10)
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Formats a RD or RT whose 16-bit type is one of types[], by layout. */
static const char *
typed2str(uint64_t v, const uint16_t types[3])
{
	struct in_addr	 ina;
	char		 abuf[INET_ADDRSTRLEN];
	uint16_t	 type = v >> 48;
	char		*buf = strbuf();

	if (type == types[LAYOUT_AS2])
		snprintf(buf, STRBUF_LEN, "%u:%u",
		    (unsigned int)(v >> 32) & 0xffff,
		    (unsigned int)(v & 0xffffffff));
	else if (type == types[LAYOUT_IP4]) {
		ina.s_addr = htonl((uint32_t)(v >> 16));
		inet_ntop(AF_INET, &ina, abuf, sizeof(abuf));
		snprintf(buf, STRBUF_LEN, "%s:%u", abuf,
		    (unsigned int)(v & 0xffff));
	} else if (type == types[LAYOUT_AS4])
		snprintf(buf, STRBUF_LEN, "%u:%u",
		    (unsigned int)(v >> 16) & 0xffffffff,
		    (unsigned int)(v & 0xffff));
	else
		snprintf(buf, STRBUF_LEN, "%u:0x%012" PRIx64, type,
		    v & UINT64_C(0xffffffffffff));
	return (buf);
}

/*
 * "ASN:NN" with an ASN up to 65535 takes the 2-octet-AS layout with a
 * 32-bit number; a larger ASN takes the 4-octet-AS layout with a 16-bit
 * number; "a.b.c.d:NN" takes the IPv4 layout with a 16-bit number.
 */
static int
str2typed(const char *s, uint64_t *out, const uint16_t types[3])
{
	char		 abuf[INET_ADDRSTRLEN];
	const char	*colon, *num;
	struct in_addr	 ina;
	uint64_t	 as, nn;

	if ((colon = strchr(s, ':')) == NULL)
		return (-1);
	num = colon + 1;
	if (parse_uint(s, colon - s, UINT32_MAX, &as) == 0) {
		if (as <= UINT16_MAX) {
			if (parse_uint(num, strlen(num), UINT32_MAX, &nn) == -1)
				return (-1);
			*out = (uint64_t)types[LAYOUT_AS2] << 48 | as << 32 | nn;
		} else {
			if (parse_uint(num, strlen(num), UINT16_MAX, &nn) == -1)
				return (-1);
			*out = (uint64_t)types[LAYOUT_AS4] << 48 | as << 16 | nn;
		}
		return (0);
	}
	if ((size_t)(colon - s) >= sizeof(abuf))
		return (-1);
	memcpy(abuf, s, colon - s);
	abuf[colon - s] = '\0';
	if (inet_pton(AF_INET, abuf, &ina) != 1 ||
	    parse_uint(num, strlen(num), UINT16_MAX, &nn) == -1)
		return (-1);
	*out = (uint64_t)types[LAYOUT_IP4] << 48 |
	    (uint64_t)ntohl(ina.s_addr) << 16 | nn;
	return (0);
}

const char *
rd2str(rd_t rd)
{
	return (typed2str(rd, rd_types));
}

const char *
rt2str(ext_community_t rt)
{
	return (typed2str(rt, rt_types));
}

int
str2rd(const char *s, rd_t *rd)
{
	return (str2typed(s, rd, rd_types));
}

int
str2rt(const char *s, ext_community_t *rt)
{
	return (str2typed(s, rt, rt_types));
}

/* A total order: by family (unset first), then by address. */
int
addr_cmp(const struct srv6d_addr *a, const struct srv6d_addr *b)
{
	const uint8_t	*pa, *pb;
	unsigned int	 maxlen;
	int		 r;

	if (a->af != b->af)
		return (a->af < b->af ? -1 : 1);
	pa = addr_bytes(a, &maxlen);
	pb = addr_bytes(b, &maxlen);
	if (pa == NULL)
		return (0);
	r = memcmp(pa, pb, maxlen / 8);
	return (r < 0 ? -1 : r > 0);
}

/* Whether the first bits bits of a and b are equal. */
static int
bits_equal(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int	bytes = bits / 8, rest = bits % 8;
	uint8_t		mask;

	if (memcmp(a, b, bytes) != 0)
		return (0);
	if (rest == 0)
		return (1);
	mask = 0xff << (8 - rest);
	return ((a[bytes] & mask) == (b[bytes] & mask));
}

int
prefix_contains(const struct srv6d_prefix *p, const struct srv6d_addr *a)
{
	const uint8_t	*pp, *pa;
	unsigned int	 maxlen;

	if (p->addr.af != a->af)
		return (0);
	if ((pp = addr_bytes(&p->addr, &maxlen)) == NULL || p->len > maxlen)
		return (0);
	pa = addr_bytes(a, &maxlen);
	return (bits_equal(pp, pa, p->len));
}

/* Two prefixes overlap when the shorter one contains the longer one. */
int
prefix_overlaps(const struct srv6d_prefix *a, const struct srv6d_prefix *b)
{
	const uint8_t	*pa, *pb;
	unsigned int	 maxlen, len;

	if (a->addr.af != b->addr.af)
		return (0);
	if ((pa = addr_bytes(&a->addr, &maxlen)) == NULL)
		return (0);
	pb = addr_bytes(&b->addr, &maxlen);
	len = a->len < b->len ? a->len : b->len;
	if (len > maxlen)
		return (0);
	return (bits_equal(pa, pb, len));
}

/* Clears the host bits, and for IPv4 the unused rest of the union. */
void
prefix_mask(struct srv6d_prefix *p)
{
	uint8_t		*b = p->addr.v6.s6_addr;
	unsigned int	 maxlen, i;

	if (addr_bytes(&p->addr, &maxlen) == NULL)
		return;
	for (i = p->len / 8; i < maxlen / 8; i++) {
		if (i == p->len / 8 && p->len % 8 != 0)
			b[i] &= 0xff << (8 - p->len % 8);
		else
			b[i] = 0;
	}
	if (p->addr.af == AF_INET)
		memset(b + 4, 0, sizeof(p->addr.v6) - 4);
}

const char *
neighbor_state_name(enum neighbor_state s)
{
	static const char	*names[] = {
		[NSTATE_IDLE] = "Idle",
		[NSTATE_CONNECT] = "Connect",
		[NSTATE_ACTIVE] = "Active",
		[NSTATE_OPENSENT] = "OpenSent",
		[NSTATE_OPENCONFIRM] = "OpenConfirm",
		[NSTATE_ESTABLISHED] = "Established",
	};

	if ((unsigned int)s >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[s]);
}

const char *
vrf_sid_mode_name(enum vrf_sid_mode m)
{
	static const char	*names[] = {
		[VRF_SID_AUTO] = "auto",
		[VRF_SID_PER_CE] = "per-ce",
		[VRF_SID_EXPLICIT] = "explicit",
	};

	if ((unsigned int)m >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[m]);
}

/* "vrf", "table", or "" while unknown (show summary, show vrf, show fib). */
const char *
kernel_mode_name(enum kernel_mode m)
{
	switch (m) {
	case KERNEL_MODE_VRF:
		return "vrf";
	case KERNEL_MODE_TABLE:
		return "table";
	default:
		return "";
	}
}
