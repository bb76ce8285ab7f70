/* pattern_scale.c — Tidal's scales: `scale name p` maps scale degrees to semitones through Tidal
 * 1.7.10's scale table (Sound.Tidal.Scales), octaves above and below included. Lookups happen in
 * queries: no allocation, only the table below (never a second copy of it). */
#include "pattern_library.h"

#include <string.h>

typedef struct ScaleDef {
    const char *name;
    int count;
    double steps[12];
} ScaleDef;

/* Tidal 1.7.10's scaleTable, in its order (generated from Sound.Tidal.Scales by ghc). */
static const ScaleDef scales[] = {
    { "minPent", 5, { 0, 3, 5, 7, 10 } },
    { "majPent", 5, { 0, 2, 4, 7, 9 } },
    { "ritusen", 5, { 0, 2, 5, 7, 9 } },
    { "egyptian", 5, { 0, 2, 5, 7, 10 } },
    { "kumai", 5, { 0, 2, 3, 7, 9 } },
    { "hirajoshi", 5, { 0, 2, 3, 7, 8 } },
    { "iwato", 5, { 0, 1, 5, 6, 10 } },
    { "chinese", 5, { 0, 4, 6, 7, 11 } },
    { "indian", 5, { 0, 4, 5, 7, 10 } },
    { "pelog", 5, { 0, 1, 3, 7, 8 } },
    { "prometheus", 5, { 0, 2, 4, 6, 11 } },
    { "scriabin", 5, { 0, 1, 4, 7, 9 } },
    { "gong", 5, { 0, 2, 4, 7, 9 } },
    { "shang", 5, { 0, 2, 5, 7, 10 } },
    { "jiao", 5, { 0, 3, 5, 8, 10 } },
    { "zhi", 5, { 0, 2, 5, 7, 9 } },
    { "yu", 5, { 0, 3, 5, 7, 10 } },
    { "whole", 6, { 0, 2, 4, 6, 8, 10 } },
    { "wholetone", 6, { 0, 2, 4, 6, 8, 10 } },
    { "augmented", 6, { 0, 3, 4, 7, 8, 11 } },
    { "augmented2", 6, { 0, 1, 4, 5, 8, 9 } },
    { "hexMajor7", 6, { 0, 2, 4, 7, 9, 11 } },
    { "hexDorian", 6, { 0, 2, 3, 5, 7, 10 } },
    { "hexPhrygian", 6, { 0, 1, 3, 5, 8, 10 } },
    { "hexSus", 6, { 0, 2, 5, 7, 9, 10 } },
    { "hexMajor6", 6, { 0, 2, 4, 5, 7, 9 } },
    { "hexAeolian", 6, { 0, 3, 5, 7, 8, 10 } },
    { "major", 7, { 0, 2, 4, 5, 7, 9, 11 } },
    { "ionian", 7, { 0, 2, 4, 5, 7, 9, 11 } },
    { "dorian", 7, { 0, 2, 3, 5, 7, 9, 10 } },
    { "phrygian", 7, { 0, 1, 3, 5, 7, 8, 10 } },
    { "lydian", 7, { 0, 2, 4, 6, 7, 9, 11 } },
    { "mixolydian", 7, { 0, 2, 4, 5, 7, 9, 10 } },
    { "aeolian", 7, { 0, 2, 3, 5, 7, 8, 10 } },
    { "minor", 7, { 0, 2, 3, 5, 7, 8, 10 } },
    { "locrian", 7, { 0, 1, 3, 5, 6, 8, 10 } },
    { "harmonicMinor", 7, { 0, 2, 3, 5, 7, 8, 11 } },
    { "harmonicMajor", 7, { 0, 2, 4, 5, 7, 8, 11 } },
    { "melodicMinor", 7, { 0, 2, 3, 5, 7, 9, 11 } },
    { "melodicMinorDesc", 7, { 0, 2, 3, 5, 7, 8, 10 } },
    { "melodicMajor", 7, { 0, 2, 4, 5, 7, 8, 10 } },
    { "bartok", 7, { 0, 2, 4, 5, 7, 8, 10 } },
    { "hindu", 7, { 0, 2, 4, 5, 7, 8, 10 } },
    { "todi", 7, { 0, 1, 3, 6, 7, 8, 11 } },
    { "purvi", 7, { 0, 1, 4, 6, 7, 8, 11 } },
    { "marva", 7, { 0, 1, 4, 6, 7, 9, 11 } },
    { "bhairav", 7, { 0, 1, 4, 5, 7, 8, 11 } },
    { "ahirbhairav", 7, { 0, 1, 4, 5, 7, 9, 10 } },
    { "superLocrian", 7, { 0, 1, 3, 4, 6, 8, 10 } },
    { "romanianMinor", 7, { 0, 2, 3, 6, 7, 9, 10 } },
    { "hungarianMinor", 7, { 0, 2, 3, 6, 7, 8, 11 } },
    { "neapolitanMinor", 7, { 0, 1, 3, 5, 7, 8, 11 } },
    { "enigmatic", 7, { 0, 1, 4, 6, 8, 10, 11 } },
    { "spanish", 7, { 0, 1, 4, 5, 7, 8, 10 } },
    { "leadingWhole", 7, { 0, 2, 4, 6, 8, 10, 11 } },
    { "lydianMinor", 7, { 0, 2, 4, 6, 7, 8, 10 } },
    { "neapolitanMajor", 7, { 0, 1, 3, 5, 7, 9, 11 } },
    { "locrianMajor", 7, { 0, 2, 4, 5, 6, 8, 10 } },
    { "diminished", 8, { 0, 1, 3, 4, 6, 7, 9, 10 } },
    { "octatonic", 8, { 0, 1, 3, 4, 6, 7, 9, 10 } },
    { "diminished2", 8, { 0, 2, 3, 5, 6, 8, 9, 11 } },
    { "octatonic2", 8, { 0, 2, 3, 5, 6, 8, 9, 11 } },
    { "messiaen1", 6, { 0, 2, 4, 6, 8, 10 } },
    { "messiaen2", 8, { 0, 1, 3, 4, 6, 7, 9, 10 } },
    { "messiaen3", 9, { 0, 2, 3, 4, 6, 7, 8, 10, 11 } },
    { "messiaen4", 8, { 0, 1, 2, 5, 6, 7, 8, 11 } },
    { "messiaen5", 6, { 0, 1, 5, 6, 7, 11 } },
    { "messiaen6", 8, { 0, 2, 4, 5, 6, 8, 10, 11 } },
    { "messiaen7", 10, { 0, 1, 2, 3, 5, 6, 7, 8, 9, 11 } },
    { "chromatic", 12, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 } },
    { "bayati", 7, { 0, 1.5, 3, 5, 7, 8, 10 } },
    { "hijaz", 7, { 0, 1, 4, 5, 7, 8.5, 10 } },
    { "sikah", 7, { 0, 1.5, 3.5, 5.5, 7, 8.5, 10.5 } },
    { "rast", 7, { 0, 2, 3.5, 5, 7, 9, 10.5 } },
    { "saba", 7, { 0, 1.5, 3, 4, 6, 8, 10 } },
    { "iraq", 7, { 0, 1.5, 3.5, 5, 6.5, 8.5, 10.5 } },
};

static const ScaleDef *scale_find(const Value *name)
{
    if (name->type != VAL_SYM) return NULL;
    const char *s = sym_name(name->sym);
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
        if (strcmp(scales[i].name, s) == 0) return &scales[i];
    return NULL;
}

/* degree x of steps[0..n), in octaves of `octave` semitones (Tidal's noteInScale) */
static double scale_degree(const double *steps, int n, double octave, int64_t x)
{
    return steps[imod(x, n)] + octave * (double)idiv(x, n);
}

/* scale name p = (\n name -> noteInScale (lookup name, default [0]) n) <$> p <* name */
static bool comb_scale(const void *ud, const Value *l, const Value *r, Value *out, QCtx *q)
{
    (void)ud;
    (void)q;
    double x = val_to_num(l);
    if (!isfinite(x)) return false;
    static const double zero[1] = { 0 };
    const ScaleDef *s = scale_find(r);
    *out = *l;
    out->type = VAL_NUM;
    out->num = s ? scale_degree(s->steps, s->count, 12, (int64_t)floor(x)) : scale_degree(zero, 1, 12, (int64_t)floor(x));
    return true;
}

typedef struct ScaleNode {
    Pattern base;
    Pattern *names, *in;
} ScaleNode;

static void scale_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ScaleNode *n = (const ScaleNode *)p;
    q_app(n->in, n->names, STRUCT_LEFT, comb_scale, NULL, arc, q);
}

PLIB(scale)
{
    ScaleNode *n = pat_node(a, sizeof *n, scale_query);
    if (!n || !PLIB_ARG(0)) return NULL;
    n->names = PLIB_ARG(0);
    n->in = in;
    return &n->base;
}

/* toScale' o [s0, s1 ...] p: degrees of p in the given steps, octaves of o semitones */
typedef struct ToScaleNode {
    Pattern base;
    Pattern *in;
    double *steps;
    int n;
    double octave;
} ToScaleNode;

static void to_scale_query(const Pattern *p, Arc arc, QCtx *q)
{
    const ToScaleNode *t = (const ToScaleNode *)p;
    EventBuf *b = q->out;
    int from = b->len;
    pat_q(t->in, arc, q);
    q_pay(q, from);
    int w = from;
    for (int i = from; i < b->len; i++) {
        Event e = b->ev[i];
        double x = val_to_num(&e.value);
        if (!isfinite(x) || fabs(x) > 1e15) continue;
        Value r = val_num(scale_degree(t->steps, t->n, t->octave, (int64_t)floor(x)));
        r.chord = e.value.chord;
        r.spare = e.value.spare;
        e.value = r;
        b->ev[w++] = e;
    }
    b->len = w;
}

static Pattern *to_scale_new(Arena *a, double octave, const TransformArg *list, Pattern *in)
{
    if (!in || list->nitems <= 0) return in ? pattern_silence(a) : NULL;     /* toScale' _ [] = const silence */
    ToScaleNode *t = pat_node(a, sizeof *t, to_scale_query);
    double *steps = t ? arena_alloc(a, sizeof(double) * (size_t)list->nitems) : NULL;
    if (!steps) return NULL;
    for (int i = 0; i < list->nitems; i++) {
        Value v;
        if (!plib_const(list->items[i].pat, &v)) return NULL;
        steps[i] = val_to_num(&v);
    }
    t->in = in;
    t->steps = steps;
    t->n = list->nitems;
    t->octave = octave;
    return &t->base;
}

PLIB(to_scale) { return to_scale_new(a, 12, &args[0], in); }
PLIB(to_scale_oct)
{
    Value o;
    return plib_const(PLIB_ARG(0), &o) ? to_scale_new(a, (double)plib_int(&o), &args[1], in) : NULL;
}
