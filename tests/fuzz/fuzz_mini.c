/* fuzz_mini.c — libFuzzer target for the mini-notation: any bytes, read as each MiniType, must parse
 * or fail with a column inside the string and a message, take memory in proportion to their length,
 * and query a few arcs of their first cycles in bounded work (the parser keeps every accepted
 * string under MINI_MAX_EVENTS events per cycle). The first byte picks the type; the rest is the
 * string.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -iquote engine tests/fuzz/fuzz_mini.c \
 *         engine/mini.c engine/pattern*.c engine/value.c engine/rational.c engine/arena.c \
 *         engine/params.c -lm -o /tmp/fuzz_mini
 *   /tmp/fuzz_mini -max_total_time=60 tests/fuzz/corpus/mini */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mini.h"
#include "pattern.h"

static EventBuf buf;

static void query(const Pattern *p, Rat b, Rat e)
{
    eventbuf_clear(&buf);
    pattern_query(p, arc_make(b, e), &buf, NULL);
    if (buf.len < 0 || buf.len > buf.cap) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    if (!buf.ev && !eventbuf_init(&buf, 1 << 15, 4 << 20)) abort();
    static const MiniType types[] = { MINI_WORDS, MINI_NUMBERS, MINI_NOTES, MINI_FREQ,
                                      MINI_TIME,  MINI_INT,     MINI_BOOL,  MINI_AUTO };
    MiniType t = types[data[0] % (sizeof types / sizeof types[0])];
    const char *src = (const char *)data + 1;
    int len = (int)size - 1;
    Arena a;
    arena_init(&a);
    MiniError err;
    Pattern *p = mini_parse(&a, src, len, t, &err);
    if (!p) {
        if (err.col < 1 || err.col > len + 1 || !err.msg[0]) {
            fprintf(stderr, "bad error: column %d of %d: \"%s\"\n", err.col, len, err.msg);
            abort();
        }
    } else {
        /* the bound docs/PATTERNS.md states: 256 bytes per character (chords are the densest) */
        if (a.used > 256 * (size_t)len + 1024) {
            fprintf(stderr, "%zu arena bytes for %d characters\n", a.used, len);
            abort();
        }
        query(p, rat_int(0), rat_int(1));
        query(p, RAT(1, 3), RAT(7, 5));
        query(p, RAT(5, 2), RAT(5, 2));             /* zero width */
        query(p, rat_int(1000003), RAT(4000013, 4));
    }
    arena_free(&a);
    return 0;
}
