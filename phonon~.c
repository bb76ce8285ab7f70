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
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "m_pd.h"
#include "g_canvas.h"
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
    outlet_anything(x->x_msgout, sel, n, at);
}

    /* an error: to the console (so that "Find last error" finds us) and out
    of the outlet as "error <line> <col> <message>" */
static void phonon_tilde_error(t_phonon *x, const char *where, int line,
    int col, const char *msg)
{
    t_atom pos[2];
    if (where)
        pd_error(x, "phonon~: %s: %s", where, msg);
    else pd_error(x, "phonon~: %s", msg);
    SETFLOAT(&pos[0], line);
    SETFLOAT(&pos[1], col);
    phonon_tilde_out(x, gensym("error"), 2, pos, msg);
}

    /* an error the engine found while playing: "file:line:col: message"
    when it has a position, else just the message */
static void phonon_tilde_engineerror(t_phonon *x, const char *text)
{
    const char *p = strchr(text, ':');
    int line, col, used = 0;
    if (p && sscanf(p, ":%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    {
        t_atom pos[2];
        pd_error(x, "phonon~: %s", text);
        SETFLOAT(&pos[0], line);
        SETFLOAT(&pos[1], col);
        phonon_tilde_out(x, gensym("error"), 2, pos, p + used);
    }
    else phonon_tilde_error(x, 0, 0, 0, text);
}

    /* take everything the engine has queued: errors, warnings, notes and
    triggered events */
static void phonon_tilde_drain(t_phonon *x)
{
    PhononMsg m;
    t_symbol *s_event = gensym("event");
    while (x->x_ph && phonon_poll(x->x_ph, &m))
    {
        switch (m.kind)
        {
        case PHONON_MSG_EVENT:
            phonon_tilde_out(x, s_event, 0, 0, m.text);
            break;
        case PHONON_MSG_ERROR:
            phonon_tilde_engineerror(x, m.text);
            break;
        case PHONON_MSG_WARNING:
            if (strstr(m.text, "warning"))
                post("phonon~: %s", m.text);
            else post("phonon~: warning: %s", m.text);
            break;
        default:
            post("phonon~: %s", m.text);
        }
    }
}

static void phonon_tilde_tick(t_phonon *x)
{
    phonon_tilde_drain(x);
        /* the perform routine re-arms us sooner while DSP runs */
    clock_delay(x->x_clock, PHONON_TILDE_IDLEMS);
}

    /* report what phonon_eval() and friends returned */
static void phonon_tilde_report(t_phonon *x, int nerr, const PhononError *errs,
    int maxerrs)
{
    int i;
    for (i = 0; i < nerr && i < maxerrs; i++)
    {
        char buf[2048], *nl;
        if (!errs[i].msg[0])
            break;
            /* the message as an error ("Find last error" finds it), then
            the line it is on and a caret under the column */
        phonon_error_format_source(&errs[i], buf, sizeof(buf));
        nl = strchr(buf, '\n');
        if (nl)
            *nl++ = 0;
        pd_error(x, "phonon~: %s", buf);
        while (nl)
        {
            char *line = nl;
            if ((nl = strchr(line, '\n')))
                *nl++ = 0;
            post("%s", line);
        }
        {
            t_atom pos[2];
            SETFLOAT(&pos[0], errs[i].line);
            SETFLOAT(&pos[1], errs[i].col);
            phonon_tilde_out(x, gensym("error"), 2, pos, errs[i].msg);
        }
    }
    if (nerr > 0 && i == 0)
        phonon_tilde_error(x, 0, 0, 0,
            "the program could not be built (out of memory?)");
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
        pd_error(x, "phonon~: wait: samples still loading after %d s",
            PHONON_TILDE_WAITSECS);
}

    /* run program text: the whole program (whole != 0) or just the
    statements in it.  On errors the program that was playing keeps playing. */
static int phonon_tilde_run(t_phonon *x, const char *text, t_symbol *label,
    int whole)
{
    PhononError errs[PHONON_TILDE_MAXERRS];
    int nerr;
    if (!x->x_ph)
    {
        pd_error(x, "phonon~: no engine (out of memory)");
        return (-1);
    }
    memset(errs, 0, sizeof(errs));
    if (whole)
        nerr = phonon_eval(x->x_ph, text, label->s_name, errs,
            PHONON_TILDE_MAXERRS);
    else nerr = phonon_eval_statements(x->x_ph, text, label->s_name, errs,
        PHONON_TILDE_MAXERRS);
    phonon_tilde_report(x, nerr, errs, PHONON_TILDE_MAXERRS);
    if (!nerr && whole)
        x->x_label = label;
    if (!nerr && x->x_wait)
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
        pd_error(x, "phonon~: %s: can't read: %s", x->x_file->s_name,
            strerror(errno));
        return;
    }
    phonon_tilde_run(x, text, x->x_file, 1);
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
        pd_error(x, "phonon~: read: needs a file name");
        return;
    }
    fd = canvas_open(x->x_canvas, file->s_name, "", dir, &name,
        MAXPDSTRING, 1);
    if (fd < 0)
    {
        pd_error(x, "phonon~: %s: can't open", file->s_name);
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
        pd_error(x, "phonon~: samples: %s: no such folder", name);
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
        pd_error(x, "phonon~: out of memory");
    return (ph);
}

static void phonon_tilde_threads(t_phonon *x, t_floatarg f)
{
    int n = (int)f;
    if (n < 0 || n > 64)
    {
        pd_error(x, "phonon~: threads: %g is not 0 (one per core) ... 64", f);
        return;
    }
    if (n == x->x_threads)
        return;
        /* the engine keeps its program, clock, tempo, mute/solo and set
        values; Pd never runs perform while a method runs */
    if (x->x_ph && phonon_set_threads(x->x_ph, n) < 0)
    {
        pd_error(x, "phonon~: threads: could not start %d threads", n);
        return;
    }
    x->x_threads = n;
}

static void phonon_tilde_voices(t_phonon *x, t_floatarg f)
{
    int n = (int)f;
    if (n < 1 || n > 65536)
    {
        pd_error(x, "phonon~: voices: %g is not 1 ... 65536", f);
        return;
    }
    if (n == x->x_voices)
        return;
    if (x->x_ph && phonon_set_voices(x->x_ph, n) < 0)
    {
        pd_error(x, "phonon~: voices: out of memory for %d voices", n);
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
        pd_error(x, "phonon~: eval: needs program text");
        return;
    }
    phonon_text_init(&t);
    phonon_text_atoms(&t, argc, argv);
    phonon_tilde_run(x, t.t_buf, gensym("eval"), 1);
    phonon_text_free(&t);
}

    /* text <name>: the contents of a [text define name] as a whole program */
static void phonon_tilde_text(t_phonon *x, t_symbol *name)
{
    t_binbuf *b = text_getbufbyname(name);
    t_phonon_text t;
    if (!b)
    {
        pd_error(x, "phonon~: text: %s: no such [text define]", name->s_name);
        return;
    }
    phonon_text_init(&t);
    phonon_text_atoms(&t, binbuf_getnatom(b), binbuf_getvec(b));
    phonon_tilde_run(x, t.t_buf, name, 1);
    phonon_text_free(&t);
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
        pd_error(x, "phonon~: no method for '%s' (a statement starts with "
            "~name, d1, out or bpm:)", s->s_name);
    else phonon_tilde_run(x, t.t_buf, gensym("message"), 0);
    phonon_text_free(&t);
}

static void phonon_tilde_bpm(t_phonon *x, t_floatarg f)
{
    if (!(f > 0))
    {
        pd_error(x, "phonon~: bpm: needs a positive number");
        return;
    }
    if (x->x_ph)
        phonon_set_bpm(x->x_ph, f);
}

static void phonon_tilde_cps(t_phonon *x, t_floatarg f)
{
    if (!(f > 0))
    {
        pd_error(x, "phonon~: cps: needs a positive number");
        return;
    }
    if (x->x_ph)
        phonon_set_cps(x->x_ph, f);
}

static void phonon_tilde_start(t_phonon *x)
{
    x->x_stopped = 0;
    if (x->x_ph)
        phonon_start(x->x_ph);
}

static void phonon_tilde_stop(t_phonon *x)
{
    x->x_stopped = 1;
    if (x->x_ph)
        phonon_stop(x->x_ph);
}

static void phonon_tilde_reset(t_phonon *x)
{
    if (x->x_ph)
        phonon_reset(x->x_ph);
}

static void phonon_tilde_seek(t_phonon *x, t_floatarg f)
{
    if (x->x_ph)
        phonon_seek(x->x_ph, f);
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
        pd_error(x, "phonon~: %s: needs a statement name, like ~d1", what);
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
            pd_error(x, "phonon~: %s: no statement named '%s'", s->s_name, name);
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

    /* samples <dir>: add a sample folder (found like 'read' finds files) */
static void phonon_tilde_samples(t_phonon *x, t_symbol *dir)
{
    char err[MAXPDSTRING];
    t_symbol *s;
    int n;
    if (!*dir->s_name)
    {
        pd_error(x, "phonon~: samples: needs a folder");
        return;
    }
    if (!x->x_ph || !(s = phonon_tilde_adddir(x, dir->s_name)))
        return;
    err[0] = 0;
    if ((n = phonon_add_samples(x->x_ph, s->s_name, err, sizeof(err))) < 0)
        pd_error(x, "phonon~: samples: %s", err[0] ? err : s->s_name);
    else post("phonon~: samples: %d sound%s in %s", n, n == 1 ? "" : "s",
        s->s_name);
    if (n >= 0 && x->x_wait)
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
        pd_error(x, "phonon~: set: needs a bus and a value, like 'set ~cutoff 800'");
        return;
    }
    if (argc == 2 && argv[1].a_type == A_FLOAT)
    {
        if (x->x_ph && phonon_set_control(x->x_ph,
            argv[0].a_w.w_symbol->s_name, argv[1].a_w.w_float) < 0)
                pd_error(x, "phonon~: set: too many control names (at most 1024)");
        return;
    }
    phonon_text_init(&t);
    phonon_text_add(&t, argv[0].a_w.w_symbol->s_name,
        strlen(argv[0].a_w.w_symbol->s_name));
    phonon_text_add(&t, ":", 1);
    phonon_text_atoms(&t, argc - 1, argv + 1);
    phonon_tilde_run(x, t.t_buf, gensym("set"), 0);
    phonon_text_free(&t);
}

    /* stats: "stats voices V peak P stolen S late L cycle C cps X ..." */
static void phonon_tilde_stats(t_phonon *x)
{
    PhononStats st;
    t_atom at[22];
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
#undef PHONON_TILDE_STAT
    outlet_anything(x->x_msgout, gensym("stats"), n, at);
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
    if (x->x_events || ++x->x_nblocks >= x->x_pollevery)
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
        pd_error(x, "phonon~: %s needs a number (ignored)", flag);
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
        pd_error(x, "phonon~: %s %g: not in %g ... %g (ignored)", flag, *result,
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
                    pd_error(x, "phonon~: -samples needs a folder (ignored)");
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
            else if (!strcmp(flag, "-dirt"))
            {
                if (!phonon_tilde_flagarg(x, flag, &argc, &argv, 1, 65535, &v))
                    dirtport = (int)v;
            }
            else
            {
                pd_error(x, "phonon~: unknown flag '%s' (ignored)", flag);
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
            pd_error(x, "phonon~: extra argument '%s' (ignored)", buf);
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
        if (bpm > 0)
            phonon_set_bpm(x->x_ph, bpm);
        else if (cps > 0)
            phonon_set_cps(x->x_ph, cps);
        phonon_tilde_events(x, events);
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
    post("phonon~ %s: live-coding patterns (right-click > Help)", PHONON_VERSION);
}
