UNIT_TESTS += test_rde_vrf
test_rde_vrf_SRCS := regress/unit/test_rde_vrf.c
test_rde_vrf_OBJS := bgpd/rde_vrf.o fibd/fib_msg.o bgpd/rde_rib.o bgpd/rde_attr.o \
	bgpd/rde_decide.o bgpd/bgp_vpn.o bgpd/bgp_update.o bgpd/bgp_msg.o \
	bgpd/imsg.o bgpd/parse.o bgpd/config.o bgpd/util.o bgpd/log.o \
	srv6/sid_alloc.o srv6/prefix_sid.o
