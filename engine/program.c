/* program.c — a Program's run memory (graph state, buffers, externs) and its hand-over from the program
 * it replaces: which node states carry over, which constants glide. Memory is allocated and freed on the
 * control side only; program_take_over, program_glides and program_smooth run on the audio path and
 * never allocate. */
#include "program.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM_CACHE_EVENTS 2048     /* onsets a player may have in one cycle and still be cached */

bool program_prepare(Program *p, double sr, int max_block)
{
    const Graph *g = &p->graph;
    p->sr = sr;
    p->max_block = max_block;
    p->state = calloc(graph_state_floats(g) + 1, sizeof(float));
    p->bufmem = calloc(graph_buffer_floats(g, max_block) + 1, sizeof(float));
    p->bufs = calloc((size_t)g->nbufs + 1, sizeof(DspBuf));
    size_t ext_floats = 0;
    for (int i = 0; i < p->nexterns; i++)
        if (p->externs[i].kind != EXT_INPUT) ext_floats += (size_t)p->externs[i].lanes * (size_t)max_block;
    p->extmem = calloc(ext_floats + 1, sizeof(float));
    p->extptr = calloc((size_t)p->nexterns + 1, sizeof(float *));
    p->ctrl_hold = calloc((size_t)p->nctrls + 1, sizeof(float));
    p->stmt_flags = calloc((size_t)p->nstmts + 1, 1);
    p->reported = calloc(64, sizeof(uint32_t));
    if (!p->state || !p->bufmem || !p->bufs || !p->extmem || !p->extptr || !p->ctrl_hold || !p->stmt_flags ||
        !p->reported)
        return false;
    if (p->nprobes == 0 && p->nplayers > 0) {
        p->pcache = calloc((size_t)p->nplayers, sizeof(PlayerCache));
        if (!p->pcache) return false;
        for (int i = 0; i < p->nplayers; i++)
            if (!eventbuf_init(&p->pcache[i].eb, PROGRAM_CACHE_EVENTS, (size_t)PROGRAM_CACHE_EVENTS * 96)) return false;
    }
    graph_init_state(g, p->state, (float)sr);
    graph_bind(g, p->bufs, p->bufmem, max_block);
    float *m = p->extmem;
    for (int i = 0; i < p->nexterns; i++) {
        if (p->externs[i].kind == EXT_INPUT) continue;
        p->extptr[i] = m;
        m += (size_t)p->externs[i].lanes * (size_t)max_block;
    }
    for (int b = 0; b < g->nbufs; b++)
        if (g->bufs[b].kind == GB_EXTERN) p->bufs[b].x = p->extptr[g->bufs[b].ext];
    for (int i = 0; i < p->nctrls; i++) p->ctrl_hold[i] = p->ctrls[i].initial;
    return true;
}

void program_free(Program *p)
{
    if (!p) return;
    free(p->state);
    free(p->bufmem);
    free(p->bufs);
    free(p->extmem);
    free(p->extptr);
    free(p->ctrl_hold);
    free((void *)p->stmt_flags);
    free(p->reported);
    free(p->carry);
    free(p->glides);
    free(p->glidemem);
    free(p->bufmap);
    if (p->pcache)
        for (int i = 0; i < p->nplayers; i++) eventbuf_free(&p->pcache[i].eb);
    free(p->pcache);
    for (int i = 0; i < p->nheld; i++) arena_shared_unref(p->held[i]);
    free(p->held);
    arena_free(&p->arena);
    free(p);
}

/* ------------------------------------------------------------------------------------------------
 * hand-over */

/* What feeds buffer b, as something comparable across programs: the key of the node writing it, the
 * kind of extern (and which player or slot), or "a constant". */
static uint64_t program_source(const Program *p, const int *producer, int b)
{
    const GraphBuf *gb = &p->graph.bufs[b];
    if (gb->kind == GB_CONST) return 1;
    if (gb->kind == GB_NODE) return producer[b] >= 0 ? p->graph.nodes[producer[b]].key : 2;
    const Extern *e = &p->externs[gb->ext];
    uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)(e->kind + 3);
    if (e->kind == EXT_PLAYER)
        for (const char *s = p->players[e->index].name; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    else
        h ^= (uint64_t)(e->index + 1) * 0xC2B2AE3D27D4EB4Full;
    return h;
}

static int *program_producers(const Program *p)
{
    int *prod = malloc(sizeof(int) * (size_t)(p->graph.nbufs + 1));
    if (!prod) return NULL;
    for (int b = 0; b < p->graph.nbufs; b++) prod[b] = -1;
    for (int i = 0; i < p->graph.nnodes; i++) prod[p->graph.nodes[i].out] = i;
    return prod;
}

static bool program_same_tracks(const Program *np, const int *nprod, const Program *old, const int *oprod)
{
    if (np->ntracks != old->ntracks) return false;
    for (int t = 0; t < np->ntracks; t++)
        if (np->tracks[t].gain != old->tracks[t].gain || np->tracks[t].out != old->tracks[t].out ||
            program_source(np, nprod, np->tracks[t].buf) != program_source(old, oprod, old->tracks[t].buf))
            return false;
    return true;
}

static bool program_same_externs(const Program *np, const Program *old)
{
    if (np->nexterns != old->nexterns || np->nctrls != old->nctrls) return false;
    for (int i = 0; i < np->nexterns; i++)
        if (np->externs[i].kind != old->externs[i].kind || np->externs[i].lanes != old->externs[i].lanes) return false;
    return true;
}

/* Node i of np and node j of old: same wiring? Constants that changed become glides. */
static bool program_match_inputs(Program *np, const int *nprod, const GraphNode *nd, const Program *old,
                                 const int *oprod, const GraphNode *od, int *nglides)
{
    bool same = true;
    for (int k = 0; k < nd->kind->ninputs; k++) {
        int nb = nd->in[k], ob = od->in[k];
        if (program_source(np, nprod, nb) != program_source(old, oprod, ob)) {
            same = false;
            continue;
        }
        if (np->graph.bufs[nb].kind != GB_CONST || np->graph.bufs[nb].value == old->graph.bufs[ob].value) continue;
        bool seen = false;
        for (int g = 0; g < *nglides; g++) seen |= np->glides[g].buf == nb;
        if (!seen) {
            Glide *gl = &np->glides[(*nglides)++];
            memset(gl, 0, sizeof *gl);
            gl->buf = nb;
            gl->from = old->graph.bufs[ob].value;
            gl->to = np->graph.bufs[nb].value;
        }
    }
    return same;
}

/* Where each of old's global buffers is in np (-1: nowhere), by what feeds it: instruments of programs
 * still ringing read their global signals through this map after the hand-over. */
static bool program_map_bufs(Program *np, const int *nprod, const Program *old, const int *oprod)
{
    int nb = np->graph.nbufs, ob = old->graph.nbufs;
    np->bufmap = malloc(sizeof(int) * (size_t)(ob + 1));
    int cap = 16;
    while (cap < 2 * nb) cap *= 2;
    int *tab = calloc((size_t)cap, sizeof(int));
    uint64_t *ids = malloc(sizeof(uint64_t) * (size_t)(nb + 1));
    bool ok = np->bufmap && tab && ids;
    if (ok) {
        np->nbufmap = ob;
        for (int b = 0; b < nb; b++) {
            ids[b] = program_source(np, nprod, b);
            if (np->graph.bufs[b].kind == GB_CONST) continue;
            uint32_t h = (uint32_t)ids[b] & (uint32_t)(cap - 1);
            while (tab[h]) h = (h + 1) & (uint32_t)(cap - 1);
            tab[h] = b + 1;
        }
        for (int b = 0; b < ob; b++) {
            np->bufmap[b] = -1;
            if (old->graph.bufs[b].kind == GB_CONST) continue;
            uint64_t bus = old->bufbus ? old->bufbus[b] : 0;
            for (int k = 0; bus && k < nb && np->bufmap[b] < 0; k++)    /* a bus's value: where that bus is now */
                if (np->bufbus[k] == bus && np->graph.bufs[k].lanes == old->graph.bufs[b].lanes) np->bufmap[b] = k;
            if (np->bufmap[b] >= 0) continue;
            uint64_t id = program_source(old, oprod, b);
            for (uint32_t h = (uint32_t)id & (uint32_t)(cap - 1); tab[h]; h = (h + 1) & (uint32_t)(cap - 1))
                if (ids[tab[h] - 1] == id && np->graph.bufs[tab[h] - 1].lanes == old->graph.bufs[b].lanes) {
                    np->bufmap[b] = tab[h] - 1;
                    break;
                }
        }
    }
    free(tab);
    free(ids);
    return ok;
}

bool program_plan(Program *np, const Program *old)
{
    free(np->bufmap);
    np->bufmap = NULL;
    np->nbufmap = 0;
    free(np->carry);
    free(np->glides);
    free(np->glidemem);
    np->carry = NULL;
    np->glides = NULL;
    np->glidemem = NULL;
    np->ncarry = np->nglides = 0;
    np->pred = old;
    np->fade = false;
    np->same_layout = false;
    if (!old) return true;
    const Graph *ng = &np->graph, *og = &old->graph;
    int cap = 16;
    while (cap < 2 * og->nnodes) cap *= 2;
    int *tab = calloc((size_t)cap, sizeof(int));            /* old node index + 1 */
    char *used = calloc((size_t)og->nnodes + 1, 1);
    int *nprod = program_producers(np), *oprod = program_producers(old);
    int ninputs = 0;
    for (int i = 0; i < ng->nnodes; i++) ninputs += ng->nodes[i].kind->ninputs;
    np->carry = malloc(sizeof(CarryCopy) * (size_t)(ng->nnodes + 1));
    np->glides = malloc(sizeof(Glide) * (size_t)(ninputs + 1));
    bool ok = tab && used && nprod && oprod && np->carry && np->glides;
    if (ok) {
        for (int j = 0; j < og->nnodes; j++) {
            uint32_t h = (uint32_t)og->nodes[j].key & (uint32_t)(cap - 1);
            while (tab[h]) h = (h + 1) & (uint32_t)(cap - 1);
            tab[h] = j + 1;
        }
        int glanes_n = ng->lanes > 0 ? ng->lanes : 1, glanes_o = og->lanes > 0 ? og->lanes : 1;
        bool fade = false;
        for (int i = 0; i < ng->nnodes; i++) {
            const GraphNode *nd = &ng->nodes[i];
            int j = -1;
            for (uint32_t h = (uint32_t)nd->key & (uint32_t)(cap - 1); tab[h]; h = (h + 1) & (uint32_t)(cap - 1))
                if (og->nodes[tab[h] - 1].key == nd->key) {
                    j = tab[h] - 1;
                    break;
                }
            const GraphNode *od = j >= 0 ? &og->nodes[j] : NULL;
            if (!od || used[j] || od->kind != nd->kind || od->nstate != nd->nstate) {
                fade = true;
                continue;
            }
            used[j] = 1;
            np->carry[np->ncarry++] = (CarryCopy){ nd->state * glanes_n, od->state * glanes_o, nd->lanes, od->lanes,
                                                   nd->nstate };
            if (!program_match_inputs(np, nprod, nd, old, oprod, od, &np->nglides)) fade = true;
        }
        for (int j = 0; j < og->nnodes; j++) fade |= !used[j];
        fade |= !program_same_tracks(np, nprod, old, oprod);
        np->fade = fade;
        np->same_layout = !fade && program_same_externs(np, old);
        ok = program_map_bufs(np, nprod, old, oprod);
        if (np->nglides) {
            np->glidemem = calloc((size_t)np->nglides * (size_t)np->max_block + 1, sizeof(float));
            ok = np->glidemem != NULL;
            for (int g = 0; ok && g < np->nglides; g++) np->glides[g].mem = np->glidemem + (size_t)g * (size_t)np->max_block;
        }
    }
    free(tab);
    free(used);
    free(nprod);
    free(oprod);
    if (!ok) {
        np->ncarry = np->nglides = 0;
        np->fade = true;
        np->same_layout = false;
    }
    return ok;
}

void program_remap_instruments(Program *ringing, const Program *np)
{
    for (int k = 0; k < ringing->ninstruments; k++) {
        Instrument *in = &ringing->instruments[k];
        int *gb = (int *)in->global_buf;           /* the engine's own memory: see program.h */
        for (int j = 0; j < in->nglobals; j++)
            gb[j] = (np && np->bufmap && gb[j] >= 0 && gb[j] < np->nbufmap) ? np->bufmap[gb[j]] : -1;
    }
}

void program_take_over(Program *np, const Program *old)
{
    if (!old) return;
    if (np->pred != old || np->sr != old->sr) {
        np->fade = true;                /* planned against another program: nothing lines up */
        np->nglides = 0;
        return;
    }
    for (int i = 0; i < np->ncarry; i++) {
        const CarryCopy *c = &np->carry[i];
        graph_copy_state(np->state + c->dst, c->dst_lanes, old->state + c->src, c->src_lanes, c->nstate);
    }
    if (np->same_layout) {
        memcpy(np->ctrl_hold, old->ctrl_hold, sizeof(float) * (size_t)np->nctrls);
        for (int i = 0; i < np->nexterns; i++)
            if (np->externs[i].kind == EXT_FEEDBACK)
                memcpy(np->extptr[i], old->extptr[i], sizeof(float) * (size_t)np->externs[i].lanes * (size_t)np->max_block);
    }
    for (int g = 0; g < np->nglides; g++) {
        Glide *gl = &np->glides[g];
        gl->y1 = gl->y2 = gl->from;
        gl->orig = np->bufs[gl->buf];
        gl->active = true;
    }
}

bool program_smooth(float *y1, float *y2, float target, float coef, float *out, int n)
{
    float a = *y1, b = *y2;
    if (a == target && b == target) return false;
    for (int f = 0; f < n; f++) {
        a += coef * (target - a);
        b += coef * (a - b);
        out[f] = b;
    }
    /* arrived once both stages are within a millionth of the value: the rest is below any step heard */
    float eps = 1e-6f * (fabsf(target) > 1 ? fabsf(target) : 1);
    if (fabsf(a - target) <= eps && fabsf(b - target) <= eps) a = b = target;
    *y1 = a;
    *y2 = b;
    return true;
}

void program_glides(Program *p, int n, float coef)
{
    for (int g = 0; g < p->nglides; g++) {
        Glide *gl = &p->glides[g];
        if (!gl->active) continue;
        DspBuf *b = &p->bufs[gl->buf];
        if (program_smooth(&gl->y1, &gl->y2, gl->to, coef, gl->mem, n)) {
            b->x = gl->mem;
            b->flags = 0;
            b->lanes = 1;
        } else {
            gl->active = false;         /* back to the constant itself */
            *b = gl->orig;
        }
    }
}
