/* test_mini.c — mini-notation, one feature at a time, with exact events (times as fractions), for
 * every MiniType; errors with their column; phonon's additions (~name, '-', top-level ',' and '|',
 * chords with chord counts, Hz). Expectations agree with Tidal 1.7.10 except where noted. */
#include "test_pattern_util.h"

static void check_error(const char *src, MiniType t, int col, const char *fragment)
{
    MiniError e;
    Pattern *p = mini_parse(&tp_arena, src, -1, t, &e);
    char name[160];
    snprintf(name, sizeof name, "error in \"%s\"", src);
    CHECK(p == NULL && e.col == col && strstr(e.msg, fragment) != NULL, name,
          "got %s, column %d, \"%s\"; expected column %d and \"%s\"", p ? "a pattern" : "NULL", e.col, e.msg, col, fragment);
}

int main(void)
{
    tp_init();
    test_verbose = 0;
    const MiniType W = MINI_WORDS, N = MINI_NUMBERS;

    /* sequences, rests, nesting */
    CHECK_MINI("bd sn hh", W, 0, 1, "0-1/3 bd, 1/3-2/3 sn, 2/3-1 hh");
    CHECK_MINI("bd ~ sn ~", W, 0, 1, "0-1/4 bd, 1/2-3/4 sn");
    CHECK_MINI("bd [sn [hh hh]]", W, 0, 1, "0-1/2 bd, 1/2-3/4 sn, 3/4-7/8 hh, 7/8-1 hh");
    CHECK_MINI("", W, 0, 2, "");
    CHECK_MINI("  bd\tsn\n", W, 0, 1, "0-1/2 bd, 1/2-1 sn");
    CHECK_MINI("[]", W, 0, 1, "");
    /* . groups */
    CHECK_MINI("bd . sn sn . hh hh hh", W, 0, 1, "0-1/3 bd, 1/3-1/2 sn, 1/2-2/3 sn, 2/3-7/9 hh, 7/9-8/9 hh, 8/9-1 hh");
    CHECK_MINI(". bd", W, 0, 1, "1/2-1 bd");
    /* stacks */
    CHECK_MINI("[bd, hh hh]", W, 0, 1, "0-1 bd, 0-1/2 hh, 1/2-1 hh");
    /* alternation, one step per cycle; weights count as steps */
    CHECK_MINI("<bd sn hh>", W, 0, 4, "0-1 bd, 1-2 sn, 2-3 hh, 3-4 bd");
    CHECK_MINI("<bd sn, hh cp oh>", W, 2, 3, "2-3 bd, 2-3 oh");
    CHECK_MINI("<bd@3 sn>", W, 2, 4, "0-3(2-3) bd, 3-4 sn");
    CHECK_MINI("<bd <sn cp>>", W, 0, 4, "0-1 bd, 1-2 sn, 2-3 bd, 3-4 cp");
    /* speed with constant, fractional, patterned and bracketed factors */
    CHECK_MINI("bd*2 sn", W, 0, 1, "0-1/4 bd, 1/4-1/2 bd, 1/2-1 sn");
    CHECK_MINI("bd/2", W, 0, 2, "0-2(0-1) bd, 0-2(1-2) bd");
    CHECK_MINI("bd*1.5", W, 1, 2, "2/3-4/3(1-4/3) bd, 4/3-2 bd");
    CHECK_MINI("bd*<2 3>", W, 1, 2, "1-4/3 bd, 4/3-5/3 bd, 5/3-2 bd");
    CHECK_MINI("bd*[1 2]", W, 0, 1, "0-1(0-1/2) bd, 1/2-1 bd");
    CHECK_MINI("hh*<2 3>/2", W, 0, 3, "0-1/2 hh, 1/2-1 hh, 1-3/2 hh, 3/2-2 hh, 2-7/3 hh, 7/3-8/3 hh, 8/3-3 hh");
    CHECK_MINI("bd*t", W, 0, 1, "0-3(0-1) bd");
    /* a step that crosses a cycle edge keeps its part inside its whole (Tidal 1.7.10 does not) */
    CHECK_MINI("bd*1.5 sn", W, 1, 2, "5/6-7/6(1-7/6) bd, 7/6-3/2 bd, 3/2-2 sn");
    /* replication and elongation */
    CHECK_MINI("bd!3 sn", W, 0, 1, "0-1/4 bd, 1/4-1/2 bd, 1/2-3/4 bd, 3/4-1 sn");
    CHECK_MINI("bd ! sn !", W, 0, 1, "0-1/4 bd, 1/4-1/2 bd, 1/2-3/4 sn, 3/4-1 sn");
    CHECK_MINI("bd!!", W, 0, 1, "0-1/3 bd, 1/3-2/3 bd, 2/3-1 bd");
    CHECK_MINI("bd@3 sn", W, 0, 1, "0-3/4 bd, 3/4-1 sn");
    CHECK_MINI("bd _ _ sn", W, 0, 1, "0-3/4 bd, 3/4-1 sn");
    CHECK_MINI("bd@1.5 sn", W, 0, 1, "0-3/5 bd, 3/5-1 sn");
    CHECK_MINI("bd@q sn", W, 0, 1, "0-1/5 bd, 1/5-1 sn");
    /* polymeter */
    CHECK_MINI("{bd sn, hh hh hh}", W, 1, 2, "1-3/2 bd, 1-3/2 hh, 3/2-2 hh, 3/2-2 sn");
    CHECK_MINI("{bd sn hh}%4", W, 0, 1, "0-1/4 bd, 1/4-1/2 sn, 1/2-3/4 hh, 3/4-1 bd");
    CHECK_MINI("{bd sn}%<2 3>", W, 1, 2, "1-4/3 sn, 4/3-5/3 bd, 5/3-2 sn");
    /* Euclid: Bjorklund, rotation earlier, patterned arguments, each pulse plays the whole element */
    CHECK_MINI("bd(3,8)", W, 0, 1, "0-1/8 bd, 3/8-1/2 bd, 3/4-7/8 bd");
    CHECK_MINI("bd(3,8,2)", W, 0, 1, "1/8-1/4 bd, 1/2-5/8 bd, 3/4-7/8 bd");
    CHECK_MINI("bd(5,8)", W, 0, 1, "0-1/8 bd, 1/4-3/8 bd, 3/8-1/2 bd, 5/8-3/4 bd, 3/4-7/8 bd");
    CHECK_MINI("bd(<3 5>,8,<0 2>)", W, 1, 2, "1-9/8 bd, 9/8-5/4 bd, 11/8-3/2 bd, 3/2-13/8 bd, 7/4-15/8 bd");
    CHECK_MINI("[bd sn](3,8)", W, 0, 1, "0-1/16 bd, 1/16-1/8 sn, 3/8-7/16 bd, 7/16-1/2 sn, 3/4-13/16 bd, 13/16-7/8 sn");
    CHECK_MINI("bd(-3,8)", W, 0, 1, "");
    CHECK_MINI("t(3,8)", MINI_BOOL, 0, 1, "0-1/8 t, 1/8-1/4 f, 1/4-3/8 f, 3/8-1/2 t, 1/2-5/8 f, 5/8-3/4 f, 3/4-7/8 t, 7/8-1 f");
    /* ranges */
    CHECK_MINI("0 .. 3", N, 0, 1, "0-1/4 0, 1/4-1/2 1, 1/2-3/4 2, 3/4-1 3");
    CHECK_MINI("2 .. -1", N, 0, 1, "0-1/4 2, 1/4-1/2 1, 1/2-3/4 0, 3/4-1 -1");
    CHECK_MINI("0 .. 2 7", MINI_INT, 0, 1, "0-1/6 0, 1/6-1/3 1, 1/3-1/2 2, 1/2-1 7");
    CHECK_MINI("a .. c", W, 0, 1, "0-1/2 a, 1/2-1 c");
    /* randomness: seeds in the order of the text, Tidal's generator */
    CHECK_MINI("bd? sn? hh? cp?", W, 0, 1, "1/2-3/4 hh, 3/4-1 cp");
    CHECK_MINI("hh*8?", W, 0, 1, "1/8-1/4 hh, 1/4-3/8 hh, 3/8-1/2 hh, 1/2-5/8 hh, 3/4-7/8 hh, 7/8-1 hh");
    CHECK_MINI("hh*8?0.3", W, 0, 1, "1/8-1/4 hh, 1/4-3/8 hh, 3/8-1/2 hh, 1/2-5/8 hh, 5/8-3/4 hh, 3/4-7/8 hh, 7/8-1 hh");
    CHECK_MINI("[bd | sn | hh]", W, 0, 4, "0-1 bd, 1-2 sn, 2-3 sn, 3-4 sn");
    /* words */
    CHECK_MINI("bd:3 gm_piano a-b", W, 0, 1, "0-1/3 bd:3, 1/3-2/3 gm_piano, 2/3-1 a-b");
    CHECK_MINI("drum:<0 1>", W, 0, 1, "0-1/2 drum:, 1/2-1 0");

    /* phonon's additions */
    CHECK_MINI("bd ~synth", W, 0, 1, "0-1/2 bd, 1/2-1 ~synth");
    CHECK_MINI("bd~sn", W, 0, 1, "0-1/3 bd, 2/3-1 sn");
    CHECK_MINI("bd - sn -", W, 0, 1, "0-1/4 bd, 1/2-3/4 sn");
    CHECK_MINI("bd sn, hh hh hh", W, 0, 1, "0-1/2 bd, 0-1/3 hh, 1/3-2/3 hh, 1/2-1 sn, 2/3-1 hh");
    CHECK_MINI("bd | sn | hh", W, 0, 4, "0-1 bd, 1-2 sn, 2-3 sn, 3-4 sn");
    CHECK_MINI("f#5 a", W, 0, 1, "0-1/2 f#5, 1/2-1 a");
    CHECK_MINI("x f t", MINI_BOOL, 0, 1, "0-1/3 t, 1/3-2/3 f, 2/3-1 t");

    /* numbers */
    CHECK_MINI("1.5 -2 0.25 1e2", N, 0, 1, "0-1/4 1.5, 1/4-1/2 -2, 1/2-3/4 0.25, 3/4-1 100");
    CHECK_MINI("h q t", N, 0, 1, "0-1/3 0.5, 1/3-2/3 0.25, 2/3-1 0.3333333333");
    /* notes: c5 = 0, octave 5 by default, s sharp, f flat */
    CHECK_MINI("c e g a4 cs2 bf df6", MINI_NOTES, 0, 1,
               "0-1/7 0, 1/7-2/7 4, 2/7-3/7 7, 3/7-4/7 -3, 4/7-5/7 -35, 5/7-6/7 10, 6/7-1 13");
    CHECK_MINI("c a e", N, 0, 1, "0-1/3 0, 1/3-2/3 9, 2/3-1 0.125");   /* Tidal: e is 1/8 in numbers */
    CHECK_MINI("c e", MINI_INT, 0, 1, "0-1/2 0, 1/2-1 4");
    /* chords: a stack of notes, each knowing how many notes its chord has */
    CHECK_MINI("c'maj e4'min7'ii", MINI_NOTES, 0, 1,
               "0-1/2 0^3, 0-1/2 4^3, 0-1/2 7^3, 1/2-1 -1^4, 1/2-1 2^4, 1/2-1 4^4, 1/2-1 7^4");
    CHECK_MINI("c'maj'5", MINI_NOTES, 0, 1, "0-1 0^5, 0-1 12^5, 0-1 16^5, 0-1 4^5, 0-1 7^5");
    CHECK_MINI("c'maj'o", MINI_NOTES, 0, 1, "0-1 -12^3, 0-1 -5^3, 0-1 4^3");
    CHECK_MINI("c'maj'i", MINI_NOTES, 0, 1, "0-1 12^3, 0-1 4^3, 0-1 7^3");
    CHECK_MINI("c'maj7'd1", MINI_NOTES, 0, 1, "0-1 -1^4, 0-1 0^4, 0-1 4^4, 0-1 7^4");   /* newer Tidal's drop */
    CHECK_MINI("3'min", MINI_NOTES, 0, 1, "0-1 10^3, 0-1 3^3, 0-1 6^3");
    CHECK_MINI("c'nonsense", MINI_NOTES, 0, 1, "0-1 0");
    /* Hz: numbers as written, notes and chords as MIDI 60 + note with A4 = 440 */
    CHECK_MINI("110 a c'five", MINI_FREQ, 0, 1, "0-1/3 110, 1/3-2/3 440, 2/3-1 261.6255653^2, 2/3-1 391.995436^2");
    /* time: exact rationals, Tidal's shorthands */
    CHECK_MINI("1%3 3t 0.25 ~ e", MINI_TIME, 0, 1, "0-1/5 1/3, 1/5-2/5 1, 2/5-3/5 1/4, 4/5-1 1/8");
    /* Tidal reads a duration letter after a number even across a space: "0.25 e" is 1/32 */
    CHECK_MINI("0.25 e 4", MINI_TIME, 0, 1, "0-1/2 1/32, 1/2-1 4");
    CHECK_MINI("bd*2 e", W, 0, 1, "0-4(0-1) bd");
    CHECK_MINI("bd*2 ee", W, 0, 1, "0-1/4 bd, 1/4-1/2 bd, 1/2-1 ee");
    /* '_' and '@' take an optional number, also after a space */
    CHECK_MINI("bd _ 3 sn", W, 0, 1, "0-3/4 bd, 3/4-1 sn");
    CHECK_MINI("bd@ 3 sn", W, 0, 1, "0-3/4 bd, 3/4-1 sn");
    CHECK_MINI("bd@2 3 sn", W, 0, 1, "0-1/2 bd, 1/2-3/4 3, 3/4-1 sn");
    /* a decimal time is the decimal written (Tidal 1.7.10 takes the double's binary value) */
    CHECK_MINI("0.1", MINI_TIME, 0, 1, "0-1 1/10");
    CHECK_MINI("0.7 1.1e 0.3%0.7", MINI_TIME, 0, 1, "0-1/3 7/10, 1/3-2/3 11/80, 2/3-1 3/7");
    CHECK_MINI("0.7 .. 2", MINI_TIME, 0, 1, "0-1/2 7/10, 1/2-1 17/10");
    CHECK_MINI("a@0.7 b", W, 0, 1, "0-7/17 a, 7/17-1 b");
    CHECK_MINI("a*0.7", W, 0, 1, "0-10/7(0-1) a");
    /* the conformance rule */
    CHECK_MINI("0 1", MINI_AUTO, 0, 1, "0-1/2 0, 1/2-1 1");
    CHECK_MINI("0 a", MINI_AUTO, 0, 1, "0-1/2 0, 1/2-1 a");

    /* values carry their types */
    Pattern *p = tp_mini("3 bd", W);
    eventbuf_clear(&tp_buf);
    pattern_query(p, arc_make(rat_int(0), rat_int(1)), &tp_buf, NULL);
    CHECK(tp_buf.len == 2 && tp_buf.ev[0].value.type == VAL_SYM, "words are symbols, numbers too");
    p = tp_mini("1%3", MINI_TIME);
    eventbuf_clear(&tp_buf);
    pattern_query(p, arc_make(rat_int(0), rat_int(1)), &tp_buf, NULL);
    CHECK(tp_buf.len == 1 && tp_buf.ev[0].value.type == VAL_RAT && rat_eq(val_to_rat(&tp_buf.ev[0].value), RAT(1, 3)),
          "time values are exact rationals");

    p = tp_mini("0.1", MINI_TIME);
    eventbuf_clear(&tp_buf);
    pattern_query(p, arc_make(rat_int(0), rat_int(1)), &tp_buf, NULL);
    CHECK(tp_buf.len == 1 && rat_eq(val_to_rat(&tp_buf.ev[0].value), RAT(1, 10)),
          "a time decimal is the exact decimal (1/10, not the double's 3602879701896397/2^55)");

    /* errors: the column of the problem and what was expected */
    check_error("bd [sn", W, 7, "']' to close '[' at column 4");
    check_error("bd sn]", W, 6, "no bracket to close");
    check_error("bd <sn", W, 7, "'>' to close '<' at column 4");
    check_error("bd {sn", W, 7, "'}' to close '{'");
    check_error("bd(3,8", W, 7, "')' to close '(' at column 3");
    check_error("bd*", W, 4, "a number or a bracket");
    check_error("bd*2*2", W, 5, "unexpected '*'");
    check_error("bd . ", W, 5, "a step after '.'");
    check_error("_ bd", W, 1, "'_' must follow a step");
    check_error("bd!3@2", W, 5, "cannot follow '!'");
    check_error("bd ? sn", W, 6, "the end of the sequence");
    check_error("<>", W, 1, "needs at least one step");
    check_error("1.5", MINI_INT, 1, "an integer");
    check_error("a", MINI_TIME, 1, "a number");
    check_error("q r", MINI_BOOL, 1, "t, f, 1, 0 or x");
    check_error("c'", MINI_NOTES, 3, "a chord name");
    check_error("[bd, sn | hh]", W, 9, "']' to close '[' at column 1");

    tp_done();
    return test_done();
}
