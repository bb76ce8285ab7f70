/* test_voice_det.c — the same sequence of voice starts rendered with no pool and with 1, 2 and 4 threads
 * gives identical bytes: thousands of overlapping sample and instrument voices, cuts, steals, effects.
 * `--quick` renders less (for the TSan run). */
#include "test.h"
#include "test_voice_util.h"

#define SR 48000.0
#define BLOCK 64
#define PLAYERS 3

static uint32_t rng;
static uint32_t next_rand(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}
static float frand(void) { return (float)(next_rand() & 0xffff) / 65536.0f; }

typedef struct World {
    Sample samples[4];
    TvInst *inst[2];
} World;

static void world_new(World *w)
{
    w->samples[0] = tv_sine(48000, 48000, 220, 0.3);
    w->samples[1] = tv_sine(20000, 22050, 1000, 0.3);
    w->samples[2] = tv_dc(3000, 2, 0.2f, -0.1f);
    w->samples[3] = tv_ramp(10000, 0.00003f);
    w->inst[0] = tv_inst_saw_lpf(&tk_saw, &tk_lpf, 1500, SR, w);
    w->inst[1] = tv_inst_osc(&tk_sine, SR, w);
}

static void world_free(World *w)
{
    for (int i = 0; i < 4; i++) tv_sample_free(&w->samples[i]);
    tv_inst_free(w->inst[0]);
    tv_inst_free(w->inst[1]);
}

static VoiceStart random_start(World *w)
{
    VoiceStart v;
    memset(&v, 0, sizeof v);
    v.offset = (int)(next_rand() % BLOCK);
    v.frac = frand();
    v.player = (int)(next_rand() % PLAYERS);
    v.gain = 0.05f + 0.1f * frand();
    v.pan = frand();
    v.loop = 1;
    if (next_rand() % 3 == 0) {
        int k = (int)(next_rand() % 2);
        v.inst = &w->inst[k]->inst;
        v.sound = 100 + (uint32_t)k;
        v.freq = 80 + 900 * frand();
        v.attack = 0.001f + 0.02f * frand();
        v.hold = 0;
        v.length = 0.02 + 0.3 * frand();
        v.release = 0.01f + 0.2f * frand();
    } else {
        int k = (int)(next_rand() % 4);
        v.sample = &w->samples[k];
        v.sound = 200 + (uint32_t)k;
        v.rate = (0.25f + 2 * frand()) * (next_rand() % 5 == 0 ? -1 : 1);
        v.begin = next_rand() % 3 == 0 ? 0.5f * frand() : 0;
        v.end = next_rand() % 3 == 0 ? 0.5f + 0.5f * frand() : 1;
        v.loop = 1 + (int)(next_rand() % 2);
        v.accelerate = next_rand() % 6 == 0 ? frand() - 0.5f : 0;
        if (next_rand() % 4 == 0) v.length = 0.01 + 0.2 * frand();
        if (next_rand() % 7 == 0) {
            v.has_env = true;
            v.attack = 0.01f * frand();
            v.release = 0.1f * frand();
        }
    }
    if (next_rand() % 8 == 0) v.cut = (int)(next_rand() % 3) - 1;
    if (next_rand() % 10 == 0) v.cutoff = 300 + 3000 * frand();
    if (next_rand() % 15 == 0) v.shape = 0.5f * frand();
    if (next_rand() % 15 == 0) v.crush = 2 + 6 * frand();
    if (next_rand() % 20 == 0) v.hcutoff = 100 + 500 * frand();
    return v;
}

/* Render `blocks` blocks with `starts` new voices per block; returns a hash-free copy of everything. */
static float *render(World *w, int threads, int capacity, int blocks, int starts, VoiceStats *st)
{
    TvRig r = tv_rig(capacity, BLOCK, SR, threads);
    if (r.pool) pool_set_mode(r.pool, 0);      /* always parallel: the point is to vary the threads */
    rng = 12345;
    float *all = malloc((size_t)blocks * BLOCK * 2 * PLAYERS * sizeof(float));
    for (int b = 0; b < blocks; b++) {
        voice_begin_block(r.vp, BLOCK);
        int k = starts + (int)(next_rand() % (starts + 1));
        for (int i = 0; i < k; i++) {
            VoiceStart v = random_start(w);
            voice_start(r.vp, &v);
        }
        if (b == blocks / 2) voice_release_player(r.vp, 1);
        voice_render(r.vp, r.pool, NULL, r.out, PLAYERS, BLOCK);
        for (int p = 0; p < PLAYERS; p++)
            memcpy(all + ((size_t)b * PLAYERS + p) * BLOCK * 2, r.out[p], BLOCK * 2 * sizeof(float));
    }
    voice_stats(r.vp, st);
    tv_rig_free(&r);
    return all;
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    World w;
    world_new(&w);
    int blocks = quick ? 60 : 400, starts = quick ? 20 : 60, capacity = quick ? 1000 : 3000;
    size_t bytes = (size_t)blocks * BLOCK * 2 * PLAYERS * sizeof(float);
    VoiceStats st0, st;
    float *ref = render(&w, 0, capacity, blocks, starts, &st0);
    CHECK(st0.peak > capacity / 2, "determinism: thousands of voices overlap", "peak %d", st0.peak);
    CHECK(st0.stolen > 0 || quick, "determinism: the pool fills up and steals", "stolen %ld", st0.stolen);
    double energy = 0;
    for (size_t i = 0; i < bytes / sizeof(float); i++) energy += (double)ref[i] * ref[i];
    CHECK(energy > 1, "determinism: the render is not silent", "%g", energy);
    int threads[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        float *out = render(&w, threads[k], capacity, blocks, starts, &st);
        char name[80];
        snprintf(name, sizeof name, "determinism: %d thread%s give the same bytes as no pool", threads[k],
                 threads[k] > 1 ? "s" : "");
        CHECK(memcmp(out, ref, bytes) == 0, name);
        CHECK(st.started == st0.started && st.stolen == st0.stolen && st.peak == st0.peak,
              "determinism: the same voices start, steal and peak");
        free(out);
    }
    printf("# peak %d voices, %ld started, %ld stolen, %ld dropped\n", st0.peak, st0.started, st0.stolen, st0.dropped);
    free(ref);
    world_free(&w);
    return test_done();
}
