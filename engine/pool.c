/* pool.c — worker threads released once per block. A job is a count of chunks; the caller and the
 * workers claim chunks with one compare-and-swap on a ticket word and the caller waits until all are done.
 *
 * The ticket packs (generation, chunk count, next chunk) into 64 bits, so a worker can only claim a
 * chunk of the job it read: once a claim succeeds, that job cannot finish before the chunk does, so the
 * job's function and context are stable while the worker uses them. Waiting is a short spin, then a
 * futex (a condition variable off Linux). The pool measures whether parallel runs pay and falls back
 * to the caller alone when they do not (these VMs' second vCPU is sometimes a shared core). */
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#define POOL_FUTEX 1
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define POOL_X86 1
#endif

#define POOL_SPIN_NS 40000          /* workers spin this long after a job before sleeping */
#define POOL_CALLER_SPIN_NS 200000  /* the caller spins this long for stragglers before sleeping */
#define POOL_MIN_PARALLEL_NS 20000  /* jobs estimated below this run on the caller alone */
#define POOL_PROBE_EVERY 256        /* jobs between measurements of the other mode */
#define POOL_MIN_SPEEDUP 1.1        /* parallel must beat serial by this factor to be used ... */
#define POOL_RESUME_SPEEDUP 1.25    /* ... and by this much to be taken up again after a fallback */

/* ticket: generation 24 bits | chunk count 20 bits | next chunk 20 bits */
#define POOL_CHUNK_BITS 20
#define POOL_MAX_CHUNKS ((1 << POOL_CHUNK_BITS) - 1)
#define TK_NEXT(t) ((uint32_t)((t) & POOL_MAX_CHUNKS))
#define TK_COUNT(t) ((uint32_t)(((t) >> POOL_CHUNK_BITS) & POOL_MAX_CHUNKS))
#define TK_MAKE(gen, count) (((uint64_t)(gen) << (2 * POOL_CHUNK_BITS)) | ((uint64_t)(count) << POOL_CHUNK_BITS))

struct Pool {
    int threads;
    pthread_t tid[POOL_MAX_THREADS];
    int started;                        /* workers actually running */

    _Atomic uint64_t ticket;
    _Atomic int32_t pending;            /* chunks of the current job not finished; futex word of the caller */
    _Atomic uint32_t wake_seq;          /* bumped per parallel job; futex word of the workers */
    _Atomic int sleepers;               /* workers asleep (or about to be) on wake_seq */
    _Atomic int caller_sleeping;
    _Atomic int quit;
    PoolFn fn;                          /* the current job: written before the ticket is published */
    void *ctx;
    uint32_t gen;

#ifndef POOL_FUTEX
    pthread_mutex_t mu;                 /* fallback sleeping only; never taken by a worker that has work */
    pthread_cond_t cv_work, cv_done;
#endif

    /* measurement (audio thread only) */
    int mode;
    bool fallback;
    double serial_rate, parallel_rate;  /* ns per unit of cost, smoothed; 0 = not measured */
    double speedup;
    long jobs, parallel_jobs, eligible;
    long next_probe;
    long probe_gap;
};

typedef struct PoolWorker {
    Pool *p;
    int index;
} PoolWorker;

/* ---- time, pausing, sleeping ------------------------------------------------------------- */

static double pool_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline void pool_pause(void)
{
#if defined(POOL_X86)
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Flush denormals to zero: recursive filters decaying to silence would otherwise crawl. Every thread
 * that renders does this, so results do not depend on which thread ran a chunk. */
static unsigned pool_ftz_on(void)
{
#if defined(POOL_X86)
    unsigned old = _mm_getcsr();
    _mm_setcsr(old | 0x8040);           /* FTZ | DAZ */
    return old;
#else
    return 0;
#endif
}

static void pool_ftz_restore(unsigned old)
{
#if defined(POOL_X86)
    _mm_setcsr(old);
#else
    (void)old;
#endif
}

#ifdef POOL_FUTEX
static void pool_futex_wait(void *addr, int32_t expect)
{
    syscall(SYS_futex, (void *)addr, FUTEX_WAIT_PRIVATE, expect, NULL, NULL, 0);
}
static void pool_futex_wake(void *addr, int count)
{
    syscall(SYS_futex, (void *)addr, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}
#endif

/* ---- claiming and running chunks ------------------------------------------------------------ */

/* Claim one chunk of whatever job is published; -1 when none is left. */
static int pool_claim(Pool *p)
{
    uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
    for (;;) {
        if (TK_NEXT(t) >= TK_COUNT(t)) return -1;
        if (atomic_compare_exchange_weak_explicit(&p->ticket, &t, t + 1, memory_order_acq_rel,
                                                  memory_order_acquire))
            return (int)TK_NEXT(t);
    }
}

static void pool_finish_chunk(Pool *p)
{
    if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) != 1) return;
    if (atomic_load_explicit(&p->caller_sleeping, memory_order_seq_cst)) {
#ifdef POOL_FUTEX
        pool_futex_wake((void *)&p->pending, 1);
#else
        pthread_mutex_lock(&p->mu);
        pthread_cond_signal(&p->cv_done);
        pthread_mutex_unlock(&p->mu);
#endif
    }
}

static void pool_work(Pool *p, int thread)
{
    int c;
    while ((c = pool_claim(p)) >= 0) {
        /* the job cannot end before this chunk does, so fn and ctx are those of the claimed job */
        p->fn(p->ctx, c, thread);
        pool_finish_chunk(p);
    }
}

/* ---- workers ------------------------------------------------------------------------------ */

static void pool_worker_sleep(Pool *p, uint32_t seen)
{
    atomic_fetch_add_explicit(&p->sleepers, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&p->wake_seq, memory_order_seq_cst) == seen &&
        !atomic_load_explicit(&p->quit, memory_order_seq_cst)) {
#ifdef POOL_FUTEX
        pool_futex_wait((void *)&p->wake_seq, (int32_t)seen);
#else
        pthread_mutex_lock(&p->mu);
        while (atomic_load(&p->wake_seq) == seen && !atomic_load(&p->quit))
            pthread_cond_wait(&p->cv_work, &p->mu);
        pthread_mutex_unlock(&p->mu);
#endif
    }
    atomic_fetch_sub_explicit(&p->sleepers, 1, memory_order_seq_cst);
}

static void *pool_worker_main(void *arg)
{
    PoolWorker *w = arg;
    Pool *p = w->p;
    int thread = w->index;
    pool_ftz_on();
    uint32_t seen = atomic_load_explicit(&p->wake_seq, memory_order_acquire);
    for (;;) {
        double spin_start = 0;
        int iter = 0;
        while (atomic_load_explicit(&p->wake_seq, memory_order_acquire) == seen) {
            if (atomic_load_explicit(&p->quit, memory_order_acquire)) return NULL;
            pool_pause();
            if ((++iter & 63) != 0) continue;
            double now = pool_now_ns();
            if (spin_start == 0) spin_start = now;
            else if (now - spin_start > POOL_SPIN_NS) {
                pool_worker_sleep(p, seen);
                spin_start = 0;
            }
        }
        seen = atomic_load_explicit(&p->wake_seq, memory_order_acquire);
        pool_work(p, thread);
    }
}

/* ---- public ----------------------------------------------------------------------------- */

static int pool_online_cores(void)
{
#if defined(_SC_NPROCESSORS_ONLN)
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
#else
    return 1;
#endif
}

/* The workers' arguments live next to the pool, in one allocation. */
typedef struct PoolMem {
    Pool pool;
    PoolWorker args[POOL_MAX_THREADS];
} PoolMem;

Pool *pool_new(int threads)
{
    if (threads <= 0) {
        threads = pool_online_cores();
        if (threads > 8) threads = 8;
    }
    if (threads > POOL_MAX_THREADS) threads = POOL_MAX_THREADS;
    if (threads < 1) threads = 1;
    PoolMem *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    Pool *p = &m->pool;
    p->threads = threads;
    p->mode = -1;
    p->speedup = 1;
    p->probe_gap = 8;
    p->next_probe = 8;
    atomic_init(&p->ticket, 0);
    atomic_init(&p->pending, 0);
    atomic_init(&p->wake_seq, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->caller_sleeping, 0);
    atomic_init(&p->quit, 0);
#ifndef POOL_FUTEX
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_work, NULL);
    pthread_cond_init(&p->cv_done, NULL);
#endif
    for (int i = 1; i < threads; i++) {
        m->args[i].p = p;
        m->args[i].index = i;
        if (pthread_create(&p->tid[i], NULL, pool_worker_main, &m->args[i]) != 0) break;
        p->started = i;
    }
    p->threads = p->started + 1;        /* fewer workers if the system refused some */
    return p;
}

void pool_free(Pool *p)
{
    if (!p) return;
    atomic_store_explicit(&p->quit, 1, memory_order_seq_cst);
    atomic_fetch_add_explicit(&p->wake_seq, 1, memory_order_seq_cst);
#ifdef POOL_FUTEX
    pool_futex_wake((void *)&p->wake_seq, POOL_MAX_THREADS);
#else
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
#endif
    for (int i = 1; i <= p->started; i++) pthread_join(p->tid[i], NULL);
#ifndef POOL_FUTEX
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv_work);
    pthread_cond_destroy(&p->cv_done);
#endif
    free(p);                            /* p is the first member of its PoolMem */
}

int pool_threads(const Pool *p) { return p ? p->threads : 1; }

static void pool_run_serial(int nchunks, PoolFn fn, void *ctx)
{
    for (int c = 0; c < nchunks; c++) fn(ctx, c, 0);
}

static void pool_wait_done(Pool *p)
{
    double start = 0;
    int iter = 0;
    for (;;) {
        int32_t left = atomic_load_explicit(&p->pending, memory_order_acquire);
        if (left == 0) return;
        pool_pause();
        if ((++iter & 63) != 0) continue;
        double now = pool_now_ns();
        if (start == 0) { start = now; continue; }
        if (now - start < POOL_CALLER_SPIN_NS) continue;
        /* a worker holding a chunk was descheduled: sleep until it finishes */
        atomic_store_explicit(&p->caller_sleeping, 1, memory_order_seq_cst);
        left = atomic_load_explicit(&p->pending, memory_order_seq_cst);
        if (left != 0) {
#ifdef POOL_FUTEX
            pool_futex_wait((void *)&p->pending, left);
#else
            pthread_mutex_lock(&p->mu);
            while (atomic_load(&p->pending) != 0) pthread_cond_wait(&p->cv_done, &p->mu);
            pthread_mutex_unlock(&p->mu);
#endif
        }
        atomic_store_explicit(&p->caller_sleeping, 0, memory_order_seq_cst);
    }
}

static void pool_run_parallel(Pool *p, int nchunks, PoolFn fn, void *ctx)
{
    p->fn = fn;
    p->ctx = ctx;
    p->gen = (p->gen + 1) & 0xffffff;
    atomic_store_explicit(&p->pending, nchunks, memory_order_relaxed);
    atomic_store_explicit(&p->ticket, TK_MAKE(p->gen, nchunks), memory_order_release);
    atomic_fetch_add_explicit(&p->wake_seq, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&p->sleepers, memory_order_seq_cst) > 0) {
#ifdef POOL_FUTEX
        pool_futex_wake((void *)&p->wake_seq, p->threads - 1);
#else
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv_work);
        pthread_mutex_unlock(&p->mu);
#endif
    }
    pool_work(p, 0);
    pool_wait_done(p);
}

static void pool_measure(double *rate, double sample, double weight)
{
    /* a job that was preempted (the host took the vCPU for a few ms) says nothing about the mode:
       one such outlier must not tip the comparison, so a sample counts as at most twice the average */
    if (*rate > 0 && sample > 2 * *rate) sample = 2 * *rate;
    *rate = *rate == 0 ? sample : *rate + weight * (sample - *rate);
}

/* Decide, run and (in automatic mode) learn whether parallel runs pay. */
void pool_run(Pool *p, int nchunks, double cost_hint, PoolFn fn, void *ctx)
{
    if (nchunks <= 0) return;
    unsigned csr = pool_ftz_on();
    p->jobs++;
    bool eligible = p->threads > 1 && nchunks > 1 && nchunks <= POOL_MAX_CHUNKS && p->mode != 1 &&
                    (cost_hint <= 0 || cost_hint >= POOL_MIN_PARALLEL_NS);
    if (!eligible) {
        pool_run_serial(nchunks, fn, ctx);
        pool_ftz_restore(csr);
        return;
    }
    if (p->mode == 0) {
        p->parallel_jobs++;
        pool_run_parallel(p, nchunks, fn, ctx);
        pool_ftz_restore(csr);
        return;
    }
    /* automatic: run in the current mode, except now and then in the other one to compare */
    p->eligible++;
    bool probe = p->eligible >= p->next_probe;
    if (probe) {
        p->next_probe = p->eligible + p->probe_gap;
        if (p->probe_gap < POOL_PROBE_EVERY) p->probe_gap *= 2;
    }
    bool parallel = p->fallback ? probe : !probe;
    double units = cost_hint > 0 ? cost_hint : (double)nchunks;
    double t0 = pool_now_ns();
    if (parallel) {
        p->parallel_jobs++;
        pool_run_parallel(p, nchunks, fn, ctx);
    } else {
        pool_run_serial(nchunks, fn, ctx);
    }
    double rate = (pool_now_ns() - t0) / units;
    pool_measure(parallel ? &p->parallel_rate : &p->serial_rate, rate, probe ? 0.5 : 0.0625);
    if (p->serial_rate > 0 && p->parallel_rate > 0) {
        p->speedup = p->serial_rate / p->parallel_rate;
        /* the mode changes after a comparison run; one slow serial block must not bring the workers
           back, but parallel runs that are clearly losing stop at once */
        if (probe) p->fallback = p->speedup < (p->fallback ? POOL_RESUME_SPEEDUP : POOL_MIN_SPEEDUP);
        else if (!p->fallback && p->speedup < 1.0) p->fallback = true;
    }
    pool_ftz_restore(csr);
}

void pool_stats(const Pool *p, PoolStats *st)
{
    memset(st, 0, sizeof *st);
    if (!p) {
        st->speedup = 1;
        return;
    }
    st->jobs = p->jobs;
    st->parallel_jobs = p->parallel_jobs;
    st->fallback = p->mode == 1 || (p->mode == -1 && p->fallback);
    st->speedup = p->speedup;
}

void pool_set_mode(Pool *p, int mode)
{
    if (!p) return;
    p->mode = mode < 0 ? -1 : mode > 1 ? 1 : mode;
}
