/* test_sound_filter.c — what a listener hears of bpf and notch near Nyquist: the band is centre / q wide
 * (-3 dB edges) at high centres too, and still 0 dB at the centre. */
#include "test_dsp_util.h"

#define FS 44100.0f
#define LEN 8820

static double gain_at(const char *kind, double f, float fc, float q)
{
    float *x = t_sine(LEN, FS, f, 0.5);
    float *y = t_filter(kind, FS, x, LEN, t_k(fc), t_k(q), t_k(0), t_k(0));
    double a = t_amp_at(y, LEN / 2, LEN, 1, f, FS) / 0.5;
    free(x);
    free(y);
    return a;
}

/* The frequency between lo and hi where the band-pass gain crosses 1/sqrt(2). */
static double edge(float fc, float q, double lo, double hi, int rising)
{
    for (int i = 0; i < 18; i++) {
        double mid = 0.5 * (lo + hi), g = gain_at("bpf", mid, fc, q);
        if ((g < M_SQRT1_2) == rising) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

static void test_bandwidth(void)
{
    static const float fcs[] = { 1000, 5000, 8000, 12000 };
    char msg[128];
    for (int i = 0; i < 4; i++) {
        float fc = fcs[i], q = 4;
        double f1 = edge(fc, q, fc * 0.5, fc, 1), f2 = edge(fc, q, fc, fc * 1.5 < 21000 ? fc * 1.5 : 21000, 0);
        double bw = f2 - f1, want = fc / q;
        snprintf(msg, sizeof msg, "bpf %.0f Hz q 4: %.0f Hz wide within 5%%", fc, want);
        CHECK(fabs(bw / want - 1) < 0.05, msg, "%.0f Hz (%.0f .. %.0f)", bw, f1, f2);
        snprintf(msg, sizeof msg, "bpf %.0f Hz q 4: 0 dB at the centre", fc);
        CHECK(fabs(t_db(gain_at("bpf", fc, fc, q))) < 0.05, msg, "%.3f dB", t_db(gain_at("bpf", fc, fc, q)));
        printf("# bpf %.0f Hz q 4: %.0f Hz wide (%.0f .. %.0f), wanted %.0f\n", fc, bw, f1, f2, want);
    }
    CHECK(gain_at("notch", 12000, 12000, 4) < 0.01, "notch 12 kHz q 4: nothing at the centre");
    CHECK(gain_at("notch", 9000, 12000, 4) > 0.85, "notch 12 kHz q 4: 9 kHz passes");
}

int main(void)
{
    test_bandwidth();
    return test_done();
}
