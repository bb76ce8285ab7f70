build-clang/tests/test_bank: tests/unit/test_bank.c engine/bank.h \
  engine/builtin.h tests/test.h

engine/bank.h:

engine/builtin.h:

tests/test.h:
