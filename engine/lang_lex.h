/* lang_lex.h — private to the lang module: .ph source lines -> tokens, each with its line:col.
 * Knows characters and positions only: it never builds AST nodes, never touches the arena. */
#ifndef PHONON_LANG_LEX_H
#define PHONON_LANG_LEX_H

#include "lang.h"

typedef enum LangTokKind {
    LTOK_END,       /* the end of a statement (added by the parser, not by the lexer) */
    LTOK_NUM,
    LTOK_STR,       /* s/len = the contents between the quotes; col = the opening quote */
    LTOK_BUS,       /* `~name`: s/len = the name without '~' */
    LTOK_NAME,
    LTOK_OP,        /* op: "#" "$" "." "+" "-" "*" "/" "%" "<~" "~>" and the Tidal |+ family */
    LTOK_LPAREN,
    LTOK_RPAREN,
    LTOK_COLON,     /* only meaningful in a statement head */
    LTOK_LBRACKET,  /* '[' ... ']': a list (spread fast [1, 2], timeCat [(1, p), (2, q)]) */
    LTOK_RBRACKET,
    LTOK_COMMA,     /* between the items of a list or the members of a tuple */
} LangTokKind;

typedef struct LangTok {
    LangTokKind kind;
    int line, col;          /* 1-based; col counts bytes, a tab is one column */
    int end_col;            /* just after the token, including a string's closing quote */
    const char *s;          /* the token's text in the source */
    int len;
    char op[5];
    double num;             /* LTOK_NUM: the value (never negative: '-' is its own token) */
    unsigned char neg_ok;   /* LTOK_OP "-" that may start a negative literal: preceded by a blank,
                               '(', '[', ',' or the start of its line, and directly followed by a digit or '.' */
    unsigned char line_start;   /* the first token of its line */
    unsigned char stray;    /* on a continuation line that starts in column 1 with a name: probably
                               a mistyped statement head, worth a hint in an error message */
} LangTok;

typedef struct LangTokBuf {
    LangTok *v;
    int n, cap;
} LangTokBuf;

/* Length of the line [s, s+len) without its `--` comment and trailing blanks. A `--` inside a
 * string is text, not a comment. */
int lang_lex_content(const char *s, int len);

/* Append the tokens of one line (already stripped by lang_lex_content) to buf. Returns 0, 1 when
 * the line has a lexical error (the first one is written to err), or -1 when out of memory. */
int lang_lex_line(const char *s, int len, int line, LangTokBuf *buf, LangError *err);

/* Whether the name [s, s+n) is a track or output name: `out`, or `d`, `o`, `out` followed by digits. */
int lang_lex_is_track(const char *s, int n);

/* Describe a token for an error message: 'name', '#', "bd sn", the end of the statement. */
void lang_lex_describe(const LangTok *t, char *buf, int size);

/* A new zeroed token at the end of buf; NULL when out of memory. */
LangTok *lang_lex_push(LangTokBuf *buf);
void lang_lex_free(LangTokBuf *buf);

#endif
