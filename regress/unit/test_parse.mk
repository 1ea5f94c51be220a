UNIT_TESTS += test_parse
test_parse_SRCS := regress/unit/test_parse.c regress/unit/helpers.c
test_parse_OBJS := bgpd/parse.o bgpd/printconf.o bgpd/config.o bgpd/util.o
