/* phonon_dump.c — phonon's kernels rendered to float WAV files, the signals tools/sc/compare.py measures
 * next to SuperCollider's renders of the same test signals. It runs one node the way the unit tests do
 * (tests/unit/test_dsp_util.h), so the figures are those of the kernel alone, all wet, no master stage.
 *
 *   phonon_dump osc SHAPE OUT.wav            segments of SEG frames, one per fundamental (bins below)
 *   phonon_dump filter KIND FC Q OUT.wav     impulse response (amplitude AMP) of lpf/hpf/bpf/notch/moog,
 *                                           Q is q (moog: resonance), 65536 frames
 *   phonon_dump reverb ROOM DAMP SECS OUT.wav  stereo impulse response, all wet
 *
 * All at 44.1 kHz. The segment layout is the one tools/sc/render.scd uses for scsynth. */
#include <sndfile.h>
#include <stdio.h>

#include "test_dsp_util.h"

#define FS 44100.0f
#define WIN 4096
#define SEG 12288           /* frames per fundamental; a multiple of 64 (scsynth's block) */
#define FILT_LEN 65536
#define AMP 0.01f           /* small, so moog's input limiter is linear */

static int write_wav(const char *path, const float *y, int frames, int channels)
{
    SF_INFO info = { .samplerate = (int)FS, .channels = channels, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        fprintf(stderr, "phonon_dump: %s: %s\n", path, sf_strerror(NULL));
        return 1;
    }
    sf_writef_float(f, y, frames);
    sf_close(f);
    return 0;
}

/* The fundamentals: every bin of a 4096-point FFT from 10 (108 Hz) to 1023 (11 kHz), then the
 * top-octave bins of tests/unit/test_sound_osc.c (1 kHz .. 15 kHz). */
static const int top_bins[] = { 93, 464, 743, 929, 1115, 1207, 1300, 1393 };
#define NSEG (1014 + 8)
static int seg_bin(int i) { return i < 1014 ? 10 + i : top_bins[i - 1014]; }

static int dump_osc(const char *shape, const char *out)
{
    float *all = t_alloc((size_t)NSEG * SEG);
    for (int i0 = 0; i0 < NSEG; i0 += 32) {
        float freqs[32];
        for (int l = 0; l < 32; l++) freqs[l] = (float)(seg_bin(i0 + l < NSEG ? i0 + l : NSEG - 1) * (FS / WIN));
        TNode nd = t_node(shape, 32, FS, 1);
        TIn in[2] = { t_sig(freqs, 32), t_k(0.5f) };
        in[0].konst = 1;
        float *y = t_alloc((size_t)SEG * 32);
        t_run(&nd, in, SEG, 64, y);
        for (int l = 0; l < 32 && i0 + l < NSEG; l++)
            for (int t = 0; t < SEG; t++) all[(size_t)(i0 + l) * SEG + t] = y[(size_t)t * 32 + l];
        t_free(&nd);
        free(y);
    }
    int r = write_wav(out, all, NSEG * SEG, 1);
    free(all);
    return r;
}

static int dump_filter(const char *kind, float fc, float q, const char *out)
{
    float *x = t_alloc(FILT_LEN);
    x[0] = AMP;
    float *y = t_filter(kind, FS, x, FILT_LEN, t_k(fc), t_k(q), t_k(0), t_k(0));
    int r = write_wav(out, y, FILT_LEN, 1);
    free(x), free(y);
    return r;
}

static int dump_reverb(float room, float damp, double secs, const char *out)
{
    int frames = (int)(secs * FS);
    float *x = t_alloc((size_t)frames);
    x[0] = 1.0f;
    float *y = t_filter("reverb", FS, x, frames, t_k(room), t_k(damp), t_k(1.0f), t_k(0));
    int r = write_wav(out, y, frames, 2);
    free(x), free(y);
    return r;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "osc")) return dump_osc(argv[2], argv[3]);
    if (argc == 6 && !strcmp(argv[1], "filter")) return dump_filter(argv[2], (float)atof(argv[3]), (float)atof(argv[4]), argv[5]);
    if (argc == 6 && !strcmp(argv[1], "reverb"))
        return dump_reverb((float)atof(argv[2]), (float)atof(argv[3]), atof(argv[4]), argv[5]);
    fprintf(stderr, "usage: phonon_dump osc SHAPE OUT | filter KIND FC Q OUT | reverb ROOM DAMP SECS OUT\n");
    return 2;
}
