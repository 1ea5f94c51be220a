# Benchmarks (not part of `make check`): `make bench` feeds BENCH_PREFIXES
# IPv4 prefixes (default 1,000,000) from bgpgen to srv6d, OpenBGPD, BIRD
# and FRR in turn and prints a table; BENCH_DAEMONS picks some of them.
BGPGEN		:= $(BUILD)/regress/bench/bgpgen
BGPGEN_OBJS	:= $(BUILD)/regress/bench/bgpgen.o $(BUILD)/bgpd/bgp_msg.o \
		   $(BUILD)/bgpd/bgp_update.o $(BUILD)/bgpd/imsg.o

$(BGPGEN): $(BGPGEN_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CTL_LIBS)

bench: all $(BGPGEN)
	@etc/setup-user $(CHROOTDIR)
	@BUILD=$(BUILD) regress/bench/run
