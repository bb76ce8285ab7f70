build-clang/tests/test_dsp_lanes: tests/unit/test_dsp_lanes.c \
  tests/unit/test_dsp_util.h engine/dsp/dsp.h tests/test.h

tests/unit/test_dsp_util.h:

engine/dsp/dsp.h:

tests/test.h:
