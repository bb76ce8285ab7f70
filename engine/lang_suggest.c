/* lang_suggest.c — "did you mean ...?": the names of a table nearest to a misspelt one.
 * Distance is the optimal-string-alignment edit distance (insert, delete, change, swap two
 * neighbours), ignoring case; the caller feeds one name table and formats the result. */
#include "lang.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Edit distance between a[0..na) and b[0..nb), case ignored; stops early (returns limit + 1) once
 * it cannot be limit or less. Names longer than LANG_SUGGEST_LEN are never near. */
static int suggest_distance(const char *a, int na, const char *b, int nb, int limit)
{
    if (na > LANG_SUGGEST_LEN || nb > LANG_SUGGEST_LEN) return limit + 1;
    if (na - nb > limit || nb - na > limit) return limit + 1;
    int d[3][LANG_SUGGEST_LEN + 1];     /* rows i-2, i-1, i, reused in turn */
    for (int j = 0; j <= nb; j++) d[0][j] = j;
    for (int i = 1; i <= na; i++) {
        int *cur = d[i % 3], *prev = d[(i + 2) % 3], *prev2 = d[(i + 1) % 3];
        cur[0] = i;
        int row_min = cur[0];
        for (int j = 1; j <= nb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int cost = ca != cb;
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > limit) return limit + 1;
    }
    return d[na % 3][nb];
}

void lang_suggest_init(LangSuggest *s, const char *word, int len)
{
    memset(s, 0, sizeof *s);
    s->word = word;
    s->len = len;
    /* how far a name may be: short words allow little, or everything would be near */
    s->limit = len <= 2 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
    s->best = 1 << 20;
}

void lang_suggest_add(LangSuggest *s, const char *name)
{
    if (!name || !name[0]) return;
    int n = (int)strlen(name);
    if (n == s->len && memcmp(name, s->word, (size_t)n) == 0) return;     /* itself: not a suggestion */
    int d = suggest_distance(s->word, s->len, name, n, s->limit);
    if (d > s->limit || d >= (n > s->len ? n : s->len)) return;
    /* among names as near, those with the same first letter first */
    int score = 2 * d + (tolower((unsigned char)name[0]) != tolower((unsigned char)s->word[0]));
    if (score > s->best) return;
    if (score < s->best) {
        s->best = score;
        s->n = 0;
    }
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0) return;
    if (s->n < LANG_SUGGEST_MAX) s->names[s->n++] = name;
}

int lang_suggest_format(const LangSuggest *s, const char *pre, const char *post, char *buf, int size)
{
    if (size > 0) buf[0] = 0;
    if (s->n == 0) return 0;
    int k = snprintf(buf, (size_t)size, " (did you mean ");
    for (int i = 0; i < s->n; i++) {
        const char *sep = i == 0 ? "" : i == s->n - 1 ? " or " : ", ";
        k += snprintf(buf + (k < size ? k : size), k < size ? (size_t)(size - k) : 0, "%s%s%s%s", sep, pre,
                      s->names[i], post);
    }
    k += snprintf(buf + (k < size ? k : size), k < size ? (size_t)(size - k) : 0, "?)");
    return k;
}
