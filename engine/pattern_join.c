/* pattern_join.c — Tidal's word joins |++ ++| |++| (`(++) <$> a <* b`: each word of a followed by
 * the word of b). A query may not intern a symbol (that allocates and locks), so the words a join
 * can make are interned while the program is built: the words of both sides are known from its
 * text (pattern_words_each reads them out of mini-notation), pattern_join_prepare interns every
 * pair, and a query only finds the joined word (pattern_join_word: lock-free, no allocation). */
#include "pattern_impl.h"

#include <ctype.h>
#include <string.h>

/* The mini-notation's word rule: a word starts with a letter or digit (or `~` and a letter: an
 * instrument) and goes on with letters, digits and . : - _ # ' */
static bool word_char(int ch) { return isalnum(ch) || ch == '_' || ch == '.' || ch == ':' || ch == '-' || ch == '#' || ch == '\''; }

void pattern_words_each(const char *s, size_t n, void (*fn)(void *ud, const char *w, size_t len, size_t at), void *ud)
{
    for (size_t i = 0; i < n;) {
        int ch = (unsigned char)s[i];
        bool tilde = ch == '~' && i + 1 < n && isalpha((unsigned char)s[i + 1]);
        if (tilde || isalnum(ch)) {
            size_t j = i + 1;
            while (j < n && word_char((unsigned char)s[j])) j++;
            fn(ud, s + i, j - i, i);
            i = j;
        } else {
            i++;
        }
    }
}

/* the joined name of l and r into buf; false when it does not fit */
static bool join_name(uint32_t l, uint32_t r, char *buf, size_t size)
{
    const char *a = sym_name(l), *b = sym_name(r);
    size_t na = strlen(a), nb = strlen(b);
    if (na + nb + 1 > size) return false;
    memcpy(buf, a, na);
    memcpy(buf + na, b, nb + 1);
    return true;
}

int pattern_join_prepare(const uint32_t *l, int nl, const uint32_t *r, int nr, uint32_t *out, int max)
{
    if ((int64_t)nl * nr > max) return -1;
    int n = 0;
    for (int i = 0; i < nl; i++)
        for (int j = 0; j < nr; j++) {
            char buf[PATTERN_JOIN_MAX_LEN];
            uint32_t w = join_name(l[i], r[j], buf, sizeof buf) ? sym_intern(buf) : 0;
            if (!w) return -2;
            if (out) out[n] = w;
            n++;
        }
    return n;
}

uint32_t pattern_join_word(uint32_t l, uint32_t r)
{
    char buf[PATTERN_JOIN_MAX_LEN];
    return join_name(l, r, buf, sizeof buf) ? sym_find(buf) : 0;
}
