/*
 * parse.y and printconf.c, called directly: values land in the right
 * fields, groups and macros and includes work, every error of a file is
 * reported in one run with its line, the printed form reads back to the
 * same configuration, and parsing again and again leaves nothing behind.
 */
#include <sys/queue.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "srv6d.h"
#include "helpers.h"

struct fixture {
	char	dir[64];
	char	path[128];
};

static int
setup(void **state)
{
	struct fixture	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return (-1);
	strlcpy(fx->dir, "/tmp/test_parse.XXXXXX", sizeof(fx->dir));
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return (-1);
	}
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return (-1);
	free(fx);
	return (0);
}

/* Writes text to DIR/name and returns the path (in the fixture). */
static const char *
write_file(struct fixture *fx, const char *name, const char *text)
{
	FILE	*fp;

	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
	assert_non_null(fp = fopen(fx->path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return (fx->path);
}

static struct srv6d_config *
parse_ok(struct fixture *fx, const char *text)
{
	struct srv6d_config	*conf;
	char			*errors = (char *)"unset";

	conf = parse_config(write_file(fx, "t.conf", text), &errors);
	if (conf == NULL)
		fail_msg("unexpected errors:\n%s", errors);
	assert_null(errors);
	return (conf);
}

/* The errors of text, without the "DIR/t.conf:" prefix of each line. */
static char *
parse_bad(struct fixture *fx, const char *text)
{
	const char	*path = write_file(fx, "t.conf", text);
	char		*errors = NULL, *out, *p, *q;
	size_t		 plen = strlen(path);

	assert_null(parse_config(path, &errors));
	assert_non_null(errors);
	assert_non_null(out = calloc(1, strlen(errors) + 1));
	for (p = errors, q = out; *p != '\0'; ) {
		assert_memory_equal(p, path, plen);
		assert_int_equal(p[plen], ':');
		p += plen + 1;
		while (*p != '\0' && (*q++ = *p++) != '\n')
			;
	}
	free(errors);
	return (out);
}

static char *
print_str(const struct srv6d_config *conf)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	print_config(fp, conf);
	assert_int_equal(fclose(fp), 0);
	return (buf);
}

static const char	*full_conf =
	"# every statement\n"
	"peer = \"2001:db8::2\"\n"
	"as 65001\n"
	"router-id 192.0.2.1\n"
	"holdtime 30\n"
	"listen on 192.0.2.1\n"
	"listen on 2001:db8::1 port 1179\n"
	"srv6 {\n"
	"\tlocator main prefix fc00:0:1::/48\n"
	"\tlocator x prefix fc00:1::/32 block-length 24 node-length 8 "
	    "function-length 24 argument-length 8 announce no\n"
	"\tencap-source fc00:0:1::1\n"
	"}\n"
	"vrf vrf0 {\n"
	"\ttable 10; rd 65001:10\n"
	"\timport-target 65000:10 65000:11\n"
	"\timport-target 192.0.2.1:12\n"
	"\texport-target 65001:10\n"
	"\tsid fc00:0:1:e000:: locator main\n"
	"\tinterface veth-pod1 veth-pod2\n"
	"\tnetwork 10.200.0.0/24\n"
	"\tnetwork connected\n"
	"}\n"
	"vrf vrf1 { table 11; rd 4200000000:11; sid per-ce; network kernel }\n"
	"neighbor $peer {\n"
	"\tremote-as 65000\n"
	"\tdescription \"pe0\"\n"
	"\tlocal-address 2001:db8::1\n"
	"\tpassive\n"
	"\tholdtime 9\n"
	"\tpassword \"key\"\n"
	"\tttl-security yes\n"
	"\taddress-family vpnv4\n"
	"\taddress-family vpnv6\n"
	"\tdown\n"
	"}\n"
	"group rr {\n"
	"\tremote-as 65001\n"
	"\taddress-family vpnv4\n"
	"\tholdtime 60\n"
	"\tneighbor 192.0.2.11\n"
	"\tneighbor 192.0.2.12 { holdtime 20; address-family vpnv6 }\n"
	"}\n";

static void
test_minimal(void **state)
{
	struct srv6d_config	*conf;

	conf = parse_ok(*state, "as 65001\nrouter-id 192.0.2.1\n");
	assert_int_equal(conf->as, 65001);
	assert_int_equal(conf->router_id.s_addr, htonl(0xc0000201));
	assert_int_equal(conf->holdtime, BGP_HOLDTIME_DEFAULT);
	assert_int_equal(conf->n_locators, 0);
	assert_true(TAILQ_EMPTY(&conf->vrfs));
	assert_true(TAILQ_EMPTY(&conf->neighbors));
	config_free(conf);
}

static void
test_full_globals(void **state)
{
	struct srv6d_config	*conf = parse_ok(*state, full_conf);
	struct listen_config	*la;
	struct locator_config	*l;

	assert_int_equal(conf->holdtime, 30);
	la = TAILQ_FIRST(&conf->listens);
	assert_int_equal(la->addr.af, AF_INET);
	assert_int_equal(la->port, BGP_PORT);
	la = TAILQ_NEXT(la, entry);
	assert_string_equal(addr2str(&la->addr), "2001:db8::1");
	assert_int_equal(la->port, 1179);
	assert_int_equal(conf->n_locators, 2);
	l = &conf->locators[0];
	assert_string_equal(l->name, "main");
	assert_string_equal(prefix2str(&l->prefix), "fc00:0:1::/48");
	assert_int_equal(l->block_len, 32);
	assert_int_equal(l->node_len, 16);
	assert_int_equal(l->func_len, 16);
	assert_int_equal(l->arg_len, 0);
	assert_true(l->announce);	/* the default */
	l = &conf->locators[1];
	assert_int_equal(l->block_len, 24);
	assert_int_equal(l->node_len, 8);
	assert_int_equal(l->func_len, 24);
	assert_int_equal(l->arg_len, 8);
	assert_false(l->announce);
	assert_string_equal(addr2str(&conf->encap_source), "fc00:0:1::1");
	config_free(conf);
}

static void
test_full_vrfs(void **state)
{
	struct srv6d_config	*conf = parse_ok(*state, full_conf);
	struct vrf_config	*vrf;
	struct srv6d_addr	 sid = { .af = AF_INET6 };

	vrf = TAILQ_FIRST(&conf->vrfs);
	assert_string_equal(vrf->name, "vrf0");
	assert_int_equal(vrf->table, 10);
	assert_string_equal(rd2str(vrf->rd), "65001:10");
	assert_int_equal(vrf->n_import_rt, 3);
	assert_string_equal(rt2str(vrf->import_rt[1]), "65000:11");
	assert_string_equal(rt2str(vrf->import_rt[2]), "192.0.2.1:12");
	assert_int_equal(vrf->n_export_rt, 1);
	assert_int_equal(vrf->sid_mode, VRF_SID_EXPLICIT);
	sid.v6 = vrf->sid;
	assert_string_equal(addr2str(&sid), "fc00:0:1:e000::");
	assert_string_equal(vrf->locator, "main");
	assert_int_equal(vrf->n_ifaces, 2);
	assert_string_equal(vrf->ifaces[1], "veth-pod2");
	assert_int_equal(vrf->n_networks, 1);
	assert_int_equal(vrf->net_flags, VRF_NET_CONNECTED);
	vrf = TAILQ_NEXT(vrf, entry);
	assert_string_equal(vrf->name, "vrf1");
	assert_int_equal(vrf->sid_mode, VRF_SID_PER_CE);
	assert_string_equal(rd2str(vrf->rd), "4200000000:11");
	assert_int_equal(vrf->net_flags, VRF_NET_KERNEL);
	assert_null(TAILQ_NEXT(vrf, entry));
	config_free(conf);
}

static void
test_full_neighbors(void **state)
{
	struct srv6d_config	*conf = parse_ok(*state, full_conf);
	struct neighbor_config	*n;

	n = TAILQ_FIRST(&conf->neighbors);
	assert_string_equal(addr2str(&n->addr), "2001:db8::2");
	assert_int_equal(n->remote_as, 65000);
	assert_string_equal(n->descr, "pe0");
	assert_string_equal(addr2str(&n->local_addr), "2001:db8::1");
	assert_int_equal(n->holdtime, 9);
	assert_string_equal(n->password, "key");
	assert_int_equal(n->flags, NEIGH_F_PASSIVE | NEIGH_F_TTL_SECURITY |
	    NEIGH_F_DOWN);
	assert_int_equal(n->afs, AFS_VPNV4 | AFS_VPNV6);
	assert_string_equal(n->group, "");
	/* the group's settings, and the neighbor's own over them */
	n = TAILQ_NEXT(n, entry);
	assert_string_equal(addr2str(&n->addr), "192.0.2.11");
	assert_string_equal(n->group, "rr");
	assert_int_equal(n->remote_as, 65001);
	assert_int_equal(n->holdtime, 60);
	assert_int_equal(n->afs, AFS_VPNV4);
	n = TAILQ_NEXT(n, entry);
	assert_string_equal(n->group, "rr");
	assert_int_equal(n->remote_as, 65001);
	assert_int_equal(n->holdtime, 20);
	assert_int_equal(n->afs, AFS_VPNV6);
	config_free(conf);
}

static void
assert_conf_equal(const struct srv6d_config *a, const struct srv6d_config *b)
{
	const struct vrf_config		*va, *vb;
	const struct neighbor_config	*na, *nb;
	size_t				 i;

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
	assert_int_equal(a->holdtime, b->holdtime);
	assert_int_equal(addr_cmp(&a->encap_source, &b->encap_source), 0);
	assert_int_equal(a->n_locators, b->n_locators);
	for (i = 0; i < a->n_locators; i++)
		assert_true(locator_config_equal(&a->locators[i],
		    &b->locators[i]));
	for (va = TAILQ_FIRST(&a->vrfs), vb = TAILQ_FIRST(&b->vrfs);
	    va != NULL && vb != NULL;
	    va = TAILQ_NEXT(va, entry), vb = TAILQ_NEXT(vb, entry))
		assert_true(vrf_config_equal(va, vb));
	assert_true(va == NULL && vb == NULL);
	for (na = TAILQ_FIRST(&a->neighbors), nb = TAILQ_FIRST(&b->neighbors);
	    na != NULL && nb != NULL;
	    na = TAILQ_NEXT(na, entry), nb = TAILQ_NEXT(nb, entry))
		assert_true(neighbor_config_equal(na, nb));
	assert_true(na == NULL && nb == NULL);
}

/* Printed, read back: the same configuration, and the same text. */
static void
round_trip(struct fixture *fx, const char *text)
{
	struct srv6d_config	*a, *b;
	char			*ta, *tb;

	a = parse_ok(fx, text);
	ta = print_str(a);
	b = parse_ok(fx, ta);
	tb = print_str(b);
	assert_conf_equal(a, b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	config_free(a);
	config_free(b);
}

static void
test_round_trip(void **state)
{
	round_trip(*state, full_conf);
	round_trip(*state, "as 1.10\nlisten on 10.0.0.1 port 2000\n"
	    "vrf \"auto\" { table 1; rd 0:0 }\n"
	    "srv6 { locator \"sid\" prefix fc00::/48 }\n"
	    "group \"a b\" { remote-as 1; password \"x\\\"y\\\\z\"\n"
	    "neighbor 10.0.0.1; neighbor 10.0.0.2 }\n"
	    "neighbor 10.0.0.3 { remote-as 2; description \"\\\\\" }\n");
}

/*
 * The kernel settings: defaults from config_new(), each statement's
 * value (the last one said wins), and only non-defaults printed.
 */
static void
test_fib_settings(void **state)
{
	struct srv6d_config	*conf;
	char			*text;

	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n");
	assert_false(conf->fib_keep);
	assert_int_equal(conf->fib_update_afs, 0);
	assert_int_equal(conf->encap_mode, SRV6_ENCAP_NORMAL);
	assert_int_equal(conf->fib_sync_timeout, 60);
	assert_int_equal(conf->rule_priority, 2000);
	text = print_str(conf);
	assert_null(strstr(text, "fib-"));
	assert_null(strstr(text, "rule-priority"));
	assert_null(strstr(text, "srv6"));
	free(text);
	config_free(conf);

	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-keep yes\nfib-update yes\nfib-sync-timeout 3600\n"
	    "rule-priority 1\nsrv6 { encap-mode encap.red }\n");
	assert_true(conf->fib_keep);
	assert_int_equal(conf->fib_update_afs, FIB_UPDATE_AFS);
	assert_int_equal(conf->encap_mode, SRV6_ENCAP_RED);
	assert_int_equal(conf->fib_sync_timeout, 3600);
	assert_int_equal(conf->rule_priority, 1);
	text = print_str(conf);
	assert_string_equal(text, "as 1\nrouter-id 1.2.3.4\n"
	    "fib-keep yes\nfib-update yes\nfib-sync-timeout 3600\n"
	    "rule-priority 1\n\nsrv6 {\n\tencap-mode encap.red\n}\n");
	free(text);
	config_free(conf);

	/* Said again, back to the defaults: nothing is printed. */
	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-keep yes\nfib-keep no\nfib-update yes; fib-update no\n"
	    "fib-sync-timeout 1\nfib-sync-timeout 60\n"
	    "rule-priority 32765\nrule-priority 2000\n"
	    "srv6 { encap-mode encap.red; encap-mode encap }\n");
	assert_false(conf->fib_keep);
	assert_int_equal(conf->fib_update_afs, 0);
	assert_int_equal(conf->encap_mode, SRV6_ENCAP_NORMAL);
	assert_int_equal(conf->fib_sync_timeout, 60);
	assert_int_equal(conf->rule_priority, 2000);
	text = print_str(conf);
	assert_string_equal(text, "as 1\nrouter-id 1.2.3.4\n");
	free(text);
	config_free(conf);

	round_trip(*state, "as 1; router-id 1.2.3.4\nfib-keep yes\n"
	    "fib-sync-timeout 1\nrule-priority 32765\n"
	    "srv6 { locator a prefix fc00::/48\nencap-mode encap.red }\n");
	round_trip(*state, "as 1; router-id 1.2.3.4\nfib-update yes\n");

	/* Per family: a later line overrides the families it names. */
	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-update yes\nfib-update ipv6-unicast no\n");
	assert_int_equal(conf->fib_update_afs, AFS_IPV4_UNICAST);
	text = print_str(conf);
	assert_string_equal(text, "as 1\nrouter-id 1.2.3.4\n"
	    "fib-update ipv4-unicast yes\n");
	free(text);
	config_free(conf);
	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-update ipv4-unicast yes\nfib-update no\n"
	    "fib-update ipv6-unicast yes\n");
	assert_int_equal(conf->fib_update_afs, AFS_IPV6_UNICAST);
	config_free(conf);
	conf = parse_ok(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-update ipv6-unicast yes\nfib-update ipv4-unicast yes\n");
	assert_int_equal(conf->fib_update_afs, FIB_UPDATE_AFS);
	text = print_str(conf);
	assert_non_null(strstr(text, "\nfib-update yes\n"));
	free(text);
	config_free(conf);
	round_trip(*state, "as 1; router-id 1.2.3.4\n"
	    "fib-update ipv6-unicast yes\n");
}

static const char	*bgp_conf =
	"as 65001; router-id 192.0.2.1\n"
	"cluster-id 192.0.2.100\n"
	"rde med compare always\n"
	"network 10.0.0.0/8\n"
	"network 2001:db8::/32\n"
	"network 10.0.0.0/8\n"
	"group rr {\n"
	"\tremote-as 65001\n"
	"\troute-reflector-client\n"
	"\tmax-prefix 1000 restart 5\n"
	"\tneighbor 192.0.2.11\n"
	"\tneighbor 192.0.2.12 { max-prefix 20; next-hop-self }\n"
	"}\n"
	"neighbor 192.0.2.2 { remote-as 65002 }\n"
	"allow from ebgp prefix 10.0.0.0/8 or-longer\n"		/* 15 */
	"allow to ebgp\n"
	"deny quick from any prefix 0.0.0.0/0 prefixlen 25 - 32\n"
	"deny from 192.0.2.2 prefix 10.0.0.0/8 prefixlen 9-24 "
	"community 65000:666\n"
	"match from group rr AS 65003 set localpref 200\n"
	"match to ibgp source-as 65003 set { localpref 100, med 20\n"	/* 20 */
	"\tcommunity 65001:1\n"
	"\tprepend-self 2, nexthop self\n"
	"}\n"
	"allow from any prefix 2001:db8::/32 prefixlen = 48 "
	"transit-as 1 set {}\n"
	"allow to 2001:db8::1 prefix 10.1.0.0/16 prefixlen = 16 "	/* 25 */
	"peer-as 65002 set med 0\n"
	"allow from any prefix 10.0.0.0/32 or-longer\n";

static struct filter_rule *
nth_filter(const struct srv6d_config *conf, int n)
{
	struct filter_rule	*r = TAILQ_FIRST(&conf->filters);

	while (n-- > 0 && r != NULL)
		r = TAILQ_NEXT(r, entry);
	assert_non_null(r);
	return (r);
}

static void
test_bgp_globals_neighbors(void **state)
{
	struct srv6d_config	*conf;
	struct neighbor_config	*n;

	conf = parse_ok(*state, bgp_conf);
	assert_string_equal(inet_ntoa(conf->cluster_id), "192.0.2.100");
	assert_int_equal(conf->flags, CONF_F_ALWAYS_COMPARE_MED);
	/* a network said twice is one */
	assert_int_equal(conf->n_networks, 2);
	assert_string_equal(prefix2str(&conf->networks[1]), "2001:db8::/32");
	n = TAILQ_FIRST(&conf->neighbors);
	assert_int_equal(n->id, 0);	/* the parent's to give */
	assert_int_equal(n->max_prefix, 1000);
	assert_int_equal(n->max_prefix_restart, 5);
	assert_int_equal(n->flags, NEIGH_F_RR_CLIENT);
	n = TAILQ_NEXT(n, entry);
	/* max-prefix without restart replaces both of the group's */
	assert_int_equal(n->max_prefix, 20);
	assert_int_equal(n->max_prefix_restart, 0);
	assert_int_equal(n->flags, NEIGH_F_RR_CLIENT | NEIGH_F_NEXTHOP_SELF);
	n = TAILQ_NEXT(n, entry);
	assert_int_equal(n->max_prefix, 0);
	assert_int_equal(n->flags, 0);
	config_free(conf);

	conf = parse_ok(*state, "as 1; router-id 1.1.1.1\n"
	    "rde med compare always\nrde med compare strict\n");
	assert_int_equal(conf->flags, 0);
	assert_int_equal(conf->cluster_id.s_addr, INADDR_ANY);
	assert_true(TAILQ_EMPTY(&conf->filters));
	config_free(conf);
}

static void
test_filters(void **state)
{
	struct srv6d_config	*conf;
	struct filter_rule	*r;
	int			 n = 0;

	conf = parse_ok(*state, bgp_conf);
	TAILQ_FOREACH(r, &conf->filters, entry)
		n++;
	assert_int_equal(n, 9);
	r = nth_filter(conf, 0);
	assert_int_equal(r->line, 15);
	assert_int_equal(r->action, FILTER_ALLOW);
	assert_int_equal(r->dir, FILTER_IN);
	assert_false(r->quick);
	assert_int_equal(r->peer, FILTER_PEER_EBGP);
	assert_string_equal(prefix2str(&r->prefix), "10.0.0.0/8");
	assert_int_equal(r->len_min, 8);
	assert_int_equal(r->len_max, 32);
	r = nth_filter(conf, 1);
	assert_int_equal(r->dir, FILTER_OUT);
	assert_int_equal(r->prefix.addr.af, AF_UNSPEC);
	assert_int_equal(r->set, 0);
	r = nth_filter(conf, 2);
	assert_true(r->quick);
	assert_int_equal(r->action, FILTER_DENY);
	assert_int_equal(r->peer, FILTER_PEER_ANY);
	assert_int_equal(r->len_min, 25);
	assert_int_equal(r->len_max, 32);
	r = nth_filter(conf, 3);
	assert_int_equal(r->peer, FILTER_PEER_ADDR);
	assert_string_equal(addr2str(&r->peer_addr), "192.0.2.2");
	assert_int_equal(r->len_min, 9);
	assert_int_equal(r->len_max, 24);
	assert_true(r->has_community);
	assert_int_equal(r->community, 65000U << 16 | 666);
	r = nth_filter(conf, 4);
	assert_int_equal(r->action, FILTER_MATCH);
	assert_int_equal(r->peer, FILTER_PEER_GROUP);
	assert_string_equal(r->group, "rr");
	assert_int_equal(r->as_type, FILTER_AS_ANY);
	assert_int_equal(r->as, 65003);
	assert_int_equal(r->set, FILTER_SET_LOCALPREF);
	assert_int_equal(r->set_localpref, 200);
	r = nth_filter(conf, 5);
	assert_int_equal(r->line, 20);
	assert_int_equal(r->peer, FILTER_PEER_IBGP);
	assert_int_equal(r->as_type, FILTER_AS_SOURCE);
	assert_int_equal(r->set, FILTER_SET_LOCALPREF | FILTER_SET_MED |
	    FILTER_SET_COMMUNITY | FILTER_SET_PREPEND |
	    FILTER_SET_NEXTHOP_SELF);
	assert_int_equal(r->set_med, 20);
	assert_int_equal(r->set_community, 65001U << 16 | 1);
	assert_int_equal(r->set_prepend, 2);
	r = nth_filter(conf, 6);
	assert_int_equal(r->line, 24);
	assert_int_equal(r->len_min, 48);
	assert_int_equal(r->len_max, 48);
	assert_int_equal(r->as_type, FILTER_AS_TRANSIT);
	assert_int_equal(r->set, 0);
	/* the prefix's own length is kept as 0,0 */
	r = nth_filter(conf, 7);
	assert_int_equal(r->len_min, 0);
	assert_int_equal(r->len_max, 0);
	assert_int_equal(r->peer_addr.af, AF_INET6);
	assert_int_equal(r->as_type, FILTER_AS_PEER);
	assert_int_equal(r->set, FILTER_SET_MED);
	assert_int_equal(r->set_med, 0);
	r = nth_filter(conf, 8);
	assert_int_equal(r->len_max, 0);
	config_free(conf);
	round_trip(*state, bgp_conf);
}

static void
test_print_filters(void **state)
{
	struct srv6d_config	*conf;
	char			*text;

	conf = parse_ok(*state, bgp_conf);
	text = print_str(conf);
	assert_non_null(strstr(text,
	    "as 65001\n"
	    "router-id 192.0.2.1\n"
	    "cluster-id 192.0.2.100\n"
	    "rde med compare always\n"
	    "network 10.0.0.0/8\n"
	    "network 2001:db8::/32\n"
	    "\n"
	    "group rr {\n"
	    "\tneighbor 192.0.2.11 {\n"
	    "\t\tremote-as 65001\n"
	    "\t\tmax-prefix 1000 restart 5\n"
	    "\t\troute-reflector-client\n"
	    "\t}\n"));
	assert_non_null(strstr(text,
	    "\n"
	    "allow from ebgp prefix 10.0.0.0/8 or-longer\n"
	    "allow to ebgp\n"
	    "deny quick from any prefix 0.0.0.0/0 prefixlen 25 - 32\n"
	    "deny from 192.0.2.2 prefix 10.0.0.0/8 prefixlen 9 - 24 "
	    "community 65000:666\n"
	    "match from group rr AS 65003 set localpref 200\n"
	    "match to ibgp source-as 65003 set { localpref 100, med 20, "
	    "community 65001:1, prepend-self 2, nexthop self }\n"
	    "allow from any prefix 2001:db8::/32 prefixlen = 48 "
	    "transit-as 1\n"
	    "allow to 2001:db8::1 prefix 10.1.0.0/16 peer-as 65002 "
	    "set med 0\n"
	    "allow from any prefix 10.0.0.0/32\n"));
	free(text);
	config_free(conf);
}

static void
test_print_canonical(void **state)
{
	struct srv6d_config	*conf;
	char			*text;

	conf = parse_ok(*state, "as 65001; router-id 192.0.2.1\n"
	    "srv6 { locator l prefix fc00::/48 }\n"
	    "vrf v { table 1; rd 1:1; sid auto }\n"
	    "group g { remote-as 1; neighbor 10.0.0.1 }\n");
	text = print_str(conf);
	assert_string_equal(text,
	    "as 65001\n"
	    "router-id 192.0.2.1\n"
	    "\n"
	    "srv6 {\n"
	    "\tlocator l prefix fc00::/48\n"
	    "}\n"
	    "\n"
	    "vrf v {\n"
	    "\ttable 1\n"
	    "\trd 1:1\n"
	    "}\n"
	    "\n"
	    "group g {\n"
	    "\tneighbor 10.0.0.1 {\n"
	    "\t\tremote-as 1\n"
	    "\t}\n"
	    "}\n");
	free(text);
	config_free(conf);
}

static void
test_include_macros(void **state)
{
	struct fixture		*fx = *state;
	struct srv6d_config	*conf;
	char			*errors = NULL;

	write_file(fx, "inc.conf", "peer = \"10.0.0.2\"\nrouter-id $rid\n");
	write_file(fx, "main.conf", "rid = 192.0.2.9\nmyas = 65001\n"
	    "as $myas\ninclude \"inc.conf\"\n"
	    "neighbor $peer { remote-as $myas }\n");
	assert_non_null(conf = parse_config(fx->path, &errors));
	assert_null(errors);
	assert_int_equal(conf->as, 65001);
	assert_int_equal(conf->router_id.s_addr, htonl(0xc0000209));
	assert_string_equal(addr2str(&TAILQ_FIRST(&conf->neighbors)->addr),
	    "10.0.0.2");
	config_free(conf);

	/* errors in an included file name that file */
	write_file(fx, "inc.conf", "\nholdtime 1\n");
	assert_null(parse_config(fx->path, &errors));
	snprintf(fx->path, sizeof(fx->path), "%s/inc.conf:2: holdtime 1 "
	    "must be 0 or 3 to 65535\n", fx->dir);
	assert_non_null(strstr(errors, fx->path));
	free(errors);
}

static void
test_router_id_derived(void **state)
{
	struct srv6d_config	*conf;
	char			*errs;

	conf = parse_ok(*state, "as 1\nlisten on ::1\nlisten on 10.0.0.5\n"
	    "neighbor 10.0.0.2 { remote-as 2; local-address 10.0.0.1 }\n");
	assert_int_equal(conf->router_id.s_addr, htonl(0x0a000005));
	config_free(conf);
	conf = parse_ok(*state, "as 1\n"
	    "neighbor 10.0.0.2 { remote-as 2; local-address 10.0.0.1 }\n");
	assert_int_equal(conf->router_id.s_addr, htonl(0x0a000001));
	config_free(conf);
	errs = parse_bad(*state, "as 1\nneighbor 10.0.0.2 { remote-as 2 }\n");
	assert_string_equal(errs, "1: router-id not set and no IPv4 address "
	    "to derive it from\n");
	free(errs);
}

static const struct bad_case {
	const char	*text;
	const char	*errors;	/* without the file name */
} bad_cases[] = {
	{ "router-id 1.2.3.4\n",
	  "1: missing \"as\" statement (the local AS number)\n" },
	{ "as 1; router-id 1.2.3.4\nfoo 1\n",
	  "2: syntax error: unknown keyword \"foo\"\n" },
	{ "as 1; router-id 1.2.3.4\nneighbor 10.0.0.1 {\n\tremote-as 2\n"
	  "\tremote-ass 3\n}\n",
	  "4: syntax error: unknown keyword \"remote-ass\"\n" },
	{ "as 1; router-id 1.2.3.4\nneighbor 10.0.0.1 { remote-as 2 }\n"
	  "neighbor 10.0.0.1 { remote-as 3 }\n",
	  "3: duplicate neighbor 10.0.0.1\n" },
	{ "as 1; router-id 1.2.3.4\nneighbor 10.0.0.1\n",
	  "2: neighbor 10.0.0.1 has no remote-as\n" },
	{ "as 1; router-id 1.2.3.4\n"
	  "neighbor 10.0.0.1 { remote-as 2; local-address ::1 }\n",
	  "2: neighbor 10.0.0.1: local-address ::1 is not of the "
	  "neighbor's address family\n" },
	{ "as 1; router-id 1.2.3.4\nholdtime 2\n",
	  "2: holdtime 2 must be 0 or 3 to 65535\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48\n"
	  "locator b prefix fc00::/56 block-length 40 }\n",
	  "3: locator \"b\" (fc00::/56) overlaps locator \"a\" (fc00::/48)\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48\n"
	  "locator a prefix fc01::/48 }\n",
	  "3: duplicate locator \"a\"\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { encap-source 10.0.0.1 }\n",
	  "2: encap-source \"10.0.0.1\" is not an IPv6 address\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48 }\n"
	  "vrf a { table 1; rd 1:1 }\nvrf a { table 2; rd 1:2 }\n",
	  "4: duplicate vrf \"a\"\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48 }\n"
	  "vrf a { table 1; rd 1:1 }\nvrf b { table 1; rd 1:1 }\n",
	  "4: table 1 already used by vrf \"a\"\n"
	  "4: rd 1:1 already used by vrf \"a\"\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48 }\n"
	  "vrf a {\n}\n",
	  "3: vrf \"a\" has no table\n3: vrf \"a\" has no rd\n" },
	{ "as 1; router-id 1.2.3.4\nvrf a { table 1; rd 1:1 }\n",
	  "2: vrf \"a\": sid auto needs a locator in the srv6 block\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48 }\n"
	  "vrf a { table 1; rd 1:1\nsid fc01::1 }\n",
	  "4: sid fc01::1 is outside every locator\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48\n"
	  "locator b prefix fc01::/48 }\n"
	  "vrf a { table 1; rd 1:1\nsid fc01::1 locator a }\n",
	  "5: sid fc01::1 is outside locator \"a\" (fc00::/48)\n" },
	{ "as 1; router-id 1.2.3.4\nsrv6 { locator a prefix fc00::/48 }\n"
	  "vrf a { table 1; rd 1:1\nsid auto locator b }\n",
	  "4: vrf \"a\": unknown locator \"b\"\n" },
	{ "as 1; router-id 1.2.3.4\nvrf a { table 254; rd 1:1; sid per-ce }\n"
	  "srv6 { locator a prefix fc00::/48 }\n",
	  "2: table 254 is the kernel's main table\n" },
	{ "as 1; router-id 1.2.3.4\n$x\n",
	  "2: macro \"x\" not defined\n" },
	{ "as 1; router-id 1.2.3.4\nneighbor 10.0.0.1 { description \"x }\n",
	  "2: unterminated quoted string\n"
	  "3: syntax error: unexpected end of file\n" },
	{ "as 1; router-id 1.2.3.4\nnetwork 10.0.0.1/8\nnetwork 10/8\n",
	  "2: network 10.0.0.1/8 has host bits set (10.0.0.0/8)\n"
	  "3: invalid network \"10/8\"\n" },
	{ "as 1; router-id 1.2.3.4\ncluster-id 0.0.0.0\ncluster-id ::1\n",
	  "2: invalid cluster-id \"0.0.0.0\" (a non-zero IPv4 address)\n"
	  "3: invalid cluster-id \"::1\" (a non-zero IPv4 address)\n" },
	{ "as 1; router-id 1.2.3.4\nrde med compare sometimes\n",
	  "2: syntax error: unexpected \"sometimes\"\n" },
	{ "as 1; router-id 1.2.3.4\nfib-keep\nfib-update maybe\n"
	  "fib-sync-timeout 0\nfib-sync-timeout 3601\n"
	  "fib-sync-timeout -1\nrule-priority 0\nrule-priority 32766\n"
	  "rule-priority 4294967296\nsrv6 {\nencap-mode red\n"
	  "encap-mode inline\nencap-mode\n}\nfib-keep yes\n",
	  "2: syntax error: unexpected end of line\n"
	  "3: syntax error: unexpected \"maybe\"\n"
	  "4: fib-sync-timeout 0 out of range (1 to 3600 seconds)\n"
	  "5: fib-sync-timeout 3601 out of range (1 to 3600 seconds)\n"
	  "6: syntax error: unexpected \"-1\"\n"
	  "7: rule-priority 0 out of range (1 to 32765)\n"
	  "8: rule-priority 32766 out of range (1 to 32765)\n"
	  "9: rule-priority 4294967296 out of range (1 to 32765)\n"
	  "11: invalid encap-mode \"red\" (encap or encap.red)\n"
	  "12: invalid encap-mode \"inline\" (encap or encap.red)\n"
	  "13: syntax error: unexpected end of line\n" },
	{ "as 1; router-id 1.2.3.4\nfib-update ipv5 yes\n"
	  "fib-update vpnv6 yes\nfib-update ipv4-unicast\n",
	  "2: unknown address family \"ipv5\" (ipv4-unicast or ipv6-unicast)\n"
	  "3: fib-update is for ipv4-unicast and ipv6-unicast only\n"
	  "4: syntax error: unexpected end of line\n" },
	{ "as 1; router-id 1.2.3.4\nneighbor 10.0.0.1 { remote-as 2\n"
	  "max-prefix 0\nmax-prefix 1 restart 0\n"
	  "max-prefix 4294967296 restart 65536 }\n",
	  "3: max-prefix 0 out of range (1 to 4294967295)\n"
	  "4: max-prefix restart 0 out of range (1 to 65535 minutes)\n"
	  "5: max-prefix 4294967296 out of range (1 to 4294967295)\n" },
	{ "as 1; router-id 1.2.3.4\nallow from group g\n"
	  "group g { remote-as 1 }\nallow to group h\n",
	  "4: filter: unknown group \"h\"\n" },
	{ "as 1; router-id 1.2.3.4\n"
	  "allow from any prefix 10.0.0.0/8 prefixlen 4 - 12\n"
	  "allow from any prefix 10.0.0.0/8 prefixlen 8 - 33\n"
	  "allow from any prefix 10.0.0.0/8 prefixlen 20 - 10\n"
	  "allow from any prefix ::/0 prefixlen = 129\n"
	  "allow from any prefix 10.0.0.0/8 prefixlen 9 x 10\n"
	  "allow from any prefix 10.0.0.0/8 prefixlen 9to10\n"
	  "allow from any prefix 10.0.0.1/8\n"
	  "allow from any prefix 10.0.0.0/8 prefix 11.0.0.0/8\n"
	  "allow from any prefixlen 8 - 9\n",
	  "2: prefixlen 4 - 12 out of range for prefix 10.0.0.0/8 "
	  "(8 to 32)\n"
	  "3: prefixlen 8 - 33 out of range for prefix 10.0.0.0/8 "
	  "(8 to 32)\n"
	  "4: prefixlen 20 - 10 out of range for prefix 10.0.0.0/8 "
	  "(8 to 32)\n"
	  "5: prefixlen 129 out of range for prefix ::/0 (0 to 128)\n"
	  "6: syntax error: unexpected \"x\"\n"
	  "7: invalid prefixlen \"9to10\" (N - M, or = N)\n"
	  "8: prefix 10.0.0.1/8 has host bits set (10.0.0.0/8)\n"
	  "9: only one prefix per rule\n"
	  "10: syntax error: unexpected \"prefixlen\"\n" },
	{ "as 1; router-id 1.2.3.4\n"
	  "allow from any community 65536:1\n"
	  "allow from any community 1:65536\n"
	  "allow from any set community :1\n"
	  "allow from any community 1:1 community 1:2\n",
	  "2: invalid community \"65536:1\" (ASN:VALUE, each 0 to 65535)\n"
	  "3: invalid community \"1:65536\" (ASN:VALUE, each 0 to 65535)\n"
	  "4: invalid community \":1\" (ASN:VALUE, each 0 to 65535)\n"
	  "5: only one community match per rule\n" },
	{ "as 1; router-id 1.2.3.4\n"
	  "allow from any set prepend-self 17\n"
	  "allow from any set prepend-self 0\n"
	  "allow from any set { med 1, med 2 }\n"
	  "allow from any set localpref 4294967296\n"
	  "allow from any set { nexthop self\nnexthop self }\n",
	  "2: prepend-self 17 out of range (1 to 16)\n"
	  "3: prepend-self 0 out of range (1 to 16)\n"
	  "4: set med given twice\n"
	  "5: localpref 4294967296 out of range (0 to 4294967295)\n"
	  "7: set nexthop given twice\n" },
	{ "as 1; router-id 1.2.3.4\n"
	  "allow from foo\nallow from any AS 0\n"
	  "allow from any AS 1 peer-as 2\nallow from\n"
	  "allow sideways any\nallow from any set nexthop peer\n",
	  "2: invalid neighbor address \"foo\"\n"
	  "3: AS number 0 out of range (1 to 4294967295)\n"
	  "4: only one AS match per rule\n"
	  "5: syntax error: unexpected end of line\n"
	  "6: syntax error: unexpected \"sideways\"\n"
	  "7: syntax error: unexpected \"peer\"\n" },
};

static void
test_bad(void **state)
{
	size_t	 i;
	char	*errs;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		errs = parse_bad(*state, bad_cases[i].text);
		if (strcmp(errs, bad_cases[i].errors) != 0)
			fail_msg("case %zu: got\n%sexpected\n%s", i, errs,
			    bad_cases[i].errors);
		free(errs);
	}
}

/* Syntax and semantic errors, at the end and in the middle: all of them. */
static void
test_all_errors_in_one_run(void **state)
{
	char	*errs;

	errs = parse_bad(*state,
	    "holdtime 1\n"
	    "vrf red { table 10; rd 1:1; colour red }\n"
	    "vrf blue { table 10; rd 1:2 }\n"
	    "neighbor 10.0.0.1 { remote-as 0 }\n"
	    "neighbor 10.0.0.1 { remote-as 1 }\n"
	    "bogus\n");
	assert_string_equal(errs,
	    "1: holdtime 1 must be 0 or 3 to 65535\n"
	    "2: syntax error: unknown keyword \"colour\"\n"
	    "3: table 10 already used by vrf \"red\"\n"
	    "4: AS number 0 out of range (1 to 4294967295)\n"
	    "5: duplicate neighbor 10.0.0.1\n"
	    "6: syntax error: unknown keyword \"bogus\"\n"
	    "1: missing \"as\" statement (the local AS number)\n"
	    "1: router-id not set and no IPv4 address to derive it from\n"
	    "2: vrf \"red\": sid auto needs a locator in the srv6 block\n"
	    "3: vrf \"blue\": sid auto needs a locator in the srv6 block\n");
	free(errs);
}

static void
test_missing_file(void **state)
{
	struct fixture	*fx = *state;
	char		*errors = NULL, want[256];

	snprintf(fx->path, sizeof(fx->path), "%s/nosuch.conf", fx->dir);
	assert_null(parse_config(fx->path, &errors));
	snprintf(want, sizeof(want), "%s: No such file or directory\n",
	    fx->path);
	assert_string_equal(errors, want);
	free(errors);
}

/* The keyword table is sorted (bsearch) and complete. */
static void
test_keywords(void **state)
{
	const char	*kw[] = { "address-family", "announce",
	    "argument-length", "as", "auto", "block-length", "connected",
	    "description", "down", "encap-source", "export-target",
	    "function-length", "group", "holdtime", "import-target",
	    "include", "interface", "ipv4-unicast", "ipv6-unicast", "kernel",
	    "listen", "local-address", "locator", "neighbor", "network", "no",
	    "node-length", "on", "passive", "password", "per-ce", "port",
	    "prefix", "rd", "remote-as", "router-id", "sid", "srv6", "table",
	    "ttl-security", "vpnv4", "vpnv6", "vrf", "yes",
	    "AS", "allow", "always", "any", "cluster-id", "community",
	    "compare", "deny", "ebgp", "from", "ibgp", "localpref", "match",
	    "max-prefix", "med", "next-hop-self", "nexthop", "or-longer",
	    "peer-as", "prefixlen", "prepend-self", "quick", "rde", "restart",
	    "route-reflector-client", "self", "set", "source-as", "strict",
	    "to", "transit-as", "encap-mode", "fib-keep", "fib-sync-timeout",
	    "fib-update", "rule-priority" };
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!parse_is_keyword(kw[i]))
			fail_msg("%s is not a keyword", kw[i]);
	assert_false(parse_is_keyword(""));
	assert_false(parse_is_keyword("vrf0"));
	assert_false(parse_is_keyword("65001"));
}

/* Comments, ';', line joining, quoting: the lexical corners. */
static void
test_lexical(void **state)
{
	struct srv6d_config	*conf;

	conf = parse_ok(*state, "as 1 # comment \\\nrouter-id 1.1.1.1; "
	    "holdtime \\\n 30\n"
	    "neighbor 10.0.0.1 { remote-as 2; description \"a \\\"b\\\" "
	    "#c\\\\\" }\n");
	assert_int_equal(conf->holdtime, 30);
	assert_string_equal(TAILQ_FIRST(&conf->neighbors)->descr,
	    "a \"b\" #c\\");
	config_free(conf);
}

/* A reload parses again and again: nothing may leak or stay behind. */
static void
test_repeat(void **state)
{
	struct srv6d_config	*conf;
	char			*errs;
	int			 i;

	for (i = 0; i < 50; i++) {
		conf = parse_ok(*state, full_conf);
		config_free(conf);
		errs = parse_bad(*state, "as 1\nvrf v { table x\n");
		free(errs);
	}
	/* macros of one run are gone in the next */
	errs = parse_bad(*state, "as 1; router-id 1.1.1.1\nholdtime $peer\n");
	assert_string_equal(errs, "2: macro \"peer\" not defined\n");
	free(errs);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_minimal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_globals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_vrfs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_neighbors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_print_canonical, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bgp_globals_neighbors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fib_settings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_filters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_include_macros, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_router_id_derived, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_errors_in_one_run,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repeat, setup, teardown),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test_setup_teardown(test_lexical, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
