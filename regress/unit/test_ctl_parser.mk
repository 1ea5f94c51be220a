UNIT_TESTS += test_ctl_parser
test_ctl_parser_SRCS := regress/unit/test_ctl_parser.c
test_ctl_parser_OBJS := ctl/parser.o bgpd/util.o
