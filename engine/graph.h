/* graph.h — a compiled signal graph: dsp nodes in topological order over numbered buffers.
 * The same structure runs the global mix (1-2 lanes) and an instrument's voices (VOICE_LANES per group). */
#ifndef PHONON_GRAPH_H
#define PHONON_GRAPH_H

#include <stdint.h>

#include "dsp/dsp.h"

typedef enum GraphBufKind {
    GB_NODE,        /* written by a node each block */
    GB_CONST,       /* a number; filled once (DSP_CONST, broadcast) */
    GB_EXTERN,      /* supplied by whoever runs the graph (voice pitch and gate, global signals,
                       player outputs, pattern-driven controls) */
} GraphBufKind;

typedef struct GraphBuf {
    GraphBufKind kind;
    int lanes;      /* 1, 2, or the graph's lanes (instruments) */
    float value;    /* GB_CONST */
    int ext;        /* GB_EXTERN: index into the caller's extern table */
} GraphBuf;

typedef struct GraphNode {
    const DspKind *kind;
    int in[DSP_MAX_INPUTS];     /* buffer of each input */
    int out;                    /* buffer written */
    int lanes;                  /* lanes this node runs with */
    int state;                  /* offset of its state, in floats per lane of the graph */
    int nstate;                 /* its state, floats per lane (dsp_state_floats_lanes at the graph's rate) */
    unsigned seed;
    int line, col;              /* where it came from, for messages */
    uint64_t key;               /* identity across programs: its statement, its kind and its place among the
                                   nodes of that kind in the statement (graph_node_key); a new program takes
                                   over the state of the node with the same key in the one it replaces */
    DspFusedFn fused;           /* set by graph_fuse: this node and the next run as one loop (or NULL) */
} GraphNode;

typedef struct Graph {
    GraphNode *nodes;
    int nnodes;
    GraphBuf *bufs;
    int nbufs;
    int nstate;                 /* floats of state per lane, all nodes */
    int lanes;                  /* the maximum lanes of any node: 2 for the global graph, VOICE_LANES for instruments */
    int out;                    /* the buffer holding the result (instruments) */
} Graph;

/* The identity of the ordinal-th node (0, 1, ...) of kind k in the statement called stmt (a bus name without
 * its '~', or a track name): stable across edits of other statements and of the node's own arguments. */
uint64_t graph_node_key(const char *stmt, const DspKind *k, int ordinal);
/* Copy one node's state from a node of the same kind laid out with other lanes (1 <-> 2): each lane of
 * dst takes the matching lane of src, or its last. nstate fields per lane. */
void graph_copy_state(float *dst, int dst_lanes, const float *src, int src_lanes, int nstate);

/* Memory one running instance needs: state (nstate * lanes floats) and buffer frames. */
size_t graph_state_floats(const Graph *g);
size_t graph_buffer_floats(const Graph *g, int max_block);

/* Point bufs[] at their memory (mem: graph_buffer_floats floats) and fill the constants. */
void graph_bind(const Graph *g, DspBuf *bufs, float *mem, int max_block);
/* Reset the state of every node (or of nodes [first, last)). */
void graph_init_state(const Graph *g, float *state, float sr);
/* Let each oscillator whose output only the filter right after it reads run fused with that filter
 * (dsp_fused_find): the same output, faster. For graphs whose node buffers nobody outside reads but
 * through g->out (instruments: the global graph's buffers are buses other graphs read). */
void graph_fuse(Graph *g);
/* Run every node over n frames. The caller has set bufs[] of GB_EXTERN buffers. Audio path. */
void graph_run(const Graph *g, float *state, DspBuf *bufs, int n, float sr);
/* Run nodes [first, last) only (the engine runs the global graph in phases around the voices). */
void graph_run_range(const Graph *g, int first, int last, float *state, DspBuf *bufs, int n, float sr);

#endif
