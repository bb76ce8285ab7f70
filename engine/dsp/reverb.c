/* reverb.c — the stereo room reverb: an input diffuser and a modulated feedback-delay network.
 * Its lines are node state, sized from the sample rate by the kind's state_floats hook. Like every kernel it
 * never allocates, locks, logs, does I/O or calls libm; its modulation comes from a phase kept in its state,
 * never from a random source, so the same input gives the same bits. */
#include "kernel.h"

/* Why this design (docs/DSP.md has the measurements): Freeverb's parallel combs leave the first 25 ms
 * empty, then sparse echoes, and a tail of fixed comb modes that rings (spectral lines spread 10-17 dB).
 * Here:
 *  - the diffuser copies the mono input into RV_CH channels and runs RV_STEPS steps of "an all-pass on each
 *    channel, each of a different length, then a Hadamard mix and some signs flipped". Every step is
 *    lossless (it only spreads energy in time), and the paths through it multiply so fast that the sound
 *    is as dense as noise from the first milliseconds (an 8 x 4 cascade of plain delays is not: 2048 paths
 *    in 50 ms leave two samples in three empty);
 *  - the network: RV_LINES delay lines of mutually prime lengths (16 to 51 ms) fed back through a
 *    16 x 16 Hadamard matrix (orthogonal: every line reaches every other, no energy made or lost). Each
 *    line's feedback goes through a one-pole low-pass fitted to two gains, the one that loses 60 dB in RT60
 *    over that line's length at 500 Hz and the one for the 4 kHz decay time at 4 kHz, so every mode decays
 *    at the documented rate whatever lines it lives on;
 *  - every line's length swings by a slow sine (+-RV_MOD_DEPTH samples, each line at its own phase), which
 *    keeps the modes from standing still: without it the tail shows spectral lines (the network's modes
 *    are 2 Hz apart), and swinging only 4 of the 16 lines leaves half of them;
 *  - left and right take orthogonal sign patterns of the lines and of the diffuser's channels, so the
 *    channels are decorrelated from the first millisecond. */

#define RV_CH 8
#define RV_STEPS 4
#define RV_LINES 16
#define RV_DIFF (RV_CH * RV_STEPS)
#define RV_ALL (RV_DIFF + RV_LINES)
#define RV_MOD_DEPTH 20.0f      /* samples at 44.1 kHz */
#define RV_LFO_HZ 0.7f
#define RV_DIFF_G 0.4f          /* the diffuser's all-pass gain */
#define RV_MID_HZ 500.0f        /* where RT60 is exact */
#define RV_REF_HZ 4000.0f       /* where `damp` sets the decay time */
#define RV_WET 2.43f            /* wet level: about the dry level for noise at room 0.5 */

/* Diffuser all-pass lengths in samples at 44.1 kHz, one row per step, spread over 3, 7, 14 and 29 ms; every
 * step has a short one (and the last step one in each half, for the two outputs) so that sound comes out
 * at once. */
static const short rv_diff_base[RV_STEPS][RV_CH] = {
    { 2, 97, 41, 131, 19, 73, 113, 53 },
    { 293, 3, 173, 89, 257, 43, 211, 127 },
    { 439, 181, 7, 613, 269, 523, 97, 353 },
    { 727, 1259, 367, 11, 1087, 29, 907, 547 },
};
/* The sign each channel takes after each step's Hadamard mix. */
static const signed char rv_diff_sign[RV_STEPS][RV_CH] = {
    { 1, -1, 1, 1, -1, 1, -1, -1 },
    { -1, 1, 1, -1, 1, 1, -1, 1 },
    { 1, 1, -1, 1, -1, -1, 1, 1 },
    { -1, 1, -1, -1, 1, -1, 1, 1 },
};
/* Network line lengths at 44.1 kHz (primes, spaced evenly in log from 16 to 51 ms, shuffled so that the
 * Hadamard's pairs mix short with long). */
static const short rv_line_base[RV_LINES] = { 701, 1931, 953, 1657, 821, 2089, 1117, 1409,
                                              757, 1787, 1033, 1531, 887, 2251, 1213, 1307 };
/* Each line's swing sin(2 pi (phase + k/16)) = sin(2 pi phase) cos(2 pi k/16) + cos(2 pi phase) sin(2 pi k/16)
 * (two sines a sample for all sixteen), with k = 7 i mod 16 for line i: neighbours swing far apart in phase. */
static const float rv_lfo_cos[RV_LINES] = {
    1.0f, -0.92387953f, 0.70710678f, -0.38268343f, 0.0f, 0.38268343f, -0.70710678f, 0.92387953f,
    -1.0f, 0.92387953f, -0.70710678f, 0.38268343f, 0.0f, -0.38268343f, 0.70710678f, -0.92387953f,
};
static const float rv_lfo_sin[RV_LINES] = {
    0.0f, 0.38268343f, -0.70710678f, 0.92387953f, -1.0f, 0.92387953f, -0.70710678f, 0.38268343f,
    0.0f, -0.38268343f, 0.70710678f, -0.92387953f, 1.0f, -0.92387953f, 0.70710678f, -0.38268343f,
};
/* Output sign patterns over the lines (two orthogonal rows of a 16 x 16 Hadamard matrix) and over the
 * diffuser's channels (orthogonal; seen through the last step's Hadamard mix and signs, each takes four of
 * the channels before it, left and right different ones: a Hadamard row there would take just one). */
static const signed char rv_out_line[2][RV_LINES] = {
    { 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1 },
    { 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1 },
};
static const signed char rv_out_diff[2][RV_CH] = {
    { 1, 1, 1, 1, 1, 1, 1, 1 },
    { 1, 1, 1, 1, -1, -1, -1, -1 },
};

/* State of one instance, in fields (stride L): the modulation phase, each line's write position, each
 * network line's low-pass memory; then every line's samples, the diffuser's first. */
enum { RV_PHASE = 0, RV_POS = 1, RV_LP = RV_POS + RV_ALL, RV_HEADER = RV_LP + RV_LINES };

typedef struct RvLayout {
    int len[RV_ALL];            /* ring length of each line (a modulated line has room for its swing) */
    int off[RV_ALL];            /* first field of each line */
    float delay[RV_LINES];      /* a network line's nominal delay, samples */
    float depth;                /* modulation swing, samples */
    int total;
} RvLayout;

static int rv_scaled(int base, float sr)
{
    int n = (int)((float)base * (sr / 44100.0f) + 0.5f);
    return n < 1 ? 1 : n;
}

static void rv_layout(float sr, RvLayout *lay)
{
    int off = RV_HEADER;
    lay->depth = RV_MOD_DEPTH * (sr / 44100.0f);
    int swing = (int)lay->depth + 4;
    for (int i = 0; i < RV_ALL; i++) {
        int n;
        if (i < RV_DIFF) {
            n = rv_scaled(rv_diff_base[i / RV_CH][i % RV_CH], sr);
        } else {
            int d = rv_scaled(rv_line_base[i - RV_DIFF], sr);
            d = d < swing ? swing : d;
            lay->delay[i - RV_DIFF] = (float)d;
            n = d + swing;
        }
        lay->len[i] = n;
        lay->off[i] = off;
        off += n;
    }
    lay->total = off;
}

static int rv_state_floats(float sr)
{
    RvLayout lay;
    rv_layout(sr, &lay);
    return lay.total;
}

/* The documented mapping: RT60 = 0.65 s / (1 - 0.928 room) (0.65 s at 0, 1.21 s at 0.5, 9 s at 1), and
 * the decay at 4 kHz takes (1 - 0.75 damp) of it. */
DSP_INLINE float rv_rt60(float room) { return 0.65f / (1.0f - 0.928f * dsp_clamp(room, 0.0f, 1.0f)); }
DSP_INLINE float rv_hf_share(float damp) { return 1.0f - 0.75f * dsp_clamp(damp, 0.0f, 1.0f); }

typedef struct RvCoef {
    float b[RV_LINES], a[RV_LINES];     /* each line's low-pass: z = b y + a z */
} RvCoef;

/* Each line's low-pass z = b y + a z for a decay of rt60 seconds at RV_MID_HZ and of hf seconds at
 * RV_REF_HZ: its gain must be m1 = 10^(-3 delay / (sr rt60)) at the first and m2 = 10^(-3 delay / (sr hf))
 * at the second. With c = cos w at each, |H|^2 = b^2 / (1 - 2 a c + a^2), so the pole solves
 * (1 - 2 a c1 + a^2) = rho^2 (1 - 2 a c2 + a^2), rho = m2 / m1: a^2 - 2 B a + 1 = 0 with
 * B = (c1 - rho^2 c2) / (1 - rho^2), and b follows from m1. The gain at DC is kept below 1 (it is a hair
 * above m1), so the network stays stable whatever the settings. */
DSP_INLINE float rv_sqrt(float x) { return x > 0.0f ? dsp_exp2(0.5f * dsp_log2(x)) : 0.0f; }

static void rv_coef(const RvLayout *lay, float sr, float rt60, float hf, RvCoef *c)
{
    const float k = -9.9657843f / sr;               /* -3 log2(10) per sample */
    float c1 = dsp_sin2pi(0.25f - RV_MID_HZ / sr);  /* cos(2 pi f / sr) */
    float c2 = dsp_sin2pi(0.25f - dsp_min(RV_REF_HZ, 0.45f * sr) / sr);
    for (int i = 0; i < RV_LINES; i++) {
        float d = lay->delay[i];
        float m1 = dsp_exp2(k * d / rt60);
        float rho = dsp_exp2(k * d * (1.0f / hf - 1.0f / rt60)), rho2 = rho * rho, a = 0.0f;
        if (1.0f - rho2 > 1e-6f) {
            float B = (c1 - rho2 * c2) / (1.0f - rho2);
            a = 1.0f / (B + rv_sqrt(B * B - 1.0f));
        }
        float b = m1 * rv_sqrt(1.0f - 2.0f * a * c1 + a * a);
        c->a[i] = a;
        c->b[i] = dsp_min(b, 0.9999f * (1.0f - a));
    }
}

/* In-place orthogonal Hadamard transforms (scaled to keep energy). */
DSP_INLINE void rv_hadamard8(float *v)
{
    for (int h = 1; h < 8; h <<= 1)
        for (int i = 0; i < 8; i += 2 * h)
            for (int j = i; j < i + h; j++) {
                float a = v[j], b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
    for (int i = 0; i < 8; i++) v[i] *= 0.35355339f;
}

DSP_INLINE void rv_hadamard16(float *v)
{
    for (int h = 1; h < 16; h <<= 1)
        for (int i = 0; i < 16; i += 2 * h)
            for (int j = i; j < i + h; j++) {
                float a = v[j], b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
    for (int i = 0; i < 16; i++) v[i] *= 0.25f;
}

/* The sample `back` samples before the one about to be written at pos, in a ring of n. */
DSP_INLINE float rv_tap(const float *restrict st, int L, int l, int off, int n, int pos, int back)
{
    int j = pos - back;
    j = j < 0 ? j + n : j;
    return st[(size_t)(off + j) * L + l];
}

/* One instance of the reverb at lane l: the mono input x in, the wet pair out. */
typedef struct RvRun {
    const RvLayout *lay;
    const RvCoef *c;
    int pos[RV_ALL];
    float phase, inc;
} RvRun;

DSP_INLINE void rv_sample(float *restrict st, int L, int l, RvRun *r, float x, float *wl, float *wr)
{
    const RvLayout *lay = r->lay;
    float ch[RV_CH], v[RV_LINES];
    for (int c = 0; c < RV_CH; c++) ch[c] = x;
    for (int s = 0; s < RV_STEPS; s++) {
        for (int c = 0; c < RV_CH; c++) {
            int li = s * RV_CH + c, p = r->pos[li];
            float *cell = &st[(size_t)(lay->off[li] + p) * L + l];
            float d = *cell, w = ch[c] + RV_DIFF_G * d;
            *cell = dsp_flush(w);
            r->pos[li] = p + 1 >= lay->len[li] ? 0 : p + 1;
            ch[c] = d - RV_DIFF_G * w;
        }
        rv_hadamard8(ch);
        for (int c = 0; c < RV_CH; c++) ch[c] = rv_diff_sign[s][c] > 0 ? ch[c] : -ch[c];
    }
    /* the network's outputs, each read between samples at its swinging delay */
    float sn = dsp_sin2pi(r->phase), cs = dsp_sin2pi(r->phase + 0.25f);
    for (int i = 0; i < RV_LINES; i++) {
        int li = RV_DIFF + i, n = lay->len[li], p = r->pos[li], off = lay->off[li];
        float D = lay->delay[i] + lay->depth * (sn * rv_lfo_cos[i] + cs * rv_lfo_sin[i]);
        int k = (int)D;
        float f = D - (float)k;
        v[i] = dsp_hermite(rv_tap(st, L, l, off, n, p, k - 1), rv_tap(st, L, l, off, n, p, k),
                           rv_tap(st, L, l, off, n, p, k + 1), rv_tap(st, L, l, off, n, p, k + 2), f);
    }
    r->phase += r->inc;
    r->phase = r->phase >= 1.0f ? r->phase - 1.0f : r->phase;
    float ol = 0.0f, orr = 0.0f;
    for (int i = 0; i < RV_LINES; i++) {
        float *lp = &st[(size_t)(RV_LP + i) * L + l];
        float z = dsp_flush(r->c->b[i] * v[i] + r->c->a[i] * *lp);
        *lp = z;
        v[i] = z;
        ol += rv_out_line[0][i] > 0 ? z : -z;
        orr += rv_out_line[1][i] > 0 ? z : -z;
    }
    rv_hadamard16(v);
    for (int i = 0; i < RV_LINES; i++) {
        int li = RV_DIFF + i, p = r->pos[li];
        float in = i < RV_CH ? ch[i] : -ch[i - RV_CH];
        st[(size_t)(lay->off[li] + p) * L + l] = dsp_flush(v[i] + 0.70710678f * in);
        r->pos[li] = p + 1 >= lay->len[li] ? 0 : p + 1;
    }
    float dl = 0.0f, dr = 0.0f;
    for (int c = 0; c < RV_CH; c++) {
        dl += rv_out_diff[0][c] > 0 ? ch[c] : -ch[c];
        dr += rv_out_diff[1][c] > 0 ? ch[c] : -ch[c];
    }
    *wl = RV_WET * (0.25f * ol + 0.35355339f * dl);
    *wr = RV_WET * (0.25f * orr + 0.35355339f * dr);
}

DSP_HOT static void reverb_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    const int L = env->lanes;
    RvLayout lay;
    rv_layout(env->sr, &lay);
    DspIn x, room, damp, mix;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&room, &in[1], L);
    dsp_in_init(&damp, &in[2], L);
    dsp_in_init(&mix, &in[3], L);
    int stereo = out->lanes == 2 && L <= 2;
    int inst = stereo ? 1 : L;          /* instances: one fed the mono sum, or one per lane */
    for (int l = 0; l < inst; l++) {
        RvCoef c;
        RvRun r = { &lay, &c, { 0 }, 0.0f, RV_LFO_HZ / env->sr };
        for (int i = 0; i < RV_ALL; i++)
            r.pos[i] = (int)dsp_clamp(st[(size_t)(RV_POS + i) * L + l], 0.0f, (float)(lay.len[i] - 1));
        r.phase = dsp_clamp(st[(size_t)RV_PHASE * L + l], 0.0f, 1.0f);
        r.phase = r.phase >= 1.0f ? 0.0f : r.phase;
        float last_room = NAN, last_damp = NAN;
        for (int t = 0; t < env->n; t++) {
            const float *xr = dsp_in_row(&x, t, L), *rr = dsp_in_row(&room, t, L);
            const float *dr = dsp_in_row(&damp, t, L), *mr = dsp_in_row(&mix, t, L);
            if (!(rr[l] == last_room && dr[l] == last_damp)) {     /* a changed (or NaN) control */
                last_room = rr[l], last_damp = dr[l];
                float rt = rv_rt60(rr[l]);
                rv_coef(&lay, env->sr, rt, rt * rv_hf_share(dr[l]), &c);
            }
            float m = dsp_clamp(mr[l], 0.0f, 1.0f);
            float dl = xr[l], dright = stereo && L == 2 ? xr[1] : xr[l];
            float mono = stereo && L == 2 ? 0.5f * (dl + dright) : dl;
            float wl, wr;
            rv_sample(st, L, l, &r, dsp_finite(mono) * 0.35355339f, &wl, &wr);
            if (stereo) {
                out->x[2 * t] = dl * (1.0f - m) + wl * m;
                out->x[2 * t + 1] = dright * (1.0f - m) + wr * m;
            } else {
                out->x[(size_t)t * L + l] = dl * (1.0f - m) + 0.5f * (wl + wr) * m;
            }
        }
        for (int i = 0; i < RV_ALL; i++) st[(size_t)(RV_POS + i) * L + l] = (float)r.pos[i];
        st[(size_t)RV_PHASE * L + l] = r.phase;
    }
}

const DspKind dsp_kind_reverb = {
    .name = "reverb", .ninputs = 4, .inputs = { "in", "room", "damp", "mix" },
    .defaults = { NAN, 0.5f, 0.5f, 0.3f }, .nstate = 33756, .out_lanes = 2, .flags = DSPK_FILTER,
    .process = reverb_process, .state_floats = rv_state_floats,
    .summary = "stereo room reverb (in, room 0.5, damp 0.5, mix 0.3): a diffuser and a modulated 16-line "
               "feedback-delay network; RT60 0.65 s / (1 - 0.928 room)",
};
