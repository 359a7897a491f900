/* Tests of the binding module cv.core.file (src/lua/l_file.c), each function called from C in
   a real engine: files written and read back, every argument error's exact message, and a
   Lua stack left as it was found with exactly the documented results. */
#include "bindcall.h"

#include <sys/stat.h>
#include <unistd.h>

static char dir[64]; /* a new temporary folder per test */

/* dir followed by rest (static; one at a time). */
static const char *in_dir(const char *rest)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s%s", dir, rest);
    return buf;
}

static int setup(void **state)
{
    char code[400];
    if (bc_setup_module(state, "cv.core.file") != 0)
        return -1;
    snprintf(dir, sizeof dir, "/tmp/cvkit_test_l_file_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(code, sizeof code,
             "DIR = '%s'\n"
             "function slurp(p) local f = assert(io.open(p, 'rb')) local s = f:read('a')\n"
             "   f:close() return s end\n"
             "T = cv.table{{'a', {1, 2}}, {'b', {'x', 'y'}}}\n"
             "CL = cv.table{a = {1}}; CL:close()",
             dir);
    bc_run(*state, code);
    return 0;
}

static int teardown(void **state)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return bc_teardown(state);
}

/* file.write(path, text) -> nothing */
static void test_file_write(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.write", "DIR .. '/sub/deeper/a.txt', 'hello\\n'", 0);
    bc_is(e, "slurp(DIR .. '/sub/deeper/a.txt')", "hello\n");
    bc_ok(e, "C.write", "DIR .. '/sub/deeper/a.txt', 42", 0); /* replaced; a number is text */
    bc_is(e, "slurp(DIR .. '/sub/deeper/a.txt')", "42");
    bc_fails(e, "C.write", "", "t:1: bad argument #1 to 'write' (string expected, got no value)");
    bc_fails(e, "C.write", "DIR .. '/b.txt'",
             "t:1: bad argument #2 to 'write' (string expected, got no value)");
    bc_fails(e, "C.write", "DIR .. '/b.txt', {}",
             "t:1: bad argument #2 to 'write' (string expected, got table)");
    bc_fails(e, "C.write", "DIR .. '/sub/deeper/a.txt/c.txt', 'x'",
             in_dir("/sub/deeper/a.txt: cannot create folder (a file is there)"));
}

/* file.mkdir(path) -> true */
static void test_file_mkdir(void **state)
{
    cv_engine *e = *state;
    char path[96];
    struct stat st;
    bc_ok(e, "C.mkdir", "DIR .. '/m/n'", 1);
    bc_is(e, "R[1]", "true");
    snprintf(path, sizeof path, "%s/m/n", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    bc_ok(e, "C.mkdir", "DIR .. '/m/n'", 1); /* already there: fine */
    bc_fails(e, "C.mkdir", "''", "t:1: bad argument #1 to 'mkdir' (bad folder name)");
    bc_fails(e, "C.mkdir", "string.rep('a', 5000)",
             "t:1: bad argument #1 to 'mkdir' (bad folder name)");
    bc_fails(e, "C.mkdir", "", "t:1: bad argument #1 to 'mkdir' (string expected, got no value)");
    bc_run(e, "C.write(DIR .. '/plain', 'x')");
    bc_fails(e, "C.mkdir", "DIR .. '/plain/sub'",
             in_dir("/plain: cannot create folder (a file is there)"));
}

/* file.write_xlsx(path, {{name, Table}...}) -> nothing */
static void test_file_write_xlsx(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.write_xlsx", "DIR .. '/w.xlsx', {{'one', T}, {'two', T}}", 0);
    bc_is(e, "slurp(DIR .. '/w.xlsx'):sub(1, 2)", "PK"); /* a zip */
    bc_ok(e, "cv.read_csv", "DIR .. '/w.xlsx', {sheet = 'two'}", 2);
    bc_is(e, "R[1]:col('b')[2]", "y");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx'",
             "t:1: bad argument #2 to 'write_xlsx' (table expected, got nil)");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {}",
             "t:1: bad argument #2 to 'write_xlsx' (1 to 1000 sheets expected)");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {T}",
             "t:1: write_xlsx: sheet 1: expected {name, table}");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {{'one', T}, {T}}",
             "t:1: write_xlsx: sheet 2: expected a name");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {{'one', {}}}",
             "t:1: write_xlsx: sheet 1: expected a table");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {{'one', CL}}",
             "t:1: write_xlsx: sheet 1: attempt to use a closed table");
    bc_fails(e, "C.write_xlsx", "DIR .. '/w.xlsx', {{'one', T}, {'one', T}}",
             in_dir("/w.xlsx: sheet name 'one' is given twice"));
    bc_fails(e, "C.write_xlsx", "nil, {{'one', T}}",
             "t:1: bad argument #1 to 'write_xlsx' (string expected, got nil)");
}

/* file.check_output(path) -> nothing (no sandbox here: every path may be written) */
static void test_file_check_output(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.check_output", "DIR .. '/x.csv'", 0);
    bc_fails(e, "C.check_output", "",
             "t:1: bad argument #1 to 'check_output' (string expected, got no value)");
}

/* The message of a write the sandbox refuses. */
static const char *refused(const char *out, const char *path)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "t:1: cannot write '%s': outside the output folder '%s' (sandbox)",
             path, out);
    return buf;
}

/* In a sandbox, every function refuses a path outside the output folder. */
static void test_file_sandboxed(void **state)
{
    char out[96], code[300];
    cv_engine_options o = {.sandbox = 1, .out_dir = out, .lang = "en"};
    cv_engine *e;
    (void)state;
    snprintf(out, sizeof out, "%s/out", dir);
    e = cv_engine_new(&o, NULL);
    assert_non_null(e);
    /* the script's globals are the sandbox's: reach the module and cv from C */
    luaL_getsubtable(cv_engine_lua(e), LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(cv_engine_lua(e), -1, "cv.core.file");
    assert_int_equal(lua_type(cv_engine_lua(e), -1), LUA_TTABLE);
    lua_setglobal(cv_engine_lua(e), "C");
    lua_getfield(cv_engine_lua(e), -1, "cv");
    assert_int_equal(lua_type(cv_engine_lua(e), -1), LUA_TTABLE);
    lua_setglobal(cv_engine_lua(e), "cv");
    lua_pop(cv_engine_lua(e), 1); /* pop the loaded table */
    snprintf(code, sizeof code, "OUT = '%s'", out);
    assert_int_equal(luaL_dostring(cv_engine_lua(e), code), LUA_OK);
    bc_ok(e, "C.write", "OUT .. '/ok.txt', 'fine'", 0);
    bc_ok(e, "C.check_output", "OUT .. '/ok.txt'", 0);
    bc_fails(e, "C.write", "'/tmp/cvkit_elsewhere.txt', 'x'",
             refused(out, "/tmp/cvkit_elsewhere.txt"));
    snprintf(code, sizeof code, "%s/../up", out);
    bc_fails(e, "C.mkdir", "OUT .. '/../up'", refused(out, code));
    bc_fails(e, "C.check_output", "'/tmp/cvkit_elsewhere.txt'",
             refused(out, "/tmp/cvkit_elsewhere.txt"));
    bc_fails(e, "C.write_xlsx", "'/tmp/cvkit_elsewhere.xlsx', {{'a', cv.table{a = {1}}}}",
             refused(out, "/tmp/cvkit_elsewhere.xlsx"));
    cv_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_file_write),        T(test_file_mkdir),     T(test_file_write_xlsx),
        T(test_file_check_output), T(test_file_sandboxed),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
