/*
 * rde.c: the RDE as the other processes see it, over real imsg channels.
 * A configuration from the "parent", a session and its UPDATEs from the
 * "SE", then the show rib and show neighbor replies: their wire format,
 * the request flags, a chunked dump of a big table, a dump stopped by
 * IMSG_CTL_TERMINATE, and a session going down.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bgp.h"
#include "rde.h"

#define CTL_ID		77

static struct imsgbuf	 parent, se;
static struct event_base *base;

static void
pump(void)
{
	int	i;

	for (i = 0; i < 20; i++)
		event_loop(EVLOOP_NONBLOCK);
}

/* The next imsg on ib, running the RDE until one comes. */
static void
next(struct imsgbuf *ib, struct imsg *imsg)
{
	int	i;

	for (i = 0; i < 5000; i++) {
		if (imsg_get(ib, imsg) > 0) {
			/* the outbound side's traffic: test_rde_out checks it */
			if (imsg->hdr.type == IMSG_UPDATE ||
			    imsg->hdr.type == IMSG_SESSION_EOR_SENT) {
				imsg_free(imsg);
				continue;
			}
			return;
		}
		pump();
		if (imsgbuf_read(ib) == 0)
			fail_msg("RDE closed the channel");
		if (i > 10)
			usleep(1000);	/* a dump waits for the SE to read */
	}
	fail_msg("no reply from the RDE");
}

static void
send_se(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	assert_int_equal(imsg_compose(&se, type, peerid, 0, -1, data, len),
	    0);
	assert_int_equal(imsgbuf_flush(&se), 0);
	pump();
}

static void
send_config_action(enum filter_action action)
{
	struct srv6d_config	*c = config_new();
	struct neighbor_config	*nc = neighbor_config_new();
	struct filter_rule	*r = filter_rule_new();
	struct imsg		 imsg;

	c->as = 65000;
	inet_pton(AF_INET, "192.0.2.254", &c->router_id);
	str2addr("10.0.0.1", &nc->addr);
	nc->remote_as = 65001;
	nc->id = 1;
	TAILQ_INSERT_TAIL(&c->neighbors, nc, entry);
	r->action = action;
	TAILQ_INSERT_TAIL(&c->filters, r, entry);
	assert_int_equal(config_send(&parent, c), 0);
	assert_int_equal(imsgbuf_flush(&parent), 0);
	next(&parent, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_RECONF_DONE);
	imsg_free(&imsg);
	config_free(c);
}

static void
send_config(void)
{
	send_config_action(FILTER_ALLOW);
}

static void
session_up(void)
{
	struct session_up	su;

	memset(&su, 0, sizeof(su));
	str2addr("10.0.0.1", &su.remote_addr);
	str2addr("10.0.0.2", &su.local_addr);
	inet_pton(AF_INET, "1.1.1.1", &su.remote_id);
	su.remote_as = 65001;
	su.capa = CAPA_AS4;
	su.afs = AFS_IPV4_UNICAST;
	su.ebgp = 1;
	send_se(IMSG_SESSION_UP, 1, &su, sizeof(su));
}

/* An UPDATE for n /24s from 20.0.0.0 on, path 65001 65002, 1 community. */
static void
announce(uint32_t first, uint32_t n)
{
	static const uint8_t	 attrs[] = {
		0x40, 1, 1, 0,
		0x40, 2, 10, 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea,
		0x40, 3, 4, 10, 0, 0, 1,
		0xc0, 8, 4, 0xfd, 0xe9, 0, 7,
	};
	uint8_t			 m[4096], *p;
	uint32_t		 i, a;

	assert_true(n <= 1000);
	memset(m, 0xff, 16);
	m[18] = BGP_UPDATE;
	p = m + 19;
	*p++ = 0, *p++ = 0;
	*p++ = 0, *p++ = sizeof(attrs);
	memcpy(p, attrs, sizeof(attrs));
	p += sizeof(attrs);
	for (i = 0; i < n; i++) {
		a = htonl(0x14000000 + ((first + i) << 8));
		*p++ = 24;
		memcpy(p, &a, 3);
		p += 3;
	}
	m[16] = (p - m) >> 8;
	m[17] = (p - m) & 0xff;
	send_se(IMSG_UPDATE, 1, m, p - m);
}

/* Count the replies to a show rib request; check the first one. */
static size_t
show_rib(const struct ctl_rib_request *req, struct ctl_show_rib *first,
    uint32_t *words)
{
	struct imsg	imsg;
	size_t		n = 0, len;

	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, req, sizeof(*req));
	for (;;) {
		next(&se, &imsg);
		assert_int_equal(imsg.hdr.peerid, CTL_ID);
		if (imsg.hdr.type == IMSG_CTL_END) {
			imsg_free(&imsg);
			return n;
		}
		if (imsg.hdr.type == IMSG_CTL_RESULT) {
			imsg_free(&imsg);
			continue;
		}
		assert_int_equal(imsg.hdr.type, IMSG_CTL_SHOW_RIB);
		len = imsg_get_len(&imsg);
		assert_true(len >= sizeof(*first));
		if (n++ == 0 && first != NULL) {
			memcpy(first, ibuf_data(&imsg.buf), sizeof(*first));
			memcpy(words, (const uint8_t *)ibuf_data(&imsg.buf) +
			    sizeof(*first), len - sizeof(*first));
		}
		imsg_free(&imsg);
	}
}

static int
setup(void **state)
{
	int	p[2], s[2];

	(void)state;
	base = event_init();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(s[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fcntl(s[1], F_SETFL, O_NONBLOCK);
	imsgbuf_init(&parent, p[0]);
	imsgbuf_init(&se, s[0]);
	rde_init(p[1], s[1]);
	send_config();
	session_up();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rde_shutdown();
	imsgbuf_clear(&parent);
	imsgbuf_clear(&se);
	close(parent.fd);
	close(se.fd);
	event_base_free(base);
	assert_int_equal(rde_attrs_count(), 0);
	assert_int_equal(rde_aspath_count(), 0);
	return 0;
}

static void
test_show_rib(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_show_rib	 r;
	uint32_t		 w[64];

	(void)state;
	announce(0, 3);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_string_equal(addr2str(&r.neighbor), "10.0.0.1");
	assert_string_equal(addr2str(&r.nexthop), "10.0.0.1");
	assert_int_equal(r.neighbor_id.s_addr, htonl(0x01010101));
	assert_int_equal(r.flags, RIB_F_BEST | RIB_F_ELIGIBLE);
	assert_int_equal(r.localpref, 100);
	assert_int_equal(r.n_aspath, 3);
	assert_int_equal(r.n_communities, 1);
	assert_int_equal(w[0], BGP_AS_SEQUENCE << 16 | 2);
	assert_int_equal(w[1], 65001);
	assert_int_equal(w[2], 65002);
	assert_int_equal(w[3], 65001U << 16 | 7);
	assert_int_equal(r.prefix.len, 24);
	/* one prefix, exact; an address finds its covering prefix */
	req.flags = RIB_REQ_PREFIX;
	str2prefix("20.0.1.0/24", &req.prefix);
	assert_int_equal(show_rib(&req, &r, w), 1);
	assert_string_equal(prefix2str(&r.prefix), "20.0.1.0/24");
	str2prefix("20.0.2.77/32", &req.prefix);
	assert_int_equal(show_rib(&req, &r, w), 1);
	assert_string_equal(prefix2str(&r.prefix), "20.0.2.0/24");
	/* more specifics of 20.0.0.0/23 */
	req.flags = RIB_REQ_PREFIX | RIB_REQ_LONGER;
	str2prefix("20.0.0.0/23", &req.prefix);
	assert_int_equal(show_rib(&req, NULL, NULL), 2);
	/* IPv6 only: nothing */
	memset(&req, 0, sizeof(req));
	req.afs = AFS_IPV6_UNICAST;
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	/* a neighbor we do not know: a result, then END */
	req.afs = 0;
	req.flags = RIB_REQ_NEIGHBOR;
	str2addr("10.9.9.9", &req.neighbor);
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	str2addr("10.0.0.1", &req.neighbor);
	req.flags = RIB_REQ_NEIGHBOR | RIB_REQ_IN | RIB_REQ_BEST;
	assert_int_equal(show_rib(&req, NULL, NULL), 3);
}

static void
test_show_neighbor(void **state)
{
	struct ctl_show_neighbor	 n;
	struct imsg			 imsg;

	(void)state;
	announce(0, 5);
	memset(&n, 0, sizeof(n));
	str2addr("10.0.0.1", &n.addr);
	n.remote_as = 65001;
	send_se(IMSG_CTL_SHOW_NEIGHBOR, CTL_ID, &n, sizeof(n));
	send_se(IMSG_CTL_END, CTL_ID, NULL, 0);
	next(&se, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_CTL_SHOW_NEIGHBOR);
	assert_int_equal(imsg.hdr.peerid, CTL_ID);
	assert_int_equal(imsg_get_data(&imsg, &n, sizeof(n)), 0);
	assert_int_equal(n.prefixes_received, 5);
	assert_int_equal(n.prefixes_accepted, 5);
	assert_int_equal(n.prefixes_best, 5);
	assert_int_equal(n.remote_as, 65001);
	imsg_free(&imsg);
	next(&se, &imsg);
	assert_int_equal(imsg.hdr.type, IMSG_CTL_END);
	imsg_free(&imsg);
}

static void
test_big_dump_and_down(void **state)
{
	struct ctl_rib_request	 req;
	struct imsg		 imsg;
	uint32_t		 i;

	(void)state;
	for (i = 0; i < 5000; i += 1000)
		announce(i, 1000);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, NULL, NULL), 5000);
	/* a dump stopped by its client: no END comes */
	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, &req, sizeof(req));
	send_se(IMSG_CTL_TERMINATE, CTL_ID, NULL, 0);
	req.flags = RIB_REQ_PREFIX;
	str2prefix("30.0.0.0/8", &req.prefix);
	send_se(IMSG_CTL_SHOW_RIB, CTL_ID, &req, sizeof(req));
	for (i = 0;; i++) {
		next(&se, &imsg);
		if (imsg.hdr.type == IMSG_CTL_END)
			break;
		imsg_free(&imsg);
	}
	/* the only END is the one of the next request */
	imsg_free(&imsg);
	assert_true(i < 5000);
	memset(&req, 0, sizeof(req));
	send_se(IMSG_SESSION_DOWN, 1, NULL, 0);
	assert_int_equal(rde_rib_paths(), 0);
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
}

/* A reload with other filters applies them to what was received. */
static void
test_reload_refilter(void **state)
{
	struct ctl_rib_request	 req;
	struct ctl_show_rib	 r;
	uint32_t		 w[64];

	(void)state;
	announce(0, 3);
	send_config_action(FILTER_DENY);
	memset(&req, 0, sizeof(req));
	assert_int_equal(show_rib(&req, NULL, NULL), 0);
	req.flags = RIB_REQ_IN;
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_int_equal(r.flags, RIB_F_FILTERED);
	send_config();
	req.flags = RIB_REQ_BEST;
	assert_int_equal(show_rib(&req, &r, w), 3);
	assert_int_equal(r.flags, RIB_F_BEST | RIB_F_ELIGIBLE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_show_rib, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_neighbor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_big_dump_and_down, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_refilter, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
