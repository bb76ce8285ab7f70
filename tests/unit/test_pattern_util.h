/* test_pattern_util.h — helpers for the pattern tests: parse, query and render events as one
 * compact, sorted string ("0-1/2 bd, 1/2-1 sn"), so a check compares exact times and values at once. */
#ifndef PHONON_TEST_PATTERN_UTIL_H
#define PHONON_TEST_PATTERN_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mini.h"
#include "pattern.h"
#include "test.h"

static Arena tp_arena;
static EventBuf tp_buf;
static char tp_out[1 << 16];

static void tp_init(void)
{
    arena_init(&tp_arena);
    eventbuf_init(&tp_buf, 1 << 14, 1 << 20);
}

static void tp_done(void)
{
    eventbuf_free(&tp_buf);
    arena_free(&tp_arena);
}

static Pattern *tp_mini(const char *src, MiniType t)
{
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, src, -1, t, &e);
    if (!p) printf("# parse error in \"%s\": column %d: %s\n", src, e.col, e.msg);
    return p;
}

static void tp_value(char *buf, size_t n, const Value *v)
{
    switch (v->type) {
    case VAL_NUM: snprintf(buf, n, "%.10g", v->num); break;
    case VAL_RAT: {
        Rat r = val_to_rat(v);
        rat_format(r, buf, (int)n);
        break;
    }
    case VAL_BOOL: snprintf(buf, n, "%s", v->num != 0 ? "t" : "f"); break;
    case VAL_SYM: snprintf(buf, n, "%s", sym_name(v->sym)); break;
    case VAL_MAP: {
        size_t k = 0;
        k += (size_t)snprintf(buf + k, n - k, "{");
        bool first = true;
        for (uint64_t bits = v->map->mask; bits && k < n; bits &= bits - 1) {
            int i = __builtin_ctzll(bits);
            char inner[64];
            tp_value(inner, sizeof inner, valmap_get(v->map, i));
            k += (size_t)snprintf(buf + k, n - k, "%s%s=%s", first ? "" : " ", param_name((Param)i), inner);
            first = false;
        }
        if (k < n) snprintf(buf + k, n - k, "}");
        break;
    }
    default: snprintf(buf, n, "nil");
    }
    if (v->chord > 1) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, "^%d", v->chord);
    }
}

typedef struct TpEv {
    Event e;
    char text[400];
} TpEv;

static int tp_cmp(const void *a, const void *b)
{
    const TpEv *x = a, *y = b;
    int c = rat_cmp(x->e.part.begin, y->e.part.begin);
    if (c) return c;
    if ((c = rat_cmp(x->e.whole.begin, y->e.whole.begin))) return c;
    return strcmp(x->text, y->text);
}

/* Events of p over cycles c0..c1, each cycle queried separately, as "whole[(part)] value, ..." */
static inline const char *tp_events_arc(const Pattern *p, Arc arc)
{
    static TpEv evs[1 << 14];
    eventbuf_clear(&tp_buf);
    if (!p) return "(null pattern)";
    pattern_query(p, arc, &tp_buf, NULL);
    int n = tp_buf.len;
    for (int i = 0; i < n; i++) {
        Event *e = &tp_buf.ev[i];
        char wb[40], we[40], pb[40], pe[40], v[120];
        rat_format(e->whole.begin, wb, sizeof wb);
        rat_format(e->whole.end, we, sizeof we);
        rat_format(e->part.begin, pb, sizeof pb);
        rat_format(e->part.end, pe, sizeof pe);
        tp_value(v, sizeof v, &e->value);
        evs[i].e = *e;
        if (!e->has_whole) snprintf(evs[i].text, sizeof evs[i].text, "~(%s-%s) %s", pb, pe, v);
        else if (arc_eq(e->whole, e->part)) snprintf(evs[i].text, sizeof evs[i].text, "%s-%s %s", wb, we, v);
        else snprintf(evs[i].text, sizeof evs[i].text, "%s-%s(%s-%s) %s", wb, we, pb, pe, v);
    }
    qsort(evs, (size_t)n, sizeof evs[0], tp_cmp);
    size_t k = 0;
    tp_out[0] = 0;
    for (int i = 0; i < n && k < sizeof tp_out - 200; i++)
        k += (size_t)snprintf(tp_out + k, sizeof tp_out - k, "%s%s", i ? ", " : "", evs[i].text);
    return tp_out;
}

static inline const char *tp_events(const Pattern *p, int c0, int c1)
{
    static char all[1 << 16];
    all[0] = 0;
    size_t k = 0;
    for (int c = c0; c < c1; c++) {
        const char *s = tp_events_arc(p, arc_make(rat_int(c), rat_int(c + 1)));
        if (*s) k += (size_t)snprintf(all + k, sizeof all - k, "%s%s", k ? ", " : "", s);
    }
    return all;
}

/* mini-notation of a given type, queried over cycles [c0, c1) */
#define CHECK_MINI(src, type, c0, c1, expect) \
    CHECK_STR(tp_events(tp_mini((src), (type)), (c0), (c1)), (expect), "mini \"" src "\"")

/* A transform from the table, with mini-notation string arguments (and functions). */
static inline Pattern *tp_apply(const char *name, Pattern *in, const char *a0, const char *a1, const char *a2,
                         const PatternFn *fn)
{
    const TransformDef *d = transform_find(name);
    if (!d || !in) return NULL;
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    const char *strs[3] = { a0, a1, a2 };
    int si = 0;
    /* a variadic transform takes every string given, of its last argument's kind */
    int n = d->nargs;
    if (d->variadic) while (n < 3 && strs[n]) n++;
    for (int i = 0; i < n; i++) {
        TArgKind k = i < d->nargs ? d->args[i] : d->args[d->nargs - 1];
        args[i].kind = k;
        if (k == TA_FN) {
            args[i].fn = fn;
            continue;
        }
        const char *s = strs[si++];
        MiniType t = k == TA_TIME || k == TA_RAT ? MINI_TIME
                   : k == TA_INT ? MINI_INT : k == TA_BOOL ? MINI_BOOL
                   : k == TA_NUM ? MINI_NUMBERS : MINI_WORDS;
        args[i].pat = s ? tp_mini(s, t) : NULL;
    }
    return d->build(&tp_arena, args, in);
}

/* A PatternFn that applies one named transform with up to two string arguments. */
typedef struct TpFn {
    PatternFn fn;
    const char *name, *a0, *a1;
    const PatternFn *inner;
} TpFn;

static inline Pattern *tp_fn_apply(const PatternFn *self, Arena *a, Pattern *in)
{
    (void)a;
    const TpFn *f = (const TpFn *)self;
    return tp_apply(f->name, in, f->a0, f->a1, NULL, f->inner);
}

#define TP_FN(var, name, a0, a1) TpFn var = { { tp_fn_apply }, (name), (a0), (a1), NULL }

#endif
