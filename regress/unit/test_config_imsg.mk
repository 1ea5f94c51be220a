UNIT_TESTS += test_config_imsg
test_config_imsg_SRCS := regress/unit/test_config_imsg.c regress/unit/helpers.c
test_config_imsg_OBJS := bgpd/config_imsg.o bgpd/log.o bgpd/config.o bgpd/util.o \
	bgpd/imsg.o
