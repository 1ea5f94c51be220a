/*
 * bgp_update.c: UPDATE parsing with the error handling of RFC 7606, and
 * the encoding helpers for attributes, prefixes and AS paths.
 *
 * Parsing is zero-copy: the result holds views into the message.  Each
 * error is sorted by RFC 7606 into attribute discard, treat-as-withdraw
 * or session reset; the worst one decides (struct bgp_update.action).
 * Per-attribute rules are a table indexed by type code: expected flags,
 * length rule, a value check and what a malformed instance costs.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp.h"
#include "imsg.h"

#define ATTR_WK		BGP_ATTR_TRANSITIVE	/* well-known */
#define ATTR_OPT	BGP_ATTR_OPTIONAL	/* optional non-transitive */
#define ATTR_OPT_TR	(BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE)
#define ANYLEN		0xffff

struct attr_rule {
	const char	*name;
	uint8_t		 flags;		/* expected Optional and Transitive */
	uint16_t	 minlen;
	uint16_t	 maxlen;
	uint8_t		 mult;		/* length a multiple of this, or 0 */
	uint8_t		 action;	/* when malformed */
	uint8_t		 subcode;	/* with BGP_UPD_RESET, value errors */
	int		(*check)(struct bgp_update *, const struct bgp_attr *,
			    const struct bgp_upd_ctx *, const char **);
	/* Before anything else: a reason to drop it unseen, or NULL. */
	const char	*(*ignore)(const struct bgp_upd_ctx *);
};

static int	check_origin(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static int	check_aspath(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static int	check_aggregator(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static int	check_mp_reach(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static int	check_mp_unreach(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static int	check_as4path(struct bgp_update *, const struct bgp_attr *,
		    const struct bgp_upd_ctx *, const char **);
static const char *ignore_ebgp(const struct bgp_upd_ctx *);
static const char *ignore_as4(const struct bgp_upd_ctx *);

/*
 * RFC 4271 §5 and §6.3 give the flags and lengths; RFC 7606 §7.1-7.14
 * (and RFC 6793 §6, RFC 8092 §5, RFC 8669 §6 for theirs) say what an
 * error costs.  A flags conflict costs the same as any other malformation
 * of that attribute (RFC 7606 §3 c).
 */
static const struct attr_rule attr_rules[256] = {
	/* RFC 7606 §7.1: length 1, value 0-2, else treat-as-withdraw. */
	[BGP_ATTR_ORIGIN] = { "ORIGIN", ATTR_WK, 1, 1, 0,
	    BGP_UPD_WITHDRAW, 0, check_origin },
	/* §7.2: segments checked below; treat-as-withdraw. */
	[BGP_ATTR_AS_PATH] = { "AS_PATH", ATTR_WK, 0, ANYLEN, 0,
	    BGP_UPD_WITHDRAW, 0, check_aspath },
	/* §7.3: length 4. */
	[BGP_ATTR_NEXT_HOP] = { "NEXT_HOP", ATTR_WK, 4, 4, 0,
	    BGP_UPD_WITHDRAW, 0, NULL },
	/* §7.4: length 4. */
	[BGP_ATTR_MED] = { "MULTI_EXIT_DISC", ATTR_OPT, 4, 4, 0,
	    BGP_UPD_WITHDRAW, 0, NULL },
	/* §7.5: from an external peer discarded, whatever its form. */
	[BGP_ATTR_LOCAL_PREF] = { "LOCAL_PREF", ATTR_WK, 4, 4, 0,
	    BGP_UPD_WITHDRAW, 0, NULL, ignore_ebgp },
	/* §7.6: length 0, else attribute discard. */
	[BGP_ATTR_ATOMIC_AGGREGATE] = { "ATOMIC_AGGREGATE", ATTR_WK, 0, 0, 0,
	    BGP_UPD_DISCARD, 0, NULL },
	/* §7.7: length 6, or 8 with 4-octet AS; attribute discard. */
	[BGP_ATTR_AGGREGATOR] = { "AGGREGATOR", ATTR_OPT_TR, 6, 8, 0,
	    BGP_UPD_DISCARD, 0, check_aggregator },
	/* §7.8: a non-zero multiple of 4. */
	[BGP_ATTR_COMMUNITIES] = { "COMMUNITIES", ATTR_OPT_TR, 4, ANYLEN, 4,
	    BGP_UPD_WITHDRAW, 0, NULL },
	/* §7.9: length 4. */
	[BGP_ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", ATTR_OPT, 4, 4, 0,
	    BGP_UPD_WITHDRAW, 0, NULL },
	/* §7.10: a non-zero multiple of 4. */
	[BGP_ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", ATTR_OPT, 4, ANYLEN, 4,
	    BGP_UPD_WITHDRAW, 0, NULL },
	/*
	 * §7.11: the NLRI cannot be found reliably in a malformed MP_REACH,
	 * so session reset; RFC 4760 §7 names Optional Attribute Error.
	 */
	[BGP_ATTR_MP_REACH] = { "MP_REACH_NLRI", ATTR_OPT, 5, ANYLEN, 0,
	    BGP_UPD_RESET, BGP_ERR_UPD_OPTATTR, check_mp_reach },
	/* §7.12: likewise. */
	[BGP_ATTR_MP_UNREACH] = { "MP_UNREACH_NLRI", ATTR_OPT, 3, ANYLEN, 0,
	    BGP_UPD_RESET, BGP_ERR_UPD_OPTATTR, check_mp_unreach },
	/* §7.14: a non-zero multiple of 8. */
	[BGP_ATTR_EXT_COMMUNITIES] = { "EXTENDED_COMMUNITIES", ATTR_OPT_TR,
	    8, ANYLEN, 8, BGP_UPD_WITHDRAW, 0, NULL },
	/* RFC 6793 §6: malformed AS4 attributes are discarded. */
	[BGP_ATTR_AS4_PATH] = { "AS4_PATH", ATTR_OPT_TR, 0, ANYLEN, 0,
	    BGP_UPD_DISCARD, 0, check_as4path, ignore_as4 },
	[BGP_ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", ATTR_OPT_TR, 8, 8, 0,
	    BGP_UPD_DISCARD, 0, NULL, ignore_as4 },
	/* RFC 8092 §5: a non-zero multiple of 12, treat-as-withdraw. */
	[BGP_ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITIES", ATTR_OPT_TR,
	    12, ANYLEN, 12, BGP_UPD_WITHDRAW, 0, NULL },
	/*
	 * RFC 8669 §6: treat-as-withdraw when malformed.  Only kept here;
	 * the TLVs (RFC 9252) are decoded by the SRv6 code.
	 */
	[BGP_ATTR_PREFIX_SID] = { "PREFIX_SID", ATTR_OPT_TR, 0, ANYLEN, 0,
	    BGP_UPD_WITHDRAW, 0, NULL },
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

const char *
bgp_attr_name(uint8_t type)
{
	return attr_rules[type].name != NULL ? attr_rules[type].name :
	    "unknown";
}

const struct bgp_attr *
bgp_update_attr(const struct bgp_update *u, uint8_t type)
{
	return u->pos[type] != 0 ? &u->attr[u->pos[type] - 1] : NULL;
}

/* Recording the outcome: the worst action wins and names the reason. */

static void
upd_flag(struct bgp_update *u, enum bgp_upd_action action, uint8_t type,
    const char *reason)
{
	if (action <= u->action)
		return;
	u->action = action;
	u->reason = reason;
	u->reason_type = type;
}

static void
upd_discard(struct bgp_update *u, uint8_t type, const char *reason)
{
	if (u->ndisc < BGP_UPD_MAX_DISC)
		u->disc[u->ndisc] = (struct bgp_discard){ type, reason };
	u->ndisc++;
	upd_flag(u, BGP_UPD_DISCARD, type, reason);
}

static void
upd_reset(struct bgp_update *u, uint8_t subcode, struct bgp_view data,
    uint8_t type, const char *reason)
{
	upd_flag(u, BGP_UPD_RESET, type, reason);
	bgp_err_set(&u->err, BGP_ERR_UPDATE, subcode, data.p, data.len);
}

/* What a malformed attribute costs, from its rule. */
static void
upd_malformed(struct bgp_update *u, const struct bgp_attr *a,
    const struct attr_rule *r, uint8_t subcode, const char *reason)
{
	switch (r->action) {
	case BGP_UPD_DISCARD:
		upd_discard(u, a->type, reason);
		break;
	case BGP_UPD_RESET:
		upd_reset(u, subcode, a->raw, a->type, reason);
		break;
	default:
		upd_flag(u, BGP_UPD_WITHDRAW, a->type, reason);
		break;
	}
}

static void
upd_keep(struct bgp_update *u, const struct bgp_attr *a)
{
	u->attr[u->nattr] = *a;
	u->pos[a->type] = ++u->nattr;
}

/* Prefixes: RFC 4271 §4.3 (length in bits, then the significant octets). */

/*
 * Check a run of prefixes whose lengths are minbits (label and RD of a VPN
 * prefix) plus at most maxbits, and which end exactly at the end.
 */
static int
nlri_check(struct bgp_view v, unsigned minbits, unsigned maxbits)
{
	size_t		i = 0;
	unsigned	bits;

	while (i < v.len) {
		bits = v.p[i];
		if (bits < minbits || bits > minbits + maxbits)
			return -1;
		if ((bits + 7) / 8 > v.len - i - 1)
			return -1;
		i += 1 + (bits + 7) / 8;
	}
	return 0;
}

int
bgp_prefixes_check(struct bgp_view v, uint8_t maxbits)
{
	return nlri_check(v, 0, maxbits);
}

/*
 * Take the next prefix from v into addr (maxbits / 8 octets, host bits
 * zeroed) and plen.  1: got one, 0: none left, -1: malformed.
 */
int
bgp_prefix_next(struct bgp_view *v, uint8_t maxbits, uint8_t *addr,
    uint8_t *plen)
{
	size_t	n;

	if (v->len == 0)
		return 0;
	*plen = v->p[0];
	n = (*plen + 7) / 8;
	if (*plen > maxbits || n > v->len - 1)
		return -1;
	memset(addr, 0, maxbits / 8);
	memcpy(addr, v->p + 1, n);
	if (*plen % 8 != 0)
		addr[n - 1] &= (uint8_t)(0xff << (8 - *plen % 8));
	v->p += 1 + n;
	v->len -= 1 + n;
	return 1;
}

int
bgp_prefix_write(struct ibuf *b, const uint8_t *addr, uint8_t plen)
{
	size_t	 n = (plen + 7) / 8;
	uint8_t	*p;

	if (ibuf_add_u8(b, plen) == -1 || (p = ibuf_reserve(b, n)) == NULL)
		return -1;
	memcpy(p, addr, n);
	if (plen % 8 != 0)
		p[n - 1] &= (uint8_t)(0xff << (8 - plen % 8));
	return 0;
}

/* Value checks, called after the flags and the length rule passed. */

static int
check_origin(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	(void)u, (void)ctx;
	*why = "undefined ORIGIN value";
	return a->val.p[0] <= BGP_ORIGIN_INCOMPLETE ? 0 : -1;
}

/*
 * RFC 7606 §7.2: malformed when a segment type is unknown, a segment is
 * empty, the last segment overruns, or fewer than 2 octets are left over.
 * asz is 2 or 4 (RFC 6793 §4); confederation segments (RFC 5065 §3) are
 * allowed unless confed_ok is 0.
 */
int
bgp_aspath_check(struct bgp_view v, int asz, int confed_ok)
{
	size_t	i = 0;
	uint8_t	type, cnt;

	while (i < v.len) {
		if (v.len - i < 2)
			return -1;
		type = v.p[i];
		cnt = v.p[i + 1];
		if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET ||
		    (!confed_ok && type > BGP_AS_SEQUENCE))
			return -1;
		if (cnt == 0 || (size_t)cnt * asz > v.len - i - 2)
			return -1;
		i += 2 + (size_t)cnt * asz;
	}
	return 0;
}

static int
check_aspath(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	(void)u;
	*why = "malformed AS_PATH";
	return bgp_aspath_check(a->val, ctx->as4 ? 4 : 2, 1);
}

/* RFC 7606 §7.5 (and RFC 4271 §5.1.5): LOCAL_PREF is internal. */
static const char *
ignore_ebgp(const struct bgp_upd_ctx *ctx)
{
	return ctx->ebgp ? "LOCAL_PREF from an external peer" : NULL;
}

static int
check_aggregator(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	(void)u;
	*why = "AGGREGATOR length";
	return a->val.len == (ctx->as4 ? 8u : 6u) ? 0 : -1;
}

/*
 * RFC 6793 §4.1: AS4_PATH and AS4_AGGREGATOR from a NEW speaker (one
 * that negotiated 4-octet AS) are ignored.
 */
static const char *
ignore_as4(const struct bgp_upd_ctx *ctx)
{
	return ctx->as4 ? "AS4 attribute from a 4-octet AS speaker" : NULL;
}

/* RFC 6793 §6: no confederation segments in AS4_PATH. */
static int
check_as4path(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	(void)u, (void)ctx;
	*why = "malformed AS4_PATH";
	return bgp_aspath_check(a->val, 4, 0);
}

/*
 * Next hop lengths per AFI/SAFI: RFC 4760 §3 and RFC 8950 §3 (IPv4 over
 * an IPv6 next hop), RFC 2545 §3 (global, or global and link-local),
 * RFC 4364 §4.3.2 and RFC 4659 §3.2.1 (RD of zero before the address).
 * Families not listed are not checked: we do not use them.
 */
static const struct {
	uint16_t	afi;
	uint8_t		safi;
	uint8_t		len[3];
} mp_nh_rules[] = {
	{ BGP_AFI_IPV4, BGP_SAFI_UNICAST, { 4, 16, 32 } },
	{ BGP_AFI_IPV4, BGP_SAFI_MULTICAST, { 4, 16, 32 } },
	{ BGP_AFI_IPV6, BGP_SAFI_UNICAST, { 16, 32, 0 } },
	{ BGP_AFI_IPV6, BGP_SAFI_MULTICAST, { 16, 32, 0 } },
	{ BGP_AFI_IPV4, BGP_SAFI_MPLSVPN, { 12, 24, 48 } },
	{ BGP_AFI_IPV6, BGP_SAFI_MPLSVPN, { 24, 48, 0 } },
};

static int
mp_nh_ok(const struct bgp_mp *mp)
{
	size_t	i, k;

	for (i = 0; i < sizeof(mp_nh_rules) / sizeof(mp_nh_rules[0]); i++) {
		if (mp_nh_rules[i].afi != mp->afi ||
		    mp_nh_rules[i].safi != mp->safi)
			continue;
		for (k = 0; k < 3; k++)
			if (mp_nh_rules[i].len[k] != 0 &&
			    mp_nh_rules[i].len[k] == mp->nh.len)
				return 1;
		return 0;
	}
	return 1;
}

/*
 * RFC 7606 §5.3: the NLRI of the families we know must parse exactly.
 * VPN prefixes (RFC 4364 §4.3.4, RFC 8277 §2) carry a label and an RD:
 * 88 bits before the address.
 */
static int
mp_nlri_ok(const struct bgp_mp *mp)
{
	unsigned	bits, vpn;

	if (mp->afi == BGP_AFI_IPV4)
		bits = 32;
	else if (mp->afi == BGP_AFI_IPV6)
		bits = 128;
	else
		return 1;
	if (mp->safi == BGP_SAFI_UNICAST || mp->safi == BGP_SAFI_MULTICAST)
		vpn = 0;
	else if (mp->safi == BGP_SAFI_MPLSVPN)
		vpn = 88;
	else
		return 1;
	return nlri_check(mp->nlri, vpn, bits) == 0;
}

/* RFC 4760 §3: AFI, SAFI, next hop length and next hop, reserved, NLRI. */
static int
check_mp_reach(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	const uint8_t	*p = a->val.p;
	struct bgp_mp	 mp;
	size_t		 nhlen = p[3];

	(void)ctx;
	*why = "MP_REACH_NLRI next hop length overruns";
	if (5 + nhlen > a->val.len)
		return -1;
	mp.afi = get16(p);
	mp.safi = p[2];
	mp.nh = (struct bgp_view){ p + 4, nhlen };
	mp.nlri = (struct bgp_view){ p + 5 + nhlen, a->val.len - 5 - nhlen };
	*why = "MP_REACH_NLRI next hop length";
	if (!mp_nh_ok(&mp))
		return -1;
	*why = "MP_REACH_NLRI malformed NLRI";
	if (!mp_nlri_ok(&mp))
		return -1;
	u->reach = mp;
	u->has_reach = 1;
	return 0;
}

/* RFC 4760 §4: AFI, SAFI, withdrawn routes. */
static int
check_mp_unreach(struct bgp_update *u, const struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx, const char **why)
{
	struct bgp_mp	mp;

	(void)ctx;
	memset(&mp, 0, sizeof(mp));
	mp.afi = get16(a->val.p);
	mp.safi = a->val.p[2];
	mp.nlri = (struct bgp_view){ a->val.p + 3, a->val.len - 3 };
	*why = "MP_UNREACH_NLRI malformed NLRI";
	if (!mp_nlri_ok(&mp))
		return -1;
	u->unreach = mp;
	u->has_unreach = 1;
	return 0;
}

/* The attribute loop. */

static int
attr_len_ok(const struct attr_rule *r, size_t len)
{
	if (len < r->minlen || (r->maxlen != ANYLEN && len > r->maxlen))
		return 0;
	return r->mult == 0 || len % r->mult == 0;
}

/*
 * Take the next attribute's header from v.  -1 when it overruns the
 * attribute list: fewer than 3 (or 4 with Extended Length) octets, or a
 * value longer than what is left (RFC 7606 §4).
 */
static int
attr_next(struct bgp_view *v, struct bgp_attr *a)
{
	size_t	hl, len;

	if (v->len < 3)
		return -1;
	a->flags = v->p[0];
	a->type = v->p[1];
	hl = (a->flags & BGP_ATTR_EXTLEN) ? 4 : 3;
	if (v->len < hl)
		return -1;
	len = hl == 4 ? get16(v->p + 2) : v->p[2];
	if (len > v->len - hl)
		return -1;
	a->val = (struct bgp_view){ v->p + hl, len };
	a->raw = (struct bgp_view){ v->p, hl + len };
	v->p += hl + len;
	v->len -= hl + len;
	return 0;
}

/*
 * RFC 4271 §5 and §9: an unrecognized optional transitive attribute is
 * passed on with Partial set, an optional non-transitive one quietly
 * dropped; an unrecognized well-known one is an error (§6.3) whose data
 * is the attribute.
 */
static void
attr_unknown(struct bgp_update *u, struct bgp_attr *a)
{
	if (!(a->flags & BGP_ATTR_OPTIONAL)) {
		upd_reset(u, BGP_ERR_UPD_UNKNWN_WK, a->raw, a->type,
		    "unrecognized well-known attribute");
		return;
	}
	if (a->flags & BGP_ATTR_TRANSITIVE) {
		a->flags |= BGP_ATTR_PARTIAL;
		upd_keep(u, a);
	}
}

/*
 * RFC 7606 §3 g: a second MP_REACH_NLRI or MP_UNREACH_NLRI is Malformed
 * Attribute List (session reset); any other repeated attribute is
 * discarded after the first and the UPDATE processed on.
 */
static int
attr_duplicate(struct bgp_update *u, const struct bgp_attr *a)
{
	uint8_t	bit = 1u << (a->type % 8);

	if (!(u->seen[a->type / 8] & bit)) {
		u->seen[a->type / 8] |= bit;
		return 0;
	}
	if (a->type == BGP_ATTR_MP_REACH || a->type == BGP_ATTR_MP_UNREACH)
		upd_reset(u, BGP_ERR_UPD_ATTRLIST, (struct bgp_view){ NULL, 0 },
		    a->type, "repeated MP_REACH_NLRI or MP_UNREACH_NLRI");
	else
		upd_discard(u, a->type, "repeated attribute");
	return 1;
}

/* Flags, length and value; what a failure costs is in the rule. */
static int
attr_valid(struct bgp_update *u, const struct bgp_attr *a,
    const struct attr_rule *r, const struct bgp_upd_ctx *ctx)
{
	const char	*why = "malformed attribute";

	/* RFC 7606 §3 c: Optional and Transitive must be as specified. */
	if ((a->flags & ATTR_OPT_TR) != r->flags) {
		upd_malformed(u, a, r, BGP_ERR_UPD_FLAGS,
		    "attribute flags conflict");
		return 0;
	}
	if (!attr_len_ok(r, a->val.len)) {
		upd_malformed(u, a, r, BGP_ERR_UPD_LENGTH,
		    "attribute length");
		return 0;
	}
	if (r->check != NULL && r->check(u, a, ctx, &why) != 0) {
		upd_malformed(u, a, r, r->subcode, why);
		return 0;
	}
	return 1;
}

static void
attr_one(struct bgp_update *u, struct bgp_attr *a,
    const struct bgp_upd_ctx *ctx)
{
	const struct attr_rule	*r = &attr_rules[a->type];
	const char		*why;

	if (attr_duplicate(u, a))
		return;
	if (r->name == NULL)
		attr_unknown(u, a);
	else if (r->ignore != NULL && (why = r->ignore(ctx)) != NULL)
		upd_discard(u, a->type, why);
	else if (attr_valid(u, a, r, ctx))
		upd_keep(u, a);
}

static void
upd_attrs(struct bgp_update *u, const struct bgp_upd_ctx *ctx)
{
	struct bgp_view	v = u->attrs;
	struct bgp_attr	a;

	while (v.len > 0 && u->action != BGP_UPD_RESET) {
		/*
		 * RFC 7606 §4: an overrun is treat-as-withdraw; the NLRI is
		 * found by the Total Path Attribute Length, not here.
		 */
		if (attr_next(&v, &a) == -1) {
			upd_flag(u, BGP_UPD_WITHDRAW, 0,
			    "attribute overruns the path attributes");
			return;
		}
		attr_one(u, &a, ctx);
	}
}

/*
 * RFC 4271 §4.3 and §6.3: Withdrawn Routes Length and Total Path Attribute
 * Length must fit in the message, else Malformed Attribute List.
 */
static int
upd_split(struct bgp_update *u, const uint8_t *msg, size_t len)
{
	const uint8_t	*p = msg + BGP_HDR_LEN;
	size_t		 left = len - BGP_HDR_LEN, wlen, alen;

	if (len < BGP_UPDATE_MIN_LEN)
		goto bad;
	wlen = get16(p);
	if (wlen + 4 > left)
		goto bad;
	alen = get16(p + 2 + wlen);
	if (wlen + alen + 4 > left)
		goto bad;
	u->withdrawn = (struct bgp_view){ p + 2, wlen };
	u->attrs = (struct bgp_view){ p + 4 + wlen, alen };
	u->nlri = (struct bgp_view){ p + 4 + wlen + alen,
	    left - 4 - wlen - alen };
	return 0;
 bad:
	upd_reset(u, BGP_ERR_UPD_ATTRLIST, (struct bgp_view){ NULL, 0 }, 0,
	    "withdrawn or attribute length beyond the message");
	return -1;
}

/*
 * RFC 7606 §3 d: a missing well-known mandatory attribute is treat-as-
 * withdraw.  They are needed only with reachable NLRI: ORIGIN and AS_PATH
 * always, NEXT_HOP only for the IPv4 NLRI field (RFC 4760 §3).
 */
static void
upd_mandatory(struct bgp_update *u)
{
	int	reach = u->nlri.len > 0 ||
		    (u->has_reach && u->reach.nlri.len > 0);

	if (!reach)
		return;
	if (bgp_update_attr(u, BGP_ATTR_ORIGIN) == NULL)
		upd_flag(u, BGP_UPD_WITHDRAW, BGP_ATTR_ORIGIN,
		    "missing ORIGIN");
	else if (bgp_update_attr(u, BGP_ATTR_AS_PATH) == NULL)
		upd_flag(u, BGP_UPD_WITHDRAW, BGP_ATTR_AS_PATH,
		    "missing AS_PATH");
	else if (u->nlri.len > 0 &&
	    bgp_update_attr(u, BGP_ATTR_NEXT_HOP) == NULL)
		upd_flag(u, BGP_UPD_WITHDRAW, BGP_ATTR_NEXT_HOP,
		    "missing NEXT_HOP");
}

static void
upd_init(struct bgp_update *u)
{
	u->action = BGP_UPD_OK;
	u->reason = NULL;
	u->reason_type = 0;
	memset(&u->err, 0, sizeof(u->err));
	u->withdrawn = u->attrs = u->nlri = (struct bgp_view){ NULL, 0 };
	u->nattr = u->ndisc = 0;
	memset(u->pos, 0, sizeof(u->pos));
	memset(u->seen, 0, sizeof(u->seen));
	u->has_reach = u->has_unreach = 0;
	memset(&u->reach, 0, sizeof(u->reach));
	memset(&u->unreach, 0, sizeof(u->unreach));
}

/*
 * Parse an UPDATE (msg, len: the whole message as framed).  The result's
 * action says what to do:
 *   OK:        use it.
 *   DISCARD:   use it without the attributes in disc[] (already left out
 *              of attr[]); log them.
 *   WITHDRAW:  withdraw every prefix in nlri, withdrawn, reach.nlri and
 *              unreach.nlri (RFC 7606 §2); log reason.
 *   RESET:     send err (NOTIFICATION code 3) and reset the session.
 * Syntax errors in the IPv4 prefixes are Invalid Network Field (RFC 4271
 * §6.3), a session reset (RFC 7606 §5.3).
 */
enum bgp_upd_action
bgp_update_parse(const uint8_t *msg, size_t len, const struct bgp_upd_ctx *ctx,
    struct bgp_update *u)
{
	upd_init(u);
	if (upd_split(u, msg, len) == -1)
		return u->action;
	if (bgp_prefixes_check(u->withdrawn, 32) == -1) {
		upd_reset(u, BGP_ERR_UPD_NETWORK, (struct bgp_view){ NULL, 0 },
		    0, "malformed withdrawn routes");
		return u->action;
	}
	if (bgp_prefixes_check(u->nlri, 32) == -1) {
		upd_reset(u, BGP_ERR_UPD_NETWORK, (struct bgp_view){ NULL, 0 },
		    0, "malformed NLRI");
		return u->action;
	}
	upd_attrs(u, ctx);
	if (u->action != BGP_UPD_RESET)
		upd_mandatory(u);
	return u->action;
}

/* Encoding. */

/* RFC 4271 §4.3: Extended Length exactly when the value needs it. */
static int
attr_hdr(struct ibuf *b, uint8_t flags, uint8_t type, size_t len)
{
	if (len > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	flags &= ~BGP_ATTR_EXTLEN;
	if (len > UINT8_MAX)
		flags |= BGP_ATTR_EXTLEN;
	if (ibuf_add_u8(b, flags) == -1 || ibuf_add_u8(b, type) == -1)
		return -1;
	if (len > UINT8_MAX)
		return ibuf_add_n16(b, len);
	return ibuf_add_u8(b, len);
}

int
bgp_attr_write(struct ibuf *b, uint8_t flags, uint8_t type, const void *data,
    size_t len)
{
	if (attr_hdr(b, flags, type, len) == -1)
		return -1;
	return len == 0 ? 0 : ibuf_add(b, data, len);
}

/*
 * Writing AS paths segment by segment.  Adjacent sequences are joined
 * (up to 255 ASes per segment, RFC 4271 §4.3); a set always starts its
 * own segment, as joining two sets would change the path length.
 */
struct seg_writer {
	struct ibuf	*b;
	int		 asz;
	size_t		 hdr;	/* offset of the open segment's header */
	int		 open;
	uint8_t		 type;
	uint8_t		 cnt;
};

static int
seg_add(struct seg_writer *w, uint8_t type, uint32_t as, int first)
{
	uint8_t	*h;
	int	 join = !first || type == BGP_AS_SEQUENCE ||
		    type == BGP_AS_CONFED_SEQUENCE;

	if (!w->open || w->type != type || !join || w->cnt == UINT8_MAX) {
		w->hdr = ibuf_size(w->b);
		if (ibuf_add_u8(w->b, type) == -1 ||
		    ibuf_add_u8(w->b, 0) == -1)
			return -1;
		w->open = 1;
		w->type = type;
		w->cnt = 0;
	}
	if ((w->asz == 4 ? ibuf_add_n32(w->b, as) :
	    ibuf_add_n16(w->b, as > UINT16_MAX ? AS_TRANS : as)) == -1)
		return -1;
	if ((h = ibuf_seek(w->b, w->hdr, 2)) == NULL)
		return -1;
	h[1] = ++w->cnt;
	return 0;
}

static uint32_t
seg_as(const uint8_t *p, int asz, size_t k)
{
	return asz == 4 ? get32(p + 4 * k) : get16(p + 2 * k);
}

/*
 * Copy segments of the (checked) path v with ASes of size asz, at most
 * limit counted ASes (RFC 4271 §9.1.2.2: a set counts one, RFC 5065
 * §5.3: confederation segments none), leaving out confederation
 * segments if noconfed.  Returns the ASes counted, or -1.
 */
static long
seg_copy(struct seg_writer *w, struct bgp_view v, int asz, size_t limit,
    int noconfed)
{
	size_t	i = 0, k, cnt, take;
	long	counted = 0;
	uint8_t	type;

	for (; i < v.len; i += 2 + cnt * asz) {
		type = v.p[i];
		cnt = v.p[i + 1];
		if (type >= BGP_AS_CONFED_SEQUENCE) {
			take = noconfed ? 0 : cnt;
		} else if ((size_t)counted >= limit) {
			break;
		} else if (type == BGP_AS_SET) {
			take = cnt;
			counted++;
		} else {
			take = cnt < limit - counted ? cnt : limit - counted;
			counted += take;
		}
		for (k = 0; k < take; k++)
			if (seg_add(w, type, seg_as(v.p + i + 2, asz, k),
			    k == 0) == -1)
				return -1;
	}
	return counted;
}

/* Path length per RFC 4271 §9.1.2.2 and RFC 5065 §5.3. */
static size_t
aspath_count(struct bgp_view v, int asz)
{
	size_t	i, n = 0;

	for (i = 0; i + 2 <= v.len; i += 2 + (size_t)v.p[i + 1] * asz) {
		if (v.p[i] == BGP_AS_SEQUENCE)
			n += v.p[i + 1];
		else if (v.p[i] == BGP_AS_SET)
			n++;
	}
	return n;
}

static int
aspath_has_as4(struct bgp_view v)
{
	size_t	i, k;

	for (i = 0; i + 2 <= v.len; i += 2 + (size_t)v.p[i + 1] * 4)
		for (k = 0; k < v.p[i + 1]; k++)
			if (get32(v.p + i + 2 + 4 * k) > UINT16_MAX)
				return 1;
	return 0;
}

/* Write a path as a whole attribute: the value first, then the header. */
static int
aspath_attr(struct ibuf *b, uint8_t flags, uint8_t type, struct bgp_view v,
    int asz, int noconfed)
{
	struct ibuf		*tmp;
	struct seg_writer	 w = { .asz = asz };
	int			 rv = -1;

	if ((tmp = ibuf_dynamic(v.len + 2, UINT16_MAX)) == NULL)
		return -1;
	w.b = tmp;
	if (seg_copy(&w, v, 4, SIZE_MAX, noconfed) != -1)
		rv = bgp_attr_write(b, flags, type, ibuf_seek(tmp, 0,
		    ibuf_size(tmp)), ibuf_size(tmp));
	ibuf_free(tmp);
	return rv;
}

/*
 * Write AS_PATH for a peer from our 4-octet form path4 (checked).  To a
 * peer without the 4-octet AS capability (RFC 6793 §4.2.2): 2-octet ASes
 * with AS_TRANS for the large ones, and then AS4_PATH with the real path
 * without confederation segments, only if some AS needs 4 octets.
 */
int
bgp_aspath_write(struct ibuf *b, struct bgp_view path4, int peer_as4)
{
	if (peer_as4)
		return bgp_attr_write(b, ATTR_WK, BGP_ATTR_AS_PATH, path4.p,
		    path4.len);
	if (aspath_attr(b, ATTR_WK, BGP_ATTR_AS_PATH, path4, 2, 0) == -1)
		return -1;
	if (!aspath_has_as4(path4))
		return 0;
	return aspath_attr(b, ATTR_OPT_TR, BGP_ATTR_AS4_PATH, path4, 4, 1);
}

/*
 * RFC 6793 §4.2.3: rebuild the path from a 2-octet AS_PATH and AS4_PATH
 * (both checked), appending a 4-octet path value to b.  When AS4_PATH is
 * longer than AS_PATH it is ignored; else the leading ASes of AS_PATH
 * that AS4_PATH does not cover are kept (with the confederation segments
 * before them) and AS4_PATH follows.
 */
int
bgp_aspath_merge(struct ibuf *b, struct bgp_view as_path,
    struct bgp_view as4_path)
{
	struct seg_writer	w = { .b = b, .asz = 4 };
	size_t			n = aspath_count(as_path, 2);
	size_t			m = aspath_count(as4_path, 4);

	if (m > n) {
		m = 0;
		as4_path.len = 0;
	}
	if (seg_copy(&w, as_path, 2, n - m, 0) == -1)
		return -1;
	return seg_copy(&w, as4_path, 4, SIZE_MAX, 1) == -1 ? -1 : 0;
}

/*
 * The 4-octet AS path of an UPDATE from a peer without the 4-octet AS
 * capability.  RFC 6793 §4.2.3: with AGGREGATOR and AS4_AGGREGATOR both
 * present and AGGREGATOR's AS not AS_TRANS, AS4_PATH is ignored.
 */
int
bgp_as4_merge(struct ibuf *b, const struct bgp_update *u)
{
	const struct bgp_attr	*path, *path4, *agg, *agg4;
	struct bgp_view		 v4 = { NULL, 0 }, v = { NULL, 0 };

	path = bgp_update_attr(u, BGP_ATTR_AS_PATH);
	path4 = bgp_update_attr(u, BGP_ATTR_AS4_PATH);
	agg = bgp_update_attr(u, BGP_ATTR_AGGREGATOR);
	agg4 = bgp_update_attr(u, BGP_ATTR_AS4_AGGREGATOR);
	if (path != NULL)
		v = path->val;
	if (path4 != NULL)
		v4 = path4->val;
	if (agg != NULL && agg4 != NULL && agg->val.len == 6 &&
	    get16(agg->val.p) != AS_TRANS)
		v4.len = 0;
	return bgp_aspath_merge(b, v, v4);
}
