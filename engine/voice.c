/* voice.c — the voice pool: slots, starting (cut groups, stealing), releasing, and the per-block render
 * that hands fixed chunks (runs of sample voices, lane groups) to the worker pool and sums their partial
 * buffers in chunk order, so the output is the same for any thread count. */
#include "clones.h"
#include "voice_impl.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

/* Estimated cost of one voice-sample, ns, for the pool's decision to wake workers. */
#define VOICE_COST_SAMPLE 1.0
#define VOICE_COST_LANE 1.0

void *voice_alloc(size_t bytes)
{
    size_t size = (bytes + 63) & ~(size_t)63;
    if (size == 0) size = 64;
    void *p = aligned_alloc(64, size);
    if (p) memset(p, 0, size);          /* touch every page now, not on the audio thread */
    return p;
}

/* ---- the live lists: start order (for stealing) and cut groups ----------------------------- */

static void voice_link_live(VoicePool *vp, int slot)
{
    Voice *v = &vp->v[slot];
    v->age_prev = vp->age_tail;
    v->age_next = -1;
    if (vp->age_tail >= 0) vp->v[vp->age_tail].age_next = slot;
    else vp->age_head = slot;
    vp->age_tail = slot;
    v->cut_prev = v->cut_next = -1;
    if (v->cut != 0) {
        v->cut_next = vp->cut_head;
        if (vp->cut_head >= 0) vp->v[vp->cut_head].cut_prev = slot;
        vp->cut_head = slot;
    }
    vp->live++;
}

void voice_unlink_live(VoicePool *vp, int slot)
{
    Voice *v = &vp->v[slot];
    if (v->fading) return;
    if (v->age_prev >= 0) vp->v[v->age_prev].age_next = v->age_next;
    else vp->age_head = v->age_next;
    if (v->age_next >= 0) vp->v[v->age_next].age_prev = v->age_prev;
    else vp->age_tail = v->age_prev;
    if (v->cut != 0) {
        if (v->cut_prev >= 0) vp->v[v->cut_prev].cut_next = v->cut_next;
        else vp->cut_head = v->cut_next;
        if (v->cut_next >= 0) vp->v[v->cut_next].cut_prev = v->cut_prev;
    }
    v->fading = 1;
    vp->live--;
}

void voice_reclaim(VoicePool *vp, int slot)
{
    Voice *v = &vp->v[slot];
    voice_unlink_live(vp, slot);
    if (v->has_fx) vfx_release(&vp->fxmem, &vp->fx[slot]);
    v->kind = VK_FREE;
    v->done = 0;
    vp->free_slots[vp->nfree++] = slot;
}

/* Fade a voice out from `frame` of the current block on (0 between blocks: at once). */
static void voice_kill(VoicePool *vp, int slot, int frame)
{
    Voice *v = &vp->v[slot];
    if (v->kind == VK_FREE || v->fading) return;
    voice_unlink_live(vp, slot);
    if (v->kind == VK_SAMPLE) {
        vsample_unplain(v);
        if (v->kill < 0 || frame < v->kill) v->kill = frame;
    } else {
        vlanes_kill(vp, v, frame);
    }
}

/* ---- creation ----------------------------------------------------------------------------- */

VoicePool *voice_pool_new(const VoiceConfig *cfg)
{
    VoicePool *vp = calloc(1, sizeof *vp);
    if (!vp) return NULL;
    vp->cfg = *cfg;
    vp->wide = clones_wide();
    if (vp->cfg.capacity <= 0) vp->cfg.capacity = 4096;
    if (vp->cfg.max_block <= 0) vp->cfg.max_block = 4096;
    if (!(vp->cfg.sr > 0)) vp->cfg.sr = 44100;
    if (vp->cfg.max_players <= 0) vp->cfg.max_players = 16;
    int cap = vp->cfg.capacity, players = vp->cfg.max_players;
    int reserve = cap / 4 > 64 ? cap / 4 : 64;  /* slots for the tails of stolen voices */
    vp->nslots = cap + reserve;
    vp->fade = venv_fade_frames(vp->cfg.sr, VOICE_FADE_SECONDS);
    vp->age_head = vp->age_tail = vp->cut_head = -1;

    int ns = vp->nslots;
    vp->v = voice_alloc((size_t)ns * sizeof(Voice));
    vp->fx = voice_alloc((size_t)ns * sizeof(VoiceFx));
    vp->free_slots = voice_alloc((size_t)ns * sizeof(int));
    vp->maxsgroups = ns / VOICE_CHUNK * 2 + players + 64;
    vp->sgroups = voice_alloc((size_t)vp->maxsgroups * sizeof(SGroup));
    vp->free_sgroups = voice_alloc((size_t)vp->maxsgroups * sizeof(int));
    vp->sgact = voice_alloc((size_t)vp->maxsgroups * sizeof(int));
    vp->player_sgroups = voice_alloc((size_t)players * sizeof(int));
    vp->player_sroom = voice_alloc((size_t)players * sizeof(int));
    vp->maxgroups = ns / W * 2 + players + 64;
    vp->groups = voice_alloc((size_t)vp->maxgroups * sizeof(Group));
    vp->free_groups = voice_alloc((size_t)vp->maxgroups * sizeof(int));
    vp->gact = voice_alloc((size_t)vp->maxgroups * sizeof(int));
    vp->player_groups = voice_alloc((size_t)players * sizeof(int));
    vp->player_room = voice_alloc((size_t)players * sizeof(int));
    vp->maxchunks = vp->maxsgroups + vp->maxgroups;
    vp->chunks = voice_alloc((size_t)vp->maxchunks * sizeof(VoiceChunk));
    vp->partial = voice_alloc((size_t)vp->maxchunks * 2 * VOICE_PIECE * sizeof(float));
    vp->scratch = voice_alloc((size_t)VOICE_MAX_THREADS * sizeof(VoiceScratch));
    long arena = (long)cap * VOICE_STATE_PER_VOICE;
    if (arena < (1L << 20)) arena = 1L << 20;
    bool ok = vp->v && vp->fx && vp->free_slots && vp->sgroups && vp->free_sgroups && vp->sgact &&
              vp->player_sgroups && vp->player_sroom && vp->groups && vp->free_groups && vp->gact &&
              vp->player_groups && vp->player_room && vp->chunks && vp->partial && vp->scratch &&
              vlanes_arena_init(vp, arena) && vfx_mem_init(&vp->fxmem, vp->cfg.sr, vp->cfg.max_block);
    if (!ok) {
        voice_pool_free(vp);
        return NULL;
    }
    for (int i = 0; i < ns; i++) vp->free_slots[i] = ns - 1 - i;  /* slot 0 is taken first */
    vp->nfree = ns;
    for (int i = 0; i < vp->maxgroups; i++) vp->free_groups[i] = vp->maxgroups - 1 - i;
    vp->nfree_groups = vp->maxgroups;
    for (int i = 0; i < vp->maxsgroups; i++) vp->free_sgroups[i] = vp->maxsgroups - 1 - i;
    vp->nfree_sgroups = vp->maxsgroups;
    for (int p = 0; p < players; p++)
        vp->player_groups[p] = vp->player_room[p] = vp->player_sgroups[p] = vp->player_sroom[p] = -1;
    vp->block_n = vp->cfg.max_block;
    return vp;
}

void voice_pool_free(VoicePool *vp)
{
    if (!vp) return;
    vfx_mem_free(&vp->fxmem);
    free(vp->v);
    free(vp->fx);
    free(vp->free_slots);
    free(vp->sgroups);
    free(vp->free_sgroups);
    free(vp->sgact);
    free(vp->player_sgroups);
    free(vp->player_sroom);
    free(vp->groups);
    free(vp->free_groups);
    free(vp->gact);
    free(vp->player_groups);
    free(vp->player_room);
    free(vp->chunks);
    free(vp->partial);
    free(vp->scratch);
    free(vp->arena);
    free(vp->arena_free_head);
    free(vp->arena_next);
    free(vp->arena_prev);
    free(vp->arena_tag);
    free(vp);
}

/* ---- runs of sample voices -------------------------------------------------------------- */

static void sgroup_link(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    int h = vp->player_sgroups[g->player];
    g->player_prev = -1;
    g->player_next = h;
    if (h >= 0) vp->sgroups[h].player_prev = gi;
    vp->player_sgroups[g->player] = gi;
}

static void sgroup_room_add(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    if (g->in_room) return;
    int h = vp->player_sroom[g->player];
    g->room_prev = -1;
    g->room_next = h;
    if (h >= 0) vp->sgroups[h].room_prev = gi;
    vp->player_sroom[g->player] = gi;
    g->in_room = true;
}

static void sgroup_room_remove(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    if (!g->in_room) return;
    if (g->room_prev >= 0) vp->sgroups[g->room_prev].room_next = g->room_next;
    else vp->player_sroom[g->player] = g->room_next;
    if (g->room_next >= 0) vp->sgroups[g->room_next].room_prev = g->room_prev;
    g->in_room = false;
}

static void sgroup_unlink(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    sgroup_room_remove(vp, gi);
    if (g->player_prev >= 0) vp->sgroups[g->player_prev].player_next = g->player_next;
    else vp->player_sgroups[g->player] = g->player_next;
    if (g->player_next >= 0) vp->sgroups[g->player_next].player_prev = g->player_prev;
}

/* Put a sample voice into a run of its player with room, or a new run. false when none is left. */
static bool sgroup_add(VoicePool *vp, int slot, int player)
{
    int gi = vp->player_sroom[player];
    if (gi < 0) {
        if (vp->nfree_sgroups == 0) return false;
        gi = vp->free_sgroups[--vp->nfree_sgroups];
        SGroup *g = &vp->sgroups[gi];
        g->player = player;
        g->n = 0;
        g->ndone = 0;
        g->in_room = false;
        sgroup_link(vp, gi);
        sgroup_room_add(vp, gi);
        g->list_pos = vp->nsgact;
        vp->sgact[vp->nsgact++] = gi;
    }
    SGroup *g = &vp->sgroups[gi];
    vp->v[slot].group = gi;
    vp->v[slot].lane = g->n;
    g->slot[g->n++] = slot;
    if (g->n == VOICE_CHUNK) sgroup_room_remove(vp, gi);
    vp->nsample++;
    return true;
}

static void sgroup_free(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    sgroup_unlink(vp, gi);
    int pos = g->list_pos, last = vp->sgact[--vp->nsgact];
    vp->sgact[pos] = last;
    vp->sgroups[last].list_pos = pos;
    vp->free_sgroups[vp->nfree_sgroups++] = gi;
}

/* Reclaim the voices of a run that ended in this render; the last voice fills each hole. */
static void sgroup_reap(VoicePool *vp, int gi)
{
    SGroup *g = &vp->sgroups[gi];
    for (int i = g->n - 1; i >= 0 && g->ndone > 0; i--) {
        int slot = g->slot[i];
        if (!vp->v[slot].done) continue;
        voice_reclaim(vp, slot);
        vp->nsample--;
        g->ndone--;
        int last = g->slot[--g->n];
        if (i != g->n) {
            g->slot[i] = last;
            vp->v[last].lane = i;
        }
    }
    g->ndone = 0;
    if (g->n == 0) sgroup_free(vp, gi);
    else sgroup_room_add(vp, gi);
}

/* ---- starting --------------------------------------------------------------------------- */

void voice_begin_block(VoicePool *vp, int n)
{
    vp->block_n = n > 0 ? n : 1;
}

/* Every older voice of the player in the same cut group fades from the new onset (cut < 0: only
 * voices of the same sound). */
static void voice_cut(VoicePool *vp, const VoiceStart *vs, int frame)
{
    int g = abs(vs->cut);
    for (int s = vp->cut_head; s >= 0;) {
        Voice *u = &vp->v[s];
        int next = u->cut_next;
        if (u->player == vs->player && abs(u->cut) == g && (vs->cut > 0 || u->sound == vs->sound))
            voice_kill(vp, s, frame);
        s = next;
    }
}

bool voice_start(VoicePool *vp, const VoiceStart *vs)
{
    if (!vs || vs->player < 0 || vs->player >= vp->cfg.max_players) return false;
    if (!vs->sample == !vs->inst) return false;
    /* an event with leslie sets its orbit's rotors' rate, from its onset on, whether or not it plays */
    if (vs->leslie > 0) vfx_les_event(&vp->fxmem, vs->orbit, vs->offset < vp->block_n ? vs->offset : vp->block_n - 1,
                                      vs->lrate, vs->t0);
    if (vp->nfree == 0) {
        vp->st.dropped++;
        return false;
    }
    VoiceStart s = *vs;
    if (s.offset < 0) s.offset = 0;
    if (s.offset >= vp->block_n) s.offset = vp->block_n - 1;

    int slot = vp->free_slots[vp->nfree - 1];  /* taken only if the voice can play */
    Voice *v = &vp->v[slot];
    memset(v, 0, offsetof(Voice, tab));
    v->player = s.player;
    v->cut = s.cut;
    v->sound = s.sound;
    v->wait = s.offset;
    v->kill = -1;
    v->group = v->lane = -1;
    v->phase = s.phase;
    v->has_fx = vfx_init(&vp->fx[slot], &s, vp->cfg.sr);
    /* leslie reads its orbit's rotors by frame: a lane group runs its lanes' effects from the first frame of
       the block a voice joins it in, a sample voice from its onset */
    if (v->has_fx) vfx_les_start(&vp->fxmem, &vp->fx[slot], s.inst ? 0 : s.offset);
    v->tab.tail = vfx_tail(&vp->fx[slot], vp->cfg.sr);     /* leslie rings on after the envelope */
    if (s.sample && !vsample_setup(vp, v, &s)) return false;

    if (s.cut != 0) voice_cut(vp, &s, s.offset);
    if (vp->live >= vp->cfg.capacity && vp->age_head >= 0) {
        voice_kill(vp, vp->age_head, s.offset);
        vp->st.stolen++;
    }
    if (s.inst) {
        v->inst = s.inst;
        if (vlanes_add(vp, v, slot, &s) < 0) {
            vp->st.dropped++;
            return false;
        }
        v->kind = VK_INST;
    } else {
        if (!sgroup_add(vp, slot, s.player)) {
            vp->st.dropped++;
            return false;
        }
        v->kind = VK_SAMPLE;
    }
    vp->nfree--;
    if (v->has_fx && !vfx_attach(&vp->fxmem, &vp->fx[slot])) vp->st.fx_dropped++;
    voice_link_live(vp, slot);
    vp->st.started++;
    int active = vp->nslots - vp->nfree;
    if (active > vp->st.peak) vp->st.peak = active;
    return true;
}

/* ---- rendering --------------------------------------------------------------------------- */

/* Chunks, player by player: the player's runs of sample voices, then its lane groups. Both are kept
 * from block to block, so the layout depends only on the history of the voices. */
static void voice_build_chunks(VoicePool *vp)
{
    int nc = 0;
    for (int p = 0; p < vp->cfg.max_players; p++) {
        for (int gi = vp->player_sgroups[p]; gi >= 0; gi = vp->sgroups[gi].player_next)
            vp->chunks[nc++] = (VoiceChunk){p, -1, gi};
        for (int gi = vp->player_groups[p]; gi >= 0; gi = vp->groups[gi].player_next)
            vp->chunks[nc++] = (VoiceChunk){p, gi, -1};
    }
    vp->nchunks = nc;
}

/* The start of the next chunk, while this one renders: a run's first voices (further voices of a run
 * are fetched as the run goes). Harmless if another thread takes it. A lane group is not fetched: its
 * state is read in order, which the hardware's prefetcher follows, and fetching it all ahead measured
 * slower (10,000 synth voices and the mix, `phonon bench`). */
static void voice_prefetch_chunk(const VoicePool *vp, int c)
{
    if (c >= vp->nchunks) return;
    const VoiceChunk *ch = &vp->chunks[c];
    if (ch->sgroup >= 0) vsample_prefetch_run(vp, &vp->sgroups[ch->sgroup]);
}

/* Chunk c's partial buffers for the piece: L, then R, each the piece's frames rounded up to a cache line,
 * packed chunk after chunk (one chunk's stay apart from another's, which another thread may write, and
 * a piece of 64 frames touches a quarter of the memory that VOICE_PIECE-frame slots would spread it over). */
static float *voice_partial(const VoicePool *vp, int c, float **R)
{
    size_t row = ((size_t)vp->piece_n + 15) & ~(size_t)15;
    float *L = vp->partial + (size_t)c * 2 * row;
    *R = L + row;
    return L;
}

static void voice_chunk(void *ctx, int c, int thread)
{
    VoicePool *vp = ctx;
    const VoiceChunk *ch = &vp->chunks[c];
    VoiceScratch *s = &vp->scratch[thread];
    int n = vp->piece_n;
    float *R, *L = voice_partial(vp, c, &R);
    memset(L, 0, (size_t)n * sizeof(float));
    memset(R, 0, (size_t)n * sizeof(float));
    voice_prefetch_chunk(vp, c + 1);
    if (ch->group >= 0) {
        vlanes_render(vp, &vp->groups[ch->group], s, L, R, n);
        return;
    }
    SGroup *g = &vp->sgroups[ch->sgroup];
    g->ndone += vsample_run(vp, g, s, L, R, n);
}

/* Each player's partial buffers in chunk order (chunks come player by player), summed along time in
 * two rows and interleaved into the player's output once: the same additions in the same order as
 * adding every chunk into the interleaved output, a fraction of the shuffles. */
static void voice_sum_flush(float *restrict out, const float *restrict sl, const float *restrict sr, int n)
{
    for (int t = 0; t < n; t++) {
        out[2 * t] += sl[t];
        out[2 * t + 1] += sr[t];
    }
}

static void voice_sum(VoicePool *vp, float *const *player_out, int nplayers, int off, int n)
{
    float sl[VOICE_PIECE], sr[VOICE_PIECE];
    int cur = -1;
    for (int c = 0; c <= vp->nchunks; c++) {
        int p = c < vp->nchunks ? vp->chunks[c].player : -1;
        if (p >= nplayers || (p >= 0 && !player_out[p])) continue;
        if (p != cur) {
            if (cur >= 0) voice_sum_flush(player_out[cur] + 2 * (size_t)off, sl, sr, n);
            if (p < 0) break;
            cur = p;
            memset(sl, 0, sizeof(float) * (size_t)n), memset(sr, 0, sizeof(float) * (size_t)n);
        }
        float *pr, *pl = voice_partial(vp, c, &pr);
        const float *restrict L = pl, *restrict R = pr;
        for (int t = 0; t < n; t++) {
            sl[t] += L[t];
            sr[t] += R[t];
        }
    }
}

/* Reclaim what ended, chunk by chunk; only chunks in which something ended are looked into. */
static void voice_reap(VoicePool *vp)
{
    for (int c = 0; c < vp->nchunks; c++) {
        const VoiceChunk *ch = &vp->chunks[c];
        if (ch->sgroup >= 0) {
            if (vp->sgroups[ch->sgroup].ndone > 0) sgroup_reap(vp, ch->sgroup);
        } else if (vp->groups[ch->group].done) {
            vlanes_reap(vp, &vp->groups[ch->group]);
            if (vp->groups[ch->group].nlanes == 0) vlanes_free_group(vp, ch->group);
        }
    }
}

void voice_render(VoicePool *vp, Pool *pool, const DspBuf *globals, float *const *player_out, int nplayers, int n)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x8040);           /* FTZ and DAZ, as in the workers: same bits on every thread */
#endif
    vp->globals = globals;
    for (int p = 0; p < nplayers; p++)
        if (player_out[p]) memset(player_out[p], 0, (size_t)n * 2 * sizeof(float));
    voice_build_chunks(vp);
    double per_frame = vp->nsample * VOICE_COST_SAMPLE + vp->ngact * W * VOICE_COST_LANE;
    for (int off = 0; off < n; off += VOICE_PIECE) {
        int m = n - off < VOICE_PIECE ? n - off : VOICE_PIECE;
        vp->piece_off = off;
        vp->piece_n = m;
        vfx_les_piece(&vp->fxmem, off, m);     /* the orbits' rotors over the piece, before its voices */
        if (pool) pool_run(pool, vp->nchunks, per_frame * m, voice_chunk, vp);
        else
            for (int c = 0; c < vp->nchunks; c++) voice_chunk(vp, c, 0);
        voice_sum(vp, player_out, nplayers, off, m);
    }
    vfx_les_end(&vp->fxmem, n);
    voice_reap(vp);
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(csr);
#endif
}

/* ---- releasing, remapping, statistics ------------------------------------------------------ */

void voice_release_all(VoicePool *vp)
{
    for (int s = vp->age_head; s >= 0;) {
        int next = vp->v[s].age_next;
        voice_kill(vp, s, 0);
        s = next;
    }
}

void voice_release_player(VoicePool *vp, int player)
{
    for (int s = vp->age_head; s >= 0;) {
        int next = vp->v[s].age_next;
        if (vp->v[s].player == player) voice_kill(vp, s, 0);
        s = next;
    }
}

void voice_remap_players(VoicePool *vp, const int *map, int nold, int orphan)
{
    int P = vp->cfg.max_players;
    if (orphan < 0 || orphan >= P) orphan = 0;
    for (int i = 0; i < vp->nsgact; i++) {
        int gi = vp->sgact[i];
        SGroup *g = &vp->sgroups[gi];
        if (g->player >= nold) continue;
        int np = map[g->player];
        bool orphaned = np < 0 || np >= P;
        bool room = g->in_room;
        sgroup_unlink(vp, gi);
        g->player = orphaned ? orphan : np;
        sgroup_link(vp, gi);
        if (room) sgroup_room_add(vp, gi);
        for (int k = 0; k < g->n; k++) {
            vp->v[g->slot[k]].player = g->player;
            if (orphaned) voice_kill(vp, g->slot[k], 0);
        }
    }
    for (int i = 0; i < vp->ngact; i++) {
        int gi = vp->gact[i];
        Group *g = &vp->groups[gi];
        if (g->player >= nold) continue;
        int np = map[g->player];
        bool orphaned = np < 0 || np >= P;
        vlanes_set_player(vp, gi, orphaned ? orphan : np);
        for (int l = 0; l < g->nlanes; l++) {
            vp->v[g->slot[l]].player = g->player;
            if (orphaned) voice_kill(vp, g->slot[l], 0);
        }
    }
}

int voice_count_owner(const VoicePool *vp, const void *owner)
{
    int n = 0;
    for (int i = 0; i < vp->ngact; i++) {
        const Group *g = &vp->groups[vp->gact[i]];
        if (g->inst && g->inst->owner == owner) n += g->nlanes;
    }
    return n;
}

void voice_stats(const VoicePool *vp, VoiceStats *st)
{
    *st = vp->st;
    st->active = vp->nslots - vp->nfree;
}

bool voice_set_wide(VoicePool *vp, bool on)
{
    vp->wide = on && clones_wide();
    return vp->wide;
}
