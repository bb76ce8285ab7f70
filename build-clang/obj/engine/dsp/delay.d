build-clang/obj/engine/dsp/delay.o: engine/dsp/delay.c \
  engine/dsp/kernel.h engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
