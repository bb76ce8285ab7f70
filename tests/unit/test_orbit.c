/* test_orbit.c — a program's voices on orbits (`# orbit n`), heard on each output: orbit n on outputs 2n+1
 * and 2n+2 when the engine has them, else in the main pair; a chain's own effects go with it; the orbits'
 * global effects set by the program's events (reverb tail, delay echo at delaytime, lock to cycles); a
 * patterned orbit; an edit keeps an orbit's tail; the same bits on any thread count; what `check` says. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phonon.h"
#include "test.h"

#define SR 44100
#define BLOCK 64
#define MAXOUT 6

typedef struct Outs {
    int n, frames;
    float *x[MAXOUT];
} Outs;

static Phonon *engine(int outs, int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = threads;
    cfg.outs = outs;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

static int eval(Phonon *ph, const char *text)
{
    PhononError e[8];
    int n = phonon_eval(ph, text, "orbit.ph", e, 8);
    for (int i = 0; i < n && i < 8; i++) printf("# %d:%d: %s\n", e[i].line, e[i].col, e[i].msg);
    return n;
}

static Outs render(Phonon *ph, int nouts, double seconds)
{
    Outs o = { nouts, (int)(seconds * SR) / BLOCK * BLOCK, { 0 } };
    for (int c = 0; c < nouts; c++) o.x[c] = calloc((size_t)o.frames, sizeof(float));
    for (int done = 0; done < o.frames; done += BLOCK) {
        float *outs[MAXOUT];
        for (int c = 0; c < nouts; c++) outs[c] = o.x[c] + done;
        phonon_process(ph, NULL, outs, BLOCK);
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    return o;
}

static void outs_free(Outs *o)
{
    for (int c = 0; c < o->n; c++) free(o->x[c]);
}

/* peak of channel c over seconds [t0, t1) */
static double peak(const Outs *o, int c, double t0, double t1)
{
    double p = 0;
    int f1 = (int)(t1 * SR) < o->frames ? (int)(t1 * SR) : o->frames;
    for (int i = (int)(t0 * SR); i < f1; i++) p = fabs(o->x[c][i]) > p ? fabs(o->x[c][i]) : p;
    return p;
}

/* the first frame of channel c at or after t0 whose level reaches thr, in seconds (-1: none) */
static double onset(const Outs *o, int c, double t0, float thr)
{
    for (int i = (int)(t0 * SR); i < o->frames; i++)
        if (fabsf(o->x[c][i]) >= thr) return (double)i / SR;
    return -1;
}

static double pitch(const Outs *o, int c, double t0, double t1)
{
    int first = -1, last = -1, n = 0;
    for (int i = (int)(t0 * SR) + 1; i < (int)(t1 * SR) && i < o->frames; i++)
        if (o->x[c][i - 1] < 0 && o->x[c][i] >= 0) {
            if (first < 0) first = i;
            last = i;
            n++;
        }
    return n > 1 ? (double)(n - 1) * SR / (last - first) : 0;
}

#define TONE "tempo: 0.5\n~tone $ sine * 0.5\n"

/* a chain on orbit 1: outputs 3-4 with -outs 4 (and nothing in the main pair), the main pair with 2 */
static void test_outputs(void)
{
    Phonon *ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 1 # orbit 1"), 0, "outputs: compiles");
    Outs o = render(ph, 4, 1.5);
    CHECK_NEAR(peak(&o, 2, 0.2, 1.5), 0.5 * sqrt(0.5), 0.03, "outputs: orbit 1 plays on output 3 (centre pan)");
    CHECK_NEAR(peak(&o, 3, 0.2, 1.5), 0.5 * sqrt(0.5), 0.03, "outputs: and on output 4");
    CHECK_NEAR(pitch(&o, 2, 0.2, 1.5), 440, 2, "outputs: output 3 has the 440 Hz note");
    CHECK(peak(&o, 0, 0, 1.5) < 1e-6 && peak(&o, 1, 0, 1.5) < 1e-6, "outputs: the main pair is silent",
          "peak %g", peak(&o, 0, 0, 1.5));
    outs_free(&o);
    phonon_free(ph);

    ph = engine(2, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 1 # orbit 1"), 0, "outputs: compiles with 2");
    o = render(ph, 2, 1.5);
    CHECK_NEAR(peak(&o, 0, 0.2, 1.5), 0.5 * sqrt(0.5), 0.03, "outputs: with 2 outputs orbit 1 is in the main pair");
    CHECK_NEAR(pitch(&o, 1, 0.2, 1.5), 440, 2, "outputs: the main pair has the 440 Hz note");
    outs_free(&o);
    phonon_free(ph);

    /* orbit 2 with 4 outputs: it has no pair of its own (5-6), so it plays in the main pair */
    ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 1 # orbit 2"), 0, "outputs: orbit 2 compiles");
    o = render(ph, 4, 1.5);
    CHECK_NEAR(peak(&o, 0, 0.2, 1.5), 0.5 * sqrt(0.5), 0.03, "outputs: orbit 2 beyond -outs 4 is in the main pair");
    CHECK(peak(&o, 2, 0, 1.5) < 1e-6, "outputs: output 3 is silent for orbit 2");
    outs_free(&o);
    phonon_free(ph);
}

/* a chain's own effects after '#' go with it to its orbit, whichever side of them `orbit` is written */
static void test_chain_effects(void)
{
    const char *progs[] = {
        TONE "~d1 $ s \"~tone*2\" # note 9 # legato 0.5 # reverb 0.5 0.5 # orbit 1",
        TONE "~d1 $ s \"~tone*2\" # note 9 # legato 0.5 # orbit 1 # reverb 0.5 0.5",
        TONE "~d1 $ s \"~tone*2\" # note 9 # legato 0.5 # lpf 2000 0.7 # orbit 1 * 0.5",
    };
    for (int i = 0; i < 3; i++) {
        Phonon *ph = engine(4, 1);
        CHECK_INT(eval(ph, progs[i]), 0, "effects: compiles");
        Outs o = render(ph, 4, 2.0);
        CHECK(peak(&o, 2, 0.1, 2.0) > 0.05 && peak(&o, 3, 0.1, 2.0) > 0.05, "effects: the chain is on outputs 3-4",
              "program %d: peak %g", i, peak(&o, 2, 0.1, 2.0));
        CHECK(peak(&o, 0, 0, 2.0) < 1e-6 && peak(&o, 1, 0, 2.0) < 1e-6, "effects: and not in the main pair",
              "program %d: peak %g", i, peak(&o, 0, 0, 2.0));
        if (i == 0) {
            /* the note ends at 0.5 s: the chain's reverb rings on, on outputs 3-4 */
            CHECK(peak(&o, 2, 0.55, 0.9) > 0.01, "effects: the chain's reverb tail is on output 3", "peak %g",
                  peak(&o, 2, 0.55, 0.9));
        }
        outs_free(&o);
        phonon_free(ph);
    }
}

/* an edit that changes a chain's effects crossfades the two on the chain's orbit: output 3 sounds on
 * through the edit and nothing of either reaches the main pair */
static void test_edit_crossfade(void)
{
    Phonon *ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 1 # reverb 0.3 0.5 # orbit 1"), 0, "fade: compiles");
    Outs o = render(ph, 4, 0.5);
    outs_free(&o);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 1 # lpf 3000 0.5 # orbit 1"), 0, "fade: the edit");
    o = render(ph, 4, 0.5);
    double low = 1;
    for (int k = 0; k < 10; k++) {      /* 5 ms windows through the crossfade (10 ms) and after */
        double p = peak(&o, 2, 0.005 * k, 0.005 * (k + 1));
        low = p < low ? p : low;
    }
    CHECK(low > 0.1, "fade: output 3 sounds on through the crossfade", "lowest 5 ms peak %g", low);
    CHECK(peak(&o, 0, 0, 0.5) < 1e-6 && peak(&o, 1, 0, 0.5) < 1e-6, "fade: nothing of it in the main pair",
          "peak %g", peak(&o, 0, 0, 0.5));
    outs_free(&o);
    phonon_free(ph);
}

/* the orbit's own reverb (room, size) and delay (delay, delaytime, delayfeedback, lock) from program events */
static void test_orbit_effects(void)
{
    /* a 50 ms note: without room nothing is left after 0.2 s; with room 0.5 the orbit's reverb rings */
    Phonon *ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.05 # release 0.01 # orbit 1"), 0, "fx: dry");
    Outs o = render(ph, 4, 1.0);
    double dry_tail = peak(&o, 2, 0.2, 0.6);
    outs_free(&o);
    phonon_free(ph);
    ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.05 # release 0.01 # room 0.5 # size 0.8 # orbit 1"),
              0, "fx: room compiles");
    o = render(ph, 4, 1.0);
    CHECK(dry_tail < 1e-4, "fx: without room the note is over after 0.2 s", "tail %g", dry_tail);
    CHECK(peak(&o, 2, 0.2, 0.6) > 0.003, "fx: room 0.5 size 0.8: the orbit's reverb tail is on output 3",
          "tail %g", peak(&o, 2, 0.2, 0.6));
    CHECK(peak(&o, 0, 0, 1.0) < 1e-6, "fx: the reverb is not in the main pair");
    outs_free(&o);
    phonon_free(ph);

    /* delay 1 delaytime 0.25 s, no feedback: one echo 0.25 s after the note */
    ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.02 # release 0.005 # delay 1 # delaytime 0.25 "
                            "# orbit 1"), 0, "fx: delay compiles");
    o = render(ph, 4, 1.0);
    double first = onset(&o, 2, 0, 0.05f), echo = onset(&o, 2, first + 0.1, 0.05f);
    CHECK(first >= 0 && first < 0.02, "fx: the note starts at once", "at %g", first);
    CHECK_NEAR(echo - first, 0.25, 0.003, "fx: the echo comes delaytime (0.25 s) later");
    outs_free(&o);
    phonon_free(ph);

    /* lock 1: delaytime counts cycles; at 0.5 cycles per second 0.25 cycles is 0.5 s */
    ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.02 # release 0.005 # delay 1 # delaytime 0.25 "
                            "# lock 1 # orbit 1"), 0, "fx: lock compiles");
    o = render(ph, 4, 1.0);
    first = onset(&o, 2, 0, 0.05f);
    echo = onset(&o, 2, first + 0.1, 0.05f);
    CHECK_NEAR(echo - first, 0.5, 0.003, "fx: with lock 1 the echo comes 0.25 cycles (0.5 s) later");
    outs_free(&o);
    phonon_free(ph);

    /* the same effects on orbit 0: in the main pair */
    ph = engine(2, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.02 # release 0.005 # delay 1 # delaytime 0.25"),
              0, "fx: delay on orbit 0 compiles");
    o = render(ph, 2, 1.0);
    first = onset(&o, 0, 0, 0.05f);
    echo = onset(&o, 0, first + 0.1, 0.05f);
    CHECK_NEAR(echo - first, 0.25, 0.003, "fx: `# delay 1` alone puts the event on orbit 0, echoed in the main pair");
    outs_free(&o);
    phonon_free(ph);
}

/* `# orbit "<0 1>"`: one cycle in the main pair, the next on outputs 3-4, each note where its event says */
static void test_patterned(void)
{
    Phonon *ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # legato 0.5 # orbit \"<0 1>\""), 0, "pattern: compiles");
    Outs o = render(ph, 4, 4.0);        /* cycles 0 and 1: 2 s each */
    CHECK(peak(&o, 0, 0.1, 0.9) > 0.3, "pattern: cycle 0 in the main pair");
    CHECK(peak(&o, 2, 0, 2.0) < 1e-6, "pattern: nothing on output 3 in cycle 0", "peak %g", peak(&o, 2, 0, 2.0));
    CHECK(peak(&o, 2, 2.1, 2.9) > 0.3, "pattern: cycle 1 on output 3");
    CHECK(peak(&o, 0, 2.0, 4.0) < 1e-6, "pattern: nothing in the main pair in cycle 1", "peak %g", peak(&o, 0, 2.0, 4.0));
    outs_free(&o);
    phonon_free(ph);

    /* mixed in one cycle: the first half's note on orbit 1, the second's in the main pair */
    ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone*2\" # note 9 # legato 0.5 # orbit \"1 0\""), 0, "pattern: 1 0 compiles");
    o = render(ph, 4, 4.0);
    CHECK(peak(&o, 2, 0.1, 0.4) > 0.3 && peak(&o, 0, 0.1, 0.4) < 1e-6, "pattern: the first note on output 3 only");
    CHECK(peak(&o, 0, 1.1, 1.4) > 0.3 && peak(&o, 2, 1.1, 1.4) < 1e-6, "pattern: the second in the main pair only");
    outs_free(&o);
    phonon_free(ph);
}

/* an edit keeps the orbit's tail: the reverb of the last note rings on after the program changes */
static void test_edit_keeps_tail(void)
{
    Phonon *ph = engine(4, 1);
    CHECK_INT(eval(ph, TONE "~d1 $ s \"~tone\" # note 9 # sustain 0.05 # release 0.01 # room 0.6 # size 0.9 # orbit 1"),
              0, "edit: compiles");
    Outs o = render(ph, 4, 0.2);
    outs_free(&o);
    CHECK_INT(eval(ph, TONE "~d2 $ s \"~tone\" # note 21 # legato 0.1"), 0, "edit: a program without orbits");
    o = render(ph, 4, 0.4);
    CHECK(peak(&o, 2, 0, 0.4) > 0.003, "edit: orbit 1's reverb tail rings on through the edit", "peak %g",
          peak(&o, 2, 0, 0.4));
    outs_free(&o);
    phonon_free(ph);
}

/* the same program renders the same bits on 1 and 3 threads, on every output */
static void test_threads(void)
{
    const char *prog = TONE "~pl $ saw # lpf 1200 0.5 * perc 0.2\n"
                       "~d1 $ s \"~tone*8\" # note \"0 3 7 12\" # orbit \"<1 0 1>\" # room 0.3 # size 0.7\n"
                       "~d2 $ s \"~pl*4\" # note \"<c4 e4>\" # delay 0.5 # delaytime 0.125 # delayfeedback 0.5 # lock 1 "
                       "# orbit 1\n~d3 $ s \"~tone*3\" # note 5 # reverb 0.4 0.5 # orbit \"0 1\"\n";
    Outs r[2];
    for (int t = 0; t < 2; t++) {
        Phonon *ph = engine(4, t == 0 ? 1 : 3);
        CHECK_INT(eval(ph, prog), 0, "threads: compiles");
        r[t] = render(ph, 4, 6.0);
        phonon_free(ph);
    }
    bool same = true;
    for (int c = 0; c < 4; c++) same &= memcmp(r[0].x[c], r[1].x[c], sizeof(float) * (size_t)r[0].frames) == 0;
    CHECK(same, "threads: 1 and 3 threads give the same bits on all four outputs");
    CHECK(peak(&r[0], 2, 0, 6) > 0.1 && peak(&r[0], 0, 0, 6) > 0.1, "threads: both pairs have sound");
    outs_free(&r[0]);
    outs_free(&r[1]);
}

/* `check` says where an orbit that changes per event meets an effect of the whole chain */
static void test_check(void)
{
    Phonon *ph = engine(4, 1);
    PhononError e[4];
    memset(e, 0, sizeof e);
    int n = phonon_check(ph, "~d1 $ s \"bd*4\" # orbit \"<0 1>\" # reverb 0.5 0.5", "orbit.ph", e, 4);
    CHECK_INT(n, 0, "check: a varying orbit before an effect is no error");
    CHECK_STR(e[0].msg, "warning: the orbit changes from event to event, but reverb processes the chain's sound as a "
              "whole: all of it, tails too, goes to the orbit of the latest event (the orbits' own effects, room size "
              "delay ..., keep each event on its orbit)", "check: says what happens");
    CHECK_INT(e[0].col, 18, "check: at the orbit");
    memset(e, 0, sizeof e);
    phonon_check(ph, "~d1 $ s \"bd*4\" # reverb 0.5 0.5 # orbit \"0 1\"", "orbit.ph", e, 4);
    CHECK(strstr(e[0].msg, "the orbit changes from event to event") != NULL, "check: also after the effect", "%s", e[0].msg);
    memset(e, 0, sizeof e);
    phonon_check(ph, "~d1 $ s \"bd*4\" # reverb 0.5 0.5 # orbit 1\n~d2 $ s \"hh*4\" # orbit \"<0 1>\"", "orbit.ph", e, 4);
    CHECK_STR(e[0].msg, "", "check: a constant orbit with an effect, a varying one without: nothing to say");
    memset(e, 0, sizeof e);
    n = phonon_check(ph, "out: sine 440 # orbit 1", "orbit.ph", e, 4);
    CHECK_INT(n, 1, "check: orbit on a signal with no chain is an error");
    CHECK_STR(e[0].msg, "orbit sets the orbit of events; its left side is a signal that plays no event chain",
              "check: says why");
    phonon_free(ph);
}

int main(void)
{
    test_outputs();
    test_chain_effects();
    test_edit_crossfade();
    test_orbit_effects();
    test_patterned();
    test_edit_keeps_tail();
    test_threads();
    test_check();
    return test_done();
}
