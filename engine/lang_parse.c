/* lang_parse.c — the .ph parser: lines grouped into statements, tokens -> AST by recursive descent.
 * One statement fails alone: its first error is recorded and parsing goes on with the next one. */
#include "lang_lex.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Binary operator levels, lowest first. Unary minus, composition and calls sit above LV_MUL. */
enum { LV_NONE, LV_HASH, LV_DOLLAR, LV_SHIFT, LV_CMP, LV_ADD, LV_MUL };

/* Error paths stay out of line: their message buffers would otherwise sit in every frame of the
 * recursive descent, and nesting depth is bounded by stack size. */
#define COLD __attribute__((noinline, cold))

#define HEAD_RULE "a statement must start with ~name:, out:, d1 $, bpm:, tempo:, cps:, hush or panic"

typedef struct Parser {
    Arena *a;
    const LangTok *t;       /* the statement's tokens, ending with LTOK_END */
    int pos;
    int depth;              /* recursion: open parentheses and unary minus */
    int parens;             /* open parentheses: only inside them can an operator end a section */
    int failed;
    LangError err;          /* the statement's first error */
    AstNode **stack;        /* operands of flat nodes (calls, $, .) while they are collected */
    int nstack, capstack;
} Parser;

/* ---- tokens and errors ---------------------------------------------------------------------- */

static const LangTok *peek(Parser *p) { return &p->t[p->pos]; }
static const LangTok *peek2(Parser *p) { return p->t[p->pos].kind == LTOK_END ? &p->t[p->pos] : &p->t[p->pos + 1]; }
static const LangTok *next(Parser *p) { const LangTok *t = &p->t[p->pos]; if (t->kind != LTOK_END) p->pos++; return t; }
static const LangTok *last(Parser *p) { return &p->t[p->pos > 0 ? p->pos - 1 : 0]; }

static int is_op(const LangTok *t, const char *op) { return t->kind == LTOK_OP && strcmp(t->op, op) == 0; }

COLD static void fail(Parser *p, int line, int col, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = 1;
    p->err.line = line;
    p->err.col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err.msg, sizeof p->err.msg, fmt, ap);
    va_end(ap);
}

/* "expected <what>, found <the token>", with a hint when the token sits on a line that looks like
 * a mistyped statement head (it was joined to the statement above). */
COLD static void fail_expected(Parser *p, const char *what, const LangTok *found)
{
    char desc[48];
    lang_lex_describe(found, desc, sizeof desc);
    if (found->stray)
        fail(p, found->line, found->col, "expected %s, found %s (line %d does not start with a statement "
             "head, so it continues the statement above)", what, desc, found->line);
    else
        fail(p, found->line, found->col, "expected %s, found %s", what, desc);
}

COLD static void fail_oom(Parser *p) { fail(p, p->t[0].line, p->t[0].col, "out of memory"); }

/* ---- nodes ---------------------------------------------------------------------------------- */

static AstNode *node_new(Parser *p, AstKind kind, const LangTok *at)
{
    AstNode *n = arena_alloc(p->a, sizeof *n);
    if (!n) { fail_oom(p); return NULL; }
    n->kind = kind;
    n->line = at->line;
    n->col = at->col;
    n->end_line = at->line;
    n->end_col = at->end_col;
    n->height = 1;
    return n;
}

static void node_start_at(AstNode *n, const AstNode *first) { n->line = first->line; n->col = first->col; }
static void node_end_at(AstNode *n, const LangTok *t) { n->end_line = t->line; n->end_col = t->end_col; }
static void node_op_at(AstNode *n, const LangTok *t)
{
    n->op_line = t->line;
    n->op_col = t->col;
    memcpy(n->op, t->op, sizeof n->op);
}

static char *tok_text(Parser *p, const LangTok *t)
{
    char *s = arena_strndup(p->a, t->s, (size_t)t->len);
    if (!s) fail_oom(p);
    return s;
}

/* Give n its children args[0..nargs) (copied into the arena) and its height. */
static int node_set_args(Parser *p, AstNode *n, AstNode *const *args, int nargs)
{
    n->args = nargs ? arena_alloc(p->a, (size_t)nargs * sizeof *n->args) : NULL;
    if (nargs && !n->args) { fail_oom(p); return 0; }
    n->nargs = nargs;
    int h = 0;
    for (int i = 0; i < nargs; i++) {
        n->args[i] = args[i];
        if (args[i]->height > h) h = args[i]->height;
    }
    n->height = h + 1;
    if (n->height > LANG_MAX_DEPTH) {
        fail(p, n->line, n->col, "expression nested too deeply (more than %d levels)", LANG_MAX_DEPTH);
        return 0;
    }
    return 1;
}

static int stack_push(Parser *p, AstNode *n)
{
    if (p->nstack == p->capstack) {
        int cap = p->capstack ? p->capstack * 2 : 64;
        AstNode **s = realloc(p->stack, (size_t)cap * sizeof *s);
        if (!s) { fail_oom(p); return 0; }
        p->stack = s;
        p->capstack = cap;
    }
    p->stack[p->nstack++] = n;
    return 1;
}

/* A flat node (call, $, .) over the operands pushed since base; pops them. */
static AstNode *node_flat(Parser *p, AstNode *n, int base)
{
    int ok = n && node_set_args(p, n, p->stack + base, p->nstack - base);
    p->nstack = base;
    if (!ok) return NULL;
    node_end_at(n, last(p));
    return n;
}

static AstNode *node_binary(Parser *p, AstKind kind, const LangTok *op, AstNode *l, AstNode *r)
{
    AstNode *n = node_new(p, kind, op);
    AstNode *args[2] = {l, r};
    if (!n || !node_set_args(p, n, args, r ? 2 : 1)) return NULL;
    node_op_at(n, op);
    return n;
}

/* ---- expressions ---------------------------------------------------------------------------- */

static AstNode *parse_level(Parser *p, int lv);

static int op_level(const LangTok *t)
{
    if (t->kind != LTOK_OP) return LV_NONE;
    const char *o = t->op;
    size_t n = strlen(o);
    if (o[0] == '|' || o[n - 1] == '|' || !strcmp(o, "#")) return LV_HASH;
    if (!strcmp(o, "$")) return LV_DOLLAR;
    if (!strcmp(o, "<~") || !strcmp(o, "~>")) return LV_SHIFT;
    if (o[0] == '<' || o[0] == '>' || o[1] == '=') return LV_CMP;     /* < <= > >= == /= (predicates) */
    if (!strcmp(o, "+") || !strcmp(o, "-")) return LV_ADD;
    if (!strcmp(o, "*") || !strcmp(o, "/") || !strcmp(o, "%")) return LV_MUL;
    return LV_NONE;                                             /* "." */
}

/* Operators that can make a section: all binary ones but '$' (and '.', which composes). */
static int sectionable(const LangTok *t) { int lv = op_level(t); return lv != LV_NONE && lv != LV_DOLLAR; }

static int neg_literal(const LangTok *t) { return is_op(t, "-") && t->neg_ok; }

/* What can be the argument of a call: a number, string, bus, name or parenthesis. */
static int starts_arg(const LangTok *t)
{
    return t->kind == LTOK_NUM || t->kind == LTOK_STR || t->kind == LTOK_BUS || t->kind == LTOK_NAME ||
           t->kind == LTOK_LPAREN || t->kind == LTOK_LBRACKET || neg_literal(t);
}

static int starts_expr(const LangTok *t) { return starts_arg(t) || is_op(t, "-"); }

/* The error for a missing operand after the token `after`. */
COLD static void operand_missing(Parser *p, const LangTok *after)
{
    const LangTok *t = peek(p);
    char what[64];
    snprintf(what, sizeof what, "an expression after '%.*s'", after->len, after->s);
    if (is_op(after, ".") && sectionable(t)) {
        char desc[48];
        lang_lex_describe(t, desc, sizeof desc);
        fail(p, t->line, t->col, "expected an expression after '.', found %s (a section needs its own "
             "parentheses: (rev . (# speed 2)))", desc);
        return;
    }
    fail_expected(p, what, t);
}

/* Checks that an operand follows the token `after`. */
static int want_operand(Parser *p, const LangTok *after, int (*starts)(const LangTok *))
{
    if (starts(peek(p))) return 1;
    operand_missing(p, after);
    return 0;
}

static AstNode *parse_paren(Parser *p);
static AstNode *parse_list(Parser *p);
static AstNode *parse_items(Parser *p, const LangTok *open, AstNode *first, AstKind kind, LangTokKind close);

/* A number, a negative literal, a string, a bus, a parenthesis or a list. */
static AstNode *parse_primary(Parser *p)
{
    const LangTok *t = peek(p);
    AstNode *n;
    switch (t->kind) {
    case LTOK_NUM:
        if (!(n = node_new(p, AST_NUM, next(p)))) return NULL;
        n->num = t->num;
        n->text = tok_text(p, t);
        return n->text ? n : NULL;
    case LTOK_STR:
    case LTOK_BUS:
        if (!(n = node_new(p, t->kind == LTOK_STR ? AST_STR : AST_BUS, next(p)))) return NULL;
        n->text = tok_text(p, t);
        return n->text ? n : NULL;
    case LTOK_LPAREN:
        return parse_paren(p);
    case LTOK_LBRACKET:
        return parse_list(p);
    default:
        break;
    }
    if (neg_literal(t) && peek2(p)->kind == LTOK_NUM) {
        next(p);
        const LangTok *num = next(p);
        if (!(n = node_new(p, AST_NUM, t))) return NULL;
        node_end_at(n, num);
        n->num = -num->num;
        n->text = arena_strndup(p->a, t->s, (size_t)(num->s + num->len - t->s));
        if (!n->text) fail_oom(p);
        return n->text ? n : NULL;
    }
    fail_expected(p, "an expression", t);
    return NULL;
}

/* A call `name arg arg ...`, a bare name, or a primary. Arguments never take arguments themselves:
 * `every 3 fast 2` is every with three arguments; nested calls need parentheses. */
static AstNode *parse_app(Parser *p)
{
    const LangTok *t = peek(p);
    if (t->kind != LTOK_NAME) return parse_primary(p);
    next(p);
    AstNode *n = node_new(p, starts_arg(peek(p)) ? AST_CALL : AST_NAME, t);
    if (!n || !(n->text = tok_text(p, t))) return NULL;
    if (n->kind == AST_NAME) return n;
    int base = p->nstack;
    while (!p->failed && starts_arg(peek(p))) {
        const LangTok *a = peek(p);
        AstNode *arg;
        if (a->kind == LTOK_NAME) {
            if ((arg = node_new(p, AST_NAME, next(p)))) arg->text = tok_text(p, a);
        } else {
            arg = parse_primary(p);
        }
        if (!arg || !stack_push(p, arg)) break;
    }
    if (p->failed) { p->nstack = base; return NULL; }
    return node_flat(p, n, base);
}

/* `f . g . h`: composition binds tighter than every operator, looser than application. */
static AstNode *parse_compose(Parser *p)
{
    AstNode *first = parse_app(p);
    if (!first || !is_op(peek(p), ".")) return first;
    int base = p->nstack;
    AstNode *n = node_new(p, AST_COMPOSE, peek(p));
    if (!n) return NULL;
    node_start_at(n, first);
    node_op_at(n, peek(p));
    stack_push(p, first);
    while (!p->failed && is_op(peek(p), ".")) {
        const LangTok *dot = next(p);
        AstNode *e = want_operand(p, dot, starts_arg) ? parse_app(p) : NULL;
        if (!e || !stack_push(p, e)) break;
    }
    if (p->failed) { p->nstack = base; return NULL; }
    return node_flat(p, n, base);
}

static AstNode *parse_unary(Parser *p)
{
    const LangTok *t = peek(p);
    if (!is_op(t, "-") || neg_literal(t)) return parse_compose(p);
    if (++p->depth > LANG_MAX_DEPTH) {
        fail(p, t->line, t->col, "expression nested too deeply (more than %d levels)", LANG_MAX_DEPTH);
        return NULL;
    }
    next(p);
    AstNode *e = want_operand(p, t, starts_expr) ? parse_unary(p) : NULL;
    p->depth--;
    return e ? node_binary(p, AST_NEG, t, e, NULL) : NULL;
}

/* Inside parentheses, `x op )` is a section: the binary loops leave such an operator alone. */
static int ends_section(Parser *p)
{
    return p->parens > 0 && sectionable(peek(p)) && peek2(p)->kind == LTOK_RPAREN;
}

/* `a $ b $ c`, kept flat. */
static AstNode *parse_dollar(Parser *p)
{
    AstNode *first = parse_level(p, LV_SHIFT);
    if (!first || !is_op(peek(p), "$")) return first;
    int base = p->nstack;
    AstNode *n = node_new(p, AST_DOLLAR, peek(p));
    if (!n) return NULL;
    node_start_at(n, first);
    node_op_at(n, peek(p));
    stack_push(p, first);
    while (!p->failed && is_op(peek(p), "$")) {
        const LangTok *op = next(p);
        AstNode *e = want_operand(p, op, starts_expr) ? parse_level(p, LV_SHIFT) : NULL;
        if (!e || !stack_push(p, e)) break;
    }
    if (p->failed) { p->nstack = base; return NULL; }
    return node_flat(p, n, base);
}

/* The binary operators of one level, left-associative. */
static AstNode *parse_level(Parser *p, int lv)
{
    if (lv > LV_MUL) return parse_unary(p);
    if (lv == LV_DOLLAR) return parse_dollar(p);
    AstNode *left = parse_level(p, lv + 1);
    while (left && op_level(peek(p)) == lv && !ends_section(p)) {
        const LangTok *op = next(p);
        AstNode *right = want_operand(p, op, starts_expr) ? parse_level(p, lv + 1) : NULL;
        if (!right) return NULL;
        AstNode *n = node_binary(p, AST_BINOP, op, left, right);
        if (!n) return NULL;
        node_start_at(n, left);
        node_end_at(n, last(p));
        left = n;
    }
    return left;
}

COLD static void close_missing(Parser *p, const LangTok *lp)
{
    const LangTok *t = peek(p);
    if (t->kind == LTOK_END) {
        fail(p, lp->line, lp->col, "unbalanced '(': no ')' before the end of the statement");
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "')' to close the '(' at %d:%d", lp->line, lp->col);
    fail_expected(p, what, t);
}

static int expect_close(Parser *p, const LangTok *lp)
{
    if (peek(p)->kind == LTOK_RPAREN) { next(p); return 1; }
    close_missing(p, lp);
    return 0;
}

/* `(# speed 2)`, `(|+ n 12)`, `(* 2)`. More operators may follow, `(# speed 2 # gain 0.8)`: that
 * is the function x -> x # speed 2 # gain 0.8, written as the composition of one section per
 * operator, ((# gain 0.8) . (# speed 2)). */
static AstNode *parse_left_section(Parser *p, const LangTok *lp)
{
    int base = p->nstack;
    while (!p->failed && sectionable(peek(p))) {
        const LangTok *op = next(p);
        AstNode *e = want_operand(p, op, starts_expr) ? parse_level(p, op_level(op) + 1) : NULL;
        AstNode *s = e ? node_binary(p, AST_SECTION, op, e, NULL) : NULL;
        if (!s) break;
        s->hole_left = 1;
        if (p->nstack == base) { s->line = lp->line; s->col = lp->col; }      /* the first starts at '(' */
        node_end_at(s, last(p));
        if (!stack_push(p, s)) break;
    }
    if (p->failed || !expect_close(p, lp)) { p->nstack = base; return NULL; }
    if (p->nstack - base == 1) {
        AstNode *s = p->stack[--p->nstack];
        node_end_at(s, last(p));
        return s;
    }
    for (int i = base, j = p->nstack - 1; i < j; i++, j--) {   /* the last operator applies last */
        AstNode *x = p->stack[i];
        p->stack[i] = p->stack[j];
        p->stack[j] = x;
    }
    AstNode *n = node_new(p, AST_COMPOSE, lp);
    if (!n) { p->nstack = base; return NULL; }
    n->op[0] = '.';
    n->op_line = lp->line;
    n->op_col = lp->col;
    return node_flat(p, n, base);
}

/* `( expr )`, a section `(# speed 2)` / `(0.25 <~)`, or a composition `(fast 2 . rev)`. */
static AstNode *parse_paren(Parser *p)
{
    const LangTok *lp = next(p);
    if (++p->depth > LANG_MAX_DEPTH) {
        fail(p, lp->line, lp->col, "expression nested too deeply (more than %d levels)", LANG_MAX_DEPTH);
        return NULL;
    }
    p->parens++;
    AstNode *n = NULL;
    if (sectionable(peek(p)) && !is_op(peek(p), "-")) {        /* (- x) is negation, as in Haskell */
        n = parse_left_section(p, lp);
    } else if (want_operand(p, lp, starts_expr) && (n = parse_level(p, LV_HASH))) {
        if (sectionable(peek(p)) && peek2(p)->kind == LTOK_RPAREN) {
            AstNode *e = n;
            const LangTok *op = next(p);
            if ((n = node_binary(p, AST_SECTION, op, e, NULL))) {
                n->line = lp->line;
                n->col = lp->col;
                n->hole_left = 0;
                node_end_at(n, next(p));
            }
        } else if (peek(p)->kind == LTOK_COMMA) {
            n = parse_items(p, lp, n, AST_TUPLE, LTOK_RPAREN);
        } else if (!expect_close(p, lp)) {
            n = NULL;
        }
    }
    p->parens--;
    p->depth--;
    return p->failed ? NULL : n;
}

/* The rest of `(a, b ...)` or `[a, b ...]` after its first item: more items after commas, then the
 * closing token. */
static AstNode *parse_items(Parser *p, const LangTok *open, AstNode *first, AstKind kind, LangTokKind close)
{
    int base = p->nstack;
    AstNode *n = node_new(p, kind, open);
    if (!n) return NULL;
    if (first) stack_push(p, first);
    while (!p->failed && first && peek(p)->kind == LTOK_COMMA) {
        const LangTok *comma = next(p);
        AstNode *e = want_operand(p, comma, starts_expr) ? parse_level(p, LV_HASH) : NULL;
        if (!e || !stack_push(p, e)) break;
    }
    if (!p->failed && peek(p)->kind != close) {
        char what[80];
        snprintf(what, sizeof what, "',' or '%c' to close the '%c' at %d:%d", close == LTOK_RPAREN ? ')' : ']',
                 close == LTOK_RPAREN ? '(' : '[', open->line, open->col);
        if (peek(p)->kind == LTOK_END)
            fail(p, open->line, open->col, "unbalanced '%c': no '%c' before the end of the statement",
                 close == LTOK_RPAREN ? '(' : '[', close == LTOK_RPAREN ? ')' : ']');
        else
            fail_expected(p, what, peek(p));
    }
    if (p->failed) { p->nstack = base; return NULL; }
    const LangTok *end = next(p);
    n = node_flat(p, n, base);
    if (n) node_end_at(n, end);
    return n;
}

/* `[a, b, c]` (or `[]`): a list of expressions. */
static AstNode *parse_list(Parser *p)
{
    const LangTok *lb = next(p);
    if (++p->depth > LANG_MAX_DEPTH) {
        fail(p, lb->line, lb->col, "expression nested too deeply (more than %d levels)", LANG_MAX_DEPTH);
        return NULL;
    }
    int parens = p->parens;
    p->parens = 0;                      /* `[x +]` is no section */
    AstNode *first = NULL;
    if (peek(p)->kind != LTOK_RBRACKET)
        first = want_operand(p, lb, starts_expr) ? parse_level(p, LV_HASH) : NULL;
    AstNode *n = p->failed ? NULL : parse_items(p, lb, first, AST_LIST, LTOK_RBRACKET);
    p->parens = parens;
    p->depth--;
    return p->failed ? NULL : n;
}

/* ---- statements ----------------------------------------------------------------------------- */

/* Length of the name at s: a letter or '_', then letters, digits, '_' and '\''. */
static int lex_word_len(const char *s, int n)
{
    int k = 0;
    if (n <= 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) return 0;
    while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') ||
                     s[k] == '_' || s[k] == '\''))
        k++;
    return k;
}

static int tok_is(const LangTok *t, const char *word)
{
    return t->kind == LTOK_NAME && (int)strlen(word) == t->len && memcmp(t->s, word, t->len) == 0;
}

static void parse_end(Parser *p, const char *after)
{
    const LangTok *t = peek(p);
    if (p->failed || t->kind == LTOK_END) return;
    if (t->kind == LTOK_RPAREN) { fail(p, t->line, t->col, "unbalanced ')'"); return; }
    if (t->kind == LTOK_RBRACKET) { fail(p, t->line, t->col, "unbalanced ']'"); return; }
    if (t->kind == LTOK_COMMA) {
        fail(p, t->line, t->col, "',' outside a list or tuple: it separates items, [1, 2] or (1, s \"bd\")");
        return;
    }
    fail_expected(p, after, t);
}

/* `bpm: 120 ["4/4"]`, `tempo: 0.5`, `cps: 0.5` */
static void parse_tempo(Parser *p, Stmt *st, const LangTok *head)
{
    int bpm = tok_is(head, "bpm");
    st->kind = STMT_TEMPO;
    st->unit = bpm ? TEMPO_BPM : TEMPO_CPS;
    next(p);                                                    /* ':' */
    const LangTok *t = peek(p);
    char desc[48];
    if (neg_literal(t) && peek2(p)->kind == LTOK_NUM) {
        const LangTok *num = peek2(p);
        fail(p, t->line, t->col, "'%.*s:' needs a positive number, found '-%.*s'", head->len, head->s,
             num->len, num->s);
        return;
    }
    if (t->kind != LTOK_NUM) {
        lang_lex_describe(t, desc, sizeof desc);
        fail(p, t->line, t->col, "'%.*s:' needs a number, found %s", head->len, head->s, desc);
        return;
    }
    next(p);
    st->value = t->num;
    st->value_col = t->col;
    const LangTok *sig = peek(p);
    if (bpm && sig->kind == LTOK_STR) {                        /* a time signature: accepted, ignored */
        int i = 0, d1 = 0, d2 = 0;
        while (i < sig->len && sig->s[i] >= '0' && sig->s[i] <= '9') i++, d1++;
        if (i < sig->len && sig->s[i] == '/') i++;
        while (i < sig->len && sig->s[i] >= '0' && sig->s[i] <= '9') i++, d2++;
        if (!d1 || !d2 || i != sig->len) {
            lang_lex_describe(sig, desc, sizeof desc);
            fail(p, sig->line, sig->col, "a time signature looks like \"4/4\", found %s", desc);
            return;
        }
        next(p);
    }
    parse_end(p, "the end of the statement after the tempo");
}

/* `out`, `d1`..`d16`, `o1`.., `out1`..: numbered from 1, written without leading zeros. */
static int check_track(Parser *p, const LangTok *t)
{
    int digits = t->s[0] == 'd' || (t->s[0] == 'o' && (t->len < 3 || t->s[1] != 'u')) ? 1 : 3;
    if (digits == 3 && t->len == 3) return 1;
    const char *num = t->s + digits;
    int n = t->len - digits;
    long v = 0;
    for (int i = 0; i < n && v < 100000; i++) v = v * 10 + (num[i] - '0');
    if (num[0] == '0' && v != 0) {
        fail(p, t->line, t->col, "write '%.*s%ld', not '%.*s'", digits, t->s, v, t->len, t->s);
        return 0;
    }
    if (v == 0) {
        fail(p, t->line, t->col, "track numbers start at 1, found '%.*s'", t->len, t->s);
        return 0;
    }
    if (t->s[0] == 'd' && v > 16) {
        fail(p, t->line, t->col, "tracks are d1 to d16, found '%.*s'", t->len, t->s);
        return 0;
    }
    return 1;
}

/* One statement over the tokens p->t (a statement head, by construction, then the rest). */
static void parse_statement(Parser *p, Stmt *st)
{
    const LangTok *head = next(p);
    st->line = head->line;
    st->col = head->col;
    if (tok_is(head, "bpm") || tok_is(head, "tempo") || tok_is(head, "cps")) {
        parse_tempo(p, st, head);
        return;
    }
    if (tok_is(head, "hush") || tok_is(head, "panic")) {
        st->kind = tok_is(head, "hush") ? STMT_HUSH : STMT_PANIC;
        char after[40];
        snprintf(after, sizeof after, "the end of the statement after '%.*s'", head->len, head->s);
        parse_end(p, after);
        return;
    }
    if (head->kind == LTOK_BUS) {
        st->kind = STMT_BUS;
    } else {
        st->kind = STMT_OUT;
        if (!check_track(p, head)) return;
    }
    if (!(st->name = tok_text(p, head))) return;
    const LangTok *assign = next(p);                            /* ':' or '$', as the head test saw */
    if (assign->kind != LTOK_COLON && !is_op(assign, "$")) {
        fail_expected(p, "':' or '$' after the statement's name", assign);
        return;
    }
    char after[64];
    snprintf(after, sizeof after, "an expression after '%s%.*s%s%.*s'", head->kind == LTOK_BUS ? "~" : "",
             head->len, head->s, assign->kind == LTOK_COLON ? "" : " ", assign->len, assign->s);
    if (!starts_expr(peek(p))) { fail_expected(p, after, peek(p)); return; }
    st->expr = parse_level(p, LV_HASH);
    parse_end(p, "an operator or the end of the statement");
}

/* ---- the program: lines -> statements ------------------------------------------------------- */

typedef struct Group {              /* the lines of one statement while they are collected */
    LangTokBuf toks;
    char *text;                     /* continuation lines joined with one space */
    size_t ntext, captext;
    int active;                     /* a statement head was seen */
    int failed;                     /* a lexical error, or an orphan line: skip to the next head */
} Group;

typedef struct Program {
    Parser p;
    Group g;
    Stmt *stmts;
    int nstmts, capstmts;
    LangError *errs;
    int maxerrs, nerrs, total;
    int heads;                      /* statement heads seen */
    int oom, full;                  /* full: LANG_MAX_STATEMENTS reached, the rest is not read */
} Program;

static void prog_error(Program *pr, const LangError *e)
{
    pr->total++;
    if (pr->nerrs < pr->maxerrs) pr->errs[pr->nerrs++] = *e;
}

static void prog_error_at(Program *pr, int line, int col, const char *msg)
{
    LangError e = {.line = line, .col = col};
    snprintf(e.msg, sizeof e.msg, "%s", msg);
    prog_error(pr, &e);
}

static int text_append(Group *g, const char *s, size_t n)
{
    if (g->ntext + n + 2 > g->captext) {
        size_t cap = (g->captext ? g->captext * 2 : 256) + n;
        char *t = realloc(g->text, cap);
        if (!t) return 0;
        g->text = t;
        g->captext = cap;
    }
    if (g->ntext) g->text[g->ntext++] = ' ';
    memcpy(g->text + g->ntext, s, n);
    g->ntext += n;
    return 1;
}

/* Parse the collected statement, if any, and start afresh. */
static void prog_flush(Program *pr, Arena *a)
{
    Group *g = &pr->g;
    if (g->active && !g->failed && g->toks.n > 0) {
        const LangTok *lt = &g->toks.v[g->toks.n - 1];
        int line = lt->line, col = lt->end_col;
        LangTok *end = lang_lex_push(&g->toks);
        if (!end) { pr->oom = 1; return; }
        end->kind = LTOK_END;
        end->line = line;
        end->col = end->end_col = col;
        Parser *p = &pr->p;
        p->a = a;
        p->t = g->toks.v;
        p->pos = p->depth = p->parens = p->failed = p->nstack = 0;
        Stmt st = {0};
        parse_statement(p, &st);
        if (!p->failed && !(st.text = arena_strndup(a, g->text, g->ntext))) fail_oom(p);
        if (p->failed) {
            prog_error(pr, &p->err);
        } else {
            if (pr->nstmts == pr->capstmts) {
                int cap = pr->capstmts ? pr->capstmts * 2 : 16;
                Stmt *v = realloc(pr->stmts, (size_t)cap * sizeof *v);
                if (!v) { pr->oom = 1; return; }
                pr->stmts = v;
                pr->capstmts = cap;
            }
            pr->stmts[pr->nstmts++] = st;
        }
    }
    g->toks.n = 0;
    g->ntext = 0;
    g->active = g->failed = 0;
}

/* The words a statement starts with (besides ~name and the tracks), for "did you mean". */
static const char *const statement_words[] = { "bpm", "tempo", "cps", "out", "hush", "panic" };

/* A line that starts in column 1 the way a statement does but is not one: `bmp: 120`, `hsuh`,
 * `d1 s "bd"`, `~bass s "bd"`, `bpm 120`. Such a line is never a sensible continuation of the
 * statement above, so it is reported as what it looks like. Returns 1 with e filled, else 0. */
COLD static int head_mistake(const char *s, int n, int line, LangError *e)
{
    int bus = n > 1 && s[0] == '~';
    int wn = lex_word_len(s + bus, n - bus);
    if (wn == 0) return 0;
    const char *word = s + bus;
    int k = bus + wn;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    int c = k < n ? (unsigned char)s[k] : 0;
    int arg = c == '"' || c == '(' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z');
    int tempo = (wn == 3 && (!memcmp(word, "bpm", 3) || !memcmp(word, "cps", 3))) || (wn == 5 && !memcmp(word, "tempo", 5));
    e->line = line;
    if ((bus || lang_lex_is_track(word, wn) || tempo) && arg) {
        e->col = k + 1;
        snprintf(e->msg, sizeof e->msg, "expected %s after '%s%.*s'", tempo ? "':'" : "':' or '$'", bus ? "~" : "",
                 wn, word);
        return 1;
    }
    if (bus || (c != ':' && k < n)) return 0;
    LangSuggest sg;
    lang_suggest_init(&sg, word, wn);
    for (size_t i = 0; i < sizeof statement_words / sizeof statement_words[0]; i++) {
        int alone = i >= 4;                                     /* hush, panic: a word on its own line */
        if (alone == (c != ':')) lang_suggest_add(&sg, statement_words[i]);
    }
    if (c != ':' && sg.n == 0) return 0;                        /* a lone word: a continuation after all */
    char hint[120];
    lang_suggest_format(&sg, "'", c == ':' ? ":'" : "'", hint, sizeof hint);
    e->col = 1;
    if (sg.n)
        snprintf(e->msg, sizeof e->msg, "unknown statement '%.*s%s'%s", wn, word, c == ':' ? ":" : "", hint);
    else
        snprintf(e->msg, sizeof e->msg, "unknown statement '%.*s:' (a bus is written ~%.*s:)", wn, word, wn, word);
    return 1;
}

/* One physical line: a new statement, a continuation, or nothing (blank or comment). */
static void prog_line(Program *pr, Arena *a, const char *s, int len, int line)
{
    Group *g = &pr->g;
    int n = lang_lex_content(s, len);
    int i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f')) i++;
    if (i == n) return;
    LangError mistake;
    int is_head = lang_is_statement_head(s, (size_t)n);
    if (!is_head && i == 0 && head_mistake(s, n, line, &mistake)) {
        prog_flush(pr, a);
        prog_error(pr, &mistake);
        g->active = g->failed = 1;             /* its continuation lines go with it */
        return;
    }
    if (is_head) {
        prog_flush(pr, a);
        if (++pr->heads > LANG_MAX_STATEMENTS) {
            char msg[80];
            snprintf(msg, sizeof msg, "too many statements (at most %d)", LANG_MAX_STATEMENTS);
            prog_error_at(pr, line, i + 1, msg);
            pr->full = 1;
            return;
        }
        g->active = 1;
    } else if (!g->active) {                   /* text before any statement: report it, skip it */
        prog_error_at(pr, line, i + 1, HEAD_RULE);
        g->active = g->failed = 1;
        return;
    }
    if (g->failed) return;
    int first = g->toks.n;
    LangError err;
    int r = lang_lex_line(s, n, line, &g->toks, &err);
    if (r < 0 || !text_append(g, s + i, (size_t)(n - i))) { pr->oom = 1; return; }
    if (r > 0) { prog_error(pr, &err); g->failed = 1; return; }
    int continuation = first > 0;
    if (continuation && g->toks.n > first && g->toks.v[first].kind == LTOK_NAME && g->toks.v[first].col == 1)
        for (int k = first; k < g->toks.n; k++) g->toks.v[k].stray = 1;
}

size_t lang_text_start(const char *src, size_t len)
{
    return len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

size_t lang_line(const char *src, size_t len, size_t at, size_t *next)
{
    size_t e = at;
    while (e < len && src[e] != '\n' && src[e] != '\r') e++;
    *next = e < len && src[e] == '\r' && e + 1 < len && src[e + 1] == '\n' ? e + 2 : e < len ? e + 1 : len;
    return e - at;
}

int lang_parse(const char *src, size_t len, Arena *a, AstProgram *out, LangError *errs, int maxerrs)
{
    Program pr = {.errs = errs, .maxerrs = errs && maxerrs > 0 ? maxerrs : 0};
    out->stmts = NULL;
    out->nstmts = 0;
    if (len > LANG_MAX_TEXT) {
        char msg[80];
        snprintf(msg, sizeof msg, "program too long (%zu bytes; at most %d)", len, LANG_MAX_TEXT);
        prog_error_at(&pr, 1, 1, msg);
        out->nerrors = pr.total;
        return pr.nerrs;
    }
    int line = 1;
    for (size_t at = lang_text_start(src, len), next; at < len && !pr.oom && !pr.full; line++, at = next) {
        size_t n = lang_line(src, len, at, &next);
        prog_line(&pr, a, src + at, (int)n, line);
    }
    if (!pr.oom && !pr.full) prog_flush(&pr, a);
    if (!pr.oom && pr.nstmts > 0) {
        out->stmts = arena_alloc(a, (size_t)pr.nstmts * sizeof *out->stmts);
        if (out->stmts) {
            memcpy(out->stmts, pr.stmts, (size_t)pr.nstmts * sizeof *out->stmts);
            out->nstmts = pr.nstmts;
        } else {
            pr.oom = 1;
        }
    }
    if (pr.oom) prog_error_at(&pr, line, 1, "out of memory");
    out->nerrors = pr.total;
    lang_lex_free(&pr.g.toks);
    free(pr.g.text);
    free(pr.stmts);
    free(pr.p.stack);
    return pr.nerrs;
}
