/* cvkit memory: the allocator of the core. Every byte the core allocates goes through it and
   is counted in one process-wide budget (the engine's Lua heap counts into it too), so that
   a memory limit holds inside one long core call. See docs/safety.md, "--max-memory". */
#ifndef CVKIT_MEM_H
#define CVKIT_MEM_H

#include <stddef.h>

/* malloc, calloc, realloc, free and strdup of the core. Each counts the block's usable
   size (malloc_usable_size) in the budget; an allocation that would take the count past
   the limit fails (NULL, errno ENOMEM) without calling malloc, and the caller reports
   CV_ERR_NOMEM "out of memory" as for any failed allocation. cv_realloc never fails when
   it shrinks a block. Memory from these functions is freed with cv_free (never free), and
   only memory from them is given to cv_free. All are thread-safe. */
void *cv_malloc(size_t n);
void *cv_calloc(size_t count, size_t size);
void *cv_realloc(void *p, size_t n);
void cv_free(void *p);
char *cv_strdup(const char *s);
/* aligned_alloc, counted the same way (align a power of two; freed with cv_free). */
void *cv_aligned_alloc(size_t align, size_t n);

/* Sets the limit in bytes of the budget (0: none) and returns the previous one. Memory
   already counted stays counted: a limit below it refuses every growth until enough is
   freed. */
size_t cv_mem_set_limit(size_t limit);
size_t cv_mem_limit(void);
/* Bytes counted now (blocks from the functions above not yet freed). */
size_t cv_mem_used(void);
/* The largest cv_mem_used seen since the last cv_mem_reset_peak. */
size_t cv_mem_peak(void);
void cv_mem_reset_peak(void);
/* How many allocations the limit has refused since the process started (for tests and for
   telling a refusal of the limit from a failure of malloc). */
unsigned long cv_mem_refusals(void);

#endif
