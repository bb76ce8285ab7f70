/* test_sound_reverb.c — the reverb as a listener hears it, from its impulse response (all wet, 44.1 kHz):
 * echo density from the first milliseconds, a late tail as smooth as noise (no spectral lines, no ringing
 * modes), decorrelated channels, RT60 per `room` and the damping as docs/DSP.md states them (Schroeder
 * backward integration), no NaN or denormal after a long silence. Every figure is printed ("# ..."). */
#include "test_dsp_util.h"

#include "orbit.h"

#define FS 44100.0f
#define ERFC_INV_SQRT2 0.31731050786291415     /* erfc(1/sqrt 2): the share of a Gaussian beyond 1 sigma */

/* The documented mapping (docs/DSP.md): RT60 = 0.65 s / (1 - 0.928 room); 4 kHz decays in (1 - 0.75 damp) of it. */
static double doc_rt60(double room) { return 0.65 / (1 - 0.928 * room); }
static double doc_hf_ratio(double damp) { return 1 - 0.75 * damp; }

/* The stereo impulse response (frame-major L R), all wet. */
static float *rv_ir(float room, float damp, int frames)
{
    float *x = t_alloc((size_t)frames);
    x[0] = 1.0f;
    float *y = t_filter("reverb", FS, x, frames, t_k(room), t_k(damp), t_k(1.0f), t_k(0));
    free(x);
    return y;
}

static double *rv_channel(const float *y, int frames, int ch)
{
    double *h = calloc((size_t)frames, sizeof(double));
    for (int t = 0; t < frames; t++) h[t] = y[2 * (size_t)t + ch];
    return h;
}

/* RT60 by Schroeder backward integration of the energy e (both channels' squares summed): the energy
 * decay curve in dB, a least-squares line through its -5 .. -35 dB part (T30), extrapolated to -60 dB. */
static double rv_rt60_energy(const double *e, int n)
{
    double *edc = calloc((size_t)n, sizeof(double)), acc = 0;
    for (int t = n - 1; t >= 0; t--) edc[t] = acc += e[t];
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int t = 0; t < n; t++) {
        double db = 10 * log10(edc[t] / edc[0] + 1e-300);
        if (db > -5 || db < -35) continue;
        double s = t / FS;
        sx += s, sy += db, sxx += s * s, sxy += s * db, m++;
    }
    free(edc);
    double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    return m > 10 && slope < 0 ? -60 / slope : 0;
}

/* RT60 of one channel h */
static double rv_rt60(const double *h, int n)
{
    double *e = calloc((size_t)n, sizeof(double));
    for (int t = 0; t < n; t++) e[t] = h[t] * h[t];
    double r = rv_rt60_energy(e, n);
    free(e);
    return r;
}

/* A band-pass (RBJ, 0 dB at the centre) over h, in place: q 1.414 is an octave wide, 4.32 a third. */
static void rv_band(double *h, int n, double fc, double q)
{
    double w = 2 * TPI * fc / FS, al = sin(w) / (2 * q), a0 = 1 + al;
    double b0 = al / a0, b2 = -al / a0, a1 = -2 * cos(w) / a0, a2 = (1 - al) / a0;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (int t = 0; t < n; t++) {
        double x = h[t], y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1, x1 = x, y2 = y1, y1 = y;
        h[t] = y;
    }
}

/* RT60 of both channels in a band around fc (three band-passes in a row: steep skirts, so a slower decay
 * beside the band does not leak into the late part of the curve). */
static double rv_band_rt60(const float *y, int frames, double fc, double q)
{
    double *e = calloc((size_t)frames, sizeof(double));
    for (int ch = 0; ch < 2; ch++) {
        double *h = rv_channel(y, frames, ch);
        for (int i = 0; i < 3; i++) rv_band(h, frames, fc, q);
        for (int t = 0; t < frames; t++) e[t] += h[t] * h[t];
        free(h);
    }
    double r = rv_rt60_energy(e, frames);
    free(e);
    return r;
}

/* The normalized echo density profile (Abel & Huang): in a 20 ms Hann window, the weighted share of
 * samples beyond one standard deviation, over a Gaussian's share (1 = as dense as noise). Returns the
 * first window centre (s) where it reaches `level`, the mean profile over the window centres 10..50 ms and
 * the least from 10 to 100 ms (10 ms is the first centre: the window starts at 0). */
static double rv_ned_time(const double *h, int n, double level, double *mean_10_50, double *min_10_100)
{
    *min_10_100 = 1e9;
    int w = (int)(0.020 * FS), found = -1;
    double sum = 0;
    int cnt = 0;
    for (int c = w / 2; c + w / 2 < n && c < (int)(0.3 * FS); c += 22) {
        double sw = 0, se = 0, sa = 0;
        for (int k = 0; k < w; k++) {
            double win = 0.5 - 0.5 * cos(2 * TPI * (k + 0.5) / w), v = h[c - w / 2 + k];
            sw += win, se += win * v * v;
        }
        double sigma = sqrt(se / sw);
        for (int k = 0; k < w; k++) {
            double win = 0.5 - 0.5 * cos(2 * TPI * (k + 0.5) / w);
            sa += fabs(h[c - w / 2 + k]) > sigma ? win : 0;
        }
        double ned = sigma > 0 ? sa / sw / ERFC_INV_SQRT2 : 0;
        if (found < 0 && ned >= level) found = c;
        if (c >= (int)(0.010 * FS) && c <= (int)(0.050 * FS)) sum += ned, cnt++;
        if (c >= (int)(0.010 * FS) && c <= (int)(0.100 * FS) && ned < *min_10_100) *min_10_100 = ned;
    }
    *mean_10_50 = cnt ? sum / cnt : 0;
    return found < 0 ? 1e9 : found / FS;
}

/* Share of the 1 ms windows of the first 50 ms that hold energy above -60 dB of the loudest one. */
static double rv_filled_ms(const double *h)
{
    int w = (int)(0.001 * FS);
    double e[50], top = 0;
    for (int i = 0; i < 50; i++) {
        e[i] = 0;
        for (int k = 0; k < w; k++) e[i] += h[i * w + k] * h[i * w + k];
        top = e[i] > top ? e[i] : top;
    }
    int full = 0;
    for (int i = 0; i < 50; i++) full += e[i] > 1e-6 * top;
    return full / 50.0;
}

/* ---- the late tail's spectrum ------------------------------------------------------------------ */

#define RV_FFT 32768

static void rv_fft(double *re, double *im, int n)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double a = -2 * TPI / len;
        for (int i = 0; i < n; i += len)
            for (int k = 0; k < len / 2; k++) {
                double wr = cos(a * k), wi = sin(a * k);
                double xr = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi;
                double xi = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
                re[i + k + len / 2] = re[i + k] - xr, im[i + k + len / 2] = im[i + k] - xi;
                re[i + k] += xr, im[i + k] += xi;
            }
    }
}

/* p smoothed over a third of an octave around each bin k in [lo, hi] (a moving mean in power). */
static void rv_smooth(const double *p, double *sm, int lo, int hi)
{
    static double cum[RV_FFT / 2 + 1];
    cum[0] = 0;
    for (int k = 0; k < hi + hi / 4 + 4 && k < RV_FFT / 2; k++) cum[k + 1] = cum[k] + p[k];
    for (int k = lo; k <= hi; k++) {
        int half = (int)(k * (pow(2, 1.0 / 6) - 1)) + 3;
        sm[k] = (cum[k + half + 1] - cum[k - half]) / (2 * half + 1);
    }
}

/* The late tail's spectrum at 1.35 Hz resolution (32768-point Hann frames, hop 16384) over
 * h[from, from + len): each frame's power over its own spectrum smoothed to a third of an octave (so a
 * decay, faster at high frequencies, weighs no frame more than another), averaged over the frames; then
 * every bin from 200 Hz to 10 kHz against that average smoothed again. spread: the standard deviation of
 * those ratios in dB (the "spectral line spread"); peak: the largest (the worst ringing mode). */
static void rv_tail_lines(const double *h, int from, int len, double *spread, double *peak)
{
    static double re[RV_FFT], im[RV_FFT], p[RV_FFT / 2], acc[RV_FFT / 2], sm[RV_FFT / 2];
    int nfft = RV_FFT, lo = (int)(200 * nfft / FS), hi = (int)(10000 * nfft / FS), m = 0;
    memset(acc, 0, sizeof acc);
    for (int f0 = from; f0 + nfft <= from + len; f0 += nfft / 2) {
        for (int k = 0; k < nfft; k++) {
            re[k] = h[f0 + k] * (0.5 - 0.5 * cos(2 * TPI * (k + 0.5) / nfft));
            im[k] = 0;
        }
        rv_fft(re, im, nfft);
        for (int k = 0; k < nfft / 2; k++) p[k] = re[k] * re[k] + im[k] * im[k];
        rv_smooth(p, sm, lo, hi);
        for (int k = lo; k <= hi; k++) acc[k] += p[k] / (sm[k] + 1e-300);
    }
    rv_smooth(acc, sm, lo, hi);
    double s = 0, ss = 0, top = -1e9;
    for (int k = lo; k <= hi; k++) {
        double d = 10 * log10(acc[k] / sm[k]);
        s += d, ss += d * d, m++;
        top = d > top ? d : top;
    }
    *spread = sqrt(ss / m - (s / m) * (s / m));
    *peak = top;
}

/* The same analysis of white noise decaying at the same rate: what "as smooth as noise" means. */
static void rv_noise_lines(int len, double rt60, double *spread, double *peak)
{
    double *h = calloc((size_t)len, sizeof(double));
    for (int t = 0; t < len; t++) h[t] = (2 * t_rand() - 1) * pow(10, -3 * (t / FS) / rt60);
    rv_tail_lines(h, 0, len, spread, peak);
    free(h);
}

static double rv_corr(const float *y, int from, int to)
{
    double lr = 0, ll = 0, rr = 0;
    for (int t = from; t < to; t++) {
        double l = y[2 * t], r = y[2 * t + 1];
        lr += l * r, ll += l * l, rr += r * r;
    }
    return lr / sqrt(ll * rr + 1e-300);
}

/* ---- the tests ----------------------------------------------------------------------------------- */

static void test_density(void)
{
    int frames = (int)(0.5 * FS);
    float *y = rv_ir(0.5f, 0.5f, frames);
    for (int ch = 0; ch < 2; ch++) {
        const char *side = ch ? "right" : "left";
        double *h = rv_channel(y, frames, ch), mean, least;
        double t90 = rv_ned_time(h, frames, 0.9, &mean, &least), filled = rv_filled_ms(h);
        printf("# echo density (%s): %.0f %% of the first 50 ms filled; normalized echo density 0.9 at %.1f ms, "
               "mean %.2f over 10-50 ms, least %.2f over 10-100 ms\n", side, 100 * filled, 1000 * t90, mean, least);
        char msg[112];
        snprintf(msg, sizeof msg, "reverb %s: every millisecond of the first 50 holds sound", side);
        CHECK(filled >= 0.98, msg, "%.0f %%", 100 * filled);
        snprintf(msg, sizeof msg, "reverb %s: as dense as noise (echo density 0.9) within 20 ms", side);
        CHECK(t90 <= 0.020, msg, "%.1f ms", 1000 * t90);
        snprintf(msg, sizeof msg, "reverb %s: echo density stays near 1 (mean >= 0.85, never below 0.8 to 100 ms)", side);
        CHECK(mean >= 0.85 && least >= 0.8, msg, "mean %.2f, least %.2f", mean, least);
        free(h);
    }
    free(y);
}

static void test_smooth_tail(void)
{
    static const float rooms[][2] = { { 0.5f, 0.5f }, { 0.9f, 0.2f }, { 1.0f, 0.0f }, { 0.5f, 0.0f } };
    for (int i = 0; i < 4; i++) {
        int frames = (int)(1.6 * FS), from = (int)(0.15 * FS), len = (int)(1.4 * FS);
        float *y = rv_ir(rooms[i][0], rooms[i][1], frames);
        double *h = rv_channel(y, frames, 0);
        double rt = rv_rt60(h, frames), spread, peak, nspread, npeak;
        rv_tail_lines(h, from, len, &spread, &peak);
        rv_noise_lines(len, rt, &nspread, &npeak);
        printf("# late tail, room %.1f damp %.1f: line spread %.2f dB (noise %.2f), worst mode %+.1f dB over the "
               "smoothed spectrum (noise %+.1f)\n", rooms[i][0], rooms[i][1], spread, nspread, peak, npeak);
        char msg[128];
        snprintf(msg, sizeof msg, "reverb room %.1f damp %.1f: the late tail's spectral lines spread within 1 dB of noise's",
                 rooms[i][0], rooms[i][1]);
        CHECK(spread <= nspread + 1, msg, "%.2f dB against %.2f", spread, nspread);
        snprintf(msg, sizeof msg, "reverb room %.1f damp %.1f: no ringing mode more than 2 dB above noise's worst bin",
                 rooms[i][0], rooms[i][1]);
        CHECK(peak <= npeak + 2, msg, "%+.1f dB against %+.1f", peak, npeak);
        free(h), free(y);
    }
}

/* RT60 is documented for the middle of the spectrum: measured in the octaves at 500 Hz and 1 kHz. */
static void test_rt60(void)
{
    static const float rooms[] = { 0, 0.25f, 0.5f, 0.75f, 0.9f, 1 };
    for (int i = 0; i < 6; i++) {
        double want = doc_rt60(rooms[i]);
        int frames = (int)((want * 1.2 + 0.5) * FS);
        float *y = rv_ir(rooms[i], 0, frames);
        double *h = rv_channel(y, frames, 0);
        double rt = rv_rt60(h, frames), rt500 = rv_band_rt60(y, frames, 500, 1.414);
        double rt1k = rv_band_rt60(y, frames, 1000, 1.414);
        printf("# RT60 room %.2f damp 0: %.3f s at 500 Hz, %.3f s at 1 kHz, %.3f s broadband (documented %.3f s)\n",
               rooms[i], rt500, rt1k, rt, want);
        char msg[96];
        snprintf(msg, sizeof msg, "reverb room %.2f: RT60 %.2f s as documented, within 10 %%", rooms[i], want);
        CHECK(fabs(rt500 / want - 1) <= 0.10 && fabs(rt1k / want - 1) <= 0.10, msg, "%.3f s at 500 Hz, %.3f s at 1 kHz",
              rt500, rt1k);
        free(h), free(y);
    }
}

/* damp shortens the decay at 4 kHz to (1 - 0.75 damp) of RT60 and leaves 500 Hz at RT60 (octave bands). */
static void test_damping(void)
{
    static const float damps[] = { 0, 0.5f, 1 };
    double want = doc_rt60(0.5);
    for (int i = 0; i < 3; i++) {
        int frames = (int)(2.0 * FS);
        float *y = rv_ir(0.5f, damps[i], frames);
        double lo = rv_band_rt60(y, frames, 500, 1.414), hi = rv_band_rt60(y, frames, 4000, 1.414);
        double hwant = want * doc_hf_ratio(damps[i]);
        printf("# damping, room 0.5 damp %.1f: RT60 %.3f s at 500 Hz, %.3f s at 4 kHz (documented %.3f and %.3f s)\n",
               damps[i], lo, hi, want, hwant);
        char msg[112];
        snprintf(msg, sizeof msg, "reverb damp %.1f: 500 Hz decays in RT60, 4 kHz in %.2f of it (within 10 %%)",
                 damps[i], doc_hf_ratio(damps[i]));
        CHECK(fabs(lo / want - 1) <= 0.10 && fabs(hi / hwant - 1) <= 0.10, msg, "%.3f s and %.3f s", lo, hi);
        free(y);
    }
}

static void test_stereo(void)
{
    int frames = (int)(1.2 * FS);
    float *y = rv_ir(0.5f, 0.5f, frames);
    double early = rv_corr(y, 0, (int)(0.05 * FS)), tail = rv_corr(y, (int)(0.05 * FS), frames);
    printf("# L/R correlation: %.3f over the first 50 ms, %.3f over the tail\n", early, tail);
    CHECK(fabs(tail) < 0.1, "reverb: the channels' tails are decorrelated (|correlation| < 0.1)", "%.3f", tail);
    CHECK(fabs(early) < 0.3, "reverb: the early sound is decorrelated too (|correlation| < 0.3)", "%.3f", early);
    double l = t_rms(y, 0, frames, 2), r = t_rms(y + 1, 0, frames, 2);
    printf("# channel levels: left %.4f right %.4f rms\n", l, r);
    CHECK(fabs(t_db(l / r)) < 1, "reverb: both channels equally loud (within 1 dB)", "%.2f dB", t_db(l / r));
    free(y);
}

/* Noise in, all wet: the wet level is about the dry level at room 0.5 (docs/DSP.md), and grows with the room
 * as a real room's does (its energy with RT60). */
static void test_level(void)
{
    int frames = (int)(6 * FS);
    float *x = t_alloc((size_t)frames);
    for (int t = 0; t < frames; t++) x[t] = 2 * t_rand() - 1;
    double dry = t_rms(x, (int)(3 * FS), frames, 1);
    static const float rooms[] = { 0, 0.5f, 1 };
    double db[3];
    for (int i = 0; i < 3; i++) {
        float *y = t_filter("reverb", FS, x, frames, t_k(rooms[i]), t_k(0.5f), t_k(1), t_k(0));
        db[i] = t_db(t_rms(y, (int)(3 * FS), frames, 2) / dry);
        free(y);
    }
    printf("# wet level for noise, damp 0.5: %+.1f dB at room 0, %+.1f dB at 0.5, %+.1f dB at 1 (re the dry)\n", db[0],
           db[1], db[2]);
    CHECK(fabs(db[1]) <= 1.5, "reverb room 0.5: the wet level is the dry level for noise (within 1.5 dB)", "%+.1f dB",
          db[1]);
    CHECK(db[0] < db[1] && db[1] < db[2], "reverb: a longer room sounds louder", "%+.1f %+.1f %+.1f", db[0], db[1], db[2]);
    free(x);
}

/* One second of full-scale noise into room 1 damp 0, then a minute of silence: the output stays
 * finite, holds no denormal, and ends in exact zeros; the state holds no denormal either. */
static void test_long_silence(void)
{
    int frames = (int)(61 * FS);
    float *x = t_alloc((size_t)frames);
    for (int t = 0; t < (int)FS; t++) x[t] = 2 * t_rand() - 1;
    TNode nd = t_node("reverb", 1, FS, 1);
    TIn in[4] = { t_sig(x, 1), t_k(1), t_k(0), t_k(1) };
    float *y = t_alloc((size_t)frames * 2);
    t_run(&nd, in, frames, 64, y);
    int bad = 0, tiny = 0, live = 0;
    for (size_t i = 0; i < 2 * (size_t)frames; i++) {
        bad += !isfinite(y[i]);
        tiny += y[i] != 0 && fabsf(y[i]) < 1.17549435e-38f;
    }
    for (size_t i = 0; i < nd.nst; i++) tiny += nd.st[i] != 0 && fabsf(nd.st[i]) < 1.17549435e-38f;
    for (size_t i = 2 * (size_t)(60 * FS); i < 2 * (size_t)frames; i++) live += y[i] != 0;
    printf("# after a minute of silence: %d non-finite, %d denormal, %d non-zero samples in the last second\n", bad,
           tiny, live);
    CHECK_INT(bad, 0, "reverb room 1: no NaN or infinity through a minute of silence");
    CHECK_INT(tiny, 0, "reverb room 1: no denormal in output or state through a minute of silence");
    CHECK_INT(live, 0, "reverb room 1: the tail ends in exact zeros within a minute");
    t_free(&nd);
    free(x), free(y);
}

/* An orbit's reverb (SuperDirt's room/size/dry): an impulse on orbit 0 with room 1 (the send), dry 0, decays
 * as dirt_reverb does for its size. The figures are those of a model of the dirt_reverb SynthDef run with
 * this file's analysis (four seeds for its Rand()s): RT60 at 500 Hz 1.26 s at size 0.1, 1.62 s at 0.5,
 * 4.34 s at 0.8, 9.12 s at 0.9; at 4 kHz 3.30 s at 0.8. */
static void test_orbit(void)
{
    static const float sizes[] = { 0.1f, 0.5f, 0.8f, 0.9f };
    static const double want[] = { 1.26, 1.62, 4.34, 9.12 };
    for (int i = 0; i < 4; i++) {
        int block = 64, frames = (int)((want[i] * 1.2 + 0.5) * FS) / block * block;
        Orbits *o = orbit_new(FS, block);
        OrbitFx fx = { .room = 1, .size = sizes[i], .dry = 0 };
        orbit_set(o, 0, &fx, 0.5);
        float *y = t_alloc(2 * (size_t)frames), mix[128];
        for (int t0 = 0; t0 < frames; t0 += block) {
            float *bus = orbit_bus(o, 0);
            memset(bus, 0, sizeof(float) * 2 * (size_t)block);
            if (t0 == 0) bus[0] = bus[1] = 0.5f;
            memset(mix, 0, sizeof mix);
            orbit_process(o, mix, 2, block);
            memcpy(y + 2 * (size_t)t0, mix, sizeof mix);
        }
        y[0] = y[1] = 0;                /* the dry click */
        double rt = rv_band_rt60(y, frames, 500, 1.414), hf = rv_band_rt60(y, frames, 4000, 1.414);
        printf("# orbit reverb, size %.1f: RT60 %.2f s at 500 Hz (dirt_reverb's %.2f s), %.2f s at 4 kHz\n", sizes[i],
               rt, want[i], hf);
        char msg[96];
        snprintf(msg, sizeof msg, "orbit reverb size %.1f decays as dirt_reverb's (%.2f s, within 10 %%)", sizes[i],
                 want[i]);
        CHECK(fabs(rt / want[i] - 1) <= 0.10, msg, "%.2f s", rt);
        if (i == 2) CHECK(fabs(hf / 3.30 - 1) <= 0.10, "orbit reverb size 0.8: 4 kHz decays as dirt_reverb's (3.30 s)",
                          "%.2f s", hf);
        free(y);
        orbit_free(o);
    }
}

int main(void)
{
    test_density();
    test_smooth_tail();
    test_rt60();
    test_damping();
    test_stereo();
    test_level();
    test_long_silence();
    test_orbit();
    return test_done();
}
