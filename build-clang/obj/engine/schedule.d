build-clang/obj/engine/schedule.o: engine/schedule.c engine/schedule.h \
  engine/pattern.h engine/arena.h engine/params.h engine/rational.h \
  engine/value.h engine/program.h engine/bank.h engine/graph.h \
  engine/dsp/dsp.h engine/voice.h engine/pool.h

engine/schedule.h:

engine/pattern.h:

engine/arena.h:

engine/params.h:

engine/rational.h:

engine/value.h:

engine/program.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/voice.h:

engine/pool.h:
