/* delay.c — effects built on a delay line: delay (echo with feedback) and chorus (stereo).
 * Their lines are part of the node's state, sized from the sample rate by the kinds' state_floats hook. */
#include "kernel.h"

/* A delay line of N samples, lane l of L: sample j is line[j * L + l]; wp is where the next sample goes.
 * Reads use 4-point Hermite interpolation at a fractional delay D, 1 <= D <= N - 3 samples, counted back
 * from the sample about to be written (D = 1 is the previous input). */

DSP_INLINE int dl_len(float seconds, float sr) { return (int)(seconds * sr) + 5; }

DSP_INLINE float dl_tap(const float *restrict line, const int L, int l, int N, int wp, int k)
{
    int j = wp - k;
    j = j < 0 ? j + N : j;
    return line[(size_t)j * L + l];
}

DSP_INLINE float dl_read(const float *restrict line, const int L, int l, int N, int wp, float D)
{
    D = dsp_clamp(D, 1.0f, (float)(N - 3));
    float fi = dsp_floor(D);
    int i = (int)fi;
    float f = D - fi;
    /* at D < 2 the newest tap would be the slot being written; its weight is 0 at f = 0 */
    int k0 = i > 1 ? i - 1 : 1;
    return dsp_hermite(dl_tap(line, L, l, N, wp, k0), dl_tap(line, L, l, N, wp, i),
                       dl_tap(line, L, l, N, wp, i + 1), dl_tap(line, L, l, N, wp, i + 2), f);
}

/* A write position read back from state, kept inside the line whatever the state holds. */
DSP_INLINE int dl_pos(float f, int N)
{
    int p = (int)dsp_clamp(f, 0.0f, (float)(N - 1));
    return p;
}

/* Write x at wp and return the next write position. */
DSP_INLINE int dl_write(float *restrict line, const int L, int l, int N, int wp, float x)
{
    line[(size_t)wp * L + l] = dsp_flush(x);
    return wp + 1 >= N ? 0 : wp + 1;
}

/* ---- delay ------------------------------------------------------------------------------------ */

/* Up to 4 s. Inside an instrument every voice carries its own line: a 32-voice group of delays holds
 * 32 x 4 s of samples (24.6 MB at 48 kHz). */
#define DELAY_MAX_SECONDS 4.0f
/* A time that jumps by more than DELAY_JUMP samples from one sample to the next (a stepped pattern) is
 * crossfaded over DELAY_XFADE seconds from the old tap to the new one instead of jumping (a click);
 * smaller moves (an LFO on the time: flanging, chorus) are followed as they come. */
#define DELAY_JUMP 2.0f
#define DELAY_XFADE 0.02f
enum { DELAY_WP, DELAY_D, DELAY_DN, DELAY_X, DELAY_LINE };  /* write pos; tap; tap faded to; fade 0..1 */

static int delay_len(float sr) { return dl_len(DELAY_MAX_SECONDS, sr); }
static int delay_state_floats(float sr) { return DELAY_LINE + delay_len(sr); }

/* Feedback gains beyond this are clamped: each echo is quieter than the one before, so a loop of echoes
 * always dies away (a gain of 1 or more would sum the input up for ever, `# delay 0.3 1.5` ran away to
 * full-scale noise). */
#define DELAY_MAX_FEEDBACK 0.95f

/* What is fed back: linear up to 1, then a soft knee to at most 2, so that even a loop fed at full scale
 * keeps every value in the line within |input| + 2. */
DSP_INLINE float delay_sat(float x)
{
    float a = dsp_abs(x);
    float s = a <= 1.0f ? a : 1.0f + dsp_tanh(a - 1.0f);
    return x < 0.0f ? -s : s;
}

DSP_INLINE void delay_lanes(const int L, float *restrict line, int *restrict wp, float *restrict dcur,
                            float *restrict dnew, float *restrict xf, int N, float sr, float step,
                            const float *restrict x, const float *restrict time, const float *restrict fb,
                            const float *restrict mix, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        float want = dsp_clamp(time[l] * sr, 1.0f, (float)(N - 3));
        /* a fresh line starts at its time; a jump starts a crossfade unless one is running */
        float D = dcur[l] < 1.0f ? want : dcur[l];
        float Dn = dnew[l] < 1.0f ? want : dnew[l], f = xf[l];
        int fading = f > 0.0f;
        int jump = !fading && dsp_abs(want - D) > DELAY_JUMP;
        Dn = fading ? Dn : want;
        D = fading | jump ? D : want;
        f = jump ? step : (fading ? f + step : 0.0f);
        float done = f >= 1.0f ? 1.0f : 0.0f;
        float w = dsp_min(f, 1.0f);
        float d = dl_read(line, L, l, N, wp[l], D) * (1.0f - w) + (w > 0.0f ? dl_read(line, L, l, N, wp[l], Dn) * w : 0.0f);
        dcur[l] = done > 0.0f ? Dn : D;
        dnew[l] = Dn;
        xf[l] = done > 0.0f ? 0.0f : f;
        float g = dsp_clamp(fb[l], -DELAY_MAX_FEEDBACK, DELAY_MAX_FEEDBACK), m = dsp_clamp(mix[l], 0.0f, 1.0f);
        wp[l] = dl_write(line, L, l, N, wp[l], x[l] + delay_sat(g * d));
        y[l] = x[l] * (1.0f - m) + d * m;
    }
}

DSP_INLINE void delay_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    DspIn x, time, fb, mix;
    int wp[DSP_MAX_LANES];
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&time, &in[1], L);
    dsp_in_init(&fb, &in[2], L);
    dsp_in_init(&mix, &in[3], L);
    int N = delay_len(env->sr);
    float dcur[DSP_MAX_LANES], dnew[DSP_MAX_LANES], xf[DSP_MAX_LANES];
    float step = 1.0f / dsp_max(DELAY_XFADE * env->sr, 1.0f);
    for (int l = 0; l < L; l++) {
        wp[l] = dl_pos(st[DELAY_WP * L + l], N);
        dcur[l] = dsp_finite(st[DELAY_D * L + l]);
        dnew[l] = dsp_finite(st[DELAY_DN * L + l]);
        xf[l] = dsp_clamp(dsp_finite(st[DELAY_X * L + l]), 0.0f, 1.0f);
    }
    for (int t = 0; t < env->n; t++)
        delay_lanes(L, st + DELAY_LINE * L, wp, dcur, dnew, xf, N, env->sr, step, dsp_in_row(&x, t, L),
                    dsp_in_row(&time, t, L), dsp_in_row(&fb, t, L), dsp_in_row(&mix, t, L), out->x + (size_t)t * L);
    for (int l = 0; l < L; l++) {
        st[DELAY_WP * L + l] = (float)wp[l];
        st[DELAY_D * L + l] = dcur[l], st[DELAY_DN * L + l] = dnew[l], st[DELAY_X * L + l] = xf[l];
    }
}

#define DELAY_BODY(s, i, o, e, L) delay_block(s, i, o, e, L)

DSP_HOT static void delay_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(DELAY_BODY, st, in, out, env);
}

const DspKind dsp_kind_delay = {
    .name = "delay", .ninputs = 4, .inputs = { "in", "time", "feedback", "mix" },
    .defaults = { NAN, NAN, 0.5f, 0.5f }, .nstate = DELAY_LINE + (int)(DELAY_MAX_SECONDS * 48000) + 5,
    .flags = DSPK_FILTER, .process = delay_process, .state_floats = delay_state_floats,
    .summary = "echo (in, time s up to 4, feedback 0.5 within -0.95..0.95, mix 0.5): interpolated, feedback soft-limited",
};

/* ---- chorus -----------------------------------------------------------------------------------
 * One line read by two taps whose delays swing around 15 ms by up to +-10 ms * depth, driven by a sine
 * LFO at `rate` Hz, a quarter period apart for left and right. The line is fed the mono sum; the dry
 * signal keeps its stereo image. With one or two lanes the output is stereo; with more (inside an
 * instrument, which the compiler refuses) each lane is its own chorus, folded to mono. */

#define CHORUS_CENTRE 0.015f
#define CHORUS_SWING 0.010f
enum { CHORUS_WP, CHORUS_PHASE, CHORUS_LINE };

static int chorus_len(float sr) { return dl_len(CHORUS_CENTRE + CHORUS_SWING + 0.001f, sr); }
static int chorus_state_floats(float sr) { return CHORUS_LINE + chorus_len(sr); }

/* One instance (lane l of stride L): the two wet taps, then write x and advance the LFO. */
DSP_INLINE void chorus_step(float *restrict line, const int L, int l, int N, int *wp, float *ph, float sr,
                            float x, float rate, float depth, float *wl, float *wr)
{
    float sw = CHORUS_SWING * dsp_clamp(depth, 0.0f, 1.0f);
    *wl = dl_read(line, L, l, N, *wp, (CHORUS_CENTRE + sw * dsp_sin2pi(*ph)) * sr);
    *wr = dl_read(line, L, l, N, *wp, (CHORUS_CENTRE + sw * dsp_sin2pi(*ph + 0.25f)) * sr);
    *wp = dl_write(line, L, l, N, *wp, x);
    float nph = *ph + dsp_clamp(rate, 0.0f, 50.0f) / sr;
    *ph = nph >= 1.0f ? nph - 1.0f : nph;
}

DSP_HOT static void chorus_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    const int L = env->lanes;
    int N = chorus_len(env->sr);
    DspIn x, rate, depth, mix;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&rate, &in[1], L);
    dsp_in_init(&depth, &in[2], L);
    dsp_in_init(&mix, &in[3], L);
    int stereo = out->lanes == 2 && L <= 2;
    int inst = stereo ? 1 : L;          /* instances: one fed the mono sum, or one per lane */
    int wp[DSP_MAX_LANES];
    float ph[DSP_MAX_LANES];
    float *line = st + CHORUS_LINE * L;
    for (int l = 0; l < inst; l++) {
        wp[l] = dl_pos(st[CHORUS_WP * L + l], N);
        ph[l] = dsp_clamp(st[CHORUS_PHASE * L + l], 0.0f, 0.99999994f);
    }
    for (int t = 0; t < env->n; t++) {
        const float *xr = dsp_in_row(&x, t, L), *rr = dsp_in_row(&rate, t, L);
        const float *dr = dsp_in_row(&depth, t, L), *mr = dsp_in_row(&mix, t, L);
        if (stereo) {
            float dl = xr[0], dright = L == 2 ? xr[1] : xr[0], wl, wr;
            chorus_step(line, L, 0, N, &wp[0], &ph[0], env->sr, 0.5f * (dl + dright), rr[0], dr[0], &wl, &wr);
            float m = dsp_clamp(mr[0], 0.0f, 1.0f);
            out->x[2 * t] = dl * (1.0f - m) + wl * m;
            out->x[2 * t + 1] = dright * (1.0f - m) + wr * m;
        } else {
            for (int l = 0; l < L; l++) {
                float wl, wr, m = dsp_clamp(mr[l], 0.0f, 1.0f);
                chorus_step(line, L, l, N, &wp[l], &ph[l], env->sr, xr[l], rr[l], dr[l], &wl, &wr);
                out->x[(size_t)t * L + l] = xr[l] * (1.0f - m) + 0.5f * (wl + wr) * m;
            }
        }
    }
    for (int l = 0; l < inst; l++) {
        st[CHORUS_WP * L + l] = (float)wp[l];
        st[CHORUS_PHASE * L + l] = ph[l];
    }
}

const DspKind dsp_kind_chorus = {
    .name = "chorus", .ninputs = 4, .inputs = { "in", "rate", "depth", "mix" },
    .defaults = { NAN, NAN, NAN, 0.3f }, .nstate = CHORUS_LINE + (int)(0.026f * 48000) + 5, .out_lanes = 2,
    .flags = DSPK_FILTER, .process = chorus_process, .state_floats = chorus_state_floats,
    .summary = "stereo chorus (in, rate Hz, depth 0..1, mix 0.3): two taps swinging around 15 ms",
};
