/* test_sound_comp.c — the compressor's attack and release as a listener hears them: a 1 kHz tone steps
 * from -40 dB to 0 dB (threshold -20, ratio 4) and back; the gain reduction reaches 63 % of its change
 * in the attack time, and recovers 63 % in the release time. */
#include "test_dsp_util.h"

#define FS 44100.0f

/* Gain reduction in dB per 1 ms (the tone's peak over each 44-frame period against the input's). */
static void reduction(const float *y, const float *x, int from, int n, double *gr)
{
    for (int k = 0; k < n; k++) {
        int a = from + k * 44 + 1;
        gr[k] = t_db(t_peak(y, a, a + 44, 1) / t_peak(x, a, a + 44, 1));
    }
}

/* ms until the reduction, from its value at start, has made 63 % of the way to its value at the end. */
static double time63(const double *gr, int n)
{
    double a = gr[0], b = gr[n - 1], target = a + 0.632 * (b - a);
    for (int k = 0; k < n; k++)
        if ((b < a && gr[k] <= target) || (b > a && gr[k] >= target)) return k;
    return n;
}

static void test_times(void)
{
    static const float att[] = { 0.005f, 0.01f, 0.03f }, rel[] = { 0.05f, 0.1f, 0.2f };
    int frames = (int)FS * 2;
    float *x = t_alloc((size_t)frames);
    for (int t = 0; t < frames; t++) {
        double a = t >= (int)FS / 2 && t < (int)FS ? 1.0 : 0.01;
        x[t] = (float)(a * sin(2 * TPI * 1000 * t / FS));
    }
    double gr[600];
    char msg[128];
    for (int i = 0; i < 3; i++) {
        float *y = t_filter("compressor", FS, x, frames, t_k(-20), t_k(4), t_k(att[i]), t_k(rel[i]));
        reduction(y, x, (int)FS / 2, 300, gr);
        double ta = time63(gr, 300);
        reduction(y, x, (int)FS, 600, gr);
        double tr = time63(gr, 600);
        snprintf(msg, sizeof msg, "compressor attack %.0f ms: 63%% of the reduction within 20%% of it", att[i] * 1000);
        CHECK(fabs(ta / (att[i] * 1000) - 1) < 0.2, msg, "%.0f ms", ta);
        snprintf(msg, sizeof msg, "compressor release %.0f ms: 63%% recovered within 20%% of it", rel[i] * 1000);
        CHECK(fabs(tr / (rel[i] * 1000) - 1) < 0.2, msg, "%.0f ms", tr);
        printf("# compressor attack %.0f ms -> %.0f ms, release %.0f ms -> %.0f ms\n", att[i] * 1000, ta,
               rel[i] * 1000, tr);
        free(y);
    }
    free(x);
}

int main(void)
{
    test_times();
    return test_done();
}
