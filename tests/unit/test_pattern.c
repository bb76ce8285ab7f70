/* test_pattern.c — the pattern core: pure, stack, cat, timecat, operators with Tidal's structure
 * rules, control maps, signals, Tidal's random generator, engine signals, Bjorklund against Tidal's
 * own table, event-buffer overflow and the transform table. */
#include "pattern_impl.h"
#include "test_pattern_util.h"

static Pattern *W(const char *s) { return tp_mini(s, MINI_WORDS); }
static Pattern *N(const char *s) { return tp_mini(s, MINI_NUMBERS); }

/* Tidal's bjorklund (Sound.Tidal.Bjorklund), printed by Tidal 1.7.10 for every k <= n <= 16 and a few more */
static const struct { int k, n; const char *bits; } bjork[] = {
    { 0, 1, "." },
    { 1, 1, "x" },
    { 0, 2, ".." },
    { 1, 2, "x." },
    { 2, 2, "xx" },
    { 0, 3, "..." },
    { 1, 3, "x.." },
    { 2, 3, "xx." },
    { 3, 3, "xxx" },
    { 0, 4, "...." },
    { 1, 4, "x..." },
    { 2, 4, "x.x." },
    { 3, 4, "xxx." },
    { 4, 4, "xxxx" },
    { 0, 5, "....." },
    { 1, 5, "x...." },
    { 2, 5, "x.x.." },
    { 3, 5, "x.x.x" },
    { 4, 5, "xxxx." },
    { 5, 5, "xxxxx" },
    { 0, 6, "......" },
    { 1, 6, "x....." },
    { 2, 6, "x..x.." },
    { 3, 6, "x.x.x." },
    { 4, 6, "x.xx.x" },
    { 5, 6, "xxxxx." },
    { 6, 6, "xxxxxx" },
    { 0, 7, "......." },
    { 1, 7, "x......" },
    { 2, 7, "x..x..." },
    { 3, 7, "x.x.x.." },
    { 4, 7, "x.x.x.x" },
    { 5, 7, "x.xx.xx" },
    { 6, 7, "xxxxxx." },
    { 7, 7, "xxxxxxx" },
    { 0, 8, "........" },
    { 1, 8, "x......." },
    { 2, 8, "x...x..." },
    { 3, 8, "x..x..x." },
    { 4, 8, "x.x.x.x." },
    { 5, 8, "x.xx.xx." },
    { 6, 8, "x.xxx.xx" },
    { 7, 8, "xxxxxxx." },
    { 8, 8, "xxxxxxxx" },
    { 0, 9, "........." },
    { 1, 9, "x........" },
    { 2, 9, "x...x...." },
    { 3, 9, "x..x..x.." },
    { 4, 9, "x.x.x.x.." },
    { 5, 9, "x.x.x.x.x" },
    { 6, 9, "x.xx.xx.x" },
    { 7, 9, "x.xxx.xxx" },
    { 8, 9, "xxxxxxxx." },
    { 9, 9, "xxxxxxxxx" },
    { 0, 10, ".........." },
    { 1, 10, "x........." },
    { 2, 10, "x....x...." },
    { 3, 10, "x..x..x..." },
    { 4, 10, "x..x.x..x." },
    { 5, 10, "x.x.x.x.x." },
    { 6, 10, "x.xx.x.xx." },
    { 7, 10, "x.xx.xx.xx" },
    { 8, 10, "x.xxxx.xxx" },
    { 9, 10, "xxxxxxxxx." },
    { 10, 10, "xxxxxxxxxx" },
    { 0, 11, "..........." },
    { 1, 11, "x.........." },
    { 2, 11, "x....x....." },
    { 3, 11, "x...x...x.." },
    { 4, 11, "x..x..x..x." },
    { 5, 11, "x.x.x.x.x.." },
    { 6, 11, "x.x.x.x.x.x" },
    { 7, 11, "x.xx.xx.xx." },
    { 8, 11, "x.xxx.xxx.x" },
    { 9, 11, "x.xxxx.xxxx" },
    { 10, 11, "xxxxxxxxxx." },
    { 11, 11, "xxxxxxxxxxx" },
    { 0, 12, "............" },
    { 1, 12, "x..........." },
    { 2, 12, "x.....x....." },
    { 3, 12, "x...x...x..." },
    { 4, 12, "x..x..x..x.." },
    { 5, 12, "x..x.x..x.x." },
    { 6, 12, "x.x.x.x.x.x." },
    { 7, 12, "x.xx.x.xx.x." },
    { 8, 12, "x.xx.xx.xx.x" },
    { 9, 12, "x.xxx.xxx.xx" },
    { 10, 12, "x.xxxxx.xxxx" },
    { 11, 12, "xxxxxxxxxxx." },
    { 12, 12, "xxxxxxxxxxxx" },
    { 0, 13, "............." },
    { 1, 13, "x............" },
    { 2, 13, "x.....x......" },
    { 3, 13, "x...x...x...." },
    { 4, 13, "x..x..x..x..." },
    { 5, 13, "x..x.x..x.x.." },
    { 6, 13, "x.x.x.x.x.x.." },
    { 7, 13, "x.x.x.x.x.x.x" },
    { 8, 13, "x.xx.x.xx.x.x" },
    { 9, 13, "x.xx.xx.xx.xx" },
    { 10, 13, "x.xxx.xxx.xxx" },
    { 11, 13, "x.xxxxx.xxxxx" },
    { 12, 13, "xxxxxxxxxxxx." },
    { 13, 13, "xxxxxxxxxxxxx" },
    { 0, 14, ".............." },
    { 1, 14, "x............." },
    { 2, 14, "x......x......" },
    { 3, 14, "x....x....x..." },
    { 4, 14, "x...x..x...x.." },
    { 5, 14, "x..x..x..x..x." },
    { 6, 14, "x..x.x.x..x.x." },
    { 7, 14, "x.x.x.x.x.x.x." },
    { 8, 14, "x.xx.x.x.xx.x." },
    { 9, 14, "x.xx.xx.xx.xx." },
    { 10, 14, "x.xxx.xx.xxx.x" },
    { 11, 14, "x.xxxx.xxxx.xx" },
    { 12, 14, "x.xxxxxx.xxxxx" },
    { 13, 14, "xxxxxxxxxxxxx." },
    { 14, 14, "xxxxxxxxxxxxxx" },
    { 0, 15, "..............." },
    { 1, 15, "x.............." },
    { 2, 15, "x......x......." },
    { 3, 15, "x....x....x...." },
    { 4, 15, "x...x...x...x.." },
    { 5, 15, "x..x..x..x..x.." },
    { 6, 15, "x..x.x..x.x..x." },
    { 7, 15, "x.x.x.x.x.x.x.." },
    { 8, 15, "x.x.x.x.x.x.x.x" },
    { 9, 15, "x.xx.x.xx.x.xx." },
    { 10, 15, "x.xx.xx.xx.xx.x" },
    { 11, 15, "x.xxx.xxx.xxx.x" },
    { 12, 15, "x.xxxx.xxxx.xxx" },
    { 13, 15, "x.xxxxxx.xxxxxx" },
    { 14, 15, "xxxxxxxxxxxxxx." },
    { 15, 15, "xxxxxxxxxxxxxxx" },
    { 0, 16, "................" },
    { 1, 16, "x..............." },
    { 2, 16, "x.......x......." },
    { 3, 16, "x....x....x....." },
    { 4, 16, "x...x...x...x..." },
    { 5, 16, "x..x..x..x..x..." },
    { 6, 16, "x..x.x..x..x.x.." },
    { 7, 16, "x..x.x.x..x.x.x." },
    { 8, 16, "x.x.x.x.x.x.x.x." },
    { 9, 16, "x.xx.x.x.xx.x.x." },
    { 10, 16, "x.xx.x.xx.xx.x.x" },
    { 11, 16, "x.xx.xx.xx.xx.xx" },
    { 12, 16, "x.xxx.xxx.xxx.xx" },
    { 13, 16, "x.xxxx.xxxx.xxxx" },
    { 14, 16, "x.xxxxxxx.xxxxxx" },
    { 15, 16, "xxxxxxxxxxxxxxx." },
    { 16, 16, "xxxxxxxxxxxxxxxx" },
    { 4, 17, "x...x...x...x...." },
    { 5, 3, "xxxxx" },
    { -3, 8, "..........." },
    { 9, 16, "x.xx.x.x.xx.x.x." },
    { 7, 24, "x...x..x...x..x...x..x.." },
    { 13, 32, "x..x.x..x.x..x.x..x.x..x.x..x.x." },
};

static double sig_at(void *ud, int id, Rat t)
{
    (void)ud;
    return id * 100 + rat_to_double(t);
}

int main(void)
{
    tp_init();
    test_verbose = 0;
    Arena *a = &tp_arena;

    /* pure: one event per cycle, cut to the query; a zero-width query sees its cycle's event */
    Pattern *bd = pattern_pure(a, val_sym(sym_intern("bd")));
    CHECK_STR(tp_events_arc(bd, arc_make(RAT(1, 2), RAT(5, 2))), "0-1(1/2-1) bd, 1-2 bd, 2-3(2-5/2) bd", "pure across cycles");
    CHECK_STR(tp_events_arc(bd, arc_make(RAT(-3, 2), RAT(-1, 2))), "-2--1(-3/2--1) bd, -1-0(-1--1/2) bd", "pure at negative times");
    CHECK_STR(tp_events_arc(bd, arc_make(RAT(1, 2), RAT(1, 2))), "0-1(1/2-1/2) bd", "zero-width query");
    CHECK_STR(tp_events_arc(bd, arc_make(rat_int(1), rat_int(0))), "", "reversed query");
    CHECK_STR(tp_events(pattern_silence(a), 0, 2), "", "silence");

    /* stack, slowcat (cycle k plays member k mod n at its cycle k div n), fastcat, timecat */
    Pattern *two[2] = { W("a b"), W("<c d>") };
    CHECK_STR(tp_events(pattern_stack(a, two, 2), 0, 1), "0-1 c, 0-1/2 a, 1/2-1 b", "stack");
    CHECK_STR(tp_events(pattern_slowcat(a, two, 2), 0, 4), "0-1/2 a, 1/2-1 b, 1-2 c, 2-5/2 a, 5/2-3 b, 3-4 d", "slowcat");
    CHECK_STR(tp_events(pattern_fastcat(a, two, 2), 0, 2), "0-1/4 a, 1/4-1/2 b, 1/2-1 c, 1-5/4 a, 5/4-3/2 b, 3/2-2 d", "fastcat");
    Rat ws[2] = { rat_int(3), rat_int(1) };
    CHECK_STR(tp_events(pattern_timecat(a, ws, two, 2), 0, 1), "0-3/8 a, 3/8-3/4 b, 3/4-1 c", "timecat");
    CHECK_STR(tp_events(pattern_slowcat(a, two, 0), 0, 1), "", "empty cat is silence");

    /* elementary functions with constant arguments */
    CHECK_STR(tp_events(pattern_fast_const(a, rat_int(2), W("a b")), 0, 1), "0-1/4 a, 1/4-1/2 b, 1/2-3/4 a, 3/4-1 b", "_fast 2");
    CHECK_STR(tp_events(pattern_fast_const(a, rat_int(-1), W("a b")), 0, 1), "0-1/2 b, 1/2-1 a", "_fast -1 reverses");
    CHECK_STR(tp_events(pattern_shift_const(a, RAT(1, 4), W("a b")), 0, 1), "-1/4-1/4(0-1/4) a, 1/4-3/4 b, 3/4-5/4(3/4-1) a",
              "rotL 1/4");
    CHECK_STR(tp_events(pattern_rev(a, W("a [b c]")), 0, 1), "0-1/4 c, 1/4-1/2 b, 1/2-1 a", "rev");
    CHECK_STR(tp_events(pattern_compress(a, RAT(1, 4), RAT(3, 4), W("a b")), 0, 1), "1/4-1/2 a, 1/2-3/4 b", "compress");
    CHECK_STR(tp_events(pattern_zoom(a, RAT(1, 4), RAT(3, 4), W("a b c d")), 0, 1), "0-1/2 b, 1/2-1 c", "zoom");

    /* operators: structure from both (wholes intersect), from one side, squeezed */
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_BOTH, N("0 1 2"), N("10 20")), 0, 1),
              "0-1/3 10, 1/3-1/2 11, 1/2-2/3 21, 2/3-1 22", "+ : structure from both");
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_LEFT, N("0 1 2"), N("10 20")), 0, 1),
              "0-1/3 10, 1/3-2/3(1/3-1/2) 11, 1/3-2/3(1/2-2/3) 21, 2/3-1 22", "|+ : structure from the left");
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_RIGHT, N("0 1 2"), N("10 20")), 0, 1),
              "0-1/2(0-1/3) 10, 0-1/2(1/3-1/2) 11, 1/2-1(1/2-2/3) 21, 1/2-1(2/3-1) 22", "+| : structure from the right");
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_SQUEEZE, N("0 10"), N("1 2")), 0, 1),
              "0-1/4 1, 1/4-1/2 2, 1/2-3/4 11, 3/4-1 12", "||+ : the right side squeezed into each left event");
    CHECK_STR(tp_events(pattern_op(a, OP_SUB, STRUCT_LEFT, N("5"), N("7")), 0, 1), "0-1 -2", "-");
    CHECK_STR(tp_events(pattern_op(a, OP_MUL, STRUCT_LEFT, N("1.5"), N("4")), 0, 1), "0-1 6", "*");
    CHECK_STR(tp_events(pattern_op(a, OP_DIV, STRUCT_LEFT, N("1"), N("4")), 0, 1), "0-1 0.25", "/");
    CHECK_STR(tp_events(pattern_op(a, OP_MOD, STRUCT_LEFT, N("-1 7"), N("3")), 0, 1), "0-1/2 2, 1/2-1 1", "% is a floor modulo");
    CHECK_STR(tp_events(pattern_op(a, OP_POW, STRUCT_LEFT, N("2"), N("10")), 0, 1), "0-1 1024", "**");
    CHECK_STR(tp_events(pattern_op(a, OP_KEEP_LEFT, STRUCT_LEFT, N("1 2"), N("9")), 0, 1), "0-1/2 1, 1/2-1 2", "|<");
    CHECK_STR(tp_events(pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, N("1 2"), N("9")), 0, 1), "0-1/2 9, 1/2-1 9", "|>");
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_BOTH, N("1 2"), pattern_signal(a, "saw")), 0, 1),
              "~(0-1/2) 1.5, ~(1/2-1) 2.5", "+ with a signal: Tidal 1.7.10 matches the signal over the query");
    CHECK_STR(tp_events(pattern_op(a, OP_ADD, STRUCT_BOTH, tp_mini("1%3", MINI_TIME), tp_mini("1%6", MINI_TIME)), 0, 1),
              "0-1 1/2", "time values add exactly");

    /* control maps: s words split their index; # takes right values; |+ adds on shared keys */
    Pattern *s = pattern_to_map(a, W("bd:3 sn"), P_S);
    CHECK_STR(tp_events(s, 0, 1), "0-1/2 {s=bd n=3}, 1/2-1 {s=sn}", "s \"bd:3 sn\"");
    Pattern *sp = pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, s, pattern_to_map(a, N("1 2"), P_SPEED));
    CHECK_STR(tp_events(sp, 0, 1), "0-1/2 {s=bd n=3 speed=1}, 1/2-1 {s=sn speed=2}", "# speed");
    Pattern *plus = pattern_op(a, OP_ADD, STRUCT_LEFT, s, pattern_to_map(a, tp_mini("10", MINI_NOTES), P_N));
    CHECK_STR(tp_events(plus, 0, 1), "0-1/2 {s=bd n=13}, 1/2-1 {s=sn n=10}", "|+ n: added where present, union elsewhere");
    Pattern *gain = pattern_op(a, OP_MUL, STRUCT_LEFT, pattern_op(a, OP_KEEP_RIGHT, STRUCT_LEFT, s,
                                                                  pattern_to_map(a, N("0.5"), P_GAIN)),
                               pattern_to_map(a, N("1 2"), P_GAIN));
    CHECK_STR(tp_events(gain, 0, 1), "0-1/2 {s=bd n=3 gain=0.5}, 1/2-1 {s=sn gain=1}", "|* gain");
    Pattern *keep = pattern_op(a, OP_KEEP_LEFT, STRUCT_LEFT, sp, pattern_to_map(a, N("7"), P_SPEED));
    CHECK_STR(tp_events(keep, 0, 1), "0-1/2 {s=bd n=3 speed=1}, 1/2-1 {s=sn speed=2}", "|< keeps the left values");
    Pattern *chord = pattern_to_map(a, tp_mini("c'maj", MINI_NOTES), P_NOTE);
    CHECK_STR(tp_events(chord, 0, 1), "0-1 {note=0}^3, 0-1 {note=4}^3, 0-1 {note=7}^3", "a chord's count survives in maps");

    /* signals: valued at the middle of the query (Tidal), no whole */
    CHECK_STR(tp_events(pattern_signal(a, "saw"), 0, 1), "~(0-1) 0.5", "saw");
    CHECK_STR(tp_events_arc(pattern_signal(a, "saw"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 0.25", "saw over half a cycle");
    CHECK_STR(tp_events_arc(pattern_signal(a, "isaw"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 0.75", "isaw");
    CHECK_STR(tp_events_arc(pattern_signal(a, "tri"), arc_make(RAT(1, 2), rat_int(1))), "~(1/2-1) 0.5", "tri");
    CHECK_STR(tp_events_arc(pattern_signal(a, "square"), arc_make(RAT(1, 2), rat_int(1))), "~(1/2-1) 1", "square");
    CHECK_STR(tp_events_arc(pattern_signal(a, "sine"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 1", "sine");
    CHECK_STR(tp_events_arc(pattern_signal(a, "cosine"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 0.5", "cosine");
    CHECK_STR(tp_events_arc(pattern_signal(a, "envL"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 0.25", "envL");
    CHECK_STR(tp_events_arc(pattern_signal(a, "rand"), arc_make(rat_int(0), RAT(1, 2))), "~(0-1/2) 0.6295689214", "rand");
    CHECK(pattern_signal(a, "nope") == NULL, "an unknown signal is NULL");
    CHECK_STR(tp_events(pattern_irand(a, N("8")), 0, 1), "~(0-1) 2", "irand 8");

    /* Tidal's generator, bit for bit (values from tests/conformance/README.md) */
    CHECK(tidal_rand(rat_int(0)) == 0.0, "rand(0)");
    CHECK(tidal_rand(RAT(1, 16)) == 0.15739221498370171, "rand(1/16)");
    CHECK(tidal_rand(RAT(1, 4)) == 0.62956892140209675, "rand(1/4)");
    CHECK(tidal_rand(RAT(1, 2)) == 0.2591378428041935, "rand(1/2)");
    CHECK(tidal_rand(rat_int(1)) == 0.51777214556932449, "rand(1)");
    CHECK(tidal_rand(RAT(-1, 4)) == 0.65202813223004341, "rand(-1/4)");
    CHECK(tidal_rand_d(1.0) == tidal_rand(rat_int(1)) && tidal_rand_d(-7.0) == tidal_rand(rat_int(-7)),
          "the double form agrees on integers");

    /* engine signals */
    QueryEnv env = { sig_at, NULL, NULL, NULL };
    Pattern *ext = pattern_signal_ext(a, 2);
    eventbuf_clear(&tp_buf);
    pattern_query(ext, arc_make(RAT(1, 4), RAT(1, 2)), &tp_buf, &env);
    CHECK(tp_buf.len == 1 && !tp_buf.ev[0].has_whole && tp_buf.ev[0].value.num == 200.25, "signal_ext reads the env at the query start");
    eventbuf_clear(&tp_buf);
    pattern_query(ext, arc_make(RAT(1, 4), RAT(1, 2)), &tp_buf, NULL);
    CHECK(tp_buf.len == 1 && tp_buf.ev[0].value.num == 0, "signal_ext without env reads 0");

    /* Bjorklund, as Tidal has it */
    int bad = 0;
    for (size_t i = 0; i < sizeof bjork / sizeof bjork[0]; i++) {
        bool bits[64];
        int m = pattern_bjorklund(bjork[i].k, bjork[i].n, bits, 64);
        char got[65];
        for (int j = 0; j < m && j < 64; j++) got[j] = bits[j] ? 'x' : '.';
        got[m > 0 ? m : 0] = 0;
        if (strcmp(got, bjork[i].bits) != 0) {
            bad++;
            printf("# bjorklund(%d,%d): got %s, expected %s\n", bjork[i].k, bjork[i].n, got, bjork[i].bits);
        }
    }
    CHECK(bad == 0, "bjorklund agrees with Tidal on every (k, n)");

    /* overflow: the buffer fills, the rest is dropped and flagged */
    EventBuf small;
    eventbuf_init(&small, 4, 64);
    int n = pattern_query(W("a*16"), arc_make(rat_int(0), rat_int(1)), &small, NULL);
    CHECK(n == 4 && small.len == 4 && small.overflow, "overflow drops and flags");
    eventbuf_clear(&small);
    CHECK(!small.overflow && small.len == 0, "clear resets the flag");
    pattern_query(pattern_to_map(a, W("a*16"), P_S), arc_make(rat_int(0), rat_int(1)), &small, NULL);
    CHECK(small.overflow && small.mem_used <= small.mem_cap, "map storage overflows cleanly too");
    eventbuf_free(&small);

    /* the transform table */
    int count = 0;
    const TransformDef *t = transform_table(&count);
    bool all_ok = count > 80;
    for (int i = 0; i < count; i++) {
        all_ok &= t[i].build != NULL && t[i].summary && *t[i].summary && t[i].nargs <= TRANSFORM_MAX_ARGS;
        all_ok &= transform_find(t[i].name) == &t[i] || strcmp(transform_find(t[i].name)->name, t[i].name) == 0;
    }
    CHECK(all_ok, "every table entry has a builder, a summary and a findable name", "%d entries", count);
    static const char *tier1[] = { "fast", "slow", "hurry", "rev", "every", "whenmod", "sometimesBy", "sometimes", "often",
        "rarely", "almostNever", "always", "degrade", "degradeBy", "iter", "palindrome", "ply", "off", "superimpose",
        "jux", "stut", "echo", "chop", "striate", "rotL", "rotR", "<~", "~>", "swingBy", "chunk", "linger", "segment",
        "range", "struct", "mask", "euclid", "euclidInv", "euclidFull", "early", "late", "stack", "cat", "fastcat",
        "lastOf", "iterBack", "add", "mul", "euclidRot", "layer", "undegradeBy", "someCyclesBy", "inside", "outside",
        "zoom", "compress", "fastGap", "press", "brak", "repeatCycles", "within", "every'", "sometimesBy'", "firstOf" };
    int missing = 0;
    for (size_t i = 0; i < sizeof tier1 / sizeof tier1[0]; i++)
        if (!transform_find(tier1[i])) {
            missing++;
            printf("# missing transform %s\n", tier1[i]);
        }
    CHECK(missing == 0, "tier 1 and the corpus's names are all in the table");
    CHECK(transform_find("nope") == NULL, "unknown names are NULL");
    const TransformDef *ev = transform_find("every");
    CHECK(ev->nargs == 2 && ev->args[0] == TA_INT && ev->args[1] == TA_FN && !ev->control, "every takes an int and a function");
    CHECK(transform_find("jux")->control && transform_find("chop")->control && transform_find("stut")->control,
          "control transforms are marked");

    tp_done();
    return test_done();
}
