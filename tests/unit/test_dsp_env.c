/* test_dsp_env.c — envelopes (exact stage timing, shapes, retrigger) and the math kinds. */
#include "test_dsp_util.h"

#define SR 48000.0f

/* gate = 1 on [on, off), else 0 */
static float *gate_sig(int n, int on, int off)
{
    float *g = t_alloc((size_t)n);
    for (int t = on; t < off && t < n; t++) g[t] = 1.0f;
    return g;
}

static float *env_run(const char *name, const float *gate, int n, TIn p1, TIn p2, TIn p3, TIn p4)
{
    TNode nd = t_node(name, 1, SR, 1);
    TIn in[5] = { t_sig(gate, 1), p1, p2, p3, p4 };
    float *y = t_alloc((size_t)n);
    t_run(&nd, in, n, 64, y);
    t_free(&nd);
    return y;
}

static void test_adsr(void)
{
    int n = 48000;
    float *g = gate_sig(n, 100, 24000);
    /* a 10 ms = 480 samples, d 100 ms = 4800, s 0.5, r 200 ms = 9600 */
    float *y = env_run("adsr", g, n, t_k(0.01f), t_k(0.1f), t_k(0.5f), t_k(0.2f));
    CHECK(y[99] == 0.0f, "adsr is 0 before the gate");
    CHECK(y[100] > 0.0f, "adsr starts on the gate's first sample");
    CHECK_NEAR(y[100 + 239], 0.5, 1e-6, "adsr attack is linear: half way after 240 of 480 samples");
    CHECK(y[100 + 479] == 1.0f && y[100 + 478] < 1.0f, "adsr attack peaks exactly on its 480th sample");
    CHECK(y[100 + 480] < 1.0f, "adsr decays right after the peak");
    int dend = 100 + 479 + 4800;
    /* (a curve may touch its target a sample or two early, by less than 1e-5: float rounding) */
    CHECK(y[dend] == 0.5f && y[dend - 10] > 0.5f && y[dend - 1] - 0.5f < 1e-5f,
          "adsr decay reaches the sustain level exactly on its 4800th sample");
    /* the decay curve: (e^-4x - e^-4) / (1 - e^-4) of the way from 1 to 0.5, at x = 1/4 */
    double x = 0.25, want = 0.5 + 0.5 * (exp(-4 * x) - exp(-4)) / (1 - exp(-4));
    CHECK_NEAR(y[100 + 479 + 1200], want, 1e-4, "adsr decay follows the -4 curve");
    CHECK(y[20000] == 0.5f, "adsr holds the sustain level");
    int rend = 24000 + 9600 - 1;
    CHECK(y[24000] < 0.5f && y[24000] > 0.49f, "adsr release starts on the gate's fall");
    CHECK(y[rend] == 0.0f && y[rend - 10] > 0.0f && y[rend - 1] < 1e-5f,
          "adsr release reaches exactly 0 on its 9600th sample");
    CHECK(y[rend + 1000] == 0.0f, "adsr stays at 0 after the release");
    double mono = 1;
    for (int t = 24000; t < rend; t++) {
        double step = y[t] - y[t + 1];
        mono = step < mono ? step : mono;
    }
    CHECK(mono >= 0, "adsr release falls monotonically");
    free(y);
    free(g);

    /* release during the attack starts from where the level is; retrigger restarts the attack from there */
    g = gate_sig(n, 0, 240);
    y = env_run("adsr", g, n, t_k(0.01f), t_k(0.1f), t_k(0.5f), t_k(0.02f));
    CHECK(fabsf(y[239] - 0.5f) < 1e-6f && y[240] < y[239] && y[240] > 0.45f,
          "adsr released in mid-attack falls from that level");
    CHECK(y[240 + 959] == 0.0f, "adsr release from mid-attack still takes the release time");
    free(y);
    /* retrigger while releasing: gate off at 240, on again at 600 */
    for (int t = 600; t < 2000; t++) g[t] = 1.0f;
    y = env_run("adsr", g, n, t_k(0.01f), t_k(0.1f), t_k(0.5f), t_k(0.02f));
    float from = y[599];
    CHECK(from > 0.0f && y[600] > from, "adsr retrigger during release rises from the current level");
    CHECK(y[600 + 479] == 1.0f, "adsr retriggered attack still lasts the attack time");
    free(y);
    free(g);

    /* zero times: instant steps, no division by zero */
    g = gate_sig(1000, 10, 500);
    y = env_run("adsr", g, 1000, t_k(0), t_k(0), t_k(0.25f), t_k(0));
    CHECK(y[10] == 1.0f && y[11] == 0.25f && y[500] == 0.0f, "adsr with zero times jumps (1, sustain, 0)");
    free(y);
    free(g);
}

static void test_ar_perc(void)
{
    int n = 48000;
    float *g = gate_sig(n, 0, 10000);
    float *y = env_run("ar", g, n, t_k(0.005f), t_k(0.1f), t_k(0), t_k(0));
    CHECK(y[239] == 1.0f && y[238] < 1.0f, "ar peaks on its 240th sample");
    CHECK(y[5000] == 1.0f && y[9999] == 1.0f, "ar holds 1 while the gate is on");
    CHECK(y[10000 + 4799] == 0.0f && y[10000 + 4790] > 0.0f, "ar release ends exactly on its 4800th sample");
    free(y);
    free(g);

    /* perc ignores the gate's fall: a short trigger still plays the whole decay */
    g = gate_sig(n, 0, 10);
    y = env_run("perc", g, n, t_k(0.5f), t_k(0), t_k(0), t_k(0));
    CHECK(y[47] == 1.0f && y[46] < 1.0f, "perc: 1 ms attack peaks on sample 48");
    int end = 48 + 24000 - 1;
    CHECK(y[end] == 0.0f && y[end - 10] > 0.0f, "perc decays to exactly 0 over its release time");
    CHECK_NEAR(y[48 + 6000], (exp(-1) - exp(-4)) / (1 - exp(-4)), 1e-4, "perc decay follows the -4 curve");
    free(y);
    free(g);
}

static void test_env_modulated(void)
{
    /* times given as full-rate signals give the same result as constants of the same value */
    int n = 30000;
    float *g = gate_sig(n, 10, 15000);
    float *a = t_alloc(n), *d = t_alloc(n), *s = t_alloc(n), *r = t_alloc(n);
    for (int t = 0; t < n; t++) a[t] = 0.01f, d[t] = 0.05f, s[t] = 0.6f, r[t] = 0.1f;
    float *y1 = env_run("adsr", g, n, t_k(0.01f), t_k(0.05f), t_k(0.6f), t_k(0.1f));
    float *y2 = env_run("adsr", g, n, t_sig(a, 1), t_sig(d, 1), t_sig(s, 1), t_sig(r, 1));
    CHECK(memcmp(y1, y2, sizeof(float) * n) == 0, "adsr: constant and full-rate parameters give the same bits");
    free(y1), free(y2), free(g), free(a), free(d), free(s), free(r);
}

static void test_math(void)
{
    int n = 256;
    float *a = t_alloc(n), *b = t_alloc(n);
    for (int t = 0; t < n; t++) a[t] = (float)t - 100.0f, b[t] = (float)(t % 7) - 3.0f;
    struct { const char *name; int nin; } ops[] = { { "add", 2 }, { "sub", 2 }, { "mul", 2 }, { "div", 2 },
                                                    { "neg", 1 }, { "abs", 1 } };
    for (int i = 0; i < 6; i++) {
        TNode nd = t_node(ops[i].name, 1, SR, 1);
        TIn in[2] = { t_sig(a, 1), t_sig(b, 1) };
        float *y = t_alloc(n);
        t_run(&nd, in, n, 64, y);
        int bad = 0;
        for (int t = 0; t < n; t++) {
            float want;
            switch (i) {
            case 0: want = a[t] + b[t]; break;
            case 1: want = a[t] - b[t]; break;
            case 2: want = a[t] * b[t]; break;
            case 3: want = b[t] == 0 ? 0.0f : a[t] / b[t]; break;
            case 4: want = -a[t]; break;
            default: want = fabsf(a[t]); break;
            }
            bad += y[t] != want;
        }
        char msg[64];
        snprintf(msg, sizeof msg, "%s is exact%s", ops[i].name, i == 3 ? " (and x/0 is 0)" : "");
        CHECK_INT(bad, 0, msg);
        free(y);
        t_free(&nd);
    }
    /* all-constant inputs give a constant output */
    TNode nd = t_node("mul", 32, SR, 1);
    TIn kin[2] = { t_k(3.0f), t_k(0.5f) };
    float *y = t_alloc(64 * 32);
    int nconst = t_run(&nd, kin, 64, 64, y);
    CHECK(nconst == 1 && y[0] == 1.5f && y[31] == 1.5f && y[63 * 32 + 17] == 1.5f,
          "mul of two constants is a constant of every lane");
    t_free(&nd);
    free(y);
    /* overflow never gives inf */
    nd = t_node("mul", 1, SR, 1);
    TIn big[2] = { t_k(1e30f), t_k(1e30f) };
    float v;
    t_run(&nd, big, 1, 1, &v);
    CHECK(v == 0.0f, "mul overflow gives 0, not inf");
    t_free(&nd);

    /* mix: unused inputs are the constant 0 */
    nd = t_node("mix", 1, SR, 1);
    TIn mi[6] = { t_sig(a, 1), t_sig(b, 1), t_k(1.0f), t_k(0), t_k(0), t_k(0) };
    y = t_alloc(n);
    t_run(&nd, mi, n, 64, y);
    int bad = 0;
    for (int t = 0; t < n; t++) bad += y[t] != (a[t] + b[t]) + 1.0f;
    CHECK_INT(bad, 0, "mix sums its given inputs");
    t_free(&nd);
    free(y);

    nd = t_node("clip", 1, SR, 1);
    TIn ci[3] = { t_sig(a, 1), t_k(-2.0f), t_k(3.0f) };
    y = t_alloc(n);
    t_run(&nd, ci, n, 64, y);
    CHECK(y[0] == -2.0f && y[102] == 2.0f && y[200] == 3.0f, "clip limits to [lo, hi]");
    t_free(&nd);
    free(y);

    nd = t_node("mtof", 1, SR, 1);
    float notes[4] = { 69, 81, 60, 0 }, hz[4];
    TIn mt[1] = { t_sig(notes, 1) };
    t_run(&nd, mt, 4, 4, hz);
    CHECK_NEAR(hz[0], 440.0, 1e-4, "mtof 69 = 440 Hz");
    CHECK_NEAR(hz[1], 880.0, 2e-4, "mtof 81 = 880 Hz");
    CHECK_NEAR(hz[2] / 261.6255653, 1.0, 1e-6, "mtof 60 = 261.63 Hz");
    CHECK_NEAR(hz[3] / 8.1757989, 1.0, 1e-6, "mtof 0 = 8.18 Hz");
    t_free(&nd);

    nd = t_node("distort", 1, SR, 1);
    float *x = t_sine(4800, SR, 100, 1.0);
    TIn di[3] = { t_sig(x, 1), t_k(20.0f), t_k(1.0f) };
    y = t_alloc(4800);
    t_run(&nd, di, 4800, 64, y);
    CHECK(t_peak(y, 0, 4800, 1) <= 1.0 && t_peak(y, 0, 4800, 1) > 0.99, "distort saturates towards +-1");
    CHECK(t_amp_at(y, 0, 4800, 1, 300, SR) > 0.2, "distort makes odd harmonics");
    t_free(&nd);
    nd = t_node("distort", 1, SR, 1);
    TIn dd[3] = { t_sig(x, 1), t_k(20.0f), t_k(0.0f) };
    t_run(&nd, dd, 4800, 64, y);
    CHECK(memcmp(x, y, sizeof(float) * 4800) == 0, "distort at mix 0 is the dry signal");
    t_free(&nd);
    free(x), free(y), free(a), free(b);
}

int main(void)
{
    test_adsr();
    test_ar_perc();
    test_env_modulated();
    test_math();
    return test_done();
}
