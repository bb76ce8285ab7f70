build-clang/obj/engine/dsp/osc.o: engine/dsp/osc.c engine/dsp/kernel.h \
  engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
