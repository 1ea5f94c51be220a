UNIT_TESTS += test_session_fsm
test_session_fsm_SRCS := regress/unit/test_session_fsm.c
test_session_fsm_OBJS := bgpd/session_fsm.o bgpd/bgp_msg.o bgpd/imsg.o \
	bgpd/util.o
