/* cvkit cancellation: one process-wide flag that long loops of the core look at, so that a
   time limit stops them cleanly (the engine's watchdog sets it at the deadline). C11
   atomics, no locks: any thread, and signal handlers, may set it. See docs/safety.md. */
#ifndef CVKIT_CANCEL_H
#define CVKIT_CANCEL_H

#include <stdatomic.h>

#include "cvkit/error.h"

extern atomic_int cv_cancel_flag; /* in src/core/cancel.c; use the functions below */

/* Asks every long core loop to stop: each returns CV_ERR_LIMIT "cancelled" at its next
   look, freeing what it made. Async-signal-safe. */
void cv_cancel_set(void);
/* Withdraws the request (a new run may start). */
void cv_cancel_clear(void);

/* 1 when cancellation was asked, else 0. Cheap (one relaxed atomic load): loops call it
   once per iteration or once per block of rows. */
static inline int cv_cancelled(void)
{
    return atomic_load_explicit(&cv_cancel_flag, memory_order_relaxed) != 0;
}

/* 0, or CV_ERR_LIMIT with err set to "cancelled" when cancellation was asked: the one
   line a core loop adds ("if (cv_cancel_check(err)) goto fail;"). */
int cv_cancel_check(cv_error *err);

#endif
