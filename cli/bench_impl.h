/* bench_impl.h — what the benchmark's parts share: options, timing statistics, the report.
 * Benchmarks run off the audio path and may allocate and print freely. */
#ifndef PHONON_BENCH_IMPL_H
#define PHONON_BENCH_IMPL_H

typedef struct BenchOpts {
    const char *file;
    const char *kind;           /* --kind sample|synth|sine */
    int voices;                 /* --voices N */
    int block, threads, json, no_system, table;
    double seconds, sr;
} BenchOpts;

typedef struct BenchTimes {
    double min, p50, p95, p99, p999, max, mean;     /* seconds */
} BenchTimes;

typedef struct BenchExtra {
    int block, threads;
    double sr;
    int peak_voices;
    double mean_voices;
    long stolen, late;
    double ns_per_voice_sample;     /* 0: not applicable */
    double ref_ns;                  /* the reference loop for the same voice, 0: none */
    int fallback;
} BenchExtra;

#include "engine_bench.h"


double bench_now(void);
void bench_stats(double *times, long n, BenchTimes *out);       /* sorts times */
void bench_print(const char *title, const BenchTimes *bt, double budget, const BenchExtra *ex, int json);
int bench_voices(const BenchOpts *o);

#endif
