/* test_pool.c — the worker pool: every chunk runs exactly once, thread indices in range, small jobs stay on
 * the caller, FTZ/DAZ in every thread, serial mode, the automatic fallback when workers do not help,
 * and creating and joining many pools. Also run under TSan by tests/tsan.sh. */
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "pool.h"
#include "test.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define HAVE_CSR 1
#endif

#define MAXC 4096

typedef struct Job {
    _Atomic int hits[MAXC];
    _Atomic int bad_thread, on_worker, no_ftz;
    int threads;
    double spin_ns;             /* work per chunk */
    double worker_penalty_ns;   /* extra time when a worker (not the caller) runs a chunk */
} Job;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void spin(double ns)
{
    if (ns <= 0) return;
    double t0 = now_ns();
    while (now_ns() - t0 < ns) {
    }
}

static void job_fn(void *ctx, int chunk, int thread)
{
    Job *j = ctx;
    atomic_fetch_add(&j->hits[chunk], 1);
    if (thread < 0 || thread >= j->threads) atomic_fetch_add(&j->bad_thread, 1);
    if (thread > 0) atomic_fetch_add(&j->on_worker, 1);
#ifdef HAVE_CSR
    if ((_mm_getcsr() & 0x8040) != 0x8040) atomic_fetch_add(&j->no_ftz, 1);
#endif
    spin(j->spin_ns + (thread > 0 ? j->worker_penalty_ns : 0));
}

static Job job;

static void job_reset(int threads)
{
    for (int i = 0; i < MAXC; i++) atomic_store(&job.hits[i], 0);
    atomic_store(&job.bad_thread, 0);
    atomic_store(&job.on_worker, 0);
    atomic_store(&job.no_ftz, 0);
    job.threads = threads;
    job.spin_ns = 0;
    job.worker_penalty_ns = 0;
}

static bool all_once(int n)
{
    for (int i = 0; i < n; i++)
        if (atomic_load(&job.hits[i]) != 1) return false;
    for (int i = n; i < MAXC; i++)
        if (atomic_load(&job.hits[i]) != 0) return false;
    return true;
}

static void test_exactly_once(int threads, int rounds)
{
    Pool *p = pool_new(threads);
    CHECK_INT(pool_threads(p), threads, "pool: as many threads as asked");
    pool_set_mode(p, 0);
    bool ok = true;
    int bad = 0, ftz = 0;
    uint32_t rng = 1;
    for (int r = 0; r < rounds; r++) {
        rng = rng * 1664525u + 1013904223u;
        int n = 1 + (int)((rng >> 8) % 300);
        job_reset(threads);
        pool_run(p, n, 0, job_fn, &job);
        if (!all_once(n)) ok = false;
        bad += atomic_load(&job.bad_thread);
        ftz += atomic_load(&job.no_ftz);
    }
    char name[80];
    snprintf(name, sizeof name, "pool %d threads: every chunk exactly once over %d jobs", threads, rounds);
    CHECK(ok, name);
    snprintf(name, sizeof name, "pool %d threads: thread indices in range", threads);
    CHECK_INT(bad, 0, name);
    snprintf(name, sizeof name, "pool %d threads: FTZ/DAZ set in every chunk", threads);
    CHECK_INT(ftz, 0, name);

    /* workers do take chunks when there is real work */
    if (threads > 1) {
        int worker = 0;
        for (int r = 0; r < 20 && !worker; r++) {
            job_reset(threads);
            job.spin_ns = 20000;
            pool_run(p, 64, 0, job_fn, &job);
            worker += atomic_load(&job.on_worker);
        }
        snprintf(name, sizeof name, "pool %d threads: workers take chunks", threads);
        CHECK(worker > 0, name);
    }
    PoolStats st;
    pool_stats(p, &st);
    CHECK(st.jobs >= rounds, "pool: jobs are counted");
    pool_free(p);
}

static void test_small_jobs_stay_on_caller(void)
{
    Pool *p = pool_new(4);
    job_reset(4);
    job.spin_ns = 100;
    int worker = 0;
    for (int r = 0; r < 200; r++) {
        pool_run(p, 16, 1000, job_fn, &job);    /* 1 us of work: not worth waking anyone */
        pool_run(p, 1, 0, job_fn, &job);        /* one chunk: the caller */
        worker += atomic_load(&job.on_worker);
    }
    CHECK_INT(worker, 0, "pool: small jobs and single chunks run on the caller alone");
    PoolStats st;
    pool_stats(p, &st);
    CHECK_INT(st.parallel_jobs, 0, "pool: ... and wake no worker");
#ifdef HAVE_CSR
    unsigned before = _mm_getcsr();
    pool_run(p, 4, 0, job_fn, &job);
    CHECK_INT(_mm_getcsr(), before, "pool: the caller's FTZ/DAZ is restored after a job");
#endif
    pool_set_mode(p, 1);
    job_reset(4);
    job.spin_ns = 20000;
    for (int r = 0; r < 10; r++) pool_run(p, 64, 0, job_fn, &job);
    CHECK_INT(atomic_load(&job.on_worker), 0, "pool: serial mode keeps everything on the caller");
    pool_stats(p, &st);
    CHECK(st.fallback, "pool: serial mode reports the fallback");
    pool_free(p);
}

static void test_fallback(void)
{
    /* workers that are much slower than the caller (a shared core, a busy host): the pool must notice
       that parallel runs do not pay and fall back to the caller alone */
    Pool *p = pool_new(2);
    job_reset(2);
    job.spin_ns = 1000;
    job.worker_penalty_ns = 200000;
    PoolStats st;
    for (int r = 0; r < 400; r++) pool_run(p, 32, 0, job_fn, &job);
    pool_stats(p, &st);
    CHECK(st.fallback, "pool fallback: slow workers make the pool run serially", "speedup %g", st.speedup);
    CHECK(st.speedup < 1.0, "pool fallback: the measured speedup is below 1", "%g", st.speedup);
    long par = st.parallel_jobs;
    for (int r = 0; r < 1000; r++) pool_run(p, 32, 0, job_fn, &job);
    pool_stats(p, &st);
    CHECK(st.parallel_jobs - par < 50, "pool fallback: only rare probes run in parallel afterwards",
          "%ld parallel jobs", st.parallel_jobs - par);
    CHECK(st.parallel_jobs - par >= 1, "pool fallback: ... but it does re-test");
    /* the workers become fast again: the pool returns to parallel runs after a probe */
    job.worker_penalty_ns = 0;
    job.spin_ns = 30000;
    for (int r = 0; r < 1200 && st.fallback; r++) {
        pool_run(p, 32, 0, job_fn, &job);
        pool_stats(p, &st);
    }
    printf("# after the workers recovered: fallback %d, speedup %.2f (depends on the host)\n", st.fallback, st.speedup);
    pool_free(p);
}

static void test_many_pools(void)
{
    for (int i = 0; i < 50; i++) {
        Pool *p = pool_new(1 + i % 4);
        job_reset(1 + i % 4);
        pool_set_mode(p, 0);
        pool_run(p, 10, 0, job_fn, &job);
        if (i % 2) {
            struct timespec ts = {0, 200000};  /* let the workers fall asleep on the futex */
            nanosleep(&ts, NULL);
            job_reset(1 + i % 4);
            pool_run(p, 10, 0, job_fn, &job);
        }
        pool_free(p);
    }
    CHECK(1, "pool: 50 pools created, used and joined");
    Pool *p = pool_new(0);
    CHECK(pool_threads(p) >= 1 && pool_threads(p) <= 8, "pool: default threads are the online cores, capped at 8");
    pool_free(p);
    pool_free(NULL);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int rounds = quick ? 300 : 3000;
    test_exactly_once(1, rounds);
    test_exactly_once(2, rounds);
    test_exactly_once(4, rounds);
    test_small_jobs_stay_on_caller();
    test_fallback();
    test_many_pools();
    return test_done();
}
