/* cvkit sandbox: what a script run with --sandbox may reach, and where it may write. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static const char sandbox_key = 's'; /* registry: the sandbox's _ENV table */

/* 1 when path lies inside dir (absolute, resolved): the longest existing prefix of path
   is resolved with realpath (symbolic links followed); the components after it must not
   be "." or "..". */
static int path_inside(const char *dir, const char *path)
{
    char buf[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(path), d = strlen(dir);
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
    return strncmp(real, dir, d) == 0 && (real[d] == '\0' || real[d] == '/');
}

void lbind_check_output(lua_State *L, const char *path)
{
    cv_engine *e = engine_of(L);
    if (!e || !e->sandbox || path_inside(e->out_dir, path))
        return;
    luaL_error(L, "cannot write '%s': outside the output folder '%s' (sandbox)", path, e->out_dir);
}

/* Run once with the real globals (trusted) and the engine's output folder; returns the
   _ENV of sandboxed scripts. The real globals stay intact for cvkit's own modules. */
static const char sandbox_lua[] =
    "local G = ...\n"
    "local env = {}\n"
    "for _, k in ipairs{'assert', 'error', 'ipairs', 'next', 'pairs', 'pcall', 'print',\n"
    "   'rawequal', 'rawget', 'rawlen', 'rawset', 'select', 'setmetatable', 'getmetatable',\n"
    "   'tonumber', 'tostring', 'type', 'xpcall', '_VERSION', 'collectgarbage', 'cv'} do\n"
    "   env[k] = G[k]\n"
    "end\n"
    "local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end\n"
    "local std = {string = copy(string), table = copy(table), math = copy(math),\n"
    "   utf8 = copy(utf8), coroutine = copy(coroutine),\n"
    "   os = {time = os.time, clock = os.clock, date = os.date}}\n"
    "std.string.dump = nil\n"
    "getmetatable('').__index = std.string\n"
    "for k, v in pairs(std) do env[k] = v end\n"
    "local load, select, type, require = load, select, type, require\n"
    "env.load = function(chunk, name, mode, ...)\n"
    "   if select('#', ...) == 0 then return load(chunk, name, 't', env) end\n"
    "   return load(chunk, name, 't', (...))\n"
    "end\n"
    "env.require = function(name)\n"
    "   if type(name) ~= 'string' then\n"
    "      error(\"bad argument #1 to 'require' (string expected, got \" .. type(name) .. ')', 2)\n"
    "   end\n"
    "   if std[name] then return std[name] end\n"
    "   if name == 'cv' or name:match('^cv%.') or name:match('^models%.') then\n"
    "      return require(name)\n"
    "   end\n"
    "   error(\"module '\" .. name .. \"' is not available in the sandbox\", 2)\n"
    "end\n"
    "env._G = env\n"
    "local searchers, dev = package.searchers, package.cvkit_dev_searcher or {}\n"
    "local preload = searchers[dev[searchers[1]] and 2 or 1]\n"
    "for i = #searchers, 1, -1 do\n"
    "   if searchers[i] ~= preload and not dev[searchers[i]] then\n"
    "      table.remove(searchers, i)\n"
    "   end\n"
    "end\n"
    "package.cvkit_dev_searcher = nil\n"
    "package.loadlib, package.path, package.cpath = nil, '', ''\n"
    "G.dofile, G.loadfile = nil, nil\n"
    "-- databases open files and sockets: cv.connect (and all that uses it) is refused\n"
    "local function deny(name)\n"
    "   return function() error(\"'\" .. name .. \"' is not available in the sandbox\", 2) end\n"
    "end\n"
    "for _, m in ipairs{'cv.core.sql', 'cv.sql'} do\n"
    "   local ok, t = pcall(require, m)\n"
    "   if ok and type(t) == 'table' and t.connect then t.connect = deny('cv.connect') end\n"
    "end\n"
    "if type(G.cv) == 'table' and G.cv.connect then G.cv.connect = deny('cv.connect') end\n"
    "return env\n";

/* Builds the sandbox (protected: called through docall): its _ENV under sandbox_key. */
int engine_sandbox_setup(lua_State *L)
{
    if (luaL_loadbufferx(L, sandbox_lua, sizeof sandbox_lua - 1, "=sandbox", "t") != LUA_OK)
        return lua_error(L);
    lua_pushglobaltable(L);
    lua_call(L, 1, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    return 0;
}

/* Gives the chunk on top of the stack the sandbox's _ENV when the engine is sandboxed. */
void engine_sandbox_chunk(cv_engine *e)
{
    if (!e->sandbox_env)
        return;
    lua_rawgetp(e->L, LUA_REGISTRYINDEX, &sandbox_key);
    if (!lua_setupvalue(e->L, -2, 1))
        lua_pop(e->L, 1); /* no _ENV upvalue: pop the table */
}
