/* test_voice.c — sample voices: pitch, length, level, pan, onsets, reverse, accelerate, envelopes,
 * fades, cut groups, stealing, release and remapping, per-voice effects. */
#include "test.h"
#include "test_voice_util.h"
#include "value.h"

#define SR 44100.0
#define N 44100

static float L[4 * N + 256], R[4 * N + 256];

static void clear_out(void)
{
    memset(L, 0, sizeof L);
    memset(R, 0, sizeof R);
}

static void test_pitch(void)
{
    /* 441 Hz sines at three file rates; the scheduler's rate corrects the file rate */
    double rates[3] = {22050, 44100, 48000};
    for (int k = 0; k < 3; k++) {
        Sample s = tv_sine((int)rates[k], rates[k], 441, 0.5);
        for (int oct = 1; oct <= 2; oct++) {
            TvRig r = tv_rig(64, 64, SR, 0);
            VoiceStart v = tv_start_sample(&s);
            v.rate = (float)(oct * rates[k] / SR);
            clear_out();
            tv_play(&r, &v, 1, L, R, 8192);
            double f = tv_zc_freq(L, 0, 8000, SR);
            char name[96];
            snprintf(name, sizeof name, "pitch: %g Hz file at rate x%d plays %d Hz", rates[k], oct, 441 * oct);
            CHECK_NEAR(f, 441.0 * oct, 0.5, name);
            tv_rig_free(&r);
        }
        tv_sample_free(&s);
    }
}

static void test_length(void)
{
    Sample s = tv_dc(1000, 1, 0.5f, 0);
    struct { float begin, end; int loop; double length; float rate; int stop; const char *name; } cases[] = {
        {0, 1, 1, 0, 1, 1000, "length: whole file stops at frame 1000"},
        {0.25f, 0.75f, 1, 0, 1, 500, "length: begin 0.25 end 0.75 stops after 500 frames"},
        {0, 1, 2, 0, 1, 2000, "length: loop 2 stops at 2000"},
        {0.5f, 1, 3, 0, 1, 1500, "length: begin 0.5, loop 3 stops at 1500"},
        {0, 1, 1, 0.01, 1, 441, "length: length 0.01 s stops at frame 441"},
        {0, 1, 1, 5.0, 1, 1000, "length: a length past the end stops at the sample's end"},
        {0, 1, 1, 0, 2, 500, "length: rate 2 stops at 500"},
        {0, 1, 1, 0, 3, 334, "length: rate 3 stops at ceil(1000/3)"},
        {0, 1, 1, 0, -1, 1000, "length: reverse stops at 1000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_sample(&s);
        v.begin = cases[i].begin;
        v.end = cases[i].end;
        v.loop = cases[i].loop;
        v.length = cases[i].length;
        v.rate = cases[i].rate;
        clear_out();
        tv_play(&r, &v, 1, L, R, 4096);
        int stop = tv_silent_from(L, 0, 4096);
        CHECK_INT(stop, cases[i].stop, cases[i].name);
        VoiceStats st;
        voice_stats(r.vp, &st);
        CHECK_INT(st.active, 0, "length: the voice is gone afterwards");
        tv_rig_free(&r);
    }
    tv_sample_free(&s);
}

static void test_level_and_pan(void)
{
    Sample s = tv_dc(4000, 1, 1.0f, 0);
    float pans[3] = {0, 0.5f, 1};
    float wantl[3] = {1, 0.70710678f, 0}, wantr[3] = {0, 0.70710678f, 1};
    for (int k = 0; k < 3; k++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_sample(&s);
        v.pan = pans[k];
        v.gain = 0.5f;
        clear_out();
        tv_play(&r, &v, 1, L, R, 1024);
        char name[80];
        snprintf(name, sizeof name, "pan %.1f (mono, equal power, gain 0.5): left", pans[k]);
        CHECK_NEAR(L[500], 0.5 * wantl[k], 1e-6, name);
        snprintf(name, sizeof name, "pan %.1f (mono, equal power, gain 0.5): right", pans[k]);
        CHECK_NEAR(R[500], 0.5 * wantr[k], 1e-6, name);
        tv_rig_free(&r);
    }
    tv_sample_free(&s);

    /* stereo files keep their image; pan balances */
    Sample st = tv_dc(4000, 2, 0.8f, -0.4f);
    float spans[3] = {0.5f, 0.25f, 1.0f};
    double sl[3] = {0.8, 0.8, 0}, srr[3] = {-0.4, -0.4 * M_SQRT2 * sin(M_PI / 8), -0.4};
    for (int k = 0; k < 3; k++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_sample(&st);
        v.pan = spans[k];
        clear_out();
        tv_play(&r, &v, 1, L, R, 1024);
        char name[80];
        snprintf(name, sizeof name, "stereo file at pan %.2f: left", spans[k]);
        CHECK_NEAR(L[500], sl[k], 1e-6, name);
        snprintf(name, sizeof name, "stereo file at pan %.2f: right", spans[k]);
        CHECK_NEAR(R[500], srr[k], 1e-6, name);
        tv_rig_free(&r);
    }
    tv_sample_free(&st);

    /* a sine's level follows gain */
    Sample sn = tv_sine(44100, 44100, 100, 1.0);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&sn);
    v.gain = 0.25f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 8192);
    float peak = 0;
    for (int i = 0; i < 8192; i++) peak = fmaxf(peak, fabsf(L[i]));
    CHECK_NEAR(peak, 0.25, 1e-3, "level: gain 0.25 gives a peak of 0.25");
    tv_rig_free(&r);
    tv_sample_free(&sn);
}

static void test_onsets(void)
{
    Sample ramp = tv_ramp(2000, 1.0f);
    int offs[3] = {0, 17, 63};
    for (int k = 0; k < 3; k++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        clear_out();
        /* start in the second block so a frame before the onset exists for offset 0 too */
        voice_begin_block(r.vp, 64);
        tv_block(&r, 0, L, R, 0);
        VoiceStart v = tv_start_sample(&ramp);
        v.offset = offs[k];
        voice_start(r.vp, &v);
        for (int at = 64; at < 512; at += 64) tv_block(&r, 0, L, R, at);
        int on = 64 + offs[k];
        char name[80];
        snprintf(name, sizeof name, "onset at offset %d: silent before", offs[k]);
        CHECK(L[on - 1] == 0, name, "L[%d] = %g", on - 1, L[on - 1]);
        snprintf(name, sizeof name, "onset at offset %d: read position exact", offs[k]);
        bool exact = true;
        for (int t = 0; t < 300; t++)
            if (L[on + t] != (float)t) exact = false;
        CHECK(exact, name, "L[on..] = %g %g %g", L[on], L[on + 1], L[on + 2]);
        tv_rig_free(&r);
    }
    /* a sub-frame onset shifts the read position back by frac */
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&ramp);
    v.offset = 17;
    v.frac = 0.25f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 256);
    /* 4-point Hermite through the zero pad: (0, 0, 0, 1) at 0.75 and (0, 0, 1, 2) at 0.75 */
    CHECK_NEAR(L[17], -0.0703125, 1e-6, "onset frac 0.25: the first frame reads between the pad and frame 0");
    CHECK_NEAR(L[18], 0.7265625, 1e-5, "onset frac 0.25: position 0.75 one frame later");
    CHECK_NEAR(L[117], 99.75, 1e-3, "onset frac 0.25: position t - 0.25 later on");
    tv_rig_free(&r);

    /* DC with a frac: the first frame is the interpolated edge */
    Sample dc = tv_dc(1000, 1, 1.0f, 0);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&dc);
    v.offset = 5;
    v.frac = 0.5f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 128);
    CHECK(L[4] == 0, "onset frac 0.5 on DC: silent before the offset");
    CHECK_NEAR(L[5], 0.5, 1e-6, "onset frac 0.5 on DC: half a step at the offset");
    /* the cubic's overshoot of the step from the pad: (0, 1, 1, 1) at 0.5 */
    CHECK_NEAR(L[6], 1.0625, 1e-6, "onset frac 0.5 on DC: full level (and the cubic's overshoot) a frame later");
    tv_rig_free(&r);
    tv_sample_free(&dc);
    tv_sample_free(&ramp);
}

static void test_reverse_and_accelerate(void)
{
    Sample ramp = tv_ramp(1000, 1.0f);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&ramp);
    v.rate = -1;
    clear_out();
    tv_play(&r, &v, 1, L, R, 2048);
    bool ok = true;
    int fade = 44;                      /* the 1 ms fade at the file's start, where the reverse read ends */
    for (int t = 0; t < 1000 - fade; t++)
        if (L[t] != (float)(999 - t)) ok = false;
    CHECK(ok, "reverse: frame t reads sample 999 - t", "L[0]=%g L[1]=%g L[999]=%g", L[0], L[1], L[999]);
    CHECK(L[998] < 1.0f && L[998] > 0.0f && L[999] == 0.0f, "reverse: the last frame reads sample 0, faded");
    tv_rig_free(&r);

    /* reverse of a region: begin .2 end .6 plays 599 .. 200 */
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&ramp);
    v.rate = -1;
    v.begin = 0.2f;
    v.end = 0.6f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 1024);
    CHECK_INT(tv_silent_from(L, 0, 1024), 400, "reverse region: 400 frames");
    /* a fade-in (the read starts inside the file) means the first frames are scaled; check after it */
    CHECK_NEAR(L[200], 399.0 * 1.0, 1e-3, "reverse region: frame 200 reads sample 399");
    tv_rig_free(&r);

    /* accelerate 1: the rate glides 1 -> 2 over the voice; duration = 2000 / 1.5 */
    Sample ramp2 = tv_ramp(2000, 0.001f);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&ramp2);
    v.accelerate = 1;
    clear_out();
    tv_play(&r, &v, 1, L, R, 4096);
    int T = (int)ceil(2000 / 1.5);
    CHECK_INT(tv_silent_from(L, 0, 4096), T, "accelerate 1: duration is the region over the mean rate");
    double a = 1.0 / T;
    for (int t = 200; t <= 1200; t += 500) {
        double pos = t + 0.5 * t * (t - 1) * a;
        char name[80];
        snprintf(name, sizeof name, "accelerate 1: read position at frame %d", t);
        CHECK_NEAR(L[t], pos * 0.001, 2e-4, name);
    }
    tv_rig_free(&r);
    tv_sample_free(&ramp2);

    /* accelerate on a sine: pitch at the start ~f, near the end ~2f */
    Sample sn = tv_sine(44100 * 2, 44100, 441, 0.5);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&sn);
    v.accelerate = 1;
    clear_out();
    tv_play(&r, &v, 1, L, R, 4 * N);
    int dur = (int)ceil(88200 / 1.5);
    double f0 = tv_zc_freq(L, 0, 2000, SR), f1 = tv_zc_freq(L, dur - 2000, dur - 10, SR);
    CHECK_NEAR(f0, 441 * (1 + 1000.0 / dur), 3, "accelerate 1: starts at the note");
    CHECK_NEAR(f1, 441 * (1 + (dur - 1000.0) / dur), 6, "accelerate 1: ends an octave up");
    tv_rig_free(&r);
    tv_sample_free(&sn);
    tv_sample_free(&ramp);
}

static void test_envelopes_and_fades(void)
{
    Sample dc = tv_dc(44100, 1, 1.0f, 0);
    int fade = (int)lround(0.005 * SR), fin = (int)lround(0.002 * SR);

    /* length shorter than the sample: a linear fade over the last `fade` frames, ending at length */
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&dc);
    v.length = 0.1;
    clear_out();
    tv_play(&r, &v, 1, L, R, 8192);
    int T = 4410;
    CHECK_INT(tv_silent_from(L, 0, 8192), T, "fade: a length-limited voice ends at its length");
    CHECK_NEAR(L[T - fade - 1], 1.0, 0, "fade: full level before the fade");
    CHECK_NEAR(L[T - fade], 1.0, 1e-6, "fade: the fade starts from full level");
    CHECK_NEAR(L[T - 1], 1.0 / fade, 1e-4, "fade: last frame is one step above 0");
    bool mono = true;
    for (int t = T - fade; t < T; t++)
        if (L[t + 1] > L[t] || L[t] - L[t + 1] > 1.0 / fade + 1e-5) mono = false;
    CHECK(mono, "fade: linear and monotone, no step larger than 1/fade");
    tv_rig_free(&r);

    /* begin > 0: a short fade-in */
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&dc);
    v.begin = 0.5f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 23040);
    CHECK(L[0] == 0, "fade-in: begin > 0 starts from 0");
    CHECK_NEAR(L[fin / 2], 0.5, 0.01, "fade-in: half way at half the fade-in");
    CHECK_NEAR(L[fin + 5], 1.0, 0, "fade-in: full level after it");
    CHECK_NEAR(L[44100 / 2 - 45], 1.0, 0, "fade-in: full level until the 1 ms fade at the file's natural end");
    CHECK(L[44100 / 2 - 1] < 0.05f, "fade-in: the file's end fades out over 1 ms", "%g", L[44100 / 2 - 1]);
    tv_rig_free(&r);

    /* has_env: release alone gives an immediate decay (SuperDirt's linen, hold 0) */
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&dc);
    v.has_env = true;
    v.attack = 0;
    v.hold = 0;
    v.release = 0.1f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 8192);
    CHECK_NEAR(L[0], 1.0, 1e-6, "env: release alone starts at full level");
    CHECK(L[2205] < 0.3 && L[2205] > 0.03, "env: curve -3 falls fast, then slowly", "L[2205] = %g", L[2205]);
    CHECK_INT(tv_silent_from(L, 0, 8192), 4410, "env: the voice ends with its release");
    tv_rig_free(&r);

    /* has_env: attack 0.05 rises to 1, hold 0.05, release 0.05 */
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&dc);
    v.has_env = true;
    v.attack = 0.05f;
    v.hold = 0.05f;
    v.release = 0.05f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 8192);
    CHECK(L[0] == 0, "env: attack starts at 0");
    CHECK(L[1102] > 0.6 && L[1102] < 0.9, "env: curve -3 attack is fast at first", "L[1102] = %g", L[1102]);
    CHECK_NEAR(L[2205 + 100], 1.0, 0, "env: hold at full level");
    CHECK_INT(tv_silent_from(L, 0, 8192), 3 * 2205, "env: ends after attack + hold + release");
    tv_rig_free(&r);
    tv_sample_free(&dc);
}

static void test_cut_groups(void)
{
    Sample dc = tv_dc(44100, 1, 1.0f, 0);
    int fade = (int)lround(0.005 * SR);
    uint32_t s1 = 11, s2 = 12;
    struct { int cut1, cut2; uint32_t snd2; int player2; bool cuts; const char *name; } cases[] = {
        {1, 1, 11, 0, true, "cut: same group fades the older voice"},
        {1, 2, 11, 0, false, "cut: another group leaves it"},
        {-1, -1, 11, 0, true, "cut -1: the same sound is cut"},
        {-1, -1, 12, 0, false, "cut -1: another sound is not"},
        {1, -1, 11, 0, true, "cut: |cut| matches (1 and -1, same sound)"},
        {1, 1, 11, 1, false, "cut: another player's voices are not cut"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        clear_out();
        VoiceStart a = tv_start_sample(&dc);
        a.cut = cases[i].cut1;
        a.sound = s1;
        a.pan = 0;
        voice_begin_block(r.vp, 64);
        voice_start(r.vp, &a);
        tv_block(&r, 0, L, R, 0);
        VoiceStart b = tv_start_sample(&dc);
        b.cut = cases[i].cut2;
        b.sound = cases[i].snd2 == 11 ? s1 : s2;
        b.player = cases[i].player2;
        b.pan = 1;
        b.offset = 20;
        voice_start(r.vp, &b);
        for (int at = 64; at < 1024; at += 64) tv_block(&r, 0, L, R, at);
        int on = 84;
        if (cases[i].cuts) {
            bool ok = L[on - 1] == 1.0f && L[on] == 1.0f && L[on + 1] < 1.0f && L[on + fade - 1] > 0 &&
                      L[on + fade] == 0 && tv_silent_from(L, on, 1024) == on + fade;
            CHECK(ok, cases[i].name, "L[on-1]=%g L[on]=%g L[on+1]=%g L[on+fade-1]=%g L[on+fade]=%g", L[on - 1], L[on],
                  L[on + 1], L[on + fade - 1], L[on + fade]);
        } else {
            CHECK(L[1000] == 1.0f, cases[i].name, "L[1000] = %g", L[1000]);
        }
        tv_rig_free(&r);
    }
    tv_sample_free(&dc);
}

static void test_stealing(void)
{
    /* a pool of 8: 12 starts, 4 stolen with a fade, never a step larger than a fade step */
    Sample sn = tv_sine(44100, 44100, 100, 0.1);
    TvRig r = tv_rig(8, 64, SR, 0);
    clear_out();
    voice_begin_block(r.vp, 64);
    int at = 0;
    for (int i = 0; i < 12; i++) {
        VoiceStart v = tv_start_sample(&sn);
        v.pan = 0;
        v.offset = (i * 7) % 64;
        voice_start(r.vp, &v);
        tv_block(&r, 0, L, R, at);
        at += 64;
    }
    for (; at < 8192; at += 64) tv_block(&r, 0, L, R, at);
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.started, 12, "steal: 12 voices started");
    CHECK_INT(st.stolen, 4, "steal: 4 stolen");
    CHECK_INT(st.dropped, 0, "steal: none dropped");
    int fade = (int)lround(0.005 * SR);
    double slope = 12 * 0.1 * 2 * M_PI * 100 / SR;      /* the steepest the sum of sines can be */
    double worst = 0;
    for (int t = 1; t < 8192; t++) worst = fmax(worst, fabs(L[t] - L[t - 1]));
    CHECK(worst <= slope + 0.1 / fade + 1e-6, "steal: no discontinuity larger than a fade step",
          "largest step %g, bound %g", worst, slope + 0.1 / fade);
    CHECK(st.peak <= 12, "steal: peak within capacity plus fading tails", "peak %d", st.peak);
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 8, "steal: 8 voices remain");
    tv_rig_free(&r);
    tv_sample_free(&sn);
}

static void test_release_and_remap(void)
{
    Sample dc = tv_dc(44100, 1, 1.0f, 0);
    int fade = (int)lround(0.005 * SR);
    TvRig r = tv_rig(64, 64, SR, 0);
    clear_out();
    VoiceStart a = tv_start_sample(&dc);
    a.player = 0;
    VoiceStart b = tv_start_sample(&dc);
    b.player = 1;
    voice_begin_block(r.vp, 64);
    voice_start(r.vp, &a);
    voice_start(r.vp, &b);
    tv_block(&r, 0, L, R, 0);
    voice_release_player(r.vp, 0);
    for (int at = 64; at < 1024; at += 64) tv_block(&r, 0, L, R, at);
    CHECK_INT(tv_silent_from(L, 0, 1024), 64 + fade, "release_player: fades out from the next block");
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 1, "release_player: the other player's voice plays on");

    /* remap: player 1 -> 0 */
    int map[2] = {-1, 0};
    voice_remap_players(r.vp, map, 2, 3);
    clear_out();
    tv_block(&r, 0, L, R, 0);
    CHECK(L[10] == 1.0f, "remap: player 1's voice now sums into player 0");
    map[0] = -1;
    int map2[1] = {-1};
    voice_remap_players(r.vp, map2, 1, 3);
    clear_out();
    for (int at = 0; at < 1024; at += 64) tv_block(&r, 3, L, R, at);
    CHECK(L[0] == 1.0f && tv_silent_from(L, 0, 1024) == fade, "remap: an orphan fades out in the orphan player",
          "L[0]=%g silent from %d", L[0], tv_silent_from(L, 0, 1024));

    voice_begin_block(r.vp, 64);
    voice_start(r.vp, &a);
    voice_start(r.vp, &b);
    voice_release_all(r.vp);
    clear_out();
    tv_block(&r, 0, L, R, 0);
    CHECK_INT(tv_silent_from(L, 0, 64), 0, "release_all: voices released before their onset are never heard");
    voice_start(r.vp, &a);
    voice_start(r.vp, &b);
    tv_block(&r, 0, L, R, 0);
    voice_release_all(r.vp);
    for (int at = 64; at < 1024; at += 64) tv_block(&r, 0, L, R, at);
    CHECK_INT(tv_silent_from(L, 0, 1024), 64 + fade, "release_all: everything fades at once");
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 0, "release_all: nothing left");
    tv_rig_free(&r);
    tv_sample_free(&dc);
}

static void test_effects(void)
{
    /* lpf at 500 Hz: a 5 kHz sine is attenuated, a 100 Hz sine is not */
    double fs[2] = {100, 5000};
    double got[2];
    for (int k = 0; k < 2; k++) {
        Sample sn = tv_sine(44100, 44100, fs[k], 0.5);
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_sample(&sn);
        v.cutoff = 500;
        clear_out();
        tv_play(&r, &v, 1, L, R, 8192);
        got[k] = tv_goertzel(L + 4096, 4096, fs[k], SR);
        tv_rig_free(&r);
        tv_sample_free(&sn);
    }
    CHECK_NEAR(got[0], 0.5, 0.03, "lpf 500: 100 Hz passes");
    CHECK(got[1] < 0.5 * 0.02, "lpf 500: 5 kHz is 2-pole attenuated", "%g", got[1]);

    /* hpf at 2 kHz: the opposite */
    for (int k = 0; k < 2; k++) {
        Sample sn = tv_sine(44100, 44100, fs[k], 0.5);
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_sample(&sn);
        v.hcutoff = 2000;
        clear_out();
        tv_play(&r, &v, 1, L, R, 8192);
        got[k] = tv_goertzel(L + 4096, 4096, fs[k], SR);
        tv_rig_free(&r);
        tv_sample_free(&sn);
    }
    CHECK(got[0] < 0.5 * 0.01, "hpf 2000: 100 Hz is removed", "%g", got[0]);
    CHECK_NEAR(got[1], 0.5, 0.06, "hpf 2000: 5 kHz passes");

    /* bpf at 1 kHz (bandq 10): the centre keeps SuperDirt's gain of bandq */
    Sample sn = tv_sine(44100, 44100, 1000, 0.05);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_sample(&sn);
    v.bandf = 1000;
    v.bandq = 10;
    clear_out();
    tv_play(&r, &v, 1, L, R, 16384);
    CHECK_NEAR(tv_goertzel(L + 8192, 8192, 1000, SR), 0.5, 0.03, "bpf: x bandq at the centre");
    tv_rig_free(&r);
    tv_sample_free(&sn);

    /* shape: soft clip, crush: quantised, coarse: held values */
    Sample dc = tv_dc(4410, 1, 0.5f, 0);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&dc);
    v.shape = 0.5f;
    clear_out();
    tv_play(&r, &v, 1, L, R, 1024);
    CHECK_NEAR(L[100], 3 * 0.5 / (1 + 2 * 0.5), 1e-6, "shape 0.5: (1+k)x/(1+k|x|) with k = 2");
    tv_rig_free(&r);
    tv_sample_free(&dc);

    Sample ramp = tv_ramp(4000, 0.0002f);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&ramp);
    v.crush = 4;
    clear_out();
    tv_play(&r, &v, 1, L, R, 1024);
    bool quant = true;
    for (int t = 0; t < 1000; t++)
        if (fabsf(L[t] * 8 - roundf(L[t] * 8)) > 1e-6) quant = false;
    CHECK(quant, "crush 4: values are multiples of 1/8");
    CHECK_NEAR(L[900], roundf(900 * 0.0002f * 8) / 8, 1e-6, "crush 4: rounds to the nearest step");
    tv_rig_free(&r);

    r = tv_rig(64, 64, SR, 0);
    v = tv_start_sample(&ramp);
    v.coarse = 4;
    clear_out();
    tv_play(&r, &v, 1, L, R, 1024);
    bool held = true;
    for (int t = 0; t < 800; t++)
        if (L[t] != L[t - t % 4] || (t % 4 == 0 && fabsf(L[t] - t * 0.0002f) > 1e-6)) held = false;
    CHECK(held, "coarse 4: every 4th frame is held");
    tv_rig_free(&r);
    tv_sample_free(&ramp);

    /* vowel: a and i put their energy in different places */
    Sample saw = tv_sample(44100, 1, 44100);
    for (int i = 0; i < 44100; i++) tv_data(&saw, 0)[i] = (float)(2 * fmod(i * 110.0 / 44100, 1.0) - 1) * 0.2f;
    double low[2], high[2];
    const char *vw[2] = {"a", "i"};
    for (int k = 0; k < 2; k++) {
        r = tv_rig(64, 64, SR, 0);
        v = tv_start_sample(&saw);
        v.vowel = sym_intern(vw[k]);
        v.vowel_res = 0.5f;         /* what the scheduler gives when resonance is not set (dirt_vowel's default) */
        clear_out();
        tv_play(&r, &v, 1, L, R, 16384);
        low[k] = tv_goertzel(L + 8192, 8192, 330, SR);   /* near i's first formant (270 Hz) */
        high[k] = tv_goertzel(L + 8192, 8192, 660, SR);  /* a's first formant */
        tv_rig_free(&r);
    }
    /* SuperDirt's formants are wide (a's first: Q 2.5 at the default resonance), and the saw's 330 Hz
       harmonic is twice its 660 Hz one: 1.7x after the filter (test_sound_vowel has the exact figures) */
    CHECK(high[0] > 1.5 * low[0], "vowel a: 660 Hz over 330 Hz", "660: %g, 330: %g", high[0], low[0]);
    CHECK(low[1] > 2 * high[1], "vowel i: 330 Hz over 660 Hz", "660: %g, 330: %g", high[1], low[1]);
    tv_sample_free(&saw);
}

static void test_capacity_large(void)
{
    /* 65536 voices fit; per-block work follows the active voices */
    Sample dc = tv_dc(200, 1, 0.001f, 0);
    TvRig r = tv_rig(65536, 64, SR, 0);
    voice_begin_block(r.vp, 64);
    int ok = 0;
    for (int i = 0; i < 65536; i++) {
        VoiceStart v = tv_start_sample(&dc);
        v.offset = i % 64;
        ok += voice_start(r.vp, &v);
    }
    CHECK_INT(ok, 65536, "capacity 65536: every voice starts");
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 65536, "capacity 65536: all active");
    clear_out();
    for (int at = 0; at < 512; at += 64) tv_block(&r, 0, L, R, at);
    CHECK_NEAR(L[100], 65536 * 0.001, 0.01, "capacity 65536: all of them sound");
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 0, "capacity 65536: all ended");
    tv_rig_free(&r);
    tv_sample_free(&dc);
}

int main(void)
{
    test_pitch();
    test_length();
    test_level_and_pan();
    test_onsets();
    test_reverse_and_accelerate();
    test_envelopes_and_fades();
    test_cut_groups();
    test_stealing();
    test_release_and_remap();
    test_effects();
    test_capacity_large();
    return test_done();
}
