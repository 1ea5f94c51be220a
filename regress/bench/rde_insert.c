/*
 * rde_insert: how fast the RDE's inbound side takes 1,000,000 IPv4
 * prefixes, 20 per UPDATE (each UPDATE a new AS path), and what memory
 * results.  The UPDATEs are built in memory first and then go through
 * rde_update (parse, intern, import filter, RIB, decision); the outbound
 * side is a no-op here.
 *
 * Build and run (after `make'):
 *	O="rde_update rde_filter rde_attr rde_rib rde_decide bgp_update
 *	    bgp_msg imsg util log"
 *	cc -std=c17 -D_GNU_SOURCE -O2 -Ibgpd -isystem /usr/include/bsd \
 *	    -DLIBBSD_OVERLAY -o build/rde_insert regress/bench/rde_insert.c \
 *	    $(for o in $O; do echo build/bgpd/$o.o; done) -lbsd
 *	build/rde_insert [prefixes]
 */
#include <sys/resource.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp.h"
#include "rde.h"

struct rde_peer	rde_peer_self;

void
rde_out_best_changed(struct rde_table *t, struct rde_prefix *pfx,
    struct rde_path *old_best, struct rde_attrs *old_attrs,
    struct rde_path *new_best)
{
	(void)t, (void)pfx, (void)old_best, (void)old_attrs, (void)new_best;
}

void
rde_se_compose(uint32_t type, uint32_t peerid, const void *data, size_t len)
{
	(void)data;
	fprintf(stderr, "unexpected imsg %u for %u (%zu bytes)\n", type,
	    peerid, len);
	exit(1);
}

static long
rss_kb(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 pages = 0, rss = 0;

	if (f == NULL || fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	if (f != NULL)
		fclose(f);
	return rss * 4;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One UPDATE: ORIGIN, AS_PATH 65001 g>>8 g, NEXT_HOP, 20 /24s. */
static size_t
build(uint8_t *m, uint32_t g, uint32_t first, uint32_t n)
{
	uint8_t		*p = m + BGP_HDR_LEN;
	uint32_t	 as[3] = { htonl(65001), htonl(100000 + (g >> 8)),
			    htonl(200000 + g) }, i, a;
	size_t		 len;

	memset(m, 0xff, BGP_MARKER_LEN);
	m[18] = BGP_UPDATE;
	*p++ = 0, *p++ = 0;			/* no withdrawn routes */
	*p++ = 0, *p++ = 4 + 3 + 14 + 7;	/* attribute length */
	memcpy(p, "\x40\x01\x01\x00", 4), p += 4;
	memcpy(p, "\x40\x02\x0e\x02\x03", 5), p += 5;
	memcpy(p, as, 12), p += 12;
	memcpy(p, "\x40\x03\x04\x0a\x00\x00\x01", 7), p += 7;
	for (i = 0; i < n; i++) {
		a = htonl((first + i) << 8);
		*p++ = 24;
		memcpy(p, &a, 3), p += 3;
	}
	len = p - m;
	m[16] = len >> 8;
	m[17] = len & 0xff;
	return len;
}

int
main(int argc, char *argv[])
{
	struct rde_peer		 peer;
	struct neighbor_config	 conf;
	struct filter_head	 rules;
	struct filter_rule	 allow;
	uint32_t		 n = argc > 1 ? strtoul(argv[1], NULL, 10) :
				    1000000, i, k;
	uint8_t			*msgs;
	size_t			*lens, nmsg = (n + 19) / 20;
	long			 rss0, rss1;
	double			 t0, t1, t2;
	struct rusage		 ru;

	msgs = malloc(nmsg * 160);
	lens = malloc(nmsg * sizeof(*lens));
	for (i = 0, k = 0; i < n; i += 20, k++)
		lens[k] = build(msgs + k * 160, k, 0x010000 + i,
		    n - i < 20 ? n - i : 20);

	memset(&rde_self, 0, sizeof(rde_self));
	rde_self.as = 65000;
	TAILQ_INIT(&rules);
	memset(&allow, 0, sizeof(allow));
	allow.action = FILTER_ALLOW;
	TAILQ_INSERT_TAIL(&rules, &allow, entry);
	rde_self.filters = &rules;
	memset(&peer, 0, sizeof(peer));
	memset(&conf, 0, sizeof(conf));
	peer.id = 1;
	peer.conf = &conf;
	peer.state = PEER_UP;
	peer.ebgp = true;
	peer.remote_as = 65001;
	peer.sess.capa = CAPA_AS4;
	rde_rib_init();

	rss0 = rss_kb();
	t0 = now();
	for (k = 0; k < nmsg; k++)
		rde_update(&peer, msgs + k * 160, lens[k]);
	t1 = now();
	rss1 = rss_kb();
	if (peer.prefixes_best != n) {
		fprintf(stderr, "only %llu of %u best\n",
		    (unsigned long long)peer.prefixes_best, n);
		return 1;
	}
	rde_rib_peer_flush(&peer);
	t2 = now();
	getrusage(RUSAGE_SELF, &ru);
	printf("%u prefixes in %zu UPDATEs, %zu attribute sets\n", n, nmsg,
	    nmsg);
	printf("insert: %.3f s (%.0f prefixes/s)\n", t1 - t0, n / (t1 - t0));
	printf("RIB memory: %.1f MB (%.1f bytes/prefix)\n",
	    (rss1 - rss0) / 1024.0, (rss1 - rss0) * 1024.0 / n);
	printf("RSS after insert: %.1f MB (the UPDATEs themselves %.1f MB)\n",
	    rss1 / 1024.0, nmsg * 160 / 1048576.0);
	printf("session down (remove all): %.3f s\n", t2 - t1);
	printf("peak RSS: %.1f MB\n", ru.ru_maxrss / 1024.0);
	rde_rib_shutdown();
	free(msgs);
	free(lens);
	return 0;
}
