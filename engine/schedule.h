/* schedule.h — one block's schedule: pattern events become control-signal steps and voice starts.
 * Audio thread only: queries go into a preallocated EventBuf; nothing is allocated, locked or printed. */
#ifndef PHONON_SCHEDULE_H
#define PHONON_SCHEDULE_H

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
} SchedBlock;

/* What the scheduler reports back to the engine (counters and messages; all audio-path safe). */
typedef struct SchedSink {
    void (*unknown_sound)(void *ud, const Program *p, uint32_t sym);
    void (*event)(void *ud, const Program *p, int player, const Event *ev);   /* NULL: no event output */
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

#endif
