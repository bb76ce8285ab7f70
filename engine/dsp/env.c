/* env.c — envelopes driven by a gate: adsr, ar, perc.
 * Stage ends fall on exact samples (a sample counter decides them, not a level threshold). */
#include "kernel.h"

/* Each stage lasts a whole number of samples (its time * sr, rounded, at least 1) counted from the
 * frame that starts it, and its last sample is exactly its target (env_bound has the one caveat).
 * The attack rises linearly from wherever the level was to 1; decay and release follow the curve
 * SuperCollider calls -4, (e^(-4x) - e^(-4)) / (1 - e^(-4)) of the way at x = count / length.
 *
 * Both shapes are the affine recurrence level = level * mul + add, with mul and add set when a stage
 * starts (so times are read at the start of a stage; the sustain level is followed live). Between
 * events (gate edges, stage ends) nothing else happens, and a whole run of such frames is just that
 * recurrence for every lane; the full state machine only runs on frames where some lane has an event. */

enum { ENV_IDLE, ENV_ATTACK, ENV_DECAY, ENV_SUSTAIN, ENV_RELEASE };
enum { ENV_STAGE, ENV_REM, ENV_LEVEL, ENV_MUL, ENV_ADD, ENV_GATE };     /* state fields */
enum { ENV_ADSR, ENV_AR, ENV_PERC };

#define ENV_E4 0.018315639f             /* e^-4 */
#define ENV_E4_RATIO 0.018657370f       /* e^-4 / (1 - e^-4): how far past its target the curve aims */
#define ENV_LOG2E_4 5.7707802f          /* 4 / ln 2 */
#define ENV_PERC_ATTACK 0.001f          /* seconds */
#define ENV_FOREVER 3.0e38f             /* frames left in a stage that does not end */
#define ENV_MAX_SAMPLES 16777215.0f     /* stage counts stay exact floats: 5.8 min at 48 kHz */

typedef struct EnvCoef {
    float A[DSP_MAX_LANES], iA[DSP_MAX_LANES];          /* attack length in samples and its inverse */
    float D[DSP_MAX_LANES], cD[DSP_MAX_LANES], aD[DSP_MAX_LANES];  /* decay length, mul, add */
    float S[DSP_MAX_LANES];                             /* sustain level */
    float R[DSP_MAX_LANES], cR[DSP_MAX_LANES], kR[DSP_MAX_LANES];  /* release length, mul, add per level */
} EnvCoef;

/* Length of a stage in whole samples, at least 1: 0.01 s at 48 kHz is 480 samples, not 480.00002. */
DSP_INLINE float env_samples(float seconds, float sr)
{
    float n = dsp_clamp(seconds * sr, 1.0f, ENV_MAX_SAMPLES);
    return dsp_round(n);
}

DSP_INLINE void env_coef(const int L, const float *restrict a, const float *restrict d, const float *restrict s,
                         const float *restrict r, float sr, EnvCoef *restrict c)
{
    for (int l = 0; l < L; l++) {
        float A = env_samples(a[l], sr), D = env_samples(d[l], sr), R = env_samples(r[l], sr);
        float S = dsp_clamp(s[l], 0.0f, 1.0f);
        float cD = dsp_exp2(-ENV_LOG2E_4 / D), cR = dsp_exp2(-ENV_LOG2E_4 / R);
        c->A[l] = A;
        c->iA[l] = 1.0f / A;
        c->D[l] = D;
        c->cD[l] = cD;
        c->aD[l] = (S - (1.0f - S) * ENV_E4_RATIO) * (1.0f - cD);
        c->S[l] = S;
        c->R[l] = R;
        c->cR[l] = cR;
        c->kR[l] = -ENV_E4_RATIO * (1.0f - cR);
    }
}

/* Float rounding accumulates along a stage; the level may touch its target a few samples early
 * (by < 1e-5) but never passes it: curves fall to no lower than their floor, nothing rises above 1. */
DSP_INLINE float env_bound(float lv, float floor) { return dsp_min(dsp_max(lv, floor), 1.0f); }

/* The full state machine for one frame of every lane: gate edges start stages, the level steps, and a
 * stage whose last sample this is lands on its target and hands over to the next. */
DSP_INLINE void env_step(const int L, const int mode, float *restrict st, const float *restrict gate,
                         const EnvCoef *restrict c, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float stage = st[ENV_STAGE * L + l], rem = st[ENV_REM * L + l], lv = st[ENV_LEVEL * L + l];
        float mul = st[ENV_MUL * L + l], add = st[ENV_ADD * L + l];
        float A = c->A[l], iA = c->iA[l], D = c->D[l], cD = c->cD[l], aD = c->aD[l], S = c->S[l];
        float R = c->R[l], cR = c->cR[l], kR = c->kR[l];
        int on = gate[l] > 0.0f, was = st[ENV_GATE * L + l] > 0.0f;
        int trig = on & !was;
        int fall = (mode != ENV_PERC) & !on & was;
        stage = trig ? (float)ENV_ATTACK : (fall ? (float)ENV_RELEASE : stage);
        rem = trig ? A : (fall ? R : rem);
        mul = trig ? 1.0f : (fall ? cR : mul);
        add = trig ? (1.0f - lv) * iA : (fall ? lv * kR : add);
        add = stage == (float)ENV_SUSTAIN ? S : add;
        lv = env_bound(lv * mul + add, stage == (float)ENV_DECAY ? S : 0.0f);
        rem = rem - 1.0f;
        int done = rem <= 0.0f;
        float target = stage == (float)ENV_ATTACK ? 1.0f : (stage == (float)ENV_DECAY ? S : 0.0f);
        lv = done ? target : lv;
        float after_attack = mode == ENV_ADSR ? (float)ENV_DECAY
                           : mode == ENV_AR ? (float)ENV_SUSTAIN : (float)ENV_RELEASE;
        float next = stage == (float)ENV_ATTACK ? after_attack
                   : stage == (float)ENV_DECAY ? (float)ENV_SUSTAIN : (float)ENV_IDLE;
        float nrem = next == (float)ENV_DECAY ? D : (next == (float)ENV_RELEASE ? R : ENV_FOREVER);
        float nmul = next == (float)ENV_DECAY ? cD : (next == (float)ENV_RELEASE ? cR : 0.0f);
        float nadd = next == (float)ENV_DECAY ? aD
                   : next == (float)ENV_RELEASE ? kR : (next == (float)ENV_SUSTAIN ? S : 0.0f);
        st[ENV_STAGE * L + l] = done ? next : stage;
        st[ENV_REM * L + l] = done ? nrem : rem;
        st[ENV_LEVEL * L + l] = lv;
        st[ENV_MUL * L + l] = done ? nmul : mul;
        st[ENV_ADD * L + l] = done ? nadd : add;
        st[ENV_GATE * L + l] = on ? 1.0f : 0.0f;
        y[l] = lv;
    }
}

/* Frames from t on (at most `limit`) in which no lane has an event: no stage ends and no gate edge. */
DSP_INLINE int env_quiet(const int L, const float *restrict st, DspIn *g, int t, int limit)
{
    float least = ENV_FOREVER;
    for (int l = 0; l < L; l++) least = dsp_min(least, st[ENV_REM * L + l]);
    /* a stage with rem frames left ends on its rem-th frame from now */
    if (least - 1.0f < (float)limit) limit = (int)(least - 1.0f);
    const float *was = st + ENV_GATE * L;
    int m = 0;
    if (dsp_in_const(g) && limit > 0) {
        const float *row = dsp_in_row(g, t, L);
        int edge = 0;
        for (int l = 0; l < L; l++) edge |= (row[l] > 0.0f) != (was[l] > 0.0f);
        return edge ? 0 : limit;
    }
    for (; m < limit; m++) {
        const float *row = dsp_in_row(g, t + m, L);
        int edge = 0;
        for (int l = 0; l < L; l++) edge |= (row[l] > 0.0f) != (was[l] > 0.0f);
        if (edge) break;
    }
    return m;
}

/* A quiet run: only the recurrence. */
DSP_INLINE void env_run(const int L, float *restrict st, const float *restrict S, int m, float *restrict y)
{
    float lv[DSP_MAX_LANES], mul[DSP_MAX_LANES], add[DSP_MAX_LANES], floor[DSP_MAX_LANES];
    dsp_copy(lv, st + ENV_LEVEL * L, L);
    dsp_copy(mul, st + ENV_MUL * L, L);
    dsp_copy(add, st + ENV_ADD * L, L);
    for (int l = 0; l < L; l++) floor[l] = st[ENV_STAGE * L + l] == (float)ENV_DECAY ? S[l] : 0.0f;
    for (int t = 0; t < m; t++)
        for (int l = 0; l < L; l++) {
            lv[l] = env_bound(lv[l] * mul[l] + add[l], floor[l]);
            y[(size_t)t * L + l] = lv[l];
        }
    dsp_copy(st + ENV_LEVEL * L, lv, L);
    for (int l = 0; l < L; l++) st[ENV_REM * L + l] = st[ENV_REM * L + l] - (float)m;
}

/* Inputs by mode: adsr (gate a d s r), ar (gate a r), perc (gate r). */
DSP_INLINE void env_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int mode)
{
    static const float zero = 0.0f, one = 1.0f, perc_a = ENV_PERC_ATTACK;
    const DspBuf kzero = { (float *)&zero, 1, DSP_CONST }, kone = { (float *)&one, 1, DSP_CONST };
    const DspBuf kpa = { (float *)&perc_a, 1, DSP_CONST };
    /* the four parameters of the general envelope, whatever the kind supplies */
    const DspBuf *pa = mode == ENV_PERC ? &kpa : &in[1];
    const DspBuf *pd = mode == ENV_ADSR ? &in[2] : &kzero;
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
             env->sr, &c);
    for (int t = 0; t < env->n;) {
        int m = fixed ? env_quiet(L, st, &g, t, env->n - t) : 0;
        if (m > 0) {
            env_run(L, st, c.S, m, out->x + (size_t)t * L);
            t += m;
            continue;
        }
        if (!fixed && t > 0)
            env_coef(L, dsp_in_row(&a, t, L), dsp_in_row(&d, t, L), dsp_in_row(&s, t, L), dsp_in_row(&r, t, L),
                     env->sr, &c);
        env_step(L, mode, st, dsp_in_row(&g, t, L), &c, out->x + (size_t)t * L);
        t++;
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

/* Idle lanes never end a stage. */
static void env_init(float *st, const DspEnv *env)
{
    for (int l = 0; l < env->lanes; l++) st[ENV_REM * env->lanes + l] = ENV_FOREVER;
}

const DspKind dsp_kind_adsr = {
    .name = "adsr", .ninputs = 5, .inputs = { "gate", "attack", "decay", "sustain", "release" },
    .defaults = { 1.0f, 0.01f, 0.1f, 0.7f, 0.3f }, .nstate = 6, .flags = DSPK_GATE, .init = env_init,
    .process = env_adsr_process,
    .summary = "attack-decay-sustain-release envelope (gate, a 0.01 s, d 0.1 s, s 0.7, r 0.3 s)",
};
const DspKind dsp_kind_ar = {
    .name = "ar", .ninputs = 3, .inputs = { "gate", "attack", "release" },
    .defaults = { 1.0f, 0.01f, 0.3f }, .nstate = 6, .flags = DSPK_GATE, .init = env_init,
    .process = env_ar_process,
    .summary = "attack-release envelope (gate, a 0.01 s, r 0.3 s): holds 1 while the gate is on",
};
const DspKind dsp_kind_perc = {
    .name = "perc", .ninputs = 2, .inputs = { "gate", "release" },
    .defaults = { 1.0f, 0.5f }, .nstate = 6, .flags = DSPK_GATE, .init = env_init,
    .process = env_perc_process,
    .summary = "percussive envelope (gate, r 0.5 s): 1 ms attack, then a curved fall to 0 over r",
};
