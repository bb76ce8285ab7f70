/* test_errors.c — errors a musician can act on, and programs that look wrong but are right.
 * The broken programs are typed the way musicians type them; each has its exact message (file,
 * line, column in characters, text). The tricky programs must compile with no error or warning and
 * make sound. Also: the line-and-caret display, did-you-mean, line endings and byte-order marks,
 * limits (text, statements, buses, nesting), `hush`, tempo 0, delay feedback, and compiling with
 * every allocation failing in turn. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "lang.h"
#include "phonon.h"
#include "test.h"

#define SR 22050

static Phonon *engine(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.voices = 256;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

/* Every error of src as "song.ph:L:C: message" lines ("" for none); warnings into *warnings. */
static const char *errors_of(Phonon *ph, const char *src, int *warnings)
{
    static char out[8192];
    PhononError e[16];
    int n = phonon_check(ph, src, "song.ph", e, 16);
    out[0] = 0;
    size_t k = 0;
    for (int i = 0; i < n && i < 16; i++) {
        char line[1024];
        phonon_error_format(&e[i], line, sizeof line);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", k ? "\n" : "", line);
        if (k >= sizeof out) k = sizeof out - 1;
    }
    if (warnings) {
        *warnings = 0;
        for (int i = n; i < 16 && e[i].msg[0]; i++) (*warnings)++;
    }
    return out;
}

/* RMS of both channels over seconds of sound, after evaluating src on a fresh engine. */
static double render_rms(const char *src, double seconds, double *peak)
{
    Phonon *ph = engine();
    double sum = 0, pk = 0;
    long frames = lround(seconds * SR);
    if (phonon_eval(ph, src, "song.ph", NULL, 0) == 0) {
        phonon_wait_loaded(ph, 10);
        float l[256], r[256], *outs[2] = { l, r };
        for (long done = 0; done < frames; done += 256) {
            int n = frames - done < 256 ? (int)(frames - done) : 256;
            phonon_process(ph, NULL, outs, n);
            for (int i = 0; i < n; i++) {
                sum += (double)l[i] * l[i] + (double)r[i] * r[i];
                if (fabs(l[i]) > pk) pk = fabs(l[i]);
                if (fabs(r[i]) > pk) pk = fabs(r[i]);
                if (!isfinite(l[i]) || !isfinite(r[i])) pk = INFINITY;
            }
        }
    }
    phonon_free(ph);
    if (peak) *peak = pk;
    return frames ? sqrt(sum / (2.0 * (double)frames)) : 0;
}

/* ---- programs that look wrong but are right ------------------------------------------------ */

static const char *const valid[] = {
    "out: sine 440 # clip (-0.5) 0.5",
    "out: clip (sine 440) (-0.2) 0.2",
    "out: sine 220 # clip 0.2",
    "d1 $ s \"bd*4\" $ every 2 (# pan 0)",
    "d1 $ s \"bd*4\" # pan (slow 4 $ sine)",
    "d1 $ s \"bd*4\" # pan (fast 2 sine)",
    "d1 $ s \"bd*4\" # clip 0.5",
    "d1 $ jux rev $ s \"bd sn\"",
    "d1 $ jux rev (s \"bd sn\")",
    "d1 $ every 2 (fast 2) $ s \"bd sn\"",
    "d1 $ s \"bd*4\" # delay 0.3 1.5 0.5",
    "d1 $ s \"bd*2 [~ bd] sn\"\n  # gain 0.9\n  $ every 4 (fast 2)",
    "d1 $ s \"bd -- sn\" -- a comment after a string with -- in it",
    "-- intro\n\n~a: sine 220 * 0.2 -- a bus\n~b: ~a # lpf 800\nout: ~b",
    "out: ~b\n~b: ~a # lpf 800\n~a: saw 110 * 0.2",
    "~echo: ~echo * 0.6 + ~dry * 0.4\n~dry: s \"cp ~ ~ ~\"\nout: ~echo",
    "d1 $ n \"0 .. 7\" # s \"arpy\"",
    "d1 $ s \"arpy*4\" # n \"0 2\" $ every 2 (|+ n 12)",
    "d1 $ s \"bd sn\" $ fast 2 $ rev",
    "d1 $ (0.25 <~) $ s \"bd sn\"",
    "d1 $ 0.25 ~> s \"bd sn\"",
    "d1 $ s \"bd sn\" # speed -1",
    "d1 $ s \"bd*2\" # gain 1.2 |* gain 0.5",
    "d1 $ s \"{bd sn, hh hh hh}%4\"",
    "d1 $ s \"bd(<3 5>,8,<0 2>)\"",
    "d1 $ s \"bd? sn?0.7 [hh|cp]\"",
    "~synth: saw # lpf 1200 0.5\nd1 $ note \"c'maj e'min7'ii\" # s \"~synth\"",
    "~pluck $ (saw + square * 0.5) # lpf (sine 3 * 400 + 1200) 2 * perc 0.4\nd1 $ s \"~pluck*8\" # note \"c3 g3\"",
    "out: (sine 220 + sine 330) * 0.2",
    "out: sine \"<220 330>\" * 0.2",
    "out: tri \"c3 e3 g3\" * 0.3",
    "out: noise # bpf (sine 0.2 * 1500 + 1800) 4 * 0.3",
    "d1 $ stack (s \"bd*2\") (s \"hh*4\" # gain 0.6)",
    "d1 $ cat (s \"sn*2\") (s \"cp*3\")",
    "d1 $ fastcat (s \"bd\") (s \"sn\")",
    "d1 $ s \"bd sn\" $ sometimesBy 0.5 (# speed 2)",
    "d1 $ s \"bd*8\" $ degradeBy 0.3",
    "d1 $ s \"arpy*8\" # n (irand 8) $ off 0.125 (|+ n 12)",
    "d1 $ s \"bd sn\" $ whenmod 4 2 (# speed 2)",
    "d1 $ s \"bd sn hh cp\" $ every 3 (fast 2 . rev)",
    "d1 $ s \"bd sn\" $ (fast 2 $ rev)",
    "d1 $ s \"drum*8\" # n \"0 1 2 3\" # speed \"1 1.5\" # gain 0.8 # pan \"0 0.5 1\"",
    "~lfo: sine 0.25 * 0.5 + 1\nd1 $ s \"hh*16\" # speed ~lfo",
    "d1 $ s \"bd*4 [sn cp]\" # lpf 2000 0.8 # delay 0.375 0.4 0.3",
    "d1 $ s \"cp ~ ~ cp\" # reverb 0.8 0.4 0.3",
    "out: saw 110 # distort 4 0.5 # lpf 1200 0.5 * 0.2 # pan (sine 0.5 * 0.5 + 0.5)",
    "tempo: 2\nout: sine 220 * perc 0.3 * 0.5",
    "d1 $ s \"bd*8\" # pan rand",
    "d1 $ s \"hh*8\" # gain (range 0.5 1 sine)",
    "d1 $ s \"bd*4\" # speed (slow 2 $ range 1 2 saw)",
    "d1 $ s \"arpy*2\" # n \"<0 1>\" + n 1",
    "out: mix (sine 220) (saw 110 * 0.5) * 0.2",
    "out: sine (mtof 69) * 0.2",
    "d1 $ s \"sn\" # hcutoff 500 # cutoff 4000 # resonance 0.2",
    "d1 $ s \"arpy\" # vowel \"a e\"",
    "d1 $ sound \"bd:3 sn:2\"",
    "d2 $ s \"808bd 808sd\"",
    "out1 $ s \"bd\"",
    "o1 $ s \"sn\"",
    "d1 $ s \"bd sn\"\n\t# gain 0.8\n\t$ fast 2",
    "~master: s \"bd*2\" # gain 0.8",
    "~a: sine 220 * 0.2\n~b: saw 110 * 0.1",
    "d1 $ s \"bd\" # legato 1 # cut 1",
    "d1 $ s \"[bd bd] . sn sn . hh hh hh\"",
    "d1 $ s \"bd!3 sn@2 _ hh*<2 3>\"",
    "bpm: 120 \"4/4\"\nd1 $ s \"bd*4\"",
    "~s: sine # lpf 2000\nd1 $ note \"c e g\" # s \"~s\"",
    "d1 $ s \"bd\" $ ply 2 $ chop 2",
    "d1 $ s \"bd sn\" # gain \"1 0.8\" # speed \"<1 2>\"",
    ("\xEF\xBB\xBF" "d1 $ s \"bd sn\""),
    "d1 $ s \"bd*2\"\r\nd2 $ s \"hh*4\"\r\n",
    "d1 $ s \"bd*2\"\rd2 $ s \"hh*4\"\r",
    "cps: 0.75\nd1 $ s \"bd sn\" # n \"0 1\"",
    "d1 $ s \"bd sn\" $ within 0 0.5 (fast 2)",
    "d1 $ s \"bd*4\" # speed \"1 2\" $ hurry 2",
    "d1 $ s \"bd sn cp hh\" $ iter 4 $ palindrome",
    "d1 $ s \"bd*2 sn\" $ swingBy (1/3) 4",
    "d1 $ s \"bd\" # gain 0.8 # n 1 |+ n 2 |- n 1",
    "d1 $ superimpose (fast 2) $ s \"bd sn\"",
    "out: sine 330 * (sine 2 * 0.5 + 0.5) * 0.2",
};

static void test_valid(void)
{
    Phonon *ph = engine();
    int n = (int)(sizeof valid / sizeof valid[0]);
    for (int i = 0; i < n; i++) {
        char name[300];
        snprintf(name, sizeof name, "valid: %.200s", valid[i]);
        for (char *c = name; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t') *c = '|';
        int warnings = 0;
        const char *errs = errors_of(ph, valid[i], &warnings);
        CHECK(!errs[0] && warnings == 0, name, "%s (%d warnings)", errs[0] ? errs : "no error", warnings);
        double peak = 0, rms = render_rms(valid[i], 2.0, &peak);
        char sound[320];
        snprintf(sound, sizeof sound, "%.200s: makes sound", name);
        CHECK(rms > 0.001 && isfinite(peak), sound, "RMS %g, peak %g over 2 s", rms, peak);
    }
    CHECK(n >= 60, "at least 60 tricky-but-valid programs", "%d", n);
    phonon_free(ph);
}

/* ---- programs as musicians break them, with the exact message ------------------------------- */

typedef struct Broken {
    const char *src;
    const char *want;           /* every error, "song.ph:L:C: message", one per line */
} Broken;

static const Broken broken[] = {
    { "d1 $ s \"bd sn\" # lpff 100",
      "song.ph:1:18: unknown function 'lpff' (did you mean 'lpf'?)" },
    { "d1 $ s \"bd sn\" # gian 0.8",
      "song.ph:1:18: unknown parameter 'gian' (did you mean 'gain'?)" },
    { "d1 $ s \"bd*2 [sn cp\"",
      "song.ph:1:14: unclosed '[': no ']' before the end of the string" },
    { "d1 $ sound \"bd(3,8\"",
      "song.ph:1:15: unclosed '(': no ')' before the end of the string" },
    { "d1 $ s \"<bd sn\"",
      "song.ph:1:9: unclosed '<': no '>' before the end of the string" },
    { "d1 $ s \"{bd sn, hh\"",
      "song.ph:1:9: unclosed '{': no '}' before the end of the string" },
    { "d1 $ s \"bd sn",
      "song.ph:1:8: unterminated string (started here)" },
    { "d1 $ s \"bd\" # speed (1 + sine",
      "song.ph:1:21: unbalanced '(': no ')' before the end of the statement" },
    { "d1 $ fastt 2 $ s \"bd\"",
      "song.ph:1:6: unknown function 'fastt' (did you mean 'fast'?)" },
    { "d1 $ s \"bd\" $ every 2",
      "song.ph:1:15: every takes 2 arguments before the pattern, found 1 (every n f: f on every n-th cycle (from cycle 0))" },
    { "d1 $ jux rev s \"bd\"",
      "song.ph:1:6: jux takes 1 argument and then the pattern, found 3: write jux rev (s \"bd\") or jux rev $ s \"bd\"" },
    { "d1 $ every 2 fast 2 $ s \"bd\"",
      "song.ph:1:14: fast takes 1 argument of its own: among the arguments of every, put it in parentheses with them: every 2 (fast 2)" },
    { "cps: 0",
      "song.ph:1:6: 'cps: 0' would stop the clock; the tempo must be above 0" },
    { "bpm: 0",
      "song.ph:1:6: 'bpm: 0' would stop the clock; the tempo must be above 0" },
    { "bmp: 120\nd1 $ s \"bd\"",
      "song.ph:1:1: unknown statement 'bmp:' (did you mean 'bpm:'?)" },
    { "d1 $ s \"bd\"\nhsuh",
      "song.ph:2:1: unknown statement 'hsuh' (did you mean 'hush'?)" },
    { "d1 s \"bd\"",
      "song.ph:1:4: expected ':' or '$' after 'd1'" },
    { "~bass s \"bd\"\nout: ~bass",
      "song.ph:1:7: expected ':' or '$' after '~bass'" },
    { "bpm 120\nd1 $ s \"bd\"",
      "song.ph:1:5: expected ':' after 'bpm'" },
    { "temp: 1\nd1 $ s \"bd\"",
      "song.ph:1:1: unknown statement 'temp:' (did you mean 'tempo:'?)" },
    { "d1 $ s \"bd\" # lpf 100 0.5 3",
      "song.ph:1:27: lpf takes 2 arguments (cutoff, q), found 3" },
    { "d1 $ s \"bd\" # gain",
      "song.ph:1:15: gain takes 1 argument (a pattern of values), found none" },
    { "d1 $ s \"bd\" # gain 1 2",
      "song.ph:1:22: gain takes 1 argument (a pattern of values), found 2" },
    { "out: ~bas\n~bass: sine 40",
      "song.ph:1:6: unknown bus ~bas (did you mean '~bass'?)" },
    { "d1 $ s \"bd\" # lpf",
      "song.ph:1:15: lpf needs its cutoff (argument 1)" },
    { "d17 $ s \"bd\"",
      "song.ph:1:1: tracks are d1 to d16, found 'd17'" },
    { "d0 $ s \"bd\"",
      "song.ph:1:1: track numbers start at 1, found 'd0'" },
    { "d01 $ s \"bd\"",
      "song.ph:1:1: write 'd1', not 'd01'" },
    { "d1 $ s \"bd\" $ degradeby 0.3",
      "song.ph:1:15: unknown function 'degradeby' (did you mean 'degradeBy'?)" },
    { "d1 $ s \"bd\" $ swingby (1/3) 4",
      "song.ph:1:15: unknown function 'swingby' (did you mean 'swingBy'?)" },
    { "d1 $ s \"bd*4\" # n (irand)",
      "song.ph:1:20: irand takes 1 argument, found 0 (irand n: random integers 0 .. n-1)" },
    { "d1 $ n \"0 .. 7\" # s \"arpy\" $ sometimesBy 0.5 (# speed 2",
      "song.ph:1:46: unbalanced '(': no ')' before the end of the statement" },
    { "d1 $ s \"bd\" # pan sine 0.5",
      "song.ph:1:24: pan takes 1 argument (position), found 2" },
    { "out: sine 440 # lpf 800 # gain",
      "song.ph:1:27: gain takes 1 argument (a pattern of values), found none" },
    { "out: sinee 440",
      "song.ph:1:6: unknown function 'sinee' (did you mean 'sine' or 'sine2'?)" },
    { "out: saw 110 # lpff 800 0.5 * 0.3",
      "song.ph:1:16: unknown function 'lpff' (did you mean 'lpf'?)" },
    { "out: sine 440 * ~lfo",
      "song.ph:1:17: unknown bus ~lfo" },
    { "d1 $ s \"bd\" # n \"0 1\" |+ n",
      "song.ph:1:26: n takes 1 argument (a pattern of values), found none" },
    { "d1 $ s \"bd\" # crush \"4 8",
      "song.ph:1:21: unterminated string (started here)" },
    { "d1 $ s \"bd ] sn\"",
      "song.ph:1:12: unexpected ']': there is no bracket to close" },
    { "d1 $ s \"bd\" # speed -",
      "song.ph:1:22: expected an expression after '-', found the end of the statement" },
    { "d1 $ s \"bd\" ## gain 1",
      "song.ph:1:14: expected an expression after '#', found '#'" },
    { "d1 $ s \"bd\" # gain 1,2",
      "song.ph:1:21: ',' outside a list or tuple: it separates items, [1, 2] or (1, s \"bd\")" },
    { "d1 $ (fast 2 . rev . ) $ s \"bd\"",
      "song.ph:1:22: expected an expression after '.', found ')'" },
    { "d1 $ s \"bd\" $ every \"<2 3>\" (fast 2",
      "song.ph:1:29: unbalanced '(': no ')' before the end of the statement" },
    { "out: sine 440 # delay",
      "song.ph:1:17: delay needs its time (argument 1)" },
    { "tempo: -1",
      "song.ph:1:8: 'tempo:' needs a positive number, found '-1'" },
    { "bpm: fast",
      "song.ph:1:6: 'bpm:' needs a number, found 'fast'" },
    { "bpm: 120 \"4/\"",
      "song.ph:1:10: a time signature looks like \"4/4\", found \"4/\"" },
    { "d1 $ s \"bd\" $ off 0.25 (|+ n 12",
      "song.ph:1:24: unbalanced '(': no ')' before the end of the statement" },
    { "~lfo: sine 0.5\nd1 $ s \"bd\" # speed ~lfoo",
      "song.ph:2:21: unknown bus ~lfoo (did you mean '~lfo'?)" },
    { "d1 $ s \"bd\" # nte \"c e\"",
      "song.ph:1:15: unknown parameter 'nte' (did you mean 'note'?)" },
    { "d1 $ sound \"bd\" # legatoo 1",
      "song.ph:1:19: unknown parameter 'legatoo' (did you mean 'legato'?)" },
    { "d1 $ s \"bd\" # cutof 800",
      "song.ph:1:15: unknown parameter 'cutof' (did you mean 'cutoff'?)" },
    { "d1 $ s \"bd\" $ stut 3 0.5",
      "song.ph:1:15: stut takes 3 arguments before the pattern, found 2 (stut n fb t: n echoes t apart, gain falling to fb)" },
    { "d1 $ s \"bd\" $ chop",
      "song.ph:1:15: chop takes 1 argument before the pattern, found 0 (chop n: each event cut into n parts (begin/end))" },
    { "d1 $ s \"bd\" $ rev 2",
      "song.ph:1:15: after '$' expected a transform (like fast 2 or every 3 (rev)), found a pattern" },
    { "d1 $ s \"bd\" # rooms 0.3",
      "song.ph:1:15: unknown parameter 'rooms' (did you mean 'room'?)" },
    { "out: noise # bpf 800 4 # pann 0.5",
      "song.ph:1:26: unknown parameter 'pann' (did you mean 'pan'?)" },
    { "d1 $ s \"bd\" # reverb 0.8 0.4 0.3 0.2 0.1",
      "song.ph:1:34: reverb takes 3 arguments (room, damp, mix), found 5" },
    { "d1 $ s \"bd\" # gain 0.8\n  # lpf\nd2 $ s \"hh*2\" # speeed 2",
      "song.ph:2:5: lpf needs its cutoff (argument 1)\nsong.ph:3:17: unknown parameter 'speeed' (did you mean 'speed'?)" },
    { "d1 $ s \"bd*2\" # n \"<0 1\" # gain 0.9",
      "song.ph:1:20: unclosed '<': no '>' before the end of the string" },
    { "d1 $ s \"bd\" $ sometimes (# speed 2) (# gain 0.5)",
      "song.ph:1:37: a function applied to a function: missing an argument?" },
    { "d1 $ s \"bd\" # speed \"1 2\" $ fast",
      "song.ph:1:29: fast takes 1 argument before the pattern, found 0 (fast n: n times faster)" },
    { "out: sine 440 # lpf 800 0.5 0.3",
      "song.ph:1:29: lpf takes 2 arguments (cutoff, q), found 3" },
    { "d1 $ s \"bd\" # pan (slow 4 $ sine",
      "song.ph:1:19: unbalanced '(': no ')' before the end of the statement" },
    { "d1 $ s \"bd\" # s \"sn\"\n~x: fast 2 $\nd2 $ s \"hh\"",
      "song.ph:2:13: expected an expression after '$', found the end of the statement" },
    { "d1 $ s \"bd\" |+| speed 2 3",
      "song.ph:1:25: speed takes 1 argument (a pattern of values), found 2" },
    { "d1 $ s \"bd\" $ whenmod 4 2",
      "song.ph:1:15: whenmod takes 3 arguments before the pattern, found 2 (whenmod a b f: f when cycle mod a >= b)" },
    { "~d1 $ s \"bd\"\n~d1: s \"sn\" # gian 1",
      "song.ph:2:15: unknown parameter 'gian' (did you mean 'gain'?)" },
    { "d1 $ s \"bd\" # n (1 +)",
      "song.ph:1:15: expected a pattern here, found a function (missing an argument?)" },
    { "d1 $ rev",
      "song.ph:1:6: this is a function, not something that makes sound (missing the pattern after it?)" },
    { "d1 $ s \"bd\" $ every 2 (fast 2) (rev)",
      "song.ph:1:33: a function applied to a function: missing an argument?" },
    { "out: sine 440 $ fast 2",
      "song.ph:1:17: pattern transforms work on patterns and event chains, but this is a signal" },
    { "d1 $ s \"bd\" # orbit 1 # room",
      "song.ph:1:25: room takes 1 argument (a pattern of values), found none" },
    { "d1 $ s \"bd sn\" # speed \"1 [2\"",
      "song.ph:1:27: unclosed '[': no ']' before the end of the string" },
    { "d1 $ s \"bd\" # vowel \"a\" # lpf 200 # shape",
      "song.ph:1:37: shape takes 1 argument (a pattern of values), found none" },
    { "\tfoo",
      "song.ph:1:2: a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic" },
    { "d1 $ s \"bd\" # gain ~g\n~g: \"0.5 1\" + ~h",
      "song.ph:2:15: unknown bus ~h" },
    { "out: in 3",
      "song.ph:1:6: in 3: there are 0 inputs (Pd: [phonon~ -ins N])" },
};

static void test_broken(void)
{
    Phonon *ph = engine();
    int n = (int)(sizeof broken / sizeof broken[0]);
    int print = getenv("TEST_ERRORS_PRINT") != NULL;   /* show what the messages are now, to review */
    for (int i = 0; i < n; i++) {
        char name[300];
        snprintf(name, sizeof name, "broken: %.200s", broken[i].src);
        for (char *c = name; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t') *c = '|';
        const char *got = errors_of(ph, broken[i].src, NULL);
        if (print) {
            printf("#want ");
            for (const char *g = got; *g; g++) printf(*g == '\n' ? "\\n" : *g == '"' ? "\\\"" : "%c", *g);
            printf("\n");
        }
        CHECK_STR(got, broken[i].want, name);
    }
    CHECK(n >= 60, "at least 60 broken programs", "%d", n);
    phonon_free(ph);
}

/* ---- the line and the caret ------------------------------------------------------------------ */

static const char *shown(Phonon *ph, const char *src)
{
    static char out[4096];
    PhononError e[4];
    out[0] = 0;
    if (phonon_check(ph, src, "song.ph", e, 4) > 0) phonon_error_format_source(&e[0], out, sizeof out);
    return out;
}

static void test_caret(void)
{
    Phonon *ph = engine();
    CHECK_STR(shown(ph, "tempo: 1\nd1 $ s \"bd sn\" # lpff 100"),
              "song.ph:2:18: unknown function 'lpff' (did you mean 'lpf'?)\n"
              "    2 | d1 $ s \"bd sn\" # lpff 100\n"
              "      |                  ^", "caret: under the unknown name, with the line number");
    CHECK_STR(shown(ph, "d1 $ s \"bd*2 [sn cp\""),
              "song.ph:1:14: unclosed '[': no ']' before the end of the string\n"
              "    1 | d1 $ s \"bd*2 [sn cp\"\n"
              "      |              ^", "caret: an unclosed bracket inside a string, where it opens");
    CHECK_STR(shown(ph, "d1 $ s \"bd\"\n\t# lpff 3"),
              "song.ph:2:4: unknown function 'lpff' (did you mean 'lpf'?)\n"
              "    2 | \t# lpff 3\n"
              "      | \t  ^", "caret: a tab stays a tab, so the caret lines up in any terminal");
    /* a long line is cut around the column */
    char longsrc[2200];
    int k = snprintf(longsrc, sizeof longsrc, "d1 $ s \"bd\"");
    for (int i = 0; i < 150; i++) k += snprintf(longsrc + k, sizeof longsrc - (size_t)k, " # gain 1");
    snprintf(longsrc + k, sizeof longsrc - (size_t)k, " # lpff 3 # gain 1 # gain 1 # gain 1 # gain 1 # gain 1 # gain 1");
    PhononError e[2];
    CHECK_INT(phonon_check(ph, longsrc, "song.ph", e, 2), 1, "caret: a long line has its error");
    CHECK(e[0].col == 1365 && strncmp(e[0].source, "...", 3) == 0 && e[0].caret > 0 &&
              strncmp(e[0].source + e[0].caret, "lpff 3", 6) == 0 && strlen(e[0].source) < sizeof e[0].source,
          "caret: a long line is shown cut around the column, the caret still under the name", "col %d caret %d %s",
          e[0].col, e[0].caret, e[0].source);
    /* the first line of the display is exactly phonon_error_format's */
    char a[1200], b[4096];
    phonon_error_format(&e[0], a, sizeof a);
    phonon_error_format_source(&e[0], b, sizeof b);
    CHECK(strncmp(a, b, strlen(a)) == 0 && b[strlen(a)] == '\n', "caret: the first line is file:line:col: message");
    /* no source: just the message */
    PhononError none = { .line = 3, .col = 4, .caret = -1 };
    snprintf(none.file, sizeof none.file, "x.ph");
    snprintf(none.msg, sizeof none.msg, "something");
    phonon_error_format_source(&none, b, sizeof b);
    CHECK_STR(b, "x.ph:3:4: something", "caret: without a source line, only the message");
    /* a buffer too small is cut, never overrun */
    char tiny[16];
    int need = phonon_error_format_source(&e[0], tiny, sizeof tiny);
    CHECK(need > 15 && strlen(tiny) == 15, "caret: a small buffer is cut like snprintf", "%d", need);
    phonon_free(ph);
}

/* ---- columns: characters in the file, whatever the line endings --------------------------------- */

static void test_columns(void)
{
    Phonon *ph = engine();
    CHECK_STR(errors_of(ph, "\xEF\xBB\xBF" "d1 $ s \"bd\" # lpff 1", NULL),
              "song.ph:1:15: unknown function 'lpff' (did you mean 'lpf'?)", "a byte-order mark is not a column");
    CHECK_STR(errors_of(ph, "tempo: 1\r\nd1 $ s \"bd\"\r\nd2 $ s \"sn\" # lpff 1\r\n", NULL),
              "song.ph:3:15: unknown function 'lpff' (did you mean 'lpf'?)", "\\r\\n line endings: lines and columns");
    CHECK_STR(errors_of(ph, "tempo: 1\rd1 $ s \"bd\"\rd2 $ s \"sn\" # lpff 1\r", NULL),
              "song.ph:3:15: unknown function 'lpff' (did you mean 'lpf'?)", "\\r line endings (old Mac files)");
    CHECK_STR(errors_of(ph, "tempo: 1\n\rd2 $ s \"sn\" # lpff 1", NULL),
              "song.ph:3:15: unknown function 'lpff' (did you mean 'lpf'?)", "\\n\\r is two line breaks");
    CHECK_STR(errors_of(ph, "d1 $ s \"bd\"\n\t\t# lpff 1", NULL),
              "song.ph:2:5: unknown function 'lpff' (did you mean 'lpf'?)", "a tab is one column");
    CHECK_STR(errors_of(ph, "d1 $ s \"bd\" # gain \"1 [0.5\" # speed 2", NULL),
              "song.ph:1:23: unclosed '[': no ']' before the end of the string", "a column inside a string is the file's");
    CHECK_STR(errors_of(ph, "d1 $ s \"bd [sn]]\"", NULL),
              "song.ph:1:16: unexpected ']': there is no bracket to close", "a stray bracket inside a string");
    /* byte columns become character columns: the parser counts bytes, messages count characters */
    const char *line = "~a: \xC3\xA9\xC3\xA9 b c";
    CompileMsg m = { .line = 1, .col = 10 };                    /* byte 10 is the 'b' */
    compile_locate(line, strlen(line), &m);
    CHECK(m.col == 8 && m.caret == 9 && strcmp(m.source, line) == 0, "two-byte characters count as one column",
          "col %d caret %d", m.col, m.caret);
    CompileMsg past = { .line = 2, .col = 3 };
    compile_locate("a\nbc", 4, &past);
    CHECK(past.col == 3 && past.caret == 2 && strcmp(past.source, "bc") == 0, "a column just past the line's end",
          "col %d caret %d", past.col, past.caret);
    CompileMsg gone = { .line = 9, .col = 1 };
    compile_locate("a\nb", 3, &gone);
    CHECK(gone.caret == -1 && !gone.source[0], "a line beyond the text has no source");
    phonon_free(ph);
}

/* ---- did you mean ---------------------------------------------------------------------------- */

static const char *suggest(const char *word, const char *const *names, int n)
{
    static char out[200];
    LangSuggest sg;
    lang_suggest_init(&sg, word, (int)strlen(word));
    for (int i = 0; i < n; i++) lang_suggest_add(&sg, names[i]);
    lang_suggest_format(&sg, "'", "'", out, sizeof out);
    return out;
}

static void test_suggest(void)
{
    static const char *const names[] = { "lpf", "hpf", "bpf", "fast", "slow", "swingBy", "degradeBy", "gain", "hush" };
    int n = (int)(sizeof names / sizeof names[0]);
    CHECK_STR(suggest("lpff", names, n), " (did you mean 'lpf'?)", "suggest: one letter too many");
    CHECK_STR(suggest("xpf", names, n), " (did you mean 'lpf', 'hpf' or 'bpf'?)", "suggest: as near, up to three, in the table's order");
    CHECK_STR(suggest("gian", names, n), " (did you mean 'gain'?)", "suggest: two letters swapped count one");
    CHECK_STR(suggest("swingby", names, n), " (did you mean 'swingBy'?)", "suggest: case does not count");
    CHECK_STR(suggest("fst", names, n), " (did you mean 'fast'?)", "suggest: a letter missing");
    CHECK_STR(suggest("zz", names, n), "", "suggest: short words only for near names");
    CHECK_STR(suggest("reverbb", names, n), "", "suggest: nothing near, nothing suggested");
    CHECK_STR(suggest("lpf", names, n), " (did you mean 'hpf' or 'bpf'?)", "suggest: a name is not its own suggestion");
    Phonon *ph = engine();
    CHECK_STR(errors_of(ph, "d1 $ s \"bd\"\n~lead: saw\nd2 $ s \"~laed*2\" # gain ~lfoo\n~lfo: sine 1", NULL),
              "song.ph:3:25: unknown bus ~lfoo (did you mean '~lfo'?)", "suggest: bus names");
    PhononError e[4];
    phonon_check(ph, "d1 $ s \"~laed*2\"\n~lead: saw", "song.ph", e, 4);
    CHECK_STR(e[0].msg, "warning: unknown instrument ~laed (no bus ~laed; did you mean '~lead'?); it plays nothing",
              "suggest: instruments among the buses");
    phonon_check(ph, "d1 $ s \"bdd 808bdd\"", "song.ph", e, 4);
    CHECK_STR(e[0].msg, "warning: unknown sound 'bdd' (did you mean 'bd'?); it plays nothing", "suggest: sounds in the bank");
    CHECK_STR(e[1].msg, "warning: unknown sound '808bdd' (did you mean '808bd'?); it plays nothing",
              "suggest: sounds, a longer name");
    phonon_free(ph);
}

/* ---- limits: refused with an error, never a crash or a stack overflow ---------------------------- */

static char *text_of_lines(int n, const char *fmt, const char *last)
{
    size_t cap = (size_t)n * 48 + 256, k = 0;
    char *t = malloc(cap);
    for (int i = 0; i < n; i++) k += (size_t)snprintf(t + k, cap - k, fmt, i, i + 1);
    snprintf(t + k, cap - k, last, n);
    return t;
}

static void test_limits(void)
{
    Phonon *ph = engine();
    char *big = malloc((size_t)LANG_MAX_TEXT + 2);
    memset(big, ' ', (size_t)LANG_MAX_TEXT + 1);
    memcpy(big, "d1 $ s \"bd\"\n--", 14);
    big[LANG_MAX_TEXT + 1] = 0;
    CHECK_STR(errors_of(ph, big, NULL), "song.ph:1:1: program too long (1048577 bytes; at most 1048576)",
              "limit: the program text");
    big[LANG_MAX_TEXT] = 0;
    CHECK_STR(errors_of(ph, big, NULL), "", "limit: a program of exactly the limit compiles");
    free(big);

    char *many = text_of_lines(LANG_MAX_STATEMENTS, "d1 $ s \"bd\" -- %d %d\n", "d2 $ s \"sn\" -- %d\n");
    CHECK_STR(errors_of(ph, many, NULL), "song.ph:4097:1: too many statements (at most 4096)", "limit: statements");
    free(many);

    char *buses = text_of_lines(COMPILE_MAX_BUSES, "~b%d: sine %d\n", "~last: sine %d\n");
    CHECK_STR(errors_of(ph, buses, NULL), "song.ph:1025:1: too many buses (at most 1024)", "limit: buses");
    free(buses);

    /* a chain of 2000 buses, each using the next: the compiler's recursion is bounded */
    char *chain = text_of_lines(1000, "~b%d: ~b%d + 0\n", "~b%d: sine 440\nout: ~b0 * 0.1\n");
    CHECK_STR(errors_of(ph, chain, NULL),
              "song.ph:256:8: buses nested too deeply: more than 256 buses, each used by the one before "
              "(here ~b255 uses ~b256)", "limit: a chain of 1000 buses is an error, not a stack overflow");
    free(chain);
    char *over = text_of_lines(2000, "~b%d: ~b%d + 0\n", "~b%d: sine 440\nout: ~b0 * 0.1\n");
    CHECK_STR(errors_of(ph, over, NULL), "song.ph:1025:1: too many buses (at most 1024)",
              "limit: 2000 buses are too many, and nothing else is said about them");
    free(over);
    char *ok = text_of_lines(200, "~b%d: ~b%d + 0\n", "~b%d: sine 440\nout: ~b0 * 0.1\n");
    CHECK_STR(errors_of(ph, ok, NULL), "", "limit: a chain of 200 buses compiles");
    double rms = render_rms(ok, 0.5, NULL);
    CHECK(rms > 0.05 && rms < 0.1, "limit: ... and plays its sine", "RMS %g", rms);
    free(ok);

    /* found by fuzz_compile: a time literal with many digits and an exponent overflowed 128 bits (UBSan) */
    CHECK_STR(errors_of(ph, "d1 $ s \"bd\" $ slow 123456789012345678901234567890123e-30", NULL), "",
              "a long time literal with an exponent is read (rounded), no overflow");
    CHECK_STR(errors_of(ph, "d1 $ s \"bd\" $ slow 0.000000000000000000000000000001e-30", NULL), "",
              "a tiny time literal with an exponent is read (rounded), no overflow");

    /* found by fuzz_compile: a long line of stray UTF-8 continuation bytes before the error moved the
       window of the line shown back past the column, and the caret pointed past the line's end (the
       input is kept in the fuzz corpus) */
    {
        static char text[1 << 16];
        FILE *f = fopen("tests/fuzz/corpus/compile/regress-caret-window", "rb");
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f) fclose(f);
        text[n] = 0;
        PhononError e[16];
        int nerr = phonon_check(ph, text, "song.ph", e, 16), bad = 0;
        for (int i = 0; i < nerr && i < 16; i++) bad += e[i].caret > (int)strlen(e[i].source);
        CHECK(n > 0 && nerr > 0 && bad == 0, "the caret stays inside the line shown, whatever bytes the line holds",
              "%d errors, %d with the caret outside", nerr, bad);
    }

    /* found by fuzz_compile: `in` with a number too big for an int converted it first (UBSan) */
    CHECK_STR(errors_of(ph, "out: in 888888888888888888888888888888888888888888880.5", NULL),
              "song.ph:1:6: in 8.88889e+44: there are 0 inputs (Pd: [phonon~ -ins N])",
              "in with a huge number is an error, no overflow");

    /* found by fuzz_render: the error for a voice-control loop had no position (0:0) */
    CHECK_STR(errors_of(ph, "\nout: s\n 220 * 0~>.3", NULL),
              "song.ph:2:1: a signal that controls voices depends on the sound of out; that loop is not supported",
              "a voice-control loop is reported at its statement");

    /* found by fuzz_render: a sample number too big for a long was converted to one (UBSan) */
    CHECK(render_rms("d1 $ s \"bd*4\" # n 1.21e302", 0.5, NULL) >= 0, "a huge sample number plays, no overflow");

    /* deep expressions in many buses: counted across the buses */
    size_t cap = 300 * 1000, k = 0;
    char *deep = malloc(cap);
    for (int i = 0; i < 300; i++) {
        k += (size_t)snprintf(deep + k, cap - k, "~b%d: ", i);
        for (int d = 0; d < 150; d++) deep[k++] = '(';
        k += (size_t)snprintf(deep + k, cap - k, "~b%d", i + 1);
        for (int d = 0; d < 150; d++) k += (size_t)snprintf(deep + k, cap - k, " + 0)");
        deep[k++] = '\n';
    }
    snprintf(deep + k, cap - k, "~b300: sine 440\nout: ~b0 * 0.1\n");
    const char *got = errors_of(ph, deep, NULL);
    CHECK(strstr(got, "expression nested too deeply, counting the buses it uses (more than 1024 levels)") != NULL,
          "limit: nesting counted across buses", "%s", got);
    free(deep);
    phonon_free(ph);
}

/* ---- hush, tempo 0, delay feedback ---------------------------------------------------------------- */

static double rms_now(Phonon *ph, double seconds)
{
    phonon_wait_loaded(ph, 10);     /* sounds are decoded when a program first plays them */
    float l[256], r[256], *outs[2] = { l, r };
    long frames = lround(seconds * SR);
    double sum = 0;
    for (long done = 0; done < frames; done += 256) {
        int n = frames - done < 256 ? (int)(frames - done) : 256;
        phonon_process(ph, NULL, outs, n);
        for (int i = 0; i < n; i++) sum += (double)l[i] * l[i] + (double)r[i] * r[i];
    }
    return sqrt(sum / (2.0 * (double)frames));
}

/* phonon_eval, then wait until the sounds it plays are decoded (they load on a thread) */
static int eval_loaded(Phonon *ph, const char *src, PhononError *e, int maxe)
{
    int n = phonon_eval(ph, src, "song.ph", e, maxe);
    phonon_wait_loaded(ph, 10);
    return n;
}

static void test_hush_tempo(void)
{
    Phonon *ph = engine();
    const char *beat = "tempo: 2\nd1 $ s \"bd*4\"";
    CHECK_INT(eval_loaded(ph, beat, NULL, 0), 0, "hush: a beat");
    CHECK(rms_now(ph, 1) > 0.01, "hush: the beat plays");
    CHECK_INT(eval_loaded(ph, "tempo: 2\nd1 $ s \"bd*4\"\nhush", NULL, 0), 0, "hush: a program with hush");
    rms_now(ph, 0.05);
    CHECK(rms_now(ph, 1) == 0, "hush: silent while the program says hush");
    CHECK_INT(eval_loaded(ph, beat, NULL, 0), 0, "hush: the program without hush");
    CHECK(rms_now(ph, 1) > 0.01, "hush: plays again once the program no longer says hush (it does not latch)");
    phonon_hush(ph);
    CHECK_INT(eval_loaded(ph, "tempo: 2\nd1 $ s \"bd*8\"", NULL, 0), 0, "hush: a new program after the message");
    CHECK(rms_now(ph, 1) == 0, "hush: the hush message holds across programs until unhush");
    phonon_unhush(ph);
    CHECK(rms_now(ph, 1) > 0.01, "hush: unhush brings it back");

    /* tempo 0 is an error, and what plays keeps playing at its tempo */
    PhononError e[4];
    CHECK_INT(eval_loaded(ph, "cps: 0\nd1 $ s \"sn*2\"", e, 4), 1, "tempo 0: an error");
    CHECK_STR(e[0].msg, "'cps: 0' would stop the clock; the tempo must be above 0", "tempo 0: the message");
    CHECK_NEAR(phonon_cps(ph), 2, 1e-9, "tempo 0: the tempo is unchanged");
    CHECK(rms_now(ph, 1) > 0.01, "tempo 0: the old program keeps playing");
    phonon_free(ph);

    /* feedback above 1 is clamped: the echoes die away instead of running away to full scale */
    const char *hot = "tempo: 0.5\nd1 $ s \"bd*4\" # delay 0.3 1.5 0.5";
    const char *max = "tempo: 0.5\nd1 $ s \"bd*4\" # delay 0.3 0.95 0.5";
    Phonon *a = engine(), *b = engine();
    phonon_eval(a, hot, "song.ph", NULL, 0);
    phonon_eval(b, max, "song.ph", NULL, 0);
    phonon_wait_loaded(a, 10);
    phonon_wait_loaded(b, 10);
    double early = 0, late = 0, diff = 0;
    float la[256], ra[256], lb[256], rb[256], *oa[2] = { la, ra }, *ob[2] = { lb, rb };
    double peak = 0;
    for (long done = 0; done < 40L * SR; done += 256) {
        phonon_process(a, NULL, oa, 256);
        phonon_process(b, NULL, ob, 256);
        for (int i = 0; i < 256; i++) {
            double x = (double)la[i] * la[i] + (double)ra[i] * ra[i];
            if (done >= 20L * SR && done < 24L * SR) early += x;
            if (done >= 36L * SR) late += x;
            diff += fabs(la[i] - lb[i]) + fabs(ra[i] - rb[i]);
            if (fabs(la[i]) > peak) peak = fabs(la[i]);
        }
    }
    CHECK(late <= early * 1.25, "delay: feedback 1.5 does not grow (seconds 36-40 vs 20-24)", "%g vs %g", late, early);
    CHECK(peak < 1.0, "delay: feedback 1.5 stays below full scale", "peak %g", peak);
    CHECK(diff == 0, "delay: feedback 1.5 is feedback 0.95, sample for sample", "%g", diff);
    phonon_free(a);
    phonon_free(b);
}

int main(void)
{
    test_valid();
    test_broken();
    test_caret();
    test_columns();
    test_suggest();
    test_limits();
    test_hush_tempo();
    return test_done();
}
