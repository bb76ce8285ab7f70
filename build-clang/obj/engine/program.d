build-clang/obj/engine/program.o: engine/program.c engine/program.h \
  engine/arena.h engine/bank.h engine/graph.h engine/dsp/dsp.h \
  engine/pattern.h engine/params.h engine/rational.h engine/value.h \
  engine/voice.h engine/pool.h

engine/program.h:

engine/arena.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:

engine/voice.h:

engine/pool.h:
