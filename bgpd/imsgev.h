/*
 * imsgev: an imsg channel driven by libevent.  Write interest is set only
 * while something is queued, so an idle channel costs nothing.
 */
#ifndef SRV6D_IMSGEV_H
#define SRV6D_IMSGEV_H

#include <event.h>

#include "imsg.h"

struct imsgev {
	struct imsgbuf	 ibuf;
	struct event	 ev;
	void		(*handler)(int, short, void *);
	void		*data;		/* for the handler's owner */
	short		 events;	/* currently registered */
};

/* imsgev.c */
void	 imsgev_init(struct imsgev *, int, void (*)(int, short, void *),
	    void *);
void	 imsgev_add(struct imsgev *);
void	 imsgev_clear(struct imsgev *);
int	 imsgev_io(struct imsgev *, short);
int	 imsgev_compose(struct imsgev *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
int	 imsgev_flush(struct imsgev *);
int	 imsgev_dispatch(struct imsgev *, short, const char *,
	    void (*)(struct imsg *, void *), void *);

#endif
