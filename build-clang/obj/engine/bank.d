build-clang/obj/engine/bank.o: engine/bank.c engine/bank.h \
  engine/bank_private.h engine/builtin.h

engine/bank.h:

engine/bank_private.h:

engine/builtin.h:
