build-clang/obj/engine/dsp/env.o: engine/dsp/env.c engine/dsp/kernel.h \
  engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
