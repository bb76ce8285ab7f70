#!/usr/bin/env python3
"""wavcheck.py -- checks on a WAV file recorded by a Pd test patch.

usage: wavcheck.py FILE CHECK [CHECK ...]

Each CHECK is one argument, words separated by spaces; times are in seconds,
channels are 0 (left) and 1 (right):

  frames N                  the file has N frames
  rate R                    ... and sample rate R
  peak CH T0 T1 LO HI       the peak of |x| in [T0, T1) lies in [LO, HI]
  silent CH T0 T1           the channel is exactly 0 in [T0, T1)
  onsets CH T0 T1 A,B,...   the onsets found in [T0, T1) are A, B, ... (within TOL)
  every CH T0 T1 STEP       ... are T0, T0 + STEP, ... up to T1
  same CH A0 A1 B0 B1       the audio in [A0, A1) equals that in [B0, B1) (within 1e-4)
  click CH T0 T1 MAX        no click: the largest |second difference| in [T0, T1) is at most MAX
                            (a sine's own is A * (2 pi f / rate)^2; a restarted phase is far above)
  stereo T0 T1              left and right are equal in [T0, T1) (within 1e-4) and not silent
  pitch CH T0 T1 HZ TOL     the frequency in [T0, T1), from the upward zero crossings, is HZ (within TOL Hz)
  tol MS                    the onset tolerance for the checks after it (default 3 ms)

Prints one line per check ("ok ..." or "FAIL ...") and exits 1 if any failed.
Reads 16-, 24- and 32-bit integer PCM (what [soundfiler] writes with -bytes 2|3).
"""
import sys
import wave


def read_wav(path):
    with wave.open(path, "rb") as w:
        nch, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    scale = float(1 << (8 * width - 1))
    vals = [int.from_bytes(raw[i:i + width], "little", signed=True) / scale
            for i in range(0, len(raw), width)]
    return rate, [vals[c::nch] for c in range(nch)]


def onsets(x, rate, t0, t1):
    """Times where a new sound starts: the level over the next 3 ms jumps well
    above what the previous 20 ms held (so a decaying tail does not hide the
    next hit), and the 1 ms frame where that happens already rises."""
    hop = max(1, rate // 1000)
    frames = [max((abs(v) for v in x[i:i + hop]), default=0.0) for i in range(0, len(x), hop)]
    found = []
    lo, hi = int(t0 * rate) // hop, min(len(frames), int(t1 * rate) // hop + 1)
    k = lo
    while k < hi:
        before = max(frames[max(0, k - 20):k], default=0.0)
        rise = max(frames[k:k + 3])
        if rise > 0.02 and rise > 2.5 * before + 0.005 and frames[k] > 1.5 * before + 0.003:
            # the first sample of the rise: where it leaves the old level
            limit = 1.5 * before + 0.002
            first = k * hop
            for i in range(max(0, k * hop - hop), k * hop + hop):
                if abs(x[i]) > limit:
                    first = i
                    break
            t = first / rate
            if t0 - 0.0005 <= t < t1:
                found.append(t)
            k += 30                     # one onset per 30 ms at most
            continue
        k += 1
    return found


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    path = argv[1]
    try:
        rate, ch = read_wav(path)
    except Exception as e:                      # noqa: BLE001 -- any unreadable file is a failure
        print("FAIL %s: cannot read: %s" % (path, e))
        return 1
    tol = 0.003
    failed = 0
    name = path.rsplit("/", 1)[-1]
    for check in argv[2:]:
        w = check.split()
        what, ok, detail = w[0], True, ""
        try:
            if what == "tol":
                tol = float(w[1]) / 1000
                continue
            if what == "stereo":
                a0, a1 = int(float(w[1]) * rate), int(float(w[2]) * rate)
                diff = max((abs(a - b) for a, b in zip(ch[0][a0:a1], ch[1][a0:a1])), default=0.0)
                ok = diff <= 1e-4 and max((abs(v) for v in ch[0][a0:a1]), default=0.0) > 0
                detail = "max difference %.6f" % diff
            elif what == "frames":
                ok = len(ch[0]) == int(w[1])
                detail = "%d frames" % len(ch[0])
            elif what == "rate":
                ok = rate == int(w[1])
                detail = "rate %d" % rate
            else:
                c = int(w[1])
                x = ch[c]
                t0, t1 = float(w[2]), float(w[3])
                seg = x[int(t0 * rate):int(t1 * rate)]
                if what == "peak":
                    p = max((abs(v) for v in seg), default=0.0)
                    ok = float(w[4]) <= p <= float(w[5])
                    detail = "peak %.4f" % p
                elif what == "silent":
                    p = max((abs(v) for v in seg), default=0.0)
                    ok = p == 0.0
                    detail = "peak %.6f" % p
                elif what in ("onsets", "every"):
                    if what == "onsets":
                        want = [float(v) for v in w[4].split(",")] if w[4] != "-" else []
                    else:
                        step, want, t = float(w[4]), [], t0
                        while t < t1 - 1e-9:
                            want.append(t)
                            t += step
                    got = onsets(x, rate, t0, t1)
                    ok = len(got) == len(want) and all(abs(a - b) <= tol for a, b in zip(got, want))
                    detail = "got [%s] want [%s]" % (" ".join("%.4f" % v for v in got),
                                                     " ".join("%.4f" % v for v in want))
                elif what == "pitch":
                    up = [i for i in range(1, len(seg)) if seg[i - 1] < 0 <= seg[i]]
                    f = (len(up) - 1) * rate / (up[-1] - up[0]) if len(up) > 2 else 0.0
                    ok = abs(f - float(w[4])) <= float(w[5])
                    detail = "%.2f Hz" % f
                elif what == "click":
                    d = max((abs(seg[i + 1] - 2 * seg[i] + seg[i - 1]) for i in range(1, len(seg) - 1)), default=0.0)
                    ok = d <= float(w[4])
                    detail = "largest second difference %.6f" % d
                elif what == "same":
                    b0, b1 = float(w[4]), float(w[5])
                    other = x[int(b0 * rate):int(b1 * rate)]
                    n = min(len(seg), len(other))
                    diff = max((abs(a - b) for a, b in zip(seg[:n], other[:n])), default=0.0)
                    ok = n > 0 and diff <= 1e-4 and max(abs(v) for v in seg[:n]) > 0
                    detail = "max difference %.6f over %d frames" % (diff, n)
                else:
                    ok, detail = False, "unknown check"
        except (IndexError, ValueError) as e:
            ok, detail = False, "bad check: %s" % e
        print("%s %s: %s: %s" % ("ok" if ok else "FAIL", name, check, detail))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
