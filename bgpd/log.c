/*
 * Logging for srv6d's processes.  In the foreground every line goes to
 * stderr as "NAME: message"; otherwise to syslog as "srv6d[PID]: NAME:
 * message".  Each line is formatted first and emitted by one call, so
 * the three processes sharing stderr do not interleave within a line.
 * No function here changes errno (log_warn may be given a caller's errno
 * that the caller still wants afterwards).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int		 log_foreground = 1;	/* stderr until log_init */
static int		 log_verbose;
static const char	*log_procname;

#define LOG_MAXLINE	4096

void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	/* LOG_NDELAY: connect /dev/log now, before any chroot. */
	if (!foreground)
		openlog("srv6d", LOG_PID | LOG_NDELAY, facility);
	tzset();	/* syslog timestamps after chroot */
}

void
log_procinit(const char *name)
{
	log_procname = name;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

static void
log_emit(int pri, const char *msg)
{
	if (log_foreground) {
		if (log_procname != NULL)
			fprintf(stderr, "%s: %s\n", log_procname, msg);
		else
			fprintf(stderr, "%s\n", msg);
	} else {
		if (log_procname != NULL)
			syslog(pri, "%s: %s", log_procname, msg);
		else
			syslog(pri, "%s", msg);
	}
}

/*
 * Formats into the stack, not the heap, so that fatal("malloc") still
 * gets its line out.  Longer lines are truncated.
 */
static void
log_vemit(int pri, const char *prefix, const char *errstr, const char *fmt,
    va_list ap)
{
	char	 line[LOG_MAXLINE];
	size_t	 len = 0;
	int	 saved_errno = errno;

	line[0] = '\0';
	if (prefix != NULL)
		len = strlcpy(line, prefix, sizeof(line));
	if (len < sizeof(line))
		vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	if (errstr != NULL) {
		strlcat(line, ": ", sizeof(line));
		strlcat(line, errstr, sizeof(line));
	}
	log_emit(pri, line);
	errno = saved_errno;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	log_vemit(pri, NULL, NULL, fmt, ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	log_vemit(LOG_ERR, NULL, strerror(saved_errno), fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose <= 0)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* fatal/fatalx: for broken invariants and out of memory only. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal: ",
	    saved_errno != 0 ? strerror(saved_errno) : NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal: ", NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
