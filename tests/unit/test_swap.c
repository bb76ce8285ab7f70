/* test_swap.c — program swaps found by `phonon soak` and fuzz_render: voices of the replaced program
 * keep ringing while the new one plays, and must never read the new program's buffers by the old
 * program's indices (a heap overflow under ASan: `make sanitize` runs this). */
#include <math.h>
#include <stdlib.h>

#include "phonon.h"
#include "test.h"

#define BLOCK 64

/* Renders `blocks` blocks; returns the largest |sample|, or -1 if any sample is not finite. */
static double render(Phonon *ph, int blocks)
{
    static float l[BLOCK], r[BLOCK];
    float *outs[2] = { l, r };
    double peak = 0;
    for (int b = 0; b < blocks; b++) {
        phonon_process(ph, NULL, outs, BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            if (!isfinite(l[i]) || !isfinite(r[i])) return -1;
            peak = fmax(peak, fmax(fabs(l[i]), fabs(r[i])));
        }
        PhononMsg m;
        while (phonon_poll(ph, &m)) {}
    }
    return peak;
}

static Phonon *engine(int threads)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.max_block = BLOCK;
    cfg.threads = threads;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

/* An instrument that reads a bus (~cut), its voices held two events long, replaced by a program
 * with fewer buses (tests/fuzz/corpus/render/crash-swap-instrument-bus.ph), then by one with more. */
static void swap_instrument_bus(int threads)
{
    static const char *const a = "~cut: sine 0.9 * 1000 + 1500\n~i0 $ square # moog ~cut 0.7 * perc 0.4\n"
                                 "~d1 $ s \"~i0*4\" # legato 2\n";
    static const char *const b = "~d1 $ s \"cp*4\"\n";
    static const char *const c = "~x: 1e6\n~y: 1e6\n~z: 1e6\n~w: 1e6\nout: (~x + ~y + ~z + ~w) * 0\n~d1 $ s \"bd*2\"\n";
    char name[96];
    Phonon *ph = engine(threads);
    CHECK_INT(phonon_eval(ph, a, "a", NULL, 0), 0, "swap: the instrument program compiles");
    double pa = render(ph, 1000);
    snprintf(name, sizeof name, "swap (%d thread%s): the instrument sounds", threads, threads > 1 ? "s" : "");
    CHECK(pa > 0.01, name, "peak %g", pa);
    CHECK_INT(phonon_eval(ph, b, "b", NULL, 0), 0, "swap: a program with fewer buses compiles");
    double pb = render(ph, 2000);
    snprintf(name, sizeof name, "swap (%d thread%s): old voices ring out into a program with fewer buses", threads,
             threads > 1 ? "s" : "");
    CHECK(pb >= 0 && pb <= 1, name, "peak %g", pb);
    CHECK_INT(phonon_eval(ph, a, "a", NULL, 0), 0, "swap: the instrument program again");
    render(ph, 1000);
    CHECK_INT(phonon_eval(ph, c, "c", NULL, 0), 0, "swap: a program with more buses compiles");
    double pc = render(ph, 2000);
    snprintf(name, sizeof name, "swap (%d thread%s): old voices ring out into a program with more buses", threads,
             threads > 1 ? "s" : "");
    CHECK(pc >= 0 && pc <= 1, name, "peak %g", pc);
    phonon_free(ph);
}

int main(void)
{
    swap_instrument_bus(1);
    swap_instrument_bus(2);
    return test_done();
}
