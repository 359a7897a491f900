/* cvkit progress: how the core's long steps (reading, the summary, a fit, predictions,
   writing) tell the caller how far they are, without printing (the core never prints).
   The caller sets a callback for its thread; each step reports "step key, done of
   total" through it, looked at where the core already looks at cancellation
   (include/cvkit/cancel.h), so that it costs one branch when nobody listens. The
   program's side (src/lua/progress.c) draws a line on a terminal. */
#ifndef CVKIT_PROGRESS_H
#define CVKIT_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

/* What done and total count. */
typedef enum cv_progress_unit {
    CV_PROGRESS_ROWS,  /* rows of a table (customers of a summary, predictions) */
    CV_PROGRESS_BYTES, /* bytes of a file */
    CV_PROGRESS_EVALS  /* evaluations of an objective (a fit; total unknown) */
} cv_progress_unit;

typedef enum cv_progress_event {
    CV_PROGRESS_BEGIN,  /* a step starts: done 0 */
    CV_PROGRESS_UPDATE, /* done grew */
    CV_PROGRESS_END     /* the step is over: done == total when it succeeded */
} cv_progress_event;

/* One step under way; on the stack of the core function that runs it. Fields are read
   by the callback, written only through the functions below. */
typedef struct cv_progress {
    const char *step;      /* the key shown: the outermost step's ("read", "summary",
                              "fit", "predict", "write"); a step run inside another
                              (the read of a streamed summary) reports under the outer
                              key with its own counts */
    const char *own;       /* this step's own key */
    cv_progress_unit unit; /* what done and total count */
    uint64_t total;        /* 0: unknown */
    _Atomic uint64_t done; /* never decreases; <= total when total is known */
    int depth;             /* 0: outermost step, 1: inside one, ... */
    int on;                /* 1: a callback listens (set by cv_progress_begin) */
} cv_progress;

/* Called on the thread that set it, in order: BEGIN, UPDATEs with done never decreasing,
   END. Must be quick, must not call back into the core, and must not fail. */
typedef void (*cv_progress_fn)(void *ud, cv_progress_event ev, const cv_progress *p);

/* Sets the calling thread's callback (NULL: none, the default) and forgets the steps
   under way (set it between steps, not inside one). Steps run on other
   threads (the core's own worker threads included) report nothing: their work reaches
   the caller through the step begun on its thread (cv_progress_add). */
void cv_progress_set(cv_progress_fn fn, void *ud);

/* Starts step key (a string literal) counting unit up to total (0: unknown) and reports
   BEGIN. Every cv_progress_begin is matched by one cv_progress_end. */
void cv_progress_begin(cv_progress *p, const char *key, cv_progress_unit unit, uint64_t total);

/* Reports UPDATE when done (clamped to total) is above what was reported. Only on the
   thread that began the step (its other threads use cv_progress_add). */
void cv_progress_report_(cv_progress *p, uint64_t done);
static inline void cv_progress_tick(cv_progress *p, uint64_t done)
{
    if (p->on)
        cv_progress_report_(p, done);
}

/* Adds n to done from any thread (the core's worker threads too); reports UPDATE when
   called on the thread that began the step. A step counts with cv_progress_tick or with
   cv_progress_add, not both. */
void cv_progress_add_(cv_progress *p, uint64_t n);
static inline void cv_progress_add(cv_progress *p, uint64_t n)
{
    if (p->on)
        cv_progress_add_(p, n);
}

/* Ends the step: ok (1) sets done to total first; reports END. */
void cv_progress_end(cv_progress *p, int ok);

#endif
