build-clang/obj/engine/arena.o: engine/arena.c engine/arena.h

engine/arena.h:
