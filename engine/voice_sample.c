/* voice_sample.c — sample voices: 4-point (cubic Hermite) interpolated playback of a region, either way, looped, with
 * accelerate, an envelope and an equal-power pan. Hot loops run along time and vectorise; audio path only. */
#include "clones.h"
#include "voice_impl.h"

#include <math.h>
#include <string.h>

#define VS_LOW (-2.0)                   /* the phase may start this far before the region (sub-frame onsets) */
#define VS_LO_MIN (-3)                  /* the lowest frame a span is indexed from (it reads one below) */
#define VOICE_END_FADE_SECONDS 0.001    /* SuperDirt's fade at the end of a file */

/* ---- kernels: read position x = x0 + t*fv + t(t-1)/2*fa frames past d ----------------------- */

/* 4-point, 3rd-order Hermite (Catmull-Rom) between d[i] and d[i + 1]: reads d[i - 1] .. d[i + 2]. As
 * SuperCollider's cubic interpolation (SuperDirt plays with it); linear interpolation left spurs at -30 to
 * -36 dB for a 5 kHz tone at speeds 0.79 and 1.37 (docs/SAMPLES.md has the figures). */
#define VS_HERMITE(T)                                                                  \
    T c1 = 0.5f * (c - a);                                                             \
    T c2 = a - 2.5f * b + 2.0f * c - 0.5f * e;                                         \
    T c3 = 0.5f * (e - a) + 1.5f * (b - c);                                            \
    return ((c3 * f + c2) * f + c1) * f + b

static inline __attribute__((always_inline)) float vs_interp(const float *restrict d, int i, float f)
{
    float a = d[i - 1], b = d[i], c = d[i + 1], e = d[i + 2];
    VS_HERMITE(float);
}

CLONES
static void vs_mono(const float *restrict d, float x0, float fv, float fa, const float *restrict amp,
                    float gl, float gr, float *restrict L, float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float ft = (float)t;
        float x = x0 + ft * fv + ft * (ft - 1.0f) * 0.5f * fa;
        int i = (int)x;
        float f = x - (float)i;
        float s = vs_interp(d, i, f) * amp[t];
        L[t] += s * gl;
        R[t] += s * gr;
    }
}

/* constant level, constant rate: the common case */
CLONES
static void vs_mono_flat(const float *restrict d, float x0, float fv, float gl, float gr, float *restrict L,
                         float *restrict R, int from, int n)
{
    for (int t = from; t < n; t++) {
        float x = x0 + (float)t * fv;
        int i = (int)x;
        float f = x - (float)i;
        float s = vs_interp(d, i, f);
        L[t] += s * gl;
        R[t] += s * gr;
    }
}

CLONES
static void vs_stereo_flat(const float *restrict d0, const float *restrict d1, float x0, float fv, float gl,
                           float gr, float *restrict L, float *restrict R, int from, int n)
{
    for (int t = from; t < n; t++) {
        float x = x0 + (float)t * fv;
        int i = (int)x;
        float f = x - (float)i;
        L[t] += vs_interp(d0, i, f) * gl;
        R[t] += vs_interp(d1, i, f) * gr;
    }
}

/* ---- the flat kernels on AVX-512: 16 frames from one window ----------------------------------
 * Sixteen reads at a constant rate lie within 15 * rate + 4 consecutive frames: at most 32 up to a rate
 * of ~1.8, 48 up to ~2.9. One window of two (or three) registers, permuted four times, then gives every
 * d[i - 1] .. d[i + 2]: about three times as fast as the four gathers the loops above compile to. The
 * reads and the arithmetic are the loops above's, so the bits are theirs; from the first 16 frames whose
 * reads span more than three registers, the loop above's own code finishes the span. The window reaches
 * at most 30 frames past the highest read (two registers at the narrowest span): BANK_PAD covers it. */
#ifdef CLONES_WIDE_ON
typedef clones_f16 vs_f16;
typedef clones_i16 vs_i16;

enum { VS_SPAN2 = 28, VS_SPAN3 = 44 };  /* i[15] - i[0] at most for a window of 2, 3 registers */

/* x in every lane (x - 0 is x exactly, -0 included) */
CLONES_WIDE static inline __attribute__((always_inline)) vs_f16 vs_splat(float x)
{
    return x - (vs_f16){ 0 };
}

CLONES_WIDE static inline __attribute__((always_inline)) vs_f16 vs_hermite16(vs_f16 a, vs_f16 b, vs_f16 c,
                                                                             vs_f16 e, vs_f16 f)
{
    VS_HERMITE(vs_f16);
}

/* The reads of frames t .. t+15: their offsets from the lowest, lo, their fractions, and how far they
 * span. */
CLONES_WIDE static inline __attribute__((always_inline)) int vs_at16(float x0, float fv, const bool back, int t,
                                                                    vs_i16 *rel, vs_f16 *f, int *lo)
{
    const vs_f16 ramp = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    vs_f16 x = x0 + (ramp + (float)t) * fv;        /* (float)(t + k) exactly, as the loop's (float)t */
    vs_i16 i = __builtin_convertvector(x, vs_i16);  /* x >= 0: truncation is the floor, as (int)x */
    int first = i[0], last = i[15], a = back ? last : first;       /* x is monotonic in t */
    *f = x - __builtin_convertvector(i, vs_f16);
    *rel = i - a;
    *lo = a;
    return back ? first - last : last - first;
}

/* d[lo - 1 + q] in each lane, q < 48, from a window of three registers */
CLONES_WIDE static inline __attribute__((always_inline)) vs_f16 vs_pick3(vs_f16 w0, vs_f16 w1, vs_f16 w2, vs_i16 q)
{
    vs_i16 a = (vs_i16)__builtin_shuffle(w0, w1, q), b = (vs_i16)__builtin_shuffle(w1, w2, q - 16);
    vs_i16 low = q < 32;
    return (vs_f16)((a & low) | (b & ~low));
}

CLONES_WIDE static inline __attribute__((always_inline)) vs_f16 vs_read16(const float *restrict d, int lo, int span,
                                                                         vs_i16 rel, vs_f16 f)
{
    vs_f16 w0, w1, w2, a, b, c, e;
    memcpy(&w0, d + lo - 1, sizeof w0);
    memcpy(&w1, d + lo + 15, sizeof w1);
    if (span <= VS_SPAN2) {
        a = __builtin_shuffle(w0, w1, rel), b = __builtin_shuffle(w0, w1, rel + 1);
        c = __builtin_shuffle(w0, w1, rel + 2), e = __builtin_shuffle(w0, w1, rel + 3);
    } else {
        memcpy(&w2, d + lo + 31, sizeof w2);
        a = vs_pick3(w0, w1, w2, rel), b = vs_pick3(w0, w1, w2, rel + 1);
        c = vs_pick3(w0, w1, w2, rel + 2), e = vs_pick3(w0, w1, w2, rel + 3);
    }
    return vs_hermite16(a, b, c, e, f);
}

CLONES_WIDE static inline __attribute__((always_inline)) void vs_add16(float *restrict out, vs_f16 s, vs_f16 g)
{
    vs_f16 o;
    memcpy(&o, out, sizeof o);
    o += s * g;
    memcpy(out, &o, sizeof o);
}

/* One flat span, mono (d1 unread) or stereo, read forwards or backwards (back: fv < 0; a constant, so
 * that each direction is its own loop): 16 frames at a time while the window holds their reads. */
CLONES_WIDE static inline __attribute__((always_inline)) int vs_flat16_dir(const float *restrict d0,
                                                                          const float *restrict d1, bool stereo,
                                                                          const bool back, float x0, float fv,
                                                                          float gl, float gr, float *restrict L,
                                                                          float *restrict R, int n)
{
    const vs_f16 vgl = vs_splat(gl), vgr = vs_splat(gr);
    int t = 0;
    for (; t + 16 <= n; t += 16) {
        vs_i16 rel;
        vs_f16 f;
        int lo, span = vs_at16(x0, fv, back, t, &rel, &f, &lo);
        if (span > VS_SPAN3) break;
        vs_f16 s = vs_read16(d0, lo, span, rel, f);
        vs_add16(L + t, s, vgl);
        vs_add16(R + t, stereo ? vs_read16(d1, lo, span, rel, f) : s, vgr);
    }
    return t;                           /* the frames done; the loop above plays the rest */
}

CLONES_WIDE static inline __attribute__((always_inline)) int vs_flat16(const float *restrict d0,
                                                                      const float *restrict d1, bool stereo,
                                                                      float x0, float fv, float gl, float gr,
                                                                      float *restrict L, float *restrict R, int n)
{
    return fv < 0 ? vs_flat16_dir(d0, d1, stereo, true, x0, fv, gl, gr, L, R, n)
                  : vs_flat16_dir(d0, d1, stereo, false, x0, fv, gl, gr, L, R, n);
}

CLONES_WIDE static void vs_mono_flat_wide(const float *restrict d, float x0, float fv, float gl, float gr,
                                          float *restrict L, float *restrict R, int n)
{
    int t = vs_flat16(d, d, false, x0, fv, gl, gr, L, R, n);
    if (t < n) vs_mono_flat(d, x0, fv, gl, gr, L, R, t, n);
}

CLONES_WIDE static void vs_stereo_flat_wide(const float *restrict d0, const float *restrict d1, float x0,
                                            float fv, float gl, float gr, float *restrict L, float *restrict R,
                                            int n)
{
    int t = vs_flat16(d0, d1, true, x0, fv, gl, gr, L, R, n);
    if (t < n) vs_stereo_flat(d0, d1, x0, fv, gl, gr, L, R, t, n);
}
#endif

/* A flat span of one voice: mono or stereo, on the wide kernels where the machine has them. */
static void vs_flat(bool wide, const float *d0, const float *d1, bool stereo, float x0, float fv, float gl,
                    float gr, float *L, float *R, int n)
{
#ifdef CLONES_WIDE_ON
    if (wide) {
        if (stereo) vs_stereo_flat_wide(d0, d1, x0, fv, gl, gr, L, R, n);
        else vs_mono_flat_wide(d0, x0, fv, gl, gr, L, R, n);
        return;
    }
#endif
    (void)wide;
    if (stereo) vs_stereo_flat(d0, d1, x0, fv, gl, gr, L, R, 0, n);
    else vs_mono_flat(d0, x0, fv, gl, gr, L, R, 0, n);
}

CLONES
static void vs_stereo(const float *restrict d0, const float *restrict d1, float x0, float fv, float fa,
                      const float *restrict amp, float gl, float gr, float *restrict L, float *restrict R, int n)
{
    for (int t = 0; t < n; t++) {
        float ft = (float)t;
        float x = x0 + ft * fv + ft * (ft - 1.0f) * 0.5f * fa;
        int i = (int)x;
        float f = x - (float)i;
        float e = amp[t];
        L[t] += vs_interp(d0, i, f) * e * gl;
        R[t] += vs_interp(d1, i, f) * e * gr;
    }
}

CLONES
static void vs_raw(const float *restrict d, float x0, float fv, float fa, float *restrict out, int n)
{
    for (int t = 0; t < n; t++) {
        float ft = (float)t;
        float x = x0 + ft * fv + ft * (ft - 1.0f) * 0.5f * fa;
        int i = (int)x;
        float f = x - (float)i;
        out[t] = vs_interp(d, i, f);
    }
}

static void vs_mix(const float *restrict x, const float *restrict amp, float g, float *restrict out, int n)
{
    for (int t = 0; t < n; t++) out[t] += x[t] * amp[t] * g;
}

static inline double vs_max(double a, double b) { return a > b ? a : b; }
/* floor() of a position (|x| far below 2^62): the baseline build would call libm for it */
static inline long vs_floor(double x)
{
    long i = (long)x;
    return (double)i > x ? i - 1 : i;
}
static inline double vs_min(double a, double b) { return a < b ? a : b; }

/* ---- setup ---------------------------------------------------------------------------- */

static float vs_clamp01(float x) { return x > 0 ? (x < 1 ? x : 1) : 0; }

/* begin and end arrive as floats: 0.2f * 1000 is 200.0000029. Snap what is meant to be a frame. */
static double vs_snap(double x)
{
    double r = round(x);
    return fabs(x - r) < 1e-3 ? r : x;
}

bool vsample_setup(VoicePool *vp, Voice *v, const VoiceStart *vs)
{
    const Sample *sm = vs->sample;
    double sr = vp->cfg.sr;
    if (sm->frames < 1 || !sm->ch[0]) return false;
    float b = vs_clamp01(vs->begin), e = vs_clamp01(vs->end);
    if (e < b) { float t = b; b = e; e = t; }
    double rb = vs_snap(b * (double)sm->frames), re = vs_snap(e * (double)sm->frames), len = re - rb;
    double rate = vs->rate, acc = isfinite(vs->accelerate) ? vs->accelerate : 0;
    if (!(len >= 1) || !(fabs(rate) > 1e-6) || !isfinite(rate)) return false;

    /* duration: SuperDirt's calcTimeSpan, with the average speed over an accelerating voice */
    int loop = vs->loop > 1 ? vs->loop : 1;
    double avg = (fabs(rate) + fabs(rate * (1 + acc))) / 2;
    if (avg < 1e-6) avg = fabs(rate);
    double natural = len * loop / avg;
    long long total = (long long)ceil(natural - 1e-6);
    bool shortened = false;
    if (vs->length > 0) {
        long long cut = llround(vs->length * sr);
        if (cut < total) {
            total = cut;
            shortened = true;
        }
    }
    if (total < 8) return false;        /* SuperDirt drops voices shorter than 8 samples */

    bool rev = rate < 0;
    v->smp = sm;
    v->len = len;
    v->dir = rev ? -1.0f : 1.0f;
    v->base = rev ? re - 1 : rb;
    v->vel = (float)fabs(rate);
    v->acc = (float)(fabs(rate) * acc / (double)total);
    double frac = vs->frac > 0 && vs->frac < 1 ? vs->frac : 0;
    v->ph = -frac * v->vel;             /* the true onset is frac of a frame after the first frame */
    if (v->ph < VS_LOW) v->ph = VS_LOW;

    /* fades where the read starts or stops inside the file */
    bool starts_inside = rev ? e < 1 : b > 0;
    bool ends_inside = shortened || (rev ? b > 0 : e < 1);
    int fade_in = starts_inside ? venv_fade_frames(sr, VOICE_FADE_IN_SECONDS) : 0;
    /* a read that reaches the file's end still closes with SuperDirt's 1 ms, so a sound cut off in its
       recording does not click */
    int fade_out = ends_inside ? vp->fade : venv_fade_frames(sr, VOICE_END_FADE_SECONDS);
    venv_sample(&v->tab, sr, total, fade_in, fade_out, vs->has_env, vs->attack, vs->hold, vs->release);
    venv_start(&v->tab, &v->env);

    float pan = vs_clamp01(isfinite(vs->pan) ? vs->pan : 0.5f);
    float gain = isfinite(vs->gain) ? vs->gain : 0;
    double c = sin((1 - pan) * M_PI / 2), s = sin(pan * M_PI / 2);     /* exactly 0 and 1 at the ends */
    if (sm->channels >= 2 && sm->ch[1]) {
        /* stereo keeps its image: centre is unity on both sides, pan attenuates one side */
        c = vs_min(1.0, M_SQRT2 * c);
        s = vs_min(1.0, M_SQRT2 * s);
    }
    v->gl = (float)(gain * c);
    v->gr = (float)(gain * s);
    return true;
}

/* ---- render -------------------------------------------------------------------------- */

/* Frames (<= span, >= 1) during which the phase stays inside [VS_LOW, len): no wrap in the kernel. */
static int vs_wrap_limit(const Voice *v, int span)
{
    double up = v->len - v->ph, down = v->ph - VS_LOW;
    double v0 = v->vel, v1 = v->vel + (double)v->acc * span;
    double mpos = vs_max(0, vs_max(v0, v1)), mneg = vs_max(0, vs_max(-v0, -v1));
    /* far from both ends (nearly every span): the quotients below would exceed span by a whole frame,
       which no rounding undoes, so they need not be computed */
    double reach = (double)span + 1;
    if (mpos * reach <= up && mneg * reach <= down) return span;
    int k = span;
    if (mpos > 0) {
        double kp = ceil(up / mpos);
        if (kp < k) k = (int)kp;
    }
    if (mneg > 0) {
        double kn = floor(down / mneg) + 1;
        if (kn < k) k = (int)kn;
    }
    return k < 1 ? 1 : k;
}

static void vs_advance(Voice *v, int n)
{
    double dn = n;
    v->ph += dn * v->vel + (double)v->acc * dn * (dn - 1) / 2;
    v->vel += (float)n * v->acc;
    while (v->ph >= v->len) v->ph -= v->len;
    while (v->ph < VS_LOW) v->ph += v->len;
}

/* Play n frames into L, R. flat: the level is `level` throughout (no amp buffer). */
static void vs_play(const VoicePool *vp, Voice *v, VoiceFx *fx, VoiceScratch *s, bool flat, float level, float *L, float *R, int n)
{
    const Sample *sm = v->smp;
    double p0 = v->base + v->dir * v->ph;
    float fv = v->dir * v->vel, fa = v->dir * v->acc;
    /* index the kernel from just below the lowest position of the span, so x stays small and >= 0 */
    double fv_end = (double)fv + (double)fa * n;
    double down = vs_max(0, vs_max(-(double)fv, -fv_end)) * n;
    long lo = vs_floor(p0 - down) - 1;
    if (lo < VS_LO_MIN) lo = VS_LO_MIN;
    float x0 = (float)(p0 - (double)lo);
    bool stereo = sm->channels >= 2 && sm->ch[1] && sm->ch[1] != sm->ch[0];
    const float *d0 = sm->ch[0] + lo, *d1 = stereo ? sm->ch[1] + lo : d0;

    if (!v->has_fx) {
        if (flat && fa == 0) {
            vs_flat(vp->wide, d0, d1, stereo, x0, fv, level * v->gl, level * v->gr, L, R, n);
            return;
        }
        if (flat)
            for (int t = 0; t < n; t++) s->amp[t] = level;
        if (stereo) vs_stereo(d0, d1, x0, fv, fa, s->amp, v->gl, v->gr, L, R, n);
        else vs_mono(d0, x0, fv, fa, s->amp, v->gl, v->gr, L, R, n);
        return;
    }
    /* effects come before the envelope and the pan, as in SuperDirt */
    if (flat)
        for (int t = 0; t < n; t++) s->amp[t] = level;
    vs_raw(d0, x0, fv, fa, s->sig[0], n);
    vfx_run(fx, s->sig[0], 0, n);
    if (stereo) {
        vs_raw(d1, x0, fv, fa, s->sig[1], n);
        vfx_run(fx, s->sig[1], 1, n);
    }
    vfx_tick_coarse(fx, n);
    if (fx->flags & VFX_LESLIE) {
        /* leslie works on what the voice plays, after the envelope and the pan (a mono voice: both
           channels from channel 0, into sig[1] first, which a mono voice leaves free) */
        float *a = s->sig[0], *b = s->sig[1];
        const float *src = stereo ? s->sig[1] : s->sig[0];
        for (int t = 0; t < n; t++) {
            b[t] = src[t] * s->amp[t] * v->gr;
            a[t] = a[t] * s->amp[t] * v->gl;
        }
        vfx_leslie(fx, a, b, n);
        for (int t = 0; t < n; t++) L[t] += a[t], R[t] += b[t];
        return;
    }
    vs_mix(s->sig[0], s->amp, v->gl, L, n);
    vs_mix(s->sig[stereo ? 1 : 0], s->amp, v->gr, R, n);
}

/* ---- the held path ---------------------------------------------------------------------- */

/* A held voice (begun, nothing pending, no effects, a constant rate, a flat level) plays block after
 * block as the general render below would play it: one span of the flat kernel, then the phase
 * advanced by n * vel. The general render decides once, when it ends a block, for how many frames
 * that stays true (v->plain): until one frame before the segment's end and two frames before the
 * region's, so no block of the held path reaches a wrap, a segment change or the region's last
 * frame, and the general render's own check (vs_wrap_limit) would have given the whole block too.
 * The held path then reads and writes only the slot's first cache line. */
static void vs_plain_enter(Voice *v)
{
    if (v->done || v->wait != 0 || v->kill >= 0 || v->has_fx || v->acc != 0.0f || v->env.m != 1.0f ||
        v->env.b != 0.0f || v->env.left < 2)
        return;
    /* the margin: two frames, and far more than the rounding of ph summed over any number of blocks */
    double room = (v->len - v->ph - 1e-6 * v->len) / (double)v->vel - 2;
    int frames = v->env.left - 1;
    if (!(room < frames)) room = frames;
    if (!(room >= 1)) return;
    float level = v->env.y > 0 ? v->env.y : 0;
    v->pgl = level * v->gl;
    v->pgr = level * v->gr;
    v->plain = (int)room;
    v->env.left -= v->plain;
}

void vsample_unplain(Voice *v)
{
    v->env.left += v->plain;
    v->plain = 0;
}

static inline __attribute__((always_inline)) void vs_plain(bool wide, Voice *v, float *L, float *R, int n)
{
    const Sample *sm = v->smp;
    double p0 = v->base + v->dir * v->ph;
    float fv = v->dir * v->vel;
    long lo = vs_floor(p0 - (fv < 0 ? -(double)fv * n : 0.0)) - 1;
    if (lo < VS_LO_MIN) lo = VS_LO_MIN;
    float x0 = (float)(p0 - (double)lo);
    v->plain -= n;
    bool stereo = sm->channels >= 2 && sm->ch[1] && sm->ch[1] != sm->ch[0];
    vs_flat(wide, sm->ch[0] + lo, sm->ch[1] + lo, stereo, x0, fv, v->pgl, v->pgr, L, R, n);
    v->ph += (double)n * v->vel;        /* vs_advance with acc 0, and no wrap */
}

void vsample_render(VoicePool *vp, Voice *v, VoiceFx *fx, VoiceScratch *s, float *L, float *R, int n)
{
    vsample_unplain(v);
    if (!v->begun && v->kill >= 0 && v->kill <= v->wait) {     /* released before it began: never heard */
        v->done = 1;
        return;
    }
    if (v->wait >= n) {
        v->wait -= n;
        if (v->kill >= 0) v->kill -= n;
        return;
    }
    int t = v->wait;
    v->wait = 0;
    v->begun = 1;
    while (t < n) {
        if (v->kill >= 0 && v->kill <= t) {
            venv_kill(&v->tab, &v->env, vp->fade);
            v->kill = -1;
        }
        if (v->env.left == 0) venv_next(&v->tab, &v->env);
        if (v->env.cur >= v->tab.nseg) break;
        int span = n - t;
        if (v->env.left < span) span = v->env.left;
        if (v->kill >= 0 && v->kill - t < span) span = v->kill - t;
        span = vs_wrap_limit(v, span);
        bool flat = v->env.m == 1.0f && v->env.b == 0.0f;
        float level = v->env.y > 0 ? v->env.y : 0;
        if (flat) v->env.left -= span;
        else venv_fill(&v->env, s->amp, span);
        vs_play(vp, v, fx, s, flat, level, L + t, R + t, span);
        vs_advance(v, span);
        t += span;
    }
    if (v->env.left == 0) venv_next(&v->tab, &v->env);
    if (v->env.cur >= v->tab.nseg) v->done = 1;
    if (v->kill >= 0) v->kill -= n;
    vs_plain_enter(v);
}

/* What the render of a voice will read, its first line being in cache by now: the sample window, and
 * unless the voice takes the held path, the rest of its slot before the envelope table (read through
 * only when a segment ends) and the table's segment count. */
static void vs_prefetch(const Voice *v, int n)
{
    if (v->plain < n) {
        const char *p = (const char *)v;
        for (size_t o = 64; o < offsetof(Voice, tab); o += 64) __builtin_prefetch(p + o);
        __builtin_prefetch(&v->tab.nseg);
    }
    if (v->done || v->wait >= n) return;
    const Sample *sm = v->smp;
    long at = (long)(v->base + v->dir * v->ph);
    long span = (long)(v->vel * n) + 2;
    if (span > 64) span = 64;           /* a few cache lines hide the latency; the rest streams */
    long a = v->dir > 0 ? at : at - span, b = v->dir > 0 ? at + span : at;
    if (a < -BANK_PAD) a = -BANK_PAD;
    if (b > sm->frames + BANK_PAD) b = sm->frames + BANK_PAD;
    for (long i = a; i < b; i += 16) {
        __builtin_prefetch(sm->ch[0] + i);
        if (sm->channels >= 2) __builtin_prefetch(sm->ch[1] + i);
    }
}

void vsample_prefetch_run(const VoicePool *vp, const SGroup *g)
{
    for (int i = 0; i < g->n && i < 4; i++) __builtin_prefetch(&vp->v[g->slot[i]]);
}

int vsample_run(VoicePool *vp, const SGroup *g, VoiceScratch *s, float *L, float *R, int n)
{
    const int *slots = g->slot;
    int count = g->n, ended = 0;
    for (int i = 0; i < count; i++) {
        /* hide memory latency: the first line of the slot a few voices ahead, and what the render of the
           next-but-one reads beyond it */
        if (i + 4 < count) __builtin_prefetch(&vp->v[slots[i + 4]]);
        if (i + 2 < count) vs_prefetch(&vp->v[slots[i + 2]], n);
        Voice *v = &vp->v[slots[i]];
        if (v->plain >= n) vs_plain(vp->wide, v, L, R, n);
        else if (!v->done) {
            vsample_render(vp, v, &vp->fx[slots[i]], s, L, R, n);
            ended += v->done;
        }
    }
    return ended;
}
