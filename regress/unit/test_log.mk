UNIT_TESTS += test_log
test_log_SRCS := regress/unit/test_log.c
test_log_OBJS := bgpd/log.o
