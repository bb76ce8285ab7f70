build-clang/obj/engine/value.o: engine/value.c engine/value.h \
  engine/params.h engine/rational.h

engine/value.h:

engine/params.h:

engine/rational.h:
