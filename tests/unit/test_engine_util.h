/* test_engine_util.h — a whole engine for the tests that listen to one: made with no system samples,
 * rendered in 64-frame blocks with its messages drained. Test code only. */
#ifndef PHONON_TEST_ENGINE_UTIL_H
#define PHONON_TEST_ENGINE_UTIL_H

#include <stdbool.h>

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

#endif
