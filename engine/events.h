/* events.h — `phonon events`: pattern events as JSON lines (the conformance format) or as a table.
 * Command-line glue over mini and pattern; reads and writes stdio, never used on the audio path. */
#ifndef PHONON_EVENTS_H
#define PHONON_EVENTS_H

/* argv[0] is "events". Returns the process exit status. Usage:
 *   phonon events --jsonl < cases.jsonl > events.jsonl
 *   phonon events "bd*2 [sn cp]" [--cycles C0 C1] [--type words|numbers|notes|...] */
int events_main(int argc, char **argv);

#endif
