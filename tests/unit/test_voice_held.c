/* test_voice_held.c — sample voices on the held path (voice_sample.c: a block that only plays on is
 * decided once and reads one cache line): the note a listener hears is the same whatever the block size,
 * and the held path hands over to the general render exactly where something happens — a release, a
 * loop's wrap, the region's end, a kill. */
#include "test.h"
#include "test_voice_util.h"

#define SR 44100.0
#define FRAMES 24000

static float L[FRAMES + 1024], R[FRAMES + 1024], L0[FRAMES + 1024];

static int round_up(int n, int b) { return (n + b - 1) / b * b; }

/* One voice alone for `frames`, in blocks of `block`; L and R get its output. */
static void play(const VoiceStart *v, int block, int frames)
{
    memset(L, 0, sizeof L);
    memset(R, 0, sizeof R);
    TvRig r = tv_rig(64, block, SR, 0);
    tv_play(&r, v, 1, L, R, round_up(frames, block));
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 0, "held: the voice has ended and is reclaimed");
    tv_rig_free(&r);
}

static const int blocks[] = { 1, 37, 64, 100, 512 };
#define NBLOCKS (int)(sizeof blocks / sizeof blocks[0])

/* A constant sample: every frame's value is the envelope times the gain, exactly (Hermite of a constant
 * is the constant), so the release must fall on the same frames in any block size. */
static void test_release_any_block(void)
{
    Sample dc = tv_dc(44100, 1, 1.0f, 0);
    VoiceStart v = tv_start_sample(&dc);
    v.length = 0.5;                             /* 22050 frames, the last 220 (5 ms) a fade */
    int total = 22050, fade = (int)lround(0.005 * SR);
    for (int b = 0; b < NBLOCKS; b++) {
        play(&v, blocks[b], FRAMES);
        if (b == 0) memcpy(L0, L, sizeof L);
        bool full = true;
        for (int t = 0; t < total - fade; t++) full &= L[t] == 1.0f;
        CHECK(full, "held: full level up to the release", "block %d", blocks[b]);
        CHECK(L[total - fade + 1] < 1.0f && L[total - 1] > 0.0f, "held: the release fades over its 5 ms",
              "block %d: L[%d]=%g L[%d]=%g", blocks[b], total - fade + 1, L[total - fade + 1], total - 1, L[total - 1]);
        CHECK_INT(tv_silent_from(L, 0, FRAMES), total, "held: silent from the note's last frame");
        /* the fade's ramp is summed per span (y + i * b), so its last bits follow the block size */
        double worst = 0;
        for (int t = 0; t < FRAMES; t++) worst = fmax(worst, fabs((double)L[t] - L0[t]));
        CHECK(worst < 1e-6, "held: the same note in every block size", "block %d: differs by %g", blocks[b], worst);
    }
    tv_sample_free(&dc);
}

/* data[i] = i: at rate 1 every read lands on a frame, so the output is the read position itself. A loop
 * (and a reverse loop) must wrap exactly at the region's end, whichever block the wrap falls in. */
static void test_loop_wraps(void)
{
    Sample ramp = tv_ramp(1000, 1.0f / 1024);
    for (int dir = 0; dir < 2; dir++)
        for (int b = 0; b < NBLOCKS; b++) {
            VoiceStart v = tv_start_sample(&ramp);
            v.loop = 4;
            v.rate = dir ? -1.0f : 1.0f;
            play(&v, blocks[b], 5000);
            int bad = -1, end = 4000 - (int)lround(0.001 * SR);     /* the 1 ms fade at the file's end */
            for (int t = 0; t < end && bad < 0; t++) {
                int i = t % 1000;
                float want = (float)(dir ? 999 - i : i) / 1024;
                if (L[t] != want) bad = t;
            }
            CHECK(bad < 0, dir ? "held: a reverse loop reads every frame once per pass" : "held: a loop reads every frame once per pass",
                  "block %d: frame %d is %g", blocks[b], bad, bad >= 0 ? L[bad] : 0);
            /* reversed, the last frame read is data[0] = 0 */
            CHECK_INT(tv_silent_from(L, 0, 5000), dir ? 3999 : 4000, "held: the loop ends after its four passes");
        }
    tv_sample_free(&ramp);
}

/* A release (panic) between blocks takes a held voice off the held path: the fade starts at the next
 * block's first frame, is as long as every kill's, and the voice is gone after it. */
static void test_kill_while_held(void)
{
    Sample dc = tv_dc(44100, 1, 1.0f, 0);
    int fade = (int)lround(0.005 * SR);
    for (int b = 1; b < NBLOCKS; b++) {
        int block = blocks[b], at = round_up(3000, block);
        memset(L, 0, sizeof L);
        TvRig r = tv_rig(64, block, SR, 0);
        VoiceStart v = tv_start_sample(&dc);
        voice_begin_block(r.vp, block);
        voice_start(r.vp, &v);
        int t = 0;
        for (; t < at; t += block) tv_block(&r, 0, L, NULL, t);
        voice_release_all(r.vp);
        for (; t < at + 2048; t += block) tv_block(&r, 0, L, NULL, t);
        CHECK(L[at - 1] == 1.0f && L[at + 1] < 1.0f && L[at + fade - 1] > 0.0f, "held: a kill fades from its frame",
              "block %d: L[at-1]=%g L[at+1]=%g L[at+fade-1]=%g", block, L[at - 1], L[at + 1], L[at + fade - 1]);
        CHECK_INT(tv_silent_from(L, 0, at + 2048), at + fade, "held: silent once the kill's fade is over");
        VoiceStats st;
        voice_stats(r.vp, &st);
        CHECK_INT(st.active, 0, "held: a killed voice is reclaimed");
        tv_rig_free(&r);
    }
    tv_sample_free(&dc);
}

/* The AVX-512 kernels (16 frames from one window of the sample) and the portable ones: the same bits
 * at every rate, both windows (up to ~1.8 and ~2.9 frames per frame) and the rates past them, forwards
 * and backwards, mono and stereo, a region ending at the file's last frame (the window reads into the
 * padding), sub-frame onsets, odd block sizes. */
static void test_wide_same_bits(void)
{
    static float WL[2][FRAMES + 1024], WR[2][FRAMES + 1024];
    static const float rates[] = { 0.37f, 0.79f, 1.0f, 1.37f, 1.79f, 1.87f, 2.2f, 2.9f, 3.1f, 4.7f };
    int frames = 6000;
    Sample smp[2] = { tv_sample(3000, 1, 44100), tv_sample(3000, 2, 44100) };
    uint32_t seed = 7;
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < 3000; i++) {
            seed = seed * 1664525u + 1013904223u;
            tv_data(&smp[1], c)[i] = (float)(seed >> 8) / 8388608.0f - 1.0f;
            if (c == 0) tv_data(&smp[0], 0)[i] = tv_data(&smp[1], 0)[i];
        }
    int cases = 0, same = 0, wide = 0;
    for (int st = 0; st < 2; st++)
        for (int k = 0; k < (int)(sizeof rates / sizeof rates[0]); k++)
            for (int dir = 0; dir < 2; dir++)
                for (int b = 0; b < 2; b++) {
                    VoiceStart v = tv_start_sample(&smp[st]);
                    v.rate = dir ? -rates[k] : rates[k];
                    v.loop = 3;
                    v.begin = 0.25f;
                    v.frac = 0.3;
                    v.offset = 5;
                    v.pan = 0.3f;
                    int block = b ? 37 : 64;
                    for (int w = 0; w < 2; w++) {
                        memset(WL[w], 0, sizeof WL[w]), memset(WR[w], 0, sizeof WR[w]);
                        TvRig r = tv_rig(64, block, SR, 0);
                        wide += voice_set_wide(r.vp, w == 1);
                        tv_play(&r, &v, 1, WL[w], WR[w], round_up(frames, block));
                        tv_rig_free(&r);
                    }
                    cases++;
                    same += memcmp(WL[0], WL[1], sizeof WL[0]) == 0 && memcmp(WR[0], WR[1], sizeof WR[0]) == 0;
                }
    CHECK_INT(same, cases, "wide: the AVX-512 sample kernels give the portable kernels' bits");
    CHECK(tv_silent_from(WL[1], 0, frames) > 1000, "wide: and they play");
    if (!wide) printf("(this machine has no AVX-512: both runs were portable)\n");
    tv_sample_free(&smp[0]);
    tv_sample_free(&smp[1]);
}

int main(void)
{
    test_wide_same_bits();
    test_release_any_block();
    test_loop_wraps();
    test_kill_while_held();
    return test_done();
}
