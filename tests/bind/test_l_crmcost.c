/* Tests of the binding module cv.core.crmcost (src/lua/l_crmcost.c), its one function called
   from C in a real engine: life-cycle costs worked out by hand (undiscounted, so exact, and
   one discounted year), every argument error's exact message, and a Lua stack left as it
   was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.crmcost") != 0)
        return -1;
    /* option 1 (2 users): 100 now, 10 a user in years 1-2, benefits 60 in years 1-2;
       option 2 (4 users): 100 now, benefits 80 in years 1-2 */
    bc_run(*state, "L = {{option = 1, kind = 'cost', amount = 100, from = 0},\n"
                   "     {option = 1, kind = 'cost', amount = 10, from = 1, to = 2,\n"
                   "      per_user = true},\n"
                   "     {option = 1, kind = 'benefit', amount = 60, from = 1, to = 2},\n"
                   "     {option = 2, amount = 100},\n"
                   "     {option = 2, kind = 'benefit', amount = 80, from = 1, to = 2}}\n"
                   "function line(t) return {t} end");
    return 0;
}

/* lcc(lines, users, discount, years) -> results, line_pv */
static void test_crmcost_lcc(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.lcc", "L, {2, 4}, 0, 2", 2);
    /* option 1: costs 100 + 2 x 10 x 2 = 140, benefits 120, annuity a(2, 0) = 2; its
       cumulative net value -100, -60, -20 never recovers: no payback */
    bc_is(e, "R[1][1].cost_nominal .. ' ' .. R[1][1].cost_pv .. ' ' .. R[1][1].benefit_pv",
          "140.0 140.0 120.0");
    bc_is(e, "R[1][1].npv .. ' ' .. R[1][1].annuity", "-20.0 2.0");
    bc_is(e, "R[1][1].eac .. ' ' .. R[1][1].eac_per_user", "70.0 35.0");
    bc_is(e, "R[1][1].payback", "nil");
    /* option 2: -100, -20, +60: below 0 until year 1, then 20 of year 2's 80 */
    bc_is(e, "R[1][2].cost_nominal .. ' ' .. R[1][2].benefit_pv .. ' ' .. R[1][2].npv",
          "100.0 160.0 60.0");
    bc_is(e, "R[1][2].eac .. ' ' .. R[1][2].eac_per_user .. ' ' .. R[1][2].payback",
          "50.0 12.5 1.25");
    bc_is(e, "#R[1] .. ' ' .. table.concat(R[2], ',')", "2 100.0,40.0,120.0,100.0,160.0");
    /* discounted: 110 in year 1 at 10% is worth 100 now; a(1, 0.1) = 1 / 1.1 */
    bc_ok(e, "C.lcc", "{{option = 1, amount = 110, from = 1}}, {1}, 0.1, 1", 2);
    bc_near(e, "R[1][1].cost_pv", 100.0, 1e-12);
    bc_near(e, "R[1][1].annuity", 1 / 1.1, 1e-15);
    bc_near(e, "R[1][1].eac", 110.0, 1e-12);
    bc_is(e, "R[1][1].cost_nominal .. ' ' .. tostring(R[1][1].payback)", "110.0 nil");
    /* benefits only: never below 0, payback 0 */
    bc_ok(e, "C.lcc", "{{option = 1, kind = 'benefit', amount = 5}}, {1}, 0, 1", 2);
    bc_is(e, "R[1][1].payback .. ' ' .. R[1][1].eac", "0.0 0.0");
    bc_ok(e, "C.lcc", "{}, {1}, 0, 1", 2);
    bc_is(e, "R[1][1].cost_pv .. ' ' .. #R[2]", "0.0 0");

    /* the core's domain errors */
    bc_fails(e, "C.lcc", "L, {2}, 0, 2", "line 4: option must be between 1 and 1, got 2");
    bc_fails(e, "C.lcc", "L, {2, 0}, 0, 2", "option 2: users must be > 0, got 0");
    bc_fails(e, "C.lcc", "L, {2, 4}, -1, 2", "discount must be > -1, got -1");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0/0, 2", "discount must be > -1, got -nan");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0, 1",
             "line 2: to must be between from (1) and years (1), got 2");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, from = 3}, {1}, 0, 2",
             "line 1: from must be between 0 and years (2), got 3");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, from = 2, to = 1}, {1}, 0, 2",
             "line 1: to must be between from (2) and years (2), got 1");
    bc_fails(e, "C.lcc", "line{amount = 1}, {1}, 0, 2",
             "line 1: option must be between 1 and 1, got 0");
    bc_fails(e, "C.lcc", "line{option = 1}, {1}, 0, 2",
             "line 1: amount must be a finite number, got nan");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1/0}, {1}, 0, 2",
             "line 1: amount must be a finite number, got inf");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1e308, per_user = true}, {10}, 0, 2",
             "option 1: the result is too large to represent (overflow)");

    /* a line's fields */
    bc_fails(e, "C.lcc", "line{option = 1.5, amount = 1}, {1}, 0, 2",
             "t:1: bad line 1 to 'lcc' (field 'option': a whole number expected, got 1.5)");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, to = 2^40}, {1}, 0, 2",
             "t:1: bad line 1 to 'lcc' (field 'to': a whole number expected, got 1099511627776.0)");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, from = 0/0}, {1}, 0, 2",
             "t:1: bad line 1 to 'lcc' (field 'from': a whole number expected, got -nan)");
    bc_fails(e, "C.lcc", "line{option = '1', amount = 1}, {1}, 0, 2",
             "t:1: cv.lcc: bad option 'option' (number expected, got string)");
    bc_fails(e, "C.lcc", "line{option = 1, amount = '1'}, {1}, 0, 2",
             "t:1: cv.lcc: bad option 'amount' (number expected, got string)");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, per_user = 1}, {1}, 0, 2",
             "t:1: cv.lcc: bad option 'per_user' (boolean expected, got number)");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, kind = 'loss'}, {1}, 0, 2",
             "t:1: bad line 1 to 'lcc' (field 'kind': invalid option 'loss')");
    bc_fails(e, "C.lcc", "line{option = 1, amount = 1, kind = true}, {1}, 0, 2",
             "t:1: bad line 1 to 'lcc' (field 'kind': string expected, got boolean)");
    bc_fails(e, "C.lcc", "{L[1], 5}, {1}, 0, 2",
             "t:1: bad line 2 to 'lcc' (table expected, got number)");

    /* the arguments */
    bc_fails(e, "C.lcc", "L, {2, 'many'}, 0, 2",
             "t:1: bad argument #2 to 'lcc' (users of option 2: number expected, got string)");
    bc_fails(e, "C.lcc", "L, {}, 0, 2",
             "t:1: bad argument #2 to 'lcc' (at least one option expected)");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0, 0",
             "t:1: bad argument #4 to 'lcc' (years between 1 and 1000 expected)");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0, 1001",
             "t:1: bad argument #4 to 'lcc' (years between 1 and 1000 expected)");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0, 1.5",
             "t:1: bad argument #4 to 'lcc' (number has no integer representation)");
    bc_fails(e, "C.lcc", "L, {2, 4}, 0",
             "t:1: bad argument #4 to 'lcc' (number expected, got no value)");
    bc_fails(e, "C.lcc", "L, {2, 4}, 'ten', 2",
             "t:1: bad argument #3 to 'lcc' (number expected, got string)");
    bc_fails(e, "C.lcc", "L, 2, 0, 2",
             "t:1: bad argument #2 to 'lcc' (table expected, got number)");
    bc_fails(e, "C.lcc", "nil, {2, 4}, 0, 2",
             "t:1: bad argument #1 to 'lcc' (table expected, got nil)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_crmcost_lcc),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
