/* compile.h — program text -> Program: names resolved, types checked (pattern, signal, event chain),
 * the global graph laid out, instruments built. Runs off the audio path; a failed compile builds nothing. */
#ifndef PHONON_COMPILE_H
#define PHONON_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "bank.h"
#include "program.h"

/* Limits (docs/LANGUAGE.md, "Limits"); beyond them a program is refused with an error. The program
 * text and statement count are limited by the parser (LANG_MAX_TEXT, LANG_MAX_STATEMENTS). */
#define COMPILE_MAX_BUSES 1024      /* bus definitions */
#define COMPILE_MAX_BUS_DEPTH 256   /* buses compiled inside one another: ~a uses ~b uses ~c ... */
#define COMPILE_MAX_DEPTH 1024      /* nested expressions, counted across those buses */
#define COMPILE_SOURCE_MAX 256      /* bytes of a message's source line (PhononError.source) */

typedef struct CompileEnv {
    Bank *bank;                 /* sound names are resolved here (may be NULL: every sound unknown) */
    double sr;
    int max_block;
    int ninputs;                /* host input channels (`in N`) */
    const char *file;           /* for messages */
    /* The host's control values (phonon_set_control), both may be NULL. slot: the engine's slot for a
     * bus name (without '~') that a program reads as a signal, -1 if none; control: whether a value set
     * for that bus is in force, and which (it then stands for the bus's number everywhere). */
    int (*slot)(void *ud, const char *bus);
    bool (*control)(void *ud, const char *bus, double *value);
    void *ud;
    struct CompileCache *cache; /* what earlier compiles made, reused (compile_statements only; may be NULL) */
    int noutputs;               /* host output channels; `outK:` for 3 <= K <= noutputs has channel K to
                                   itself (0: 2, the stereo pair only) */
} CompileEnv;

/* The statement cache: an edit compiles only what it must. A statement whose value is a pattern or an
 * event chain that reads no bus, makes no signal and gave no message (`~d1 $ s "bd*4" # gain 0.8`) is
 * compiled once: while its text and place stay the same, later compiles take the patterns it made
 * (in an arena the programs using them share) instead of compiling it again. What reads a bus, makes
 * signals or needs the graph is compiled every time: the global graph is laid out per program. A
 * successful compile drops the entries it did not use. Control side only (one compile at a time). */
typedef struct CompileCache CompileCache;
CompileCache *compile_cache_new(void);
void compile_cache_free(CompileCache *cc);
/* Statements compiled by the last successful compile / taken from the cache (for tests and the bench). */
void compile_cache_counts(const CompileCache *cc, int *compiled, int *reused);

typedef struct CompileMsg {
    int line, col;              /* 1-based; col counts characters (UTF-8 sequences), a tab as one */
    bool warning;
    char msg[400];
    char source[COMPILE_SOURCE_MAX];    /* the line col points into ("" when none); a long line is cut
                                           around col, with "..." where it was cut */
    int caret;                  /* byte offset in source of the character at col; -1 when none */
    int stmt;                   /* the statement being compiled when it was found (index), -1: none */
} CompileMsg;

/* Fill m->source and m->caret for line m->line of src, and turn m->col from a byte column (as the
 * parser counts) into a character column. */
void compile_locate(const char *src, size_t len, CompileMsg *m);

/* Returns the program, or NULL when there were errors. msgs receives errors and warnings (at most
 * maxmsgs); *nmsgs is how many were written. */
Program *compile_program(const char *src, size_t len, const CompileEnv *env,
                         CompileMsg *msgs, int maxmsgs, int *nmsgs);

/* The same for statements the caller parsed (lang_parse); they may come from several texts (their
 * positions are where each was written). The program keeps no pointer into them. */
struct Stmt;
Program *compile_statements(const struct Stmt *stmts, int nstmts, const CompileEnv *env, CompileMsg *msgs,
                            int maxmsgs, int *nmsgs);

/* Whether name is a track name: out, d1..d16, o1.., out1.. */
bool compile_is_track(const char *name);

#endif
