/* clones.h — the float rules every hot loop shares, and CLONES: a loop compiled for baseline x86-64,
 * x86-64-v3 (AVX2) and x86-64-v4 (AVX-512), the widest the machine has picked when the program loads. */
#ifndef PHONON_CLONES_H
#define PHONON_CLONES_H

/* No fused multiply-add contraction: a voice must give the same bits whichever clone runs it
 * (gnu11 defaults to fp-contract=fast). no-trapping-math changes no result; it lets gcc turn the
 * loops' ?: into blends. Include this first: the pragma covers the rest of the file. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off", "no-trapping-math")
#elif defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* Clones are resolved by ifunc at load time: gcc on Linux only, and not under TSan, whose runtime is
 * not ready when the resolvers run (PHONON_NO_CLONES turns them off by hand). */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__) && !defined(PHONON_NO_CLONES)
#define CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#define CLONES_WIDE_ON 1
#else
#define CLONES
#endif

/* CLONES_WIDE: a loop compiled for x86-64-v4 alone, for code that is fast only with AVX-512's permute of
 * two registers by a variable index (a __builtin_shuffle whose mask is data: one instruction there, a
 * spill and reload of every lane elsewhere). Such a loop is a twin of a portable one, doing the same
 * arithmetic in the same order, so the same bits; it runs only where clones_wide() says it may. */
#ifdef CLONES_WIDE_ON
#define CLONES_WIDE __attribute__((target("arch=x86-64-v4")))
static inline int clones_wide(void) { return __builtin_cpu_supports("x86-64-v4"); }
#else
static inline int clones_wide(void) { return 0; }
#endif

/* Sixteen-float vectors (GNU vector extensions; the compiler lowers them to whatever width the clone
 * has) and the one horizontal sum the lane mixers use. gcc spells a shuffle __builtin_shuffle with an
 * index vector, clang __builtin_shufflevector with constant indices; the macros hide the difference. */
typedef float clones_f16 __attribute__((vector_size(64)));
typedef int clones_i16 __attribute__((vector_size(64)));
#if defined(__clang__)
#define CLONES_SHUF2(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#define CLONES_SHUF1(a, ...) __builtin_shufflevector(a, a, __VA_ARGS__)
#else
#define CLONES_SHUF2(a, b, ...) __builtin_shuffle(a, b, (clones_i16){__VA_ARGS__})
#define CLONES_SHUF1(a, ...) __builtin_shuffle(a, (clones_i16){__VA_ARGS__})
#endif

/* *lp and *rp are 16 partial sums each; add them up into *L and *R. (Pointers, not vector arguments:
 * the inline function then has the same ABI whatever the clone.) The order of the additions is fixed,
 * so every clone gives the same bits. */
static inline __attribute__((always_inline)) void clones_hsum(const clones_f16 *lp, const clones_f16 *rp,
                                                              float *L, float *R)
{
    clones_f16 l = *lp, r = *rp;
    clones_f16 p = CLONES_SHUF2(l, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
                   CLONES_SHUF2(l, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    p += CLONES_SHUF1(p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    p += CLONES_SHUF1(p, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    p += CLONES_SHUF1(p, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    *L += p[0];
    *R += p[8];
}

#endif
