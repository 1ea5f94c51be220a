/*
 * libFuzzer harness for the UPDATE parser and the AS path code.
 *
 * Input: one octet of context (bit 0: 4-octet AS, bit 1: eBGP), then an
 * UPDATE body (everything after the 19-octet header).  The harness adds
 * the header, parses, walks every prefix the parser accepted and, for a
 * 2-octet session, merges AS_PATH/AS4_PATH and writes the result back.
 * Not part of make check (clang may be absent).  Build and run:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 \
 *	-D_GNU_SOURCE -Ibgpd $(pkg-config --cflags libbsd-overlay) \
 *	regress/fuzz/fuzz_update.c bgpd/bgp_update.c bgpd/bgp_msg.c \
 *	bgpd/imsg.c $(pkg-config --libs libbsd-overlay) -o build/fuzz_update
 *   mkdir -p build/fuzz-corpus
 *   build/fuzz_update -max_len=65536 build/fuzz-corpus \
 *	regress/fuzz/corpus/update
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct bgp_update	upd;

/* Every prefix of a view the parser accepted must iterate cleanly. */
static void
walk(struct bgp_view v, uint8_t maxbits)
{
	uint8_t	addr[16], plen;
	int	rv;

	while ((rv = bgp_prefix_next(&v, maxbits, addr, &plen)) == 1)
		;
	if (rv == -1)
		abort();
}

static void
merge_and_write(void)
{
	struct ibuf	*b, *out;
	struct bgp_view	 v;

	if ((b = ibuf_dynamic(64, 1 << 20)) == NULL)
		return;
	if (bgp_as4_merge(b, &upd) == 0) {
		v.p = ibuf_seek(b, 0, ibuf_size(b));
		v.len = ibuf_size(b);
		if (v.len > 0 && bgp_aspath_check(v, 4, 1) == -1)
			abort();
		if ((out = ibuf_dynamic(64, 1 << 20)) != NULL) {
			(void)bgp_aspath_write(out, v, 0);
			ibuf_free(out);
		}
	}
	ibuf_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_upd_ctx	 ctx = { 0 };
	uint8_t			*m;
	size_t			 len;

	if (size < 1 || size - 1 > BGP_MAX_LEN_EXT - BGP_HDR_LEN)
		return 0;
	ctx.as4 = data[0] & 1;
	ctx.ebgp = (data[0] >> 1) & 1;
	len = BGP_HDR_LEN + size - 1;
	/* An exact-size copy, so ASan sees any read past the message. */
	if ((m = malloc(len)) == NULL)
		return 0;
	memset(m, 0xff, BGP_MARKER_LEN);
	m[16] = len >> 8;
	m[17] = len & 0xff;
	m[18] = BGP_UPDATE;
	memcpy(m + BGP_HDR_LEN, data + 1, size - 1);
	if (bgp_update_parse(m, len, &ctx, &upd) != BGP_UPD_RESET) {
		walk(upd.withdrawn, 32);
		walk(upd.nlri, 32);
		if (!ctx.as4)
			merge_and_write();
	}
	free(m);
	return 0;
}
