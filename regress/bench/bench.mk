# Benchmarks (not part of `make check`): `make bench` feeds BENCH_PREFIXES
# IPv4 prefixes (default 1,000,000) from bgpgen to srv6d, OpenBGPD, BIRD
# and FRR in turn and prints a table; BENCH_DAEMONS picks some of them.
# Then regress/bench/fib installs BENCH_ROUTES (or BENCH_PREFIXES) seg6
# routes in a kernel table by fibload, `ip -batch', BIRD and srv6d and
# removes them again (`make bench-fib' for this part alone).
BGPGEN		:= $(BUILD)/regress/bench/bgpgen
BGPGEN_OBJS	:= $(BUILD)/regress/bench/bgpgen.o $(BUILD)/bgpd/bgp_msg.o \
		   $(BUILD)/bgpd/bgp_update.o $(BUILD)/bgpd/bgp_vpn.o \
		   $(BUILD)/bgpd/imsg.o $(BUILD)/bgpd/util.o \
		   $(BUILD)/srv6/prefix_sid.o

$(BGPGEN): $(BGPGEN_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CTL_LIBS)

FIBLOAD		:= $(BUILD)/regress/bench/fibload

$(FIBLOAD): $(BUILD)/regress/bench/fibload.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CTL_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)

.PHONY: bench-fib

bench: all $(BGPGEN) $(FIBLOAD)
	@etc/setup-user $(CHROOTDIR)
	@BUILD=$(BUILD) regress/bench/run
	@BUILD=$(BUILD) regress/bench/fib

bench-fib: all $(BGPGEN) $(FIBLOAD)
	@etc/setup-user $(CHROOTDIR)
	@BUILD=$(BUILD) regress/bench/fib
