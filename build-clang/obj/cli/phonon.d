build-clang/obj/cli/phonon.o: cli/phonon.c engine/bench.h engine/events.h \
  engine/phonon.h

engine/bench.h:

engine/events.h:

engine/phonon.h:
