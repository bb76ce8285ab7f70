build-clang/tests/test_pattern_tidal: tests/unit/test_pattern_tidal.c \
  engine/events.h tests/test.h

engine/events.h:

tests/test.h:
