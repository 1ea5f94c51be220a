UNIT_TESTS += test_nl_msg
test_nl_msg_SRCS := regress/unit/test_nl_msg.c regress/unit/helpers.c
test_nl_msg_OBJS := fibd/nl_msg.o bgpd/util.o bgpd/log.o
