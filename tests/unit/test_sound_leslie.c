/* test_sound_leslie.c — leslie's rotors glide as dirt_leslie's do. A cabinet on "fast" (lrate 6.7) gets an
 * event with lrate 0.7: the horn's rate, measured from the Doppler swing of a steady 14.7 kHz tone, and the
 * drum's throb, from the level of a steady 50 Hz tone, follow SC's Lag curves of 10 s and 20 s (a one-pole
 * whose lag time is its 60 dB time), their swings between the channels those of 2 s and 4 s. The rotors' table against the exact per-frame one-pole (the error of
 * the linear ramps between segment ends); the same bits for blocks of 64 and 1024 frames, on 1 and 3 threads with rates changing on two orbits; an unchanged re-eval changes
 * nothing. */
#include <complex.h>
#include <stdio.h>

#include "phonon.h"
#include "test.h"
#include "test_engine_util.h"
#include "test_voice_util.h"
#include "voice_impl.h"

#define SR 44100.0

/* SC's Lag from r0 to x, starting at T0, lag time `lag` (-60 dB): its rate at t and its turns over [a, b]. */
static double lag_rate(double t, double T0, double r0, double x, double lag)
{
    return t < T0 ? r0 : x + (r0 - x) * pow(0.001, (t - T0) / lag);
}

static double lag_turns(double a, double b, double T0, double r0, double x, double lag)
{
    if (b <= T0) return r0 * (b - a);
    double pre = 0;
    if (a < T0) pre = r0 * (T0 - a), a = T0;
    double k = log(1000) / lag;
    return pre + x * (b - a) + (r0 - x) / k * (exp(-k * (a - T0)) - exp(-k * (b - T0)));
}

/* A steady sine at f (amplitude 0.5) with leslie 1, lrate 6.7, lsize 0.3, centred; at T0 an event on the
 * same orbit (a silent voice) with lrate 0.7. Renders `frames` of both channels. */
static void glide_render_blocks(double f, int k0, float *L, float *R, int frames, int block)
{
    Sample s = tv_sine(frames + 64, SR, f, 0.5), z = tv_dc(64, 1, 0, 0);
    TvRig r = tv_rig(64, block, SR, 0);
    VoiceStart v = tv_start_sample(&s), w = tv_start_sample(&z);
    v.pan = w.pan = 0.5f;
    v.leslie = w.leslie = 1;
    v.lsize = w.lsize = 0.3f;
    v.lrate = 6.7f;
    w.lrate = 0.7f;
    w.gain = 0;
    voice_begin_block(r.vp, block);
    voice_start(r.vp, &v);
    int at = k0 * 64;                   /* the event's frame */
    w.offset = at % block;
    for (int b = 0; b * block < frames; b++) {
        if (b == at / block) voice_start(r.vp, &w);
        tv_block(&r, 0, L, R, b * block);
    }
    tv_rig_free(&r);
    tv_sample_free(&s);
    tv_sample_free(&z);
}

static void glide_render(double f, int k0, float *L, float *R, int frames) { glide_render_blocks(f, k0, L, R, frames, 64); }

/* Times (s) where y[0..n) (one value every dt s, from `from` on) crosses the middle of its range. */
static int crossings(const double *y, int n, int from, double dt, double *c, int max)
{
    double lo = 1e300, hi = -1e300;
    for (int i = from; i < n; i++) lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
    double mid = 0.5 * (lo + hi);
    int k = 0;
    for (int i = from + 1; i < n && k < max; i++) {
        double a = y[i - 1] - mid, b = y[i] - mid;
        if ((a < 0) != (b < 0)) c[k++] = (i - 1 + a / (a - b)) * dt;
    }
    return k;
}

/* The rotor's rate at t from the crossings: one turn is two crossings (sin = 0 going up and down), so the
 * turn [c_j, c_j+2] around t gives a measured rate 1 / (c_j+2 - c_j); the Lag's mean rate over the same
 * span is what it should be. Returns measured / Lag - 1, and the two rates. */
static double glide_at(const double *c, int k, double t, double T0, double r0, double x, double lag, double *got,
                       double *want)
{
    int j = 0;
    while (j + 2 < k && c[j + 2] < t) j++;
    if (j + 2 >= k) return 1e9;
    double a = c[j], b = c[j + 2];
    *got = 1 / (b - a);
    *want = lag_turns(a, b, T0, r0, x, lag) / (b - a);
    return *got / *want - 1;
}

/* A rotor that moves the sound between the channels: left over right at f (dB, boxes of `box` frames,
 * whole periods of f) crosses its middle twice a turn; its rate at T0 + at[i] against the Lag's. */
static void glide_balance(const float *L, const float *R, int N, double f, int box, double T0, double r0, double x,
                          double lag, const double *at, int nat, const char *what, const char *curve, double tol)
{
    int nb = N / box;
    double *y = calloc((size_t)nb, sizeof(double)), *c = calloc(8192, sizeof(double));
    for (int i = 0; i < nb; i++) {
        double complex zl = 0, zr = 0;
        for (int t = box * i; t < box * (i + 1); t++) {
            double complex e = cexp(-I * 2 * M_PI * f * t / SR);
            zl += L[t] * e, zr += R[t] * e;
        }
        y[i] = 20 * log10(cabs(zl) / cabs(zr));
    }
    int k = crossings(y, nb, (int)(0.05 * SR / box), box / SR, c, 8192);
    double worst = 0;
    for (int i = 0; i < nat; i++) {
        double got, want, err = glide_at(c, k, T0 + at[i], T0, r0, x, lag, &got, &want);
        printf("# %s %+4.1f s after: %.4f Hz measured, %s %.4f Hz: %+.2f %%\n", what, at[i], got, curve, want, 100 * err);
        worst = fmax(worst, fabs(err));
    }
    char name[200];
    snprintf(name, sizeof name, "leslie: the %s follows %s within %.0f %%", what, curve, 100 * tol);
    CHECK(worst < tol, name, "worst %.2f %%", 100 * worst);
    free(y), free(c);
}

static void test_glide(void)
{
    const int k0 = 2067;                            /* the event at block 2067: T0 = 2.9997 s */
    const double T0 = k0 * 64 / SR;
    const int N = (int)(SR * (T0 + 23)) / 64 * 64;
    float *L = calloc((size_t)N, sizeof(float)), *R = calloc((size_t)N, sizeof(float));
    int nb = N / 3;
    double *y = calloc((size_t)nb, sizeof(double)), *c = calloc(4096, sizeof(double));

    /* the horn: 14700 Hz (three frames a period; a box of three frames removes the image), its phase
       is -2 pi f delay, the delay swinging over lsize / 343 s (81 rad) with sin(distance's angle) */
    const double HF = SR / 3;
    glide_render(HF, k0, L, R, N);
    double complex e3[3];
    for (int t = 0; t < 3; t++) e3[t] = cexp(-I * 2 * M_PI * t / 3.0);
    double prev = 0, acc = 0;
    for (int i = 0; i < nb; i++) {
        double complex zz = 0;
        for (int t = 0; t < 3; t++) zz += (L[3 * i + t] + R[3 * i + t]) * e3[t];
        double p = carg(zz), d = i ? remainder(p - prev, 2 * M_PI) : 0;
        prev = p, acc += d;
        y[i] = -acc;
    }
    int k = crossings(y, nb, 2000, 3 / SR, c, 4096);
    double worst = 0;
    static const double at[] = { -1, 1, 2, 5, 10, 20 };
    for (int i = 0; i < 6; i++) {
        double got, want, err = glide_at(c, k, T0 + at[i], T0, 6.7, 0.7, 10, &got, &want);
        printf("# horn %+3.0f s after lrate 6.7 -> 0.7: %.4f Hz measured, Lag(lrate, 10) %.4f Hz: %+.2f %% (the Lag's "
               "rate at that moment %.4f Hz)\n", at[i], got, want, 100 * err, lag_rate(T0 + at[i], T0, 6.7, 0.7, 10));
        worst = fmax(worst, fabs(err));
    }
    CHECK(worst < 0.01, "leslie: after lrate 6.7 -> 0.7 the horn's Doppler rate follows Lag(lrate, 10) (-1, 1, 2, 5, 10, 20 s) "
          "within 1 %", "worst %.2f %%", 100 * worst);
    /* its swing between the channels (left over right, dB: the horn's level cancels) follows Lag(lrate, 2) */
    static const double bat[] = { -1, 0.5, 1, 2, 5 };
    glide_balance(L, R, N, HF, 30, T0, 6.7, 0.7, 2, bat, 5, "horn's swing", "Lag(lrate, 2)", 0.02);

    /* the drum: 50 Hz (882 frames a period), its level over boxes of one period, both channels' power
       together (Balance2 keeps it), throbs with 1 - 1.3 lsize (0.5 + 0.5 sin(throb's angle)) */
    glide_render(50, k0, L, R, N);
    int box = 882;
    nb = N / box;
    for (int i = 0; i < nb; i++) {
        double complex zl = 0, zr = 0;
        for (int t = box * i; t < box * (i + 1); t++) {
            double complex e = cexp(-I * 2 * M_PI * 50 * t / SR);
            zl += L[t] * e, zr += R[t] * e;
        }
        y[i] = sqrt(creal(zl * conj(zl)) + creal(zr * conj(zr)));
    }
    k = crossings(y, nb, 10, box / SR, c, 4096);
    worst = 0;
    for (int i = 0; i < 6; i++) {
        double got, want, err = glide_at(c, k, T0 + at[i], T0, 0.8 * 6.7, 0.8 * 0.7, 20, &got, &want);
        printf("# throb %+3.0f s after: %.4f Hz measured, Lag(0.8 lrate, 20) %.4f Hz: %+.2f %%\n", at[i], got, want, 100 * err);
        worst = fmax(worst, fabs(err));
    }
    /* the box's 20 ms and the horn's 0.4 % of 50 Hz blur the level a little */
    CHECK(worst < 0.02, "leslie: the drum's throb follows Lag(0.8 lrate, 20) (-1, 1, 2, 5, 10, 20 s) within 2 %",
          "worst %.2f %%", 100 * worst);
    static const double dat[] = { -1, 1, 2, 4, 8 };
    glide_balance(L, R, N, 50, box, T0, 0.8 * 6.7, 0.8 * 0.7, 4, dat, 5, "drum's swing", "Lag(0.8 lrate, 4)", 0.02);
    free(L), free(R), free(y), free(c);
}

/* The rotors' segments lie on the pool's frame grid: blocks of 1024 frames (four pieces each, the event
 * inside one) play the same bits as blocks of 64. */
static void test_blocks(void)
{
    const int N = 1024 * 600;
    float *L[2], *R[2];
    for (int i = 0; i < 2; i++) {
        L[i] = calloc((size_t)N, sizeof(float)), R[i] = calloc((size_t)N, sizeof(float));
        glide_render_blocks(SR / 3, 2067, L[i], R[i], N, i ? 1024 : 64);
    }
    CHECK(memcmp(L[0], L[1], sizeof(float) * (size_t)N) == 0 && memcmp(R[0], R[1], sizeof(float) * (size_t)N) == 0,
          "leslie gliding: blocks of 1024 frames play the same bits as blocks of 64");
    for (int i = 0; i < 2; i++) free(L[i]), free(R[i]);
}

/* The table the voices read against dirt_leslie's rotors computed exactly: a per-frame one-pole for each
 * rate (b = 0.001^(1/(lag sr))) and the angle summed frame by frame, in double. */
static void test_table(void)
{
    VfxMem m;
    CHECK(vfx_mem_init(&m, SR, 64), "the pool's leslie memory");
    m.les_orb[0].voices = 1;                        /* as if a voice read orbit 0's rows */
    static const double lag[4] = { 10, 20, 4, 2 }, mult[4] = { 1, 0.8, 0.8, 1 };
    double rate[4], turn[4], b[4], x = 6.7, worst[4] = { 0 }, dturn[4] = { 0 };
    for (int q = 0; q < 4; q++) rate[q] = x * mult[q], turn[q] = 0, b[q] = exp(log(0.001) / (lag[q] * SR));
    const int blocks = (int)(40 * SR / 64), k0 = 1000, k1 = 1000 + (int)(25 * SR / 64);
    for (int blk = 0; blk < blocks; blk++) {
        int at = 17;                                /* events inside blocks: segments split there */
        double to = blk == k0 ? 0.7 : blk == k1 ? 6.7 : -1;
        if (blk == 0) vfx_les_event(&m, 0, 0, 6.7, 0);
        if (to >= 0) vfx_les_event(&m, 0, at, to, 0);
        vfx_les_piece(&m, 0, 64);
        for (int t = 0; t < 64; t++) {
            if (to >= 0 && t == at) x = to;
            for (int q = 0; q < 4; q++) {
                double a = 2 * M_PI * turn[q], want = q < 2 ? sin(a) : cos(a);
                worst[q] = fmax(worst[q], fabs(m.les_rot[4 * t + q] - want));
                turn[q] += rate[q] / SR;
                turn[q] -= floor(turn[q]);
                rate[q] = x * mult[q] + (rate[q] - x * mult[q]) * b[q];
            }
        }
        vfx_les_end(&m, 64);
        for (int q = 0; q < 4; q++) {
            double d = fabs(remainder(m.les_orb[0].turn[q] - turn[q], 1));
            dturn[q] = fmax(dturn[q], d);
        }
    }
    /* the table's rates are the one-pole's at each segment's end (64 frames, or an event) and ramp
       linearly between: what differs is the sum of the ramps' distance from the exponential */
    double w = fmax(fmax(worst[0], worst[1]), fmax(worst[2], worst[3]));
    printf("# rotor table against the per-frame one-pole over 40 s (6.7 -> 0.7 -> 6.7): largest difference of the "
           "sines %.2e %.2e %.2e %.2e (distance, throb, bal1, bal2); of the angles %.2e %.2e %.2e %.2e turns\n",
           worst[0], worst[1], worst[2], worst[3], dturn[0], dturn[1], dturn[2], dturn[3]);
    CHECK(w < 1e-4, "leslie: the rotors' linear ramps stay within 1e-4 of the exact per-frame one-pole (sin and cos)",
          "%.2e", w);
    vfx_mem_free(&m);
}

/* ---- through the engine ---------------------------------------------------------------------- */



static double rms(const float *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
    return sqrt(s / n);
}

/* Rates that change on two orbits, samples and instruments, on 1 and 3 threads: the same bits. */
static void test_threads(void)
{
    enum { N = 88064 };
    const char *prog = "tempo: 2\n~s $ saw # lpf 3000\n"
                       "d1 $ s \"[bd sn hh ~s]*8\" # n \"0 .. 7\" # leslie \"1 0.5\" # lrate \"<6.7 0.7>\" # lsize \"0.3 1\" # legato 2\n"
                       "d2 $ s \"~s*16\" # note \"c e g b\" # leslie 1 # lrate \"<0.7 3 6.7>\" # gain 0.2 # orbit 1\n";
    float *a[2];
    int threads[2] = { 1, 3 };
    char err[256] = "";
    for (int i = 0; i < 2; i++) {
        a[i] = te_play(prog, SR, threads[i], N, err, sizeof err);
        CHECK(a[i] != NULL, "the program compiles", "%s", err);
        if (!a[i]) return;
    }
    CHECK(memcmp(a[0], a[1], sizeof(float) * N) == 0, "leslie gliding on two orbits: threads 1 and 3 render the same bits");
    CHECK(rms(a[0], N) > 0.01, "and they play", "RMS %.4f", rms(a[0], N));
    free(a[0]), free(a[1]);
}

/* Re-evaluating the same program while its rotors glide changes nothing: its rotors go on as they were
 * (a program's re-eval puts the new events' voices into new lane groups, which sums them in another order:
 * the same program without leslie differs by 3e-8 after it; a cabinet that started again would differ by
 * a tenth of the level). */
static double reeval_diff(const char *prog)
{
    enum { N = 88064 };
    float *a[2], *r = calloc(N, sizeof(float));
    for (int i = 0; i < 2; i++) {
        Phonon *ph = te_engine(SR, 1);
        PhononError e[2];
        CHECK(phonon_eval(ph, prog, "t.ph", e, 2) == 0, "the program compiles", "%s", e[0].msg);
        a[i] = calloc(N, sizeof(float));
        te_render(ph, a[i], r, N / 2);
        if (i) CHECK(phonon_eval(ph, prog, "t.ph", e, 2) == 0, "the same program again", "%s", e[0].msg);
        te_render(ph, a[i] + N / 2, r, N / 2);
        phonon_free(ph);
    }
    double d = 0;
    for (int t = 0; t < N; t++) d = fmax(d, fabs(a[0][t] - a[1][t]));
    free(a[0]), free(a[1]), free(r);
    return d;
}

static void test_reeval(void)
{
    const char *plain = "tempo: 1\n~s $ sine\nd1 $ s \"~s*4\" # note \"<9 4>\" # legato 1 # gain 0.5\n";
    const char *les = "tempo: 1\n~s $ sine\nd1 $ s \"~s*4\" # note \"<9 4>\" # legato 1 # gain 0.5 # leslie 1 "
                      "# lrate \"<6.7 0.7>\" # lsize 0.3\n";
    double d0 = reeval_diff(plain), d1 = reeval_diff(les);
    printf("# an unchanged re-eval at 1 s, mid-glide: largest difference %.2e (without leslie %.2e)\n", d1, d0);
    CHECK(d1 <= 4 * d0 + 1e-7, "leslie: an unchanged re-eval mid-glide changes nothing (no more than the same program "
          "without leslie: the voices' order of summing)", "%.2e, without leslie %.2e", d1, d0);
}

int main(void)
{
    test_glide();
    test_blocks();
    test_table();
    test_threads();
    test_reeval();
    return test_done();
}
