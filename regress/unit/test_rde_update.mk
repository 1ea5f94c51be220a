UNIT_TESTS += test_rde_update
test_rde_update_SRCS := regress/unit/test_rde_update.c regress/unit/helpers.c regress/unit/rde_stubs.c
test_rde_update_OBJS := bgpd/rde_update.o bgpd/rde_filter.o bgpd/rde_attr.o \
	bgpd/rde_rib.o bgpd/rde_decide.o bgpd/bgp_update.o bgpd/bgp_msg.o \
	bgpd/bgp_vpn.o srv6/prefix_sid.o bgpd/imsg.o bgpd/util.o bgpd/log.o
