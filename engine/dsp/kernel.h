/* kernel.h — what every dsp kernel shares: input cursors, lane dispatch, branch-free math approximations.
 * Private to engine/dsp/. Everything here is inline and must never allocate, branch inside a lane loop or call libm. */
#ifndef PHONON_DSP_KERNEL_H
#define PHONON_DSP_KERNEL_H

#include "clones.h"     /* first: no contraction, so a lane's bits do not depend on the clone */

#include <math.h>      /* NAN for required inputs; no libm calls in kernels */
#include <stdint.h>
#include <string.h>

#include "dsp.h"

#define DSP_INLINE static inline __attribute__((always_inline))

/* Hot kernels are cloned per instruction set (clones.h). Lane bits do not depend on the clone
 * (IEEE ops only, no contraction, no libm). */
#define DSP_HOT CLONES

/* Call body(st, in, out, env, L) with L a compile-time constant for the lane counts that matter
 * (32 voices, 1-2 channels), so gcc unrolls or vectorises the lane loops with a fixed trip count. */
#define DSP_DISPATCH(body, st, in, out, env)                        \
    do {                                                            \
        switch ((env)->lanes) {                                     \
        case 32: body(st, in, out, env, 32); break;                 \
        case 1: body(st, in, out, env, 1); break;                   \
        case 2: body(st, in, out, env, 2); break;                   \
        default: body(st, in, out, env, (env)->lanes); break;       \
        }                                                           \
    } while (0)

/* ---- input cursors -------------------------------------------------------------------------- */

/* One input seen as a row of L values per frame, whatever its shape: a full buffer advances by its
 * lanes, a constant stays put, a 1-lane signal feeding L lanes is splatted into row[] each frame.
 * A broadcast constant points p at its own row[]: never copy a DspIn. */
typedef struct DspIn {
    const float *p;
    int step;
    int splat;
    float row[DSP_MAX_LANES];
} DspIn;

DSP_INLINE void dsp_in_init(DspIn *c, const DspBuf *b, int L)
{
    int konst = b->flags & DSP_CONST;
    c->p = b->x;
    c->step = konst ? 0 : b->lanes;
    c->splat = 0;
    if (b->lanes == 1 && L > 1) {
        if (konst) {
            for (int l = 0; l < L; l++) c->row[l] = b->x[0];
            c->p = c->row;
        } else {
            c->splat = 1;
        }
    }
}

DSP_INLINE int dsp_in_const(const DspIn *c) { return c->step == 0 && !c->splat; }

DSP_INLINE const float *dsp_in_row(DspIn *c, int t, int L)
{
    if (c->splat) {
        float v = c->p[t];
        for (int l = 0; l < L; l++) c->row[l] = v;
        return c->row;
    }
    return c->p + (size_t)t * (size_t)c->step;
}

/* Copy n floats as floats (memcpy would let gcc keep state in integer registers, a round trip per sample). */
DSP_INLINE void dsp_copy(float *restrict dst, const float *restrict src, int n)
{
    for (int i = 0; i < n; i++) dst[i] = src[i];
}

/* Two rows hold the same values (a stepped control that did not change: skip recomputing). */
DSP_INLINE int dsp_row_same(const float *a, const float *b, int L)
{
    int diff = 0;
    for (int l = 0; l < L; l++) diff |= a[l] != b[l];
    return !diff;
}

/* ---- scalar helpers usable inside lane loops (gcc turns the ternaries into selects) --------- */

DSP_INLINE float dsp_min(float a, float b) { return a < b ? a : b; }
DSP_INLINE float dsp_max(float a, float b) { return a > b ? a : b; }
DSP_INLINE float dsp_clamp(float x, float lo, float hi) { return dsp_min(dsp_max(x, lo), hi); }
DSP_INLINE float dsp_abs(float x) { return x < 0.0f ? -x : x; }
/* NaN and infinities become 0 (an overflowing product or quotient must not leave a kernel). */
DSP_INLINE float dsp_finite(float x) { return dsp_abs(x) <= 3.4028234e38f ? x : 0.0f; }
/* Tiny values become exactly 0 so recursive state never goes denormal (applied once per block). */
DSP_INLINE float dsp_flush(float x) { return dsp_abs(x) < 1e-15f ? 0.0f : x; }

DSP_INLINE float dsp_bits_float(uint32_t u) { float f; memcpy(&f, &u, sizeof f); return f; }
DSP_INLINE uint32_t dsp_float_bits(float f) { uint32_t u; memcpy(&u, &f, sizeof u); return u; }

/* Round to nearest (ties to even) for |x| < 2^22, by the float's own rounding: no SSE4.1 needed. */
DSP_INLINE float dsp_round(float x)
{
    const float magic = 12582912.0f;     /* 1.5 * 2^23 */
    return (x + magic) - magic;
}

/* Largest integer <= x, for |x| < 2^22. */
DSP_INLINE float dsp_floor(float x)
{
    float r = dsp_round(x);
    return r > x ? r - 1.0f : r;
}

/* sin(2 pi r) for r in [-1/4, 1/4]: an odd degree-9 polynomial fitted for least maximum relative
 * error (5e-9 before float rounding). */
DSP_INLINE float dsp_sin2pi_folded(float r)
{
    float r2 = r * r;
    float p = 39.710908362f;
    p = p * r2 + -76.574991139f;
    p = p * r2 + 81.602231209f;
    p = p * r2 + -41.341677478f;
    p = p * r2 + 6.2831852738f;
    return p * r;
}

/* sin(2 pi x) for any |x| < 2^22: fold to [-1/4, 1/4] of a period first. */
DSP_INLINE float dsp_sin2pi(float x)
{
    float r = x - dsp_round(x);                 /* [-1/2, 1/2] */
    r = r > 0.25f ? 0.5f - r : r;
    r = r < -0.25f ? -0.5f - r : r;
    return dsp_sin2pi_folded(r);
}

/* tan(pi w) for w in [0, 0.49] (a filter's prewarped cutoff, w = fc / sr): a ratio of two sines,
 * both within the polynomial's fold range, so the relative error stays ~1e-7 up to near Nyquist. */
DSP_INLINE float dsp_tanpi(float w)
{
    float h = 0.5f * w;
    return dsp_sin2pi(h) / dsp_sin2pi(0.25f - h);
}

/* 2^x, relative error ~2e-7; x is clamped to [-126, 126] so the result is a normal float. */
DSP_INLINE float dsp_exp2(float x)
{
    x = dsp_clamp(x, -126.0f, 126.0f);
    float i = dsp_floor(x);
    float f = x - i;                            /* [0, 1) */
    float p = 0.00021702238f;
    p = p * f + 0.0012439693f;
    p = p * f + 0.0096788403f;
    p = p * f + 0.055483342f;
    p = p * f + 0.24022984f;
    p = p * f + 0.69314698f;
    p = p * f + 1.0000000f;
    int32_t e = (int32_t)i + 127;
    return p * dsp_bits_float((uint32_t)e << 23);
}

/* log2(x) for x > 0 (x <= 0 and denormals give -126): split exponent and mantissa in [sqrt(1/2), sqrt(2)),
 * then an odd polynomial in s = (m - 1) / (m + 1); absolute error ~2e-7. */
DSP_INLINE float dsp_log2(float x)
{
    x = dsp_max(x, 1.17549435e-38f);
    uint32_t u = dsp_float_bits(x);
    int32_t e = (int32_t)(u >> 23) - 127;
    float m = dsp_bits_float((u & 0x007FFFFFu) | 0x3F800000u);   /* [1, 2) */
    int big = m > 1.41421356f;
    m = big ? m * 0.5f : m;
    float ef = (float)e + (big ? 1.0f : 0.0f);
    float s = (m - 1.0f) / (m + 1.0f);
    float s2 = s * s;
    float p = 0.59578655f;
    p = p * s2 + 0.96158820f;
    p = p * s2 + 2.8853904f;
    return ef + p * s;
}

/* tanh(x): the [7/6] Pade approximant of its continued fraction (error < 1e-6 for |x| < 3,
 * < 1e-4 up to the clamp), monotonic, and exactly bounded by +-1. */
DSP_INLINE float dsp_tanh(float x)
{
    x = dsp_clamp(x, -4.9f, 4.9f);
    float x2 = x * x;
    float num = x * (135135.0f + x2 * (17325.0f + x2 * (378.0f + x2)));
    float den = 135135.0f + x2 * (62370.0f + x2 * (3150.0f + x2 * 28.0f));
    return dsp_clamp(num / den, -1.0f, 1.0f);
}

/* 4-point cubic Hermite interpolation between b (f = 0) and c (f = 1); a and d are the outer points. */
DSP_INLINE float dsp_hermite(float a, float b, float c, float d, float f)
{
    float c1 = 0.5f * (c - a);
    float c2 = a - 2.5f * b + 2.0f * c - 0.5f * d;
    float c3 = 0.5f * (d - a) + 1.5f * (b - c);
    return ((c3 * f + c2) * f + c1) * f + b;
}

/* ---- seeded randomness ---------------------------------------------------------------------- */

/* A 32-bit mixing function (the finaliser of a well-known hash family); spreads seed and lane. */
DSP_INLINE uint32_t dsp_hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

/* ---- shared kind helpers (kinds.c) ------------------------------------------------------------ */

/* Pure kinds: when every input is DSP_CONST the output is one constant frame. */
int dsp_all_const(const DspBuf *in, int ninputs);

#endif
