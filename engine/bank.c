/* bank.c — sounds, their lock-free publication, and the loader thread that decodes them.
 *
 * A sound's files are held in a BankList: an immutable array published with one atomic pointer.
 * Adding files (a later root, a sample folder replacing a built-in) builds a new list and swaps
 * the pointer; old lists stay allocated until bank_free, because the audio thread may be reading
 * one. Each file's decoded Sample is published the same way, once, by the loader thread. So the
 * audio path (banksound_get) only does an index computation and two acquire loads.
 * Folder scanning and the default roots live in bank_scan.c. */

#include "bank.h"
#include "bank_private.h"
#include "builtin.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* FILE_WANTED: the audio thread missed it (banksound_get) and the control side has not queued it yet.
 * FILE_RETRY: decoding ran out of memory; the next request (an eval) tries again, a miss does not. */
enum { FILE_IDLE, FILE_WANTED, FILE_QUEUED, FILE_DONE, FILE_FAILED, FILE_RETRY };

#define BANK_MAX_FRAMES (INT32_MAX / 2)     /* keeps frame arithmetic in int everywhere */
#define BANK_READ_CHUNK 4096
#define BANK_MB (1024.0 * 1024.0)

typedef struct BankFile {
    char *path;                 /* the file, or "builtin:bd:0" */
    int builtin, variant;       /* builtin < 0: a file on disk */
    _Atomic(Sample *) sample;   /* NULL until decoded; written once, by the loader */
    atomic_int state;           /* FILE_*: read by bank_stats, written by request and loader */
    struct BankFile *next_job;  /* the loader's queue (guarded by the mutex) */
    struct BankFile *next_all;  /* every file ever made, for bank_free */
} BankFile;

typedef struct BankList {
    struct BankList *older;     /* every list ever published, for bank_free */
    int count;
    BankFile *files[];
} BankList;

struct BankSound {
    struct Bank *bank;          /* for banksound_get to say it missed a file */
    char *name;
    _Atomic(BankList *) list;
    atomic_int kind;            /* BankKind */
    bool requested;             /* files added later are queued at once */
};

typedef struct BankMsg {
    struct BankMsg *next;
    char text[];
} BankMsg;

struct Bank {
    double sr;
    BankLog log;
    void *log_ud;
    bool use_system, defaults_added;

    BankSound **sounds;         /* in order of creation */
    int nsounds, capsounds;
    BankSound **table;          /* open addressing by name; capacity a power of two */
    int tablecap;
    BankFile *files;
    BankList *lists;
    char **roots;
    int *root_sounds;           /* the sounds each root gave when it was added */
    int nroots, caproots;

    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;        /* loader: there is work or it must quit */
    pthread_cond_t idle;        /* bank_wait: pending reached 0 (monotonic clock) */
    BankFile *job_head, *job_tail;
    BankMsg *msg_head, *msg_tail;
    int pending;                /* files queued or being decoded */
    bool quit;
    _Atomic size_t bytes;

    bool on_demand;             /* bank_request only marks a sound; files are queued one by one */
    atomic_int wanted;          /* some file is FILE_WANTED: bank_service has work */
    size_t file_max, total_max; /* decoded bytes per file and in all */
    long oom;                   /* allocation failures so far (control thread), for bank_add_root */
};

/* ---- the audio path ------------------------------------------------------------------------- */

/* n truncated toward zero, wrapped into 0..count-1, negatives from the end; non-finite n is 0. */
static int bank_index(double n, int count)
{
    if (!isfinite(n))
        return 0;
    double i = fmod(trunc(n), (double)count);
    if (i < 0)
        i += count;
    return (int)i;
}

const Sample *banksound_get(const BankSound *s, double n)
{
    const BankList *l = atomic_load_explicit(&s->list, memory_order_acquire);
    if (!l || l->count == 0)
        return NULL;
    BankFile *f = l->files[bank_index(n, l->count)];
    const Sample *smp = atomic_load_explicit(&f->sample, memory_order_acquire);
    if (!smp) {                 /* not asked for yet: say so with two atomics; the control side queues it */
        int idle = FILE_IDLE;
        if (atomic_compare_exchange_strong_explicit(&f->state, &idle, FILE_WANTED, memory_order_relaxed,
                                                    memory_order_relaxed))
            atomic_store_explicit(&s->bank->wanted, 1, memory_order_release);
    }
    return smp;
}

/* ---- sounds ---------------------------------------------------------------------------------- */

static uint32_t bank_hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static BankSound **bank_slot(BankSound **table, int cap, const char *name)
{
    uint32_t i = bank_hash(name) & (uint32_t)(cap - 1);
    while (table[i] && strcmp(table[i]->name, name) != 0)
        i = (i + 1) & (uint32_t)(cap - 1);
    return &table[i];
}

static bool bank_grow_table(Bank *b)
{
    int cap = b->tablecap ? b->tablecap * 2 : 64;
    BankSound **t = calloc((size_t)cap, sizeof *t);
    if (!t)
        return false;
    for (int i = 0; i < b->nsounds; i++)
        *bank_slot(t, cap, b->sounds[i]->name) = b->sounds[i];
    free(b->table);
    b->table = t;
    b->tablecap = cap;
    return true;
}

static BankSound *bank_lookup(Bank *b, const char *name)
{
    return b->tablecap ? *bank_slot(b->table, b->tablecap, name) : NULL;
}

static BankSound *bank_sound_new(Bank *b, const char *name)
{
    if ((b->nsounds + 1) * 2 > b->tablecap && !bank_grow_table(b))
        return NULL;
    if (b->nsounds == b->capsounds) {
        int cap = b->capsounds ? b->capsounds * 2 : 64;
        BankSound **s = realloc(b->sounds, (size_t)cap * sizeof *s);
        if (!s)
            return NULL;
        b->sounds = s;
        b->capsounds = cap;
    }
    BankSound *s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(name))) {
        free(s);
        return NULL;
    }
    s->bank = b;
    b->sounds[b->nsounds++] = s;
    *bank_slot(b->table, b->tablecap, name) = s;
    return s;
}

static BankFile *bank_file_new(Bank *b, const BankSpec *spec)
{
    BankFile *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(spec->path))) {
        free(f);
        return NULL;
    }
    f->builtin = spec->builtin;
    f->variant = spec->variant;
    pthread_mutex_lock(&b->mu);         /* bank_service walks this list, maybe from another control thread */
    f->next_all = b->files;
    b->files = f;
    pthread_mutex_unlock(&b->mu);
    return f;
}

static void bank_queue_file(Bank *b, BankFile *f);

bool bank_offer(Bank *b, const char *name, BankKind kind, const BankSpec *specs, int n)
{
    if (n <= 0)
        return false;
    BankSound *s = bank_lookup(b, name);
    if (s && kind < (BankKind)atomic_load(&s->kind))
        return false;
    if (!s && !(s = bank_sound_new(b, name))) {
        b->oom++;
        return false;
    }
    const BankList *old = atomic_load_explicit(&s->list, memory_order_relaxed);
    int keep = old && kind == (BankKind)atomic_load(&s->kind) ? old->count : 0;
    BankList *l = malloc(sizeof *l + (size_t)(keep + n) * sizeof l->files[0]);
    if (!l) {
        b->oom++;
        return false;
    }
    l->count = keep;
    for (int i = 0; i < keep; i++)
        l->files[i] = old->files[i];
    for (int i = 0; i < n; i++) {
        if (!(l->files[l->count++] = bank_file_new(b, &specs[i]))) {
            free(l);            /* all or nothing: the sound keeps the files it had (made ones go at bank_free) */
            b->oom++;
            return false;
        }
    }
    l->older = b->lists;
    b->lists = l;
    atomic_store(&s->kind, (int)kind);
    atomic_store_explicit(&s->list, l, memory_order_release);
    if (s->requested && !b->on_demand) {
        pthread_mutex_lock(&b->mu);
        for (int i = keep; i < l->count; i++)
            bank_queue_file(b, l->files[i]);
        pthread_cond_signal(&b->wake);
        pthread_mutex_unlock(&b->mu);
    }
    return true;
}

const BankSound *bank_find(Bank *b, const char *name)
{
    return bank_lookup(b, name);
}

int banksound_count(const BankSound *s)
{
    const BankList *l = atomic_load_explicit(&s->list, memory_order_acquire);
    return l ? l->count : 0;
}

const char *banksound_name(const BankSound *s) { return s->name; }

bool banksound_is_builtin(const BankSound *s)
{
    return atomic_load(&s->kind) == BANK_KIND_BUILTIN;
}

const char *banksound_kind(const BankSound *s)
{
    switch (atomic_load(&s->kind)) {
    case BANK_KIND_BUILTIN: return "builtin";
    case BANK_KIND_SONICPI: return "sonic-pi";
    default: return "samples";
    }
}

const char *banksound_path(const BankSound *s, double n)
{
    const BankList *l = atomic_load_explicit(&s->list, memory_order_acquire);
    return l && l->count ? l->files[bank_index(n, l->count)]->path : NULL;
}

static int bank_cmp_sound(const void *a, const void *b)
{
    return strcmp((*(BankSound *const *)a)->name, (*(BankSound *const *)b)->name);
}

void bank_list(Bank *b, void (*fn)(void *ud, const BankSound *s), void *ud)
{
    BankSound **sorted = malloc((size_t)(b->nsounds ? b->nsounds : 1) * sizeof *sorted);
    if (!sorted)
        return;
    memcpy(sorted, b->sounds, (size_t)b->nsounds * sizeof *sorted);
    qsort(sorted, (size_t)b->nsounds, sizeof *sorted, bank_cmp_sound);
    for (int i = 0; i < b->nsounds; i++)
        fn(ud, sorted[i]);
    free(sorted);
}

/* ---- roots and settings (for bank_scan.c) ------------------------------------------------------------ */

int bank_root_sounds(Bank *b, const char *real)
{
    for (int i = 0; i < b->nroots; i++)
        if (strcmp(b->roots[i], real) == 0)
            return b->root_sounds[i];
    return -1;
}

bool bank_root_seen(Bank *b, const char *real) { return bank_root_sounds(b, real) >= 0; }

void bank_root_note(Bank *b, const char *real, int sounds)
{
    if (b->nroots == b->caproots) {
        int cap = b->caproots ? b->caproots * 2 : 8;
        char **r = realloc(b->roots, (size_t)cap * sizeof *r);
        if (r) b->roots = r;
        int *n = r ? realloc(b->root_sounds, (size_t)cap * sizeof *n) : NULL;
        if (n) b->root_sounds = n;
        if (!r || !n) {
            b->oom++;
            return;
        }
        b->caproots = cap;
    }
    char *copy = strdup(real);
    if (copy)
        b->root_sounds[b->nroots] = sounds, b->roots[b->nroots++] = copy;
    else
        b->oom++;
}

long bank_oom_count(const Bank *b) { return b->oom; }

void bank_note_oom(Bank *b) { b->oom++; }

bool bank_uses_system(Bank *b) { return b->use_system; }

void bank_set_use_system(Bank *b, bool use) { b->use_system = use; }

bool bank_add_defaults(Bank *b)
{
    if (b->defaults_added)
        return true;
    b->defaults_added = true;
    if (b->use_system)
        bank_scan_system(b);
    return bank_add_builtins(b);
}

void bank_log_later(Bank *b, const char *fmt, ...)
{
    if (!b->log)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    BankMsg *m = malloc(sizeof *m + strlen(text) + 1);
    if (!m)
        return;
    m->next = NULL;
    strcpy(m->text, text);
    pthread_mutex_lock(&b->mu);
    if (b->msg_tail)
        b->msg_tail->next = m;
    else
        b->msg_head = m;
    b->msg_tail = m;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
}

/* ---- decoding (loader thread) --------------------------------------------------------------------- */

/* One block: the Sample, then each channel's frames with BANK_PAD zeros on both sides. */
static Sample *bank_sample_new(int frames, int channels, double rate, const char *path, float **ch)
{
    size_t head = (sizeof(Sample) + 15) & ~(size_t)15;
    size_t len = (size_t)frames + 2 * BANK_PAD;
    Sample *s = calloc(1, head + (size_t)channels * len * sizeof(float));
    if (!s)
        return NULL;
    float *data = (float *)((char *)s + head);
    ch[0] = data + BANK_PAD;
    ch[1] = channels == 2 ? data + len + BANK_PAD : ch[0];
    s->frames = frames;
    s->channels = channels;
    s->rate = rate;
    s->ch[0] = ch[0];
    s->ch[1] = ch[1];
    s->path = path;
    return s;
}

static size_t bank_sample_bytes(const Sample *s)
{
    size_t head = (sizeof(Sample) + 15) & ~(size_t)15;
    return head + (size_t)s->channels * ((size_t)s->frames + 2 * BANK_PAD) * sizeof(float);
}

static float bank_peak(const Sample *s)
{
    float p = 0;
    for (int c = 0; c < s->channels; c++)
        for (int i = 0; i < s->frames; i++)
            p = fmaxf(p, fabsf(s->ch[c][i]));
    return p;
}

/* Keep the first two channels, planar; non-finite values (broken float files) become 0. */
static void bank_deinterleave(const float *in, int frames, int chans, float **ch, int keep, int at)
{
    for (int c = 0; c < keep; c++)
        for (int i = 0; i < frames; i++) {
            float x = in[(size_t)i * chans + c];
            ch[c][at + i] = isfinite(x) ? x : 0.0f;
        }
}

static size_t bank_bytes_for(int frames, int channels)
{
    size_t head = (sizeof(Sample) + 15) & ~(size_t)15;
    return head + (size_t)channels * ((size_t)frames + 2 * BANK_PAD) * sizeof(float);
}

/* A sample of exactly `frames` frames holding the first frames of s (a header promised more than the
 * file held): the memory counted is what is there, not what was claimed. NULL when out of memory. */
static Sample *bank_shrink(Sample *s, int frames)
{
    float *ch[2];
    Sample *t = bank_sample_new(frames, s->channels, s->rate, s->path, ch);
    if (!t)
        return NULL;
    for (int c = 0; c < s->channels; c++)
        memcpy(ch[c], s->ch[c], (size_t)frames * sizeof(float));
    free(s);
    return t;
}

/* Read every frame of an open file into a new Sample; *oom tells running out of memory from a bad file. */
static Sample *bank_read(SNDFILE *sf, const SF_INFO *info, const char *path, char *why, int whylen, bool *oom)
{
    float *ch[2];
    float *buf = malloc((size_t)BANK_READ_CHUNK * (size_t)info->channels * sizeof *buf);
    Sample *s = buf ? bank_sample_new((int)info->frames, info->channels >= 2 ? 2 : 1, info->samplerate, path, ch)
                    : NULL;
    if (!s) {
        free(buf);
        snprintf(why, (size_t)whylen, "out of memory");
        *oom = true;
        return NULL;
    }
    int got = 0;
    while (got < s->frames) {
        int want = s->frames - got < BANK_READ_CHUNK ? s->frames - got : BANK_READ_CHUNK;
        sf_count_t n = sf_readf_float(sf, buf, want);
        if (n <= 0)
            break;
        bank_deinterleave(buf, (int)n, info->channels, ch, s->channels, got);
        got += (int)n;
    }
    free(buf);
    if (got == 0) {
        snprintf(why, (size_t)whylen, "could not read: %s", sf_strerror(sf));
        free(s);
        return NULL;
    }
    if (got < s->frames / 2 + 1 && got < s->frames) {   /* a lying header: give the unread part back */
        Sample *t = bank_shrink(s, got);
        if (t)
            return t;
    }
    s->frames = got;    /* a header may promise a little more than the file holds; the pad stays zero */
    return s;
}

/* "12 KB", "3.5 MB", "7629 MB": sizes as a message shows them. */
static const char *bank_size(char *buf, size_t len, double bytes)
{
    if (bytes >= 10 * BANK_MB)
        snprintf(buf, len, "%.0f MB", bytes / BANK_MB);
    else if (bytes >= BANK_MB)
        snprintf(buf, len, "%.1f MB", bytes / BANK_MB);
    else
        snprintf(buf, len, "%.0f KB", ceil(bytes / 1024));
    return buf;
}

/* Whether a file of `frames` frames fits the limits; else why not, naming the limit. Counted before any
 * allocation, from the header: a header claiming 10^9 frames costs nothing. */
static bool bank_fits(Bank *b, sf_count_t frames, int channels, char *why, int whylen)
{
    char s1[32], s2[32], s3[32];
    double need = (double)bank_bytes_for(0, channels) + (double)frames * channels * sizeof(float);
    if (frames > BANK_MAX_FRAMES || need > (double)b->file_max) {
        snprintf(why, (size_t)whylen, "too big: %lld frames would take %s (at most %s per file)", (long long)frames,
                 bank_size(s1, sizeof s1, need), bank_size(s2, sizeof s2, (double)b->file_max));
        return false;
    }
    size_t used = atomic_load(&b->bytes);
    if ((double)used + need > (double)b->total_max) {
        snprintf(why, (size_t)whylen, "sample memory full: %s more would pass %s in all (%s decoded so far)",
                 bank_size(s1, sizeof s1, need), bank_size(s2, sizeof s2, (double)b->total_max),
                 bank_size(s3, sizeof s3, (double)used));
        return false;
    }
    return true;
}

static Sample *bank_decode(Bank *b, BankFile *f, char *why, int whylen, bool *oom)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(f->path, SFM_READ, &info);
    if (!sf) {
        snprintf(why, (size_t)whylen, "%s", sf_strerror(NULL));
        return NULL;
    }
    Sample *s = NULL;
    if (info.channels < 1 || info.samplerate <= 0 || info.frames < 1)
        snprintf(why, (size_t)whylen, "no audio in it");
    else if (bank_fits(b, info.frames, info.channels >= 2 ? 2 : 1, why, whylen))
        s = bank_read(sf, &info, f->path, why, whylen, oom);
    sf_close(sf);
    return s;
}

static Sample *bank_render_builtin(Bank *b, BankFile *f)
{
    float *ch[2];
    int frames = builtin_frames(f->builtin, f->variant, b->sr);
    Sample *s = bank_sample_new(frames, 1, b->sr, f->path, ch);
    if (s)
        builtin_render(f->builtin, f->variant, b->sr, ch[0]);
    return s;
}

static void bank_load(Bank *b, BankFile *f)
{
    char why[256] = "out of memory";
    bool oom = f->builtin >= 0;
    Sample *s = f->builtin >= 0 ? bank_render_builtin(b, f) : bank_decode(b, f, why, sizeof why, &oom);
    if (!s) {
        /* out of memory is not the file's fault: it is decoded again the next time a program asks */
        atomic_store(&f->state, oom ? FILE_RETRY : FILE_FAILED);
        if (b->log) {
            char msg[1024];
            snprintf(msg, sizeof msg, "samples: can't read %s: %s%s", f->path, why,
                     oom ? " (it is tried again at the next eval)" : "");
            b->log(b->log_ud, msg);
        }
        return;
    }
    s->peak = bank_peak(s);
    atomic_fetch_add(&b->bytes, bank_sample_bytes(s));
    atomic_store_explicit(&f->sample, s, memory_order_release);
    atomic_store(&f->state, FILE_DONE);
}

/* ---- the loader thread and its queue ---------------------------------------------------------------- */

/* Caller holds the mutex. */
static void bank_queue_file(Bank *b, BankFile *f)
{
    int idle = FILE_IDLE, wanted = FILE_WANTED, retry = FILE_RETRY;
    if (!atomic_compare_exchange_strong(&f->state, &idle, FILE_QUEUED) &&
        !atomic_compare_exchange_strong(&f->state, &wanted, FILE_QUEUED) &&
        !atomic_compare_exchange_strong(&f->state, &retry, FILE_QUEUED))
        return;
    f->next_job = NULL;
    if (b->job_tail)
        b->job_tail->next_job = f;
    else
        b->job_head = f;
    b->job_tail = f;
    b->pending++;
}

static void *bank_loader(void *arg)
{
    Bank *b = arg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->quit && !b->job_head && !b->msg_head)
            pthread_cond_wait(&b->wake, &b->mu);
        if (b->quit)
            break;
        if (b->msg_head) {      /* messages first: they tell about roots, before any decoding */
            BankMsg *m = b->msg_head;
            if (!(b->msg_head = m->next))
                b->msg_tail = NULL;
            pthread_mutex_unlock(&b->mu);
            b->log(b->log_ud, m->text);
            free(m);
            pthread_mutex_lock(&b->mu);
            continue;
        }
        BankFile *f = b->job_head;
        if (!(b->job_head = f->next_job))
            b->job_tail = NULL;
        pthread_mutex_unlock(&b->mu);
        bank_load(b, f);
        pthread_mutex_lock(&b->mu);
        if (--b->pending == 0)
            pthread_cond_broadcast(&b->idle);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

void bank_request(Bank *b, const BankSound *cs)
{
    BankSound *s = (BankSound *)cs;     /* the bank owns its sounds; callers only hold const handles */
    const BankList *l = atomic_load_explicit(&s->list, memory_order_acquire);
    s->requested = true;
    if (b->on_demand)
        return;
    pthread_mutex_lock(&b->mu);
    for (int i = 0; l && i < l->count; i++)
        bank_queue_file(b, l->files[i]);
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
}

void bank_request_file(Bank *b, const BankSound *s, double n)
{
    const BankList *l = atomic_load_explicit(&s->list, memory_order_acquire);
    if (!l || l->count == 0)
        return;
    BankFile *f = l->files[bank_index(n, l->count)];
    int state = atomic_load(&f->state);
    if (state != FILE_IDLE && state != FILE_WANTED && state != FILE_RETRY)
        return;
    pthread_mutex_lock(&b->mu);
    bank_queue_file(b, f);
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
}

void bank_service(Bank *b)
{
    if (!atomic_exchange_explicit(&b->wanted, 0, memory_order_acquire))
        return;
    pthread_mutex_lock(&b->mu);
    for (BankFile *f = b->files; f; f = f->next_all)
        if (atomic_load_explicit(&f->state, memory_order_relaxed) == FILE_WANTED)
            bank_queue_file(b, f);
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
}

void bank_set_on_demand(Bank *b, bool on) { b->on_demand = on; }

void bank_set_limits(Bank *b, size_t file_max, size_t total_max)
{
    b->file_max = file_max ? file_max : BANK_FILE_MAX_DEFAULT;
    b->total_max = total_max ? total_max : BANK_TOTAL_MAX_DEFAULT;
}

bool bank_wait(Bank *b, double timeout_seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    if (timeout_seconds > 0) {
        double whole = floor(timeout_seconds);
        until.tv_sec += (time_t)whole;
        until.tv_nsec += (long)((timeout_seconds - whole) * 1e9);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&b->mu);
    int err = 0;
    while (b->pending > 0 && timeout_seconds != 0 && err != ETIMEDOUT) {
        if (timeout_seconds < 0)
            pthread_cond_wait(&b->idle, &b->mu);
        else
            err = pthread_cond_timedwait(&b->idle, &b->mu, &until);
    }
    bool done = b->pending == 0;
    pthread_mutex_unlock(&b->mu);
    return done;
}

void bank_stats(Bank *b, BankStats *st)
{
    memset(st, 0, sizeof *st);
    st->sounds = b->nsounds;
    for (int i = 0; i < b->nsounds; i++) {
        const BankList *l = atomic_load_explicit(&b->sounds[i]->list, memory_order_acquire);
        for (int j = 0; l && j < l->count; j++) {
            int state = atomic_load(&l->files[j]->state);
            st->files++;
            st->loaded += state == FILE_DONE;
            st->failed += state == FILE_FAILED;
            st->pending += state == FILE_QUEUED;
        }
    }
    st->bytes = atomic_load(&b->bytes);
}

/* ---- life ------------------------------------------------------------------------------------------ */

Bank *bank_new(double engine_sr, BankLog log, void *log_ud)
{
    Bank *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->sr = engine_sr > 0 ? engine_sr : 44100;
    b->log = log;
    b->log_ud = log_ud;
    b->use_system = true;
    bank_set_limits(b, 0, 0);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->wake, NULL);
    pthread_cond_init(&b->idle, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&b->thread, NULL, bank_loader, b) != 0) {
        pthread_cond_destroy(&b->idle);
        pthread_cond_destroy(&b->wake);
        pthread_mutex_destroy(&b->mu);
        free(b);
        return NULL;
    }
    return b;
}

void bank_free(Bank *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->quit = true;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);

    for (BankMsg *m = b->msg_head, *next; m; m = next) {
        next = m->next;
        free(m);
    }
    for (BankFile *f = b->files, *next; f; f = next) {
        next = f->next_all;
        free(atomic_load(&f->sample));
        free(f->path);
        free(f);
    }
    for (BankList *l = b->lists, *older; l; l = older) {
        older = l->older;
        free(l);
    }
    for (int i = 0; i < b->nsounds; i++) {
        free(b->sounds[i]->name);
        free(b->sounds[i]);
    }
    for (int i = 0; i < b->nroots; i++)
        free(b->roots[i]);
    free(b->roots);
    free(b->root_sounds);
    free(b->sounds);
    free(b->table);
    pthread_cond_destroy(&b->idle);
    pthread_cond_destroy(&b->wake);
    pthread_mutex_destroy(&b->mu);
    free(b);
}
