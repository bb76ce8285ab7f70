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
#else
#define CLONES
#endif

#endif
