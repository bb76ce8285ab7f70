/* pattern_variant.c — Tidal 1.7.10's variants of functions already in the table, built from those
 * (transform_find), so each means exactly what Tidal defines it as: sometimes' often' rarely'
 * almostNever' almostAlways', slowstripe, offadd, seqPLoop, append fastAppend. Builders only; no kernels of their own. */
#include "pattern_library.h"

#include <string.h>

/* name's builder with these arguments */
static Pattern *build_as(Arena *a, const char *name, const TransformArg *args, Pattern *in)
{
    const TransformDef *d = transform_find(name);
    return (d && in) ? d->build(a, args, in) : NULL;
}

/* sometimesBy' x f (almostNever' is sometimesBy 0.1 in Tidal 1.7.10, without the prime) */
static Pattern *sometimes_prime(Arena *a, const char *by, double x, const PatternFn *f, Pattern *in)
{
    TransformArg s[TRANSFORM_MAX_ARGS];
    memset(s, 0, sizeof s);
    s[0].kind = TA_NUM;
    s[0].pat = pattern_pure(a, val_num(x));
    s[1].kind = TA_FN;
    s[1].fn = f;
    return s[0].pat ? build_as(a, by, s, in) : NULL;
}

PLIB(sometimes_prime) { return sometimes_prime(a, "sometimesBy'", 0.5, PLIB_FN(0), in); }
PLIB(often_prime) { return sometimes_prime(a, "sometimesBy'", 0.75, PLIB_FN(0), in); }
PLIB(rarely_prime) { return sometimes_prime(a, "sometimesBy'", 0.25, PLIB_FN(0), in); }
PLIB(almost_never_prime) { return sometimes_prime(a, "sometimesBy", 0.1, PLIB_FN(0), in); }
PLIB(almost_always_prime) { return sometimes_prime(a, "sometimesBy'", 0.9, PLIB_FN(0), in); }

/* slowstripe n = slow n . stripe n */
PLIB(slowstripe)
{
    Pattern *st = build_as(a, "stripe", args, in);
    return st ? pattern_slow(a, PLIB_ARG(0), st) : NULL;
}

/* offadd t n p = off t (+ n) p = stack [p, (t ~> p) + n] (Num's +: structure from both) */
PLIB(offadd)
{
    Pattern *late = in && PLIB_ARG(0) ? pattern_late(a, PLIB_ARG(0), in) : NULL;
    Pattern *plus = late && PLIB_ARG(1) ? pattern_op(a, OP_ADD, STRUCT_BOTH, late, PLIB_ARG(1)) : NULL;
    Pattern *ps[2] = { in, plus };
    return plus ? pattern_stack(a, ps, 2) : NULL;
}

/* seqPLoop ps = timeLoop (maxT - minT) $ minT `rotL` seqP ps */
PLIB(seq_p_loop)
{
    (void)in;
    int n = args[0].nitems;
    if (n <= 0) return pattern_silence(a);
    Rat lo = rat_int(0), hi = rat_int(0);
    for (int i = 0; i < n; i++) {
        Value s, e;
        if (!plib_const(args[0].items[3 * i].pat, &s) || !plib_const(args[0].items[3 * i + 1].pat, &e)) return NULL;
        Rat rs = val_to_rat(&s), re = val_to_rat(&e);
        lo = i == 0 || rat_lt(rs, lo) ? rs : lo;
        hi = i == 0 || rat_lt(hi, re) ? re : hi;
    }
    Pattern *seq = build_as(a, "seqP", args, pattern_silence(a));
    Pattern *early = seq ? pattern_shift_const(a, lo, seq) : NULL;
    TransformArg t[TRANSFORM_MAX_ARGS];
    memset(t, 0, sizeof t);
    t[0].kind = TA_TIME;
    t[0].pat = pattern_pure(a, val_rat(rat_sub(hi, lo)));
    return (early && t[0].pat) ? build_as(a, "timeLoop", t, early) : NULL;
}

/* append q p = cat [q, p]; fastAppend q p = _fast 2 (append q p) */
PLIB(append)
{
    Pattern *ps[2] = { PLIB_ARG(0), in };
    return (ps[0] && in) ? pattern_slowcat(a, ps, 2) : NULL;
}

PLIB(fast_append)
{
    Pattern *cat = plib_append(a, args, in);
    return cat ? pattern_fast_const(a, rat_int(2), cat) : NULL;
}
