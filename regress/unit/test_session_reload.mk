UNIT_TESTS += test_session_reload
test_session_reload_SRCS := regress/unit/test_session_reload.c
test_session_reload_OBJS := bgpd/session.o bgpd/session_io.o \
	bgpd/session_fsm.o bgpd/rde.o bgpd/rde_show.o bgpd/control.o \
	bgpd/imsgev.o bgpd/proc.o bgpd/imsg.o bgpd/log.o bgpd/config.o \
	bgpd/config_imsg.o bgpd/util.o \
	bgpd/rde_rib.o bgpd/rde_attr.o bgpd/rde_decide.o bgpd/rde_filter.o \
	bgpd/rde_update.o bgpd/rde_out.o bgpd/rde_vrf.o fibd/fib_msg.o bgpd/bgp_vpn.o srv6/sid_alloc.o srv6/prefix_sid.o bgpd/bgp_update.o bgpd/bgp_msg.o
