build-clang/tests/test_dsp: tests/unit/test_dsp.c \
  tests/unit/test_dsp_util.h engine/dsp/dsp.h tests/test.h

tests/unit/test_dsp_util.h:

engine/dsp/dsp.h:

tests/test.h:
