build-clang/obj/engine/mini.o: engine/mini.c engine/mini.h engine/arena.h \
  engine/pattern.h engine/params.h engine/rational.h engine/value.h \
  engine/pattern_impl.h

engine/mini.h:

engine/arena.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:

engine/pattern_impl.h:
