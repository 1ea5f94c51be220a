/*
 * srv6ctl: control srv6d over its unix socket.
 *
 *	srv6ctl [-j] [-s socket] command [argument ...]
 *
 * One command per run: parse it (parser.c), send one request and print
 * the replies as text or JSON (client.c, output_*.c).  Exit status: 0 when
 * srv6d answered and every result was OK, 1 otherwise, 2 for bad usage.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

static void	usage(const char *) __attribute__((noreturn));
static int	ctl_connect(const char *, char *, size_t);

static void
usage(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "srv6ctl: %s\n", why);
	fprintf(stderr,
	    "usage: srv6ctl [-j] [-s socket] command [argument ...]\n"
	    "commands:\n"
	    "    show summary\n"
	    "    show neighbor [address]\n"
	    "    show rib [ipv4 | ipv6] [prefix [or-longer]] "
	    "[neighbor address]\n"
	    "             [in | out] [best] [detail]\n"
	    "    show rib vpnv4 | vpnv6 [rd rd] [prefix [or-longer]] ...\n"
	    "    show rib vrf name [ipv4 | ipv6] [rd rd] [prefix] ...\n"
	    "    show vrf [name]\n"
	    "    show sid\n"
	    "    show locator\n"
	    "    show fib\n"
	    "    neighbor address up | down [reason] | clear | refresh\n"
	    "    reload\n"
	    "    log verbose | brief\n");
	exit(2);
}

/* A connected stream socket to path, or -1 with the reason in err. */
static int
ctl_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errlen, "connect: %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char *argv[])
{
	struct parse_result	 res;
	struct output_ctx	 ctx;
	const struct output	*out = &text_output;
	const char		*sockpath = SRV6D_SOCKET;
	char			 err[256];
	int			 ch, fd, rv;

	while ((ch = getopt(argc, argv, "+js:")) != -1) {
		switch (ch) {
		case 'j':
			out = &json_output;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage(NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (parse(argc, argv, &res, err, sizeof(err)) == -1)
		usage(err);

	/* A daemon that goes away mid-request is an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	output_ctx_init(&ctx, stdout, stderr, &res);
	if ((fd = ctl_connect(sockpath, err, sizeof(err))) == -1) {
		out->head(&ctx);
		out->error(&ctx, err);
		out->tail(&ctx);
		rv = 1;
	} else {
		rv = ctl_run(fd, out, &ctx);
		close(fd);
	}
	output_ctx_free(&ctx);
	return rv;
}
