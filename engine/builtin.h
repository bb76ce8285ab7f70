/* builtin.h — the built-in synthesised drum and pluck sounds (bd sn hh cp ... 808bd), so patterns play with no sample files.
 * Rendering is deterministic but slow: it runs on the bank's loader thread, never on the audio path. */
#ifndef PHONON_BUILTIN_H
#define PHONON_BUILTIN_H

int builtin_count(void);                    /* how many names */
const char *builtin_name(int sound);        /* "bd", ... in table order; NULL when out of range */
int builtin_find(const char *name);         /* the index of a name, or -1 */
int builtin_variants(int sound);            /* how many values of n before it wraps */
const char *builtin_about(int sound);       /* one line for musicians: what it is and what n changes */

/* Variant v (wrapped like n) of a sound rendered at sample rate sr: builtin_frames() tells the
 * length, builtin_render() fills out[0..frames) with mono audio. Same arguments, same bits. */
int builtin_frames(int sound, int variant, double sr);
void builtin_render(int sound, int variant, double sr, float *out);

#endif
