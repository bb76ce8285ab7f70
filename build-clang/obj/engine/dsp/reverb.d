build-clang/obj/engine/dsp/reverb.o: engine/dsp/reverb.c \
  engine/dsp/kernel.h engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
