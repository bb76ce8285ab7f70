/* lang.h — the .ph language's lexer and parser: program text -> statements of expression trees (AST).
 * Every node keeps the line:col of its first character; nothing here knows what a name means. */
#ifndef PHONON_LANG_H
#define PHONON_LANG_H

#include <stddef.h>

#include "arena.h"

typedef enum AstKind {
    AST_NUM,        /* num; text = the literal as written */
    AST_STR,        /* text = contents between the quotes (mini-notation); col = the opening quote */
    AST_BUS,        /* text = bus name without '~' */
    AST_NAME,       /* text = a bare identifier used as a value: `rev`, `saw`, `sine` */
    AST_CALL,       /* text = function name; args[nargs]: `lpf 800 0.7`, `every 3 (fast 2)` */
    AST_BINOP,      /* op, args[0] op args[1]: + - * / and Tidal operators (see below) */
    AST_NEG,        /* -args[0] */
    AST_DOLLAR,     /* args[0] $ args[1] $ ... $ args[n-1], kept flat: the compiler decides between the
                       pipeline (`x $ fast 2 $ rev`) and Haskell order (`fast 2 $ x`) */
    AST_SECTION,    /* an operator with one operand, inside parentheses: (# speed 2), (|+ n 12),
                       (+ speed 1), (0.25 <~), (1/8 ~>). args[0] is the operand; hole_left says
                       where the function's input goes: (# speed 2) -> hole_left = 1 (input # speed 2),
                       (0.25 <~) -> hole_left = 0 (0.25 <~ input) */
    AST_COMPOSE,    /* (f . g . h): args in order written; applies right to left like Haskell */
    AST_LIST,       /* [a, b, c]: args are the items (an argument of spread, choose, timeCat ...) */
    AST_TUPLE,      /* (a, b): args are the members (an item of wchoose, timeCat, ur ...) */
} AstKind;

typedef struct AstNode AstNode;
struct AstNode {
    AstKind kind;
    int line, col;          /* 1-based, of the node's first character */
    int end_col;            /* column just after the node on its last line (for underlining) */
    int end_line;           /* the node's last line (a statement may continue over several lines) */
    int op_line, op_col;    /* AST_BINOP, AST_SECTION, AST_NEG: where the operator is;
                               AST_DOLLAR / AST_COMPOSE: where the first '$' / '.' is */
    int height;             /* 1 for a leaf, else 1 + the tallest child; never above LANG_MAX_DEPTH,
                               so a recursive walk of a parsed tree is bounded */
    const char *text;
    double num;
    char op[5];             /* AST_BINOP / AST_SECTION: "+" "-" "*" "/" "%" "#" "<~" "~>"
                               and the structure forms "|+" "+|" "|+|" "|-" "-|" "|*" "*|" "|/" "/|"
                               "|%" "%|" "|>" ">|" "|<" "<|", plus "|-|" "|*|" "|/|" "|%|" "|>|" "|<|",
                               the word joins "|++" "++|" "|++|" and the comparisons of
                               predicates "<" "<=" ">" ">=" "==" "/=";
                               also AST_DOLLAR "$", AST_COMPOSE ".", AST_NEG "-" */
    int hole_left;
    int nargs;
    AstNode **args;
};

typedef enum StmtKind {
    STMT_BUS,       /* `~name: expr` or `~name $ expr` (name without '~') */
    STMT_OUT,       /* `out: expr`, `out $ expr`, and tracks `d1`..`d16`, `o1`.., `out1`.. (name as written) */
    STMT_TEMPO,     /* `tempo: x` / `cps: x` (cps) or `bpm: x ["4/4"]` */
    STMT_HUSH,
    STMT_PANIC,
} StmtKind;

typedef enum TempoUnit { TEMPO_CPS, TEMPO_BPM } TempoUnit;

typedef struct Stmt {
    StmtKind kind;
    int line, col;
    const char *name;       /* STMT_BUS / STMT_OUT */
    AstNode *expr;          /* STMT_BUS / STMT_OUT */
    double value;           /* STMT_TEMPO */
    int value_col;          /* STMT_TEMPO: where the number is */
    TempoUnit unit;
    const char *text;       /* the statement's source text (joined continuation lines, comments removed) */
} Stmt;

typedef struct AstProgram {
    Stmt *stmts;
    int nstmts;
    int nerrors;            /* every error found, also those beyond maxerrs */
} AstProgram;

/* Deepest expression the parser accepts (nested parentheses, operator chains, unary minus). */
#define LANG_MAX_DEPTH 200
/* The longest program text (bytes) and the most statements a program may have (docs/LANGUAGE.md,
 * "Limits"): beyond them the program is refused with an error, before anything is built. */
#define LANG_MAX_TEXT (1 << 20)
#define LANG_MAX_STATEMENTS 4096

typedef struct LangError {
    int line, col;
    char msg[240];          /* "expected an expression after '#'"; the caller prefixes file:line:col */
} LangError;

/* The lines of a program's text, as the parser and every message see them: a UTF-8 byte-order mark
 * at the start is skipped, and a line ends at "\n", "\r\n" or a lone "\r" (old Mac files).
 * lang_text_start: where line 1 starts. lang_line: the length of the line starting at src[at],
 * without its line break; *next = where the next line starts (len after the last). */
size_t lang_text_start(const char *src, size_t len);
size_t lang_line(const char *src, size_t len, size_t at, size_t *next);

/* Parse a whole program. Nodes and strings live in arena a. Returns the number of errors written to
 * errs (at most maxerrs); after an error in one statement parsing goes on with the next statement, so
 * several can be reported at once. out holds the statements that parsed. */
int lang_parse(const char *src, size_t len, Arena *a, AstProgram *out, LangError *errs, int maxerrs);

/* Whether a line of text starts a statement (a statement head: `~name:`, `~name $`, `out:`, `d1 $`,
 * `bpm:`, `hush`...). Used for line joining, and by Pd to tell a one-statement message. */
int lang_is_statement_head(const char *line, size_t len);

/* "Did you mean ...?": feed the names of one table (functions, parameters, sounds, statements) to
 * a LangSuggest made for the misspelt word; it keeps the nearest (up to LANG_SUGGEST_MAX, by edit
 * distance ignoring case, swaps of neighbours counting one). Names are kept by pointer: they must
 * outlive it. lang_suggest_format writes " (did you mean 'lpf'?)" (each name between pre and post),
 * or "" when no name is near; returns chars written (like snprintf). */
#define LANG_SUGGEST_MAX 3
#define LANG_SUGGEST_LEN 48         /* longer names are never suggested */
typedef struct LangSuggest {
    const char *word;
    int len, limit, best;
    const char *names[LANG_SUGGEST_MAX];
    int n;
} LangSuggest;
void lang_suggest_init(LangSuggest *s, const char *word, int len);
void lang_suggest_add(LangSuggest *s, const char *name);
int lang_suggest_format(const LangSuggest *s, const char *pre, const char *post, char *buf, int size);

/* Print an AST back as text, for debugging and tests. Returns chars written (like snprintf). */
int lang_format(const AstNode *n, char *buf, int size);

#endif
