/* bank.h — sample banks: Dirt-Samples-style folders, the sonic-pi-samples alias set and the built-in
 * synthesised sounds. Decoding runs on a loader thread and is published lock-free; the audio path only reads. */
#ifndef PHONON_BANK_H
#define PHONON_BANK_H

#include <stdbool.h>
#include <stddef.h>

/* zero frames before and after each channel, so interpolation may read past the ends: a wide sample
 * kernel (voice_sample.c) loads a window of 32 frames from one below its lowest read */
#define BANK_PAD 32

/* One decoded file. Immutable once published; lives as long as the Bank. */
typedef struct Sample {
    int frames;
    int channels;       /* 1 or 2 (files with more channels keep the first two) */
    double rate;        /* the file's own sample rate; voices correct pitch by rate / engine rate */
    const float *ch[2]; /* planar channel data, BANK_PAD zeros on both sides; ch[1] == ch[0] when mono */
    float peak;         /* max |x| */
    const char *path;   /* the file, or "builtin:bd:0" */
} Sample;

typedef struct Bank Bank;
typedef struct BankSound BankSound;         /* a name (folder) with its files in order */

typedef void (*BankLog)(void *ud, const char *msg);    /* called from the loader thread */

/* engine_sr: used to synthesise the built-in sounds at the engine's rate. log may be NULL. */
Bank *bank_new(double engine_sr, BankLog log, void *log_ud);
void bank_free(Bank *b);                    /* stops and joins the loader */

/* Add a root folder (control thread; lists directories, decodes nothing). Each sub-folder with
 * sound files becomes a sound named after it; a folder with files and no sub-folders becomes one
 * sound named after itself. Later roots come after earlier ones: a name found in several roots
 * lists the earlier root's files first (SuperDirt's appendToExisting). Returns the number of sounds
 * added (for a folder added before: the number it gave then, adding nothing) or -1 with err filled. */
int bank_add_root(Bank *b, const char *dir, char *err, int errlen);
/* The default roots, after any added explicitly: $PHONON_SAMPLE_PATH (colon-separated), the usual
 * Dirt-Samples places, then sonic-pi-samples under Dirt names, then the built-in sounds. The last
 * two are fallbacks: they only provide names no sample root has (bd from Dirt-Samples keeps its
 * own count and wrap), and a root added later replaces them. Calling it again does nothing.
 * false when out of memory left some built-in sound out. */
bool bank_add_defaults(Bank *b);
/* Whether bank_add_defaults should look at the environment and the file system (tests turn it off
 * to hear only what they set up); the built-in sounds are always there. */
void bank_set_use_system(Bank *b, bool use);
/* Add a sonic-pi-samples folder (flat FLAC files) under Dirt names through the alias table in
 * bank_scan.c ("bd" -> bd_*, ...). Its sounds, like the built-ins, only fill names that no sample
 * root provides, and a sample root added later replaces them. bank_add_defaults calls it for
 * /usr/share/sonic-pi/samples. Returns the number of sounds it provides. */
int bank_add_sonicpi(Bank *b, const char *dir);

/* The sound called name ("bd", "808bd"), or NULL. Control thread. */
const BankSound *bank_find(Bank *b, const char *name);
int banksound_count(const BankSound *s);
const char *banksound_name(const BankSound *s);
bool banksound_is_builtin(const BankSound *s);
const char *banksound_kind(const BankSound *s);     /* "samples", "sonic-pi" or "builtin" */
const char *banksound_path(const BankSound *s, double n);  /* file n (as banksound_get picks it) */
/* File n (truncated toward zero, wrapped, negatives from the end), or NULL while it is not decoded yet
 * (then the file is marked wanted, for bank_service). Lock-free and allocation-free: safe on the audio path. */
const Sample *banksound_get(const BankSound *s, double n);

/* Queue every file of s for decoding (control thread; returns at once; repeated calls are free).
 * On demand (bank_set_on_demand), it only marks s as used: files are queued one at a time by
 * bank_request_file, or by bank_service after banksound_get missed them. */
void bank_request(Bank *b, const BankSound *s);
/* Queue file n of s (as banksound_get picks it), unless it is decoded, queued or failed. Control thread. */
void bank_request_file(Bank *b, const BankSound *s, double n);
/* Queue the files banksound_get found missing since the last call (control thread; cheap when none). */
void bank_service(Bank *b);
/* Decode only the files asked for one by one (the engine: a program decodes what it plays, not whole
 * banks). Off by default. */
void bank_set_on_demand(Bank *b, bool on);
/* Limits on decoded sample memory, in bytes (0: the default). A file over file_max, or one that would take
 * the total over total_max, is not decoded and the log says which limit it hit. docs/SAMPLES.md. */
#define BANK_FILE_MAX_DEFAULT ((size_t)256 << 20)      /* 256 MB: 12 minutes of stereo at 44.1 kHz */
#define BANK_TOTAL_MAX_DEFAULT ((size_t)2048 << 20)    /* 2 GB */
void bank_set_limits(Bank *b, size_t file_max, size_t total_max);
/* Allocation failures so far (control thread): bank_add_root reports them as an error. */
long bank_oom_count(const Bank *b);
/* Wait until every requested file is decoded (or failed). false on timeout. Control thread.
 * A timeout of 0 only looks; a negative one waits for as long as it takes. */
bool bank_wait(Bank *b, double timeout_seconds);

typedef struct BankStats {
    int sounds, files, loaded, failed, pending;
    size_t bytes;       /* decoded sample memory */
} BankStats;
void bank_stats(Bank *b, BankStats *st);

/* Each sound in turn ("name count kind"), for `phonon banks` and Pd's `print`. */
void bank_list(Bank *b, void (*fn)(void *ud, const BankSound *s), void *ud);

#endif
