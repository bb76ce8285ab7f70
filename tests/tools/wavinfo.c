/* wavinfo.c — what a sound file contains, for shell tests: frames, rate, channels, RMS, peak,
 * onsets (frames where sound starts after silence) and the dominant frequency of the left channel. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wavinfo FILE [gap_frames]\n");
        return 2;
    }
    long gap = argc > 2 ? atol(argv[2]) : 500;
    SF_INFO info = { 0 };
    SNDFILE *f = sf_open(argv[1], SFM_READ, &info);
    if (!f) {
        fprintf(stderr, "wavinfo: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    float *x = malloc(sizeof(float) * (size_t)info.frames * (size_t)info.channels);
    sf_readf_float(f, x, info.frames);
    sf_close(f);
    double sum = 0, peak = 0;
    for (long i = 0; i < info.frames * info.channels; i++) {
        sum += (double)x[i] * x[i];
        if (fabs(x[i]) > peak) peak = fabs(x[i]);
    }
    long crossings = 0, first = -1, last = -1;
    for (long i = 1; i < info.frames; i++)
        if (x[(i - 1) * info.channels] < 0 && x[i * info.channels] >= 0) {
            if (first < 0) first = i;
            last = i;
            crossings++;
        }
    printf("frames %ld\nrate %d\nchannels %d\nrms %.6f\npeak %.6f\n", (long)info.frames, info.samplerate,
           info.channels, info.frames ? sqrt(sum / (double)(info.frames * info.channels)) : 0, peak);
    printf("freq %.3f\n", crossings > 1 ? (crossings - 1) * (double)info.samplerate / (double)(last - first) : 0);
    printf("onsets");
    long quiet = gap;
    for (long i = 0; i < info.frames; i++) {
        float v = 0;
        for (int c = 0; c < info.channels; c++) v = fmaxf(v, fabsf(x[i * info.channels + c]));
        if (v > 1e-4f) {
            if (quiet >= gap) printf(" %ld", i);
            quiet = 0;
        } else {
            quiet++;
        }
    }
    printf("\n");
    free(x);
    return 0;
}
