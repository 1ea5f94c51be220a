/*
 * imsg/ibuf unit tests: framing, split and joined reads, fd passing,
 * header validation, size limits, bounded parsing and partial writes.
 * Channels are real AF_UNIX socketpairs, non-blocking on both ends.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "imsg.h"

#define MAX_PAYLOAD	(MAX_IMSGSIZE - IMSG_HEADER_SIZE)
#define NMSGS		32

struct chan {
	int		sv[2];
	struct imsgbuf	w;	/* writes on sv[0] */
	struct imsgbuf	r;	/* reads on sv[1] */
};

static void
chan_open(struct chan *c)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    c->sv), 0);
	imsgbuf_init(&c->w, c->sv[0]);
	imsgbuf_init(&c->r, c->sv[1]);
}

static void
chan_close(struct chan *c)
{
	imsgbuf_clear(&c->w);
	imsgbuf_clear(&c->r);
	close(c->sv[0]);
	close(c->sv[1]);
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* Read from r until nothing is left, collecting complete messages. */
static int
drain(struct imsgbuf *r, struct imsg *msgs, int have)
{
	ssize_t	n;

	for (;;) {
		while ((n = imsg_get(r, &msgs[have])) > 0) {
			assert_true(have < NMSGS);
			have++;
		}
		assert_int_equal(n, 0);
		n = imsgbuf_read(r);
		if (n == -1) {
			assert_int_equal(errno, EAGAIN);
			return have;
		}
		assert_true(n > 0);
	}
}

/* Write and read in turns until w's queue is empty and r has it all. */
static int
transfer(struct chan *c, struct imsg *msgs)
{
	int	have = 0;

	while (imsgbuf_queuelen(&c->w) > 0) {
		assert_int_equal(imsgbuf_write(&c->w), 0);
		have = drain(&c->r, msgs, have);
	}
	return drain(&c->r, msgs, have);
}

static void
free_all(struct imsg *msgs, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		imsg_free(&msgs[i]);
}

static void
fill_pattern(uint8_t *p, size_t len, unsigned seed)
{
	size_t	i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31 + seed + (i >> 8));
}

/* Put raw bytes on the wire, bypassing the writer. */
static void
raw_send(int fd, const void *p, size_t len)
{
	assert_int_equal(write(fd, p, len), (ssize_t)len);
}

/* ---------------------------------------------------------------- */

static void
test_roundtrip_sizes(void **state)
{
	static const size_t	 sizes[] = { 0, 1, MAX_PAYLOAD };
	struct chan		 c;
	struct imsg		 m[NMSGS];
	uint8_t			*in, *out;
	size_t			 i;

	(void)state;
	in = malloc(MAX_PAYLOAD);
	out = malloc(MAX_PAYLOAD);
	assert_non_null(in);
	assert_non_null(out);
	fill_pattern(in, MAX_PAYLOAD, 7);
	chan_open(&c);
	for (i = 0; i < 3; i++)
		assert_int_equal(imsg_compose(&c.w, 100 + (uint32_t)i,
		    (uint32_t)i * 1000, i == 1 ? 4242 : 0, -1, in, sizes[i]),
		    0);
	assert_int_equal(imsgbuf_queuelen(&c.w), 3);
	assert_int_equal(transfer(&c, m), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(m[i].hdr.type, 100 + i);
		assert_int_equal(m[i].hdr.peerid, i * 1000);
		assert_int_equal(m[i].hdr.len, sizes[i] + IMSG_HEADER_SIZE);
		assert_int_equal(m[i].hdr.pid,
		    i == 1 ? 4242 : (uint32_t)getpid());
		assert_int_equal(m[i].hdr.flags & IMSGF_HASFD, 0);
		assert_int_equal(m[i].fd, -1);
		assert_int_equal(imsg_get_len(&m[i]), sizes[i]);
		assert_int_equal(ibuf_left(&m[i].buf), sizes[i]);
		assert_int_equal(imsg_get_data(&m[i], out, sizes[i]), 0);
		assert_memory_equal(out, in, sizes[i]);
	}
	free_all(m, 3);
	chan_close(&c);
	free(in);
	free(out);
}

static void
test_wire_format(void **state)
{
	struct chan	 c;
	struct imsg_hdr	 hdr;
	uint8_t		 wire[IMSG_HEADER_SIZE + 16];
	ssize_t		 n;

	(void)state;
	chan_open(&c);
	assert_int_equal(imsg_compose(&c.w, 5, 6, 7, -1, "abc", 3), 0);
	assert_int_equal(imsgbuf_flush(&c.w), 0);
	n = read(c.sv[1], wire, sizeof(wire));
	assert_int_equal(n, IMSG_HEADER_SIZE + 3);
	memcpy(&hdr, wire, sizeof(hdr));
	assert_int_equal(hdr.type, 5);
	assert_int_equal(hdr.len, IMSG_HEADER_SIZE + 3);
	assert_int_equal(hdr.flags, 0);
	assert_int_equal(hdr.peerid, 6);
	assert_int_equal(hdr.pid, 7);
	assert_memory_equal(wire + IMSG_HEADER_SIZE, "abc", 3);
	chan_close(&c);
}

/* The reader sees one byte per read and only the last completes it. */
static void
test_split_bytewise(void **state)
{
	struct chan	 c;
	struct imsg	 m;
	struct imsg_hdr	 hdr = { 9, IMSG_HEADER_SIZE + 5, 0, 1, 2 };
	uint8_t		 wire[IMSG_HEADER_SIZE + 5];
	char		 out[5];
	size_t		 i;

	(void)state;
	memcpy(wire, &hdr, sizeof(hdr));
	memcpy(wire + IMSG_HEADER_SIZE, "hello", 5);
	chan_open(&c);
	for (i = 0; i < sizeof(wire); i++) {
		assert_int_equal(imsg_get(&c.r, &m), 0);
		raw_send(c.sv[0], wire + i, 1);
		assert_int_equal(imsgbuf_read(&c.r), 1);
	}
	assert_int_equal(imsg_get(&c.r, &m), sizeof(wire));
	assert_int_equal(m.hdr.type, 9);
	assert_int_equal(imsg_get_data(&m, out, sizeof(out)), 0);
	assert_memory_equal(out, "hello", 5);
	imsg_free(&m);
	assert_int_equal(imsg_get(&c.r, &m), 0);
	chan_close(&c);
}

/* Messages written through imsg, delivered in odd-sized chunks. */
static void
test_split_chunks(void **state)
{
	struct chan	 c, relay;
	struct imsg	 m[NMSGS];
	uint8_t		 bytes[8192], payload[1000];
	ssize_t		 len, off, step;
	int		 have = 0, i;

	(void)state;
	fill_pattern(payload, sizeof(payload), 3);
	chan_open(&c);
	chan_open(&relay);
	for (i = 0; i < 5; i++)
		assert_int_equal(imsg_compose(&c.w, (uint32_t)i, 0, 0, -1,
		    payload, (size_t)i * 200), 0);
	assert_int_equal(imsgbuf_flush(&c.w), 0);
	len = read(c.sv[1], bytes, sizeof(bytes));
	assert_int_equal(len, 5 * IMSG_HEADER_SIZE + 2000);
	for (off = 0, step = 1; off < len; off += step, step = step * 3 + 1) {
		if (step > len - off)
			step = len - off;
		raw_send(relay.sv[0], bytes + off, (size_t)step);
		have = drain(&relay.r, m, have);
	}
	assert_int_equal(have, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(m[i].hdr.type, i);
		assert_int_equal(imsg_get_len(&m[i]), (size_t)i * 200);
		assert_memory_equal(m[i].data, payload, (size_t)i * 200);
	}
	free_all(m, 5);
	chan_close(&c);
	chan_close(&relay);
}

static void
test_several_in_one_read(void **state)
{
	struct chan	 c;
	struct imsg	 m;
	uint32_t	 i, v;

	(void)state;
	chan_open(&c);
	for (i = 0; i < 10; i++)
		assert_int_equal(imsg_compose(&c.w, i, i, 0, -1, &i,
		    sizeof(i)), 0);
	assert_int_equal(imsgbuf_write(&c.w), 0);
	assert_int_equal(imsgbuf_queuelen(&c.w), 0);
	assert_int_equal(imsgbuf_read(&c.r),
	    10 * (IMSG_HEADER_SIZE + sizeof(i)));
	for (i = 0; i < 10; i++) {
		assert_int_equal(imsg_get(&c.r, &m),
		    IMSG_HEADER_SIZE + sizeof(i));
		assert_int_equal(m.hdr.type, i);
		assert_int_equal(imsg_get_data(&m, &v, sizeof(v)), 0);
		assert_int_equal(v, i);
		imsg_free(&m);
	}
	assert_int_equal(imsg_get(&c.r, &m), 0);
	assert_int_equal(imsgbuf_read(&c.r), -1);
	assert_int_equal(errno, EAGAIN);
	chan_close(&c);
}

/* Write through the received fd, read at the pipe's other end. */
static void
check_pipe(int wfd, int rfd, const char *word)
{
	char	buf[32];
	size_t	len = strlen(word);

	assert_int_equal(write(wfd, word, len), (ssize_t)len);
	assert_int_equal(read(rfd, buf, sizeof(buf)), (ssize_t)len);
	assert_memory_equal(buf, word, len);
}

static void
test_fd_passing(void **state)
{
	struct chan	 c;
	struct imsg	 m[NMSGS];
	int		 pa[2], pb[2], fd;

	(void)state;
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	chan_open(&c);
	/* fd, none, fd: each fd must land on its own message. */
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, pa[1], "a", 1), 0);
	assert_int_equal(imsg_compose(&c.w, 2, 0, 0, -1, "x", 1), 0);
	assert_int_equal(imsg_compose(&c.w, 3, 0, 0, pb[1], NULL, 0), 0);
	/*
	 * Sent fds are closed by the writer.  Check before receiving: the
	 * received fds take the lowest free numbers, maybe the same ones.
	 */
	assert_int_equal(imsgbuf_write(&c.w), 0);
	assert_int_equal(imsgbuf_queuelen(&c.w), 0);
	assert_false(fd_is_open(pa[1]));
	assert_false(fd_is_open(pb[1]));
	assert_int_equal(transfer(&c, m), 3);

	assert_true(m[0].hdr.flags & IMSGF_HASFD);
	assert_false(m[1].hdr.flags & IMSGF_HASFD);
	assert_int_equal(m[1].fd, -1);
	fd = imsg_get_fd(&m[0]);
	assert_true(fd >= 0);
	assert_int_equal(imsg_get_fd(&m[0]), -1);
	check_pipe(fd, pa[0], "first");
	close(fd);
	check_pipe(m[2].fd, pb[0], "second");
	fd = m[2].fd;
	free_all(m, 3);		/* closes m[2]'s fd: not taken */
	assert_false(fd_is_open(fd));
	close(pa[0]);
	close(pb[0]);
	chan_close(&c);
}

/* Beyond the 16 queued fds, surplus ones are closed, not leaked. */
static void
test_fd_surplus(void **state)
{
	struct chan	 c;
	struct imsg	 m;
	int		 i, p[2], got = 0, nofd = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	chan_open(&c);
	for (i = 0; i < 18; i++)
		assert_int_equal(imsg_compose(&c.w, 1, 0, 0, dup(p[1]),
		    NULL, 0), 0);
	assert_int_equal(imsgbuf_flush(&c.w), 0);
	while (imsgbuf_read(&c.r) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	while (imsg_get(&c.r, &m) > 0) {
		if (m.fd != -1)
			got++;
		else
			nofd++;
		imsg_free(&m);
	}
	assert_int_equal(got, 16);
	assert_int_equal(nofd, 2);
	close(p[1]);
	close(p[0]);
	chan_close(&c);
}

static void
test_clear_closes_fds(void **state)
{
	struct chan	 c;
	int		 p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	chan_open(&c);
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, p[1], NULL, 0), 0);
	assert_int_equal(imsgbuf_queuelen(&c.w), 1);
	imsgbuf_clear(&c.w);
	assert_int_equal(imsgbuf_queuelen(&c.w), 0);
	assert_false(fd_is_open(p[1]));
	close(p[0]);
	chan_close(&c);
}

static void
check_bad_len(uint32_t len)
{
	struct chan	 c;
	struct imsg	 m;
	struct imsg_hdr	 hdr = { 1, len, 0, 0, 0 };
	uint8_t		 pad[8] = { 0 };

	chan_open(&c);
	raw_send(c.sv[0], &hdr, sizeof(hdr));
	raw_send(c.sv[0], pad, sizeof(pad));
	assert_true(imsgbuf_read(&c.r) > 0);
	errno = 0;
	assert_int_equal(imsg_get(&c.r, &m), -1);
	assert_int_equal(errno, EBADMSG);
	/* The channel stays broken: reading more is refused too. */
	errno = 0;
	assert_int_equal(imsgbuf_read(&c.r), -1);
	assert_int_equal(errno, EBADMSG);
	chan_close(&c);
}

static void
test_bad_header_len(void **state)
{
	(void)state;
	check_bad_len(0);
	check_bad_len(IMSG_HEADER_SIZE - 1);
	check_bad_len(MAX_IMSGSIZE + 1);
	check_bad_len(UINT32_MAX);
}

static void
test_eof(void **state)
{
	struct chan	 c;

	(void)state;
	chan_open(&c);
	close(c.sv[0]);
	c.sv[0] = -1;
	assert_int_equal(imsgbuf_read(&c.r), 0);
	chan_close(&c);
}

static void
test_write_error(void **state)
{
	struct chan	 c;

	(void)state;
	chan_open(&c);
	close(c.sv[1]);
	c.sv[1] = -1;
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, -1, "x", 1), 0);
	assert_int_equal(imsgbuf_write(&c.w), -1);	/* no SIGPIPE */
	assert_int_equal(errno, EPIPE);
	chan_close(&c);
}

static void
test_compose_too_big(void **state)
{
	struct chan	 c;
	struct ibuf	*wb;
	uint8_t		*big;
	int		 p[2];

	(void)state;
	big = calloc(1, MAX_PAYLOAD + 1);
	assert_non_null(big);
	assert_int_equal(pipe(p), 0);
	chan_open(&c);
	errno = 0;
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, p[1], big,
	    MAX_PAYLOAD + 1), -1);
	assert_int_equal(errno, ERANGE);
	assert_true(fd_is_open(p[1]));	/* still the caller's */
	assert_int_equal(imsgbuf_queuelen(&c.w), 0);

	/* Growing past the limit in steps fails too and frees the ibuf. */
	wb = imsg_create(&c.w, 1, 0, 0, 16);
	assert_non_null(wb);
	assert_int_equal(imsg_add(wb, big, MAX_PAYLOAD), 0);
	errno = 0;
	assert_int_equal(imsg_add(wb, big, 1), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(imsg_add(NULL, big, 1), -1);
	imsg_close(&c.w, NULL);
	assert_null(imsg_create(&c.w, 1, 0, 0, MAX_PAYLOAD + 1));
	assert_int_equal(imsgbuf_queuelen(&c.w), 0);

	close(p[0]);
	close(p[1]);
	chan_close(&c);
	free(big);
}

/* imsg_create + imsg_add + imsg_close, with an fd set by hand. */
static void
test_create_add_close(void **state)
{
	struct chan	 c;
	struct imsg	 m[NMSGS];
	struct ibuf	*wb;
	uint32_t	 a, b;
	char		 s[16];
	int		 p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	chan_open(&c);
	wb = imsg_create(&c.w, 77, 3, 0, 0);
	assert_non_null(wb);
	a = 0xdeadbeef;
	assert_int_equal(imsg_add(wb, &a, sizeof(a)), 0);
	assert_int_equal(ibuf_add_string(wb, "vrf0"), 0);
	assert_int_equal(ibuf_add_n32(wb, 65001), 0);
	wb->fd = p[1];
	imsg_close(&c.w, wb);
	assert_int_equal(transfer(&c, m), 1);
	assert_int_equal(m[0].hdr.type, 77);
	assert_true(m[0].hdr.flags & IMSGF_HASFD);
	assert_int_equal(ibuf_get_u32(&m[0].buf, &a), 0);
	assert_int_equal(a, 0xdeadbeef);
	assert_int_equal(ibuf_get_string(&m[0].buf, s, sizeof(s)), 0);
	assert_string_equal(s, "vrf0");
	assert_int_equal(ibuf_get_n32(&m[0].buf, &b), 0);
	assert_int_equal(b, 65001);
	assert_int_equal(ibuf_left(&m[0].buf), 0);
	check_pipe(m[0].fd, p[0], "x");
	free_all(m, 1);
	close(p[0]);
	chan_close(&c);
}

static void
test_get_data_exact(void **state)
{
	struct chan	 c;
	struct imsg	 m[NMSGS];
	uint32_t	 v = 1;
	uint64_t	 big;
	uint16_t	 small;

	(void)state;
	chan_open(&c);
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, -1, &v, sizeof(v)), 0);
	assert_int_equal(transfer(&c, m), 1);
	errno = 0;
	assert_int_equal(imsg_get_data(&m[0], &big, sizeof(big)), -1);
	assert_int_equal(errno, EBADMSG);
	errno = 0;
	assert_int_equal(imsg_get_data(&m[0], &small, sizeof(small)), -1);
	assert_int_equal(errno, EBADMSG);
	v = 0;
	assert_int_equal(imsg_get_data(&m[0], &v, sizeof(v)), 0);
	assert_int_equal(v, 1);
	free_all(m, 1);
	chan_close(&c);
}

static void
test_ibuf_bounds(void **state)
{
	static const uint8_t	 bytes[] = { 0x12, 0x34, 0x56 };
	struct ibuf		 b;
	uint32_t		 v32;
	uint16_t		 v16;
	uint8_t			 v8;
	uint64_t		 v64;

	(void)state;
	ibuf_from_buffer(&b, bytes, sizeof(bytes));
	errno = 0;
	assert_int_equal(ibuf_get_u32(&b, &v32), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(ibuf_left(&b), 3);	/* nothing consumed */
	assert_int_equal(ibuf_get_n16(&b, &v16), 0);
	assert_int_equal(v16, 0x1234);
	assert_int_equal(ibuf_get_n16(&b, &v16), -1);
	assert_int_equal(ibuf_left(&b), 1);
	assert_int_equal(ibuf_get_u64(&b, &v64), -1);
	assert_int_equal(ibuf_skip(&b, 2), -1);
	assert_int_equal(ibuf_get_u8(&b, &v8), 0);
	assert_int_equal(v8, 0x56);
	assert_int_equal(ibuf_left(&b), 0);
	assert_int_equal(ibuf_get_u8(&b, &v8), -1);
	assert_int_equal(ibuf_skip(&b, 0), 0);
	assert_int_equal(ibuf_get(&b, NULL, 0), 0);

	ibuf_from_buffer(&b, NULL, 0);
	assert_int_equal(ibuf_left(&b), 0);
	assert_null(ibuf_data(&b));
	assert_int_equal(ibuf_get_u8(&b, &v8), -1);
}

static void
test_ibuf_write(void **state)
{
	struct ibuf	*b, r;
	uint8_t		*p;
	uint16_t	 v16;
	uint32_t	 v32;
	uint64_t	 v64;

	(void)state;
	/* Fixed: exactly its size. */
	b = ibuf_open(4);
	assert_non_null(b);
	assert_int_equal(ibuf_add_u16(b, 1), 0);
	assert_int_equal(ibuf_add_n16(b, 0x0102), 0);
	errno = 0;
	assert_int_equal(ibuf_add_u8(b, 1), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(ibuf_size(b), 4);
	assert_memory_equal((uint8_t *)ibuf_data(b) + 2, "\x01\x02", 2);
	ibuf_free(b);
	ibuf_free(NULL);

	assert_null(ibuf_dynamic(10, 5));

	/* Dynamic: grows from nothing, a length filled in afterwards. */
	b = ibuf_dynamic(0, 100000);
	assert_non_null(b);
	assert_non_null(ibuf_reserve(b, 2));
	assert_int_equal(ibuf_add_u8(b, 0xaa), 0);
	assert_int_equal(ibuf_add_u32(b, 0x11223344), 0);
	assert_int_equal(ibuf_add_u64(b, 0x1122334455667788ULL), 0);
	assert_int_equal(ibuf_add_n32(b, 0x01020304), 0);
	assert_int_equal(ibuf_add_zero(b, 50000), 0);
	assert_null(ibuf_seek(b, ibuf_size(b) - 1, 2));
	assert_null(ibuf_seek(b, ibuf_size(b) + 1, 0));
	p = ibuf_seek(b, 0, 2);
	assert_non_null(p);
	v16 = htons((uint16_t)ibuf_size(b));
	memcpy(p, &v16, 2);
	assert_int_equal(ibuf_add_zero(b, 100000), -1);	/* over max */

	ibuf_from_buffer(&r, ibuf_data(b), ibuf_size(b));
	assert_int_equal(ibuf_get_n16(&r, &v16), 0);
	assert_int_equal(v16, (uint16_t)(2 + 1 + 4 + 8 + 4 + 50000));
	assert_int_equal(ibuf_skip(&r, 1), 0);
	assert_int_equal(ibuf_get_u32(&r, &v32), 0);
	assert_int_equal(v32, 0x11223344);
	assert_int_equal(ibuf_get_u64(&r, &v64), 0);
	assert_int_equal(v64, 0x1122334455667788ULL);
	assert_memory_equal(ibuf_data(&r), "\x01\x02\x03\x04", 4);
	assert_int_equal(ibuf_get_n32(&r, &v32), 0);
	assert_int_equal(v32, 0x01020304);
	assert_int_equal(ibuf_left(&r), 50000);
	ibuf_free(b);
}

static void
test_strings(void **state)
{
	struct ibuf	*b, r;
	char		 s[6], big[300];
	uint8_t		 bad[] = { 0, 3, 'a', '\0', 'b' };
	uint8_t		 trunc[] = { 0, 0 };
	uint16_t	 len = 10;

	(void)state;
	b = ibuf_dynamic(0, 1024);
	assert_non_null(b);
	assert_int_equal(ibuf_add_string(b, "hello"), 0);
	assert_int_equal(ibuf_add_string(b, ""), 0);
	assert_int_equal(ibuf_add_string(b, "hello!"), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ibuf_add_string(b, big), 0);
	assert_int_equal(ibuf_size(b), 2 + 5 + 2 + 2 + 6 + 2 + 299);

	ibuf_from_buffer(&r, ibuf_data(b), ibuf_size(b));
	assert_int_equal(ibuf_get_string(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "hello");
	assert_int_equal(ibuf_get_string(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "");
	/* "hello!" needs 7 bytes with its NUL: refused, position kept. */
	errno = 0;
	assert_int_equal(ibuf_get_string(&r, s, sizeof(s)), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(ibuf_left(&r), 2 + 6 + 2 + 299);
	assert_int_equal(ibuf_skip(&r, 2 + 6), 0);
	assert_int_equal(ibuf_get_string(&r, big, sizeof(big)), 0);
	assert_int_equal(strlen(big), 299);
	assert_int_equal(ibuf_left(&r), 0);
	ibuf_free(b);

	/* Embedded NUL. */
	ibuf_from_buffer(&r, bad, sizeof(bad));
	assert_int_equal(ibuf_get_string(&r, s, sizeof(s)), -1);
	assert_int_equal(ibuf_left(&r), sizeof(bad));
	/* Length beyond the buffer; and a lone half length. */
	len = htons(len);
	memcpy(trunc, &len, 2);
	ibuf_from_buffer(&r, trunc, sizeof(trunc));
	assert_int_equal(ibuf_get_string(&r, big, sizeof(big)), -1);
	assert_int_equal(ibuf_left(&r), 2);
	ibuf_from_buffer(&r, trunc, 1);
	assert_int_equal(ibuf_get_string(&r, big, sizeof(big)), -1);
	/* Only the NUL fits: the empty string. */
	ibuf_from_buffer(&r, (uint8_t[]){ 0, 0 }, 2);
	assert_int_equal(ibuf_get_string(&r, s, 1), 0);
	assert_string_equal(s, "");
}

/*
 * A tiny send buffer forces partial writes; the queue must keep the
 * unsent tail and the reader must reassemble everything intact.
 */
static void
test_partial_writes(void **state)
{
	struct chan	 c;
	struct imsg	 m[NMSGS];
	uint8_t		*big;
	int		 sndbuf = 4096, have = 0, partial = 0, i;

	(void)state;
	big = malloc(MAX_PAYLOAD);
	assert_non_null(big);
	fill_pattern(big, MAX_PAYLOAD, 11);
	chan_open(&c);
	assert_int_equal(setsockopt(c.sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)), 0);
	assert_int_equal(imsg_compose(&c.w, 1, 0, 0, -1, "a", 1), 0);
	assert_int_equal(imsg_compose(&c.w, 2, 0, 0, -1, big, MAX_PAYLOAD),
	    0);
	assert_int_equal(imsg_compose(&c.w, 3, 0, 0, -1, big, 100000), 0);
	assert_int_equal(imsg_compose(&c.w, 4, 0, 0, -1, NULL, 0), 0);
	while (imsgbuf_queuelen(&c.w) > 0) {
		assert_int_equal(imsgbuf_write(&c.w), 0);
		if (imsgbuf_queuelen(&c.w) > 0)
			partial++;
		have = drain(&c.r, m, have);
	}
	have = drain(&c.r, m, have);
	assert_true(partial > 10);
	assert_int_equal(have, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(m[i].hdr.type, i + 1);
	assert_int_equal(imsg_get_len(&m[1]), MAX_PAYLOAD);
	assert_memory_equal(m[1].data, big, MAX_PAYLOAD);
	assert_int_equal(imsg_get_len(&m[2]), 100000);
	assert_memory_equal(m[2].data, big, 100000);
	assert_int_equal(imsg_get_len(&m[3]), 0);
	free_all(m, have);
	chan_close(&c);
	free(big);
}

/* The writer side of test_flush_blocking; frees all for valgrind. */
static int
flush_child(struct chan *c, uint8_t *big)
{
	int	i, rv = 0;

	for (i = 0; i < 4 && rv == 0; i++)
		if (imsg_compose(&c->w, 1, 0, 0, -1, big, MAX_PAYLOAD) == -1)
			rv = 2;
	if (rv == 0 && imsgbuf_flush(&c->w) == -1)
		rv = 1;
	chan_close(c);
	free(big);
	return rv;
}

/* flush on a blocking socket with a reader on the other side. */
static void
test_flush_blocking(void **state)
{
	struct chan	 c;
	struct imsg	 m;
	uint8_t		*big;
	pid_t		 pid;
	int		 status, fl, n = 0;

	(void)state;
	big = calloc(1, MAX_PAYLOAD);
	assert_non_null(big);
	chan_open(&c);
	fl = fcntl(c.sv[0], F_GETFL);
	assert_int_equal(fcntl(c.sv[0], F_SETFL, fl & ~O_NONBLOCK), 0);
	fl = fcntl(c.sv[1], F_GETFL);
	assert_int_equal(fcntl(c.sv[1], F_SETFL, fl & ~O_NONBLOCK), 0);
	if ((pid = fork()) == 0)
		_exit(flush_child(&c, big));
	assert_true(pid > 0);
	while (n < 4) {
		ssize_t	got;

		assert_true(imsgbuf_read(&c.r) > 0);
		while ((got = imsg_get(&c.r, &m)) > 0) {
			assert_int_equal(imsg_get_len(&m), MAX_PAYLOAD);
			imsg_free(&m);
			n++;
		}
		assert_int_equal(got, 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chan_close(&c);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_sizes),
		cmocka_unit_test(test_wire_format),
		cmocka_unit_test(test_split_bytewise),
		cmocka_unit_test(test_split_chunks),
		cmocka_unit_test(test_several_in_one_read),
		cmocka_unit_test(test_fd_passing),
		cmocka_unit_test(test_fd_surplus),
		cmocka_unit_test(test_clear_closes_fds),
		cmocka_unit_test(test_bad_header_len),
		cmocka_unit_test(test_eof),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_compose_too_big),
		cmocka_unit_test(test_create_add_close),
		cmocka_unit_test(test_get_data_exact),
		cmocka_unit_test(test_ibuf_bounds),
		cmocka_unit_test(test_ibuf_write),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_partial_writes),
		cmocka_unit_test(test_flush_blocking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
