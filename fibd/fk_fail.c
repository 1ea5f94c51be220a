/*
 * fk_fail.c: the kernel's most recent refusals, for srv6ctl show fib.
 *
 * The log has every refusal; an operator asking "what is the kernel
 * refusing?" wants the last few at hand, as FRR's dplane error log and
 * zebra's show commands give them.  A fixed ring of FK_FAIL_MAX entries:
 * nothing is allocated per failure (a refused batch of a million routes
 * costs no memory), the oldest entry is overwritten, and every string is
 * cut to its field and terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fk.h"

static struct {
	struct fk_fail	 e[FK_FAIL_MAX];
	size_t		 next;		/* where the next one goes */
	size_t		 n;		/* entries held, <= FK_FAIL_MAX */
} ring;

/*
 * Keep one refusal: what the request was (NULL: unnamed), the errno and
 * the kernel's extended ACK text (NULL or "": none), at time now.
 */
void
fk_fail_record(int64_t now, const char *what, int error, const char *extack)
{
	struct fk_fail	*f = &ring.e[ring.next];

	memset(f, 0, sizeof(*f));
	f->time = now;
	f->error = error;
	strlcpy(f->what, what != NULL ? what : "", sizeof(f->what));
	strlcpy(f->extack, extack != NULL ? extack : "", sizeof(f->extack));
	ring.next = (ring.next + 1) % FK_FAIL_MAX;
	if (ring.n < FK_FAIL_MAX)
		ring.n++;
}

/* How many refusals are held (at most FK_FAIL_MAX). */
size_t
fk_fail_count(void)
{
	return ring.n;
}

/* The i-th most recent refusal: 0 is the newest; NULL past the last. */
const struct fk_fail *
fk_fail_get(size_t i)
{
	if (i >= ring.n)
		return NULL;
	return &ring.e[(ring.next + FK_FAIL_MAX - 1 - i) % FK_FAIL_MAX];
}

/* Forget them all (a test's fresh start). */
void
fk_fail_clear(void)
{
	memset(&ring, 0, sizeof(ring));
}
