/* mini.h — Tidal's mini-notation ("bd*2 [sn cp]", "<c'maj e4'min7>") parsed into a Pattern.
 * Runs off the audio path; every error gives the 1-based column inside the string and what was expected.
 * Never crashes or runs away on any bytes: the memory a parse takes grows with the string (no fixed
 * reservation per level), and every factor a string can write is held to a documented range below
 * (docs/PATTERNS.md, "Limits"), so that no literal can ask a query for unbounded work. */
#ifndef PHONON_MINI_H
#define PHONON_MINI_H

#include "arena.h"
#include "pattern.h"

/* The type of pattern the consumer wants, as Tidal types its string literals. */
typedef enum MiniType {
    MINI_WORDS,     /* Pattern String: s, vowel, unit. Words, `bd:3`, `~synth` instrument tokens. */
    MINI_NUMBERS,   /* Pattern Double: gain, speed, pan... (as Tidal parses Pattern Double) */
    MINI_NOTES,     /* Pattern Note: note, n, up. Note names (c5 = 0) and chords c'maj e4'min7'ii. */
    MINI_FREQ,      /* phonon: oscillator frequencies in Hz; note names and chords become Hz */
    MINI_TIME,      /* Pattern Time (rationals): fast, slow, early, late */
    MINI_INT,       /* Pattern Int: every, iter, ply, euclid arguments */
    MINI_BOOL,      /* Pattern Bool: struct, mask (t f 1 0, and x as true) */
    MINI_AUTO,      /* the conformance rule: no ASCII letter -> MINI_NUMBERS, else MINI_WORDS
                       with words that spell decimal numbers written as numbers */
} MiniType;

/* Limits; a string beyond one is an error at the column of the offending character. */
#define MINI_MAX_DEPTH 64           /* nested brackets, Euclid parentheses and chained factors */
#define MINI_MAX_STEPS 4096         /* steps of one sequence (or groups of one '.' sequence), `!` repeats included */
#define MINI_MAX_MEMBERS 256        /* members of one bracket: `[a, b]`, `[a | b]`, `<a, b>` */
#define MINI_MAX_FACTOR 10000       /* `*` `/` `%`: 0 or 1/10000 .. 10000 in size (as `fast`); a step's weight 0 .. 10000 */
#define MINI_MAX_REPEAT 1024        /* `!n`: n at most this */
#define MINI_MAX_EUCLID 1024        /* `(k,n,r)`: k and n at most this in size (the longest rhythm the engine plays) */
#define MINI_MAX_RANGE 256          /* values of one `a .. b` range (a patterned range is cut to this many) */
#define MINI_MAX_CHORD 32           /* notes of one chord */
#define MINI_MAX_NUMBER 1e9         /* every number, note and frequency: finite and at most this in size */
#define MINI_MAX_NUMBER_LEN 64      /* characters of one number as written */
#define MINI_MAX_EVENTS 10000       /* events (and steps walked, rests included) one cycle of a string may take */

typedef struct MiniError {
    int col;            /* 1-based column in the string where the problem is */
    char msg[200];      /* "expected ']' to close '[' at column 3" */
} MiniError;

/* NULL on error (err filled). The pattern's nodes live in arena a: a few dozen bytes per character of
 * src at most (tests/unit/test_mini_hostile.c bounds it); the parse's scratch is freed before it returns. */
Pattern *mini_parse(Arena *a, const char *src, int len, MiniType type, MiniError *err);

#endif
