/* phonon.c — the command line: render, check, events, bench. Thin: flags and files in, engine calls out. */
#include <stdio.h>
#include <string.h>

#include "events.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: phonon events --jsonl < cases.jsonl\n"
            "       phonon events \"bd*2 [sn cp]\" [--cycles C0 C1]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage();
    if (strcmp(argv[1], "events") == 0) return events_main(argc - 1, argv + 1);
    return usage();
}
