/*
 * config.c and config_imsg.c: configuration memory, the reload equality
 * tests, and the IMSG_RECONF_* stream over a real socketpair, including
 * every truncation of every item and hand-made malformed items.  Filter
 * rules, global networks and neighbor ids cross too.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "srv6d.h"
#include "helpers.h"

#define MAX_MSGS	32

/* A received item, kept to be replayed (cut, patched) later. */
struct raw_msg {
	uint32_t	 type;
	uint8_t		*data;
	size_t		 len;
};

struct stream {
	struct raw_msg	msgs[MAX_MSGS];
	int		nmsgs;
};

static void
add_locator(struct srv6d_config *conf, const char *name, const char *pfx,
    uint8_t block, uint8_t node, uint8_t func, uint8_t arg, bool announce)
{
	struct locator_config	loc;

	memset(&loc, 0, sizeof(loc));
	strlcpy(loc.name, name, sizeof(loc.name));
	loc.prefix = P(pfx);
	loc.block_len = block;
	loc.node_len = node;
	loc.func_len = func;
	loc.arg_len = arg;
	loc.announce = announce;
	assert_int_equal(config_add_locator(conf, &loc), 0);
}

static struct vrf_config *
add_vrf(struct srv6d_config *conf, const char *name, uint32_t table,
    const char *rd)
{
	struct vrf_config	*vrf;

	assert_non_null(vrf = vrf_config_new());
	strlcpy(vrf->name, name, sizeof(vrf->name));
	vrf->table = table;
	assert_int_equal(str2rd(rd, &vrf->rd), 0);
	TAILQ_INSERT_TAIL(&conf->vrfs, vrf, entry);
	return (vrf);
}

static void
add_vrfs(struct srv6d_config *conf)
{
	struct vrf_config	*vrf;
	struct srv6d_prefix	 p;

	vrf = add_vrf(conf, "vrf0", 10, "65001:10");
	vrf->sid_mode = VRF_SID_AUTO;
	strlcpy(vrf->locator, "main", sizeof(vrf->locator));
	vrf->net_flags = VRF_NET_CONNECTED | VRF_NET_KERNEL;
	assert_int_equal(vrf_add_import_rt(vrf, RT("65000:10")), 0);
	assert_int_equal(vrf_add_import_rt(vrf, RT("192.0.2.9:10")), 0);
	assert_int_equal(vrf_add_import_rt(vrf, RT("4200000000:10")), 0);
	assert_int_equal(vrf_add_export_rt(vrf, RT("65001:10")), 0);
	assert_int_equal(vrf_add_export_rt(vrf, RT("65001:4294967295")), 0);
	assert_int_equal(vrf_add_iface(vrf, "veth-pod1"), 0);
	assert_int_equal(vrf_add_iface(vrf, "abcdefghijklmno"), 0);
	assert_int_equal(vrf_add_iface(vrf, "eth2"), 0);
	p = P("10.200.0.0/24");
	assert_int_equal(vrf_add_network(vrf, &p), 0);
	p = P("2001:db8:200::/48");
	assert_int_equal(vrf_add_network(vrf, &p), 0);
	p = P("0.0.0.0/0");
	assert_int_equal(vrf_add_network(vrf, &p), 0);

	vrf = add_vrf(conf, "vrf1", 4294967295U, "192.0.2.1:11");
	vrf->sid_mode = VRF_SID_EXPLICIT;
	assert_int_equal(inet_pton(AF_INET6, "fc00:0:1:e001::", &vrf->sid), 1);
	vrf->net_flags = VRF_NET_KERNEL;
	assert_int_equal(vrf_add_import_rt(vrf, RT("65000:11")), 0);
	assert_int_equal(vrf_add_export_rt(vrf, RT("65001:11")), 0);
	assert_int_equal(vrf_add_export_rt(vrf, RT("65536:11")), 0);
	assert_int_equal(vrf_add_iface(vrf, "veth-ce2"), 0);
	p = P("10.1.0.0/24");
	assert_int_equal(vrf_add_network(vrf, &p), 0);
	p = P("2001:db8::1/128");
	assert_int_equal(vrf_add_network(vrf, &p), 0);
}

static void
add_neighbor(struct srv6d_config *conf, const char *addr, const char *local,
    const char *descr, const char *group, const char *pw, uint32_t as,
    uint16_t holdtime, uint8_t flags, uint8_t afs)
{
	struct neighbor_config	*n;

	assert_non_null(n = neighbor_config_new());
	n->addr = A(addr);
	if (local != NULL)
		n->local_addr = A(local);
	strlcpy(n->descr, descr, sizeof(n->descr));
	strlcpy(n->group, group, sizeof(n->group));
	strlcpy(n->password, pw, sizeof(n->password));
	n->remote_as = as;
	n->holdtime = holdtime;
	n->flags = flags;
	n->afs = afs;
	TAILQ_INSERT_TAIL(&conf->neighbors, n, entry);
}

static struct filter_rule *
add_filter(struct srv6d_config *conf, enum filter_action action,
    enum filter_dir dir, enum filter_peer peer, const char *who)
{
	struct filter_rule	*r;

	assert_non_null(r = filter_rule_new());
	r->action = action;
	r->dir = dir;
	r->peer = peer;
	if (peer == FILTER_PEER_ADDR)
		r->peer_addr = A(who);
	else if (peer == FILTER_PEER_GROUP)
		strlcpy(r->group, who, sizeof(r->group));
	r->line = 100 + dir;
	TAILQ_INSERT_TAIL(&conf->filters, r, entry);
	return (r);
}

/* Rules that use every field, with values at the edges of their range. */
static void
add_filters(struct srv6d_config *conf)
{
	struct filter_rule	*r;

	r = add_filter(conf, FILTER_ALLOW, FILTER_IN, FILTER_PEER_EBGP, NULL);
	r->prefix = P("10.0.0.0/8");
	r->len_min = 8;
	r->len_max = 32;
	r = add_filter(conf, FILTER_DENY, FILTER_OUT, FILTER_PEER_ADDR,
	    "2001:db8::2");
	r->quick = true;
	r->prefix = P("2001:db8::/32");
	r->len_min = 48;
	r->len_max = 128;
	r->has_community = true;
	r->community = 0xffffffffU;
	r->as_type = FILTER_AS_TRANSIT;
	r->as = 4294967295U;
	r->line = 4294967295U;
	r = add_filter(conf, FILTER_MATCH, FILTER_IN, FILTER_PEER_GROUP,
	    "a-group-name-of-31-characters..");
	r->as_type = FILTER_AS_PEER;
	r->as = 65002;
	r->set = FILTER_SET_LOCALPREF | FILTER_SET_MED |
	    FILTER_SET_COMMUNITY | FILTER_SET_PREPEND |
	    FILTER_SET_NEXTHOP_SELF;
	r->set_localpref = 4294967295U;
	r->set_med = 7;
	r->set_community = 65001U << 16 | 1;
	r->set_prepend = FILTER_PREPEND_MAX;
	r = add_filter(conf, FILTER_ALLOW, FILTER_OUT, FILTER_PEER_IBGP, NULL);
	r->prefix = P("0.0.0.0/0");
	add_filter(conf, FILTER_DENY, FILTER_IN, FILTER_PEER_ANY, NULL);
}

static struct srv6d_config *
build_config(void)
{
	struct srv6d_config	*conf;
	struct neighbor_config	*n;
	struct srv6d_addr	 a;
	struct srv6d_prefix	 p;
	char			 longpw[TCP_MD5_KEY_LEN + 1];
	uint32_t		 id = 1;

	assert_non_null(conf = config_new());
	conf->as = 4200000001U;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", &conf->router_id), 1);
	conf->holdtime = 30;
	conf->encap_source = A("fc00:0:1::1");
	assert_int_equal(inet_pton(AF_INET, "192.0.2.100", &conf->cluster_id),
	    1);
	conf->flags = CONF_F_ALWAYS_COMPARE_MED;
	/* every kernel setting away from its default, limits at the edge */
	conf->fib_keep = true;
	conf->fib_update_afs = FIB_UPDATE_AFS;
	conf->encap_mode = SRV6_ENCAP_RED;
	conf->fib_sync_timeout = FIB_SYNC_TIMEOUT_MAX;
	conf->rule_priority = RULE_PRIORITY_MAX;
	p = P("10.0.0.0/8");
	assert_int_equal(config_add_network(conf, &p), 0);
	p = P("2001:db8::/32");
	assert_int_equal(config_add_network(conf, &p), 0);
	p = P("::/0");
	assert_int_equal(config_add_network(conf, &p), 0);
	add_locator(conf, "main", "fc00:0:1::/48", 32, 16, 16, 0, true);
	add_locator(conf, "second-locator-with-a-long-name",
	    "fc00:0:2::/48", 40, 8, 16, 8, false);
	a = A("0.0.0.0");
	assert_int_equal(config_add_listen(conf, &a, 179), 0);
	a = A("2001:db8::1");
	assert_int_equal(config_add_listen(conf, &a, 1179), 0);
	add_vrfs(conf);
	memset(longpw, 'k', TCP_MD5_KEY_LEN);
	longpw[TCP_MD5_KEY_LEN] = '\0';
	add_neighbor(conf, "2001:db8::2", "2001:db8::1", "pe0", "core",
	    "secret", 65000, 9, NEIGH_F_PASSIVE | NEIGH_F_TTL_SECURITY,
	    AFS_VPNV4 | AFS_VPNV6);
	add_neighbor(conf, "192.0.2.7", NULL, "a description of 63 chars "
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "", longpw, 4200000000U,
	    0, NEIGH_F_DOWN, AFS_IPV4_UNICAST);
	add_neighbor(conf, "fe80::1", "fe80::2", "", "rr-clients", "",
	    65001, 65535, NEIGH_F_RR_CLIENT | NEIGH_F_NEXTHOP_SELF, 0);
	/* Ids as the parent gives them; limits at their edges. */
	TAILQ_FOREACH(n, &conf->neighbors, entry)
		n->id = id++;
	TAILQ_LAST(&conf->neighbors, neighbor_head)->id = 4294967295U;
	n = TAILQ_FIRST(&conf->neighbors);
	n->max_prefix = 4294967295U;
	n->max_prefix_restart = 65535;
	TAILQ_NEXT(n, entry)->max_prefix = 1;
	add_filters(conf);
	return (conf);
}

static int
count_filters(const struct srv6d_config *conf)
{
	struct filter_rule	*r;
	int			 n = 0;

	TAILQ_FOREACH(r, &conf->filters, entry)
		n++;
	return (n);
}

static void
stream_free(struct stream *st)
{
	int	i;

	for (i = 0; i < st->nmsgs; i++)
		free(st->msgs[i].data);
	st->nmsgs = 0;
}

/* Applies one received imsg to *pending, keeping a copy of it in st. */
static int
stream_apply(struct stream *st, struct srv6d_config **pending,
    struct imsg *imsg)
{
	struct raw_msg	*m;
	size_t		 len = imsg_get_len(imsg);

	assert_int_equal(imsg->hdr.peerid, 0);
	/* We pass pid 0, which imsg stamps with the sender's pid. */
	assert_int_equal(imsg->hdr.pid, getpid());
	assert_true(st->nmsgs < MAX_MSGS);
	m = &st->msgs[st->nmsgs++];
	m->type = imsg->hdr.type;
	m->len = len;
	assert_non_null(m->data = malloc(len + 1));
	if (len > 0)
		memcpy(m->data, imsg->data, len);
	if (imsg->hdr.type == IMSG_RECONF_DONE) {
		assert_int_equal(len, 0);
		return (1);
	}
	assert_int_equal(config_recv(pending, imsg), 0);
	return (0);
}

/* Reads the stream from fd up to DONE. */
static struct srv6d_config *
stream_recv(int fd, struct stream *st)
{
	struct imsgbuf		 rb;
	struct imsg		 imsg;
	struct srv6d_config	*pending = NULL;
	ssize_t			 n;
	int			 done = 0;

	imsgbuf_init(&rb, fd);
	while (!done) {
		n = imsgbuf_read(&rb);
		assert_true(n > 0);
		while (!done && (n = imsg_get(&rb, &imsg)) > 0) {
			done = stream_apply(st, &pending, &imsg);
			imsg_free(&imsg);
		}
		assert_true(n >= 0);
	}
	imsgbuf_clear(&rb);
	return (pending);
}

static void
send_config(const struct srv6d_config *conf, struct stream *st,
    struct srv6d_config **out)
{
	struct imsgbuf	wb;
	int		sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	imsgbuf_init(&wb, sv[0]);
	assert_int_equal(config_send(&wb, conf), 0);
	assert_int_equal(imsgbuf_flush(&wb), 0);
	imsgbuf_clear(&wb);
	*out = stream_recv(sv[1], st);
	close(sv[0]);
	close(sv[1]);
}

static void
assert_config_equal(const struct srv6d_config *a,
    const struct srv6d_config *b)
{
	struct listen_config	*la, *lb;
	struct vrf_config	*va, *vb;
	struct neighbor_config	*na, *nb;
	struct filter_rule	*ra, *rb;
	size_t			 i;

	assert_int_equal(a->as, b->as);
	assert_int_equal(a->router_id.s_addr, b->router_id.s_addr);
	assert_int_equal(a->cluster_id.s_addr, b->cluster_id.s_addr);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->fib_keep, b->fib_keep);
	assert_int_equal(a->fib_update_afs, b->fib_update_afs);
	assert_int_equal(a->encap_mode, b->encap_mode);
	assert_int_equal(a->fib_sync_timeout, b->fib_sync_timeout);
	assert_int_equal(a->rule_priority, b->rule_priority);
	assert_true(networks_equal(a, b));
	assert_true(filters_equal(&a->filters, &b->filters));
	/* filters_equal ignores the lines, which must cross too */
	rb = TAILQ_FIRST(&b->filters);
	TAILQ_FOREACH(ra, &a->filters, entry) {
		assert_int_equal(ra->line, rb->line);
		rb = TAILQ_NEXT(rb, entry);
	}
	assert_int_equal(a->holdtime, b->holdtime);
	assert_int_equal(addr_cmp(&a->encap_source, &b->encap_source), 0);
	assert_int_equal(a->n_locators, b->n_locators);
	for (i = 0; i < a->n_locators; i++)
		assert_true(locator_config_equal(&a->locators[i],
		    &b->locators[i]));
	lb = TAILQ_FIRST(&b->listens);
	TAILQ_FOREACH(la, &a->listens, entry) {
		assert_non_null(lb);
		assert_int_equal(addr_cmp(&la->addr, &lb->addr), 0);
		assert_int_equal(la->port, lb->port);
		lb = TAILQ_NEXT(lb, entry);
	}
	assert_null(lb);
	vb = TAILQ_FIRST(&b->vrfs);
	TAILQ_FOREACH(va, &a->vrfs, entry) {
		assert_non_null(vb);
		assert_true(vrf_config_equal(va, vb));
		vb = TAILQ_NEXT(vb, entry);
	}
	assert_null(vb);
	nb = TAILQ_FIRST(&b->neighbors);
	TAILQ_FOREACH(na, &a->neighbors, entry) {
		assert_non_null(nb);
		assert_true(neighbor_config_equal(na, nb));
		/* neighbor_config_equal ignores the id: it must cross too */
		assert_int_equal(na->id, nb->id);
		nb = TAILQ_NEXT(nb, entry);
	}
	assert_null(nb);
}

static int
count_vrfs(const struct srv6d_config *conf)
{
	struct vrf_config	*vrf;
	int			 n = 0;

	TAILQ_FOREACH(vrf, &conf->vrfs, entry)
		n++;
	return (n);
}

static int
count_neighbors(const struct srv6d_config *conf)
{
	struct neighbor_config	*nc;
	int			 n = 0;

	TAILQ_FOREACH(nc, &conf->neighbors, entry)
		n++;
	return (n);
}

static int
count_listens(const struct srv6d_config *conf)
{
	struct listen_config	*la;
	int			 n = 0;

	TAILQ_FOREACH(la, &conf->listens, entry)
		n++;
	return (n);
}

/* Feeds config_recv a hand-made item. */
static int
recv_raw(struct srv6d_config **pending, uint32_t type, const void *data,
    size_t len)
{
	struct imsg	imsg;

	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = type;
	imsg.hdr.len = IMSG_HEADER_SIZE + len;
	imsg.fd = -1;
	ibuf_from_buffer(&imsg.buf, data, len);
	return (config_recv(pending, &imsg));
}

/* ------------------------------------------------------------------ */

static void
test_config_memory(void **state)
{
	struct srv6d_config	*conf;
	struct srv6d_addr	 a;
	struct vrf_config	*vrf;

	(void)state;
	assert_non_null(conf = config_new());
	assert_int_equal(conf->holdtime, BGP_HOLDTIME_DEFAULT);
	assert_int_equal(conf->encap_source.af, AF_UNSPEC);
	assert_false(conf->fib_keep);
	assert_int_equal(conf->fib_update_afs, 0);
	assert_int_equal(conf->encap_mode, SRV6_ENCAP_NORMAL);
	assert_int_equal(conf->fib_sync_timeout, 60);
	assert_int_equal(conf->rule_priority, 2000);
	assert_true(TAILQ_EMPTY(&conf->vrfs));
	config_free(conf);
	config_free(NULL);
	vrf_config_free(NULL);
	neighbor_config_free(NULL);

	conf = build_config();
	a = A("192.0.2.7");
	assert_non_null(config_find_neighbor(conf, &a));
	assert_int_equal(config_find_neighbor(conf, &a)->remote_as,
	    4200000000U);
	a = A("192.0.2.8");
	assert_null(config_find_neighbor(conf, &a));
	a = A("::ffff:192.0.2.7");
	assert_null(config_find_neighbor(conf, &a));
	assert_non_null(vrf = config_find_vrf(conf, "vrf1"));
	assert_int_equal(vrf->table, 4294967295U);
	assert_null(config_find_vrf(conf, "vrf"));
	assert_non_null(config_find_locator(conf, "main"));
	assert_int_equal(config_find_locator(conf, "main")->block_len, 32);
	assert_null(config_find_locator(conf, "mai"));

	/* Names longer than IFNAMSIZ - 1 are refused, nothing appended. */
	errno = 0;
	assert_int_equal(vrf_add_iface(vrf, "abcdefghijklmnop"), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(vrf->n_ifaces, 1);
	config_free(conf);
}

static void
test_config_equal(void **state)
{
	struct srv6d_config	*a, *b;
	struct vrf_config	*va, *vb;
	struct neighbor_config	*na, *nb;
	struct locator_config	*la, *lb;
	struct srv6d_prefix	 p;

	(void)state;
	a = build_config();
	b = build_config();
	assert_config_equal(a, b);

	va = TAILQ_FIRST(&a->vrfs);
	vb = TAILQ_FIRST(&b->vrfs);
	assert_true(vrf_config_equal(va, vb));
	assert_false(vrf_config_equal(va, TAILQ_NEXT(vb, entry)));
	vb->table++;
	assert_false(vrf_config_equal(va, vb));
	vb->table--;
	vb->rd++;
	assert_false(vrf_config_equal(va, vb));
	vb->rd--;
	vb->sid.s6_addr[15] = 1;
	assert_false(vrf_config_equal(va, vb));
	vb->sid.s6_addr[15] = 0;
	vb->locator[0] = 'M';
	assert_false(vrf_config_equal(va, vb));
	vb->locator[0] = 'm';
	vb->net_flags = 0;
	assert_false(vrf_config_equal(va, vb));
	vb->net_flags = va->net_flags;
	vb->import_rt[2]++;
	assert_false(vrf_config_equal(va, vb));
	vb->import_rt[2]--;
	vb->n_export_rt--;
	assert_false(vrf_config_equal(va, vb));
	vb->n_export_rt++;
	vb->ifaces[1][14] = 'x';
	assert_false(vrf_config_equal(va, vb));
	vb->ifaces[1][14] = 'o';
	vb->networks[1].len = 47;
	assert_false(vrf_config_equal(va, vb));
	vb->networks[1].len = 48;
	assert_true(vrf_config_equal(va, vb));
	p = P("10.0.0.0/8");
	assert_int_equal(vrf_add_network(vb, &p), 0);
	assert_false(vrf_config_equal(va, vb));

	na = TAILQ_FIRST(&a->neighbors);
	nb = TAILQ_FIRST(&b->neighbors);
	assert_true(neighbor_config_equal(na, nb));
	nb->password[0] = 'S';
	assert_false(neighbor_config_equal(na, nb));
	nb->password[0] = 's';
	nb->holdtime = 10;
	assert_false(neighbor_config_equal(na, nb));
	nb->holdtime = na->holdtime;
	nb->afs = AFS_VPNV4;
	assert_false(neighbor_config_equal(na, nb));
	nb->afs = na->afs;
	nb->local_addr.af = AF_UNSPEC;
	assert_false(neighbor_config_equal(na, nb));
	nb->local_addr = na->local_addr;
	/* Garbage beyond an IPv4 address in the union is no difference. */
	na = TAILQ_NEXT(na, entry);
	nb = TAILQ_NEXT(nb, entry);
	nb->addr.v6.s6_addr[12] = 0x55;
	assert_true(neighbor_config_equal(na, nb));

	la = &a->locators[0];
	lb = &b->locators[0];
	assert_true(locator_config_equal(la, lb));
	lb->announce = false;
	assert_false(locator_config_equal(la, lb));
	lb->announce = true;
	lb->func_len = 12;
	assert_false(locator_config_equal(la, lb));
	lb->func_len = la->func_len;
	lb->prefix.len = 64;
	assert_false(locator_config_equal(la, lb));
	assert_false(locator_config_equal(la, &b->locators[1]));

	config_free(a);
	config_free(b);
}

/* Each filter field makes a difference, but the line. */
static void
test_filters_equal(void **state)
{
	struct srv6d_config	*a, *b;
	struct filter_rule	*ra, *rb;

	(void)state;
	a = build_config();
	b = build_config();
	assert_true(filters_equal(&a->filters, &b->filters));
	ra = TAILQ_FIRST(&a->filters);
	rb = TAILQ_FIRST(&b->filters);
	assert_true(filter_rule_equal(ra, rb));
	rb->line = 1;
	assert_true(filter_rule_equal(ra, rb));
#define CHANGED(field, v) do {						\
		rb->field = (v);					\
		assert_false(filter_rule_equal(ra, rb));		\
		assert_false(filters_equal(&a->filters, &b->filters));	\
		rb->field = ra->field;					\
	} while (0)
	CHANGED(action, FILTER_DENY);
	CHANGED(dir, FILTER_OUT);
	CHANGED(quick, true);
	CHANGED(peer, FILTER_PEER_IBGP);
	CHANGED(prefix.len, 9);
	CHANGED(len_min, 9);
	CHANGED(len_max, 24);
	CHANGED(has_community, true);
	CHANGED(as_type, FILTER_AS_SOURCE);
	CHANGED(set, FILTER_SET_MED);
	/* Values that nothing uses make no difference... */
	rb->community = 5;
	rb->as = 5;
	rb->set_med = 5;
	assert_true(filter_rule_equal(ra, rb));
	/* ...until they are used. */
	ra = TAILQ_NEXT(ra, entry);
	rb = TAILQ_NEXT(rb, entry);
	CHANGED(peer_addr.v6.s6_addr[15], 3);
	CHANGED(community, 5);
	CHANGED(as, 5);
	ra = TAILQ_NEXT(ra, entry);
	rb = TAILQ_NEXT(rb, entry);
	CHANGED(group[0], 'A');
	CHANGED(set_localpref, 5);
	CHANGED(set_med, 5);
	CHANGED(set_community, 5);
	CHANGED(set_prepend, 5);
#undef CHANGED
	/* Order matters; so does length. */
	TAILQ_REMOVE(&b->filters, rb, entry);
	TAILQ_INSERT_HEAD(&b->filters, rb, entry);
	assert_false(filters_equal(&a->filters, &b->filters));
	TAILQ_REMOVE(&b->filters, rb, entry);
	assert_false(filters_equal(&a->filters, &b->filters));
	assert_false(filters_equal(&b->filters, &a->filters));
	filter_rule_free(rb);
	filters_free(&a->filters);
	filters_free(&b->filters);
	assert_true(filters_equal(&a->filters, &b->filters));
	filter_rule_free(NULL);
	config_free(a);
	config_free(b);
}

static void
test_networks_and_ids(void **state)
{
	struct srv6d_config	*a, *b;
	struct neighbor_config	*na, *nb;
	struct srv6d_prefix	 p;

	(void)state;
	a = build_config();
	b = build_config();
	assert_true(networks_equal(a, b));
	p = P("10.0.0.0/8");
	assert_true(config_has_network(a, &p));
	p.len = 9;
	assert_false(config_has_network(a, &p));
	assert_int_equal(config_add_network(b, &p), 0);
	assert_false(networks_equal(a, b));
	b->n_networks--;
	assert_true(networks_equal(a, b));
	b->networks[0] = P("10.0.0.0/9");
	assert_false(networks_equal(a, b));

	/* A reload keeps a neighbor that differs only by its id. */
	na = TAILQ_FIRST(&a->neighbors);
	nb = TAILQ_FIRST(&b->neighbors);
	nb->id = 0;
	assert_true(neighbor_config_equal(na, nb));
	nb->max_prefix--;
	assert_false(neighbor_config_equal(na, nb));
	nb->max_prefix++;
	nb->max_prefix_restart = 0;
	assert_false(neighbor_config_equal(na, nb));
	nb->max_prefix_restart = na->max_prefix_restart;
	nb->flags |= NEIGH_F_RR_CLIENT;
	assert_false(neighbor_config_equal(na, nb));
	config_free(a);
	config_free(b);
}

static void
test_stream_roundtrip(void **state)
{
	struct srv6d_config	*conf, *got;
	struct stream		 st = { .nmsgs = 0 };

	(void)state;
	conf = build_config();
	send_config(conf, &st, &got);
	assert_non_null(got);
	/* CONF, 2 locators, 2 listens, 2 VRFs, 3 neighbors, 5 filters, DONE */
	assert_int_equal(st.nmsgs, 16);
	assert_int_equal(st.msgs[0].type, IMSG_RECONF_CONF);
	assert_int_equal(st.msgs[10].type, IMSG_RECONF_FILTER);
	assert_int_equal(st.msgs[15].type, IMSG_RECONF_DONE);
	assert_config_equal(conf, got);
	assert_int_equal(got->as, 4200000001U);
	assert_string_equal(inet_ntoa(got->router_id), "192.0.2.1");
	assert_int_equal(got->holdtime, 30);
	assert_string_equal(addr2str(&got->encap_source), "fc00:0:1::1");
	assert_string_equal(TAILQ_LAST(&got->neighbors,
	    neighbor_head)->group, "rr-clients");
	assert_int_equal(TAILQ_LAST(&got->neighbors, neighbor_head)->id,
	    4294967295U);
	assert_int_equal(TAILQ_FIRST(&got->neighbors)->id, 1);
	assert_int_equal(TAILQ_FIRST(&got->neighbors)->max_prefix,
	    4294967295U);
	assert_int_equal(TAILQ_FIRST(&got->neighbors)->max_prefix_restart,
	    65535);
	assert_string_equal(inet_ntoa(got->cluster_id), "192.0.2.100");
	assert_int_equal(got->flags, CONF_F_ALWAYS_COMPARE_MED);
	assert_true(got->fib_keep);
	assert_int_equal(got->fib_update_afs, FIB_UPDATE_AFS);
	assert_int_equal(got->encap_mode, SRV6_ENCAP_RED);
	assert_int_equal(got->fib_sync_timeout, 3600);
	assert_int_equal(got->rule_priority, 32765);
	assert_int_equal(got->n_networks, 3);
	assert_string_equal(prefix2str(&got->networks[2]), "::/0");
	assert_int_equal(count_filters(got), 5);
	assert_string_equal(TAILQ_NEXT(TAILQ_NEXT(TAILQ_FIRST(&got->filters),
	    entry), entry)->group, "a-group-name-of-31-characters..");
	assert_int_equal(strlen(TAILQ_NEXT(TAILQ_FIRST(&got->neighbors),
	    entry)->password), TCP_MD5_KEY_LEN);
	config_free(got);
	stream_free(&st);

	/* An empty configuration makes just CONF and DONE. */
	config_free(conf);
	conf = config_new();
	send_config(conf, &st, &got);
	assert_int_equal(st.nmsgs, 2);
	assert_config_equal(conf, got);
	assert_int_equal(got->holdtime, BGP_HOLDTIME_DEFAULT);
	assert_int_equal(got->fib_sync_timeout, FIB_SYNC_TIMEOUT_DEFAULT);
	assert_int_equal(got->rule_priority, RULE_PRIORITY_DEFAULT);
	config_free(got);
	stream_free(&st);

	/* Values the receiver's defaults would hide: not the defaults. */
	conf->fib_sync_timeout = 1;
	conf->rule_priority = 0x01020304;
	conf->fib_update_afs = AFS_IPV6_UNICAST;
	send_config(conf, &st, &got);
	assert_config_equal(conf, got);
	assert_int_equal(got->fib_sync_timeout, 1);
	assert_int_equal(got->rule_priority, 0x01020304);
	assert_false(got->fib_keep);
	assert_int_equal(got->fib_update_afs, AFS_IPV6_UNICAST);
	assert_int_equal(got->encap_mode, SRV6_ENCAP_NORMAL);
	config_free(got);
	config_free(conf);
	stream_free(&st);
}

/* Every proper prefix of every item, and every item plus one byte. */
static void
test_stream_truncated(void **state)
{
	struct srv6d_config	*conf, *got, *pending;
	struct stream		 st = { .nmsgs = 0 };
	struct raw_msg		*m;
	size_t			 cut;
	int			 i;

	(void)state;
	conf = build_config();
	send_config(conf, &st, &got);
	for (i = 0; i < st.nmsgs; i++) {
		m = &st.msgs[i];
		if (m->type == IMSG_RECONF_DONE)
			continue;
		for (cut = 0; cut <= m->len + 1; cut++) {
			if (cut == m->len)
				continue;
			m->data[m->len] = 0;
			assert_non_null(pending = config_new());
			errno = 0;
			assert_int_equal(recv_raw(&pending, m->type, m->data,
			    cut), -1);
			assert_int_equal(errno, EBADMSG);
			if (m->type == IMSG_RECONF_CONF)
				assert_null(pending);
			else {
				assert_int_equal(pending->n_locators, 0);
				assert_int_equal(count_listens(pending), 0);
				assert_int_equal(count_vrfs(pending), 0);
				assert_int_equal(count_neighbors(pending), 0);
				assert_int_equal(count_filters(pending), 0);
			}
			config_free(pending);
		}
		/* And the item whole is still fine. */
		assert_non_null(pending = config_new());
		assert_int_equal(recv_raw(&pending, m->type, m->data, m->len),
		    0);
		config_free(pending);
	}
	config_free(got);
	config_free(conf);
	stream_free(&st);
}

/* Offset of the four u32 counts in a VRF item (see config_imsg.c). */
static size_t
vrf_counts_offset(const struct vrf_config *vrf)
{
	return (2 + strlen(vrf->name) + 4 + 8 + 1 + 16 +
	    2 + strlen(vrf->locator) + 1);
}

static void
test_stream_bad_counts(void **state)
{
	struct srv6d_config	*conf, *got, *pending;
	struct stream		 st = { .nmsgs = 0 };
	struct raw_msg		*m = NULL;
	uint8_t			*copy;
	uint32_t		 count, bad[] = { 0xffffffffU, 0x7fffffffU,
	    0x10000U, 0 };
	size_t			 off;
	int			 i, j, k;

	(void)state;
	conf = build_config();
	send_config(conf, &st, &got);
	for (i = 0; i < st.nmsgs; i++)
		if (st.msgs[i].type == IMSG_RECONF_VRF) {
			m = &st.msgs[i];
			break;
		}
	assert_non_null(m);
	off = vrf_counts_offset(TAILQ_FIRST(&conf->vrfs));
	/* Check we found the counts: 3 imports, 2 exports, 3, 3. */
	memcpy(&count, m->data + off, 4);
	assert_int_equal(count, 3);
	memcpy(&count, m->data + off + 12, 4);
	assert_int_equal(count, 3);

	assert_non_null(copy = malloc(m->len));
	for (j = 0; j < 4; j++) {
		memcpy(&count, m->data + off + 4 * j, 4);
		bad[3] = count + 1;
		for (k = 0; k < 4; k++) {
			memcpy(copy, m->data, m->len);
			memcpy(copy + off + 4 * j, &bad[k], 4);
			assert_non_null(pending = config_new());
			errno = 0;
			assert_int_equal(recv_raw(&pending, IMSG_RECONF_VRF,
			    copy, m->len), -1);
			assert_int_equal(errno, EBADMSG);
			assert_true(TAILQ_EMPTY(&pending->vrfs));
			config_free(pending);
		}
	}
	free(copy);
	config_free(got);
	config_free(conf);
	stream_free(&st);
}

/*
 * A FILTER item written field by field from r, independently of
 * config_imsg.c, so that tests can put any value in any field.
 */
static struct ibuf *
filter_item(const struct filter_rule *r, uint8_t quick, uint8_t has_comm)
{
	struct ibuf	*b;

	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_u8(b, r->action), 0);
	assert_int_equal(ibuf_add_u8(b, r->dir), 0);
	assert_int_equal(ibuf_add_u8(b, quick), 0);
	assert_int_equal(ibuf_add_u8(b, r->peer), 0);
	assert_int_equal(ibuf_add_u8(b, r->peer_addr.af), 0);
	if (r->peer_addr.af == AF_INET)
		assert_int_equal(ibuf_add(b, &r->peer_addr.v4, 4), 0);
	assert_int_equal(ibuf_add_string(b, r->group), 0);
	assert_int_equal(ibuf_add_u8(b, r->prefix.addr.af), 0);
	if (r->prefix.addr.af == AF_INET)
		assert_int_equal(ibuf_add(b, &r->prefix.addr.v4, 4), 0);
	assert_int_equal(ibuf_add_u8(b, r->prefix.len), 0);
	assert_int_equal(ibuf_add_u8(b, r->len_min), 0);
	assert_int_equal(ibuf_add_u8(b, r->len_max), 0);
	assert_int_equal(ibuf_add_u8(b, has_comm), 0);
	assert_int_equal(ibuf_add_u32(b, r->community), 0);
	assert_int_equal(ibuf_add_u8(b, r->as_type), 0);
	assert_int_equal(ibuf_add_u32(b, r->as), 0);
	assert_int_equal(ibuf_add_u8(b, r->set), 0);
	assert_int_equal(ibuf_add_u32(b, r->set_localpref), 0);
	assert_int_equal(ibuf_add_u32(b, r->set_med), 0);
	assert_int_equal(ibuf_add_u32(b, r->set_community), 0);
	assert_int_equal(ibuf_add_u8(b, r->set_prepend), 0);
	assert_int_equal(ibuf_add_u32(b, r->line), 0);
	return (b);
}

/* Builds an item by hand and expects config_recv to refuse it. */
static void
expect_bad(uint32_t type, struct ibuf *b)
{
	struct srv6d_config	*pending;

	assert_non_null(b);
	assert_non_null(pending = config_new());
	errno = 0;
	assert_int_equal(recv_raw(&pending, type, ibuf_data(b),
	    ibuf_size(b)), -1);
	assert_int_equal(errno, EBADMSG);
	config_free(pending);
	ibuf_free(b);
}

static struct ibuf *
locator_item(uint8_t af, uint8_t len, uint8_t announce, const char *name)
{
	struct ibuf	*b;

	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_string(b, name), 0);
	assert_int_equal(ibuf_add_u8(b, af), 0);
	if (af == AF_INET6)
		assert_int_equal(ibuf_add_zero(b, 16), 0);
	else if (af == AF_INET)
		assert_int_equal(ibuf_add_zero(b, 4), 0);
	assert_int_equal(ibuf_add_u8(b, len), 0);
	assert_int_equal(ibuf_add_zero(b, 4), 0);
	assert_int_equal(ibuf_add_u8(b, announce), 0);
	return (b);
}

static struct ibuf *
vrf_item(const char *name, uint8_t mode, uint8_t net_af, uint8_t net_len)
{
	struct ibuf	*b;

	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_string(b, name), 0);
	assert_int_equal(ibuf_add_u32(b, 10), 0);
	assert_int_equal(ibuf_add_u64(b, 0), 0);
	assert_int_equal(ibuf_add_u8(b, mode), 0);
	assert_int_equal(ibuf_add_zero(b, 16), 0);
	assert_int_equal(ibuf_add_string(b, ""), 0);
	assert_int_equal(ibuf_add_u8(b, 0), 0);
	assert_int_equal(ibuf_add_u32(b, 0), 0);
	assert_int_equal(ibuf_add_u32(b, 0), 0);
	assert_int_equal(ibuf_add_u32(b, 0), 0);
	assert_int_equal(ibuf_add_u32(b, 1), 0);
	assert_int_equal(ibuf_add_u8(b, net_af), 0);
	assert_int_equal(ibuf_add_zero(b, net_af == AF_INET ? 4 : 16), 0);
	assert_int_equal(ibuf_add_u8(b, net_len), 0);
	return (b);
}

static void
test_stream_bad_values(void **state)
{
	struct srv6d_config	*pending;
	struct ibuf		*b;
	char			 name[VRF_NAME_LEN + 1];

	(void)state;
	/* The builders make good items when given good values. */
	assert_non_null(pending = config_new());
	b = locator_item(AF_INET6, 128, 1, "x");
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_LOCATOR,
	    ibuf_data(b), ibuf_size(b)), 0);
	ibuf_free(b);
	memset(name, 'v', VRF_NAME_LEN - 1);
	name[VRF_NAME_LEN - 1] = '\0';
	b = vrf_item(name, VRF_SID_EXPLICIT, AF_INET, 32);
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_VRF,
	    ibuf_data(b), ibuf_size(b)), 0);
	ibuf_free(b);
	assert_int_equal(pending->n_locators, 1);
	assert_int_equal(count_vrfs(pending), 1);
	config_free(pending);

	expect_bad(IMSG_RECONF_LOCATOR, locator_item(7, 0, 1, "x"));
	expect_bad(IMSG_RECONF_LOCATOR, locator_item(AF_INET6, 129, 1, "x"));
	expect_bad(IMSG_RECONF_LOCATOR, locator_item(AF_INET, 33, 1, "x"));
	expect_bad(IMSG_RECONF_LOCATOR, locator_item(AF_UNSPEC, 1, 1, "x"));
	expect_bad(IMSG_RECONF_LOCATOR, locator_item(AF_INET6, 48, 2, "x"));
	expect_bad(IMSG_RECONF_LOCATOR, locator_item(AF_INET6, 48, 1,
	    "a-locator-name-of-32-characters!"));
	expect_bad(IMSG_RECONF_VRF, vrf_item("v", 3, AF_INET, 24));
	expect_bad(IMSG_RECONF_VRF, vrf_item("v", 0, AF_INET, 33));
	expect_bad(IMSG_RECONF_VRF, vrf_item("v", 0, AF_INET6, 200));
	expect_bad(IMSG_RECONF_VRF, vrf_item("v", 0, 3, 0));
	memset(name, 'v', VRF_NAME_LEN);
	name[VRF_NAME_LEN] = '\0';
	expect_bad(IMSG_RECONF_VRF, vrf_item(name, 0, AF_INET, 24));

	/* A string holding a NUL is not a string. */
	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_u8(b, AF_UNSPEC), 0);
	assert_int_equal(ibuf_add_u8(b, AF_UNSPEC), 0);
	assert_int_equal(ibuf_add_u16(b, 3), 0);
	assert_int_equal(ibuf_add(b, "a\0b", 3), 0);
	assert_int_equal(ibuf_add_zero(b, 2 + 2 + 4 + 2 + 1 + 1), 0);
	expect_bad(IMSG_RECONF_NEIGHBOR, b);

	/* A password one byte over TCP_MD5_KEY_LEN. */
	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_u8(b, AF_UNSPEC), 0);
	assert_int_equal(ibuf_add_u8(b, AF_UNSPEC), 0);
	assert_int_equal(ibuf_add_string(b, ""), 0);
	assert_int_equal(ibuf_add_string(b, ""), 0);
	assert_int_equal(ibuf_add_u16(b, TCP_MD5_KEY_LEN + 1), 0);
	assert_int_equal(ibuf_add_zero(b, TCP_MD5_KEY_LEN + 1), 0);
	assert_int_equal(ibuf_add_zero(b, 4 + 2 + 1 + 1), 0);
	expect_bad(IMSG_RECONF_NEIGHBOR, b);

	/* Listen with an address of a family we do not know. */
	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_u8(b, 1), 0);
	assert_int_equal(ibuf_add_zero(b, 6), 0);
	expect_bad(IMSG_RECONF_LISTEN, b);
}

/* A good rule, then the same rule with one field out of its range. */
static void
test_stream_bad_filters(void **state)
{
	struct srv6d_config	*pending;
	struct filter_rule	 good, r;
	struct ibuf		*b;

	(void)state;
	memset(&good, 0, sizeof(good));
	good.action = FILTER_MATCH;
	good.dir = FILTER_OUT;
	good.peer = FILTER_PEER_ADDR;
	good.peer_addr = A("192.0.2.2");
	good.prefix = P("10.0.0.0/8");
	good.len_min = 8;
	good.len_max = 32;
	good.as_type = FILTER_AS_PEER;
	good.set = FILTER_SET_PREPEND | FILTER_SET_NEXTHOP_SELF;
	good.set_prepend = 1;
	assert_non_null(pending = config_new());
	b = filter_item(&good, 1, 1);
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_FILTER,
	    ibuf_data(b), ibuf_size(b)), 0);
	ibuf_free(b);
	assert_int_equal(count_filters(pending), 1);
	assert_true(TAILQ_FIRST(&pending->filters)->quick);
	config_free(pending);

	expect_bad(IMSG_RECONF_FILTER, filter_item(&good, 2, 0));
	expect_bad(IMSG_RECONF_FILTER, filter_item(&good, 0, 2));
#define BAD(field, v) do {						\
		r = good;						\
		r.field = (v);						\
		expect_bad(IMSG_RECONF_FILTER, filter_item(&r, 0, 0));	\
	} while (0)
	BAD(action, FILTER_MATCH + 1);
	BAD(dir, FILTER_OUT + 1);
	BAD(peer, FILTER_PEER_IBGP + 1);
	BAD(as_type, FILTER_AS_PEER + 1);
	BAD(peer_addr.af, AF_UNSPEC);		/* ADDR without one */
	BAD(peer, FILTER_PEER_ANY);		/* an address not for ADDR */
	BAD(peer, FILTER_PEER_GROUP);		/* GROUP without a name */
	BAD(len_min, 7);			/* shorter than the prefix */
	BAD(len_min, 33);			/* min > max */
	BAD(len_max, 33);			/* beyond IPv4 */
	BAD(len_max, 0);			/* min without max */
	BAD(prefix.len, 33);
	BAD(set, 0x20);
	BAD(set_prepend, 0);
	BAD(set_prepend, FILTER_PREPEND_MAX + 1);
#undef BAD
	/* A group name without the GROUP peer. */
	r = good;
	r.peer = FILTER_PEER_EBGP;
	r.peer_addr.af = AF_UNSPEC;
	strlcpy(r.group, "g", sizeof(r.group));
	expect_bad(IMSG_RECONF_FILTER, filter_item(&r, 0, 0));
	/* A length range without a prefix. */
	r.group[0] = '\0';
	r.prefix.addr.af = AF_UNSPEC;
	r.prefix.len = 0;
	r.len_min = 0;
	r.len_max = 1;
	expect_bad(IMSG_RECONF_FILTER, filter_item(&r, 0, 0));
}

/*
 * A CONF item by hand: flags, the kernel settings (fib-keep, fib-update's
 * families, encap-mode, then sync timeout 60 and rule priority 2000) and
 * a network count, followed by one IPv4 network.
 */
static struct ibuf *
conf_item(uint8_t flags, const uint8_t fib[3], uint32_t count)
{
	struct ibuf	*b;

	assert_non_null(b = ibuf_dynamic(64, 1024));
	assert_int_equal(ibuf_add_zero(b, 4 + 4 + 2), 0);
	assert_int_equal(ibuf_add_u8(b, AF_UNSPEC), 0);
	assert_int_equal(ibuf_add_zero(b, 4), 0);
	assert_int_equal(ibuf_add_u8(b, flags), 0);
	assert_int_equal(ibuf_add(b, fib, 3), 0);
	assert_int_equal(ibuf_add_u16(b, 60), 0);
	assert_int_equal(ibuf_add_u32(b, 2000), 0);
	assert_int_equal(ibuf_add_u32(b, count), 0);
	/* one IPv4 network: room for one, never for more */
	assert_int_equal(ibuf_add_u8(b, AF_INET), 0);
	assert_int_equal(ibuf_add_zero(b, 4 + 1), 0);
	return (b);
}

/*
 * CONF with unknown flags, a boolean that is not 0 or 1, fib-update for
 * a family other than IPv4 and IPv6 unicast, an unknown encap-mode, or
 * more networks than bytes.
 */
static void
test_stream_bad_conf(void **state)
{
	static const uint8_t	 good[3] = { 1, FIB_UPDATE_AFS, SRV6_ENCAP_RED };
	static const uint8_t	 bad[][3] = {
		{ 2, 0, 0 }, { 0, AFS_VPNV4, 0 }, { 0, AFS_VPNV6 | 1, 0 },
		{ 0, 0, SRV6_ENCAP_RED + 1 }, { 0xff, 0xff, 0xff },
	};
	uint32_t		 counts[] = { 2, 0xffffffffU, 0x80000000U };
	struct srv6d_config	*pending;
	struct ibuf		*b;
	size_t			 i;

	(void)state;
	/* the hand-made item is right, so what follows fails on one thing */
	assert_non_null(pending = config_new());
	b = conf_item(0, good, 1);
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_CONF, ibuf_data(b),
	    ibuf_size(b)), 0);
	assert_non_null(pending);
	assert_true(pending->fib_keep);
	assert_int_equal(pending->fib_update_afs, FIB_UPDATE_AFS);
	assert_int_equal(pending->encap_mode, SRV6_ENCAP_RED);
	assert_int_equal(pending->fib_sync_timeout, 60);
	assert_int_equal(pending->rule_priority, 2000);
	assert_int_equal(pending->n_networks, 1);
	config_free(pending);
	ibuf_free(b);

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		expect_bad(IMSG_RECONF_CONF, conf_item(0, good, counts[i]));
	expect_bad(IMSG_RECONF_CONF, conf_item(0x02, good, 1));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(IMSG_RECONF_CONF, conf_item(0, bad[i], 1));
}

static void
test_stream_order(void **state)
{
	struct srv6d_config	*conf, *got, *pending = NULL;
	struct stream		 st = { .nmsgs = 0 };
	int			 i;

	(void)state;
	conf = build_config();
	send_config(conf, &st, &got);

	/* Every item before a CONF is refused. */
	for (i = 1; i < st.nmsgs - 1; i++) {
		errno = 0;
		assert_int_equal(recv_raw(&pending, st.msgs[i].type,
		    st.msgs[i].data, st.msgs[i].len), -1);
		assert_int_equal(errno, EBADMSG);
		assert_null(pending);
	}
	/* DONE and other types are not ours to handle. */
	errno = 0;
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_DONE, NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(recv_raw(&pending, IMSG_CTL_RELOAD, NULL, 0), -1);

	/* A second CONF drops the unfinished first stream (no leak). */
	for (i = 0; i < 5; i++)
		assert_int_equal(recv_raw(&pending, st.msgs[i].type,
		    st.msgs[i].data, st.msgs[i].len), 0);
	assert_int_equal(pending->n_locators, 2);
	for (i = 0; i < st.nmsgs - 1; i++)
		assert_int_equal(recv_raw(&pending, st.msgs[i].type,
		    st.msgs[i].data, st.msgs[i].len), 0);
	assert_config_equal(conf, pending);
	config_free(pending);
	pending = NULL;

	/* A bad CONF leaves nothing pending. */
	assert_int_equal(recv_raw(&pending, st.msgs[0].type,
	    st.msgs[0].data, st.msgs[0].len), 0);
	assert_int_equal(recv_raw(&pending, IMSG_RECONF_CONF,
	    st.msgs[0].data, 3), -1);
	assert_null(pending);

	config_free(got);
	config_free(conf);
	stream_free(&st);
}

/* A VRF too large for one imsg makes config_send fail, not truncate. */
static void
test_stream_too_large(void **state)
{
	struct srv6d_config	*conf;
	struct vrf_config	*vrf;
	struct srv6d_prefix	 p = P("2001:db8::/64");
	struct imsgbuf		 wb;
	int			 i, sv[2];

	(void)state;
	conf = config_new();
	vrf = add_vrf(conf, "big", 1, "1:1");
	for (i = 0; i < MAX_IMSGSIZE / 18 + 1; i++)
		assert_int_equal(vrf_add_network(vrf, &p), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	imsgbuf_init(&wb, sv[0]);
	errno = 0;
	assert_int_equal(config_send(&wb, conf), -1);
	assert_int_equal(errno, ERANGE);
	imsgbuf_clear(&wb);
	close(sv[0]);
	close(sv[1]);
	config_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_memory),
		cmocka_unit_test(test_config_equal),
		cmocka_unit_test(test_filters_equal),
		cmocka_unit_test(test_networks_and_ids),
		cmocka_unit_test(test_stream_roundtrip),
		cmocka_unit_test(test_stream_truncated),
		cmocka_unit_test(test_stream_bad_counts),
		cmocka_unit_test(test_stream_bad_values),
		cmocka_unit_test(test_stream_bad_filters),
		cmocka_unit_test(test_stream_bad_conf),
		cmocka_unit_test(test_stream_order),
		cmocka_unit_test(test_stream_too_large),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
