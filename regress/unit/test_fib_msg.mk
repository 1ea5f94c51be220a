UNIT_TESTS += test_fib_msg
test_fib_msg_SRCS := regress/unit/test_fib_msg.c regress/unit/helpers.c
test_fib_msg_OBJS := fibd/fib_msg.o fibd/fib_state.o fibd/fib.o fibd/kmode.o \
	fibd/fib_kernel.o fibd/fk_fail.o fibd/fk_monitor.o fibd/fk_nexthop.o \
	fibd/fk_reconcile.o fibd/fk_repair.o fibd/fk_sid.o fibd/fk_vrf.o fibd/nl_msg.o \
	fibd/nl_sock.o bgpd/config.o bgpd/log.o bgpd/util.o srv6/prefix_sid.o
