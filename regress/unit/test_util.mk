UNIT_TESTS += test_util
test_util_SRCS := regress/unit/test_util.c regress/unit/helpers.c
test_util_OBJS := bgpd/util.o
