build-clang/tests/test_builtin: tests/unit/test_builtin.c engine/bank.h \
  engine/builtin.h tests/test.h

engine/bank.h:

engine/builtin.h:

tests/test.h:
