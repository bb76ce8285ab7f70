/* engine_bench.h — the engine's hooks for `phonon bench` (cli/bench_voices.c): held voices started by hand.
 * Not part of the public API (phonon.h); never used by hosts or on the audio path of a real host. */
#ifndef PHONON_ENGINE_BENCH_H
#define PHONON_ENGINE_BENCH_H

struct Phonon;
struct Instrument;
struct VoiceStart;
/* The current program's instrument i, and voices started by hand between two blocks. */
const struct Instrument *engine_bench_instrument(struct Phonon *ph, int i);
int engine_bench_start(struct Phonon *ph, const struct VoiceStart *vs, int n);
void engine_bench_pool_mode(struct Phonon *ph, int mode);     /* pool_set_mode */
/* The engine's Tidal receiver, made if need be (tests/unit/test_dirt*.c give it a clock of their own). */
struct Dirt *engine_dirt_for_tests(struct Phonon *ph);
/* How many statements the last program built compiled and how many it took from the statement cache
 * (compile.h), for the tests and the bench of live edits. */
void engine_bench_compile_counts(struct Phonon *ph, int *compiled, int *reused);

#endif
