/* phonon.h — the one public API of the phonon engine: compile programs, process audio blocks, control.
 * Hosts (the Pd external, the command line, tests, a plugin or a game) use only this header. Every
 * symbol it declares starts with phonon_ / Phonon / PHONON_; built with -fvisibility=hidden, these are
 * the only symbols the library exports (PHONON_API). */
#ifndef PHONON_H
#define PHONON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define PHONON_API __attribute__((visibility("default")))
#else
#define PHONON_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

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

PHONON_API void phonon_config_default(PhononConfig *cfg);
PHONON_API Phonon *phonon_new(const PhononConfig *cfg);    /* NULL only when out of memory */
PHONON_API void phonon_free(Phonon *ph);                   /* joins every thread */

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
PHONON_API int phonon_eval(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* Replace (or add) just the statements in text, keeping the rest of the current program (Tidal's
 * `d1 $ ...`). Same return convention. */
PHONON_API int phonon_eval_statements(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* Compile without running (for `phonon check`). Warnings are errors with line/col but do not count. */
PHONON_API int phonon_check(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs);
/* "file:line:col: message" */
PHONON_API int phonon_error_format(const PhononError *e, char *buf, int size);
/* The same, then the line and a caret under the column, for a terminal or a console (no newline
 * at the end; just the first line when the source is unknown):
 *     song.ph:3:18: unknown function 'lpff' (did you mean 'lpf'?)
 *         3 | d1 $ s "bd sn" # lpff 100
 *           |                  ^
 * Returns chars written (like snprintf). */
PHONON_API int phonon_error_format_source(const PhononError *e, char *buf, int size);
/* A program file ("-": standard input) as a NUL-terminated string to free(); NULL with errno set. */
PHONON_API char *phonon_read_text(const char *path);

/* --- audio ------------------------------------------------------------------------------- */
/* Render nframes (any count; split internally) into outs[0..outs) (non-interleaved), reading
 * ins[0..ins). Audio path: no allocation, no lock, no I/O. */
PHONON_API void phonon_process(Phonon *ph, const float *const *ins, float *const *outs, int nframes);
/* Reconfiguration, while no block is being processed (between phonon_process calls, like Pd's dsp
 * method). Each keeps the program, the clock, the tempo, mute and solo and every control value.
 * set_format: a new sample rate or maximum block; at the same rate every node keeps its state and the
 * voices playing go on; at a new rate the nodes start afresh and the voices playing are released (their
 * pitch and envelopes were worked out for the old rate). set_threads: the threads rendering
 * voices (0: online cores); everything sounding goes on. set_voices: the voice pool's size; new voices
 * start in the new pool while the voices sounding ring out in the old one. -1 on bad values or no
 * memory (nothing changed). */
PHONON_API int phonon_set_format(Phonon *ph, double sr, int max_block);
PHONON_API int phonon_set_threads(Phonon *ph, int threads);
PHONON_API int phonon_set_voices(Phonon *ph, int voices);

/* --- control (may be called from the audio thread between blocks, or from the control thread) */
PHONON_API void phonon_set_cps(Phonon *ph, double cps);    /* takes effect at the next block edge, beat kept */
PHONON_API void phonon_set_bpm(Phonon *ph, double bpm);    /* cps = bpm / 60 */
PHONON_API double phonon_cps(Phonon *ph);
PHONON_API double phonon_cycle(Phonon *ph);                 /* the cycle position at the next block */
/* The cycle position the output has reached: the engine renders its limiter's look-ahead (2.1 ms)
 * before the output, so this trails phonon_cycle by that much (use it to signal what is heard; seek
 * and join clocks with phonon_cycle). */
PHONON_API double phonon_cycle_heard(Phonon *ph);
PHONON_API void phonon_hush(Phonon *ph);                    /* silence the outputs (voices keep running) */
PHONON_API void phonon_unhush(Phonon *ph);
PHONON_API void phonon_panic(Phonon *ph);                   /* release every voice now */
PHONON_API void phonon_start(Phonon *ph);
PHONON_API void phonon_stop(Phonon *ph);                    /* the clock stops; voices ring out */
PHONON_API void phonon_reset(Phonon *ph);                   /* back to cycle 0 */
PHONON_API void phonon_seek(Phonon *ph, double cycle);
/* Set the control value of a bus (`~cutoff`, with or without the '~'): any thread, no lock, no
 * allocation, no compile. Where the program reads a number bus as a signal (`lpf ~cutoff`,
 * `sine 220 * ~amp`) the value glides there within a few ms (a two-pole smoother, time constant 1 ms);
 * in pattern positions (`fast ~n`, `# speed ~rate`) patterns read it from the next block on (a time
 * argument as the nearest fraction with a denominator up to 1000). The
 * value holds across every later edit until the bus's own definition changes; a name no program reads
 * yet is kept for when one does. -1 if value is not finite or the engine already keeps 1024 names. */
PHONON_API int phonon_set_control(Phonon *ph, const char *name, double value);
/* The value set for name that is in force; false if none. */
PHONON_API bool phonon_control(Phonon *ph, const char *name, double *value);
PHONON_API int phonon_mute(Phonon *ph, const char *name, bool mute);   /* a statement (`d1`, `~bass`); -1 if unknown */
PHONON_API int phonon_solo(Phonon *ph, const char *name, bool solo);
PHONON_API void phonon_unsolo(Phonon *ph);

/* --- samples -------------------------------------------------------------------------------- */
/* Add a sample folder: the number of sounds it holds (a folder added before, also by
 * PhononConfig.sample_dirs, adds nothing and gives its number again), or -1 with err filled. */
PHONON_API int phonon_add_samples(Phonon *ph, const char *dir, char *err, int errlen);
/* Wait until every sample the program uses is decoded (offline rendering). false on timeout. */
PHONON_API bool phonon_wait_loaded(Phonon *ph, double timeout_seconds);

/* --- messages the engine produces (errors found while playing, "loaded", events) ---------------- */
typedef enum PhononMsgKind {
    PHONON_MSG_INFO,            /* text */
    PHONON_MSG_WARNING,         /* text, e.g. unknown sound (reported once per program) */
    PHONON_MSG_ERROR,
    PHONON_MSG_EVENT,           /* a triggered event, when phonon_set_event_output is on (none while
                                   hushed): text is "~d1 s 808bd n 3 gain 1 cycle 12.25 delta 0.5 cps 0.5
                                   offset 17" (cycle: the exact onset; delta: seconds; offset: frames) */
} PhononMsgKind;

/* A triggered event, as data (the same as the text form of PHONON_MSG_EVENT). */
#define PHONON_EVENT_PARAMS 16
typedef struct PhononEventParam {
    char name[16];              /* "n", "gain", "cutoff" ... (docs/LANGUAGE.md's parameter names) */
    bool is_text;               /* a word (`s`, `vowel`): text; else num */
    double num;
    char text[48];
} PhononEventParam;

typedef struct PhononEvent {
    char track[48];             /* the statement it belongs to: "~d1", "out", "~d1#2" */
    char sound[64];             /* the `s` value, "" if none */
    double cycle;               /* where the event starts (cycles; the text form has it exactly) */
    int64_t onset_num, onset_den;   /* the same exactly: onset_num / onset_den cycles (den > 0, reduced) */
    double cycles, seconds;     /* its duration */
    double cps;                 /* the tempo it was scheduled at */
    int64_t frame;              /* its start in the engine's frames (counted from phonon_new) */
    int offset;                 /* its start in frames from the start of the phonon_process call that
                                   scheduled it (for a host that polls right after each call) */
    int nparams;
    PhononEventParam params[PHONON_EVENT_PARAMS];
} PhononEvent;

typedef struct PhononMsg {
    PhononMsgKind kind;
    char text[480];
    PhononEvent event;          /* PHONON_MSG_EVENT */
    PhononError error;          /* WARNING / ERROR with a place in a program: error.line > 0 */
} PhononMsg;

/* Take the next message (host's control thread: Pd's clock callback, the CLI after each block).
 * Returns false when there is none. Also frees retired programs: call it regularly. */
PHONON_API bool phonon_poll(Phonon *ph, PhononMsg *msg);
PHONON_API void phonon_set_event_output(Phonon *ph, bool on);

/* --- for hosts ---------------------------------------------------------------------------------- */
/* Whether text starts with a statement head (`~name:`, `~name $`, `out:`, `d1 $`, `bpm:`, `hush` ...):
 * what a host sends to phonon_eval_statements rather than phonon_eval. */
PHONON_API bool phonon_is_statement(const char *text);
/* The host drives the transport (a plugin's timeline): at the next block edge the clock is at cycle,
 * the tempo is cps (the host then owns the tempo, as with phonon_set_cps; cps <= 0 keeps the tempo)
 * and it runs or stops. Call it from the audio thread before phonon_process (or any time between). */
PHONON_API void phonon_transport(Phonon *ph, double cycle, double cps, bool playing);

/* "Did you mean ...?" for a host's own names (Pd's messages): writes " (did you mean 'eval'?)" naming the
 * entries of the NULL-terminated names nearest to word (edit distance, case ignored; at most 3), or ""
 * when none is near. Returns chars written (like snprintf). */
PHONON_API int phonon_suggest(const char *word, const char *const *names, char *buf, int size);
/* The same among the statement names of the current program (for `mute ~d3` when there is no ~d3);
 * each is written with a '~' when word starts with one. With none near, it names them (up to 8):
 * " (the program has '~d1' '~d2')"; "" when the program has no named statement. */
PHONON_API int phonon_suggest_statement(Phonon *ph, const char *word, char *buf, int size);

/* --- statistics ------------------------------------------------------------------------------ */
typedef struct PhononStats {
    double cycle, cps;
    int voices, peak_voices;
    long started, stolen, dropped, late;    /* late: voices skipped because their sample was not decoded yet */
    long blocks, nonfinite;                 /* non-finite samples replaced by 0 */
    /* The master stage since the engine began (docs/DSP.md, Master stage): the largest sample of the mix
     * going into the limiter (linear; its ceiling is -0.5 dBFS, 0.944), how many frames went through it
     * and how many it turned down (gain below 1), and the lowest gain it gave (1: it never acted). */
    double master_peak, master_min_gain;
    long master_frames, master_limited;
    int threads;
    bool parallel_fallback;
    int samples_decoded, samples_failed;    /* sample files decoded so far / refused or unreadable */
    size_t sample_bytes;                    /* decoded sample memory (PhononConfig.sample_memory_max) */
    long pattern_steps;                     /* pattern query work done (deterministic; docs/PATTERNS.md, Limits) */
    long pattern_dropped, pattern_clamped;  /* block queries that lost events to a limit; factors clamped */
    /* Since the previous phonon_stats call: the time each phonon_process call took as a share of the time
     * its frames last (1 = the whole budget: the host's deadline), at the 50th, 95th and 99th percentile
     * (to 0.005) and the largest; load is all the time taken over all the time played; block_calls is how
     * many calls they cover. Reading them starts the next period. */
    double block_p50, block_p95, block_p99, block_max, load;
    long block_calls;
} PhononStats;
PHONON_API void phonon_stats(Phonon *ph, PhononStats *st);

/* --- Tidal: SuperDirt's protocol (docs/TIDAL.md) --------------------------------------------------- */
/* Listen for Tidal's /dirt/play (and /play2) on UDP `port` (SuperDirt's is 57120) at `addr` (NULL:
 * 127.0.0.1 only; "0.0.0.0": every interface); port 0 stops listening. Each event plays beside the program,
 * in the same mix, at the frame its timetag names, with SuperDirt's meanings (gain curve, cut per orbit,
 * orbit effects room/size/dry and delay/delaytime/delayfeedback/lock); orbit n goes to outputs 2n+1 and
 * 2n+2 when the engine has them (PhononConfig.outs), else into the main pair. The receiver runs on a
 * thread of its own; /dirt/handshake and /dirt/hello are answered as SuperDirt answers them. 0, or -1
 * with err filled (the port is taken, an address not of this machine). Control side. */
PHONON_API int phonon_dirt_listen(Phonon *ph, const char *addr, int port, char *err, int errlen);
/* The host's output latency, seconds (default 0): how long after a block is computed it is heard. Tidal's
 * timetags say when an event should be heard, so events are placed this much earlier. */
PHONON_API void phonon_dirt_latency(Phonon *ph, double seconds);
typedef struct PhononDirtStats {
    long received;              /* /dirt/play and /play2 messages taken */
    long played;                /* voices started from them */
    long late;                  /* arrived after their time: played at once */
    long malformed;             /* packets and messages refused (not OSC, odd key/value pairs ...) */
    long dropped;               /* lost to a full queue (a flood) */
    long unknown;               /* their sound is in no bank, built-in or instrument */
    double late_max;            /* seconds: the latest so far */
    int port;                   /* listening on; 0: not listening */
} PhononDirtStats;
PHONON_API void phonon_dirt_stats(Phonon *ph, PhononDirtStats *st);
/* dirtout: send every event this engine plays (programs' events, not those that came over OSC) as a
 * timetagged /dirt/play bundle to host:port, Tidal's way (_id_, cps, cycle, delta, orbit and the
 * parameters; gain converted so that SuperDirt plays it as loud), stamped `latency` seconds after the
 * event is heard here. Sent from phonon_poll: call it regularly. port 0 stops. 0, or -1 with err. */
PHONON_API int phonon_dirt_send(Phonon *ph, const char *host, int port, double latency, char *err, int errlen);

/* Print the current program as text (the statements as they were compiled). */
PHONON_API int phonon_program_text(Phonon *ph, char *buf, int size);

#ifdef __cplusplus
}
#endif

#endif
