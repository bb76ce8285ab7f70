#!/usr/bin/env python3
"""check.py: what Tidal sent (an oscdump of the same bundles) against what phonon rendered.

usage: check.py PHONON_LOG DUMP.txt OUT.wav [TIDAL_LOG]
PHONON_LOG has phonon's line "frame 0 is at <wall-clock seconds>"; DUMP.txt is `oscdump -L` output (each
line: the bundle's NTP timetag as hex sec.frac, the path, the type tags, the arguments); OUT.wav is the
float WAV `phonon dirt --outs 6 --out` wrote. Prints ok/FAIL lines and "N passed, N failed"."""
import os
import re
import shlex
import struct
import sys

SR = 44100
NTP_UNIX = 2208988800
# the onset tolerance: 1 ms; tidal.sh widens it for a sanitizer build, which renders in real time at a
# fraction of the normal speed (its job there is memory errors, not timing)
TOL = float(os.environ.get("TIDAL_ONSET_TOL_MS", "1")) / 1000
passed = failed = 0


def check(ok, name, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + name)
    else:
        failed += 1
        print("FAIL - " + name + (": " + why if why else ""))


def read_wav(path):
    """A float32 WAV as a list of channels."""
    data = open(path, "rb").read()
    pos, fmt, frames = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            frames = body
        pos += 8 + size + (size & 1)
    channels = fmt[1]
    n = len(frames) // (4 * channels)
    flat = struct.unpack("<%df" % (n * channels), frames[:n * channels * 4])
    return [flat[c::channels] for c in range(channels)]


def read_dump(path):
    """Each /dirt/play as (wall-clock seconds, {key: value})."""
    events = []
    for line in open(path):
        m = re.match(r"([0-9a-f]{8})\.([0-9a-f]{8}) /dirt/play \S+ (.*)", line.strip())
        if not m:
            continue
        t = int(m.group(1), 16) - NTP_UNIX + int(m.group(2), 16) / 2.0**32
        args = shlex.split(m.group(3))
        kv = {}
        for k, v in zip(args[0::2], args[1::2]):
            if k in ("_id_", "s"):          # words (shlex has dropped the quotes that said so)
                kv[k] = v
                continue
            try:
                kv[k] = float(v)
            except ValueError:
                kv[k] = v
        events.append((t, kv))
    return events


def onset(x, near, before=200, after=2000, level=1e-4):
    """The first frame from near-before on where |x| rises above level, after silence."""
    lo = max(0, near - before)
    for i in range(lo, min(len(x), near + after)):
        if abs(x[i]) > level and (i == 0 or abs(x[i - 1]) <= level):
            return i
    return None


def peak(x, a, b):
    return max((abs(v) for v in x[max(0, a):max(0, b)]), default=0.0)


def main():
    log, dump, wav = sys.argv[1:4]
    if len(sys.argv) > 4:
        check("Connected to SuperDirt" in open(sys.argv[4]).read(), "Tidal's handshake is answered as SuperDirt answers it")
    m = re.search(r"frame 0 is at ([0-9.]+)", open(log).read())
    check(m is not None, "phonon says when its frame 0 was")
    if not m:
        print("%d passed, %d failed" % (passed, failed))
        return 1
    wall0 = float(m.group(1))
    ch = read_wav(wav)
    events = read_dump(dump)
    n = len(ch[0])
    inside = [(t, kv) for t, kv in events if 0.05 < t - wall0 < n / SR - 1.2]
    d1 = [(t, kv) for t, kv in inside if kv.get("_id_") == "1"]
    d2 = [(t, kv) for t, kv in inside if kv.get("_id_") == "2"]
    d3 = [(t, kv) for t, kv in inside if kv.get("_id_") == "3"]
    check(len(d1) >= 6 and len(d2) >= 2 and len(d3) >= 1, "Tidal sent the three patterns",
          "%d, %d, %d events" % (len(d1), len(d2), len(d3)))
    check(all(kv.get("s") == "click" and "cps" in kv and "cycle" in kv and "delta" in kv for _, kv in d1),
          "each event carries s, cps, cycle and delta")

    # onsets within a millisecond of the timetags, on the channels of their orbits
    worst = 0.0
    found = 0
    for t, kv in d1:
        e = round((t - wall0) * SR)
        o = onset(ch[0], e)
        if o is not None:
            found += 1
            worst = max(worst, abs(o - e) / SR)
    check(found == len(d1), "every click of d1 is heard", "%d of %d" % (found, len(d1)))
    check(worst <= TOL, "d1's onsets are within %g ms of their timetags" % (TOL * 1000), "worst %.3f ms" % (worst * 1000))
    print("# d1: %d onsets, worst %.3f ms from the timetag" % (found, worst * 1000))

    # sounds and parameters: click is 100 frames at 0.5; gain 1.2 -> 0.4 x 1.2^4; pan 0 -> left only
    e = round((d1[0][0] - wall0) * SR)
    lvl = peak(ch[0], e, e + 90)
    check(abs(lvl - 0.5 * 0.4 * 1.2 ** 4) < 0.01, "click at gain 1.2 plays at 0.4 x 1.2^4", "peak %.4f" % lvl)
    check(peak(ch[1], e - 100, e + 200) < 1e-4, "pan 0: nothing on the right")
    check(peak(ch[2], e - 100, e + 200) < 1e-4 or any(abs(t - d1[0][0]) < 0.01 for t, _ in d2),
          "orbit 0 is not on orbit 1's outputs")

    # cut on orbit 1: long is 1 s at 0.25; a new one every 0.89 s cuts the one before (else they would overlap)
    single = 0.25 * 0.4 * 0.5 ** 0.5
    worst2 = 0.0
    for t, kv in d2:
        e = round((t - wall0) * SR)
        o = onset(ch[2], e, before=100, after=100)
        if o is not None:
            worst2 = max(worst2, abs(o - e) / SR)
    check(onset(ch[2], round((d2[0][0] - wall0) * SR), before=100, after=100) is not None,
          "d2's first long starts on orbit 1's outputs (3 and 4)")
    check(worst2 <= TOL, "d2's onsets (after silence) are within %g ms of their timetags" % (TOL * 1000), "worst %.3f ms" % (worst2 * 1000))
    if len(d2) >= 2:
        e = round((d2[1][0] - wall0) * SR)
        overlap = peak(ch[2], e + int(0.01 * SR), e + int(0.1 * SR))
        check(abs(overlap - single) < 0.005, "cut 1: the new long stops the old one (one voice's level)",
              "%.4f, one voice %.4f" % (overlap, single))
    # the orbit's delay on orbit 2: an echo 0.125 s later at half the level
    t, kv = d3[0]
    e = round((t - wall0) * SR)
    dry = peak(ch[4], e - 50, e + 150)
    echo = peak(ch[4], e + int(0.125 * SR) - 50, e + int(0.125 * SR) + 150)
    check(dry > 0.1 and abs(echo / dry - 0.5) < 0.05, "delay 0.5 delaytime 0.125 on orbit 2: the echo",
          "dry %.4f echo %.4f" % (dry, echo))
    check(peak(ch[0], e + int(0.125 * SR) - 50, e + int(0.125 * SR) + 150) < 1e-4 or
          any(abs((t1 - t) - 0.125) < 0.01 for t1, _ in d1), "orbit 0 has no echo")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
