/*
 * The configuration stream: the parent sends the whole configuration to a
 * child as IMSG_RECONF_CONF, then one item per locator, listen address,
 * VRF and neighbor, then IMSG_RECONF_DONE.  Every field is serialised on
 * its own (host order: both ends share the host); no struct that holds
 * pointers or padding crosses the channel.  The receiver checks each item
 * whole before it touches the pending configuration: its structure (every
 * length, count, string size, address family, prefix length, enum and
 * boolean), not its meaning, which the parser validated.
 *
 * Encodings:
 *	addr	u8 af, then 0 (AF_UNSPEC), 4 or 16 address bytes
 *	prefix	addr, u8 len
 *	string	u16 len, bytes without NUL (ibuf_add_string)
 *	CONF	u32 as, 4 bytes router-id, u16 holdtime, addr encap-source,
 *		4 bytes cluster-id, u8 flags, u8 fib-keep, fib-update (AFS_*),
 *		encap-mode, u16 fib-sync-timeout, u32 rule-priority,
 *		u32 n_networks, then n_networks prefixes
 *	LOCATOR	string name, prefix, u8 block, node, func, arg, announce
 *	LISTEN	addr, u16 port
 *	VRF	string name, u32 table, u64 rd, u8 sid-mode, 16 bytes sid,
 *		string locator, u8 net-flags, u32 n_import, n_export,
 *		n_ifaces, n_networks, then n_import u64, n_export u64,
 *		n_ifaces strings, n_networks prefixes
 *	NEIGHBOR addr, addr local, string descr, group, password,
 *		u32 remote-as, u16 holdtime, u8 flags, u8 afs, u32 id,
 *		u32 max-prefix, u16 max-prefix-restart
 *	FILTER	u8 action, dir, quick, peer, addr peer, string group,
 *		prefix, u8 len-min, len-max, has-community, u32 community,
 *		u8 as-type, u32 as, u8 set, u32 localpref, med, community,
 *		u8 prepend, u32 line; one item per rule, in order
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "srv6d.h"

/* The smallest wire sizes of an interface name and of a prefix. */
#define WIRE_IFACE_MIN		2	/* u16 length, at least one byte */
#define WIRE_PREFIX_MIN		2	/* u8 af, u8 len */

typedef int	(*item_fill)(struct ibuf *, const void *);
typedef int	(*item_recv)(struct srv6d_config *, struct ibuf *);

static int	wire_add_addr(struct ibuf *, const struct srv6d_addr *);
static int	wire_add_prefix(struct ibuf *, const struct srv6d_prefix *);
static int	wire_get_addr(struct ibuf *, struct srv6d_addr *);
static int	wire_get_prefix(struct ibuf *, struct srv6d_prefix *);
static int	wire_get_bool(struct ibuf *, bool *);
static int	send_item(struct imsgbuf *, uint32_t, item_fill, const void *);
static int	fill_conf(struct ibuf *, const void *);
static int	fill_conf_fib(struct ibuf *, const struct srv6d_config *);
static int	fill_locator(struct ibuf *, const void *);
static int	fill_listen(struct ibuf *, const void *);
static int	fill_vrf(struct ibuf *, const void *);
static int	fill_vrf_arrays(struct ibuf *, const struct vrf_config *);
static int	fill_neighbor(struct ibuf *, const void *);
static int	fill_filter(struct ibuf *, const void *);
static int	recv_conf(struct srv6d_config **, struct ibuf *);
static int	recv_locator(struct srv6d_config *, struct ibuf *);
static int	recv_listen(struct srv6d_config *, struct ibuf *);
static int	recv_vrf(struct srv6d_config *, struct ibuf *);
static int	recv_vrf_arrays(struct vrf_config *, struct ibuf *,
		    const uint32_t [4]);
static int	recv_conf_fib(struct srv6d_config *, struct ibuf *);
static int	recv_conf_networks(struct srv6d_config *, struct ibuf *);
static int	recv_neighbor(struct srv6d_config *, struct ibuf *);
static int	recv_filter(struct srv6d_config *, struct ibuf *);
static bool	filter_check(const struct filter_rule *);

/* ------------------------------------------------------------------ */
/* field codecs                                                        */

static int
wire_add_addr(struct ibuf *b, const struct srv6d_addr *a)
{
	if (ibuf_add_u8(b, a->af) == -1)
		return (-1);
	switch (a->af) {
	case AF_UNSPEC:
		return (0);
	case AF_INET:
		return (ibuf_add(b, &a->v4, sizeof(a->v4)));
	case AF_INET6:
		return (ibuf_add(b, &a->v6, sizeof(a->v6)));
	default:
		errno = EINVAL;
		return (-1);
	}
}

static int
wire_add_prefix(struct ibuf *b, const struct srv6d_prefix *p)
{
	if (wire_add_addr(b, &p->addr) == -1)
		return (-1);
	return (ibuf_add_u8(b, p->len));
}

static int
wire_get_addr(struct ibuf *b, struct srv6d_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ibuf_get_u8(b, &a->af) == -1)
		return (-1);
	switch (a->af) {
	case AF_UNSPEC:
		return (0);
	case AF_INET:
		return (ibuf_get(b, &a->v4, sizeof(a->v4)));
	case AF_INET6:
		return (ibuf_get(b, &a->v6, sizeof(a->v6)));
	default:
		errno = EBADMSG;
		return (-1);
	}
}

/* The length must fit the family; an unset prefix has length 0. */
static int
wire_get_prefix(struct ibuf *b, struct srv6d_prefix *p)
{
	uint8_t	max;

	memset(p, 0, sizeof(*p));
	if (wire_get_addr(b, &p->addr) == -1 || ibuf_get_u8(b, &p->len) == -1)
		return (-1);
	max = p->addr.af == AF_INET ? 32 : p->addr.af == AF_INET6 ? 128 : 0;
	if (p->len > max) {
		errno = EBADMSG;
		return (-1);
	}
	return (0);
}

static int
wire_get_bool(struct ibuf *b, bool *v)
{
	uint8_t	u;

	if (ibuf_get_u8(b, &u) == -1)
		return (-1);
	if (u > 1) {
		errno = EBADMSG;
		return (-1);
	}
	*v = u;
	return (0);
}

/* ------------------------------------------------------------------ */
/* sending                                                             */

static int
send_item(struct imsgbuf *ib, uint32_t type, item_fill fill, const void *arg)
{
	struct ibuf	*wb;

	if ((wb = imsg_create(ib, type, 0, 0, 64)) == NULL)
		return (-1);
	if (fill(wb, arg) == -1) {
		ibuf_free(wb);
		return (-1);
	}
	imsg_close(ib, wb);
	return (0);
}

static int
fill_conf(struct ibuf *b, const void *arg)
{
	const struct srv6d_config	*conf = arg;
	size_t				 i;

	if (conf->n_networks > UINT32_MAX) {
		errno = ERANGE;
		return (-1);
	}
	if (ibuf_add_u32(b, conf->as) == -1 ||
	    ibuf_add(b, &conf->router_id, sizeof(conf->router_id)) == -1 ||
	    ibuf_add_u16(b, conf->holdtime) == -1 ||
	    wire_add_addr(b, &conf->encap_source) == -1 ||
	    ibuf_add(b, &conf->cluster_id, sizeof(conf->cluster_id)) == -1 ||
	    ibuf_add_u8(b, conf->flags) == -1 ||
	    fill_conf_fib(b, conf) == -1 ||
	    ibuf_add_u32(b, conf->n_networks) == -1)
		return (-1);
	for (i = 0; i < conf->n_networks; i++)
		if (wire_add_prefix(b, &conf->networks[i]) == -1)
			return (-1);
	return (0);
}

/* The kernel settings (issue 5). */
static int
fill_conf_fib(struct ibuf *b, const struct srv6d_config *conf)
{
	if (ibuf_add_u8(b, conf->fib_keep) == -1 ||
	    ibuf_add_u8(b, conf->fib_update_afs) == -1 ||
	    ibuf_add_u8(b, conf->encap_mode) == -1 ||
	    ibuf_add_u16(b, conf->fib_sync_timeout) == -1 ||
	    ibuf_add_u32(b, conf->rule_priority) == -1)
		return (-1);
	return (0);
}

static int
fill_locator(struct ibuf *b, const void *arg)
{
	const struct locator_config	*loc = arg;

	if (ibuf_add_string(b, loc->name) == -1 ||
	    wire_add_prefix(b, &loc->prefix) == -1 ||
	    ibuf_add_u8(b, loc->block_len) == -1 ||
	    ibuf_add_u8(b, loc->node_len) == -1 ||
	    ibuf_add_u8(b, loc->func_len) == -1 ||
	    ibuf_add_u8(b, loc->arg_len) == -1 ||
	    ibuf_add_u8(b, loc->announce ? 1 : 0) == -1)
		return (-1);
	return (0);
}

static int
fill_listen(struct ibuf *b, const void *arg)
{
	const struct listen_config	*la = arg;

	if (wire_add_addr(b, &la->addr) == -1 ||
	    ibuf_add_u16(b, la->port) == -1)
		return (-1);
	return (0);
}

static int
fill_vrf(struct ibuf *b, const void *arg)
{
	const struct vrf_config	*vrf = arg;

	if (vrf->n_import_rt > UINT32_MAX || vrf->n_export_rt > UINT32_MAX ||
	    vrf->n_ifaces > UINT32_MAX || vrf->n_networks > UINT32_MAX) {
		errno = ERANGE;
		return (-1);
	}
	if (ibuf_add_string(b, vrf->name) == -1 ||
	    ibuf_add_u32(b, vrf->table) == -1 ||
	    ibuf_add_u64(b, vrf->rd) == -1 ||
	    ibuf_add_u8(b, vrf->sid_mode) == -1 ||
	    ibuf_add(b, &vrf->sid, sizeof(vrf->sid)) == -1 ||
	    ibuf_add_string(b, vrf->locator) == -1 ||
	    ibuf_add_u8(b, vrf->net_flags) == -1 ||
	    ibuf_add_u32(b, vrf->n_import_rt) == -1 ||
	    ibuf_add_u32(b, vrf->n_export_rt) == -1 ||
	    ibuf_add_u32(b, vrf->n_ifaces) == -1 ||
	    ibuf_add_u32(b, vrf->n_networks) == -1)
		return (-1);
	return (fill_vrf_arrays(b, vrf));
}

static int
fill_vrf_arrays(struct ibuf *b, const struct vrf_config *vrf)
{
	char	name[IFNAMSIZ];
	size_t	i;

	for (i = 0; i < vrf->n_import_rt; i++)
		if (ibuf_add_u64(b, vrf->import_rt[i]) == -1)
			return (-1);
	for (i = 0; i < vrf->n_export_rt; i++)
		if (ibuf_add_u64(b, vrf->export_rt[i]) == -1)
			return (-1);
	for (i = 0; i < vrf->n_ifaces; i++) {
		/* The slot need not hold a NUL if the name fills it. */
		strlcpy(name, vrf->ifaces[i], sizeof(name));
		if (ibuf_add_string(b, name) == -1)
			return (-1);
	}
	for (i = 0; i < vrf->n_networks; i++)
		if (wire_add_prefix(b, &vrf->networks[i]) == -1)
			return (-1);
	return (0);
}

static int
fill_neighbor(struct ibuf *b, const void *arg)
{
	const struct neighbor_config	*n = arg;

	if (wire_add_addr(b, &n->addr) == -1 ||
	    wire_add_addr(b, &n->local_addr) == -1 ||
	    ibuf_add_string(b, n->descr) == -1 ||
	    ibuf_add_string(b, n->group) == -1 ||
	    ibuf_add_string(b, n->password) == -1 ||
	    ibuf_add_u32(b, n->remote_as) == -1 ||
	    ibuf_add_u16(b, n->holdtime) == -1 ||
	    ibuf_add_u8(b, n->flags) == -1 ||
	    ibuf_add_u8(b, n->afs) == -1 ||
	    ibuf_add_u32(b, n->id) == -1 ||
	    ibuf_add_u32(b, n->max_prefix) == -1 ||
	    ibuf_add_u16(b, n->max_prefix_restart) == -1)
		return (-1);
	return (0);
}

static int
fill_filter(struct ibuf *b, const void *arg)
{
	const struct filter_rule	*r = arg;

	if (ibuf_add_u8(b, r->action) == -1 ||
	    ibuf_add_u8(b, r->dir) == -1 ||
	    ibuf_add_u8(b, r->quick ? 1 : 0) == -1 ||
	    ibuf_add_u8(b, r->peer) == -1 ||
	    wire_add_addr(b, &r->peer_addr) == -1 ||
	    ibuf_add_string(b, r->group) == -1 ||
	    wire_add_prefix(b, &r->prefix) == -1 ||
	    ibuf_add_u8(b, r->len_min) == -1 ||
	    ibuf_add_u8(b, r->len_max) == -1 ||
	    ibuf_add_u8(b, r->has_community ? 1 : 0) == -1 ||
	    ibuf_add_u32(b, r->community) == -1 ||
	    ibuf_add_u8(b, r->as_type) == -1 ||
	    ibuf_add_u32(b, r->as) == -1 ||
	    ibuf_add_u8(b, r->set) == -1 ||
	    ibuf_add_u32(b, r->set_localpref) == -1 ||
	    ibuf_add_u32(b, r->set_med) == -1 ||
	    ibuf_add_u32(b, r->set_community) == -1 ||
	    ibuf_add_u8(b, r->set_prepend) == -1 ||
	    ibuf_add_u32(b, r->line) == -1)
		return (-1);
	return (0);
}

/*
 * Queues the whole configuration on ib; the caller flushes.  -1 with errno
 * (ERANGE: an item does not fit MAX_IMSGSIZE) leaves the items queued so
 * far, which the receiver discards without the final DONE.
 */
int
config_send(struct imsgbuf *ib, const struct srv6d_config *conf)
{
	struct listen_config	*la;
	struct vrf_config	*vrf;
	struct neighbor_config	*n;
	struct filter_rule	*r;
	size_t			 i;

	if (send_item(ib, IMSG_RECONF_CONF, fill_conf, conf) == -1)
		return (-1);
	for (i = 0; i < conf->n_locators; i++)
		if (send_item(ib, IMSG_RECONF_LOCATOR, fill_locator,
		    &conf->locators[i]) == -1)
			return (-1);
	TAILQ_FOREACH(la, &conf->listens, entry)
		if (send_item(ib, IMSG_RECONF_LISTEN, fill_listen, la) == -1)
			return (-1);
	TAILQ_FOREACH(vrf, &conf->vrfs, entry)
		if (send_item(ib, IMSG_RECONF_VRF, fill_vrf, vrf) == -1)
			return (-1);
	TAILQ_FOREACH(n, &conf->neighbors, entry)
		if (send_item(ib, IMSG_RECONF_NEIGHBOR, fill_neighbor,
		    n) == -1)
			return (-1);
	TAILQ_FOREACH(r, &conf->filters, entry)
		if (send_item(ib, IMSG_RECONF_FILTER, fill_filter, r) == -1)
			return (-1);
	return (imsg_compose(ib, IMSG_RECONF_DONE, 0, 0, -1, NULL, 0));
}

/* ------------------------------------------------------------------ */
/* receiving                                                           */

static int
recv_conf(struct srv6d_config **pending, struct ibuf *b)
{
	struct srv6d_config	*conf;

	/* A new CONF abandons whatever unfinished stream came before. */
	config_free(*pending);
	*pending = NULL;
	if ((conf = config_new()) == NULL)
		return (-1);
	if (ibuf_get_u32(b, &conf->as) == -1 ||
	    ibuf_get(b, &conf->router_id, sizeof(conf->router_id)) == -1 ||
	    ibuf_get_u16(b, &conf->holdtime) == -1 ||
	    wire_get_addr(b, &conf->encap_source) == -1 ||
	    ibuf_get(b, &conf->cluster_id, sizeof(conf->cluster_id)) == -1 ||
	    ibuf_get_u8(b, &conf->flags) == -1 ||
	    recv_conf_fib(conf, b) == -1)
		goto bad;
	if ((conf->flags & ~CONF_F_ALWAYS_COMPARE_MED) != 0)
		goto bad;
	if (recv_conf_networks(conf, b) == -1) {
		config_free(conf);
		return (-1);
	}
	if (ibuf_left(b) != 0)
		goto bad;
	*pending = conf;
	return (0);
 bad:
	config_free(conf);
	errno = EBADMSG;
	return (-1);
}

static int
recv_conf_fib(struct srv6d_config *conf, struct ibuf *b)
{
	if (wire_get_bool(b, &conf->fib_keep) == -1 ||
	    ibuf_get_u8(b, &conf->fib_update_afs) == -1 ||
	    ibuf_get_u8(b, &conf->encap_mode) == -1 ||
	    ibuf_get_u16(b, &conf->fib_sync_timeout) == -1 ||
	    ibuf_get_u32(b, &conf->rule_priority) == -1)
		return (-1);
	if ((conf->fib_update_afs & ~FIB_UPDATE_AFS) != 0 ||
	    conf->encap_mode > SRV6_ENCAP_RED) {
		errno = EBADMSG;
		return (-1);
	}
	return (0);
}

/* The count is checked against the bytes left before the allocation. */
static int
recv_conf_networks(struct srv6d_config *conf, struct ibuf *b)
{
	uint32_t	n;

	if (ibuf_get_u32(b, &n) == -1 ||
	    (uint64_t)n * WIRE_PREFIX_MIN > ibuf_left(b)) {
		errno = EBADMSG;
		return (-1);
	}
	if (n > 0 && (conf->networks = calloc(n,
	    sizeof(*conf->networks))) == NULL)
		return (-1);
	for (; conf->n_networks < n; conf->n_networks++)
		if (wire_get_prefix(b,
		    &conf->networks[conf->n_networks]) == -1) {
			errno = EBADMSG;
			return (-1);
		}
	return (0);
}

static int
recv_locator(struct srv6d_config *conf, struct ibuf *b)
{
	struct locator_config	loc;

	memset(&loc, 0, sizeof(loc));
	if (ibuf_get_string(b, loc.name, sizeof(loc.name)) == -1 ||
	    wire_get_prefix(b, &loc.prefix) == -1 ||
	    ibuf_get_u8(b, &loc.block_len) == -1 ||
	    ibuf_get_u8(b, &loc.node_len) == -1 ||
	    ibuf_get_u8(b, &loc.func_len) == -1 ||
	    ibuf_get_u8(b, &loc.arg_len) == -1 ||
	    wire_get_bool(b, &loc.announce) == -1)
		goto bad;
	if (ibuf_left(b) != 0)
		goto bad;
	return (config_add_locator(conf, &loc));
 bad:
	errno = EBADMSG;
	return (-1);
}

static int
recv_listen(struct srv6d_config *conf, struct ibuf *b)
{
	struct srv6d_addr	addr;
	uint16_t		port;

	if (wire_get_addr(b, &addr) == -1 || ibuf_get_u16(b, &port) == -1 ||
	    ibuf_left(b) != 0) {
		errno = EBADMSG;
		return (-1);
	}
	return (config_add_listen(conf, &addr, port));
}

static int
recv_vrf(struct srv6d_config *conf, struct ibuf *b)
{
	struct vrf_config	*vrf;
	uint32_t		 counts[4];
	uint8_t			 mode;

	if ((vrf = vrf_config_new()) == NULL)
		return (-1);
	if (ibuf_get_string(b, vrf->name, sizeof(vrf->name)) == -1 ||
	    ibuf_get_u32(b, &vrf->table) == -1 ||
	    ibuf_get_u64(b, &vrf->rd) == -1 ||
	    ibuf_get_u8(b, &mode) == -1 ||
	    ibuf_get(b, &vrf->sid, sizeof(vrf->sid)) == -1 ||
	    ibuf_get_string(b, vrf->locator, sizeof(vrf->locator)) == -1 ||
	    ibuf_get_u8(b, &vrf->net_flags) == -1 ||
	    ibuf_get_u32(b, &counts[0]) == -1 ||
	    ibuf_get_u32(b, &counts[1]) == -1 ||
	    ibuf_get_u32(b, &counts[2]) == -1 ||
	    ibuf_get_u32(b, &counts[3]) == -1)
		goto bad;
	if (mode > VRF_SID_EXPLICIT)
		goto bad;
	vrf->sid_mode = mode;
	if (recv_vrf_arrays(vrf, b, counts) == -1) {
		vrf_config_free(vrf);
		return (-1);
	}
	if (ibuf_left(b) != 0)
		goto bad;
	TAILQ_INSERT_TAIL(&conf->vrfs, vrf, entry);
	return (0);
 bad:
	vrf_config_free(vrf);
	errno = EBADMSG;
	return (-1);
}

/*
 * The counts are checked against the bytes left before anything is
 * allocated, so a corrupt count cannot make us allocate gigabytes.
 */
static int
recv_vrf_arrays(struct vrf_config *vrf, struct ibuf *b,
    const uint32_t counts[4])
{
	uint64_t	need;
	size_t		i;

	need = (uint64_t)counts[0] * sizeof(uint64_t) +
	    (uint64_t)counts[1] * sizeof(uint64_t) +
	    (uint64_t)counts[2] * WIRE_IFACE_MIN +
	    (uint64_t)counts[3] * WIRE_PREFIX_MIN;
	if (need > ibuf_left(b)) {
		errno = EBADMSG;
		return (-1);
	}
	if ((counts[0] && (vrf->import_rt =
	    calloc(counts[0], sizeof(*vrf->import_rt))) == NULL) ||
	    (counts[1] && (vrf->export_rt =
	    calloc(counts[1], sizeof(*vrf->export_rt))) == NULL) ||
	    (counts[2] && (vrf->ifaces =
	    calloc(counts[2], sizeof(*vrf->ifaces))) == NULL) ||
	    (counts[3] && (vrf->networks =
	    calloc(counts[3], sizeof(*vrf->networks))) == NULL))
		return (-1);
	for (; vrf->n_import_rt < counts[0]; vrf->n_import_rt++)
		if (ibuf_get_u64(b, &vrf->import_rt[vrf->n_import_rt]) == -1)
			return (-1);
	for (; vrf->n_export_rt < counts[1]; vrf->n_export_rt++)
		if (ibuf_get_u64(b, &vrf->export_rt[vrf->n_export_rt]) == -1)
			return (-1);
	for (i = 0; i < counts[2]; i++, vrf->n_ifaces++)
		if (ibuf_get_string(b, vrf->ifaces[i], IFNAMSIZ) == -1)
			return (-1);
	for (i = 0; i < counts[3]; i++, vrf->n_networks++)
		if (wire_get_prefix(b, &vrf->networks[i]) == -1)
			return (-1);
	return (0);
}

static int
recv_neighbor(struct srv6d_config *conf, struct ibuf *b)
{
	struct neighbor_config	*n;

	if ((n = neighbor_config_new()) == NULL)
		return (-1);
	if (wire_get_addr(b, &n->addr) == -1 ||
	    wire_get_addr(b, &n->local_addr) == -1 ||
	    ibuf_get_string(b, n->descr, sizeof(n->descr)) == -1 ||
	    ibuf_get_string(b, n->group, sizeof(n->group)) == -1 ||
	    ibuf_get_string(b, n->password, sizeof(n->password)) == -1 ||
	    ibuf_get_u32(b, &n->remote_as) == -1 ||
	    ibuf_get_u16(b, &n->holdtime) == -1 ||
	    ibuf_get_u8(b, &n->flags) == -1 ||
	    ibuf_get_u8(b, &n->afs) == -1 ||
	    ibuf_get_u32(b, &n->id) == -1 ||
	    ibuf_get_u32(b, &n->max_prefix) == -1 ||
	    ibuf_get_u16(b, &n->max_prefix_restart) == -1)
		goto bad;
	if (ibuf_left(b) != 0)
		goto bad;
	TAILQ_INSERT_TAIL(&conf->neighbors, n, entry);
	return (0);
 bad:
	neighbor_config_free(n);
	errno = EBADMSG;
	return (-1);
}

static uint8_t
af_maxlen(uint8_t af)
{
	return (af == AF_INET ? 32 : af == AF_INET6 ? 128 : 0);
}

/*
 * The form of a rule: the values the parser would have produced.  A rule
 * the RDE cannot evaluate must not get into its configuration.
 */
static bool
filter_check(const struct filter_rule *r)
{
	uint8_t	max = af_maxlen(r->prefix.addr.af);

	if ((r->peer == FILTER_PEER_ADDR) != (r->peer_addr.af != AF_UNSPEC))
		return (false);
	if ((r->peer == FILTER_PEER_GROUP) != (r->group[0] != '\0'))
		return (false);
	if (r->len_max != 0 && (r->len_min < r->prefix.len ||
	    r->len_min > r->len_max || r->len_max > max))
		return (false);
	if (r->len_max == 0 && r->len_min != 0)
		return (false);
	if ((r->set & ~(FILTER_SET_LOCALPREF | FILTER_SET_MED |
	    FILTER_SET_COMMUNITY | FILTER_SET_PREPEND |
	    FILTER_SET_NEXTHOP_SELF)) != 0)
		return (false);
	if ((r->set & FILTER_SET_PREPEND) &&
	    (r->set_prepend < 1 || r->set_prepend > FILTER_PREPEND_MAX))
		return (false);
	return (true);
}

static int
recv_filter(struct srv6d_config *conf, struct ibuf *b)
{
	struct filter_rule	*r;
	uint8_t			 action, dir, peer, as_type;

	if ((r = filter_rule_new()) == NULL)
		return (-1);
	if (ibuf_get_u8(b, &action) == -1 ||
	    ibuf_get_u8(b, &dir) == -1 ||
	    wire_get_bool(b, &r->quick) == -1 ||
	    ibuf_get_u8(b, &peer) == -1 ||
	    wire_get_addr(b, &r->peer_addr) == -1 ||
	    ibuf_get_string(b, r->group, sizeof(r->group)) == -1 ||
	    wire_get_prefix(b, &r->prefix) == -1 ||
	    ibuf_get_u8(b, &r->len_min) == -1 ||
	    ibuf_get_u8(b, &r->len_max) == -1 ||
	    wire_get_bool(b, &r->has_community) == -1 ||
	    ibuf_get_u32(b, &r->community) == -1 ||
	    ibuf_get_u8(b, &as_type) == -1 ||
	    ibuf_get_u32(b, &r->as) == -1 ||
	    ibuf_get_u8(b, &r->set) == -1 ||
	    ibuf_get_u32(b, &r->set_localpref) == -1 ||
	    ibuf_get_u32(b, &r->set_med) == -1 ||
	    ibuf_get_u32(b, &r->set_community) == -1 ||
	    ibuf_get_u8(b, &r->set_prepend) == -1 ||
	    ibuf_get_u32(b, &r->line) == -1 ||
	    ibuf_left(b) != 0)
		goto bad;
	/* Range-check the raw bytes before they become enum values. */
	if (action > FILTER_MATCH || dir > FILTER_OUT ||
	    peer > FILTER_PEER_IBGP || as_type > FILTER_AS_PEER)
		goto bad;
	r->action = action;
	r->dir = dir;
	r->peer = peer;
	r->as_type = as_type;
	if (!filter_check(r))
		goto bad;
	TAILQ_INSERT_TAIL(&conf->filters, r, entry);
	return (0);
 bad:
	filter_rule_free(r);
	errno = EBADMSG;
	return (-1);
}

/*
 * Applies one IMSG_RECONF_* item (but DONE, which the caller handles) to
 * *pending.  CONF starts a fresh *pending; any other item needs one.
 * Returns 0, or -1 with errno: EBADMSG for a malformed item or one out of
 * order (*pending is then unchanged, except that a bad CONF leaves it
 * NULL), ENOMEM, or EINVAL for a type that is not a configuration item.
 */
int
config_recv(struct srv6d_config **pending, struct imsg *imsg)
{
	static const struct {
		uint32_t	type;
		item_recv	fn;
	} items[] = {
		{ IMSG_RECONF_LOCATOR,	recv_locator },
		{ IMSG_RECONF_LISTEN,	recv_listen },
		{ IMSG_RECONF_VRF,	recv_vrf },
		{ IMSG_RECONF_NEIGHBOR,	recv_neighbor },
		{ IMSG_RECONF_FILTER,	recv_filter },
	};
	size_t	i;

	if (imsg->hdr.type == IMSG_RECONF_CONF)
		return (recv_conf(pending, &imsg->buf));
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (imsg->hdr.type != items[i].type)
			continue;
		if (*pending == NULL) {
			errno = EBADMSG;
			return (-1);
		}
		return (items[i].fn(*pending, &imsg->buf));
	}
	errno = EINVAL;
	return (-1);
}

/*
 * A child's side of the stream: every IMSG_RECONF_* from the parent goes
 * through here, so a new item type is added in one place.  Items collect
 * into *pending; ABORT drops it.  Returns CONFIG_STREAM_DONE when the
 * stream is complete (the caller swaps *pending in and acks), ITEM or ABORT
 * when the imsg was consumed, OTHER when it is not part of the stream.
 * The parent is trusted to speak the protocol: anything malformed is fatal.
 */
enum config_stream
config_stream(struct srv6d_config **pending, struct imsg *imsg)
{
	switch (imsg->hdr.type) {
	case IMSG_RECONF_CONF:
	case IMSG_RECONF_LOCATOR:
	case IMSG_RECONF_LISTEN:
	case IMSG_RECONF_VRF:
	case IMSG_RECONF_NEIGHBOR:
	case IMSG_RECONF_FILTER:
		if (config_recv(pending, imsg) == -1)
			fatal("config imsg %u from parent", imsg->hdr.type);
		return CONFIG_STREAM_ITEM;
	case IMSG_RECONF_DONE:
		if (imsg_get_len(imsg) != 0 || *pending == NULL)
			fatalx("bad config done imsg from parent");
		return CONFIG_STREAM_DONE;
	case IMSG_RECONF_ABORT:
		config_free(*pending);
		*pending = NULL;
		return CONFIG_STREAM_ABORT;
	default:
		return CONFIG_STREAM_OTHER;
	}
}
