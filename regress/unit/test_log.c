/*
 * log.c unit tests: the foreground line format, verbosity, errno kept
 * intact, fatal/fatalx exit status, truncation of long lines.  stderr is
 * redirected into a pipe around each call.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

static int	saved_stderr = -1;
static int	cap[2] = { -1, -1 };

static void
capture_start(void)
{
	assert_int_equal(pipe2(cap, O_NONBLOCK), 0);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(cap[1], STDERR_FILENO), STDERR_FILENO);
}

/* Restore stderr and return what was logged (static buffer). */
static const char *
capture_end(void)
{
	static char	buf[8192];
	ssize_t		n;

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(cap[1]);
	n = read(cap[0], buf, sizeof(buf) - 1);
	close(cap[0]);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	log_init(1, LOG_DAEMON);
	log_procinit(NULL);
	log_setverbose(0);
	return 0;
}

static void
test_plain(void **state)
{
	(void)state;
	capture_start();
	log_info("hello %d", 42);
	assert_string_equal(capture_end(), "hello 42\n");
}

static void
test_procname(void **state)
{
	(void)state;
	log_procinit("session engine");
	capture_start();
	log_warnx("peer %s down", "pe0");
	log_info("two");
	assert_string_equal(capture_end(),
	    "session engine: peer pe0 down\nsession engine: two\n");
}

static void
test_verbose(void **state)
{
	(void)state;
	assert_int_equal(log_getverbose(), 0);
	capture_start();
	log_debug("hidden");
	assert_string_equal(capture_end(), "");
	log_setverbose(1);
	assert_int_equal(log_getverbose(), 1);
	capture_start();
	log_debug("shown %s", "now");
	assert_string_equal(capture_end(), "shown now\n");
}

static void
test_warn_errno(void **state)
{
	(void)state;
	capture_start();
	errno = ENOENT;
	log_warn("open %s", "/nonexistent");
	assert_int_equal(errno, ENOENT);
	log_warnx("x");
	log_info("y");
	log_setverbose(1);
	log_debug("z");
	assert_int_equal(errno, ENOENT);
	assert_string_equal(capture_end(),
	    "open /nonexistent: No such file or directory\nx\ny\nz\n");
}

static void
test_long_line(void **state)
{
	char		*big;
	const char	*out;

	(void)state;
	big = malloc(10000);
	assert_non_null(big);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	log_procinit("rde");
	capture_start();
	log_info("%s", big);
	out = capture_end();
	/* Truncated to the line buffer, still one line with its newline. */
	assert_true(strlen(out) < 4200);
	assert_true(strlen(out) > 4000);
	assert_memory_equal(out, "rde: aaa", 8);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	free(big);
}

/* fatal or fatalx in a child, stderr captured; returns its exit code. */
static int
run_fatal(int with_errno, const char **out)
{
	pid_t	pid;
	int	status;

	capture_start();
	if ((pid = fork()) == 0) {
		log_procinit("parent");
		errno = EACCES;
		if (with_errno)
			fatal("boom %d", 1);
		fatalx("boom %d", 2);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*out = capture_end();
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_fatal(void **state)
{
	const char	*out;

	(void)state;
	assert_int_equal(run_fatal(1, &out), 1);
	assert_string_equal(out, "parent: fatal: boom 1: Permission denied\n");
	assert_int_equal(run_fatal(0, &out), 1);
	assert_string_equal(out, "parent: fatal: boom 2\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain, setup),
		cmocka_unit_test_setup(test_procname, setup),
		cmocka_unit_test_setup(test_verbose, setup),
		cmocka_unit_test_setup(test_warn_errno, setup),
		cmocka_unit_test_setup(test_long_line, setup),
		cmocka_unit_test_setup(test_fatal, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
