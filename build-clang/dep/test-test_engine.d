build-clang/tests/test_engine: tests/unit/test_engine.c engine/phonon.h \
  tests/test.h

engine/phonon.h:

tests/test.h:
