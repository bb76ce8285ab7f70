/* osc.c — oscillators: sine, saw, square, pulse, tri (band-limited), phasor and impulse.
 * Phase starts at 0; the frequency may be negative (the phase runs backwards). No libm, no branches per lane. */
#include "kernel.h"

/* The phase is a 32-bit fixed-point fraction of a period: it wraps by integer overflow, exactly and in
 * either direction, and advancing it is one integer add (the only recurrence). It is kept bit for bit in
 * the float slot of field OSC_PHASE (copy state with memcpy or plain assignment, never arithmetic). */

enum { OSC_SINE, OSC_SAW, OSC_PULSE, OSC_TRI, OSC_PHASOR, OSC_IMPULSE };
enum { OSC_PHASE, OSC_PENDING };                 /* state fields */

#define OSC_TWO32 4294967296.0f
#define OSC_INV24 (1.0f / 16777216.0f)

/* Phase increment per sample as a signed 32-bit fraction, rounded to nearest from double precision
 * (f / sr in float would be off by up to 1e-7: a 100 Hz impulse train would slip a sample now and
 * then), limited to just under Nyquist; dt is its size as a float (never 0, so 1/dt is finite). */
DSP_INLINE void osc_coef(const int L, const float *restrict f, double inv_sr, int32_t *restrict inc,
                         float *restrict dt, float *restrict idt)
{
    for (int l = 0; l < L; l++) {
        double x = (double)f[l] * inv_sr;
        x = x < -0.5 ? -0.5 : (x > 0.4999999 ? 0.4999999 : x);
        x = x * 4294967296.0;
        int32_t i = (int32_t)(x < 0.0 ? x - 0.5 : x + 0.5);
        float d = dsp_max(dsp_abs((float)i) * (1.0f / OSC_TWO32), 1e-7f);
        inc[l] = i;
        dt[l] = d;
        idt[l] = 1.0f / d;
    }
}

/* PolyBLEP and PolyBLAMP residuals for an edge at phase 0, seen from phase q in [0, 1): x = q / dt
 * samples after the edge, y = (1 - q) / dt samples before the next one (never both below 1, as
 * dt <= 1/2). blep: what to add to a naive rising step of 2 (-1 to +1) to band-limit it;
 * blamp: the same for a corner, per unit of slope change per sample. */
DSP_INLINE float osc_blep(float q, float idt)
{
    float x = q * idt, y = idt - x;
    float ax = 1.0f - x, by = 1.0f - y;
    return (y < 1.0f ? by * by : 0.0f) - (x < 1.0f ? ax * ax : 0.0f);
}

DSP_INLINE float osc_blamp(float q, float idt)
{
    float x = q * idt, y = idt - x;
    float ax = 1.0f - x, by = 1.0f - y;
    return (x < 1.0f ? ax * ax * ax : 0.0f) * (1.0f / 6.0f) + (y < 1.0f ? by * by * by : 0.0f) * (1.0f / 6.0f);
}

/* sin(2 pi x) straight from the phase: read as signed, it is already in [-1/2, 1/2) of a period. */
DSP_INLINE float osc_sine(uint32_t u)
{
    float r = (float)(int32_t)u * (1.0f / OSC_TWO32);
    r = r > 0.25f ? 0.5f - r : r;
    r = r < -0.25f ? -0.5f - r : r;
    return dsp_sin2pi_folded(r);
}

/* One frame of every lane: output from the current phase, then advance it. */
DSP_INLINE void osc_lanes(const int L, const int shape, uint32_t *restrict ph, float *restrict pend,
                          const int32_t *restrict inc, const float *restrict dt, const float *restrict idt,
                          const float *restrict width, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        uint32_t u = ph[l];
        float p = (float)(int32_t)(u >> 8) * OSC_INV24, v;          /* [0, 1), exact */
        if (shape == OSC_SINE) {
            v = osc_sine(u);
        } else if (shape == OSC_SAW) {
            /* the naive ramp falls by 2 at phase 0: subtract a rising step's residual */
            v = 2.0f * p - 1.0f - osc_blep(p, idt[l]);
        } else if (shape == OSC_PULSE) {
            float w = dsp_clamp(width[l], 0.0f, 1.0f);
            float q = p - w;
            q = q < 0.0f ? q + 1.0f : q;
            float naive = p < w ? 1.0f : -1.0f;
            v = naive + osc_blep(p, idt[l]) - osc_blep(q, idt[l]);
        } else if (shape == OSC_TRI) {
            /* sine-aligned: 0 at phase 0, peak at 1/4 (a corner of slope change -8 per period), trough at 3/4 */
            float u4 = (float)(int32_t)((u + 0x40000000u) >> 8) * OSC_INV24;
            float naive = 1.0f - 4.0f * dsp_abs(u4 - 0.5f);
            float top = u4 >= 0.5f ? u4 - 0.5f : u4 + 0.5f;
            v = naive + (8.0f * dt[l]) * (osc_blamp(u4, idt[l]) - osc_blamp(top, idt[l]));
        } else if (shape == OSC_PHASOR) {
            v = p;
        } else {
            v = pend[l];
        }
        uint32_t nu = u + (uint32_t)inc[l];
        if (shape == OSC_IMPULSE) {
            /* the phase wrapped: overflow going forwards, underflow going backwards */
            int back = inc[l] < 0;
            pend[l] = ((nu < u) & !back) | ((nu > u) & back) ? 1.0f : 0.0f;
        }
        ph[l] = nu;
        y[l] = v;
    }
}

DSP_INLINE void osc_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int shape)
{
    DspIn fin, win;
    int32_t inc[DSP_MAX_LANES];
    float dt[DSP_MAX_LANES], idt[DSP_MAX_LANES], flast[DSP_MAX_LANES];
    const float half[DSP_MAX_LANES] = { 0 };
    uint32_t ph[DSP_MAX_LANES];     /* state in locals for the block: with 1-2 lanes it stays in registers */
    float pend[DSP_MAX_LANES];
    if (env->n <= 0) return;
    memcpy(ph, st + OSC_PHASE * L, sizeof(float) * L);
    if (shape == OSC_IMPULSE) memcpy(pend, st + OSC_PENDING * L, sizeof(float) * L);
    dsp_in_init(&fin, &in[0], L);
    if (shape == OSC_PULSE) dsp_in_init(&win, &in[1], L);
    int fconst = dsp_in_const(&fin);
    double inv_sr = 1.0 / (double)env->sr;
    float *y = out->x;
    /* increments once per block for a constant frequency, else whenever a lane's frequency moved */
    osc_coef(L, dsp_in_row(&fin, 0, L), inv_sr, inc, dt, idt);
    memcpy(flast, dsp_in_row(&fin, 0, L), sizeof(float) * L);
    for (int t = 0; t < env->n; t++) {
        if (!fconst) {
            const float *f = dsp_in_row(&fin, t, L);
            if (!dsp_row_same(f, flast, L)) {
                osc_coef(L, f, inv_sr, inc, dt, idt);
                memcpy(flast, f, sizeof(float) * L);
            }
        }
        const float *w = shape == OSC_PULSE ? dsp_in_row(&win, t, L) : half;
        osc_lanes(L, shape, ph, pend, inc, dt, idt, w, y + (size_t)t * L);
    }
    memcpy(st + OSC_PHASE * L, ph, sizeof(float) * L);
    if (shape == OSC_IMPULSE) memcpy(st + OSC_PENDING * L, pend, sizeof(float) * L);
}

#define OSC_PROCESS(fname, shape)                                                             \
    DSP_HOT static void fname(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)    \
    {                                                                                         \
        DSP_DISPATCH(OSC_BODY_##shape, st, in, out, env);                                     \
    }

#define OSC_BODY_OSC_SINE(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_SINE)
#define OSC_BODY_OSC_SAW(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_SAW)
#define OSC_BODY_OSC_PULSE(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_PULSE)
#define OSC_BODY_OSC_TRI(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_TRI)
#define OSC_BODY_OSC_PHASOR(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_PHASOR)
#define OSC_BODY_OSC_IMPULSE(s, i, o, e, L) osc_block(s, i, o, e, L, OSC_IMPULSE)

OSC_PROCESS(osc_sine_process, OSC_SINE)
OSC_PROCESS(osc_saw_process, OSC_SAW)
OSC_PROCESS(osc_pulse_process, OSC_PULSE)
OSC_PROCESS(osc_tri_process, OSC_TRI)
OSC_PROCESS(osc_phasor_process, OSC_PHASOR)
OSC_PROCESS(osc_impulse_process, OSC_IMPULSE)

/* square is a pulse of width 1/2: the same kernel with its width fixed */
DSP_HOT static void osc_square_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    float half = 0.5f;
    DspBuf pin[2] = { in[0], { &half, 1, DSP_CONST } };
    DSP_DISPATCH(OSC_BODY_OSC_PULSE, st, pin, out, env);
}

/* the first sample of an impulse train is an impulse */
static void osc_impulse_init(float *st, const DspEnv *env)
{
    for (int l = 0; l < env->lanes; l++) {
        st[OSC_PHASE * env->lanes + l] = 0.0f;
        st[OSC_PENDING * env->lanes + l] = 1.0f;
    }
}

#define OSC_KIND(var, nm, nin, in1, def1, ns, init_fn, proc, text)                                \
    const DspKind var = { .name = nm, .ninputs = nin, .inputs = { "freq", in1 },                  \
                          .defaults = { 1.0f, def1 }, .nstate = ns, .flags = DSPK_OSC,            \
                          .init = init_fn, .process = proc, .summary = text }

OSC_KIND(dsp_kind_sine, "sine", 1, NULL, 0, 1, NULL, osc_sine_process,
         "sine oscillator (freq): exact, starts at 0 rising");
OSC_KIND(dsp_kind_saw, "saw", 1, NULL, 0, 1, NULL, osc_saw_process,
         "band-limited sawtooth (freq): rises from -1 to 1, phase 0 is the start of the ramp");
OSC_KIND(dsp_kind_square, "square", 1, NULL, 0, 1, NULL, osc_square_process,
         "band-limited square (freq): +1 for the first half period, -1 for the second");
OSC_KIND(dsp_kind_pulse, "pulse", 2, "width", 0.5f, 1, NULL, osc_pulse_process,
         "band-limited pulse (freq, width 0.5): +1 for `width` of the period, then -1");
OSC_KIND(dsp_kind_tri, "tri", 1, NULL, 0, 1, NULL, osc_tri_process,
         "band-limited triangle (freq): 0 at phase 0, peak +1 at 1/4, -1 at 3/4");
OSC_KIND(dsp_kind_phasor, "phasor", 1, NULL, 0, 1, NULL, osc_phasor_process,
         "ramp from 0 to 1 once per period (freq), not band-limited: a control signal");
OSC_KIND(dsp_kind_impulse, "impulse", 1, NULL, 0, 2, osc_impulse_init, osc_impulse_process,
         "one sample of 1 at the start of every period (freq), 0 elsewhere");
