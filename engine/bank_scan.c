/* bank_scan.c — finding sounds: Dirt-Samples-style roots, the default places, the sonic-pi alias
 * table and the built-in names. Only lists directories; decoding is the loader's job (bank.c). */

#include "bank.h"
#include "bank_private.h"
#include "builtin.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Debian's sonic-pi-samples (CC0): flat folder of FLAC files. */
#define BANK_SONICPI_DIR "/usr/share/sonic-pi/samples"

/* Dirt names for sonic-pi files. Each row: a Dirt name, then file-name patterns (without the
 * extension, fnmatch syntax, space separated). Files are listed pattern by pattern, each
 * pattern's matches in bytewise order. Names left out here (cp, rs, cy, the other 808s) are
 * better served by the built-in sounds: sonic-pi has no clap, rim or 808 cymbal. */
static const char *const bank_sonicpi_aliases[][2] = {
    { "bd",     "bd_*" },
    { "808bd",  "bd_808" },
    { "sn",     "sn_* drum_snare_*" },
    { "sd",     "elec_*snare" },
    { "hh",     "drum_cymbal_closed drum_cymbal_pedal" },
    { "hc",     "drum_cymbal_closed drum_cymbal_pedal" },
    { "oh",     "drum_cymbal_open" },
    { "ho",     "drum_cymbal_open" },
    { "lt",     "drum_tom_lo_*" },
    { "mt",     "drum_tom_mid_*" },
    { "ht",     "drum_tom_hi_*" },
    { "cb",     "drum_cowbell" },
    { "cr",     "drum_splash_* drum_cymbal_hard" },
    { "drum",   "drum_bass_hard drum_snare_hard drum_cymbal_closed drum_tom_lo_hard drum_tom_hi_hard" },
    { "bass",   "bass_*" },
    { "perc",   "perc_*" },
    { "glitch", "glitch_*" },
    { "tabla",  "tabla_*" },
    { "crow",   "misc_crow" },
    { "amen",   "loop_amen loop_amen_full" },
};

/* ---- listing ------------------------------------------------------------------------------- */

typedef struct Names {
    char **v;
    int n, cap;
    bool oom;           /* a name was dropped: out of memory */
} Names;

static void names_free(Names *ns)
{
    for (int i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
    memset(ns, 0, sizeof *ns);
}

static bool names_push(Names *ns, const char *s)
{
    if (ns->n == ns->cap) {
        int cap = ns->cap ? ns->cap * 2 : 16;
        char **v = realloc(ns->v, (size_t)cap * sizeof *v);
        if (!v)
            return !(ns->oom = true);
        ns->v = v;
        ns->cap = cap;
    }
    return (ns->v[ns->n] = strdup(s)) ? (ns->n++, true) : !(ns->oom = true);
}

static int names_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), bn = strlen(name);
    char *p = malloc(a + bn + 2);
    if (p) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, bn + 1);
    }
    return p;
}

/* .wav .aif .aiff .aifc .flac in any case; dot-files never. */
static bool is_sound_file(const char *name)
{
    static const char *const exts[] = { "wav", "aif", "aiff", "aifc", "flac" };
    const char *dot = strrchr(name, '.');
    if (name[0] == '.' || !dot)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i]) == 0)
            return true;
    return false;
}

static bool is_kind(const char *path, mode_t kind)
{
    struct stat st;
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

/* The entries of dir that are sound files (files) or folders (!files), sorted bytewise. */
static int list_dir(const char *dir, bool files, Names *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || (files && !is_sound_file(e->d_name)))
            continue;
        char *p = path_join(dir, e->d_name);
        if (!p)
            out->oom = true;
        else if (is_kind(p, files ? S_IFREG : S_IFDIR))
            names_push(out, e->d_name);
        free(p);
    }
    closedir(d);
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, names_cmp);
    return out->n;
}

/* Offer dir/files[i] under name. */
static bool offer_files(Bank *b, const char *name, BankKind kind, const char *dir, const Names *files)
{
    BankSpec *specs = calloc((size_t)files->n, sizeof *specs);
    char **paths = calloc((size_t)files->n, sizeof *paths);
    bool ok = false;
    if (files->oom)
        bank_note_oom(b);
    if (specs && paths) {
        int n = 0;
        for (int i = 0; i < files->n; i++)
            if ((paths[i] = path_join(dir, files->v[i])))
                specs[n++] = (BankSpec){ paths[i], -1, 0 };
        if (n < files->n)
            bank_note_oom(b);
        else
            ok = bank_offer(b, name, kind, specs, n);
    } else {
        bank_note_oom(b);
    }
    for (int i = 0; paths && i < files->n; i++)
        free(paths[i]);
    free(paths);
    free(specs);
    return ok;
}

/* ---- roots ------------------------------------------------------------------------------------ */

static int add_subfolders(Bank *b, const char *root)
{
    Names subs = { 0 };
    int added = 0;
    list_dir(root, false, &subs);
    if (subs.oom)
        bank_note_oom(b);
    for (int i = 0; i < subs.n; i++) {
        char *dir = path_join(root, subs.v[i]);
        Names files = { 0 };
        if (!dir)
            bank_note_oom(b);
        else if (list_dir(dir, true, &files) > 0 || files.oom)
            added += offer_files(b, subs.v[i], BANK_KIND_SAMPLES, dir, &files);
        names_free(&files);
        free(dir);
    }
    names_free(&subs);
    return added;
}

/* A root with no sound folders but sound files of its own is one sound, named after it. */
static int add_flat(Bank *b, const char *root)
{
    Names files = { 0 };
    int added = 0;
    if (list_dir(root, true, &files) > 0 || files.oom) {
        const char *slash = strrchr(root, '/');
        const char *name = slash && slash[1] ? slash + 1 : root;
        added = offer_files(b, name, BANK_KIND_SAMPLES, root, &files);
    }
    names_free(&files);
    return added;
}

int bank_add_root(Bank *b, const char *dir, char *err, int errlen)
{
    char real[PATH_MAX];
    if (!realpath(dir, real)) {
        if (err && errlen > 0)
            snprintf(err, (size_t)errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (!is_kind(real, S_IFDIR)) {
        if (err && errlen > 0)
            snprintf(err, (size_t)errlen, "%s: not a folder", dir);
        return -1;
    }
    if (bank_root_seen(b, real))
        return bank_root_sounds(b, real);       /* given again: what it holds */
    long oom = bank_oom_count(b);
    int added = add_subfolders(b, real);
    if (added == 0 && bank_oom_count(b) == oom)
        added = add_flat(b, real);
    if (added > 0)      /* an empty folder may be filled and added again */
        bank_root_note(b, real, added);
    if (bank_oom_count(b) != oom) {
        if (err && errlen > 0)
            snprintf(err, (size_t)errlen, "%s: out of memory while adding its sounds (%d added)", dir, added);
        return -1;
    }
    return added;
}

/* ---- the sonic-pi set ---------------------------------------------------------------------------- */

static bool stem_matches(const char *pattern, const char *file)
{
    char stem[NAME_MAX + 1];
    snprintf(stem, sizeof stem, "%s", file);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    return fnmatch(pattern, stem, 0) == 0;
}

static bool names_has(const Names *ns, const char *s)
{
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], s) == 0)
            return true;
    return false;
}

/* The files of one alias row: pattern by pattern, each file once. */
static void alias_files(const char *patterns, const Names *all, Names *out)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", patterns);
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
        for (int i = 0; i < all->n; i++)
            if (stem_matches(p, all->v[i]) && !names_has(out, all->v[i]))
                names_push(out, all->v[i]);
}

int bank_add_sonicpi(Bank *b, const char *dir)
{
    char real[PATH_MAX];
    Names all = { 0 };
    int added = 0;
    if (!realpath(dir, real) || bank_root_seen(b, real) || list_dir(real, true, &all) <= 0) {
        names_free(&all);
        return 0;
    }
    for (size_t r = 0; r < sizeof bank_sonicpi_aliases / sizeof bank_sonicpi_aliases[0]; r++) {
        Names files = { 0 };
        alias_files(bank_sonicpi_aliases[r][1], &all, &files);
        if (files.n > 0)
            added += offer_files(b, bank_sonicpi_aliases[r][0], BANK_KIND_SONICPI, real, &files);
        names_free(&files);
    }
    names_free(&all);
    if (added > 0)
        bank_root_note(b, real, added);
    return added;
}

/* ---- the defaults ------------------------------------------------------------------------------------ */

static void add_env_roots(Bank *b)
{
    const char *env = getenv("PHONON_SAMPLE_PATH");
    if (!env || !*env)
        return;
    char *copy = strdup(env), *save = NULL, err[PATH_MAX + 64];
    for (char *p = copy ? strtok_r(copy, ":", &save) : NULL; p; p = strtok_r(NULL, ":", &save))
        if (bank_add_root(b, p, err, sizeof err) < 0)
            bank_log_later(b, "samples: PHONON_SAMPLE_PATH: %s", err);
    free(copy);
}

/* A Dirt-Samples place ends the search when it exists at all, even when it was already added
 * as an explicit root: two copies would double every bank. */
static bool try_dirt_place(Bank *b, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real) || !is_kind(real, S_IFDIR))
        return false;
    return bank_root_seen(b, real) || bank_add_root(b, real, NULL, 0) > 0;
}

/* The first Dirt-Samples install found. */
static void add_dirt_samples(Bank *b)
{
    static const char *const home_places[] = {
        "%s/.local/share/SuperCollider/downloaded-quarks/Dirt-Samples",
        "%s/Library/Application Support/SuperCollider/downloaded-quarks/Dirt-Samples",
        "%s/Dirt-Samples",
        "%s/dirt-samples",
    };
    static const char *const system_places[] = {
        "/usr/local/share/SuperCollider/downloaded-quarks/Dirt-Samples",
        "/usr/share/SuperCollider/downloaded-quarks/Dirt-Samples",
    };
    char path[PATH_MAX];
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) {
        snprintf(path, sizeof path, "%s/SuperCollider/downloaded-quarks/Dirt-Samples", xdg);
        if (try_dirt_place(b, path))
            return;
    }
    for (size_t i = 0; home && *home && i < sizeof home_places / sizeof home_places[0]; i++) {
        snprintf(path, sizeof path, home_places[i], home);
        if (try_dirt_place(b, path))
            return;
    }
    for (size_t i = 0; i < sizeof system_places / sizeof system_places[0]; i++)
        if (try_dirt_place(b, system_places[i]))
            return;
}

void bank_scan_system(Bank *b)
{
    add_env_roots(b);
    add_dirt_samples(b);
    bank_add_sonicpi(b, BANK_SONICPI_DIR);
}

bool bank_add_builtins(Bank *b)
{
    long oom = bank_oom_count(b);
    for (int i = 0; i < builtin_count(); i++) {
        int n = builtin_variants(i);
        BankSpec specs[64];
        char paths[64][48];
        if (n > 64)
            n = 64;
        for (int v = 0; v < n; v++) {
            snprintf(paths[v], sizeof paths[v], "builtin:%s:%d", builtin_name(i), v);
            specs[v] = (BankSpec){ paths[v], i, v };
        }
        bank_offer(b, builtin_name(i), BANK_KIND_BUILTIN, specs, n);
    }
    return bank_oom_count(b) == oom;
}
