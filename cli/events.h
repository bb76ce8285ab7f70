/* events.h — `phonon events`: pattern events as JSON lines (the conformance format) or as a table.
 * Command-line glue over mini and pattern; reads and writes stdio, never used on the audio path. */
#ifndef PHONON_EVENTS_H
#define PHONON_EVENTS_H

/* argv[0] is "events". Returns the process exit status. Usage:
 *   phonon events --jsonl < cases.jsonl > events.jsonl
 *   phonon events "bd*2 [sn cp]" [--cycles C0 C1] [--type words|numbers|notes|...] */
int events_main(int argc, char **argv);

#include <stdbool.h>

/* One case (a line of the conformance input format) to its output line, malloc'd into *result
 * (no newline). Cases may also give "type" (words numbers notes freq time int bool), "control"
 * (a parameter name: the values become control maps) and operator transforms ["#", "speed", "2"],
 * ["|+", "n", "1"], ["+", "10"]. false when the line is not a JSON object. */
bool events_case_json(const char *line, char **result);

/* The "events":[...] part of such a line for the events of p in cycles [c0, c1), queried cycle by
 * cycle and sorted as the lines are; malloc'd, NULL when out of memory. */
#include <stdint.h>
struct Pattern;
char *events_pattern_json(const struct Pattern *p, int64_t c0, int64_t c1);

#endif
