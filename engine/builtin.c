/* builtin.c — the built-in synthesised sounds.
 *
 * Every sound is a "hit": a few layers with exponential envelopes (a pitched sine body, filtered
 * noise, a cluster of square waves for metal, a beater click, a plucked harmonic tone), summed,
 * then saturated, cleared of DC, faded at both ends and normalised to one peak level. Each name is
 * a small design function that turns the variant number n into layer settings; the variants
 * themselves are tables of numbers, so they are easy to retune. Noise comes from a generator
 * seeded by name and variant: the same call gives the same bits every time. */

#include "builtin.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define BUILTIN_PEAK 0.85
#define BUILTIN_MAX_SECONDS 3.0
#define BUILTIN_MIN_SECONDS 0.03
#define TAIL_TAUS 4.6               /* e^-4.6: a layer is 40 dB down; the fade-out does the rest */
#define TWO_PI 6.283185307179586

typedef struct Hit {
    /* body: a sine falling from f0 to f1 Hz (time constant sweep, s), decaying with time constant decay */
    double body, f0, f1, sweep, decay;
    double body2, ratio2, decay2;       /* a second mode at ratio2 times the body's pitch */
    /* noise: white noise through a high-pass, a low-pass and a band-pass (0 Hz: that filter is off) */
    double noise, noise_hp, noise_lp, noise_bp, noise_q, noise_decay;
    int bursts;                         /* claps: the noise starts as this many short bursts ... */
    double burst_gap;                   /* ... this far apart (s); a softer tail follows the last */
    /* metal: square waves at metal_base times ratios[], high-passed (and band-passed when metal_bp) */
    double metal, metal_base, metal_hp, metal_bp, metal_decay;
    double metal_tail;                  /* a slower, quieter ring after the first decay (0: none) */
    const double *ratios;
    int nratios;
    double click;                       /* a 2 ms high-passed noise tick: the beater */
    /* pluck: the harmonics of pluck_f, the higher ones dying sooner */
    double pluck, pluck_f, pluck_decay;
    double drive;                       /* tanh saturation; 0 is clean */
    double length;                      /* seconds; 0: until the slowest layer is 40 dB down */
} Hit;

/* The six square oscillators of the TR-808 cymbal and hats, as ratios of the lowest (205.3 Hz). */
static const double ratios_808[] = { 1.0, 1.4827, 1.8003, 2.5460, 2.6303, 3.8967 };
/* The cowbell's two squares (540 and 800 Hz on the 808). */
static const double ratios_bell[] = { 1.0, 1.4815 };
/* TR-808 knob settings used by the Dirt-Samples file names (00 10 25 50 75). */
static const double knob_808[] = { 0.0, 0.10, 0.25, 0.50, 0.75 };

/* ---- building blocks ------------------------------------------------------------------------ */

static double noise_next(uint32_t *s)
{
    uint32_t x = *s;    /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return (double)(int32_t)x * (1.0 / 2147483648.0);
}

typedef struct Biquad { double b0, b1, b2, a1, a2, z1, z2; } Biquad;
enum { BQ_LP, BQ_HP, BQ_BP };

/* The usual second-order sections; freq <= 0 gives a wire. */
static void biquad_set(Biquad *f, int type, double freq, double q, double sr)
{
    memset(f, 0, sizeof *f);
    if (freq <= 0) {
        f->b0 = 1;
        return;
    }
    freq = fmin(fmax(freq, 10.0), 0.45 * sr);
    double w = TWO_PI * freq / sr, c = cos(w), alpha = sin(w) / (2 * q), a0 = 1 + alpha;
    if (type == BQ_LP) {
        f->b0 = f->b2 = (1 - c) / 2 / a0;
        f->b1 = (1 - c) / a0;
    } else if (type == BQ_HP) {
        f->b0 = f->b2 = (1 + c) / 2 / a0;
        f->b1 = -(1 + c) / a0;
    } else {
        f->b0 = alpha / a0;
        f->b1 = 0;
        f->b2 = -alpha / a0;
    }
    f->a1 = -2 * c / a0;
    f->a2 = (1 - alpha) / a0;
}

static double biquad_run(Biquad *f, double x)
{
    double y = f->b0 * x + f->z1;
    f->z1 = f->b1 * x - f->a1 * y + f->z2;
    f->z2 = f->b2 * x - f->a2 * y;
    return y;
}

/* PolyBLEP: smooths a square's edges so the metal layer does not alias into the low range. */
static double blep(double t, double dt)
{
    if (t < dt) {
        t /= dt;
        return t + t - t * t - 1;
    }
    if (t > 1 - dt) {
        t = (t - 1) / dt;
        return t * t + t + t + 1;
    }
    return 0;
}

/* ---- layers ------------------------------------------------------------------------------------ */

static void layer_body(const Hit *h, double sr, float *out, int n)
{
    double phase = 0;
    for (int i = 0; i < n; i++) {
        double t = i / sr;
        double f = h->sweep > 0 ? h->f1 + (h->f0 - h->f1) * exp(-t / h->sweep) : h->f1;
        double y = h->body * exp(-t / h->decay) * sin(phase);
        if (h->body2 != 0)
            y += h->body2 * exp(-t / h->decay2) * sin(phase * h->ratio2);
        out[i] += (float)y;
        phase += TWO_PI * f / sr;
    }
}

static void layer_noise(const Hit *h, double sr, uint32_t *rng, float *out, int n)
{
    Biquad hp, lp, bp;
    biquad_set(&hp, BQ_HP, h->noise_hp, 0.707, sr);
    biquad_set(&lp, BQ_LP, h->noise_lp, 0.707, sr);
    biquad_set(&bp, BQ_BP, h->noise_bp, h->noise_q > 0 ? h->noise_q : 1, sr);
    double tail = h->bursts > 1 ? (h->bursts - 1) * h->burst_gap : 0;
    for (int i = 0; i < n; i++) {
        double t = i / sr;
        double env = t < tail ? exp(-fmod(t, h->burst_gap) / 0.004)
                 : h->bursts > 1 ? 0.5 * exp(-(t - tail) / 0.004) + 0.5 * exp(-(t - tail) / h->noise_decay)
                                 : exp(-(t - tail) / h->noise_decay);
        double x = biquad_run(&bp, biquad_run(&lp, biquad_run(&hp, noise_next(rng))));
        out[i] += (float)(h->noise * env * x);
    }
}

static void layer_metal(const Hit *h, double sr, uint32_t *rng, float *out, int n)
{
    double phase[8], dt[8];
    int k, nr = h->nratios < 8 ? h->nratios : 8;
    for (k = 0; k < nr; k++) {
        phase[k] = 0.5 * (noise_next(rng) + 1);    /* seeded phases: the squares do not all jump at t = 0 */
        dt[k] = fmin(h->metal_base * h->ratios[k] / sr, 0.45);
    }
    Biquad hp1, hp2, bp;
    biquad_set(&hp1, BQ_HP, h->metal_hp, 0.707, sr);
    biquad_set(&hp2, BQ_HP, h->metal_hp, 0.707, sr);
    biquad_set(&bp, BQ_BP, h->metal_bp, 0.8, sr);
    for (int i = 0; i < n; i++) {
        double t = i / sr, x = 0;
        for (k = 0; k < nr; k++) {
            double p = phase[k];
            x += (p < 0.5 ? 1 : -1) + blep(p, dt[k]) - blep(fmod(p + 0.5, 1.0), dt[k]);
            p += dt[k];
            phase[k] = p >= 1 ? p - 1 : p;
        }
        x = biquad_run(&bp, biquad_run(&hp2, biquad_run(&hp1, x / nr)));
        double env = h->metal_tail > 0 ? 0.7 * exp(-t / h->metal_decay) + 0.3 * exp(-t / h->metal_tail)
                                       : exp(-t / h->metal_decay);
        out[i] += (float)(h->metal * env * x);
    }
}

static void layer_click(const Hit *h, double sr, uint32_t *rng, float *out, int n)
{
    Biquad hp, lp;
    biquad_set(&hp, BQ_HP, 2500, 0.707, sr);
    biquad_set(&lp, BQ_LP, 12000, 0.707, sr);
    int len = (int)(0.008 * sr);
    for (int i = 0; i < len && i < n; i++) {
        double x = biquad_run(&lp, biquad_run(&hp, noise_next(rng)));
        out[i] += (float)(h->click * exp(-i / sr / 0.0008) * x);
    }
}

static void layer_pluck(const Hit *h, double sr, float *out, int n)
{
    for (int k = 1; k <= 24 && k * h->pluck_f < 0.4 * sr; k++) {
        double amp = h->pluck / pow(k, 1.2), tau = h->pluck_decay / (1 + 0.7 * (k - 1));
        double w = TWO_PI * k * h->pluck_f / sr;
        for (int i = 0; i < n; i++)
            out[i] += (float)(amp * exp(-i / sr / tau) * sin(w * i));
    }
}

/* ---- finishing ---------------------------------------------------------------------------------- */

static float peak_of(const float *x, int n)
{
    float p = 0;
    for (int i = 0; i < n; i++)
        p = fmaxf(p, fabsf(x[i]));
    return p;
}

static void scale_to(float *x, int n, double peak)
{
    float p = peak_of(x, n);
    if (p <= 0)
        return;
    double g = peak / p;
    for (int i = 0; i < n; i++)
        x[i] = (float)(x[i] * g);
}

/* A one-pole high-pass near 10 Hz: pitch-swept bodies start with a lopsided half cycle. */
static void dc_block(float *x, int n, double sr)
{
    double r = exp(-TWO_PI * 10.0 / sr), x1 = 0, y1 = 0;
    for (int i = 0; i < n; i++) {
        double y = x[i] - x1 + r * y1;
        x1 = x[i];
        y1 = y;
        x[i] = (float)y;
    }
}

/* Raised-cosine fades: 1 ms in, the last 15% (2..80 ms) out, so no voice starts or ends with a step. */
static void fade_ends(float *x, int n, double sr)
{
    int in = (int)(0.001 * sr), out = (int)fmin(fmax(0.15 * n, 0.002 * sr), 0.08 * sr);
    if (in > n / 4) in = n / 4;
    if (out > n / 2) out = n / 2;
    for (int i = 0; i < in; i++)
        x[i] = (float)(x[i] * 0.5 * (1 - cos(M_PI * i / in)));
    for (int i = 0; i < out; i++)
        x[n - 1 - i] = (float)(x[n - 1 - i] * 0.5 * (1 - cos(M_PI * i / out)));
}

static void hit_finish(const Hit *h, double sr, float *out, int n)
{
    if (h->drive > 0) {
        scale_to(out, n, 1.0);
        double norm = tanh(h->drive);
        for (int i = 0; i < n; i++)
            out[i] = (float)(tanh(h->drive * out[i]) / norm);
    }
    dc_block(out, n, sr);
    fade_ends(out, n, sr);
    scale_to(out, n, BUILTIN_PEAK);
}

static double hit_seconds(const Hit *h)
{
    if (h->length > 0)
        return fmin(h->length, BUILTIN_MAX_SECONDS);
    double t = BUILTIN_MIN_SECONDS;
    if (h->body != 0) t = fmax(t, TAIL_TAUS * h->decay);
    if (h->body2 != 0) t = fmax(t, TAIL_TAUS * h->decay2);
    if (h->noise != 0) t = fmax(t, (h->bursts > 1 ? (h->bursts - 1) * h->burst_gap : 0) + TAIL_TAUS * h->noise_decay);
    if (h->metal != 0) t = fmax(t, TAIL_TAUS * fmax(h->metal_decay, h->metal_tail));
    if (h->pluck != 0) t = fmax(t, TAIL_TAUS * h->pluck_decay);
    return fmin(t, BUILTIN_MAX_SECONDS);
}

static int hit_frames(const Hit *h, double sr)
{
    long n = lround(hit_seconds(h) * sr);
    return n < 16 ? 16 : (int)n;
}

static void hit_render(const Hit *h, double sr, uint32_t seed, float *out, int n)
{
    uint32_t rng = seed ? seed : 0x9e3779b9u;
    memset(out, 0, sizeof(float) * (size_t)n);
    if (h->body != 0 || h->body2 != 0) layer_body(h, sr, out, n);
    if (h->noise != 0) layer_noise(h, sr, &rng, out, n);
    if (h->metal != 0) layer_metal(h, sr, &rng, out, n);
    if (h->click != 0) layer_click(h, sr, &rng, out, n);
    if (h->pluck != 0) layer_pluck(h, sr, out, n);
    hit_finish(h, sr, out, n);
}

/* ---- designs: one per name; v is already wrapped into 0..variants-1 -------------------------------- */

static void kick(Hit *h, double f_end, double f_start, double sweep, double decay, double click)
{
    h->body = 1;
    h->f1 = f_end;
    h->f0 = f_start;
    h->sweep = sweep;
    h->decay = decay;
    h->click = click;
}

static void snare(Hit *h, double tone, double decay, double overtone, double noise, double noise_decay,
                  double hp, double lp)
{
    h->body = 1;
    h->f1 = tone;
    h->f0 = tone * 1.3;
    h->sweep = 0.012;
    h->decay = decay;
    h->body2 = overtone;
    h->ratio2 = 1.78;
    h->decay2 = decay * 0.7;
    h->noise = noise;
    h->noise_hp = hp;
    h->noise_lp = lp;
    h->noise_decay = noise_decay;
}

/* Hats: the square cluster plus a little noise, both high-passed. */
static void hat(Hit *h, double base, double decay, double noise)
{
    h->metal = 1;
    h->metal_base = base;
    h->metal_hp = 7000;
    h->metal_decay = decay;
    h->ratios = ratios_808;
    h->nratios = 6;
    h->noise = noise;
    h->noise_hp = 7000;
    h->noise_decay = decay;
}

static void tom(Hit *h, double pitch, double bend, double decay, double stick)
{
    h->body = 1;
    h->f1 = pitch;
    h->f0 = pitch * bend;
    h->sweep = 0.06;
    h->decay = decay;
    h->noise = stick;
    h->noise_hp = 400;
    h->noise_lp = 3500;
    h->noise_decay = 0.03;
    h->click = stick;
}

static void clap(Hit *h, double centre, double q, double gap, int bursts, double tail)
{
    h->noise = 1;
    h->noise_hp = 500;
    h->noise_bp = centre;
    h->noise_q = q;
    h->bursts = bursts;
    h->burst_gap = gap;
    h->noise_decay = tail;
}

static void cowbell(Hit *h, double base)
{
    h->metal = 1;
    h->metal_base = base;
    h->metal_hp = 450;
    h->metal_bp = 2600;
    h->metal_decay = 0.02;
    h->metal_tail = 0.15;
    h->ratios = ratios_bell;
    h->nratios = 2;
}

static void rim(Hit *h, double pitch)
{
    h->body = 0.8;
    h->f1 = pitch;
    h->f0 = pitch * 1.1;
    h->sweep = 0.004;
    h->decay = 0.010;
    h->body2 = 0.5;
    h->ratio2 = 3.7;
    h->decay2 = 0.006;
    h->noise = 0.5;
    h->noise_hp = 2500;
    h->noise_decay = 0.008;
    h->click = 0.4;
    h->length = 0.08;
}

static void cymbal(Hit *h, double base, double hp, double decay)
{
    h->metal = 1;
    h->metal_base = base;
    h->metal_hp = hp;
    h->metal_decay = decay;
    h->ratios = ratios_808;
    h->nratios = 6;
    h->noise = 0.6;
    h->noise_hp = hp;
    h->noise_lp = 15000;
    h->noise_decay = decay * 0.8;
}

/* end Hz, start Hz, sweep s, decay s, click, drive */
static const double bd_rows[][6] = {
    { 50, 150, .030, .110, .50, 0 },
    { 45, 140, .040, .150, .35, 0 },
    { 55, 170, .025, .090, .60, 0 },
    { 42, 130, .045, .190, .30, 1.0 },
    { 60, 190, .020, .070, .70, 0 },
    { 48, 160, .035, .130, .40, 2.0 },
    { 52, 120, .050, .160, .25, 0 },
    { 40, 150, .030, .220, .35, 0.6 },
};
static void design_bd(Hit *h, int v)
{
    const double *r = bd_rows[v];
    kick(h, r[0], r[1], r[2], r[3], r[4]);
    h->drive = r[5];
}

/* TR-808 kick as in the Dirt-Samples 808bd folder: n = tone knob * 5 + decay knob (5 settings each).
 * A near-pure sine with a short pitch drop; tone adds the beater click. */
static void design_808bd(Hit *h, int v)
{
    double tone = knob_808[v / 5], decay = knob_808[v % 5];
    kick(h, 49 + 4 * tone, 110 + 40 * tone, 0.018, 0.12 + 0.6 * decay, 0.05 + 0.5 * tone);
}

/* tone Hz, tone decay, overtone, noise, noise decay, noise high-pass, noise low-pass */
static const double sn_rows[][7] = {
    { 185, .050, .5, .9, .110, 1200, 9000 },
    { 175, .060, .4, 1.0, .140, 1000, 8000 },
    { 200, .045, .6, .8, .090, 1500, 10000 },
    { 190, .070, .5, 1.1, .180, 800, 7000 },
    { 220, .040, .3, .7, .080, 2000, 12000 },
    { 165, .080, .6, .9, .160, 900, 6000 },
    { 180, .050, .5, 1.2, .120, 1800, 11000 },
    { 210, .035, .4, .8, .200, 1200, 9000 },
};
static void design_sn(Hit *h, int v)
{
    const double *r = sn_rows[v];
    snare(h, r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
}

/* A tighter, brighter electronic snare: band-passed noise over a higher tone. */
static const double sd_rows[][4] = {   /* tone Hz, noise band Hz, noise decay, tone decay */
    { 235, 5000, .070, .035 },
    { 250, 4000, .090, .030 },
    { 220, 6000, .060, .045 },
    { 265, 3500, .110, .030 },
};
static void design_sd(Hit *h, int v)
{
    const double *r = sd_rows[v];
    snare(h, r[0], r[3], 0.3, 1.2, r[2], 0, 0);
    h->noise_bp = r[1];
    h->noise_q = 0.7;
}

/* TR-808 snare, n = tone knob * 5 + snappy knob: tone moves weight from the 238 Hz to the 476 Hz
 * oscillator, snappy adds noise. */
static void design_808sd(Hit *h, int v)
{
    double tone = knob_808[v / 5], snappy = knob_808[v % 5];
    snare(h, 238, 0.06, 0.4 + 0.8 * tone, 0.3 + 1.0 * snappy, 0.10 + 0.1 * snappy, 1800, 11000);
    h->body = 1 - 0.5 * tone;
    h->ratio2 = 2.0;
    h->decay2 = 0.04;
}

static const double hh_rows[][2] = {   /* cluster base Hz, decay s */
    { 330, .040 }, { 360, .050 }, { 400, .035 }, { 300, .060 },
    { 420, .030 }, { 380, .045 }, { 350, .055 }, { 440, .040 },
};
static void design_hh(Hit *h, int v) { hat(h, hh_rows[v][0], hh_rows[v][1], 0.6); }
static void design_hc(Hit *h, int v) { hat(h, 360 + 25 * v, 0.025 + 0.005 * v, 0.4); }

static const double oh_rows[][2] = {
    { 330, .25 }, { 360, .32 }, { 400, .20 }, { 300, .40 }, { 420, .18 }, { 380, .28 },
};
static void design_oh(Hit *h, int v) { hat(h, oh_rows[v][0], oh_rows[v][1], 0.6); }

/* centre Hz, q, gap s, bursts, tail s */
static const double cp_rows[][5] = {
    { 1200, 1.6, .010, 4, .13 }, { 1100, 1.4, .012, 3, .16 }, { 1400, 1.8, .009, 4, .11 },
    { 1000, 1.3, .011, 4, .20 }, { 1300, 2.0, .008, 3, .09 }, { 1250, 1.5, .013, 5, .15 },
};
static void design_cp(Hit *h, int v)
{
    const double *r = cp_rows[v];
    clap(h, r[0], r[1], r[2], (int)r[3], r[4]);
}

/* Toms walk up in pitch with n. */
static void design_lt(Hit *h, int v) { tom(h, 70 + 6.5 * v, 1.35, 0.20 - 0.01 * v, 0.25); }
static void design_mt(Hit *h, int v) { tom(h, 110 + 9 * v, 1.35, 0.17 - 0.01 * v, 0.25); }
static void design_ht(Hit *h, int v) { tom(h, 165 + 12.5 * v, 1.35, 0.14 - 0.008 * v, 0.25); }

/* TR-808 toms and congas: n is the tuning knob (Dirt's 00 10 25 50 75). */
static double tuned(double pitch, int v) { return pitch * (1 + 0.45 * knob_808[v]); }
static void tom808(Hit *h, double pitch, double decay)
{
    tom(h, pitch, 1.12, decay, 0.06);
    h->sweep = 0.04;
    h->click = 0.03;
}
static void design_808lt(Hit *h, int v) { tom808(h, tuned(82, v), 0.17); }
static void design_808mt(Hit *h, int v) { tom808(h, tuned(122, v), 0.15); }
static void design_808ht(Hit *h, int v) { tom808(h, tuned(165, v), 0.13); }
static void conga808(Hit *h, double pitch)
{
    kick(h, pitch, pitch * 1.05, 0.02, 0.07, 0.04);
}
static void design_808lc(Hit *h, int v) { conga808(h, tuned(170, v)); }
static void design_808mc(Hit *h, int v) { conga808(h, tuned(250, v)); }
static void design_808hc(Hit *h, int v) { conga808(h, tuned(340, v)); }

/* TR-808 open hat, n is the decay knob. */
static void design_808oh(Hit *h, int v)
{
    hat(h, 205.3, 0.12 + 0.35 * knob_808[v], 0.15);
    h->metal_bp = 10000;
}

/* TR-808 cymbal, n = tone knob * 5 + decay knob: tone brightens (higher high-pass), decay lengthens. */
static void design_808cy(Hit *h, int v)
{
    double tone = knob_808[v / 5], decay = knob_808[v % 5];
    cymbal(h, 205.3, 3500 + 4000 * tone, 0.25 + 0.8 * decay);
    h->noise = 0.2;
}

static void design_cb(Hit *h, int v)
{
    static const double base[] = { 540, 560, 587, 520 };
    cowbell(h, base[v]);
}

static void design_rs(Hit *h, int v)
{
    static const double pitch[] = { 455, 480, 420, 520 };
    rim(h, pitch[v]);
}

static void design_cr(Hit *h, int v)
{
    static const double row[][2] = { { 420, .45 }, { 460, .60 }, { 380, .35 }, { 500, .80 } };
    cymbal(h, row[v][0], 5000, row[v][1]);
}

/* Plucked tones walking up a major scale from middle C. */
static void design_arpy(Hit *h, int v)
{
    static const int step[] = { 0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17 };
    h->pluck = 1;
    h->pluck_f = 261.6256 * pow(2, step[v] / 12.0);
    h->pluck_decay = 0.06;
}

/* The TR-808 odds and ends of Dirt's 808 folder, in its file order: CB CH CL CP MA RS. */
static void design_808(Hit *h, int v)
{
    switch (v) {
    case 0: cowbell(h, 540); break;
    case 1: hat(h, 205.3, 0.035, 0.15); h->metal_bp = 10000; break;
    case 2: kick(h, 2500, 2500, 0, 0.018, 0); break;                    /* clave */
    case 3: clap(h, 1150, 1.5, 0.010, 4, 0.12); break;
    case 4: h->noise = 1; h->noise_hp = 5000; h->noise_decay = 0.025; break;  /* maracas */
    default: rim(h, 455); break;
    }
}

/* A small kit, like Dirt's drum folder: kick, snare, hat, low tom, high tom, rim. */
static void design_drum(Hit *h, int v)
{
    switch (v) {
    case 0: design_bd(h, 1); break;
    case 1: design_sn(h, 0); break;
    case 2: design_hh(h, 0); break;
    case 3: design_lt(h, 2); break;
    case 4: design_ht(h, 2); break;
    default: rim(h, 480); break;
    }
}

typedef struct Builtin {
    const char *name;
    int variants;
    void (*design)(Hit *h, int v);
    const char *about;
} Builtin;

/* The table docs/SAMPLES.md describes; keep them in step. */
static const Builtin builtins[] = {
    { "bd", 8, design_bd, "kick: a sine falling to 40-60 Hz with a click; n: pitch, decay and drive" },
    { "sn", 8, design_sn, "snare: a 165-220 Hz tone plus noise; n: tuning, tone/noise balance, decay" },
    { "sd", 4, design_sd, "tight electronic snare: 220-265 Hz plus band-passed noise; n: tuning and noise band" },
    { "hh", 8, design_hh, "closed hi-hat: metallic squares and noise above 7 kHz; n: colour and length" },
    { "hc", 4, design_hc, "closed hi-hat, tighter; n: colour and length" },
    { "oh", 6, design_oh, "open hi-hat; n: colour and length (0.2-0.4 s time constant)" },
    { "ho", 6, design_oh, "open hi-hat (same as oh)" },
    { "cp", 6, design_cp, "clap: 3-5 noise bursts through a 1-1.4 kHz band-pass and a tail; n: spacing, colour, tail" },
    { "lt", 6, design_lt, "low tom, 70-102 Hz; n walks up in pitch" },
    { "mt", 6, design_mt, "mid tom, 110-155 Hz; n walks up in pitch" },
    { "ht", 6, design_ht, "high tom, 165-228 Hz; n walks up in pitch" },
    { "cb", 4, design_cb, "cowbell: two squares near 540 and 800 Hz; n: tuning" },
    { "rs", 4, design_rs, "rimshot: a short knock near 450 Hz; n: tuning" },
    { "cr", 4, design_cr, "crash cymbal; n: colour and length" },
    { "arpy", 11, design_arpy, "plucked tone; n walks up the C major scale from middle C (0..10)" },
    { "drum", 6, design_drum, "a small kit: kick, snare, hat, low tom, high tom, rim" },
    { "808", 6, design_808, "808 odds: cowbell, closed hat, clave, clap, maracas, rimshot" },
    { "808bd", 25, design_808bd, "808 kick; n = tone*5 + decay (five settings each, like Dirt's BD0000..BD7575)" },
    { "808sd", 25, design_808sd, "808 snare; n = tone*5 + snappy" },
    { "808cy", 25, design_808cy, "808 cymbal; n = tone*5 + decay" },
    { "808oh", 5, design_808oh, "808 open hat; n: decay" },
    { "808lt", 5, design_808lt, "808 low tom; n: tuning" },
    { "808mt", 5, design_808mt, "808 mid tom; n: tuning" },
    { "808ht", 5, design_808ht, "808 high tom; n: tuning" },
    { "808lc", 5, design_808lc, "808 low conga; n: tuning" },
    { "808mc", 5, design_808mc, "808 mid conga; n: tuning" },
    { "808hc", 5, design_808hc, "808 high conga (as in Dirt-Samples; the closed hat is 808:1); n: tuning" },
};

#define NBUILTINS ((int)(sizeof builtins / sizeof builtins[0]))

int builtin_count(void) { return NBUILTINS; }

const char *builtin_name(int sound)
{
    return sound >= 0 && sound < NBUILTINS ? builtins[sound].name : NULL;
}

int builtin_find(const char *name)
{
    for (int i = 0; i < NBUILTINS; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return i;
    return -1;
}

int builtin_variants(int sound)
{
    return sound >= 0 && sound < NBUILTINS ? builtins[sound].variants : 0;
}

const char *builtin_about(int sound)
{
    return sound >= 0 && sound < NBUILTINS ? builtins[sound].about : NULL;
}

static int wrap_variant(int sound, int v)
{
    int n = builtins[sound].variants;
    v %= n;
    return v < 0 ? v + n : v;
}

/* The design for a valid sound; an out-of-range sound designs silence (a 16-frame zero sample). */
static void design(int sound, int variant, Hit *h)
{
    memset(h, 0, sizeof *h);
    if (sound >= 0 && sound < NBUILTINS)
        builtins[sound].design(h, wrap_variant(sound, variant));
    else
        h->length = 1e-9;
}

static uint32_t seed_of(int sound, int variant)
{
    uint32_t s = 2166136261u;   /* FNV-1a over the name, so reordering the table keeps the sounds */
    for (const char *p = builtin_name(sound); p && *p; p++)
        s = (s ^ (uint8_t)*p) * 16777619u;
    return (s ^ (uint32_t)(wrap_variant(sound, variant) + 1) * 0x9e3779b9u) | 1u;
}

int builtin_frames(int sound, int variant, double sr)
{
    Hit h;
    design(sound, variant, &h);
    return hit_frames(&h, sr);
}

void builtin_render(int sound, int variant, double sr, float *out)
{
    Hit h;
    design(sound, variant, &h);
    if (sound < 0 || sound >= NBUILTINS) {
        memset(out, 0, sizeof(float) * (size_t)hit_frames(&h, sr));
        return;
    }
    hit_render(&h, sr, seed_of(sound, variant), out, hit_frames(&h, sr));
}
