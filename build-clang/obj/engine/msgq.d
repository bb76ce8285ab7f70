build-clang/obj/engine/msgq.o: engine/msgq.c engine/msgq.h

engine/msgq.h:
