build-clang/obj/engine/pool.o: engine/pool.c engine/pool.h

engine/pool.h:
