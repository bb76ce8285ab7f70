/* orbit.c — the orbits' buses and global effects. The effects are the engine's own kernels (dsp/delay.c,
 * dsp/reverb.c) run through their DspKind API with SuperDirt's routing: the delay reads the orbit's dry sum
 * and its output is scaled by `delay`; the reverb reads the mono sum times `room`, decays as dirt_reverb
 * does for `size`, and its output is scaled by 1 - `dry`; the orbit plays dry + both. Gains move along a
 * ramp over a block, never in a step. */
#include "orbit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp.h"

extern const DspKind dsp_kind_delay, dsp_kind_reverb;

#define ORBIT_SLEEP_SECONDS 4.0     /* SuperDirt's DirtPause grace time */
#define ORBIT_QUIET 1e-7f           /* below this an orbit's input and output count as silence */
#define ORBIT_DELAY_MAX 4.0f        /* seconds, as dirt_delay clips */

typedef struct Orbit {
    OrbitFx fx;
    float dtime;                    /* delaytime in seconds (lock applied) */
    float rroom, rdamp;             /* the reverb kernel's room and damp for fx.size */
    float g_delay, g_room, g_wet;   /* the gains now (they ramp towards fx's over a block) */
    float *dstate, *rstate;
    long quiet;                     /* frames in a row of silence */
    bool awake;
    float *bus;                     /* 2 * block: the dry sum of its voices */
    float *out;                     /* 2 * block: what the orbit plays (own output pair) */
} Orbit;

struct Orbits {
    double sr;
    int block;
    Orbit orb[ORBIT_COUNT];
    float *wet, *rin, *rout;        /* 2 * block scratch each */
    bool own[ORBIT_COUNT];          /* the last orbit_process gave orbit k its own output pair */
};

/* How dirt_reverb decays for size 0, 0.1 ... 1 (measured on a model of the SynthDef, four seeds for its
 * Rand()s, T30): RT60 at 500 Hz, and the share of it that 4 kHz takes. Its loop feeds back at
 * size.linexp(0, 1, 0.01, 0.98) through all-passes that hold the sound for half a second a round, and its
 * four input all-passes ring for 1.2 s whatever the size; at size 1 it hardly decays (the kernel stops at
 * 9 s, reached at size 0.9). */
static const float orbit_rv_rt60[11] = { 1.24f, 1.26f, 1.28f, 1.32f, 1.41f, 1.62f, 2.01f, 2.72f, 4.34f, 9.12f, 49.7f };
static const float orbit_rv_hf[11] = { 0.97f, 0.96f, 0.95f, 0.95f, 0.94f, 0.91f, 0.88f, 0.83f, 0.76f, 0.66f, 0.58f };

/* The reverb kernel's room and damp for the orbit's size (between the table's rows: RT60 geometrically). */
static void orbit_reverb_size(Orbit *b)
{
    float x = b->fx.size * 10;
    int i = (int)x < 9 ? (int)x : 9;
    float f = x - (float)i;
    float rt = orbit_rv_rt60[i] * powf(orbit_rv_rt60[i + 1] / orbit_rv_rt60[i], f);
    float hf = orbit_rv_hf[i] + (orbit_rv_hf[i + 1] - orbit_rv_hf[i]) * f;
    b->rroom = dsp_reverb_room(rt);
    b->rdamp = (1 - hf) / 0.75f;               /* the kernel's 4 kHz decay is (1 - 0.75 damp) of RT60 */
}

static float *orbit_state(const DspKind *k, double sr)
{
    size_t n = (size_t)dsp_state_floats_lanes(k, (float)sr, 2) * 2;
    float *s = calloc(n, sizeof(float));
    if (s && k->init) {
        DspEnv env = { (float)sr, (float)(1.0 / sr), 1, 2, 0 };
        k->init(s, &env);
    }
    return s;
}

void orbit_free(Orbits *o)
{
    if (!o) return;
    for (int k = 0; k < ORBIT_COUNT; k++) {
        free(o->orb[k].dstate);
        free(o->orb[k].rstate);
        free(o->orb[k].out);
        free(o->orb[k].bus);
    }
    free(o->wet);
    free(o->rin);
    free(o->rout);
    free(o);
}

Orbits *orbit_new(double sr, int max_block)
{
    Orbits *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->sr = sr;
    o->block = max_block;
    size_t b2 = (size_t)max_block * 2;
    o->wet = calloc(b2, sizeof(float));
    o->rin = calloc(b2, sizeof(float));
    o->rout = calloc(b2, sizeof(float));
    bool ok = o->wet && o->rin && o->rout;
    for (int k = 0; k < ORBIT_COUNT && ok; k++) {
        Orbit *b = &o->orb[k];
        b->fx.size = 0.1f;
        orbit_reverb_size(b);
        b->g_wet = 1;
        b->dstate = orbit_state(&dsp_kind_delay, sr);
        b->rstate = orbit_state(&dsp_kind_reverb, sr);
        b->out = calloc(b2, sizeof(float));
        b->bus = calloc(b2, sizeof(float));
        ok = b->dstate && b->rstate && b->out && b->bus;
    }
    if (!ok) {
        orbit_free(o);
        return NULL;
    }
    return o;
}

int orbit_index(double orbit)
{
    if (!isfinite(orbit)) return 0;
    double k = fmod(floor(orbit), ORBIT_COUNT);
    if (k < 0) k += ORBIT_COUNT;
    return (int)k;
}

static float orbit_clamp(float x, float lo, float hi) { return !(x >= lo) ? lo : x > hi ? hi : x; }

void orbit_set(Orbits *o, int k, const OrbitFx *fx, double cps)
{
    if (k < 0 || k >= ORBIT_COUNT) return;
    Orbit *b = &o->orb[k];
    b->fx = *fx;
    b->fx.room = orbit_clamp(fx->room, 0, 1);
    b->fx.size = orbit_clamp(fx->size, 0, 1);
    b->fx.dry = orbit_clamp(fx->dry, 0, 1);
    orbit_reverb_size(b);
    b->fx.delay = orbit_clamp(fx->delay, 0, 4);
    b->fx.delayfeedback = orbit_clamp(fx->delayfeedback, 0, 0.99f);
    float t = fx->delaytime;
    if (fx->lock && cps > 0) t = (float)(t / cps);
    b->dtime = orbit_clamp(t, 0, ORBIT_DELAY_MAX);
    if (!b->awake) {                /* nothing sounds: the gains may jump (awake, they ramp over a block) */
        b->g_delay = b->fx.delay;
        b->g_room = b->fx.room;
        b->g_wet = 1.0f - b->fx.dry;
    }
    b->awake = true;                /* SuperDirt's global effects resume when an event sets them */
    b->quiet = 0;
}

bool orbit_awake(const Orbits *o, int k) { return k >= 0 && k < ORBIT_COUNT && o->orb[k].awake; }

static DspBuf orbit_const(float *v) { DspBuf b = { v, 1, DSP_CONST }; return b; }

/* x += g * y along a ramp from g0 to g1 over n frames (stereo frame-major) */
static void orbit_add_ramp(float *x, const float *y, float g0, float g1, int n)
{
    float step = (g1 - g0) / (float)n;
    for (int f = 0; f < n; f++) {
        float g = g0 + step * (float)(f + 1);
        x[2 * f] += g * y[2 * f];
        x[2 * f + 1] += g * y[2 * f + 1];
    }
}

static float orbit_peak(const float *x, int n)
{
    float p = 0;
    for (int i = 0; i < 2 * n; i++) {
        float a = fabsf(x[i]);
        if (a > p) p = a;
    }
    return p;
}

/* One orbit's effects over n frames: out = dry + delay + reverb. */
static void orbit_run(Orbits *o, Orbit *b, const float *dry, float *out, int n)
{
    DspEnv env = { (float)o->sr, (float)(1.0 / o->sr), n, 2, 0 };
    float time = b->dtime > 0 ? b->dtime : 0, fb = b->fx.delayfeedback, one = 1;
    float size = b->rroom, damp = b->rdamp;
    memcpy(out, dry, sizeof(float) * 2 * (size_t)n);

    DspBuf din[4] = { { (float *)dry, 2, 0 }, orbit_const(&time), orbit_const(&fb), orbit_const(&one) };
    DspBuf dout = { o->wet, 2, 0 };
    dsp_kind_delay.process(b->dstate, din, &dout, &env);
    orbit_add_ramp(out, o->wet, b->g_delay, b->fx.delay, n);
    b->g_delay = b->fx.delay;

    float r0 = b->g_room, r1 = b->fx.room, step = (r1 - r0) / (float)n;
    for (int f = 0; f < n; f++) {
        float g = r0 + step * (float)(f + 1);
        o->rin[2 * f] = g * dry[2 * f];
        o->rin[2 * f + 1] = g * dry[2 * f + 1];
    }
    b->g_room = r1;
    DspBuf rin[4] = { { o->rin, 2, 0 }, orbit_const(&size), orbit_const(&damp), orbit_const(&one) };
    DspBuf rout = { o->rout, 2, 0 };
    dsp_kind_reverb.process(b->rstate, rin, &rout, &env);
    orbit_add_ramp(out, o->rout, b->g_wet, 1.0f - b->fx.dry, n);
    b->g_wet = 1.0f - b->fx.dry;

    if (orbit_peak(dry, n) < ORBIT_QUIET && orbit_peak(out, n) < ORBIT_QUIET) b->quiet += n;
    else b->quiet = 0;
    if (b->quiet >= (long)(ORBIT_SLEEP_SECONDS * o->sr)) b->awake = false;
}

float *orbit_bus(Orbits *o, int k) { return o->orb[k].bus; }

void orbit_process(Orbits *o, float *mix, int nouts, int n)
{
    for (int k = 0; k < ORBIT_COUNT; k++) {
        Orbit *b = &o->orb[k];
        const float *dry = b->bus;
        o->own[k] = k > 0 && 2 * k + 2 <= nouts;
        if (!b->awake && orbit_peak(dry, n) >= ORBIT_QUIET) b->awake = true, b->quiet = 0;
        if (!b->awake) {
            memset(b->out, 0, sizeof(float) * 2 * (size_t)n);
            continue;
        }
        orbit_run(o, b, dry, b->out, n);
        if (!o->own[k])
            for (int f = 0; f < 2 * n; f++) mix[f] += b->out[f];
    }
}

void orbit_outs(Orbits *o, float *chans, size_t stride, int nouts, int n)
{
    for (int k = 1; k < ORBIT_COUNT; k++) {
        if (!o->own[k] || 2 * k + 1 >= nouts) continue;
        float *l = chans + (size_t)(2 * k - 2) * stride, *r = chans + (size_t)(2 * k - 1) * stride;
        const float *x = o->orb[k].out;
        for (int f = 0; f < n; f++) {
            l[f] += x[2 * f];
            r[f] += x[2 * f + 1];
        }
    }
}
