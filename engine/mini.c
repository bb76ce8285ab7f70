/* mini.c — Tidal 1.7's mini-notation parsed straight into pattern trees.
 *
 * A recursive-descent parser over the string: a sequence is steps (terms with `!`, `@`, `_`, `..`),
 * a term is an atom or a bracket with its operators (`?`, `*` or `/`, `(k,n,r)`, `?`). Random
 * operators take seed numbers in the order Tidal gives them: a `?` when its own parse is complete,
 * a `|` group after all its alternatives. Runs off the audio path; the pattern lives in the arena,
 * the steps being collected on one scratch stack shared by every level (freed when the parse ends),
 * so memory grows with the string. Hostile strings are errors, never crashes: every count is read
 * saturating, every number and factor is checked against the limits in mini.h, nesting is bounded. */
#include "mini.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_impl.h"

/* What the numbers being read are for, so that each is checked against its own range. */
typedef enum MiniCtx {
    CTX_VALUE,          /* a value of the pattern */
    CTX_FAST,           /* a `*` factor */
    CTX_SLOW,           /* a `/` factor */
    CTX_STEPS,          /* `{ }%` steps per cycle */
    CTX_PULSES,         /* Euclid k */
    CTX_EUCLID_STEPS,   /* Euclid n */
} MiniCtx;

/* What a parsed part can make a query do, as upper bounds: the work of one cycle (events made and
 * nodes or steps walked, rests included), and the largest |value| and 1/|value| among its values
 * (for a factor or a Euclid argument). The parser rejects a string whose cycle could take more than
 * MINI_MAX_EVENTS of that work, so that no accepted string asks a query for unbounded work (nested
 * factors multiply: [[bd*100]*100]*100 is a million). */
typedef struct Dens {
    double ev, hi, inv;
} Dens;

static const Dens DENS_NONE = { 0, 0, 0 }, DENS_ONE = { 1, 0, 0 };   /* nothing; one event or rest */

typedef struct Seq {
    Pattern *p;
    Rat steps;
    Dens d;
} Seq;

typedef struct MP {
    const char *s;
    int len, pos;
    MiniType type;
    MiniCtx ctx;
    int64_t seed;
    int depth;
    Arena *a;
    MiniError *err;
    bool failed;
    /* The scratch stack: entries (pattern, weight, repeats) of the steps of every open sequence and
     * the members of every open bracket, each level's on top of its parent's. */
    Pattern **sp;
    Rat *sw;
    int *sr;
    Dens *sd;
    int top, cap;
    /* The depth of an open `{ }%` step sequence: there a step that cannot begin a time ends it. */
    int steps_depth;
} MP;


/* ASCII classes: the notation is ASCII, and a host's locale must not change what a string means. */
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static bool is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int peek(const MP *m) { return m->pos < m->len ? (unsigned char)m->s[m->pos] : 0; }
static int peek_at(const MP *m, int k) { return m->pos + k < m->len ? (unsigned char)m->s[m->pos + k] : 0; }
static void skip_ws(MP *m)
{
    while (is_ws(peek(m))) m->pos++;
}

static void describe(int c, char *buf, size_t n)
{
    if (c == 0) snprintf(buf, n, "end of input");
    else if (c >= 32 && c < 127) snprintf(buf, n, "'%c'", c);
    else snprintf(buf, n, "character 0x%02x", c);
}

/* The first error wins; later ones are consequences of it. Returns NULL for `return fail(...)`. */
static void *failf(MP *m, int pos, const char *fmt, ...)
{
    if (!m->failed) {
        m->failed = true;
        if (m->err) {
            m->err->col = pos + 1;
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(m->err->msg, sizeof m->err->msg, fmt, ap);
            va_end(ap);
        }
    }
    return NULL;
}

static void *fail_expected(MP *m, const char *what)
{
    char got[32];
    describe(peek(m), got, sizeof got);
    return failf(m, m->pos, "unexpected %s, expected %s", got, what);
}

/* A constructor found the arena out of memory (unless an error came first and explains the NULL). */
static void oom(MP *m)
{
    failf(m, m->pos, "out of memory while parsing the pattern");
}

/* One more level of nesting (a bracket, a '(' or a chained factor); false (and an error) past the limit. */
static bool enter(MP *m, int pos)
{
    if (++m->depth <= MINI_MAX_DEPTH) return true;
    failf(m, pos, "brackets nested too deeply (at most %d levels)", MINI_MAX_DEPTH);
    return false;
}

/* --- the scratch stack ------------------------------------------------------------------------- */

static bool push(MP *m, Pattern *p, Rat w, Dens d)
{
    if (m->top == m->cap) {
        if (m->cap > (1 << 28)) return failf(m, m->pos, "the pattern is too long"), false;
        int cap = m->cap ? m->cap * 2 : 64;
        Pattern **sp = realloc(m->sp, sizeof *sp * (size_t)cap);
        if (sp) m->sp = sp;
        Rat *sw = sp ? realloc(m->sw, sizeof *sw * (size_t)cap) : NULL;
        if (sw) m->sw = sw;
        int *sr = sw ? realloc(m->sr, sizeof *sr * (size_t)cap) : NULL;
        if (sr) m->sr = sr;
        Dens *sd = sr ? realloc(m->sd, sizeof *sd * (size_t)cap) : NULL;
        if (!sd) return oom(m), false;
        m->sd = sd;
        m->cap = cap;
    }
    m->sp[m->top] = p;
    m->sw[m->top] = w;
    m->sr[m->top] = 1;
    m->sd[m->top] = d;
    m->top++;
    return true;
}

/* --- numbers ------------------------------------------------------------------------------------ */

/* Digits as a count, saturating just past limit (so that a huge count is still too large). */
static int64_t lex_digits(MP *m, int64_t limit)
{
    int64_t v = 0;
    while (is_digit(peek(m))) {
        int d = m->s[m->pos++] - '0';
        if (v <= limit) v = v * 10 + d;
    }
    return v > limit ? limit + 1 : v;
}

/* Every number of a string is finite and at most MINI_MAX_NUMBER in size. */
static bool check_number(MP *m, int at, double x)
{
    if (isfinite(x) && fabs(x) <= MINI_MAX_NUMBER) return true;
    failf(m, at, "number out of range: %.*s (numbers are at most 1e9 in size)", m->pos - at, m->s + at);
    return false;
}

/* A value in a factor's or Euclid argument's place, against that place's range. */
static bool check_ctx(MP *m, int at, double x)
{
    if (!check_number(m, at, x)) return false;
    double ax = fabs(x);
    const char *what = NULL;
    switch (m->ctx) {
    case CTX_FAST:
    case CTX_SLOW:
    case CTX_STEPS:
        if (x == 0 || (ax >= 1.0 / MINI_MAX_FACTOR && ax <= MINI_MAX_FACTOR)) return true;
        what = m->ctx == CTX_FAST ? "'*' factor" : m->ctx == CTX_SLOW ? "'/' factor" : "'%' steps per cycle";
        failf(m, at, "%s out of range: %.*s (0, or 1/%d to %d in size)", what, m->pos - at, m->s + at,
              MINI_MAX_FACTOR, MINI_MAX_FACTOR);
        return false;
    case CTX_PULSES:
    case CTX_EUCLID_STEPS:
        if (ax <= MINI_MAX_EUCLID) return true;
        what = m->ctx == CTX_PULSES ? "Euclid pulses" : "Euclid steps";
        failf(m, at, "%s out of range: %.*s (at most %d in size)", what, m->pos - at, m->s + at, MINI_MAX_EUCLID);
        return false;
    default:
        return true;
    }
}

static Dens dens_value(double x)
{
    Dens d = { 1, fabs(x), x != 0 ? 1 / fabs(x) : 0 };
    return d;
}

/* the values of both */
static void dens_values(Dens *d, Dens e)
{
    d->hi = fmax(d->hi, e.hi);
    d->inv = fmax(d->inv, e.inv);
}

/* How many cycles of p one cycle of `fast g p` can touch (each may add its events). */
static double cycles_touched(double g)
{
    g = fabs(g);
    if (g == 0) return 0;
    if (g >= 1 && g == floor(g)) return g;
    if (g < 1 && 1 / g == floor(1 / g)) return 1;
    return ceil(g) + 1;
}

/* A part of the string at column `at` whose cycle could take more than MINI_MAX_EVENTS of work. */
static bool check_events(MP *m, int at, double ev)
{
    if (ev <= MINI_MAX_EVENTS) return true;
    failf(m, at, "too many events per cycle: up to %.0f here (at most %d)", ev, MINI_MAX_EVENTS);
    return false;
}

/* Tidal's duration letters: w h q e s t f x = 1 1/2 1/4 1/8 1/16 1/3 1/5 1/6 */
static bool ratio_letter(int c, Rat *r)
{
    switch (c) {
    case 'w': *r = rat_int(1); return true;
    case 'h': *r = RAT(1, 2); return true;
    case 'q': *r = RAT(1, 4); return true;
    case 'e': *r = RAT(1, 8); return true;
    case 's': *r = RAT(1, 16); return true;
    case 't': *r = RAT(1, 3); return true;
    case 'f': *r = RAT(1, 5); return true;
    case 'x': *r = RAT(1, 6); return true;
    default: return false;
    }
}

/* Tidal's number lexer takes a duration letter after a number even across spaces ("2 e" is 2/8,
 * so "bd*2 e" is bd*0.25), unless a letter follows the letter ("2 ee" is 2 and the word ee). */
static bool ratio_suffix(MP *m, Rat *k)
{
    int p = m->pos;
    while (p < m->len && is_ws((unsigned char)m->s[p])) p++;
    if (p >= m->len || !ratio_letter((unsigned char)m->s[p], k)) return false;
    if (p + 1 < m->len && is_alpha((unsigned char)m->s[p + 1])) return false;
    m->pos = p + 1;
    return true;
}

/* A number as written: sign, digits, fraction, exponent, read as a double (for values) and as the
 * exact rational it spells (for times: 0.7 is 7/10, where Tidal 1.7.10 takes the double's binary
 * value; docs/PATTERNS.md, "Differences from Tidal"). A literal too long for 128 bits gives the
 * double's exact value. Returns false (nothing consumed) when there is none; a number too long to
 * be one is an error. */
static bool lex_number(MP *m, double *d, Rat *exact, bool *integral)
{
    int p = m->pos, q = p;
    if (q < m->len && (m->s[q] == '-' || m->s[q] == '+')) q++;
    if (q >= m->len || !is_digit((unsigned char)m->s[q])) return false;
    while (q < m->len && is_digit((unsigned char)m->s[q])) q++;
    *integral = true;
    if (q + 1 < m->len && m->s[q] == '.' && is_digit((unsigned char)m->s[q + 1])) {
        *integral = false;
        q++;
        while (q < m->len && is_digit((unsigned char)m->s[q])) q++;
    }
    if (q < m->len && (m->s[q] == 'e' || m->s[q] == 'E')) {
        int k = q + 1;
        if (k < m->len && (m->s[k] == '-' || m->s[k] == '+')) k++;
        if (k < m->len && is_digit((unsigned char)m->s[k])) {
            while (k < m->len && is_digit((unsigned char)m->s[k])) k++;
            q = k;
            *integral = false;
        }
    }
    m->pos = q;
    int start = m->s[p] == '+' ? p + 1 : p, n = q - start;
    char buf[MINI_MAX_NUMBER_LEN + 1];
    if (n > MINI_MAX_NUMBER_LEN) {
        *d = 0;
        *exact = rat_int(0);
        failf(m, p, "number too long (at most %d characters)", MINI_MAX_NUMBER_LEN);
        return true;
    }
    memcpy(buf, m->s + start, (size_t)n);
    buf[n] = 0;
    *d = strtod(buf, NULL);
    if (!(fabs(*d) <= MINI_MAX_NUMBER) || !rat_parse(buf, n, exact)) *exact = rat_from_double_exact(*d);
    return true;
}

/* Note names: a letter a-g, then s (sharp), f (flat), n (natural) any number of times, then an
 * optional octave (default 5). c5 = 0. */
static bool lex_note(MP *m, double *out)
{
    static const int base[7] = { 9, 11, 0, 2, 4, 5, 7 };   /* a b c d e f g */
    int c = peek(m);
    if (c < 'a' || c > 'g') return false;
    m->pos++;
    double note = base[c - 'a'];
    for (;; m->pos++) {
        int k = peek(m);
        if (k == 's') note++;
        else if (k == 'f') note--;
        else if (k != 'n') break;
    }
    double oct = 5;
    if (is_digit(peek(m))) oct = (double)lex_digits(m, (int64_t)MINI_MAX_NUMBER);
    *out = note + (oct - 5) * 12;
    return true;
}

typedef struct ChordDef {
    const char *name;
    signed char n[8];
    int count;
} ChordDef;

/* Tidal 1.7's chord table (Sound.Tidal.Chords), in semitones above the root. */
static const ChordDef chords[] = {
    { "major", { 0, 4, 7 }, 3 }, { "maj", { 0, 4, 7 }, 3 }, { "M", { 0, 4, 7 }, 3 },
    { "aug", { 0, 4, 8 }, 3 }, { "plus", { 0, 4, 8 }, 3 }, { "sharp5", { 0, 4, 8 }, 3 },
    { "six", { 0, 4, 7, 9 }, 4 }, { "6", { 0, 4, 7, 9 }, 4 },
    { "sixNine", { 0, 4, 7, 9, 14 }, 5 }, { "six9", { 0, 4, 7, 9, 14 }, 5 },
    { "sixby9", { 0, 4, 7, 9, 14 }, 5 }, { "6by9", { 0, 4, 7, 9, 14 }, 5 },
    { "major7", { 0, 4, 7, 11 }, 4 }, { "maj7", { 0, 4, 7, 11 }, 4 },
    { "major9", { 0, 4, 7, 11, 14 }, 5 }, { "maj9", { 0, 4, 7, 11, 14 }, 5 },
    { "add9", { 0, 4, 7, 14 }, 4 },
    { "major11", { 0, 4, 7, 11, 14, 17 }, 6 }, { "maj11", { 0, 4, 7, 11, 14, 17 }, 6 },
    { "add11", { 0, 4, 7, 17 }, 4 },
    { "major13", { 0, 4, 7, 11, 14, 21 }, 6 }, { "maj13", { 0, 4, 7, 11, 14, 21 }, 6 },
    { "add13", { 0, 4, 7, 21 }, 4 },
    { "dom7", { 0, 4, 7, 10 }, 4 }, { "dom9", { 0, 4, 7, 14 }, 4 }, { "dom11", { 0, 4, 7, 17 }, 4 },
    { "dom13", { 0, 4, 7, 21 }, 4 },
    { "sevenFlat5", { 0, 4, 6, 10 }, 4 }, { "7f5", { 0, 4, 6, 10 }, 4 },
    { "sevenSharp5", { 0, 4, 8, 10 }, 4 }, { "7s5", { 0, 4, 8, 10 }, 4 },
    { "sevenFlat9", { 0, 4, 7, 10, 13 }, 5 }, { "7f9", { 0, 4, 7, 10, 13 }, 5 },
    { "nine", { 0, 4, 7, 10, 14 }, 5 },
    { "eleven", { 0, 4, 7, 10, 14, 17 }, 6 }, { "11", { 0, 4, 7, 10, 14, 17 }, 6 },
    { "thirteen", { 0, 4, 7, 10, 14, 17, 21 }, 7 }, { "13", { 0, 4, 7, 10, 14, 17, 21 }, 7 },
    { "minor", { 0, 3, 7 }, 3 }, { "min", { 0, 3, 7 }, 3 }, { "m", { 0, 3, 7 }, 3 },
    { "diminished", { 0, 3, 6 }, 3 }, { "dim", { 0, 3, 6 }, 3 },
    { "minorSharp5", { 0, 3, 8 }, 3 }, { "msharp5", { 0, 3, 8 }, 3 }, { "mS5", { 0, 3, 8 }, 3 },
    { "minor6", { 0, 3, 7, 9 }, 4 }, { "min6", { 0, 3, 7, 9 }, 4 }, { "m6", { 0, 3, 7, 9 }, 4 },
    { "minorSixNine", { 0, 3, 9, 7, 14 }, 5 }, { "minor69", { 0, 3, 9, 7, 14 }, 5 },
    { "min69", { 0, 3, 9, 7, 14 }, 5 }, { "minSixNine", { 0, 3, 9, 7, 14 }, 5 },
    { "m69", { 0, 3, 9, 7, 14 }, 5 }, { "mSixNine", { 0, 3, 9, 7, 14 }, 5 },
    { "m6by9", { 0, 3, 9, 7, 14 }, 5 },
    { "minor7flat5", { 0, 3, 6, 10 }, 4 }, { "minor7f5", { 0, 3, 6, 10 }, 4 },
    { "min7flat5", { 0, 3, 6, 10 }, 4 }, { "min7f5", { 0, 3, 6, 10 }, 4 },
    { "m7flat5", { 0, 3, 6, 10 }, 4 }, { "m7f5", { 0, 3, 6, 10 }, 4 },
    { "minor7", { 0, 3, 7, 10 }, 4 }, { "min7", { 0, 3, 7, 10 }, 4 }, { "m7", { 0, 3, 7, 10 }, 4 },
    { "minor7sharp5", { 0, 3, 8, 10 }, 4 }, { "minor7s5", { 0, 3, 8, 10 }, 4 },
    { "min7sharp5", { 0, 3, 8, 10 }, 4 }, { "min7s5", { 0, 3, 8, 10 }, 4 },
    { "m7sharp5", { 0, 3, 8, 10 }, 4 }, { "m7s5", { 0, 3, 8, 10 }, 4 },
    { "minor7flat9", { 0, 3, 7, 10, 13 }, 5 }, { "minor7f9", { 0, 3, 7, 10, 13 }, 5 },
    { "min7flat9", { 0, 3, 7, 10, 13 }, 5 }, { "min7f9", { 0, 3, 7, 10, 13 }, 5 },
    { "m7flat9", { 0, 3, 7, 10, 13 }, 5 }, { "m7f9", { 0, 3, 7, 10, 13 }, 5 },
    { "minor7sharp9", { 0, 3, 7, 10, 14 }, 5 }, { "minor7s9", { 0, 3, 7, 10, 14 }, 5 },
    { "min7sharp9", { 0, 3, 7, 10, 14 }, 5 }, { "min7s9", { 0, 3, 7, 10, 14 }, 5 },
    { "m7sharp9", { 0, 3, 7, 10, 14 }, 5 }, { "m7s9", { 0, 3, 7, 10, 14 }, 5 },
    { "diminished7", { 0, 3, 6, 9 }, 4 }, { "dim7", { 0, 3, 6, 9 }, 4 },
    { "minor9", { 0, 3, 7, 10, 14 }, 5 }, { "min9", { 0, 3, 7, 10, 14 }, 5 }, { "m9", { 0, 3, 7, 10, 14 }, 5 },
    { "minor11", { 0, 3, 7, 10, 14, 17 }, 6 }, { "min11", { 0, 3, 7, 10, 14, 17 }, 6 },
    { "m11", { 0, 3, 7, 10, 14, 17 }, 6 },
    { "minor13", { 0, 3, 7, 10, 14, 17, 21 }, 7 }, { "min13", { 0, 3, 7, 10, 14, 17, 21 }, 7 },
    { "m13", { 0, 3, 7, 10, 14, 17, 21 }, 7 },
    { "one", { 0 }, 1 }, { "1", { 0 }, 1 }, { "five", { 0, 7 }, 2 }, { "5", { 0, 7 }, 2 },
    { "sus2", { 0, 2, 7 }, 3 }, { "sus4", { 0, 5, 7 }, 3 },
    { "sevenSus2", { 0, 2, 7, 10 }, 4 }, { "7sus2", { 0, 2, 7, 10 }, 4 },
    { "sevenSus4", { 0, 5, 7, 10 }, 4 }, { "7sus4", { 0, 5, 7, 10 }, 4 },
    { "nineSus4", { 0, 5, 7, 10, 14 }, 5 }, { "ninesus4", { 0, 5, 7, 10, 14 }, 5 },
    { "9sus4", { 0, 5, 7, 10, 14 }, 5 },
    { "sevenFlat10", { 0, 4, 7, 10, 15 }, 5 }, { "7f10", { 0, 4, 7, 10, 15 }, 5 },
    { "nineSharp5", { 0, 1, 13 }, 3 }, { "9sharp5", { 0, 1, 13 }, 3 }, { "9s5", { 0, 1, 13 }, 3 },
    { "minor9sharp5", { 0, 1, 14 }, 3 }, { "minor9s5", { 0, 1, 14 }, 3 },
    { "min9sharp5", { 0, 1, 14 }, 3 }, { "min9s5", { 0, 1, 14 }, 3 },
    { "m9sharp5", { 0, 1, 14 }, 3 }, { "m9s5", { 0, 1, 14 }, 3 },
    { "sevenSharp5flat9", { 0, 4, 8, 10, 13 }, 5 }, { "7s5f9", { 0, 4, 8, 10, 13 }, 5 },
    { "minor7sharp5flat9", { 0, 3, 8, 10, 13 }, 5 }, { "m7sharp5flat9", { 0, 3, 8, 10, 13 }, 5 },
    { "elevenSharp", { 0, 4, 7, 10, 14, 18 }, 6 }, { "11s", { 0, 4, 7, 10, 14, 18 }, 6 },
    { "minor11sharp", { 0, 3, 7, 10, 14, 18 }, 6 }, { "m11sharp", { 0, 3, 7, 10, 14, 18 }, 6 },
    { "m11s", { 0, 3, 7, 10, 14, 18 }, 6 },
};

/* The notes of a chord with one modifier group of Tidal 1.7.10's parseChord: an optional number of
 * notes (continuing in octaves), then i's (inversions), then o's (open voicing), read as Tidal
 * computes it: take count (drop inversions (the chord repeated an octave up, forever)); open puts
 * the first and third notes an octave down in front of the second, when the chord (as named) has
 * more than two notes. Returns the new count, -1 on error. */
static int chord_group(MP *m, int mp, double *notes, int n, int64_t want, int64_t inv, int opens)
{
    if (n == 0) return 0;
    if (want > MINI_MAX_CHORD)
        return failf(m, mp, "a chord has at most %d notes: %.*s", MINI_MAX_CHORD, m->pos - mp, m->s + mp), -1;
    double t[MINI_MAX_CHORD];
    for (int64_t k = 0; k < want; k++) t[k] = notes[(inv + k) % n] + 12.0 * (double)((inv + k) / n);
    int c = (int)want;
    if (opens && n > 2) {
        if (c < 3) return failf(m, mp, "an open chord needs at least 3 notes: %.*s", m->pos - mp, m->s + mp), -1;
        notes[0] = t[0] - 12;
        notes[1] = t[2] - 12;
        notes[2] = t[1];
        for (int k = 3; k < c; k++) notes[k] = t[k];
    } else {
        for (int k = 0; k < c; k++) notes[k] = t[k];
    }
    return c;
}

/* name, then modifier groups after a ': [number][i...][o...] as Tidal 1.7.10 reads one (c'maj'4i,
 * c'maj'5io, c'maj'3ii), or d<n> (drop the n-th note from the top an octave; newer Tidal). Tidal
 * 1.7.10 takes one group; phonon takes any number, applied left to right. An empty chord ('0) stays
 * empty (silence, as Tidal's take 0); a drop of a note the chord lacks changes nothing (newer Tidal).
 * Returns the number of notes (0 .. MINI_MAX_CHORD), -1 on error. */
static int parse_chord(MP *m, double root, double *notes)
{
    m->pos++;                                   /* the ' */
    int start = m->pos;
    while (is_alnum(peek(m))) m->pos++;
    if (m->pos == start) return fail_expected(m, "a chord name"), -1;
    int n = 1;
    notes[0] = 0;
    for (size_t i = 0; i < sizeof chords / sizeof chords[0]; i++) {
        if ((int)strlen(chords[i].name) == m->pos - start && memcmp(chords[i].name, m->s + start, (size_t)(m->pos - start)) == 0) {
            n = chords[i].count;
            for (int k = 0; k < n; k++) notes[k] = chords[i].n[k];
            break;
        }
    }
    while (peek(m) == '\'' && n >= 0) {
        int mp = ++m->pos, c = peek(m);
        if (c == 'd' && is_digit(peek_at(m, 1))) {
            m->pos++;
            int64_t which = lex_digits(m, MINI_MAX_CHORD);
            if (which >= 1 && which <= n) {
                int idx = n - (int)which;
                double dropped = notes[idx] - 12;
                for (int k = idx; k > 0; k--) notes[k] = notes[k - 1];
                notes[0] = dropped;
            }
            continue;
        }
        if (is_ws(c)) return fail_expected(m, "a chord modifier (a number, i, o or d<n>)"), -1;
        int64_t want = is_digit(c) ? lex_digits(m, MINI_MAX_CHORD) : n, inv = 0;
        int opens = 0;
        for (; peek(m) == 'i'; m->pos++) inv += inv < 1000000;
        for (; peek(m) == 'o'; m->pos++) opens = 1;
        n = chord_group(m, mp, notes, n, want, inv, opens);
    }
    if (n < 0) return -1;
    for (int k = 0; k < n; k++) notes[k] += root;
    return n;
}

/* The value's source column (Tidal keeps source positions in event contexts; rot sorts by them). */
static Value at_col(Value v, int pos)
{
    v.spare = (uint16_t)(pos + 1 < 65535 ? pos + 1 : 65535);
    return v;
}

static double note_to_hz(double note) { return 440.0 * pow(2.0, (note + 60.0 - 69.0) / 12.0); }

/* A chord as a stack of its notes (in Hz for MINI_FREQ), each knowing how many notes its chord has. */
static Pattern *chord_pattern(MP *m, int at, double root, Dens *d)
{
    double notes[MINI_MAX_CHORD];
    int n = parse_chord(m, root, notes);
    if (n < 0) return NULL;
    Pattern *ps[MINI_MAX_CHORD];
    *d = DENS_NONE;
    for (int i = 0; i < n; i++) {
        double x = m->type == MINI_FREQ ? note_to_hz(notes[i]) : notes[i];
        if (!check_ctx(m, at, x)) return NULL;
        dens_values(d, dens_value(x));
        d->ev++;
        Value v = val_num(x);
        v.chord = (uint8_t)(n > 1 ? n : 0);
        ps[i] = pattern_pure(m->a, at_col(v, at));
        if (!ps[i]) return NULL;
    }
    return pattern_stack(m->a, ps, n);
}

/* A time value as the pattern of its exact rational, checked for its place. */
static Pattern *time_value(MP *m, int at, Rat r, Dens *d)
{
    *d = dens_value(rat_to_double(r));
    if (!check_ctx(m, at, rat_to_double(r))) return NULL;
    return pattern_pure(m->a, at_col(val_rat(r), at));
}

/* One atom of a numeric type: a number (with Tidal's duration letters and % for time), a note
 * name or a chord. Returns the pattern (a chord is a stack). */
static Pattern *parse_numeric_atom(MP *m, Dens *dn)
{
    int at = m->pos;
    MiniType t = m->type;
    double d, note;
    Rat dq = rat_int(0);
    bool integral = true, is_note = false;
    bool time = t == MINI_TIME, numbers = t == MINI_NUMBERS;
    if (lex_number(m, &d, &dq, &integral)) {
        if (!check_number(m, at, d)) return NULL;
        Rat k;
        if ((time || numbers) && ratio_suffix(m, &k)) {
            integral = false;
            if (time) return time_value(m, at, rat_mul(dq, k), dn);
            d = rat_to_double(rat_mul(rat_from_double_exact(d), k));    /* Tidal: exact, then one rounding */
        }
        if ((time || numbers) && peek(m) == '%') {
            m->pos++;
            double d2;
            Rat dq2;
            bool i2;
            if (!lex_number(m, &d2, &dq2, &i2)) return fail_expected(m, "a number after '%'");
            if (!check_number(m, at, d2)) return NULL;
            if (d2 == 0) return failf(m, at, "division by zero in a ratio");
            if (time) {
                Rat q = rat_div(dq, dq2);
                if (ratio_suffix(m, &k)) q = rat_mul(q, k);
                return time_value(m, at, q, dn);
            }
            Rat q = rat_div(rat_from_double_exact(d), rat_from_double_exact(d2));
            if (ratio_suffix(m, &k)) q = rat_mul(q, k);
            d = rat_to_double(q);
            integral = false;
        }
    } else {
        int c = peek(m);
        Rat k;
        bool shorthand_first = numbers || time;
        if (shorthand_first && ratio_letter(c, &k) && !is_alpha(peek_at(m, 1))) {   /* "e5" is 1/8 then 5 */
            m->pos++;
            if (time) return time_value(m, at, k, dn);
            d = rat_to_double(k);
        } else if (!time && lex_note(m, &note)) {
            d = note;
            is_note = true;
        } else if (t == MINI_NOTES && ratio_letter(c, &k) && !is_alnum(peek_at(m, 1))) {
            m->pos++;
            d = rat_to_double(k);
        } else if (c == '\'' && !time) {
            d = 0;
            is_note = true;
        } else {
            return fail_expected(m, time ? "a number" : "a number or a note name");
        }
    }
    if (!check_number(m, at, d)) return NULL;
    if (peek(m) == '\'' && !time) return chord_pattern(m, at, d, dn);
    if (t == MINI_INT && !integral) return failf(m, at, "expected an integer");
    if (time) return time_value(m, at, dq, dn);
    if (t == MINI_FREQ && is_note) d = note_to_hz(d);
    *dn = dens_value(d);
    if (!check_ctx(m, at, d)) return NULL;
    return pattern_pure(m->a, at_col(val_num(d), at));
}

static bool is_word_start(int c) { return is_alnum(c); }
static bool is_word_char(int c) { return is_alnum(c) || c == '.' || c == ':' || c == '-' || c == '_' || c == '#'; }

static Pattern *parse_word(MP *m)
{
    int start = m->pos;
    if (peek(m) == '~') m->pos++;               /* ~name: an instrument (phonon) */
    while (is_word_char(peek(m))) m->pos++;
    return pattern_pure(m->a, at_col(val_sym(sym_intern_len(m->s + start, (size_t)(m->pos - start))), start));
}

/* t 1 (and x, phonon) are true, f 0 false; one character each, as Tidal reads them ("tf" is t f) */
static Pattern *parse_bool(MP *m)
{
    int c = peek(m);
    if (c == 't' || c == '1' || c == 'x') {
        m->pos++;
        return pattern_pure(m->a, at_col(val_bool(true), m->pos - 1));
    }
    if (c == 'f' || c == '0') {
        m->pos++;
        return pattern_pure(m->a, at_col(val_bool(false), m->pos - 1));
    }
    return fail_expected(m, "t, f, 1, 0 or x");
}

/* --- ranges `a .. b` ---------------------------------------------------------------------------- */

static bool hs_enum(MiniType t, const Value *a, const Value *b, Value *out, int max, int *n);

/* unwrap $ fromTo <$> a <*> b : the enumeration squeezed into each event of (a, b), cut to it. */
static void k_range(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Value items[MINI_MAX_RANGE];
    int n = 0;
    if (!hs_enum((MiniType)t->i0, &v[0], &v[1], items, MINI_MAX_RANGE, &n) || n == 0) return;
    /* fastFromList items, cut to the arc */
    Rat rn = rat_int(n);
    Arc in = arc_mul(arc, rn);
    CycIter it = cyc_iter(in);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        int64_t slot = rat_floor(pc.begin);
        Arc w = { rat_div(rat_int(slot), rn), rat_div(rat_int(slot + 1), rn) };
        if (!ev_add(q, &w, arc_div(pc, rn), items[imod(slot, n)])) return;
    }
}

static bool hs_enum(MiniType t, const Value *a, const Value *b, Value *out, int max, int *n)
{
    *n = 0;
    if (a->type == VAL_SYM || b->type == VAL_SYM || t == MINI_WORDS || t == MINI_BOOL) {
        out[0] = *a;
        out[1] = *b;
        *n = 2;
        return true;
    }
    double x = val_to_num(a), y = val_to_num(b);
    bool down = x > y;
    double lo = down ? y : x, hi = down ? x : y;
    int k = 0;
    if (t == MINI_INT) {
        for (double v = lo; v <= hi && k < max; v += 1) out[k++] = val_num(v);
    } else if (t == MINI_TIME) {
        /* the same, exactly: 0.7 .. 2 is 7/10, 17/10 */
        Rat rlo = val_to_rat(down ? b : a), lim = rat_add(val_to_rat(down ? a : b), RAT(1, 2));
        for (int i = 0; k < max; i++) {
            Rat v = rat_add(rlo, rat_int(i));
            if (rat_lt(lim, v)) break;
            out[k++] = val_rat(v);
        }
    } else {
        /* Haskell's numericEnumFromTo: lo, lo+1, ... while <= hi + 1/2 */
        for (int i = 0; k < max; i++) {
            double v = lo + i;
            if (!(v <= hi + 0.5)) break;
            out[k++] = val_num(v);
        }
    }
    if (down)
        for (int i = 0; i < k / 2; i++) {
            Value tmp = out[i];
            out[i] = out[k - 1 - i];
            out[k - 1 - i] = tmp;
        }
    *n = k;
    return true;
}

/* a .. b; a range of two constants that would hold more than MINI_MAX_RANGE values is an error. */
static Pattern *make_range(MP *m, int at, Pattern *a, Dens da, Pattern *b, Dens *d)
{
    /* between two numbers every value lies within them, but not every 1/value (-1.5 .. 1 has -0.5) */
    int n = MINI_MAX_RANGE;
    if (pat_is_pure(a) && pat_is_pure(b)) {
        Value items[MINI_MAX_RANGE + 1];
        Value va = ((const PureNode *)a)->v, vb = ((const PureNode *)b)->v;
        hs_enum(m->type, &va, &vb, items, MINI_MAX_RANGE + 1, &n);
        if (n > MINI_MAX_RANGE)
            return failf(m, at, "a range holds at most %d values: %.*s", MINI_MAX_RANGE, m->pos - at, m->s + at);
        double lo = fmin(val_to_num(&va), val_to_num(&vb));   /* the values are lo, lo + 1, ... */
        d->inv = fmax(d->inv, lo == floor(lo) ? 1 : MINI_MAX_FACTOR);
    } else {
        d->inv = fmax(d->inv, MINI_MAX_FACTOR);
    }
    d->ev = n * da.ev * d->ev;
    d->hi = fmax(da.hi, d->hi);
    d->inv = fmax(da.inv, d->inv);
    if (!check_events(m, at, d->ev)) return NULL;
    Pattern *args[2] = { a, b };
    TNode *t = tnode_new(m->a, k_range, NULL, 2, args);
    if (!t) return NULL;
    t->i0 = m->type;
    t->unwrap = true;           /* Tidal: unwrap $ fromTo <$> a <*> b */
    return &t->base;
}

/* --- terms ------------------------------------------------------------------------------------ */

static Pattern *parse_group(MP *m, int open, Dens *d);
static Pattern *parse_term(MP *m, Dens *d);
static Seq parse_sequence(MP *m, const char *closers);
Pattern *pattern_euclid_pat(Arena *a, Pattern *n, Pattern *k, Pattern *r, Pattern *in, bool bools);
Pattern *pattern_fmap_op(Arena *a, PatOp op, Value rhs, Pattern *in, bool value_left);

static Pattern *parse_atom(MP *m, Dens *d)
{
    int c = peek(m);
    *d = DENS_ONE;                              /* a rest is a node to visit too */
    if (c == '~') {
        /* ~name at the start of a step is an instrument (phonon); "bd~sn" is bd, a rest, sn */
        bool step_start = m->pos == 0 || !is_word_char((unsigned char)m->s[m->pos - 1]);
        if (m->type == MINI_WORDS && step_start && is_alpha(peek_at(m, 1))) return parse_word(m);
        m->pos++;
        return pattern_silence(m->a);
    }
    if (c == '-' && !is_digit(peek_at(m, 1)) && peek_at(m, 1) != '.') {
        m->pos++;                                /* phonon: a lone '-' is a rest */
        return pattern_silence(m->a);
    }
    if (c == '[' || c == '<' || c == '{') {
        m->pos++;
        return parse_group(m, c, d);
    }
    if (c == '^') {
        /* Tidal's pattern variables: none are ever set here, so silence, as an unset one is */
        m->pos++;
        while (is_word_char(peek(m))) m->pos++;
        return pattern_silence(m->a);
    }
    switch (m->type) {
    case MINI_WORDS:
        if (is_word_start(c)) return parse_word(m);
        return fail_expected(m, "a word, '~' or a bracket");
    case MINI_BOOL:
        if (is_alnum(c)) return parse_bool(m);
        return fail_expected(m, "t, f, 1, 0, x, '~' or a bracket");
    default:
        return parse_numeric_atom(m, d);
    }
}

static Pattern *parse_factor(MP *m, MiniCtx ctx, Dens *d);

/* p * f or p / f, the operator at column `at`; *d (p's) becomes the result's. */
static Pattern *apply_factor(MP *m, int at, bool fast, Pattern *p, Dens *d)
{
    Dens df;
    Pattern *f = parse_factor(m, fast ? CTX_FAST : CTX_SLOW, &df);
    if (!f) return NULL;
    double g = fast ? df.hi : df.inv;           /* the largest speed-up it can ask for */
    if (pat_is_pure(f)) d->ev *= cycles_touched(g);
    else d->ev *= (ceil(g) + 1) * df.ev;
    if (!check_events(m, at, d->ev)) return NULL;
    return fast ? pattern_fast(m->a, f, p) : pattern_slow(m->a, f, p);
}

/* The argument of `*`, `/`, `%`: a number, or a bracket group of numbers that may carry its own
 * operators (`hh*<2 3>/2` is hh*(<2 3>/2)). Always a time pattern, its numbers checked as ctx. */
static Pattern *parse_factor(MP *m, MiniCtx ctx, Dens *d)
{
    MiniType saved = m->type;
    MiniCtx saved_ctx = m->ctx;
    m->type = MINI_TIME;
    m->ctx = ctx;
    skip_ws(m);
    Pattern *p = NULL;
    int c = peek(m);
    if (!enter(m, m->pos)) {
        /* too deep: the error is set */
    } else if (c == '[' || c == '<' || c == '{') {
        /* a bracket, with at most its own * or / (the term's ?, (k,n,r) apply to the term) */
        p = parse_atom(m, d);
        if (p && (peek(m) == '*' || peek(m) == '/')) {
            int at = m->pos++;
            p = apply_factor(m, at, m->s[at] == '*', p, d);
        }
    } else if (c == 0 || is_ws(c)) {
        p = fail_expected(m, "a number or a bracket");
    } else {
        p = parse_numeric_atom(m, d);
    }
    m->depth--;
    m->type = saved;
    m->ctx = saved_ctx;
    return m->failed ? NULL : p;
}

/* `?` with an optional amount (0 to 1; beyond, it means what 0 or 1 mean); the seed is taken when
 * the parse of the `?` is complete. */
static Pattern *parse_question(MP *m, Pattern *p)
{
    m->pos++;
    double amount = 0.5;
    if (is_digit(peek(m))) {
        /* Tidal reads a float here: digits with a fraction or an exponent ("?1" is an error) */
        int k = m->pos;
        while (k < m->len && is_digit((unsigned char)m->s[k])) k++;
        bool frac = k + 1 < m->len && m->s[k] == '.' && is_digit((unsigned char)m->s[k + 1]);
        bool expo = k + 1 < m->len && (m->s[k] == 'e' || m->s[k] == 'E') && is_digit((unsigned char)m->s[k + 1]);
        if (!frac && !expo) {
            m->pos = k;
            return fail_expected(m, "a decimal point: a '?' amount is written 0.5, 1.0 (\"?1\" is not one)");
        }
    }
    if (is_digit(peek(m)) || (peek(m) == '.' && is_digit(peek_at(m, 1)))) {
        int start = m->pos;
        while (is_digit(peek(m)) || peek(m) == '.') m->pos++;
        char buf[32];
        int n = m->pos - start < 31 ? m->pos - start : 31;
        memcpy(buf, m->s + start, (size_t)n);
        buf[n] = 0;
        amount = strtod(buf, NULL);
        amount = amount < 0 ? 0 : amount > 1 ? 1 : amount;
    }
    return pattern_degrade_seeded(m->a, m->seed++, amount, p);
}

/* A sequence of integers inside (k,n,r), its numbers checked as ctx */
static Pattern *parse_int_seq(MP *m, const char *closers, MiniCtx ctx, Dens *d)
{
    MiniType saved = m->type;
    MiniCtx saved_ctx = m->ctx;
    m->type = MINI_INT;
    m->ctx = ctx;
    Seq s = parse_sequence(m, closers);
    m->type = saved;
    m->ctx = saved_ctx;
    *d = s.d;
    return s.p;
}

/* (k,n,r) after p */
static Pattern *parse_euclid(MP *m, Pattern *p, Dens *d)
{
    int open = m->pos;
    if (!enter(m, open)) return m->depth--, NULL;
    m->pos++;
    Dens dk, dn, dr = DENS_ONE;
    Pattern *k = parse_int_seq(m, ",", CTX_PULSES, &dk), *n = NULL, *r = NULL;
    if (k && peek(m) != ',') fail_expected(m, "',' between the Euclid arguments");
    if (k && !m->failed) {
        m->pos++;
        n = parse_int_seq(m, ",)", CTX_EUCLID_STEPS, &dn);
    }
    if (n && peek(m) == ',') {
        m->pos++;
        r = parse_int_seq(m, ")", CTX_VALUE, &dr);
        if (!r) n = NULL;
    }
    if (n && !m->failed) {
        /* per argument event: every step walked (k of them when k > n), and each pulse plays the
         * whole element (booleans: each step is a value) */
        double per = dk.hi + dn.hi + 1 + (m->type == MINI_BOOL ? 0 : dk.hi * d->ev);
        d->ev = per * dk.ev * dn.ev * dr.ev;
        check_events(m, open, d->ev);
    }
    if (n && peek(m) != ')') {
        char msg[64];
        snprintf(msg, sizeof msg, "')' to close '(' at column %d", open + 1);
        fail_expected(m, msg);
    }
    m->depth--;
    if (m->failed || !n) return NULL;
    m->pos++;
    if (!r) r = pattern_pure(m->a, val_num(0));
    return pattern_euclid_pat(m->a, k, n, r, p, m->type == MINI_BOOL);
}

static Pattern *parse_term(MP *m, Dens *d)
{
    Pattern *p = parse_atom(m, d);
    if (p && peek(m) == '?') p = parse_question(m, p);
    if (p && (peek(m) == '*' || peek(m) == '/')) {
        int at = m->pos++;
        p = apply_factor(m, at, m->s[at] == '*', p, d);
    }
    if (p && peek(m) == '(') p = parse_euclid(m, p, d);
    if (p && peek(m) == '?') p = parse_question(m, p);
    return m->failed ? NULL : p;
}

/* --- sequences ---------------------------------------------------------------------------------- */

static bool is_closer(int c, const char *closers) { return c == 0 || (c && strchr(closers, c)); }

/* A foot separator: '.' on its own (not `..`, not part of a word or number). */
static bool at_foot(const MP *m)
{
    return peek(m) == '.' && peek_at(m, 1) != '.';
}

/* `p!k` (k copies of p's cycle side by side, as Tidal's k steps of p) as one step of weight k:
 * fast k of p with each cycle played k times, three nodes however large k is. */
static void repeat_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    (void)i;
    pat_q((const Pattern *)ud, arc, q);
}

static void k_repeat(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    q_cat(t->i0, repeat_member, t->in, arc, q);
}

static Pattern *repeated(MP *m, int k, Pattern *p)
{
    if (!pat_is_pure(p) && !pat_is_silence(p)) {      /* a pure pattern is the same every cycle */
        TNode *t = tnode_new(m->a, k_repeat, p, 0, NULL);
        if (!t) return NULL;
        t->i0 = k;
        p = &t->base;
    }
    return pattern_fast_const(m->a, rat_int(k), p);
}

/* The steps on the scratch stack from `from` up as one sequence (Tidal's timeCat); pops them. */
static Pattern *make_seq(MP *m, int from, Rat *total, Dens *d)
{
    int n = m->top - from;
    *total = rat_int(0);
    *d = DENS_NONE;
    bool all_zero = true;
    for (int i = from; i < m->top; i++) {
        dens_values(d, m->sd[i]);
        d->ev += m->sd[i].ev * m->sr[i];
        if (m->sr[i] > 1) {
            m->sw[i] = rat_mul(m->sw[i], rat_int(m->sr[i]));
            m->sp[i] = repeated(m, m->sr[i], m->sp[i]);
            if (!m->sp[i]) return NULL;
            m->sr[i] = 1;
        }
        *total = rat_add(*total, m->sw[i]);
        all_zero &= rat_is_zero(m->sw[i]);
    }
    m->top = from;
    if (n == 0 || all_zero) return pattern_silence(m->a);
    return pattern_timecat(m->a, m->sw + from, m->sp + from, n);
}

/* The current '.' group (the steps above its feet) becomes one more foot. */
static bool end_foot(MP *m, int feet_top)
{
    Rat tot;
    Dens d;
    Pattern *foot = make_seq(m, feet_top, &tot, &d);
    return foot && push(m, foot, rat_int(1), d);
}

/* `@w` or `_` after a step, at column `at`: adds what it says to the step's weight. */
static void parse_weight(MP *m, int c, const char *closers)
{
    int at = m->pos;
    if (c == '_' && !(is_ws(peek_at(m, 1)) || is_closer(peek_at(m, 1), closers) || peek_at(m, 1) == '_' ||
                      peek_at(m, 1) == '@' || is_digit(peek_at(m, 1)))) {
        fail_expected(m, "a step");
        return;
    }
    m->pos++;
    int save = m->pos;
    skip_ws(m);
    /* the weight this adds is w - 1: exact as Tidal computes it, its double checked first */
    Rat w = rat_int(2), k;
    double d = 2, d2;
    Rat dq, dq2;
    bool integral;
    if (c == '_' && is_digit(peek(m))) {
        /* after '_' Tidal reads an integer only ("_ 1.25" is _1 then a '.' group) */
        d = (double)lex_digits(m, MINI_MAX_FACTOR);
        w = rat_int((int64_t)d);
    } else if (is_digit(peek(m)) && lex_number(m, &d, &dq, &integral)) {
        bool sane = fabs(d) <= MINI_MAX_FACTOR + 1;
        w = sane ? dq : rat_int(0);
        if (c == '@' && ratio_suffix(m, &k)) {
            w = rat_mul(w, k);
        } else if (c == '@' && peek(m) == '%') {
            m->pos++;
            if (!lex_number(m, &d2, &dq2, &integral) || d2 == 0) {
                fail_expected(m, "a number after '%'");
                return;
            }
            sane &= fabs(d2) >= 1.0 / MINI_MAX_FACTOR && fabs(d2) <= MINI_MAX_NUMBER;
            d = sane ? d / d2 : INFINITY;
            w = sane ? rat_div(w, dq2) : rat_int(0);
            if (ratio_suffix(m, &k)) w = rat_mul(w, k);
        }
        if (!sane) d = INFINITY;
    } else if (c == '@' && m->pos == save && ratio_letter(peek(m), &k) && !is_alpha(peek_at(m, 1))) {
        m->pos++;
        w = k;
        d = 1;
    } else {
        m->pos = save;
    }
    if (m->failed) return;
    Rat *sw = &m->sw[m->top - 1];
    Rat next = rat_int(-1);
    if (isfinite(d) && fabs(d) <= MINI_MAX_FACTOR + 1) next = rat_add(*sw, rat_sub(w, rat_int(1)));
    if (rat_lt(next, rat_int(0)) || rat_lt(rat_int(MINI_MAX_FACTOR), next))
        failf(m, at, "weight out of range: %.*s (a step weighs 0 to %d)", m->pos - at, m->s + at, MINI_MAX_FACTOR);
    else
        *sw = next;
}

/* What can follow in a sequence of times: a number, a duration letter, a bracket or an operator
 * on the step before. */
static bool starts_time_step(const MP *m)
{
    int c = peek(m), n = peek_at(m, 1);
    Rat k;
    if (is_digit(c) || ((c == '-' || c == '+') && is_digit(n))) return true;
    if (ratio_letter(c, &k)) return !is_alpha(n);
    return c && strchr("[<{._@!?^", c);        /* not ~: Tidal's rest is not a time */
}

/* After `{ }%` Tidal reads a whole sequence of times (pSequence pRational): "{a b c}%4 8" takes 4
 * steps in the first half cycle and 8 in the second. It ends at a closer or at the first step that
 * cannot begin a time ("<{a b}%3 c>": c is the next step of the < >). */
static Pattern *parse_steps(MP *m, Dens *d)
{
    MiniType saved = m->type;
    MiniCtx saved_ctx = m->ctx;
    int saved_depth = m->steps_depth;
    m->type = MINI_TIME;
    m->ctx = CTX_STEPS;
    m->steps_depth = m->depth;
    Seq s = parse_sequence(m, "]>}),|");
    m->type = saved;
    m->ctx = saved_ctx;
    m->steps_depth = saved_depth;
    *d = s.d;
    return m->failed ? NULL : s.p;
}

/* Steps until one of closers (or the end). Handles `!`, `@`, `_`, `..`, `.` feet and a final `?`.
 * The sequence's entries (feet first, then the steps of the current foot) lie on the scratch
 * stack from `base` up; it leaves the stack as it found it. */
static Seq parse_sequence(MP *m, const char *closers)
{
    Seq res = { NULL, rat_int(0), DENS_NONE };
    int base = m->top, nfeet = 0, steps = 0;
    double ev = 0;                  /* events per cycle of all its steps so far */
    bool last_repeat = false, last_weight = false, any_feet = false, degrade = false;
    while (!m->failed) {
        skip_ws(m);
        int c = peek(m);
        if (is_closer(c, closers) || (m->steps_depth == m->depth && !starts_time_step(m))) break;
        if (c == '?') {
            /* a `?` on its own degrades the whole sequence; nothing but the end may follow */
            m->pos++;
            skip_ws(m);
            if (!is_closer(peek(m), closers)) fail_expected(m, "the end of the sequence after '?'");
            degrade = true;
            break;
        }
        if (c == '.' && at_foot(m)) {
            int here = ++m->pos;
            skip_ws(m);
            if (is_closer(peek(m), closers)) {
                failf(m, here, "expected a step after '.'");     /* Tidal rejects a trailing '.' */
                break;
            }
            if (++nfeet > MINI_MAX_STEPS) {
                failf(m, here - 1, "too many '.' groups in one sequence (at most %d)", MINI_MAX_STEPS);
                break;
            }
            any_feet = true;
            if (!end_foot(m, base + nfeet - 1)) break;
            steps = 0;
            last_repeat = last_weight = false;
            continue;
        }
        if (c == '_' || c == '@') {
            /* weights: each '@' or '_' adds 1, or n - 1 when a number follows (after spaces too:
             * Tidal 1.7.10 reads "bd _ 3" as bd@3), so the step weighs 1 + the sum */
            if (m->top == base + nfeet || last_repeat) {
                failf(m, m->pos, m->top == base + nfeet ? "'%c' must follow a step" : "'%c' cannot follow '!'", c);
                break;
            }
            parse_weight(m, c, closers);
            last_weight = true;
            continue;
        }
        if (c == '!') {
            if (m->top == base + nfeet || last_weight) {
                failf(m, m->pos, m->top == base + nfeet ? "'!' must follow a step" : "'!' cannot follow a weight");
                break;
            }
            int at = m->pos++;
            int64_t more = 1;
            if (is_digit(peek(m))) {
                more = lex_digits(m, MINI_MAX_REPEAT);
                if (more > MINI_MAX_REPEAT) {
                    failf(m, at, "'!' repeats a step at most %d times: %.*s", MINI_MAX_REPEAT, m->pos - at, m->s + at);
                    break;
                }
                more = more > 0 ? more - 1 : 0;
            }
            steps += (int)more;
            if (steps > MINI_MAX_STEPS) {
                failf(m, at, "too many steps in one sequence (at most %d)", MINI_MAX_STEPS);
                break;
            }
            ev += m->sd[m->top - 1].ev * (double)more;
            if (!check_events(m, at, ev)) break;
            m->sr[m->top - 1] += (int)more;
            last_repeat = true;
            continue;
        }
        if (c == ']' || c == '>' || c == '}' || c == ')') {
            failf(m, m->pos, "unexpected '%c': there is no bracket to close", c);
            break;
        }
        /* a new step */
        int at = m->pos;
        if (++steps > MINI_MAX_STEPS) {
            failf(m, at, "too many steps in one sequence (at most %d)", MINI_MAX_STEPS);
            break;
        }
        Dens d;
        Pattern *p = parse_term(m, &d);
        if (!p) {
            oom(m);
            break;
        }
        skip_ws(m);
        if (peek(m) == '.' && peek_at(m, 1) == '.') {
            m->pos += 2;
            skip_ws(m);
            Dens da = d;
            Pattern *b = parse_term(m, &d);
            p = b ? make_range(m, at, p, da, b, &d) : NULL;
            if (!p) {
                oom(m);
                break;
            }
        }
        ev += d.ev;
        if (!check_events(m, at, ev) || !push(m, p, rat_int(1), d)) break;
        last_repeat = last_weight = false;
    }
    if (m->failed) {
        m->top = base;
        return res;
    }
    Rat tot;
    if (any_feet) {
        if (!end_foot(m, base + nfeet)) return m->top = base, res;
        res.p = make_seq(m, base, &tot, &res.d);
        res.steps = rat_int(nfeet + 1);
    } else {
        res.p = make_seq(m, base, &tot, &res.d);
        res.steps = tot;
    }
    if (res.p && degrade) res.p = pattern_degrade_seeded(m->a, m->seed++, 0.5, res.p);
    if (!res.p) oom(m);
    return res;
}

/* --- brackets ------------------------------------------------------------------------------------ */

static Pattern *close_error(MP *m, int open_ch, int open_pos, const char *also)
{
    char msg[120];
    int close = open_ch == '[' ? ']' : open_ch == '<' ? '>' : open_ch == '{' ? '}' : 0;
    if (close) snprintf(msg, sizeof msg, "'%c' to close '%c' at column %d%s", close, open_ch, open_pos + 1, also);
    else snprintf(msg, sizeof msg, "the end of the pattern%s", also);
    return fail_expected(m, msg);
}

/* The members of a bracket as one pattern; they lie on the scratch stack from base up. */
static Pattern *make_group(MP *m, int open, int open_pos, int base, int sep, Dens *d)
{
    int n = m->top - base;
    *d = DENS_NONE;
    for (int i = base; i < m->top; i++) {
        dens_values(d, m->sd[i]);
        d->ev = sep == '|' ? fmax(d->ev, m->sd[i].ev) : d->ev + m->sd[i].ev;
    }
    if (open == '[' || open == 0) {
        if (sep == '|') return pattern_choose_cycle(m->a, m->seed++, m->sp + base, n);
        return pattern_stack(m->a, m->sp + base, n);
    }
    /* < > and { }: each member at `steprate` steps per cycle */
    Pattern *rate = NULL;
    Dens dr = DENS_NONE;
    if (open == '{' && peek(m) == '%') {
        m->pos++;
        rate = parse_steps(m, &dr);
        if (!rate) return NULL;
    }
    Rat first = m->sw[base];
    d->ev = 0;
    for (int i = base; i < m->top; i++) {
        Rat sz = m->sw[i];
        double per = rat_to_double(sz);         /* steps of the member, > 0 below */
        if (rat_is_zero(sz)) {
            m->sp[i] = pattern_silence(m->a);
            if (open == '<' || (open == '{' && i == base && !rate))
                return failf(m, open_pos, "'%c' needs at least one step", open);
            continue;
        }
        Pattern *factor;
        double touched;
        if (open == '<') {
            factor = pattern_pure(m->a, val_rat(rat_div(rat_int(1), sz)));
            touched = cycles_touched(1 / per);
        } else if (!rate) {
            factor = pattern_pure(m->a, val_rat(rat_div(first, sz)));
            touched = cycles_touched(rat_to_double(first) / per);
        } else {
            factor = pattern_fmap_op(m->a, OP_DIV, val_rat(sz), rate, true);
            touched = pat_is_pure(rate) ? cycles_touched(dr.hi / per) : (ceil(dr.hi / per) + 1) * dr.ev;
        }
        d->ev += m->sd[i].ev * touched;
        if (!factor || !check_events(m, open_pos, d->ev)) return NULL;
        m->sp[i] = pattern_fast(m->a, factor, m->sp[i]);
        if (!m->sp[i]) return NULL;
    }
    return pattern_stack(m->a, m->sp + base, n);
}

/* The members of a bracket (or of the whole string when open is 0): sequences separated by ','
 * (a stack) or by '|' (a random choice), not both. */
static Pattern *parse_group(MP *m, int open, Dens *d)
{
    int open_pos = m->pos - 1, base = m->top, sep = 0;
    int close = open == '[' ? ']' : open == '<' ? '>' : open == '{' ? '}' : 0;
    char closers[4] = { ',', '|', (char)close, 0 };
    if (open && !enter(m, open_pos)) return NULL;
    double ev = 0;
    while (!m->failed) {
        if (m->top - base >= MINI_MAX_MEMBERS) {
            failf(m, m->pos - 1, "too many members in one bracket (at most %d)", MINI_MAX_MEMBERS);
            break;
        }
        int at = m->pos;
        Seq s = parse_sequence(m, closers);
        if (!s.p) {
            oom(m);
            break;
        }
        ev += s.d.ev;
        if (!check_events(m, at, ev) || !push(m, s.p, s.steps, s.d)) break;
        int c = peek(m);
        if (c == ',' || c == '|') {
            if ((c == '|' && (open == '<' || open == '{')) || (sep && sep != c)) {
                close_error(m, open, open_pos, sep == ',' || open == '<' || open == '{' ? " or ','" : " or '|'");
                break;
            }
            sep = c;
            m->pos++;
            continue;
        }
        if (c == close) {
            if (close) m->pos++;
            break;
        }
        close_error(m, open, open_pos, sep == ',' ? " or ','" : sep == '|' ? " or '|'" : "");
    }
    if (open) m->depth--;
    Pattern *p = NULL;
    if (!m->failed) p = make_group(m, open, open_pos, base, sep, d);
    if (!p) oom(m);
    m->top = base;
    return m->failed ? NULL : p;
}

static bool has_letter(const char *s, int len)
{
    for (int i = 0; i < len; i++)
        if (is_alpha((unsigned char)s[i])) return true;
    return false;
}

Pattern *mini_parse(Arena *a, const char *src, int len, MiniType type, MiniError *err)
{
    if (len < 0) len = (int)strlen(src);
    if (type == MINI_AUTO) type = has_letter(src, len) ? MINI_WORDS : MINI_NUMBERS;
    MP m = { .s = src, .len = len, .type = type, .ctx = CTX_VALUE, .a = a, .err = err, .steps_depth = -1 };
    if (err) {
        err->col = 0;
        err->msg[0] = 0;
    }
    const char *nul = memchr(src, 0, (size_t)len);
    if (nul) return failf(&m, (int)(nul - src), "unexpected character 0x00");
    /* phonon: a top-level ',' or '|' reads as if the whole string were in brackets */
    Dens d;
    Pattern *p = parse_group(&m, 0, &d);
    if (!p) oom(&m);
    if (!m.failed && m.pos < m.len) fail_expected(&m, "the end of the pattern");
    free(m.sp);
    free(m.sw);
    free(m.sr);
    free(m.sd);
    return m.failed ? NULL : p;
}
