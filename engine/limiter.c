/* limiter.c — look-ahead peak limiting without distortion below the ceiling.
 *
 * For each incoming frame the gain it needs is r = min(1, ceiling / peak), where the peak is the larger
 * of the frame's samples and the half-sample points on either side (a 4-point estimate of the peak
 * between samples). The gain applied is the mean, over W frames, of an envelope e that is never above
 * the minimum of r over the last W frames and recovers towards 1 with LIMITER_RELEASE. A frame is
 * measured once the frame after it is in, and leaves W - 1 frames after that, so every e in the mean that scales it is at most its own r: the
 * output never exceeds the ceiling, and the gain moves as a W-frame ramp (2 ms), never a step.
 * With no frame over the ceiling e stays exactly 1 and the mean is exactly 1 (the sum is kept in
 * double, where W floats of at least 2^-20 add exactly), so the mix passes bit for bit. */
#include "limiter.h"

#include <math.h>
#include <stdlib.h>

#define LIMITER_MIN_GAIN 1e-6f

struct Limiter {
    int w;                  /* look-ahead frames */
    int size;               /* ring length (frames): w + 4 */
    float *x;               /* interleaved input ring */
    long pos;               /* frames written */
    float *qv;              /* sliding minimum of r: a monotonic queue of values and their frames */
    long *qi;
    int qh, qn;
    float *box;             /* the last w values of e, and their sum */
    double sum;
    float e, rel;
    float mid_prev;         /* the half-sample peak before the frame being measured */
    int zero;               /* no look-ahead */
};

Limiter *limiter_new(double sr, double lookahead)
{
    Limiter *lm = calloc(1, sizeof *lm);
    if (!lm) return NULL;
    int w = (int)lround((lookahead > 0 ? lookahead : 0) * (sr > 0 ? sr : 44100));
    lm->zero = w < 1;
    lm->w = w < 1 ? 1 : (w > 8192 ? 8192 : w);
    lm->size = lm->w + 4;
    lm->x = calloc((size_t)lm->size * 2, sizeof(float));
    lm->qv = calloc((size_t)lm->w, sizeof(float));
    lm->qi = calloc((size_t)lm->w, sizeof(long));
    lm->box = calloc((size_t)lm->w, sizeof(float));
    if (!lm->x || !lm->qv || !lm->qi || !lm->box) {
        limiter_free(lm);
        return NULL;
    }
    for (int i = 0; i < lm->w; i++) lm->box[i] = 1.0f;
    lm->sum = lm->w;
    lm->e = 1.0f;
    lm->pos = lm->size;             /* frames before the first are the ring's zeros: indices stay >= 0 */
    lm->rel = (float)(1.0 - exp(-1.0 / (LIMITER_RELEASE * (sr > 0 ? sr : 44100))));
    return lm;
}

void limiter_free(Limiter *lm)
{
    if (!lm) return;
    free(lm->x);
    free(lm->qv);
    free(lm->qi);
    free(lm->box);
    free(lm);
}

int limiter_latency(const Limiter *lm) { return lm->zero ? 0 : lm->w + 1; }

static inline float lim_abs(float x) { return x < 0 ? -x : x; }

/* Input sample of channel c, `back` frames before the newest. */
static inline float lim_at(const Limiter *lm, int back, int c)
{
    long f = lm->pos - 1 - back;
    return lm->x[(size_t)(f % lm->size) * 2 + (size_t)c];
}

/* The peak at the half-sample point between frames back+1 and back (4-point Hermite: (-a + 9b + 9c - d) / 16). */
static inline float lim_mid(const Limiter *lm, int back)
{
    float m = 0;
    for (int c = 0; c < 2; c++) {
        float a = lim_at(lm, back + 2, c), b = lim_at(lm, back + 1, c), cc = lim_at(lm, back, c),
              d = lim_at(lm, back - 1, c);
        float v = lim_abs((9.0f * (b + cc) - a - d) * (1.0f / 16.0f));
        m = v > m ? v : m;
    }
    return m;
}

static inline float lim_clamp(float x)
{
    return x > LIMITER_CEILING ? LIMITER_CEILING : (x < -LIMITER_CEILING ? -LIMITER_CEILING : x);
}

/* Without look-ahead: the frame's own samples set the gain at once, the release brings it back. */
static void lim_frame_now(Limiter *lm, float *l, float *r)
{
    float pk = lim_abs(*l), pr = lim_abs(*r);
    pk = pr > pk ? pr : pk;
    float need = pk > LIMITER_CEILING ? LIMITER_CEILING / pk : 1.0f;
    need = need > LIMITER_MIN_GAIN ? need : LIMITER_MIN_GAIN;
    float e = lm->e + (1.0f - lm->e) * lm->rel;
    e = e > 0.99999f ? 1.0f : e;
    e = need < e ? need : e;
    lm->e = e;
    if (e == 1.0f) return;
    *l = lim_clamp(*l * e);
    *r = lim_clamp(*r * e);
}

void limiter_frame(Limiter *lm, float *l, float *r)
{
    if (lm->zero) {
        lim_frame_now(lm, l, r);
        return;
    }
    long n = lm->pos;
    lm->x[(size_t)(n % lm->size) * 2] = *l;
    lm->x[(size_t)(n % lm->size) * 2 + 1] = *r;
    lm->pos = n + 1;
    /* measure frame k = n - 2: its samples and the half-sample points on both sides */
    float mid = lim_mid(lm, 1);
    float pk = lim_abs(lim_at(lm, 2, 0));
    float pr = lim_abs(lim_at(lm, 2, 1));
    pk = pr > pk ? pr : pk;
    pk = mid > pk ? mid : pk;
    pk = lm->mid_prev > pk ? lm->mid_prev : pk;
    lm->mid_prev = mid;
    float need = pk > LIMITER_CEILING ? LIMITER_CEILING / pk : 1.0f;
    need = need > LIMITER_MIN_GAIN ? need : LIMITER_MIN_GAIN;
    /* sliding minimum over the last w frames measured */
    long k = n - 2;
    while (lm->qn > 0 && lm->qv[(lm->qh + lm->qn - 1) % lm->w] >= need) lm->qn--;
    if (lm->qn == lm->w) lm->qh = (lm->qh + 1) % lm->w, lm->qn--;
    lm->qv[(lm->qh + lm->qn) % lm->w] = need;
    lm->qi[(lm->qh + lm->qn) % lm->w] = k;
    lm->qn++;
    while (lm->qi[lm->qh] <= k - lm->w) lm->qh = (lm->qh + 1) % lm->w, lm->qn--;
    float hold = lm->qv[lm->qh];
    /* the envelope: down at once to the held minimum, back up with the release */
    float e = lm->e + (1.0f - lm->e) * lm->rel;
    e = e > 0.99999f ? 1.0f : e;
    e = hold < e ? hold : e;
    lm->e = e;
    int slot = (int)(k % lm->w);
    lm->sum += (double)e - (double)lm->box[slot];
    lm->box[slot] = e;
    float g = (float)(lm->sum / lm->w);
    /* out: frame k - w + 1, the oldest whose every gain in the mean is known */
    float ol = lim_at(lm, lm->w + 1, 0) * g, orr = lim_at(lm, lm->w + 1, 1) * g;
    /* rounding of the mean can only leave ~1e-7 over: keep the promise exactly */
    *l = lim_clamp(ol);
    *r = lim_clamp(orr);
}
