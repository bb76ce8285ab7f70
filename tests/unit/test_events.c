/* test_events.c — events as a host receives them (phonon_set_event_output): the exact onset in the
 * text form, the duration in seconds, the tempo and the frame offset in the call; hush stops them. */
#include <stdio.h>
#include <string.h>

#include "phonon.h"
#include "test.h"

#define MAXEV 64

typedef struct Events {
    int n;
    char text[MAXEV][480];
    PhononEvent ev[MAXEV];
} Events;

static void run(Phonon *ph, int blocks, Events *out)
{
    float l[64], r[64], *outs[2] = { l, r };
    out->n = 0;
    for (int b = 0; b < blocks; b++) {
        phonon_process(ph, NULL, outs, 64);
        PhononMsg m;
        while (phonon_poll(ph, &m))
            if (m.kind == PHONON_MSG_EVENT && out->n < MAXEV) {
                snprintf(out->text[out->n], sizeof out->text[0], "%s", m.text);
                out->ev[out->n++] = m.event;
            }
    }
}

int main(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    PhononError e[4];
    static Events ev;
    CHECK_INT(phonon_eval(ph, "cps: 1\n~d1 $ s \"x*8\" # n 2", "e.ph", e, 4), 0, "events: compiles");
    phonon_set_event_output(ph, true);
    phonon_seek(ph, 12345);
    run(ph, 700, &ev);                              /* 44800 frames: just over one cycle */
    CHECK(ev.n >= 8, "events: eight events in a cycle", "%d", ev.n);
    CHECK_STR(ev.text[0], "~d1 s x n 2 cycle 12345 delta 0.125 cps 1 offset 0", "events: the first, at cycle 12345");
    CHECK_STR(ev.text[1], "~d1 s x n 2 cycle 12345.125 delta 0.125 cps 1 offset 8",
              "events: the onset exactly (12345.125, not 12345.1), delta in seconds, the frame offset");
    CHECK_NEAR(ev.ev[1].cycle, 12345.125, 0, "events: PhononEvent.cycle is the onset");
    CHECK_NEAR(ev.ev[1].seconds, 0.125, 1e-12, "events: PhononEvent.seconds is the duration");
    CHECK_INT(ev.ev[1].offset, 5512 % 64, "events: the offset is the onset's frame in the call (5512 mod 64)");
    CHECK_INT(ev.ev[1].frame - ev.ev[0].frame, 5512, "events: frames between onsets (44100 / 8, rounded down)");

    /* a third of a cycle has no exact decimal: the text reads back as the same double */
    CHECK_INT(phonon_eval(ph, "cps: 1\n~d1 $ s \"x*3\"", "e.ph", e, 4), 0, "events: thirds compile");
    phonon_seek(ph, 0);
    run(ph, 700, &ev);
    CHECK(ev.n >= 2 && strstr(ev.text[1], " cycle 0.33333333333333331 delta 0.333333333 "),
          "events: an onset without an exact decimal is written to 17 digits", "%s", ev.n > 1 ? ev.text[1] : "");

    /* hush stops the events as well as the sound; unhush brings them back */
    phonon_hush(ph);
    run(ph, 700, &ev);
    CHECK_INT(ev.n, 0, "events: none while hushed");
    phonon_unhush(ph);
    run(ph, 700, &ev);
    CHECK(ev.n >= 3, "events: they come back after unhush", "%d", ev.n);
    /* a program's own hush statement likewise */
    CHECK_INT(phonon_eval(ph, "cps: 1\n~d1 $ s \"x*3\"\nhush", "e.ph", e, 4), 0, "events: hush statement compiles");
    run(ph, 20, &ev);
    run(ph, 700, &ev);
    CHECK_INT(ev.n, 0, "events: none while the program says hush");
    phonon_free(ph);
    return test_done();
}
