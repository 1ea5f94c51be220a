UNIT_TESTS += test_bgp_msg
test_bgp_msg_SRCS := regress/unit/test_bgp_msg.c regress/unit/helpers.c
test_bgp_msg_OBJS := bgpd/bgp_msg.o bgpd/imsg.o bgpd/util.o
