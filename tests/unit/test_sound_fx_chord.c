/* test_sound_fx_chord.c — the notes of a chord start at decorrelated phases (issue 14, item 3): each note of
 * `n "c'maj7"` on a sine instrument starts at a phase of its own (measured against the same note played
 * alone, which starts at 0), a single note still starts at 0, the chord's first 50 ms peak lower than the
 * same four saws started in phase, and the render is the same bits for 1, 2 and 4 threads. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phonon.h"
#include "test.h"

#define SR 44100
#define FRAMES (SR / 4)

static float *play(const char *program, int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    PhononError e[4];
    CHECK(phonon_eval(ph, program, "test.ph", e, 4) == 0, "the program compiles");
    float *l = calloc(FRAMES, sizeof(float)), *r = calloc(FRAMES, sizeof(float));
    for (long done = 0; done < FRAMES; done += 64) {
        float *outs[2] = { l + done, r + done };
        phonon_process(ph, NULL, outs, FRAMES - done < 64 ? (int)(FRAMES - done) : 64);
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    phonon_free(ph);
    free(r);
    return l;
}

/* The phase (fraction of a period) of the component at f over [a, b), Hann-windowed. */
static double phase_at(const float *x, long a, long b, double f)
{
    double complex s = 0;
    for (long i = a; i < b; i++) {
        double w = 0.5 - 0.5 * cos(2 * M_PI * (double)(i - a) / (double)(b - a));
        s += w * x[i] * cexp(-I * 2 * M_PI * f * (double)i / SR);
    }
    return carg(s) / (2 * M_PI);
}

static double circ_dist(double a, double b)
{
    double d = fabs(fmod(a - b, 1.0));
    return d > 0.5 ? 1 - d : d;
}

static const char *const names[4] = { "c", "e", "g", "b" };
static const double semis[4] = { 0, 4, 7, 11 };

static void test_phases(void)
{
    float *chord = play("tempo: 1\n~s $ sine\nd1 $ s \"~s\" # n \"c'maj7\" # sustain 1 # gain 0.2\n", 1);
    double start[4];
    for (int k = 0; k < 4; k++) {
        char prog[160];
        snprintf(prog, sizeof prog, "tempo: 1\n~s $ sine\nd1 $ s \"~s\" # n \"%s\" # sustain 1 # gain 0.2\n", names[k]);
        float *one = play(prog, 1);
        double f = 440 * exp2((semis[k] - 9) / 12);
        /* the note alone starts at 0: the difference is where the chord's note started */
        start[k] = fmod(phase_at(chord, SR / 50, SR / 5, f) - phase_at(one, SR / 50, SR / 5, f) + 2, 1.0);
        free(one);
        printf("# c'maj7 note %s (%.1f Hz) starts %.3f of a period in\n", names[k], f, start[k]);
    }
    double closest = 1;
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) closest = fmin(closest, circ_dist(start[i], start[j]));
    CHECK(closest > 0.02, "the four notes of c'maj7 start at distinct phases", "closest pair %.3f of a period apart", closest);
    double worst0 = 0;
    for (int k = 0; k < 4; k++) worst0 = fmax(worst0, circ_dist(start[k], 0));
    CHECK(worst0 > 0.02, "not all at phase 0", "%.3f", worst0);
    free(chord);

    /* a single note starts at phase 0 exactly: its first samples are those of sine 0 rising */
    float *single = play("tempo: 1\n~s $ sine\nd1 $ s \"~s\" # n \"a\" # attack 0 # sustain 1 # gain 0.2\n", 1);
    long on = 0;
    while (on < FRAMES && single[on] == 0) on++;
    double want = 0.2 * sin(M_PI / 4) * sin(2 * M_PI * 440.0 / SR);
    CHECK(on < FRAMES && fabs(single[on] - want) < 1e-5, "a single note starts at phase 0 (its first sample is sin(2 pi f / sr))",
          "%.6f, want %.6f", on < FRAMES ? single[on] : 0.0, want);
    free(single);
}

static double peak(const float *x, long a, long b)
{
    double m = 0;
    for (long i = a; i < b; i++) m = fmax(m, fabs(x[i]));
    return m;
}

/* The peak of the chord's first `ms` milliseconds on instrument `synth` with attack `att`, and of the same
 * four notes at the chord's gain (1/sqrt(4) each) played as single notes: those start in phase. */
static void chord_peaks(const char *synth, const char *att, int ms, double *chord, double *inphase)
{
    char a[512], b[1024];
    snprintf(a, sizeof a, "tempo: 1\n~s $ %s\nd1 $ s \"~s\" # n \"c'maj7\"%s # sustain 1 # gain 0.4\n", synth, att);
    int k = snprintf(b, sizeof b, "tempo: 1\n~s $ %s\n", synth);
    for (int i = 0; i < 4; i++)
        k += snprintf(b + k, sizeof b - (size_t)k, "d%d $ s \"~s\" # n \"%s\"%s # sustain 1 # gain 0.2\n", i + 1, names[i], att);
    float *x = play(a, 1), *y = play(b, 1);
    *chord = peak(x, 0, SR * ms / 1000);
    *inphase = peak(y, 0, SR * ms / 1000);
    printf("# c'maj7 on `%s`%s, first %d ms: peak %.3f (%.2f dBFS); started in phase %.3f (%.2f dBFS)\n", synth, att, ms,
           *chord, 20 * log10(*chord), *inphase, 20 * log10(*inphase));
    free(x);
    free(y);
}

static void test_peak(void)
{
    double c, i;
    /* q.ph's synth, its default 10 ms attack: four equal-tempered saws line up again every 30 ms or so
       whatever their start, so the gain is about 1 dB, not the 6 dB of a first edge shared by all four */
    chord_peaks("saw # lpf 800 0.7", "", 50, &c, &i);
    CHECK(c < 0.95 * i, "q.ph's saw chord: the first 50 ms peak lower than the same notes started in phase", "%.3f vs %.3f", c, i);
    chord_peaks("saw", " # attack 0", 10, &c, &i);
    CHECK(c < 0.9 * i, "plain saws with no attack: the first 10 ms peak at least 0.9 dB lower", "%.3f vs %.3f", c, i);
}

static void test_threads(void)
{
    const char *prog = "tempo: 2\n~s $ saw # lpf 2000\nd1 $ s \"~s*4\" # n \"<c'maj7 e'min7'ii a'dom7'o>\" # legato 0.5\n";
    float *a = play(prog, 1), *b = play(prog, 2), *c = play(prog, 4), *d = play(prog, 1);
    CHECK(memcmp(a, b, sizeof(float) * FRAMES) == 0, "chords: threads 1 and 2 render the same bits");
    CHECK(memcmp(a, c, sizeof(float) * FRAMES) == 0, "chords: threads 1 and 4 render the same bits");
    CHECK(memcmp(a, d, sizeof(float) * FRAMES) == 0, "chords: two runs render the same bits");
    CHECK(peak(a, 0, FRAMES) > 0.05, "and they are heard", "%.3f", peak(a, 0, FRAMES));
    free(a), free(b), free(c), free(d);
}

int main(void)
{
    test_phases();
    test_peak();
    test_threads();
    return test_done();
}
