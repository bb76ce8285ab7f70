/* pattern_cycle.c — Tidal's functions of whole cycles: wedge, loopFirst, timeLoop, soak. Builders
 * make the trees off the audio path; kernels only query them (no allocation). */
#include "pattern_library.h"

#define SOAK_MAX 1024           /* cycles of f a soak may build (each a copy of f's tree) */

/* compress (0, 1/r) p for r >= 1 (Tidal's _fastGap; factors below 1 are 1), rotated right by `late` */
typedef struct GapNode {
    Pattern base;
    const Pattern *in;
    Rat end;
} GapNode;

static void gap_query(const Pattern *p, Arc arc, QCtx *q)
{
    const GapNode *g = (const GapNode *)p;
    q_compress(g->in, rat_int(0), g->end, arc, q);
}

static void q_fast_gap_late(const Pattern *in, Rat r, Rat late, Arc arc, QCtx *q)
{
    r = lim_rat(q, LIM_SPEED, r);
    if (rat_is_zero(r)) return;
    if (rat_lt(r, rat_int(1))) r = rat_int(1);
    GapNode g = { { gap_query, PK_OTHER }, in, rat_div(rat_int(1), r) };
    q_shift(&g.base, rat_neg(late), arc, q);
}

/* wedge t x p: x squashed into the first t of each cycle, p into the rest (Tidal: wedge t x p) */
static void k_wedge(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat w = val_to_rat(&v[0]);
    if (rat_is_zero(w)) {
        pat_q(t->in, arc, q);
        return;
    }
    if (rat_eq(w, rat_int(1))) {
        pat_q(t->alt, arc, q);
        return;
    }
    q_fast_gap_late(t->alt, rat_div(rat_int(1), w), rat_int(0), arc, q);
    q_fast_gap_late(t->in, rat_div(rat_int(1), rat_sub(rat_int(1), w)), w, arc, q);
}

PLIB(wedge)
{
    TNode *t = tnode_new(a, k_wedge, in, 1, &PLIB_ARG(0));
    if (!t || !PLIB_ARG(1)) return NULL;
    t->alt = PLIB_ARG(1);
    return &t->base;
}

/* loopFirst: every cycle plays cycle 0 */
typedef struct LoopNode {
    Pattern base;
    const Pattern *in;
} LoopNode;

static void loop_first_query(const Pattern *p, Arc arc, QCtx *q)
{
    const LoopNode *n = (const LoopNode *)p;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) q_shift(n->in, rat_neg(rat_sam(pc.begin)), pc, q);
}

static Pattern *loop_first(const PatternFn *self, Arena *a, Pattern *in)
{
    (void)self;
    LoopNode *n = in ? pat_node(a, sizeof *n, loop_first_query) : NULL;
    if (!n) return NULL;
    n->in = in;
    return &n->base;
}
static const PatternFn loop_first_fn = { loop_first };

PLIB(loop_first)
{
    (void)args;
    return loop_first(NULL, a, in);
}

/* timeLoop n = outside n loopFirst */
PLIB(time_loop)
{
    const TransformDef *outside = transform_find("outside");
    TransformArg o[TRANSFORM_MAX_ARGS] = { args[0], { .kind = TA_FN, .fn = &loop_first_fn } };
    return outside ? outside->build(a, o, in) : NULL;
}

/* soak n f p = cat [p, f p, f (f p), ...] (n of them) */
PLIB(soak)
{
    Value nv;
    if (!plib_const(PLIB_ARG(0), &nv)) return NULL;
    int64_t n = plib_int(&nv);
    if (n <= 0) return pattern_silence(a);
    if (n > SOAK_MAX) return NULL;
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!ps) return NULL;
    ps[0] = in;
    for (int64_t i = 1; i < n; i++)
        if (!(ps[i] = plib_apply(a, PLIB_FN(1), ps[i - 1]))) return NULL;
    return pattern_slowcat(a, ps, (int)n);
}
