/* Tests of the sandbox by construction (src/lua/sandbox.c): what a sandboxed lua_State
   holds, looked at from C (the registry and cvkit's own globals, which no script can
   reach), the protected metatables, load and require, and the read rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lbind.h"

typedef struct fixture {
    char dir[64]; /* a scratch folder: dir/out is the output folder */
    char out[96];
    cv_engine *e;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cv_engine_options o = {.sandbox = 1};
    cv_error err;
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/cvkit-sbx-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->out, sizeof f->out, "%s/out", f->dir);
    o.out_dir = f->out;
    if ((f->e = cv_engine_new(&o, &err)) == NULL) {
        fprintf(stderr, "engine: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[160];
    cv_engine_free(f->e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* Runs code as chunk "=t" (the script's environment); returns the exit code. */
static int run(cv_engine *e, const char *code)
{
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L), rc = cv_engine_run_string(e, "=t", code);
    assert_int_equal(lua_gettop(L), top);
    if (rc != 0)
        fprintf(stderr, "%s\n", cv_engine_error(e));
    return rc;
}

/* The type of t[key], t at the top of the stack. */
static int field_type(lua_State *L, const char *key)
{
    int t = lua_getfield(L, -1, key);
    lua_pop(L, 1); /* pop value */
    return t;
}

/* cvkit's own globals and the registry's loaded modules hold no io, debug, package,
   dofile, loadfile, string.dump, and an os of clock, time and date. */
static void test_sandbox_state_has_no_capabilities(void **state)
{
    fixture *f = *state;
    lua_State *L = cv_engine_lua(f->e);
    static const char *const absent[] = {"io", "debug", "package", "dofile", "loadfile"};
    int n = 0;
    lua_pushglobaltable(L);
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        assert_int_equal(field_type(L, absent[i]), LUA_TNIL);
    assert_int_equal(lua_getfield(L, -1, "os"), LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char *k = lua_tostring(L, -2);
        assert_true(strcmp(k, "clock") == 0 || strcmp(k, "time") == 0 || strcmp(k, "date") == 0);
        n++;
        lua_pop(L, 1); /* pop value */
    }
    assert_int_equal(n, 3);
    lua_pop(L, 1); /* pop os */
    assert_int_equal(lua_getfield(L, -1, "string"), LUA_TTABLE);
    assert_int_equal(field_type(L, "dump"), LUA_TNIL);
    lua_pop(L, 2); /* pop string, globals */
    assert_int_equal(lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE), LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) { /* every loaded module: cvkit's or a safe library */
        const char *k = lua_tostring(L, -2);
        int ok = strcmp(k, "cv") == 0 || strncmp(k, "cv.", 3) == 0 || strcmp(k, "_G") == 0 ||
                 strcmp(k, "string") == 0 || strcmp(k, "table") == 0 || strcmp(k, "math") == 0 ||
                 strcmp(k, "utf8") == 0 || strcmp(k, "coroutine") == 0 || strcmp(k, "os") == 0;
        if (!ok)
            fprintf(stderr, "loaded: %s\n", k);
        assert_true(ok);
        assert_true(strcmp(k, "cv.repl") != 0 && strcmp(k, "cv.testing") != 0);
        lua_pop(L, 1); /* pop value */
    }
    assert_int_equal(field_type(L, "io"), LUA_TNIL);
    assert_int_equal(lua_getfield(L, -1, "os"), LUA_TTABLE);
    assert_int_equal(field_type(L, "execute"), LUA_TNIL);
    lua_pop(L, 2); /* pop os, _LOADED */
    assert_int_equal(lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE), LUA_TNIL);
    lua_pop(L, 1); /* pop nil */
}

/* Every cvkit metatable in the registry ("cv.*") is protected with its own name, in a
   sandboxed engine and in a plain one; so is the string metatable in the sandbox. */
static void check_metatables(lua_State *L)
{
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING && strncmp(lua_tostring(L, -2), "cv.", 3) == 0 &&
            lua_istable(L, -1) && field_type(L, "__name") == LUA_TSTRING) {
            lua_getfield(L, -1, "__metatable");
            if (!lua_isstring(L, -1) || strcmp(lua_tostring(L, -1), lua_tostring(L, -3)) != 0)
                fprintf(stderr, "unprotected metatable: %s\n", lua_tostring(L, -3));
            assert_string_equal(lua_tostring(L, -1), lua_tostring(L, -3));
            lua_pop(L, 1); /* pop __metatable */
            n++;
        }
        lua_pop(L, 1); /* pop value */
    }
    assert_true(n >= 4); /* cv.Table, cv.Column, cv.Rules, cv.Connection */
}

static void test_sandbox_metatables_protected(void **state)
{
    fixture *f = *state;
    lua_State *L = cv_engine_lua(f->e);
    cv_engine *plain = cv_engine_new(NULL, NULL);
    assert_int_equal(run(f->e, "local t = cv.table{a = {1}}; local c = t:col('a')\n"
                               "assert(getmetatable(t) == 'cv.Table')\n"
                               "assert(getmetatable(c) == 'cv.Column')\n"
                               "assert(getmetatable('') == 'string')\n"
                               "assert(not pcall(setmetatable, getmetatable(''), {}))\n"
                               "local r = cv.chart.bar{categories = {'a'}, values = {1}}\n"
                               "assert(getmetatable(r) == 'cv.Chart')\n"
                               "assert(#t == 1 and t:nrows() == 1 and #c == 1)"),
                     0);
    check_metatables(L);
    assert_non_null(plain);
    check_metatables(cv_engine_lua(plain));
    assert_int_equal(run(plain, "assert(getmetatable(cv.table{a = {1}}) == 'cv.Table')\n"
                                "assert(type(getmetatable('').__index) == 'table')\n"
                                "assert(io and os.execute and package and debug)"),
                     0);
    cv_engine_free(plain);
}

/* load: text only whatever the mode, no env -> the script's globals, an explicit env
   kept, a reader function; the script's globals are not cvkit's. */
static void test_sandbox_load(void **state)
{
    fixture *f = *state;
    lua_State *L = cv_engine_lua(f->e);
    assert_int_equal(run(f->e, "mine = 42\n"
                               "assert(load('return mine')() == 42)\n"
                               "assert(load('return mine', '=x', 't', {mine = 7})() == 7)\n"
                               "assert(load('return mine', '=x', 'b')() == 42)\n"
                               "local f, e = load('\\27Lua', '=b', 'b')\n"
                               "assert(f == nil and e:find('attempt to load a binary chunk'))\n"
                               "local parts = {'return ', 'mine', ' + 1'}\n"
                               "local i = 0\n"
                               "assert(load(function() i = i + 1 return parts[i] end)() == 43)\n"
                               "assert(select(2, load(function() return {} end)):find(\n"
                               "   'reader function must return a string', 1, true))\n"
                               "assert(load('return _G')() == _G)"),
                     0);
    lua_getglobal(L, "mine"); /* cvkit's own globals did not get it */
    assert_true(lua_isnil(L, -1));
    lua_pop(L, 1);
}

/* require: the allow-list, standard libraries as the script's own copies, modules
   loaded once and shared. */
static void test_sandbox_require(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f->e, "assert(require('string') == string)\n"
                               "assert(require('cv') == cv)\n"
                               "assert(require('cv.core.table') == require('cv.core.table'))\n"
                               "assert(require('models.clv_simple').name == 'clv_simple')\n"
                               "for _, m in ipairs{'io', 'debug', 'package', '_G', 'cv.repl',\n"
                               "   'cv.testing', 'lfs', 'cv.nope', 'models'} do\n"
                               "   local ok, e = pcall(require, m)\n"
                               "   assert(not ok and e == \"t:7: module '\" .. m ..\n"
                               "      \"' is not available in the sandbox\", m)\n"
                               "end\n"
                               "string.upper = nil\n"
                               "assert(('a'):upper() == 'A')"),
                     0);
}

/* Reads: only inside the output folder here (no script file, no arguments); a symbolic
   link out of it is refused. */
static void test_sandbox_reads(void **state)
{
    fixture *f = *state;
    char path[160], code[1024];
    FILE *fp;
    snprintf(path, sizeof path, "%s/in.csv", f->out);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("a\n1\n2\n", fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/link.csv", f->out);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    snprintf(code, sizeof code,
             "assert(cv.read_csv('%s/in.csv'):nrows() == 2)\n"
             "local ok, e = pcall(cv.read_csv, '%s/link.csv')\n"
             "assert(not ok and e:find(\"cannot read '.*link.csv': outside the folders\"), e)\n"
             "ok, e = pcall(cv.read_csv, '%s/../in.csv')\n"
             "assert(not ok and e:find('outside'), e)",
             f->out, f->out, f->out);
    assert_int_equal(run(f->e, code), 0);
    assert_int_equal(run(f->e, "cv.read_csv('/etc/passwd')"), CV_ERR_SCRIPT);
    assert_true(strstr(cv_engine_error(f->e), "cannot read '/etc/passwd': outside the folders "
                                              "this sandbox may read (") != NULL);
    assert_true(strstr(cv_engine_error(f->e), "/out') (sandbox)") != NULL);
}

/* A script file makes its folder readable; arguments naming files make them readable. */
static void test_sandbox_script_reads(void **state)
{
    fixture *f = *state;
    char path[160], data[160], other[160], arg[200];
    char *argv[1] = {arg};
    FILE *fp;
    snprintf(data, sizeof data, "%s/data.csv", f->dir);
    snprintf(other, sizeof other, "%s/other.csv", f->dir);
    snprintf(path, sizeof path, "%s/out/s.lua", f->dir);
    snprintf(arg, sizeof arg, "data=%s", data);
    for (int i = 0; i < 2; i++) {
        assert_non_null(fp = fopen(i ? other : data, "w"));
        fputs("a\n1\n", fp);
        fclose(fp);
    }
    assert_non_null(fp = fopen(path, "w"));
    fputs("local p = (...):match('=(.*)$')\n"
          "assert(cv.read_csv(p):nrows() == 1)\n"
          "local ok, e = pcall(cv.read_csv, (p:gsub('data', 'other')))\n"
          "assert(not ok and e:find('outside the folders'), e)\n",
          fp);
    fclose(fp);
    assert_int_equal(cv_engine_run_file(f->e, path, 1, argv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_sandbox_state_has_no_capabilities),
        T(test_sandbox_metatables_protected),
        T(test_sandbox_load),
        T(test_sandbox_require),
        T(test_sandbox_reads),
        T(test_sandbox_script_reads),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
