build-clang/obj/engine/builtin.o: engine/builtin.c engine/builtin.h

engine/builtin.h:
