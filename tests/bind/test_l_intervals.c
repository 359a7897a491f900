/* Tests of the binding module cv.core.intervals (src/lua/l_intervals.c), its one function
   called from C in a real engine: asymptotic intervals whose covariance is so small that
   every draw is the estimate, so that the estimates and both ends are worked out by hand
   (BG/NBD at r = alpha = a = b = 1: P(alive) 1 and 1 / (1 + (2 / 1.5)^2) = 0.36;
   Gamma-Gamma at p = 1, q = 2, gamma = 10: E[M | x = 1, m = 10] = (gamma + x m) p /
   (p x + q - 1) = 10), every argument error's exact message, and a Lua stack left as it was
   found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.intervals") != 0)
        return -1;
    /* two customers of age T = 1: x = 0 and 1 repeat purchases (the second at 0.5) */
    bc_run(*state, "S = cv.table{{'x', {0, 1}}, {'t_x', {0, 0.5}}, {'T', {1, 1}},\n"
                   "             {'mean_repeat_spend', {0, 10}}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "function tiny(k) local c = {} for i = 1, k * k do c[i] = 0 end\n"
                   "   for i = 1, k do c[(i - 1) * k + i] = 1e-20 end return c end\n"
                   "TX = {model = 'bgnbd', params = {1, 1, 1, 1}, cov_log = tiny(4)}\n"
                   "GG = {model = 'gamma_gamma', params = {1, 2, 10}, cov_log = tiny(3)}\n"
                   "O = {kinds = {'p_alive'}, draws = 10}\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = string.format('%.6f', c[i]) end\n"
                   "   return table.concat(c, ',') end\n"
                   "function est(r) local c = {}\n"
                   "   for i = 1, #r do c[i] = string.format('%s=%.6f:%.6f:%.6f', r[i].name,\n"
                   "      r[i].estimate, r[i].lo, r[i].hi) end\n"
                   "   return table.concat(c, ' ') end");
    return 0;
}

/* run(tx_fit, spend_fit, Table, opts) -> Table, totals, parameters, {draws, used} */
static void test_intervals_run(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.run", "TX, nil, S, O", 4);
    bc_is(e, "col(R[1], 'p_alive_lo') .. ';' .. col(R[1], 'p_alive_hi')",
          "1.000000,0.360000;1.000000,0.360000");
    bc_is(e, "R[1]:ncols() .. ' ' .. #R[2] .. ' ' .. #R[3]", "6 1 4");
    bc_is(e, "est(R[2])", "p_alive=1.360000:1.360000:1.360000");
    bc_is(e, "est(R[3])",
          "r=1.000000:1.000000:1.000000 alpha=1.000000:1.000000:1.000000 "
          "a=1.000000:1.000000:1.000000 b=1.000000:1.000000:1.000000");
    bc_is(e, "R[4].draws .. ' ' .. R[4].used", "10 10");
    /* no kinds: the parameters alone; spend alone */
    bc_ok(e, "C.run", "TX, nil, S, {draws = 2}", 4);
    bc_is(e, "R[1]:ncols() .. ' ' .. #R[2] .. ' ' .. #R[3] .. ' ' .. R[4].draws", "4 0 4 2");
    bc_ok(e, "C.run", "nil, GG, S, {kinds = {'spend'}, draws = 3}", 4);
    bc_is(e, "col(R[1], 'spend_lo')", "10.000000,10.000000");
    bc_is(e, "est(R[2])", "spend=20.000000:20.000000:20.000000");
    bc_is(e, "R[3][3].name .. ' ' .. R[3][3].estimate", "gamma 10.0");
    /* any integer seeds the draws (a negative one too) */
    bc_ok(e, "C.run", "TX, nil, S, {kinds = {'p_alive'}, draws = 2, seed = -1}", 4);
    bc_is(e, "est(R[2])", "p_alive=1.360000:1.360000:1.360000");
    /* the bootstrap refits on the fit's data: on these two customers half the refits run
       to the boundary, more than a 90% interval of 4 draws can hold (none) */
    bc_fails(e, "C.run",
             "{model = 'bgnbd', params = {1, 1, 1, 1}, data = S}, nil, S,"
             " {kinds = {'p_alive'}, method = 'bootstrap', draws = 4, seed = 7}",
             "intervals: 2 of 4 bootstrap refits failed (not converged or at the fence); a 90% "
             "interval of 4 draws holds at most 0: refits fail where the data say least, so "
             "the rest give too narrow an interval (try method = \"asymptotic\" or a penalty)");

    /* options */
    bc_fails(e, "C.run", "TX, nil, S, {kinds = {'p_alive', 'lifetime'}}",
             "t:1: cv.intervals: bad option 'kinds' (unknown kind 'lifetime')");
    bc_fails(e, "C.run", "TX, nil, S, {kinds = {'p_alive', 5}}",
             "t:1: cv.intervals: bad option 'kinds' (element 2: string expected, got number)");
    bc_fails(e, "C.run", "TX, nil, S, {kinds = 'p_alive'}",
             "t:1: cv.intervals: bad option 'kinds' (table expected, got string)");
    bc_fails(e, "C.run", "TX, nil, S, {method = 'jackknife'}",
             "t:1: cv.intervals: bad option 'method' (invalid option 'jackknife')");
    bc_fails(e, "C.run", "TX, nil, S, {draws = 2.5}",
             "t:1: cv.intervals: bad option 'draws' (integer expected, got 2.5)");
    bc_fails(e, "C.run", "TX, nil, S, {draws = 1e30}",
             "t:1: cv.intervals: bad option 'draws' (integer expected, got 1e+30)");
    bc_fails(e, "C.run", "TX, nil, S, {seed = -1/0}",
             "t:1: cv.intervals: bad option 'seed' (integer expected, got -inf)");
    bc_fails(e, "C.run", "TX, nil, S, {seed = '1'}",
             "t:1: cv.intervals: bad option 'seed' (number expected, got string)");
    bc_fails(e, "C.run", "TX, nil, S, {draws = -5}", "intervals need at least 2 draws, got 0");
    bc_fails(e, "C.run", "TX, nil, S, {level = 1}",
             "interval level must lie between 0 and 1, got 1");
    bc_fails(e, "C.run", "TX, nil, S, {horizon = 'x'}",
             "t:1: cv.intervals: bad option 'horizon' (number expected, got string)");
    bc_fails(e, "C.run", "TX, nil, S, {x = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend)");
    bc_fails(e, "C.run", "TX, nil, S, {kinds = {'spend'}}",
             "intervals: spend needs a gamma_gamma model");
    bc_fails(e, "C.run", "TX, nil, S", "t:1: bad argument #4 to 'run' (table expected, got nil)");

    /* the fits */
    bc_fails(e, "C.run", "{model = 'zz', params = {}}, nil, S, O",
             "t:1: bad argument #1 to 'run' (unknown model)");
    bc_fails(e, "C.run", "{model = 'bgnbd'}, nil, S, O",
             "t:1: bad argument #1 to 'run' (params expected)");
    bc_fails(e, "C.run", "{model = 'bgnbd', params = {1, 1, 1}}, nil, S, O",
             "bgnbd: parameter b = nan must be positive");
    bc_fails(e, "C.run", "{model = 'bgnbd', params = {1, 1, 1, 1}}, nil, S, O",
             "the covariance of the parameters is not positive definite: no asymptotic interval "
             "(try method = \"bootstrap\")");
    bc_fails(e, "C.run", "{model = 'bgnbd', params = {1, 1, 1, 1}, cov_log = {}}, nil, S, O",
             "the covariance of the parameters is not positive definite: no asymptotic interval "
             "(try method = \"bootstrap\")");
    bc_fails(e, "C.run",
             "TX, {model = 'pareto_nbd', params = {1, 1, 1, 1}, cov_log = tiny(4)}, S, O",
             "intervals: the spend model must be gamma_gamma");
    bc_fails(e, "C.run", "TX, nil, S, {kinds = {'p_alive'}, method = 'bootstrap', draws = 2}",
             "bgnbd: the bootstrap needs the data the model was fitted on");
    bc_fails(e, "C.run", "{model = 'bgnbd', params = {1, 1, 1, 1}, data = CL}, nil, S, O",
             "t:1: bad argument #1 to 'run' (data: attempt to use a closed table)");
    bc_fails(e, "C.run", "{model = 'bgnbd', params = {1, 1, 1, 1}, data = {}}, nil, S, O",
             "t:1: bad argument #1 to 'run' (data: cv.Table expected, got table)");
    bc_fails(e, "C.run", "'bgnbd', nil, S, O",
             "t:1: bad argument #1 to 'run' (table expected, got string)");
    bc_fails(e, "C.run", "TX, 5, S, O",
             "t:1: bad argument #2 to 'run' (table expected, got number)");
    bc_fails(e, "C.run", "TX, nil, CL, O",
             "t:1: bad argument #3 to 'run' (attempt to use a closed table)");
    bc_fails(e, "C.run", "TX, nil, {}, O",
             "t:1: bad argument #3 to 'run' (cv.Table expected, got table)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_intervals_run),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
