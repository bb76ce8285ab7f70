/* test_stats.c — PhononStats' block-time figures: every phonon_process call since the last read is
 * counted once, the percentiles are ordered and bounded by the largest, reading starts a new period. */
#include <stdio.h>

#include "phonon.h"
#include "test.h"

int main(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    PhononError e[4];
    CHECK_INT(phonon_eval(ph, "out: saw 110 # lpf 800 0.3 * 0.2", "s.ph", e, 4), 0, "stats: compiles");
    float l[64], r[64], *outs[2] = { l, r };
    PhononStats st;
    phonon_stats(ph, &st);                          /* a fresh period */
    for (int i = 0; i < 300; i++) phonon_process(ph, NULL, outs, 64);
    phonon_stats(ph, &st);
    CHECK_INT(st.block_calls, 300, "stats: every call since the last read is counted");
    CHECK(st.block_p50 > 0 && st.block_p50 <= st.block_p95 && st.block_p95 <= st.block_p99 &&
          st.block_p99 <= st.block_max, "stats: 0 < p50 <= p95 <= p99 <= max",
          "p50 %g p95 %g p99 %g max %g", st.block_p50, st.block_p95, st.block_p99, st.block_max);
    CHECK(st.load > 0 && st.load <= st.block_max, "stats: 0 < load <= max", "load %g max %g", st.load, st.block_max);
    CHECK(st.load < 1, "stats: one saw through a filter takes less than the whole budget", "load %g", st.load);
    phonon_stats(ph, &st);
    CHECK(st.block_calls == 0 && st.block_p50 == 0 && st.block_max == 0 && st.load == 0,
          "stats: reading them starts a new period (nothing since)");
    phonon_process(ph, NULL, outs, 0);              /* no frames: no budget, not counted */
    phonon_stats(ph, &st);
    CHECK_INT(st.block_calls, 0, "stats: a call with no frames is not counted");
    phonon_free(ph);
    return test_done();
}
