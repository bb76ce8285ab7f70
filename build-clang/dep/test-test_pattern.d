build-clang/tests/test_pattern: tests/unit/test_pattern.c \
  engine/pattern_impl.h engine/pattern.h engine/arena.h engine/params.h \
  engine/rational.h engine/value.h tests/unit/test_pattern_util.h \
  engine/mini.h tests/test.h

engine/pattern_impl.h:

engine/pattern.h:

engine/arena.h:

engine/params.h:

engine/rational.h:

engine/value.h:

tests/unit/test_pattern_util.h:

engine/mini.h:

tests/test.h:
