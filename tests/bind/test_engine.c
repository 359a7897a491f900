/* Tests of the engine and the bindings: the real engine running snippets; results, exact
   error strings and exit codes, and a Lua stack left as it was found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lbind.h"

static int setup(void **state)
{
    cv_error err;
    const char *params[] = {"n=5", "rate=0.25", "name=cdnow"};
    cv_engine_options o = {.params = params, .nparams = 3, .lang = "zh", .version = "9.9.9"};
    cv_engine *e = cv_engine_new(&o, &err);
    if (!e)
        fprintf(stderr, "engine: %s\n", err.msg);
    *state = e;
    return e ? 0 : -1;
}

static int teardown(void **state)
{
    cv_engine_free(*state);
    return 0;
}

/* Runs code as chunk "=t" and checks the stack is balanced; returns the exit code. */
static int run(cv_engine *e, const char *code)
{
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L);
    int rc = cv_engine_run_string(e, "=t", code);
    assert_int_equal(lua_gettop(L), top);
    return rc;
}

/* 1 when s begins with prefix (and prints s when not, to show the difference). */
static int starts_with(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) == 0)
        return 1;
    fprintf(stderr, "got: %s\n", s);
    return 0;
}

static lua_Integer global_int(cv_engine *e, const char *name)
{
    lua_State *L = cv_engine_lua(e);
    int isint = 0;
    lua_Integer v;
    lua_getglobal(L, name);
    v = lua_tointegerx(L, -1, &isint);
    assert_true(isint);
    lua_pop(L, 1);
    return v;
}

static double global_num(cv_engine *e, const char *name)
{
    lua_State *L = cv_engine_lua(e);
    double v;
    lua_getglobal(L, name);
    assert_int_equal(lua_type(L, -1), LUA_TNUMBER);
    v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Asserts global name is the string want. */
static void global_str(cv_engine *e, const char *name, const char *want)
{
    lua_State *L = cv_engine_lua(e);
    lua_getglobal(L, name);
    assert_int_equal(lua_type(L, -1), LUA_TSTRING);
    assert_string_equal(lua_tostring(L, -1), want);
    lua_pop(L, 1);
}

static void test_engine_runs_snippet(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "x = 6 * 7"), 0);
    assert_int_equal(global_int(e, "x"), 42);
    assert_string_equal(cv_engine_error(e), "");
}

static void test_engine_cv_global_and_fields(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "same = (cv == require 'cv'); v = cv.version; l = cv.lang"), 0);
    global_str(e, "v", "9.9.9");
    global_str(e, "l", "zh");
    assert_int_equal(run(e, "assert(same)"), 0);
}

static void test_engine_params_converted(void **state)
{
    cv_engine *e = *state;
    cv_error err;
    assert_int_equal(run(e, "n = cv.params.n; r = cv.params.rate; s = cv.params.name"), 0);
    assert_int_equal(global_int(e, "n"), 5);
    assert_float_equal(global_num(e, "r"), 0.25, 0);
    global_str(e, "s", "cdnow");
    assert_int_equal(cv_engine_set_param(e, "k=-3", &err), 0);
    assert_int_equal(run(e, "k = cv.params.k"), 0);
    assert_int_equal(global_int(e, "k"), -3);
}

static void test_engine_bad_param(void **state)
{
    cv_error err;
    assert_int_equal(cv_engine_set_param(*state, "horizon", &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "bad --set 'horizon' (expected name=value)");
    assert_int_equal(cv_engine_set_param(*state, "=3", &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "bad --set '=3' (expected name=value)");
}

static void test_engine_script_error_traceback(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local x = 1\nerror('boom')"), CV_ERR_SCRIPT);
    assert_true(starts_with(cv_engine_error(e), "t:2: boom\nstack traceback:\n"));
    assert_non_null(strstr(cv_engine_error(e), "t:2: in main chunk"));
}

static void test_engine_syntax_error(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "x = = 1"), CV_ERR_SCRIPT);
    assert_string_equal(cv_engine_error(e), "t:1: unexpected symbol near '='");
}

static void test_engine_error_object(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "error({})"), CV_ERR_SCRIPT);
    assert_true(starts_with(cv_engine_error(e), "(error object is a table value)\n"));
}

static void test_engine_binary_chunk_refused(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(cv_engine_run_string(e, "=bin", "\x1bLua"), CV_ERR_SCRIPT);
    assert_string_equal(cv_engine_error(e), "attempt to load a binary chunk (mode is 't')");
}

static void test_engine_missing_script(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(cv_engine_run_file(e, "no/such/script.lua", 0, NULL), CV_ERR_IO);
    assert_string_equal(cv_engine_error(e),
                        "no/such/script.lua: cannot open script (no such file or directory)");
}

static void test_engine_run_file_args(void **state)
{
    cv_engine *e = *state;
    char path[] = "/tmp/cvkit_test_engine_XXXXXX";
    char a1[] = "one", a2[] = "2";
    char *argv[] = {a1, a2};
    int fd = mkstemp(path);
    FILE *f;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("#!/usr/bin/env cvkit\nlocal a, b = ...\nA0 = arg[0]; A1 = arg[1]; B = b\n", f);
    fclose(f);
    assert_int_equal(cv_engine_run_file(e, path, 2, argv), 0);
    global_str(e, "A0", path);
    global_str(e, "A1", "one");
    global_str(e, "B", "2");
    remove(path);
}

static void test_engine_core_error_code(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "cv.read_csv('no/such/file.csv')"), CV_ERR_IO);
    /* cvkit's own diagnosis: the message at the script's line, no traceback, in the
       engine's language (zh here: the core's message through the catalogue) */
    assert_string_equal(cv_engine_error(e),
                        "t:1: no/such/file.csv: 无法打开文件：没有该文件或目录");
    /* rethrown with a position added, it keeps its code */
    assert_int_equal(run(e, "local ok, m = pcall(cv.read_csv, 'no/such/file.csv') error(m)"),
                     CV_ERR_IO);
    /* a plain error after it is a script error again */
    assert_int_equal(run(e, "error('other')"), CV_ERR_SCRIPT);
}

static void test_engine_try(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "a, m, c = cv.try(cv.read_csv, 'no/such/file.csv')\n"
                            "ok = a == nil and m:find('^no/such/file.csv: ') ~= nil\n"
                            "x, y = cv.try(function(p, q) return p + q, 'z' end, 1, 2)"),
                     0);
    assert_int_equal(global_int(e, "c"), CV_ERR_IO);
    assert_int_equal(run(e, "assert(ok)"), 0);
    assert_int_equal(global_int(e, "x"), 3);
    global_str(e, "y", "z");
}

static void test_engine_bad_option_message(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "cv.read_csv('x.csv', {header = 'yes'})"), CV_ERR_USAGE);
    assert_string_equal(cv_engine_error(e),
                        "t:1: cv.read_csv：选项“header”应为布尔值（true 或 false），"
                        "实际为 'yes'"); /* the engine is in Chinese; no traceback */
    assert_int_equal(run(e, "cv.parse_csv('a\\n1\\n', {delim = ':'})"), CV_ERR_USAGE);
    assert_string_equal(cv_engine_error(e),
                        "t:1: cv.parse_csv：选项“delim”不能取“:”（是否想用“,”？）");
    /* a binding's own option check (inside C) points at the user's line too */
    assert_int_equal(run(e, "local t = cv.table{a = {1}}\nt:join(t, {on = {1}})"), CV_ERR_USAGE);
    assert_true(starts_with(cv_engine_error(e), "t:2: cv.join: bad option 'on'"));
}

static void test_engine_table_basics(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local t = cv.table{{'a', {1, 2, 3}}, {'b', {'x', 'y', 'z'}}}\n"
                            "s = tostring(t); n = #t; c = t:ncols(); sum = t:col('a'):sum()\n"
                            "b2 = t:row(2).b"),
                     0);
    global_str(e, "s", "cv.Table（3 行 × 2 列）"); /* the engine speaks zh */
    assert_int_equal(global_int(e, "n"), 3);
    assert_int_equal(global_int(e, "c"), 2);
    assert_int_equal(global_int(e, "sum"), 6);
    global_str(e, "b2", "y");
}

static void test_engine_closed_table(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "do local t <close> = cv.table{{'a', {1}}}; T = t end\n"
                            "s = tostring(T); T:nrows()"),
                     CV_ERR_SCRIPT);
    global_str(e, "s", "cv.Table（已关闭）");
    assert_true(starts_with(cv_engine_error(e),
                            "t:2: calling 'nrows' on bad self (attempt to use a closed table)\n"));
}

static void test_engine_column_outlives_table(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local t = cv.table{{'a', {10, 20, 30}}}; local c = t:col('a')\n"
                            "t:close(); t = nil; collectgarbage(); collectgarbage()\n"
                            "v = c[2]; m = c:max(); miss = c[4] == nil"),
                     0);
    assert_int_equal(global_int(e, "v"), 20);
    assert_int_equal(global_int(e, "m"), 30);
    assert_int_equal(run(e, "assert(miss)"), 0);
}

static void test_engine_embedded_modules(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local T = require 'cv.testing'; ok = type(T.eq) == 'function'\n"
                            "assert(ok)"),
                     0);
    assert_int_equal(run(e, "require 'cv.no_such_module'"), CV_ERR_SCRIPT);
    assert_non_null(strstr(cv_engine_error(e), "module 'cv.no_such_module' not found"));
}

static void test_engine_lua_path(void **state)
{
    char dir[] = "/tmp/cvkit_lua_path_XXXXXX", path[256];
    cv_engine *e;
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/cv", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/cv/hello.lua", dir);
    f = fopen(path, "w");
    fputs("return {greeting = 'from disk'}\n", f);
    fclose(f);
    setenv("CVKIT_LUA_PATH", dir, 1);
    e = cv_engine_new(NULL, NULL);
    unsetenv("CVKIT_LUA_PATH");
    assert_non_null(e);
    assert_int_equal(cv_engine_run_string(e, "=t", "g = require('cv.hello').greeting"), 0);
    global_str(e, "g", "from disk");
    cv_engine_free(e);
    remove(path);
    snprintf(path, sizeof path, "%s/cv", dir);
    rmdir(path);
    rmdir(dir);
}

/* The sandbox: no io, os reduced, no bytecode, no C modules, writes only in out_dir. */
static void test_engine_sandbox(void **state)
{
    char dir[] = "/tmp/cvkit-sandbox-XXXXXX", out[64];
    cv_engine_options o = {.sandbox = 1, .out_dir = out};
    cv_engine *e;
    cv_error err;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/out", dir);
    e = cv_engine_new(&o, &err);
    assert_non_null(e);
    assert_int_equal(run(e, "assert(io == nil and debug == nil and package == nil and "
                            "dofile == nil and loadfile == nil and os.execute == nil and "
                            "os.getenv == nil and type(os.time()) == 'number')"),
                     0);
    assert_int_equal(run(e, "assert(select(2, load('\\27Lua', 'b', 'b')) == "
                            "\"attempt to load a binary chunk (mode is 't')\")"),
                     0);
    assert_int_equal(run(e, "local e = select(2, pcall(require, 'io'))\n"
                            "assert(e:find(\":1: module 'io' is not available in the sandbox\", "
                            "1, true), e)"),
                     0);
    assert_int_equal(run(e, "assert(load('return io')() == nil)"), 0);
    assert_int_equal(run(e, "x = 1"), 0);
    lua_getglobal(cv_engine_lua(e), "x"); /* globals of sandboxed code stay in the sandbox */
    assert_true(lua_isnil(cv_engine_lua(e), -1));
    lua_pop(cv_engine_lua(e), 1);
    assert_int_equal(run(e, "cv.write('../t.csv', cv.table{a = {1}})"), CV_ERR_SCRIPT);
    assert_non_null(strstr(cv_engine_error(e), "outside the output folder"));
    assert_int_equal(run(e, "cv.write('out/t.csv', cv.table{a = {1}})"), CV_ERR_SCRIPT);
    {
        char code[160];
        snprintf(code, sizeof code, "cv.write('%s/t.csv', cv.table{a = {1}})", out);
        assert_int_equal(run(e, code), 0);
    }
    cv_engine_free(e);
    snprintf(out, sizeof out, "%s/out/t.csv", dir);
    assert_int_equal(remove(out), 0);
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(rmdir(out), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* The time limit: an endless loop inside pcall stops with exit 9; the engine then
   refuses to run. */
static void test_engine_timeout(void **state)
{
    cv_engine_options o = {.timeout = 0.2};
    cv_engine *e = cv_engine_new(&o, NULL);
    (void)state;
    assert_non_null(e);
    assert_int_equal(run(e, "while true do pcall(function() while true do end end) end"),
                     CV_ERR_LIMIT);
    assert_true(starts_with(cv_engine_error(e), "t:1: time limit exceeded (0.2 s)"));
    assert_int_equal(run(e, "x = 1"), CV_ERR_LIMIT);
    cv_engine_free(e);
}

/* The memory limit: a growing table stops with exit 9, and a caught failure leaves a
   usable engine. */
static void test_engine_max_memory(void **state)
{
    cv_engine_options o = {.max_memory = 32u << 20};
    const char *preload = getenv("LD_PRELOAD");
    cv_engine *e;
    (void)state;
    if (preload && strstr(preload, "vgpreload"))
        skip(); /* under valgrind, whose own memory is resident in the process */
    e = cv_engine_new(&o, NULL);
    assert_non_null(e);
    assert_int_equal(run(e, "local t = {} for i = 1, 1e9 do t[i] = {i} end"), CV_ERR_LIMIT);
    /* "t:1: memory limit exceeded ..." from the resident-memory check, or the same
       without the place when Lua's own allocator refused first (under AddressSanitizer) */
    assert_non_null(strstr(cv_engine_error(e), "memory limit exceeded (33554432 bytes)"));
    assert_int_equal(run(e, "g = pcall(string.rep, 'x', 1 << 26) and 'fit' or 'refused'"), 0);
    global_str(e, "g", "refused");
    assert_int_equal(run(e, "x = #string.rep('x', 1000)"), 0);
    assert_int_equal(global_int(e, "x"), 1000);
    cv_engine_free(e);
}

static void test_engine_lang_default(void **state)
{
    cv_engine *e;
    (void)state;
    setenv("CVKIT_LANG", "fr", 1);
    e = cv_engine_new(NULL, NULL);
    unsetenv("CVKIT_LANG");
    assert_non_null(e);
    assert_int_equal(cv_engine_run_string(e, "=t", "l = cv.lang; p = next(cv.params)"), 0);
    global_str(e, "l", "fr");
    cv_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_engine_runs_snippet),
        T(test_engine_cv_global_and_fields),
        T(test_engine_params_converted),
        T(test_engine_bad_param),
        T(test_engine_script_error_traceback),
        T(test_engine_syntax_error),
        T(test_engine_error_object),
        T(test_engine_binary_chunk_refused),
        T(test_engine_missing_script),
        T(test_engine_run_file_args),
        T(test_engine_core_error_code),
        T(test_engine_try),
        T(test_engine_bad_option_message),
        T(test_engine_table_basics),
        T(test_engine_closed_table),
        T(test_engine_column_outlives_table),
        T(test_engine_embedded_modules),
        cmocka_unit_test(test_engine_lua_path),
        cmocka_unit_test(test_engine_sandbox),
        cmocka_unit_test(test_engine_timeout),
        cmocka_unit_test(test_engine_max_memory),
        cmocka_unit_test(test_engine_lang_default),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
