build-clang/tests/test_pool: tests/unit/test_pool.c engine/pool.h \
  tests/test.h

engine/pool.h:

tests/test.h:
