/* phonon.h — the one public API of the phonon engine: compile programs, process audio blocks, control.
 * Hosts (the Pd external, the command line, tests) use only this header. */
#ifndef PHONON_H
#define PHONON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHONON_VERSION "0.1.0"

typedef struct Phonon Phonon;

typedef struct PhononConfig {
    double sr;                  /* sample rate (default 44100; 1000 to 768000) */
    int max_block;              /* largest nframes phonon_process will be given (default 4096) */
    int threads;                /* total threads rendering voices, counting the caller (0: online cores) */
    int voices;                 /* voice pool size (default 4096, at most 65536; docs/VOICES.md) */
    int outs;                   /* output channels (default 2) */
    int ins;                    /* input channels (`in 1` ... `in N`) (default 0) */
    bool no_system_samples;     /* don't look at $PHONON_SAMPLE_PATH, Dirt-Samples, sonic-pi-samples */
    const char *const *sample_dirs; /* NULL-terminated extra sample roots, searched first */
    size_t sample_file_max;     /* bytes of decoded audio one file may take (0: 256 MB; docs/SAMPLES.md) */
    size_t sample_memory_max;   /* bytes of decoded audio in all (0: 2 GB) */
} PhononConfig;

void phonon_config_default(PhononConfig *cfg);
Phonon *phonon_new(const PhononConfig *cfg);    /* NULL only when out of memory */
void phonon_free(Phonon *ph);                   /* joins every thread */

/* --- programs (control side: any thread but the audio thread, or the audio thread between blocks) */

typedef struct PhononError {
    char file[256];             /* as given to phonon_eval ("-" for none) */
    int line, col;              /* 1-based; col counts characters (a tab is one), also inside strings */
    char msg[512];              /* without the position */
    char source[256];           /* the line the error is on, as written ("" when unknown); a long line
                                   is cut around the column, with "..." where it was cut */
    int caret;                  /* byte offset in source of the character at col; -1 when unknown */
} PhononError;

/* Compile a whole program and, if it compiles, hand it over at the next block edge (the clock and
 * the playing voices carry on). On errors nothing changes: returns the number of errors written
 * to errs (at most maxerrs); 0 means the new program is in place. file names the source in messages. */
int phonon_eval(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* Replace (or add) just the statements in text, keeping the rest of the current program (Tidal's
 * `d1 $ ...`). Same return convention. */
int phonon_eval_statements(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* Compile without running (for `phonon check`). Warnings are errors with line/col but do not count. */
int phonon_check(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* "file:line:col: message" */
int phonon_error_format(const PhononError *e, char *buf, int size);
/* The same, then the line and a caret under the column, for a terminal or a console (no newline
 * at the end; just the first line when the source is unknown):
 *     song.ph:3:18: unknown function 'lpff' (did you mean 'lpf'?)
 *         3 | d1 $ s "bd sn" # lpff 100
 *           |                  ^
 * Returns chars written (like snprintf). */
int phonon_error_format_source(const PhononError *e, char *buf, int size);
/* A program file ("-": standard input) as a NUL-terminated string to free(); NULL with errno set. */
char *phonon_read_text(const char *path);

/* --- audio ------------------------------------------------------------------------------- */
/* Render nframes (any count; split internally) into outs[0..outs) (non-interleaved), reading
 * ins[0..ins). Audio path: no allocation, no lock, no I/O. */
void phonon_process(Phonon *ph, const float *const *ins, float *const *outs, int nframes);
/* Change the sample rate or maximum block (control side; resets DSP state, keeps the program). */
int phonon_set_format(Phonon *ph, double sr, int max_block);

/* --- control (may be called from the audio thread between blocks, or from the control thread) */
void phonon_set_cps(Phonon *ph, double cps);    /* takes effect at the next block edge, beat kept */
void phonon_set_bpm(Phonon *ph, double bpm);    /* cps = bpm / 60 */
double phonon_cps(Phonon *ph);
double phonon_cycle(Phonon *ph);                 /* the cycle position at the next block */
void phonon_hush(Phonon *ph);                    /* silence the outputs (voices keep running) */
void phonon_unhush(Phonon *ph);
void phonon_panic(Phonon *ph);                   /* release every voice now */
void phonon_start(Phonon *ph);
void phonon_stop(Phonon *ph);                    /* the clock stops; voices ring out */
void phonon_reset(Phonon *ph);                   /* back to cycle 0 */
void phonon_seek(Phonon *ph, double cycle);
int phonon_mute(Phonon *ph, const char *name, bool mute);   /* a statement (`d1`, `~bass`); -1 if unknown */
int phonon_solo(Phonon *ph, const char *name, bool solo);
void phonon_unsolo(Phonon *ph);

/* --- samples -------------------------------------------------------------------------------- */
int phonon_add_samples(Phonon *ph, const char *dir, char *err, int errlen);
/* Wait until every sample the program uses is decoded (offline rendering). false on timeout. */
bool phonon_wait_loaded(Phonon *ph, double timeout_seconds);

/* --- messages the engine produces (errors found while playing, "loaded", events) ---------------- */
typedef enum PhononMsgKind {
    PHONON_MSG_INFO,            /* text */
    PHONON_MSG_WARNING,         /* text, e.g. unknown sound (reported once per program) */
    PHONON_MSG_ERROR,
    PHONON_MSG_EVENT,           /* a triggered event, when phonon_set_event_output is on: text is
                                   "~d1 s 808bd n 3 gain 1 cycle 12.25" */
} PhononMsgKind;

typedef struct PhononMsg {
    PhononMsgKind kind;
    char text[480];
} PhononMsg;

/* Take the next message (host's control thread: Pd's clock callback, the CLI after each block).
 * Returns false when there is none. Also frees retired programs: call it regularly. */
bool phonon_poll(Phonon *ph, PhononMsg *msg);
void phonon_set_event_output(Phonon *ph, bool on);

/* --- statistics ------------------------------------------------------------------------------ */
typedef struct PhononStats {
    double cycle, cps;
    int voices, peak_voices;
    long started, stolen, dropped, late;    /* late: voices skipped because their sample was not decoded yet */
    long blocks, nonfinite;                 /* non-finite samples replaced by 0 */
    int threads;
    bool parallel_fallback;
    int samples_decoded, samples_failed;    /* sample files decoded so far / refused or unreadable */
    size_t sample_bytes;                    /* decoded sample memory (PhononConfig.sample_memory_max) */
    long pattern_steps;                     /* pattern query work done (deterministic; docs/PATTERNS.md, Limits) */
    long pattern_dropped, pattern_clamped;  /* block queries that lost events to a limit; factors clamped */
} PhononStats;
void phonon_stats(Phonon *ph, PhononStats *st);

/* Print the current program as text (the statements as they were compiled). */
int phonon_program_text(Phonon *ph, char *buf, int size);

#endif
