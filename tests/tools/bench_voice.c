/* bench_voice.c — the voice engine under load: N held voices of one kind (sample, synth, sine) rendered
 * block by block on 1 and 2 threads; prints ns per voice-sample, block-time percentiles against the
 * real-time budget, and the same voice written as a tight hand-made loop, measured in the same run.
 *
 *   build/tools/bench_voice [--seconds S] [--voices 1000,4000,10000,20000] [--blocks 64,512]
 *                           [--threads 1,2] [--kinds sample,synth,sine] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "pool.h"
#include "voice.h"

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "no-trapping-math")
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_THREAD__)
#define CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CLONES
#endif

#define SR 44100.0
#define W VOICE_LANES

/* the lane sum of a frame, written as tightly as we know how (as in voice_lanes.c) */
typedef float v16 __attribute__((vector_size(64)));
typedef int i16 __attribute__((vector_size(64)));
#define LOAD16(v, p) memcpy(&(v), (p), sizeof(v16))
static inline __attribute__((always_inline)) void hsum(const v16 *lp, const v16 *rp, float *L, float *R)
{
    v16 l = *lp, r = *rp;
    v16 p = __builtin_shuffle(l, r, (i16){0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23}) +
            __builtin_shuffle(l, r, (i16){8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31});
    p += __builtin_shuffle(p, (i16){4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11});
    p += __builtin_shuffle(p, (i16){2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13});
    p += __builtin_shuffle(p, (i16){1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14});
    *L += p[0];
    *R += p[8];
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint32_t rng = 1;
static float frand(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (float)(rng >> 8) / 16777216.0f;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- the sound material ------------------------------------------------------------------------ */

static float sample_mem[44100 + 8];
static Sample one_second;

static void make_sample(void)
{
    float *d = sample_mem + BANK_PAD;
    for (int i = 0; i < 44100; i++) d[i] = 0.5f * sinf(2 * 3.14159265f * 220 * i / 44100.0f) + 0.1f * (frand() - 0.5f);
    one_second = (Sample){44100, 1, SR, {d, d}, 0.55f, "bench"};
}

typedef struct Inst {
    Graph g;
    GraphNode nodes[2];
    GraphBuf bufs[6];
    float *fresh;
    Instrument inst;
} Inst;

static Inst *make_inst(bool synth)
{
    const DspKind *osc = dsp_find(synth ? "saw" : "sine"), *lpf = dsp_find("lpf");
    if (!osc || (synth && !lpf)) return NULL;
    Inst *t = calloc(1, sizeof *t);
    t->bufs[0] = (GraphBuf){GB_EXTERN, W, 0, VEXT_FREQ};
    t->bufs[1] = (GraphBuf){GB_NODE, W, 0, 0};
    t->nodes[0] = (GraphNode){.kind = osc, .in = {0}, .out = 1, .lanes = W, .state = 0};
    t->g.nnodes = 1;
    t->g.nbufs = 2;
    t->g.out = 1;
    t->g.nstate = dsp_state_floats(osc, SR);
    if (synth) {
        t->bufs[2] = (GraphBuf){GB_CONST, 1, 1800, 0};
        t->bufs[3] = (GraphBuf){GB_CONST, 1, 0.8f, 0};
        t->bufs[4] = (GraphBuf){GB_NODE, W, 0, 0};
        t->nodes[1] = (GraphNode){.kind = lpf, .in = {1, 2, 3}, .out = 4, .lanes = W, .state = t->g.nstate};
        t->g.nstate += dsp_state_floats(lpf, SR);
        t->g.nnodes = 2;
        t->g.nbufs = 5;
        t->g.out = 4;
    }
    t->g.nodes = t->nodes;
    t->g.bufs = t->bufs;
    t->g.lanes = W;
    t->fresh = calloc(graph_state_floats(&t->g), sizeof(float));
    graph_init_state(&t->g, t->fresh, SR);
    t->inst = (Instrument){&t->g, t->fresh, 0, NULL, t, 0};
    return t;
}

/* ---- reference loops: the same voice, hand-written --------------------------------------------- */

typedef struct RefSampler {
    int n;
    double *pos;
    float *inc, *gl, *gr;
} RefSampler;

CLONES static void ref_sampler_voice(const float *restrict d, float x0, float inc, float gl, float gr,
                                     float *restrict L, float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float x = x0 + (float)t * inc;
        int i = (int)x;
        float f = x - (float)i, a = d[i];
        float s = a + f * (d[i + 1] - a);
        L[t] += s * gl;
        R[t] += s * gr;
    }
}

static void ref_sampler_block(RefSampler *r, float *L, float *R, int n)
{
    const float *d = one_second.ch[0];
    for (int v = 0; v < r->n; v++) {
        if (v + 2 < r->n) __builtin_prefetch(d + (long)r->pos[v + 2]);
        long base = (long)r->pos[v];
        ref_sampler_voice(d + base, (float)(r->pos[v] - base), r->inc[v], r->gl[v], r->gr[v], L, R, n);
        r->pos[v] += n * r->inc[v];
        if (r->pos[v] > 44000 - 1100) r->pos[v] -= 40000;
    }
}

/* saw (PolyBLEP) -> SVF lowpass -> linear envelope -> pan, 32 lanes per tile */
typedef struct RefSynth {
    int tiles;
    float *ph, *inc, *idt, *ic1, *ic2, *env, *gl, *gr;
    float a1, a2, a3, k;
    bool saw;
} RefSynth;


/* one tile of 32 voices, one frame at a time, lanes side by side (gcc vectorises the lane loop) */
CLONES static void ref_saw_lanes(float *restrict ph, float *restrict ic1, float *restrict ic2, const float *restrict inc,
                                 const float *restrict idt, const float *restrict env, const float *restrict gl,
                                 const float *restrict gr, float a1, float a2, float a3, float *restrict L,
                                 float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float al[W], ar[W];
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
            al[l] = y * gl[l];
            ar[l] = y * gr[l];
        }
        v16 l0, l1, r0, r1;
        LOAD16(l0, al), LOAD16(l1, al + 16), LOAD16(r0, ar), LOAD16(r1, ar + 16);
        v16 sl = l0 + l1, sr = r0 + r1;
        hsum(&sl, &sr, L + t, R + t);
    }
}

CLONES static void ref_sine_lanes(float *restrict ph, const float *restrict inc, const float *restrict env,
                                  const float *restrict gl, const float *restrict gr, float *restrict L,
                                  float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float al[W], ar[W];
        for (int l = 0; l < W; l++) {
            float p = ph[l];
            /* fold to [-1/4, 1/4] of a period, odd polynomial */
            float x = p < 0.5f ? p : p - 1.0f;
            x = x > 0.25f ? 0.5f - x : (x < -0.25f ? -0.5f - x : x);
            float z = x * x;
            float y = x * (6.2831853f + z * (-41.341702f + z * (81.605249f + z * (-76.705859f + z * 42.058694f))));
            float q = p + inc[l];
            ph[l] = q >= 1.0f ? q - 1.0f : q;
            y *= env[l];
            al[l] = y * gl[l];
            ar[l] = y * gr[l];
        }
        v16 l0, l1, r0, r1;
        LOAD16(l0, al), LOAD16(l1, al + 16), LOAD16(r0, ar), LOAD16(r1, ar + 16);
        v16 sl = l0 + l1, sr = r0 + r1;
        hsum(&sl, &sr, L + t, R + t);
    }
}

static void ref_synth_tile(RefSynth *s, int tile, float *L, float *R, int n)
{
    int o = tile * W;
    if (s->saw)
        ref_saw_lanes(s->ph + o, s->ic1 + o, s->ic2 + o, s->inc + o, s->idt + o, s->env + o, s->gl + o, s->gr + o,
                      s->a1, s->a2, s->a3, L, R, n);
    else ref_sine_lanes(s->ph + o, s->inc + o, s->env + o, s->gl + o, s->gr + o, L, R, n);
}

static float *fvec(int n, float lo, float hi)
{
    float *x = calloc((size_t)n, sizeof(float));
    for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * frand();
    return x;
}

/* ns per voice-sample of the reference loop for `voices` voices at block `block` */
static double reference(const char *kind, int voices, int block, double seconds)
{
    float *L = calloc((size_t)block, sizeof(float)), *R = calloc((size_t)block, sizeof(float));
    long blocks = (long)(seconds * SR / block);
    double t0, t1;
    if (!strcmp(kind, "sample")) {
        RefSampler r = {voices, calloc((size_t)voices, sizeof(double)), fvec(voices, 0.5f, 2.0f),
                        fvec(voices, 0, 0.7f), fvec(voices, 0, 0.7f)};
        for (int v = 0; v < voices; v++) r.pos[v] = 2 + 40000 * frand();
        for (int b = 0; b < 20; b++) ref_sampler_block(&r, L, R, block);
        t0 = now_ns();
        for (long b = 0; b < blocks; b++) ref_sampler_block(&r, L, R, block);
        t1 = now_ns();
        free(r.pos), free(r.inc), free(r.gl), free(r.gr);
    } else {
        int tiles = (voices + W - 1) / W, nl = tiles * W;
        RefSynth s = {tiles, fvec(nl, 0, 1), fvec(nl, 50 / SR, 1000 / SR), NULL, fvec(nl, 0, 0), fvec(nl, 0, 0),
                      fvec(nl, 0.5f, 1), fvec(nl, 0, 0.7f), fvec(nl, 0, 0.7f), 0, 0, 0, 0, !strcmp(kind, "synth")};
        s.idt = calloc((size_t)nl, sizeof(float));
        for (int i = 0; i < nl; i++) s.idt[i] = 1.0f / s.inc[i];
        double g = tan(3.14159265 * 1800 / SR), k = 1 / 0.8;
        s.k = (float)k;
        s.a1 = (float)(1 / (1 + g * (g + k)));
        s.a2 = (float)(g * s.a1);
        s.a3 = (float)(g * s.a2);
        for (int b = 0; b < 20; b++)
            for (int i = 0; i < tiles; i++) ref_synth_tile(&s, i, L, R, block);
        t0 = now_ns();
        for (long b = 0; b < blocks; b++)
            for (int i = 0; i < tiles; i++) ref_synth_tile(&s, i, L, R, block);
        t1 = now_ns();
        free(s.ph), free(s.inc), free(s.idt), free(s.ic1), free(s.ic2), free(s.env), free(s.gl), free(s.gr);
        voices = nl;
    }
    volatile float sink = L[0] + R[0];
    (void)sink;
    free(L);
    free(R);
    return (t1 - t0) / ((double)voices * blocks * block);
}

/* ---- the engine ---------------------------------------------------------------------------- */

typedef struct Result {
    double ns_vs, mean_vs;                      /* per voice-sample: median block, mean */
    double p50, p95, p99, p999, max;            /* block times as a fraction of the budget */
    bool fallback;
    double speedup;
} Result;

static Result engine_run(const char *kind, int voices, int block, int threads, double seconds, Inst *synth, Inst *sine)
{
    VoiceConfig cfg = {voices + 64, block, SR, 2};
    VoicePool *vp = voice_pool_new(&cfg);
    Pool *pool = pool_new(threads);
    if (threads > 1) pool_set_mode(pool, 0);   /* measure the threads we asked for */
    float *out[2] = {calloc((size_t)block * 2, sizeof(float)), calloc((size_t)block * 2, sizeof(float))};
    voice_begin_block(vp, block);
    for (int i = 0; i < voices; i++) {
        VoiceStart v;
        memset(&v, 0, sizeof v);
        v.offset = i % block;
        v.gain = 1.0f / 64;
        v.pan = frand();
        v.loop = 1;
        if (!strcmp(kind, "sample")) {
            v.sample = &one_second;
            v.rate = 0.5f + 1.5f * frand();
            v.end = 1;
            v.loop = 1000;                      /* held for the whole run */
        } else {
            v.inst = !strcmp(kind, "synth") ? &synth->inst : &sine->inst;
            v.freq = 50 + 950 * frand();
            v.attack = 0.01f;
            v.hold = 1e4f;
            v.release = 0.3f;
        }
        voice_start(vp, &v);
    }
    long blocks = (long)(seconds * SR / block);
    double *times = malloc((size_t)blocks * sizeof(double));
    for (int b = 0; b < 50; b++) {
        voice_render(vp, pool, NULL, out, 2, block);
        voice_begin_block(vp, block);
    }
    double total = 0;
    for (long b = 0; b < blocks; b++) {
        double t0 = now_ns();
        voice_render(vp, pool, NULL, out, 2, block);
        voice_begin_block(vp, block);
        times[b] = now_ns() - t0;
        total += times[b];
    }
    VoiceStats st;
    voice_stats(vp, &st);
    if (st.active != voices) fprintf(stderr, "bench: %d voices active, expected %d\n", st.active, voices);
    qsort(times, (size_t)blocks, sizeof(double), cmp_double);
    double budget = block / SR * 1e9;
    Result r;
    r.ns_vs = times[blocks / 2] / ((double)voices * block);     /* the median block: robust to a busy host */
    r.mean_vs = total / ((double)voices * blocks * block);
    r.p50 = times[blocks / 2] / budget;
    r.p95 = times[(long)(blocks * 0.95)] / budget;
    r.p99 = times[(long)(blocks * 0.99)] / budget;
    r.p999 = times[(long)(blocks * 0.999)] / budget;
    r.max = times[blocks - 1] / budget;
    PoolStats ps;
    pool_stats(pool, &ps);
    r.fallback = ps.fallback;
    r.speedup = ps.speedup;
    free(times);
    free(out[0]);
    free(out[1]);
    pool_free(pool);
    voice_pool_free(vp);
    return r;
}

/* ---- the host: does the second thread help at all right now? ---------------------------------- */

static void probe_chunk(void *ctx, int chunk, int thread)
{
    (void)thread;
    volatile float *acc = ctx;
    float m = acc[2], a = 1.0f + chunk, b = 2.0f, c = 3.0f, d = 4.0f;
    for (int i = 0; i < 4000000; i++) {     /* four dependent multiply-add chains */
        a = a * m + 1e-3f;
        b = b * m + 2e-3f;
        c = c * m + 3e-3f;
        d = d * m + 4e-3f;
    }
    acc[chunk] = a + b + c + d;
}

static double host_probe(void)
{
    float acc[3] = {0, 0, 0.999f};
    Pool *p = pool_new(2);
    pool_set_mode(p, 1);
    double t0 = now_ns();
    pool_run(p, 2, 0, probe_chunk, acc);
    double serial = now_ns() - t0;
    pool_set_mode(p, 0);
    t0 = now_ns();
    pool_run(p, 2, 0, probe_chunk, acc);
    double par = now_ns() - t0;
    pool_free(p);
    return serial / par;
}

static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        out[n++] = atoi(s);
        while (*s && *s != ',') s++;
        if (*s == ',') s++;
    }
    return n;
}

int main(int argc, char **argv)
{
    double seconds = 2;
    int voices[8] = {1000, 4000, 10000, 20000}, nv = 4;
    int blocks[4] = {64, 512}, nb = 2;
    int threads[4] = {1, 2}, nt = 2;
    const char *kinds = "sample,synth,sine";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--voices")) nv = parse_list(argv[i + 1], voices, 8);
        else if (!strcmp(argv[i], "--blocks")) nb = parse_list(argv[i + 1], blocks, 4);
        else if (!strcmp(argv[i], "--threads")) nt = parse_list(argv[i + 1], threads, 4);
        else if (!strcmp(argv[i], "--kinds")) kinds = argv[i + 1];
    }
    make_sample();
    Inst *synth = make_inst(true), *sine = make_inst(false);
    if (!synth || !sine) {
        fprintf(stderr, "bench_voice: the dsp kinds saw, lpf and sine are needed\n");
        return 1;
    }
    printf("host probe: two threads run %.2fx as fast as one (2.0 = two real cores)\n", host_probe());
    printf("%-7s %6s %5s %3s | %6s %6s %6s %5s | %6s %6s %6s %6s %6s | %s\n", "kind", "voices", "block", "thr", "ns/vs",
           "mean", "ref", "x ref", "P50%", "P95%", "P99%", "P99.9%", "max%", "pool");
    const char *all[3] = {"sample", "synth", "sine"};
    for (int k = 0; k < 3; k++) {
        if (!strstr(kinds, all[k])) continue;
        for (int b = 0; b < nb; b++)
            for (int v = 0; v < nv; v++) {
                double ref = 1e9;          /* the best of three: the reference is the machine's limit */
                for (int rep = 0; rep < 3; rep++) {
                    double x = reference(all[k], voices[v], blocks[b], seconds / 4);
                    if (x < ref) ref = x;
                }
                for (int t = 0; t < nt; t++) {
                    Result r = engine_run(all[k], voices[v], blocks[b], threads[t], seconds, synth, sine);
                    printf("%-7s %6d %5d %3d | %6.3f %6.3f %6.3f %5.2f | %6.1f %6.1f %6.1f %6.1f %6.1f | %s\n", all[k],
                           voices[v], blocks[b], threads[t], r.ns_vs, r.mean_vs, ref, r.ns_vs / ref, 100 * r.p50,
                           100 * r.p95, 100 * r.p99, 100 * r.p999, 100 * r.max, threads[t] > 1 ? "parallel" : "serial");
                    fflush(stdout);
                }
            }
    }
    printf("ns/vs: per voice-sample from the median block (mean: over all blocks); ref: the same voice as a tight\n"
           "hand-written loop, one thread, best of 3; x ref = ns/vs / ref. Percentiles: block time as %% of the\n"
           "real-time budget (%.3f ms at 64 frames, %.3f ms at 512, 44.1 kHz).\n", 64 / SR * 1e3, 512 / SR * 1e3);
    return 0;
}
