/* msgq.c — Vyukov's bounded queue: each slot carries a sequence number telling producers and the
 * consumer whose turn it is, so a producer claims a slot with one compare-and-swap. */
#include "msgq.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct MsgSlot {
    _Atomic size_t seq;
} MsgSlot;

struct MsgQ {
    size_t mask, item_size, slot_size;
    _Atomic size_t head;            /* next slot to fill */
    _Atomic size_t tail;            /* next slot to read */
    _Atomic long dropped;
    unsigned char *slots;
};

static MsgSlot *msgq_slot(const MsgQ *q, size_t i) { return (MsgSlot *)(q->slots + (i & q->mask) * q->slot_size); }

MsgQ *msgq_new(int capacity, size_t item_size)
{
    size_t cap = 2;
    while (cap < (size_t)capacity) cap *= 2;
    MsgQ *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->mask = cap - 1;
    q->item_size = item_size;
    q->slot_size = (sizeof(MsgSlot) + item_size + 15) & ~(size_t)15;
    q->slots = calloc(cap, q->slot_size);
    if (!q->slots) {
        free(q);
        return NULL;
    }
    for (size_t i = 0; i < cap; i++) atomic_init(&msgq_slot(q, i)->seq, i);
    return q;
}

void msgq_free(MsgQ *q)
{
    if (!q) return;
    free(q->slots);
    free(q);
}

bool msgq_push(MsgQ *q, const void *item)
{
    size_t pos = atomic_load_explicit(&q->head, memory_order_relaxed);
    for (;;) {
        MsgSlot *s = msgq_slot(q, pos);
        size_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
        intptr_t dif = (intptr_t)seq - (intptr_t)pos;
        if (dif == 0) {
            if (atomic_compare_exchange_weak_explicit(&q->head, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed)) {
                memcpy(s + 1, item, q->item_size);
                atomic_store_explicit(&s->seq, pos + 1, memory_order_release);
                return true;
            }
        } else if (dif < 0) {
            atomic_fetch_add_explicit(&q->dropped, 1, memory_order_relaxed);
            return false;
        } else {
            pos = atomic_load_explicit(&q->head, memory_order_relaxed);
        }
    }
}

bool msgq_pop(MsgQ *q, void *item)
{
    size_t pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
    MsgSlot *s = msgq_slot(q, pos);
    size_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
    if ((intptr_t)seq - (intptr_t)(pos + 1) < 0) return false;
    memcpy(item, s + 1, q->item_size);
    atomic_store_explicit(&s->seq, pos + q->mask + 1, memory_order_release);
    atomic_store_explicit(&q->tail, pos + 1, memory_order_relaxed);
    return true;
}

long msgq_dropped(const MsgQ *q) { return atomic_load_explicit(&q->dropped, memory_order_relaxed); }
