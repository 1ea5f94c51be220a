UNIT_TESTS += test_rde_filter
test_rde_filter_SRCS := regress/unit/test_rde_filter.c regress/unit/rde_stubs.c
test_rde_filter_OBJS := bgpd/rde_filter.o bgpd/rde_attr.o bgpd/rde_rib.o \
	bgpd/rde_decide.o bgpd/util.o bgpd/log.o
