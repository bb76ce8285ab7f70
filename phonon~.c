/* phonon~.c -- the phonon engine as a Pd signal object.
 *
 * [phonon~ -threads 2 -voices 4096 -outs 2 -ins 0 -samples ./samples -bpm 120 song.ph]
 *
 * This file is thin: it turns Pd's world (creation arguments, messages and
 * atoms, canvases and search paths, clocks, signal vectors) into calls of
 * engine/phonon.h, and sends what the engine reports back out to the console
 * and the message outlet.  The engine itself never touches Pd.
 *
 * Threads: every function here runs in Pd's scheduler thread.  The engine's
 * own threads (voice workers, sample loader) never call Pd; what they or the
 * perform routine produce waits in the engine's queue until phonon_tilde_tick()
 * drains it from a clock. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "m_pd.h"
#include "g_canvas.h"
#include "s_stuff.h"
#include "phonon.h"

#define PHONON_TILDE_MAXIO 64           /* signal inlets or outlets at most */
#define PHONON_TILDE_MAXDIRS 16         /* sample folders remembered for a re-created engine */
#define PHONON_TILDE_MAXERRS 8          /* errors shown per evaluation */
#define PHONON_TILDE_MAXFILE (16 << 20) /* largest program file read */
#define PHONON_TILDE_MAXWORDS 256       /* atoms in one message sent out */
#define PHONON_TILDE_WATCHMS 250        /* how often a watched file is checked */
#define PHONON_TILDE_IDLEMS 50          /* how often messages are drained when DSP is off */
#define PHONON_TILDE_POLLMS 5           /* ... and at least this often while it runs */
#define PHONON_TILDE_WAITSECS 30        /* longest 'wait' for samples to load */

/* Pd's samples are floats unless it was built for 64-bit floats; the engine
 * reads and writes floats, so a 64-bit Pd goes through our own buffers. */
#if PD_FLOATSIZE == 32
#define PHONON_TILDE_DIRECT 1
#else
#define PHONON_TILDE_DIRECT 0
#endif

static t_class *phonon_tilde_class;

typedef struct _phonon_tilde
{
    t_object x_obj;
    t_canvas *x_canvas;         /* the patch: files and folders are relative to it */
    Phonon *x_ph;               /* the engine; NULL only when out of memory */
    int x_threads;              /* as given to the engine (0: online cores) */
    int x_voices;
    int x_nosystem;             /* don't look for system sample folders */
    int x_nins, x_nouts;
    t_symbol *x_dirs[PHONON_TILDE_MAXDIRS];    /* sample folders, resolved */
    int x_ndirs;

        /* signal vectors, set by the dsp method */
    t_sample **x_invec, **x_outvec;
    float **x_in, **x_out;      /* what phonon_process reads and writes */
    float *x_inbuf;             /* copies of the inputs: Pd may share in and out vectors */
    float *x_outbuf;            /* 64-bit Pd only */
    int x_bufn;                 /* block size the buffers were made for */
    int x_n;                    /* current block size and sample rate */
    double x_sr;
    int x_pollevery, x_nblocks; /* arm the message clock every x_pollevery blocks */

    t_clock *x_clock;           /* drains the engine's messages */
    t_clock *x_watchclock;      /* checks the program file for changes */
    t_outlet *x_msgout;

    t_symbol *x_label;          /* names the running program in messages */
    t_symbol *x_file;           /* the program file, as given to 'read' */
    char x_path[2 * MAXPDSTRING];   /* ... and where it was found */
    struct timespec x_mtime;    /* ... and when it was last changed */
    off_t x_size;
    int x_watch;
    int x_wait;                 /* wait for samples after each program (offline) */
    int x_events, x_hushed, x_stopped;
    t_binbuf *x_defer;          /* messages said while the object is made */
    int x_frommsg;              /* the program text came from Pd atoms (eval, messages): hint at \, */
    t_symbol *x_loading[PHONON_TILDE_MAXDIRS];  /* 'samples' folders whose sounds are still decoding */
    int x_loadn[PHONON_TILDE_MAXDIRS];          /* ... and how many sounds each holds */
    int x_nloading;
    int x_dircount[PHONON_TILDE_MAXDIRS];       /* sounds in each of x_dirs */
    int x_free;                 /* -free: a clock of its own */
    struct _phonon_tilde *x_next;   /* the next object on the shared clock */
    double x_cpsseen;           /* the tempo last seen (a program may change it) */
    int x_cycles;               /* 'cycles 1': "cycle <n>" at each cycle start */
    double x_lastcycle;
} t_phonon;

/* ------------------------- text from atoms ------------------------------ */

    /* a growing string */
typedef struct _phonon_text
{
    char *t_buf;
    size_t t_len, t_size;
} t_phonon_text;

static void phonon_text_init(t_phonon_text *t)
{
    t->t_size = 256;
    t->t_buf = (char *)getbytes(t->t_size);
    t->t_len = 0;
}

static void phonon_text_free(t_phonon_text *t)
{
    freebytes(t->t_buf, t->t_size);
    t->t_buf = 0;
}

static void phonon_text_add(t_phonon_text *t, const char *s, size_t n)
{
    if (t->t_len + n + 1 > t->t_size)
    {
        size_t size = t->t_size;
        while (t->t_len + n + 1 > size)
            size *= 2;
        t->t_buf = (char *)resizebytes(t->t_buf, t->t_size, size);
        t->t_size = size;
    }
    memcpy(t->t_buf + t->t_len, s, n);
    t->t_len += n;
    t->t_buf[t->t_len] = 0;
}

    /* Append atoms as program text, without the backslashes that
    atom_string() and binbuf_gettext() would add.  A semicolon (from a
    [text define], or a word typed as \; in a box) ends a line: the language
    starts a new statement on each line.  Commas are kept as written. */
static void phonon_text_atoms(t_phonon_text *t, int argc, const t_atom *argv)
{
    int i, linestart = (t->t_len == 0 || t->t_buf[t->t_len - 1] == '\n');
    for (i = 0; i < argc; i++)
    {
        char buf[MAXPDSTRING];
        const char *s = buf;
        const t_atom *a = argv + i;
        if (a->a_type == A_SEMI || (a->a_type == A_SYMBOL &&
            !strcmp(a->a_w.w_symbol->s_name, ";")))
        {
            phonon_text_add(t, "\n", 1);
            linestart = 1;
            continue;
        }
        switch (a->a_type)
        {
        case A_FLOAT:
            snprintf(buf, sizeof(buf), "%g", a->a_w.w_float);
            break;
        case A_SYMBOL:
        case A_DOLLSYM:
            s = a->a_w.w_symbol->s_name;
            break;
        case A_COMMA:
            s = ",";
            break;
        case A_DOLLAR:
            snprintf(buf, sizeof(buf), "$%d", a->a_w.w_index);
            break;
        default:
            continue;
        }
        if (!linestart && a->a_type != A_COMMA)
            phonon_text_add(t, " ", 1);
        phonon_text_add(t, s, strlen(s));
        linestart = 0;
    }
}

/* ------------------------- talking back to Pd --------------------------- */

    /* a message out of the message outlet.  While the object is being made
    nothing is connected yet: what it says then is kept and sent at the first
    clock tick, when the patch around it is complete. */
static void phonon_tilde_send(t_phonon *x, t_symbol *sel, int n,
    t_atom *at)
{
    if (x->x_defer)
    {
        t_atom semi;
        SETSEMI(&semi);
        binbuf_addv(x->x_defer, "s", sel);
        binbuf_add(x->x_defer, n, at);
        binbuf_add(x->x_defer, 1, &semi);
        return;
    }
    outlet_anything(x->x_msgout, sel, n, at);
}

    /* the messages kept while the object was made, in order */
static void phonon_tilde_undefer(t_phonon *x)
{
    t_binbuf *b = x->x_defer;
    int n, i, start = 0;
    t_atom *v;
    if (!b)
        return;
    x->x_defer = 0;
    n = binbuf_getnatom(b);
    v = binbuf_getvec(b);
    for (i = 0; i < n; i++)
        if (v[i].a_type == A_SEMI)
        {
            if (i > start && v[start].a_type == A_SYMBOL)
                outlet_anything(x->x_msgout, v[start].a_w.w_symbol,
                    i - start - 1, v + start + 1);
            start = i + 1;
        }
    binbuf_free(b);
}

    /* send "sel <prefix atoms> <words of text>" out of the message outlet;
    words that are numbers become floats */
static void phonon_tilde_out(t_phonon *x, t_symbol *sel, int npre,
    const t_atom *pre, const char *text)
{
    t_atom at[PHONON_TILDE_MAXWORDS];
    int n = 0;
    const char *p = text;
    while (n < npre && n < PHONON_TILDE_MAXWORDS)
        at[n] = pre[n], n++;
    while (*p && n < PHONON_TILDE_MAXWORDS)
    {
        char word[MAXPDSTRING], *end;
        size_t len = 0;
        double f;
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        while (p[len] && !isspace((unsigned char)p[len]))
            len++;
        if (len >= sizeof(word))
            len = sizeof(word) - 1;
        memcpy(word, p, len);
        word[len] = 0;
        p += len;
        while (*p && !isspace((unsigned char)*p))
            p++;
        f = strtod(word, &end);
        if (end != word && !*end && isfinite(f))
            SETFLOAT(&at[n], (t_float)f);
        else SETSYMBOL(&at[n], gensym(word));
        n++;
    }
    phonon_tilde_send(x, sel, n, at);
}

    /* "error <line> <col> <message>" or "warning ..." out of the outlet */
static void phonon_tilde_outpos(t_phonon *x, const char *sel, int line,
    int col, const char *msg)
{
    t_atom pos[2];
    SETFLOAT(&pos[0], line);
    SETFLOAT(&pos[1], col);
    phonon_tilde_out(x, gensym(sel), 2, pos, msg);
}

    /* an error: to the console (so that "Find last error" finds us) and out
    of the outlet as "error <line> <col> <message>" */
static void phonon_tilde_error(t_phonon *x, const char *where, int line,
    int col, const char *msg)
{
    if (where)
        pd_error(x, "phonon~: %s: %s", where, msg);
    else pd_error(x, "phonon~: %s", msg);
    phonon_tilde_outpos(x, "error", line, col, msg);
}

    /* an error found on Pd's side (no place in a program): "error 0 0 ..." */
static void phonon_tilde_fail(t_phonon *x, const char *fmt, ...)
{
    char msg[MAXPDSTRING];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    phonon_tilde_error(x, 0, 0, 0, msg);
}

    /* an error the engine found while playing: "file:line:col: message"
    when it has a position, else just the message */
static void phonon_tilde_engineerror(t_phonon *x, const char *text)
{
    const char *p = strchr(text, ':');
    int line, col, used = 0;
    if (p && sscanf(p, ":%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    {
        pd_error(x, "phonon~: %s", text);
        phonon_tilde_outpos(x, "error", line, col, p + used);
    }
    else phonon_tilde_error(x, 0, 0, 0, text);
}

    /* a warning: posted, and out of the outlet as "warning <line> <col>
    <message>" (0 0 without a place) */
static void phonon_tilde_warning(t_phonon *x, const PhononMsg *m)
{
    const char *msg = m->error.line > 0 && m->error.msg[0] ? m->error.msg :
        m->text;
    if (!strncmp(msg, "warning: ", 9))
        msg += 9;
    if (strstr(m->text, "warning"))
        post("phonon~: %s", m->text);
    else post("phonon~: warning: %s", m->text);
    phonon_tilde_outpos(x, "warning", m->error.line > 0 ? m->error.line : 0,
        m->error.line > 0 ? m->error.col : 0, msg);
}

#define PHONON_TILDE_EXACT 16777216  /* 2^24: whole numbers below it are exact in a t_float */

    /* the onset exactly, in whole numbers a t_float holds: onsetm millions of
    cycles + onset cycles (0 ... 999999) + num/den of a cycle (0 <= num < den);
    a denominator above 2^24 (some 16 million subdivisions deep) is rounded
    to 2^24 */
static void phonon_tilde_onset(const PhononEvent *e, double part[4])
{
    int64_t num = e->onset_num, den = e->onset_den > 0 ? e->onset_den : 1;
    int64_t whole = num / den, rest = num % den, m;
    if (rest < 0)
        whole--, rest += den;
    if (den > PHONON_TILDE_EXACT)
    {
        int64_t a, b, t;
        rest = (int64_t)((long double)rest * PHONON_TILDE_EXACT / den + 0.5L);
        den = PHONON_TILDE_EXACT;
        if (rest == den)
            whole++, rest = 0;
        for (a = rest, b = den; b; t = a % b, a = b, b = t)
            ;
        if (a > 1)
            rest /= a, den /= a;
    }
    m = whole / 1000000;
    if (whole % 1000000 < 0)
        m--;
    part[0] = (double)m;
    part[1] = (double)(whole - m * 1000000);
    part[2] = (double)rest;
    part[3] = (double)(rest ? den : 1);
}

    /* a triggered event: "event <track> <param> <value> ... cycle <c>
    onsetm <m> onset <n> num <a> den <b> delta <seconds> cps <cps>
    offset <frames>", numbers as floats */
static void phonon_tilde_event(t_phonon *x, const PhononEvent *e)
{
    static const char *const exact[4] = { "onsetm", "onset", "num", "den" };
    t_atom at[2 * PHONON_EVENT_PARAMS + 17];
    double part[4];
    int n = 0, i;
    SETSYMBOL(&at[n], gensym(e->track)); n++;
    for (i = 0; i < e->nparams; i++)
    {
        SETSYMBOL(&at[n], gensym(e->params[i].name)); n++;
        if (e->params[i].is_text)
            SETSYMBOL(&at[n], gensym(e->params[i].text));
        else SETFLOAT(&at[n], (t_float)e->params[i].num);
        n++;
    }
    SETSYMBOL(&at[n], gensym("cycle")); n++;
    SETFLOAT(&at[n], (t_float)e->cycle); n++;
    phonon_tilde_onset(e, part);
    for (i = 0; i < 4; i++)
    {
        SETSYMBOL(&at[n], gensym(exact[i])); n++;
        SETFLOAT(&at[n], (t_float)part[i]); n++;
    }
    SETSYMBOL(&at[n], gensym("delta")); n++;
    SETFLOAT(&at[n], (t_float)e->seconds); n++;
    SETSYMBOL(&at[n], gensym("cps")); n++;
    SETFLOAT(&at[n], (t_float)e->cps); n++;
    SETSYMBOL(&at[n], gensym("offset")); n++;
    SETFLOAT(&at[n], (t_float)e->offset); n++;
    phonon_tilde_send(x, gensym("event"), n, at);
}

static void phonon_tilde_loaded(t_phonon *x);

    /* take everything the engine has queued: errors, warnings, notes and
    triggered events */
static void phonon_tilde_drain(t_phonon *x)
{
    PhononMsg m;
    while (x->x_ph && phonon_poll(x->x_ph, &m))
    {
        switch (m.kind)
        {
        case PHONON_MSG_EVENT:
            phonon_tilde_event(x, &m.event);
            break;
        case PHONON_MSG_ERROR:
            phonon_tilde_engineerror(x, m.text);
            break;
        case PHONON_MSG_WARNING:
            phonon_tilde_warning(x, &m);
            break;
        default:
            post("phonon~: %s", m.text);
        }
    }
    phonon_tilde_loaded(x);
}

static void phonon_clock_follow(t_phonon *x);
static void phonon_tilde_cyclestart(t_phonon *x);

static void phonon_tilde_tick(t_phonon *x)
{
    phonon_tilde_undefer(x);
    phonon_tilde_drain(x);
    phonon_clock_follow(x);
    phonon_tilde_cyclestart(x);
        /* the perform routine re-arms us sooner while DSP runs */
    clock_delay(x->x_clock, PHONON_TILDE_IDLEMS);
}

    /* the hint for a pattern cut at a comma: on the console with the
    characters to type; on the outlet in words (a comma in a symbol would
    print as "\,") */
#define PHONON_TILDE_COMMAHINT " -- in a Pd message a comma ends the " \
    "message: inside a pattern type \\, (like \"bd(3\\, 8)\")"
#define PHONON_TILDE_COMMAWORDS " -- in a Pd message a comma ends the " \
    "message: inside a pattern type a backslash before each comma"

    /* report what phonon_eval() and friends returned */
static void phonon_tilde_report(t_phonon *x, int nerr, const PhononError *errs,
    int maxerrs)
{
    int i;
    for (i = 0; i < nerr && i < maxerrs; i++)
    {
        char buf[2048], msg[sizeof(errs[i].msg) + 100], *nl;
        if (!errs[i].msg[0])
            break;
            /* a string cut short in a Pd message: most likely at a comma */
        snprintf(msg, sizeof(msg), "%s%s", errs[i].msg, x->x_frommsg &&
            !strncmp(errs[i].msg, "unterminated string", 19) ?
                PHONON_TILDE_COMMAWORDS : "");
            /* the message as an error ("Find last error" finds it), then
            the line it is on and a caret under the column */
        phonon_error_format_source(&errs[i], buf, sizeof(buf));
        nl = strchr(buf, '\n');
        if (nl)
            *nl++ = 0;
        pd_error(x, "phonon~: %s%s", buf, strlen(msg) > strlen(errs[i].msg) ?
            PHONON_TILDE_COMMAHINT : "");
        while (nl)
        {
            char *line = nl;
            if ((nl = strchr(line, '\n')))
                *nl++ = 0;
            post("%s", line);
        }
        phonon_tilde_outpos(x, "error", errs[i].line, errs[i].col, msg);
    }
    if (nerr > 0 && i == 0)
        phonon_tilde_fail(x, "the program could not be built (out of memory?)");
    else if (nerr > i)
        pd_error(x, "phonon~: ... and %d more error%s", nerr - i,
            nerr - i > 1 ? "s" : "");
}

    /* wait: block until every sound the program uses is loaded.  Pd stops
    meanwhile: meant for offline rendering with "pd -batch", where logical time
    runs far ahead of the loader thread and early notes would be skipped. */
static void phonon_tilde_wait(t_phonon *x)
{
    if (x->x_ph && !phonon_wait_loaded(x->x_ph, PHONON_TILDE_WAITSECS))
        phonon_tilde_fail(x, "wait: samples still loading after %d s",
            PHONON_TILDE_WAITSECS);
}

    /* Without an audio device (pd -batch, -noaudio) nothing is heard in
    real time, and logical time may run far ahead of the sample loader: each
    program then waits for its samples, as with -wait, so that a render is
    the same every time.  With a device open nothing ever blocks. */
static int phonon_tilde_mustwait(t_phonon *x)
{
    return (x->x_wait || !audio_isopen());
}

    /* run program text: the whole program (whole != 0) or just the
    statements in it; frommsg: the text came from Pd atoms.  On errors the
    program that was playing keeps playing. */
static int phonon_tilde_run(t_phonon *x, const char *text, t_symbol *label,
    int whole, int frommsg)
{
    PhononError errs[PHONON_TILDE_MAXERRS];
    int nerr;
    if (!x->x_ph)
    {
        phonon_tilde_fail(x, "no engine (out of memory)");
        return (-1);
    }
    memset(errs, 0, sizeof(errs));
    if (whole)
        nerr = phonon_eval(x->x_ph, text, label->s_name, errs,
            PHONON_TILDE_MAXERRS);
    else nerr = phonon_eval_statements(x->x_ph, text, label->s_name, errs,
        PHONON_TILDE_MAXERRS);
    x->x_frommsg = frommsg;
    phonon_tilde_report(x, nerr, errs, PHONON_TILDE_MAXERRS);
    x->x_frommsg = 0;
    if (!nerr && whole)
        x->x_label = label;
    if (!nerr && phonon_tilde_mustwait(x))
        phonon_tilde_wait(x);
    phonon_tilde_drain(x);      /* warnings come right after the errors */
    return (nerr);
}

/* ------------------------- files and folders ---------------------------- */

    /* the whole of an open file as a string (getbytes, *size bytes) */
static char *phonon_tilde_slurp(int fd, size_t *size)
{
    struct stat st;
    size_t len = 0, cap;
    char *buf;
    if (fstat(fd, &st) < 0 || st.st_size > PHONON_TILDE_MAXFILE)
        return (0);
    cap = (size_t)st.st_size + 1;
    buf = (char *)getbytes(cap);
    for (;;)
    {
        ssize_t got = read(fd, buf + len, cap - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
        {
            freebytes(buf, cap);
            return (0);
        }
        if (got == 0)
            break;
        len += (size_t)got;
        if (len == cap - 1)     /* the file grew while we read it */
        {
            if (cap > PHONON_TILDE_MAXFILE)
                break;
            buf = (char *)resizebytes(buf, cap, cap * 2);
            cap *= 2;
        }
    }
    buf[len] = 0;
    *size = cap;
    return (buf);
}

    /* read and run the file at x_path; remember its time for 'watch' */
static void phonon_tilde_load(t_phonon *x, int fd)
{
    struct stat st;
    size_t size;
    char *text = phonon_tilde_slurp(fd, &size);
    if (fstat(fd, &st) == 0)
    {
        x->x_mtime = st.st_mtim;
        x->x_size = st.st_size;
    }
    sys_close(fd);
    if (!text)
    {
        phonon_tilde_fail(x, "%s: can't read: %s", x->x_file->s_name,
            strerror(errno));
        return;
    }
    phonon_tilde_run(x, text, x->x_file, 1, 0);
    freebytes(text, size);
}

    /* read <file>: relative to the patch, then Pd's search path (so that
    [declare -path] works) */
static void phonon_tilde_read(t_phonon *x, t_symbol *file)
{
    char dir[MAXPDSTRING], *name;
    int fd;
    if (!*file->s_name)
    {
        phonon_tilde_fail(x, "read: needs a file name (like 'read song.ph')");
        return;
    }
    fd = canvas_open(x->x_canvas, file->s_name, "", dir, &name,
        MAXPDSTRING, 1);
    if (fd < 0)
    {
        phonon_tilde_fail(x, "%s: can't open", file->s_name);
        return;
    }
    snprintf(x->x_path, sizeof(x->x_path), "%s/%s", dir, name);
    x->x_file = file;
    phonon_tilde_load(x, fd);
}

static void phonon_tilde_watchtick(t_phonon *x)
{
    struct stat st;
    if (x->x_watch && x->x_path[0] && stat(x->x_path, &st) == 0 &&
        (st.st_mtim.tv_sec != x->x_mtime.tv_sec ||
        st.st_mtim.tv_nsec != x->x_mtime.tv_nsec || st.st_size != x->x_size))
    {
        int fd = sys_open(x->x_path, O_RDONLY);
        if (fd >= 0)
        {
            post("phonon~: %s changed, reloading", x->x_file->s_name);
            phonon_tilde_load(x, fd);
        }
    }
    if (x->x_watch)
        clock_delay(x->x_watchclock, PHONON_TILDE_WATCHMS);
}

    /* watch 1/0: re-read the file whenever it changes on disk */
static void phonon_tilde_watch(t_phonon *x, t_floatarg f)
{
    x->x_watch = (f != 0);
    if (x->x_watch)
    {
        if (!x->x_path[0])
            post("phonon~: watch: no file yet; the next 'read' is watched");
        clock_delay(x->x_watchclock, PHONON_TILDE_WATCHMS);
    }
    else clock_unset(x->x_watchclock);
}

static int phonon_tilde_isdir(const char *path)
{
    struct stat st;
    return (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

typedef struct _phonon_find
{
    const char *f_name;
    char *f_result;
} t_phonon_find;

static int phonon_tilde_trydir(const char *path, void *data)
{
    t_phonon_find *f = (t_phonon_find *)data;
    char buf[MAXPDSTRING];
    snprintf(buf, sizeof(buf), "%s/%s", path, f->f_name);
    if (!phonon_tilde_isdir(buf))
        return (1);
    strcpy(f->f_result, buf);
    return (0);                 /* found: stop looking */
}

    /* find a folder: absolute, ~/..., relative to the patch, or in one of
    the patch's [declare -path]s and Pd's search path.  result has room for
    MAXPDSTRING bytes. */
static int phonon_tilde_finddir(t_phonon *x, const char *name, char *result)
{
    t_phonon_find f;
    const char *home = getenv("HOME");
    if (sys_isabsolutepath(name))
        snprintf(result, MAXPDSTRING, "%s", name);
    else if (name[0] == '~' && (name[1] == '/' || !name[1]) && home)
        snprintf(result, MAXPDSTRING, "%s%s", home, name + 1);
    else if (x->x_canvas)
        snprintf(result, MAXPDSTRING, "%s/%s",
            canvas_getdir(x->x_canvas)->s_name, name);
    else snprintf(result, MAXPDSTRING, "%s", name);
    if (phonon_tilde_isdir(result))
        return (0);
    if (x->x_canvas && !sys_isabsolutepath(name) && name[0] != '~')
    {
        f.f_name = name;
        f.f_result = result;
        result[0] = 0;
        canvas_path_iterate(x->x_canvas, phonon_tilde_trydir, &f);
        if (result[0])
            return (0);
    }
    return (-1);
}

    /* remember a sample folder; the engine is told by the caller */
static t_symbol *phonon_tilde_adddir(t_phonon *x, const char *name)
{
    char dir[MAXPDSTRING];
    t_symbol *s;
    int i;
    if (phonon_tilde_finddir(x, name, dir) < 0)
    {
        phonon_tilde_fail(x, "samples: %s: no such folder", name);
        return (0);
    }
    s = gensym(dir);
    for (i = 0; i < x->x_ndirs; i++)
        if (x->x_dirs[i] == s)
            return (s);
    if (x->x_ndirs < PHONON_TILDE_MAXDIRS)
        x->x_dirs[x->x_ndirs++] = s;
    return (s);
}

/* ------------------------- the engine ----------------------------------- */

    /* a new engine for the object's settings (on the main thread, never
    while perform runs) */
static Phonon *phonon_tilde_engine(t_phonon *x)
{
    PhononConfig cfg;
    const char *dirs[PHONON_TILDE_MAXDIRS + 1];
    Phonon *ph;
    int i;
    phonon_config_default(&cfg);
    cfg.sr = x->x_sr;
    cfg.max_block = x->x_n;
    cfg.threads = x->x_threads;
    cfg.voices = x->x_voices;
    cfg.outs = x->x_nouts;
    cfg.ins = x->x_nins;
    cfg.no_system_samples = (x->x_nosystem != 0);
    for (i = 0; i < x->x_ndirs; i++)
        dirs[i] = x->x_dirs[i]->s_name;
    dirs[i] = 0;
    cfg.sample_dirs = dirs;
    if (!(ph = phonon_new(&cfg)))
        phonon_tilde_fail(x, "out of memory");
    return (ph);
}

static void phonon_tilde_threads(t_phonon *x, t_floatarg f)
{
    int n = (int)f;
    if (n < 0 || n > 64)
    {
        phonon_tilde_fail(x, "threads: %g is not 0 (one per core) ... 64", f);
        return;
    }
    if (n == x->x_threads)
        return;
        /* the engine keeps its program, clock, tempo, mute/solo and set
        values; Pd never runs perform while a method runs */
    if (x->x_ph && phonon_set_threads(x->x_ph, n) < 0)
    {
        phonon_tilde_fail(x, "threads: could not start %d threads", n);
        return;
    }
    x->x_threads = n;
}

static void phonon_tilde_voices(t_phonon *x, t_floatarg f)
{
    int n = (int)f;
    if (n < 1 || n > 65536)
    {
        phonon_tilde_fail(x, "voices: %g is not 1 ... 65536", f);
        return;
    }
    if (n == x->x_voices)
        return;
    if (x->x_ph && phonon_set_voices(x->x_ph, n) < 0)
    {
        phonon_tilde_fail(x, "voices: out of memory for %d voices", n);
        return;
    }
    x->x_voices = n;
}

/* ------------------------- messages ------------------------------------- */

    /* eval <text...>: a whole program */
static void phonon_tilde_eval(t_phonon *x, t_symbol *s, int argc, t_atom *argv)
{
    t_phonon_text t;
    (void)s;
    if (!argc)
    {
        phonon_tilde_fail(x, "eval: needs program text");
        return;
    }
    phonon_text_init(&t);
    phonon_text_atoms(&t, argc, argv);
    phonon_tilde_run(x, t.t_buf, gensym("eval"), 1, 1);
    phonon_text_free(&t);
}

    /* text <name>: the contents of a [text define name] as a whole program */
static void phonon_tilde_text(t_phonon *x, t_symbol *name)
{
    t_binbuf *b = text_getbufbyname(name);
    t_phonon_text t;
    if (!b)
    {
        phonon_tilde_fail(x, "text: %s: no such [text define]", name->s_name);
        return;
    }
    phonon_text_init(&t);
    phonon_text_atoms(&t, binbuf_getnatom(b), binbuf_getvec(b));
    phonon_tilde_run(x, t.t_buf, name, 1, 0);
    phonon_text_free(&t);
}

    /* the messages [phonon~] understands, for "did you mean" (the same list
    as the help patch's [pd reference] and phonon_tilde_setup) */
static const char *const phonon_tilde_methods[] = {
    "read", "watch", "eval", "text", "bpm", "cps", "start", "stop", "reset",
    "seek", "hush", "unhush", "panic", "mute", "unmute", "solo", "unsolo",
    "samples", "events", "cycles", "set", "threads", "voices", "wait",
    "stats", "print", 0
};

static const char *const phonon_tilde_flags[] = {
    "-threads", "-voices", "-outs", "-ins", "-samples", "-bpm", "-cps",
    "-nosystem", "-watch", "-events", "-wait", "-free", 0
};

    /* neither a method nor a statement: say what it might have been */
static void phonon_tilde_nomethod(t_phonon *x, t_symbol *s)
{
    char sug[MAXPDSTRING];
    const char *name = s->s_name;
    phonon_suggest(name, phonon_tilde_methods, sug, sizeof(sug));
    if (sug[0])
        phonon_tilde_fail(x, "no method for '%s'%s", name, sug);
        /* what is left of a message cut at a comma: '8)"' of "bd(3, 8)" */
    else if (strpbrk(name, "\")|]>") && !strchr(name, '~'))
    {
        pd_error(x, "phonon~: no method for '%s': the rest of a message cut "
            "at a comma?%s", name, PHONON_TILDE_COMMAHINT);
        snprintf(sug, sizeof(sug), "no method for '%s': the rest of a message "
            "cut at a comma?%s", name, PHONON_TILDE_COMMAWORDS);
        phonon_tilde_outpos(x, "error", 0, 0, sug);
    }
    else phonon_tilde_fail(x, "no method for '%s' (a statement starts with "
        "~name:, ~name $, d1 $, out: or bpm:)", name);
}

    /* a message whose selector is a statement head ("~d1 $ s bd*2") replaces
    just that statement; anything else is an error */
static void phonon_tilde_anything(t_phonon *x, t_symbol *s, int argc,
    t_atom *argv)
{
    t_phonon_text t;
    t_atom head;
        /* a list from [text get] or [list] starting with a word */
    if (s == &s_list && argc && argv[0].a_type == A_SYMBOL)
        s = argv[0].a_w.w_symbol, argc--, argv++;
    phonon_text_init(&t);
    SETSYMBOL(&head, s);
    phonon_text_atoms(&t, 1, &head);
    phonon_text_atoms(&t, argc, argv);
        /* the engine knows the statement grammar */
    if (!phonon_is_statement(t.t_buf))
        phonon_tilde_nomethod(x, s);
    else phonon_tilde_run(x, t.t_buf, gensym("message"), 0, 1);
    phonon_text_free(&t);
}

/* ------------------------- one clock per Pd ---------------------------- */

/* All [phonon~] objects of a Pd instance share cycle position, tempo and
 * transport, as Tidal's players share one clock: a second object joins the
 * first in time, a tempo or transport message to one moves them all, and a
 * program's own tempo (bpm: 120) becomes everyone's.  The members hang off a
 * small object bound to a symbol: Pd keeps a symbol table per instance, so
 * this is per instance, without a static variable.  "-free" keeps an object
 * out of it, on a clock of its own. */

static t_class *phonon_tilde_clock_class;

typedef struct _phonon_clock
{
    t_pd c_pd;
    t_phonon *c_first;          /* the members, in the order they joined */
} t_phonon_clock;

#define PHONON_TILDE_CLOCKNAME "#phonon~-clock"

static t_phonon_clock *phonon_clock_find(void)
{
    return ((t_phonon_clock *)pd_findbyclass(gensym(PHONON_TILDE_CLOCKNAME),
        phonon_tilde_clock_class));
}

    /* x takes the shared clock's position, tempo and transport: the first
    member's engine is where x's will be at the next block, which is the same
    DSP tick for both */
static void phonon_clock_join(t_phonon *x)
{
    t_phonon_clock *c = phonon_clock_find();
    t_phonon **p;
    if (x->x_free || !x->x_ph)
        return;
    if (!c)
    {
        c = (t_phonon_clock *)pd_new(phonon_tilde_clock_class);
        c->c_first = 0;
        pd_bind(&c->c_pd, gensym(PHONON_TILDE_CLOCKNAME));
    }
    if (c->c_first && c->c_first->x_ph)
    {
        t_phonon *l = c->c_first;
        phonon_set_cps(x->x_ph, phonon_cps(l->x_ph));
        phonon_seek(x->x_ph, phonon_cycle(l->x_ph));
        if (l->x_stopped)
            phonon_stop(x->x_ph);
        x->x_stopped = l->x_stopped;
    }
    x->x_cpsseen = phonon_cps(x->x_ph);
    for (p = &c->c_first; *p; p = &(*p)->x_next)
        ;
    *p = x;
    x->x_next = 0;
}

static void phonon_clock_leave(t_phonon *x)
{
    t_phonon_clock *c = phonon_clock_find();
    t_phonon **p;
    if (!c)
        return;
    for (p = &c->c_first; *p; p = &(*p)->x_next)
        if (*p == x)
        {
            *p = x->x_next;
            break;
        }
    if (!c->c_first)
    {
        pd_unbind(&c->c_pd, gensym(PHONON_TILDE_CLOCKNAME));
        pd_free(&c->c_pd);
    }
}

    /* the members a tempo or transport change reaches: all of them, or x
    alone when it keeps its own clock */
static t_phonon *phonon_clock_members(t_phonon *x)
{
    t_phonon_clock *c = x->x_free ? 0 : phonon_clock_find();
    return (c && c->c_first ? c->c_first : x);
}

#define PHONON_CLOCK_EACH(x, m) \
    for (m = phonon_clock_members(x); m; m = (x->x_free ? 0 : m->x_next))

static void phonon_clock_cps(t_phonon *x, double cps)
{
    t_phonon *m;
    PHONON_CLOCK_EACH(x, m)
        if (m->x_ph)
            phonon_set_cps(m->x_ph, cps), m->x_cpsseen = cps;
}

    /* a program changed x's tempo (bpm: 140): the others follow, from where
    x will be at the next block */
static void phonon_clock_follow(t_phonon *x)
{
    t_phonon *m;
    double cps, cycle;
    if (!x->x_ph || (cps = phonon_cps(x->x_ph)) == x->x_cpsseen)
        return;
    x->x_cpsseen = cps;
    if (x->x_free)
        return;
    cycle = phonon_cycle(x->x_ph);
    PHONON_CLOCK_EACH(x, m)
        if (m != x && m->x_ph)
    {
        phonon_set_cps(m->x_ph, cps);
        phonon_seek(m->x_ph, cycle);
        m->x_cpsseen = cps;
    }
}

    /* cycles 1: "cycle <n>" out of the outlet as each cycle starts */
static void phonon_tilde_cycles(t_phonon *x, t_floatarg f)
{
    x->x_cycles = (f != 0);
    x->x_lastcycle = x->x_ph ? floor(phonon_cycle_heard(x->x_ph)) : 0;
}

    /* the cycles that started since the last tick (at most a few: the
    clock runs every block while 'cycles' is on) */
static void phonon_tilde_cyclestart(t_phonon *x)
{
    double now, c;
    int n = 0;
    if (!x->x_cycles || !x->x_ph)
        return;
    now = floor(phonon_cycle_heard(x->x_ph));     /* as heard: the engine renders 2 ms ahead */
    if (now < x->x_lastcycle || now - x->x_lastcycle > 16)
        x->x_lastcycle = now - 1;  /* a seek or reset: just this one */
    for (c = x->x_lastcycle + 1; c <= now && n < 16; c++, n++)
    {
        t_atom at;
        SETFLOAT(&at, (t_float)c);
        phonon_tilde_send(x, gensym("cycle"), 1, &at);
    }
    x->x_lastcycle = now;
}

static void phonon_tilde_bpm(t_phonon *x, t_floatarg f)
{
    if (!(f > 0))
    {
        phonon_tilde_fail(x, "bpm: needs a positive number (like 'bpm 120')");
        return;
    }
    phonon_clock_cps(x, f / 60.);
}

static void phonon_tilde_cps(t_phonon *x, t_floatarg f)
{
    if (!(f > 0))
    {
        phonon_tilde_fail(x, "cps: needs a positive number (like 'cps 0.5')");
        return;
    }
    phonon_clock_cps(x, f);
}

static void phonon_tilde_start(t_phonon *x)
{
    t_phonon *m;
    PHONON_CLOCK_EACH(x, m)
    {
        m->x_stopped = 0;
        if (m->x_ph)
            phonon_start(m->x_ph);
    }
}

static void phonon_tilde_stop(t_phonon *x)
{
    t_phonon *m;
    PHONON_CLOCK_EACH(x, m)
    {
        m->x_stopped = 1;
        if (m->x_ph)
            phonon_stop(m->x_ph);
    }
}

static void phonon_tilde_reset(t_phonon *x)
{
    t_phonon *m;
    PHONON_CLOCK_EACH(x, m)
        if (m->x_ph)
            phonon_reset(m->x_ph);
}

static void phonon_tilde_seek(t_phonon *x, t_floatarg f)
{
    t_phonon *m;
    PHONON_CLOCK_EACH(x, m)
        if (m->x_ph)
            phonon_seek(m->x_ph, f);
}

static void phonon_tilde_hush(t_phonon *x)
{
    x->x_hushed = 1;
    if (x->x_ph)
        phonon_hush(x->x_ph);
}

static void phonon_tilde_unhush(t_phonon *x)
{
    x->x_hushed = 0;
    if (x->x_ph)
        phonon_unhush(x->x_ph);
}

static void phonon_tilde_panic(t_phonon *x)
{
    if (x->x_ph)
        phonon_panic(x->x_ph);
}

    /* the statement name in "mute ~d1" (a number is taken as dN) */
static int phonon_tilde_name(t_phonon *x, const char *what, int argc,
    t_atom *argv, char *buf, size_t size)
{
    if (argc == 1 && argv->a_type == A_SYMBOL)
        snprintf(buf, size, "%s", argv->a_w.w_symbol->s_name);
    else if (argc == 1 && argv->a_type == A_FLOAT)
        snprintf(buf, size, "d%g", argv->a_w.w_float);
    else
    {
        phonon_tilde_fail(x, "%s: needs a statement name (like ~d1)", what);
        return (-1);
    }
    return (0);
}

static void phonon_tilde_setflag(t_phonon *x, t_symbol *s, int argc,
    t_atom *argv, int solo, int on)
{
    char name[MAXPDSTRING];
    if (!x->x_ph || phonon_tilde_name(x, s->s_name, argc, argv, name,
        sizeof(name)) < 0)
            return;
    if ((solo ? phonon_solo(x->x_ph, name, on) :
        phonon_mute(x->x_ph, name, on)) < 0)
        {
            char sug[MAXPDSTRING];
            phonon_suggest_statement(x->x_ph, name, sug, sizeof(sug));
            phonon_tilde_fail(x, "%s: no statement named '%s'%s", s->s_name,
                name, sug);
        }
}

static void phonon_tilde_mute(t_phonon *x, t_symbol *s, int argc, t_atom *argv)
{
    phonon_tilde_setflag(x, s, argc, argv, 0, 1);
}

static void phonon_tilde_unmute(t_phonon *x, t_symbol *s, int argc,
    t_atom *argv)
{
    phonon_tilde_setflag(x, s, argc, argv, 0, 0);
}

static void phonon_tilde_solo(t_phonon *x, t_symbol *s, int argc, t_atom *argv)
{
    phonon_tilde_setflag(x, s, argc, argv, 1, 1);
}

static void phonon_tilde_unsolo(t_phonon *x)
{
    if (x->x_ph)
        phonon_unsolo(x->x_ph);
}

    /* "loaded <dir> <n> sounds" once nothing is left to decode for the
    folders 'samples' added (what the program plays from them is ready) */
static void phonon_tilde_loaded(t_phonon *x)
{
    int i;
    if (!x->x_nloading || !x->x_ph || !phonon_wait_loaded(x->x_ph, 0))
        return;
    for (i = 0; i < x->x_nloading; i++)
    {
        t_atom at[3];
        post("phonon~: samples: %d sound%s in %s, loaded", x->x_loadn[i],
            x->x_loadn[i] == 1 ? "" : "s", x->x_loading[i]->s_name);
        SETSYMBOL(&at[0], x->x_loading[i]);
        SETFLOAT(&at[1], x->x_loadn[i]);
        SETSYMBOL(&at[2], gensym("sounds"));
        phonon_tilde_send(x, gensym("loaded"), 3, at);
    }
    x->x_nloading = 0;
}

    /* the folders of -samples report "loaded <dir> <n> sounds" as 'samples'
    does: once what the program (the file argument's) plays is decoded */
static void phonon_tilde_flagdirs(t_phonon *x)
{
    char err[MAXPDSTRING];
    int i, n;
    for (i = 0; i < x->x_ndirs && x->x_nloading < PHONON_TILDE_MAXDIRS; i++)
    {
        err[0] = 0;     /* added when the engine was made: this counts them */
        if ((n = phonon_add_samples(x->x_ph, x->x_dirs[i]->s_name, err,
            sizeof(err))) < 0)
            continue;
        x->x_dircount[i] = n;
        x->x_loading[x->x_nloading] = x->x_dirs[i];
        x->x_loadn[x->x_nloading++] = n;
    }
}

    /* samples <dir>: add a sample folder (found like 'read' finds files);
    "loaded <dir> <n> sounds" follows when its sounds are decoded.  A folder
    given again adds nothing and reports what it holds. */
static void phonon_tilde_samples(t_phonon *x, t_symbol *dir)
{
    char err[MAXPDSTRING];
    t_symbol *s;
    int n, i;
    if (!*dir->s_name)
    {
        phonon_tilde_fail(x, "samples: needs a folder (like 'samples ./mysounds')");
        return;
    }
    if (!x->x_ph || !(s = phonon_tilde_adddir(x, dir->s_name)))
        return;
    err[0] = 0;
    if ((n = phonon_add_samples(x->x_ph, s->s_name, err, sizeof(err))) < 0)
    {
        phonon_tilde_fail(x, "samples: %s", err[0] ? err : s->s_name);
        return;
    }
    for (i = 0; i < x->x_ndirs; i++)
        if (x->x_dirs[i] == s)
        {
            if (n > 0)
                x->x_dircount[i] = n;
            else n = x->x_dircount[i];
        }
    for (i = 0; i < x->x_nloading; i++)
        if (x->x_loading[i] == s)
            break;
    if (i == x->x_nloading && i < PHONON_TILDE_MAXDIRS)
        x->x_nloading++;
    if (i < PHONON_TILDE_MAXDIRS)
        x->x_loading[i] = s, x->x_loadn[i] = n;
    if (phonon_tilde_mustwait(x))
        phonon_tilde_wait(x);
    phonon_tilde_drain(x);
}

static void phonon_tilde_events(t_phonon *x, t_floatarg f)
{
    x->x_events = (f != 0);
    if (x->x_ph)
        phonon_set_event_output(x->x_ph, x->x_events);
}

    /* set ~name <value>: drive a control bus from Pd.  A number goes to the
    bus's control slot (no compile; it glides in within a few ms and holds
    across edits until the bus's own definition changes); anything else is
    the statement "~name: <expression>". */
static void phonon_tilde_set(t_phonon *x, t_symbol *s, int argc, t_atom *argv)
{
    t_phonon_text t;
    (void)s;
    if (argc < 2 || argv[0].a_type != A_SYMBOL ||
        argv[0].a_w.w_symbol->s_name[0] != '~')
    {
        phonon_tilde_fail(x, "set: needs a bus and a value (like 'set ~cutoff 800')");
        return;
    }
    if (argc == 2 && argv[1].a_type == A_FLOAT)
    {
        if (x->x_ph && phonon_set_control(x->x_ph,
            argv[0].a_w.w_symbol->s_name, argv[1].a_w.w_float) < 0)
                phonon_tilde_fail(x, "set: too many control names (at most 1024)");
        return;
    }
    phonon_text_init(&t);
    phonon_text_add(&t, argv[0].a_w.w_symbol->s_name,
        strlen(argv[0].a_w.w_symbol->s_name));
    phonon_text_add(&t, ":", 1);
    phonon_text_atoms(&t, argc - 1, argv + 1);
    phonon_tilde_run(x, t.t_buf, gensym("set"), 0, 1);
    phonon_text_free(&t);
}

    /* stats: "stats voices V peak P stolen S late L cycle C cps X ... p50 P
    p95 P p99 P max M load L": the block times since the last 'stats' in
    percent of the block's duration (100: the whole budget) */
static void phonon_tilde_stats(t_phonon *x)
{
    PhononStats st;
    t_atom at[32];
    int n = 0;
    if (!x->x_ph)
        return;
    phonon_stats(x->x_ph, &st);
#define PHONON_TILDE_STAT(name, value) \
    SETSYMBOL(&at[n], gensym(name)); SETFLOAT(&at[n + 1], (t_float)(value)); n += 2;
    PHONON_TILDE_STAT("voices", st.voices);
    PHONON_TILDE_STAT("peak", st.peak_voices);
    PHONON_TILDE_STAT("started", st.started);
    PHONON_TILDE_STAT("stolen", st.stolen);
    PHONON_TILDE_STAT("dropped", st.dropped);
    PHONON_TILDE_STAT("late", st.late);
    PHONON_TILDE_STAT("cycle", st.cycle);
    PHONON_TILDE_STAT("cps", st.cps);
    PHONON_TILDE_STAT("threads", st.threads);
    PHONON_TILDE_STAT("blocks", st.blocks);
    PHONON_TILDE_STAT("nonfinite", st.nonfinite);
    PHONON_TILDE_STAT("p50", 100 * st.block_p50);
    PHONON_TILDE_STAT("p95", 100 * st.block_p95);
    PHONON_TILDE_STAT("p99", 100 * st.block_p99);
    PHONON_TILDE_STAT("max", 100 * st.block_max);
    PHONON_TILDE_STAT("load", 100 * st.load);
#undef PHONON_TILDE_STAT
    phonon_tilde_send(x, gensym("stats"), n, at);
}

    /* print: the program and the state, to the console */
static void phonon_tilde_print(t_phonon *x)
{
    PhononStats st;
    char *text, *line, *end;
    int size;
    if (!x->x_ph)
    {
        post("phonon~: no engine (out of memory)");
        return;
    }
    post("phonon~ %s: %s%s, cycle %g, cps %g%s%s%s", PHONON_VERSION,
        x->x_label->s_name, x->x_watch ? " (watched)" : "",
        phonon_cycle(x->x_ph), phonon_cps(x->x_ph),
        x->x_stopped ? ", stopped" : "", x->x_hushed ? ", hushed" : "",
        x->x_events ? ", events on" : "");
    phonon_stats(x->x_ph, &st);
    post("  threads %d%s, voices %d, ins %d, outs %d, sr %g, block %d",
        st.threads, x->x_threads ? "" : " (one per core)", x->x_voices,
        x->x_nins, x->x_nouts, x->x_sr, x->x_n);
    if (x->x_path[0])
        post("  file: %s", x->x_path);
    size = phonon_program_text(x->x_ph, 0, 0) + 1;
    text = (char *)getbytes(size);
    phonon_program_text(x->x_ph, text, size);
    if (!*text)
        post("  (no program)");
    for (line = text; *line; line = end + (*end != 0))
    {
        end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        post("  %.*s", (int)(end - line), line);
    }
    freebytes(text, size);
}

/* ------------------------- signal processing ---------------------------- */

static t_int *phonon_tilde_perform(t_int *w)
{
    t_phonon *x = (t_phonon *)(w[1]);
    int n = (int)(w[2]), i, j;
    for (i = 0; i < x->x_nins; i++)     /* read all inputs before any output */
    {
        const t_sample *in = x->x_invec[i];
        float *buf = x->x_in[i];
        for (j = 0; j < n; j++)
            buf[j] = in[j];
    }
    if (x->x_ph)
        phonon_process(x->x_ph, (const float *const *)x->x_in, x->x_out, n);
    else for (i = 0; i < x->x_nouts; i++)
        memset(x->x_out[i], 0, n * sizeof(float));
#if !PHONON_TILDE_DIRECT
    for (i = 0; i < x->x_nouts; i++)
        for (j = 0; j < n; j++)
            x->x_outvec[i][j] = x->x_out[i][j];
#endif
        /* engine messages are drained in the clock, never here */
    if (x->x_events || x->x_cycles || ++x->x_nblocks >= x->x_pollevery)
    {
        x->x_nblocks = 0;
        clock_delay(x->x_clock, 0);
    }
    return (w + 3);
}

static void phonon_tilde_dsp(t_phonon *x, t_signal **sp)
{
    int n = sp[0]->s_n, i;
        /* [block~], [switch~] and up/down-sampling change these: read them
        every time */
    x->x_sr = sp[0]->s_sr;
    x->x_n = n;
    if (x->x_ph)
        phonon_set_format(x->x_ph, x->x_sr, n);
    if (n != x->x_bufn)
    {
        x->x_inbuf = (float *)resizebytes(x->x_inbuf,
            x->x_bufn * x->x_nins * sizeof(float), n * x->x_nins * sizeof(float));
#if !PHONON_TILDE_DIRECT
        x->x_outbuf = (float *)resizebytes(x->x_outbuf,
            x->x_bufn * x->x_nouts * sizeof(float), n * x->x_nouts * sizeof(float));
#endif
        x->x_bufn = n;
    }
    for (i = 0; i < x->x_nins; i++)
    {
        x->x_invec[i] = sp[i]->s_vec;
        x->x_in[i] = x->x_inbuf + i * n;
    }
    for (i = 0; i < x->x_nouts; i++)
    {
        x->x_outvec[i] = sp[x->x_nins + i]->s_vec;
#if PHONON_TILDE_DIRECT
        x->x_out[i] = (float *)sp[x->x_nins + i]->s_vec;
#else
        x->x_out[i] = x->x_outbuf + i * n;
#endif
    }
    x->x_pollevery = (int)(x->x_sr * 0.001 * PHONON_TILDE_POLLMS / n);
    if (x->x_pollevery < 1)
        x->x_pollevery = 1;
    dsp_add(phonon_tilde_perform, 2, x, (t_int)n);
}

/* ------------------------- creation ------------------------------------- */

    /* a numeric flag argument; -1 and an error if there is none */
static int phonon_tilde_flagarg(t_phonon *x, const char *flag, int *argc,
    t_atom **argv, double lo, double hi, double *result)
{
    if (*argc < 2 || (*argv)[1].a_type != A_FLOAT)
    {
        phonon_tilde_fail(x, "%s needs a number (ignored)", flag);
        (*argc)--, (*argv)++;
            /* skip a wrong value too, unless it is the next flag */
        if (*argc && (*argv)->a_type == A_SYMBOL &&
            (*argv)->a_w.w_symbol->s_name[0] != '-')
                (*argc)--, (*argv)++;
        return (-1);
    }
    *result = (*argv)[1].a_w.w_float;
    (*argc) -= 2, (*argv) += 2;
    if (*result < lo || *result > hi)
    {
        phonon_tilde_fail(x, "%s %g: not in %g ... %g (ignored)", flag, *result,
            lo, hi);
        return (-1);
    }
    return (0);
}

/* ------------------------- Tidal (docs/TIDAL.md) ------------------------ */

    /* dirt <port> [<latency ms>]: listen for Tidal on 127.0.0.1 (SuperDirt's
    port is 57120); dirt 0 stops. The latency is Pd's audio buffer: how long
    after a block is computed it is heard. */
static void phonon_tilde_dirt(t_phonon *x, t_floatarg port, t_floatarg ms)
{
    char err[256];
    if (!x->x_ph)
        return;
    phonon_dirt_latency(x->x_ph, ms > 0 ? ms * 0.001 : 0);
    if (phonon_dirt_listen(x->x_ph, NULL, (int)port, err, sizeof(err)) < 0)
        pd_error(x, "phonon~: %s", err);
    else if (port > 0)
        post("phonon~: listening for Tidal on 127.0.0.1 port %d", (int)port);
}

    /* dirtout <host> <port> [<latency s>]: send our events to SuperDirt or
    another phonon~ as Tidal does; dirtout 0 stops */
static void phonon_tilde_dirtout(t_phonon *x, t_symbol *s, int argc,
    t_atom *argv)
{
    char err[256];
    const char *host = "127.0.0.1";
    int port = 0;
    double latency = 0.2;
    (void)s;
    if (!x->x_ph)
        return;
    if (argc && argv->a_type == A_SYMBOL)
        host = argv->a_w.w_symbol->s_name, argc--, argv++;
    if (argc && argv->a_type == A_FLOAT)
        port = (int)argv->a_w.w_float, argc--, argv++;
    if (argc && argv->a_type == A_FLOAT)
        latency = argv->a_w.w_float;
    if (phonon_dirt_send(x->x_ph, host, port, latency, err, sizeof(err)) < 0)
        pd_error(x, "phonon~: %s", err);
}

static void *phonon_tilde_new(t_symbol *s, int argc, t_atom *argv)
{
    t_phonon *x = (t_phonon *)pd_new(phonon_tilde_class);
    t_symbol *file = 0;
    double bpm = 0, cps = 0, v;
    int i, watch = 0, events = 0, dirtport = 0;
    (void)s;
    x->x_canvas = canvas_getcurrent();
    x->x_threads = 0;
    x->x_voices = 4096;
    x->x_nins = 0;
    x->x_nouts = 2;
    x->x_sr = sys_getsr();
    x->x_n = 64;
    x->x_label = gensym("-");
    x->x_file = &s_;
    x->x_defer = binbuf_new();  /* sent at the first tick, once connected */

        /* flags first, then an optional program file */
    while (argc > 0)
    {
        const char *flag = (argv->a_type == A_SYMBOL ?
            argv->a_w.w_symbol->s_name : "");
        if (argv->a_type == A_SYMBOL && flag[0] == '-' && flag[1])
        {
            if (!strcmp(flag, "-threads"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 0, 64, &v))
                    x->x_threads = (int)v;
            }
            else if (!strcmp(flag, "-voices"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1, 65536, &v))
                    x->x_voices = (int)v;
            }
            else if (!strcmp(flag, "-outs"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1,
                    PHONON_TILDE_MAXIO, &v))
                        x->x_nouts = (int)v;
            }
            else if (!strcmp(flag, "-ins"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 0,
                    PHONON_TILDE_MAXIO, &v))
                        x->x_nins = (int)v;
            }
            else if (!strcmp(flag, "-bpm"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1e-3, 1e5, &v))
                    bpm = v;
            }
            else if (!strcmp(flag, "-cps"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1e-5, 1e3, &v))
                    cps = v;
            }
            else if (!strcmp(flag, "-samples"))
            {
                if (argc < 2 || argv[1].a_type != A_SYMBOL)
                {
                    phonon_tilde_fail(x, "-samples needs a folder (ignored)");
                    argc--, argv++;
                }
                else
                {
                    phonon_tilde_adddir(x, argv[1].a_w.w_symbol->s_name);
                    argc -= 2, argv += 2;
                }
            }
            else if (!strcmp(flag, "-nosystem"))
                x->x_nosystem = 1, argc--, argv++;
            else if (!strcmp(flag, "-watch"))
                watch = 1, argc--, argv++;
            else if (!strcmp(flag, "-events"))
                events = 1, argc--, argv++;
            else if (!strcmp(flag, "-wait"))
                x->x_wait = 1, argc--, argv++;
            else if (!strcmp(flag, "-free"))
                x->x_free = 1, argc--, argv++;
            else if (!strcmp(flag, "-dirt"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1, 65535, &v))
                    dirtport = (int)v;
            }
            else
            {
            {
                char sug[MAXPDSTRING];
                phonon_suggest(flag, phonon_tilde_flags, sug, sizeof(sug));
                phonon_tilde_fail(x, "unknown flag '%s'%s (ignored)", flag, sug);
            }
                argc--, argv++;
                    /* and its value, if it has one */
                if (argc && argv->a_type == A_FLOAT)
                    argc--, argv++;
            }
        }
        else if (argv->a_type == A_SYMBOL && !file)
            file = argv->a_w.w_symbol, argc--, argv++;
        else
        {
            char buf[MAXPDSTRING];
            atom_string(argv, buf, sizeof(buf));
            phonon_tilde_fail(x, "extra argument '%s' (ignored)", buf);
            argc--, argv++;
        }
    }

    for (i = 0; i < x->x_nins; i++)
        inlet_new(&x->x_obj, &x->x_obj.ob_pd, &s_signal, &s_signal);
    for (i = 0; i < x->x_nouts; i++)
        outlet_new(&x->x_obj, &s_signal);
    x->x_msgout = outlet_new(&x->x_obj, 0);
    x->x_invec = (t_sample **)getbytes((x->x_nins + 1) * sizeof(t_sample *));
    x->x_outvec = (t_sample **)getbytes(x->x_nouts * sizeof(t_sample *));
    x->x_in = (float **)getbytes((x->x_nins + 1) * sizeof(float *));
    x->x_out = (float **)getbytes(x->x_nouts * sizeof(float *));
    x->x_pollevery = 1;
    x->x_clock = clock_new(x, (t_method)phonon_tilde_tick);
    x->x_watchclock = clock_new(x, (t_method)phonon_tilde_watchtick);

    if ((x->x_ph = phonon_tilde_engine(x)))
    {
        phonon_clock_join(x);
            /* a tempo flag is a tempo message: everyone on the clock */
        if (bpm > 0)
            phonon_clock_cps(x, bpm / 60.);
        else if (cps > 0)
            phonon_clock_cps(x, cps);
        phonon_tilde_events(x, events);
        phonon_tilde_flagdirs(x);
        if (file)
            phonon_tilde_read(x, file);
        if (watch)
            phonon_tilde_watch(x, 1);
        if (dirtport)
            phonon_tilde_dirt(x, dirtport, 0);
        phonon_tilde_drain(x);
    }
    clock_delay(x->x_clock, PHONON_TILDE_IDLEMS);
    return (x);
}

static void phonon_tilde_free(t_phonon *x)
{
    phonon_clock_leave(x);
    if (x->x_defer)
        binbuf_free(x->x_defer);
    clock_free(x->x_clock);
    clock_free(x->x_watchclock);
    phonon_free(x->x_ph);       /* stops and joins every engine thread */
    freebytes(x->x_invec, (x->x_nins + 1) * sizeof(t_sample *));
    freebytes(x->x_outvec, x->x_nouts * sizeof(t_sample *));
    freebytes(x->x_in, (x->x_nins + 1) * sizeof(float *));
    freebytes(x->x_out, x->x_nouts * sizeof(float *));
    if (x->x_inbuf)
        freebytes(x->x_inbuf, x->x_bufn * x->x_nins * sizeof(float));
    if (x->x_outbuf)
        freebytes(x->x_outbuf, x->x_bufn * x->x_nouts * sizeof(float));
}

    /* the one symbol Pd looks up (everything else stays inside the external) */
PHONON_API void phonon_tilde_setup(void)
{
    t_class *c = phonon_tilde_class = class_new(gensym("phonon~"),
        (t_newmethod)phonon_tilde_new, (t_method)phonon_tilde_free,
        sizeof(t_phonon), CLASS_DEFAULT, A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_dsp, gensym("dsp"), A_CANT, 0);
    class_addmethod(c, (t_method)phonon_tilde_read, gensym("read"),
        A_DEFSYM, 0);
    class_addmethod(c, (t_method)phonon_tilde_watch, gensym("watch"),
        A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_eval, gensym("eval"), A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_text, gensym("text"),
        A_SYMBOL, 0);
    class_addmethod(c, (t_method)phonon_tilde_bpm, gensym("bpm"), A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_cps, gensym("cps"), A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_start, gensym("start"), 0);
    class_addmethod(c, (t_method)phonon_tilde_stop, gensym("stop"), 0);
    class_addmethod(c, (t_method)phonon_tilde_reset, gensym("reset"), 0);
    class_addmethod(c, (t_method)phonon_tilde_seek, gensym("seek"), A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_hush, gensym("hush"), 0);
    class_addmethod(c, (t_method)phonon_tilde_unhush, gensym("unhush"), 0);
    class_addmethod(c, (t_method)phonon_tilde_panic, gensym("panic"), 0);
    class_addmethod(c, (t_method)phonon_tilde_mute, gensym("mute"), A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_unmute, gensym("unmute"),
        A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_solo, gensym("solo"), A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_unsolo, gensym("unsolo"), 0);
    class_addmethod(c, (t_method)phonon_tilde_samples, gensym("samples"),
        A_DEFSYM, 0);
    class_addmethod(c, (t_method)phonon_tilde_events, gensym("events"),
        A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_cycles, gensym("cycles"),
        A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_set, gensym("set"), A_GIMME, 0);
    class_addmethod(c, (t_method)phonon_tilde_threads, gensym("threads"),
        A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_voices, gensym("voices"),
        A_FLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_wait, gensym("wait"), 0);
    class_addmethod(c, (t_method)phonon_tilde_stats, gensym("stats"), 0);
    class_addmethod(c, (t_method)phonon_tilde_print, gensym("print"), 0);
    class_addmethod(c, (t_method)phonon_tilde_dirt, gensym("dirt"),
        A_FLOAT, A_DEFFLOAT, 0);
    class_addmethod(c, (t_method)phonon_tilde_dirtout, gensym("dirtout"),
        A_GIMME, 0);
    class_addanything(c, (t_method)phonon_tilde_anything);
    phonon_tilde_clock_class = class_new(gensym("phonon~ clock"), 0, 0,
        sizeof(t_phonon_clock), CLASS_PD, 0);
    post("phonon~ %s: live-coding patterns (right-click > Help)", PHONON_VERSION);
}
