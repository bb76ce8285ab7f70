/* opts.h — what the command line's subcommands share when they read their options: a number option's
 * value checked against its range, and the --samples folders.  Messages go to stderr, naming the option;
 * nothing here exits. */
#ifndef PHONON_CLI_OPTS_H
#define PHONON_CLI_OPTS_H

enum { OPT_REAL = 0, OPT_INT = 1, OPT_POSITIVE = 2 };
#define OPT_MAX_SAMPLES 16

/* A number option's value, in [lo, hi] (above 0 when OPT_POSITIVE is set), whole when OPT_INT is;
 * else -1 and a message naming the option. */
int opt_number(const char *opt, const char *arg, double lo, double hi, int flags, double *out);
/* One more --samples folder into dirs (n of them so far, at most OPT_MAX_SAMPLES); -1 and a message when full. */
int opt_samples(const char **dirs, int *n, const char *dir);

#endif
