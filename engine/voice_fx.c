/* voice_fx.c — the per-voice effects of SuperDirt, in its order: vowel, shape, hpf, bpf, crush, coarse, lpf,
 * then its extra modules squiz and djf, and after the envelope and the pan leslie (in SuperDirt a global
 * effect on the orbit's stereo bus: being linear, it is the same effect run voice by voice on the orbit's
 * rotors, which glide to a new lrate as dirt_leslie's Lags do). Each follows the mathematics of SuperDirt's
 * SynthDef (synths/core-synths.scd, synths/core-synths-global.scd, library/default-effects-extra.scd, and
 * sc3-plugins' Squiz); docs/VOICES.md and docs/DSP.md have the figures.
 * Only effects that are set run; coefficients are fixed when the voice starts. Audio path: no allocation,
 * no lock (squiz's and leslie's buffers come from a pool made with the voice pool). */
#include "voice_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* Counter-tenor formants (frequency Hz, level dB, bandwidth Hz): the register SuperDirt asks the Vowel
 * class for by default. */
static const float vfx_formants[5][3][5] = {
    /* a */ {{660, 1120, 2750, 3000, 3350}, {0, -6, -23, -24, -38}, {80, 90, 120, 130, 140}},
    /* e */ {{440, 1800, 2700, 3000, 3300}, {0, -14, -18, -20, -20}, {70, 80, 100, 120, 120}},
    /* i */ {{270, 1850, 2900, 3350, 3590}, {0, -24, -24, -36, -36}, {40, 90, 100, 120, 120}},
    /* o */ {{430, 820, 2700, 3000, 3300}, {0, -10, -26, -22, -34}, {40, 80, 100, 120, 120}},
    /* u */ {{370, 630, 2750, 3000, 3400}, {0, -20, -23, -30, -34}, {40, 60, 100, 120, 120}},
};

static void vsvf_init(VSvf *f, double freq, double rq, double sr)
{
    double nyq = 0.49 * sr;
    if (!(freq >= 20)) freq = 20;       /* SuperDirt clips cutoffs to 20 Hz .. Nyquist */
    if (freq > nyq) freq = nyq;
    if (!(rq > 0.0005)) rq = 0.0005;
    double g = tan(M_PI * freq / sr), k = rq;
    double a1 = 1.0 / (1.0 + g * (g + k));
    f->g = (float)g;
    f->k = (float)k;
    f->a1 = (float)a1;
    f->a2 = (float)(g * a1);
    f->a3 = (float)(g * g * a1);
    f->ic1[0] = f->ic1[1] = f->ic2[0] = f->ic2[1] = 0;
}

/* One step of the state-variable filter; returns band, writes low. */
static inline float vsvf_tick(VSvf *f, int ch, float x, float *low)
{
    float v3 = x - f->ic2[ch];
    float v1 = f->a1 * f->ic1[ch] + f->a2 * v3;
    float v2 = f->ic2[ch] + f->a2 * f->ic1[ch] + f->a3 * v3;
    f->ic1[ch] = 2 * v1 - f->ic1[ch];
    f->ic2[ch] = 2 * v2 - f->ic2[ch];
    *low = v2;
    return v1;
}

/* resonance 0..1 -> rq 1..0.001, exponentially (SuperDirt's linexp) */
static double vfx_rq(float resonance)
{
    double r = resonance < 0 ? 0 : resonance > 1 ? 1 : resonance;
    return pow(0.001, r);
}

static int vfx_vowel_index(uint32_t sym)
{
    const char *s = sym ? sym_name(sym) : NULL;
    if (!s || !s[0] || s[1]) return -1;
    switch (s[0]) {
    case 'a': return 0;
    case 'e': return 1;
    case 'i': return 2;
    case 'o': return 3;
    case 'u': return 4;
    default: return -1;
    }
}

/* dirt_leslie: the signal is split at 800 Hz (HPF, 2nd-order Butterworth; the low band is what the HPF
 * removes), the low band throbs (gain 1 - throb, throb 0 .. 1.3 lsize at 0.8 lrate) and the high band
 * moves (a delay of 0 .. lsize / 343 s at lrate: the Doppler shift, gain 1 - distance); each band is
 * balanced across the two channels (Balance2 at +-0.2 on the throb's rotor, +-0.4 on the horn's, a
 * quarter turn ahead), and wet = 1.2 (low + high) is added to the dry signal x (1 - leslie). */
static void vfx_leslie_init(VoiceFx *fx, const VoiceStart *vs, double sr)
{
    fx->les_mix = vs->leslie > 1 ? 1 : vs->leslie;
    double size = vs->lsize < 0 ? 0 : vs->lsize, most = VFX_LESLIE_MAX_DELAY * 343.0;
    fx->les_size = (float)(size < most ? size : most);
    fx->les_sr = (float)sr;
    vsvf_init(&fx->les_hp, 800, M_SQRT2, sr);
    /* the rotors are the orbit's (vfx_les_piece): voices that overlap hear one cabinet */
    fx->les_orbit = vs->orbit >= 0 && vs->orbit < ORBIT_COUNT ? vs->orbit : 0;
    fx->flags |= VFX_LESLIE;
}

/* Balance2's gains at position p (-1 .. 1): cos and sin of (p + 1) pi/4. Here |p| <= 0.4, so with
 * d = p pi/4 (|d| < 0.32) short series are exact to 1e-7: cos(pi/4 + d) = (cos d - sin d) / sqrt 2. */
static inline void vfx_balance(float p, float *gl, float *gr)
{
    float d = p * (float)(M_PI / 4), d2 = d * d;
    float s = d * (1 - d2 / 6 * (1 - d2 / 20 * (1 - d2 / 42)));
    float c = 1 - d2 / 2 * (1 - d2 / 12 * (1 - d2 / 30));
    *gl = (c - s) * (float)M_SQRT1_2;
    *gr = (c + s) * (float)M_SQRT1_2;
}

/* 4-point Hermite between y0 and y1 at f (SuperCollider's cubicinterp, which DelayC uses). */
static inline float vfx_hermite(float ym1, float y0, float y1, float y2, float f)
{
    float c1 = 0.5f * (y1 - ym1), c2 = ym1 - 2.5f * y0 + 2 * y1 - 0.5f * y2, c3 = 0.5f * (y2 - ym1) + 1.5f * (y0 - y1);
    return ((c3 * f + c2) * f + c1) * f + y0;
}

void vfx_leslie(VoiceFx *fx, float *l, float *r, int n)
{
    if (!(fx->flags & VFX_LESLIE)) return;
    const int mask = fx->les_len_mask;
    float *dl = fx->les_buf, *dr = fx->les_buf + mask + 1;
    float mix = fx->les_mix, dry = 1 - mix, size = fx->les_size, spf = fx->les_sr / 343.0f;
    float most = (float)(mask + 1 - 4);
    /* this call's frames in the orbit's table: the renders call in step with the pieces (a voice plays
       every frame from its start on), so the clamp never acts; it only keeps a mistake inside the table */
    int64_t row = fx->les_frame - *fx->les_clock;
    fx->les_frame += n;
    if (row < 0 || row + n > VOICE_PIECE) row = row < 0 ? 0 : VOICE_PIECE - n;
    const float *q = fx->les_rot + 4 * row;
    int pos = fx->les_pos;
    VSvf *hp = &fx->les_hp;
    for (int t = 0; t < n; t++, q += 4) {
        float distance = size * (0.5f + 0.5f * q[VLES_DISTANCE]);      /* SinOsc(Lag(lrate, 10), 0).range(0, lsize) */
        float throb = 1.3f * size * (0.5f + 0.5f * q[VLES_THROB]);     /* SinOsc(Lag(0.8 lrate, 20), 0).range(0, 1.3 lsize) */
        float b1l, b1r, b2l, b2r;
        vfx_balance(0.2f * q[VLES_BAL1], &b1l, &b1r);                 /* SinOsc(Lag(0.8 lrate, 4), pi/2).range(-0.2, 0.2) */
        vfx_balance(0.4f * q[VLES_BAL2], &b2l, &b2r);                 /* SinOsc(Lag(lrate, 2), pi/2).range(-0.4, 0.4) */
        float x[2] = { l[t], r[t] }, y[2];
        float d = distance * spf;
        d = d < 1 ? 1 : d > most ? most : d;                      /* DelayC reads at least a frame back */
        int di = (int)d;
        float f = d - (float)di;
        for (int c = 0; c < 2; c++) {
            float low, band = vsvf_tick(hp, c, x[c], &low);
            float high = x[c] - hp->k * band - low;
            float *line = c ? dr : dl;
            line[pos] = high;
            int at = pos - di + mask + 1;                         /* kept >= 0 for the masks below */
            float moved = vfx_hermite(line[(at + 1) & mask], line[at & mask], line[(at - 1) & mask],
                                      line[(at - 2) & mask], f);
            float lowband = x[c] - high;
            float wet = 1.2f * mix * ((1 - throb) * lowband * (c ? b1r : b1l) + (1 - distance) * moved * (c ? b2r : b2l));
            y[c] = dry * x[c] + wet;
        }
        l[t] = y[0];
        r[t] = y[1];
        pos = (pos + 1) & mask;
    }
    fx->les_pos = pos;
}

/* ---- the orbits' rotors ----------------------------------------------------------------------
 * dirt_leslie's four oscillators each follow lrate through SC's Lag (a one-pole whose lag time is the
 * 60 dB time: y <- x + (y - x) b a frame, b = 0.001^(1 / (lag sr))). The rate is exact at the ends of
 * segments of VFX_LES_SEG frames (on the pool's frame grid) and at every event, and ramps linearly in
 * between (docs/VOICES.md has the error); the angle is the sum of the rates, kept in turns, and each
 * segment's sines come from a phasor seeded from the angle: z <- z w, w <- w dw (dw = 1 at rest, so a
 * steady rate is the plain rotation it was per voice). */
static const double vles_lag[VLES_ROTORS] = { 10, 20, 4, 2 };
static const double vles_mult[VLES_ROTORS] = { 1, 0.8, 0.8, 1 };

void vfx_les_event(VfxMem *m, int orbit, int at, double lrate, double t0)
{
    if (orbit < 0 || orbit >= ORBIT_COUNT) orbit = 0;
    if (at < 0) at = 0;
    if (at >= m->max_block) at = m->max_block - 1;
    if (!(lrate >= 0)) lrate = 0;
    VLesOrbit *o = &m->les_orb[orbit];
    m->les_chg[(size_t)orbit * (size_t)m->max_block + (size_t)at] = (float)lrate;
    m->les_bits[(size_t)orbit * (size_t)m->les_words + (size_t)(at >> 6)] |= 1ull << (at & 63);
    if (!o->on && (!o->changed || at < o->first)) o->first = at, o->first_t0 = t0 > 0 ? t0 : 0;
    o->changed = true;
}

void vfx_les_start(VfxMem *m, VoiceFx *fx, int at)
{
    if (fx->flags & VFX_LESLIE) fx->les_frame = m->les_block_frame + at;
}

/* One segment of len frames: the rates from where they are towards the target, the angles on, and the
 * table's rows (when a voice reads them). The four rotors side by side, frame by frame. */
static void vles_segment(VfxMem *m, VLesOrbit *o, float *row, int len)
{
    const double sr = m->les_sr, tau = 2 * M_PI;
    double y0[VLES_ROTORS], y1[VLES_ROTORS];
    bool ramp = false;
    for (int k = 0; k < VLES_ROTORS; k++) {
        double x = o->target * vles_mult[k];
        y0[k] = o->rate[k];
        y1[k] = y0[k] == x ? x : x + (y0[k] - x) * m->les_pow[k][len];
        ramp |= y1[k] != y0[k];
    }
    if (row) {
        double zc[VLES_ROTORS], zs[VLES_ROTORS], wc[VLES_ROTORS], ws[VLES_ROTORS], dc[VLES_ROTORS], ds[VLES_ROTORS];
        for (int k = 0; k < VLES_ROTORS; k++) {
            zc[k] = cos(tau * o->turn[k]), zs[k] = sin(tau * o->turn[k]);
            wc[k] = cos(tau * y0[k] / sr), ws[k] = sin(tau * y0[k] / sr);
            double dstep = tau * (y1[k] - y0[k]) / (len * sr);
            dc[k] = y1[k] == y0[k] ? 1 : cos(dstep), ds[k] = y1[k] == y0[k] ? 0 : sin(dstep);    /* exact 1 at rest */
        }
        for (int j = 0; j < len; j++, row += 4) {
            row[VLES_DISTANCE] = (float)zs[VLES_DISTANCE];
            row[VLES_THROB] = (float)zs[VLES_THROB];
            row[VLES_BAL1] = (float)zc[VLES_BAL1];
            row[VLES_BAL2] = (float)zc[VLES_BAL2];
            for (int k = 0; k < VLES_ROTORS; k++) {
                double a = zc[k] * wc[k] - zs[k] * ws[k], b = zs[k] * wc[k] + zc[k] * ws[k];
                zc[k] = a, zs[k] = b;
            }
            if (ramp)
                for (int k = 0; k < VLES_ROTORS; k++) {
                    double a = wc[k] * dc[k] - ws[k] * ds[k], b = ws[k] * dc[k] + wc[k] * ds[k];
                    wc[k] = a, ws[k] = b;
                }
        }
    }
    for (int k = 0; k < VLES_ROTORS; k++) {
        double turn = o->turn[k] + (len * y0[k] + (y1[k] - y0[k]) * (len - 1) * 0.5) / sr;
        o->turn[k] = turn - floor(turn);
        o->rate[k] = y1[k];
    }
}

void vfx_les_piece(VfxMem *m, int off, int n)
{
    m->les_frame = m->les_block_frame + off;
    const int end = off + n, B = m->max_block, words = m->les_words;
    for (int oi = 0; oi < ORBIT_COUNT; oi++) {
        VLesOrbit *o = &m->les_orb[oi];
        if (!o->on && (!o->changed || o->first >= end)) continue;
        const float *chg = m->les_chg + (size_t)oi * (size_t)B;
        const uint64_t *bits = m->les_bits + (size_t)oi * (size_t)words;
        if (!o->on) {
            /* the first event: the rotors turn at its rate at once, at the angle the engine's clock gives
               its onset (as if they had always turned), taken back to the piece's start */
            double x = chg[o->first];
            o->target = x;
            for (int k = 0; k < VLES_ROTORS; k++) {
                double rate = x * vles_mult[k], turn = rate * o->first_t0 - rate * (o->first - off) / m->les_sr;
                o->rate[k] = rate;
                o->turn[k] = turn - floor(turn);
            }
            o->on = true;
        }
        float *tab = o->voices > 0 ? m->les_rot + (size_t)oi * VOICE_PIECE * 4 : NULL;
        for (int t = off; t < end;) {
            if (o->changed && (bits[t >> 6] >> (t & 63) & 1)) o->target = chg[t];
            int64_t abs = m->les_block_frame + t;
            int len = VFX_LES_SEG - (int)(abs % VFX_LES_SEG);
            if (len > end - t) len = end - t;
            if (o->changed)                 /* the next event ends the segment */
                for (int u = t + 1; u < t + len; u++)
                    if (bits[u >> 6] >> (u & 63) & 1) {
                        len = u - t;
                        break;
                    }
            vles_segment(m, o, tab ? tab + 4 * (t - off) : NULL, len);
            t += len;
        }
    }
}

void vfx_les_end(VfxMem *m, int n)
{
    for (int oi = 0; oi < ORBIT_COUNT; oi++) {
        VLesOrbit *o = &m->les_orb[oi];
        if (!o->changed) continue;
        memset(m->les_bits + (size_t)oi * (size_t)m->les_words, 0, sizeof(uint64_t) * (size_t)m->les_words);
        o->changed = false;
    }
    m->les_block_frame += n;
}

/* Squiz (sc3-plugins, as SuperDirt runs it: one zero crossing a fragment, 0.1 s of memory): the input
 * is written into a buffer from its start again at every upward zero crossing (or when the buffer is
 * full), and read back from the start `squiz` times as fast, uninterpolated: each fragment comes out
 * squeezed, then silence (or what an earlier, longer fragment left) until the next crossing. */
static void vfx_squiz(VoiceFx *fx, float *x, int ch, int n)
{
    VSquiz *q = &fx->sq[ch];
    float *buf = fx->sq_buf + (size_t)ch * (size_t)fx->sq_len;
    const int len = fx->sq_len;
    const float ratio = fx->squiz;
    int wpos = q->wpos, hw = q->hw;
    float rpos = q->rpos, prev = q->prev;
    for (int t = 0; t < n; t++) {
        int ri = (int)rpos;
        float out = 0;
        if (ri < len) {
            out = ri < hw ? buf[ri] : 0;
            rpos += ratio;
        }
        float cur = x[t];
        wpos++;
        if (wpos == len || (prev < 0 && cur >= 0)) wpos = 0, rpos = 0;
        buf[wpos] = cur;
        hw = wpos >= hw ? wpos + 1 : hw;
        prev = cur;
        x[t] = out;
    }
    q->wpos = wpos, q->hw = hw, q->rpos = rpos, q->prev = prev;
}

bool vfx_init(VoiceFx *fx, const VoiceStart *vs, double sr)
{
    memset(fx, 0, sizeof *fx);
    int vw = vfx_vowel_index(vs->vowel);
    if (vw >= 0) {
        /* dirt_vowel: five band-passes (unity peak, rq = bandwidth / freq / (0.1 + 0.4 r), level
           dB x (50 + 150 r)) summed, crossfaded with the dry signal by XFade2 at pan -0.5 + 1.5 r and
           level 0.25 (equal power: dry cos, wet sin of (pan + 1) pi / 4). r = resonance, 0.5 unless given. */
        double r = vs->vowel_res < 0 ? 0 : vs->vowel_res > 1 ? 1 : vs->vowel_res;
        double pos = (-0.5 + 1.5 * r + 1) * M_PI / 4;
        double wet = 0.25 * sin(pos);
        fx->vowel_dry = (float)(0.25 * cos(pos));
        for (int i = 0; i < 5; i++) {
            double f = vfx_formants[vw][0][i], bw = vfx_formants[vw][2][i];
            vsvf_init(&fx->vowel[i], f, bw / f / (0.1 + 0.4 * r), sr);
            fx->vowel_amp[i] = (float)(wet * pow(10.0, vfx_formants[vw][1][i] / 20.0) * (50 + 150 * r));
        }
        fx->flags |= VFX_VOWEL;
    }
    if (vs->shape != 0) {
        double s = vs->shape > 0.99f ? 0.99 : vs->shape < 0 ? 0 : vs->shape;
        fx->shape_k = (float)(2 * s / (1 - s));
        if (fx->shape_k > 0) fx->flags |= VFX_SHAPE;
    }
    if (vs->hcutoff > 0) {
        vsvf_init(&fx->hpf, vs->hcutoff, vfx_rq(vs->hresonance), sr);
        fx->flags |= VFX_HPF;
    }
    if (vs->bandf > 0) {
        double q = vs->bandq > 0 ? vs->bandq : 10;      /* SuperDirt's default bandq */
        vsvf_init(&fx->bpf, vs->bandf, 1.0 / q, sr);
        /* SuperDirt: BPF(rq = 1/bandq) * max(bandq, 1); the SVF's band output is the unity-peak
           band-pass divided by k = rq, so the product is band * max(bandq, 1) * rq */
        fx->bpf_gain = (float)((q > 1 ? q : 1) * fx->bpf.k);
        fx->flags |= VFX_BPF;
    }
    if (vs->crush > 0) {
        double c = vs->crush < 1 ? 1 : vs->crush;
        fx->crush_step = (float)pow(0.5, c - 1);
        fx->crush_inv = 1.0f / fx->crush_step;
        fx->flags |= VFX_CRUSH;
    }
    if (vs->coarse > 1) {
        fx->coarse = vs->coarse;
        fx->flags |= VFX_COARSE;
    }
    if (vs->cutoff > 0) {
        vsvf_init(&fx->lpf, vs->cutoff, vfx_rq(vs->resonance), sr);
        fx->flags |= VFX_LPF;
    }
    if (vs->djf > 0) {
        /* dj-filter: RHPF(RLPF(x, lp), hp), rq 1 both; lp = djf.linexp(0, 0.5, 20, 10000) and
           hp = djf.linexp(0.5, 1, 20, 10000), each clipped to its end outside its half, as SuperDirt
           runs them (a djf of 0.5 still rolls off above 10 kHz) */
        double d = vs->djf;
        double lp = d >= 0.5 ? 10000 : 20 * pow(500.0, d / 0.5);
        double hp = d <= 0.5 ? 20 : 20 * pow(500.0, (d - 0.5) / 0.5);
        vsvf_init(&fx->djf_lp, lp, 1, sr);
        vsvf_init(&fx->djf_hp, hp, 1, sr);
        fx->flags |= VFX_DJF_LP | VFX_DJF_HP;
    }
    fx->sq_block = fx->les_block = -1;
    if (vs->squiz > 1) {
        /* Squiz clips its ratio to 1 .. memlen frames; at 1 it is a one-frame delay, so <= 1 is off */
        double cap = VFX_SQUIZ_SECONDS * sr;
        fx->squiz = (float)(vs->squiz < cap ? vs->squiz : cap);
        fx->flags |= VFX_SQUIZ;
    }
    if (vs->leslie > 0) vfx_leslie_init(fx, vs, sr);
    return fx->flags != 0;
}

int vfx_tail(const VoiceFx *fx, double sr)
{
    if (!(fx->flags & VFX_LESLIE)) return 0;
    /* the high band's delay, then the crossover's ringing (its time constant is 0.3 ms) */
    return (int)ceil(fx->les_size / 343.0 * sr) + 4 + (int)ceil(0.003 * sr);
}

static void vfx_vowel(VoiceFx *fx, float *x, int ch, int n)
{
    for (int t = 0; t < n; t++) {
        float in = x[t], out = fx->vowel_dry * in, low;
        for (int i = 0; i < 5; i++) {
            VSvf *f = &fx->vowel[i];
            out += fx->vowel_amp[i] * f->k * vsvf_tick(f, ch, in, &low);
        }
        x[t] = out;
    }
}

/* Latch every coarse-th frame (fractional factors allowed). The phase advances once per block for
 * all channels together, so a stereo voice holds both channels at the same frames. */
static void vfx_coarse(VoiceFx *fx, float *x, int ch, int n)
{
    float phase = fx->coarse_phase, held = fx->coarse_held[ch];
    for (int t = 0; t < n; t++) {
        if (phase <= 0) {
            held = x[t];
            phase += fx->coarse;
        }
        phase -= 1;
        x[t] = held;
    }
    fx->coarse_held[ch] = held;
}

void vfx_tick_coarse(VoiceFx *fx, int n)
{
    if (!(fx->flags & VFX_COARSE)) return;
    float phase = fx->coarse_phase;
    for (int t = 0; t < n; t++) {
        if (phase <= 0) phase += fx->coarse;
        phase -= 1;
    }
    fx->coarse_phase = phase;
}

void vfx_run(VoiceFx *fx, float *x, int ch, int n)
{
    unsigned f = fx->flags;
    float low;
    if (f & VFX_VOWEL) vfx_vowel(fx, x, ch, n);
    if (f & VFX_SHAPE) {
        float k = fx->shape_k;
        for (int t = 0; t < n; t++) x[t] = (1 + k) * x[t] / (1 + k * fabsf(x[t]));
    }
    if (f & VFX_HPF) {
        VSvf *h = &fx->hpf;
        for (int t = 0; t < n; t++) {
            float band = vsvf_tick(h, ch, x[t], &low);
            x[t] = x[t] - h->k * band - low;
        }
    }
    if (f & VFX_BPF) {
        for (int t = 0; t < n; t++) x[t] = fx->bpf_gain * vsvf_tick(&fx->bpf, ch, x[t], &low);
    }
    if (f & VFX_CRUSH) {
        float step = fx->crush_step, inv = fx->crush_inv;
        for (int t = 0; t < n; t++) x[t] = roundf(x[t] * inv) * step;
    }
    if (f & VFX_COARSE) vfx_coarse(fx, x, ch, n);
    if (f & VFX_LPF) {
        for (int t = 0; t < n; t++) {
            vsvf_tick(&fx->lpf, ch, x[t], &low);
            x[t] = low;
        }
    }
    if (f & VFX_SQUIZ) vfx_squiz(fx, x, ch, n);
    if (f & VFX_DJF_LP) {
        for (int t = 0; t < n; t++) {
            vsvf_tick(&fx->djf_lp, ch, x[t], &low);
            x[t] = low;
        }
    }
    if (f & VFX_DJF_HP) {
        VSvf *h = &fx->djf_hp;
        for (int t = 0; t < n; t++) {
            float band = vsvf_tick(h, ch, x[t], &low);
            x[t] = x[t] - h->k * band - low;
        }
    }
}

/* ---- the pool of squiz and leslie buffers --------------------------------------------------- */

bool vfx_mem_init(VfxMem *m, double sr, int max_block)
{
    memset(m, 0, sizeof *m);
    /* the events' frames: a pool kept through a change of format can be given longer blocks than it was
       made for (the engine's are at most 512 frames) */
    m->max_block = max_block > 4096 ? max_block : 4096;
    m->les_words = (m->max_block + 63) / 64;
    m->les_sr = sr;
    for (int k = 0; k < VLES_ROTORS; k++) {
        double b = exp(log(0.001) / (vles_lag[k] * sr));
        for (int j = 0; j <= VFX_LES_SEG; j++) m->les_pow[k][j] = pow(b, j);
    }
    m->sq_len = (int)(VFX_SQUIZ_SECONDS * sr);
    if (m->sq_len < 2) m->sq_len = 2;
    m->les_len = 16;
    while (m->les_len < VFX_LESLIE_MAX_DELAY * sr + 8) m->les_len *= 2;
    /* voice_alloc touches every page now: the audio thread never takes a page fault on first use */
    m->sq = voice_alloc((size_t)VFX_SQUIZ_VOICES * 2 * (size_t)m->sq_len * sizeof(float));
    m->les = voice_alloc((size_t)VFX_LESLIE_VOICES * 2 * (size_t)m->les_len * sizeof(float));
    m->sq_free = voice_alloc(VFX_SQUIZ_VOICES * sizeof(int));
    m->les_free = voice_alloc(VFX_LESLIE_VOICES * sizeof(int));
    m->les_rot = voice_alloc((size_t)ORBIT_COUNT * VOICE_PIECE * 4 * sizeof(float));
    m->les_chg = voice_alloc((size_t)ORBIT_COUNT * (size_t)m->max_block * sizeof(float));
    m->les_bits = voice_alloc((size_t)ORBIT_COUNT * (size_t)m->les_words * sizeof(uint64_t));
    if (!m->sq || !m->les || !m->sq_free || !m->les_free || !m->les_rot || !m->les_chg || !m->les_bits) {
        vfx_mem_free(m);
        return false;
    }
    for (int i = 0; i < VFX_SQUIZ_VOICES; i++) m->sq_free[i] = VFX_SQUIZ_VOICES - 1 - i;
    for (int i = 0; i < VFX_LESLIE_VOICES; i++) m->les_free[i] = VFX_LESLIE_VOICES - 1 - i;
    m->nsq_free = VFX_SQUIZ_VOICES;
    m->nles_free = VFX_LESLIE_VOICES;
    return true;
}

void vfx_mem_free(VfxMem *m)
{
    free(m->sq);
    free(m->les);
    free(m->sq_free);
    free(m->les_free);
    free(m->les_rot);
    free(m->les_chg);
    free(m->les_bits);
    memset(m, 0, sizeof *m);
}

bool vfx_attach(VfxMem *m, VoiceFx *fx)
{
    bool all = true;
    if (fx->flags & VFX_SQUIZ) {
        if (m->nsq_free > 0) {
            fx->sq_block = m->sq_free[--m->nsq_free];
            fx->sq_buf = m->sq + (size_t)fx->sq_block * 2 * (size_t)m->sq_len;
            fx->sq_len = m->sq_len;
            /* frames at or above hw read as 0, so only the first needs clearing */
            fx->sq_buf[0] = fx->sq_buf[m->sq_len] = 0;
            fx->sq[0].hw = fx->sq[1].hw = 1;
        } else {
            fx->flags &= ~(unsigned)VFX_SQUIZ;
            all = false;
        }
    }
    if (fx->flags & VFX_LESLIE) {
        if (m->nles_free > 0) {
            fx->les_block = m->les_free[--m->nles_free];
            fx->les_buf = m->les + (size_t)fx->les_block * 2 * (size_t)m->les_len;
            fx->les_len_mask = m->les_len - 1;
            memset(fx->les_buf, 0, sizeof(float) * 2 * (size_t)m->les_len);
            fx->les_rot = m->les_rot + (size_t)fx->les_orbit * VOICE_PIECE * 4;
            fx->les_clock = &m->les_frame;
            m->les_orb[fx->les_orbit].voices++;
        } else {
            fx->flags &= ~(unsigned)VFX_LESLIE;
            all = false;
        }
    }
    return all;
}

void vfx_release(VfxMem *m, VoiceFx *fx)
{
    if (fx->sq_block >= 0) m->sq_free[m->nsq_free++] = fx->sq_block;
    if (fx->les_block >= 0) {
        m->les_free[m->nles_free++] = fx->les_block;
        m->les_orb[fx->les_orbit].voices--;
    }
    fx->sq_block = fx->les_block = -1;
    fx->flags &= ~(unsigned)(VFX_SQUIZ | VFX_LESLIE);
}
