/* test_sound_fx.c — SuperDirt's squiz and leslie as a listener hears them.
 * squiz (sc3-plugins' Squiz as SuperDirt runs it): a sine's strongest component moves to squiz x its
 * frequency at 1/squiz of its level, the output repeats with the input's period and each period holds one
 * squeezed fragment of period/squiz frames. leslie (dirt_leslie): its output against dirt_leslie's
 * mathematics evaluated here on its own (SinOsc, HPF, DelayC, Balance2), also for voices that start late
 * (the rotors' angle is the engine clock's), the Doppler delay's depth and
 * rate (lsize / 343 s at lrate), the amplitude throb at 0.8 lrate, the stereo motion, the tail after the
 * voice, the dry/wet mix. Both through the language (`# squiz 2`, `# leslie 1 # lrate 6.7 # lsize 0.3`)
 * and from a Tidal OSC event; the cost per voice-sample from a short run. */
#include <complex.h>
#include <stdio.h>
#include <time.h>

#include "phonon.h"
#include "test.h"
#include "test_engine_util.h"
#include "test_dirt_osc.h"
#include "test_voice_util.h"

#define SR 44100.0

/* One sample voice of a sine at f (amplitude 0.5, 4 s), with fx() set, rendered for `frames`. */
static void play_sine(double f, void (*fx)(VoiceStart *, double), double arg, float pan, float *L, float *R, int frames)
{
    Sample s = tv_sine(4 * 44100, SR, f, 0.5);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&s);
    v.pan = pan;
    fx(&v, arg);
    tv_play(&r, &v, 1, L, R, frames);
    tv_rig_free(&r);
    tv_sample_free(&s);
}

static void fx_squiz(VoiceStart *v, double r) { v->squiz = (float)r; }

/* ---- squiz ---------------------------------------------------------------------------------- */

/* Harmonic h of the ideal squiz output of a sine of amplitude A and period P frames: each period holds
 * one cycle of the sine squeezed r times (frames j < P / r: A sin(2 pi r j / P)), then silence. */
static double squiz_ideal(double A, int P, double r, int h)
{
    double complex s = 0;
    for (int j = 0; j < P; j++) {
        double y = j < P / r ? A * sin(2 * M_PI * r * j / P) : 0;
        s += y * cexp(-I * 2 * M_PI * h * j / P);
    }
    return 2 * cabs(s) / P;
}

static void test_squiz_spectrum(void)
{
    enum { N = 32768 };
    float *L = calloc(N, sizeof(float));
    static const double ratios[] = { 2, 3, 4, 1.5 };
    for (int k = 0; k < 4; k++) {
        double r = ratios[k];
        play_sine(441, fx_squiz, r, 0, L, NULL, N);     /* pan 0: the left channel is the voice */
        /* harmonics of 441 Hz (a period of exactly 100 frames) over 88 periods in the steady state */
        int best = 1;
        double amp[11] = { 0 }, worst = 0;
        for (int h = 1; h <= 10; h++) {
            amp[h] = tv_goertzel(L + 4400, 8800, 441.0 * h, SR);
            if (amp[h] > amp[best]) best = h;
            double want = squiz_ideal(0.5, 100, r, h);
            if (want > 0.5 / r / 30) worst = fmax(worst, fabs(20 * log10(amp[h] / want)));
        }
        char name[200];
        snprintf(name, sizeof name, "squiz %g: a 441 Hz sine's harmonics are those of one cycle squeezed %g times a period "
                 "(within 1 dB, down to 30 dB below)", r, r);
        CHECK(worst < 1, name, "worst %.2f dB", worst);
        printf("# squiz %g on 441 Hz: %.3f at %g Hz (%.2f dB re input/%g), strongest %.0f Hz, 441 Hz at %.1f dB re it; "
               "harmonics within %.2f dB of the squeezed cycle\n", r, amp[(int)r], 441 * floor(r),
               20 * log10(amp[(int)r] / (0.5 / r)), r, 441.0 * best, 20 * log10(amp[1] / amp[best]), worst);
        if (r == 2 || r == 3) {
            snprintf(name, sizeof name, "squiz %g: the strongest component is at %g x 441 Hz, at 1/%g of the level", r, r, r);
            CHECK(best == (int)r && fabs(20 * log10(amp[best] / (0.5 / r))) < 0.5, name, "harmonic %d, %.3f", best, amp[best]);
        }
    }
    free(L);
}

static void test_squiz_grain(void)
{
    enum { N = 16384, P = 100 };
    float *L = calloc(N, sizeof(float));
    static const double ratios[] = { 2, 4 };
    for (int k = 0; k < 2; k++) {
        double r = ratios[k];
        play_sine(441, fx_squiz, r, 0, L, NULL, N);
        /* grains start where silence ends: one a period of the input (one zero crossing a fragment) */
        int starts[80], ns = 0, sound = 0;
        for (int t = 2000; t < 2000 + 60 * P && ns < 80; t++) {
            if (L[t - 1] == 0 && L[t - 2] == 0 && L[t] != 0) starts[ns++] = t;
            sound += L[t] != 0;
        }
        int lo = 1 << 30, hi = 0;
        for (int i = 1; i < ns; i++) lo = starts[i] - starts[i - 1] < lo ? starts[i] - starts[i - 1] : lo,
                                     hi = starts[i] - starts[i - 1] > hi ? starts[i] - starts[i - 1] : hi;
        double period = ns > 1 ? (double)(starts[ns - 1] - starts[0]) / (ns - 1) : 0;
        char name[160];
        snprintf(name, sizeof name, "squiz %g: a grain every 100 frames (the input's period)", r);
        CHECK(ns >= 59 && fabs(period - P) < 0.1 && lo >= P - 1 && hi <= P + 1, name, "%d grains, every %.2f (%d .. %d) frames",
              ns, period, lo, hi);
        snprintf(name, sizeof name, "squiz %g: each grain lasts 100/%g frames, silence for the rest", r, r);
        CHECK(fabs(sound / 60.0 - P / r) <= 1.5, name, "%.1f frames of sound a period", sound / 60.0);
        printf("# squiz %g: grains every %.2f frames (%d .. %d), %.1f frames long\n", r, period, lo, hi, sound / 60.0);
    }
    /* squiz at or below 1 is Squiz's ratio 1 (a one-frame delay): off */
    float *A = calloc(N, sizeof(float)), *B = calloc(N, sizeof(float));
    play_sine(441, fx_squiz, 1, 0, A, NULL, N);
    play_sine(441, fx_squiz, 0, 0, B, NULL, N);
    CHECK(memcmp(A, B, sizeof(float) * N) == 0, "squiz 1 leaves the sound as it is");
    free(A), free(B), free(L);
}

/* ---- leslie --------------------------------------------------------------------------------- */

typedef struct LesArgs { double mix, rate, size; } LesArgs;
static LesArgs les = { 1, 6.7, 0.3 };
static void fx_leslie(VoiceStart *v, double unused)
{
    (void)unused;
    v->leslie = (float)les.mix;
    v->lrate = (float)les.rate;
    v->lsize = (float)les.size;
}

/* dirt_leslie computed from its SynthDef, in double, on the panned stereo input (il, ir): SC's HPF
 * (bilinear Butterworth), DelayC (cubic, at least a frame), SinOsc, Balance2 (exact trigonometry). */
static void dirt_leslie(const float *il, const float *ir, float *ol, float *orr, int n, double mix, double rate,
                        double size)
{
    double w = tan(M_PI * 800 / SR), a0 = 1 / (1 + M_SQRT2 * w + w * w);
    double b0 = a0, b1 = -2 * a0, b2 = a0, a1 = 2 * (w * w - 1) * a0, a2 = (1 - M_SQRT2 * w + w * w) * a0;
    double z[2][2] = { { 0, 0 }, { 0, 0 } };
    enum { PAD = 1024 };                   /* zeros before the first frame: the longest delay reads back into them */
    double *line[2] = { calloc((size_t)n + PAD + 8, sizeof(double)), calloc((size_t)n + PAD + 8, sizeof(double)) };
    for (int t = 0; t < n; t++) {
        double th = 2 * M_PI * rate * t / SR, th2 = 0.8 * th;
        double distance = size * (0.5 + 0.5 * sin(th)), throb = 1.3 * size * (0.5 + 0.5 * sin(th2));
        double bal1 = 0.2 * cos(th2), bal2 = 0.4 * cos(th);
        double d = distance / 343 * SR;
        d = d < 1 ? 1 : d;
        int di = (int)d;
        double f = d - di;
        for (int c = 0; c < 2; c++) {
            double x = c ? ir[t] : il[t];
            double hi = b0 * x + z[c][0];          /* transposed direct form II */
            z[c][0] = b1 * x - a1 * hi + z[c][1];
            z[c][1] = b2 * x - a2 * hi;
            line[c][t + PAD] = hi;
            double *p = line[c] + t + PAD - di;    /* p[0]: di frames back */
            double ym1 = p[1], y0 = p[0], y1 = p[-1], y2 = p[-2];
            double c1 = 0.5 * (y1 - ym1), c2 = ym1 - 2.5 * y0 + 2 * y1 - 0.5 * y2, c3 = 0.5 * (y2 - ym1) + 1.5 * (y0 - y1);
            double moved = ((c3 * f + c2) * f + c1) * f + y0;
            double g1 = c ? sin((bal1 + 1) * M_PI / 4) : cos((bal1 + 1) * M_PI / 4);
            double g2 = c ? sin((bal2 + 1) * M_PI / 4) : cos((bal2 + 1) * M_PI / 4);
            double wet = 1.2 * (mix * (1 - throb) * (x - hi) * g1 + mix * (1 - distance) * moved * g2);
            (c ? orr : ol)[t] = (float)((1 - mix) * x + wet);
        }
    }
    free(line[0]);
    free(line[1]);
}

static double rms(const float *x, int a, int b)
{
    double s = 0;
    for (int i = a; i < b; i++) s += (double)x[i] * x[i];
    return sqrt(s / (b - a));
}

static void test_leslie_reference(void)
{
    enum { N = 44096 };
    float *L = calloc(N, sizeof(float)), *R = calloc(N, sizeof(float)), *dl = calloc(N, sizeof(float)),
          *dr = calloc(N, sizeof(float)), *il = calloc(N, sizeof(float)), *ir = calloc(N, sizeof(float));
    static const double freqs[] = { 200, 1000, 5000 };
    static const LesArgs cases[] = { { 1, 6.7, 0.3 }, { 0.5, 0.7, 1 } };
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < 3; k++) {
            les = cases[c];
            play_sine(freqs[k], fx_leslie, 0, 0.5f, L, R, N);
            /* the same voice without the effect is the panned input */
            Sample s = tv_sine(4 * 44100, SR, freqs[k], 0.5);
            for (int t = 0; t < N; t++) il[t] = ir[t] = (float)(tv_data(&s, 0)[t] * sin(M_PI / 4));
            tv_sample_free(&s);
            dirt_leslie(il, ir, dl, dr, N, les.mix, les.rate, les.size);
            for (int t = 0; t < N; t++) dl[t] -= L[t], dr[t] -= R[t];
            double res = 20 * log10(fmax(rms(dl, 0, N), rms(dr, 0, N)) / rms(L, 0, N));
            char name[160];
            snprintf(name, sizeof name, "leslie %.1f, lrate %.1f, lsize %.1f on %.0f Hz: dirt_leslie's output within -60 dB",
                     les.mix, les.rate, les.size, freqs[k]);
            CHECK(res < -60, name, "residual %.1f dB", res);
            printf("# %s: residual %.1f dB\n", name, res);
        }
    free(L), free(R), free(dl), free(dr), free(il), free(ir);
}

/* A voice that starts late (block 100, frame 34 of its block), a sample voice and an instrument voice (a
 * lane, whose effects run from its block's first frame): leslie on the orbit's rotors, whose angle is the
 * engine clock's, is dirt_leslie turning since frame 0 applied to the voice's own dry sound. */
static void test_leslie_late(void)
{
    enum { N = 44096, AT = 6400 + 34 };
    float *L = calloc(N, sizeof(float)), *R = calloc(N, sizeof(float)), *il = calloc(N, sizeof(float)),
          *ir = calloc(N, sizeof(float)), *dl = calloc(N, sizeof(float)), *dr = calloc(N, sizeof(float));
    static int owner;
    TvInst *sine = tv_inst_osc(&tk_sine, SR, &owner);
    Sample s = tv_sine(4 * 44100, SR, 1000, 0.5);
    les = (LesArgs){ 1, 6.7, 0.3 };
    for (int kind = 0; kind < 2; kind++) {
        for (int wet = 0; wet < 2; wet++) {
            TvRig r = tv_rig(64, 64, SR, 0);
            VoiceStart v = kind ? tv_start_inst(&sine->inst, 1000) : tv_start_sample(&s);
            v.pan = 0.5f;
            v.gain = 0.5f;
            v.offset = AT % 64;
            v.t0 = AT / SR;
            if (wet) fx_leslie(&v, 0);
            voice_begin_block(r.vp, 64);
            for (int at = 0; at < N; at += 64) {
                if (at == AT / 64 * 64) voice_start(r.vp, &v);
                tv_block(&r, 0, wet ? L : il, wet ? R : ir, at);
            }
            tv_rig_free(&r);
        }
        dirt_leslie(il, ir, dl, dr, N, les.mix, les.rate, les.size);
        for (int t = 0; t < N; t++) dl[t] -= L[t], dr[t] -= R[t];
        double res = 20 * log10(fmax(rms(dl, AT, N), rms(dr, AT, N)) / rms(L, AT, N));
        char name[200];
        snprintf(name, sizeof name, "leslie on %s starting at frame %d: dirt_leslie turning since frame 0, within -60 dB",
                 kind ? "an instrument voice" : "a sample voice", AT);
        CHECK(res < -60, name, "residual %.1f dB", res);
        printf("# %s: residual %.1f dB\n", name, res);
    }
    tv_inst_free(sine);
    tv_sample_free(&s);
    free(L), free(R), free(il), free(ir), free(dl), free(dr);
}

/* Complex envelope of x at f over boxes of `box` frames (a whole number of periods of f), one a box. */
static int demod(const float *x, int a, int b, double f, int box, double complex *z)
{
    int k = 0;
    for (int t0 = a; t0 + box <= b; t0 += box, k++) {
        double complex s = 0;
        for (int t = t0; t < t0 + box; t++) s += x[t] * cexp(-I * 2 * M_PI * f * t / SR);
        z[k] = s * 2 / box;
    }
    return k;
}

/* The frequency (0.5 .. 20 Hz, 0.01 steps) at which y[0..n) (one value every dt seconds) is strongest. */
static double strongest_rate(const double *y, int n, double dt)
{
    double mean = 0, best = 0, at = 0;
    for (int i = 0; i < n; i++) mean += y[i] / n;
    for (double f = 0.5; f <= 20; f += 0.01) {
        double complex s = 0;
        for (int i = 0; i < n; i++) s += (y[i] - mean) * cexp(-I * 2 * M_PI * f * i * dt);
        if (cabs(s) > best) best = cabs(s), at = f;
    }
    return at;
}

static void test_leslie_motion(void)
{
    enum { N = 132288, BOX = 60, LBOX = 441 };  /* 3 s; boxes of whole periods of 7350 Hz (1.4 ms) and 200 Hz (10 ms) */
    float *L = calloc(N, sizeof(float)), *R = calloc(N, sizeof(float));
    double complex *zl = malloc(sizeof(double complex) * N / BOX), *zr = malloc(sizeof(double complex) * N / BOX);
    double *y = calloc(N / BOX, sizeof(double)), *e = calloc(N / BOX, sizeof(double));
    const double HF = 7350;             /* the horn's band; boxes short enough for its +-135 Hz of Doppler */
    les = (LesArgs){ 1, 6.7, 0.3 };
    /* the horn: its delay (the phase of both channels' sum) swings over lsize / 343 s at lrate */
    Sample s = tv_sine(4 * 44100, SR, HF, 0.5);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&s);
    v.pan = 0.5f;
    fx_leslie(&v, 0);
    tv_play(&r, &v, 1, L, R, N);
    tv_rig_free(&r);
    tv_sample_free(&s);
    for (int t = 0; t < N; t++) R[t] += L[t];
    int k = demod(R, 0, N, HF, BOX, zl);
    double prev = carg(zl[1]), acc = 0, lo = 1e9, hi = -1e9;
    for (int i = 1; i < k; i++) {
        double p = carg(zl[i]), d = remainder(p - prev, 2 * M_PI);
        prev = p;
        acc += d;
        y[i - 1] = -acc / (2 * M_PI * HF);          /* delay in seconds, up to a constant */
        if (i > 70) lo = fmin(lo, y[i - 1]), hi = fmax(hi, y[i - 1]);
    }
    double want = 0.3 / 343, rate = strongest_rate(y + 70, k - 71, BOX / SR);
    CHECK(fabs((hi - lo) / want - 1) < 0.03, "leslie: the horn's delay swings over lsize / 343 s (0.875 ms for 0.3 m)",
          "%.4f ms", (hi - lo) * 1000);
    CHECK(fabs(rate - 6.7) < 0.1, "leslie: the Doppler delay turns at lrate (6.7 Hz)", "%.2f Hz", rate);
    printf("# leslie 1, lrate 6.7, lsize 0.3, %.0f Hz: Doppler delay %.4f ms peak to peak (lsize/343 = %.4f), at %.2f Hz: "
           "the pitch swings +-%.2f %% (+-%.0f Hz)\n", HF, (hi - lo) * 1000, want * 1000, rate, 100 * M_PI * rate * (hi - lo),
           HF * M_PI * rate * (hi - lo));

    /* stereo motion: the horn's level moves between the channels at lrate, left against right */
    for (int t = 0; t < N; t++) R[t] -= L[t];
    demod(L, 0, N, HF, BOX, zl);
    demod(R, 0, N, HF, BOX, zr);
    double lmin = 1e9, lmax = 0, bmin = 1e9, bmax = -1e9;
    for (int i = 70; i < k; i++) {
        double b = 20 * log10(cabs(zl[i]) / cabs(zr[i]));        /* left over right, dB */
        e[i - 70] = b;
        bmin = fmin(bmin, b), bmax = fmax(bmax, b);
        lmin = fmin(lmin, cabs(zl[i])), lmax = fmax(lmax, cabs(zl[i]));
    }
    /* Balance2 at +-0.4: left/right = cot((1 +- 0.4) pi/4), +-5.8 dB */
    double bal = 20 * log10(1 / tan(0.6 * M_PI / 4)), erate = strongest_rate(e, k - 70, BOX / SR);
    /* the low band's share of 7350 Hz (in - HPF(in): 0.16) beats with the moving horn and widens it a little */
    CHECK(bmax > bal - 0.5 && bmax < bal + 2 && bmin < -bal + 0.5 && bmin > -bal - 2 && fabs(bmax + bmin) < 0.5,
          "leslie: the horn moves between the channels, symmetrically, by Balance2's +-0.4 (+-5.9 dB) and a little more",
          "left/right %+.2f .. %+.2f dB", bmin, bmax);
    CHECK(fabs(erate - 6.7) < 0.1, "leslie: the horn's stereo motion turns at lrate", "%.2f Hz", erate);
    printf("# leslie, 7350 Hz: left/right %+.2f .. %+.2f dB (Balance2: +-%.2f) at %.2f Hz; left level %.3f .. %.3f\n", bmin, bmax,
           bal, erate, lmin, lmax);

    /* 200 Hz: the drum. Its level throbs at 0.8 lrate, by up to 1.3 lsize */
    play_sine(200, fx_leslie, 0, 0.5f, L, R, N);
    for (int t = 0; t < N; t++) R[t] += L[t];
    k = demod(R, 0, N, 200, LBOX, zl);
    lmin = 1e9, lmax = 0;
    for (int i = 10; i < k; i++) {
        e[i - 10] = cabs(zl[i]);
        lmin = fmin(lmin, e[i - 10]), lmax = fmax(lmax, e[i - 10]);
    }
    erate = strongest_rate(e, k - 10, LBOX / SR);
    CHECK(fabs(erate - 0.8 * 6.7) < 0.1, "leslie: a low tone's level throbs at 0.8 lrate (5.36 Hz)", "%.2f Hz", erate);
    CHECK(lmax / lmin > 1.5 && lmax / lmin < 2, "leslie: by 1 - 1.3 lsize (0.61 for 0.3 m: 4.3 dB), with the horn's share of 200 Hz",
          "%.3f .. %.3f", lmin, lmax);
    printf("# leslie, 200 Hz: level %.3f .. %.3f (%.1f dB of throb) at %.2f Hz\n", lmin, lmax, 20 * log10(lmax / lmin), erate);
    free(L), free(R), free(zl), free(zr), free(y), free(e);
}

/* The voice rings on through the high band's delay after its sample ends, then stops without a click. */
static void test_leslie_tail(void)
{
    enum { N = 8192 };
    Sample s = tv_sine(4410, SR, 5000, 0.5);            /* 100 ms: SuperDirt's 1 ms fade at its end */
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&s);
    v.pan = 0.5f;
    les = (LesArgs){ 1, 6.7, 1 };
    fx_leslie(&v, 0);
    float *L = calloc(N, sizeof(float)), *R = calloc(N, sizeof(float));
    tv_play(&r, &v, 1, L, R, N);
    VoiceStats st;
    voice_stats(r.vp, &st);
    int end = tv_silent_from(L, 0, N);
    CHECK(end > 4410 && end < 4410 + 300, "leslie: a voice's sound goes on past its sample's end through the delay, then stops",
          "silent from frame %d (the sample ends at 4410)", end);
    CHECK(st.active == 0, "and the voice has ended", "%d active", st.active);
    double last = 0, body = 0;
    for (int t = end - 16; t < end; t++) last = fmax(last, fabs(L[t]));
    for (int t = 2000; t < 3000; t++) body = fmax(body, fabs(L[t]));
    CHECK(last < 0.01 * body, "its last frames fade to nothing (no click)", "%.5f against %.3f", last, body);
    printf("# leslie tail: silent %d frames after the sample's end; last 16 frames at most %.1f dB re its level\n", end - 4410,
           20 * log10(last / body + 1e-12));
    tv_rig_free(&r);
    tv_sample_free(&s);
    free(L), free(R);
}

/* ---- through the language and from Tidal ---------------------------------------------------- */



static void test_language(void)
{
    enum { N = 22016 };
    float *l = calloc(N, sizeof(float)), *r = calloc(N, sizeof(float));
    const char *progs[3] = { "tempo: 1\n~s $ sine\nd1 $ s \"~s\" # note 9 # sustain 1 # gain 0.5\n",
                             "tempo: 1\n~s $ sine\nd1 $ s \"~s\" # note 9 # sustain 1 # gain 0.5 # squiz 2\n",
                             "tempo: 1\n~s $ sine\nd1 $ s \"~s\" # note 9 # sustain 1 # gain 0.5 # leslie 1 # lrate 6.7 # lsize 0.3\n" };
    double a440[3], a880[3], lr[3];
    for (int i = 0; i < 3; i++) {
        Phonon *ph = te_engine(SR, 1);
        PhononError e[2];
        CHECK(phonon_eval(ph, progs[i], "t.ph", e, 2) == 0, "the program compiles", "%s", e[0].msg);
        te_render(ph, l, r, N);
        phonon_free(ph);
        a440[i] = tv_goertzel(l + 4410, 8820, 440, SR);
        a880[i] = tv_goertzel(l + 4410, 8820, 880, SR);
        double d = 0;
        for (int t = 4410; t < N; t++) d = fmax(d, fabs(l[t] - r[t]));
        lr[i] = d;
    }
    /* one squeezed cycle a period: 880 Hz 1.4 dB over 440 Hz (squiz_ideal) */
    double ratio = a880[1] / a440[1];
    CHECK(ratio > 1.1 && ratio < 1.26 && a880[0] < 0.01 * a440[0], "`# squiz 2` moves a5's strongest component to 880 Hz",
          "880 Hz %.3f, 440 Hz %.3f", a880[1], a440[1]);
    CHECK(lr[0] == 0 && lr[2] > 0.05, "`# leslie 1 # lrate 6.7 # lsize 0.3` moves a centred voice between the channels",
          "largest left - right %.3f (without: %.3f)", lr[2], lr[0]);
    free(l), free(r);
}

/* A Tidal event (/dirt/play, bare: played at once) with squiz, or leslie, lrate and lsize, plays them. */
static double dirt_case(const char *const *keys, const float *vals, int nkeys, double *lr)
{
    enum { N = 22016 };
    Phonon *ph = te_engine(SR, 1);
    PhononError e[2];
    /* ~s is an instrument because a pattern plays it (silently: gain 0, and the one voice it starts is
       done long before the measurement) */
    phonon_eval(ph, "tempo: 0.01\n~s $ sine\n~p $ s \"~s\" # gain 0 # sustain 0.01", "t.ph", e, 2);
    char err[256];
    int port = 0;
    for (int tries = 0; tries < 50 && !port; tries++) {
        int p = 20000 + (int)((getpid() * 11 + tries * 137 + 7) % 40000);
        if (phonon_dirt_listen(ph, NULL, p, err, sizeof err) == 0) port = p;
    }
    float *l = calloc(N, sizeof(float)), *r = calloc(N, sizeof(float));
    te_render(ph, l, r, 64);
    const char *k[8] = { "note", "sustain", "orbit" };
    float v[8] = { 9, 1, 0 };
    for (int i = 0; i < nkeys; i++) k[3 + i] = keys[i], v[3 + i] = vals[i];
    k[3 + nkeys] = NULL;
    Osc o = { .n = 0 };
    osc_play(&o, "~s", k, v);
    int fd = osc_socket();
    osc_send(fd, port, &o);
    PhononDirtStats ds;
    for (int i = 0; i < 400; i++) {
        phonon_dirt_stats(ph, &ds);
        if (ds.received > 0) break;
        struct timespec ts = { 0, 5000000 };
        nanosleep(&ts, NULL);
    }
    te_render(ph, l, r, N);
    phonon_dirt_stats(ph, &ds);
    CHECK(ds.played == 1, "the Tidal event plays", "%ld played, %ld unknown", ds.played, ds.unknown);
    double a = tv_goertzel(l + 4410, 8820, 880, SR) / fmax(tv_goertzel(l + 4410, 8820, 440, SR), 1e-9);
    *lr = 0;
    for (int t = 4410; t < N; t++) *lr = fmax(*lr, fabs(l[t] - r[t]));
    close(fd);
    phonon_free(ph);
    free(l), free(r);
    return a;
}

static void test_dirt(void)
{
    const char *sq[1] = { "squiz" }, *le[3] = { "leslie", "lrate", "lsize" };
    const float sqv[1] = { 2 }, lev[3] = { 1, 6.7f, 0.3f };
    double lr0, lr1, lr2;
    double plain = dirt_case(NULL, NULL, 0, &lr0), squiz = dirt_case(sq, sqv, 1, &lr1);
    dirt_case(le, lev, 3, &lr2);
    CHECK(plain < 0.01 && squiz > 1.1, "Tidal's squiz arrives: an event with squiz 2 plays at 880 Hz", "880/440: %.3f (without: %.3f)",
          squiz, plain);
    CHECK(lr0 == 0 && lr2 > 0.02, "Tidal's leslie, lrate, lsize arrive: the event's voice moves between the channels",
          "largest left - right %.3f (without: %.3f)", lr2, lr0);
}

/* Many voices with squiz and leslie, samples and instruments, on 1, 2 and 4 threads: the same bits. */
static void test_threads(void)
{
    enum { N = 44032 };
    const char *prog = "tempo: 2\n~s $ saw # lpf 3000\n"
                       "d1 $ s \"[bd sn hh ~s]*8\" # n \"0 .. 7\" # squiz \"<2 3.5 0>\" # leslie \"1 0.5\" # lsize \"0.3 1\" # legato 2\n"
                       "d2 $ s \"~s*16\" # note \"c e g b\" # leslie 1 # lrate 0.7 # gain 0.2\n";
    float *a[3];
    int threads[3] = { 1, 2, 4 };
    char err[256] = "";
    for (int i = 0; i < 3; i++) {
        a[i] = te_play(prog, SR, threads[i], N, err, sizeof err);
        CHECK(a[i] != NULL, "the program compiles", "%s", err);
        if (!a[i]) return;
    }
    CHECK(memcmp(a[0], a[1], sizeof(float) * N) == 0, "squiz and leslie: threads 1 and 2 render the same bits");
    CHECK(memcmp(a[0], a[2], sizeof(float) * N) == 0, "squiz and leslie: threads 1 and 4 render the same bits");
    CHECK(rms(a[0], 0, N) > 0.01, "and they play", "RMS %.4f", rms(a[0], 0, N));
    for (int i = 0; i < 3; i++) free(a[i]);
}

/* ---- cost ---------------------------------------------------------------------------------- */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ns per voice-sample of 64 sample voices over 1 s, with fx() set, less the same voices without it. */
static double cost(void (*fx)(VoiceStart *, double), double arg)
{
    enum { V = 64, N = 44032 };
    Sample s = tv_sine(2 * 44100, SR, 441, 0.01);
    double t[2];
    for (int pass = 0; pass < 2; pass++) {
        TvRig r = tv_rig(256, 64, SR, 0);
        VoiceStart v[V];
        for (int i = 0; i < V; i++) {
            v[i] = tv_start_sample(&s);
            v[i].pan = 0.5f;
            if (pass) fx(&v[i], arg);
        }
        double t0 = seconds();
        tv_play(&r, v, V, NULL, NULL, N);
        t[pass] = seconds() - t0;
        tv_rig_free(&r);
    }
    tv_sample_free(&s);
    return (t[1] - t[0]) / ((double)V * N) * 1e9;
}

static void test_cost(void)
{
    les = (LesArgs){ 1, 6.7, 0.3 };
    double cs = cost(fx_squiz, 2), cl = cost(fx_leslie, 0);
    printf("# cost per voice-sample (64 sample voices, 1 s, one run): squiz %.1f ns, leslie %.1f ns\n", cs, cl);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    (void)cs, (void)cl;                 /* a sanitizer's build is several times slower: the figure only */
#else
    CHECK(cs < 100 && cl < 200, "squiz and leslie cost under 100 and 200 ns per voice-sample", "%.1f, %.1f ns", cs, cl);
#endif
}

int main(void)
{
    test_squiz_spectrum();
    test_squiz_grain();
    test_leslie_reference();
    test_leslie_late();
    test_leslie_motion();
    test_leslie_tail();
    test_language();
    test_dirt();
    test_threads();
    test_cost();
    return test_done();
}
