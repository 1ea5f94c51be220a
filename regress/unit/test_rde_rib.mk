UNIT_TESTS += test_rde_rib
test_rde_rib_SRCS := regress/unit/test_rde_rib.c regress/unit/rde_stubs.c
test_rde_rib_OBJS := bgpd/rde_rib.o bgpd/rde_attr.o bgpd/rde_decide.o \
	bgpd/util.o bgpd/log.o
