/* cvkit sandbox: the state a script run with --sandbox lives in (built so that io, debug,
   package, most of os, binary chunks and file loaders never exist in it), the require
   that resolves its allow-list, and the C checks of what it may read and write. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lualib.h>

#include "embedded.h"
#include "engine_int.h"

static const char script_env_key = 's'; /* registry: the script's _ENV table */

/* ---- What exists ------------------------------------------------------------------------ */

/* The standard libraries opened (their functions are harmless: no files, no processes).
   base loses dofile and loadfile, its load is replaced (sb_load), string loses dump. */
static const luaL_Reg sandbox_libs[] = {{LUA_GNAME, luaopen_base},
                                        {LUA_STRLIBNAME, luaopen_string},
                                        {LUA_TABLIBNAME, luaopen_table},
                                        {LUA_MATHLIBNAME, luaopen_math},
                                        {LUA_UTF8LIBNAME, luaopen_utf8},
                                        {LUA_COLIBNAME, luaopen_coroutine},
                                        {NULL, NULL}};

/* What the script's global table gets from base (a copy: the script may redefine them,
   cvkit's own modules keep theirs). Not warn, dofile, loadfile. */
static const char *const script_globals[] = {
    "assert", "error",    "getmetatable",   "ipairs",   "load",     "next",
    "pairs",  "pcall",    "print",          "rawequal", "rawget",   "rawlen",
    "rawset", "select",   "setmetatable",   "tonumber", "tostring", "type",
    "xpcall", "_VERSION", "collectgarbage", NULL};

/* The libraries require gives by name (each engine environment has its own copy). */
static const char *const std_modules[] = {LUA_STRLIBNAME,
                                          LUA_TABLIBNAME,
                                          LUA_MATHLIBNAME,
                                          LUA_UTF8LIBNAME,
                                          LUA_COLIBNAME,
                                          LUA_OSLIBNAME,
                                          NULL};

/* The embedded Lua modules require loads, reviewed as sandbox-safe: none holds io, os,
   debug or package (none exists here) and none calls load without an environment. Every
   models.* script and every C module (modules.h: cv.core.*) is allowed too. Left out on
   purpose: cv.repl (its compile and feed run chunks in cvkit's own globals) and
   cv.testing (os.exit, debug.traceback). A new module under lua/cv/ is refused until it
   is added here. */
static const char *const sandbox_lua_modules[] = {
    "cv",           "cv.chart",        "cv.costing", "cv.covariates", "cv.crmcost",
    "cv.decision",  "cv.diagnostics",  "cv.dyncov",  "cv.errors",     "cv.explain",
    "cv.fit",       "cv.formula",      "cv.gen",     "cv.help",       "cv.i18n",
    "cv.intervals", "cv.model_script", "cv.opts",    "cv.report",     "cv.scenario",
    "cv.script",    "cv.segment",      "cv.sql",     "cv.base",       NULL};

/* 1 when name is in the NULL-terminated list. */
static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

/* The embedded file of an allowed Lua module, or NULL. */
static const cv_embedded_lua *allowed_lua(const char *name)
{
    if (!in_list(sandbox_lua_modules, name) && strncmp(name, "models.", 7) != 0)
        return NULL;
    for (size_t i = 0; i < cv_embedded_lua_count; i++)
        if (strcmp(cv_embedded_lua_files[i].name, name) == 0)
            return &cv_embedded_lua_files[i];
    return NULL;
}

/* The luaopen function of an allowed C module, or NULL. */
static lua_CFunction allowed_c(const char *name)
{
    for (const cv_lua_module *m = cv_lua_modules; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->open;
    return NULL;
}

/* Raises the sandbox's English refusal on top of the stack in the user's language (the
   catalogue's core.sandbox.* entries, lbind_push_message), after the user's script line
   (lbind_where_user: never a line of cvkit's own Lua, such as the cv.read_csv wrapper that
   called the binding), as the other errors read. */
static int refuse_top(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    lbind_where_user(L);
    lbind_push_message(L, msg);
    lua_remove(L, -3); /* the English */
    lua_concat(L, 2);
    return lua_error(L);
}

/* Raises the refusal fmt (English, as the core's messages) as refuse_top does. */
static int refuse(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    return refuse_top(L);
}

/* require(name) -> module. Upvalue 1: the standard libraries of the calling environment
   by name. Anything else must be on the allow-list; it is loaded once (cached in the
   registry's _LOADED table, out of the script's reach) from the text embedded in cvkit,
   in cvkit's own environment, never from disk. */
static int sb_require(lua_State *L)
{
    const char *name = lbind_checkstring(L, 1);
    const cv_embedded_lua *m = NULL;
    lua_CFunction open = NULL;
    lua_settop(L, 1);
    if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL)
        return 1;  /* a standard library */
    lua_pop(L, 1); /* pop nil */
    if ((open = allowed_c(name)) == NULL && (m = allowed_lua(name)) == NULL)
        return refuse(L, "module '%s' is not available in the sandbox", name);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* 2 */
    if (lua_getfield(L, 2, name) != LUA_TNIL)
        return 1;  /* loaded before */
    lua_pop(L, 1); /* pop nil */
    if (open) {
        lua_pushcfunction(L, open);
    } else {
        char chunk[256];
        snprintf(chunk, sizeof chunk, "@%s", m->path);
        if (luaL_loadbufferx(L, (const char *)m->bytes, m->len, chunk, "t") != LUA_OK)
            return lua_error(L);
    }
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1); /* module = loader(name) */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1); /* pop nil */
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name); /* _LOADED[name] = module */
    return 1;
}

/* lua_Reader of load(f): calls f for the next piece; the piece is kept in stack slot 5
   until the next call, so that the collector leaves it alone. */
static const char *sb_reader(lua_State *L, void *ud, size_t *size)
{
    (void)ud;
    luaL_checkstack(L, 2, "too many nested functions");
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1); /* pop nil */
        *size = 0;
        return NULL;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "reader function must return a string");
    lua_replace(L, 5);
    return lua_tolstring(L, 5, size);
}

/* load(chunk [, name [, mode [, env]]]) -> function | nil, message: Lua's load, but text
   only whatever mode says, and a chunk given no env gets the script's environment (never
   cvkit's own). */
static int sb_load(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s ? s : "=(load)");
    int status, has_env = !lua_isnone(L, 4);
    luaL_optstring(L, 3, "bt"); /* checked as Lua does, then ignored: always "t" */
    lua_settop(L, 5);           /* slot 5: the reader's current piece */
    if (s) {
        status = luaL_loadbufferx(L, s, len, name, "t");
    } else {
        luaL_checktype(L, 1, LUA_TFUNCTION);
        status = lua_load(L, sb_reader, NULL, name, "t");
    }
    if (status != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2); /* fail, message */
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_rawgetp(L, LUA_REGISTRYINDEX, &script_env_key);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1); /* no _ENV upvalue: pop the environment */
    return 1;
}

/* Pushes a shallow copy of the table at idx. */
static void copy_table(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4); /* copy[key] = value */
    }
}

/* Pushes a require closure whose standard libraries are those of the environment env. */
static void push_require(lua_State *L, int env)
{
    env = lua_absindex(L, env);
    lua_newtable(L);
    for (const char *const *n = std_modules; *n; n++) {
        lua_getfield(L, env, *n);
        lua_setfield(L, -2, *n);
    }
    lua_pushcclosure(L, sb_require, 1);
}

int engine_sandbox_open(lua_State *L)
{
    static const char *const os_kept[] = {"clock", "time", "date", NULL};
    for (const luaL_Reg *lib = sandbox_libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1); /* pop library */
    }
    lua_pushglobaltable(L);
    lua_pushnil(L);
    lua_setfield(L, -2, "dofile");
    lua_pushnil(L);
    lua_setfield(L, -2, "loadfile");
    lua_pushcfunction(L, sb_load);
    lua_setfield(L, -2, "load");
    lua_getfield(L, -1, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1); /* pop string */
    /* os: clock, time and date taken from the library, which is then dropped */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_newtable(L);
    for (const char *const *n = os_kept; *n; n++) {
        lua_getfield(L, -2, *n);
        lua_setfield(L, -2, *n);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -4, LUA_OSLIBNAME); /* _G.os = the reduced os */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_insert(L, -2);
    lua_setfield(L, -2, LUA_OSLIBNAME); /* _LOADED.os = the reduced os: the full one is gone */
    lua_pop(L, 2);                      /* pop _LOADED, full os */
    push_require(L, -1);
    lua_setfield(L, -2, "require");
    lua_pop(L, 1); /* pop globals */
    /* the string metatable: its __index (cvkit's own string table) out of reach */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "string");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);   /* pop metatable, "" */
    lua_newtable(L); /* the script's environment, filled by engine_sandbox_setup */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &script_env_key);
    return 0;
}

int engine_sandbox_setup(lua_State *L)
{
    int env, g;
    lua_pushglobaltable(L);
    g = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &script_env_key);
    env = lua_gettop(L);
    for (const char *const *n = script_globals; *n; n++) {
        lua_getfield(L, g, *n);
        lua_setfield(L, env, *n);
    }
    for (const char *const *n = std_modules; *n; n++) {
        lua_getfield(L, g, *n);
        copy_table(L, -1);
        lua_setfield(L, env, *n);
        lua_pop(L, 1); /* pop cvkit's library */
    }
    push_require(L, env);
    lua_setfield(L, env, "require");
    lua_getfield(L, g, "cv");
    lua_setfield(L, env, "cv");
    lua_pushvalue(L, env);
    lua_setfield(L, env, LUA_GNAME);
    lua_settop(L, 0);
    return 0;
}

void engine_sandbox_chunk(cv_engine *e)
{
    if (!e->sandbox_env)
        return;
    lua_rawgetp(e->L, LUA_REGISTRYINDEX, &script_env_key);
    if (!lua_setupvalue(e->L, -2, 1))
        lua_pop(e->L, 1); /* no _ENV upvalue: pop the table */
}

void engine_sandbox_setglobal(cv_engine *e, const char *name)
{
    if (!e->sandbox_env) {
        lua_setglobal(e->L, name);
        return;
    }
    lua_rawgetp(e->L, LUA_REGISTRYINDEX, &script_env_key);
    lua_insert(e->L, -2);
    lua_setfield(e->L, -2, name);
    lua_pop(e->L, 1); /* pop the script's environment */
}

void lbind_check_sandbox(lua_State *L, const char *what)
{
    cv_engine *e = engine_of(L);
    if (e && e->sandbox)
        refuse(L, "'%s' is not available in the sandbox", what);
}

/* ---- Reading and writing ------------------------------------------------------------------ */

/* 1 when path lies inside root (absolute, resolved; a folder or a file): the longest
   existing prefix of path is resolved with realpath (symbolic links followed); the
   components after it must not be "." or "..". */
static int path_inside(const char *root, const char *path)
{
    char buf[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(path), d = strlen(root);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, path, n + 1);
    while (realpath(buf, real) == NULL) {
        char *slash = strrchr(buf, '/');
        const char *comp = slash ? slash + 1 : buf;
        if (errno != ENOENT || strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
            return 0;
        if (!slash)
            strcpy(buf, ".");
        else if (slash == buf)
            buf[1] = '\0';
        else
            *slash = '\0';
    }
    if (d == 1 && root[0] == '/')
        return 1; /* the root folder itself was allowed */
    return strncmp(real, root, d) == 0 && (real[d] == '\0' || real[d] == '/');
}

/* 1 when the file path would be made inside root: path inside it, and the folder it names
   (its text up to the last '/', "." when none) too, and its last part not "", "." or "..".
   cvkit writes PATH.tmp-XXXXXX in that folder and renames it over PATH: a link outside
   root that points in (report.csv -> out/report.csv) would be replaced by the file. */
static int file_inside(const char *root, const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || n >= sizeof dir)
        return 0;
    if (!slash) {
        strcpy(dir, ".");
    } else {
        memcpy(dir, path, n);
        dir[n] = '\0';
        if (n == 0)
            strcpy(dir, "/");
    }
    return path_inside(root, path) && path_inside(root, dir);
}

void lbind_check_output(lua_State *L, const char *path)
{
    cv_engine *e = engine_of(L);
    if (!e || !e->sandbox || file_inside(e->out_dir, path))
        return;
    refuse(L, "cannot write '%s': outside the output folder '%s' (sandbox)", path, e->out_dir);
}

void lbind_check_output_folder(lua_State *L, const char *path)
{
    cv_engine *e = engine_of(L);
    if (!e || !e->sandbox || path_inside(e->out_dir, path))
        return;
    refuse(L, "cannot write '%s': outside the output folder '%s' (sandbox)", path, e->out_dir);
}

/* Raises "not a regular file" when path names something that exists and is neither a
   regular file nor a folder (the reader's own error): a FIFO would block the reader until
   the time limit, a device node (a copy of a disk's, made as root by unpacking a student's
   archive) would be read as data. stat follows symbolic links, as the reader does. */
static void check_regular(lua_State *L, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        refuse(L, "cannot read '%s': not a regular file (sandbox)", path);
}

void lbind_check_input(lua_State *L, const char *path)
{
    cv_engine *e = engine_of(L);
    luaL_Buffer b;
    if (!e || !e->sandbox)
        return;
    if (path_inside(e->out_dir, path)) {
        check_regular(L, path);
        return;
    }
    for (int i = 0; i < e->nread_roots; i++)
        if (path_inside(e->read_roots[i], path)) {
            check_regular(L, path);
            return;
        }
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "cannot read '%s': outside the folders this sandbox may read (", path);
    luaL_addvalue(&b);
    for (int i = 0; i < e->nread_roots; i++) {
        lua_pushfstring(L, "'%s', ", e->read_roots[i]);
        luaL_addvalue(&b);
    }
    lua_pushfstring(L, "'%s') (sandbox)", e->out_dir);
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    refuse_top(L); /* in the user's language, at the script's line */
}

int engine_sandbox_allow_read(cv_engine *e, const char *path)
{
    char real[PATH_MAX], **grown, *copy;
    if (!path || !*path || realpath(path, real) == NULL)
        return 0;
    for (int i = 0; i < e->nread_roots; i++)
        if (strcmp(e->read_roots[i], real) == 0)
            return 0; /* there already */
    grown = realloc(e->read_roots, (size_t)(e->nread_roots + 1) * sizeof *grown);
    if (!grown)
        return -1;
    e->read_roots = grown;
    if ((copy = strdup(real)) == NULL)
        return -1;
    e->read_roots[e->nread_roots++] = copy;
    return 0;
}

int engine_sandbox_allow_folder_of(cv_engine *e, const char *file)
{
    /* the folder the script is named in, resolved; not the folder of the file a symbolic
       link named hw.lua points to (a student's link to /tmp/hw.lua would open /tmp) */
    char dir[PATH_MAX];
    const char *slash = strrchr(file, '/');
    size_t n = slash ? (size_t)(slash - file) : 0;
    if (!slash)
        strcpy(dir, ".");
    else if (n == 0)
        strcpy(dir, "/");
    else if (n < sizeof dir)
        memcpy(dir, file, n);
    else
        return 0;
    if (slash && n > 0)
        dir[n] = '\0';
    return engine_sandbox_allow_read(e, dir);
}

void engine_sandbox_free(cv_engine *e)
{
    for (int i = 0; i < e->nread_roots; i++)
        free(e->read_roots[i]);
    free(e->read_roots);
    e->read_roots = NULL;
    e->nread_roots = 0;
}
