/* cvkit engine: one lua_State with the standard libraries, the embedded Lua modules and
   the C modules preloaded; runs scripts under one protected call with a traceback
   (lua.c's msghandler and docall). The limits are in limits.c, the sandbox in sandbox.c.
   Also the "cv.core.engine" module (params, lang). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lualib.h>

#include "cvkit/cancel.h"
#include "cvkit/fileio.h"
#include "cvkit/mem.h"
#include "cvkit/redact.h"
#include "embedded.h"
#include "engine_int.h"

static const char engine_key = 'e'; /* registry: light userdata, the cv_engine */
static const char params_key = 'p'; /* registry: the cv.params table */

/* ---- Module loading -------------------------------------------------------------------- */

/* package.preload loader of embedded file #upvalue: loads its text under "@path" and runs
   it with the module name (inside require, which is protected by its caller). */
static int load_embedded(lua_State *L)
{
    const cv_embedded_lua *m = &cv_embedded_lua_files[lua_tointeger(L, lua_upvalueindex(1))];
    char chunk[512];
    snprintf(chunk, sizeof chunk, "@%s", m->path);
    if (luaL_loadbufferx(L, (const char *)m->bytes, m->len, chunk, "t") != LUA_OK)
        return lua_error(L);
    lua_pushstring(L, m->name);
    lua_call(L, 1, 1);
    return 1;
}

/* Searcher installed when $CVKIT_LUA_PATH (read when the engine starts, upvalue 1) names a
   directory: "cv.x" and "models.x" are read from DIR/lua/cv/x.lua (or DIR/cv/x.lua,
   DIR/.../init.lua, DIR/models/x.lua) before the embedded copies, so that developers see
   their edits without rebuilding. */
static int search_dev_path(lua_State *L)
{
    static const char *const forms[][2] = {
        {"/lua/", ".lua"}, {"/lua/", "/init.lua"}, {"/", ".lua"}, {"/", "/init.lua"}};
    const char *name = luaL_checkstring(L, 1), *dir = lua_tostring(L, lua_upvalueindex(1));
    char rel[256], path[1024];
    size_t n = strlen(name);
    int ours = (strncmp(name, "cv", 2) == 0 && (name[2] == '\0' || name[2] == '.')) ||
               strncmp(name, "models.", 7) == 0;
    if (!dir || !*dir || n >= sizeof rel || !ours)
        return 0;
    for (size_t i = 0; i <= n; i++)
        rel[i] = name[i] == '.' ? '/' : name[i];
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        FILE *f;
        snprintf(path, sizeof path, "%s%s%s%s", dir, forms[k][0], rel, forms[k][1]);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        fclose(f);
        if (luaL_loadfilex(L, path, "t") != LUA_OK)
            return lua_error(L);
        lua_pushstring(L, path);
        return 2; /* loader and its file name */
    }
    lua_pushfstring(L, "no file for '%s' under CVKIT_LUA_PATH %s", name, dir);
    return 1;
}

/* Fills package.preload with the C modules and the embedded Lua files, and puts the
   CVKIT_LUA_PATH searcher first in package.searchers when that variable is set. */
static int open_modules(lua_State *L)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    for (const cv_lua_module *m = cv_lua_modules; m->name; m++) {
        lua_pushcfunction(L, m->open);
        lua_setfield(L, -2, m->name);
    }
    for (size_t i = 0; i < cv_embedded_lua_count; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_pushcclosure(L, load_embedded, 1);
        lua_setfield(L, -2, cv_embedded_lua_files[i].name);
    }
    lua_pop(L, 1); /* pop preload */
    if (!getenv("CVKIT_LUA_PATH") || !*getenv("CVKIT_LUA_PATH"))
        return 0;
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "searchers");
    for (lua_Integer i = (lua_Integer)luaL_len(L, -1); i >= 1; i--) {
        lua_geti(L, -1, i);
        lua_seti(L, -2, i + 1); /* shift searchers up by one */
    }
    lua_pushstring(L, getenv("CVKIT_LUA_PATH"));
    lua_pushcclosure(L, search_dev_path, 1);
    lua_pushvalue(L, -1);
    lua_seti(L, -3, 1);
    lua_newtable(L); /* package.cvkit_dev_searcher = {[searcher] = true} (for the sandbox) */
    lua_insert(L, -2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_setfield(L, -3, "cvkit_dev_searcher");
    lua_pop(L, 2); /* pop searchers, package */
    return 0;
}

/* ---- Protected calls ------------------------------------------------------------------ */

/* 1 when msg starts with a position, "name:12: " or "name:12:3: " (a script's line or a
   data file's place). */
static int has_position(const char *msg)
{
    const char *p = strchr(msg, ':');
    size_t n = p ? (size_t)(p - msg) : 0;
    if (n == 0 || memchr(msg, ' ', n) || memchr(msg, '\n', n))
        return 0;
    return p[1] >= '0' && p[1] <= '9';
}

/* Message handler (lua.c): turns the error into a string and records its exit code in the
   engine. An error cvkit diagnosed (an exit code other than CV_ERR_SCRIPT: a bad option, a
   missing column, a malformed file, ...) is the message alone, at the user's script line;
   an error of the script's own code (error(), a runtime error) gets a traceback too. */
static int msghandler(lua_State *L)
{
    cv_engine *e = lua_touserdata(L, lua_upvalueindex(1));
    const char *msg = lua_tostring(L, 1);
    /* the hook stays: __close handlers run after this one, and must not outlive the limit */
    e->errcode = lbind_error_code(L, 1);
    if (msg != NULL) {
        lbind_blame_user(L, 1); /* "lua/cv/fit.lua:125: ..." -> "clv.lua:3: ..." */
        msg = lua_tostring(L, 1);
        if (e->errcode != CV_ERR_SCRIPT) {
            if (!has_position(msg) && e->errcode != CV_ERR_NOMEM && e->errcode != CV_ERR_LIMIT) {
                lbind_where_user(L); /* "no column 'b'" -> "clv.lua:3: no column 'b'" */
                lua_pushvalue(L, 1);
                lua_concat(L, 2);
                lua_replace(L, 1);
            }
            lua_settop(L, 1);
            return 1;
        }
    }
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1; /* an object with its own text: no traceback */
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Records the failure message at the top of the stack and pops it. */
static void keep_error(cv_engine *e)
{
    const char *msg = lua_tostring(e->L, -1);
    size_t len;
    free(e->errmsg);
    if (!msg)
        msg = "(no message)";
    len = cv_redact_message(msg, NULL, 0); /* a URL anywhere in it: its password hidden */
    if ((e->errmsg = malloc(len + 1)) != NULL)
        cv_redact_message(msg, e->errmsg, len + 1);
    lua_pop(e->L, 1); /* pop message */
}

/* Calls the function below its narg arguments under msghandler (lua.c's docall).
   Returns 0 or the exit code; leaves nothing on the stack. */
static int docall(cv_engine *e, int narg, int nres)
{
    lua_State *L = e->L;
    int base = lua_gettop(L) - narg, status;
    lua_pushlightuserdata(L, e);
    lua_pushcclosure(L, msghandler, 1);
    lua_insert(L, base); /* put it under the function and its arguments */
    e->errcode = CV_ERR_SCRIPT;
    if (engine_time_up(e)) { /* a run after the limit: refused */
        lua_settop(L, base - 1);
        lua_pushliteral(L, "refused: the engine went past its limit");
        keep_error(e);
        return e->errcode = engine_limit_code(e, LUA_ERRRUN, CV_ERR_LIMIT);
    }
    engine_busy(e, 1);
    engine_progress_start(e);
    status = lua_pcall(L, narg, nres, base);
    engine_progress_stop(e);
    engine_busy(e, 0);
    lua_remove(L, base); /* remove msghandler */
    if (status == LUA_OK && !e->time_hit)
        return 0;
    if (status == LUA_OK) { /* the limit was swallowed by the script and it returned */
        lua_pop(L, nres < 0 ? 0 : nres);
        lua_pushliteral(L, "");
    }
    keep_error(e);
    e->errcode = engine_limit_code(e, status, status == LUA_ERRMEM ? CV_ERR_NOMEM : e->errcode);
    return e->errcode;
}

/* ---- The engine ----------------------------------------------------------------------- */

/* Creates the state's contents (protected: lua_newstate's panics are avoided). */
static int engine_setup(lua_State *L)
{
    cv_engine *e = lua_touserdata(L, 1);
    lua_pushlightuserdata(L, e);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &engine_key);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &params_key);
    if (e->sandbox) { /* no io, debug, package: not even for cvkit's own modules */
        engine_sandbox_open(L);
        lbind_open_pcall(L); /* before the script's globals copy them */
        return 0;
    }
    luaL_openlibs(L);
    lbind_open_pcall(L);
    return open_modules(L);
}

/* Lets a sandboxed engine read what its command line names: path itself when it exists,
   else the part after its first or last '=' ("data=tx.csv", "--set=data=tx.csv").
   0, or -1 when out of memory. */
static int allow_named(cv_engine *e, const char *arg)
{
    const char *first = strchr(arg, '='), *last = strrchr(arg, '=');
    struct stat st;
    if (stat(arg, &st) == 0)
        return engine_sandbox_allow_read(e, arg);
    if (first && engine_sandbox_allow_read(e, first + 1) != 0)
        return -1;
    return last && last != first ? engine_sandbox_allow_read(e, last + 1) : 0;
}

/* The folders a sandboxed engine may read besides its output folder: opt->allow_read
   (each must exist) and the values of opt->params that name files or folders. 0, or an
   error code with err set. */
static int allow_reads(cv_engine *e, const cv_engine_options *opt, cv_error *err)
{
    for (int i = 0; i < opt->nallow_read; i++) {
        struct stat st;
        if (stat(opt->allow_read[i], &st) != 0)
            return cv_error_set(err, CV_ERR_USAGE, "--allow-read '%s': %s", opt->allow_read[i],
                                errno == ENOENT ? "no such file or folder" : "cannot be read");
        if (engine_sandbox_allow_read(e, opt->allow_read[i]) != 0)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < opt->nparams; i++)
        if (allow_named(e, opt->params[i]) != 0)
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    return 0;
}

cv_engine *cv_engine_new(const cv_engine_options *opt, cv_error *err)
{
    static const cv_engine_options none = {0};
    const char *lang;
    cv_engine *e = calloc(1, sizeof *e);
    if (!opt)
        opt = &none;
    if (!e) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    e->sandbox = opt->sandbox;
    e->mem_limit = opt->max_memory ? opt->max_memory : opt->sandbox ? CV_SANDBOX_MAX_MEMORY : 0;
    e->timeout = opt->timeout > 0 ? opt->timeout : opt->sandbox ? CV_SANDBOX_TIMEOUT : 0;
    if (e->sandbox) {
        const char *dir = opt->out_dir && *opt->out_dir ? opt->out_dir : "out";
        char real[PATH_MAX];
        if (cv_mkdirs(dir, err) != 0) { /* the one file layer makes folders (fileio.c) */
            free(e);
            return NULL;
        }
        if (realpath(dir, real) == NULL) {
            cv_error_set(err, CV_ERR_IO, "%s: cannot make the output folder (%s)", dir,
                         strerror(errno));
            free(e);
            return NULL;
        }
        if ((e->out_dir = strdup(real)) == NULL) {
            free(e);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            return NULL;
        }
        if (allow_reads(e, opt, err) != 0) {
            engine_sandbox_free(e);
            free(e->out_dir);
            free(e);
            return NULL;
        }
    }
    if (e->mem_limit)
        e->mem_old_limit = cv_mem_set_limit(e->mem_limit);
    if (!(e->L = lua_newstate(engine_alloc, e))) {
        if (e->mem_limit)
            cv_error_set(err, CV_ERR_LIMIT, "memory limit exceeded (%zu bytes)", e->mem_limit);
        else
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        cv_engine_free(e);
        return NULL;
    }
    *(cv_engine **)lua_getextraspace(e->L) = e;
    if (e->timeout > 0)
        lua_sethook(e->L, engine_limit_hook, LUA_MASKCOUNT, HOOK_COUNT);
    lang = opt->lang ? opt->lang : getenv("CVKIT_LANG");
    snprintf(e->lang, sizeof e->lang, "%s", lang && *lang ? lang : "en");
    e->progress = opt->progress && !opt->quiet;
    e->version = opt->version ? opt->version : "unknown";
    lua_pushcfunction(e->L, engine_setup);
    lua_pushlightuserdata(e->L, e);
    if (docall(e, 1, 0) != 0)
        goto fail_script;
    for (int i = 0; i < opt->nparams; i++)
        if (cv_engine_set_param(e, opt->params[i], err) != 0) {
            cv_engine_free(e);
            return NULL;
        }
    if (cv_engine_run_string(e, "=cvkit", "cv = require 'cv'") != 0)
        goto fail_script;
    if (e->progress)
        engine_progress_init(e);
    if (e->sandbox) {
        lua_pushcfunction(e->L, engine_sandbox_setup);
        if (docall(e, 0, 0) != 0)
            goto fail_script;
        e->sandbox_env = 1;
    }
    if (e->timeout > 0) { /* the clock starts now: loading cvkit's own modules is not counted */
        cv_cancel_clear();
        e->deadline = engine_now() + e->timeout;
        engine_watchdog_start(e); /* without the thread, the hook alone enforces it */
    }
    return e;
fail_script:
    cv_error_set(
        err, e->errcode == CV_ERR_NOMEM || e->errcode == CV_ERR_LIMIT ? e->errcode : CV_ERR_SCRIPT,
        "%s", e->errmsg ? e->errmsg : "cannot start lua");
    cv_engine_free(e);
    return NULL;
}

void cv_engine_free(cv_engine *e)
{
    if (!e)
        return;
    if (e->L) { /* finalizers run here, unhooked: the watchdog still watches */
        engine_busy(e, 1);
        lua_close(e->L);
        engine_busy(e, 0);
    }
    engine_watchdog_stop(e);
    if (e->deadline > 0)
        cv_cancel_clear();
    if (e->mem_limit)
        cv_mem_set_limit(e->mem_old_limit);
    free(e->errmsg);
    free(e->out_dir);
    engine_sandbox_free(e);
    free(e);
}

lua_State *cv_engine_lua(cv_engine *e)
{
    return e->L;
}

const char *cv_engine_error(const cv_engine *e)
{
    return e->errmsg ? e->errmsg : "";
}

/* Stores value (a number when it reads as one) under name in the params table: run
   protected, since pushing may fail for lack of memory. */
static int set_param(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &params_key);
    lua_pushvalue(L, 1);
    if (lua_stringtonumber(L, lua_tostring(L, 2)) == 0)
        lua_pushvalue(L, 2); /* not a number: keep the text */
    lua_rawset(L, -3);
    return 0;
}

int cv_engine_set_param(cv_engine *e, const char *assignment, cv_error *err)
{
    const char *eq = strchr(assignment, '=');
    size_t n = eq ? (size_t)(eq - assignment) : 0;
    if (n == 0 || n != strcspn(assignment, " \t.="))
        return cv_error_set(err, CV_ERR_USAGE, "bad --set '%s' (expected name=value)", assignment);
    lua_pushcfunction(e->L, set_param);
    lua_pushlstring(e->L, assignment, n);
    lua_pushstring(e->L, eq + 1);
    if (docall(e, 2, 0) != 0)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    return 0;
}

int cv_engine_run_file(cv_engine *e, const char *path, int argc, char *const *argv)
{
    lua_State *L = e->L;
    FILE *f = fopen(path, "r");
    if (!f) {
        char why[128];
        snprintf(why, sizeof why, "%s", strerror(errno));
        if (why[0] >= 'A' && why[0] <= 'Z')
            why[0] = (char)(why[0] - 'A' + 'a'); /* messages are lowercase */
        lua_pushfstring(L, "%s: cannot open script (%s)", path, why);
        keep_error(e);
        return CV_ERR_IO;
    }
    fclose(f);
    if (e->sandbox) { /* it may read its own folder and what its arguments name */
        int bad = engine_sandbox_allow_folder_of(e, path);
        for (int i = 0; i < argc && !bad; i++)
            bad = allow_named(e, argv[i]);
        if (bad) {
            lua_pushliteral(L, "out of memory");
            keep_error(e);
            return CV_ERR_NOMEM;
        }
    }
    lua_createtable(L, argc, 1);
    lua_pushstring(L, path);
    lua_seti(L, -2, 0);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_seti(L, -2, i + 1);
    }
    engine_sandbox_setglobal(e, "arg");
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {
        keep_error(e);
        return CV_ERR_SCRIPT;
    }
    engine_sandbox_chunk(e);
    luaL_checkstack(L, argc, "too many script arguments");
    for (int i = 0; i < argc; i++)
        lua_pushstring(L, argv[i]);
    return docall(e, argc, 0);
}

int cv_engine_run_string(cv_engine *e, const char *name, const char *code)
{
    if (luaL_loadbufferx(e->L, code, strlen(code), name, "t") != LUA_OK) {
        keep_error(e);
        return CV_ERR_SCRIPT;
    }
    engine_sandbox_chunk(e);
    return docall(e, 0, 0);
}

/* ---- The "cv.core.engine" module -------------------------------------------------------- */

/* error_code(msg) -> integer: the exit code a failure with this message carries */
static int eng_error_code(lua_State *L)
{
    lua_pushinteger(L, lbind_error_code(L, 1));
    return 1;
}

/* Writes the arguments (strings or numbers) to f; raises on a bad argument. */
static void write_args(lua_State *L, FILE *f)
{
    for (int i = 1, n = lua_gettop(L); i <= n; i++) {
        size_t len;
        const char *s = luaL_checklstring(L, i, &len);
        fwrite(s, 1, len, f);
    }
}

/* write(...): writes the strings to standard output, as io.write does (cvkit's modules
   print with it: io does not exist in the sandbox) */
static int eng_write(lua_State *L)
{
    write_args(L, stdout);
    return 0;
}

/* warn(...): writes the strings and a newline to standard error, with the passwords of
   connection strings in them hidden */
static int eng_warn(lua_State *L)
{
    for (int i = 1, n = lua_gettop(L); i <= n; i++)
        luaL_checkstring(L, i);
    lua_concat(L, lua_gettop(L));
    lbind_redact_top(L);
    write_args(L, stderr);
    fputc('\n', stderr);
    return 0;
}

/* modules(prefix) -> {names}: the embedded Lua modules whose names start with prefix
   ("models."), sorted */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int eng_modules(lua_State *L)
{
    size_t len, n = 0;
    const char *prefix = luaL_checklstring(L, 1, &len);
    const char **names = lbind_scratch(L, cv_embedded_lua_count * sizeof *names);
    for (size_t i = 0; i < cv_embedded_lua_count; i++)
        if (strncmp(cv_embedded_lua_files[i].name, prefix, len) == 0)
            names[n++] = cv_embedded_lua_files[i].name;
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* methods(name) -> {name = function} | nil: a copy of the methods of cvkit's userdata
   type name ("cv.Table", "cv.Column"), whose metatables are protected (getmetatable of a
   cv.Table gives "cv.Table"); for help and completion */
static int eng_methods(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (strncmp(name, "cv.", 3) != 0 || luaL_getmetatable(L, name) != LUA_TTABLE ||
        lua_getfield(L, -1, "__name") != LUA_TSTRING || strcmp(lua_tostring(L, -1), name) != 0)
        return 0;
    lua_getfield(L, -2, "__index");
    if (lua_type(L, -1) == LUA_TFUNCTION && lua_getupvalue(L, -1, 1) == NULL)
        return 0; /* the methods are an __index function's first upvalue (cv.Column) */
    if (lua_type(L, -1) != LUA_TTABLE)
        return 0;
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4); /* copy[key] = method */
    }
    return 1;
}

int luaopen_cv_engine(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"error_code", eng_error_code}, {"write", eng_write},     {"warn", eng_warn},
        {"modules", eng_modules},       {"methods", eng_methods}, {NULL, NULL}};
    cv_engine *e;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &engine_key);
    e = lua_touserdata(L, -1);
    lua_pop(L, 1); /* pop engine */
    luaL_newlib(L, funcs);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &params_key);
    lua_setfield(L, -2, "params");
    lua_pushstring(L, e ? e->lang : "en");
    lua_setfield(L, -2, "lang");
    lua_pushstring(L, e ? e->version : "unknown");
    lua_setfield(L, -2, "version");
    lbind_setboolean(L, "sandbox", e && e->sandbox);
    lbind_setboolean(L, "progress", e && e->progress);
    return 1;
}
