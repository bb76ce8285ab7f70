/* test_dsp.c — oscillators, noise and filters: frequency, level, band-limiting, responses.
 * Envelopes and math are in test_dsp_env.c, effects in test_dsp_fx.c, lane and abuse checks in test_dsp_lanes.c. */
#include "test_dsp_util.h"

#define SR 48000.0f

static float *osc_run(const char *name, float freq, int frames, float sr)
{
    TNode nd = t_node(name, 1, sr, 1);
    TIn in[2] = { t_k(freq), t_k(0.5f) };
    float *y = t_alloc((size_t)frames);
    t_run(&nd, in, frames, 64, y);
    t_free(&nd);
    return y;
}

static void test_osc_frequency(void)
{
    const char *names[] = { "sine", "saw", "square", "pulse", "tri" };
    const float freqs[] = { 55.0f, 440.0f, 3520.5f };
    char msg[96];
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 3; j++) {
            float *y = osc_run(names[i], freqs[j], (int)SR + 1, SR);
            /* saw only crosses zero going up in mid-ramp: that is enough for a period count */
            double f = t_freq(y, 0, (int)SR + 1, 1, SR);
            snprintf(msg, sizeof msg, "%s at %.1f Hz: frequency within 0.1%%", names[i], freqs[j]);
            CHECK(fabs(f / freqs[j] - 1) < 0.001, msg, "measured %.4f Hz", f);
            free(y);
        }
    /* 44.1 kHz too, and a negative frequency runs the phase backwards at the same rate */
    float *y = osc_run("sine", 1000.0f, 44100, 44100.0f);
    CHECK_NEAR(t_freq(y, 0, 44100, 1, 44100.0f), 1000.0, 1.0, "sine at 44.1 kHz: 1000 Hz");
    free(y);
    y = osc_run("saw", -300.0f, 48000, SR);
    CHECK_NEAR(t_amp_at(y, 0, 48000, 1, 300.0, SR), 2 / TPI, 0.01, "saw at -300 Hz has its fundamental at 300 Hz");
    free(y);
}

static void test_osc_levels(void)
{
    float *y = osc_run("sine", 1000.0f, 48000, SR);
    CHECK_NEAR(t_rms(y, 0, 48000, 1), sqrt(0.5), 1e-4, "sine RMS is 0.7071");
    CHECK_NEAR(t_peak(y, 0, 48000, 1), 1.0, 1e-5, "sine peak is 1");
    CHECK(y[0] == 0.0f && y[1] > 0.0f, "sine starts at 0, rising");
    /* sine accuracy against libm over a whole second */
    /* (the reference follows the kernel's float phase, so only the sine itself is compared) */
    double err = 0;
    uint32_t ph = 0, inc = (uint32_t)llround(1000.0 / SR * 4294967296.0);
    for (int t = 0; t < 48000; t++) {
        err = fmax(err, fabs(y[t] - sin(2 * TPI * ((ph >> 8) / 16777216.0))));
        ph += inc;
    }
    CHECK(err < 2e-6, "sine matches sin() within 2e-6", "max error %g", err);
    free(y);

    y = osc_run("saw", 100.0f, 48000, SR);
    CHECK_NEAR(t_rms(y, 0, 48000, 1), 1 / sqrt(3.0), 0.003, "saw RMS is 0.577");
    CHECK(y[0] < -0.9f && y[1] < -0.9f, "saw starts its ramp at phase 0 (at -1)");
    CHECK(y[200] > y[100] && y[100] > y[10], "saw rises");
    free(y);

    y = osc_run("square", 100.0f, 48000, SR);
    CHECK_NEAR(t_rms(y, 0, 48000, 1), 1.0, 0.01, "square RMS is 1");
    CHECK(y[100] > 0.99f && y[300] < -0.99f, "square is +1 then -1");
    free(y);

    y = osc_run("tri", 100.0f, 48000, SR);
    CHECK_NEAR(t_rms(y, 0, 48000, 1), 1 / sqrt(3.0), 0.003, "tri RMS is 0.577");
    /* band-limiting rounds the corners a little: the 240 harmonics below Nyquist peak at 0.998 */
    CHECK_NEAR(y[120], 1.0, 0.005, "tri peaks at a quarter period");
    CHECK_NEAR(y[360], -1.0, 0.005, "tri troughs at three quarters");
    CHECK(y[0] == 0.0f, "tri starts at 0");
    free(y);

    /* pulse width: the fraction of time above zero */
    TNode nd = t_node("pulse", 1, SR, 1);
    TIn in[2] = { t_k(100.0f), t_k(0.25f) };
    y = t_alloc(48000);
    t_run(&nd, in, 48000, 64, y);
    int above = 0;
    for (int t = 0; t < 48000; t++) above += y[t] > 0;
    CHECK_NEAR(above / 48000.0, 0.25, 0.002, "pulse width 0.25 is high a quarter of the time");
    CHECK_NEAR(t_amp_at(y, 0, 48000, 1, 400.0, SR), 0.0, 0.002, "pulse 0.25 has no 4th harmonic");
    free(y);
    t_free(&nd);

    y = osc_run("phasor", 100.0f, 48000, SR);
    CHECK(y[0] == 0.0f, "phasor starts at 0");
    CHECK_NEAR(y[240], 0.5, 1e-4, "phasor is 0.5 half way");
    double mn = 1, mx = 0;
    for (int t = 0; t < 48000; t++) {
        mn = y[t] < mn ? y[t] : mn;
        mx = y[t] > mx ? y[t] : mx;
    }
    CHECK(mn >= 0 && mx < 1, "phasor stays in [0, 1)");
    free(y);

    y = osc_run("impulse", 100.0f, 48000, SR);
    int count = 0, at0 = y[0] == 1.0f;
    for (int t = 0; t < 48000; t++) count += y[t] == 1.0f;
    CHECK_INT(count, 100, "impulse at 100 Hz: 100 impulses in a second");
    CHECK(at0 && y[480] == 1.0f && y[479] == 0.0f, "impulse fires on the first sample and every 480");
    free(y);
}

/* Energy at the bins where a 5 kHz saw at 48 kHz aliases (multiples of 1 kHz that are not harmonics)
 * against the energy of its true harmonics; the window of 4800 samples holds exactly 500 periods. */
static double alias_ratio_db(const float *y)
{
    double harm = 0, alias = 0;
    for (int f = 1000; f < 24000; f += 1000) {
        double a = t_amp_at(y, 4800, 9600, 1, f, SR);
        if (f % 5000 == 0) harm += a * a;
        else alias += a * a;
    }
    return 10 * log10(alias / harm);
}

static void test_osc_bandlimit(void)
{
    float *y = osc_run("saw", 5000.0f, 9600, SR);
    float *naive = t_alloc(9600);
    double ph = 0;
    for (int t = 0; t < 9600; t++) {
        naive[t] = (float)(2 * ph - 1);
        ph += 5000.0 / SR;
        ph -= floor(ph);
    }
    double bl = alias_ratio_db(y), nv = alias_ratio_db(naive);
    CHECK(bl < nv - 12, "saw at 5 kHz: aliasing at least 12 dB below a naive saw's", "%.1f dB vs %.1f dB", bl, nv);
    free(y);
    y = osc_run("square", 5000.0f, 9600, SR);
    for (int t = 0; t < 9600; t++) naive[t] = naive[t] < 0 ? 1.0f : -1.0f;
    bl = alias_ratio_db(y), nv = alias_ratio_db(naive);
    CHECK(bl < nv - 12, "square at 5 kHz: aliasing at least 12 dB below a naive square's", "%.1f dB vs %.1f dB", bl,
          nv);
    free(y);
    y = osc_run("tri", 5000.0f, 9600, SR);
    ph = 0.25;
    for (int t = 0; t < 9600; t++) {
        naive[t] = (float)(1 - 4 * fabs(ph - 0.5));
        ph += 5000.0 / SR;
        ph -= floor(ph);
    }
    bl = alias_ratio_db(y), nv = alias_ratio_db(naive);
    CHECK(bl < nv - 10, "tri at 5 kHz: aliasing at least 10 dB below a naive triangle's", "%.1f dB vs %.1f dB", bl,
          nv);
    free(y);
    free(naive);
}

static void test_osc_fm(void)
{
    /* a frequency input that changes every frame: the phase follows it sample by sample */
    int n = 48000;
    float *f = t_alloc((size_t)n);
    for (int t = 0; t < n; t++) f[t] = t < n / 2 ? 200.0f : 400.0f;
    TNode nd = t_node("sine", 1, SR, 1);
    TIn in[1] = { t_sig(f, 1) };
    float *y = t_alloc((size_t)n);
    t_run(&nd, in, n, 64, y);
    CHECK_NEAR(t_freq(y, 0, n / 2, 1, SR), 200.0, 0.2, "sine follows a full-rate frequency input (first half)");
    CHECK_NEAR(t_freq(y, n / 2, n, 1, SR), 400.0, 0.4, "sine follows a full-rate frequency input (second half)");
    free(y);
    free(f);
    t_free(&nd);
}

static void test_noise(void)
{
    const char *names[] = { "noise", "pink", "brown" };
    int n = 96000;
    for (int i = 0; i < 3; i++) {
        TNode a = t_node(names[i], 1, SR, 7), b = t_node(names[i], 1, SR, 7), c = t_node(names[i], 1, SR, 8);
        float *ya = t_alloc((size_t)n), *yb = t_alloc((size_t)n), *yc = t_alloc((size_t)n);
        t_run(&a, NULL, n, 64, ya);
        t_run(&b, NULL, n, 128, yb);
        t_run(&c, NULL, n, 64, yc);
        char msg[96];
        snprintf(msg, sizeof msg, "%s: same seed, same samples (block size does not matter)", names[i]);
        CHECK(memcmp(ya, yb, sizeof(float) * n) == 0, msg);
        snprintf(msg, sizeof msg, "%s: another seed, other samples", names[i]);
        CHECK(memcmp(ya, yc, sizeof(float) * n) != 0, msg);
        double rms = t_rms(ya, 0, n, 1), pk = t_peak(ya, 0, n, 1);
        snprintf(msg, sizeof msg, "%s: level is sensible (RMS 0.1..0.6, peak <= 1.2)", names[i]);
        CHECK(rms > 0.1 && rms < 0.6 && pk <= 1.2, msg, "rms %.3f peak %.3f", rms, pk);
        double mean = 0;
        for (int t = 0; t < n; t++) mean += ya[t];
        mean /= n;
        snprintf(msg, sizeof msg, "%s: no DC", names[i]);
        CHECK(fabs(mean) < (i == 0 ? 0.01 : 0.05), msg, "mean %g", mean);  /* pink and brown wander slowly */
        if (i == 0) CHECK_NEAR(rms, 1 / sqrt(3.0), 0.005, "white noise is uniform in [-1, 1) (RMS 0.577)");
        /* spectral slope: energy per octave band; white rises 3 dB/oct, pink is flat, brown falls 3 dB/oct */
        double lo = 0, hi = 0;
        for (int f = 500; f < 1000; f += 50) lo += pow(t_amp_at(ya, 0, 48000, 1, f, SR), 2);
        for (int f = 4000; f < 8000; f += 50) hi += pow(t_amp_at(ya, 0, 48000, 1, f, SR), 2);
        /* per-bin density ratio across 3 octaves: white 0 dB, pink -9 dB, brown -18 dB */
        double slope = 10 * log10((hi / 80) / (lo / 10)) / 3;
        double want = i == 0 ? 0 : (i == 1 ? -3 : -6);
        snprintf(msg, sizeof msg, "%s: spectral density falls %.0f dB per octave (+-1)", names[i], -want);
        CHECK(fabs(slope - want) < 1.0, msg, "measured %.2f dB/oct", slope);
        free(ya), free(yb), free(yc);
        t_free(&a), t_free(&b), t_free(&c);
    }
    /* lanes of one node get different sequences */
    TNode nd = t_node("noise", 32, SR, 3);
    float *y = t_alloc(64 * 32);
    t_run(&nd, NULL, 64, 64, y);
    int same = 0;
    for (int l = 1; l < 32; l++) same += y[l] == y[0] && y[32 + l] == y[32];
    CHECK_INT(same, 0, "noise: every lane has its own sequence");
    free(y);
    t_free(&nd);
}

/* Gain in dB of a one-lane filter for a sine at f (measured after the filter settles). */
static double filter_gain_db(const char *name, float fc, float q, double f)
{
    int n = 24000;
    float *x = t_sine(n, SR, f, 0.5);
    float *y = t_filter(name, SR, x, n, t_k(fc), t_k(q), t_k(0), t_k(0));
    /* a whole number of periods of f within the window: f is given in multiples of 4 Hz */
    double g = t_amp_at(y, 12000, 24000, 1, f, SR) / 0.5;
    free(x);
    free(y);
    return t_db(g);
}

static void test_svf(void)
{
    char msg[128];
    const float cuts[] = { 100.0f, 1000.0f, 8000.0f };
    for (int i = 0; i < 3; i++) {
        snprintf(msg, sizeof msg, "lpf %.0f Hz q 0.707: -3 dB at the cutoff (+-0.5)", cuts[i]);
        CHECK_NEAR(filter_gain_db("lpf", cuts[i], 0.70710678f, cuts[i]), -3.01, 0.5, msg);
        snprintf(msg, sizeof msg, "hpf %.0f Hz q 0.707: -3 dB at the cutoff (+-0.5)", cuts[i]);
        CHECK_NEAR(filter_gain_db("hpf", cuts[i], 0.70710678f, cuts[i]), -3.01, 0.5, msg);
    }
    CHECK_NEAR(filter_gain_db("lpf", 1000, 0.707f, 40), 0.0, 0.05, "lpf passes the bass at 0 dB");
    CHECK_NEAR(filter_gain_db("hpf", 1000, 0.707f, 12000), 0.0, 0.3, "hpf passes the treble at 0 dB");
    double o1 = filter_gain_db("lpf", 500, 0.707f, 2000), o2 = filter_gain_db("lpf", 500, 0.707f, 4000);
    CHECK_NEAR(o1 - o2, 12.0, 1.0, "lpf falls 12 dB per octave");
    o1 = filter_gain_db("hpf", 4000, 0.707f, 1000), o2 = filter_gain_db("hpf", 4000, 0.707f, 500);
    CHECK_NEAR(o1 - o2, 12.0, 1.0, "hpf falls 12 dB per octave below the cutoff");
    CHECK_NEAR(filter_gain_db("lpf", 1000, 4.0f, 1000), t_db(4.0), 0.3, "lpf with q 4 peaks at +12 dB at the cutoff");
    CHECK_NEAR(filter_gain_db("bpf", 1000, 2.0f, 1000), 0.0, 0.1, "bpf is 0 dB at its centre");
    double bw_lo = 1000 * (sqrt(1 + 1 / 16.0) - 1 / 4.0), bw_hi = 1000 * (sqrt(1 + 1 / 16.0) + 1 / 4.0);
    CHECK_NEAR(filter_gain_db("bpf", 1000, 2.0f, round(bw_lo / 4) * 4), -3.01, 0.6,
               "bpf q 2: -3 dB at the lower band edge");
    CHECK_NEAR(filter_gain_db("bpf", 1000, 2.0f, round(bw_hi / 4) * 4), -3.01, 0.6,
               "bpf q 2: -3 dB at the upper band edge");
    CHECK(filter_gain_db("bpf", 1000, 2.0f, 100) < -18, "bpf rejects a decade below");
    CHECK(filter_gain_db("notch", 1000, 1.0f, 1000) < -50, "notch removes its centre frequency");
    CHECK_NEAR(filter_gain_db("notch", 1000, 1.0f, 100), 0.0, 0.1, "notch passes a decade below");
    CHECK_NEAR(filter_gain_db("notch", 1000, 1.0f, 10000), 0.0, 0.2, "notch passes a decade above");
}

static void test_svf_modulated(void)
{
    /* a cutoff swept every sample from 50 Hz to 20 kHz and back, q 10: stays bounded and finite */
    int n = 48000;
    float *x = t_alloc((size_t)n), *fc = t_alloc((size_t)n);
    for (int t = 0; t < n; t++) {
        x[t] = t_rand() * 2 - 1;
        fc[t] = (float)(50 * pow(400, 0.5 - 0.5 * cos(2 * TPI * 7 * t / SR)));
    }
    const char *names[] = { "lpf", "hpf", "bpf", "notch" };
    for (int i = 0; i < 4; i++) {
        float *y = t_filter(names[i], SR, x, n, t_sig(fc, 1), t_k(10.0f), t_k(0), t_k(0));
        char msg[96];
        snprintf(msg, sizeof msg, "%s under a fast cutoff sweep at q 10 stays bounded", names[i]);
        CHECK(t_all_finite(y, n) && t_peak(y, 0, n, 1) < 30, msg, "peak %g", t_peak(y, 0, n, 1));
        free(y);
    }
    free(x);
    free(fc);
}

static void test_moog(void)
{
    /* resonance: the response at the cutoff grows with resonance and peaks near it */
    int n = 24000;
    double g0, g9;
    {
        float *x = t_sine(n, SR, 1000, 0.1);
        float *y = t_filter("moog", SR, x, n, t_k(1000), t_k(0.0f), t_k(0), t_k(0));
        g0 = t_amp_at(y, 12000, n, 1, 1000, SR) / 0.1;
        free(y);
        y = t_filter("moog", SR, x, n, t_k(1000), t_k(0.9f), t_k(0), t_k(0));
        g9 = t_amp_at(y, 12000, n, 1, 1000, SR) / 0.1;
        free(y);
        free(x);
    }
    CHECK_NEAR(t_db(g0), -12.0, 0.5, "moog at resonance 0: -12 dB at the cutoff (four poles of -3 dB)");
    CHECK(t_db(g9) > t_db(g0) + 12, "moog at resonance 0.9: a resonant peak at the cutoff", "%.1f dB vs %.1f dB",
          t_db(g9), t_db(g0));
    double lo = filter_gain_db("moog", 1000, 0, 100), o1 = filter_gain_db("moog", 500, 0, 4000),
           o2 = filter_gain_db("moog", 500, 0, 8000);
    CHECK_NEAR(lo, 0.0, 0.3, "moog passes the bass at 0 dB (resonance 0)");
    CHECK(o1 - o2 > 21, "moog falls about 24 dB per octave", "%.1f dB", o1 - o2);
    /* self-oscillation: a click, then silence in; it rings on at the cutoff, bounded */
    n = 96000;
    float *x = t_alloc((size_t)n);
    x[0] = 0.5f;
    float *y = t_filter("moog", SR, x, n, t_k(800), t_k(1.0f), t_k(0), t_k(0));
    double tail = t_rms(y, n - 24000, n, 1);
    CHECK(tail > 0.1, "moog at resonance 1 self-oscillates", "tail RMS %g", tail);
    CHECK_NEAR(t_freq(y, n - 24000, n, 1, SR) / 800, 1.0, 0.03, "moog self-oscillates at its cutoff (+-3%)");
    CHECK(t_peak(y, 0, n, 1) < 3, "moog self-oscillation is bounded", "peak %g", t_peak(y, 0, n, 1));
    free(y);
    y = t_filter("moog", SR, x, n, t_k(800), t_k(0.8f), t_k(0), t_k(0));
    CHECK(t_peak(y, n - 24000, n, 1) < 1e-6, "moog at resonance 0.8 rings out");
    free(y);
    free(x);
}

/* After an impulse and long silence, recursive state must be exactly 0, never denormal. */
static void test_denormals(void)
{
    const char *names[] = { "lpf", "hpf", "bpf", "notch", "moog" };
    int n = 5 * 48000;
    float *x = t_alloc((size_t)n);
    x[0] = 1.0f;
    for (int i = 0; i < 5; i++) {
        TNode nd = t_node(names[i], 1, SR, 1);
        TIn in[3] = { t_sig(x, 1), t_k(i == 4 ? 200.0f : 50.0f), t_k(i == 4 ? 0.5f : 0.7f) };
        float *y = t_alloc((size_t)n);
        t_run(&nd, in, n, 64, y);
        int tiny = 0;
        for (int t = 0; t < n; t++) tiny += y[t] != 0.0f && fabsf(y[t]) < 1.17549435e-38f;
        for (size_t f = 0; f < nd.nst; f++) tiny += nd.st[f] != 0.0f && fabsf(nd.st[f]) < 1.17549435e-38f;
        char msg[96];
        snprintf(msg, sizeof msg, "%s rings out to exact zeros, never denormals", names[i]);
        CHECK(tiny == 0 && y[n - 1] == 0.0f && nd.st[0] == 0.0f, msg, "%d denormals, last %g", tiny, y[n - 1]);
        free(y);
        t_free(&nd);
    }
    free(x);
}

/* dsp_full expands constants and broadcasts, and passes full buffers through. */
static void test_full(void)
{
    float k[2] = { 3.0f, 4.0f }, one[3] = { 1.0f, 2.0f, 3.0f }, scratch[12];
    DspBuf kb = { k, 2, DSP_CONST }, bb = { one, 1, 0 }, fb = { scratch, 4, 0 };
    const float *r = dsp_full(&kb, scratch, 3, 2);
    CHECK(r == scratch && r[0] == 3 && r[1] == 4 && r[4] == 3 && r[5] == 4, "dsp_full expands a constant");
    r = dsp_full(&bb, scratch, 3, 4);
    CHECK(r[0] == 1 && r[3] == 1 && r[4] == 2 && r[11] == 3, "dsp_full broadcasts one lane to all");
    CHECK(dsp_full(&fb, NULL, 3, 4) == scratch, "dsp_full returns a full buffer as it is");
    CHECK(dsp_find("lpf") && dsp_find("lpf") == t_kind("lpf") && !dsp_find("nonesuch") && !dsp_find(NULL),
          "dsp_find finds kinds by name");
}

int main(void)
{
    test_osc_frequency();
    test_osc_levels();
    test_osc_bandlimit();
    test_osc_fm();
    test_noise();
    test_svf();
    test_svf_modulated();
    test_moog();
    test_denormals();
    test_full();
    return test_done();
}
