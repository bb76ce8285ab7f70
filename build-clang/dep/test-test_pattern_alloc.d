build-clang/tests/test_pattern_alloc: tests/unit/test_pattern_alloc.c \
  tests/unit/test_pattern_util.h engine/mini.h engine/arena.h \
  engine/pattern.h engine/params.h engine/rational.h engine/value.h \
  tests/test.h

tests/unit/test_pattern_util.h:

engine/mini.h:

engine/arena.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:

tests/test.h:
