/* reverb.c — a stereo room reverb in the manner of Freeverb (Jezar's public-domain design).
 * Its comb and allpass lines are node state, sized from the sample rate by the kind's state_floats hook. */
#include "kernel.h"

/* Per output channel: 8 parallel lowpass-feedback combs, then 4 series allpasses; the right channel's
 * lines are 23 samples longer (at 44.1 kHz) than the left's, which decorrelates them. Line lengths
 * scale with the sample rate so the room sounds the same at any rate. The input is the mono sum. */

#define REV_COMBS 8
#define REV_APS 4
#define REV_LINES (REV_COMBS + REV_APS)
#define REV_INGAIN 0.015f
#define REV_WETGAIN 3.0f

static const int rev_base[REV_LINES] = { 1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617, 556, 441, 341, 225 };
#define REV_SPREAD 23

/* State of one instance, in fields (stride L): for each channel, the position in each line and the
 * lowpass memory of each comb; then every line's samples, channel 0's lines first. */
enum { REV_POS = 0, REV_FILT = 2 * REV_LINES, REV_HEADER = REV_FILT + 2 * REV_COMBS };

typedef struct RevLayout {
    int len[2 * REV_LINES];
    int off[2 * REV_LINES];             /* first field of each line */
    int total;
} RevLayout;

static void rev_layout(float sr, RevLayout *lay)
{
    int off = REV_HEADER;
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < REV_LINES; i++) {
            int n = (int)((float)(rev_base[i] + c * REV_SPREAD) * (sr / 44100.0f) + 0.5f);
            n = n < 1 ? 1 : n;
            lay->len[c * REV_LINES + i] = n;
            lay->off[c * REV_LINES + i] = off;
            off += n;
        }
    lay->total = off;
}

static int rev_state_floats(float sr)
{
    RevLayout lay;
    rev_layout(sr, &lay);
    return lay.total;
}

/* One sample of one channel of the instance at lane l: the combs in parallel, the allpasses in series.
 * pos[] holds this instance's line positions, kept as ints for the block. */
static inline float rev_channel(float *restrict st, int L, int l, const RevLayout *lay, int *restrict pos,
                                int c, float x, float fb, float damp)
{
    float sum = 0.0f;
    for (int i = 0; i < REV_COMBS; i++) {
        int li = c * REV_LINES + i;
        float *filt = &st[(size_t)(REV_FILT + c * REV_COMBS + i) * L + l];
        float *s = &st[(size_t)(lay->off[li] + pos[li]) * L + l];
        float y = *s;
        float f = dsp_flush(y * (1.0f - damp) + *filt * damp);
        *filt = f;
        *s = dsp_flush(x + f * fb);
        pos[li] = pos[li] + 1 >= lay->len[li] ? 0 : pos[li] + 1;
        sum += y;
    }
    for (int i = 0; i < REV_APS; i++) {
        int li = c * REV_LINES + REV_COMBS + i;
        float *s = &st[(size_t)(lay->off[li] + pos[li]) * L + l];
        float b = *s;
        *s = dsp_flush(sum + b * 0.5f);
        sum = b - sum;
        pos[li] = pos[li] + 1 >= lay->len[li] ? 0 : pos[li] + 1;
    }
    return sum;
}

DSP_HOT static void reverb_process(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)
{
    const int L = env->lanes;
    RevLayout lay;
    rev_layout(env->sr, &lay);
    DspIn x, room, damp, mix;
    dsp_in_init(&x, &in[0], L);
    dsp_in_init(&room, &in[1], L);
    dsp_in_init(&damp, &in[2], L);
    dsp_in_init(&mix, &in[3], L);
    int stereo = out->lanes == 2 && L <= 2;
    int inst = stereo ? 1 : L;          /* instances: one fed the mono sum, or one per lane */
    for (int l = 0; l < inst; l++) {
        int pos[2 * REV_LINES];
        for (int i = 0; i < 2 * REV_LINES; i++) {
            int p = (int)dsp_clamp(st[(size_t)(REV_POS + i) * L + l], 0.0f, (float)(lay.len[i] - 1));
            pos[i] = p;
        }
        for (int t = 0; t < env->n; t++) {
            const float *xr = dsp_in_row(&x, t, L), *rr = dsp_in_row(&room, t, L);
            const float *dr = dsp_in_row(&damp, t, L), *mr = dsp_in_row(&mix, t, L);
            float fb = 0.7f + 0.28f * dsp_clamp(rr[l], 0.0f, 1.0f);
            float dm = 0.4f * dsp_clamp(dr[l], 0.0f, 1.0f);
            float m = dsp_clamp(mr[l], 0.0f, 1.0f);
            float dl = xr[l], dright = stereo && L == 2 ? xr[1] : xr[l];
            float mono = stereo && L == 2 ? 0.5f * (dl + dright) : dl;
            float wl = REV_WETGAIN * rev_channel(st, L, l, &lay, pos, 0, mono * REV_INGAIN, fb, dm);
            float wr = REV_WETGAIN * rev_channel(st, L, l, &lay, pos, 1, mono * REV_INGAIN, fb, dm);
            if (stereo) {
                out->x[2 * t] = dl * (1.0f - m) + wl * m;
                out->x[2 * t + 1] = dright * (1.0f - m) + wr * m;
            } else {
                out->x[(size_t)t * L + l] = dl * (1.0f - m) + 0.5f * (wl + wr) * m;
            }
        }
        for (int i = 0; i < 2 * REV_LINES; i++) st[(size_t)(REV_POS + i) * L + l] = (float)pos[i];
    }
}

const DspKind dsp_kind_reverb = {
    .name = "reverb", .ninputs = 4, .inputs = { "in", "room", "damp", "mix" },
    .defaults = { NAN, 0.5f, 0.5f, 0.3f }, .nstate = 28000, .out_lanes = 2, .flags = DSPK_FILTER,
    .process = reverb_process, .state_floats = rev_state_floats,
    .summary = "stereo room reverb (in, room 0.5, damp 0.5, mix 0.3): Freeverb-style combs and allpasses",
};
