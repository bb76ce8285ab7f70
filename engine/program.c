/* program.c — a Program's run memory: graph state, buffers and externs, allocated before hand-over.
 * Freed on the control side only, after the audio thread has retired the program. */
#include "program.h"

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
    if (p->pcache)
        for (int i = 0; i < p->nplayers; i++) eventbuf_free(&p->pcache[i].eb);
    free(p->pcache);
    arena_free(&p->arena);
    free(p);
}
