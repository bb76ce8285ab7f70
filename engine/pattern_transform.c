/* pattern_transform.c — Tidal's transform library (fast, every, ply, jux, chop, euclid ...) and the
 * table that names them. Each behaves as in Tidal 1.7.10, with patterned arguments where Tidal has
 * them; builders run off the audio path, kernels run inside queries and never allocate. */
#include "pattern_impl.h"
#include "pattern_library.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Pattern *pattern_degrade_seeded(Arena *a, int64_t seed, double amount, Pattern *in);
Pattern *pattern_degrade_by(Arena *a, Pattern *amount, Pattern *in);
Pattern *pattern_undegrade_by(Arena *a, Pattern *amount, Pattern *in);
Pattern *pattern_sometimes_by(Arena *a, Pattern *x, const PatternFn *f, Pattern *in, bool inner);
Pattern *pattern_some_cycles_by(Arena *a, Pattern *x, const PatternFn *f, Pattern *in);

/* --- small helpers ---------------------------------------------------------------------------- */

static Pattern *tn(Arena *a, TKernel k, Pattern *in, int nargs, Pattern *const *args)
{
    TNode *t = tnode_new(a, k, in, nargs, args);
    return t ? &t->base : NULL;
}

static Pattern *pure_num(Arena *a, double x) { return pattern_pure(a, val_num(x)); }
static Pattern *pure_rat(Arena *a, Rat r) { return pattern_pure(a, val_rat(r)); }

/* A constant argument: the value of a pure pattern. */
static bool const_value(const Pattern *p, Value *v)
{
    if (!p || !pat_is_pure(p)) return false;
    *v = ((const PureNode *)p)->v;
    return true;
}

static int64_t val_int(const Value *v)
{
    double x = val_to_num(v);
    if (!isfinite(x)) return 0;
    if (x > 1e15) return (int64_t)1e15;
    if (x < -1e15) return (int64_t)-1e15;
    return (int64_t)floor(x);
}

static Pattern *apply_fn(Arena *a, const PatternFn *f, Pattern *in) { return (f && in) ? f->apply(f, a, in) : NULL; }

/* A control map {k1: v1, ...} as a pure pattern, built in the arena. */
static Pattern *pure_map(Arena *a, int n, const Param *keys, const double *vals)
{
    ValMap *m = arena_alloc(a, valmap_size(n));
    if (!m) return NULL;
    m->mask = 0;
    for (int i = 0; i < n; i++) m->mask |= 1ull << keys[i];
    for (int i = 0; i < n; i++) *(Value *)valmap_get(m, keys[i]) = val_num(vals[i]);
    return pattern_pure(a, val_map(m));
}

/* The same during a query, in the event buffer's map storage. */
static bool query_map(QCtx *q, int n, const Param *keys, const double *vals, Value *out)
{
    ValMap *m = ev_mem(q, valmap_size(n));
    if (!m) return false;
    m->mask = 0;
    for (int i = 0; i < n; i++) m->mask |= 1ull << keys[i];
    for (int i = 0; i < n; i++) *(Value *)valmap_get(m, keys[i]) = val_num(vals[i]);
    *out = val_map(m);
    return true;
}

static bool comb_op_mul(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    return val_combine(OP_MUL, l, r, out, q);
}

static bool comb_keep_right(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    return val_combine(OP_KEEP_RIGHT, l, r, out, q);
}

/* p `op` (pure v), structure from p, during a query */
static void q_op_pure(const Pattern *p, CombFn comb, Value v, Arc arc, QCtx *q)
{
    PureNode r = { { pat_pure_query, PK_PURE }, v };
    q_app(p, &r.base, STRUCT_LEFT, comb, NULL, arc, q);
}

/* --- values mapped one by one (fmap) ------------------------------------------------------------ */

typedef struct FmapNode {
    Pattern base;
    Pattern *in;
    PatOp op;
    Value k;
    bool value_left;
} FmapNode;

static void fmap_query(const Pattern *p, Arc arc, QCtx *q)
{
    const FmapNode *n = (const FmapNode *)p;
    EventBuf *b = q->out;
    int start = b->len;
    pat_q(n->in, arc, q);
    int w = start;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Event e = b->ev[i];
        Value out;
        bool ok = n->value_left ? val_combine(n->op, &e.value, &n->k, &out, q) : val_combine(n->op, &n->k, &e.value, &out, q);
        if (!ok) continue;
        e.value = out;
        b->ev[w++] = e;
    }
    b->len = w;
}

/* v `op` k for every value v of in (k `op` v when !value_left); the structure is unchanged. */
Pattern *pattern_fmap_op(Arena *a, PatOp op, Value k, Pattern *in, bool value_left)
{
    FmapNode *n = pat_node(a, sizeof *n, fmap_query);
    if (!n) return NULL;
    n->in = in;
    n->op = op;
    n->k = k;
    n->value_left = value_left;
    return &n->base;
}

/* --- time ------------------------------------------------------------------------------------- */

static void k_shift(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat s = val_to_rat(&v[0]);
    q_shift(t->in, t->i0 ? rat_neg(s) : s, arc, q);
}

Pattern *pattern_early(Arena *a, Pattern *t, Pattern *in) { return tn(a, k_shift, in, 1, &t); }

Pattern *pattern_late(Arena *a, Pattern *t, Pattern *in)
{
    TNode *n = tnode_new(a, k_shift, in, 1, &t);
    if (n) n->i0 = 1;
    return n ? &n->base : NULL;
}

static void k_fast_gap(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat r = lim_rat(q, LIM_SPEED, val_to_rat(&v[0]));
    if (rat_is_zero(r)) return;
    if (rat_lt(r, rat_int(1))) r = rat_int(1);
    q_compress(t->in, rat_int(0), rat_div(rat_int(1), r), arc, q);
}

static void k_compress(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    q_compress(t->in, val_to_rat(&v[0]), val_to_rat(&v[1]), arc, q);
}

static void k_zoom(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    q_zoom(t->in, val_to_rat(&v[0]), val_to_rat(&v[1]), arc, q);
}

/* linger n = _fast (1/n) . zoom (0, n); a negative n lingers on the end: zoom (1+n, 1), and the
 * negative factor reverses, as in Tidal 1.7.10 */
typedef struct RatPair {
    Pattern base;
    Pattern *in;
    Rat b, e;
} RatPair;

static void zoom_tmp_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatPair *z = (const RatPair *)p;
    q_zoom(z->in, z->b, z->e, arc, q);
}

static void k_linger(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat n = lim_rat(q, LIM_SPEED, val_to_rat(&v[0]));
    if (rat_is_zero(n)) return;
    RatPair z = { { zoom_tmp_query, PK_OTHER }, t->in, rat_int(0), n };
    if (rat_lt(n, rat_int(0))) {
        z.b = rat_add(rat_int(1), n);
        z.e = rat_int(1);
    }
    q_fast(&z.base, rat_div(rat_int(1), n), arc, q);
}

/* trunc t: only the first t of each cycle plays (events keep their wholes). Tidal's trunc is
 * compress (0, t) . zoomArc (0, t), and compress outside 0..1 is silence: so is trunc above 1 or
 * below 0 (and 0 is an error where it is a constant, see transform_check_degenerate). */
static void k_trunc(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat f = val_to_rat(&v[0]);
    if (!rat_lt(rat_int(0), f) || rat_lt(rat_int(1), f)) return;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Arc keep = { c, rat_add(c, f) }, in;
        if (!arc_sect(pc, keep, &in)) continue;
        pat_q(t->in, in, q);
    }
}

/* iter n: cycle k plays p shifted earlier (iter') or later by (k mod n)/n */
typedef struct IterArg {
    const Pattern *p;
    int64_t n;
    bool back;
} IterArg;

static void iter_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    const IterArg *it = ud;
    Rat s = rat_make(i, it->n);
    q_shift(it->p, it->back ? rat_neg(s) : s, arc, q);
}

static void k_iter(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    IterArg it = { t->in, val_int(&v[0]), t->i0 != 0 };
    if (it.n <= 0) return;
    q_cat(it.n, iter_member, &it, arc, q);
}

static void same_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    (void)i;
    pat_q((const Pattern *)ud, arc, q);
}

static void k_repeat_cycles(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = val_int(&v[0]);
    if (n <= 0) return;
    q_cat(n, same_member, t->in, arc, q);
}

/* ply n: each event's whole holds n copies of its value (squeezed) */
static void ply_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    PureNode pn = { { pat_pure_query, PK_PURE }, outer->value };
    q_fast(&pn.base, *(const Rat *)ud, arc, q);
}

static void k_ply(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat n = lim_rat(q, LIM_PLY, val_to_rat(&v[0]));
    q_squeeze(t->in, arc, q, ply_inner, &n);
}

/* press / pressBy r: each value moved to the last 1-r of its whole */
static void press_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    PureNode pn = { { pat_pure_query, PK_PURE }, outer->value };
    q_compress(&pn.base, *(const Rat *)ud, rat_int(1), arc, q);
}

static void k_press(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat r = v ? val_to_rat(&v[0]) : RAT(1, 2);
    q_squeeze(t->in, arc, q, press_inner, &r);
}

/* segment n: n equal slots per cycle, each sampling p (structure from the slots) */
static void k_segment(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat n = lim_rat(q, LIM_SEGMENT, val_to_rat(&v[0]));
    PureNode pn = { { pat_pure_query, PK_PURE }, val_bool(true) };
    RatNode fastn = { { pat_fastc_query, PK_OTHER }, &pn.base, n, rat_int(0) };
    q_app(&fastn.base, t->in, STRUCT_LEFT, comb_keep_right, NULL, arc, q);
}

/* --- conditionals --------------------------------------------------------------------------------- */

/* every n f (firstOf), every' n o f, lastOf n f: f on the cycles where cycle mod n == o */
static void k_every(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = val_int(&v[0]);
    int64_t o = t->nargs > 1 ? val_int(&v[1]) : (t->i0 ? n - 1 : 0);
    if (n == 0 && t->nargs == 1 && !t->i0) {
        pat_q(t->in, arc, q);
        return;
    }
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        bool hit = n != 0 && imod(rat_floor(pc.begin), n) == o;
        pat_q(hit ? t->alt : t->in, pc, q);
    }
}

/* whenmod a b f: f when (query start) mod' a >= b */
static void k_whenmod(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    Rat a = val_to_rat(&v[0]), b = val_to_rat(&v[1]);
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        bool hit = false;
        if (!rat_is_zero(a)) {
            Rat m = rat_sub(pc.begin, rat_mul(a, rat_int(rat_floor(rat_div(pc.begin, a)))));
            hit = !rat_lt(m, b);
        }
        pat_q(hit ? t->alt : t->in, pc, q);
    }
}

/* within (s, e) f p = stack [playWhen (in s e) (f p), playWhen (not . in s e) p], judged by the
 * cycle position of each event's whole start */
typedef struct WithinArg {
    Rat s, e;
    bool inside;
} WithinArg;

static bool within_keep(const void *ud, const Event *e, QCtx *q)
{
    (void)q;
    const WithinArg *w = ud;
    Rat pos = rat_cycle_pos(ev_whole_or_part(e).begin);
    bool in = !rat_lt(pos, w->s) && rat_lt(pos, w->e);
    return in == w->inside;
}

static void q_within(const Pattern *fp, const Pattern *p, Rat s, Rat e, Arc arc, QCtx *q)
{
    WithinArg in = { s, e, true }, out = { s, e, false };
    q_filter(fp, arc, q, within_keep, &in);
    q_filter(p, arc, q, within_keep, &out);
}

static void k_within(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    q_within(t->alt, t->in, t->r0, t->r1, arc, q);
}

/* chunk n f: cat [within (i/n, (i+1)/n) f p | i <- [0 .. n-1]] (chunk' counts down) */
typedef struct ChunkArg {
    const TNode *t;
    int64_t n;
} ChunkArg;

static void chunk_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    const ChunkArg *c = ud;
    if (c->t->i0) i = c->n - 1 - i;
    q_within(c->t->alt, c->t->in, rat_make(i, c->n), rat_make(i + 1, c->n), arc, q);
}

static void k_chunk(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    ChunkArg c = { t, val_int(&v[0]) };
    if (c.n <= 0) return;
    q_cat(c.n, chunk_member, &c, arc, q);
}

/* per cycle: the alternative when the cycle is odd (brak) */
static void k_odd_cycles(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) pat_q(imod(rat_floor(pc.begin), 2) == 1 ? t->alt : t->in, pc, q);
}

/* --- structure -------------------------------------------------------------------------------- */

static bool comb_struct(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    (void)q;
    if (!val_truthy(l)) return false;
    *out = *r;
    return true;
}

static bool comb_keep_left_plain(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    (void)q;
    (void)r;
    *out = *l;
    return true;
}

typedef struct StructNode {
    Pattern base;
    Pattern *b, *p;
} StructNode;

static void struct_query(const Pattern *p, Arc arc, QCtx *q)
{
    const StructNode *n = (const StructNode *)p;
    q_app(n->b, n->p, STRUCT_LEFT, comb_struct, NULL, arc, q);
}

static bool truthy_keep(const void *ud, const Event *e, QCtx *q)
{
    (void)ud;
    (void)q;
    return val_truthy(&e->value);
}

static bool falsy_keep(const void *ud, const Event *e, QCtx *q)
{
    (void)ud;
    (void)q;
    return !val_truthy(&e->value);
}

typedef struct FilterNode {
    Pattern base;
    Pattern *in;
    bool want;
} FilterNode;

static void filter_query(const Pattern *p, Arc arc, QCtx *q)
{
    const FilterNode *n = (const FilterNode *)p;
    q_filter(n->in, arc, q, n->want ? truthy_keep : falsy_keep, NULL);
}

static Pattern *pattern_filter_truth(Arena *a, Pattern *in, bool want)
{
    FilterNode *n = pat_node(a, sizeof *n, filter_query);
    if (!n) return NULL;
    n->in = in;
    n->want = want;
    return &n->base;
}

static void mask_query(const Pattern *p, Arc arc, QCtx *q)
{
    const StructNode *n = (const StructNode *)p;
    q_app(n->p, n->b, STRUCT_LEFT, comb_keep_left_plain, NULL, arc, q);
}

Pattern *pattern_struct(Arena *a, Pattern *b, Pattern *in)
{
    StructNode *n = pat_node(a, sizeof *n, struct_query);
    if (!n) return NULL;
    n->b = b;
    n->p = in;
    return &n->base;
}

/* mask b p = const <$> p <* filterValues id b  (inv: the false events of b) */
static Pattern *mask_with(Arena *a, Pattern *b, Pattern *in, bool want)
{
    StructNode *n = pat_node(a, sizeof *n, mask_query);
    if (!n) return NULL;
    n->b = pattern_filter_truth(a, b, want);
    n->p = in;
    return n->b ? &n->base : NULL;
}

Pattern *pattern_mask(Arena *a, Pattern *b, Pattern *in) { return mask_with(a, b, in, true); }

/* --- euclid ------------------------------------------------------------------------------------- */

#define EUCLID_MAX 1024

typedef struct Group {
    int off, len;
} Group;

/* Tidal's Bjorklund: groups xs (pulses) and ys (rests) merged pairwise until one list has at most
 * one group left; the pattern is concat xs ++ concat ys. Returns the step count, -1 if too long. */
static int bjorklund(int64_t k, int64_t n, bool *bits)
{
    int64_t i = k, j = n - k;
    int nx = i > 0 ? (int)(i < EUCLID_MAX ? i : EUCLID_MAX + 1) : 0;
    int ny = j > 0 ? (int)(j < EUCLID_MAX ? j : EUCLID_MAX + 1) : 0;
    if (nx + ny > EUCLID_MAX) return -1;
    static _Thread_local bool pool[2][EUCLID_MAX];
    static _Thread_local Group gx[2][EUCLID_MAX], gy[2][EUCLID_MAX];
    int cur = 0, used = 0;
    for (int a = 0; a < nx; a++) {
        pool[0][used] = true;
        gx[0][a] = (Group){ used++, 1 };
    }
    for (int a = 0; a < ny; a++) {
        pool[0][used] = false;
        gy[0][a] = (Group){ used++, 1 };
    }
    int lx = nx, ly = ny;
    while ((i < j ? i : j) > 1) {
        int nxt = 1 - cur, u = 0, nlx = 0, nly = 0;
        bool left = i > j;
        /* left: zipWith (++) (take j xs) ys, rest drop j xs;  right: zipWith (++) xs (take i ys), rest drop i ys */
        int take = (int)(left ? j : i);
        int pairs = left ? (take < lx ? take : lx) : (lx < take ? lx : take);
        int npairs = pairs < (left ? ly : (take < ly ? take : ly)) ? pairs : (left ? ly : (take < ly ? take : ly));
        for (int a = 0; a < npairs; a++) {
            Group x = gx[cur][a], y = gy[cur][a];
            int off = u;
            memcpy(&pool[nxt][u], &pool[cur][x.off], (size_t)x.len);
            u += x.len;
            memcpy(&pool[nxt][u], &pool[cur][y.off], (size_t)y.len);
            u += y.len;
            gx[nxt][nlx++] = (Group){ off, x.len + y.len };
        }
        if (left) {
            for (int a = (take < lx ? take : lx); a < lx; a++) {
                Group x = gx[cur][a];
                memcpy(&pool[nxt][u], &pool[cur][x.off], (size_t)x.len);
                gy[nxt][nly++] = (Group){ u, x.len };
                u += x.len;
            }
            int64_t ni = j, nj = i - j;
            i = ni;
            j = nj;
        } else {
            for (int a = (take < ly ? take : ly); a < ly; a++) {
                Group y = gy[cur][a];
                memcpy(&pool[nxt][u], &pool[cur][y.off], (size_t)y.len);
                gy[nxt][nly++] = (Group){ u, y.len };
                u += y.len;
            }
            j = j - i;
        }
        lx = nlx;
        ly = nly;
        cur = nxt;
    }
    int m = 0;
    for (int a = 0; a < lx; a++)
        for (int b = 0; b < gx[cur][a].len; b++) bits[m++] = pool[cur][gx[cur][a].off + b];
    for (int a = 0; a < ly; a++)
        for (int b = 0; b < gy[cur][a].len; b++) bits[m++] = pool[cur][gy[cur][a].off + b];
    return m;
}

int pattern_bjorklund(int k, int n, bool *bits, int max)
{
    bool tmp[EUCLID_MAX];
    int m = bjorklund(k, n, tmp);
    if (m < 0 || m > max) return -1;
    memcpy(bits, tmp, (size_t)m);
    return m;
}

typedef enum EuclidMode { EU_PULSES, EU_INVERT, EU_BOOLS } EuclidMode;

typedef struct EuclidArg {
    const Pattern *on, *off;    /* what plays on pulses and on rests (NULL: nothing) */
    const bool *bits;
    EuclidMode mode;
} EuclidArg;

static void euclid_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    const EuclidArg *e = ud;
    bool bit = e->bits[i];
    if (e->mode == EU_BOOLS) {
        q_pure(val_bool(bit), arc, q);
        return;
    }
    const Pattern *p = bit ? e->on : e->off;
    if (p) pat_q(p, arc, q);
}

/* The rhythm for constant arguments, computed when the pattern is built. */
typedef struct EuclidCache {
    int64_t k, n;
    int steps;
    bool bits[];
} EuclidCache;

static const EuclidCache *euclid_cache(Arena *a, Pattern *k, Pattern *n)
{
    Value vk, vn;
    if (!const_value(k, &vk) || !const_value(n, &vn)) return NULL;
    bool bits[EUCLID_MAX];
    int steps = bjorklund(val_int(&vk), val_int(&vn), bits);
    if (steps < 0) return NULL;
    EuclidCache *c = arena_alloc(a, sizeof(EuclidCache) + (size_t)steps + 1);
    if (!c) return NULL;
    c->k = val_int(&vk);
    c->n = val_int(&vn);
    c->steps = steps;
    memcpy(c->bits, bits, (size_t)steps);
    return c;
}

/* fastcat of the steps, rotated earlier by rot/steps' share */
static void q_euclid(const EuclidCache *cache, const Pattern *on, const Pattern *off, int64_t k, int64_t n,
                     int64_t rot, bool rotate, EuclidMode mode, Arc arc, QCtx *q)
{
    bool own[EUCLID_MAX];
    const bool *bits = own;
    int steps;
    if (cache && cache->k == k && cache->n == n) {
        bits = cache->bits;
        steps = cache->steps;
    } else {
        steps = bjorklund(k, n, own);
    }
    if (steps <= 0) return;
    EuclidArg e = { on, off, bits, mode };
    Rat shift = rat_int(0);
    if (rotate) {
        if (n == 0) return;
        shift = rat_make(rot, n);
    }
    Arc a = arc_add(arc, shift);
    Rat rs = rat_int(steps);
    int start = q->out->len;
    q_cat(steps, euclid_member, &e, arc_mul(a, rs), q);
    EventBuf *b = q->out;
    Rat inv = rat_div(rat_int(1), rs), back = rat_neg(shift);
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        Event *ev = &b->ev[i];
        bool same = arc_eq(ev->part, ev->whole);
        ev->part = arc_add(arc_mul(ev->part, inv), back);
        ev->whole = same ? ev->part : arc_add(arc_mul(ev->whole, inv), back);
    }
}

/* mini-notation (k,n,r): silence for a negative k; booleans fill the rests with false */
static void k_euclid_mini(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t k = val_int(&v[0]), n = val_int(&v[1]), r = val_int(&v[2]);
    if (t->i0) {
        q_euclid(t->ud, NULL, NULL, k, n, r, true, EU_BOOLS, arc, q);
        return;
    }
    if (k < 0) return;
    q_euclid(t->ud, t->in, NULL, k, n, r, true, EU_PULSES, arc, q);
}

Pattern *pattern_euclid_pat(Arena *a, Pattern *k, Pattern *n, Pattern *r, Pattern *in, bool bools)
{
    Pattern *args[3] = { k, n, r };
    TNode *t = tnode_new(a, k_euclid_mini, in, 3, args);
    if (!t) return NULL;
    t->i0 = bools;
    t->ud = euclid_cache(a, k, n);
    return &t->base;
}

/* euclid, euclidInv, euclidFull, euclidOff (euclidRot) */
static void k_euclid(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t k = val_int(&v[0]), n = val_int(&v[1]);
    int64_t r = t->nargs > 2 ? val_int(&v[2]) : 0;
    bool rotate = t->nargs > 2;
    /* a negative k is Tidal's bjorklund (k, n): no pulses and n - k rests, so euclid is silent and
       euclidInv (and euclidFull's inverse half) plays on all n - k steps */
    switch (t->i0) {
    case 0:     /* euclid */
        if (k >= 0) q_euclid(t->ud, t->in, NULL, k, n, r, rotate, EU_PULSES, arc, q);
        break;
    case 1:     /* euclidInv */
        q_euclid(t->ud, NULL, t->in, k, n, r, rotate, EU_PULSES, arc, q);
        break;
    case 2:     /* euclidFull k n p (in on the rests: the piped pattern is Tidal's last argument) */
        q_euclid(t->ud, t->alt, t->in, k, n, r, rotate, EU_PULSES, arc, q);
        break;
    }
}

/* --- control maps ------------------------------------------------------------------------------ */

/* chop n: each event cut into n parts, begin/end spread over the event's own begin..end */
static void k_chop(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = lim_int(q, LIM_SLICES, val_int(&v[0]));
    if (n < 1) return;
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(t->in, arc, q);
    int s1 = b->len;
    for (int j = s0; j < s1; j++) {
        Event e = b->ev[j];
        if (!e.has_whole) continue;
        double b0 = 0, e0 = 1;
        const ValMap *m = e.value.type == VAL_MAP ? e.value.map : NULL;
        if (m) {
            const Value *x = valmap_get(m, P_BEGIN), *y = valmap_get(m, P_END);
            if (x) b0 = val_to_num(x);
            if (y) e0 = val_to_num(y);
        }
        double d = e0 - b0;
        Rat w = rat_sub(e.whole.end, e.whole.begin);
        /* only the parts that can meet the event's part: i from floor to ceil of its position * n */
        int64_t i0 = 0, i1 = n - 1;
        if (rat_lt(rat_int(0), w)) {
            Rat rn = rat_int(n);
            i0 = rat_floor(rat_mul(rat_div(rat_sub(e.part.begin, e.whole.begin), w), rn));
            i1 = rat_ceil(rat_mul(rat_div(rat_sub(e.part.end, e.whole.begin), w), rn));
            if (i0 < 0) i0 = 0;
            if (i1 >= n) i1 = n - 1;
        }
        for (int64_t i = i0; i <= i1; i++) {
            Arc sub = { rat_add(e.whole.begin, rat_mul(w, rat_make(i, n))),
                        rat_add(e.whole.begin, rat_mul(w, rat_make(i + 1, n))) };
            Arc np;
            if (!arc_sect(e.part, sub, &np)) continue;
            Param keys[2] = { P_BEGIN, P_END };
            double vals[2] = { ((double)i / (double)n) * d + b0, ((double)(i + 1) / (double)n) * d + b0 };
            Value bv;
            if (!query_map(q, 2, keys, vals, &bv)) return;
            Value out = bv;
            if (m && !val_combine(OP_KEEP_RIGHT, &e.value, &bv, &out, q)) return;
            if (!ev_add(q, &sub, np, out)) return;
        }
    }
    ev_cut(q, s0, s1);
}

/* striate n = fastcat [mergePlayRange (i/n, (i+1)/n) <$> p | i <- [0 .. n-1]]: the slice is taken
 * of the event's own begin..end (0..1 when it has none), as Tidal's mergePlayRange does;
 * striateBy n f: p # begin (i (1-f)/n) # end (i (1-f)/n + f), replacing any begin/end */
typedef struct StriateArg {
    const Pattern *p;
    int64_t n;
    double f;
    bool by;
} StriateArg;

static void striate_member(const void *ud, int64_t i, Arc arc, QCtx *q)
{
    const StriateArg *s = ud;
    Param keys[2] = { P_BEGIN, P_END };
    double vals[2];
    if (s->by) {
        double slot = (1 - s->f) / (double)s->n;
        vals[0] = slot * (double)i;
        vals[1] = slot * (double)i + s->f;
    } else {
        vals[0] = (double)i / (double)s->n;
        vals[1] = (double)(i + 1) / (double)s->n;
    }
    Value mv;
    if (s->by) {
        if (!query_map(q, 2, keys, vals, &mv)) return;
        q_op_pure(s->p, comb_keep_right, mv, arc, q);
        return;
    }
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(s->p, arc, q);
    for (int j = s0; j < b->len; j++) {
        Value *ev = &b->ev[j].value;
        const ValMap *m = ev->type == VAL_MAP ? ev->map : NULL;
        const Value *x = m ? valmap_get(m, P_BEGIN) : NULL, *y = m ? valmap_get(m, P_END) : NULL;
        double b0 = x ? val_to_num(x) : 0, d = (y ? val_to_num(y) : 1) - b0;
        double merged[2] = { vals[0] * d + b0, vals[1] * d + b0 };
        Value out;
        if (!query_map(q, 2, keys, merged, &mv)) return;
        out = mv;
        if (m && !val_combine(OP_KEEP_RIGHT, ev, &mv, &out, q)) return;
        *ev = out;
    }
}

static void k_striate(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    StriateArg s = { t->in, lim_int(q, LIM_SLICES, val_int(&v[0])), t->nargs > 1 ? val_to_num(&v[1]) : 0, t->nargs > 1 };
    if (s.n < 1) return;
    Rat rn = rat_int(s.n);
    int start = q->out->len;
    q_cat(s.n, striate_member, &s, arc_mul(arc, rn), q);
    EventBuf *b = q->out;
    q_pay(q, start);
    for (int i = start; i < b->len; i++) {
        b->ev[i].part = arc_div(b->ev[i].part, rn);
        b->ev[i].whole = arc_div(b->ev[i].whole, rn);
    }
}

/* stut count feedback time: count copies, the x-th later by x*time with gain scaled from 1 down
 * towards feedback */
static void k_stut(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t count = lim_int(q, LIM_ECHOES, val_int(&v[0]));
    double fb = val_to_num(&v[1]);
    Rat step = val_to_rat(&v[2]);
    pat_q(t->in, arc, q);
    for (int64_t x = 1; x < count && q_step(q); x++) {
        double c = (double)count;
        double g = fb + (1 - fb) * ((c - (double)x) / c);
        Param key = P_GAIN;
        Value mv;
        if (!query_map(q, 1, &key, &g, &mv)) return;
        Rat sh = rat_mul(rat_int(x), step);
        int start = q->out->len;
        q_op_pure(t->in, comb_op_mul, mv, arc_add(arc, rat_neg(sh)), q);
        EventBuf *b = q->out;
        q_pay(q, start);
        for (int i = start; i < b->len; i++) {
            b->ev[i].part = arc_add(b->ev[i].part, sh);
            b->ev[i].whole = arc_add(b->ev[i].whole, sh);
        }
    }
}

/* stutWith n t f (echoWith): stack [p, f (t ~> p), f (f (2t ~> p)) ...], joined on n and t at the
 * top: the tree for each count is built once, its shifts read t from the binding */
static Pattern *stut_with_tree(Arena *a, int64_t count, const void *key, const PatternFn *f, Pattern *p)
{
    if (count <= 1) return p;
    Pattern *inner = stut_with_tree(a, count - 1, key, f, p);
    Pattern *shifted = inner ? pattern_bound_late(a, key, inner) : NULL;
    Pattern *fx = apply_fn(a, f, shifted);
    if (!fx) return NULL;
    Pattern *ps[2] = { fx, p };
    return pattern_stack(a, ps, 2);
}

#define STUT_WITH_MAX 16

static void k_stut_with(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = lim_int(q, LIM_ECHOES_WITH, val_int(&v[0]));     /* STUT_WITH_MAX trees */
    if (n < 1) n = 1;
    const Pattern *const *trees = t->ud;
    QBind b = { t, v[1], q->bind };
    const QBind *saved = q->bind;
    q->bind = &b;
    pat_q(trees[n - 1], arc, q);
    q->bind = saved;
}

/* --- randomness built on the generator --------------------------------------------------------- */

/* randcat ps: in cycle c, cat ps shifted by floor(rand(c + 1/2) n) cycles */
typedef struct CatShift {
    const Pattern *cat;
    int n;
    bool weighted;
    const double *cum;
    double total;
} CatShift;

typedef struct RandCatNode {
    Pattern base;
    Pattern *cat;
    Pattern **ps;
    int n;
    double *cum;        /* wrandcat: cumulative weights */
} RandCatNode;

static void randcat_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RandCatNode *r = (const RandCatNode *)p;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Arc cyc = { c, rat_add(c, rat_int(1)) };
        double x = tidal_rand(rat_add(c, RAT(1, 2)));
        EventBuf *b = q->out;
        int start = b->len;
        if (r->cum) {
            /* wrandcat: the first pattern whose cumulative weight exceeds r * total */
            int i = 0;
            double total = r->cum[r->n - 1];
            while (i < r->n - 1 && !(r->cum[i] > x * total)) i++;
            pat_q(r->ps[i], pc, q);
        } else {
            int64_t i = (int64_t)floor(x * r->n);
            q_shift(r->cat, rat_int(i), pc, q);
        }
        int w = start;
        q_pay(q, start);
        for (int k = start; k < b->len; k++) {
            Event e = b->ev[k];
            if (e.has_whole && !arc_sect(cyc, e.whole, &e.whole)) continue;
            b->ev[w++] = e;
        }
        b->len = w;
    }
}

Pattern *randcat_new(Arena *a, Pattern *const *ps, const double *weights, int n)
{
    if (n <= 0) return pattern_silence(a);
    RandCatNode *r = pat_node(a, sizeof *r, randcat_query);
    if (!r) return NULL;
    r->n = n;
    r->ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!r->ps) return NULL;
    memcpy(r->ps, ps, sizeof(Pattern *) * (size_t)n);
    r->cat = pattern_slowcat(a, ps, n);
    if (weights) {
        r->cum = arena_alloc(a, sizeof(double) * (size_t)n);
        if (!r->cum) return NULL;
        double acc = 0;
        for (int i = 0; i < n; i++) r->cum[i] = acc += weights[i];
    }
    return &r->base;
}

/* shuffle n: each cycle plays the n slices of p in a random order (Tidal's randrun: the order of
 * n numbers from one seed); scramble n: each slot plays a random slice (irand n at the slot).
 * Slot i showing slice j is p shifted by (j - i)/n: wholes move with it, parts stay in the slot. */
#define SHUFFLE_MAX 256

static void k_slices(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = val_int(&v[0]);
    n = lim_int(q, LIM_SHUFFLE, n);       /* SHUFFLE_MAX */
    if (n < 1) return;
    bool scramble = t->i0 != 0;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        int order[SHUFFLE_MAX];
        if (!scramble) {
            double rands[SHUFFLE_MAX];
            tidal_rands(c, (int)n, rands);
            for (int i = 0; i < n; i++) order[i] = i;
            for (int i = 1; i < n; i++) {       /* a stable sort of the indices by their numbers */
                int k = order[i], j = i - 1;
                while (j >= 0 && rands[order[j]] > rands[k]) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = k;
            }
        }
        int64_t first = rat_floor(rat_mul(rat_sub(pc.begin, c), rat_int(n)));
        for (int64_t i = first; i < n; i++) {
            Arc slot = { rat_add(c, rat_make(i, n)), rat_add(c, rat_make(i + 1, n)) }, sub;
            if (rat_lt(pc.end, slot.begin) || (rat_eq(pc.end, slot.begin) && !arc_zero(pc))) break;
            if (!arc_sect(pc, slot, &sub)) continue;
            int64_t j = scramble ? (int64_t)floor(tidal_rand(arc_mid(slot)) * (double)n) : order[i];
            q_shift(t->in, rat_make(j - i, n), sub, q);
        }
    }
}

/* bite n ipat: squeeze the i-th of n slices of p into each event of ipat */
typedef struct BiteArg {
    const Pattern *p;
    int64_t n;
} BiteArg;

static void bite_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const BiteArg *b = ud;
    int64_t i = imod(val_int(&outer->value), b->n);      /* Tidal's mod: bite 4 "-1" is the last quarter */
    q_zoom(b->p, rat_make(i, b->n), rat_make(i + 1, b->n), arc, q);
}

static void k_bite(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    BiteArg b = { t->in, val_int(&v[0]) };
    if (b.n == 0) return;
    q_squeeze(t->alt, arc, q, bite_inner, &b);
}

/* rot n: the values of each cycle's events shifted n places along them. Tidal sorts the events
 * by source position first (its event contexts), then whole, then part: phonon keeps the source
 * column of mini-notation atoms in Value.spare for this. */
static int ev_cmp_time(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    if (x->value.spare != y->value.spare) return x->value.spare < y->value.spare ? -1 : 1;
    if (x->has_whole != y->has_whole) return x->has_whole ? 1 : -1;
    int c = rat_cmp(x->whole.begin, y->whole.begin);
    if (c) return c;
    if ((c = rat_cmp(x->whole.end, y->whole.end))) return c;
    if ((c = rat_cmp(x->part.begin, y->part.begin))) return c;
    if ((c = rat_cmp(x->part.end, y->part.end))) return c;
    return val_cmp(&x->value, &y->value);
}

static void k_rot(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = val_int(&v[0]);
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        Rat c = rat_sam(pc.begin);
        Arc cyc = { c, rat_add(c, rat_int(1)) };
        EventBuf *b = q->out;
        int s0 = b->len;
        pat_q(t->in, cyc, q);
        int s1 = b->len, m = s1 - s0;
        if (m == 0) continue;
        /* keep only events with wholes (Tidal's rot is for discrete events) */
        qsort(&b->ev[s0], (size_t)m, sizeof(Event), ev_cmp_time);
        int64_t sh = imod(n, m);
        /* rotate the values: event k takes the value of event k + sh */
        for (int k = 0; k < m; k++) {
            Event e = b->ev[s0 + k];
            e.value = b->ev[s0 + (int)((k + sh) % m)].value;
            Arc np;
            if (!arc_sect(e.part, pc, &np)) continue;
            e.part = np;
            if (!ev_push(q, &e)) break;
        }
        ev_cut(q, s0, s1);
    }
}

/* --- arp ----------------------------------------------------------------------------------------
 * The notes of each chord (events sharing a whole) played one after another within that whole, in
 * the order a mode gives (Tidal 1.7.10's modes). */

#define ARP_MAX 128

static int arp_order(const char *mode, int n, int *idx)
{
    int k = 0;
    int conv[ARP_MAX];
    /* converge: first, last, second, second to last, ... */
    for (int lo = 0, hi = n - 1, t = 0; lo <= hi; t++) conv[k++] = (t % 2 == 0) ? lo++ : hi--;
    k = 0;
#define PUT(x) do { if (k < 2 * ARP_MAX) idx[k++] = (x); } while (0)
    if (!strcmp(mode, "up")) for (int i = 0; i < n; i++) PUT(i);
    else if (!strcmp(mode, "down")) for (int i = n - 1; i >= 0; i--) PUT(i);
    else if (!strcmp(mode, "updown")) {
        for (int i = 0; i < n - 1; i++) PUT(i);
        for (int i = n - 1; i > 0; i--) PUT(i);
    } else if (!strcmp(mode, "downup")) {
        for (int i = n - 1; i > 0; i--) PUT(i);
        for (int i = 0; i < n - 1; i++) PUT(i);
    } else if (!strcmp(mode, "up&down")) {
        for (int i = 0; i < n; i++) PUT(i);
        for (int i = n - 1; i >= 0; i--) PUT(i);
    } else if (!strcmp(mode, "down&up")) {
        for (int i = n - 1; i >= 0; i--) PUT(i);
        for (int i = 0; i < n; i++) PUT(i);
    } else if (!strcmp(mode, "converge")) for (int i = 0; i < n; i++) PUT(conv[i]);
    else if (!strcmp(mode, "diverge")) for (int i = n - 1; i >= 0; i--) PUT(conv[i]);
    else if (!strcmp(mode, "disconverge")) {
        for (int i = 0; i < n; i++) PUT(conv[i]);
        for (int i = n - 2; i >= 0; i--) PUT(conv[i]);
    } else if (!strcmp(mode, "pinkyup") || !strcmp(mode, "pinkyupdown")) {
        int base = k;
        for (int i = 0; i < n - 1; i++) {
            PUT(i);
            PUT(n - 1);
        }
        if (!strcmp(mode, "pinkyupdown")) {
            int m = k - base;                       /* init up ++ init (reverse up) */
            k = base + (m > 0 ? m - 1 : 0);
            for (int i = m - 1; i > 0; i--) PUT(idx[base + i]);
        }
    } else if (!strcmp(mode, "thumbup") || !strcmp(mode, "thumbupdown")) {
        int base = k;
        for (int i = 1; i < n; i++) {
            PUT(0);
            PUT(i);
        }
        if (!strcmp(mode, "thumbupdown")) {
            int m = k - base;
            k = base + (m > 0 ? m - 1 : 0);
            for (int i = m - 1; i > 0; i--) PUT(idx[base + i]);
        }
    } else {
        for (int i = 0; i < n; i++) PUT(i);          /* an unknown mode leaves the order (Tidal: id) */
    }
#undef PUT
    return k;
}

static int whole_cmp(const Event *x, const Event *y)
{
    if (x->has_whole != y->has_whole) return x->has_whole ? 1 : -1;
    int c = rat_cmp(x->whole.begin, y->whole.begin);
    return c ? c : rat_cmp(x->whole.end, y->whole.end);
}

static void k_arp(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    const char *mode = v[0].type == VAL_SYM ? sym_name(v[0].sym) : "up";
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(t->in, arc, q);
    int s1 = b->len;
    /* stable insertion sort by whole (Tidal: sortOn whole), then groups of equal wholes */
    for (int i = s0 + 1; i < s1; i++) {
        Event e = b->ev[i];
        int j = i - 1;
        while (j >= s0 && whole_cmp(&b->ev[j], &e) > 0) {
            b->ev[j + 1] = b->ev[j];
            j--;
        }
        b->ev[j + 1] = e;
    }
    for (int g = s0; g < s1;) {
        int h = g + 1;
        while (h < s1 && whole_cmp(&b->ev[g], &b->ev[h]) == 0 && b->ev[h].has_whole) h++;
        int n = h - g;
        if (b->ev[g].has_whole && n <= ARP_MAX) {
            int idx[2 * ARP_MAX];
            int d = arp_order(mode, n, idx);
            Rat s = b->ev[g].whole.begin, dur = rat_div(rat_sub(b->ev[g].whole.end, s), rat_int(d > 0 ? d : 1));
            for (int k = 0; k < d; k++) {
                Event e = b->ev[g + idx[k]];
                Arc w = { rat_add(s, rat_mul(dur, rat_int(k))), rat_add(s, rat_mul(dur, rat_int(k + 1))) }, np;
                if (!arc_sect(w, e.part, &np)) continue;
                e.whole = w;
                e.part = np;
                if (!ev_push(q, &e)) break;
            }
        }
        g = h;
    }
    ev_cut(q, s0, s1);
}

/* --- fix / unfix: f on the control-map events that contain one of the given maps -------------- */

static bool map_contains(const Value *ev, const Value *want)
{
    if (ev->type != VAL_MAP || want->type != VAL_MAP) return false;
    const ValMap *m = ev->map, *w = want->map;
    if ((m->mask & w->mask) != w->mask) return false;
    for (uint64_t bits = w->mask; bits; bits &= bits - 1) {
        int i = __builtin_ctzll(bits);
        const Value *x = valmap_get(m, i), *y = valmap_get(w, i);
        if (x->type == VAL_SYM || y->type == VAL_SYM) {
            if (x->type != y->type || x->sym != y->sym) return false;
        } else if (val_to_num(x) != val_to_num(y)) {
            return false;
        }
    }
    return true;
}

/* events of in whose map contains a map the control pattern has at the event's start (matched) */
static void k_fix_filter(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    EventBuf *b = q->out;
    int s0 = b->len;
    pat_q(t->in, arc, q);
    int s1 = b->len, w = s0;
    for (int j = s0; j < s1; j++) {
        Event e = b->ev[j];
        Rat at = ev_whole_or_part(&e).begin;
        int r0 = b->len;
        pat_q(t->alt, arc_make(at, at), q);
        bool hit = false;
        q_pay(q, r0);
        for (int k = r0; k < b->len && !hit; k++) hit = map_contains(&e.value, &b->ev[k].value);
        b->len = r0;
        if (hit == (t->i0 != 0)) b->ev[w++] = e;
    }
    /* what was kept sits in [s0, w); nothing follows it */
    b->len = w;
}

static Pattern *fix_filter(Arena *a, Pattern *in, Pattern *ctrl, bool matched)
{
    TNode *t = tnode_new(a, k_fix_filter, in, 0, NULL);
    if (!t) return NULL;
    t->alt = ctrl;
    t->i0 = matched;
    return &t->base;
}

/* run n: 0 .. n-1 squeezed into each cycle (Tidal: n >>= _run, Haskell's enumeration of doubles);
 * scan n: run 1, run 2, ..., run n, one per cycle */
static void q_run_list(int64_t n, Arc arc, QCtx *q)
{
    if (n <= 0) return;
    Rat rn = rat_int(n);
    CycIter it = cyc_iter_q(arc_mul(arc, rn), q);
    Arc pc;
    while (cyc_next(&it, &pc)) {
        int64_t slot = rat_floor(pc.begin);
        Arc w = { rat_div(rat_int(slot), rn), rat_div(rat_int(slot + 1), rn) };
        if (!ev_add(q, &w, arc_div(pc, rn), val_num((double)imod(slot, n)))) return;
    }
}

static int64_t run_count(double x)
{
    /* Haskell's [0 .. x - 1] on doubles: 0, 1, ... while <= x - 1 + 1/2 */
    if (!(x - 0.5 > 0)) return 0;
    double c = floor(x - 0.5) + 1;
    return c > 4096 ? 4096 : (int64_t)c;
}

static void k_run(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)t;
    q_run_list(run_count(val_to_num(&v[0])), arc, q);
}

static void k_scan(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)t;
    double x = val_to_num(&v[0]);
    int64_t n = (x >= 0.5) ? (int64_t)floor(x + 0.5) : 0;    /* [1 .. x] */
    if (n <= 0) return;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) q_run_list(imod(rat_floor(pc.begin), n) + 1, pc, q);
}

Pattern *pattern_run(Arena *a, Pattern *n)
{
    TNode *t = tnode_new(a, k_run, NULL, 1, &n);
    if (t) t->unwrap = true;
    return t ? &t->base : NULL;
}

Pattern *pattern_scan(Arena *a, Pattern *n)
{
    TNode *t = tnode_new(a, k_scan, NULL, 1, &n);
    if (t) t->unwrap = true;
    return t ? &t->base : NULL;
}

/* swingBy x n = inside n (within (0.5, 1) (x ~>)) */
typedef struct SwingFn {
    PatternFn fn;
    Pattern *x;
} SwingFn;

static Pattern *swing_apply(const PatternFn *self, Arena *a, Pattern *sp)
{
    const SwingFn *s = (const SwingFn *)self;
    Pattern *late = pattern_late(a, s->x, sp);
    TNode *w = late ? tnode_new(a, k_within, sp, 0, NULL) : NULL;
    if (!w) return NULL;
    w->alt = late;
    w->r0 = RAT(1, 2);
    w->r1 = rat_int(1);
    return &w->base;
}

static Pattern *inside_fn(Arena *a, Pattern *n, const PatternFn *f, Pattern *in);

Pattern *pattern_swing_by(Arena *a, Pattern *x, Pattern *n, Pattern *in)
{
    SwingFn *f = arena_alloc(a, sizeof *f);
    if (!f) return NULL;
    f->fn.apply = swing_apply;
    f->x = x;
    return inside_fn(a, n, &f->fn, in);
}

/* --- the transform table ----------------------------------------------------------------------- */

#define ARG(i) (args[i].pat)
#define FN(i) (args[i].fn)

static Pattern *b_fast(Arena *a, const TransformArg *args, Pattern *in) { return pattern_fast(a, ARG(0), in); }
static Pattern *b_slow(Arena *a, const TransformArg *args, Pattern *in) { return pattern_slow(a, ARG(0), in); }
static Pattern *b_hurry(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *f = pattern_fast(a, ARG(0), in);
    Pattern *sp = pattern_to_map(a, ARG(0), P_SPEED);
    return (f && sp) ? pattern_op(a, OP_MUL, STRUCT_LEFT, f, sp) : NULL;
}
static Pattern *b_early(Arena *a, const TransformArg *args, Pattern *in) { return pattern_early(a, ARG(0), in); }
static Pattern *b_late(Arena *a, const TransformArg *args, Pattern *in) { return pattern_late(a, ARG(0), in); }
/* rotL, rotR take a plain time in Tidal (no per-cycle splitting) */
static Pattern *b_rot_l(Arena *a, const TransformArg *args, Pattern *in)
{
    Value t;
    if (const_value(ARG(0), &t)) return pattern_shift_const(a, val_to_rat(&t), in);
    return pattern_early(a, ARG(0), in);
}
static Pattern *b_rot_r(Arena *a, const TransformArg *args, Pattern *in)
{
    Value t;
    if (const_value(ARG(0), &t)) return pattern_shift_const(a, rat_neg(val_to_rat(&t)), in);
    return pattern_late(a, ARG(0), in);
}
static Pattern *b_rev(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)args;
    return pattern_rev(a, in);
}
static Pattern *b_fast_gap(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_fast_gap, in, 1, &ARG(0)); }
static Pattern *b_compress(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    return tn(a, k_compress, in, 2, ps);
}
static Pattern *b_zoom(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    return tn(a, k_zoom, in, 2, ps);
}
static Pattern *b_linger(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_linger, in, 1, &ARG(0)); }
static Pattern *b_trunc(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_trunc, in, 1, &ARG(0)); }
static Pattern *b_palindrome(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)args;
    Pattern *ps[2] = { in, pattern_rev(a, in) };
    return ps[1] ? pattern_slowcat(a, ps, 2) : NULL;
}
static Pattern *b_iter(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_iter, in, 1, &ARG(0)); }
static Pattern *b_iter_back(Arena *a, const TransformArg *args, Pattern *in)
{
    TNode *t = tnode_new(a, k_iter, in, 1, &ARG(0));
    if (t) t->i0 = 1;
    return t ? &t->base : NULL;
}
static Pattern *b_repeat_cycles(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_repeat_cycles, in, 1, &ARG(0)); }
static Pattern *b_ply(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_ply, in, 1, &ARG(0)); }
static Pattern *b_press(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)args;
    return tn(a, k_press, in, 0, NULL);
}
static Pattern *b_press_by(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_press, in, 1, &ARG(0)); }
static Pattern *b_segment(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_segment, in, 1, &ARG(0)); }
static Pattern *b_range(Arena *a, const TransformArg *args, Pattern *in)
{
    /* from + (to - from) * v: from and to combined, then the wholes of p (Tidal 1.7.10:
     * f <$> from <*> to *> p) */
    Pattern *d = pattern_op(a, OP_SUB, STRUCT_BOTH, ARG(1), ARG(0));
    Pattern *m = d ? pattern_op(a, OP_MUL, STRUCT_RIGHT, d, in) : NULL;
    return m ? pattern_op(a, OP_ADD, STRUCT_RIGHT, ARG(0), m) : NULL;
}
static Pattern *b_add(Arena *a, const TransformArg *args, Pattern *in) { return pattern_op(a, OP_ADD, STRUCT_LEFT, in, ARG(0)); }
static Pattern *b_sub(Arena *a, const TransformArg *args, Pattern *in) { return pattern_op(a, OP_SUB, STRUCT_LEFT, in, ARG(0)); }
static Pattern *b_mul(Arena *a, const TransformArg *args, Pattern *in) { return pattern_op(a, OP_MUL, STRUCT_LEFT, in, ARG(0)); }
static Pattern *b_div(Arena *a, const TransformArg *args, Pattern *in) { return pattern_op(a, OP_DIV, STRUCT_LEFT, in, ARG(0)); }
static Pattern *b_struct(Arena *a, const TransformArg *args, Pattern *in) { return pattern_struct(a, ARG(0), in); }
static Pattern *b_mask(Arena *a, const TransformArg *args, Pattern *in) { return pattern_mask(a, ARG(0), in); }

static Pattern *euclid_node(Arena *a, const TransformArg *args, Pattern *in, int nargs, int mode, Pattern *alt)
{
    Pattern *ps[3] = { ARG(0), ARG(1), nargs > 2 ? ARG(2) : NULL };
    TNode *t = tnode_new(a, k_euclid, in, nargs, ps);
    if (!t) return NULL;
    t->i0 = mode;
    t->alt = alt;
    t->ud = euclid_cache(a, ARG(0), ARG(1));
    return &t->base;
}
static Pattern *b_euclid(Arena *a, const TransformArg *args, Pattern *in) { return euclid_node(a, args, in, 2, 0, NULL); }
static Pattern *b_euclid_inv(Arena *a, const TransformArg *args, Pattern *in) { return euclid_node(a, args, in, 2, 1, NULL); }
static Pattern *b_euclid_full(Arena *a, const TransformArg *args, Pattern *in) { return euclid_node(a, args, in, 2, 2, ARG(2)); }
static Pattern *b_euclid_off(Arena *a, const TransformArg *args, Pattern *in) { return euclid_node(a, args, in, 3, 0, NULL); }
static Pattern *b_euclid_off_full(Arena *a, const TransformArg *args, Pattern *in)
{
    return euclid_node(a, args, in, 3, 2, ARG(3));
}

static Pattern *with_fn(Arena *a, TKernel k, Pattern *in, int nargs, Pattern *const *ps, const PatternFn *f, int64_t i0)
{
    TNode *t = tnode_new(a, k, in, nargs, ps);
    if (!t) return NULL;
    t->alt = apply_fn(a, f, in);
    t->i0 = i0;
    return t->alt ? &t->base : NULL;
}
/* every' and chunk' bind their arguments with >>= in Tidal 1.7.10 (unwrap: wholes cut to each
 * argument event), every and chunk with tParam (inner join) */
static Pattern *unwrapped(Pattern *p)
{
    if (p) ((TNode *)p)->unwrap = true;
    return p;
}
static Pattern *b_every(Arena *a, const TransformArg *args, Pattern *in) { return with_fn(a, k_every, in, 1, &ARG(0), FN(1), 0); }
static Pattern *b_last_of(Arena *a, const TransformArg *args, Pattern *in)
{
    return unwrapped(with_fn(a, k_every, in, 1, &ARG(0), FN(1), 1));   /* every' n (n-1) */
}
static Pattern *b_every_off(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    return unwrapped(with_fn(a, k_every, in, 2, ps, FN(2), 0));
}
static Pattern *b_whenmod(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    return with_fn(a, k_whenmod, in, 2, ps, FN(2), 0);
}
static Pattern *b_within(Arena *a, const TransformArg *args, Pattern *in)
{
    Value s, e;
    if (!const_value(ARG(0), &s) || !const_value(ARG(1), &e)) return NULL;
    TNode *t = tnode_new(a, k_within, in, 0, NULL);
    if (!t) return NULL;
    t->r0 = val_to_rat(&s);
    t->r1 = val_to_rat(&e);
    t->alt = apply_fn(a, FN(2), in);
    return t->alt ? &t->base : NULL;
}
static Pattern *b_chunk(Arena *a, const TransformArg *args, Pattern *in) { return with_fn(a, k_chunk, in, 1, &ARG(0), FN(1), 0); }
static Pattern *b_chunk_back(Arena *a, const TransformArg *args, Pattern *in)
{
    return unwrapped(with_fn(a, k_chunk, in, 1, &ARG(0), FN(1), 1));
}
static Pattern *b_while(Arena *a, const TransformArg *args, Pattern *in)
{
    /* while b f p = sew b (f p) p = stack [mask b (f p), mask (inv b) p] */
    Pattern *fp = apply_fn(a, FN(1), in);
    if (!fp) return NULL;
    Pattern *ps[2] = { mask_with(a, ARG(0), fp, true), mask_with(a, ARG(0), in, false) };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_sew(Arena *a, const TransformArg *args, Pattern *in)
{
    /* sew b x p (phonon's argument order: the input plays where b is false) */
    Pattern *ps[2] = { mask_with(a, ARG(0), ARG(1), true), mask_with(a, ARG(0), in, false) };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_brak(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)args;
    Pattern *sil = pattern_silence(a);
    Pattern *ps[2] = { in, sil };
    Pattern *half = pattern_fastcat(a, ps, 2);
    Pattern *alt = half ? pattern_shift_const(a, RAT(-1, 4), half) : NULL;
    TNode *t = alt ? tnode_new(a, k_odd_cycles, in, 0, NULL) : NULL;
    if (!t) return NULL;
    t->alt = alt;
    return &t->base;
}

/* off t f p = superimpose (f . (t `rotR`)) p, joined on t at the top (Tidal: tParam) */
static void k_bind_query_alt(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    if (t->i0) pat_q(t->in, arc, q);
    QBind b = { t, v[t->nargs - 1], q->bind };
    const QBind *saved = q->bind;
    q->bind = &b;
    pat_q(t->alt, arc, q);
    q->bind = saved;
}

static Pattern *b_off(Arena *a, const TransformArg *args, Pattern *in)
{
    TNode *t = tnode_new(a, k_bind_query_alt, in, 1, &ARG(0));
    if (!t) return NULL;
    t->i0 = 1;
    Pattern *late = pattern_bound_late(a, t, in);
    t->alt = apply_fn(a, FN(1), late);
    return t->alt ? &t->base : NULL;
}
static Pattern *b_superimpose(Arena *a, const TransformArg *args, Pattern *in)
{
    /* superimpose f g ... = stack [p, f p, g p, ...] (Tidal's superimpose takes one f) */
    Pattern *ps[TRANSFORM_MAX_ARGS + 1];
    int n = 0;
    ps[n++] = in;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].fn; i++) {
        ps[n] = apply_fn(a, args[i].fn, in);
        if (!ps[n++]) return NULL;
    }
    return pattern_stack(a, ps, n);
}
static Pattern *b_layer(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[TRANSFORM_MAX_ARGS];
    int n = 0;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].fn; i++) {
        ps[n] = apply_fn(a, args[i].fn, in);
        if (!ps[n++]) return NULL;
    }
    return pattern_stack(a, ps, n);
}
static Pattern *b_stack(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[TRANSFORM_MAX_ARGS + 1];
    int n = 0;
    ps[n++] = in;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].pat; i++) ps[n++] = args[i].pat;
    return pattern_stack(a, ps, n);
}
static Pattern *b_cat(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[TRANSFORM_MAX_ARGS + 1];
    int n = 0;
    ps[n++] = in;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].pat; i++) ps[n++] = args[i].pat;
    return pattern_slowcat(a, ps, n);
}
static Pattern *b_fastcat(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[TRANSFORM_MAX_ARGS + 1];
    int n = 0;
    ps[n++] = in;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].pat; i++) ps[n++] = args[i].pat;
    return pattern_fastcat(a, ps, n);
}
static Pattern *b_randcat(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[TRANSFORM_MAX_ARGS + 1];
    int n = 0;
    ps[n++] = in;
    for (int i = 0; i < TRANSFORM_MAX_ARGS && args[i].pat; i++) ps[n++] = args[i].pat;
    return randcat_new(a, ps, NULL, n);
}
/* inside n f p = _fast n (f (_slow n p)), joined on n at the top (Tidal: innerJoin) */
static void k_bind_query_alt_only(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    QBind b = { t, v[0], q->bind };
    const QBind *saved = q->bind;
    q->bind = &b;
    pat_q(t->alt, arc, q);
    q->bind = saved;
}

static Pattern *inside_fn(Arena *a, Pattern *n, const PatternFn *f, Pattern *in)
{
    TNode *t = tnode_new(a, k_bind_query_alt_only, in, 1, &n);
    if (!t) return NULL;
    Pattern *s = pattern_bound_slow(a, t, in);
    Pattern *fs = apply_fn(a, f, s);
    t->alt = fs ? pattern_bound_fast(a, t, fs) : NULL;
    return t->alt ? &t->base : NULL;
}
static Pattern *b_inside(Arena *a, const TransformArg *args, Pattern *in) { return inside_fn(a, ARG(0), FN(1), in); }
static Pattern *b_outside(Arena *a, const TransformArg *args, Pattern *in)
{
    /* outside n = inside (1/n) */
    Pattern *inv = pattern_fmap_op(a, OP_DIV, val_rat(rat_int(1)), ARG(0), false);
    return inv ? inside_fn(a, inv, FN(1), in) : NULL;
}
static Pattern *b_swing_by(Arena *a, const TransformArg *args, Pattern *in) { return pattern_swing_by(a, ARG(0), ARG(1), in); }
static Pattern *b_swing(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *x = pure_rat(a, RAT(1, 3));
    return x ? pattern_swing_by(a, x, ARG(0), in) : NULL;
}

static Pattern *b_degrade_by(Arena *a, const TransformArg *args, Pattern *in) { return pattern_degrade_by(a, ARG(0), in); }
static Pattern *b_undegrade_by(Arena *a, const TransformArg *args, Pattern *in) { return pattern_undegrade_by(a, ARG(0), in); }
static Pattern *b_degrade(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)args;
    return pattern_degrade_seeded(a, 0, 0.5, in);
}
static Pattern *b_sometimes_by(Arena *a, const TransformArg *args, Pattern *in) { return pattern_sometimes_by(a, ARG(0), FN(1), in, false); }
static Pattern *b_sometimes_by_inner(Arena *a, const TransformArg *args, Pattern *in) { return pattern_sometimes_by(a, ARG(0), FN(1), in, true); }
static Pattern *sometimes_at(Arena *a, double x, const PatternFn *f, Pattern *in)
{
    Pattern *px = pure_num(a, x);
    return px ? pattern_sometimes_by(a, px, f, in, false) : NULL;
}
static Pattern *b_sometimes(Arena *a, const TransformArg *args, Pattern *in) { return sometimes_at(a, 0.5, FN(0), in); }
static Pattern *b_often(Arena *a, const TransformArg *args, Pattern *in) { return sometimes_at(a, 0.75, FN(0), in); }
static Pattern *b_rarely(Arena *a, const TransformArg *args, Pattern *in) { return sometimes_at(a, 0.25, FN(0), in); }
static Pattern *b_almost_never(Arena *a, const TransformArg *args, Pattern *in) { return sometimes_at(a, 0.1, FN(0), in); }
static Pattern *b_almost_always(Arena *a, const TransformArg *args, Pattern *in) { return sometimes_at(a, 0.9, FN(0), in); }
static Pattern *b_always(Arena *a, const TransformArg *args, Pattern *in) { return apply_fn(a, FN(0), in); }
static Pattern *b_never(Arena *a, const TransformArg *args, Pattern *in)
{
    (void)a;
    (void)args;
    return in;
}
static Pattern *b_some_cycles_by(Arena *a, const TransformArg *args, Pattern *in) { return pattern_some_cycles_by(a, ARG(0), FN(1), in); }
static Pattern *b_some_cycles(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *px = pure_num(a, 0.5);
    return px ? pattern_some_cycles_by(a, px, FN(0), in) : NULL;
}
static Pattern *b_shuffle(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_slices, in, 1, &ARG(0)); }
static Pattern *b_scramble(Arena *a, const TransformArg *args, Pattern *in)
{
    TNode *t = tnode_new(a, k_slices, in, 1, &ARG(0));
    if (t) t->i0 = 1;
    return t ? &t->base : NULL;
}
static Pattern *b_rot(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_rot, in, 1, &ARG(0)); }
static Pattern *b_bite(Arena *a, const TransformArg *args, Pattern *in)
{
    TNode *t = tnode_new(a, k_bite, in, 1, &ARG(0));
    if (t) t->alt = ARG(1);
    return t ? &t->base : NULL;
}

static Pattern *b_stut(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[3] = { ARG(0), ARG(1), ARG(2) };
    return tn(a, k_stut, in, 3, ps);
}
static Pattern *b_stut_with(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    TNode *t = tnode_new(a, k_stut_with, in, 2, ps);
    Pattern **trees = arena_alloc(a, sizeof(Pattern *) * STUT_WITH_MAX);
    if (!t || !trees) return NULL;
    for (int i = 0; i < STUT_WITH_MAX; i++)
        if (!(trees[i] = stut_with_tree(a, i + 1, t, FN(2), in))) return NULL;
    t->ud = trees;
    return &t->base;
}
static Pattern *b_echo(Arena *a, const TransformArg *args, Pattern *in)
{
    /* Tidal 1.7.10: echo t p = stack [p, t `rotR` p], t a plain time */
    Value t;
    Pattern *ps[2] = { in, const_value(ARG(0), &t) ? pattern_shift_const(a, rat_neg(val_to_rat(&t)), in)
                                                   : pattern_late(a, ARG(0), in) };
    return ps[1] ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_chop(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_chop, in, 1, &ARG(0)); }
static Pattern *b_striate(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_striate, in, 1, &ARG(0)); }
static Pattern *b_striate_by(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *ps[2] = { ARG(0), ARG(1) };
    return tn(a, k_striate, in, 2, ps);
}
/* juxBy n f p = stack [p |+ pan 0.5 |+ pan (0 - n/2), f (p |+ pan 0.5 |+ pan (n/2))]; jux = juxBy 1 */
static Pattern *jux_by(Arena *a, Pattern *amount, const PatternFn *f, Pattern *in)
{
    Param k = P_PAN;
    double half = 0.5;
    if (!amount) amount = pure_num(a, 1);
    Pattern *centre = pure_map(a, 1, &k, &half);
    Pattern *amt = amount ? pattern_fmap_op(a, OP_DIV, val_num(2), amount, true) : NULL;
    Pattern *neg = amt ? pattern_fmap_op(a, OP_SUB, val_num(0), amt, false) : NULL;
    Pattern *pl = neg ? pattern_to_map(a, neg, P_PAN) : NULL, *pr = amt ? pattern_to_map(a, amt, P_PAN) : NULL;
    if (!pl || !pr || !centre) return NULL;
    Pattern *l = pattern_op(a, OP_ADD, STRUCT_LEFT, pattern_op(a, OP_ADD, STRUCT_LEFT, in, centre), pl);
    Pattern *r = pattern_op(a, OP_ADD, STRUCT_LEFT, pattern_op(a, OP_ADD, STRUCT_LEFT, in, centre), pr);
    Pattern *fr = apply_fn(a, f, r);
    Pattern *ps[2] = { l, fr };
    return (l && fr) ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_jux(Arena *a, const TransformArg *args, Pattern *in) { return jux_by(a, NULL, FN(0), in); }
static Pattern *b_jux_by(Arena *a, const TransformArg *args, Pattern *in) { return jux_by(a, ARG(0), FN(1), in); }

static Pattern *b_arp(Arena *a, const TransformArg *args, Pattern *in) { return tn(a, k_arp, in, 1, &ARG(0)); }
static Pattern *fix_with(Arena *a, const TransformArg *args, Pattern *in, bool fix)
{
    /* fix f ctrl = stack [f (matched), unmatched]; unfix f ctrl = stack [matched, f (unmatched)] */
    Pattern *m = fix_filter(a, in, ARG(1), true), *u = fix_filter(a, in, ARG(1), false);
    if (!m || !u) return NULL;
    Pattern *ps[2] = { fix ? apply_fn(a, FN(0), m) : m, fix ? u : apply_fn(a, FN(0), u) };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_fix(Arena *a, const TransformArg *args, Pattern *in) { return fix_with(a, args, in, true); }
/* contrast f g ctrl = stack [f (matched), g (unmatched)] (fix f = contrast f id) */
static Pattern *b_contrast(Arena *a, const TransformArg *args, Pattern *in)
{
    Pattern *m = fix_filter(a, in, ARG(2), true), *u = fix_filter(a, in, ARG(2), false);
    Pattern *ps[2] = { m ? apply_fn(a, FN(0), m) : NULL, u ? apply_fn(a, FN(1), u) : NULL };
    return (ps[0] && ps[1]) ? pattern_stack(a, ps, 2) : NULL;
}
static Pattern *b_unfix(Arena *a, const TransformArg *args, Pattern *in) { return fix_with(a, args, in, false); }

#define NOLISTS { { 0, { TA_ANY } }, { 0, { TA_ANY } } }
#define T(name, n, k0, k1, k2, ctl, fn, sum) { name, n, { k0, k1, k2, TA_ANY }, ctl, fn, sum, false, false, NOLISTS }
#define TV(name, n, k0, ctl, fn, sum) { name, n, { k0, k0, k0, k0 }, ctl, fn, sum, true, false, NOLISTS }
#define X TA_ANY
/* a source: a pattern of its own (its input is ignored) */
#define TS(name, n, k0, k1, fn, sum) { name, n, { k0, k1, TA_ANY, TA_ANY }, false, fn, sum, false, true, NOLISTS }
/* with a list argument whose items are tuples of w members of kinds i0 i1 i2 (src: a source) */
#define TL(name, n, k0, k1, k2, ctl, src, w, i0, i1, i2, fn, sum) \
    { name, n, { k0, k1, k2, TA_ANY }, ctl, fn, sum, false, src, { { w, { i0, i1, i2 } }, { 0, { TA_ANY } } } }

static const TransformDef transforms[] = {
    T("fast", 1, TA_TIME, X, X, false, b_fast, "fast n: n times faster"),
    T("density", 1, TA_TIME, X, X, false, b_fast, "density n: fast n"),
    T("slow", 1, TA_TIME, X, X, false, b_slow, "slow n: n times slower"),
    T("sparsity", 1, TA_TIME, X, X, false, b_slow, "sparsity n: slow n"),
    T("hurry", 1, TA_TIME, X, X, true, b_hurry, "hurry n: fast n, and speed multiplied by n"),
    T("early", 1, TA_TIME, X, X, false, b_early, "early t (t <~): shift t cycles earlier"),
    T("rotL", 1, TA_RAT, X, X, false, b_rot_l, "rotL t: shift t cycles earlier"),
    T("<~", 1, TA_TIME, X, X, false, b_early, "t <~ p: shift t cycles earlier"),
    T("late", 1, TA_TIME, X, X, false, b_late, "late t (t ~>): shift t cycles later"),
    T("rotR", 1, TA_RAT, X, X, false, b_rot_r, "rotR t: shift t cycles later"),
    T("~>", 1, TA_TIME, X, X, false, b_late, "t ~> p: shift t cycles later"),
    T("rev", 0, X, X, X, false, b_rev, "rev: each cycle backwards"),
    T("palindrome", 0, X, X, X, false, b_palindrome, "palindrome: forwards, then backwards"),
    T("iter", 1, TA_INT, X, X, false, b_iter, "iter n: each cycle starts 1/n later in the pattern"),
    T("iterBack", 1, TA_INT, X, X, false, b_iter_back, "iterBack n (iter'): iter the other way"),
    T("iter'", 1, TA_INT, X, X, false, b_iter_back, "iter' n: iter the other way"),
    T("ply", 1, TA_TIME, X, X, false, b_ply, "ply n: each event repeated n times in its own span"),
    T("press", 0, X, X, X, false, b_press, "press: each event moved to the second half of its span"),
    T("pressBy", 1, TA_TIME, X, X, false, b_press_by, "pressBy r: each event moved to the last 1-r of its span"),
    T("segment", 1, TA_TIME, X, X, false, b_segment, "segment n: n equal events per cycle sampling the pattern"),
    T("discretise", 1, TA_TIME, X, X, false, b_segment, "discretise n: segment n"),
    T("range", 2, TA_NUM, TA_NUM, X, false, b_range, "range lo hi: values 0..1 scaled to lo..hi"),
    T("add", 1, TA_NUM, X, X, false, b_add, "add x: p |+ x"),
    T("sub", 1, TA_NUM, X, X, false, b_sub, "sub x: p |- x"),
    T("mul", 1, TA_NUM, X, X, false, b_mul, "mul x: p |* x"),
    T("div", 1, TA_NUM, X, X, false, b_div, "div x: p |/ x"),
    T("struct", 1, TA_BOOL, X, X, false, b_struct, "struct b: the rhythm of the true events of b"),
    T("mask", 1, TA_BOOL, X, X, false, b_mask, "mask b: only where b is true"),
    T("euclid", 2, TA_INT, TA_INT, X, false, b_euclid, "euclid k n: k pulses spread over n steps"),
    T("euclidInv", 2, TA_INT, TA_INT, X, false, b_euclid_inv, "euclidInv k n: the rests of euclid k n"),
    T("euclidFull", 3, TA_INT, TA_INT, TA_ANY, false, b_euclid_full, "euclidFull k n q: q on the k pulses, the pattern on the rests"),
    T("euclidOff", 3, TA_INT, TA_INT, TA_INT, false, b_euclid_off, "euclidOff k n r: euclid rotated r steps earlier"),
    T("euclidRot", 3, TA_INT, TA_INT, TA_INT, false, b_euclid_off, "euclidRot k n r: euclidOff"),
    T("eoff", 3, TA_INT, TA_INT, TA_INT, false, b_euclid_off, "eoff k n r: euclidOff"),
    { "euclidOffFull", 4, { TA_INT, TA_INT, TA_INT, TA_ANY }, false, b_euclid_off_full,
      "euclidOffFull k n r q: euclidFull rotated r steps earlier", false, false, NOLISTS },
    T("every", 2, TA_INT, TA_FN, X, false, b_every, "every n f: f on every n-th cycle (from cycle 0)"),
    T("firstOf", 2, TA_INT, TA_FN, X, false, b_every, "firstOf n f: every n f"),
    T("lastOf", 2, TA_INT, TA_FN, X, false, b_last_of, "lastOf n f: f on the last cycle of every n"),
    T("every'", 3, TA_INT, TA_INT, TA_FN, false, b_every_off, "every' n o f: f when cycle mod n == o"),
    T("whenmod", 3, TA_TIME, TA_TIME, TA_FN, false, b_whenmod, "whenmod a b f: f when cycle mod a >= b"),
    T("within", 3, TA_RAT, TA_RAT, TA_FN, false, b_within, "within s e f: f on the part s..e of each cycle"),
    T("chunk", 2, TA_INT, TA_FN, X, false, b_chunk, "chunk n f: f on one n-th of the cycle, moving along"),
    T("chunk'", 2, TA_INT, TA_FN, X, false, b_chunk_back, "chunk' n f: chunk moving backwards"),
    T("while", 2, TA_BOOL, TA_FN, X, false, b_while, "while b f: f where b is true"),
    T("sew", 2, TA_BOOL, TA_ANY, X, false, b_sew, "sew b q: q where b is true, the pattern elsewhere"),
    T("brak", 0, X, X, X, false, b_brak, "brak: odd cycles squashed and shifted by a quarter"),
    T("off", 2, TA_TIME, TA_FN, X, false, b_off, "off t f: the pattern plus f of it t cycles later"),
    TV("superimpose", 1, TA_FN, false, b_superimpose, "superimpose f: the pattern plus f of it"),
    TV("layer", 1, TA_FN, false, b_layer, "layer f g ...: f of the pattern, g of it, ... together"),
    TV("stack", 1, TA_ANY, false, b_stack, "stack q ...: the pattern and q ... together"),
    TV("overlay", 1, TA_ANY, false, b_stack, "overlay q: stack"),
    TV("cat", 1, TA_ANY, false, b_cat, "cat q ...: one cycle of each in turn"),
    TV("slowcat", 1, TA_ANY, false, b_cat, "slowcat q ...: cat"),
    TV("fastcat", 1, TA_ANY, false, b_fastcat, "fastcat q ...: all squeezed into one cycle"),
    TV("fastCat", 1, TA_ANY, false, b_fastcat, "fastCat q ...: fastcat"),
    TV("slowCat", 1, TA_ANY, false, b_cat, "slowCat q ...: cat"),
    TV("randcat", 1, TA_ANY, false, b_randcat, "randcat q ...: a random one of them each cycle"),
    T("inside", 2, TA_TIME, TA_FN, X, false, b_inside, "inside n f: f applied at n cycles per cycle"),
    T("outside", 2, TA_TIME, TA_FN, X, false, b_outside, "outside n f: f applied at 1/n cycles per cycle"),
    T("zoom", 2, TA_RAT, TA_RAT, X, false, b_zoom, "zoom b e: the part b..e of each cycle, stretched"),
    T("zoomArc", 2, TA_RAT, TA_RAT, X, false, b_zoom, "zoomArc b e: zoom"),
    T("compress", 2, TA_RAT, TA_RAT, X, false, b_compress, "compress b e: each cycle squeezed into b..e"),
    T("fastGap", 1, TA_TIME, X, X, false, b_fast_gap, "fastGap n: faster, leaving a gap to the cycle's end"),
    T("densityGap", 1, TA_TIME, X, X, false, b_fast_gap, "densityGap n: fastGap"),
    T("linger", 1, TA_TIME, X, X, false, b_linger, "linger f: the first f of each cycle, repeated"),
    T("trunc", 1, TA_TIME, X, X, false, b_trunc, "trunc f: only the first f of each cycle"),
    T("repeatCycles", 1, TA_INT, X, X, false, b_repeat_cycles, "repeatCycles n: each cycle played n times"),
    T("fastRepeatCycles", 1, TA_INT, X, X, false, b_repeat_cycles, "fastRepeatCycles n: repeatCycles (Tidal 1.7.10's is the same)"),
    T("swingBy", 2, TA_TIME, TA_TIME, X, false, b_swing_by, "swingBy x n: the second half of each 1/n later by x/n"),
    T("swing", 1, TA_TIME, X, X, false, b_swing, "swing n: swingBy 1/3 n"),
    T("degrade", 0, X, X, X, false, b_degrade, "degrade: about half the events removed at random"),
    T("degradeBy", 1, TA_NUM, X, X, false, b_degrade_by, "degradeBy x: events removed with probability x"),
    T("unDegradeBy", 1, TA_NUM, X, X, false, b_undegrade_by, "unDegradeBy x: exactly the events degradeBy x removes"),
    T("undegradeBy", 1, TA_NUM, X, X, false, b_undegrade_by, "undegradeBy x: unDegradeBy"),
    T("sometimesBy", 2, TA_NUM, TA_FN, X, false, b_sometimes_by, "sometimesBy x f: f on events with probability x"),
    T("sometimesBy'", 2, TA_NUM, TA_FN, X, false, b_sometimes_by_inner, "sometimesBy' x f: chooses among f's output"),
    T("sometimes", 1, TA_FN, X, X, false, b_sometimes, "sometimes f: sometimesBy 0.5"),
    T("often", 1, TA_FN, X, X, false, b_often, "often f: sometimesBy 0.75"),
    T("rarely", 1, TA_FN, X, X, false, b_rarely, "rarely f: sometimesBy 0.25"),
    T("almostNever", 1, TA_FN, X, X, false, b_almost_never, "almostNever f: sometimesBy 0.1"),
    T("almostAlways", 1, TA_FN, X, X, false, b_almost_always, "almostAlways f: sometimesBy 0.9"),
    T("always", 1, TA_FN, X, X, false, b_always, "always f: f"),
    T("never", 1, TA_FN, X, X, false, b_never, "never f: unchanged"),
    T("someCyclesBy", 2, TA_NUM, TA_FN, X, false, b_some_cycles_by, "someCyclesBy x f: f on whole cycles with probability x"),
    T("somecyclesBy", 2, TA_NUM, TA_FN, X, false, b_some_cycles_by, "somecyclesBy x f: someCyclesBy"),
    T("someCycles", 1, TA_FN, X, X, false, b_some_cycles, "someCycles f: someCyclesBy 0.5"),
    T("somecycles", 1, TA_FN, X, X, false, b_some_cycles, "somecycles f: someCyclesBy 0.5"),
    T("shuffle", 1, TA_INT, X, X, false, b_shuffle, "shuffle n: the n slices of each cycle in a random order"),
    T("scramble", 1, TA_INT, X, X, false, b_scramble, "scramble n: n random slices of each cycle"),
    T("rot", 1, TA_INT, X, X, false, b_rot, "rot n: values moved n events along"),
    T("bite", 2, TA_INT, TA_INT, X, false, b_bite, "bite n ipat: slices of n chosen by ipat"),
    T("stut", 3, TA_INT, TA_NUM, TA_TIME, true, b_stut, "stut n fb t: n echoes t apart, gain falling to fb"),
    T("stutWith", 3, TA_INT, TA_TIME, TA_FN, false, b_stut_with, "stutWith n t f: n echoes t apart, each through f once more"),
    T("echoWith", 3, TA_INT, TA_TIME, TA_FN, false, b_stut_with, "echoWith n t f: stutWith"),
    T("echo", 1, TA_RAT, X, X, false, b_echo, "echo t: the pattern plus itself t cycles later (Tidal 1.7)"),
    T("chop", 1, TA_INT, X, X, true, b_chop, "chop n: each event cut into n parts (begin/end)"),
    T("striate", 1, TA_INT, X, X, true, b_striate, "striate n: n interlaced slices of every event (begin/end)"),
    T("striateBy", 2, TA_INT, TA_NUM, X, true, b_striate_by, "striateBy n f: striate with slices of length f, i (1-f)/n apart"),
    T("jux", 1, TA_FN, X, X, true, b_jux, "jux f: the pattern on the left, f of it on the right"),
    T("arp", 1, TA_WORDS, X, X, false, b_arp, "arp mode: each chord's notes one after another (up down updown converge ...)"),
    T("fix", 2, TA_FN, TA_ANY, X, true, b_fix, "fix f ctrl: f on the events whose controls include ctrl's"),
    T("unfix", 2, TA_FN, TA_ANY, X, true, b_unfix, "unfix f ctrl: f on the other events"),
    T("juxBy", 2, TA_NUM, TA_FN, X, true, b_jux_by, "juxBy n f: jux with the sides n apart"),
    /* Tidal's wider library (pattern_library.h), most used first */
    T("scale", 1, TA_WORDS, X, X, false, plib_scale, "scale name p: scale degrees p as semitones of the scale (Tidal's table)"),
    T("slice", 2, TA_INT, TA_INT, X, true, plib_slice, "slice n i: the i-th of n equal parts of each sample (begin/end)"),
    T("splice", 2, TA_INT, TA_INT, X, true, plib_splice, "splice n i: slice, with speed set to fit each part to its event"),
    T("chew", 2, TA_INT, TA_INT, X, true, plib_chew, "chew n ipat: bite, with speed following the squeeze"),
    T("loopAt", 1, TA_TIME, X, X, true, plib_loop_at, "loopAt n: slow n, with speed 1/n in unit \"c\" (a loop fits n cycles)"),
    T("randslice", 1, TA_INT, X, X, true, plib_randslice, "randslice n: a random one of n slices each cycle"),
    T("stutter", 2, TA_RAT, TA_RAT, X, false, plib_stutter, "stutter n t: n copies, each t cycles later than the one before"),
    T("double", 1, TA_RAT, X, X, false, plib_double, "double t: stutter 2 t"),
    T("triple", 1, TA_RAT, X, X, false, plib_triple, "triple t: stutter 3 t"),
    T("quad", 1, TA_RAT, X, X, false, plib_quad, "quad t: stutter 4 t"),
    T("spin", 1, TA_INT, X, X, true, plib_spin, "spin n: n copies, each 1/n earlier and panned 1/n further"),
    T("ghost", 0, X, X, X, true, plib_ghost, "ghost: ghost notes 1/8 and 5/16 later (quieter, shorter, faster)"),
    T("ghost'", 1, TA_RAT, X, X, true, plib_ghost1, "ghost' t: ghost notes 1.5 t and 2.5 t later"),
    T("ghost''", 2, TA_RAT, TA_FN, X, false, plib_ghost2, "ghost'' t f: f's ghost notes 1.5 t and 2.5 t later"),
    T("plyWith", 2, TA_NUM, TA_FN, X, false, plib_ply_with, "plyWith n f: ply n, each repeat through f once more"),
    T("arpeggiate", 0, X, X, X, false, plib_arpeggiate, "arpeggiate: each chord's notes one after another (arp \"up\")"),
    T("arpg", 0, X, X, X, false, plib_arpeggiate, "arpg: arpeggiate"),
    T("wedge", 2, TA_TIME, TA_ANY, X, false, plib_wedge, "wedge t q: q squashed into the first t of each cycle, the pattern into the rest"),
    T("stitch", 2, TA_BOOL, TA_ANY, X, false, plib_stitch, "stitch b q: q where b is true, the pattern where it is false, in b's rhythm"),
    T("inv", 0, X, X, X, false, plib_inv, "inv: booleans inverted"),
    T("loopFirst", 0, X, X, X, false, plib_loop_first, "loopFirst: every cycle plays the first"),
    T("timeLoop", 1, TA_TIME, X, X, false, plib_time_loop, "timeLoop n: the first n cycles, looped"),
    T("soak", 2, TA_RAT, TA_FN, X, false, plib_soak, "soak n f: one cycle of p, then of f p, f (f p) ... n in turn"),
    T("juxcut", 1, TA_FN, X, X, true, plib_juxcut, "juxcut f: jux with each side in its own cut group"),
    T("jux4", 1, TA_FN, X, X, true, plib_jux4, "jux4 f: jux with the sides at pan 5/8 and 1/8"),
    T("quantise", 1, TA_RAT, X, X, false, plib_quantise, "quantise n: values rounded to the nearest 1/n"),
    T("rangex", 2, TA_RAT, TA_RAT, X, false, plib_rangex, "rangex lo hi: values 0..1 scaled exponentially to lo..hi"),
    T("smooth", 0, X, X, X, false, plib_smooth, "smooth: numbers glide from each event's value to the next one's"),
    T("stripe", 1, TA_INT, X, X, false, plib_stripe, "stripe n: n cycles squeezed into each cycle, at random speeds"),
    T("ifp", 3, TA_PRED, TA_FN, TA_FN, false, plib_ifp, "ifp test f g: f on the cycles whose number passes the test, g on the others"),
    T("when", 2, TA_PRED, TA_FN, X, false, plib_when, "when test f: f on the cycles whose number passes the test"),
    T("whenT", 2, TA_PRED, TA_FN, X, false, plib_when_t, "whenT test f: f where the query starts at a time that passes the test"),
    T("id", 0, X, X, X, false, plib_id, "id: the pattern unchanged (a function that does nothing: ifp odd (fast 2) id)"),
    T("append", 1, TA_ANY, X, X, false, plib_append, "append q p: cat [q, p] (q's cycle, then p's)"),
    T("slowAppend", 1, TA_ANY, X, X, false, plib_append, "slowAppend q p: append"),
    T("slowappend", 1, TA_ANY, X, X, false, plib_append, "slowappend q p: append"),
    T("fastAppend", 1, TA_ANY, X, X, false, plib_fast_append, "fastAppend q p: append, twice as fast"),
    T("fastappend", 1, TA_ANY, X, X, false, plib_fast_append, "fastappend q p: fastAppend"),
    T("sometimes'", 1, TA_FN, X, X, false, plib_sometimes_prime, "sometimes' f: sometimesBy' 0.5 f"),
    T("often'", 1, TA_FN, X, X, false, plib_often_prime, "often' f: sometimesBy' 0.75 f"),
    T("rarely'", 1, TA_FN, X, X, false, plib_rarely_prime, "rarely' f: sometimesBy' 0.25 f"),
    T("almostNever'", 1, TA_FN, X, X, false, plib_almost_never_prime, "almostNever' f: sometimesBy 0.1 f (Tidal 1.7.10's, without the prime)"),
    T("almostAlways'", 1, TA_FN, X, X, false, plib_almost_always_prime, "almostAlways' f: sometimesBy' 0.9 f"),
    T("stut'", 3, TA_INT, TA_TIME, TA_FN, false, b_stut_with, "stut' n t f: stutWith"),
    T("striate'", 2, TA_INT, TA_NUM, X, true, b_striate_by, "striate' n f: striateBy"),
    T("slowstripe", 1, TA_INT, X, X, false, plib_slowstripe, "slowstripe n: stripe n, slowed n times"),
    T("offadd", 2, TA_TIME, TA_NUM, X, false, plib_offadd, "offadd t n: the pattern plus itself t cycles later with n added"),
    T("qround", 1, TA_RAT, X, X, false, plib_quantise, "qround n: quantise"),
    T("qfloor", 1, TA_RAT, X, X, false, plib_qfloor, "qfloor n: values rounded down to a multiple of 1/n"),
    T("qceiling", 1, TA_RAT, X, X, false, plib_qceiling, "qceiling n: values rounded up to a multiple of 1/n"),
    T("within'", 3, TA_RAT, TA_RAT, TA_FN, false, plib_within_prime, "within' s e f: f on the part s..e of each cycle, zoomed in first and compressed back"),
    T("contrast", 3, TA_FN, TA_FN, TA_ANY, true, b_contrast, "contrast f g ctrl: f on the events whose controls include ctrl's, g on the others"),
    T("binaryN", 1, TA_INT, X, X, false, plib_binary_n, "binaryN n: each number as n bits (true, false), squeezed into its event"),
    T("binary", 0, X, X, X, false, plib_binary, "binary: binaryN 8"),
    T("ascii", 0, X, X, X, false, plib_ascii, "ascii: each word's characters as 8 bits each, squeezed into its event"),
    TS("brand", 0, X, X, plib_brand, "brand: random booleans, true half of the time, continuously"),
    TS("brandBy", 1, TA_NUM, X, plib_brand_by, "brandBy x: random booleans, true with probability x"),
    T("perlinWith", 0, X, X, X, false, plib_perlin_with, "perlinWith: Perlin noise of the pattern's values"),
    TS("perlin", 0, X, X, plib_perlin, "perlin: smooth random values 0..1, a new one every cycle"),
    TL("choose", 1, TA_LIST, X, X, false, true, 1, TA_VALUE, X, X, plib_choose, "choose [x, y ...]: a random one of the values, continuously"),
    TL("chooseBy", 2, TA_NUM, TA_LIST, X, false, true, 1, TA_VALUE, X, X, plib_choose_by, "chooseBy f [x ...]: the value f (0..1) points at"),
    TL("wchoose", 1, TA_LIST, X, X, false, true, 2, TA_VALUE, TA_RAT, X, plib_wchoose, "wchoose [(x, w) ...]: a random value, each with weight w"),
    TL("wchooseBy", 2, TA_NUM, TA_LIST, X, false, true, 2, TA_VALUE, TA_RAT, X, plib_wchoose_by, "wchooseBy f [(x, w) ...]: wchoose by f (0..1)"),
    TL("cycleChoose", 1, TA_LIST, X, X, false, true, 1, TA_VALUE, X, X, plib_cycle_choose, "cycleChoose [x ...]: a random one of the values each cycle"),
    TL("wrandcat", 1, TA_LIST, X, X, false, true, 2, TA_ANY, TA_RAT, X, plib_wrandcat, "wrandcat [(p, w) ...]: a random pattern each cycle, each with weight w"),
    TL("toScale", 1, TA_LIST, X, X, false, false, 1, TA_VALUE, X, X, plib_to_scale, "toScale [s ...] p: degrees p in the steps given (octaves of 12)"),
    TL("toScale'", 2, TA_RAT, TA_LIST, X, false, false, 1, TA_VALUE, X, X, plib_to_scale_oct, "toScale' o [s ...] p: toScale with octaves of o"),
    TL("spread", 2, TA_FNHEAD, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_spread, "spread f [x ...]: f x on the first cycle, f y on the next ..."),
    TL("slowspread", 2, TA_FNHEAD, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_spread, "slowspread f [x ...]: spread"),
    TL("fastspread", 2, TA_FNHEAD, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_fastspread, "fastspread f [x ...]: f x, f y ... squeezed into each cycle"),
    TL("spreadf", 1, TA_LIST, X, X, false, false, 1, TA_FN, X, X, plib_spreadf, "spreadf [f ...]: f on the first cycle, g on the next ..."),
    TL("timeCat", 1, TA_LIST, X, X, false, true, 2, TA_RAT, TA_ANY, X, plib_time_cat, "timeCat [(t, p) ...]: the patterns in one cycle, each a share t of it"),
    TL("timecat", 1, TA_LIST, X, X, false, true, 2, TA_RAT, TA_ANY, X, plib_time_cat, "timecat [(t, p) ...]: timeCat"),
    TL("squeeze", 2, TA_INT, TA_LIST, X, false, true, 1, TA_ANY, X, X, plib_squeeze, "squeeze ipat [p ...]: p i squeezed into each event of ipat"),
    TL("select", 2, TA_NUM, TA_LIST, X, false, true, 1, TA_ANY, X, X, plib_select, "select f [p ...]: the pattern f (0..1) points at"),
    TL("pickF", 2, TA_INT, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_pick_f, "pickF ipat [f ...]: the function ipat picks"),
    TL("foldEvery", 2, TA_LIST, TA_FN, X, false, false, 1, TA_INT, X, X, plib_fold_every, "foldEvery [n ...] f: every n f, for each n"),
    TL("selectF", 2, TA_NUM, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_select_f, "selectF f [g ...]: the function f (0..1) points at"),
    TL("spreadChoose", 2, TA_FNHEAD, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_spread_choose, "spreadChoose f [x ...]: f of a random one of the items each cycle"),
    TL("spreadr", 2, TA_FNHEAD, TA_LIST, X, false, false, 1, TA_FN, X, X, plib_spread_choose, "spreadr f [x ...]: spreadChoose"),
    TL("fit", 2, TA_INT, TA_LIST, X, false, false, 1, TA_VALUE, X, X, plib_fit, "fit step [x ...] p: p's integers pick from the list, moving step along each cycle"),
    T("fastSqueeze", 1, TA_TIME, X, X, false, plib_fast_squeeze, "fastSqueeze t: a cycle of the pattern, t times faster, squeezed into each event of t"),
    T("slowSqueeze", 1, TA_TIME, X, X, false, plib_slow_squeeze, "slowSqueeze t: as fastSqueeze, t times slower"),
    TL("inhabit", 1, TA_LIST, X, X, false, false, 2, TA_VALUE, TA_ANY, X, plib_inhabit, "inhabit [(name, p) ...] w: each word of w names the pattern squeezed into its event"),
    TL("swap", 1, TA_LIST, X, X, false, false, 2, TA_VALUE, TA_VALUE, X, plib_swap, "swap [(a, b) ...]: each value a becomes b, the others are dropped"),
    TL("spaceOut", 1, TA_LIST, X, X, false, false, 1, TA_RAT, X, X, plib_space_out, "spaceOut [t ...]: the pattern played at each speed 1/t in turn, over sum t cycles"),
    TL("smash'", 2, TA_INT, TA_LIST, X, true, false, 1, TA_TIME, X, X, plib_smash_chop, "smash' n [t ...]: chop n, slowed by each t in turn"),
    TL("seqPLoop", 1, TA_LIST, X, X, false, true, 3, TA_RAT, TA_RAT, TA_ANY, plib_seq_p_loop, "seqPLoop [(s, e, p) ...]: seqP, looped from the first start to the last end"),
    TL("smash", 2, TA_INT, TA_LIST, X, true, false, 1, TA_TIME, X, X, plib_smash, "smash n [t ...]: striate n, slowed by each t in turn"),
    TL("seqP", 1, TA_LIST, X, X, false, true, 3, TA_RAT, TA_RAT, TA_ANY, plib_seq_p, "seqP [(s, e, p) ...]: p from cycle s until cycle e"),
    TL("weave", 3, TA_RAT, TA_ANY, TA_LIST, true, true, 1, TA_ANY, X, X, plib_weave, "weave t ctrl [p ...]: ctrl over t cycles applied to each p, offset in turn"),
    { "ur", 4, { TA_RAT, TA_WORDS, TA_LIST, TA_LIST }, false, plib_ur,
      "ur t outer [(name, p) ...] [(name, f) ...]: outer's words name the patterns (name:f applies f), over t cycles",
      false, true, { { 2, { TA_VALUE, TA_ANY } }, { 2, { TA_VALUE, TA_FN } } } },
    TL("weaveWith", 3, TA_RAT, TA_ANY, TA_LIST, false, true, 1, TA_FN, X, X, plib_weave_with, "weaveWith t p [f ...]: each f of p over t cycles, offset in turn"),
};

/* --- the factors that have a range (docs/PATTERNS.md, "Limits") -------------------------------- */

static const struct {
    const char *name;
    int arg;
    PatLimit lim;
} factor_limits[] = {
    { "fast", 0, LIM_SPEED }, { "density", 0, LIM_SPEED }, { "slow", 0, LIM_SPEED }, { "sparsity", 0, LIM_SPEED },
    { "hurry", 0, LIM_SPEED }, { "inside", 0, LIM_SPEED }, { "outside", 0, LIM_SPEED }, { "fastGap", 0, LIM_SPEED },
    { "linger", 0, LIM_SPEED }, { "swingBy", 1, LIM_SPEED }, { "swing", 0, LIM_SPEED }, { "ply", 0, LIM_PLY },
    { "segment", 0, LIM_SEGMENT }, { "discretise", 0, LIM_SEGMENT }, { "chop", 0, LIM_SLICES },
    { "striate", 0, LIM_SLICES }, { "striateBy", 0, LIM_SLICES }, { "stut", 0, LIM_ECHOES },
    { "stutWith", 0, LIM_ECHOES_WITH }, { "echoWith", 0, LIM_ECHOES_WITH }, { "shuffle", 0, LIM_SHUFFLE },
    { "scramble", 0, LIM_SHUFFLE }, { "spin", 0, LIM_ECHOES }, { "stripe", 0, LIM_SHUFFLE }, { "loopAt", 0, LIM_SPEED },
    { "slowstripe", 0, LIM_SHUFFLE }, { "binaryN", 0, LIM_SLICES }, { "fastSqueeze", 0, LIM_SPEED }, { "slowSqueeze", 0, LIM_SPEED }, { "stut'", 0, LIM_ECHOES_WITH }, { "striate'", 0, LIM_SLICES },
};

int transform_check_limits(const TransformDef *def, const TransformArg *args, int nargs, char *msg, int size)
{
    for (size_t i = 0; def && i < sizeof factor_limits / sizeof factor_limits[0]; i++) {
        int k = factor_limits[i].arg;
        Value v;
        if (strcmp(factor_limits[i].name, def->name) != 0 || k >= nargs || !const_value(args[k].pat, &v)) continue;
        double x = val_to_num(&v), m = fabs(x), lo, hi;
        const char *text = lim_text(factor_limits[i].lim, &lo, &hi);
        if (x == 0 || isnan(x) || (m >= lo && m <= hi)) return -1;
        double c = copysign(m < lo ? lo : hi, x);
        /* not the value: a literal beyond int64 has already been rounded to the largest one */
        snprintf(msg, (size_t)size, "the factor of %s is out of range (%s); clamped to %g", def->name, text, c);
        return k;
    }
    return -1;
}

/* Constant arguments for which Tidal 1.7.10 raises an error (a division by zero when queried):
 * trunc 0, linger 0 (zoomArc (0, 0), _fast (1/0)), bite 0 (i `mod` 0), whenmod 0 (t `mod'` 0),
 * every' 0 o (cycle `mod` 0), zoom and compress of an empty span. A patterned argument cannot be
 * known here: a query gives silence where such a value plays (docs/PATTERNS.md). */
static const struct {
    const char *name;
    int arg;                    /* this argument is 0, or (equal) it equals the next one */
    bool equal;
    const char *why;
} degenerate_args[] = {
    { "trunc", 0, false, "trunc 0 keeps nothing of a cycle" },
    { "linger", 0, false, "linger 0 would repeat nothing forever" },
    { "bite", 0, false, "bite 0 cuts a cycle into no pieces" },
    { "whenmod", 0, false, "whenmod 0 takes the cycle modulo 0" },
    { "every'", 0, false, "every' 0 takes the cycle modulo 0" },
    { "zoom", 0, true, "zoom of an empty span (begin = end)" },
    { "compress", 0, true, "compress into an empty span (begin = end)" },
};

int transform_check_degenerate(const TransformDef *def, const TransformArg *args, int nargs, char *msg, int size)
{
    for (size_t i = 0; def && i < sizeof degenerate_args / sizeof degenerate_args[0]; i++) {
        int k = degenerate_args[i].arg;
        Value v, w;
        if (strcmp(degenerate_args[i].name, def->name) != 0 || k + degenerate_args[i].equal >= nargs) continue;
        if (!const_value(args[k].pat, &v)) continue;
        bool bad;
        if (degenerate_args[i].equal) {
            if (!const_value(args[k + 1].pat, &w)) continue;
            bad = rat_eq(val_to_rat(&v), val_to_rat(&w));
        } else {
            bad = val_to_num(&v) == 0;      /* 1e-300 is not 0, though it rounds to it */
        }
        if (!bad) continue;
        snprintf(msg, (size_t)size, "%s (Tidal raises an error: a division by zero)", degenerate_args[i].why);
        return k;
    }
    return -1;
}

const TransformDef *transform_table(int *count)
{
    if (count) *count = (int)(sizeof transforms / sizeof transforms[0]);
    return transforms;
}

const TransformDef *transform_find(const char *name)
{
    for (size_t i = 0; i < sizeof transforms / sizeof transforms[0]; i++)
        if (strcmp(transforms[i].name, name) == 0) return &transforms[i];
    return NULL;
}
