/* test_orbit_dirt.c — a program's events and Tidal's (OSC, hand-made packets) on the same orbits: both sum
 * into orbit 1's outputs (3-4 of four), and the orbit's effects are set by whichever event came last, a
 * program's or Tidal's. The wall clock is the engine's own frame count, so every expected frame is exact. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dirt.h"
#include "engine_bench.h"
#include "phonon.h"
#include "test.h"
#include "test_dirt_osc.h"

#define SR 44100
#define T0 1900000000.0             /* the wall clock at frame 0 */

static char sample_root[256];
static _Atomic long clock_frame;    /* the receiver thread reads it too */
static double fake_now(void *ud) { (void)ud; return T0 + (double)atomic_load(&clock_frame) / SR; }

static void make_sound(const char *name, int frames, float value)
{
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", sample_root, name);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/0.wav", dir);
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    float *x = malloc(sizeof(float) * (size_t)frames);
    for (int i = 0; i < frames; i++) x[i] = value;
    sf_writef_float(f, x, frames);
    sf_close(f);
    free(x);
}

static float peak(const float *x, double t0, double t1)
{
    float p = 0;
    for (long i = (long)(t0 * SR); i < (long)(t1 * SR); i++) p = fabsf(x[i]) > p ? fabsf(x[i]) : p;
    return p;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void test_shared_orbit(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.outs = 4;
    cfg.no_system_samples = true;
    const char *dirs[] = { sample_root, NULL };
    cfg.sample_dirs = dirs;
    Phonon *ph = phonon_new(&cfg);
    dirt_set_clock(engine_dirt_for_tests(ph), fake_now, NULL);
    char err[256];
    int port = 0;
    for (int tries = 0; tries < 50 && !port; tries++) {
        int p = 20000 + (int)((getpid() * 11 + tries * 137) % 40000);
        if (phonon_dirt_listen(ph, NULL, p, err, sizeof err) == 0) port = p;
    }
    CHECK(port > 0, "shared: the receiver listens");
    int fd = osc_socket();
    PhononError e[4];
    /* the program: a click on orbit 1 at each cycle (1 s), echoed 0.1 s later at half its level */
    CHECK_INT(phonon_eval(ph, "cps: 1\n~d1 $ s \"click\" # orbit 1 # delay 0.5 # delaytime 0.1", "shared", e, 4), 0,
              "shared: the program compiles");
    phonon_wait_loaded(ph, 10);
    /* Tidal: a click on orbit 1 at 0.5 s with no delay: it sets orbit 1's delay to 0 (the last event wins) */
    const char *keys[] = { "orbit", NULL };
    float vals[] = { 1 };
    Osc m = { .n = 0 }, o = { .n = 0 };
    osc_play(&m, "click", keys, vals);
    osc_bundle_head(&o, T0 + 0.5);
    osc_element(&o, &m);
    osc_send(fd, port, &o);
    PhononDirtStats st;
    for (int i = 0; i < 400; i++) {
        phonon_dirt_stats(ph, &st);
        if (st.received > 0) break;
        sleep_ms(5);
    }
    long frames = (long)(1.6 * SR) / 64 * 64;     /* the checks read up to 1.5 s */
    float *x[4];
    for (int c = 0; c < 4; c++) x[c] = calloc((size_t)frames, sizeof(float));
    for (long done = 0; done < frames; done += 64) {
        float *outs[4] = { x[0] + done, x[1] + done, x[2] + done, x[3] + done };
        atomic_store(&clock_frame, done);
        phonon_process(ph, NULL, outs, 64);
    }
    float dry = peak(x[2], 0, 0.01);
    CHECK(dry > 0.3, "shared: the program's click on output 3", "peak %g", dry);
    CHECK_NEAR(peak(x[2], 0.095, 0.11) / dry, 0.5, 0.02, "shared: its echo 0.1 s later at half the level");
    CHECK_NEAR(peak(x[2], 0.49, 0.51), 0.4 * dry, 0.01, "shared: Tidal's click on orbit 1 (SuperDirt's gain: 0.4) is on "
               "output 3 too");
    CHECK(peak(x[2], 0.55, 0.9) < 1e-4, "shared: Tidal's event (no delay) closed orbit 1's echo", "peak %g",
          peak(x[2], 0.55, 0.9));
    CHECK_NEAR(peak(x[2], 1.095, 1.11) / dry, 0.5, 0.02, "shared: the program's next event opens it again");
    CHECK(peak(x[0], 0, 1.5) < 1e-6 && peak(x[1], 0, 1.5) < 1e-6, "shared: nothing of orbit 1 in the main pair",
          "peaks %g %g", peak(x[0], 0, 1.5), peak(x[1], 0, 1.5));
    if (getenv("ORBIT_DEBUG"))
        for (int c = 0; c < 4; c++)
            for (long i = 0; i < frames; i++)
                if (fabsf(x[c][i]) > 1e-3f && (i == 0 || fabsf(x[c][i - 1]) <= 1e-3f)) printf("# ch %d at %ld: %g\n", c, i, x[c][i]);
    for (int c = 0; c < 4; c++) free(x[c]);
    close(fd);
    phonon_free(ph);
}

int main(void)
{
    snprintf(sample_root, sizeof sample_root, "/tmp/phonon-test-orbit-dirt-%d", (int)getpid());
    mkdir(sample_root, 0755);
    make_sound("click", 100, 0.5f);
    test_shared_orbit();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", sample_root);
    if (system(cmd) != 0) printf("# could not remove %s\n", sample_root);
    return test_done();
}
