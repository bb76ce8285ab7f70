/* test_builtin.c — the built-in synthesised sounds: every name there with variants, levels and
 * lengths in range, clean ends, the same bits every time, and each recipe sounding like what it
 * is named (a falling kick, hats above 5 kHz, a clap in bursts, toms and arpy walking up). */
#include "bank.h"
#include "builtin.h"
#include "test.h"

#include <stdlib.h>

static float *render(const char *name, int v, double sr, int *frames)
{
    int s = builtin_find(name);
    *frames = builtin_frames(s, v, sr);
    float *x = malloc(sizeof(float) * (size_t)*frames);
    builtin_render(s, v, sr, x);
    return x;
}

/* Mean frequency from upward zero crossings between t0 and t1 seconds (interpolated). */
static double crossing_freq(const float *x, int n, double sr, double t0, double t1)
{
    int a = (int)(t0 * sr), b = (int)(t1 * sr), count = 0;
    double first = 0, last = 0;
    if (b > n) b = n;
    for (int i = a + 1; i < b; i++)
        if (x[i - 1] < 0 && x[i] >= 0) {
            double t = i - 1 + x[i - 1] / (x[i - 1] - x[i]);
            if (count++ == 0) first = t;
            last = t;
        }
    return count > 1 ? (count - 1) * sr / (last - first) : 0;
}

/* Fraction of the energy of x[0..n) (Hann window, plain DFT) between lo and hi Hz. */
static double band_fraction(const float *x, int n, double sr, double lo, double hi)
{
    if (n > 4096) n = 4096;
    double *w = malloc(sizeof(double) * (size_t)n), *c = malloc(sizeof(double) * (size_t)n),
           *s = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) {
        w[i] = x[i] * 0.5 * (1 - cos(2 * M_PI * i / n));
        c[i] = cos(2 * M_PI * i / n);
        s[i] = sin(2 * M_PI * i / n);
    }
    double in = 0, all = 0;
    for (int k = 1; k < n / 2; k++) {
        double re = 0, im = 0;
        for (int i = 0, j = 0; i < n; i++, j = (j + k) % n) {
            re += w[i] * c[j];
            im -= w[i] * s[j];
        }
        double f = k * sr / n, p = re * re + im * im;
        all += p;
        if (f >= lo && f < hi) in += p;
    }
    free(w); free(c); free(s);
    return all > 0 ? in / all : 0;
}

/* The strongest DFT bin between lo and hi Hz over x[0..n) at 1 Hz steps (Hann window). */
static double peak_freq(const float *x, int n, double sr, double lo, double hi)
{
    double best = 0, bestf = 0;
    for (double f = lo; f <= hi; f += 1) {
        double re = 0, im = 0;
        for (int i = 0; i < n; i++) {
            double w = x[i] * 0.5 * (1 - cos(2 * M_PI * i / n));
            re += w * cos(2 * M_PI * f * i / sr);
            im -= w * sin(2 * M_PI * f * i / sr);
        }
        if (re * re + im * im > best) {
            best = re * re + im * im;
            bestf = f;
        }
    }
    return bestf;
}

static void test_table(void)
{
    const char *required[] = { "bd", "sn", "hh", "cp", "oh", "lt", "mt", "ht", "cb", "rs", "cr", "sd",
                               "arpy", "drum", "808bd", "808sd", "808hc", "808oh", "808ht", "808mt",
                               "808lt", "808cy" };
    int missing = 0, few = 0;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        int s = builtin_find(required[i]);
        if (s < 0) {
            missing++;
            printf("# missing %s\n", required[i]);
        } else if (builtin_variants(s) < 4) {
            few++;
        }
    }
    CHECK_INT(missing, 0, "every required name is built in");
    CHECK_INT(few, 0, "every required name has at least 4 variants");
    CHECK_INT(builtin_find("nope"), -1, "unknown name");
    CHECK(builtin_name(-1) == NULL && builtin_name(builtin_count()) == NULL, "names out of range");
    CHECK_INT(builtin_variants(builtin_find("808bd")), 25, "808bd: 5 tones x 5 decays, like Dirt's");
    CHECK_INT(builtin_variants(builtin_find("arpy")), 11, "arpy: 11 notes, like Dirt's");
    int described = 1;
    for (int s = 0; s < builtin_count(); s++)
        described &= builtin_about(s) && strlen(builtin_about(s)) > 10;
    CHECK(described, "every built-in is described");
    CHECK_INT(builtin_frames(-1, 0, 44100), 16, "an unknown sound is a short silence");
}

/* Every variant of every sound at two rates: level, length, DC, clean ends, finite. */
static void test_every_variant(void)
{
    const double rates[] = { 44100, 48000 };
    int bad_peak = 0, bad_len = 0, bad_dc = 0, bad_ends = 0, bad_finite = 0, total = 0;
    for (int r = 0; r < 2; r++)
        for (int s = 0; s < builtin_count(); s++)
            for (int v = 0; v < builtin_variants(s); v++) {
                double sr = rates[r];
                int n = builtin_frames(s, v, sr);
                float *x = malloc(sizeof(float) * (size_t)n);
                builtin_render(s, v, sr, x);
                double peak = 0, sum = 0, head = 0;
                int finite = 1;
                for (int i = 0; i < n; i++) {
                    finite &= isfinite(x[i]);
                    peak = fmax(peak, fabs(x[i]));
                    sum += x[i];
                }
                for (int i = 0; i < 8; i++)
                    head = fmax(head, fabs(x[i]));
                double secs = n / sr;
                total++;
                if (!finite) bad_finite++;
                if (peak < 0.8 || peak > 0.9) { bad_peak++; printf("# %s:%d peak %g\n", builtin_name(s), v, peak); }
                if (secs < 0.02 || secs > 3.0) { bad_len++; printf("# %s:%d %g s\n", builtin_name(s), v, secs); }
                if (fabs(sum / n) > 0.005) { bad_dc++; printf("# %s:%d mean %g\n", builtin_name(s), v, sum / n); }
                if (x[0] != 0 || head > 0.1 || fabs(x[n - 1]) > 1e-4) {
                    bad_ends++;
                    printf("# %s:%d starts %g (first 8 up to %g), ends %g\n", builtin_name(s), v, x[0], head, x[n - 1]);
                }
                free(x);
            }
    CHECK(total > 200, "many variants rendered", "%d", total);
    CHECK_INT(bad_finite, 0, "every sample finite");
    CHECK_INT(bad_peak, 0, "peaks between 0.8 and 0.9");
    CHECK_INT(bad_len, 0, "lengths between 20 ms and 3 s");
    CHECK_INT(bad_dc, 0, "no DC (mean under 0.005)");
    CHECK_INT(bad_ends, 0, "fade in from 0, fade out to 0 (no clicks)");
}

static void test_deterministic(void)
{
    int differ = 0, same_variants = 0;
    for (int s = 0; s < builtin_count(); s++) {
        int n = builtin_frames(s, 1, 44100), n0 = builtin_frames(s, 0, 44100);
        float *a = malloc(sizeof(float) * (size_t)n), *b = malloc(sizeof(float) * (size_t)n);
        float *z = malloc(sizeof(float) * (size_t)n0);
        builtin_render(s, 1, 44100, a);
        builtin_render(s, 1, 44100, b);
        builtin_render(s, 0, 44100, z);
        differ += memcmp(a, b, sizeof(float) * (size_t)n) != 0;
        same_variants += n == n0 && memcmp(a, z, sizeof(float) * (size_t)n) == 0;
        free(a); free(b); free(z);
    }
    CHECK_INT(differ, 0, "two renders give the same bits");
    CHECK_INT(same_variants, 0, "variants 0 and 1 differ for every sound");

    int s = builtin_find("sn"), nv = builtin_variants(s), n;
    float *last = render("sn", nv - 1, 44100, &n);
    int nw = builtin_frames(s, -1, 44100);
    float *wrapped = malloc(sizeof(float) * (size_t)nw);
    builtin_render(s, -1, 44100, wrapped);
    CHECK(nw == n && memcmp(last, wrapped, sizeof(float) * (size_t)n) == 0, "variant -1 is the last");
    free(wrapped);
    free(last);
    float *first = render("sn", 0, 44100, &n);
    nw = builtin_frames(s, nv, 44100);
    wrapped = malloc(sizeof(float) * (size_t)nw);
    builtin_render(s, nv, 44100, wrapped);
    CHECK(nw == n && memcmp(first, wrapped, sizeof(float) * (size_t)n) == 0, "variant count wraps to 0");
    free(wrapped);
    free(first);
}

static void test_kicks(void)
{
    const struct { const char *name; int v; } kicks[] = { { "bd", 0 }, { "bd", 3 }, { "bd", 7 }, { "808bd", 3 },
                                                           { "808bd", 0 }, { "808bd", 24 } };
    for (size_t k = 0; k < sizeof kicks / sizeof kicks[0]; k++) {
        int n;
        char name[96];
        float *x = render(kicks[k].name, kicks[k].v, 44100, &n);
        double early = crossing_freq(x, n, 44100, 0.005, 0.035), late = crossing_freq(x, n, 44100, 0.05, 0.1);
        snprintf(name, sizeof name, "%s:%d pitch falls over the first 100 ms", kicks[k].name, kicks[k].v);
        CHECK(late > 0 && early > 1.25 * late, name, "%.1f Hz early, %.1f Hz late", early, late);
        snprintf(name, sizeof name, "%s:%d settles in the kick range", kicks[k].name, kicks[k].v);
        CHECK(late > 35 && late < 70, name, "%.1f Hz", late);
        snprintf(name, sizeof name, "%s:%d energy below 200 Hz", kicks[k].name, kicks[k].v);
        CHECK(band_fraction(x, n, 44100, 0, 200) > 0.8, name);
        free(x);
    }
    int n0, n4;
    float *a = render("808bd", 0, 44100, &n0), *b = render("808bd", 4, 44100, &n4);
    CHECK(n4 > 2 * n0, "808bd decay knob lengthens the boom", "%d vs %d frames", n0, n4);
    free(a);
    free(b);
}

static void test_hats(void)
{
    const char *hats[] = { "hh", "hc", "oh", "808oh" };
    int bad = 0, count = 0;
    for (size_t h = 0; h < sizeof hats / sizeof hats[0]; h++)
        for (int v = 0; v < builtin_variants(builtin_find(hats[h])); v++) {
            int n;
            float *x = render(hats[h], v, 44100, &n);
            double f = band_fraction(x, n, 44100, 5000, 22050);
            count++;
            if (f < 0.8) {
                bad++;
                printf("# %s:%d only %.2f above 5 kHz\n", hats[h], v, f);
            }
            free(x);
        }
    CHECK(count >= 20 && bad == 0, "hats: most energy above 5 kHz");
    int nc, no;
    float *c = render("hh", 0, 44100, &nc), *o = render("oh", 0, 44100, &no);
    CHECK(no > 3 * nc, "open hat rings longer than closed", "%d vs %d", no, nc);
    CHECK(nc < 0.3 * 44100, "closed hat is short");
    free(c);
    free(o);
    float *cy = render("808cy", 0, 44100, &nc);
    CHECK(band_fraction(cy, nc, 44100, 3000, 22050) > 0.8, "808 cymbal is bright");
    free(cy);
}

static void test_snare_and_clap(void)
{
    int n;
    float *x = render("sn", 0, 44100, &n);
    double tone = band_fraction(x, n, 44100, 120, 450), hi = band_fraction(x, n, 44100, 1000, 22050);
    CHECK(tone > 0.1 && hi > 0.2, "snare: a tone under 450 Hz and noise above 1 kHz", "tone %.2f noise %.2f", tone, hi);
    double f = peak_freq(x, 2048, 44100, 100, 400);
    CHECK(f > 160 && f < 260, "snare's tone near 180 Hz", "%.0f Hz", f);
    free(x);

    x = render("cp", 0, 44100, &n);
    CHECK(band_fraction(x, n, 44100, 500, 3000) > 0.5, "clap: energy around its 1.2 kHz band");
    /* Bursts: the 1 ms RMS envelope rises again at least twice in the first 40 ms. */
    int ms = 44, rises = 0;
    double prev = 0, floor_ = 1e9;
    for (int w = 0; w < 40; w++) {
        double e = 0;
        for (int i = w * ms; i < (w + 1) * ms; i++)
            e += x[i] * x[i];
        e = sqrt(e / ms);
        if (e < floor_) floor_ = e;
        if (w > 0 && e > 1.5 * floor_ && e > prev * 1.5 && floor_ < prev) {
            rises++;
            floor_ = e;
        }
        prev = e;
    }
    CHECK(rises >= 2, "clap: several bursts", "%d rises", rises);
    free(x);
}

static double tom_pitch(const char *name, int v)
{
    int n;
    float *x = render(name, v, 44100, &n);
    double f = crossing_freq(x, n, 44100, 0.08, 0.16);
    free(x);
    return f;
}

static void test_toms_and_arpy(void)
{
    double lt = tom_pitch("lt", 0), mt = tom_pitch("mt", 0), ht = tom_pitch("ht", 0);
    CHECK(lt > 60 && lt < mt && mt < ht && ht < 260, "toms: low < mid < high", "%.0f %.0f %.0f", lt, mt, ht);
    double l8 = tom_pitch("808lt", 0), m8 = tom_pitch("808mt", 0), h8 = tom_pitch("808ht", 0);
    CHECK(l8 > 60 && l8 < m8 && m8 < h8 && h8 < 260, "808 toms: low < mid < high", "%.0f %.0f %.0f", l8, m8, h8);
    CHECK(tom_pitch("808ht", 4) > 1.2 * h8, "808ht tuning knob raises the pitch");
    int up = 1;
    for (int v = 1; v < 6; v++)
        up &= tom_pitch("lt", v) > tom_pitch("lt", v - 1);
    CHECK(up, "lt variants walk up");

    int n;
    float *x = render("arpy", 0, 44100, &n);
    double f0 = peak_freq(x, 4096, 44100, 200, 320);
    CHECK_NEAR(f0, 261.6, 3, "arpy:0 is middle C");
    free(x);
    double prev = 0;
    up = 1;
    for (int v = 0; v < 11; v++) {
        x = render("arpy", v, 44100, &n);
        double f = crossing_freq(x, n, 44100, 0.0, 0.05);
        up &= f > prev * 1.04;
        prev = f;
        free(x);
    }
    CHECK(up, "arpy variants walk up the scale");
}

/* Through the bank: built-ins are rendered at the engine's rate by the loader. */
static void test_through_bank(void)
{
    Bank *b = bank_new(48000, NULL, NULL);
    bank_set_use_system(b, false);
    bank_add_defaults(b);
    const BankSound *bd = bank_find(b, "bd"), *h8 = bank_find(b, "808ht");
    CHECK(bd && banksound_is_builtin(bd), "bd is a built-in bank sound");
    CHECK(h8 && banksound_count(h8) == 5, "808ht: five tunings");
    CHECK_STR(bd ? banksound_kind(bd) : NULL, "builtin", "kind");
    if (bd && h8) {
        bank_request(b, bd);
        bank_request(b, h8);
        CHECK(bank_wait(b, 30), "built-ins rendered");
        const Sample *s = banksound_get(bd, 3);
        CHECK(s && s->rate == 48000 && s->channels == 1, "rendered at the engine rate, mono");
        CHECK(s && s->ch[0] == s->ch[1] && s->ch[0][-1] == 0 && s->ch[0][s->frames] == 0, "mono and padded");
        CHECK_STR(s ? s->path : NULL, "builtin:bd:3", "path names the variant");
        CHECK(s && fabs(s->peak - 0.85) < 0.01, "peak recorded");
        int n = builtin_frames(builtin_find("bd"), 3, 48000);
        float *x = malloc(sizeof(float) * (size_t)n);
        builtin_render(builtin_find("bd"), 3, 48000, x);
        CHECK(s && s->frames == n && memcmp(s->ch[0], x, sizeof(float) * (size_t)n) == 0,
              "the bank holds exactly what builtin_render makes");
        free(x);
        CHECK(banksound_get(h8, 0) != NULL, "808ht there");
    }
    bank_free(b);
}

int main(void)
{
    test_table();
    test_every_variant();
    test_deterministic();
    test_kicks();
    test_hats();
    test_snare_and_clap();
    test_toms_and_arpy();
    test_through_bank();
    return test_done();
}
