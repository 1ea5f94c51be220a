UNIT_TESTS += test_rde_out
test_rde_out_SRCS := regress/unit/test_rde_out.c regress/unit/helpers.c
test_rde_out_OBJS := bgpd/rde_out.o bgpd/rde_vrf.o fibd/fib_msg.o bgpd/bgp_vpn.o srv6/sid_alloc.o srv6/prefix_sid.o bgpd/rde_attr.o bgpd/rde_rib.o \
	bgpd/rde_decide.o bgpd/rde_filter.o bgpd/bgp_update.o bgpd/bgp_msg.o \
	bgpd/imsg.o bgpd/log.o bgpd/util.o bgpd/config.o
