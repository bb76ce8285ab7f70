/* fuzz_compile.c — libFuzzer target for the whole compiler: any bytes, as a program, must compile or
 * fail without a crash, a leak, a hang or undefined behaviour; every message must be well formed (a
 * position inside the text, a message, a caret inside its source line) and print; a program that
 * compiles must prepare its run memory and free cleanly.
 * Built by `make fuzz` (clang -fsanitize=fuzzer,address,undefined with the engine's sources), run on
 * tests/fuzz/corpus/compile (the documentation's programs and the examples). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "compile.h"
#include "phonon.h"

static Bank *fuzz_bank;

static void fuzz_check_msg(const CompileMsg *m, int nlines)
{
    if (m->line < 1 || m->line > nlines || m->col < 1 || !m->msg[0] || !memchr(m->msg, 0, sizeof m->msg) ||
        !memchr(m->source, 0, sizeof m->source) || m->caret < -1 || m->caret > (int)strlen(m->source)) {
        fprintf(stderr, "bad message %d:%d (caret %d): %.400s\n", m->line, m->col, m->caret, m->msg);
        abort();
    }
    PhononError e = { .line = m->line, .col = m->col, .caret = m->caret };
    snprintf(e.file, sizeof e.file, "fuzz.ph");
    snprintf(e.msg, sizeof e.msg, "%s", m->msg);
    snprintf(e.source, sizeof e.source, "%s", m->source);
    char text[2048];
    int n = phonon_error_format_source(&e, text, sizeof text);
    if (n < 0 || (size_t)strlen(text) >= sizeof text) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_bank) {                   /* the built-in sounds only */
        fuzz_bank = bank_new(44100, NULL, NULL);
        bank_set_use_system(fuzz_bank, false);
        bank_add_defaults(fuzz_bank);
    }
    int nlines = 1;                     /* as the parser counts them: \n, \r\n or a lone \r */
    for (size_t i = 0; i < size; i++)
        nlines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    CompileEnv env = { .bank = fuzz_bank, .sr = 44100, .max_block = 64, .ninputs = 2, .file = "fuzz.ph" };
    CompileMsg msgs[64];
    int nmsgs = -1;
    Program *p = compile_program((const char *)data, size, &env, msgs, 64, &nmsgs);
    if (nmsgs < 0 || nmsgs > 64) abort();
    for (int i = 0; i < nmsgs; i++) fuzz_check_msg(&msgs[i], nlines);
    if (p) {
        for (int i = 0; i < nmsgs; i++)
            if (!msgs[i].warning) abort();      /* a program is only built without errors */
        if (!program_prepare(p, 44100, 64)) abort();
        program_free(p);
    }
    return 0;
}
