/* limiter.c — look-ahead peak limiting without distortion below the ceiling.
 *
 * For each incoming frame the gain it needs is r = min(1, ceiling / peak), where the peak is the larger
 * of the frame's samples and the true peak on both sides of it: the signal at the quarter-sample points
 * between it and its neighbours, interpolated by a 4x oversampling filter (a Kaiser-windowed sinc, 12
 * taps per phase). The gain applied is the mean, over W frames, of an envelope e that is never above
 * the minimum of r over the last W frames and recovers towards 1 with LIMITER_RELEASE. A frame is
 * measured once LIM_HALF frames after it are in, and leaves W - 1 frames after that, so every e in the
 * mean that scales it is at most its own r: the output never exceeds the ceiling (at the samples
 * exactly; between them to the filter's accuracy), and the gain moves as a W-frame ramp (2 ms), never
 * a step. With no frame over the ceiling e stays exactly 1 and the mean is exactly 1 (the sum is kept
 * in double, where W floats of at least 2^-20 add exactly), so the mix passes bit for bit.
 * Must never: allocate, lock or log in limiter_frame. */
#include "limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LIMITER_MIN_GAIN 1e-6f
#define LIM_HALF 6              /* the true-peak filter reads 6 frames either side */
#define LIM_TAPS (2 * LIM_HALF)
#define LIM_PHASES 3            /* quarter, half and three-quarter sample points */

/* Four floats as one SSE/NEON register (a GCC/Clang vector type: plain arithmetic, exact IEEE per lane). */
typedef float LimV4 __attribute__((vector_size(16)));

struct Limiter {
    int w;                  /* look-ahead frames */
    int size;               /* ring length (frames): w + LIM_TAPS + 4 */
    float *x;               /* interleaved input ring, kept twice over (2 * size frames) */
    long pos;               /* frames written */
    int cur;                /* pos % size, kept without a division */
    float *qv;              /* sliding minimum of r: a monotonic queue of values and their frames */
    long *qi;
    int qh, qn, qmask;      /* the queue's capacity is a power of two >= w */
    int slot;               /* where the next e goes in box */
    float *box;             /* the last w values of e, and their sum */
    double sum;
    float e, rel;
    float mid_prev;         /* the true peak between the frame being measured and the one before */
    LimV4 fir[LIM_TAPS][2];   /* per tap: phase 1 L R, phase 2 L R | phase 3 L R, 0 0 */
    int zero;               /* no look-ahead */
    float g;                /* the gain the last frame out was given */
};

static double lim_bessel_i0(double x)
{
    double sum = 1, term = 1;
    for (int k = 1; k < 30; k++) term *= (x / (2 * k)) * (x / (2 * k)), sum += term;
    return sum;
}

/* The interpolator at fraction p/4 between taps LIM_HALF-1 and LIM_HALF: sinc(t) times a Kaiser window
 * (beta 6) over the 12 taps; each phase normalised to unity gain at DC. */
static void lim_fir(Limiter *lm)
{
    const double beta = 6.0;
    for (int p = 0; p < LIM_PHASES; p++) {
        double frac = (p + 1) / 4.0, sum = 0, h[LIM_TAPS];
        for (int j = 0; j < LIM_TAPS; j++) {
            double t = (double)(j - (LIM_HALF - 1)) - frac;         /* distance from the point */
            double u = t / (LIM_HALF + 0.0);
            double win = fabs(u) < 1 ? lim_bessel_i0(beta * sqrt(1 - u * u)) / lim_bessel_i0(beta) : 0;
            double sinc = t == 0 ? 1 : sin(M_PI * t) / (M_PI * t);
            h[j] = sinc * win;
            sum += sinc * win;
        }
        for (int j = 0; j < LIM_TAPS; j++) {
            float *row = (float *)&lm->fir[j][0];        /* the two vectors as eight floats */
            row[2 * p] = row[2 * p + 1] = (float)(h[j] / sum);
        }
    }
}

Limiter *limiter_new(double sr, double lookahead)
{
    Limiter *lm = calloc(1, sizeof *lm);
    if (!lm) return NULL;
    int w = (int)lround((lookahead > 0 ? lookahead : 0) * (sr > 0 ? sr : 44100));
    lm->zero = w < 1;
    lm->w = w < 1 ? 1 : (w > 8192 ? 8192 : w);
    lm->size = lm->w + LIM_TAPS + 4;
    lm->x = calloc((size_t)lm->size * 4, sizeof(float));   /* every frame twice: see lim_between */
    int cap = 1;
    while (cap < lm->w + 1) cap *= 2;       /* w + 1 entries for a moment */
    lm->qmask = cap - 1;
    lm->qv = calloc((size_t)cap, sizeof(float));
    lm->qi = calloc((size_t)cap, sizeof(long));
    lm->box = calloc((size_t)lm->w, sizeof(float));
    if (!lm->x || !lm->qv || !lm->qi || !lm->box) {
        limiter_free(lm);
        return NULL;
    }
    for (int i = 0; i < lm->w; i++) lm->box[i] = 1.0f;
    lm->sum = lm->w;
    lm->e = 1.0f;
    lm->pos = lm->size;             /* frames before the first are the ring's zeros: indices stay >= 0 */
    lm->cur = 0;
    lm->rel = (float)(1.0 - exp(-1.0 / (LIMITER_RELEASE * (sr > 0 ? sr : 44100))));
    lim_fir(lm);
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

int limiter_latency(const Limiter *lm) { return lm->zero ? 0 : lm->w + LIM_HALF - 1; }

float limiter_gain(const Limiter *lm) { return lm->g; }

static inline float lim_abs(float x) { return x < 0 ? -x : x; }

/* Input sample of channel c, `back` frames before the newest. */
static inline float lim_at(const Limiter *lm, int back, int c)
{
    int last = lm->cur == 0 ? lm->size - 1 : lm->cur - 1;         /* the newest frame's place */
    return lm->x[(size_t)(last + lm->size - back) * 2 + (size_t)c];
}

/* The true peak between frames k and k + 1, k = LIM_HALF - 1 frames before the newest minus one: the
 * largest magnitude at the three quarter-sample points, both channels. The ring keeps every frame twice
 * (at f % size and f % size + size), so the 12 frames around the point are contiguous. */
static inline float lim_between(const Limiter *lm)
{
    int last = lm->cur == 0 ? lm->size - 1 : lm->cur - 1;
    const float *w = lm->x + (size_t)(last + lm->size - (LIM_TAPS - 1)) * 2;
    LimV4 a0 = { 0, 0, 0, 0 }, a1 = { 0, 0, 0, 0 };
    for (int j = 0; j < LIM_TAPS; j++) {        /* all six points at once: two 4-wide vectors per tap */
        LimV4 x = { w[2 * j], w[2 * j + 1], w[2 * j], w[2 * j + 1] };
        a0 += lm->fir[j][0] * x;
        a1 += lm->fir[j][1] * x;
    }
    float acc[8];
    memcpy(acc, &a0, sizeof a0);
    memcpy(acc + 4, &a1, sizeof a1);
    float m = 0;
    for (int q = 0; q < 6; q++) {
        float v = lim_abs(acc[q]);
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
    lm->g = e;
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
    size_t at = (size_t)lm->cur * 2, twin = at + (size_t)lm->size * 2;
    lm->x[at] = lm->x[twin] = *l;
    lm->x[at + 1] = lm->x[twin + 1] = *r;
    lm->pos = n + 1;
    lm->cur = lm->cur + 1 == lm->size ? 0 : lm->cur + 1;
    /* measure frame k = n - LIM_HALF: its samples and the true peak on both sides */
    float mid = lim_between(lm);
    float pk = lim_abs(lim_at(lm, LIM_HALF, 0));
    float pr = lim_abs(lim_at(lm, LIM_HALF, 1));
    pk = pr > pk ? pr : pk;
    pk = mid > pk ? mid : pk;
    pk = lm->mid_prev > pk ? lm->mid_prev : pk;
    lm->mid_prev = mid;
    float need = pk > LIMITER_CEILING ? LIMITER_CEILING / pk : 1.0f;
    need = need > LIMITER_MIN_GAIN ? need : LIMITER_MIN_GAIN;
    /* sliding minimum over the last w frames measured */
    long k = n - LIM_HALF;
    int mask = lm->qmask;
    while (lm->qn > 0 && lm->qv[(lm->qh + lm->qn - 1) & mask] >= need) lm->qn--;
    lm->qv[(lm->qh + lm->qn) & mask] = need;
    lm->qi[(lm->qh + lm->qn) & mask] = k;
    lm->qn++;
    while (lm->qi[lm->qh] <= k - lm->w) lm->qh = (lm->qh + 1) & mask, lm->qn--;
    float hold = lm->qv[lm->qh];
    /* the envelope: down at once to the held minimum, back up with the release */
    float e = lm->e + (1.0f - lm->e) * lm->rel;
    e = e > 0.99999f ? 1.0f : e;
    e = hold < e ? hold : e;
    lm->e = e;
    int slot = lm->slot;
    lm->slot = slot + 1 == lm->w ? 0 : slot + 1;
    lm->sum += (double)e - (double)lm->box[slot];
    lm->box[slot] = e;
    float g = (float)(lm->sum / lm->w);
    lm->g = g;
    /* out: frame k - w + 1, the oldest whose every gain in the mean is known */
    float ol = lim_at(lm, lm->w + LIM_HALF - 1, 0) * g, orr = lim_at(lm, lm->w + LIM_HALF - 1, 1) * g;
    /* rounding of the mean can only leave ~1e-7 over: keep the promise exactly */
    *l = lim_clamp(ol);
    *r = lim_clamp(orr);
}
