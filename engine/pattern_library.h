/* pattern_library.h — the builders of Tidal's wider library (scales, slicing, layering, cycles,
 * numbers, random choice, higher-order functions), one file per family (pattern_scale.c,
 * pattern_slice.c, pattern_layer.c, pattern_cycle.c, pattern_number.c, pattern_choose.c,
 * pattern_higher.c, pattern_when.c, pattern_variant.c, pattern_bits.c), named in the one transform table of pattern_transform.c. Builders run off the
 * audio path; their kernels run inside queries and never allocate, lock or log. */
#ifndef PHONON_PATTERN_LIBRARY_H
#define PHONON_PATTERN_LIBRARY_H

#include <math.h>

#include "pattern_impl.h"

/* --- small helpers the families share ------------------------------------------------------- */
#define PLIB_ARG(i) (args[i].pat)
#define PLIB_FN(i) (args[i].fn)

static inline Pattern *plib_tn(Arena *a, TKernel k, Pattern *in, int nargs, Pattern *const *ps)
{
    TNode *t = tnode_new(a, k, in, nargs, ps);
    return t ? &t->base : NULL;
}
/* The value of a constant (pure) argument. */
static inline bool plib_const(const Pattern *p, Value *v)
{
    if (!p || !pat_is_pure(p)) return false;
    *v = ((const PureNode *)p)->v;
    return true;
}
/* A value as an integer (Haskell's floor), bounded so that it fits. */
static inline int64_t plib_int(const Value *v)
{
    double x = val_to_num(v);
    if (!isfinite(x)) return 0;
    if (x > 1e15) return (int64_t)1e15;
    if (x < -1e15) return (int64_t)-1e15;
    return (int64_t)floor(x);
}
static inline Pattern *plib_apply(Arena *a, const PatternFn *f, Pattern *in) { return (f && in) ? f->apply(f, a, in) : NULL; }
/* {k: v} as a pure pattern (built in the arena). */
Pattern *plib_pure_map(Arena *a, Param k, Value v);
/* The same during a query, in the event buffer's map storage; false when it is full. */
bool plib_query_map(QCtx *q, Param k, Value v, Value *out);
/* p # {k: v}, p |* {k: v} ...: a constant parameter combined into every event (structure from p). */
Pattern *plib_with_param(Arena *a, PatOp op, Pattern *p, Param k, Value v);
/* Each event of [from, len) combined with v by op (v on the right), in place. */
void plib_events_op(QCtx *q, int from, PatOp op, Value v);
/* Haskell's round: to the nearest integer, halves to the even one. */
double plib_round_even(double x);

/* randcat (pattern_transform.c), weighted when weights is not NULL (wrandcat) */
Pattern *randcat_new(Arena *a, Pattern *const *ps, const double *weights, int n);

/* --- builders (TransformDef.build) ----------------------------------------------------------- */
typedef Pattern *(*PlibBuild)(Arena *a, const TransformArg *args, Pattern *in);
#define PLIB(name) Pattern *plib_##name(Arena *a, const TransformArg *args, Pattern *in)

/* pattern_scale.c */
PLIB(scale);
PLIB(to_scale);
PLIB(to_scale_oct);
/* pattern_choose.c */
PLIB(choose);
PLIB(choose_by);
PLIB(wchoose);
PLIB(wchoose_by);
PLIB(cycle_choose);
PLIB(wrandcat);
/* pattern_higher.c */
PLIB(spread);
PLIB(fastspread);
PLIB(spreadf);
PLIB(squeeze);
PLIB(select);
PLIB(pick_f);
PLIB(fold_every);
PLIB(smash);
PLIB(seq_p);
PLIB(time_cat);
PLIB(weave);
PLIB(weave_with);
PLIB(ur);
/* pattern_slice.c */
PLIB(slice);
PLIB(splice);
PLIB(randslice);
PLIB(chew);
PLIB(loop_at);
/* pattern_layer.c */
PLIB(stutter);
PLIB(double);
PLIB(triple);
PLIB(quad);
PLIB(ply_with);
PLIB(arpeggiate);
PLIB(ghost);
PLIB(ghost1);
PLIB(ghost2);
PLIB(spin);
PLIB(juxcut);
PLIB(jux4);
PLIB(stitch);
PLIB(inv);
PLIB(stripe);
/* pattern_cycle.c */
PLIB(wedge);
PLIB(loop_first);
PLIB(time_loop);
PLIB(soak);
/* pattern_number.c */
PLIB(quantise);
PLIB(rangex);
PLIB(perlin);
PLIB(perlin_with);
PLIB(smooth);
/* pattern_when.c */
PLIB(when_t);
PLIB(when);
PLIB(ifp);
PLIB(id);
/* pattern_variant.c */
PLIB(sometimes_prime);
PLIB(often_prime);
PLIB(rarely_prime);
PLIB(almost_never_prime);
PLIB(almost_always_prime);
PLIB(slowstripe);
PLIB(offadd);
PLIB(seq_p_loop);
PLIB(append);
PLIB(fast_append);
PLIB(smash_chop);
PLIB(qfloor);
PLIB(qceiling);
PLIB(select_f);
PLIB(spread_choose);
PLIB(fit);
PLIB(within_prime);
PLIB(fast_squeeze);
PLIB(slow_squeeze);
PLIB(inhabit);
PLIB(swap);
PLIB(space_out);
/* pattern_bits.c */
PLIB(binary_n);
PLIB(binary);
PLIB(ascii);
PLIB(brand_by);
PLIB(brand);

#endif
