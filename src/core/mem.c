/* cvkit memory: the counting allocator of the core (include/cvkit/mem.h). One process-wide
   budget in C11 atomics; sizes from malloc_usable_size, so that a block's count is the same
   when it is allocated and when it is freed. */
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"

static atomic_size_t mem_used;
static atomic_size_t mem_peak;
static atomic_size_t mem_limit;
static atomic_ulong mem_refused;

/* Counts n more bytes; 0, or -1 with errno ENOMEM (nothing counted) when that would take
   the count past the limit. Counting before malloc is called keeps the limit strict when
   threads allocate at once. */
static int mem_take(size_t n)
{
    size_t limit = atomic_load_explicit(&mem_limit, memory_order_relaxed);
    size_t used = atomic_fetch_add_explicit(&mem_used, n, memory_order_relaxed) + n;
    size_t peak = atomic_load_explicit(&mem_peak, memory_order_relaxed);
    if (limit && (used > limit || used < n)) {
        atomic_fetch_sub_explicit(&mem_used, n, memory_order_relaxed);
        atomic_fetch_add_explicit(&mem_refused, 1, memory_order_relaxed);
        errno = ENOMEM;
        return -1;
    }
    while (used > peak && !atomic_compare_exchange_weak_explicit(
                              &mem_peak, &peak, used, memory_order_relaxed, memory_order_relaxed))
        ;
    return 0;
}

/* Corrects the count by a block's usable size minus what was taken for it (a few bytes of
   rounding, either way): never refused. */
static void mem_settle(size_t usable, size_t taken)
{
    if (usable >= taken)
        atomic_fetch_add_explicit(&mem_used, usable - taken, memory_order_relaxed);
    else
        atomic_fetch_sub_explicit(&mem_used, taken - usable, memory_order_relaxed);
}

void *cv_malloc(size_t n)
{
    void *p;
    if (n == 0)
        n = 1;
    if (mem_take(n) != 0)
        return NULL;
    if ((p = malloc(n)) == NULL) {
        mem_settle(0, n);
        return NULL;
    }
    mem_settle(malloc_usable_size(p), n);
    return p;
}

void *cv_calloc(size_t count, size_t size)
{
    size_t n;
    void *p;
    if (size && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    if ((n = count * size) == 0)
        n = 1;
    if (mem_take(n) != 0)
        return NULL;
    if ((p = calloc(n, 1)) == NULL) {
        mem_settle(0, n);
        return NULL;
    }
    mem_settle(malloc_usable_size(p), n);
    return p;
}

void *cv_aligned_alloc(size_t align, size_t n)
{
    void *p;
    if (n == 0)
        n = align;
    if (mem_take(n) != 0)
        return NULL;
    if ((p = aligned_alloc(align, n)) == NULL) {
        mem_settle(0, n);
        return NULL;
    }
    mem_settle(malloc_usable_size(p), n);
    return p;
}

void *cv_realloc(void *p, size_t n)
{
    size_t old, taken = 0;
    void *q;
    if (!p)
        return cv_malloc(n);
    if (n == 0)
        n = 1;
    old = malloc_usable_size(p);
    if (n > old && mem_take(taken = n - old) != 0)
        return NULL;
    if ((q = realloc(p, n)) == NULL) {
        mem_settle(0, taken);
        return NULL;
    }
    mem_settle(malloc_usable_size(q), old + taken); /* old was counted already */
    return q;
}

void cv_free(void *p)
{
    if (!p)
        return;
    mem_settle(0, malloc_usable_size(p));
    free(p);
}

char *cv_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cv_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

size_t cv_mem_set_limit(size_t limit)
{
    return atomic_exchange_explicit(&mem_limit, limit, memory_order_relaxed);
}

size_t cv_mem_limit(void)
{
    return atomic_load_explicit(&mem_limit, memory_order_relaxed);
}

size_t cv_mem_used(void)
{
    return atomic_load_explicit(&mem_used, memory_order_relaxed);
}

size_t cv_mem_peak(void)
{
    return atomic_load_explicit(&mem_peak, memory_order_relaxed);
}

void cv_mem_reset_peak(void)
{
    atomic_store_explicit(&mem_peak, cv_mem_used(), memory_order_relaxed);
}

unsigned long cv_mem_refusals(void)
{
    return atomic_load_explicit(&mem_refused, memory_order_relaxed);
}
