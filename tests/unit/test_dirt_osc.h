/* test_dirt_osc.h — hand-made OSC packets for the receiver's tests: messages with any type tags, bundles
 * (nested, with lying sizes), sent over UDP to the engine; and the engine's frame clock as the wall clock. */
#ifndef PHONON_TEST_DIRT_OSC_H
#define PHONON_TEST_DIRT_OSC_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct Osc {
    unsigned char b[8192];
    int n;
} Osc;

static inline void osc_u32(Osc *o, uint32_t v)
{
    o->b[o->n++] = (unsigned char)(v >> 24);
    o->b[o->n++] = (unsigned char)(v >> 16);
    o->b[o->n++] = (unsigned char)(v >> 8);
    o->b[o->n++] = (unsigned char)v;
}

static inline void osc_u64(Osc *o, uint64_t v)
{
    osc_u32(o, (uint32_t)(v >> 32));
    osc_u32(o, (uint32_t)v);
}

static inline void osc_str(Osc *o, const char *s)
{
    size_t len = strlen(s) + 1;
    memcpy(o->b + o->n, s, len);
    o->n += (int)len;
    while (o->n % 4) o->b[o->n++] = 0;
}

static inline void osc_f32(Osc *o, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    osc_u32(o, u);
}

static inline void osc_f64(Osc *o, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    osc_u64(o, u);
}

/* An NTP timetag for wall-clock seconds t (since 1970). */
static inline uint64_t osc_ntp(double t)
{
    double s = t + 2208988800.0;
    uint64_t sec = (uint64_t)s;
    uint64_t frac = (uint64_t)((s - (double)sec) * 4294967296.0 + 0.5);
    return (sec << 32) + frac;
}

/* A message: types holds the tags ("sfsi"); values come as (key, value) in the order of the tags through
 * the small helpers below, by the caller. */
static inline void osc_msg_head(Osc *o, const char *path, const char *tags)
{
    osc_str(o, path);
    char t[128];
    snprintf(t, sizeof t, ",%s", tags);
    osc_str(o, t);
}

/* A bundle of already built elements. */
static inline void osc_bundle_head(Osc *o, double t) { osc_str(o, "#bundle"); osc_u64(o, t > 0 ? osc_ntp(t) : 1); }
static inline void osc_element(Osc *o, const Osc *e)
{
    osc_u32(o, (uint32_t)e->n);
    memcpy(o->b + o->n, e->b, (size_t)e->n);
    o->n += e->n;
}

/* /dirt/play s NAME plus pairs "key" float (keys and values given as a NULL-terminated list of strings
 * and a float array). */
static inline void osc_play(Osc *o, const char *sound, const char *const *keys, const float *vals)
{
    char tags[64] = "ss";
    int k = 0;
    while (keys && keys[k]) k++;
    for (int i = 0; i < k; i++) strcat(tags, "sf");
    osc_msg_head(o, "/dirt/play", tags);
    osc_str(o, "s");
    osc_str(o, sound);
    for (int i = 0; i < k; i++) {
        osc_str(o, keys[i]);
        osc_f32(o, vals[i]);
    }
}

static inline int osc_socket(void) { return socket(AF_INET, SOCK_DGRAM, 0); }

static inline void osc_send(int fd, int port, const Osc *o)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sendto(fd, o->b, (size_t)o->n, 0, (struct sockaddr *)&a, sizeof a) < 0) perror("sendto");
}

#endif
