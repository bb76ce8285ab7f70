/* pool.h — worker threads released once per block: the audio thread publishes a job of numbered chunks,
 * works on it too, and returns when every chunk is done. Waiting spins briefly, then sleeps on a futex. */
#ifndef PHONON_POOL_H
#define PHONON_POOL_H

#include <stdbool.h>

typedef struct Pool Pool;

#define POOL_MAX_THREADS 16         /* threads beyond this are not created */

/* chunk: 0 .. nchunks-1, each run exactly once; thread: 0 (the caller) .. threads-1, for per-thread
 * scratch. The function must not allocate, lock or log. Which thread runs which chunk varies;
 * callers get identical results by writing each chunk's output to its own place. */
typedef void (*PoolFn)(void *ctx, int chunk, int thread);

/* threads: total, counting the caller (1 = no worker threads; <= 0 = online cores, capped at 8).
 * Control thread: creates the workers. */
Pool *pool_new(int threads);
void pool_free(Pool *p);            /* stops and joins the workers */
int pool_threads(const Pool *p);    /* as created */

/* Run a job (audio thread). A job of one chunk, or one too small to pay for waking workers
 * (cost_hint: the caller's estimate of the job's work in ns; 0 = unknown), runs on the caller alone.
 * When measurements show that parallel runs are not faster than the caller alone (a shared or busy
 * second core), the pool falls back to one thread and re-tests now and then. */
void pool_run(Pool *p, int nchunks, double cost_hint, PoolFn fn, void *ctx);

typedef struct PoolStats {
    long jobs, parallel_jobs;       /* jobs run, and how many of them woke workers */
    bool fallback;                  /* currently running on the caller alone by measurement */
    double speedup;                 /* last measured parallel speedup (1 if never measured) */
} PoolStats;
void pool_stats(const Pool *p, PoolStats *st);
/* Force parallel or serial (for benchmarks and tests): -1 automatic (default), 0 never fall back, 1 always serial. */
void pool_set_mode(Pool *p, int mode);

#endif
