UNIT_TESTS += test_bgp_update
test_bgp_update_SRCS := regress/unit/test_bgp_update.c regress/unit/helpers.c
test_bgp_update_OBJS := bgpd/bgp_update.o bgpd/bgp_msg.o bgpd/imsg.o bgpd/util.o
