/* bench.c — `phonon bench FILE`: a program run block by block, each block timed, reported as
 * percentiles of the block's real-time budget. (`--voices N --kind K` lives in bench_voices.c.) */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_impl.h"
#include "phonon.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_stats(double *t, long n, BenchTimes *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0) return;
    qsort(t, (size_t)n, sizeof *t, bench_cmp);
    double sum = 0;
    for (long i = 0; i < n; i++) sum += t[i];
    out->min = t[0];
    out->max = t[n - 1];
    out->mean = sum / n;
    out->p50 = t[(long)(0.50 * (n - 1))];
    out->p95 = t[(long)(0.95 * (n - 1))];
    out->p99 = t[(long)(0.99 * (n - 1))];
    out->p999 = t[(long)(0.999 * (n - 1))];
}

void bench_print(const char *title, const BenchTimes *bt, double budget, const BenchExtra *ex, int json)
{
    if (json) {
        printf("{\"name\":\"%s\",\"block\":%d,\"threads\":%d,\"budget_us\":%.3f,\"min_us\":%.3f,\"p50_us\":%.3f,"
               "\"p95_us\":%.3f,\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f,\"p99_load\":%.5f,"
               "\"peak_voices\":%d,\"mean_voices\":%.1f,\"stolen\":%ld,\"late\":%ld,\"ns_per_voice_sample\":%.4f,"
               "\"ref_ns_per_voice_sample\":%.4f,\"fallback\":%s}\n",
               title, ex->block, ex->threads, budget * 1e6, bt->min * 1e6, bt->p50 * 1e6, bt->p95 * 1e6,
               bt->p99 * 1e6, bt->p999 * 1e6, bt->max * 1e6, bt->p99 / budget, ex->peak_voices, ex->mean_voices,
               ex->stolen, ex->late, ex->ns_per_voice_sample, ex->ref_ns, ex->fallback ? "true" : "false");
        return;
    }
    printf("%s\n", title);
    printf("  block %d frames at %.0f Hz, budget %.1f us, threads %d%s\n", ex->block, ex->sr, budget * 1e6,
           ex->threads, ex->fallback ? " (fell back to 1)" : "");
    printf("  block time  min %.1f  P50 %.1f  P95 %.1f  P99 %.1f  P99.9 %.1f  max %.1f us\n", bt->min * 1e6,
           bt->p50 * 1e6, bt->p95 * 1e6, bt->p99 * 1e6, bt->p999 * 1e6, bt->max * 1e6);
    printf("  of budget   P50 %.2f%%  P95 %.2f%%  P99 %.2f%%  P99.9 %.2f%%  max %.2f%%\n", 100 * bt->p50 / budget,
           100 * bt->p95 / budget, 100 * bt->p99 / budget, 100 * bt->p999 / budget, 100 * bt->max / budget);
    printf("  voices      peak %d  mean %.1f  stolen %ld  late %ld", ex->peak_voices, ex->mean_voices, ex->stolen,
           ex->late);
    if (ex->ns_per_voice_sample > 0) printf("  ns/voice-sample %.3f", ex->ns_per_voice_sample);
    if (ex->ref_ns > 0)
        printf("\n  reference   the same voice as a tight hand-written loop, one thread: %.3f ns/voice-sample"
               "\n              engine / reference %.2f%s",
               ex->ref_ns, ex->ns_per_voice_sample / ex->ref_ns,
               ex->threads > 1 ? " (the engine on several threads)" : "");
    printf("\n");
}

/* Live edits, timed where the audio thread pays for them: a block that takes a hand-over (the program
 * evaluated again, every node's state carried over; the compile itself is the control side's and is
 * not timed), and a block preceded by a thousand phonon_set_control calls (a slider at 1 kHz would
 * make some 1.5 of them per block). */
static void bench_live(Phonon *ph, const BenchOpts *o, const char *text, float *const *outs)
{
    enum { ROUNDS = 200 };
    double *t = malloc(sizeof(double) * ROUNDS);
    if (!t) return;
    PhononStats st;
    phonon_stats(ph, &st);
    BenchExtra ex = { o->block, st.threads, o->sr, st.peak_voices, st.voices, 0, 0, 0, 0, st.parallel_fallback };
    BenchTimes bt;
    char title[300];
    PhononMsg m;
    for (int i = 0; i < ROUNDS; i++) {
        phonon_eval(ph, text, o->file, NULL, 0);
        double t0 = bench_now();
        phonon_process(ph, NULL, outs, o->block);
        t[i] = bench_now() - t0;
        phonon_process(ph, NULL, outs, o->block);
        while (phonon_poll(ph, &m)) {}
    }
    bench_stats(t, ROUNDS, &bt);
    snprintf(title, sizeof title, "program %s: a block that takes a hand-over (state carried)", o->file);
    bench_print(title, &bt, o->block / o->sr, &ex, o->json);
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = bench_now();
        for (int k = 0; k < 1000; k++) phonon_set_control(ph, "~bench_slider", (i * 1000 + k) * 1e-6);
        phonon_process(ph, NULL, outs, o->block);
        t[i] = bench_now() - t0;
        while (phonon_poll(ph, &m)) {}
    }
    bench_stats(t, ROUNDS, &bt);
    snprintf(title, sizeof title, "program %s: a block with 1000 set calls before it", o->file);
    bench_print(title, &bt, o->block / o->sr, &ex, o->json);
    free(t);
}

/* Run a program file as a real-time host would: block after block, each one timed. */
static int bench_program(const BenchOpts *o)
{
    char *text = phonon_read_text(o->file);
    if (!text) {
        fprintf(stderr, "phonon: %s: %s\n", o->file, strerror(errno));
        return 1;
    }
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = o->sr;
    cfg.max_block = o->block;
    cfg.threads = o->threads;
    cfg.no_system_samples = o->no_system;
    Phonon *ph = phonon_new(&cfg);
    PhononError errs[16];
    int nerr = phonon_eval(ph, text, o->file, errs, 16);
    if (nerr) {
        free(text);
        for (int i = 0; i < nerr && i < 16; i++) {
            char line[1024];
            phonon_error_format(&errs[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        phonon_free(ph);
        return 1;
    }
    phonon_wait_loaded(ph, 60);
    long nblocks = (long)ceil(o->seconds * o->sr / o->block);
    double *t = malloc(sizeof(double) * (size_t)nblocks);
    float *l = calloc((size_t)o->block, sizeof(float)), *r = calloc((size_t)o->block, sizeof(float));
    float *outs[2] = { l, r };
    double vsum = 0;
    int vpeak = 0;
    for (int w = 0; w < 16; w++) phonon_process(ph, NULL, outs, o->block);     /* warm up */
    for (long i = 0; i < nblocks; i++) {
        double t0 = bench_now();
        phonon_process(ph, NULL, outs, o->block);
        t[i] = bench_now() - t0;
        PhononStats st;
        phonon_stats(ph, &st);
        vsum += st.voices;
        if (st.voices > vpeak) vpeak = st.voices;
        PhononMsg m;
        while (phonon_poll(ph, &m)) {}
    }
    PhononStats st;
    phonon_stats(ph, &st);
    BenchTimes bt;
    bench_stats(t, nblocks, &bt);
    BenchExtra ex = { o->block, st.threads, o->sr, vpeak, vsum / nblocks, st.stolen, st.late, 0, 0, st.parallel_fallback };
    char title[300];
    snprintf(title, sizeof title, "program %s", o->file);
    bench_print(title, &bt, o->block / o->sr, &ex, o->json);
    bench_live(ph, o, text, outs);
    free(text);
    free(t);
    free(l);
    free(r);
    phonon_free(ph);
    return 0;
}

int bench_main(int argc, char **argv)
{
    BenchOpts o;
    memset(&o, 0, sizeof o);
    o.block = 64;
    o.seconds = 10;
    o.sr = 44100;
    o.threads = 0;
    o.no_system = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--block") == 0 && v) o.block = atoi(argv[++i]);
        else if (strcmp(a, "--seconds") == 0 && v) o.seconds = atof(argv[++i]);
        else if (strcmp(a, "--threads") == 0 && v) o.threads = atoi(argv[++i]);
        else if (strcmp(a, "--sr") == 0 && v) o.sr = atof(argv[++i]);
        else if (strcmp(a, "--voices") == 0 && v) o.voices = atoi(argv[++i]);
        else if (strcmp(a, "--kind") == 0 && v) o.kind = argv[++i];
        else if (strcmp(a, "--json") == 0) o.json = 1;
        else if (strcmp(a, "--table") == 0) o.table = 1;
        else if (strcmp(a, "--system-samples") == 0) o.no_system = 0;
        else if (a[0] != '-' || strcmp(a, "-") == 0) o.file = a;
        else {
            fprintf(stderr, "phonon bench: unknown option %s\n", a);
            return 2;
        }
    }
    if (o.block < 1 || o.block > 8192 || !(o.seconds > 0) || !(o.sr >= 1000)) {
        fprintf(stderr, "phonon bench: bad --block, --seconds or --sr\n");
        return 2;
    }
    if (o.voices > 0 || o.table) return bench_voices(&o);
    if (!o.file) {
        fprintf(stderr, "usage: phonon bench FILE [--block N] [--seconds S] [--threads N] [--sr HZ] [--json]\n"
                        "       phonon bench --voices N --kind sample|synth|sine [--block N] [--threads N] [--json]\n");
        return 2;
    }
    return bench_program(&o);
}
