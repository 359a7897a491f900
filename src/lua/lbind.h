/* cvkit bindings: the helpers every binding file uses (table handles, options tables, raising
   core errors); the engine itself is declared in engine.h. Bindings are thin: check
   arguments, one core call, push results. */
#ifndef CVKIT_LBIND_H
#define CVKIT_LBIND_H

#include <lauxlib.h>
#include <lua.h>

#include "cvkit/csv.h"
#include "cvkit/error.h"
#include "cvkit/optim.h"
#include "cvkit/table.h"
#include "engine.h"

#define CV_TABLE_MT "cv.Table"
#define CV_COLUMN_MT "cv.Column"

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
   The arguments are then 1..LBIND_NARGS (absent ones read as nil), followed by two slots of
   the frame, then the pins and whatever the binding pushes. What is above the arguments
   when the frame is set up (more arguments, or values the binding pushed first, such as a
   scratch array) moves up two slots and stays alive, in its order: a binding refers to
   such values from the top (-1, -2), not by absolute index, and counts variable arguments
   before the first check. */

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
   not NULL; when len is NULL the text is read as a C string, so one holding a NUL byte
   raises (lbind_checkstring). The frame must be set up. */
const char *lbind_anchor(lua_State *L, int idx, size_t *len);
/* luaL_checkstring and luaL_optstring for a name, a path or an option: the same, but a
   text holding a NUL byte (which C would read cut there) raises a usage error, "'a.csv' is
   followed by a NUL character (\0): ...". lbind_anchor checks the same when len is NULL. */
const char *lbind_checkstring(lua_State *L, int arg);
const char *lbind_optstring(lua_State *L, int arg, const char *def);
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
/* Pushes a core message (cv_error's msg) in the user's language and returns it: the
   catalogue's translation (cv.i18n.message: the core's English texts are looked up as
   patterns, values kept), or msg itself when there is none or anything fails. */
const char *lbind_push_message(lua_State *L, const char *msg);
/* Raises the message on top of the stack as a Lua error carrying exit code `code`, with the
   passwords of connection strings in it hidden (lbind_redact_top). */
int lbind_raise(lua_State *L, int code);
/* Replaces a string on top of the stack by itself with the passwords of the connection
   strings it shows hidden behind "***" (cv_redact_message); leaves it as it is (no
   allocation) when it has no '@' and no '='. May raise a memory error. */
void lbind_redact_top(lua_State *L);
/* Pushes "file:line: " of the innermost line of the user's code running (the first frame,
   from the caller up, that is neither C nor one of cvkit's own Lua modules), or "" (also
   when that line is in a bundled model script, models/NAME.lua: a diagnosed error of
   `cvkit clv` or `cvkit run clv_bgnbd` is the message alone). */
void lbind_where_user(lua_State *L);
/* When the string at idx starts with the position of a line of cvkit's own Lua modules
   ("lua/cv/fit.lua:125: ", an error a binding raised for a call cvkit's Lua made),
   replaces that position with the user's (lbind_where_user); else leaves it. The engine's
   message handler calls it, so that every error points at the user's script line. */
void lbind_blame_user(lua_State *L, int idx);
/* Replaces pcall and xpcall of the global table with ones whose message handler calls
   lbind_blame_user first: an error a script catches points at its own line too, as the
   engine's handler does for one it does not catch (src/lua/l_opts.c). */
void lbind_open_pcall(lua_State *L);
/* The cv error code carried by the error message at idx: the code of the last core error
   raised when the message is (or ends with) its text, else CV_ERR_USAGE for Lua's "bad
   argument #n to 'f'" (luaL_argerror: a bad argument is a usage error), else
   CV_ERR_SCRIPT. */
int lbind_error_code(lua_State *L, int idx);

/* Reads the options of cv.summary (customer, date, amount, cost, margin: a column or a
   rate, unit, calibration_end, observation_end, merge_same_day, skip_missing,
   allow_negative) from the table at idx into *o, raising naming fname for a bad one: one
   reader for cv.summary, cv.summary_csv and cv.summary_sql (src/lua/l_summary.c). */
struct cv_summary_options;
void lbind_summary_options(lua_State *L, int idx, const char *fname, struct cv_summary_options *o);
/* Pushes the report of a summary made with options o as a Lua table (rows, customers,
   excluded_late, ..., dates as "YYYY-MM-DD", holdout_length with an observation end, unit):
   one form for cv.summary, cv.summary_csv and conn:summary (src/lua/l_summary.c). */
struct cv_summary_report;
void lbind_summary_report(lua_State *L, const struct cv_summary_report *r,
                          const struct cv_summary_options *o);

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
/* The whole number opts[field] (an integer, or a float with an integral value) when it lies
   in lo..hi, def when absent; anything else raises "cv.fname: bad option 'field' (a whole
   number expected, got 1e+308)" or "(1 to 1000 expected, got 5000)" before any conversion
   (no float cast out of range: NaN, inf, 1e308, 2^63 are refused). */
lua_Integer lbind_opt_integer(lua_State *L, int idx, const char *field, const char *fname,
                              lua_Integer def, lua_Integer lo, lua_Integer hi);
/* luaL_checkinteger that also raises "bad argument #arg (lo to hi expected, got v)" unless
   the value lies in lo..hi (so that a cast to int never truncates). */
lua_Integer lbind_checkrange(lua_State *L, int arg, lua_Integer lo, lua_Integer hi);
/* The index in lst (NULL-terminated) of the string opts[field], def when absent; any other
   string raises "cv.fname: bad option 'field' (invalid option 'x')". */
int lbind_opt_option(lua_State *L, int idx, const char *field, const char *fname, int def,
                     const char *const lst[]);
/* Raises "file:line: cv.fname: bad option 'field' (why)" at the user's line, exit code
   CV_ERR_USAGE. */
int lbind_opt_error(lua_State *L, const char *field, const char *fname, const char *why);

/* Reads a fit without covariates at idx ({model =, params = {...}, cov_log = {...} or nil,
   data = Table or nil, cols = {x =, t_x =, T =, m =, weight =}}, as cv.core.intervals.run
   takes it; a design refused) into f, p (CV_INTERVAL_MAXP) and cov (its square) holding its
   numbers; data stays pinned until the binding returns (l_intervals.c). */
struct cv_iv_fit;
void lbind_iv_fit(lua_State *L, int idx, struct cv_iv_fit *f, double *p, double *cov);

/* Reads the options of cv.read_csv (header, delim, names, types, date_order, na,
   encoding, skip_bad_rows, bad_as_missing, decimal_comma, threads) from the options table
   at idx into o; other fields are ignored, so a function can take them beside its own.
   May push scratch arrays (keep them until the core call returns); raises "cv.fname: bad
   option 'delim' (...)" (lbind_opt_error). */
void lbind_csv_options(lua_State *L, int idx, const char *fname, cv_csv_options *o);

/* Raises "cannot write 'path': outside the output folder 'out' (sandbox)" (exit code
   CV_ERR_SCRIPT) when the engine running L is sandboxed and the file path would not be
   made inside its output folder: path must lie inside it (symbolic links resolved, ".."
   refused), and so must the folder path names (where the temporary file is made and
   renamed over path: a symbolic link outside that points in, or the output folder itself,
   is refused); its last part must not be empty, "." or "..". Returns otherwise. Every
   binding that creates or writes a file calls it first. */
void lbind_check_output(lua_State *L, const char *path);
/* The same for a folder to create (cv.mkdir): path inside the output folder, or that folder
   itself. */
void lbind_check_output_folder(lua_State *L, const char *path);
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
/* Raises "script.lua:12: time limit exceeded (S s)" when the engine running L is past its
   time limit (the watchdog raised the core's cancellation flag); else does nothing (one
   atomic load). lbind_pin calls it, so that every binding taking a handle stops there: a
   script loop of quick calls runs too few VM instructions for the count hook. (limits.c) */
void lbind_check_time(lua_State *L);

/* Memory owned by Lua (a userdata pushed on the stack, freed by the collector): for
   arrays a binding needs only during the call, so that a raised error leaks nothing. */
void *lbind_scratch(lua_State *L, size_t size);

/* Set field of the table on top of the stack to a number, an integer or a boolean. */
void lbind_setnumber(lua_State *L, const char *field, double v);
void lbind_setinteger(lua_State *L, const char *field, lua_Integer v);
void lbind_setboolean(lua_State *L, const char *field, int v);
/* field = {v[1], ..., v[n]}: non-finite values left out (nil: a standard error that could
   not be computed is missing, not NaN). */
void lbind_setarray(lua_State *L, const char *field, const double *v, int n);
/* A fit's state: status (cv_fit_status_name), boundary = {the names[i] whose bit i is set
   in boundary, in order}, se_ok. */
void lbind_setfitstate(lua_State *L, int status, unsigned boundary, const char *const *names,
                       int n, int se_ok);
/* An optimizer's end: message, method ("bfgs" when none is named), iterations, evaluations,
   grad_norm (left out when not finite). */
void lbind_setoptim(lua_State *L, const cv_optim_result *o);

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
