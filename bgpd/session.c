/*
 * Session engine (SE): unprivileged, chrooted.  It keeps one struct peer
 * per configured neighbor and runs the BGP FSM for it (session_fsm.c
 * decides, this file acts): connects and accepts (session_io.c), OPEN
 * and capability negotiation, keepalives and hold timers, NOTIFICATIONs.
 * UPDATEs and ROUTE-REFRESHes are relayed to the RDE as they are, and the
 * RDE's UPDATEs are written to the peers.  It also serves the control
 * socket (control.c).
 */
#include <sys/socket.h>
#include <sys/tree.h>
#include <sys/types.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgp.h"
#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "session.h"
#include "session_fsm.h"
#include "srv6d.h"

struct peer_tree	 se_peers = RB_INITIALIZER(&se_peers);
struct srv6d_config	*se_conf;
time_t			 se_started;
time_t			 se_reloaded;

static struct srv6d_config	*se_pending;	/* being received */
static struct srv6d_config	*se_conf_prev;	/* during a reload */
static struct imsgev		 se_iev_parent;
static struct imsgev		 se_iev_rde;
static uint32_t			 se_peer_nextid = 1;	/* ids not from conf */
static int			 se_reloads;	/* streams committed */
static bool			 se_running;	/* event loop: FSM live */
static enum kernel_mode		 se_kernel_mode;	/* from the parent */

/* Address families as AFS_* bits and as AFI/SAFI. */
static const struct {
	uint8_t		 afs;
	uint16_t	 afi;
	uint8_t		 safi;
} se_families[] = {
	{ AFS_IPV4_UNICAST,	BGP_AFI_IPV4,	BGP_SAFI_UNICAST },
	{ AFS_IPV6_UNICAST,	BGP_AFI_IPV6,	BGP_SAFI_UNICAST },
	{ AFS_VPNV4,		BGP_AFI_IPV4,	BGP_SAFI_MPLSVPN },
	{ AFS_VPNV6,		BGP_AFI_IPV6,	BGP_SAFI_MPLSVPN },
};
#define SE_NFAMILIES	(sizeof(se_families) / sizeof(se_families[0]))

/* RFC 4724: restart time we advertise (the procedures come later). */
#define SE_GR_TIME		120

static uint32_t	session_fsm(struct peer *, enum fsm_event,
		    const struct bgp_notification *);
static void	session_notify(struct peer *, struct conn *,
		    const struct bgp_notification *);

static int
peer_cmp(struct peer *a, struct peer *b)
{
	return addr_cmp(&a->conf.addr, &b->conf.addr);
}

RB_GENERATE(peer_tree, peer, entry, peer_cmp)

/* The RDE names peers by id: every UPDATE it sends is looked up here. */
RB_HEAD(peer_id_tree, peer);
RB_PROTOTYPE(peer_id_tree, peer, id_entry, peer_id_cmp)

static int
peer_id_cmp(struct peer *a, struct peer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE(peer_id_tree, peer, id_entry, peer_id_cmp)

static struct peer_id_tree	 se_peer_ids = RB_INITIALIZER(&se_peer_ids);

struct peer *
peer_find(struct peer_tree *t, const struct srv6d_addr *addr)
{
	struct peer	key;

	memset(&key, 0, sizeof(key));
	key.conf.addr = *addr;
	return RB_FIND(peer_tree, t, &key);
}

struct peer *
peer_find_id(uint32_t id)
{
	struct peer	key;

	key.id = id;
	return RB_FIND(peer_id_tree, &se_peer_ids, &key);
}

static const char *
peer_label(const struct neighbor_config *nc)
{
	static char	 buf[128];

	if (nc->descr[0] != '\0')
		snprintf(buf, sizeof(buf), "%s (%s)", addr2str(&nc->addr),
		    nc->descr);
	else
		snprintf(buf, sizeof(buf), "%s", addr2str(&nc->addr));
	return buf;
}

/* ------------------------------------------------------------------ */
/* timers                                                              */

static void
peer_timer_cb(int fd, short event, void *arg)
{
	static const enum fsm_event	 ev[PT_MAX] = {
		[PT_CONNRETRY] = FSM_EV_CONNRETRY_EXPIRES,
		[PT_HOLD] = FSM_EV_HOLD_EXPIRES,
		[PT_KEEPALIVE] = FSM_EV_KEEPALIVE_EXPIRES,
		[PT_IDLEHOLD] = FSM_EV_START,	/* AutomaticStart */
	};
	struct peer_timer_ev		*t = arg;

	(void)fd;
	(void)event;
	if (t->which == PT_HOLD)
		log_warnx("neighbor %s: hold timer expired",
		    peer_label(&t->peer->conf));
	session_fsm(t->peer, ev[t->which], NULL);
}

static void
peer_timers_init(struct peer *p)
{
	int	i;

	for (i = 0; i < PT_MAX; i++) {
		p->timers[i].peer = p;
		p->timers[i].which = i;
		evtimer_set(&p->timers[i].ev, peer_timer_cb, &p->timers[i]);
	}
	p->timers_set = true;
}

/* Start a timer of secs seconds, jittered to 0.75-1 if asked (§10). */
static void
peer_timer_start(struct peer *p, enum peer_timer which, uint32_t secs,
    bool jitter)
{
	struct timeval	 tv;
	uint32_t	 ms = secs * 1000;

	if (!p->timers_set)
		return;
	if (jitter)
		ms = fsm_jitter_ms(secs, arc4random());
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&p->timers[which].ev, &tv);
}

static void
peer_timer_stop(struct peer *p, enum peer_timer which)
{
	if (p->timers_set)
		evtimer_del(&p->timers[which].ev);
}

/* ------------------------------------------------------------------ */
/* peers                                                               */

static void
peer_setconf(struct peer *p, const struct neighbor_config *nc)
{
	p->conf = *nc;
	/* The copy must not point into a config that will be freed. */
	memset(&p->conf.entry, 0, sizeof(p->conf.entry));
}

static struct peer *
peer_add(struct peer_tree *t, const struct neighbor_config *nc)
{
	struct peer	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	peer_setconf(p, nc);
	/* The parent's id, kept for the address across reloads. */
	p->id = nc->id != 0 ? nc->id : se_peer_nextid++;
	p->state = NSTATE_IDLE;
	p->state_since = time(NULL);
	p->admin_down = (nc->flags & NEIGH_F_DOWN) != 0;
	conn_init(&p->conn, p);
	conn_init(&p->coll, p);
	if (se_running)
		peer_timers_init(p);
	if (RB_INSERT(peer_tree, t, p) != NULL)
		fatalx("%s: duplicate neighbor %s", __func__,
		    addr2str(&nc->addr));
	if (t == &se_peers && RB_INSERT(peer_id_tree, &se_peer_ids, p) !=
	    NULL)
		fatalx("%s: duplicate neighbor id %u", __func__, p->id);
	return p;
}

static void
peer_remove(struct peer_tree *t, struct peer *p)
{
	int	i;

	conn_close(&p->conn);
	conn_close(&p->coll);
	for (i = 0; i < PT_MAX; i++)
		peer_timer_stop(p, i);
	RB_REMOVE(peer_tree, t, p);
	if (t == &se_peers)
		RB_REMOVE(peer_id_tree, &se_peer_ids, p);
	free(p);
}

void
peer_tree_clear(struct peer_tree *t)
{
	struct peer	*p, *next;

	RB_FOREACH_SAFE(p, peer_tree, t, next)
		peer_remove(t, p);
}

static uint16_t
peer_holdtime(const struct peer *p)
{
	if (p->conf.holdtime != 0)
		return p->conf.holdtime;
	if (se_conf != NULL && se_conf->holdtime != 0)
		return se_conf->holdtime;
	return BGP_HOLDTIME_DEFAULT;
}

/* Configured families; by default the transport's unicast family. */
static uint8_t
peer_afs(const struct peer *p)
{
	if (p->conf.afs != 0)
		return p->conf.afs;
	return p->conf.addr.af == AF_INET ? AFS_IPV4_UNICAST :
	    AFS_IPV6_UNICAST;
}

static uint32_t
local_as(void)
{
	return se_conf != NULL ? se_conf->as : 0;
}

static uint32_t
local_bgpid(void)
{
	return se_conf != NULL ? ntohl(se_conf->router_id.s_addr) : 0;
}

/* ------------------------------------------------------------------ */
/* sending                                                             */

static struct ibuf *
msg_buf(void)
{
	struct ibuf	*b;

	if ((b = ibuf_dynamic(BGP_HDR_LEN, BGP_MAX_LEN_EXT)) == NULL)
		fatal("%s", __func__);
	return b;
}

/* Queue a whole message on c; a peer that reads nothing is reset. */
static void
session_send(struct peer *p, struct conn *c, struct ibuf *b, uint8_t type)
{
	if (conn_send(c, b) == -1) {
		log_warnx("neighbor %s: not reading, output queue full",
		    peer_label(&p->conf));
		if (c == &p->conn)
			session_fsm(p, FSM_EV_TCP_FAILS, NULL);
		else
			conn_close(c);
		return;
	}
	if (type <= BGP_RREFRESH)
		p->msgs_out[type]++;
}

/*
 * RFC 8950 §3: IPv4 (unicast and VPN) routes with IPv6 next hops, offered
 * on IPv6 sessions for the IPv4 families we carry.
 */
static void
session_caps_ext_nh(const struct peer *p, uint8_t afs, struct bgp_caps *c)
{
	if (p->conf.addr.af != AF_INET6)
		return;
	if (afs & AFS_IPV4_UNICAST)
		c->ext_nh[c->next_nh++] = (struct bgp_ext_nh){ BGP_AFI_IPV4,
		    BGP_SAFI_UNICAST, BGP_AFI_IPV6 };
	if (afs & AFS_VPNV4)
		c->ext_nh[c->next_nh++] = (struct bgp_ext_nh){ BGP_AFI_IPV4,
		    BGP_SAFI_MPLSVPN, BGP_AFI_IPV6 };
}

/* Our capabilities for this peer (RFC 5492). */
static void
session_caps(const struct peer *p, struct bgp_caps *c)
{
	uint8_t	afs = peer_afs(p);
	size_t	i;

	memset(c, 0, sizeof(*c));
	c->as4 = 1;
	c->as = local_as();
	c->rrefresh = 1;
	c->enh_rrefresh = 1;
	c->ext_msg = 1;
	/* Graceful restart: restart time, no flags (End-of-RIB only). */
	c->gr = 1;
	c->gr_time = SE_GR_TIME;
	for (i = 0; i < SE_NFAMILIES; i++) {
		if (!(afs & se_families[i].afs))
			continue;
		c->mp[c->nmp].afi = se_families[i].afi;
		c->mp[c->nmp++].safi = se_families[i].safi;
		c->gr_af[c->ngr_af].afi = se_families[i].afi;
		c->gr_af[c->ngr_af++].safi = se_families[i].safi;
	}
	session_caps_ext_nh(p, afs, c);
}

static void
session_send_open(struct peer *p, struct conn *c)
{
	struct bgp_open	 o;
	struct ibuf	*b = msg_buf();

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.as = local_as();
	o.holdtime = peer_holdtime(p);
	o.bgpid = local_bgpid();
	session_caps(p, &o.caps);
	if (bgp_open_encode(b, &o) == -1)
		fatal("%s: encode", __func__);
	session_send(p, c, b, BGP_OPEN);
}

static void
session_send_keepalive(struct peer *p, struct conn *c)
{
	struct ibuf	*b = msg_buf();

	if (bgp_keepalive_encode(b) == -1)
		fatal("%s: encode", __func__);
	session_send(p, c, b, BGP_KEEPALIVE);
}

/* Escape what a terminal or a log must not see raw (RFC 9003 §5). */
static void
session_sanitize(char *dst, size_t size, const char *src)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 o = 0;

	for (; *s != '\0' && o + 5 < size; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			o += snprintf(dst + o, size - o, "\\x%02x", *s);
		else
			dst[o++] = *s;
	}
	dst[o] = '\0';
}

/*
 * A NOTIFICATION on c, remembered for show.  The caller closes c (the
 * close gives the queued message its chance to leave).
 */
static void
session_notify(struct peer *p, struct conn *c,
    const struct bgp_notification *n)
{
	struct ibuf	*b = msg_buf();

	if (c->fd == -1 || c->connecting) {
		ibuf_free(b);
		return;
	}
	if (bgp_notification_encode(b, n) == -1) {
		log_warn("neighbor %s: NOTIFICATION", peer_label(&p->conf));
		ibuf_free(b);
		return;
	}
	session_send(p, c, b, BGP_NOTIFICATION);
	p->last_sent_code = n->code;
	p->last_sent_subcode = n->subcode;
	session_sanitize(p->last_sent_reason, sizeof(p->last_sent_reason),
	    n->comm);
	log_warnx("neighbor %s: sent NOTIFICATION %u/%u (%s)%s%s%s",
	    peer_label(&p->conf), n->code, n->subcode,
	    bgp_err_name(n->code, n->subcode),
	    p->last_sent_reason[0] ? ": \"" : "", p->last_sent_reason,
	    p->last_sent_reason[0] ? "\"" : "");
}

/* The NOTIFICATION a decoder's error asks for. */
static void
notif_from_err(struct bgp_notification *n, const struct bgp_err *err)
{
	memset(n, 0, sizeof(*n));
	n->code = err->code;
	n->subcode = err->subcode;
	n->data.p = bgp_err_data(err);
	n->data.len = err->datalen;
}

static void
notif_cease(struct bgp_notification *n, uint8_t subcode, const char *text)
{
	memset(n, 0, sizeof(*n));
	n->code = BGP_ERR_CEASE;
	n->subcode = subcode;
	if (text != NULL)
		strlcpy(n->comm, text, sizeof(n->comm));
}

/* ------------------------------------------------------------------ */
/* session up and down                                                 */

static void
session_up(struct peer *p)
{
	struct session_up		 up;
	struct bgp_notification		 n;

	p->up_since = time(NULL);
	p->connretry = 0;
	/* §6.8: a connection colliding with an Established one goes. */
	if (p->coll.fd != -1) {
		notif_cease(&n, BGP_CEASE_COLLISION, NULL);
		session_notify(p, &p->coll, &n);
		conn_close(&p->coll);
	}
	memset(&up, 0, sizeof(up));
	up.remote_addr = p->conf.addr;
	up.local_addr = p->conn.local;
	up.remote_id = p->remote_id;
	up.remote_as = p->remote_as;
	up.capa = p->capa;
	up.afs = p->afs;
	up.ext_nexthop = p->ext_nexthop;
	up.ebgp = p->remote_as != local_as();
	log_info("neighbor %s: session established, AS %u, id %s, hold "
	    "time %u", peer_label(&p->conf), p->remote_as,
	    inet_ntoa(p->remote_id), p->holdtime);
	if (session_to_rde(IMSG_SESSION_UP, p->id, &up, sizeof(up)) == -1)
		fatal("%s: compose", __func__);
}

static void
session_down(struct peer *p)
{
	p->flaps++;
	p->up_since = 0;
	log_info("neighbor %s: session down", peer_label(&p->conf));
	if (session_to_rde(IMSG_SESSION_DOWN, p->id, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

/*
 * In a collision the peer's connection may outlive ours (the peer closed
 * ours with Cease/7 first): it becomes the main one, in OpenSent (our
 * OPEN went out on it at accept).
 */
static bool
session_coll_promote(struct peer *p)
{
	if (p->coll.fd == -1 || (p->state != NSTATE_OPENSENT &&
	    p->state != NSTATE_OPENCONFIRM))
		return false;
	log_debug("neighbor %s: continuing on its connection",
	    peer_label(&p->conf));
	conn_move(&p->conn, &p->coll);
	p->coll_moved = true;
	p->state = NSTATE_OPENSENT;
	p->state_since = time(NULL);
	peer_timer_stop(p, PT_KEEPALIVE);
	peer_timer_start(p, PT_HOLD, FSM_HOLD_LARGE, false);
	return true;
}

static void
session_connect(struct peer *p)
{
	conn_close(&p->conn);
	if (conn_connect(&p->conn, &p->conf) == -1)
		session_conn_connected(&p->conn, errno ? errno : EINVAL);
}

/* The timers of FSM actions. */
static void
session_fsm_timers(struct peer *p, uint32_t a)
{
	if (a & FSM_A_CONNRETRY_STOP)
		peer_timer_stop(p, PT_CONNRETRY);
	if (a & FSM_A_CONNRETRY_START) {
		p->connretry = fsm_connretry_next(p->connretry);
		peer_timer_start(p, PT_CONNRETRY, p->connretry, true);
	}
	if (a & FSM_A_HOLD_LARGE)
		peer_timer_start(p, PT_HOLD, FSM_HOLD_LARGE, false);
	if (a & FSM_A_HOLD_START) {
		if (p->holdtime != 0)
			peer_timer_start(p, PT_HOLD, p->holdtime, false);
		else
			peer_timer_stop(p, PT_HOLD);
	}
	if ((a & FSM_A_KEEPALIVE_START) && p->keepalive != 0)
		peer_timer_start(p, PT_KEEPALIVE, p->keepalive, true);
}

static void
session_to_idle(struct peer *p, uint32_t a, time_t uptime)
{
	peer_timer_stop(p, PT_CONNRETRY);
	peer_timer_stop(p, PT_HOLD);
	peer_timer_stop(p, PT_KEEPALIVE);
	conn_close(&p->coll);
	if (!(a & FSM_A_IDLEHOLD) || p->admin_down || p->maxprefix_held)
		return;
	p->idlehold = fsm_idlehold_next(p->idlehold, uptime);
	log_info("neighbor %s: restarting in %u seconds",
	    peer_label(&p->conf), p->idlehold);
	peer_timer_start(p, PT_IDLEHOLD, p->idlehold, true);
}

/*
 * Feed an event to the FSM and carry out its actions.  n is the
 * NOTIFICATION that comes with the event (errors found in a message, a
 * stop's Cease).  Returns the actions, for FSM_A_RELAY.
 */
static uint32_t
session_fsm(struct peer *p, enum fsm_event ev,
    const struct bgp_notification *n)
{
	struct fsm_result	 res;
	struct bgp_notification	 own;
	enum neighbor_state	 old = p->state;
	time_t			 uptime;

	if ((ev == FSM_EV_TCP_FAILS || ev == FSM_EV_NOTIF) &&
	    session_coll_promote(p))
		return 0;
	fsm_step(p->state, ev, (p->conf.flags & NEIGH_F_PASSIVE) != 0, &res);
	uptime = p->up_since != 0 ? time(NULL) - p->up_since : 0;
	if (res.actions & FSM_A_NOTIFY) {
		memset(&own, 0, sizeof(own));
		own.code = res.code;
		own.subcode = res.subcode;
		session_notify(p, &p->conn, &own);
	}
	if ((res.actions & FSM_A_NOTIFY_EVENT) && n != NULL)
		session_notify(p, &p->conn, n);
	if (res.actions & FSM_A_DOWN)
		session_down(p);
	if (res.actions & FSM_A_CLOSE)
		conn_close(&p->conn);
	p->state = res.next;
	if (p->state != old) {
		p->state_since = time(NULL);
		log_debug("neighbor %s: %s -> %s (%s)", peer_label(&p->conf),
		    neighbor_state_name(old), neighbor_state_name(p->state),
		    fsm_event_name(ev));
	}
	if (p->state == NSTATE_IDLE)
		session_to_idle(p, res.actions, uptime);
	session_fsm_timers(p, res.actions);
	if (res.actions & FSM_A_SEND_OPEN)
		session_send_open(p, &p->conn);
	if (res.actions & FSM_A_SEND_KEEPALIVE)
		session_send_keepalive(p, &p->conn);
	if (res.actions & FSM_A_UP)
		session_up(p);
	if (res.actions & FSM_A_CONNECT)
		session_connect(p);
	return res.actions;
}

static void
session_start(struct peer *p)
{
	if (p->admin_down || p->maxprefix_held || !se_running)
		return;
	peer_timer_stop(p, PT_IDLEHOLD);
	session_fsm(p, FSM_EV_START, NULL);
}

/* ManualStop with a Cease (subcode, RFC 9003 text or NULL). */
static void
session_stop(struct peer *p, uint8_t subcode, const char *text)
{
	struct bgp_notification	 n;

	if (!se_running)
		return;
	peer_timer_stop(p, PT_IDLEHOLD);
	notif_cease(&n, subcode, text);
	session_fsm(p, FSM_EV_STOP, &n);
	conn_close(&p->coll);
}

/* ------------------------------------------------------------------ */
/* receiving                                                           */

static void
session_recv_notification(struct peer *p, const uint8_t *msg, size_t len)
{
	struct bgp_notification	 n;

	if (bgp_notification_decode(msg, len, &n) == -1)
		memset(&n, 0, sizeof(n));
	p->last_recv_code = n.code;
	p->last_recv_subcode = n.subcode;
	p->last_recv_reason[0] = '\0';
	if (n.has_comm)
		session_sanitize(p->last_recv_reason,
		    sizeof(p->last_recv_reason), n.comm);
	else if (n.bad_comm)
		strlcpy(p->last_recv_reason, "(malformed shutdown "
		    "communication)", sizeof(p->last_recv_reason));
	log_warnx("neighbor %s: received NOTIFICATION %u/%u (%s)%s%s%s",
	    peer_label(&p->conf), n.code, n.subcode,
	    bgp_err_name(n.code, n.subcode),
	    p->last_recv_reason[0] ? ": \"" : "", p->last_recv_reason,
	    p->last_recv_reason[0] ? "\"" : "");
}

static uint8_t
afs_of(uint16_t afi, uint8_t safi)
{
	size_t	i;

	for (i = 0; i < SE_NFAMILIES; i++)
		if (se_families[i].afi == afi && se_families[i].safi == safi)
			return se_families[i].afs;
	return 0;
}

static bool
ext_nh_has(const struct bgp_caps *c, uint16_t afi, uint16_t safi)
{
	int	i;

	for (i = 0; i < c->next_nh; i++)
		if (c->ext_nh[i].afi == afi && c->ext_nh[i].safi == safi &&
		    c->ext_nh[i].nh_afi == BGP_AFI_IPV6)
			return true;
	return false;
}

/* What both sides agreed on, from the peer's (checked) OPEN. */
static void
session_negotiate(struct peer *p, const struct bgp_open *o)
{
	struct bgp_caps	 ours;
	uint8_t		 theirs = 0;
	int		 i;

	session_caps(p, &ours);
	p->remote_id.s_addr = htonl(o->bgpid);
	p->remote_as = o->as;
	p->holdtime = fsm_holdtime(peer_holdtime(p), o->holdtime);
	p->keepalive = fsm_keepalive(p->holdtime);
	p->capa = 0;
	if (o->caps.as4)
		p->capa |= CAPA_AS4;
	if (o->caps.rrefresh)
		p->capa |= CAPA_REFRESH;
	if (o->caps.enh_rrefresh)
		p->capa |= CAPA_ENHANCED_REFRESH;
	if (o->caps.ext_msg)
		p->capa |= CAPA_EXT_MESSAGE;
	if (o->caps.gr)
		p->capa |= CAPA_GRACEFUL_RESTART;
	/* RFC 4760 §8: without the capability, IPv4 unicast only. */
	for (i = 0; i < o->caps.nmp; i++)
		theirs |= afs_of(o->caps.mp[i].afi, o->caps.mp[i].safi);
	if (o->caps.nmp == 0)
		theirs = AFS_IPV4_UNICAST;
	p->afs = peer_afs(p) & theirs;
	p->ext_nexthop = 0;
	for (i = 0; i < ours.next_nh; i++)
		if (ext_nh_has(&o->caps, ours.ext_nh[i].afi,
		    ours.ext_nh[i].safi))
			p->ext_nexthop |= afs_of(ours.ext_nh[i].afi,
			    ours.ext_nh[i].safi);
	p->maxlen = (p->capa & CAPA_EXT_MESSAGE) ? BGP_MAX_LEN_EXT :
	    BGP_MAX_LEN;
}

/*
 * Decode and check an OPEN (RFC 4271 §6.2).  We require nothing beyond
 * the RFC: a peer without 4-octet AS support is fine.  0, or -1 with the
 * NOTIFICATION to send in *n.
 */
static int
session_open_parse(struct peer *p, const uint8_t *msg, size_t len,
    struct bgp_open *o, struct bgp_err *err)
{
	struct bgp_open_policy	 pol;

	memset(&pol, 0, sizeof(pol));
	pol.local_as = local_as();
	pol.local_bgpid = local_bgpid();
	pol.remote_as = p->conf.remote_as;
	if (bgp_open_decode(msg, len, o, err) == -1 ||
	    bgp_open_check(o, &pol, err) == -1) {
		log_warnx("neighbor %s: bad OPEN: %s", peer_label(&p->conf),
		    bgp_err_name(err->code, err->subcode));
		return -1;
	}
	return 0;
}

static void
session_recv_open(struct peer *p, const uint8_t *msg, size_t len)
{
	struct bgp_open		 o;
	struct bgp_err		 err;
	struct bgp_notification	 n;

	if (p->state != NSTATE_OPENSENT) {
		session_fsm(p, FSM_EV_OPEN, NULL);	/* an FSM error */
		return;
	}
	if (session_open_parse(p, msg, len, &o, &err) == -1) {
		notif_from_err(&n, &err);
		session_fsm(p, FSM_EV_OPEN_ERR, &n);
		return;
	}
	session_negotiate(p, &o);
	session_fsm(p, FSM_EV_OPEN, NULL);
}

static void
session_recv_rrefresh(struct peer *p, const uint8_t *msg, size_t len)
{
	struct bgp_rrefresh	 rr;
	struct session_refresh	 sr;
	struct bgp_err		 err;
	struct bgp_notification	 n;
	int			 rv;

	if ((rv = bgp_rrefresh_decode(msg, len, &rr, &err)) == -1) {
		notif_from_err(&n, &err);
		session_fsm(p, FSM_EV_UPDATE_ERR, &n);
		return;
	}
	if (!(session_fsm(p, FSM_EV_UPDATE, NULL) & FSM_A_RELAY) || rv == 1)
		return;
	/* RFC 2918 §4: a family we did not negotiate is ignored. */
	if (!(afs_of(rr.afi, rr.safi) & p->afs)) {
		log_info("neighbor %s: ROUTE-REFRESH for AFI %u SAFI %u "
		    "ignored", peer_label(&p->conf), rr.afi, rr.safi);
		return;
	}
	memset(&sr, 0, sizeof(sr));
	sr.afi = rr.afi;
	sr.safi = rr.safi;
	sr.subtype = rr.subtype;
	if (session_to_rde(IMSG_REFRESH, p->id, &sr, sizeof(sr)) == -1)
		fatal("%s: compose", __func__);
}

static void
session_msg(struct peer *p, const uint8_t *msg, const struct bgp_hdr *hdr)
{
	struct bgp_notification	 n;

	switch (hdr->type) {
	case BGP_OPEN:
		session_recv_open(p, msg, hdr->len);
		break;
	case BGP_UPDATE:
		if (session_fsm(p, FSM_EV_UPDATE, NULL) & FSM_A_RELAY &&
		    session_to_rde(IMSG_UPDATE, p->id, msg, hdr->len) == -1)
			fatal("%s: compose", __func__);
		break;
	case BGP_NOTIFICATION:
		session_recv_notification(p, msg, hdr->len);
		memset(&n, 0, sizeof(n));
		session_fsm(p, FSM_EV_NOTIF, &n);
		break;
	case BGP_KEEPALIVE:
		session_fsm(p, FSM_EV_KEEPALIVE, NULL);
		break;
	case BGP_RREFRESH:
		session_recv_rrefresh(p, msg, hdr->len);
		break;
	}
}

/* Close the collision connection with a NOTIFICATION. */
static void
session_coll_drop(struct peer *p, uint8_t code, uint8_t subcode)
{
	struct bgp_notification	 n;

	memset(&n, 0, sizeof(n));
	n.code = code;
	n.subcode = subcode;
	session_notify(p, &p->coll, &n);
	conn_close(&p->coll);
}

/*
 * RFC 4271 §6.8: the peer's OPEN on its own connection while ours is in
 * OpenSent or OpenConfirm.  Its BGP identifier decides which connection
 * stays; the loser gets Cease/7.
 */
static void
session_coll_open(struct peer *p, const uint8_t *msg, size_t len)
{
	struct bgp_open		 o;
	struct bgp_err		 err;
	struct bgp_notification	 n;

	if (session_open_parse(p, msg, len, &o, &err) == -1) {
		notif_from_err(&n, &err);
		session_notify(p, &p->coll, &n);
		conn_close(&p->coll);
		return;
	}
	if (!fsm_collision_keep_new(local_bgpid(), o.bgpid, local_as(), o.as,
	    p->conn.outgoing, p->coll.outgoing)) {
		log_info("neighbor %s: connection collision, keeping ours",
		    peer_label(&p->conf));
		session_coll_drop(p, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		return;
	}
	log_info("neighbor %s: connection collision, keeping the peer's",
	    peer_label(&p->conf));
	notif_cease(&n, BGP_CEASE_COLLISION, NULL);
	session_notify(p, &p->conn, &n);
	conn_move(&p->conn, &p->coll);
	p->coll_moved = true;
	p->state = NSTATE_OPENSENT;
	peer_timer_stop(p, PT_KEEPALIVE);
	session_negotiate(p, &o);
	session_fsm(p, FSM_EV_OPEN, NULL);
}

static void
session_coll_msg(struct peer *p, const uint8_t *msg,
    const struct bgp_hdr *hdr)
{
	switch (hdr->type) {
	case BGP_OPEN:
		session_coll_open(p, msg, hdr->len);
		break;
	case BGP_NOTIFICATION:
		log_debug("neighbor %s: NOTIFICATION on the colliding "
		    "connection", peer_label(&p->conf));
		conn_close(&p->coll);
		break;
	default:
		session_coll_drop(p, BGP_ERR_FSM, BGP_ERR_FSM_OPENSENT);
		break;
	}
}

/*
 * Frame what arrived on c and handle each message.  Any message may close
 * c, or (a collision won) move it into the peer's main slot, where the
 * rest of the bytes then continue.
 */
void
session_conn_input(struct conn *c)
{
	struct peer		*p = c->peer;
	struct bgp_hdr		 hdr;
	struct bgp_err		 err;
	struct bgp_notification	 n;
	const uint8_t		*msg;
	size_t			 maxlen;
	int			 rv;

	p->coll_moved = false;
	while (c->fd != -1) {
		maxlen = c == &p->conn && p->state >= NSTATE_OPENCONFIRM ?
		    p->maxlen : BGP_MAX_LEN;
		msg = c->rbuf + c->rpos;
		rv = bgp_frame(msg, c->rlen - c->rpos, maxlen, &hdr, &err);
		if (rv == 0)
			break;
		if (rv == -1) {
			log_warnx("neighbor %s: %s", peer_label(&p->conf),
			    bgp_err_name(err.code, err.subcode));
			notif_from_err(&n, &err);
			if (c == &p->coll) {
				session_notify(p, c, &n);
				conn_close(c);
			} else
				session_fsm(p, FSM_EV_HEADER_ERR, &n);
			return;
		}
		conn_consume(c, hdr.len);
		p->msgs_in[hdr.type]++;
		if (c == &p->coll)
			session_coll_msg(p, msg, &hdr);
		else
			session_msg(p, msg, &hdr);
	}
	if (c == &p->coll && p->coll_moved && p->conn.fd != -1)
		session_conn_input(&p->conn);
}

void
session_conn_connected(struct conn *c, int err)
{
	struct peer	*p = c->peer;

	if (err != 0) {
		session_fsm(p, FSM_EV_TCP_FAILS, NULL);
		return;
	}
	log_debug("neighbor %s: connected", peer_label(&p->conf));
	session_fsm(p, FSM_EV_TCP_CONNECTED, NULL);
}

void
session_conn_failed(struct conn *c, const char *why)
{
	struct peer	*p = c->peer;

	if (c == &p->coll) {
		log_debug("neighbor %s: colliding connection: %s",
		    peer_label(&p->conf), why);
		conn_close(c);
		return;
	}
	if (p->state == NSTATE_ESTABLISHED)
		log_warnx("neighbor %s: %s", peer_label(&p->conf), why);
	else
		log_debug("neighbor %s: %s", peer_label(&p->conf), why);
	session_fsm(p, FSM_EV_TCP_FAILS, NULL);
}

/*
 * A connection on a listener.  Only configured neighbors are taken; what
 * happens depends on the state (RFC 4271 §8.2.2, §6.8).
 */
void
session_accept(int fd, const struct srv6d_addr *remote, uint16_t port)
{
	struct peer	*p;

	if ((p = peer_find(&se_peers, remote)) == NULL) {
		log_info("connection from %s port %u: not a neighbor, closed",
		    addr2str(remote), port);
		close(fd);
		return;
	}
	switch (p->state) {
	case NSTATE_CONNECT:
		conn_close(&p->conn);	/* the peer's wins over ours */
		/* FALLTHROUGH */
	case NSTATE_ACTIVE:
		conn_attach(&p->conn, fd, false, &p->conf);
		session_fsm(p, FSM_EV_TCP_CONNECTED, NULL);
		return;
	case NSTATE_OPENSENT:
	case NSTATE_OPENCONFIRM:
		if (p->coll.fd != -1)
			break;
		conn_attach(&p->coll, fd, false, &p->conf);
		session_send_open(p, &p->coll);
		return;
	case NSTATE_ESTABLISHED:
		/*
		 * §6.8 closes a connection colliding with an Established
		 * one, but a peer that does graceful restart and connects
		 * again has restarted (RFC 4724 §4.2): the old session is
		 * dead and the new connection is taken.
		 */
		if (!(p->capa & CAPA_GRACEFUL_RESTART))
			break;
		log_info("neighbor %s: new connection, the peer restarted",
		    peer_label(&p->conf));
		session_fsm(p, FSM_EV_STOP, NULL);
		peer_timer_stop(p, PT_IDLEHOLD);
		p->state = NSTATE_ACTIVE;	/* wait as if passive */
		conn_attach(&p->conn, fd, false, &p->conf);
		session_fsm(p, FSM_EV_TCP_CONNECTED, NULL);
		return;
	default:
		break;
	}
	log_debug("neighbor %s: connection refused in state %s",
	    peer_label(&p->conf), neighbor_state_name(p->state));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* from the RDE                                                        */

static struct peer *
session_rde_peer(struct imsg *imsg)
{
	struct peer	*p;

	if ((p = peer_find_id(imsg->hdr.peerid)) == NULL)
		log_debug("imsg %u for unknown neighbor id %u dropped",
		    imsg->hdr.type, imsg->hdr.peerid);
	else if (p->state != NSTATE_ESTABLISHED) {
		log_debug("neighbor %s: not established, imsg %u dropped",
		    peer_label(&p->conf), imsg->hdr.type);
		p = NULL;
	}
	return p;
}

/* An UPDATE the RDE built: checked whole, then written as it is. */
static void
session_rde_update(struct imsg *imsg)
{
	const uint8_t	*msg = ibuf_data(&imsg->buf);
	size_t		 len = imsg_get_len(imsg);
	struct bgp_hdr	 hdr;
	struct bgp_err	 err;
	struct peer	*p;
	struct ibuf	*b;

	if (bgp_frame(msg, len, BGP_MAX_LEN_EXT, &hdr, &err) != 1 ||
	    hdr.len != len || hdr.type != BGP_UPDATE)
		fatalx("malformed UPDATE from route decision engine");
	if ((p = session_rde_peer(imsg)) == NULL)
		return;
	if (len > p->maxlen) {
		log_warnx("neighbor %s: UPDATE of %zu bytes exceeds the "
		    "peer's %zu, dropped", peer_label(&p->conf), len,
		    p->maxlen);
		return;
	}
	b = msg_buf();
	if (ibuf_add(b, msg, len) == -1)
		fatal("%s", __func__);
	session_send(p, &p->conn, b, BGP_UPDATE);
}

static void
session_send_rrefresh(struct peer *p, const struct session_refresh *sr)
{
	struct bgp_rrefresh	 rr;
	struct ibuf		*b = msg_buf();

	memset(&rr, 0, sizeof(rr));
	rr.afi = sr->afi;
	rr.safi = sr->safi;
	rr.subtype = sr->subtype;
	if (bgp_rrefresh_encode(b, &rr) == -1)
		fatal("%s: encode", __func__);
	session_send(p, &p->conn, b, BGP_RREFRESH);
}

static void
session_rde_refresh(struct imsg *imsg)
{
	struct session_refresh	 sr;
	struct peer		*p;

	if (imsg_get_data(imsg, &sr, sizeof(sr)) == -1)
		fatalx("bad refresh imsg from route decision engine");
	if ((p = session_rde_peer(imsg)) == NULL)
		return;
	if (!(p->capa & CAPA_REFRESH) || (sr.subtype != BGP_RR_NORMAL &&
	    !(p->capa & CAPA_ENHANCED_REFRESH))) {
		log_debug("neighbor %s: no route refresh support, not sent",
		    peer_label(&p->conf));
		return;
	}
	session_send_rrefresh(p, &sr);
}

/*
 * Over max-prefix (RFC 4486 §4): the neighbor stays down until the
 * operator clears it (`neighbor clear` or `up`), unless `max-prefix N
 * restart M` says to try again after M minutes.
 */
static void
session_maxprefix_hold(struct peer *p)
{
	peer_timer_stop(p, PT_IDLEHOLD);
	if (p->conf.max_prefix_restart == 0) {
		log_warnx("neighbor %s: over its prefix limit, down until "
		    "`neighbor clear`", peer_label(&p->conf));
		p->maxprefix_held = true;
		return;
	}
	log_warnx("neighbor %s: over its prefix limit, restarting in %u "
	    "minutes", peer_label(&p->conf), p->conf.max_prefix_restart);
	peer_timer_start(p, PT_IDLEHOLD, p->conf.max_prefix_restart * 60,
	    false);
}

/* The RDE ends a session: RFC 7606 session reset, max-prefix. */
static void
session_rde_update_err(struct imsg *imsg)
{
	struct session_notify	 sn;
	struct bgp_notification	 n;
	struct peer		*p;

	if (ibuf_get(&imsg->buf, &sn, sizeof(sn)) == -1)
		fatalx("bad update error imsg from route decision engine");
	if ((p = session_rde_peer(imsg)) == NULL)
		return;
	memset(&n, 0, sizeof(n));
	n.code = sn.code;
	n.subcode = sn.subcode;
	n.data.p = ibuf_data(&imsg->buf);
	n.data.len = ibuf_left(&imsg->buf);
	session_fsm(p, FSM_EV_UPDATE_ERR, &n);
	if (n.code == BGP_ERR_CEASE && n.subcode == BGP_CEASE_MAXPREFIX)
		session_maxprefix_hold(p);
}

static void
session_imsg_rde(struct imsg *imsg, void *arg)
{
	(void)arg;
	switch (imsg->hdr.type) {
	case IMSG_UPDATE:
		session_rde_update(imsg);
		break;
	case IMSG_REFRESH:
		session_rde_refresh(imsg);
		break;
	case IMSG_UPDATE_ERR:
		session_rde_update_err(imsg);
		break;
	case IMSG_SESSION_EOR_SENT:
		log_debug("neighbor id %u: initial table sent",
		    imsg->hdr.peerid);
		break;
	case IMSG_CTL_SHOW_NEIGHBOR:
	case IMSG_CTL_SHOW_RIB:
	case IMSG_CTL_SHOW_VRF:
	case IMSG_CTL_SHOW_SID:
	case IMSG_CTL_SHOW_LOCATOR:
	case IMSG_CTL_RESULT:
	case IMSG_CTL_END:
		control_relay(imsg, false);
		break;
	default:
		fatalx("unexpected imsg %u from route decision engine",
		    imsg->hdr.type);
	}
}

/* ------------------------------------------------------------------ */
/* operator requests (control.c)                                       */

int
session_neighbor_up(struct peer *p)
{
	if (!p->admin_down && !p->maxprefix_held && p->state != NSTATE_IDLE)
		return 0;
	p->admin_down = false;
	p->maxprefix_held = false;
	p->idlehold = 0;
	p->connretry = 0;
	log_info("neighbor %s: up by request", peer_label(&p->conf));
	session_start(p);
	return 0;
}

/* RFC 8203/9003: Administrative Shutdown with the operator's words. */
int
session_neighbor_down(struct peer *p, const char *reason)
{
	log_info("neighbor %s: down by request%s%s", peer_label(&p->conf),
	    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	p->admin_down = true;
	session_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, reason);
	return 0;
}

int
session_neighbor_clear(struct peer *p)
{
	log_info("neighbor %s: cleared by request", peer_label(&p->conf));
	session_stop(p, BGP_CEASE_ADMIN_RESET, NULL);
	p->maxprefix_held = false;
	p->idlehold = 0;
	p->connretry = 0;
	session_start(p);
	return 0;
}

/* ROUTE-REFRESH for each negotiated family; -1 with why in err. */
int
session_neighbor_refresh(struct peer *p, char *err, size_t errlen)
{
	struct session_refresh	 sr;
	size_t			 i;

	if (p->state != NSTATE_ESTABLISHED) {
		strlcpy(err, "session not established", errlen);
		return -1;
	}
	if (!(p->capa & CAPA_REFRESH)) {
		strlcpy(err, "peer does not support route refresh", errlen);
		return -1;
	}
	for (i = 0; i < SE_NFAMILIES; i++) {
		if (!(p->afs & se_families[i].afs))
			continue;
		memset(&sr, 0, sizeof(sr));
		sr.afi = se_families[i].afi;
		sr.safi = se_families[i].safi;
		session_send_rrefresh(p, &sr);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* configuration                                                       */

/*
 * A change that the session must be restarted for: anything the OPEN,
 * the transport or the negotiation depends on.  The description, the
 * group and the RDE's knobs change without a reset.
 */
static bool
session_conf_resets(const struct neighbor_config *a,
    const struct neighbor_config *b)
{
	const uint8_t	 mask = NEIGH_F_PASSIVE | NEIGH_F_TTL_SECURITY;

	return addr_cmp(&a->local_addr, &b->local_addr) != 0 ||
	    strcmp(a->password, b->password) != 0 ||
	    a->remote_as != b->remote_as || a->holdtime != b->holdtime ||
	    a->afs != b->afs || (a->flags & mask) != (b->flags & mask);
}

/* The global settings every OPEN carries. */
static bool
session_global_resets(const struct srv6d_config *a,
    const struct srv6d_config *b)
{
	return a != NULL && b != NULL && (a->as != b->as ||
	    a->router_id.s_addr != b->router_id.s_addr ||
	    a->holdtime != b->holdtime);
}

static void
session_peer_changed(struct peer *p, const struct neighbor_config *nc,
    bool global)
{
	bool	reset = global || session_conf_resets(&p->conf, nc);
	bool	was_down = (p->conf.flags & NEIGH_F_DOWN) != 0;
	bool	is_down = (nc->flags & NEIGH_F_DOWN) != 0;

	peer_setconf(p, nc);
	if (is_down && !was_down) {
		session_neighbor_down(p, NULL);
		return;
	}
	if (!is_down && was_down) {
		session_neighbor_up(p);
		return;
	}
	if (!reset)
		return;
	session_stop(p, BGP_CEASE_CONF_CHANGE, NULL);
	p->idlehold = p->connretry = 0;
	session_start(p);
}

/*
 * Bring the neighbor table in line with a new configuration.  A neighbor
 * whose configuration did not change keeps its struct peer untouched (its
 * session, state and counters survive the reload); a changed one gets the
 * new configuration in place and, if the session depends on what changed,
 * a Cease/6 and a restart; a removed one gets Cease/3.
 */
void
session_apply_config(struct peer_tree *t, const struct srv6d_config *nconf,
    struct session_reload_stats *st)
{
	struct neighbor_config	*nc;
	struct peer		*p, *next;
	bool			 global;

	global = session_global_resets(se_conf_prev, nconf);
	memset(st, 0, sizeof(*st));
	RB_FOREACH_SAFE(p, peer_tree, t, next) {
		nc = config_find_neighbor(nconf, &p->conf.addr);
		if (nc == NULL) {
			log_info("neighbor %s removed", peer_label(&p->conf));
			session_stop(p, BGP_CEASE_PEER_UNCONF, NULL);
			if (se_running && p->conf.password[0] != '\0')
				listener_md5(&p->conf.addr, "");
			peer_remove(t, p);
			st->removed++;
		} else if (global || !neighbor_config_equal(&p->conf, nc)) {
			log_info("neighbor %s changed", peer_label(nc));
			session_peer_changed(p, nc, global);
			st->changed++;
		} else
			st->kept++;
	}
	TAILQ_FOREACH(nc, &nconf->neighbors, entry) {
		if (peer_find(t, &nc->addr) != NULL)
			continue;
		p = peer_add(t, nc);
		log_info("neighbor %s added", peer_label(nc));
		st->added++;
		session_start(p);
	}
}

void
session_fill_summary(struct ctl_show_summary *s)
{
	struct peer	*p;

	memset(s, 0, sizeof(*s));
	strlcpy(s->version, SRV6D_VERSION, sizeof(s->version));
	s->started = se_started;
	s->reloaded = se_reloaded;
	s->verbose = log_getverbose();
	RB_FOREACH(p, peer_tree, &se_peers) {
		s->n_neighbors++;
		if (p->state == NSTATE_ESTABLISHED)
			s->n_established++;
	}
	if (se_conf != NULL) {
		struct vrf_config	*v;

		s->as = se_conf->as;
		s->router_id = se_conf->router_id;
		s->n_locators = se_conf->n_locators;
		TAILQ_FOREACH(v, &se_conf->vrfs, entry)
			s->n_vrfs++;
	}
	/* The parent detected it at start-up (fibd/kmode.c). */
	strlcpy(s->kernel_mode, kernel_mode_name(se_kernel_mode),
	    sizeof(s->kernel_mode));
}

/* The session part of show neighbor; prefixes come from the RDE. */
static void
session_fill_session(const struct peer *p, struct ctl_show_neighbor *n)
{
	n->session_local = p->conn.local;
	n->local_port = p->conn.local_port;
	n->remote_port = p->conn.remote_port;
	n->flaps = p->flaps;
	memcpy(n->msgs_in, p->msgs_in, sizeof(n->msgs_in));
	memcpy(n->msgs_out, p->msgs_out, sizeof(n->msgs_out));
	n->last_sent_code = p->last_sent_code;
	n->last_sent_subcode = p->last_sent_subcode;
	n->last_recv_code = p->last_recv_code;
	n->last_recv_subcode = p->last_recv_subcode;
	strlcpy(n->last_sent_reason, p->last_sent_reason,
	    sizeof(n->last_sent_reason));
	strlcpy(n->last_recv_reason, p->last_recv_reason,
	    sizeof(n->last_recv_reason));
	if (p->state < NSTATE_OPENCONFIRM)
		return;
	n->remote_id = p->remote_id;
	n->holdtime_neg = p->holdtime;
	n->keepalive = p->keepalive;
	n->capa = p->capa;
	n->afs_neg = p->afs;
	n->ext_nexthop = p->ext_nexthop;
}

void
session_fill_neighbor(const struct peer *p, struct ctl_show_neighbor *n)
{
	const struct neighbor_config	*nc = &p->conf;

	memset(n, 0, sizeof(*n));
	n->addr = nc->addr;
	n->local_addr = nc->local_addr;
	strlcpy(n->descr, nc->descr, sizeof(n->descr));
	strlcpy(n->group, nc->group, sizeof(n->group));
	n->remote_as = nc->remote_as;
	n->holdtime = nc->holdtime;
	n->flags = nc->flags;
	if (p->admin_down)
		n->flags |= NEIGH_F_DOWN;
	n->afs = nc->afs;
	n->md5 = nc->password[0] != '\0';
	n->state = p->state;
	n->state_since = p->state_since;
	session_fill_session(p, n);
}

int
session_to_parent(uint32_t type, uint32_t peerid, const void *data,
    size_t len)
{
	return imsgev_compose(&se_iev_parent, type, peerid, 0, -1, data, len);
}

int
session_to_rde(uint32_t type, uint32_t peerid, const void *data,
    size_t len)
{
	return imsgev_compose(&se_iev_rde, type, peerid, 0, -1, data, len);
}

/* A complete config stream arrived: swap it in and acknowledge. */
static void
session_reload_commit(void)
{
	struct session_reload_stats	 st;

	if (se_pending == NULL)
		fatalx("config done without a config");
	se_conf_prev = se_conf;
	se_conf = se_pending;
	se_pending = NULL;
	listener_commit();
	session_apply_config(&se_peers, se_conf, &st);
	listener_md5_sync(&se_peers);
	config_free(se_conf_prev);
	se_conf_prev = NULL;
	if (se_reloads++ > 0)
		se_reloaded = time(NULL);
	log_debug("config in place: %u neighbors kept, %u changed, "
	    "%u added, %u removed", st.kept, st.changed, st.added, st.removed);
	if (session_to_parent(IMSG_RECONF_DONE, 0, NULL, 0) == -1)
		fatal("%s: compose", __func__);
}

static void
session_imsg_listen(struct imsg *imsg)
{
	struct srv6d_addr	 addr;
	uint16_t		 port;
	int			 fd;

	if (ibuf_get(&imsg->buf, &addr, sizeof(addr)) == -1 ||
	    ibuf_get(&imsg->buf, &port, sizeof(port)) == -1 ||
	    ibuf_left(&imsg->buf) != 0 ||
	    (addr.af != AF_INET && addr.af != AF_INET6) ||
	    (fd = imsg_get_fd(imsg)) == -1)
		fatalx("bad listener imsg from parent");
	listener_add(fd, &addr, port);
}

static void
session_imsg_parent(struct imsg *imsg, void *arg)
{
	size_t		 len;
	uint32_t	 mode;
	int		 fd;

	(void)arg;
	switch (config_stream(&se_pending, imsg)) {
	case CONFIG_STREAM_DONE:
		session_reload_commit();
		return;
	case CONFIG_STREAM_ABORT:
		listener_abort();
		return;
	case CONFIG_STREAM_ITEM:
		return;
	case CONFIG_STREAM_OTHER:
		break;
	}
	switch (imsg->hdr.type) {
	case IMSG_SOCKET_CTL:
	case IMSG_SOCKET_RCTL:
		if (imsg_get_len(imsg) != 0 ||
		    (fd = imsg_get_fd(imsg)) == -1)
			fatalx("bad control socket imsg from parent");
		control_listen(fd, imsg->hdr.type == IMSG_SOCKET_RCTL);
		break;
	case IMSG_SOCKET_LISTEN:
		session_imsg_listen(imsg);
		break;
	case IMSG_CTL_RESULT:
		/* struct ctl_result, then a NUL-terminated text */
		len = imsg_get_len(imsg);
		if (len < sizeof(struct ctl_result) + 1 ||
		    ((const char *)ibuf_data(&imsg->buf))[len - 1] != '\0')
			fatalx("bad control result imsg from parent");
		control_relay(imsg, true);
		break;
	/* show fib: the stats, the recent refusals, the end */
	case IMSG_CTL_SHOW_FIB:
		if (imsg_get_len(imsg) != sizeof(struct ctl_show_fib))
			fatalx("bad show fib imsg from parent");
		control_relay(imsg, false);
		break;
	case IMSG_CTL_SHOW_FIB_ERROR:
		if (imsg_get_len(imsg) != sizeof(struct ctl_fib_error))
			fatalx("bad show fib error imsg from parent");
		control_relay(imsg, false);
		break;
	case IMSG_CTL_END:
		if (imsg_get_len(imsg) != 0)
			fatalx("bad end imsg from parent");
		control_relay(imsg, false);
		break;
	case IMSG_KERNEL_MODE:
		if (imsg_get_data(imsg, &mode, sizeof(mode)) == -1 ||
		    mode > KERNEL_MODE_TABLE)
			fatalx("bad kernel mode imsg from parent");
		se_kernel_mode = mode;
		break;
	default:
		fatalx("unexpected imsg %u from parent", imsg->hdr.type);
	}
}

void
session_main(int debug, int verbose)
{
	struct bgp_notification	 n;
	struct peer		*p;

	proc_child_init(PROC_SE, debug, verbose);
	proc_child_channels(&se_iev_parent, session_imsg_parent, &se_iev_rde,
	    PROC_RDE, session_imsg_rde);
	se_started = time(NULL);
	se_running = true;
	log_debug("started");

	event_dispatch();

	/* Tell the peers why we go (the close flushes the Cease). */
	RB_FOREACH(p, peer_tree, &se_peers) {
		if (p->state >= NSTATE_OPENSENT) {
			notif_cease(&n, BGP_CEASE_ADMIN_SHUTDOWN,
			    "srv6d shutting down");
			session_notify(p, &p->conn, &n);
		}
		conn_close(&p->conn);
	}
	se_running = false;
	control_shutdown();
	listener_shutdown();
	peer_tree_clear(&se_peers);
	config_free(se_conf);
	config_free(se_pending);
	log_debug("exiting");
	exit(0);
}
