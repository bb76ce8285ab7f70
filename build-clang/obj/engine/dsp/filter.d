build-clang/obj/engine/dsp/filter.o: engine/dsp/filter.c \
  engine/dsp/kernel.h engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
