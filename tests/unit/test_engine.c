/* test_engine.c — whole programs rendered through phonon.h, checked for what a listener hears:
 * frequencies, levels, onset frames, voice counts, determinism, errors that keep the music going. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "phonon.h"
#include "test.h"

static char sample_root[256];

/* A folder of sounds made for the tests: `click` is 0.5 for 100 frames, so its onset is exact. */
static void make_sound(const char *name, int frames, float value, int sr)
{
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", sample_root, name);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/0.wav", dir);
    SF_INFO info = { .samplerate = sr, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    float *x = malloc(sizeof(float) * (size_t)frames);
    for (int i = 0; i < frames; i++) x[i] = value;
    sf_writef_float(f, x, frames);
    sf_close(f);
    free(x);
}

static Phonon *engine(int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = 44100;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    const char *dirs[] = { sample_root, NULL };
    cfg.sample_dirs = dirs;
    return phonon_new(&cfg);
}

static int eval(Phonon *ph, const char *text)
{
    PhononError e[8];
    int n = phonon_eval(ph, text, "test.ph", e, 8);
    for (int i = 0; i < n && i < 8; i++) {
        char line[1024];
        phonon_error_format(&e[i], line, sizeof line);
        printf("# %s\n", line);
    }
    phonon_wait_loaded(ph, 10);
    return n;
}

typedef struct Audio {
    float *l, *r;
    long n;
} Audio;

static Audio render(Phonon *ph, long frames, int block)
{
    Audio a = { calloc((size_t)frames, sizeof(float)), calloc((size_t)frames, sizeof(float)), frames };
    for (long done = 0; done < frames;) {
        int n = frames - done < block ? (int)(frames - done) : block;
        float *outs[2] = { a.l + done, a.r + done };
        phonon_process(ph, NULL, outs, n);
        done += n;
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
    return a;
}

static void audio_free(Audio *a)
{
    free(a->l);
    free(a->r);
}

static Audio play(const char *program, double seconds)
{
    Phonon *ph = engine(1);
    eval(ph, program);
    Audio a = render(ph, lround(seconds * 44100), 64);
    phonon_free(ph);
    return a;
}

static double rms(const float *x, long a, long b)
{
    double s = 0;
    for (long i = a; i < b; i++) s += (double)x[i] * x[i];
    return b > a ? sqrt(s / (double)(b - a)) : 0;
}

static double freq(const float *x, long a, long b)
{
    long first = -1, last = -1, count = 0;
    for (long i = a + 1; i < b; i++)
        if (x[i - 1] < 0 && x[i] >= 0) {
            if (first < 0) first = i;
            last = i;
            count++;
        }
    return count > 1 ? (count - 1) * 44100.0 / (double)(last - first) : 0;
}

/* Frames where sound starts after at least `gap` frames of silence. */
static int onsets(const float *x, long n, long *out, int max, long gap)
{
    int k = 0;
    long quiet = gap;
    for (long i = 0; i < n; i++) {
        if (fabsf(x[i]) > 1e-6f) {
            if (quiet >= gap && k < max) out[k++] = i;
            quiet = 0;
        } else {
            quiet++;
        }
    }
    return k;
}

static void test_sine(void)
{
    Audio a = play("out: sine 440 * 0.5", 1.0);
    CHECK_NEAR(freq(a.l, 0, a.n), 440, 0.5, "sine 440: frequency");
    CHECK_NEAR(rms(a.l, 0, a.n), 0.5 / sqrt(2), 0.002, "sine 440 * 0.5: RMS");
    CHECK(memcmp(a.l, a.r, sizeof(float) * (size_t)a.n) == 0, "a mono signal plays in both channels");
    audio_free(&a);

    a = play("tempo: 1\nout: sine \"220 440\" * 0.5", 1.0);
    CHECK_NEAR(freq(a.l, 0, 22050), 220, 1, "a stepped pattern frequency: 220 Hz in the first half");
    CHECK_NEAR(freq(a.l, 22050, 44100), 440, 1, "... 440 Hz in the second half");
    audio_free(&a);

    a = play("tempo: 1\nout: sine \"a5\" * 0.5", 0.5);
    CHECK_NEAR(freq(a.l, 0, a.n), 440, 1, "a note name as a frequency: a5 = 440 Hz");
    audio_free(&a);
}

static void test_onsets(void)
{
    Audio a = play("tempo: 1\n~d1 $ s \"click*4\"", 1.0);
    long on[8];
    int k = onsets(a.l, a.n, on, 8, 1000);
    CHECK_INT(k, 4, "click*4 at cps 1: four onsets in a second");
    long want[4] = { 0, 11025, 22050, 33075 };
    for (int i = 0; i < 4 && i < k; i++) {
        char name[80];
        snprintf(name, sizeof name, "onset %d at frame %ld", i, want[i]);
        CHECK_INT(on[i], want[i], name);
    }
    CHECK_NEAR(a.l[10], 0.5 * cos(M_PI / 4), 1e-5, "centre pan is equal power: 0.5 * cos(pi/4)");
    CHECK_NEAR(a.r[10], 0.5 * sin(M_PI / 4), 1e-5, "right channel the same");
    audio_free(&a);

    a = play("tempo: 1\nd1 $ s \"click\" # gain 0.5 # pan 0", 0.25);
    CHECK_NEAR(a.l[10], 0.25, 1e-5, "gain 0.5 pan 0: left 0.25");
    CHECK_NEAR(a.r[10], 0, 1e-6, "pan 0: right silent");
    audio_free(&a);

    /* q.ph's kick: (4,17) Bjorklund at 120 bpm (cps 2, 22050 frames a cycle): steps 0 4 8 12 */
    a = play("bpm: 120\n~d1 $ s \"click(4,17)\"", 0.5);
    k = onsets(a.l, a.n, on, 8, 500);
    CHECK_INT(k, 4, "click(4,17): four onsets a cycle");
    int steps[4] = { 0, 4, 8, 12 };
    for (int i = 0; i < 4 && i < k; i++) {
        char name[80];
        long w = (long)floor(steps[i] * 22050.0 / 17.0);
        snprintf(name, sizeof name, "(4,17) step %d at frame %ld", steps[i], w);
        CHECK_INT(on[i], w, name);
    }
    audio_free(&a);
}

static void test_instruments(void)
{
    Audio a = play("tempo: 1\n~s $ sine\nd1 $ s \"~s\" # note 9 # sustain 1", 0.5);
    CHECK_NEAR(freq(a.l, 2205, 20000), 440, 1.5, "an instrument voice at note 9 plays a5 = 440 Hz");
    CHECK(rms(a.l, 2205, 20000) > 0.1, "and is audible");
    audio_free(&a);

    Phonon *ph = engine(1);
    /* a short release, so each chord ends before the next starts and the onsets can be seen */
    eval(ph, "bpm: 120\n~synth $ saw # lpf 800 0.7\n~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\" # release 0.02");
    Audio b = render(ph, 22050, 64);
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK_INT(st.started, 12, "three chord events of four notes start twelve voices");
    long on[8];
    CHECK_INT(onsets(b.l, b.n, on, 8, 500), 3, "three onsets in the cycle");
    /* the attack ramps up from 0 at the onset frame, so the first non-zero sample is the one after it; the
       chord's notes start at decorrelated phases, so the first samples of their sum can also be tiny */
    long step5 = (long)floor(5 * 22050.0 / 17) + 1;
    if (onsets(b.l, b.n, on, 8, 500) == 3)
        CHECK(on[0] >= step5 && on[0] <= step5 + 3, "the first voice starts at step 5's frame (heard within 3 frames)",
              "first heard at %ld, step 5 at %ld", on[0], step5);
    audio_free(&b);
    phonon_free(ph);
}

/* Energy of x[a..b) at frequency f (Goertzel), normalised so a sine of amplitude A gives A. */
static double tone(const float *x, long a, long b, double f)
{
    double w = 2 * M_PI * f / 44100, c = 2 * cos(w), s1 = 0, s2 = 0;
    for (long i = a; i < b; i++) {
        double s0 = x[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double re = s1 - s2 * cos(w), im = s2 * sin(w);
    return 2 * sqrt(re * re + im * im) / (double)(b - a);
}

static void test_chord_pitches(void)
{
    /* c'maj on sines: three voices at c5 e5 g5 (261.63, 329.63, 392.00 Hz), each at 1/sqrt(3) */
    Audio a = play("tempo: 1\n~s $ sine\nd1 $ s \"~s\" # note \"c'maj\" # sustain 1 # pan 0", 0.6);
    double want[3] = { 261.6256, 329.6276, 391.9954 };
    for (int i = 0; i < 3; i++) {
        char name[80];
        snprintf(name, sizeof name, "chord note %d at %.1f Hz sounds at gain 1/sqrt(3)", i, want[i]);
        /* the three sum to 1.7: the master limiter brings them down together, none above 1/sqrt(3) */
        double got = tone(a.l, 4410, 26460, want[i]), first = tone(a.l, 4410, 26460, want[0]);
        CHECK(got <= 1 / sqrt(3.0) + 0.01 && fabs(got / first - 1) < 0.03 && got > 0.25, name, "%.3f", got);
    }
    CHECK(tone(a.l, 4410, 26460, 293.66) < 0.02, "nothing at d5, between the chord's notes");
    audio_free(&a);
}

static void test_filter(void)
{
    Audio a = play("out: saw 110 * 0.3", 0.5), b = play("out: saw 110 # lpf 300 0.7 * 0.3", 0.5);
    double ha = 0, hb = 0;
    for (long i = 1; i < a.n; i++) {
        ha += (double)(a.l[i] - a.l[i - 1]) * (a.l[i] - a.l[i - 1]);
        hb += (double)(b.l[i] - b.l[i - 1]) * (b.l[i] - b.l[i - 1]);
    }
    CHECK(hb < 0.1 * ha, "lpf 300 removes most of a 110 Hz saw's high-frequency energy", "ratio %g", hb / ha);
    CHECK_NEAR(freq(b.l, 4410, b.n), 110, 1, "the filtered saw keeps its pitch");
    audio_free(&a);
    audio_free(&b);
}

static void test_determinism(void)
{
    const char *prog = "bpm: 120\n~synth $ saw # lpf 800 0.7\n~d1 $ s \"click(4,17)\" # gain 1\n"
                       "~d2 $ s \"bd(4,17,<2 3 1 2>)\"\n~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"\n"
                       "~d4 $ s \"hh*16?\" # pan rand\n";
    Audio r[3];
    int threads[3] = { 1, 2, 4 };
    for (int i = 0; i < 3; i++) {
        Phonon *ph = engine(threads[i]);
        eval(ph, prog);
        r[i] = render(ph, 44100 * 2, 64);
        phonon_free(ph);
    }
    CHECK(memcmp(r[0].l, r[1].l, sizeof(float) * (size_t)r[0].n) == 0 &&
              memcmp(r[0].r, r[1].r, sizeof(float) * (size_t)r[0].n) == 0,
          "threads 1 and 2 render identical bits");
    CHECK(memcmp(r[0].l, r[2].l, sizeof(float) * (size_t)r[0].n) == 0, "threads 1 and 4 render identical bits");
    CHECK(rms(r[0].l, 0, r[0].n) > 0.01, "and it is not silence");
    for (int i = 0; i < 3; i++) audio_free(&r[i]);
}

/* Event output names every triggered event, also those whose sound is unknown: a Pd patch may play
 * `s "mysynth"` itself. The unknown name is still reported, once. */
static void test_events_out(void)
{
    Phonon *ph = engine(1);
    phonon_set_event_output(ph, true);
    eval(ph, "tempo: 1\n~d1 $ s \"mysynth*2\" # note 3\n~d2 $ s \"click\"\n");
    long frames = 64 * 690;             /* one cycle and the onset of the next (at frame 44100) */
    float *l = calloc((size_t)frames, sizeof(float)), *r = calloc((size_t)frames, sizeof(float));
    for (long done = 0; done < frames; done += 64) {
        float *outs[2] = { l + done, r + done };
        phonon_process(ph, NULL, outs, 64);
    }
    PhononMsg m;
    int mine = 0, clicks = 0, warnings = 0;
    bool half = false;
    while (phonon_poll(ph, &m)) {
        if (m.kind == PHONON_MSG_EVENT && strncmp(m.text, "~d1 s mysynth", 13) == 0) mine++;
        if (m.kind == PHONON_MSG_EVENT && strstr(m.text, "cycle 0.5")) half = strstr(m.text, "note 3") != NULL;
        if (m.kind == PHONON_MSG_EVENT && strncmp(m.text, "~d2 s click", 11) == 0) clicks++;
        if (m.kind == PHONON_MSG_WARNING && strstr(m.text, "mysynth")) warnings++;
    }
    CHECK_INT(mine, 3, "events of an unknown sound still go out (cycle 0, 0.5, 1)");
    CHECK(half, "with their parameters and cycle");
    CHECK_INT(clicks, 2, "next to the events of a sound that plays");
    CHECK_INT(warnings, 1, "and the unknown name is reported once");
    CHECK(rms(l, 0, 100) > 0.1, "the click plays");
    free(l);
    free(r);
    phonon_free(ph);
}

static void test_errors(void)
{
    Phonon *ph = engine(1);
    PhononError e[8];
    int n = phonon_eval(ph, "tempo: 1\n~d1 $ s \"bd*2\" # lpff 300\n", "song.ph", e, 8);
    CHECK_INT(n, 1, "an unknown function is one error");
    CHECK_INT(e[0].line, 2, "on line 2");
    CHECK_INT(e[0].col, 18, "at the function's column");
    CHECK(strstr(e[0].msg, "lpff") != NULL, "naming the function", "%s", e[0].msg);
    char line[1024];
    phonon_error_format(&e[0], line, sizeof line);
    CHECK(strncmp(line, "song.ph:2:18: ", 14) == 0, "formatted file:line:col: message", "%s", line);

    n = phonon_eval(ph, "~d1 $ s \"bd [sn\"", "song.ph", e, 8);
    CHECK_INT(n, 1, "an unclosed bracket in a pattern is an error");
    CHECK_INT(e[0].line, 1, "on line 1");
    CHECK(e[0].col > 9 && e[0].col <= 16, "with a column inside the string", "col %d", e[0].col);
    phonon_free(ph);

    /* the program that plays keeps playing through a failed eval */
    const char *good = "tempo: 1\n~d1 $ s \"click*4\"";
    Audio ref = play(good, 2.0);
    ph = engine(1);
    eval(ph, good);
    /* whole blocks, as the reference renders them (fades are computed per block span) */
    Audio a = render(ph, 44032, 64);
    n = phonon_eval(ph, "~d1 $ s \"click*8\" # nope 3", "song.ph", e, 8);
    CHECK_INT(n, 1, "the bad program is rejected");
    Audio b = render(ph, 44032, 64);
    CHECK(memcmp(a.l, ref.l, sizeof(float) * 44032) == 0 && memcmp(b.l, ref.l + 44032, sizeof(float) * 44032) == 0,
          "and the old program goes on exactly as if nothing had happened");
    audio_free(&a);
    audio_free(&b);
    audio_free(&ref);
    phonon_free(ph);

    /* an unknown sound is reported and the rest plays */
    ph = engine(1);
    n = phonon_eval(ph, "tempo: 1\n~d1 $ s \"nosuch click\"", "song.ph", e, 8);
    CHECK_INT(n, 0, "an unknown sound is not an error");
    PhononMsg m;
    int warned = 0;
    while (phonon_poll(ph, &m))
        if (m.kind == PHONON_MSG_WARNING && strstr(m.text, "nosuch")) warned++;
    CHECK_INT(warned, 1, "it is reported once");
    phonon_wait_loaded(ph, 10);
    a = render(ph, 44100, 64);
    long on[4];
    CHECK_INT(onsets(a.l, a.n, on, 4, 1000), 1, "and the click still plays");
    if (onsets(a.l, a.n, on, 4, 1000) == 1) CHECK_INT(on[0], 22050, "on the second step");
    audio_free(&a);
    phonon_free(ph);
}

static void test_program_forms(void)
{
    Audio a = play("-- a comment\ncps: 2 -- two cycles a second\n~d1 $ s \"click\"", 1.0);
    long on[4];
    int k = onsets(a.l, a.n, on, 4, 1000);
    CHECK_INT(k, 2, "cps: 2 plays two cycles a second");
    if (k == 2) CHECK_INT(on[1], 22050, "the second at half a second");
    audio_free(&a);

    a = play("bpm: 60\n~d1 $ s \"click\"\n  $ fast 2", 1.0);
    k = onsets(a.l, a.n, on, 4, 1000);
    CHECK_INT(k, 2, "bpm: 60 is one cycle a second; a continued line applies fast 2");
    audio_free(&a);

    a = play("tempo: 1\n~fb: ~fb * 0.5 + 0.1\nout: ~fb", 0.1);
    CHECK_NEAR(a.l[a.n - 1], 0.2, 1e-4, "a bus that reads itself is a one-block feedback loop converging to 0.2");
    audio_free(&a);

    a = play("tempo: 1\n~a: sine 440 * 0.25\n~b: sine 660 * 0.25", 0.5);
    /* two sines of amplitude 0.25, summed at a quarter: RMS sqrt(2 * 0.0625^2 / 2) = 0.0625 */
    CHECK_NEAR(rms(a.l, 0, a.n), 0.0625, 0.001, "with no out, a quarter of the unused buses plays");
    audio_free(&a);

    a = play("tempo: 1\nhush\nout: sine 440", 0.2);
    CHECK(rms(a.l, 0, a.n) == 0, "a hush statement silences the output");
    audio_free(&a);
}

static void test_clock_survives_reload(void)
{
    Phonon *ph = engine(1);
    eval(ph, "tempo: 1\n~d1 $ s \"click*2\"");
    Audio a = render(ph, 30000, 64);
    eval(ph, "tempo: 1\n~d1 $ s \"click*4\"");
    Audio b = render(ph, 14100, 64);
    long on[4];
    int k = onsets(b.l, b.n, on, 4, 500);
    CHECK_INT(k, 1, "after a reload the new pattern keeps the beat");
    if (k == 1) CHECK_INT(on[0] + 30000, 33075, "its next onset is at 3/4 of the cycle, frame 33075");
    audio_free(&a);
    audio_free(&b);
    phonon_free(ph);
}

int main(void)
{
    snprintf(sample_root, sizeof sample_root, "/tmp/phonon-test-engine-%d", (int)getpid());
    mkdir(sample_root, 0755);
    make_sound("click", 100, 0.5f, 44100);
    test_sine();
    test_onsets();
    test_instruments();
    test_chord_pitches();
    test_filter();
    test_determinism();
    test_errors();
    test_events_out();
    test_program_forms();
    test_clock_survives_reload();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", sample_root);
    if (system(cmd) != 0) printf("# could not remove %s\n", sample_root);
    return test_done();
}
