UNIT_TESTS += test_nl_sock
test_nl_sock_SRCS := regress/unit/test_nl_sock.c
test_nl_sock_OBJS := fibd/nl_sock.o bgpd/log.o
