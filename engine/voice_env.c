/* voice_env.c — voice envelopes as short tables of affine segments (y <- m*y + b), so that a lane group
 * can run 32 of them side by side and a sample voice can fill a block's gains without per-frame branches. */
#include "voice_impl.h"

#include <math.h>

#define VENV_SAMPLE_CURVE (-3.0)        /* SuperDirt's Env.linen curve */
#define VENV_RELEASE_CURVE (-5.0)       /* instrument release: exponential-like, reaches 0 at its end */

int venv_fade_frames(double sr, double seconds)
{
    long f = lround(seconds * sr);
    return f < 1 ? 1 : f > 1000000 ? 1000000 : (int)f;
}

static int venv_frames(double sr, double seconds)
{
    double f = seconds * sr;
    if (!(f > 0)) return 0;             /* also NaN */
    if (f > (double)(VENV_FOREVER / 2)) return VENV_FOREVER / 2;
    return (int)lround(f);
}

static void venv_push(VEnvTable *e, int len, float m, float b0, float bk, int set_y, float y0, int gate)
{
    if (e->nseg >= VENV_MAXSEG) return;
    VEnvSeg *s = &e->seg[e->nseg++];
    s->len = len;
    s->m = m;
    s->b0 = b0;
    s->bk = bk;
    s->set_y = (uint8_t)set_y;
    s->y0 = y0;
    s->gate = (uint8_t)gate;
}

/* The table's silent tail (VEnvTable.tail), after everything else. */
static void venv_push_tail(VEnvTable *e)
{
    if (e->tail > 0) venv_push(e, e->tail, 0, 0, 0, 1, 0.0f, 0);
}

/* A curved segment from the entry level to `to` over len frames (SuperCollider's curve shape):
 * y_k = y + (to - y) * (1 - e^(c k/len)) / (1 - e^c), written as an affine recurrence. */
static void venv_push_curve(VEnvTable *e, int len, double curve, float to, int set_y, float y0, int gate)
{
    double g = exp(curve / len);
    double d = 1.0 / (1.0 - exp(curve));        /* (to - y) * d is the curve's scale */
    /* y' = g*y + (1-g)*(y + (to - y)*d) = g*y + (1-g)*(1-d)*y + (1-g)*d*to */
    float bk = (float)((1.0 - g) * (1.0 - d));
    float b0 = (float)((1.0 - g) * d * to);
    venv_push(e, len, (float)g, b0, bk, set_y, y0, gate);
}

/* Sample voices: `total` frames in all. Without has_env: a fade-in when the read starts inside the
 * file, full level, and a fade-out when it stops inside the file. With has_env: SuperDirt's
 * Env.linen(attack, hold, release), cut short (with the fade) if the voice ends first. */
void venv_sample(VEnvTable *e, double sr, long long total, int fade_in, int fade_out, bool has_env,
                 float attack, float hold, float release)
{
    e->nseg = 0;
    if (total > VENV_FOREVER / 2) total = VENV_FOREVER / 2;
    int cap = (int)(0.19 * (double)total);      /* SuperDirt clips fades to 0.19 of the duration */
    if (cap < 1) cap = 1;
    if (fade_in > cap) fade_in = cap;
    if (fade_out > cap) fade_out = cap;
    int body = (int)total - fade_out;           /* frames before the closing fade */

    VEnvTable env = { .nseg = 0 };
    if (has_env) {
        int a = venv_frames(sr, attack), h = venv_frames(sr, hold), r = venv_frames(sr, release);
        if (a < fade_in) a = fade_in;
        if (a > 0) venv_push_curve(&env, a, VENV_SAMPLE_CURVE, 1.0f, 1, 0.0f, 1);
        if (h > 0) venv_push(&env, h, 1, 0, 0, 1, 1.0f, 1);
        if (r > 0) venv_push_curve(&env, r, VENV_SAMPLE_CURVE, 0.0f, 1, 1.0f, 0);
        else venv_push(&env, 0, 0, 0, 0, 1, 0.0f, 0);   /* release 0: silent after the hold */
    } else {
        if (fade_in > 0) venv_push(&env, fade_in, 1, 1.0f / (float)fade_in, 0, 1, 0.0f, 1);
        venv_push(&env, body - fade_in, 1, 0, 0, 1, 1.0f, 1);
    }
    /* keep the body, cut at `body` frames */
    int at = 0;
    for (int i = 0; i < env.nseg && at < body; i++) {
        VEnvSeg s = env.seg[i];
        if (s.len > body - at) s.len = body - at;
        e->seg[e->nseg++] = s;
        at += s.len;
    }
    if (at >= body && fade_out > 0) venv_push(e, fade_out, 1, 0, -1.0f / (float)fade_out, 0, 0, 0);
    venv_push_tail(e);
}

/* Instrument voices: silent until the onset (wait frames), linear attack, hold, then a release shaped
 * like an exponential that reaches 0 at its end. The release begins `length` seconds after the onset
 * (or after attack + hold when length <= 0), from whatever level the attack had reached. */
void venv_instrument(VEnvTable *e, double sr, int wait, float attack, float hold, float release, double length)
{
    e->nseg = 0;
    int a = venv_frames(sr, attack), h = venv_frames(sr, hold), r = venv_frames(sr, release);
    long long until = length > 0 ? (long long)venv_frames(sr, length) : (long long)a + h;
    if (until > VENV_FOREVER / 2) until = VENV_FOREVER / 2;
    venv_push(e, wait, 0, 0, 0, 1, 0.0f, 0);
    int attack_len = a < until ? a : (int)until;
    if (attack_len > 0) venv_push(e, attack_len, 1, 1.0f / (float)a, 0, 1, 0.0f, 1);
    bool full = until >= a;
    if (full) venv_push(e, (int)(until - a), 1, 0, 0, 1, 1.0f, 1);
    if (r < 1) r = 1;
    venv_push_curve(e, r, VENV_RELEASE_CURVE, 0.0f, full, 1.0f, 0);
    venv_push_tail(e);
}

void venv_start(const VEnvTable *e, VEnvRun *r)
{
    r->y = 0;
    r->cur = -1;
    venv_next(e, r);
}

void venv_next(const VEnvTable *e, VEnvRun *r)
{
    for (;;) {
        r->cur++;
        if (r->cur >= e->nseg) {
            r->cur = e->nseg;
            r->y = r->m = r->b = r->gate = 0;
            r->left = VENV_FOREVER;
            return;
        }
        const VEnvSeg *s = &e->seg[r->cur];
        if (s->set_y) r->y = s->y0;
        if (s->len <= 0) continue;
        r->m = s->m;
        r->b = s->b0 + s->bk * r->y;
        r->gate = s->gate;
        r->left = s->len;
        return;
    }
}

void venv_kill(VEnvTable *e, VEnvRun *r, int fade)
{
    if (r->cur >= e->nseg) return;
    if (fade < 1) fade = 1;
    e->nseg = 0;
    venv_push(e, fade, 1, 0, -1.0f / (float)fade, 0, 0, 0);
    venv_push_tail(e);
    r->cur = -1;
    venv_next(e, r);
}

void venv_fill(VEnvRun *r, float *amp, int n)
{
    float y = r->y, m = r->m, b = r->b;
    if (m == 1.0f && b == 0.0f) {
        for (int i = 0; i < n; i++) amp[i] = y;
    } else if (m == 1.0f) {
        for (int i = 0; i < n; i++) amp[i] = fmaxf(y + (float)i * b, 0.0f);
        y += (float)n * b;
    } else {
        for (int i = 0; i < n; i++) {
            amp[i] = fmaxf(y, 0.0f);
            y = y * m + b;
        }
    }
    r->y = y;
    r->left -= n;
}
