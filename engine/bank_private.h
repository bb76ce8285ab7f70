/* bank_private.h — what bank.c (sounds, publication, the loader) shares with bank_scan.c (folders, defaults).
 * Only the bank module includes it; nothing here may be used on the audio path except through bank.h. */
#ifndef PHONON_BANK_PRIVATE_H
#define PHONON_BANK_PRIVATE_H

#include "bank.h"

/* Where a sound's files came from, in rising priority: a sound of a higher kind replaces the files
 * of a lower one, the same kind appends (earlier roots first), a lower kind is ignored. So the
 * sonic-pi set and the built-ins only fill names that no sample folder provides. */
typedef enum BankKind { BANK_KIND_BUILTIN, BANK_KIND_SONICPI, BANK_KIND_SAMPLES } BankKind;

/* One file to add: a path on disk (builtin < 0), or variant of built-in sound number builtin. */
typedef struct BankSpec {
    const char *path;       /* copied; "builtin:bd:0" for built-ins */
    int builtin, variant;
} BankSpec;

/* Offer files under name with the priority rule above; true when they were taken. */
bool bank_offer(Bank *b, const char *name, BankKind kind, const BankSpec *specs, int n);

/* Roots already scanned, by real path, so a folder is never added twice, with the sounds each gave
 * (bank_root_sounds: -1 for a folder not added). */
bool bank_root_seen(Bank *b, const char *real);
int bank_root_sounds(Bank *b, const char *real);
void bank_root_note(Bank *b, const char *real, int sounds);

bool bank_uses_system(Bank *b);
/* Hand a message to the loader thread, which passes it to the log callback (the callback is only
 * ever called from that thread). printf-style. */
void bank_log_later(Bank *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The parts of bank_add_defaults that look at the system (bank_scan.c). */
void bank_scan_system(Bank *b);
bool bank_add_builtins(Bank *b);        /* false: out of memory, some are missing */
/* An allocation failed while adding sounds (bank_add_root turns it into an error). */
void bank_note_oom(Bank *b);

#endif
