/* arena.h — a bump allocator for things that live exactly as long as their owner (a Program).
 * Allocates with malloc, so use it only off the audio path; everything is freed at once. */
#ifndef PHONON_ARENA_H
#define PHONON_ARENA_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;
    size_t used;            /* bytes handed out, for stats */
    size_t block;           /* size of its blocks (0: ARENA_BLOCK, 64 KB) */
} Arena;

void arena_init(Arena *a);
void *arena_alloc(Arena *a, size_t size);          /* zeroed, 16-byte aligned; NULL only when out of memory */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);                          /* frees every allocation; the arena can be reused */

/* An arena several owners hold (programs that share what one compile made: compile.c's statement cache).
 * The last unref frees it; refs are atomic, so owners on different threads may let go. */
typedef struct SharedArena {
    Arena arena;
    _Atomic int refs;
} SharedArena;

SharedArena *arena_shared_new(size_t block);        /* one ref; NULL only when out of memory */
void arena_shared_ref(SharedArena *s);
void arena_shared_unref(SharedArena *s);            /* NULL is fine */

#endif
