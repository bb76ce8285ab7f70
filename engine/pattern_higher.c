/* pattern_higher.c — Tidal's functions of lists of patterns and functions: spread fastspread
 * spreadf spreadChoose, squeeze fastSqueeze slowSqueeze inhabit, select selectF, pickF, fit, swap, spaceOut, foldEvery, smash, seqP, weave weaveWith, ur. The lists arrive
 * as TA_LIST arguments (pattern.h); builders make every tree off the audio path, kernels only
 * choose among them (no allocation). */
#include "pattern_library.h"

#include <string.h>

/* The patterns of a list's items: member m of tuples of width w; f applied to in for TA_FN items. */
static Pattern **list_patterns(Arena *a, const TransformArg *list, int w, int m, Pattern *in)
{
    int n = list->nitems;
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)(n > 0 ? n : 1));
    if (!ps) return NULL;
    for (int i = 0; i < n; i++) {
        const TransformArg *it = &list->items[i * w + m];
        ps[i] = it->fn ? plib_apply(a, it->fn, in) : it->pat;
        if (!ps[i]) return NULL;
    }
    return ps;
}

/* spread f [x ...] p = slowcat [f x p ...]; fastspread: fastcat; spreadf [f ...] = spread ($) */
static Pattern *spread_with(Arena *a, const TransformArg *list, Pattern *in, bool fast)
{
    if (list->nitems <= 0) return pattern_silence(a);
    Pattern **ps = list_patterns(a, list, 1, 0, in);
    if (!ps) return NULL;
    return fast ? pattern_fastcat(a, ps, list->nitems) : pattern_slowcat(a, ps, list->nitems);
}
PLIB(spread) { return spread_with(a, &args[1], in, false); }
PLIB(fastspread) { return spread_with(a, &args[1], in, true); }
PLIB(spreadf) { return spread_with(a, &args[0], in, false); }

/* squeeze ipat [p ...]: into each event of ipat, a cycle of p (i mod n) squeezed */
typedef struct Choices {
    Pattern **ps;
    int n;
} Choices;

static void squeeze_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const Choices *c = ud;
    pat_q(c->ps[imod(plib_int(&outer->value), c->n)], arc, q);
}

typedef struct SqueezeNode {
    Pattern base;
    Pattern *ipat;
    Choices c;
} SqueezeNode;

static void squeeze_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SqueezeNode *s = (const SqueezeNode *)p;
    q_squeeze(s->ipat, arc, q, squeeze_inner, &s->c);
}

PLIB(squeeze)
{
    (void)in;
    if (args[1].nitems <= 0) return pattern_silence(a);
    SqueezeNode *s = pat_node(a, sizeof *s, squeeze_query);
    if (!s || !PLIB_ARG(0) || !(s->c.ps = list_patterns(a, &args[1], 1, 0, NULL))) return NULL;
    s->ipat = PLIB_ARG(0);
    s->c.n = args[1].nitems;
    return &s->base;
}

/* select f [p ...]: p (floor (clamp 0 1 f * (n-1))); pickF i [f ...] p: (f (i mod n)) p */
static void k_select(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    const Choices *c = t->ud;
    double f = val_to_num(&v[0]);
    if (isnan(f)) return;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    pat_q(c->ps[(int)floor(f * (double)(c->n - 1))], arc, q);
}

static void k_pick(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    const Choices *c = t->ud;
    pat_q(c->ps[imod(plib_int(&v[0]), c->n)], arc, q);
}

static Pattern *choices_node(Arena *a, TKernel k, Pattern *arg, const TransformArg *list, Pattern *in)
{
    if (list->nitems <= 0) return pattern_silence(a);
    Choices *c = arena_alloc(a, sizeof *c);
    TNode *t = c ? tnode_new(a, k, in, 1, &arg) : NULL;
    if (!t || !arg || !(c->ps = list_patterns(a, list, 1, 0, in))) return NULL;
    c->n = list->nitems;
    t->ud = c;
    return &t->base;
}
PLIB(select)
{
    (void)in;
    return choices_node(a, k_select, PLIB_ARG(0), &args[1], pattern_silence(a));
}
PLIB(pick_f) { return choices_node(a, k_pick, PLIB_ARG(0), &args[1], in); }

/* selectF f [g ...] p: (g (floor (clamp 0 0.999999 f * n))) p */
static void k_select_f(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    const Choices *c = t->ud;
    double f = val_to_num(&v[0]);
    if (isnan(f)) return;
    f = f < 0 ? 0 : f > 0.999999 ? 0.999999 : f;
    pat_q(c->ps[(int)floor(f * (double)c->n)], arc, q);
}
PLIB(select_f) { return choices_node(a, k_select_f, PLIB_ARG(0), &args[1], in); }

/* spreadChoose f [x ...] p = do v <- _segment 1 (choose [x ...]); f v p: each cycle the item that
 * rand at its middle picks, its events cut to the cycle (the bind's wholes) */
static void k_spread_choose(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    (void)v;
    const Choices *c = t->ud;
    Rat mid = rat_add(rat_sam(arc.begin), RAT(1, 2));
    pat_q(c->ps[imod((int64_t)floor(tidal_rand(mid) * (double)c->n), c->n)], arc, q);
}
PLIB(spread_choose)
{
    Pattern *one = pattern_pure(a, val_num(0));       /* a constant argument: the kernel runs per cycle */
    Pattern *p = one ? choices_node(a, k_spread_choose, one, &args[1], in) : NULL;
    if (p && !pat_is_silence(p)) ((TNode *)p)->unwrap = true;
    return p;
}

/* fit step [x ...] p: each event of p (integers) picks x (i + step * cycle) of the list, cyclically
 * (the cycle of the event's part's start, as Tidal's _fit) */
typedef struct FitList {
    Value *v;
    int n;
} FitList;

static void k_fit(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    const FitList *l = t->ud;
    int64_t step = plib_int(&v[0]);
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(t->in, arc, q);
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Event *e = &b->ev[i];
        int64_t k = plib_int(&e->value) + step * rat_floor(e->part.begin);
        e->value = l->v[imod(k, l->n)];
    }
}
PLIB(fit)
{
    int n = args[1].nitems;
    if (n <= 0) return pattern_silence(a);
    FitList *l = arena_alloc(a, sizeof *l);
    Value *vs = arena_alloc(a, sizeof(Value) * (size_t)n);
    if (!l || !vs || !in || !PLIB_ARG(0)) return NULL;
    for (int i = 0; i < n; i++)
        if (!plib_const(args[1].items[i].pat, &vs[i])) return NULL;
    l->v = vs;
    l->n = n;
    TNode *t = tnode_new(a, k_fit, in, 1, &PLIB_ARG(0));
    if (!t) return NULL;
    t->ud = l;
    return &t->base;
}

/* foldEvery [n ...] f p = every n0 f (every n1 f (... p)) */
PLIB(fold_every)
{
    const TransformDef *every = transform_find("every");
    if (!every) return NULL;
    Pattern *p = in;
    for (int i = args[0].nitems - 1; i >= 0 && p; i--) {
        TransformArg e[TRANSFORM_MAX_ARGS];
        memset(e, 0, sizeof e);
        e[0].kind = TA_INT;
        e[0].pat = args[0].items[i].pat;
        e[1].kind = TA_FN;
        e[1].fn = PLIB_FN(1);
        p = e[0].pat ? every->build(a, e, p) : NULL;
    }
    return p;
}

/* smash n ts p = slowcat [slow t (striate n p) | t <- ts]; smash' chops instead of striating */
static Pattern *smash_with(Arena *a, const char *cut, const TransformArg *args, Pattern *in)
{
    const TransformDef *striate = transform_find(cut);
    TransformArg s[TRANSFORM_MAX_ARGS];
    memset(s, 0, sizeof s);
    s[0].kind = TA_INT;
    s[0].pat = PLIB_ARG(0);
    Pattern *st = (striate && s[0].pat) ? striate->build(a, s, in) : NULL;
    int n = args[1].nitems;
    if (!st) return NULL;
    if (n <= 0) return pattern_silence(a);
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!ps) return NULL;
    for (int i = 0; i < n; i++)
        if (!(ps[i] = pattern_slow(a, args[1].items[i].pat, st))) return NULL;
    return pattern_slowcat(a, ps, n);
}

PLIB(smash) { return smash_with(a, "striate", args, in); }
PLIB(smash_chop) { return smash_with(a, "chop", args, in); }

/* seqP [(s, e, p) ...] = stack [playFor s e (sam s `rotR` p) ...] */
typedef struct PlayForNode {
    Pattern base;
    Pattern *in;
    Arc span;
} PlayForNode;

static void play_for_query(const Pattern *p, Arc arc, QCtx *q)
{
    const PlayForNode *n = (const PlayForNode *)p;
    Arc in;
    if (arc_sect(n->span, arc, &in)) pat_q(n->in, in, q);
}

PLIB(seq_p)
{
    (void)in;
    int n = args[0].nitems;
    if (n <= 0) return pattern_silence(a);
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!ps) return NULL;
    for (int i = 0; i < n; i++) {
        const TransformArg *it = &args[0].items[3 * i];
        Value s, e;
        if (!plib_const(it[0].pat, &s) || !plib_const(it[1].pat, &e) || !it[2].pat) return NULL;
        PlayForNode *pf = pat_node(a, sizeof *pf, play_for_query);
        if (!pf) return NULL;
        pf->span = arc_make(val_to_rat(&s), val_to_rat(&e));
        pf->in = pattern_shift_const(a, rat_neg(rat_sam(pf->span.begin)), it[2].pat);
        if (!pf->in) return NULL;
        ps[i] = &pf->base;
    }
    return pattern_stack(a, ps, n);
}

/* weaveWith t p [f ...] = _slow t $ stack [(i/l) `rotL` _fast t (f (_slow t p)) ...];
 * weave t p [q ...] = weaveWith t p [(q #) ...] */
static Pattern *weave_with(Arena *a, const TransformArg *args, bool fns)
{
    Value tv;
    if (!plib_const(PLIB_ARG(0), &tv) || !PLIB_ARG(1)) return NULL;
    Rat t = val_to_rat(&tv);
    int l = args[2].nitems;
    if (l <= 0 || rat_is_zero(t)) return pattern_silence(a);
    Pattern *slow = pattern_fast_const(a, rat_div(rat_int(1), t), PLIB_ARG(1));
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)l);
    if (!slow || !ps) return NULL;
    for (int i = 0; i < l; i++) {
        const TransformArg *it = &args[2].items[i];
        Pattern *f = fns ? plib_apply(a, it->fn, slow)
                         : it->pat ? pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, it->pat, slow) : NULL;
        Pattern *fast = f ? pattern_fast_const(a, t, f) : NULL;
        if (!fast || !(ps[i] = pattern_shift_const(a, rat_make(i, l), fast))) return NULL;
    }
    Pattern *st = pattern_stack(a, ps, l);
    return st ? pattern_fast_const(a, rat_div(rat_int(1), t), st) : NULL;
}
PLIB(weave)
{
    (void)in;
    return weave_with(a, args, false);
}
PLIB(weave_with)
{
    (void)in;
    return weave_with(a, args, true);
}

/* timeCat [(t, p) ...]: the patterns side by side in each cycle, each a share t of it */
PLIB(time_cat)
{
    (void)in;
    int n = args[0].nitems;
    if (n <= 0) return pattern_silence(a);
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    Rat *w = arena_alloc(a, sizeof(Rat) * (size_t)n);
    if (!ps || !w) return NULL;
    for (int i = 0; i < n; i++) {
        Value v;
        if (!plib_const(args[0].items[2 * i].pat, &v) || !(ps[i] = args[0].items[2 * i + 1].pat)) return NULL;
        w[i] = val_to_rat(&v);
    }
    return pattern_timecat(a, w, ps, n);
}

/* ur t outer [(name, p) ...] [(name, f) ...]: outer's words name the patterns (each made t times
 * faster) and, after a ':', a function applied inside the event (Tidal: ur); the whole at t cycles
 * per cycle of outer. Every (pattern, function) tree is built here; queries pick one by name. */
#define UR_NAME 64

typedef struct UrNode {
    Pattern base;
    Pattern *outer;
    Rat t;
    int np, nf;
    const char **pnames, **fnames;
    Pattern **pats;         /* [np]: the patterns, fast t */
    Pattern **trees;        /* [np * nf]: inside (bound n) f of each pattern */
} UrNode;

static int ur_find(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) return i;
    return -1;
}

/* The inner events of one outer event, appended: whole and part cut to the outer's (unwrap). */
static void ur_inner(const UrNode *u, const Event *e, QCtx *q)
{
    if (!e->has_whole || e->value.type != VAL_SYM) return;
    const char *w = sym_name(e->value.sym), *colon = strchr(w, ':');
    int pi = ur_find(u->pnames, u->np, w, colon ? (size_t)(colon - w) : strlen(w));
    if (pi < 0) return;
    EventBuf *b = q->out;
    int from = b->len;
    if (!colon) {
        pat_q(u->pats[pi], e->part, q);
    } else {
        /* s `rotR` inside (1/(e-s)) f p, f the identity for an unknown name */
        int fi = ur_find(u->fnames, u->nf, colon + 1, strlen(colon + 1));
        const Pattern *p = fi < 0 ? u->pats[pi] : u->trees[pi * u->nf + fi];
        QBind bd = { u, val_rat(rat_div(rat_int(1), rat_sub(e->whole.end, e->whole.begin))), q->bind };
        const QBind *saved = q->bind;
        q->bind = &bd;
        q_shift(p, rat_neg(e->whole.begin), e->part, q);
        q->bind = saved;
    }
    q_pay(q, from);
    int k = from;
    for (int i = from; i < b->len; i++) {
        Event x = b->ev[i];
        if (x.has_whole && !arc_sect(e->whole, x.whole, &x.whole)) continue;
        if (!arc_sect(e->part, x.part, &x.part)) continue;
        b->ev[k++] = x;
    }
    b->len = k;
}

static void ur_query(const Pattern *p, Arc arc, QCtx *q)
{
    const UrNode *u = (const UrNode *)p;
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(u->outer, arc_div(arc, u->t), q);
    int mid = b->len;
    for (int i = from; i < mid && !q->cut; i++) {
        Event e = b->ev[i];
        ur_inner(u, &e, q);
    }
    ev_cut(q, from, mid);
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        b->ev[i].part = arc_mul(b->ev[i].part, u->t);
        if (b->ev[i].has_whole) b->ev[i].whole = arc_mul(b->ev[i].whole, u->t);
    }
}

static const char *ur_name(const TransformArg *it)
{
    Value v;
    if (!plib_const(it->pat, &v)) return NULL;
    if (v.type == VAL_SYM) return sym_name(v.sym);
    return NULL;
}

PLIB(ur)
{
    (void)in;
    Value tv;
    if (!plib_const(PLIB_ARG(0), &tv) || !PLIB_ARG(1)) return NULL;
    UrNode *u = pat_node(a, sizeof *u, ur_query);
    if (!u) return NULL;
    u->t = val_to_rat(&tv);
    if (!rat_lt(rat_int(0), u->t)) return pattern_silence(a);
    u->outer = PLIB_ARG(1);
    u->np = args[2].nitems;
    u->nf = args[3].nitems;
    u->pnames = arena_alloc(a, sizeof(char *) * (size_t)(u->np + 1));
    u->fnames = arena_alloc(a, sizeof(char *) * (size_t)(u->nf + 1));
    u->pats = arena_alloc(a, sizeof(Pattern *) * (size_t)(u->np + 1));
    u->trees = arena_alloc(a, sizeof(Pattern *) * (size_t)(u->np * u->nf + 1));
    if (!u->pnames || !u->fnames || !u->pats || !u->trees) return NULL;
    for (int j = 0; j < u->nf; j++)
        if (!(u->fnames[j] = ur_name(&args[3].items[2 * j])) || !args[3].items[2 * j + 1].fn) return NULL;
    for (int i = 0; i < u->np; i++) {
        Pattern *p = args[2].items[2 * i + 1].pat;
        if (!(u->pnames[i] = ur_name(&args[2].items[2 * i])) || !p) return NULL;
        if (!(u->pats[i] = pattern_fast_const(a, u->t, p))) return NULL;
        for (int j = 0; j < u->nf; j++) {
            Pattern *s = pattern_bound_slow(a, u, u->pats[i]);
            Pattern *fs = s ? plib_apply(a, args[3].items[2 * j + 1].fn, s) : NULL;
            if (!fs || !(u->trees[i * u->nf + j] = pattern_bound_fast(a, u, fs))) return NULL;
        }
    }
    return &u->base;
}

/* fastSqueeze t p = squeezeJoin ((`_fast` p) <$> t): a cycle of p, t times faster, squeezed into
 * each event of t; slowSqueeze likewise slower */
typedef struct SqueezeFast {
    Pattern base;
    Pattern *factor, *in;
    bool slow;
} SqueezeFast;

static void squeeze_fast_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const SqueezeFast *s = ud;
    Rat r = lim_rat(q, LIM_SPEED, val_to_rat(&outer->value));
    if (rat_is_zero(r)) return;
    q_fast(s->in, s->slow ? rat_div(rat_int(1), r) : r, arc, q);
}

static void squeeze_fast_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SqueezeFast *s = (const SqueezeFast *)p;
    q_squeeze(s->factor, arc, q, squeeze_fast_inner, s);
}

static Pattern *squeeze_fast(Arena *a, Pattern *factor, Pattern *in, bool slow)
{
    SqueezeFast *s = factor && in ? pat_node(a, sizeof *s, squeeze_fast_query) : NULL;
    if (!s) return NULL;
    s->factor = factor;
    s->in = in;
    s->slow = slow;
    return &s->base;
}
PLIB(fast_squeeze) { return squeeze_fast(a, PLIB_ARG(0), in, false); }
PLIB(slow_squeeze) { return squeeze_fast(a, PLIB_ARG(0), in, true); }

/* inhabit [(name, p) ...] ipat: into each event of ipat (words), a cycle of the pattern its word
 * names squeezed (silence for a name not in the list) */
typedef struct Named {
    const Value *names;
    Pattern **ps;
    int n;
} Named;

static void inhabit_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    const Named *nm = ud;
    for (int i = 0; i < nm->n; i++)
        if (val_cmp(&nm->names[i], &outer->value) == 0) {
            pat_q(nm->ps[i], arc, q);
            return;
        }
}

typedef struct InhabitNode {
    Pattern base;
    Pattern *in;
    Named nm;
} InhabitNode;

static void inhabit_query(const Pattern *p, Arc arc, QCtx *q)
{
    const InhabitNode *h = (const InhabitNode *)p;
    q_squeeze(h->in, arc, q, inhabit_inner, &h->nm);
}

PLIB(inhabit)
{
    int n = args[0].nitems;
    InhabitNode *h = in ? pat_node(a, sizeof *h, inhabit_query) : NULL;
    Value *names = arena_alloc(a, sizeof(Value) * (size_t)(n > 0 ? n : 1));
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)(n > 0 ? n : 1));
    if (!h || !names || !ps) return NULL;
    for (int i = 0; i < n; i++) {
        if (!plib_const(args[0].items[2 * i].pat, &names[i]) || !(ps[i] = args[0].items[2 * i + 1].pat)) return NULL;
        names[i].spare = 0;
    }
    h->in = in;
    h->nm = (Named){ names, ps, n };
    return &h->base;
}

/* swap [(a, b) ...] p: each value a of p becomes b; values not in the list are dropped */
typedef struct SwapNode {
    Pattern base;
    Pattern *in;
    const Value *from, *to;
    int n;
} SwapNode;

static void swap_query(const Pattern *p, Arc arc, QCtx *q)
{
    const SwapNode *s = (const SwapNode *)p;
    EventBuf *b = q->out;
    int from = b->len, w = from;
    pat_q(s->in, arc, q);
    q_pay(q, from);
    for (int i = from; i < b->len; i++) {
        Event e = b->ev[i];
        int k = 0;
        while (k < s->n && val_cmp(&s->from[k], &e.value) != 0) k++;
        if (k == s->n) continue;
        e.value = s->to[k];
        b->ev[w++] = e;
    }
    b->len = w;
}

PLIB(swap)
{
    int n = args[0].nitems;
    SwapNode *s = in ? pat_node(a, sizeof *s, swap_query) : NULL;
    Value *v = arena_alloc(a, sizeof(Value) * (size_t)(2 * n + 1));
    if (!s || !v) return NULL;
    for (int i = 0; i < n; i++)
        if (!plib_const(args[0].items[2 * i].pat, &v[i]) || !plib_const(args[0].items[2 * i + 1].pat, &v[n + i])) return NULL;
    s->in = in;
    s->from = v;
    s->to = v + n;
    s->n = n;
    return &s->base;
}

/* spaceOut [t ...] p = _slow (sum ts) $ stack [compress (o/s, (o+t)/s) p ...], o the running sum */
PLIB(space_out)
{
    int n = args[0].nitems;
    Rat sum = rat_int(0);
    for (int i = 0; i < n; i++) {
        Value t;
        if (!plib_const(args[0].items[i].pat, &t)) return NULL;
        sum = rat_add(sum, val_to_rat(&t));
    }
    if (n <= 0 || !rat_lt(rat_int(0), sum) || !in) return n <= 0 || in ? pattern_silence(a) : NULL;
    Pattern **ps = arena_alloc(a, sizeof(Pattern *) * (size_t)n);
    if (!ps) return NULL;
    Rat off = rat_int(0);
    for (int i = 0; i < n; i++) {
        Value t;
        plib_const(args[0].items[i].pat, &t);
        Rat end = rat_add(off, val_to_rat(&t));
        if (!(ps[i] = pattern_compress(a, rat_div(off, sum), rat_div(end, sum), in))) return NULL;
        off = end;
    }
    Pattern *st = pattern_stack(a, ps, n);
    return st ? pattern_fast_const(a, rat_div(rat_int(1), sum), st) : NULL;
}
