build-clang/obj/engine/dsp/fx.o: engine/dsp/fx.c engine/dsp/kernel.h \
  engine/clones.h engine/dsp/dsp.h

engine/dsp/kernel.h:

engine/clones.h:

engine/dsp/dsp.h:
