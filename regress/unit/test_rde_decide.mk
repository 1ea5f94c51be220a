UNIT_TESTS += test_rde_decide
test_rde_decide_SRCS := regress/unit/test_rde_decide.c regress/unit/rde_stubs.c
test_rde_decide_OBJS := bgpd/rde_decide.o bgpd/rde_attr.o bgpd/rde_rib.o bgpd/util.o \
	bgpd/log.o
