/* rational.c — exact time arithmetic.
 * Products are formed in 128 bits and reduced; a result that still does not fit in int64 is
 * rounded to the nearest fraction that does, and counted, rather than wrapping silently. */
#include "rational.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

typedef __int128 i128;

static atomic_uint_fast64_t rat_overflows;

uint64_t rat_overflow_count(void) { return atomic_load_explicit(&rat_overflows, memory_order_relaxed); }

/* Binary GCD (Stein): shifts and subtractions, no division; exact for all magnitudes. */
static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    if (a == 0) return b;
    if (b == 0) return a;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

typedef unsigned __int128 u128;

static int ctz128(u128 x)
{
    uint64_t lo = (uint64_t)x;
    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(x >> 64));
}

static u128 gcd_u128(u128 a, u128 b)
{
    if (a == 0) return b;
    if (b == 0) return a;
    if (!(a >> 64) && !(b >> 64)) return gcd_u64((uint64_t)a, (uint64_t)b);
    int shift = ctz128(a | b);
    a >>= ctz128(a);
    do {
        b >>= ctz128(b);
        if (a > b) {
            u128 t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

static i128 gcd128(i128 a, i128 b)
{
    return (i128)gcd_u128(a < 0 ? (u128)0 - (u128)a : (u128)a, b < 0 ? (u128)0 - (u128)b : (u128)b);
}

static int64_t gcd64(int64_t a, int64_t b)
{
    uint64_t x = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t y = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    return (int64_t)gcd_u64(x, y);
}

/* Best approximation of n/d (d > 0) with both parts in int64, by continued fractions. */
static Rat rat_round128(i128 n, i128 d)
{
    atomic_fetch_add_explicit(&rat_overflows, 1, memory_order_relaxed);
    int neg = n < 0;
    if (neg) n = -n;
    i128 p0 = 0, q0 = 1, p1 = 1, q1 = 0;
    const i128 lim = INT64_MAX;
    while (d != 0) {
        i128 a = n / d;
        i128 p2 = a * p1 + p0, q2 = a * q1 + q0;
        if (p2 > lim || q2 > lim) break;
        p0 = p1; q0 = q1; p1 = p2; q1 = q2;
        i128 r = n - a * d;
        n = d;
        d = r;
    }
    if (q1 == 0) { p1 = lim; q1 = 1; }      /* the value itself exceeds int64 */
    Rat r = { (int64_t)(neg ? -p1 : p1), (int64_t)q1 };
    return r;
}

static Rat rat_from128(i128 n, i128 d)
{
    if (d == 0) {
        atomic_fetch_add_explicit(&rat_overflows, 1, memory_order_relaxed);
        return rat_int(0);
    }
    if (d < 0) { n = -n; d = -d; }
    if (n > INT64_MIN && n <= INT64_MAX && d <= INT64_MAX) {
        /* the common case: both fit 64 bits */
        int64_t n64 = (int64_t)n, d64 = (int64_t)d;
        int64_t g = gcd64(n64, d64);
        if (g > 1) { n64 /= g; d64 /= g; }
        Rat r = { n64, d64 };
        return r;
    }
    i128 g = gcd128(n, d);
    if (g > 1) { n /= g; d /= g; }
    if (n >= INT64_MIN && n <= INT64_MAX && d <= INT64_MAX) {
        Rat r = { (int64_t)n, (int64_t)d };
        return r;
    }
    return rat_round128(n, d);
}

Rat rat_make(int64_t num, int64_t den)
{
    if (den == 0) return rat_from128(num, 0);
    if (den < 0) {
        if (num == INT64_MIN || den == INT64_MIN) return rat_from128(-(i128)num, -(i128)den);
        num = -num;
        den = -den;
    }
    int64_t g = gcd64(num, den);
    if (g > 1) { num /= g; den /= g; }
    Rat r = { num, den };
    return r;
}

/* a + s*b with s = +1 or -1. An integer on either side needs no reduction; otherwise Knuth's
 * method: with g = gcd(da, db), only gcd(n, g) can remain to be divided out. */
static Rat rat_addsub(Rat a, Rat b, int s)
{
    if (b.num == 0) return a;
    if (a.num == 0) return s > 0 ? b : rat_neg(b);
    i128 bn = s > 0 ? (i128)b.num : -(i128)b.num;
    if (a.den == b.den) return rat_from128((i128)a.num + bn, a.den);
    if (b.den == 1) {
        i128 n = (i128)a.num + bn * a.den;
        if (n >= INT64_MIN && n <= INT64_MAX) { Rat r = { (int64_t)n, a.den }; return r; }
        return rat_from128(n, a.den);
    }
    if (a.den == 1) {
        i128 n = (i128)a.num * b.den + bn;
        if (n >= INT64_MIN && n <= INT64_MAX) { Rat r = { (int64_t)n, b.den }; return r; }
        return rat_from128(n, b.den);
    }
    int64_t g = gcd64(a.den, b.den);
    if (g == 1) return rat_from128((i128)a.num * b.den + bn * a.den, (i128)a.den * b.den);
    i128 n = (i128)a.num * (b.den / g) + bn * (a.den / g);
    i128 d = (i128)(a.den / g) * b.den;
    return rat_from128(n, d);
}

Rat rat_add(Rat a, Rat b) { return rat_addsub(a, b, 1); }
Rat rat_sub(Rat a, Rat b) { return rat_addsub(a, b, -1); }

Rat rat_mul(Rat a, Rat b)
{
    if (b.den == 1 && b.num == 1) return a;
    if (a.den == 1 && a.num == 1) return b;
    if (a.num == 0 || b.num == 0) return rat_int(0);
    /* cancel across before multiplying: the product is then already reduced */
    int64_t g1 = gcd64(a.num, b.den), g2 = gcd64(b.num, a.den);
    int64_t an = a.num / g1, bd = b.den / g1, bn = b.num / g2, ad = a.den / g2;
    int64_t n, d;
    if (!__builtin_mul_overflow(an, bn, &n) && !__builtin_mul_overflow(ad, bd, &d)) {
        Rat r = { n, d };
        return r;
    }
    return rat_from128((i128)an * bn, (i128)ad * bd);
}

Rat rat_div(Rat a, Rat b)
{
    if (b.num == 0) return rat_from128(a.num, 0);
    Rat inv = b.num < 0 ? (Rat){ -b.den, -b.num } : (Rat){ b.den, b.num };
    if (b.num == INT64_MIN) return rat_from128((i128)a.num * b.den, (i128)a.den * b.num);
    return rat_mul(a, inv);
}

Rat rat_neg(Rat a) { return rat_from128(-(i128)a.num, a.den); }

/* n/d (d != 0) reduced, when it fits int64 */
static bool rat_fit128(i128 n, i128 d, Rat *out)
{
    if (d < 0) { n = -n; d = -d; }
    i128 g = gcd128(n, d);
    if (g > 1) { n /= g; d /= g; }
    if (n < INT64_MIN || n > INT64_MAX || d > INT64_MAX) return false;
    out->num = (int64_t)n;
    out->den = (int64_t)d;
    return true;
}

/* each product of two int64 parts is below 2^126, so every sum below stays within 128 bits */
bool rat_add_exact(Rat a, Rat b, Rat *out) { return rat_fit128((i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den, out); }
bool rat_sub_exact(Rat a, Rat b, Rat *out) { return rat_fit128((i128)a.num * b.den - (i128)b.num * a.den, (i128)a.den * b.den, out); }
bool rat_mul_exact(Rat a, Rat b, Rat *out) { return rat_fit128((i128)a.num * b.num, (i128)a.den * b.den, out); }
bool rat_div_exact(Rat a, Rat b, Rat *out) { return b.num != 0 && rat_fit128((i128)a.num * b.den, (i128)a.den * b.num, out); }

int rat_cmp(Rat a, Rat b)
{
    if (a.den == b.den) return (a.num > b.num) - (a.num < b.num);
    /* different signs decide at once */
    if ((a.num < 0) != (b.num < 0)) return a.num < 0 ? -1 : 1;
    if (a.den == 1 && b.den == 1) return (a.num > b.num) - (a.num < b.num);
    i128 l = (i128)a.num * b.den, r = (i128)b.num * a.den;
    return (l > r) - (l < r);
}

Rat rat_min(Rat a, Rat b) { return rat_cmp(a, b) <= 0 ? a : b; }
Rat rat_max(Rat a, Rat b) { return rat_cmp(a, b) >= 0 ? a : b; }

int64_t rat_floor(Rat a)
{
    int64_t q = a.num / a.den, r = a.num % a.den;
    return (r != 0 && a.num < 0) ? q - 1 : q;
}

int64_t rat_ceil(Rat a)
{
    int64_t q = a.num / a.den, r = a.num % a.den;
    return (r != 0 && a.num > 0) ? q + 1 : q;
}

Rat rat_sam(Rat a) { return rat_int(rat_floor(a)); }
Rat rat_next_sam(Rat a) { return rat_int(rat_floor(a) + 1); }
Rat rat_cycle_pos(Rat a) { return rat_sub(a, rat_sam(a)); }

double rat_to_double(Rat a)
{
    /* the nearest double (as Haskell's fromRational gives it): one IEEE division is correctly
     * rounded when both parts are exact doubles; beyond 2^53 the 64-bit long double quotient is
     * rounded once more, which can miss only exact halfway cases */
    const int64_t lim = (int64_t)1 << 53;
    if (a.num > -lim && a.num < lim && a.den < lim) return (double)a.num / (double)a.den;
    return (double)((long double)a.num / (long double)a.den);
}

Rat rat_from_double(double x, int64_t max_den)
{
    if (!isfinite(x)) return rat_int(0);
    if (max_den < 1) max_den = 1;
    if (fabs(x) > 9e18) return rat_int(x < 0 ? -INT64_MAX : INT64_MAX);
    int neg = x < 0;
    double v = neg ? -x : x;
    int64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
    double rem = v;
    for (int i = 0; i < 64; i++) {
        double a = floor(rem);
        if (a > 9e18) break;
        int64_t ai = (int64_t)a;
        if (q1 != 0 && ai != 0 && (q1 > (max_den - q0) / ai)) {
            /* semiconvergent: the largest k with q0 + k q1 <= max_den, if it is closer */
            int64_t k = (max_den - q0) / q1;
            if (k > 0) {
                int64_t pk = p0 + k * p1, qk = q0 + k * q1;
                if (fabs((double)pk / qk - v) < fabs((double)p1 / q1 - v)) { p1 = pk; q1 = qk; }
            }
            break;
        }
        int64_t p2 = ai * p1 + p0, q2 = ai * q1 + q0;
        p0 = p1; q0 = q1; p1 = p2; q1 = q2;
        double frac = rem - a;
        if (frac < 1e-300 || (double)p1 / q1 == v) break;
        rem = 1.0 / frac;
    }
    if (q1 == 0) { p1 = 0; q1 = 1; }
    return rat_make(neg ? -p1 : p1, q1);
}

Rat rat_from_double_exact(double x)
{
    if (!isfinite(x) || x == 0) return rat_int(0);
    int e;
    double m = frexp(x, &e);                    /* x = m 2^e, 0.5 <= |m| < 1 */
    int64_t mi = (int64_t)ldexp(m, 53);         /* exact: 53 significant bits */
    e -= 53;
    while (e < 0 && (mi & 1) == 0) { mi /= 2; e++; }
    if (e >= 0) {
        if (e > 9 || (mi >= 0 ? mi : -mi) > (INT64_MAX >> e)) return rat_from_double(x, 1);
        return rat_int(mi * ((int64_t)1 << e));
    }
    if (e < -62) return rat_from_double(x, (int64_t)1 << 62);
    Rat r = { mi, (int64_t)1 << -e };
    return r;
}

bool rat_parse(const char *s, int len, Rat *out)
{
    int i = 0, neg = 0, digits = 0;
    i128 num = 0, den = 1;
    if (len < 0) { len = 0; while (s[len]) len++; }
    if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    /* a digit that 128 bits cannot take makes the literal inexact: false, and the caller rounds (a
       digit dropped silently would change the value; one multiplied in anyway would overflow) */
    const i128 big = (i128)1 << 100;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (num >= big) return false;
        num = num * 10 + (s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            if (num >= big || den >= big) return false;
            num = num * 10 + (s[i] - '0');
            den *= 10;
        }
    }
    if (!digits) return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0, e = 0, ed = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ed++) e = e < 1000 ? e * 10 + (s[i] - '0') : e;
        if (!ed || e > 30) return false;
        while (e-- > 0) {                       /* too many digits for 128 bits: not exact, the caller rounds */
            if ((eneg ? den : num) > ((i128)1 << 120) / 10) return false;
            if (eneg) den *= 10;
            else num *= 10;
        }
    }
    if (i != len) return false;
    *out = rat_from128(neg ? -num : num, den);
    return true;
}

int rat_format(Rat a, char *buf, int size)
{
    if (a.den == 1) return snprintf(buf, (size_t)size, "%lld", (long long)a.num);
    return snprintf(buf, (size_t)size, "%lld/%lld", (long long)a.num, (long long)a.den);
}

bool arc_is_empty(Arc a) { return rat_cmp(a.end, a.begin) <= 0; }

bool arc_sect(Arc a, Arc b, Arc *out)
{
    Rat s = rat_max(a.begin, b.begin), e = rat_min(a.end, b.end);
    int c = rat_cmp(s, e);
    if (c > 0) return false;
    if (c == 0) {
        /* a zero-width result at the end of a non-empty arc does not count (Tidal's subArc) */
        if (rat_eq(s, a.end) && rat_lt(a.begin, a.end)) return false;
        if (rat_eq(s, b.end) && rat_lt(b.begin, b.end)) return false;
    }
    out->begin = s;
    out->end = e;
    return true;
}

Arc arc_with_cycle(Arc a, Rat shift)
{
    Arc r = { rat_add(a.begin, shift), rat_add(a.end, shift) };
    return r;
}

Rat arc_mid(Arc a) { return rat_div(rat_add(a.begin, a.end), rat_int(2)); }

bool arc_eq(Arc a, Arc b) { return rat_eq(a.begin, b.begin) && rat_eq(a.end, b.end); }
