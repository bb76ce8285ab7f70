/* value.h — what a pattern event carries: a number, a symbol (interned word) or a control map.
 * Symbols are interned off the audio path and read lock-free anywhere; values are 16 plain bytes. */
#ifndef PHONON_VALUE_H
#define PHONON_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"
#include "rational.h"

typedef enum ValType {
    VAL_NIL = 0,
    VAL_NUM,            /* num */
    VAL_SYM,            /* sym: an interned word ("bd", "bd:3", "~synth", "c4") */
    VAL_BOOL,           /* num is 0 or 1 (struct/mask patterns) */
    VAL_MAP,            /* map: a control map (event parameters) */
    VAL_RAT,            /* an exact rational (Tidal's Pattern Time): rnum / sym, den < 2^32 */
} ValType;

typedef struct ValMap ValMap;

typedef struct Value {
    uint8_t type;       /* ValType */
    uint8_t chord;      /* a note of a chord of this many notes (0 or 1: not a chord) */
    uint16_t spare;     /* mini-notation: the 1-based column of the atom that made the value (0:
                           none); `rot` orders events by it, as Tidal orders them by source position */
    uint32_t sym;       /* VAL_SYM */
    union {
        double num;     /* VAL_NUM, VAL_BOOL */
        const ValMap *map;  /* VAL_MAP */
        int64_t rnum;   /* VAL_RAT numerator; the denominator is in `sym` */
    };
} Value;

/* A control map: one value per parameter present in mask, stored in increasing bit order. */
struct ValMap {
    uint64_t mask;
    Value v[];
};

static inline Value val_num(double x) { Value v = { .type = VAL_NUM, .num = x }; return v; }
static inline Value val_bool(bool b) { Value v = { .type = VAL_BOOL, .num = b ? 1 : 0 }; return v; }
static inline Value val_sym(uint32_t s) { Value v = { .type = VAL_SYM, .sym = s }; return v; }
static inline Value val_map(const ValMap *m) { Value v = { .type = VAL_MAP, .map = m }; return v; }
/* An exact time value. A denominator that does not fit 32 bits becomes the nearest double (VAL_NUM). */
Value val_rat(Rat r);
/* The exact rational a value spells: VAL_RAT as is, a number as the exact value of its double (Tidal's
 * toRational), a symbol that spells a number likewise; anything else is 0. */
Rat val_to_rat(const Value *v);

static inline int valmap_count(const ValMap *m) { return __builtin_popcountll(m->mask); }
/* The value of parameter p in m, or NULL. */
static inline const Value *valmap_get(const ValMap *m, int p)
{
    uint64_t bit = 1ull << p;
    if (!(m->mask & bit)) return NULL;
    return &m->v[__builtin_popcountll(m->mask & (bit - 1))];
}
static inline size_t valmap_size(int count) { return sizeof(ValMap) + (size_t)count * sizeof(Value); }

/* --- symbols ---------------------------------------------------------------------
 * One process-wide table. sym_intern takes a lock (call it off the audio path);
 * sym_name and sym_info are lock-free and safe anywhere. Symbol 0 is the empty string. */
typedef struct SymInfo {
    const char *name;
    uint32_t base;      /* "bd:3" -> the symbol "bd"; a name without ':' is its own base */
    bool has_index;     /* "bd:3" -> true */
    double index;       /* "bd:3" -> 3 */
} SymInfo;

/* 0 (the empty symbol) when out of memory or when the table is full. */
uint32_t sym_intern(const char *name);
uint32_t sym_intern_len(const char *name, size_t len);
/* The id of name if it was interned before, else 0 (never allocates: safe on the audio path). */
uint32_t sym_find(const char *name);
const char *sym_name(uint32_t id);
const SymInfo *sym_info(uint32_t id);

/* Compare two values for ordering and equality (numbers numerically, symbols by name). */
int val_cmp(const Value *a, const Value *b);
/* Numeric view: numbers and bools as is, rationals as the nearest double, a symbol that spells a
 * number as that number, else NAN. */
double val_to_num(const Value *v);

#endif
