/* lang_lex.c — the .ph lexer: comments, statement heads, and one line of text -> tokens.
 * A line is lexed on its own; the parser joins the tokens of continuation lines. */
#include "lang_lex.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lex_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static int lex_digit(int c) { return c >= '0' && c <= '9'; }
static int lex_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int lex_namechar(int c) { return lex_alpha(c) || lex_digit(c) || c == '\''; }

int lang_lex_content(const char *s, int len)
{
    int in_str = 0, end = len;
    for (int i = 0; i < len; i++) {
        if (s[i] == '"') in_str = !in_str;
        else if (!in_str && s[i] == '-' && i + 1 < len && s[i + 1] == '-') { end = i; break; }
    }
    while (end > 0 && lex_blank((unsigned char)s[end - 1])) end--;
    return end;
}

static int lex_name_len(const char *s, int len)
{
    if (len <= 0 || !lex_alpha((unsigned char)s[0])) return 0;
    int n = 1;
    while (n < len && lex_namechar((unsigned char)s[n])) n++;
    return n;
}

static int lex_is(const char *s, int n, const char *word)
{
    return (int)strlen(word) == n && memcmp(s, word, n) == 0;
}

int lang_lex_is_track(const char *s, int n)
{
    int p = n >= 3 && memcmp(s, "out", 3) == 0 ? 3 : n >= 1 && (s[0] == 'd' || s[0] == 'o') ? 1 : 0;
    if (p == 0) return 0;
    if (p == 3 && n == 3) return 1;     /* plain `out` */
    if (p == n) return 0;               /* `d` or `o` without a number */
    for (int i = p; i < n; i++)
        if (!lex_digit((unsigned char)s[i])) return 0;
    return 1;
}

int lang_is_statement_head(const char *line, size_t len)
{
    const char *nl = memchr(line, '\n', len);
    int n = nl ? (int)(nl - line) : len > (size_t)1 << 30 ? 1 << 30 : (int)len;
    int i = 0;
    while (i < n && lex_blank((unsigned char)line[i])) i++;
    int bus = i < n && line[i] == '~';
    int w = i + bus;
    int wn = lex_name_len(line + w, n - w);
    if (wn == 0) return 0;
    int k = w + wn;
    while (k < n && lex_blank((unsigned char)line[k])) k++;
    int c = k < n ? line[k] : 0;
    int assign = c == ':' || c == '$';
    if (bus) return assign;
    const char *word = line + w;
    if (lex_is(word, wn, "bpm") || lex_is(word, wn, "tempo") || lex_is(word, wn, "cps")) return c == ':';
    if (lex_is(word, wn, "hush") || lex_is(word, wn, "panic"))
        return k == n || (c == '-' && k + 1 < n && line[k + 1] == '-');
    return lang_lex_is_track(word, wn) && assign;
}

/* ---- errors and descriptions ---------------------------------------------------------------- */

static void lex_error(LangError *err, int line, int col, const char *msg)
{
    err->line = line;
    err->col = col;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}

/* An error whose message shows (a bounded piece of) the offending text through fmt's one %s. */
static void lex_error_at(LangError *err, int line, int col, const char *fmt, const char *arg, int arglen)
{
    char shown[64];
    int n = arglen < 40 ? arglen : 40;
    while (n < arglen && n > 0 && ((unsigned char)arg[n] & 0xC0) == 0x80) n--;     /* whole UTF-8 chars */
    snprintf(shown, sizeof shown, "%.*s%s", n, arg, n < arglen ? "..." : "");
    err->line = line;
    err->col = col;
    snprintf(err->msg, sizeof err->msg, fmt, shown);
}

/* A character the language has no use for, shown as itself when printable (a whole UTF-8
 * sequence too), else as \xNN. */
static void lex_unknown_char(LangError *err, const char *s, int len, int i, int line)
{
    unsigned char c = (unsigned char)s[i];
    int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
    int ok = c >= 0x21 && c != 0x7F;
    if (n > 1) {
        ok = i + n <= len;
        for (int k = 1; ok && k < n; k++) ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
    }
    if (ok) {
        lex_error_at(err, line, i + 1, "unknown character '%s'", s + i, n);
    } else {
        char hex[8];
        snprintf(hex, sizeof hex, "\\x%02X", c);
        lex_error_at(err, line, i + 1, "unknown character '%s'", hex, 4);
    }
}

void lang_lex_describe(const LangTok *t, char *buf, int size)
{
    if (t->kind == LTOK_END) { snprintf(buf, size, "the end of the statement"); return; }
    const char *s = t->s;
    int n = t->len;
    if (t->kind == LTOK_BUS) { s--; n++; }                 /* show the '~' too */
    int shown = n < 24 ? n : 24;
    while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80) shown--;
    const char *q = t->kind == LTOK_STR ? "\"" : "'";
    snprintf(buf, size, "%s%.*s%s%s", q, shown, s, shown < n ? "..." : "", q);
}

/* ---- numbers -------------------------------------------------------------------------------- */

/* strtod, but always with '.' as the decimal point whatever the host's locale (Pd may set one). */
static double lex_strtod(const char *s, int n)
{
    const char *dp = localeconv()->decimal_point;
    size_t dpn = dp && *dp ? strlen(dp) : 1;
    char small[128];
    size_t need = (size_t)n + dpn + 1;
    char *b = need <= sizeof small ? small : malloc(need);
    if (!b) return NAN;
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] == '.' && dp && *dp) { memcpy(b + k, dp, dpn); k += dpn; }
        else b[k++] = s[i];
    }
    b[k] = 0;
    double v = strtod(b, NULL);
    if (b != small) free(b);
    return v;
}

/* Length of the number at s: digits [. digits] [e [+-] digits], or . digits [e ...]. */
static int lex_number_len(const char *s, int len)
{
    int j = 0;
    while (j < len && lex_digit((unsigned char)s[j])) j++;
    if (j + 1 < len && s[j] == '.' && lex_digit((unsigned char)s[j + 1])) {
        j++;
        while (j < len && lex_digit((unsigned char)s[j])) j++;
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        int k = j + 1;
        if (k < len && (s[k] == '+' || s[k] == '-')) k++;
        if (k < len && lex_digit((unsigned char)s[k])) {
            while (k < len && lex_digit((unsigned char)s[k])) k++;
            j = k;
        }
    }
    return j;
}

/* ---- tokens --------------------------------------------------------------------------------- */

LangTok *lang_lex_push(LangTokBuf *b)
{
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 64;
        LangTok *v = realloc(b->v, (size_t)cap * sizeof *v);
        if (!v) return NULL;
        b->v = v;
        b->cap = cap;
    }
    LangTok *t = &b->v[b->n++];
    memset(t, 0, sizeof *t);
    return t;
}

/* The operator at s, longest match first; 0 when there is none. */
static int lex_operator(const char *s, int len, char op[5])
{
    static const char *const ops[] = {
        "|++|", "|++", "++|",
        "|+|", "|-|", "|*|", "|/|", "|%|", "|>|", "|<|",
        "|+", "|-", "|*", "|/", "|%", "|>", "|<", "+|", "-|", "*|", "/|", "%|", ">|", "<|",
        "<~", "~>", "==", "/=", "<=", ">=", "<", ">", "#", "$", ".", "+", "-", "*", "/", "%",
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        int n = (int)strlen(ops[i]);
        if (n <= len && memcmp(s, ops[i], n) == 0) {
            memcpy(op, ops[i], n + 1);
            return n;
        }
    }
    return 0;
}

/* One token starting at s[i] (not a blank). Returns its length, 0 on a lexical error. */
static int lex_token(const char *s, int len, int i, int line, LangTok *t, LangError *err)
{
    const char *p = s + i;
    int rest = len - i;
    unsigned char c = (unsigned char)*p;
    t->line = line;
    t->col = i + 1;
    t->s = p;
    if (c == '"') {
        const char *close = memchr(p + 1, '"', rest - 1);
        if (!close) { lex_error(err, line, i + 1, "unterminated string (started here)"); return 0; }
        const char *nul = memchr(p + 1, 0, close - p - 1);
        if (nul) { lex_unknown_char(err, s, len, (int)(nul - s), line); return 0; }
        t->kind = LTOK_STR;
        t->s = p + 1;
        t->len = (int)(close - p - 1);
        return t->len + 2;
    }
    if (lex_digit(c) || (c == '.' && rest > 1 && lex_digit((unsigned char)p[1]))) {
        int n = lex_number_len(p, rest);
        if (n < rest && (lex_namechar((unsigned char)p[n]) ||
                         (p[n] == '.' && n + 1 < rest && lex_digit((unsigned char)p[n + 1])))) {
            int bad = n;
            while (bad < rest && (lex_namechar((unsigned char)p[bad]) || p[bad] == '.')) bad++;
            lex_error_at(err, line, i + 1, "malformed number '%s'", p, bad);
            return 0;
        }
        t->kind = LTOK_NUM;
        t->len = n;
        t->num = lex_strtod(p, n);
        if (isnan(t->num)) { lex_error(err, line, i + 1, "out of memory"); return 0; }    /* lex_strtod's copy */
        if (!isfinite(t->num)) { lex_error_at(err, line, i + 1, "number out of range '%s'", p, n); return 0; }
        return n;
    }
    if (lex_alpha(c)) {
        t->kind = LTOK_NAME;
        t->len = lex_name_len(p, rest);
        return t->len;
    }
    if (c == '~' && rest > 1 && lex_alpha((unsigned char)p[1])) {
        t->kind = LTOK_BUS;
        t->s = p + 1;
        t->len = lex_name_len(p + 1, rest - 1);
        return t->len + 1;
    }
    if (c == '(' || c == ')' || c == ':') {
        t->kind = c == '(' ? LTOK_LPAREN : c == ')' ? LTOK_RPAREN : LTOK_COLON;
        t->len = 1;
        return 1;
    }
    if (c == '[' || c == ']' || c == ',') {
        t->kind = c == '[' ? LTOK_LBRACKET : c == ']' ? LTOK_RBRACKET : LTOK_COMMA;
        t->len = 1;
        return 1;
    }
    int n = lex_operator(p, rest, t->op);
    if (n) {
        t->kind = LTOK_OP;
        t->len = n;
        if (n == 1 && c == '-') {
            int after_gap = i == 0 || lex_blank((unsigned char)s[i - 1]) || s[i - 1] == '(' || s[i - 1] == '[' ||
                            s[i - 1] == ',';
            int digit_next = rest > 1 && (lex_digit((unsigned char)p[1]) ||
                                          (p[1] == '.' && rest > 2 && lex_digit((unsigned char)p[2])));
            t->neg_ok = after_gap && digit_next;
        }
        return n;
    }
    if (c == '~') { lex_error(err, line, i + 1, "expected a bus name after '~'"); return 0; }
    lex_unknown_char(err, s, len, i, line);
    return 0;
}

int lang_lex_line(const char *s, int len, int line, LangTokBuf *buf, LangError *err)
{
    int first = 1;
    for (int i = 0; i < len;) {
        if (lex_blank((unsigned char)s[i])) { i++; continue; }
        LangTok *t = lang_lex_push(buf);
        if (!t) return -1;
        int n = lex_token(s, len, i, line, t, err);
        if (n == 0) { buf->n--; return 1; }
        t->end_col = i + n + 1;
        t->line_start = first;
        first = 0;
        i += n;
    }
    return 0;
}

void lang_lex_free(LangTokBuf *buf)
{
    free(buf->v);
    buf->v = NULL;
    buf->n = buf->cap = 0;
}
