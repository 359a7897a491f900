/* Tests of the binding module cv.core.opts (src/lua/l_opts.c), each function called from C in
   a real engine: values worked out by hand, every argument error's exact message (and exit
   code), and a Lua stack left as it was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    return bc_setup_module(state, "cv.core.opts");
}

/* opts.fail(code, msg): raises msg (no user line when C calls it) with exit code code */
static void test_opts_fail(void **state)
{
    cv_engine *e = *state;
    lua_State *L = cv_engine_lua(e);
    bc_fails(e, "C.fail", "4, 'cv.fit: bad option'", "t:1: cv.fit: bad option");
    lua_pushstring(L, "t:1: cv.fit: bad option");
    assert_int_equal(lbind_error_code(L, -1), 4);
    lua_pop(L, 1);
    /* from a script's line: the position of that line comes first */
    bc_run(e, "function F() return C.fail(3, 'no such model') end");
    bc_is(e, "select(2, pcall(F))", "t:1: no such model");
    bc_fails(e, "C.fail", "", "t:1: bad argument #1 to 'fail' (number expected, got no value)");
    bc_fails(e, "C.fail", "'x', 'm'",
             "t:1: bad argument #1 to 'fail' (number expected, got string)");
    bc_fails(e, "C.fail", "2.5, 'm'",
             "t:1: bad argument #1 to 'fail' (number has no integer representation)");
    bc_fails(e, "C.fail", "2", "t:1: bad argument #2 to 'fail' (string expected, got no value)");
    bc_fails(e, "C.fail", "2, {}", "t:1: bad argument #2 to 'fail' (string expected, got table)");
}

/* opts.typename(v) -> string */
static void test_opts_typename(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.typename", "1", 1);
    bc_is(e, "R[1]", "number");
    bc_ok(e, "C.typename", "nil", 1);
    bc_is(e, "R[1]", "nil");
    bc_ok(e, "C.typename", "cv.table{a = {1}}", 1);
    bc_is(e, "R[1]", "cv.Table");
    bc_ok(e, "C.typename", "cv.table{a = {1}}:col('a')", 1);
    bc_is(e, "R[1]", "cv.Column");
    bc_ok(e, "C.typename", "setmetatable({}, {__name = 7})", 1); /* a non-string __name */
    bc_is(e, "R[1]", "table");
    bc_ok(e, "C.typename", "setmetatable({}, {__name = 'Point'})", 1);
    bc_is(e, "R[1]", "Point");
    bc_fails(e, "C.typename", "", "t:1: bad argument #1 to 'typename' (value expected)");
}

/* opts.suggest(word, candidates [, max]) -> {name...} */
static void test_opts_suggest(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.suggest", "'horizn', {'horizon', 'discount', 'margin'}", 1);
    bc_is(e, "table.concat(R[1], ',')", "horizon");
    bc_ok(e, "C.suggest", "'cat', {'bat', 'hat', 'rat'}, 2", 1); /* ties, in order, max 2 */
    bc_is(e, "table.concat(R[1], ',')", "bat,hat");
    bc_ok(e, "C.suggest", "'cat', {'bat', 7, 'hat'}, 5", 1); /* non-strings skipped */
    bc_is(e, "table.concat(R[1], ',')", "bat,hat");
    bc_ok(e, "C.suggest", "'zzzzzzzz', {'horizon', 'discount'}", 1);
    bc_is(e, "#R[1]", "0");
    bc_ok(e, "C.suggest", "42, {'horizon'}", 1);
    bc_is(e, "#R[1]", "0");
    bc_ok(e, "C.suggest", "'horizn', {'horizon'}, 0", 1);
    bc_is(e, "#R[1]", "0");
    bc_fails(e, "C.suggest", "'x'",
             "t:1: bad argument #2 to 'suggest' (table expected, got no value)");
    bc_fails(e, "C.suggest", "'x', 'horizon'",
             "t:1: bad argument #2 to 'suggest' (table expected, got string)");
    bc_fails(e, "C.suggest", "'x', {}, 'many'",
             "t:1: bad argument #3 to 'suggest' (number expected, got string)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_opts_fail),
        T(test_opts_typename),
        T(test_opts_suggest),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
