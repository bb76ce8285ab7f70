/* test_voice_util.h — fixtures for the voice tests: hand-made Samples, tiny DSP kinds and instruments
 * built without the compiler, and a rig that renders blocks of one or more players. Test code only. */
#ifndef PHONON_TEST_VOICE_UTIL_H
#define PHONON_TEST_VOICE_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "pool.h"
#include "voice.h"

/* ---- samples ------------------------------------------------------------------------------- */

static inline float *tv_channel(int frames)
{
    float *mem = calloc((size_t)frames + 2 * BANK_PAD, sizeof(float));
    return mem + BANK_PAD;
}

static inline Sample tv_sample(int frames, int channels, double rate)
{
    Sample s;
    memset(&s, 0, sizeof s);
    s.frames = frames;
    s.channels = channels;
    s.rate = rate;
    s.ch[0] = tv_channel(frames);
    s.ch[1] = channels > 1 ? tv_channel(frames) : s.ch[0];
    s.path = "test";
    return s;
}

static inline float *tv_data(const Sample *s, int c) { return (float *)s->ch[c]; }

static inline Sample tv_sine(int frames, double rate, double hz, double amp)
{
    Sample s = tv_sample(frames, 1, rate);
    for (int i = 0; i < frames; i++) tv_data(&s, 0)[i] = (float)(amp * sin(2 * M_PI * hz * i / rate));
    s.peak = (float)amp;
    return s;
}

static inline Sample tv_dc(int frames, int channels, float v0, float v1)
{
    Sample s = tv_sample(frames, channels, 44100);
    for (int i = 0; i < frames; i++) {
        tv_data(&s, 0)[i] = v0;
        if (channels > 1) tv_data(&s, 1)[i] = v1;
    }
    return s;
}

/* data[i] = i * scale: the output tells the exact read position */
static inline Sample tv_ramp(int frames, float scale)
{
    Sample s = tv_sample(frames, 1, 44100);
    for (int i = 0; i < frames; i++) tv_data(&s, 0)[i] = (float)i * scale;
    return s;
}

static inline void tv_sample_free(Sample *s)
{
    free((float *)s->ch[0] - BANK_PAD);
    if (s->ch[1] != s->ch[0]) free((float *)s->ch[1] - BANK_PAD);
}

/* ---- tiny DSP kinds (the real ones live in engine/dsp) -------------------------------------- */

static inline void tk_sine_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *e)
{
    int L = e->lanes;
    for (int t = 0; t < e->n; t++)
        for (int l = 0; l < L; l++) {
            float ph = st[l];
            out->x[t * L + l] = sinf(2 * (float)M_PI * ph);
            ph += dsp_at(&in[0], t, l) * e->inv_sr;
            st[l] = ph - floorf(ph);
        }
}

static inline void tk_saw_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *e)
{
    int L = e->lanes;
    for (int t = 0; t < e->n; t++)
        for (int l = 0; l < L; l++) {
            float ph = st[l];
            out->x[t * L + l] = 2 * ph - 1;
            ph += dsp_at(&in[0], t, l) * e->inv_sr;
            st[l] = ph - floorf(ph);
        }
}

/* one-pole lowpass: y += a (x - y), a from the cutoff (input 1) */
static inline void tk_lpf_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *e)
{
    int L = e->lanes;
    for (int t = 0; t < e->n; t++)
        for (int l = 0; l < L; l++) {
            float a = 1 - expf(-2 * (float)M_PI * dsp_at(&in[1], t, l) * e->inv_sr);
            st[l] += a * (dsp_at(&in[0], t, l) - st[l]);
            out->x[t * L + l] = st[l];
        }
}

/* out = in (to see an extern such as the gate) */
static inline void tk_thru_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *e)
{
    (void)st;
    for (int t = 0; t < e->n; t++)
        for (int l = 0; l < e->lanes; l++) out->x[t * e->lanes + l] = dsp_at(&in[0], t, l);
}

__attribute__((unused)) static const DspKind tk_sine = {.name = "tsine", .ninputs = 1, .inputs = {"freq"}, .defaults = {440}, .nstate = 1,
                                .flags = DSPK_OSC, .process = tk_sine_process, .summary = "test sine"};
__attribute__((unused)) static const DspKind tk_saw = {.name = "tsaw", .ninputs = 1, .inputs = {"freq"}, .defaults = {440}, .nstate = 1,
                               .flags = DSPK_OSC, .process = tk_saw_process, .summary = "test saw"};
__attribute__((unused)) static const DspKind tk_lpf = {.name = "tlpf", .ninputs = 2, .inputs = {"in", "freq"}, .defaults = {0, 1000}, .nstate = 1,
                               .flags = DSPK_FILTER, .process = tk_lpf_process, .summary = "test lpf"};
__attribute__((unused)) static const DspKind tk_thru = {.name = "tthru", .ninputs = 1, .inputs = {"in"}, .defaults = {0}, .nstate = 0,
                                .flags = DSPK_PURE, .process = tk_thru_process, .summary = "test thru"};

/* ---- instruments built by hand ----------------------------------------------------------- */

typedef struct TvInst {
    Graph g;
    GraphNode nodes[4];
    GraphBuf bufs[8];
    int global_buf[2];
    float *fresh;
    Instrument inst;
} TvInst;

static inline void tv_inst_finish(TvInst *t, double sr, const void *owner)
{
    t->g.nodes = t->nodes;
    t->g.bufs = t->bufs;
    t->g.lanes = VOICE_LANES;
    int ns = 0;
    for (int i = 0; i < t->g.nnodes; i++) {
        t->nodes[i].state = ns;
        t->nodes[i].lanes = VOICE_LANES;
        ns += t->nodes[i].kind->nstate;
    }
    t->g.nstate = ns;
    t->fresh = calloc(graph_state_floats(&t->g) + 1, sizeof(float));
    graph_init_state(&t->g, t->fresh, (float)sr);
    t->inst.graph = &t->g;
    t->inst.fresh_state = t->fresh;
    t->inst.owner = owner;
    t->inst.global_buf = t->global_buf;
}

/* osc(freq = the voice's pitch) */
static inline TvInst *tv_inst_osc(const DspKind *osc, double sr, const void *owner)
{
    TvInst *t = calloc(1, sizeof *t);
    t->bufs[0] = (GraphBuf){GB_EXTERN, VOICE_LANES, 0, VEXT_FREQ};
    t->bufs[1] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};
    t->g.nbufs = 2;
    t->nodes[0] = (GraphNode){.kind = osc, .in = {0}, .out = 1};
    t->g.nnodes = 1;
    t->g.out = 1;
    tv_inst_finish(t, sr, owner);
    return t;
}

/* saw -> lpf cutoff */
static inline TvInst *tv_inst_saw_lpf(const DspKind *saw, const DspKind *lpf, float cutoff, double sr, const void *owner)
{
    TvInst *t = calloc(1, sizeof *t);
    t->bufs[0] = (GraphBuf){GB_EXTERN, VOICE_LANES, 0, VEXT_FREQ};
    t->bufs[1] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};
    t->bufs[2] = (GraphBuf){GB_CONST, 1, cutoff, 0};
    t->bufs[3] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};
    t->bufs[4] = (GraphBuf){GB_CONST, 1, 0.7f, 0};
    t->g.nbufs = 5;
    t->nodes[0] = (GraphNode){.kind = saw, .in = {0}, .out = 1};
    t->nodes[1] = (GraphNode){.kind = lpf, .in = {1, 2, 4}, .out = 3};
    t->g.nnodes = 2;
    t->g.out = 3;
    tv_inst_finish(t, sr, owner);
    return t;
}

/* thru(extern ext): the output is the gate (ext = VEXT_GATE) or a global buffer */
static inline TvInst *tv_inst_thru(int ext, double sr, const void *owner)
{
    TvInst *t = calloc(1, sizeof *t);
    t->bufs[0] = (GraphBuf){GB_EXTERN, VOICE_LANES, 0, ext};
    t->bufs[1] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};
    t->g.nbufs = 2;
    t->nodes[0] = (GraphNode){.kind = &tk_thru, .in = {0}, .out = 1};
    t->g.nnodes = 1;
    t->g.out = 1;
    tv_inst_finish(t, sr, owner);
    if (ext >= VEXT_FIRST_GLOBAL) {
        t->inst.nglobals = 1;
        t->global_buf[0] = 0;
    }
    return t;
}

static inline void tv_inst_free(TvInst *t)
{
    free(t->fresh);
    free(t);
}

/* ---- the rig: render whole blocks for a few players ---------------------------------------- */

typedef struct TvRig {
    VoicePool *vp;
    Pool *pool;
    int block, players;
    double sr;
    float *out[4];
    const DspBuf *globals;
} TvRig;

static inline TvRig tv_rig(int capacity, int block, double sr, int threads)
{
    TvRig r;
    memset(&r, 0, sizeof r);
    VoiceConfig cfg = {capacity, block, sr, 4};
    r.vp = voice_pool_new(&cfg);
    r.pool = threads > 0 ? pool_new(threads) : NULL;
    r.block = block;
    r.players = 4;
    r.sr = sr;
    for (int p = 0; p < 4; p++) r.out[p] = calloc((size_t)block * 2, sizeof(float));
    return r;
}

static inline void tv_rig_free(TvRig *r)
{
    voice_pool_free(r->vp);
    pool_free(r->pool);
    for (int p = 0; p < 4; p++) free(r->out[p]);
}

/* Render one block; append player p's left and right to L and R at frame `at` (if given). */
static inline void tv_block(TvRig *r, int p, float *L, float *R, int at)
{
    voice_render(r->vp, r->pool, r->globals, r->out, r->players, r->block);
    for (int t = 0; t < r->block; t++) {
        if (L) L[at + t] = r->out[p][2 * t];
        if (R) R[at + t] = r->out[p][2 * t + 1];
    }
    voice_begin_block(r->vp, r->block);
}

/* Render `frames` (a multiple of the block) after starting the given voices in the first block. */
static inline void tv_play(TvRig *r, const VoiceStart *vs, int nvs, float *L, float *R, int frames)
{
    voice_begin_block(r->vp, r->block);
    for (int i = 0; i < nvs; i++) voice_start(r->vp, &vs[i]);
    for (int at = 0; at < frames; at += r->block) tv_block(r, 0, L, R, at);
}

static inline VoiceStart tv_start_sample(const Sample *s)
{
    VoiceStart v;
    memset(&v, 0, sizeof v);
    v.sample = s;
    v.rate = (float)(s->rate / 44100.0);
    v.gain = 1;
    v.pan = 0;
    v.end = 1;
    v.loop = 1;
    return v;
}

static inline VoiceStart tv_start_inst(const Instrument *inst, float freq)
{
    VoiceStart v;
    memset(&v, 0, sizeof v);
    v.inst = inst;
    v.freq = freq;
    v.gain = 1;
    v.pan = 0;
    v.attack = 0.01f;
    v.hold = 10;
    v.release = 0.3f;
    v.loop = 1;
    return v;
}

/* ---- analysis -------------------------------------------------------------------------------- */

/* Frequency from rising zero crossings over [a, b). */
static inline double tv_zc_freq(const float *x, int a, int b, double sr)
{
    int first = -1, last = -1, count = 0;
    for (int i = a + 1; i < b; i++)
        if (x[i - 1] < 0 && x[i] >= 0) {
            if (first < 0) first = i;
            else count++;
            last = i;
        }
    if (count < 1) return 0;
    return count * sr / (last - first);
}

/* Magnitude of the DFT at frequency f (Goertzel), normalised to a sine's amplitude. */
static inline double tv_goertzel(const float *x, int n, double f, double sr)
{
    double w = 2 * M_PI * f / sr, c = 2 * cos(w), s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double s0 = x[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double re = s1 - s2 * cos(w), im = s2 * sin(w);
    return 2 * sqrt(re * re + im * im) / n;
}

/* First frame >= a from which x stays exactly 0 up to b. */
static inline int tv_silent_from(const float *x, int a, int b)
{
    int last = a - 1;
    for (int i = a; i < b; i++)
        if (x[i] != 0) last = i;
    return last + 1;
}

#endif
