/* arena.c — chained blocks; large requests get a block of their own. */
#include "arena.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK (64 * 1024)

void arena_init(Arena *a) { a->head = NULL; a->used = 0; a->block = 0; }

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    ArenaBlock *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t blk = a->block ? a->block : ARENA_BLOCK;
        size_t cap = size > blk / 4 ? size : blk;
        b = malloc(sizeof(ArenaBlock) + cap);
        if (!b) return NULL;
        b->size = cap;
        b->used = 0;
        if (cap == size && a->head) {       /* a big one: keep filling the current small block */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (d) { memcpy(d, s, n); d[n] = 0; }
    return d;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->used = 0;
}

SharedArena *arena_shared_new(size_t block)
{
    SharedArena *s = malloc(sizeof *s);
    if (!s) return NULL;
    arena_init(&s->arena);
    s->arena.block = block;
    atomic_init(&s->refs, 1);
    return s;
}

void arena_shared_ref(SharedArena *s) { atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed); }

void arena_shared_unref(SharedArena *s)
{
    if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    arena_free(&s->arena);
    free(s);
}
