/* voice_lanes.c — instrument voices: each (player, instrument) pair keeps its voices in groups of
 * VOICE_LANES lanes whose graph state is structure-of-arrays, so one graph_run advances 32 voices.
 * A joining voice's lane gets a fresh state exactly at its onset frame (the group's run is split there);
 * ended lanes are compacted so work follows the active voices. Group state comes from a preallocated
 * buddy arena. Rendering is audio path (no allocation); adding and reaping run on the audio thread. */
#include "clones.h"
#include "voice_impl.h"

#include <math.h>
#include <string.h>

#define ARENA_UNIT 1024                 /* floats in the smallest arena block */

size_t voice_state_capacity(const VoicePool *vp) { return (size_t)vp->arena_units * ARENA_UNIT; }

static const float vl_zero[W];          /* extern buffers an instrument reads but nobody supplies */

/* ---- the state arena: a buddy allocator ---------------------------------------------------- */

static void arena_push(VoicePool *vp, int idx, int order)
{
    int h = vp->arena_free_head[order];
    vp->arena_next[idx] = h;
    vp->arena_prev[idx] = -1;
    if (h >= 0) vp->arena_prev[h] = idx;
    vp->arena_free_head[order] = idx;
    vp->arena_tag[idx] = (uint8_t)(order + 1);
}

static void arena_remove(VoicePool *vp, int idx, int order)
{
    int p = vp->arena_prev[idx], n = vp->arena_next[idx];
    if (p >= 0) vp->arena_next[p] = n;
    else vp->arena_free_head[order] = n;
    if (n >= 0) vp->arena_prev[n] = p;
    vp->arena_tag[idx] = 0;
}

bool vlanes_arena_init(VoicePool *vp, long floats)
{
    int order = 0;
    long units = 1;
    while (units * ARENA_UNIT < floats) {
        units *= 2;
        order++;
    }
    vp->arena_units = (int)units;
    vp->arena_max_order = order;
    vp->arena = voice_alloc((size_t)units * ARENA_UNIT * sizeof(float));
    vp->arena_free_head = voice_alloc((size_t)(order + 1) * sizeof(int));
    vp->arena_next = voice_alloc((size_t)units * sizeof(int));
    vp->arena_prev = voice_alloc((size_t)units * sizeof(int));
    vp->arena_tag = voice_alloc((size_t)units);
    if (!vp->arena || !vp->arena_free_head || !vp->arena_next || !vp->arena_prev || !vp->arena_tag) return false;
    for (int k = 0; k <= order; k++) vp->arena_free_head[k] = -1;
    arena_push(vp, 0, order);
    return true;
}

/* Offset in floats of a block of at least `floats`, or -1. */
static long arena_alloc(VoicePool *vp, size_t floats, int *order_out)
{
    int order = 0;
    while ((size_t)ARENA_UNIT << order < floats) order++;
    int k = order;
    while (k <= vp->arena_max_order && vp->arena_free_head[k] < 0) k++;
    if (k > vp->arena_max_order) return -1;
    int idx = vp->arena_free_head[k];
    arena_remove(vp, idx, k);
    while (k > order) {                 /* split, keeping the lower half */
        k--;
        arena_push(vp, idx + (1 << k), k);
    }
    *order_out = order;
    return (long)idx * ARENA_UNIT;
}

static void arena_free(VoicePool *vp, long off, int order)
{
    int idx = (int)(off / ARENA_UNIT);
    while (order < vp->arena_max_order) {
        int buddy = idx ^ (1 << order);
        if (vp->arena_tag[buddy] != order + 1) break;
        arena_remove(vp, buddy, order);
        if (buddy < idx) idx = buddy;
        order++;
    }
    arena_push(vp, idx, order);
}

/* ---- lanes ------------------------------------------------------------------------------ */

static void vl_load(const Group *g, int l, VEnvRun *r)
{
    r->y = g->ey[l];
    r->m = g->em[l];
    r->b = g->eb[l];
    r->gate = g->egate[l];
    r->left = g->eleft[l];
    r->cur = g->ecur[l];
}

static void vl_store(Group *g, int l, const VEnvRun *r)
{
    g->cg_ok = false;
    g->ey[l] = r->y;
    g->em[l] = r->m;
    g->eb[l] = r->b;
    g->egate[l] = r->gate;
    g->eleft[l] = r->left;
    g->ecur[l] = r->cur;
}

/* An unused lane: silent, harmless inputs (some oscillators divide by their frequency). */
static void vl_lane_clear(Group *g, int l)
{
    g->cg_ok = false;
    g->slot[l] = -1;
    g->freq[l] = 440;
    g->gl[l] = g->gr[l] = 0;
    g->ey[l] = g->em[l] = g->eb[l] = g->egate[l] = 0;
    g->eleft[l] = VENV_FOREVER;
    g->ecur[l] = 0;
    g->kill[l] = -1;
    g->wait[l] = 0;
    g->fresh &= ~(1u << l);
    g->has_fx &= ~(1u << l);
    g->done &= ~(1u << l);
}

/* The state rows (fields x W lanes) that hold per-lane state: each node with W lanes owns the rows
 * from its offset up to the next node's (a node shared by all lanes keeps its state when lanes
 * change). Found from the layout alone, once per group. Returns the ranges, or -1 if too many. */
static int vl_lane_rows(const Graph *gr, int (*ranges)[2])
{
    int n = 0;
    for (int i = 0; i < gr->nnodes; i++) {
        const GraphNode *nd = &gr->nodes[i];
        if (nd->lanes != W || (nd->kind->nstate == 0 && !nd->kind->state_floats)) continue;
        int first = nd->state, end = gr->nstate;
        for (int j = 0; j < gr->nnodes; j++)
            if (gr->nodes[j].state > first && gr->nodes[j].state < end) end = gr->nodes[j].state;
        if (end <= first) continue;
        if (n > 0 && ranges[n - 1][0] + ranges[n - 1][1] == first) {
            ranges[n - 1][1] += end - first;
            continue;
        }
        if (n == VOICE_MAX_RANGES) return -1;
        ranges[n][0] = first;
        ranges[n][1] = end - first;
        n++;
    }
    return n;
}

/* Copy lane src of `from` into lane dst of `to` (field f of lane l is at state[f * W + l]). */
static void vl_copy_lane_state(const Group *g, float *to, int dst, const float *from, int src)
{
    for (int r = 0; r < g->nranges; r++) {
        size_t row = (size_t)g->ranges[r][0] * W, end = row + (size_t)g->ranges[r][1] * W;
        for (; row < end; row += W) to[row + dst] = from[row + src];
    }
}

static void vl_fresh_lane(VoicePool *vp, Group *g, int l)
{
    (void)vp;
    if (g->inst->fresh_state) vl_copy_lane_state(g, g->state, l, g->inst->fresh_state, l);
}

static void vl_move_lane(VoicePool *vp, Group *g, int src, int dst)
{
    vl_copy_lane_state(g, g->state, dst, g->state, src);
    g->cg_ok = false;
    g->slot[dst] = g->slot[src];
    g->freq[dst] = g->freq[src];
    g->gl[dst] = g->gl[src];
    g->gr[dst] = g->gr[src];
    g->ey[dst] = g->ey[src];
    g->em[dst] = g->em[src];
    g->eb[dst] = g->eb[src];
    g->egate[dst] = g->egate[src];
    g->eleft[dst] = g->eleft[src];
    g->ecur[dst] = g->ecur[src];
    g->kill[dst] = g->kill[src];
    g->wait[dst] = g->wait[src];
    uint32_t sb = 1u << src, db = 1u << dst;
    g->fresh = (g->fresh & ~db) | ((g->fresh & sb) ? db : 0);
    g->has_fx = (g->has_fx & ~db) | ((g->has_fx & sb) ? db : 0);
    g->done = (g->done & ~db) | ((g->done & sb) ? db : 0);
    vp->v[g->slot[dst]].lane = dst;
}

/* ---- groups ----------------------------------------------------------------------------- */

/* Frames per graph run so that the graph's buffers fit the per-thread scratch. */
static int vl_sub_frames(const Graph *gr)
{
    size_t base = graph_buffer_floats(gr, 0), per = graph_buffer_floats(gr, 1) - base;
    if (base >= VOICE_GRAPH_SCRATCH) return 0;
    if (per == 0) return VOICE_GROUP_SUB;
    size_t sub = (VOICE_GRAPH_SCRATCH - base) / per;
    return sub > VOICE_GROUP_SUB ? VOICE_GROUP_SUB : (int)sub;
}

static void vl_link_player(VoicePool *vp, int gi)
{
    Group *g = &vp->groups[gi];
    int h = vp->player_groups[g->player];
    g->player_prev = -1;
    g->player_next = h;
    if (h >= 0) vp->groups[h].player_prev = gi;
    vp->player_groups[g->player] = gi;
}

static void vl_room_add(VoicePool *vp, int gi)
{
    Group *g = &vp->groups[gi];
    if (g->in_room) return;
    int h = vp->player_room[g->player];
    g->room_prev = -1;
    g->room_next = h;
    if (h >= 0) vp->groups[h].room_prev = gi;
    vp->player_room[g->player] = gi;
    g->in_room = true;
}

static void vl_room_remove(VoicePool *vp, int gi)
{
    Group *g = &vp->groups[gi];
    if (!g->in_room) return;
    if (g->room_prev >= 0) vp->groups[g->room_prev].room_next = g->room_next;
    else vp->player_room[g->player] = g->room_next;
    if (g->room_next >= 0) vp->groups[g->room_next].room_prev = g->room_prev;
    g->in_room = false;
}

static void vl_unlink_player(VoicePool *vp, int gi)
{
    Group *g = &vp->groups[gi];
    vl_room_remove(vp, gi);
    if (g->player_prev >= 0) vp->groups[g->player_prev].player_next = g->player_next;
    else vp->player_groups[g->player] = g->player_next;
    if (g->player_next >= 0) vp->groups[g->player_next].player_prev = g->player_prev;
}

void vlanes_set_player(VoicePool *vp, int gi, int player)
{
    bool room = vp->groups[gi].in_room;
    vl_unlink_player(vp, gi);
    vp->groups[gi].player = player;
    vl_link_player(vp, gi);
    if (room) vl_room_add(vp, gi);
}

static int vl_group_new(VoicePool *vp, const Instrument *inst, int player)
{
    const Graph *gr = inst->graph;
    if (vp->nfree_groups == 0) return -1;
    int sub = vl_sub_frames(gr);
    int ranges[VOICE_MAX_RANGES][2];
    int nranges = vl_lane_rows(gr, ranges);
    if (sub < 1 || nranges < 0) return -1;
    size_t nst = graph_state_floats(gr);
    long off = 0;
    int order = -1;
    if (nst > 0) {
        off = arena_alloc(vp, nst, &order);
        if (off < 0) return -1;
    }
    int gi = vp->free_groups[--vp->nfree_groups];
    Group *g = &vp->groups[gi];
    memset(g, 0, sizeof *g);
    g->inst = inst;
    g->player = player;
    g->sub = sub;
    g->nranges = nranges;
    memcpy(g->ranges, ranges, sizeof ranges);
    g->state = vp->arena + off;
    g->arena_off = off;
    g->arena_order = order;
    if (nst > 0) memcpy(g->state, inst->fresh_state, nst * sizeof(float));
    for (int b = 0; b < gr->nbufs; b++)
        if (gr->bufs[b].kind == GB_EXTERN && gr->bufs[b].ext == VEXT_GATE) g->uses_gate = true;
    for (int l = 0; l < W; l++) vl_lane_clear(g, l);
    vl_link_player(vp, gi);
    vl_room_add(vp, gi);
    g->list_pos = vp->ngact;
    vp->gact[vp->ngact++] = gi;
    return gi;
}

void vlanes_free_group(VoicePool *vp, int gi)
{
    Group *g = &vp->groups[gi];
    if (g->arena_order >= 0) arena_free(vp, g->arena_off, g->arena_order);
    vl_unlink_player(vp, gi);
    int pos = g->list_pos, last = vp->gact[--vp->ngact];
    vp->gact[pos] = last;
    vp->groups[last].list_pos = pos;
    g->inst = NULL;
    vp->free_groups[vp->nfree_groups++] = gi;
}

/* A group of this pair with a free lane (groups with room are few: most are full). */
static int vl_find(VoicePool *vp, const Instrument *inst, int player)
{
    for (int gi = vp->player_room[player]; gi >= 0; gi = vp->groups[gi].room_next)
        if (vp->groups[gi].inst == inst) return gi;
    return -1;
}

int vlanes_add(VoicePool *vp, Voice *v, int slot, const VoiceStart *vs)
{
    const Instrument *inst = vs->inst;
    const Graph *gr = inst->graph;
    if (!gr || gr->lanes != W || gr->nbufs > VOICE_MAX_BUFS || gr->out < 0 || gr->out >= gr->nbufs) return -1;
    if (graph_state_floats(gr) > 0 && !inst->fresh_state) return -1;
    int gi = vl_find(vp, inst, vs->player);
    if (gi < 0) gi = vl_group_new(vp, inst, vs->player);
    if (gi < 0) return -1;
    Group *g = &vp->groups[gi];
    int l = g->nlanes++;
    vp->nlanes++;
    g->slot[l] = slot;
    v->group = gi;
    v->lane = l;
    g->freq[l] = isfinite(vs->freq) ? vs->freq : 440;
    float pan = isfinite(vs->pan) ? (vs->pan < 0 ? 0 : vs->pan > 1 ? 1 : vs->pan) : 0.5f;
    float gain = isfinite(vs->gain) ? vs->gain : 0;
    g->cg_ok = false;
    g->gl[l] = (float)(gain * sin((1 - pan) * M_PI / 2));
    g->gr[l] = (float)(gain * sin(pan * M_PI / 2));
    venv_instrument(&v->tab, vp->cfg.sr, vs->offset, vs->attack, vs->hold, vs->release, vs->length);
    VEnvRun r;
    venv_start(&v->tab, &r);
    vl_store(g, l, &r);
    g->kill[l] = -1;
    g->wait[l] = vs->offset;
    g->fresh |= 1u << l;
    if (v->has_fx) g->has_fx |= 1u << l;
    else g->has_fx &= ~(1u << l);
    if (g->nlanes == W) vl_room_remove(vp, gi);
    return gi;
}

void vlanes_kill(VoicePool *vp, Voice *v, int frame)
{
    Group *g = &vp->groups[v->group];
    int l = v->lane;
    if (g->kill[l] < 0 || frame < g->kill[l]) g->kill[l] = frame;
}

/* ---- rendering ----------------------------------------------------------------------- */

static void vl_next(VoicePool *vp, Group *g, int l)
{
    Voice *v = &vp->v[g->slot[l]];
    VEnvRun r;
    vl_load(g, l, &r);
    venv_next(&v->tab, &r);
    vl_store(g, l, &r);
    if (r.cur >= v->tab.nseg) {
        v->done = 1;
        g->done |= 1u << l;
    }
}

static void vl_kill_now(VoicePool *vp, Group *g, int l)
{
    Voice *v = &vp->v[g->slot[l]];
    VEnvRun r;
    vl_load(g, l, &r);
    venv_kill(&v->tab, &r, vp->fade);
    vl_store(g, l, &r);
    g->kill[l] = -1;
}

CLONES
static void vl_env_span(float *restrict env, float *restrict ey, const float *restrict em, const float *restrict eb,
                        int span)
{
    for (int k = 0; k < span; k++) {
        for (int l = 0; l < W; l++) {
            float y = ey[l];
            env[k * W + l] = y > 0 ? y : 0;
            ey[l] = y * em[l] + eb[l];
        }
    }
}

CLONES
static void vl_gate_span(float *restrict gate, const float *restrict eg, int span)
{
    for (int k = 0; k < span; k++)
        for (int l = 0; l < W; l++) gate[k * W + l] = eg[l];
}

/* Every lane holds its level through frames [pos, pos + m): no kill due, no segment ending before the
 * last frame, y * m + b == y. Branch-free over all W lanes (a cleared lane holds 0 for ever), so it
 * vectorises; the loop below then only runs when something happens. */
CLONES
static bool vl_held(const int *restrict kill, const int *restrict eleft, const float *restrict ey,
                    const float *restrict em, const float *restrict eb, int pos, int m)
{
    int ok = 1;
    for (int l = 0; l < W; l++)
        ok &= (kill[l] < 0 || kill[l] - pos >= m) & (eleft[l] >= m) & (ey[l] * em[l] + eb[l] == ey[l]);
    return ok;
}

/* Envelopes (and gates, when the graph reads them) of every lane for frames [t0, t0 + m) of the piece,
 * in spans in which no lane changes segment. Returns true, and writes nothing, when every level stays
 * where it is for the whole sub-block (held notes: the common case). */
static bool vl_env(VoicePool *vp, Group *g, VoiceScratch *s, int t0, int m)
{
    float ey[W], em[W], eb[W];
    if (vl_held(g->kill, g->eleft, g->ey, g->em, g->eb, t0, m)) {
        for (int l = 0; l < W; l++) g->eleft[l] -= g->eleft[l] != VENV_FOREVER ? m : 0;
        return true;
    }
    int t = 0;
    while (t < m) {
        int span = m - t, pos = t0 + t;
        bool still = true;
        for (int l = 0; l < g->nlanes; l++) {
            if (g->kill[l] >= 0 && g->kill[l] <= pos) vl_kill_now(vp, g, l);
            if (g->eleft[l] == 0) vl_next(vp, g, l);
            if (g->eleft[l] < span) span = g->eleft[l];
            if (g->kill[l] >= 0 && g->kill[l] - pos < span) span = g->kill[l] - pos;
            still &= g->ey[l] * g->em[l] + g->eb[l] == g->ey[l];
        }
        if (t == 0 && span == m && still) {
            for (int l = 0; l < g->nlanes; l++) g->eleft[l] -= g->eleft[l] != VENV_FOREVER ? m : 0;
            return true;
        }
        memcpy(ey, g->ey, sizeof ey);
        memcpy(em, g->em, sizeof em);
        memcpy(eb, g->eb, sizeof eb);
        vl_env_span(s->env + t * W, ey, em, eb, span);
        if (g->uses_gate) vl_gate_span(s->gate + t * W, g->egate, span);
        memcpy(g->ey, ey, sizeof ey);
        g->cg_ok = false;
        for (int l = 0; l < g->nlanes; l++)
            if (g->eleft[l] != VENV_FOREVER) g->eleft[l] -= span;
        t += span;
    }
    return false;
}

/* A chord note's oscillators start at its phase (VoiceStart.phase): field 0 of each per-lane DSPK_PHASE
 * node holds the phase's bits. */
static void vl_start_phase(Group *g, int l, uint32_t phase)
{
    if (phase == 0) return;
    const Graph *gr = g->inst->graph;
    for (int i = 0; i < gr->nnodes; i++) {
        const GraphNode *nd = &gr->nodes[i];
        if ((nd->kind->flags & DSPK_PHASE) && nd->lanes == W)
            memcpy(&g->state[(size_t)nd->state * W + (size_t)l], &phase, sizeof phase);
    }
}

/* Give lanes whose onset is at frame u of the sub-block starting at t0 their fresh state; return the
 * next onset in the sub-block (or m). */
static int vl_onsets(VoicePool *vp, Group *g, int t0, int u, int m)
{
    int next = m;
    uint32_t f = g->fresh;
    while (f) {
        int l = __builtin_ctz(f);
        f &= f - 1;
        int o = g->wait[l] - t0;
        if (o <= u) {
            vl_fresh_lane(vp, g, l);
            vl_start_phase(g, l, vp->v[g->slot[l]].phase);
            g->fresh &= ~(1u << l);
        } else if (o < next) {
            next = o;
        }
    }
    return next;
}

/* Point the graph's extern buffers at frame `at` of the piece (gate: frame u of the sub-block, or the
 * lanes' constant gates). */
static void vl_externs(VoicePool *vp, Group *g, DspBuf *bufs, VoiceScratch *s, int at, int u, bool still)
{
    const Instrument *inst = g->inst;
    const Graph *gr = inst->graph;
    for (int b = 0; b < gr->nbufs; b++) {
        if (gr->bufs[b].kind != GB_EXTERN) continue;
        int ext = gr->bufs[b].ext;
        DspBuf *d = &bufs[b];
        if (ext == VEXT_FREQ) {
            *d = (DspBuf){g->freq, W, DSP_CONST};
        } else if (ext == VEXT_GATE) {
            *d = still ? (DspBuf){g->egate, W, DSP_CONST} : (DspBuf){s->gate + u * W, W, 0};
        } else {
            int k = ext - VEXT_FIRST_GLOBAL;
            const DspBuf *src = (vp->globals && k >= 0 && k < inst->nglobals && inst->global_buf[k] >= 0)
                                    ? &vp->globals[inst->global_buf[k]] : NULL;
            if (!src || !src->x) {
                *d = (DspBuf){(float *)vl_zero, 1, DSP_CONST};
                continue;
            }
            int lanes = src->lanes > 0 ? src->lanes : 1;
            long frame = (long)vp->piece_off + at;
            *d = *src;
            if (!(src->flags & DSP_CONST)) d->x = src->x + frame * lanes;
        }
    }
}

/* ---- summing 32 lanes per frame ------------------------------------------------------------
 * GCC vector types: elementwise operations and exact shuffles, so the order of the additions is the
 * one written here, the same in every clone and on every machine. */
#if VOICE_LANES != 32
#error "vl_mix assumes 32 lanes"
#endif
typedef clones_f16 vl_f16;

#define VL_LOAD(v, p) memcpy(&(v), (p), sizeof(vl_f16))

/* The lanes of 16 frames summed at once, each frame by the same tree of additions as clones_hsum (lane i
 * with i + 8, then + 4, + 2, + 1; a + b is b + a exactly), so the bits are those of a frame at a time,
 * with a quarter of the shuffles: every shuffle combines two frames. p[k] holds frame k's first level
 * (its 8 left partial sums, then its 8 right). */
static inline __attribute__((always_inline)) void vl_hsum16(const vl_f16 *p, float *restrict L, float *restrict R)
{
    vl_f16 q[8], t[4], f[2];
    for (int j = 0; j < 8; j++)     /* frames 2j, 2j+1: [L 0-3, R 0-3] of each */
        q[j] = CLONES_SHUF2(p[2 * j], p[2 * j + 1], 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27) +
               CLONES_SHUF2(p[2 * j], p[2 * j + 1], 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
    for (int j = 0; j < 4; j++)     /* frames 4j..4j+3: [L 0-1, R 0-1] of each */
        t[j] = CLONES_SHUF2(q[2 * j], q[2 * j + 1], 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29) +
               CLONES_SHUF2(q[2 * j], q[2 * j + 1], 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
    for (int j = 0; j < 2; j++)     /* frames 8j..8j+7: L, R of each */
        f[j] = CLONES_SHUF2(t[2 * j], t[2 * j + 1], 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30) +
               CLONES_SHUF2(t[2 * j], t[2 * j + 1], 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    vl_f16 l = CLONES_SHUF2(f[0], f[1], 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    vl_f16 r = CLONES_SHUF2(f[0], f[1], 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    vl_f16 ol, or;
    VL_LOAD(ol, L), VL_LOAD(or, R);
    ol += l, or += r;
    memcpy(L, &ol, sizeof ol), memcpy(R, &or, sizeof or);
}

/* A frame's first level, as clones_hsum's: lane i + lane i + 8 of l, then of r. (Pointers, not vector
 * arguments or results: the same ABI whatever the clone.) */
static inline __attribute__((always_inline)) void vl_level1(const vl_f16 *lp, const vl_f16 *rp, vl_f16 *p)
{
    vl_f16 l = *lp, r = *rp;
    *p = CLONES_SHUF2(l, r, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
         CLONES_SHUF2(l, r, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

/* Sum the lanes of each frame, times envelope and gains, into L and R. */
CLONES
static void vl_mix(const float *restrict o, const float *restrict env, const float *restrict gl,
                   const float *restrict gr, float *restrict L, float *restrict R, int len)
{
    vl_f16 gl0, gl1, gr0, gr1;
    VL_LOAD(gl0, gl), VL_LOAD(gl1, gl + 16), VL_LOAD(gr0, gr), VL_LOAD(gr1, gr + 16);
    int k = 0;
    for (; k + 16 <= len; k += 16) {
        vl_f16 p[16];
        for (int j = 0; j < 16; j++) {
            vl_f16 y0, y1, e0, e1;
            VL_LOAD(y0, o + (k + j) * W), VL_LOAD(y1, o + (k + j) * W + 16);
            VL_LOAD(e0, env + (k + j) * W), VL_LOAD(e1, env + (k + j) * W + 16);
            y0 *= e0;
            y1 *= e1;
            vl_f16 l = y0 * gl0 + y1 * gl1, r = y0 * gr0 + y1 * gr1;
            vl_level1(&l, &r, &p[j]);
        }
        vl_hsum16(p, L + k, R + k);
    }
    for (; k < len; k++) {
        vl_f16 y0, y1, e0, e1;
        VL_LOAD(y0, o + k * W), VL_LOAD(y1, o + k * W + 16);
        VL_LOAD(e0, env + k * W), VL_LOAD(e1, env + k * W + 16);
        y0 *= e0;
        y1 *= e1;
        vl_f16 l = y0 * gl0 + y1 * gl1, r = y0 * gr0 + y1 * gr1;
        clones_hsum(&l, &r, L + k, R + k);
    }
}

/* The same with the envelope folded into the gains (it is constant over the sub-block). */
CLONES
static void vl_mix_still(const float *restrict o, const float *restrict gl, const float *restrict gr,
                         float *restrict L, float *restrict R, int len)
{
    vl_f16 gl0, gl1, gr0, gr1;
    VL_LOAD(gl0, gl), VL_LOAD(gl1, gl + 16), VL_LOAD(gr0, gr), VL_LOAD(gr1, gr + 16);
    int k = 0;
    for (; k + 16 <= len; k += 16) {
        vl_f16 p[16];
        for (int j = 0; j < 16; j++) {
            vl_f16 y0, y1;
            VL_LOAD(y0, o + (k + j) * W), VL_LOAD(y1, o + (k + j) * W + 16);
            vl_f16 l = y0 * gl0 + y1 * gl1, r = y0 * gr0 + y1 * gr1;
            vl_level1(&l, &r, &p[j]);
        }
        vl_hsum16(p, L + k, R + k);
    }
    for (; k < len; k++) {
        vl_f16 y0, y1;
        VL_LOAD(y0, o + k * W), VL_LOAD(y1, o + k * W + 16);
        vl_f16 l = y0 * gl0 + y1 * gl1, r = y0 * gr0 + y1 * gr1;
        clones_hsum(&l, &r, L + k, R + k);
    }
}

/* Lane l's output (its effects run, in s->lane_sig) through the envelope, gain and pan, then leslie,
 * mixed into L and R on its own: leslie works on the voice's stereo signal (voice_fx.c). */
static void vl_leslie(Group *g, VoiceFx *fx, VoiceScratch *s, int u, int l, int len, bool still, float *L, float *R)
{
    float *a = s->sig[0], *b = s->sig[1];
    for (int k = 0; k < len; k++) {
        float y = s->lane_sig[k];
        a[k] = still ? y * g->cgl[l] : y * s->env[(u + k) * W + l] * g->gl[l];
        b[k] = still ? y * g->cgr[l] : y * s->env[(u + k) * W + l] * g->gr[l];
    }
    vfx_leslie(fx, a, b, len);
    for (int k = 0; k < len; k++) L[k] += a[k], R[k] += b[k];
}

/* The graph's output for frames [u, u+len) of the sub-block: per-lane effects, envelope, gain, pan. */
static void vl_output(VoicePool *vp, Group *g, DspBuf *bufs, VoiceScratch *s, int u, int len, bool still,
                      float *L, float *R)
{
    const Graph *gr = g->inst->graph;
    const DspBuf *ob = &bufs[gr->out];
    float *o = ob->x;
    bool writable = gr->bufs[gr->out].kind == GB_NODE && ob->lanes == W && !(ob->flags & DSP_CONST);
    if (!writable) {
        o = s->outx;
        for (int k = 0; k < len; k++)
            for (int l = 0; l < W; l++) o[k * W + l] = dsp_at(ob, k, l);
    }
    uint32_t fxm = g->has_fx & (g->nlanes >= 32 ? 0xffffffffu : ((1u << g->nlanes) - 1));
    while (fxm) {
        int l = __builtin_ctz(fxm);
        fxm &= fxm - 1;
        VoiceFx *fx = &vp->fx[g->slot[l]];
        for (int k = 0; k < len; k++) s->lane_sig[k] = o[k * W + l];
        vfx_run(fx, s->lane_sig, 0, len);
        vfx_tick_coarse(fx, len);
        if (fx->flags & VFX_LESLIE) {
            vl_leslie(g, fx, s, u, l, len, still, L, R);
            for (int k = 0; k < len; k++) o[k * W + l] = 0;     /* mixed already: out of the lanes' sum */
            continue;
        }
        for (int k = 0; k < len; k++) o[k * W + l] = s->lane_sig[k];
    }
    if (still) vl_mix_still(o, g->cgl, g->cgr, L, R, len);
    else vl_mix(o, s->env + u * W, g->gl, g->gr, L, R, len);
}

/* The end of a block for every lane: onsets and kills come n frames closer (a cleared lane waits for
 * nothing); returns the lanes whose segment has just run out. */
CLONES
static uint32_t vl_tick(const int *restrict eleft, int *restrict wait, int *restrict kill, int n)
{
    uint32_t ends = 0;
    for (int l = 0; l < W; l++) {
        wait[l] = wait[l] > n ? wait[l] - n : (wait[l] > 0 ? 0 : wait[l]);
        kill[l] = kill[l] >= 0 ? kill[l] - n : kill[l];
        ends |= (uint32_t)(eleft[l] == 0) << l;
    }
    return ends;
}

void vlanes_render(VoicePool *vp, Group *g, VoiceScratch *s, float *L, float *R, int n)
{
    const Graph *gr = g->inst->graph;
    float sr = (float)vp->cfg.sr;
    DspBuf *bufs = s->bufs;
    graph_bind(gr, bufs, s->graph, g->sub);
    for (int t0 = 0; t0 < n; t0 += g->sub) {
        int m = n - t0 < g->sub ? n - t0 : g->sub;
        bool still = vl_env(vp, g, s, t0, m);
        if (still && !g->cg_ok) {
            for (int l = 0; l < W; l++) {
                float e = g->ey[l] > 0 ? g->ey[l] : 0;
                g->cgl[l] = e * g->gl[l];
                g->cgr[l] = e * g->gr[l];
            }
            g->cg_ok = true;
        }
        int u = 0;
        while (u < m) {
            int next = vl_onsets(vp, g, t0, u, m);
            vl_externs(vp, g, bufs, s, t0 + u, u, still);
            graph_run(gr, g->state, bufs, next - u, sr);
            vl_output(vp, g, bufs, s, u, next - u, still, L + t0 + u, R + t0 + u);
            u = next;
        }
    }
    for (uint32_t ends = vl_tick(g->eleft, g->wait, g->kill, n); ends; ends &= ends - 1)
        vl_next(vp, g, __builtin_ctz(ends));
}

void vlanes_reap(VoicePool *vp, Group *g)
{
    for (int l = g->nlanes - 1; l >= 0 && g->done; l--) {
        if (!(g->done & (1u << l))) continue;
        g->done &= ~(1u << l);
        voice_reclaim(vp, g->slot[l]);
        vp->nlanes--;
        int last = --g->nlanes;
        if (l != last) vl_move_lane(vp, g, last, l);
        vl_lane_clear(g, last);
        vl_fresh_lane(vp, g, last);
    }
    g->done = 0;
    if (g->nlanes > 0) vl_room_add(vp, (int)(g - vp->groups));
}
