/* dirtout.c — events out as Tidal sends them to SuperDirt (Sound/Tidal/Stream: one bundle per event, the
 * pairs sorted by key). Numbers go as float32 except the parameters Tidal types as integers. */
#include "dirtout.h"

#include <lo/lo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIRTOUT_NTP_UNIX 2208988800.0
#define DIRTOUT_PAIRS (PHONON_EVENT_PARAMS + 6)

struct DirtOut {
    lo_address addr;
    double latency;
    long sent;
};

DirtOut *dirtout_new(const char *host, int port, double latency, char *err, int errlen)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    DirtOut *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, (size_t)errlen, "dirtout: out of memory");
        return NULL;
    }
    o->addr = port > 0 && port <= 65535 ? lo_address_new(host, ps) : NULL;
    if (!o->addr) {
        snprintf(err, (size_t)errlen, "dirtout: cannot send to %s port %d", host, port);
        free(o);
        return NULL;
    }
    o->latency = isfinite(latency) && latency >= 0 ? latency : 0.2;
    return o;
}

void dirtout_free(DirtOut *o)
{
    if (!o) return;
    lo_address_free(o->addr);
    free(o);
}

long dirtout_sent(const DirtOut *o) { return o->sent; }

typedef struct DirtOutPair {
    const char *key;
    char type;                  /* 'f' 'i' 's' */
    double num;
    const char *text;
} DirtOutPair;

/* Tidal's integer parameters (Params.hs: Pattern Int) */
static bool dirtout_is_int(const char *key)
{
    static const char *const ints[] = { "orbit", "cut", "octave", "channel", "coarse", NULL };
    for (int i = 0; ints[i]; i++)
        if (strcmp(ints[i], key) == 0) return true;
    return false;
}

static int dirtout_cmp(const void *a, const void *b)
{
    return strcmp(((const DirtOutPair *)a)->key, ((const DirtOutPair *)b)->key);
}

/* The pairs of one event, in key order. */
static int dirtout_pairs(const PhononEvent *ev, DirtOutPair *p, const char **id)
{
    int n = 0;
    *id = ev->track[0] == '~' ? ev->track + 1 : ev->track;
    p[n++] = (DirtOutPair){ "_id_", 's', 0, *id };
    p[n++] = (DirtOutPair){ "cps", 'f', ev->cps, NULL };
    p[n++] = (DirtOutPair){ "cycle", 'f', ev->cycle, NULL };
    p[n++] = (DirtOutPair){ "delta", 'f', ev->seconds, NULL };
    bool orbit = false, gain = false;
    for (int i = 0; i < ev->nparams && n < DIRTOUT_PAIRS; i++) {
        const PhononEventParam *q = &ev->params[i];
        double x = q->num;
        if (strcmp(q->name, "gain") == 0) x = pow(x > 0 ? x / 0.4 : 0, 0.25), gain = true;   /* as loud on SuperDirt */
        if (strcmp(q->name, "orbit") == 0) orbit = true;
        if (q->is_text) p[n++] = (DirtOutPair){ q->name, 's', 0, q->text };
        else p[n++] = (DirtOutPair){ q->name, dirtout_is_int(q->name) ? 'i' : 'f', x, NULL };
    }
    if (!orbit && n < DIRTOUT_PAIRS) p[n++] = (DirtOutPair){ "orbit", 'i', 0, NULL };
    if (!gain && n < DIRTOUT_PAIRS) p[n++] = (DirtOutPair){ "gain", 'f', pow(1 / 0.4, 0.25), NULL };
    qsort(p, (size_t)n, sizeof *p, dirtout_cmp);
    return n;
}

bool dirtout_send(DirtOut *o, const PhononEvent *ev, double when)
{
    if (!ev->sound[0] || !isfinite(when)) return false;        /* SuperDirt requires s */
    DirtOutPair p[DIRTOUT_PAIRS];
    const char *id;
    int n = dirtout_pairs(ev, p, &id);
    double t = when + o->latency + DIRTOUT_NTP_UNIX;
    lo_timetag tt = { (uint32_t)floor(t), (uint32_t)((t - floor(t)) * 4294967296.0) };
    lo_message m = lo_message_new();
    lo_bundle b = m ? lo_bundle_new(tt) : NULL;
    if (!b) {
        if (m) lo_message_free(m);
        return false;
    }
    for (int i = 0; i < n; i++) {
        lo_message_add_string(m, p[i].key);
        if (p[i].type == 's') lo_message_add_string(m, p[i].text);
        else if (p[i].type == 'i') lo_message_add_int32(m, (int32_t)lround(isfinite(p[i].num) ? p[i].num : 0));
        else lo_message_add_float(m, (float)p[i].num);
    }
    lo_bundle_add_message(b, "/dirt/play", m);
    bool ok = lo_send_bundle(o->addr, b) >= 0;
    lo_bundle_free_recursive(b);
    if (ok) o->sent++;
    return ok;
}
