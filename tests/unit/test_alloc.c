/* test_alloc.c — the audio-path rule, measured: no allocation inside phonon_process once warm,
 * counted by wrapping malloc and friends for the whole process (workers included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirt.h"
#include "engine_bench.h"
#include "phonon.h"
#include "test.h"
#include "test_alloc_count.h"
#include "test_dirt_osc.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
int main(void)
{
    printf("# allocation counting is off under sanitizers (they replace malloc)\n");
    return test_done();
}
#else

static void render(Phonon *ph, int blocks, int n)
{
    float l[512], r[512];
    float *outs[2] = { l, r };
    for (int i = 0; i < blocks; i++) phonon_process(ph, NULL, outs, n);
}

static const char *prog_a = "bpm: 120\n~synth $ saw # lpf 800 0.7\n~d1 $ s \"bd(4,17)\" # n 3 # gain 1\n"
                            "~d2 $ s \"hh*16?\" # pan rand # speed \"1 2\"\n"
                            "~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"\n"
                            "~d4 $ s \"[sn cp]*4\" $ jux rev $ every 2 (fast 2) # cut 1\n"
                            "~d5 $ s \"drum*4\" |++ s \"<1 2>\" $ ifp odd (fast 2) id $ whenT (< 4) (|++ s \"3\")\n"
                            "  # vowel (\"a e\" |++| \"i o\")\n"
                            "~lfo: sine 0.5 * 300 + 600\nout: saw \"55 82.5\" # lpf ~lfo 0.7 * 0.1\n"
                            /* squiz and leslie on samples and instruments: their buffers come from the pool; the
                               rotors glide between the rates, on two orbits (their table is the pool's too) */
                            "~d6 $ s \"[sn ~synth]*4\" # squiz \"<2 3>\" # leslie 0.7 # lrate \"<6.7 0.7>\" # lsize 0.3 # gain 0.3\n"
                            "~d7 $ s \"~synth*2\" # leslie 1 # lrate \"0.7 6.7\" # orbit 2 # gain 0.2\n";
static const char *prog_b = "bpm: 120\n~synth $ square # lpf 1200 0.5\n~d1 $ s \"bd*4\"\n"
                            "~d3 $ s \"~synth*8\" # note \"c e g b\" # legato 0.5\n~d2 $ s \"hh*8\" # squiz 2 # leslie 1\n";

static void eval(Phonon *ph, const char *text)
{
    PhononError e[4];
    int n = phonon_eval(ph, text, "alloc.ph", e, 4);
    for (int i = 0; i < n && i < 4; i++) printf("# %d:%d: %s\n", e[i].line, e[i].col, e[i].msg);
    phonon_wait_loaded(ph, 10);
}

/* --- Tidal's events: the audio side of the receiver (queue, pending table, voice starts, orbits) ------- */

#define ALLOC_T0 1900000000.0
static _Atomic long alloc_frame;     /* the receiver thread reads it too */
static double alloc_clock(void *ud) { (void)ud; return ALLOC_T0 + (double)atomic_load(&alloc_frame) / 44100; }

static void alloc_render_clocked(Phonon *ph, int blocks)
{
    float l[64], r[64];
    float *outs[2] = { l, r };
    for (int i = 0; i < blocks; i++, alloc_frame += 64) phonon_process(ph, NULL, outs, 64);
}

/* n bundles over the next `seconds`, every parameter family: orbits, cut, the orbit effects */
static void alloc_send(int fd, int port, int n, double seconds)
{
    const char *keys[] = { "orbit", "cut", "room", "delay", "delaytime", "gain", "speed", NULL };
    for (int i = 0; i < n; i++) {
        float vals[] = { (float)(i % 3), (float)(i % 2), 0.3f, 0.4f, 0.125f, 0.8f, 1.0f + (float)(i % 4) };
        Osc m = { .n = 0 }, o = { .n = 0 };
        osc_play(&m, i % 2 ? "bd" : "hh", keys, vals);
        osc_bundle_head(&o, ALLOC_T0 + (double)alloc_frame / 44100 + 0.05 + seconds * i / n);
        osc_element(&o, &m);
        osc_send(fd, port, &o);
    }
}

static void alloc_wait_received(Phonon *ph, long n)
{
    PhononDirtStats st;
    for (int i = 0; i < 500; i++) {
        phonon_dirt_stats(ph, &st);
        if (st.received >= n) return;
        usleep(2000);
    }
}

static void test_dirt(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    dirt_set_clock(engine_dirt_for_tests(ph), alloc_clock, NULL);
    char err[200];
    int port = 0;
    for (int t = 0; t < 50 && !port; t++) {
        int p = 20000 + (int)((getpid() * 13 + t * 101) % 40000);
        if (phonon_dirt_listen(ph, NULL, p, err, sizeof err) == 0) port = p;
    }
    int fd = osc_socket();
    alloc_send(fd, port, 50, 1.0);              /* warm: the sounds decode, every path runs once */
    alloc_wait_received(ph, 50);
    phonon_wait_loaded(ph, 10);
    alloc_render_clocked(ph, 1400);
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    PhononDirtStats before, after;
    phonon_dirt_stats(ph, &before);
    for (int k = 0; k < 6; k++) {                /* in batches: a burst may overflow the socket's buffer */
        alloc_send(fd, port, 50, 2.0 / 6);
        alloc_wait_received(ph, 100 + 50 * k);
        alloc_frame += (long)(44100 * 2.0 / 6);  /* the next batch's times come after this one's */
    }
    alloc_frame -= 6 * (long)(44100 * 2.0 / 6);
    atomic_store(&allocs, 0);
    atomic_store(&frees, 0);
    atomic_store(&counting, 1);
    alloc_render_clocked(ph, 1500);             /* 2.2 s: every event starts, orbits ring */
    atomic_store(&counting, 0);
    phonon_dirt_stats(ph, &after);
    CHECK_INT(after.played - before.played, 300, "dirt: the 300 events sent are played");
    CHECK_INT(atomic_load(&allocs), 0, "dirt: no allocation in phonon_process while Tidal's events play");
    CHECK_INT(atomic_load(&frees), 0, "dirt: no free in phonon_process");
    close(fd);
    phonon_free(ph);
}

/* --- a program's events on orbits: voices on the orbits' buses, tracks following a chain's orbit, the
   orbits' effects set per event, an edit that moves chains between orbits, 4 outputs ------------------- */
static void test_orbits(void)
{
    static const char *const progs[2] = {
        "bpm: 120\n~synth $ saw # lpf 900 0.6\n~d1 $ s \"bd*4 hh*8\" # orbit \"<0 1 2>\" # room \"0.2 0.5\" # size 0.8\n"
        "~d2 $ s \"~synth*4\" # note \"c e g\" # reverb 0.4 0.5 # orbit \"1 0\" # delay 0.4 # delaytime 0.125 # lock 1\n"
        "~d3 $ s \"sn*2\" # delay 0.5 # delaytime 0.2 # delayfeedback 0.6\n",
        "bpm: 120\n~synth $ square\n~d1 $ s \"bd*2\" # orbit 1 # dry 0.5\n~d2 $ s \"~synth*8\" # note 7 # lpf 500 0.5 "
        "# orbit \"<1 2>\"\n",
    };
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 2;
    cfg.outs = 4;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    float x[4][64];
    float *outs[4] = { x[0], x[1], x[2], x[3] };
    eval(ph, progs[0]);
    for (int i = 0; i < 2000; i++) phonon_process(ph, NULL, outs, 64);     /* warm, orbits made and awake */
    eval(ph, progs[1]);
    for (int i = 0; i < 500; i++) phonon_process(ph, NULL, outs, 64);
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    for (int k = 0; k < 2; k++) {
        eval(ph, progs[k]);                     /* compiled off the audio path; handed over inside it */
        atomic_store(&allocs, 0);
        atomic_store(&frees, 0);
        atomic_store(&counting, 1);
        for (int i = 0; i < 3000; i++) phonon_process(ph, NULL, outs, 64);
        atomic_store(&counting, 0);
        CHECK_INT(atomic_load(&allocs), 0, "orbits: no allocation in phonon_process with a program on orbits");
        CHECK_INT(atomic_load(&frees), 0, "orbits: no free in phonon_process");
    }
    phonon_free(ph);
}

int main(void)
{
    test_orbits();
    test_dirt();
    for (int threads = 1; threads <= 2; threads++) {
        PhononConfig cfg;
        phonon_config_default(&cfg);
        cfg.threads = threads;
        cfg.no_system_samples = true;
        Phonon *ph = phonon_new(&cfg);
        eval(ph, prog_a);
        render(ph, 2000, 64);                       /* warm: every code path has run once */
        PhononMsg m;
        while (phonon_poll(ph, &m)) {}

        atomic_store(&allocs, 0);
        atomic_store(&frees, 0);
        atomic_store(&counting, 1);
        render(ph, 4000, 64);
        render(ph, 100, 512);
        atomic_store(&counting, 0);
        char name[120];
        snprintf(name, sizeof name, "threads %d: no allocation in phonon_process over 4100 blocks", threads);
        CHECK_INT(atomic_load(&allocs), 0, name);
        snprintf(name, sizeof name, "threads %d: no free in phonon_process", threads);
        CHECK_INT(atomic_load(&frees), 0, name);

        /* a new program is compiled off the audio path; taking it over at a block edge allocates nothing */
        eval(ph, prog_b);
        atomic_store(&allocs, 0);
        atomic_store(&counting, 1);
        render(ph, 2000, 64);
        atomic_store(&counting, 0);
        snprintf(name, sizeof name, "threads %d: the program hand-over and the new program allocate nothing", threads);
        CHECK_INT(atomic_load(&allocs), 0, name);
        while (phonon_poll(ph, &m)) {}
        phonon_free(ph);
    }

    /* the output stage with outputs of their own (out3:, out4:), the events and the block-time figures:
       an edit that moves a track between the main mix and its own output crossfades without allocating */
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.outs = 4;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    eval(ph, "out: saw 110 * 0.1\nout3: sine 1000 * 0.5\nout4: sine 2000 * 0.25\n~d1 $ s \"bd*4\"");
    phonon_set_event_output(ph, true);
    float o[4][64], *outs[4] = { o[0], o[1], o[2], o[3] };
    PhononMsg m;
    for (int i = 0; i < 2000; i++) phonon_process(ph, NULL, outs, 64);
    while (phonon_poll(ph, &m)) {}
    eval(ph, "out: saw 110 * 0.1\n~d5: sine 1000 * 0.5\nout4: sine 2000 * 0.25\n~d1 $ s \"bd*4\"");
    atomic_store(&allocs, 0);
    atomic_store(&frees, 0);
    atomic_store(&counting, 1);
    for (int i = 0; i < 2000; i++) phonon_process(ph, NULL, outs, 64);
    atomic_store(&counting, 0);
    CHECK_INT(atomic_load(&allocs), 0, "outs 4: own outputs, an edit that moves a track off one, events: no allocation");
    CHECK_INT(atomic_load(&frees), 0, "outs 4: no free");
    while (phonon_poll(ph, &m)) {}
    phonon_free(ph);

    /* sample voices held over many blocks (the held path of voice_sample.c), handing over to the general
       render at loop wraps, releases and cuts, on two threads */
    cfg.outs = 2;
    cfg.threads = 2;
    ph = phonon_new(&cfg);
    eval(ph, "bpm: 120\n~d1 $ s \"[bd sn hh cp]*8\" # loop 6 # speed \"0.6 1.3 -0.8\" # legato \"1 0.3\"\n"
             "~d2 $ s \"cp*4\" # loop 20 # speed 0.77 # cut 1\n");
    render(ph, 2000, 64);
    while (phonon_poll(ph, &m)) {}
    atomic_store(&allocs, 0);
    atomic_store(&frees, 0);
    atomic_store(&counting, 1);
    render(ph, 2000, 64);
    atomic_store(&counting, 0);
    CHECK_INT(atomic_load(&allocs), 0, "held sample voices, two threads: no allocation");
    CHECK_INT(atomic_load(&frees), 0, "held sample voices: no free");
    while (phonon_poll(ph, &m)) {}
    phonon_free(ph);
    return test_done();
}
#endif
