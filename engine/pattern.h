/* pattern.h — Tidal's pattern model: a pattern answers a query arc with events (exact whole and part arcs).
 * Patterns are immutable trees built off the audio path (in an Arena); pattern_query never allocates. */
#ifndef PHONON_PATTERN_H
#define PHONON_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "params.h"
#include "rational.h"
#include "value.h"

typedef struct Pattern Pattern;

typedef struct Event {
    Arc whole;          /* valid when has_whole; continuous (analog) events have none */
    Arc part;           /* the fragment of whole inside the query */
    bool has_whole;
    Value value;
} Event;

/* Where query results go: a fixed-capacity array of events plus room for the control maps they
 * carry. Sized off the audio path; when full, further events are dropped and `overflow` is set. */
typedef struct EventBuf {
    Event *ev;
    int len, cap;
    unsigned char *mem;         /* ValMap storage for events made during queries */
    size_t mem_used, mem_cap;
    bool overflow;
} EventBuf;

bool eventbuf_init(EventBuf *b, int cap, size_t mem_cap);   /* allocates */
void eventbuf_free(EventBuf *b);
static inline void eventbuf_clear(EventBuf *b) { b->len = 0; b->mem_used = 0; b->overflow = false; }

/* --- limits (docs/PATTERNS.md, "Limits: work per block and factors") ---------------------------
 * Whatever a program says, a query does bounded work: every node it enters, every cycle piece it
 * walks and every event it makes is a step; a query stops (its results so far kept, `overflow` set)
 * when it runs out of steps or nests deeper than PATTERN_MAX_DEPTH, or when its buffer is full. */
#define PATTERN_MAX_DEPTH 200           /* nested nodes a query may enter (bounds the C stack) */
#define PATTERN_QUERY_STEPS (1L << 22)  /* steps one query may take when no budget is given */
#define PATTERN_STEPS_PER_SECOND 1000000L   /* what the engine's queries may take per second of audio */
#define PATTERN_STEPS_BURST (1L << 18)  /* the most the engine's budget saves up (a cycle's query) */

/* The steps the queries of many calls share (the engine: one budget refilled every block), and
 * what they did: a deterministic measure of pattern work, and what the limits took away. */
typedef struct QueryBudget {
    long left;          /* steps the next queries may take (pattern_query lowers it) */
    long used;          /* steps taken, in total */
    long cut;           /* queries that stopped early: out of steps, too deep, buffer full */
    long clamped;       /* factors found beyond their range while querying (and clamped) */
    long deep;          /* queries (of those cut) that nested deeper than PATTERN_MAX_DEPTH */
} QueryBudget;

/* Hold back all but a 1/ways share of what is left, for the queries after the next one (players
 * share a block's steps: a dense one cannot starve the rest); give it back with query_budget_release. */
static inline long query_budget_hold(QueryBudget *b, int ways)
{
    if (!b || ways <= 1 || b->left <= 0) return 0;
    long keep = b->left - b->left / ways;
    b->left -= keep;
    return keep;
}
static inline void query_budget_release(QueryBudget *b, long keep)
{
    if (b) b->left += keep;
}

/* What a query may consult besides time: values of engine signals sampled at a time (for
 * `# speed ~lfo`: pattern_signal_ext). NULL env or callback reads 0. With a budget, the query takes
 * at most min(PATTERN_QUERY_STEPS, budget->left) steps and books what it did there. */
typedef struct QueryEnv {
    double (*signal_at)(void *ud, int id, Rat t);
    void *ud;
    QueryBudget *budget;
    /* the value in force for a host control slot (phonon_set_control), def when none is set: read by
       pattern_control. NULL reads def. */
    double (*control)(void *ud, int slot, double def);
} QueryEnv;

/* Append the events of p over arc to out; returns how many were appended (order unspecified).
 * Audio-path safe: no allocation, bounded by the buffer and the step limits above. */
int pattern_query(const Pattern *p, Arc arc, EventBuf *out, const QueryEnv *env);

/* --- construction (off the audio path; nodes live in the arena) ------------------------------ */
Pattern *pattern_silence(Arena *a);
bool pattern_is_pure(const Pattern *p);                             /* one value, every cycle */
Pattern *pattern_pure(Arena *a, Value v);
Pattern *pattern_stack(Arena *a, Pattern *const *ps, int n);
Pattern *pattern_fastcat(Arena *a, Pattern *const *ps, int n);     /* Tidal fastcat / sequence */
Pattern *pattern_slowcat(Arena *a, Pattern *const *ps, int n);     /* Tidal cat / slowcat */
/* Wrap each value v into the control map {key: v}. For P_S a word "bd:3" becomes {s: bd, n: 3}. */
Pattern *pattern_to_map(Arena *a, Pattern *p, Param key);
/* A continuous pattern whose value at a query is env->signal_at(id, query begin). */
Pattern *pattern_signal_ext(Arena *a, int id);
/* A number the host may change while the pattern plays (`fast ~n` with `set ~n 3`): one event a cycle,
 * like pattern_pure, whose value is env->control(slot, def) when queried, as a number, an exact time
 * (the nearest fraction with a denominator of at most 1000: a host may send a float32, and 0.7 must be 7/10) or a boolean. */
typedef enum ControlAs { CONTROL_NUM, CONTROL_TIME, CONTROL_BOOL } ControlAs;
Pattern *pattern_control(Arena *a, int slot, double def, ControlAs as);


/* Binary operations with Tidal's structure rules.
 * Numbers: arithmetic. Maps: the union; on keys both sides have, numeric ops combine the values
 * and OP_KEEP_RIGHT / OP_KEEP_LEFT pick a side (`#` is OP_KEEP_RIGHT with STRUCT_LEFT). */
typedef enum PatOp { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW, OP_KEEP_RIGHT, OP_KEEP_LEFT,
                     OP_APPEND /* |++: words joined (pattern_join_prepare first); other values keep the left */ } PatOp;

/* Word joins (pattern_join.c). The words a join can make must be interned before a query meets
 * them: pattern_join_prepare interns each l[i] ++ r[j] (into out[] when not NULL) and returns how
 * many, -1 when there would be more than max, -2 when one cannot be made (longer than
 * PATTERN_JOIN_MAX_LEN - 1 bytes, or out of memory). pattern_join_word finds l ++ r during a query
 * (0 when it was not prepared: the join then keeps the left word). */
#define PATTERN_JOIN_MAX_LEN 256
#define PATTERN_JOIN_MAX 4096           /* joined words one join of a program may make */
int pattern_join_prepare(const uint32_t *l, int nl, const uint32_t *r, int nr, uint32_t *out, int max);
uint32_t pattern_join_word(uint32_t l, uint32_t r);
/* Each word of mini-notation text s[0..n) by the mini-notation's word rule, with its offset. */
void pattern_words_each(const char *s, size_t n, void (*fn)(void *ud, const char *w, size_t len, size_t at), void *ud);
typedef enum PatStruct {
    STRUCT_BOTH,        /* `+`, `|+|`: events where both sides overlap */
    STRUCT_LEFT,        /* `|+`, `#`: structure from the left */
    STRUCT_RIGHT,       /* `+|` */
    STRUCT_SQUEEZE,     /* `||+`: right side squeezed into each left event */
} PatStruct;
Pattern *pattern_op(Arena *a, PatOp op, PatStruct st, Pattern *l, Pattern *r);

/* Tidal's elementary functions. The patterned ones (a Pattern argument) split their queries per
 * cycle of the argument exactly as Tidal's tParam does; the _const ones are Tidal's _fast etc. */
Pattern *pattern_fast(Arena *a, Pattern *factor, Pattern *in);          /* fast "<1 2>" */
Pattern *pattern_slow(Arena *a, Pattern *factor, Pattern *in);
Pattern *pattern_early(Arena *a, Pattern *t, Pattern *in);              /* t <~ p */
Pattern *pattern_late(Arena *a, Pattern *t, Pattern *in);               /* t ~> p */
Pattern *pattern_fast_const(Arena *a, Rat r, Pattern *in);
Pattern *pattern_shift_const(Arena *a, Rat t, Pattern *in);             /* rotL t */
Pattern *pattern_rev(Arena *a, Pattern *in);
Pattern *pattern_compress(Arena *a, Rat b, Rat e, Pattern *in);         /* each cycle into [b, e) */
Pattern *pattern_zoom(Arena *a, Rat b, Rat e, Pattern *in);             /* [b, e) of each cycle, stretched */
Pattern *pattern_timecat(Arena *a, const Rat *weights, Pattern *const *ps, int n);
Pattern *pattern_struct(Arena *a, Pattern *bools, Pattern *in);
Pattern *pattern_mask(Arena *a, Pattern *bools, Pattern *in);
/* v `op` k for every value v (k `op` v when !value_left); the structure is unchanged. */
Pattern *pattern_fmap_op(Arena *a, PatOp op, Value k, Pattern *in, bool value_left);

/* Continuous signals: saw isaw tri square sine cosine rand envL envR (no whole; valued at the
 * middle of the query). NULL for an unknown name. */
Pattern *pattern_signal(Arena *a, const char *name);
Pattern *pattern_irand(Arena *a, Pattern *n);                           /* floor (rand * n) */
Pattern *pattern_run(Arena *a, Pattern *n);      /* run "<4 8>": 0 .. n-1 in each cycle */
Pattern *pattern_scan(Arena *a, Pattern *n);     /* scan 4: run 1, run 2, ... run n, one per cycle */

/* Randomness, bit-exact with Tidal 1.7 (tests/conformance/README.md, "Randomness"). */
Pattern *pattern_degrade_seeded(Arena *a, int64_t seed, double amount, Pattern *in); /* mini `?` */
Pattern *pattern_degrade_by(Arena *a, Pattern *amount, Pattern *in);
Pattern *pattern_undegrade_by(Arena *a, Pattern *amount, Pattern *in);
Pattern *pattern_choose_cycle(Arena *a, int64_t seed, Pattern *const *ps, int n);   /* mini `|` */
/* Tidal's Bjorklund rhythm for k pulses in n steps: the steps (true = pulse) into bits[0..max);
 * returns how many, or -1 when more than max. */
int pattern_bjorklund(int k, int n, bool *bits, int max);

/* --- functions as values (transform arguments such as `every 3 (fast 2)`) -------------------
 * A PatternFn builds f(in) as a new tree; embed it as the first member of a closure struct. */
typedef struct PatternFn PatternFn;
struct PatternFn {
    Pattern *(*apply)(const PatternFn *self, Arena *a, Pattern *in);
};

/* --- the transform library: name -> builder with typed arguments ---------------------------- */
typedef enum TArgKind {
    TA_TIME,            /* pattern of rationals (fast, slow, early, off's shift, swingBy's amount) */
    TA_NUM,             /* pattern of numbers (degradeBy, range, sometimesBy's probability) */
    TA_INT,             /* pattern of integers (every, iter, ply, chop, euclid, segment) */
    TA_BOOL,            /* pattern of booleans (struct, mask, while) */
    TA_ANY,             /* a pattern of the same kind as the input (stack, cat, superimpose members) */
    TA_FN,              /* a function pattern -> pattern */
    TA_RAT,             /* a plain time, not a pattern in Tidal (zoom, compress, within, rotL, rotR,
                           echo): a pure pattern of the exact value, as a number literal spells it */
    TA_WORDS,           /* a pattern of words (arp's modes: "<up down>") */
    TA_VALUE,           /* a plain value, a number or a word (choose's items): a pure pattern of it */
    TA_LIST,            /* a Haskell list: `items`, each a tuple of the kinds TransformDef.lists gives */
    TA_FNHEAD,          /* spread's f: a function whose last argument each item of the list after it
                           supplies (`spread fast [1, 2]`); the list's items arrive as functions */
    TA_PRED,            /* a test of a cycle number or a time (ifp, when, whenT): `pred` */
} TArgKind;

/* Tidal's (Int -> Bool) and (Time -> Bool) arguments, as the .ph language writes them
 * (docs/LANGUAGE.md, "Predicates"): x, or x `mod'` m when m is not 0, compared with v, exactly. */
typedef enum PredCmp { PRED_LT, PRED_LE, PRED_GT, PRED_GE, PRED_EQ, PRED_NE } PredCmp;
typedef struct PatPred {
    Rat mod;            /* 0: x itself */
    PredCmp cmp;
    Rat v;
} PatPred;
bool pattern_pred_test(const PatPred *p, Rat x);
/* The comparison an operator spells ("<" "<=" ">" ">=" "==" "/="), or -1. */
int pattern_pred_cmp(const char *op);
/* v `cmp` x as x `cmp'` v (0.5 > x is x < 0.5). */
PredCmp pattern_pred_flip(PredCmp c);
/* A named predicate (even, odd) into *out; false when name is not one. */
bool pattern_pred_named(const char *name, PatPred *out);

typedef struct TransformArg {
    TArgKind kind;
    Pattern *pat;       /* every kind but TA_FN and TA_LIST */
    const PatternFn *fn;/* TA_FN */
    const struct TransformArg *items;   /* TA_LIST: nitems tuples of `width` members, one after another */
    int nitems;
    const PatPred *pred;                /* TA_PRED */
} TransformArg;

/* The shape of the items of a list argument: a tuple of `width` members of these kinds. */
typedef struct TransformList {
    int width;
    TArgKind kind[3];
} TransformList;

/* build() receives an array of TRANSFORM_MAX_ARGS arguments; the entries after the last one given
 * are zero (pat and fn NULL). A variadic transform takes nargs or more arguments, the extra ones of
 * the kind of its last declared argument (stack, cat, layer, superimpose). */
#define TRANSFORM_MAX_ARGS 8
typedef struct TransformDef {
    const char *name;
    int nargs;                              /* arguments before the pattern itself */
    TArgKind args[TRANSFORM_MAX_ARGS];
    bool control;                           /* needs control-map events (jux, chop, striate, hurry) */
    Pattern *(*build)(Arena *a, const TransformArg *args, Pattern *in);    /* NULL: bad arguments */
    const char *summary;                    /* one line, for errors and docs */
    bool variadic;
    bool source;                            /* makes a pattern of its own, ignoring its input (perlin,
                                               choose, timeCat): given all its arguments it is a pattern */
    TransformList lists[2];                 /* the items of its first and second TA_LIST argument */
} TransformDef;

const TransformDef *transform_find(const char *name);
/* For `phonon check`: when a constant argument of def (args[0..nargs)) is beyond the range its factor
 * is clamped to while playing (docs/PATTERNS.md, "Limits"), the warning into msg and the argument's
 * index; -1 when every constant argument is within range. */
int transform_check_limits(const TransformDef *def, const TransformArg *args, int nargs, char *msg, int size);
/* A constant argument for which Tidal raises an error (trunc 0, bite 0, every' 0 o, zoom (b, b) ...):
 * its index, with the message; -1 when there is none. */
int transform_check_degenerate(const TransformDef *def, const TransformArg *args, int nargs, char *msg, int size);
const TransformDef *transform_table(int *count);

#endif
