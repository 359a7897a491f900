/* cvkit engine: one lua_State running scripts with the cv modules, as the program (src/cli),
   the tests and an embedding host use it. The bindings' own helpers are in lbind.h. */
#ifndef CVKIT_ENGINE_H
#define CVKIT_ENGINE_H

#include <stddef.h>

#include <lua.h>

#include "cvkit/error.h"

/* ---- The engine ----------------------------------------------------------------------- */

typedef struct cv_engine cv_engine;

typedef struct cv_engine_options {
    const char *lang;          /* cv.lang; NULL: $CVKIT_LANG, else "en" */
    const char *const *params; /* "name=value" assignments (--set), into cv.params */
    int nparams;
    int sandbox;         /* 1: run scripts in the sandbox (docs/safety.md): a state without
                            io, debug, package, os beyond time/clock/date; load text-only;
                            require over an allow-list of embedded modules; the script's
                            own globals; reads only in its folder, the paths its arguments
                            name, allow_read and out_dir; writes only inside out_dir; no
                            databases; implies the default limits below */
    int progress;        /* 1: the core's long steps (read, summary, fit, predictions,
                            writing) draw a progress line on stderr, a terminal (the
                            caller checks), once they have run a second (src/lua/progress.c;
                            CVKIT_PROGRESS_AFTER=S changes the second) */
    int quiet;           /* 1: no progress line whatever progress says (--quiet) */
    const char *version; /* cv.version; NULL: "unknown" */
    size_t max_memory;   /* bytes the run may hold: Lua's heap and the core's allocations
                            together (one process-wide budget, include/cvkit/mem.h);
                            0: none (sandbox: CV_SANDBOX_MAX_MEMORY) */
    double timeout;      /* seconds of wall time from the end of cv_engine_new; 0: none
                            (sandbox: CV_SANDBOX_TIMEOUT). Enforced by a count hook, the
                            core's cancellation flag (include/cvkit/cancel.h: one timed
                            engine per process) and a watchdog thread that ends the
                            process, exit 9, ENGINE_GRACE seconds past it */
    const char *out_dir; /* sandbox: the output folder (created when missing); NULL: "out" */
    const char *const *allow_read; /* sandbox: more folders (or files) scripts may read */
    int nallow_read;
} cv_engine_options;

#define CV_SANDBOX_MAX_MEMORY ((size_t)1 << 30) /* 1 GiB */
#define CV_SANDBOX_TIMEOUT 600.0                /* 10 minutes */

/* A new engine: a Lua state with the standard libraries, the embedded Lua modules and the
   C modules in package.preload, $CVKIT_LUA_PATH honoured, cv.params filled from
   opt->params (numbers converted), and the global `cv` set to require "cv".
   opt may be NULL. Returns NULL with err set (CV_ERR_USAGE for a bad assignment,
   CV_ERR_NOMEM, CV_ERR_SCRIPT when the cv module fails to load). Free with
   cv_engine_free. */
cv_engine *cv_engine_new(const cv_engine_options *opt, cv_error *err);
void cv_engine_free(cv_engine *e);
/* The engine's Lua state (owned by the engine; for the CLI and tests). */
lua_State *cv_engine_lua(cv_engine *e);
/* Around a protected call of the engine's state that the program makes itself (the
   REPL's statements): on = 1 before, the progress line (cv_engine_options.progress)
   listens to the core's steps; on = 0 after, it stops and a line left is erased. */
void cv_engine_progress(lua_State *L, int on);
/* For a signal handler (async-signal-safe: one write, no lock): when a progress line is on
   the terminal, ends it with a newline, so that what follows (the shell's prompt after a
   Ctrl-C) starts on a line of its own. */
void cv_engine_progress_interrupted(void);

/* Sets cv.params[name] from "name=value" (value converted to a number when it reads as
   one). 0, or CV_ERR_USAGE with err set: "bad --set 'x' (expected name=value)". */
int cv_engine_set_param(cv_engine *e, const char *assignment, cv_error *err);

/* Runs the script at path (text only, chunk name "@path") with the global `arg` set as
   lua.c does (arg[0] = path, arg[1..argc] = argv) and argv also passed as `...`.
   Every call is protected with a traceback handler. Returns 0, or an exit code:
   CV_ERR_IO when the script cannot be read, the core's code when the error was raised
   from a core error (a missing CSV: CV_ERR_IO, bad CSV: CV_ERR_PARSE, ...), else
   CV_ERR_SCRIPT; the message with its traceback is then cv_engine_error(e). The Lua
   stack is left as it was. */
int cv_engine_run_file(cv_engine *e, const char *path, int argc, char *const *argv);
/* Runs code (text only) under chunk name name ("=snippet" or "@file.lua"); as above. */
int cv_engine_run_string(cv_engine *e, const char *name, const char *code);
/* The message (with traceback) of the last failed run, or "" if none. Owned by e. */
const char *cv_engine_error(const cv_engine *e);

/* Limits: a run that goes past the time limit fails with CV_ERR_LIMIT and "time limit
   exceeded (N s)" whatever pcall in the script does (the hook raises again at every
   instruction), and the engine then refuses further runs; a run that fails on the memory
   limit fails with CV_ERR_LIMIT and "memory limit exceeded (N bytes)" (a script may catch
   that one with pcall, free memory and go on). */

#endif
