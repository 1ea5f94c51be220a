UNIT_TESTS += test_imsg
test_imsg_SRCS := regress/unit/test_imsg.c
test_imsg_OBJS := bgpd/imsg.o
