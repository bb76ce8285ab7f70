/* test_oom.c — running out of memory anywhere is an error or a counted drop, never a crash or a leak, and
 * the program that was playing keeps playing. malloc, calloc, realloc, aligned_alloc, posix_memalign,
 * strdup and strndup are wrapped for the whole process (engine, libsndfile, threads); a countdown makes
 * the Nth of them fail, for every N, during phonon_new, phonon_eval, phonon_add_samples and decoding.
 * Under AddressSanitizer the wrappers sit in front of its allocator, and LeakSanitizer is asked after
 * every phase whether anything leaked. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <execinfo.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "phonon.h"
#include "test.h"

#if defined(__SANITIZE_THREAD__)
int main(void)
{
    printf("# allocation failure injection is off under ThreadSanitizer\n");
    return test_done();
}
#else

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define OOM_LEAKS() __lsan_do_recoverable_leak_check()
#else
#define OOM_LEAKS() 0
#endif

/* ---- the wrappers ------------------------------------------------------------------------------- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void (*real_free)(void *);

static atomic_long countdown;       /* > 0: the allocation that brings it to 0 fails */
static atomic_long injected;        /* failures handed out */
static atomic_int resolving;
static atomic_int others_only;      /* fail only allocations of other threads than main_thread (the loader) */
static pthread_t main_thread;

/* dlsym may allocate before the real functions are known: a few bytes from here, never freed. */
static _Alignas(16) unsigned char boot[16384];
static atomic_size_t boot_used;

static void *boot_alloc(size_t n)
{
    size_t at = atomic_fetch_add(&boot_used, (n + 15) & ~(size_t)15);
    return at + n <= sizeof boot ? memset(boot + at, 0, n) : NULL;
}

static int is_boot(const void *p) { return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + sizeof boot; }

static void oom_resolve(void)
{
    if (real_free || atomic_exchange(&resolving, 1)) return;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
}

/* Only the engine's own allocations fail (it is linked into this executable): libsndfile 1.2 and glibc
 * have allocation sites of their own that crash when they fail, which no caller can repair. OOM_ALL=1
 * fails theirs too, to look. */
extern char __executable_start, etext;
static int oom_all = -1;

static int oom_ours(const void *caller)
{
    if (oom_all < 0) oom_all = getenv("OOM_ALL") != NULL;
    return oom_all || ((const char *)caller >= &__executable_start && (const char *)caller < &etext);
}

#define oom_fail() oom_fail_from(__builtin_return_address(0))

static int oom_fail_from(const void *caller)
{
    if (atomic_load_explicit(&countdown, memory_order_relaxed) <= 0) return 0;
    if (!oom_ours(caller)) return 0;
    if (atomic_load_explicit(&others_only, memory_order_relaxed) && pthread_equal(pthread_self(), main_thread)) return 0;
    if (atomic_fetch_sub(&countdown, 1) != 1) return 0;
    atomic_fetch_add(&injected, 1);
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    oom_resolve();
    if (!real_malloc) return boot_alloc(n);
    return oom_fail() ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t s)
{
    oom_resolve();
    if (!real_calloc) return s && n > SIZE_MAX / s ? NULL : boot_alloc(n * s);
    return oom_fail() ? NULL : real_calloc(n, s);
}

void *realloc(void *p, size_t n)
{
    oom_resolve();
    if (!real_realloc || is_boot(p)) {
        void *q = real_malloc ? real_malloc(n) : boot_alloc(n);
        if (q && p) memcpy(q, p, n);      /* boot blocks are only ever tiny and never grown in practice */
        return q;
    }
    return oom_fail() ? NULL : real_realloc(p, n);
}

void *aligned_alloc(size_t a, size_t n)
{
    oom_resolve();
    return oom_fail() ? NULL : real_aligned_alloc(a, n);
}

int posix_memalign(void **p, size_t a, size_t n)
{
    oom_resolve();
    if (oom_fail()) return ENOMEM;
    return real_posix_memalign(p, a, n);
}

void free(void *p)
{
    if (!p || is_boot(p)) return;
    oom_resolve();
    real_free(p);
}

static void *oom_plain_malloc(size_t n)
{
    oom_resolve();
    return real_malloc ? real_malloc(n) : boot_alloc(n);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = oom_fail() ? NULL : oom_plain_malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = oom_fail() ? NULL : oom_plain_malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = 0;
    }
    return d;
}

static void oom_arm(long n)
{
    atomic_store(&injected, 0);
    atomic_store(&countdown, n);
}

/* Disarm; whether a failure was handed out. */
static int oom_disarm(void)
{
    atomic_store(&countdown, 0);
    return atomic_load(&injected) > 0;
}

/* ---- one trial per child process, so that a crash is a counted failure and not the end of the suite ---- */

static int crashes;
static char crash_list[512];

static void oom_on_signal(int sig)
{
    void *pc[32];
    int n = backtrace(pc, 32);
    dprintf(2, "# signal %d; backtrace:\n", sig);
    backtrace_symbols_fd(pc, n, 2);
    _exit(128 + sig);
}

/* Run fn(n, shared) in a child; returns its exit status (128 + signal when it crashed). */
static int oom_trial(const char *what, long n, void (*fn)(long n, void *shared), void *shared)
{
    const char *only = getenv("OOM_ONLY");
    const char *phase = getenv("OOM_PHASE");
    if (only) {                 /* OOM_ONLY=N [OOM_PHASE=name]: that one trial in this process, for a debugger */
        if (atol(only) == n && (!phase || strcmp(phase, what) == 0)) fn(n, shared);
        return 0;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, oom_on_signal);
        signal(SIGABRT, oom_on_signal);
        signal(SIGBUS, oom_on_signal);
        signal(SIGFPE, oom_on_signal);
        fn(n, shared);
        fflush(stdout);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (rc >= 128) {
        crashes++;
        size_t len = strlen(crash_list);
        if (len < sizeof crash_list - 40) snprintf(crash_list + len, sizeof crash_list - len, " %s:%ld", what, n);
    }
    return rc;
}

static void *oom_shared(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : memset(p, 0, size);
}

/* ---- fixtures ------------------------------------------------------------------------------------- */

static char tmp[256];

static void write_wav(const char *dir, const char *name, int frames, double freq)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    SF_INFO info = { .samplerate = 44100, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) return;
    short buf[4096];
    for (int i = 0; i < frames && i < 4096; i++) buf[i] = (short)(12000 * ((i * (int)freq / 44100) % 2 ? 1 : -1));
    sf_writef_short(sf, buf, frames < 4096 ? frames : 4096);
    sf_close(sf);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void make_samples(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/phonon_oom_XXXXXX");
    if (!mkdtemp(tmp)) return;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/kit", tmp);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/kit/tick", tmp);
    mkdir(dir, 0755);
    write_wav(dir, "a.wav", 3000, 300);
    write_wav(dir, "b.wav", 2000, 700);
    snprintf(dir, sizeof dir, "%s/kit/tock", tmp);
    mkdir(dir, 0755);
    write_wav(dir, "a.wav", 2500, 500);
    snprintf(dir, sizeof dir, "%s/more", tmp);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/more/blip", tmp);
    mkdir(dir, 0755);
    write_wav(dir, "a.wav", 1500, 900);
}

#define BLOCK 256
#define BLOCKS 24

static Phonon *oom_new(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.voices = 64;
    cfg.max_block = BLOCK;
    cfg.no_system_samples = true;
    static char kit[512];
    snprintf(kit, sizeof kit, "%s/kit", tmp);
    static const char *dirs[2];
    dirs[0] = kit;
    cfg.sample_dirs = dirs;
    return phonon_new(&cfg);
}

static void drain(Phonon *ph)
{
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
}

static void render(Phonon *ph, float *out, int blocks)
{
    float l[BLOCK], r[BLOCK];
    float *outs[2] = { l, r };
    for (int b = 0; b < blocks; b++) {
        phonon_process(ph, NULL, outs, BLOCK);
        if (out) {
            memcpy(out + (size_t)b * 2 * BLOCK, l, sizeof l);
            memcpy(out + (size_t)b * 2 * BLOCK + BLOCK, r, sizeof r);
        }
    }
}

static double peak(const float *x, size_t n)
{
    double p = 0;
    for (size_t i = 0; i < n; i++) p = fmax(p, fabs(x[i]));
    return p;
}

static const char *prog_a = "bpm: 240\n~d1 $ s \"tick tock tick:1 bd\" # gain 0.8\n";
static const char *prog_b = "bpm: 240\n~synth $ saw # lpf 900 0.3 # delay 0.2 0.3 0.1\n"
                            "~d1 $ s \"tock*2 tick\" # n \"<0 1>\" # speed \"1 2\" # pan rand\n"
                            "~d2 $ s \"~synth(3,8)\" # note \"c'maj e'min\" # legato 0.5\n"
                            "~lfo: sine 2 * 300 + 600\nout: saw 110 # lpf ~lfo 0.5 * 0.05\n";

/* ---- phases ------------------------------------------------------------------------------------- */

typedef struct Tally {
    int hit;                    /* the injected failure was handed out (else the loop is over) */
    int trials, failed, same_old, same_new, said, sounding, leaks;
    char first_msg[600];
} Tally;

static void tally_leaks(Tally *t)
{
    t->leaks += OOM_LEAKS() != 0;
}

/* Every allocation of phonon_new fails in turn: NULL back, nothing leaked. */
static void trial_new(long n, void *shared)
{
    Tally *t = shared;
    oom_arm(n);
    Phonon *ph = oom_new();
    t->hit = oom_disarm();
    t->trials++;
    if (ph) {
        phonon_wait_loaded(ph, 10);
        drain(ph);
        phonon_free(ph);
    } else {
        t->failed++;
    }
    tally_leaks(t);
}

static float *ref_a, *ref_b, *ref_stmt, *ref_fmt;
#define REF_LEN ((size_t)BLOCKS * 2 * BLOCK)
static const char *stmt_c = "~d1 $ s \"tock*2 bd\" # speed 1.5\n";

/* What each change does when memory does not run out: 0 none, 1 eval prog_b, 2 statements, 3 format. */
static void change(Phonon *ph, int k)
{
    PhononError e[4];
    if (k == 1) phonon_eval(ph, prog_b, "b.ph", e, 4);
    if (k == 2) phonon_eval_statements(ph, stmt_c, "c.ph", e, 4);
    if (k == 3) phonon_set_format(ph, 48000, BLOCK / 2);
    phonon_wait_loaded(ph, 10);
}

static void make_refs(void)
{
    float **refs[4] = { &ref_a, &ref_b, &ref_stmt, &ref_fmt };
    PhononError e[4];
    for (int k = 0; k < 4; k++) {
        *refs[k] = oom_shared(REF_LEN * sizeof(float));
        Phonon *ph = oom_new();
        phonon_eval(ph, prog_a, "a.ph", e, 4);
        phonon_wait_loaded(ph, 10);
        render(ph, NULL, 8);
        change(ph, k);
        render(ph, *refs[k], BLOCKS);
        drain(ph);
        phonon_free(ph);
    }
}

/* phonon_eval_statements and phonon_set_format: either done exactly, or refused with the old program
 * playing exactly as before. */
static void trial_change(long n, void *shared, int k)
{
    Tally *t = shared;
    static float got[REF_LEN];
    PhononError e[4];
    Phonon *ph = oom_new();
    phonon_eval(ph, prog_a, "a.ph", e, 4);
    phonon_wait_loaded(ph, 10);
    render(ph, NULL, 8);
    memset(e, 0, sizeof e);
    oom_arm(n);
    int r = k == 2 ? phonon_eval_statements(ph, stmt_c, "c.ph", e, 4) : phonon_set_format(ph, 48000, BLOCK / 2);
    t->hit = oom_disarm();
    t->trials++;
    phonon_wait_loaded(ph, 10);
    render(ph, got, BLOCKS);
    if (r) {
        t->failed++;
        t->same_old += memcmp(got, ref_a, sizeof got) == 0;
        t->said += k == 3 || e[0].msg[0] != 0;      /* set_format says it with -1 */
    } else {
        t->same_new += memcmp(got, k == 2 ? ref_stmt : ref_fmt, sizeof got) == 0;
    }
    drain(ph);
    phonon_free(ph);
    tally_leaks(t);
}

static void trial_statements(long n, void *shared) { trial_change(n, shared, 2); }
static void trial_format(long n, void *shared) { trial_change(n, shared, 3); }

/* A failed eval leaves the playing program as it was: the next blocks sound exactly as without the eval. */
static void trial_eval(long n, void *shared)
{
    Tally *t = shared;
    static float got[REF_LEN];
    PhononError e[4];
    Phonon *ph = oom_new();
    phonon_eval(ph, prog_a, "a.ph", e, 4);
    phonon_wait_loaded(ph, 10);
    render(ph, NULL, 8);
    memset(e, 0, sizeof e);
    oom_arm(n);
    int r = phonon_eval(ph, prog_b, "b.ph", e, 4);
    t->hit = oom_disarm();
    t->trials++;
    phonon_wait_loaded(ph, 10);
    render(ph, got, BLOCKS);
    if (r) {
        t->failed++;
        t->same_old += memcmp(got, ref_a, sizeof got) == 0;
        t->said += e[0].msg[0] != 0;
        if (!t->first_msg[0]) phonon_error_format(&e[0], t->first_msg, sizeof t->first_msg);
    } else {
        t->same_new += memcmp(got, ref_b, sizeof got) == 0;
    }
    drain(ph);
    phonon_free(ph);
    tally_leaks(t);
}

/* phonon_add_samples and the decoding it leads to: what was playing keeps sounding. */
static void trial_samples(long n, void *shared)
{
    Tally *t = shared;
    char more[512];
    snprintf(more, sizeof more, "%s/more", tmp);
    Phonon *ph = oom_new();
    PhononError e[4];
    phonon_eval(ph, "~d1 $ s \"tick blip\"\n", "c.ph", e, 4);
    phonon_wait_loaded(ph, 10);
    drain(ph);
    char err[256] = "";
    oom_arm(n);
    int r = phonon_add_samples(ph, more, err, sizeof err);
    phonon_wait_loaded(ph, 10);
    t->hit = oom_disarm();
    t->trials++;
    if (r < 0) {
        t->failed++;
        t->said += err[0] != 0;
        if (!t->first_msg[0]) snprintf(t->first_msg, sizeof t->first_msg, "%s", err);
    }
    static float buf[2 * BLOCK * 16];
    render(ph, buf, 16);
    t->sounding += peak(buf, 2 * BLOCK * 16) > 0;
    drain(ph);
    phonon_free(ph);
    tally_leaks(t);
}

/* Decoding: the loader thread's allocations fail in turn; a file that failed is decoded at the next eval. */
static void trial_decode(long n, void *shared)
{
    Tally *t = shared;
    Phonon *ph = oom_new();
    PhononError e[4];
    phonon_wait_loaded(ph, 10);
    drain(ph);
    atomic_store(&others_only, 1);
    oom_arm(n);
    phonon_eval(ph, "~d1 $ s \"tick tock\"\n", "d.ph", e, 4);
    phonon_wait_loaded(ph, 10);
    drain(ph);                      /* the loader's messages are allocation-free to take */
    t->hit = oom_disarm();
    atomic_store(&others_only, 0);
    t->trials++;
    phonon_eval(ph, "~d1 $ s \"tick tock tick:1\"\n", "d.ph", e, 4);
    phonon_wait_loaded(ph, 10);
    static float buf[2 * BLOCK * 16];
    render(ph, buf, 16);
    PhononStats st;
    phonon_stats(ph, &st);
    t->sounding += st.late == 0 && peak(buf, 2 * BLOCK * 16) > 0;
    drain(ph);
    phonon_free(ph);
    tally_leaks(t);
}

static Tally *run_phase(const char *what, void (*fn)(long, void *))
{
    crashes = 0;
    crash_list[0] = 0;
    Tally *t = oom_shared(sizeof *t);
    long n = getenv("OOM_ONLY") ? atol(getenv("OOM_ONLY")) : 1;
    for (; n < 100000; n++) {
        t->hit = 0;
        int rc = oom_trial(what, n, fn, t);
        if (rc == 0 && !t->hit) break;
    }
    printf("# %s: %d trials, %d failed, %d crashed%s\n", what, t->trials, t->failed, crashes, crash_list);
    if (t->first_msg[0]) printf("# %s: first message: %s\n", what, t->first_msg);
    return t;
}

static void test_new(void)
{
    Tally *t = run_phase("phonon_new", trial_new);
    CHECK(t->trials > 10 && !t->hit, "phonon_new: every allocation failed once, then it succeeded");
    CHECK_INT(crashes, 0, "phonon_new: no crash");
    CHECK_INT(t->leaks, 0, "phonon_new: nothing leaked");
}

static void test_eval(void)
{
    make_refs();
    CHECK(peak(ref_a, REF_LEN) > 0.1 && peak(ref_b, REF_LEN) > 0.01, "eval: both programs sound");
    Tally *t = run_phase("phonon_eval", trial_eval);
    CHECK(t->trials > 10 && !t->hit, "eval: every allocation failed once, then it succeeded");
    CHECK_INT(crashes, 0, "eval: no crash");
    CHECK(t->failed > 0, "eval: some failures are reported as errors");
    CHECK_INT(t->same_old, t->failed, "eval: after every failed eval the old program renders the same audio");
    CHECK_INT(t->said, t->failed, "eval: every failed eval says why");
    CHECK_INT(t->same_new, t->trials - t->failed, "eval: every eval that succeeded renders the new program exactly");
    CHECK(strstr(t->first_msg, "out of memory"), "eval: the message says out of memory", "got \"%s\"", t->first_msg);
    CHECK_INT(t->leaks, 0, "eval: nothing leaked");
}

static void test_changes(void)
{
    const char *what[2] = { "phonon_eval_statements", "phonon_set_format" };
    void (*fn[2])(long, void *) = { trial_statements, trial_format };
    for (int k = 0; k < 2; k++) {
        Tally *t = run_phase(what[k], fn[k]);
        char name[128];
        snprintf(name, sizeof name, "%s: every allocation failed once, then it succeeded", what[k]);
        CHECK(t->trials > 3 && !t->hit, name);
        snprintf(name, sizeof name, "%s: no crash", what[k]);
        CHECK_INT(crashes, 0, name);
        snprintf(name, sizeof name, "%s: after every refusal the old program renders the same audio", what[k]);
        CHECK_INT(t->same_old, t->failed, name);
        snprintf(name, sizeof name, "%s: every refusal says so", what[k]);
        CHECK_INT(t->said, t->failed, name);
        snprintf(name, sizeof name, "%s: every change that went through renders exactly", what[k]);
        CHECK_INT(t->same_new, t->trials - t->failed, name);
        snprintf(name, sizeof name, "%s: nothing leaked", what[k]);
        CHECK_INT(t->leaks, 0, name);
    }
}

static void test_samples(void)
{
    Tally *t = run_phase("phonon_add_samples", trial_samples);
    CHECK(t->trials > 3 && !t->hit, "add_samples: every allocation failed once, then it succeeded");
    CHECK_INT(crashes, 0, "add_samples: no crash");
    CHECK_INT(t->said, t->failed, "add_samples: every refusal says why");
    CHECK_INT(t->sounding, t->trials, "add_samples: what was playing keeps sounding");
    CHECK_INT(t->leaks, 0, "add_samples: nothing leaked");
}

static void test_decode(void)
{
    Tally *t = run_phase("decoding", trial_decode);
    CHECK(t->trials > 3 && !t->hit, "decode: every allocation failed once, then it succeeded");
    CHECK_INT(crashes, 0, "decode: no crash");
    CHECK_INT(t->sounding, t->trials, "decode: after a failure the next eval decodes the files and they play");
    CHECK_INT(t->leaks, 0, "decode: nothing leaked");
}

int main(void)
{
    main_thread = pthread_self();
    make_samples();
    test_new();
    test_eval();
    test_changes();
    test_samples();
    test_decode();
    nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return test_done();
}
#endif
