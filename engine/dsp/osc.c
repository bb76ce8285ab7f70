/* osc.c — oscillators: sine, saw, square, pulse, tri (band-limited), phasor and impulse.
 * Phase starts at 0 (a chord's voices may start it elsewhere: DSPK_PHASE); the frequency may be negative
 * (the phase runs backwards). No libm, no branches per lane. The lane loops are in osc_impl.h. */
#include "osc_impl.h"

DSP_INLINE void osc_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int shape)
{
    DspIn fin, win;
    int32_t inc[DSP_MAX_LANES];
    float dt[DSP_MAX_LANES], idt[DSP_MAX_LANES], flast[DSP_MAX_LANES];
    const float half[DSP_MAX_LANES] = { 0 };
    uint32_t ph[DSP_MAX_LANES];     /* state in locals for the block: with 1-2 lanes it stays in registers */
    float pend[DSP_MAX_LANES];
    const int bl = osc_bandlimited(shape);
    if (env->n <= 0) return;
    memcpy(ph, st + OSC_PHASE * L, sizeof(float) * L);
    if (shape == OSC_IMPULSE) memcpy(pend, st + OSC_PENDING * L, sizeof(float) * L);
    dsp_in_init(&fin, &in[0], L);
    if (shape == OSC_PULSE) dsp_in_init(&win, &in[1], L);
    int fconst = dsp_in_const(&fin);
    double inv_sr = 1.0 / (double)env->sr;
    float *y = out->x;
    /* increments once per block for a constant frequency, else whenever a lane's frequency moved */
    uint32_t uinc[DSP_MAX_LANES];
    float dir[DSP_MAX_LANES];
    int fwd = osc_tune(L, dsp_in_row(&fin, 0, L), inv_sr, inc, dt, idt, uinc, dir, flast);
    if (bl) osc_bl_start(L, shape, st, ph, inc, dt, idt, shape == OSC_PULSE ? dsp_in_row(&win, 0, L) : half);
    for (int t = 0; t < env->n; t++) {
        if (!fconst) {
            const float *f = dsp_in_row(&fin, t, L);
            if (!dsp_row_same(f, flast, L)) fwd = osc_tune(L, f, inv_sr, inc, dt, idt, uinc, dir, flast);
        }
        if (bl) {
            const float *w = shape == OSC_PULSE ? dsp_in_row(&win, t, L) : half;
            /* every lane going forwards (the usual case): the direction's selects fold away */
            if (fwd) osc_bl_lanes(L, shape, 1, st + OSC_RING * L, ph, uinc, dir, dt, idt, w, t, y + (size_t)t * L);
            else osc_bl_lanes(L, shape, 0, st + OSC_RING * L, ph, uinc, dir, dt, idt, w, t, y + (size_t)t * L);
        } else {
            osc_lanes(L, shape, ph, pend, inc, y + (size_t)t * L);
        }
    }
    if (bl) osc_bl_rotate(L, st + OSC_RING * L, env->n);
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

/* PH: DSPK_PHASE for the audio oscillators (a chord's notes start them at decorrelated phases); the
 * phasor and the impulse train are control signals and always start at 0 */
#define OSC_KIND(var, nm, nin, in1, def1, ns, init_fn, proc, PH, text)                            \
    const DspKind var = { .name = nm, .ninputs = nin, .inputs = { "freq", in1 },                  \
                          .defaults = { 1.0f, def1 }, .nstate = ns, .flags = DSPK_OSC | (PH),     \
                          .init = init_fn, .process = proc, .summary = text }

OSC_KIND(dsp_kind_sine, "sine", 1, NULL, 0, 1, NULL, osc_sine_process, DSPK_PHASE,
         "sine oscillator (freq): exact, starts at 0 rising");
OSC_KIND(dsp_kind_saw, "saw", 1, NULL, 0, OSC_BL_NSTATE, NULL, osc_saw_process, DSPK_PHASE,
         "band-limited sawtooth (freq): rises from -1 to 1, phase 0 is the start of the ramp");
OSC_KIND(dsp_kind_square, "square", 1, NULL, 0, OSC_BL_NSTATE, NULL, osc_square_process, DSPK_PHASE,
         "band-limited square (freq): +1 for the first half period, -1 for the second");
OSC_KIND(dsp_kind_pulse, "pulse", 2, "width", 0.5f, OSC_BL_NSTATE, NULL, osc_pulse_process, DSPK_PHASE,
         "band-limited pulse (freq, width 0.5): +1 for `width` of the period, then -1");
OSC_KIND(dsp_kind_tri, "tri", 1, NULL, 0, OSC_BL_NSTATE, NULL, osc_tri_process, DSPK_PHASE,
         "band-limited triangle (freq): 0 at phase 0, peak +1 at 1/4, -1 at 3/4");
OSC_KIND(dsp_kind_phasor, "phasor", 1, NULL, 0, 1, NULL, osc_phasor_process, 0,
         "ramp from 0 to 1 once per period (freq), not band-limited: a control signal");
OSC_KIND(dsp_kind_impulse, "impulse", 1, NULL, 0, 2, osc_impulse_init, osc_impulse_process, 0,
         "one sample of 1 at the start of every period (freq), 0 elsewhere");
