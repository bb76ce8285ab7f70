/* test_dsp_util.h — a small harness for the dsp kernel tests: run one node over long signals in blocks,
 * and measure what comes out (frequency, level, gain at a frequency). Test code only: it allocates freely. */
#ifndef PHONON_TEST_DSP_UTIL_H
#define PHONON_TEST_DSP_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp.h"
#include "test.h"

#define TPI 3.14159265358979323846

/* One input of a test node: n frames x lanes floats, or one frame when konst. */
typedef struct TIn {
    const float *x;
    int lanes;
    int konst;
} TIn;

typedef struct TNode {
    const DspKind *k;
    int lanes, out_lanes;
    float sr;
    float *st;
    size_t nst;             /* floats of state, all lanes */
} TNode;

static inline const DspKind *t_kind(const char *name)
{
    const DspKind *k = dsp_find(name);
    if (!k) {
        printf("FAIL - kind %s is missing\n", name);
        exit(1);
    }
    return k;
}

static inline TNode t_node(const char *name, int lanes, float sr, unsigned seed)
{
    TNode nd;
    nd.k = t_kind(name);
    nd.lanes = lanes;
    nd.out_lanes = nd.k->out_lanes ? nd.k->out_lanes : lanes;
    nd.sr = sr;
    nd.nst = (size_t)dsp_state_floats(nd.k, sr) * (size_t)lanes;
    nd.st = calloc(nd.nst + 1, sizeof(float));
    if (nd.k->init) {
        DspEnv env = { sr, 1.0f / sr, 0, lanes, seed };
        nd.k->init(nd.st, &env);
    }
    return nd;
}

static inline void t_free(TNode *nd) { free(nd->st); nd->st = NULL; }

/* Run frames frames in blocks of `block`; y receives frames x out_lanes floats (constants expanded).
 * Returns how many blocks came out DSP_CONST. */
static inline int t_run(TNode *nd, const TIn *in, int frames, int block, float *y)
{
    DspBuf b[DSP_MAX_INPUTS];
    float *out = malloc(sizeof(float) * (size_t)block * (size_t)nd->out_lanes);
    int nconst = 0;
    for (int t0 = 0; t0 < frames; t0 += block) {
        int n = frames - t0 < block ? frames - t0 : block;
        for (int i = 0; i < nd->k->ninputs; i++) {
            b[i].lanes = in[i].lanes;
            b[i].flags = in[i].konst ? DSP_CONST : 0;
            b[i].x = (float *)(in[i].konst ? in[i].x : in[i].x + (size_t)t0 * in[i].lanes);
        }
        DspBuf o = { out, nd->out_lanes, 0 };
        DspEnv env = { nd->sr, 1.0f / nd->sr, n, nd->lanes, 0 };
        nd->k->process(nd->st, b, &o, &env);
        int konst = o.flags & DSP_CONST;
        nconst += konst != 0;
        for (int t = 0; t < n; t++)
            for (int l = 0; l < nd->out_lanes; l++)
                y[(size_t)(t0 + t) * nd->out_lanes + l] = out[(konst ? 0 : t * nd->out_lanes) + l];
    }
    free(out);
    return nconst;
}

/* Constants for inputs: a static pool so TIn can point at them. */
static float t_const_pool[4096];
static int t_const_used;

static inline TIn t_k(float v)
{
    float *p = &t_const_pool[t_const_used++ % 4096];
    *p = v;
    TIn in = { p, 1, 1 };
    return in;
}

static inline TIn t_sig(const float *x, int lanes)
{
    TIn in = { x, lanes, 0 };
    return in;
}

static inline float *t_alloc(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

/* A mono sine of amplitude a, frequency f, phase 0. */
static inline float *t_sine(int frames, float sr, double f, double a)
{
    float *x = t_alloc((size_t)frames);
    for (int t = 0; t < frames; t++) x[t] = (float)(a * sin(2 * TPI * f * t / sr));
    return x;
}

/* Run a one-lane node on input 0 = x (mono), other inputs as given, return the output (caller frees). */
static inline float *t_filter(const char *name, float sr, const float *x, int frames, TIn a1, TIn a2, TIn a3, TIn a4)
{
    TNode nd = t_node(name, 1, sr, 1);
    TIn in[DSP_MAX_INPUTS] = { t_sig(x, 1), a1, a2, a3, a4, t_k(0) };
    float *y = t_alloc((size_t)frames * nd.out_lanes);
    t_run(&nd, in, frames, 64, y);
    t_free(&nd);
    return y;
}

static inline double t_rms(const float *x, int from, int to, int stride)
{
    double s = 0;
    for (int t = from; t < to; t++) s += (double)x[(size_t)t * stride] * x[(size_t)t * stride];
    return sqrt(s / (to - from));
}

static inline double t_peak(const float *x, int from, int to, int stride)
{
    double m = 0;
    for (int t = from; t < to; t++) {
        double a = fabs(x[(size_t)t * stride]);
        m = a > m ? a : m;       /* (an fmax reduction here crashes gcc 12 for arm64) */
    }
    return m;
}

/* Amplitude of the component at frequency f over [from, to) (a single-bin DFT, exact when the
 * window holds a whole number of periods). */
static inline double t_amp_at(const float *x, int from, int to, int stride, double f, float sr)
{
    double re = 0, im = 0;
    for (int t = from; t < to; t++) {
        double w = 2 * TPI * f * t / sr;
        re += x[(size_t)t * stride] * cos(w);
        im += x[(size_t)t * stride] * sin(w);
    }
    return 2 * sqrt(re * re + im * im) / (to - from);
}

/* Frequency from rising zero crossings (linearly interpolated) over [from, to). */
static inline double t_freq(const float *x, int from, int to, int stride, float sr)
{
    double first = -1, last = -1;
    int count = 0;
    for (int t = from + 1; t < to; t++) {
        float a = x[(size_t)(t - 1) * stride], b = x[(size_t)t * stride];
        if (a < 0 && b >= 0) {
            double when = (t - 1) + a / (a - b);
            if (first < 0) first = when;
            last = when;
            count++;
        }
    }
    if (count < 2) return 0;
    return (count - 1) * sr / (last - first);
}

static inline int t_all_finite(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

static inline double t_db(double g) { return 20 * log10(g > 1e-30 ? g : 1e-30); }

/* Deterministic test signal values (no rand()). */
static uint32_t t_rng = 12345u;
static inline float t_rand(void)
{
    t_rng = t_rng * 1664525u + 1013904223u;
    return (float)(t_rng >> 8) * (1.0f / 16777216.0f);
}

#endif
