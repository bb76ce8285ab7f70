/* compile.h — program text -> Program: names resolved, types checked (pattern, signal, event chain),
 * the global graph laid out, instruments built. Runs off the audio path; a failed compile builds nothing. */
#ifndef PHONON_COMPILE_H
#define PHONON_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "bank.h"
#include "program.h"

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
} CompileEnv;

typedef struct CompileMsg {
    int line, col;
    bool warning;
    char msg[400];
} CompileMsg;

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
