/* rational.h — exact time: reduced int64 fractions (Rat) and half-open arcs (Arc).
 * Pure functions, no allocation; safe on the audio path. Overflow never traps: it rounds and is counted. */
#ifndef PHONON_RATIONAL_H
#define PHONON_RATIONAL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Rat {
    int64_t num;
    int64_t den;        /* always > 0; num/den always reduced */
} Rat;

typedef struct Arc {
    Rat begin, end;     /* [begin, end) in cycles */
} Arc;

#define RAT(n, d) rat_make((n), (d))

Rat rat_make(int64_t num, int64_t den);          /* den != 0; reduces; den 0 gives 0 */
static inline Rat rat_int(int64_t n) { Rat r = { n, 1 }; return r; }
Rat rat_add(Rat a, Rat b);
Rat rat_sub(Rat a, Rat b);
Rat rat_mul(Rat a, Rat b);
Rat rat_div(Rat a, Rat b);                       /* b == 0 gives 0 (and counts an overflow) */
Rat rat_neg(Rat a);
int rat_cmp(Rat a, Rat b);                       /* -1, 0, 1; exact */
static inline bool rat_eq(Rat a, Rat b) { return a.num == b.num && a.den == b.den; }
static inline bool rat_lt(Rat a, Rat b) { return rat_cmp(a, b) < 0; }
static inline bool rat_le(Rat a, Rat b) { return rat_cmp(a, b) <= 0; }
static inline bool rat_is_zero(Rat a) { return a.num == 0; }
Rat rat_min(Rat a, Rat b);
Rat rat_max(Rat a, Rat b);
int64_t rat_floor(Rat a);                        /* floor toward -inf */
int64_t rat_ceil(Rat a);
Rat rat_sam(Rat a);                              /* start of the cycle containing a: floor(a) */
Rat rat_next_sam(Rat a);                         /* floor(a) + 1 */
Rat rat_cycle_pos(Rat a);                        /* a - sam(a), in [0, 1) */
double rat_to_double(Rat a);
/* The closest fraction to x with a denominator <= max_den (continued fractions);
 * exact for every decimal that a double holds exactly and for simple ratios. */
Rat rat_from_double(double x, int64_t max_den);
/* The exact value of a double (every finite double is a dyadic fraction), as Haskell's toRational
 * gives it; rounded (and counted) only when the denominator would exceed 2^62 or the value int64. */
Rat rat_from_double_exact(double x);
/* Decimal text ("1.5", "-0.25", "3", "2e3") to the exact rational it spells. false if not a number. */
bool rat_parse(const char *s, int len, Rat *out);
/* "n/d" or "n" (reduced), as the conformance files write times. Returns chars written. */
int rat_format(Rat a, char *buf, int size);

/* a op b when the result fits a Rat exactly: false (and *out untouched) when it would be rounded,
 * or for a division by 0. For folding constants, where a rounded value must not pass as exact. */
bool rat_add_exact(Rat a, Rat b, Rat *out);
bool rat_sub_exact(Rat a, Rat b, Rat *out);
bool rat_mul_exact(Rat a, Rat b, Rat *out);
bool rat_div_exact(Rat a, Rat b, Rat *out);

/* How many results could not be represented exactly (denominators beyond int64) and were rounded. */
uint64_t rat_overflow_count(void);

static inline Arc arc_make(Rat b, Rat e) { Arc a = { b, e }; return a; }
bool arc_is_empty(Arc a);                        /* end <= begin */
/* Intersection; false when the arcs do not overlap. A zero-width arc overlaps an arc that contains
 * its point (Tidal's subArc rule: [s,s) meets [b,e) when b <= s < e, or s == e == b). */
bool arc_sect(Arc a, Arc b, Arc *out);
Arc arc_with_cycle(Arc a, Rat shift);           /* both ends + shift */
Rat arc_mid(Arc a);
bool arc_eq(Arc a, Arc b);

#endif
