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

enum { LIMIT_ANY = 1, LIMIT_CLAMP = 2, LIMIT_DROP = 4, NO_LIMIT = 8, TEMPO = 16, REJECTED = 32 };   /* REJECTED: by the compiler (mini-notation limits) */

typedef struct Hostile {
    const char *program;        /* the hostile statement(s); a plain `d9 $ s "cp*4"` is added */
    int expect;                 /* what the limits must report */
} Hostile;

static const Hostile hostile[] = {
    /* the list */
    { "d1 $ fast 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ fast 1e300 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ s \"{bd sn}%5000\" # n \"[0 1]*2500\"", 0 },
    { "d1 $ fast 10000 $ s \"{bd sn}%10000\"", LIMIT_DROP },
    { "d1 $ linger 1e-9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ swingBy (1/3) 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ hurry 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ inside 1e9 rev $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ striate 1e9 $ s \"bd sn\"", LIMIT_CLAMP },
    { "d1 $ s \"[[[[[bd*100]*100]*100]*100]*100]\"", REJECTED },
    { "d1 $ fast 10000 $ fast 10000 $ s \"[bd*100]*100\"", LIMIT_DROP },
    { "bpm: 1e308", TEMPO },
    { "d1 $ s \"bd*10000\"", 0 },
    { "d1 $ s \"[bd*10000]*10000\"", REJECTED },
    { "d1 $ fast 10000 $ s \"[bd*100]*100\"", LIMIT_DROP },
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
    { "d1 $ fast \"[1e9 1e8 1e7]*4\" $ s \"bd\"", LIMIT_CLAMP },
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
    { "d1 $ s \"bd*10000 sn*10000\"", REJECTED },
    { "d1 $ ply 1024 $ s \"bd*5000 sn*5000\"", LIMIT_ANY },
    { "d1 $ s \"[bd sn]*10000 [hh cp]*10000\"", REJECTED },
    { "d1 $ chop 1024 $ s \"[bd sn]*2500 [hh cp]*2500\"", LIMIT_ANY },
    { "d1 $ s \"<bd sn>*10000\"", REJECTED },
    { "d1 $ s \"<bd sn>*5000\"", 0 },
    { "d1 $ s \"bd(1024,1024)\"", NO_LIMIT },
    { "d1 $ s \"{bd sn hh}%10000\" # speed \"[1 2]*10000\"", REJECTED },
    { "d1 $ segment 4096 $ s \"{bd sn hh}%5000\" # speed \"[1 2]*2500\"", 0 },
    { "d1 $ s \"[bd*1000 sn*1000]*1000\"", REJECTED },
    { "d1 $ striate 1024 $ s \"[bd*50 sn*50]*50\"", LIMIT_ANY },
    { "d1 $ s \"[[bd*1000]*1000]*1000\"", REJECTED },
    { "d1 $ s \"bd? sn?\" # n \"[0 1]*5000\"", NO_LIMIT },
    { "d1 $ s \"[bd*10000?]*10000\"", REJECTED },
    { "d1 $ fast 10000 $ s \"[bd*100?]*100\"", LIMIT_ANY },
    { "d1 $ s \"[[bd|sn|hh]*10000]*10000\"", REJECTED },
    { "d1 $ inside 10000 rev $ s \"[[bd|sn|hh]*100]*100\"", 0 },
    { "d1 $ s \"bd . sn sn . [[hh hh hh]*10000]*10000\"", REJECTED },
    { "d1 $ hurry 10000 $ s \"bd . sn sn . [[hh hh hh]*50]*50\"", LIMIT_ANY },
    /* many players, all hostile */
    { "d1 $ fast 1e9 $ s \"bd\"\nd2 $ fast 1e9 $ s \"sn\"\nd3 $ fast 1e9 $ s \"hh\"\nd4 $ ply 1e9 $ s \"cp*8\"",
      LIMIT_CLAMP },
    { "d1 $ fast 10000 $ s \"[bd*100]*100\"\nd2 $ fast 10000 $ s \"[sn*100]*100\"\nd3 $ fast 10000 $ s \"[hh*100]*100\"", LIMIT_DROP },
    /* tempo */
    { "tempo: 1e9", TEMPO },
    { "cps: 1e-300", TEMPO },
    { "bpm: 1e-300", TEMPO },
    { "bpm: 1e308\nd1 $ fast 10000 $ s \"bd*16\"", TEMPO | LIMIT_ANY },
    { "cps: 100\nd1 $ s \"bd*1000\"", LIMIT_ANY },
};

#define NHOSTILE ((int)(sizeof hostile / sizeof hostile[0]))

/* Test names on one line. */
static char *oneline(char *name)
{
    for (char *c = name; *c; c++)
        if (*c == '\n') *c = ';';
    return name;
}

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
    double eval_cpu;                    /* compiling and handing over (the host's thread: it must not stall) */
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
    char prog[8192];
    snprintf(prog, sizeof prog, "d9 $ s \"cp*4\"\n%s\n", text);
    PhononError e[4];
    double e0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    int nerr = phonon_eval(ph, prog, "hostile.ph", e, 4);
    r->eval_cpu = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - e0;
    if (nerr != 0) {
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
    double seconds = 2.0;       /* a cycle at the default tempo: "<1 1e9>" reaches its second value */
    double worst = 0, worst_eval = 0;
    for (int i = 0; i < NHOSTILE; i++) {
        const Hostile *h = &hostile[i];
        char name[300];
        snprintf(name, sizeof name, "hostile %d `%.200s`", i + 1, h->program);
        oneline(name);
        Run r;
        bool compiled = run_program(h->program, seconds, &r);
        if (h->expect & REJECTED) {     /* the compiler refuses it, at once */
            CHECK(!compiled && r.eval_cpu < 0.25, name, "%s in %.2f s", compiled ? "compiled" : "rejected", r.eval_cpu);
            continue;
        }
        if (!compiled) {
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
        if (!HOSTILE_SANITIZED && r.eval_cpu > 0.25)
            ok = false, snprintf(why, sizeof why, "phonon_eval took %.2f s", r.eval_cpu);
        if (r.eval_cpu > worst_eval) worst_eval = r.eval_cpu;
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
    printf("# slowest hostile program: %.3f s of one thread for %.2f s of audio; slowest eval %.3f s\n", worst,
           seconds, worst_eval);
}

static const char *const msg_deep = "events dropped: a pattern is nested more than 200 levels deep (docs/PATTERNS.md, Limits)";

/* `phonon check` says at compile time which literal factors will be clamped, and where. */
static void test_check_warnings(void)
{
    static const struct {
        const char *program, *warning;
    } cases[] = {
        { "d1 $ fast 1e9 $ s \"bd sn\"", "w.ph:1:11: warning: the factor of fast is out of range (1/10000 to 10000); clamped to 10000" },
        { "d1 $ fast 1e300 $ s \"bd\"", "w.ph:1:11: warning: the factor of fast is out of range (1/10000 to 10000); clamped to 10000" },
        { "d1 $ fast (-1e9) $ s \"bd\"", "w.ph:1:12: warning: the factor of fast is out of range (1/10000 to 10000); clamped to -10000" },
        { "d1 $ slow 0.00001 $ s \"bd\"", "w.ph:1:11: warning: the factor of slow is out of range (1/10000 to 10000); clamped to 0.0001" },
        { "d1 $ linger 1e-9 $ s \"bd sn\"", "w.ph:1:13: warning: the factor of linger is out of range (1/10000 to 10000); clamped to 0.0001" },
        { "d1 $ swingBy (1/3) 1e9 $ s \"bd\"", "w.ph:1:20: warning: the factor of swingBy is out of range (1/10000 to 10000); clamped to 10000" },
        { "d1 $ hurry 1e9 $ s \"bd\"", "w.ph:1:12: warning: the factor of hurry is out of range (1/10000 to 10000); clamped to 10000" },
        { "d1 $ inside 1e9 rev $ s \"bd\"", "w.ph:1:13: warning: the factor of inside is out of range (1/10000 to 10000); clamped to 10000" },
        { "d1 $ striate 1e9 $ s \"bd\"", "w.ph:1:14: warning: the factor of striate is out of range (at most 1024); clamped to 1024" },
        { "d1 $ ply 1e9 $ s \"bd\"", "w.ph:1:10: warning: the factor of ply is out of range (at most 1024); clamped to 1024" },
        { "d1 $ segment 1e9 $ s \"bd\"", "w.ph:1:14: warning: the factor of segment is out of range (at most 4096); clamped to 4096" },
        { "d1 $ chop 1e9 $ s \"bd\"", "w.ph:1:11: warning: the factor of chop is out of range (at most 1024); clamped to 1024" },
        { "d1 $ stut 1000000 0.5 0.0001 $ s \"bd\"", "w.ph:1:11: warning: the factor of stut is out of range (at most 64); clamped to 64" },
        { "d1 $ stutWith 20 (1/8) (fast 2) $ s \"bd\"", "w.ph:1:15: warning: the factor of stutWith is out of range (at most 16); clamped to 16" },
        { "d1 $ shuffle 300 $ s \"bd\"", "w.ph:1:14: warning: the factor of shuffle is out of range (at most 256); clamped to 256" },
        { "d1 $ every 2 (fast 1e9) $ s \"bd\"", "w.ph:1:20: warning: the factor of fast is out of range (1/10000 to 10000); clamped to 10000" },
        { "bpm: 1e308\nd1 $ s \"bd\"", "w.ph:1:6: warning: bpm 1e+308 is out of range (0.06 to 6000); clamped to 6000" },
        { "tempo: 1e9\nd1 $ s \"bd\"", "w.ph:1:8: warning: tempo 1e+09 cps is out of range (0.001 to 100); clamped to 100" },
        { "cps: 0.00001\nd1 $ s \"bd\"", "w.ph:1:6: warning: tempo 1e-05 cps is out of range (0.001 to 100); clamped to 0.001" },
        /* within range: nothing to say */
        { "d1 $ fast 10000 $ slow 10000 $ ply 1024 $ segment 4096 $ chop 1024 $ s \"bd\"", NULL },
        { "d1 $ fast \"<1 1e9>\" $ s \"bd\"", NULL },      /* patterned: clamped while playing */
        { "bpm: 6000\nd1 $ s \"bd\"", NULL },
        { "cps: 0.001\nd1 $ s \"bd\"", NULL },
    };
    Phonon *ph = engine_one_thread();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PhononError e[4];
        memset(e, 0, sizeof e);
        int nerr = phonon_check(ph, cases[i].program, "w.ph", e, 4);
        char got[800] = "";
        if (e[0].msg[0]) phonon_error_format(&e[0], got, sizeof got);
        char name[300];
        snprintf(name, sizeof name, "check `%s`", cases[i].program);
        oneline(name);
        if (cases[i].warning) CHECK(nerr == 0 && strcmp(got, cases[i].warning) == 0, name, "got \"%s\" (%d errors)", got, nerr);
        else CHECK(nerr == 0 && !e[0].msg[0], name, "got \"%s\" (%d errors)", got, nerr);
    }
    phonon_free(ph);
}

/* The events d1 makes over `seconds`, one text per event ("d1 s bd ... cycle 0.25"). */
typedef struct Events {
    char (*text)[480];
    int n, cap;
    long dropped, clamped;
} Events;

static Events collect(const char *program, double seconds)
{
    Events ev = { NULL, 0, 0, 0, 0 };
    Phonon *ph = engine_one_thread();
    PhononError e[2];
    if (phonon_eval(ph, program, "e.ph", e, 2) != 0) {
        phonon_free(ph);
        return ev;
    }
    phonon_set_event_output(ph, true);
    static float l[BLOCK], r[BLOCK];
    float *outs[2] = { l, r };
    PhononMsg m;
    for (long done = 0; done < (long)(seconds * SR); done += BLOCK) {
        phonon_process(ph, NULL, outs, BLOCK);
        while (phonon_poll(ph, &m)) {
            if (m.kind != PHONON_MSG_EVENT) continue;
            if (ev.n == ev.cap) ev.text = realloc(ev.text, sizeof *ev.text * (size_t)(ev.cap = ev.cap ? 2 * ev.cap : 256));
            snprintf(ev.text[ev.n++], sizeof ev.text[0], "%s", m.text);
        }
    }
    PhononStats st;
    phonon_stats(ph, &st);
    ev.dropped = st.pattern_dropped;
    ev.clamped = st.pattern_clamped;
    phonon_free(ph);
    return ev;
}

static bool events_equal(const Events *a, const Events *b)
{
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->text[i], b->text[i]) != 0) return false;
    return true;
}

/* A factor beyond its range plays exactly as the end of the range; one within it is untouched. */
static void test_clamp_is_range_end(void)
{
    static const struct {
        const char *over, *end;
    } cases[] = {
        { "d1 $ ply 5000 $ s \"bd\"", "d1 $ ply 1024 $ s \"bd\"" },
        { "d1 $ ply \"<1e9 3>\" $ s \"bd\"", "d1 $ ply \"<1024 3>\" $ s \"bd\"" },
        { "d1 $ segment 1e9 $ s \"bd\"", "d1 $ segment 4096 $ s \"bd\"" },
        { "d1 $ chop 2000 $ s \"bd\"", "d1 $ chop 1024 $ s \"bd\"" },
        { "d1 $ striate 1e9 $ s \"bd\"", "d1 $ striate 1024 $ s \"bd\"" },
        { "d1 $ stut 1000 0.5 0.01 $ s \"bd\"", "d1 $ stut 64 0.5 0.01 $ s \"bd\"" },
        { "d1 $ slow 1e9 $ s \"bd sn\"", "d1 $ slow 10000 $ s \"bd sn\"" },
        { "d1 $ fast 1e9 $ slow 1e9 $ s \"bd sn\"", "d1 $ fast 10000 $ slow 10000 $ s \"bd sn\"" },
        { "d1 $ inside 1e9 rev $ s \"bd sn\"", "d1 $ inside 10000 rev $ s \"bd sn\"" },
        { "d1 $ shuffle 1000 $ s \"bd*8\"", "d1 $ shuffle 256 $ s \"bd*8\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Events a = collect(cases[i].over, 2.0), b = collect(cases[i].end, 2.0);
        char name[300];
        snprintf(name, sizeof name, "`%s` plays as `%s`", cases[i].over, cases[i].end);
        CHECK(a.n > 0 && events_equal(&a, &b) && a.clamped > 0 && b.clamped == 0 && a.dropped == 0 && b.dropped == 0,
              name, "%d and %d events, clamped %ld and %ld, dropped %ld and %ld", a.n, b.n, a.clamped, b.clamped,
              a.dropped, b.dropped);
        free(a.text);
        free(b.text);
    }
}

/* Dense programs that are not hostile: no limit is hit, every event plays. */
static void test_valid_untouched(void)
{
    static const struct {
        const char *program;
        int per_cycle;          /* d1's events per cycle */
    } cases[] = {
        { "tempo: 1\nd1 $ s \"hh*64\"", 64 },
        { "tempo: 2\nd1 $ s \"[bd*16, hh*32, sn*8, cp*4]\" # n (irand 4)", 60 },
        { "d1 $ chop 32 $ s \"bd*8\"", 256 },
        { "d1 $ fast 16 $ s \"bd*16\"", 256 },
        { "d1 $ segment 512 $ s \"hh\"", 512 },
        { "d1 $ jux rev $ every 2 (fast 2) $ chop 4 $ s \"hh*16 [bd sn]*4\" # pan rand", 384 },
        { "d1 $ stut 4 0.5 0.125 $ s \"bd*8 sn*8\"", 64 },
        { "d1 $ striate 16 $ s \"arpy*8\"", 128 },
        { "d1 $ ply 4 $ iter 4 $ s \"cp*4 [bd bd]*2\"", 32 },
        { "d1 $ n \"[0 .. 63]\" # s \"arpy\"", 64 },
        { "d1 $ fast 1000 $ s \"bd\"", 1000 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char prog[512];
        snprintf(prog, sizeof prog, "%s\nd2 $ s \"hh*32\"\nd3 $ stut 3 0.5 (1/16) $ s \"sn*16\"", cases[i].program);
        Events ev = collect(prog, 2.0);
        Events one = collect(cases[i].program, 2.0);
        double cps = strstr(cases[i].program, "tempo: 2") ? 2 : strstr(cases[i].program, "tempo: 1") ? 1 : 0.5;
        long frames = ((long)(2.0 * SR) + BLOCK - 1) / BLOCK * BLOCK;
        double cycles = (double)frames / SR * cps;
        int d1 = 0;
        for (int k = 0; k < one.n; k++) d1 += strncmp(one.text[k], "d1 ", 3) == 0;
        int expect = (int)ceil(cycles * cases[i].per_cycle - 1e-9);
        char name[300];
        snprintf(name, sizeof name, "valid `%.120s`: every event, no limit", cases[i].program);
        oneline(name);
        CHECK(ev.dropped == 0 && ev.clamped == 0 && one.dropped == 0 && d1 >= expect &&
              d1 <= expect + cases[i].per_cycle / 8, name, "%d events (about %d expected), dropped %ld, clamped %ld", d1, expect,
              ev.dropped + one.dropped, ev.clamped);
        free(ev.text);
        free(one.text);
    }
}

static void test_tempo_range(void)
{
    Phonon *ph = engine_one_thread();
    phonon_set_cps(ph, 1e9);
    CHECK_NEAR(phonon_cps(ph), 100, 0, "phonon_set_cps 1e9 is 100 cps");
    phonon_set_bpm(ph, 1e-9);
    CHECK_NEAR(phonon_cps(ph), 0.001, 0, "phonon_set_bpm 1e-9 is 0.001 cps");
    phonon_set_cps(ph, 42.5);
    CHECK_NEAR(phonon_cps(ph), 42.5, 0, "phonon_set_cps 42.5 unchanged");
    PhononError e[2];
    CHECK_INT(phonon_eval(ph, "bpm: 1e308\nd1 $ s \"bd\"", "t.ph", e, 2), 0, "bpm: 1e308 plays");
    static float l[BLOCK], r[BLOCK];
    float *outs[2] = { l, r };
    phonon_process(ph, NULL, outs, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 100, 0, "bpm: 1e308 plays at 6000 bpm");
    PhononMsg m;
    int seen = 0;
    while (phonon_poll(ph, &m))
        seen += m.kind == PHONON_MSG_WARNING &&
                strcmp(m.text, "t.ph:1:6: warning: bpm 1e+308 is out of range (0.06 to 6000); clamped to 6000") == 0;
    CHECK_INT(seen, 1, "bpm: 1e308 warns once");
    phonon_free(ph);
}

/* Nesting deeper than the query allows: the deep events are dropped, counted and reported; the rest plays. */
static void test_too_deep(void)
{
    char prog[4096];
    int n = snprintf(prog, sizeof prog, "d1 $ ");
    for (int i = 0; i < 190; i++) n += snprintf(prog + n, sizeof prog - (size_t)n, "(rev . ");
    n += snprintf(prog + n, sizeof prog - (size_t)n, "rev");
    for (int i = 0; i < 190; i++) n += snprintf(prog + n, sizeof prog - (size_t)n, ")");
    n += snprintf(prog + n, sizeof prog - (size_t)n, " $ s \"");
    for (int i = 0; i < 30; i++) n += snprintf(prog + n, sizeof prog - (size_t)n, "[");
    n += snprintf(prog + n, sizeof prog - (size_t)n, "bd sn");
    for (int i = 0; i < 30; i++) n += snprintf(prog + n, sizeof prog - (size_t)n, "]");
    snprintf(prog + n, sizeof prog - (size_t)n, "\"");
    Run r;
    CHECK(run_program(prog, 2.0, &r), "a pattern 220 levels deep compiles");
    CHECK(r.st.pattern_dropped > 0 && r.finite, "too deep: dropped and counted", "dropped %ld", r.st.pattern_dropped);
    CHECK_INT(r.companion, 5, "too deep: the plain player keeps its events");
    CHECK_STR(r.other, msg_deep, "too deep: reported once");
    CHECK_INT(r.warn_other, 1, "too deep: one warning");
}

/* The step count is a pure function of the program and the clock: the same whatever the threads. */
static void test_steps_deterministic(void)
{
    const char *prog = "d1 $ fast 1e9 $ s \"bd sn\"\nd2 $ ply 1000 $ ply 1000 $ s \"hh\"";
    long steps[2], dropped[2];
    for (int t = 0; t < 2; t++) {
        PhononConfig cfg;
        phonon_config_default(&cfg);
        cfg.threads = t + 1;
        cfg.no_system_samples = true;
        Phonon *ph = phonon_new(&cfg);
        PhononError e[2];
        phonon_eval(ph, prog, "d.ph", e, 2);
        static float l[BLOCK], r[BLOCK];
        float *outs[2] = { l, r };
        for (int b = 0; b < 40; b++) phonon_process(ph, NULL, outs, BLOCK);
        PhononStats st;
        phonon_stats(ph, &st);
        steps[t] = st.pattern_steps;
        dropped[t] = st.pattern_dropped;
        phonon_free(ph);
    }
    CHECK(steps[0] == steps[1] && dropped[0] == dropped[1] && steps[0] > 0, "pattern steps: the same on 1 and 2 threads",
          "%ld/%ld steps, %ld/%ld dropped", steps[0], steps[1], dropped[0], dropped[1]);
}

int main(void)
{
    test_hostile_set();
    test_check_warnings();
    test_clamp_is_range_end();
    test_valid_untouched();
    test_tempo_range();
    test_too_deep();
    test_steps_deterministic();
    return test_done();
}
