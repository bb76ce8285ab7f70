/* lang.c — printing an AST back as text, fully parenthesised, for tests and debugging.
 * The output parses back to the same tree (see docs/SYNTAX.md, "lang_format"). */
#include "lang.h"

#include <stdio.h>
#include <string.h>

typedef struct Out {
    char *buf;
    int size, n;        /* n counts every char, also those that did not fit (like snprintf) */
} Out;

static void out_str(Out *o, const char *s, int len)
{
    for (int i = 0; i < len; i++, o->n++)
        if (o->n < o->size - 1) o->buf[o->n] = s[i];
}

static void out_cstr(Out *o, const char *s) { out_str(o, s ? s : "?", (int)strlen(s ? s : "?")); }

static void format_node(Out *o, const AstNode *n);

static void format_list(Out *o, const AstNode *n, const char *sep)
{
    out_cstr(o, "(");
    for (int i = 0; i < n->nargs; i++) {
        if (i) out_cstr(o, sep);
        format_node(o, n->args[i]);
    }
    out_cstr(o, ")");
}

static void format_node(Out *o, const AstNode *n)
{
    if (!n) { out_cstr(o, "<null>"); return; }
    switch (n->kind) {
    case AST_NUM:
    case AST_NAME:
        out_cstr(o, n->text);
        break;
    case AST_STR:
        out_cstr(o, "\"");
        out_cstr(o, n->text);
        out_cstr(o, "\"");
        break;
    case AST_BUS:
        out_cstr(o, "~");
        out_cstr(o, n->text);
        break;
    case AST_CALL:
        out_cstr(o, "(");
        out_cstr(o, n->text);
        for (int i = 0; i < n->nargs; i++) {
            out_cstr(o, " ");
            format_node(o, n->args[i]);
        }
        out_cstr(o, ")");
        break;
    case AST_BINOP:
        out_cstr(o, "(");
        format_node(o, n->nargs > 0 ? n->args[0] : NULL);
        out_cstr(o, " ");
        out_cstr(o, n->op);
        out_cstr(o, " ");
        format_node(o, n->nargs > 1 ? n->args[1] : NULL);
        out_cstr(o, ")");
        break;
    case AST_NEG:
        out_cstr(o, "(- ");                 /* the blank keeps (- 1) apart from the literal -1 */
        format_node(o, n->nargs > 0 ? n->args[0] : NULL);
        out_cstr(o, ")");
        break;
    case AST_SECTION:
        out_cstr(o, "(");
        if (n->hole_left) { out_cstr(o, n->op); out_cstr(o, " "); }
        format_node(o, n->nargs > 0 ? n->args[0] : NULL);
        if (!n->hole_left) { out_cstr(o, " "); out_cstr(o, n->op); }
        out_cstr(o, ")");
        break;
    case AST_DOLLAR:
        format_list(o, n, " $ ");
        break;
    case AST_COMPOSE:
        format_list(o, n, " . ");
        break;
    case AST_TUPLE:
        format_list(o, n, ", ");
        break;
    case AST_LIST:
        out_cstr(o, "[");
        for (int i = 0; i < n->nargs; i++) {
            if (i) out_cstr(o, ", ");
            format_node(o, n->args[i]);
        }
        out_cstr(o, "]");
        break;
    }
}

int lang_format(const AstNode *n, char *buf, int size)
{
    Out o = {buf, buf ? size : 0, 0};
    format_node(&o, n);
    if (o.size > 0) o.buf[o.n < o.size ? o.n : o.size - 1] = 0;
    return o.n;
}
