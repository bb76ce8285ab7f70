/* pattern_library.c — helpers the families of Tidal's wider library share (pattern_library.h):
 * constant parameters combined into events, Haskell's rounding. Builders allocate in the arena;
 * the query helpers use only the event buffer's own storage. */
#include "pattern_library.h"

Pattern *plib_pure_map(Arena *a, Param k, Value v)
{
    ValMap *m = arena_alloc(a, valmap_size(1));
    if (!m) return NULL;
    m->mask = 1ull << k;
    m->v[0] = v;
    return pattern_pure(a, val_map(m));
}

bool plib_query_map(QCtx *q, Param k, Value v, Value *out)
{
    ValMap *m = ev_mem(q, valmap_size(1));
    if (!m) return false;
    m->mask = 1ull << k;
    m->v[0] = v;
    *out = val_map(m);
    return true;
}

Pattern *plib_with_param(Arena *a, PatOp op, Pattern *p, Param k, Value v)
{
    Pattern *m = plib_pure_map(a, k, v);
    return (m && p) ? pattern_op(a, op, STRUCT_LEFT, p, m) : NULL;
}

void plib_events_op(QCtx *q, int from, PatOp op, Value v)
{
    EventBuf *b = q->out;
    int w = from;
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Event e = b->ev[i];
        Value out;
        if (!val_combine(op, &e.value, &v, &out, q)) continue;
        e.value = out;
        b->ev[w++] = e;
    }
    b->len = w;
}

double plib_round_even(double x)
{
    /* by hand rather than nearbyint: a host may have changed the rounding mode */
    double f = floor(x), d = x - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return fmod(f, 2) == 0 ? f : f + 1;
}

bool pattern_is_pure(const Pattern *p) { return p && pat_is_pure(p); }
