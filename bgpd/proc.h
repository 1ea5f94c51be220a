/*
 * proc: starting srv6d's children and confining them.  Shared by the
 * parent (proc_start, proc_preflight) and the children (proc_confine).
 */
#ifndef SRV6D_PROC_H
#define SRV6D_PROC_H

#include <sys/types.h>

#include "srv6d.h"

/* Hidden role flags of a re-executed child. */
#define PROC_FLAG_SE		'E'
#define PROC_FLAG_RDE		'R'

/* proc.c */
const char	*proc_name(enum srv6d_process);
void		 proc_title_init(int, char *[], char *[]);
void		 proc_title(const char *);
void		 proc_preflight(void);
pid_t		 proc_start(enum srv6d_process, int, int, int, int);
void		 proc_confine(void);
void		 proc_child_init(enum srv6d_process, int, int);
struct imsgev;
struct imsg;
void		 proc_child_channels(struct imsgev *,
		    void (*)(struct imsg *, void *), struct imsgev *,
		    enum srv6d_process, void (*)(struct imsg *, void *));
void		 proc_set_nonblock(int);

#endif
