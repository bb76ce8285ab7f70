build-clang/tests/test_lang: tests/unit/test_lang.c engine/lang.h \
  engine/arena.h tests/test.h

engine/lang.h:

engine/arena.h:

tests/test.h:
