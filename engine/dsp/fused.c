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
