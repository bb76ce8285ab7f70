/* msgq.h — a bounded lock-free queue of fixed-size messages: many producers (audio, loader, control),
 * one consumer (the host's control thread). Pushing never blocks or allocates: a full queue drops. */
#ifndef PHONON_MSGQ_H
#define PHONON_MSGQ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct MsgQ MsgQ;

MsgQ *msgq_new(int capacity, size_t item_size);     /* capacity: rounded up to a power of two */
void msgq_free(MsgQ *q);
bool msgq_push(MsgQ *q, const void *item);          /* false when full (the item is dropped and counted) */
bool msgq_pop(MsgQ *q, void *item);                 /* false when empty */
long msgq_dropped(const MsgQ *q);

#endif
