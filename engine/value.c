/* value.c — the symbol table and value helpers.
 * Symbols live in fixed chunks that never move, so a reader holding an id needs no lock. */
#include "value.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SYM_CHUNK_BITS 10
#define SYM_CHUNK (1u << SYM_CHUNK_BITS)
#define SYM_MAX_CHUNKS 4096            /* four million symbols */
#define SYM_HASH_BITS 16

typedef struct SymEntry {
    SymInfo info;
    uint32_t hash;
    _Atomic uint32_t next;             /* next id in the same hash bucket, 0 ends */
} SymEntry;

static _Atomic(SymEntry *) sym_chunks[SYM_MAX_CHUNKS];
static _Atomic uint32_t sym_count;
static _Atomic uint32_t sym_buckets[1u << SYM_HASH_BITS];
static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t sym_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;              /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static SymEntry *sym_entry(uint32_t id)
{
    SymEntry *chunk = atomic_load_explicit(&sym_chunks[id >> SYM_CHUNK_BITS], memory_order_acquire);
    return &chunk[id & (SYM_CHUNK - 1)];
}

static uint32_t sym_lookup(const char *s, size_t len, uint32_t h)
{
    uint32_t id = atomic_load_explicit(&sym_buckets[h & ((1u << SYM_HASH_BITS) - 1)], memory_order_acquire);
    while (id) {
        SymEntry *e = sym_entry(id);
        if (e->hash == h && strncmp(e->info.name, s, len) == 0 && e->info.name[len] == 0) return id;
        id = atomic_load_explicit(&e->next, memory_order_acquire);
    }
    return 0;
}

/* "bd:3" splits into base "bd" and index 3, as Tidal's `s` does; "bd:" or "bd:x" keep no index.
 * Called before the entry is created, so the base is interned first and the lock never nests. */
static SymInfo sym_split(const char *s, size_t len)
{
    SymInfo info = { NULL, 0, false, 0 };
    const char *colon = memchr(s, ':', len);
    if (!colon || colon == s || colon == s + len - 1) return info;
    char buf[64];
    size_t tail = len - (size_t)(colon + 1 - s);
    if (tail >= sizeof buf) return info;
    memcpy(buf, colon + 1, tail);
    buf[tail] = 0;
    char *end;
    double x = strtod(buf, &end);
    if (*end != 0) return info;
    info.has_index = true;
    info.index = x;
    info.base = sym_intern_len(s, (size_t)(colon - s));
    return info;
}

uint32_t sym_intern_len(const char *s, size_t len)
{
    uint32_t h = sym_hash(s, len);
    uint32_t id = sym_lookup(s, len, h);
    if (id || len == 0) return id;
    SymInfo split = sym_split(s, len);
    pthread_mutex_lock(&sym_lock);
    id = sym_lookup(s, len, h);
    if (!id) {
        uint32_t n = atomic_load_explicit(&sym_count, memory_order_relaxed);
        if (n == 0) n = 1;                 /* id 0 is the empty symbol */
        uint32_t c = n >> SYM_CHUNK_BITS;
        if (c >= SYM_MAX_CHUNKS) {
            pthread_mutex_unlock(&sym_lock);
            return 0;
        }
        if (!atomic_load_explicit(&sym_chunks[c], memory_order_relaxed))
            atomic_store_explicit(&sym_chunks[c], calloc(SYM_CHUNK, sizeof(SymEntry)), memory_order_release);
        char *copy = atomic_load_explicit(&sym_chunks[c], memory_order_relaxed) ? malloc(len + 1) : NULL;
        if (!copy) {                       /* out of memory: the empty symbol, which names nothing */
            pthread_mutex_unlock(&sym_lock);
            return 0;
        }
        SymEntry *e = sym_entry(n);
        memcpy(copy, s, len);
        copy[len] = 0;
        e->info = split;
        e->info.name = copy;
        if (!split.has_index) e->info.base = n;
        e->hash = h;
        _Atomic uint32_t *bucket = &sym_buckets[h & ((1u << SYM_HASH_BITS) - 1)];
        atomic_store_explicit(&e->next, atomic_load_explicit(bucket, memory_order_relaxed), memory_order_relaxed);
        atomic_store_explicit(&sym_count, n + 1, memory_order_release);
        atomic_store_explicit(bucket, n, memory_order_release);
        id = n;
    }
    pthread_mutex_unlock(&sym_lock);
    return id;
}

uint32_t sym_intern(const char *name) { return sym_intern_len(name, strlen(name)); }

uint32_t sym_find(const char *name)
{
    size_t len = strlen(name);
    return sym_lookup(name, len, sym_hash(name, len));
}

static const SymInfo sym_empty = { "", 0, false, 0 };

const SymInfo *sym_info(uint32_t id)
{
    if (id == 0 || id >= atomic_load_explicit(&sym_count, memory_order_acquire)) return &sym_empty;
    return &sym_entry(id)->info;
}

const char *sym_name(uint32_t id) { return sym_info(id)->name; }

Value val_rat(Rat r)
{
    if (r.den > 0 && (uint64_t)r.den <= UINT32_MAX) {
        Value v = { .type = VAL_RAT, .sym = (uint32_t)r.den, .rnum = r.num };
        return v;
    }
    return val_num(rat_to_double(r));
}

Rat val_to_rat(const Value *v)
{
    switch (v->type) {
    case VAL_RAT: return rat_make(v->rnum, (int64_t)v->sym);
    case VAL_NUM:
    case VAL_BOOL: return rat_from_double_exact(v->num);
    case VAL_SYM: {
        Rat r;
        const char *s = sym_name(v->sym);
        return rat_parse(s, -1, &r) ? r : rat_from_double_exact(strtod(s, NULL));   /* too long: rounded */
    }
    default: return rat_int(0);
    }
}

double val_to_num(const Value *v)
{
    switch (v->type) {
    case VAL_NUM:
    case VAL_BOOL: return v->num;
    case VAL_RAT: return rat_to_double(rat_make(v->rnum, (int64_t)v->sym));
    case VAL_SYM: {
        const char *s = sym_name(v->sym), *end;
        double x = strtod(s, (char **)&end);
        return (end != s && *end == 0) ? x : NAN;
    }
    default: return NAN;
    }
}

int val_cmp(const Value *a, const Value *b)
{
    if (a->type != b->type) return a->type < b->type ? -1 : 1;
    switch (a->type) {
    case VAL_NUM:
    case VAL_BOOL: return (a->num > b->num) - (a->num < b->num);
    case VAL_SYM: return a->sym == b->sym ? 0 : strcmp(sym_name(a->sym), sym_name(b->sym));
    case VAL_RAT: return rat_cmp(rat_make(a->rnum, (int64_t)a->sym), rat_make(b->rnum, (int64_t)b->sym));
    case VAL_MAP: {
        if (a->map->mask != b->map->mask) return a->map->mask < b->map->mask ? -1 : 1;
        int n = valmap_count(a->map);
        for (int i = 0; i < n; i++) {
            int c = val_cmp(&a->map->v[i], &b->map->v[i]);
            if (c) return c;
        }
        return 0;
    }
    default: return 0;
    }
}
