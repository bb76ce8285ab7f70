/* test_voice_alloc.c — the audio path never allocates: malloc and friends are wrapped in this executable
 * and counted while voices start and render (sample and instrument voices, cuts, steals, effects, threads).
 * Under a sanitizer, which owns malloc, the wrappers are left out and the count is not taken. */
#include "test.h"
#include "test_voice_util.h"

#include "test_alloc_count.h"

#define SR 44100.0

int main(void)
{
    if (ALLOC_COUNTING) {     /* the counter itself works */
        counting = 1;
        void *volatile p = malloc(16);
        free(p);
        counting = 0;
        CHECK_INT(allocs + frees, 2, "alloc: the wrappers count malloc and free");
    }
    Sample sn = tv_sine(44100, 44100, 330, 0.3);
    Sample st = tv_dc(5000, 2, 0.1f, 0.2f);
    TvInst *saw = tv_inst_saw_lpf(&tk_saw, &tk_lpf, 1200, SR, &sn);
    TvInst *sine = tv_inst_osc(&tk_sine, SR, &st);
    TvRig r = tv_rig(500, 64, SR, 2);
    pool_set_mode(r.pool, 0);
    uint32_t rng = 7;
    long before_warm = -1;
    for (int round = 0; round < 2; round++) {
        /* round 0 warms up (first group creation, first pool job); round 1 is counted */
        if (round == 1) {
            allocs = 0;
            frees = 0;
            counting = 1;
        }
        for (int b = 0; b < 300; b++) {
            voice_begin_block(r.vp, 64);
            for (int i = 0; i < 12; i++) {
                rng = rng * 1664525u + 1013904223u;
                VoiceStart v;
                unsigned k = (rng >> 10) % 4;
                if (k < 2) {
                    v = tv_start_sample(k ? &st : &sn);
                    v.rate = 0.5f + (float)((rng >> 4) % 100) / 50;
                    v.cut = (rng >> 20) % 5 == 0 ? 1 : 0;
                    v.cutoff = (rng >> 22) % 3 == 0 ? 800 : 0;
                } else {
                    v = tv_start_inst(k == 2 ? &saw->inst : &sine->inst, 100 + (float)((rng >> 4) % 800));
                    v.hold = 0;
                    v.length = 0.05;
                    v.shape = (rng >> 22) % 3 == 0 ? 0.3f : 0;
                }
                v.offset = (int)((rng >> 12) % 64);
                v.pan = (float)((rng >> 16) % 100) / 100;
                voice_start(r.vp, &v);
            }
            if (b % 97 == 50) voice_release_all(r.vp);
            voice_render(r.vp, r.pool, NULL, r.out, r.players, 64);
        }
        if (round == 0) before_warm = allocs + frees;
    }
    counting = 0;
    (void)before_warm;
    VoiceStats vs;
    voice_stats(r.vp, &vs);
    CHECK(vs.stolen > 0 && vs.peak >= 500, "alloc: the pool was full and stole", "peak %d stolen %ld", vs.peak, vs.stolen);
    if (ALLOC_COUNTING) CHECK_INT(allocs + frees, 0, "alloc: no allocation in voice_start / voice_render / pool_run once warm");
    else printf("# allocation counting skipped under a sanitizer\n");
    tv_rig_free(&r);
    tv_inst_free(saw);
    tv_inst_free(sine);
    tv_sample_free(&sn);
    tv_sample_free(&st);
    return test_done();
}
