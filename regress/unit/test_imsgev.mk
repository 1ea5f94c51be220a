UNIT_TESTS += test_imsgev
test_imsgev_SRCS := regress/unit/test_imsgev.c
test_imsgev_OBJS := bgpd/imsgev.o bgpd/imsg.o bgpd/log.o
