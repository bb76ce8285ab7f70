build-clang/obj/engine/rational.o: engine/rational.c engine/rational.h

engine/rational.h:
