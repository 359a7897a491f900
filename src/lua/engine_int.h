/* cvkit engine internals shared by engine.c (the state, running scripts), limits.c (the
   memory cap and the time limit) and sandbox.c (what a sandboxed script may reach). */
#ifndef CVKIT_ENGINE_INT_H
#define CVKIT_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "lbind.h"

/* The progress line of a terminal (progress.c). */
#define PROGRESS_NTEXT 9
typedef struct engine_progress {
    int on;                    /* drawing: the progress option, and the texts are loaded */
    char text[PROGRESS_NTEXT][48]; /* the catalogue's words, copied at the start */
    double after;              /* seconds a step runs before its line shows */
    int width;                 /* the terminal's columns */
    double since, rate_since;  /* when the outermost and the innermost step began */
    double drawn;              /* when the line was last drawn */
    atomic_int shown;          /* 1: a line is on the screen (the watchdog reads it) */
} engine_progress;

struct cv_engine {
    lua_State *L;
    char *errmsg; /* message and traceback of the last failure, malloc'd */
    int errcode;  /* its exit code, set by the message handler */
    int progress;
    engine_progress prog;
    char lang[32];
    const char *version;
    size_t mem_limit;     /* 0: none; else the core's budget (Lua's heap counts into it) */
    size_t mem_old_limit; /* the budget's limit before this engine set it */
    double deadline;      /* CLOCK_MONOTONIC seconds; 0: none */
    double timeout;
    int time_hit; /* sticky: the hook raises at every instruction from then on */
    /* the watchdog (limits.c): a thread from the end of cv_engine_new to cv_engine_free */
    int wd_on, wd_stop; /* started; asked to stop (under wd_mutex) */
    int busy;           /* runs of Lua (docall, lua_close) under way (under wd_mutex) */
    double busy_since;  /* when the outermost one began (under wd_mutex) */
    pthread_t wd_thread;
    pthread_mutex_t wd_mutex;
    pthread_cond_t wd_cond; /* CLOCK_MONOTONIC */
    char wd_msg[80];        /* "cvkit: time limit exceeded (S s)\n" */
    int sandbox;
    int sandbox_env;   /* the sandbox's _ENV is built: scripts get it */
    char *out_dir;     /* sandbox: the output folder, resolved (realpath), malloc'd */
    char **read_roots; /* sandbox: the other folders and files it may read, resolved */
    int nread_roots;
};

/* How many VM instructions between two looks at the clock. */
#define HOOK_COUNT 1000
/* Seconds the watchdog lets a busy engine run past its deadline before it ends the
   process (what the cancellation flag and the hook cannot stop: one long string.find, an
   endless loop in a finalizer). */
#define ENGINE_GRACE 2.0

/* The engine of L (any of its threads: the extra space is copied into new threads). */
static inline cv_engine *engine_of(lua_State *L)
{
    return *(cv_engine **)lua_getextraspace(L);
}

/* limits.c */
/* CLOCK_MONOTONIC seconds. */
double engine_now(void);
/* lua_Alloc counting Lua's bytes against e->mem_limit (ud is the engine). */
void *engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* The count hook: the time limit. */
void engine_limit_hook(lua_State *L, lua_Debug *ar);
/* 1 when the time limit was hit (sticky) or the deadline has passed (it is then hit). */
int engine_time_up(cv_engine *e);
/* The watchdog thread of an engine with a deadline: start (0, or -1 when no thread could be
   made: the hook alone then enforces the limit), stop and join (idempotent). */
int engine_watchdog_start(cv_engine *e);
void engine_watchdog_stop(cv_engine *e);
/* Marks the start (on = 1) and end (on = 0) of a run of Lua code: docall, lua_close. The
   watchdog ends the process only while one is under way. */
void engine_busy(cv_engine *e, int on);
/* The exit code of a failed run when a limit caused it (the kept message rewritten to
   name the limit); code unchanged otherwise. */
int engine_limit_code(cv_engine *e, int status, int code);

/* progress.c */
/* Loads the line's texts from the catalogue (cv loaded) and turns the line on. */
void engine_progress_init(cv_engine *e);
/* Around a run of Lua (docall): listens to the core's steps on this thread; stops
   listening and erases a line left on the screen (a step that failed). */
void engine_progress_start(cv_engine *e);
void engine_progress_stop(cv_engine *e);
/* Erases the line from another thread (the watchdog, before its message):
   async-signal-safe. */
void engine_progress_erase_async(cv_engine *e);

/* sandbox.c */
/* Opens what a sandboxed state has (protected, instead of luaL_openlibs): base without
   dofile and loadfile and with a text-only load, string without dump, table, math, utf8,
   coroutine, os with clock, time and date only, and a require over the sandbox's
   allow-list of embedded modules. No io, debug or package. */
int engine_sandbox_open(lua_State *L);
/* Builds the script's own global table (protected: called through docall, once `cv` is
   loaded) and protects the string metatable. */
int engine_sandbox_setup(lua_State *L);
/* Gives the chunk on top of the stack the sandbox's _ENV when the engine is sandboxed. */
void engine_sandbox_chunk(cv_engine *e);
/* Pops the value on top of the stack into the script's global name (the sandbox's
   global table when it is built, else the state's). */
void engine_sandbox_setglobal(cv_engine *e, const char *name);
/* Adds path (an existing file or folder, resolved with realpath) to what the sandbox may
   read; a path that does not exist is ignored. 0, or -1 when out of memory. */
int engine_sandbox_allow_read(cv_engine *e, const char *path);
/* The same for the folder file is named in (resolved; a symbolic link file itself is not
   followed to its target's folder). */
int engine_sandbox_allow_folder_of(cv_engine *e, const char *file);
/* Frees the read list. */
void engine_sandbox_free(cv_engine *e);

#endif
