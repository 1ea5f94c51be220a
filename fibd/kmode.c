/*
 * kmode.c: which kernel mode srv6d runs in (DESIGN.md "Kernel modes").
 * The kernel has VRF devices if it lets us make one: the parent creates a
 * VRF device with a name of its own and deletes it at once.  A kernel
 * without CONFIG_NET_VRF refuses the link kind ("Unknown device type",
 * EOPNOTSUPP); then each VRF is a table with rules, IPv6 decapsulates
 * with End.DT6 `table' and IPv4 with End.DX4 per CE.
 * On a kernel with VRF devices the probe leaves the l3mdev rule (pref
 * 1000) that the first VRF device of a namespace adds; VRF mode needs it.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fib.h"
#include "log.h"

/* A table no VRF of ours uses: the probe device is never up anyway. */
#define KMODE_PROBE_TABLE	0x7ffffff0u
#define KMODE_TIMEOUT_SEC	5

int
kmode_parse(const char *s, enum kernel_mode *m)
{
	if (s == NULL || strcmp(s, "auto") == 0 || *s == '\0')
		*m = KERNEL_MODE_UNKNOWN;
	else if (strcmp(s, "vrf") == 0)
		*m = KERNEL_MODE_VRF;
	else if (strcmp(s, "table") == 0)
		*m = KERNEL_MODE_TABLE;
	else
		return -1;
	return 0;
}

const char *
kmode_describe(enum kernel_mode m)
{
	switch (m) {
	case KERNEL_MODE_VRF:
		return "VRF devices, End.DT4/DT6/DT46 vrftable";
	case KERNEL_MODE_TABLE:
		return "no VRF devices: IPv4 decapsulation with End.DX4 per CE, "
		    "IPv6 with End.DT6 table";
	default:
		return "not known";
	}
}

/* ------------------------------------------------------------------ */
/* one netlink request and its ACK                                     */

/* NLMSGERR_ATTR_MSG of an extended ACK (NETLINK_EXT_ACK). */
static int
kmode_extack_attr(const struct nlattr *a, void *arg)
{
	const char	**msg = arg;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* The error of an NLMSG_ERROR (0: an ACK), its text into msg. */
static int
kmode_ack(const struct nlmsghdr *nlh, char *msg, size_t msglen)
{
	const struct nlmsgerr	*e;
	const char		*text = NULL;
	size_t			 off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, off, kmode_extack_attr, &text);
	}
	if (text != NULL && msglen > 0)
		snprintf(msg, msglen, "%s", text);
	return -e->error;
}

/*
 * Send nlh and wait for its ACK: 0, or the errno the kernel (or the
 * socket) gave, with the kernel's extended ACK text in msg if any.
 */
static int
kmode_request(struct mnl_socket *nl, struct nlmsghdr *nlh, char *msg,
    size_t msglen)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsghdr	*r;
	uint32_t		 seq = nlh->nlmsg_seq;
	ssize_t			 n;
	int			 len;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		return errno;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) == -1)
			return errno == EAGAIN ? ETIMEDOUT : errno;
		len = (int)n;
		for (r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, len);
		    r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq || r->nlmsg_type != NLMSG_ERROR)
				continue;
			return kmode_ack(r, msg, msglen);
		}
	}
}

static struct mnl_socket *
kmode_socket(void)
{
	struct mnl_socket	*nl;
	struct timeval		 tv = { KMODE_TIMEOUT_SEC, 0 };
	int			 on = 1;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL)
		return NULL;
	/* Best effort: without extended ACKs only the text is lost. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &on, sizeof(on));
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* RTM_NEWLINK of kind vrf (create only) or RTM_DELLINK, by name. */
static int
kmode_link(struct mnl_socket *nl, uint16_t type, const char *name,
    uint32_t seq, char *msg, size_t msglen)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct ifinfomsg *ifi;
	struct nlattr	*info, *data;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWLINK)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (type == RTM_NEWLINK) {
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vrf");
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_VRF_TABLE, KMODE_PROBE_TABLE);
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, info);
	}
	return kmode_request(nl, nlh, msg, msglen);
}

/* Make the probe device; one left by an earlier process goes first. */
static int
kmode_probe_create(struct mnl_socket *nl, const char *name, uint32_t *seq,
    char *msg, size_t msglen)
{
	char	 dmsg[128] = "";
	int	 err;

	err = kmode_link(nl, RTM_NEWLINK, name, ++*seq, msg, msglen);
	if (err != EEXIST)
		return err;
	if ((err = kmode_link(nl, RTM_DELLINK, name, ++*seq, dmsg,
	    sizeof(dmsg))) != 0) {
		snprintf(msg, msglen, "%s exists and cannot be deleted: %s%s%s",
		    name, strerror(err), dmsg[0] != '\0' ? ": " : "", dmsg);
		return EEXIST;
	}
	msg[0] = '\0';
	return kmode_link(nl, RTM_NEWLINK, name, ++*seq, msg, msglen);
}

enum kernel_mode
kmode_probe(int *errp, char *msg, size_t msglen)
{
	struct mnl_socket	*nl;
	char			 name[IFNAMSIZ], dmsg[128] = "";
	uint32_t		 seq = (uint32_t)time(NULL);
	int			 err;

	if (msglen > 0)
		msg[0] = '\0';
	if ((nl = kmode_socket()) == NULL) {
		*errp = errno;
		snprintf(msg, msglen, "netlink socket");
		return KERNEL_MODE_TABLE;
	}
	snprintf(name, sizeof(name), "srv6d-p%d", (int)getpid());
	err = kmode_probe_create(nl, name, &seq, msg, msglen);
	if (err == 0 && (err = kmode_link(nl, RTM_DELLINK, name, ++seq, dmsg,
	    sizeof(dmsg))) != 0) {
		errno = err;
		log_warn("kernel mode probe: cannot delete VRF device %s%s%s",
		    name, dmsg[0] != '\0' ? ": " : "", dmsg);
	}
	mnl_socket_close(nl);
	*errp = err;
	return err == 0 ? KERNEL_MODE_VRF : KERNEL_MODE_TABLE;
}

enum kernel_mode
kmode_detect(enum kernel_mode forced)
{
	enum kernel_mode	 m;
	char			 msg[256];
	int			 err;

	if (forced != KERNEL_MODE_UNKNOWN) {
		log_info("kernel mode: %s (%s; set by %s, not probed)",
		    kernel_mode_name(forced), kmode_describe(forced),
		    KMODE_ENV);
		return forced;
	}
	m = kmode_probe(&err, msg, sizeof(msg));
	if (m == KERNEL_MODE_VRF) {
		log_info("kernel mode: vrf (%s)", kmode_describe(m));
		return m;
	}
	/*
	 * EOPNOTSUPP is the kernel saying it has no such link kind; anything
	 * else (no privilege, no netlink) leaves the question open, and the
	 * table mode is the one that works on every kernel we support.
	 */
	if (err != EOPNOTSUPP)
		log_warnx("kernel mode probe failed, assuming no VRF devices: "
		    "%s%s%s", strerror(err), msg[0] != '\0' ? ": " : "", msg);
	log_info("kernel mode: table (%s; VRF device probe: %s%s%s)",
	    kmode_describe(m), strerror(err), msg[0] != '\0' ? ": " : "", msg);
	return m;
}
