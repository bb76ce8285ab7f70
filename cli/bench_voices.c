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
#include "dsp/blep_table.h"
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
                                           float *restrict L, float *restrict R, int n, int from)
{
    for (int t = from; t < n; t++) {
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

/* On AVX-512, the engine's wide twin (voice_sample.c): 16 frames at a time from one 32-frame window,
 * permuted, instead of four gathers; the scalar loop where a rate is too fast for the window. */
#ifdef CLONES_WIDE_ON
typedef clones_f16 ref_f16;
typedef clones_i16 ref_i16;

CLONES_WIDE static void ref_sampler_voice_wide(const float *restrict d, float x0, float inc, float gl, float gr,
                                               float *restrict L, float *restrict R, int n)
{
    const ref_f16 ramp = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    int t = 0;
    for (; t + 16 <= n; t += 16) {
        ref_f16 x = x0 + (ramp + (float)t) * inc;
        ref_i16 i = __builtin_convertvector(x, ref_i16);
        int lo = i[0], span = i[15] - lo;
        if (span > 44) break;
        ref_f16 f = x - __builtin_convertvector(i, ref_f16), w0, w1, w2, a, b, c, e, o;
        ref_i16 r = i - lo;
        memcpy(&w0, d + lo - 1, 64), memcpy(&w1, d + lo + 15, 64);
        if (span <= 28) {
            a = __builtin_shuffle(w0, w1, r), b = __builtin_shuffle(w0, w1, r + 1);
            c = __builtin_shuffle(w0, w1, r + 2), e = __builtin_shuffle(w0, w1, r + 3);
        } else {        /* a third register: two permutes and a blend per read */
            memcpy(&w2, d + lo + 31, 64);
            ref_f16 *out[4] = { &a, &b, &c, &e };
            for (int k = 0; k < 4; k++) {
                ref_i16 q = r + k, lo2 = (ref_i16)__builtin_shuffle(w0, w1, q), hi2 = (ref_i16)__builtin_shuffle(w1, w2, q - 16);
                ref_i16 m = q < 32;
                *out[k] = (ref_f16)((lo2 & m) | (hi2 & ~m));
            }
        }
        ref_f16 c1 = 0.5f * (c - a), c2 = a - 2.5f * b + 2.0f * c - 0.5f * e, c3 = 0.5f * (e - a) + 1.5f * (b - c);
        ref_f16 s = ((c3 * f + c2) * f + c1) * f + b;
        memcpy(&o, L + t, 64), o += s * gl, memcpy(L + t, &o, 64);
        memcpy(&o, R + t, 64), o += s * gr, memcpy(R + t, &o, 64);
    }
    if (t < n) ref_sampler_voice(d, x0, inc, gl, gr, L, R, n, t);
}
#endif

typedef struct RefSampler {
    int n;
    bool wide;
    double *pos;
    float *inc, *gl, *gr;
} RefSampler;

static void ref_sampler_block(RefSampler *r, float *L, float *R, int n)
{
    const float *d = bench_sample.ch[0];
    for (int v = 0; v < r->n; v++) {
        if (v + 2 < r->n) __builtin_prefetch(d + (long)r->pos[v + 2]);
        long base = (long)r->pos[v];
#ifdef CLONES_WIDE_ON
        if (r->wide) ref_sampler_voice_wide(d + base, (float)(r->pos[v] - base), r->inc[v], r->gl[v], r->gr[v], L, R, n);
        else
#endif
            ref_sampler_voice(d + base, (float)(r->pos[v] - base), r->inc[v], r->gl[v], r->gr[v], L, R, n, 0);
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

/* The band-limited saw of the engine (engine/dsp/osc.c), written for this one case: a 32-bit phase
 * going forwards, the naive ramp into a ring of 2 * BLEP_D slots BLEP_D - 1 frames ahead of the output,
 * and at each wrap the residual of a band-limited step (blep_table.h, interpolated between two table
 * rows) added across the ring; only the lanes that wrapped in a frame are visited. */
#define REF_RING (2 * BLEP_D)
#define REF_LEAD (BLEP_D - 1)

static inline __attribute__((always_inline)) void ref_edge(float *restrict ring, int l, int base, float f)
{
    float x = (f < 0.99999f ? f : 0.99999f) * (float)BLEP_OS;
    int i0 = (int)x;
    float w = x - (float)i0, amp = -2.0f, w0 = amp * (1.0f - w), w1 = amp * w;
    const float *p0 = blep_step[i0], *p1 = blep_step[i0 + 1];
    float r[REF_RING];
    for (int j = 0; j < REF_RING; j++) r[j] = w0 * p0[j] + w1 * p1[j] - (j < BLEP_D ? 0.0f : amp);
    for (int j = 0; j < REF_RING; j++) ring[((base + j) & (REF_RING - 1)) * W + l] += r[j];
}

/* saw (band-limited as the engine's) -> 2-pole SVF low-pass -> envelope -> pan, 32 voices side by side;
 * pos is the ring slot due now */
CLONES static void ref_saw_lanes(uint32_t *restrict ph, const uint32_t *restrict inc, const float *restrict idt,
                                 float *restrict ring, int pos, float *restrict ic1, float *restrict ic2,
                                 const float *restrict env, const float *restrict gl, const float *restrict gr,
                                 float c11, float c12, float c22, float c2x, float *restrict AL, float *restrict AR, int n)
{
    for (int t = 0; t < n; t++) {
        float *restrict al = AL + t * W, *restrict ar = AR + t * W;
        int now = (pos + t) & (REF_RING - 1);
        float *restrict in = ring + ((now + REF_LEAD) & (REF_RING - 1)) * W, *restrict out = ring + now * W;
        uint32_t hit[W], mask = 0;
        for (int l = 0; l < W; l++) {
            uint32_t u = ph[l], nu = u + inc[l];
            in[l] += 2.0f * ((float)(int32_t)(u >> 8) * (1.0f / 16777216.0f)) - 1.0f;
            hit[l] = (uint32_t)(nu < u) << l;
            ph[l] = nu;
        }
        for (int l = 0; l < W; l++) mask |= hit[l];
        while (mask) {             /* the time since the wrap, only for the lanes that wrapped */
            int l = __builtin_ctz(mask);
            mask &= mask - 1;
            union { uint32_t u; float f; } b = { 0x3F800000u | (ph[l] >> 9) };
            ref_edge(ring, l, now, (b.f - 1.0f) * idt[l]);
        }
        for (int l = 0; l < W; l++) {
            float x = out[l];
            out[l] = 0.0f;
            /* the engine's SVF (engine/dsp/filter.c): the state update in its two-coefficient form */
            float s1 = ic1[l], s2 = ic2[l];
            float n1 = c11 * s1 + c12 * (x - s2);
            float n2 = c22 * s2 + c12 * s1 + c2x * x;
            ic1[l] = n1;
            ic2[l] = n2;
            float v2 = 0.5f * (s2 + n2);
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

static float *bench_vec(size_t n, float lo, float hi)
{
    float *x = calloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++) x[i] = lo + (hi - lo) * bench_rand();
    return x;
}

/* The reference voices of one kind, ready to run block after block. */
typedef struct RefLanes {
    int tiles, pos;
    bool saw;
    uint32_t *ph, *inc;
    float *idt, *ring, *ic1, *ic2, *env, *gl, *gr, *AL, *AR;
    float c11, c12, c22, c2x;
} RefLanes;

typedef struct Ref {
    int block, counted;                 /* voice-samples per block = counted * block */
    RefSampler smp;
    RefLanes lanes;
    float *L, *R;
} Ref;

static void ref_lanes_init(RefLanes *r, bool saw, int voices, int block, double sr)
{
    size_t nl = ((size_t)(voices > 0 ? voices : 1) + W - 1) / W * W;
    float *f = bench_vec(nl, (float)(50 / sr), (float)(1000 / sr));
    r->tiles = (int)(nl / W);
    r->pos = 0;
    r->saw = saw;
    r->ph = calloc(nl, 4), r->inc = calloc(nl, 4), r->idt = calloc(nl, 4);
    for (size_t i = 0; i < nl; i++) {
        r->ph[i] = (uint32_t)(bench_rand() * 4294967295.0);
        r->inc[i] = (uint32_t)(f[i] * 4294967296.0);
        r->idt[i] = 1.0f / f[i];
    }
    free(f);
    r->ring = calloc(nl * REF_RING, 4);
    r->ic1 = calloc(nl, 4), r->ic2 = calloc(nl, 4), r->env = bench_vec(nl, 0.5f, 1);
    r->gl = bench_vec(nl, 0, 0.7f), r->gr = bench_vec(nl, 0, 0.7f);
    size_t rows = (size_t)W * (size_t)(block > 0 ? block : 1);
    r->AL = calloc(rows, 4), r->AR = calloc(rows, 4);
    double g = tan(3.14159265 * 1800 / sr), k = 1 / 0.8;
    float a1 = (float)(1 / (1 + g * (g + k))), a2 = (float)(g * a1), a3 = (float)(g * a2);
    r->c11 = 2.0f * a1 - 1.0f, r->c12 = 2.0f * a2, r->c22 = 1.0f - 2.0f * a3, r->c2x = 2.0f * a3;
}

static void ref_lanes_block(RefLanes *r, float *L, float *R, int n)
{
    for (int i = 0; i < r->tiles; i++) {
        int o = i * W;
        if (r->saw)
            ref_saw_lanes(r->ph + o, r->inc + o, r->idt + o, r->ring + (size_t)o * REF_RING, r->pos, r->ic1 + o,
                          r->ic2 + o, r->env + o, r->gl + o, r->gr + o, r->c11, r->c12, r->c22, r->c2x, r->AL, r->AR, n);
        else ref_sine_lanes(r->ph + o, r->inc + o, r->env + o, r->gl + o, r->gr + o, r->AL, r->AR, n);
    }
    r->pos = (r->pos + n) & (REF_RING - 1);
    ref_lanes_reduce(r->AL, r->AR, L, R, n);
}

static void ref_lanes_free(RefLanes *r)
{
    free(r->ph), free(r->inc), free(r->idt), free(r->ring), free(r->ic1), free(r->ic2), free(r->env);
    free(r->gl), free(r->gr), free(r->AL), free(r->AR);
}

/* kind: sample, synth, sine, or mix (`voices` sample voices and as many synth voices) */
static Ref *ref_new(const char *kind, int voices, int block, double sr)
{
    Ref *r = calloc(1, sizeof *r);
    bool mix = strcmp(kind, "mix") == 0;
    r->block = block;
    r->L = calloc((size_t)block, sizeof(float)), r->R = calloc((size_t)block, sizeof(float));
    if (mix || strcmp(kind, "sample") == 0) {
        size_t nv = (size_t)(voices > 0 ? voices : 1);
        r->smp = (RefSampler){ voices, clones_wide(), calloc(nv, sizeof(double)), bench_vec(nv, 0.5f, 2.0f),
                               bench_vec(nv, 0, 0.7f), bench_vec(nv, 0, 0.7f) };
        for (int v = 0; v < voices; v++) r->smp.pos[v] = 2 + 40000 * bench_rand();
        r->counted += voices;
    }
    if (!mix && strcmp(kind, "sample") == 0) return r;
    ref_lanes_init(&r->lanes, mix || strcmp(kind, "synth") == 0, voices, block, sr);
    r->counted += r->lanes.tiles * W;
    return r;
}

static void ref_block(Ref *r)
{
    if (r->smp.n) ref_sampler_block(&r->smp, r->L, r->R, r->block);
    if (r->lanes.tiles) ref_lanes_block(&r->lanes, r->L, r->R, r->block);
}

static void ref_free(Ref *r)
{
    volatile float sink = r->L[0] + r->R[0];
    (void)sink;
    free(r->smp.pos), free(r->smp.inc), free(r->smp.gl), free(r->smp.gr);
    if (r->lanes.tiles) ref_lanes_free(&r->lanes);
    free(r->L), free(r->R);
    free(r);
}

/* ---- the engine: the same voices through phonon_process ---------------------------------------- */

typedef struct BenchRun {
    BenchTimes times, ref;      /* block times of the engine and of the reference loop */
    double ns_vs;               /* per voice-sample, from the median block */
    double ref_ns;              /* the reference's, likewise */
    int active;
    long stolen, dropped;
    bool fallback;
    int threads;
} BenchRun;

/* The instruments: ~synth (saw -> lpf) and ~sine, compiled from a program; the clock is stopped so
 * that nothing but the held voices runs. */
static const char *bench_program = "~synth $ saw # lpf 1800 0.8\n~sine $ sine\n~d1 $ s \"~synth ~sine\" # gain 0\n";

static void bench_fill(VoiceStart *vs, int n, bool sample, const Instrument *inst, int block, double sr)
{
    for (int i = 0; i < n; i++) {
        VoiceStart *v = &vs[i];
        memset(v, 0, sizeof *v);
        v->offset = i % block;
        v->gain = 1.0f / 64;
        v->pan = bench_rand();
        v->loop = 1;
        v->end = 1;
        if (sample) {
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
}

/* Blocks are timed in rounds of ROUND engine blocks then ROUND reference blocks, so that both see the
 * same host (this machine's second vCPU comes and goes); each figure is its median block. */
enum { BENCH_ROUND = 32 };

static int bench_engine(const char *kind, int voices, int block, int threads, double seconds, double sr, BenchRun *out)
{
    bool mix = strcmp(kind, "mix") == 0;
    int total = mix ? 2 * voices : voices;
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = sr;
    cfg.max_block = block;
    cfg.threads = threads;
    cfg.voices = total + 64;
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
    const Instrument *inst = engine_bench_instrument(ph, strcmp(kind, "sine") == 0 ? 1 : 0);
    VoiceStart *vs = calloc((size_t)total, sizeof *vs);
    bool sample = mix || strcmp(kind, "sample") == 0;
    bench_fill(vs, voices, sample, inst, block, sr);
    if (mix) bench_fill(vs + voices, voices, false, inst, block, sr);
    engine_bench_start(ph, vs, total);
    free(vs);
    Ref *ref = ref_new(kind, voices, block, sr);
    for (int b = 0; b < 50; b++) phonon_process(ph, NULL, outs, block), ref_block(ref);
    long nblocks = (long)(seconds * sr / block);
    if (nblocks < 4 * BENCH_ROUND) nblocks = 4 * BENCH_ROUND;         /* enough blocks for a P99 */
    nblocks = (nblocks + BENCH_ROUND - 1) / BENCH_ROUND * BENCH_ROUND;
    double *t = malloc(sizeof(double) * (size_t)nblocks), *tr = malloc(sizeof(double) * (size_t)nblocks);
    for (long b0 = 0; b0 < nblocks; b0 += BENCH_ROUND) {
        for (long b = b0; b < b0 + BENCH_ROUND; b++) {
            double t0 = bench_now();
            phonon_process(ph, NULL, outs, block);
            t[b] = bench_now() - t0;
        }
        for (long b = b0; b < b0 + BENCH_ROUND; b++) {
            double t0 = bench_now();
            ref_block(ref);
            tr[b] = bench_now() - t0;
        }
    }
    PhononStats st;
    phonon_stats(ph, &st);
    bench_stats(t, nblocks, &out->times);
    bench_stats(tr, nblocks, &out->ref);
    out->ns_vs = out->times.p50 * 1e9 / ((double)total * block);
    out->ref_ns = out->ref.p50 * 1e9 / ((double)ref->counted * block);
    out->active = st.voices;
    out->stolen = st.stolen;
    out->dropped = st.dropped;
    out->fallback = st.parallel_fallback;
    out->threads = st.threads;
    if (st.voices != total) fprintf(stderr, "phonon bench: %d voices active, expected %d\n", st.voices, total);
    ref_free(ref);
    free(t);
    free(tr);
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
    return k && (strcmp(k, "sample") == 0 || strcmp(k, "synth") == 0 || strcmp(k, "sine") == 0 ||
                 strcmp(k, "mix") == 0);
}

static int bench_one(const BenchOpts *o)
{
    if (!bench_kind_ok(o->kind)) {
        fprintf(stderr, "phonon bench: --kind must be sample, synth, sine or mix\n");
        return 2;
    }
    BenchRun r;
    if (bench_engine(o->kind, o->voices, o->block, o->threads, o->seconds, o->sr, &r) < 0) return 1;
    BenchExtra ex = { o->block, r.threads, o->sr, r.active, r.active, r.stolen, 0, r.ns_vs, r.ref_ns, r.fallback };
    char title[120];
    if (strcmp(o->kind, "mix") == 0)
        snprintf(title, sizeof title, "%d sample voices and %d synth voices", o->voices, o->voices);
    else snprintf(title, sizeof title, "%d %s voices", o->voices, o->kind);
    bench_print(title, &r.times, o->block / o->sr, &ex, o->json);
    return 0;
}

static int bench_row(const BenchOpts *o, const char *kind, int voices, int block, double seconds)
{
    double one = 0;
    for (int t = 1; t <= 2; t++) {
        BenchRun r;
        if (bench_engine(kind, voices, block, t, seconds, o->sr, &r) < 0) return 1;
        double budget = block / o->sr;
        char speed[32] = "", host[32] = "";
        if (t == 1) one = r.ns_vs;
        else {
            /* the second vCPU comes and goes: say how free it was right after this row */
            snprintf(speed, sizeof speed, "%.2fx%s", one / r.ns_vs, r.fallback ? " (fell back to 1)" : "");
            snprintf(host, sizeof host, "%.2fx", bench_host_probe());
        }
        printf("| %s | %d | %d | %d | %.3f | %.3f | %.2f | %.1f%% | %.1f%% | %.2f | %.1f%% | %.1f%% | %s | %s |\n", kind,
               voices, block, t, r.ns_vs, r.ref_ns, r.ns_vs / r.ref_ns, 100 * r.times.p50 / budget,
               100 * r.times.p99 / budget, r.times.p99 / r.times.p50, 100 * r.times.p999 / budget,
               100 * r.times.max / budget, speed, host);
        fflush(stdout);
    }
    return 0;
}

/* The grid of docs/PERFORMANCE.md, as a Markdown table; mix rows hold `voices` of each kind. */
static int bench_table(const BenchOpts *o)
{
    static const int voices[] = { 1000, 4000, 10000, 20000 }, blocks[] = { 64, 512 };
    static const char *kinds[] = { "sample", "synth", "sine" };
    double seconds = o->seconds < 10 ? o->seconds : 1;
    printf("host probe: two threads do %.2fx the arithmetic of one (2.0 = two real cores)\n\n", bench_host_probe());
    printf("| kind | voices | block | threads | engine ns/vs | reference ns/vs | engine / reference | P50 | P99 | "
           "P99/P50 | P99.9 | max | 2 thr / 1 thr | host probe |\n"
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 2; b++)
            for (int v = 0; v < 4; v++)
                if (bench_row(o, kinds[k], voices[v], blocks[b], seconds)) return 1;
    for (int b = 0; b < 2; b++)
        if (bench_row(o, "mix", 10000, blocks[b], seconds)) return 1;
    return 0;
}

int bench_voices(const BenchOpts *o)
{
    bench_make_sample(o->sr);
    if (o->table) return bench_table(o);
    return bench_one(o);
}
