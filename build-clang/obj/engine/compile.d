build-clang/obj/engine/compile.o: engine/compile.c engine/compile.h \
  engine/bank.h engine/program.h engine/arena.h engine/graph.h \
  engine/dsp/dsp.h engine/pattern.h engine/params.h engine/rational.h \
  engine/value.h engine/voice.h engine/pool.h engine/lang.h \
  engine/mini.h

engine/compile.h:

engine/bank.h:

engine/program.h:

engine/arena.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pattern.h:

engine/params.h:

engine/rational.h:

engine/value.h:

engine/voice.h:

engine/pool.h:

engine/lang.h:

engine/mini.h:
