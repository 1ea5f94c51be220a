UNIT_TESTS += test_prefix_sid
test_prefix_sid_SRCS := regress/unit/test_prefix_sid.c
test_prefix_sid_OBJS := srv6/prefix_sid.o
