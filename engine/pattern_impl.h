/* pattern_impl.h — the inside of patterns: node layout, the query context and the helpers that
 * pattern*.c and mini.c share. Nothing here allocates while querying; nodes are built in an Arena. */
#ifndef PHONON_PATTERN_IMPL_H
#define PHONON_PATTERN_IMPL_H

#include <stdint.h>

#include "pattern.h"

/* A value bound while a query runs (sometimesBy passes its probability to the copy of the pattern
 * that f receives). Bindings live on the C stack of the query that made them. */
typedef struct QBind {
    const void *key;
    Value v;
    const struct QBind *next;
} QBind;

/* What every node query receives besides its arc. Queries append to out; a node may use the end
 * of out as scratch space as long as, when it returns, only its own results follow the length it
 * found on entry. */
typedef struct QCtx {
    EventBuf *out;
    const QueryEnv *env;
    const QBind *bind;
    long steps;             /* steps left (pattern.h, "limits"); at 0 the query winds down */
    long reserve;           /* steps kept back so that events already made can still be mapped */
    int depth;              /* nodes entered and not yet left */
    int clamped;            /* factors clamped to their range */
    bool cut;               /* stopped early: out of steps or too deep */
    bool deep;              /* ... because it was too deep */
} QCtx;

typedef void (*PatQueryFn)(const Pattern *p, Arc arc, QCtx *q);

typedef enum PatKind {
    PK_OTHER = 0,
    PK_SILENCE,
    PK_PURE,
} PatKind;

struct Pattern {
    PatQueryFn query;
    uint8_t kind;
};

typedef struct PureNode {
    Pattern base;
    Value v;
} PureNode;

/* a pattern and two constants (fast, shift, rev, compress, zoom with fixed arguments) */
typedef struct RatNode {
    Pattern base;
    Pattern *in;
    Rat r0, r1;
} RatNode;

/* Query functions of those nodes, for temporary nodes built on the C stack inside a query. */
void pat_pure_query(const Pattern *p, Arc arc, QCtx *q);        /* PureNode */
void pat_fastc_query(const Pattern *p, Arc arc, QCtx *q);       /* RatNode: _fast r0 */

/* A transform with patterned arguments (Tidal's tParam: an inner join over the arguments, combined
 * with each other by structure from both sides). The kernel runs once per argument event, over that
 * event's part, with the argument values; with constant (pure) arguments, once per cycle. */
typedef struct TNode TNode;
typedef void (*TKernel)(const TNode *t, const Value *argv, Arc arc, QCtx *q);
struct TNode {
    Pattern base;
    TKernel kern;
    int nargs;
    Pattern *arg[4];
    Pattern *in;            /* the pattern transformed */
    Pattern *alt, *alt2;    /* further patterns a kernel may consult (f applied to in, ...) */
    Rat r0, r1;             /* constants */
    double d0;
    int64_t i0;
    const void *ud;
    bool unwrap;            /* join as Tidal's unwrap (>>=): wholes cut to the argument event's whole */
};

/* --- nodes -------------------------------------------------------------------------------- */
void *pat_node(Arena *a, size_t size, PatQueryFn fn);
TNode *tnode_new(Arena *a, TKernel kern, Pattern *in, int nargs, Pattern *const *args);
/* One step; false (and the query marked cut) when there are none left. */
static inline bool q_step(QCtx *q)
{
    if (q->steps > 0) {
        q->steps--;
        return true;
    }
    q->cut = true;
    return false;
}
/* A step for each event of [from, len) about to be worked on (mapped, filtered, combined); the
 * events that cannot be paid for are dropped and the query is cut. [from, len) must be the end of
 * the buffer and the caller's own. */
static inline void q_pay(QCtx *q, int from)
{
    EventBuf *b = q->out;
    long n = b->len - from;
    if (n <= 0) return;
    if (q->steps >= n) {
        q->steps -= n;
        return;
    }
    n -= q->steps;
    q->steps = 0;
    if (q->reserve >= n) {
        q->reserve -= n;
        return;
    }
    b->len -= (int)(n - q->reserve);
    q->reserve = 0;
    q->cut = true;
}

/* Query a child node: a step, and one level deeper. */
static inline void pat_q(const Pattern *p, Arc arc, QCtx *q)
{
    if (!q_step(q)) return;
    if (q->depth >= PATTERN_MAX_DEPTH) {
        q->cut = q->deep = true;
        return;
    }
    q->depth++;
    p->query(p, arc, q);
    q->depth--;
}
static inline bool pat_is_pure(const Pattern *p) { return p->kind == PK_PURE; }
static inline bool pat_is_silence(const Pattern *p) { return p->kind == PK_SILENCE; }

/* --- events ------------------------------------------------------------------------------- */
/* Append an event (whole NULL: continuous). false when the buffer is full (overflow is set). */
bool ev_add(QCtx *q, const Arc *whole, Arc part, Value v);
static inline bool ev_push(QCtx *q, const Event *e) { return ev_add(q, e->has_whole ? &e->whole : NULL, e->part, e->value); }
/* Remove events [from, to) of the buffer, moving what follows down. */
void ev_cut(QCtx *q, int from, int to);
/* Map storage for events made during a query; NULL when full (overflow is set). */
void *ev_mem(QCtx *q, size_t size);
static inline Arc ev_whole_or_part(const Event *e) { return e->has_whole ? e->whole : e->part; }

/* --- time ---------------------------------------------------------------------------------- */
static inline bool arc_zero(Arc a) { return rat_eq(a.begin, a.end); }
/* The pieces of arc cut at cycle boundaries (Tidal's arcCyclesZW): a zero-width arc is one piece,
 * a reversed arc none. Usage: for (Arc pc; cyc_next(arc, &it, &pc);) with Rat it = arc.begin and a
 * flag. */
typedef struct CycIter {
    Arc arc;
    Rat at;
    bool done;
    QCtx *q;                /* each piece is a step of this query's (NULL: the caller stops itself) */
} CycIter;
static inline CycIter cyc_iter_q(Arc a, QCtx *q) { CycIter it = { a, a.begin, rat_lt(a.end, a.begin), q }; return it; }
static inline CycIter cyc_iter(Arc a) { return cyc_iter_q(a, NULL); }
bool cyc_next(CycIter *it, Arc *piece);
/* t -> t * r and t -> t / r on both ends */
Arc arc_mul(Arc a, Rat r);
Arc arc_div(Arc a, Rat r);
Arc arc_add(Arc a, Rat t);
/* Haskell's mod and div on integers (floor, sign of the divisor). */
int64_t imod(int64_t a, int64_t n);
int64_t idiv(int64_t a, int64_t n);

/* --- factor ranges (docs/PATTERNS.md, "Limits") ------------------------------------------------
 * A factor beyond its range is clamped (and counted) where the kernel reads it. */
typedef enum PatLimit {
    LIM_NONE,
    LIM_SPEED,          /* fast slow hurry inside outside swingBy fastGap linger: |x| in [1/10000, 10000] or 0 */
    LIM_PLY,            /* ply: |x| <= 1024 */
    LIM_SEGMENT,        /* segment: 0 .. 4096 */
    LIM_SLICES,         /* chop striate striateBy: 0 .. 1024 */
    LIM_ECHOES,         /* stut: 0 .. 64 copies */
    LIM_ECHOES_WITH,    /* stutWith echoWith: 0 .. 16 (each a tree built with the pattern) */
    LIM_SHUFFLE,        /* shuffle scramble: 0 .. 256 slices */
    LIM_COUNT
} PatLimit;
/* x clamped to lim's range into *out; true when that changed it. */
bool lim_clamp(PatLimit lim, Rat x, Rat *out);
/* The range in words ("1/10000 to 10000") and its bounds on |x|, for messages. */
const char *lim_text(PatLimit lim, double *lo, double *hi);
Rat lim_rat(QCtx *q, PatLimit lim, Rat x);
int64_t lim_int(QCtx *q, PatLimit lim, int64_t x);

/* --- kernels other files call with runtime values ------------------------------------------ */
void q_fast(const Pattern *p, Rat r, Arc arc, QCtx *q);        /* Tidal's _fast (negative: rev) */
void q_shift(const Pattern *p, Rat t, Arc arc, QCtx *q);       /* rotL t */
void q_rev(const Pattern *p, Arc arc, QCtx *q);
void q_compress(const Pattern *p, Rat b, Rat e, Arc arc, QCtx *q);
void q_zoom(const Pattern *p, Rat b, Rat e, Arc arc, QCtx *q);
void q_pure(Value v, Arc arc, QCtx *q);
/* cat of n copies of patterns: cycle k plays member k mod n at the member's cycle k div n */
typedef void (*CatMemberFn)(const void *ud, int64_t i, Arc arc, QCtx *q);
void q_cat(int64_t n, CatMemberFn member, const void *ud, Arc arc, QCtx *q);

/* Query p over arc and keep only the events for which keep() says so (in place). */
typedef bool (*EvPred)(const void *ud, const Event *e, QCtx *q);
void q_filter(const Pattern *p, Arc arc, QCtx *q, EvPred keep, const void *ud);

/* Squeeze: query outer over arc; into each event's whole (or part) squeeze one cycle of what
 * inner() returns for that event, cut to the event (Tidal's squeezeJoin, without 1.7.10's
 * dropping of events that cross a cycle boundary). */
typedef void (*InnerFn)(const void *ud, const Event *outer, Arc arc, QCtx *q);
void q_squeeze(const Pattern *outer, Arc arc, QCtx *q, InnerFn inner, const void *ud);

/* Binary combination with Tidal's structure rules. comb returns false to drop the pair. */
typedef bool (*CombFn)(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q);
void q_app(const Pattern *l, const Pattern *r, PatStruct st, CombFn comb, const void *ud, Arc arc, QCtx *q);

/* Values */
bool val_combine(PatOp op, const Value *l, const Value *r, Value *out, QCtx *q);
bool val_truthy(const Value *v);
/* Random numbers exactly as Tidal 1.7 makes them (see tests/conformance/README.md). */
double tidal_rand(Rat t);
void tidal_rands(Rat t, int n, double *out);     /* timeToRands: n numbers from time t's seed */
double tidal_rand_d(double t);

/* The binding for key in the query's bindings, or NULL. */
const QBind *bind_find(const QBind *b, const void *key);
/* rotR by the time value bound to key (off and stutWith bind their patterned time argument at the
 * top, as Tidal's tParam does, so the shift inside f is a constant one). */
Pattern *pattern_bound_late(Arena *a, const void *key, Pattern *in);
Pattern *pattern_bound_fast(Arena *a, const void *key, Pattern *in);   /* _fast by the bound value */
Pattern *pattern_bound_slow(Arena *a, const void *key, Pattern *in);   /* _slow by the bound value */

/* Nodes made by other pattern files */
Pattern *pattern_bound_undegrade(Arena *a, const void *key, Pattern *in);

#endif
