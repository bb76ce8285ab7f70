build-clang/obj/engine/voice_lanes.o: engine/voice_lanes.c \
  engine/clones.h engine/voice_impl.h engine/voice.h engine/bank.h \
  engine/graph.h engine/dsp/dsp.h engine/pool.h

engine/clones.h:

engine/voice_impl.h:

engine/voice.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:
