/* test_sound_sample.c — what a listener hears of sample playback: the spurs that interpolation leaves
 * beside a 5 kHz tone played at speeds 0.79 and 1.37, and the image of a 22.05 kHz file played at 44.1 kHz. */
#include <stdio.h>

#include "test.h"
#include "test_voice_util.h"

#define SR 44100.0
#define N 8192
#define SKIP 512

/* Amplitude spectrum of x[SKIP, SKIP + N) under a 4-term Blackman-Harris window (sidelobes -92 dB),
 * normalised so a sine's peak bin reads its amplitude. */
static void spectrum(const float *x, double *amp)
{
    static double re[N], im[N];
    double wsum = 0;
    for (int t = 0; t < N; t++) {
        double p = 2 * M_PI * t / N;
        double w = 0.35875 - 0.48829 * cos(p) + 0.14128 * cos(2 * p) - 0.01168 * cos(3 * p);
        wsum += w;
        int r = 0;
        for (int b = 1, v = t; b < N; b <<= 1, v >>= 1) r = (r << 1) | (v & 1);
        re[r] = x[SKIP + t] * w, im[r] = 0;
    }
    for (int len = 2; len <= N; len <<= 1)
        for (int i = 0; i < N; i += len)
            for (int k = 0; k < len / 2; k++) {
                double c = cos(2 * M_PI * k / len), s = -sin(2 * M_PI * k / len);
                int a = i + k, b = i + k + len / 2;
                double xr = re[b] * c - im[b] * s, xi = re[b] * s + im[b] * c;
                re[b] = re[a] - xr, im[b] = im[a] - xi;
                re[a] += xr, im[a] += xi;
            }
    for (int k = 0; k <= N / 2; k++) amp[k] = 2 * sqrt(re[k] * re[k] + im[k] * im[k]) / wsum;
}

/* The strongest component more than 8 bins from the tone at hz, in dB re the tone. */
static double worst_spur_db(const float *x, double hz, double *tone)
{
    static double amp[N / 2 + 1];
    spectrum(x, amp);
    int k0 = (int)lround(hz * N / SR);
    double peak = 0, spur = 0;
    for (int k = 1; k <= N / 2; k++) {
        if (abs(k - k0) <= 8) peak = amp[k] > peak ? amp[k] : peak;
        else spur = amp[k] > spur ? amp[k] : spur;
    }
    *tone = peak;
    return 20 * log10(spur / peak);
}

static float *play(const Sample *s, double speed, int frames)
{
    float *L = calloc((size_t)frames, sizeof(float)), *R = calloc((size_t)frames, sizeof(float));
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(s);
    v.rate = (float)(speed * s->rate / SR);
    tv_play(&r, &v, 1, L, R, frames);
    tv_rig_free(&r);
    free(R);
    return L;
}

static void test_speeds(void)
{
    Sample s = tv_sine(44100, SR, 5000, 0.5);
    static const double speeds[] = { 0.79, 1.37 };
    char msg[128];
    for (int i = 0; i < 2; i++) {
        float *L = play(&s, speeds[i], SKIP + N);
        double tone, db = worst_spur_db(L, 5000 * speeds[i], &tone);
        snprintf(msg, sizeof msg, "5 kHz tone at speed %.2f: every spur at or below -45 dB", speeds[i]);
        CHECK(db <= -45, msg, "%.1f dB", db);
        printf("# 5 kHz tone at speed %.2f: worst spur %.1f dB (tone %.3f)\n", speeds[i], db, tone);
        free(L);
    }
    tv_sample_free(&s);
}

static void test_half_rate_file(void)
{
    static const double tones[] = { 1000, 2000 };
    char msg[128];
    for (int i = 0; i < 2; i++) {
        Sample s = tv_sine(22050, 22050, tones[i], 0.5);
        float *L = play(&s, 1.0, SKIP + N);
        double tone, db = worst_spur_db(L, tones[i], &tone);
        snprintf(msg, sizeof msg, "%.0f Hz tone in a 22.05 kHz file: its image at or below -45 dB", tones[i]);
        CHECK(db <= -45, msg, "%.1f dB", db);
        CHECK(fabs(20 * log10(tone / 0.5)) < 1, "the tone keeps its level within 1 dB", "%.3f", tone);
        printf("# %.0f Hz tone in a 22.05 kHz file: image at %.1f dB\n", tones[i], db);
        free(L);
        tv_sample_free(&s);
    }
}

/* A DC file played to its end: the last 1 ms fades (SuperDirt's), so the largest step is small. */
static void test_end_fade(void)
{
    Sample s = tv_dc(4410, 1, 0.8f, 0);
    float *L = play(&s, 1.0, 4480);
    double step = 0;
    for (int t = 4000; t < 4480; t++) step = fmax(step, fabs(L[t] - L[t - 1]));
    CHECK(L[4410 - 45] == 0.8f && L[4410 - 1] < 0.04f && L[4410] == 0, "a file played to its end fades over its last 1 ms",
          "%g %g %g", L[4410 - 45], L[4410 - 1], L[4410]);
    CHECK(step < 0.04, "no step at the end bigger than 1/44 of the level", "%.4f", step);
    printf("# end of a 0.8 DC file: largest step %.4f (without the fade: 0.8)\n", step);
    free(L);
    tv_sample_free(&s);
}

int main(void)
{
    test_end_fade();
    test_speeds();
    test_half_rate_file();
    return test_done();
}
