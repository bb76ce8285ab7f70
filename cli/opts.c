/* opts.c — option values shared by the subcommands (opts.h). */
#include "opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int opt_number(const char *opt, const char *arg, double lo, double hi, int flags, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno == ERANGE || !isfinite(v) || ((flags & OPT_INT) && v != floor(v))) {
        fprintf(stderr, "phonon: --%s: '%s' is not %s\n", opt, arg, (flags & OPT_INT) ? "a whole number" : "a number");
        return -1;
    }
    if ((flags & OPT_POSITIVE) && !(v > 0)) {
        fprintf(stderr, "phonon: --%s: %s is not above 0\n", opt, arg);
        return -1;
    }
    if (v < lo || v > hi) {
        fprintf(stderr, "phonon: --%s: %s is not in %g .. %g\n", opt, arg, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int opt_samples(const char **dirs, int *n, const char *dir)
{
    if (*n == OPT_MAX_SAMPLES) {
        fprintf(stderr, "phonon: --samples: at most %d folders\n", OPT_MAX_SAMPLES);
        return -1;
    }
    dirs[(*n)++] = dir;
    return 0;
}
