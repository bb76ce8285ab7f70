build-clang/tests/test_rational: tests/unit/test_rational.c \
  engine/rational.h tests/test.h

engine/rational.h:

tests/test.h:
