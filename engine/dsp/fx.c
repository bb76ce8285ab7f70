/* fx.c — per-sample effects: bitcrush, compressor, limiter and pan.
 * Each lane is processed on its own (stereo channels are not linked); pan makes a stereo signal. */
#include "kernel.h"

/* ---- bitcrush ---------------------------------------------------------------------------------
 * Quantise to 2^(bits - 1) steps per unit (bits 1..16, fractional bits allowed), and hold each crushed
 * value for `rate` samples (rate 1: every sample; 4: a quarter of the sample rate; fractional rates hold
 * for rate samples on average). */

enum { CRUSH_COUNT, CRUSH_HELD };

DSP_INLINE void crush_lanes(const int L, float *restrict st, const float *restrict x, const float *restrict bits,
                            const float *restrict rate, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float q = dsp_exp2(dsp_clamp(bits[l], 1.0f, 16.0f) - 1.0f);
        float crushed = dsp_round(dsp_clamp(x[l], -64.0f, 64.0f) * q) / q;
        float cnt = st[CRUSH_COUNT * L + l], old = st[CRUSH_HELD * L + l];
        /* chosen by arithmetic (exact for finite values) so no load sits under a condition, which
           would stop gcc vectorising this for plain SSE2 */
        float take = cnt <= 0.0f ? 1.0f : 0.0f;
        float held = take * crushed + (1.0f - take) * old;
        cnt = (cnt + take * dsp_clamp(rate[l], 1.0f, 4096.0f)) - 1.0f;
        st[CRUSH_COUNT * L + l] = cnt;
        st[CRUSH_HELD * L + l] = held;
        y[l] = held;
    }
}

DSP_INLINE void crush_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    DspIn x, bits, rate;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&bits, &in[1], L);
    dsp_in_init(&rate, &in[2], L);
    for (int t = 0; t < env->n; t++)
        crush_lanes(L, st, dsp_in_row(&x, t, L), dsp_in_row(&bits, t, L), dsp_in_row(&rate, t, L),
                    out->x + (size_t)t * L);
}

#define CRUSH_BODY(s, i, o, e, L) crush_block(s, i, o, e, L)

DSP_HOT static void crush_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(CRUSH_BODY, st, in, out, env);
}

const DspKind dsp_kind_bitcrush = {
    .name = "bitcrush", .ninputs = 3, .inputs = { "in", "bits", "rate" }, .defaults = { NAN, NAN, 1.0f },
    .nstate = 2, .flags = DSPK_FILTER, .process = crush_process,
    .summary = "bit depth (1..16) and sample-rate reduction (rate: hold each value for rate samples)",
};

/* ---- compressor -------------------------------------------------------------------------------
 * Feed-forward, in decibels: the level of each sample goes through a static curve (threshold, ratio,
 * 6 dB soft knee) to a gain reduction, which is smoothed with the attack time while it deepens and the
 * release time while it recovers. The level is a peak detector (instant rise, 10 ms fall, less for releases under 80 ms): fed the raw
 * |x|, the gain recovered in every trough of a waveform and the attack came out 1.4x slower than set.
 * No make-up gain. */

#define COMP_KNEE 6.0f
#define COMP_DB_PER_LOG2 6.0205999f      /* 20 log10(2) */
#define COMP_LOG2E 1.4426950f
#define COMP_PEAK_TIME 0.01f           /* the level detector's decay, seconds (at most release / 8) */
enum { COMP_GAIN, COMP_PEAK };           /* smoothed gain change, dB (<= 0); the detected peak level */

/* Per-sample smoothing factor of a time constant of t seconds: e^(-1 / (t sr)). */
DSP_INLINE float comp_smooth(float t, float sr)
{
    return dsp_exp2(-COMP_LOG2E / dsp_max(dsp_clamp(t, 0.0f, 60.0f) * sr, 1e-3f));
}

typedef struct CompCoef {
    float T[DSP_MAX_LANES], slope[DSP_MAX_LANES], att[DSP_MAX_LANES], rel[DSP_MAX_LANES], pk[DSP_MAX_LANES];
} CompCoef;

DSP_INLINE void comp_coef(const int L, const float *restrict thr, const float *restrict ratio,
                          const float *restrict att, const float *restrict rel, float sr, CompCoef *restrict c)
{
    for (int l = 0; l < L; l++) {
        c->T[l] = dsp_clamp(thr[l], -200.0f, 60.0f);
        c->slope[l] = 1.0f / dsp_clamp(ratio[l], 1.0f, 1000.0f) - 1.0f;      /* <= 0 */
        c->att[l] = comp_smooth(att[l], sr);
        c->rel[l] = comp_smooth(rel[l], sr);
        c->pk[l] = comp_smooth(dsp_min(COMP_PEAK_TIME, 0.125f * dsp_clamp(rel[l], 0.0f, 60.0f)), sr);
    }
}

DSP_INLINE void comp_lanes(const int L, float *restrict gain, float *restrict peak, const float *restrict x,
                           const CompCoef *restrict c, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float pk = dsp_max(dsp_abs(x[l]), peak[l] * c->pk[l]);
        peak[l] = pk;
        float level = COMP_DB_PER_LOG2 * dsp_log2(pk);
        float over = level - c->T[l], slope = c->slope[l];
        float kn = over + 0.5f * COMP_KNEE;
        float target = over <= -0.5f * COMP_KNEE ? 0.0f
                     : over >= 0.5f * COMP_KNEE ? slope * over
                     : slope * kn * kn * (1.0f / (2.0f * COMP_KNEE));
        float g = gain[l];
        float down = target < g ? 1.0f : 0.0f;  /* attack or release, picked by arithmetic as in crush */
        float a = down * c->att[l] + (1.0f - down) * c->rel[l];
        g = a * g + (1.0f - a) * target;
        gain[l] = g;
        y[l] = x[l] * dsp_exp2(g * (1.0f / COMP_DB_PER_LOG2));
    }
}

DSP_INLINE void comp_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    DspIn x, p[4];
    CompCoef c;
    float last[4][DSP_MAX_LANES], gain[DSP_MAX_LANES], peak[DSP_MAX_LANES];
    dsp_in_init(&x, &in[0], L);
    int fixed = 1;
    for (int i = 0; i < 4; i++) {
        dsp_in_init(&p[i], &in[1 + i], L);
        fixed &= dsp_in_const(&p[i]);
    }
    if (env->n <= 0) return;
    dsp_copy(gain, st + COMP_GAIN * L, L);
    dsp_copy(peak, st + COMP_PEAK * L, L);
    /* coefficients once per block when constant, else whenever a parameter moved */
    const float *r[4];
    for (int i = 0; i < 4; i++) r[i] = dsp_in_row(&p[i], 0, L), memcpy(last[i], r[i], sizeof(float) * L);
    comp_coef(L, r[0], r[1], r[2], r[3], env->sr, &c);
    for (int t = 0; t < env->n; t++) {
        if (!fixed) {
            int same = 1;
            for (int i = 0; i < 4; i++) {
                r[i] = dsp_in_row(&p[i], t, L);
                same = same && dsp_row_same(r[i], last[i], L);
            }
            if (!same) {
                comp_coef(L, r[0], r[1], r[2], r[3], env->sr, &c);
                for (int i = 0; i < 4; i++) memcpy(last[i], r[i], sizeof(float) * L);
            }
        }
        comp_lanes(L, gain, peak, dsp_in_row(&x, t, L), &c, out->x + (size_t)t * L);
    }
    for (int l = 0; l < L; l++) st[COMP_GAIN * L + l] = dsp_flush(gain[l]), st[COMP_PEAK * L + l] = dsp_flush(peak[l]);
}

#define COMP_BODY(s, i, o, e, L) comp_block(s, i, o, e, L)

DSP_HOT static void comp_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(COMP_BODY, st, in, out, env);
}

const DspKind dsp_kind_compressor = {
    .name = "compressor", .ninputs = 5, .inputs = { "in", "threshold", "ratio", "attack", "release" },
    .defaults = { NAN, NAN, NAN, 0.01f, 0.1f }, .nstate = 2, .flags = DSPK_FILTER, .process = comp_process,
    .summary = "compressor (in, threshold dB, ratio, attack 0.01 s, release 0.1 s): soft knee, no make-up",
};

/* ---- limiter ------------------------------------------------------------------------------------
 * A peak envelope that follows any rise at once and falls back over ~80 ms; the gain keeps the envelope
 * at or below the ceiling (linear amplitude), so no output sample ever exceeds it. No look-ahead. */

#define LIM_RELEASE 0.08f
enum { LIM_ENV };

DSP_INLINE void lim_lanes(const int L, float *restrict st, float fall, const float *restrict x,
                          const float *restrict ceil, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float c = dsp_clamp(ceil[l], 1e-6f, 1e6f);
        float a = dsp_abs(x[l]);
        float e = dsp_max(a, st[LIM_ENV * L + l] * fall);
        st[LIM_ENV * L + l] = dsp_flush(e);
        float g = e > c ? c / e : 1.0f;
        y[l] = dsp_clamp(x[l] * g, -c, c);
    }
}

DSP_INLINE void lim_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    DspIn x, ceil;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&ceil, &in[1], L);
    float fall = comp_smooth(LIM_RELEASE, env->sr);
    for (int t = 0; t < env->n; t++)
        lim_lanes(L, st, fall, dsp_in_row(&x, t, L), dsp_in_row(&ceil, t, L), out->x + (size_t)t * L);
}

#define LIM_BODY(s, i, o, e, L) lim_block(s, i, o, e, L)

DSP_HOT static void lim_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(LIM_BODY, st, in, out, env);
}

const DspKind dsp_kind_limiter = {
    .name = "limiter", .ninputs = 2, .inputs = { "in", "ceiling" }, .defaults = { NAN, 1.0f }, .nstate = 1,
    .flags = DSPK_FILTER, .process = lim_process,
    .summary = "peak limiter (in, ceiling 1, linear): instant attack, 80 ms release, never above the ceiling",
};

/* ---- pan ---------------------------------------------------------------------------------------
 * Position 0 = left, 0.5 = centre, 1 = right. A mono input is panned with equal power (L = cos, R = sin
 * of pos * pi/2, so L^2 + R^2 = 1). A stereo input is balanced: the far side is turned down by the same
 * law scaled so that the centre leaves both channels at unity. More lanes than 2 (inside an
 * instrument, which the compiler refuses) pass through unchanged. */

DSP_INLINE void pan_gains(float pos, float *gl, float *gr)
{
    float p = 0.25f * dsp_clamp(pos, 0.0f, 1.0f);          /* quarter period: 0 .. pi/2 */
    *gl = dsp_sin2pi(0.25f - p);
    *gr = dsp_sin2pi(p);
}

DSP_HOT static void pan_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    (void)st;
    const int L = env->lanes;
    DspIn x, pos;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&pos, &in[1], L);
    int stereo = out->lanes == 2 && L <= 2;
    int konst = dsp_all_const(in, 2);
    int frames = konst ? 1 : env->n;
    for (int t = 0; t < frames; t++) {
        const float *xr = dsp_in_row(&x, t, L), *pr = dsp_in_row(&pos, t, L);
        float gl, gr;
        if (!stereo) {
            for (int l = 0; l < L; l++) out->x[(size_t)t * L + l] = xr[l];
        } else if (L == 1) {
            pan_gains(pr[0], &gl, &gr);
            out->x[2 * t] = xr[0] * gl;
            out->x[2 * t + 1] = xr[0] * gr;
        } else {
            float unused;
            pan_gains(pr[0], &gl, &unused);
            pan_gains(pr[1], &unused, &gr);
            out->x[2 * t] = xr[0] * dsp_min(1.0f, 1.41421356f * gl);
            out->x[2 * t + 1] = xr[1] * dsp_min(1.0f, 1.41421356f * gr);
        }
    }
    if (konst) out->flags = DSP_CONST;
}

const DspKind dsp_kind_pan = {
    .name = "pan", .ninputs = 2, .inputs = { "in", "position" }, .defaults = { NAN, 0.5f }, .out_lanes = 2,
    .flags = DSPK_FILTER | DSPK_PURE, .process = pan_process,
    .summary = "place in stereo (in, position 0..1, 0.5 centre): equal power; a stereo input is balanced",
};
