build-clang/obj/engine/lang_lex.o: engine/lang_lex.c engine/lang_lex.h \
  engine/lang.h engine/arena.h

engine/lang_lex.h:

engine/lang.h:

engine/arena.h:
