/* orbit.h — SuperDirt's orbits inside the engine: per orbit a stereo bus the voices of its OSC events sum
 * into, and the orbit's global effects (reverb room/size/dry, delay delay/delaytime/delayfeedback/lock),
 * set by the last event that played on it. Orbit n goes to outputs 2n+1/2n+2 when the engine has them,
 * else into the main pair. Audio thread only after orbit_new: no allocation, no lock, no I/O. */
#ifndef PHONON_ORBIT_H
#define PHONON_ORBIT_H

#include <stdbool.h>
#include <stddef.h>

#define ORBIT_COUNT 12          /* SuperDirt's default startup makes 12 */

/* One orbit's effect settings, as an event sets them (SuperDirt's names and units). */
typedef struct OrbitFx {
    float room, size, dry;                      /* reverb: send, feedback 0..1, 1 - dry scales the wet */
    float delay, delaytime, delayfeedback;      /* delay: output level, seconds (cycles with lock), feedback */
    bool lock;
} OrbitFx;

typedef struct Orbits Orbits;

Orbits *orbit_new(double sr, int max_block);    /* control thread; NULL when out of memory */
void orbit_free(Orbits *o);

/* The orbit an event's `orbit` value names (wrapped into 0..ORBIT_COUNT-1, as SuperDirt wraps it). */
int orbit_index(double orbit);
/* An event on orbit k sets its effects (the last one wins for the whole orbit). cps: for lock. */
void orbit_set(Orbits *o, int k, const OrbitFx *fx, double cps);
/* Orbit k's bus: 2 * max_block floats, frame-major stereo, that its voices are summed into. */
float *orbit_bus(Orbits *o, int k);
/* After the voices have been rendered into the buses: each orbit adds its effects; those without an
 * output pair of their own are added into mix (frame-major stereo), the others are kept for orbit_outs.
 * An orbit silent for 4 s with its tails gone sleeps (no work) until a sound or an event wakes it. */
void orbit_process(Orbits *o, float *mix, int nouts, int n);
/* Add the orbits that have an output pair of their own into the engine's channels after the stereo pair
 * (chans: output 3 first, stride floats apart; nouts counts the pair too), before the engine's output
 * stage delays them with the rest. */
void orbit_outs(Orbits *o, float *chans, size_t stride, int nouts, int n);
/* Whether orbit k would be processed now (for tests: an idle orbit sleeps). */
bool orbit_awake(const Orbits *o, int k);

#endif
