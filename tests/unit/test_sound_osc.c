/* test_sound_osc.c — what a listener hears of the band-limited oscillators at 44.1 kHz: the worst alias
 * against the fundamental for every waveform over the range (all 32 lanes of one node at once, as an
 * instrument's voices run), the top octave's level, a clean start, and the cost of a lane. */
#include "test_dsp_util.h"

#define FS 44100.0f
#define WIN 4096            /* every frequency here is a whole number of bins of FS / WIN, and so are its aliases */
#define SKIP 1000

/* Amplitudes of the bins 0 .. WIN/2 of x[SKIP, SKIP + WIN) (stride lanes): an in-place radix-2 FFT. */
static void spectrum(const float *x, int stride, double *amp)
{
    static double re[WIN], im[WIN];
    for (int t = 0; t < WIN; t++) {
        int r = 0;
        for (int b = 1, v = t; b < WIN; b <<= 1, v >>= 1) r = (r << 1) | (v & 1);
        re[r] = x[(size_t)(SKIP + t) * stride], im[r] = 0;
    }
    for (int len = 2; len <= WIN; len <<= 1)
        for (int i = 0; i < WIN; i += len)
            for (int k = 0; k < len / 2; k++) {
                double c = cos(2 * TPI * k / len), s = -sin(2 * TPI * k / len);
                int a = i + k, b = i + k + len / 2;
                double xr = re[b] * c - im[b] * s, xi = re[b] * s + im[b] * c;
                re[b] = re[a] - xr, im[b] = im[a] - xi;
                re[a] += xr, im[a] += xi;
            }
    for (int k = 0; k <= WIN / 2; k++) amp[k] = (k == 0 || k == WIN / 2 ? 1 : 2) * sqrt(re[k] * re[k] + im[k] * im[k]) / WIN;
}

/* The strongest component that is not a harmonic of bin k0 (nor DC), in dB re the fundamental. */
static double worst_alias_db(const double *amp, int k0)
{
    double worst = 0;
    for (int k = 1; k <= WIN / 2; k++)
        if (k % k0 != 0 && amp[k] > worst) worst = amp[k];
    return t_db(worst / amp[k0]);
}

#define BIN_HZ (FS / WIN)

static const char *const shapes[] = { "saw", "square", "pulse", "tri" };
static const double ideal[] = { 2 / TPI, 4 / TPI, 4 / TPI, 8 / (TPI * TPI) };   /* fundamental's amplitude */

/* 32 lanes, lane l at freqs[l]: the output of one node as an instrument runs it. */
static float *run_lanes(const char *name, const float *freqs, int frames)
{
    TNode nd = t_node(name, 32, FS, 1);
    TIn in[2] = { t_sig(freqs, 32), t_k(0.5f) };
    in[0].konst = 1;
    float *y = t_alloc((size_t)frames * 32);
    t_run(&nd, in, frames, 64, y);
    t_free(&nd);
    return y;
}

/* Every bin from 108 Hz to 11 kHz as a fundamental, 32 at a time in the lanes of one node. */
static void test_aliases(void)
{
    double *amp = malloc(sizeof(double) * (WIN / 2 + 1));
    char msg[160];
    for (int s = 0; s < 4; s++) {
        double worst_low = -200, worst_high = -200;
        double at_low = 0, at_high = 0;
        for (int k1 = 10; k1 < 1024; k1 += 32) {
            float freqs[32];
            for (int l = 0; l < 32; l++) freqs[l] = (float)((k1 + l) * BIN_HZ);
            float *y = run_lanes(shapes[s], freqs, SKIP + WIN);
            for (int l = 0; l < 32 && k1 + l < 1024; l++) {
                spectrum(y + l, 32, amp);
                double a = worst_alias_db(amp, k1 + l);
                if (freqs[l] <= 5000 && a > worst_low) worst_low = a, at_low = freqs[l];
                if (freqs[l] > 5000 && a > worst_high) worst_high = a, at_high = freqs[l];
            }
            free(y);
        }
        snprintf(msg, sizeof msg, "%s: every alias at least 50 dB below the fundamental from 108 Hz to 5 kHz", shapes[s]);
        CHECK(worst_low <= -50, msg, "worst %.1f dB at %.0f Hz", worst_low, at_low);
        printf("# %s: worst alias %.1f dB (at %.0f Hz) up to 5 kHz, %.1f dB (at %.0f Hz) from 5 to 11 kHz\n",
               shapes[s], worst_low, at_low, worst_high, at_high);
        snprintf(msg, sizeof msg, "%s: every alias at least 45 dB below the fundamental up to Nyquist/2", shapes[s]);
        CHECK(worst_high <= -45, msg, "worst %.1f dB at %.0f Hz", worst_high, at_high);
    }
    free(amp);
}

static void test_top_octave(void)
{
    static const int bins[] = { 93, 464, 743, 929, 1115, 1207, 1300, 1393 };    /* 1 kHz .. 15 kHz */
    float freqs[32];
    for (int l = 0; l < 32; l++) freqs[l] = (float)(bins[l % 8] * BIN_HZ);
    char msg[160];
    for (int s = 0; s < 4; s++) {
        float *y = run_lanes(shapes[s], freqs, SKIP + WIN);
        double worst = 0;
        int at = 0;
        for (int l = 0; l < 8; l++) {
            double a = t_amp_at(y + l, SKIP, SKIP + WIN, 32, freqs[l], FS) / ideal[s];
            double db = t_db(a);
            if (fabs(db) > fabs(worst)) worst = db, at = (int)freqs[l];
        }
        snprintf(msg, sizeof msg, "%s: the fundamental within 1 dB of the ideal waveform's up to 15 kHz", shapes[s]);
        CHECK(fabs(worst) <= 1.0, msg, "%.2f dB at %d Hz", worst, at);
        printf("# %s: top octave at most %.2f dB off (at %d Hz)\n", shapes[s], worst, at);
        free(y);
    }
}

/* A saw starts at phase 0 on its first frame (its ring runs ahead), and stays in step with a sine's phase. */
static void test_start(void)
{
    TNode nd = t_node("saw", 1, FS, 1);
    TIn in[1] = { t_k(100.0f) };
    float *y = t_alloc(44100);
    t_run(&nd, in, 44100, 64, y);
    CHECK(y[0] < -0.9f && y[1] < y[100] && y[100] < y[200], "saw starts at -1 on its first frame and rises");
    CHECK(fabs(y[220] - (2 * (220 * 100.0 / FS) - 1)) < 0.01, "saw at 100 Hz: mid-ramp sample is the ideal value",
          "y[220] %.4f", y[220]);
    CHECK(fabs(y[441] - y[441 + 441]) < 0.01, "saw repeats every period");
    t_free(&nd);
    free(y);
}

int main(void)
{
    test_aliases();
    test_top_octave();
    test_start();
    return test_done();
}
