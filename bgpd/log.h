/*
 * Logging for every srv6d process: syslog, or stderr in the foreground
 * (-d).  Each line names its process ("session engine: ...").
 */
#ifndef SRV6D_LOG_H
#define SRV6D_LOG_H

#include <stdarg.h>

/*
 * log.c.  No function here changes errno.  Until log_init, lines go to
 * stderr.  log_procinit keeps the pointer: pass a string that lives.
 * log_debug prints only when the verbosity is > 0.  log_warn appends
 * ": strerror(errno)".  fatal (with errno) and fatalx log at LOG_CRIT as
 * "fatal: ..." and exit(1).  Lines longer than 4 KiB are truncated.
 */
void	log_init(int, int);		/* foreground (stderr), syslog facility */
void	log_procinit(const char *);	/* name printed before each line */
void	log_setverbose(int);
int	log_getverbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	fatal(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
void	fatalx(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
