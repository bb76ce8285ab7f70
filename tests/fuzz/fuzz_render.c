/* fuzz_render.c — libFuzzer target for the whole path a program takes: the bytes are program text,
 * compiled through phonon_eval and rendered for a few blocks (64-frame blocks, one thread, 64 voices, no
 * system samples; one engine, reset to silence and cycle 0 before each input). A line "====" separates up to four programs, evaluated one after another with blocks in
 * between, so that program swaps (voices of the old program still ringing) are fuzzed too. Checks:
 * no crash, leak or sanitizer report; errors carry a position and a message; every sample out is
 * finite and within the limiter's ±1.
 * `make fuzz FUZZ=render SECONDS=N` builds and runs it on tests/fuzz/corpus/render (seeds: the examples,
 * the documentation's programs, generated ones, swaps, and every crash found) with tests/fuzz/render.dict. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phonon.h"

#define FUZZ_BLOCK 64
#define FUZZ_MAX_PROGRAMS 4
#define FUZZ_MAX_BYTES (1 << 16)

static void fuzz_blocks(Phonon *ph, int n)
{
    static float l[FUZZ_BLOCK], r[FUZZ_BLOCK];
    float *outs[2] = { l, r };
    for (int b = 0; b < n; b++) {
        phonon_process(ph, NULL, outs, FUZZ_BLOCK);
        for (int i = 0; i < FUZZ_BLOCK; i++)
            if (!isfinite(l[i]) || !isfinite(r[i]) || fabsf(l[i]) > 1.0f || fabsf(r[i]) > 1.0f) {
                fprintf(stderr, "sample %d of a block is %g %g\n", i, l[i], r[i]);
                abort();
            }
        PhononMsg m;
        while (phonon_poll(ph, &m))
            if (!memchr(m.text, 0, sizeof m.text)) abort();
    }
}

/* One program: compiled, and when it compiles, heard at its start and a few cycles later. */
static void fuzz_program(Phonon *ph, const char *text)
{
    PhononError errs[8];
    int n = phonon_eval(ph, text, "fuzz.ph", errs, 8);
    for (int i = 0; i < n && i < 8; i++) {
        char line[1024];
        if (errs[i].line < 1 || errs[i].col < 1 || !errs[i].msg[0] || phonon_error_format(&errs[i], line, sizeof line) <= 0) {
            fprintf(stderr, "error %d has no position or message: %d:%d: '%s'\n", i, errs[i].line, errs[i].col, errs[i].msg);
            abort();
        }
    }
    fuzz_blocks(ph, 3);
    if (n == 0) {
        phonon_seek(ph, phonon_cycle(ph) + 7.75);
        fuzz_blocks(ph, 2);
    }
}

/* One engine for the whole run (a new one per input would spend most of the time rendering the
 * built-in drums again); each input starts from the same state: silence, no voices, cycle 0. */
static Phonon *fuzz_engine(void)
{
    static Phonon *ph;
    if (!ph) {
        PhononConfig cfg;
        phonon_config_default(&cfg);
        cfg.max_block = FUZZ_BLOCK;
        cfg.threads = 1;
        cfg.voices = 64;
        cfg.no_system_samples = true;
        ph = phonon_new(&cfg);
        if (!ph) abort();
    }
    if (phonon_eval(ph, "out: 0\n", "reset", NULL, 0) != 0) abort();
    phonon_panic(ph);
    phonon_unhush(ph);
    phonon_unsolo(ph);
    phonon_start(ph);
    phonon_set_cps(ph, 0.5);
    fuzz_blocks(ph, 8);                 /* the released voices fade out (5 ms) */
    phonon_reset(ph);
    return ph;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_BYTES) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    Phonon *ph = fuzz_engine();
    char *prog = text;
    for (int k = 0; k < FUZZ_MAX_PROGRAMS && prog; k++) {
        char *sep = strstr(prog, "\n====\n");
        if (sep) *sep = 0;
        fuzz_program(ph, prog);
        prog = sep ? sep + 6 : NULL;
    }
    static char buf[1 << 16];
    phonon_program_text(ph, buf, sizeof buf);
    free(text);
    return 0;
}
