/* schedule.c — from events to sound: control signals filled segment by segment, voice starts with every
 * parameter resolved (SuperDirt's meanings, phonon's linear gain and 0..1 pan). */
#include "schedule.h"

#include <math.h>
#include <string.h>

void schedule_query(const Pattern *p, const SchedBlock *b, EventBuf *eb, const QueryEnv *env)
{
    Rat t = b->c0;
    while (rat_lt(t, b->c1)) {
        Rat next = rat_min(rat_next_sam(t), b->c1);
        pattern_query(p, arc_make(t, next), eb, env);
        t = next;
    }
}

double schedule_frame(const SchedBlock *b, Rat t) { return rat_to_double(rat_mul(rat_sub(t, b->c0), b->fpc)); }

static int schedule_clamp_frame(double x, int n)
{
    if (!(x > 0)) return 0;
    if (x >= n) return n;
    return (int)ceil(x);
}

static bool schedule_event_value(const Event *e, float *out)
{
    double v = val_to_num(&e->value);
    if (!isfinite(v)) return false;
    *out = (float)v;
    return true;
}

static Rat schedule_key(const Event *e, bool whole) { return whole ? e->whole.begin : e->part.begin; }

/* A stable sort of eb's events by begin (part or whole) in O(n log n) without allocating: runs of
 * 16 by insertion, merged through the free end of the buffer. false when there is not room
 * (more than half the buffer): then nothing is moved. */
static bool schedule_sort(EventBuf *eb, bool whole)
{
    Event *ev = eb->ev;
    int n = eb->len;
    if (n > 16 && eb->cap - n < n) return false;
    for (int r = 0; r < n; r += 16) {
        int end = r + 16 < n ? r + 16 : n;
        for (int i = r + 1; i < end; i++) {
            Event e = ev[i];
            int j = i - 1;
            while (j >= r && rat_lt(schedule_key(&e, whole), schedule_key(&ev[j], whole))) {
                ev[j + 1] = ev[j];
                j--;
            }
            ev[j + 1] = e;
        }
    }
    Event *tmp = ev + n;
    for (int w = 16; w < n; w *= 2)
        for (int lo = 0; lo + w < n; lo += 2 * w) {
            int mid = lo + w, hi = lo + 2 * w < n ? lo + 2 * w : n;
            memcpy(tmp, ev + lo, sizeof(Event) * (size_t)w);
            int i = 0, j = mid, k = lo;
            while (i < w && j < hi)
                ev[k++] = rat_lt(schedule_key(&ev[j], whole), schedule_key(&tmp[i], whole)) ? ev[j++] : tmp[i++];
            while (i < w) ev[k++] = tmp[i++];
        }
    return true;
}

static void schedule_fill_ctrl(Program *p, int k, const SchedBlock *b, EventBuf *eb, const QueryEnv *env, SchedSink *sink)
{
    const Ctrl *c = &p->ctrls[k];
    float *x = p->extptr[c->ext];
    float hold = p->ctrl_hold[k];
    eventbuf_clear(eb);
    schedule_query(c->pattern, b, eb, env);
    if (eb->len > eb->cap / 2) eb->len = eb->cap / 2, eb->overflow = true;    /* room to sort */
    if (eb->overflow) sink->overflow++;
    schedule_sort(eb, false);
    int pos = 0;
    for (int i = 0; i < eb->len; i++) {
        const Event *e = &eb->ev[i];
        float v;
        if (!schedule_event_value(e, &v)) continue;
        int f0 = schedule_clamp_frame(schedule_frame(b, e->part.begin), b->n);
        int f1 = schedule_clamp_frame(schedule_frame(b, e->part.end), b->n);
        for (; pos < f0; pos++) x[pos] = hold;
        if (f0 < pos) f0 = pos;      /* overlapping events: the later one takes over from where it starts */
        for (int f = f0; f < f1; f++) x[f] = v;
        if (f1 > pos) pos = f1;
        hold = v;
        if (c->mode == CTRL_GATE && e->has_whole && rat_eq(e->whole.begin, e->part.begin) && f0 < b->n)
            x[f0] = 0;               /* a new event: the gate falls for one frame so envelopes restart */
    }
    for (; pos < b->n; pos++) x[pos] = hold;
    p->ctrl_hold[k] = hold;
    DspBuf *db = NULL;
    for (int bi = 0; bi < p->graph.nbufs; bi++)
        if (p->graph.bufs[bi].kind == GB_EXTERN && p->graph.bufs[bi].ext == c->ext) db = &p->bufs[bi];
    if (!db) return;
    bool uniform = true;
    for (int f = 1; f < b->n && uniform; f++) uniform = x[f] == x[0];
    db->flags = uniform ? DSP_CONST : 0;
}

void schedule_ctrls(Program *p, const SchedBlock *b, EventBuf *eb, const QueryEnv *env, SchedSink *sink)
{
    for (int k = 0; k < p->nctrls; k++) {
        long keep = query_budget_hold(env ? env->budget : NULL, p->nctrls - k);     /* a fair share each */
        schedule_fill_ctrl(p, k, b, eb, env, sink);
        query_budget_release(env ? env->budget : NULL, keep);
    }
}

/* --- voice starts ---------------------------------------------------------------------------- */

static bool map_has(const ValMap *m, int p) { return valmap_get(m, p) != NULL; }

static double map_num(const ValMap *m, int p)
{
    const Value *v = valmap_get(m, p);
    if (!v) return param_info[p].def;
    double x = val_to_num(v);
    return isfinite(x) ? x : param_info[p].def;
}

static float clampf(double x, double lo, double hi) { return (float)(x < lo ? lo : x > hi ? hi : x); }

/* Gain of one note of a chord of `chord` notes (0 or 1: a single note): 1/sqrt(notes). The count is
 * the event's (its map's Value.chord): the values inside a control map are plain numbers. */
static double chord_gain(int chord) { return chord > 1 ? 1.0 / sqrt((double)chord) : 1.0; }

/* Where a chord note's oscillators start (VoiceStart.phase): a hash of its pitch and its onset frame, so
 * the notes of one chord start apart (four saws on the same edge add up to four times one saw's peak),
 * and the same program gives the same bits whatever the thread count. A single note starts at 0. */
static uint32_t schedule_chord_phase(int chord, float freq, int64_t frame)
{
    if (chord <= 1) return 0;
    uint32_t fb;
    memcpy(&fb, &freq, sizeof fb);
    uint64_t h = (uint64_t)frame * 0x9E3779B97F4A7C15ull ^ (uint64_t)fb * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 33;                       /* a 64-bit finaliser (MurmurHash3's): every input bit moves the result */
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return (uint32_t)(h >> 32);
}

static void schedule_common(VoiceStart *vs, const ValMap *m, double delta, int chord)
{
    vs->gain = (float)(map_num(m, P_GAIN) * map_num(m, P_VELOCITY) * map_num(m, P_AMP) * chord_gain(chord));
    if (!(vs->gain >= 0)) vs->gain = 0;
    vs->pan = clampf(map_num(m, P_PAN), 0, 1);
    vs->cut = (int)map_num(m, P_CUT);
    vs->orbit = orbit_index(map_num(m, P_ORBIT));
    vs->cutoff = clampf(map_num(m, P_CUTOFF), 0, 30000);
    vs->resonance = clampf(map_num(m, P_RESONANCE), 0, 1);
    vs->hcutoff = clampf(map_num(m, P_HCUTOFF), 0, 30000);
    vs->hresonance = clampf(map_num(m, P_HRESONANCE), 0, 1);
    vs->bandf = clampf(map_num(m, P_BANDF), 0, 30000);
    vs->bandq = clampf(map_num(m, P_BANDQ), 0, 1000);
    vs->shape = clampf(map_num(m, P_SHAPE), 0, 0.999);
    vs->coarse = clampf(map_num(m, P_COARSE), 0, 1000);
    vs->crush = clampf(map_num(m, P_CRUSH), 0, 64);
    const Value *vw = valmap_get(m, P_VOWEL);
    vs->vowel = (vw && vw->type == VAL_SYM) ? vw->sym : 0;
    vs->vowel_res = map_has(m, P_RESONANCE) ? vs->resonance : 0.5f;   /* dirt_vowel's default */
    vs->djf = map_has(m, P_DJF) ? clampf(map_num(m, P_DJF), 0, 1) : 0;
    double sustain = map_num(m, P_SUSTAIN), legato = map_num(m, P_LEGATO);
    vs->length = sustain > 0 ? sustain : legato > 0 ? legato * delta : 0;
}

static double schedule_note(const ValMap *m, bool n_is_note)
{
    double note = map_has(m, P_NOTE) ? map_num(m, P_NOTE) : (n_is_note ? map_num(m, P_N) : 0);
    return note + (map_num(m, P_OCTAVE) - 5) * 12;
}

static bool schedule_sample_voice(VoiceStart *vs, const ValMap *m, const SoundRef *s, double index, const SchedBlock *b,
                               SchedSink *sink)
{
    double n = map_has(m, P_N) ? map_num(m, P_N) : index;
    const Sample *smp = banksound_get(s->bank, n);
    if (!smp) {
        sink->late++;
        return false;
    }
    vs->sample = smp;
    /* n can be any double a pattern makes (1e302, NaN): reduced to 32 bits before it becomes an integer */
    double nk = isfinite(n) ? fmod(floor(n), 4294967296.0) : 0;
    vs->sound = s->sym ^ ((uint32_t)(int64_t)nk * 2654435761u);
    double speed = map_num(m, P_SPEED);
    double rate = speed * exp2(schedule_note(m, false) / 12.0) * smp->rate / b->sr;
    vs->begin = clampf(map_num(m, P_BEGIN), 0, 1);
    vs->end = clampf(map_num(m, P_END), 0, 1);
    const Value *unit = valmap_get(m, P_UNIT);
    if (unit && unit->type == VAL_SYM && strcmp(sym_name(unit->sym), "c") == 0) {
        /* unit "c": speed 1 plays the region in exactly one cycle */
        rate = speed * exp2(schedule_note(m, false) / 12.0) * fabs(vs->end - vs->begin) * smp->frames * b->cps / b->sr;
    }
    vs->rate = (float)rate;
    vs->accelerate = (float)map_num(m, P_ACCELERATE);
    double loop = fabs(map_num(m, P_LOOP));
    vs->loop = loop < 1 ? 1 : (int)loop;
    vs->has_env = map_has(m, P_ATTACK) || map_has(m, P_RELEASE) || map_has(m, P_HOLD);
    vs->attack = clampf(map_num(m, P_ATTACK), 0, 60);
    vs->hold = clampf(map_num(m, P_HOLD), 0, 3600);
    vs->release = map_has(m, P_RELEASE) ? clampf(map_num(m, P_RELEASE), 0, 60) : 1e6f;
    return true;
}

static void schedule_inst_voice(VoiceStart *vs, const ValMap *m, const SoundRef *s, double delta)
{
    vs->inst = s->inst;
    vs->sound = s->sym;
    double freq;
    if (map_has(m, P_FREQ)) freq = map_num(m, P_FREQ);
    else if (map_has(m, P_MIDINOTE)) freq = 440.0 * exp2((map_num(m, P_MIDINOTE) - 69) / 12.0);
    else freq = 440.0 * exp2((schedule_note(m, true) - 9) / 12.0);     /* note 0 = c5 = MIDI 60 */
    freq *= fabs(map_num(m, P_SPEED));
    vs->freq = clampf(freq, 0, 0.49 * 192000);
    vs->rate = 1;
    vs->loop = 1;
    vs->attack = map_has(m, P_ATTACK) ? clampf(map_num(m, P_ATTACK), 0, 60) : 0.01f;
    vs->release = map_has(m, P_RELEASE) ? clampf(map_num(m, P_RELEASE), 0, 60) : 0.3f;
    /* the release starts at the note's end (sustain/legato), or after attack + hold; a note shorter than its
       attack releases from the level reached (docs/VOICES.md) */
    vs->hold = map_has(m, P_HOLD) ? clampf(map_num(m, P_HOLD), 0, 3600) : (float)(vs->length > vs->attack ? vs->length - vs->attack : 0);
    vs->length = map_has(m, P_HOLD) || !(vs->length > 0) ? vs->attack + vs->hold : vs->length;
    vs->has_env = true;
    (void)delta;
}

/* One onset event of player `player` becomes a voice. */
static void schedule_onset(Program *p, int player, const Event *e, const SchedBlock *b, VoicePool *vp, SchedSink *sink)
{
    if (e->value.type != VAL_MAP) return;
    if (sink->onsets <= 0) {            /* more starts than a block may make: dropped, counted */
        sink->overflow++;
        return;
    }
    sink->onsets--;
    /* the host hears of every event, also one whose sound is unknown or still loading: a Pd patch
       may use the names as its own instruments, and a slow disk must not silence it */
    if (sink->event) sink->event(sink->ud, p, player, e);
    const ValMap *m = e->value.map;
    const Value *sv = valmap_get(m, P_S);
    if (!sv || sv->type != VAL_SYM) return;
    const SymInfo *si = sym_info(sv->sym);
    const SoundRef *s = program_sound(p, si->base);
    if (!s) {                       /* a name the program never saw: report it once */
        sink->unknown_sound(sink->ud, p, si->base);
        return;
    }
    if (s->kind == SOUND_UNKNOWN) return;       /* reported when the program was compiled */
    double delta = rat_to_double(rat_sub(e->whole.end, e->whole.begin)) / b->cps;
    double x = schedule_frame(b, e->whole.begin);
    int to = sink->orbit && schedule_on_orbit(m) ? sink->orbit(sink->ud, p, player, m, x, b->cps) : player;
    schedule_start(m, e->value.chord, s, si->has_index ? si->index : 0, delta, x, to, b, vp, sink);
}

bool schedule_on_orbit(const ValMap *m)
{
    if (map_has(m, P_ORBIT)) return true;
    for (int k = P_ROOM; k <= P_LOCK; k++)
        if (map_has(m, k)) return true;
    return false;
}

void schedule_orbit_fx(const ValMap *m, int *orbit, OrbitFx *fx)
{
    *orbit = orbit_index(map_num(m, P_ORBIT));
    fx->room = (float)map_num(m, P_ROOM);
    fx->size = (float)map_num(m, P_SIZE);
    fx->dry = (float)map_num(m, P_DRY);
    fx->delay = (float)map_num(m, P_DELAY);
    fx->delaytime = (float)map_num(m, P_DELAYTIME);
    fx->delayfeedback = (float)map_num(m, P_DELAYFEEDBACK);
    fx->lock = map_num(m, P_LOCK) != 0;
}

bool schedule_start(const ValMap *m, int chord, const SoundRef *s, double index, double delta, double x, int player,
                    const SchedBlock *b, VoicePool *vp, SchedSink *sink)
{
    if (!(x > 0)) x = 0;
    VoiceStart vs;
    memset(&vs, 0, sizeof vs);
    vs.offset = x < b->n ? (int)floor(x) : b->n - 1;
    vs.frac = x < b->n ? (float)(x - vs.offset) : 0;
    vs.player = player;
    schedule_common(&vs, m, delta, chord);
    if (s->kind == SOUND_BANK) {
        if (!schedule_sample_voice(&vs, m, s, index, b, sink)) return false;
    } else if (s->kind == SOUND_INST) {
        schedule_inst_voice(&vs, m, s, delta);
        vs.phase = schedule_chord_phase(chord, vs.freq, b->frame + vs.offset);
    } else {
        return false;
    }
    return voice_start(vp, &vs);
}

static bool schedule_is_onset(const Event *e) { return e->has_whole && rat_eq(e->whole.begin, e->part.begin); }

/* Fill the cache with the onsets of cycle k, in time order. */
static void schedule_fill_cache(const Pattern *pat, PlayerCache *c, int64_t k, const QueryEnv *env)
{
    EventBuf *eb = &c->eb;
    eventbuf_clear(eb);
    /* half of the block's pattern budget at most: if the cycle is too busy to cache, the block's own
       query still has the rest */
    QueryBudget *bud = env ? env->budget : NULL;
    long keep = query_budget_hold(bud, 2);
    pattern_query(pat, arc_make(rat_int(k), rat_int(k + 1)), eb, env);
    query_budget_release(bud, keep);
    c->cycle = k;
    c->valid = true;
    int n = 0;
    for (int i = 0; i < eb->len; i++)
        if (schedule_is_onset(&eb->ev[i])) eb->ev[n++] = eb->ev[i];
    eb->len = n;
    c->overflow = eb->overflow || !schedule_sort(eb, true);     /* by onset, stable */
}

void schedule_player(Program *p, int player, const SchedBlock *b, EventBuf *eb, const QueryEnv *env, VoicePool *vp,
                     SchedSink *sink)
{
    const Player *pl = &p->players[player];
    PlayerCache *c = p->pcache ? &p->pcache[player] : NULL;
    for (Rat t = b->c0; rat_lt(t, b->c1);) {
        int64_t k = rat_floor(t);
        Rat next = rat_min(rat_int(k + 1), b->c1);
        if (c && (!c->valid || c->cycle != k)) schedule_fill_cache(pl->pattern, c, k, env);
        if (c && !c->overflow) {
            for (int i = 0; i < c->eb.len; i++) {
                const Event *e = &c->eb.ev[i];
                if (rat_lt(e->whole.begin, t)) continue;
                if (!rat_lt(e->whole.begin, next)) break;
                schedule_onset(p, player, e, b, vp, sink);
            }
        } else {
            eventbuf_clear(eb);
            pattern_query(pl->pattern, arc_make(t, next), eb, env);
            if (eb->overflow) sink->overflow++;
            for (int i = 0; i < eb->len; i++)
                if (schedule_is_onset(&eb->ev[i])) schedule_onset(p, player, &eb->ev[i], b, vp, sink);
        }
        t = next;
    }
}
