build-clang/obj/engine/voice.o: engine/voice.c engine/voice_impl.h \
  engine/voice.h engine/bank.h engine/graph.h engine/dsp/dsp.h \
  engine/pool.h

engine/voice_impl.h:

engine/voice.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:
