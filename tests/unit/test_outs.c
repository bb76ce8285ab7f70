/* test_outs.c — the output stage: `outK:` for 3 <= K <= outs plays on output K alone (mono), not in the
 * main stereo mix; with fewer outputs it stays a track of the main mix and `check` says so; hush and
 * mute reach those outputs too. Checked by level and pitch on each output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phonon.h"
#include "test.h"

#define SR 44100
#define FRAMES 22016  /* a whole number of 64-frame blocks */

typedef struct Outs {
    int n;
    float *x[6];
} Outs;

static Phonon *engine(int outs)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.outs = outs;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

static int eval(Phonon *ph, const char *text)
{
    PhononError e[8];
    int n = phonon_eval(ph, text, "outs.ph", e, 8);
    for (int i = 0; i < n && i < 8; i++) printf("# %d:%d: %s\n", e[i].line, e[i].col, e[i].msg);
    return n;
}

static Outs render(Phonon *ph, int nouts)
{
    Outs o = { nouts, { 0 } };
    for (int c = 0; c < nouts; c++) o.x[c] = calloc(FRAMES, sizeof(float));
    for (int done = 0; done < FRAMES; done += 64) {
        float *outs[6];
        for (int c = 0; c < nouts; c++) outs[c] = o.x[c] + done;
        phonon_process(ph, NULL, outs, 64);
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    return o;
}

static void outs_free(Outs *o)
{
    for (int c = 0; c < o->n; c++) free(o->x[c]);
}

/* the peak of the second half (past any fade-in) */
static double peak(const float *x)
{
    double p = 0;
    for (int i = FRAMES / 2; i < FRAMES; i++) p = fabs(x[i]) > p ? fabs(x[i]) : p;
    return p;
}

/* the frequency from the upward zero crossings of the second half */
static double pitch(const float *x)
{
    int first = -1, last = -1, n = 0;
    for (int i = FRAMES / 2 + 1; i < FRAMES; i++)
        if (x[i - 1] < 0 && x[i] >= 0) {
            if (first < 0) first = i;
            last = i;
            n++;
        }
    return n > 1 ? (double)(n - 1) * SR / (last - first) : 0;
}

static void test_own_outputs(void)
{
    Phonon *ph = engine(4);
    CHECK_INT(eval(ph, "out: sine 440 * 0.1\nout3: sine 1000 * 0.5\nout4: sine 2000 * 0.25"), 0, "outs: compiles");
    Outs o = render(ph, 4);
    CHECK_NEAR(peak(o.x[0]), 0.1, 0.01, "outs: the main mix (left) has out: alone, 0.1");
    CHECK_NEAR(peak(o.x[1]), 0.1, 0.01, "outs: the main mix (right) has out: alone, 0.1");
    CHECK_NEAR(pitch(o.x[0]), 440, 2, "outs: the main mix is 440 Hz");
    CHECK_NEAR(peak(o.x[2]), 0.5, 0.01, "outs: output 3 has out3: alone, 0.5");
    CHECK_NEAR(pitch(o.x[2]), 1000, 3, "outs: output 3 is 1000 Hz");
    CHECK_NEAR(peak(o.x[3]), 0.25, 0.01, "outs: output 4 has out4: alone, 0.25");
    CHECK_NEAR(pitch(o.x[3]), 2000, 5, "outs: output 4 is 2000 Hz");
    outs_free(&o);

    /* mute and hush reach the outputs of their own */
    CHECK_INT(phonon_mute(ph, "out3", true), 0, "outs: out3 can be muted");
    o = render(ph, 4);
    CHECK(peak(o.x[2]) < 1e-6, "outs: a muted out3 is silent on output 3", "peak %g", peak(o.x[2]));
    CHECK_NEAR(peak(o.x[3]), 0.25, 0.01, "outs: output 4 plays on");
    outs_free(&o);
    phonon_mute(ph, "out3", false);
    phonon_hush(ph);
    o = render(ph, 4);
    CHECK(peak(o.x[3]) < 1e-6 && peak(o.x[0]) < 1e-6, "outs: hush silences output 4 and the main mix");
    outs_free(&o);
    phonon_unhush(ph);

    /* an edit that sends out3's sound to the main mix: output 3 falls silent, the main mix gets it */
    CHECK_INT(eval(ph, "out: sine 440 * 0.1\n~d1: sine 1000 * 0.5\nout4: sine 2000 * 0.25"), 0, "outs: edit compiles");
    o = render(ph, 4);
    CHECK(peak(o.x[2]) < 1e-6, "outs: after the edit output 3 is silent", "peak %g", peak(o.x[2]));
    CHECK_NEAR(peak(o.x[0]), 0.6, 0.02, "outs: after the edit the main mix has both");
    outs_free(&o);
    phonon_free(ph);
}

static void test_fewer_outputs(void)
{
    Phonon *ph = engine(2);
    PhononError e[4];
    memset(e, 0, sizeof e);
    int n = phonon_check(ph, "out: sine 440 * 0.1\nout3: sine 1000 * 0.5", "outs.ph", e, 4);
    CHECK_INT(n, 0, "fewer: out3 with 2 outputs is no error");
    CHECK_STR(e[0].msg, "warning: out3 plays in the main mix: there are only 2 outputs ([phonon~ -outs 3] gives it "
              "output 3 to itself)", "fewer: check says out3 plays in the main mix");
    CHECK_INT(e[0].line, 2, "fewer: the warning is on out3's line");
    CHECK_INT(eval(ph, "out: sine 440 * 0.1\nout3: sine 1000 * 0.5"), 0, "fewer: compiles");
    Outs o = render(ph, 2);
    CHECK_NEAR(peak(o.x[0]), 0.6, 0.02, "fewer: out3 is a track of the main mix");
    outs_free(&o);
    phonon_free(ph);

    /* out1: and out2: are tracks of the main mix, whatever the outputs */
    ph = engine(4);
    CHECK_INT(eval(ph, "out1: sine 440 * 0.1\nout2: sine 1000 * 0.2"), 0, "fewer: out1 out2 compile");
    o = render(ph, 4);
    CHECK_NEAR(peak(o.x[0]), 0.3, 0.02, "fewer: out1 and out2 are in the main mix");
    CHECK(peak(o.x[2]) < 1e-6 && peak(o.x[3]) < 1e-6, "fewer: outputs 3 and 4 stay silent");
    outs_free(&o);
    phonon_free(ph);
}

int main(void)
{
    test_own_outputs();
    test_fewer_outputs();
    return test_done();
}
