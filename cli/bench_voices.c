/* bench_voices.c — `phonon bench --voices N --kind sample|synth|sine`: N held voices of one kind played
 * through the whole engine, block by block, against the same voice written as a tight hand-made loop
 * measured in the same run. `--table` runs the grid that docs/PERFORMANCE.md reports. */
#include "clones.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "bench_impl.h"
#include "phonon.h"
#include "pool.h"
#include "voice.h"

#define W VOICE_LANES
#define SAMPLE_FRAMES 44100

static uint32_t bench_rng = 1;
static float bench_rand(void)
{
    bench_rng = bench_rng * 1664525u + 1013904223u;
    return (float)(bench_rng >> 8) / 16777216.0f;
}

/* ---- the sound: one second of a noisy 220 Hz tone ---------------------------------------------- */

static float bench_mem[SAMPLE_FRAMES + 2 * BANK_PAD];
static Sample bench_sample;

static void bench_make_sample(double sr)
{
    float *d = bench_mem + BANK_PAD;
    for (int i = 0; i < SAMPLE_FRAMES; i++)
        d[i] = 0.5f * sinf(2 * 3.14159265f * 220 * i / 44100.0f) + 0.1f * (bench_rand() - 0.5f);
    bench_sample = (Sample){ SAMPLE_FRAMES, 1, 44100, { d, d }, 0.55f, "bench" };
    (void)sr;
}

/* ---- reference loops: the same voices, hand-written as tightly as we know how -------------------- */

CLONES static void ref_sampler_voice(const float *restrict d, float x0, float inc, float gl, float gr,
                                           float *restrict L, float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float x = x0 + (float)t * inc;
        int i = (int)x;
        float f = x - (float)i;
        /* 4-point Hermite, as the engine's sample voices (voice_sample.c) */
        float a = d[i - 1], b = d[i], c = d[i + 1], e = d[i + 2];
        float c1 = 0.5f * (c - a), c2 = a - 2.5f * b + 2.0f * c - 0.5f * e, c3 = 0.5f * (e - a) + 1.5f * (b - c);
        float s = ((c3 * f + c2) * f + c1) * f + b;
        L[t] += s * gl;
        R[t] += s * gr;
    }
}

typedef struct RefSampler {
    int n;
    double *pos;
    float *inc, *gl, *gr;
} RefSampler;

static void ref_sampler_block(RefSampler *r, float *L, float *R, int n)
{
    const float *d = bench_sample.ch[0];
    for (int v = 0; v < r->n; v++) {
        if (v + 2 < r->n) __builtin_prefetch(d + (long)r->pos[v + 2]);
        long base = (long)r->pos[v];
        ref_sampler_voice(d + base, (float)(r->pos[v] - base), r->inc[v], r->gl[v], r->gr[v], L, R, n);
        r->pos[v] += n * r->inc[v];
        if (r->pos[v] > SAMPLE_FRAMES - 1100) r->pos[v] -= 40000;
    }
}

/* the sum over the 32 lanes of one frame, into L and R: a tree of vector adds (a scalar sum would not
 * vectorise without -ffast-math, and would make the reference slower than it can be). The lane kernels
 * below accumulate every tile into the same per-lane rows, so this runs once per frame of a block. */
static inline __attribute__((always_inline)) void ref_lane_sum(const float *al, const float *ar, float *L, float *R)
{
    clones_f16 l0, l1, r0, r1;
    memcpy(&l0, al, 64), memcpy(&l1, al + 16, 64), memcpy(&r0, ar, 64), memcpy(&r1, ar + 16, 64);
    clones_f16 l = l0 + l1, r = r0 + r1;
    clones_hsum(&l, &r, L, R);
}

/* saw (PolyBLEP) -> 2-pole SVF low-pass -> envelope -> pan, 32 voices side by side */
CLONES static void ref_saw_lanes(float *restrict ph, float *restrict ic1, float *restrict ic2,
                                       const float *restrict inc, const float *restrict idt,
                                       const float *restrict env, const float *restrict gl,
                                       const float *restrict gr, float a1, float a2, float a3, float *restrict AL,
                                       float *restrict AR, int n)
{
    for (int t = 0; t < n; t++) {
        float *restrict al = AL + t * W, *restrict ar = AR + t * W;
        for (int l = 0; l < W; l++) {
            float p = ph[l], dt = inc[l], a = p * idt[l], b = (p - 1.0f) * idt[l];
            float after = a + a - a * a - 1.0f, before = b * b + b + b + 1.0f;
            float blep = p < dt ? after : (p > 1.0f - dt ? before : 0.0f);
            float x = 2.0f * p - 1.0f - blep;
            float c1 = ic1[l], c2 = ic2[l];
            float v3 = x - c2;
            float v1 = a1 * c1 + a2 * v3;
            float v2 = c2 + a2 * c1 + a3 * v3;
            ic1[l] = 2 * v1 - c1;
            ic2[l] = 2 * v2 - c2;
            float q = p + dt;
            ph[l] = q >= 1.0f ? q - 1.0f : q;
            float y = v2 * env[l];
            al[l] += y * gl[l];
            ar[l] += y * gr[l];
        }
    }
}

CLONES static void ref_sine_lanes(uint32_t *restrict ph, const uint32_t *restrict inc,
                                        const float *restrict env, const float *restrict gl,
                                        const float *restrict gr, float *restrict AL, float *restrict AR, int n)
{
    for (int t = 0; t < n; t++) {
        float *restrict al = AL + t * W, *restrict ar = AR + t * W;
        for (int l = 0; l < W; l++) {
            /* a 32-bit phase wraps by itself; read as signed it is already in [-1/2, 1/2) of a period */
            float x = (float)(int32_t)ph[l] * (1.0f / 4294967296.0f);
            x = x > 0.25f ? 0.5f - x : (x < -0.25f ? -0.5f - x : x);   /* fold to a quarter, odd polynomial */
            float z = x * x;
            float y = x * (6.2831853f + z * (-41.341702f + z * (81.605249f + z * (-76.705859f + z * 42.058694f))));
            ph[l] += inc[l];
            y *= env[l];
            al[l] += y * gl[l];
            ar[l] += y * gr[l];
        }
    }
}

static void ref_lanes_reduce(float *AL, float *AR, float *L, float *R, int n)
{
    for (int t = 0; t < n; t++) ref_lane_sum(AL + t * W, AR + t * W, L + t, R + t);
    memset(AL, 0, sizeof(float) * W * (size_t)n), memset(AR, 0, sizeof(float) * W * (size_t)n);
}

static float *bench_vec(int n, float lo, float hi)
{
    float *x = calloc((size_t)n, sizeof(float));
    for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * bench_rand();
    return x;
}

/* ns per voice-sample of the reference loop, one thread, best of three runs (the machine's limit) */
static double bench_reference(const char *kind, int voices, int block, double seconds, double sr)
{
    float *L = calloc((size_t)block, sizeof(float)), *R = calloc((size_t)block, sizeof(float));
    long blocks = (long)(seconds * sr / block) + 1;
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0, t1;
        int counted = voices;
        if (strcmp(kind, "sample") == 0) {
            RefSampler r = { voices, calloc((size_t)voices, sizeof(double)), bench_vec(voices, 0.5f, 2.0f),
                             bench_vec(voices, 0, 0.7f), bench_vec(voices, 0, 0.7f) };
            for (int v = 0; v < voices; v++) r.pos[v] = 2 + 40000 * bench_rand();
            for (int b = 0; b < 20; b++) ref_sampler_block(&r, L, R, block);
            t0 = bench_now();
            for (long b = 0; b < blocks; b++) ref_sampler_block(&r, L, R, block);
            t1 = bench_now();
            free(r.pos), free(r.inc), free(r.gl), free(r.gr);
        } else {
            int tiles = (voices + W - 1) / W, nl = tiles * W;
            bool saw = strcmp(kind, "synth") == 0;
            float *ph = bench_vec(nl, 0, 1), *inc = bench_vec(nl, 50 / sr, 1000 / sr), *idt = calloc((size_t)nl, 4);
            float *ic1 = calloc((size_t)nl, 4), *ic2 = calloc((size_t)nl, 4), *env = bench_vec(nl, 0.5f, 1);
            float *gl = bench_vec(nl, 0, 0.7f), *gr = bench_vec(nl, 0, 0.7f);
            for (int i = 0; i < nl; i++) idt[i] = 1.0f / inc[i];
            uint32_t *uph = calloc((size_t)nl, 4), *uinc = calloc((size_t)nl, 4);
            float *AL = calloc((size_t)W * block, 4), *AR = calloc((size_t)W * block, 4);
            for (int i = 0; i < nl; i++) uph[i] = (uint32_t)(ph[i] * 4294967295.0), uinc[i] = (uint32_t)(inc[i] * 4294967296.0);
            double g = tan(3.14159265 * 1800 / sr), k = 1 / 0.8;
            float a1 = (float)(1 / (1 + g * (g + k))), a2 = (float)(g * a1), a3 = (float)(g * a2);
            t0 = 0;
            for (long b = -20; b < blocks; b++) {
                if (b == 0) t0 = bench_now();
                for (int i = 0; i < tiles; i++) {
                    int o = i * W;
                    if (saw)
                        ref_saw_lanes(ph + o, ic1 + o, ic2 + o, inc + o, idt + o, env + o, gl + o, gr + o, a1, a2, a3, AL,
                                      AR, block);
                    else ref_sine_lanes(uph + o, uinc + o, env + o, gl + o, gr + o, AL, AR, block);
                }
                ref_lanes_reduce(AL, AR, L, R, block);
            }
            t1 = bench_now();
            free(ph), free(inc), free(idt), free(ic1), free(ic2), free(env), free(gl), free(gr), free(uph), free(uinc);
            free(AL), free(AR);
            counted = nl;
        }
        double ns = (t1 - t0) * 1e9 / ((double)counted * blocks * block);
        if (ns < best) best = ns;
    }
    volatile float sink = L[0] + R[0];
    (void)sink;
    free(L);
    free(R);
    return best;
}

/* ---- the engine: the same voices through phonon_process ---------------------------------------- */

typedef struct BenchRun {
    BenchTimes times;
    double ns_vs;               /* per voice-sample, from the median block */
    int active;
    long stolen, dropped;
    bool fallback;
    int threads;
} BenchRun;

/* The instruments: ~synth (saw -> lpf) and ~sine, compiled from a program; the clock is stopped so
 * that nothing but the held voices runs. */
static const char *bench_program = "~synth $ saw # lpf 1800 0.8\n~sine $ sine\n~d1 $ s \"~synth ~sine\" # gain 0\n";

static int bench_engine(const char *kind, int voices, int block, int threads, double seconds, double sr, BenchRun *out)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = sr;
    cfg.max_block = block;
    cfg.threads = threads;
    cfg.voices = voices + 64;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    if (!ph || phonon_eval(ph, bench_program, "bench", NULL, 0) != 0) {
        fprintf(stderr, "phonon bench: the bench program did not compile\n");
        phonon_free(ph);
        return -1;
    }
    phonon_stop(ph);
    if (threads != 1) engine_bench_pool_mode(ph, 0);     /* measure the threads asked for */
    float *l = calloc((size_t)block, sizeof(float)), *r = calloc((size_t)block, sizeof(float));
    float *outs[2] = { l, r };
    phonon_process(ph, NULL, outs, block);               /* takes the program over */
    const Instrument *inst = engine_bench_instrument(ph, strcmp(kind, "synth") == 0 ? 0 : 1);
    VoiceStart *vs = calloc((size_t)voices, sizeof *vs);
    for (int i = 0; i < voices; i++) {
        VoiceStart *v = &vs[i];
        v->offset = i % block;
        v->gain = 1.0f / 64;
        v->pan = bench_rand();
        v->loop = 1;
        v->end = 1;
        if (strcmp(kind, "sample") == 0) {
            v->sample = &bench_sample;
            v->rate = (float)((0.5 + 1.5 * bench_rand()) * bench_sample.rate / sr);
            v->loop = 1000;                               /* held for the whole run */
        } else {
            v->inst = inst;
            v->freq = 50 + 950 * bench_rand();
            v->attack = 0.01f;
            v->hold = 1e4f;
            v->release = 0.3f;
            v->length = v->attack + v->hold;
            v->has_env = true;
        }
    }
    engine_bench_start(ph, vs, voices);
    free(vs);
    for (int b = 0; b < 50; b++) phonon_process(ph, NULL, outs, block);
    long nblocks = (long)(seconds * sr / block) + 1;
    double *t = malloc(sizeof(double) * (size_t)nblocks);
    for (long b = 0; b < nblocks; b++) {
        double t0 = bench_now();
        phonon_process(ph, NULL, outs, block);
        t[b] = bench_now() - t0;
    }
    PhononStats st;
    phonon_stats(ph, &st);
    bench_stats(t, nblocks, &out->times);
    out->ns_vs = out->times.p50 * 1e9 / ((double)voices * block);
    out->active = st.voices;
    out->stolen = st.stolen;
    out->dropped = st.dropped;
    out->fallback = st.parallel_fallback;
    out->threads = st.threads;
    if (st.voices != voices) fprintf(stderr, "phonon bench: %d voices active, expected %d\n", st.voices, voices);
    free(t);
    free(l);
    free(r);
    phonon_free(ph);
    return 0;
}

/* Two threads against one on pure arithmetic: 2.0 when the host really gives two cores. */
static void bench_probe_chunk(void *ctx, int chunk, int thread)
{
    (void)thread;
    volatile float *acc = ctx;
    float m = acc[2], a = 1.0f + chunk, b = 2.0f, c = 3.0f, d = 4.0f;
    for (int i = 0; i < 4000000; i++) {
        a = a * m + 1e-3f;
        b = b * m + 2e-3f;
        c = c * m + 3e-3f;
        d = d * m + 4e-3f;
    }
    acc[chunk] = a + b + c + d;
}

static double bench_host_probe(void)
{
    float acc[3] = { 0, 0, 0.999f };
    Pool *p = pool_new(2);
    pool_set_mode(p, 1);
    double t0 = bench_now();
    pool_run(p, 2, 0, bench_probe_chunk, acc);
    double serial = bench_now() - t0;
    pool_set_mode(p, 0);
    t0 = bench_now();
    pool_run(p, 2, 0, bench_probe_chunk, acc);
    double par = bench_now() - t0;
    pool_free(p);
    return serial / par;
}

static bool bench_kind_ok(const char *k)
{
    return k && (strcmp(k, "sample") == 0 || strcmp(k, "synth") == 0 || strcmp(k, "sine") == 0);
}

static int bench_one(const BenchOpts *o)
{
    if (!bench_kind_ok(o->kind)) {
        fprintf(stderr, "phonon bench: --kind must be sample, synth or sine\n");
        return 2;
    }
    double ref = bench_reference(o->kind, o->voices, o->block, o->seconds / 4 < 0.5 ? o->seconds / 4 : 0.5, o->sr);
    BenchRun r;
    if (bench_engine(o->kind, o->voices, o->block, o->threads, o->seconds, o->sr, &r) < 0) return 1;
    BenchExtra ex = { o->block, r.threads, o->sr, r.active, r.active, r.stolen, 0, r.ns_vs, ref, r.fallback };
    char title[120];
    snprintf(title, sizeof title, "%d %s voices", o->voices, o->kind);
    bench_print(title, &r.times, o->block / o->sr, &ex, o->json);
    return 0;
}

/* The grid of docs/PERFORMANCE.md, as a Markdown table. */
static int bench_table(const BenchOpts *o)
{
    static const int voices[] = { 1000, 4000, 10000, 20000 }, blocks[] = { 64, 512 }, threads[] = { 1, 2 };
    static const char *kinds[] = { "sample", "synth", "sine" };
    double seconds = o->seconds < 10 ? o->seconds : 2;
    printf("host probe: two threads do %.2fx the arithmetic of one (2.0 = two real cores)\n\n", bench_host_probe());
    printf("| kind | voices | block | threads | engine ns/vs | reference ns/vs | engine / reference | P50 | P99 | P99.9 "
           "| max | 2 thr / 1 thr | host probe |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 2; b++)
            for (int v = 0; v < 4; v++) {
                double ref = bench_reference(kinds[k], voices[v], blocks[b], 0.25, o->sr), one = 0;
                for (int t = 0; t < 2; t++) {
                    BenchRun r;
                    if (bench_engine(kinds[k], voices[v], blocks[b], threads[t], seconds, o->sr, &r) < 0) return 1;
                    double budget = blocks[b] / o->sr;
                    char speed[32] = "", host[32] = "";
                    if (t == 0) one = r.ns_vs;
                    else {
                        /* the second vCPU comes and goes: say how free it was right after this row */
                        snprintf(speed, sizeof speed, "%.2fx%s", one / r.ns_vs, r.fallback ? " (fell back to 1)" : "");
                        snprintf(host, sizeof host, "%.2fx", bench_host_probe());
                    }
                    printf("| %s | %d | %d | %d | %.3f | %.3f | %.2f | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %s | %s |\n",
                           kinds[k], voices[v], blocks[b], threads[t], r.ns_vs, ref, r.ns_vs / ref,
                           100 * r.times.p50 / budget, 100 * r.times.p99 / budget, 100 * r.times.p999 / budget,
                           100 * r.times.max / budget, speed, host);
                    fflush(stdout);
                }
            }
    return 0;
}

int bench_voices(const BenchOpts *o)
{
    bench_make_sample(o->sr);
    if (o->table) return bench_table(o);
    return bench_one(o);
}
