/* cvkit engine limits: the memory cap (a counting allocator for Lua, the process's resident
   memory for the core) and the time limit (a count hook, as redis's luaMaskCountHook). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine_int.h"

double engine_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if defined(__SANITIZE_ADDRESS__)
#define ENGINE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ENGINE_ASAN 1
#endif
#endif

/* 1 when the process's resident memory (Lua's and the core's tables, cvkit itself) is
   past the limit; reads /proc/self/statm at most once a millisecond. Never under
   AddressSanitizer, whose shadow memory would count. */
static int memory_over(cv_engine *e)
{
#ifdef ENGINE_ASAN
    (void)e;
    return 0;
#else
    char buf[128];
    unsigned long size, rss;
    ssize_t n;
    double t = engine_now();
    if (e->statm_fd < 0 || t - e->mem_checked < 0.001)
        return 0;
    e->mem_checked = t;
    if ((n = pread(e->statm_fd, buf, sizeof buf - 1, 0)) <= 0)
        return 0;
    buf[n] = '\0';
    if (sscanf(buf, "%lu %lu", &size, &rss) != 2)
        return 0;
    return (size_t)rss * (size_t)sysconf(_SC_PAGESIZE) > e->mem_limit;
#endif
}

/* Raises "memory limit exceeded (N bytes)" at the running line. */
static int memory_error(lua_State *L, cv_engine *e)
{
    e->mem_hit = 1;
    luaL_where(L, 0);
    lua_pushfstring(L, "memory limit exceeded (%I bytes)", (lua_Integer)e->mem_limit);
    lua_concat(L, 2);
    return lua_error(L);
}

void lbind_check_memory(lua_State *L)
{
    cv_engine *e = engine_of(L);
    if (e && e->mem_limit && memory_over(e))
        memory_error(L, e);
}

/* lua_Alloc counting Lua's bytes; refuses a growth past the limit (Lua then collects
   garbage and retries once, then raises "not enough memory"). */
void *engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    cv_engine *e = ud;
    size_t old = ptr ? osize : 0;
    void *p;
    if (nsize == 0) {
        free(ptr);
        e->mem_used -= old;
        return NULL;
    }
    if (e->mem_limit && nsize > old && e->mem_used - old + nsize > e->mem_limit)
        return NULL;
    if ((p = realloc(ptr, nsize)) != NULL)
        e->mem_used = e->mem_used - old + nsize;
    return p;
}

/* Count hook: past the deadline, raises "time limit exceeded" and from then on raises
   again at every instruction, so that no pcall can swallow it; also checks the resident
   memory (the core's tables are malloc'd outside Lua's allocator). */
void engine_limit_hook(lua_State *L, lua_Debug *ar)
{
    cv_engine *e = engine_of(L);
    (void)ar;
    if (e->time_hit || (e->deadline > 0 && engine_now() > e->deadline)) {
        e->time_hit = 1;
        lua_sethook(L, engine_limit_hook, LUA_MASKCOUNT, 1);
        luaL_where(L, 0);
        lua_pushfstring(L, "time limit exceeded (%f s)", e->timeout);
        lua_concat(L, 2);
        lua_error(L);
    }
    if (e->mem_limit && memory_over(e))
        memory_error(L, e);
}

/* The exit code and message of a failed run when a limit caused it: rewrites the kept
   message so that it names the limit. Returns code unchanged otherwise. */
int engine_limit_code(cv_engine *e, int status, int code)
{
    char head[96];
    const char *msg = e->errmsg ? e->errmsg : "";
    if (e->time_hit) {
        snprintf(head, sizeof head, "time limit exceeded (%g s)", e->timeout);
    } else if (e->mem_limit && (status == LUA_ERRMEM || code == CV_ERR_NOMEM || e->mem_hit ||
                                strstr(msg, "not enough memory"))) {
        snprintf(head, sizeof head, "memory limit exceeded (%zu bytes)", e->mem_limit);
    } else {
        return code;
    }
    if (!strstr(msg, head)) {
        size_t n = strlen(head) + strlen(msg) + 3;
        char *m = malloc(n);
        if (m) {
            snprintf(m, n, "%s%s%s", head, *msg ? "\n" : "", msg);
            free(e->errmsg);
            e->errmsg = m;
        }
    }
    return CV_ERR_LIMIT;
}
