/* fused.c — an oscillator and the state-variable filter it feeds (`saw # lpf 1800 0.8`, the subtractive
 * voice) run as one loop over the frames, each frame's oscillator row going straight into the filter.
 * Run one after the other, the filter's pass is bound by its recurrence (a frame's state needs the last
 * one's, so 32 lanes wait on a chain of a subtract, a multiply and an add per frame); interleaved with
 * the oscillator's independent work, that wait is hidden. The arithmetic of each lane is the two kernels'
 * own (osc_impl.h, svf_impl.h), in the same order, so the bits are those of the two nodes run apart; the
 * block set-up and wind-down below are osc_block's and svf_block's. Only for 32 lanes (instrument voices,
 * where the pair is common); graph.c decides which pairs run here. */
#include "osc_impl.h"
#include "svf_impl.h"

enum { FUSED_L = DSP_MAX_LANES };

/* ---- the held saw: constant frequency and filter, every lane forwards --------------------------------
 * The common case (a held `saw # lpf f q`) run on 16-lane vectors: the phases, the filter's state and its
 * coefficients stay in registers for the whole block, where the lane loops above keep them in memory
 * between the oscillator's and the filter's passes. The operations per lane are osc_bl_lanes's and
 * svf_lanes's, in the same order, so the bits are theirs; the edges are osc_bl_edges's own code. */
typedef clones_f16 fused_f16;
typedef unsigned fused_u16 __attribute__((vector_size(64)));
typedef int fused_i16 __attribute__((vector_size(64)));

#define FUSED_LD(v, p) memcpy(&(v), (p), 64)
#define FUSED_ST(p, v) memcpy((p), &(v), 64)

DSP_INLINE void fused_saw_held(float *restrict ring, uint32_t *restrict ph, const uint32_t *restrict uinc,
                               const float *restrict dir, const float *restrict dt, const float *restrict idt,
                               float *restrict ic1, float *restrict ic2, const SvfCoef *restrict c, const int mode,
                               float *restrict y, float *restrict out, int n)
{
    enum { H = FUSED_L / 16 };
    static const float nowidth[FUSED_L] = { 0 };
    const fused_u16 bit = { 1u << 0, 1u << 1, 1u << 2, 1u << 3, 1u << 4, 1u << 5, 1u << 6, 1u << 7,
                            1u << 8, 1u << 9, 1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15 };
    fused_f16 c11[H], c12[H], c22[H], c2x[H], k[H], s1[H], s2[H], x[H];
    fused_u16 p[H], inc[H];
    for (int h = 0; h < H; h++) {
        FUSED_LD(c11[h], c->c11 + 16 * h), FUSED_LD(c12[h], c->c12 + 16 * h), FUSED_LD(c22[h], c->c22 + 16 * h);
        FUSED_LD(c2x[h], c->c2x + 16 * h), FUSED_LD(k[h], c->k + 16 * h);
        FUSED_LD(s1[h], ic1 + 16 * h), FUSED_LD(s2[h], ic2 + 16 * h);
        FUSED_LD(p[h], ph + 16 * h), FUSED_LD(inc[h], uinc + 16 * h);
    }
    for (int t = 0; t < n; t++) {
        float *in = ring + (size_t)((t + OSC_LEAD) & (OSC_RING_N - 1)) * FUSED_L;
        float *o = ring + (size_t)(t & (OSC_RING_N - 1)) * FUSED_L;
        fused_u16 hits = { 0 };
        for (int h = 0; h < H; h++) {       /* osc_naive's saw and osc_hit's test, forwards */
            fused_u16 u = p[h], nu = u + inc[h];
            fused_f16 v = 2.0f * (__builtin_convertvector((fused_i16)(u >> 8), fused_f16) * OSC_INV24) - 1.0f, r;
            FUSED_LD(r, in + 16 * h);
            r += v;
            FUSED_ST(in + 16 * h, r);
            hits |= (fused_u16)(nu < u) & (bit << (16 * h));
            p[h] = nu;
        }
        hits |= CLONES_SHUF1(hits, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
        hits |= CLONES_SHUF1(hits, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
        hits |= CLONES_SHUF1(hits, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        hits |= CLONES_SHUF1(hits, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        if (hits[0]) {
            for (int h = 0; h < H; h++) FUSED_ST(ph + 16 * h, p[h]);
            osc_bl_edges(FUSED_L, OSC_SAW, ring, ph, uinc, dir, dt, idt, nowidth, t, hits[0]);
        }
        float *yo = out + (size_t)t * FUSED_L;
        for (int h = 0; h < H; h++) {       /* the sample due now, then svf_lanes */
            fused_f16 z = { 0 }, v0, n1, n2, v1, v2, r;
            FUSED_LD(v0, o + 16 * h);
            FUSED_ST(o + 16 * h, z);
            x[h] = v0;
            n1 = c11[h] * s1[h] + c12[h] * (v0 - s2[h]);
            n2 = c22[h] * s2[h] + c12[h] * s1[h] + c2x[h] * v0;
            v1 = 0.5f * (s1[h] + n1), v2 = 0.5f * (s2[h] + n2);
            if (mode == SVF_LP) r = v2;
            else if (mode == SVF_BP) r = k[h] * v1;
            else if (mode == SVF_HP) r = v0 - k[h] * v1 - v2;
            else r = v0 - k[h] * v1;
            s1[h] = n1, s2[h] = n2;
            FUSED_ST(yo + 16 * h, r);
        }
    }
    for (int h = 0; h < H; h++) {
        FUSED_ST(ph + 16 * h, p[h]), FUSED_ST(ic1 + 16 * h, s1[h]), FUSED_ST(ic2 + 16 * h, s2[h]);
        FUSED_ST(y + 16 * h, x[h]);
    }
}

DSP_INLINE void fused_block(float *so, const DspBuf *ino, const DspEnv *eo, float *sf, const DspBuf *inf,
                            DspBuf *mid, DspBuf *out, const int shape, const int mode)
{
    const int L = FUSED_L, n = eo->n;
    if (n <= 0) return;
    /* the oscillator, as osc_block starts it */
    DspIn fin, win;
    int32_t inc[FUSED_L];
    uint32_t ph[FUSED_L], uinc[FUSED_L];
    float dt[FUSED_L], idt[FUSED_L], flast[FUSED_L], dir[FUSED_L];
    float pend[FUSED_L] = { 0 };          /* impulse trains only: never fused */
    const float nowidth[FUSED_L] = { 0 };
    const int bl = osc_bandlimited(shape);
    memcpy(ph, so + OSC_PHASE * L, sizeof ph);
    dsp_in_init(&fin, &ino[0], L);
    if (shape == OSC_PULSE) dsp_in_init(&win, &ino[1], L);
    int fconst = dsp_in_const(&fin);
    double inv_sr = 1.0 / (double)eo->sr;
    int fwd = osc_tune(L, dsp_in_row(&fin, 0, L), inv_sr, inc, dt, idt, uinc, dir, flast);
    if (bl) osc_bl_start(L, shape, so, ph, inc, dt, idt, shape == OSC_PULSE ? dsp_in_row(&win, 0, L) : nowidth);
    /* the filter, as svf_block starts it */
    DspIn cin, qin;
    SvfCoef c;
    float clast[FUSED_L], qlast[FUSED_L], ic1[FUSED_L], ic2[FUSED_L];
    dsp_in_init(&cin, &inf[1], L);
    dsp_in_init(&qin, &inf[2], L);
    int fixed = dsp_in_const(&cin) && dsp_in_const(&qin);
    dsp_copy(ic1, sf + SVF_IC1 * L, L);
    dsp_copy(ic2, sf + SVF_IC2 * L, L);
    svf_tune(L, mode, dsp_in_row(&cin, 0, L), dsp_in_row(&qin, 0, L), eo->inv_sr, &c, clast, qlast);

    float y[FUSED_L];
    if (shape == OSC_SAW && fwd && fconst && fixed) {
        fused_saw_held(so + OSC_RING * L, ph, uinc, dir, dt, idt, ic1, ic2, &c, mode, y, out->x, n);
    } else {
        for (int t = 0; t < n; t++) {
            if (!fconst) {
                const float *f = dsp_in_row(&fin, t, L);
                if (!dsp_row_same(f, flast, L)) fwd = osc_tune(L, f, inv_sr, inc, dt, idt, uinc, dir, flast);
            }
            if (bl) {
                const float *w = shape == OSC_PULSE ? dsp_in_row(&win, t, L) : nowidth;
                if (fwd) osc_bl_lanes(L, shape, 1, so + OSC_RING * L, ph, uinc, dir, dt, idt, w, t, y);
                else osc_bl_lanes(L, shape, 0, so + OSC_RING * L, ph, uinc, dir, dt, idt, w, t, y);
            } else {
                osc_lanes(L, shape, ph, pend, inc, y);
            }
            if (!fixed) {
                const float *fc = dsp_in_row(&cin, t, L), *q = dsp_in_row(&qin, t, L);
                if (!dsp_row_same(fc, clast, L) || !dsp_row_same(q, qlast, L))
                    svf_tune(L, mode, fc, q, eo->inv_sr, &c, clast, qlast);
            }
            svf_lanes(L, mode, ic1, ic2, y, &c, out->x + (size_t)t * L);
        }
    }
    /* the oscillator's buffer is not written, but for its last frame: graph_guard looks at that one */
    memcpy(mid->x + (size_t)(n - 1) * L, y, sizeof y);
    if (bl) osc_bl_rotate(L, so + OSC_RING * L, n);
    memcpy(so + OSC_PHASE * L, ph, sizeof ph);
    for (int l = 0; l < L; l++) sf[SVF_IC1 * L + l] = dsp_flush(ic1[l]), sf[SVF_IC2 * L + l] = dsp_flush(ic2[l]);
}

/* square is a pulse of width 1/2, as osc.c runs it */
DSP_INLINE void fused_square_block(float *so, const DspBuf *ino, const DspEnv *eo, float *sf, const DspBuf *inf,
                                   DspBuf *mid, DspBuf *out, const int mode)
{
    float half = 0.5f;
    DspBuf pin[2] = { ino[0], { &half, 1, DSP_CONST } };
    fused_block(so, pin, eo, sf, inf, mid, out, OSC_PULSE, mode);
}

#define FUSED_FN(name, call)                                                                              \
    DSP_HOT static void name(float *so, const DspBuf *ino, const DspEnv *eo, float *sf, const DspBuf *inf, \
                             const DspEnv *ef, DspBuf *mid, DspBuf *out)                                  \
    {                                                                                                     \
        (void)ef;                                                                                         \
        call;                                                                                             \
    }
#define FUSED_MODES(osc, shape_call)                                                                 \
    FUSED_FN(fused_##osc##_lpf, shape_call(SVF_LP))                                                  \
    FUSED_FN(fused_##osc##_hpf, shape_call(SVF_HP))                                                  \
    FUSED_FN(fused_##osc##_bpf, shape_call(SVF_BP))                                                  \
    FUSED_FN(fused_##osc##_notch, shape_call(SVF_NOTCH))

#define FUSED_SINE(m) fused_block(so, ino, eo, sf, inf, mid, out, OSC_SINE, m)
#define FUSED_SAW(m) fused_block(so, ino, eo, sf, inf, mid, out, OSC_SAW, m)
#define FUSED_PULSE(m) fused_block(so, ino, eo, sf, inf, mid, out, OSC_PULSE, m)
#define FUSED_TRI(m) fused_block(so, ino, eo, sf, inf, mid, out, OSC_TRI, m)
#define FUSED_SQUARE(m) fused_square_block(so, ino, eo, sf, inf, mid, out, m)

FUSED_MODES(sine, FUSED_SINE)
FUSED_MODES(saw, FUSED_SAW)
FUSED_MODES(pulse, FUSED_PULSE)
FUSED_MODES(tri, FUSED_TRI)
FUSED_MODES(square, FUSED_SQUARE)

extern const DspKind dsp_kind_sine, dsp_kind_saw, dsp_kind_square, dsp_kind_pulse, dsp_kind_tri, dsp_kind_lpf,
    dsp_kind_hpf, dsp_kind_bpf, dsp_kind_notch;

/* Every pair that has a fused kernel: an oscillator, the filter reading it, the kernel. */
static const struct {
    const DspKind *osc, *filter;
    DspFusedFn fn;
} fused_pairs[] = {
#define FUSED_ROW(osc)                                                                            \
    { &dsp_kind_##osc, &dsp_kind_lpf, fused_##osc##_lpf }, { &dsp_kind_##osc, &dsp_kind_hpf, fused_##osc##_hpf }, \
    { &dsp_kind_##osc, &dsp_kind_bpf, fused_##osc##_bpf }, { &dsp_kind_##osc, &dsp_kind_notch, fused_##osc##_notch },
    FUSED_ROW(sine) FUSED_ROW(saw) FUSED_ROW(pulse) FUSED_ROW(tri) FUSED_ROW(square)
#undef FUSED_ROW
};

DspFusedFn dsp_fused_find(const DspKind *a, const DspKind *b, int lanes)
{
    if (lanes != FUSED_L) return NULL;
    for (size_t i = 0; i < sizeof fused_pairs / sizeof fused_pairs[0]; i++)
        if (fused_pairs[i].osc == a && fused_pairs[i].filter == b) return fused_pairs[i].fn;
    return NULL;
}
