/* pattern_when.c — Tidal's functions that test the cycle or the time a query starts at: ifp, when,
 * whenT, and the predicates they take (pattern.h, PatPred); within', which tests where events start. As in Tidal the test sees the start of
 * each piece of the query cut at cycle edges (splitQueries): ifp and when its cycle number, whenT
 * the time itself. Builders make the trees off the audio path; kernels only test and query. */
#include "pattern_library.h"

#include <string.h>

/* --- predicates -------------------------------------------------------------------------------- */

static const struct {
    const char *op;
    PredCmp cmp;
    PredCmp flipped;
} pred_ops[] = {
    { "<", PRED_LT, PRED_GT }, { "<=", PRED_LE, PRED_GE }, { ">", PRED_GT, PRED_LT },
    { ">=", PRED_GE, PRED_LE }, { "==", PRED_EQ, PRED_EQ }, { "/=", PRED_NE, PRED_NE },
};

int pattern_pred_cmp(const char *op)
{
    for (size_t i = 0; i < sizeof pred_ops / sizeof pred_ops[0]; i++)
        if (strcmp(pred_ops[i].op, op) == 0) return (int)pred_ops[i].cmp;
    return -1;
}

PredCmp pattern_pred_flip(PredCmp c)
{
    for (size_t i = 0; i < sizeof pred_ops / sizeof pred_ops[0]; i++)
        if (pred_ops[i].cmp == c) return pred_ops[i].flipped;
    return c;
}

/* Haskell's even and odd, as tests of x `mod` 2 */
static const struct {
    const char *name;
    int64_t rest;
} pred_names[] = { { "even", 0 }, { "odd", 1 } };

bool pattern_pred_named(const char *name, PatPred *out)
{
    for (size_t i = 0; i < sizeof pred_names / sizeof pred_names[0]; i++) {
        if (strcmp(pred_names[i].name, name) != 0) continue;
        out->mod = rat_int(2);
        out->cmp = PRED_EQ;
        out->v = rat_int(pred_names[i].rest);
        return true;
    }
    return false;
}

bool pattern_pred_test(const PatPred *p, Rat x)
{
    if (!rat_is_zero(p->mod))       /* Haskell's mod': x - m * floor (x / m), the sign of m */
        x = rat_sub(x, rat_mul(p->mod, rat_int(rat_floor(rat_div(x, p->mod)))));
    int c = rat_cmp(x, p->v);
    switch (p->cmp) {
    case PRED_LT: return c < 0;
    case PRED_LE: return c <= 0;
    case PRED_GT: return c > 0;
    case PRED_GE: return c >= 0;
    case PRED_EQ: return c == 0;
    case PRED_NE: return c != 0;
    }
    return false;
}

/* --- ifp, when, whenT ---------------------------------------------------------------------------- */

/* Each cycle piece of the query: alt (f p) when the test passes at its start, else alt2 (or in).
 * i0: the test sees the cycle number (ifp, when) rather than the time (whenT). */
static void k_when(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    const PatPred *pred = t->ud;
    const Pattern *other = t->alt2 ? t->alt2 : t->in;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat x = t->i0 ? rat_sam(pc.begin) : pc.begin;
        pat_q(pattern_pred_test(pred, x) ? t->alt : other, pc, q);
    }
}

static Pattern *when_node(Arena *a, const PatPred *pred, bool cycle, Pattern *yes, Pattern *no, Pattern *in)
{
    if (!pred || !yes || !in) return NULL;
    TNode *t = tnode_new(a, k_when, in, 0, NULL);
    if (!t) return NULL;
    PatPred *copy = arena_alloc(a, sizeof *copy);
    if (!copy) return NULL;
    *copy = *pred;
    t->ud = copy;
    t->i0 = cycle;
    t->alt = yes;
    t->alt2 = no;
    return &t->base;
}

/* whenT test f: f where the query starts at a time that passes the test */
PLIB(when_t) { return when_node(a, args[0].pred, false, plib_apply(a, PLIB_FN(1), in), NULL, in); }

/* when test f: f on the cycles whose number passes the test */
PLIB(when) { return when_node(a, args[0].pred, true, plib_apply(a, PLIB_FN(1), in), NULL, in); }

/* ifp test f g: f on the cycles whose number passes the test, g on the others */
PLIB(ifp)
{
    Pattern *no = plib_apply(a, PLIB_FN(2), in);
    return no ? when_node(a, args[0].pred, true, plib_apply(a, PLIB_FN(1), in), no, in) : NULL;
}

/* id: the pattern unchanged (ifp test f id) */
PLIB(id)
{
    (void)a;
    (void)args;
    return in;
}

/* within' (s, e) f p = stack [filterWhen inside (compress (s, e) (f (zoom (s, e) p))),
 *                            filterWhen (not . inside) p], inside t: s <= cyclePos t < e, of an
 * event's whole start (its part's, for a continuous one) */
typedef struct WithinNode {
    Pattern base;
    Pattern *in, *alt;
    Rat s, e;
} WithinNode;

static bool within_keep(const void *ud, const Event *e, QCtx *q)
{
    (void)q;
    const WithinNode *w = ud;
    Rat c = rat_cycle_pos(ev_whole_or_part(e).begin);
    bool inside = rat_le(w->s, c) && rat_lt(c, w->e);
    return inside == (w->alt != NULL);
}

static void within_query(const Pattern *p, Arc arc, QCtx *q)
{
    const WithinNode *w = (const WithinNode *)p;
    WithinNode out = *w;
    out.alt = NULL;                         /* the events of p outside the span */
    q_filter(w->alt, arc, q, within_keep, w);
    q_filter(w->in, arc, q, within_keep, &out);
}

PLIB(within_prime)
{
    Value s, e;
    if (!in || !plib_const(PLIB_ARG(0), &s) || !plib_const(PLIB_ARG(1), &e)) return NULL;
    Rat rs = val_to_rat(&s), re = val_to_rat(&e);
    Pattern *z = pattern_zoom(a, rs, re, in);
    Pattern *fz = plib_apply(a, PLIB_FN(2), z);
    Pattern *c = fz ? pattern_compress(a, rs, re, fz) : NULL;
    WithinNode *w = c ? pat_node(a, sizeof *w, within_query) : NULL;
    if (!w) return NULL;
    w->in = in;
    w->alt = c;
    w->s = rs;
    w->e = re;
    return &w->base;
}
