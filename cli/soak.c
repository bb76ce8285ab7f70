/* soak.c — `phonon soak`: renders hours of audio as fast as the machine allows, through phonon.h only,
 * the way a long night on stage would drive the engine: a new program every few cycles (the examples,
 * the documentation's programs and seeded random ones), tempo changes and ramps, statements replaced,
 * broken programs refused, mutes, solos, seeks, the thread count changed live (phonon_set_threads) and
 * the engine now and then recreated (as Pd recreates an object), sample folders added. It
 * checks what a listener and a host would notice: no NaN/Inf out, block time flat (the last tenth
 * replays the first tenth's script, so their times compare like for like), resident memory flat, and
 * every voice returned after hush/panic and ring-out. Prints ok/FAIL lines and a report.
 * Command-line code: it may allocate and print; the engine's audio path is what it measures. */
#define _GNU_SOURCE
#include "soak.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "phonon.h"

#define SOAK_SR 44100               /* the engine's default rate; every length below is in its frames */
#define SOAK_MAX_FOLDERS 12         /* sample folders added over a run (bounded: their samples stay in memory) */
#define SOAK_MAX_SOURCES 256        /* example and documentation programs kept */
#define SOAK_SEG_MAX_SECONDS 40.0   /* a segment ends after this much audio even at a very slow tempo */
#define SOAK_RINGOUT_SECONDS 30.0   /* audio rendered at most, after hush+panic+stop, for the voices to end */
#define SOAK_HIST_BINS 2000         /* block-time histogram: 0.1 us bins up to 200 us, then 0.1 ms bins */
#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1                 /* its quarantine keeps freed memory resident: RSS says nothing */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif
#ifndef SOAK_ASAN
#define SOAK_ASAN 0
#endif
#define SOAK_RSS_SLACK_MB 8.0       /* allowed RSS growth from the end of warm-up to the end of the run */
#define SOAK_P99_RATIO 2.0          /* last tenth's P99 may be at most this times the first's (+ slack) */
#define SOAK_P99_SLACK_US 10.0

/* ---------------------------------------------------------------------------------------------
 * options */

typedef struct SoakOpts {
    double minutes;
    uint64_t seed;
    int block;
    const char *root;           /* where examples/ and docs/ are */
    long print;                 /* > 0: print this many generated programs and exit */
    bool verbose;
} SoakOpts;

static int soak_usage(void)
{
    fprintf(stderr, "usage: phonon soak [--minutes N] [--seed S] [--block N] [--root DIR] [--verbose]\n"
                    "       phonon soak --print N [--seed S]     (N generated programs, for phonon check)\n");
    return 2;
}

static bool soak_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) return false;
    *out = v;
    return true;
}

static bool soak_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') return false;
    *out = v;
    return true;
}

static int soak_parse(int argc, char **argv, SoakOpts *o)
{
    static const struct option longs[] = { { "minutes", required_argument, 0, 'm' },
                                           { "seed", required_argument, 0, 's' },
                                           { "block", required_argument, 0, 'b' },
                                           { "root", required_argument, 0, 'r' },
                                           { "print", required_argument, 0, 'p' },
                                           { "verbose", no_argument, 0, 'v' },
                                           { 0, 0, 0, 0 } };
    *o = (SoakOpts){ .minutes = 60, .seed = 1, .block = 64, .root = "." };
    optind = 1;
    opterr = 0;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        const char *a = optarg;
        if (c == 'm' && soak_parse_double(a, 0.01, 24 * 60, &v)) o->minutes = v;
        else if (c == 's' && soak_parse_u64(a, &o->seed)) continue;
        else if (c == 'b' && soak_parse_double(a, 1, 4096, &v) && v == floor(v)) o->block = (int)v;
        else if (c == 'r') o->root = a;
        else if (c == 'p' && soak_parse_double(a, 1, 1e6, &v) && v == floor(v)) o->print = (long)v;
        else if (c == 'v') o->verbose = true;
        else {
            if (c == '?') fprintf(stderr, "phonon soak: unknown option or missing value: %s\n", argv[optind - 1]);
            else fprintf(stderr, "phonon soak: bad value for --%s: '%s'\n", longs[c == 'm' ? 0 : c == 's' ? 1 : c == 'b' ? 2 : 4].name, a);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "phonon soak: unexpected argument %s\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * the fixed programs: the examples (.ph) and every plain ``` block of README.md and docs (.md) that compiles */

typedef struct SoakSources {
    char *text[SOAK_MAX_SOURCES];
    char name[SOAK_MAX_SOURCES][96];
    bool doc[SOAK_MAX_SOURCES];
    int n, nexamples, ndocs, nblocks;
} SoakSources;

static void soak_add_source(SoakSources *src, Phonon *ph, char *text, const char *name, bool doc)
{
    PhononError errs[4];
    if (src->n >= SOAK_MAX_SOURCES || !text[strspn(text, " \t\r\n")] || phonon_check(ph, text, name, errs, 4) != 0) {
        free(text);
        return;
    }
    src->text[src->n] = text;
    snprintf(src->name[src->n], sizeof src->name[0], "%s", name);
    src->doc[src->n++] = doc;
    if (doc) src->ndocs++;
    else src->nexamples++;
}

/* Plain ``` blocks of a markdown file (```text, ```sh ... are not programs). */
static void soak_doc_blocks(SoakSources *src, Phonon *ph, const char *path, const char *base)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[4096];
    SoakText block = { 0 };
    bool in = false, plain = false;
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "```", 3) != 0) {
            if (in && plain) soak_text_printf(&block, "%s", line);
            continue;
        }
        if (!in) {
            in = true;
            plain = line[3 + strspn(line + 3, " \t")] == '\n';
            soak_text_clear(&block);
            continue;
        }
        in = false;
        if (!plain || !block.s || block.oom) continue;
        char name[96];
        snprintf(name, sizeof name, "%s#%d", base, ++n);
        src->nblocks++;
        soak_add_source(src, ph, strdup(block.s), name, true);
    }
    soak_text_free(&block);
    fclose(f);
}

static int soak_cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names in a directory ending in ext, sorted (so a run does not depend on the file system's order). */
static int soak_list_dir(const char *dir, const char *ext, char **names, int max)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    size_t el = strlen(ext);
    for (struct dirent *e; n < max && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] != '.' && l > el && strcmp(e->d_name + l - el, ext) == 0) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, soak_cmp_names);
    return n;
}

static void soak_load_sources(SoakSources *src, Phonon *ph, const char *root)
{
    char path[4096], *names[64];
    snprintf(path, sizeof path, "%s/examples", root);
    int n = soak_list_dir(path, ".ph", names, 64);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/examples/%s", root, names[i]);
        char *text = phonon_read_text(path);
        if (text) soak_add_source(src, ph, text, names[i], false);
        free(names[i]);
    }
    snprintf(path, sizeof path, "%s/README.md", root);
    soak_doc_blocks(src, ph, path, "README.md");
    snprintf(path, sizeof path, "%s/docs", root);
    n = soak_list_dir(path, ".md", names, 64);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/docs/%s", root, names[i]);
        soak_doc_blocks(src, ph, path, names[i]);
        free(names[i]);
    }
}

/* ---------------------------------------------------------------------------------------------
 * sample folders: small WAV files made with libsndfile in a temporary directory */

typedef struct SoakFolders {
    char tmp[256];
    char *dir[SOAK_MAX_FOLDERS + 1];    /* NULL-terminated, for PhononConfig.sample_dirs */
    int n;
    long bytes;                         /* decoded size of every file made, as floats */
} SoakFolders;

static bool soak_write_wav(const char *path, SoakRng *r, long *bytes)
{
    static const int rates[] = { 22050, 44100, 48000 };
    static const int formats[] = { SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_FLOAT };
    SF_INFO info = { 0 };
    info.samplerate = rates[soak_rng_below(r, 3)];
    info.channels = 1 + soak_rng_below(r, 2);
    info.format = SF_FORMAT_WAV | formats[soak_rng_below(r, 3)];
    long frames = soak_rng_chance(r, 10) ? 1 : 500 + soak_rng_below(r, 12000);
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) return false;
    double f = 100 + soak_rng_below(r, 2000), decay = 3.0 + soak_rng_below(r, 30);
    float buf[2];
    for (long i = 0; i < frames; i++) {
        double t = (double)i / info.samplerate;
        float x = (float)(0.8 * exp(-decay * t) * sin(2 * M_PI * f * t));
        buf[0] = buf[1] = x;
        sf_writef_float(sf, buf, 1);
    }
    sf_close(sf);
    *bytes += frames * info.channels * (long)sizeof(float);
    return true;
}

/* Folder k: sounds skK (two files) and skKb (one to three), plus a file that is not audio. */
static bool soak_make_folder(SoakFolders *fo, int k, SoakRng *r)
{
    char path[512];
    snprintf(path, sizeof path, "%s/kit%d", fo->tmp, k);
    if (mkdir(path, 0700) != 0) return false;
    fo->dir[k] = strdup(path);
    const char *sounds[2] = { "", "b" };
    for (int s = 0; s < 2; s++) {
        snprintf(path, sizeof path, "%s/sk%d%s", fo->dir[k], k, sounds[s]);
        if (mkdir(path, 0700) != 0) return false;
        int files = s == 0 ? 2 : 1 + soak_rng_below(r, 3);
        for (int i = 0; i < files; i++) {
            snprintf(path, sizeof path, "%s/sk%d%s/%c.wav", fo->dir[k], k, sounds[s], 'a' + i);
            if (!soak_write_wav(path, r, &fo->bytes)) return false;
        }
    }
    snprintf(path, sizeof path, "%s/sk%d/notes.txt", fo->dir[k], k);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not a sound\n", f);
        fclose(f);
    }
    return true;
}

static void soak_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char path[1024];
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) soak_remove_tree(path);
        else unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void soak_folders_free(SoakFolders *fo)
{
    if (fo->tmp[0]) soak_remove_tree(fo->tmp);
    for (int i = 0; i < fo->n; i++) free(fo->dir[i]);
}

/* ---------------------------------------------------------------------------------------------
 * measurements */

typedef struct SoakTimes {
    float *win[2];              /* block times (us) of the first and the last tenth */
    long nwin[2], cap;
    long hist[SOAK_HIST_BINS];
    double max, sum;
    long n;
} SoakTimes;

static int soak_bin(double us)
{
    int b = us < 200 ? (int)(us * 10) : 2000 + (int)((us - 200) / 100) - 1;
    return b < 0 ? 0 : b >= SOAK_HIST_BINS ? SOAK_HIST_BINS - 1 : b;
}

static double soak_bin_us(int b) { return b < 2000 ? (b + 1) / 10.0 : 200 + (b - 1999) * 100.0; }

static void soak_time(SoakTimes *t, int window, double us)
{
    t->hist[soak_bin(us)]++;
    t->sum += us;
    t->n++;
    if (us > t->max) t->max = us;
    if (window >= 0 && t->nwin[window] < t->cap) t->win[window][t->nwin[window]++] = (float)us;
}

static int soak_cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void soak_window_stats(SoakTimes *t, int w, double *p99, double *max)
{
    long n = t->nwin[w];
    *p99 = *max = 0;
    if (n == 0) return;
    qsort(t->win[w], (size_t)n, sizeof(float), soak_cmp_float);
    *p99 = t->win[w][(long)(0.99 * (double)(n - 1))];
    *max = t->win[w][n - 1];
}

static double soak_hist_p99(const SoakTimes *t)
{
    long seen = 0, want = (long)(0.99 * (double)t->n);
    for (int b = 0; b < SOAK_HIST_BINS; b++)
        if ((seen += t->hist[b]) > want) return soak_bin_us(b);
    return t->max;
}

static double soak_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The heap in use (glibc), a sharper leak detector than RSS; -1 where unknown. */
static double soak_heap_mb(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 mi = mallinfo2();
    return (double)(mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
#else
    return -1;
#endif
}

static double soak_rss_mb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &rss) != 2) rss = 0;
        fclose(f);
    }
    return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* ---------------------------------------------------------------------------------------------
 * the script: one segment per program; the first tenth's are kept and replayed in the last tenth */

typedef enum SoakAction { ACT_NONE, ACT_MUTE, ACT_SOLO, ACT_SEEK, ACT_RESET, ACT_PAUSE, ACT_NACTIONS } SoakAction;
typedef enum SoakKind { SRC_EXAMPLE, SRC_DOC, SRC_GENERATED } SoakKind;

typedef struct SoakSeg {
    char *text;                 /* the program evaluated at the start */
    SoakKind kind;
    const char *name;           /* of a fixed program */
    int threads;                /* the engine's thread count in this segment */
    bool recreate;              /* recreate the engine first even if the count is the same */
    bool add_folder;
    double cycles;
    double cps;                 /* > 0: the tempo set after the first block (ramped to when ramp) */
    bool ramp;
    char *statement;            /* replaced halfway through with phonon_eval_statements */
    char *broken;               /* evaluated halfway through: must be refused, the program untouched */
    SoakAction action;          /* halfway through (undone at the end) */
    int ringout;                /* at the end, 1: hush, panic, stop the clock; 2: only stop it; then render
                                   until no voice sounds */
    struct SoakSeg *next;
} SoakSeg;

static void soak_seg_free(SoakSeg *s)
{
    while (s) {
        SoakSeg *n = s->next;
        free(s->text);
        free(s->statement);
        free(s->broken);
        free(s);
        s = n;
    }
}

typedef struct Soak {
    SoakOpts o;
    SoakRng rng;
    SoakSources src;
    SoakFolders fo;
    SoakKit kit;
    Phonon *ph;
    int threads;
    char *playing;              /* the program that plays (a copy), for recreating the engine */
    float *out[2];
    long total, done;           /* frames */
    int window;                 /* 0 first tenth, 1 last tenth, -1 between */
    SoakTimes times;
    SoakText gen;
    /* counts */
    long swaps[3], gen_rejected, statements, statements_rejected, broken, broken_accepted, broken_changed;
    long tempo_changes, ramps, engines, thread_changes, actions, ringouts, ringouts_panic, ringout_fail, nonfinite_out, guard, warnings, errors;
    long wait_timeouts, started, stolen, dropped, late;
    int peak_voices, thread_counts_seen;
    double longest_ringout, longest_panic, rss_start, rss_warm, rss_end, wall;
} Soak;

static SoakSeg *soak_plan(Soak *s, long index)
{
    SoakSeg *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    SoakRng *r = &s->rng;
    int pick = soak_rng_below(r, 100);
    if (s->src.n > 0 && pick < 45) {
        int i = soak_rng_below(r, s->src.n);
        g->kind = s->src.doc[i] ? SRC_DOC : SRC_EXAMPLE;
        g->name = s->src.name[i];
        g->text = strdup(s->src.text[i]);
    } else {
        g->kind = SRC_GENERATED;
        soak_gen_program(r, &s->kit, &s->gen);
        g->text = strdup(s->gen.s ? s->gen.s : "");
    }
    g->threads = s->threads;
    if (index % 10 == 9) {
        g->threads = 3 - s->threads;                /* 1 <-> 2, live: phonon_set_threads */
    } else if (index > 0 && soak_rng_chance(r, 3)) {
        g->recreate = true;                         /* as Pd recreates an object: same count */
    }
    g->add_folder = s->fo.n + (index > 0) < SOAK_MAX_FOLDERS && (index == 1 || soak_rng_chance(r, 10));
    g->cycles = 2 + soak_rng_below(r, 7);
    static const double tempi[] = { 0.25, 0.4, 0.5, 0.75, 1, 1.25, 1.5, 2, 3 };
    if (soak_rng_chance(r, 45)) {
        g->cps = tempi[soak_rng_below(r, 9)];
        g->ramp = soak_rng_chance(r, 25);
    }
    if (soak_rng_chance(r, 25)) {
        soak_gen_statement(r, &s->kit, &s->gen);
        g->statement = strdup(s->gen.s ? s->gen.s : "");
    }
    if (index == 2 || soak_rng_chance(r, 12)) {
        static const char *const bad[] = { "~d2 $ s \"bd [sn\"\n", "~d3 $ fast\n", "~d1 $ s \"bd\" # lpff 300\n",
                                           "out: saw 110 # # lpf\n", "~d4 $ s \"bd\" $ every (fast 2)\n",
                                           "~x $ ~nosuch * 2\nout: ~x\n", "~d1 $ s \"bd(3,8\"\n" };
        size_t len = strlen(g->text) + 64;
        g->broken = malloc(len);
        if (g->broken) snprintf(g->broken, len, "%s\n%s", g->text, bad[soak_rng_below(r, 7)]);
    }
    g->action = soak_rng_chance(r, 20) ? (SoakAction)(1 + soak_rng_below(r, ACT_NACTIONS - 1)) : ACT_NONE;
    g->ringout = soak_rng_chance(r, 10) ? 1 + soak_rng_below(r, 2) : 0;
    return g;
}

/* ---------------------------------------------------------------------------------------------
 * driving the engine */

static void soak_poll(Soak *s)
{
    PhononMsg m;
    while (phonon_poll(s->ph, &m)) {
        if (m.kind == PHONON_MSG_WARNING) s->warnings++;
        if (m.kind == PHONON_MSG_ERROR && s->errors++ < 5) fprintf(stderr, "phonon soak: engine error: %s\n", m.text);
    }
}

static void soak_take_stats(Soak *s)
{
    if (!s->ph) return;
    PhononStats st;
    phonon_stats(s->ph, &st);
    s->started += st.started;
    s->stolen += st.stolen;
    s->dropped += st.dropped;
    s->late += st.late;
    s->guard += st.nonfinite;
    if (st.peak_voices > s->peak_voices) s->peak_voices = st.peak_voices;
}

/* A new engine with the thread count given and every folder added so far, playing what played. */
static bool soak_engine(Soak *s, int threads)
{
    double cycle = s->ph ? phonon_cycle(s->ph) : 0, cps = s->ph ? phonon_cps(s->ph) : 0.5;
    soak_take_stats(s);
    phonon_free(s->ph);
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.max_block = s->o.block;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    cfg.sample_dirs = (const char *const *)s->fo.dir;
    s->ph = phonon_new(&cfg);
    if (!s->ph) return false;
    s->threads = threads;
    s->engines++;
    s->thread_counts_seen |= 1 << threads;
    if (s->playing) phonon_eval(s->ph, s->playing, "soak", NULL, 0);
    phonon_seek(s->ph, cycle);
    phonon_set_cps(s->ph, cps);
    return true;
}

/* One block: rendered, timed, checked. Returns the cycles it advanced (0 across a seek). */
static double soak_block(Soak *s)
{
    int n = s->o.block;
    double c0 = phonon_cycle(s->ph), t0 = soak_now();
    phonon_process(s->ph, NULL, s->out, n);
    double us = (soak_now() - t0) * 1e6;
    soak_time(&s->times, s->window, us);
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < n; i++)
            if (!isfinite(s->out[c][i])) s->nonfinite_out++;
    s->done += n;
    soak_poll(s);
    double d = phonon_cycle(s->ph) - c0;
    return d > 0 && d < 0.5 ? d : 0;
}

static void soak_eval_program(Soak *s, SoakSeg *g)
{
    if (s->o.verbose)
        fprintf(stderr, "-- soak: at %.1f s of audio, threads %d, RSS %.1f MB, heap %.1f MB, %s\n%s\n",
                (double)s->done / SOAK_SR, s->threads, soak_rss_mb(), soak_heap_mb(),
                g->kind == SRC_GENERATED ? "generated" : g->name, g->text);
    PhononError errs[4];
    int n = phonon_eval(s->ph, g->text, g->kind == SRC_GENERATED ? "generated" : g->name, errs, 4);
    s->swaps[g->kind]++;
    if (n == 0) {
        free(s->playing);
        s->playing = strdup(g->text);
    } else if (g->kind == SRC_GENERATED && s->gen_rejected++ < 3) {
        char line[1024];
        phonon_error_format(&errs[0], line, sizeof line);
        fprintf(stderr, "phonon soak: a generated program was refused: %s\n%s\n", line, g->text);
    }
    if (!phonon_wait_loaded(s->ph, 5)) s->wait_timeouts++;
}

/* A refused program must leave the playing one exactly as it was. */
static void soak_eval_broken(Soak *s, const char *text)
{
    static char before[1 << 16], after[1 << 16];
    phonon_program_text(s->ph, before, sizeof before);
    PhononError errs[4];
    int n = phonon_eval(s->ph, text, "broken", errs, 4);
    s->broken++;
    if (n == 0) {
        s->broken_accepted++;
        return;
    }
    phonon_program_text(s->ph, after, sizeof after);
    if (strcmp(before, after) != 0 || errs[0].line < 1 || errs[0].col < 1 || !errs[0].msg[0]) s->broken_changed++;
}

static void soak_action(Soak *s, SoakAction a, bool undo)
{
    switch (a) {
    case ACT_MUTE: phonon_mute(s->ph, "d1", !undo); break;
    case ACT_SOLO:
        if (undo) phonon_unsolo(s->ph);
        else phonon_solo(s->ph, "d2", true);
        break;
    case ACT_SEEK:
        if (!undo) phonon_seek(s->ph, phonon_cycle(s->ph) + 3.5);
        break;
    case ACT_RESET:
        if (!undo) phonon_reset(s->ph);
        break;
    case ACT_PAUSE:
        if (undo) phonon_start(s->ph);
        else phonon_stop(s->ph);
        break;
    default: return;
    }
    if (!undo) s->actions++;
}

static void soak_midway(Soak *s, SoakSeg *g)
{
    if (g->statement) {
        PhononError errs[2];
        s->statements++;
        if (phonon_eval_statements(s->ph, g->statement, "statement", errs, 2) != 0) s->statements_rejected++;
    }
    if (g->broken) soak_eval_broken(s, g->broken);
    soak_action(s, g->action, false);
}

/* Renders until no voice sounds, at most SOAK_RINGOUT_SECONDS of audio; returns the voices left. */
static int soak_ring(Soak *s, double *seconds)
{
    long frames = 0, limit = (long)(SOAK_RINGOUT_SECONDS * SOAK_SR);
    PhononStats st;
    do {
        soak_block(s);
        frames += s->o.block;
        phonon_stats(s->ph, &st);
    } while (st.voices > 0 && frames < limit);
    *seconds = frames / (double)SOAK_SR;
    return st.voices;
}

/* The clock stopped (and, with panic, hush and panic first): every voice must end within
 * SOAK_RINGOUT_SECONDS of audio, by itself or released. */
static void soak_ringout(Soak *s, bool panic)
{
    if (panic) {
        phonon_hush(s->ph);
        phonon_panic(s->ph);
    }
    phonon_stop(s->ph);
    double secs;
    int left = soak_ring(s, &secs);
    double *longest = panic ? &s->longest_panic : &s->longest_ringout;
    if (secs > *longest) *longest = secs;
    s->ringouts++;
    s->ringouts_panic += panic;
    if (left > 0) {
        s->ringout_fail++;
        fprintf(stderr, "phonon soak: %d voices still sound %.0f s after the clock stopped%s\n", left, secs,
                panic ? " and panic" : "");
        phonon_panic(s->ph);
        soak_ring(s, &secs);
    }
    phonon_unhush(s->ph);
    phonon_start(s->ph);
}

static bool soak_begin(Soak *s, SoakSeg *g)
{
    if (g->recreate && !soak_engine(s, g->threads)) return false;
    if (g->threads != s->threads) {                 /* the live way: program, clock and voices carry on */
        if (phonon_set_threads(s->ph, g->threads) != 0) {
            fprintf(stderr, "phonon soak: phonon_set_threads(%d) failed\n", g->threads);
            return false;
        }
        s->threads = g->threads;
        s->thread_changes++;
        s->thread_counts_seen |= 1 << g->threads;
    }
    if (g->add_folder && s->fo.n < SOAK_MAX_FOLDERS && soak_make_folder(&s->fo, s->fo.n, &s->rng)) {
        char err[256];
        if (phonon_add_samples(s->ph, s->fo.dir[s->fo.n], err, sizeof err) < 0)
            fprintf(stderr, "phonon soak: %s\n", err);
        s->kit.nfolders = ++s->fo.n;
    }
    soak_eval_program(s, g);
    return true;
}

/* Plays one segment until its cycles have passed, `limit` frames are done, or the run ends. */
static bool soak_segment(Soak *s, SoakSeg *g, long limit)
{
    if (!soak_begin(s, g)) return false;
    double cycles = 0, cps0 = 0;
    long frames = 0, paused = -1, cap = (long)(SOAK_SEG_MAX_SECONDS * SOAK_SR);
    bool halfway = false, tempo_set = false;
    while (cycles < g->cycles && frames < cap && s->done < limit) {
        cycles += soak_block(s);
        frames += s->o.block;
        if (g->cps > 0 && !tempo_set) {
            cps0 = phonon_cps(s->ph);
            tempo_set = true;
            s->tempo_changes++;
            s->ramps += g->ramp;
            if (!g->ramp) phonon_set_cps(s->ph, g->cps);
        }
        if (g->ramp) phonon_set_cps(s->ph, cps0 + (g->cps - cps0) * fmin(1, 2 * cycles / g->cycles));
        if (!halfway && (cycles >= g->cycles / 2 || frames >= cap / 2)) {
            halfway = true;
            soak_midway(s, g);
            paused = frames;
        }
        if (g->action == ACT_PAUSE && paused >= 0 && frames >= paused + SOAK_SR) {   /* a second of stopped clock */
            soak_action(s, ACT_PAUSE, true);
            paused = -1;
        }
    }
    soak_action(s, g->action, true);
    if (g->ringout && s->done < limit) soak_ringout(s, g->ringout == 1);
    return true;
}

/* ---------------------------------------------------------------------------------------------
 * the run and the report */

static bool soak_setup(Soak *s)
{
    s->rng.s = s->o.seed;
    s->rss_start = soak_rss_mb();
    snprintf(s->fo.tmp, sizeof s->fo.tmp, "%s/phonon-soak-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(s->fo.tmp)) {
        fprintf(stderr, "phonon soak: %s: %s\n", s->fo.tmp, strerror(errno));
        s->fo.tmp[0] = 0;
        return false;
    }
    s->total = (long)(s->o.minutes * 60 * SOAK_SR);
    s->times.cap = s->total / 10 / s->o.block + 16;
    for (int w = 0; w < 2; w++) {
        s->times.win[w] = calloc((size_t)s->times.cap, sizeof(float));
        s->out[w] = calloc((size_t)s->o.block, sizeof(float));
        if (!s->times.win[w] || !s->out[w]) return false;
        memset(s->times.win[w], 0, (size_t)s->times.cap * sizeof(float));   /* resident before the baseline */
    }
    if (!soak_engine(s, 1)) return false;
    soak_load_sources(&s->src, s->ph, s->o.root);
    return true;
}

/* Every built-in sound with n 0..15, so that their renders (cached by the engine for good) are made
 * before the memory baseline; on orbits 0 and 1, which the first program naming one makes for good too. */
static void soak_warm_up(Soak *s)
{
    static const char *const prog = "~warm $ s \"{bd sn hh cp oh lt mt ht cb rs cr sd arpy drum 808bd 808sd 808hc "
                                     "808oh 808ht 808mt 808lt 808cy}%22\" # n \"<0 .. 15>\" # gain 0.3 # orbit \"0 1\"\n";
    phonon_eval(s->ph, prog, "warm-up", NULL, 0);
    phonon_set_cps(s->ph, 4);
    double cycles = 0;
    for (long frames = 0; cycles < 16.5 && frames < 30 * SOAK_SR; frames += s->o.block) cycles += soak_block(s);
    phonon_wait_loaded(s->ph, 10);
}

/* Plays segments planned on the fly until `limit`; with keep, the segments are returned (for replay). */
static SoakSeg *soak_run_planned(Soak *s, long limit, long *index, bool keep, bool *ok)
{
    SoakSeg *head = NULL, **tail = &head;
    while (s->done < limit && *ok) {
        SoakSeg *g = soak_plan(s, (*index)++);
        if (!g || !soak_segment(s, g, limit)) *ok = false;
        if (keep && g) {
            *tail = g;
            tail = &g->next;
        } else {
            soak_seg_free(g);
        }
    }
    return head;
}

static bool soak_run(Soak *s)
{
    bool ok = true;
    long index = 0;
    double t0 = soak_now();
    s->window = 0;
    soak_warm_up(s);
    SoakSeg *first = soak_run_planned(s, s->total / 10, &index, true, &ok);
    s->rss_warm = soak_rss_mb();
    s->window = -1;
    SoakSeg *mid = soak_run_planned(s, s->total - s->total / 10, &index, false, &ok);
    soak_seg_free(mid);
    s->window = 1;
    for (SoakSeg *g = first; ok && s->done < s->total; g = g->next) {
        if (!g) {          /* the first tenth's script is shorter than the rest of the run: plan more */
            soak_seg_free(soak_run_planned(s, s->total, &index, false, &ok));
            break;
        }
        ok = soak_segment(s, g, s->total);
    }
    soak_ringout(s, false);
    soak_ringout(s, true);
    soak_seg_free(first);
    s->wall = soak_now() - t0;
    s->rss_end = soak_rss_mb();
    soak_take_stats(s);
    return ok;
}

typedef struct SoakCheck {
    int pass, fail;
} SoakCheck;

static void soak_check(SoakCheck *c, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void soak_check(SoakCheck *c, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s - ", ok ? "ok" : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (ok) c->pass++;
    else c->fail++;
}

static void soak_checks(Soak *s, SoakCheck *c)
{
    soak_check(c, s->nonfinite_out == 0, "no NaN or Inf in %ld frames of output (%ld non-finite samples)",
               s->done, s->nonfinite_out);
    soak_check(c, s->guard == 0, "no signal went non-finite inside the engine (its output guard replaced %ld)",
               s->guard);
    /* P99, not the max, is compared: a slowdown that lasts moves the P99, while a single long block is
       as likely the host taking the core (with two cores shared) as the engine; the max is reported */
    double p99[2], max[2];
    for (int w = 0; w < 2; w++) soak_window_stats(&s->times, w, &p99[w], &max[w]);
    bool p99_ok = p99[1] <= SOAK_P99_RATIO * p99[0] + SOAK_P99_SLACK_US;
    soak_check(c, p99_ok && s->times.nwin[1] > 0,
               "block time flat: P99 %.1f us in the first tenth, %.1f us in the last; max %.1f us, %.1f us",
               p99[0], p99[1], max[0], max[1]);
    double limit = SOAK_RSS_SLACK_MB + (double)s->fo.bytes / (1024.0 * 1024.0);
    if (SOAK_ASAN)
        soak_check(c, true, "RSS not compared under AddressSanitizer (its quarantine holds freed memory): "
                            "%.1f MB after warm-up, %.1f MB at the end", s->rss_warm, s->rss_end);
    else
        soak_check(c, s->rss_end - s->rss_warm <= limit,
                   "RSS flat: %.1f MB after warm-up, %.1f MB at the end (%+.1f MB, at most %+.1f MB)", s->rss_warm,
                   s->rss_end, s->rss_end - s->rss_warm, limit);
    soak_check(c, s->ringout_fail == 0 && s->ringouts_panic > 0 && s->ringouts > s->ringouts_panic,
               "no leaked voices: back to 0 in %ld of %ld ring-outs (clock stopped: %ld, longest %.2f s of audio; "
               "hush+panic: %ld, longest %.2f s)",
               s->ringouts - s->ringout_fail, s->ringouts, s->ringouts - s->ringouts_panic, s->longest_ringout,
               s->ringouts_panic, s->longest_panic);
    soak_check(c, s->gen_rejected == 0, "every generated program compiles (%ld refused of %ld)", s->gen_rejected,
               s->swaps[SRC_GENERATED]);
    soak_check(c, s->broken_changed == 0 && s->broken_accepted == 0,
               "broken programs are refused with file:line:col and the playing program is untouched (%ld of %ld)",
               s->broken - s->broken_changed - s->broken_accepted, s->broken);
}

static void soak_report(const Soak *s)
{
    double hours = (double)s->done / SOAK_SR / 3600.0;
    printf("report:\n");
    printf("  audio rendered   %.3f hours (%.1f s) in %.1f s of wall time: %.1fx real time\n", hours,
           hours * 3600, s->wall, hours * 3600 / (s->wall > 0 ? s->wall : 1));
    printf("  RSS              %.1f MB at start, %.1f MB after warm-up (first tenth), %.1f MB at the end\n",
           s->rss_start, s->rss_warm, s->rss_end);
    printf("  block time       %d frames, mean %.1f us, P99 %.1f us, max %.1f us (real-time budget %.1f us)\n",
           s->o.block, s->times.n ? s->times.sum / (double)s->times.n : 0, soak_hist_p99(&s->times), s->times.max,
           s->o.block * 1e6 / SOAK_SR);
    printf("  programs swapped %ld (examples %ld, documentation %ld, generated %ld); fixed programs known: "
           "%d examples, %d of %d documentation blocks\n",
           s->swaps[0] + s->swaps[1] + s->swaps[2], s->swaps[0], s->swaps[1], s->swaps[2], s->src.nexamples,
           s->src.ndocs, s->src.nblocks);
    printf("  statements       %ld replaced (%ld refused), %ld broken programs refused, %ld controls "
           "(mute, solo, seek, reset, stop)\n",
           s->statements, s->statements_rejected, s->broken - s->broken_accepted, s->actions);
    printf("  tempo            %ld changes (%ld ramps)\n", s->tempo_changes, s->ramps);
    printf("  engines          %ld created (phonon_free + phonon_new, as Pd recreates an object); thread count "
           "changed %ld times live by phonon_set_threads (threads:%s%s)\n",
           s->engines, s->thread_changes, s->thread_counts_seen & 2 ? " 1" : "", s->thread_counts_seen & 4 ? " 2" : "");
    printf("  sample folders   %d added (%.2f MB decoded)%s\n", s->fo.n, (double)s->fo.bytes / (1024.0 * 1024.0),
           s->wait_timeouts ? ", some loads took over 5 s" : "");
    printf("  voices           peak %d, started %ld, stolen %ld, dropped %ld, late %ld; %ld ring-outs\n",
           s->peak_voices, s->started, s->stolen, s->dropped, s->late, s->ringouts);
    printf("  messages         %ld warnings, %ld errors while playing\n", s->warnings, s->errors);
}

static void soak_free(Soak *s)
{
    phonon_free(s->ph);
    s->ph = NULL;
    for (int i = 0; i < s->src.n; i++) free(s->src.text[i]);
    for (int w = 0; w < 2; w++) {
        free(s->times.win[w]);
        free(s->out[w]);
    }
    free(s->playing);
    soak_text_free(&s->gen);
    soak_folders_free(&s->fo);
}

static int soak_print(const SoakOpts *o)
{
    SoakRng r = { o->seed };
    SoakKit kit = { SOAK_MAX_FOLDERS };
    SoakText t = { 0 };
    for (long i = 0; i < o->print; i++) {
        soak_gen_program(&r, &kit, &t);
        fputs(t.s ? t.s : "", stdout);
    }
    soak_text_free(&t);
    return 0;
}

int soak_main(int argc, char **argv)
{
    SoakOpts o;
    if (soak_parse(argc, argv, &o) < 0) return soak_usage();
    if (o.print > 0) return soak_print(&o);
    Soak *s = calloc(1, sizeof *s);
    if (!s) return 1;
    s->o = o;
    printf("phonon soak: %g minutes of audio, seed %llu, %d-frame blocks at %d Hz\n", o.minutes,
           (unsigned long long)o.seed, o.block, SOAK_SR);
    fflush(stdout);
    bool ok = soak_setup(s) && soak_run(s);
    SoakCheck c = { 0, 0 };
    if (!ok) soak_check(&c, false, "the soak ran to the end (out of memory or a temporary directory failed)");
    soak_checks(s, &c);
    soak_report(s);
    printf("%d passed, %d failed\n", c.pass, c.fail);
    soak_free(s);
    free(s);
    return c.fail ? 1 : 0;
}
