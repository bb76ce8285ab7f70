/* test_pattern_alloc.c — warm queries never allocate: malloc, calloc, realloc and free are wrapped
 * and counted while queries run, for mini-notation of every kind and every transform in the table. */
#include <stdlib.h>
#include <string.h>

#include "test_pattern_util.h"

#include "test_alloc_count.h"

/* a function argument: fast 2 */
static Pattern *fast2(const PatternFn *self, Arena *a, Pattern *in)
{
    (void)self;
    Pattern *two = pattern_pure(a, val_rat(rat_int(2)));
    return pattern_fast(a, two, in);
}

/* An argument of kind k (the n-th plain time of the call gets a later value than the ones before). */
static void fill_arg(TransformArg *a, TArgKind k, int *nrat, const PatternFn *fn)
{
    a->kind = k;
    switch (k) {
    case TA_TIME: a->pat = tp_mini("<1 0.5> 0.25", MINI_TIME); break;
    case TA_RAT: a->pat = tp_mini((*nrat)++ % 2 ? "0.75" : "0.25", MINI_TIME); break;
    case TA_NUM: a->pat = tp_mini("0.5 <0.25 0.75>", MINI_NUMBERS); break;
    case TA_INT: a->pat = tp_mini("<3 2> 4", MINI_INT); break;
    case TA_BOOL: a->pat = tp_mini("t [f t]", MINI_BOOL); break;
    case TA_WORDS: a->pat = tp_mini("<up down> converge", MINI_WORDS); break;
    case TA_ANY: a->pat = pattern_to_map(&tp_arena, tp_mini("hh cp", MINI_WORDS), P_S); break;
    case TA_FN: a->fn = fn; break;
    case TA_VALUE: a->pat = tp_mini("up", MINI_WORDS); break;     /* a name ur's outer pattern uses */
    case TA_PRED: {
        static const PatPred odd = { { 2, 1 }, PRED_EQ, { 1, 1 } };     /* odd cycles */
        a->pred = &odd;
        break;
    }
    case TA_LIST: case TA_FNHEAD: break;
    }
}

/* A list of three items of the def's j-th list shape. */
static void fill_list(TransformArg *a, const TransformList *shape, const PatternFn *fn)
{
    static TransformArg items[64][9];
    static int used;
    int w = shape->width > 0 ? shape->width : 1, nrat = 0;
    TransformArg *it = items[used++ % 64];
    memset(it, 0, sizeof items[0]);
    for (int i = 0; i < 3; i++)
        for (int m = 0; m < w; m++) fill_arg(&it[i * w + m], shape->kind[m], &nrat, fn);
    a->kind = TA_LIST;
    a->items = it;
    a->nitems = 3;
}

static Pattern *build(const TransformDef *d, Pattern *in, const PatternFn *fn)
{
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    int nrat = 0, nlists = 0;
    for (int i = 0; i < d->nargs; i++) {
        if (d->args[i] == TA_LIST) fill_list(&args[i], &d->lists[nlists++ % 2], fn);
        else fill_arg(&args[i], d->args[i], &nrat, fn);
    }
    return d->build(&tp_arena, args, in);
}

int main(void)
{
    tp_init();
    test_verbose = 0;
    static PatternFn f = { fast2 };
    Pattern *ps[256];
    const char *names[256];
    int n = 0;
    const char *minis[] = { "bd*2 [sn cp]", "<bd sn>(3,8,<0 2>)", "{bd sn hh}%<4 3>", "[bd | sn | hh]*2 cp?",
                            "bd . sn sn . [hh hh]?0.3", "bd@3 [sn cp]!2 <hh oh>/2 _" };
    for (size_t i = 0; i < sizeof minis / sizeof minis[0]; i++) {
        names[n] = minis[i];
        ps[n++] = pattern_to_map(&tp_arena, tp_mini(minis[i], MINI_WORDS), P_S);
    }
    names[n] = "note chords";
    ps[n++] = pattern_to_map(&tp_arena, tp_mini("<c'maj e4'min7'ii> 0 .. 3", MINI_NOTES), P_NOTE);
    names[n] = "signals";
    ps[n++] = pattern_op(&tp_arena, OP_ADD, STRUCT_BOTH, tp_mini("1 2", MINI_NUMBERS), pattern_signal(&tp_arena, "rand"));
    int count;
    const TransformDef *t = transform_table(&count);
    Pattern *base = pattern_op(&tp_arena, OP_KEEP_RIGHT, STRUCT_LEFT,
                               pattern_to_map(&tp_arena, tp_mini("bd*2 [sn:3 cp]", MINI_WORDS), P_S),
                               pattern_to_map(&tp_arena, tp_mini("1 [2 0.5]", MINI_NUMBERS), P_SPEED));
    for (int i = 0; i < count && n < 256; i++) {
        Pattern *p = build(&t[i], base, &f);
        char name[80];
        snprintf(name, sizeof name, "%s builds", t[i].name);
        CHECK(p != NULL, name);
        if (!p) continue;
        names[n] = t[i].name;
        ps[n++] = p;
    }
    /* warm up, then count: blocks of 64 frames at 44.1 kHz and cps 1, and whole cycles */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            long before = allocs + frees;
            counting = pass;
            for (int64_t k = 0; k < 2000; k++) {
                Rat s = rat_make(k * 64, 44100), e = rat_make((k + 1) * 64, 44100);
                eventbuf_clear(&tp_buf);
                pattern_query(ps[i], arc_make(s, e), &tp_buf, NULL);
            }
            for (int c = -2; c < 6; c++) {
                eventbuf_clear(&tp_buf);
                pattern_query(ps[i], arc_make(rat_int(c), rat_int(c + 1)), &tp_buf, NULL);
            }
            counting = 0;
            if (pass == 1) {
                char name[120];
                snprintf(name, sizeof name, "no allocation while querying %s", names[i]);
                CHECK_INT(allocs + frees - before, 0, name);
            }
        }
    }
    if (!ALLOC_COUNTING) printf("# allocation counting skipped under a sanitizer (it owns malloc)\n");
    tp_done();
    return test_done();
}
