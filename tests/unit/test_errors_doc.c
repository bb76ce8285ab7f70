/* test_errors_doc.c — every row of docs/ERRORS.md, checked: the message the user sees, exactly, and
 * what keeps playing.
 *
 * docs/ERRORS.md is read as cases. A case starts with a ```ph block (a program, compiled as song.ph)
 * or a ```samples block (its first line a folder, relative to the checkout, given to
 * phonon_add_samples; the rest a program to play from it). The ```error and ```warning blocks after
 * it say what the user must see, one message a line:
 *   - error: phonon_eval refuses the program with exactly these errors (file:line:col: message), and
 *     the program that was playing before keeps playing;
 *   - warning: the program is taken, and each line is among its warnings (from phonon_check), the
 *     messages the engine posts while it plays a second, or phonon_add_samples' error text.
 * Before every case a known program plays, so "keeps playing" is measured, not assumed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "phonon.h"
#include "test.h"

#define SR 44100
#define MAXLINES 16

typedef struct Case {
    int line;                       /* where the case starts in docs/ERRORS.md */
    char title[160];
    char *program;                  /* the ```ph text, or the program after a ```samples folder */
    char dir[256];                  /* a ```samples folder, or "" */
    char *errors[MAXLINES], *warnings[MAXLINES];
    int nerrors, nwarnings;
} Case;

static const char *good = "tempo: 1\nd1 $ s \"bd*4\"";

static Phonon *doc_engine(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = SR;
    cfg.threads = 1;
    cfg.voices = 256;
    cfg.no_system_samples = true;
    return phonon_new(&cfg);
}

/* RMS of both channels over `seconds`; messages posted meanwhile are appended to log (one a line). */
static double doc_play(Phonon *ph, double seconds, char *log, size_t logsize, int *nonfinite)
{
    float l[256], r[256], *outs[2] = { l, r };
    long frames = lround(seconds * SR);
    double sum = 0;
    PhononMsg m;
    for (long done = 0; done < frames; done += 256) {
        int n = frames - done < 256 ? (int)(frames - done) : 256;
        phonon_process(ph, NULL, outs, n);
        for (int i = 0; i < n; i++) {
            if (!isfinite(l[i]) || !isfinite(r[i])) (*nonfinite)++;
            sum += (double)l[i] * l[i] + (double)r[i] * r[i];
        }
        while (phonon_poll(ph, &m))
            if (log && strlen(log) + strlen(m.text) + 2 < logsize) strcat(strcat(log, m.text), "\n");
    }
    return sqrt(sum / (2.0 * (double)frames));
}

/* Is `want` one whole line of `text`? "{root}" in want stands for the checkout's folder (sample
 * messages name files by their full path). */
static int doc_has_line(const char *text, const char *want0)
{
    char want[2048], cwd[1024];
    const char *at = strstr(want0, "{root}");
    if (at && getcwd(cwd, sizeof cwd))
        snprintf(want, sizeof want, "%.*s%s%s", (int)(at - want0), want0, cwd, at + 6);
    else
        snprintf(want, sizeof want, "%s", want0);
    size_t n = strlen(want);
    for (const char *p = text; (p = strstr(p, want)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0)) return 1;
    return 0;
}

static void doc_run(const Case *c)
{
    char name[400];
    Phonon *ph = doc_engine();
    int bad = 0;
    phonon_eval(ph, good, "good.ph", NULL, 0);
    phonon_wait_loaded(ph, 10);
    double before = doc_play(ph, 0.5, NULL, 0, &bad);
    snprintf(name, sizeof name, "ERRORS.md:%d %s: the known program plays first", c->line, c->title);
    CHECK(before > 0.01, name, "rms %g", before);

    static char seen[1 << 16];
    seen[0] = 0;
    if (c->dir[0]) {
        char err[512] = "";
        if (phonon_add_samples(ph, c->dir, err, sizeof err) != 0 && err[0]) strcat(strcat(seen, err), "\n");
    }
    const char *text = c->program ? c->program : "";
    PhononError errs[32];
    char line[2048];
    if (text[0]) {
        int nerr = phonon_check(ph, text, "song.ph", errs, 32);
        for (int i = 0; i < 32 && errs[i].msg[0]; i++) {
            phonon_error_format(&errs[i], line, sizeof line);
            if (i >= nerr && strlen(seen) + strlen(line) + 2 < sizeof seen) strcat(strcat(seen, line), "\n");
        }
    }
    int got = text[0] ? phonon_eval(ph, text, "song.ph", errs, 32) : 0;
    if (c->nerrors) {
        snprintf(name, sizeof name, "ERRORS.md:%d %s: refused with %d error%s", c->line, c->title, c->nerrors,
                 c->nerrors == 1 ? "" : "s");
        CHECK_INT(got, c->nerrors, name);
        for (int i = 0; i < c->nerrors; i++) {
            line[0] = 0;
            if (i < got && i < 32) phonon_error_format(&errs[i], line, sizeof line);
            snprintf(name, sizeof name, "ERRORS.md:%d %s: error %d", c->line, c->title, i + 1);
            CHECK_STR(line, c->errors[i], name);
        }
        double after = doc_play(ph, 1.0, seen, sizeof seen, &bad);
        snprintf(name, sizeof name, "ERRORS.md:%d %s: what played before keeps playing", c->line, c->title);
        CHECK(after > 0.01, name, "rms %g", after);
    } else {
        snprintf(name, sizeof name, "ERRORS.md:%d %s: taken", c->line, c->title);
        CHECK_INT(got, 0, name);
        phonon_wait_loaded(ph, 10);
        doc_play(ph, 1.0, seen, sizeof seen, &bad);
    }
    for (int i = 0; i < c->nwarnings; i++) {
        snprintf(name, sizeof name, "ERRORS.md:%d %s: says \"%.80s\"", c->line, c->title, c->warnings[i]);
        CHECK(doc_has_line(seen, c->warnings[i]), name, "it said:\n%s", seen);
    }
    snprintf(name, sizeof name, "ERRORS.md:%d %s: the output stays finite", c->line, c->title);
    CHECK_INT(bad, 0, name);
    phonon_free(ph);
}

/* ---- reading docs/ERRORS.md ------------------------------------------------------------------- */

static char *doc_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (s) s[n] = 0;
    fclose(f);
    return s;
}

int main(void)
{
    char *doc = doc_read("docs/ERRORS.md");
    CHECK(doc != NULL, "docs/ERRORS.md is there");
    if (!doc) return test_done();
    static Case cases[512];
    int ncases = 0, lineno = 0;
    char title[160] = "";
    char *p = doc;
    while (*p) {
        char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        lineno++;
        int len = (int)(eol - p);
        if (len > 4 && strncmp(p, "### ", 4) == 0) snprintf(title, sizeof title, "%.*s", len - 4, p + 4);
        if (len >= 3 && strncmp(p, "```", 3) == 0 && len > 3) {
            char kind[16];
            snprintf(kind, sizeof kind, "%.*s", len - 3, p + 3);
            int start = lineno;
            char *body = *eol ? eol + 1 : eol, *q = body;
            while (*q && strncmp(q, "```", 3) != 0) {
                char *e = strchr(q, '\n');
                q = e ? e + 1 : q + strlen(q);
                lineno++;
            }
            char *end = q;                               /* the closing fence */
            if (end > body) end[-1] = 0;                 /* the body ends before the fence's newline */
            else *end = 0;
            char *after = strchr(q + (*q ? 1 : 0), '\n');
            lineno++;
            Case *c = ncases ? &cases[ncases - 1] : NULL;
            if (!strcmp(kind, "ph") || !strcmp(kind, "samples")) {
                if (ncases == (int)(sizeof cases / sizeof cases[0])) break;
                c = &cases[ncases++];
                c->line = start;
                snprintf(c->title, sizeof c->title, "%s", title);
                if (!strcmp(kind, "ph")) c->program = body;
                else {
                    char *nl = strchr(body, '\n');
                    if (nl) *nl = 0;
                    snprintf(c->dir, sizeof c->dir, "%s", body);
                    c->program = nl ? nl + 1 : NULL;
                }
            } else if (c && (!strcmp(kind, "error") || !strcmp(kind, "warning"))) {
                int isw = kind[0] == 'w';
                for (char *s = body, *e; s && *s; s = e) {
                    e = strchr(s, '\n');
                    if (e) *e++ = 0;
                    if (isw && c->nwarnings < MAXLINES) c->warnings[c->nwarnings++] = s;
                    if (!isw && c->nerrors < MAXLINES) c->errors[c->nerrors++] = s;
                }
            }
            p = after ? after + 1 : q + strlen(q);
            continue;
        }
        p = *eol ? eol + 1 : eol;
    }
    CHECK(ncases >= 40, "docs/ERRORS.md has a case for every kind of bad input", "%d cases", ncases);
    for (int i = 0; i < ncases; i++) {
        const Case *c = &cases[i];
        char name[240];
        snprintf(name, sizeof name, "ERRORS.md:%d %s: says what the user sees", c->line, c->title);
        CHECK(c->nerrors + c->nwarnings > 0, name);
        doc_run(c);
    }
    free(doc);
    return test_done();
}
