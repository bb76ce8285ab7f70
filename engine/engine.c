/* engine.c — the public API (phonon.h): the clock, program hand-over, the per-block loop and the output stage.
 * phonon_process is the audio path: it only reads programs, starts voices and writes preallocated memory. */
#include "phonon.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bank.h"
#include "bits.h"
#include "compile.h"
#include "dirt.h"
#include "dirtout.h"
#include "engine_bench.h"
#include "lang.h"
#include "limiter.h"
#include "msgq.h"
#include "orbit.h"
#include "pool.h"
#include "program.h"
#include "schedule.h"
#include "voice.h"

#define ENGINE_BLOCK 512            /* largest block processed at once; longer host blocks are split */
#define ENGINE_MAX_PLAYERS 256
#define ENGINE_ORBIT_PLAYER0 (ENGINE_MAX_PLAYERS + 1)     /* after the orphans: the orbits' buses (dirt.h) */
#define ENGINE_ALL_PLAYERS (ENGINE_ORBIT_PLAYER0 + ORBIT_COUNT)
#define ENGINE_DRAIN 64             /* replaced programs whose instrument voices still ring */
#define ENGINE_EVENTS 16384         /* query results per pattern per block */
#define ENGINE_EVENT_PARAMS 16
#define ENGINE_CHAN_RING 2048      /* frames of look-ahead delay per extra output (2 ms at 768 kHz fits) */
#define ENGINE_EVENTS_AHEAD 1024    /* events scheduled but not yet heard (the look-ahead's worth) */
#define ENGINE_SLOTS 1024           /* control values (phonon_set_control) an engine keeps */
#define ENGINE_GLIDE_MS 1.0         /* time constant of the two-pole smoother of control values and of
                                       constants an edit changed: within 0.1% after about 9 ms */
#define ENGINE_LOAD_BINS 1000       /* block-time histogram: 0 ... 500% of the budget ... */
#define ENGINE_LOAD_STEP 0.005      /* ... in steps of 0.5% (the last bin takes everything above) */
#define ENGINE_MAX_OUTS 256         /* output channels `outK:` can address (more are written silent) */
#define ENGINE_FADE_MS 10.0         /* crossfade when an edit changes the structure of the graph */

/* A control value set by the host, keyed by its bus name. Claimed and written from any thread without a
 * lock; y1, y2 (the value as it glides) belong to the audio thread. */
typedef struct Slot {
    _Atomic uint64_t key;           /* hash of the name without '~'; 0: free */
    _Atomic uint64_t bits;          /* the value set (double bits) */
    _Atomic int set;                /* a value set is in force (until the bus's own definition changes) */
    float y1, y2;
    bool primed;                    /* y1, y2 hold a value */
    int64_t stamp;                  /* the block it was last moved in, and where that block's values are */
    const float *x;
    bool moving;
} Slot;
#define ENGINE_MAX_VOICES 65536     /* PhononConfig.voices is clamped to 1..this (docs/VOICES.md) */
#define ENGINE_MIN_SR 1000.0        /* sample rates outside are refused (delay lines are sized by it) */
#define ENGINE_MAX_SR 768000.0
#define ENGINE_MAX_STATE_MB 512     /* a program's own DSP state (delay lines, reverbs, filters) */
#define ENGINE_PREFETCH_CYCLES 64   /* a new program's files are decoded for this many cycles ahead ... */
#define ENGINE_PREFETCH_EVENTS 65536 /* ... or this many events, whichever comes first */
#define ENGINE_FRAMES_PER_ONSET 8   /* voice starts: at most one per 8 frames on average (5512 a second) */
#define ENGINE_ONSET_BURST 1024
/* The tempo range (docs/LANGUAGE.md, "Statements"): a tempo beyond it is clamped, with a warning. */
#define ENGINE_CPS_MIN 0.001
#define ENGINE_CPS_MAX 100.0
#define ENGINE_MSG_DROP "events dropped: the patterns ask for more than can be played in real time (at most " \
    "1000000 pattern steps per second, 16384 events per query); make them less dense (docs/PATTERNS.md, Limits)"
#define ENGINE_MSG_DEEP "events dropped: a pattern is nested more than 200 levels deep (docs/PATTERNS.md, Limits)"
#define ENGINE_MSG_CLAMP "a pattern factor is out of range and was clamped (fast, slow, inside, linger at most " \
    "10000; ply 1024; segment 4096; chop, striate 1024; stut 64; docs/PATTERNS.md, Limits)"

typedef struct EventRec {           /* a triggered event, formatted later on the control side */
    char player[48];
    Rat onset;                      /* exact, for the text form */
    double cycle, cycles, cps;
    int64_t frame;
    int offset;
    int n;
    uint8_t param[ENGINE_EVENT_PARAMS];
    Value value[ENGINE_EVENT_PARAMS];
} EventRec;

/* One text a host sent, parsed once; its statements point into it. */
typedef struct EngineSource {
    Arena arena;
    char *text;
    int refs;                       /* entries using it */
} EngineSource;

typedef struct EngineEntry {
    Stmt stmt;                      /* lives in src's arena */
    EngineSource *src;
    char *raw;                      /* the statement as written, with the comments just above it */
} EngineEntry;

typedef struct EngineStmts {
    EngineEntry *v;
    int n, cap;
} EngineStmts;

static void engine_stmts_free(EngineStmts *st);

struct Phonon {
    PhononConfig cfg;
    double sr;
    int block;
    Bank *bank;
    VoicePool *vp;
    Limiter *lim;
    /* after phonon_set_voices: the previous pool, rendered beside the new one until its voices have
       rung out (audio thread), then handed back to be freed (vp_done, control side) */
    VoicePool *vp_old;
    _Atomic(VoicePool *) vp_done;
    float *old_mem;                 /* (ENGINE_MAX_PLAYERS + 1) * 2 * block: the old pool's player sums */
    float **old_out;
    Pool *pool;
    MsgQ *msgs;                     /* PhononMsg, to the host */
    MsgQ *retired;                  /* Program*, audio -> control, to be freed */
    MsgQ *events;                   /* EventRec */
    int blk_off;                    /* where the block being processed starts in the host's call */
    /* The clock runs `ahead` frames (the limiter's look-ahead) before the output: the block rendered
       at engine frames [frame, frame + n) is heard when the output reaches them, so an onset at frame f
       still leaves at output frame f. `primed`: those frames have been rendered since the limiter was
       made. Events wait in `later` until the output reaches them (audio thread). */
    int ahead;
    bool primed, prime_budget;
    float *chan_ring;               /* nchans * ENGINE_CHAN_RING: outputs 3 ... N delayed as the pair is */
    long ring_pos;
    EventRec *later;
    int nlater;

    _Atomic(Program *) pending;     /* control -> audio: the next program */
    Program *cur;                   /* audio thread's */
    _Atomic(Program *) cur_pub;     /* the same, for the control side to read */
    Program *draining[ENGINE_DRAIN];
    int ndraining;

    /* clock (audio thread) */
    Rat cps, sr_r, fpc, anchor_cycle;
    int64_t anchor_frame, frame;
    SchedBlock blk;

    /* requests from the control side, applied at the next block edge */
    _Atomic uint64_t cps_req;       /* bits of a double; 0 = none */
    _Atomic uint64_t seek_req;      /* bits of a double; UINT64_MAX = none */
    _Atomic int running, hushed, panic_req, solo_count, events_on;

    Slot slots[ENGINE_SLOTS];
    _Atomic unsigned control_gen;   /* counts phonon_set_control calls: patterns reading slots requery */
    unsigned control_seen;          /* audio thread: the count its player caches were filled at */
    float glide_coef;               /* per frame, for ENGINE_GLIDE_MS at sr */

    /* the program faded out after a hand-over that changed the graph's structure (audio thread) */
    Program *fading;
    int fade_pos, fade_len;
    const Program *query_prog;      /* whose probes engine_signal_at reads */
    Program *published;             /* control side: the last program put into `pending` */

    EventBuf eb;
    float *mix;                     /* 2 * block, frame-major L R */
    float *oldmix;                  /* the fading program's mix */
    int nchans;                     /* output channels after the stereo pair that `outK:` tracks may have */
    float *chans, *oldchans;        /* nchans * ENGINE_BLOCK each: those channels, for the program and the
                                       one fading out (ENGINE_BLOCK long: no new buffers on a new block size) */
    float *zeros2;                  /* 2 * block zeros: players a fading program has lost */
    float *orphan;                  /* voices of players that a new program no longer has */
    float *zeros;
    float **player_out;
    int *remap;

    _Atomic long stat_blocks, stat_nonfinite, stat_late, stat_overflow;
    /* the master stage (audio thread writes, phonon_stats reads): frames through the limiter, those it turned
       down, and as double bits (bits.h) the largest sample going in and the deepest cut (1 - gain) */
    _Atomic long stat_master_frames, stat_master_limited;
    _Atomic uint64_t stat_master_peak, stat_master_cut;
    QueryBudget budget;             /* audio thread: pattern steps, refilled every block */
    long onsets;                    /* audio thread: voice starts allowed, refilled every block */
    _Atomic long stat_steps, stat_clamped;
    /* the time phonon_process takes, as a share of the time its frames last (audio thread adds, phonon_stats
       takes and clears): a histogram of ENGINE_LOAD_STEP-wide bins, the largest, and the sums for the load */
    _Atomic uint32_t load_bins[ENGINE_LOAD_BINS];
    _Atomic uint64_t load_max;      /* bits of a double */
    _Atomic uint64_t load_ns, load_budget_ns;
    bool warned_drop, warned_clamp; /* reported once per program */
    _Atomic double cycle_now, cycle_heard;

    /* Tidal's events (dirt.h) and the orbits they and a program's events play on: the orbits are made by the
       first phonon_dirt_listen or the first program that names `orbit` or an orbit effect, then kept until
       phonon_free (the audio thread reads them once published; omix and oldomix with them) */
    _Atomic(Dirt *) dirt;
    _Atomic(Orbits *) orbits;
    float *omix, *oldomix;          /* ORBIT_COUNT * 2 * ENGINE_BLOCK: the tracks that play on each orbit, for
                                       the program and the one fading out (frame-major stereo per orbit) */
    /* audio thread: the orbit of each chain's latest event on an orbit (-1: none yet); in this block it was
       porbit_was before frame porbit_at (porbit_at 0: porbit all the block) */
    int porbit[ENGINE_MAX_PLAYERS], porbit_was[ENGINE_MAX_PLAYERS], porbit_at[ENGINE_MAX_PLAYERS];
    int porbit_tmp[ENGINE_MAX_PLAYERS];
    DirtOut *dirtout;               /* control side, under ctl: phonon_poll sends the events through it */
    _Atomic int dirtout_on;         /* the audio thread records events for it */

    /* control side */
    pthread_mutex_t ctl;
    EngineStmts stmts;              /* the statements of the program last accepted */
    CompileCache *cache;            /* what compiling them made, for the next edit (compile.h) */
    char file[256];
};

/* ------------------------------------------------------------------------------------------------
 * messages */

static void engine_post_at(Phonon *ph, PhononMsgKind kind, const char *text, const PhononError *at)
{
    PhononMsg m;
    memset(&m.event, 0, sizeof m.event);
    if (at) m.error = *at;
    else memset(&m.error, 0, sizeof m.error);
    m.kind = kind;
    size_t len = strlen(text);
    if (len >= sizeof m.text) len = sizeof m.text - 1;      /* long messages are cut, not lost */
    memcpy(m.text, text, len);
    m.text[len] = 0;
    msgq_push(ph->msgs, &m);
}

static void engine_post(Phonon *ph, PhononMsgKind kind, const char *text) { engine_post_at(ph, kind, text, NULL); }

static void engine_bank_log(void *ud, const char *msg) { engine_post(ud, PHONON_MSG_INFO, msg); }

/* Audio thread: an `s` name the program never saw (it cannot have been reported when compiling). */
static void engine_unknown_sound(void *ud, const Program *cp, uint32_t sym)
{
    Phonon *ph = ud;
    Program *p = (Program *)cp;
    for (int i = 0; i < p->nreported; i++)
        if (p->reported[i] == sym) return;
    if (p->nreported < 64) p->reported[p->nreported++] = sym;
    PhononMsg m;
    memset(&m.event, 0, sizeof m.event);
    memset(&m.error, 0, sizeof m.error);
    m.kind = PHONON_MSG_WARNING;
    const char *name = sym_name(sym);
    size_t len = strlen(name);
    if (len > 200) len = 200;
    memcpy(m.text, "unknown sound '", 15);
    memcpy(m.text + 15, name, len);
    memcpy(m.text + 15 + len, "'", 2);
    msgq_push(ph->msgs, &m);
}

static void engine_event(void *ud, const Program *p, int player, const Event *ev)
{
    Phonon *ph = ud;
    EventRec r;
    size_t len = strlen(p->players[player].name);
    if (len >= sizeof r.player) len = sizeof r.player - 1;
    memcpy(r.player, p->players[player].name, len);
    r.player[len] = 0;
    r.onset = ev->whole.begin;
    r.cycle = rat_to_double(ev->whole.begin);
    r.cycles = rat_to_double(rat_sub(ev->whole.end, ev->whole.begin));
    r.cps = ph->blk.cps;
    double f = schedule_frame(&ph->blk, ev->whole.begin);
    int fi = f < 0 ? 0 : f >= ph->blk.n ? ph->blk.n - 1 : (int)f;
    r.frame = ph->frame + fi;
    r.offset = 0;                   /* set when the output reaches it */
    r.n = 0;
    const ValMap *m = ev->value.map;
    for (int k = 0; k < P_ALL && r.n < ENGINE_EVENT_PARAMS; k++) {
        const Value *v = valmap_get(m, k);
        if (!v) continue;
        r.param[r.n] = (uint8_t)k;
        r.value[r.n++] = *v;
    }
    if (ph->nlater < ENGINE_EVENTS_AHEAD) ph->later[ph->nlater++] = r;
    else r.offset = 0, msgq_push(ph->events, &r);      /* no room to wait: out at once */
}

/* The events whose frame the output [out0, out0 + n) reaches go to the host, offset in its call. */
static void engine_release_events(Phonon *ph, int64_t out0, int n)
{
    int keep = 0;
    for (int i = 0; i < ph->nlater; i++) {
        EventRec *r = &ph->later[i];
        if (r->frame < out0 + n) {
            int64_t d = r->frame - out0;
            r->offset = ph->blk_off + (int)(d < 0 ? 0 : d);
            msgq_push(ph->events, r);
        } else {
            if (keep != i) ph->later[keep] = *r;
            keep++;
        }
    }
    ph->nlater = keep;
}

/* ------------------------------------------------------------------------------------------------
 * clock */

static Rat engine_cycle_at(const Phonon *ph, int64_t frame)
{
    return rat_add(ph->anchor_cycle, rat_div(rat_int(frame - ph->anchor_frame), ph->fpc));
}

static double engine_clamp_cps(double cps)
{
    return cps < ENGINE_CPS_MIN ? ENGINE_CPS_MIN : cps > ENGINE_CPS_MAX ? ENGINE_CPS_MAX : cps;
}

static void engine_set_tempo(Phonon *ph, double cps)
{
    if (!(cps > 0) || !isfinite(cps)) return;
    cps = engine_clamp_cps(cps);
    Rat now = engine_cycle_at(ph, ph->frame);
    ph->anchor_cycle = now;
    ph->anchor_frame = ph->frame;
    ph->cps = rat_from_double(cps, 100000);
    if (rat_is_zero(ph->cps)) ph->cps = rat_make(1, 100000);
    ph->fpc = rat_div(ph->sr_r, ph->cps);
}

/* ------------------------------------------------------------------------------------------------
 * hand-over (audio thread, at a block edge) */

static bool engine_name_eq(const char *a, const char *b)
{
    if (*a == '~') a++;
    if (*b == '~') b++;
    return strcmp(a, b) == 0;
}

/* The fading program's graph reads the voices of its players from the new program's buffers (voices
 * were moved there); players the new program lost read silence. */
static void engine_start_fade(Phonon *ph, Program *old, Program *np)
{
    for (int b = 0; b < old->graph.nbufs; b++) {
        const GraphBuf *gb = &old->graph.bufs[b];
        if (gb->kind != GB_EXTERN || old->externs[gb->ext].kind != EXT_PLAYER) continue;
        int j = ph->remap[old->externs[gb->ext].index];
        old->bufs[b].x = j >= 0 ? np->extptr[np->players[j].ext] : ph->zeros2;
    }
    ph->fading = old;
    ph->fade_pos = 0;
}

static void engine_release_all(Phonon *ph)
{
    voice_release_all(ph->vp);
    if (ph->vp_old) voice_release_all(ph->vp_old);
}

/* A chain keeps its orbit through an edit (by name, as its voices do). */
static void engine_remap_orbits(Phonon *ph, const Program *old, const Program *np)
{
    for (int j = 0; j < np->nplayers; j++) ph->porbit_tmp[j] = -1;
    for (int i = 0; i < old->nplayers; i++)
        if (ph->remap[i] >= 0) ph->porbit_tmp[ph->remap[i]] = ph->porbit[i];
    for (int j = 0; j < np->nplayers; j++) ph->porbit[j] = ph->porbit_was[j] = ph->porbit_tmp[j], ph->porbit_at[j] = 0;
}

/* np replaces old (the program playing; ph->ndraining < ENGINE_DRAIN): the voices of old's players go on
 * as np's players of the same names (or as orphans), old drains until its voices are done, np takes
 * over the state program_plan found, and ringing instruments read np's signals. Between blocks. */
static void engine_hand_over(Phonon *ph, Program *old, Program *np)
{
    for (int i = 0; i < old->nplayers; i++) {
        ph->remap[i] = -1;
        for (int j = 0; j < np->nplayers; j++)
            if (strcmp(old->players[i].name, np->players[j].name) == 0) ph->remap[i] = j;
    }
    ph->remap[old->nplayers] = -1;
    engine_remap_orbits(ph, old, np);
    voice_remap_players(ph->vp, ph->remap, old->nplayers + 1, np->nplayers);
    if (ph->vp_old) voice_remap_players(ph->vp_old, ph->remap, old->nplayers + 1, np->nplayers);
    ph->draining[ph->ndraining++] = old;
    program_take_over(np, old);
    bool mapped = np->pred == old && np->bufmap;
    for (int i = 0; i < ph->ndraining; i++) program_remap_instruments(ph->draining[i], mapped ? np : NULL);
}

static void engine_take_program(Phonon *ph)
{
    if (ph->ndraining == ENGINE_DRAIN) return;          /* wait until an old one has drained */
    if (ph->fading) return;                             /* and until the last crossfade is over */
    Program *np = atomic_exchange_explicit(&ph->pending, NULL, memory_order_acq_rel);
    if (!np) return;
    Program *old = ph->cur;
    if (old) {
        engine_hand_over(ph, old, np);
        if (np->fade) engine_start_fade(ph, old, np);
    }
    if (np->has_tempo && np->tempo_applies) engine_set_tempo(ph, np->cps);
    if (np->panic) engine_release_all(ph);
    ph->warned_drop = ph->warned_clamp = false;
    ph->cur = np;
    atomic_store_explicit(&ph->cur_pub, np, memory_order_release);
}

static void engine_drain(Phonon *ph)
{
    for (int i = 0; i < ph->ndraining;) {
        Program *p = ph->draining[i];
        bool ringing = voice_count_owner(ph->vp, p) > 0 || (ph->vp_old && voice_count_owner(ph->vp_old, p) > 0);
        if (p != ph->fading && !ringing && msgq_push(ph->retired, &p)) {
            ph->draining[i] = ph->draining[--ph->ndraining];
            continue;
        }
        i++;
    }
}

static void engine_requests(Phonon *ph)
{
    uint64_t c = atomic_exchange(&ph->cps_req, 0);
    if (c) engine_set_tempo(ph, bits_to_double(c));
    uint64_t s = atomic_exchange(&ph->seek_req, UINT64_MAX);
    if (s != UINT64_MAX) {
        ph->anchor_cycle = rat_from_double(bits_to_double(s), 1000000);
        ph->anchor_frame = ph->frame;
    }
    if (atomic_exchange(&ph->panic_req, 0)) engine_release_all(ph);
}

/* ------------------------------------------------------------------------------------------------
 * one block */

static double engine_signal_at(void *ud, int id, Rat t)
{
    Phonon *ph = ud;
    const Program *p = ph->query_prog;
    if (!p || id < 0 || id >= p->nprobes || p->probes[id].buf < 0) return 0;
    double x = schedule_frame(&ph->blk, t);
    int f = x < 0 ? 0 : x >= ph->blk.n ? ph->blk.n - 1 : (int)x;
    return dsp_at(&p->bufs[p->probes[id].buf], f, 0);
}

static bool engine_stmt_plays(Phonon *ph, const Program *p, int stmt)
{
    if (stmt < 0 || stmt >= p->nstmts) return true;
    unsigned f = atomic_load_explicit(&p->stmt_flags[stmt], memory_order_relaxed);
    if (f & STMT_MUTED) return false;
    if (atomic_load_explicit(&ph->solo_count, memory_order_relaxed) > 0 && !(f & STMT_SOLO)) return false;
    return true;
}

/* The value in force for a slot: the one set, else def (the bus's own). Any thread. */
static double engine_slot_value(Slot *sl, double def)
{
    if (!atomic_load_explicit(&sl->set, memory_order_acquire)) return def;
    uint64_t u = atomic_load_explicit(&sl->bits, memory_order_relaxed);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* QueryEnv.control: a pattern's read of a slot (pattern_control). */
static double engine_control_at(void *ud, int slot, double def)
{
    Phonon *ph = ud;
    return slot >= 0 && slot < ENGINE_SLOTS ? engine_slot_value(&ph->slots[slot], def) : def;
}

/* After a set, the players whose patterns read slots query their cycle again (their cached onsets were
 * worked out with the old value); the onsets already played stay played. */
static void engine_control_changed(Phonon *ph, Program *p)
{
    unsigned g = atomic_load_explicit(&ph->control_gen, memory_order_acquire);
    if (g == ph->control_seen) return;
    ph->control_seen = g;
    if (!p || !p->pcache || !p->reads_controls) return;
    for (int i = 0; i < p->nplayers; i++) p->pcache[i].valid = false;
}

/* A control slot's values for this block: the value set (or the bus's own, def), reached through the
 * smoother. Moved once a block, however many programs read it; mem receives the block when it moves. */
static void engine_slot_block(Phonon *ph, Slot *sl, float def, float *mem, DspBuf *out, int n)
{
    if (sl->stamp != ph->frame || !sl->x) {
        float target = (float)engine_slot_value(sl, def);
        if (!sl->primed) sl->y1 = sl->y2 = target, sl->primed = true;
        sl->moving = program_smooth(&sl->y1, &sl->y2, target, ph->glide_coef, mem, n);
        if (!sl->moving) mem[0] = target;
        sl->x = mem;
        sl->stamp = ph->frame;
    }
    out->x = (float *)sl->x;
    out->flags = sl->moving ? 0 : DSP_CONST;
}

static void engine_bind_externs(Phonon *ph, Program *p, const float *const *ins, int off, int n)
{
    for (int b = 0; b < p->graph.nbufs; b++) {
        const GraphBuf *gb = &p->graph.bufs[b];
        if (gb->kind != GB_EXTERN) continue;
        const Extern *e = &p->externs[gb->ext];
        p->bufs[b].flags = 0;
        if (e->kind == EXT_INPUT) {
            const float *in = (ins && e->index < ph->cfg.ins && ins[e->index]) ? ins[e->index] + off : ph->zeros;
            p->bufs[b].x = (float *)in;
        } else if (e->kind == EXT_SLOT && e->index >= 0 && e->index < ENGINE_SLOTS) {
            engine_slot_block(ph, &ph->slots[e->index], e->value, p->extptr[gb->ext], &p->bufs[b], n);
        }
    }
    program_glides(p, n, ph->glide_coef);
}

/* The voices of the pool phonon_set_voices replaced ring out into the same players; once none is left the
 * pool goes back to the control side to be freed. */
static void engine_render_old_pool(Phonon *ph, Program *p, int nplayers, int n)
{
    VoiceStats vs;
    voice_stats(ph->vp_old, &vs);
    if (vs.active == 0 && !atomic_load_explicit(&ph->vp_done, memory_order_acquire)) {
        atomic_store_explicit(&ph->vp_done, ph->vp_old, memory_order_release);
        ph->vp_old = NULL;
        return;
    }
    voice_begin_block(ph->vp_old, n);
    for (int i = 0; i <= nplayers; i++) ph->old_out[i] = ph->old_mem + (size_t)i * 2 * (size_t)ph->block;
    voice_render(ph->vp_old, ph->pool, p ? p->bufs : NULL, ph->old_out, nplayers + 1, n);
    for (int i = 0; i <= nplayers; i++) {
        float *dst = ph->player_out[i];
        if (!dst) continue;
        for (int f = 0; f < 2 * n; f++) dst[f] += ph->old_out[i][f];
    }
}

/* After the block: each feedback extern gets a copy of its source, read during the next block. */
static void engine_feedback(Program *p, int n)
{
    for (int b = 0; b < p->graph.nbufs; b++) {
        const GraphBuf *gb = &p->graph.bufs[b];
        if (gb->kind != GB_EXTERN || p->externs[gb->ext].kind != EXT_FEEDBACK) continue;
        int src = p->externs[gb->ext].index;
        float *dst = p->extptr[gb->ext];
        if (src < 0) continue;
        const DspBuf *s = &p->bufs[src];
        for (int f = 0; f < n; f++) {
            float v = dsp_at(s, f, 0);
            if (s->lanes == 2) v = 0.5f * (v + dsp_at(s, f, 1));
            dst[f] = v;
        }
    }
}

/* A track with an output channel of its own (`out3:`), mono: a stereo track's lanes are averaged. */
static void engine_mix_chan(float *chan, const DspBuf *b, float g, int n)
{
    if (b->lanes == 2) g *= 0.5f;
    for (int f = 0; f < n; f++)
        chan[f] += g * (dsp_at(b, f, 0) + (b->lanes == 2 ? dsp_at(b, f, 1) : 0));
}

static void engine_mix_range(float *mix, const DspBuf *b, float g, int f0, int f1)
{
    for (int f = f0; f < f1; f++) {
        mix[2 * f] += g * dsp_at(b, f, 0);
        mix[2 * f + 1] += g * dsp_at(b, f, b->lanes == 2 ? 1 : 0);
    }
}

/* A main-mix track of a chain on an orbit (not `direct`): the orbit of the chain's latest event, from the
 * frame of that event on (the track's player in the playing program's numbering: j). */
static void engine_mix_orbit(Phonon *ph, int j, float *mix, float *omix, const DspBuf *b, float g, int n)
{
    int at = ph->porbit_at[j], was = ph->porbit_was[j], now = ph->porbit[j];
    float *before = was >= 0 ? omix + (size_t)was * 2 * ENGINE_BLOCK : mix;
    engine_mix_range(before, b, g, 0, at);
    engine_mix_range(now >= 0 ? omix + (size_t)now * 2 * ENGINE_BLOCK : mix, b, g, at, n);
}

/* The tracks into the main mix, their own outputs (outK:) and the orbits (omix, when there are orbits).
 * fading: p is the program fading out, whose players map to the playing program's through ph->remap. */
static void engine_mix(Phonon *ph, Program *p, float *mix, float *chans, float *omix, bool fading, int n)
{
    for (int f = 0; f < 2 * n; f++) mix[f] = 0;
    for (int c = 0; c < ph->nchans; c++) memset(chans + (size_t)c * ENGINE_BLOCK, 0, sizeof(float) * (size_t)n);
    if (omix)
        for (int k = 0; k < ORBIT_COUNT; k++) memset(omix + (size_t)k * 2 * ENGINE_BLOCK, 0, sizeof(float) * 2 * (size_t)n);
    if (!p) return;
    for (int t = 0; t < p->ntracks; t++) {
        const Track *tr = &p->tracks[t];
        if (!engine_stmt_plays(ph, p, tr->stmt)) continue;
        const DspBuf *b = &p->bufs[tr->buf];
        float g = tr->gain;
        if (tr->out >= 2 && tr->out - 2 < ph->nchans) {
            engine_mix_chan(chans + (size_t)(tr->out - 2) * ENGINE_BLOCK, b, g, n);
            continue;
        }
        int j = tr->player >= 0 && !p->players[tr->player].direct ? (fading ? ph->remap[tr->player] : tr->player) : -1;
        if (omix && j >= 0) engine_mix_orbit(ph, j, mix, omix, b, g, n);
        else engine_mix_range(mix, b, g, 0, n);
    }
}

/* The fading program's mix goes out as the new one's comes in, along a raised cosine (no corner, so
 * nothing clicks where the two differ). Voices are in the new program's mix only. */
static void engine_crossfade(Phonon *ph, Program *old, bool orbits, int n)
{
    graph_run_range(&old->graph, old->nupstream, old->graph.nnodes, old->state, old->bufs, n, (float)ph->sr);
    float *omix = orbits ? ph->oldomix : NULL;      /* the tracks on orbits fade on their orbits */
    engine_mix(ph, old, ph->oldmix, ph->oldchans, omix, true, n);
    engine_feedback(old, n);
    for (int f = 0; f < n; f++) {
        int k = ph->fade_pos + f;
        float g = k >= ph->fade_len ? 1.0f : 0.5f - 0.5f * cosf((float)M_PI * (float)k / (float)ph->fade_len);
        float *m = &ph->mix[2 * f];
        const float *o = &ph->oldmix[2 * f];
        m[0] = o[0] + g * (m[0] - o[0]);
        m[1] = o[1] + g * (m[1] - o[1]);
        for (int c = 0; c < ph->nchans; c++) {
            float *x = &ph->chans[(size_t)c * ENGINE_BLOCK + f];
            float ox = ph->oldchans[(size_t)c * ENGINE_BLOCK + f];
            *x = ox + g * (*x - ox);
        }
        for (int k = 0; omix && k < ORBIT_COUNT; k++) {
            float *x = &ph->omix[(size_t)k * 2 * ENGINE_BLOCK + 2 * (size_t)f];
            const float *ox = &omix[(size_t)k * 2 * ENGINE_BLOCK + 2 * (size_t)f];
            x[0] = ox[0] + g * (x[0] - ox[0]);
            x[1] = ox[1] + g * (x[1] - ox[1]);
        }
    }
    ph->fade_pos += n;
    if (ph->fade_pos >= ph->fade_len) ph->fading = NULL;
}

/* the hush message holds until unhush; a `hush` statement only while its program plays */
static bool engine_hushed(Phonon *ph)
{
    return atomic_load_explicit(&ph->hushed, memory_order_relaxed) || (ph->cur && ph->cur->hush);
}

/* Audio thread: add one block's master-stage figures (the only writer, so load and store suffice). */
static void engine_master_stats(Phonon *ph, int n, float in_peak, long limited, float low_gain)
{
    atomic_fetch_add_explicit(&ph->stat_master_frames, n, memory_order_relaxed);
    if (limited) atomic_fetch_add_explicit(&ph->stat_master_limited, limited, memory_order_relaxed);
    if (in_peak > bits_to_double(atomic_load_explicit(&ph->stat_master_peak, memory_order_relaxed)))
        atomic_store_explicit(&ph->stat_master_peak, bits_from_double(in_peak), memory_order_relaxed);
    if (1.0 - low_gain > bits_to_double(atomic_load_explicit(&ph->stat_master_cut, memory_order_relaxed)))
        atomic_store_explicit(&ph->stat_master_cut, bits_from_double(1.0 - low_gain), memory_order_relaxed);
}

static void engine_output(Phonon *ph, float *const *outs, int off, int n)
{
    bool hushed = engine_hushed(ph);
    long bad = 0;
    int nouts = outs ? ph->cfg.outs : 0;            /* no outs: the look-ahead is being filled */
    float in_peak = 0, low_gain = 1;
    long limited = 0;
    for (int f = 0; f < n; f++) {
        float l = ph->mix[2 * f], r = ph->mix[2 * f + 1];
        if (!isfinite(l)) { l = 0; bad++; }
        if (!isfinite(r)) { r = 0; bad++; }
        in_peak = fmaxf(in_peak, fmaxf(fabsf(l), fabsf(r)));
        limiter_frame(ph->lim, &l, &r);         /* the master stage (limiter.h) */
        float g = limiter_gain(ph->lim);
        limited += g < 1.0f;
        low_gain = fminf(low_gain, g);
        if (hushed) l = r = 0;
        if (nouts == 1) {
            if (outs[0]) outs[0][off + f] = 0.5f * (l + r);
        } else if (nouts >= 2) {
            if (outs[0]) outs[0][off + f] = l;
            if (outs[1]) outs[1][off + f] = r;
        }
    }
    /* outputs 3 ... N: the `outK:` tracks that have one to themselves, as they are (no limiter), delayed
       like the stereo pair by the look-ahead (a ring per channel) so every output stays in step */
    for (int c = 0; c < ph->nchans; c++) {
        float *ring = ph->chan_ring + (size_t)c * ENGINE_CHAN_RING;
        const float *x = ph->chans + (size_t)c * ENGINE_BLOCK;
        float *o = c + 2 < nouts ? outs[c + 2] : NULL;
        for (int f = 0; f < n; f++) {
            long at = ph->ring_pos + f;
            ring[at & (ENGINE_CHAN_RING - 1)] = x[f];
            if (!o) continue;
            float v = hushed ? 0 : ring[(at - ph->ahead) & (ENGINE_CHAN_RING - 1)];
            if (!isfinite(v)) { v = 0; bad++; }
            o[off + f] = v;
        }
    }
    for (int c = 2 + ph->nchans; c < nouts; c++)
        if (outs[c]) memset(outs[c] + off, 0, sizeof(float) * (size_t)n);
    ph->ring_pos += n;
    if (outs) engine_release_events(ph, ph->frame - ph->ahead, n);
    if (bad) atomic_fetch_add_explicit(&ph->stat_nonfinite, bad, memory_order_relaxed);
    engine_master_stats(ph, n, in_peak, limited, low_gain);
}

/* Pattern work is paid from a budget that fills at PATTERN_STEPS_PER_SECOND of audio and saves up
 * at most PATTERN_STEPS_BURST (a cycle's query may take more than one block's share); voice starts
 * likewise, one per ENGINE_FRAMES_PER_ONSET frames, saving up ENGINE_ONSET_BURST (a chord on every player). */
static void engine_refill_budget(Phonon *ph, int n)
{
    QueryBudget *b = &ph->budget;
    if (b->left < 0) b->left = 0;
    b->left += (long)((double)PATTERN_STEPS_PER_SECOND * n / ph->sr) + 1;
    if (b->left > PATTERN_STEPS_BURST) b->left = PATTERN_STEPS_BURST;
    ph->onsets += n / ENGINE_FRAMES_PER_ONSET + 1;
    if (ph->onsets > ENGINE_ONSET_BURST) ph->onsets = ENGINE_ONSET_BURST;
}

/* Counted always, reported once per program (audio thread: constant texts only). */
static void engine_budget_report(Phonon *ph, long dropped, bool deep, long steps, long clamped)
{
    atomic_fetch_add_explicit(&ph->stat_steps, steps, memory_order_relaxed);
    if (clamped) atomic_fetch_add_explicit(&ph->stat_clamped, clamped, memory_order_relaxed);
    if (dropped && !ph->warned_drop) {
        ph->warned_drop = true;
        engine_post(ph, PHONON_MSG_WARNING, deep ? ENGINE_MSG_DEEP : ENGINE_MSG_DROP);
    }
    if (clamped && !ph->warned_clamp) {
        ph->warned_clamp = true;
        engine_post(ph, PHONON_MSG_WARNING, ENGINE_MSG_CLAMP);
    }
}

/* The orbits' buses are players after every program's: Tidal's events due in this block start there, as
 * do the voices of a `direct` chain's events on orbits (engine_orbit_event). */
static void engine_orbit_buses(Phonon *ph, Orbits *o, int nplayers)
{
    for (int i = nplayers + 1; i < ENGINE_ORBIT_PLAYER0; i++) ph->player_out[i] = NULL;
    for (int k = 0; k < ORBIT_COUNT; k++) ph->player_out[ENGINE_ORBIT_PLAYER0 + k] = orbit_bus(o, k);
}

/* SchedSink.orbit: an event of a program on an orbit sets the orbit's effects (the last event's win); a
 * `direct` chain's voice sums into the orbit's bus, another chain's track follows it to the orbit. */
static int engine_orbit_event(void *ud, const Program *p, int player, const ValMap *m, double frame, double cps)
{
    Phonon *ph = ud;
    Orbits *o = atomic_load_explicit(&ph->orbits, memory_order_acquire);
    if (!o) return player;
    int k;
    OrbitFx fx;
    schedule_orbit_fx(m, &k, &fx);
    orbit_set(o, k, &fx, cps);
    if (p->players[player].direct) return ENGINE_ORBIT_PLAYER0 + k;
    if (ph->porbit[player] != k) {
        if (ph->porbit_at[player] == 0) {       /* the first change in this block: until then the old orbit */
            int at = frame > 0 ? (int)ceil(frame) : 0;
            ph->porbit_was[player] = ph->porbit[player];
            ph->porbit_at[player] = at < ph->blk.n ? at : ph->blk.n - 1;
        }
        ph->porbit[player] = k;
    }
    return player;
}

/* What the tracks on orbits played (omix, after the crossfade) joins the voices in the orbits' buses. */
static void engine_orbit_tracks(Phonon *ph, Orbits *o, int n)
{
    for (int k = 0; k < ORBIT_COUNT; k++) {
        float *bus = orbit_bus(o, k);
        const float *x = ph->omix + (size_t)k * 2 * ENGINE_BLOCK;
        for (int f = 0; f < 2 * n; f++) bus[f] += x[f];
    }
}

static void engine_block(Phonon *ph, const float *const *ins, float *const *outs, int off, int n)
{
    ph->blk_off = off;
    engine_requests(ph);
    engine_take_program(ph);
    engine_drain(ph);
    Program *p = ph->cur;
    bool running = atomic_load_explicit(&ph->running, memory_order_relaxed);

    SchedBlock *b = &ph->blk;
    b->c0 = engine_cycle_at(ph, ph->frame);
    b->c1 = running ? engine_cycle_at(ph, ph->frame + n) : b->c0;
    b->fpc = ph->fpc;
    b->fpc_d = rat_to_double(ph->fpc);
    b->cps = rat_to_double(ph->cps);
    b->sr = ph->sr;
    b->n = n;
    b->frame = ph->frame;
    /* the look-ahead is rendered on the first output block's budget: pattern work stays bounded by
       the output's length, not the frames rendered ahead of it */
    if (outs && !ph->prime_budget) engine_refill_budget(ph, n);
    else if (outs) ph->prime_budget = false;
    /* hush stops the events too (Tidal's hush): a host playing them hears it as the engine's own sounds */
    bool hushed = atomic_load_explicit(&ph->hushed, memory_order_relaxed) || (p && p->hush);
    bool events = (atomic_load(&ph->events_on) || atomic_load(&ph->dirtout_on)) && !hushed;
    Orbits *orb = atomic_load_explicit(&ph->orbits, memory_order_acquire);
    SchedSink sink = { engine_unknown_sound, events ? engine_event : NULL, orb ? engine_orbit_event : NULL, ph, 0, 0,
                       ph->onsets };
    if (p)
        for (int i = 0; i < p->nplayers; i++) ph->porbit_was[i] = ph->porbit[i], ph->porbit_at[i] = 0;
    QueryEnv env = { engine_signal_at, ph, &ph->budget, engine_control_at };
    engine_control_changed(ph, p);
    long used0 = ph->budget.used, clamped0 = ph->budget.clamped, deep0 = ph->budget.deep;

    voice_begin_block(ph->vp, n);
    int nplayers = 0;
    Program *old = ph->fading;
    if (old) {                      /* the program fading out runs its graph beside the new one */
        ph->query_prog = old;
        engine_bind_externs(ph, old, ins, off, n);
        schedule_ctrls(old, b, &ph->eb, &env, &sink);
        graph_run_range(&old->graph, 0, old->nupstream, old->state, old->bufs, n, (float)ph->sr);
    }
    ph->query_prog = p;
    if (p) {
        engine_bind_externs(ph, p, ins, off, n);
        long keep = query_budget_hold(&ph->budget, p->nplayers + 1);    /* the controls: a player's share */
        schedule_ctrls(p, b, &ph->eb, &env, &sink);
        query_budget_release(&ph->budget, keep);
        graph_run_range(&p->graph, 0, p->nupstream, p->state, p->bufs, n, (float)ph->sr);
        nplayers = p->nplayers;
        for (int i = 0; i < p->nplayers; i++) {
            ph->player_out[i] = p->extptr[p->players[i].ext];
            if (running && engine_stmt_plays(ph, p, p->players[i].stmt)) {
                long keep = query_budget_hold(&ph->budget, p->nplayers - i);     /* a fair share each */
                long keep_onsets = sink.onsets - sink.onsets / (p->nplayers - i);
                sink.onsets -= keep_onsets;
                schedule_player(p, i, b, &ph->eb, &env, ph->vp, &sink);
                query_budget_release(&ph->budget, keep);
                sink.onsets += keep_onsets;
            }
        }
    }
    ph->player_out[nplayers] = ph->orphan;
    Dirt *dirt = orb ? atomic_load_explicit(&ph->dirt, memory_order_acquire) : NULL;
    if (orb) engine_orbit_buses(ph, orb, nplayers);
    if (dirt) dirt_block(dirt, ph->frame, &ph->blk, p, ENGINE_ORBIT_PLAYER0, ph->vp, orb, &sink);
    voice_render(ph->vp, ph->pool, p ? p->bufs : NULL, ph->player_out, orb ? ENGINE_ALL_PLAYERS : nplayers + 1, n);
    if (ph->vp_old) engine_render_old_pool(ph, p, nplayers, n);
    if (p) graph_run_range(&p->graph, p->nupstream, p->graph.nnodes, p->state, p->bufs, n, (float)ph->sr);
    engine_mix(ph, p, ph->mix, ph->chans, orb ? ph->omix : NULL, false, n);
    if (p) engine_feedback(p, n);
    if (old) engine_crossfade(ph, old, orb != NULL, n);
    for (int f = 0; f < 2 * n; f++) ph->mix[f] += ph->orphan[f];     /* voices of players no program has */
    if (orb) {                      /* the orbits' own outputs go through the output stage with the rest */
        engine_orbit_tracks(ph, orb, n);
        orbit_process(orb, ph->mix, 2 + ph->nchans, n);
        orbit_outs(orb, ph->chans, ENGINE_BLOCK, 2 + ph->nchans, n);
    }
    engine_output(ph, outs, off, n);

    ph->onsets = sink.onsets;
    if (sink.late) atomic_fetch_add_explicit(&ph->stat_late, sink.late, memory_order_relaxed);
    if (sink.overflow) atomic_fetch_add_explicit(&ph->stat_overflow, sink.overflow, memory_order_relaxed);
    engine_budget_report(ph, sink.overflow, ph->budget.deep > deep0, ph->budget.used - used0,
                         ph->budget.clamped - clamped0);
    atomic_fetch_add_explicit(&ph->stat_blocks, 1, memory_order_relaxed);
    if (running) ph->frame += n;
    else ph->anchor_frame += n, ph->frame += n;        /* stopped: the cycle position stays */
    atomic_store_explicit(&ph->cycle_now, rat_to_double(engine_cycle_at(ph, ph->frame)), memory_order_relaxed);
    /* what the output has reached: ahead frames back along the clock (while stopped it stands still) */
    double heard = running ? rat_to_double(engine_cycle_at(ph, ph->frame - ph->ahead)) : atomic_load(&ph->cycle_now);
    atomic_store_explicit(&ph->cycle_heard, heard, memory_order_relaxed);
}

/* Denormals make recursive filters crawl; the host's own setting is restored afterwards. */
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static unsigned engine_ftz_on(void)
{
    unsigned old = _mm_getcsr();
    _mm_setcsr(old | 0x8040);               /* FTZ | DAZ */
    return old;
}
static void engine_ftz_off(unsigned old) { _mm_setcsr(old); }
#else
static unsigned engine_ftz_on(void) { return 0; }
static void engine_ftz_off(unsigned old) { (void)old; }
#endif

/* Render the look-ahead's frames before the first output (and after a new format): no input, no
 * output; the limiter takes them in and gives back its initial silence. */
static void engine_prime(Phonon *ph)
{
    for (int done = 0; done < ph->ahead;) {
        int n = ph->ahead - done < ph->block ? ph->ahead - done : ph->block;
        engine_block(ph, NULL, NULL, 0, n);
        done += n;
    }
    ph->primed = true;
    ph->prime_budget = true;
}

static uint64_t engine_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);     /* the vDSO: no system call, no lock */
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* One call's time against its budget (the time its frames last), for phonon_stats. */
static void engine_count_load(Phonon *ph, uint64_t ns, int nframes)
{
    uint64_t budget = (uint64_t)((double)nframes * 1e9 / ph->sr);
    if (budget == 0) return;
    double share = (double)ns / (double)budget;
    int bin = (int)(share / ENGINE_LOAD_STEP);
    if (bin >= ENGINE_LOAD_BINS) bin = ENGINE_LOAD_BINS - 1;
    atomic_fetch_add_explicit(&ph->load_bins[bin], 1, memory_order_relaxed);
    if (share > bits_to_double(atomic_load_explicit(&ph->load_max, memory_order_relaxed)))
        atomic_store_explicit(&ph->load_max, bits_from_double(share), memory_order_relaxed);
    atomic_fetch_add_explicit(&ph->load_ns, ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&ph->load_budget_ns, budget, memory_order_relaxed);
}

void phonon_process(Phonon *ph, const float *const *ins, float *const *outs, int nframes)
{
    uint64_t t0 = engine_now_ns();
    unsigned csr = engine_ftz_on();
    if (!ph->primed && nframes > 0) engine_prime(ph);
    for (int off = 0; off < nframes;) {
        int n = nframes - off < ph->block ? nframes - off : ph->block;
        engine_block(ph, ins, outs, off, n);
        off += n;
    }
    engine_ftz_off(csr);
    if (nframes > 0) engine_count_load(ph, engine_now_ns() - t0, nframes);
}

/* ------------------------------------------------------------------------------------------------
 * creation */

void phonon_config_default(PhononConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->sr = 44100;
    cfg->max_block = 4096;
    cfg->threads = 0;
    cfg->voices = 4096;
    cfg->outs = 2;
    cfg->ins = 0;
}

/* What depends on the sample rate and the block: the smoother's coefficient, the crossfade's length. */
static void engine_timing(Phonon *ph)
{
    ph->glide_coef = (float)(1.0 - exp(-1.0 / (ENGINE_GLIDE_MS * 0.001 * ph->sr)));
    ph->fade_len = (int)lround(ENGINE_FADE_MS * 0.001 * ph->sr);
    if (ph->fade_len < 1) ph->fade_len = 1;
}

static bool engine_alloc_audio(Phonon *ph)
{
    VoiceConfig vc = { ph->cfg.voices, ph->block, ph->sr, ENGINE_ALL_PLAYERS };
    ph->vp = voice_pool_new(&vc);
    return ph->vp != NULL;
}

Phonon *phonon_new(const PhononConfig *cfg_in)
{
    Phonon *ph = calloc(1, sizeof *ph);
    if (!ph) return NULL;
    if (cfg_in) ph->cfg = *cfg_in;
    else phonon_config_default(&ph->cfg);
    if (!(ph->cfg.sr >= ENGINE_MIN_SR && ph->cfg.sr <= ENGINE_MAX_SR)) ph->cfg.sr = 44100;
    if (ph->cfg.max_block <= 0) ph->cfg.max_block = 4096;
    if (ph->cfg.voices <= 0) ph->cfg.voices = 4096;
    if (ph->cfg.voices > ENGINE_MAX_VOICES) ph->cfg.voices = ENGINE_MAX_VOICES;
    if (ph->cfg.outs <= 0) ph->cfg.outs = 2;
    if (ph->cfg.ins < 0) ph->cfg.ins = 0;
    ph->sr = ph->cfg.sr;
    ph->block = ph->cfg.max_block < ENGINE_BLOCK ? ph->cfg.max_block : ENGINE_BLOCK;
    pthread_mutex_init(&ph->ctl, NULL);
    ph->msgs = msgq_new(512, sizeof(PhononMsg));
    ph->retired = msgq_new(ENGINE_DRAIN * 2, sizeof(Program *));
    ph->events = msgq_new(4096, sizeof(EventRec));
    ph->bank = bank_new(ph->sr, engine_bank_log, ph);
    ph->pool = pool_new(ph->cfg.threads);
    ph->mix = calloc((size_t)ph->block * 2, sizeof(float));
    ph->oldmix = calloc((size_t)ph->block * 2, sizeof(float));
    ph->orphan = calloc((size_t)ph->block * 2, sizeof(float));
    ph->nchans = ph->cfg.outs > 2 ? (ph->cfg.outs < ENGINE_MAX_OUTS ? ph->cfg.outs : ENGINE_MAX_OUTS) - 2 : 0;
    ph->chans = calloc((size_t)ph->nchans * ENGINE_BLOCK + 1, sizeof(float));
    ph->oldchans = calloc((size_t)ph->nchans * ENGINE_BLOCK + 1, sizeof(float));
    ph->chan_ring = calloc((size_t)ph->nchans * ENGINE_CHAN_RING + 1, sizeof(float));
    ph->zeros = calloc((size_t)ph->block, sizeof(float));
    ph->zeros2 = calloc((size_t)ph->block * 2, sizeof(float));
    engine_timing(ph);
    ph->player_out = calloc(ENGINE_ALL_PLAYERS + 1, sizeof(float *));
    ph->remap = calloc(ENGINE_MAX_PLAYERS + 2, sizeof(int));
    ph->cache = compile_cache_new();
    if (!ph->cache || !ph->msgs || !ph->retired || !ph->events || !ph->bank || !ph->pool || !ph->mix || !ph->oldmix || !ph->orphan ||
        !ph->chans || !ph->oldchans || !ph->chan_ring || !ph->zeros || !ph->zeros2 ||
        !ph->player_out || !ph->remap || !eventbuf_init(&ph->eb, ENGINE_EVENTS, (size_t)ENGINE_EVENTS * 128) ||
        !(ph->later = malloc(sizeof(EventRec) * ENGINE_EVENTS_AHEAD)) ||
        !engine_alloc_audio(ph) || !(ph->lim = limiter_new(ph->sr, LIMITER_LOOKAHEAD))) {
        phonon_free(ph);
        return NULL;
    }
    ph->ahead = limiter_latency(ph->lim);
    bank_set_on_demand(ph->bank, true);
    bank_set_limits(ph->bank, ph->cfg.sample_file_max, ph->cfg.sample_memory_max);
    if (ph->cfg.sample_dirs)
        for (const char *const *d = ph->cfg.sample_dirs; *d; d++) {
            char err[256];
            if (bank_add_root(ph->bank, *d, err, sizeof err) < 0) engine_post(ph, PHONON_MSG_ERROR, err);
        }
    bank_set_use_system(ph->bank, !ph->cfg.no_system_samples);
    if (!bank_add_defaults(ph->bank)) {
        phonon_free(ph);
        return NULL;
    }

    ph->sr_r = rat_from_double(ph->sr, 1000);
    ph->anchor_cycle = rat_int(0);
    ph->cps = rat_make(1, 2);
    ph->fpc = rat_div(ph->sr_r, ph->cps);
    ph->budget.left = PATTERN_STEPS_BURST;
    ph->onsets = ENGINE_ONSET_BURST;
    for (int i = 0; i < ENGINE_MAX_PLAYERS; i++) ph->porbit[i] = ph->porbit_was[i] = -1;
    atomic_store(&ph->seek_req, UINT64_MAX);
    atomic_store(&ph->running, 1);
    return ph;
}

static void engine_free_old_pool(Phonon *ph)
{
    VoicePool *done = atomic_exchange(&ph->vp_done, NULL);
    if (done) voice_pool_free(done);
}

static void engine_collect(Phonon *ph)
{
    Program *p;
    while (ph->retired && msgq_pop(ph->retired, &p)) program_free(p);
}

void phonon_free(Phonon *ph)
{
    if (!ph) return;
    dirt_free(atomic_load(&ph->dirt));      /* its receiver thread looks sounds up in the bank */
    dirtout_free(ph->dirtout);
    orbit_free(atomic_load(&ph->orbits));
    free(ph->omix);
    free(ph->oldomix);
    if (ph->pool) pool_free(ph->pool);
    if (ph->bank) bank_free(ph->bank);
    if (ph->vp) voice_pool_free(ph->vp);
    limiter_free(ph->lim);
    free(ph->later);
    if (ph->vp_old) voice_pool_free(ph->vp_old);
    engine_free_old_pool(ph);
    free(ph->old_mem);
    free(ph->old_out);
    engine_collect(ph);
    for (int i = 0; i < ph->ndraining; i++) program_free(ph->draining[i]);
    program_free(ph->cur);
    program_free(atomic_load(&ph->pending));
    eventbuf_free(&ph->eb);
    msgq_free(ph->msgs);
    msgq_free(ph->retired);
    msgq_free(ph->events);
    free(ph->mix);
    free(ph->oldmix);
    free(ph->orphan);
    free(ph->chans);
    free(ph->oldchans);
    free(ph->chan_ring);
    free(ph->zeros);
    free(ph->zeros2);
    free(ph->player_out);
    free(ph->remap);
    engine_stmts_free(&ph->stmts);
    compile_cache_free(ph->cache);
    pthread_mutex_destroy(&ph->ctl);
    free(ph);
}

/* ------------------------------------------------------------------------------------------------
 * programs */

int phonon_error_format(const PhononError *e, char *buf, int size)
{
    return snprintf(buf, (size_t)size, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
}

int phonon_error_format_source(const PhononError *e, char *buf, int size)
{
    int n = phonon_error_format(e, buf, size);
    if (e->caret < 0 || !e->source[0]) return n;
    char gutter[16], pad[sizeof e->source];
    int gw = snprintf(gutter, sizeof gutter, "%d", e->line), k = 0;
    for (int i = 0; i < e->caret && e->source[i]; i++) {     /* tabs kept, so the caret lines up */
        unsigned char ch = (unsigned char)e->source[i];
        if ((ch & 0xC0) != 0x80) pad[k++] = ch == '\t' ? '\t' : ' ';
    }
    pad[k] = 0;
    int m = snprintf(buf + (n < size ? n : size), n < size ? (size_t)(size - n) : 0, "\n    %s | %s\n    %*s | %s^",
                     gutter, e->source, gw, "", pad);
    return n + m;
}

static void engine_error(PhononError *e, const char *file, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void engine_error(PhononError *e, const char *file, const char *fmt, ...)
{
    snprintf(e->file, sizeof e->file, "%s", file ? file : "-");
    e->line = e->col = 1;
    e->source[0] = 0;          /* no line of the program to show */
    e->caret = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

static void engine_fill_error(PhononError *e, const char *file, const CompileMsg *m)
{
    snprintf(e->file, sizeof e->file, "%s", file ? file : "-");
    e->line = m->line;
    e->col = m->col;
    snprintf(e->msg, sizeof e->msg, "%s%s", m->warning ? "warning: " : "", m->msg);
    snprintf(e->source, sizeof e->source, "%s", m->source);
    e->caret = m->caret;
}

/* An instrument whose group of voices needs more state than all instrument voices share would never
 * sound: say so once, when it is compiled (each voice start that fails is counted as dropped too). */
static void engine_check_instrument(Phonon *ph, const Instrument *in, const char *file)
{
    size_t need = graph_state_floats(in->graph), have = voice_state_capacity(ph->vp);
    if (need <= have) return;
    char text[480];
    const char *name = sym_name(in->name);
    snprintf(text, sizeof text, "%s: warning: instrument %s%s needs %.1f MB for each group of %d voices, more than "
             "the %.1f MB all instrument voices share (PhononConfig.voices): its voices are dropped; put delays and "
             "reverbs on the pattern instead", file ? file : "-", name[0] == '~' ? "" : "~", name, need * 4.0 / (1 << 20),
             VOICE_LANES, have * 4.0 / (1 << 20));
    engine_post(ph, PHONON_MSG_WARNING, text);
}

/* A program's tempo beyond the range is clamped, with a warning at its statement (the last tempo
 * statement of stmts[0..n), or of text parsed again when stmts is NULL). */
static void engine_check_tempo(Program *p, const Stmt *stmts, int n, const char *text, CompileMsg *msgs, int max,
                               int *nmsgs)
{
    if (!p || !p->has_tempo) return;
    double cps = engine_clamp_cps(p->cps);
    if (cps == p->cps) return;
    int line = 1, col = 1;
    bool bpm = false;
    Arena a;
    arena_init(&a);
    AstProgram ast;
    LangError le[1];
    if (!stmts && text && lang_parse(text, strlen(text), &a, &ast, le, 1) == 0) {
        stmts = ast.stmts;
        n = ast.nstmts;
    }
    for (int i = 0; stmts && i < n; i++)
        if (stmts[i].kind == STMT_TEMPO && stmts[i].value > 0) {
            line = stmts[i].line;
            col = stmts[i].value_col;
            bpm = stmts[i].unit == TEMPO_BPM;
        }
    arena_free(&a);
    if (*nmsgs < max) {
        CompileMsg *m = &msgs[(*nmsgs)++];
        m->line = line;
        m->col = col;
        m->warning = true;
        if (bpm)
            snprintf(m->msg, sizeof m->msg, "bpm %g is out of range (%g to %g); clamped to %g", p->cps * 60,
                     ENGINE_CPS_MIN * 60, ENGINE_CPS_MAX * 60, cps * 60);
        else
            snprintf(m->msg, sizeof m->msg, "tempo %g cps is out of range (%g to %g); clamped to %g", p->cps,
                     ENGINE_CPS_MIN, ENGINE_CPS_MAX, cps);
    }
    p->cps = cps;
}

/* ------------------------------------------------------------------------------------------------
 * control values (any thread: no lock, no allocation) */

static uint64_t engine_slot_hash(const char *name)
{
    if (*name == '~') name++;
    uint64_t h = 1469598103934665603ull;
    for (; *name; name++) h = (h ^ (unsigned char)*name) * 1099511628211ull;
    return h ? h : 1;
}

/* The slot of a bus name, claimed if claim and it has none; -1 if the table is full (or not found). */
static int engine_slot_find(Phonon *ph, const char *name, bool claim)
{
    if (!name || !*name || (name[0] == '~' && !name[1])) return -1;
    uint64_t h = engine_slot_hash(name);
    for (int k = 0; k < ENGINE_SLOTS; k++) {
        Slot *sl = &ph->slots[(h + (uint64_t)k) & (ENGINE_SLOTS - 1)];
        uint64_t key = atomic_load_explicit(&sl->key, memory_order_acquire);
        if (key == h) return (int)((h + (uint64_t)k) & (ENGINE_SLOTS - 1));
        if (key) continue;
        if (!claim) return -1;
        uint64_t zero = 0;
        if (atomic_compare_exchange_strong(&sl->key, &zero, h) || zero == h)
            return (int)((h + (uint64_t)k) & (ENGINE_SLOTS - 1));
    }
    return -1;
}

int phonon_set_control(Phonon *ph, const char *name, double value)
{
    if (!isfinite(value)) return -1;
    int i = engine_slot_find(ph, name, true);
    if (i < 0) return -1;
    uint64_t u;
    memcpy(&u, &value, sizeof u);
    atomic_store_explicit(&ph->slots[i].bits, u, memory_order_relaxed);
    atomic_store_explicit(&ph->slots[i].set, 1, memory_order_release);
    atomic_fetch_add_explicit(&ph->control_gen, 1, memory_order_release);
    return 0;
}

bool phonon_control(Phonon *ph, const char *name, double *value)
{
    int i = engine_slot_find(ph, name, false);
    if (i < 0 || !atomic_load_explicit(&ph->slots[i].set, memory_order_acquire)) return false;
    if (value) *value = engine_slot_value(&ph->slots[i], 0);
    return true;
}

static int engine_env_slot(void *ud, const char *bus) { return engine_slot_find(ud, bus, true); }
static bool engine_env_control(void *ud, const char *bus, double *value) { return phonon_control(ud, bus, value); }

/* The text of the statement called name in p, or NULL. */
static const char *engine_stmt_text(const Program *p, const char *name)
{
    for (int i = p ? p->nstmts - 1 : -1; i >= 0; i--)
        if (p->stmts[i].name[0] && engine_name_eq(p->stmts[i].name, name)) return p->stmts[i].text;
    return NULL;
}

/* Values set for buses whose definition np changes are dropped: the new definition is the value now.
 * Returns whether any was (the program must then be compiled again without them). */
static bool engine_drop_changed_controls(Phonon *ph, const Program *np)
{
    bool any = false;
    for (int i = 0; i < np->nstmts; i++) {
        const char *nm = np->stmts[i].name;
        if (nm[0] != '~') continue;
        int k = engine_slot_find(ph, nm, false);
        if (k < 0 || !atomic_load(&ph->slots[k].set)) continue;
        const char *before = engine_stmt_text(ph->published, nm);
        if (!before || strcmp(before, np->stmts[i].text) == 0) continue;
        atomic_store(&ph->slots[k].set, 0);
        any = true;
    }
    return any;
}

/* ------------------------------------------------------------------------------------------------
 * the program as statements: the control side keeps every statement parsed, keyed by name; an edit
 * parses only its own text and replaces or adds entries, then the program is built from the entries */

static void engine_source_unref(EngineSource *src)
{
    if (!src || --src->refs > 0) return;
    arena_free(&src->arena);
    free(src->text);
    free(src);
}

static void engine_stmts_free(EngineStmts *st)
{
    for (int i = 0; i < st->n; i++) {
        engine_source_unref(st->v[i].src);
        free(st->v[i].raw);
    }
    free(st->v);
    memset(st, 0, sizeof *st);
}

/* Lines [first, last] of text (1-based), and the comment lines right above first. */
static char *engine_raw_lines(const char *text, int first, int last)
{
    const char *line_start[2] = { NULL, NULL };
    const char *p = text;
    int line = 1;
    const char *begin = NULL, *end = NULL;
    while (*p && line <= last) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        if (line < first) {                     /* a comment block directly above the statement */
            const char *q = p;
            while (*q == ' ' || *q == '\t') q++;
            bool comment = q[0] == '-' && q[1] == '-';
            if (comment && !line_start[0]) line_start[0] = p;
            if (!comment) line_start[0] = NULL;
        }
        if (line == first) begin = line_start[0] ? line_start[0] : p;
        if (line == last) end = e;
        p = *e ? e + 1 : e;
        line++;
    }
    (void)line_start[1];
    if (!begin || !end || end < begin) return strdup("");
    size_t n = (size_t)(end - begin);
    while (n && (begin[n - 1] == '\r' || begin[n - 1] == ' ')) n--;
    char *r = malloc(n + 1);
    if (!r) return NULL;
    memcpy(r, begin, n);
    r[n] = 0;
    return r;
}

static int engine_stmt_last_line(const Stmt *s)
{
    int last = s->line;
    if (s->expr && s->expr->end_line > last) last = s->expr->end_line;
    return last;
}

static bool engine_stmts_push(EngineStmts *st, const Stmt *s, EngineSource *src)
{
    if (st->n == st->cap) {
        int cap = st->cap ? st->cap * 2 : 16;
        EngineEntry *v = realloc(st->v, sizeof *v * (size_t)cap);
        if (!v) return false;
        st->v = v;
        st->cap = cap;
    }
    EngineEntry *e = &st->v[st->n];
    e->stmt = *s;
    e->src = src;
    e->raw = engine_raw_lines(src->text, s->line, engine_stmt_last_line(s));
    if (!e->raw) return false;
    src->refs++;
    st->n++;
    return true;
}

static bool engine_stmts_copy(EngineStmts *dst, const EngineStmts *from)
{
    memset(dst, 0, sizeof *dst);
    dst->v = malloc(sizeof(EngineEntry) * (size_t)(from->n + 1));
    if (!dst->v) return false;
    dst->cap = from->n + 1;
    for (int i = 0; i < from->n; i++) {
        dst->v[i] = from->v[i];
        dst->v[i].raw = strdup(from->v[i].raw);
        dst->v[i].src->refs++;
        dst->n = i + 1;
        if (!dst->v[i].raw) {
            engine_stmts_free(dst);     /* nothing half made is left behind */
            return false;
        }
    }
    return true;
}

/* Parse text into a new source. Returns the number of parse errors (written to errs). */
/* Out of memory while taking a program: nothing changed. Returns the error count (1). */
static int engine_oom(PhononError *errs, int maxerrs, const char *file)
{
    if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
    return 1;
}

static int engine_parse(const char *text, const char *file, EngineSource **out, AstProgram *ast, PhononError *errs,
                        int maxerrs)
{
    *out = NULL;
    EngineSource *src = calloc(1, sizeof *src);
    char *copy = src ? strdup(text) : NULL;
    if (!copy) {
        free(src);
        return engine_oom(errs, maxerrs, file);
    }
    arena_init(&src->arena);
    src->text = copy;
    LangError le[32];
    int n = lang_parse(src->text, strlen(src->text), &src->arena, ast, le, 32);
    for (int i = 0; i < n && errs && i < maxerrs; i++) {
        CompileMsg m = { .line = le[i].line, .col = le[i].col, .stmt = -1 };
        snprintf(m.msg, sizeof m.msg, "%s", le[i].msg);
        compile_locate(src->text, strlen(src->text), &m);
        engine_fill_error(&errs[i], file, &m);
    }
    if (n > 0) {
        int total = ast->nerrors > n ? ast->nerrors : n;
        src->refs = 1;
        engine_source_unref(src);
        return total;
    }
    *out = src;
    return 0;
}

/* Compile the statements for sample rate sr and block size block (the engine's own, except while the
 * format changes). NULL with the errors in errs. */
static Program *engine_compile_stmts(Phonon *ph, const EngineStmts *st, double sr, int block, const char *file,
                                     PhononError *errs, int maxerrs, int *nerrs)
{
    *nerrs = 0;
    Stmt *v = malloc(sizeof(Stmt) * (size_t)(st->n + 1));
    if (!v) {
        if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
        *nerrs = 1;
        return NULL;
    }
    for (int i = 0; i < st->n; i++) v[i] = st->v[i].stmt;
    CompileMsg msgs[64];
    int nmsgs = 0;
    CompileEnv env = { ph->bank, sr, block, ph->cfg.ins, file, engine_env_slot, engine_env_control, ph, ph->cache,
                       ph->cfg.outs < ENGINE_MAX_OUTS ? ph->cfg.outs : ENGINE_MAX_OUTS };
    Program *p = compile_statements(v, st->n, &env, msgs, 64, &nmsgs);
    if (p && engine_drop_changed_controls(ph, p)) {
        program_free(p);
        nmsgs = 0;
        p = compile_statements(v, st->n, &env, msgs, 64, &nmsgs);
    }
    engine_check_tempo(p, v, st->n, NULL, msgs, 64, &nmsgs);
    free(v);
    if (p && p->nplayers > ENGINE_MAX_PLAYERS) {
        CompileMsg *m = &msgs[nmsgs < 64 ? nmsgs++ : 63];
        m->line = 1;
        m->col = 1;
        m->warning = false;
        m->stmt = -1;
        snprintf(m->msg, sizeof m->msg, "too many event chains (%d; at most %d)", p->nplayers, ENGINE_MAX_PLAYERS);
        program_free(p);
        p = NULL;
    }
    /* each message's line is in the text its statement came from (the last one sent if it has none) */
    for (int i = 0; i < nmsgs; i++) {
        int k = msgs[i].stmt >= 0 && msgs[i].stmt < st->n ? msgs[i].stmt : st->n - 1;
        const char *text = k >= 0 ? st->v[k].src->text : "";
        compile_locate(text, strlen(text), &msgs[i]);
    }
    for (int i = 0; i < nmsgs; i++) {
        if (msgs[i].warning) {
            PhononError e;
            engine_fill_error(&e, file, &msgs[i]);
            char line[800];
            phonon_error_format(&e, line, sizeof line);
            engine_post_at(ph, PHONON_MSG_WARNING, line, &e);
            continue;
        }
        if (errs && *nerrs < maxerrs) engine_fill_error(&errs[*nerrs], file, &msgs[i]);
        (*nerrs)++;
    }
    size_t state_mb = p ? graph_state_floats(&p->graph) * sizeof(float) >> 20 : 0;
    if (p && state_mb > ENGINE_MAX_STATE_MB) {
        if (errs && *nerrs < maxerrs)
            engine_error(&errs[*nerrs], file, "this program's delay lines, reverbs and filters need %zu MB "
                         "(at most %d MB): use fewer of them", state_mb, ENGINE_MAX_STATE_MB);
        (*nerrs)++;
        program_free(p);
        return NULL;
    }
    if (p && !program_prepare(p, sr, block)) {
        program_free(p);
        p = NULL;
    }
    for (int i = 0; p && i < p->ninstruments; i++) engine_check_instrument(ph, &p->instruments[i], file);
    if (!p && *nerrs == 0) {             /* compile_program and program_prepare give NULL alone when out of memory */
        if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
        *nerrs = 1;
    }
    return p;
}

/* Whether statement i of p is in old word for word (its name and text): its files were asked for then. */
static bool engine_stmt_unchanged(const Program *p, int i, const Program *old)
{
    for (int j = 0; old && j < old->nstmts; j++)
        if (engine_name_eq(p->stmts[i].name, old->stmts[j].name) && strcmp(p->stmts[i].text, old->stmts[j].text) == 0)
            return true;
    return false;
}

/* Which players' files an edit can have changed: those of statements new or changed, or all of them when
 * a changed statement is not an event chain itself (a pattern bus that chains may read). */
static void engine_prefetch_mark(const Program *p, const Program *old, bool *want)
{
    bool bus_changed = false;
    for (int i = 0; i < p->nstmts && !bus_changed; i++) {
        if (engine_stmt_unchanged(p, i, old)) continue;
        bool chain = false;
        for (int k = 0; k < p->nplayers && !chain; k++) chain = p->players[k].stmt == i;
        bus_changed = !chain;
    }
    for (int k = 0; k < p->nplayers; k++)
        want[k] = bus_changed || !engine_stmt_unchanged(p, p->players[k].stmt, old);
}

/* Ask the bank for the files p plays in its first cycles from `cycle` on (control thread: the
 * audio thread's signals read 0 here), for the players an edit of old can have changed. A file first
 * played later is asked for when a voice misses it. */
static void engine_prefetch(Phonon *ph, const Program *p, const Program *old, double cycle)
{
    bool *want = calloc((size_t)p->nplayers + 1, 1);
    if (!want) return;                  /* out of memory: files are decoded when first played */
    engine_prefetch_mark(p, old, want);
    bool any = false;
    for (int i = 0; i < p->nplayers; i++) any = any || want[i];
    if (!any) {
        free(want);
        return;
    }
    EventBuf eb;
    if (!eventbuf_init(&eb, 4096, (size_t)4096 * 128)) {
        free(want);
        return;
    }
    int64_t c0 = (int64_t)floor(isfinite(cycle) && fabs(cycle) < 1e15 ? cycle : 0);
    long seen = 0;
    /* bounded work (PATTERN_STEPS_*: a dense program must not stall the host's thread here), shared by
       the players; what it cannot see in time is decoded when first played */
    QueryBudget bud = { PATTERN_STEPS_BURST, 0, 0, 0, 0 };
    QueryEnv env = { NULL, ph, &bud, engine_control_at };
    for (int i = 0; i < p->nplayers; i++) {
        if (!want[i]) continue;
        long keep = query_budget_hold(&bud, p->nplayers - i);
        for (int64_t k = c0; k < c0 + ENGINE_PREFETCH_CYCLES && seen < ENGINE_PREFETCH_EVENTS && bud.left > 0; k++) {
            eventbuf_clear(&eb);
            pattern_query(p->players[i].pattern, arc_make(rat_int(k), rat_int(k + 1)), &eb, &env);
            seen += eb.len;
            for (int j = 0; j < eb.len; j++) {
                const Event *e = &eb.ev[j];
                if (e->value.type != VAL_MAP) continue;
                const Value *sv = valmap_get(e->value.map, P_S);
                if (!sv || sv->type != VAL_SYM) continue;
                const SymInfo *si = sym_info(sv->sym);
                const SoundRef *s = program_sound(p, si->base);
                if (!s || s->kind != SOUND_BANK) continue;
                const Value *nv = valmap_get(e->value.map, P_N);
                double n = nv ? val_to_num(nv) : si->has_index ? si->index : 0;
                bank_request_file(ph->bank, s->bank, isfinite(n) ? n : param_info[P_N].def);
            }
        }
        query_budget_release(&bud, keep);
    }
    eventbuf_free(&eb);
    free(want);
}

/* Carry mute and solo over to a new program, by statement name. */
static void engine_carry_flags(const Program *old, Program *np)
{
    if (!old) return;
    for (int i = 0; i < np->nstmts; i++)
        for (int j = 0; j < old->nstmts; j++)
            if (np->stmts[i].name[0] && engine_name_eq(np->stmts[i].name, old->stmts[j].name))
                atomic_store(&np->stmt_flags[i], atomic_load(&old->stmt_flags[j]));
}

/* The orbits (1.6 MB each at 44.1 kHz, mostly the delay's 4 s stereo line: 19.5 MB for the 12), made when the
 * first program naming them is built or Tidal's receiver is started, then kept; under ctl. false: out of
 * memory (their events then play in the main mix, without the orbits' effects). */
static bool engine_orbits(Phonon *ph)
{
    if (atomic_load(&ph->orbits)) return true;
    size_t n = (size_t)ORBIT_COUNT * 2 * ENGINE_BLOCK;
    float *om = ph->omix ? ph->omix : calloc(n, sizeof(float)), *old = ph->oldomix ? ph->oldomix : calloc(n, sizeof(float));
    ph->omix = om, ph->oldomix = old;
    Orbits *o = om && old ? orbit_new(ph->sr, ph->block) : NULL;
    if (o) atomic_store_explicit(&ph->orbits, o, memory_order_release);
    return o != NULL;
}

/* Put p where the audio thread picks it up, planned against the program it will replace: the one
 * playing when p is taken. That is the last one published if the audio thread has taken it, else
 * (p replaces a pending program that was never played) the pending one's own predecessor. The
 * compare-and-swap sees which: only the audio thread empties `pending`, only this side fills it. */
static void engine_publish(Phonon *ph, Program *p)
{
    for (;;) {
        Program *pend = atomic_load_explicit(&ph->pending, memory_order_acquire);
        const Program *pred = pend ? pend->pred : ph->published;
        program_plan(p, pred);
        engine_carry_flags(pred, p);
        if (atomic_compare_exchange_strong_explicit(&ph->pending, &pend, p, memory_order_acq_rel, memory_order_acquire)) {
            /* never picked up: the audio thread never saw it, nor its tempo, which p then brings */
            if (pend && pend->tempo_applies && p->has_tempo) p->tempo_applies = true;
            program_free(pend);
            break;
        }
    }
    ph->published = p;
}


/* Who sets the tempo when a program is built: a whole program with a tempo statement does; a tempo
 * statement whose text changed does; anything else keeps the tempo playing (the host's, if it set one). */
typedef enum EngineTempo { TEMPO_WHOLE, TEMPO_IF_CHANGED, TEMPO_KEEP } EngineTempo;

static const char *engine_tempo_text(const Program *p)
{
    for (int i = p ? p->nstmts - 1 : -1; i >= 0; i--)
        if (p->stmts[i].tempo) return p->stmts[i].text;
    return NULL;
}

/* Build the program of st; on success st becomes the engine's statements (else it is freed). */
static int engine_build(Phonon *ph, EngineStmts *st, const char *file, PhononError *errs, int maxerrs, EngineTempo tempo)
{
    int nerrs = 0;
    Program *p = engine_compile_stmts(ph, st, ph->sr, ph->block, file, errs, maxerrs, &nerrs);
    if (!p) {
        engine_stmts_free(st);
        return nerrs ? nerrs : 1;
    }
    if (tempo == TEMPO_KEEP) p->tempo_applies = false;
    else if (tempo == TEMPO_IF_CHANGED) {
        const char *before = engine_tempo_text(ph->published), *now = engine_tempo_text(p);
        p->tempo_applies = p->has_tempo && (!before || strcmp(before, now) != 0);
    } else p->tempo_applies = p->has_tempo;
    /* a rebuild (new sounds, a new format) may resolve names to files it did not have: all of them */
    engine_prefetch(ph, p, tempo == TEMPO_KEEP ? NULL : ph->published, phonon_cycle(ph));
    if (p->uses_orbits && !engine_orbits(ph))
        engine_post(ph, PHONON_MSG_WARNING, "out of memory for the orbits: events on orbits play in the main mix");
    engine_publish(ph, p);
    engine_stmts_free(&ph->stmts);
    ph->stmts = *st;
    snprintf(ph->file, sizeof ph->file, "%s", file ? file : "-");
    return 0;
}

int phonon_eval(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    engine_collect(ph);
    EngineSource *src;
    AstProgram ast;
    int r = engine_parse(text, file, &src, &ast, errs, maxerrs);
    if (r == 0) {
        EngineStmts st = { 0 };
        bool ok = true;
        for (int i = 0; i < ast.nstmts && ok; i++) ok = engine_stmts_push(&st, &ast.stmts[i], src);
        src->refs++;                    /* held while pushing */
        engine_source_unref(src);
        r = ok ? engine_build(ph, &st, file, errs, maxerrs, TEMPO_WHOLE) : (engine_stmts_free(&st), engine_oom(errs, maxerrs, file));
    }
    pthread_mutex_unlock(&ph->ctl);
    return r;
}

int phonon_check(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    CompileMsg msgs[64];
    int nmsgs = 0;
    CompileEnv env = { ph->bank, ph->sr, ph->block, ph->cfg.ins, file, engine_env_slot, engine_env_control, ph, NULL,
                       ph->cfg.outs < ENGINE_MAX_OUTS ? ph->cfg.outs : ENGINE_MAX_OUTS };
    Program *p = compile_program(text, strlen(text), &env, msgs, 64, &nmsgs);
    engine_check_tempo(p, NULL, 0, text, msgs, 64, &nmsgs);
    int nerr = 0, k = 0;
    /* errors first, then warnings, so the return value counts the leading entries that are errors */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nmsgs; i++) {
            if (msgs[i].warning != (pass == 1)) continue;
            if (!msgs[i].warning) nerr++;
            if (errs && k < maxerrs) engine_fill_error(&errs[k++], file, &msgs[i]);
        }
    for (int i = k; i < maxerrs && errs; i++) errs[i].msg[0] = 0;
    program_free(p);
    pthread_mutex_unlock(&ph->ctl);
    return nerr;
}

/* The key a statement is replaced by: its name, or "tempo:" for tempo statements. */
static const char *engine_stmt_key(const Stmt *s)
{
    switch (s->kind) {
    case STMT_BUS:
    case STMT_OUT: return s->name;
    case STMT_TEMPO: return "tempo:";
    case STMT_HUSH: return "hush";
    default: return "panic";
    }
}

static bool engine_same_key(const Stmt *a, const Stmt *b) { return engine_name_eq(engine_stmt_key(a), engine_stmt_key(b)); }

int phonon_eval_statements(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    engine_collect(ph);
    EngineSource *src;
    AstProgram add;
    int r = engine_parse(text, file, &src, &add, errs, maxerrs);
    if (r == 0) {
        EngineStmts st;
        bool ok = engine_stmts_copy(&st, &ph->stmts);
        src->refs++;
        /* each new statement replaces the first entry of its name not replaced yet, or is added */
        bool *replaced = calloc((size_t)st.n + 1, 1);
        ok = ok && replaced;
        for (int j = 0; ok && j < add.nstmts; j++) {
            int at = -1;
            for (int i = 0; i < st.n && at < 0; i++)
                if (!replaced[i] && engine_same_key(&st.v[i].stmt, &add.stmts[j])) at = i;
            if (at < 0) {
                ok = engine_stmts_push(&st, &add.stmts[j], src);
                bool *more = ok ? realloc(replaced, (size_t)st.n + 1) : NULL;
                if (!more) ok = false;
                else replaced = more, replaced[st.n - 1] = true;
                continue;
            }
            char *raw = engine_raw_lines(src->text, add.stmts[j].line, engine_stmt_last_line(&add.stmts[j]));
            if (!raw) {
                ok = false;
                break;
            }
            engine_source_unref(st.v[at].src);
            free(st.v[at].raw);
            st.v[at].stmt = add.stmts[j];
            st.v[at].src = src;
            st.v[at].raw = raw;
            src->refs++;
            replaced[at] = true;
        }
        free(replaced);
        engine_source_unref(src);
        r = ok ? engine_build(ph, &st, file, errs, maxerrs, TEMPO_IF_CHANGED) : (engine_stmts_free(&st), engine_oom(errs, maxerrs, file));
    }
    pthread_mutex_unlock(&ph->ctl);
    return r;
}

/* Build the program again from the statements kept (new sounds, a new format); the tempo stays. */
static int engine_rebuild(Phonon *ph)
{
    EngineStmts st;
    if (!ph->stmts.n || !engine_stmts_copy(&st, &ph->stmts)) return 0;
    char file[256];
    snprintf(file, sizeof file, "%s", ph->file);
    return engine_build(ph, &st, file, NULL, 0, TEMPO_KEEP);
}

/* The buffers a larger block needs (NULL members when the block does not grow). */
typedef struct EngineBlockBufs {
    float *mix, *oldmix, *orphan, *zeros, *zeros2, *old_mem;
} EngineBlockBufs;

static void engine_block_bufs_free(EngineBlockBufs *b)
{
    free(b->mix);
    free(b->oldmix);
    free(b->orphan);
    free(b->zeros);
    free(b->zeros2);
    free(b->old_mem);
}

static bool engine_block_bufs_new(Phonon *ph, int block, EngineBlockBufs *b)
{
    memset(b, 0, sizeof *b);
    if (block <= ph->block) return true;
    b->mix = calloc((size_t)block * 2, sizeof(float));
    b->oldmix = calloc((size_t)block * 2, sizeof(float));
    b->orphan = calloc((size_t)block * 2, sizeof(float));
    b->zeros = calloc((size_t)block, sizeof(float));
    b->zeros2 = calloc((size_t)block * 2, sizeof(float));
    if (ph->old_mem) b->old_mem = calloc((size_t)(ENGINE_MAX_PLAYERS + 1) * 2 * (size_t)block, sizeof(float));
    return b->mix && b->oldmix && b->orphan && b->zeros && b->zeros2 && (!ph->old_mem || b->old_mem);
}

static void engine_block_bufs_take(Phonon *ph, EngineBlockBufs *b)
{
    if (!b->mix) return;
    free(ph->mix);
    free(ph->oldmix);
    free(ph->orphan);
    free(ph->zeros);
    free(ph->zeros2);
    ph->mix = b->mix;
    ph->oldmix = b->oldmix;
    ph->orphan = b->orphan;
    ph->zeros = b->zeros;
    ph->zeros2 = b->zeros2;
    if (b->old_mem) free(ph->old_mem), ph->old_mem = b->old_mem;
}

/* A new voice pool in place of the old ones, every voice gone: at a new sample rate (a voice's pitch and
 * envelopes were worked out for the old one), or when the old programs cannot drain. */
static void engine_new_pool(Phonon *ph, VoicePool *vp)
{
    voice_pool_free(ph->vp);
    ph->vp = vp;
    if (ph->vp_old) voice_pool_free(ph->vp_old);
    ph->vp_old = NULL;
    engine_free_old_pool(ph);
    free(ph->old_mem);
    free(ph->old_out);
    ph->old_mem = NULL;
    ph->old_out = NULL;
}

/* The clock keeps its cycle position and tempo through a new sample rate. */
static void engine_new_rate_clock(Phonon *ph, double sr)
{
    double cps = rat_to_double(ph->cps);
    Rat cycle = engine_cycle_at(ph, ph->frame);
    ph->sr_r = rat_from_double(sr, 1000);
    ph->anchor_cycle = cycle;
    ph->anchor_frame = ph->frame;
    ph->cps = rat_from_double(cps, 100000);
    ph->fpc = rat_div(ph->sr_r, ph->cps);
    engine_timing(ph);
}

/* Whether the voices sounding can go on through a new format: at the same rate, when the program playing
 * can drain beside the new one. */
static bool engine_format_keeps_voices(const Phonon *ph, double sr)
{
    return sr == ph->sr && ph->stmts.n > 0 && (!ph->cur || ph->ndraining < ENGINE_DRAIN);
}

/* Put np (built for the new format) in place at once, no block running: with the mute and solo of the
 * program it replaces and, at the same sample rate, the state of every node; with keep_voices the voices
 * sounding go on as after any hand-over, else (a new pool was put in place) the old programs go. */
static void engine_format_swap(Phonon *ph, Program *np, bool same_rate, bool keep_voices)
{
    Program *pend = atomic_exchange(&ph->pending, NULL);
    Program *cur = ph->cur;
    if (np) {
        engine_carry_flags(pend ? pend : cur, np);
        if (cur && same_rate) program_plan(np, cur);
        if (cur && keep_voices) engine_hand_over(ph, cur, np);
        np->fade = false;
        np->tempo_applies = pend && pend->tempo_applies;    /* a program never played brings its tempo */
        if (np->tempo_applies && np->has_tempo) engine_set_tempo(ph, np->cps);
    }
    ph->fading = NULL;                  /* a crossfade under way ends here (the one faded out drains) */
    if (!keep_voices) {
        for (int i = 0; i < ph->ndraining; i++) program_free(ph->draining[i]);
        ph->ndraining = 0;
        program_free(cur);
    }
    program_free(pend);
    ph->cur = np;
    ph->published = np;
    atomic_store(&ph->cur_pub, np);
}

int phonon_set_format(Phonon *ph, double sr, int max_block)
{
    if (!(sr >= ENGINE_MIN_SR && sr <= ENGINE_MAX_SR) || max_block <= 0) return -1;
    int block = max_block < ENGINE_BLOCK ? max_block : ENGINE_BLOCK;
    if (sr == ph->sr && block == ph->block) return 0;
    /* called while no block is being processed (Pd's dsp method): everything new is made first, so that
       out of memory leaves the engine as it was */
    pthread_mutex_lock(&ph->ctl);
    bool same_rate = sr == ph->sr, keep_voices = engine_format_keeps_voices(ph, sr);
    VoiceConfig vc = { ph->cfg.voices, block, sr, ENGINE_ALL_PLAYERS };
    VoicePool *vp = keep_voices ? NULL : voice_pool_new(&vc);
    /* the limiter is sized in frames: a new one at a new rate; at the same rate the frames in its
       look-ahead play on */
    Limiter *lm = same_rate ? NULL : limiter_new(sr, LIMITER_LOOKAHEAD);
    EngineBlockBufs bb = { 0 };
    /* the orbits' lines are sized by the rate, their buses by the block */
    Orbits *had = atomic_load(&ph->orbits);
    Orbits *orbits = had && (!same_rate || block > ph->block) ? orbit_new(sr, block) : NULL;
    bool ok = (keep_voices || vp) && (same_rate || lm) && engine_block_bufs_new(ph, block, &bb) &&
              (!had || (same_rate && block <= ph->block) || orbits);
    Program *np = NULL;
    PhononError e = { .msg = "out of memory: the format was not changed" };
    if (ok && ph->stmts.n) {
        EngineStmts st;
        int nerrs = 0;
        if (engine_stmts_copy(&st, &ph->stmts)) {
            np = engine_compile_stmts(ph, &st, sr, block, ph->file, &e, 1, &nerrs);
            engine_stmts_free(&st);
        }
        ok = np != NULL;
    }
    if (!ok) {
        char line[800];
        snprintf(e.file, sizeof e.file, "%s", ph->file);
        e.line = e.col = 1;
        phonon_error_format(&e, line, sizeof line);
        engine_post(ph, PHONON_MSG_ERROR, line);
        voice_pool_free(vp);
        limiter_free(lm);
        orbit_free(orbits);
        engine_block_bufs_free(&bb);
        pthread_mutex_unlock(&ph->ctl);
        return -1;
    }
    ph->sr = sr;
    ph->cfg.sr = sr;
    ph->cfg.max_block = max_block;
    engine_block_bufs_take(ph, &bb);
    ph->block = block;
    if (!keep_voices) engine_new_pool(ph, vp);
    if (!same_rate) engine_new_rate_clock(ph, sr);
    if (lm) {
        limiter_free(ph->lim), ph->lim = lm;
        ph->ahead = limiter_latency(ph->lim);
        ph->primed = false;                 /* the new limiter's look-ahead is filled at the next call */
        if (atomic_load(&ph->dirt)) dirt_set_ahead(atomic_load(&ph->dirt), ph->ahead);
    }
    if (orbits) orbit_free(had), atomic_store(&ph->orbits, orbits);
    if (!same_rate) dirt_set_rate(atomic_load(&ph->dirt), sr);
    engine_format_swap(ph, np, same_rate, keep_voices);
    engine_collect(ph);
    pthread_mutex_unlock(&ph->ctl);
    return 0;
}

int phonon_set_threads(Phonon *ph, int threads)
{
    if (threads < 0) return -1;
    pthread_mutex_lock(&ph->ctl);
    int r = 0;
    if (threads != ph->cfg.threads) {
        Pool *np = pool_new(threads);
        if (np) {
            pool_free(ph->pool);
            ph->pool = np;
            ph->cfg.threads = threads;
        } else r = -1;
    }
    pthread_mutex_unlock(&ph->ctl);
    return r;
}

int phonon_set_voices(Phonon *ph, int voices)
{
    if (voices <= 0) return -1;
    pthread_mutex_lock(&ph->ctl);
    int r = 0;
    if (voices != ph->cfg.voices) {
        VoicePool *old = ph->vp;
        int before = ph->cfg.voices;
        ph->cfg.voices = voices;
        engine_free_old_pool(ph);
        if (!ph->old_mem) {
            ph->old_mem = calloc((size_t)(ENGINE_MAX_PLAYERS + 1) * 2 * (size_t)ph->block, sizeof(float));
            ph->old_out = calloc(ENGINE_MAX_PLAYERS + 2, sizeof(float *));
        }
        if (ph->old_mem && ph->old_out && engine_alloc_audio(ph)) {
            if (ph->vp_old) voice_pool_free(ph->vp_old);     /* a pool still ringing from the last change */
            ph->vp_old = old;           /* its voices ring out beside the new pool's */
        } else {
            ph->vp = old;
            ph->cfg.voices = before;
            r = -1;
        }
    }
    pthread_mutex_unlock(&ph->ctl);
    return r;
}

/* ------------------------------------------------------------------------------------------------
 * control */

void phonon_set_cps(Phonon *ph, double cps)
{
    if (cps > 0 && isfinite(cps)) atomic_store(&ph->cps_req, bits_from_double(engine_clamp_cps(cps)));
}
void phonon_set_bpm(Phonon *ph, double bpm) { phonon_set_cps(ph, bpm / 60.0); }
/* The tempo in effect at the next block: a pending request, else a pending program's, else the current. */
double phonon_cps(Phonon *ph)
{
    uint64_t c = atomic_load(&ph->cps_req);
    if (c) return bits_to_double(c);
    pthread_mutex_lock(&ph->ctl);
    Program *p = atomic_load(&ph->pending);
    double cps = (p && p->has_tempo && p->tempo_applies) ? p->cps : rat_to_double(ph->cps);
    pthread_mutex_unlock(&ph->ctl);
    return cps;
}
double phonon_cycle(Phonon *ph) { return atomic_load_explicit(&ph->cycle_now, memory_order_relaxed); }
double phonon_cycle_heard(Phonon *ph) { return atomic_load_explicit(&ph->cycle_heard, memory_order_relaxed); }
void phonon_hush(Phonon *ph) { atomic_store(&ph->hushed, 1); }
void phonon_unhush(Phonon *ph) { atomic_store(&ph->hushed, 0); }
void phonon_panic(Phonon *ph) { atomic_store(&ph->panic_req, 1); }
void phonon_start(Phonon *ph) { atomic_store(&ph->running, 1); }
void phonon_stop(Phonon *ph) { atomic_store(&ph->running, 0); }
void phonon_reset(Phonon *ph) { phonon_seek(ph, 0); }
void phonon_seek(Phonon *ph, double cycle)
{
    if (isfinite(cycle)) atomic_store(&ph->seek_req, bits_from_double(cycle));
}

/* Set or clear a flag on every statement called name, in the program playing and the one pending. */
static int engine_flag(Phonon *ph, const char *name, unsigned flag, bool on)
{
    pthread_mutex_lock(&ph->ctl);
    int found = 0, changed = 0;
    Program *ps[2] = { atomic_load(&ph->cur_pub), atomic_load(&ph->pending) };
    for (int k = 0; k < 2; k++) {
        Program *p = ps[k];
        if (!p) continue;
        for (int i = 0; i < p->nstmts; i++) {
            if (!p->stmts[i].name[0] || !engine_name_eq(p->stmts[i].name, name)) continue;
            found++;
            unsigned f = atomic_load(&p->stmt_flags[i]);
            unsigned nf = on ? (f | flag) : (f & ~flag);
            atomic_store(&p->stmt_flags[i], (unsigned char)nf);
            if (k == 0 && nf != f) changed += on ? 1 : -1;
        }
    }
    if (flag == STMT_SOLO) atomic_fetch_add(&ph->solo_count, changed);
    pthread_mutex_unlock(&ph->ctl);
    return found ? 0 : -1;
}

int phonon_suggest(const char *word, const char *const *names, char *buf, int size)
{
    if (size > 0) buf[0] = 0;
    if (!word || !names) return 0;
    LangSuggest sg;
    lang_suggest_init(&sg, word, (int)strlen(word));
    for (int i = 0; names[i]; i++) lang_suggest_add(&sg, names[i]);
    return lang_suggest_format(&sg, "'", "'", buf, size);
}

/* Statement names are short (d1, d2): when none is near enough to suggest, the names there are say more. */
int phonon_suggest_statement(Phonon *ph, const char *word, char *buf, int size)
{
    if (size > 0) buf[0] = 0;
    if (!word) return 0;
    bool tilde = word[0] == '~';
    const char *pre = tilde ? "'~" : "'";
    LangSuggest sg;
    lang_suggest_init(&sg, word + tilde, (int)strlen(word + tilde));
    pthread_mutex_lock(&ph->ctl);       /* the program's names stay while they are compared */
    const Program *p = atomic_load(&ph->pending);
    if (!p) p = atomic_load(&ph->cur_pub);
    int k = 0, named = 0;
    if (p) {
        /* names are kept as "~d1" or "d1": compared and written without the '~' */
        for (int i = 0; i < p->nstmts; i++) lang_suggest_add(&sg, p->stmts[i].name + (p->stmts[i].name[0] == '~'));
        k = lang_suggest_format(&sg, pre, "'", buf, size);
        for (int i = 0; !k && i < p->nstmts && named < 8; i++) {
            const char *name = p->stmts[i].name + (p->stmts[i].name[0] == '~');
            if (!name[0]) continue;
            k += snprintf(buf + (k < size ? k : size), k < size ? (size_t)(size - k) : 0, "%s%s%s'",
                          named ? " " : " (the program has ", pre, name);
            named++;
        }
        if (named) k += snprintf(buf + (k < size ? k : size), k < size ? (size_t)(size - k) : 0, ")");
    }
    pthread_mutex_unlock(&ph->ctl);
    return k;
}

int phonon_mute(Phonon *ph, const char *name, bool mute) { return engine_flag(ph, name, STMT_MUTED, mute); }
int phonon_solo(Phonon *ph, const char *name, bool solo) { return engine_flag(ph, name, STMT_SOLO, solo); }

void phonon_unsolo(Phonon *ph)
{
    pthread_mutex_lock(&ph->ctl);
    Program *ps[2] = { atomic_load(&ph->cur_pub), atomic_load(&ph->pending) };
    for (int k = 0; k < 2; k++)
        if (ps[k])
            for (int i = 0; i < ps[k]->nstmts; i++)
                atomic_fetch_and(&ps[k]->stmt_flags[i], (unsigned char)~STMT_SOLO);
    atomic_store(&ph->solo_count, 0);
    pthread_mutex_unlock(&ph->ctl);
}

int phonon_add_samples(Phonon *ph, const char *dir, char *err, int errlen)
{
    pthread_mutex_lock(&ph->ctl);
    int n = bank_add_root(ph->bank, dir, err, errlen);
    if (n >= 0) engine_rebuild(ph);   /* names that were unknown may now be found */
    pthread_mutex_unlock(&ph->ctl);
    return n;
}

bool phonon_wait_loaded(Phonon *ph, double timeout_seconds)
{
    bank_service(ph->bank);
    return bank_wait(ph->bank, timeout_seconds);
}

/* ------------------------------------------------------------------------------------------------
 * messages and statistics */

static void engine_event_data(const EventRec *r, PhononEvent *e)
{
    memset(e, 0, sizeof *e);
    snprintf(e->track, sizeof e->track, "%s", r->player);
    e->cycle = r->cycle;
    e->onset_num = r->onset.num;
    e->onset_den = r->onset.den;
    e->cycles = r->cycles;
    e->cps = r->cps;
    e->seconds = r->cps > 0 ? r->cycles / r->cps : 0;
    e->frame = r->frame;
    e->offset = r->offset;
    for (int i = 0; i < r->n && e->nparams < PHONON_EVENT_PARAMS; i++) {
        const Value *v = &r->value[i];
        PhononEventParam *pp = &e->params[e->nparams++];
        snprintf(pp->name, sizeof pp->name, "%s", param_name((Param)r->param[i]));
        pp->is_text = v->type == VAL_SYM;
        if (pp->is_text) snprintf(pp->text, sizeof pp->text, "%s", sym_name(v->sym));
        else pp->num = val_to_num(v);
        if (r->param[i] == P_S && pp->is_text) snprintf(e->sound, sizeof e->sound, "%s", pp->text);
    }
}

/* A time in cycles as its exact decimal ("12345.125"), when it has one of at most 18 decimals; else the
 * shortest text that reads back as the same double (1/3: "0.33333333333333331"). */
static int engine_format_cycle(Rat t, char *buf, size_t size)
{
    int64_t whole = rat_floor(t);
    unsigned __int128 rest = (unsigned __int128)(t.num - (__int128)whole * t.den), den = (unsigned __int128)t.den;
    char digits[20];
    int nd = 0;
    while (rest && nd < 18) {
        rest *= 10;
        digits[nd++] = (char)('0' + (int)(rest / den));
        rest %= den;
    }
    if (rest) return snprintf(buf, size, "%.17g", rat_to_double(t));
    return snprintf(buf, size, "%lld%s%.*s", (long long)whole, nd ? "." : "", nd, digits);
}

static void engine_format_event(const EventRec *r, PhononMsg *m)
{
    memset(&m->error, 0, sizeof m->error);
    engine_event_data(r, &m->event);
    int len = snprintf(m->text, sizeof m->text, "%s", r->player);
    for (int i = 0; i < r->n && len < (int)sizeof m->text - 1; i++) {
        const Value *v = &r->value[i];
        const char *name = param_name((Param)r->param[i]);
        if (v->type == VAL_SYM)
            len += snprintf(m->text + len, sizeof m->text - (size_t)len, " %s %s", name, sym_name(v->sym));
        else
            len += snprintf(m->text + len, sizeof m->text - (size_t)len, " %s %g", name, val_to_num(v));
    }
    char cycle[40];
    engine_format_cycle(r->onset, cycle, sizeof cycle);
    if (len < (int)sizeof m->text - 1)
        snprintf(m->text + len, sizeof m->text - (size_t)len, " cycle %s delta %.9g cps %.9g offset %d", cycle,
                 m->event.seconds, r->cps, r->offset);
    m->kind = PHONON_MSG_EVENT;
}

static void engine_dirtout(Phonon *ph, const PhononEvent *ev);

bool phonon_poll(Phonon *ph, PhononMsg *msg)
{
    pthread_mutex_lock(&ph->ctl);       /* a program being planned against may not be freed meanwhile */
    engine_collect(ph);
    engine_free_old_pool(ph);
    pthread_mutex_unlock(&ph->ctl);
    bank_service(ph->bank);         /* files the audio thread missed: decoded from now on */
    if (msgq_pop(ph->msgs, msg)) return true;
    EventRec r;
    while (msgq_pop(ph->events, &r)) {
        engine_format_event(&r, msg);
        if (atomic_load(&ph->dirtout_on)) engine_dirtout(ph, &msg->event);
        if (atomic_load(&ph->events_on)) return true;
    }
    return false;
}

void phonon_set_event_output(Phonon *ph, bool on) { atomic_store(&ph->events_on, on ? 1 : 0); }

bool phonon_is_statement(const char *text)
{
    if (!text) return false;
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') text++;
    size_t len = strcspn(text, "\n");
    return lang_is_statement_head(text, len) != 0;
}

void phonon_transport(Phonon *ph, double cycle, double cps, bool playing)
{
    if (cps > 0) phonon_set_cps(ph, cps);
    phonon_seek(ph, cycle);
    atomic_store(&ph->running, playing ? 1 : 0);
}

/* The block-time figures since the last call: each percentile is the upper edge of the bin it falls in. */
static void engine_take_load(Phonon *ph, PhononStats *st)
{
    uint32_t bins[ENGINE_LOAD_BINS];
    uint64_t total = 0;
    for (int i = 0; i < ENGINE_LOAD_BINS; i++) {
        bins[i] = atomic_exchange_explicit(&ph->load_bins[i], 0, memory_order_relaxed);
        total += bins[i];
    }
    st->block_max = bits_to_double(atomic_exchange_explicit(&ph->load_max, 0, memory_order_relaxed));
    uint64_t ns = atomic_exchange_explicit(&ph->load_ns, 0, memory_order_relaxed);
    uint64_t budget = atomic_exchange_explicit(&ph->load_budget_ns, 0, memory_order_relaxed);
    st->load = budget ? (double)ns / (double)budget : 0;
    st->block_calls = (long)total;
    double *q[3] = { &st->block_p50, &st->block_p95, &st->block_p99 };
    const double at[3] = { 0.50, 0.95, 0.99 };
    for (int k = 0; k < 3 && total; k++) {
        uint64_t want = (uint64_t)ceil(at[k] * (double)total), seen = 0;
        int i = 0;
        while (i < ENGINE_LOAD_BINS - 1 && (seen += bins[i]) < want) i++;
        double edge = (i + 1) * ENGINE_LOAD_STEP;
        *q[k] = edge < st->block_max ? edge : st->block_max;    /* never above the largest */
    }
}

void phonon_stats(Phonon *ph, PhononStats *st)
{
    memset(st, 0, sizeof *st);
    VoiceStats vs;
    voice_stats(ph->vp, &vs);
    PoolStats ps;
    pool_stats(ph->pool, &ps);
    st->cycle = phonon_cycle(ph);
    st->cps = phonon_cps(ph);
    st->voices = vs.active;
    st->peak_voices = vs.peak;
    st->started = vs.started;
    st->stolen = vs.stolen;
    st->dropped = vs.dropped;
    st->fx_dropped = vs.fx_dropped;
    st->late = atomic_load(&ph->stat_late);
    st->blocks = atomic_load(&ph->stat_blocks);
    st->nonfinite = atomic_load(&ph->stat_nonfinite);
    st->master_frames = atomic_load(&ph->stat_master_frames);
    st->master_limited = atomic_load(&ph->stat_master_limited);
    st->master_peak = bits_to_double(atomic_load(&ph->stat_master_peak));
    st->master_min_gain = 1.0 - bits_to_double(atomic_load(&ph->stat_master_cut));
    st->threads = pool_threads(ph->pool);
    st->pattern_steps = atomic_load(&ph->stat_steps);
    st->pattern_dropped = atomic_load(&ph->stat_overflow);
    st->pattern_clamped = atomic_load(&ph->stat_clamped);
    st->parallel_fallback = ps.fallback;
    BankStats bs;
    bank_stats(ph->bank, &bs);
    st->samples_decoded = bs.loaded;
    st->samples_failed = bs.failed;
    st->sample_bytes = bs.bytes;
    engine_take_load(ph, st);
}

/* --- for `phonon bench` only (engine_bench.h): hold voices started by hand ---------------------------- */

const Instrument *engine_bench_instrument(Phonon *ph, int i)
{
    Program *p = ph->cur;
    return (p && i >= 0 && i < p->ninstruments) ? &p->instruments[i] : NULL;
}

void engine_bench_pool_mode(Phonon *ph, int mode) { pool_set_mode(ph->pool, mode); }

void engine_bench_compile_counts(Phonon *ph, int *compiled, int *reused)
{
    pthread_mutex_lock(&ph->ctl);
    compile_cache_counts(ph->cache, compiled, reused);
    pthread_mutex_unlock(&ph->ctl);
}

/* Between two phonon_process calls, on the thread that calls it: the voices join the next block. */
int engine_bench_start(Phonon *ph, const VoiceStart *vs, int n)
{
    int ok = 0;
    voice_begin_block(ph->vp, ph->block);
    for (int i = 0; i < n; i++) ok += voice_start(ph->vp, &vs[i]);
    return ok;
}

char *phonon_read_text(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 < cap) continue;
        char *more = realloc(buf, cap *= 2);
        if (!more) free(buf);
        buf = more;
    }
    int err = buf ? (ferror(f) ? EIO : 0) : ENOMEM;
    if (f != stdin) fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

int phonon_program_text(Phonon *ph, char *buf, int size)
{
    pthread_mutex_lock(&ph->ctl);
    int n = 0;
    if (size > 0 && buf) buf[0] = 0;
    for (int i = 0; i < ph->stmts.n; i++) {
        size_t room = (buf && n < size) ? (size_t)(size - n) : 0;
        n += snprintf(room ? buf + n : NULL, room, "%s\n", ph->stmts.v[i].raw);
    }
    pthread_mutex_unlock(&ph->ctl);
    return n;
}

/* ------------------------------------------------------------------------------------------------
 * Tidal (dirt.h, orbit.h) */

static void engine_dirt_log(void *ud, bool warning, const char *text)
{
    engine_post(ud, warning ? PHONON_MSG_WARNING : PHONON_MSG_INFO, text);
}

/* The receiver and the orbits, made once (control side) and published to the audio thread. */
static Dirt *engine_dirt(Phonon *ph)
{
    Dirt *d = atomic_load(&ph->dirt);
    if (d) return d;
    pthread_mutex_lock(&ph->ctl);
    d = atomic_load(&ph->dirt);
    if (!d && engine_orbits(ph)) {
        DirtHost host = { ph->bank, &ph->ctl, engine_dirt_log, ph };
        d = dirt_new(&host, ph->sr);
        if (d) {
            dirt_set_ahead(d, ph->ahead);
            atomic_store_explicit(&ph->dirt, d, memory_order_release);
        }
    }
    pthread_mutex_unlock(&ph->ctl);
    return d;
}

int phonon_dirt_listen(Phonon *ph, const char *addr, int port, char *err, int errlen)
{
    Dirt *d = port == 0 ? atomic_load(&ph->dirt) : engine_dirt(ph);
    if (!d && port == 0) return 0;
    if (!d) {
        snprintf(err, (size_t)errlen, "dirt: out of memory");
        return -1;
    }
    return dirt_listen(d, addr, port, err, errlen);     /* not under ctl: the receiver takes it */
}

void phonon_dirt_latency(Phonon *ph, double seconds)
{
    Dirt *d = engine_dirt(ph);
    if (d) dirt_set_latency(d, seconds);
}

void phonon_dirt_stats(Phonon *ph, PhononDirtStats *st)
{
    memset(st, 0, sizeof *st);
    Dirt *d = atomic_load(&ph->dirt);
    if (!d) return;
    DirtStats ds;
    dirt_stats(d, &ds);
    st->received = ds.received;
    st->played = ds.played;
    st->late = ds.late;
    st->malformed = ds.malformed;
    st->dropped = ds.dropped;
    st->unknown = ds.unknown;
    st->late_max = ds.late_max;
    st->port = ds.port;
}

/* An event this engine played, sent on (control side, from phonon_poll). */
static void engine_dirtout(Phonon *ph, const PhononEvent *ev)
{
    Dirt *d = atomic_load(&ph->dirt);
    pthread_mutex_lock(&ph->ctl);
    if (ph->dirtout && d) dirtout_send(ph->dirtout, ev, dirt_frame_time(d, ev->frame));
    pthread_mutex_unlock(&ph->ctl);
}

int phonon_dirt_send(Phonon *ph, const char *host, int port, double latency, char *err, int errlen)
{
    DirtOut *o = NULL;
    if (port != 0) {
        if (!engine_dirt(ph)) {         /* its clock gives each event's wall-clock time */
            snprintf(err, (size_t)errlen, "dirtout: out of memory");
            return -1;
        }
        o = dirtout_new(host && *host ? host : "127.0.0.1", port, latency, err, errlen);
        if (!o) return -1;
    }
    pthread_mutex_lock(&ph->ctl);
    DirtOut *old = ph->dirtout;
    ph->dirtout = o;
    atomic_store(&ph->dirtout_on, o != NULL);
    pthread_mutex_unlock(&ph->ctl);
    dirtout_free(old);
    return 0;
}

Dirt *engine_dirt_for_tests(Phonon *ph) { return engine_dirt(ph); }
