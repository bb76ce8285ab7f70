/* test_pattern_edges.c — exact time and the edges of the pattern functions (issue 15): decimals are
 * the rationals they spell, far cycles stay exact or are reported, degenerate constant arguments
 * are errors at their place, and across a sweep of zoom/linger/trunc/bite arguments every event's
 * part lies inside its whole. (The events themselves are checked against Tidal 1.7.10 in
 * tests/tidal/cases-{time,mini,edges}.jsonl, replayed by test_pattern_tidal.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "events.h"
#include "phonon.h"
#include "program.h"
#include "test_pattern_util.h"

/* The first error of src as "song.ph:L:C: message" ("" for none). */
static const char *first_error(Phonon *ph, const char *src)
{
    static char out[1024];
    PhononError e[4];
    out[0] = 0;
    if (phonon_check(ph, src, "song.ph", e, 4) > 0) phonon_error_format(&e[0], out, sizeof out);
    char *nl = strchr(out, '\n');
    if (nl) *nl = 0;
    return out;
}

static void check_degenerate(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    static const struct {
        const char *src, *err;
    } cases[] = {
        { "d1 $ trunc 0 $ s \"bd sn\"", "song.ph:1:12: trunc 0 keeps nothing of a cycle (Tidal raises an error: a division by zero)" },
        { "d1 $ linger 0 $ s \"bd sn\"", "song.ph:1:13: linger 0 would repeat nothing forever (Tidal raises an error: a division by zero)" },
        { "d1 $ bite 0 \"0 1\" $ s \"bd sn\"", "song.ph:1:11: bite 0 cuts a cycle into no pieces (Tidal raises an error: a division by zero)" },
        { "d1 $ whenmod 0 2 rev $ s \"bd sn\"", "song.ph:1:14: whenmod 0 takes the cycle modulo 0 (Tidal raises an error: a division by zero)" },
        { "d1 $ every' 0 0 rev $ s \"bd sn\"", "song.ph:1:13: every' 0 takes the cycle modulo 0 (Tidal raises an error: a division by zero)" },
        { "d1 $ zoom 0.25 0.25 $ s \"bd sn\"", "song.ph:1:11: zoom of an empty span (begin = end) (Tidal raises an error: a division by zero)" },
        { "d1 $ trunc \"0\" $ s \"bd sn\"", "song.ph:1:12: trunc 0 keeps nothing of a cycle (Tidal raises an error: a division by zero)" },
        /* not degenerate: every 0 is p itself in Tidal, a tiny trunc is a sliver, a patterned 0 is
           silent where it plays */
        { "d1 $ every 0 rev $ s \"bd sn\"", "" },
        { "d1 $ trunc 1e-300 $ s \"bd sn\"", "" },
        { "d1 $ trunc \"<0 0.5>\" $ s \"bd sn\"", "" },
        { "d1 $ every' 3 0 rev $ s \"bd sn\"", "" },
        { "d1 $ zoom 0.25 0.75 $ s \"bd sn\"", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(first_error(ph, cases[i].src), cases[i].err, cases[i].src);
    phonon_free(ph);
}

/* Every event of p over cycles c0..c1 has its part inside its whole (and inside the query). */
static bool parts_inside(const Pattern *p, int64_t c0, int64_t c1, char *why, size_t n)
{
    for (int64_t c = c0; c < c1; c++) {
        eventbuf_clear(&tp_buf);
        Arc q = arc_make(rat_int(c), rat_int(c + 1));
        pattern_query(p, q, &tp_buf, NULL);
        for (int i = 0; i < tp_buf.len; i++) {
            const Event *e = &tp_buf.ev[i];
            bool in_q = rat_le(q.begin, e->part.begin) && rat_le(e->part.end, q.end);
            bool in_w = !e->has_whole || (rat_le(e->whole.begin, e->part.begin) && rat_le(e->part.end, e->whole.end));
            if (!in_q || !in_w) {
                char a[4][40];
                rat_format(e->part.begin, a[0], 40);
                rat_format(e->part.end, a[1], 40);
                rat_format(e->whole.begin, a[2], 40);
                rat_format(e->whole.end, a[3], 40);
                snprintf(why, n, "cycle %lld: part %s-%s, whole %s-%s", (long long)c, a[0], a[1], a[2], a[3]);
                return false;
            }
        }
    }
    return true;
}

static void check_parts_inside(void)
{
    static const char *zooms[][2] = { { "-0.25", "0.5" }, { "-1", "0" }, { "-1.5", "-0.5" }, { "0.5", "1.5" },
                                      { "-0.25", "1.25" }, { "0.75", "0.25" }, { "-3", "2" }, { "1/3", "7/3" } };
    static const char *lingers[] = { "-1", "-1.5", "-2", "-3", "-0.25", "1.5", "2", "<0.25 -1.5>", "0.25 -1.5", "-7/3" };
    static const char *truncs[] = { "1.5", "2", "-0.5", "0 0.5", "<0.5 1.5>", "0.7" };
    static const char *bites[] = { "-1", "-5", "<0 -1>", "0 -3", "9" };
    static const char *srcs[] = { "a b c d", "a [b c]/2 d*3", "<a b>@3 c", "a/3 b" };
    char why[256], name[160];
    for (size_t s = 0; s < sizeof srcs / sizeof srcs[0]; s++) {
        Pattern *in = tp_mini(srcs[s], MINI_WORDS);
        for (size_t i = 0; i < sizeof zooms / sizeof zooms[0]; i++) {
            snprintf(name, sizeof name, "zoom %s %s \"%s\": parts inside wholes", zooms[i][0], zooms[i][1], srcs[s]);
            Pattern *p = tp_apply("zoom", in, zooms[i][0], zooms[i][1], NULL, NULL);
            CHECK(p && parts_inside(p, -3, 5, why, sizeof why), name, "%s", why);
        }
        for (size_t i = 0; i < sizeof lingers / sizeof lingers[0]; i++) {
            snprintf(name, sizeof name, "linger \"%s\" \"%s\": parts inside wholes", lingers[i], srcs[s]);
            Pattern *p = tp_apply("linger", in, lingers[i], NULL, NULL, NULL);
            CHECK(p && parts_inside(p, -3, 5, why, sizeof why), name, "%s", why);
        }
        for (size_t i = 0; i < sizeof truncs / sizeof truncs[0]; i++) {
            snprintf(name, sizeof name, "trunc \"%s\" \"%s\": parts inside wholes", truncs[i], srcs[s]);
            Pattern *p = tp_apply("trunc", in, truncs[i], NULL, NULL, NULL);
            CHECK(p && parts_inside(p, -3, 5, why, sizeof why), name, "%s", why);
        }
        for (size_t i = 0; i < sizeof bites / sizeof bites[0]; i++) {
            snprintf(name, sizeof name, "bite 4 \"%s\" \"%s\": parts inside wholes", bites[i], srcs[s]);
            Pattern *p = tp_apply("bite", in, "4", bites[i], NULL, NULL);
            CHECK(p && parts_inside(p, -3, 5, why, sizeof why), name, "%s", why);
        }
    }
}

static void check_edges_heard(void)
{
    Pattern *abcd = tp_mini("a b c d", MINI_WORDS);
    /* Tidal's trunc is compress (0, t) . zoom (0, t): silence above 1 */
    CHECK_STR(tp_events(tp_apply("trunc", abcd, "1.5", NULL, NULL, NULL), 0, 1), "", "trunc 1.5 is silence (as Tidal)");
    CHECK_STR(tp_events(tp_apply("trunc", abcd, "0.5", NULL, NULL, NULL), 0, 1), "0-1/4 a, 1/4-1/2 b", "trunc 0.5");
    /* bite's index is taken modulo n, as Haskell's mod */
    CHECK_STR(tp_events(tp_apply("bite", abcd, "4", "-1", NULL, NULL), 0, 1), "0-1 d", "bite 4 \"-1\" is the last quarter");
    CHECK_STR(tp_events(tp_apply("bite", abcd, "4", "0 -3", NULL, NULL), 0, 1), "0-1/2 a, 1/2-1 b", "bite 4 \"0 -3\"");
    /* a negative k: no pulses, n - k rests (Tidal's bjorklund) */
    CHECK_STR(tp_events(tp_apply("euclidInv", tp_mini("x", MINI_WORDS), "-2", "2", NULL, NULL), 0, 1),
              "0-1/4 x, 1/4-1/2 x, 1/2-3/4 x, 3/4-1 x", "euclidInv -2 2 plays on 4 steps");
    CHECK_STR(tp_events(tp_apply("euclid", tp_mini("x", MINI_WORDS), "-2", "2", NULL, NULL), 0, 1), "",
              "euclid -2 2 is silence");
    /* rot beyond the count goes round */
    CHECK_STR(tp_events(tp_apply("rot", tp_mini("a b c", MINI_WORDS), "4", NULL, NULL, NULL), 0, 1),
              "0-1/3 b, 1/3-2/3 c, 2/3-1 a", "rot 4 of three is rot 1");
    CHECK_STR(tp_events(tp_apply("rot", tp_mini("a b c", MINI_WORDS), "-4", NULL, NULL, NULL), 0, 1),
              "0-1/3 c, 1/3-2/3 a, 2/3-1 b", "rot -4 of three is rot -1 (Tidal: no rotation, a departure)");
}

static void check_exact_time(void)
{
    /* 0.7 is 7/10: fast 0.7 with a 0.1 shift at cycle 10^12 has denominators 70 */
    Pattern *p = tp_apply("late", tp_apply("fast", tp_mini("bd sn", MINI_WORDS), "0.7", NULL, NULL, NULL), "0.1", NULL, NULL, NULL);
    CHECK_STR(tp_events(p, 0, 1), "-43/70-1/10(0-1/10) sn, 1/10-57/70 bd, 57/70-107/70(57/70-1) sn",
              "fast \"0.7\" then late \"0.1\" at cycle 0");
    eventbuf_clear(&tp_buf);
    uint64_t before = rat_overflow_count();
    pattern_query(p, arc_make(rat_int(1000000000000LL), rat_int(1000000000001LL)), &tp_buf, NULL);
    CHECK_INT(tp_buf.len, 3, "three events in cycle 10^12");
    CHECK(rat_overflow_count() == before, "cycle 10^12 is exact (no rounding)");
    bool seventieths = tp_buf.len > 0;
    for (int i = 0; i < tp_buf.len; i++)
        seventieths &= 70 % tp_buf.ev[i].whole.begin.den == 0 && 70 % tp_buf.ev[i].whole.end.den == 0;
    CHECK(seventieths, "the wholes at 10^12 are exact multiples of 1/70");
    /* a < > of seven at 10^18 */
    char *out = NULL;
    CHECK(events_case_json("{\"id\":\"s\",\"mini\":\"<a b c d e f g>\",\"cycles\":[1000000000000000000,1000000000000000002]}", &out) && out,
          "the case reads");
    CHECK_STR(out, "{\"id\":\"s\",\"random\":false,\"events\":[{\"whole\":[\"1000000000000000000\",\"1000000000000000001\"],"
                   "\"part\":[\"1000000000000000000\",\"1000000000000000001\"],\"value\":\"b\"},{\"whole\":[\"1000000000000000001\","
                   "\"1000000000000000002\"],\"part\":[\"1000000000000000001\",\"1000000000000000002\"],\"value\":\"c\"}]}",
              "<a b c d e f g> at cycle 10^18 (cycles read as integers)");
    free(out);
    /* fast 1.1 at 10^18 needs numerators above 2^63: reported, not rounded silently */
    out = NULL;
    CHECK(events_case_json("{\"id\":\"f\",\"mini\":\"bd sn\",\"transforms\":[[\"fast\",\"1.1\"]],\"cycles\":[1000000000000000000,1000000000000000001]}", &out) && out,
          "the case reads");
    CHECK_STR(out, "{\"id\":\"f\",\"random\":false,\"error\":\"a time beyond 64-bit rationals (numerator or denominator over 2^63)\"}",
              "fast \"1.1\" at 10^18 is reported");
    free(out);
}

/* The wholes of d1's events in one cycle of a program, as "b-e b-e ..." */
static const char *program_wholes(const char *src, int64_t cycle)
{
    static char out[2048];
    CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
    CompileMsg msgs[4];
    int nmsgs = 0;
    Program *p = compile_program(src, strlen(src), &env, msgs, 4, &nmsgs);
    out[0] = 0;
    if (!p || p->nplayers < 1) {
        snprintf(out, sizeof out, "(does not compile: %s)", nmsgs ? msgs[0].msg : "");
        if (p) program_free(p);
        return out;
    }
    eventbuf_clear(&tp_buf);
    pattern_query(p->players[0].pattern, arc_make(rat_int(cycle), rat_int(cycle + 1)), &tp_buf, NULL);
    size_t k = 0;
    for (int i = 0; i < tp_buf.len && k < sizeof out - 100; i++) {
        char b[40], e[40];
        rat_format(tp_buf.ev[i].whole.begin, b, sizeof b);
        rat_format(tp_buf.ev[i].whole.end, e, sizeof e);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s-%s", k ? " " : "", b, e);
    }
    program_free(p);
    return out;
}

static void check_program_literals(void)
{
    /* folded constants stay exact: (1/3) ~> moves by a third, -0.1 is minus a tenth */
    CHECK_STR(program_wholes("d1 $ (1/3) ~> s \"bd\"", 1000000), "2999998/3-3000001/3 3000001/3-3000004/3",
              "(1/3) ~> at cycle 10^6: thirds");
    CHECK_STR(program_wholes("d1 $ (-0.1) ~> s \"bd\"", 1000000), "9999999/10-10000009/10 10000009/10-10000019/10",
              "(-0.1) ~> at cycle 10^6: tenths");
    char want[2048];
    snprintf(want, sizeof want, "%s", program_wholes("d1 $ fast 1.4 $ s \"bd\"", 1000000));
    CHECK_STR(program_wholes("d1 $ fast (0.7 * 2) $ s \"bd\"", 1000000), want, "fast (0.7 * 2) is fast 1.4 at cycle 10^6");
    CHECK(strstr(want, "/7") != NULL, "fast 1.4 at cycle 10^6: sevenths", "%s", want);
}

int main(void)
{
    tp_init();
    check_degenerate();
    check_parts_inside();
    check_edges_heard();
    check_exact_time();
    check_program_literals();
    tp_done();
    return test_done();
}
