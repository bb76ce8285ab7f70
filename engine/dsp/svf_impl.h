/* svf_impl.h — the state-variable filter's lane loop (filter.c), shared with the kernels that run an
 * oscillator fused with the filter it feeds (fused.c). Private to engine/dsp/; everything here is
 * inline. */
#ifndef PHONON_DSP_SVF_IMPL_H
#define PHONON_DSP_SVF_IMPL_H

#include "kernel.h"

/* Cutoff is kept between 10 Hz and 0.49 of the sample rate, q between 0.05 and 50. */
#define FLT_FC_MIN 10.0f
#define FLT_W_MAX 0.49f
#define FLT_Q_MIN 0.05f
#define FLT_Q_MAX 50.0f

/* Prewarped integrator gain g = tan(pi fc / sr) of a clamped cutoff. */
DSP_INLINE float flt_g(float fc, float inv_sr)
{
    float w = dsp_clamp(fc * inv_sr, FLT_FC_MIN * inv_sr, FLT_W_MAX);
    return dsp_tanpi(w);
}

/* ---- state-variable filter ------------------------------------------------------------------
 * The trapezoidal SVF as Andrew Simper (Cytomic) describes it: two integrator states ic1, ic2;
 * a1 = 1 / (1 + g (g + k)), a2 = g a1, a3 = g a2 with k = 1 / q, and per sample
 *   v3 = x - ic2,  v1 = a1 ic1 + a2 v3,  v2 = ic2 + a2 ic1 + a3 v3,  ic1' = 2 v1 - ic1,  ic2' = 2 v2 - ic2.
 * Here the state updates are expanded so that each is one short sum (the recurrence is what limits a
 * single lane's speed), and v1, v2 are read back as the means of old and new state. */

enum { SVF_LP, SVF_HP, SVF_BP, SVF_NOTCH };
enum { SVF_IC1, SVF_IC2 };

typedef struct SvfCoef {
    float k[DSP_MAX_LANES];
    float c11[DSP_MAX_LANES], c12[DSP_MAX_LANES];        /* ic1' = c11 ic1 + c12 v3 */
    float c22[DSP_MAX_LANES], c2x[DSP_MAX_LANES];        /* ic2' = c22 ic2 + c12 ic1 + c2x x */
} SvfCoef;

/* For bpf and notch, q means the bandwidth in Hz: centre / q between the geometric band edges
 * f1, f2 = fc (sqrt(1 + 1/4q^2) -+ 1/2q). The bilinear transform squeezes a band near Nyquist (a 12 kHz
 * centre at q 4 came out 1.7 kHz wide at 44.1 kHz instead of 3 kHz), so k is taken from the prewarped
 * edges instead: k = (tan(pi f2 / sr) - tan(pi f1 / sr)) / g (the upper edge kept below 0.45 sr). */
/* sqrt(1 + h^2) for h >= 0 by Newton's method from 1 + h, an upper bound (4 steps: float precision). */
DSP_INLINE float svf_hyp(float h)
{
    float a = 1.0f + h * h, y = 1.0f + h;
    for (int i = 0; i < 4; i++) y = 0.5f * (y + a / y);
    return y;
}

DSP_INLINE float svf_band_k(float fc, float q, float g, float inv_sr)
{
    float w = dsp_clamp(fc * inv_sr, FLT_FC_MIN * inv_sr, FLT_W_MAX);
    float h = 0.5f / q, r = svf_hyp(h);
    float w1 = w * (r - h), w2 = dsp_min(w * (r + h), 0.45f);
    return dsp_max((dsp_tanpi(w2) - dsp_tanpi(w1)) / g, 1.0f / q);
}

DSP_INLINE void svf_coef(const int L, const int mode, const float *restrict fc, const float *restrict q,
                         float inv_sr, SvfCoef *restrict c)
{
    for (int l = 0; l < L; l++) {
        float g = flt_g(fc[l], inv_sr);
        float qq = dsp_clamp(q[l], FLT_Q_MIN, FLT_Q_MAX);
        float k = mode == SVF_BP || mode == SVF_NOTCH ? svf_band_k(fc[l], qq, g, inv_sr) : 1.0f / qq;
        float a1 = 1.0f / (1.0f + g * (g + k));
        float a2 = g * a1, a3 = g * a2;
        c->k[l] = k;
        c->c11[l] = 2.0f * a1 - 1.0f;
        c->c12[l] = 2.0f * a2;
        c->c22[l] = 1.0f - 2.0f * a3;
        c->c2x[l] = 2.0f * a3;
    }
}

DSP_INLINE void svf_lanes(const int L, const int mode, float *restrict ic1, float *restrict ic2,
                          const float *restrict x, const SvfCoef *restrict c, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float s1 = ic1[l], s2 = ic2[l], v0 = x[l];
        float n1 = c->c11[l] * s1 + c->c12[l] * (v0 - s2);
        float n2 = c->c22[l] * s2 + c->c12[l] * s1 + c->c2x[l] * v0;
        ic1[l] = n1;
        ic2[l] = n2;
        float v1 = 0.5f * (s1 + n1), v2 = 0.5f * (s2 + n2);
        float out;
        if (mode == SVF_LP) out = v2;
        else if (mode == SVF_BP) out = c->k[l] * v1;  /* unity gain at the centre */
        else if (mode == SVF_HP) out = v0 - c->k[l] * v1 - v2;
        else out = v0 - c->k[l] * v1;
        y[l] = out;
    }
}

/* The coefficients for the cutoff and q rows fc and q, kept in flast and qlast for comparing the rows
 * after them: a block's set-up, and again whenever a lane's cutoff or q moves. */
DSP_INLINE void svf_tune(const int L, const int mode, const float *restrict fc, const float *restrict q, float inv_sr,
                         SvfCoef *restrict c, float *restrict flast, float *restrict qlast)
{
    svf_coef(L, mode, fc, q, inv_sr, c);
    memcpy(flast, fc, sizeof(float) * L);
    memcpy(qlast, q, sizeof(float) * L);
}

#endif
