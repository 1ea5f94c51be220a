/*
 * fib.c: the parent's side of the RDE's FIB batches.  A batch is checked
 * whole before any of it is applied: it comes from our own process, so a
 * malformed one is a broken invariant and the caller makes it fatal.
 * Each record then updates the parent's fib_state, and what changed goes
 * to the kernel (fib_kernel.c); unchanged records cost no message.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "fib.h"
#include "log.h"
#include "srv6.h"

static struct fib_state	*fib_st;
static enum kernel_mode	 fib_mode;

static const char *
fib_change_verb(enum fib_change ch)
{
	switch (ch) {
	case FIB_CHANGE_ADDED:
		return "add";
	case FIB_CHANGE_REPLACED:
		return "replace";
	case FIB_CHANGE_SAME:
		return "unchanged";
	case FIB_CHANGE_DELETED:
		return "delete";
	default:
		return "delete (not held)";
	}
}

static void
fib_stats_count(struct fib_stats *s, enum fib_change ch)
{
	s->records++;
	switch (ch) {
	case FIB_CHANGE_ADDED:
		s->added++;
		break;
	case FIB_CHANGE_REPLACED:
		s->replaced++;
		break;
	case FIB_CHANGE_SAME:
		s->same++;
		break;
	case FIB_CHANGE_DELETED:
		s->deleted++;
		break;
	case FIB_CHANGE_NONE:
		s->unknown++;
		break;
	}
}

/* "encap seg6 SID via GW, SID via GW" for a route's paths. */
static void
fib_nexthops_str(const struct fib_nexthop *nh, unsigned int n, char *buf,
    size_t size)
{
	char		 sid[INET6_ADDRSTRLEN];
	unsigned int	 i;
	size_t		 len;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		inet_ntop(AF_INET6, &nh[i].sid, sid, sizeof(sid));
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s via %s",
		    i == 0 ? " encap seg6 " : ", ", sid,
		    addr2str(&nh[i].gateway));
	}
}

static void
fib_log_route(enum fib_change ch, const struct fib_route *r,
    const struct fib_nexthop *nh)
{
	char	 paths[FIB_NEXTHOPS_MAX * 96];

	if (log_getverbose() == 0)
		return;
	fib_nexthops_str(nh, r->n_nexthops, paths, sizeof(paths));
	log_debug("fib: %s %s table %u%s%s%s", fib_change_verb(ch),
	    prefix2str(&r->dst), r->table, r->vrf[0] != '\0' ? " vrf " : "",
	    r->vrf, paths);
}

static void
fib_log_sid(enum fib_change ch, const struct fib_sid *s)
{
	char	 sid[INET6_ADDRSTRLEN], target[64];

	if (log_getverbose() == 0)
		return;
	inet_ntop(AF_INET6, &s->sid, sid, sizeof(sid));
	if (s->nh.af != AF_UNSPEC)
		snprintf(target, sizeof(target), "nh %s", addr2str(&s->nh));
	else
		snprintf(target, sizeof(target), "table %u", s->table);
	log_debug("fib: sid %s %s %s %s vrf %s locator %s",
	    fib_change_verb(ch), sid, srv6_behavior_name(s->behavior), target,
	    s->vrf[0] != '\0' ? s->vrf : "-",
	    s->locator[0] != '\0' ? s->locator : "-");
}

int
fib_apply_routes(struct fib_state *st, const void *buf, size_t len,
    struct fib_stats *stats, const char **why)
{
	struct fib_route	 r;
	struct fib_nexthop	 nh[FIB_NEXTHOPS_MAX];
	enum fib_change		 ch;
	size_t			 off;
	int			 n;

	memset(stats, 0, sizeof(*stats));
	off = 0;
	while ((n = fib_route_next(buf, len, &off, &r, nh, why)) == 1)
		fib_state_route_prefetch(st, r.table, &r.dst);
	if (n == -1)
		return -1;
	off = 0;
	while (fib_route_next(buf, len, &off, &r, nh, NULL) == 1) {
		struct fib_route		 old;
		struct fib_nexthop		 old_nh[FIB_NEXTHOPS_MAX];

		ch = fib_state_route_old(st, &r, nh, &old, old_nh);
		fib_stats_count(stats, ch);
		fib_log_route(ch, &r, nh);
		if (ch == FIB_CHANGE_ADDED || ch == FIB_CHANGE_REPLACED ||
		    ch == FIB_CHANGE_DELETED)
			fk_route(&r, nh, old.op != 0 ? &old : NULL, old_nh);
	}
	return 0;
}

int
fib_apply_sids(struct fib_state *st, const void *buf, size_t len,
    struct fib_stats *stats, const char **why)
{
	struct fib_sid		 s;
	enum fib_change		 ch;
	size_t			 off;
	int			 n;

	memset(stats, 0, sizeof(*stats));
	off = 0;
	while ((n = fib_sid_next(buf, len, &off, &s, why)) == 1)
		;
	if (n == -1)
		return -1;
	off = 0;
	while (fib_sid_next(buf, len, &off, &s, NULL) == 1) {
		ch = fib_state_sid(st, &s);
		fib_stats_count(stats, ch);
		fib_log_sid(ch, &s);
		if (ch == FIB_CHANGE_ADDED || ch == FIB_CHANGE_REPLACED ||
		    ch == FIB_CHANGE_DELETED)
			fk_sid(&s, ch == FIB_CHANGE_REPLACED);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the parent's state                                                  */

void
fib_init(enum kernel_mode mode)
{
	fib_mode = mode;
	if (fib_st == NULL)
		fib_st = fib_state_new();
}

void
fib_shutdown(void)
{
	fib_state_free(fib_st);
	fib_st = NULL;
}

enum kernel_mode
fib_kernel_mode(void)
{
	return fib_mode;
}

void
fib_walk_routes(fib_route_walk_cb cb, void *arg)
{
	if (fib_st != NULL)
		fib_state_route_walk(fib_st, cb, arg);
}

void
fib_walk_sids(fib_sid_walk_cb cb, void *arg)
{
	if (fib_st != NULL)
		fib_state_sid_walk(fib_st, cb, arg);
}

static void
fib_log_batch(const char *what, const struct fib_stats *s)
{
	log_debug("fib: %s batch of %zu (%zu added, %zu replaced, %zu "
	    "unchanged, %zu deleted, %zu not held); %zu routes in %zu "
	    "tables, %zu SIDs",
	    what, s->records, s->added, s->replaced, s->same, s->deleted,
	    s->unknown, fib_state_nroutes(fib_st), fib_state_ntables(fib_st),
	    fib_state_nsids(fib_st));
}

int
fib_imsg_routes(const void *buf, size_t len, const char **why)
{
	struct fib_stats	 s;

	if (fib_st == NULL)
		fatalx("%s: fib_init not called", __func__);
	if (fib_apply_routes(fib_st, buf, len, &s, why) == -1)
		return -1;
	fib_log_batch("route", &s);
	return 0;
}

int
fib_imsg_sids(const void *buf, size_t len, const char **why)
{
	struct fib_stats	 s;

	if (fib_st == NULL)
		fatalx("%s: fib_init not called", __func__);
	if (fib_apply_sids(fib_st, buf, len, &s, why) == -1)
		return -1;
	fib_log_batch("SID", &s);
	return 0;
}
