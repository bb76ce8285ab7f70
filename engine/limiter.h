/* limiter.h — the master stage: a stereo-linked look-ahead peak limiter that keeps every output sample
 * (and, estimated by 4x oversampling, the true peaks between samples) at or below LIMITER_CEILING.
 * Below the ceiling it passes the mix through exactly, only delayed. Audio path: limiter_frame never
 * allocates, locks or logs; limiter_new allocates (call it off the audio path). */
#ifndef PHONON_LIMITER_H
#define PHONON_LIMITER_H

#define LIMITER_CEILING 0.944061f        /* -0.5 dBFS */
#define LIMITER_LOOKAHEAD 0.002          /* seconds: the attack, and the delay it adds, when asked for */
#define LIMITER_RELEASE 0.3             /* seconds: time constant of the gain's recovery */

typedef struct Limiter Limiter;

/* lookahead in seconds (LIMITER_LOOKAHEAD, or 0: no delay, the gain drops at once on the frame that
 * needs it and recovers smoothly; transparent and exact below the ceiling either way). */
Limiter *limiter_new(double sr, double lookahead);
void limiter_free(Limiter *lm);
/* The delay in frames between a frame going in and coming out. */
int limiter_latency(const Limiter *lm);
/* One stereo frame in, the frame limiter_latency() frames earlier out (in place). Non-finite input
 * must be replaced by the caller before (the engine counts it). */
void limiter_frame(Limiter *lm, float *l, float *r);
/* The gain the frame limiter_frame last put out was given: exactly 1 when the limiter left it alone,
 * below 1 while it is turning the mix down (the engine's statistics count those frames). */
float limiter_gain(const Limiter *lm);

#endif
