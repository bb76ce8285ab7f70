build-clang/obj/engine/pattern_transform.o: engine/pattern_transform.c \
  engine/pattern_impl.h engine/pattern.h engine/arena.h engine/params.h \
  engine/rational.h engine/value.h

engine/pattern_impl.h:

engine/pattern.h:

engine/arena.h:

engine/params.h:

engine/rational.h:

engine/value.h:
