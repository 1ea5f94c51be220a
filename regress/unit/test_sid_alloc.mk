UNIT_TESTS += test_sid_alloc
test_sid_alloc_SRCS := regress/unit/test_sid_alloc.c
test_sid_alloc_OBJS := srv6/sid_alloc.o srv6/prefix_sid.o
