UNIT_TESTS += test_ctl_output
test_ctl_output_SRCS := regress/unit/test_ctl_output.c
test_ctl_output_OBJS := ctl/client.o ctl/output_text.o ctl/output_json.o \
	ctl/json.o ctl/names.o ctl/parser.o bgpd/imsg.o bgpd/util.o
# Some cases run the srv6ctl binary itself (order-only: not linked in).
$(BUILD)/regress/unit/test_ctl_output: | $(BUILD)/srv6ctl
