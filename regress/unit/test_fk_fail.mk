UNIT_TESTS += test_fk_fail
test_fk_fail_SRCS := regress/unit/test_fk_fail.c
test_fk_fail_OBJS := fibd/fk_fail.o
