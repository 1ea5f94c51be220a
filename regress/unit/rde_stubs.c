/*
 * rde_stubs: stand-ins for rde.c and rde_out.c in the RDE unit tests.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde_stubs.h"

struct rde_peer	 rde_peer_self;
unsigned int	 best_calls;
struct best_call best_last;
unsigned int	 se_calls;
uint32_t	 se_type;
uint32_t	 se_peerid;
uint8_t		 se_data[4096];
size_t		 se_len;

void
rde_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	(void)t;
	best_calls++;
	best_last.pfx = pfx;
	best_last.old_best = old_best;
	best_last.old_attrs = old_attrs;
	best_last.new_best = new_best;
	best_last.old_peer = old_best ? old_best->peer : NULL;
	best_last.new_peer = new_best ? new_best->peer : NULL;
	/* the contract: the new best is first and flagged */
	if (new_best != NULL) {
		assert_ptr_equal(pfx->paths, new_best);
		assert_true(new_best->flags & PATH_F_BEST);
	} else
		assert_null(rde_prefix_best(pfx));
}

void
rde_vrf_paths_changed(struct rde_table *t, struct rde_prefix *pfx)
{
	(void)t;
	(void)pfx;
}

void
rde_se_compose(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	se_calls++;
	se_type = type;
	se_peerid = peerid;
	se_len = len < sizeof(se_data) ? len : sizeof(se_data);
	if (len > 0)
		memcpy(se_data, data, se_len);
}

void
stubs_reset(void)
{
	best_calls = se_calls = 0;
	memset(&best_last, 0, sizeof(best_last));
	se_type = se_peerid = 0;
	se_len = 0;
}

/* A peer that is up; addr and id as text. */
void
peer_init(struct rde_peer *p, uint32_t id, bool ebgp, uint32_t as,
    const char *addr, const char *bgpid)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->ebgp = ebgp;
	p->remote_as = as;
	p->state = PEER_UP;
	p->sess.remote_as = as;
	p->sess.ebgp = ebgp;
	p->sess.capa = CAPA_AS4;
	assert_int_equal(str2addr(addr, &p->sess.remote_addr), 0);
	assert_int_equal(inet_pton(AF_INET, bgpid, &p->sess.remote_id), 1);
}

/* An interned path of one AS_SEQUENCE. */
struct rde_aspath *
path_make(const uint32_t *as, size_t n)
{
	uint8_t	buf[2 + 4 * 255];
	size_t	i;

	assert_true(n <= 255);
	if (n == 0)
		return rde_aspath_intern(NULL, 0);
	buf[0] = BGP_AS_SEQUENCE;
	buf[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		uint32_t v = htonl(as[i]);

		memcpy(buf + 2 + 4 * i, &v, 4);
	}
	return rde_aspath_intern(buf, 2 + 4 * n);
}

struct rde_aspath *
path_segs(const uint8_t *wire, size_t len)
{
	return rde_aspath_intern(wire, len);
}

/* Interned attributes: local-pref, path, origin, next hop. */
struct rde_attrs *
attrs_make(uint32_t lp, const uint32_t *as, size_t n, uint8_t origin,
    const char *nh)
{
	struct rde_attrs	 t, *a;

	rde_attrs_template(&t);
	t.localpref = lp;
	t.flags |= ATTR_F_LOCALPREF;
	t.origin = origin;
	t.aspath = path_make(as, n);
	if (nh != NULL)
		assert_int_equal(str2addr(nh, &t.nexthop), 0);
	a = rde_attrs_intern(&t);
	rde_aspath_unref(t.aspath);
	return a;
}

uint8_t *
v4(const char *s, uint8_t *buf)
{
	assert_int_equal(inet_pton(AF_INET, s, buf), 1);
	return buf;
}
