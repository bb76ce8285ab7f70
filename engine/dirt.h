/* dirt.h — Tidal's way in: a SuperDirt-compatible OSC receiver (liblo, on a thread of its own), a bounded
 * lock-free queue of parsed events into the audio path, and the mapping of NTP timetags onto the engine's
 * frames (the wall clock against the audio clock, re-estimated every block so drift is followed).
 * The receiver thread parses, resolves sound names and may lock and allocate; dirt_block, on the audio
 * thread, never does: it only pops the queue, starts voices and sets orbit effects. */
#ifndef PHONON_DIRT_H
#define PHONON_DIRT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bank.h"
#include "orbit.h"
#include "program.h"
#include "schedule.h"
#include "voice.h"

#define DIRT_PORT 57120             /* SuperDirt's */

typedef struct DirtHost {
    Bank *bank;
    pthread_mutex_t *lock;          /* the engine's control lock: held while a name is looked up in the bank
                                       (roots are added under it) */
    void (*log)(void *ud, bool warning, const char *text);     /* called from the receiver thread */
    void *ud;
} DirtHost;

typedef struct DirtStats {
    long received;                  /* /dirt/play and /play2 messages accepted */
    long played;                    /* voices started from them */
    long late;                      /* started after their time (at once, at the block's first frame) */
    long malformed;                 /* packets and messages refused (bad OSC, odd pairs, keys not strings) */
    long dropped;                   /* events lost to a full queue */
    long unknown;                   /* events whose sound no bank, built-in or instrument has */
    double late_max;                /* seconds, the latest start so far */
    int port;                       /* listening on (0: not listening) */
} DirtStats;

typedef struct Dirt Dirt;

/* The wall clock the timetags are read against (seconds since 1970): CLOCK_REALTIME, as Tidal's. */
typedef double (*DirtClock)(void *ud);

Dirt *dirt_new(const DirtHost *host, double sr);       /* NULL when out of memory */
void dirt_free(Dirt *d);                                /* stops the receiver first */
/* Listen on addr (NULL: 127.0.0.1; "0.0.0.0": every interface) at port; port 0 stops listening. 0, or -1
 * with err filled (the port is taken, a bad address). Control side (not the audio thread). */
int dirt_listen(Dirt *d, const char *addr, int port, char *err, int errlen);
/* Seconds between the block being computed and its being heard (the host's output latency): events are
 * placed that much earlier. */
void dirt_set_latency(Dirt *d, double seconds);
/* Frames the engine's clock runs before its output (the limiter's look-ahead): a frame computed now is
 * heard that much later again (any thread). */
void dirt_set_ahead(Dirt *d, int frames);
void dirt_set_clock(Dirt *d, DirtClock clock, void *ud);   /* tests: a clock of their own */
/* A new sample rate (phonon_set_format, while no block runs): the clock is estimated afresh. */
void dirt_set_rate(Dirt *d, double sr);
void dirt_stats(Dirt *d, DirtStats *st);
/* The wall-clock time at which frame will be heard, by the current estimate (any thread; NAN before the
 * first block). */
double dirt_frame_time(Dirt *d, int64_t frame);

/* Audio thread, once per block before the voices render: the block starts at engine frame `frame` and
 * lasts b->n frames. Starts the events due in it (voices summed into player player0 + orbit, the cut
 * groups per orbit as in SuperDirt); instruments (`~name`) are looked up in p. */
void dirt_block(Dirt *d, int64_t frame, const SchedBlock *b, const Program *p, int player0, VoicePool *vp,
                Orbits *o, SchedSink *sink);

#endif
