/* dsp.h — signal kernels ("node kinds"): each processes a block of n frames for `lanes` independent lanes.
 * Audio path: kernels never allocate, lock, log or do I/O; state is plain floats owned by the caller. */
#ifndef PHONON_DSP_H
#define PHONON_DSP_H

#include <stdbool.h>
#include <stddef.h>

/* Lanes: the global signal graph runs with lanes = channels (1 mono, 2 stereo); an instrument's
 * voices run in groups of VOICE_LANES lanes, one voice per lane, so that a recursive kernel
 * (oscillator phase, filter state) is vectorised across voices instead of along time.
 *
 * Buffers are frame-major: sample of frame t, lane l is x[t * lanes + l].
 *   - A buffer with lanes == 1 feeding a node of more lanes is broadcast to every lane.
 *   - A buffer flagged DSP_CONST holds one frame only (x[l], or x[0] if broadcast): the value is
 *     the same for the whole block. Kernels use this to skip per-frame work (filter coefficients).
 *
 * State is structure-of-arrays: field f of lane l is state[f * lanes + l], nstate fields per lane.
 * Some fields hold integers bit for bit (oscillator phases, noise generators): copy state by assignment
 * or memcpy, never by arithmetic. docs/DSP.md describes every kind and this contract in full. */

#define DSP_MAX_INPUTS 6
#define DSP_MAX_LANES 32        /* the most lanes a node runs with (VOICE_LANES) */
#define DSP_CONST 1

typedef struct DspBuf {
    float *x;
    int lanes;          /* 1 (broadcast) or the node's lanes */
    int flags;          /* DSP_CONST */
} DspBuf;

typedef struct DspEnv {
    float sr;           /* sample rate, Hz */
    float inv_sr;
    int n;              /* frames in this block (1 .. the engine's maximum block) */
    int lanes;          /* lanes of the node being run */
    unsigned seed;      /* per-node noise seed, fixed at compile time, so output is reproducible */
} DspEnv;

typedef struct DspKind {
    const char *name;                       /* the language name: "saw", "lpf" */
    int ninputs;                            /* signal inputs, in argument order */
    const char *inputs[DSP_MAX_INPUTS];     /* names, for error messages and docs: "in", "freq", "q" */
    float defaults[DSP_MAX_INPUTS];         /* value of an input the program leaves out; NAN: required */
    int nstate;                             /* floats of state per lane */
    int out_lanes;                          /* 0: same as the node; 2: always stereo (pan, reverb) */
    int flags;                              /* DSPK_* below */
    /* Set the initial state of all lanes (NULL: all zeros). in[] are the inputs of the first block,
     * for kernels that want to start in tune. */
    void (*init)(float *state, const DspEnv *env);
    /* Process one block: read in[0..ninputs), write out->x (n * out lanes floats) and out->flags. */
    void (*process)(float *state, const DspBuf *in, DspBuf *out, const DspEnv *env);
    const char *summary;                    /* one line for docs/LANGUAGE.md */
    /* Floats of state per lane when they depend on the sample rate (delay lines, reverb, chorus);
     * NULL: nstate. Use dsp_state_floats() to size a node's state. */
    int (*state_floats)(float sr);
} DspKind;

enum {
    DSPK_OSC = 1,       /* an oscillator: input 0 is the frequency; inside an instrument a
                           missing frequency plays the voice's pitch, elsewhere it is 1 Hz */
    DSPK_FILTER = 2,    /* input 0 is the signal being processed: `x # lpf 800` feeds x into input 0 */
    DSPK_PURE = 4,      /* stateless: output depends only on this block's inputs */
    DSPK_GATE = 8,      /* input 0 is a gate (envelopes): inside an instrument the voice's gate */
    DSPK_PHASE = 16,    /* an audio oscillator whose state field 0 of each lane is its phase as a 32-bit
                           fraction of a period (osc.c): a chord note's voice may start it elsewhere than 0 */
};

/* An oscillator node and the state-variable filter node reading it, run as one loop over the frames
 * (fused.c): the same bits as running the two one after the other. Inputs, state and environment of each
 * node as its own process takes them; mid is the oscillator's output buffer, of which only the last frame
 * is written, out the filter's. */
typedef void (*DspFusedFn)(float *st_a, const DspBuf *in_a, const DspEnv *env_a, float *st_b, const DspBuf *in_b,
                           const DspEnv *env_b, DspBuf *mid, DspBuf *out);
/* The fused kernel for kind a feeding input 0 of kind b, both running `lanes` lanes, or NULL. */
DspFusedFn dsp_fused_find(const DspKind *a, const DspKind *b, int lanes);

/* Every kind, NULL-terminated. */
extern const DspKind *const dsp_kinds[];
const DspKind *dsp_find(const char *name);

/* Floats of state per lane a node of kind k needs at sample rate sr (nstate, or the kind's hook; for
 * kinds with a hook nstate is only right up to 48 kHz). The graph must size and reset each node's state
 * with this, and run the node at the same sr. */
int dsp_state_floats(const DspKind *k, float sr);
/* The same for a node running `lanes` lanes (today the size does not depend on lanes). */
int dsp_state_floats_lanes(const DspKind *k, float sr, int lanes);

/* The reverb's `room` (0..1) whose decay to -60 dB takes rt60 seconds, within what it reaches (0.65 s at
 * room 0 to 9 s at room 1): for hosts of the kernel that think in decay times (the orbits). */
float dsp_reverb_room(float rt60);

/* Expand a broadcast and/or constant input into a full n x lanes buffer in scratch
 * (or return it unchanged when it already is one). */
const float *dsp_full(const DspBuf *b, float *scratch, int n, int lanes);

/* Value of input b at frame t, lane l, whatever its shape (for scalar code paths). */
static inline float dsp_at(const DspBuf *b, int t, int l)
{
    int lane = b->lanes == 1 ? 0 : l;
    return (b->flags & DSP_CONST) ? b->x[lane] : b->x[t * b->lanes + lane];
}

#endif
