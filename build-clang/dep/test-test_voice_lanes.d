build-clang/tests/test_voice_lanes: tests/unit/test_voice_lanes.c \
  tests/test.h tests/unit/test_voice_util.h engine/graph.h \
  engine/dsp/dsp.h engine/pool.h engine/voice.h engine/bank.h

tests/test.h:

tests/unit/test_voice_util.h:

engine/graph.h:

engine/dsp/dsp.h:

engine/pool.h:

engine/voice.h:

engine/bank.h:
