/* bits.h — a double kept in an _Atomic uint64_t (C11 has no portable atomic double that is lock-free
 * everywhere): the value crosses threads as its bit pattern, unchanged. */
#ifndef PHONON_BITS_H
#define PHONON_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint64_t bits_from_double(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double bits_to_double(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#endif
