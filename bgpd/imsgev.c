/*
 * imsgev: glue between an imsgbuf and a libevent event.
 *
 * The owner's handler is the libevent callback.  It calls imsgev_io() to
 * move bytes, then imsg_get() in a loop, then imsgev_add() to re-arm with
 * write interest only if output is still queued.
 */
#include <errno.h>
#include <event.h>
#include <unistd.h>

#include "imsg.h"
#include "imsgev.h"
#include "log.h"

void
imsgev_init(struct imsgev *iev, int fd, void (*handler)(int, short, void *),
    void *data)
{
	imsgbuf_init(&iev->ibuf, fd);
	iev->handler = handler;
	iev->data = data;
	iev->events = 0;
	imsgev_add(iev);
}

/*
 * (Re)register the event: always readable, writable only while the queue
 * is not empty.  Called after every dispatch and after composing.
 */
void
imsgev_add(struct imsgev *iev)
{
	short	events = EV_READ;

	if (imsgbuf_queuelen(&iev->ibuf) > 0)
		events |= EV_WRITE;
	if (iev->events == events && event_pending(&iev->ev, events, NULL))
		return;
	if (iev->events != 0)
		event_del(&iev->ev);
	iev->events = events;
	event_set(&iev->ev, iev->ibuf.fd, events, iev->handler, iev);
	if (event_add(&iev->ev, NULL) == -1)
		fatal("%s: event_add", __func__);
}

/* Unregister and drop queued output; the caller closes the fd. */
void
imsgev_clear(struct imsgev *iev)
{
	if (iev->events != 0)
		event_del(&iev->ev);
	iev->events = 0;
	imsgbuf_clear(&iev->ibuf);
}

/*
 * Move bytes in the directions libevent reported.  Returns 0 when the
 * channel is still usable, -1 when the other end closed it or a hard
 * error happened (errno is 0 for a clean EOF).
 */
int
imsgev_io(struct imsgev *iev, short event)
{
	ssize_t	n;

	if (event & EV_READ) {
		n = imsgbuf_read(&iev->ibuf);
		if (n == 0) {
			errno = 0;
			return -1;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return -1;
	}
	if (event & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1 && errno != EAGAIN &&
		    errno != EINTR)
			return -1;
	}
	return 0;
}

int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t len)
{
	if (imsg_compose(&iev->ibuf, type, peerid, pid, fd, data, len) == -1)
		return -1;
	imsgev_add(iev);
	return 0;
}

/* Blocking flush, for the last words before exiting. */
int
imsgev_flush(struct imsgev *iev)
{
	return imsgbuf_flush(&iev->ibuf);
}

/*
 * Read, hand every complete imsg to handle, and re-arm.  Returns -1 (logged)
 * when the other end closed the channel or it broke; the caller decides
 * what that means.  A malformed frame from our own processes is fatal.
 */
int
imsgev_dispatch(struct imsgev *iev, short event, const char *from,
    void (*handle)(struct imsg *, void *), void *arg)
{
	struct imsg	 imsg;
	ssize_t		 n;

	if (imsgev_io(iev, event) == -1) {
		if (errno == 0)
			log_debug("%s closed the channel", from);
		else
			log_warn("channel to %s", from);
		imsgev_clear(iev);
		return -1;
	}
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		handle(&imsg, arg);
		imsg_free(&imsg);
	}
	if (n == -1)
		fatal("bad imsg from %s", from);
	imsgev_add(iev);
	return 0;
}
