UNIT_TESTS += test_json
test_json_SRCS := regress/unit/test_json.c
test_json_OBJS := ctl/json.o
