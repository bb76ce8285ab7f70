/* test_hostile.c — programs written to freeze the audio thread (absurd factors, dense and deep
 * patterns, absurd tempi) must still render at real time or faster on one thread: each is compiled and
 * rendered through phonon.h; the pattern work (a deterministic step count) stays within the budget,
 * the wall clock within real time, the output finite, the limits are counted and reported once, and a
 * plain player beside the hostile one keeps all its events. docs/PATTERNS.md, "Limits". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "phonon.h"
#include "test.h"

/* sanitizers make everything several times slower: render less, and no wall-clock bound */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HOSTILE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HOSTILE_SANITIZED 1
#endif
#endif
#ifndef HOSTILE_SANITIZED
#define HOSTILE_SANITIZED 0
#endif

#define SR 44100
#define BLOCK 512

/* what the engine's budget allows over `seconds` (pattern.h: PATTERN_STEPS_PER_SECOND, _BURST) */
#define STEPS_PER_SECOND 1000000.0
#define STEPS_BURST 262144.0

/* The warnings the engine posts, exactly. */
static const char *const msg_drop =
    "events dropped: the patterns ask for more than can be played in real time (at most 1000000 pattern steps "
    "per second, 16384 events per query); make them less dense (docs/PATTERNS.md, Limits)";
static const char *const msg_clamp =
    "a pattern factor is out of range and was clamped (fast, slow, inside, linger at most 10000; ply 1024; "
    "segment 4096; chop, striate 1024; stut 64; docs/PATTERNS.md, Limits)";

enum { LIMIT_ANY = 1, LIMIT_CLAMP = 2, LIMIT_DROP = 4, NO_LIMIT = 8, TEMPO = 16 };

typedef struct Hostile {
    const char *program;        /* the hostile statement(s); a plain `d9 $ s "cp*4"` is added */
    int expect;                 /* what the limits must report */
} Hostile;

static const Hostile hostile[] = {
    /* the list */
    { "d1 $ fast 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fast 1e300 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ s \"{bd sn}%1000000000\"", LIMIT_ANY },
    { "d1 $ linger 1e-9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ swingBy (1/3) 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ hurry 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ inside 1e9 rev $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ striate 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ s \"[[[[[bd*100]*100]*100]*100]*100]\"", LIMIT_DROP },
    { "bpm: 1e308", TEMPO },
    { "d1 $ s \"bd*100000000\"", LIMIT_ANY },
    { "d1 $ ply 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ segment 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ chop 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ stut 1000000 0.5 0.0001 $ s \"bd sn\"", LIMIT_CLAMP },
    /* speed factors */
    { "d1 $ fast (-1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fast 1e-300 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ slow 1e-9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ slow 1e300 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ density 1e12 $ s \"bd\"", LIMIT_CLAMP },
    { "d1 $ sparsity 1e-12 $ s \"bd\"", LIMIT_CLAMP },
    { "d1 $ fast \"<1 1e9>\" $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ fast \"1e9 1\" $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fast \"[1e9 2e9 3e9]*4\" $ s \"bd\"", LIMIT_CLAMP },
    { "d1 $ fast 10000 $ fast 10000 $ s \"bd sn\"", LIMIT_DROP },
    { "d1 $ fast 1000 $ fast 1000 $ fast 1000 $ s \"bd\"", LIMIT_DROP },
    { "d1 $ fast 9999 $ s \"bd*16 sn*16\"", LIMIT_ANY },
    { "d1 $ hurry \"<1e9 2>\" $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ hurry 1e-9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fastGap 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fastGap 1e300 $ s \"bd*8\"", LIMIT_CLAMP },
    { "d1 $ linger (-1e-9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ linger 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ linger \"<0.25 1e-12>\" $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ swing 1e9 $ s \"bd sn hh cp\"", LIMIT_CLAMP },
    { "d1 $ swingBy 1e9 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ inside 1e-9 rev $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ outside 1e9 rev $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ outside 1e-9 rev $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ inside 1e9 (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ inside 10000 (inside 10000 rev) $ s \"bd sn\"", LIMIT_ANY },
    /* counts and slices */
    { "d1 $ striate \"<2 1000000000>\" $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ striate (-1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ striateBy 1e9 0.5 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ striate 1000 $ striate 1000 $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ ply \"1e9 2\" $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ ply 1e300 $ s \"bd*8\"", LIMIT_CLAMP },
    { "d1 $ ply (-1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ ply 1000 $ ply 1000 $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ segment 1e300 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ discretise 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ segment 4000 $ segment 4000 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ s \"bd*8\" # n (segment 1e9 $ irand 8)", LIMIT_CLAMP },
    { "d1 $ chop \"<4 1000000000>\" $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ chop 1000 $ chop 1000 $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ chop 1e9 $ striate 1e9 $ s \"bd\"", LIMIT_CLAMP },
    { "d1 $ stut 1e9 0.5 0 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ stut 64 0.5 1e-9 $ s \"bd*16\"", NO_LIMIT },
    { "d1 $ stut 1e9 0.5 0.125 $ s \"bd*16\"", LIMIT_CLAMP },
    { "d1 $ stutWith 1e9 (1/8) (fast 2) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ echoWith 1e9 (1/1000) (# speed 2) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ stutWith 16 (1/16) (fast 10000) $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ shuffle 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ scramble 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    /* factors that need no clamp: they cost nothing, they must stay cheap */
    { "d1 $ iter 1e9 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ every 1e15 (fast 2) $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ repeatCycles 1e9 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ rot 1e9 $ s \"bd sn hh\"", NO_LIMIT },
    { "d1 $ chunk 1e9 (fast 2) $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ bite 1e9 \"0 1\" $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ euclid 1000000 1000000 $ s \"bd\"", NO_LIMIT },
    { "d1 $ euclidFull 1e9 1e9 (s \"cp\") $ s \"bd\"", NO_LIMIT },
    { "d1 $ s \"bd*4\" # n (irand 1e300)", NO_LIMIT },
    { "d1 $ n (run 1e9) # s \"bd\"", NO_LIMIT },
    { "d1 $ n (scan 1e9) # s \"bd\"", NO_LIMIT },
    { "d1 $ s \"bd*4\" # speed (range 1 1e308 sine)", NO_LIMIT },
    { "d1 $ 1e300 ~> s \"bd sn\"", NO_LIMIT },
    { "d1 $ off 1e-300 (fast 2) $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ degradeBy 1e-300 $ s \"bd*16\"", NO_LIMIT },
    { "d1 $ zoom 0 1e-9 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ compress 0 1e-9 $ s \"bd sn\"", NO_LIMIT },
    { "d1 $ trunc 1e-300 $ s \"bd sn\"", NO_LIMIT },
    /* inside other functions */
    { "d1 $ every 1 (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ sometimesBy 0.5 (fast 1e9) $ s \"bd*8\"", LIMIT_CLAMP },
    { "d1 $ jux (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ off 0.25 (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ superimpose (hurry 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ layer (fast 1e9) (ply 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ chunk 4 (hurry 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ whenmod 2 1 (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ within 0 0.5 (fast 1e9) $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ every \"<1 2>\" (segment 1e9) $ s \"bd sn\"", LIMIT_ANY },
    { "d1 $ fix (fast 1e9) (s \"bd\") $ s \"bd sn\"", LIMIT_CLAMP },
    /* patterns as arguments and controls */
    { "d1 $ s \"bd*16\" # speed (fast 1e9 \"1 2\")", LIMIT_CLAMP },
    { "d1 $ s \"bd*16\" # pan (fast 1e9 sine)", LIMIT_CLAMP },
    { "d1 $ n (\"0 1\" + fast 1e9 \"1 2\") # s \"bd\"", LIMIT_CLAMP },
    { "d1 $ struct (fast 1e9 \"t f\") $ s \"bd\"", LIMIT_CLAMP },
    { "d1 $ s \"bd*16\" # gain (segment 1e9 sine)", LIMIT_CLAMP },
    { "d1 $ s (fast 1e9 \"bd sn\")", LIMIT_CLAMP },
    { "d1 $ s \"bd\" # n (fast 10000 $ fast 10000 \"0 1\")", LIMIT_ANY },
    { "d1 $ sound \"bd*16\" # legato (fast 1e300 \"0.5 1\")", LIMIT_CLAMP },
    /* the mini-notation's own factors */
    { "d1 $ s \"bd*1000000 sn*1000000\"", LIMIT_ANY },
    { "d1 $ s \"[bd sn]*100000 [hh cp]*100000\"", LIMIT_ANY },
    { "d1 $ s \"<bd sn>*100000000\"", LIMIT_ANY },
    { "d1 $ s \"bd(1000000,1000000)\"", NO_LIMIT },
    { "d1 $ s \"{bd sn hh}%100000000\"", LIMIT_ANY },
    { "d1 $ s \"[bd*1000 sn*1000]*1000\"", LIMIT_ANY },
    { "d1 $ s \"[[bd*1000]*1000]*1000\"", LIMIT_ANY },
    { "d1 $ s \"bd? sn?\" # n \"[0 1]*10000000\"", NO_LIMIT },
    { "d1 $ s \"bd*100000000?\"", LIMIT_ANY },
    { "d1 $ s \"[bd|sn|hh]*100000000\"", LIMIT_ANY },
    { "d1 $ s \"bd . sn sn . [hh hh hh]*10000000\"", LIMIT_ANY },
    /* many players, all hostile */
    { "d1 $ fast 1e9 $ s \"bd\"\nd2 $ fast 1e9 $ s \"sn\"\nd3 $ fast 1e9 $ s \"hh\"\nd4 $ ply 1e9 $ s \"cp*8\"",
      LIMIT_CLAMP },
    { "d1 $ s \"bd*100000000\"\nd2 $ s \"sn*100000000\"\nd3 $ s \"hh*100000000\"", LIMIT_ANY },
    /* tempo */
    { "tempo: 1e9", TEMPO },
    { "cps: 1e-300", TEMPO },
    { "bpm: 1e-300", TEMPO },
    { "bpm: 1e308\nd1 $ fast 10000 $ s \"bd*16\"", TEMPO | LIMIT_ANY },
    { "cps: 100\nd1 $ s \"bd*1000\"", LIMIT_ANY },
};

#define NHOSTILE ((int)(sizeof hostile / sizeof hostile[0]))

static double clock_seconds(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static Phonon *engine_one_thread(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

typedef struct Run {
    double cpu, wall, peak, cps;        /* cpu: this thread's time (one thread renders everything) */
    bool finite;
    int companion;              /* events of the plain player d9 */
    int warn_drop, warn_clamp, warn_other;
    char other[480];
    PhononStats st;
} Run;

/* Render `seconds` of audio of text (with a plain player beside it), draining the messages. */
static bool run_program(const char *text, double seconds, Run *r)
{
    memset(r, 0, sizeof *r);
    Phonon *ph = engine_one_thread();
    if (!ph) return false;
    char prog[1024];
    snprintf(prog, sizeof prog, "d9 $ s \"cp*4\"\n%s\n", text);
    PhononError e[4];
    if (phonon_eval(ph, prog, "hostile.ph", e, 4) != 0) {
        char line[800];
        phonon_error_format(&e[0], line, sizeof line);
        printf("# %s\n", line);
        phonon_free(ph);
        return false;
    }
    phonon_set_event_output(ph, true);
    static float l[BLOCK], rr[BLOCK];
    float *outs[2] = { l, rr };
    long frames = (long)(seconds * SR);
    r->finite = true;
    PhononMsg m;
    double t0 = clock_seconds(CLOCK_MONOTONIC), c0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    for (long done = 0; done < frames; done += BLOCK) {
        phonon_process(ph, NULL, outs, BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            if (!isfinite(l[i]) || !isfinite(rr[i])) r->finite = false;
            if (fabs(l[i]) > r->peak) r->peak = fabs(l[i]);
        }
        while (phonon_poll(ph, &m)) {
            if (m.kind == PHONON_MSG_EVENT) r->companion += strncmp(m.text, "d9 ", 3) == 0;
            else if (m.kind == PHONON_MSG_WARNING && strcmp(m.text, msg_drop) == 0) r->warn_drop++;
            else if (m.kind == PHONON_MSG_WARNING && strcmp(m.text, msg_clamp) == 0) r->warn_clamp++;
            else if (m.kind == PHONON_MSG_WARNING || m.kind == PHONON_MSG_ERROR) {
                r->warn_other++;
                snprintf(r->other, sizeof r->other, "%s", m.text);
            }
        }
    }
    r->wall = clock_seconds(CLOCK_MONOTONIC) - t0;
    r->cpu = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
    phonon_stats(ph, &r->st);
    r->cps = phonon_cps(ph);
    phonon_free(ph);
    return true;
}

static void test_hostile_set(void)
{
    double seconds = HOSTILE_SANITIZED ? 0.25 : 2.0;
    double worst = 0;
    for (int i = 0; i < NHOSTILE; i++) {
        const Hostile *h = &hostile[i];
        char name[300];
        snprintf(name, sizeof name, "hostile %d `%.200s`", i + 1, h->program);
        Run r;
        if (!run_program(h->program, seconds, &r)) {
            CHECK(0, name, "does not compile");
            continue;
        }
        if (getenv("HOSTILE_VERBOSE"))
            printf("# %3d %6.3f s cpu  steps %9ld  dropped %5ld  clamped %7ld  voices %6ld  %s\n", i + 1, r.cpu,
                   r.st.pattern_steps, r.st.pattern_dropped, r.st.pattern_clamped, r.st.started, h->program);
        if (r.cpu > worst) worst = r.cpu;
        bool ok = r.finite;
        char why[600] = "";
        /* the deterministic bound: what the budget hands out over the rendered time */
        double allowed = STEPS_PER_SECOND * seconds + STEPS_BURST + (seconds * SR / BLOCK) * 2;
        if (r.st.pattern_steps > allowed)
            ok = false, snprintf(why, sizeof why, "%ld pattern steps, more than the %g allowed", r.st.pattern_steps,
                                 allowed);
        /* real time on one thread; the wall clock, on a machine others share, generously */
        if (!HOSTILE_SANITIZED && (r.cpu > seconds || r.wall > 4 * seconds))
            ok = false, snprintf(why, sizeof why, "%.2f s (%.2f s wall) to render %.2f s of audio", r.cpu, r.wall,
                                 seconds);
        if (!r.finite) snprintf(why, sizeof why, "non-finite output");
        bool limited = r.st.pattern_dropped + r.st.pattern_clamped > 0;
        if ((h->expect & (LIMIT_ANY | LIMIT_CLAMP | LIMIT_DROP)) && !limited)
            ok = false, snprintf(why, sizeof why, "no limit was counted");
        if ((h->expect & LIMIT_CLAMP) && r.st.pattern_clamped == 0)
            ok = false, snprintf(why, sizeof why, "no clamped factor was counted");
        if ((h->expect & LIMIT_DROP) && r.st.pattern_dropped == 0)
            ok = false, snprintf(why, sizeof why, "no dropped events were counted");
        if ((h->expect & NO_LIMIT) && limited)
            ok = false, snprintf(why, sizeof why, "a limit was hit (%ld dropped, %ld clamped)", r.st.pattern_dropped,
                                 r.st.pattern_clamped);
        /* reported once each, exactly when counted */
        if (r.warn_drop != (r.st.pattern_dropped > 0) || r.warn_clamp != (r.st.pattern_clamped > 0))
            ok = false, snprintf(why, sizeof why, "warnings: %d dropped, %d clamped (counted %ld, %ld)", r.warn_drop,
                                 r.warn_clamp, r.st.pattern_dropped, r.st.pattern_clamped);
        if ((h->expect & TEMPO) && !(r.cps >= 0.001 && r.cps <= 100))
            ok = false, snprintf(why, sizeof why, "tempo %g cps", r.cps);
        /* the plain player keeps every event: cp*4 at the tempo in effect */
        if (!(h->expect & TEMPO)) {
            long frames = ((long)(seconds * SR) + BLOCK - 1) / BLOCK * BLOCK;     /* as rendered */
            int expect = (int)ceil((double)frames / SR * r.cps * 4 - 1e-9);
            if (r.companion != expect)
                ok = false, snprintf(why, sizeof why, "the plain player had %d events, expected %d", r.companion, expect);
        }
        CHECK(ok, name, "%s", why);
    }
    printf("# slowest hostile program: %.3f s of one thread for %.2f s of audio\n", worst, seconds);
}

int main(void)
{
    test_hostile_set();
    return test_done();
}
