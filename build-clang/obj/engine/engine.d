build-clang/obj/engine/engine.o: engine/engine.c engine/phonon.h \
  engine/bank.h engine/compile.h engine/program.h engine/arena.h \
  engine/graph.h engine/dsp/dsp.h engine/pattern.h engine/params.h \
  engine/rational.h engine/value.h engine/voice.h engine/pool.h \
  engine/lang.h engine/msgq.h engine/schedule.h

engine/phonon.h:

engine/bank.h:

engine/compile.h:

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

engine/msgq.h:

engine/schedule.h:
