/* cvkit thread count and the parallel loop (see include/cvkit/threads.h). */
#include "cvkit/threads.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int threads_set; /* 0: the default */

static int threads_default(void)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return ncpu < 1 ? 1 : ncpu > CV_THREADS_MAX ? CV_THREADS_MAX : (int)ncpu;
}

int cv_threads(void)
{
    int n = atomic_load_explicit(&threads_set, memory_order_relaxed);
    return n > 0 ? n : threads_default();
}

int cv_threads_set(int n)
{
    atomic_store_explicit(&threads_set,
                          n <= 0               ? 0
                          : n > CV_THREADS_MAX ? CV_THREADS_MAX
                                               : n,
                          memory_order_relaxed);
    return cv_threads();
}

typedef struct {
    void (*f)(void *ctx, size_t lo, size_t hi);
    void *ctx;
    size_t lo, hi;
    pthread_t th;
    int started;
} par_chunk;

static void *par_run(void *v)
{
    par_chunk *c = v;
    c->f(c->ctx, c->lo, c->hi);
    return NULL;
}

void cv_par_for(size_t n, size_t min_n, void (*f)(void *ctx, size_t lo, size_t hi), void *ctx)
{
    par_chunk c[CV_THREADS_MAX];
    size_t k = (size_t)cv_threads(), i;
    if (k > n)
        k = n;
    if (n < min_n || k < 2) {
        f(ctx, 0, n);
        return;
    }
    for (i = 0; i < k; i++) {
        c[i].f = f, c[i].ctx = ctx;
        c[i].lo = i * (n / k) + (i < n % k ? i : n % k); /* the first n % k get one more */
        c[i].hi = c[i].lo + n / k + (i < n % k);
        c[i].started = i > 0 && pthread_create(&c[i].th, NULL, par_run, &c[i]) == 0;
    }
    for (i = 0; i < k; i++)
        if (!c[i].started)
            par_run(&c[i]);
    for (i = 1; i < k; i++)
        if (c[i].started)
            pthread_join(c[i].th, NULL);
}
