/* test_library.c — Tidal's wider library as written in .ph programs: each program's events equal
 * the events of the JSON case with the same meaning in tests/tidal/cases-library.jsonl (those are
 * checked against Tidal 1.7.10 itself by test_pattern_tidal), so the language's forms for lists,
 * tuples and spread's functions mean what Tidal's do. Also the messages for lists misused. */
#define LIBRARY_EXPECTED "tests/tidal/expected-library.jsonl"
#include "test_library_util.h"

int main(void)
{
    /* lists, tuples and spread's functions */
    same_as_case("s \"bd sn\" $ spread fast [1, 2, 1.5]", "lib-spread-fast", 0, 3);
    same_as_case("s \"bd sn\" $ spread chop [2, 3]", "lib-spread-chop", 0, 2);
    same_as_case("timeCat [(1, s \"bd*4\"), (1, s \"hh27*8\"), (1, s \"superpiano\")]", "lib-timeCat", 0, 2);
    same_as_case("squeeze \"<0 [1 0]>\" [s \"bd sn\", s \"hh*3\"]", "lib-squeeze", 0, 2);
    same_as_case("s \"ho ho:2\" $ smash 3 [2, 3, 4]", "lib-smash", 0, 3);
    same_as_case("seqP [(0, 2, s \"bd*2\"), (1, 3, s \"hh*3\"), (2, 4, s \"sn\")]", "lib-seqP", 0, 5);
    same_as_case("weave 4 (pan \"0 0.25 0.5 0.75\") [s \"bd sn\", s \"hh*4\", s \"cp\"]", "lib-weave", 0, 2);
    same_as_case("wrandcat [(s \"bd sn\", 2), (s \"[cp cp]*2\", 1)] $ fast 2", "lib-wrandcat-ctl", 0, 4);
    same_as_case("ur 2 \"<a:double b> a:faster\" [(\"a\", s \"bd sn\"), (\"b\", s \"hh*3\")] "
                 "[(\"double\", fast 2), (\"faster\", hurry 2)]", "lib-ur-fn", 0, 4);
    /* the rest of the library in programs */
    same_as_case("s \"bev*4\" $ slice 4 \"0 1 2 3\"", "lib-slice-1", 0, 2);
    same_as_case("(s \"bev\" # speed 2) $ splice 8 \"0 [1 2]\"", "lib-splice-speed", 0, 2);
    same_as_case("s \"break\" $ chop 4 $ loopAt 2", "lib-loopAt-chop", 0, 2);
    same_as_case("s \"bd sn\" $ stutter 4 (1/16)", "lib-stutter-4", 0, 2);
    same_as_case("s \"bd sn hh\" $ spin \"<1 3>\"", "lib-spin-pat", 0, 2);
    same_as_case("s \"bd ~ sn ~\" $ ghost", "lib-ghost", 0, 2);
    same_as_case("s \"bd sn\" $ plyWith 3 (|* gain 0.8)", "lib-plyWith-3", 0, 2);
    same_as_case("s \"bd*2\" $ wedge (1/4) (s \"hh*3\")", "lib-wedge-quarter", 0, 2);
    same_as_case("s \"bd\" $ stitch \"t f [t t] f\" (s \"hh\")", "lib-stitch", 0, 2);
    same_as_case("s \"bd sn\" $ juxcut rev", "lib-juxcut", 0, 2);
    same_as_case("s \"bd sn hh\" $ jux4 (fast 2)", "lib-jux4", 0, 2);

    /* lists where they do not belong */
    error_is("d1 $ s \"bd\" # n [1, 2]\n",
             "1:15: a list [...] is an argument of the functions that take lists (choose, spread, timeCat, squeeze ...), not a value of its own");
    error_is("d1 $ timeCat [1, 2]\n", "1:15: each item of timeCat's list is a tuple of 2: (a, b)");
    error_is("d1 $ n (choose 1) # s \"x\"\n",
             "1:16: choose takes a list here, in brackets: choose [x, y ...]: a random one of the values, continuously");
    error_is("d1 $ n (choose [0, \"0 1\"]) # s \"x\"\n",
             "1:20: expected a plain value (a number or a word) in this list, found a pattern of several");
    error_is("d1 $ n (1, 2)\n", "1:8: a tuple (a, b) is an item of a list argument ([(1, s \"bd\"), (2, s \"sn\")]), not a value of its own");
    error_is("d1 $ s \"bd\" $ spread fast [1, 2\n", "1:27: unbalanced '[': no ']' before the end of the statement");
    error_is("d1 $ n (choose [0, 2) # s \"x\"\n", "1:21: expected ',' or ']' to close the '[' at 1:16, found ')'");
    error_is("d1 $ s \"bd\" $ spread 3 [1]\n", "1:22: spread's function is a name or a call missing its last argument: spread fast [1, 2]");
    return test_done();
}
