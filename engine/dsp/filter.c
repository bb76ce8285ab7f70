/* filter.c — the state-variable filters (lpf hpf bpf notch) and the 4-pole ladder (moog).
 * Both are zero-delay-feedback (trapezoidal) designs: stable under any modulation of their inputs. */
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

DSP_INLINE void svf_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int mode)
{
    DspIn xin, fin, qin;
    SvfCoef c;
    float flast[DSP_MAX_LANES], qlast[DSP_MAX_LANES];
    dsp_in_init(&xin, &in[0], L);
    dsp_in_init(&fin, &in[1], L);
    dsp_in_init(&qin, &in[2], L);
    int fixed = dsp_in_const(&fin) && dsp_in_const(&qin);
    float ic1[DSP_MAX_LANES], ic2[DSP_MAX_LANES];  /* state in locals: registers for 1-2 lanes */
    if (env->n <= 0) return;
    dsp_copy(ic1, st + SVF_IC1 * L, L);
    dsp_copy(ic2, st + SVF_IC2 * L, L);
    /* coefficients once per block when constant, else whenever a lane's cutoff or q moved */
    svf_coef(L, mode, dsp_in_row(&fin, 0, L), dsp_in_row(&qin, 0, L), env->inv_sr, &c);
    memcpy(flast, dsp_in_row(&fin, 0, L), sizeof(float) * L);
    memcpy(qlast, dsp_in_row(&qin, 0, L), sizeof(float) * L);
    for (int t = 0; t < env->n; t++) {
        if (!fixed) {
            const float *fc = dsp_in_row(&fin, t, L), *q = dsp_in_row(&qin, t, L);
            if (!dsp_row_same(fc, flast, L) || !dsp_row_same(q, qlast, L)) {
                svf_coef(L, mode, fc, q, env->inv_sr, &c);
                memcpy(flast, fc, sizeof(float) * L);
                memcpy(qlast, q, sizeof(float) * L);
            }
        }
        svf_lanes(L, mode, ic1, ic2, dsp_in_row(&xin, t, L), &c, out->x + (size_t)t * L);
    }
    for (int l = 0; l < L; l++) st[SVF_IC1 * L + l] = dsp_flush(ic1[l]), st[SVF_IC2 * L + l] = dsp_flush(ic2[l]);
}

#define SVF_BODY_LP(s, i, o, e, L) svf_block(s, i, o, e, L, SVF_LP)
#define SVF_BODY_HP(s, i, o, e, L) svf_block(s, i, o, e, L, SVF_HP)
#define SVF_BODY_BP(s, i, o, e, L) svf_block(s, i, o, e, L, SVF_BP)
#define SVF_BODY_NOTCH(s, i, o, e, L) svf_block(s, i, o, e, L, SVF_NOTCH)

DSP_HOT static void svf_lp_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(SVF_BODY_LP, st, in, out, env);
}
DSP_HOT static void svf_hp_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(SVF_BODY_HP, st, in, out, env);
}
DSP_HOT static void svf_bp_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(SVF_BODY_BP, st, in, out, env);
}
DSP_HOT static void svf_notch_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(SVF_BODY_NOTCH, st, in, out, env);
}

#define SVF_KIND(var, nm, proc, text)                                                              \
    const DspKind var = { .name = nm, .ninputs = 3, .inputs = { "in", "cutoff", "q" },             \
                          .defaults = { NAN, NAN, 1.0f }, .nstate = 2, .flags = DSPK_FILTER,       \
                          .process = proc, .summary = text }

SVF_KIND(dsp_kind_lpf, "lpf", svf_lp_process, "12 dB/octave low-pass (in, cutoff Hz, q 1): state-variable");
SVF_KIND(dsp_kind_hpf, "hpf", svf_hp_process, "12 dB/octave high-pass (in, cutoff Hz, q 1): state-variable");
SVF_KIND(dsp_kind_bpf, "bpf", svf_bp_process,
         "band-pass (in, centre Hz, q 1): state-variable, 0 dB at the centre");
SVF_KIND(dsp_kind_notch, "notch", svf_notch_process, "band-reject (in, centre Hz, q 1): state-variable");

/* ---- ladder ------------------------------------------------------------------------------------
 * Four trapezoidal one-pole low-passes in series, G = g / (1 + g) each, with the output fed back
 * negatively (gain k = 4.2 * resonance) into the input. The feedback equation is solved exactly
 * (zero delay), then the stage input goes through 4 tanh(u / 4): a soft limit that bounds every state,
 * so the filter self-oscillates above resonance ~0.95 at a stable level and can never blow up.
 * The input is boosted by 1 + k/2 to make up for part of the ladder's bass loss at high resonance. */

enum { MOOG_S1, MOOG_S2, MOOG_S3, MOOG_S4 };
#define MOOG_K_PER_RES 4.2f

/* Per lane: the stage gain g = G, b = 1 - G; the weights of the states in the ladder's zero-input
 * output S = w1 s1 + w2 s2 + w3 s3 + b s4; and the solved input u = gx x - gs S. */
typedef struct MoogCoef {
    float g[DSP_MAX_LANES], b[DSP_MAX_LANES], w1[DSP_MAX_LANES], w2[DSP_MAX_LANES], w3[DSP_MAX_LANES];
    float gx[DSP_MAX_LANES], gs[DSP_MAX_LANES];
} MoogCoef;

DSP_INLINE void moog_coef(const int L, const float *restrict fc, const float *restrict res, float inv_sr,
                          MoogCoef *restrict c)
{
    for (int l = 0; l < L; l++) {
        float t = flt_g(fc[l], inv_sr);
        float g = t / (1.0f + t), b = 1.0f - g;
        float k = MOOG_K_PER_RES * dsp_clamp(res[l], 0.0f, 1.0f);
        float g2 = g * g, g3 = g2 * g, g4 = g3 * g;
        float inv = 1.0f / (1.0f + k * g4);
        c->g[l] = g;
        c->b[l] = b;
        c->w1[l] = g3 * b;
        c->w2[l] = g2 * b;
        c->w3[l] = g * b;
        c->gx[l] = (1.0f + 0.5f * k) * inv;
        c->gs[l] = k * inv;
    }
}

DSP_INLINE void moog_lanes(const int L, float *restrict s1, float *restrict s2, float *restrict s3,
                           float *restrict s4, const float *restrict x, const MoogCoef *restrict c,
                           float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float g = c->g[l], b = c->b[l];
        float a1 = s1[l], a2 = s2[l], a3 = s3[l], a4 = s4[l];
        float S = c->w1[l] * a1 + c->w2[l] * a2 + c->w3[l] * a3 + b * a4;
        float u = 4.0f * dsp_tanh(0.25f * (c->gx[l] * x[l] - c->gs[l] * S));
        float y1 = g * u + b * a1;
        float y2 = g * y1 + b * a2;
        float y3 = g * y2 + b * a3;
        float y4 = g * y3 + b * a4;
        s1[l] = 2.0f * y1 - a1;
        s2[l] = 2.0f * y2 - a2;
        s3[l] = 2.0f * y3 - a3;
        s4[l] = 2.0f * y4 - a4;
        y[l] = y4;
    }
}

DSP_INLINE void moog_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    DspIn xin, fin, rin;
    MoogCoef c;
    float flast[DSP_MAX_LANES], rlast[DSP_MAX_LANES];
    dsp_in_init(&xin, &in[0], L);
    dsp_in_init(&fin, &in[1], L);
    dsp_in_init(&rin, &in[2], L);
    int fixed = dsp_in_const(&fin) && dsp_in_const(&rin);
    float s[4 * DSP_MAX_LANES];                   /* state in locals: registers for 1-2 lanes */
    if (env->n <= 0) return;
    dsp_copy(s, st, 4 * L);
    moog_coef(L, dsp_in_row(&fin, 0, L), dsp_in_row(&rin, 0, L), env->inv_sr, &c);
    memcpy(flast, dsp_in_row(&fin, 0, L), sizeof(float) * L);
    memcpy(rlast, dsp_in_row(&rin, 0, L), sizeof(float) * L);
    for (int t = 0; t < env->n; t++) {
        if (!fixed) {
            const float *fc = dsp_in_row(&fin, t, L), *r = dsp_in_row(&rin, t, L);
            if (!dsp_row_same(fc, flast, L) || !dsp_row_same(r, rlast, L)) {
                moog_coef(L, fc, r, env->inv_sr, &c);
                memcpy(flast, fc, sizeof(float) * L);
                memcpy(rlast, r, sizeof(float) * L);
            }
        }
        moog_lanes(L, s + MOOG_S1 * L, s + MOOG_S2 * L, s + MOOG_S3 * L, s + MOOG_S4 * L,
                   dsp_in_row(&xin, t, L), &c, out->x + (size_t)t * L);
    }
    for (int i = 0; i < 4 * L; i++) st[i] = dsp_flush(s[i]);
}

#define MOOG_BODY(s, i, o, e, L) moog_block(s, i, o, e, L)

DSP_HOT static void moog_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(MOOG_BODY, st, in, out, env);
}

const DspKind dsp_kind_moog = {
    .name = "moog", .ninputs = 3, .inputs = { "in", "cutoff", "resonance" }, .defaults = { NAN, NAN, 0.0f },
    .nstate = 4, .flags = DSPK_FILTER, .process = moog_process,
    .summary = "24 dB/octave ladder low-pass (in, cutoff Hz, resonance 0..1): self-oscillates near 1",
};
