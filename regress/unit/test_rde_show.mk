UNIT_TESTS += test_rde_show
test_rde_show_SRCS := regress/unit/test_rde_show.c
test_rde_show_OBJS := bgpd/rde.o bgpd/rde_show.o bgpd/rde_out.o bgpd/rde_vrf.o fibd/fib_msg.o bgpd/bgp_vpn.o srv6/sid_alloc.o srv6/prefix_sid.o bgpd/rde_update.o bgpd/rde_filter.o \
	bgpd/rde_attr.o bgpd/rde_rib.o bgpd/rde_decide.o bgpd/bgp_update.o \
	bgpd/bgp_msg.o bgpd/imsgev.o bgpd/proc.o bgpd/imsg.o bgpd/log.o \
	bgpd/config.o bgpd/config_imsg.o bgpd/util.o
