/* cvkit thread count: the one policy for every place of the core that starts threads (the
   model predictions and fit, the fast group-by, the CSV reader's pool, the summary's
   pipeline). Default: the machine's online cores, at most CV_THREADS_MAX; a program (the
   CLI from CVKIT_THREADS) may set another count. Results do not depend on the count: each
   user splits its work so that every output is computed the same way whatever the threads
   (see the comments at each use). C11 atomics, no locks. */
#ifndef CVKIT_THREADS_H
#define CVKIT_THREADS_H

#include <stddef.h>

#define CV_THREADS_MAX 8 /* more rarely pays: the loops are bound by memory */

/* The number of threads a parallel loop may use, 1..CV_THREADS_MAX: the count set by
   cv_threads_set, else the machine's online cores (sysconf(_SC_NPROCESSORS_ONLN); 1 when
   unknown), capped. */
int cv_threads(void);

/* Sets the count for every later loop of the process: n <= 0 returns to the default, n
   above CV_THREADS_MAX is capped. Returns the count now in effect (cv_threads()). */
int cv_threads_set(int n);

/* Calls f(ctx, lo, hi) over [0, n) in contiguous chunks, one per thread, at most
   cv_threads() of them (and at most n), the first on the calling thread; once over the whole
   range on the calling thread when n < min_n or the count is 1. A thread that cannot be
   started has its chunk run on the calling thread. f must write only its own range's
   results, so the outcome is the same for any chunking. */
void cv_par_for(size_t n, size_t min_n, void (*f)(void *ctx, size_t lo, size_t hi), void *ctx);

#endif
