/* bench_dsp.c — nanoseconds per lane-sample of the dsp kernels, for tuning them (`make bench` prints it).
 * saw -> lpf (constant cutoff) at 32 lanes, as two kernels and fused, against a hand-written PolyBLEP saw -> lpf
 * (the oscillator the engine had before its band-limited one: what the better sound costs), every kind, and
 * the master stage. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsp/dsp.h"
#include "limiter.h"

#define BLOCK 64
#define SR 48000.0f

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A node ready to run: its state, its inputs and its output block. */
typedef struct BNode {
    const DspKind *k;
    int lanes;
    float *st;
    DspBuf in[DSP_MAX_INPUTS];
    DspBuf out;
    float *own[DSP_MAX_INPUTS];     /* the constants it allocated */
} BNode;

static float *zalloc(size_t n)
{
    float *p = aligned_alloc(64, ((n * sizeof(float)) + 63) / 64 * 64);
    memset(p, 0, n * sizeof(float));
    return p;
}

/* Inputs: 0 is a full-rate signal (or a frequency), the others constants of sensible values. */
static BNode bnode(const char *name, int lanes, const DspBuf *src)
{
    BNode b;
    b.k = dsp_find(name);
    if (!b.k) {
        fprintf(stderr, "no kind %s\n", name);
        exit(1);
    }
    b.lanes = lanes;
    b.st = zalloc((size_t)dsp_state_floats(b.k, SR) * lanes + 1);
    DspEnv env = { SR, 1 / SR, 0, lanes, 1 };
    if (b.k->init) b.k->init(b.st, &env);
    for (int i = 0; i < b.k->ninputs; i++) {
        const char *nm = b.k->inputs[i];
        float v = 0.5f;
        if (!strcmp(nm, "freq")) v = 220;
        else if (!strcmp(nm, "cutoff")) v = 1200;
        else if (!strcmp(nm, "q")) v = 2;
        else if (!strcmp(nm, "time")) v = 0.25f;
        else if (!strcmp(nm, "attack") || !strcmp(nm, "decay")) v = 0.01f;
        else if (!strcmp(nm, "release")) v = 0.2f;
        else if (!strcmp(nm, "gate")) v = 1;
        else if (!strcmp(nm, "drive") || !strcmp(nm, "ratio")) v = 4;
        else if (!strcmp(nm, "threshold")) v = -20;
        else if (!strcmp(nm, "bits")) v = 8;
        else if (!strcmp(nm, "rate")) v = 2;
        else if (!strcmp(nm, "note")) v = 60;
        float *c = zalloc(1);
        c[0] = v;
        b.own[i] = c;
        b.in[i] = (DspBuf){ c, 1, DSP_CONST };
    }
    if (src && b.k->ninputs > 0) b.in[0] = *src;
    int outl = b.k->out_lanes ? b.k->out_lanes : lanes;
    b.out = (DspBuf){ zalloc((size_t)BLOCK * outl), outl, 0 };
    return b;
}

static void bfree(BNode *b)
{
    free(b->st);
    for (int i = 0; i < b->k->ninputs; i++) free(b->own[i]);
    free(b->out.x);
}

static void brun(BNode *b)
{
    DspEnv env = { SR, 1 / SR, BLOCK, b->lanes, 1 };
    b->out.flags = 0;
    b->k->process(b->st, b->in, &b->out, &env);
}

/* The median of 5 timings of `blocks` blocks of a chain, in ns per lane-sample. */
static double time_chain(BNode *chain, int nchain, int lanes, int blocks)
{
    double best[5];
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < blocks; i++)
            for (int c = 0; c < nchain; c++) brun(&chain[c]);
        best[r] = (now() - t0) * 1e9 / ((double)blocks * BLOCK * lanes);
    }
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (best[j] < best[i]) { double t = best[i]; best[i] = best[j]; best[j] = t; }
    return best[2];
}

/* ---- the hand-written reference: PolyBLEP saw into a Simper SVF low-pass, 32 lanes SoA ---------- */

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void ref_saw_lpf(float *restrict ph, float *restrict ic1, float *restrict ic2, const float *restrict inc,
                        const float *restrict a1, const float *restrict a2, const float *restrict a3,
                        float *restrict y, int n)
{
    for (int t = 0; t < n; t++)
        for (int l = 0; l < 32; l++) {
            float p = ph[l], dt = inc[l], idt = 1.0f / dt;
            float a = p * idt, b = (p - 1.0f) * idt;
            float blep = p < dt ? a + a - a * a - 1.0f : (p > 1.0f - dt ? b * b + b + b + 1.0f : 0.0f);
            float x = 2.0f * p - 1.0f - blep;
            p += dt;
            ph[l] = p >= 1.0f ? p - 1.0f : p;
            float s1 = ic1[l], s2 = ic2[l];
            float v3 = x - s2, v1 = a1[l] * s1 + a2[l] * v3, v2 = s2 + a2[l] * s1 + a3[l] * v3;
            ic1[l] = 2.0f * v1 - s1;
            ic2[l] = 2.0f * v2 - s2;
            y[t * 32 + l] = v2;
        }
}

static double time_reference(int blocks)
{
    float *ph = zalloc(32), *ic1 = zalloc(32), *ic2 = zalloc(32), *inc = zalloc(32);
    float *a1 = zalloc(32), *a2 = zalloc(32), *a3 = zalloc(32), *y = zalloc(BLOCK * 32);
    for (int l = 0; l < 32; l++) {
        inc[l] = (220.0f + l) / SR;
        float g = 0.0787f, k = 0.5f;
        a1[l] = 1 / (1 + g * (g + k));
        a2[l] = g * a1[l];
        a3[l] = g * a2[l];
    }
    double best[5];
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < blocks; i++) ref_saw_lpf(ph, ic1, ic2, inc, a1, a2, a3, y, BLOCK);
        best[r] = (now() - t0) * 1e9 / ((double)blocks * BLOCK * 32);
    }
    free(ph), free(ic1), free(ic2), free(inc), free(a1), free(a2), free(a3), free(y);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (best[j] < best[i]) { double t = best[i]; best[i] = best[j]; best[j] = t; }
    return best[2];
}

/* saw -> lpf (-> adsr * when env) at `lanes` lanes */
static double time_voice(int lanes, int with_env, int blocks)
{
    float *freq = zalloc(lanes);
    for (int l = 0; l < lanes; l++) freq[l] = 220.0f + l;
    DspBuf fb = { freq, lanes, DSP_CONST };
    BNode c[4];
    c[0] = bnode("saw", lanes, &fb);
    c[1] = bnode("lpf", lanes, &c[0].out);
    int nc = 2;
    if (with_env) {
        c[2] = bnode("adsr", lanes, NULL);
        c[3] = bnode("mul", lanes, &c[1].out);
        c[3].in[1] = c[2].out;
        nc = 4;
    }
    double ns = time_chain(c, nc, lanes, blocks);
    for (int i = 0; i < nc; i++) bfree(&c[i]);
    free(freq);
    return ns;
}

/* saw -> lpf at 32 lanes as one fused kernel (dsp/fused.c), as instrument voices run the pair */
static double time_fused(int blocks)
{
    float *freq = zalloc(32);
    for (int l = 0; l < 32; l++) freq[l] = 220.0f + l;
    DspBuf fb = { freq, 32, DSP_CONST };
    BNode saw = bnode("saw", 32, &fb), lpf = bnode("lpf", 32, &saw.out);
    DspFusedFn fn = dsp_fused_find(saw.k, lpf.k, 32);
    DspEnv env = { SR, 1 / SR, BLOCK, 32, 1 };
    double best[5];
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < blocks; i++) fn(saw.st, saw.in, &env, lpf.st, lpf.in, &env, &saw.out, &lpf.out);
        best[r] = (now() - t0) * 1e9 / ((double)blocks * BLOCK * 32);
    }
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (best[j] < best[i]) { double t = best[i]; best[i] = best[j]; best[j] = t; }
    bfree(&saw), bfree(&lpf), free(freq);
    return best[2];
}

/* The master stage (engine/limiter.c): ns per stereo frame, on a mix below the ceiling and one 12 dB over
 * (the gain computer then works on every frame), median of 5. */
static double time_limiter(float level, int blocks)
{
    Limiter *lm = limiter_new(SR, LIMITER_LOOKAHEAD);
    double t[5];
    uint32_t rng = 1;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < blocks * BLOCK; i++) {
            rng = rng * 1664525u + 1013904223u;
            float x = level * ((float)(rng >> 8) / 8388608.0f - 1.0f), y = -0.5f * x;
            limiter_frame(lm, &x, &y);
        }
        t[r] = (now() - t0) * 1e9 / ((double)blocks * BLOCK);
    }
    limiter_free(lm);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (t[j] < t[i]) { double x = t[i]; t[i] = t[j]; t[j] = x; }
    return t[2];
}

int main(int argc, char **argv)
{
    int blocks = argc > 1 ? atoi(argv[1]) : 4000;
    printf("dsp kernels, block %d, %.0f Hz; ns per lane-sample (median of 5)\n\n", BLOCK, SR);
    double ref = time_reference(blocks);
    double v32 = time_voice(32, 0, blocks), v1 = time_voice(1, 0, blocks * 8);
    printf("%-34s %8.3f\n", "PolyBLEP saw->lpf hand-written, 32", ref);
    printf("%-34s %8.3f  (%.0f%% of the PolyBLEP loop)\n", "saw->lpf kernels, 32 lanes", v32, 100 * v32 / ref);
    printf("%-34s %8.3f\n", "saw->lpf fused (dsp/fused.c), 32", time_fused(blocks));
    printf("%-34s %8.3f\n", "saw->lpf kernels, 1 lane", v1);
    printf("%-34s %8.3f\n", "saw->lpf->adsr*, 32 lanes", time_voice(32, 1, blocks));
    printf("%-34s %8.3f\n\n", "saw->lpf->adsr*, 1 lane", time_voice(1, 1, blocks * 8));

    printf("%-12s %10s %10s %10s\n", "kind", "32 lanes", "2 lanes", "1 lane");
    float *sig = zalloc(BLOCK * 32);
    for (int i = 0; i < BLOCK * 32; i++) sig[i] = (float)((i * 7919) % 2000) / 1000.0f - 1.0f;
    for (int i = 0; dsp_kinds[i]; i++) {
        const DspKind *k = dsp_kinds[i];
        printf("%-12s", k->name);
        int lanes_opts[3] = { 32, 2, 1 };
        for (int j = 0; j < 3; j++) {
            int lanes = lanes_opts[j];
            if (k->out_lanes == 2 && lanes > 2) {
                printf(" %10s", "-");
                continue;
            }
            DspBuf src = { sig, lanes, 0 };
            int is_signal = k->ninputs > 0 && !(k->flags & (DSPK_OSC | DSPK_GATE));
            BNode b = bnode(k->name, lanes, is_signal ? &src : NULL);
            int nb = lanes == 32 ? blocks / 4 : blocks;
            if (k->state_floats) nb /= 4;
            printf(" %10.3f", time_chain(&b, 1, lanes, nb > 10 ? nb : 10));
            bfree(&b);
        }
        printf("\n");
    }
    free(sig);
    printf("\n%-34s %8.3f\n", "master limiter, quiet (ns/frame)", time_limiter(0.1f, blocks));
    printf("%-34s %8.3f\n", "master limiter, 12 dB over", time_limiter(4.0f, blocks));
    return 0;
}
