/* events.c — `phonon events`: evaluates mini-notation cases and prints their events, either as
 * JSON lines in the conformance format (tests/conformance/README.md) or as a readable table.
 * Command-line glue: reads stdin, writes stdout, allocates freely; never on the audio path. */
#include "events.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mini.h"
#include "pattern.h"

/* --- a small JSON reader ------------------------------------------------------------------------ */

typedef enum JType { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } JType;

typedef struct JNode JNode;
struct JNode {
    JType type;
    bool b;
    double num;
    char *str;          /* J_STR: the text; J_NUM: the number as written */
    int n;              /* J_ARR, J_OBJ: members */
    JNode **kids;
    char **keys;        /* J_OBJ */
};

typedef struct JP {
    const char *s;
    int pos;
    Arena *a;
    bool bad;
} JP;

static void jws(JP *p)
{
    while (p->s[p->pos] && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static JNode *jnew(JP *p, JType t)
{
    JNode *n = arena_alloc(p->a, sizeof *n);
    if (!n) p->bad = true;
    else n->type = t;
    return n;
}

static void put_utf8(char *out, int *k, unsigned cp)
{
    if (cp < 0x80) out[(*k)++] = (char)cp;
    else if (cp < 0x800) {
        out[(*k)++] = (char)(0xC0 | (cp >> 6));
        out[(*k)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*k)++] = (char)(0xE0 | (cp >> 12));
        out[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*k)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static char *jstring(JP *p)
{
    p->pos++;   /* " */
    int start = p->pos, len = 0;
    while (p->s[p->pos] && p->s[p->pos] != '"') {
        if (p->s[p->pos] == '\\' && p->s[p->pos + 1]) p->pos++;
        p->pos++;
        len++;
    }
    if (p->s[p->pos] != '"') {
        p->bad = true;
        return NULL;
    }
    char *out = arena_alloc(p->a, (size_t)(p->pos - start) * 3 + 1);
    if (!out) {
        p->bad = true;
        return NULL;
    }
    int k = 0;
    for (int i = start; i < p->pos; i++) {
        char c = p->s[i];
        if (c != '\\') {
            out[k++] = c;
            continue;
        }
        c = p->s[++i];
        switch (c) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 'r': out[k++] = '\r'; break;
        case 'b': out[k++] = '\b'; break;
        case 'f': out[k++] = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            for (int d = 0; d < 4 && isxdigit((unsigned char)p->s[i + 1]); d++) {
                char h = p->s[++i];
                cp = cp * 16 + (unsigned)(isdigit((unsigned char)h) ? h - '0' : (tolower((unsigned char)h) - 'a' + 10));
            }
            put_utf8(out, &k, cp);
            break;
        }
        default: out[k++] = c;
        }
    }
    out[k] = 0;
    p->pos++;
    (void)len;
    return out;
}

static JNode *jvalue(JP *p, int depth)
{
    if (depth > 64) {
        p->bad = true;
        return NULL;
    }
    jws(p);
    char c = p->s[p->pos];
    if (c == '"') {
        JNode *n = jnew(p, J_STR);
        if (n) n->str = jstring(p);
        return n;
    }
    if (c == '[' || c == '{') {
        bool obj = c == '{';
        JNode *n = jnew(p, obj ? J_OBJ : J_ARR);
        if (!n) return NULL;
        p->pos++;
        int cap = 8;
        n->kids = arena_alloc(p->a, sizeof(JNode *) * (size_t)cap);
        if (obj) n->keys = arena_alloc(p->a, sizeof(char *) * (size_t)cap);
        jws(p);
        if (p->s[p->pos] == (obj ? '}' : ']')) {
            p->pos++;
            return n;
        }
        for (;;) {
            if (n->n == cap) {
                int ncap = cap * 2;
                JNode **k2 = arena_alloc(p->a, sizeof(JNode *) * (size_t)ncap);
                char **s2 = obj ? arena_alloc(p->a, sizeof(char *) * (size_t)ncap) : NULL;
                if (!k2 || (obj && !s2)) {
                    p->bad = true;
                    return NULL;
                }
                memcpy(k2, n->kids, sizeof(JNode *) * (size_t)cap);
                if (obj) memcpy(s2, n->keys, sizeof(char *) * (size_t)cap);
                n->kids = k2;
                n->keys = s2;
                cap = ncap;
            }
            if (obj) {
                jws(p);
                if (p->s[p->pos] != '"') {
                    p->bad = true;
                    return NULL;
                }
                n->keys[n->n] = jstring(p);
                jws(p);
                if (p->s[p->pos] != ':') {
                    p->bad = true;
                    return NULL;
                }
                p->pos++;
            }
            n->kids[n->n] = jvalue(p, depth + 1);
            if (p->bad) return NULL;
            n->n++;
            jws(p);
            if (p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->s[p->pos] == (obj ? '}' : ']')) {
                p->pos++;
                return n;
            }
            p->bad = true;
            return NULL;
        }
    }
    if (c == '-' || isdigit((unsigned char)c)) {
        int start = p->pos;
        while (p->s[p->pos] && (isdigit((unsigned char)p->s[p->pos]) || strchr("+-.eE", p->s[p->pos]))) p->pos++;
        JNode *n = jnew(p, J_NUM);
        if (!n) return NULL;
        n->str = arena_strndup(p->a, p->s + start, (size_t)(p->pos - start));
        n->num = strtod(n->str, NULL);
        return n;
    }
    if (strncmp(p->s + p->pos, "true", 4) == 0 || strncmp(p->s + p->pos, "false", 5) == 0) {
        JNode *n = jnew(p, J_BOOL);
        if (n) n->b = p->s[p->pos] == 't';
        p->pos += n && n->b ? 4 : 5;
        return n;
    }
    if (strncmp(p->s + p->pos, "null", 4) == 0) {
        p->pos += 4;
        return jnew(p, J_NULL);
    }
    p->bad = true;
    return NULL;
}

static JNode *jget(const JNode *o, const char *key)
{
    if (!o || o->type != J_OBJ) return NULL;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0) return o->kids[i];
    return NULL;
}

/* --- writing JSON --------------------------------------------------------------------------------- */

typedef struct Str {
    char *buf;
    size_t len, cap;
} Str;

static void str_put(Str *s, const char *t, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        while (cap < s->len + n + 1) cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) return;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, t, n);
    s->len += n;
    s->buf[s->len] = 0;
}

static void str_puts(Str *s, const char *t) { str_put(s, t, strlen(t)); }

static void str_json_string(Str *s, const char *t)
{
    str_puts(s, "\"");
    for (; *t; t++) {
        char esc[8];
        unsigned char c = (unsigned char)*t;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            str_put(s, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            str_puts(s, esc);
        } else {
            str_put(s, (const char *)&c, 1);
        }
    }
    str_puts(s, "\"");
}

/* The shortest decimal that reads back as the same double; integers without a point. */
static void str_number(Str *s, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        str_puts(s, "null");
        return;
    }
    if (x == 0) x = 0;      /* -0 is written 0 */
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, sizeof buf, "%.0f", x);
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, x);
            if (strtod(buf, NULL) == x) break;
        }
    }
    str_puts(s, buf);
}

static bool plain_decimal(const char *w)
{
    const char *p = w;
    if (*p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
    }
    return *p == 0;
}

/* A word as the conformance files write it: a plain decimal as a number, "bd:3" as ["bd", 3]. */
static void str_word(Str *s, const char *w)
{
    if (plain_decimal(w)) {
        str_number(s, strtod(w, NULL));
        return;
    }
    if (!strchr(w, ':')) {
        str_json_string(s, w);
        return;
    }
    str_puts(s, "[");
    bool first = true;
    const char *p = w;
    while (*p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            char field[256];
            if (n >= sizeof field) n = sizeof field - 1;
            memcpy(field, p, n);
            field[n] = 0;
            if (!first) str_puts(s, ",");
            first = false;
            if (plain_decimal(field)) str_number(s, strtod(field, NULL));
            else str_json_string(s, field);
        }
        if (!e) break;
        p = e + 1;
    }
    str_puts(s, "]");
}

static void str_value(Str *s, const Value *v)
{
    switch (v->type) {
    case VAL_NUM: str_number(s, v->num); break;
    case VAL_RAT: str_number(s, val_to_num(v)); break;
    case VAL_BOOL: str_puts(s, v->num != 0 ? "true" : "false"); break;
    case VAL_SYM: str_word(s, sym_name(v->sym)); break;
    case VAL_MAP: {
        str_puts(s, "{");
        bool first = true;
        for (uint64_t bits = v->map->mask; bits; bits &= bits - 1) {
            int i = __builtin_ctzll(bits);
            if (!first) str_puts(s, ",");
            first = false;
            str_json_string(s, param_name((Param)i));
            str_puts(s, ":");
            const Value *x = valmap_get(v->map, i);
            if (x->type == VAL_SYM) str_json_string(s, sym_name(x->sym));
            else str_value(s, x);
        }
        str_puts(s, "}");
        break;
    }
    default: str_puts(s, "null");
    }
}

static void str_rat(Str *s, Rat r)
{
    char buf[64];
    rat_format(r, buf, sizeof buf);
    str_json_string(s, buf);
}

/* --- building a case's pattern -------------------------------------------------------------------- */

#define CASE_WORDS 4096

typedef struct Ctx {
    Arena *a;
    MiniType base;          /* the type strings of "the same kind" are parsed as */
    int control;            /* the case's control parameter, or -1 */
    char err[300];
    uint32_t *words;        /* every word of the case's strings and of the joins made so far (|++) */
    int nwords;
} Ctx;

static void ctx_word(Ctx *c, uint32_t w)
{
    for (int i = 0; i < c->nwords; i++)
        if (c->words[i] == w) return;
    if (w && c->nwords < CASE_WORDS) c->words[c->nwords++] = w;
}

static void ctx_scan(void *ud, const char *w, size_t len, size_t at)
{
    (void)at;
    uint32_t s = sym_intern_len(w, len);
    ctx_word(ud, s);
    ctx_word(ud, s ? sym_info(s)->base : 0);
}

/* the words of every string in j */
static void ctx_words(Ctx *c, const JNode *j, int depth)
{
    if (!j || depth > 64) return;
    if (j->type == J_STR) pattern_words_each(j->str, strlen(j->str), ctx_scan, c);
    for (int i = 0; (j->type == J_ARR || j->type == J_OBJ) && i < j->n; i++) ctx_words(c, j->kids[i], depth + 1);
}

/* A join's words: the case's words so far, each followed by each word of its operand (in order of
 * the transforms, so a join of a join finds its words). */
static bool ctx_join(Ctx *c, const JNode *operand)
{
    Ctx r = { .a = c->a, .words = (uint32_t[CASE_WORDS]){ 0 } };
    ctx_words(&r, operand, 0);
    uint32_t made[CASE_WORDS];
    int n = pattern_join_prepare(c->words, c->nwords, r.words, r.nwords, made, CASE_WORDS);
    if (n < 0) {
        snprintf(c->err, sizeof c->err, "|++ would make too many words");
        return false;
    }
    for (int i = 0; i < n; i++) ctx_word(c, made[i]);
    return true;
}

static Pattern *apply_list(Ctx *c, const JNode *list, Pattern *p);

typedef struct JFn {
    PatternFn fn;
    Ctx *c;
    const JNode *list;
} JFn;

static Pattern *jfn_apply(const PatternFn *self, Arena *a, Pattern *in)
{
    const JFn *f = (const JFn *)self;
    (void)a;
    return apply_list(f->c, f->list, in);
}

static Pattern *parse_arg_string(Ctx *c, const char *s, MiniType t)
{
    MiniError e;
    Pattern *p = mini_parse(c->a, s, -1, t, &e);
    if (!p && !c->err[0]) snprintf(c->err, sizeof c->err, "column %d of \"%s\": %s", e.col, s, e.msg);
    return p;
}

static MiniType kind_type(Ctx *c, TArgKind k)
{
    switch (k) {
    case TA_TIME:
    case TA_RAT: return MINI_TIME;
    case TA_NUM: return c->base == MINI_AUTO ? MINI_AUTO : MINI_NUMBERS;
    case TA_INT: return MINI_INT;
    case TA_BOOL: return MINI_BOOL;
    case TA_WORDS: return MINI_WORDS;
    default: return c->base;
    }
}

static Pattern *control_pattern(Ctx *c, const char *param, const JNode *j);

/* "1/16", "-3/8": a plain time written as Haskell writes it (stutter 4 (1/16)) */
static bool ratio_parse(const char *s, Rat *out)
{
    char *end;
    long long n = strtoll(s, &end, 10);
    if (end == s || *end != '/') return false;
    const char *d0 = end + 1;
    long long d = strtoll(d0, &end, 10);
    if (end == d0 || *end || d <= 0) return false;
    *out = rat_make(n, d);
    return true;
}

static bool pred_number(const char *s, Rat *out) { return rat_parse(s, -1, out) || ratio_parse(s, out); }

/* A test as the .ph language writes it, parentheses optional: "even", "< 4", "0.5 >", "mod 4 == 0". */
static bool make_pred(Ctx *c, const char *text, TransformArg *out)
{
    char buf[128], *tok[5];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", text);
    for (char *p = buf; *p; p++)
        if (*p == '(' || *p == ')') *p = ' ';
    for (char *t = strtok(buf, " "); t && n < 5; t = strtok(NULL, " ")) tok[n++] = t;
    PatPred p = { rat_int(0), PRED_EQ, rat_int(0) };
    bool ok = false;
    if (n == 1) {
        ok = pattern_pred_named(tok[0], &p);
    } else if (n == 2) {
        int k0 = pattern_pred_cmp(tok[0]), k1 = pattern_pred_cmp(tok[1]);
        if (k0 >= 0 || k1 >= 0) {
            ok = pred_number(tok[k0 >= 0], &p.v);
            p.cmp = k0 >= 0 ? (PredCmp)k0 : pattern_pred_flip((PredCmp)k1);
        }
    } else if (n == 4 && (strcmp(tok[0], "mod") == 0 || strcmp(tok[0], "mod'") == 0) && pattern_pred_cmp(tok[2]) >= 0) {
        p.cmp = (PredCmp)pattern_pred_cmp(tok[2]);
        ok = pred_number(tok[1], &p.mod) && !rat_is_zero(p.mod) && pred_number(tok[3], &p.v);
    }
    PatPred *copy = ok ? arena_alloc(c->a, sizeof *copy) : NULL;
    if (!copy) {
        snprintf(c->err, sizeof c->err, "expected a test (even, odd, < 4, mod 4 == 0), found \"%s\"", text);
        return false;
    }
    *copy = p;
    out->pred = copy;
    return true;
}

static bool make_arg(Ctx *c, TArgKind kind, const JNode *j, TransformArg *out)
{
    if (kind == TA_PRED) {
        memset(out, 0, sizeof *out);
        out->kind = kind;
        return j && j->type == J_STR && make_pred(c, j->str, out);
    }
    memset(out, 0, sizeof *out);
    out->kind = kind;
    if (kind == TA_FN) {
        if (!j || j->type != J_ARR) {
            snprintf(c->err, sizeof c->err, "expected a function (a list of transforms)");
            return false;
        }
        JFn *f = arena_alloc(c->a, sizeof *f);
        if (!f) return false;
        f->fn.apply = jfn_apply;
        f->c = c;
        f->list = j;
        out->fn = &f->fn;
        return true;
    }
    if (!j) return false;
    if (j->type == J_OBJ && jget(j, "control") && jget(j, "mini")) {
        /* {"control": "pan", "mini": "0 0.5"}: a control pattern of another parameter (weave's) */
        const JNode *ctl = jget(j, "control");
        out->pat = ctl->type == J_STR ? control_pattern(c, ctl->str, jget(j, "mini")) : NULL;
        return out->pat != NULL;
    }
    if (j->type == J_STR) {
        Rat r;
        if (kind == TA_RAT && (rat_parse(j->str, -1, &r) || ratio_parse(j->str, &r))) {
            out->pat = pattern_pure(c->a, val_rat(r));   /* a plain number, exact as written */
            return out->pat != NULL;
        }
        if (kind == TA_ANY && c->control >= 0) {
            /* a pattern of the same kind as a control pattern: that parameter's values */
            JNode tmp = *j;
            out->pat = control_pattern(c, param_name((Param)c->control), &tmp);
            return out->pat != NULL;
        }
        out->pat = parse_arg_string(c, j->str, kind_type(c, kind));
        return out->pat != NULL;
    }
    if (j->type == J_NUM) {
        Rat r;
        if ((kind == TA_TIME || kind == TA_RAT) && rat_parse(j->str, -1, &r)) out->pat = pattern_pure(c->a, val_rat(r));
        else if (kind == TA_BOOL) out->pat = pattern_pure(c->a, val_bool(j->num != 0));
        else out->pat = pattern_pure(c->a, val_num(j->num));
        return out->pat != NULL;
    }
    if (j->type == J_BOOL) {
        out->pat = pattern_pure(c->a, val_bool(j->b));
        return out->pat != NULL;
    }
    snprintf(c->err, sizeof c->err, "unsupported argument");
    return false;
}

/* A list argument: a JSON array of items, each a tuple (an array) of shape->width members, or the
 * member itself when the width is 1. head: spread's f, a transform name or a partial transform
 * ["every", "2"]: each item is then its last argument, and the member a function. */
static bool make_list(Ctx *c, const TransformList *shape, const JNode *head, const JNode *j, TransformArg *out)
{
    memset(out, 0, sizeof *out);
    out->kind = TA_LIST;
    int w = shape->width > 0 ? shape->width : 1;
    if (!j || j->type != J_ARR) {
        snprintf(c->err, sizeof c->err, "expected a list (a JSON array)");
        return false;
    }
    TransformArg *items = arena_alloc(c->a, sizeof(TransformArg) * (size_t)(j->n * w + 1));
    if (!items) return false;
    for (int i = 0; i < j->n; i++) {
        const JNode *it = j->kids[i];
        if (w > 1 && (it->type != J_ARR || it->n != w)) {
            snprintf(c->err, sizeof c->err, "each item of the list is a tuple of %d", w);
            return false;
        }
        for (int m = 0; m < w; m++) {
            const JNode *mem = w > 1 ? it->kids[m] : it;
            TArgKind k = shape->kind[m];
            if (head) {
                /* [[head..., item]]: one transform, the item its last argument */
                int hn = head->type == J_ARR ? head->n : 1;
                JNode *call = arena_alloc(c->a, sizeof *call), *list = arena_alloc(c->a, sizeof *list);
                JNode **kids = arena_alloc(c->a, sizeof(JNode *) * (size_t)(hn + 1)), **one = arena_alloc(c->a, sizeof(JNode *));
                if (!call || !list || !kids || !one) return false;
                for (int h = 0; h < hn; h++) kids[h] = head->type == J_ARR ? head->kids[h] : (JNode *)head;
                kids[hn] = (JNode *)mem;
                memset(call, 0, sizeof *call);
                call->type = J_ARR;
                call->kids = kids;
                call->n = hn + 1;
                one[0] = call;
                *list = *call;
                list->kids = one;
                list->n = 1;
                mem = list;
            }
            if (k == TA_VALUE) {
                /* a word is a word (not the case's control, nor a note of an integer case), a number a number */
                TArgKind as = c->control >= 0 || c->base == MINI_INT || c->base == MINI_NOTES ? TA_WORDS : TA_ANY;
                if (!make_arg(c, as, mem, &items[i * w + m])) return false;
                if (!pattern_is_pure(items[i * w + m].pat)) {
                    snprintf(c->err, sizeof c->err, "expected a plain value in the list");
                    return false;
                }
                items[i * w + m].kind = TA_VALUE;
            } else if (!make_arg(c, k, mem, &items[i * w + m])) {
                return false;
            }
        }
    }
    out->items = items;
    out->nitems = j->n;
    return true;
}

/* Operators: "#" "|+" "+|" "|+|" "||+" "+" ..., with [op, param, "mini"] (a control pattern) or
 * [op, "mini"] (a plain pattern of the case's kind). */
static bool op_parse(const char *name, PatOp *op, PatStruct *st)
{
    if (strcmp(name, "#") == 0) {
        *op = OP_KEEP_RIGHT;
        *st = STRUCT_LEFT;
        return true;
    }
    size_t n = strlen(name);
    const char *core = name;
    bool left = false, right = false, squeeze = false;
    if (n >= 2 && name[0] == '|' && name[1] == '|') {
        squeeze = true;
        core += 2;
    } else if (n >= 1 && name[0] == '|') {
        left = true;
        core++;
    }
    size_t cn = strlen(core);
    if (cn >= 1 && core[cn - 1] == '|') {
        right = true;
        cn--;
    }
    if (cn == 2 && core[0] == '+' && core[1] == '+') {
        *op = OP_APPEND;
        *st = (left && right) ? STRUCT_BOTH : left ? STRUCT_LEFT : right ? STRUCT_RIGHT : STRUCT_BOTH;
        return !squeeze && (left || right);
    }
    if (cn != 1 && !(cn == 2 && core[0] == '*' && core[1] == '*')) return false;
    switch (core[0]) {
    case '+': *op = OP_ADD; break;
    case '-': *op = OP_SUB; break;
    case '*': *op = cn == 2 ? OP_POW : OP_MUL; break;
    case '/': *op = OP_DIV; break;
    case '%': *op = OP_MOD; break;
    case '>': *op = OP_KEEP_RIGHT; break;
    case '<': *op = OP_KEEP_LEFT; break;
    default: return false;
    }
    *st = squeeze ? STRUCT_SQUEEZE : (left && right) ? STRUCT_BOTH : left ? STRUCT_LEFT : right ? STRUCT_RIGHT : STRUCT_BOTH;
    return true;
}

static Pattern *control_pattern(Ctx *c, const char *param, const JNode *j)
{
    int key = param_lookup(param);
    if (key < 0) {
        snprintf(c->err, sizeof c->err, "unknown parameter \"%s\"", param);
        return NULL;
    }
    MiniType t = param_info[key].type == PT_SYM ? MINI_WORDS : (key == P_NOTE || key == P_N) ? MINI_NOTES : MINI_NUMBERS;
    Pattern *p = NULL;
    if (j->type == J_STR) p = parse_arg_string(c, j->str, t);
    else if (j->type == J_NUM) p = pattern_pure(c->a, val_num(j->num));
    return p ? pattern_to_map(c->a, p, (Param)key) : NULL;
}

static Pattern *apply_one(Ctx *c, const JNode *t, Pattern *p)
{
    if (!t || t->type != J_ARR || t->n < 1 || t->kids[0]->type != J_STR) {
        snprintf(c->err, sizeof c->err, "a transform is [name, args...]");
        return NULL;
    }
    const char *name = t->kids[0]->str;
    PatOp op;
    PatStruct st;
    if (op_parse(name, &op, &st)) {
        Pattern *r = NULL;
        if (t->n == 3 && t->kids[1]->type == J_STR) r = control_pattern(c, t->kids[1]->str, t->kids[2]);
        else if (t->n == 2) {
            TransformArg arg;
            if (make_arg(c, TA_ANY, t->kids[1], &arg)) r = arg.pat;
        }
        if (!r) {
            if (!c->err[0]) snprintf(c->err, sizeof c->err, "bad operand for %s", name);
            return NULL;
        }
        if (op == OP_APPEND && !ctx_join(c, t->kids[t->n - 1])) return NULL;
        return pattern_op(c->a, op, st, p, r);
    }
    const TransformDef *d = transform_find(name);
    if (!d) {
        snprintf(c->err, sizeof c->err, "unknown transform \"%s\"", name);
        return NULL;
    }
    int given = t->n - 1;
    if (given < d->nargs || (given > d->nargs && !d->variadic) || given > TRANSFORM_MAX_ARGS) {
        snprintf(c->err, sizeof c->err, "%s takes %d argument%s, got %d", name, d->nargs, d->nargs == 1 ? "" : "s", given);
        return NULL;
    }
    TransformArg args[TRANSFORM_MAX_ARGS];
    memset(args, 0, sizeof args);
    int nlists = 0;
    for (int i = 0; i < given; i++) {
        TArgKind k = i < d->nargs ? d->args[i] : d->args[d->nargs - 1];
        if (k == TA_FNHEAD) continue;           /* the list after it brings the functions */
        if (k == TA_LIST) {
            const JNode *head = i > 0 && d->args[i - 1] == TA_FNHEAD ? t->kids[i] : NULL;
            if (!make_list(c, &d->lists[nlists < 2 ? nlists : 1], head, t->kids[i + 1], &args[i])) {
                if (!c->err[0]) snprintf(c->err, sizeof c->err, "bad list (argument %d) of %s", i + 1, name);
                return NULL;
            }
            nlists++;
            continue;
        }
        if (!make_arg(c, k, t->kids[i + 1], &args[i])) {
            if (!c->err[0]) snprintf(c->err, sizeof c->err, "bad argument %d of %s", i + 1, name);
            return NULL;
        }
    }
    char why[200];
    int di = transform_check_degenerate(d, args, given, why, sizeof why);
    if (di >= 0) {
        snprintf(c->err, sizeof c->err, "argument %d of %s: %s", di + 1, name, why);
        return NULL;
    }
    Pattern *out = d->build(c->a, args, p);
    if (!out && !c->err[0]) snprintf(c->err, sizeof c->err, "%s: bad arguments", name);
    return out;
}

static Pattern *apply_list(Ctx *c, const JNode *list, Pattern *p)
{
    if (!list) return p;
    if (list->type != J_ARR) {
        snprintf(c->err, sizeof c->err, "transforms must be a list");
        return NULL;
    }
    for (int i = 0; i < list->n && p; i++) p = apply_one(c, list->kids[i], p);
    return p;
}

static bool type_by_name(const char *s, MiniType *t)
{
    static const struct { const char *name; MiniType t; } names[] = {
        { "words", MINI_WORDS }, { "numbers", MINI_NUMBERS }, { "notes", MINI_NOTES }, { "freq", MINI_FREQ },
        { "time", MINI_TIME }, { "int", MINI_INT }, { "bool", MINI_BOOL }, { "auto", MINI_AUTO },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, s) == 0) {
            *t = names[i].t;
            return true;
        }
    return false;
}

/* The case's pattern: "mini" (or "signal"), optional "type", optional "control" (wrap the values
 * as that parameter), then the transforms in order. */
static Pattern *case_pattern(Ctx *c, const JNode *cs)
{
    const JNode *mini = jget(cs, "mini"), *sig = jget(cs, "signal"), *type = jget(cs, "type");
    const JNode *control = jget(cs, "control");
    c->words = arena_alloc(c->a, sizeof(uint32_t) * CASE_WORDS);
    if (!c->words) return NULL;
    c->nwords = 0;
    ctx_words(c, mini, 0);
    ctx_words(c, jget(cs, "transforms"), 0);
    c->base = MINI_AUTO;
    c->control = control && control->type == J_STR ? param_lookup(control->str) : -1;
    if (type && type->type == J_STR && !type_by_name(type->str, &c->base)) {
        snprintf(c->err, sizeof c->err, "unknown type \"%s\"", type->str);
        return NULL;
    }
    Pattern *p = NULL;
    if (mini && mini->type == J_STR) {
        MiniType t = c->base;
        if (control && control->type == J_STR) {
            int key = param_lookup(control->str);
            if (key < 0) {
                snprintf(c->err, sizeof c->err, "unknown parameter \"%s\"", control->str);
                return NULL;
            }
            if (!type) t = param_info[key].type == PT_SYM ? MINI_WORDS : (key == P_NOTE || key == P_N) ? MINI_NOTES : MINI_NUMBERS;
        }
        MiniError e;
        p = mini_parse(c->a, mini->str, -1, t, &e);
        if (!p) {
            snprintf(c->err, sizeof c->err, "column %d: %s", e.col, e.msg);
            return NULL;
        }
    } else if (sig && sig->type == J_STR) {
        p = pattern_signal(c->a, sig->str);
        if (!p) {
            snprintf(c->err, sizeof c->err, "unknown signal \"%s\"", sig->str);
            return NULL;
        }
    } else {
        snprintf(c->err, sizeof c->err, "a case needs \"mini\" or \"signal\"");
        return NULL;
    }
    if (control && control->type == J_STR) {
        int key = param_lookup(control->str);
        p = pattern_to_map(c->a, p, (Param)key);
        if (!p) return NULL;
    }
    return apply_list(c, jget(cs, "transforms"), p);
}

/* --- querying and printing ------------------------------------------------------------------------ */

typedef struct OutEv {
    Arc whole, part;
    bool has_whole;
    char *value;        /* JSON text */
} OutEv;

typedef struct OutList {
    OutEv *ev;
    int len, cap;
    bool overflow;
} OutList;

static int outev_cmp(const void *a, const void *b)
{
    const OutEv *x = a, *y = b;
    int c = rat_cmp(x->part.begin, y->part.begin);
    if (c) return c;
    if (x->has_whole != y->has_whole) return x->has_whole ? 1 : -1;
    if (x->has_whole && (c = rat_cmp(x->whole.begin, y->whole.begin))) return c;
    if ((c = strcmp(x->value, y->value))) return c;
    if ((c = rat_cmp(x->part.end, y->part.end))) return c;
    if (x->has_whole) return rat_cmp(x->whole.end, y->whole.end);
    return 0;
}

#define EV_CAP (1 << 17)
#define EV_MEM (32u << 20)

static bool collect(const Pattern *p, int64_t c0, int64_t c1, OutList *out)
{
    static EventBuf buf;
    if (!buf.ev && !eventbuf_init(&buf, EV_CAP, EV_MEM)) return false;
    memset(out, 0, sizeof *out);
    for (int64_t k = c0; k < c1; k++) {
        eventbuf_clear(&buf);
        pattern_query(p, arc_make(rat_int(k), rat_int(k + 1)), &buf, NULL);
        if (buf.overflow) out->overflow = true;
        for (int i = 0; i < buf.len; i++) {
            if (out->len == out->cap) {
                int cap = out->cap ? out->cap * 2 : 256;
                OutEv *e = realloc(out->ev, sizeof(OutEv) * (size_t)cap);
                if (!e) return false;
                out->ev = e;
                out->cap = cap;
            }
            Str s = { 0 };
            str_value(&s, &buf.ev[i].value);
            OutEv *o = &out->ev[out->len++];
            o->whole = buf.ev[i].whole;
            o->part = buf.ev[i].part;
            o->has_whole = buf.ev[i].has_whole;
            o->value = s.buf ? s.buf : strdup("null");
        }
    }
    if (out->len > 1) qsort(out->ev, (size_t)out->len, sizeof(OutEv), outev_cmp);
    return true;
}

static void outlist_free(OutList *l)
{
    for (int i = 0; i < l->len; i++) free(l->ev[i].value);
    free(l->ev);
    memset(l, 0, sizeof *l);
}

/* "events":[...] of a collected list */
static void str_events(Str *s, const OutList *out)
{
    str_puts(s, "\"events\":[");
    for (int i = 0; i < out->len; i++) {
        const OutEv *e = &out->ev[i];
        if (i) str_puts(s, ",");
        str_puts(s, "{\"whole\":");
        if (e->has_whole) {
            str_puts(s, "[");
            str_rat(s, e->whole.begin);
            str_puts(s, ",");
            str_rat(s, e->whole.end);
            str_puts(s, "]");
        } else {
            str_puts(s, "null");
        }
        str_puts(s, ",\"part\":[");
        str_rat(s, e->part.begin);
        str_puts(s, ",");
        str_rat(s, e->part.end);
        str_puts(s, "],\"value\":");
        str_puts(s, e->value);
        str_puts(s, "}");
    }
    str_puts(s, "]");
}

char *events_pattern_json(const Pattern *p, int64_t c0, int64_t c1)
{
    OutList out = { 0 };
    Str s = { 0 };
    if (collect(p, c0, c1, &out)) str_events(&s, &out);
    outlist_free(&out);
    return s.buf;
}

/* One input line to one output line (no newline). Returns false for an unreadable line. */
bool events_case_json(const char *line, char **result)
{
    Arena a;
    arena_init(&a);
    JP jp = { line, 0, &a, false };
    JNode *cs = jvalue(&jp, 0);
    Str s = { 0 };
    *result = NULL;
    if (jp.bad || !cs || cs->type != J_OBJ) {
        arena_free(&a);
        return false;
    }
    const JNode *id = jget(cs, "id"), *rnd = jget(cs, "random"), *cyc = jget(cs, "cycles");
    str_puts(&s, "{\"id\":");
    if (id && id->type == J_STR) str_json_string(&s, id->str);
    else if (id && id->type == J_NUM) str_puts(&s, id->str);
    else str_puts(&s, "null");
    str_puts(&s, ",\"random\":");
    str_puts(&s, rnd && rnd->type == J_BOOL && rnd->b ? "true" : "false");
    uint64_t rounded = rat_overflow_count();
    Ctx c = { .a = &a, .base = MINI_AUTO, .control = -1 };
    Pattern *p = case_pattern(&c, cs);
    int64_t c0 = 0, c1 = 1;
    if (cyc && cyc->type == J_ARR && cyc->n == 2) {
        /* from the text: a cycle near 10^18 is beyond a double's integers */
        c0 = cyc->kids[0]->type == J_NUM ? strtoll(cyc->kids[0]->str, NULL, 10) : 0;
        c1 = cyc->kids[1]->type == J_NUM ? strtoll(cyc->kids[1]->str, NULL, 10) : 1;
    }
    OutList out = { 0 };
    if (p && c1 - c0 > 100000) {
        snprintf(c.err, sizeof c.err, "too many cycles");
        p = NULL;
    }
    if (p && !collect(p, c0, c1, &out)) snprintf(c.err, sizeof c.err, "out of memory");
    /* a time 64-bit rationals cannot hold was rounded: the events would be wrong, say so instead */
    if (p && !c.err[0] && rat_overflow_count() != rounded)
        snprintf(c.err, sizeof c.err, "a time beyond 64-bit rationals (numerator or denominator over 2^63)");
    if (!p || c.err[0]) {
        str_puts(&s, ",\"error\":");
        str_json_string(&s, c.err[0] ? c.err : "error");
    } else {
        if (out.overflow) str_puts(&s, ",\"overflow\":true");
        str_puts(&s, ",");
        str_events(&s, &out);
    }
    str_puts(&s, "}");
    outlist_free(&out);
    arena_free(&a);
    *result = s.buf;
    return true;
}

static int run_jsonl(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        const char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (!*p) continue;
        char *res;
        if (!events_case_json(p, &res)) {
            fprintf(stderr, "phonon events: unreadable line: %.60s\n", p);
            status = 1;
            continue;
        }
        puts(res);
        free(res);
    }
    free(line);
    return status;
}

static void print_rat(char *buf, size_t n, Rat r) { rat_format(r, buf, (int)n); }

static int run_table(const char *mini, int64_t c0, int64_t c1, const char *type, const char *transforms,
                     const char *control)
{
    Str in = { 0 };
    str_puts(&in, "{\"id\":\"cli\",\"mini\":");
    str_json_string(&in, mini);
    str_puts(&in, ",\"type\":");
    str_json_string(&in, type ? type : "auto");
    if (control) {
        str_puts(&in, ",\"control\":");
        str_json_string(&in, control);
    }
    if (transforms) {
        str_puts(&in, ",\"transforms\":");
        str_puts(&in, transforms);
    }
    char cyc[64];
    snprintf(cyc, sizeof cyc, ",\"cycles\":[%lld,%lld]}", (long long)c0, (long long)c1);
    str_puts(&in, cyc);

    Arena a;
    arena_init(&a);
    JP jp = { in.buf, 0, &a, false };
    JNode *cs = jvalue(&jp, 0);
    int status = 0;
    if (jp.bad || !cs) {
        fprintf(stderr, "phonon events: bad --transforms (JSON expected)\n");
        status = 2;
    } else {
        Ctx c = { .a = &a, .base = MINI_AUTO, .control = -1 };
        Pattern *p = case_pattern(&c, cs);
        OutList out = { 0 };
        if (!p) {
            fprintf(stderr, "phonon events: %s\n", c.err);
            status = 1;
        } else if (!collect(p, c0, c1, &out)) {
            fprintf(stderr, "phonon events: out of memory\n");
            status = 1;
        } else {
            printf("%-16s %-16s %s\n", "whole", "part", "value");
            for (int i = 0; i < out.len; i++) {
                OutEv *e = &out.ev[i];
                char wb[40], we[40], pb[40], pe[40], w[90], pp[90];
                print_rat(pb, sizeof pb, e->part.begin);
                print_rat(pe, sizeof pe, e->part.end);
                snprintf(pp, sizeof pp, "%s-%s", pb, pe);
                if (e->has_whole) {
                    print_rat(wb, sizeof wb, e->whole.begin);
                    print_rat(we, sizeof we, e->whole.end);
                    snprintf(w, sizeof w, "%s-%s", wb, we);
                } else {
                    snprintf(w, sizeof w, "~");
                }
                printf("%-16s %-16s %s%s\n", w, pp, e->value,
                       e->has_whole && rat_eq(e->whole.begin, e->part.begin) ? "" : "   (fragment)");
            }
            if (out.overflow) printf("(the event buffer overflowed: some events are missing)\n");
        }
        outlist_free(&out);
    }
    arena_free(&a);
    free(in.buf);
    return status;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: phonon events --jsonl < cases.jsonl > events.jsonl\n"
            "       phonon events \"bd*2 [sn cp]\" [--cycles C0 C1] [--type words|numbers|notes|freq|time|int|bool]\n"
            "                     [--control PARAM] [--transforms '[[\"fast\",\"2\"],[\"rev\"]]']\n");
    return 2;
}

int events_main(int argc, char **argv)
{
    const char *mini = NULL, *type = NULL, *transforms = NULL, *control = NULL;
    int64_t c0 = 0, c1 = 1;
    bool jsonl = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--jsonl") == 0) jsonl = true;
        else if (strcmp(argv[i], "--cycles") == 0 && i + 2 < argc) {
            c0 = strtoll(argv[++i], NULL, 10);
            c1 = strtoll(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) type = argv[++i];
        else if (strcmp(argv[i], "--transforms") == 0 && i + 1 < argc) transforms = argv[++i];
        else if (strcmp(argv[i], "--control") == 0 && i + 1 < argc) control = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] == '-') return usage();
        else mini = argv[i];
    }
    if (jsonl) return run_jsonl();
    if (!mini || c1 <= c0) return usage();
    return run_table(mini, c0, c1, type, transforms, control);
}
