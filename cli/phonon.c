/* phonon.c — the command line: render, check, events, bench. Thin: flags and files in, engine calls out. */
#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench.h"
#include "events.h"
#include "phonon.h"
#include "soak.h"

static int usage(void)
{
    fprintf(stderr,
            "phonon %s — a live-coding pattern engine\n"
            "usage:\n"
            "  phonon render FILE OUT.wav|OUT.flac [--cycles N | --duration S] [--sr HZ] [--block N]\n"
            "                [--threads N] [--voices N] [--samples DIR] [--no-system-samples] [--float]\n"
            "  phonon check FILE\n"
            "  phonon events --jsonl < cases.jsonl\n"
            "  phonon events \"bd*2 [sn cp]\" [--cycles C0 C1]\n"
            "  phonon bench FILE [--block N] [--seconds S] [--threads N] [--sr HZ] [--json]\n"
            "  phonon bench --voices N --kind sample|synth|sine [--block N] [--threads N] [--json]\n"
            "  phonon bench --table [--seconds S]\n"
            "  phonon soak [--minutes N] [--seed S]   (hours of audio, programs swapped; checks it all holds)\n"
            "FILE may be - for standard input.\n",
            PHONON_VERSION);
    return 2;
}

/* The whole file (or standard input) as a string; NULL with a message on failure. */
static char *read_text(const char *path)
{
    char *text = phonon_read_text(path);
    if (!text) fprintf(stderr, "phonon: %s: %s\n", path, strerror(errno));
    return text;
}

static void print_messages(Phonon *ph)
{
    PhononMsg m;
    while (phonon_poll(ph, &m))
        if (m.kind != PHONON_MSG_EVENT) fprintf(stderr, "%s\n", m.text);
}

typedef struct RenderOpts {
    const char *in, *out;
    double cycles, duration, sr;
    int block, threads, voices;
    const char *samples[16];
    int nsamples;
    int no_system;
    int as_float;
} RenderOpts;

static int parse_render(int argc, char **argv, RenderOpts *o)
{
    memset(o, 0, sizeof *o);
    o->sr = 44100;
    o->block = 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--cycles") == 0 && v) o->cycles = atof(argv[++i]);
        else if (strcmp(a, "--duration") == 0 && v) o->duration = atof(argv[++i]);
        else if (strcmp(a, "--sr") == 0 && v) o->sr = atof(argv[++i]);
        else if (strcmp(a, "--block") == 0 && v) o->block = atoi(argv[++i]);
        else if (strcmp(a, "--threads") == 0 && v) o->threads = atoi(argv[++i]);
        else if (strcmp(a, "--voices") == 0 && v) o->voices = atoi(argv[++i]);
        else if ((strcmp(a, "--samples") == 0 || strcmp(a, "-samples") == 0) && v && o->nsamples < 15)
            o->samples[o->nsamples++] = argv[++i];
        else if (strcmp(a, "--no-system-samples") == 0) o->no_system = 1;
        else if (strcmp(a, "--float") == 0) o->as_float = 1;
        else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "phonon: unknown option %s\n", a);
            return -1;
        } else if (!o->in) o->in = a;
        else if (!o->out) o->out = a;
        else {
            fprintf(stderr, "phonon: unexpected argument %s\n", a);
            return -1;
        }
    }
    if (o->block < 1 || o->block > 8192 || !(o->sr >= 1000 && o->sr <= 768000)) {
        fprintf(stderr, "phonon: --block must be 1..8192 and --sr 1000..768000\n");
        return -1;
    }
    return 0;
}

/* Compile FILE into a new engine; prints errors as FILE:line:col: message. */
static Phonon *load_program(const RenderOpts *o, int max_block)
{
    char *text = read_text(o->in);
    if (!text) return NULL;
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = o->sr;
    cfg.max_block = max_block;
    cfg.threads = o->threads;
    if (o->voices > 0) cfg.voices = o->voices;
    cfg.no_system_samples = o->no_system;
    const char *dirs[17];
    for (int i = 0; i < o->nsamples; i++) dirs[i] = o->samples[i];
    dirs[o->nsamples] = NULL;
    cfg.sample_dirs = dirs;
    Phonon *ph = phonon_new(&cfg);
    if (!ph) {
        fprintf(stderr, "phonon: out of memory\n");
        free(text);
        return NULL;
    }
    PhononError errs[32];
    int n = phonon_eval(ph, text, o->in, errs, 32);
    free(text);
    print_messages(ph);
    if (n) {
        for (int i = 0; i < n && i < 32; i++) {
            char line[1024];
            phonon_error_format(&errs[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        phonon_free(ph);
        return NULL;
    }
    if (!phonon_wait_loaded(ph, 60)) fprintf(stderr, "phonon: warning: samples still loading after 60 s\n");
    print_messages(ph);
    return ph;
}

static int cmd_render(int argc, char **argv)
{
    RenderOpts o;
    if (parse_render(argc, argv, &o) < 0 || !o.in || !o.out) return usage();
    Phonon *ph = load_program(&o, o.block);
    if (!ph) return 1;
    double seconds = o.duration > 0 ? o.duration : (o.cycles > 0 ? o.cycles : 8) / phonon_cps(ph);
    long frames = lround(seconds * o.sr);

    const char *ext = strrchr(o.out, '.');
    SF_INFO info = { 0 };
    info.samplerate = (int)o.sr;
    info.channels = 2;
    info.format = (ext && strcasecmp(ext, ".flac") == 0) ? (SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
                  : (SF_FORMAT_WAV | (o.as_float ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_24));
    SNDFILE *sf = sf_open(o.out, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "phonon: %s: %s\n", o.out, sf_strerror(NULL));
        phonon_free(ph);
        return 1;
    }
    float *l = malloc(sizeof(float) * (size_t)o.block), *r = malloc(sizeof(float) * (size_t)o.block);
    float *inter = malloc(sizeof(float) * 2 * (size_t)o.block);
    float *outs[2] = { l, r };
    double sum = 0, peak = 0;
    for (long done = 0; done < frames;) {
        int n = frames - done < o.block ? (int)(frames - done) : o.block;
        phonon_process(ph, NULL, outs, n);
        for (int i = 0; i < n; i++) {
            inter[2 * i] = l[i];
            inter[2 * i + 1] = r[i];
            sum += (double)l[i] * l[i] + (double)r[i] * r[i];
            if (fabs(l[i]) > peak) peak = fabs(l[i]);
            if (fabs(r[i]) > peak) peak = fabs(r[i]);
        }
        sf_writef_float(sf, inter, n);
        done += n;
        print_messages(ph);
    }
    sf_close(sf);
    PhononStats st;
    phonon_stats(ph, &st);
    double rms = frames ? sqrt(sum / (2.0 * (double)frames)) : 0;
    printf("%s: %.3f s, %d Hz, stereo; RMS %.4f (%.1f dBFS), peak %.4f (%.1f dBFS); voices peak %d, started %ld",
           o.out, (double)frames / o.sr, (int)o.sr, rms, 20 * log10(rms + 1e-12), peak, 20 * log10(peak + 1e-12),
           st.peak_voices, st.started);
    if (st.late) printf(", late %ld", st.late);
    if (st.stolen) printf(", stolen %ld", st.stolen);
    printf("\n");
    free(l);
    free(r);
    free(inter);
    phonon_free(ph);
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    if (argc != 2) return usage();
    char *text = read_text(argv[1]);
    if (!text) return 1;
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.voices = 64;
    Phonon *ph = phonon_new(&cfg);
    PhononError errs[64];
    int nerr = phonon_check(ph, text, argv[1], errs, 64);
    for (int i = 0; i < 64 && errs[i].msg[0]; i++) {
        char line[1024];
        phonon_error_format(&errs[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    free(text);
    phonon_free(ph);
    return nerr ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "render") == 0) return cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "events") == 0) return events_main(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0) return bench_main(argc - 1, argv + 1);
    if (strcmp(cmd, "soak") == 0) return soak_main(argc - 1, argv + 1);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("phonon %s\n", PHONON_VERSION);
        return 0;
    }
    return usage();
}
