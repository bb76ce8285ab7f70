/* pattern_number.c — Tidal's functions of numbers: quantise (qround), qfloor, qceiling, rangex, perlin, perlinWith. Values are
 * mapped one by one inside queries (no allocation); the structure is the input's. */
#include "pattern_library.h"

typedef enum NumMap { NM_QUANTISE, NM_QFLOOR, NM_QCEILING, NM_RANGEX, NM_PERLIN } NumMap;

typedef struct NumNode {
    Pattern base;
    Pattern *in;        /* NULL: perlin's own time signal (the middle of each query) */
    NumMap kind;
    double x, y;
} NumNode;

/* perlinWith: smootherstep between the random numbers of floor v and floor v + 1 */
static double perlin_at(double v)
{
    double fa = floor(v), x = v - fa;
    double ra = tidal_rand_d(fa), rb = tidal_rand_d(fa + 1);
    double s = 6.0 * pow(x, 5) - 15.0 * pow(x, 4) + 10.0 * pow(x, 3);
    return ra + s * (rb - ra);
}

static double num_map(const NumNode *n, double v)
{
    switch (n->kind) {
    case NM_QUANTISE: return plib_round_even(v * n->x) / n->x;      /* Haskell's round */
    case NM_QFLOOR: return floor(v * n->x) / n->x;
    case NM_QCEILING: return ceil(v * n->x) / n->x;
    case NM_RANGEX: return exp(v * (log(n->y) - log(n->x)) + log(n->x));
    case NM_PERLIN: return perlin_at(v);
    }
    return v;
}

static void num_query(const Pattern *p, Arc arc, QCtx *q)
{
    const NumNode *n = (const NumNode *)p;
    if (!n->in) {
        if (!arc_is_empty(arc) || arc_zero(arc)) ev_add(q, NULL, arc, val_num(num_map(n, rat_to_double(arc_mid(arc)))));
        return;
    }
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(n->in, arc, q);
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Value *v = &b->ev[i].value;
        if (v->type != VAL_NUM && v->type != VAL_RAT) continue;
        Value r = val_num(num_map(n, val_to_num(v)));
        r.chord = v->chord;
        r.spare = v->spare;
        *v = r;
    }
}

static Pattern *num_node(Arena *a, Pattern *in, NumMap kind, double x, double y)
{
    NumNode *n = pat_node(a, sizeof *n, num_query);
    if (!n) return NULL;
    n->in = in;
    n->kind = kind;
    n->x = x;
    n->y = y;
    return &n->base;
}

static bool const_num(const Pattern *p, double *x)
{
    Value v;
    if (!plib_const(p, &v)) return false;
    *x = val_to_num(&v);
    return true;
}

PLIB(quantise)
{
    double x;
    return (in && const_num(PLIB_ARG(0), &x)) ? num_node(a, in, NM_QUANTISE, x, 0) : NULL;
}
PLIB(qfloor)
{
    double x;
    return (in && const_num(PLIB_ARG(0), &x)) ? num_node(a, in, NM_QFLOOR, x, 0) : NULL;
}
PLIB(qceiling)
{
    double x;
    return (in && const_num(PLIB_ARG(0), &x)) ? num_node(a, in, NM_QCEILING, x, 0) : NULL;
}
PLIB(rangex)
{
    double x, y;
    return (in && const_num(PLIB_ARG(0), &x) && const_num(PLIB_ARG(1), &y)) ? num_node(a, in, NM_RANGEX, x, y) : NULL;
}
PLIB(perlin_with)
{
    (void)args;
    return in ? num_node(a, in, NM_PERLIN, 0, 0) : NULL;
}
PLIB(perlin)
{
    (void)args;
    (void)in;
    return num_node(a, NULL, NM_PERLIN, 0, 0);
}

/* smooth p: one event over the query, valued between the event sounding at the query's middle and
 * the one that follows it, in proportion to how far into the first the middle is (Tidal's smooth,
 * on mono p). Only numbers are smoothed. */
typedef struct SmoothNode {
    Pattern base;
    Pattern *in;
} SmoothNode;

static int whole_order(const Event *x, const Event *y)
{
    if (x->has_whole != y->has_whole) return x->has_whole ? 1 : -1;    /* Tidal's Nothing < Just */
    if (!x->has_whole) return 0;
    int c = rat_cmp(x->whole.begin, y->whole.begin);
    return c ? c : rat_cmp(x->whole.end, y->whole.end);
}

/* The event mono p keeps at the instant t (the first by whole), into *e; false when there is none. */
static bool mono_at(const Pattern *p, Rat t, QCtx *q, Event *e)
{
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(p, arc_make(t, t), q);
    int best = -1;
    for (int i = from; i < b->len; i++)
        if (best < 0 || whole_order(&b->ev[i], &b->ev[best]) < 0) best = i;
    if (best >= 0) *e = b->ev[best];
    b->len = from;
    return best >= 0;
}

static void smooth_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SmoothNode *n = (const SmoothNode *)p;
    if (rat_lt(arc.end, arc.begin)) return;
    Rat mid = arc_mid(arc);
    Event e, next;
    if (!mono_at(n->in, mid, q, &e)) return;
    double x = val_to_num(&e.value);
    if (!isfinite(x)) return;
    Arc w = ev_whole_or_part(&e);
    Value v = val_num(x);
    if (mono_at(n->in, w.end, q, &next)) {
        Rat d = rat_sub(w.end, w.begin);
        double pc = rat_is_zero(d) ? 0 : rat_to_double(rat_div(rat_sub(e.part.begin, w.begin), d));
        v = val_num(x + (val_to_num(&next.value) - x) * pc);
    }
    ev_add(q, &arc, arc, v);
}

PLIB(smooth)
{
    (void)args;
    SmoothNode *n = in ? pat_node(a, sizeof *n, smooth_query) : NULL;
    if (!n) return NULL;
    n->in = in;
    return &n->base;
}
