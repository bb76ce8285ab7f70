/* test_sound_delay.c — a delay time stepped by a pattern does not click: the wet signal of a 440 Hz
 * sine through `delay` with its time jumping from 0.1 s to 0.25 s keeps the smoothness of a sine. */
#include "test_dsp_util.h"

#define FS 44100.0f

static void test_stepped_time(void)
{
    int frames = (int)FS * 2;
    float *x = t_sine(frames, FS, 440, 0.5), *time = t_alloc((size_t)frames);
    for (int t = 0; t < frames; t++) time[t] = t < (int)FS ? 0.1f : 0.25f;
    float *y = t_filter("delay", FS, x, frames, t_sig(time, 1), t_k(0), t_k(1), t_k(0));
    double worst = 0, own = 0.5 * pow(2 * TPI * 440 / FS, 2);      /* a sine's largest second difference */
    for (int t = (int)FS - 100; t < (int)FS + 2000; t++) {
        double d2 = fabs(y[t + 1] - 2 * y[t] + y[t - 1]);
        worst = d2 > worst ? d2 : worst;
    }
    CHECK(worst < own * 1.5, "delay time stepped 0.1 -> 0.25 s: no click (second difference near a sine's)",
          "%.5f against the sine's %.5f", worst, own);
    printf("# stepped delay time: largest second difference %.5f, the sine's own %.5f\n", worst, own);
    double late = t_amp_at(y, (int)FS + 2000, (int)FS + 6410, 1, 440, FS);
    CHECK(fabs(late - 0.5) < 0.01, "and the new tap plays at full level after the 20 ms crossfade", "%.3f", late);
    free(x), free(time), free(y);
}

int main(void)
{
    test_stepped_time();
    return test_done();
}
