/* test_sound_vowel.c — SuperDirt's per-voice effects as its SynthDefs compute them: vowel's response
 * (dirt_vowel: five band-passes with its levels and widths, crossfaded with the dry signal; resonance
 * narrows and raises the formants) and djf (dj-filter: RLPF then RHPF at linexp cutoffs), measured on
 * sine tones against the SynthDef's mathematics evaluated analytically. */
#include <complex.h>
#include <stdio.h>

#include "value.h"
#include "test.h"
#include "test_voice_util.h"

#define SR 44100.0

/* Counter-tenor 'a' (the Vowel class's table SuperDirt uses): Hz, dB, bandwidth Hz. */
static const double fa[5] = { 660, 1120, 2750, 3000, 3350 }, da[5] = { 0, -6, -23, -24, -38 },
                    ba[5] = { 80, 90, 120, 130, 140 };

/* dirt_vowel's gain at f for resonance r, from its code: BPF(rq = bw/f/(0.1 + 0.4r), mul = dBamp x
 * (50 + 150r)) summed, XFade2(dry, wet, -0.5 + 1.5r, 0.25); BPF as its analog prototype. */
static double dirt_vowel_gain(double f, double r)
{
    double pos = (-0.5 + 1.5 * r + 1) * M_PI / 4;
    double complex h = 0.25 * cos(pos);
    for (int i = 0; i < 5; i++) {
        double rq = ba[i] / fa[i] / (0.1 + 0.4 * r), x = f / fa[i];
        double complex bp = I * x * rq / (1 - x * x + I * x * rq);
        h += 0.25 * sin(pos) * pow(10, da[i] / 20) * (50 + 150 * r) * bp;
    }
    return cabs(h);
}

/* Gain of a voice playing a 0.01-amplitude sine at f through the effects set by fx(). */
static double measure(double f, void (*fx)(VoiceStart *, double), double arg)
{
    Sample s = tv_sine(44100, SR, f, 0.01);
    float *L = calloc(32768, sizeof(float)), *R = calloc(32768, sizeof(float));
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&s);
    fx(&v, arg);
    tv_play(&r, &v, 1, L, R, 32768);
    double g = tv_goertzel(L + 16384, 16384, f, SR) / 0.01;
    tv_rig_free(&r);
    tv_sample_free(&s);
    free(L), free(R);
    return g;
}

static void fx_vowel(VoiceStart *v, double r) { v->vowel = sym_intern("a"), v->vowel_res = (float)r; }
static void fx_djf(VoiceStart *v, double d) { v->djf = (float)d; }

static void test_vowel(void)
{
    static const double at[] = { 60, 330, 660, 900, 1120, 2000, 2750, 3350, 6000 };
    static const double res[] = { 0, 0.5, 1 };
    double worst = 0, worst6 = 0;
    for (int k = 0; k < 3; k++)
        for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
            double got = 20 * log10(measure(at[i], fx_vowel, res[k]));
            double want = 20 * log10(dirt_vowel_gain(at[i], res[k]));
            if (at[i] < 5000) worst = fmax(worst, fabs(got - want));
            else worst6 = fmax(worst6, fabs(got - want));
            printf("# vowel a, resonance %.1f, %5.0f Hz: %+6.2f dB (dirt_vowel %+6.2f)\n", res[k], at[i], got, want);
        }
    CHECK(worst < 0.25, "vowel a: the response at 60 Hz .. 3.35 kHz is dirt_vowel's within 0.25 dB (three resonances)",
          "worst %.2f dB", worst);
    /* at 6 kHz the formants' far skirts differ by the bilinear transform's squeeze (the analog prototype
       is the reference here; SC's BPF is bilinear too) */
    CHECK(worst6 < 1, "vowel a: at 6 kHz within 1 dB of the analog prototype", "worst %.2f dB", worst6);
    /* the dry path and the formants' skirts keep the bass (the old vowel removed it) */
    double dry = measure(60, fx_vowel, 0.5);
    CHECK(dry > 1.1 && dry < 1.25, "vowel a: 60 Hz passes at +1.4 dB, as dirt_vowel", "%.4f", dry);
    /* resonance raises and narrows the first formant: its peak over the level half an octave above */
    double q0 = measure(660, fx_vowel, 0) / measure(933, fx_vowel, 0);
    double q1 = measure(660, fx_vowel, 1) / measure(933, fx_vowel, 1);
    CHECK(q1 > 2 * q0, "vowel a: resonance 1 gives a sharper first formant than 0", "peak/shoulder %.2f vs %.2f", q1, q0);
}

/* dj-filter: RLPF at djf.linexp(0, 0.5, 20, 10000), then RHPF at djf.linexp(0.5, 1, 20, 10000), rq 1 (Q 1:
 * unity gain at the cutoff, 12 dB/octave beyond it). */
static double dj_gain(double f, double d)
{
    double lp = d >= 0.5 ? 10000 : 20 * pow(500, d / 0.5), hp = d <= 0.5 ? 20 : 20 * pow(500, (d - 0.5) / 0.5);
    /* bilinear prototypes with pre-warping, as the state-variable filter and SC's RLPF/RHPF are */
    double w = tan(M_PI * f / SR), wl = tan(M_PI * lp / SR), wh = tan(M_PI * hp / SR);
    double complex s = I * w;
    double complex hl = wl * wl / (s * s + s * wl + wl * wl), hh = s * s / (s * s + s * wh + wh * wh);
    return cabs(hl * hh);
}

static void test_djf(void)
{
    static const double at[] = { 50, 200, 1000, 5000 };
    static const double dj[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
    double worst = 0;
    for (int k = 0; k < 5; k++)
        for (int i = 0; i < 4; i++) {
            double got = 20 * log10(measure(at[i], fx_djf, dj[k])), want = 20 * log10(dj_gain(at[i], dj[k]));
            if (want > -60) worst = fmax(worst, fabs(got - want));
            printf("# djf %.1f, %4.0f Hz: %+7.2f dB (dj-filter %+7.2f)\n", dj[k], at[i], got, want);
        }
    CHECK(worst < 0.3, "djf: low-pass below 0.5, high-pass above, as dj-filter's cutoffs (within 0.3 dB)",
          "worst %.2f dB", worst);
    CHECK(measure(1000, fx_djf, 0.5) > 0.99, "djf 0.5: 1 kHz passes at 0 dB");
}

int main(void)
{
    test_vowel();
    test_djf();
    return test_done();
}
