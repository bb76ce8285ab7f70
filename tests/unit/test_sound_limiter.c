/* test_sound_limiter.c — the master stage as a listener hears it: a mix 12 dB over the ceiling comes out
 * as the same mix at a slowly varying gain (the residual after a 10 ms gain fit), never above the ceiling;
 * a mix under the ceiling comes out bit for bit (delayed by the look-ahead). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "limiter.h"
#include "phonon.h"
#include "test.h"

#define SR 44100.0
#define FRAMES 88200

/* The true peak of x[0..n): the largest magnitude of the signal 8x oversampled by a 64-tap Kaiser-windowed
 * sinc (beta 8) per phase, a reference much finer than the limiter's own 12-tap estimate. */
static double true_peak(const float *x, int n)
{
    double pk = 0;
    for (int t = 32; t + 32 < n; t++)
        for (int p = 0; p < 8; p++) {
            double v = 0, frac = p / 8.0;
            for (int j = -31; j <= 32; j++) {
                double d = j - frac, u = d / 32.5;
                double w = 0;
                if (fabs(u) < 1) {      /* Kaiser window, I0 by its series */
                    double a = 8 * sqrt(1 - u * u), s0 = 1, term = 1, b = 1, tb = 1;
                    for (int k = 1; k < 40; k++) term *= (a / (2 * k)) * (a / (2 * k)), s0 += term;
                    for (int k = 1; k < 40; k++) tb *= (8.0 / (2 * k)) * (8.0 / (2 * k)), b += tb;
                    w = s0 / b;
                }
                v += x[t + j] * w * (d == 0 ? 1 : sin(M_PI * d) / (M_PI * d));
            }
            pk = fmax(pk, fabs(v));
        }
    return pk;
}

/* A mix: a kick (a 55 Hz sine falling to 45 Hz, 0.3 s decay) every half second, a three-note chord of
 * sines with a few harmonics, and a hi-hat-like tick; peak normalised to 1. */
static void make_mix(float *l, float *r)
{
    double peak = 0;
    for (int t = 0; t < FRAMES; t++) {
        double s = t / SR, k = fmod(s, 0.5);
        double kick = sin(2 * M_PI * (45 * k + 10 * 0.05 * (1 - exp(-k / 0.05)))) * exp(-k / 0.3);
        double chord = 0;
        static const double f[3] = { 261.63, 329.63, 392.0 };
        for (int i = 0; i < 3; i++)
            for (int h = 1; h <= 4; h++) chord += sin(2 * M_PI * f[i] * h * s + i) / (h * 3.0);
        double tick = fmod(s, 0.125) < 0.01 ? sin(2 * M_PI * 7000 * s) * 0.3 * exp(-fmod(s, 0.125) / 0.003) : 0;
        l[t] = (float)(kick + 0.5 * chord + tick);
        r[t] = (float)(kick + 0.45 * chord - tick);
        peak = fmax(peak, fmax(fabs(l[t]), fabs(r[t])));
    }
    for (int t = 0; t < FRAMES; t++) l[t] = (float)(l[t] / peak), r[t] = (float)(r[t] / peak);
}

static void run(double lookahead, const float *l, const float *r, float g, float *ol, float *or_)
{
    Limiter *lm = limiter_new(SR, lookahead);
    for (int t = 0; t < FRAMES; t++) {
        float a = l[t] * g, b = r[t] * g;
        limiter_frame(lm, &a, &b);
        ol[t] = a, or_[t] = b;
    }
    limiter_free(lm);
}

/* Residual of hot against quiet after fitting one gain per 10 ms window, in dB re hot. */
static double residual_db(const float *hot, const float *quiet)
{
    double res = 0, tot = 0;
    for (int a = 4410; a + 441 <= FRAMES; a += 441) {
        double hq = 0, qq = 0;
        for (int t = a; t < a + 441; t++) hq += (double)hot[t] * quiet[t], qq += (double)quiet[t] * quiet[t];
        double g = qq > 0 ? hq / qq : 0;
        for (int t = a; t < a + 441; t++) {
            double e = hot[t] - g * quiet[t];
            res += e * e, tot += (double)hot[t] * hot[t];
        }
    }
    return 10 * log10(res / tot);
}

static void test_mode(double lookahead, const char *name, double max_residual)
{
    float *l = malloc(sizeof(float) * FRAMES), *r = malloc(sizeof(float) * FRAMES);
    float *hl = malloc(sizeof(float) * FRAMES), *hr = malloc(sizeof(float) * FRAMES);
    float *ql = malloc(sizeof(float) * FRAMES), *qr = malloc(sizeof(float) * FRAMES);
    make_mix(l, r);
    float hot = LIMITER_CEILING * 3.981f;            /* +12 dB over the ceiling */
    run(lookahead, l, r, hot, hl, hr);
    run(lookahead, l, r, hot / 12, ql, qr);
    Limiter *lm = limiter_new(SR, lookahead);
    int lat = limiter_latency(lm);
    limiter_free(lm);
    double peak = 0;
    int exact = 1;
    for (int t = 0; t < FRAMES; t++) {
        peak = fmax(peak, fmax(fabs(hl[t]), fabs(hr[t])));
        float wl = t >= lat ? l[t - lat] * (hot / 12) : 0, wr = t >= lat ? r[t - lat] * (hot / 12) : 0;
        exact &= ql[t] == wl && qr[t] == wr;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "%s: a mix 12 dB over never leaves above the ceiling", name);
    CHECK(peak <= LIMITER_CEILING, msg, "peak %.6f", peak);
    snprintf(msg, sizeof msg, "%s: a mix under the ceiling passes bit for bit, %d frames later", name, lat);
    CHECK(exact, msg);
    double dl = residual_db(hl, ql), dr = residual_db(hr, qr);
    double d = dl > dr ? dl : dr;
    snprintf(msg, sizeof msg, "%s: hot and quiet mixes differ only by a slow gain (residual <= %.0f dB)", name,
             max_residual);
    CHECK(d <= max_residual, msg, "%.1f dB", d);
    printf("# %s: peak %.4f (ceiling %.4f), residual %.1f dB, latency %d frames\n", name, peak, LIMITER_CEILING, d,
           lat);
    free(l), free(r), free(hl), free(hr), free(ql), free(qr);
}

/* Tones whose peaks fall between samples (a quarter-rate sine at 45 degrees shows 0.707 of its peak on
 * every sample) come out with their true peak at the ceiling, not 3 dB over it. */
static void test_true_peak(void)
{
    static const double freq[3] = { 11025, 7350, 15000 };
    const int n = 22050;
    float *l = malloc(sizeof(float) * n), *r = malloc(sizeof(float) * n);
    double worst = 0;
    for (int k = 0; k < 3; k++) {
        Limiter *lm = limiter_new(SR, LIMITER_LOOKAHEAD);
        for (int t = 0; t < n; t++) {
            float a = (float)(2.0 * sin(2 * M_PI * freq[k] * t / SR + M_PI / 4)), b = a;
            limiter_frame(lm, &a, &b);
            l[t] = a, r[t] = b;
        }
        limiter_free(lm);
        double tp = true_peak(l + 2000, n - 2000);
        worst = fmax(worst, tp);
        printf("# true peak of a %.0f Hz sine 6 dB over: %.4f (%+.2f dB re the ceiling)\n", freq[k], tp,
               20 * log10(tp / LIMITER_CEILING));
    }
    CHECK(worst <= LIMITER_CEILING * 1.00115, "true peak: tones peaking between samples stay within 0.01 dB of the ceiling",
          "%.4f", worst);
    free(l), free(r);
}

/* Through the engine: the limiter is on, and its look-ahead costs no frame (the clock runs ahead). */
static void test_engine(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.max_block = 64;
    cfg.threads = 1;
    cfg.no_system_samples = true;
    const char *progs[2] = { "out: sine 110 * 0.5\n", "out: sine 110 * 4\n" };
    for (int k = 0; k < 2; k++) {
        Phonon *ph = phonon_new(&cfg);
        PhononError e[4];
        CHECK_INT(phonon_eval(ph, progs[k], "lim.ph", e, 4), 0, "engine: the program compiles");
        const int n = 8832;             /* whole blocks of 64 */
        float *l = malloc(sizeof(float) * n), *r = malloc(sizeof(float) * n);
        for (int t = 0; t < n; t += 64) {
            float *o[2] = { l + t, r + t };
            phonon_process(ph, NULL, o, 64);
        }
        double err = 0, pk = 0;
        for (int t = 0; t < n; t++) {
            err = fmax(err, fabs(l[t] - 0.5 * sin(2 * M_PI * 110 * t / SR)));
            pk = fmax(pk, fmax(fabs(l[t]), fabs(r[t])));
        }
        if (k == 0)
            CHECK(err < 1e-5, "engine: a mix under the ceiling leaves untouched and on time (a sine from frame 0)",
                  "error %.3g", err);
        else
            CHECK(pk <= LIMITER_CEILING && pk > 0.9 * LIMITER_CEILING,
                  "engine: a sine 12 dB over comes out at the ceiling", "peak %.5f", pk);
        free(l), free(r);
        phonon_free(ph);
    }
}

/* Outputs 3 ... N bypass the limiter but are delayed as the pair is: a sine on out3 and the same on out
 * stay sample-aligned, both from frame 0. */
static void test_engine_outs(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.max_block = 64;
    cfg.threads = 1;
    cfg.outs = 3;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    PhononError e[4];
    CHECK_INT(phonon_eval(ph, "out: sine 110 * 0.5\nout3: sine 110 * 0.5\n", "outs.ph", e, 4), 0, "outs: compiles");
    const int n = 4416;
    float *c[3];
    for (int k = 0; k < 3; k++) c[k] = malloc(sizeof(float) * n);
    for (int t = 0; t < n; t += 64) {
        float *o[3] = { c[0] + t, c[1] + t, c[2] + t };
        phonon_process(ph, NULL, o, 64);
    }
    double d = 0, err = 0;
    for (int t = 0; t < n; t++)
        d = fmax(d, fabs(c[2][t] - c[0][t])), err = fmax(err, fabs(c[2][t] - 0.5 * sin(2 * M_PI * 110 * t / SR)));
    CHECK(d < 1e-6 && err < 1e-5, "outs: out3 (no limiter) stays in step with the limited pair, from frame 0",
          "difference %.3g, error %.3g", d, err);
    for (int k = 0; k < 3; k++) free(c[k]);
    phonon_free(ph);
}

int main(void)
{
    test_engine_outs();
    test_true_peak();
    test_engine();
    test_mode(LIMITER_LOOKAHEAD, "look-ahead limiter", -25);
    test_mode(0, "limiter without look-ahead", -25);
    return test_done();
}
