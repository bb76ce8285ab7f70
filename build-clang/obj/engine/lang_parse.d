build-clang/obj/engine/lang_parse.o: engine/lang_parse.c \
  engine/lang_lex.h engine/lang.h engine/arena.h

engine/lang_lex.h:

engine/lang.h:

engine/arena.h:
