/* osc_impl.h — the oscillators' lane loops (osc.c), shared with the kernels that run an oscillator
 * fused with the filter it feeds (fused.c). Private to engine/dsp/; everything here is inline. */
#ifndef PHONON_DSP_OSC_IMPL_H
#define PHONON_DSP_OSC_IMPL_H

#include "kernel.h"
#include "blep_table.h"

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

/* sin(2 pi x) straight from the phase: read as signed, it is already in [-1/2, 1/2) of a period. */
DSP_INLINE float osc_sine(uint32_t u)
{
    float r = (float)(int32_t)u * (1.0f / OSC_TWO32);
    r = r > 0.25f ? 0.5f - r : r;
    r = r < -0.25f ? -0.5f - r : r;
    return dsp_sin2pi_folded(r);
}

/* The increments as unsigned adds and their directions as signs, for the band-limited lane loop. */
DSP_INLINE void osc_dir(const int L, const int32_t *restrict inc, uint32_t *restrict uinc, float *restrict dir)
{
    for (int l = 0; l < L; l++) {
        uinc[l] = (uint32_t)inc[l];
        dir[l] = inc[l] < 0 ? -1.0f : 1.0f;
    }
}

/* Every lane's phase runs forwards (dir is +1 or -1). */
DSP_INLINE int osc_forwards(const int L, const float *restrict dir)
{
    int all = 1;
    for (int l = 0; l < L; l++) all &= dir[l] > 0.0f;
    return all;
}

/* ---- band-limited shapes: a linear-phase step and corner at every edge ---------------------------
 * saw, square, pulse and tri are the naive waveform plus, at each discontinuity (step) or corner, the
 * difference between a band-limited step/ramp (blep_table.h: a Kaiser-windowed sinc 2 * BLEP_D samples long)
 * and the ideal one. That residual reaches BLEP_D samples before the edge, so the lane runs its phase
 * OSC_LEAD samples ahead of what it outputs and keeps the samples not yet out in a ring of OSC_RING_N
 * fields; a fresh lane (OSC_STARTED 0) first runs those OSC_LEAD samples at its first frequency, so its
 * output still starts at phase 0 on its first frame. Between blocks the ring is kept in canonical order
 * (field OSC_RING + s holds the sample due s frames from now), so a lane's state can be copied on its own.
 * Chosen by measurement over polyBLEP (-24 dB aliases at 5 kHz, -7.8 dB at 17.6 kHz) and a 2x oversampled
 * polyBLEP: see docs/DSP.md for the figures. */

enum { OSC_STARTED = 1, OSC_RING = 2, OSC_RING_N = 2 * BLEP_D, OSC_LEAD = BLEP_D - 1 };
#define OSC_BL_NSTATE (OSC_RING + OSC_RING_N)

/* Add amp times the residual of a step (ramp = 0) or of a corner of one unit of slope per sample (ramp = 1)
 * that happened f in [0, 1) samples before the sample OSC_LEAD frames after the ring's slot base; slots
 * below `from` (samples already out, while a fresh lane catches up) are skipped. Edges are rare (one or
 * two per period), so this runs per lane and per edge rather than in the lane loop: the residual's taps
 * are one vector (a row of the table and the next), then added into the lane's ring slots. */
DSP_INLINE void osc_edge(float *ring, const int L, int l, int base, int from, float f, float amp, const int ramp)
{
    float x = dsp_clamp(f, 0.0f, 0.99999f) * (float)BLEP_OS;
    int i0 = (int)x;
    float w = x - (float)i0, w0 = amp * (1.0f - w), w1 = amp * w;
    const float *p0 = (ramp ? blep_ramp : blep_step)[i0], *p1 = p0 + OSC_RING_N;
    float r[OSC_RING_N];
    for (int j = 0; j < OSC_RING_N; j++) {
        float ideal = j < BLEP_D ? 0.0f : (ramp ? (float)(j - BLEP_D) + f : 1.0f);
        r[j] = w0 * p0[j] + w1 * p1[j] - amp * ideal;
    }
    for (int j = from; j < OSC_RING_N; j++) ring[(size_t)((base + j) & (OSC_RING_N - 1)) * (size_t)L + (size_t)l] += r[j];
}

/* Time since a lane's phase passed the edge at phase e going from u to nu (forwards when dir > 0), in
 * samples, or -1 if it did not. (Written with unsigned compares and float selects only: gcc 12 does not
 * vectorise the lane loop around a signed/unsigned conversion here.) */
DSP_INLINE float osc_cross(uint32_t u, uint32_t nu, uint32_t e, float dir, float idt)
{
    uint32_t a = u - e, b = nu - e;
    float fb = dsp_bits_float(0x3F800000u | (b >> 9)) - 1.0f;     /* [0, 1) from the top 23 bits */
    float since = (dir > 0.0f ? fb : 1.0f - fb) * idt;
    int hit = dir > 0.0f ? b < a : b > a;
    return hit ? since : -1.0f;
}

/* Whether the phase passed the edge at e going from u to nu: osc_cross's test alone. The lane loop needs
 * no more (osc_cross's time is >= 0 exactly when it is true: idt is finite and positive), and without the
 * time, which only the few lanes with an edge compute again, it is a compare per lane. */
DSP_INLINE int osc_hit(uint32_t u, uint32_t nu, uint32_t e, float dir)
{
    uint32_t a = u - e, b = nu - e;
    return dir > 0.0f ? b < a : b > a;
}

/* The phases of a shape's edges, as osc_naive places them. */
DSP_INLINE uint32_t osc_edge0(const int shape) { return shape == OSC_TRI ? 0x40000000u : 0; }
DSP_INLINE uint32_t osc_edge1(const int shape, float width)
{
    if (shape == OSC_TRI) return 0xC0000000u;
    float w = dsp_clamp(width, 0.0f, 1.0f);
    return (uint32_t)(int32_t)((w - 0.5f) * 4294967040.0f) + 0x80000000u;
}

/* The naive value at phase u and the edges met on the way to nu: up to two per sample (amplitudes ea, times
 * since them ef; amplitude 0 = none). For tri the amplitudes are slope changes per sample (corners). */
DSP_INLINE float osc_naive(const int shape, uint32_t u, uint32_t nu, float dir, float dt, float idt, float width,
                           float *ea0, float *ef0, float *ea1, float *ef1)
{
    float v, f0, f1, a0, a1;
    if (shape == OSC_SAW) {
        v = 2.0f * ((float)(int32_t)(u >> 8) * OSC_INV24) - 1.0f;
        f0 = osc_cross(u, nu, 0, dir, idt), a0 = -2.0f * dir;
        f1 = -1.0f, a1 = 0.0f;
    } else if (shape == OSC_PULSE) {
        float w = dsp_clamp(width, 0.0f, 1.0f);
        uint32_t wq = (uint32_t)(int32_t)((w - 0.5f) * 4294967040.0f) + 0x80000000u;
        v = u < wq ? 1.0f : -1.0f;
        f0 = osc_cross(u, nu, 0, dir, idt), a0 = 2.0f * dir;
        f1 = osc_cross(u, nu, wq, dir, idt), a1 = -2.0f * dir;
    } else {
        /* sine-aligned: 0 at phase 0, peak at 1/4 (a corner of slope change -8 per period), trough at 3/4 */
        float u4 = (float)(int32_t)((u + 0x40000000u) >> 8) * OSC_INV24;
        v = 1.0f - 4.0f * dsp_abs(u4 - 0.5f);
        f0 = osc_cross(u, nu, 0x40000000u, dir, idt), a0 = -8.0f * dt;
        f1 = osc_cross(u, nu, 0xC0000000u, dir, idt), a1 = 8.0f * dt;
    }
    *ea0 = f0 >= 0.0f ? a0 : 0.0f, *ef0 = f0;
    *ea1 = f1 >= 0.0f ? a1 : 0.0f, *ef1 = f1;
    return v;
}

/* The edges of frame t for the lanes in mask (they met one on the way to ph): when and how strong, added
 * into the ring. Visiting only those lanes costs nothing per frame when no lane has one (most frames). */
DSP_INLINE void osc_bl_edges(const int L, const int shape, float *restrict ring, const uint32_t *restrict ph,
                             const uint32_t *restrict inc, const float *restrict dir, const float *restrict dt,
                             const float *restrict idt, const float *restrict width, int t, uint32_t mask)
{
    for (; mask; mask &= mask - 1) {
        int l = __builtin_ctz(mask);
        float a0, a1, f0, f1;
        uint32_t u = ph[l] - inc[l];
        osc_naive(shape, u, ph[l], dir[l], dt[l], idt[l], width[l], &a0, &f0, &a1, &f1);
        if (a0 != 0.0f) osc_edge(ring, L, l, t, 0, f0, a0, shape == OSC_TRI);
        if (a1 != 0.0f) osc_edge(ring, L, l, t, 0, f1, a1, shape == OSC_TRI);
    }
}

/* One frame t of every lane of a band-limited shape: the naive sample OSC_LEAD ahead goes into the ring with
 * its edges, the sample due now comes out. The lane loop only marks the lanes that met an edge (bit masks m0,
 * m1 for the shape's first and second edge); for those few, osc_naive runs again on their own to say when and
 * how strong (the same operations, so the same values). */
DSP_INLINE void osc_bl_lanes(const int L, const int shape, const int fwd, float *restrict ring, uint32_t *restrict ph,
                             const uint32_t *restrict inc, const float *restrict dir, const float *restrict dt,
                             const float *restrict idt,
                             const float *restrict width, int t, float *restrict y)
{
    uint32_t h0[DSP_MAX_LANES], h1[DSP_MAX_LANES], m0 = 0, m1 = 0;
    float *in = ring + (size_t)((t + OSC_LEAD) & (OSC_RING_N - 1)) * L;
    float *out = ring + (size_t)(t & (OSC_RING_N - 1)) * L;
    for (int l = 0; l < L; l++) {
        uint32_t u = ph[l], nu = u + inc[l];
        float a0, f0, a1, f1, d = fwd ? 1.0f : dir[l];
        in[l] += osc_naive(shape, u, nu, d, dt[l], idt[l], width[l], &a0, &f0, &a1, &f1);
        h0[l] = (uint32_t)osc_hit(u, nu, osc_edge0(shape), d) << l;
        if (shape != OSC_SAW) h1[l] = (uint32_t)osc_hit(u, nu, osc_edge1(shape, width[l]), d) << l;
        ph[l] = nu;
    }
    for (int l = 0; l < L; l++) m0 |= h0[l];
    if (shape != OSC_SAW)
        for (int l = 0; l < L; l++) m1 |= h1[l];
    osc_bl_edges(L, shape, ring, ph, inc, dir, dt, idt, width, t, m0 | m1);
    /* the sample due now, out of the ring; in whole vectors when the lanes allow (gcc makes a plain copy
       loop a call to memcpy and one to memset, per frame) */
    int l0 = 0;
    for (; l0 + 16 <= L; l0 += 16) {
        clones_f16 v, z = { 0 };
        memcpy(&v, out + l0, sizeof v);
        memcpy(y + l0, &v, sizeof v);
        memcpy(out + l0, &z, sizeof z);
    }
    for (int l = l0; l < L; l++) {
        y[l] = out[l];
        out[l] = 0.0f;
    }
}

/* A fresh lane runs its first OSC_LEAD samples (at the first frame's frequency and width) into the ring. */
DSP_INLINE void osc_bl_start(const int L, const int shape, float *st, uint32_t *ph, const int32_t *inc, const float *dt,
                         const float *idt, const float *width)
{
    float *ring = st + OSC_RING * L;
    for (int l = 0; l < L; l++) {
        if (st[OSC_STARTED * L + l] != 0.0f) continue;
        st[OSC_STARTED * L + l] = 1.0f;
        for (int k = 0; k < OSC_LEAD; k++) {
            float ea0, ef0, ea1, ef1;
            uint32_t u = ph[l], nu = u + (uint32_t)inc[l];
            float dir = inc[l] < 0 ? -1.0f : 1.0f;
            ring[(size_t)k * L + l] += osc_naive(shape, u, nu, dir, dt[l], idt[l], width[l], &ea0, &ef0, &ea1, &ef1);
            ph[l] = nu;
            if (ea0 != 0.0f) osc_edge(ring, L, l, k - OSC_LEAD, OSC_LEAD - k, ef0, ea0, shape == OSC_TRI);
            if (ea1 != 0.0f) osc_edge(ring, L, l, k - OSC_LEAD, OSC_LEAD - k, ef1, ea1, shape == OSC_TRI);
        }
    }
}

/* Back to canonical order after n frames: the slot due next becomes field OSC_RING. */
static inline void osc_bl_rotate(const int L, float *ring, int n)
{
    int r = n & (OSC_RING_N - 1);
    if (r == 0) return;
    float tmp[OSC_RING_N * DSP_MAX_LANES];
    memcpy(tmp, ring, sizeof(float) * (size_t)OSC_RING_N * (size_t)L);
    for (int s = 0; s < OSC_RING_N; s++)
        memcpy(ring + (size_t)s * L, tmp + (size_t)((s + r) & (OSC_RING_N - 1)) * L, sizeof(float) * (size_t)L);
}

/* One frame of every lane of the shapes that need no ring: output from the current phase, then advance it. */
DSP_INLINE void osc_lanes(const int L, const int shape, uint32_t *restrict ph, float *restrict pend,
                          const int32_t *restrict inc, float *restrict y)
{
    for (int l = 0; l < L; l++) {
        uint32_t u = ph[l];
        float v;
        if (shape == OSC_SINE) v = osc_sine(u);
        else if (shape == OSC_PHASOR) v = (float)(int32_t)(u >> 8) * OSC_INV24;
        else v = pend[l];
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

/* The increments, directions and whether every lane runs forwards, for the frequency row f, kept in
 * flast for comparing the rows after it: a block's set-up, and again whenever a lane's frequency moves. */
DSP_INLINE int osc_tune(const int L, const float *restrict f, double inv_sr, int32_t *restrict inc,
                        float *restrict dt, float *restrict idt, uint32_t *restrict uinc, float *restrict dir,
                        float *restrict flast)
{
    osc_coef(L, f, inv_sr, inc, dt, idt);
    osc_dir(L, inc, uinc, dir);
    memcpy(flast, f, sizeof(float) * L);
    return osc_forwards(L, dir);
}

/* saw, pulse (and square) and tri: the shapes with a ring of band-limited edges */
DSP_INLINE int osc_bandlimited(const int shape) { return shape == OSC_SAW || shape == OSC_PULSE || shape == OSC_TRI; }

#endif
