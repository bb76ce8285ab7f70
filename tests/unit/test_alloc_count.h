/* test_alloc_count.h — the audio-path rule, counted: while `counting` is set, every malloc, calloc,
 * realloc, posix_memalign and aligned_alloc in the whole process (workers included) adds to `allocs`
 * and every free of a non-NULL pointer to `frees`.  Include it in one file of a test executable: it
 * defines those functions.  Under a sanitizer, which owns malloc, nothing is wrapped: ALLOC_COUNTING is
 * 0 and the counts stay 0, so a test says it skipped rather than passing on a count never taken. */
#ifndef PHONON_TEST_ALLOC_COUNT_H
#define PHONON_TEST_ALLOC_COUNT_H

#include <stdatomic.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ALLOC_COUNTING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOC_COUNTING 0
#endif
#endif
#ifndef ALLOC_COUNTING
#define ALLOC_COUNTING 1
#endif

static atomic_int counting;
static atomic_long allocs, frees;

/* Start counting from zero / stop; the allocations and frees since alloc_count_begin. */
static inline void alloc_count_begin(void)
{
    atomic_store(&allocs, 0);
    atomic_store(&frees, 0);
    atomic_store(&counting, 1);
}
static inline long alloc_count_end(void)
{
    atomic_store(&counting, 0);
    return atomic_load(&allocs) + atomic_load(&frees);
}

#if ALLOC_COUNTING
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static inline void alloc_count_one(atomic_long *n)
{
    if (atomic_load_explicit(&counting, memory_order_relaxed)) atomic_fetch_add_explicit(n, 1, memory_order_relaxed);
}
void *malloc(size_t n)
{
    alloc_count_one(&allocs);
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t s)
{
    alloc_count_one(&allocs);
    return __libc_calloc(n, s);
}
void *realloc(void *p, size_t n)
{
    alloc_count_one(&allocs);
    return __libc_realloc(p, n);
}
int posix_memalign(void **p, size_t a, size_t n)
{
    alloc_count_one(&allocs);
    *p = __libc_memalign(a, n);
    return *p ? 0 : 12;     /* ENOMEM */
}
void *aligned_alloc(size_t a, size_t n)
{
    alloc_count_one(&allocs);
    return __libc_memalign(a, n);
}
void free(void *p)
{
    if (p) alloc_count_one(&frees);
    __libc_free(p);
}
#endif

#endif
