/* fuzz_bank.c — libFuzzer target for the sample loader: any bytes, saved as a .wav, .aiff or .flac file
 * (the first byte picks which) in a sample folder, go through bank_add_root, the loader thread and
 * libsndfile. Decoding must end (decoded or reported), and a decoded Sample must keep every promise bank.h
 * makes: 1 or 2 channels, at least one frame, finite values, zero pads, memory within the limits.
 * The seed corpus tests/fuzz/corpus/bank/ holds small valid files of every format and damaged ones:
 * truncated, headers that lie about their length, channels or rate, zero-length chunks.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -iquote engine tests/fuzz/fuzz_bank.c engine/bank.c \
 *         engine/bank_scan.c engine/builtin.c -lsndfile -lm -lpthread -o /tmp/fuzz_bank
 *   /tmp/fuzz_bank -max_total_time=120 tests/fuzz/corpus/bank */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bank.h"

#define FUZZ_FILE_MAX ((size_t)8 << 20)      /* small limits, so that the limit paths are taken too */
#define FUZZ_TOTAL_MAX ((size_t)12 << 20)

static char root[256], folder[300];

static void fuzz_setup(void)
{
    if (root[0]) return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(root, sizeof root, "%s/phonon-fuzz-bank-%d", base, (int)getpid());
    snprintf(folder, sizeof folder, "%s/x", root);
    mkdir(root, 0755);
    mkdir(folder, 0755);
}

static void fuzz_check(const Sample *s)
{
    if (s->channels < 1 || s->channels > 2 || s->frames < 1 || !(s->rate > 0)) abort();
    size_t bytes = (size_t)s->channels * ((size_t)s->frames + 2 * BANK_PAD) * sizeof(float);
    if (bytes > FUZZ_FILE_MAX) abort();
    for (int c = 0; c < s->channels; c++) {
        for (int i = -BANK_PAD; i < 0; i++)
            if (s->ch[c][i] != 0 || s->ch[c][s->frames - 1 - i] != 0) abort();
        for (int i = 0; i < s->frames; i++)
            if (!isfinite(s->ch[c][i]) || fabsf(s->ch[c][i]) > s->peak) abort();
    }
    if (s->channels == 1 && s->ch[1] != s->ch[0]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ext[] = { "wav", "aiff", "flac", "aif" };
    fuzz_setup();
    char path[400];
    snprintf(path, sizeof path, "%s/a.%s", folder, ext[size ? data[0] % 4 : 0]);
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    if (size > 1) fwrite(data + 1, 1, size - 1, f);
    fclose(f);

    Bank *b = bank_new(48000, NULL, NULL);
    if (b) {
        bank_set_use_system(b, false);
        bank_set_limits(b, FUZZ_FILE_MAX, FUZZ_TOTAL_MAX);
        char err[256];
        bank_add_root(b, root, err, sizeof err);
        const BankSound *s = bank_find(b, "x");
        if (s) {
            bank_request(b, s);
            if (!bank_wait(b, 20)) abort();     /* a file that never finishes decoding */
            const Sample *smp = banksound_get(s, 0);
            if (smp) fuzz_check(smp);
            BankStats st;
            bank_stats(b, &st);
            if (st.bytes > FUZZ_TOTAL_MAX || st.loaded + st.failed != st.files) abort();
        }
        bank_free(b);
    }
    remove(path);
    return 0;
}
