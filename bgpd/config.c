/*
 * Configuration memory: construction, the dynamic arrays, look-ups, and
 * the equality tests a reload uses to decide which neighbors and VRFs it
 * must touch.  Shared by the parser (parent) and the children that rebuild
 * the configuration from the imsg stream.
 */
#include <sys/queue.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "srv6d.h"

static int	array_grow(void *, size_t, size_t);
static bool	prefix_equal(const struct srv6d_prefix *,
		    const struct srv6d_prefix *);
static bool	vrf_arrays_equal(const struct vrf_config *,
		    const struct vrf_config *);

struct srv6d_config *
config_new(void)
{
	struct srv6d_config	*conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return (NULL);
	conf->holdtime = BGP_HOLDTIME_DEFAULT;
	conf->encap_source.af = AF_UNSPEC;
	conf->encap_mode = SRV6_ENCAP_NORMAL;
	conf->fib_sync_timeout = FIB_SYNC_TIMEOUT_DEFAULT;
	conf->rule_priority = RULE_PRIORITY_DEFAULT;
	TAILQ_INIT(&conf->filters);
	TAILQ_INIT(&conf->listens);
	TAILQ_INIT(&conf->vrfs);
	TAILQ_INIT(&conf->neighbors);
	return (conf);
}

void
config_free(struct srv6d_config *conf)
{
	struct listen_config	*la;
	struct vrf_config	*vrf;
	struct neighbor_config	*n;

	if (conf == NULL)
		return;
	while ((la = TAILQ_FIRST(&conf->listens)) != NULL) {
		TAILQ_REMOVE(&conf->listens, la, entry);
		free(la);
	}
	while ((vrf = TAILQ_FIRST(&conf->vrfs)) != NULL) {
		TAILQ_REMOVE(&conf->vrfs, vrf, entry);
		vrf_config_free(vrf);
	}
	while ((n = TAILQ_FIRST(&conf->neighbors)) != NULL) {
		TAILQ_REMOVE(&conf->neighbors, n, entry);
		neighbor_config_free(n);
	}
	filters_free(&conf->filters);
	free(conf->networks);
	free(conf->locators);
	free(conf);
}

struct vrf_config *
vrf_config_new(void)
{
	struct vrf_config	*vrf;

	if ((vrf = calloc(1, sizeof(*vrf))) == NULL)
		return (NULL);
	vrf->sid_mode = VRF_SID_AUTO;
	return (vrf);
}

/* Frees the VRF and its arrays; the caller has unlinked it. */
void
vrf_config_free(struct vrf_config *vrf)
{
	if (vrf == NULL)
		return;
	free(vrf->import_rt);
	free(vrf->export_rt);
	free(vrf->ifaces);
	free(vrf->networks);
	free(vrf);
}

struct neighbor_config *
neighbor_config_new(void)
{
	struct neighbor_config	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (NULL);
	n->addr.af = AF_UNSPEC;
	n->local_addr.af = AF_UNSPEC;
	return (n);
}

void
neighbor_config_free(struct neighbor_config *n)
{
	if (n == NULL)
		return;
	/* The TCP-MD5 key should not linger in freed memory. */
	explicit_bzero(n->password, sizeof(n->password));
	free(n);
}

/*
 * Make room for one more element of size sz in the array *arrp holding n.
 * Config arrays are short, so growing by one is fine.
 */
static int
array_grow(void *arrp, size_t n, size_t sz)
{
	void	**pp = arrp;
	void	 *p;

	if (n >= SIZE_MAX / sz - 1) {
		errno = ENOMEM;
		return (-1);
	}
	if ((p = realloc(*pp, (n + 1) * sz)) == NULL)
		return (-1);
	*pp = p;
	return (0);
}

int
vrf_add_import_rt(struct vrf_config *vrf, ext_community_t rt)
{
	if (array_grow(&vrf->import_rt, vrf->n_import_rt, sizeof(rt)) == -1)
		return (-1);
	vrf->import_rt[vrf->n_import_rt++] = rt;
	return (0);
}

int
vrf_add_export_rt(struct vrf_config *vrf, ext_community_t rt)
{
	if (array_grow(&vrf->export_rt, vrf->n_export_rt, sizeof(rt)) == -1)
		return (-1);
	vrf->export_rt[vrf->n_export_rt++] = rt;
	return (0);
}

/* Returns -1 with ENAMETOOLONG if the name does not fit IFNAMSIZ. */
int
vrf_add_iface(struct vrf_config *vrf, const char *name)
{
	if (strlen(name) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (array_grow(&vrf->ifaces, vrf->n_ifaces, IFNAMSIZ) == -1)
		return (-1);
	memset(vrf->ifaces[vrf->n_ifaces], 0, IFNAMSIZ);
	strlcpy(vrf->ifaces[vrf->n_ifaces], name, IFNAMSIZ);
	vrf->n_ifaces++;
	return (0);
}

int
vrf_add_network(struct vrf_config *vrf, const struct srv6d_prefix *pfx)
{
	if (array_grow(&vrf->networks, vrf->n_networks, sizeof(*pfx)) == -1)
		return (-1);
	vrf->networks[vrf->n_networks++] = *pfx;
	return (0);
}

int
config_add_locator(struct srv6d_config *conf,
    const struct locator_config *loc)
{
	if (array_grow(&conf->locators, conf->n_locators,
	    sizeof(*loc)) == -1)
		return (-1);
	conf->locators[conf->n_locators++] = *loc;
	return (0);
}

int
config_add_listen(struct srv6d_config *conf, const struct srv6d_addr *addr,
    uint16_t port)
{
	struct listen_config	*la;

	if ((la = calloc(1, sizeof(*la))) == NULL)
		return (-1);
	la->addr = *addr;
	la->port = port;
	TAILQ_INSERT_TAIL(&conf->listens, la, entry);
	return (0);
}

struct neighbor_config *
config_find_neighbor(const struct srv6d_config *conf,
    const struct srv6d_addr *addr)
{
	struct neighbor_config	*n;

	TAILQ_FOREACH(n, &conf->neighbors, entry)
		if (addr_cmp(&n->addr, addr) == 0)
			return (n);
	return (NULL);
}

struct vrf_config *
config_find_vrf(const struct srv6d_config *conf, const char *name)
{
	struct vrf_config	*vrf;

	TAILQ_FOREACH(vrf, &conf->vrfs, entry)
		if (strcmp(vrf->name, name) == 0)
			return (vrf);
	return (NULL);
}

struct locator_config *
config_find_locator(const struct srv6d_config *conf, const char *name)
{
	size_t	i;

	for (i = 0; i < conf->n_locators; i++)
		if (strcmp(conf->locators[i].name, name) == 0)
			return (&conf->locators[i]);
	return (NULL);
}

static bool
prefix_equal(const struct srv6d_prefix *a, const struct srv6d_prefix *b)
{
	return (a->len == b->len && addr_cmp(&a->addr, &b->addr) == 0);
}

/*
 * The equality tests compare field by field (never memcmp of the structs:
 * padding and the unused part of an address union carry no meaning).
 * A neighbor's id is not configuration: the parent gives the old one to
 * the new config of the same address, and a fresh parse has 0, so the id
 * must not make a neighbor look changed.
 */
bool
neighbor_config_equal(const struct neighbor_config *a,
    const struct neighbor_config *b)
{
	return (addr_cmp(&a->addr, &b->addr) == 0 &&
	    addr_cmp(&a->local_addr, &b->local_addr) == 0 &&
	    strcmp(a->descr, b->descr) == 0 &&
	    strcmp(a->group, b->group) == 0 &&
	    strcmp(a->password, b->password) == 0 &&
	    a->remote_as == b->remote_as &&
	    a->holdtime == b->holdtime &&
	    a->flags == b->flags &&
	    a->afs == b->afs &&
	    a->max_prefix == b->max_prefix &&
	    a->max_prefix_restart == b->max_prefix_restart);
}

static bool
vrf_arrays_equal(const struct vrf_config *a, const struct vrf_config *b)
{
	size_t	i;

	if (a->n_import_rt != b->n_import_rt ||
	    a->n_export_rt != b->n_export_rt ||
	    a->n_ifaces != b->n_ifaces ||
	    a->n_networks != b->n_networks)
		return (false);
	for (i = 0; i < a->n_import_rt; i++)
		if (a->import_rt[i] != b->import_rt[i])
			return (false);
	for (i = 0; i < a->n_export_rt; i++)
		if (a->export_rt[i] != b->export_rt[i])
			return (false);
	for (i = 0; i < a->n_ifaces; i++)
		if (strncmp(a->ifaces[i], b->ifaces[i], IFNAMSIZ) != 0)
			return (false);
	for (i = 0; i < a->n_networks; i++)
		if (!prefix_equal(&a->networks[i], &b->networks[i]))
			return (false);
	return (true);
}

bool
vrf_config_equal(const struct vrf_config *a, const struct vrf_config *b)
{
	if (strcmp(a->name, b->name) != 0 ||
	    a->table != b->table ||
	    a->rd != b->rd ||
	    a->sid_mode != b->sid_mode ||
	    memcmp(&a->sid, &b->sid, sizeof(a->sid)) != 0 ||
	    strcmp(a->locator, b->locator) != 0 ||
	    a->net_flags != b->net_flags)
		return (false);
	return (vrf_arrays_equal(a, b));
}

bool
locator_config_equal(const struct locator_config *a,
    const struct locator_config *b)
{
	return (strcmp(a->name, b->name) == 0 &&
	    prefix_equal(&a->prefix, &b->prefix) &&
	    a->block_len == b->block_len &&
	    a->node_len == b->node_len &&
	    a->func_len == b->func_len &&
	    a->arg_len == b->arg_len &&
	    a->announce == b->announce);
}

/* ------------------------------------------------------------------ */
/* global networks                                                     */

int
config_add_network(struct srv6d_config *conf, const struct srv6d_prefix *pfx)
{
	if (array_grow(&conf->networks, conf->n_networks,
	    sizeof(*pfx)) == -1)
		return (-1);
	conf->networks[conf->n_networks++] = *pfx;
	return (0);
}

bool
config_has_network(const struct srv6d_config *conf,
    const struct srv6d_prefix *pfx)
{
	size_t	i;

	for (i = 0; i < conf->n_networks; i++)
		if (prefix_equal(&conf->networks[i], pfx))
			return (true);
	return (false);
}

/* The same networks in the same order. */
bool
networks_equal(const struct srv6d_config *a, const struct srv6d_config *b)
{
	size_t	i;

	if (a->n_networks != b->n_networks)
		return (false);
	for (i = 0; i < a->n_networks; i++)
		if (!prefix_equal(&a->networks[i], &b->networks[i]))
			return (false);
	return (true);
}

/* ------------------------------------------------------------------ */
/* filter rules                                                        */

/* A rule that matches every route from any peer and sets nothing. */
struct filter_rule *
filter_rule_new(void)
{
	struct filter_rule	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	r->action = FILTER_ALLOW;
	r->dir = FILTER_IN;
	r->peer = FILTER_PEER_ANY;
	r->peer_addr.af = AF_UNSPEC;
	r->prefix.addr.af = AF_UNSPEC;
	r->as_type = FILTER_AS_NONE;
	return (r);
}

/* Frees one rule; the caller has unlinked it. */
void
filter_rule_free(struct filter_rule *r)
{
	free(r);
}

/* Empties the list (the head itself is the caller's). */
void
filters_free(struct filter_head *head)
{
	struct filter_rule	*r;

	while ((r = TAILQ_FIRST(head)) != NULL) {
		TAILQ_REMOVE(head, r, entry);
		filter_rule_free(r);
	}
}

static bool
filter_match_equal(const struct filter_rule *a, const struct filter_rule *b)
{
	return (a->peer == b->peer &&
	    addr_cmp(&a->peer_addr, &b->peer_addr) == 0 &&
	    strcmp(a->group, b->group) == 0 &&
	    prefix_equal(&a->prefix, &b->prefix) &&
	    a->len_min == b->len_min &&
	    a->len_max == b->len_max &&
	    a->has_community == b->has_community &&
	    (!a->has_community || a->community == b->community) &&
	    a->as_type == b->as_type &&
	    (a->as_type == FILTER_AS_NONE || a->as == b->as));
}

/* Values of set items that are not set carry no meaning. */
static bool
filter_set_equal(const struct filter_rule *a, const struct filter_rule *b)
{
	uint8_t	set = a->set;

	return (a->set == b->set &&
	    (!(set & FILTER_SET_LOCALPREF) ||
	    a->set_localpref == b->set_localpref) &&
	    (!(set & FILTER_SET_MED) || a->set_med == b->set_med) &&
	    (!(set & FILTER_SET_COMMUNITY) ||
	    a->set_community == b->set_community) &&
	    (!(set & FILTER_SET_PREPEND) ||
	    a->set_prepend == b->set_prepend));
}

/*
 * The line a rule was read from is only shown, never matched: a rule that
 * merely moved in the file is the same rule.
 */
bool
filter_rule_equal(const struct filter_rule *a, const struct filter_rule *b)
{
	return (a->action == b->action &&
	    a->dir == b->dir &&
	    a->quick == b->quick &&
	    filter_match_equal(a, b) &&
	    filter_set_equal(a, b));
}

/* Rules decide in order, so the lists are equal only rule for rule. */
bool
filters_equal(const struct filter_head *a, const struct filter_head *b)
{
	const struct filter_rule	*ra, *rb;

	ra = TAILQ_FIRST(a);
	rb = TAILQ_FIRST(b);
	while (ra != NULL && rb != NULL) {
		if (!filter_rule_equal(ra, rb))
			return (false);
		ra = TAILQ_NEXT(ra, entry);
		rb = TAILQ_NEXT(rb, entry);
	}
	return (ra == NULL && rb == NULL);
}
