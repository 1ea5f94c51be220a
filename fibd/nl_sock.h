/*
 * nl_sock.h: the parent's netlink transport (fibd).  Three kinds of
 * socket, as BIRD and FRR's zebra keep them apart (STYLE.md):
 *
 * - a request connection (struct nl_conn): messages are queued, sent many
 *   per sendmsg, each with its own sequence number and NLM_F_ACK, and
 *   their ACKs are read from the event loop and matched by sequence
 *   number to a callback, called exactly once per message;
 * - a synchronous socket (struct nl_sync) for dumps and one-off requests
 *   whose replies the caller wants (start-up, resync, generic netlink
 *   family ids);
 * - a monitor (struct nl_monitor) subscribed to multicast groups, which
 *   asks its owner to resync when the kernel dropped notifications.
 *
 * Nothing here builds a message (fib messages are made elsewhere) and
 * nothing here knows rtnetlink: a NETLINK_GENERIC socket works the same.
 * libevent (event_set/event_add on the current base) drives nl_conn and
 * nl_monitor; event_init() must have run before they are opened.
 */
#ifndef NL_SOCK_H
#define NL_SOCK_H

#include <linux/netlink.h>

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* request connection                                                  */

/*
 * The outcome of one queued message: error 0 (the kernel ACKed it) or a
 * positive errno, the kernel's extended ACK text (NLMSGERR_ATTR_MSG) or
 * NULL, and with a kernel error the request itself as the kernel echoed
 * it back (NULL otherwise), so that the caller can say what failed
 * without keeping a description of every message.  Text and request live
 * only during the call.  Errors that do not
 * come from the kernel's answer to this message:
 *   ENOBUFS	the kernel processed the message but its ACK was dropped
 *		(our receive queue overflowed, or the kernel could not
 *		allocate the ACK): the outcome is unknown, re-read the state;
 *   ECANCELED	nl_conn_close with the message still pending (sent or not:
 *		if it was sent, the outcome is unknown);
 *   other	sendmsg failed for the batch holding the message: the kernel
 *		never saw it; or the socket failed (the outcome is unknown).
 */
typedef void	(*nl_done_cb)(void *arg, int error, const char *extack,
		    const struct nlmsghdr *req);
/* Called when nl_pending() becomes 0 (every callback has run). */
typedef void	(*nl_drained_cb)(void *arg);

struct nl_conn;

/* Defaults; nl_conn_tune changes them for one connection. */
#define NL_CONN_RCVBUF		(32 * 1024 * 1024)	/* ACK socket */
#define NL_CONN_SNDBUF		(4 * 1024 * 1024)
#define NL_CONN_BATCH		(256 * 1024)		/* bytes per sendmsg */
/*
 * What one queued ACK costs in the receive buffer: the kernel charges
 * an skb's truesize (struct sk_buff, its shared info and the data area),
 * not the 36 bytes of an ACK.  Measured on 6.18: 840 bytes for an ACK
 * and for an error with a short extended ACK text (157 fit in 128 KiB);
 * an error also carries a copy of our request (ACKs are not capped) and
 * a long text moves the data to the next kmalloc size (~1.3 KiB).  Hence
 * the margin.
 */
#define NL_ACK_TRUESIZE		1536

struct nl_conn_stats {
	uint64_t	 queued;	/* messages accepted by nl_queue */
	uint64_t	 acked;		/* ACKs with error 0 */
	uint64_t	 nacked;	/* ACKs with an error */
	uint64_t	 lost;		/* reported ENOBUFS: ACK dropped */
	uint64_t	 failed;	/* sendmsg or socket failure, close */
	uint64_t	 sends;		/* sendmsg calls that succeeded */
	uint64_t	 enobufs;	/* ENOBUFS read on the socket */
	uint64_t	 stalls;	/* times the window closed */
	size_t		 max_inflight;	/* most messages sent but not ACKed */
	size_t		 window;	/* the limit on that */
};

/*
 * nl_conn_open: a request connection on protocol (NETLINK_ROUTE,
 * NETLINK_GENERIC, ...) with large buffers and NETLINK_EXT_ACK (errors
 * come back with the request); NULL with errno on failure.
 * nl_conn_tune: receive buffer, bytes per sendmsg and the most messages
 * in flight (0 keeps a value; window 0 derives it from the receive buffer
 * the kernel granted, (size_t)-1 turns flow control off — tests only).
 * nl_conn_ack_every: NLM_F_ACK on every message (on) or, by default,
 * only on the last message of each sendmsg: the kernel sends an
 * NLMSG_ERROR for every failed message anyway, and processes a batch in
 * order, so the ACK of the last one tells that the others without an
 * error succeeded.  The callbacks see no difference; the kernel then
 * allocates and queues one ACK per batch instead of one per message.
 * nl_conn_close: every pending callback runs with ECANCELED, then the
 * connection is freed; allowed from inside a callback (freed when the
 * dispatch returns).
 * nl_queue: copy nlh (a complete request: nlmsg_len, type and flags set;
 * NLM_F_REQUEST (and NLM_F_ACK) are added, the sequence number and port
 * id are ours) into the send buffer.  0, or -1 with errno (EMSGSIZE: larger
 * than a batch, EINVAL: malformed or a dump request, whose replies this
 * connection cannot take; EPIPE: the connection failed) and then cb will
 * never run.  cb never runs from inside nl_queue or nl_flush.  A full
 * batch is sent at once if the window allows; nl_flush sends the rest,
 * now or as ACKs come back.  Callbacks may queue more messages.
 */
struct nl_conn	*nl_conn_open(int);
void		 nl_conn_tune(struct nl_conn *, size_t, size_t, size_t);
void		 nl_conn_ack_every(struct nl_conn *, int);
void		 nl_conn_close(struct nl_conn *);
int		 nl_queue(struct nl_conn *, const struct nlmsghdr *,
		    nl_done_cb, void *);
void		 nl_flush(struct nl_conn *);
size_t		 nl_pending(const struct nl_conn *);
size_t		 nl_conn_wait(struct nl_conn *, int);	/* outside the loop */
void		 nl_conn_set_drained(struct nl_conn *, nl_drained_cb, void *);
void		 nl_conn_stats(const struct nl_conn *, struct nl_conn_stats *);
int		 nl_conn_fd(const struct nl_conn *);

/* ------------------------------------------------------------------ */
/* synchronous dumps and requests                                      */

/*
 * Called for every reply message (never NLMSG_DONE or NLMSG_ERROR);
 * return 0 to go on, or a positive errno to stop: the rest of the reply
 * is then read and dropped and nl_dump returns that errno.
 */
typedef int	(*nl_msg_cb)(const struct nlmsghdr *, void *);

struct nl_sync;

#define NL_SYNC_TIMEOUT_SEC	10	/* per recv: the kernel never waits */

/*
 * nl_sync_open: a blocking socket with NETLINK_EXT_ACK and (best effort)
 * NETLINK_GET_STRICT_CHK: dump requests must then have a clean header,
 * and the kernel filters route dumps by RTA_TABLE, rtm_protocol, rtm_type
 * and RTA_OIF.
 * nl_dump: send req (NLM_F_REQUEST is added, and the sequence number) and
 * call cb for each reply until NLMSG_DONE, or for a request without
 * NLM_F_DUMP until its ACK (NLM_F_ACK is added) or error.  Returns 0, a
 * positive errno (the kernel's, with its extended ACK text in errmsg,
 * or the socket's, or cb's), or EINTR: the kernel flagged the dump
 * NLM_F_DUMP_INTR (its state changed while it was dumped, so what cb saw
 * may be inconsistent); every message was still passed to cb and the
 * socket is clean: the caller starts over if it cares.
 */
struct nl_sync	*nl_sync_open(int);
void		 nl_sync_close(struct nl_sync *);
int		 nl_dump(struct nl_sync *, const struct nlmsghdr *, nl_msg_cb,
		    void *, char *, size_t);

/* ------------------------------------------------------------------ */
/* multicast monitor                                                   */

typedef void	(*nl_notify_cb)(const struct nlmsghdr *, void *);
typedef void	(*nl_resync_cb)(void *);

struct nl_monitor;

#define NL_MONITOR_RCVBUF	(64 * 1024 * 1024)

/*
 * nl_monitor_open: an rtnetlink socket in the groups given (RTNLGRP_*;
 * numbers above 31, such as RTNLGRP_NEXTHOP, work) with a receive buffer
 * of rcvbuf bytes (0: NL_MONITOR_RCVBUF; the kernel doubles it and may
 * clamp it).  cb gets each notification from the event loop; resync when
 * the kernel reported ENOBUFS: notifications were lost, so the caller
 * dumps what it follows again.  Notifications queued after the overflow
 * keep coming (they may be older than that dump: apply them in order,
 * the dump is not a barrier).  NULL with errno on failure.
 */
struct nl_monitor *nl_monitor_open(const unsigned int *, size_t, size_t,
		    nl_notify_cb, nl_resync_cb, void *);
/*
 * nl_monitor_ignore_proto: have the kernel drop (a socket filter, before
 * the receive buffer) route and nexthop notifications of that protocol:
 * srv6d's own, which otherwise cost as much to read as to install and
 * can overflow the buffer.  The kernel does not notify every removal of
 * a route anyway (IPv4 routes flushed with their device go silently).
 * 0, or -1 with errno.
 */
int		 nl_monitor_ignore_proto(struct nl_monitor *, uint8_t);
void		 nl_monitor_close(struct nl_monitor *);
uint64_t	 nl_monitor_overruns(const struct nl_monitor *);

#endif
