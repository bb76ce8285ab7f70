/* dirtout.h — the other direction: phonon's own events sent as timetagged /dirt/play bundles, Tidal's way
 * (one bundle per event; key/value pairs in key order with _id_, cps, cycle, delta, orbit), so phonon's
 * patterns can play SuperDirt or any Tidal-compatible synth. Control side only (phonon_poll's thread):
 * it allocates and does network I/O, never on the audio path. */
#ifndef PHONON_DIRTOUT_H
#define PHONON_DIRTOUT_H

#include "phonon.h"

typedef struct DirtOut DirtOut;

/* A sender to host:port whose bundles are stamped `latency` seconds after the event is heard here.
 * NULL with err filled when the host does not resolve. */
DirtOut *dirtout_new(const char *host, int port, double latency, char *err, int errlen);
void dirtout_free(DirtOut *o);
/* Send one event, heard here at wall-clock time `when` (seconds since 1970). phonon's linear gain goes
 * out as the SuperDirt gain that sounds as loud (amp 0.4 x gain^4). false when the send failed. */
bool dirtout_send(DirtOut *o, const PhononEvent *ev, double when);
long dirtout_sent(const DirtOut *o);

#endif
