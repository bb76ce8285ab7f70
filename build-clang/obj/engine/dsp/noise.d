build-clang/obj/engine/dsp/noise.o: engine/dsp/noise.c \
  engine/dsp/kernel.h engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
