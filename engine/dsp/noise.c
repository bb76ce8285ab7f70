/* noise.c — white, pink and brown noise from a seeded generator per lane.
 * Never rand(): the sequence depends only on the node's seed and the lane, so renders repeat exactly. */
#include "kernel.h"

/* Field 0 of every noise kind is the generator: a 32-bit word kept in the float slot bit for bit.
 * It is copied like any state float (plain assignment or memcpy) but never computed with. */
enum { NOISE_RNG, NOISE_F1 };

DSP_INLINE void noise_put(float *slot, uint32_t u) { *slot = dsp_bits_float(u); }

/* One step of a full-period 32-bit LCG; its top 24 bits give a uniform value in [-1, 1). */
DSP_INLINE float noise_white(uint32_t *x)
{
    *x = *x * 1664525u + 1013904223u;
    return (float)(int32_t)(*x >> 8) * (1.0f / 8388608.0f) - 1.0f;
}

static void noise_init(float *st, const DspEnv *env)
{
    for (int l = 0; l < env->lanes; l++)
        noise_put(&st[NOISE_RNG * env->lanes + l], dsp_hash32(env->seed * 0x9E3779B9u + dsp_hash32((uint32_t)l + 1u)));
}

enum { NZ_WHITE, NZ_PINK, NZ_BROWN };

/* Pink: a sum of first-order lowpasses of white noise at spaced corner frequencies whose sum
 * approximates a -3 dB/octave slope (within ~0.5 dB from 10 Hz to 20 kHz at 44.1 kHz; the corners are
 * fixed per sample, so they move with other sample rates). Brown: white through a leaky integrator. */
DSP_INLINE void noise_lanes(const int L, const int kind, uint32_t *restrict rng, float *restrict b,
                            float *restrict y)
{
    for (int l = 0; l < L; l++) {
        uint32_t x = rng[l];
        float w = noise_white(&x);
        rng[l] = x;
        if (kind == NZ_WHITE) {
            y[l] = w;
        } else if (kind == NZ_PINK) {
            float b0 = 0.99886f * b[0 * L + l] + w * 0.0555179f;
            float b1 = 0.99332f * b[1 * L + l] + w * 0.0750759f;
            float b2 = 0.96900f * b[2 * L + l] + w * 0.1538520f;
            float b3 = 0.86650f * b[3 * L + l] + w * 0.3104856f;
            float b4 = 0.55000f * b[4 * L + l] + w * 0.5329522f;
            float b5 = -0.7616f * b[5 * L + l] - w * 0.0168980f;
            float sum = b0 + b1 + b2 + b3 + b4 + b5 + b[6 * L + l] + w * 0.5362f;
            b[0 * L + l] = b0;
            b[1 * L + l] = b1;
            b[2 * L + l] = b2;
            b[3 * L + l] = b3;
            b[4 * L + l] = b4;
            b[5 * L + l] = b5;
            b[6 * L + l] = w * 0.115926f;
            y[l] = sum * 0.11f;
        } else {
            float v = (b[l] + 0.02f * w) * (1.0f / 1.02f);
            b[l] = v;
            y[l] = v * 3.5f;
        }
    }
}

DSP_INLINE void noise_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int kind)
{
    (void)in;
    /* state in locals for the block: with 1-2 lanes it stays in registers */
    const int nf = kind == NZ_PINK ? 7 : (kind == NZ_BROWN ? 1 : 0);
    uint32_t rng[DSP_MAX_LANES];
    float b[7 * DSP_MAX_LANES];
    memcpy(rng, st + NOISE_RNG * L, sizeof(float) * L);
    dsp_copy(b, st + NOISE_F1 * L, nf * L);
    for (int t = 0; t < env->n; t++) noise_lanes(L, kind, rng, b, out->x + (size_t)t * L);
    memcpy(st + NOISE_RNG * L, rng, sizeof(float) * L);
    dsp_copy(st + NOISE_F1 * L, b, nf * L);
}

#define NOISE_BODY_W(s, i, o, e, L) noise_block(s, i, o, e, L, NZ_WHITE)
#define NOISE_BODY_P(s, i, o, e, L) noise_block(s, i, o, e, L, NZ_PINK)
#define NOISE_BODY_B(s, i, o, e, L) noise_block(s, i, o, e, L, NZ_BROWN)

DSP_HOT static void noise_white_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(NOISE_BODY_W, st, in, out, env);
}
DSP_HOT static void noise_pink_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(NOISE_BODY_P, st, in, out, env);
}
DSP_HOT static void noise_brown_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    DSP_DISPATCH(NOISE_BODY_B, st, in, out, env);
}

const DspKind dsp_kind_noise = {
    .name = "noise", .nstate = 1, .init = noise_init, .process = noise_white_process,
    .summary = "white noise, uniform in [-1, 1), seeded (the same program gives the same noise)",
};
const DspKind dsp_kind_pink = {
    .name = "pink", .nstate = 8, .init = noise_init, .process = noise_pink_process,
    .summary = "pink noise (-3 dB per octave), seeded",
};
const DspKind dsp_kind_brown = {
    .name = "brown", .nstate = 2, .init = noise_init, .process = noise_brown_process,
    .summary = "brown noise (-6 dB per octave above ~140 Hz), seeded",
};
