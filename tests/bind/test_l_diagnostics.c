/* Tests of the binding module cv.core.diagnostics (src/lua/l_diagnostics.c), each function
   called from C in a real engine: values worked out by hand (the NBD at r = alpha = 1, where
   P(X(1) = k) = 2^-(k + 1) and E[Y(t) | x, T = 1] = (1 + x) t / 2; BG/NBD's P(alive);
   Gamma-Gamma with p = q = 1, where m / (gamma + m) is uniform for x = 1; the gamma and beta
   densities), every argument error's exact message, and a Lua stack left as it was found
   with exactly the documented results. */
#include "bindcall.h"

#include "cvkit/models.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.diagnostics") != 0)
        return -1;
    /* two customers of age T = 1: x = 0 and 1 repeat purchases, 0 and 3 in the holdout */
    bc_run(*state, "S = cv.table{{'x', {0, 1}}, {'t_x', {0, 0.5}}, {'T', {1, 1}},\n"
                   "             {'mean_repeat_spend', {0, 10}}, {'x_holdout', {0, 3}}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "function cat(t) local c = {}\n"
                   "   for i = 1, #t do c[i] = tostring(t[i]) end return table.concat(c, ',') end");
    return 0;
}

/* "bad argument #idx to 'fname' (unknown model 'zz')" */
static void unknown_model(cv_engine *e, const char *f, const char *args, int idx)
{
    char want[200];
    snprintf(want, sizeof want, "t:1: bad argument #%d to '%s' (unknown model 'zz')", idx, f + 2);
    bc_fails(e, f, args, want);
}

/* histogram(name, params, Table, {max_x =, cols...}) -> expected, actual */
static void test_diagnostics_histogram(void **state)
{
    cv_engine *e = *state;
    /* expected 2 x {1/2, 1/4, 1/4}; actual: one customer with x = 0, one with x = 1 */
    bc_ok(e, "C.histogram", "'nbd', {1, 1}, S, {max_x = 2}", 2);
    bc_is(e, "cat(R[1]) .. ';' .. cat(R[2])", "1.0,0.5,0.5;1.0,1.0,0.0");
    bc_ok(e, "C.histogram", "'nbd', {1, 1}, S, {}", 2); /* max_x = 7 */
    bc_is(e, "#R[1] .. ' ' .. #R[2]", "8 8");
    unknown_model(e, "C.histogram", "'zz', {1, 1}, S, {}", 1);
    bc_fails(e, "C.histogram", "'nbd', {1}, S, {}",
             "t:1: bad argument #2 to 'histogram' (parameter 2 of nbd must be a number)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, CL, {}",
             "t:1: bad argument #3 to 'histogram' (attempt to use a closed table)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, {}, {}",
             "t:1: bad argument #3 to 'histogram' (cv.Table expected, got table)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S",
             "t:1: bad argument #4 to 'histogram' (table expected, got nil)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S, {max_x = 0}",
             "t:1: bad argument #4 to 'histogram' (max_x must lie in 1..1000)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S, {max_x = 2^40}",
             "t:1: bad argument #4 to 'histogram' (max_x must lie in 1..1000)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S, {max_x = 0/0}",
             "t:1: bad argument #4 to 'histogram' (max_x must lie in 1..1000)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S, {max_x = '2'}",
             "t:1: cv.histogram: bad option 'max_x' (number expected, got string)");
    bc_fails(e, "C.histogram", "'nbd', {1, 1}, S, {x = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.histogram", "'sbg', {1, 1}, S, {}",
             "sbg: no distribution of purchase counts to compare");
    bc_fails(e, "C.histogram", "'nbd', {-1, 1}, S, {}", "nbd: parameter r = -1 must be positive");
}

/* holdout(name, params, Table, {horizon =, by =, groups =, holdout =, cols...}) -> groups */
static void test_diagnostics_holdout(void **state)
{
    cv_engine *e = *state;
    /* by frequency, 2 groups: x = 0 (expects 1, bought 0), x >= 1 (expects 2, bought 3) */
    bc_ok(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, groups = 2}", 1);
    bc_is(e, "cat(R[1].lo) .. ';' .. cat(R[1].hi) .. ';' .. cat(R[1].customers)",
          "0.0,1.0;0.0,1.0;1.0,1.0");
    bc_is(e, "cat(R[1].actual) .. ';' .. cat(R[1].expected)", "0.0,3.0;1.0,2.0");
    /* by recency: group 0 without repeat purchases, then (0, 1] in one group */
    bc_ok(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, groups = 2, by = 'recency'}", 1);
    bc_is(e, "cat(R[1].customers) .. ';' .. cat(R[1].hi)", "1.0,1.0;0.0,0.5");
    bc_is(e, "cat(R[1].actual) .. ';' .. cat(R[1].expected)", "0.0,3.0;1.0,2.0");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, by = 'age'}",
             "t:1: cv.holdout: bad option 'by' (invalid option 'age')");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, by = 1}",
             "t:1: cv.holdout: bad option 'by' (string expected, got number)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, groups = 1}",
             "t:1: bad argument #4 to 'holdout' (groups must lie in 2..1000)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, groups = -2^63}",
             "t:1: bad argument #4 to 'holdout' (groups must lie in 2..1000)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {}", "holdout length must be positive, got nan");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, holdout = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, {horizon = 2, holdout = 3}",
             "t:1: cv.holdout: bad option 'holdout' (string expected, got number)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, CL, {horizon = 2}",
             "t:1: bad argument #3 to 'holdout' (attempt to use a closed table)");
    bc_fails(e, "C.holdout", "'nbd', {1, 1}, S, 2",
             "t:1: bad argument #4 to 'holdout' (table expected, got number)");
    bc_fails(e, "C.holdout", "'nbd', 1, S, {}",
             "t:1: bad argument #2 to 'holdout' (table expected, got number)");
    unknown_model(e, "C.holdout", "'zz', {1, 1}, S, {}", 1);
}

/* matrix(name, params, kind, T, nx, nr [, horizon]) -> x, t_x, z */
static void test_diagnostics_matrix(void **state)
{
    cv_engine *e = *state;
    /* T = 1, one recency bin (its middle 0.5); E[Y(2) | x] = 1 + x */
    bc_ok(e, "C.matrix", "'nbd', {1, 1}, 'conditional', 1, 2, 1, 2", 3);
    bc_is(e, "cat(R[1]) .. ';' .. cat(R[2])", "0.0,1.0;0.5");
    bc_is(e, "#R[3] .. ' ' .. cat(R[3][1]) .. ';' .. cat(R[3][2])", "2 1.0;2.0");
    /* BG/NBD r = alpha = a = b = 1, T = 1, x = 1: 1 / (1 + (2 / (1 + t_x))^2) at the middles
       1/4 and 3/4 of two bins: 25/89 and 49/113; x = 0: 1 */
    bc_ok(e, "C.matrix", "'bgnbd', {1, 1, 1, 1}, 'p_alive', 1, 2, 2", 3);
    bc_is(e, "cat(R[2]) .. ';' .. cat(R[3][1])", "0.25,0.75;1.0,1.0");
    bc_near(e, "R[3][2][1]", 25.0 / 89.0, 1e-14);
    bc_near(e, "R[3][2][2]", 49.0 / 113.0, 1e-14);
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'clv', 1, 2, 1",
             "t:1: bad argument #3 to 'matrix' (invalid option 'clv')");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 1, 0, 1",
             "t:1: bad argument #5 to 'matrix' (1..1000 expected)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 1, 2, 1001",
             "t:1: bad argument #6 to 'matrix' (1..1000 expected)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 1, 2.5, 1",
             "t:1: bad argument #5 to 'matrix' (number has no integer representation)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 1, 2",
             "t:1: bad argument #6 to 'matrix' (number expected, got no value)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 'old', 2, 1",
             "t:1: bad argument #4 to 'matrix' (number expected, got string)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 0, 2, 1",
             "matrix: age 0 with 2 x 1 cells (BG/BB: T whole, T + 1 recencies)");
    bc_fails(e, "C.matrix", "'nbd', {1, 1}, 'p_alive', 1, 2, 1, 'x'",
             "t:1: bad argument #7 to 'matrix' (number expected, got string)");
    unknown_model(e, "C.matrix", "'zz', {1, 1}, 'p_alive', 1, 2, 1", 1);
}

/* mixings(name, params) -> {{name, family, a, b, mean, sd}...}; density(family, a, b, {v}) */
static void test_diagnostics_mixings_density(void **state)
{
    cv_engine *e = *state;
    /* lambda ~ Gamma(2, rate 4): mean 1/2, sd sqrt 2 / 4 */
    bc_ok(e, "C.mixings", "'nbd', {2, 4}", 1);
    bc_is(e, "#R[1] .. ' ' .. R[1][1].name .. ' ' .. R[1][1].family", "1 lambda gamma");
    bc_is(e, "R[1][1].a .. ' ' .. R[1][1].b .. ' ' .. R[1][1].mean", "2.0 4.0 0.5");
    bc_near(e, "R[1][1].sd", 0.35355339059327379, 1e-15);
    /* BG/NBD: p ~ Beta(a = 1, b = 3): mean 1/4, sd sqrt(3 / 80) */
    bc_ok(e, "C.mixings", "'bgnbd', {2, 4, 1, 3}", 1);
    bc_is(e, "#R[1] .. ' ' .. R[1][2].name .. ' ' .. R[1][2].family .. ' ' .. R[1][2].mean",
          "2 p beta 0.25");
    bc_near(e, "R[1][2].sd", 0.19364916731037085, 1e-15);
    unknown_model(e, "C.mixings", "'zz', {1, 1}", 1);
    bc_fails(e, "C.mixings", "'nbd', {1, 'x'}",
             "t:1: bad argument #2 to 'mixings' (parameter 2 of nbd must be a number)");
    bc_fails(e, "C.mixings", "'nbd'",
             "t:1: bad argument #2 to 'mixings' (table expected, got no value)");
    bc_fails(e, "C.mixings", "",
             "t:1: bad argument #1 to 'mixings' (string expected, got no value)");

    /* Gamma(1, 1): e^-v; Beta(2, 2): 6 v (1 - v), 0 outside (0, 1) */
    bc_ok(e, "C.density", "'gamma', 1, 1, {0.5, 1}", 1);
    bc_near(e, "R[1][1]", 0.60653065971263342, 1e-15);
    bc_near(e, "R[1][2]", 0.36787944117144233, 1e-15);
    bc_ok(e, "C.density", "'beta', 2, 2, {0.5, 2}", 1);
    bc_is(e, "cat(R[1])", "1.5,0.0");
    bc_ok(e, "C.density", "'beta', 2, 2, {}", 1);
    bc_is(e, "#R[1]", "0");
    bc_fails(e, "C.density", "'normal', 2, 2, {}",
             "t:1: bad argument #1 to 'density' (invalid option 'normal')");
    bc_fails(e, "C.density", "'beta', 0, 2, {}",
             "t:1: bad argument #2 to 'density' (positive parameters expected)");
    bc_fails(e, "C.density", "'beta', 2, 0/0, {}",
             "t:1: bad argument #3 to 'density' (positive parameters expected)");
    bc_fails(e, "C.density", "'beta', 2, 2, {0.5, 'x'}",
             "t:1: bad argument #4 to 'density' (element 2 must be a number)");
    bc_fails(e, "C.density", "'beta', 2, 2",
             "t:1: bad argument #4 to 'density' (table expected, got no value)");
}

/* spend(params, Table, {cuts =, x =, m =, weight =}) -> expected, actual */
static void test_diagnostics_spend(void **state)
{
    cv_engine *e = *state;
    /* p = q = 1, gamma = 10: x = 1's mean spend m has P(m < 10) = 10 / 20; the customer
       with x = 0 is left out, the other's m = 10 falls in [10, inf) */
    bc_ok(e, "C.spend", "{1, 1, 10}, S, {cuts = {10}}", 2);
    bc_is(e, "cat(R[1]) .. ';' .. cat(R[2])", "0.5,0.5;0.0,1.0");
    bc_fails(e, "C.spend", "{1, 1, 10}, S, {}",
             "t:1: cv.spend: bad option 'cuts' (table expected, got nil)");
    bc_fails(e, "C.spend", "{1, 1, 10}, S, {cuts = 10}",
             "t:1: cv.spend: bad option 'cuts' (table expected, got number)");
    bc_fails(e, "C.spend", "{1, 1, 10}, S, {cuts = {10, 'x'}}",
             "t:1: cv.spend: bad option 'cuts' (element 2 must be a number)");
    bc_fails(e, "C.spend", "{1, 1, 10}, S, {cuts = {10, 5}}",
             "spend: the bin limits must be positive and rise");
    bc_fails(e, "C.spend", "{1, 1, 10}, S, {cuts = {10}, m = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.spend", "{1, 1}, S, {cuts = {10}}",
             "t:1: bad argument #1 to 'spend' (parameter 3 of gamma_gamma must be a number)");
    bc_fails(e, "C.spend", "{1, 1, 10}, CL, {cuts = {10}}",
             "t:1: bad argument #2 to 'spend' (attempt to use a closed table)");
    bc_fails(e, "C.spend", "{1, 1, 10}, S",
             "t:1: bad argument #3 to 'spend' (table expected, got nil)");
}

/* palive_path(name, params, {purchases}, {times}) -> {P(alive)} */
static void test_diagnostics_palive_path(void **state)
{
    cv_engine *e = *state;
    /* BG/NBD r = alpha = a = b = 1, a repeat purchase at 1: 1 before it; at t = 1, 1 / (1 +
       1) ; at t = 3, 1 / (1 + (4 / 2)^2) */
    bc_ok(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {1}, {0, 0.5, 1, 3}", 1);
    bc_is(e, "cat(R[1])", "1.0,1.0,0.5,0.2");
    bc_ok(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {}, {}", 1);
    bc_is(e, "#R[1]", "0");
    bc_fails(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {2, 1}, {3}",
             "purchase 2: times since the first purchase must be positive and ascending");
    bc_fails(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {1}, {-1}", "time 1 must be >= 0, got -1");
    bc_fails(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {'x'}, {3}",
             "t:1: bad argument #3 to 'palive_path' (element 1 must be a number)");
    bc_fails(e, "C.palive_path", "'bgnbd', {1, 1, 1, 1}, {1}",
             "t:1: bad argument #4 to 'palive_path' (table expected, got nil)");
    bc_fails(e, "C.palive_path", "'bgnbd', {1, 1, 1}, {1}, {3}",
             "t:1: bad argument #2 to 'palive_path' (parameter 4 of bgnbd must be a number)");
    bc_fails(e, "C.palive_path", "'gamma_gamma', {1, 1, 1}, {1}, {3}",
             "gamma_gamma: no P(alive) to follow");
    unknown_model(e, "C.palive_path", "'zz', {1}, {1}, {3}", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_diagnostics_histogram), T(test_diagnostics_holdout),
        T(test_diagnostics_matrix),    T(test_diagnostics_mixings_density),
        T(test_diagnostics_spend),     T(test_diagnostics_palive_path),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
