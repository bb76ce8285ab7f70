/* pattern_slice.c — Tidal's sample slicing: slice, splice, randslice, chew, loopAt. Each sets the
 * begin/end (and speed, unit) controls of events as Tidal 1.7.10 does; the sample itself is cut by
 * the voices. Kernels run inside queries: no allocation (maps go to the event buffer's storage). */
#include "pattern_library.h"

/* {begin: (i mod n)/n, end: begin + 1/n} (Tidal's div' in slice); false when n is 0 */
static bool slice_map(QCtx *q, int64_t i, int64_t n, Value *out)
{
    if (n == 0) return false;
    ValMap *m = ev_mem(q, valmap_size(2));
    if (!m) return false;
    double b = (double)imod(i, n) / (double)n;
    m->mask = (1ull << P_BEGIN) | (1ull << P_END);
    *(Value *)valmap_get(m, P_BEGIN) = val_num(b);
    *(Value *)valmap_get(m, P_END) = val_num(b + 1.0 / (double)n);
    *out = val_map(m);
    return true;
}

static bool comb_slice(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    return slice_map(q, plib_int(l), plib_int(r), out);
}

static bool comb_keep_right(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    return val_combine(OP_KEEP_RIGHT, l, r, out, q);
}

/* slice pN pI p = begin b # end e # p, b and e from pI <* pN: the structure is pI's */
typedef struct SliceNode {
    Pattern base;
    const Pattern *n, *i, *in;
} SliceNode;

static void slice_maps_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SliceNode *s = (const SliceNode *)p;
    q_app(s->i, s->n, STRUCT_LEFT, comb_slice, NULL, arc, q);
}

static void q_slice(const Pattern *n, const Pattern *i, const Pattern *in, Arc arc, QCtx *q)
{
    SliceNode maps = { { slice_maps_query, PK_OTHER }, n, i, in };
    q_app(&maps.base, in, STRUCT_LEFT, comb_keep_right, NULL, arc, q);
}

static void slice_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SliceNode *s = (const SliceNode *)p;
    q_slice(s->n, s->i, s->in, arc, q);
}

PLIB(slice)
{
    SliceNode *s = pat_node(a, sizeof *s, slice_query);
    if (!s || !PLIB_ARG(0) || !PLIB_ARG(1)) return NULL;
    s->n = PLIB_ARG(0);
    s->i = PLIB_ARG(1);
    s->in = in;
    return &s->base;
}

/* The events of [from, len): speed multiplied by `factor(whole)` (set to it when absent), unit "c". */
static void splice_speed(QCtx *q, int from, Rat size, uint32_t unit_c)
{
    EventBuf *b = q->out;
    q_pay(q, from);
    int w = from;
    for (int k = from; k < b->len; k++) {
        Event e = b->ev[k];
        Arc wh = ev_whole_or_part(&e);
        double d = rat_to_double(size) / rat_to_double(rat_sub(wh.end, wh.begin));
        Value sp, un, t1, t2;
        if (!plib_query_map(q, P_SPEED, val_num(d), &sp) || !plib_query_map(q, P_UNIT, val_sym(unit_c), &un)) break;
        if (!val_combine(OP_MUL, &e.value, &sp, &t1, q) || !val_combine(OP_KEEP_RIGHT, &t1, &un, &t2, q)) continue;
        e.value = t2;
        b->ev[w++] = e;
    }
    b->len = w;
}

/* splice bits ipat p: slice, with speed set so that each slice fills its event (unit "c") */
static void k_splice(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t bits = plib_int(&v[0]);
    if (bits == 0) return;
    PureNode n = { { pat_pure_query, PK_PURE }, val_num((double)bits) };
    int from = q->out->len;
    q_slice(&n.base, t->alt, t->in, arc, q);
    splice_speed(q, from, rat_make(1, bits), (uint32_t)t->i0);
}

PLIB(splice)
{
    TNode *t = tnode_new(a, k_splice, in, 1, &PLIB_ARG(0));
    if (!t || !PLIB_ARG(1)) return NULL;
    t->alt = PLIB_ARG(1);
    t->i0 = sym_intern("c");
    return t->i0 ? &t->base : NULL;
}

/* randslice n: each query (cycle) plays slice floor (rand * n) of n, rand taken at the middle of
 * the query (Tidal: innerJoin over _irand n) */
static void k_randslice(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = plib_int(&v[0]);
    if (n <= 0) return;
    int64_t i = (int64_t)floor(tidal_rand(arc_mid(arc)) * (double)n);
    int from = q->out->len;
    pat_q(t->in, arc, q);
    Value m;
    if (!slice_map(q, i, n, &m)) return;
    plib_events_op(q, from, OP_KEEP_RIGHT, m);
}

PLIB(randslice) { return plib_tn(a, k_randslice, in, 1, &PLIB_ARG(0)); }

/* chew n ipat p: bite's slices, each played at the speed that fits it into its event, then all at
 * speed / n (Tidal's squeezeJoinUp; squeezed as phonon's bite is, docs/PATTERNS.md) */
typedef struct ChewArg {
    const Pattern *p;
    int64_t n;
} ChewArg;

static void chew_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const ChewArg *c = ud;
    int64_t i = imod(plib_int(&outer->value), c->n);
    int from = q->out->len;
    q_zoom(c->p, rat_make(i, c->n), rat_make(i + 1, c->n), arc, q);
    Arc w = ev_whole_or_part(outer);
    Value sp;
    if (!plib_query_map(q, P_SPEED, val_num(1 / rat_to_double(rat_sub(w.end, w.begin))), &sp)) return;
    plib_events_op(q, from, OP_MUL, sp);
}

static void k_chew(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    ChewArg c = { t->in, plib_int(&v[0]) };
    if (c.n == 0) return;
    int from = q->out->len;
    q_squeeze(t->alt, arc, q, chew_inner, &c);
    Value sp;
    if (!plib_query_map(q, P_SPEED, val_num((double)c.n), &sp)) return;
    plib_events_op(q, from, OP_DIV, sp);
}

PLIB(chew)
{
    TNode *t = tnode_new(a, k_chew, in, 1, &PLIB_ARG(0));
    if (!t || !PLIB_ARG(1)) return NULL;
    t->alt = PLIB_ARG(1);
    return &t->base;
}

/* loopAt n p = slow n p |* speed (1/n) # unit "c" */
PLIB(loop_at)
{
    Pattern *slow = pattern_slow(a, PLIB_ARG(0), in);
    Pattern *inv = pattern_fmap_op(a, OP_DIV, val_rat(rat_int(1)), PLIB_ARG(0), false);
    Pattern *sp = inv ? pattern_to_map(a, inv, P_SPEED) : NULL;
    Pattern *p = (slow && sp) ? pattern_op(a, OP_MUL, STRUCT_LEFT, slow, sp) : NULL;
    uint32_t c = sym_intern("c");
    return (p && c) ? plib_with_param(a, OP_KEEP_RIGHT, p, P_UNIT, val_sym(c)) : NULL;
}
