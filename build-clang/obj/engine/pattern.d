build-clang/obj/engine/pattern.o: engine/pattern.c engine/pattern_impl.h \
  engine/pattern.h engine/arena.h engine/params.h engine/rational.h \
  engine/value.h

engine/pattern_impl.h:

engine/pattern.h:

engine/arena.h:

engine/params.h:

engine/rational.h:

engine/value.h:
