build-clang/obj/engine/graph.o: engine/graph.c engine/graph.h \
  engine/dsp/dsp.h

engine/graph.h:

engine/dsp/dsp.h:
