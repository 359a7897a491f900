/* The binding frame (src/lua/lbind.c, lbind.h): values a binding pushed before the frame is
   set up (by its first option read, pin or anchor), such as a scratch array it still reads,
   stay on the stack and alive: below the frame with fewer arguments than LBIND_NARGS, moved
   up two slots with more. Before, the frame's lua_settop dropped those above LBIND_NARGS
   and the collector freed memory the binding still read (AddressSanitizer found it in
   dyncov.dtx, which reads its options after its arrays). Fails on the old frame. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lbind.h"

/* f(opts, ...): a scratch of 64 bytes filled with 7 pushed first, then opts.x read as an
   option (which sets the frame up), a full collection; returns whether the scratch is
   still on the stack (so alive), its last byte, x, and whether the first argument is
   still the options table */
static int scratch_then_option(lua_State *L)
{
    unsigned char *s = lbind_scratch(L, 64);
    int kept = 0;
    memset(s, 7, 64);
    lua_Number x = lbind_opt_number(L, 1, "x", "f", -1.0);
    lua_gc(L, LUA_GCCOLLECT);
    for (int i = lua_gettop(L); i > 0; i--)
        kept |= lua_touserdata(L, i) == s;
    lua_pushboolean(L, kept);
    lua_pushinteger(L, s[63]);
    lua_pushnumber(L, x);
    lua_pushboolean(L, lua_istable(L, 1));
    return 4;
}

/* runs chunk (which sets A, B, C, D from f) and checks the scratch survived */
static void check_run(lua_State *L, const char *chunk)
{
    assert_int_equal(luaL_dostring(L, chunk), LUA_OK);
    lua_getglobal(L, "A");
    assert_true(lua_toboolean(L, -1));
    lua_getglobal(L, "B");
    assert_int_equal(lua_tointeger(L, -1), 7);
    lua_getglobal(L, "C");
    assert_float_equal(lua_tonumber(L, -1), 2.5, 0.0);
    lua_getglobal(L, "D");
    assert_true(lua_toboolean(L, -1));
    lua_pop(L, 4);
}

static void test_scratch_survives_a_later_frame(void **state)
{
    lua_State *L = luaL_newstate();
    (void)state;
    assert_non_null(L);
    luaL_openlibs(L);
    lua_register(L, "f", scratch_then_option);
    /* fewer arguments than LBIND_NARGS: the scratch is below the frame */
    check_run(L, "A, B, C, D = f({x = 2.5})");
    /* the scratch above LBIND_NARGS arguments (16 given): it moves up, above the frame */
    check_run(L, "A, B, C, D = f({x = 2.5}, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)");
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scratch_survives_a_later_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
