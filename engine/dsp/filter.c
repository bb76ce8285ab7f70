/* filter.c — the state-variable filters (lpf hpf bpf notch) and the 4-pole ladder (moog).
 * Both are zero-delay-feedback (trapezoidal) designs: stable under any modulation of their inputs. */
#include "svf_impl.h"

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
    svf_tune(L, mode, dsp_in_row(&fin, 0, L), dsp_in_row(&qin, 0, L), env->inv_sr, &c, flast, qlast);
    for (int t = 0; t < env->n; t++) {
        if (!fixed) {
            const float *fc = dsp_in_row(&fin, t, L), *q = dsp_in_row(&qin, t, L);
            if (!dsp_row_same(fc, flast, L) || !dsp_row_same(q, qlast, L))
                svf_tune(L, mode, fc, q, env->inv_sr, &c, flast, qlast);
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
