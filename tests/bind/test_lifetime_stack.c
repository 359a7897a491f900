/* Stack discipline of the bindings (docs/safety.md, "Lifetime-safe bindings"): a C function
   is given LUA_MINSTACK (20) free slots of the Lua stack; a binding that keeps a value per
   element of an argument (a scratch array, a name) must grow the stack first. Lua itself
   (the system library, not instrumented) writes past the end of the stack without a word,
   so AddressSanitizer sees nothing: these tests run the bindings in a Lua state whose
   allocator puts a guard of 8 KB after every block and checks it when the block is
   resized or freed. Each call runs in a new coroutine, whose stack is the smallest. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "lbind.h"

#define GUARD 8192
#define HEAD 16 /* the block's size, kept before it */

static int smashed; /* blocks whose guard was written */

static void guard_check(unsigned char *p)
{
    size_t n;
    memcpy(&n, p, sizeof n);
    for (size_t i = 0; i < GUARD; i++)
        if (p[HEAD + n + i] != 0xA5) {
            smashed++;
            return;
        }
}

static void *guard_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    unsigned char *p = ptr ? (unsigned char *)ptr - HEAD : NULL, *q;
    (void)ud, (void)osize;
    if (p)
        guard_check(p);
    if (nsize == 0) {
        free(p);
        return NULL;
    }
    if ((q = realloc(p, HEAD + nsize + GUARD)) == NULL)
        return NULL;
    memcpy(q, &nsize, sizeof nsize);
    memset(q + HEAD + nsize, 0xA5, GUARD);
    return q + HEAD;
}

/* A state with the base libraries and the C modules under test as globals. */
static lua_State *guarded_state(void)
{
    lua_State *L = lua_newstate(guard_alloc, NULL);
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "cv.core.table", luaopen_cv_table, 0);
    lua_pop(L, 1); /* pop module */
    luaL_requiref(L, "mc", luaopen_cv_mc, 1);
    luaL_requiref(L, "cov", luaopen_cv_covariates, 1);
    luaL_requiref(L, "dyncov", luaopen_cv_dyncov, 1);
    lua_pop(L, 3); /* pop modules */
    return L;
}

/* Runs code in L; asserts it succeeds, then that no guard was written once L is closed. */
static void run_guarded(const char *code)
{
    lua_State *L = guarded_state();
    smashed = 0;
    if (luaL_dostring(L, code) != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        fail();
    }
    lua_close(L);
    assert_int_equal(smashed, 0);
}

/* mc.draws keeps one slot per distribution at most (64 resampled ones, 64 uniform ones) */
static void test_draws_64_specs(void **state)
{
    (void)state;
    run_guarded("local specs, uni = {}, {}\n"
                "for i = 1, 64 do specs[i] = {'resample', {i, i}}; uni[i] = {'uniform', 0, 1} end\n"
                "local r = coroutine.wrap(function() return mc.draws(specs, 3, 1) end)()\n"
                "assert(#r == 64 and r[64][1] == 64 and r[1][3] == 1)\n"
                "r = coroutine.wrap(function() return mc.draws(uni, 2, 1) end)()\n"
                "assert(#r == 64 and #r[64] == 2)\n");
}

/* mc.formula over the 9 inputs of cost.switching, each resampled */
static void test_formula_9_inputs(void **state)
{
    (void)state;
    run_guarded("local names = {'search_cost', 'learning_cost', 'setup_cost', 'exit_fees',\n"
                "   'lost_benefits', 'new_purchase_cost', 'relationship_loss', 'brand_loss',\n"
                "   'uncertainty_cost'}\n"
                "local inputs = {}\n"
                "for _, n in ipairs(names) do inputs[n] = {'resample', {1, 1}} end\n"
                "local t, rej = coroutine.wrap(function()\n"
                "   return mc.formula('cost.switching', inputs, 4, 1) end)()\n"
                "assert(#t == 4 and rej == 0 and t:ncols() == 10)\n");
}

/* covariates.params1 and the 16 coefficients' scratch columns of a design */
static void test_design_16_coefficients(void **state)
{
    (void)state;
    run_guarded("local c, x = {}, {}\n"
                "for i = 1, 4 do c[i] = i; x[i] = 0.5 end\n"
                "local cols = {{'x', {1, 0, 2, 1}}, {'t_x', {1, 0, 3, 2}}, {'T', {4, 4, 4, 4}}}\n"
                "local design = {}\n"
                "for k = 1, 12 do cols[#cols + 1] = {'z' .. k, x}\n"
                "   design[k] = {column = 'z' .. k, proc = 'trans'} end\n"
                "local t = require('cv.core.table').from_columns(cols)\n"
                "local est = {1, 1, 1, 1}\n"
                "for k = 1, 12 do est[4 + k] = 0 end\n"
                "local r = coroutine.wrap(function()\n"
                "   return cov.predict('bgnbd', est, design, 'p_alive', t, 0, 0, 'p', {}) end)()\n"
                "assert(#r == 4 and r:col('p')[1] > 0)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_64_specs),
        cmocka_unit_test(test_formula_9_inputs),
        cmocka_unit_test(test_design_16_coefficients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
