/* test_dsp_lanes.c — for every kind: lane l of a 32-lane run has exactly the bits of a 1-lane run,
 * constant and full-rate inputs of equal value give equal bits, and abuse never gives NaN or inf. */
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

/* The same values as DSP_CONST inputs and as full buffers, at `lanes` lanes: equal bits. */
static int const_matches_full(const DspKind *k, int lanes)
{
    TIn a[DSP_MAX_INPUTS], b[DSP_MAX_INPUTS];
    float *oa[DSP_MAX_INPUTS], *ob[DSP_MAX_INPUTS];
    make_inputs(k, lanes, 1, 0, a, oa);
    make_inputs(k, lanes, 0, 0, b, ob);
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
    }
    CHECK(nkinds >= 35, "every kind of the brief is registered", "%d kinds", nkinds);
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
    test_abuse();
    return test_done();
}
