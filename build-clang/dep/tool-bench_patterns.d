build-clang/tools/bench_patterns: tests/tools/bench_patterns.c \
  engine/mini.h engine/arena.h engine/pattern.h engine/params.h \
  engine/rational.h engine/value.h

engine/mini.h:

engine/arena.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:
