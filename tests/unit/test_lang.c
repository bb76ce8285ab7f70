/* test_lang.c — the .ph lexer and parser: statements, line joining, precedence, sections,
 * numbers, positions, error messages and recovery, and a fuzz loop that must never crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "test.h"

static Arena arena;
static char fmtbuf[4096];
static int fuzz_bad;
static int text_reparses(const Stmt *st);

/* Parse a whole program (the arena is reset first). Returns the number of errors. */
static int parse(const char *src, AstProgram *prog, LangError *errs, int maxerrs)
{
    arena_free(&arena);
    return lang_parse(src, strlen(src), &arena, prog, errs, maxerrs);
}

/* Parse `~t $ <expr>` and return the expression formatted, or "error L:C: message". */
static const char *ex(const char *expr)
{
    char src[2048];
    snprintf(src, sizeof src, "~t $ %s", expr);
    AstProgram prog;
    LangError err;
    if (parse(src, &prog, &err, 1)) {
        snprintf(fmtbuf, sizeof fmtbuf, "error %d:%d: %s", err.line, err.col - 5, err.msg);
        return fmtbuf;
    }
    if (prog.nstmts != 1) return "wrong statement count";
    lang_format(prog.stmts[0].expr, fmtbuf, sizeof fmtbuf);
    return fmtbuf;
}

/* The expression of a one-statement program, or NULL. */
static const AstNode *expr_of(const char *src)
{
    AstProgram prog;
    LangError err;
    if (parse(src, &prog, &err, 1) || prog.nstmts != 1) return NULL;
    return prog.stmts[0].expr;
}

/* The first error of a program, as "L:C: message" (or "no error"). */
static const char *err_of(const char *src)
{
    AstProgram prog;
    LangError err;
    if (!parse(src, &prog, &err, 1)) return "no error";
    snprintf(fmtbuf, sizeof fmtbuf, "%d:%d: %s", err.line, err.col, err.msg);
    return fmtbuf;
}

static void test_statements(void)
{
    AstProgram p;
    LangError e[4];
    const char *src =
        "bpm: 120 \"4/4\"\n"
        "tempo: 0.5\n"
        "cps:2\n"
        "~lfo: sine 0.25\n"
        "~d1 $ s \"bd\"\n"
        "out: ~lfo\n"
        "out $ saw 55\n"
        "d1 $ s \"sn\"\n"
        "d16: s \"hh\"\n"
        "o2 $ s \"cp\"\n"
        "out3: s \"arpy\"\n"
        "  hush  \n"
        "panic -- all of it\n"
        "~a'b_2 : saw\n";
    CHECK_INT(parse(src, &p, e, 4), 0, "statements: no errors");
    CHECK_INT(p.nerrors, 0, "statements: nerrors 0");
    CHECK_INT(p.nstmts, 14, "statements: fourteen");
    if (p.nstmts != 14) return;
    Stmt *s = p.stmts;
    CHECK_INT(s[0].kind, STMT_TEMPO, "bpm: kind");
    CHECK_INT(s[0].unit, TEMPO_BPM, "bpm: unit");
    CHECK_NEAR(s[0].value, 120, 0, "bpm: value");
    CHECK_INT(s[0].value_col, 6, "bpm: value_col");
    CHECK_STR(s[0].text, "bpm: 120 \"4/4\"", "bpm: text");
    CHECK_INT(s[1].unit, TEMPO_CPS, "tempo: unit");
    CHECK_NEAR(s[1].value, 0.5, 0, "tempo: value");
    CHECK_INT(s[2].unit, TEMPO_CPS, "cps: unit");
    CHECK_NEAR(s[2].value, 2, 0, "cps: value");
    CHECK_INT(s[2].value_col, 5, "cps: value_col");
    CHECK_INT(s[3].kind, STMT_BUS, "~lfo: is a bus");
    CHECK_STR(s[3].name, "lfo", "~lfo: name");
    CHECK_INT(s[3].line, 4, "~lfo: line");
    CHECK_INT(s[3].col, 1, "~lfo: col");
    CHECK_INT(s[4].kind, STMT_BUS, "~d1 $ is a bus");
    CHECK_STR(s[4].name, "d1", "~d1 $: name");
    const char *outs[] = {"out", "out", "d1", "d16", "o2", "out3"};
    for (int i = 0; i < 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "statement %d is STMT_OUT %s", i + 5, outs[i]);
        CHECK(s[i + 5].kind == STMT_OUT && strcmp(s[i + 5].name, outs[i]) == 0, name, "kind %d name %s",
              s[i + 5].kind, s[i + 5].name ? s[i + 5].name : "(null)");
    }
    CHECK_INT(s[11].kind, STMT_HUSH, "hush");
    CHECK_INT(s[11].col, 3, "hush: col");
    CHECK_STR(s[11].text, "hush", "hush: text trimmed");
    CHECK_INT(s[12].kind, STMT_PANIC, "panic with a comment");
    CHECK_STR(s[12].text, "panic", "panic: text without the comment");
    CHECK_STR(s[13].name, "a'b_2", "bus name with ' and _");
    lang_format(s[3].expr, fmtbuf, sizeof fmtbuf);
    CHECK_STR(fmtbuf, "(sine 0.25)", "~lfo: expression");
    lang_format(s[5].expr, fmtbuf, sizeof fmtbuf);
    CHECK_STR(fmtbuf, "~lfo", "out: a bus reference");
}

static void test_statement_head(void)
{
    struct { const char *line; int head; } cases[] = {
        {"~a: saw", 1}, {"~a $ saw", 1}, {"  ~a  :saw", 1}, {"~a # saw", 0}, {"~ a: saw", 0},
        {"out: x", 1}, {"out $ x", 1}, {"out x", 0}, {"output: x", 0}, {"out1: x", 1},
        {"d1 $ x", 1}, {"d16: x", 1}, {"d: x", 0}, {"o3 $ x", 1}, {"o $ x", 0}, {"d1x $ x", 0},
        {"bpm: 120", 1}, {"bpm 120", 0}, {"bpm $ 120", 0}, {"tempo:1", 1}, {"cps: 1", 1},
        {"hush", 1}, {"  hush  ", 1}, {"hush -- now", 1}, {"hush 1", 0}, {"panic", 1}, {"panic!", 0},
        {"  # lpf 300", 0}, {"fast 2 $ x", 0}, {"", 0}, {"-- comment", 0}, {"\t~x\t$\t1", 1},
        {"hush\n~a $ 1", 1}, {"x\nd1 $ 1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[80];
        snprintf(name, sizeof name, "statement head: \"%s\"", cases[i].line);
        for (char *c = name; *c; c++) if (*c == '\n') *c = '|';
        CHECK_INT(lang_is_statement_head(cases[i].line, strlen(cases[i].line)), cases[i].head, name);
    }
    CHECK_INT(lang_is_statement_head("hush now", 4), 1, "statement head: only len bytes are read");
}

static void test_line_joining(void)
{
    AstProgram p;
    LangError e[4];
    const char *src =
        "-- a comment before anything\n"
        "\n"
        "~drums $ s \"bd -- not a comment\"  -- a comment\n"
        "  -- a comment inside the statement\n"
        "\n"
        "    # gain 0.8\n"
        "\t# speed \"1 2\"\n"
        "d1 $ ~drums\n";
    CHECK_INT(parse(src, &p, e, 4), 0, "joining: no errors");
    CHECK_INT(p.nstmts, 2, "joining: two statements");
    if (p.nstmts != 2) return;
    CHECK_STR(p.stmts[0].text, "~drums $ s \"bd -- not a comment\" # gain 0.8 # speed \"1 2\"", "joining: text");
    lang_format(p.stmts[0].expr, fmtbuf, sizeof fmtbuf);
    CHECK_STR(fmtbuf, "(((s \"bd -- not a comment\") # (gain 0.8)) # (speed \"1 2\"))", "joining: tree");
    const AstNode *x = p.stmts[0].expr;                         /* (... # speed "1 2") */
    CHECK_INT(x->line, 3, "joining: chain starts on line 3");
    CHECK_INT(x->col, 10, "joining: chain starts at col 10");
    CHECK_INT(x->end_line, 7, "joining: chain ends on line 7");
    CHECK_INT(x->end_col, 15, "joining: chain ends after the string");
    CHECK_INT(x->op_line, 7, "joining: the last # is on line 7");
    CHECK_INT(x->op_col, 2, "joining: the last # is at col 2 (after a tab)");
    const AstNode *speed = x->args[1];
    CHECK_INT(speed->line, 7, "joining: speed on line 7");
    CHECK_INT(speed->col, 4, "joining: speed at col 4");
    CHECK_INT(speed->args[0]->col, 10, "joining: string col is its opening quote");
    const AstNode *gain = x->args[0]->args[1];
    CHECK_INT(gain->line, 6, "joining: gain on line 6");
    CHECK_INT(gain->col, 7, "joining: gain at col 7");
    CHECK_INT(p.stmts[1].line, 8, "joining: next statement line");
    CHECK_STR(p.stmts[1].text, "d1 $ ~drums", "joining: next statement text");
    Stmt first = p.stmts[0];
    CHECK(text_reparses(&first), "joining: the joined text parses to the same statement");

    /* CRLF line ends and a file without a final newline */
    CHECK_INT(parse("~a $ saw 1\r\n  # lpf 300\r\nout: ~a", &p, e, 4), 0, "CRLF: no errors");
    CHECK_INT(p.nstmts, 2, "CRLF: two statements");
    if (p.nstmts == 2) {
        CHECK_STR(p.stmts[0].text, "~a $ saw 1 # lpf 300", "CRLF: text without \\r");
        CHECK_INT(p.stmts[0].expr->end_col, 12, "CRLF: end col before \\r");
    }
    CHECK_INT(parse("", &p, e, 4), 0, "empty program: no errors");
    CHECK_INT(p.nstmts, 0, "empty program: no statements");
    CHECK_INT(parse("-- only\n\n   \n-- comments", &p, e, 4), 0, "only comments: no errors");
    CHECK_INT(p.nstmts, 0, "only comments: no statements");
}

static void test_precedence(void)
{
    struct { const char *in, *out; } cases[] = {
        /* level 1: # and the structure operators, left-associative together */
        {"s \"bd*4\" # n \"<0 1>\" |+ n 1", "(((s \"bd*4\") # (n \"<0 1>\")) |+ (n 1))"},
        {"a # b # c", "((a # b) # c)"},
        {"a |+ b +| c |+| d", "(((a |+ b) +| c) |+| d)"},
        {"a |- b -| c |* d *| e", "((((a |- b) -| c) |* d) *| e)"},
        {"a |/ b /| c |% d %| e", "((((a |/ b) /| c) |% d) %| e)"},
        {"a |> b >| c |< d <| e", "((((a |> b) >| c) |< d) <| e)"},
        {"a |-| b |*| c |/| d |%| e |>| f |<| g", "((((((a |-| b) |*| c) |/| d) |%| e) |>| f) |<| g)"},
        /* level 2: $ is flat, below the arithmetic, above # */
        {"x $ fast 2 $ rev", "(x $ (fast 2) $ rev)"},
        {"fast 2 $ s \"bd\"", "((fast 2) $ (s \"bd\"))"},
        {"s \"bd\" $ fast 2 # gain 0.5", "(((s \"bd\") $ (fast 2)) # (gain 0.5))"},
        {"a # b $ c", "(a # (b $ c))"},
        {"a $ b + c $ d", "(a $ (b + c) $ d)"},
        /* level 3: <~ ~>, then + -, then * / %, then unary - */
        {"0.25 <~ x", "(0.25 <~ x)"},
        {"\"<0 0.25>\" ~> s \"bd*2\"", "(\"<0 0.25>\" ~> (s \"bd*2\"))"},
        {"a <~ b ~> c", "((a <~ b) ~> c)"},
        {"1 + 2 <~ x", "((1 + 2) <~ x)"},
        {"a <~ b $ c", "((a <~ b) $ c)"},
        {"a + b * c", "(a + (b * c))"},
        {"a * b + c", "((a * b) + c)"},
        {"a - b - c", "((a - b) - c)"},
        {"a / b / c % d", "(((a / b) / c) % d)"},
        {"a + b - c", "((a + b) - c)"},
        {"-a * b", "((- a) * b)"},
        {"- - a", "(- (- a))"},
        {"a * -b", "(a * (- b))"},
        {"a - -b", "(a - (- b))"},
        {"(a + b) * c", "((a + b) * c)"},
        {"saw 55 # lpf 500 1.2 * 0.25", "((saw 55) # ((lpf 500 1.2) * 0.25))"},
        {"sine 440 * 0.5 + sine 660 * 0.25", "(((sine 440) * 0.5) + ((sine 660) * 0.25))"},
        /* calls */
        {"saw", "saw"},
        {"lpf 800 0.7", "(lpf 800 0.7)"},
        {"jux rev", "(jux rev)"},
        {"every 3 (fast 2)", "(every 3 (fast 2))"},
        {"every 3 (# speed 2) $ s \"bd\"", "((every 3 (# (speed 2))) $ (s \"bd\"))"},
        {"gain ~lfo", "(gain ~lfo)"},
        {"f \"a\" ~b c (d) 1", "(f \"a\" ~b c d 1)"},
        {"f (g (h 1))", "(f (g (h 1)))"},
        {"~a + ~b", "(~a + ~b)"},
        {"\"0 2\" + \"<12 7>\"", "(\"0 2\" + \"<12 7>\")"},
        {"s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"", "((s \"~synth(3,17,1)\") # (note \"<c'min7 g'min7>\"))"},
        {"every' 3 0 (fast 2)", "(every' 3 0 (fast 2))"},
        {"_x", "_x"},
        {"x-1", "(x - 1)"},
        {"x - 1", "(x - 1)"},
        {"a+b*c", "(a + (b * c))"},
        {"a#b", "(a # b)"},
        {"((((x))))", "x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[120];
        snprintf(name, sizeof name, "format: %s", cases[i].in);
        CHECK_STR(ex(cases[i].in), cases[i].out, name);
    }
}

static void test_sections_and_compose(void)
{
    struct { const char *in, *out; } cases[] = {
        {"(# speed 2)", "(# (speed 2))"},
        {"(|+ n 12)", "(|+ (n 12))"},
        {"(+ speed 1)", "(+ (speed 1))"},
        {"(* 2)", "(* 2)"},
        {"(/ 2)", "(/ 2)"},
        {"(0.25 <~)", "(0.25 <~)"},
        {"(1/8 ~>)", "((1 / 8) ~>)"},
        {"(\"<0 0.25>\" <~)", "(\"<0 0.25>\" <~)"},
        {"(2 *)", "(2 *)"},
        {"(1 -)", "(1 -)"},
        {"(<~ 0.25)", "(<~ 0.25)"},
        {"(# lpf 300 $ fast 2)", "(# ((lpf 300) $ (fast 2)))"},
        {"(+ 1 * 2)", "(+ (1 * 2))"},
        /* more operators after a section's operand: a composition, the last applies last */
        {"(# speed 2 # gain 0.8)", "((# (gain 0.8)) . (# (speed 2)))"},
        {"(* 2 + 1)", "((+ 1) . (* 2))"},
        {"(# n 1 |+ n 2 |* n 3)", "((|* (n 3)) . (|+ (n 2)) . (# (n 1)))"},
        /* (- x) is negation, as in Haskell */
        {"(- 1)", "(- 1)"},
        {"(- x)", "(- x)"},
        {"(-x)", "(- x)"},
        /* composition */
        {"(fast 2 . rev)", "((fast 2) . rev)"},
        {"(rev . (# speed 2))", "(rev . (# (speed 2)))"},
        {"(fast 2 . rev . jux rev)", "((fast 2) . rev . (jux rev))"},
        {"(every 3 (fast 2) . (0.25 <~))", "((every 3 (fast 2)) . (0.25 <~))"},
        {"every 2 (fast 2 . rev) $ s \"bd\"", "((every 2 ((fast 2) . rev)) $ (s \"bd\"))"},
        {"(fast 2 $ rev)", "((fast 2) $ rev)"},
        {"(fast 2 . rev $ x)", "(((fast 2) . rev) $ x)"},
        {"x $ fast 2 . rev", "(x $ ((fast 2) . rev))"},
        {"(rev.fast 2)", "(rev . (fast 2))"},
        {"(fast 2.rev)", "((fast 2) . rev)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[120];
        snprintf(name, sizeof name, "section/compose: %s", cases[i].in);
        CHECK_STR(ex(cases[i].in), cases[i].out, name);
    }
    const AstNode *n = expr_of("~t $ (# speed 2)");
    CHECK(n && n->kind == AST_SECTION && n->hole_left == 1 && !strcmp(n->op, "#") && n->nargs == 1,
          "(# speed 2): a left section, hole_left 1");
    if (n) {
        CHECK_INT(n->col, 6, "(# speed 2): col of '('");
        CHECK_INT(n->end_col, 17, "(# speed 2): end after ')'");
        CHECK_INT(n->op_col, 7, "(# speed 2): op col");
    }
    n = expr_of("~t $ (0.25 <~)");
    CHECK(n && n->kind == AST_SECTION && n->hole_left == 0 && !strcmp(n->op, "<~") &&
          n->args[0]->kind == AST_NUM, "(0.25 <~): a right section, hole_left 0");
    n = expr_of("~t $ (fast 2 . rev)");
    CHECK(n && n->kind == AST_COMPOSE && n->nargs == 2 && n->args[0]->kind == AST_CALL &&
          n->args[1]->kind == AST_NAME, "(fast 2 . rev): AST_COMPOSE [call, name]");
    if (n) CHECK_INT(n->op_col, 14, "(fast 2 . rev): op col is the '.'");
    n = expr_of("~t $ (fast 2 $ rev)");
    CHECK(n && n->kind == AST_DOLLAR && n->nargs == 2, "(fast 2 $ rev): AST_DOLLAR in parentheses");
    n = expr_of("~t $ x $ fast 2 $ rev");
    CHECK(n && n->kind == AST_DOLLAR && n->nargs == 3 && !strcmp(n->op, "$"), "x $ fast 2 $ rev: flat, 3 args");
    n = expr_of("~t $ (# speed 2 # gain 0.8)");
    CHECK(n && n->kind == AST_COMPOSE && n->nargs == 2 && n->args[0]->kind == AST_SECTION &&
          n->args[1]->kind == AST_SECTION && n->args[0]->hole_left && n->args[1]->hole_left,
          "(# a # b): compose of two left sections");
}

static void test_numbers(void)
{
    struct { const char *in; double v; const char *text; } cases[] = {
        {"1", 1, "1"}, {"0.5", 0.5, "0.5"}, {".5", 0.5, ".5"}, {"2e3", 2000, "2e3"},
        {"1.5e-3", 0.0015, "1.5e-3"}, {"1E+2", 100, "1E+2"}, {".25e1", 2.5, ".25e1"},
        {"007", 7, "007"}, {"-0.5", -0.5, "-0.5"}, {"-.5", -0.5, "-.5"}, {"-2e3", -2000, "-2e3"},
        {"123456789012", 123456789012.0, "123456789012"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[64], name[80];
        snprintf(src, sizeof src, "~t $ %s", cases[i].in);
        const AstNode *n = expr_of(src);
        snprintf(name, sizeof name, "number %s", cases[i].in);
        CHECK(n && n->kind == AST_NUM && n->num == cases[i].v && !strcmp(n->text, cases[i].text), name,
              "kind %d num %g text %s", n ? (int)n->kind : -1, n ? n->num : 0, n && n->text ? n->text : "-");
    }
    const AstNode *n = expr_of("~t $ range -1 1");
    CHECK(n && n->kind == AST_CALL && n->nargs == 2 && n->args[0]->kind == AST_NUM && n->args[0]->num == -1 &&
          !strcmp(n->args[0]->text, "-1"), "range -1 1: a negative literal argument");
    if (n) {
        CHECK_INT(n->args[0]->col, 12, "range -1 1: literal col is the '-'");
        CHECK_INT(n->args[0]->end_col, 14, "range -1 1: literal end col");
    }
    struct { const char *in, *out; } neg[] = {
        {"range -1 1", "(range -1 1)"},
        {"line -1 1", "(line -1 1)"},
        {"range (-1) 1", "(range -1 1)"},
        {"range -.5 .5", "(range -.5 .5)"},
        {"x -1", "(x -1)"},                 /* an argument: x is called with -1 */
        {"x - 1", "(x - 1)"},
        {"x-1", "(x - 1)"},
        {"x -y", "(x - y)"},
        {"-x", "(- x)"},
        {"2 -1", "(2 - 1)"},                /* a number takes no arguments: binary minus */
        {"\"1 2\" -1", "(\"1 2\" - 1)"},
        {"(x) -1", "(x - 1)"},
        {"-1", "-1"},
        {"- 1", "(- 1)"},
        {"a * -1", "(a * -1)"},
        {"a*-1", "(a * (- 1))"},
        {"sine 1 + -0.5", "((sine 1) + -0.5)"},
        {"range -1 1 $ sine 0.5", "((range -1 1) $ (sine 0.5))"},
        {"(-1 <~)", "(-1 <~)"},
    };
    for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
        char name[80];
        snprintf(name, sizeof name, "negative: %s", neg[i].in);
        CHECK_STR(ex(neg[i].in), neg[i].out, name);
    }
    /* continuation lines start after a blank, so a '-' there may start a literal */
    n = expr_of("~t $ range\n  -1 1");
    CHECK(n && n->kind == AST_CALL && n->nargs == 2 && n->args[0]->num == -1 && n->args[0]->line == 2 &&
          n->args[0]->col == 3, "negative literal at the start of a continuation line");
    CHECK_STR(ex("fast 2x"), "error 1:6: malformed number '2x'", "malformed number 2x");
    CHECK_STR(ex("1.2.3"), "error 1:1: malformed number '1.2.3'", "malformed number 1.2.3");
    CHECK_STR(ex("2e"), "error 1:1: malformed number '2e'", "malformed number 2e");
    CHECK_STR(ex("1e999"), "error 1:1: number out of range '1e999'", "number out of range");
}

static void test_positions(void)
{
    const AstNode *n = expr_of("~a $ s \"bd*2\" # n 3 + 1");
    if (!n) { CHECK(0, "positions: parse"); return; }
    CHECK_INT(n->kind, AST_BINOP, "positions: top is #");
    CHECK_INT(n->col, 6, "positions: # node starts at s");
    CHECK_INT(n->op_col, 15, "positions: # at col 15");
    CHECK_INT(n->end_col, 24, "positions: # node ends after 1");
    CHECK_INT(n->height, 4, "positions: height 4");
    const AstNode *s = n->args[0];
    CHECK_INT(s->col, 6, "positions: s col");
    CHECK_INT(s->end_col, 14, "positions: s ends after its string");
    CHECK_INT(s->args[0]->col, 8, "positions: string col = quote");
    CHECK_STR(s->args[0]->text, "bd*2", "positions: string text without quotes");
    const AstNode *plus = n->args[1];
    CHECK_INT(plus->col, 17, "positions: + node starts at n");
    CHECK_INT(plus->op_col, 21, "positions: + at col 21");
    n = expr_of("~a $ ~lfo");
    CHECK(n && n->kind == AST_BUS && !strcmp(n->text, "lfo") && n->col == 6 && n->end_col == 10,
          "positions: bus col is the '~', text without it");
    n = expr_of("~a $ (fast 2 $ rev)");
    CHECK(n && n->col == 7 && n->end_col == 19, "positions: parentheses are not part of the node");
    n = expr_of("~a $ - x");
    CHECK(n && n->kind == AST_NEG && n->col == 6 && n->op_col == 6, "positions: NEG at the '-'");
}

static void test_errors(void)
{
    struct { const char *src, *err; } cases[] = {
        {"~a $ s \"bd\" # )", "1:15: expected an expression after '#', found ')'"},
        {"~a $ s \"bd\" #", "1:14: expected an expression after '#', found the end of the statement"},
        {"~a $ (# )", "1:9: expected an expression after '#', found ')'"},
        {"~a $ s \"bd", "1:8: unterminated string (started here)"},
        {"~a $ s \"bd -- oops", "1:8: unterminated string (started here)"},
        {"~a $ s \"bd\")", "1:12: unbalanced ')'"},
        {"~a $ (s \"bd\"", "1:6: unbalanced '(': no ')' before the end of the statement"},
        {"~a $ (s \"bd\" : 1)", "1:14: expected ')' to close the '(' at 1:6, found ':'"},
        {"bpm: fast", "1:6: 'bpm:' needs a number, found 'fast'"},
        {"bpm:", "1:5: 'bpm:' needs a number, found the end of the statement"},
        {"tempo: -1", "1:8: 'tempo:' needs a positive number, found '-1'"},
        {"bpm: 120 \"four\"", "1:10: a time signature looks like \"4/4\", found \"four\""},
        {"cps: 1 \"4/4\"", "1:8: expected the end of the statement after the tempo, found \"4/4\""},
        {"~a $ s \"bd\" @ 2", "1:13: unknown character '@'"},
        {"~a $ s \"bd\" é", "1:13: unknown character 'é'"},
        {"~a $ x \x01", "1:8: unknown character '\\x01'"},
        {"~a $ x | y", "1:8: unknown character '|'"},
        {"~a $ x & y", "1:8: unknown character '&'"},
        {"~a $ x ~ y", "1:8: expected a bus name after '~'"},
        {"fast 2 $ s \"bd\"", "1:1: " "a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic"},
        {"  x", "1:3: " "a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic"},
        {"~a $", "1:5: expected an expression after '~a $', found the end of the statement"},
        {"d1:", "1:4: expected an expression after 'd1:', found the end of the statement"},
        {"~a $ 3 4", "1:8: expected an operator or the end of the statement, found '4'"},
        {"~a $ \"bd\" \"sn\"", "1:11: expected an operator or the end of the statement, found \"sn\""},
        {"~a $ ()", "1:7: expected an expression after '(', found ')'"},
        {"~a $ (fast 2 $)", "1:15: expected an expression after '$', found ')'"},
        {"~a $ ($ x)", "1:7: expected an expression after '(', found '$'"},
        {"~a $ (. x)", "1:7: expected an expression after '(', found '.'"},
        {"~a $ (rev . # speed 2)", "1:13: expected an expression after '.', found '#' "
                                   "(a section needs its own parentheses: (rev . (# speed 2)))"},
        {"~a $ (+ 1 $ x)", "1:11: expected ')' to close the '(' at 1:6, found '$'"},
        {"~a $ x -", "1:9: expected an expression after '-', found the end of the statement"},
        {"hush now", "1:1: " "a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic"},
        {"hush\n  s \"bd\"", "2:3: expected the end of the statement after 'hush', found 's'"},
        {"d17 $ s \"bd\"", "1:1: tracks are d1 to d16, found 'd17'"},
        {"d0 $ s \"bd\"", "1:1: track numbers start at 1, found 'd0'"},
        {"o01 $ s \"bd\"", "1:1: write 'o1', not 'o01'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[160];
        snprintf(name, sizeof name, "error: %s", cases[i].src);
        for (char *c = name; *c; c++) if (*c == '\n') *c = '|';
        CHECK_STR(err_of(cases[i].src), cases[i].err, name);
    }
    /* positions on continuation lines and after comments */
    CHECK_STR(err_of("-- intro\n\n~a $ s \"bd\"  -- drums\n  -- more\n  # gain\n    # )"),
              "6:7: expected an expression after '#', found ')'", "error on a continuation line after comments");
    CHECK_STR(err_of("~a $ saw 3\nbmp: 120"), "2:1: unknown statement 'bmp:' (did you mean 'bpm:'?)",
              "error: a mistyped head is reported as a statement, with a suggestion");
    CHECK_STR(err_of("~a $ saw 3\nsaw 3 :"),
              "2:7: expected an operator or the end of the statement, found ':' (line 2 does not start with a "
              "statement head, so it continues the statement above)", "error: a line in column 1 continues, with a hint");
    CHECK_STR(err_of("~a $ x\n  # lpf )"), "2:9: unbalanced ')'", "error: unbalanced ')' on a continuation line");
    CHECK_STR(err_of("~a $ s \"bd\" # n (1 +\n  2"), "1:17: unbalanced '(': no ')' before the end of the statement",
              "error: an unclosed '(' points at the '('");
}

static void test_recovery(void)
{
    const char *src =
        "what is this\n"                  /* 1: not a statement */
        "  # lpf 300\n"                   /* skipped with it */
        "bpm: fast\n"                     /* 3: error */
        "~a $ s \"bd\" #\n"               /* 4: error */
        "~ok $ saw 1\n"                   /* 5: good */
        "~bad $ saw 1\n"                  /* 6: fails on its continuation line */
        "  # lpf )\n"
        "~b $ s \"x\n"                     /* 8: error */
        "  # gain 1\n"                    /* skipped with its statement */
        "out: ~b @\n"                     /* 10: error */
        "what is this\n"                  /* a continuation of line 10, skipped with it */
        "d1 $ s \"bd\"\n";                 /* 12: good */
    AstProgram p;
    LangError e[8];
    int n = parse(src, &p, e, 8);
    CHECK_INT(n, 6, "recovery: six errors reported");
    CHECK_INT(p.nerrors, 6, "recovery: nerrors");
    int lines[] = {1, 3, 4, 7, 8, 10};
    for (int i = 0; i < 6 && i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "recovery: error %d on line %d", i + 1, lines[i]);
        CHECK_INT(e[i].line, lines[i], name);
    }
    CHECK_INT(p.nstmts, 2, "recovery: the two good statements parsed");
    if (p.nstmts == 2) {
        CHECK_STR(p.stmts[0].name, "ok", "recovery: ~ok");
        CHECK_STR(p.stmts[1].name, "d1", "recovery: d1");
        CHECK_INT(p.stmts[1].line, 12, "recovery: d1 on line 12");
    }
    n = parse(src, &p, e, 2);
    CHECK_INT(n, 2, "recovery: at most maxerrs written");
    CHECK_INT(p.nerrors, 6, "recovery: nerrors counts them all");
    CHECK_INT(e[1].line, 3, "recovery: the first two are kept");
    n = parse(src, &p, NULL, 0);
    CHECK_INT(n, 0, "recovery: no error array");
    CHECK_INT(p.nerrors, 6, "recovery: nerrors without an error array");
}

static void test_qph(void)
{
    const char *src =
        "-- q.ph-like\n"
        "bpm: 120\n"
        "~synth $ saw # lpf 800 0.7\n"
        "~d1 $ s \"808bd(4,17)\" # n 3 # gain 1\n"
        "~d2 $ s \"808ht(4,17,<2 3 1 2>)\"\n"
        "~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"\n";
    AstProgram p;
    LangError e[4];
    CHECK_INT(parse(src, &p, e, 4), 0, "q.ph: no errors");
    CHECK_INT(p.nstmts, 5, "q.ph: five statements");
    if (p.nstmts != 5) return;
    CHECK(p.stmts[0].kind == STMT_TEMPO && p.stmts[0].unit == TEMPO_BPM && p.stmts[0].value == 120 &&
          p.stmts[0].line == 2, "q.ph: bpm: 120 on line 2");
    const char *names[] = {"synth", "d1", "d2", "d3"};
    const char *trees[] = {
        "(saw # (lpf 800 0.7))",
        "(((s \"808bd(4,17)\") # (n 3)) # (gain 1))",
        "(s \"808ht(4,17,<2 3 1 2>)\")",
        "((s \"~synth(3,17,1)\") # (note \"<c'min7 g'min7>\"))",
    };
    for (int i = 0; i < 4; i++) {
        const Stmt *st = &p.stmts[i + 1];
        char name[64];
        snprintf(name, sizeof name, "q.ph: ~%s is a bus on line %d", names[i], i + 3);
        CHECK(st->kind == STMT_BUS && !strcmp(st->name, names[i]) && st->line == i + 3 && st->col == 1, name);
        snprintf(name, sizeof name, "q.ph: ~%s tree", names[i]);
        lang_format(st->expr, fmtbuf, sizeof fmtbuf);
        CHECK_STR(fmtbuf, trees[i], name);
    }
    CHECK_STR(p.stmts[4].text, "~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"", "q.ph: ~d3 text");
    const AstNode *note = p.stmts[4].expr->args[1];
    CHECK(note->line == 6 && note->col == 28 && note->args[0]->col == 33, "q.ph: note and its string positions");
}

/* Nesting is bounded (the compiler and lang_format may recurse over a tree safely). */
static void test_limits(void)
{
    static char src[8192];
    char *w;
    for (int depth = LANG_MAX_DEPTH - 1; depth <= LANG_MAX_DEPTH + 1; depth += 2) {
        w = src + sprintf(src, "~t $ ");
        for (int i = 0; i < depth; i++) *w++ = '(';
        *w++ = 'x';
        for (int i = 0; i < depth; i++) *w++ = ')';
        *w = 0;
        char name[64];
        snprintf(name, sizeof name, "limits: %d nested parentheses %s", depth,
                 depth < LANG_MAX_DEPTH ? "parse" : "are an error");
        if (depth < LANG_MAX_DEPTH) CHECK_STR(err_of(src), "no error", name);
        else CHECK(strstr(err_of(src), "nested too deeply") != NULL, name, "%s", fmtbuf);
    }
    w = src + sprintf(src, "~t $ x");
    for (int i = 0; i < 1000; i++) w += sprintf(w, " + x");
    CHECK(strstr(err_of(src), "1:1: expression nested too deeply") == NULL &&
          strstr(fmtbuf, "nested too deeply") != NULL, "limits: a chain of 1000 '+' is too deep", "%s", fmtbuf);
    w = src + sprintf(src, "~t $ ");
    for (int i = 0; i < 1000; i++) w += sprintf(w, "- ");
    sprintf(w, "x");
    CHECK(strstr(err_of(src), "nested too deeply") != NULL, "limits: 1000 unary minus are too deep", "%s", fmtbuf);
    w = src + sprintf(src, "~t $ x");
    for (int i = 0; i < 1000; i++) w += sprintf(w, " $ f %d", i);
    const AstNode *n = expr_of(src);
    CHECK(n && n->kind == AST_DOLLAR && n->nargs == 1001 && n->height == 3, "limits: 1000 '$' stay flat");
    w = src + sprintf(src, "~t $ f");
    for (int i = 0; i < 1000; i++) w += sprintf(w, " %d", i);
    n = expr_of(src);
    CHECK(n && n->kind == AST_CALL && n->nargs == 1000, "limits: a call with 1000 arguments");
}

static void test_format_and_input(void)
{
    const AstNode *n = expr_of("~t $ s \"bd\" # n 3");
    char small[8];
    CHECK_INT(lang_format(n, small, sizeof small), 18, "format: returns the full length");
    CHECK_STR(small, "((s \"bd", "format: truncated and terminated");
    CHECK_INT(lang_format(n, NULL, 0), 18, "format: NULL buffer measures");
    /* the source need not be NUL-terminated: only len bytes are read */
    const char text[] = "~a $ 12345";
    char *exact = malloc(8);
    memcpy(exact, text, 8);                                     /* "~a $ 123", no NUL */
    AstProgram p;
    LangError e;
    arena_free(&arena);
    CHECK_INT(lang_parse(exact, 8, &arena, &p, &e, 1), 0, "input: exact-size buffer parses");
    CHECK(p.nstmts == 1 && p.stmts[0].expr->num == 123, "input: only len bytes are read");
    free(exact);
    arena_free(&arena);
    CHECK_INT(lang_parse("~a $ 1\0 2", 9, &arena, &p, &e, 1), 1, "input: a NUL byte is an error");
    CHECK_STR(e.msg, "unknown character '\\x00'", "input: NUL byte message");
}

/* ---- fuzz: random bytes and mutated programs must never crash and must give sane results ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static int tree_ok(const AstNode *n, int depth)
{
    if (!n || depth > LANG_MAX_DEPTH || n->line < 1 || n->col < 1 || n->end_line < n->line) return 0;
    if (n->height < 1 || n->height > LANG_MAX_DEPTH) return 0;
    int h = 0;
    for (int i = 0; i < n->nargs; i++) {
        if (!tree_ok(n->args[i], depth + 1)) return 0;
        if (n->args[i]->height > h) h = n->args[i]->height;
    }
    if (n->height != h + 1) return 0;
    switch (n->kind) {
    case AST_NUM: case AST_STR: case AST_BUS: case AST_NAME: return n->text && n->nargs == 0;
    case AST_CALL: return n->text && n->nargs > 0;
    case AST_BINOP: return n->nargs == 2 && n->op[0];
    case AST_NEG: case AST_SECTION: return n->nargs == 1;
    case AST_DOLLAR: case AST_COMPOSE: return n->nargs >= 2;
    case AST_LIST: return 1;
    case AST_TUPLE: return n->nargs >= 2;
    }
    return 0;
}

/* A statement's text is one statement that parses to the same thing (Pd replaces statements by it). */
static int text_reparses(const Stmt *st)
{
    static char f1[65536], f2[65536];
    Arena b;
    arena_init(&b);
    AstProgram q;
    LangError qe;
    int ok = lang_parse(st->text, strlen(st->text), &b, &q, &qe, 1) == 0 && q.nstmts == 1 &&
             q.stmts[0].kind == st->kind && q.stmts[0].value == st->value && q.stmts[0].unit == st->unit &&
             (!st->name) == (!q.stmts[0].name) && (!st->name || !strcmp(st->name, q.stmts[0].name));
    if (ok && st->expr) {
        lang_format(st->expr, f1, sizeof f1);
        lang_format(q.stmts[0].expr, f2, sizeof f2);
        ok = strcmp(f1, f2) == 0;
    }
    if (!ok && fuzz_bad < 3) printf("# text does not reparse: %s\n", st->text);
    arena_free(&b);
    return ok;
}

/* Parse buf[0..len) from an exact-size copy; check every result; round-trip the trees. */
static void fuzz_one(const char *buf, size_t len)
{
    char *copy = malloc(len ? len : 1);
    memcpy(copy, buf, len);
    int nlines = 1;             /* lines end at \n, \r\n or a lone \r */
    for (size_t i = 0; i < len; i++) nlines += buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'));
    Arena a;
    arena_init(&a);
    AstProgram p;
    LangError errs[4];
    int n = lang_parse(copy, len, &a, &p, errs, 4);
    int ok = n >= 0 && n <= 4 && p.nerrors >= n && (n == 4 || n == p.nerrors) && p.nstmts >= 0;
    for (int i = 0; ok && i < n; i++)
        ok = errs[i].line >= 1 && errs[i].line <= nlines && errs[i].col >= 1 && errs[i].msg[0] &&
             memchr(errs[i].msg, 0, sizeof errs[i].msg);
    for (int i = 0; ok && i < p.nstmts; i++) {
        const Stmt *st = &p.stmts[i];
        ok = st->text && st->line >= 1 && st->line <= nlines;
        if (ok && (st->kind == STMT_BUS || st->kind == STMT_OUT)) ok = st->name && tree_ok(st->expr, 0);
        if (ok) ok = text_reparses(st);
        if (!ok || (st->kind != STMT_BUS && st->kind != STMT_OUT) || st->expr->height > 60) continue;
        /* round trip: the formatted tree parses back and formats the same */
        static char f1[65536], f2[65536], src[65536 + 8];
        if (lang_format(st->expr, f1, sizeof f1) >= (int)sizeof f1) continue;
        snprintf(src, sizeof src, "~t $ %s", f1);
        Arena b;
        arena_init(&b);
        AstProgram q;
        LangError qe;
        ok = lang_parse(src, strlen(src), &b, &q, &qe, 1) == 0 && q.nstmts == 1;
        if (ok) { lang_format(q.stmts[0].expr, f2, sizeof f2); ok = strcmp(f1, f2) == 0; }
        if (!ok && fuzz_bad < 3) printf("# round trip: %s\n#   gives %s\n", f1, f2);
        arena_free(&b);
    }
    if (!ok && fuzz_bad++ < 3) printf("# fuzz input failed: %.*s\n", (int)len, buf);
    arena_free(&a);
    free(copy);
}

static void test_fuzz(void)
{
    static const char alphabet[] = "~$#:()\".-+*/%|<> \n\t0123456789abdeonsx_'";
    static const char *const dict[] = {
        "(", ")", "#", "$", "-", ".", "\"", "--", "\n", "~", "<~", "~>", "|+|", "+|", " ", "d1 $ ", "bpm:",
        "\n  ", "(# ", " . ", "-1", ".5", "2e3", "hush\n", "~a: ", "out $ ", "\"bd sn\"", "(0.25 <~)",
    };
    static const char *const corpus[] = {
        ("-- q.ph-like\nbpm: 120\n~synth $ saw # lpf 800 0.7\n~d1 $ s \"808bd(4,17)\" # n 3 # gain 1\n"
         "~d2 $ s \"808ht(4,17,<2 3 1 2>)\"\n~d3 $ s \"~synth(3,17,1)\" # note \"<c'min7 g'min7>\"\n"),
        "d1 $ every 3 (# speed 2 # gain 0.8) $ jux rev $ s \"bd*4 sn\" # n \"<0 1>\" |+ n 1\n  # pan sine\n",
        "out: (sine 440 * 0.5 + -0.25) * range -1 1 (saw 2)\ncps: 0.5\nhush\n",
        "~a $ (fast 2 . rev . (0.25 <~)) $ \"<0 0.25>\" ~> s \"bd\"\n~b: (1/8 ~>) $ ~a\npanic\n",
    };
    static char buf[1024];
    fuzz_bad = 0;
    for (int it = 0; it < 20000; it++) {                        /* random bytes */
        size_t len = rng() % 120;
        for (size_t i = 0; i < len; i++)
            buf[i] = rng() % 8 ? alphabet[rng() % (sizeof alphabet - 1)] : (char)(rng() & 0xFF);
        fuzz_one(buf, len);
    }
    for (int it = 0; it < 30000; it++) {                        /* mutated programs */
        const char *base = corpus[rng() % (sizeof corpus / sizeof corpus[0])];
        size_t len = strlen(base);
        memcpy(buf, base, len);
        for (int m = 1 + rng() % 6; m > 0; m--) {
            size_t at = len ? rng() % (len + 1) : 0;
            switch (rng() % 5) {
            case 0:                                             /* delete a range */
                if (at < len) { size_t k = 1 + rng() % 8; if (k > len - at) k = len - at;
                                memmove(buf + at, buf + at + k, len - at - k); len -= k; }
                break;
            case 1:                                             /* replace a byte */
                if (at < len) buf[at] = alphabet[rng() % (sizeof alphabet - 1)];
                break;
            case 2:                                             /* a random byte */
                if (at < len) buf[at] = (char)(rng() & 0xFF);
                break;
            default: {                                          /* insert a piece of the language */
                const char *d = dict[rng() % (sizeof dict / sizeof dict[0])];
                size_t k = strlen(d);
                if (len + k < sizeof buf) { memmove(buf + at + k, buf + at, len - at); memcpy(buf + at, d, k); len += k; }
            } }
        }
        fuzz_one(buf, len);
    }
    CHECK_INT(fuzz_bad, 0, "fuzz: 50000 random and mutated programs, every result sane, trees round-trip");
}

int main(void)
{
    arena_init(&arena);
    test_statements();
    test_statement_head();
    test_line_joining();
    test_precedence();
    test_sections_and_compose();
    test_numbers();
    test_positions();
    test_errors();
    test_recovery();
    test_qph();
    test_limits();
    test_format_and_input();
    test_fuzz();
    arena_free(&arena);
    return test_done();
}
