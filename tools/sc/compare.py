#!/usr/bin/python3
"""compare.py — phonon's DSP next to SuperCollider's, on the same test signals and the same analysis.

Renders every test signal twice — with phonon (tools/sc/phonon_dump for the kernels, `phonon render` for
sample playback) and with scsynth in non-real-time mode (scores written by tools/sc/render.scd) — then
measures both renders with the functions below and prints a table: measure, phonon, SuperCollider.

The analyses are those of the unit tests, in numpy: tests/unit/test_sound_osc.c (aliases on the 10.8 Hz
grid of a 4096-point FFT), test_sound_sample.c (spurs under a Blackman-Harris window), test_sound_reverb.c
(echo density, late-tail line spread and worst mode, Schroeder RT60), test_sound_filter.c (band edges).

Usage: tools/sc/compare.py PHONON PHONON_DUMP WORKDIR   (tools/sc/compare.sh passes them; make compare-sc)
"""
import os
import struct
import subprocess
import sys

import numpy as np

FS = 44100
HERE = os.path.dirname(os.path.abspath(__file__))
PHONON, DUMP, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
QUICK = os.environ.get("QUICK") == "1"
os.makedirs(WORK, exist_ok=True)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---- WAV files -------------------------------------------------------------------------------------------

def read_wav(path):
    """(frames x channels) float64 of a PCM or float WAV file, and its rate."""
    data = open(path, "rb").read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", path
    pos, fmt, body = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunk = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, ch, rate, _, _, bits = struct.unpack("<HHIIHH", chunk[:16])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", chunk[24:26])[0]
            fmt = (tag, ch, rate, bits)
        elif cid == b"data":
            body = chunk
        pos += 8 + size + (size & 1)
    tag, ch, rate, bits = fmt
    if tag == 3 and bits == 32:
        x = np.frombuffer(body, "<f4").astype(np.float64)
    elif tag == 3 and bits == 64:
        x = np.frombuffer(body, "<f8").copy()
    elif tag == 1 and bits == 16:
        x = np.frombuffer(body, "<i2") / 32768.0
    elif tag == 1 and bits == 32:
        x = np.frombuffer(body, "<i4") / 2147483648.0
    elif tag == 1 and bits == 24:
        b = np.frombuffer(body, np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = np.where(v >= 1 << 23, v - (1 << 24), v) / float(1 << 23)
    else:
        raise ValueError("%s: WAV format %d/%d bits not read here" % (path, tag, bits))
    n = len(x) // ch
    return x[:n * ch].reshape(n, ch), rate


def write_wav(path, x, rate):
    """A mono 32-bit float WAV."""
    b = np.asarray(x, "<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(b)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(b)) + b)


# ---- rendering ---------------------------------------------------------------------------------------------

def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("compare.py: %s failed:\n%s" % (" ".join(cmd), r.stdout[-2000:]))


sc_cases = []           # (case line for render.scd, score, wav, channels)


def sc(case, name, channels):
    score, wav = os.path.join(WORK, "sc_" + name + ".osc"), os.path.join(WORK, "sc_" + name + ".wav")
    sc_cases.append((case + " " + score, score, wav, channels))
    return wav


def render_sc():
    lst = os.path.join(WORK, "cases.txt")
    with open(lst, "w") as f:
        for c in sc_cases:
            f.write(c[0] + "\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    r = subprocess.run(["sclang", os.path.join(HERE, "render.scd"), lst], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env, timeout=300)
    missing = [c[1] for c in sc_cases if not os.path.exists(c[1])]
    if missing:
        sys.exit("compare.py: sclang wrote no score for %s:\n%s" % (missing[0], r.stdout[-3000:]))
    for _, score, wav, ch in sc_cases:
        run(["scsynth", "-N", score, "_", wav, str(FS), "WAV", "float", "-o", str(ch)])


PRE = 256     # render.scd's impulses sit PRE frames into the score (see there)


def read_ir(path):
    """An impulse response, from its impulse on: scsynth's renders start PRE frames early."""
    y = read_wav(path)[0]
    return y[PRE:] if os.path.basename(path).startswith("sc_") else y


def ph_dump(args, name):
    wav = os.path.join(WORK, "ph_" + name + ".wav")
    run([DUMP] + [str(a) for a in args] + [wav])
    return wav


# ---- oscillators (tests/unit/test_sound_osc.c) -------------------------------------------------------------

WIN, SEG, SKIP, STEADY = 4096, 12288, 1000, 8000
TOP_BINS = [93, 464, 743, 929, 1115, 1207, 1300, 1393]
BINS = np.array(list(range(10, 1024)) + TOP_BINS)


def osc_measure(path, ideal, skip=SKIP):
    """Worst alias per range and the top octave's level, from frame `skip` of each note (the test's 1000,
    or STEADY: SC's Saw and Pulse start with an offset that decays over ~1000 frames, whose skirt the
    test's window still holds)."""
    x = read_wav(path)[0][:, 0]
    segs = x[:len(BINS) * SEG].reshape(len(BINS), SEG)[:, skip:skip + WIN]
    amp = np.abs(np.fft.rfft(segs, axis=1)) * 2 / WIN
    amp[:, 0] /= 2
    amp[:, -1] /= 2
    k = np.arange(WIN // 2 + 1)
    res = {}
    worst = []
    for i in range(1014):
        k0 = BINS[i]
        a = amp[i].copy()
        a[(k % k0) == 0] = 0
        worst.append(20 * np.log10(max(a.max(), 1e-30) / amp[i, k0]))
    w = np.array(worst)
    f = BINS[:1014] * FS / WIN
    lo, hi = f <= 5000, f > 5000
    il, ih = np.argmax(np.where(lo, w, -999)), np.argmax(np.where(hi, w, -999))
    res["low"] = (w[il], f[il])
    res["high"] = (w[ih], f[ih])
    top = {b: amp[1014 + j, b] for j, b in enumerate(TOP_BINS)}
    res["15k_ideal"] = 20 * np.log10(top[1393] / ideal)
    res["15k_1k"] = 20 * np.log10(top[1393] / top[93])
    res["1k_ideal"] = 20 * np.log10(top[93] / ideal)
    return res


# ---- sample playback (tests/unit/test_sound_sample.c) ------------------------------------------------------

SN, SSKIP = 8192, 512


def worst_spur(path, hz):
    x = read_wav(path)[0][:, 0]
    on = int(np.argmax(np.abs(x) > 1e-6))
    seg = x[on + SSKIP:on + SSKIP + SN]
    p = 2 * np.pi * np.arange(SN) / SN
    w = 0.35875 - 0.48829 * np.cos(p) + 0.14128 * np.cos(2 * p) - 0.01168 * np.cos(3 * p)
    amp = 2 * np.abs(np.fft.rfft(seg * w)) / w.sum()
    k0 = int(round(hz * SN / FS))
    k = np.arange(len(amp))
    near = np.abs(k - k0) <= 8
    peak, spur = amp[near].max(), amp[~near & (k >= 1)].max()
    return 20 * np.log10(spur / peak), peak


def residual_db(a_path, b_path):
    """How far two renders of the same playback differ, after one best gain (phonon pans to 0.707)."""
    a, b = read_wav(a_path)[0][:, 0], read_wav(b_path)[0][:, 0]
    oa, ob = int(np.argmax(np.abs(a) > 1e-6)), int(np.argmax(np.abs(b) > 1e-6))
    A, B = a[oa + SSKIP:oa + SSKIP + SN], b[ob + SSKIP:ob + SSKIP + SN]
    g = (A @ B) / (B @ B)
    return 20 * np.log10(np.std(A - g * B) / np.std(A))


def render_phonon_sample(name, rate_file, tone, speed):
    """A sine file played by phonon's sample voice: `phonon render` of `s "name" # speed S`."""
    d = os.path.join(WORK, "samples", name)
    os.makedirs(d, exist_ok=True)
    t = np.arange(rate_file)
    write_wav(os.path.join(d, name + ".wav"), 0.5 * np.sin(2 * np.pi * tone * t / rate_file), rate_file)
    ph = os.path.join(WORK, "ph_%s_%g.ph" % (name, speed))
    with open(ph, "w") as f:
        f.write('tempo: 0.5\n~d1 $ s "%s" # speed %g\n' % (name, speed))
    out = os.path.join(WORK, "ph_%s_%g.wav" % (name, speed))
    run([PHONON, "render", ph, out, "--cycles", "1", "--sr", str(FS), "--float", "--no-system-samples",
         "--samples", os.path.join(WORK, "samples")])
    return os.path.join(d, name + ".wav"), out


# ---- reverb (tests/unit/test_sound_reverb.c) ---------------------------------------------------------------

ERFC_INV_SQRT2 = 0.31731050786291415


def rt60_energy(e):
    edc = np.cumsum(e[::-1])[::-1]
    db = 10 * np.log10(edc / edc[0] + 1e-300)
    sel = (db <= -5) & (db >= -35)
    if sel.sum() <= 10:
        return 0.0
    s = np.arange(len(e))[sel] / FS
    slope = np.polyfit(s, db[sel], 1)[0]
    return -60 / slope if slope < 0 else 0.0


def biquad_band(h, fc, q):
    """RBJ band-pass (0 dB at the centre), as rv_band."""
    w = 2 * np.pi * fc / FS
    al = np.sin(w) / (2 * q)
    a0 = 1 + al
    b0, b2, a1, a2 = al / a0, -al / a0, -2 * np.cos(w) / a0, (1 - al) / a0
    out = np.empty(len(h))
    x1 = x2 = y1 = y2 = 0.0
    for t, x in enumerate(h.tolist()):
        y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1, y2, y1 = x1, x, y1, y
        out[t] = y
    return out


def band_rt60(y, fc, q=1.414):
    e = np.zeros(len(y))
    for ch in range(2):
        h = y[:, ch]
        for _ in range(3):
            h = biquad_band(h, fc, q)
        e += h * h
    return rt60_energy(e)


def trim(y, rt):
    """The test's length for a decay of rt: (1.2 rt + 0.5) s."""
    return y[:int((rt * 1.2 + 0.5) * FS)]


def ned(h):
    w = int(0.020 * FS)
    win = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(w) + 0.5) / w)
    cs = np.arange(w // 2, min(len(h) - w // 2, int(0.3 * FS)), 22)
    frames = np.stack([h[c - w // 2:c - w // 2 + w] for c in cs])
    sigma = np.sqrt((frames ** 2 * win).sum(1) / win.sum())
    share = ((np.abs(frames) > sigma[:, None]) * win).sum(1) / win.sum() / ERFC_INV_SQRT2
    share = np.where(sigma > 0, share, 0)
    t90 = cs[np.argmax(share >= 0.9)] / FS if (share >= 0.9).any() else float("inf")
    m = (cs >= int(0.010 * FS)) & (cs <= int(0.050 * FS))
    m100 = (cs >= int(0.010 * FS)) & (cs <= int(0.100 * FS))
    return t90, share[m].mean(), share[m100].min()


def filled_ms(h):
    w = int(0.001 * FS)
    e = (h[:50 * w].reshape(50, w) ** 2).sum(1)
    return (e > 1e-6 * e.max()).mean()


RV_FFT = 32768


def smooth(p, lo, hi):
    cum = np.concatenate([[0], np.cumsum(p)])
    k = np.arange(lo, hi + 1)
    half = (k * (2 ** (1 / 6) - 1)).astype(int) + 3
    sm = np.zeros(len(p))
    sm[lo:hi + 1] = (cum[k + half + 1] - cum[k - half]) / (2 * half + 1)
    return sm


def tail_lines(h, frm, ln):
    n = RV_FFT
    lo, hi = int(200 * n / FS), int(10000 * n / FS)
    win = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(n) + 0.5) / n)
    acc = np.zeros(n // 2)
    f0 = frm
    while f0 + n <= frm + ln:
        p = np.abs(np.fft.fft(h[f0:f0 + n] * win)[:n // 2]) ** 2
        sm = smooth(p, lo, hi)
        acc[lo:hi + 1] += p[lo:hi + 1] / (sm[lo:hi + 1] + 1e-300)
        f0 += n // 2
    sm = smooth(acc, lo, hi)
    d = 10 * np.log10(acc[lo:hi + 1] / sm[lo:hi + 1])
    return d.std(), d.max()


def noise_lines(ln, rt):
    rng = np.random.default_rng(1)
    t = np.arange(ln) / FS
    h = (2 * rng.random(ln) - 1) * 10 ** (-3 * t / rt)
    return tail_lines(h, 0, ln)


def corr(y, a, b):
    l, r = y[a:b, 0], y[a:b, 1]
    return (l * r).sum() / np.sqrt((l * l).sum() * (r * r).sum() + 1e-300)


# ---- filters (tests/unit/test_sound_filter.c, on the impulse response) --------------------------------------

FAMP = 0.01


def response(path, n=1 << 18):
    h = read_ir(path)[:, 0] / FAMP
    H = np.abs(np.fft.rfft(h, n))
    return np.arange(len(H)) * FS / n, H, h


def gain_at(h, f):
    t = np.arange(len(h))
    return abs((h * np.exp(-2j * np.pi * f * t / FS)).sum())


def db(g):
    return 20 * np.log10(max(g, 1e-30))


def band_edges(path, fc):
    f, H, h = response(path)
    g = 1 / np.sqrt(2)
    i = int(np.argmin(np.abs(f - fc)))
    lo = i
    while lo > 0 and H[lo] >= g:
        lo -= 1
    hi = i
    while hi < len(H) - 1 and H[hi] >= g:
        hi += 1
    # linear interpolation of the crossings
    flo = f[lo] + (g - H[lo]) / (H[lo + 1] - H[lo]) * (f[lo + 1] - f[lo])
    fhi = f[hi - 1] + (g - H[hi - 1]) / (H[hi] - H[hi - 1]) * (f[hi] - f[hi - 1])
    return fhi - flo, flo, fhi, db(gain_at(h, fc))


# ---- the cases ---------------------------------------------------------------------------------------------

def main():
    rows = []   # (section, measure, phonon, sc)

    def row(sec, m, p, s):
        rows.append((sec, m, p, s))

    # oscillators
    ideal = {"saw": 2 / np.pi, "square": 4 / np.pi, "pulse": 4 / np.pi, "tri": 8 / np.pi ** 2}
    sc_osc = {"saw": "saw", "pulse": "pulse", "lftri": "lftri", "varsaw": "varsaw"}
    osc_ph = {s: ph_dump(["osc", s], "osc_" + s) for s in ["saw", "square", "pulse", "tri"]}
    osc_sc = {s: sc("osc " + s, "osc_" + s, 1) for s in sc_osc}
    # sample playback
    tone5k, _ = render_phonon_sample("tone5k", FS, 5000, 1.0)
    samp = []
    for speed in (0.79, 1.37):
        _, ph = render_phonon_sample("tone5k", FS, 5000, speed)
        samp.append(("5 kHz tone at speed %.2f: worst spur" % speed, 5000 * speed, ph,
                     sc("buf bufrd %s %g 1" % (tone5k, speed), "bufrd_%g" % speed, 1),
                     sc("buf playbuf %s %g 1" % (tone5k, speed), "playbuf_%g" % speed, 1)))
    for tone in (1000, 2000):
        f22, ph = render_phonon_sample("tone%dh" % tone, 22050, tone, 1.0)
        samp.append(("%d Hz tone, 22.05 kHz file: image" % tone, tone, ph,
                     sc("buf bufrd %s 1 1" % f22, "bufrd22_%d" % tone, 1),
                     sc("buf playbuf %s 1 1" % f22, "playbuf22_%d" % tone, 1)))
    # reverb: (room, damp) for phonon and FreeVerb2; GVerb with the RT60 phonon documents for that room
    doc_rt = lambda room: 0.65 / (1 - 0.928 * room)
    rv = {}
    for room, damp, secs in [(0.5, 0.5, 3), (0.9, 0.2, 6), (1.0, 0.0, 14), (0.0, 0.0, 3), (0.75, 0.0, 5),
                             (0.5, 0.0, 3), (0.5, 1.0, 3)]:
        key = (room, damp)
        rv[key] = (ph_dump(["reverb", room, damp, secs], "rv_%g_%g" % key),
                   sc("rv freeverb %g %g %g" % (room, damp, secs), "fv_%g_%g" % key, 2),
                   sc("rv gverb 20 %.3f %g %g" % (doc_rt(room), damp, secs), "gv_%g_%g" % key, 2))
    # filters
    filt = []
    for fc in (1000, 5000, 10000, 15000):
        for q in (0.707, 4):
            filt.append(("lpf", fc, q, ph_dump(["filter", "lpf", fc, q], "lpf_%d_%g" % (fc, q)),
                         sc("filt rlpf %d %g" % (fc, 1 / q), "rlpf_%d_%g" % (fc, q), 1)))
    for fc in (1000, 5000, 10000):
        for res in (0, 0.5, 0.9):
            filt.append(("moog", fc, res, ph_dump(["filter", "moog", fc, res], "moog_%d_%g" % (fc, res)),
                         sc("filt moogff %d %g" % (fc, 4.2 * res), "moogff_%d_%g" % (fc, res), 1)))
    for fc in (1000, 5000, 8000, 12000):
        filt.append(("bpf", fc, 4, ph_dump(["filter", "bpf", fc, 4], "bpf_%d" % fc),
                     sc("filt bpf %d 0.25" % fc, "bpf_%d" % fc, 1)))
    log("compare.py: rendering %d SuperCollider scores" % len(sc_cases))
    render_sc()
    log("compare.py: measuring")

    # --- oscillators
    def fmt_osc(r, key):
        return "%.1f dB (%.0f Hz)" % r[key]
    sc_ideal = {"saw": ideal["saw"], "pulse": ideal["square"], "lftri": ideal["tri"], "varsaw": ideal["tri"]}
    pr = {s: osc_measure(p, ideal[s]) for s, p in osc_ph.items()}
    sr_ = {s: osc_measure(p, sc_ideal[s]) for s, p in osc_sc.items()}
    pr_st = {s: osc_measure(p, ideal[s], STEADY) for s, p in osc_ph.items()}
    sr_st = {s: osc_measure(p, sc_ideal[s], STEADY) for s, p in osc_sc.items()}
    pairs = [("saw", "saw", "Saw"), ("square", "pulse", "Pulse(w 0.5)"), ("pulse", "pulse", "Pulse(w 0.5)"),
             ("tri", "lftri", "LFTri"), ("tri", "varsaw", "VarSaw(w 0.5)")]
    for ps, ss, sname in pairs:
        sec = "osc %s / %s" % (ps, sname)
        row(sec, "worst alias re fundamental, 108 Hz-5 kHz (from frame 1000)", fmt_osc(pr[ps], "low"), fmt_osc(sr_[ss], "low"))
        row(sec, "worst alias re fundamental, 5-11 kHz (from frame 1000)", fmt_osc(pr[ps], "high"), fmt_osc(sr_[ss], "high"))
        row(sec, "same, 108 Hz-5 kHz, from frame 8000 (steady)", fmt_osc(pr_st[ps], "low"),
            fmt_osc(sr_st[ss], "low"))
        row(sec, "same, 5-11 kHz, from frame 8000 (steady)", fmt_osc(pr_st[ps], "high"),
            fmt_osc(sr_st[ss], "high"))
        row(sec, "fundamental at 1 kHz re ideal waveform", "%+.2f dB" % pr[ps]["1k_ideal"],
            "%+.2f dB" % sr_[ss]["1k_ideal"])
        row(sec, "fundamental at 15 kHz re ideal waveform", "%+.2f dB" % pr[ps]["15k_ideal"],
            "%+.2f dB" % sr_[ss]["15k_ideal"])
        row(sec, "fundamental at 15 kHz re at 1 kHz", "%+.2f dB" % pr[ps]["15k_1k"], "%+.2f dB" % sr_[ss]["15k_1k"])

    # --- samples
    for name, hz, ph, bufrd, playbuf in samp:
        p, _ = worst_spur(ph, hz)
        b, _ = worst_spur(bufrd, hz)
        q, _ = worst_spur(playbuf, hz)
        row("sample voice / BufRd(interp 4), PlayBuf", name, "%.1f dB" % p, "%.1f / %.1f dB" % (b, q))
        row("sample voice / BufRd(interp 4), PlayBuf", "  phonon's render less BufRd's (one gain fitted)",
            "%.1f dB" % residual_db(ph, bufrd), "")

    # --- reverb
    def load_rv(path):
        return read_ir(path)
    names = ["phonon reverb", "FreeVerb2", "GVerb"]
    ir = {k: [load_rv(p) for p in v] for k, v in rv.items()}
    dens = []
    for j in range(3):
        y = ir[(0.5, 0.5)][j]
        out = []
        for ch in range(2):
            t90, mean, least = ned(y[:, ch])
            out.append((filled_ms(y[:, ch]), t90, mean, least))
        dens.append(out)
    sec = "reverb (room 0.5 damp 0.5) / FreeVerb2 ; GVerb"

    def two(a, b):
        return "%s ; %s" % (a, b)
    row(sec, "1 ms windows of the first 50 ms with sound (L)", "%.0f %%" % (100 * dens[0][0][0]),
        two("%.0f %%" % (100 * dens[1][0][0]), "%.0f %%" % (100 * dens[2][0][0])))
    f90 = lambda t: "%.1f ms" % (1000 * t) if np.isfinite(t) else "never (to 300 ms)"
    row(sec, "echo density reaches 0.9 at (L)", f90(dens[0][0][1]), two(f90(dens[1][0][1]), f90(dens[2][0][1])))
    row(sec, "echo density mean 10-50 ms (L/R)", "%.2f/%.2f" % (dens[0][0][2], dens[0][1][2]),
        two("%.2f/%.2f" % (dens[1][0][2], dens[1][1][2]), "%.2f/%.2f" % (dens[2][0][2], dens[2][1][2])))
    row(sec, "echo density least 10-100 ms (L)", "%.2f" % dens[0][0][3],
        two("%.2f" % dens[1][0][3], "%.2f" % dens[2][0][3]))
    for key in [(0.5, 0.5), (0.9, 0.2), (1.0, 0.0)]:
        vals = []
        for j in range(3):
            y = ir[key][j]
            rt = rt60_energy(y[:, 0] ** 2)
            frm, ln = int(0.15 * FS), int(1.4 * FS)
            spread, peak = tail_lines(y[:, 0], frm, ln)
            ns, npk = noise_lines(ln, rt)
            vals.append((spread, peak, ns, npk))
        s = "room %g damp %g" % key
        row(sec, "late-tail line spread, %s (noise)" % s,
            "%.2f dB (%.2f)" % (vals[0][0], vals[0][2]),
            two("%.2f dB (%.2f)" % (vals[1][0], vals[1][2]), "%.2f dB (%.2f)" % (vals[2][0], vals[2][2])))
        row(sec, "worst mode over smoothed spectrum, %s (noise)" % s,
            "%+.1f dB (%+.1f)" % (vals[0][1], vals[0][3]),
            two("%+.1f dB (%+.1f)" % (vals[1][1], vals[1][3]), "%+.1f dB (%+.1f)" % (vals[2][1], vals[2][3])))
    for key in [(0.0, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 0.0)]:
        v = []
        for j in range(3):
            y = ir[key][j]
            rough = rt60_energy((y ** 2).sum(1))
            v.append(band_rt60(trim(y, max(rough, 0.3)), 500))
        row(sec, "RT60 at 500 Hz, room %g damp 0 (GVerb revtime %.2f s)" % (key[0], doc_rt(key[0])),
            "%.2f s" % v[0], two("%.2f s" % v[1], "%.2f s" % v[2]))
    for key in [(0.5, 0.5), (0.5, 1.0)]:
        v = []
        for j in range(3):
            y = ir[key][j]
            rough = rt60_energy((y ** 2).sum(1))
            yy = trim(y, max(rough, 0.3))
            v.append((band_rt60(yy, 500), band_rt60(yy, 4000)))
        row(sec, "RT60 500 Hz / 4 kHz, room 0.5 damp %g (GVerb damping %g)" % (key[1], key[1]),
            "%.2f / %.2f s" % v[0], two("%.2f / %.2f s" % v[1], "%.2f / %.2f s" % v[2]))
    c = [(corr(ir[(0.5, 0.5)][j], 0, int(0.05 * FS)), corr(ir[(0.5, 0.5)][j], int(0.05 * FS), int(1.2 * FS)))
         for j in range(3)]
    row(sec, "L/R correlation, first 50 ms / 50 ms-1.2 s", "%.2f / %.2f" % c[0],
        two("%.2f / %.2f" % c[1], "%.2f / %.2f" % c[2]))

    # --- filters
    for kind, fc, q, ph, scw in filt:
        if kind == "lpf":
            sec = "lpf / RLPF (rq = 1/q)"
            g = []
            for p in (ph, scw):
                f, H, h = response(p)
                band = (f > 10) & (f < FS / 2 - 10)
                g.append((db(gain_at(h, fc)), db(H[band].max()), f[band][np.argmax(H[band])]))
            row(sec, "fc %d q %g: gain at fc (ideal %+.2f dB); peak (freq)" % (fc, q, db(q)),
                "%+.2f dB; %+.2f dB (%.0f Hz)" % g[0], "%+.2f dB; %+.2f dB (%.0f Hz)" % g[1])
        elif kind == "moog":
            sec = "moog / MoogFF (gain = 4.2 resonance)"
            g = []
            for p in (ph, scw):
                f, H, h = response(p)
                dc = gain_at(h, 20)
                band = (f > 20) & (f < FS / 2 - 10)
                g.append((db(dc), db(gain_at(h, fc) / dc), f[band][np.argmax(H[band])]))
            row(sec, "fc %d res %g: gain at 20 Hz; at fc re 20 Hz; peak freq" % (fc, q),
                "%+.2f dB; %+.2f dB; %.0f Hz" % g[0], "%+.2f dB; %+.2f dB; %.0f Hz" % g[1])
        else:
            sec = "bpf / BPF (rq 0.25)"
            g = [band_edges(p, fc) for p in (ph, scw)]
            row(sec, "centre %d q 4: -3 dB width (wanted %d Hz); gain at centre" % (fc, fc // 4),
                "%.0f Hz (%.0f-%.0f); %+.2f dB" % g[0], "%.0f Hz (%.0f-%.0f); %+.2f dB" % g[1])

    # --- the table
    w0 = max(len(r[1]) for r in rows)
    w1 = max(len(r[2]) for r in rows)
    last = None
    print("%-*s | %-*s | %s" % (w0, "measure (44.1 kHz)", w1, "phonon", "SuperCollider 3.13 (scsynth NRT)"))
    for sec, m, p, s in rows:
        if sec != last:
            print("%s:" % sec)
            last = sec
        print("%-*s | %-*s | %s" % (w0, "  " + m, w1, p, s))


main()
