/* test_sound_env.c — instrument envelopes as heard through the whole engine: a note's release starts at
 * the note's end, and a note shorter than its attack releases from the level the attack had reached. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "phonon.h"
#include "test.h"

#define SR 44100

static float *play(const char *program, long frames)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    PhononError e[4];
    CHECK(phonon_eval(ph, program, "test.ph", e, 4) == 0, "the program compiles");
    float *l = calloc((size_t)frames, sizeof(float)), *r = calloc((size_t)frames, sizeof(float));
    for (long done = 0; done < frames; done += 64) {
        float *outs[2] = { l + done, r + done };
        phonon_process(ph, NULL, outs, frames - done < 64 ? (int)(frames - done) : 64);
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    phonon_free(ph);
    free(r);
    return l;
}

/* Peak of |x| over [a, b). */
static double peak(const float *x, long a, long b)
{
    double m = 0;
    for (long i = a; i < b; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
    return m;
}

/* The envelope of a 1 kHz sine at gain 0.5 (under the master limiter): its peak over a few periods. */
static void test_short_note(void)
{
    /* attack 40 ms, a note of 10 ms, release 20 ms: the level reaches 1/4, then falls from there */
    float *x = play("tempo: 1\n~s $ sine 1000\nd1 $ s \"~s\" # attack 0.04 # sustain 0.01 # release 0.02 # pan 0 # gain 0.5\n",
                    SR / 2);
    double at10 = peak(x, 400, 441), at12 = peak(x, 441 + 44, 441 + 88), after = peak(x, 441 + 900, 441 + 1000);
    CHECK(fabs(at10 - 0.125) < 0.015, "a 10 ms note with a 40 ms attack reaches a quarter of full level", "%.3f", at10);
    CHECK(at12 < at10, "and is falling 2 ms after the note's end", "%.3f after %.3f", at12, at10);
    CHECK(after < 0.01, "and is silent after its 20 ms release", "%.4f", after);
    CHECK(peak(x, 0, SR / 2) < 0.135, "it never plays the rest of its attack", "%.3f", peak(x, 0, SR / 2));
    printf("# short note: %.3f at its end (10 ms), %.3f 2 ms later, %.4f after the release\n", at10, at12, after);
    free(x);
}

static void test_long_note(void)
{
    /* attack 10 ms, a note of 100 ms, release 50 ms: full level until 100 ms, then the release */
    float *x = play("tempo: 1\n~s $ sine 1000\nd1 $ s \"~s\" # attack 0.01 # sustain 0.1 # release 0.05 # pan 0 # gain 0.5\n",
                    SR / 2);
    double held = peak(x, 4000, 4410), rel = peak(x, 4410 + 441, 4410 + 882), gone = peak(x, 4410 + 2300, 4410 + 2400);
    CHECK(fabs(held - 0.5) < 0.005, "a 100 ms note is at full level just before its end", "%.3f", held);
    CHECK(rel < 0.45, "its release starts at the note's end, not attack + length later", "%.3f at 110 ms", rel);
    CHECK(gone < 0.005, "and is over 50 ms after its end", "%.4f", gone);
    printf("# long note: %.3f before its end, %.3f 10 ms after, %.4f 52 ms after\n", held, rel, gone);
    free(x);
}

int main(void)
{
    test_short_note();
    test_long_note();
    return test_done();
}
