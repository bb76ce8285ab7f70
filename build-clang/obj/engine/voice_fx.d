build-clang/obj/engine/voice_fx.o: engine/voice_fx.c engine/voice_impl.h \
  engine/voice.h engine/bank.h engine/graph.h engine/dsp/dsp.h \
  engine/pool.h engine/value.h engine/params.h engine/rational.h

engine/voice_impl.h:

engine/voice.h:

engine/bank.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:

engine/value.h:

engine/params.h:

engine/rational.h:
