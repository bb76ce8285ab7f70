/* pattern_layer.c — Tidal's layering functions: copies of a pattern stacked with shifts or
 * functions (stutter echo double triple quad, plyWith, ghost, spin, juxcut, jux4), and structure
 * from booleans (stitch, inv, arpeggiate). Builders make the trees off the audio path; kernels only
 * query them (no allocation). */
#include "pattern_library.h"

#include <string.h>

#define STUTTER_MAX 1024        /* copies a stutter may stack (each a node of the tree) */
#define PLY_WITH_MAX 16         /* plyWith's layers (a tree is built for each count) */

/* --- stutter n t: stack [rotR (i t) p | i <- [0 .. n-1]] ------------------------------------- */
static Pattern *stutter_tree(Arena *a, int64_t n, Rat t, Pattern *in)
{
    if (n <= 0) return pattern_silence(a);
    if (n > STUTTER_MAX) return NULL;
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!ps) return NULL;
    for (int64_t i = 0; i < n; i++)
        if (!(ps[i] = i ? pattern_shift_const(a, rat_neg(rat_mul(t, rat_int(i))), in) : in)) return NULL;
    return pattern_stack(a, ps, (int)n);
}

PLIB(stutter)
{
    Value n, t;
    if (!plib_const(PLIB_ARG(0), &n) || !plib_const(PLIB_ARG(1), &t)) return NULL;
    return stutter_tree(a, plib_int(&n), val_to_rat(&t), in);
}

static Pattern *stutter_k(Arena *a, int64_t n, const TransformArg *args, Pattern *in)
{
    Value t;
    return plib_const(PLIB_ARG(0), &t) ? stutter_tree(a, n, val_to_rat(&t), in) : NULL;
}
PLIB(double) { return stutter_k(a, 2, args, in); }
PLIB(triple) { return stutter_k(a, 3, args, in); }
PLIB(quad) { return stutter_k(a, 4, args, in); }

/* --- arpeggiate = arp "up" ------------------------------------------------------------------- */
static Pattern *arp_up(Arena *a, Pattern *in)
{
    const TransformDef *arp = transform_find("arp");
    uint32_t up = sym_intern("up");
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    args[0].kind = TA_WORDS;
    args[0].pat = up ? pattern_pure(a, val_sym(up)) : NULL;
    return (arp && args[0].pat && in) ? arp->build(a, args, in) : NULL;
}
PLIB(arpeggiate)
{
    (void)args;
    return arp_up(a, in);
}

/* --- plyWith n f: arpeggiate (compound n), compound n = p, or overlay p (f (compound (n-1))) -- */
static void k_ply_with(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    double n = val_to_num(&v[0]);
    int64_t layers = !(n > 1) ? 1 : n >= PLY_WITH_MAX ? PLY_WITH_MAX : (int64_t)ceil(n);
    if (n > PLY_WITH_MAX) q->clamped++;
    const Pattern *const *trees = t->ud;
    pat_q(trees[layers - 1], arc, q);
}

PLIB(ply_with)
{
    Pattern **trees = arena_alloc(a, sizeof(Pattern *) * PLY_WITH_MAX);
    TNode *t = trees ? tnode_new(a, k_ply_with, in, 1, &PLIB_ARG(0)) : NULL;
    if (!t) return NULL;
    Pattern *compound = in;
    for (int k = 0; k < PLY_WITH_MAX; k++) {
        if (k) {
            Pattern *fc = plib_apply(a, PLIB_FN(1), compound);
            Pattern *ps[2] = { in, fc };
            if (!fc || !(compound = pattern_stack(a, ps, 2))) return NULL;
        }
        if (!(trees[k] = arp_up(a, compound))) return NULL;
    }
    t->ud = trees;
    return &t->base;
}

/* --- ghost'' a f p = superimpose (rotR (2.5 a) . f) $ superimpose (rotR (1.5 a) . f) p -------- */
static Pattern *superimpose_late(Arena *a, Rat shift, const PatternFn *f, Pattern *p)
{
    Pattern *fp = plib_apply(a, f, p);
    Pattern *ps[2] = { p, fp ? pattern_shift_const(a, rat_neg(shift), fp) : NULL };
    return ps[1] ? pattern_stack(a, ps, 2) : NULL;
}

static Pattern *ghost_with(Arena *a, Rat t, const PatternFn *f, Pattern *in)
{
    Pattern *inner = superimpose_late(a, rat_mul(t, RAT(3, 2)), f, in);
    return inner ? superimpose_late(a, rat_mul(t, RAT(5, 2)), f, inner) : NULL;
}

/* ghost' a: the ghost notes (|*| gain 0.7) . (|> end 0.2) . (|*| speed 1.25) */
static Pattern *ghost_notes(const PatternFn *self, Arena *a, Pattern *in)
{
    (void)self;
    Pattern *m1 = plib_pure_map(a, P_SPEED, val_num(1.25)), *m2 = plib_pure_map(a, P_END, val_num(0.2));
    Pattern *m3 = plib_pure_map(a, P_GAIN, val_num(0.7));
    if (!m1 || !m2 || !m3) return NULL;
    Pattern *p = pattern_op(a, OP_MUL, STRUCT_BOTH, in, m1);
    p = p ? pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, p, m2) : NULL;
    return p ? pattern_op(a, OP_MUL, STRUCT_BOTH, p, m3) : NULL;
}
static const PatternFn ghost_fn = { ghost_notes };

PLIB(ghost2)
{
    Value t;
    return plib_const(PLIB_ARG(0), &t) ? ghost_with(a, val_to_rat(&t), PLIB_FN(1), in) : NULL;
}
PLIB(ghost1)
{
    Value t;
    return plib_const(PLIB_ARG(0), &t) ? ghost_with(a, val_to_rat(&t), &ghost_fn, in) : NULL;
}
PLIB(ghost)
{
    (void)args;
    return ghost_with(a, RAT(1, 8), &ghost_fn, in);
}

/* --- spin n: stack [rotL (i/n) p # pan (i/n) | i <- [0 .. n-1]] ------------------------------ */
static void k_spin(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = lim_int(q, LIM_ECHOES, plib_int(&v[0]));
    for (int64_t i = 0; i < n && q_step(q); i++) {
        Rat off = rat_make(i, n);
        int from = q->out->len;
        q_shift(t->in, off, arc, q);
        Value m;
        if (!plib_query_map(q, P_PAN, val_num(rat_to_double(off)), &m)) return;
        plib_events_op(q, from, OP_KEEP_RIGHT, m);
    }
}
PLIB(spin) { return plib_tn(a, k_spin, in, 1, &PLIB_ARG(0)); }

/* --- juxcut f p = stack [p # pan 0 # cut (-1), f $ p # pan 1 # cut (-2)]; jux4: pans 5/8, 1/8 -- */
static Pattern *panned(Arena *a, Pattern *in, double pan, double cut, bool with_cut)
{
    Pattern *p = plib_with_param(a, OP_KEEP_RIGHT, in, P_PAN, val_num(pan));
    return (p && with_cut) ? plib_with_param(a, OP_KEEP_RIGHT, p, P_CUT, val_num(cut)) : p;
}
static Pattern *two_sides(Arena *a, const PatternFn *f, Pattern *l, Pattern *r)
{
    Pattern *ps[2] = { l, plib_apply(a, f, r) };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}
PLIB(juxcut) { return two_sides(a, PLIB_FN(0), panned(a, in, 0, -1, true), panned(a, in, 1, -2, true)); }
PLIB(jux4) { return two_sides(a, PLIB_FN(0), panned(a, in, 5.0 / 8, 0, false), panned(a, in, 1.0 / 8, 0, false)); }

/* --- inv: not <$> booleans; stitch b x p = overlay (struct b x) (struct (inv b) p) ----------- */
typedef struct InvNode {
    Pattern base;
    Pattern *in;
} InvNode;

static void inv_query(const Pattern *p, Arc arc, QCtx *q)
{
    const InvNode *n = (const InvNode *)p;
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(n->in, arc, q);
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Value v = b->ev[i].value;
        b->ev[i].value = val_bool(!val_truthy(&v));
        b->ev[i].value.spare = v.spare;
    }
}

static Pattern *inv_new(Arena *a, Pattern *in)
{
    InvNode *n = in ? pat_node(a, sizeof *n, inv_query) : NULL;
    if (!n) return NULL;
    n->in = in;
    return &n->base;
}
PLIB(inv)
{
    (void)args;
    return inv_new(a, in);
}
PLIB(stitch)
{
    if (!PLIB_ARG(0) || !PLIB_ARG(1)) return NULL;
    Pattern *ps[2] = { pattern_struct(a, PLIB_ARG(0), PLIB_ARG(1)), pattern_struct(a, inv_new(a, PLIB_ARG(0)), in) };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}

/* --- stripe n: each cycle n copies of the pattern squeezed into n random spans (Tidal's
 * substruct' (randStruct n)): span k weighs 1, 2 or 3 (choose [1, 2, 3] at the cycle's middle
 * shifted by k/n) and plays the pattern shifted k n cycles later, compressed into the span ---- */
#define STRIPE_MAX 256

typedef struct ShiftNode {
    Pattern base;
    const Pattern *in;
    Rat late;
} ShiftNode;

static void shift_tmp_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ShiftNode *s = (const ShiftNode *)p;
    q_shift(s->in, rat_neg(s->late), arc, q);
}

static void k_stripe(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = lim_int(q, LIM_SHUFFLE, plib_int(&v[0]));      /* STRIPE_MAX spans */
    if (n <= 0) return;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        int64_t w[STRIPE_MAX], total = 0;
        for (int64_t k = 0; k < n; k++) {
            double r = tidal_rand(rat_add(rat_add(c, RAT(1, 2)), rat_make(k, n)));
            w[k] = 1 + imod((int64_t)floor(r * 3), 3);
            total += w[k];
        }
        int64_t acc = 0;
        for (int64_t k = 0; k < n && q_step(q); k++) {
            Rat b = rat_make(acc, total);
            acc += w[k];
            Rat e = k == n - 1 ? rat_int(1) : rat_make(acc, total);
            Arc whole = { rat_add(c, b), rat_add(c, e) }, part;
            if (!arc_sect(pc, whole, &part)) continue;
            ShiftNode sh = { { shift_tmp_query, PK_OTHER }, t->in, rat_int(k * n) };
            q_compress(&sh.base, b, e, part, q);
        }
    }
}
PLIB(stripe) { return plib_tn(a, k_stripe, in, 1, &PLIB_ARG(0)); }
