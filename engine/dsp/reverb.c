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
#define RV_CHUNK 32             /* frames run together (the network reads a chunk's inputs at once) */
#define RV_GUARD 3
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
static const float rv_diff_sign[RV_STEPS][RV_CH] = {
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
static const float rv_out_line[2][RV_LINES] = {
    { 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1 },
    { 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1 },
};
static const float rv_out_diff[2][RV_CH] = {
    { 1, 1, 1, 1, 1, 1, 1, 1 },
    { 1, 1, 1, 1, -1, -1, -1, -1 },
};

/* State of one instance, in fields (stride L): the modulation phase, each line's write position, each
 * network line's low-pass memory; then every line's samples, the diffuser's first. A network line of n
 * samples is followed by RV_GUARD copies of its first ones, so a 4-point read never wraps. */
enum { RV_PHASE = 0, RV_POS = 1, RV_LP = RV_POS + RV_ALL, RV_HEADER = RV_LP + RV_LINES };

typedef struct RvLayout {
    int len[RV_ALL];            /* ring length of each line (a network line has room for its swing) */
    int off[RV_ALL];            /* first field of each line */
    float delay[RV_LINES];      /* a network line's nominal delay, samples */
    float depth;                /* modulation swing, samples */
    float slope;                /* the most the delay moves in a frame (and rounding to spare) */
    int chunk;                  /* the most frames run at once: every network read of them is older */
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
    lay->slope = lay->depth * 6.2831853f * RV_LFO_HZ / sr * 1.01f;
    int swing = (int)lay->depth + 4, chunk = RV_CHUNK;
    for (int i = 0; i < RV_ALL; i++) {
        int n;
        if (i < RV_DIFF) {
            n = rv_scaled(rv_diff_base[i / RV_CH][i % RV_CH], sr);
        } else {
            int d = rv_scaled(rv_line_base[i - RV_DIFF], sr);
            d = d < swing ? swing : d;
            lay->delay[i - RV_DIFF] = (float)d;
            n = d + swing;
            int room = (int)((float)d - lay->depth) - 2;
            chunk = room < chunk ? room : chunk;
        }
        lay->len[i] = n;
        lay->off[i] = off;
        off += n + (i < RV_DIFF ? 0 : RV_GUARD);
    }
    lay->chunk = chunk;
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

float dsp_reverb_room(float rt60)
{
    float room = (1.0f - 0.65f / dsp_max(rt60, 1e-3f)) / 0.928f;
    return dsp_clamp(room, 0.0f, 1.0f);
}

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

/* An instance's running state for a block: positions and low-pass memories out of the state fields. */
typedef struct RvRun {
    int pos[RV_ALL];
    float lp[RV_LINES];
    float phase, inc;
} RvRun;

/* One diffuser all-pass (ring of n at field off) over y[0, m), in place. A stretch that does not wrap
 * reads only what was written before it, so it is a plain loop the compiler can vectorise. */
DSP_INLINE void rv_allpass(float *restrict st, const int L, int l, int off, int n, int *pos, float *restrict y, int m)
{
    int p = *pos;
    for (int t = 0; t < m;) {
        int r = m - t < n - p ? m - t : n - p;
        float *restrict cell = st + (size_t)(off + p) * L + l;
        for (int j = 0; j < r; j++) {
            float d = cell[(size_t)j * L], w = y[t + j] + RV_DIFF_G * d;
            cell[(size_t)j * L] = dsp_flush(w);
            y[t + j] = d - RV_DIFF_G * w;
        }
        t += r;
        p += r;
        p = p >= n ? 0 : p;
    }
    *pos = p;
}

/* The diffuser over m frames: ch[c] enters as the input, leaves as channel c. */
DSP_INLINE void rv_diffuse(float *restrict st, const int L, int l, const RvLayout *lay, RvRun *r,
                           float ch[RV_CH][RV_CHUNK], int m)
{
    for (int s = 0; s < RV_STEPS; s++) {
        for (int c = 0; c < RV_CH; c++)
            rv_allpass(st, L, l, lay->off[s * RV_CH + c], lay->len[s * RV_CH + c], &r->pos[s * RV_CH + c], ch[c], m);
        const float *sg = rv_diff_sign[s];
        for (int t = 0; t < m; t++) {      /* the Hadamard mix, 1 / sqrt 8, the signs */
            float a0 = ch[0][t] + ch[1][t], a1 = ch[0][t] - ch[1][t], a2 = ch[2][t] + ch[3][t], a3 = ch[2][t] - ch[3][t];
            float a4 = ch[4][t] + ch[5][t], a5 = ch[4][t] - ch[5][t], a6 = ch[6][t] + ch[7][t], a7 = ch[6][t] - ch[7][t];
            float b0 = a0 + a2, b2 = a0 - a2, b1 = a1 + a3, b3 = a1 - a3;
            float b4 = a4 + a6, b6 = a4 - a6, b5 = a5 + a7, b7 = a5 - a7;
            ch[0][t] = sg[0] * (0.35355339f * (b0 + b4)), ch[4][t] = sg[4] * (0.35355339f * (b0 - b4));
            ch[1][t] = sg[1] * (0.35355339f * (b1 + b5)), ch[5][t] = sg[5] * (0.35355339f * (b1 - b5));
            ch[2][t] = sg[2] * (0.35355339f * (b2 + b6)), ch[6][t] = sg[6] * (0.35355339f * (b2 - b6));
            ch[3][t] = sg[3] * (0.35355339f * (b3 + b7)), ch[7][t] = sg[7] * (0.35355339f * (b3 - b7));
        }
    }
}

/* Network line i's output over m frames, read between samples at its swinging delay, into w[t].
 * Every read of the chunk is older than the chunk (m <= lay->chunk), so reads may come before writes.
 * The whole part of the delay changes once in hundreds of samples: over a stretch where it holds and the
 * taps do not wrap, the four taps of frame t + 1 are those of frame t moved by one, a plain loop. */
DSP_INLINE void rv_read(const float *restrict st, const int L, int l, const RvLayout *lay, const RvRun *r, int i,
                        const float *sn, const float *cs, float *restrict w, int m)
{
    int li = RV_DIFF + i, n = lay->len[li], p = r->pos[li];
    const float *restrict ring = st + (size_t)lay->off[li] * L + l;
    float delay = lay->delay[i], depth = lay->depth, cp = rv_lfo_cos[i], sp = rv_lfo_sin[i], D[RV_CHUNK];
    for (int t = 0; t < m; t++) D[t] = delay + depth * (sn[t] * cp + cs[t] * sp);
    for (int t = 0; t < m;) {
        int k = (int)D[t];
        int j = p + t - k - 2;              /* the oldest of the four taps: k + 2 samples back */
        j = j < 0 ? j + n : j;
        int end = t + 1, lim = t + n - j < m ? t + n - j : m;     /* up to where j would pass n - 1 */
        float f0 = D[t] - (float)k, reach = (float)(lim - t) * lay->slope + 0.01f;
        if (f0 >= reach && f0 + reach < 1.0f) end = lim;           /* the delay cannot reach another whole part */
        while (end < lim && (int)D[end] == k) end++;
        const float *restrict b = ring + (size_t)j * L;
        for (int u = 0; u < end - t; u++)
            w[t + u] = dsp_hermite(b[(size_t)(u + 3) * L], b[(size_t)(u + 2) * L], b[(size_t)(u + 1) * L],
                                   b[(size_t)u * L], D[t + u] - (float)k);
        t = end;
    }
}

/* Network line i's input over m frames from w[t]: the mixed feedback plus its diffuser channel; then the
 * guard. */
DSP_INLINE void rv_write(float *restrict st, const int L, int l, const RvLayout *lay, RvRun *r, int i,
                         const float *restrict w, float ch[RV_CH][RV_CHUNK], int m)
{
    int li = RV_DIFF + i, n = lay->len[li], p = r->pos[li];
    float *restrict ring = st + (size_t)lay->off[li] * L + l;
    const float *restrict in = ch[i % RV_CH];
    float sign = i < RV_CH ? 0.70710678f : -0.70710678f;
    for (int t = 0; t < m;) {              /* in stretches that do not wrap */
        int run = m - t < n - p ? m - t : n - p;
        float *restrict cell = ring + (size_t)p * L;
        for (int j = 0; j < run; j++) cell[(size_t)j * L] = dsp_flush(w[t + j] + sign * in[t + j]);
        t += run;
        p += run;
        p = p >= n ? 0 : p;
    }
    for (int g = 0; g < RV_GUARD; g++) ring[(size_t)(n + g) * L] = ring[(size_t)g * L];
    r->pos[li] = p;
}

/* One butterfly stage of the 16-point Hadamard transform, pairs h apart (written out: gcc leaves the
 * loop form rolled, at four times the instructions). */
#define RV_BF(x, i, h) do { float a_ = x[i], b_ = x[(i) + (h)]; x[i] = a_ + b_; x[(i) + (h)] = a_ - b_; } while (0)
DSP_INLINE void rv_stage(float *x, const int h)
{
    switch (h) {
    case 1: RV_BF(x, 0, 1); RV_BF(x, 2, 1); RV_BF(x, 4, 1); RV_BF(x, 6, 1);
            RV_BF(x, 8, 1); RV_BF(x, 10, 1); RV_BF(x, 12, 1); RV_BF(x, 14, 1); break;
    case 2: RV_BF(x, 0, 2); RV_BF(x, 1, 2); RV_BF(x, 4, 2); RV_BF(x, 5, 2);
            RV_BF(x, 8, 2); RV_BF(x, 9, 2); RV_BF(x, 12, 2); RV_BF(x, 13, 2); break;
    case 4: RV_BF(x, 0, 4); RV_BF(x, 1, 4); RV_BF(x, 2, 4); RV_BF(x, 3, 4);
            RV_BF(x, 8, 4); RV_BF(x, 9, 4); RV_BF(x, 10, 4); RV_BF(x, 11, 4); break;
    default: for (int i = 0; i < 8; i++) RV_BF(x, i, 8); break;
    }
}

/* The low-pass of every line, the outputs' sign patterns, and the 16 x 16 Hadamard mix (1/4), per frame. */
DSP_INLINE void rv_mix(const RvCoef *c, RvRun *r, float v[RV_CHUNK][RV_LINES], float *ol, float *orr, int m)
{
    for (int t = 0; t < m; t++) {
        float *x = v[t], sl = 0.0f, sr = 0.0f;
        for (int i = 0; i < RV_LINES; i++) {
            float z = dsp_flush(c->b[i] * x[i] + c->a[i] * r->lp[i]);
            r->lp[i] = z;
            x[i] = z;
            sl += rv_out_line[0][i] * z;
            sr += rv_out_line[1][i] * z;
        }
        ol[t] = sl, orr[t] = sr;
        rv_stage(x, 1), rv_stage(x, 2), rv_stage(x, 4), rv_stage(x, 8);
        for (int i = 0; i < RV_LINES; i++) x[i] *= 0.25f;
    }
}

/* One instance over m <= lay->chunk frames with one set of coefficients: mono input x[] (already scaled),
 * the wet pair out. */
DSP_INLINE void rv_chunk(float *restrict st, const int L, int l, const RvLayout *lay, const RvCoef *c, RvRun *r,
                         const float *x, float *wl, float *wr, int m)
{
    float ch[RV_CH][RV_CHUNK], v[RV_CHUNK][RV_LINES], w[RV_LINES][RV_CHUNK];
    float sn[RV_CHUNK], cs[RV_CHUNK], ol[RV_CHUNK], orr[RV_CHUNK];
    for (int cc = 0; cc < RV_CH; cc++)
        for (int t = 0; t < m; t++) ch[cc][t] = x[t];
    rv_diffuse(st, L, l, lay, r, ch, m);
    for (int t = 0; t < m; t++) {
        sn[t] = dsp_sin2pi(r->phase), cs[t] = dsp_sin2pi(r->phase + 0.25f);
        r->phase += r->inc;
        r->phase = r->phase >= 1.0f ? r->phase - 1.0f : r->phase;
    }
    for (int i = 0; i < RV_LINES; i++) rv_read(st, L, l, lay, r, i, sn, cs, w[i], m);
    for (int t = 0; t < m; t++)             /* by line for the lines, by frame for the mix */
        for (int i = 0; i < RV_LINES; i++) v[t][i] = w[i][t];
    rv_mix(c, r, v, ol, orr, m);
    for (int t = 0; t < m; t++)
        for (int i = 0; i < RV_LINES; i++) w[i][t] = v[t][i];
    for (int i = 0; i < RV_LINES; i++) rv_write(st, L, l, lay, r, i, w[i], ch, m);
    for (int t = 0; t < m; t++) {
        float dl = 0.0f, dr = 0.0f;
        for (int cc = 0; cc < RV_CH; cc++) {
            dl += rv_out_diff[0][cc] * ch[cc][t];
            dr += rv_out_diff[1][cc] * ch[cc][t];
        }
        wl[t] = RV_WET * (0.25f * ol[t] + 0.35355339f * dl);
        wr[t] = RV_WET * (0.25f * orr[t] + 0.35355339f * dr);
    }
}

/* One instance (lane l) over the block: chunks end where the block, RV_CHUNK or a change of room or damp
 * does, so each chunk runs with one set of coefficients and the result does not depend on the blocks. */
DSP_INLINE void rv_instance(float *restrict st, const int L, int l, const RvLayout *lay, DspIn *x, DspIn *room,
                            DspIn *damp, DspIn *mix, DspBuf *out, int stereo, const DspEnv *env)
{
    RvRun r;
    for (int i = 0; i < RV_ALL; i++)
        r.pos[i] = (int)dsp_clamp(st[(size_t)(RV_POS + i) * L + l], 0.0f, (float)(lay->len[i] - 1));
    for (int i = 0; i < RV_LINES; i++) r.lp[i] = st[(size_t)(RV_LP + i) * L + l];
    r.phase = dsp_clamp(st[(size_t)RV_PHASE * L + l], 0.0f, 1.0f);
    r.phase = r.phase >= 1.0f ? 0.0f : r.phase;
    r.inc = RV_LFO_HZ / env->sr;
    RvCoef c;
    float last_room = NAN, last_damp = NAN, xin[RV_CHUNK], wl[RV_CHUNK], wr[RV_CHUNK];
    for (int t0 = 0; t0 < env->n;) {
        const float *rr = dsp_in_row(room, t0, L), *dr = dsp_in_row(damp, t0, L);
        if (!(rr[l] == last_room && dr[l] == last_damp)) {     /* a changed (or NaN) control */
            last_room = rr[l], last_damp = dr[l];
            float rt = rv_rt60(last_room);
            rv_coef(lay, env->sr, rt, rt * rv_hf_share(last_damp), &c);
        }
        int m = 0;
        for (; m < lay->chunk && t0 + m < env->n; m++) {
            if (m > 0) {
                rr = dsp_in_row(room, t0 + m, L), dr = dsp_in_row(damp, t0 + m, L);
                if (!(rr[l] == last_room && dr[l] == last_damp)) break;
            }
            const float *xr = dsp_in_row(x, t0 + m, L);
            float mono = stereo && L == 2 ? 0.5f * (xr[0] + xr[1]) : xr[l];
            xin[m] = dsp_finite(mono) * 0.35355339f;
        }
        rv_chunk(st, L, l, lay, &c, &r, xin, wl, wr, m);
        for (int t = 0; t < m; t++) {
            const float *xr = dsp_in_row(x, t0 + t, L), *mr = dsp_in_row(mix, t0 + t, L);
            float g = dsp_clamp(mr[l], 0.0f, 1.0f);
            float dl = xr[l], dright = stereo && L == 2 ? xr[1] : xr[l];
            if (stereo) {
                out->x[2 * (t0 + t)] = dl * (1.0f - g) + wl[t] * g;
                out->x[2 * (t0 + t) + 1] = dright * (1.0f - g) + wr[t] * g;
            } else {
                out->x[(size_t)(t0 + t) * L + l] = dl * (1.0f - g) + 0.5f * (wl[t] + wr[t]) * g;
            }
        }
        t0 += m;
    }
    for (int i = 0; i < RV_ALL; i++) st[(size_t)(RV_POS + i) * L + l] = (float)r.pos[i];
    for (int i = 0; i < RV_LINES; i++) st[(size_t)(RV_LP + i) * L + l] = r.lp[i];
    st[(size_t)RV_PHASE * L + l] = r.phase;
}

DSP_INLINE void rv_body(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L)
{
    RvLayout lay;
    rv_layout(env->sr, &lay);
    DspIn x, room, damp, mix;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&room, &in[1], L);
    dsp_in_init(&damp, &in[2], L);
    dsp_in_init(&mix, &in[3], L);
    int stereo = out->lanes == 2 && L <= 2;
    int inst = stereo ? 1 : L;          /* instances: one fed the mono sum, or one per lane */
    for (int l = 0; l < inst; l++) rv_instance(st, L, l, &lay, &x, &room, &damp, &mix, out, stereo, env);
}

DSP_HOT static void reverb_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    switch (env->lanes) {               /* the stereo cases with a constant stride */
    case 1: rv_body(st, in, out, env, 1); break;
    case 2: rv_body(st, in, out, env, 2); break;
    default: rv_body(st, in, out, env, env->lanes); break;
    }
}

const DspKind dsp_kind_reverb = {
    .name = "reverb", .ninputs = 4, .inputs = { "in", "room", "damp", "mix" },
    .defaults = { NAN, 0.5f, 0.5f, 0.3f }, .nstate = 33804, .out_lanes = 2, .flags = DSPK_FILTER,
    .process = reverb_process, .state_floats = rv_state_floats,
    .summary = "stereo room reverb (in, room 0.5, damp 0.5, mix 0.3): a diffuser and a modulated 16-line "
               "feedback-delay network; RT60 0.65 s / (1 - 0.928 room)",
};
