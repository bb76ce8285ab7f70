/* voice.h — the voice pool: sample voices and instrument voices (lane groups), cut groups and stealing,
 * rendered once per block in fixed chunks on the worker pool. Starting and rendering run on the audio thread. */
#ifndef PHONON_VOICE_H
#define PHONON_VOICE_H

#include <stdbool.h>
#include <stdint.h>

#include "bank.h"
#include "graph.h"
#include "pool.h"

#define VOICE_LANES 32          /* voices of one instrument processed side by side */

/* Extern buffers every instrument graph reads (GraphBuf.ext); further externs are global buffers. */
enum { VEXT_FREQ = 0, VEXT_GATE = 1, VEXT_FIRST_GLOBAL = 2 };

/* An instrument: a bus's graph instantiated per voice. Owned by a Program; voices keep a pointer,
 * so the engine keeps the Program alive until voice_count_owner() says no voice uses it. */
typedef struct Instrument {
    const Graph *graph;         /* lanes = VOICE_LANES; output buffer graph->out is mono per lane */
    const float *fresh_state;   /* graph_init_state() of a whole group: a starting voice copies its lane */
    int nglobals;               /* externs VEXT_FIRST_GLOBAL.. read global buffers: */
    const int *global_buf;      /* index into the global buffer table given to voice_render */
    const void *owner;          /* the Program */
    uint32_t name;              /* symbol: "~synth" */
} Instrument;

/* One voice to start, resolved by the scheduler (all parameters final, in engine units). */
typedef struct VoiceStart {
    int offset;                 /* frame of this block where it starts */
    float frac;                 /* the exact onset lies frac (0..1) of a frame after offset */
    int player;                 /* which player's output buffer it sums into */
    const Sample *sample;       /* a sample voice ... */
    const Instrument *inst;     /* ... or an instrument voice */
    uint32_t sound;             /* identity of the sound (symbol of "bd:3" or "~synth"), for cut < 0 */
    float freq;                 /* instrument pitch, Hz */
    float rate;                 /* sample playback rate: speed * 2^(note/12) * file rate / engine rate */
    float accelerate;           /* rate goes from rate to rate*(1+accelerate) over the voice */
    float gain;                 /* linear, all factors applied (gain, velocity, amp, chord 1/sqrt(n)) */
    float pan;                  /* 0..1 */
    float begin, end;           /* 0..1 of the sample */
    int loop;                   /* times to play the region (>= 1) */
    double length;              /* seconds until release; <= 0: the sample's natural length
                                   (instrument voices: attack + hold) */
    float attack, hold, release;/* seconds; for samples only used when has_env */
    bool has_env;               /* samples: attack or release was given */
    int cut;                    /* cut group (0 none; negative: only the same sound) */
    int orbit;
    /* Per-voice effects, SuperDirt's order: vowel, shape, hpf, bpf, crush, coarse, lpf. 0 = off. */
    float cutoff, resonance, hcutoff, hresonance, bandf, bandq, shape, coarse, crush;
    uint32_t vowel;             /* symbol of a e i o u, 0 = off */
    float vowel_res;            /* the vowel's resonance: `resonance` if given, else SuperDirt's 0.5 */
    float djf;                  /* dj filter 0..1; 0.5 (or 0 = not given) is off */
    /* Instrument voices: the oscillators (DSPK_PHASE kinds) start this far into their period (2^-32 units).
       0 for a single note; the notes of a chord get decorrelated phases, so that they do not all start
       on the same edge (docs/VOICES.md, Chords). */
    uint32_t phase;
    /* SuperDirt's squiz (after lpf, before djf; <= 1 is off) and leslie (after the envelope and the pan,
       on the voice's stereo signal; 0 is off) */
    float squiz;
    float leslie, lrate, lsize;    /* lrate: the target of the orbit's rotors (voice_fx.c) */
    double t0;                  /* seconds from the engine's first frame to the onset: the rotors' angle when
                                   it is the first leslie event on its orbit */
} VoiceStart;

typedef struct VoiceConfig {
    int capacity;               /* voices (default 4096, at least 65536 supported) */
    int max_block;              /* frames per render call */
    double sr;
    int max_players;            /* player output buffers */
} VoiceConfig;

typedef struct VoicePool VoicePool;

VoicePool *voice_pool_new(const VoiceConfig *cfg);     /* control thread: allocates everything */
void voice_pool_free(VoicePool *vp);

/* --- audio thread ------------------------------------------------------------------------- */
/* Start a voice in the current block (call between voice_begin_block and voice_render).
 * A full pool steals the oldest (or quietest) voice with a short fade and counts it. */
void voice_begin_block(VoicePool *vp, int n);
bool voice_start(VoicePool *vp, const VoiceStart *vs);
/* Render every active voice over n frames, in parallel on pool, and write each player's stereo mix
 * (frame-major, 2 lanes) into player_out[p] (which the function overwrites). globals: the global
 * graph's buffers, for instruments that read other buses. Identical output for any thread count. */
void voice_render(VoicePool *vp, Pool *pool, const DspBuf *globals, float *const *player_out, int nplayers, int n);
/* Release every voice with a short fade (`panic`), or only those of one player. */
void voice_release_all(VoicePool *vp);
void voice_release_player(VoicePool *vp, int player);
/* After a program change: voices of player p now sum into map[p] (-1: release with a fade into player
 * `orphan`). Instrument voices keep running their old graph. */
void voice_remap_players(VoicePool *vp, const int *map, int nold, int orphan);
/* How many live voices use an instrument whose owner is `owner`. */
int voice_count_owner(const VoicePool *vp, const void *owner);
/* Whether sample voices use the AVX-512 kernels where the machine has them (the default; the
 * portable ones give the same bits: tests compare the two). Returns whether they now do. */
bool voice_set_wide(VoicePool *vp, bool on);

typedef struct VoiceStats {
    int active, peak;           /* voices now, most ever */
    long started, stolen, dropped;
    long fx_dropped;            /* voices that played without squiz or leslie: every buffer for it was in use */
} VoiceStats;
void voice_stats(const VoicePool *vp, VoiceStats *st);
/* Floats of state all instrument voices share (a group of VOICE_LANES voices takes its graph's state
 * floats from it, rounded up to a power of two; a group that does not fit is dropped and counted). */
size_t voice_state_capacity(const VoicePool *vp);

#endif
