build-clang/tests/test_voice: tests/unit/test_voice.c tests/test.h \
  tests/unit/test_voice_util.h engine/graph.h engine/dsp/dsp.h \
  engine/pool.h engine/voice.h engine/bank.h engine/value.h \
  engine/params.h engine/rational.h

tests/test.h:

tests/unit/test_voice_util.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:

engine/voice.h:

engine/bank.h:

engine/value.h:

engine/params.h:

engine/rational.h:
