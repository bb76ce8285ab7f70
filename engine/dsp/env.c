/* env.c — envelopes driven by a gate: adsr, ar, perc.
 * Stage ends fall on exact samples (a sample counter decides them, not a level threshold). */
#include "kernel.h"

/* Every stage counts its samples from 1 (the frame that starts it) and ends when the count reaches
 * its length in samples (time * sr): the attack rises linearly from where the level was to exactly 1,
 * decay and release follow the curve SuperCollider calls -4, (e^(-4x) - e^(-4)) / (1 - e^(-4)) for
 * x = count / length, which lands exactly on its target at x = 1. The curve runs as a product m *= c
 * per sample (c = e^(-4 / length)); the counter snaps the last sample to the target. */

enum { ENV_IDLE, ENV_ATTACK, ENV_DECAY, ENV_SUSTAIN, ENV_RELEASE };
enum { ENV_STAGE, ENV_COUNT, ENV_LEVEL, ENV_START, ENV_CURVE, ENV_GATE };    /* state fields */
enum { ENV_ADSR, ENV_AR, ENV_PERC };

#define ENV_E4 0.018315639f             /* e^-4 */
#define ENV_INV_1_E4 1.0186573f         /* 1 / (1 - e^-4) */
#define ENV_LOG2E_4 5.7707802f          /* 4 / ln 2 */
#define ENV_PERC_ATTACK 0.001f          /* seconds */

typedef struct EnvCoef {
    float A[DSP_MAX_LANES], iA[DSP_MAX_LANES];       /* attack length in samples and its inverse */
    float D[DSP_MAX_LANES], cD[DSP_MAX_LANES];       /* decay length, per-sample curve factor */
    float S[DSP_MAX_LANES];                          /* sustain level */
    float R[DSP_MAX_LANES], cR[DSP_MAX_LANES];       /* release length, curve factor */
} EnvCoef;

/* Length of a stage in whole samples: 0.01 s at 48 kHz is 480 samples, not 480.00002. */
DSP_INLINE float env_samples(float seconds, float sr)
{
    float n = dsp_clamp(seconds, 0.0f, 3600.0f) * sr;
    return n < 4194304.0f ? dsp_round(n) : n;      /* beyond 2^22 the float is whole already */
}

/* Curve factor for a stage of n samples: e^(-4/n). */
DSP_INLINE float env_curve(float n) { return dsp_exp2(-ENV_LOG2E_4 / dsp_max(n, 1.0f)); }

DSP_INLINE void env_coef(const int L, const float *restrict a, const float *restrict d, const float *restrict s,
                         const float *restrict r, float sr, float *restrict A, float *restrict iA,
                         float *restrict D, float *restrict cD, float *restrict S, float *restrict R,
                         float *restrict cR)
{
    for (int l = 0; l < L; l++) {
        float na = env_samples(a[l], sr), nd = env_samples(d[l], sr), nr = env_samples(r[l], sr);
        A[l] = na;
        iA[l] = 1.0f / dsp_max(na, 1.0f);
        D[l] = nd;
        cD[l] = env_curve(nd);
        S[l] = dsp_clamp(s[l], 0.0f, 1.0f);
        R[l] = nr;
        cR[l] = env_curve(nr);
    }
}

DSP_INLINE void env_lanes(const int L, const int mode, float *restrict st, const float *restrict gate,
                          const EnvCoef *restrict c, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float stage = st[ENV_STAGE * L + l], k = st[ENV_COUNT * L + l], lv = st[ENV_LEVEL * L + l];
        float s0 = st[ENV_START * L + l], m = st[ENV_CURVE * L + l];
        int on = gate[l] > 0.0f, was = st[ENV_GATE * L + l] > 0.0f;
        int trig = on & !was;
        int fall = (mode != ENV_PERC) & !on & was;
        /* a gate edge starts a stage from wherever the level is */
        stage = trig ? (float)ENV_ATTACK : (fall ? (float)ENV_RELEASE : stage);
        int edge = trig | fall;
        s0 = edge ? lv : s0;
        k = edge ? 0.0f : k;
        m = edge ? 1.0f : m;
        k = k + 1.0f;
        float A = c->A[l], iA = c->iA[l], D = c->D[l], R = c->R[l], S = c->S[l];
        /* the curve factor of the stage, picked by arithmetic (exact: x * 0 + y == y for finite x) so
           that gcc cannot move the two loads under a condition, which would block vectorising */
        float inD = (float)(stage == (float)ENV_DECAY), inR = (float)(stage == (float)ENV_RELEASE);
        m = m * (inD * c->cD[l] + inR * c->cR[l] + (1.0f - inD - inR));
        float shape = dsp_max((m - ENV_E4) * ENV_INV_1_E4, 0.0f);
        float att = k >= A ? 1.0f : s0 + (1.0f - s0) * (k * iA);
        float dec = k >= D ? S : S + (s0 - S) * shape;
        float rel = k >= R ? 0.0f : s0 * shape;
        lv = stage == (float)ENV_ATTACK ? att
           : stage == (float)ENV_DECAY ? dec
           : stage == (float)ENV_SUSTAIN ? S
           : stage == (float)ENV_RELEASE ? rel : 0.0f;
        y[l] = lv;
        /* a finished stage hands over at the next frame */
        int att_done = (stage == (float)ENV_ATTACK) & (k >= A);
        float after_att = mode == ENV_PERC ? (float)ENV_RELEASE : (float)ENV_DECAY;
        stage = att_done ? after_att
              : ((stage == (float)ENV_DECAY) & (k >= D)) ? (float)ENV_SUSTAIN
              : ((stage == (float)ENV_RELEASE) & (k >= R)) ? (float)ENV_IDLE : stage;
        s0 = att_done ? 1.0f : s0;
        k = att_done ? 0.0f : k;
        m = att_done ? 1.0f : m;
        st[ENV_STAGE * L + l] = stage;
        st[ENV_COUNT * L + l] = dsp_min(k, 16777216.0f);
        st[ENV_LEVEL * L + l] = lv;
        st[ENV_START * L + l] = s0;
        st[ENV_CURVE * L + l] = m;
        st[ENV_GATE * L + l] = on ? 1.0f : 0.0f;
    }
}

/* Inputs by mode: adsr (gate a d s r), ar (gate a r), perc (gate r). */
DSP_INLINE void env_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int mode)
{
    static const float zero = 0.0f, one = 1.0f, perc_a = ENV_PERC_ATTACK;
    const DspBuf kzero = { (float *)&zero, 1, DSP_CONST }, kone = { (float *)&one, 1, DSP_CONST };
    const DspBuf kpa = { (float *)&perc_a, 1, DSP_CONST };
    /* the five parameters of the general envelope, whatever the kind supplies */
    const DspBuf *pa = mode == ENV_PERC ? &kpa : &in[1];
    const DspBuf *pd = mode == ENV_ADSR ? &in[2] : (mode == ENV_PERC ? &in[1] : &kzero);
    const DspBuf *ps = mode == ENV_ADSR ? &in[3] : (mode == ENV_AR ? &kone : &kzero);
    const DspBuf *pr = mode == ENV_ADSR ? &in[4] : (mode == ENV_AR ? &in[2] : &in[1]);
    DspIn g, a, d, s, r;
    EnvCoef c;
    dsp_in_init(&g, &in[0], L);
    dsp_in_init(&a, pa, L);
    dsp_in_init(&d, pd, L);
    dsp_in_init(&s, ps, L);
    dsp_in_init(&r, pr, L);
    int fixed = dsp_in_const(&a) && dsp_in_const(&d) && dsp_in_const(&s) && dsp_in_const(&r);
    if (env->n <= 0) return;
    env_coef(L, dsp_in_row(&a, 0, L), dsp_in_row(&d, 0, L), dsp_in_row(&s, 0, L), dsp_in_row(&r, 0, L),
             env->sr, c.A, c.iA, c.D, c.cD, c.S, c.R, c.cR);
    for (int t = 0; t < env->n; t++) {
        if (!fixed && t > 0)
            env_coef(L, dsp_in_row(&a, t, L), dsp_in_row(&d, t, L), dsp_in_row(&s, t, L), dsp_in_row(&r, t, L),
                     env->sr, c.A, c.iA, c.D, c.cD, c.S, c.R, c.cR);
        env_lanes(L, mode, st, dsp_in_row(&g, t, L), &c, out->x + (size_t)t * L);
    }
}

#define ENV_BODY_ADSR(s, i, o, e, L) env_block(s, i, o, e, L, ENV_ADSR)
#define ENV_BODY_AR(s, i, o, e, L) env_block(s, i, o, e, L, ENV_AR)
#define ENV_BODY_PERC(s, i, o, e, L) env_block(s, i, o, e, L, ENV_PERC)

DSP_HOT static void env_adsr_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(ENV_BODY_ADSR, st, in, out, env);
}
DSP_HOT static void env_ar_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(ENV_BODY_AR, st, in, out, env);
}
DSP_HOT static void env_perc_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(ENV_BODY_PERC, st, in, out, env);
}

const DspKind dsp_kind_adsr = {
    .name = "adsr", .ninputs = 5, .inputs = { "gate", "attack", "decay", "sustain", "release" },
    .defaults = { 1.0f, 0.01f, 0.1f, 0.7f, 0.3f }, .nstate = 6, .flags = DSPK_GATE,
    .process = env_adsr_process,
    .summary = "attack-decay-sustain-release envelope (gate, a 0.01 s, d 0.1 s, s 0.7, r 0.3 s)",
};
const DspKind dsp_kind_ar = {
    .name = "ar", .ninputs = 3, .inputs = { "gate", "attack", "release" },
    .defaults = { 1.0f, 0.01f, 0.3f }, .nstate = 6, .flags = DSPK_GATE, .process = env_ar_process,
    .summary = "attack-release envelope (gate, a 0.01 s, r 0.3 s): holds 1 while the gate is on",
};
const DspKind dsp_kind_perc = {
    .name = "perc", .ninputs = 2, .inputs = { "gate", "release" },
    .defaults = { 1.0f, 0.5f }, .nstate = 6, .flags = DSPK_GATE, .process = env_perc_process,
    .summary = "percussive envelope (gate, r 0.5 s): 1 ms attack, then a curved fall to 0 over r",
};
