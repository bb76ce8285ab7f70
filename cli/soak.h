/* soak.h — `phonon soak`: hours of audio rendered as fast as the machine allows through phonon.h,
 * while programs, tempo, thread count and sample folders change under it (soak.c), and the seeded
 * generator of random valid programs it plays (soak_gen.c). Command-line only: never on an audio path
 * of a host, never used by the engine. */
#ifndef PHONON_SOAK_H
#define PHONON_SOAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* argv[0] is "soak". Returns the process exit status (0: every check passed). */
int soak_main(int argc, char **argv);

/* A small seeded generator (splitmix64): the same seed gives the same programs on every machine. */
typedef struct SoakRng {
    uint64_t s;
} SoakRng;

uint64_t soak_rng_next(SoakRng *r);
int soak_rng_below(SoakRng *r, int n);          /* 0 .. n-1 (0 when n <= 0) */
bool soak_rng_chance(SoakRng *r, int percent);

/* A growing string; `oom` is set (and the text left as it was) when memory runs out. */
typedef struct SoakText {
    char *s;
    size_t len, cap;
    bool oom;
} SoakText;

void soak_text_printf(SoakText *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void soak_text_clear(SoakText *t);
void soak_text_free(SoakText *t);

/* What generated programs may name: sample folders the soak has added (folder k holds the sounds
 * "skK" and "skKb"). */
typedef struct SoakKit {
    int nfolders;
} SoakKit;

/* A whole random program that compiles: tempo, buses, instruments, tracks and an output, over
 * mini-notation, transforms, parameters and signals, every factor kept small so that it plays in
 * real time. Replaces the text of out. */
void soak_gen_program(SoakRng *r, const SoakKit *kit, SoakText *out);
/* One random track statement (`~dN $ ...`, N in 1..4) for phonon_eval_statements. */
void soak_gen_statement(SoakRng *r, const SoakKit *kit, SoakText *out);

#endif
