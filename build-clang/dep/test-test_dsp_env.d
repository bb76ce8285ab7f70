build-clang/tests/test_dsp_env: tests/unit/test_dsp_env.c \
  tests/unit/test_dsp_util.h engine/dsp/dsp.h tests/test.h

tests/unit/test_dsp_util.h:

engine/dsp/dsp.h:

tests/test.h:
