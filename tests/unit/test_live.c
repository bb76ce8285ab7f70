/* test_live.c — live edits, heard: a program changed while it plays keeps every running sound.
 * The measure of a click is the second difference of the output: a sine's own is A * (2 pi f / sr)^2;
 * a restarted phase or a cut tail is a step hundreds of times larger. Also: bit-identity of an unchanged
 * re-eval, tails across edits of other statements, control values (phonon_set_control) and their glide,
 * no allocation while a slider moves, the same bits for any thread count. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_bench.h"
#include "phonon.h"
#include "test.h"
#include "test_alloc_count.h"

/* --- allocation counting (test_alloc_count.h; off under sanitizers, which replace malloc) ------------ */
#define LIVE_COUNT_ALLOCS ALLOC_COUNTING
static long live_allocs(void) { return atomic_load(&allocs) + atomic_load(&frees); }
static void live_counting(int on) { atomic_store(&counting, on); }
static int live_counting_now(void) { return atomic_load(&counting); }

#define SR 44100
#define BLOCK 64

static Phonon *engine(int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.max_block = BLOCK;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

static int eval_(Phonon *ph, const char *text, int whole)
{
    PhononError e[8];
    int n = whole ? phonon_eval(ph, text, "live.ph", e, 8) : phonon_eval_statements(ph, text, "live.ph", e, 8);
    for (int i = 0; i < n && i < 8; i++) {
        char line[1024];
        phonon_error_format(&e[i], line, sizeof line);
        printf("# %s\n", line);
    }
    return n;
}
static int eval(Phonon *ph, const char *text) { return eval_(ph, text, 1); }
static int stmt(Phonon *ph, const char *text) { return eval_(ph, text, 0); }

/* Render frames of the left channel into x (from frame `at`), in blocks of BLOCK. */
static void render(Phonon *ph, float *x, long at, long frames)
{
    static float r[BLOCK];
    for (long done = 0; done < frames;) {
        int n = frames - done < BLOCK ? (int)(frames - done) : BLOCK;
        float *outs[2] = { x + at + done, r };
        phonon_process(ph, NULL, outs, n);
        done += n;
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
}

/* The largest |second difference| over [a, b). */
static double d2max(const float *x, long a, long b)
{
    double m = 0;
    for (long i = a + 1; i + 1 < b; i++) {
        double d = fabs((double)x[i + 1] - 2.0 * x[i] + x[i - 1]);
        if (d > m) m = d;
    }
    return m;
}

static double peak(const float *x, long a, long b)
{
    double m = 0;
    for (long i = a; i < b; i++)
        if (fabs(x[i]) > m) m = fabs(x[i]);
    return m;
}

/* A sine's own second difference at amplitude amp and f Hz. */
static double sine_d2(double amp, double f)
{
    double w = 2 * M_PI * f / SR;
    return amp * w * w;
}

/* Render 0.5 s, apply `edit` at frame 0.25 s (between two blocks), render the rest; the edit must not
 * raise the second difference above limit. Returns the rendered buffer (caller frees). */
typedef void (*EditFn)(Phonon *ph, const void *arg);

static float *around_edit(Phonon *ph, EditFn edit, const void *arg, long frames)
{
    float *x = calloc((size_t)frames, sizeof(float));
    long half = frames / 2 / BLOCK * BLOCK;
    render(ph, x, 0, half);
    edit(ph, arg);
    render(ph, x, half, frames - half);
    return x;
}

static void edit_stmt(Phonon *ph, const void *arg) { stmt(ph, arg); }
static void edit_eval(Phonon *ph, const void *arg) { eval(ph, arg); }
static void edit_none(Phonon *ph, const void *arg) { (void)ph, (void)arg; }

typedef struct SetArg {
    const char *name;
    double value;
} SetArg;
static void edit_set(Phonon *ph, const void *arg)
{
    const SetArg *s = arg;
    phonon_set_control(ph, s->name, s->value);
}

static const char *sine_prog = "~osc: sine 220 * 0.5\nout: ~osc\n";

/* The case: a sine and an edit of something else. Each edit must leave the sine untouched. */
static void test_sine_across_edits(void)
{
    struct {
        const char *what;
        EditFn fn;
        const void *arg;
    } cases[] = {
        { "a statement for another, silent track", edit_stmt, "~d1 $ s \"~ ~\"" },
        { "an identical re-eval", edit_eval, NULL },
        { "a statement re-sent unchanged", edit_stmt, "~osc: sine 220 * 0.5" },
        { "set of a bus nothing reads", edit_set, &(SetArg){ "~undefinedbus", 3 } },
        { "a tempo statement", edit_stmt, "bpm: 133" },
        { "bpm from the host", NULL, NULL },
    };
    long frames = SR / 2;
    Phonon *ref = engine(1);
    eval(ref, sine_prog);
    float *want = around_edit(ref, edit_none, NULL, frames);
    double own = sine_d2(0.5, 220);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Phonon *ph = engine(1);
        eval(ph, sine_prog);
        const void *arg = cases[k].arg ? cases[k].arg : sine_prog;
        float *x;
        if (cases[k].fn) x = around_edit(ph, cases[k].fn, arg, frames);
        else {
            x = calloc((size_t)frames, sizeof(float));
            render(ph, x, 0, frames / 2 / BLOCK * BLOCK);
            phonon_set_bpm(ph, 90);
            render(ph, x, frames / 2 / BLOCK * BLOCK, frames - frames / 2 / BLOCK * BLOCK);
        }
        char name[200];
        snprintf(name, sizeof name, "sine across %s: no click", cases[k].what);
        double d = d2max(x, 1, frames);
        CHECK(d <= own * 1.05, name, "second difference %.6f, the sine's own %.6f", d, own);
        snprintf(name, sizeof name, "sine across %s: bit-identical to no edit", cases[k].what);
        CHECK(memcmp(x, want, sizeof(float) * (size_t)frames) == 0, name);
        free(x);
        phonon_free(ph);
    }
    free(want);
    phonon_free(ref);
}

/* Edits of the sine's own statement: a changed argument glides, a new node fades in. */
static void test_own_statement_edits(void)
{
    struct {
        const char *what, *edit;
        double amp;         /* the larger amplitude on either side */
    } cases[] = {
        { "its gain changed", "~osc: sine 220 * 0.9", 0.9 },
        { "its frequency changed", "~osc: sine 330 * 0.5", 0.5 },
        { "a filter appended", "~osc: sine 220 * 0.5 # lpf 3000", 0.5 },
        { "a second sine added", "~osc: sine 220 * 0.5 + sine 440 * 0.1", 0.6 },
        { "replaced by a saw", "~osc: saw 220 * 0.5 # lpf 600", 0.5 },
    };
    long frames = SR / 2;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Phonon *ph = engine(1);
        eval(ph, sine_prog);
        float *x = around_edit(ph, edit_stmt, cases[k].edit, frames);
        double limit = sine_d2(cases[k].amp, 330) * 1.6 + 0.002;
        if (strstr(cases[k].edit, "saw")) limit = 0.03;   /* a saw's own corner, filtered */
        char name[200];
        snprintf(name, sizeof name, "edit of the sine's statement, %s: no click", cases[k].what);
        double d = d2max(x, 1, frames);
        CHECK(d <= limit, name, "second difference %.6f, limit %.6f", d, limit);
        free(x);
        phonon_free(ph);
    }
}

/* Delay and reverb tails keep ringing through an edit of another statement. */
static void test_tails(void)
{
    const char *prog = "~d1 $ s \"bd ~ ~ ~\" # delay 0.2 0.8 0.6\n"
                       "~d3 $ s \"~ ~ cp ~\" # reverb 0.9 0.3 0.9\n"
                       "bpm: 120\n";
    long frames = SR;
    Phonon *ref = engine(1), *ph = engine(1);
    eval(ref, prog);
    eval(ph, prog);
    phonon_wait_loaded(ref, 10);
    phonon_wait_loaded(ph, 10);
    float *want = around_edit(ref, edit_none, NULL, frames);
    float *x = around_edit(ph, edit_stmt, "~d2 $ s \"~\"", frames);
    long half = frames / 2 / BLOCK * BLOCK;
    double before = peak(want, half, half + SR / 20), after = peak(x, half, half + SR / 20);
    CHECK(before > 0.01, "the tails ring at the edit", "peak %.4f", before);
    CHECK_NEAR(after, before, 1e-6, "delay and reverb tails through an edit of another statement");
    CHECK(memcmp(x, want, sizeof(float) * (size_t)frames) == 0, "tails: bit-identical to no edit");
    free(x);
    free(want);
    phonon_free(ph);
    phonon_free(ref);
}

/* set ~amp: the level moves within a few ms, without a click, and holds across edits. */
static void test_set_control(void)
{
    const char *prog = "~amp: 0.5\nout: sine 220 * ~amp\n";
    Phonon *ph = engine(1);
    eval(ph, prog);
    long frames = SR / 2;
    float *x = around_edit(ph, edit_set, &(SetArg){ "~amp", 0.9 }, frames);
    long half = frames / 2 / BLOCK * BLOCK;
    double d = d2max(x, 1, frames), own = sine_d2(0.9, 220);
    CHECK(d <= own * 1.3, "set ~amp 0.9: no click", "second difference %.6f, the sine's own at 0.9 %.6f", d, own);
    CHECK_NEAR(peak(x, half - SR / 20, half), 0.5, 0.001, "set: the level before");
    CHECK_NEAR(peak(x, half + SR / 50, half + SR / 50 + SR / 20), 0.9, 0.001, "set: the level 20 ms after");
    double v = 0;
    CHECK(phonon_control(ph, "~amp", &v) && fabs(v - 0.9) < 1e-6, "set: the value is in force");
    free(x);

    /* an edit of another statement keeps the value; an edit of ~amp's own definition replaces it */
    x = calloc((size_t)SR, sizeof(float));
    stmt(ph, "~d1 $ s \"~\"");
    render(ph, x, 0, SR / 10);
    CHECK_NEAR(peak(x, SR / 20, SR / 10), 0.9, 0.001, "set: held across an edit of another statement");
    eval(ph, prog);
    render(ph, x, 0, SR / 10);
    CHECK_NEAR(peak(x, SR / 20, SR / 10), 0.9, 0.001, "set: held across a re-eval of the same program");
    stmt(ph, "~amp: 0.25");
    render(ph, x, 0, SR / 10);
    CHECK_NEAR(peak(x, SR / 20, SR / 10), 0.25, 0.001, "set: a new definition of the bus replaces the value");
    CHECK(!phonon_control(ph, "~amp", NULL), "set: no value in force after the bus's definition changed");
    free(x);
    phonon_free(ph);

    /* a value set before any program reads the name is there when one does */
    ph = engine(1);
    CHECK_INT(phonon_set_control(ph, "~later", 0.3), 0, "set of a name nothing reads yet");
    eval(ph, "~later: 0.7\nout: sine 220 * ~later\n");
    x = calloc((size_t)SR, sizeof(float));
    render(ph, x, 0, SR / 10);
    CHECK_NEAR(peak(x, SR / 20, SR / 10), 0.3, 0.001, "set before the program: kept for when a program reads it");
    CHECK(phonon_set_control(ph, "~x", NAN) < 0, "set: a value that is not a number is refused");
    free(x);
    phonon_free(ph);
}

/* Events of the next `frames` frames: their count, and the last value of param (NAN if none). */
static int events_in(Phonon *ph, long frames, const char *param, double *last)
{
    static float l[BLOCK], r[BLOCK];
    float *outs[2] = { l, r };
    int count = 0;
    if (last) *last = NAN;
    int counting_now = live_counting_now();
    for (long done = 0; done < frames; done += BLOCK) {
        phonon_process(ph, NULL, outs, BLOCK);
        live_counting(0);               /* the audio path is counted, not the host's polling */
        PhononMsg m;
        while (phonon_poll(ph, &m)) {
            if (m.kind != PHONON_MSG_EVENT) continue;
            count++;
            for (int i = 0; param && last && i < m.event.nparams; i++)
                if (strcmp(m.event.params[i].name, param) == 0) *last = m.event.params[i].num;
        }
        live_counting(counting_now);
    }
    return count;
}

/* A number bus read by a pattern (`fast ~n`, `# gain ~g`) follows set from the next block: no compile,
 * no allocation, the onsets already played stay played. */
static void test_set_in_patterns(void)
{
    Phonon *ph = engine(1);
    phonon_set_event_output(ph, true);
    CHECK_INT(eval(ph, "tempo: 1\n~n: 1\n~g: 0.5\n~d1 $ fast ~n $ s \"bd\" # gain ~g\n"), 0, "set in patterns: compiles");
    phonon_wait_loaded(ph, 10);     /* bd decoded first: the loader thread's allocations are not the audio path's */
    double gain = 0;
    long cycle = SR;                            /* tempo 1: a cycle a second; events_in renders whole blocks */
    CHECK_INT(events_in(ph, cycle - BLOCK, "gain", &gain), 1, "fast ~n, ~n 1: one event a cycle");
    CHECK_NEAR(gain, 0.5, 1e-9, "# gain ~g: the bus's own value");
    long pos = (cycle - BLOCK + BLOCK - 1) / BLOCK * BLOCK;
    long to = (cycle + cycle / 4) / BLOCK * BLOCK + BLOCK;  /* the first block edge past cycle 1 1/4 */
    events_in(ph, to - pos, NULL, NULL);
    pos = to;
    char before[4096], after[4096];
    phonon_program_text(ph, before, sizeof before);
    live_counting(1);
    long a0 = live_allocs();
    phonon_set_control(ph, "~n", 4);
    phonon_set_control(ph, "~g", 0.8);
    /* the rest of cycle 1 at fast 4: the onsets at 1/2 and 3/4 (the one at 1/4 has just passed) */
    to = 2 * cycle / BLOCK * BLOCK;
    int rest = events_in(ph, to - pos, "gain", &gain);
    pos = to;
    long a1 = live_allocs();
    live_counting(0);
    CHECK_INT(rest, 2, "set ~n 4 at a quarter cycle: the rest of the cycle plays fast 4");
    CHECK_NEAR(gain, 0.8, 1e-9, "set ~g 0.8: the next events carry it");
    CHECK_INT(a1 - a0, 0, "set in patterns: no allocation while playing");
    /* from here on, windows from just before one cycle edge to just before another */
    long c = 2;
    /* (windows end 3 blocks before the edge: a set acts on the engine's clock, which runs the limiter's
       look-ahead, 93 frames, ahead of the output; the onset at the edge must not be rendered yet) */
#define UNTIL(k) (to = (k) * cycle / BLOCK * BLOCK - 3 * BLOCK, rest = events_in(ph, to - pos, NULL, NULL), pos = to, c = (k), rest)
    CHECK_INT(UNTIL(c + 1), 4, "fast ~n after set ~n 4: four events a cycle");
    phonon_program_text(ph, after, sizeof after);
    CHECK_STR(after, before, "set in patterns: no program built");
    phonon_set_control(ph, "~n", 0.5);
    CHECK_INT(UNTIL(c + 4), 2, "set ~n 0.5: an event every other cycle");
    /* an edit of another statement keeps the value; the bus's own new definition replaces it */
    stmt(ph, "~d2 $ s \"~\"");
    CHECK_INT(UNTIL(c + 4), 2, "set in patterns: held across an edit of another statement");
    stmt(ph, "~n: 3");
    CHECK_INT(UNTIL(c + 2), 6, "set in patterns: the bus's new definition replaces the value");
#undef UNTIL
    phonon_free(ph);
}

/* A slider: 1,000 sets a second, swept over a second, on a sine's level and a filter's cutoff. */
static void test_slider(void)
{
    Phonon *ph = engine(1);
    eval(ph, "~amp: 0.2\n~cut: 400\nout: saw 110 # lpf ~cut 0.7 # gain ~amp\n");
    Phonon *sn = engine(1);
    eval(sn, "~amp: 0.2\nout: sine 220 * ~amp\n");
    long frames = SR;
    float *x = calloc((size_t)frames, sizeof(float)), *y = calloc((size_t)frames, sizeof(float));
    render(ph, x, 0, SR / 10);
    render(sn, y, 0, SR / 10);
    long pos = SR / 10;
    int step = SR / 1000;               /* 44 frames: one set per millisecond */
    long before = live_allocs();
    live_counting(1);
    for (int k = 0; k < 800; k++) {
        double t = k / 800.0;
        phonon_set_control(ph, "~amp", 0.2 + 0.6 * t);
        phonon_set_control(ph, "~cut", 400 + 4000 * t);
        phonon_set_control(sn, "amp", 0.2 + 0.6 * t);
        float r[64];
        float *o1[2] = { x + pos, r }, *o2[2] = { y + pos, r };
        phonon_process(ph, NULL, o1, step);
        phonon_process(sn, NULL, o2, step);
        pos += step;
    }
    live_counting(0);
    long n = live_allocs() - before;
    if (LIVE_COUNT_ALLOCS) CHECK_INT(n, 0, "slider: 1,600 sets and their blocks allocate nothing");
    double d = d2max(y, 1, pos), own = sine_d2(0.8, 220);
    CHECK(d <= own * 1.1, "slider on a sine's level: no click", "second difference %.6f, the sine's own %.6f", d, own);
    CHECK_NEAR(peak(y, pos - 441, pos), 0.2 + 0.6 * 799 / 800.0, 0.01, "slider: the level follows");
    double dx = d2max(x, SR / 10, pos);
    CHECK(dx < 0.2, "slider on a filter's cutoff: no click", "second difference %.4f", dx);
    free(x);
    free(y);
    phonon_free(ph);
    phonon_free(sn);
}

/* The same edits give the same bits whatever the thread count. */
static void test_threads_same_bits(void)
{
    const char *prog = "~bass $ s \"bd*4\" # lpf 900\n~osc: sine 110 * 0.3\nout: ~osc\n";
    float *xs[2];
    for (int t = 0; t < 2; t++) {
        Phonon *ph = engine(t + 1);
        eval(ph, prog);
        phonon_wait_loaded(ph, 10);
        long frames = SR / 2;
        xs[t] = calloc((size_t)frames, sizeof(float));
        render(ph, xs[t], 0, SR / 8);
        stmt(ph, "~osc: sine 110 * 0.4 # lpf 2000");
        render(ph, xs[t], SR / 8, SR / 8);
        phonon_set_control(ph, "~osc", 1);
        stmt(ph, "~d2 $ s \"hh*8\"");
        phonon_wait_loaded(ph, 10);
        render(ph, xs[t], SR / 4, frames - SR / 4);
        phonon_free(ph);
    }
    CHECK(memcmp(xs[0], xs[1], sizeof(float) * (size_t)(SR / 2)) == 0, "edits: same bits on 1 and 2 threads");
    free(xs[0]);
    free(xs[1]);
}

/* The program is kept as statements: an edit's errors point into the edit's own text, comments stay. */
static void test_statements(void)
{
    Phonon *ph = engine(1);
    eval(ph, "-- the bass\n~bass: saw 55 # lpf 400\n\nout: ~bass * 0.2\n");
    PhononError e[4];
    int n = phonon_eval_statements(ph, "-- an edit\n\n~lead: sine 440 # lpf\n", "edit", e, 4);
    CHECK_INT(n, 1, "an edit with an error is refused");
    CHECK(n >= 1 && e[0].line == 3 && e[0].col == 19 && strcmp(e[0].msg, "lpf needs its cutoff (argument 1)") == 0, "the error points into the edit as sent (line 3)",
          "got %d:%d %s", n ? e[0].line : 0, n ? e[0].col : 0, n ? e[0].msg : "");
    CHECK_STR(n >= 1 ? e[0].file : "", "edit", "the error names the edit's file");
    n = phonon_eval_statements(ph, "~lead: sine 440 +\n", "edit", e, 4);
    CHECK(n >= 1 && e[0].line == 1, "a parse error in an edit: its own line", "got %d:%d", n ? e[0].line : 0, n ? e[0].col : 0);
    CHECK_INT(stmt(ph, "-- brighter\n~bass: saw 55 # lpf 800"), 0, "a statement replaces its namesake");
    char text[1000];
    phonon_program_text(ph, text, sizeof text);
    CHECK_STR(text, "-- brighter\n~bass: saw 55 # lpf 800\nout: ~bass * 0.2\n",
              "the program text: statements as written, with their comments");
    phonon_free(ph);
}

/* Tempo has one owner at a time. */
static void test_tempo_owner(void)
{
    Phonon *ph = engine(1);
    float x[BLOCK];
    eval(ph, "bpm: 120\n~d1 $ s \"bd\"\n");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 2, 1e-9, "tempo: the program's");
    phonon_set_bpm(ph, 90);
    render(ph, x, 0, BLOCK);
    stmt(ph, "~d1 $ s \"bd sn\"");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 1.5, 1e-9, "tempo: the host's holds across an edit of another statement");
    phonon_set_control(ph, "~x", 1);
    stmt(ph, "bpm: 120");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 1.5, 1e-9, "tempo: the host's holds across a tempo statement re-sent unchanged");
    stmt(ph, "bpm: 140");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 140 / 60.0, 1e-9, "tempo: a tempo statement whose text changed takes over");
    phonon_set_bpm(ph, 90);
    render(ph, x, 0, BLOCK);
    eval(ph, "bpm: 140\n~d1 $ s \"bd\"\n");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 140 / 60.0, 1e-9, "tempo: a whole program with a tempo statement takes over");
    phonon_set_bpm(ph, 90);
    eval(ph, "~d1 $ s \"bd\"\n");
    render(ph, x, 0, BLOCK);
    CHECK_NEAR(phonon_cps(ph), 1.5, 1e-9, "tempo: a whole program without one keeps the host's");
    phonon_free(ph);
}

static void edit_threads(Phonon *ph, const void *arg) { phonon_set_threads(ph, *(const int *)arg); }
static void edit_voices(Phonon *ph, const void *arg) { phonon_set_voices(ph, *(const int *)arg); }
static void edit_format(Phonon *ph, const void *arg) { phonon_set_format(ph, SR, *(const int *)arg); }

/* Reconfiguration keeps the program, its sound, the tempo, mute/solo and control values. */
static void test_reconfigure(void)
{
    long frames = SR / 2;
    double own = sine_d2(0.5, 220);
    int two = 2, block = 32;
    Phonon *ref = engine(1);
    eval(ref, sine_prog);
    float *want = around_edit(ref, edit_none, NULL, frames);
    Phonon *ph = engine(1);
    eval(ph, sine_prog);
    float *x = around_edit(ph, edit_threads, &two, frames);
    CHECK(d2max(x, 1, frames) <= own * 1.05, "threads 1 -> 2: the sine goes on without a click");
    CHECK(memcmp(x, want, sizeof(float) * (size_t)frames) == 0, "threads 1 -> 2: bit-identical");
    free(x);
    phonon_free(ph);
    ph = engine(1);
    eval(ph, sine_prog);
    x = around_edit(ph, edit_format, &block, frames);
    CHECK(d2max(x, 1, frames) <= own * 1.05, "a new block size: the sine goes on without a click");
    free(x);
    phonon_free(ph);
    free(want);
    phonon_free(ref);

    /* a voice pool of another size: the voices sounding ring on (the old pool plays until they end) */
    int voices = 128;
    const char *pad = "bpm: 30\n~pad $ sine * 0.5\n~d1 $ s \"~pad\" # note 0 # sustain 1.5 # attack 0.01\n";
    ref = engine(1);
    eval(ref, pad);
    want = around_edit(ref, edit_none, NULL, frames);
    ph = engine(1);
    eval(ph, pad);
    x = around_edit(ph, edit_voices, &voices, frames);
    CHECK(memcmp(x, want, sizeof(float) * (size_t)frames) == 0, "voices 4096 -> 128: a sounding voice rings on, bit-identical");
    CHECK(peak(x, frames - SR / 10, frames) > 0.2, "voices 4096 -> 128: still sounding");
    free(x);
    free(want);
    phonon_free(ph);
    phonon_free(ref);

    /* a new block size at the same rate: the voice sounding goes on through it, bit-identical (the
       engine renders its own blocks of at most the host's size: 64 -> 32 only splits them) */
    int half = BLOCK / 2, twice = BLOCK * 2;
    ref = engine(1);
    eval(ref, pad);
    want = around_edit(ref, edit_none, NULL, frames);
    ph = engine(1);
    eval(ph, pad);
    x = around_edit(ph, edit_format, &half, frames);
    CHECK(memcmp(x, want, sizeof(float) * (size_t)frames) == 0, "block 64 -> 32: a sounding voice rings on, bit-identical");
    CHECK(peak(x, frames - SR / 10, frames) > 0.2, "block 64 -> 32: still sounding");
    free(x);
    phonon_free(ph);
    ph = engine(1);
    eval(ph, pad);
    x = around_edit(ph, edit_format, &twice, frames);
    CHECK(d2max(x, 1, frames) <= d2max(want, 1, frames) * 1.05, "block 64 -> 128: the voice goes on without a click");
    CHECK(peak(x, frames - SR / 10, frames) > 0.2, "block 64 -> 128: still sounding");
    free(x);
    free(want);
    phonon_free(ph);
    phonon_free(ref);

    ph = engine(1);
    eval(ph, "~amp: 0.5\nbpm: 120\nout: sine 220 * ~amp\nd1 $ s \"bd*4\"\n");
    float buf[4800 + BLOCK];
    render(ph, buf, 0, BLOCK);
    phonon_set_bpm(ph, 100);
    phonon_set_control(ph, "~amp", 0.3);
    phonon_mute(ph, "d1", true);
    render(ph, buf, 0, BLOCK);
    phonon_set_format(ph, 48000, 128);
    phonon_set_threads(ph, 2);
    phonon_set_voices(ph, 128);
    phonon_set_format(ph, 48000, 128);
    for (long done = 0; done < 4800; done += BLOCK) {
        float r[BLOCK], *o[2] = { buf + done, r };
        phonon_process(ph, NULL, o, BLOCK);
    }
    CHECK_NEAR(phonon_cps(ph), 100 / 60.0, 1e-9, "reconfigured: the host's tempo holds");
    CHECK_NEAR(peak(buf, 2400, 4800), 0.3, 0.002, "reconfigured: the control value holds (and d1 stays muted)");
    char text[400];
    phonon_program_text(ph, text, sizeof text);
    CHECK(strstr(text, "out: sine 220 * ~amp") != NULL, "reconfigured: the program is kept");
    CHECK_INT(phonon_mute(ph, "d1", false), 0, "reconfigured: d1 is still known");
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK_INT(st.threads, 2, "reconfigured: two threads");
    phonon_free(ph);
}

/* The host's side of the API: the statement grammar, events as data, the transport. */
static void test_host_api(void)
{
    CHECK(phonon_is_statement("~d1 $ s \"bd\""), "is_statement: ~d1 $ ...");
    CHECK(phonon_is_statement("d1 $ s \"bd\""), "is_statement: d1 $ ...");
    CHECK(phonon_is_statement("bpm: 120"), "is_statement: bpm:");
    CHECK(phonon_is_statement("\n  ~lfo: sine 2"), "is_statement: after blank lines");
    CHECK(!phonon_is_statement("sine 220"), "is_statement: an expression is not one");
    CHECK(!phonon_is_statement(""), "is_statement: nothing is not one");

    Phonon *ph = engine(1);
    eval(ph, "~d1 $ s \"bd sn\" # n 3\n");
    phonon_set_event_output(ph, true);
    float l[BLOCK], r[BLOCK], *o[2] = { l, r };
    PhononMsg m;
    PhononEvent ev[4];
    int nev = 0;
    for (int b = 0; b < 2 * SR / BLOCK && nev < 2; b++) {
        phonon_process(ph, NULL, o, BLOCK);
        while (phonon_poll(ph, &m))
            if (m.kind == PHONON_MSG_EVENT && nev < 4) ev[nev++] = m.event;
    }
    CHECK_INT(nev, 2, "events as data: two in the first second");
    if (nev == 2) {
        CHECK_STR(ev[0].track, "~d1", "event: its track");
        CHECK_STR(ev[1].sound, "sn", "event: its sound");
        CHECK_NEAR(ev[1].cycle, 0.5, 1e-9, "event: its cycle");
        CHECK_NEAR(ev[1].cycles, 0.5, 1e-9, "event: its length in cycles");
        CHECK_NEAR(ev[1].seconds, 1.0, 1e-9, "event: its length in seconds");
        CHECK_NEAR(ev[1].cps, 0.5, 1e-9, "event: the tempo");
        CHECK_INT(ev[1].frame, SR, "event: its frame");
        CHECK(ev[1].offset >= 0 && ev[1].offset < BLOCK && ev[1].frame % BLOCK == ev[1].offset, "event: its offset in the call");
        bool n3 = false;
        for (int i = 0; i < ev[1].nparams; i++) n3 |= !strcmp(ev[1].params[i].name, "n") && ev[1].params[i].num == 3;
        CHECK(n3, "event: its parameters");
    }
    phonon_transport(ph, 8, 1, true);
    phonon_process(ph, NULL, o, BLOCK);
    CHECK_NEAR(phonon_cycle(ph), 8 + (double)BLOCK / SR, 1e-6, "transport: the host's position and tempo");
    CHECK_NEAR(phonon_cps(ph), 1, 1e-9, "transport: the host owns the tempo");
    phonon_transport(ph, 2, 0, false);
    phonon_process(ph, NULL, o, BLOCK);
    CHECK_NEAR(phonon_cycle(ph), 2, 1e-9, "transport: stopped at the host's position");
    phonon_free(ph);

    ph = engine(1);
    eval(ph, "-- a\n~d1 $ s \"bd nosuchsound\"\n");
    bool warned = false;
    while (phonon_poll(ph, &m))
        if (m.kind == PHONON_MSG_WARNING && m.error.line == 2 && m.error.col == 13 && !strcmp(m.error.file, "live.ph") &&
            !strcmp(m.error.msg, "warning: unknown sound 'nosuchsound'; it plays nothing"))
            warned = true;
    CHECK(warned, "a warning as data: file, line, column and message");
    phonon_free(ph);
}

/* A voice of an instrument that reads a global signal keeps reading it after edits that renumber the
 * program's buffers (and reads silence, never another buffer, once the signal is gone). */
static void test_ringing_instrument(void)
{
    Phonon *ph = engine(1);
    eval(ph, "bpm: 60\n~cut: sine 0.5 * 300 + 900\n~lead $ saw # lpf ~cut 1.5\n"
             "~d1 $ s \"~lead\" # note 0 # sustain 3\n~x: sine 1 + sine 2 + sine 3 + sine 4\nout: ~x * 0.01\n");
    float *x = calloc((size_t)SR * 2, sizeof(float));
    render(ph, x, 0, SR / 4);
    stmt(ph, "~x: sine 5");
    render(ph, x, SR / 4, SR / 4);
    stmt(ph, "~cut: 800");
    render(ph, x, SR / 2, SR / 4);
    stmt(ph, "~d1 $ s \"~\"");
    render(ph, x, SR / 2 + SR / 4, SR / 4);
    double p1 = peak(x, SR / 8, SR / 4), p2 = peak(x, SR / 2 + SR / 8, SR / 2 + SR / 4),
           p3 = peak(x, SR / 2 + SR / 4 + SR / 16, SR - SR / 32);
    CHECK(p1 > 0.05 && p2 > 0.05 && p3 > 0.05, "a ringing voice sounds on through edits of what it reads",
          "peaks %.3f %.3f %.3f", p1, p2, p3);
    CHECK(d2max(x, SR / 8, SR - SR / 32) < 0.5, "a ringing voice: no click at the edits");
    free(x);
    phonon_free(ph);
}

/* An edit compiles what it must: unchanged event chains that read no bus come from the statement cache,
 * and sound exactly as compiled afresh. */
static void test_compile_cache(void)
{
    const char *p1 = "bpm: 120\n~d1 $ s \"bd*4\" # gain 0.7\n~d2 $ s \"~ sn\" # gain 0.5\n"
                     "~d3 $ s \"hh*8\" # pan \"0.3 0.7\" # gain 0.4\n~bass $ saw # lpf 700 0.8\n"
                     "~d5 $ s \"~bass(3,8)\" # note \"c3 eb3\" # legato 0.5 # gain 0.3\n";
    const char *edit = "~d2 $ s \"~ sn:1 ~ sn\" # gain 0.5";
    int compiled = -1, reused = -1;
    Phonon *a = engine(1);
    eval(a, p1);
    phonon_wait_loaded(a, 10);      /* the built-in sounds decoded before they play, in both engines */
    engine_bench_compile_counts(a, &compiled, &reused);
    CHECK(compiled == 5 && reused == 0, "cache: the first eval compiles every statement", "compiled %d, reused %d",
          compiled, reused);
    long frames = SR / 2;
    float *x = calloc((size_t)frames * 2, sizeof(float)), *y = calloc((size_t)frames * 2, sizeof(float));
    render(a, x, 0, frames);
    stmt(a, edit);
    phonon_wait_loaded(a, 10);
    engine_bench_compile_counts(a, &compiled, &reused);
    /* ~d2 (edited) and ~bass (a signal: the graph is laid out per program) are compiled; ~d1 ~d3 ~d5 reused */
    CHECK(compiled == 2 && reused == 3, "cache: an edit of ~d2 compiles ~d2 and the signal bus only",
          "compiled %d, reused %d", compiled, reused);
    render(a, x, frames, frames);
    eval(a, p1);
    engine_bench_compile_counts(a, &compiled, &reused);
    CHECK(compiled == 2 && reused == 3, "cache: the whole program again: ~d2's old text is compiled again",
          "compiled %d, reused %d", compiled, reused);

    /* the same edits where nothing can come from the cache (every statement one line further down) */
    Phonon *b = engine(1);
    eval(b, p1);
    phonon_wait_loaded(b, 10);
    render(b, y, 0, frames);
    /* b: the edited program as a whole, one line down: every statement compiled afresh */
    const char *p2 = "\nbpm: 120\n~d1 $ s \"bd*4\" # gain 0.7\n~d2 $ s \"~ sn:1 ~ sn\" # gain 0.5\n"
                     "~d3 $ s \"hh*8\" # pan \"0.3 0.7\" # gain 0.4\n~bass $ saw # lpf 700 0.8\n"
                     "~d5 $ s \"~bass(3,8)\" # note \"c3 eb3\" # legato 0.5 # gain 0.3\n";
    eval(b, p2);
    phonon_wait_loaded(b, 10);
    engine_bench_compile_counts(b, &compiled, &reused);
    CHECK(compiled == 5 && reused == 0, "cache: statements on other lines are compiled afresh (the place is in the key)",
          "compiled %d, reused %d", compiled, reused);
    render(b, y, frames, frames);
    CHECK(memcmp(x, y, sizeof(float) * (size_t)frames * 2) == 0, "cache: patterns reused sound bit for bit as compiled afresh");
    CHECK(peak(x, frames, 2 * frames) > 0.05, "cache: the edited program plays");
    free(x);
    free(y);
    phonon_free(a);
    phonon_free(b);
}

int main(void)
{
    test_ringing_instrument();
    test_host_api();
    test_reconfigure();
    test_statements();
    test_tempo_owner();
    test_sine_across_edits();
    test_own_statement_edits();
    test_tails();
    test_set_control();
    test_slider();
    test_set_in_patterns();
    test_compile_cache();
    test_threads_same_bits();
    return test_done();
}
