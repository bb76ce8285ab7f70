build-clang/tests/test_alloc: tests/unit/test_alloc.c engine/phonon.h \
  tests/test.h

engine/phonon.h:

tests/test.h:
