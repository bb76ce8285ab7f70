/* pattern_choose.c — Tidal's random choice from lists: choose, chooseBy, wchoose, wchooseBy,
 * cycleChoose, wrandcat, with Tidal 1.7.10's random numbers (the generator of pattern_signal.c).
 * The lists are copied into the arena when the program is built; queries only read them. */
#include "pattern_library.h"

#include <string.h>

typedef struct ChooseNode {
    Pattern base;
    Pattern *by;            /* the pattern of numbers 0..1 that choose */
    Value *values;
    double *cum;            /* wchoose: the cumulative weights; NULL: chooseBy */
    int n;
    bool ranged;            /* by is range 0 n f already: the index is its floor */
} ChooseNode;

static void choose_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ChooseNode *c = (const ChooseNode *)p;
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(c->by, arc, q);
    q_pay(q, from);
    int w = from;
    for (int i = from; i < b->len; i++) {
        Event e = b->ev[i];
        double x = val_to_num(&e.value);
        if (!isfinite(x)) continue;
        int k = -1;
        if (c->cum) {
            /* the first whose cumulative weight exceeds x * total (Tidal: head of findIndices) */
            double total = c->cum[c->n - 1];
            for (int j = 0; j < c->n && k < 0; j++)
                if (c->cum[j] > x * total) k = j;
            if (k < 0) continue;
        } else {
            double f = floor(x);
            k = (int)imod(f > 1e15 ? (int64_t)1e15 : f < -1e15 ? (int64_t)-1e15 : (int64_t)f, c->n);   /* xs !!! i */
        }
        e.value = c->values[k];
        b->ev[w++] = e;
    }
    b->len = w;
}

/* The plain values of a list argument's items (member m of tuples of width w). */
static Value *list_values(Arena *a, const TransformArg *list, int w, int m)
{
    if (!list || list->nitems <= 0) return NULL;
    Value *v = arena_alloc(a, sizeof(Value) * (size_t)list->nitems);
    if (!v) return NULL;
    for (int i = 0; i < list->nitems; i++)
        if (!plib_const(list->items[i * w + m].pat, &v[i])) return NULL;
    return v;
}

static Pattern *choose_new(Arena *a, Pattern *by, const TransformArg *list, bool weighted)
{
    if (!list || list->nitems <= 0) return pattern_silence(a);     /* chooseBy _ [] = silence */
    ChooseNode *c = by ? pat_node(a, sizeof *c, choose_query) : NULL;
    if (!c) return NULL;
    c->n = list->nitems;
    c->values = list_values(a, list, weighted ? 2 : 1, 0);
    if (!c->values) return NULL;
    if (weighted) {
        Value *wv = list_values(a, list, 2, 1);
        c->cum = wv ? arena_alloc(a, sizeof(double) * (size_t)c->n) : NULL;
        if (!c->cum) return NULL;
        double acc = 0;
        for (int i = 0; i < c->n; i++) c->cum[i] = acc += val_to_num(&wv[i]);
        c->by = by;
        return &c->base;
    }
    /* chooseBy f xs = (xs !!!) . floor <$> range 0 (length xs) f */
    const TransformDef *range = transform_find("range");
    TransformArg r[TRANSFORM_MAX_ARGS];
    memset(r, 0, sizeof r);
    r[0].kind = r[1].kind = TA_NUM;
    r[0].pat = pattern_pure(a, val_num(0));
    r[1].pat = pattern_pure(a, val_num(c->n));
    c->by = (range && r[0].pat && r[1].pat) ? range->build(a, r, by) : NULL;
    return c->by ? &c->base : NULL;
}

PLIB(choose)
{
    (void)in;
    return choose_new(a, pattern_signal(a, "rand"), &args[0], false);
}
PLIB(choose_by)
{
    (void)in;
    return choose_new(a, PLIB_ARG(0), &args[1], false);
}
PLIB(wchoose)
{
    (void)in;
    return choose_new(a, pattern_signal(a, "rand"), &args[0], true);
}
PLIB(wchoose_by)
{
    (void)in;
    return choose_new(a, PLIB_ARG(0), &args[1], true);
}

/* cycleChoose = segment 1 . choose */
PLIB(cycle_choose)
{
    const TransformDef *segment = transform_find("segment");
    TransformArg s[TRANSFORM_MAX_ARGS];
    memset(s, 0, sizeof s);
    s[0].kind = TA_TIME;
    s[0].pat = pattern_pure(a, val_rat(rat_int(1)));
    Pattern *ch = plib_choose(a, args, in);
    return (segment && s[0].pat && ch) ? segment->build(a, s, ch) : NULL;
}

/* wrandcat [(p, w) ...] = unwrap $ wchooseBy (segment 1 rand) ps: one pattern a cycle, by weight */
PLIB(wrandcat)
{
    (void)in;
    int n = args[0].nitems;
    if (n <= 0) return pattern_silence(a);
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    double *w = arena_alloc(a, sizeof(double) * (size_t)n);
    if (!ps || !w) return NULL;
    for (int i = 0; i < n; i++) {
        Value v;
        ps[i] = args[0].items[2 * i].pat;
        if (!ps[i] || !plib_const(args[0].items[2 * i + 1].pat, &v)) return NULL;
        w[i] = val_to_num(&v);
    }
    return randcat_new(a, ps, w, n);
}
