/* cvkit progress: the per-thread callback and the steps of include/cvkit/progress.h. */
#include "cvkit/progress.h"

#include <stddef.h>

/* The calling thread's listener and the steps under way on it. */
typedef struct {
    cv_progress_fn fn;
    void *ud;
    int depth;         /* steps begun and not ended */
    const char *outer; /* the outermost step's key */
} listener;

static _Thread_local listener tl;

void cv_progress_set(cv_progress_fn fn, void *ud)
{
    tl.fn = fn;
    tl.ud = ud;
    tl.depth = 0; /* a new listener starts with no step under way */
}

void cv_progress_begin(cv_progress *p, const char *key, cv_progress_unit unit, uint64_t total)
{
    p->own = key;
    p->unit = unit;
    p->total = total;
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    p->on = tl.fn != NULL;
    p->depth = tl.depth;
    if (!p->on)
        return;
    if (tl.depth++ == 0)
        tl.outer = key;
    p->step = tl.outer;
    tl.fn(tl.ud, CV_PROGRESS_BEGIN, p);
}

/* 1 when the calling thread began p (its listener is listening at p's depth). */
static int owner(const cv_progress *p)
{
    return tl.fn != NULL && tl.depth > p->depth;
}

void cv_progress_report_(cv_progress *p, uint64_t done)
{
    uint64_t was = atomic_load_explicit(&p->done, memory_order_relaxed);
    if (p->total && done > p->total)
        done = p->total;
    if (done <= was || !owner(p))
        return;
    atomic_store_explicit(&p->done, done, memory_order_relaxed);
    tl.fn(tl.ud, CV_PROGRESS_UPDATE, p);
}

void cv_progress_add_(cv_progress *p, uint64_t n)
{
    uint64_t done = atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed) + n;
    if (p->total && done > p->total) {
        atomic_store_explicit(&p->done, p->total, memory_order_relaxed);
        done = p->total;
    }
    if (owner(p))
        tl.fn(tl.ud, CV_PROGRESS_UPDATE, p);
}

void cv_progress_end(cv_progress *p, int ok)
{
    if (!p->on)
        return;
    if (ok && p->total)
        atomic_store_explicit(&p->done, p->total, memory_order_relaxed);
    p->on = 0;
    if (tl.depth > 0)
        tl.depth--;
    if (tl.fn)
        tl.fn(tl.ud, CV_PROGRESS_END, p);
}
