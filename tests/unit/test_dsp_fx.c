/* test_dsp_fx.c — effects: delay timing and feedback, reverb decay, chorus, bitcrush, compressor,
 * limiter, pan law, and the state_floats hook. */
#include "test_dsp_util.h"

#define SR 48000.0f

static void test_delay(void)
{
    int n = 48000;
    float *x = t_alloc((size_t)n);
    x[0] = 1.0f;
    /* 2.5 ms = 120 samples, no feedback, all wet: one impulse, 120 samples late */
    float *y = t_filter("delay", SR, x, n, t_k(0.0025f), t_k(0.0f), t_k(1.0f), t_k(0));
    int at = -1, others = 0;
    for (int t = 0; t < n; t++) {
        if (fabsf(y[t] - 1.0f) < 1e-6f) at = t;
        else if (fabsf(y[t]) > 1e-6f) others++;
    }
    CHECK_INT(at, 120, "delay of 2.5 ms at 48 kHz: the impulse comes out 120 samples later");
    CHECK_INT(others, 0, "delay of a whole number of samples does not smear");
    free(y);
    /* feedback 0.5: echoes at 120, 240, 360... each half the last */
    y = t_filter("delay", SR, x, n, t_k(0.0025f), t_k(0.5f), t_k(1.0f), t_k(0));
    CHECK(fabsf(y[240] - 0.5f) < 1e-6f && fabsf(y[360] - 0.25f) < 1e-6f && fabsf(y[480] - 0.125f) < 1e-6f,
          "delay feedback 0.5: echoes halve every 120 samples");
    free(y);
    /* mix 0.5: half dry, half wet */
    y = t_filter("delay", SR, x, n, t_k(0.0025f), t_k(0.0f), t_k(0.5f), t_k(0));
    CHECK(y[0] == 0.5f && y[120] == 0.5f, "delay mix 0.5: half dry, half delayed");
    free(y);
    /* a fractional delay interpolates: 100.5 samples puts the energy between 100 and 101 */
    y = t_filter("delay", SR, x, n, t_k(100.5f / SR), t_k(0.0f), t_k(1.0f), t_k(0));
    CHECK(fabsf(y[100] - y[101]) < 1e-3f && y[100] > 0.5f, "delay of 100.5 samples splits the impulse");
    free(y);
    /* one second, then the maximum (4 s) and beyond */
    y = t_filter("delay", SR, x, n, t_k(0.5f), t_k(0.0f), t_k(1.0f), t_k(0));
    CHECK(fabsf(y[24000] - 1.0f) < 1e-6f, "delay of 0.5 s lands on sample 24000");
    free(y);
    free(x);
    /* feedback 10 on loud noise: bounded by input + 2, never inf */
    x = t_alloc((size_t)n);
    for (int t = 0; t < n; t++) x[t] = 4 * t_rand() - 2;
    y = t_filter("delay", SR, x, n, t_k(0.01f), t_k(10.0f), t_k(1.0f), t_k(0));
    CHECK(t_all_finite(y, n) && t_peak(y, 0, n, 1) < 5, "delay with feedback 10 stays bounded", "peak %g",
          t_peak(y, 0, n, 1));
    free(y);
    free(x);
}

static void test_reverb(void)
{
    int n = 6 * 48000;
    float *x = t_alloc((size_t)n);
    x[0] = 1.0f;
    float *y = t_filter("reverb", SR, x, n, t_k(0.5f), t_k(0.5f), t_k(1.0f), t_k(0));
    CHECK(t_all_finite(y, 2 * (size_t)n), "reverb output is finite");
    double e0 = t_rms(y, 0, 4800, 2), e1 = t_rms(y, 48000, 52800, 2), e2 = t_rms(y, 96000, 100800, 2);
    double etail = t_rms(y, 5 * 48000, 6 * 48000, 2);
    CHECK(e0 > e1 && e1 > e2, "reverb decays", "%g %g %g", e0, e1, e2);
    CHECK(t_db(e1 / e0) < -20 && t_db(e1 / e0) > -100, "reverb room 0.5 falls 20-100 dB in its first second",
          "%.1f dB", t_db(e1 / e0));
    CHECK(etail < 1e-7, "reverb rings out to silence", "tail %g", etail);
    double l = t_rms(y, 0, 48000, 2), r = t_rms(y + 1, 0, 48000, 2);
    CHECK(l > 0 && r > 0 && fabs(t_db(l / r)) < 3, "reverb fills both channels");
    int same = 0;
    for (int t = 100; t < 48000; t++) same += y[2 * t] == y[2 * t + 1];
    CHECK(same < 4800, "reverb channels are decorrelated");
    free(y);
    /* a longer room rings longer; the largest still decays */
    y = t_filter("reverb", SR, x, n, t_k(1.0f), t_k(0.0f), t_k(1.0f), t_k(0));
    double big = t_rms(y, 48000, 52800, 2);
    CHECK(big > e1, "reverb room 1 rings longer than room 0.5");
    CHECK(t_rms(y, 5 * 48000, 6 * 48000, 2) < big, "reverb room 1 still decays");
    free(y);
    /* mix 0 is dry */
    y = t_filter("reverb", SR, x, n, t_k(0.5f), t_k(0.5f), t_k(0.0f), t_k(0));
    CHECK(y[0] == 1.0f && y[1] == 1.0f && t_peak(y, 2, n * 2, 1) == 0.0, "reverb mix 0 is the dry signal");
    free(y);
    free(x);
    /* steady loud noise at the extreme settings stays bounded */
    x = t_alloc((size_t)n);
    for (int t = 0; t < n; t++) x[t] = 2 * t_rand() - 1;
    y = t_filter("reverb", SR, x, n, t_k(10.0f), t_k(-3.0f), t_k(1.0f), t_k(0));
    CHECK(t_all_finite(y, 2 * (size_t)n) && t_peak(y, 0, 2 * n, 1) < 20, "reverb abused stays bounded", "peak %g",
          t_peak(y, 0, 2 * n, 1));
    free(y);
    free(x);
}

/* Lines and memories of the effects hold exact zeros once a sound has died away, never denormals. */
static void test_effect_tails(void)
{
    const char *names[] = { "delay", "reverb", "chorus", "limiter", "compressor" };
    int n = 10 * 48000;
    float *x = t_alloc((size_t)n);
    for (int t = 0; t < 4800; t++) x[t] = 2 * t_rand() - 1;
    for (int i = 0; i < 5; i++) {
        TNode nd = t_node(names[i], 1, SR, 1);
        TIn in[5] = { t_sig(x, 1), t_k(i == 0 ? 0.3f : (i == 4 ? -20.0f : 0.5f)), t_k(i == 4 ? 4.0f : 0.5f),
                      t_k(0.5f), t_k(0.1f) };
        float *y = t_alloc((size_t)n * nd.out_lanes);
        t_run(&nd, in, n, 64, y);
        int tiny = 0;
        for (size_t f = 0; f < nd.nst; f++) tiny += nd.st[f] != 0.0f && fabsf(nd.st[f]) < 1.17549435e-38f;
        for (size_t t = 0; t < (size_t)n * nd.out_lanes; t++) tiny += y[t] != 0.0f && fabsf(y[t]) < 1.17549435e-38f;
        char msg[96];
        snprintf(msg, sizeof msg, "%s: no denormals in its output or state after the sound dies", names[i]);
        CHECK_INT(tiny, 0, msg);
        free(y);
        t_free(&nd);
    }
    free(x);
}

static void test_chorus(void)
{
    int n = 48000;
    float *x = t_alloc((size_t)n);
    x[0] = 1.0f;
    /* depth 0: both taps sit at 15 ms = 720 samples */
    float *y = t_filter("chorus", SR, x, n, t_k(1.0f), t_k(0.0f), t_k(1.0f), t_k(0));
    CHECK(fabsf(y[2 * 720] - 1.0f) < 1e-6f && fabsf(y[2 * 720 + 1] - 1.0f) < 1e-6f,
          "chorus at depth 0 is a 15 ms delay on both channels");
    free(y);
    free(x);
    x = t_sine(n, SR, 1000, 0.5);
    y = t_filter("chorus", SR, x, n, t_k(0.5f), t_k(1.0f), t_k(0.5f), t_k(0));
    CHECK(t_all_finite(y, 2 * (size_t)n) && t_peak(y, 0, 2 * n, 1) < 1.0, "chorus output is finite and in range");
    int diff = 0;
    for (int t = 2000; t < n; t++) diff += y[2 * t] != y[2 * t + 1];
    CHECK(diff > n / 2, "chorus makes the channels differ");
    free(y);
    free(x);
}

static void test_bitcrush(void)
{
    int n = 4800;
    float *x = t_sine(n, SR, 100, 0.9);
    float *y = t_filter("bitcrush", SR, x, n, t_k(2.0f), t_k(1.0f), t_k(0), t_k(0));
    int off = 0;
    for (int t = 0; t < n; t++) off += y[t] != -1.0f && y[t] != -0.5f && y[t] != 0.0f && y[t] != 0.5f && y[t] != 1.0f;
    CHECK_INT(off, 0, "bitcrush 2 bits: every value is a multiple of 0.5");
    CHECK(fabsf(y[100] - roundf(x[100] * 2) / 2) == 0.0f, "bitcrush rounds to the nearest step");
    free(y);
    y = t_filter("bitcrush", SR, x, n, t_k(16.0f), t_k(4.0f), t_k(0), t_k(0));
    int changes_off_grid = 0, held = 1;
    for (int t = 1; t < n; t++)
        if (y[t] != y[t - 1] && t % 4 != 0) changes_off_grid++;
    for (int t = 0; t < n; t += 4) held &= fabsf(y[t] - x[t]) < 1e-4f;
    CHECK(changes_off_grid == 0 && held, "bitcrush rate 4: each 4th sample is held for 4 samples");
    free(y);
    y = t_filter("bitcrush", SR, x, n, t_k(16.0f), t_k(2.5f), t_k(0), t_k(0));
    int changes = 0;
    for (int t = 1; t < n; t++) changes += y[t] != y[t - 1];
    CHECK(abs(changes - n * 2 / 5) <= 2, "bitcrush rate 2.5: a new value every 2.5 samples on average");
    free(y);
    free(x);
}

static void test_compressor(void)
{
    int n = 48000;
    float *x = t_alloc((size_t)n);
    for (int t = 0; t < n; t++) x[t] = 1.0f;
    /* 0 dBFS against a -20 dB threshold at 4:1: 15 dB of gain reduction */
    float *y = t_filter("compressor", SR, x, n, t_k(-20.0f), t_k(4.0f), t_k(0.01f), t_k(0.1f));
    CHECK_NEAR(t_db(y[n - 1]), -15.0, 0.01, "compressor: 20 dB over at 4:1 comes out 15 dB down");
    /* the attack: 10 ms time constant, 63 % of the way after 480 samples */
    double g480 = t_db(y[480]);
    CHECK_NEAR(g480, -15.0 * (1 - exp(-1)), 0.3, "compressor attack time constant");
    free(y);
    for (int t = 0; t < n; t++) x[t] = 0.01f;
    y = t_filter("compressor", SR, x, n, t_k(-20.0f), t_k(4.0f), t_k(0.01f), t_k(0.1f));
    CHECK_NEAR(y[n - 1], 0.01, 1e-6, "compressor leaves a signal under the threshold alone");
    free(y);
    free(x);
}

static void test_limiter(void)
{
    int n = 48000;
    float *x = t_sine(n, SR, 440, 4.0);
    float *y = t_filter("limiter", SR, x, n, t_k(0.5f), t_k(0), t_k(0), t_k(0));
    CHECK(t_peak(y, 0, n, 1) <= 0.5, "limiter: nothing exceeds the ceiling", "peak %.9g", t_peak(y, 0, n, 1));
    CHECK(t_peak(y, 0, n, 1) > 0.49, "limiter: output reaches the ceiling");
    free(y);
    free(x);
    x = t_sine(n, SR, 440, 0.2);
    y = t_filter("limiter", SR, x, n, t_k(0.5f), t_k(0), t_k(0), t_k(0));
    CHECK(memcmp(x, y, sizeof(float) * n) == 0, "limiter leaves a quiet signal untouched");
    free(y);
    free(x);
}

static void test_pan(void)
{
    float x = 1.0f, lr[2];
    double worst = 0;
    for (int i = 0; i <= 20; i++) {
        float pos = i / 20.0f;
        float *y = t_filter("pan", SR, &x, 1, t_k(pos), t_k(0), t_k(0), t_k(0));
        worst = fmax(worst, fabs((double)y[0] * y[0] + (double)y[1] * y[1] - 1));
        if (i == 0) CHECK(y[0] == 1.0f && y[1] == 0.0f, "pan 0 is hard left");
        if (i == 10) CHECK_NEAR(y[0], sqrt(0.5), 1e-6, "pan 0.5: left at -3 dB");
        if (i == 10) CHECK(y[0] == y[1], "pan 0.5: centre is symmetric");
        if (i == 20) CHECK(fabsf(y[0]) < 1e-7f && y[1] == 1.0f, "pan 1 is hard right");
        free(y);
    }
    CHECK(worst < 1e-6, "pan is equal power: L^2 + R^2 = 1", "worst %g", worst);
    /* stereo in: balance leaves the centre alone and turns the far side down */
    TNode nd = t_node("pan", 2, SR, 1);
    float st[2] = { 0.8f, -0.6f };
    TIn in[2] = { t_sig(st, 2), t_k(0.5f) };
    t_run(&nd, in, 1, 1, lr);
    CHECK(lr[0] == 0.8f && lr[1] == -0.6f, "pan of a stereo input at 0.5 leaves it unchanged");
    in[1] = t_k(0.0f);
    t_run(&nd, in, 1, 1, lr);
    CHECK(lr[0] == 0.8f && lr[1] == 0.0f, "pan of a stereo input at 0: the right channel is gone");
    in[1] = t_k(0.75f);
    t_run(&nd, in, 1, 1, lr);
    CHECK(fabsf(lr[0] - 0.8f * 1.41421356f * 0.38268343f) < 1e-6f && lr[1] == -0.6f,
          "pan of a stereo input at 0.75 turns the left down by the same law");
    t_free(&nd);
}

static void test_state_hook(void)
{
    const char *names[] = { "delay", "chorus", "reverb" };
    for (int i = 0; i < 3; i++) {
        const DspKind *k = t_kind(names[i]);
        char msg[96];
        snprintf(msg, sizeof msg, "%s: state grows with the sample rate; nstate covers 48 kHz", names[i]);
        CHECK(k->state_floats && dsp_state_floats(k, 96000) > dsp_state_floats(k, 48000) &&
                  k->nstate >= dsp_state_floats(k, 48000),
              msg, "%d %d %d", dsp_state_floats(k, 48000), dsp_state_floats(k, 96000), k->nstate);
    }
    CHECK_INT(dsp_state_floats(t_kind("lpf"), 96000), 2, "lpf: state is nstate at any rate");
    /* the delay at 96 kHz still holds 4 s */
    int n = 4 * 96000 + 10;
    float *x = t_alloc((size_t)n);
    x[0] = 1.0f;
    float *y = t_filter("delay", 96000, x, n, t_k(4.0f), t_k(0.0f), t_k(1.0f), t_k(0));
    CHECK(fabsf(y[4 * 96000] - 1.0f) < 1e-6f, "delay at 96 kHz holds 4 s");
    free(y);
    free(x);
}

int main(void)
{
    test_delay();
    test_reverb();
    test_effect_tails();
    test_chorus();
    test_bitcrush();
    test_compressor();
    test_limiter();
    test_pan();
    test_state_hook();
    return test_done();
}
