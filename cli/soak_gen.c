/* soak_gen.c — random programs for `phonon soak`: a seeded generator over the language as
 * docs/LANGUAGE.md and docs/PATTERNS.md document it (mini-notation, transforms, parameters, signals,
 * instruments, buses, tempo). Every program it writes must compile (`phonon soak --print N | phonon
 * check` is tested), and every factor is kept small, so that the work of a block stays well inside
 * real time: the soak measures the engine, not the generator's appetite. Never stops the program. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soak.h"

/* ---------------------------------------------------------------------------------------------
 * random numbers and text */

uint64_t soak_rng_next(SoakRng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int soak_rng_below(SoakRng *r, int n) { return n <= 0 ? 0 : (int)(soak_rng_next(r) % (uint64_t)n); }
bool soak_rng_chance(SoakRng *r, int percent) { return soak_rng_below(r, 100) < percent; }

void soak_text_printf(SoakText *t, const char *fmt, ...)
{
    if (t->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    if (t->len + (size_t)need + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (t->len + (size_t)need + 1 > cap) cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            t->oom = true;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)need;
}

void soak_text_clear(SoakText *t)
{
    t->len = 0;
    t->oom = false;
    if (t->s) t->s[0] = 0;
}

void soak_text_free(SoakText *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------------------------------------
 * the generator's state for one program */

typedef struct Gen {
    SoakRng *r;
    SoakText *t;
    const SoakKit *kit;
    int ninst;              /* instruments ~i0 .. defined in this program */
    bool lfo, cut;          /* the buses ~lfo (around 1, for speed) and ~cut (Hz, for cutoffs) exist */
    int heat;               /* multiplying transforms used in the current chain */
} Gen;

#define PICK(g, arr) (arr)[soak_rng_below((g)->r, (int)(sizeof(arr) / sizeof(arr)[0]))]
#define OUT(g, ...) soak_text_printf((g)->t, __VA_ARGS__)

static int gen_int(Gen *g, int lo, int hi) { return lo + soak_rng_below(g->r, hi - lo + 1); }
static bool gen_chance(Gen *g, int percent) { return soak_rng_chance(g->r, percent); }

/* ---------------------------------------------------------------------------------------------
 * mini-notation */

typedef enum MiniKind { MK_WORDS, MK_INT, MK_UNIT, MK_SPEED, MK_NOTES, MK_FREQ, MK_BOOL, MK_VOWEL } MiniKind;

static const char *const builtin_sounds[] = { "bd", "sn", "hh", "cp", "oh", "lt", "mt", "ht", "cb", "rs", "cr",
                                              "sd", "arpy", "drum", "808bd", "808sd", "808hc", "808oh", "808ht",
                                              "808mt", "808lt", "808cy" };

static void gen_word(Gen *g, bool instruments)
{
    if (instruments && g->ninst > 0 && gen_chance(g, 25)) {
        OUT(g, "~i%d", soak_rng_below(g->r, g->ninst));
        return;
    }
    if (g->kit->nfolders > 0 && gen_chance(g, 30))
        OUT(g, "sk%d%s", soak_rng_below(g->r, g->kit->nfolders), gen_chance(g, 50) ? "b" : "");
    else
        OUT(g, "%s", PICK(g, builtin_sounds));
    if (gen_chance(g, 20)) OUT(g, ":%d", gen_int(g, 0, 3));
}

static void gen_atom(Gen *g, MiniKind k)
{
    static const char *const units[] = { "0", "0.25", "0.5", "0.75", "1", ".3", "0.6" };
    static const char *const speeds[] = { "0.5", "1", "1.5", "2", "-1", "0.75", "1.25" };
    /* No atom that starts with one of Tidal's duration letters (w h q e s t f x) and a non-letter:
     * after a number Tidal reads it as a factor of that number ("bd*2 e" is bd*(2/8)). */
    static const char *const notes[] = { "c", "d", "g", "a5", "cs4", "ef", "c3", "eb3", "g2", "0", "3", "7", "-5",
                                         "12", "c'maj", "d4'min7", "a'min", "g'dom7", "c'maj'ii", "bf'min" };
    static const char *const freqs[] = { "55", "82.5", "110", "220", "165", "c3", "d3", "g3", "a2", "330" };
    static const char *const bools[] = { "1", "0", "true", "false" };
    static const char *const vowels[] = { "a", "i", "o", "u" };
    switch (k) {
    case MK_WORDS: gen_word(g, true); break;
    case MK_INT: OUT(g, "%d", gen_int(g, 0, 7)); break;
    case MK_UNIT: OUT(g, "%s", PICK(g, units)); break;
    case MK_SPEED: OUT(g, "%s", PICK(g, speeds)); break;
    case MK_NOTES: OUT(g, "%s", PICK(g, notes)); break;
    case MK_FREQ: OUT(g, "%s", PICK(g, freqs)); break;
    case MK_BOOL: OUT(g, "%s", PICK(g, bools)); break;
    case MK_VOWEL: OUT(g, "%s", PICK(g, vowels)); break;
    }
}

/* A step's modifier: small factors only (the deepest nesting multiplies them). Returns false after
 * `!` and `@`, which `_` may not follow. */
static bool gen_modifier(Gen *g, int depth)
{
    int r = soak_rng_below(g->r, 100);
    if (r >= 20 && r < 28) {
        OUT(g, r < 24 ? "!%d" : "@%d", gen_int(g, 2, 3));
        return false;
    }
    if (r < 12) OUT(g, "*%d", gen_int(g, 2, depth ? 2 : 4));
    else if (r < 15) OUT(g, "*<2 3>");
    else if (r < 20) OUT(g, "/%d", gen_int(g, 2, 3));
    else if (r < 32) OUT(g, "?");
    else if (r < 34) OUT(g, "?0.3");
    else if (r < 38) {
        int n = gen_int(g, 5, 16);
        OUT(g, "(%d,%d)", gen_int(g, 1, n - 1), n);
    } else if (r < 40) {
        int n = gen_int(g, 5, 12);
        OUT(g, "(%d,%d,%d)", gen_int(g, 1, n - 1), n, gen_int(g, 0, n - 1));
    } else if (r < 41) OUT(g, "(<3 5>,8)");
    return true;
}

static void gen_seq(Gen *g, MiniKind k, int depth);

/* Returns whether `_` may follow. */
static bool gen_step(Gen *g, MiniKind k, int depth)
{
    int r = soak_rng_below(g->r, 100);
    bool nest = depth < 2;
    if (nest && r < 10) {
        OUT(g, "[");
        gen_seq(g, k, depth + 1);
        OUT(g, "]");
    } else if (nest && r < 18) {
        OUT(g, "<");
        gen_seq(g, k, depth + 1);
        OUT(g, ">");
    } else if (nest && r < 21) {
        /* in brackets: after '%' Tidal reads a whole sequence of times, so a step after "{..}%4"
           would be part of it ("[{a b}%4] c" is the polymeter, then c) */
        OUT(g, "[{");
        gen_seq(g, k, depth + 1);
        OUT(g, ", ");
        gen_seq(g, k, depth + 1);
        OUT(g, "}");
        if (gen_chance(g, 60)) OUT(g, "%%%d", gen_int(g, 2, 8));
        OUT(g, "]");
        return false;
    } else if (nest && r < 24) {
        OUT(g, "[");
        gen_atom(g, k);
        for (int i = gen_int(g, 1, 2); i > 0; i--) {
            OUT(g, " | ");
            gen_atom(g, k);
        }
        OUT(g, "]");
    } else if (nest && r < 27) {
        OUT(g, "[");
        gen_seq(g, k, depth + 1);
        OUT(g, ", ");
        gen_seq(g, k, depth + 1);
        OUT(g, "]");
    } else if (r < 33) {
        OUT(g, "~");
        return false;
    } else {
        gen_atom(g, k);
    }
    return gen_modifier(g, depth);
}

static void gen_seq(Gen *g, MiniKind k, int depth)
{
    int n = gen_int(g, 1, depth ? 3 : 5);
    for (int i = 0; i < n; i++) {
        if (i) OUT(g, depth == 0 && gen_chance(g, 4) ? " . " : " ");
        /* `_` only last: after `_`, Tidal reads a number as its weight ("bd _ 808bd" is bd@809 bd) */
        if (gen_step(g, k, depth) && i == n - 1 && gen_chance(g, 10)) OUT(g, " _");
    }
}

/* A quoted pattern of kind k. */
static void gen_pattern(Gen *g, MiniKind k)
{
    OUT(g, "\"");
    if (k == MK_INT && gen_chance(g, 10)) OUT(g, "0 .. %d", gen_int(g, 1, 5));
    else gen_seq(g, k, 0);
    OUT(g, "\"");
}

/* A value argument: a bare number or a short pattern (note names are always quoted). */
static void gen_value(Gen *g, MiniKind k)
{
    if (k != MK_NOTES && gen_chance(g, 60)) gen_atom(g, k);
    else gen_pattern(g, k);
}

/* ---------------------------------------------------------------------------------------------
 * functions and transforms */

static void gen_function(Gen *g)
{
    static const char *const fns[] = { "rev", "(fast 2)", "(# speed 2)", "(|+ n 12)", "(0.25 <~)",
                                       "(fast 2 . rev)", "(# crush 4)", "(hurry 2)", "(slow 2)", "(ply 2)",
                                       "(# gain 0.8)", "(|* speed 1.5)", "(iter 4)", "(chop 2)",
                                       "(fast 2 $ rev)", "(# vowel \"a\")", "(0.125 ~>)", "(# shape 0.3)",
                                       "(striate 2)", "(degradeBy 0.5)" };
    OUT(g, "%s", PICK(g, fns));
}

typedef struct TransformGen {
    const char *name;
    const char *args;       /* T time, I int, U unit, F function, B bool pattern, literal text after ':' */
    bool multiplies;        /* adds events (bounded per chain by Gen.heat) */
} TransformGen;

static const TransformGen transforms[] = {
    { "fast", "T", true },       { "slow", "T", false },      { "hurry", ":2", true },
    { "early", "T", false },     { "late", "T", false },      { "rotL", ":0.25", false },
    { "rotR", ":0.125", false }, { "rev", "", false },        { "palindrome", "", false },
    { "iter", "I", false },      { "iterBack", "I", false },  { "ply", ":2", true },
    { "press", "", false },      { "pressBy", "U", false },   { "linger", ":0.25", false },
    { "trunc", ":0.75", false }, { "zoom", ":0.25 0.75", false }, { "compress", ":0.25 0.75", false },
    { "fastGap", ":2", false },  { "inside", ":2 F", false }, { "outside", ":2 F", false },
    { "repeatCycles", ":2", false }, { "swingBy", ":(1/3) 4", false }, { "swing", ":4", false },
    { "segment", ":4", true },   { "brak", "", false },       { "every", "I F", false },
    { "every", ":\"<2 3>\" F", false }, { "firstOf", "I F", false }, { "lastOf", "I F", false },
    { "every'", ":3 1 F", false }, { "whenmod", ":4 2 F", false }, { "within", ":0 0.5 F", false },
    { "chunk", ":4 F", false },  { "chunk'", ":4 F", false }, { "while", ":\"1 0\" F", false },
    { "off", ":0.125 F", true }, { "superimpose", "F", true }, { "stutWith", ":3 (1/8) F", true },
    { "struct", "B", false },    { "mask", "B", false },      { "euclid", ":3 8", false },
    { "euclidInv", ":3 8", false }, { "euclidOff", ":3 8 2", false }, { "degrade", "", false },
    { "degradeBy", "U", false }, { "unDegradeBy", "U", false }, { "sometimesBy", "U F", false },
    { "sometimes", "F", false }, { "often", "F", false },     { "rarely", "F", false },
    { "almostNever", "F", false }, { "almostAlways", "F", false }, { "always", "F", false },
    { "never", "F", false },     { "someCyclesBy", "U F", false }, { "someCycles", "F", false },
    { "shuffle", ":4", false },  { "scramble", ":4", false }, { "rot", ":\"<1 2>\"", false },
    { "jux", "F", true },        { "juxBy", ":0.5 F", true }, { "chop", "I", true },
    { "striate", "I", true },    { "striateBy", ":2 0.5", true }, { "stut", ":3 0.5 0.125", true },
    { "echo", ":0.25", true },
};

static void gen_args(Gen *g, const char *spec)
{
    if (spec[0] == ':') {       /* literal arguments, then any F in them */
        for (const char *s = spec + 1; *s; s++) {
            if (*s == 'F' && (s[1] == 0 || s[1] == ' ') && s[-1] == ' ') gen_function(g);
            else OUT(g, "%c", *s);
        }
        return;
    }
    static const char *const times[] = { "2", "0.5", "1.5", "\"<1 2>\"", "\"2 1\"", "(1/3)", "0.25", "\"<0.5 2>\"" };
    static const char *const ints[] = { "2", "3", "4", "\"<2 3>\"" };
    static const char *const bools[] = { "\"t ~ t t\"", "\"1 0 1 1\"", "\"t(3,8)\"", "\"<t f> t\"" };
    for (const char *s = spec; *s; s++) {
        if (*s == ' ') continue;
        OUT(g, " ");
        switch (*s) {
        case 'T': OUT(g, "%s", PICK(g, times)); break;
        case 'I': OUT(g, "%s", PICK(g, ints)); break;
        case 'U': OUT(g, "%s", PICK(g, ((const char *const[]){ "0.3", "0.5", "0.25", "0.75" }))); break;
        case 'B': OUT(g, "%s", PICK(g, bools)); break;
        case 'F': gen_function(g); break;
        }
    }
}

static void gen_transform(Gen *g)
{
    const TransformGen *t;
    do t = &PICK(g, transforms);
    while (t->multiplies && g->heat >= 2);
    if (t->multiplies) g->heat++;
    OUT(g, "%s", t->name);
    if (t->args[0] == ':') OUT(g, " ");
    gen_args(g, t->args);
}

/* ---------------------------------------------------------------------------------------------
 * parameters, effects and event chains */

static void gen_param(Gen *g)
{
    switch (soak_rng_below(g->r, 22)) {
    case 0: OUT(g, "# n "); gen_value(g, MK_INT); break;
    case 1: OUT(g, "# note "); gen_value(g, MK_NOTES); break;
    case 2: OUT(g, "# speed "); gen_value(g, MK_SPEED); break;
    case 3: OUT(g, "# gain %s", PICK(g, ((const char *const[]){ "0.8", "0.6", "\"0.9 0.5\"", "1" }))); break;
    case 4: OUT(g, "# pan "); gen_value(g, MK_UNIT); break;
    case 5: OUT(g, "# legato %s", PICK(g, ((const char *const[]){ "0.5", "1", "2", "\"1 0.25\"" }))); break;
    case 6: OUT(g, "# cut 1"); break;
    case 7: OUT(g, "# begin 0.25 # end 0.75"); break;
    case 8: OUT(g, "# attack 0.01 # release %s", PICK(g, ((const char *const[]){ "0.1", "0.3", "0.8" }))); break;
    case 9: OUT(g, "# cutoff %d # resonance 0.%d", gen_int(g, 3, 50) * 100, gen_int(g, 0, 5)); break;
    case 10: OUT(g, "# hcutoff %d", gen_int(g, 1, 20) * 100); break;
    case 11: OUT(g, "# bandf %d # bandq %d", gen_int(g, 3, 30) * 100, gen_int(g, 1, 8)); break;
    case 12: OUT(g, "# shape 0.%d", gen_int(g, 1, 8)); break;
    case 13: OUT(g, "# coarse %d", gen_int(g, 2, 8)); break;
    case 14: OUT(g, "# crush %d", gen_int(g, 3, 8)); break;
    case 15: OUT(g, "# vowel "); gen_pattern(g, MK_VOWEL); break;
    case 16: OUT(g, "# accelerate \"-0.5 0.5\""); break;
    case 17: OUT(g, "# sustain 0.%d", gen_int(g, 1, 9)); break;
    case 18: OUT(g, "# velocity 0.8 # amp 0.9"); break;
    case 19: OUT(g, "# loop 2"); break;
    case 20:
        if (g->lfo) OUT(g, "# speed ~lfo");
        else OUT(g, "# orbit 1");
        break;
    default: OUT(g, "|+ n %s", PICK(g, ((const char *const[]){ "12", "\"<0 12>\"", "1" }))); break;
    }
}

static void gen_cutoff(Gen *g)
{
    if (g->cut && gen_chance(g, 40)) OUT(g, "~cut");
    else if (gen_chance(g, 20)) OUT(g, "(sine %d * 400 + 1200)", gen_int(g, 1, 5));
    else OUT(g, "%d", gen_int(g, 4, 40) * 100);
}

/* An effect after `#`: these make a signal of whatever is on the left. Feedback below 1. */
static void gen_effect(Gen *g)
{
    switch (soak_rng_below(g->r, 11)) {
    case 0: OUT(g, "# lpf "); gen_cutoff(g); OUT(g, " 0.%d", gen_int(g, 5, 9)); break;
    case 1: OUT(g, "# hpf %d", gen_int(g, 1, 10) * 100); break;
    case 2: OUT(g, "# bpf "); gen_cutoff(g); OUT(g, " %d", gen_int(g, 1, 6)); break;
    case 3: OUT(g, "# delay 0.%d 0.%d 0.3", gen_int(g, 1, 9), gen_int(g, 1, 7)); break;
    case 4: OUT(g, "# reverb 0.%d 0.4 0.3", gen_int(g, 2, 9)); break;
    case 5: OUT(g, "# distort %d 0.5", gen_int(g, 2, 8)); break;
    case 6: OUT(g, "# bitcrush %d", gen_int(g, 4, 10)); break;
    case 7: OUT(g, "# chorus 0.%d 0.5", gen_int(g, 1, 9)); break;
    case 8: OUT(g, "# compressor -%d 4", gen_int(g, 6, 30)); break;
    case 9: OUT(g, "# limiter 0.8"); break;
    default: OUT(g, "# moog "); gen_cutoff(g); OUT(g, " 0.%d", gen_int(g, 1, 8)); break;
    }
}

/* s "..." with up to two transforms and two parameters (the arguments of stack and cat). */
static void gen_simple_chain(Gen *g)
{
    OUT(g, "s ");
    gen_pattern(g, MK_WORDS);
    for (int i = gen_int(g, 0, 1); i > 0; i--) {
        OUT(g, " $ ");
        gen_transform(g);
    }
    for (int i = gen_int(g, 0, 2); i > 0; i--) {
        OUT(g, " ");
        gen_param(g);
    }
}

/* The head of a track: a chain, a combination, a shifted or a Haskell-ordered one. Returns false
 * when transforms may not follow with `$`. */
static bool gen_chain_head(Gen *g)
{
    int r = soak_rng_below(g->r, 100);
    if (r < 8) {
        OUT(g, "stack (");
        gen_simple_chain(g);
        OUT(g, ") (");
        gen_simple_chain(g);
        OUT(g, ")");
    } else if (r < 13) {
        OUT(g, "%s (", PICK(g, ((const char *const[]){ "cat", "fastcat", "slowcat", "randcat" })));
        gen_simple_chain(g);
        OUT(g, ") (");
        gen_simple_chain(g);
        OUT(g, ")");
    } else if (r < 19) {
        OUT(g, "%s %s s ", PICK(g, ((const char *const[]){ "0.25", "0.125", "(1/3)", "0.5" })),
            gen_chance(g, 50) ? "<~" : "~>");
        gen_pattern(g, MK_WORDS);
    } else if (r < 27) {
        gen_transform(g);
        OUT(g, " $ s ");
        gen_pattern(g, MK_WORDS);
        return false;
    } else {
        OUT(g, "s ");
        gen_pattern(g, MK_WORDS);
    }
    return true;
}

static void gen_chain(Gen *g)
{
    g->heat = 0;
    if (gen_chain_head(g))
        for (int i = soak_rng_below(g->r, 4); i > 0; i--) {
            OUT(g, " $ ");
            gen_transform(g);
        }
    for (int i = soak_rng_below(g->r, 5); i > 0; i--) {
        OUT(g, " ");
        gen_param(g);
    }
    for (int i = gen_chance(g, 35) ? gen_int(g, 1, 2) : 0; i > 0; i--) {
        OUT(g, " ");
        gen_effect(g);
    }
}

/* ---------------------------------------------------------------------------------------------
 * signals and instruments */

static void gen_freq(Gen *g)
{
    int r = soak_rng_below(g->r, 100);
    if (r < 50) OUT(g, "%d", gen_int(g, 4, 80) * 11);
    else if (r < 85) gen_pattern(g, MK_FREQ);
    else OUT(g, "(sine 0.%d * 50 + %d)", gen_int(g, 1, 9), gen_int(g, 2, 8) * 50);
}

static void gen_osc(Gen *g, bool voice)
{
    const char *osc = PICK(g, ((const char *const[]){ "sine", "saw", "square", "tri", "pulse" }));
    OUT(g, "%s", osc);
    if (!voice) {
        OUT(g, " ");
        gen_freq(g);
    }
    if (strcmp(osc, "pulse") == 0 && !voice) OUT(g, " 0.%d", gen_int(g, 1, 9));
}

static void gen_signal(Gen *g, int depth)
{
    int r = soak_rng_below(g->r, 100);
    if (depth >= 2 || r < 30) {
        gen_osc(g, false);
    } else if (r < 36) {
        OUT(g, "(%s * 0.3)", PICK(g, ((const char *const[]){ "noise", "pink", "brown" })));
    } else if (r < 55) {
        OUT(g, "(");
        gen_signal(g, depth + 1);
        OUT(g, " ");
        gen_effect(g);
        OUT(g, ")");
    } else if (r < 63) {
        OUT(g, "(");
        gen_signal(g, depth + 1);
        OUT(g, " * %s)", PICK(g, ((const char *const[]){ "perc 0.3", "adsr 0.01 0.1 0.5 0.2", "ar 0.05 0.3",
                                                        "0.5", "(sine 0.5 * 0.5 + 0.5)" })));
    } else if (r < 73) {
        OUT(g, "(");
        gen_signal(g, depth + 1);
        OUT(g, " %s ", gen_chance(g, 50) ? "+" : "-");
        gen_signal(g, depth + 1);
        OUT(g, ")");
    } else if (r < 80) {
        OUT(g, "mix (");
        gen_signal(g, depth + 1);
        OUT(g, ") (");
        gen_signal(g, depth + 1);
        OUT(g, ")");
    } else if (r < 85) {
        OUT(g, "(abs (");
        gen_signal(g, depth + 1);
        OUT(g, ") * 0.5)");
    } else if (r < 90) {
        OUT(g, "sine (mtof %d)", gen_int(g, 36, 84));
    } else {
        OUT(g, "(");
        gen_simple_chain(g);
        OUT(g, " # lpf %d)", gen_int(g, 3, 30) * 100);
    }
}

/* An instrument's body: oscillators at the voice's pitch, a filter, an envelope. No stereo effects
 * (the compiler refuses them in voices) and no delay (each voice would own a 4-second line). */
static void gen_instrument(Gen *g)
{
    if (gen_chance(g, 40)) {
        OUT(g, "(");
        gen_osc(g, true);
        OUT(g, " + ");
        gen_osc(g, true);
        OUT(g, " * 0.5)");
    } else {
        gen_osc(g, true);
    }
    if (gen_chance(g, 70)) {
        OUT(g, " # %s ", PICK(g, ((const char *const[]){ "lpf", "hpf", "bpf", "moog" })));
        gen_cutoff(g);
        OUT(g, " 0.%d", gen_int(g, 3, 9));
    }
    if (gen_chance(g, 50))
        OUT(g, " * %s", PICK(g, ((const char *const[]){ "perc 0.4", "adsr 0.01 0.2 0.6 0.3", "ar 0.02 0.2" })));
    if (gen_chance(g, 20)) OUT(g, " # distort 2 0.3");
}

static void gen_instrument_track(Gen *g)
{
    OUT(g, "s \"~i%d", soak_rng_below(g->r, g->ninst));
    OUT(g, "%s\"", PICK(g, ((const char *const[]){ "(3,8)", "*4", "(5,8,2)", " ~ ~", "*2 ~", "(3,17,1)" })));
    OUT(g, " # note ");
    gen_pattern(g, MK_NOTES);
    if (gen_chance(g, 60)) OUT(g, " # legato %s", PICK(g, ((const char *const[]){ "0.5", "0.9", "1", "2" })));
    if (gen_chance(g, 40)) OUT(g, " # pan \"0.2 0.8\"");
    if (gen_chance(g, 30)) {
        OUT(g, " $ ");
        g->heat = 1;
        gen_transform(g);
    }
    OUT(g, " # gain 0.%d", gen_int(g, 3, 8));
}

/* ---------------------------------------------------------------------------------------------
 * programs */

static void gen_tempo(Gen *g)
{
    switch (soak_rng_below(g->r, 3)) {
    case 0: OUT(g, "tempo: %g\n", gen_int(g, 3, 20) / 10.0); break;
    case 1: OUT(g, "cps: %g\n", gen_int(g, 2, 16) / 8.0); break;
    default: OUT(g, "bpm: %d\n", gen_int(g, 30, 120)); break;
    }
}

static void gen_track(Gen *g, int d)
{
    OUT(g, "%s%d $ ", gen_chance(g, 70) ? "~d" : "d", d);
    if (g->ninst > 0 && gen_chance(g, 35)) gen_instrument_track(g);
    else gen_chain(g);
    OUT(g, "\n");
}

void soak_gen_program(SoakRng *r, const SoakKit *kit, SoakText *out)
{
    soak_text_clear(out);
    Gen g = { r, out, kit, 0, false, false, 0 };
    OUT(&g, "-- generated\n");
    if (gen_chance(&g, 70)) gen_tempo(&g);
    if (gen_chance(&g, 30)) {
        g.lfo = true;
        OUT(&g, "~lfo: sine 0.%d * 0.5 + 1\n", gen_int(&g, 1, 9));
    }
    if (gen_chance(&g, 30)) {
        g.cut = true;
        OUT(&g, "~cut: sine 0.%d * 1000 + 1500\n", gen_int(&g, 1, 9));
    }
    int ninst = gen_chance(&g, 45) ? gen_int(&g, 1, 2) : 0;
    for (int i = 0; i < ninst; i++) {
        OUT(&g, "~i%d $ ", i);
        gen_instrument(&g);
        OUT(&g, "\n");
    }
    g.ninst = ninst;
    int ntracks = gen_int(&g, 1, 4);
    for (int d = 1; d <= ntracks; d++) gen_track(&g, d);
    if (gen_chance(&g, 25)) {
        OUT(&g, "out: (");
        gen_signal(&g, 0);
        OUT(&g, ") * 0.2\n");
    }
    if (gen_chance(&g, 5)) {
        OUT(&g, "~fb: ~fb * 0.5 + ~dry * 0.4\n~dry: s \"cp ~ ~ ~\"\n~d%d $ ~fb\n", ntracks + 1);
    }
}

void soak_gen_statement(SoakRng *r, const SoakKit *kit, SoakText *out)
{
    soak_text_clear(out);
    Gen g = { r, out, kit, 0, false, false, 0 };
    gen_track(&g, gen_int(&g, 1, 4));
}
