/* live.h — `phonon dirt` and `phonon play`: the engine playing live, through JACK or rendered in real time
 * into a file, fed by Tidal over OSC and/or by a program file watched for edits. Host code: it reads files,
 * sleeps and prints; only its JACK callback is an audio path (it calls phonon_process and nothing else). */
#ifndef PHONON_LIVE_H
#define PHONON_LIVE_H

/* argv[0] is "dirt" or "play". Returns the process exit status. */
int live_main(int argc, char **argv);

#endif
