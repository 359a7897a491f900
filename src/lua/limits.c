/* cvkit engine limits: the memory cap (Lua's allocator counting into the core's budget,
   src/core/mem.c) and the time limit (a count hook, as redis's luaMaskCountHook, the core's
   cancellation flag, and a watchdog thread as the backstop for what cannot be
   interrupted). See docs/safety.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cvkit/cancel.h"
#include "cvkit/guard.h"
#include "cvkit/mem.h"
#include "embedded.h"
#include "engine_int.h"

double engine_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- Memory ------------------------------------------------------------------------------ */

/* lua_Alloc over the core's allocator: Lua's heap and the core's tables share one budget
   (cv_mem_set_limit). A growth past it fails (Lua then collects garbage, retries once and
   raises "not enough memory"); a shrink never fails, as Lua requires. */
void *engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        cv_free(ptr);
        return NULL;
    }
    return cv_realloc(ptr, nsize);
}

/* ---- Time ------------------------------------------------------------------------------- */

/* 1 when the engine's time is up: the watchdog raised the core's flag, or (no watchdog)
   the clock is past the deadline. */
static int time_up(cv_engine *e)
{
    return e->deadline > 0 && (cv_cancelled() || engine_now() > e->deadline);
}

/* 1 when source (a chunk name, "@lua/cv/segment.lua") is one of cvkit's own embedded
   modules (cv and cv.*). */
static int own_module(const char *source)
{
    if (source[0] != '@')
        return 0;
    for (size_t i = 0; i < cv_embedded_lua_count; i++) {
        const cv_embedded_lua *m = &cv_embedded_lua_files[i];
        if ((strcmp(m->name, "cv") == 0 || strncmp(m->name, "cv.", 3) == 0) &&
            strcmp(source + 1, m->path) == 0)
            return 1;
    }
    return 0;
}

/* Pushes "chunk:line: " of the script's line running at level or above: the first Lua
   function from level up that is not one of cvkit's own modules (so that a limit hit in
   cv.kmeans names the script's call, not lua/cv/segment.lua), else luaL_where(L, level). */
static void limit_where(lua_State *L, int level)
{
    lua_Debug ar;
    for (int l = level; lua_getstack(L, l, &ar); l++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || own_module(ar.source))
            continue;
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        return;
    }
    luaL_where(L, level);
}

/* Raises "time limit exceeded (S s)" at level (0: the running Lua function, 1: the caller
   of the running C function) and makes the hook fire at every instruction from then on,
   so that no pcall can swallow it. */
static int time_error(lua_State *L, cv_engine *e, int level)
{
    char secs[32];
    e->time_hit = 1;
    lua_sethook(L, engine_limit_hook, LUA_MASKCOUNT, 1);
    snprintf(secs, sizeof secs, "%.14g", e->timeout); /* as the watchdog and the CLI: "1 s" */
    limit_where(L, level);
    lua_pushfstring(L, "time limit exceeded (%s s)", secs);
    lua_concat(L, 2);
    return lua_error(L);
}

/* Count hook: past the deadline, raises "time limit exceeded" and from then on raises
   again at every instruction. (Lua runs no hook inside finalizers: the watchdog covers
   them.) */
void engine_limit_hook(lua_State *L, lua_Debug *ar)
{
    cv_engine *e = engine_of(L);
    (void)ar;
    if (e->time_hit || time_up(e))
        time_error(L, e, 0);
}

int engine_time_up(cv_engine *e)
{
    if (!e->time_hit && time_up(e))
        e->time_hit = 1;
    return e->time_hit;
}

void lbind_check_time(lua_State *L)
{
    cv_engine *e;
    if (!cv_cancelled())
        return;
    if ((e = engine_of(L)) != NULL && (e->time_hit || time_up(e)))
        time_error(L, e, 1);
}

int lbind_limit_error(lua_State *L, const cv_error *err, cv_error *out)
{
    cv_engine *e = engine_of(L);
    const char *where;
    if (!e || (err->code != CV_ERR_LIMIT && err->code != CV_ERR_NOMEM))
        return 0;
    if (err->code == CV_ERR_LIMIT && (e->time_hit || time_up(e)))
        time_error(L, e, 1); /* the core was cancelled by the time limit */
    if (err->code != CV_ERR_NOMEM || !e->mem_limit)
        return 0;
    where = (limit_where(L, 1), lua_tostring(L, -1));
    cv_error_set(out, CV_ERR_LIMIT, "%smemory limit exceeded (%zu bytes)", where ? where : "",
                 e->mem_limit);
    lua_pop(L, 1); /* pop where */
    return 1;
}

/* The exit code and message of a failed run when a limit caused it: rewrites the kept
   message so that it names the limit. Only the error that ended the run decides (a memory
   error caught earlier by the script does not). Returns code unchanged otherwise. */
int engine_limit_code(cv_engine *e, int status, int code)
{
    char head[96];
    const char *msg = e->errmsg ? e->errmsg : "";
    if (e->time_hit) {
        snprintf(head, sizeof head, "time limit exceeded (%.14g s)", e->timeout);
    } else if (e->mem_limit && (status == LUA_ERRMEM || code == CV_ERR_NOMEM ||
                                strstr(msg, "memory limit exceeded") ||
                                strstr(msg, "not enough memory") || strstr(msg, "out of memory"))) {
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

/* ---- The watchdog ------------------------------------------------------------------------ */

/* Ends the process from the watchdog: the message, the guarded temporary files removed,
   exit 9. Only async-signal-safe calls (the main thread may hold any lock). */
static void watchdog_kill(cv_engine *e)
{
    ssize_t n;
    engine_progress_erase_async(e); /* the message on a line of its own */
    n = write(2, e->wd_msg, strlen(e->wd_msg));
    (void)n;
    cv_guard_cleanup();
    _exit(CV_ERR_LIMIT);
}

/* Waits on the watchdog's condition until the monotonic time until (0: no end). */
static void watchdog_wait(cv_engine *e, double until)
{
    struct timespec ts;
    if (until <= 0) {
        pthread_cond_wait(&e->wd_cond, &e->wd_mutex);
        return;
    }
    ts.tv_sec = (time_t)until;
    ts.tv_nsec = (long)((until - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&e->wd_cond, &e->wd_mutex, &ts);
}

/* The watchdog thread: at the deadline it raises the core's cancellation flag (long core
   loops stop, the count hook raises); when the engine is still busy (running Lua or
   closing its state) ENGINE_GRACE seconds after it raised the flag, or after the start of
   a run begun past that, it ends the process (watchdog_kill). The grace counts from when
   the flag was raised, not from the deadline: a watchdog thread woken late (a loaded
   machine, valgrind's one-thread-at-a-time scheduler) still gives the script its grace.
   Idle engines (a REPL waiting for a line) are left alone. */
static void *watchdog(void *arg)
{
    cv_engine *e = arg;
    int fired = 0;
    double fired_at = 0;
    pthread_mutex_lock(&e->wd_mutex);
    while (!e->wd_stop) {
        double now = engine_now(), until = 0;
        if (!fired) {
            if (now >= e->deadline) {
                cv_cancel_set();
                fired = 1;
                fired_at = now;
                continue;
            }
            until = e->deadline;
        } else if (e->busy) {
            double from = e->busy_since > fired_at ? e->busy_since : fired_at;
            if (now >= from + ENGINE_GRACE)
                watchdog_kill(e);
            until = from + ENGINE_GRACE;
        }
        watchdog_wait(e, until);
    }
    pthread_mutex_unlock(&e->wd_mutex);
    return NULL;
}

int engine_watchdog_start(cv_engine *e)
{
    pthread_condattr_t ca;
    if (e->deadline <= 0 || e->wd_on)
        return 0;
    snprintf(e->wd_msg, sizeof e->wd_msg, "cvkit: time limit exceeded (%.14g s)\n", e->timeout);
    if (pthread_condattr_init(&ca) != 0)
        return -1;
    if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&e->wd_cond, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        return -1;
    }
    pthread_condattr_destroy(&ca);
    if (pthread_mutex_init(&e->wd_mutex, NULL) != 0) {
        pthread_cond_destroy(&e->wd_cond);
        return -1;
    }
    if (pthread_create(&e->wd_thread, NULL, watchdog, e) != 0) {
        pthread_mutex_destroy(&e->wd_mutex);
        pthread_cond_destroy(&e->wd_cond);
        return -1;
    }
    e->wd_on = 1;
    return 0;
}

void engine_watchdog_stop(cv_engine *e)
{
    if (!e->wd_on)
        return;
    pthread_mutex_lock(&e->wd_mutex);
    e->wd_stop = 1;
    pthread_cond_signal(&e->wd_cond);
    pthread_mutex_unlock(&e->wd_mutex);
    pthread_join(e->wd_thread, NULL);
    pthread_mutex_destroy(&e->wd_mutex);
    pthread_cond_destroy(&e->wd_cond);
    e->wd_on = 0;
}

void engine_busy(cv_engine *e, int on)
{
    if (!e->wd_on) {
        e->busy += on ? 1 : -1;
        return;
    }
    pthread_mutex_lock(&e->wd_mutex);
    if (on && e->busy++ == 0)
        e->busy_since = engine_now();
    else if (!on)
        e->busy--;
    pthread_cond_signal(&e->wd_cond);
    pthread_mutex_unlock(&e->wd_mutex);
}
