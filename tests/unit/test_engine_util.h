/* test_engine_util.h — a whole engine for the tests that listen to one: made with no system samples,
 * rendered in 64-frame blocks with its messages drained. Test code only. */
#ifndef PHONON_TEST_ENGINE_UTIL_H
#define PHONON_TEST_ENGINE_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phonon.h"

static inline Phonon *te_engine(double sr, int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = sr;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

/* frames of output into l and r, block by block, then every message read */
static inline void te_render(Phonon *ph, float *l, float *r, int frames)
{
    for (int done = 0; done < frames; done += 64) {
        float *outs[2] = { l + done, r + done };
        phonon_process(ph, NULL, outs, frames - done < 64 ? frames - done : 64);
    }
    PhononMsg m;
    while (phonon_poll(ph, &m)) {}
}

/* prog played from its start on a new engine of `threads` threads, its samples loaded first: the left
 * channel of `frames` frames (calloc'd), or NULL with the first error's text in err if it does not compile */
static inline float *te_play(const char *prog, double sr, int threads, int frames, char *err, size_t errsz)
{
    Phonon *ph = te_engine(sr, threads);
    PhononError e[2];
    if (phonon_eval(ph, prog, "t.ph", e, 2) != 0) {
        snprintf(err, errsz, "%.200s", e[0].msg);
        phonon_free(ph);
        return NULL;
    }
    phonon_wait_loaded(ph, 10);
    float *l = calloc((size_t)frames, sizeof(float)), *r = calloc((size_t)frames, sizeof(float));
    te_render(ph, l, r, frames);
    free(r);
    phonon_free(ph);
    return l;
}

#endif
