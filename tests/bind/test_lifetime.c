/* Tests of lifetime-safe bindings (docs/safety.md): pins, deferred close, the binding frame
   and anchors, with a handle type made here (its releases counted) and with the real
   cv.Table, cv.Column and cv.Connection, whose __gc and __close are taken from the
   registry (as a script could before metatables were protected), also in the sandbox. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lbind.h"

#define TEST_MT "test.Handle"

static int released;  /* objects released by release_obj */
static int seen_open; /* what use() saw of the object after its callback */

static void release_obj(void *obj)
{
    released++;
    free(obj);
}

/* handle() -> test.Handle owning a malloc'd int 42 */
static int t_handle(lua_State *L)
{
    int **slot = lbind_newhandle(L, sizeof *slot, TEST_MT, 0);
    if ((*slot = malloc(sizeof **slot)) == NULL)
        return luaL_error(L, "out of memory");
    **slot = 42;
    return 1;
}

/* __gc, __close, h:close() */
static int t_close(lua_State *L)
{
    int **slot = luaL_checkudata(L, 1, TEST_MT);
    int *obj = *slot;
    *slot = NULL;
    lbind_close(L, 1, obj, release_obj);
    return 0;
}

/* use(h, f [, opt]) -> value, released-during-call, opt: pins h, calls f, reads the object */
static int t_use(lua_State *L)
{
    int **slot = luaL_checkudata(L, 1, TEST_MT);
    int *obj;
    lbind_pin(L, 1);
    if ((obj = *slot) == NULL)
        return luaL_argerror(L, 1, "attempt to use a closed handle");
    lua_pushvalue(L, 2);
    lua_call(L, 0, 0);
    seen_open = *slot != NULL;
    lua_pushinteger(L, *obj); /* still alive: pinned */
    lua_pushinteger(L, released);
    lua_pushvalue(L, 3); /* an absent argument reads as nil after the frame */
    return 3;
}

/* use2(h, h2, f): pins two handles (maybe the same one twice) */
static int t_use2(lua_State *L)
{
    int **a = luaL_checkudata(L, 1, TEST_MT), **b = luaL_checkudata(L, 2, TEST_MT);
    int *oa, *ob;
    lbind_pin(L, 1);
    lbind_pin(L, 2);
    oa = *a, ob = *b;
    luaL_argcheck(L, oa && ob, 1, "closed");
    lua_pushvalue(L, 3);
    lua_call(L, 0, 0);
    lua_pushinteger(L, *oa + *ob);
    return 1;
}

/* anchor_outside(s): lbind_anchor without a frame (an internal error) */
static int t_anchor_outside(lua_State *L)
{
    lua_pushvalue(L, 1);
    lbind_anchor(L, -1, NULL);
    return 0;
}

/* nargs(...) -> the number of arguments seen once the frame is set up */
static int t_nargs(lua_State *L)
{
    int n = 0;
    lbind_frame(L);
    for (int k = 1; k <= LBIND_NARGS; k++)
        n += !lua_isnil(L, k);
    lua_pushinteger(L, n);
    return 1;
}

/* gc_of(mt, method, x): calls registry[mt][method](x), as a script that kept the
   metamethod before the metatable was protected */
static int t_gc_of(lua_State *L)
{
    luaL_getmetatable(L, luaL_checkstring(L, 1));
    lua_getfield(L, -1, luaL_checkstring(L, 2));
    luaL_checktype(L, -1, LUA_TFUNCTION);
    lua_pushvalue(L, 3);
    lua_call(L, 1, 0);
    return 0;
}

static void register_helpers(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__gc", t_close}, {"__close", t_close}, {NULL, NULL}};
    static const luaL_Reg funcs[] = {{"handle", t_handle}, {"use", t_use}, {"use2", t_use2},
                                     {"anchor_outside", t_anchor_outside}, {"nargs", t_nargs},
                                     {"gc_of", t_gc_of}, {NULL, NULL}};
    luaL_newmetatable(L, TEST_MT);
    luaL_setfuncs(L, meta, 0);
    lua_newtable(L);
    lua_pushcfunction(L, t_close);
    lua_setfield(L, -2, "close");
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1); /* pop metatable */
    lua_pushglobaltable(L);
    luaL_setfuncs(L, funcs, 0);
    lua_pop(L, 1); /* pop globals */
}

static cv_engine *engine(int sandbox)
{
    static char out[64];
    cv_engine_options o = {.sandbox = sandbox, .out_dir = out};
    cv_error err;
    cv_engine *e;
    snprintf(out, sizeof out, "/tmp/cvkit-lifetime-%d", (int)getpid());
    e = cv_engine_new(&o, &err);
    assert_non_null(e);
    register_helpers(cv_engine_lua(e));
    released = 0;
    return e;
}

static int setup(void **state)
{
    *state = engine(0);
    return 0;
}

static int setup_sandbox(void **state)
{
    *state = engine(1);
    return 0;
}

static int teardown(void **state)
{
    cv_engine_free(*state);
    return 0;
}

/* Runs code; checks the stack is balanced; returns the exit code (prints the error). */
static int run(cv_engine *e, const char *code)
{
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L), rc = cv_engine_run_string(e, "=t", code);
    assert_int_equal(lua_gettop(L), top);
    if (rc != 0)
        fprintf(stderr, "%s\n", cv_engine_error(e));
    return rc;
}

static lua_Integer global_int(cv_engine *e, const char *name)
{
    lua_State *L = cv_engine_lua(e);
    int isint = 0;
    lua_Integer v;
    lua_getglobal(L, name);
    v = lua_tointegerx(L, -1, &isint);
    lua_pop(L, 1);
    assert_true(isint);
    return v;
}

/* A handle closed by the callback of the binding using it: released when it returns. */
static void test_lifetime_release_deferred_to_return(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "h = handle()\n"
                            "v, during, opt = use(h, function() h:close() collectgarbage() end)\n"
                            "assert(opt == nil)\n"
                            "closed = select(2, pcall(use, h, print)):find('closed') ~= nil"),
                     0);
    assert_int_equal(global_int(e, "v"), 42);
    assert_int_equal(global_int(e, "during"), 0); /* not released inside the call */
    assert_int_equal(seen_open, 0);               /* but closed at once */
    assert_int_equal(released, 1);                /* and released when it returned */
    assert_int_equal(run(e, "assert(closed)"), 0);
}

/* The same on an error out of the callback: the pin is dropped by the unwinding. */
static void test_lifetime_release_on_error(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "h = handle()\n"
                            "ok, msg = pcall(use, h, function() h:close() error('stop') end)\n"
                            "assert(not ok and msg:find('stop'))"),
                     0);
    assert_int_equal(released, 1);
}

/* Two pins on one handle; __gc, __close and close all closing it, more than once. */
static void test_lifetime_nested_pins(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "h = handle()\n"
                            "s = use2(h, h, function()\n"
                            "   local n0 = select(2, use(h, function() h:close() end))\n"
                            "   assert(n0 == 0)\n"
                            "   local mt = debug.getmetatable(h)\n"
                            "   mt.__gc(h) mt.__close(h) h:close()\n"
                            "end)"),
                     0);
    assert_int_equal(global_int(e, "s"), 84);
    assert_int_equal(released, 1);
}

/* A binding left in a dead coroutine holds its pin until the coroutine is closed, or
   collected. */
static void test_lifetime_dead_coroutine(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "h = handle()\n"
                            "co = coroutine.create(function() use(h, function() error() end) end)\n"
                            "assert(not coroutine.resume(co))\n"
                            "h:close()"),
                     0);
    assert_int_equal(released, 0);
    assert_int_equal(run(e, "coroutine.close(co)"), 0);
    assert_int_equal(released, 1);
    assert_int_equal(run(e, "h = handle()\n"
                            "co = coroutine.create(function() use(h, function() error() end) end)\n"
                            "coroutine.resume(co)\n"
                            "h, co = nil, nil collectgarbage() collectgarbage()"),
                     0);
    assert_int_equal(released, 2);
}

/* The frame: absent arguments are nil, at most LBIND_NARGS are kept; anchors need it. */
static void test_lifetime_frame(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "n0 = nargs() n3 = nargs(1, nil, 3, 4)\n"
                            "n20 = nargs(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20)"),
                     0);
    assert_int_equal(global_int(e, "n0"), 0);
    assert_int_equal(global_int(e, "n3"), 3);
    assert_int_equal(global_int(e, "n20"), LBIND_NARGS);
    assert_int_equal(run(e, "local ok, msg = pcall(anchor_outside, 'x')\n"
                            "assert(msg:find('outside a binding frame'))"),
                     0);
}

/* cv.Column's __gc taken from the registry and called directly: every use raises. */
static void test_lifetime_column_gc_from_registry(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local t = cv.table{{'a', {1, 2, 3}}}\n"
                            "local c = t:col('a')\n"
                            "gc_of('cv.Column', '__gc', c) gc_of('cv.Column', '__gc', c)\n"
                            "for _, f in ipairs{function() return c[1] end,\n"
                            "      function() return #c end, function() return c:sum() end,\n"
                            "      function() return c:name() end} do\n"
                            "   local ok, msg = pcall(f)\n"
                            "   assert(not ok and msg:find('attempt to use a closed column'))\n"
                            "end\n"
                            "assert(tostring(c) == 'cv.Column (closed)')\n"
                            "sum = t:col('a'):sum()"),
                     0);
    assert_int_equal(global_int(e, "sum"), 6);
}

/* cv.Table's __gc from the registry, called inside a per-row callback and inside a
   metamethod run by a binding: the result is right, the table closed afterwards. */
static void test_lifetime_table_gc_in_callback(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local t = cv.table{{'a', {1, 2, 3}}, {'b', {'x', 'y', 'z'}}}\n"
                            "local r = t:add('c', function(row)\n"
                            "   gc_of('cv.Table', '__gc', t) collectgarbage()\n"
                            "   return row.a * 10\n"
                            "end)\n"
                            "c3 = r:col('c')[3]\n"
                            "b2 = r:col('b')[2]\n"
                            "closed = not pcall(function() return #t end)\n"
                            "local u = cv.table{{'a', {5, 6}}}\n"
                            "local f = u:filter(function(row)\n"
                            "   gc_of('cv.Table', '__close', u) return row.a > 5 end)\n"
                            "n = #f"),
                     0);
    assert_int_equal(global_int(e, "c3"), 30);
    assert_int_equal(global_int(e, "n"), 1);
    assert_int_equal(run(e, "assert(b2 == 'y' and closed)"), 0);
}

/* In the sandbox: the cases of the issue, each with its right result. */
static void test_lifetime_sandboxed_script(void **state)
{
    cv_engine *e = *state;
    assert_int_equal(run(e, "local t = cv.table{{'a', {1, 2, 3}}, {'b', {'x', 'y', 'z'}}}\n"
                            "local r = t:add('c', function() t:close() return 1 end)\n"
                            "assert(#r == 3 and r:col('c'):sum() == 3)\n"
                            "t = cv.table{{'a', {1, 2, 3}}, {'b', {'x', 'y', 'z'}}}\n"
                            "r = t:filter(function(row) t:close() return row.a ~= 2 end)\n"
                            "assert(#r == 2 and r:col('b')[2] == 'z')\n"
                            "t = cv.table{{'a', {1, 2, 3}}, {'b', {'x', 'y', 'z'}}}\n"
                            "local calls = 0\n"
                            "local names = setmetatable({'b'}, {__len = function()\n"
                            "   calls = calls + 1 t:close() return 2 end})\n"
                            "r = t:select(names)\n"
                            "assert(r:ncols() == 1 and r:col('b')[3] == 'z' and calls == 0)\n"
                            "local c = t:col('a')\n"
                            "t:close()\n"
                            "assert(not pcall(function() return #t end))\n"
                            "assert(c:sum() == 6)"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_lifetime_release_deferred_to_return),
        T(test_lifetime_release_on_error),
        T(test_lifetime_nested_pins),
        T(test_lifetime_dead_coroutine),
        T(test_lifetime_frame),
        T(test_lifetime_column_gc_from_registry),
        T(test_lifetime_table_gc_in_callback),
        cmocka_unit_test_setup_teardown(test_lifetime_sandboxed_script, setup_sandbox, teardown),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
