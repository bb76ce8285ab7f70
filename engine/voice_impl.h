/* voice_impl.h — what the voice modules (voice, voice_env, voice_sample, voice_lanes, voice_fx) share:
 * the voice slot, envelopes, lane groups and the per-thread scratch. Internal; never included outside voice*.c. */
#ifndef PHONON_VOICE_IMPL_H
#define PHONON_VOICE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "orbit.h"
#include "voice.h"

#define W VOICE_LANES

/* Fixed sizes. Times are turned into frames with the engine rate. */
#define VOICE_FADE_SECONDS 0.005        /* cut, steal, release, and a sample stopped before its end */
#define VOICE_FADE_IN_SECONDS 0.002     /* a sample started inside the file (begin > 0) */
#define VOICE_CHUNK 64                  /* sample voices per chunk (chunk layout never depends on threads) */
#define VOICE_PIECE 256                 /* frames rendered per parallel phase; bounds the partial buffers */
#define VOICE_GROUP_SUB 64              /* frames per graph run of a lane group: its buffers stay in L1 */
#define VOICE_MAX_THREADS POOL_MAX_THREADS
#define VOICE_GRAPH_SCRATCH 32768       /* floats per thread for an instrument graph's buffers */
#define VOICE_MAX_BUFS 512              /* buffers of one instrument graph */
#define VOICE_STATE_PER_VOICE 64        /* floats of instrument state budgeted per voice of capacity */
#define VOICE_MAX_RANGES 16             /* runs of per-lane state rows in one instrument graph */
#define VENV_MAXSEG 6
#define VENV_FOREVER 0x7fffffff

/* ---- envelopes (voice_env.c) -------------------------------------------------------------- */

/* A segment is the affine recurrence y <- m*y + b run for len frames; the frame's value is y before
 * the update. On entry b = b0 + bk*y (so a segment can start from whatever level it finds) and, when
 * set_y, y is first set to y0. gate is what an instrument graph sees during the segment. */
typedef struct VEnvSeg {
    int len;
    float m, b0, bk, y0;
    uint8_t set_y, gate;
} VEnvSeg;

typedef struct VEnvTable {
    VEnvSeg seg[VENV_MAXSEG];
    int nseg;
    int tail;                   /* silent frames kept after the end (and after a kill's fade) while an
                                   effect after the envelope still rings (leslie's delay); set before building */
} VEnvTable;

/* The running state of one envelope (sample voices keep it in the slot, lanes in the group's SoA). */
typedef struct VEnvRun {
    float y, m, b, gate;
    int left;                   /* frames left in the segment */
    int cur;                    /* segment; == nseg: done (silent for good) */
} VEnvRun;

void venv_sample(VEnvTable *e, double sr, long long total, int fade_in, int fade_out, bool has_env,
                 float attack, float hold, float release);
void venv_instrument(VEnvTable *e, double sr, int wait, float attack, float hold, float release, double length);
void venv_start(const VEnvTable *e, VEnvRun *r);
void venv_next(const VEnvTable *e, VEnvRun *r);      /* enter the following segment(s) */
void venv_kill(VEnvTable *e, VEnvRun *r, int fade);  /* replace what is left by a fade to 0 */
/* Fill amp[0..n) and advance (n <= r->left). */
void venv_fill(VEnvRun *r, float *amp, int n);
int venv_fade_frames(double sr, double seconds);

/* ---- per-voice effects (voice_fx.c) ------------------------------------------------------ */

enum { VFX_VOWEL = 1, VFX_SHAPE = 2, VFX_HPF = 4, VFX_BPF = 8, VFX_CRUSH = 16, VFX_COARSE = 32, VFX_LPF = 64,
       VFX_DJF_LP = 128, VFX_DJF_HP = 256, VFX_SQUIZ = 512, VFX_LESLIE = 1024 };

#define VFX_SQUIZ_SECONDS 0.1           /* Squiz's memlen as SuperDirt runs it: the longest fragment */
#define VFX_LESLIE_MAX_DELAY 0.01       /* seconds: lsize is held at 3.43 m (the Doppler delay's line) */
#define VFX_SQUIZ_VOICES 128            /* voices with squiz at once (each has 2 x 0.1 s of buffer) */
#define VFX_LESLIE_VOICES 512           /* voices with leslie at once */
#define VFX_LES_SEG 64                  /* frames per linear ramp of the rotors' lagged rates (docs/VOICES.md) */

typedef struct VSvf {                   /* Simper/Cytomic state-variable filter */
    float g, k, a1, a2, a3;
    float ic1[2], ic2[2];               /* per channel */
} VSvf;

/* Squiz, one channel: the fragment being written, the read head of the one being played back. */
typedef struct VSquiz {
    int wpos, hw;               /* write position; frames below hw hold what was written (above: 0) */
    float rpos, prev;
} VSquiz;

typedef struct VoiceFx {
    unsigned flags;
    VSvf lpf, hpf, bpf, vowel[5], djf_lp, djf_hp;
    float bpf_gain, vowel_amp[5], vowel_dry;
    float shape_k, crush_step, crush_inv, coarse;
    float coarse_phase, coarse_held[2];
    /* squiz: a buffer of sq_len frames per channel from the pool (sq_block, -1: none) */
    float squiz;
    VSquiz sq[2];
    float *sq_buf;
    int sq_block, sq_len;
    /* leslie: a crossover at 800 Hz, the high band through a delay line (les_len frames per channel, a
       power of two, from the pool); the rotors are its orbit's (VLesOrbit), read from the pool's table */
    float les_mix, les_size, les_sr;
    VSvf les_hp;
    const float *les_rot;       /* its orbit's rows of VfxMem.les_rot */
    const int64_t *les_clock;   /* VfxMem.les_frame: the pool frame of the table's first row */
    int64_t les_frame;          /* the pool frame of the next frame it plays */
    int les_orbit;
    float *les_buf;
    int les_block, les_pos, les_len_mask;
} VoiceFx;

/* One orbit's rotating speaker, as dirt_leslie's four oscillators: the horn's distance (lrate, Lag 10 s),
 * the drum's throb (0.8 lrate, Lag 20 s), the drum's and the horn's balance (0.8 lrate, Lag 4 s; lrate,
 * Lag 2 s). The target lrate is the latest leslie event's on the orbit. Audio thread only. */
enum { VLES_DISTANCE, VLES_THROB, VLES_BAL1, VLES_BAL2, VLES_ROTORS };
typedef struct VLesOrbit {
    bool on;                    /* a leslie event has set the rotors (the first one sets them at once) */
    bool changed;               /* events in this block: les_chg rows */
    int voices;                 /* leslie voices of the orbit now (the table is filled only for them) */
    int first;                  /* while !on: the block frame of the first event, its t0 in first_t0 */
    double first_t0;
    double target;              /* lrate of the latest event */
    double rate[VLES_ROTORS];   /* the lagged rates now, Hz */
    double turn[VLES_ROTORS];   /* the rotors' angles now, turns in [0, 1) */
} VLesOrbit;

/* The buffers squiz and leslie need, shared by the pool's voices (voice_fx.c). */
typedef struct VfxMem {
    float *sq, *les;
    int sq_len, les_len;        /* frames per channel of a block */
    int *sq_free, nsq_free, *les_free, nles_free;
    /* leslie's rotors, per orbit; what each frame of the piece being rendered reads, per orbit
       VOICE_PIECE rows of sin(distance), sin(throb), cos(bal1), cos(bal2); the events of the block */
    VLesOrbit les_orb[ORBIT_COUNT];
    float *les_rot;
    int64_t les_block_frame;    /* frames rendered before this block */
    int64_t les_frame;          /* the pool frame of les_rot's first row */
    float *les_chg;             /* ORBIT_COUNT * max_block: the lrate an event sets at a frame */
    uint64_t *les_bits;         /* ORBIT_COUNT * les_words: which frames have one */
    int les_words, max_block;
    double les_sr;
    double les_pow[VLES_ROTORS][VFX_LES_SEG + 1];     /* each rotor's one-pole coefficient to the power m */
} VfxMem;

bool vfx_init(VoiceFx *fx, const VoiceStart *vs, double sr);    /* false: no effect is set */
int vfx_tail(const VoiceFx *fx, double sr);                     /* VEnvTable.tail the voice needs */
void vfx_run(VoiceFx *fx, float *x, int ch, int n);             /* in place, channel ch of the voice */
void vfx_tick_coarse(VoiceFx *fx, int n);                       /* after all channels of a block */
/* leslie, after the envelope and the pan: the voice's stereo output l, r in place */
void vfx_leslie(VoiceFx *fx, float *l, float *r, int n);
bool vfx_mem_init(VfxMem *m, double sr, int max_block);         /* control thread: allocates */
void vfx_mem_free(VfxMem *m);
/* Audio thread: give a started voice the buffers its effects need; an effect with none left is dropped
 * (false: counted). vfx_release gives them back when the voice ends. */
bool vfx_attach(VfxMem *m, VoiceFx *fx);
void vfx_release(VfxMem *m, VoiceFx *fx);
/* Audio thread. An event with leslie > 0 on orbit `orbit` at frame `at` of the block (t0: its onset, s)
 * sets the orbit's target lrate; a voice's leslie starts at frame `at` of the block. */
void vfx_les_event(VfxMem *m, int orbit, int at, double lrate, double t0);
void vfx_les_start(VfxMem *m, VoiceFx *fx, int at);
/* Before the voices render frames [off, off + n) of the block (n <= VOICE_PIECE): the rotors over them,
 * into les_rot; vfx_les_end after the block's last piece (n: the block's frames). */
void vfx_les_piece(VfxMem *m, int off, int n);
void vfx_les_end(VfxMem *m, int n);

/* ---- the voice slot ------------------------------------------------------------------------ */

enum { VK_FREE = 0, VK_SAMPLE, VK_INST };

typedef struct Voice {
    /* line 0: all a held sample voice's block reads and writes (voice_sample.c's held path); slots are line-aligned */
    double ph;                  /* sample playback: the read position is base + dir * ph, ph in [0, len) */
    double base;
    const Sample *smp;
    int plain;                  /* frames the held path may still play (0: take the general path); while
                                   it is > 0, env.left counts the frames after them */
    float pgl, pgr;             /* the held path's gains: the flat level times gl and gr */
    float dir;
    float vel;                  /* d(ph)/dframe now */
    int wait;                   /* frames until the onset, from the next frame to render */
    uint8_t kind;
    uint8_t fading;             /* killed: a fade is running or pending; no longer in the age or cut lists */
    uint8_t done;               /* ended during the render; reclaimed afterwards */
    uint8_t has_fx;
    uint8_t begun;              /* has rendered at least one frame */
    int kill;                   /* frames until a pending kill, or -1 */
    float acc;                  /* the change of vel per frame */
    float gl, gr;               /* output gains of channel 0 and 1 (mono: both from channel 0) */
    double len;
    VEnvRun env;
    int player;
    int cut;
    uint32_t sound;
    int age_prev, age_next;     /* live voices in start order (stealing takes the oldest) */
    int cut_prev, cut_next;     /* live voices with cut != 0 */
    int group, lane;            /* sample voices: run and place in it; instrument voices: lane group and lane */
    const Instrument *inst;
    uint32_t phase;             /* instrument voices: VoiceStart.phase, given to the oscillators at the onset */
    VEnvTable tab;
} __attribute__((aligned(64))) Voice;
_Static_assert(offsetof(Voice, begun) < 64, "a held sample voice's fields fit in the slot's first line");

/* ---- runs of sample voices (voice.c) ------------------------------------------------------ */

/* Up to VOICE_CHUNK sample voices of one player: one chunk of the render. Kept from block to block,
 * so a block's chunk layout is found without looking at every voice. */
typedef struct SGroup {
    int player;
    int n;                      /* voices in slot[0..n) */
    int ndone;                  /* voices that ended in this render (written by the chunk) */
    int list_pos;               /* index in the active list */
    int player_prev, player_next;
    int room_prev, room_next;   /* the player's runs with room for another voice */
    bool in_room;
    int slot[VOICE_CHUNK];
} SGroup;

/* ---- lane groups (voice_lanes.c) -------------------------------------------------------- */

typedef struct Group {
    const Instrument *inst;
    int player;
    int nlanes;                 /* lanes 0..nlanes-1 hold voices */
    int sub;                    /* frames per graph run (graph buffers must fit the scratch) */
    float *state;               /* graph state, nstate * W floats, from the state arena */
    long arena_off;
    int arena_order;
    int list_pos;               /* index in the active group list */
    int player_prev, player_next;
    int room_prev, room_next;   /* the player's groups with a free lane */
    bool in_room;
    uint32_t fresh;             /* lanes whose state is made fresh at their onset */
    uint32_t has_fx;
    uint32_t done;              /* lanes that ended in this render (written by the chunk) */
    bool uses_gate;             /* the graph reads VEXT_GATE */
    int nranges;                /* state rows of per-lane nodes: [first, first + count) */
    int ranges[VOICE_MAX_RANGES][2];
    float cgl[W], cgr[W];       /* gains times a constant envelope (scratch of the render) */
    bool cg_ok;                 /* cgl, cgr are those of the lanes' levels and gains now: every write of
                                   ey, gl or gr (or of a lane's place) clears it */
    int slot[W];
    /* SoA per lane */
    float freq[W];
    float gl[W], gr[W];
    float ey[W], em[W], eb[W], egate[W];
    int eleft[W], ecur[W];
    int kill[W];                /* frames until kill, or -1 */
    int wait[W];                /* frames until onset (for the fresh-state split) */
} Group;

/* Per-thread scratch. */
typedef struct VoiceScratch {
    float amp[VOICE_PIECE];
    float sig[2][VOICE_PIECE];
    float env[VOICE_GROUP_SUB * W];
    float gate[VOICE_GROUP_SUB * W];
    float lane_sig[VOICE_PIECE];
    float outx[VOICE_GROUP_SUB * W];
    DspBuf bufs[VOICE_MAX_BUFS];
    float graph[VOICE_GRAPH_SCRATCH];
} VoiceScratch;

typedef struct VoiceChunk {
    int player;
    int group;                  /* a lane group, or -1 */
    int sgroup;                 /* a run of sample voices, or -1 */
} VoiceChunk;

struct VoicePool {
    VoiceConfig cfg;
    bool wide;                  /* the machine runs the CLONES_WIDE kernels (clones.h) */
    int nslots;                 /* capacity + reserve for fading tails */
    Voice *v;
    VoiceFx *fx;
    int *free_slots, nfree;
    int live;                   /* voices not fading */
    int age_head, age_tail;
    int cut_head;
    int block_n;
    int fade;                   /* kill fade, frames */

    SGroup *sgroups;
    int maxsgroups;
    int *free_sgroups, nfree_sgroups;
    int *sgact, nsgact;         /* runs in use */
    int *player_sgroups;        /* head of each player's list of runs */
    int *player_sroom;          /* head of each player's list of runs with room */
    int nsample;                /* sample voices in use */

    Group *groups;
    int maxgroups;
    int *free_groups, nfree_groups;
    int *gact, ngact;
    int nlanes;                 /* instrument voices in use */
    int *player_groups;         /* head of each player's group list */
    int *player_room;           /* head of each player's list of lane groups with a free lane */

    /* state arena: a buddy allocator over arena_floats floats */
    float *arena;
    int arena_units, arena_max_order;
    int *arena_free_head;       /* per order, the first free block (index in units of the smallest block) */
    int *arena_next, *arena_prev;   /* free blocks of the same order, by block index */
    uint8_t *arena_tag;         /* order + 1 of a free block that starts at this index, else 0 */

    /* render */
    VoiceChunk *chunks;
    int nchunks, maxchunks;
    float *partial;             /* per chunk, L then R of a piece (voice_partial); room for VOICE_PIECE frames */
    VoiceScratch *scratch;
    const DspBuf *globals;
    int piece_off, piece_n;     /* the piece being rendered: first frame in the block, frames */

    VoiceStats st;
    VfxMem fxmem;
};

/* voice_sample.c */
bool vsample_setup(VoicePool *vp, Voice *v, const VoiceStart *vs);     /* false: nothing to play */
void vsample_render(VoicePool *vp, Voice *v, VoiceFx *fx, VoiceScratch *s, float *L, float *R, int n);
/* A run's voices in its order, into L and R (zeroed by the caller); returns how many ended. */
int vsample_run(VoicePool *vp, const SGroup *g, VoiceScratch *s, float *L, float *R, int n);
void vsample_prefetch_run(const VoicePool *vp, const SGroup *g);  /* its first voices, for the chunk before */
/* Leave the held path (the fields it skips made whole again), before anything else changes the voice. */
void vsample_unplain(Voice *v);

/* voice_lanes.c */
int vlanes_add(VoicePool *vp, Voice *v, int slot, const VoiceStart *vs);   /* group index or -1 */
void vlanes_render(VoicePool *vp, Group *g, VoiceScratch *s, float *L, float *R, int n);
void vlanes_kill(VoicePool *vp, Voice *v, int frame);
void vlanes_reap(VoicePool *vp, Group *g);     /* after a render: free ended lanes, compact */
void vlanes_free_group(VoicePool *vp, int gi);
void vlanes_set_player(VoicePool *vp, int gi, int player);
bool vlanes_arena_init(VoicePool *vp, long floats);

/* voice.c, for the modules */
void *voice_alloc(size_t bytes);                /* zeroed, cache-aligned, pages touched (control thread) */
void voice_reclaim(VoicePool *vp, int slot);   /* a voice has ended: back to the free list */
void voice_unlink_live(VoicePool *vp, int slot);

#endif
