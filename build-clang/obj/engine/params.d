build-clang/obj/engine/params.o: engine/params.c engine/params.h

engine/params.h:
