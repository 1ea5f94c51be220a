/*
 * Names and text forms shared by srv6ctl's text and JSON printers:
 * NOTIFICATION codes, capabilities, message types, communities, AS paths,
 * origins, and escaping of strings that came from a peer.
 */
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

struct code_name {
	uint8_t		 code;
	uint8_t		 subcode;
	const char	*name;
};

/*
 * RFC 4271 §4.5 and §6 codes and subcodes, with RFC 5492 (capability),
 * RFC 6608 (FSM), RFC 4486 / 8538 / 9384 (Cease) and RFC 7313
 * (ROUTE-REFRESH) additions.  Subcode 0 names the code itself.
 */
static const struct code_name notify_names[] = {
	{ 1, 0, "Message Header Error" },
	{ 1, 1, "Connection Not Synchronized" },
	{ 1, 2, "Bad Message Length" },
	{ 1, 3, "Bad Message Type" },
	{ 2, 0, "OPEN Message Error" },
	{ 2, 1, "Unsupported Version Number" },
	{ 2, 2, "Bad Peer AS" },
	{ 2, 3, "Bad BGP Identifier" },
	{ 2, 4, "Unsupported Optional Parameter" },
	{ 2, 6, "Unacceptable Hold Time" },
	{ 2, 7, "Unsupported Capability" },
	{ 3, 0, "UPDATE Message Error" },
	{ 3, 1, "Malformed Attribute List" },
	{ 3, 2, "Unrecognized Well-known Attribute" },
	{ 3, 3, "Missing Well-known Attribute" },
	{ 3, 4, "Attribute Flags Error" },
	{ 3, 5, "Attribute Length Error" },
	{ 3, 6, "Invalid ORIGIN Attribute" },
	{ 3, 8, "Invalid NEXT_HOP Attribute" },
	{ 3, 9, "Optional Attribute Error" },
	{ 3, 10, "Invalid Network Field" },
	{ 3, 11, "Malformed AS_PATH" },
	{ 4, 0, "Hold Timer Expired" },
	{ 5, 0, "Finite State Machine Error" },
	{ 5, 1, "Unexpected Message in OpenSent" },
	{ 5, 2, "Unexpected Message in OpenConfirm" },
	{ 5, 3, "Unexpected Message in Established" },
	{ 6, 0, "Cease" },
	{ 6, 1, "Maximum Number of Prefixes Reached" },
	{ 6, 2, "Administrative Shutdown" },
	{ 6, 3, "Peer De-configured" },
	{ 6, 4, "Administrative Reset" },
	{ 6, 5, "Connection Rejected" },
	{ 6, 6, "Other Configuration Change" },
	{ 6, 7, "Connection Collision Resolution" },
	{ 6, 8, "Out of Resources" },
	{ 6, 9, "Hard Reset" },
	{ 6, 10, "BFD Down" },
	{ 7, 0, "ROUTE-REFRESH Message Error" },
	{ 7, 1, "Invalid Message Length" },
};

static const char *
notify_lookup(uint8_t code, uint8_t subcode)
{
	size_t	i;

	for (i = 0; i < sizeof(notify_names) / sizeof(notify_names[0]); i++)
		if (notify_names[i].code == code &&
		    notify_names[i].subcode == subcode)
			return notify_names[i].name;
	return NULL;
}

/* The code's name, or NULL for a code no RFC we know defines. */
const char *
notify_code_name(uint8_t code)
{
	return notify_lookup(code, 0);
}

/* The subcode's name; NULL for 0 (unspecific) and unknown ones. */
const char *
notify_subcode_name(uint8_t code, uint8_t subcode)
{
	if (subcode == 0)
		return NULL;
	return notify_lookup(code, subcode);
}

/* "Cease, Administrative Shutdown", "Cease, subcode 42", "code 9/1". */
const char *
fmt_notify(uint8_t code, uint8_t subcode)
{
	static char	 buf[96];
	const char	*c = notify_code_name(code), *s;

	if (c == NULL) {
		snprintf(buf, sizeof(buf), "code %u, subcode %u", code,
		    subcode);
		return buf;
	}
	if (subcode == 0)
		snprintf(buf, sizeof(buf), "%s", c);
	else if ((s = notify_subcode_name(code, subcode)) != NULL)
		snprintf(buf, sizeof(buf), "%s, %s", c, s);
	else
		snprintf(buf, sizeof(buf), "%s, subcode %u", c, subcode);
	return buf;
}

static const struct {
	uint16_t	 flag;
	const char	*name;
} capa_names[] = {
	{ CAPA_AS4,			"4-octet AS" },
	{ CAPA_REFRESH,			"route refresh" },
	{ CAPA_ENHANCED_REFRESH,	"enhanced route refresh" },
	{ CAPA_EXT_MESSAGE,		"extended message" },
	{ CAPA_GRACEFUL_RESTART,	"graceful restart" },
};

/* Name of the i-th capability bit, NULL past the last. */
const char *
capa_name(size_t i, uint16_t *flag)
{
	if (i >= sizeof(capa_names) / sizeof(capa_names[0]))
		return NULL;
	*flag = capa_names[i].flag;
	return capa_names[i].name;
}

/* BGP message types 1 to 5 (RFC 4271 §4.1, RFC 2918 §3). */
const char *
msg_type_name(size_t type)
{
	static const char	*names[] = { NULL, "open", "update",
	    "notification", "keepalive", "route-refresh" };

	if (type == 0 || type >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[type];
}

const char *
origin_name(uint8_t origin)
{
	static const char	*names[] = { "IGP", "EGP", "incomplete" };

	if (origin >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[origin];
}

char
origin_char(uint8_t origin)
{
	static const char	chars[] = "ie?";

	if (origin >= sizeof(chars) - 1)
		return '-';
	return chars[origin];
}

/* Well-known communities: RFC 1997, 3765, 7611, 7999, 8326, LLGR. */
static const struct {
	uint32_t	 value;
	const char	*name;
} community_names[] = {
	{ 0xffff0000, "GRACEFUL_SHUTDOWN" },
	{ 0xffff0001, "ACCEPT_OWN" },
	{ 0xffff0006, "LLGR_STALE" },
	{ 0xffff0007, "NO_LLGR" },
	{ 0xffff029a, "BLACKHOLE" },
	{ 0xffffff01, "NO_EXPORT" },
	{ 0xffffff02, "NO_ADVERTISE" },
	{ 0xffffff03, "NO_EXPORT_SUBCONFED" },
	{ 0xffffff04, "NOPEER" },
};

/* "65000:1", or the well-known name. */
const char *
fmt_community(uint32_t c)
{
	static char	buf[24];
	size_t		i;

	for (i = 0; i < sizeof(community_names) /
	    sizeof(community_names[0]); i++)
		if (community_names[i].value == c)
			return community_names[i].name;
	snprintf(buf, sizeof(buf), "%u:%u", c >> 16, c & 0xffff);
	return buf;
}

const char *
fmt_large_community(const uint32_t *lc)
{
	static char	buf[40];

	snprintf(buf, sizeof(buf), "%u:%u:%u", lc[0], lc[1], lc[2]);
	return buf;
}

/*
 * Route targets and route origins (RFC 4360 §5, RFC 5668: transitive
 * types 0x00, 0x01, 0x02, subtypes 0x02 and 0x03) by their value, any
 * other extended community as its eight bytes in hex.
 */
const char *
fmt_ext_community(ext_community_t ec)
{
	static char	 buf[48];
	uint8_t		 type = ec >> 56, subtype = ec >> 48;
	const char	*kind;

	if (type <= 0x02 && (subtype == 0x02 || subtype == 0x03)) {
		kind = subtype == 0x02 ? "rt" : "soo";
		/* rt2str knows the layouts by the route-target subtype */
		ec = (ec & ~(UINT64_C(0xff) << 48)) | UINT64_C(0x02) << 48;
		snprintf(buf, sizeof(buf), "%s %s", kind, rt2str(ec));
	} else
		snprintf(buf, sizeof(buf), "0x%016" PRIx64, ec);
	return buf;
}

const char *
aspath_segment_name(uint16_t type)
{
	static const char	*names[] = { NULL, "AS_SET", "AS_SEQUENCE",
	    "AS_CONFED_SEQUENCE", "AS_CONFED_SET" };

	if (type == 0 || type >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[type];
}

/*
 * The AS path as bgpctl shows it: a sequence as numbers, a set in
 * braces, a confederation sequence in parentheses and a confederation
 * set in brackets.  The words were checked by ctl_decode_rib.
 */
void
aspath_print(FILE *fp, const uint32_t *words, size_t n)
{
	static const char	*open[] = { "", "{ ", "", "( ", "[ " };
	static const char	*close[] = { "", " }", "", " )", " ]" };
	size_t			 i = 0, j, count;
	uint16_t		 type;
	int			 first = 1;

	while (i < n) {
		type = words[i] >> 16;
		count = words[i] & 0xffff;
		i++;
		if (count == 0 || type > 4)
			continue;
		fprintf(fp, "%s%s", first ? "" : " ", open[type]);
		for (j = 0; j < count && i < n; j++, i++)
			fprintf(fp, "%s%u", j > 0 ? " " : "", words[i]);
		fputs(close[type], fp);
		first = 0;
	}
}

/*
 * Text from a peer made safe for a terminal and for quoting: printable
 * ASCII and valid UTF-8 (except C1 controls) as they are, a backslash or
 * double quote behind a backslash, anything else as \n, \t or \xHH.
 * The result is cut to fit its buffer.
 */
const char *
fmt_escape(const char *str)
{
	static char		 buf[4 * 256 + 1];
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 o = 0, n;

	while (*s != '\0' && o + 5 < sizeof(buf)) {
		if (*s >= 0x20 && *s < 0x7f) {
			if (*s == '\\' || *s == '"')
				buf[o++] = '\\';
			buf[o++] = *s++;
		} else if ((n = json_utf8_len(s)) > 0 &&
		    !(s[0] == 0xc2 && s[1] < 0xa0) && o + n < sizeof(buf)) {
			memcpy(buf + o, s, n);
			o += n;
			s += n;
		} else if (*s == '\n' || *s == '\t') {
			buf[o++] = '\\';
			buf[o++] = *s++ == '\n' ? 'n' : 't';
		} else
			o += snprintf(buf + o, sizeof(buf) - o, "\\x%02x",
			    *s++);
	}
	buf[o] = '\0';
	return buf;
}

/*
 * SRv6 endpoint behaviours (IANA "SRv6 Endpoint Behaviors", RFC 8986
 * §10.2, RFC 9800 for the uSID ones).  srv6ctl sees only the wire
 * header, so it keeps its own copy of the codes.
 */
static const struct {
	uint16_t	 code;
	const char	*name;
} behavior_names[] = {
	{ 1, "End" },
	{ 5, "End.X" },
	{ 16, "End.DX6" },
	{ 17, "End.DX4" },
	{ 18, "End.DT6" },
	{ 19, "End.DT4" },
	{ 20, "End.DT46" },
	{ 43, "uN" },
	{ 60, "uDX6" },
	{ 61, "uDX4" },
	{ 62, "uDT6" },
	{ 63, "uDT4" },
	{ 64, "uDT46" },
	{ 0xffff, "opaque" },
};

#define BEHAVIOR_OPAQUE		0xffff
#define BEHAVIOR_END_DT6	18
#define BEHAVIOR_END_DT4	19

/* The behaviour's name, NULL for a code we do not know. */
const char *
behavior_name(uint16_t code)
{
	size_t	i;

	for (i = 0; i < sizeof(behavior_names) / sizeof(behavior_names[0]);
	    i++)
		if (behavior_names[i].code == code)
			return behavior_names[i].name;
	return NULL;
}

/*
 * What an opaque behaviour (0xffff, as FRR 8.4 sends) stands for: the
 * per-VRF decapsulation of the route's family, End.DT4 or End.DT6 (as
 * srv6d infers it, SRV6.md); any other code is itself.
 */
uint16_t
behavior_infer(uint16_t code, uint8_t af)
{
	if (code != BEHAVIOR_OPAQUE)
		return code;
	return af == AF_INET ? BEHAVIOR_END_DT4 : BEHAVIOR_END_DT6;
}

/* "End.DT4", "opaque (End.DT4)" for 0xffff, "unknown (77)". */
const char *
fmt_behavior(uint16_t code, uint8_t af)
{
	static char	 buf[48];
	const char	*name = behavior_name(code);

	if (name == NULL)
		snprintf(buf, sizeof(buf), "unknown (%u)", code);
	else if (code == BEHAVIOR_OPAQUE)
		snprintf(buf, sizeof(buf), "%s (%s)", name,
		    behavior_name(behavior_infer(code, af)));
	else
		snprintf(buf, sizeof(buf), "%s", name);
	return buf;
}

const char *
fmt_sid(const struct in6_addr *sid)
{
	static char	buf[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, sid, buf, sizeof(buf)) == NULL)
		strlcpy(buf, "?", sizeof(buf));
	return buf;
}

/* Whether a SID structure (LBL LNL FL AL TL TO) was received: not all 0. */
int
structure_present(const uint8_t *st)
{
	size_t	i;

	for (i = 0; i < 6; i++)
		if (st[i] != 0)
			return 1;
	return 0;
}

/*
 * RFC 9252 §3.2.1 SID structure: "40/24/16/0" (block, node, function,
 * argument bits) and, with a transposition, where it came from.
 */
const char *
fmt_structure(const uint8_t *st)
{
	static char	buf[80];
	int		n;

	n = snprintf(buf, sizeof(buf), "%u/%u/%u/%u", st[0], st[1], st[2],
	    st[3]);
	if (st[4] != 0 && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, ", transposed %u bits at "
		    "%u", st[4], st[5]);
	return buf;
}

/* The family a local SID decapsulates: "ipv4", "ipv6" or "both". */
const char *
sid_af_name(uint8_t af)
{
	return af == AF_INET ? "ipv4" : af == AF_INET6 ? "ipv6" : "both";
}

/* An errno's symbolic name ("EEXIST"), or "errno N" if libc has none. */
const char *
errno_name(int error)
{
	static char	 buf[24];
	const char	*name;

	if ((name = strerrorname_np(error)) != NULL)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", error);
	return buf;
}
