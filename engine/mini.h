/* mini.h — Tidal's mini-notation ("bd*2 [sn cp]", "<c'maj e4'min7>") parsed into a Pattern.
 * Runs off the audio path; every error gives the 1-based column inside the string and what was expected. */
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

typedef struct MiniError {
    int col;            /* 1-based column in the string where the problem is */
    char msg[200];      /* "expected ']' to close '[' at column 3" */
} MiniError;

/* NULL on error (err filled). The pattern's nodes live in arena a. */
Pattern *mini_parse(Arena *a, const char *src, int len, MiniType type, MiniError *err);

#endif
