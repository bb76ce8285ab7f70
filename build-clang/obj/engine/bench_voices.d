build-clang/obj/engine/bench_voices.o: engine/bench_voices.c \
  engine/clones.h engine/bank.h engine/bench_impl.h engine/phonon.h \
  engine/pool.h engine/voice.h engine/graph.h engine/dsp/dsp.h

engine/clones.h:

engine/bank.h:

engine/bench_impl.h:

engine/phonon.h:

engine/pool.h:

engine/voice.h:

engine/graph.h:

engine/dsp/dsp.h:
