/* voice_fx.c — the per-voice effects of SuperDirt, in its order: vowel, shape, hpf, bpf, crush, coarse, lpf,
 * then djf (an extra module, after the core ones). Each follows the mathematics of SuperDirt's SynthDef
 * (synths/core-synths.scd, library/default-effects-extra.scd); docs/DSP.md has the figures.
 * Only effects that are set run; coefficients are fixed when the voice starts. Audio path: no allocation. */
#include "voice_impl.h"

#include <math.h>
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
    return fx->flags != 0;
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
