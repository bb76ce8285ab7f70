/* schedule.h — one block's schedule: pattern events become control-signal steps and voice starts.
 * Audio thread only: queries go into a preallocated EventBuf; nothing is allocated, locked or printed. */
#ifndef PHONON_SCHEDULE_H
#define PHONON_SCHEDULE_H

#include "orbit.h"
#include "pattern.h"
#include "program.h"
#include "voice.h"

/* Where a block lies in time. */
typedef struct SchedBlock {
    Rat c0, c1;                 /* the block covers cycles [c0, c1) */
    Rat fpc;                    /* frames per cycle: sr / cps */
    double fpc_d;
    double cps;
    double sr;
    int n;                      /* frames */
    int64_t frame;              /* the engine's frame count at the block's first frame (chord phases) */
} SchedBlock;

/* What the scheduler reports back to the engine (counters and messages; all audio-path safe). */
typedef struct SchedSink {
    void (*unknown_sound)(void *ud, const Program *p, uint32_t sym);
    void (*event)(void *ud, const Program *p, int player, const Event *ev);   /* NULL: no event output */
    /* An onset whose event names `orbit` or an orbit effect (NULL: orbits are not made): the host sets the
       orbit's effects and returns the player whose buffer the voice sums into. frame: the onset in the block. */
    int (*orbit)(void *ud, const Program *p, int player, const ValMap *m, double frame, double cps);
    void *ud;
    long late;                  /* voices skipped: sample not decoded yet */
    long overflow;              /* queries that lost events to a limit (buffer, steps, depth), and
                                   voice starts dropped for want of `onsets` */
    long onsets;                /* voice starts this block may still make (the engine's budget) */
} SchedSink;

/* Query p over the block, split at cycle edges; appends to eb. */
void schedule_query(const Pattern *p, const SchedBlock *b, EventBuf *eb, const QueryEnv *env);
/* Fractional frame (from the block start) of time t. */
double schedule_frame(const SchedBlock *b, Rat t);

/* Fill every control signal of p for this block (step functions, held through rests). */
void schedule_ctrls(Program *p, const SchedBlock *b, EventBuf *eb, const QueryEnv *env, SchedSink *sink);
/* Start the voices of player `player` whose events begin in this block. */
void schedule_player(Program *p, int player, const SchedBlock *b, EventBuf *eb, const QueryEnv *env,
                  VoicePool *vp, SchedSink *sink);

/* Whether an event plays on an orbit (it names `orbit` or an orbit effect), and which, with the effect
 * settings it gives its orbit (SuperDirt's defaults for those it does not name). */
bool schedule_on_orbit(const ValMap *m);
void schedule_orbit_fx(const ValMap *m, int *orbit, OrbitFx *fx);

/* Start one voice of sound s (a bank or an instrument) for the control map m at fractional frame x of
 * the block (clamped into it), summed into player `player`. chord: the notes of the chord the event is a
 * note of (its Value.chord; 0 or 1: a single note), for the chord's gain and start phases. index: the sample number when m has no `n`
 * ("bd:3"); delta: the event's length in seconds (legato). Pattern onsets and OSC events (dirt.c) both
 * start their voices here, so a sound means the same whichever way it came. false: not started (the
 * sample is not decoded yet: counted late in sink; or the pool refused it). */
bool schedule_start(const ValMap *m, int chord, const SoundRef *s, double index, double delta, double x, int player,
                    const SchedBlock *b, VoicePool *vp, SchedSink *sink);

#endif
