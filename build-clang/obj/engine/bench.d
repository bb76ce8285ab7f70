build-clang/obj/engine/bench.o: engine/bench.c engine/bench.h \
  engine/bench_impl.h engine/phonon.h

engine/bench.h:

engine/bench_impl.h:

engine/phonon.h:
