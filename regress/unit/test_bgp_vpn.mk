UNIT_TESTS += test_bgp_vpn
test_bgp_vpn_SRCS := regress/unit/test_bgp_vpn.c regress/unit/helpers.c
test_bgp_vpn_OBJS := bgpd/bgp_vpn.o bgpd/bgp_update.o bgpd/bgp_msg.o bgpd/imsg.o bgpd/util.o
