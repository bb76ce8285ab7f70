/* test_library_util.h — what the tests of the library's .ph forms share: a program's events against a
 * Tidal-generated case, and a program's first error. Define LIBRARY_EXPECTED (the expected-*.jsonl the
 * cases' events are read from) before including it. */
#ifndef PHONON_TEST_LIBRARY_UTIL_H
#define PHONON_TEST_LIBRARY_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "events.h"
#include "program.h"
#include "test.h"

/* the "events":[...] of the line with this id in LIBRARY_EXPECTED, malloc'd */
static char *expected_events(const char *id)
{
    FILE *f = fopen(LIBRARY_EXPECTED, "r");
    if (!f) return NULL;
    char want[160], *line = NULL, *found = NULL;
    size_t cap = 0;
    snprintf(want, sizeof want, "{\"id\":\"%s\",", id);
    while (!found && getline(&line, &cap, f) > 0) {
        if (strncmp(line, want, strlen(want)) != 0) continue;
        char *ev = strstr(line, "\"events\":");
        if (!ev) break;
        size_t n = strlen(ev);
        while (n && (ev[n - 1] == '\n' || ev[n - 1] == '}')) n--;    /* the line's closing brace */
        found = strndup(ev, n + 1);
        found[n] = ']' == found[n - 1] ? 0 : found[n];
    }
    free(line);
    fclose(f);
    return found;
}

/* "d1 $ EXPR" compiled; the events of its player over [c0, c1) against the case's */
static void same_as_case(const char *expr, const char *id, int c0, int c1)
{
    char src[1024];
    snprintf(src, sizeof src, "tempo: 1\nd1 $ %s\n", expr);
    CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
    CompileMsg msgs[8];
    int nmsgs = 0;
    Program *p = compile_program(src, strlen(src), &env, msgs, 8, &nmsgs);
    char name[300];
    snprintf(name, sizeof name, "%s is Tidal's %s", expr, id);
    const char *err = "";
    for (int i = 0; i < nmsgs; i++)
        if (!msgs[i].warning) err = msgs[i].msg;
    CHECK(p && p->nplayers == 1, name, "does not compile to one player: %s", err);
    if (!p || p->nplayers != 1) {
        program_free(p);
        return;
    }
    char *got = events_pattern_json(p->players[0].pattern, c0, c1), *want = expected_events(id);
    CHECK(got && want && strcmp(got, want) == 0, name, "\n  expected %.500s\n  got      %.500s", want ? want : "(no case)",
          got ? got : "(none)");
    free(got);
    free(want);
    program_free(p);
}

/* the first error of a program */
static void error_is(const char *src, const char *msg)
{
    CompileEnv env = { .bank = NULL, .sr = 44100, .max_block = 64, .ninputs = 0, .file = "song.ph" };
    CompileMsg msgs[8];
    int nmsgs = 0;
    Program *p = compile_program(src, strlen(src), &env, msgs, 8, &nmsgs);
    const char *got = "";
    char where[500] = "";
    for (int i = 0; i < nmsgs; i++)
        if (!msgs[i].warning) {
            snprintf(where, sizeof where, "%d:%d: %s", msgs[i].line, msgs[i].col, msgs[i].msg);
            got = where;
            break;
        }
    CHECK(!p && strcmp(got, msg) == 0, src, "\n  expected %s\n  got      %s", msg, got);
    program_free(p);
}

#endif
