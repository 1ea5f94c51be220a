UNIT_TESTS += test_rde_attr
test_rde_attr_SRCS := regress/unit/test_rde_attr.c regress/unit/rde_stubs.c
test_rde_attr_OBJS := bgpd/rde_attr.o bgpd/rde_rib.o bgpd/rde_decide.o \
	bgpd/util.o bgpd/log.o
