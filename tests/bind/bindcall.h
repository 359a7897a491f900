/* Helpers of the per-module binding tests (tests/bind/test_l_<module>.c): one C function of
   a binding module called from C through lua_pcall in a real engine, with the Lua stack
   checked before and after, its results kept in the global R (table.pack) and its error
   message compared in full. Included by those test files only (static functions). */
#ifndef CVKIT_TEST_BINDCALL_H
#define CVKIT_TEST_BINDCALL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lbind.h"

/* The last error message of bc_call ("" after a success). */
static char bc_msg[4096];

/* A new engine (English) whose globals hold C = require(module); the setup of each test. */
static inline int bc_setup_module(void **state, const char *module)
{
    cv_error err;
    cv_engine_options o = {.lang = "en"};
    cv_engine *e = cv_engine_new(&o, &err);
    char code[200];
    if (!e) {
        fprintf(stderr, "engine: %s\n", err.msg);
        return -1;
    }
    snprintf(code, sizeof code, "C = require '%s'", module);
    if (cv_engine_run_string(e, "=setup", code) != 0) {
        fprintf(stderr, "setup: %s\n", cv_engine_error(e));
        cv_engine_free(e);
        return -1;
    }
    *state = e;
    return 0;
}

static inline int bc_teardown(void **state)
{
    cv_engine_free(*state);
    return 0;
}

/* Runs Lua code in the engine (setting up fixtures); asserts it succeeds and the stack
   is balanced. */
static inline void bc_run(cv_engine *e, const char *code)
{
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L);
    int rc = cv_engine_run_string(e, "=t", code);
    if (rc != 0)
        fprintf(stderr, "bc_run: %s\n", cv_engine_error(e));
    assert_int_equal(rc, 0);
    assert_int_equal(lua_gettop(L), top);
}

/* Calls the function fexpr (a Lua expression: "C.days", or "T:nrows" for a method) with the
   arguments args (a Lua expression list, maybe empty), both evaluated in the engine's
   globals, as the line "R = table.pack(fexpr(args))" of chunk "=t" run by lua_pcall from C:
   the function gets its name from the call ('days', a method's "calling 'nrows' on bad
   self") as in the Lua modules that call it, and a binding's error at the user's line reads
   "t:1: ...". Asserts the stack holds exactly what it held before. Returns the number of
   results (kept in the global R, with R.n), or -1 on an error (its message in bc_msg, R =
   nil). */
static inline int bc_call(cv_engine *e, const char *fexpr, const char *args)
{
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L), rc, n;
    char code[4096];
    snprintf(code, sizeof code, "R = table.pack(%s(%s))", fexpr, args);
    if (luaL_loadbuffer(L, code, strlen(code), "=t") != LUA_OK) {
        fprintf(stderr, "bc_call: cannot load '%s': %s\n", code, lua_tostring(L, -1));
        fail();
    }
    rc = lua_pcall(L, 0, 0, 0);
    bc_msg[0] = '\0';
    if (rc != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        assert_int_equal(lua_gettop(L), top + 1); /* exactly the message */
        snprintf(bc_msg, sizeof bc_msg, "%s", m ? m : "(not a string)");
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_setglobal(L, "R");
        assert_int_equal(lua_gettop(L), top);
        return -1;
    }
    assert_int_equal(lua_gettop(L), top);
    lua_getglobal(L, "R");
    lua_getfield(L, -1, "n");
    n = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
    assert_int_equal(lua_gettop(L), top);
    return n;
}

/* Asserts the call succeeds with exactly nres results. */
#define bc_ok(e, f, args, nres)                                                                    \
    do {                                                                                           \
        int bc_n_ = bc_call((e), (f), (args));                                                     \
        if (bc_n_ < 0)                                                                             \
            fprintf(stderr, "%s(%s): %s\n", (f), (args), bc_msg);                                  \
        assert_int_equal(bc_n_, (nres));                                                           \
    } while (0)

/* Asserts the call raises exactly the message want. */
#define bc_fails(e, f, args, want)                                                                 \
    do {                                                                                           \
        assert_int_equal(bc_call((e), (f), (args)), -1);                                           \
        assert_string_equal(bc_msg, (want));                                                       \
    } while (0)

/* The value of the Lua expression expr (over the globals, R among them) converted by
   tostring (numbers: "%.17g" for floats, so that a test compares exact doubles); static
   buffer, valid until the next call. */
static inline const char *bc_eval(cv_engine *e, const char *expr)
{
    static char out[4096];
    lua_State *L = cv_engine_lua(e);
    int top = lua_gettop(L);
    char code[4096];
    snprintf(code, sizeof code,
             "local v = (%s)\n"
             "if math.type(v) == 'float' then return string.format('%%.17g', v) end\n"
             "return tostring(v)",
             expr);
    if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "bc_eval: '%s': %s\n", expr, lua_tostring(L, -1));
        fail();
    }
    snprintf(out, sizeof out, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    assert_int_equal(lua_gettop(L), top);
    return out;
}

/* Asserts tostring(expr) is want. */
#define bc_is(e, expr, want) assert_string_equal(bc_eval((e), (expr)), (want))

/* Asserts the number expr is within tol of want. */
#define bc_near(e, expr, want, tol)                                                                \
    assert_float_equal(strtod(bc_eval((e), (expr)), NULL), (want), (tol))

#endif
