/* mini.c — Tidal 1.7's mini-notation parsed straight into pattern trees.
 *
 * A recursive-descent parser over the string: a sequence is steps (terms with `!`, `@`, `_`, `..`),
 * a term is an atom or a bracket with its operators (`?`, `*` or `/`, `(k,n,r)`, `?`). Random
 * operators take seed numbers in the order Tidal gives them: a `?` when its own parse is complete,
 * a `|` group after all its alternatives. Runs off the audio path; allocates in the arena. */
#include "mini.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_impl.h"

typedef struct MP {
    const char *s;
    int len, pos;
    MiniType type;
    int64_t seed;
    int depth;
    Arena *a;
    MiniError *err;
    bool failed;
} MP;

typedef struct Seq {
    Pattern *p;
    Rat steps;
} Seq;

#define MINI_MAX_DEPTH 64
#define MINI_MAX_STEPS 4096

static int peek(const MP *m) { return m->pos < m->len ? (unsigned char)m->s[m->pos] : 0; }
static int peek_at(const MP *m, int k) { return m->pos + k < m->len ? (unsigned char)m->s[m->pos + k] : 0; }
static bool is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static void skip_ws(MP *m)
{
    while (is_ws(peek(m))) m->pos++;
}

static void describe(int c, char *buf, size_t n)
{
    if (c == 0) snprintf(buf, n, "end of input");
    else if (isprint(c)) snprintf(buf, n, "'%c'", c);
    else snprintf(buf, n, "character 0x%02x", c);
}

/* The first error wins; later ones are consequences of it. */
static void *fail_at(MP *m, int pos, const char *fmt, const char *arg)
{
    if (!m->failed) {
        m->failed = true;
        if (m->err) {
            m->err->col = pos + 1;
            snprintf(m->err->msg, sizeof m->err->msg, fmt, arg ? arg : "");
        }
    }
    return NULL;
}

static void *fail_expected(MP *m, const char *what)
{
    if (m->failed) return NULL;
    char got[32], msg[200];
    describe(peek(m), got, sizeof got);
    snprintf(msg, sizeof msg, "unexpected %s, expected %s", got, what);
    return fail_at(m, m->pos, "%s", msg);
}

/* --- atoms ------------------------------------------------------------------------------------ */

static bool is_word_start(int c) { return isalnum(c); }
static bool is_word_char(int c) { return isalnum(c) || c == '.' || c == ':' || c == '-' || c == '_' || c == '#'; }

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
    if (p + 1 < m->len && isalpha((unsigned char)m->s[p + 1])) return false;
    m->pos = p + 1;
    return true;
}

/* A number as written: sign, digits, fraction, exponent. Returns false (nothing consumed) when
 * there is none. The exact decimal goes to *r, the double Tidal would read to *d. */
static bool lex_number(MP *m, Rat *r, double *d, bool *integral)
{
    int p = m->pos, q = p;
    if (m->s[q] == '-' || m->s[q] == '+') q++;
    if (q >= m->len || !isdigit((unsigned char)m->s[q])) return false;
    while (q < m->len && isdigit((unsigned char)m->s[q])) q++;
    *integral = true;
    if (q + 1 < m->len && m->s[q] == '.' && isdigit((unsigned char)m->s[q + 1])) {
        *integral = false;
        q++;
        while (q < m->len && isdigit((unsigned char)m->s[q])) q++;
    }
    if (q < m->len && (m->s[q] == 'e' || m->s[q] == 'E')) {
        int k = q + 1;
        if (k < m->len && (m->s[k] == '-' || m->s[k] == '+')) k++;
        if (k < m->len && isdigit((unsigned char)m->s[k])) {
            while (k < m->len && isdigit((unsigned char)m->s[k])) k++;
            q = k;
            *integral = false;
        }
    }
    int start = m->s[p] == '+' ? p + 1 : p;
    char buf[64];
    int n = q - start;
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    memcpy(buf, m->s + start, (size_t)n);
    buf[n] = 0;
    if (!rat_parse(buf, n, r)) *r = rat_from_double(strtod(buf, NULL), 1000000);
    *d = strtod(buf, NULL);
    m->pos = q;
    return true;
}

/* Note names: a letter a-g, then s (sharp), f (flat), n (natural) any number of times, then an
 * optional octave (default 5). c5 = 0. */
static bool lex_note(MP *m, double *out)
{
    static const int base[7] = { 9, 11, 0, 2, 4, 5, 7 };   /* a b c d e f g */
    int c = peek(m);
    if (c < 'a' || c > 'g') return false;
    int p = m->pos + 1, note = base[c - 'a'];
    while (p < m->len) {
        char k = m->s[p];
        if (k == 's') note++;
        else if (k == 'f') note--;
        else if (k != 'n') break;
        p++;
    }
    int oct = 5;
    if (p < m->len && isdigit((unsigned char)m->s[p])) {
        oct = 0;
        while (p < m->len && isdigit((unsigned char)m->s[p])) oct = oct * 10 + (m->s[p++] - '0');
    }
    m->pos = p;
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

#define CHORD_MAX 32

/* name, then modifiers: a number (that many notes, continuing in octaves), i (invert, repeatable:
 * ii, iii), o (open), d<n> (drop the n-th note from the top an octave; newer Tidal). Tidal 1.7.10
 * takes one modifier; phonon takes any number, applied left to right. */
static int parse_chord(MP *m, double root, double *notes)
{
    m->pos++;                                   /* the ' */
    int start = m->pos;
    while (isalnum(peek(m))) m->pos++;
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
    while (peek(m) == '\'') {
        int mp = ++m->pos, c = peek(m);
        if (isdigit(c)) {
            int want = 0;
            while (isdigit(peek(m))) want = want * 10 + (m->s[m->pos++] - '0');
            if (want > CHORD_MAX) want = CHORD_MAX;
            int base = n;
            for (int k = base; k < want; k++) notes[k] = notes[k % base] + 12 * (k / base);
            n = want;
        } else if (c == 'i') {
            while (peek(m) == 'i') {
                m->pos++;
                double lo = notes[0];
                for (int k = 1; k < n; k++) notes[k - 1] = notes[k];
                notes[n - 1] = lo + 12;
            }
        } else if (c == 'o') {
            m->pos++;
            if (n > 2) {
                double a = notes[0] - 12, b = notes[2] - 12, rest[CHORD_MAX];
                int r = 0;
                for (int k = 0; k < n; k++)
                    if (k != 0 && k != 2) rest[r++] = notes[k];
                notes[0] = a;
                notes[1] = b;
                for (int k = 0; k < r; k++) notes[2 + k] = rest[k];
            }
        } else if (c == 'd' && isdigit(peek_at(m, 1))) {
            m->pos++;
            int which = 0;
            while (isdigit(peek(m))) which = which * 10 + (m->s[m->pos++] - '0');
            if (which >= 1 && which <= n) {
                int idx = n - which;
                double dropped = notes[idx] - 12;
                for (int k = idx; k > 0; k--) notes[k] = notes[k - 1];
                notes[0] = dropped;
            }
        } else {
            m->pos = mp;
            return fail_expected(m, "a chord modifier (a number, i, o or d<n>)"), -1;
        }
    }
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

static Value num_value(MP *m, double x)
{
    if (m->type == MINI_FREQ) return val_num(x);
    return val_num(x);
}

/* One atom of a numeric type: a number (with Tidal's duration letters and % for time), a note
 * name or a chord. Returns the pattern (a chord is a stack). */
static Pattern *parse_numeric_atom(MP *m)
{
    int at = m->pos;
    MiniType t = m->type;
    Rat r;
    double d, note;
    bool integral, have = false, is_note = false;
    bool time = t == MINI_TIME, numbers = t == MINI_NUMBERS;
    if (lex_number(m, &r, &d, &integral)) {
        have = true;
        Rat k;
        if ((time || numbers) && ratio_suffix(m, &k)) {
            r = rat_mul(time ? rat_from_double_exact(d) : r, k);
            d = d * rat_to_double(k);
            integral = false;
            if (time) {
                Value v = val_rat(r);
                return pattern_pure(m->a, at_col(v, at));
            }
        }
        if ((time || numbers) && peek(m) == '%') {
            m->pos++;
            Rat r2;
            double d2;
            bool i2;
            if (!lex_number(m, &r2, &d2, &i2)) return fail_expected(m, "a number after '%'");
            if (time) {
                Rat num = rat_from_double_exact(d), den = rat_from_double_exact(d2);
                if (rat_is_zero(den)) return fail_at(m, at, "division by zero in a ratio%s", NULL);
                Rat q = rat_div(num, den);
                if (ratio_suffix(m, &k)) q = rat_mul(q, k);
                return pattern_pure(m->a, at_col(val_rat(q), at));
            }
            d = d / d2;
            integral = false;
            if (ratio_suffix(m, &k)) d = d * rat_to_double(k);
        }
    } else {
        int c = peek(m);
        Rat k;
        bool shorthand_first = numbers || time;
        if (shorthand_first && ratio_letter(c, &k) && !isalnum(peek_at(m, 1))) {
            m->pos++;
            if (time) return pattern_pure(m->a, at_col(val_rat(k), at));
            d = rat_to_double(k);
            have = true;
        } else if (!time && lex_note(m, &note)) {
            d = note;
            have = is_note = true;
            integral = true;
        } else if (t == MINI_NOTES && ratio_letter(c, &k) && !isalnum(peek_at(m, 1))) {
            m->pos++;
            d = rat_to_double(k);
            have = true;
        } else if (c == '\'' && !time) {
            d = 0;
            is_note = true;
        } else {
            return fail_expected(m, time ? "a number" : "a number or a note name");
        }
    }
    if (peek(m) == '\'' && !time) {
        double notes[CHORD_MAX];
        int n = parse_chord(m, d, notes);
        if (n < 0) return NULL;
        Pattern *ps[CHORD_MAX];
        for (int i = 0; i < n; i++) {
            double x = t == MINI_FREQ ? note_to_hz(notes[i]) : notes[i];
            Value v = val_num(x);
            v.chord = (uint8_t)(n > 1 ? n : 0);
            ps[i] = pattern_pure(m->a, at_col(v, at));
            if (!ps[i]) return NULL;
        }
        return pattern_stack(m->a, ps, n);
    }
    (void)have;
    if (t == MINI_INT && !integral) return fail_at(m, at, "expected an integer%s", NULL);
    if (time) return pattern_pure(m->a, at_col(val_rat(rat_from_double_exact(d)), at));
    if (t == MINI_FREQ && is_note) d = note_to_hz(d);
    return pattern_pure(m->a, at_col(num_value(m, d), at));
}

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

typedef struct RangeArgs {
    MiniType type;
} RangeArgs;

/* unwrap $ fromTo <$> a <*> b : the enumeration squeezed into each event of (a, b), cut to it. */
static void k_range(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Value items[256];
    int n = 0;
    if (!hs_enum((MiniType)t->i0, &v[0], &v[1], items, 256, &n) || n == 0) return;
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

static Value enum_value(MiniType t, double x)
{
    if (t == MINI_TIME) return val_rat(rat_from_double_exact(x));
    return val_num(x);
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
    } else {
        /* Haskell's numericEnumFromTo: lo, lo+1, ... while <= hi + 1/2 */
        for (int i = 0; k < max; i++) {
            double v = lo + i;
            if (!(v <= hi + 0.5)) break;
            out[k++] = enum_value(t, v);
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

/* --- terms ------------------------------------------------------------------------------------ */

static Pattern *parse_group(MP *m, int open, Rat *steps_out);
static Pattern *parse_term(MP *m);
static Seq parse_sequence(MP *m, const char *closers);
Pattern *pattern_euclid_pat(Arena *a, Pattern *n, Pattern *k, Pattern *r, Pattern *in, bool bools);
Pattern *pattern_fmap_op(Arena *a, PatOp op, Value rhs, Pattern *in, bool value_left);

static Pattern *parse_atom(MP *m)
{
    int c = peek(m);
    if (c == '~') {
        /* ~name at the start of a step is an instrument (phonon); "bd~sn" is bd, a rest, sn */
        bool step_start = m->pos == 0 || !is_word_char((unsigned char)m->s[m->pos - 1]);
        if (m->type == MINI_WORDS && step_start && isalpha(peek_at(m, 1))) return parse_word(m);
        m->pos++;
        return pattern_silence(m->a);
    }
    if (c == '-' && !isdigit(peek_at(m, 1)) && peek_at(m, 1) != '.') {
        m->pos++;                                /* phonon: a lone '-' is a rest */
        return pattern_silence(m->a);
    }
    if (c == '[' || c == '<' || c == '{') {
        m->pos++;
        return parse_group(m, c, NULL);
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
        if (isalnum(c)) return parse_bool(m);
        return fail_expected(m, "t, f, 1, 0, x, '~' or a bracket");
    default:
        return parse_numeric_atom(m);
    }
}

/* The argument of `*`, `/`, `%`: a number, or a bracket group of numbers that may carry its own
 * operators (`hh*<2 3>/2` is hh*(<2 3>/2)). Always a time pattern. */
static Pattern *parse_factor(MP *m)
{
    MiniType saved = m->type;
    m->type = MINI_TIME;
    skip_ws(m);
    Pattern *p;
    int c = peek(m);
    if (c == '[' || c == '<' || c == '{') {
        /* a bracket, with at most its own * or / (the term's ?, (k,n,r) apply to the term) */
        p = parse_atom(m);
        if (p && (peek(m) == '*' || peek(m) == '/')) {
            bool fast = peek(m) == '*';
            m->pos++;
            Pattern *f = parse_factor(m);
            p = f ? (fast ? pattern_fast(m->a, f, p) : pattern_slow(m->a, f, p)) : NULL;
        }
    } else if (c == 0 || is_ws(c)) {
        p = fail_expected(m, "a number or a bracket");
    } else {
        p = parse_numeric_atom(m);
    }
    m->type = saved;
    return p;
}

/* `?` with an optional amount; the seed is taken when the parse of the `?` is complete. */
static Pattern *parse_question(MP *m, Pattern *p)
{
    m->pos++;
    double amount = 0.5;
    if (isdigit(peek(m)) || (peek(m) == '.' && isdigit(peek_at(m, 1)))) {
        int start = m->pos;
        while (isdigit(peek(m)) || peek(m) == '.') m->pos++;
        char buf[32];
        int n = m->pos - start < 31 ? m->pos - start : 31;
        memcpy(buf, m->s + start, (size_t)n);
        buf[n] = 0;
        amount = strtod(buf, NULL);
    }
    return pattern_degrade_seeded(m->a, m->seed++, amount, p);
}

/* A sequence of integers inside (k,n,r) */
static Pattern *parse_int_seq(MP *m, const char *closers)
{
    MiniType saved = m->type;
    m->type = MINI_INT;
    Seq s = parse_sequence(m, closers);
    m->type = saved;
    return s.p;
}

static Pattern *parse_term(MP *m)
{
    if (++m->depth > MINI_MAX_DEPTH) return fail_at(m, m->pos, "brackets nested too deeply%s", NULL);
    Pattern *p = parse_atom(m);
    if (!p) goto out;
    if (peek(m) == '?') p = parse_question(m, p);
    if (p && (peek(m) == '*' || peek(m) == '/')) {
        bool fast = peek(m) == '*';
        m->pos++;
        Pattern *f = parse_factor(m);
        if (!f) { p = NULL; goto out; }
        p = fast ? pattern_fast(m->a, f, p) : pattern_slow(m->a, f, p);
    }
    if (p && peek(m) == '(') {
        int open = m->pos++;
        Pattern *k = parse_int_seq(m, ",");
        if (!k) { p = NULL; goto out; }
        if (peek(m) != ',') { p = fail_expected(m, "',' between the Euclid arguments"); goto out; }
        m->pos++;
        Pattern *n = parse_int_seq(m, ",)");
        if (!n) { p = NULL; goto out; }
        Pattern *r = NULL;
        if (peek(m) == ',') {
            m->pos++;
            r = parse_int_seq(m, ")");
            if (!r) { p = NULL; goto out; }
        }
        if (peek(m) != ')') {
            char msg[64];
            snprintf(msg, sizeof msg, "')' to close '(' at column %d", open + 1);
            p = fail_expected(m, msg);
            goto out;
        }
        m->pos++;
        if (!r) r = pattern_pure(m->a, val_num(0));
        p = pattern_euclid_pat(m->a, k, n, r, p, m->type == MINI_BOOL);
    }
    if (p && peek(m) == '?') p = parse_question(m, p);
out:
    m->depth--;
    return m->failed ? NULL : p;
}

/* --- sequences ---------------------------------------------------------------------------------- */

typedef struct Step {
    Pattern *p;
    Rat w;
} Step;

static bool is_closer(int c, const char *closers) { return c == 0 || (c && strchr(closers, c)); }

/* A foot separator: '.' on its own (not `..`, not part of a word or number). */
static bool at_foot(const MP *m)
{
    return peek(m) == '.' && peek_at(m, 1) != '.';
}

static Pattern *make_seq(MP *m, Step *steps, int n, Rat *total)
{
    Rat ws[MINI_MAX_STEPS];
    Pattern *ps[MINI_MAX_STEPS];
    *total = rat_int(0);
    for (int i = 0; i < n; i++) {
        ws[i] = steps[i].w;
        ps[i] = steps[i].p;
        *total = rat_add(*total, steps[i].w);
    }
    if (n == 0) return pattern_silence(m->a);
    bool all_zero = true;
    for (int i = 0; i < n; i++) all_zero &= rat_is_zero(ws[i]);
    if (all_zero) return pattern_silence(m->a);
    if (!rat_lt(rat_int(0), *total)) return fail_at(m, m->pos, "the steps of a sequence weigh nothing%s", NULL);
    return pattern_timecat(m->a, ws, ps, n);
}

/* Steps until one of closers (or the end). Handles `!`, `@`, `_`, `..`, `.` feet and a final `?`. */
static Seq parse_sequence(MP *m, const char *closers)
{
    Seq res = { NULL, rat_int(0) };
    Step *steps = arena_alloc(m->a, sizeof(Step) * MINI_MAX_STEPS);
    Step *feet = NULL;
    int n = 0, nfeet = 0;
    bool last_repeat = false, last_weight = false, any_feet = false;
    if (!steps) return res;
    for (;;) {
        skip_ws(m);
        int c = peek(m);
        if (is_closer(c, closers)) break;
        if (c == '?' ) {
            /* a `?` on its own degrades the whole sequence; nothing but the end may follow */
            Rat tot;
            Pattern *body;
            if (any_feet) {
                if (nfeet >= MINI_MAX_STEPS) return fail_at(m, m->pos, "too many steps%s", NULL), res;
                feet[nfeet].p = make_seq(m, steps, n, &tot);
                feet[nfeet++].w = rat_int(1);
                body = make_seq(m, feet, nfeet, &tot);
                res.steps = rat_int(nfeet);
            } else {
                body = make_seq(m, steps, n, &tot);
                res.steps = tot;
            }
            if (!body) return res;
            m->pos++;
            res.p = pattern_degrade_seeded(m->a, m->seed++, 0.5, body);
            skip_ws(m);
            if (!is_closer(peek(m), closers)) {
                fail_expected(m, "the end of the sequence after '?'");
                res.p = NULL;
            }
            return res;
        }
        if (c == '.' && at_foot(m)) {
            m->pos++;
            if (!any_feet) {
                feet = arena_alloc(m->a, sizeof(Step) * MINI_MAX_STEPS);
                if (!feet) return res;
                any_feet = true;
            }
            int here = m->pos;
            skip_ws(m);
            if (is_closer(peek(m), closers) && n == 0 && nfeet > 0) {
                /* Tidal rejects a trailing '.' */
                fail_at(m, here, "expected a step after '.'%s", NULL);
                return res;
            }
            if (is_closer(peek(m), closers)) {
                fail_at(m, here, "expected a step after '.'%s", NULL);
                return res;
            }
            Rat tot;
            if (nfeet >= MINI_MAX_STEPS) return fail_at(m, m->pos, "too many steps%s", NULL), res;
            feet[nfeet].p = make_seq(m, steps, n, &tot);
            if (!feet[nfeet].p) return res;
            feet[nfeet++].w = rat_int(1);
            n = 0;
            last_repeat = last_weight = false;
            continue;
        }
        if (c == '_' || c == '@') {
            /* weights: each '@' or '_' adds 1, or n - 1 when a number follows (after spaces too:
             * Tidal 1.7.10 reads "bd _ 3" as bd@3), so the step weighs 1 + the sum */
            if (n == 0 || last_repeat) {
                fail_at(m, m->pos, n == 0 ? "'%s' must follow a step" : "'%s' cannot follow '!'", c == '_' ? "_" : "@");
                return res;
            }
            if (c == '_' && !(is_ws(peek_at(m, 1)) || is_closer(peek_at(m, 1), closers) || peek_at(m, 1) == '_' ||
                              isdigit(peek_at(m, 1)))) {
                fail_expected(m, "a step");
                return res;
            }
            m->pos++;
            int save = m->pos;
            skip_ws(m);
            Rat w, k;
            double d;
            bool integral;
            if (c == '_' && isdigit(peek(m))) {
                /* after '_' Tidal reads an integer only ("_ 1.25" is _1 then a '.' group) */
                int64_t k0 = 0;
                while (isdigit(peek(m))) k0 = k0 * 10 + (m->s[m->pos++] - '0');
                steps[n - 1].w = rat_add(steps[n - 1].w, rat_int(k0 - 1));
            } else if (isdigit(peek(m)) && lex_number(m, &w, &d, &integral)) {
                w = rat_from_double_exact(d);
                if (c == '@' && ratio_suffix(m, &k)) {
                    w = rat_mul(w, k);
                } else if (c == '@' && peek(m) == '%') {
                    m->pos++;
                    Rat w2;
                    double d2;
                    if (!lex_number(m, &w2, &d2, &integral) || d2 == 0) return fail_expected(m, "a number after '%'"), res;
                    w = rat_div(w, rat_from_double_exact(d2));
                    if (ratio_suffix(m, &k)) w = rat_mul(w, k);
                }
                steps[n - 1].w = rat_add(steps[n - 1].w, rat_sub(w, rat_int(1)));
            } else if (c == '@' && m->pos == save && ratio_letter(peek(m), &k) && !isalpha(peek_at(m, 1))) {
                m->pos++;
                steps[n - 1].w = rat_add(steps[n - 1].w, rat_sub(k, rat_int(1)));
            } else {
                m->pos = save;
                steps[n - 1].w = rat_add(steps[n - 1].w, rat_int(1));
            }
            last_weight = true;
            continue;
        }
        if (c == '!') {
            if (n == 0 || last_weight) {
                fail_at(m, m->pos, n == 0 ? "'!' must follow a step%s" : "'!' cannot follow a weight%s", NULL);
                return res;
            }
            m->pos++;
            int count = 1;
            if (isdigit(peek(m))) {
                count = 0;
                while (isdigit(peek(m))) count = count * 10 + (m->s[m->pos++] - '0');
                count -= 1;
            }
            for (int i = 0; i < count; i++) {
                if (n >= MINI_MAX_STEPS) return fail_at(m, m->pos, "too many steps%s", NULL), res;
                steps[n] = steps[n - 1];
                n++;
            }
            last_repeat = true;
            continue;
        }
        if (c == ']' || c == '>' || c == '}' || c == ')') {
            char what[8] = { '\'', (char)c, '\'', 0 };
            fail_at(m, m->pos, "unexpected %s: there is no bracket to close", what);
            return res;
        }
        /* a new step */
        int at = m->pos;
        Pattern *p = parse_term(m);
        if (!p) return res;
        skip_ws(m);
        if (peek(m) == '.' && peek_at(m, 1) == '.') {
            m->pos += 2;
            skip_ws(m);
            Pattern *b = parse_term(m);
            if (!b) return res;
            Pattern *args[2] = { p, b };
            TNode *t = tnode_new(m->a, k_range, NULL, 2, args);
            if (!t) return res;
            t->i0 = m->type;
            t->unwrap = true;           /* Tidal: unwrap $ fromTo <$> a <*> b */
            p = &t->base;
        }
        (void)at;
        if (n >= MINI_MAX_STEPS) return fail_at(m, m->pos, "too many steps%s", NULL), res;
        steps[n].p = p;
        steps[n].w = rat_int(1);
        n++;
        last_repeat = last_weight = false;
    }
    Rat tot;
    if (any_feet) {
        if (nfeet >= MINI_MAX_STEPS) return fail_at(m, m->pos, "too many steps%s", NULL), res;
        feet[nfeet].p = make_seq(m, steps, n, &tot);
        if (!feet[nfeet].p) return res;
        feet[nfeet++].w = rat_int(1);
        res.p = make_seq(m, feet, nfeet, &tot);
        res.steps = rat_int(nfeet);
    } else {
        res.p = make_seq(m, steps, n, &tot);
        res.steps = tot;
    }
    return res;
}

/* --- brackets ------------------------------------------------------------------------------------ */

#define MINI_MAX_MEMBERS 256

static Pattern *close_error(MP *m, int open_ch, int open_pos, const char *also)
{
    char msg[120];
    int close = open_ch == '[' ? ']' : open_ch == '<' ? '>' : open_ch == '{' ? '}' : 0;
    if (close) snprintf(msg, sizeof msg, "'%c' to close '%c' at column %d%s", close, open_ch, open_pos + 1, also);
    else snprintf(msg, sizeof msg, "the end of the pattern%s", also);
    return fail_expected(m, msg);
}

/* The members of a bracket (or of the whole string when open is 0): sequences separated by ','
 * (a stack) or by '|' (a random choice), not both. */
static Pattern *parse_group(MP *m, int open, Rat *steps_out)
{
    int open_pos = m->pos - 1;
    int close = open == '[' ? ']' : open == '<' ? '>' : open == '{' ? '}' : 0;
    char closers[4] = { ',', '|', (char)close, 0 };
    Seq members[MINI_MAX_MEMBERS];
    int n = 0;
    int sep = 0;
    if (++m->depth > MINI_MAX_DEPTH) return fail_at(m, m->pos, "brackets nested too deeply%s", NULL);
    for (;;) {
        Seq s = parse_sequence(m, closers);
        if (!s.p) return NULL;
        if (n >= MINI_MAX_MEMBERS) return fail_at(m, m->pos, "too many members in a bracket%s", NULL);
        members[n++] = s;
        int c = peek(m);
        if (c == ',' || c == '|') {
            if ((c == '|' && (open == '<' || open == '{')) || (sep && sep != c))
                return close_error(m, open, open_pos, sep == ',' || open == '<' || open == '{' ? " or ','" : " or '|'");
            sep = c;
            m->pos++;
            continue;
        }
        if (c == close) {
            if (close) m->pos++;
            break;
        }
        return close_error(m, open, open_pos, sep == ',' ? " or ','" : sep == '|' ? " or '|'" : "");
    }
    m->depth--;
    if (steps_out) *steps_out = members[0].steps;
    Pattern *ps[MINI_MAX_MEMBERS];
    if (open == '[' || open == 0) {
        for (int i = 0; i < n; i++) ps[i] = members[i].p;
        if (sep == '|') return pattern_choose_cycle(m->a, m->seed++, ps, n);
        return pattern_stack(m->a, ps, n);
    }
    /* < > and { }: each member at `steprate` steps per cycle */
    Pattern *rate = NULL;
    if (open == '{' && peek(m) == '%') {
        m->pos++;
        rate = parse_factor(m);
        if (!rate) return NULL;
    }
    for (int i = 0; i < n; i++) {
        Rat sz = members[i].steps;
        if (rat_is_zero(sz)) {
            ps[i] = pattern_silence(m->a);
            if (open == '<' || (open == '{' && i == 0 && !rate))
                return fail_at(m, open_pos, "'%s' needs at least one step", open == '<' ? "<" : "{");
            continue;
        }
        Pattern *factor;
        if (open == '<') factor = pattern_pure(m->a, val_rat(rat_div(rat_int(1), sz)));
        else if (!rate) factor = pattern_pure(m->a, val_rat(rat_div(members[0].steps, sz)));
        else factor = pattern_fmap_op(m->a, OP_DIV, val_rat(sz), rate, true);
        if (!factor) return NULL;
        ps[i] = pattern_fast(m->a, factor, members[i].p);
    }
    return pattern_stack(m->a, ps, n);
}

static bool has_letter(const char *s, int len)
{
    for (int i = 0; i < len; i++)
        if (isalpha((unsigned char)s[i])) return true;
    return false;
}

Pattern *mini_parse(Arena *a, const char *src, int len, MiniType type, MiniError *err)
{
    if (len < 0) len = (int)strlen(src);
    if (type == MINI_AUTO) type = has_letter(src, len) ? MINI_WORDS : MINI_NUMBERS;
    MP m = { src, len, 0, type, 0, 0, a, err, false };
    if (err) {
        err->col = 0;
        err->msg[0] = 0;
    }
    /* phonon: a top-level ',' or '|' reads as if the whole string were in brackets */
    Pattern *p = parse_group(&m, 0, NULL);
    if (m.failed) return NULL;
    if (m.pos < m.len) return fail_expected(&m, "the end of the pattern");
    return p;
}
