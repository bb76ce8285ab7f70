/* test_library_last.c — the last functions of issue 15 as written in .ph programs: the tests of
 * ifp, when and whenT ((mod 4 == 0), (< 2), even ...), and the word joins |++ ++| |++|. Each
 * program's events equal those of the JSON case with the same meaning in tests/tidal/cases-last.jsonl
 * (checked against Tidal 1.7.10 itself by test_pattern_tidal); also the messages for tests misused. */
#define LIBRARY_EXPECTED "tests/tidal/expected-last.jsonl"
#include "test_library_util.h"

/* the program knows the sound a join makes (so that it plays, and is looked up in the bank) */
static void sound_known(const char *src, const char *word)
{
    CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
    CompileMsg msgs[8];
    int nmsgs = 0;
    Program *p = compile_program(src, strlen(src), &env, msgs, 8, &nmsgs);
    CHECK(p && program_sound(p, sym_info(sym_intern(word))->base) != NULL, src, "does not know the sound %s", word);
    program_free(p);
}

int main(void)
{
    /* tests */
    same_as_case("s \"hh hc\" $ ifp (mod 2 == 0) (striate 4) (# coarse \"24 48\")", "last-ifp-doc", 0, 3);
    same_as_case("s \"a b c\" $ ifp even (fast 2) rev", "last-ifp-even", 0, 4);
    same_as_case("s \"a b\" $ ifp (< 2) (ply 2) id", "last-ifp-lt", 0, 4);
    same_as_case("s \"a b\" $ ifp (2 <) (ply 2) rev", "last-ifp-flip", 0, 4);
    same_as_case("s \"a b c d\" $ ifp (mod 3 /= 1) (iter 4) (fast 2)", "last-ifp-ne", 0, 6);
    same_as_case("s \"a b\" $ when odd (fast 2)", "last-when-odd", 0, 4);
    same_as_case("s \"bd sn\" $ when (>= 2) (# speed 2)", "last-when-ge", 0, 4);
    same_as_case("slow 2 $ whenT (mod 1 == 0.5) rev $ s \"a b c d\"", "last-whenT-slow", 0, 3);
    same_as_case("n \"0 1\" $ whenT (mod 2 < 1/3) (|+ n 10) $ slow 3", "last-whenT-third", 0, 6);
    same_as_case("s \"a b\" $ whenT (mod' 1 >= 0.5) (fast 2) $ (0.25 ~>)", "last-whenT-shift", 0, 3);

    /* word joins */
    same_as_case("s \"drum*2\" |++ s \"1 2 3\"", "last-join-s", 0, 2);
    same_as_case("s \"drum sn\" ++| s \"1 2 3\"", "last-join-s-right", 0, 2);
    same_as_case("s \"bd sn\" |++| s \"<x y>*3\"", "last-join-s-both", 0, 2);
    same_as_case("s \"drum*2\" # speed 2 |++ n \"1 2\"", "last-join-map-union", 0, 2);
    same_as_case("s (\"a b\" |++ \"<x y> z\")", "last-join-left-s", 0, 2);
    same_as_case("s (\"a\" |++ \"b c\" |++ \"d\")", "last-join-two-s", 0, 2);
    same_as_case("s \"a b\" $ every 2 (|++ s \"x\")", "last-join-every-s", 0, 3);
    same_as_case("s \"bd sn\" $ striate 2 |++ s \"<1 2>\"", "last-join-striate", 0, 2);
    sound_known("d1 $ s \"drum\" |++ s \"<1 2>\"\n", "drum2");
    sound_known("d1 $ s (\"bd\" |++ \"<1 2>\")\n", "bd1");
    sound_known("d1 $ s \"hh*2\" $ every 2 (|++ s \"27\")\n", "hh27");
    error_is("d1 $ s \"bd\" |++ \"x\"\n",
             "1:13: '|++' joins words of the same kind: two patterns of words (\"drum\" |++ \"2\") or two event chains (s \"drum\" |++ s \"2\")");
    error_is("d1 $ s (\"a\" |++ 1)\n", "1:13: '|++' joins words: it needs patterns of words or event chains, found a number");
    char big[2048], words[700];
    int k = 0;
    for (int i = 0; i < 70; i++) k += snprintf(words + k, sizeof words - (size_t)k, "%sw%d", i ? " " : "", i);
    snprintf(big, sizeof big, "d1 $ s (\"%s\" |++ \"%s\")\n", words, words);
    char want[200];
    snprintf(want, sizeof want, "1:%d: '|++' would make more than 4096 words (70 on the left, 70 on the right)", 12 + k);
    error_is(big, want);

    /* the audit's additions */
    same_as_case("s \"bd sn\" $ spreadChoose fast [1, 2, 3]", "last-spreadChoose", 0, 6);
    same_as_case("s \"bd sn hh\" $ contrast (# speed 2) (# crush 4) (s \"sn\")", "last-contrast", 0, 2);
    same_as_case("s \"bd sn\" $ striate' 2 0.25", "last-striate'", 0, 2);
    same_as_case("s \"bd sn\" $ stut' 3 (1/8) (# speed 2)", "last-stut'", 0, 2);
    same_as_case("s \"bev\" $ smash' 3 [2, 3]", "last-smash'", 0, 5);
    same_as_case("seqPLoop [(1, 2, s \"bd*2\"), (2, 4, s \"hh*3\")]", "last-seqPLoop", 0, 6);
    sound_known("d1 $ s (fit 1 [\"bd\", \"sn\", \"arpy\"] \"0 [1 2]\")\n", "sn");
    /* s of an expression: the words of what can become its values are its sounds (they played nothing) */
    sound_known("d1 $ s (fast 2 \"bd sn\")\n", "sn");
    sound_known("~b: \"hh cp\"\nd1 $ s (every 2 rev ~b)\n", "cp");
    sound_known("d1 $ s (struct \"t f t t\" \"bd\")\n", "bd");
    {
        const char *src = "d1 $ s (struct \"t f t t\" \"bd\")\n";
        CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
        CompileMsg msgs[8];
        int nmsgs = 0;
        Program *p = compile_program(src, strlen(src), &env, msgs, 8, &nmsgs);
        CHECK(p && program_sound(p, sym_intern("t")) == NULL, "struct's booleans are not sounds", "t is a sound");
        program_free(p);
    }
    error_is("d1 $ s \"bd\" $ fit 1 [\"0 1\"] \"0\"\n", "1:22: expected a plain value (a number or a word) in this list, found a pattern of several");

    /* Tidal's list forms of stack and cat */
    same_as_case("fastCat [s \"bd sn\", s \"hh*3\", s \"cp\"]", "last-fastCat", 0, 2);
    same_as_case("slowCat [s \"bd sn\", s \"hh*3\", s \"cp\"]", "last-slowCat", 0, 4);
    same_as_case("cat [s \"bd sn\", s \"hh*3\", s \"cp\"]", "last-cat-list", 0, 4);
    same_as_case("stack [s \"bd sn\", s \"hh*3\", s \"cp\"]", "last-stack-list", 0, 2);
    same_as_case("randcat [s \"bd sn\", s \"hh*3\", s \"cp\"]", "last-randcat-list", 0, 6);
    same_as_case("s \"bd\" $ fastAppend (s \"sn*2\")", "last-fastAppend", 0, 2);
    error_is("d1 $ cat [s \"bd\", sine 2]\n", "1:6: cat joins patterns; signals can only be mixed (mix, +)");

    /* tests where they do not belong */
    error_is("d1 $ s \"bd\" $ ifp (fast 2) rev id\n",
             "1:20: expected a test here: even, odd, (< 4), (>= 0.5), (mod 4 == 0), (mod 8 /= 7)");
    error_is("d1 $ s \"bd\" $ ifp (mod 0 == 1) rev id\n",
             "1:24: mod 0 takes the value modulo 0 (Haskell raises an error: a division by zero)");
    error_is("d1 $ s \"bd\" $ whenT (< \"1 2\") rev\n", "1:24: expected a plain number in the test, found a pattern string");
    error_is("d1 $ s \"bd\" # gain (1 < 2)\n",
             "1:21: '<' compares: it makes a test, which only ifp, when and whenT take (ifp (mod 4 == 0) (fast 2) rev)");
    error_is("d1 $ s \"bd\" $ every 2 (> 1)\n",
             "1:23: '>' compares: it makes a test, which only ifp, when and whenT take (ifp (mod 4 == 0) (fast 2) rev)");
    return test_done();
}
