build-clang/obj/engine/events.o: engine/events.c engine/events.h \
  engine/mini.h engine/arena.h engine/pattern.h engine/params.h \
  engine/rational.h engine/value.h

engine/events.h:

engine/mini.h:

engine/arena.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:
