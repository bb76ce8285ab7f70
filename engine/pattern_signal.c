/* pattern_signal.c — continuous patterns (saw, sine, rand ...) and everything random (degrading,
 * random choice, sometimesBy), with Tidal 1.7's generator bit for bit: a pure function of time. */
#include "pattern_impl.h"

#include <math.h>
#include <string.h>

/* --- the generator (tests/conformance/README.md, "Randomness") ----------------------------- */

static uint64_t xorwise(uint64_t x)
{
    x ^= x << 13;
    x ^= (x >> 17) | ((0 - (x >> 63)) << 47);     /* arithmetic shift right by 17 */
    x ^= x << 5;
    return x;
}

static double seed_to_rand(uint64_t seed) { return (double)(seed & 0x1FFFFFFFu) / 536870912.0; }

/* Tidal's timeToRands: n numbers from the seed of time t, each the next xorshift step. The seed is
 * the top 29 bits of frac(t / 300) = r / (300 d), by long division so that no rational is rounded. */
void tidal_rands(Rat t, int n, double *out)
{
    __int128 den = (__int128)300 * t.den;
    __int128 r = (__int128)t.num % den;
    unsigned __int128 a = (unsigned __int128)(r < 0 ? -r : r), q = 0;
    for (int k = 0; k < 29; k++) {
        a <<= 1;
        q <<= 1;
        if (a >= (unsigned __int128)den) {
            a -= (unsigned __int128)den;
            q |= 1;
        }
    }
    uint64_t seed = (uint64_t)q;
    if (r < 0) seed = 0 - seed;
    for (int i = 0; i < n; i++) {
        seed = xorwise(seed);
        out[i] = seed_to_rand(seed);
    }
}

double tidal_rand(Rat t)
{
    double x;
    tidal_rands(t, 1, &x);
    return x;
}

double tidal_rand_d(double t)
{
    double y = t / 300.0, f = y - (double)(int64_t)y;
    return seed_to_rand(xorwise((uint64_t)(int64_t)(f * 536870912.0)));
}

/* --- signals: one event without a whole, valued at the middle of the query ------------------ */

typedef enum SigKind {
    SIG_SAW, SIG_ISAW, SIG_SQUARE, SIG_SINE, SIG_RAND, SIG_IRAND, SIG_ENVL, SIG_ENVR, SIG_ENVEQ, SIG_ENVEQR,
    SIG_SAW2, SIG_ISAW2, SIG_SQUARE2, SIG_SINE2,         /* Tidal's bipolar forms, -1 to 1 */
} SigKind;

typedef struct SigNode {
    Pattern base;
    SigKind kind;
    Pattern *arg;       /* irand's range */
} SigNode;

static double frac_d(double x) { return x - floor(x); }

static double sig_value(SigKind k, Rat mid)
{
    double t = rat_to_double(mid);
    switch (k) {
    case SIG_SAW: return frac_d(t);
    case SIG_ISAW: return 1.0 - frac_d(t);
    case SIG_SQUARE: return (double)(int64_t)floor(frac_d(t) * 2);
    case SIG_SINE: return (sin(M_PI * 2 * t) + 1) / 2;
    case SIG_RAND: return tidal_rand(mid);
    case SIG_ENVL: return t < 0 ? 0 : (t > 1 ? 1 : t);
    case SIG_ENVR: return 1.0 - (t < 0 ? 0 : (t > 1 ? 1 : t));
    case SIG_ENVEQ: return sqrt(sin(M_PI / 2 * fmax(0, fmin(1 - t, 1))));
    case SIG_ENVEQR: return sqrt(cos(M_PI / 2 * fmax(0, fmin(1 - t, 1))));
    case SIG_SAW2: return frac_d(t) * 2 - 1;
    case SIG_ISAW2: return -(frac_d(t) * 2 - 1);
    case SIG_SQUARE2: return (double)((int64_t)floor(frac_d(t) * 2) * 2 - 1);
    case SIG_SINE2: return sin(M_PI * 2 * t);
    default: return 0;
    }
}

static void sig_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SigNode *n = (const SigNode *)p;
    if (rat_lt(arc.end, arc.begin)) return;
    ev_add(q, NULL, arc, val_num(sig_value(n->kind, arc_mid(arc))));
}

static Pattern *sig_new(Arena *a, SigKind k)
{
    SigNode *n = pat_node(a, sizeof *n, sig_query);
    if (!n) return NULL;
    n->kind = k;
    return &n->base;
}

/* irand n = floor (rand * n), with n a pattern (an inner join, as Tidal's tParam) */
static void k_irand(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    if (rat_lt(arc.end, arc.begin)) return;
    double n = val_to_num(&v[0]);
    ev_add(q, NULL, arc, val_num(floor(tidal_rand(arc_mid(arc)) * n)));
    (void)t;
}

Pattern *pattern_irand(Arena *a, Pattern *n)
{
    TNode *t = tnode_new(a, k_irand, NULL, 1, &n);
    return t ? &t->base : NULL;
}

/* the signals a name makes; cosine is sine a quarter later, tri a saw and then an isaw in each cycle */
static const struct {
    const char *name;
    SigKind kind, then;     /* then: tri's second half, or the kind itself */
    bool quarter;           /* cosine: rotR 1/4 */
} sig_names[] = {
    { "saw", SIG_SAW, SIG_SAW, false }, { "isaw", SIG_ISAW, SIG_ISAW, false },
    { "square", SIG_SQUARE, SIG_SQUARE, false }, { "sine", SIG_SINE, SIG_SINE, false },
    { "rand", SIG_RAND, SIG_RAND, false }, { "envL", SIG_ENVL, SIG_ENVL, false },
    { "envR", SIG_ENVR, SIG_ENVR, false }, { "envLR", SIG_ENVR, SIG_ENVR, false },
    { "envEq", SIG_ENVEQ, SIG_ENVEQ, false }, { "envEqR", SIG_ENVEQR, SIG_ENVEQR, false },
    { "cosine", SIG_SINE, SIG_SINE, true }, { "tri", SIG_SAW, SIG_ISAW, false },
    { "saw2", SIG_SAW2, SIG_SAW2, false }, { "isaw2", SIG_ISAW2, SIG_ISAW2, false },
    { "square2", SIG_SQUARE2, SIG_SQUARE2, false }, { "sine2", SIG_SINE2, SIG_SINE2, false },
    { "cosine2", SIG_SINE2, SIG_SINE2, true }, { "tri2", SIG_SAW2, SIG_ISAW2, false },
};

Pattern *pattern_signal(Arena *a, const char *name)
{
    for (size_t i = 0; i < sizeof sig_names / sizeof sig_names[0]; i++) {
        if (strcmp(sig_names[i].name, name) != 0) continue;
        Pattern *s = sig_new(a, sig_names[i].kind);
        if (s && sig_names[i].quarter) return pattern_shift_const(a, RAT(-1, 4), s);
        if (!s || sig_names[i].then == sig_names[i].kind) return s;
        Pattern *ps[2] = { s, sig_new(a, sig_names[i].then) };
        return ps[1] ? pattern_fastcat(a, ps, 2) : NULL;
    }
    return NULL;
}

/* --- degrading ------------------------------------------------------------------------------
 * An event is judged by rand at the middle of its whole, in the time of the pattern degraded,
 * moved by seed/10000 cycles (Tidal: rotL (0.0001 * seed) rand). */

static double event_rand(const Event *e, int64_t seed)
{
    Rat m = arc_mid(ev_whole_or_part(e));
    if (seed) m = rat_add(m, rat_make(seed, 10000));
    return tidal_rand(m);
}

typedef struct DegradeArgs {
    double x;
    int64_t seed;
    bool keep_low;      /* unDegradeBy: keep r <= x instead of r > x */
} DegradeArgs;

static bool degrade_keep(const void *ud, const Event *e, QCtx *q)
{
    (void)q;
    const DegradeArgs *d = ud;
    double r = event_rand(e, d->seed);
    return d->keep_low ? r <= d->x : r > d->x;
}

void q_degrade(const Pattern *p, double x, int64_t seed, bool keep_low, Arc arc, QCtx *q)
{
    DegradeArgs d = { x, seed, keep_low };
    q_filter(p, arc, q, degrade_keep, &d);
}

/* `e?x` in mini-notation: a constant amount, no cycle splitting */
static void k_degrade_seeded(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    q_degrade(t->in, t->d0, t->i0, false, arc, q);
}

Pattern *pattern_degrade_seeded(Arena *a, int64_t seed, double amount, Pattern *in)
{
    TNode *t = tnode_new(a, k_degrade_seeded, in, 0, NULL);
    if (!t) return NULL;
    t->d0 = amount;
    t->i0 = seed;
    return &t->base;
}

static void k_degrade_by(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    q_degrade(t->in, val_to_num(&v[0]), 0, t->i0 != 0, arc, q);
}

Pattern *pattern_degrade_by(Arena *a, Pattern *amount, Pattern *in)
{
    TNode *t = tnode_new(a, k_degrade_by, in, 1, &amount);
    return t ? &t->base : NULL;
}

Pattern *pattern_undegrade_by(Arena *a, Pattern *amount, Pattern *in)
{
    TNode *t = tnode_new(a, k_degrade_by, in, 1, &amount);
    if (t) t->i0 = 1;
    return t ? &t->base : NULL;
}

/* --- sometimesBy x f p = stack [degradeBy x p, f (unDegradeBy x p)] ------------------------
 * f is applied once, when the pattern is built, to a node that reads x from the query's bindings;
 * the sometimes node binds x for each event of the x pattern. */

static void k_bound_undegrade(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    const QBind *b = bind_find(q->bind, t->ud);
    double x = b ? val_to_num(&b->v) : 0;
    CycIter it = cyc_iter_q(arc, q);     /* Tidal's unDegradeBy (pure x): split by cycle */
    Arc pc;
    while (cyc_next(&it, &pc)) q_degrade(t->in, x, 0, true, pc, q);
}

Pattern *pattern_bound_undegrade(Arena *a, const void *key, Pattern *in)
{
    TNode *t = tnode_new(a, k_bound_undegrade, in, 0, NULL);
    if (t) t->ud = key;
    return t ? &t->base : NULL;
}

static void k_sometimes(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    double x = val_to_num(&v[0]);
    /* degradeBy x p: Tidal's patterned degradeBy on a pure x, so split by cycle */
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) q_degrade(t->in, x, 0, false, pc, q);
    QBind b = { t, v[0], q->bind };
    const QBind *saved = q->bind;
    q->bind = &b;
    pat_q(t->alt, arc, q);
    q->bind = saved;
}

/* sometimesBy' x f p = stack [degradeBy x p, unDegradeBy x (f p)] */
static void k_sometimes_inner(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    double x = val_to_num(&v[0]);
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        q_degrade(t->in, x, 0, false, pc, q);
        q_degrade(t->alt, x, 0, true, pc, q);
    }
}

Pattern *pattern_sometimes_by(Arena *a, Pattern *x, const PatternFn *f, Pattern *in, bool inner)
{
    TNode *t = tnode_new(a, inner ? k_sometimes_inner : k_sometimes, in, 1, &x);
    if (!t) return NULL;
    if (inner) {
        t->alt = f->apply(f, a, in);
    } else {
        Pattern *u = pattern_bound_undegrade(a, t, in);
        t->alt = u ? f->apply(f, a, u) : NULL;
    }
    return t->alt ? &t->base : NULL;
}

/* someCyclesBy x f p: f on the whole of cycle c when rand_d(c) < x */
static void k_some_cycles(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    double x = val_to_num(&v[0]);
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        double c = (double)rat_floor(pc.begin);
        pat_q(tidal_rand_d(c) < x ? t->alt : t->in, pc, q);
    }
}

Pattern *pattern_some_cycles_by(Arena *a, Pattern *x, const PatternFn *f, Pattern *in)
{
    TNode *t = tnode_new(a, k_some_cycles, in, 1, &x);
    if (!t) return NULL;
    t->alt = f->apply(f, a, in);
    return t->alt ? &t->base : NULL;
}

/* --- random choice among patterns, once per cycle ------------------------------------------ */

typedef struct ChooseNode {
    Pattern base;
    int n;
    Pattern **ps;
    int64_t seed;
    const double *weights;      /* wrandcat / wchoose: cumulative, NULL for equal chances */
} ChooseNode;

/* `[a | b | c]` (seed s): in cycle c, r = rand(c + 1/2 + s/10000) picks floor(r n); the chosen
 * pattern's events are cut to the cycle (Tidal: unwrap $ segment 1 $ chooseBy ...). */
static void choose_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ChooseNode *n = (const ChooseNode *)p;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Arc cyc = { c, rat_add(c, rat_int(1)) };
        Rat at = rat_add(c, RAT(1, 2));
        if (n->seed) at = rat_add(at, rat_make(n->seed, 10000));
        double r = tidal_rand(at);
        int i = (int)floor(r * n->n);
        i = (int)imod(i, n->n);
        EventBuf *b = q->out;
        int start = b->len;
        pat_q(n->ps[i], pc, q);
        int w = start;
        q_pay(q, start);
        for (int k = start; k < b->len; k++) {
            Event e = b->ev[k];
            Arc np;
            if (!arc_sect(pc, e.part, &np)) continue;
            if (e.has_whole && !arc_sect(cyc, e.whole, &e.whole)) continue;
            e.part = np;
            b->ev[w++] = e;
        }
        b->len = w;
    }
}

Pattern *pattern_choose_cycle(Arena *a, int64_t seed, Pattern *const *ps, int n)
{
    if (n <= 0) return pattern_silence(a);
    ChooseNode *c = pat_node(a, sizeof *c, choose_query);
    if (!c) return NULL;
    c->ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!c->ps) return NULL;
    memcpy(c->ps, ps, sizeof(Pattern *) * (size_t)n);
    c->n = n;
    c->seed = seed;
    return &c->base;
}
