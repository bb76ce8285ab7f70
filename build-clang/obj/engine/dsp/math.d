build-clang/obj/engine/dsp/math.o: engine/dsp/math.c engine/dsp/kernel.h \
  engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
