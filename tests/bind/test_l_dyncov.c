/* Tests of the binding module cv.core.dyncov (src/lua/l_dyncov.c), each function called
   from C in a real engine. The likelihood against the Pareto/NBD's closed form at alpha =
   beta (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model": with alpha =
   beta the integral term is s/(r+s+x) ((alpha+t_x)^-(r+s+x) - (alpha+T)^-(r+s+x))): at r =
   s = alpha = beta = 1 and T = 1, a customer with no repeat purchase has L = 1/4 + 3/8 =
   5/8, one with a purchase at 0.5 has L = 1/8 + (1/1.5^3 - 1/8)/3. The same values with a
   covariate held at 1 and a coefficient log 2 on both processes from alpha = beta = 2
   (alpha_i = beta_i = 1). Every argument error's exact message; the stack balanced. */
#include <math.h>

#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.dyncov") != 0)
        return -1;
    /* customer 1: x = 0, T = 1; customer 2: x = 1 at 0.5, T = 1; one period each from 0
       with the covariate 1 */
    bc_run(*state, "function data(o)\n"
                   "   local d = {x = {0, 1}, t_x = {0, 0.5}, T = {1, 1}, ntrans = {0, 1},\n"
                   "      ttime = {0.5}, nper = {1, 1}, pstart = {0, 0}, z = {1, 1}, ncov = 1,\n"
                   "      proc = {'both'}, col = {1}}\n"
                   "   for k, v in pairs(o or {}) do d[k] = v end\n"
                   "   return d\n"
                   "end\n"
                   "L2 = math.log(2)");
    return 0;
}

/* loglik(data, theta) -> LL, {LL of each customer} */
static void test_dyncov_loglik(void **state)
{
    cv_engine *e = *state;
    const double a = log(5.0 / 8.0), b = log(0.125 + (1.0 / (1.5 * 1.5 * 1.5) - 0.125) / 3.0);
    bc_ok(e, "C.loglik", "data(), {0, 0, 0, 0, 0}", 2);
    bc_near(e, "R[2][1]", a, 1e-12);
    bc_near(e, "R[2][2]", b, 1e-12);
    bc_near(e, "R[1]", a + b, 1e-12);
    bc_ok(e, "C.loglik", "data(), {0, L2, 0, L2, L2}", 2);
    bc_near(e, "R[2][1]", a, 1e-12);
    bc_near(e, "R[2][2]", b, 1e-12);
    /* the coefficient on the purchases only: alpha_i = 1, beta stays 2, the Pareto/NBD at
       (1, 1, 1, 2) of the model without covariates (its own code: 2F1 at alpha != beta) */
    bc_ok(e, "C.loglik", "data{proc = {'trans'}}, {0, L2, 0, L2, L2}", 2);
    bc_run(e, "local S = cv.table{{'x', {0, 1}}, {'t_x', {0, 0.5}}, {'T', {1, 1}}}\n"
              "local want = require('cv.core.models').loglik('pareto_nbd', {1, 1, 1, 2}, S, {})\n"
              "assert(math.abs(R[1] - want) <= 1e-10 * math.abs(want), R[1] .. ' ' .. want)");

    bc_fails(e, "C.loglik", "data(), {0, 0, 0, 0}",
             "t:1: bad argument #2 to 'loglik' (5 values expected)");
    bc_fails(e, "C.loglik", "data(), {0, 0, 0, 0, 'x'}",
             "t:1: bad argument #-1 to 'loglik' (number expected, got string)");
    bc_fails(e, "C.loglik", "data{proc = {'lifetime'}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: coefficient 1: invalid process 'lifetime' (trans, life or both)");
    bc_fails(e, "C.loglik", "data{col = {2}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: coefficient 1: no covariate column 2");
    bc_fails(e, "C.loglik", "data{col = {}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 'col' must be an array as long as 'proc'");
    bc_fails(e, "C.loglik", "data{ncov = 0}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 'ncov' must be a positive integer");
    bc_fails(e, "C.loglik", "data{t_x = {0}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 't_x' has 1 values, 2 expected");
    bc_fails(e, "C.loglik", "data{ntrans = {0, 1.5}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 'ntrans', element 2: a count expected");
    bc_fails(e, "C.loglik", "data{ttime = 1}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 'ttime' must be an array");
    bc_fails(e, "C.loglik", "data{z = {1, 'a'}}, {0, 0, 0, 0, 0}",
             "t:1: dyncov: field 'z', element 2: number expected");
    bc_fails(e, "C.loglik", "1, {0, 0, 0, 0, 0}",
             "t:1: bad argument #1 to 'loglik' (table expected, got number)");
}

/* fit(data) -> the fit's fields (the optimizer's state among them: lbind_setfitstate,
   lbind_setoptim) */
static void test_dyncov_fit_fields(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.fit", "data()", 1);
    assert_string_equal(bc_eval(e, "#R[1].est"), "5");
    assert_string_equal(bc_eval(e, "type(R[1].status)"), "string");
    assert_string_equal(bc_eval(e, "type(R[1].boundary)"), "table");
    assert_string_equal(bc_eval(e, "type(R[1].se_ok)"), "boolean");
    assert_string_equal(bc_eval(e, "type(R[1].method)"), "string");
    assert_string_equal(bc_eval(e, "math.type(R[1].iterations)"), "integer");
    assert_string_equal(bc_eval(e, "math.type(R[1].evaluations)"), "integer");
    assert_string_equal(bc_eval(e, "R[1].n_rows"), "2");
    /* the fit's loglik is the likelihood at its estimates */
    bc_run(e, "local f = R[1]\n"
              "local th = {math.log(f.est[1]), math.log(f.est[2]), math.log(f.est[3]),\n"
              "   math.log(f.est[4]), f.est[5]}\n"
              "local ll = C.loglik(data(), th)\n"
              "assert(math.abs(ll - f.loglik) <= 1e-9 * math.abs(f.loglik), ll)");
}

/* objective(data, theta) -> f, {gradient}: -LL/N plus data's penalty (reg_trans, reg_life
   on the coefficients: a coefficient on both processes in both sums) */
/* pmf_new(data, theta, path, t, n) -> P(X(t) = n), E[X(t)]; pmf, profile and intervals:
   shapes and argument errors (their values: tests/unit/test_dyncov_pmf.c,
   test_dyncov_interval.c) */
static void test_dyncov_counts(void **state)
{
    cv_engine *e = *state;
    /* a covariate held at 1 and a coefficient log 2 from alpha = beta = 2: the Pareto/NBD at
       (1, 1, 1, 1) */
    bc_ok(e, "C.pmf_new", "data(), {0, L2, 0, L2, L2}, {pstart = {0, 1, 2}, z = {1, 1, 1}}, 3, 2", 2);
    bc_run(e, "local M = require('cv.core.models')\n"
              "local w = M.predict1('pareto_nbd', {1, 1, 1, 1}, 'pmf', 0, 0, 1, 0, 3, 2)\n"
              "local m = M.predict1('pareto_nbd', {1, 1, 1, 1}, 'expected', 0, 0, 1, 0, 3, 0)\n"
              "assert(math.abs(R[1] - w) <= 1e-10, R[1] .. ' ' .. w)\n"
              "assert(math.abs(R[2] - m) <= 1e-10, R[2] .. ' ' .. m)");
    bc_fails(e, "C.pmf_new", "data(), {0, 0, 0, 0, 0}, {pstart = {0}, z = {1}}, 3, -1",
             "t:1: bad argument #5 to 'pmf_new' (a count expected)");
    bc_fails(e, "C.pmf_new", "data(), {0, 0, 0, 0, 0}, {pstart = {0}, z = {1}}, 3, 1",
             "the covariate periods do not cover the first purchase to t = 3 without gaps");
    bc_ok(e, "C.pmf", "data(), {0, 0, 0, 0, 0}, {nper = {1, 1}, pstart = {1, 1}, z = {1, 1}}, 1, 0",
          1);
    bc_run(e, "assert(#R[1] == 2 and R[1][1] > 0 and R[1][1] < 1)");
    bc_fails(e, "C.profile", "data(), {1, 1, 1, 1, 0}, 9, {0}", "profile: no parameter 9 of 5");
    bc_fails(e, "C.intervals", "data(), {1, 1, 1, 1, 0}, {1}, {kinds = {'p_alive'}}",
             "t:1: dyncov: field 'cov' has 1 values, 25 expected");
}

static void test_dyncov_objective(void **state)
{
    cv_engine *e = *state;
    const double a = log(5.0 / 8.0), b = log(0.125 + (1.0 / (1.5 * 1.5 * 1.5) - 0.125) / 3.0);
    const double l2 = log(2.0);
    bc_ok(e, "C.objective", "data(), {0, L2, 0, L2, L2}", 2);
    bc_near(e, "R[1]", -(a + b) / 2, 1e-12);
    bc_run(e, "G0 = R[2]");
    bc_ok(e, "C.objective", "data{reg_trans = 2, reg_life = 1}, {0, L2, 0, L2, L2}", 2);
    bc_near(e, "R[1]", -(a + b) / 2 + 3 * l2 * l2, 1e-12);
    bc_near(e, "R[2][5] - G0[5]", 6 * l2, 1e-12);
    bc_near(e, "R[2][1] - G0[1]", 0.0, 1e-15);
    bc_fails(e, "C.objective", "data{reg_trans = -1}, {0, 0, 0, 0, 0}",
             "penalty: reg.trans = -1 must be a number >= 0");
    bc_fails(e, "C.objective", "data(), {0, 0, 0, 0}",
             "t:1: bad argument #2 to 'objective' (5 values expected)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dyncov_loglik, setup, bc_teardown),
        cmocka_unit_test_setup_teardown(test_dyncov_fit_fields, setup, bc_teardown),
        cmocka_unit_test_setup_teardown(test_dyncov_counts, setup, bc_teardown),
        cmocka_unit_test_setup_teardown(test_dyncov_objective, setup, bc_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
