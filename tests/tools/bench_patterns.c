/* bench_patterns.c — what pattern queries cost on the audio path: patterns built as the compiler
 * builds them, queried block by block (64 frames at 44.1 kHz, split at cycle edges), warm.
 * Prints ns per query and events per second for each pattern and for a four-track program. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mini.h"
#include "pattern.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static Pattern *mini(Arena *a, const char *s, MiniType t)
{
    MiniError e;
    Pattern *p = mini_parse(a, s, -1, t, &e);
    if (!p) {
        fprintf(stderr, "bench: \"%s\": column %d: %s\n", s, e.col, e.msg);
        exit(1);
    }
    return p;
}

/* s "<words>" # param "<pattern>" ... */
static Pattern *sound(Arena *a, const char *words)
{
    return pattern_to_map(a, mini(a, words, MINI_WORDS), P_S);
}

static Pattern *with(Arena *a, Pattern *p, Param k, const char *src, MiniType t)
{
    return pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, p, pattern_to_map(a, mini(a, src, t), k));
}

typedef struct FnList {
    PatternFn fn;
    const char *name;
    const char *arg;
} FnList;

static Pattern *apply_named(const PatternFn *self, Arena *a, Pattern *in)
{
    const FnList *f = (const FnList *)self;
    const TransformDef *d = transform_find(f->name);
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    if (f->arg) args[0].pat = mini(a, f->arg, d->args[0] == TA_INT ? MINI_INT : MINI_TIME);
    return d->build(a, args, in);
}

static Pattern *transform(Arena *a, const char *name, const char *arg, const PatternFn *fn, Pattern *in)
{
    const TransformDef *d = transform_find(name);
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    int i = 0;
    if (arg) args[i++].pat = mini(a, arg, d->args[0] == TA_INT ? MINI_INT : d->args[0] == TA_NUM ? MINI_NUMBERS : MINI_TIME);
    if (fn) args[i].fn = fn;
    return d->build(a, args, in);
}

typedef struct Bench {
    const char *name;
    Pattern *p[4];
    int n;
} Bench;

/* Query every pattern once per block over [t0, t1) split at cycle edges, for `seconds` of audio. */
static void run(const Bench *b, double cps, double seconds, EventBuf *buf)
{
    const int sr = 44100, block = 64;
    /* cps as a fraction with denominator 4 (0.5, 1, 2) */
    int64_t cps_num = (int64_t)(cps * 4 + 0.5), cps_den = 4;
    int64_t blocks = (int64_t)(seconds * sr / block);
    long long queries = 0, events = 0;
    int overflow = 0;
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        queries = events = 0;
        double t0 = now_ns();
        for (int64_t k = 0; k < blocks; k++) {
            Rat a = rat_make(k * block * cps_num, (int64_t)sr * cps_den);
            Rat e = rat_make((k + 1) * block * cps_num, (int64_t)sr * cps_den);
            for (int i = 0; i < b->n; i++) {
                Rat s = a;
                while (rat_lt(s, e)) {
                    Rat c = rat_min(rat_next_sam(s), e);
                    eventbuf_clear(buf);
                    pattern_query(b->p[i], arc_make(s, c), buf, NULL);
                    events += buf->len;
                    overflow |= buf->overflow;
                    queries++;
                    s = c;
                }
            }
        }
        double dt = now_ns() - t0;
        if (dt < best) best = dt;
    }
    double per_block = best / (double)blocks;
    printf("%-34s cps %-4g %8.0f ns/query %8.2f us/block %12.0f events/s%s\n", b->name, cps,
           best / (double)queries, per_block / 1000.0, (double)events / (best / 1e9),
           overflow ? "  (overflow!)" : "");
}

int main(void)
{
    Arena a;
    arena_init(&a);
    EventBuf buf;
    eventbuf_init(&buf, 4096, 1 << 20);

    static FnList rev = { { apply_named }, "rev", NULL };
    static FnList fast2 = { { apply_named }, "fast", "2" };

    Bench q = { "q.ph: four tracks", { NULL }, 4 };
    q.p[0] = with(&a, with(&a, sound(&a, "808bd(4,17)"), P_N, "3", MINI_NOTES), P_GAIN, "1", MINI_NUMBERS);
    q.p[1] = sound(&a, "808ht(4,17,<2 3 1 2>)");
    q.p[2] = with(&a, sound(&a, "~synth(3,17,1)"), P_NOTE, "<c'min7 g'min7>", MINI_NOTES);
    q.p[3] = with(&a, sound(&a, "hh*8"), P_GAIN, "0.8 1 [0.6 0.9]", MINI_NUMBERS);

    Bench hh = { "s \"hh*16\"", { sound(&a, "hh*16") }, 1 };
    Bench jux = { "jux rev $ chop 4 $ s \"bd sn\"", { NULL }, 1 };
    jux.p[0] = transform(&a, "jux", NULL, &rev.fn, transform(&a, "chop", "4", NULL, sound(&a, "bd [sn cp]")));
    Bench every = { "every \"<2 3>\" (fast 2) $ s ...", { NULL }, 1 };
    every.p[0] = transform(&a, "every", "<2 3>", &fast2.fn, with(&a, sound(&a, "bd*2 [~ bd] sn:3 [hh? cp]"), P_SPEED, "1 [2 1.5]", MINI_NUMBERS));
    Bench deep = { "mini: nested, euclid, polymeter", { NULL }, 1 };
    deep.p[0] = sound(&a, "[bd(<3 5>,8), {hh hh oh}%4, <sn [sn cp]>/2, [~ rim]*<2 4>]");

    /* decimal times: exact tenths, or (before issue 15) doubles with 2^52 denominators */
    Bench dec = { "decimals: fast \"1.1\" $ 0.1 ~> ...", { NULL }, 1 };
    dec.p[0] = transform(&a, "fast", "1.1", NULL, transform(&a, "late", "0.1", NULL, sound(&a, "bd*0.7 [sn cp]/1.3 hh@1.5")));

    const Bench *all[] = { &q, &hh, &jux, &every, &deep, &dec };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        for (double cps = 0.5; cps <= 2; cps *= 2) run(all[i], cps, 20.0, &buf);
    eventbuf_free(&buf);
    arena_free(&a);
    return 0;
}
