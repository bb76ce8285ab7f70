/* compile.c — AST -> Program.
 *
 * Every expression compiles to a CVal of one of these types: a number, an unparsed string (parsed
 * later, as the consumer's mini-notation type), a pattern, a control pattern ("event chain"), a
 * signal (a buffer of the graph being built) or a function (pattern -> pattern). Coercions between
 * them are where the language's rules live: a pattern used as a signal becomes a stepped control, an
 * event chain used as a signal becomes a player, a signal used as a pattern is sampled at onsets.
 * Buses compile on first use, so order in the file does not matter; a bus reached again while it is
 * being compiled reads its own previous block (feedback). Instruments compile the same expressions
 * into a second graph whose nodes run VOICE_LANES voices side by side. A last pass keeps only what
 * reaches an output and orders the global graph so that what voices need runs before them. */
#include "compile.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "mini.h"

/* Error paths stay out of line: their message buffers would otherwise sit in every frame of the
 * recursive compile, and how deep it may go is bounded by stack size (COMPILE_MAX_DEPTH). */
#define COLD __attribute__((noinline, cold))
#define NOINLINE __attribute__((noinline))

/* ------------------------------------------------------------------------------------------------
 * growable arrays (compile time only) */

/* Room for one more element in *arr (n used, *cap allocated, elem bytes each). false when out of
 * memory: the array is left as it was and the caller reports the error (never abort: inside Pd that
 * would take Pd down). */
static bool vec_reserve(void **arr, int n, int *cap, size_t elem)
{
    if (n < *cap) return true;
    int ncap = *cap ? *cap * 2 : 16;
    if (ncap <= *cap) return false;
    void *grown = realloc(*arr, (size_t)ncap * elem);
    if (!grown) return false;
    *arr = grown;
    *cap = ncap;
    return true;
}

/* Append item; an expression, true when it was appended. */
#define VEC_PUSH(arr, n, cap, item) \
    (vec_reserve((void **)&(arr), (n), &(cap), sizeof *(arr)) ? ((arr)[(n)++] = (item), true) : false)

/* ------------------------------------------------------------------------------------------------
 * graph builder */

typedef struct GB {
    GraphNode *nodes;
    int nnodes, capnodes;
    GraphBuf *bufs;
    int nbufs, capbufs;
    int nstate;
    bool inst;                  /* an instrument graph: every node runs VOICE_LANES lanes */
    int *ext_global;            /* instrument: global buffer behind extern VEXT_FIRST_GLOBAL + k */
    int next, capext;
    int freq_buf, gate_buf;     /* instrument: the VEXT_FREQ / VEXT_GATE buffers, -1 until used */
} GB;

/* A new buffer of g; -1 when out of memory (the caller reports it). */
static int gb_buf(GB *g, GraphBufKind kind, int lanes, float value, int ext)
{
    GraphBuf b = { kind, lanes, value, ext };
    return VEC_PUSH(g->bufs, g->nbufs, g->capbufs, b) ? g->nbufs - 1 : -1;
}

static void gb_free(GB *g)
{
    free(g->nodes);
    free(g->bufs);
    free(g->ext_global);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------------------------------------------
 * compile-time values */

typedef enum CvKind { CV_NONE, CV_NUM, CV_STR, CV_PAT, CV_CHAIN, CV_SIG, CV_FN, CV_LIST } CvKind;

typedef struct CVal {
    CvKind kind;
    double num;                 /* CV_NUM */
    Rat q;                      /* CV_NUM when exact: the rational it spells (1/3 is 1/3, 0.1 is 1/10) */
    bool exact;
    const AstNode *node;        /* where it came from (CV_NUM / CV_STR keep their text here) */
    Pattern *pat;               /* CV_PAT, CV_CHAIN */
    MiniType ptype;             /* CV_PAT: the type its strings were parsed as */
    int buf;                    /* CV_SIG: buffer of the current graph */
    const PatternFn *fn;        /* CV_FN */
    bool control;               /* CV_FN: only applies to event chains */
    int bus;                    /* the bus it is the value of, or -1 */
    const AstNode *orbit_varies;/* CV_CHAIN: its `orbit` call, when the orbit may change from event to event */
    const uint32_t *words;      /* CV_PAT / CV_CHAIN made by a join (|++): the words it can make */
    int nwords;
} CVal;

static const CVal cv_none = { .kind = CV_NONE, .bus = -1 };
#define LIST_ONLY_ARG "a list [...] is an argument of the functions that take lists (choose, spread, timeCat, squeeze ...), not a value of its own"

/* ------------------------------------------------------------------------------------------------
 * compiler state */

typedef enum BusState { BUS_NEW, BUS_BUSY, BUS_DONE } BusState;

typedef struct Bus {
    const char *name;
    int stmt;
    const AstNode *expr;
    BusState state;
    CVal val;                   /* global-mode value */
    int player_buf;             /* when its chain became a player: that player's buffer */
    int feedback_ext;           /* extern reading its previous block, -1 if nobody needed one */
    int feedback_buf;
    bool used;                  /* referenced by another expression or as an instrument */
    int inst;                   /* index into instruments once compiled, -1 */
    bool inst_busy;
    int slot_buf;               /* a number bus read as a signal: the global buffer of its control slot, -1 */
} Bus;

typedef struct Feedback {
    int ext;                    /* the extern that reads it */
    int bus;
} Feedback;

typedef struct InstBuild {
    GB gb;
    int bus;
    int out;
} InstBuild;

typedef struct SoundNote {
    uint32_t base;
    int line, col;
} SoundNote;

typedef struct SoundSeen {
    uint32_t sym;
    int line, col;
    int stmt;                   /* where it was seen (for messages) */
} SoundSeen;

typedef struct Comp {
    const CompileEnv *env;
    Program *prog;
    Arena *a;
    AstProgram ast;

    CompileMsg *msgs;
    int maxmsgs, nmsgs, nerrors;

    GB global;
    GB *gb;                     /* the graph being built: &global or an instrument's */
    int cur_stmt;
    const char *cur_name;
    int player_count;           /* per statement, for naming */

    Bus *buses;
    int nbuses, capbuses;

    Extern *externs;
    int nexterns, capexterns;
    Player *players;
    int nplayers, capplayers;
    Ctrl *ctrls;
    int nctrls, capctrls;
    Probe *probes;
    int nprobes, capprobes;
    Track *tracks;
    int ntracks, captracks;
    Feedback *feedbacks;
    int nfeedbacks, capfeedbacks;
    InstBuild *insts;
    int ninsts, capinsts;
    SoundSeen *sounds;
    int nsounds, capsounds;

    int global_gate_buf;        /* the cycle-synced gate for envelopes outside instruments */
    unsigned seed;

    /* node identity: how many nodes of each (statement, kind) the global graph has so far */
    uint64_t *ord_key;          /* open addressing, keyed by graph_node_key(statement, kind, 0) */
    int *ord_count;
    int ord_cap, ord_n;
    bool oom;                   /* an allocation failed: reported once, nothing is built */
    bool reads_controls;        /* a pattern reads a host control slot (pattern_control) */
    int nbusrefs;               /* bus references compiled so far (a statement reading none may be cached) */
    SoundNote *notes;           /* every sound word noted, in order, repeats too (what a cached statement
                                   notes again when it is reused) */
    int nnotes, capnotes;
    SharedArena **held;         /* the statement arenas this program's patterns live in */
    int nheld, capheld;
    int ncompiled, nreused;     /* statements compiled / taken from the cache */
    int depth;                  /* nested compile_expr calls, through buses too (COMPILE_MAX_DEPTH) */
    int bus_depth;              /* buses being compiled, each inside the one before */
    bool too_deep;              /* one of the two limits was hit (reported once) */
} Comp;

/* Every message has a position: one without a node of its own is put at the statement being compiled
 * (or the program's start). */
static void comp_msg_place(const Comp *c, int *line, int *col)
{
    if (*line >= 1 && *col >= 1) return;
    const Stmt *st = c->cur_stmt >= 0 && c->cur_stmt < c->ast.nstmts ? &c->ast.stmts[c->cur_stmt] : NULL;
    *line = st ? st->line : 1;
    *col = st ? st->col : 1;
}

COLD static void comp_msg(Comp *c, bool warning, int line, int col, const char *fmt, va_list ap)
{
    if (!warning) c->nerrors++;
    if (c->nmsgs >= c->maxmsgs) return;
    CompileMsg *m = &c->msgs[c->nmsgs++];
    comp_msg_place(c, &line, &col);
    m->line = line;
    m->col = col;
    m->warning = warning;
    m->stmt = c->cur_stmt;
    vsnprintf(m->msg, sizeof m->msg, fmt, ap);
}

COLD static void comp_msg_text(Comp *c, bool warning, int line, int col, const char *text)
{
    if (!warning) c->nerrors++;
    if (c->nmsgs >= c->maxmsgs) return;
    CompileMsg *m = &c->msgs[c->nmsgs++];
    comp_msg_place(c, &line, &col);
    m->line = line;
    m->col = col;
    m->warning = warning;
    m->stmt = c->cur_stmt;
    snprintf(m->msg, sizeof m->msg, "%s", text);
}

COLD static void comp_error(Comp *c, const AstNode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    comp_msg(c, false, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
}

COLD static void comp_err_at(Comp *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    comp_msg(c, false, line, col, fmt, ap);
    va_end(ap);
}

COLD static void comp_warn_at(Comp *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    comp_msg(c, true, line, col, fmt, ap);
    va_end(ap);
}

COLD static CVal comp_fail(Comp *c, const AstNode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    comp_msg(c, false, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
    return cv_none;
}

/* Out of memory: one error, at the statement being compiled; the program is not built. */
COLD static CVal comp_oom(Comp *c)
{
    if (!c->oom) {
        c->oom = true;
        int line = c->cur_stmt >= 0 && c->cur_stmt < c->ast.nstmts ? c->ast.stmts[c->cur_stmt].line : 1;
        comp_msg_text(c, false, line, 1, "out of memory");
    }
    return cv_none;
}

/* A buffer index from gb_buf, or -1 reported as out of memory. */
static int comp_buf_ok(Comp *c, int buf)
{
    if (buf < 0) comp_oom(c);
    return buf;
}

/* A pattern from a constructor, or NULL reported as out of memory. */
static Pattern *comp_pat_ok(Comp *c, Pattern *p)
{
    if (!p) comp_oom(c);
    return p;
}

static const char *cv_describe(const CVal *v)
{
    switch (v->kind) {
    case CV_NUM: return "a number";
    case CV_STR: return "a pattern string";
    case CV_PAT: return "a pattern";
    case CV_CHAIN: return "an event chain";
    case CV_SIG: return "a signal";
    case CV_FN: return "a function";
    case CV_LIST: return "a list";
    default: return "nothing";
    }
}

/* ------------------------------------------------------------------------------------------------
 * externs, nodes, constants */

static int comp_extern(Comp *c, ExternKind kind, int index, int lanes)
{
    Extern e = { kind, index, lanes, 0 };
    if (!VEC_PUSH(c->externs, c->nexterns, c->capexterns, e)) return comp_buf_ok(c, -1);
    return comp_buf_ok(c, gb_buf(&c->global, GB_EXTERN, lanes, 0, c->nexterns - 1));
}

static int comp_const(Comp *c, float x) { return comp_buf_ok(c, gb_buf(c->gb, GB_CONST, 1, x, 0)); }

static int buf_lanes(GB *g, int b) { return g->bufs[b].lanes; }

/* The identity of the next global node of kind k in the statement being compiled: the statement's name,
 * the kind, and how many nodes of that kind the statement has made before it (see graph_node_key). */
static uint64_t comp_node_key(Comp *c, const DspKind *k)
{
    const char *stmt = c->cur_name ? c->cur_name : "";
    if (*stmt == '~') stmt++;
    if (c->ord_n * 2 >= c->ord_cap) {
        int cap = c->ord_cap ? c->ord_cap * 2 : 64;
        uint64_t *keys = calloc((size_t)cap, sizeof *keys);
        int *counts = calloc((size_t)cap, sizeof *counts);
        if (!keys || !counts) {
            free(keys);
            free(counts);
            comp_error(c, NULL, "out of memory");
            return 0;
        }
        for (int i = 0; i < c->ord_cap; i++) {
            if (!c->ord_key[i]) continue;
            uint32_t h = (uint32_t)c->ord_key[i] & (uint32_t)(cap - 1);
            while (keys[h]) h = (h + 1) & (uint32_t)(cap - 1);
            keys[h] = c->ord_key[i];
            counts[h] = c->ord_count[i];
        }
        free(c->ord_key);
        free(c->ord_count);
        c->ord_key = keys;
        c->ord_count = counts;
        c->ord_cap = cap;
    }
    uint64_t base = graph_node_key(stmt, k, 0);
    uint32_t h = (uint32_t)base & (uint32_t)(c->ord_cap - 1);
    while (c->ord_key[h] && c->ord_key[h] != base) h = (h + 1) & (uint32_t)(c->ord_cap - 1);
    if (!c->ord_key[h]) {
        c->ord_key[h] = base;
        c->ord_n++;
    }
    return graph_node_key(stmt, k, c->ord_count[h]++);
}

/* A node of kind k reading bufs in[]; returns its output buffer. */
static int comp_node(Comp *c, const DspKind *k, const int *in, const AstNode *at)
{
    GB *g = c->gb;
    for (int i = 0; i < k->ninputs; i++)
        if (in[i] < 0) return -1;           /* an input failed (already reported) */
    int lanes = 1;
    if (g->inst) lanes = VOICE_LANES;
    else
        for (int i = 0; i < k->ninputs; i++)
            if (buf_lanes(g, in[i]) > lanes) lanes = buf_lanes(g, in[i]);
    int out_lanes = k->out_lanes ? k->out_lanes : lanes;
    if (g->inst && out_lanes != VOICE_LANES) {
        comp_error(c, at, "%s makes a stereo signal; inside an instrument each voice is mono "
                          "(voices are panned with the pan parameter)", k->name);
        out_lanes = VOICE_LANES;
    }
    GraphNode nd;
    memset(&nd, 0, sizeof nd);
    nd.kind = k;
    for (int i = 0; i < k->ninputs; i++) nd.in[i] = in[i];
    nd.lanes = lanes;
    nd.state = g->nstate;
    nd.nstate = dsp_state_floats_lanes(k, (float)c->env->sr, lanes);
    nd.seed = (c->seed += 0x9E3779B9u);
    nd.line = at ? at->line : 0;
    nd.col = at ? at->col : 0;
    if (!g->inst) nd.key = comp_node_key(c, k);
    g->nstate += nd.nstate;
    nd.out = gb_buf(g, GB_NODE, out_lanes, 0, 0);
    if (nd.out < 0 || !VEC_PUSH(g->nodes, g->nnodes, g->capnodes, nd)) return comp_buf_ok(c, -1);
    return nd.out;
}

static const DspKind *comp_kind(Comp *c, const char *name, const AstNode *at)
{
    const DspKind *k = dsp_find(name);
    if (!k) comp_error(c, at, "internal: signal function '%s' is missing", name);
    return k;
}

static int comp_binary_node(Comp *c, const char *kname, int a, int b, const AstNode *at)
{
    const DspKind *k = comp_kind(c, kname, at);
    if (!k || a < 0 || b < 0) return -1;
    int in[DSP_MAX_INPUTS] = { a, b };
    return comp_node(c, k, in, at);
}

/* ------------------------------------------------------------------------------------------------
 * sounds: words of `s` patterns are resolved when the program is built */

static bool word_char(int ch) { return isalnum(ch) || ch == '_' || ch == '.' || ch == ':' || ch == '-' || ch == '#' || ch == '\''; }

static void comp_note_base(Comp *c, uint32_t base, int line, int col);

static void comp_note_sound(Comp *c, const char *w, size_t len, int line, int col)
{
    bool number = true;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)w[i]) && w[i] != '.' && w[i] != '-') number = false;
    if (number) return;
    uint32_t sym = sym_intern_len(w, len);
    uint32_t base = sym_info(sym)->base;
    if (base == 0) {                            /* the symbol table could not take it */
        comp_oom(c);
        return;
    }
    SoundNote note = { base, line, col };
    if (!VEC_PUSH(c->notes, c->nnotes, c->capnotes, note)) comp_oom(c);
    comp_note_base(c, base, line, col);
}

/* A sound the program plays, once (its first place is where messages about it point). */
static void comp_note_base(Comp *c, uint32_t base, int line, int col)
{
    for (int i = 0; i < c->nsounds; i++)
        if (c->sounds[i].sym == base) return;
    SoundSeen s = { base, line, col, c->cur_stmt };
    if (!VEC_PUSH(c->sounds, c->nsounds, c->capsounds, s)) comp_oom(c);
}

static int comp_bus_find(Comp *c, const char *name);

typedef struct SoundScan {
    Comp *c;
    const AstNode *str;
} SoundScan;

static void sound_word(void *ud, const char *w, size_t len, size_t at)
{
    const SoundScan *ss = ud;
    comp_note_sound(ss->c, w, len, ss->str->line, ss->str->col + 1 + (int)at);
}

/* The words of an `s` string, by the mini-notation's own word rule (pattern_words_each). */
static void comp_scan_sounds(Comp *c, const AstNode *str)
{
    SoundScan ss = { c, str };
    pattern_words_each(str->text, strlen(str->text), sound_word, &ss);
}

/* The sounds of `s (expr)`: the words of the strings that can become its values — the input of
 * each transform, its pattern arguments of the input's kind and its lists, through buses — and not
 * those of its other arguments (`s (struct "t f" "bd")` plays bd, not t). */
static void comp_value_sounds(Comp *c, const AstNode *n, unsigned char *seen, int depth)
{
    if (!n || depth > LANG_MAX_DEPTH) return;
    switch (n->kind) {
    case AST_STR: comp_scan_sounds(c, n); return;
    case AST_BUS: {
        int b = comp_bus_find(c, n->text);
        if (b >= 0 && !seen[b]) {
            seen[b] = 1;
            comp_value_sounds(c, c->buses[b].expr, seen, depth + 1);
        }
        return;
    }
    case AST_CALL: {
        const TransformDef *d = transform_find(n->text);
        if (!d) return;                 /* a parameter or a signal: not words of this pattern */
        for (int i = 0; i < n->nargs; i++) {
            TArgKind k = i < d->nargs ? d->args[i] : d->variadic ? d->args[d->nargs - 1] : TA_ANY;
            if (k == TA_ANY || k == TA_LIST || k == TA_VALUE) comp_value_sounds(c, n->args[i], seen, depth + 1);
        }
        return;
    }
    case AST_SECTION: return;
    default:
        for (int i = 0; i < n->nargs; i++) comp_value_sounds(c, n->args[i], seen, depth + 1);
    }
}

/* ------------------------------------------------------------------------------------------------
 * patterns from values */

/* A mini-notation error, moved into the file. A string's column 1 is the character after its opening
 * quote, and the string holds the file's characters one for one (the .ph language has no escapes in
 * strings, and a string never spans lines), so a column in the string is that plus the quote's. A
 * bracket the message mentions ("to close '[' at column 4") is named by its file column, and a
 * bracket left open is reported where it was opened. */
COLD static void comp_mini_error(Comp *c, const AstNode *n, const MiniError *err)
{
    int base = n->kind == AST_STR ? n->col : n->col - 1;       /* file column of the string's column 0 */
    const char *msg = err->msg[0] ? err->msg : "bad pattern";
    const char *close = strstr(msg, "to close '");
    char bracket = 0;
    int scol = 0, used = 0;
    if (close && sscanf(close, "to close '%c' at column %d%n", &bracket, &scol, &used) == 2 && scol >= 1) {
        int fcol = base + scol;
        const char *rest = close + used;
        int want = bracket == '[' ? ']' : bracket == '<' ? '>' : bracket == '{' ? '}' : bracket == '(' ? ')' : '?';
        if (strncmp(msg, "unexpected end of input", 23) == 0) {
            comp_err_at(c, n->line, fcol, "unclosed '%c': no '%c' before the end of the string", bracket, want);
            return;
        }
        comp_err_at(c, n->line, base + err->col, "%.*sto close '%c' at column %d%s", (int)(close - msg), msg, bracket,
                    fcol, rest);
        return;
    }
    comp_msg_text(c, false, n->line, base + err->col, msg);
}

static Pattern *comp_parse(Comp *c, const AstNode *n, MiniType type)
{
    MiniError err;
    memset(&err, 0, sizeof err);
    const char *text = n->text ? n->text : "";
    Pattern *p = mini_parse(c->a, text, (int)strlen(text), type, &err);
    if (!p) comp_mini_error(c, n, &err);
    return p;
}

static int comp_probe(Comp *c, int buf);

/* A number bus read where a pattern goes (`fast ~n`, `# gain ~g`) is the host's control slot for that
 * name, read at each query: `set ~n 3` changes it from the next block on, with no compile. NULL when
 * v is not a bus or there is no host (it is then the constant it holds). */
static Pattern *comp_control_pattern(Comp *c, const CVal *v, MiniType type)
{
    if (v->bus < 0 || !c->env->slot || c->gb->inst) return NULL;
    int slot = c->env->slot(c->env->ud, c->buses[v->bus].name);
    if (slot < 0) return NULL;
    ControlAs as = type == MINI_TIME ? CONTROL_TIME : type == MINI_BOOL ? CONTROL_BOOL : CONTROL_NUM;
    c->reads_controls = true;
    return comp_pat_ok(c, pattern_control(c->a, slot, v->num, as));
}

/* A value as a pattern whose strings parse as type. */
static Pattern *comp_to_pattern(Comp *c, CVal *v, MiniType type, const AstNode *at)
{
    switch (v->kind) {
    case CV_NUM: {
        Pattern *live = comp_control_pattern(c, v, type);
        if (live) return live;
        /* a literal is the exact number it spells: `fast 1.5` is 3/2, `0.1 ~> x` is 1/10 */
        /* exact where it was written and folded exactly; a literal 128 bits cannot hold (1e-300)
           stays the double it is, made a time when used, so it is not mistaken for a written 0
           (transform_check_degenerate) */
        Value x = type == MINI_TIME ? (v->exact ? val_rat(v->q) : val_num(v->num))
                  : type == MINI_BOOL ? val_bool(v->num != 0) : val_num(v->num);
        return comp_pat_ok(c, pattern_pure(c->a, x));
    }
    case CV_STR: return comp_parse(c, v->node, type);
    case CV_PAT:
    case CV_CHAIN: return v->pat;
    case CV_SIG:
        if (c->gb->inst) {
            comp_error(c, at, "inside an instrument a signal cannot drive a pattern");
            return NULL;
        }
        int probe = comp_probe(c, v->buf);
        return probe < 0 ? NULL : comp_pat_ok(c, pattern_signal_ext(c->a, probe));
    case CV_FN:
        comp_error(c, at, "expected a pattern here, found a function (missing an argument?)");
        return NULL;
    case CV_LIST:
        comp_error(c, at, LIST_ONLY_ARG);
        return NULL;
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------------------------------
 * signals from values */

static int comp_probe(Comp *c, int buf)
{
    for (int i = 0; i < c->nprobes; i++)
        if (c->probes[i].buf == buf) return i;
    Probe p = { buf };
    if (!VEC_PUSH(c->probes, c->nprobes, c->capprobes, p)) return comp_buf_ok(c, -1);
    return c->nprobes - 1;
}

/* A global buffer seen from inside the instrument being compiled. */
static int comp_import(Comp *c, int gbuf, const AstNode *at)
{
    GB *g = c->gb;
    if (!g->inst || gbuf < 0) return gbuf;
    if (c->global.bufs[gbuf].kind == GB_CONST) return comp_const(c, c->global.bufs[gbuf].value);
    if (c->global.bufs[gbuf].lanes != 1)
        comp_error(c, at, "an instrument can only read mono signals from other buses (this one is stereo)");
    for (int k = 0; k < g->next; k++)
        if (g->ext_global[k] == gbuf)
            for (int b = 0; b < g->nbufs; b++)
                if (g->bufs[b].kind == GB_EXTERN && g->bufs[b].ext == VEXT_FIRST_GLOBAL + k) return b;
    if (!VEC_PUSH(g->ext_global, g->next, g->capext, gbuf)) return comp_buf_ok(c, -1);
    return comp_buf_ok(c, gb_buf(g, GB_EXTERN, 1, 0, VEXT_FIRST_GLOBAL + g->next - 1));
}

static int comp_ctrl(Comp *c, Pattern *p, CtrlMode mode, const AstNode *at)
{
    Ctrl k = { p, 0, mode, 0 };
    if (!p) return -1;
    if (!VEC_PUSH(c->ctrls, c->nctrls, c->capctrls, k)) return comp_buf_ok(c, -1);
    int buf = comp_extern(c, EXT_CTRL, c->nctrls - 1, 1);
    if (buf < 0) return -1;
    c->ctrls[c->nctrls - 1].ext = c->global.bufs[buf].ext;
    return comp_import(c, buf, at);
}

static int comp_player(Comp *c, CVal *v, const AstNode *at);

/* A value as a signal buffer of the graph being built; strings parse as type. -1 on error. */
static int comp_slot(Comp *c, int bus, double value);

static int comp_to_signal(Comp *c, CVal *v, MiniType type, const AstNode *at)
{
    switch (v->kind) {
    case CV_NUM:
        if (v->bus >= 0 && c->env->slot) {
            int b = comp_slot(c, v->bus, v->num);
            if (b >= 0) return comp_import(c, b, at);
        }
        return comp_const(c, (float)v->num);
    case CV_STR:
    case CV_PAT: {
        Pattern *p = comp_to_pattern(c, v, type, at);
        if (!p) return -1;
        GB *saved = c->gb;
        c->gb = &c->global;
        int b = comp_ctrl(c, p, CTRL_VALUE, at);
        c->gb = saved;
        return comp_import(c, b, at);
    }
    case CV_SIG: return v->buf;
    case CV_CHAIN:
        if (c->gb->inst) {
            comp_error(c, at, "an instrument cannot play event chains (s \"...\") inside its voices");
            return -1;
        }
        return comp_player(c, v, at);
    case CV_FN:
        comp_error(c, at, "expected a signal, found a function (missing an argument?)");
        return -1;
    case CV_LIST:
        comp_error(c, at, LIST_ONLY_ARG);
        return -1;
    default: return -1;
    }
}

/* A number bus read as a signal is the host's control slot for that name (phonon_set_control): the
 * engine fills it each block with the value set, or with the bus's own value, gliding between them. */
static int comp_slot(Comp *c, int bus, double value)
{
    Bus *b = &c->buses[bus];
    if (b->slot_buf >= 0) return b->slot_buf;
    int slot = c->env->slot(c->env->ud, b->name);
    if (slot < 0) return -1;
    GB *saved = c->gb;
    c->gb = &c->global;
    b->slot_buf = comp_extern(c, EXT_SLOT, slot, 1);
    c->externs[c->global.bufs[b->slot_buf].ext].value = (float)value;
    c->gb = saved;
    return b->slot_buf;
}

static int comp_player(Comp *c, CVal *v, const AstNode *at)
{
    Bus *bus = v->bus >= 0 ? &c->buses[v->bus] : NULL;
    if (bus && bus->player_buf >= 0) return bus->player_buf;
    char name[96];
    if (bus) snprintf(name, sizeof name, "~%s", bus->name);     /* one player per bus */
    else if (c->player_count++ == 0) snprintf(name, sizeof name, "%s", c->cur_name);
    else snprintf(name, sizeof name, "%s#%d", c->cur_name, c->player_count);
    Player p = { arena_strdup(c->a, name), bus ? bus->stmt : c->cur_stmt, v->pat, 0, false };
    if (!p.name || !VEC_PUSH(c->players, c->nplayers, c->capplayers, p)) return comp_buf_ok(c, -1);
    int buf = comp_extern(c, EXT_PLAYER, c->nplayers - 1, 2);
    if (buf < 0) return -1;
    c->players[c->nplayers - 1].ext = c->global.bufs[buf].ext;
    (void)at;
    if (bus) bus->player_buf = buf;
    return buf;
}

/* A signal value; nothing when buf is -1 (an error already reported). */
static CVal cv_sig(int buf, const AstNode *n)
{
    CVal v = cv_none;
    if (buf < 0) return v;
    v.kind = CV_SIG;
    v.buf = buf;
    v.node = n;
    return v;
}

/* ------------------------------------------------------------------------------------------------
 * functions (pattern -> pattern) */

typedef struct FnTransform {
    PatternFn fn;
    const TransformDef *def;
    TransformArg args[TRANSFORM_MAX_ARGS];
} FnTransform;

static Pattern *fn_transform_apply(const PatternFn *self, Arena *a, Pattern *in)
{
    const FnTransform *f = (const FnTransform *)self;
    return f->def->build(a, f->args, in);
}

typedef struct FnSeq {              /* fs[0] first, then fs[1], ... */
    PatternFn fn;
    const PatternFn **fs;
    int n;
} FnSeq;

static Pattern *fn_seq_apply(const PatternFn *self, Arena *a, Pattern *in)
{
    const FnSeq *f = (const FnSeq *)self;
    for (int i = 0; i < f->n && in; i++) in = f->fs[i]->apply(f->fs[i], a, in);
    return in;
}

typedef struct FnOp {
    PatternFn fn;
    PatOp op;
    PatStruct st;
    Pattern *operand;
    bool hole_left;                 /* input op operand (else operand op input) */
} FnOp;

static Pattern *fn_op_apply(const PatternFn *self, Arena *a, Pattern *in)
{
    const FnOp *f = (const FnOp *)self;
    return f->hole_left ? pattern_op(a, f->op, f->st, in, f->operand) : pattern_op(a, f->op, f->st, f->operand, in);
}

static CVal cv_fn(const PatternFn *fn, bool control, const AstNode *n)
{
    CVal v = cv_none;
    v.kind = CV_FN;
    v.fn = fn;
    v.control = control;
    v.node = n;
    return v;
}

/* Apply a function value to a pattern value. */
static CVal comp_apply(Comp *c, const CVal *f, CVal *x, const AstNode *at)
{
    if (x->kind == CV_SIG)
        return comp_fail(c, at, "pattern transforms work on patterns and event chains, but this is a signal");
    if (x->kind == CV_FN) return comp_fail(c, at, "a function applied to a function: missing an argument?");
    if (x->kind == CV_LIST) return comp_fail(c, at, LIST_ONLY_ARG);
    if (f->control && x->kind != CV_CHAIN)
        return comp_fail(c, at, "this transform works on event chains (s \"...\" # ...), not on %s", cv_describe(x));
    MiniType t = x->kind == CV_PAT ? x->ptype : MINI_AUTO;
    Pattern *in = comp_to_pattern(c, x, t, at);
    if (!in) return cv_none;
    Pattern *out = f->fn->apply(f->fn, c->a, in);
    if (!out) return comp_fail(c, at, "this transform could not be applied");
    CVal r = cv_none;
    r.kind = x->kind == CV_CHAIN ? CV_CHAIN : CV_PAT;
    r.pat = out;
    r.ptype = t;
    r.node = at;
    r.orbit_varies = x->orbit_varies;
    return r;
}

/* ------------------------------------------------------------------------------------------------
 * operators */

typedef struct OpInfo {
    const char *text;
    PatOp op;
    PatStruct st;
    const char *kind;       /* the signal node for plain arithmetic, or NULL */
} OpInfo;

static const OpInfo op_table[] = {
    { "+", OP_ADD, STRUCT_BOTH, "add" },     { "-", OP_SUB, STRUCT_BOTH, "sub" },
    { "*", OP_MUL, STRUCT_BOTH, "mul" },     { "/", OP_DIV, STRUCT_BOTH, "div" },
    { "%", OP_MOD, STRUCT_BOTH, NULL },      { "#", OP_KEEP_RIGHT, STRUCT_LEFT, NULL },
    { "|+", OP_ADD, STRUCT_LEFT, "add" },    { "+|", OP_ADD, STRUCT_RIGHT, "add" },
    { "|+|", OP_ADD, STRUCT_BOTH, "add" },   { "|-", OP_SUB, STRUCT_LEFT, "sub" },
    { "-|", OP_SUB, STRUCT_RIGHT, "sub" },   { "|-|", OP_SUB, STRUCT_BOTH, "sub" },
    { "|*", OP_MUL, STRUCT_LEFT, "mul" },    { "*|", OP_MUL, STRUCT_RIGHT, "mul" },
    { "|*|", OP_MUL, STRUCT_BOTH, "mul" },   { "|/", OP_DIV, STRUCT_LEFT, "div" },
    { "/|", OP_DIV, STRUCT_RIGHT, "div" },   { "|/|", OP_DIV, STRUCT_BOTH, "div" },
    { "|%", OP_MOD, STRUCT_LEFT, NULL },     { "%|", OP_MOD, STRUCT_RIGHT, NULL },
    { "|>", OP_KEEP_RIGHT, STRUCT_LEFT, NULL }, { ">|", OP_KEEP_RIGHT, STRUCT_RIGHT, NULL },
    { "|<", OP_KEEP_LEFT, STRUCT_LEFT, NULL },  { "<|", OP_KEEP_LEFT, STRUCT_RIGHT, NULL },
    { "|++", OP_APPEND, STRUCT_LEFT, NULL },    { "++|", OP_APPEND, STRUCT_RIGHT, NULL },
    { "|++|", OP_APPEND, STRUCT_BOTH, NULL },
};

/* A comparison is a test, and only ifp, when and whenT take one */
#define PRED_ONLY "'%s' compares: it makes a test, which only ifp, when and whenT take (ifp (mod 4 == 0) (fast 2) rev)"

static const OpInfo *op_find(const char *s)
{
    for (unsigned i = 0; i < sizeof op_table / sizeof op_table[0]; i++)
        if (strcmp(op_table[i].text, s) == 0) return &op_table[i];
    return NULL;
}

static double op_fold(PatOp op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return b == 0 ? 0 : a / b;
    case OP_MOD: return b == 0 ? 0 : a - b * floor(a / b);
    default: return b;
    }
}

static CVal compile_expr(Comp *c, const AstNode *n);
static int comp_bus_find(Comp *c, const char *name);

/* ------------------------------------------------------------------------------------------------
 * word joins (|++ ++| |++|): the words each side can make are read out of the program's text, and
 * every joined word is interned now, so that a query only finds it (pattern_join.c) */

typedef struct Words {
    uint32_t *w;
    int n, cap;
    bool full;                  /* more than PATTERN_JOIN_MAX, or out of memory */
} Words;

static void words_add(Words *ws, uint32_t w)
{
    if (!w) return;
    for (int i = 0; i < ws->n; i++)
        if (ws->w[i] == w) return;
    if (ws->n >= PATTERN_JOIN_MAX || !VEC_PUSH(ws->w, ws->n, ws->cap, w)) ws->full = true;
}

static void words_scan(void *ud, const char *w, size_t len, size_t at)
{
    (void)at;
    uint32_t s = sym_intern_len(w, len);
    words_add(ud, s);
    words_add(ud, s ? sym_info(s)->base : 0);      /* `s` keeps the base of bd:3 */
}

static bool ast_is_join(const AstNode *n) { return (n->kind == AST_BINOP || n->kind == AST_SECTION) && strstr(n->op, "++"); }

/* The words of l ++ r, each pair (left major), interned; -1 / -2 as pattern_join_prepare says. */
static int words_join(const Words *l, const Words *r, Words *out)
{
    if (l->full || r->full || (int64_t)l->n * r->n > PATTERN_JOIN_MAX) return -1;
    uint32_t made[PATTERN_JOIN_MAX];
    int n = pattern_join_prepare(l->w, l->n, r->w, r->n, made, PATTERN_JOIN_MAX);
    for (int i = 0; i < n; i++) words_add(out, made[i]);
    return n;
}

/* Every word the expression n can make: its strings' words, the joins of its joins, the words of
 * the buses it reads (each once: seen). */
static void comp_words(Comp *c, const AstNode *n, Words *ws, unsigned char *seen, int depth)
{
    if (!n || depth > LANG_MAX_DEPTH || ws->full) return;
    if (n->kind == AST_STR) {
        pattern_words_each(n->text, strlen(n->text), words_scan, ws);
    } else if (n->kind == AST_BUS) {
        int b = comp_bus_find(c, n->text);
        if (b >= 0 && seen && !seen[b]) {
            seen[b] = 1;
            comp_words(c, c->buses[b].expr, ws, seen, depth + 1);
        }
    } else if (n->kind == AST_BINOP && ast_is_join(n)) {
        Words l = { 0 }, r = { 0 };
        comp_words(c, n->args[0], &l, seen, depth + 1);
        comp_words(c, n->args[1], &r, seen, depth + 1);
        if (words_join(&l, &r, ws) < 0) ws->full = true;
        free(l.w);
        free(r.w);
    } else {
        for (int i = 0; i < n->nargs; i++) comp_words(c, n->args[i], ws, seen, depth + 1);
    }
}

static void comp_words_of(Comp *c, const AstNode *n, Words *ws)
{
    unsigned char *seen = calloc((size_t)c->nbuses + 1, 1);
    comp_words(c, n, ws, seen, 0);
    free(seen);
}

static bool comp_is_sound(const Comp *c, uint32_t base)
{
    for (int i = 0; i < c->nsounds; i++)
        if (c->sounds[i].sym == base) return true;
    return false;
}

/* Prepare the join l ++ r (NULL: the input of a section, whose words are those of the statement
 * it is in); the words it makes into *v. On event chains a joined word whose left part is a sound
 * is a sound too (s "drum" |++ s "2" plays drum2). */
static bool comp_join(Comp *c, const AstNode *l, const AstNode *r, const AstNode *at, bool chain, CVal *v)
{
    const Stmt *st = c->cur_stmt >= 0 && c->cur_stmt < c->ast.nstmts ? &c->ast.stmts[c->cur_stmt] : NULL;
    Words wl = { 0 }, wr = { 0 }, out = { 0 };
    comp_words_of(c, l ? l : st ? st->expr : NULL, &wl);
    comp_words_of(c, r ? r : st ? st->expr : NULL, &wr);
    int n = words_join(&wl, &wr, &out);
    bool ok = n >= 0 && !out.full;
    if (n == -1 || out.full)
        comp_error(c, at, "'%s' would make more than %d words (%d%s on the left, %d%s on the right)", at->op, PATTERN_JOIN_MAX,
                   wl.n, wl.full ? "+" : "", wr.n, wr.full ? "+" : "");
    else if (n == -2)
        comp_error(c, at, "'%s' cannot make its words (one would be longer than %d characters, or memory ran out)", at->op,
                   PATTERN_JOIN_MAX_LEN - 1);
    for (int i = 0; ok && chain && i < wl.n; i++) {
        if (!comp_is_sound(c, sym_info(wl.w[i])->base)) continue;
        for (int j = 0; j < wr.n; j++) {
            uint32_t w = pattern_join_word(wl.w[i], wr.w[j]);
            if (w) comp_note_base(c, sym_info(w)->base, at->line, at->col);
        }
    }
    uint32_t *keep = ok && out.n ? arena_alloc(c->a, sizeof(uint32_t) * (size_t)out.n) : NULL;
    if (keep) memcpy(keep, out.w, sizeof(uint32_t) * (size_t)out.n);
    v->words = keep;
    v->nwords = keep ? out.n : 0;
    free(wl.w);
    free(wr.w);
    free(out.w);
    return ok;
}

/* A join takes words on both sides: patterns of words, or two event chains. */
static bool comp_join_sides(Comp *c, const OpInfo *op, const CVal *l, const CVal *r, const AstNode *at)
{
    const CVal *bad = (l->kind == CV_NUM || l->kind == CV_SIG) ? l : (r->kind == CV_NUM || r->kind == CV_SIG) ? r : NULL;
    if (bad) {
        comp_error(c, at, "'%s' joins words: it needs patterns of words or event chains, found %s", op->text, cv_describe(bad));
        return false;
    }
    if ((l->kind == CV_CHAIN) != (r->kind == CV_CHAIN)) {
        comp_error(c, at, "'%s' joins words of the same kind: two patterns of words (\"drum\" |++ \"2\") or two event "
                   "chains (s \"drum\" |++ s \"2\")", op->text);
        return false;
    }
    return true;
}

/* l op r for every combination of value types. */
static CVal comp_binop(Comp *c, const OpInfo *op, CVal l, CVal r, const AstNode *at)
{
    if (l.kind == CV_NONE || r.kind == CV_NONE) return cv_none;
    if (l.kind == CV_FN || r.kind == CV_FN)
        return comp_fail(c, at, "'%s' needs values on both sides, found a function (missing an argument?)", op->text);
    if (op->op == OP_APPEND && !comp_join_sides(c, op, &l, &r, at)) return cv_none;
    if (l.kind == CV_NUM && r.kind == CV_NUM && op->op <= OP_MOD) {
        CVal v = cv_none;
        v.kind = CV_NUM;
        v.num = op_fold(op->op, l.num, r.num);
        v.node = NULL;
        /* the exact value too, for times: (1/3) ~> p moves by 1/3, not by the double nearest it */
        bool (*exact_op)(Rat, Rat, Rat *) = op->op == OP_ADD ? rat_add_exact : op->op == OP_SUB ? rat_sub_exact
                                            : op->op == OP_MUL ? rat_mul_exact : op->op == OP_DIV ? rat_div_exact : NULL;
        v.exact = l.exact && r.exact && exact_op && exact_op(l.q, r.q, &v.q);
        return v;
    }
    bool signal = l.kind == CV_SIG || r.kind == CV_SIG ||
                  (l.kind == CV_CHAIN && r.kind != CV_CHAIN) || (r.kind == CV_CHAIN && l.kind != CV_CHAIN);
    if (signal) {
        if (!op->kind) return comp_fail(c, at, "'%s' does not apply to signals", op->text);
        int a = comp_to_signal(c, &l, MINI_NUMBERS, at), b = comp_to_signal(c, &r, MINI_NUMBERS, at);
        if (a < 0 || b < 0) return cv_none;
        return cv_sig(comp_binary_node(c, op->kind, a, b, at), at);
    }
    /* patterns (or chains) on both sides: Tidal's operators */
    MiniType t = op->op == OP_APPEND ? MINI_WORDS : l.kind == CV_PAT ? l.ptype : r.kind == CV_PAT ? r.ptype : MINI_NOTES;
    Pattern *a = comp_to_pattern(c, &l, t, at), *b = comp_to_pattern(c, &r, t, at);
    if (!a || !b) return cv_none;
    CVal v = cv_none;
    v.kind = (l.kind == CV_CHAIN || r.kind == CV_CHAIN) ? CV_CHAIN : CV_PAT;
    v.pat = comp_pat_ok(c, pattern_op(c->a, op->op, op->st, a, b));
    v.ptype = t;
    v.node = at;
    return v.pat ? v : cv_none;
}

/* ------------------------------------------------------------------------------------------------
 * calls */

static MiniType param_mini_type(int p)
{
    if (param_info[p].type == PT_SYM) return MINI_WORDS;
    if (p == P_N || p == P_NOTE) return MINI_NOTES;
    return MINI_NUMBERS;
}

/* A number, or a string that is one number ("1"): a value that is the same for every event. */
static bool comp_is_constant(const CVal *v)
{
    if (v->kind == CV_NUM) return true;
    if (v->kind != CV_STR || !v->node || !v->node->text) return false;
    char *end;
    strtod(v->node->text, &end);
    while (*end == ' ') end++;
    return end != v->node->text && *end == 0;
}

/* `n "0 1"`, `s "bd*2"`: a control pattern with one parameter. */
static CVal comp_param(Comp *c, int p, const AstNode *call, CVal *arg)
{
    if (p == P_S && arg->kind == CV_STR) comp_scan_sounds(c, arg->node);
    if (p == P_S && arg->kind != CV_STR && call->kind == AST_CALL && call->nargs == 1) {
        unsigned char *seen = calloc((size_t)c->nbuses + 1, 1);
        if (seen) comp_value_sounds(c, call->args[0], seen, 0);
        free(seen);
    }
    for (int i = 0; p == P_S && i < arg->nwords; i++) comp_note_base(c, sym_info(arg->words[i])->base, call->line, call->col);
    Pattern *pat = comp_to_pattern(c, arg, param_mini_type(p), call);
    if (!pat) return cv_none;
    CVal v = cv_none;
    v.kind = CV_CHAIN;
    v.pat = comp_pat_ok(c, pattern_to_map(c->a, pat, (Param)p));
    v.node = call;
    if (p == P_ORBIT && !comp_is_constant(arg)) v.orbit_varies = call;
    return v.pat ? v : cv_none;
}

/* In a pattern position (a parameter's or a transform's pattern), `sine`, `saw`, `rand`... are Tidal's
 * continuous patterns (0..1, one period a cycle) rather than phonon's oscillators: `# pan sine`. */
static bool comp_tidal_signal(Comp *c, const AstNode *n, CVal *out)
{
    if (n->kind != AST_NAME) return false;
    Pattern *p = pattern_signal(c->a, n->text);
    if (!p) return false;
    *out = cv_none;
    out->kind = CV_PAT;
    out->pat = p;
    out->ptype = MINI_NUMBERS;
    out->node = n;
    return true;
}

static MiniType targ_mini_type(TArgKind k)
{
    switch (k) {
    case TA_TIME:
    case TA_RAT: return MINI_TIME;
    case TA_WORDS: return MINI_WORDS;
    case TA_NUM: return MINI_NUMBERS;
    case TA_INT: return MINI_INT;
    case TA_BOOL: return MINI_BOOL;
    default: return MINI_AUTO;
    }
}

static bool comp_to_fn(Comp *c, CVal *v, const AstNode *at, const PatternFn **fn, bool *control);

/* One member of a list item, of kind k. head: spread's f, to which the member is the last argument. */
static bool comp_list_member(Comp *c, TArgKind k, const AstNode *head, const AstNode *m, TransformArg *out, bool *control)
{
    memset(out, 0, sizeof *out);
    out->kind = k;
    CVal v;
    if (head) {
        /* `spread fast [1, 2]`: the call fast 1, then fast 2 */
        int hn = head->kind == AST_CALL ? head->nargs : 0;
        AstNode *call = arena_alloc(c->a, sizeof *call);
        AstNode **as = call ? arena_alloc(c->a, sizeof(AstNode *) * (size_t)(hn + 1)) : NULL;
        if (!as) return comp_oom(c), false;
        *call = *head;
        call->kind = AST_CALL;
        for (int j = 0; j < hn; j++) as[j] = head->args[j];
        as[hn] = (AstNode *)m;
        call->args = as;
        call->nargs = hn + 1;
        if (head->kind != AST_CALL && head->kind != AST_NAME) {
            comp_error(c, head, "spread's function is a name or a call missing its last argument: spread fast [1, 2]");
            return false;
        }
        v = compile_expr(c, call);
    } else if (k != TA_FN && k != TA_FNHEAD && comp_tidal_signal(c, m, &v)) {
        /* a continuous pattern (sine, rand ...) as a pattern item */
    } else {
        v = compile_expr(c, m);
    }
    if (v.kind == CV_NONE) return false;
    if (k == TA_FN) {
        bool ctl = false;
        if (!comp_to_fn(c, &v, m, &out->fn, &ctl)) return false;
        *control |= ctl;
        return true;
    }
    if (k == TA_VALUE && v.kind != CV_NUM && v.kind != CV_STR) {
        comp_error(c, m, "expected a plain value (a number or a word) in this list, found %s", cv_describe(&v));
        return false;
    }
    if (v.kind == CV_CHAIN) *control = true;
    out->pat = comp_to_pattern(c, &v, k == TA_VALUE ? MINI_AUTO : targ_mini_type(k), m);
    if (out->pat && k == TA_VALUE && !pattern_is_pure(out->pat)) {
        comp_error(c, m, "expected a plain value (a number or a word) in this list, found a pattern of several");
        return false;
    }
    return out->pat != NULL;
}

/* A number of a test: a literal or a constant folded exactly (1/3 is 1/3, 0.7 is 7/10). */
static bool comp_pred_num(Comp *c, const AstNode *n, Rat *out)
{
    CVal v = compile_expr(c, n);
    if (v.kind == CV_NONE) return false;
    if (v.kind != CV_NUM || !v.exact) {
        comp_error(c, n, "expected a plain number in the test, found %s", v.kind == CV_NUM ? "a number beyond exact fractions" : cv_describe(&v));
        return false;
    }
    *out = v.q;
    return true;
}

static bool ast_is_mod(const AstNode *n)
{
    return n->kind == AST_CALL && n->nargs == 1 && (strcmp(n->text, "mod") == 0 || strcmp(n->text, "mod'") == 0);
}

#define PRED_FORMS "even, odd, (< 4), (>= 0.5), (mod 4 == 0), (mod 8 /= 7)"

/* A test (ifp, when, whenT; docs/LANGUAGE.md, "Tests"): a name (even, odd), a section of a
 * comparison ((< 4), (4 >)), or `mod m` compared with a number ((mod 4 == 0)). */
static bool comp_pred(Comp *c, const AstNode *n, const PatPred **out)
{
    PatPred p = { rat_int(0), PRED_EQ, rat_int(0) };
    int k = (n->kind == AST_SECTION || n->kind == AST_BINOP) ? pattern_pred_cmp(n->op) : -1;
    if (n->kind == AST_NAME && pattern_pred_named(n->text, &p)) {
        /* even, odd */
    } else if (n->kind == AST_SECTION && k >= 0) {
        if (!comp_pred_num(c, n->args[0], &p.v)) return false;
        p.cmp = n->hole_left ? (PredCmp)k : pattern_pred_flip((PredCmp)k);
    } else if (n->kind == AST_BINOP && k >= 0 && (ast_is_mod(n->args[0]) || ast_is_mod(n->args[1]))) {
        bool flip = !ast_is_mod(n->args[0]);
        const AstNode *m = n->args[flip], *v = n->args[!flip];
        if (!comp_pred_num(c, m->args[0], &p.mod) || !comp_pred_num(c, v, &p.v)) return false;
        if (rat_is_zero(p.mod)) {
            comp_error(c, m->args[0], "mod 0 takes the value modulo 0 (Haskell raises an error: a division by zero)");
            return false;
        }
        p.cmp = flip ? pattern_pred_flip((PredCmp)k) : (PredCmp)k;
    } else {
        comp_error(c, n, "expected a test here: " PRED_FORMS);
        return false;
    }
    PatPred *copy = arena_alloc(c->a, sizeof *copy);
    if (!copy) return comp_oom(c), false;
    *copy = p;
    *out = copy;
    return true;
}

/* A list argument: each item a tuple of shape->width members ([(1, s "bd"), (2, s "sn")]). */
static bool comp_list_arg(Comp *c, const TransformDef *def, const TransformList *shape, const AstNode *head, const CVal *v,
                          const AstNode *at, TransformArg *out, bool *control)
{
    if (v->kind != CV_LIST || !at || at->kind != AST_LIST) {
        comp_error(c, at, "%s takes a list here, in brackets: %s", def->name, def->summary ? def->summary : "");
        return false;
    }
    int w = shape->width > 0 ? shape->width : 1, n = at->nargs;
    TransformArg *items = arena_alloc(c->a, sizeof(TransformArg) * (size_t)(n * w + 1));
    if (!items) return comp_oom(c), false;
    for (int i = 0; i < n; i++) {
        const AstNode *it = at->args[i];
        if (w > 1 && (it->kind != AST_TUPLE || it->nargs != w)) {
            comp_error(c, it, "each item of %s's list is a tuple of %d: (%s)", def->name, w,
                       w == 2 ? "a, b" : "a, b, c");
            return false;
        }
        for (int j = 0; j < w; j++)
            if (!comp_list_member(c, shape->kind[j], head, w > 1 ? it->args[j] : it, &items[i * w + j], control))
                return false;
    }
    out->items = items;
    out->nitems = n;
    return true;
}

/* A transform called with args (the pattern last, if given). */
static CVal comp_transform(Comp *c, const TransformDef *def, const AstNode *call, CVal *args, int nargs)
{
    if (nargs < def->nargs)
        return comp_fail(c, call, "%s needs %d argument%s before the pattern (%s)", def->name, def->nargs,
                         def->nargs == 1 ? "" : "s", def->summary ? def->summary : "");
    /* how many are arguments; a further one is the pattern itself */
    int ntargs = def->nargs;
    if (def->variadic && def->nargs > 0) {
        TArgKind last = def->args[def->nargs - 1];
        ntargs = nargs;
        if (nargs > def->nargs && (last != TA_FN || args[nargs - 1].kind != CV_FN)) ntargs = nargs - 1;
        if (last != TA_FN && nargs > def->nargs) ntargs = nargs - 1;
        if (ntargs > TRANSFORM_MAX_ARGS) return comp_fail(c, call, "too many arguments for %s", def->name);
    } else if (nargs > def->nargs + 1) {
        return comp_fail(c, call->args[def->nargs + 1], "too many arguments for %s (it takes %d and a pattern)",
                         def->name, def->nargs);
    }
    FnTransform *f = arena_alloc(c->a, sizeof *f);
    if (!f) return comp_oom(c);
    f->fn.apply = fn_transform_apply;
    f->def = def;
    bool control = def->control;
    int nlists = 0;
    for (int i = 0; i < ntargs; i++) {
        TransformArg *ta = &f->args[i];
        ta->kind = i < def->nargs ? def->args[i] : def->args[def->nargs - 1];
        if (ta->kind == TA_FNHEAD) continue;            /* the list after it brings the functions */
        if (ta->kind == TA_PRED) {
            if (!comp_pred(c, call->args[i], &ta->pred)) return cv_none;
            continue;
        }
        if (ta->kind == TA_LIST) {
            const AstNode *head = i > 0 && def->args[i - 1] == TA_FNHEAD ? call->args[i - 1] : NULL;
            if (!comp_list_arg(c, def, &def->lists[nlists < 2 ? nlists : 1], head, &args[i], call->args[i], ta, &control))
                return cv_none;
            nlists++;
            continue;
        }
        if (ta->kind == TA_FN) {
            bool ctl = false;
            if (!comp_to_fn(c, &args[i], call->args[i], &ta->fn, &ctl)) return cv_none;
            control |= ctl;
        } else {
            if (args[i].kind == CV_CHAIN && ta->kind == TA_ANY) control = true;
            ta->pat = comp_to_pattern(c, &args[i], targ_mini_type(ta->kind), call->args[i]);
            if (!ta->pat) return cv_none;
        }
    }
    char lim[200];      /* a factor the engine will clamp: say so now (pattern.h) */
    int di = transform_check_degenerate(def, f->args, ntargs, lim, sizeof lim);
    if (di >= 0) {
        comp_error(c, call->args[di], "%s", lim);
        return cv_none;
    }
    int li = transform_check_limits(def, f->args, ntargs, lim, sizeof lim);
    if (li >= 0) comp_warn_at(c, call->args[li]->line, call->args[li]->col, "%s", lim);
    CVal fv = cv_fn(&f->fn, control, call);
    if (def->source && nargs == ntargs) {
        /* perlin, choose ...: a pattern of its own */
        CVal v = cv_none;
        v.kind = control ? CV_CHAIN : CV_PAT;
        v.pat = comp_pat_ok(c, def->build(c->a, f->args, pattern_silence(c->a)));
        v.ptype = MINI_NUMBERS;
        v.node = call;
        return v.pat ? v : cv_none;
    }
    if (nargs == ntargs) return fv;
    return comp_apply(c, &fv, &args[ntargs], call->args[ntargs]);
}

/* The default gate of an envelope: the voice's inside an instrument, else one that restarts each cycle. */
static int comp_default_gate(Comp *c, const AstNode *at)
{
    GB *g = c->gb;
    if (g->inst) {
        if (g->gate_buf < 0) g->gate_buf = comp_buf_ok(c, gb_buf(g, GB_EXTERN, VOICE_LANES, 0, VEXT_GATE));
        return g->gate_buf;
    }
    if (c->global_gate_buf < 0) {
        GB *saved = c->gb;
        c->gb = &c->global;
        c->global_gate_buf = comp_ctrl(c, comp_pat_ok(c, pattern_pure(c->a, val_num(1))), CTRL_GATE, at);
        c->gb = saved;
    }
    return c->global_gate_buf;
}

static int comp_default_freq(Comp *c)
{
    GB *g = c->gb;
    if (!g->inst) return comp_const(c, 1.0f);       /* phonon: a bare oscillator is a 1 Hz LFO */
    if (g->freq_buf < 0) g->freq_buf = comp_buf_ok(c, gb_buf(g, GB_EXTERN, VOICE_LANES, 0, VEXT_FREQ));
    return g->freq_buf;
}

/* A signal function: args fill its inputs; `input` (from `#`) goes first for filters. */
/* The orbit changes from event to event, but an effect processes the chain's sound as a whole. */
COLD static void comp_warn_orbit(Comp *c, const AstNode *orbit, const char *effect)
{
    comp_warn_at(c, orbit->line, orbit->col, "the orbit changes from event to event, but %s processes the chain's "
                 "sound as a whole: all of it, tails too, goes to the orbit of the latest event (the orbits' own "
                 "effects, room size delay ..., keep each event on its orbit)", effect);
}

static CVal comp_dsp(Comp *c, const DspKind *k, const AstNode *call, CVal *args, int nargs, CVal *input)
{
    int in[DSP_MAX_INPUTS];
    int first = 0;
    if (input) {
        if (!(k->flags & DSPK_FILTER))
            return comp_fail(c, call, "%s does not process an input: '#' needs a filter or effect on its right", k->name);
        if (input->kind == CV_CHAIN && input->orbit_varies) comp_warn_orbit(c, input->orbit_varies, k->name);
        in[0] = comp_to_signal(c, input, MINI_NUMBERS, call);
        if (in[0] < 0) return cv_none;
        first = 1;
    } else if ((k->flags & DSPK_GATE) && nargs < k->ninputs) {
        in[0] = comp_default_gate(c, call);
        first = 1;
    }
    if (first + nargs > k->ninputs)
        return comp_fail(c, call->args[k->ninputs - first], "too many arguments for %s (it takes %d)", k->name,
                         k->ninputs - first);
    for (int i = first; i < k->ninputs; i++) {
        int ai = i - first;
        if (ai < nargs) {
            MiniType t = (i == 0 && (k->flags & DSPK_OSC)) ? MINI_FREQ : MINI_NUMBERS;
            in[i] = comp_to_signal(c, &args[ai], t, call->args[ai]);
            if (in[i] < 0) return cv_none;
        } else if (i == 0 && (k->flags & DSPK_OSC)) {
            in[i] = comp_default_freq(c);
        } else if (isnan(k->defaults[i])) {
            return comp_fail(c, call, "%s needs its %s (argument %d)", k->name, k->inputs[i] ? k->inputs[i] : "input",
                             i + 1 - first);
        } else {
            in[i] = comp_const(c, k->defaults[i]);
        }
    }
    return cv_sig(comp_node(c, k, in, call), call);
}

/* stack [] and cat []: silence, as in Tidal */
static CVal comp_stack_empty(Comp *c, const AstNode *call)
{
    CVal v = cv_none;
    v.kind = CV_PAT;
    v.ptype = MINI_AUTO;
    v.node = call;
    v.pat = comp_pat_ok(c, pattern_silence(c->a));
    return v.pat ? v : cv_none;
}

static CVal comp_stack(Comp *c, const AstNode *call, CVal *args, int nargs, bool cat)
{
    if (nargs == 0) return comp_fail(c, call, "%s needs at least one member", call->text);
    bool any_sig = false, any_chain = false;
    for (int i = 0; i < nargs; i++) {
        any_sig |= args[i].kind == CV_SIG;
        any_chain |= args[i].kind == CV_CHAIN;
    }
    if (any_sig) {
        if (cat) return comp_fail(c, call, "%s joins patterns; signals can only be mixed (mix, +)", call->text);
        CVal acc = args[0];
        const OpInfo *plus = op_find("+");
        for (int i = 1; i < nargs; i++) acc = comp_binop(c, plus, acc, args[i], call);
        return acc;
    }
    Pattern **ps = arena_alloc(c->a, sizeof(Pattern *) * (size_t)nargs);
    if (!ps) return comp_oom(c);
    MiniType t = MINI_AUTO;
    for (int i = 0; i < nargs; i++)
        if (args[i].kind == CV_PAT) t = args[i].ptype;
    for (int i = 0; i < nargs; i++) {
        ps[i] = comp_to_pattern(c, &args[i], t, call->args[i]);
        if (!ps[i]) return cv_none;
    }
    CVal v = cv_none;
    v.kind = any_chain ? CV_CHAIN : CV_PAT;
    v.ptype = t;
    v.node = call;
    const char *nm = call->text;
    v.pat = comp_pat_ok(c, !cat ? pattern_stack(c->a, ps, nargs)
                           : strcmp(nm, "fastcat") == 0 || strcmp(nm, "fastCat") == 0 ? pattern_fastcat(c->a, ps, nargs)
                                                        : pattern_slowcat(c->a, ps, nargs));
    return v.pat ? v : cv_none;
}

/* Names the compiler gives a meaning itself, besides the parameters (params.h), the signal functions
 * (dsp_kinds) and the transforms (transform_table), with how many arguments they take. */
typedef struct OwnName {
    const char *name;
    int nargs;
    const char *usage;
} OwnName;

static const OwnName own_names[] = {
    { "irand", 1, "irand n: random integers 0 .. n-1" },
    { "run", 1, "run n: 0 .. n-1 in each cycle" },
    { "scan", 1, "scan n: run 1, then run 2, ... up to run n, one per cycle" },
    { "in", 1, "in N: the host's signal input N" },
    { "silence", 0, "no events" },
    /* Tidal's continuous patterns that are not also oscillators */
    { "isaw", 0, "a falling saw, 1 to 0 each cycle" },
    { "cosine", 0, "sine shifted by a quarter cycle" },
    { "rand", 0, "a random value 0..1 for each event" },
    { "envL", 0, "0 to 1 over the first cycle, then 1" },
    { "envR", 0, "1 to 0 over the first cycle, then 0" },
    { "envLR", 0, "envR: 1 to 0 over the first cycle, then 0" },
    { "envEq", 0, "1 to 0 over the first cycle at equal power, then 0" },
    { "envEqR", 0, "0 to 1 over the first cycle at equal power, then 1" },
    { "saw2", 0, "a rising saw, -1 to 1 each cycle" },
    { "isaw2", 0, "a falling saw, 1 to -1 each cycle" },
    { "square2", 0, "-1 for the first half of each cycle, 1 for the second" },
    { "sine2", 0, "a sine, -1 to 1 each cycle" },
    { "cosine2", 0, "sine2 shifted by a quarter cycle" },
    { "tri2", 0, "a triangle, -1 to 1 and back each cycle" },
};

static const OwnName *own_find(const char *name)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++)
        if (strcmp(own_names[i].name, name) == 0) return &own_names[i];
    return NULL;
}

static bool comp_name_known(const char *name)
{
    return param_lookup(name) >= 0 || dsp_find(name) || transform_find(name) || own_find(name);
}

/* "unknown function 'lpff' (did you mean 'lpf'?)": the nearest names of the functions and, after
 * '#', of the parameters and effects (what may follow '#'). */
COLD static CVal comp_unknown(Comp *c, const AstNode *n, bool after_hash)
{
    LangSuggest fn, pm;
    int len = (int)strlen(n->text);
    lang_suggest_init(&fn, n->text, len);
    lang_suggest_init(&pm, n->text, len);
    for (int i = 0; i < P_ALL; i++)
        if (param_in_language(i)) lang_suggest_add(after_hash ? &pm : &fn, param_info[i].name);
    for (int i = 0; dsp_kinds[i]; i++)
        if (!after_hash || (dsp_kinds[i]->flags & DSPK_FILTER)) lang_suggest_add(&fn, dsp_kinds[i]->name);
    if (!after_hash) {
        int nt = 0;
        const TransformDef *t = transform_table(&nt);
        for (int i = 0; i < nt; i++) lang_suggest_add(&fn, t[i].name);
        for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++) lang_suggest_add(&fn, own_names[i].name);
    }
    char hint[200];
    if (pm.n && pm.best <= fn.best) {
        lang_suggest_format(&pm, "'", "'", hint, sizeof hint);
        return comp_fail(c, n, "unknown parameter '%s'%s", n->text, hint);
    }
    lang_suggest_format(&fn, "'", "'", hint, sizeof hint);
    if (after_hash && !fn.n) return comp_fail(c, n, "unknown parameter or effect '%s'", n->text);
    return comp_fail(c, n, "unknown function '%s'%s", n->text, hint);
}

static const char *plural(int n) { return n == 1 ? "" : "s"; }

/* stack, cat...: with two or more members they combine them (comp_stack), else they are transforms */
static int comp_combinator(const char *name)
{
    static const char *const names[] = { "stack", "overlay", "cat", "slowcat", "fastcat", "slowCat", "fastCat" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0) return i < 2 ? 1 : 2;
    return 0;
}

/* Tidal's list forms, stack [a, b], cat [a, b], fastcat [a, b], randcat [a, b]: the items are the
 * members (as `stack a b`); randcat's first item is the pattern the others join. */
static CVal comp_list_members(Comp *c, const AstNode *call, const AstNode *list)
{
    int n = list->nargs;
    if (n == 0) return comp_stack_empty(c, call);
    CVal *items = calloc((size_t)n, sizeof *items);
    if (!items) return comp_oom(c);
    CVal v = cv_none;
    int i = 0;
    for (; i < n; i++)
        if ((items[i] = compile_expr(c, list->args[i])).kind == CV_NONE) break;
    AstNode members = *call;
    members.args = list->args;
    members.nargs = n;
    if (i == n && strcmp(call->text, "randcat") == 0) {
        const TransformDef *d = transform_find("randcat");
        CVal input = items[0];
        if (n == 1) v = input;
        else if (d) {
            for (int k = 1; k < n; k++) items[k - 1] = items[k];
            items[n - 1] = input;                   /* the pattern last, as comp_transform takes it */
            AstNode **as = arena_alloc(c->a, sizeof(AstNode *) * (size_t)n);
            if (as) {
                for (int k = 0; k < n - 1; k++) as[k] = list->args[k + 1];
                as[n - 1] = list->args[0];
                members.args = as;
                v = comp_transform(c, d, &members, items, n);
            } else {
                v = comp_oom(c);
            }
        }
    } else if (i == n) {
        v = n == 1 ? items[0] : comp_stack(c, &members, items, n, comp_combinator(call->text) == 2);
    }
    free(items);
    return v;
}

/* How many arguments the bare name n needs before it is a value (a parameter 1, `fast` 1), or 0. */
static int comp_own_arity(const AstNode *n)
{
    if (n->kind != AST_NAME) return 0;
    if (param_lookup(n->text) >= 0) return 1;
    const TransformDef *td = transform_find(n->text);
    return td ? td->nargs : 0;
}

/* `jux rev s "bd"`: more arguments than the transform takes, most likely because a call among them
 * needs parentheses. The error names the transform and shows the call written both ways. */
COLD static CVal comp_too_many(Comp *c, const TransformDef *def, const AstNode *call)
{
    int nargs = call->nargs, first = def->nargs;
    if (comp_own_arity(call->args[first]) == 0)
        return comp_fail(c, call, "%s takes %d argument%s and then the pattern, found %d argument%s", def->name,
                         def->nargs, plural(def->nargs), nargs, plural(nargs));
    char head[200], tail[200], piece[120];
    int hn = snprintf(head, sizeof head, "%s", def->name), tn = 0;
    for (int i = 0; i < nargs; i++) {
        lang_format(call->args[i], piece, sizeof piece);
        if (i < first) hn += snprintf(head + hn, hn < (int)sizeof head ? sizeof head - (size_t)hn : 0, " %s", piece);
        else tn += snprintf(tail + tn, tn < (int)sizeof tail ? sizeof tail - (size_t)tn : 0, "%s%s", tn ? " " : "", piece);
        if (hn >= (int)sizeof head) hn = (int)sizeof head - 1;
        if (tn >= (int)sizeof tail) tn = (int)sizeof tail - 1;
    }
    return comp_fail(c, call, "%s takes %d argument%s and then the pattern, found %d: write %s (%s) or %s $ %s",
                     def->name, def->nargs, plural(def->nargs), nargs, head, tail, head, tail);
}

/* Argument counts, checked before the arguments are compiled, so that the error names the
 * function whose arguments are wrong rather than one of them. */
NOINLINE static bool comp_arity(Comp *c, const AstNode *call, int p, const DspKind *k, const CVal *input)
{
    const char *name = call->text;
    int nargs = call->kind == AST_CALL ? call->nargs : 0;
    if (p >= 0) {
        if (nargs == 1) return true;
        if (nargs == 0) comp_error(c, call, "%s takes 1 argument (a pattern of values), found none", name);
        else comp_error(c, call->args[1], "%s takes 1 argument (a pattern of values), found %d", name, nargs);
        return false;
    }
    if (k) {
        if (input && !(k->flags & DSPK_FILTER)) return true;        /* comp_dsp says why */
        int first = input || ((k->flags & DSPK_GATE) && nargs < k->ninputs) ? 1 : 0;
        int takes = k->ninputs - first;
        if (nargs <= takes) return true;
        char names[120] = "";
        int nn = 0;
        for (int i = first; i < k->ninputs; i++)
            nn += snprintf(names + nn, sizeof names - (size_t)nn, "%s%s", i > first ? ", " : "", k->inputs[i]);
        comp_error(c, call->args[takes], "%s takes %d argument%s (%s), found %d", name, takes, plural(takes), names, nargs);
        return false;
    }
    const TransformDef *td = transform_find(name);
    if (td && !(nargs >= 2 && comp_combinator(name))) {
        if (nargs < td->nargs) {
            comp_error(c, call, "%s takes %d argument%s before the pattern, found %d (%s)", name, td->nargs,
                       plural(td->nargs), nargs, td->summary ? td->summary : "");
            return false;
        }
        if (!td->variadic && nargs > td->nargs + 1) {
            comp_too_many(c, td, call);
            return false;
        }
        /* `every 2 fast 2 $ x`: a function among the arguments, bare, with its own arguments after it */
        for (int i = 0; i < td->nargs && i + 1 < nargs; i++) {
            int own = td->args[i] == TA_FNHEAD ? 0 : comp_own_arity(call->args[i]);
            if (own <= 0) continue;
            char inner[160] = "", whole[240], piece[100];
            int in = 0, wn = snprintf(whole, sizeof whole, "%s", name);
            for (int j = 0; j < nargs && j <= i + own; j++) {
                lang_format(call->args[j], piece, sizeof piece);
                if (j >= i) in += snprintf(inner + in, in < (int)sizeof inner ? sizeof inner - (size_t)in : 0, "%s%s",
                                           j > i ? " " : "", piece);
                else wn += snprintf(whole + wn, wn < (int)sizeof whole ? sizeof whole - (size_t)wn : 0, " %s", piece);
                if (in >= (int)sizeof inner) in = (int)sizeof inner - 1;
                if (wn >= (int)sizeof whole) wn = (int)sizeof whole - 1;
            }
            bool param = param_lookup(call->args[i]->text) >= 0;     /* a function of events: (# speed 2) */
            comp_error(c, call->args[i], "%s takes %d argument%s of its own: among the arguments of %s, put it in "
                       "parentheses with them: %s (%s%s)", call->args[i]->text, own, plural(own), name, whole,
                       param ? "# " : "", inner);
            return false;
        }
        return true;
    }
    const OwnName *own = own_find(name);
    if (own && nargs != own->nargs) {
        if (own->nargs == 0)
            comp_error(c, call->args[0], "%s takes no arguments, found %d (%s)", name, nargs, own->usage);
        else
            comp_error(c, nargs ? call->args[own->nargs] : call, "%s takes %d argument%s, found %d (%s)", name,
                       own->nargs, plural(own->nargs), nargs, own->usage);
        return false;
    }
    return true;
}

/* The players (event chains) a buffer's signal is made of: the player externs upstream of buf along the
 * nodes' inputs, depth first, the first found first. Returns how many were written (at most max). */
static int comp_upstream_players(const GraphNode *nodes, int nnodes, const GraphBuf *bufs, int nbufs,
                                 const Extern *ext, int buf, int *out, int max)
{
    int *producer = malloc(sizeof(int) * (size_t)(nbufs + 1)), *stack = malloc(sizeof(int) * (size_t)(nbufs + 1));
    char *seen = calloc((size_t)nbufs + 1, 1);
    int n = 0, top = 0;
    if (!producer || !stack || !seen || buf < 0 || buf >= nbufs) goto done;
    for (int b = 0; b < nbufs; b++) producer[b] = -1;
    for (int i = 0; i < nnodes; i++) producer[nodes[i].out] = i;
    stack[top++] = buf;
    seen[buf] = 1;
    while (top > 0 && n < max) {
        int b = stack[--top];
        if (bufs[b].kind == GB_EXTERN && ext[bufs[b].ext].kind == EXT_PLAYER) out[n++] = ext[bufs[b].ext].index;
        if (producer[b] < 0) continue;
        const GraphNode *nd = &nodes[producer[b]];
        for (int i = nd->kind->ninputs - 1; i >= 0; i--)        /* the first input on top: visited first */
            if (nd->in[i] >= 0 && nd->in[i] < nbufs && !seen[nd->in[i]]) seen[nd->in[i]] = 1, stack[top++] = nd->in[i];
    }
done:
    free(producer);
    free(stack);
    free(seen);
    return n;
}

/* `s "bd*4" # reverb 0.5 0.5 # orbit 1`: an orbit parameter after the chain became sound goes to the events
 * of the chains that sound is made of (SuperDirt's orbits are per event); the signal stays as it is. */
static CVal comp_sig_orbit(Comp *c, const AstNode *call, CVal *input, const CVal *pv)
{
    int players[16];
    int n = c->gb->inst ? 0 : comp_upstream_players(c->global.nodes, c->global.nnodes, c->global.bufs, c->global.nbufs,
                                                    c->externs, input->buf, players, 16);
    if (n == 0)
        return comp_fail(c, call, "%s sets the orbit of events; its left side is a signal that plays no event chain",
                         call->text);
    for (int i = 0; i < n; i++) {
        Player *pl = &c->players[players[i]];
        pl->pattern = comp_pat_ok(c, pattern_op(c->a, OP_KEEP_RIGHT, STRUCT_LEFT, pl->pattern, pv->pat));
        if (!pl->pattern) return cv_none;
    }
    if (pv->orbit_varies) comp_warn_orbit(c, pv->orbit_varies, "the effect before it");
    return *input;
}

/* A call `name args...`, or a bare name (nargs 0). input: the left side of `#`, or NULL. */
static CVal comp_call(Comp *c, const AstNode *call, CVal *input)
{
    const char *name = call->text;
    int nargs = call->kind == AST_CALL ? call->nargs : 0;
    if (nargs > 16) return comp_fail(c, call->args[16], "too many arguments for %s (more than 16)", name);
    CVal args[nargs > 0 ? nargs : 1];
    if (!comp_name_known(name)) return comp_unknown(c, call, false);
    int p = param_lookup(name);
    const DspKind *k = dsp_find(name);
    /* `clip` is both a parameter (Tidal's, legato) and a signal function (clip lo hi): the signal
     * function when it is not given just one value, or when what it follows is a signal */
    /* `lpf`/`hpf` likewise are Tidal's cutoff/hcutoff in patterns ((# lpf 300), |* lpf 2), and
     * phonon's filters of the chain's sound directly after '#' */
    bool filter_alias = p == P_CUTOFF || p == P_HCUTOFF;
    if (p >= 0 && k && (nargs != 1 || (input && (input->kind == CV_SIG || filter_alias)))) p = -1;
    if (p >= 0) k = NULL;
    if (!comp_arity(c, call, p, k, input)) return cv_none;
    bool pattern_args = p >= 0 || (!k && transform_find(name));
    const TransformDef *fdef = !k && p < 0 ? transform_find(name) : NULL;
    for (int i = 0; i < nargs; i++) {
        if (fdef && i < fdef->nargs && (fdef->args[i] == TA_FNHEAD || fdef->args[i] == TA_PRED)) {
            args[i] = cv_none;                          /* spread's f: compiled with each item; a test */
            continue;
        }
        if (pattern_args && comp_tidal_signal(c, call->args[i], &args[i])) continue;
        args[i] = compile_expr(c, call->args[i]);
        if (args[i].kind == CV_NONE) return cv_none;
    }
    if (p >= 0 && nargs == 1 && dsp_find(name) && !input && args[0].kind == CV_SIG) {
        p = -1;                                         /* `clip (sine 2)`: clip the signal */
        k = dsp_find(name);
    }

    if (p >= 0) {
        if (nargs != 1) return comp_fail(c, call, "%s takes one argument (a pattern of values)", name);
        CVal pv = comp_param(c, p, call, &args[0]);
        if (!input || pv.kind == CV_NONE) return pv;
        if (input->kind == CV_SIG && (p == P_ORBIT || param_is_orbit_fx(p))) return comp_sig_orbit(c, call, input, &pv);
        if (input->kind == CV_SIG) {
            /* a parameter on a plain signal: gain and amp scale it, pan places it */
            if (p == P_GAIN || p == P_AMP) {
                int a = comp_to_signal(c, input, MINI_NUMBERS, call), b = comp_to_signal(c, &args[0], MINI_NUMBERS, call);
                if (a < 0 || b < 0) return cv_none;
                return cv_sig(comp_binary_node(c, "mul", a, b, call), call);
            }
            if (p == P_PAN) {
                const DspKind *k = comp_kind(c, "pan", call);
                if (!k) return cv_none;
                return comp_dsp(c, k, call, args, 1, input);
            }
            return comp_fail(c, call, "%s sets a parameter of events; its left side is a signal, not an event chain", name);
        }
        if (input->kind != CV_CHAIN)
            return comp_fail(c, call, "%s sets a parameter of events, but the left side of '#' is %s (start the chain with s \"...\")",
                             name, cv_describe(input));
        CVal v = cv_none;
        v.kind = CV_CHAIN;
        v.pat = comp_pat_ok(c, pattern_op(c->a, OP_KEEP_RIGHT, STRUCT_LEFT, input->pat, pv.pat));
        v.node = call;
        v.orbit_varies = pv.orbit_varies ? pv.orbit_varies : input->orbit_varies;
        return v.pat ? v : cv_none;
    }

    if (k) return comp_dsp(c, k, call, args, nargs, input);

    if (input) return comp_fail(c, call, "'%s' cannot follow '#': expected a parameter (n, gain, ...) or a filter/effect", name);

    if (nargs == 1 && (comp_combinator(name) || strcmp(name, "randcat") == 0) && call->args[0]->kind == AST_LIST)
        return comp_list_members(c, call, call->args[0]);
    if (nargs >= 2 && comp_combinator(name)) return comp_stack(c, call, args, nargs, comp_combinator(name) == 2);

    const TransformDef *td = transform_find(name);
    if (td) return comp_transform(c, td, call, args, nargs);

    Pattern *gen = NULL;
    if (nargs == 0) gen = pattern_signal(c->a, name);           /* rand, isaw, cosine, envL ... */
    if (nargs == 1 && (strcmp(name, "irand") == 0 || strcmp(name, "run") == 0 || strcmp(name, "scan") == 0)) {
        Pattern *n = comp_to_pattern(c, &args[0], MINI_INT, call->args[0]);
        if (!n) return cv_none;
        gen = name[0] == 'i' ? pattern_irand(c->a, n) : name[0] == 'r' ? pattern_run(c->a, n) : pattern_scan(c->a, n);
        if (!gen) return comp_oom(c);
    }
    if (gen) {
        CVal v = cv_none;
        v.kind = CV_PAT;
        v.pat = gen;
        v.ptype = MINI_NUMBERS;
        v.node = call;
        return v;
    }
    if (strcmp(name, "silence") == 0 && nargs == 0) {
        CVal v = cv_none;
        v.kind = CV_PAT;
        v.pat = comp_pat_ok(c, pattern_silence(c->a));
        v.ptype = MINI_AUTO;
        return v.pat ? v : cv_none;
    }
    if (strcmp(name, "in") == 0) {
        if (nargs != 1 || args[0].kind != CV_NUM) return comp_fail(c, call, "in takes an input number: in 1");
        double num = args[0].num;       /* checked as a double: a huge number has no int */
        int ch = num >= 1 && num <= c->env->ninputs ? (int)num : 0;
        if (ch < 1 || ch > c->env->ninputs)
            return comp_fail(c, call, "in %g: there %s %d input%s (Pd: [phonon~ -ins N])", num,
                             c->env->ninputs == 1 ? "is" : "are", c->env->ninputs, c->env->ninputs == 1 ? "" : "s");
        GB *saved = c->gb;
        c->gb = &c->global;
        int b = comp_extern(c, EXT_INPUT, ch - 1, 1);
        c->gb = saved;
        return cv_sig(comp_import(c, b, call), call);
    }
    return comp_unknown(c, call, false);
}

/* A function value from an expression: a partial transform, a section, a composition, `rev`. */
static bool comp_to_fn(Comp *c, CVal *v, const AstNode *at, const PatternFn **fn, bool *control)
{
    if (v->kind != CV_FN) {
        comp_error(c, at, "expected a function (like (fast 2), rev or (# speed 2)), found %s", cv_describe(v));
        return false;
    }
    *fn = v->fn;
    *control = v->control;
    return true;
}

static CVal comp_section(Comp *c, const AstNode *n)
{
    const char *op = n->op;
    if (strcmp(op, "<~") == 0 || strcmp(op, "~>") == 0) {
        if (n->hole_left)
            return comp_fail(c, n, "write the shift amount first: (0.25 %s)", op);
        const TransformDef *def = transform_find(op[0] == '<' ? "early" : "late");
        if (!def) return comp_fail(c, n, "internal: no early/late transform");
        CVal amount = compile_expr(c, n->args[0]);
        if (amount.kind == CV_NONE) return cv_none;
        return comp_transform(c, def, n, &amount, 1);
    }
    const OpInfo *oi = op_find(op);
    if (!oi && pattern_pred_cmp(op) >= 0) return comp_fail(c, n, PRED_ONLY, op);
    if (!oi) return comp_fail(c, n, "unknown operator '%s'", op);
    const AstNode *rhs = n->args[0];
    if (strcmp(op, "#") == 0 && (rhs->kind == AST_CALL || rhs->kind == AST_NAME)) {
        const DspKind *k = param_lookup(rhs->text) < 0 ? dsp_find(rhs->text) : NULL;
        if (k)
            return comp_fail(c, rhs, "%s processes sound, so it cannot be part of a pattern transform; "
                                     "use an event parameter (cutoff, hcutoff, shape, ...) instead", rhs->text);
    }
    CVal operand = compile_expr(c, rhs);
    if (operand.kind == CV_NONE) return cv_none;
    if (operand.kind == CV_SIG || operand.kind == CV_FN)
        return comp_fail(c, rhs, "an operator section in a transform needs a pattern, found %s", cv_describe(&operand));
    MiniType t = operand.kind == CV_PAT ? operand.ptype : MINI_NOTES;
    FnOp *f = arena_alloc(c->a, sizeof *f);
    if (!f) return comp_oom(c);
    f->fn.apply = fn_op_apply;
    f->op = oi->op;
    f->st = oi->st;
    f->hole_left = n->hole_left;
    if (oi->op == OP_APPEND) {
        CVal none = cv_none;
        if (!comp_join_sides(c, oi, &operand, &operand, n)) return cv_none;
        t = MINI_WORDS;
        if (!comp_join(c, n->hole_left ? NULL : rhs, n->hole_left ? rhs : NULL, n, operand.kind == CV_CHAIN, &none))
            return cv_none;
    }
    f->operand = comp_to_pattern(c, &operand, t, rhs);
    if (!f->operand) return cv_none;
    return cv_fn(&f->fn, operand.kind == CV_CHAIN, n);
}

/* fs: functions in the order they apply. */
static CVal comp_seq(Comp *c, CVal *fs, int n, const AstNode *at)
{
    FnSeq *f = arena_alloc(c->a, sizeof *f);
    if (!f || !(f->fs = arena_alloc(c->a, sizeof(PatternFn *) * (size_t)n))) return comp_oom(c);
    f->fn.apply = fn_seq_apply;
    f->n = n;
    bool control = false;
    for (int i = 0; i < n; i++) {
        f->fs[i] = fs[i].fn;
        control |= fs[i].control;
    }
    return cv_fn(&f->fn, control, at);
}

NOINLINE static CVal comp_compose(Comp *c, const AstNode *n)
{
    if (n->nargs > 32) return comp_fail(c, n->args[32], "composition too long (more than 32 functions)");
    CVal fs[n->nargs];
    for (int i = 0; i < n->nargs; i++) {
        CVal v = compile_expr(c, n->args[n->nargs - 1 - i]);       /* f . g: g applies first */
        if (v.kind == CV_NONE) return cv_none;
        if (v.kind != CV_FN) return comp_fail(c, n->args[n->nargs - 1 - i], "'.' composes functions, found %s", cv_describe(&v));
        fs[i] = v;
    }
    return comp_seq(c, fs, n->nargs, n);
}

/* x $ f $ g (pipeline, left to right) or f $ g $ x (Haskell order). */
NOINLINE static CVal comp_dollar(Comp *c, const AstNode *n)
{
    if (n->nargs > 32) return comp_fail(c, n->args[32], "'$' chain too long (more than 32 parts)");
    CVal items[n->nargs];               /* sized to the chain: frames stay small on the recursive path */
    for (int i = 0; i < n->nargs; i++) {
        /* the value end of a chain of transforms is a pattern: `slow 4 $ sine` is Tidal's sine */
        bool end = i == 0 || i == n->nargs - 1;
        if (end && comp_tidal_signal(c, n->args[i], &items[i])) continue;
        items[i] = compile_expr(c, n->args[i]);
        if (items[i].kind == CV_NONE) return cv_none;
    }
    if (items[0].kind != CV_FN) {
        CVal v = items[0];
        for (int i = 1; i < n->nargs; i++) {
            if (items[i].kind != CV_FN)
                return comp_fail(c, n->args[i], "after '$' expected a transform (like fast 2 or every 3 (rev)), found %s",
                                 cv_describe(&items[i]));
            v = comp_apply(c, &items[i], &v, n->args[i]);
            if (v.kind == CV_NONE) return v;
        }
        return v;
    }
    int last = n->nargs - 1;
    if (items[last].kind == CV_FN) return comp_seq(c, items, n->nargs, n);    /* (fast 2 $ rev): a pipeline */
    CVal v = items[last];
    for (int i = last - 1; i >= 0; i--) {
        if (items[i].kind != CV_FN)
            return comp_fail(c, n->args[i], "in 'f $ x', everything before the value must be a transform, found %s",
                             cv_describe(&items[i]));
        v = comp_apply(c, &items[i], &v, n->args[i]);
        if (v.kind == CV_NONE) return v;
    }
    return v;
}

static bool ast_is_arith(const AstNode *n)
{
    return n->kind == AST_BINOP && n->op[1] == 0 && strchr("+-*/%", n->op[0]);
}

/* l # r, where l is already compiled. Arithmetic on the right binds tighter than '#', but the input
 * belongs to the call at its left end: `x # lpf 800 0.7 * 0.3` is `(x # lpf 800 0.7) * 0.3` (phonon). */
static CVal comp_chain_into(Comp *c, CVal l, const AstNode *r, const AstNode *n)
{
    if (ast_is_arith(r)) {
        CVal left = comp_chain_into(c, l, r->args[0], n);
        if (left.kind == CV_NONE) return left;
        CVal right = compile_expr(c, r->args[1]);
        return comp_binop(c, op_find(r->op), left, right, r);
    }
    if (r->kind == AST_CALL || r->kind == AST_NAME) {
        bool known = param_lookup(r->text) >= 0 || dsp_find(r->text) != NULL;
        if (known) return comp_call(c, r, &l);
        if (!comp_name_known(r->text)) return comp_unknown(c, r, true);
    }
    CVal rv = compile_expr(c, r);
    if (rv.kind == CV_NONE) return rv;
    if (rv.kind == CV_FN) return comp_apply(c, &rv, &l, r);
    (void)n;
    if (rv.kind == CV_CHAIN && l.kind == CV_CHAIN) return comp_binop(c, op_find("#"), l, rv, n);
    return comp_fail(c, r, "'#' needs an event parameter (n, gain, ...), a filter/effect or an event chain on its right, found %s",
                     cv_describe(&rv));
}

/* `a # b`: a parameter, a filter/effect, or a whole chain on the right. */
static CVal comp_chain(Comp *c, const AstNode *n)
{
    CVal l = compile_expr(c, n->args[0]);
    if (l.kind == CV_NONE) return l;
    return comp_chain_into(c, l, n->args[1], n);
}

static CVal comp_bus_ref(Comp *c, const AstNode *n);

static CVal compile_node(Comp *c, const AstNode *n)
{
    CVal v = cv_none;
    v.node = n;
    switch (n->kind) {
    case AST_NUM:
        v.kind = CV_NUM;
        v.num = n->num;
        v.exact = n->text && rat_parse(n->text, -1, &v.q);
        return v;
    case AST_STR:
        v.kind = CV_STR;
        return v;
    case AST_BUS: return comp_bus_ref(c, n);
    case AST_NAME:
    case AST_CALL: return comp_call(c, n, NULL);
    case AST_NEG: {
        CVal x = compile_expr(c, n->args[0]);
        if (x.kind == CV_NUM) {
            x.num = -x.num;
            x.node = NULL;
            x.exact = x.exact && rat_sub_exact(rat_int(0), x.q, &x.q);
            return x;
        }
        CVal m1 = cv_none;
        m1.kind = CV_NUM;
        m1.num = -1;
        m1.q = rat_int(-1);
        m1.exact = true;
        return comp_binop(c, op_find("*"), x, m1, n);
    }
    case AST_BINOP: {
        if (strcmp(n->op, "#") == 0) return comp_chain(c, n);
        if (strcmp(n->op, "<~") == 0 || strcmp(n->op, "~>") == 0) {
            const TransformDef *def = transform_find(n->op[0] == '<' ? "early" : "late");
            if (!def) return comp_fail(c, n, "internal: no early/late transform");
            CVal args[2] = { compile_expr(c, n->args[0]), compile_expr(c, n->args[1]) };
            if (args[0].kind == CV_NONE || args[1].kind == CV_NONE) return cv_none;
            return comp_transform(c, def, n, args, 2);
        }
        const OpInfo *oi = op_find(n->op);
        if (!oi && pattern_pred_cmp(n->op) >= 0) return comp_fail(c, n, PRED_ONLY, n->op);
        if (!oi) return comp_fail(c, n, "unknown operator '%s'", n->op);
        CVal l = compile_expr(c, n->args[0]);
        CVal r = compile_expr(c, n->args[1]);
        AstNode at = *n;                /* report problems where the operator is */
        if (n->op_line > 0) {
            at.line = n->op_line;
            at.col = n->op_col;
        }
        CVal v = comp_binop(c, oi, l, r, &at);
        if (v.node == &at) v.node = n;
        if (oi->op == OP_APPEND && v.kind != CV_NONE && !comp_join(c, n->args[0], n->args[1], &at, v.kind == CV_CHAIN, &v))
            return cv_none;
        return v;
    }
    case AST_DOLLAR: return comp_dollar(c, n);
    case AST_SECTION: return comp_section(c, n);
    case AST_COMPOSE: return comp_compose(c, n);
    case AST_LIST:
        v.kind = CV_LIST;       /* compiled item by item by the function that takes it */
        return v;
    case AST_TUPLE:
        return comp_fail(c, n, "a tuple (a, b) is an item of a list argument ([(1, s \"bd\"), (2, s \"sn\")]), not a value of its own");
    }
    return comp_fail(c, n, "internal: unknown expression");
}

/* Every expression is compiled through here: the nesting, which goes on through the buses an
 * expression uses, is bounded so that no program can overflow the stack. */
static CVal compile_expr(Comp *c, const AstNode *n)
{
    if (c->depth >= COMPILE_MAX_DEPTH) {
        if (!c->too_deep)
            comp_error(c, n, "expression nested too deeply, counting the buses it uses (more than %d levels)",
                       COMPILE_MAX_DEPTH);
        c->too_deep = true;
        return cv_none;
    }
    c->depth++;
    CVal v = compile_node(c, n);
    c->depth--;
    return v;
}

/* ------------------------------------------------------------------------------------------------
 * buses */

static int comp_bus_find(Comp *c, const char *name)
{
    for (int i = c->nbuses - 1; i >= 0; i--)
        if (strcmp(c->buses[i].name, name) == 0) return i;
    return -1;
}

/* " (did you mean '~bass'?)" among the program's buses, or "". */
COLD static void comp_suggest_bus(Comp *c, const char *name, char *hint, int size)
{
    LangSuggest sg;
    lang_suggest_init(&sg, name, (int)strlen(name));
    for (int i = 0; i < c->nbuses; i++) lang_suggest_add(&sg, c->buses[i].name);
    lang_suggest_format(&sg, "'~", "'", hint, size);
}

/* The global-mode value of bus i. */
/* ------------------------------------------------------------------------------------------------
 * the statement cache (compile.h) */

typedef struct CacheEntry {
    char *text;                 /* the statement's text (malloc), its place: the key */
    int line, col;
    SharedArena *arena;         /* where its patterns live (one ref held here) */
    CVal val;                   /* CV_PAT or CV_CHAIN; node NULL */
    SoundNote *notes;           /* the sound words it notes */
    int nnotes;
    bool used;                  /* by the compile under way */
} CacheEntry;

struct CompileCache {
    CacheEntry *v;
    int n, cap;
    int compiled, reused;       /* the last successful compile's counts */
};

CompileCache *compile_cache_new(void) { return calloc(1, sizeof(CompileCache)); }

static void cache_entry_free(CacheEntry *e)
{
    free(e->text);
    free(e->notes);
    arena_shared_unref(e->arena);
}

void compile_cache_free(CompileCache *cc)
{
    if (!cc) return;
    for (int i = 0; i < cc->n; i++) cache_entry_free(&cc->v[i]);
    free(cc->v);
    free(cc);
}

void compile_cache_counts(const CompileCache *cc, int *compiled, int *reused)
{
    *compiled = cc ? cc->compiled : 0;
    *reused = cc ? cc->reused : 0;
}

static CacheEntry *cache_find(CompileCache *cc, const Stmt *s)
{
    for (int i = 0; i < cc->n; i++) {
        CacheEntry *e = &cc->v[i];
        if (e->line == s->line && e->col == s->col && strcmp(e->text, s->text) == 0) return e;
    }
    return NULL;
}

/* After a compile: a successful one drops what it did not use (the statements gone or changed). */
static void cache_sweep(CompileCache *cc, bool success, int compiled, int reused)
{
    int k = 0;
    for (int i = 0; i < cc->n; i++) {
        CacheEntry *e = &cc->v[i];
        if (success && !e->used) {
            cache_entry_free(e);
            continue;
        }
        e->used = false;
        cc->v[k++] = *e;
    }
    cc->n = k;
    if (success) cc->compiled = compiled, cc->reused = reused;
}

static bool comp_hold(Comp *c, SharedArena *sa)
{
    if (!VEC_PUSH(c->held, c->nheld, c->capheld, sa)) return false;
    arena_shared_ref(sa);
    return true;
}

/* Keep what statement s compiled to (v, its patterns in sa, notes [n0, c->nnotes)) for later compiles.
 * Out of memory only means it is compiled again next time. */
static void cache_add(Comp *c, CompileCache *cc, const Stmt *s, SharedArena *sa, CVal v, int n0)
{
    CacheEntry e = { .line = s->line, .col = s->col, .val = v, .used = true };
    e.val.node = NULL;
    e.val.bus = -1;
    e.nnotes = c->nnotes - n0;
    e.text = strdup(s->text);
    e.notes = malloc(sizeof(SoundNote) * (size_t)(e.nnotes + 1));
    if (!e.text || !e.notes || !VEC_PUSH(cc->v, cc->n, cc->cap, e)) {
        free(e.text);
        free(e.notes);
        return;
    }
    if (e.nnotes > 0) memcpy(cc->v[cc->n - 1].notes, c->notes + n0, sizeof(SoundNote) * (size_t)e.nnotes);
    arena_shared_ref(sa);
    cc->v[cc->n - 1].arena = sa;
}

/* What a compile can add that a reused statement would not bring along. */
typedef struct CompMark {
    int nbusrefs, nprobes, nctrls, nexterns, nfeedbacks, ninsts, nnodes, nbufs, nplayers, nmsgs, nnotes;
    bool reads_controls;
} CompMark;

static CompMark comp_mark(const Comp *c)
{
    CompMark m = { c->nbusrefs, c->nprobes, c->nctrls, c->nexterns, c->nfeedbacks, c->ninsts, c->global.nnodes,
                   c->global.nbufs, c->nplayers, c->nmsgs, c->nnotes, c->reads_controls };
    return m;
}

static bool comp_mark_same(const CompMark *a, const CompMark *b)
{
    return a->nbusrefs == b->nbusrefs && a->nprobes == b->nprobes && a->nctrls == b->nctrls &&
           a->nexterns == b->nexterns && a->nfeedbacks == b->nfeedbacks && a->ninsts == b->ninsts &&
           a->nnodes == b->nnodes && a->nbufs == b->nbufs && a->nplayers == b->nplayers && a->nmsgs == b->nmsgs &&
           a->reads_controls == b->reads_controls;
}

/* The value of the statement being compiled (c->cur_stmt, global mode): from the cache when it holds the
 * statement, else compiled into an arena of its own, kept in the cache if nothing else came of it. */
static CVal comp_stmt_expr(Comp *c, const AstNode *expr)
{
    CompileCache *cc = c->env->cache;
    const Stmt *s = c->cur_stmt >= 0 && c->cur_stmt < c->ast.nstmts ? &c->ast.stmts[c->cur_stmt] : NULL;
    if (!cc || !s || !s->text || c->gb != &c->global || c->oom) return compile_expr(c, expr);
    CacheEntry *e = cache_find(cc, s);
    if (e && comp_hold(c, e->arena)) {
        e->used = true;
        for (int i = 0; i < e->nnotes; i++) comp_note_base(c, e->notes[i].base, e->notes[i].line, e->notes[i].col);
        c->nreused++;
        CVal v = e->val;
        v.node = expr;
        return v;
    }
    c->ncompiled++;
    SharedArena *sa = arena_shared_new(4096);
    if (!sa || !comp_hold(c, sa)) {
        arena_shared_unref(sa);
        return compile_expr(c, expr);
    }
    arena_shared_unref(sa);             /* the program's ref (c->held) keeps it */
    Arena *saved = c->a;
    c->a = &sa->arena;
    CompMark before = comp_mark(c);
    int errors = c->nerrors;
    CVal v = compile_expr(c, expr);
    c->a = saved;
    CompMark after = comp_mark(c);
    if (c->nerrors == errors && !c->oom && (v.kind == CV_PAT || v.kind == CV_CHAIN) && comp_mark_same(&before, &after))
        cache_add(c, cc, s, sa, v, before.nnotes);
    return v;
}

static CVal comp_bus_value(Comp *c, int i, const AstNode *at)
{
    Bus *b = &c->buses[i];
    if (b->state == BUS_DONE) return b->val;
    if (b->state == BUS_BUSY) {
        /* reached again while compiling itself: feedback through the previous block */
        if (b->feedback_ext < 0) {
            Feedback f = { 0, i };
            if (!VEC_PUSH(c->feedbacks, c->nfeedbacks, c->capfeedbacks, f)) return comp_oom(c);
            GB *saved = c->gb;
            c->gb = &c->global;
            int fb = comp_extern(c, EXT_FEEDBACK, c->nfeedbacks - 1, 1);
            c->gb = saved;
            if (fb < 0) return cv_none;
            b->feedback_buf = fb;
            b->feedback_ext = c->global.bufs[b->feedback_buf].ext;
            c->feedbacks[c->nfeedbacks - 1].ext = b->feedback_ext;
        }
        (void)at;
        return cv_sig(b->feedback_buf, at);
    }
    if (c->bus_depth >= COMPILE_MAX_BUS_DEPTH) {
        if (!c->too_deep)
            comp_error(c, at, "buses nested too deeply: more than %d buses, each used by the one before (here ~%s "
                              "uses ~%s)", COMPILE_MAX_BUS_DEPTH, c->cur_name ? c->cur_name : "?", b->name);
        c->too_deep = true;
        return cv_none;
    }
    GB *saved_gb = c->gb;
    int saved_stmt = c->cur_stmt, saved_count = c->player_count;
    const char *saved_name = c->cur_name;
    c->gb = &c->global;
    c->cur_stmt = b->stmt;
    c->cur_name = b->name;
    c->player_count = 0;
    b->state = BUS_BUSY;
    c->bus_depth++;
    CVal v = comp_stmt_expr(c, b->expr);
    c->bus_depth--;
    v.bus = i;
    double set;
    if (v.kind == CV_NUM && c->env->control && c->env->control(c->env->ud, b->name, &set)) {
        v.num = set;            /* a value the host set holds until the bus's own definition changes */
        v.node = NULL;
        v.exact = false;
    }
    b->val = v;
    b->state = BUS_DONE;
    c->gb = saved_gb;
    c->cur_stmt = saved_stmt;
    c->cur_name = saved_name;
    c->player_count = saved_count;
    if (b->feedback_ext >= 0 && v.kind != CV_SIG && v.kind != CV_CHAIN && v.kind != CV_NONE)
        comp_error(c, b->expr, "~%s refers to itself, so it must be a signal (it is %s)", b->name, cv_describe(&v));
    return v;
}

static CVal comp_bus_ref(Comp *c, const AstNode *n)
{
    int i = comp_bus_find(c, n->text);
    if (i < 0) {
        char hint[200];
        comp_suggest_bus(c, n->text, hint, sizeof hint);
        return comp_fail(c, n, "unknown bus ~%s%s", n->text, hint);
    }
    c->buses[i].used = true;
    c->nbusrefs++;
    GB *here = c->gb;
    c->gb = &c->global;
    CVal v = comp_bus_value(c, i, n);
    c->gb = here;
    if (v.kind == CV_NONE || !here->inst) return v;
    /* inside an instrument, another bus is a global signal read by every voice */
    if (v.kind == CV_SIG) return cv_sig(comp_import(c, v.buf, n), n);
    if (v.kind == CV_CHAIN) return comp_fail(c, n, "~%s is an event chain; an instrument cannot play it inside its voices", n->text);
    return v;   /* numbers, patterns and functions are the same everywhere */
}

/* ------------------------------------------------------------------------------------------------
 * instruments */

static int comp_instrument(Comp *c, int busi, int line, int col)
{
    Bus *b = &c->buses[busi];
    if (b->inst >= 0) return b->inst;
    if (b->inst_busy) {
        comp_warn_at(c, line, col, "instrument ~%s plays itself", b->name);
        return -1;
    }
    b->inst_busy = true;
    InstBuild ib;
    memset(&ib, 0, sizeof ib);
    ib.gb.inst = true;
    ib.gb.freq_buf = ib.gb.gate_buf = -1;
    ib.bus = busi;
    GB *saved = c->gb;
    int saved_stmt = c->cur_stmt;
    c->gb = &ib.gb;
    c->cur_stmt = b->stmt;
    int nerr = c->nerrors;
    CVal v = compile_expr(c, b->expr);
    int out = -1;
    if (v.kind != CV_NONE) out = comp_to_signal(c, &v, MINI_FREQ, b->expr);
    if (out >= 0 && (ib.gb.bufs[out].kind != GB_NODE || ib.gb.bufs[out].lanes != VOICE_LANES)) {
        /* a constant or another bus as a whole instrument: give every voice its own copy */
        out = comp_binary_node(c, "mul", out, comp_const(c, 1.0f), b->expr);
    }
    c->gb = saved;
    c->cur_stmt = saved_stmt;
    b->inst_busy = false;
    if (out < 0 || c->nerrors != nerr) {
        gb_free(&ib.gb);
        return -1;
    }
    ib.out = out;
    if (!VEC_PUSH(c->insts, c->ninsts, c->capinsts, ib)) {
        gb_free(&ib.gb);
        comp_oom(c);
        return -1;
    }
    b->inst = c->ninsts - 1;
    b->used = true;
    return b->inst;
}

/* ------------------------------------------------------------------------------------------------
 * statements and outputs */

bool compile_is_track(const char *name)
{
    if (strcmp(name, "out") == 0) return true;
    const char *digits = NULL;
    if (strncmp(name, "out", 3) == 0) digits = name + 3;
    else if (name[0] == 'd' || name[0] == 'o') digits = name + 1;
    if (!digits || !*digits) return false;
    for (const char *p = digits; *p; p++)
        if (!isdigit((unsigned char)*p)) return false;
    return atoi(digits) >= 1;
}

/* `outK` for K >= 3 has output channel K to itself when the host has that many (Pd: -outs); with fewer it
 * stays a track in the main mix, and says so. Returns the channel index, or -1 for the main mix. */
static int comp_track_out(Comp *c, int stmt, const char *name)
{
    if (strncmp(name, "out", 3) != 0 || !isdigit((unsigned char)name[3])) return -1;
    int k = atoi(name + 3);
    if (k < 3) return -1;
    int outs = c->env->noutputs > 0 ? c->env->noutputs : 2;
    if (k <= outs) return k - 1;
    const Stmt *s = &c->ast.stmts[stmt];
    comp_warn_at(c, s->line, s->col, "%s plays in the main mix: there %s only %d output%s ([phonon~ -outs %d] "
                 "gives it output %d to itself)", name, outs == 1 ? "is" : "are", outs, outs == 1 ? "" : "s", k, k);
    return -1;
}

static void comp_track(Comp *c, int stmt, const char *name, const AstNode *expr, float gain)
{
    c->cur_stmt = stmt;
    c->cur_name = name;
    c->player_count = 0;
    c->gb = &c->global;
    CVal v = comp_stmt_expr(c, expr);
    if (v.kind == CV_NONE) return;
    if (v.kind == CV_FN) {
        comp_error(c, expr, "this is a function, not something that makes sound (missing the pattern after it?)");
        return;
    }
    int buf = comp_to_signal(c, &v, MINI_NUMBERS, expr);
    if (buf < 0) return;
    Track t = { buf, stmt, gain, comp_track_out(c, stmt, name), -1 };
    if (!VEC_PUSH(c->tracks, c->ntracks, c->captracks, t)) comp_oom(c);
}

static void comp_track_bus(Comp *c, int bi, float gain)
{
    c->gb = &c->global;
    CVal v = comp_bus_value(c, bi, c->buses[bi].expr);
    if (v.kind == CV_NONE) return;
    if (v.kind == CV_FN) {
        comp_error(c, c->buses[bi].expr, "~%s is a function, not something that makes sound", c->buses[bi].name);
        return;
    }
    c->cur_stmt = c->buses[bi].stmt;
    c->cur_name = c->buses[bi].name;
    int buf = comp_to_signal(c, &v, MINI_NUMBERS, c->buses[bi].expr);
    if (buf < 0) return;
    Track t = { buf, c->buses[bi].stmt, gain, -1, -1 };
    if (compile_is_track(c->buses[bi].name)) t.out = comp_track_out(c, c->buses[bi].stmt, c->buses[bi].name);
    if (!VEC_PUSH(c->tracks, c->ntracks, c->captracks, t)) comp_oom(c);
}

/* Mark buses referenced anywhere (by ~name in an expression or in a string) as used. */
static void comp_mark_refs(Comp *c, const AstNode *n)
{
    if (!n) return;
    if (n->kind == AST_BUS) {
        int i = comp_bus_find(c, n->text);
        if (i >= 0) c->buses[i].used = true;
    }
    if (n->kind == AST_STR) {
        const char *s = n->text;
        for (const char *p = strchr(s, '~'); p; p = strchr(p + 1, '~')) {
            if (!isalpha((unsigned char)p[1])) continue;
            const char *e = p + 1;
            while (word_char((unsigned char)*e) && *e != ':') e++;
            char name[128];
            size_t len = (size_t)(e - p - 1) < sizeof name - 1 ? (size_t)(e - p - 1) : sizeof name - 1;
            memcpy(name, p + 1, len);
            name[len] = 0;
            int i = comp_bus_find(c, name);
            if (i >= 0) c->buses[i].used = true;
        }
    }
    for (int i = 0; i < n->nargs; i++) comp_mark_refs(c, n->args[i]);
}

/* Whether an expression names `orbit` or an orbit effect (a cached statement too: the text is looked at). */
static bool comp_names_orbit(const AstNode *n)
{
    if (!n) return false;
    if ((n->kind == AST_NAME || n->kind == AST_CALL) && n->text) {
        int p = param_lookup(n->text);
        if (p == P_ORBIT || (param_is_orbit_fx(p) && !(p == P_DELAY && n->kind == AST_CALL && n->nargs > 1)))
            return true;
    }
    for (int i = 0; i < n->nargs; i++)
        if (comp_names_orbit(n->args[i])) return true;
    return false;
}

static void comp_statements(Comp *c)
{
    Program *p = c->prog;
    int nout = 0, too_many = 0;
    for (int i = 0; i < c->ast.nstmts; i++) {
        const Stmt *s = &c->ast.stmts[i];
        switch (s->kind) {
        case STMT_TEMPO:
            if (!(s->value > 0) || !isfinite(s->value)) {
                comp_err_at(c, s->line, s->value_col, "'%.*s: 0' would stop the clock; the tempo must be above 0",
                            (int)strcspn(s->text ? s->text : "tempo", ":"), s->text ? s->text : "tempo");
                break;
            }
            p->has_tempo = true;
            p->cps = s->unit == TEMPO_BPM ? s->value / 60.0 : s->value;
            break;
        case STMT_HUSH: p->hush = true; break;
        case STMT_PANIC: p->panic = true; break;
        case STMT_BUS: {
            c->cur_stmt = i;
            int prev = comp_bus_find(c, s->name);
            if (prev >= 0)
                comp_warn_at(c, s->line, s->col, "~%s is defined again (first on line %d); the last definition wins",
                             s->name, c->ast.stmts[c->buses[prev].stmt].line);
            Bus b;
            memset(&b, 0, sizeof b);
            b.name = s->name;
            b.stmt = i;
            b.expr = s->expr;
            b.player_buf = b.feedback_ext = b.feedback_buf = b.inst = b.slot_buf = -1;
            if (c->nbuses == COMPILE_MAX_BUSES) {
                if (!too_many++)
                    comp_err_at(c, s->line, s->col, "too many buses (at most %d)", COMPILE_MAX_BUSES);
                break;
            }
            if (!VEC_PUSH(c->buses, c->nbuses, c->capbuses, b)) comp_oom(c);
            break;
        }
        case STMT_OUT: nout++; break;
        }
    }
    if (too_many) return;               /* the program is refused; its buses would only say more of the same */
    for (int i = 0; i < c->ast.nstmts; i++) comp_mark_refs(c, c->ast.stmts[i].expr);
    for (int i = 0; i < c->ast.nstmts && !p->uses_orbits; i++) p->uses_orbits = comp_names_orbit(c->ast.stmts[i].expr);

    /* outputs: `out` and tracks (also `~d1` buses); else ~master, ~out, or the buses nothing uses */
    for (int i = 0; i < c->ast.nstmts; i++) {
        const Stmt *s = &c->ast.stmts[i];
        if (s->kind == STMT_OUT) comp_track(c, i, s->name, s->expr, 1.0f);
    }
    int ntrackbus = 0;
    for (int i = 0; i < c->nbuses; i++) {
        if (comp_bus_find(c, c->buses[i].name) != i) continue;     /* superseded */
        if (compile_is_track(c->buses[i].name)) {
            comp_track_bus(c, i, 1.0f);
            ntrackbus++;
        }
    }
    if (nout == 0 && ntrackbus == 0) {
        int m = comp_bus_find(c, "master");
        if (m < 0) m = comp_bus_find(c, "out");
        if (m >= 0) comp_track_bus(c, m, 1.0f);
        else
            for (int i = 0; i < c->nbuses; i++)
                if (!c->buses[i].used && comp_bus_find(c, c->buses[i].name) == i) comp_track_bus(c, i, 0.25f);
    }
    /* the remaining buses still compile, so their errors are reported */
    for (int i = 0; i < c->nbuses; i++)
        if (comp_bus_find(c, c->buses[i].name) == i) comp_bus_value(c, i, c->buses[i].expr);
    if (c->ntracks == 0 && c->nerrors == 0)
        comp_warn_at(c, c->ast.nstmts ? c->ast.stmts[0].line : 1, 1, "nothing reaches the output");
}

/* ------------------------------------------------------------------------------------------------
 * sounds and instruments, resolved against the bank */

static void comp_suggest_sound(void *ud, const BankSound *s) { lang_suggest_add(ud, banksound_name(s)); }

static void comp_sounds(Comp *c)
{
    Program *p = c->prog;
    int cap = 16;
    while (cap < c->nsounds * 2) cap *= 2;
    p->sounds = arena_alloc(c->a, sizeof(SoundRef) * (size_t)cap);
    if (!p->sounds) { comp_oom(c); return; }
    p->nsounds_cap = cap;
    for (int i = 0; i < c->nsounds; i++) {
        const SoundSeen *s = &c->sounds[i];
        const char *name = sym_name(s->sym);
        SoundRef r = { s->sym, SOUND_UNKNOWN, NULL, NULL };
        c->cur_stmt = s->stmt;
        if (name[0] == '~') {
            int bi = comp_bus_find(c, name + 1);
            if (bi < 0) {
                char hint[200];
                comp_suggest_bus(c, name + 1, hint, sizeof hint);
                comp_warn_at(c, s->line, s->col, "unknown instrument %s (no bus ~%s%s%.*s); it plays nothing", name,
                             name + 1, hint[0] ? "; " : "", hint[0] ? (int)strlen(hint) - 3 : 0, hint[0] ? hint + 2 : "");
            } else {
                int ii = comp_instrument(c, bi, s->line, s->col);
                if (ii >= 0) {
                    r.kind = SOUND_INST;
                    r.inst = (const Instrument *)(intptr_t)(ii + 1);   /* fixed up in comp_link */
                }
            }
        } else {
            const BankSound *bs = c->env->bank ? bank_find(c->env->bank, name) : NULL;
            if (bs) {
                r.kind = SOUND_BANK;
                r.bank = bs;
                bank_request(c->env->bank, bs);
            } else {
                char hint[200] = "";
                if (c->env->bank) {
                    LangSuggest sg;
                    lang_suggest_init(&sg, name, (int)strlen(name));
                    bank_list(c->env->bank, comp_suggest_sound, &sg);
                    lang_suggest_format(&sg, "'", "'", hint, sizeof hint);
                }
                comp_warn_at(c, s->line, s->col, "unknown sound '%s'%s; it plays nothing", name, hint);
            }
        }
        uint32_t h = s->sym * 2654435761u;
        for (int k = 0;; k++) {
            SoundRef *slot = &p->sounds[(h + (uint32_t)k) & (uint32_t)(cap - 1)];
            if (slot->sym == 0) {
                *slot = r;
                break;
            }
        }
    }
}

const SoundRef *program_sound(const Program *p, uint32_t sym)
{
    if (!p->nsounds_cap || sym == 0) return NULL;
    uint32_t h = sym * 2654435761u, mask = (uint32_t)p->nsounds_cap - 1;
    for (uint32_t k = 0; k <= mask; k++) {
        const SoundRef *slot = &p->sounds[(h + k) & mask];
        if (slot->sym == sym) return slot;
        if (slot->sym == 0) return NULL;
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------------
 * link: keep what reaches an output, order upstream nodes first, copy into the program */

typedef struct Link {
    int *producer;              /* buffer -> node writing it, or -1 */
    char *live, *up;            /* per buffer */
    int *stack;                 /* link_mark's worklist */
    int nstack;
} Link;

static void link_push(Link *L, char *mark, int buf)
{
    if (buf < 0 || mark[buf]) return;
    mark[buf] = 1;
    L->stack[L->nstack++] = buf;        /* each buffer once: the stack never holds more than nbufs */
}

/* Mark buf and everything it is computed from. A worklist, not recursion: a graph may be as deep as
 * the program is long (buses each adding to the one before). */
static void link_mark(Comp *c, Link *L, char *mark, int buf)
{
    link_push(L, mark, buf);
    while (L->nstack > 0) {
        buf = L->stack[--L->nstack];
        const GraphBuf *gb = &c->global.bufs[buf];
        if (gb->kind == GB_EXTERN && c->externs[gb->ext].kind == EXT_FEEDBACK && mark == L->live) {
            const Bus *b = &c->buses[c->feedbacks[c->externs[gb->ext].index].bus];
            if (b->val.kind == CV_SIG) link_push(L, mark, b->val.buf);
            else if (b->player_buf >= 0) link_push(L, mark, b->player_buf);
        }
        int nd = L->producer[buf];
        if (nd < 0) continue;
        const GraphNode *n = &c->global.nodes[nd];
        for (int i = 0; i < n->kind->ninputs; i++) link_push(L, mark, n->in[i]);
    }
}

static const DspKind comp_bus_kind = { .name = "bus" };    /* only for keys: a bus's value */

/* Where a chain's voices on orbits go (docs/LANGUAGE.md, Outputs): a chain whose bus one main-mix track
 * plays as it is, with nothing else reading it, is `direct` (each voice on its event's orbit); any other
 * track follows the orbit of the first chain its signal is made of. */
static void comp_orbit_routes(Program *p)
{
    const Graph *g = &p->graph;
    for (int t = 0; t < p->ntracks; t++) {
        int first = -1;
        p->tracks[t].player = comp_upstream_players(g->nodes, g->nnodes, g->bufs, g->nbufs, p->externs,
                                                    p->tracks[t].buf, &first, 1) ? first : -1;
    }
    for (int i = 0; i < p->nplayers; i++) {
        Player *pl = &p->players[i];
        int pb = -1, tracks = 0, plain = 0, readers = 0;
        for (int b = 0; b < g->nbufs && pb < 0; b++)
            if (g->bufs[b].kind == GB_EXTERN && g->bufs[b].ext == pl->ext) pb = b;
        for (int t = 0; t < p->ntracks; t++) {
            const Track *tr = &p->tracks[t];
            if (tr->buf != pb) continue;
            tracks++;
            plain += tr->out < 0 && tr->gain == 1.0f;
        }
        for (int k = 0; k < g->nnodes; k++)
            for (int j = 0; j < g->nodes[k].kind->ninputs; j++) readers += g->nodes[k].in[j] == pb;
        for (int k = 0; k < p->nprobes; k++) readers += p->probes[k].buf == pb;
        for (int k = 0; k < p->nexterns; k++) readers += p->externs[k].kind == EXT_FEEDBACK && p->externs[k].index == pb;
        pl->direct = pb >= 0 && tracks == 1 && plain == 1 && readers == 0;
    }
}

static void comp_link(Comp *c)
{
    Program *p = c->prog;
    GB *g = &c->global;
    Link L;
    L.producer = malloc(sizeof(int) * (size_t)(g->nbufs + 1));
    L.live = calloc((size_t)g->nbufs + 1, 1);
    L.up = calloc((size_t)g->nbufs + 1, 1);
    L.stack = malloc(sizeof(int) * (size_t)(g->nbufs + 1));
    L.nstack = 0;
    int *ext_map = malloc(sizeof(int) * (size_t)(c->nexterns + 1));
    int *player_map = malloc(sizeof(int) * (size_t)(c->nplayers + 1));
    int *ctrl_map = malloc(sizeof(int) * (size_t)(c->nctrls + 1));
    int *buf_map = malloc(sizeof(int) * (size_t)(g->nbufs + 1));
    if (!L.producer || !L.live || !L.up || !L.stack || !ext_map || !player_map || !ctrl_map || !buf_map) {
        comp_oom(c);
        goto done;
    }
    for (int b = 0; b < g->nbufs; b++) L.producer[b] = -1;
    for (int i = 0; i < g->nnodes; i++) L.producer[g->nodes[i].out] = i;

    for (int i = 0; i < c->ntracks; i++) link_mark(c, &L, L.live, c->tracks[i].buf);
    for (int i = 0; i < c->nprobes; i++) {
        link_mark(c, &L, L.live, c->probes[i].buf);
        link_mark(c, &L, L.up, c->probes[i].buf);
    }
    for (int k = 0; k < c->ninsts; k++)
        for (int j = 0; j < c->insts[k].gb.next; j++) {
            link_mark(c, &L, L.live, c->insts[k].gb.ext_global[j]);
            link_mark(c, &L, L.up, c->insts[k].gb.ext_global[j]);
        }
    for (int b = 0; b < g->nbufs; b++)
        if (L.up[b] && g->bufs[b].kind == GB_EXTERN && c->externs[g->bufs[b].ext].kind == EXT_PLAYER) {
            const Player *pl = &c->players[c->externs[g->bufs[b].ext].index];
            const Stmt *st = pl->stmt >= 0 && pl->stmt < c->ast.nstmts ? &c->ast.stmts[pl->stmt] : NULL;
            comp_err_at(c, st ? st->line : 1, st ? st->col : 1,     /* at the player's statement */
                        "a signal that controls voices depends on the sound of %s; that loop is not supported",
                        pl->name);
            break;
        }

    /* externs, players and ctrls that survive, renumbered */
    for (int i = 0; i < c->nexterns; i++) ext_map[i] = -1;
    for (int i = 0; i < c->nplayers; i++) player_map[i] = -1;
    for (int i = 0; i < c->nctrls; i++) ctrl_map[i] = -1;
    int next = 0, nplayers = 0, nctrls = 0;
    for (int b = 0; b < g->nbufs; b++) {
        if (!L.live[b] || g->bufs[b].kind != GB_EXTERN) continue;
        const Extern *e = &c->externs[g->bufs[b].ext];
        ext_map[g->bufs[b].ext] = next++;
        if (e->kind == EXT_PLAYER) player_map[e->index] = nplayers++;
        if (e->kind == EXT_CTRL) ctrl_map[e->index] = nctrls++;
    }

    /* buffers: live ones in order */
    int nb = 0;
    for (int b = 0; b < g->nbufs; b++) buf_map[b] = L.live[b] ? nb++ : -1;
    Graph *pg = &p->graph;
    pg->bufs = arena_alloc(c->a, sizeof(GraphBuf) * (size_t)(nb + 1));
    pg->nodes = arena_alloc(c->a, sizeof(GraphNode) * (size_t)(g->nnodes + 1));
    p->externs = arena_alloc(c->a, sizeof(Extern) * (size_t)(next + 1));
    p->players = arena_alloc(c->a, sizeof(Player) * (size_t)(nplayers + 1));
    p->ctrls = arena_alloc(c->a, sizeof(Ctrl) * (size_t)(nctrls + 1));
    p->probes = arena_alloc(c->a, sizeof(Probe) * (size_t)(c->nprobes + 1));
    p->tracks = arena_alloc(c->a, sizeof(Track) * (size_t)(c->ntracks + 1));
    p->instruments = arena_alloc(c->a, sizeof(Instrument) * (size_t)(c->ninsts + 1));
    p->bufbus = arena_alloc(c->a, sizeof(uint64_t) * (size_t)(nb + 1));
    if (!pg->bufs || !pg->nodes || !p->externs || !p->players || !p->ctrls || !p->probes || !p->tracks ||
        !p->instruments || !p->bufbus) {
        comp_oom(c);
        goto done;
    }
    memset(p->bufbus, 0, sizeof(uint64_t) * (size_t)(nb + 1));
    pg->nbufs = nb;
    pg->lanes = 2;
    for (int b = 0; b < g->nbufs; b++) {
        if (buf_map[b] < 0) continue;
        GraphBuf gbf = g->bufs[b];
        if (gbf.kind == GB_EXTERN) gbf.ext = ext_map[gbf.ext];
        pg->bufs[buf_map[b]] = gbf;
    }
    /* nodes: upstream first, then the rest, each in creation (topological) order */
    int nn = 0, nstate = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < g->nnodes; i++) {
            GraphNode nd = g->nodes[i];
            if (!L.live[nd.out] || (L.up[nd.out] != 0) != (pass == 0)) continue;
            for (int k = 0; k < nd.kind->ninputs; k++) nd.in[k] = buf_map[nd.in[k]];
            nd.out = buf_map[nd.out];
            nd.state = nstate;
            nstate += nd.nstate;
            pg->nodes[nn++] = nd;
        }
        if (pass == 0) p->nupstream = nn;
    }
    pg->nnodes = nn;
    pg->nstate = nstate;
    pg->out = -1;

    p->nexterns = next;
    p->nplayers = nplayers;
    p->nctrls = nctrls;
    for (int i = 0; i < c->nexterns; i++) {
        if (ext_map[i] < 0) continue;
        Extern e = c->externs[i];
        if (e.kind == EXT_PLAYER) {
            Player pl = c->players[e.index];
            pl.ext = ext_map[i];
            e.index = player_map[e.index];
            p->players[e.index] = pl;
        } else if (e.kind == EXT_CTRL) {
            Ctrl k = c->ctrls[e.index];
            k.ext = ext_map[i];
            e.index = ctrl_map[e.index];
            p->ctrls[e.index] = k;
        } else if (e.kind == EXT_FEEDBACK) {
            const Bus *b = &c->buses[c->feedbacks[e.index].bus];
            int src = b->val.kind == CV_SIG ? b->val.buf : b->player_buf;
            e.index = src >= 0 ? buf_map[src] : -1;
        }
        p->externs[ext_map[i]] = e;
    }
    /* which bus each buffer is the value of (for instruments of an old program reading it after an edit) */
    for (int i = 0; i < c->nbuses; i++) {
        const Bus *b = &c->buses[i];
        int gb = b->slot_buf >= 0 ? b->slot_buf : b->val.kind == CV_SIG ? b->val.buf : -1;
        if (gb >= 0 && buf_map[gb] >= 0) p->bufbus[buf_map[gb]] = graph_node_key(b->name, &comp_bus_kind, 0);
    }
    p->nprobes = c->nprobes;
    p->reads_controls = c->reads_controls;
    for (int i = 0; i < c->nprobes; i++) p->probes[i].buf = buf_map[c->probes[i].buf];
    p->ntracks = c->ntracks;
    for (int i = 0; i < c->ntracks; i++) {
        p->tracks[i] = c->tracks[i];
        p->tracks[i].buf = buf_map[c->tracks[i].buf];
    }
    comp_orbit_routes(p);

    /* instruments: their graphs as built, with global reads renumbered */
    p->ninstruments = c->ninsts;
    for (int k = 0; k < c->ninsts; k++) {
        InstBuild *ib = &c->insts[k];
        Graph *ig = arena_alloc(c->a, sizeof(Graph));
        GraphNode *nodes = arena_alloc(c->a, sizeof(GraphNode) * (size_t)(ib->gb.nnodes + 1));
        GraphBuf *bufs = arena_alloc(c->a, sizeof(GraphBuf) * (size_t)(ib->gb.nbufs + 1));
        int *gbufs = arena_alloc(c->a, sizeof(int) * (size_t)(ib->gb.next + 1));
        if (!ig || !nodes || !bufs || !gbufs) {
            comp_oom(c);
            goto done;
        }
        ig->nodes = nodes;
        memcpy(ig->nodes, ib->gb.nodes, sizeof(GraphNode) * (size_t)ib->gb.nnodes);
        ig->nnodes = ib->gb.nnodes;
        ig->bufs = bufs;
        memcpy(ig->bufs, ib->gb.bufs, sizeof(GraphBuf) * (size_t)ib->gb.nbufs);
        ig->nbufs = ib->gb.nbufs;
        ig->nstate = ib->gb.nstate;
        ig->lanes = VOICE_LANES;
        ig->out = ib->out;
        graph_fuse(ig);
        for (int j = 0; j < ib->gb.next; j++) gbufs[j] = buf_map[ib->gb.ext_global[j]];
        float *fresh = arena_alloc(c->a, sizeof(float) * (graph_state_floats(ig) + 1));
        if (!fresh) {
            comp_oom(c);
            goto done;
        }
        graph_init_state(ig, fresh, (float)c->env->sr);
        Instrument *in = &p->instruments[k];
        in->graph = ig;
        in->fresh_state = fresh;
        in->nglobals = ib->gb.next;
        in->global_buf = gbufs;
        in->owner = p;
        char tilde[128];            /* the sound's name, "~synth" (what a Tidal event names it by) */
        snprintf(tilde, sizeof tilde, "~%s", c->buses[ib->bus].name);
        in->name = sym_intern(tilde);
    }
    for (int i = 0; i < p->nsounds_cap; i++)
        if (p->sounds[i].kind == SOUND_INST) p->sounds[i].inst = &p->instruments[(intptr_t)p->sounds[i].inst - 1];

done:
    free(L.stack);
    free(L.producer);
    free(L.live);
    free(L.up);
    free(ext_map);
    free(player_map);
    free(ctrl_map);
    free(buf_map);
}

/* ------------------------------------------------------------------------------------------------
 * the whole program */

static void comp_stmts_copy(Comp *c)
{
    Program *p = c->prog;
    p->stmts = arena_alloc(c->a, sizeof(ProgStmt) * (size_t)(c->ast.nstmts + 1));
    if (!p->stmts) { comp_oom(c); return; }
    p->nstmts = c->ast.nstmts;
    for (int i = 0; i < p->nstmts; i++) {
        const Stmt *s = &c->ast.stmts[i];
        const char *nm = s->name ? s->name : "";
        if (s->kind == STMT_BUS) {
            size_t l = strlen(nm);
            char *t = arena_alloc(c->a, l + 2);
            if (!t) { comp_oom(c); return; }
            t[0] = '~';
            memcpy(t + 1, nm, l + 1);
            nm = t;
        }
        /* copied: the statements may live in the caller's arenas, which an edit frees */
        p->stmts[i].name = arena_strdup(c->a, nm);
        p->stmts[i].text = arena_strdup(c->a, s->text ? s->text : "");
        p->stmts[i].line = s->line;
        p->stmts[i].tempo = s->kind == STMT_TEMPO;
    }
}

static void comp_free(Comp *c)
{
    gb_free(&c->global);
    for (int i = 0; i < c->ninsts; i++) gb_free(&c->insts[i].gb);
    free(c->insts);
    free(c->buses);
    free(c->externs);
    free(c->players);
    free(c->ctrls);
    free(c->probes);
    free(c->tracks);
    free(c->feedbacks);
    free(c->sounds);
    free(c->ord_key);
    free(c->ord_count);
    free(c->notes);
    for (int i = 0; i < c->nheld; i++) arena_shared_unref(c->held[i]);
    free(c->held);
}

void compile_locate(const char *src, size_t len, CompileMsg *m)
{
    m->source[0] = 0;
    m->caret = -1;
    if (m->line < 1 || m->col < 1) return;
    size_t at = lang_text_start(src, len), next = at;
    for (int line = 1; line < m->line; line++) {
        if (at >= len) return;
        lang_line(src, len, at, &next);
        at = next;
    }
    size_t n = at < len ? lang_line(src, len, at, &next) : 0;
    const char *s = src + at;
    size_t byte = (size_t)m->col - 1 < n ? (size_t)m->col - 1 : n;
    int col = 1;                /* characters before byte, plus one */
    for (size_t i = 0; i < byte; i++) col += ((unsigned char)s[i] & 0xC0) != 0x80;
    /* a window of the line around the column, cut at character boundaries */
    const size_t room = COMPILE_SOURCE_MAX - 8, before = room / 2;
    size_t from = n <= room || byte <= before ? 0 : byte - before;
    /* (a character is at most 4 bytes: never step back further, whatever bytes the line holds) */
    for (int k = 0; k < 3 && from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80; k++) from--;
    size_t to = from + room < n ? from + room : n;
    for (int k = 0; k < 3 && to < n && to > byte && ((unsigned char)s[to] & 0xC0) == 0x80; k++) to--;
    snprintf(m->source, sizeof m->source, "%s%.*s%s", from ? "..." : "", (int)(to - from), s + from,
             to < n ? "..." : "");
    m->caret = (int)(byte - from) + (from ? 3 : 0);
    m->col = m->col - 1 <= (int)n ? col : col + (m->col - 1 - (int)n);
}

static Program *compile_run(Program *p, const char *src, size_t len, const Stmt *stmts, int nstmts,
                            const CompileEnv *env, CompileMsg *msgs, int maxmsgs, int *nmsgs);

Program *compile_program(const char *src, size_t len, const CompileEnv *env, CompileMsg *msgs, int maxmsgs, int *nmsgs)
{
    Program *p = calloc(1, sizeof *p);
    if (!p) {
        *nmsgs = 0;
        if (maxmsgs > 0) {
            memset(&msgs[0], 0, sizeof msgs[0]);
            msgs[0].line = msgs[0].col = 1;
            snprintf(msgs[0].msg, sizeof msgs[0].msg, "out of memory");
            compile_locate(src, len, &msgs[0]);
            *nmsgs = 1;
        }
        return NULL;
    }
    arena_init(&p->arena);
    return compile_run(p, src, len, NULL, 0, env, msgs, maxmsgs, nmsgs);
}

Program *compile_statements(const Stmt *stmts, int nstmts, const CompileEnv *env, CompileMsg *msgs, int maxmsgs,
                            int *nmsgs)
{
    Program *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    arena_init(&p->arena);
    return compile_run(p, NULL, 0, stmts, nstmts, env, msgs, maxmsgs, nmsgs);
}

/* src (parsed here) or stmts (parsed by the caller, left untouched). */
static Program *compile_run(Program *p, const char *src, size_t len, const Stmt *stmts, int nstmts,
                            const CompileEnv *env, CompileMsg *msgs, int maxmsgs, int *nmsgs)
{
    p->source = src ? arena_strndup(&p->arena, src, len) : arena_strdup(&p->arena, "");
    p->file = arena_strdup(&p->arena, env->file ? env->file : "-");

    Comp c;
    memset(&c, 0, sizeof c);
    c.env = env;
    c.prog = p;
    c.a = &p->arena;
    c.msgs = msgs;
    c.maxmsgs = maxmsgs;
    c.gb = &c.global;
    c.global_gate_buf = -1;
    c.global.freq_buf = c.global.gate_buf = -1;
    c.seed = 0x12345u;
    c.cur_stmt = -1;

    LangError lerr[32];
    int nl = 0;
    if (!p->source || !p->file)
        comp_oom(&c);
    else if (src)
        nl = lang_parse(p->source, len, c.a, &c.ast, lerr, 32);
    else if (!(c.ast.stmts = arena_alloc(c.a, sizeof(Stmt) * (size_t)(nstmts + 1))))
        comp_oom(&c);
    else {
        if (nstmts) memcpy(c.ast.stmts, stmts, sizeof(Stmt) * (size_t)nstmts);
        c.ast.nstmts = nstmts;
    }
    for (int i = 0; i < nl && i < 32; i++) comp_msg_text(&c, false, lerr[i].line, lerr[i].col, lerr[i].msg);
    if (nl == 0 && !c.oom) {
        comp_statements(&c);
        if (c.nerrors == 0) comp_sounds(&c);
        if (c.nerrors == 0) comp_link(&c);
        comp_stmts_copy(&c);
    }
    bool success = c.nerrors == 0;      /* (out of memory is an error too) */
    if (success) {                      /* the program holds the arenas its statements' patterns live in */
        p->held = c.held;
        p->nheld = c.nheld;
        c.held = NULL;
        c.nheld = 0;
    }
    if (env->cache) cache_sweep(env->cache, success, c.ncompiled, c.nreused);
    comp_free(&c);
    /* in the order of the text, as a reader goes through it (stable: one place's messages keep theirs);
       statements the caller parsed may come from several texts: it locates their messages itself */
    for (int i = 1; src && i < c.nmsgs; i++) {
        CompileMsg m = msgs[i];
        int j = i;
        for (; j > 0 && (msgs[j - 1].line > m.line || (msgs[j - 1].line == m.line && msgs[j - 1].col > m.col)); j--)
            msgs[j] = msgs[j - 1];
        msgs[j] = m;
    }
    for (int i = 0; src && i < c.nmsgs; i++) compile_locate(src, len, &msgs[i]);
    *nmsgs = c.nmsgs;
    if (c.nerrors) {
        program_free(p);
        return NULL;
    }
    return p;
}
