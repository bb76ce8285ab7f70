/* bench.h — `phonon bench`: run a program, or N held voices of one kind, block by block as a real-time
 * host would, and report block-time percentiles against the real-time budget. Off the audio path. */
#ifndef PHONON_BENCH_H
#define PHONON_BENCH_H

/* argv[0] is "bench". Returns the process exit status. */
int bench_main(int argc, char **argv);

#endif
