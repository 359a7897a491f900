/* cvkit bindings: the engine (one lua_State running scripts with the cv modules) and the
   helpers every binding file uses (table handles, options tables, raising core errors).
   Bindings are thin: check arguments, one core call, push results. */
#ifndef CVKIT_LBIND_H
#define CVKIT_LBIND_H

#include <lauxlib.h>
#include <lua.h>

#include "cvkit/csv.h"
#include "cvkit/error.h"
#include "cvkit/table.h"

#define CV_TABLE_MT "cv.Table"
#define CV_COLUMN_MT "cv.Column"

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

/* ---- Lifetime-safe bindings (docs/safety.md) ----------------------------------------------

   Whatever Lua code runs while a binding works (a per-row callback, a metamethod, a __gc
   finalizer started by any allocation, collectgarbage), what the binding uses stays alive:

   - A handle (cv.Table, cv.Column, cv.Connection, ...) is a userdata holding one pointer
     to its core object (NULL once closed) and, as user value 1, a private pin counter.
     lbind_checktable and the other checks raise on a closed handle, else pin it: the pin
     is a to-be-closed stack slot, dropped when the binding returns or raises. Closing a
     pinned handle (t:close(), __gc, __close) marks it closed at once; the object itself is
     released when the last pin goes.
   - Strings read from argument tables are anchored (lbind_anchor) until the binding
     returns, so that a callback emptying the table frees nothing the core still reads.
   - Argument tables are read raw (lua_rawlen, lua_rawgeti, lbind_rawfield): no metamethod
     runs while a binding reads its arguments.

   The binding frame: the first helper that pins, anchors or reads an option sets it up.
   The arguments are then 1..LBIND_NARGS (absent ones read as nil; more are dropped),
   followed by two slots of the frame, then the pins and whatever the binding pushes.
   So a binding checks its handles and reads its options before it pushes values of its
   own (or calls lbind_frame first), and counts variable arguments before the first check. */

#define LBIND_NARGS 12

/* Sets up the frame of the running binding (once; later calls do nothing). */
void lbind_frame(lua_State *L);

/* Releases a handle's object (a core reference, a connection). */
typedef void (*lbind_release_fn)(void *obj);

/* Pushes a new handle: a userdata of size bytes (zeroed: its slot is NULL), with metatable
   mt (which must exist) and nuv user values of its own at 2..nuv + 1 (1 is the counter's).
   Store the object in the slot once made (create the userdata first, then acquire:
   nothing leaks on error). */
void *lbind_newhandle(lua_State *L, size_t size, const char *mt, int nuv);
/* Pins the handle at idx until the running binding returns; sets up the frame and pushes
   the pin. The first pin of a handle allocates its counter, which may run a finalizer:
   check that the handle is open after the pin, and use the object read then. */
void lbind_pin(lua_State *L, int idx);
/* Closes a handle whose slot the caller has just set to NULL: releases obj now, or when
   the last binding that pinned the handle at idx returns. NULL obj: already closed. */
void lbind_close(lua_State *L, int idx, void *obj, lbind_release_fn release);

/* The string (or number, converted in place) at idx, kept alive until the running binding
   returns whatever happens to the table it came from; NULL when it is neither. *len if
   not NULL. The frame must be set up. */
const char *lbind_anchor(lua_State *L, int idx, size_t *len);
/* Pushes t[key] of the table at idx without metamethods (nil when idx is no table);
   returns its type. */
int lbind_rawfield(lua_State *L, int idx, const char *key);

/* ---- Helpers for binding files -------------------------------------------------------- */

/* Pushes a new, still empty cv.Table userdata and returns its slot: store the table made
   by the core there (create the userdata first, then acquire: nothing leaks on error). */
cv_table **lbind_newtable(lua_State *L);
/* luaL_newmetatable, and the new metatable protected: __metatable = name, so that
   getmetatable(x) gives the type name and no script can reach or change the metamethods
   (call __gc itself, replace __index). Every cvkit userdata metatable is made with it. */
int lbind_newmetatable(lua_State *L, const char *name);
/* The table of the cv.Table at idx, pinned until the binding returns (see above); raises
   "attempt to use a closed table" when it is closed. */
cv_table *lbind_checktable(lua_State *L, int idx);
/* Closes the cv.Table at idx (t:close(), __gc, __close; idempotent): its table is freed
   now, or when the last binding using it returns. */
void lbind_closetable(lua_State *L, int idx);

/* Raises err's message as a Lua error (a string, no position added) after recording
   err's code so that the engine can exit with it; a failure caused by a limit is raised as
   that limit (lbind_limit_error). Free C resources before calling. */
int lbind_error(lua_State *L, const cv_error *err);
/* Raises the message on top of the stack as a Lua error carrying exit code `code`. */
int lbind_raise(lua_State *L, int code);
/* Pushes "file:line: " of the innermost line of the user's code running (the first frame,
   from the caller up, that is neither C nor one of cvkit's own Lua modules), or "". */
void lbind_where_user(lua_State *L);
/* When the string at idx starts with the position of a line of cvkit's own Lua modules
   ("lua/cv/fit.lua:125: ", an error a binding raised for a call cvkit's Lua made),
   replaces that position with the user's (lbind_where_user); else leaves it. The engine's
   message handler calls it, so that every error points at the user's script line. */
void lbind_blame_user(lua_State *L, int idx);
/* The cv error code carried by the error message at idx: the code of the last core error
   raised when the message is (or ends with) its text, else CV_ERR_USAGE for Lua's "bad
   argument #n to 'f'" (luaL_argerror: a bad argument is a usage error), else
   CV_ERR_SCRIPT. */
int lbind_error_code(lua_State *L, int idx);

/* Options tables, read raw (they set up the frame; strings are anchored). lbind_opt_field
   pushes opts[field] (opts at idx, which may be none or nil) and returns 1 when it is
   present and of Lua type `type`; when absent, pushes
   nothing and returns 0; any other type raises "bad option 'header' to 'read_csv'
   (boolean expected, got string)". The typed helpers pop it and return a default. */
int lbind_opt_field(lua_State *L, int idx, const char *field, int type, const char *fname);
int lbind_opt_boolean(lua_State *L, int idx, const char *field, const char *fname, int def);
const char *lbind_opt_string(lua_State *L, int idx, const char *field, const char *fname,
                             const char *def);
lua_Number lbind_opt_number(lua_State *L, int idx, const char *field, const char *fname,
                            lua_Number def);
/* Raises "file:line: cv.fname: bad option 'field' (why)" at the user's line, exit code
   CV_ERR_USAGE. */
int lbind_opt_error(lua_State *L, const char *field, const char *fname, const char *why);

/* Reads the options of cv.read_csv (header, delim, names, types, date_order, na,
   encoding, skip_bad_rows, bad_as_missing, decimal_comma, threads) from the options table
   at idx into o; other fields are ignored, so a function can take them beside its own.
   May push scratch arrays (keep them until the core call returns); raises "bad option
   'delim' to 'f' (...)" with f the running function's name. */
void lbind_csv_options(lua_State *L, int idx, cv_csv_options *o);

/* Raises "cannot write 'path': outside the output folder 'out' (sandbox)" (exit code
   CV_ERR_SCRIPT) when the engine running L is sandboxed and path does not lie inside its
   output folder (symbolic links resolved, ".." refused); returns otherwise. Every binding
   that creates or writes a file calls it first. */
void lbind_check_output(lua_State *L, const char *path);
/* Raises "cannot read 'path': outside the folders this sandbox may read ('/a', ...)
   (sandbox)" (exit code CV_ERR_SCRIPT) when the engine running L is sandboxed and path
   lies neither inside the folders it may read (the script's folder, the files and
   folders named by its arguments, --allow-read, the output folder) nor is one of those
   files (symbolic links resolved, ".." refused); returns otherwise. Every binding that
   opens a file for reading calls it first. */
void lbind_check_input(lua_State *L, const char *path);
/* Raises "'what' is not available in the sandbox" when the engine running L is
   sandboxed (databases: files and sockets the read and write rules cannot follow). */
void lbind_check_sandbox(lua_State *L, const char *what);
/* When err is a core failure caused by a limit of the engine running L, either raises
   "script.lua:12: time limit exceeded (S s)" (err is CV_ERR_LIMIT: the core was cancelled
   at the deadline) or fills out with "script.lua:12: memory limit exceeded (N bytes)" and
   CV_ERR_LIMIT (err is CV_ERR_NOMEM under a memory limit) and returns 1; else returns 0.
   lbind_error calls it, so bindings need nothing more. (limits.c) */
int lbind_limit_error(lua_State *L, const cv_error *err, cv_error *out);

/* Memory owned by Lua (a userdata pushed on the stack, freed by the collector): for
   arrays a binding needs only during the call, so that a raised error leaks nothing. */
void *lbind_scratch(lua_State *L, size_t size);

/* Set field of the table on top of the stack to a number, an integer or a boolean. */
void lbind_setnumber(lua_State *L, const char *field, double v);
void lbind_setinteger(lua_State *L, const char *field, lua_Integer v);
void lbind_setboolean(lua_State *L, const char *field, int v);

/* Pushes value i of c as a Lua value: integer, number, string, boolean; a date as
   "YYYY-MM-DD", a datetime as "YYYY-MM-DD HH:MM:SS"; nil when missing. */
void lbind_pushvalue(lua_State *L, const cv_column *c, int64_t i);
/* Pushes row i of t as a Lua table keyed by column name. */
void lbind_pushrow(lua_State *L, const cv_table *t, int64_t i);
/* A new column named name from the Lua array at idx, elements 1..n read raw (nil = missing).
   type < 0 infers it (integers: int; any float: float; strings: string; booleans: bool;
   all nil: float); a given type converts ("date" reads ISO date strings). NULL with err
   set on mixed or unconvertible values: "column 'x', value 3: expected a number, got
   string". */
cv_column *lbind_tocolumn(lua_State *L, int idx, const char *name, int64_t n, int type,
                          cv_error *err);

/* ---- Modules -------------------------------------------------------------------------- */

/* The C modules, each "CV_MODULE(name, luaopen_function)" in src/lua/modules.h. */
#define CV_MODULE(name, fn) int fn(lua_State *L);
#include "modules.h"
#undef CV_MODULE

typedef struct cv_lua_module {
    const char *name;
    lua_CFunction open;
} cv_lua_module;
extern const cv_lua_module cv_lua_modules[];

#endif
