build-clang/obj/engine/pattern_signal.o: engine/pattern_signal.c \
  engine/pattern_impl.h engine/pattern.h engine/arena.h engine/params.h \
  engine/rational.h engine/value.h

engine/pattern_impl.h:

engine/pattern.h:

engine/arena.h:

engine/params.h:

engine/rational.h:

engine/value.h:
