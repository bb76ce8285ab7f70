/* params.h — the event parameters (SuperDirt's names): ids, names, aliases and defaults.
 * A control map holds at most one value per id; ids fit a 64-bit mask. Tables only, no state. */
#ifndef PHONON_PARAMS_H
#define PHONON_PARAMS_H

#include <stdbool.h>

typedef enum Param {
    P_S = 0,        /* sound: bank, built-in or ~instrument (a symbol) */
    P_N,            /* sample index; for instruments the note when `note` is absent */
    P_NOTE,         /* semitones: rate x 2^(note/12); instrument pitch, 0 = c5 = MIDI 60 */
    P_SPEED,        /* playback-rate factor; negative plays backwards */
    P_ACCELERATE,   /* rate glides from speed to speed*(1+accelerate) over the voice */
    P_GAIN,         /* linear gain (phonon's decision; SuperDirt's is gain^4) */
    P_PAN,          /* 0..1, 0.5 centre, equal power */
    P_BEGIN,        /* 0..1 of the file */
    P_END,
    P_LEGATO,       /* voice length in event lengths */
    P_SUSTAIN,      /* voice length in seconds */
    P_CUT,          /* cut group: a new voice stops older voices of the group (negative: same sample only) */
    P_LOOP,         /* play the region this many times */
    P_ATTACK,       /* seconds */
    P_HOLD,
    P_RELEASE,
    P_CUTOFF,       /* per-voice resonant low-pass, Hz */
    P_RESONANCE,    /* 0..1 */
    P_HCUTOFF,      /* per-voice resonant high-pass, Hz */
    P_HRESONANCE,
    P_BANDF,        /* per-voice band-pass centre, Hz */
    P_BANDQ,
    P_SHAPE,        /* 0..<1 soft-clip amount */
    P_COARSE,       /* sample-and-hold downsampling factor */
    P_CRUSH,        /* bit depth, lower is harsher */
    P_VOWEL,        /* a e i o u formant filter (a symbol) */
    P_ORBIT,
    P_UNIT,         /* "r" rate (default), "c" cycles, "s" seconds (a symbol) */
    P_VELOCITY,     /* multiplies gain */
    P_AMP,          /* multiplies gain */
    P_OCTAVE,       /* default 5: (octave-5)*12 added to note */
    P_FREQ,         /* instrument pitch in Hz, overrides note */
    P_MIDINOTE,     /* instrument pitch as MIDI note, overrides note */
    P_DJF,          /* DJ filter 0..1: low-pass below 0.5, high-pass above, open at 0.5 */
    P_COUNT,        /* the language's parameters end here; the rest only come over OSC (dirt.c) */
    /* SuperDirt's orbit-global effects and gain terms (docs/TIDAL.md): an event sets its orbit's
       reverb and delay, the last event winning; overgain goes into the gain curve; nudge was already
       added to the timetag by Tidal. room ... lock are language names too (param_is_orbit_fx); `delay`
       with one value on a chain is SuperDirt's send, with more it is the language's echo function. */
    P_ROOM = P_COUNT, /* reverb send 0..1 */
    P_SIZE,         /* reverb feedback 0..1 */
    P_DRY,          /* 1 - dry scales the reverb's output */
    P_DELAY,        /* delay output level */
    P_DELAYTIME,    /* seconds (cycles with lock 1), at most 4 */
    P_DELAYFEEDBACK,
    P_LOCK,         /* 1: delaytime counts cycles */
    P_OVERGAIN,     /* added to gain (after its cap of 2) before the 4th power */
    P_NUDGE,        /* seconds; Tidal adds it to the timetag itself, so the receiver ignores it */
    P_ALL
} Param;

typedef enum ParamType { PT_NUM, PT_SYM } ParamType;

typedef struct ParamInfo {
    const char *name;
    ParamType type;
    double def;             /* the value when an event does not set it */
} ParamInfo;

extern const ParamInfo param_info[P_ALL];

/* The id for a name or alias of the language ("sound" -> P_S, "up" -> P_NOTE, "ctf" -> P_CUTOFF,
 * "room" -> P_ROOM), or -1. */
int param_lookup(const char *name);
/* The orbit-global effect parameters (room size dry delay delaytime delayfeedback lock): an event that
 * has one of them, or `orbit`, plays on an orbit (orbit.h). */
bool param_is_orbit_fx(int p);
/* The parameters the language knows: those below P_COUNT and the orbit effects. */
bool param_in_language(int p);
/* The same for a key of an OSC event: every id below P_ALL, and the names Tidal users type on top of
 * the language's aliases ("lpf" -> P_CUTOFF, "sz" -> P_SIZE, "dfb" -> P_DELAYFEEDBACK), or -1. */
int param_lookup_dirt(const char *name);
static inline const char *param_name(Param p) { return param_info[p].name; }

#endif
