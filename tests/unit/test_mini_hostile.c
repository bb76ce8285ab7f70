/* test_mini_hostile.c — mini-notation as a hostile user or a fuzzer writes it: every string parses
 * or fails with the exact column and message, no accepted string can make one cycle's query run
 * away, memory stays in proportion to the string, each documented limit holds at its edge, and
 * `p!n` (one step of weight n) plays exactly as n copies of p. Crashes found by fuzzing live here. */
#include <time.h>

#include "test_pattern_util.h"

static void expect_error(const char *src, MiniType t, int col, const char *msg)
{
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, src, -1, t, &e);
    char name[200];
    snprintf(name, sizeof name, "error in \"%.120s\"", src);
    CHECK(p == NULL && e.col == col && strcmp(e.msg, msg) == 0, name, "got %s, column %d, \"%s\"; expected column %d, \"%s\"",
          p ? "a pattern" : "NULL", e.col, e.msg, col, msg);
}

/* Parses, and a few queries of its first cycles return within the budget the parser promises. */
static void expect_bounded(const char *src, MiniType t)
{
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, src, -1, t, &e);
    char name[200];
    snprintf(name, sizeof name, "\"%.120s\" parses and queries in bounded work", src);
    if (!p) {
        CHECK(0, name, "column %d: %s", e.col, e.msg);
        return;
    }
    clock_t t0 = clock();
    int most = 0;
    static const int arcs[][4] = { { 0, 1, 1, 1 }, { 1, 3, 5, 4 }, { 5, 2, 5, 2 }, { 1000003, 1, 4000013, 4 } };
    for (int i = 0; i < 4; i++) {
        eventbuf_clear(&tp_buf);
        pattern_query(p, arc_make(RAT(arcs[i][0], arcs[i][1]), RAT(arcs[i][2], arcs[i][3])), &tp_buf, NULL);
        if (tp_buf.len > most) most = tp_buf.len;
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* an arc shorter than a cycle meets at most two */
    CHECK(most <= 2 * MINI_MAX_EVENTS && secs < 2.0, name, "%d events, %.2f s", most, secs);
}

/* Parses or fails with a column inside the string and a message: never a crash. */
static void expect_clean(const char *src, int len, MiniType t)
{
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, src, len, t, &e);
    char name[200];
    snprintf(name, sizeof name, "\"%.60s\" (%d bytes) parses or fails cleanly", src, len);
    CHECK(p || (e.col >= 1 && e.col <= len + 1 && e.msg[0]), name, "column %d: \"%s\"", e.col, e.msg);
}

static void same_events(const char *a, const char *b, MiniType t, int cycles)
{
    static char first[1 << 16];
    snprintf(first, sizeof first, "%s", tp_events(tp_mini(a, t), 0, cycles));
    char name[200];
    snprintf(name, sizeof name, "\"%s\" plays as \"%s\"", a, b);
    CHECK_STR(tp_events(tp_mini(b, t), 0, cycles), first, name);
}

/* Arena bytes one parse takes. */
static size_t arena_bytes(const char *src, int len, MiniType t, bool *ok)
{
    Arena a;
    arena_init(&a);
    MiniError e;
    *ok = mini_parse(&a, src, len, t, &e) != NULL;
    size_t used = a.used;
    arena_free(&a);
    return used;
}

static char big[1 << 17];

/* src repeated into big until it holds at least n bytes; returns the length */
static int fill(const char *const *pieces, int npieces, int n)
{
    int k = 0, i = 0;
    while (k < n) {
        const char *p = pieces[i++ % npieces];
        int m = (int)strlen(p);
        memcpy(big + k, p, (size_t)m);
        k += m;
    }
    big[k] = 0;
    return k;
}

static void test_memory(void)
{
    bool ok;
    /* a 16 KB line as a musician might write one: 2.3 MB (before: ~200 MB, 98 KB per level) */
    static const char *line[] = { "bd*2 ", "[sn cp] ", "<hh oh> ", "bd(3,8) ", "[bd, hh*2] ", "{bd sn, hh hh hh}%4 ",
                                  "bd? ", "sn:3 ", "~ ", "[bd [sn [hh cp]]] " };
    int n = fill(line, 10, 16 * 1024 - 64);
    size_t used = arena_bytes(big, n, MINI_WORDS, &ok);
    CHECK(ok && used <= 64 * (size_t)n, "a 16 KB line takes at most 64 bytes per character", "%zu bytes for %d", used, n);
    /* a 96 KB program: 2,000 strings into one arena */
    Arena a;
    arena_init(&a);
    int total = 0;
    ok = true;
    for (int s = 0; total < 96 * 1024; s++) {
        char str[160];
        int m = 0;
        for (int j = 0; j < 5; j++) m += snprintf(str + m, sizeof str - (size_t)m, "%s", line[(s + 3 * j) % 10]);
        MiniError e;
        ok &= mini_parse(&a, str, m, MINI_WORDS, &e) != NULL;
        total += m;
    }
    CHECK(ok && a.used <= 64 * (size_t)total, "96 KB of strings take at most 64 bytes per character", "%zu bytes for %d",
          a.used, total);
    arena_free(&a);
    /* the densest shapes: chords of 32 notes, a node per character, nesting */
    static const char *chords[] = { "c'13'32 " };
    n = fill(chords, 1, 2400);                  /* 300 chords: 9600 events, within a cycle's limit */
    used = arena_bytes(big, n, MINI_NOTES, &ok);
    CHECK(ok && used <= 256 * (size_t)n, "32-note chords take at most 256 bytes per character", "%zu bytes for %d", used, n);
    static const char *nodes[] = { "a?*t? ", "[a] ", "a(3,8) ", "a!2 ", "a@2 ", "a . " };
    n = fill(nodes, 6, 8000);
    big[n - 2] = 'b';                       /* no trailing '.' */
    used = arena_bytes(big, n, MINI_WORDS, &ok);
    CHECK(ok && used <= 256 * (size_t)n, "operators on every step take at most 256 bytes per character", "%zu bytes for %d",
          used, n);
    int k = 0;
    for (int i = 0; i < 40; i++) k += snprintf(big + k, sizeof big - (size_t)k, "[a <b {c ");
    for (int i = 0; i < 40; i++) k += snprintf(big + k, sizeof big - (size_t)k, "}>]");
    used = arena_bytes(big, k, MINI_WORDS, &ok);
    CHECK(!ok && used <= 256 * (size_t)k, "deep nesting fails early and small", "%zu bytes for %d", used, k);
    /* p!n is one step whatever n is */
    used = arena_bytes("bd!1024", -1, MINI_WORDS, &ok);
    CHECK(ok && used < 1024, "bd!1024 is a few nodes", "%zu bytes", used);
}

static void test_limits(void)
{
    const MiniType W = MINI_WORDS;
    /* factors: 0 or 1/10000 .. 10000 */
    expect_bounded("bd*10000", W);
    expect_bounded("bd/10000 bd*0.0001 bd*0", W);
    expect_bounded("bd*-10000", W);
    expect_error("bd*10001", W, 4, "'*' factor out of range: 10001 (0, or 1/10000 to 10000 in size)");
    expect_error("bd/0.00001", W, 4, "'/' factor out of range: 0.00001 (0, or 1/10000 to 10000 in size)");
    expect_error("{bd sn}%1000000000", W, 9, "'%' steps per cycle out of range: 1000000000 (0, or 1/10000 to 10000 in size)");
    expect_error("bd*<2 100000000>", W, 7, "'*' factor out of range: 100000000 (0, or 1/10000 to 10000 in size)");
    /* repeats, steps, weights */
    expect_bounded("bd!1024", W);
    expect_error("bd!1025", W, 3, "'!' repeats a step at most 1024 times: !1025");
    expect_error("bd!99999999999", W, 3, "'!' repeats a step at most 1024 times: !99999999999");
    expect_bounded("bd!1024 bd!1024 bd!1024 bd!1024", W);
    expect_error("[b[d [b[f sn3h .Pn1/2]4]!sn]2!4]/2e-4", W, 33, "too many events per cycle: up to 85000 here (at most 10000)");
    expect_error("bd!1024 bd!1024 bd!1024 bd!1024 sn", W, 33, "too many steps in one sequence (at most 4096)");
    expect_error("bd!1024 bd!1024 bd!1024 bd!1024!", W, 32, "too many steps in one sequence (at most 4096)");
    expect_bounded("bd@10000 sn", W);
    expect_error("bd@10001 sn", W, 3, "weight out of range: @10001 (a step weighs 0 to 10000)");
    expect_error("bd@5000@5002", W, 8, "weight out of range: @5002 (a step weighs 0 to 10000)");
    expect_error("bd _ 99999999999999999999999", W, 4, "weight out of range: _ 99999999999999999999999 (a step weighs 0 to 10000)");
    expect_error("bd@1e300", W, 3, "weight out of range: @1e300 (a step weighs 0 to 10000)");
    expect_error("bd@1%1e-300", W, 3, "weight out of range: @1%1e-300 (a step weighs 0 to 10000)");
    expect_error("bd _0 _0", W, 7, "weight out of range: _0 (a step weighs 0 to 10000)");
    /* nesting: 64 levels */
    char deep[300];
    memset(deep, '[', 64);
    deep[64] = 'a';
    memset(deep + 65, ']', 64);
    deep[129] = 0;
    expect_bounded(deep, W);
    memset(deep, '<', 65);
    deep[65] = 'a';
    memset(deep + 66, '>', 65);
    deep[131] = 0;
    expect_error(deep, W, 65, "brackets nested too deeply (at most 64 levels)");
    /* members: 256 */
    int k = 0;
    for (int i = 0; i < 256; i++) k += snprintf(big + k, sizeof big - (size_t)k, "%sa", i ? "," : "[");
    snprintf(big + k, sizeof big - (size_t)k, "]");
    expect_bounded(big, W);
    snprintf(big + k, sizeof big - (size_t)k, ",a]");
    expect_error(big, W, k + 1, "too many members in one bracket (at most 256)");
    /* ranges: 256 values */
    expect_bounded("0 .. 255", MINI_NUMBERS);
    expect_error("0 .. 256", MINI_NUMBERS, 1, "a range holds at most 256 values: 0 .. 256");
    expect_error("bd*[1 .. 100000]", W, 10, "'*' factor out of range: 100000 (0, or 1/10000 to 10000 in size)");
    /* Euclid: 1024 */
    expect_bounded("t(1023,1024)", MINI_BOOL);
    expect_error("bd(2000,8)", W, 4, "Euclid pulses out of range: 2000 (at most 1024 in size)");
    expect_error("bd(3,1025)", W, 6, "Euclid steps out of range: 1025 (at most 1024 in size)");
    expect_error("bd(3,8,99999999999)", W, 8, "number out of range: 99999999999 (numbers are at most 1e9 in size)");
    /* chords: 32 notes */
    CHECK_MINI("c'maj'32'd99999999999999999999", MINI_NOTES, 0, 1,
               "0-1 0^32, 0-1 100^32, 0-1 103^32, 0-1 108^32, 0-1 112^32, 0-1 115^32, 0-1 120^32, 0-1 124^32, "
               "0-1 12^32, 0-1 16^32, 0-1 19^32, 0-1 24^32, 0-1 28^32, 0-1 31^32, 0-1 36^32, 0-1 40^32, 0-1 43^32, "
               "0-1 48^32, 0-1 4^32, 0-1 52^32, 0-1 55^32, 0-1 60^32, 0-1 64^32, 0-1 67^32, 0-1 72^32, 0-1 76^32, "
               "0-1 79^32, 0-1 7^32, 0-1 84^32, 0-1 88^32, 0-1 91^32, 0-1 96^32");
    expect_error("c'maj'33", MINI_NOTES, 7, "a chord has at most 32 notes: 33");
    /* numbers: at most 1e9, at most 64 characters */
    expect_bounded("1000000000 -1e9", MINI_NUMBERS);
    expect_error("1 1000000001", MINI_NUMBERS, 3, "number out of range: 1000000001 (numbers are at most 1e9 in size)");
    expect_error("1e400", MINI_NUMBERS, 1, "number out of range: 1e400 (numbers are at most 1e9 in size)");
    expect_error("c99999999999999", MINI_NOTES, 1, "number out of range: c99999999999999 (numbers are at most 1e9 in size)");
    expect_error("c40", MINI_FREQ, 1, "number out of range: c40 (numbers are at most 1e9 in size)");
    expect_error("1%0", MINI_NUMBERS, 1, "division by zero in a ratio");
    expect_error("0.00000000000000000000000000000000000000000000000000000000000000001", MINI_NUMBERS, 1,
                 "number too long (at most 64 characters)");
    expect_error("99999999999999999999", MINI_INT, 1, "number out of range: 99999999999999999999 (numbers are at most 1e9 in size)");
    /* events per cycle: 10000, counted where factors multiply */
    expect_bounded("[bd*100]*100", W);
    expect_error("[bd*100]*101", W, 9, "too many events per cycle: up to 10100 here (at most 10000)");
    expect_error("[[[[[bd*100]*100]*100]*100]*100]", W, 18, "too many events per cycle: up to 1000000 here (at most 10000)");
    expect_error("[~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~]*10000", W, 24, "too many events per cycle: up to 110000 here (at most 10000)");
    expect_error("bd*5000 sn*5000 hh", W, 17, "too many events per cycle: up to 10001 here (at most 10000)");
    expect_error("bd(1024,10) t(3*1035,1024,1)", W, 14, "too many events per cycle: up to 1067085 here (at most 10000)");
    expect_error("bd*[1 .. 256]*[1 .. 256]", W, 14, "too many events per cycle: up to 16842752 here (at most 10000)");
    /* a NUL byte inside the given length */
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, "bd\0sn", 5, W, &e);
    CHECK(!p && e.col == 3 && strcmp(e.msg, "unexpected character 0x00") == 0, "a NUL byte is an error at its column",
          "column %d: %s", e.col, e.msg);
    (void)expect_clean;
}

/* The crashes of issue 10 and what the fuzzer found. */
static void test_regressions(void)
{
    /* SIGFPE: an empty chord ('0) then a count divided by its size */
    CHECK_MINI("c'maj'0'3", MINI_NOTES, 0, 1, "");
    CHECK_MINI("c'maj'0'i'o'd1 e", MINI_NOTES, 0, 1, "1/2-1 4");
    /* SIGSEGV: the count overflowed int and wrote below the notes */
    expect_error("c'maj'3000000000'i", MINI_NOTES, 7, "a chord has at most 32 notes: 3000000000");
    /* UBSan: signed overflow reading the count */
    expect_error("bd!99999999999", MINI_WORDS, 3, "'!' repeats a step at most 1024 times: !99999999999");
    /* fuzzer, 2 min: a patterned pulse count of 1035 events times 1024 steps walked took seconds a cycle;
     * a second run: 100000 events a cycle (the first limit) took a second a query under the sanitizers */
    expect_error("bd(1024,10) t(3*1035,1024,1)", MINI_WORDS, 14, "too many events per cycle: up to 1067085 here (at most 10000)");
    /* inversions past the chord's end, drops of notes it lacks */
    CHECK_MINI("c'maj'iiiiiiiiiiii", MINI_NOTES, 0, 1, "0-1 48^3, 0-1 52^3, 0-1 55^3");
    CHECK_MINI("c'maj'd9 c'maj'd0", MINI_NOTES, 0, 1, "0-1/2 0^3, 0-1/2 4^3, 0-1/2 7^3, 1/2-1 0^3, 1/2-1 4^3, 1/2-1 7^3");
    CHECK_MINI("c'one'o'32'o", MINI_NOTES, 0, 1,
               "0-1 -12^32, 0-1 108^32, 0-1 120^32, 0-1 12^32, 0-1 12^32, 0-1 132^32, 0-1 144^32, 0-1 156^32, "
               "0-1 168^32, 0-1 180^32, 0-1 192^32, 0-1 204^32, 0-1 216^32, 0-1 228^32, 0-1 240^32, 0-1 252^32, "
               "0-1 264^32, 0-1 276^32, 0-1 288^32, 0-1 300^32, 0-1 312^32, 0-1 324^32, 0-1 336^32, 0-1 348^32, "
               "0-1 360^32, 0-1 36^32, 0-1 372^32, 0-1 48^32, 0-1 60^32, 0-1 72^32, 0-1 84^32, 0-1 96^32");
}

/* At least 40 strings a hostile user types: each parses and stays bounded, or fails cleanly. */
static void test_hostile_set(void)
{
    static const struct { const char *src; MiniType t; } set[] = {
        { "[[[[[bd*100]*100]*100]*100]*100]", MINI_WORDS },
        { "bd*100000000", MINI_WORDS },
        { "{bd sn}%1000000000", MINI_WORDS },
        { "bd!99999999999", MINI_WORDS },
        { "c'maj'0'3", MINI_NOTES },
        { "c'maj'3000000000'i", MINI_NOTES },
        { "c'maj'999999999999999999999999999999", MINI_NOTES },
        { "c'maj'd99999999999999999999999", MINI_NOTES },
        { "c'", MINI_NOTES },
        { "c''", MINI_NOTES },
        { "c'maj'", MINI_NOTES },
        { "'''''", MINI_NOTES },
        { "c'maj'i'i'i'o'o'o'1'0'32'd1'd32", MINI_NOTES },
        { "bd _ _ _ 99999999999999999999", MINI_WORDS },
        { "bd@99999999999999999999999999", MINI_WORDS },
        { "bd@1e-300 sn", MINI_WORDS },
        { "bd@0 sn@0", MINI_WORDS },
        { "bd*1e-300", MINI_WORDS },
        { "bd/1e300", MINI_WORDS },
        { "bd*nan bd*inf", MINI_WORDS },
        { "bd(99999999999,8)", MINI_WORDS },
        { "bd(3,-99999999999)", MINI_WORDS },
        { "bd(3,8,-999999999)", MINI_WORDS },
        { "bd(3(3(3(3,8),8),8),8)", MINI_WORDS },
        { "bd([1 .. 255],[1 .. 255])", MINI_WORDS },
        { "0 .. 1e9", MINI_NUMBERS },
        { "-1e9 .. 1e9", MINI_INT },
        { "<0 1e9> .. <1e9 0>", MINI_NUMBERS },
        { "bd? ? ? ?", MINI_WORDS },
        { "bd?999999999999999999", MINI_WORDS },
        { "bd?-1 bd?1.5.5.5", MINI_WORDS },
        { "[bd|sn|hh|cp]*10000", MINI_WORDS },
        { "<bd sn>!1024", MINI_WORDS },
        { "[<bd sn> <hh cp oh>]!1024", MINI_WORDS },
        { "bd . . . . .", MINI_WORDS },
        { ". . . . bd", MINI_WORDS },
        { "{bd}%0 {bd}%-1", MINI_WORDS },
        { "{~}%4 {bd sn, ~}", MINI_WORDS },
        { "<> <~> <[]>", MINI_WORDS },
        { "[,,,,] [|||] <,,>", MINI_WORDS },
        { "bd*[2*[3*[4*[5*[6]]]]]", MINI_WORDS },
        { "bd*<1 2>*<3 4>", MINI_WORDS },
        { "bd*[1 .. 256]*[1 .. 256]", MINI_WORDS },
        { "1%0 1%1e-300 1e300%1", MINI_TIME },
        { "0.1e999999999999", MINI_TIME },
        { "1e9e9", MINI_NUMBERS },
        { "--1 +-1 -+1", MINI_NUMBERS },
        { "c99999999 bsssssssssssssssss9 gfffffffffffff", MINI_FREQ },
        { "^^^^ ^a^b", MINI_WORDS },
        { "~~~~ -- ~a~b", MINI_WORDS },
        { "\x80\xff\xfe \xe2\x80\x8b", MINI_WORDS },
        { "bd\tsn\r\nhh\f", MINI_WORDS },
        { "t*10000 f(1023,1024)", MINI_BOOL },
        { "1 .. 10000", MINI_INT },
        { "bd:99999999999999999999", MINI_WORDS },
    };
    int n = (int)(sizeof set / sizeof set[0]);
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(set[i].src);
        expect_clean(set[i].src, len, set[i].t);
        MiniError e;
        if (mini_parse(&tp_arena, set[i].src, len, set[i].t, &e)) expect_bounded(set[i].src, set[i].t);
    }
    CHECK(n >= 40, "at least 40 hostile strings", "%d", n);
    /* every prefix of a string holding every feature, as typing it in produces */
    static const char all[] = "bd*2 [sn, hh?0.3] <a b>!3 c@2 _ {d e}%<3 4> f(3,8,<0 2>) . g .. h [i | j] ~ -";
    for (int i = 0; i <= (int)sizeof all - 1; i++) expect_clean(all, i, MINI_WORDS);
    static const char notes[] = "c'maj'ii'o'5'd1 e4'min7 0 .. 3 1%3 q 1e2";
    for (int i = 0; i <= (int)sizeof notes - 1; i++) expect_clean(notes, i, MINI_NOTES);
}

/* p!n is one step of weight n: it must play as n copies of p, cycle-dependent p included. */
static void test_repeat_runs(void)
{
    const MiniType W = MINI_WORDS;
    same_events("<a b>!3 c", "<a b> <a b> <a b> c", W, 4);
    same_events("[a <b c d>]!2 e", "[a <b c d>] [a <b c d>] e", W, 6);
    same_events("a*1.5!2 b", "a*1.5 a*1.5 b", W, 3);
    same_events("a/3!2", "a/3 a/3", W, 4);
    same_events("<a b>!2 . c", "<a b> <a b> . c", W, 3);
    same_events("<a!3 b>", "<a a a b>", W, 8);
    same_events("a(3,8)!2", "a(3,8) a(3,8)", W, 2);
    same_events("{a b c}%4!2", "{a b c}%[4 4]", W, 3);   /* after % a whole sequence: the steps "4!2" */
    same_events("<a b> ! ! c", "<a b> <a b> <a b> c", W, 4);
    same_events("[a|b|c]!2", "[[a|b|c]!2]", W, 8);
    same_events("0 .. <2 3>!2", "[0 .. <2 3>] [0 .. <2 3>]", MINI_NUMBERS, 3);
}

int main(void)
{
    tp_init();
    test_verbose = 0;
    test_memory();
    test_limits();
    test_regressions();
    test_hostile_set();
    test_repeat_runs();
    tp_done();
    return test_done();
}
