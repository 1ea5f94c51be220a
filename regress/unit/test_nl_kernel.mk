UNIT_TESTS += test_nl_kernel
test_nl_kernel_SRCS := regress/unit/test_nl_kernel.c regress/unit/helpers.c
test_nl_kernel_OBJS := fibd/nl_msg.o bgpd/util.o bgpd/log.o
