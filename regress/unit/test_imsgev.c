/*
 * imsgev: write interest only while output is queued, queued messages
 * reach the other end through the event loop, EOF is reported.
 */
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "imsgev.h"

struct side {
	struct imsgev	 iev;
	int		 got;		/* messages handled */
	uint32_t	 last_type;
	int		 closed;
};

static void
handler(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct side	*s = iev->data;
	struct imsg	 imsg;

	(void)fd;
	if (imsgev_io(iev, event) == -1) {
		s->closed = errno == 0 ? 1 : -1;
		imsgev_clear(iev);
		return;
	}
	while (imsg_get(&iev->ibuf, &imsg) > 0) {
		s->got++;
		s->last_type = imsg.hdr.type;
		imsg_free(&imsg);
	}
	imsgev_add(iev);
}

static int
setup(void **state)
{
	(void)state;
	event_init();
	return 0;
}

static void
make_pair(struct side *a, struct side *b, int sv[2])
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	imsgev_init(&a->iev, sv[0], handler, a);
	imsgev_init(&b->iev, sv[1], handler, b);
}

static void
test_write_interest(void **state)
{
	struct side	 a, b;
	int		 sv[2], i;

	(void)state;
	make_pair(&a, &b, sv);
	assert_int_equal(a.iev.events, EV_READ);
	assert_int_equal(imsgev_compose(&a.iev, 7, 0, 0, -1, "x", 1), 0);
	assert_int_equal(a.iev.events, EV_READ | EV_WRITE);
	for (i = 0; i < 10 && b.got == 0; i++)
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
	assert_int_equal(b.got, 1);
	assert_int_equal(b.last_type, 7);
	/* Everything went out: back to read interest only. */
	assert_int_equal(a.iev.events, EV_READ);
	imsgev_clear(&a.iev);
	imsgev_clear(&b.iev);
	close(sv[0]);
	close(sv[1]);
}

static void
test_many_and_eof(void **state)
{
	struct side	 a, b;
	char		 payload[4096];
	int		 sv[2], i;

	(void)state;
	make_pair(&a, &b, sv);
	memset(payload, 'p', sizeof(payload));
	/* More than a socket buffer holds: needs several write events. */
	for (i = 0; i < 500; i++)
		assert_int_equal(imsgev_compose(&a.iev, 9, 0, 0, -1, payload,
		    sizeof(payload)), 0);
	for (i = 0; i < 10000 && b.got < 500; i++)
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
	assert_int_equal(b.got, 500);
	assert_int_equal(a.iev.events, EV_READ);

	imsgev_clear(&a.iev);
	close(sv[0]);
	for (i = 0; i < 10 && b.closed == 0; i++)
		event_loop(EVLOOP_ONCE | EVLOOP_NONBLOCK);
	assert_int_equal(b.closed, 1);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_interest),
		cmocka_unit_test(test_many_and_eof),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
