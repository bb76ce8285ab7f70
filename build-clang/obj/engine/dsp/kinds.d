build-clang/obj/engine/dsp/kinds.o: engine/dsp/kinds.c \
  engine/dsp/kernel.h engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
