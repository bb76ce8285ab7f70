/* test_bank.c — sample banks: scanning, sort and index rules, root priority, decoding of every
 * format we promise, failures, the loader and its lock-free publication. Every sound file is
 * generated here with libsndfile in a temporary folder. */
#define _XOPEN_SOURCE 700   /* nftw; not _GNU_SOURCE: engine/sched.h shadows <sched.h> under -Iengine */
#define _DEFAULT_SOURCE
#include "bank.h"
#include "builtin.h"
#include "test.h"

#include <ftw.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[256];

/* ---- helpers ------------------------------------------------------------------------------- */

static const char *at(const char *rel)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, rel);
    return buf[k];
}

static void mkdirs(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    for (char *s = p + strlen(tmp) + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

static void write_bytes(const char *rel, const char *bytes, size_t n)
{
    FILE *f = fopen(at(rel), "wb");
    if (f) {
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
}

/* The value written at frame i of channel c: a fixed pseudo-random 16-bit pattern, so mistakes
 * in channel order, offsets or scaling all show. */
static short pattern16(int i, int c)
{
    uint32_t x = (uint32_t)(i * 2654435761u) ^ (uint32_t)(c * 40503u + 17u);
    x ^= x >> 15;
    return (short)(x & 0xffff);
}

/* Write frames of pattern16 (scaled to the format) with libsndfile; returns false on failure. */
static bool write_sound(const char *rel, int format, int rate, int channels, int frames)
{
    SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
    SNDFILE *sf = sf_open(at(rel), SFM_WRITE, &info);
    if (!sf)
        return false;
    int sub = format & SF_FORMAT_SUBMASK;
    sf_count_t w = 0;
    if (sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE) {
        float *buf = malloc(sizeof(float) * (size_t)frames * (size_t)channels);
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                buf[i * channels + c] = pattern16(i, c) / 32768.0f * 0.75f;
        w = sf_writef_float(sf, buf, frames);
        free(buf);
    } else if (sub == SF_FORMAT_PCM_24 || sub == SF_FORMAT_PCM_32) {
        int *buf = malloc(sizeof(int) * (size_t)frames * (size_t)channels);
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                buf[i * channels + c] = (int)pattern16(i, c) * 65536 + (i & 0xff) * 256;
        w = sf_writef_int(sf, buf, frames);
        free(buf);
    } else {
        short *buf = malloc(sizeof(short) * (size_t)frames * (size_t)channels);
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                buf[i * channels + c] = sub == SF_FORMAT_PCM_U8 || sub == SF_FORMAT_PCM_S8
                                          ? (short)(pattern16(i, c) & ~0xff) : pattern16(i, c);
        w = sf_writef_short(sf, buf, frames);
        free(buf);
    }
    sf_close(sf);
    return w == frames;
}

static bool write_short_file(const char *rel, int frames)
{
    return write_sound(rel, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, frames);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(p);
}

static const char *base(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

typedef struct LogBox {
    pthread_mutex_t mu;
    int count;
    char last[1024];
    char all[8192];
} LogBox;

static void log_cb(void *ud, const char *msg)
{
    LogBox *l = ud;
    pthread_mutex_lock(&l->mu);
    l->count++;
    snprintf(l->last, sizeof l->last, "%s", msg);
    strncat(l->all, msg, sizeof l->all - strlen(l->all) - 2);
    strcat(l->all, "\n");
    pthread_mutex_unlock(&l->mu);
}

/* The loader thread writes the box: read it under its mutex. */
static int log_count(LogBox *lb)
{
    pthread_mutex_lock(&lb->mu);
    int n = lb->count;
    pthread_mutex_unlock(&lb->mu);
    return n;
}

static Bank *quiet_bank(LogBox *lb)
{
    Bank *b = bank_new(44100, lb ? log_cb : NULL, lb);
    bank_set_use_system(b, false);
    return b;
}

/* ---- decoding --------------------------------------------------------------------------------- */

typedef struct Fmt {
    const char *file;
    int format, rate, channels, frames;
    double tol;             /* largest allowed error against pattern16 / 32768 */
    double scale;           /* what the writer scaled pattern16 by */
} Fmt;

static const Fmt fmts[] = {
    { "a_pcm16_mono.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 1000, 0, 1 },
    { "b_pcm8_mono_22k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 22050, 1, 700, 0, 1 },
    { "c_pcm24_stereo_48k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 2, 1500, 1.0 / (1 << 23), 1 },
    { "d_float_stereo.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, 1200, 0, 0.75 },
    { "e_upper.WAV", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 900, 0, 1 },
    { "f_aiff.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 22050, 2, 800, 0, 1 },
    { "g_flac.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 1, 5000, 0, 1 },
    { "h_double.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 44100, 1, 600, 1e-7, 0.75 },
    { "i_pcm32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 44100, 1, 600, 1.0 / (1 << 23), 1 },
    { "j_three_channels.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 3, 400, 0, 1 },
    { "k_aif.aif", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 44100, 1, 300, 1.0 / (1 << 23), 1 },
};
#define NFMTS ((int)(sizeof fmts / sizeof fmts[0]))

static double expected(const Fmt *f, int i, int c)
{
    int sub = f->format & SF_FORMAT_SUBMASK;
    if (sub == SF_FORMAT_PCM_U8)
        return (pattern16(i, c) & ~0xff) / 32768.0;
    if (sub == SF_FORMAT_PCM_24 || sub == SF_FORMAT_PCM_32)    /* the writer's int: pattern * 65536 + low bits */
        return ((double)pattern16(i, c) * 65536 + (i & 0xff) * 256) / 2147483648.0;
    return pattern16(i, c) / 32768.0 * f->scale;
}

static void check_sample(const Fmt *f, const Sample *s)
{
    char name[128];
    snprintf(name, sizeof name, "%s decoded", f->file);
    CHECK(s != NULL, name);
    if (!s)
        return;
    snprintf(name, sizeof name, "%s frames", f->file);
    CHECK_INT(s->frames, f->frames, name);
    snprintf(name, sizeof name, "%s channels", f->file);
    CHECK_INT(s->channels, f->channels > 2 ? 2 : f->channels, name);
    snprintf(name, sizeof name, "%s rate", f->file);
    CHECK_NEAR(s->rate, f->rate, 0, name);
    snprintf(name, sizeof name, "%s path", f->file);
    CHECK_STR(base(s->path), f->file, name);
    if (s->channels == 1) {
        snprintf(name, sizeof name, "%s mono: ch[1] is ch[0]", f->file);
        CHECK(s->ch[1] == s->ch[0], name);
    }
    double worst = 0, peak = 0;
    int pads_zero = 1;
    for (int c = 0; c < s->channels; c++) {
        for (int i = 0; i < s->frames; i++) {
            worst = fmax(worst, fabs(s->ch[c][i] - expected(f, i, c)));
            peak = fmax(peak, fabs(s->ch[c][i]));
        }
        for (int k = 1; k <= BANK_PAD; k++)
            pads_zero &= s->ch[c][-k] == 0.0f && s->ch[c][s->frames - 1 + k] == 0.0f;
    }
    snprintf(name, sizeof name, "%s values (%s)", f->file, f->tol == 0 ? "exact" : "within quantisation");
    CHECK(worst <= f->tol + 1e-9, name, "worst error %g, allowed %g", worst, f->tol);
    snprintf(name, sizeof name, "%s zero pads", f->file);
    CHECK(pads_zero, name);
    snprintf(name, sizeof name, "%s peak", f->file);
    CHECK_NEAR(s->peak, peak, 1e-7, name);
}

static void test_formats(void)
{
    mkdirs("fmt/forms");
    int written = 0;
    for (int i = 0; i < NFMTS; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "fmt/forms/%s", fmts[i].file);
        written += write_sound(rel, fmts[i].format, fmts[i].rate, fmts[i].channels, fmts[i].frames);
    }
    CHECK_INT(written, NFMTS, "every format written by libsndfile");

    Bank *b = quiet_bank(NULL);
    char err[256] = "";
    CHECK_INT(bank_add_root(b, at("fmt"), err, sizeof err), 1, "format root: one sound");
    const BankSound *s = bank_find(b, "forms");
    CHECK(s != NULL, "format sound found by folder name");
    if (!s) {
        bank_free(b);
        return;
    }
    CHECK_INT(banksound_count(s), NFMTS, "every format listed");
    CHECK(banksound_get(s, 0) == NULL, "nothing decoded before a request");
    bank_request(b, s);
    CHECK(bank_wait(b, 30), "bank_wait returns true once decoded");
    for (int i = 0; i < NFMTS; i++)
        check_sample(&fmts[i], banksound_get(s, i));
    BankStats st;
    bank_stats(b, &st);
    CHECK_INT(st.loaded, NFMTS, "stats: loaded");
    CHECK_INT(st.pending, 0, "stats: none pending");
    CHECK(st.bytes > 5000 * sizeof(float), "stats: decoded bytes counted");
    CHECK(!banksound_is_builtin(s), "a folder is not built-in");
    CHECK_STR(banksound_kind(s), "samples", "kind of a folder sound");
    bank_free(b);
}

/* ---- listing, sort and index ---------------------------------------------------------------------- */

static void test_sort_and_index(void)
{
    const char *files[] = { "hand11-mono.wav", "hand1-mono.wav", "apple.wav", "Zed.wav", "_under.wav", "0num.wav" };
    mkdirs("sort/hand/nested");
    for (int i = 0; i < 6; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "sort/hand/%s", files[i]);
        write_short_file(rel, 64);
    }
    write_short_file("sort/hand/.hidden.wav", 64);
    write_short_file("sort/hand/nested/deep.wav", 64);
    write_short_file("sort/hand/song.ogg", 64);
    write_bytes("sort/hand/readme.txt", "hello", 5);
    mkdirs("sort/.git");
    write_short_file("sort/.git/x.wav", 64);
    mkdirs("sort/empty");

    Bank *b = quiet_bank(NULL);
    char err[256];
    CHECK_INT(bank_add_root(b, at("sort"), err, sizeof err), 1, "sort root: one sound (dot and empty folders skipped)");
    CHECK(bank_find(b, ".git") == NULL, "a dot-folder is no sound");
    CHECK(bank_find(b, "empty") == NULL, "an empty folder is no sound");
    const BankSound *s = bank_find(b, "hand");
    CHECK(s && banksound_count(s) == 6, "dot-files, sub-folders and other extensions skipped");
    if (!s) {
        bank_free(b);
        return;
    }
    const char *order[] = { "0num.wav", "Zed.wav", "_under.wav", "apple.wav", "hand1-mono.wav", "hand11-mono.wav" };
    for (int i = 0; i < 6; i++)
        CHECK_STR(base(banksound_path(s, i)), order[i], "bytewise order (digits, upper, _, lower; hand1 before hand11)");

    CHECK_STR(base(banksound_path(s, 3.7)), "apple.wav", "n 3.7 truncates to 3");
    CHECK_STR(base(banksound_path(s, -0.5)), "0num.wav", "n -0.5 truncates to 0");
    CHECK_STR(base(banksound_path(s, -1)), "hand11-mono.wav", "n -1 is the last");
    CHECK_STR(base(banksound_path(s, -7)), "hand11-mono.wav", "n -7 of 6 wraps to the last");
    CHECK_STR(base(banksound_path(s, 6)), "0num.wav", "n 6 of 6 wraps to 0");
    CHECK_STR(base(banksound_path(s, 14.9)), "_under.wav", "n 14.9 of 6 is 2");
    CHECK_STR(base(banksound_path(s, NAN)), "0num.wav", "NaN picks 0");
    CHECK(banksound_path(s, 1e300) != NULL, "huge n still picks a file");
    bank_request(b, s);
    bank_wait(b, 30);
    CHECK(banksound_get(s, 4.2) == banksound_get(s, 4), "get truncates like path");
    CHECK(banksound_get(s, -2) == banksound_get(s, 4), "get wraps negatives like path");
    CHECK(banksound_get(s, 1e300) != NULL && banksound_get(s, -INFINITY) == banksound_get(s, 0), "get with extreme n");
    bank_free(b);

    /* n 10 of 4 -> 2, in a four-file bank */
    mkdirs("four/four");
    for (int i = 0; i < 4; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "four/four/%d.wav", i);
        write_short_file(rel, 32);
    }
    b = quiet_bank(NULL);
    bank_add_root(b, at("four"), err, sizeof err);
    s = bank_find(b, "four");
    CHECK(s && strcmp(base(banksound_path(s, 10)), "2.wav") == 0, "n 10 of 4 is 2");
    CHECK(s && strcmp(base(banksound_path(s, -1)), "3.wav") == 0, "n -1 of 4 is 3");
    bank_free(b);
}

/* ---- roots ------------------------------------------------------------------------------------------ */

static void test_roots(void)
{
    mkdirs("r1/bd");
    mkdirs("r2/bd");
    mkdirs("r2/sn");
    write_short_file("r1/bd/b.wav", 10);
    write_short_file("r1/bd/c.wav", 10);
    write_short_file("r2/bd/a.wav", 10);
    write_short_file("r2/bd/d.wav", 10);
    write_short_file("r2/bd/e.wav", 10);
    write_short_file("r2/sn/x.wav", 10);

    Bank *b = quiet_bank(NULL);
    char err[256];
    CHECK_INT(bank_add_root(b, at("r1"), err, sizeof err), 1, "first root: bd");
    CHECK_INT(bank_add_root(b, at("r2"), err, sizeof err), 2, "second root: bd and sn");
    const BankSound *bd = bank_find(b, "bd");
    CHECK(bd && banksound_count(bd) == 5, "bd appended across roots");
    const char *order[] = { "b.wav", "c.wav", "a.wav", "d.wav", "e.wav" };
    for (int i = 0; bd && i < 5; i++)
        CHECK_STR(base(banksound_path(bd, i)), order[i], "earlier root's files first, each root sorted");
    CHECK_INT(bank_add_root(b, at("r1"), err, sizeof err), 1, "the same root again adds nothing, gives its count");
    CHECK_INT(bank_add_root(b, at("r2/../r1/"), err, sizeof err), 1, "the same root by another path: the same");
    CHECK(bd && banksound_count(bd) == 5, "bd unchanged by the repeat");

    err[0] = 0;
    CHECK_INT(bank_add_root(b, at("nope"), err, sizeof err), -1, "a missing root is an error");
    CHECK(strstr(err, "nope") != NULL, "the error names the folder", "err: %s", err);
    CHECK_INT(bank_add_root(b, at("r1/bd/b.wav"), err, sizeof err), -1, "a file is not a root");

    /* A folder holding files directly is one sound named after it; loose files next to sound
     * folders are ignored. */
    mkdirs("flat/mykit");
    write_short_file("flat/mykit/k1.wav", 10);
    write_short_file("flat/mykit/k2.flac", 10);
    CHECK_INT(bank_add_root(b, at("flat/mykit"), err, sizeof err), 1, "a flat folder is one sound");
    const BankSound *kit = bank_find(b, "mykit");
    CHECK(kit && banksound_count(kit) == 2, "flat folder sound named after the folder");
    mkdirs("mixed/tom");
    write_short_file("mixed/tom/t.wav", 10);
    write_short_file("mixed/loose.wav", 10);
    CHECK_INT(bank_add_root(b, at("mixed"), err, sizeof err), 1, "sub-folders win over loose files");
    CHECK(bank_find(b, "mixed") == NULL, "no sound for the loose files");

    mkdirs("void/nothing");
    CHECK_INT(bank_add_root(b, at("void"), err, sizeof err), 0, "a root without sound files adds nothing");
    write_short_file("void/nothing/late.wav", 10);
    CHECK_INT(bank_add_root(b, at("void"), err, sizeof err), 1, "and can be added once it has some");

    BankStats st;
    bank_stats(b, &st);
    CHECK_INT(st.sounds, 5, "sounds: bd sn mykit tom nothing");
    CHECK_INT(st.files, 10, "files counted over the sounds");
    CHECK_INT(st.loaded, 0, "nothing decoded without requests");
    bank_free(b);
}

typedef struct ListBox {
    char names[32][32];
    int n;
} ListBox;

static void list_cb(void *ud, const BankSound *s)
{
    ListBox *lb = ud;
    if (lb->n < 32)
        snprintf(lb->names[lb->n++], 32, "%s", banksound_name(s));
}

/* Built-ins and the sonic-pi set are fallbacks: folders replace them, they never append. */
static void test_fallbacks(void)
{
    mkdirs("spi");
    const char *spi[] = { "bd_fat.flac", "bd_808.flac", "sn_dub.flac", "drum_snare_hard.flac",
                          "drum_cymbal_closed.flac", "elec_snare.flac", "ambi_choir.flac" };
    for (int i = 0; i < 7; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "spi/%s", spi[i]);
        write_sound(rel, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 1, 100);
    }
    write_bytes("spi/README.md", "x", 1);
    mkdirs("mine/sn");
    write_short_file("mine/sn/mysnare.wav", 10);
    mkdirs("late/bd");
    write_short_file("late/bd/mykick.wav", 10);

    Bank *b = quiet_bank(NULL);
    char err[256];
    bank_add_root(b, at("mine"), err, sizeof err);
    bank_add_defaults(b);
    int before = builtin_count();
    BankStats st;
    bank_stats(b, &st);
    CHECK_INT(st.sounds, before, "defaults without the system: the built-ins (sn already there)");
    const BankSound *bd = bank_find(b, "bd"), *sn = bank_find(b, "sn");
    CHECK(bd && banksound_is_builtin(bd), "bd is built-in");
    CHECK(bd && banksound_count(bd) == builtin_variants(builtin_find("bd")), "bd has the built-in variants");
    CHECK(sn && !banksound_is_builtin(sn) && banksound_count(sn) == 1, "a folder's sn is not mixed with built-ins");
    bank_add_defaults(b);
    bank_stats(b, &st);
    CHECK_INT(st.sounds, before, "bank_add_defaults twice changes nothing");

    CHECK_INT(bank_add_sonicpi(b, at("spi")), 6, "sonic-pi set: bd 808bd sd hh hc drum; sn stays the folder's");
    CHECK(bd && strcmp(banksound_kind(bd), "sonic-pi") == 0, "bd now from sonic-pi");
    CHECK(bd && banksound_count(bd) == 2, "bd: bd_* files only");
    CHECK(bd && strcmp(base(banksound_path(bd, 0)), "bd_808.flac") == 0, "sonic-pi files sorted bytewise");
    CHECK(sn && banksound_count(sn) == 1 && strcmp(banksound_kind(sn), "samples") == 0,
          "a folder sound is not replaced by sonic-pi");
    const BankSound *hh = bank_find(b, "hh"), *bd8 = bank_find(b, "808bd"), *cp = bank_find(b, "cp");
    CHECK(hh && banksound_count(hh) == 1 && strcmp(base(banksound_path(hh, 0)), "drum_cymbal_closed.flac") == 0,
          "hh aliased to drum_cymbal_closed");
    CHECK(bd8 && banksound_count(bd8) == 1 && strcmp(banksound_kind(bd8), "sonic-pi") == 0, "808bd aliased to bd_808");
    CHECK(cp && banksound_is_builtin(cp), "cp stays built-in (no clap in sonic-pi)");

    /* A root added later replaces a fallback; a requested sound gets its new files queued. */
    bank_request(b, bd);
    CHECK(bank_wait(b, 30), "sonic-pi bd decoded");
    CHECK(banksound_get(bd, 0) && banksound_get(bd, 0)->frames == 100, "sonic-pi flac decoded");
    const Sample *old = banksound_get(bd, 0);
    CHECK_INT(bank_add_root(b, at("late"), err, sizeof err), 1, "late root");
    CHECK(banksound_count(bd) == 1 && strcmp(banksound_kind(bd), "samples") == 0, "late root replaces the fallback bd");
    CHECK(bank_wait(b, 30), "the replacement was queued because bd was requested");
    CHECK(banksound_get(bd, 0) && strcmp(base(banksound_get(bd, 0)->path), "mykick.wav") == 0, "new bd playing");
    CHECK(old && old->frames == 100, "the replaced sample stays valid for voices still playing it");

    ListBox lb = { .n = 0 };
    bank_list(b, list_cb, &lb);
    bank_stats(b, &st);
    CHECK_INT(lb.n, st.sounds, "bank_list visits every sound");
    int sorted = 1;
    for (int i = 1; i < lb.n; i++)
        sorted &= strcmp(lb.names[i - 1], lb.names[i]) < 0;
    CHECK(sorted, "bank_list in name order");
    bank_free(b);
}

/* With the system allowed: $PHONON_SAMPLE_PATH is read, a bad entry is logged (by the loader thread). */
static void test_env_path(void)
{
    mkdirs("env/envsound");
    write_short_file("env/envsound/e.wav", 10);
    mkdirs("home");
    char path[1200];
    snprintf(path, sizeof path, "%s::%s", at("env"), at("missing"));
    setenv("PHONON_SAMPLE_PATH", path, 1);
    setenv("HOME", at("home"), 1);      /* no Dirt-Samples of the machine's user */
    unsetenv("XDG_DATA_HOME");

    LogBox lb = { .mu = PTHREAD_MUTEX_INITIALIZER };
    Bank *b = bank_new(44100, log_cb, &lb);
    bank_set_use_system(b, false);
    bank_add_defaults(b);
    CHECK(bank_find(b, "envsound") == NULL, "use_system off: PHONON_SAMPLE_PATH ignored");
    bank_free(b);

    b = bank_new(44100, log_cb, &lb);
    bank_add_defaults(b);
    const BankSound *e = bank_find(b, "envsound");
    CHECK(e && banksound_count(e) == 1, "PHONON_SAMPLE_PATH root used");
    if (access("/usr/share/sonic-pi/samples/bd_haus.flac", R_OK) == 0) {
        const BankSound *bd = bank_find(b, "bd");
        CHECK(bd && strcmp(banksound_kind(bd), "sonic-pi") == 0, "installed sonic-pi-samples give bd");
    }
    CHECK(bank_find(b, "808ht") && banksound_is_builtin(bank_find(b, "808ht")), "built-ins still come last");
    bank_wait(b, 5);
    for (int i = 0; i < 100 && log_count(&lb) == 0; i++)
        usleep(10000);  /* the message goes through the loader thread */
    pthread_mutex_lock(&lb.mu);
    CHECK(lb.count == 1 && strstr(lb.last, "missing") != NULL, "bad PHONON_SAMPLE_PATH entry logged once",
          "%d messages: %s", lb.count, lb.all);
    pthread_mutex_unlock(&lb.mu);
    bank_free(b);
    unsetenv("PHONON_SAMPLE_PATH");
}

/* ---- failures and waiting ------------------------------------------------------------------------------ */

static void test_failures(void)
{
    mkdirs("bad/bad");
    write_short_file("bad/bad/0good.wav", 50);
    write_bytes("bad/bad/1corrupt.wav", "RIFF\x10\0\0\0WAVEjunkjunkjunk", 20);
    write_bytes("bad/bad/2empty.wav", "", 0);
    write_short_file("bad/bad/3good.wav", 60);

    LogBox lb = { .mu = PTHREAD_MUTEX_INITIALIZER };
    Bank *b = quiet_bank(&lb);
    char err[256];
    bank_add_root(b, at("bad"), err, sizeof err);
    const BankSound *s = bank_find(b, "bad");
    CHECK(s && banksound_count(s) == 4, "corrupt files are listed (scanning reads no file)");
    if (!s) {
        bank_free(b);
        return;
    }
    bank_request(b, s);
    CHECK(bank_wait(b, 30), "wait ends with failures too");
    bank_request(b, s);     /* again: nothing is decoded or reported twice */
    bank_wait(b, 30);
    CHECK(banksound_get(s, 0) && banksound_get(s, 0)->frames == 50, "good file decoded");
    CHECK(banksound_get(s, 1) == NULL, "corrupt file stays NULL");
    CHECK(banksound_get(s, 2) == NULL, "empty file stays NULL");
    CHECK(banksound_get(s, 3) && banksound_get(s, 3)->frames == 60, "the file after the bad ones decoded");
    pthread_mutex_lock(&lb.mu);
    CHECK_INT(lb.count, 2, "each bad file reported once");
    CHECK(strstr(lb.all, "1corrupt.wav") && strstr(lb.all, "2empty.wav"), "reports name the files", "%s", lb.all);
    pthread_mutex_unlock(&lb.mu);
    BankStats st;
    bank_stats(b, &st);
    CHECK_INT(st.failed, 2, "stats: failed");
    CHECK_INT(st.loaded, 2, "stats: loaded");
    bank_free(b);
}

static void test_wait(void)
{
    mkdirs("big/big");
    for (int i = 0; i < 6; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "big/big/%d.flac", i);
        write_sound(rel, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 44100 * 3);
    }
    Bank *b = quiet_bank(NULL);
    char err[256];
    bank_add_root(b, at("big"), err, sizeof err);
    CHECK(bank_wait(b, 0), "nothing requested: wait is done at once");
    const BankSound *s = bank_find(b, "big");
    bank_request(b, s);
    bank_request(b, s);
    BankStats st;
    bank_stats(b, &st);
    CHECK(st.pending + st.loaded == 6, "every file queued once", "pending %d loaded %d", st.pending, st.loaded);
    CHECK(bank_wait(b, -1), "waiting without a limit");
    int all = 1;
    for (int i = 0; i < 6; i++)
        all &= banksound_get(s, i) && banksound_get(s, i)->frames == 44100 * 3;
    CHECK(all, "every file there after bank_wait");
    bank_stats(b, &st);
    CHECK_INT(st.pending, 0, "nothing pending after wait");

    /* Freeing with work still queued joins the loader and leaks nothing. */
    Bank *b2 = quiet_bank(NULL);
    bank_add_root(b2, at("big"), err, sizeof err);
    bank_request(b2, bank_find(b2, "big"));
    bank_free(b2);
    bank_free(b);
}

/* ---- the lock-free read path (run this test under TSan too) -------------------------------------------- */

typedef struct Reader {
    Bank *b;
    const BankSound *s[3];
    atomic_int stop;
    long reads, seen;
    double sum;
} Reader;

static void *reader_main(void *arg)
{
    Reader *r = arg;
    while (!atomic_load(&r->stop)) {
        for (int k = 0; k < 3; k++)
            for (int n = -3; n < 8; n++) {
                const Sample *smp = banksound_get(r->s[k], n);
                r->reads++;
                if (smp) {      /* touch what the loader wrote: header and both ends of the data */
                    r->seen++;
                    r->sum += smp->ch[0][0] + smp->ch[1][smp->frames - 1] + smp->peak + smp->rate;
                }
            }
    }
    return NULL;
}

static void test_concurrent_reads(void)
{
    mkdirs("conc/a");
    mkdirs("conc/b");
    mkdirs("conc2/a");
    for (int i = 0; i < 5; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "conc/a/%d.wav", i);
        write_sound(rel, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 20000);
        snprintf(rel, sizeof rel, "conc/b/%d.wav", i);
        write_sound(rel, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 1, 20000);
        snprintf(rel, sizeof rel, "conc2/a/%d.wav", i);
        write_sound(rel, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 22050, 1, 8000);
    }
    Bank *b = quiet_bank(NULL);
    char err[256];
    bank_add_root(b, at("conc"), err, sizeof err);
    bank_add_defaults(b);
    Reader r = { .b = b };
    r.s[0] = bank_find(b, "a");
    r.s[1] = bank_find(b, "b");
    r.s[2] = bank_find(b, "808bd");
    pthread_t t;
    pthread_create(&t, NULL, reader_main, &r);
    for (int k = 0; k < 3; k++)
        bank_request(b, r.s[k]);
    bank_add_root(b, at("conc2"), err, sizeof err);     /* a's list is swapped while it is read */
    CHECK(bank_wait(b, 60), "loader finished while a reader polled");
    usleep(20000);
    atomic_store(&r.stop, 1);
    pthread_join(t, NULL);
    CHECK(r.reads > 0 && r.seen > 0, "the reader saw samples appear", "reads %ld seen %ld", r.reads, r.seen);
    CHECK(isfinite(r.sum), "what it read was sane");
    CHECK_INT(banksound_count(r.s[0]), 10, "a grew while being read");
    int all = 1;
    for (int k = 0; k < 3; k++)
        for (int n = 0; n < banksound_count(r.s[k]); n++)
            all &= banksound_get(r.s[k], n) != NULL;
    CHECK(all, "everything published");
    bank_free(b);
}


/* ---- limits, lying headers, decoding on demand ------------------------------------------------------------ */

/* A FLAC file whose STREAMINFO claims 10^9 frames: 8 GB of floats if it were believed. */
static void write_lying_flac(const char *rel)
{
    write_sound(rel, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 300);
    FILE *f = fopen(at(rel), "r+b");
    unsigned char h[26];
    if (!f || fread(h, 1, sizeof h, f) != sizeof h) {
        if (f) fclose(f);
        return;
    }
    uint64_t t = 1000000000ull;         /* total samples: the low 36 bits of bytes 21..25 */
    h[21] = (unsigned char)((h[21] & 0xf0) | ((t >> 32) & 0x0f));
    h[22] = (unsigned char)(t >> 24);
    h[23] = (unsigned char)(t >> 16);
    h[24] = (unsigned char)(t >> 8);
    h[25] = (unsigned char)t;
    fseek(f, 0, SEEK_SET);
    fwrite(h, 1, sizeof h, f);
    fclose(f);
}

static bool logged(LogBox *lb, const char *text)
{
    pthread_mutex_lock(&lb->mu);
    bool yes = strstr(lb->all, text) != NULL;
    pthread_mutex_unlock(&lb->mu);
    return yes;
}

static void test_limits(void)
{
    mkdirs("lim/lim");
    write_short_file("lim/lim/a.wav", 1000);     /* 4 KB decoded */
    write_lying_flac("lim/lim/b.flac");
    write_short_file("lim/lim/c.wav", 3000);     /* 12 KB: over the file limit */
    write_short_file("lim/lim/d.wav", 2000);     /* 8 KB: fits a file, not the total after a */

    LogBox lb = { .mu = PTHREAD_MUTEX_INITIALIZER };
    Bank *b = quiet_bank(&lb);
    bank_set_limits(b, 9 * 1024, 11 * 1024);
    char err[256];
    bank_add_root(b, at("lim"), err, sizeof err);
    const BankSound *s = bank_find(b, "lim");
    CHECK(s && banksound_count(s) == 4, "limits: four files listed");
    if (!s) {
        bank_free(b);
        return;
    }
    bank_request(b, s);
    CHECK(bank_wait(b, 30), "limits: decoding ends");
    CHECK(banksound_get(s, 0) && banksound_get(s, 0)->frames == 1000, "limits: a file under both limits decodes");
    CHECK(banksound_get(s, 1) == NULL, "limits: a header claiming 10^9 frames is refused before any allocation");
    CHECK(banksound_get(s, 2) == NULL, "limits: a file over the per-file limit is refused");
    CHECK(banksound_get(s, 3) == NULL, "limits: a file that would pass the total is refused");
    char want[1024];
    snprintf(want, sizeof want, "samples: can't read %s: too big: 1000000000 frames would take 7629 MB (at most 9 KB per file)",
             at("lim/lim/b.flac"));
    CHECK(logged(&lb, want), "limits: the message names the file, the size and the limit", "%s", lb.all);
    snprintf(want, sizeof want, "samples: can't read %s: too big: 3000 frames would take 13 KB (at most 9 KB per file)",
             at("lim/lim/c.wav"));
    CHECK(logged(&lb, want), "limits: per-file message", "%s", lb.all);
    snprintf(want, sizeof want, "samples: can't read %s: sample memory full: 9 KB more would pass 11 KB in all "
             "(5 KB decoded so far)", at("lim/lim/d.wav"));
    CHECK(logged(&lb, want), "limits: total message", "%s", lb.all);
    BankStats st;
    bank_stats(b, &st);
    CHECK(st.bytes <= 11 * 1024, "limits: decoded memory within the total", "%zu", st.bytes);
    bank_free(b);

    /* The defaults: the lying header is still refused, with the default limit named. */
    LogBox lb2 = { .mu = PTHREAD_MUTEX_INITIALIZER };
    b = quiet_bank(&lb2);
    bank_add_root(b, at("lim"), err, sizeof err);
    s = bank_find(b, "lim");
    bank_request(b, s);
    bank_wait(b, 30);
    snprintf(want, sizeof want, "samples: can't read %s: too big: 1000000000 frames would take 7629 MB (at most 256 MB per file)",
             at("lim/lim/b.flac"));
    CHECK(logged(&lb2, want), "limits: default per-file limit 256 MB", "%s", lb2.all);
    CHECK(banksound_get(s, 2) && banksound_get(s, 3), "limits: the defaults take the small files");
    bank_free(b);
}

/* A header that promises more than the file holds costs what the file holds. */
static void test_short_file(void)
{
    mkdirs("short/short");
    write_short_file("short/short/a.wav", 4000);
    /* cut the data in half, leaving the header's length as it was: libsndfile believes the header
       for some formats; the Sample must hold what was read, its memory counted as such */
    struct stat stt;
    if (stat(at("short/short/a.wav"), &stt) == 0 && truncate(at("short/short/a.wav"), stt.st_size / 2) != 0) return;
    Bank *b = quiet_bank(NULL);
    char err[256];
    bank_add_root(b, at("short"), err, sizeof err);
    const BankSound *s = bank_find(b, "short");
    bank_request(b, s);
    bank_wait(b, 30);
    const Sample *smp = banksound_get(s, 0);
    CHECK(smp && smp->frames > 1000 && smp->frames < 2100, "short file: the frames that are there", "%d", smp ? smp->frames : -1);
    BankStats st;
    bank_stats(b, &st);
    CHECK(smp && st.bytes < 2100 * 4 + 256, "short file: memory counted is what was read", "%zu", st.bytes);
    bank_free(b);
}

/* On demand, a sound's files are decoded one by one: asked for, or missed by the audio thread. */
static void test_on_demand(void)
{
    mkdirs("dem/dem");
    for (int i = 0; i < 5; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "dem/dem/%d.wav", i);
        write_short_file(rel, 100 + i);
    }
    Bank *b = quiet_bank(NULL);
    bank_set_on_demand(b, true);
    char err[256];
    bank_add_root(b, at("dem"), err, sizeof err);
    const BankSound *s = bank_find(b, "dem");
    bank_request(b, s);
    CHECK(bank_wait(b, 30), "on demand: a request alone decodes nothing");
    BankStats st;
    bank_stats(b, &st);
    CHECK_INT(st.loaded, 0, "on demand: nothing loaded after bank_request");
    bank_request_file(b, s, 2);
    bank_request_file(b, s, 7);         /* 7 wraps to 2: the same file */
    bank_wait(b, 30);
    bank_stats(b, &st);
    CHECK_INT(st.loaded, 1, "on demand: one file asked for, one decoded");
    CHECK(banksound_get(s, 2) && banksound_get(s, 2)->frames == 102, "on demand: the file asked for");
    CHECK(banksound_get(s, 4) == NULL, "on demand: a miss returns NULL ...");
    bank_service(b);
    bank_wait(b, 30);
    CHECK(banksound_get(s, 4) && banksound_get(s, 4)->frames == 104, "... and bank_service decodes it");
    bank_stats(b, &st);
    CHECK_INT(st.loaded, 2, "on demand: two of five decoded");
    bank_free(b);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/phonon-bank-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_formats();
    test_sort_and_index();
    test_roots();
    test_fallbacks();
    test_env_path();
    test_failures();
    test_wait();
    test_concurrent_reads();
    test_limits();
    test_short_file();
    test_on_demand();
    nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return test_done();
}
