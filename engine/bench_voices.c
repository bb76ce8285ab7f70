/* bench_voices.c — `phonon bench --voices N --kind K`: N held voices of one kind (written with issue 5). */
#include <stdio.h>

#include "bench_impl.h"

int bench_voices(const BenchOpts *o)
{
    (void)o;
    fprintf(stderr, "phonon bench: --voices is not available in this build yet\n");
    return 2;
}
