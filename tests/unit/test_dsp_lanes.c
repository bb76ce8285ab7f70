/* test_dsp_lanes.c — for every kind: lane l of a 32-lane run has exactly the bits of a 1-lane run,
 * constant and full-rate inputs of equal value give equal bits, block sizes do not change the output,
 * the output matches recorded bits (same on every machine), and abuse never gives NaN or inf. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF                /* the golden inputs must not depend on the build's FMA */
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include "test_dsp_util.h"

#define SR 48000.0f
#define N 2048
#define L 32

static int stereo_kind(const DspKind *k) { return k->out_lanes == 2; }

/* A plausible value for input i of kind k, at frame t of lane l; `moving` adds slow modulation. */
static float in_value(const DspKind *k, int i, int t, int l, int moving)
{
    const char *nm = k->inputs[i] ? k->inputs[i] : "";
    float m = moving ? (float)sin(2 * TPI * (3 + l) * t / SR) : 0.0f;
    if (i == 0 && (k->flags & DSPK_OSC)) return 50.0f + 40.0f * l + (moving ? 30.0f * m : 0.0f);
    if (!strcmp(nm, "gate")) return ((t + 17 * l) / (300 + 37 * l)) % 2 == 0 ? 1.0f : 0.0f;
    if (!strcmp(nm, "in") || !strcmp(nm, "a") || !strcmp(nm, "b") || strlen(nm) == 1)
        return (float)(0.7 * sin(2 * TPI * (110 + 13 * l + 7 * i) * t / SR) + 0.2 * sin(2 * TPI * 3001 * t / SR + l));
    if (!strcmp(nm, "attack") || !strcmp(nm, "decay") || !strcmp(nm, "release"))
        return 0.001f + 0.0005f * l + (moving ? 0.0002f * m : 0.0f);
    if (!strcmp(nm, "sustain")) return 0.3f + 0.01f * l + 0.05f * m;
    if (!strcmp(nm, "cutoff")) return (200.0f + 100.0f * l) * (1.0f + 0.5f * m);
    if (!strcmp(nm, "q")) return 0.5f + 0.2f * l + 0.1f * m;
    if (!strcmp(nm, "resonance")) return 0.03f * l;
    if (!strcmp(nm, "width")) return 0.1f + 0.025f * l + 0.05f * m;
    if (!strcmp(nm, "time")) return 0.001f + 0.0003f * l + 0.0002f * m;
    if (!strcmp(nm, "feedback")) return 0.02f * l;
    if (!strcmp(nm, "drive")) return 1.0f + l + m;
    if (!strcmp(nm, "bits")) return 2.0f + l / 3.0f;
    if (!strcmp(nm, "rate")) return 1.0f + l / 8.0f + 0.5f * m;
    if (!strcmp(nm, "threshold")) return -30.0f + l;
    if (!strcmp(nm, "ratio")) return 1.0f + l / 4.0f;
    if (!strcmp(nm, "ceiling")) return 0.2f + l / 40.0f;
    if (!strcmp(nm, "lo")) return -0.5f;
    if (!strcmp(nm, "hi")) return 0.5f;
    if (!strcmp(nm, "note")) return 40.0f + l + m;
    return (l + 0.5f) / L + 0.1f * m;           /* mix, room, damp, depth, position: 0..1 */
}

static int is_signal(const DspKind *k, int i)
{
    const char *nm = k->inputs[i] ? k->inputs[i] : "";
    return !strcmp(nm, "gate") || !strcmp(nm, "in") || !strcmp(nm, "a") || !strcmp(nm, "b") || strlen(nm) == 1;
}

/* Inputs for `lanes` lanes: signals always full-rate; parameters constant (one frame, per-lane values)
 * or full-rate (moving, or constant in time when moving == 0 && !konst). Returns owned buffers. */
static void make_inputs(const DspKind *k, int lanes, int konst, int moving, TIn *in, float **own)
{
    for (int i = 0; i < k->ninputs; i++) {
        if (!is_signal(k, i) && konst) {
            own[i] = t_alloc((size_t)lanes);
            for (int l = 0; l < lanes; l++) own[i][l] = in_value(k, i, 0, l, 0);
            in[i] = (TIn){ own[i], lanes, 1 };
        } else {
            own[i] = t_alloc((size_t)N * lanes);
            for (int t = 0; t < N; t++)
                for (int l = 0; l < lanes; l++) own[i][(size_t)t * lanes + l] = in_value(k, i, t, l, moving);
            in[i] = (TIn){ own[i], lanes, 0 };
        }
    }
}

static void free_inputs(const DspKind *k, float **own)
{
    for (int i = 0; i < k->ninputs; i++) free(own[i]);
}

/* Lane l of the 32-lane run against a 1-lane run of the same inputs from lane l's initial state. */
static int lanes_match(const DspKind *k, int konst, int moving)
{
    TIn in[DSP_MAX_INPUTS];
    float *own[DSP_MAX_INPUTS];
    make_inputs(k, L, konst, moving, in, own);
    TNode wide = t_node(k->name, L, SR, 99);
    int per = dsp_state_floats(k, SR);
    float *init = malloc(sizeof(float) * (size_t)per * L);
    memcpy(init, wide.st, sizeof(float) * (size_t)per * L);
    float *yw = t_alloc((size_t)N * L);
    t_run(&wide, in, N, 64, yw);
    int bad = 0;
    for (int l = 0; l < L; l++) {
        TNode one = t_node(k->name, 1, SR, 5);
        for (int f = 0; f < per; f++) one.st[f] = init[(size_t)f * L + l];
        TIn in1[DSP_MAX_INPUTS];
        float *col[DSP_MAX_INPUTS];
        for (int i = 0; i < k->ninputs; i++) {
            int frames = in[i].konst ? 1 : N;
            col[i] = t_alloc((size_t)frames);
            for (int t = 0; t < frames; t++) col[i][t] = in[i].x[(size_t)t * L + l];
            in1[i] = (TIn){ col[i], 1, in[i].konst };
        }
        float *y1 = t_alloc(N);
        t_run(&one, in1, N, 64, y1);
        for (int t = 0; t < N; t++) bad += memcmp(&y1[t], &yw[(size_t)t * L + l], sizeof(float)) != 0;
        free(y1);
        for (int i = 0; i < k->ninputs; i++) free(col[i]);
        t_free(&one);
    }
    free(yw);
    free(init);
    t_free(&wide);
    free_inputs(k, own);
    return bad;
}

/* Run kind k on inputs a and on inputs b (fresh nodes, same seed) and compare the outputs bit for bit;
 * frees the inputs. */
static int same_output(const DspKind *k, int lanes, const TIn *a, const TIn *b, float **oa, float **ob)
{
    int outl = k->out_lanes ? k->out_lanes : lanes;
    TNode na = t_node(k->name, lanes, SR, 3), nb = t_node(k->name, lanes, SR, 3);
    float *ya = t_alloc((size_t)N * outl), *yb = t_alloc((size_t)N * outl);
    t_run(&na, a, N, 64, ya);
    t_run(&nb, b, N, 64, yb);
    int same = memcmp(ya, yb, sizeof(float) * (size_t)N * outl) == 0;
    free(ya), free(yb);
    t_free(&na), t_free(&nb);
    free_inputs(k, oa), free_inputs(k, ob);
    return same;
}

/* The same values as DSP_CONST inputs and as full buffers, at `lanes` lanes: equal bits. */
static int const_matches_full(const DspKind *k, int lanes)
{
    TIn a[DSP_MAX_INPUTS], b[DSP_MAX_INPUTS];
    float *oa[DSP_MAX_INPUTS], *ob[DSP_MAX_INPUTS];
    make_inputs(k, lanes, 1, 0, a, oa);
    make_inputs(k, lanes, 0, 0, b, ob);
    return same_output(k, lanes, a, b, oa, ob);
}

/* A 1-lane input broadcast to every lane (constant and full-rate) against the same values spelled out. */
static int broadcast_matches(const DspKind *k, int lanes)
{
    TIn a[DSP_MAX_INPUTS], b[DSP_MAX_INPUTS];
    float *oa[DSP_MAX_INPUTS], *ob[DSP_MAX_INPUTS];
    for (int i = 0; i < k->ninputs; i++) {
        int konst = i % 2 == 1 && !is_signal(k, i);
        int frames = konst ? 1 : N;
        oa[i] = t_alloc((size_t)frames);
        ob[i] = t_alloc((size_t)frames * lanes);
        for (int t = 0; t < frames; t++) {
            oa[i][t] = in_value(k, i, t, 3, 1);
            for (int l = 0; l < lanes; l++) ob[i][(size_t)t * lanes + l] = oa[i][t];
        }
        a[i] = (TIn){ oa[i], 1, konst };
        b[i] = (TIn){ ob[i], lanes, konst };
    }
    return same_output(k, lanes, a, b, oa, ob);
}

static int blocks_match(const DspKind *k, int lanes);

static void test_every_kind(void)
{
    char msg[128];
    int nkinds = 0;
    for (int i = 0; dsp_kinds[i]; i++, nkinds++) {
        const DspKind *k = dsp_kinds[i];
        if (!stereo_kind(k)) {
            snprintf(msg, sizeof msg, "%s: 32 lanes give each lane the bits of a 1-lane run (constant parameters)",
                     k->name);
            CHECK_INT(lanes_match(k, 1, 0), 0, msg);
            snprintf(msg, sizeof msg, "%s: 32 lanes give each lane the bits of a 1-lane run (moving parameters)",
                     k->name);
            CHECK_INT(lanes_match(k, 0, 1), 0, msg);
        }
        int lanes = stereo_kind(k) ? 1 : L;
        snprintf(msg, sizeof msg, "%s: constant and full-rate inputs of equal value give equal bits", k->name);
        CHECK(const_matches_full(k, lanes), msg);
        snprintf(msg, sizeof msg, "%s: a broadcast input equals the same values in every lane", k->name);
        CHECK(broadcast_matches(k, stereo_kind(k) ? 2 : L), msg);
        snprintf(msg, sizeof msg, "%s: blocks of any size give the same bits", k->name);
        CHECK(blocks_match(k, 1) && (stereo_kind(k) || blocks_match(k, L)), msg);
    }
    CHECK(nkinds >= 35, "every kind of the brief is registered", "%d kinds", nkinds);
}

/* The same run cut into blocks of 64 and of irregular sizes: equal bits. */
static int blocks_match(const DspKind *k, int lanes)
{
    TIn in[DSP_MAX_INPUTS];
    float *own[DSP_MAX_INPUTS];
    make_inputs(k, lanes, 0, 1, in, own);
    int outl = k->out_lanes ? k->out_lanes : lanes;
    TNode na = t_node(k->name, lanes, SR, 3), nb = t_node(k->name, lanes, SR, 3);
    float *ya = t_alloc((size_t)N * outl), *yb = t_alloc((size_t)N * outl);
    t_run(&na, in, N, 64, ya);
    /* irregular blocks: 1, 2, 3, ... frames */
    TIn part[DSP_MAX_INPUTS];
    for (int t0 = 0, n = 1; t0 < N; t0 += n, n++) {
        int len = N - t0 < n ? N - t0 : n;
        for (int i = 0; i < k->ninputs; i++)
            part[i] = (TIn){ in[i].konst ? in[i].x : in[i].x + (size_t)t0 * in[i].lanes, in[i].lanes, in[i].konst };
        t_run(&nb, part, len, len, yb + (size_t)t0 * outl);
    }
    int same = memcmp(ya, yb, sizeof(float) * (size_t)N * outl) == 0;
    free(ya), free(yb);
    t_free(&na), t_free(&nb);
    free_inputs(k, own);
    return same;
}

/* ---- recorded bits ---------------------------------------------------------------------------
 * A hash of each kind's output for inputs made without libm. Kernels use IEEE single operations only
 * (no contraction, no libm, no fast-math), so every x86-64 clone and every other machine must give
 * exactly these bits. If you change a kernel on purpose, replace its line with the printed hash. */

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

/* a triangle in [-1, 1] of period `per` frames, phase offset `off` */
static float tri_wave(int t, int per, int off)
{
    int q = (t + off) % per;
    float x = (float)q / (float)per;
    return x < 0.5f ? 4.0f * x - 1.0f : 3.0f - 4.0f * x;
}

static float golden_value(const DspKind *k, int i, int t, int l)
{
    const char *nm = k->inputs[i] ? k->inputs[i] : "";
    float w = tri_wave(t, 997 + 31 * l, 17 * i);
    if (i == 0 && (k->flags & DSPK_OSC)) return 100.0f + 37.0f * l + 20.0f * w;
    if (!strcmp(nm, "gate")) return ((t + 17 * l) / (300 + 37 * l)) % 2 == 0 ? 1.0f : 0.0f;
    if (is_signal(k, i)) return 0.8f * tri_wave(t, 53 + 7 * l + 3 * i, i) + 0.1f * w;
    if (!strcmp(nm, "cutoff")) return 300.0f + 100.0f * l + 50.0f * w;
    if (!strcmp(nm, "threshold")) return -20.0f;
    if (!strcmp(nm, "ratio")) return 4.0f;
    if (!strcmp(nm, "note")) return 60.0f + l;
    if (!strcmp(nm, "bits")) return 4.0f + 0.3f * l;
    if (!strcmp(nm, "drive")) return 3.0f;
    if (!strcmp(nm, "time")) return 0.001f + 0.0001f * l + 0.0001f * w;
    if (!strcmp(nm, "rate")) return 1.5f;
    if (!strcmp(nm, "attack") || !strcmp(nm, "decay") || !strcmp(nm, "release")) return 0.002f + 0.0003f * l;
    return 0.4f + 0.3f * w;
}

static uint64_t golden_hash(const DspKind *k)
{
    int lanes = stereo_kind(k) ? 2 : L, outl = k->out_lanes ? k->out_lanes : lanes;
    TIn in[DSP_MAX_INPUTS];
    float *own[DSP_MAX_INPUTS];
    for (int i = 0; i < k->ninputs; i++) {
        own[i] = t_alloc((size_t)N * lanes);
        for (int t = 0; t < N; t++)
            for (int l = 0; l < lanes; l++) own[i][(size_t)t * lanes + l] = golden_value(k, i, t, l);
        in[i] = (TIn){ own[i], lanes, 0 };
    }
    TNode nd = t_node(k->name, lanes, SR, 42);
    float *y = t_alloc((size_t)N * outl);
    t_run(&nd, in, N, 64, y);
    uint64_t h = fnv(y, sizeof(float) * (size_t)N * outl, 1469598103934665603ull);
    free(y);
    t_free(&nd);
    free_inputs(k, own);
    return h;
}

static const struct { const char *name; uint64_t hash; } golden[] = {
    { "sine", 0x4299a9d4529c228dull },
    { "saw", 0x421a531089f738ffull },
    { "square", 0xc3bd2b36900461d5ull },
    { "pulse", 0x090476732f5d6a77ull },
    { "tri", 0xaff37bd6b5b5dc2full },
    { "phasor", 0x7440ba7558755ad0ull },
    { "impulse", 0x287b329907355a3aull },
    { "noise", 0x68074440b4c68723ull },
    { "pink", 0x15a4c043f1cf2a17ull },
    { "brown", 0x61033b2dd22976aaull },
    { "lpf", 0x122919b8e400e60aull },
    { "hpf", 0x10a64e90ed3cff46ull },
    { "bpf", 0x17a98e5c91cf5549ull },
    { "notch", 0xdadbf2b7c0258995ull },
    { "moog", 0x68ca99ab7492969eull },
    { "adsr", 0x67144c7c803c12a2ull },
    { "ar", 0x234e04452ef2b5daull },
    { "perc", 0xdc80f8d168a4823full },
    { "add", 0x39dd4be3532e4dd2ull },
    { "sub", 0xb2ba5904e03ea4fdull },
    { "mul", 0x3f95050b53ce4c80ull },
    { "div", 0x2df886b0ab4f0fcbull },
    { "neg", 0x0fc4b3ffe09747b8ull },
    { "mix", 0xd539379a27a5fb98ull },
    { "clip", 0x1d6c889ea13466adull },
    { "abs", 0xd5e5796f07262938ull },
    { "mtof", 0x3135809f60198383ull },
    { "distort", 0x0b37299be30a5c46ull },
    { "delay", 0xd939fb51232bf3f6ull },
    { "chorus", 0x96e225c9f28e6960ull },
    { "reverb", 0xa711932484b06d96ull },
    { "bitcrush", 0x84cb311c816ed8c8ull },
    { "compressor", 0x20429a4fd10b727dull },
    { "limiter", 0xfe166cba1f052709ull },
    { "pan", 0xecb63b83fadeb331ull },
    { NULL, 0 },
};

static void test_golden(void)
{
    char msg[128];
    for (int i = 0; dsp_kinds[i]; i++) {
        const DspKind *k = dsp_kinds[i];
        uint64_t h = golden_hash(k), want = 0;
        for (int j = 0; golden[j].name; j++)
            if (!strcmp(golden[j].name, k->name)) want = golden[j].hash;
        snprintf(msg, sizeof msg, "%s: output bits match the recorded ones", k->name);
        CHECK(h == want, msg, "now    { \"%s\", 0x%016llxull },", k->name, (unsigned long long)h);
    }
}

/* Every parameter at an extreme, signals loud: nothing but finite numbers may come out. */
static void test_abuse(void)
{
    static const float extremes[] = { 0.0f, -1.0f, 1e-30f, -1e-30f, 1e6f, -1e6f, 1e30f, -1e30f, 1000.0f, 0.5f };
    const int ne = sizeof extremes / sizeof extremes[0];
    char msg[128];
    for (int i = 0; dsp_kinds[i]; i++) {
        const DspKind *k = dsp_kinds[i];
        int lane_opts[3] = { 1, 2, 32 }, bad = 0, runs = 0;
        for (int li = 0; li < 3; li++) {
            int lanes = lane_opts[li];
            if (stereo_kind(k) && lanes > 2) continue;
            int outl = k->out_lanes ? k->out_lanes : lanes;
            for (int e = 0; e < ne; e++) {
                TIn in[DSP_MAX_INPUTS];
                float *own[DSP_MAX_INPUTS];
                int frames = 1500;
                for (int j = 0; j < k->ninputs; j++) {
                    own[j] = t_alloc((size_t)frames * lanes);
                    for (int t = 0; t < frames; t++)
                        for (int l = 0; l < lanes; l++) {
                            float v;
                            if (is_signal(k, j) && strcmp(k->inputs[j], "gate") != 0)
                                v = (t_rand() * 2 - 1) * (e % 2 ? 1e6f : 1.0f);
                            else
                                v = extremes[(e + j + l) % ne];
                            own[j][(size_t)t * lanes + l] = v;
                        }
                    in[j] = (TIn){ own[j], lanes, 0 };
                }
                TNode nd = t_node(k->name, lanes, SR, 11);
                float *y = t_alloc((size_t)frames * outl);
                t_run(&nd, in, frames, 37, y);          /* odd block size on purpose */
                bad += !t_all_finite(y, (size_t)frames * outl);
                runs++;
                free(y);
                t_free(&nd);
                free_inputs(k, own);
            }
        }
        snprintf(msg, sizeof msg, "%s: extreme parameters never give NaN or inf (%d runs)", k->name, runs);
        CHECK_INT(bad, 0, msg);
    }
}

int main(void)
{
    test_every_kind();
    test_golden();
    test_abuse();
    return test_done();
}
