build-clang/tests/test_voice_alloc: tests/unit/test_voice_alloc.c \
  tests/test.h tests/unit/test_voice_util.h engine/graph.h \
  engine/dsp/dsp.h engine/pool.h engine/voice.h engine/bank.h

tests/test.h:

tests/unit/test_voice_util.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:

engine/voice.h:

engine/bank.h:
