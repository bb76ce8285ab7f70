build-clang/tools/bench_dsp: tests/tools/bench_dsp.c engine/dsp/dsp.h

engine/dsp/dsp.h:
