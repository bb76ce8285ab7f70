build-clang/obj/engine/voice_sample.o: engine/voice_sample.c \
  engine/clones.h engine/voice_impl.h engine/voice.h engine/bank.h \
  engine/graph.h engine/dsp/dsp.h engine/pool.h

engine/clones.h:

engine/voice_impl.h:

engine/voice.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:
