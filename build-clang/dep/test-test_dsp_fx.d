build-clang/tests/test_dsp_fx: tests/unit/test_dsp_fx.c \
  tests/unit/test_dsp_util.h engine/dsp/dsp.h tests/test.h

tests/unit/test_dsp_util.h:

engine/dsp/dsp.h:

tests/test.h:
