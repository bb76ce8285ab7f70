/* graph.c — running a compiled graph: bind buffers, reset state, call each node's kernel in order.
 * The graph is immutable; all mutable data (state, buffers) belongs to the caller. */
#include "graph.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static int graph_buf_lanes(const Graph *g, int b)
{
    return g->bufs[b].lanes > 0 ? g->bufs[b].lanes : 1;
}

size_t graph_state_floats(const Graph *g) { return (size_t)g->nstate * (size_t)(g->lanes > 0 ? g->lanes : 1); }

size_t graph_buffer_floats(const Graph *g, int max_block)
{
    size_t total = 0;
    for (int b = 0; b < g->nbufs; b++)
        if (g->bufs[b].kind == GB_NODE) total += (size_t)max_block * (size_t)graph_buf_lanes(g, b);
        else if (g->bufs[b].kind == GB_CONST) total += (size_t)graph_buf_lanes(g, b);
    return total;
}

void graph_bind(const Graph *g, DspBuf *bufs, float *mem, int max_block)
{
    for (int b = 0; b < g->nbufs; b++) {
        const GraphBuf *gb = &g->bufs[b];
        int lanes = graph_buf_lanes(g, b);
        bufs[b].lanes = lanes;
        bufs[b].flags = 0;
        switch (gb->kind) {
        case GB_NODE:
            bufs[b].x = mem;
            mem += (size_t)max_block * (size_t)lanes;
            break;
        case GB_CONST:
            bufs[b].x = mem;
            for (int l = 0; l < lanes; l++) mem[l] = gb->value;
            bufs[b].flags = DSP_CONST;
            mem += lanes;
            break;
        case GB_EXTERN:
            bufs[b].x = NULL;       /* set by the caller before each run */
            break;
        }
    }
}

static void graph_env(const Graph *g, const GraphNode *nd, int n, float sr, DspEnv *env)
{
    (void)g;
    env->sr = sr;
    env->inv_sr = 1.0f / sr;
    env->n = n;
    env->lanes = nd->lanes;
    env->seed = nd->seed;
}

void graph_init_state(const Graph *g, float *state, float sr)
{
    int lanes = g->lanes > 0 ? g->lanes : 1;
    memset(state, 0, graph_state_floats(g) * sizeof(float));
    for (int i = 0; i < g->nnodes; i++) {
        const GraphNode *nd = &g->nodes[i];
        if (!nd->kind->init) continue;
        DspEnv env;
        graph_env(g, nd, 0, sr, &env);
        nd->kind->init(state + (size_t)nd->state * lanes, &env);
    }
}

/* Keep NaN and infinities from spreading: a node whose state went non-finite is reset (rule 4 of the
 * audio path). A recursive node's bad state shows in its last frame, so only that frame is looked at
 * (a full scan of every node's block cost as much as the filters); a non-finite value elsewhere in a
 * block reaches the nodes downstream, which catch it the same way, and the engine's output guard
 * replaces whatever is left with 0. */
static void graph_guard(const Graph *g, const GraphNode *nd, float *state, DspBuf *out, int n, float sr)
{
    int lanes = out->lanes;
    int count = (out->flags & DSP_CONST) ? lanes : n * lanes;
    const float *last = out->x + count - lanes;
    uint32_t bad = 0;
    for (int l = 0; l < lanes; l++) {       /* an exponent of all ones is Inf or NaN */
        uint32_t u;
        memcpy(&u, &last[l], sizeof u);
        bad |= (u & 0x7f800000u) == 0x7f800000u;
    }
    if (!bad) return;
    for (int i = 0; i < count; i++)
        if (!isfinite(out->x[i])) out->x[i] = 0;
    int glanes = g->lanes > 0 ? g->lanes : 1;
    float *st = state + (size_t)nd->state * glanes;
    memset(st, 0, (size_t)nd->nstate * glanes * sizeof(float));
    if (nd->kind->init) {
        DspEnv env;
        graph_env(g, nd, 0, sr, &env);
        nd->kind->init(st, &env);
    }
}

/* Readers of buffer b among the nodes' inputs. */
static int graph_readers(const Graph *g, int b)
{
    int r = 0;
    for (int i = 0; i < g->nnodes; i++)
        for (int k = 0; k < g->nodes[i].kind->ninputs; k++) r += g->nodes[i].in[k] == b;
    return r;
}

void graph_fuse(Graph *g)
{
    for (int i = 0; i + 1 < g->nnodes; i++) {
        GraphNode *a = &g->nodes[i], *b = &g->nodes[i + 1];
        a->fused = NULL;
        if (a->lanes != b->lanes || b->kind->ninputs < 1 || b->in[0] != a->out || a->out == g->out ||
            graph_readers(g, a->out) != 1)
            continue;
        a->fused = dsp_fused_find(a->kind, b->kind, a->lanes);
        if (a->fused) i++;              /* pairs do not chain */
    }
}

/* Node i's inputs, environment and state. */
static float *graph_node_io(const Graph *g, const GraphNode *nd, float *state, const DspBuf *bufs, int n, float sr,
                            DspBuf *in, DspEnv *env)
{
    for (int k = 0; k < nd->kind->ninputs; k++) in[k] = bufs[nd->in[k]];
    graph_env(g, nd, n, sr, env);
    /* a node owns nstate * (graph lanes) floats from state * (graph lanes); it lays its fields out
       with its own lane count as the stride (env.lanes), which is never more than the graph's */
    return state + (size_t)nd->state * (size_t)(g->lanes > 0 ? g->lanes : 1);
}

void graph_run_range(const Graph *g, int first, int last, float *state, DspBuf *bufs, int n, float sr)
{
    for (int i = first; i < last; i++) {
        const GraphNode *nd = &g->nodes[i];
        DspBuf in[DSP_MAX_INPUTS];
        DspEnv env;
        float *st = graph_node_io(g, nd, state, bufs, n, sr, in, &env);
        DspBuf *out = &bufs[nd->out];
        out->flags = 0;
        if (nd->fused && i + 1 < last) {
            const GraphNode *nb = &g->nodes[i + 1];
            DspBuf inb[DSP_MAX_INPUTS];
            DspEnv envb;
            float *stb = graph_node_io(g, nb, state, bufs, n, sr, inb, &envb);
            DspBuf *outb = &bufs[nb->out];
            outb->flags = 0;
            nd->fused(st, in, &env, stb, inb, &envb, out, outb);
            graph_guard(g, nd, state, out, n, sr);
            graph_guard(g, nb, state, outb, n, sr);
            i++;
            continue;
        }
        nd->kind->process(st, in, out, &env);
        graph_guard(g, nd, state, out, n, sr);
    }
}

void graph_run(const Graph *g, float *state, DspBuf *bufs, int n, float sr)
{
    graph_run_range(g, 0, g->nnodes, state, bufs, n, sr);
}

/* FNV-1a over the statement's name and the kind's name, then the ordinal: two nodes of one program never
 * share a key (the ordinal counts nodes of that kind in that statement), and an edit elsewhere keeps it. */
uint64_t graph_node_key(const char *stmt, const DspKind *k, int ordinal)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *s = stmt; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;
    for (const char *s = k->name; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h = (h ^ (uint64_t)(unsigned)ordinal) * 1099511628211ull;
    h ^= h >> 29;
    return h ? h : 1;
}

void graph_copy_state(float *dst, int dst_lanes, const float *src, int src_lanes, int nstate)
{
    if (dst_lanes == src_lanes) {
        memcpy(dst, src, sizeof(float) * (size_t)nstate * (size_t)dst_lanes);
        return;
    }
    for (int f = 0; f < nstate; f++)
        for (int l = 0; l < dst_lanes; l++)
            dst[f * dst_lanes + l] = src[f * src_lanes + (l < src_lanes ? l : src_lanes - 1)];
}
