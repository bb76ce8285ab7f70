build-clang/obj/engine/lang.o: engine/lang.c engine/lang.h engine/arena.h

engine/lang.h:

engine/arena.h:
