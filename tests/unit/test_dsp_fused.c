/* test_dsp_fused.c — an oscillator fused with the filter it feeds (engine/dsp/fused.c) gives exactly the
 * bits of the two nodes run one after the other: every pair, constant and moving frequencies, cutoffs
 * and widths, inputs held constant as compiled graphs give them (fused.c's held saw), phases running
 * backwards, block sizes that do not divide the ring, state carried across
 * blocks; and graph_fuse fuses only where nothing else reads the oscillator. */
#include "test_dsp_util.h"
#include "graph.h"

#define SR 44100.0f
#define L 32
#define FRAMES 600

static const char *oscs[] = { "sine", "saw", "square", "pulse", "tri" };
static const char *filters[] = { "lpf", "hpf", "bpf", "notch" };

/* moving: 0 constant rows, 1 moving rows, 2 constant buffers (DSP_CONST), 3 the same with every lane
 * forwards and one-lane cutoff and q, as `saw # lpf 1800 0.8` compiles */
enum { HELD = 2, HELD_FWD = 3, MODES = 4 };

static float osc_freq(int t, int l, int moving)
{
    float f = 40.0f + 377.0f * (float)l * (l % 3 == 2 && moving != HELD_FWD ? -1.0f : 1.0f);  /* some backwards */
    return moving == 1 ? f * (1.0f + 0.3f * (float)sin(2 * TPI * 5 * t / SR + l)) : f;
}

/* Fill the inputs of block [t0, t0 + n): rows of 32 lanes. */
static void fill(float *freq, float *width, float *cut, float *q, int t0, int n, int moving)
{
    for (int t = 0; t < n; t++)
        for (int l = 0; l < L; l++) {
            int at = t0 + t;
            freq[t * L + l] = osc_freq(at, l, moving);
            width[t * L + l] = 0.2f + 0.02f * l + (moving == 1 ? 0.1f * (float)sin(2 * TPI * 3 * at / SR) : 0.0f);
            cut[t * L + l] = (300.0f + 400.0f * l) * (moving == 1 ? 1.0f + 0.5f * (float)sin(2 * TPI * 7 * at / SR + l) : 1.0f);
            q[t * L + l] = 0.6f + 0.1f * l;
        }
}

static int same_pair(const DspKind *ko, const DspKind *kf, DspFusedFn fn, int moving, int block)
{
    size_t nso = (size_t)dsp_state_floats(ko, SR) * L, nsf = (size_t)dsp_state_floats(kf, SR) * L;
    float *so[2] = { calloc(nso, 4), calloc(nso, 4) }, *sf[2] = { calloc(nsf, 4), calloc(nsf, 4) };
    float *freq = calloc((size_t)block * L, 4), *width = calloc((size_t)block * L, 4);
    float *cut = calloc((size_t)block * L, 4), *q = calloc((size_t)block * L, 4);
    float *mid[2] = { calloc((size_t)block * L, 4), calloc((size_t)block * L, 4) };
    float *out[2] = { calloc((size_t)block * L, 4), calloc((size_t)block * L, 4) };
    int ok = 1;
    for (int t0 = 0; t0 < FRAMES && ok; t0 += block) {
        int n = FRAMES - t0 < block ? FRAMES - t0 : block;
        fill(freq, width, cut, q, t0, n, moving);
        DspEnv env = { SR, 1.0f / SR, n, L, 1 };
        int k = moving >= HELD ? DSP_CONST : 0, kl = moving == HELD_FWD ? 1 : L;
        DspBuf oin[2] = { { freq, L, k }, { width, L, k } }, cin = { cut, kl, k }, qin = { q, kl, k };
        /* apart: the oscillator's block, then the filter reading it */
        DspBuf m0 = { mid[0], L, 0 }, o0 = { out[0], L, 0 };
        ko->process(so[0], oin, &m0, &env);
        DspBuf fin0[3] = { m0, cin, qin };
        kf->process(sf[0], fin0, &o0, &env);
        /* fused */
        DspBuf m1 = { mid[1], L, 0 }, o1 = { out[1], L, 0 };
        DspBuf fin1[3] = { m1, cin, qin };
        fn(so[1], oin, &env, sf[1], fin1, &env, &m1, &o1);
        ok &= memcmp(out[0], out[1], sizeof(float) * (size_t)n * L) == 0;
        ok &= memcmp(mid[0] + (size_t)(n - 1) * L, mid[1] + (size_t)(n - 1) * L, sizeof(float) * L) == 0;
        ok &= memcmp(so[0], so[1], nso * 4) == 0 && memcmp(sf[0], sf[1], nsf * 4) == 0;
    }
    free(so[0]), free(so[1]), free(sf[0]), free(sf[1]), free(freq), free(width), free(cut), free(q);
    free(mid[0]), free(mid[1]), free(out[0]), free(out[1]);
    return ok;
}

static void test_every_pair(void)
{
    static const int blocks[] = { 1, 7, 37, 64, 256 };
    for (int o = 0; o < 5; o++)
        for (int f = 0; f < 4; f++) {
            const DspKind *ko = t_kind(oscs[o]), *kf = t_kind(filters[f]);
            DspFusedFn fn = dsp_fused_find(ko, kf, L);
            CHECK(fn != NULL, "fused: every oscillator into every state-variable filter has a kernel", "%s # %s",
                  oscs[o], filters[f]);
            if (!fn) continue;
            int same = 1;
            for (int b = 0; b < 5; b++)
                for (int moving = 0; moving < MODES; moving++) same &= same_pair(ko, kf, fn, moving, blocks[b]);
            CHECK(same, "fused: the bits of the two nodes run apart (output, state, the oscillator's last frame)",
                  "%s # %s", oscs[o], filters[f]);
        }
    CHECK(dsp_fused_find(t_kind("saw"), t_kind("lpf"), 1) == NULL, "fused: only for 32 lanes");
    CHECK(dsp_fused_find(t_kind("noise"), t_kind("lpf"), L) == NULL, "fused: only oscillators");
    CHECK(dsp_fused_find(t_kind("saw"), t_kind("moog"), L) == NULL, "fused: only the state-variable filters");
}

/* A graph saw -> lpf -> (out); saw read twice; the filter not right after the saw. */
static void test_which_pairs(void)
{
    GraphBuf bufs[6] = { { GB_EXTERN, L, 0, 0 }, { GB_NODE, L, 0, 0 }, { GB_NODE, L, 0, 0 }, { GB_CONST, 1, 800, 0 },
                         { GB_CONST, 1, 1, 0 }, { GB_NODE, L, 0, 0 } };
    GraphNode nodes[3];
    memset(nodes, 0, sizeof nodes);
    nodes[0].kind = t_kind("saw"), nodes[0].in[0] = 0, nodes[0].out = 1, nodes[0].lanes = L;
    nodes[1].kind = t_kind("lpf"), nodes[1].in[0] = 1, nodes[1].in[1] = 3, nodes[1].in[2] = 4, nodes[1].out = 2;
    nodes[1].lanes = L;
    nodes[2].kind = t_kind("mul"), nodes[2].in[0] = 2, nodes[2].in[1] = 2, nodes[2].out = 5, nodes[2].lanes = L;
    Graph g = { nodes, 3, bufs, 6, 0, L, 5 };
    graph_fuse(&g);
    CHECK(nodes[0].fused != NULL && nodes[1].fused == NULL, "graph_fuse: saw -> lpf fuses");
    nodes[2].in[1] = 1;                 /* the saw is read twice */
    graph_fuse(&g);
    CHECK(nodes[0].fused == NULL, "graph_fuse: not when something else reads the oscillator");
    nodes[2].in[1] = 2;
    g.out = 1;                          /* the saw is the graph's output */
    graph_fuse(&g);
    CHECK(nodes[0].fused == NULL, "graph_fuse: not when the oscillator is the output");
    g.out = 5;
    nodes[1].lanes = 1;
    graph_fuse(&g);
    CHECK(nodes[0].fused == NULL, "graph_fuse: not across lane counts");
}

int main(void)
{
    test_every_pair();
    test_which_pairs();
    return test_done();
}
