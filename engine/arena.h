/* arena.h — a bump allocator for things that live exactly as long as their owner (a Program).
 * Allocates with malloc, so use it only off the audio path; everything is freed at once. */
#ifndef PHONON_ARENA_H
#define PHONON_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;
    size_t used;            /* bytes handed out, for stats */
} Arena;

void arena_init(Arena *a);
void *arena_alloc(Arena *a, size_t size);          /* zeroed, 16-byte aligned; NULL only when out of memory */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);                          /* frees every allocation; the arena can be reused */

#endif
