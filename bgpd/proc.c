/*
 * Process plumbing: start a child by re-executing our own binary with a
 * role flag, and confine a child (chroot, unprivileged user, no new
 * privileges).  Re-executing rather than just forking gives each child a
 * fresh address space (new ASLR layout, no copy of the parent's secrets
 * such as TCP-MD5 passwords it has not been told about).
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "imsgev.h"
#include "log.h"
#include "proc.h"
#include "srv6d.h"

#define PROC_EXE	"/proc/self/exe"

static int	 confined;	/* chrooted: /proc is out of reach */
static char	*title_base;	/* the original argv[0] area */
static size_t	 title_len0;	/* its original string length */

const char *
proc_name(enum srv6d_process p)
{
	switch (p) {
	case PROC_PARENT:
		return "parent";
	case PROC_SE:
		return "session engine";
	case PROC_RDE:
		return "route decision engine";
	}
	return "unknown";
}

#ifdef __SANITIZE_ADDRESS__
/*
 * LeakSanitizer needs /proc at exit, which a chrooted child cannot see:
 * it would fail and turn every clean exit into status 1.  Leak checks
 * still run in the parent and in the unit tests.
 */
int	__lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return confined;
}
#endif

/* Call first thing in main, before getopt reorders argv. */
void
proc_title_init(int argc, char *argv[], char *envp[])
{
	title_base = argv[0];
	title_len0 = strlen(argv[0]);
	setproctitle_init(argc, argv, envp);
}

/*
 * Show "srv6d: name" in ps.  When the title is shorter than the original
 * argv[0], libbsd leaves a '.' where argv[0] ended (for kernels that stop
 * reading the command line at the first NUL); current kernels show the
 * whole area, so ps would print "srv6d: parent     .".  The area is ours:
 * clear the mark.
 */
void
proc_title(const char *name)
{
	setproctitle("%s", name);
	if (title_base != NULL && strlen(title_base) < title_len0 &&
	    title_base[title_len0] == '.')
		title_base[title_len0] = '\0';
}

/*
 * Check, before anything is forked, what the children will need to drop
 * their privileges, so that a missing user or directory is a clear error
 * at start-up instead of two dead children.
 */
void
proc_preflight(void)
{
	struct stat	 st;

	errno = 0;
	if (getpwnam(SRV6D_USER) == NULL) {
		if (errno != 0)
			err(1, "getpwnam %s", SRV6D_USER);
		errx(1, "user %s does not exist", SRV6D_USER);
	}
	if (stat(SRV6D_CHROOT, &st) == -1)
		err(1, "chroot directory %s", SRV6D_CHROOT);
	if (!S_ISDIR(st.st_mode))
		errx(1, "chroot directory %s: not a directory", SRV6D_CHROOT);
	/* A root the unprivileged user could write to would defeat it. */
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		errx(1, "chroot directory %s: must be owned by root and not "
		    "writable by others", SRV6D_CHROOT);
}

void
proc_set_nonblock(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		fatal("%s: fcntl", __func__);
}

/*
 * In the forked child: put the two channels on their fixed numbers and
 * close everything else.  Both are first moved above the fixed numbers so
 * that dup2 never finds its target already in use by the other channel
 * (and always clears close-on-exec).
 */
static void
proc_child_fds(int parent_fd, int peer_fd)
{
	int	hi_parent, hi_peer;

	if ((hi_parent = fcntl(parent_fd, F_DUPFD, 10)) == -1 ||
	    (hi_peer = fcntl(peer_fd, F_DUPFD, 10)) == -1)
		_exit(127);
	if (dup2(hi_parent, PROC_PARENT_FD) == -1 ||
	    dup2(hi_peer, PROC_PEER_FD) == -1)
		_exit(127);
	if (close_range(PROC_PEER_FD + 1, ~0U, 0) == -1)
		_exit(127);
}

/*
 * Fork and re-execute ourselves as the child `p`.  parent_fd and peer_fd
 * are the child's ends of its channel to the parent and to the other
 * child.  Returns the child's pid.
 */
pid_t
proc_start(enum srv6d_process p, int parent_fd, int peer_fd, int debug,
    int verbose)
{
	char	*argv[8];
	char	 role[3] = { '-', 0, 0 };
	int	 argc = 0;
	pid_t	 pid;

	role[1] = p == PROC_SE ? PROC_FLAG_SE : PROC_FLAG_RDE;
	argv[argc++] = (char *)"srv6d";
	argv[argc++] = role;
	if (debug)
		argv[argc++] = (char *)"-d";
	if (verbose > 0)
		argv[argc++] = (char *)"-v";
	if (verbose > 1)
		argv[argc++] = (char *)"-v";
	argv[argc] = NULL;

	switch (pid = fork()) {
	case -1:
		fatal("cannot fork %s", proc_name(p));
	case 0:
		break;
	default:
		return pid;
	}
	proc_child_fds(parent_fd, peer_fd);
	execv(PROC_EXE, argv);
	/* Only async-signal-safe calls between fork and exec. */
	{
		static const char msg[] = "srv6d: cannot execute " PROC_EXE
		    "\n";
		ssize_t	 r = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)r;
	}
	_exit(127);
}

/*
 * Confine a child: chroot into the empty directory and become the
 * unprivileged user for good.  Any failure is fatal: a child that runs
 * with more privilege than intended must not run at all.
 */
void
proc_confine(void)
{
	struct passwd	*pw;
	uid_t		 ruid, euid, suid;
	gid_t		 rgid, egid, sgid;

	/* Look the user up while /etc/passwd is still reachable. */
	if ((pw = getpwnam(SRV6D_USER)) == NULL)
		fatalx("user %s does not exist", SRV6D_USER);
	if (chroot(SRV6D_CHROOT) == -1)
		fatal("chroot %s", SRV6D_CHROOT);
	if (chdir("/") == -1)
		fatal("chdir /");
	if (setgroups(1, &pw->pw_gid) == -1)
		fatal("setgroups");
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1)
		fatal("setresgid");
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("setresuid");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");

	/* Verify: every id is the user's and root cannot be regained. */
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1)
		fatal("getresuid");
	if (ruid != pw->pw_uid || euid != pw->pw_uid || suid != pw->pw_uid ||
	    rgid != pw->pw_gid || egid != pw->pw_gid || sgid != pw->pw_gid)
		fatalx("privilege drop did not take");
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		fatalx("privilege drop can be undone");
	confined = 1;
	log_debug("dropped privileges to %s, root %s", SRV6D_USER,
	    SRV6D_CHROOT);
}

/* A child's two channels and who handles what arrives on them. */
static void	(*proc_parent_handler)(struct imsg *, void *);
static void	(*proc_peer_handler)(struct imsg *, void *);
static const char *proc_peer_name;

/* Without the parent there is nobody to obey: leave. */
static void
proc_dispatch_parent(int fd, short event, void *arg)
{
	(void)fd;
	if (imsgev_dispatch(arg, event, "parent", proc_parent_handler,
	    NULL) == -1) {
		log_warnx("parent is gone, exiting");
		exit(1);
	}
}

/*
 * The other child going away is the parent's business: it notices and
 * stops us.  Exiting here would only race with an orderly shutdown.
 */
static void
proc_dispatch_peer(int fd, short event, void *arg)
{
	(void)fd;
	imsgev_dispatch(arg, event, proc_peer_name, proc_peer_handler, NULL);
}

/* Attach a child's channel to the parent and the one to the other child. */
void
proc_child_channels(struct imsgev *parent,
    void (*parent_handler)(struct imsg *, void *), struct imsgev *peer,
    enum srv6d_process peer_proc, void (*peer_handler)(struct imsg *, void *))
{
	proc_parent_handler = parent_handler;
	proc_peer_handler = peer_handler;
	proc_peer_name = proc_name(peer_proc);
	imsgev_init(parent, PROC_PARENT_FD, proc_dispatch_parent, NULL);
	imsgev_init(peer, PROC_PEER_FD, proc_dispatch_peer, NULL);
}

static void
proc_child_sig(int sig, short event, void *arg)
{
	(void)event;
	(void)arg;
	log_debug("signal %d, exiting", sig);
	event_loopexit(NULL);
}

/*
 * The common start of a child: logging and title named after it, the
 * privilege drop, an event base, and its signals.  Only the parent acts on
 * ^C and SIGHUP and tells the children what to do; SIGTERM ends the
 * child's event loop.
 */
void
proc_child_init(enum srv6d_process proc, int debug, int verbose)
{
	static struct event	 ev_term;

	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	log_procinit(proc_name(proc));
	proc_title(proc_name(proc));
	proc_confine();

	event_init();
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal_set(&ev_term, SIGTERM, proc_child_sig, NULL);
	signal_add(&ev_term, NULL);

	proc_set_nonblock(PROC_PARENT_FD);
	proc_set_nonblock(PROC_PEER_FD);
}
