build-clang/obj/engine/bank_scan.o: engine/bank_scan.c engine/bank.h \
  engine/bank_private.h engine/builtin.h

engine/bank.h:

engine/bank_private.h:

engine/builtin.h:
