/* engine.c — the public API (phonon.h): the clock, program hand-over, the per-block loop and the output stage.
 * phonon_process is the audio path: it only reads programs, starts voices and writes preallocated memory. */
#include "phonon.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank.h"
#include "compile.h"
#include "lang.h"
#include "limiter.h"
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
    Limiter *lim;
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

static void engine_set_tempo(Phonon *ph, double cps)
{
    if (!(cps > 0) || !isfinite(cps)) return;
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
    if (np->hush) atomic_store(&ph->hushed, 1);
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

static void engine_output(Phonon *ph, float *const *outs, int off, int n)
{
    bool hushed = atomic_load_explicit(&ph->hushed, memory_order_relaxed);
    long bad = 0;
    int nouts = ph->cfg.outs;
    for (int f = 0; f < n; f++) {
        float l = ph->mix[2 * f], r = ph->mix[2 * f + 1];
        if (!isfinite(l)) { l = 0; bad++; }
        if (!isfinite(r)) { r = 0; bad++; }
        limiter_frame(ph->lim, &l, &r);         /* the master stage (limiter.h) */
        if (hushed) l = r = 0;
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
    SchedSink sink = { engine_unknown_sound, atomic_load(&ph->events_on) ? engine_event : NULL, ph, 0, 0 };
    QueryEnv env = { engine_signal_at, ph };

    voice_begin_block(ph->vp, n);
    int nplayers = 0;
    if (p) {
        engine_bind_externs(ph, p, ins, off);
        schedule_ctrls(p, b, &ph->eb, &env, &sink);
        graph_run_range(&p->graph, 0, p->nupstream, p->state, p->bufs, n, (float)ph->sr);
        nplayers = p->nplayers;
        for (int i = 0; i < p->nplayers; i++) {
            ph->player_out[i] = p->extptr[p->players[i].ext];
            if (running && engine_stmt_plays(ph, p, p->players[i].stmt))
                schedule_player(p, i, b, &ph->eb, &env, ph->vp, &sink);
        }
    }
    ph->player_out[nplayers] = ph->orphan;
    voice_render(ph->vp, ph->pool, p ? p->bufs : NULL, ph->player_out, nplayers + 1, n);
    if (p) graph_run_range(&p->graph, p->nupstream, p->graph.nnodes, p->state, p->bufs, n, (float)ph->sr);
    engine_mix(ph, p, n);
    if (p) engine_feedback(p, n);
    engine_output(ph, outs, off, n);

    if (sink.late) atomic_fetch_add_explicit(&ph->stat_late, sink.late, memory_order_relaxed);
    if (sink.overflow) atomic_fetch_add_explicit(&ph->stat_overflow, sink.overflow, memory_order_relaxed);
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
    limiter_free(ph->lim);
    ph->lim = limiter_new(ph->sr, 0);     /* no look-ahead yet: output frames stay where the schedule puts them */
    return ph->vp != NULL && ph->lim != NULL;
}

Phonon *phonon_new(const PhononConfig *cfg_in)
{
    Phonon *ph = calloc(1, sizeof *ph);
    if (!ph) return NULL;
    if (cfg_in) ph->cfg = *cfg_in;
    else phonon_config_default(&ph->cfg);
    if (!(ph->cfg.sr > 0)) ph->cfg.sr = 44100;
    if (ph->cfg.max_block <= 0) ph->cfg.max_block = 4096;
    if (ph->cfg.voices <= 0) ph->cfg.voices = 4096;
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
    if (ph->cfg.sample_dirs)
        for (const char *const *d = ph->cfg.sample_dirs; *d; d++) {
            char err[256];
            if (bank_add_root(ph->bank, *d, err, sizeof err) < 0) engine_post(ph, PHONON_MSG_ERROR, err);
        }
    bank_set_use_system(ph->bank, !ph->cfg.no_system_samples);
    bank_add_defaults(ph->bank);

    ph->sr_r = rat_from_double(ph->sr, 1000);
    ph->anchor_cycle = rat_int(0);
    ph->cps = rat_make(1, 2);
    ph->fpc = rat_div(ph->sr_r, ph->cps);
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
    limiter_free(ph->lim);
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

static void engine_fill_error(PhononError *e, const char *file, const CompileMsg *m)
{
    snprintf(e->file, sizeof e->file, "%s", file ? file : "-");
    e->line = m->line;
    e->col = m->col;
    snprintf(e->msg, sizeof e->msg, "%s%s", m->warning ? "warning: " : "", m->msg);
}

/* Compile; on success the program is prepared to run. Errors go to errs, warnings to the message queue. */
static Program *engine_compile(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs,
                               int *nerrs)
{
    CompileMsg msgs[64];
    int nmsgs = 0;
    CompileEnv env = { ph->bank, ph->sr, ph->block, ph->cfg.ins, file };
    Program *p = compile_program(text, strlen(text), &env, msgs, 64, &nmsgs);
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
    if (p && !program_prepare(p, ph->sr, ph->block)) {
        program_free(p);
        p = NULL;
    }
    return p;
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

static void engine_publish(Phonon *ph, Program *p, const char *text, const char *file)
{
    engine_carry_flags(ph, p);
    Program *old = atomic_exchange_explicit(&ph->pending, p, memory_order_acq_rel);
    program_free(old);                   /* never picked up: the audio thread never saw it */
    free(ph->source);
    ph->source = strdup(text);
    snprintf(ph->file, sizeof ph->file, "%s", file ? file : "-");
}

int phonon_eval(Phonon *ph, const char *text, const char *file, PhononError *errs, int maxerrs)
{
    pthread_mutex_lock(&ph->ctl);
    engine_collect(ph);
    int nerrs = 0;
    Program *p = engine_compile(ph, text, file, errs, maxerrs, &nerrs);
    if (p) engine_publish(ph, p, text, file);
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
    Arena a;
    arena_init(&a);
    AstProgram old, add;
    LangError le[8];
    int nold = lang_parse(cur, strlen(cur), &a, &old, le, 8);
    int nadd = lang_parse(text, strlen(text), &a, &add, le, 8);
    if (nadd > 0) {
        for (int i = 0; i < nadd && i < maxerrs && errs; i++) {
            snprintf(errs[i].file, sizeof errs[i].file, "%s", file ? file : "-");
            errs[i].line = le[i].line;
            errs[i].col = le[i].col;
            snprintf(errs[i].msg, sizeof errs[i].msg, "%s", le[i].msg);
        }
        arena_free(&a);
        free(cur);
        return nadd;
    }
    /* the merged program has one statement per line; remember which came from `text` (and its line there)
       so that errors point into the text the caller gave */
    size_t cap = strlen(cur) + strlen(text) + 64, len = 0;
    char *merged = malloc(cap);
    merged[0] = 0;
    int nlines = 0, *from = calloc((size_t)(old.nstmts + add.nstmts) + 1, sizeof(int));
    bool *used = calloc((size_t)add.nstmts + 1, 1);
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
    if (!(sr > 0) || max_block <= 0) return -1;
    int block = max_block < ENGINE_BLOCK ? max_block : ENGINE_BLOCK;
    if (sr == ph->sr && block == ph->block) return 0;
    /* called while no block is being processed (Pd's dsp method): rebuild what depends on them */
    pthread_mutex_lock(&ph->ctl);
    ph->sr = sr;
    ph->cfg.sr = sr;
    ph->cfg.max_block = max_block;
    if (block > ph->block) {
        free(ph->mix);
        free(ph->orphan);
        free(ph->zeros);
        ph->mix = calloc((size_t)block * 2, sizeof(float));
        ph->orphan = calloc((size_t)block * 2, sizeof(float));
        ph->zeros = calloc((size_t)block, sizeof(float));
    }
    ph->block = block;
    voice_pool_free(ph->vp);
    engine_alloc_audio(ph);
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
    if (cps > 0 && isfinite(cps)) atomic_store(&ph->cps_req, dbits(cps));
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

bool phonon_wait_loaded(Phonon *ph, double timeout_seconds) { return bank_wait(ph->bank, timeout_seconds); }

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
    st->parallel_fallback = ps.fallback;
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
