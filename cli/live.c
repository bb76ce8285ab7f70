/* live.c — `phonon dirt` (a SuperDirt replacement: Tidal's events over OSC) and `phonon play FILE.ph`
 * (a program, live-coded from any editor with --watch), played through JACK, or with --out rendered in
 * real time into a sound file (what arrives over the network is heard where it arrives). */
#include "live.h"

#include <errno.h>
#include <getopt.h>
#include <jack/jack.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "opts.h"
#include "phonon.h"

#define LIVE_BLOCK 128              /* frames per block when rendering into a file */
#define LIVE_MAX_OUTS 32
#define LIVE_POLL_MS 20             /* the control loop: messages, the watched file */

typedef struct LiveOpts {
    bool play;                      /* `phonon play` (else `phonon dirt`) */
    const char *file;
    bool watch;
    int port;                       /* Tidal's port; 0: not listening */
    const char *addr;
    const char *out;
    double duration, sr, latency;
    int outs, threads;
    const char *samples[16];
    int nsamples;
    bool no_system;
    const char *dirt_out;           /* host:port */
    double dirt_out_latency;
    const char *jack_name;
} LiveOpts;

static atomic_int live_stop;

static void live_on_signal(int sig)
{
    (void)sig;
    atomic_store(&live_stop, 1);
}

static double live_now(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void live_sleep_until(double t)
{
    struct timespec ts = { (time_t)t, (long)((t - floor(t)) * 1e9) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !atomic_load(&live_stop)) {}
}

static int live_usage(void)
{
    fprintf(stderr,
            "usage:\n"
            "  phonon dirt [--port P] [--addr A] [FILE.ph] [--out OUT.wav --duration S] [common options]\n"
            "  phonon play FILE.ph [--watch] [--dirt P] [--out OUT.wav --duration S] [common options]\n"
            "common options: [--outs N] [--sr HZ] [--threads N] [--samples DIR] [--no-system-samples]\n"
            "                [--latency S] [--dirt-out HOST:PORT] [--dirt-out-latency S] [--jack-name NAME]\n"
            "Without --out the sound goes to JACK (PipeWire serves it too); Ctrl-C stops.\n");
    return 2;
}

static int live_parse(int argc, char **argv, LiveOpts *o)
{
    enum { O_PORT = 1, O_ADDR, O_OUT, O_DUR, O_SR, O_OUTS, O_THREADS, O_SAMPLES, O_NOSYS, O_WATCH, O_DIRT, O_LAT,
           O_DOUT, O_DOUTLAT, O_JACK };
    static const struct option longopts[] = {
        { "port", required_argument, NULL, O_PORT },       { "addr", required_argument, NULL, O_ADDR },
        { "out", required_argument, NULL, O_OUT },         { "duration", required_argument, NULL, O_DUR },
        { "sr", required_argument, NULL, O_SR },           { "outs", required_argument, NULL, O_OUTS },
        { "threads", required_argument, NULL, O_THREADS }, { "samples", required_argument, NULL, O_SAMPLES },
        { "no-system-samples", no_argument, NULL, O_NOSYS }, { "watch", no_argument, NULL, O_WATCH },
        { "dirt", required_argument, NULL, O_DIRT },       { "latency", required_argument, NULL, O_LAT },
        { "dirt-out", required_argument, NULL, O_DOUT },   { "dirt-out-latency", required_argument, NULL, O_DOUTLAT },
        { "jack-name", required_argument, NULL, O_JACK },  { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->play = strcmp(argv[0], "play") == 0;
    o->port = o->play ? 0 : 57120;
    o->sr = 44100;
    o->outs = 2;
    o->dirt_out_latency = 0.2;
    o->jack_name = "phonon";
    opterr = 0;
    optind = 1;
    int opt;
    double v;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        int r = 0;
        switch (opt) {
        case O_PORT: case O_DIRT: r = opt_number(opt == O_PORT ? "port" : "dirt", optarg, 0, 65535, OPT_INT, &v); o->port = (int)v; break;
        case O_ADDR: o->addr = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_DUR: r = opt_number("duration", optarg, 0, 86400, OPT_POSITIVE, &o->duration); break;
        case O_SR: r = opt_number("sr", optarg, 1000, 768000, OPT_REAL, &o->sr); break;
        case O_OUTS: r = opt_number("outs", optarg, 1, LIVE_MAX_OUTS, OPT_INT, &v); o->outs = (int)v; break;
        case O_THREADS: r = opt_number("threads", optarg, 0, 64, OPT_INT, &v); o->threads = (int)v; break;
        case O_SAMPLES: r = opt_samples(o->samples, &o->nsamples, optarg); break;
        case O_NOSYS: o->no_system = true; break;
        case O_WATCH: o->watch = true; break;
        case O_LAT: r = opt_number("latency", optarg, 0, 10, OPT_REAL, &o->latency); break;
        case O_DOUT: o->dirt_out = optarg; break;
        case O_DOUTLAT: r = opt_number("dirt-out-latency", optarg, 0, 10, OPT_REAL, &o->dirt_out_latency); break;
        case O_JACK: o->jack_name = optarg; break;
        case ':': fprintf(stderr, "phonon: %s needs a value\n", argv[optind - 1]); return -1;
        default: fprintf(stderr, "phonon: unknown option %s\n", argv[optind - 1]); return -1;
        }
        if (r < 0) return -1;
    }
    for (int i = optind; i < argc; i++) {
        if (o->file) {
            fprintf(stderr, "phonon: unexpected argument %s\n", argv[i]);
            return -1;
        }
        o->file = argv[i];
    }
    if (o->play && !o->file) return -1;
    if (o->out && !(o->duration > 0)) {
        fprintf(stderr, "phonon: --out needs --duration\n");
        return -1;
    }
    return 0;
}

static void live_messages(Phonon *ph)
{
    PhononMsg m;
    while (phonon_poll(ph, &m))
        if (m.kind != PHONON_MSG_EVENT) fprintf(stderr, "%s\n", m.text);
}

/* The program file: evaluated when it is read and, with --watch, whenever it changes. */
typedef struct LiveFile {
    const char *path;
    struct timespec mtime;
    off_t size;
} LiveFile;

static bool live_changed(LiveFile *f)
{
    struct stat st;
    if (stat(f->path, &st) != 0) return false;
    bool changed = st.st_mtim.tv_sec != f->mtime.tv_sec || st.st_mtim.tv_nsec != f->mtime.tv_nsec ||
                   st.st_size != f->size;
    f->mtime = st.st_mtim;
    f->size = st.st_size;
    return changed;
}

static int live_eval(Phonon *ph, const char *path, bool first)
{
    char *text = phonon_read_text(path);
    if (!text) {
        fprintf(stderr, "phonon: %s: %s\n", path, strerror(errno));
        return -1;
    }
    PhononError errs[16];
    int n = phonon_eval(ph, text, path, errs, 16);
    free(text);
    for (int i = 0; i < n && i < 16; i++) {
        char line[2048];
        phonon_error_format_source(&errs[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (n && !first) fprintf(stderr, "phonon: %s: not changed; the program before it plays on\n", path);
    else if (!n && !first) fprintf(stderr, "phonon: %s: playing the new version\n", path);
    return n ? -1 : 0;
}

static Phonon *live_engine(const LiveOpts *o, double sr, int max_block)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = sr;
    cfg.max_block = max_block;
    cfg.threads = o->threads;
    cfg.outs = o->outs;
    cfg.no_system_samples = o->no_system;
    const char *dirs[OPT_MAX_SAMPLES + 1];
    for (int i = 0; i < o->nsamples; i++) dirs[i] = o->samples[i];
    dirs[o->nsamples] = NULL;
    cfg.sample_dirs = dirs;
    return phonon_new(&cfg);
}

/* Everything but the audio: the listener, dirtout, the program. */
static int live_setup(Phonon *ph, const LiveOpts *o, LiveFile *lf)
{
    char err[256];
    if (o->port > 0) {
        if (phonon_dirt_listen(ph, o->addr, o->port, err, sizeof err) < 0) {
            fprintf(stderr, "phonon: %s\n", err);
            return -1;
        }
        fprintf(stderr, "phonon: listening for Tidal on %s port %d\n", o->addr ? o->addr : "127.0.0.1", o->port);
    }
    if (o->dirt_out) {
        char host[256];
        const char *colon = strrchr(o->dirt_out, ':');
        double port = 0;
        if (!colon || colon == o->dirt_out || (size_t)(colon - o->dirt_out) >= sizeof host ||
            opt_number("dirt-out", colon + 1, 1, 65535, OPT_INT, &port) < 0) {
            fprintf(stderr, "phonon: --dirt-out: '%s' is not HOST:PORT\n", o->dirt_out);
            return -1;
        }
        memcpy(host, o->dirt_out, (size_t)(colon - o->dirt_out));
        host[colon - o->dirt_out] = 0;
        if (phonon_dirt_send(ph, host, (int)port, o->dirt_out_latency, err, sizeof err) < 0) {
            fprintf(stderr, "phonon: %s\n", err);
            return -1;
        }
    }
    phonon_dirt_latency(ph, o->latency);
    if (o->file) {
        lf->path = o->file;
        live_changed(lf);
        if (live_eval(ph, o->file, true) < 0 && !o->watch) return -1;
        phonon_wait_loaded(ph, 30);
    }
    return 0;
}

static void live_control(Phonon *ph, const LiveOpts *o, LiveFile *lf)
{
    live_messages(ph);
    if (o->watch && lf->path && live_changed(lf)) live_eval(ph, lf->path, false);
}

/* --- into a file, in real time -------------------------------------------------------------------- */

static int live_to_file(const LiveOpts *o)
{
    Phonon *ph = live_engine(o, o->sr, LIVE_BLOCK);
    LiveFile lf = { 0 };
    if (!ph || live_setup(ph, o, &lf) < 0) {
        phonon_free(ph);
        return 1;
    }
    SF_INFO info = { .samplerate = (int)o->sr, .channels = o->outs, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(o->out, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "phonon: %s: %s\n", o->out, sf_strerror(NULL));
        phonon_free(ph);
        return 1;
    }
    long frames = lround(o->duration * o->sr);
    float *buf = calloc((size_t)o->outs * LIVE_BLOCK, sizeof(float));
    float *inter = calloc((size_t)o->outs * LIVE_BLOCK, sizeof(float));
    float *outs[LIVE_MAX_OUTS];
    for (int c = 0; c < o->outs; c++) outs[c] = buf + (size_t)c * LIVE_BLOCK;
    double mono0 = live_now(CLOCK_MONOTONIC), wall0 = live_now(CLOCK_REALTIME), next_poll = 0;
    /* the wall-clock time of frame 0: a listener can compare what it sent with where it landed */
    printf("phonon: rendering %.3f s into %s; frame 0 is at %.6f\n", o->duration, o->out, wall0);
    fflush(stdout);
    long done = 0;
    for (; done < frames && !atomic_load(&live_stop);) {
        int n = frames - done < LIVE_BLOCK ? (int)(frames - done) : LIVE_BLOCK;
        live_sleep_until(mono0 + (double)done / o->sr);     /* each block when its time comes */
        phonon_process(ph, NULL, outs, n);
        for (int f = 0; f < n; f++)
            for (int c = 0; c < o->outs; c++) inter[f * o->outs + c] = outs[c][f];
        sf_writef_float(sf, inter, n);
        done += n;
        double t = (double)done / o->sr;
        if (t >= next_poll) {
            live_control(ph, o, &lf);
            next_poll = t + LIVE_POLL_MS * 0.001;
        }
    }
    sf_close(sf);
    live_messages(ph);
    PhononDirtStats ds;
    phonon_dirt_stats(ph, &ds);
    printf("phonon: %s: %.3f s; dirt: %ld events, %ld voices, %ld late (latest %.1f ms), %ld malformed, %ld dropped, "
           "%ld unknown\n",
           o->out, (double)done / o->sr, ds.received, ds.played, ds.late, ds.late_max * 1000, ds.malformed, ds.dropped,
           ds.unknown);
    free(buf);
    free(inter);
    phonon_free(ph);
    return 0;
}

/* --- through JACK ------------------------------------------------------------------------------------ */

typedef struct LiveJack {
    jack_client_t *client;
    jack_port_t *port[LIVE_MAX_OUTS];
    int outs;
    Phonon *ph;
    atomic_int gone;
} LiveJack;

static int live_jack_process(jack_nframes_t n, void *arg)
{
    LiveJack *j = arg;
    float *outs[LIVE_MAX_OUTS];
    for (int c = 0; c < j->outs; c++) outs[c] = jack_port_get_buffer(j->port[c], n);
    phonon_process(j->ph, NULL, outs, (int)n);
    return 0;
}

static void live_jack_shutdown(void *arg)
{
    LiveJack *j = arg;
    atomic_store(&j->gone, 1);
}

/* Our outputs to the first physical playback ports (nothing to connect to: left unconnected). */
static void live_jack_connect(LiveJack *j)
{
    const char **ports = jack_get_ports(j->client, NULL, JACK_DEFAULT_AUDIO_TYPE, JackPortIsPhysical | JackPortIsInput);
    for (int c = 0; ports && c < j->outs && ports[c]; c++) jack_connect(j->client, jack_port_name(j->port[c]), ports[c]);
    if (ports) jack_free(ports);
}

static int live_jack(const LiveOpts *o)
{
    LiveJack j = { 0 };
    jack_status_t status;
    j.client = jack_client_open(o->jack_name, JackNoStartServer, &status);
    if (!j.client) {
        fprintf(stderr, "phonon: no JACK server to play through (start one: jackd -d alsa, or run under PipeWire); "
                        "or render with --out FILE.wav --duration S\n");
        return 1;
    }
    double sr = jack_get_sample_rate(j.client);
    int bufsize = (int)jack_get_buffer_size(j.client);
    j.outs = o->outs;
    j.ph = live_engine(o, sr, bufsize > 8192 ? bufsize : 8192);
    LiveFile lf = { 0 };
    if (!j.ph || live_setup(j.ph, o, &lf) < 0) {
        phonon_free(j.ph);
        jack_client_close(j.client);
        return 1;
    }
    for (int c = 0; c < j.outs; c++) {
        char name[32];
        snprintf(name, sizeof name, "out_%d", c + 1);
        j.port[c] = jack_port_register(j.client, name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        if (!j.port[c]) {
            fprintf(stderr, "phonon: JACK refused port %s\n", name);
            jack_client_close(j.client);
            phonon_free(j.ph);
            return 1;
        }
    }
    jack_set_process_callback(j.client, live_jack_process, &j);
    jack_on_shutdown(j.client, live_jack_shutdown, &j);
    if (jack_activate(j.client) != 0) {
        fprintf(stderr, "phonon: JACK would not start us\n");
        jack_client_close(j.client);
        phonon_free(j.ph);
        return 1;
    }
    live_jack_connect(&j);
    /* what we compute now is heard one period later, plus the ports' own latency */
    jack_latency_range_t lr;
    jack_port_get_latency_range(j.port[0], JackPlaybackLatency, &lr);
    phonon_dirt_latency(j.ph, o->latency + (double)(lr.max + (jack_nframes_t)bufsize) / sr);
    printf("phonon: playing through JACK as '%s' (%d Hz, %d frames a period, %d outputs)\n",
           jack_get_client_name(j.client), (int)sr, bufsize, j.outs);
    fflush(stdout);
    double end = o->duration > 0 ? live_now(CLOCK_MONOTONIC) + o->duration : INFINITY;
    while (!atomic_load(&live_stop) && !atomic_load(&j.gone) && live_now(CLOCK_MONOTONIC) < end) {
        live_control(j.ph, o, &lf);
        live_sleep_until(live_now(CLOCK_MONOTONIC) + LIVE_POLL_MS * 0.001);
    }
    if (atomic_load(&j.gone)) fprintf(stderr, "phonon: the JACK server went away\n");
    else jack_deactivate(j.client);
    jack_client_close(j.client);
    PhononStats st;
    phonon_stats(j.ph, &st);
    PhononDirtStats ds;
    phonon_dirt_stats(j.ph, &ds);
    printf("phonon: %ld blocks; voices started %ld; dirt: %ld events, %ld late, %ld malformed\n", st.blocks, st.started,
           ds.received, ds.late, ds.malformed);
    phonon_free(j.ph);
    return 0;
}

int live_main(int argc, char **argv)
{
    LiveOpts o;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) return live_usage() - 2;
    if (live_parse(argc, argv, &o) < 0) return live_usage();
    signal(SIGINT, live_on_signal);
    signal(SIGTERM, live_on_signal);
    return o.out ? live_to_file(&o) : live_jack(&o);
}
