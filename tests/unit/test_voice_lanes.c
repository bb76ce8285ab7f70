/* test_voice_lanes.c — instrument voices in lane groups: independent phases and exact onsets, fresh state
 * at a mid-block onset, envelopes and the gate, compaction, globals, cut and steal, effects, owners. */
#include "test.h"
#include "test_voice_util.h"

#define SR 44100.0
#define N (1 << 16)

static float L[N], R[N], L2[N], R2[N];
static int owner_a, owner_b;

static void clear_out(void)
{
    memset(L, 0, sizeof L);
    memset(R, 0, sizeof R);
}

/* Start `vs` at absolute frames `at[i]` and render `frames`. */
static void play_at(TvRig *r, VoiceStart *vs, const int *at, int nvs, float *l, float *rr, int frames)
{
    for (int b = 0; b < frames; b += r->block) {
        voice_begin_block(r->vp, r->block);
        for (int i = 0; i < nvs; i++)
            if (at[i] >= b && at[i] < b + r->block) {
                vs[i].offset = at[i] - b;
                voice_start(r->vp, &vs[i]);
            }
        voice_render(r->vp, r->pool, r->globals, r->out, r->players, r->block);
        for (int t = 0; t < r->block; t++) {
            l[b + t] = r->out[0][2 * t];
            rr[b + t] = r->out[0][2 * t + 1];
        }
    }
}

static void test_phases(void)
{
    TvInst *sine = tv_inst_osc(&tk_sine, SR, &owner_a);
    int starts[3][2] = {{0, 10}, {60, 70}, {100, 110}};    /* same block, across a block edge, mid block */
    for (int k = 0; k < 3; k++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart vs[2] = {tv_start_inst(&sine->inst, 300), tv_start_inst(&sine->inst, 300)};
        vs[1].pan = 1;
        clear_out();
        play_at(&r, vs, starts[k], 2, L, R, 4096);
        int a = starts[k][0], d = starts[k][1] - starts[k][0];
        bool shifted = true, differ = false;
        for (int t = a; t < 4000; t++) {
            if (R[t + d] != L[t]) shifted = false;
            if (fabsf(R[t + d] - L[t + d]) > 0.1f) differ = true;
        }
        char name[96];
        snprintf(name, sizeof name, "instrument: same pitch %d frames apart is exactly shifted (starts %d, %d)", d,
                 starts[k][0], starts[k][1]);
        CHECK(shifted, name);
        snprintf(name, sizeof name, "instrument: ... and not in phase (starts %d, %d)", starts[k][0], starts[k][1]);
        CHECK(differ, name);
        CHECK(L[a] == 0 && L[a - (a > 0)] == 0, "instrument: silent up to the onset frame");
        tv_rig_free(&r);
    }

    /* 4 pitches, 4 peaks */
    TvRig r = tv_rig(64, 64, SR, 0);
    float f[4] = {300, 500, 700, 1100};
    VoiceStart vs[4];
    int at[4] = {0, 3, 5, 9};
    for (int i = 0; i < 4; i++) {
        vs[i] = tv_start_inst(&sine->inst, f[i]);
        vs[i].gain = 0.25f;
    }
    clear_out();
    play_at(&r, vs, at, 4, L, R, 16384);
    bool peaks = true;
    for (int i = 0; i < 4; i++)
        if (fabs(tv_goertzel(L + 8192, 8192, f[i], SR) - 0.25) > 0.01) peaks = false;
    double off = fmax(tv_goertzel(L + 8192, 8192, 400, SR), tv_goertzel(L + 8192, 8192, 900, SR));
    CHECK(peaks, "instrument: 4 pitches give 4 peaks of the voice's level");
    CHECK(off < 0.01, "instrument: nothing between the peaks", "%g", off);
    tv_rig_free(&r);
    tv_inst_free(sine);
}

static void test_fresh_state_mid_block(void)
{
    TvInst *sine = tv_inst_osc(&tk_sine, SR, &owner_a);
    /* voice A alone */
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart a = tv_start_inst(&sine->inst, 440);
    int at0[1] = {0};
    clear_out();
    play_at(&r, &a, at0, 1, L2, R2, 8192);
    tv_rig_free(&r);
    /* A, then B (same group) joins at frame 3*64+30: its state is fresh at that frame, A is unaffected */
    r = tv_rig(64, 64, SR, 0);
    VoiceStart vs[2] = {tv_start_inst(&sine->inst, 440), tv_start_inst(&sine->inst, 440)};
    vs[1].pan = 1;
    int at[2] = {0, 222};
    clear_out();
    play_at(&r, vs, at, 2, L, R, 8192);
    bool same = true, fresh = true;
    for (int t = 0; t < 8192; t++)
        if (L[t] != L2[t]) same = false;
    for (int t = 0; t < 8192 - 222; t++)
        if (R[222 + t] != L2[t]) fresh = false;
    CHECK(same, "lanes: a voice joining mid-block leaves the others untouched");
    CHECK(fresh, "lanes: the joining voice's state is fresh at its own onset frame");
    tv_rig_free(&r);
    tv_inst_free(sine);
}

static void test_envelope_and_gate(void)
{
    /* thru(freq) with freq 1 outputs the envelope itself */
    TvInst *env = tv_inst_thru(VEXT_FREQ, SR, &owner_a);
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart v = tv_start_inst(&env->inst, 1);
    v.attack = 0.01f;
    v.hold = 0;
    v.length = 0.05;
    v.release = 0.1f;
    int at[1] = {17};
    clear_out();
    play_at(&r, &v, at, 1, L, R, 16384);
    int A = 441, H = 2205, Rl = 4410;
    CHECK(L[17] == 0, "envelope: attack starts at 0 on the onset frame");
    CHECK_NEAR(L[17 + 220], 220.0 / A, 1e-5, "envelope: linear attack");
    CHECK_NEAR(L[17 + 1000], 1.0, 0, "envelope: holds at 1 until length");
    CHECK_NEAR(L[17 + H - 1], 1.0, 0, "envelope: still 1 on the last frame before the release");
    CHECK(L[17 + H + Rl / 2] < 0.12 && L[17 + H + Rl / 2] > 0.02, "envelope: release is exponential-like",
          "half way: %g", L[17 + H + Rl / 2]);
    bool down = true;
    for (int t = 17 + H; t < 17 + H + Rl - 1; t++)
        if (L[t + 1] > L[t]) down = false;
    CHECK(down, "envelope: release falls monotonically");
    CHECK_INT(tv_silent_from(L, 0, 16384), 17 + H + Rl, "envelope: reaches 0 exactly at the release end");
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 0, "envelope: the voice ends with its release");
    tv_rig_free(&r);

    /* length shorter than the attack: release from the level reached */
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_inst(&env->inst, 1);
    v.attack = 0.1f;
    v.length = 0.01;
    v.release = 0.01f;
    at[0] = 0;
    clear_out();
    play_at(&r, &v, at, 1, L, R, 4096);
    CHECK_NEAR(L[440], 440.0 / 4410, 1e-5, "envelope: a short note releases during the attack ...");
    CHECK(L[442] < L[441] && L[441] <= 441.0 / 4410 + 1e-6, "envelope: ... from the level it reached");
    CHECK_INT(tv_silent_from(L, 0, 4096), 441 + 441, "envelope: and ends after the release");
    tv_rig_free(&r);
    tv_inst_free(env);

    /* thru(gate): 1 while held, 0 in release (times the envelope) */
    TvInst *gate = tv_inst_thru(VEXT_GATE, SR, &owner_a);
    r = tv_rig(64, 64, SR, 0);
    v = tv_start_inst(&gate->inst, 440);
    v.attack = 0;
    v.length = 0.02;
    v.release = 0.05f;
    at[0] = 5;
    clear_out();
    play_at(&r, &v, at, 1, L, R, 8192);
    CHECK(L[4] == 0 && L[5] == 1 && L[5 + 881] == 1, "gate: 1 from the onset while held");
    CHECK(L[5 + 882] == 0 && tv_silent_from(L, 0, 8192) == 5 + 882, "gate: 0 from the release on");
    tv_rig_free(&r);
    tv_inst_free(gate);
}

static void test_compaction(void)
{
    TvInst *saw = tv_inst_saw_lpf(&tk_saw, &tk_lpf, 2000, SR, &owner_a);
    /* the long voice alone */
    TvRig r = tv_rig(256, 64, SR, 0);
    VoiceStart x = tv_start_inst(&saw->inst, 220);
    x.hold = 1;
    int at0[1] = {40};
    clear_out();
    play_at(&r, &x, at0, 1, L2, R2, 16384);
    tv_rig_free(&r);

    /* 40 short voices first (lanes 0..39 over two groups), then the long one; shorts end at
       staggered times, so the long voice's lane is moved down several times */
    r = tv_rig(256, 64, SR, 0);
    VoiceStart vs[41];
    int at[41];
    for (int i = 0; i < 40; i++) {
        vs[i] = tv_start_inst(&saw->inst, 100 + 10 * i);
        vs[i].pan = 1;
        vs[i].attack = 0.001f;
        vs[i].hold = 0;
        vs[i].length = 0.01 + 0.003 * i;
        vs[i].release = 0.01f;
        at[i] = i;
    }
    vs[40] = x;
    at[40] = 40;
    clear_out();
    play_at(&r, vs, at, 41, L, R, 16384);
    bool same = true;
    int bad = -1;
    for (int t = 0; t < 16384; t++)
        if (L[t] != L2[t]) {
            same = false;
            if (bad < 0) bad = t;
        }
    CHECK(same, "compaction: a voice moved between lanes plays on unchanged", "first difference at %d", bad);
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 1, "compaction: the short voices are gone");
    CHECK_INT(voice_count_owner(r.vp, &owner_a), 1, "compaction: one voice of the owner left");
    tv_rig_free(&r);
    tv_inst_free(saw);
}

static void test_globals(void)
{
    TvInst *gl = tv_inst_thru(VEXT_FIRST_GLOBAL, SR, &owner_a);
    TvRig r = tv_rig(64, 64, SR, 0);
    float ramp[64];
    for (int t = 0; t < 64; t++) ramp[t] = (float)t;
    DspBuf g = {ramp, 1, 0};
    r.globals = &g;
    VoiceStart v = tv_start_inst(&gl->inst, 440);
    v.attack = 0;
    int at[1] = {0};
    clear_out();
    play_at(&r, &v, at, 1, L, R, 256);
    CHECK(L[64 + 10] == 10.0f && L[128 + 63] == 63.0f, "globals: an instrument reads a global buffer frame by frame");
    /* a constant global */
    float c = 0.5f;
    DspBuf gc = {&c, 1, DSP_CONST};
    r.globals = &gc;
    clear_out();
    voice_render(r.vp, NULL, r.globals, r.out, r.players, 64);
    CHECK(r.out[0][2 * 33] == 0.5f, "globals: a constant global is broadcast");
    tv_rig_free(&r);
    tv_inst_free(gl);
}

static void test_cut_steal_release(void)
{
    TvInst *env = tv_inst_thru(VEXT_FREQ, SR, &owner_a);
    int fade = (int)lround(0.005 * SR);
    /* cut: the older instrument voice fades from the new voice's onset */
    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart vs[2] = {tv_start_inst(&env->inst, 1), tv_start_inst(&env->inst, 1)};
    vs[0].attack = vs[1].attack = 0;
    vs[0].cut = vs[1].cut = 2;
    vs[1].pan = 1;
    int at[2] = {0, 300};
    clear_out();
    play_at(&r, vs, at, 2, L, R, 2048);
    CHECK(L[299] == 1 && L[300] == 1 && L[301] < 1 && L[300 + fade - 1] > 0 && tv_silent_from(L, 0, 2048) == 300 + fade,
          "instrument cut: the older voice fades from the new onset", "L[301]=%g silent from %d", L[301],
          tv_silent_from(L, 0, 2048));
    CHECK(R[1000] == 1, "instrument cut: the new voice plays");
    tv_rig_free(&r);

    /* steal: 8 voices of capacity, 12 starts */
    r = tv_rig(8, 64, SR, 0);
    VoiceStart s12[12];
    int at12[12];
    for (int i = 0; i < 12; i++) {
        s12[i] = tv_start_inst(&env->inst, 0.01f);
        s12[i].attack = 0.001f;
        at12[i] = i * 50;
    }
    clear_out();
    play_at(&r, s12, at12, 12, L, R, 4096);
    VoiceStats st;
    voice_stats(r.vp, &st);
    CHECK_INT(st.stolen, 4, "instrument steal: 4 stolen");
    CHECK_INT(st.active, 8, "instrument steal: 8 left");
    double worst = 0;
    for (int t = 1; t < 4096; t++) worst = fmax(worst, fabs(L[t] - L[t - 1]));
    CHECK(worst <= 0.01 / 44.1 + 0.01 / fade + 1e-6, "instrument steal: no step larger than a fade step", "%g", worst);

    /* release_all: a 5 ms fade */
    voice_release_all(r.vp);
    clear_out();
    for (int b = 0; b < 1024; b += 64) tv_block(&r, 0, L, R, b);
    CHECK_INT(tv_silent_from(L, 0, 1024), fade, "instrument release_all: a fade of 5 ms");
    voice_stats(r.vp, &st);
    CHECK_INT(st.active, 0, "instrument release_all: none left");
    tv_rig_free(&r);
    tv_inst_free(env);
}

static void test_effects_and_owners(void)
{
    TvInst *saw = tv_inst_osc(&tk_saw, SR, &owner_a);
    TvInst *sine = tv_inst_osc(&tk_sine, SR, &owner_b);
    double h[2];
    for (int k = 0; k < 2; k++) {
        TvRig r = tv_rig(64, 64, SR, 0);
        VoiceStart v = tv_start_inst(&saw->inst, 200);
        v.cutoff = k ? 400 : 0;
        int at[1] = {0};
        clear_out();
        play_at(&r, &v, at, 1, L, R, 16384);
        h[k] = tv_goertzel(L + 8192, 8192, 4000, SR);
        tv_rig_free(&r);
    }
    CHECK(h[1] < h[0] * 0.02, "instrument effects: cutoff 400 removes the 20th harmonic", "%g vs %g", h[1], h[0]);

    TvRig r = tv_rig(256, 64, SR, 0);
    voice_begin_block(r.vp, 64);
    for (int i = 0; i < 50; i++) {
        VoiceStart v = tv_start_inst(i < 35 ? &saw->inst : &sine->inst, 100 + i);
        v.player = i % 3;
        voice_start(r.vp, &v);
    }
    CHECK_INT(voice_count_owner(r.vp, &owner_a), 35, "owners: 35 voices use program A");
    CHECK_INT(voice_count_owner(r.vp, &owner_b), 15, "owners: 15 use program B");
    tv_block(&r, 0, NULL, NULL, 0);
    voice_release_player(r.vp, 1);
    for (int b = 0; b < 2048; b += 64) tv_block(&r, 0, NULL, NULL, b);
    CHECK_INT(voice_count_owner(r.vp, &owner_a) + voice_count_owner(r.vp, &owner_b), 50 - 17,
              "owners: releasing player 1 ends its 17 voices");
    tv_rig_free(&r);
    tv_inst_free(saw);
    tv_inst_free(sine);
}

/* A node shared by all lanes (an LFO that does not depend on the voice) keeps its state when voices
 * join or leave; only per-lane nodes get a fresh lane. */
static void test_shared_node(void)
{
    TvInst *t = calloc(1, sizeof *t);
    t->bufs[0] = (GraphBuf){GB_CONST, 1, 3.0f, 0};               /* 3 Hz */
    t->bufs[1] = (GraphBuf){GB_NODE, 1, 0, 0};                   /* shared LFO, one lane */
    t->bufs[2] = (GraphBuf){GB_EXTERN, VOICE_LANES, 0, VEXT_FREQ};
    t->bufs[3] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};         /* per-voice sine */
    t->bufs[4] = (GraphBuf){GB_NODE, VOICE_LANES, 0, 0};         /* lfo, per lane */
    t->g.nbufs = 5;
    t->nodes[0] = (GraphNode){.kind = &tk_sine, .in = {2}, .out = 3, .lanes = VOICE_LANES, .state = 0};
    t->nodes[1] = (GraphNode){.kind = &tk_sine, .in = {0}, .out = 1, .lanes = 1, .state = 1};
    t->nodes[2] = (GraphNode){.kind = &tk_thru, .in = {1}, .out = 4, .lanes = VOICE_LANES, .state = 2};
    t->g.nnodes = 3;
    t->g.out = 4;
    t->g.nodes = t->nodes;
    t->g.bufs = t->bufs;
    t->g.lanes = VOICE_LANES;
    t->g.nstate = 2;
    t->fresh = calloc(graph_state_floats(&t->g), sizeof(float));
    graph_init_state(&t->g, t->fresh, (float)SR);
    t->inst = (Instrument){&t->g, t->fresh, 0, t->global_buf, &owner_a, 0};

    TvRig r = tv_rig(64, 64, SR, 0);
    VoiceStart vs[3] = {tv_start_inst(&t->inst, 200), tv_start_inst(&t->inst, 300), tv_start_inst(&t->inst, 400)};
    /* the short voice takes lane 0 and ends, so the long one (the one heard, on the left) is moved
       from lane 1 to lane 0; then another joins */
    vs[0].attack = vs[1].attack = vs[2].attack = 0;
    vs[0].pan = vs[2].pan = 1;
    vs[0].length = 0.01;
    vs[0].release = 0.01f;
    int at[3] = {0, 10, 3000};
    clear_out();
    play_at(&r, vs, at, 3, L, R, 8192);
    bool smooth = true;
    for (int t2 = 10; t2 < 8192; t2++)
        if (fabsf(L[t2] - sinf(2 * (float)M_PI * 3.0f * (float)t2 / (float)SR)) > 1e-3f) smooth = false;
    CHECK(smooth, "lanes: a node shared by all lanes keeps its state as voices join and leave");
    tv_rig_free(&r);
    free(t->fresh);
    free(t);
}

/* Blocks longer than a render piece (256 frames) and shorter ones give the same sound. */
static void test_block_sizes(void)
{
    TvInst *saw = tv_inst_saw_lpf(&tk_saw, &tk_lpf, 3000, SR, &owner_a);
    Sample sn = tv_sine(44100, 44100, 330, 0.3);
    int sizes[2] = {64, 1000};
    static float out[2][2][16000];
    for (int k = 0; k < 2; k++) {
        TvRig r = tv_rig(64, sizes[k], SR, 2);
        for (int b = 0; b < 16000; b += r.block) {
            voice_begin_block(r.vp, r.block);
            /* the same starts at the same absolute frames, whatever the block */
            int at[6] = {10, 300, 777, 2500, 2600, 9001};
            for (int i = 0; i < 6; i++) {
                if (at[i] < b || at[i] >= b + r.block) continue;
                VoiceStart v = i % 2 ? tv_start_inst(&saw->inst, 110 * (i + 1)) : tv_start_sample(&sn);
                v.offset = at[i] - b;
                v.pan = 0.2f * i;
                v.length = i == 2 ? 0.05 : 0;
                v.hold = 0.1f;
                v.cut = i >= 3 ? 1 : 0;
                voice_start(r.vp, &v);
            }
            if (b == 8000) voice_release_all(r.vp);    /* a block edge for both sizes */
            voice_render(r.vp, r.pool, NULL, r.out, r.players, r.block);
            for (int t = 0; t < r.block && b + t < 16000; t++) {
                out[k][0][b + t] = r.out[0][2 * t];
                out[k][1][b + t] = r.out[0][2 * t + 1];
            }
        }
        tv_rig_free(&r);
    }
    double worst = 0, energy = 0;
    for (int c = 0; c < 2; c++)
        for (int t = 0; t < 16000; t++) {
            worst = fmax(worst, fabs(out[0][c][t] - out[1][c][t]));
            energy += out[0][c][t] * out[0][c][t];
        }
    CHECK(energy > 10, "block sizes: the mix is not silent", "%g", energy);
    for (int c = 0, shown = 0; c < 2; c++)
        for (int t = 0; t < 16000 && shown < 8; t++)
            if (fabs(out[0][c][t] - out[1][c][t]) > 1e-4) {
                printf("# ch %d frame %d: %g vs %g\n", c, t, out[0][c][t], out[1][c][t]);
                shown++;
            }
    CHECK(worst < 1e-4, "block sizes: blocks of 64 and of 1000 frames sound the same", "largest difference %g", worst);
    tv_inst_free(saw);
    tv_sample_free(&sn);
}

int main(void)
{
    test_phases();
    test_fresh_state_mid_block();
    test_envelope_and_gate();
    test_compaction();
    test_globals();
    test_cut_steal_release();
    test_effects_and_owners();
    test_block_sizes();
    test_shared_node();
    return test_done();
}
