/* pattern_bits.c — Tidal's patterns of booleans made from values: binaryN, binary, ascii (each
 * event's number or word as its bits, squeezed into the event) and the random brand, brandBy.
 * Kernels make the events from the values on the C stack; nothing allocates while querying. */
#include "pattern_library.h"

#include <string.h>

#define BITS_MAX 1024           /* binaryN's n, as the other step counts (chop, striate) */

/* One cycle of m steps (Tidal's fastFromList): cycle c of this node is step c mod m, made m times
 * faster by its user. */
typedef struct BitSteps {
    Pattern base;
    int64_t num;                /* binaryN: the number; bits n-1 .. 0 (bit 63 up: 0, as Data.Bits) */
    const char *word;           /* ascii: 8 bits per character, the top bit first */
    int m;
} BitSteps;

static bool bit_at(const BitSteps *s, int64_t k)
{
    if (s->word) return ((unsigned char)s->word[k / 8] >> (7 - k % 8)) & 1;
    int64_t i = s->m - 1 - k;
    return i < 64 && ((uint64_t)s->num >> i) & 1;
}

static void bit_steps_query(const Pattern *p, Arc arc, QCtx *q)
{
    const BitSteps *s = (const BitSteps *)p;
    CycIter it = cyc_iter_q(arc, q);
    Arc pc;
    while (cyc_next(&it, &pc)) q_pure(val_bool(bit_at(s, imod(rat_floor(pc.begin), s->m))), pc, q);
}

static void bits_inner(const void *ud, const Event *outer, Arc arc, QCtx *q)
{
    BitSteps s = { { bit_steps_query, PK_OTHER }, 0, NULL, 0 };
    if (ud) {                                   /* binaryN n */
        s.m = (int)*(const int64_t *)ud;
        s.num = plib_int(&outer->value);
    } else if (outer->value.type == VAL_SYM) {  /* ascii */
        s.word = sym_name(outer->value.sym);
        size_t n = strlen(s.word);
        s.m = n * 8 > BITS_MAX ? BITS_MAX : (int)(n * 8);
    }
    if (s.m > 0) q_fast(&s.base, rat_int(s.m), arc, q);
}

/* binaryN n p = squeezeJoin (_binary n <$> p), n patterned (an inner join) */
static void k_binary(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    int64_t n = plib_int(&v[0]);
    if (n <= 0) return;
    if (n > BITS_MAX) n = BITS_MAX;
    q_squeeze(t->in, arc, q, bits_inner, &n);
}

PLIB(binary_n) { return (in && PLIB_ARG(0)) ? plib_tn(a, k_binary, in, 1, &PLIB_ARG(0)) : NULL; }

PLIB(binary)
{
    (void)args;
    Pattern *eight = pattern_pure(a, val_num(8));
    return (in && eight) ? plib_tn(a, k_binary, in, 1, &eight) : NULL;
}

/* ascii p: each word's characters as 8 bits each, squeezed into its event */
static void ascii_query(const Pattern *p, Arc arc, QCtx *q)
{
    const RatNode *n = (const RatNode *)p;
    q_squeeze(n->in, arc, q, bits_inner, NULL);
}

PLIB(ascii)
{
    (void)args;
    RatNode *n = in ? pat_node(a, sizeof *n, ascii_query) : NULL;
    if (!n) return NULL;
    n->in = in;
    return &n->base;
}

/* brandBy x = (< x) <$> rand: true with probability x, continuously (x patterned, an inner join);
 * brand = brandBy 0.5 without the join, so it is queried whole as Tidal's is */
static void k_brand(const TNode *t, const Value *v, Arc arc, QCtx *q)
{
    if (rat_lt(arc.end, arc.begin)) return;
    double x = v ? val_to_num(&v[0]) : t->d0;
    ev_add(q, NULL, arc, val_bool(tidal_rand(arc_mid(arc)) < x));
}

PLIB(brand_by)
{
    (void)in;
    return PLIB_ARG(0) ? plib_tn(a, k_brand, NULL, 1, &PLIB_ARG(0)) : NULL;
}

PLIB(brand)
{
    (void)args;
    (void)in;
    TNode *t = tnode_new(a, k_brand, NULL, 0, NULL);
    if (t) t->d0 = 0.5;
    return t ? &t->base : NULL;
}
