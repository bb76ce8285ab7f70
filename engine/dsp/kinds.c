/* kinds.c — the registry of node kinds and the small helpers dsp.h promises.
 * Lookup by name happens when a program is compiled, never on the audio path. */
#include <string.h>

#include "kernel.h"

extern const DspKind dsp_kind_sine, dsp_kind_saw, dsp_kind_square, dsp_kind_pulse, dsp_kind_tri,
    dsp_kind_phasor, dsp_kind_impulse, dsp_kind_noise, dsp_kind_pink, dsp_kind_brown, dsp_kind_lpf,
    dsp_kind_hpf, dsp_kind_bpf, dsp_kind_notch, dsp_kind_moog, dsp_kind_adsr, dsp_kind_ar, dsp_kind_perc,
    dsp_kind_add, dsp_kind_sub, dsp_kind_mul, dsp_kind_div, dsp_kind_neg, dsp_kind_mix, dsp_kind_clip,
    dsp_kind_abs, dsp_kind_mtof, dsp_kind_distort, dsp_kind_delay, dsp_kind_chorus, dsp_kind_reverb,
    dsp_kind_bitcrush, dsp_kind_compressor, dsp_kind_limiter, dsp_kind_pan;

const DspKind *const dsp_kinds[] = {
    /* oscillators (osc.c) and noise (noise.c) */
    &dsp_kind_sine, &dsp_kind_saw, &dsp_kind_square, &dsp_kind_pulse, &dsp_kind_tri, &dsp_kind_phasor,
    &dsp_kind_impulse, &dsp_kind_noise, &dsp_kind_pink, &dsp_kind_brown,
    /* filters (filter.c) and envelopes (env.c) */
    &dsp_kind_lpf, &dsp_kind_hpf, &dsp_kind_bpf, &dsp_kind_notch, &dsp_kind_moog,
    &dsp_kind_adsr, &dsp_kind_ar, &dsp_kind_perc,
    /* math (math.c) */
    &dsp_kind_add, &dsp_kind_sub, &dsp_kind_mul, &dsp_kind_div, &dsp_kind_neg, &dsp_kind_mix,
    &dsp_kind_clip, &dsp_kind_abs, &dsp_kind_mtof,
    /* effects (math.c, delay.c, reverb.c, fx.c) */
    &dsp_kind_distort, &dsp_kind_delay, &dsp_kind_chorus, &dsp_kind_reverb, &dsp_kind_bitcrush,
    &dsp_kind_compressor, &dsp_kind_limiter, &dsp_kind_pan,
    NULL,
};

const DspKind *dsp_find(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; dsp_kinds[i]; i++)
        if (strcmp(dsp_kinds[i]->name, name) == 0) return dsp_kinds[i];
    return NULL;
}

int dsp_state_floats(const DspKind *k, float sr)
{
    return k->state_floats ? k->state_floats(sr) : k->nstate;
}

int dsp_state_floats_lanes(const DspKind *k, float sr, int lanes)
{
    (void)lanes;
    return dsp_state_floats(k, sr);
}

const float *dsp_full(const DspBuf *b, float *scratch, int n, int lanes)
{
    if (!(b->flags & DSP_CONST) && b->lanes == lanes) return b->x;
    for (int t = 0; t < n; t++)
        for (int l = 0; l < lanes; l++) scratch[(size_t)t * lanes + l] = dsp_at(b, t, l);
    return scratch;
}

int dsp_all_const(const DspBuf *in, int ninputs)
{
    for (int i = 0; i < ninputs; i++)
        if (!(in[i].flags & DSP_CONST)) return 0;
    return 1;
}
