/* dirt.c — the SuperDirt-compatible receiver. liblo parses the packets (bundles in bundles, every type tag)
 * on the receiver thread; each /dirt/play (or /play2) becomes a fixed-size DirtEvent with SuperDirt's
 * meanings already applied (the gain curve, the orbit, the sound found in the bank), pushed into a bounded
 * lock-free queue. The audio thread keeps the events not yet due in a fixed table and starts each at the
 * frame its timetag names. Never on the audio path: liblo, locks, allocation, logging. */
#include "dirt.h"

#include <lo/lo.h>
#include <lo/lo_throw.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bits.h"
#include "msgq.h"
#include "value.h"

#define DIRT_QUEUE 1024             /* events between the receiver and the audio thread */
#define DIRT_PENDING 1024           /* events waiting for their time on the audio side */
#define DIRT_DUE_MAX 256            /* events started in one block at most (the rest start next block) */
#define DIRT_POP_MAX 256            /* events taken from the queue in one block at most */
#define DIRT_MAX_AHEAD 42.0         /* SuperDirt's maxLatency: further ahead, the clocks disagree ... */
#define DIRT_FALLBACK_AHEAD 0.2     /* ... and the event plays this long after it arrived */
#define DIRT_NTP_UNIX 2208988800.0  /* seconds from 1900 (NTP) to 1970 (Unix) */
#define DIRT_CLOCK_RISE 0.002       /* per block: how fast the clock offset follows a later reading */
#define DIRT_REPORTED 64            /* unknown sound names reported once each (the latest so many) */
#define DIRT_SOCKET_BUFFER (1 << 20) /* bytes the kernel may hold for the receiver */
#define DIRT_LOAD_WAIT 1.0          /* seconds an event waits past its time for its file to be decoded */

/* A control map with room for every parameter (the layout of ValMap: mask, then the values in bit order). */
typedef struct DirtMap {
    uint64_t mask;
    Value v[P_ALL];
} DirtMap;

typedef struct DirtEvent {
    double time;                    /* wall-clock seconds when it should be heard; 0: at once */
    uint64_t seq;                   /* arrival order, to keep it among events of the same time */
    SoundRef sound;                 /* SOUND_BANK with its bank, or SOUND_INST with the symbol of "~name" */
    double index;                   /* from "bd:3" (n overrides it) */
    double delta, cps;
    int orbit;
    OrbitFx fx;
    DirtMap map;
} DirtEvent;

struct Dirt {
    DirtHost host;
    double sr;
    MsgQ *q;                        /* DirtEvent, receiver -> audio */

    /* receiver */
    pthread_mutex_t listen_mu;      /* dirt_listen against itself */
    lo_server srv;
    pthread_t thread;
    bool running;
    _Atomic int stop;
    int port;
    uint64_t seq;
    uint32_t reported[DIRT_REPORTED];
    unsigned nreported;
    uint32_t sym_vowel[5], sym_unit_c;

    /* audio side */
    DirtEvent *pending;
    int npending;
    int due[DIRT_DUE_MAX];
    double offset;                  /* estimate of wall clock - frame / sr (seconds) */
    bool have_offset;
    _Atomic uint64_t offset_bits;   /* the same, for dirt_frame_time */
    _Atomic uint64_t latency_bits;
    _Atomic int ahead;              /* dirt_set_ahead */
    DirtClock clock;
    void *clock_ud;

    _Atomic long received, played, late, malformed, unknown;
    _Atomic uint64_t late_max_bits;
};

static double dirt_realtime(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------------------------------------
 * receiver thread: OSC to DirtEvent */

static void dirt_log(Dirt *d, bool warning, const char *text)
{
    if (d->host.log) d->host.log(d->host.ud, warning, text);
}

static uint32_t dirt_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h ? h : 1;
}

static void dirt_report_unknown(Dirt *d, const char *name)
{
    atomic_fetch_add_explicit(&d->unknown, 1, memory_order_relaxed);
    uint32_t h = dirt_hash(name);
    for (unsigned i = 0; i < d->nreported && i < DIRT_REPORTED; i++)
        if (d->reported[i] == h) return;
    d->reported[d->nreported++ % DIRT_REPORTED] = h;
    char msg[160];
    snprintf(msg, sizeof msg, "dirt: unknown sound '%.80s'; it plays nothing", name);
    dirt_log(d, true, msg);
}

/* The sound a name plays, as `s` resolves it in programs: "bd:3" is bank bd, file 3; "~name" is an
 * instrument of the program playing (looked up by the audio thread). false: unknown. */
static bool dirt_resolve(Dirt *d, const char *name, DirtEvent *ev)
{
    char base[96];
    size_t len = strcspn(name, ":");
    if (len == 0 || len >= sizeof base) return false;
    memcpy(base, name, len);
    base[len] = 0;
    ev->index = 0;
    if (name[len] == ':') {
        char *end;
        double k = strtod(name + len + 1, &end);
        if (*end == 0 && isfinite(k)) ev->index = k;
    }
    ev->sound.sym = dirt_hash(name);
    if (base[0] == '~') {
        uint32_t sym = sym_find(base);      /* never interned from the network: a name no program has is unknown */
        if (!sym) return false;
        ev->sound.kind = SOUND_INST;
        ev->sound.sym = sym;
        return true;
    }
    pthread_mutex_lock(d->host.lock);
    const BankSound *bs = bank_find(d->host.bank, base);
    if (bs) {
        const Value *n = valmap_get((const ValMap *)&ev->map, P_N);
        bank_request_file(d->host.bank, bs, n && n->type == VAL_NUM ? n->num : ev->index);
    }
    pthread_mutex_unlock(d->host.lock);
    if (!bs) return false;
    ev->sound.kind = SOUND_BANK;
    ev->sound.bank = bs;
    return true;
}

/* Put value v of parameter p into the map (a later pair for the same parameter replaces an earlier one). */
static void dirt_map_set(DirtMap *m, int p, Value v)
{
    uint64_t bit = 1ull << p;
    int at = __builtin_popcountll(m->mask & (bit - 1));
    int count = __builtin_popcountll(m->mask);
    if (!(m->mask & bit)) {
        memmove(&m->v[at + 1], &m->v[at], sizeof(Value) * (size_t)(count - at));
        m->mask |= bit;
    }
    m->v[at] = v;
}

static void dirt_map_del(DirtMap *m, int p)
{
    uint64_t bit = 1ull << p;
    if (!(m->mask & bit)) return;
    int at = __builtin_popcountll(m->mask & (bit - 1));
    int count = __builtin_popcountll(m->mask);
    memmove(&m->v[at], &m->v[at + 1], sizeof(Value) * (size_t)(count - at - 1));
    m->mask &= ~bit;
}

static double dirt_map_num(const DirtMap *m, int p)
{
    const Value *v = valmap_get((const ValMap *)m, p);
    return v && v->type == VAL_NUM && isfinite(v->num) ? v->num : param_info[p].def;
}

static bool dirt_map_has(const DirtMap *m, int p) { return (m->mask >> p) & 1; }

/* A number from any numeric OSC type; false for strings, blobs and the like. liblo's argument pointers are
 * only 4-byte aligned, so the values are copied out of them rather than read through the union. */
static bool dirt_arg_num(char t, const lo_arg *a, double *out)
{
    const void *p = a;
    float f;
    double d;
    int32_t i;
    int64_t h;
    unsigned char c;
    switch (t) {
    case LO_FLOAT: memcpy(&f, p, sizeof f); *out = f; return true;
    case LO_DOUBLE: memcpy(&d, p, sizeof d); *out = d; return true;
    case LO_INT32: memcpy(&i, p, sizeof i); *out = i; return true;
    case LO_INT64: memcpy(&h, p, sizeof h); *out = (double)h; return true;
    case LO_CHAR: memcpy(&c, p, sizeof c); *out = c; return true;
    case LO_TRUE: *out = 1; return true;
    case LO_FALSE: *out = 0; return true;
    default: return false;
    }
}

static bool dirt_is_string(char t) { return t == LO_STRING || t == LO_SYMBOL; }

/* A symbol-valued parameter: vowel a e i o u, unit c (r and s play as rate); other words do nothing. */
static void dirt_sym_param(Dirt *d, DirtMap *m, int p, const char *s)
{
    static const char vowels[] = "aeiou";
    if (p == P_VOWEL && strlen(s) == 1 && strchr(vowels, s[0]))
        dirt_map_set(m, p, val_sym(d->sym_vowel[strchr(vowels, s[0]) - vowels]));
    else if (p == P_UNIT && strcmp(s, "c") == 0)
        dirt_map_set(m, p, val_sym(d->sym_unit_c));
}

/* SuperDirt's meanings that phonon's parameters spell otherwise: gain is amp * (min(gain, 2) + overgain)^4
 * (amp 0.4 by default) and becomes phonon's linear gain; velocity does nothing in SuperDirt; a synth lasts
 * one event (delta) unless sustain or legato say otherwise. */
static void dirt_meaning(DirtEvent *ev)
{
    DirtMap *m = &ev->map;
    double g = dirt_map_num(m, P_GAIN);
    if (g > 2) g = 2;
    g += dirt_map_num(m, P_OVERGAIN);
    double amp = dirt_map_has(m, P_AMP) ? dirt_map_num(m, P_AMP) : 0.4;
    double lin = amp * g * g * g * g;
    dirt_map_del(m, P_AMP);
    dirt_map_del(m, P_VELOCITY);
    dirt_map_set(m, P_GAIN, val_num(isfinite(lin) ? lin : 0));
    if (ev->sound.kind == SOUND_INST && !dirt_map_has(m, P_SUSTAIN) && !dirt_map_has(m, P_LEGATO))
        dirt_map_set(m, P_SUSTAIN, val_num(ev->delta));
    schedule_orbit_fx((const ValMap *)m, &ev->orbit, &ev->fx);     /* as a program's events set them */
}

/* The wall-clock time a message's timetag names; 0 for "at once" (a bare message, or timetag 1). */
static double dirt_time(lo_message msg, double now)
{
    lo_timetag tt = lo_message_get_timestamp(msg);
    if (tt.sec == 0 && tt.frac <= 1) return 0;
    double t = (double)tt.sec - DIRT_NTP_UNIX + (double)tt.frac / 4294967296.0;
    if (t - now > DIRT_MAX_AHEAD) t = now + DIRT_FALLBACK_AHEAD;      /* SuperDirt's rule */
    return t;
}

static void dirt_malformed(Dirt *d) { atomic_fetch_add_explicit(&d->malformed, 1, memory_order_relaxed); }

static void dirt_play(Dirt *d, const char *types, lo_arg **argv, int argc, lo_message msg)
{
    if (argc % 2) {
        dirt_malformed(d);
        return;
    }
    DirtEvent *ev = calloc(1, sizeof *ev);      /* the receiver thread may allocate; the event is large */
    if (!ev) return;
    ev->delta = 1;                              /* SuperDirt's ~dur */
    ev->cps = 1;
    const char *sound = NULL;
    for (int i = 0; i < argc; i += 2) {
        if (!dirt_is_string(types[i])) {
            dirt_malformed(d);
            free(ev);
            return;
        }
        const char *key = (const char *)argv[i];
        char t = types[i + 1];
        double x = 0;
        bool num = dirt_arg_num(t, argv[i + 1], &x);
        const char *str = dirt_is_string(t) ? (const char *)argv[i + 1] : NULL;
        if (strcmp(key, "delta") == 0) { if (num && x > 0 && isfinite(x)) ev->delta = x; continue; }
        if (strcmp(key, "cps") == 0) { if (num && x > 0 && isfinite(x)) ev->cps = x; continue; }
        int p = param_lookup_dirt(key);
        if (p < 0) continue;                    /* _id_, cycle, a synth's own controls: not used here */
        if (p == P_S) {
            if (str) sound = str;
        } else if (param_info[p].type == PT_SYM) {
            if (str) dirt_sym_param(d, &ev->map, p, str);
        } else if (num && isfinite(x)) {
            dirt_map_set(&ev->map, p, val_num(x));
        }
    }
    atomic_fetch_add_explicit(&d->received, 1, memory_order_relaxed);
    if (!sound || !dirt_resolve(d, sound, ev)) {
        dirt_report_unknown(d, sound ? sound : "(no s)");
        free(ev);
        return;
    }
    double now = d->clock(d->clock_ud);
    ev->time = dirt_time(msg, now);
    ev->seq = d->seq++;
    dirt_meaning(ev);
    msgq_push(d->q, ev);                        /* a full queue drops it and counts */
    free(ev);
}

/* SuperDirt's answers: the handshake carries the server's address and its control buses (none here). */
static void dirt_reply(Dirt *d, lo_message msg, const char *path, bool handshake)
{
    lo_address src = lo_message_get_source(msg);
    if (!src) return;
    lo_message r = lo_message_new();
    if (!r) return;
    if (handshake) {
        lo_message_add_string(r, "&serverHostname");
        lo_message_add_string(r, "127.0.0.1");
        lo_message_add_string(r, "&serverPort");
        lo_message_add_int32(r, d->port);
        lo_message_add_string(r, "&controlBusIndices");
    }
    lo_send_message_from(src, d->srv, path, r);
    lo_message_free(r);
}

static int dirt_method(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg, void *ud)
{
    Dirt *d = ud;
    if (strcmp(path, "/dirt/play") == 0 || strcmp(path, "/play2") == 0) dirt_play(d, types, argv, argc, msg);
    else if (strcmp(path, "/dirt/handshake") == 0) dirt_reply(d, msg, "/dirt/handshake/reply", true);
    else if (strcmp(path, "/dirt/hello") == 0) dirt_reply(d, msg, "/dirt/hello/reply", false);
    return 0;
}

/* liblo's error handler has no user pointer of its own; the server's error context is the Dirt. */
static void dirt_lo_error(int num, const char *msg, const char *where)
{
    (void)num, (void)msg, (void)where;
    Dirt *d = lo_error_get_context();
    if (d) dirt_malformed(d);
}

static void *dirt_thread(void *arg)
{
    Dirt *d = arg;
    while (!atomic_load_explicit(&d->stop, memory_order_acquire)) lo_server_recv_noblock(d->srv, 50);
    return NULL;
}

static void dirt_close(Dirt *d)
{
    if (!d->running) return;
    atomic_store(&d->stop, 1);
    pthread_join(d->thread, NULL);
    lo_server_free(d->srv);
    d->srv = NULL;
    d->running = false;
    d->port = 0;
}

int dirt_listen(Dirt *d, const char *addr, int port, char *err, int errlen)
{
    pthread_mutex_lock(&d->listen_mu);
    dirt_close(d);
    int rc = 0;
    if (port < 0 || port > 65535) {
        snprintf(err, (size_t)errlen, "dirt: port %d is out of range (1 to 65535; 0 stops)", port);
        rc = -1;
    } else if (port > 0) {
        char ps[16];
        snprintf(ps, sizeof ps, "%d", port);
        const char *ip = addr && *addr ? addr : "127.0.0.1";
        /* an interface address binds to it alone; 0.0.0.0 to every interface */
        d->srv = strcmp(ip, "0.0.0.0") == 0 ? lo_server_new_with_proto(ps, LO_UDP, dirt_lo_error)
                                            : lo_server_new_multicast_iface(NULL, ps, NULL, ip, dirt_lo_error);
        if (!d->srv) {
            snprintf(err, (size_t)errlen, "dirt: cannot listen on %s port %d (taken, or not an address of this machine)",
                     ip, port);
            rc = -1;
        } else {
            lo_server_set_error_context(d->srv, d);
            int rcvbuf = DIRT_SOCKET_BUFFER;    /* room for a burst (a tick of a busy Tidal) */
            setsockopt(lo_server_get_socket_fd(d->srv), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
            lo_server_enable_queue(d->srv, 0, 1);       /* hand every message over at once: we keep time */
            lo_server_add_method(d->srv, NULL, NULL, dirt_method, d);
            d->port = lo_server_get_port(d->srv);
            atomic_store(&d->stop, 0);
            if (pthread_create(&d->thread, NULL, dirt_thread, d) != 0) {
                lo_server_free(d->srv);
                d->srv = NULL;
                d->port = 0;
                snprintf(err, (size_t)errlen, "dirt: cannot start the receiver thread");
                rc = -1;
            } else {
                d->running = true;
            }
        }
    }
    pthread_mutex_unlock(&d->listen_mu);
    return rc;
}

Dirt *dirt_new(const DirtHost *host, double sr)
{
    Dirt *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->host = *host;
    d->sr = sr;
    d->clock = dirt_realtime;
    d->q = msgq_new(DIRT_QUEUE, sizeof(DirtEvent));
    d->pending = calloc(DIRT_PENDING, sizeof(DirtEvent));
    pthread_mutex_init(&d->listen_mu, NULL);
    static const char *const vowels[5] = { "a", "e", "i", "o", "u" };
    for (int i = 0; i < 5; i++) d->sym_vowel[i] = sym_intern(vowels[i]);
    d->sym_unit_c = sym_intern("c");
    atomic_store(&d->offset_bits, bits_from_double(NAN));
    if (!d->q || !d->pending) {
        dirt_free(d);
        return NULL;
    }
    return d;
}

void dirt_free(Dirt *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->listen_mu);
    dirt_close(d);
    pthread_mutex_unlock(&d->listen_mu);
    pthread_mutex_destroy(&d->listen_mu);
    msgq_free(d->q);
    free(d->pending);
    free(d);
}

void dirt_set_latency(Dirt *d, double seconds)
{
    if (!isfinite(seconds) || seconds < 0) seconds = 0;
    atomic_store(&d->latency_bits, bits_from_double(seconds));
}

void dirt_set_ahead(Dirt *d, int frames) { atomic_store(&d->ahead, frames > 0 ? frames : 0); }

/* Seconds from a block being computed to its being heard: the host's latency and the engine's look-ahead. */
static double dirt_latency(const Dirt *d)
{
    double lat = bits_to_double(atomic_load_explicit(&d->latency_bits, memory_order_relaxed));
    return lat + (double)atomic_load_explicit(&d->ahead, memory_order_relaxed) / d->sr;
}

void dirt_set_rate(Dirt *d, double sr)
{
    if (!d) return;
    d->sr = sr;
    d->have_offset = false;
}

void dirt_set_clock(Dirt *d, DirtClock clock, void *ud)
{
    d->clock_ud = ud;
    d->clock = clock ? clock : dirt_realtime;
}

void dirt_stats(Dirt *d, DirtStats *st)
{
    memset(st, 0, sizeof *st);
    st->received = atomic_load(&d->received);
    st->played = atomic_load(&d->played);
    st->late = atomic_load(&d->late);
    st->malformed = atomic_load(&d->malformed);
    st->unknown = atomic_load(&d->unknown);
    st->dropped = msgq_dropped(d->q);
    st->late_max = bits_to_double(atomic_load(&d->late_max_bits));
    pthread_mutex_lock(&d->listen_mu);
    st->port = d->port;
    pthread_mutex_unlock(&d->listen_mu);
}

double dirt_frame_time(Dirt *d, int64_t frame)
{
    double off = bits_to_double(atomic_load_explicit(&d->offset_bits, memory_order_relaxed));
    return off + (double)frame / d->sr + dirt_latency(d);
}

/* ------------------------------------------------------------------------------------------------
 * audio thread */

/* The offset of the wall clock from the audio clock. A reading can only come late (the thread woke late,
 * the host computes blocks in bursts), never early: a reading below the estimate is taken at once, one
 * above it is followed slowly, so jitter averages out and a drifting sound card is followed both ways. */
static void dirt_clock_block(Dirt *d, int64_t frame)
{
    double m = d->clock(d->clock_ud) - (double)frame / d->sr;
    if (!d->have_offset || m < d->offset) d->offset = m, d->have_offset = true;
    else d->offset += (m - d->offset) * DIRT_CLOCK_RISE;
    atomic_store_explicit(&d->offset_bits, bits_from_double(d->offset), memory_order_relaxed);
}

/* The fractional engine frame at which an event is heard. */
static double dirt_event_frame(const Dirt *d, const DirtEvent *ev, int64_t frame, double lat)
{
    if (ev->time == 0) return (double)frame;
    return (ev->time - lat - d->offset) * d->sr;
}

static const Instrument *dirt_instrument(const Program *p, uint32_t sym)
{
    for (int i = 0; p && i < p->ninstruments; i++)
        if (p->instruments[i].name == sym) return &p->instruments[i];
    return NULL;
}

/* Start one due event; false when its file is still being decoded and it may wait a little longer (a
 * sound's first use: it then plays late, counted, rather than not at all). */
static bool dirt_start(Dirt *d, const DirtEvent *ev, double x, const SchedBlock *b, const Program *p, int player0,
                       VoicePool *vp, Orbits *o, SchedSink *sink)
{
    SoundRef s = ev->sound;
    if (s.kind == SOUND_INST && !(s.inst = dirt_instrument(p, s.sym))) {
        atomic_fetch_add_explicit(&d->unknown, 1, memory_order_relaxed);
        return true;
    }
    if (s.kind == SOUND_BANK) {
        const Value *n = valmap_get((const ValMap *)&ev->map, P_N);
        if (!banksound_get(s.bank, n && n->type == VAL_NUM ? n->num : ev->index) && x > -DIRT_LOAD_WAIT * d->sr)
            return false;
    }
    if (o) orbit_set(o, ev->orbit, &ev->fx, ev->cps);
    SchedBlock eb = *b;             /* unit "c" and lock count the event's own cycles */
    eb.cps = ev->cps;
    if (schedule_start((const ValMap *)&ev->map, 1, &s, ev->index, ev->delta, x, player0 + ev->orbit, &eb, vp, sink))
        atomic_fetch_add_explicit(&d->played, 1, memory_order_relaxed);
    return true;
}

static void dirt_late(Dirt *d, double seconds)
{
    atomic_fetch_add_explicit(&d->late, 1, memory_order_relaxed);
    if (seconds > bits_to_double(atomic_load_explicit(&d->late_max_bits, memory_order_relaxed)))
        atomic_store_explicit(&d->late_max_bits, bits_from_double(seconds), memory_order_relaxed);
}

void dirt_block(Dirt *d, int64_t frame, const SchedBlock *b, const Program *p, int player0, VoicePool *vp, Orbits *o,
                SchedSink *sink)
{
    dirt_clock_block(d, frame);
    for (int k = 0; k < DIRT_POP_MAX && d->npending < DIRT_PENDING; k++)
        if (!msgq_pop(d->q, &d->pending[d->npending])) break;
        else d->npending++;
    double lat = dirt_latency(d);
    double end = (double)(frame + b->n);
    int ndue = 0;
    for (int i = 0; i < d->npending && ndue < DIRT_DUE_MAX; i++)
        if (dirt_event_frame(d, &d->pending[i], frame, lat) < end) d->due[ndue++] = i;
    /* in time order (arrival order among equals), so a cut group stops the voices it should */
    double fr[DIRT_DUE_MAX];
    for (int i = 0; i < ndue; i++) fr[i] = dirt_event_frame(d, &d->pending[d->due[i]], frame, lat);
    for (int i = 1; i < ndue; i++)
        for (int j = i; j > 0; j--) {
            const DirtEvent *a = &d->pending[d->due[j - 1]], *c = &d->pending[d->due[j]];
            if (fr[j - 1] < fr[j] || (fr[j - 1] == fr[j] && a->seq < c->seq)) break;
            double tf = fr[j]; fr[j] = fr[j - 1]; fr[j - 1] = tf;
            int ti = d->due[j]; d->due[j] = d->due[j - 1]; d->due[j - 1] = ti;
        }
    for (int i = 0; i < ndue; i++) {
        if (sink->onsets <= 0) break;       /* the block's voice starts are spent: the rest start next block */
        sink->onsets--;
        const DirtEvent *ev = &d->pending[d->due[i]];
        double x = fr[i] - (double)frame;
        if (!dirt_start(d, ev, x, b, p, player0, vp, o, sink)) continue;
        if (x < -0.5 && ev->time != 0) dirt_late(d, -x / d->sr);
        d->pending[d->due[i]].time = -1;    /* done */
    }
    int w = 0;
    for (int i = 0; i < d->npending; i++)
        if (d->pending[i].time != -1) {
            if (w != i) d->pending[w] = d->pending[i];
            w++;
        }
    d->npending = w;
}
