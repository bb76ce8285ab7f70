/* fuzz_lang.c — libFuzzer target for the .ph parser: any bytes must parse without a crash, a leak
 * or an out-of-bounds read; every tree must print and parse back to the same text, and every
 * statement's text must parse back to the same statement.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iengine tests/fuzz/fuzz_lang.c \
 *         engine/lang*.c engine/arena.c -o build/fuzz_lang && build/fuzz_lang -max_total_time=60 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"

static char f1[1 << 16], f2[1 << 16], src[(1 << 16) + 8];

static void round_trip(const AstNode *n)
{
    if (n->height > 60 || lang_format(n, f1, sizeof f1) >= (int)sizeof f1) return;
    snprintf(src, sizeof src, "~t $ %s", f1);
    Arena a;
    arena_init(&a);
    AstProgram p;
    LangError e;
    if (lang_parse(src, strlen(src), &a, &p, &e, 1) != 0 || p.nstmts != 1) {
        fprintf(stderr, "formatted tree does not parse: %s\n  %d:%d: %s\n", f1, e.line, e.col, e.msg);
        abort();
    }
    lang_format(p.stmts[0].expr, f2, sizeof f2);
    if (strcmp(f1, f2) != 0) {
        fprintf(stderr, "round trip differs:\n  %s\n  %s\n", f1, f2);
        abort();
    }
    arena_free(&a);
}

/* Stmt.text must parse back to the same statement: Pd replaces one statement by it. */
static void text_reparses(const Stmt *st)
{
    Arena a;
    arena_init(&a);
    AstProgram p;
    LangError e;
    if (lang_parse(st->text, strlen(st->text), &a, &p, &e, 1) != 0 || p.nstmts != 1 || p.stmts[0].kind != st->kind) {
        fprintf(stderr, "statement text does not reparse: %s\n", st->text);
        abort();
    }
    if (st->expr) {
        lang_format(st->expr, f1, sizeof f1);
        lang_format(p.stmts[0].expr, f2, sizeof f2);
        if (strcmp(f1, f2) != 0) {
            fprintf(stderr, "statement text reparses differently: %s\n  %s\n  %s\n", st->text, f1, f2);
            abort();
        }
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a;
    arena_init(&a);
    AstProgram p;
    LangError errs[8];
    int n = lang_parse((const char *)data, size, &a, &p, errs, 8);
    if (n < 0 || n > 8 || p.nerrors < n) abort();
    for (int i = 0; i < n; i++)
        if (errs[i].line < 1 || errs[i].col < 1 || !errs[i].msg[0]) abort();
    for (int i = 0; i < p.nstmts; i++) {
        text_reparses(&p.stmts[i]);
        if (p.stmts[i].kind == STMT_BUS || p.stmts[i].kind == STMT_OUT) round_trip(p.stmts[i].expr);
    }
    arena_free(&a);
    return 0;
}
