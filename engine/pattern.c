/* pattern.c — the pattern core: event buffers, cycle arithmetic, the elementary combinators
 * (pure, stack, cat, fast, shift, rev, compress, zoom), patterned arguments, joins and operators.
 *
 * A query appends its events to the caller's EventBuf. Nodes that need intermediate results
 * (the events of an argument pattern, the left side of an operator) put them at the end of the same
 * buffer as scratch and cut them out before returning, so a query never allocates. */
#include "pattern_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- event buffers ------------------------------------------------------------------------ */

bool eventbuf_init(EventBuf *b, int cap, size_t mem_cap)
{
    memset(b, 0, sizeof *b);
    b->ev = malloc((size_t)(cap > 0 ? cap : 1) * sizeof(Event));
    b->mem = malloc(mem_cap > 0 ? mem_cap : 16);
    if (!b->ev || !b->mem) {
        eventbuf_free(b);
        return false;
    }
    b->cap = cap;
    b->mem_cap = mem_cap;
    return true;
}

void eventbuf_free(EventBuf *b)
{
    free(b->ev);
    free(b->mem);
    memset(b, 0, sizeof *b);
}

bool ev_add(QCtx *q, const Arc *whole, Arc part, Value v)
{
    EventBuf *b = q->out;
    if (b->len >= b->cap) {
        b->overflow = true;
        return false;
    }
    if (!q_step(q)) return false;
    Event *e = &b->ev[b->len++];
    e->has_whole = whole != NULL;
    if (whole) e->whole = *whole;
    else e->whole = part;
    e->part = part;
    e->value = v;
    return true;
}

void ev_cut(QCtx *q, int from, int to)
{
    EventBuf *b = q->out;
    if (to <= from) return;
    memmove(&b->ev[from], &b->ev[to], (size_t)(b->len - to) * sizeof(Event));
    b->len -= to - from;
}

void *ev_mem(QCtx *q, size_t size)
{
    EventBuf *b = q->out;
    size_t at = (b->mem_used + 15) & ~(size_t)15;
    if (at + size > b->mem_cap) {
        b->overflow = true;
        return NULL;
    }
    b->mem_used = at + size;
    return b->mem + at;
}

int pattern_query(const Pattern *p, Arc arc, EventBuf *out, const QueryEnv *env)
{
    QueryBudget *bud = env ? env->budget : NULL;
    long cap = PATTERN_QUERY_STEPS;
    if (bud && bud->left < cap) cap = bud->left > 0 ? bud->left : 0;
    long reserve = cap / 4;
    QCtx q = { out, env, NULL, cap - reserve, reserve, 0, 0, false, false };
    int n0 = out->len;
    bool full = out->overflow;
    out->overflow = false;
    if (p) pat_q(p, arc, &q);
    bool cut = q.cut || out->overflow;
    out->overflow = full || cut;
    if (bud) {
        long used = cap - q.steps - q.reserve;
        bud->left -= used;
        bud->used += used;
        bud->cut += cut;
        bud->clamped += q.clamped;
        bud->deep += q.deep;
    }
    return out->len - n0;
}

/* --- factor ranges ---------------------------------------------------------------------------- */

/* |x| is kept within [lo, hi]; 0 stays 0 (a factor of 0 is silence where Tidal has it so).
 * docs/PATTERNS.md, "Limits", lists the same ranges. */
static const struct {
    Rat lo, hi;
    const char *text;
} lim_table[LIM_COUNT] = {
    [LIM_NONE] = { { 0, 1 }, { INT64_MAX, 1 }, "" },
    [LIM_SPEED] = { { 1, 10000 }, { 10000, 1 }, "1/10000 to 10000" },
    [LIM_PLY] = { { 0, 1 }, { 1024, 1 }, "at most 1024" },
    [LIM_SEGMENT] = { { 0, 1 }, { 4096, 1 }, "at most 4096" },
    [LIM_SLICES] = { { 0, 1 }, { 1024, 1 }, "at most 1024" },
    [LIM_ECHOES] = { { 0, 1 }, { 64, 1 }, "at most 64" },
    [LIM_ECHOES_WITH] = { { 0, 1 }, { 16, 1 }, "at most 16" },
    [LIM_SHUFFLE] = { { 0, 1 }, { 256, 1 }, "at most 256" },
};

const char *lim_text(PatLimit lim, double *lo, double *hi)
{
    if (lim <= LIM_NONE || lim >= LIM_COUNT) lim = LIM_NONE;
    *lo = rat_to_double(lim_table[lim].lo);
    *hi = rat_to_double(lim_table[lim].hi);
    return lim_table[lim].text;
}

bool lim_clamp(PatLimit lim, Rat x, Rat *out)
{
    Rat m = rat_lt(x, rat_int(0)) ? rat_neg(x) : x;
    *out = x;
    if (rat_is_zero(x) || lim <= LIM_NONE || lim >= LIM_COUNT) return false;
    Rat c = rat_lt(m, lim_table[lim].lo) ? lim_table[lim].lo : rat_lt(lim_table[lim].hi, m) ? lim_table[lim].hi : m;
    if (rat_eq(c, m)) return false;
    *out = rat_lt(x, rat_int(0)) ? rat_neg(c) : c;
    return true;
}

Rat lim_rat(QCtx *q, PatLimit lim, Rat x)
{
    Rat r;
    if (lim_clamp(lim, x, &r)) q->clamped++;
    return r;
}

int64_t lim_int(QCtx *q, PatLimit lim, int64_t x)
{
    Rat r;
    if (!lim_clamp(lim, rat_int(x), &r)) return x;
    q->clamped++;
    return rat_floor(r);
}

/* --- time helpers ------------------------------------------------------------------------- */

bool cyc_next(CycIter *it, Arc *piece)
{
    if (it->done) return false;
    if (it->q && !q_step(it->q)) {
        it->done = true;
        return false;
    }
    if (arc_zero(it->arc)) {
        *piece = it->arc;
        it->done = true;
        return true;
    }
    if (!rat_lt(it->at, it->arc.end)) {
        it->done = true;
        return false;
    }
    Rat e = rat_min(rat_next_sam(it->at), it->arc.end);
    piece->begin = it->at;
    piece->end = e;
    it->at = e;
    return true;
}

Arc arc_mul(Arc a, Rat r) { return arc_make(rat_mul(a.begin, r), rat_mul(a.end, r)); }
Arc arc_div(Arc a, Rat r) { return arc_make(rat_div(a.begin, r), rat_div(a.end, r)); }
Arc arc_add(Arc a, Rat t) { return arc_make(rat_add(a.begin, t), rat_add(a.end, t)); }

int64_t imod(int64_t a, int64_t n)
{
    if (n == 0) return 0;
    int64_t m = a % n;
    if (m != 0 && ((m < 0) != (n < 0))) m += n;
    return m;
}

int64_t idiv(int64_t a, int64_t n)
{
    if (n == 0) return 0;
    int64_t d = a / n;
    if ((a % n != 0) && ((a < 0) != (n < 0))) d--;
    return d;
}

/* Apply t -> f(t) to the arcs of events [from, len). */
static void map_events_mul_add(QCtx *q, int from, Rat mul, Rat add)
{
    EventBuf *b = q->out;
    if (rat_eq(mul, rat_int(1)) && rat_is_zero(add)) return;
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Event *e = &b->ev[i];
        bool same = arc_eq(e->part, e->whole);     /* the common case: map once */
        e->part = arc_add(arc_mul(e->part, mul), add);
        e->whole = same ? e->part : arc_add(arc_mul(e->whole, mul), add);
    }
}

static void map_events_shift(QCtx *q, int from, Rat add)
{
    EventBuf *b = q->out;
    if (rat_is_zero(add)) return;
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Event *e = &b->ev[i];
        bool same = arc_eq(e->part, e->whole);
        e->part = arc_add(e->part, add);
        e->whole = same ? e->part : arc_add(e->whole, add);
    }
}

/* --- nodes -------------------------------------------------------------------------------- */

void *pat_node(Arena *a, size_t size, PatQueryFn fn)
{
    Pattern *p = arena_alloc(a, size);
    if (p) p->query = fn;
    return p;
}

/* The node of a transform with one input and up to two rational arguments. */
static Pattern *rat_node(Arena *a, PatQueryFn fn, Pattern *in, Rat r0, Rat r1)
{
    RatNode *n = pat_node(a, sizeof *n, fn);
    if (!n) return NULL;
    n->in = in;
    n->r0 = r0;
    n->r1 = r1;
    return &n->base;
}

static void silence_query(const Pattern *p, Arc arc, QCtx *q) { (void)p; (void)arc; (void)q; }

Pattern *pattern_silence(Arena *a)
{
    Pattern *p = pat_node(a, sizeof(Pattern), silence_query);
    if (p) p->kind = PK_SILENCE;
    return p;
}

void q_pure(Value v, Arc arc, QCtx *q)
{
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Arc w = { rat_sam(pc.begin), rat_next_sam(pc.begin) };
        if (!ev_add(q, &w, pc, v)) return;
    }
}

void pat_pure_query(const Pattern *p, Arc arc, QCtx *q) { q_pure(((const PureNode *)p)->v, arc, q); }

Pattern *pattern_pure(Arena *a, Value v)
{
    PureNode *n = pat_node(a, sizeof *n, pat_pure_query);
    if (!n) return NULL;
    n->base.kind = PK_PURE;
    n->v = v;
    return &n->base;
}

typedef struct ListNode {
    Pattern base;
    int n;
    Pattern **ps;
} ListNode;

static ListNode *list_node(Arena *a, PatQueryFn fn, Pattern *const *ps, int n)
{
    ListNode *l = pat_node(a, sizeof *l, fn);
    if (!l) return NULL;
    l->n = n;
    l->ps = arena_alloc(a, sizeof(Pattern *) * (size_t)(n > 0 ? n : 1));
    if (!l->ps) return NULL;
    for (int i = 0; i < n; i++) l->ps[i] = ps[i];
    return l;
}

static void stack_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ListNode *l = (const ListNode *)p;
    for (int i = 0; i < l->n; i++) pat_q(l->ps[i], arc, q);
}

Pattern *pattern_stack(Arena *a, Pattern *const *ps, int n)
{
    if (n == 0) return pattern_silence(a);
    if (n == 1) return ps[0];
    ListNode *l = list_node(a, stack_query, ps, n);
    return l ? &l->base : NULL;
}

void q_cat(int64_t n, CatMemberFn member, const void *ud, Arc arc, QCtx *q)
{
    if (n <= 0) return;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        int64_t cyc = rat_floor(pc.begin);
        int64_t i = imod(cyc, n);
        Rat offset = rat_int(cyc - idiv(cyc - i, n));
        int start = q->out->len;
        member(ud, i, arc_add(pc, rat_neg(offset)), q);
        map_events_shift(q, start, offset);
    }
}

static void list_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    pat_q(((const ListNode *)ud)->ps[i], arc, q);
}

static void slowcat_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ListNode *l = (const ListNode *)p;
    q_cat(l->n, list_member, l, arc, q);
}

Pattern *pattern_slowcat(Arena *a, Pattern *const *ps, int n)
{
    if (n == 0) return pattern_silence(a);
    ListNode *l = list_node(a, slowcat_query, ps, n);
    return l ? &l->base : NULL;
}

/* _fast with a constant factor (no cycle splitting, unlike the patterned `fast`). */
void pat_fastc_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatNode *n = (const RatNode *)p;
    q_fast(n->in, n->r0, arc, q);
}

static void revc_query(const Pattern *p, Arc arc, QCtx *q) { q_rev(((const RatNode *)p)->in, arc, q); }

void q_fast(const Pattern *p, Rat r, Arc arc, QCtx *q)
{
    int c = rat_cmp(r, rat_int(0));
    if (c == 0) return;
    if (c < 0) {
        RatNode tmp = { { pat_fastc_query, PK_OTHER }, (Pattern *)p, rat_neg(r), rat_int(0) };
        q_rev(&tmp.base, arc, q);
        return;
    }
    int start = q->out->len;
    pat_q(p, arc_mul(arc, r), q);
    map_events_mul_add(q, start, rat_div(rat_int(1), r), rat_int(0));
}

Pattern *pattern_fast_const(Arena *a, Rat r, Pattern *in)
{
    if (rat_eq(r, rat_int(1))) return in;
    if (rat_is_zero(r)) return pattern_silence(a);
    return rat_node(a, pat_fastc_query, in, r, rat_int(0));
}

Pattern *pattern_fastcat(Arena *a, Pattern *const *ps, int n)
{
    if (n == 0) return pattern_silence(a);
    return pattern_fast_const(a, rat_int(n), pattern_slowcat(a, ps, n));
}

void q_shift(const Pattern *p, Rat t, Arc arc, QCtx *q)
{
    int start = q->out->len;
    pat_q(p, arc_add(arc, t), q);
    map_events_shift(q, start, rat_neg(t));
}

static void shiftc_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatNode *n = (const RatNode *)p;
    q_shift(n->in, n->r0, arc, q);
}

Pattern *pattern_shift_const(Arena *a, Rat t, Pattern *in)
{
    if (rat_is_zero(t)) return in;
    return rat_node(a, shiftc_query, in, t, rat_int(0));
}

/* Each cycle reflected in place: t -> 2c + 1 - t for the cycle c the query piece is in. */
void q_rev(const Pattern *p, Arc arc, QCtx *q)
{
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat axis = rat_add(rat_mul(rat_sam(pc.begin), rat_int(2)), rat_int(1));
        Arc r = { rat_sub(axis, pc.end), rat_sub(axis, pc.begin) };
        int start = q->out->len;
        pat_q(p, r, q);
        EventBuf *b = q->out;
        q_pay(q, start);
        for (int i = start; i < b->len; i++) {
            Event *e = &b->ev[i];
            Arc np = { rat_sub(axis, e->part.end), rat_sub(axis, e->part.begin) };
            Arc nw = { rat_sub(axis, e->whole.end), rat_sub(axis, e->whole.begin) };
            e->part = np;
            e->whole = nw;
        }
    }
}

Pattern *pattern_rev(Arena *a, Pattern *in)
{
    return rat_node(a, revc_query, in, rat_int(0), rat_int(0));
}

/* Cycle c of p squeezed into [c + b, c + e) of every cycle c. Wholes are mapped with the same
 * cycle as their parts: Tidal 1.7.10 maps a whole that starts in an earlier cycle relative to that
 * cycle, which leaves its part outside it (phonon does not reproduce that). */
void q_compress(const Pattern *p, Rat b, Rat e, Arc arc, QCtx *q)
{
    if (!rat_lt(b, e) || rat_lt(b, rat_int(0)) || rat_lt(rat_int(1), e)) return;
    Rat d = rat_sub(e, b);
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Rat rb = rat_add(c, b), re = rat_add(c, e);
        Rat s, t;
        if (arc_zero(pc)) {
            if (rat_lt(pc.begin, rb) || !rat_lt(pc.begin, re)) continue;
            s = t = pc.begin;
        } else {
            s = rat_max(pc.begin, rb);
            t = rat_min(pc.end, re);
            if (!rat_lt(s, t)) continue;
        }
        if (rat_is_zero(b) && rat_eq(e, rat_int(1))) {
            pat_q(p, arc_make(s, t), q);       /* the whole cycle: only the splitting remains */
            continue;
        }
        Arc in = { rat_add(c, rat_div(rat_sub(s, rb), d)), rat_add(c, rat_div(rat_sub(t, rb), d)) };
        int start = q->out->len;
        pat_q(p, in, q);
        /* x -> rb + (x - c) d */
        map_events_mul_add(q, start, d, rat_sub(rb, rat_mul(c, d)));
    }
}

static void compressc_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatNode *n = (const RatNode *)p;
    q_compress(n->in, n->r0, n->r1, arc, q);
}

Pattern *pattern_compress(Arena *a, Rat b, Rat e, Pattern *in)
{
    return rat_node(a, compressc_query, in, b, e);
}

/* The part [b, e) of every cycle stretched to fill the cycle. Parts map with the query's cycle c:
 * x -> c + (x - c - b) / d. Wholes map as Tidal 1.7.10 maps them, each with the cycle its own
 * begin is in (so a whole that started in an earlier cycle comes out as Tidal has it); when the
 * zoom reaches past the cycle end (e > 1) that would not hold the part, and wholes map like parts. */
void q_zoom(const Pattern *p, Rat b, Rat e, Arc arc, QCtx *q)
{
    Rat d = rat_sub(e, b);
    if (rat_is_zero(d)) return;
    Rat inv = rat_div(rat_int(1), d);
    /* Tidal maps a whole begun in an earlier cycle relative to its own cycle; phonon does so for
       zooms inside 0..1 and only where the part stays inside that whole: past either end of the
       cycle Tidal answers with events outside the query, so there every event maps with the
       query's cycle (docs/PATTERNS.md, departures) */
    bool tidal_wholes = rat_le(e, rat_int(1)) && !rat_lt(b, rat_int(0));
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Rat base = rat_add(c, b);
        Arc in = { rat_add(base, rat_mul(rat_sub(pc.begin, c), d)), rat_add(base, rat_mul(rat_sub(pc.end, c), d)) };
        int start = q->out->len;
        pat_q(p, in, q);
        Rat add = rat_sub(c, rat_mul(base, inv));
        EventBuf *buf = q->out;
        q_pay(q, start);
        for (int i = start; i < buf->len; i++) {
            Event *ev = &buf->ev[i];
            Rat ws = rat_sam(ev->whole.begin);
            bool own = tidal_wholes && !rat_eq(ws, c);
            bool same = !own && arc_eq(ev->part, ev->whole);
            ev->part = arc_add(arc_mul(ev->part, inv), add);
            Arc w = ev->whole;
            if (same) ev->whole = ev->part;
            else ev->whole = arc_add(arc_mul(w, inv), add);
            if (own) {
                /* Tidal's mapping of the whole, kept only where it holds the part */
                Arc tw = arc_add(arc_mul(w, inv), rat_sub(ws, rat_mul(rat_add(ws, b), inv)));
                if (rat_le(tw.begin, ev->part.begin) && rat_le(ev->part.end, tw.end)) ev->whole = tw;
            }
        }
    }
}

static void zoomc_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatNode *n = (const RatNode *)p;
    q_zoom(n->in, n->r0, n->r1, arc, q);
}

Pattern *pattern_zoom(Arena *a, Rat b, Rat e, Pattern *in)
{
    return rat_node(a, zoomc_query, in, b, e);
}

/* Tidal's timeCat: each member squeezed into its share of the cycle. */
Pattern *pattern_timecat(Arena *a, const Rat *weights, Pattern *const *ps, int n)
{
    Rat total = rat_int(0);
    int live = 0;
    for (int i = 0; i < n; i++)
        if (rat_lt(rat_int(0), weights[i])) {
            total = rat_add(total, weights[i]);
            live++;
        }
    if (live == 0) return pattern_silence(a);
    if (live == 1 && n == 1 && (pat_is_pure(ps[0]) || pat_is_silence(ps[0]))) return ps[0];  /* already per cycle */
    Pattern **parts = arena_alloc(a, sizeof(Pattern *) * (size_t)live);
    if (!parts) return NULL;
    Rat at = rat_int(0);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!rat_lt(rat_int(0), weights[i])) continue;
        Rat next = rat_add(at, weights[i]);
        parts[k++] = pat_is_silence(ps[i]) ? ps[i]
                                            : pattern_compress(a, rat_div(at, total), rat_div(next, total), ps[i]);
        at = next;
    }
    return pattern_stack(a, parts, live);
}

/* --- patterned arguments (tParam) ---------------------------------------------------------- */

TNode *tnode_new(Arena *a, TKernel kern, Pattern *in, int nargs, Pattern *const *args);

/* Combine argument i with what arguments 0..i-1 gave (whole w if hw, part), as Tidal's <*> does,
 * and run the kernel for every complete combination. */
/* Run the kernel for one combination of argument values; with unwrap, its events' wholes are cut
 * to the whole of the argument event (dropped when they do not meet it). */
static void tkern(const TNode *t, const Value *v, bool hw, Arc w, Arc part, QCtx *q)
{
    EventBuf *b = q->out;
    int start = b->len;
    t->kern(t, v, part, q);
    if (!t->unwrap) return;
    int out = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Event e = b->ev[i];
        if (e.has_whole) {
            if (!hw) {
                e.has_whole = false;
                e.whole = e.part;
            } else if (!arc_sect(w, e.whole, &e.whole)) {
                continue;
            }
        }
        b->ev[out++] = e;
    }
    b->len = out;
}

static void targs(const TNode *t, int i, Value *v, bool hw, Arc w, Arc part, Arc arc, QCtx *q)
{
    if (i >= t->nargs || i >= 4) {
        tkern(t, v, hw, w, part, q);
        return;
    }
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(t->arg[i], i == 0 ? arc : (hw ? w : part), q);
    int s1 = b->len;
    for (int j = s0; j < s1; j++) {
        Event e = b->ev[j];
        bool nhw;
        Arc nw, np;
        if (i == 0) {
            nhw = e.has_whole;
            nw = e.whole;
            np = e.part;
        } else {
            if (!arc_sect(part, e.part, &np)) continue;
            nhw = hw && e.has_whole;
            if (nhw && !arc_sect(w, e.whole, &nw)) continue;
            if (!nhw) nw = np;
        }
        v[i] = e.value;
        targs(t, i + 1, v, nhw, nw, np, arc, q);
    }
    ev_cut(q, s0, s1);
}

static void tnode_query(const Pattern *p, Arc arc, QCtx *q)
{
    const TNode *t = (const TNode *)p;
    int start = q->out->len;
    if (t->nargs == 0) {
        t->kern(t, NULL, arc, q);
        return;
    }
    Value v[4];
    bool all_pure = true;
    for (int i = 0; i < t->nargs; i++) {
        if (!pat_is_pure(t->arg[i])) {
            all_pure = false;
            break;
        }
        v[i] = ((const PureNode *)t->arg[i])->v;
    }
    if (all_pure) {
        CycIter it = cyc_iter_q(arc, q);
        Arc pc;
        while (cyc_next(&it, &pc)) {
            if (t->unwrap) tkern(t, v, true, arc_make(rat_sam(pc.begin), rat_next_sam(pc.begin)), pc, q);
            else t->kern(t, v, pc, q);
        }
    } else {
        targs(t, 0, v, false, arc, arc, arc, q);
    }
    /* the inner join keeps only what lies in the query */
    EventBuf *b = q->out;
    int w = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Arc np;
        if (!arc_sect(arc, b->ev[i].part, &np)) continue;
        b->ev[w] = b->ev[i];
        b->ev[w].part = np;
        w++;
    }
    b->len = w;
}

TNode *tnode_new(Arena *a, TKernel kern, Pattern *in, int nargs, Pattern *const *args)
{
    TNode *t = pat_node(a, sizeof *t, tnode_query);
    if (!t) return NULL;
    t->kern = kern;
    t->in = in;
    t->nargs = nargs;
    for (int i = 0; i < nargs && i < 4; i++) t->arg[i] = args[i];
    return t;
}

static void k_fast(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    q_fast(t->in, lim_rat(q, LIM_SPEED, val_to_rat(&v[0])), arc, q);
}

static void k_slow(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat r = lim_rat(q, LIM_SPEED, val_to_rat(&v[0]));
    if (rat_is_zero(r)) return;
    q_fast(t->in, rat_div(rat_int(1), r), arc, q);
}

Pattern *pattern_fast(Arena *a, Pattern *factor, Pattern *in)
{
    TNode *t = tnode_new(a, k_fast, in, 1, &factor);
    return t ? &t->base : NULL;
}

Pattern *pattern_slow(Arena *a, Pattern *factor, Pattern *in)
{
    TNode *t = tnode_new(a, k_slow, in, 1, &factor);
    return t ? &t->base : NULL;
}

/* --- filtering, squeezing, applying ------------------------------------------------------------ */

void q_filter(const Pattern *p, Arc arc, QCtx *q, EvPred keep, const void *ud)
{
    EventBuf *b = q->out;
    int start = b->len;
    pat_q(p, arc, q);
    int w = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++)
        if (keep(ud, &b->ev[i], q)) b->ev[w++] = b->ev[i];
    b->len = w;
}

void q_squeeze(const Pattern *outer, Arc arc, QCtx *q, InnerFn inner, const void *ud)
{
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(outer, arc, q);
    int s1 = b->len;
    for (int j = s0; j < s1; j++) {
        Event e = b->ev[j];
        Arc W = ev_whole_or_part(&e);
        Rat d = rat_sub(W.end, W.begin);
        if (!rat_lt(rat_int(0), d)) continue;
        Rat c = rat_sam(W.begin);
        Arc in = { rat_add(c, rat_div(rat_sub(e.part.begin, W.begin), d)),
                   rat_add(c, rat_div(rat_sub(e.part.end, W.begin), d)) };
        int r0 = b->len;
        inner(ud, &e, in, q);
        /* inner time x -> W.begin + (x - c) d */
        Rat add = rat_sub(W.begin, rat_mul(c, d));
        int w = r0;
        q_pay(q, r0);
        for (int k = r0; k < b->len; k++) {
            Event x = b->ev[k];
            Arc xp = arc_add(arc_mul(x.part, d), add), xw = arc_add(arc_mul(x.whole, d), add);
            Arc np, nw;
            if (!arc_sect(e.part, xp, &np)) continue;
            bool hw = e.has_whole && x.has_whole;
            if (hw && !arc_sect(e.whole, xw, &nw)) continue;
            Event *o = &b->ev[w++];
            *o = x;
            o->has_whole = hw;
            o->whole = hw ? nw : np;
            o->part = np;
        }
        b->len = w;
    }
    ev_cut(q, s0, s1);
}

typedef struct SqueezeOp {
    const Pattern *r;
    CombFn comb;
    const void *ud;
} SqueezeOp;

static void squeeze_op_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const SqueezeOp *s = ud;
    EventBuf *b = q->out;
    int start = b->len;
    pat_q(s->r, arc, q);
    int w = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Event x = b->ev[i];
        Value out;
        if (!s->comb(s->ud, &outer->value, &x.value, &out, q)) continue;
        x.value = out;
        b->ev[w++] = x;
    }
    b->len = w;
}

/* Combine each event of `first` with the events of `second` found over its whole (or part).
 * right: the values are passed as (second, first). both: wholes intersect, and only digital
 * events of `second` are used (Tidal 1.7.10's <*>: analog events are matched separately). */
static void app_pass(const Pattern *first, const Pattern *second, PatStruct st, bool swap, bool analog_first,
                     CombFn comb, const void *ud, Arc arc, QCtx *q)
{
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(first, arc, q);
    int s1 = b->len;
    if (st == STRUCT_LEFT && !swap && pat_is_pure(second)) {
        /* `p # 3`: a pure right side meets each event once, unless its whole crosses a cycle edge */
        const Value *rv = &((const PureNode *)second)->v;
        int w = s0;
        bool simple = true;
        for (int j = s0; j < s1 && simple; j++) {
            Arc W = ev_whole_or_part(&b->ev[j]);
            simple = rat_le(W.end, rat_next_sam(W.begin));
        }
        if (simple) {
            for (int j = s0; j < s1; j++) {
                Event e = b->ev[j];
                if (!comb(ud, &e.value, rv, &e.value, q)) continue;
                b->ev[w++] = e;
            }
            b->len = w;
            return;
        }
    }
    for (int j = s0; j < s1; j++) {
        Event e = b->ev[j];
        if (analog_first && e.has_whole) continue;
        int r0 = b->len;
        pat_q(second, ev_whole_or_part(&e), q);
        int w = r0;
        q_pay(q, r0);
        for (int k = r0; k < b->len; k++) {
            Event x = b->ev[k];
            if (st == STRUCT_BOTH && !x.has_whole) continue;
            Arc np, nw = e.whole;
            if (!arc_sect(e.part, x.part, &np)) continue;
            bool hw = e.has_whole;
            if (st == STRUCT_BOTH) {
                hw = e.has_whole && x.has_whole;
                if (hw && !arc_sect(e.whole, x.whole, &nw)) continue;
            }
            Value out;
            bool ok = swap ? comb(ud, &x.value, &e.value, &out, q) : comb(ud, &e.value, &x.value, &out, q);
            if (!ok) continue;
            Event *o = &b->ev[w++];
            o->has_whole = hw;
            o->whole = hw ? nw : np;
            o->part = np;
            o->value = out;
        }
        b->len = w;
    }
    ev_cut(q, s0, s1);
}

void q_app(const Pattern *l, const Pattern *r, PatStruct st, CombFn comb, const void *ud, Arc arc, QCtx *q)
{
    switch (st) {
    case STRUCT_SQUEEZE: {
        SqueezeOp s = { r, comb, ud };
        q_squeeze(l, arc, q, squeeze_op_inner, &s);
        return;
    }
    case STRUCT_LEFT: app_pass(l, r, st, false, false, comb, ud, arc, q); return;
    case STRUCT_RIGHT: app_pass(r, l, st, true, false, comb, ud, arc, q); return;
    case STRUCT_BOTH:
        app_pass(l, r, st, false, false, comb, ud, arc, q);
        app_pass(r, l, st, true, true, comb, ud, arc, q);     /* analog right events onto digital left */
        return;
    }
}

/* --- values ---------------------------------------------------------------------------------- */

bool val_truthy(const Value *v)
{
    switch (v->type) {
    case VAL_BOOL:
    case VAL_NUM: return v->num != 0;
    case VAL_RAT: return v->rnum != 0;
    case VAL_SYM: {
        const char *s = sym_name(v->sym);
        return strcmp(s, "t") == 0 || strcmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcmp(s, "x") == 0;
    }
    default: return false;
    }
}

static bool val_is_numeric(const Value *v) { return v->type == VAL_NUM || v->type == VAL_BOOL || v->type == VAL_RAT; }

static double num_op(PatOp op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_MOD: {
        /* Haskell's mod' : a - b * floor (a / b) */
        return a - b * floor(a / b);
    }
    case OP_POW: return pow(a, b);
    case OP_KEEP_LEFT:
    case OP_APPEND: return a;       /* Tidal's Num ValueMap keeps the left of what it cannot add */
    case OP_KEEP_RIGHT: return b;
    }
    return a;
}

static bool rat_op(PatOp op, Rat a, Rat b, Rat *out)
{
    switch (op) {
    case OP_ADD: *out = rat_add(a, b); return true;
    case OP_SUB: *out = rat_sub(a, b); return true;
    case OP_MUL: *out = rat_mul(a, b); return true;
    case OP_DIV:
        if (rat_is_zero(b)) return false;
        *out = rat_div(a, b);
        return true;
    case OP_MOD:
        if (rat_is_zero(b)) return false;
        *out = rat_sub(a, rat_mul(b, rat_int(rat_floor(rat_div(a, b)))));
        return true;
    default: return false;
    }
}

static bool plain_combine(PatOp op, const Value *l, const Value *r, Value *out)
{
    if (op == OP_KEEP_LEFT) {
        *out = *l;
        return true;
    }
    if (op == OP_KEEP_RIGHT) {
        *out = *r;
        return true;
    }
    if (op == OP_APPEND && l->type == VAL_SYM && r->type == VAL_SYM) {
        uint32_t w = pattern_join_word(l->sym, r->sym);     /* interned when the program was built */
        *out = *l;
        if (w) out->sym = w;
        return true;
    }
    if (val_is_numeric(l) && val_is_numeric(r)) {
        Rat x;
        if ((l->type == VAL_RAT || r->type == VAL_RAT) && rat_op(op, val_to_rat(l), val_to_rat(r), &x)) {
            *out = val_rat(x);
        } else {
            *out = val_num(num_op(op, val_to_num(l), val_to_num(r)));
        }
        out->chord = l->chord ? l->chord : r->chord;
        return true;
    }
    /* words do not add up (Tidal's + does not take strings); |++ joins them (above) */
    *out = *l;
    return true;
}

bool val_combine(PatOp op, const Value *l, const Value *r, Value *out, QCtx *q)
{
    if (l->type == VAL_MAP && r->type == VAL_MAP) {
        const ValMap *a = l->map, *b = r->map;
        uint64_t mask = a->mask | b->mask;
        int n = __builtin_popcountll(mask);
        ValMap *m = ev_mem(q, valmap_size(n));
        if (!m) return false;
        m->mask = mask;
        int k = 0;
        for (uint64_t bits = mask; bits; bits &= bits - 1) {
            int i = __builtin_ctzll(bits);
            const Value *x = valmap_get(a, i), *y = valmap_get(b, i);
            if (x && y) plain_combine(op, x, y, &m->v[k]);
            else m->v[k] = x ? *x : *y;
            k++;
        }
        uint8_t chord = l->chord ? l->chord : r->chord;   /* out may be l or r */
        uint16_t col = l->spare ? l->spare : r->spare;
        *out = val_map(m);
        out->chord = chord;
        out->spare = col;
        return true;
    }
    if (l->type == VAL_MAP) {
        *out = *l;
        return true;
    }
    if (r->type == VAL_MAP) {
        *out = *r;
        return true;
    }
    return plain_combine(op, l, r, out);
}

/* --- operators between patterns ------------------------------------------------------------- */

typedef struct OpNode {
    Pattern base;
    Pattern *l, *r;
    PatOp op;
    PatStruct st;
} OpNode;

static bool op_comb(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    return val_combine(((const OpNode *)ud)->op, l, r, out, q);
}

static void op_query(const Pattern *p, Arc arc, QCtx *q)
{
    const OpNode *n = (const OpNode *)p;
    q_app(n->l, n->r, n->st, op_comb, n, arc, q);
}

Pattern *pattern_op(Arena *a, PatOp op, PatStruct st, Pattern *l, Pattern *r)
{
    OpNode *n = pat_node(a, sizeof *n, op_query);
    if (!n) return NULL;
    n->l = l;
    n->r = r;
    n->op = op;
    n->st = st;
    return &n->base;
}

/* --- values mapped one by one ---------------------------------------------------------------- */

typedef struct MapNode {
    Pattern base;
    Pattern *in;
    Param key;
} MapNode;

/* What a control map stores: numbers as doubles (the voice engine reads num), no chord count. */
static Value plain_value(const Value *v)
{
    Value x = *v;
    if (x.type == VAL_RAT) x = val_num(val_to_num(v));
    else if (x.type == VAL_BOOL) x = val_num(v->num);
    x.chord = 0;
    x.spare = 0;
    return x;
}

/* {key: v}; an s word "bd:3" becomes {s: bd, n: 3} as Tidal's `s` splits it. */
static bool make_map(Param key, const Value *v, Value *out, QCtx *q)
{
    if (v->type == VAL_MAP) {
        *out = *v;
        return true;
    }
    bool split = false;
    const SymInfo *si = NULL;
    if (key == P_S && v->type == VAL_SYM) {
        si = sym_info(v->sym);
        split = si->has_index;
    }
    int n = split ? 2 : 1;
    uint8_t chord = v->chord;       /* out may be v */
    uint16_t col = v->spare;
    ValMap *m = ev_mem(q, valmap_size(n));
    if (!m) return false;
    if (split) {
        m->mask = (1ull << P_S) | (1ull << P_N);
        m->v[0] = val_sym(si->base);
        m->v[1] = val_num(si->index);
    } else {
        m->mask = 1ull << key;
        m->v[0] = plain_value(v);
    }
    *out = val_map(m);
    out->chord = chord;
    out->spare = col;
    return true;
}

static void tomap_query(const Pattern *p, Arc arc, QCtx *q)
{
    const MapNode *n = (const MapNode *)p;
    EventBuf *b = q->out;
    int start = b->len;
    pat_q(n->in, arc, q);
    int w = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Event e = b->ev[i];
        if (!make_map(n->key, &e.value, &e.value, q)) continue;
        b->ev[w++] = e;
    }
    b->len = w;
}

Pattern *pattern_to_map(Arena *a, Pattern *p, Param key)
{
    if (pat_is_pure(p)) {
        /* build the map once, in the arena */
        const Value *v = &((const PureNode *)p)->v;
        if (v->type == VAL_MAP) return p;
        bool split = key == P_S && v->type == VAL_SYM && sym_info(v->sym)->has_index;
        ValMap *m = arena_alloc(a, valmap_size(split ? 2 : 1));
        if (!m) return NULL;
        if (split) {
            const SymInfo *si = sym_info(v->sym);
            m->mask = (1ull << P_S) | (1ull << P_N);
            m->v[0] = val_sym(si->base);
            m->v[1] = val_num(si->index);
        } else {
            m->mask = 1ull << key;
            m->v[0] = plain_value(v);
        }
        Value mv = val_map(m);
        mv.chord = v->chord;
        mv.spare = v->spare;
        return pattern_pure(a, mv);
    }
    MapNode *n = pat_node(a, sizeof *n, tomap_query);
    if (!n) return NULL;
    n->in = p;
    n->key = key;
    return &n->base;
}

/* --- values bound by an enclosing node ------------------------------------------------------------ */

const QBind *bind_find(const QBind *b, const void *key)
{
    for (; b; b = b->next)
        if (b->key == key) return b;
    return NULL;
}

typedef struct BoundNode {
    Pattern base;
    Pattern *in;
    const void *key;
    int mode;           /* 0 rotR, 1 _fast, 2 _slow by the bound value */
} BoundNode;

static void bound_query(const Pattern *p, Arc arc, QCtx *q)
{
    const BoundNode *n = (const BoundNode *)p;
    const QBind *b = bind_find(q->bind, n->key);
    Rat t = b ? val_to_rat(&b->v) : rat_int(n->mode ? 1 : 0);
    if (n->mode) t = lim_rat(q, LIM_SPEED, t);      /* inside n, swingBy x n */
    switch (n->mode) {
    case 0: q_shift(n->in, rat_neg(t), arc, q); break;
    case 1: q_fast(n->in, t, arc, q); break;
    default:
        if (!rat_is_zero(t)) q_fast(n->in, rat_div(rat_int(1), t), arc, q);
        break;
    }
}

static Pattern *bound_new(Arena *a, const void *key, Pattern *in, int mode)
{
    BoundNode *n = pat_node(a, sizeof *n, bound_query);
    if (!n) return NULL;
    n->in = in;
    n->key = key;
    n->mode = mode;
    return &n->base;
}

Pattern *pattern_bound_late(Arena *a, const void *key, Pattern *in) { return bound_new(a, key, in, 0); }
Pattern *pattern_bound_fast(Arena *a, const void *key, Pattern *in) { return bound_new(a, key, in, 1); }
Pattern *pattern_bound_slow(Arena *a, const void *key, Pattern *in) { return bound_new(a, key, in, 2); }

/* --- a signal the engine provides ------------------------------------------------------------ */

typedef struct ExtNode {
    Pattern base;
    int id;
} ExtNode;

static void ext_query(const Pattern *p, Arc arc, QCtx *q)
{
    if (rat_lt(arc.end, arc.begin)) return;
    const ExtNode *n = (const ExtNode *)p;
    double x = (q->env && q->env->signal_at) ? q->env->signal_at(q->env->ud, n->id, arc.begin) : 0;
    ev_add(q, NULL, arc, val_num(x));
}

Pattern *pattern_signal_ext(Arena *a, int id)
{
    ExtNode *n = pat_node(a, sizeof *n, ext_query);
    if (!n) return NULL;
    n->id = id;
    return &n->base;
}

typedef struct ControlNode {
    Pattern base;
    int slot;
    double def;
    ControlAs as;
} ControlNode;

static Value control_value(const ControlNode *n, const QueryEnv *env)
{
    double x = (env && env->control) ? env->control(env->ud, n->slot, n->def) : n->def;
    if (!isfinite(x)) x = n->def;
    switch (n->as) {
    case CONTROL_TIME: return val_rat(rat_from_double(x, 1000));
    case CONTROL_BOOL: return val_bool(x != 0);
    default: return val_num(x);
    }
}

/* Read once per query: every event of one query has the value in force when it was asked. */
static void control_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ControlNode *n = (const ControlNode *)p;
    q_pure(control_value(n, q->env), arc, q);
}

Pattern *pattern_control(Arena *a, int slot, double def, ControlAs as)
{
    ControlNode *n = pat_node(a, sizeof *n, control_query);
    if (!n) return NULL;
    n->slot = slot;
    n->def = def;
    n->as = as;
    return &n->base;
}
