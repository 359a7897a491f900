/* Tests of the binding module cv.core.covariates (src/lua/l_covariates.c), each function
   called from C in a real engine: the parametrization alpha_i = alpha exp(-g z_i) checked by
   hand on a 0/1 covariate (BG/NBD at r = a = b = 1, alpha = 2, g = log 2: the customer with
   z = 1 has alpha_i = 1, so P(alive | x = 1, t_x = 0.5, T = 1) = 1 / (1 + (2 / 1.5)^2) =
   0.36, the one with z = 0 keeps alpha = 2: 1 / (1 + (3 / 2.5)^2) = 1 / 2.44), the
   likelihood-ratio test against the chi-square tail (stat 4: P(chi2_1 > 4) = erfc(sqrt 2),
   P(chi2_2 > 4) = exp(-2)), every argument error's exact message, and a Lua stack left as
   it was found with exactly the documented results. */
#include <math.h>

#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.covariates") != 0)
        return -1;
    /* two customers alike but for the 0/1 covariate g (z = 1, then 0); a text column */
    bc_run(*state, "S = cv.table{{'x', {1, 1}}, {'t_x', {0.5, 0.5}}, {'T', {1, 1}},\n"
                   "             {'g', {1, 0}}, {'seg', {'a', 'b'}}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "D = {{column = 'g', proc = 'trans'}}\n"
                   "MANY = {} for i = 1, 33 do MANY[i] = 'trans' end\n"
                   "EST = {1, 2, 1, 1, math.log(2)}\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = string.format('%.12f', c[i]) end\n"
                   "   return table.concat(c, ',') end\n"
                   "function fmt(v) local c = {}\n"
                   "   for i = 1, #v do c[i] = string.format('%.12g', v[i]) end\n"
                   "   return table.concat(c, ',') end\n"
                   /* 40 customers, half with z = 1: a fit that converges */
                   "local x, tx, T, z = {}, {}, {}, {}\n"
                   "for i = 1, 40 do x[i] = i % 4; tx[i] = x[i] > 0 and 0.2 * (i % 5) + 0.1 or 0\n"
                   "   T[i] = 1; z[i] = i % 2 end\n"
                   "F = cv.table{{'x', x}, {'t_x', tx}, {'T', T}, {'g', z}}");
    return 0;
}

/* params1(name, est, procs, z) -> the customer's parameters */
static void test_cov_params1(void **state)
{
    cv_engine *e = *state;
    /* Pareto/NBD (r, alpha, s, beta) = (1, 2, 1, 3): alpha exp(-g_trans z), beta
       exp(-g_life z) */
    bc_ok(e, "C.params1", "'pareto_nbd', {1, 2, 1, 3, math.log(2)}, {'trans'}, {1}", 1);
    bc_is(e, "fmt(R[1])", "1,1,1,3");
    bc_ok(e, "C.params1", "'pareto_nbd', {1, 2, 1, 3, math.log(3)}, {'life'}, {2}", 1);
    bc_is(e, "fmt(R[1])", "1,2,1,0.333333333333");
    bc_ok(e, "C.params1", "'pareto_nbd', {1, 2, 1, 3, math.log(2)}, {'both'}, {1}", 1);
    bc_is(e, "fmt(R[1])", "1,1,1,1.5");
    bc_ok(e, "C.params1", "'pareto_nbd', {1, 2, 1, 3, math.log(2)}, {'trans'}, {0}", 1);
    bc_is(e, "fmt(R[1])", "1,2,1,3");
    /* BG/NBD (r, alpha, a, b): a and b both scaled by exp(g_life z) */
    bc_ok(e, "C.params1", "'bgnbd', {1, 2, 3, 4, math.log(2)}, {'life'}, {1}", 1);
    bc_is(e, "fmt(R[1])", "1,2,6,8");
    bc_ok(e, "C.params1", "'bgnbd', {1, 2, 3, 4}, {}, {}", 1);
    bc_is(e, "fmt(R[1])", "1,2,3,4");
    /* Gamma-Gamma (p, q, gamma): gamma scaled by exp(g_spend z) */
    bc_ok(e, "C.params1", "'gamma_gamma', {6, 4, 15, math.log(2)}, {'spend'}, {1}", 1);
    bc_is(e, "fmt(R[1])", "6,4,30");

    bc_fails(e, "C.params1", "'bgnbd', EST, {'lifetime'}, {1}",
             "t:1: bad argument #3 to 'params1' (element 1: invalid process 'lifetime' "
             "(trans, life, both or spend))");
    bc_fails(e, "C.params1", "'bgnbd', EST, {7}, {1}",
             "t:1: bad argument #3 to 'params1' (element 1: string expected, got number)");
    bc_fails(e, "C.params1", "'bgnbd', EST, {'trans'}, {}",
             "t:1: bad argument #4 to 'params1' (element 1: number expected, got nil)");
    bc_fails(e, "C.params1", "'bgnbd', EST, {'trans'}, {'1'}",
             "t:1: bad argument #4 to 'params1' (element 1: number expected, got string)");
    bc_fails(e, "C.params1", "'bgnbd', EST, {'trans'}",
             "t:1: bad argument #4 to 'params1' (table expected, got no value)");
    bc_fails(e, "C.params1", "'bgnbd', EST, 'trans', {1}",
             "t:1: bad argument #3 to 'params1' (table expected, got string)");
    bc_fails(e, "C.params1", "'bgnbd', {1, 2, 3}, {}, {}",
             "t:1: bad argument #2 to 'params1' (estimates: numbers expected)");
    bc_fails(e, "C.params1", "'bgnbd', EST, MANY, {}",
             "t:1: bad argument #3 to 'params1' (too many coefficients)");
    bc_fails(e, "C.params1", "'nbd', {1, 1}, {}, {}",
             "t:1: bad argument #1 to 'params1' (a model with covariates expected (bgnbd, "
             "pareto_nbd, bgbb, gamma_gamma))");
    bc_fails(e, "C.params1", "nil, {1, 1}, {}, {}",
             "t:1: bad argument #1 to 'params1' (string expected, got nil)");
}

/* predict(name, est, design, kind, Table, arg, arg2, column, cols) -> Table */
static void test_cov_predict(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.predict", "'bgnbd', EST, D, 'p_alive', S", 1);
    bc_is(e, "col(R[1], 'p_alive')", "0.360000000000,0.409836065574");
    bc_is(e, "R[1]:ncols()", "6");
    bc_ok(e, "C.predict", "'bgnbd', EST, D, 'p_alive', S, 0, 0, 'alive'", 1);
    bc_is(e, "col(R[1], 'alive')", "0.360000000000,0.409836065574");
    /* no covariate: every customer alpha = 2 */
    bc_ok(e, "C.predict", "'bgnbd', {1, 2, 1, 1}, {}, 'p_alive', S", 1);
    bc_is(e, "col(R[1], 'p_alive')", "0.409836065574,0.409836065574");
    /* constrained ("both"): alpha_i = 1 and a_i = b_i = 2 for z = 1:
       1 / (1 + a / (b + x - 1) (2 / 1.5)^2) = 1 / (1 + 16 / 9) = 0.36 still */
    bc_ok(e, "C.predict", "'bgnbd', EST, {{column = 'g', proc = 'both'}}, 'p_alive', S", 1);
    bc_is(e, "col(R[1], 'p_alive')", "0.360000000000,0.409836065574");

    /* the design */
    bc_fails(e, "C.predict", "'bgnbd', EST, {{column = 'g', proc = 'lifetime'}}, 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (element 1, proc: invalid process 'lifetime' "
             "(trans, life, both or spend))");
    bc_fails(e, "C.predict", "'bgnbd', EST, {{column = 'g'}}, 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (element 1, proc: string expected, got nil)");
    bc_fails(e, "C.predict", "'bgnbd', EST, {{proc = 'trans'}}, 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (element 1, column: string expected, got nil)");
    bc_fails(e, "C.predict", "'bgnbd', EST, {{column = 4, proc = 'trans'}}, 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (element 1, column: string expected, got number)");
    bc_fails(e, "C.predict", "'bgnbd', EST, {'g'}, 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (element 1: table expected, got string)");
    bc_fails(e, "C.predict", "'bgnbd', EST, 'g', 'p_alive', S",
             "t:1: bad argument #3 to 'predict' (table expected, got string)");
    bc_fails(e, "C.predict", "'bgnbd', EST, {{column = 'zz', proc = 'trans'}}, 'p_alive', S",
             "no column 'zz' (columns: x, t_x, T, g, seg)");
    bc_fails(e, "C.predict", "'bgnbd', EST, {{column = 'seg', proc = 'trans'}}, 'p_alive', S",
             "covariate 'seg' is text: covariates are numbers; code each category but one (the "
             "reference) as a 0/1 column");
    /* the rest */
    bc_fails(e, "C.predict", "'bgnbd', {1, 2, 1, 1}, D, 'p_alive', S",
             "t:1: bad argument #2 to 'predict' (estimates: numbers expected)");
    bc_fails(e, "C.predict", "'bgnbd', EST, D, 'alive', S",
             "t:1: bad argument #4 to 'predict' (unknown prediction)");
    bc_fails(e, "C.predict", "'bgnbd', EST, D, 'p_alive', CL",
             "t:1: bad argument #5 to 'predict' (attempt to use a closed table)");
    bc_fails(e, "C.predict", "'bgnbd', EST, D, 'p_alive', S, 'a'",
             "t:1: bad argument #6 to 'predict' (number expected, got string)");
    bc_fails(e, "C.predict", "'bgnbd', EST, D, 'p_alive', S, 0, 0, nil, {x = 1}",
             "t:1: cv.predict: bad option 'x' (string expected, got number)");
    bc_fails(e, "C.predict", "'bgnbd', EST, D, 'p_alive', S, 0, 0, nil, {x = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, g, seg)");
}

/* fit(name, Table, design, cols) -> {est, se, ..., loglik, loglik0, aic, ...} */
static void test_cov_fit(void **state)
{
    cv_engine *e = *state;
    /* the rows collapse on (z, x, t_x, T): i mod 20 gives 20 patterns, of which the five with
       i mod 4 = 0 (x = 0, t_x = 0, z = 0) are one: 16 */
    bc_ok(e, "C.fit", "'bgnbd', F, D", 1);
    bc_is(e, "#R[1].est .. ' ' .. R[1].n_rows .. ' ' .. R[1].n_obs .. ' ' .. #R[1].eig",
          "5 16 40.0 5");
    bc_is(e, "#R[1].eigvec .. ' ' .. type(R[1].converged) .. ' ' .. R[1].method",
          "25 boolean bfgs");
    /* aic = -2 loglik + 2 k, bic = -2 loglik + k log n; the nested model fits no better */
    bc_is(e, "math.abs(R[1].aic - (-2 * R[1].loglik + 10)) < 1e-9", "true");
    bc_is(e, "math.abs(R[1].bic - (-2 * R[1].loglik + 5 * math.log(40))) < 1e-9", "true");
    bc_is(e, "R[1].loglik >= R[1].loglik0 - 1e-9", "true");
    /* no covariate: the model's own fit */
    bc_ok(e, "C.fit", "'bgnbd', F, {}", 1);
    bc_is(e, "#R[1].est .. ' ' .. tostring(math.abs(R[1].loglik - R[1].loglik0) < 1e-9)", "4 true");

    bc_fails(e, "C.fit", "'bgnbd', F, {{column = 'g', proc = 'tran'}}",
             "t:1: bad argument #3 to 'fit' (element 1, proc: invalid process 'tran' "
             "(trans, life, both or spend))");
    bc_fails(e, "C.fit", "'bgnbd', F, {D[1], 3}",
             "t:1: bad argument #3 to 'fit' (element 2: table expected, got number)");
    bc_fails(e, "C.fit", "'bgnbd', F, D, {T = 'zz'}", "no column 'zz' (columns: x, t_x, T, g)");
    bc_fails(e, "C.fit", "'bgnbd', F, D, {weight = true}",
             "t:1: cv.fit: bad option 'weight' (string expected, got boolean)");
    bc_fails(e, "C.fit", "'bgnbd', {}, D",
             "t:1: bad argument #2 to 'fit' (cv.Table expected, got table)");
    bc_fails(e, "C.fit", "'sbg', F, D",
             "t:1: bad argument #1 to 'fit' (a model with covariates expected (bgnbd, "
             "pareto_nbd, bgbb, gamma_gamma))");
    /* the Gamma-Gamma takes covariates and reads its mean spend column */
    bc_fails(e, "C.fit", "'gamma_gamma', F, D",
             "no column 'mean_repeat_spend' (columns: x, t_x, T, g)");
}

/* clv(name, est, design, Table, opts) -> Table */
static void test_cov_clv(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.clv", "'bgnbd', EST, D, S, {unit = 'day', horizon = 10, spend_value = 1}", 1);
    bc_is(e, "table.concat(R[1]:names(), ' ')",
          "x t_x T g seg p_alive dtx spend margin_share value_tx clv");
    /* each customer's own alpha: the P(alive) of the predictions above */
    bc_is(e, "col(R[1], 'p_alive')", "0.360000000000,0.409836065574");
    bc_fails(e, "C.clv", "'bgnbd', EST, D, S, {}",
             "t:1: cv.clv: bad option 'unit' (a time unit is required)");
    bc_fails(e, "C.clv", "'bgnbd', EST, D, S, {unit = 'day', spend_params = {1, 2, 'x'}}",
             "t:1: cv.clv: bad option 'spend_params' (element 3: number expected, got string)");
    bc_fails(e, "C.clv", "'bgnbd', EST, D, S, {unit = 'day', spend_params = {1}}",
             "t:1: cv.clv: bad option 'spend_params' (element 2: number expected, got nil)");
    bc_fails(e, "C.clv", "'bgnbd', EST, D, S, {unit = 'day', margin_rate = '1'}",
             "t:1: cv.clv: bad option 'margin_rate' (number expected, got string)");
    bc_fails(e, "C.clv", "'bgnbd', EST, {{column = 'g', proc = 'x'}}, S, {unit = 'day'}",
             "t:1: bad argument #3 to 'clv' (element 1, proc: invalid process 'x' "
             "(trans, life, both or spend))");
    bc_fails(e, "C.clv", "'bgnbd', EST, D, S",
             "t:1: bad argument #5 to 'clv' (table expected, got nil)");
}

/* profile(name, Table, design, cols, est, j, values) -> {ll = {...}} */
static void test_cov_profile(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.profile", "'bgnbd', F, D, nil, EST, 5, {0, 0.5}", 1);
    bc_is(e, "#R[1].ll", "2");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 5, {0, 'a'}",
             "t:1: bad argument #7 to 'profile' (element 2: number expected, got string)");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 6, {0}",
             "t:1: bad argument #6 to 'profile' (no parameter 6 of 5)");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 2^32 + 5, {0}",
             "t:1: bad argument #6 to 'profile' (no parameter 4294967301 of 5)");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 0, {0}",
             "t:1: bad argument #6 to 'profile' (no parameter 0 of 5)");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 1.5, {0}",
             "t:1: bad argument #6 to 'profile' (number has no integer representation)");
    bc_fails(e, "C.profile", "'bgnbd', F, D, nil, EST, 5",
             "t:1: bad argument #7 to 'profile' (table expected, got nil)");
}

/* lr_test(ll_full, ll_restricted, df) -> statistic, p-value */
static void test_cov_lr_test(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.lr_test", "-10, -12, 1", 2);
    bc_is(e, "R[1]", "4");
    bc_near(e, "R[2]", erfc(sqrt(2.0)), 1e-12);
    bc_ok(e, "C.lr_test", "-10, -12, 2", 2);
    bc_near(e, "R[2]", exp(-2.0), 1e-12);
    /* a restricted model that fits better by rounding: statistic 0, p-value 1 */
    bc_ok(e, "C.lr_test", "-12, -10, 1", 2);
    bc_is(e, "R[1] .. ' ' .. R[2]", "0.0 1.0");

    bc_fails(e, "C.lr_test", "-10, -12, 0",
             "likelihood-ratio test: the full model must have more parameters than the "
             "restricted one (df = 0)");
    bc_fails(e, "C.lr_test", "-10, -12, -3",
             "likelihood-ratio test: the full model must have more parameters than the "
             "restricted one (df = -3)");
    /* 2^32 + 1 once read as df = 1 */
    bc_fails(e, "C.lr_test", "-10, -12, 2^32 + 1",
             "t:1: bad argument #3 to 'lr_test' (df 4294967297 out of range (1 to 2147483647))");
    bc_fails(e, "C.lr_test", "-10, -12, -2^40",
             "t:1: bad argument #3 to 'lr_test' (df -1099511627776 out of range (1 to "
             "2147483647))");
    bc_fails(e, "C.lr_test", "-10, -12, 1.5",
             "t:1: bad argument #3 to 'lr_test' (number has no integer representation)");
    bc_fails(e, "C.lr_test", "-10, 0/0, 1", "likelihood-ratio test: log-likelihood not finite");
    bc_fails(e, "C.lr_test", "-10, 'a', 1",
             "t:1: bad argument #2 to 'lr_test' (number expected, got string)");
    bc_fails(e, "C.lr_test", "nil, -12, 1",
             "t:1: bad argument #1 to 'lr_test' (number expected, got nil)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_cov_params1), T(test_cov_predict), T(test_cov_fit),
        T(test_cov_clv),     T(test_cov_profile), T(test_cov_lr_test),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
