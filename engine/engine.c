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
#include <unistd.h>

#include "bank.h"
#include "compile.h"
#include "lang.h"
#include "msgq.h"
#include "pool.h"
#include "program.h"
#include "schedule.h"
#include "voice.h"

#define ENGINE_BLOCK 512            /* largest block processed at once; longer host blocks are split */
#define ENGINE_MAX_PLAYERS 256
#define ENGINE_DRAIN 64             /* replaced programs whose instrument voices still ring */
#define ENGINE_EVENTS 16384         /* query results per pattern per block */
#define ENGINE_EVENT_PARAMS 16
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
    double cycle;
    int n;
    uint8_t param[ENGINE_EVENT_PARAMS];
    Value value[ENGINE_EVENT_PARAMS];
} EventRec;

struct Phonon {
    PhononConfig cfg;
    double sr;
    int block;
    Bank *bank;
    VoicePool *vp;
    Pool *pool;
    MsgQ *msgs;                     /* PhononMsg, to the host */
    MsgQ *retired;                  /* Program*, audio -> control, to be freed */
    MsgQ *events;                   /* EventRec */

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

    EventBuf eb;
    float *mix;                     /* 2 * block, frame-major L R */
    float *orphan;                  /* voices of players that a new program no longer has */
    float *zeros;
    float **player_out;
    int *remap;

    _Atomic long stat_blocks, stat_nonfinite, stat_late, stat_overflow;
    QueryBudget budget;             /* audio thread: pattern steps, refilled every block */
    long onsets;                    /* audio thread: voice starts allowed, refilled every block */
    _Atomic long stat_steps, stat_clamped;
    bool warned_drop, warned_clamp; /* reported once per program */
    _Atomic double cycle_now;

    /* control side */
    pthread_mutex_t ctl;
    char *source;                   /* text of the program that was last accepted */
    char file[256];
};

/* ------------------------------------------------------------------------------------------------
 * messages */

static void engine_post(Phonon *ph, PhononMsgKind kind, const char *text)
{
    PhononMsg m;
    m.kind = kind;
    size_t len = strlen(text);
    if (len >= sizeof m.text) len = sizeof m.text - 1;      /* long messages are cut, not lost */
    memcpy(m.text, text, len);
    m.text[len] = 0;
    msgq_push(ph->msgs, &m);
}

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
    r.cycle = rat_to_double(ev->whole.begin);
    r.n = 0;
    const ValMap *m = ev->value.map;
    for (int k = 0; k < P_COUNT && r.n < ENGINE_EVENT_PARAMS; k++) {
        const Value *v = valmap_get(m, k);
        if (!v) continue;
        r.param[r.n] = (uint8_t)k;
        r.value[r.n++] = *v;
    }
    msgq_push(ph->events, &r);
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

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double bitsd(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* ------------------------------------------------------------------------------------------------
 * hand-over (audio thread, at a block edge) */

static bool engine_name_eq(const char *a, const char *b)
{
    if (*a == '~') a++;
    if (*b == '~') b++;
    return strcmp(a, b) == 0;
}

static void engine_take_program(Phonon *ph)
{
    if (ph->ndraining == ENGINE_DRAIN) return;          /* wait until an old one has drained */
    Program *np = atomic_exchange_explicit(&ph->pending, NULL, memory_order_acq_rel);
    if (!np) return;
    Program *old = ph->cur;
    if (old) {
        for (int i = 0; i < old->nplayers; i++) {
            ph->remap[i] = -1;
            for (int j = 0; j < np->nplayers; j++)
                if (strcmp(old->players[i].name, np->players[j].name) == 0) ph->remap[i] = j;
        }
        ph->remap[old->nplayers] = -1;
        voice_remap_players(ph->vp, ph->remap, old->nplayers + 1, np->nplayers);
        ph->draining[ph->ndraining++] = old;
    }
    if (np->has_tempo) engine_set_tempo(ph, np->cps);
    if (np->panic) voice_release_all(ph->vp);
    ph->warned_drop = ph->warned_clamp = false;
    ph->cur = np;
    atomic_store_explicit(&ph->cur_pub, np, memory_order_release);
}

static void engine_drain(Phonon *ph)
{
    for (int i = 0; i < ph->ndraining;) {
        Program *p = ph->draining[i];
        if (voice_count_owner(ph->vp, p) == 0 && msgq_push(ph->retired, &p)) {
            ph->draining[i] = ph->draining[--ph->ndraining];
            continue;
        }
        i++;
    }
}

static void engine_requests(Phonon *ph)
{
    uint64_t c = atomic_exchange(&ph->cps_req, 0);
    if (c) engine_set_tempo(ph, bitsd(c));
    uint64_t s = atomic_exchange(&ph->seek_req, UINT64_MAX);
    if (s != UINT64_MAX) {
        ph->anchor_cycle = rat_from_double(bitsd(s), 1000000);
        ph->anchor_frame = ph->frame;
    }
    if (atomic_exchange(&ph->panic_req, 0)) voice_release_all(ph->vp);
}

/* ------------------------------------------------------------------------------------------------
 * one block */

static double engine_signal_at(void *ud, int id, Rat t)
{
    Phonon *ph = ud;
    const Program *p = ph->cur;
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

static void engine_bind_externs(Phonon *ph, Program *p, const float *const *ins, int off)
{
    for (int b = 0; b < p->graph.nbufs; b++) {
        const GraphBuf *gb = &p->graph.bufs[b];
        if (gb->kind != GB_EXTERN) continue;
        const Extern *e = &p->externs[gb->ext];
        p->bufs[b].flags = 0;
        if (e->kind == EXT_INPUT) {
            const float *in = (ins && e->index < ph->cfg.ins && ins[e->index]) ? ins[e->index] + off : ph->zeros;
            p->bufs[b].x = (float *)in;
        }
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

static void engine_mix(Phonon *ph, Program *p, int n)
{
    float *mix = ph->mix;
    for (int f = 0; f < 2 * n; f++) mix[f] = ph->orphan[f];
    if (!p) return;
    for (int t = 0; t < p->ntracks; t++) {
        const Track *tr = &p->tracks[t];
        if (!engine_stmt_plays(ph, p, tr->stmt)) continue;
        const DspBuf *b = &p->bufs[tr->buf];
        float g = tr->gain;
        for (int f = 0; f < n; f++) {
            mix[2 * f] += g * dsp_at(b, f, 0);
            mix[2 * f + 1] += g * dsp_at(b, f, b->lanes == 2 ? 1 : 0);
        }
    }
}

/* A soft limiter: untouched below 0.9, a smooth knee up to 1. */
static inline float engine_shape(float x)
{
    float a = fabsf(x);
    if (a <= 0.9f) return x;
    return copysignf(0.9f + 0.1f * tanhf((a - 0.9f) * 10.0f), x);
}

static void engine_output(Phonon *ph, float *const *outs, int off, int n)
{
    /* the hush message holds until unhush; a `hush` statement only while its program plays */
    bool hushed = atomic_load_explicit(&ph->hushed, memory_order_relaxed) || (ph->cur && ph->cur->hush);
    long bad = 0;
    int nouts = ph->cfg.outs;
    for (int f = 0; f < n; f++) {
        float l = ph->mix[2 * f], r = ph->mix[2 * f + 1];
        if (!isfinite(l)) { l = 0; bad++; }
        if (!isfinite(r)) { r = 0; bad++; }
        l = hushed ? 0 : engine_shape(l);
        r = hushed ? 0 : engine_shape(r);
        if (nouts == 1) {
            if (outs[0]) outs[0][off + f] = 0.5f * (l + r);
        } else if (nouts >= 2) {
            if (outs[0]) outs[0][off + f] = l;
            if (outs[1]) outs[1][off + f] = r;
        }
    }
    for (int c = 2; c < nouts; c++)
        if (outs[c]) memset(outs[c] + off, 0, sizeof(float) * (size_t)n);
    if (bad) atomic_fetch_add_explicit(&ph->stat_nonfinite, bad, memory_order_relaxed);
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

static void engine_block(Phonon *ph, const float *const *ins, float *const *outs, int off, int n)
{
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
    engine_refill_budget(ph, n);
    SchedSink sink = { engine_unknown_sound, atomic_load(&ph->events_on) ? engine_event : NULL, ph, 0, 0, ph->onsets };
    QueryEnv env = { engine_signal_at, ph, &ph->budget };
    long used0 = ph->budget.used, clamped0 = ph->budget.clamped, deep0 = ph->budget.deep;

    voice_begin_block(ph->vp, n);
    int nplayers = 0;
    if (p) {
        engine_bind_externs(ph, p, ins, off);
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
    voice_render(ph->vp, ph->pool, p ? p->bufs : NULL, ph->player_out, nplayers + 1, n);
    if (p) graph_run_range(&p->graph, p->nupstream, p->graph.nnodes, p->state, p->bufs, n, (float)ph->sr);
    engine_mix(ph, p, n);
    if (p) engine_feedback(p, n);
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

void phonon_process(Phonon *ph, const float *const *ins, float *const *outs, int nframes)
{
    unsigned csr = engine_ftz_on();
    for (int off = 0; off < nframes;) {
        int n = nframes - off < ph->block ? nframes - off : ph->block;
        engine_block(ph, ins, outs, off, n);
        off += n;
    }
    engine_ftz_off(csr);
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

static bool engine_alloc_audio(Phonon *ph)
{
    VoiceConfig vc = { ph->cfg.voices, ph->block, ph->sr, ENGINE_MAX_PLAYERS + 1 };
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
    ph->orphan = calloc((size_t)ph->block * 2, sizeof(float));
    ph->zeros = calloc((size_t)ph->block, sizeof(float));
    ph->player_out = calloc(ENGINE_MAX_PLAYERS + 2, sizeof(float *));
    ph->remap = calloc(ENGINE_MAX_PLAYERS + 2, sizeof(int));
    if (!ph->msgs || !ph->retired || !ph->events || !ph->bank || !ph->pool || !ph->mix || !ph->orphan || !ph->zeros ||
        !ph->player_out || !ph->remap || !eventbuf_init(&ph->eb, ENGINE_EVENTS, (size_t)ENGINE_EVENTS * 128) ||
        !engine_alloc_audio(ph)) {
        phonon_free(ph);
        return NULL;
    }
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
    atomic_store(&ph->seek_req, UINT64_MAX);
    atomic_store(&ph->running, 1);
    return ph;
}

static void engine_collect(Phonon *ph)
{
    Program *p;
    while (ph->retired && msgq_pop(ph->retired, &p)) program_free(p);
}

void phonon_free(Phonon *ph)
{
    if (!ph) return;
    if (ph->pool) pool_free(ph->pool);
    if (ph->bank) bank_free(ph->bank);
    if (ph->vp) voice_pool_free(ph->vp);
    engine_collect(ph);
    for (int i = 0; i < ph->ndraining; i++) program_free(ph->draining[i]);
    program_free(ph->cur);
    program_free(atomic_load(&ph->pending));
    eventbuf_free(&ph->eb);
    msgq_free(ph->msgs);
    msgq_free(ph->retired);
    msgq_free(ph->events);
    free(ph->mix);
    free(ph->orphan);
    free(ph->zeros);
    free(ph->player_out);
    free(ph->remap);
    free(ph->source);
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

/* A program's tempo beyond the range is clamped, with a warning at its statement. */
static void engine_check_tempo(Program *p, const char *text, CompileMsg *msgs, int max, int *nmsgs)
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
    if (lang_parse(text, strlen(text), &a, &ast, le, 1) == 0)
        for (int i = 0; i < ast.nstmts; i++)
            if (ast.stmts[i].kind == STMT_TEMPO && ast.stmts[i].value > 0) {
                line = ast.stmts[i].line;
                col = ast.stmts[i].value_col;
                bpm = ast.stmts[i].unit == TEMPO_BPM;
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

/* Compile; on success the program is prepared to run. Errors go to errs, warnings to the message queue. */
static Program *engine_compile(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs,
                               int *nerrs)
{
    CompileMsg msgs[64];
    int nmsgs = 0;
    CompileEnv env = { ph->bank, ph->sr, ph->block, ph->cfg.ins, file };
    Program *p = compile_program(text, strlen(text), &env, msgs, 64, &nmsgs);
    engine_check_tempo(p, text, msgs, 64, &nmsgs);
    if (p && p->nplayers > ENGINE_MAX_PLAYERS) {
        CompileMsg *m = &msgs[nmsgs < 64 ? nmsgs++ : 63];
        m->line = 1;
        m->col = 1;
        m->warning = false;
        snprintf(m->msg, sizeof m->msg, "too many event chains (%d; at most %d)", p->nplayers, ENGINE_MAX_PLAYERS);
        program_free(p);
        p = NULL;
    }
    *nerrs = 0;
    for (int i = 0; i < nmsgs; i++) {
        if (msgs[i].warning) {
            PhononError e;
            engine_fill_error(&e, file, &msgs[i]);
            char line[800];
            phonon_error_format(&e, line, sizeof line);
            engine_post(ph, PHONON_MSG_WARNING, line);
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
    if (p && !program_prepare(p, ph->sr, ph->block)) {
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

/* Ask the bank for the files p plays in its first cycles from `cycle` on (control thread: the
 * audio thread's signals read 0 here). A file first played later is asked for when a voice misses it. */
static void engine_prefetch(Phonon *ph, const Program *p, double cycle)
{
    EventBuf eb;
    if (!eventbuf_init(&eb, 4096, (size_t)4096 * 128)) return;
    int64_t c0 = (int64_t)floor(isfinite(cycle) && fabs(cycle) < 1e15 ? cycle : 0);
    long seen = 0;
    /* bounded work (PATTERN_STEPS_*: a dense program must not stall the host's thread here), shared by
       the players; what it cannot see in time is decoded when first played */
    QueryBudget bud = { PATTERN_STEPS_BURST, 0, 0, 0, 0 };
    QueryEnv env = { NULL, NULL, &bud };
    for (int i = 0; i < p->nplayers; i++) {
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
}

/* Carry mute and solo over to a new program, by statement name. */
static void engine_carry_flags(Phonon *ph, Program *np)
{
    Program *old = atomic_load_explicit(&ph->cur_pub, memory_order_acquire);
    if (!old) return;
    for (int i = 0; i < np->nstmts; i++)
        for (int j = 0; j < old->nstmts; j++)
            if (np->stmts[i].name[0] && engine_name_eq(np->stmts[i].name, old->stmts[j].name))
                atomic_store(&np->stmt_flags[i], atomic_load(&old->stmt_flags[j]));
}

/* false when out of memory (nothing changed then). */
static bool engine_publish(Phonon *ph, Program *p, const char *text, const char *file)
{
    char *source = strdup(text);
    if (!source) return false;
    engine_carry_flags(ph, p);
    Program *old = atomic_exchange_explicit(&ph->pending, p, memory_order_acq_rel);
    program_free(old);                   /* never picked up: the audio thread never saw it */
    free(ph->source);
    ph->source = source;
    snprintf(ph->file, sizeof ph->file, "%s", file ? file : "-");
    return true;
}

int phonon_eval(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    engine_collect(ph);
    int nerrs = 0;
    Program *p = engine_compile(ph, text, file, errs, maxerrs, &nerrs);
    if (p) {
        engine_prefetch(ph, p, phonon_cycle(ph));
        if (!engine_publish(ph, p, text, file)) {
            program_free(p);
            p = NULL;
            if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
            nerrs = 1;
        }
    }
    pthread_mutex_unlock(&ph->ctl);
    return p ? 0 : (nerrs ? nerrs : 1);
}

int phonon_check(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    CompileMsg msgs[64];
    int nmsgs = 0;
    CompileEnv env = { ph->bank, ph->sr, ph->block, ph->cfg.ins, file };
    Program *p = compile_program(text, strlen(text), &env, msgs, 64, &nmsgs);
    engine_check_tempo(p, text, msgs, 64, &nmsgs);
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

int phonon_eval_statements(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    char *cur = strdup(ph->source ? ph->source : "");
    pthread_mutex_unlock(&ph->ctl);
    if (!cur) {
        if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
        return 1;
    }
    Arena a;
    arena_init(&a);
    AstProgram old, add;
    LangError le[8];
    int nold = lang_parse(cur, strlen(cur), &a, &old, le, 8);
    int nadd = lang_parse(text, strlen(text), &a, &add, le, 8);
    if (nadd > 0) {
        for (int i = 0; i < nadd && i < maxerrs && errs; i++) {
            CompileMsg m = { .line = le[i].line, .col = le[i].col };
            snprintf(m.msg, sizeof m.msg, "%s", le[i].msg);
            compile_locate(text, strlen(text), &m);
            engine_fill_error(&errs[i], file, &m);
        }
        arena_free(&a);
        free(cur);
        return nadd;
    }
    /* the merged program has one statement per line; remember which came from `text` (and its line there)
       so that errors point into the text the caller gave */
    size_t cap = strlen(cur) + strlen(text) + 64, len = 0;
    char *merged = malloc(cap);
    int nlines = 0, *from = calloc((size_t)(old.nstmts + add.nstmts) + 1, sizeof(int));
    bool *used = calloc((size_t)add.nstmts + 1, 1);
    if (!merged || !from || !used || nold > 0) {     /* the old text was accepted: errors now mean memory */
        free(merged);
        free(from);
        free(used);
        arena_free(&a);
        free(cur);
        if (errs && maxerrs > 0) engine_error(&errs[0], file, "out of memory: the program was not changed");
        return 1;
    }
    merged[0] = 0;
    for (int i = 0; nold == 0 && i < old.nstmts; i++) {
        const char *t = old.stmts[i].text;
        from[nlines] = 0;
        for (int j = 0; j < add.nstmts; j++)
            if (!used[j] && engine_name_eq(engine_stmt_key(&old.stmts[i]), engine_stmt_key(&add.stmts[j]))) {
                t = add.stmts[j].text;
                used[j] = true;
                from[nlines] = add.stmts[j].line;
            }
        nlines++;
        len += (size_t)snprintf(merged + len, cap - len, "%s\n", t);
    }
    for (int j = 0; j < add.nstmts; j++)
        if (!used[j]) {
            from[nlines++] = add.stmts[j].line;
            len += (size_t)snprintf(merged + len, cap - len, "%s\n", add.stmts[j].text);
        }
    free(used);
    arena_free(&a);
    free(cur);
    int r = phonon_eval(ph, merged, file, errs, maxerrs);
    for (int i = 0; i < r && i < maxerrs && errs; i++)
        if (errs[i].line >= 1 && errs[i].line <= nlines && from[errs[i].line - 1] > 0)
            errs[i].line = from[errs[i].line - 1];
    free(from);
    free(merged);
    return r;
}

int phonon_set_format(Phonon *ph, double sr, int max_block)
{
    if (!(sr >= ENGINE_MIN_SR && sr <= ENGINE_MAX_SR) || max_block <= 0) return -1;
    int block = max_block < ENGINE_BLOCK ? max_block : ENGINE_BLOCK;
    if (sr == ph->sr && block == ph->block) return 0;
    /* called while no block is being processed (Pd's dsp method): rebuild what depends on them; everything
       new is made first, so that out of memory leaves the engine as it was */
    pthread_mutex_lock(&ph->ctl);
    VoiceConfig vc = { ph->cfg.voices, block, sr, ENGINE_MAX_PLAYERS + 1 };
    VoicePool *vp = voice_pool_new(&vc);
    float *mix = NULL, *orphan = NULL, *zeros = NULL;
    if (block > ph->block) {
        mix = calloc((size_t)block * 2, sizeof(float));
        orphan = calloc((size_t)block * 2, sizeof(float));
        zeros = calloc((size_t)block, sizeof(float));
    }
    if (!vp || (block > ph->block && (!mix || !orphan || !zeros))) {
        voice_pool_free(vp);
        free(mix);
        free(orphan);
        free(zeros);
        pthread_mutex_unlock(&ph->ctl);
        return -1;
    }
    ph->sr = sr;
    ph->cfg.sr = sr;
    ph->cfg.max_block = max_block;
    if (mix) {
        free(ph->mix);
        free(ph->orphan);
        free(ph->zeros);
        ph->mix = mix;
        ph->orphan = orphan;
        ph->zeros = zeros;
    }
    ph->block = block;
    voice_pool_free(ph->vp);
    ph->vp = vp;
    double cps = rat_to_double(ph->cps);
    Rat cycle = engine_cycle_at(ph, ph->frame);
    ph->sr_r = rat_from_double(sr, 1000);
    ph->anchor_cycle = cycle;
    ph->anchor_frame = ph->frame;
    ph->cps = rat_from_double(cps, 100000);
    ph->fpc = rat_div(ph->sr_r, ph->cps);
    /* the running program was built for the old format: rebuild it from its text */
    for (int i = 0; i < ph->ndraining; i++) program_free(ph->draining[i]);
    ph->ndraining = 0;
    program_free(ph->cur);
    ph->cur = NULL;
    atomic_store(&ph->cur_pub, NULL);
    program_free(atomic_exchange(&ph->pending, NULL));
    engine_collect(ph);
    char *src = ph->source ? strdup(ph->source) : NULL;
    char file[256];
    snprintf(file, sizeof file, "%s", ph->file);
    pthread_mutex_unlock(&ph->ctl);
    if (src) {
        phonon_eval(ph, src, file, NULL, 0);
        free(src);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * control */

void phonon_set_cps(Phonon *ph, double cps)
{
    if (cps > 0 && isfinite(cps)) atomic_store(&ph->cps_req, dbits(engine_clamp_cps(cps)));
}
void phonon_set_bpm(Phonon *ph, double bpm) { phonon_set_cps(ph, bpm / 60.0); }
/* The tempo in effect at the next block: a pending request, else a pending program's, else the current. */
double phonon_cps(Phonon *ph)
{
    uint64_t c = atomic_load(&ph->cps_req);
    if (c) return bitsd(c);
    pthread_mutex_lock(&ph->ctl);
    Program *p = atomic_load(&ph->pending);
    double cps = (p && p->has_tempo) ? p->cps : rat_to_double(ph->cps);
    pthread_mutex_unlock(&ph->ctl);
    return cps;
}
double phonon_cycle(Phonon *ph) { return atomic_load_explicit(&ph->cycle_now, memory_order_relaxed); }
void phonon_hush(Phonon *ph) { atomic_store(&ph->hushed, 1); }
void phonon_unhush(Phonon *ph) { atomic_store(&ph->hushed, 0); }
void phonon_panic(Phonon *ph) { atomic_store(&ph->panic_req, 1); }
void phonon_start(Phonon *ph) { atomic_store(&ph->running, 1); }
void phonon_stop(Phonon *ph) { atomic_store(&ph->running, 0); }
void phonon_reset(Phonon *ph) { phonon_seek(ph, 0); }
void phonon_seek(Phonon *ph, double cycle)
{
    if (isfinite(cycle)) atomic_store(&ph->seek_req, dbits(cycle));
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
    char *src = (n >= 0 && ph->source) ? strdup(ph->source) : NULL;
    char file[256];
    snprintf(file, sizeof file, "%s", ph->file);
    pthread_mutex_unlock(&ph->ctl);
    if (src) {                        /* names that were unknown may now be found */
        phonon_eval(ph, src, file, NULL, 0);
        free(src);
    }
    return n;
}

bool phonon_wait_loaded(Phonon *ph, double timeout_seconds)
{
    bank_service(ph->bank);
    return bank_wait(ph->bank, timeout_seconds);
}

/* ------------------------------------------------------------------------------------------------
 * messages and statistics */

static void engine_format_event(const EventRec *r, PhononMsg *m)
{
    int len = snprintf(m->text, sizeof m->text, "%s", r->player);
    for (int i = 0; i < r->n && len < (int)sizeof m->text - 1; i++) {
        const Value *v = &r->value[i];
        const char *name = param_name((Param)r->param[i]);
        if (v->type == VAL_SYM)
            len += snprintf(m->text + len, sizeof m->text - (size_t)len, " %s %s", name, sym_name(v->sym));
        else
            len += snprintf(m->text + len, sizeof m->text - (size_t)len, " %s %g", name, val_to_num(v));
    }
    if (len < (int)sizeof m->text - 1) snprintf(m->text + len, sizeof m->text - (size_t)len, " cycle %g", r->cycle);
    m->kind = PHONON_MSG_EVENT;
}

bool phonon_poll(Phonon *ph, PhononMsg *msg)
{
    engine_collect(ph);
    bank_service(ph->bank);         /* files the audio thread missed: decoded from now on */
    if (msgq_pop(ph->msgs, msg)) return true;
    EventRec r;
    if (msgq_pop(ph->events, &r)) {
        engine_format_event(&r, msg);
        return true;
    }
    return false;
}

void phonon_set_event_output(Phonon *ph, bool on) { atomic_store(&ph->events_on, on ? 1 : 0); }

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
    st->late = atomic_load(&ph->stat_late);
    st->blocks = atomic_load(&ph->stat_blocks);
    st->nonfinite = atomic_load(&ph->stat_nonfinite);
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
}

/* --- for `phonon bench` only (bench_impl.h): hold voices started by hand ---------------------------- */

const Instrument *engine_bench_instrument(Phonon *ph, int i)
{
    Program *p = ph->cur;
    return (p && i >= 0 && i < p->ninstruments) ? &p->instruments[i] : NULL;
}

void engine_bench_pool_mode(Phonon *ph, int mode) { pool_set_mode(ph->pool, mode); }

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
    int n = snprintf(buf, (size_t)size, "%s", ph->source ? ph->source : "");
    pthread_mutex_unlock(&ph->ctl);
    return n;
}
