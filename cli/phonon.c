/* phonon.c — the command line: render, check, events, bench. Thin: flags and files in, engine calls out. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench.h"
#include "events.h"
#include "live.h"
#include "opts.h"
#include "phonon.h"
#include "soak.h"

static int usage(void)
{
    fprintf(stderr,
            "phonon %s — a live-coding pattern engine\n"
            "usage:\n"
            "  phonon render FILE OUT.wav|OUT.flac [--cycles N | --duration S] [--sr HZ] [--block N]\n"
            "                [--threads N] [--voices N] [--samples DIR] [--no-system-samples] [--float] [--stats]\n"
            "  phonon check FILE\n"
            "  phonon events --jsonl < cases.jsonl\n"
            "  phonon events \"bd*2 [sn cp]\" [--cycles C0 C1]\n"
            "  phonon bench FILE [--block N] [--seconds S] [--threads N] [--sr HZ] [--json]\n"
            "  phonon bench --voices N --kind sample|synth|sine [--block N] [--threads N] [--json]\n"
            "  phonon bench --table [--seconds S]\n"
            "  phonon soak [--minutes N] [--seed S]   (hours of audio, programs swapped; checks it all holds)\n"
            "  phonon dirt [--port P] [FILE.ph] [--out OUT.wav --duration S]   (Tidal plays through phonon)\n"
            "  phonon play FILE.ph [--watch] [--dirt P] [--dirt-out HOST:PORT] [--out OUT.wav --duration S]\n"
            "              (live through JACK; phonon dirt --help lists the options)\n"
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

/* FILE:line:col: message, then the line and a caret under the column. */
static void print_error(const PhononError *e)
{
    char text[2048];
    phonon_error_format_source(e, text, sizeof text);
    fprintf(stderr, "%s\n", text);
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
    const char *samples[OPT_MAX_SAMPLES];
    int nsamples;
    int no_system;
    int as_float;
    int stats;                  /* --stats: the master stage's figures after the summary */
} RenderOpts;

static int parse_render(int argc, char **argv, RenderOpts *o)
{
    enum { O_CYCLES = 1, O_DURATION, O_SR, O_BLOCK, O_THREADS, O_VOICES, O_SAMPLES, O_NOSYS, O_FLOAT, O_STATS };
    static const struct option longopts[] = {
        { "cycles", required_argument, NULL, O_CYCLES },     { "duration", required_argument, NULL, O_DURATION },
        { "sr", required_argument, NULL, O_SR },             { "block", required_argument, NULL, O_BLOCK },
        { "threads", required_argument, NULL, O_THREADS },   { "voices", required_argument, NULL, O_VOICES },
        { "samples", required_argument, NULL, O_SAMPLES },   { "no-system-samples", no_argument, NULL, O_NOSYS },
        { "float", no_argument, NULL, O_FLOAT },             { "stats", no_argument, NULL, O_STATS },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->sr = 44100;
    o->block = 64;
    opterr = 0;                 /* our own messages, naming the option */
    optind = 1;
    int opt;
    double v;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        const char *at = argv[optind - 1];     /* the option just read (or its value) */
        int r = 0;
        switch (opt) {
        case O_CYCLES: r = opt_number("cycles", optarg, 0, 1e6, OPT_POSITIVE, &o->cycles); break;
        case O_DURATION: r = opt_number("duration", optarg, 0, 86400, OPT_POSITIVE, &o->duration); break;
        case O_SR: r = opt_number("sr", optarg, 1000, 768000, OPT_REAL, &o->sr); break;
        case O_BLOCK: r = opt_number("block", optarg, 1, 8192, OPT_INT, &v); o->block = (int)v; break;
        case O_THREADS: r = opt_number("threads", optarg, 0, 64, OPT_INT, &v); o->threads = (int)v; break;
        case O_VOICES: r = opt_number("voices", optarg, 1, 65536, OPT_INT, &v); o->voices = (int)v; break;
        case O_SAMPLES: r = opt_samples(o->samples, &o->nsamples, optarg); break;
        case O_NOSYS: o->no_system = 1; break;
        case O_FLOAT: o->as_float = 1; break;
        case O_STATS: o->stats = 1; break;
        case ':':
            fprintf(stderr, "phonon: %s needs a value\n", at);
            return -1;
        default:
            if (optopt >= O_CYCLES && optopt <= O_STATS)          /* --float=1 */
                fprintf(stderr, "phonon: %.*s takes no value\n", (int)strcspn(at, "="), at);
            else if (optopt) fprintf(stderr, "phonon: unknown option -%c\n", optopt);
            else fprintf(stderr, "phonon: unknown option %.*s\n", (int)strcspn(at, "="), at);
            return -1;
        }
        if (r < 0) return -1;
    }
    for (int i = optind; i < argc; i++) {
        if (!o->in) o->in = argv[i];
        else if (!o->out) o->out = argv[i];
        else {
            fprintf(stderr, "phonon: unexpected argument %s\n", argv[i]);
            return -1;
        }
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
    const char *dirs[OPT_MAX_SAMPLES + 1];
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
        for (int i = 0; i < n && i < 32; i++) print_error(&errs[i]);
        if (n > 32) fprintf(stderr, "phonon: ... and %d more error%s\n", n - 32, n - 32 > 1 ? "s" : "");
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
    if (o.stats) {
        /* what the master stage saw (docs/DSP.md, Master stage): the mix before the limiter, and how much of
           it the limiter had to turn down */
        double share = st.master_frames ? 100.0 * (double)st.master_limited / (double)st.master_frames : 0;
        printf("master: peak before the limiter %.4f (%.2f dBFS); limited %ld of %ld frames (%.3f %%), lowest gain %.4f (%.2f dB)\n",
               st.master_peak, 20 * log10(st.master_peak + 1e-12), st.master_limited, st.master_frames, share,
               st.master_min_gain, 20 * log10(st.master_min_gain + 1e-12));
    }
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
    for (int i = 0; i < 64 && errs[i].msg[0]; i++) print_error(&errs[i]);
    if (nerr > 64) fprintf(stderr, "phonon: ... and %d more error%s\n", nerr - 64, nerr - 64 > 1 ? "s" : "");
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
    if (strcmp(cmd, "dirt") == 0 || strcmp(cmd, "play") == 0) return live_main(argc - 1, argv + 1);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("phonon %s\n", PHONON_VERSION);
        return 0;
    }
    return usage();
}
