/* Tests of the binding module cv.core.models (src/lua/l_models.c), each function called from
   C in a real engine: values worked out by hand (the NBD's likelihood and predictions for
   r = alpha = 1), the published sBG fit of Fader & Hardie's survivors, every argument
   error's exact message, and a Lua stack left as it was found with exactly the documented
   results. */
#include "bindcall.h"

#include "cvkit/models.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.models") != 0)
        return -1;
    /* two customers: x = 0 and 1 repeat purchases, both of age T = 1 */
    bc_run(*state, "S = cv.table{{'x', {0, 1}}, {'t_x', {0, 0.5}}, {'T', {1, 1}},\n"
                   "             {'mean_repeat_spend', {0, 10}}, {'x_holdout', {0, 3}}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = tostring(c[i]) end return table.concat(c, ',') end");
    return 0;
}

/* "bad argument #idx to 'fname' (unknown model 'zz' (<the registry's names>))" */
static const char *unknown_model(int idx, const char *fname)
{
    static char buf[512];
    size_t n;
    const cv_model *const *all = cv_model_list(&n);
    int len = snprintf(buf, sizeof buf, "t:1: bad argument #%d to '%s' (unknown model 'zz' (", idx,
                       fname);
    for (size_t i = 0; i < n; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", i ? ", " : "", all[i]->name);
    snprintf(buf + len, sizeof buf - (size_t)len, "))");
    return buf;
}

/* list() -> {info...}; info(name) -> info */
static void test_models_list_info(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.list", "", 1);
    bc_is(e, "R[1][1].name", "bgnbd");
    bc_ok(e, "C.info", "'pnbd'", 1); /* an alias */
    bc_is(e, "R[1].name", "pareto_nbd");
    bc_is(e, "table.concat(R[1].params, ',')", "r,alpha,s,beta");
    bc_ok(e, "C.info", "'sbg'", 1);
    bc_is(e, "R[1].title ~= nil and R[1].predicts[1]", "survival");
    bc_fails(e, "C.info", "'zz'", unknown_model(1, "info"));
    bc_fails(e, "C.info", "", "t:1: bad argument #1 to 'info' (string expected, got no value)");
}

/* loglik(name, params, Table, cols) -> number */
static void test_models_loglik(void **state)
{
    cv_engine *e = *state;
    /* NBD per customer: lgamma(r + x) - lgamma(r) + r log alpha - (r + x) log(alpha + T):
       -log 2 and -2 log 2 */
    bc_ok(e, "C.loglik", "'nbd', {1, 1}, S, {}", 1);
    bc_near(e, "R[1]", -3 * 0.69314718055994531, 1e-12);
    bc_fails(e, "C.loglik", "'zz', {1, 1}, S, {}", unknown_model(1, "loglik"));
    bc_fails(e, "C.loglik", "'nbd', {1}, S, {}",
             "t:1: bad argument #2 to 'loglik' (parameter 2 (alpha) of nbd must be a number)");
    bc_fails(e, "C.loglik", "'nbd', 1, S, {}",
             "t:1: bad argument #2 to 'loglik' (table expected, got number)");
    bc_fails(e, "C.loglik", "'nbd', {1, 1}, S, {x = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.loglik", "'nbd', {1, 1}, S, {x = 1}",
             "t:1: cv.loglik: bad option 'x' (string expected, got number)");
    bc_fails(e, "C.loglik", "'nbd', {-1, 1}, S, {}", "nbd: parameter r = -1 must be positive");
    bc_fails(e, "C.loglik", "'nbd', {1, 1}, CL, {}",
             "t:1: bad argument #3 to 'loglik' (attempt to use a closed table)");
}

/* predict1(name, params, kind, x, t_x, T, m, arg, arg2) -> number | nil */
static void test_models_predict1(void **state)
{
    cv_engine *e = *state;
    /* NBD, r = alpha = 1, x = 1, T = 1: conditional over t = 2 is (r + x) / (alpha + T) t */
    bc_ok(e, "C.predict1", "'nbd', {1, 1}, 'conditional', 1, 0, 1, 0, 2, 0", 1);
    bc_near(e, "R[1]", 2.0, 1e-12);
    bc_ok(e, "C.predict1", "'nbd', {1, 1}, 'expected', 0, 0, 0, 0, 3, 0", 1); /* r t / alpha */
    bc_near(e, "R[1]", 3.0, 1e-12);
    bc_ok(e, "C.predict1", "'nbd', {1, 1}, 'p_alive', 4, 0, 2, 0, 0, 0", 1);
    bc_is(e, "R[1]", "1");
    bc_fails(e, "C.predict1", "'nbd', {1, 1}, 'conditional', 1.5, 0, 1, 0, 2, 0",
             "row 1: frequency x must be a whole number >= 0 (x = 1.5, T = 1)");
    bc_fails(e, "C.predict1", "'nbd', {1, 1}, 'survival', 1, 0, 1, 0, 2, 0",
             "nbd does not predict 'survival'");
    bc_fails(e, "C.predict1", "'nbd', {1, 1}, 'lifetime', 1, 0, 1, 0, 2, 0",
             "t:1: bad argument #3 to 'predict1' (unknown prediction 'lifetime')");
    bc_fails(e, "C.predict1", "'nbd', {1, 1}, 'conditional', 1, 0, 1, 0, 2",
             "t:1: bad argument #9 to 'predict1' (number expected, got no value)");
    bc_fails(e, "C.predict1", "'nbd', {1, 1}, 'conditional', 1, nil, 1, 0, 2, 0",
             "t:1: bad argument #5 to 'predict1' (number expected, got nil)");
}

/* predict(name, params, kind, Table, arg, arg2, column, cols) -> Table */
static void test_models_predict(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.predict", "'nbd', {1, 1}, 'conditional', S, 2, nil, 'next', {}", 1);
    bc_is(e, "col(R[1], 'next')", "1.0,2.0");
    bc_ok(e, "C.predict", "'nbd', {1, 1}, 'p_alive', S", 1); /* the kind names the column */
    bc_is(e, "col(R[1], 'p_alive')", "1.0,1.0");
    bc_fails(e, "C.predict", "'nbd', {1, 1}, 'nope', S",
             "t:1: bad argument #3 to 'predict' (unknown prediction 'nope')");
    bc_fails(e, "C.predict", "'nbd', {1, 1}, 'p_alive', {}",
             "t:1: bad argument #4 to 'predict' (cv.Table expected, got table)");
    bc_fails(e, "C.predict", "'nbd', {1, 1}, 'p_alive', S, 'soon'",
             "t:1: bad argument #5 to 'predict' (number expected, got string)");
    bc_fails(e, "C.predict", "'nbd', {1, 1}, 'p_alive', S, 0, 0, 'p', {T = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.predict", "'nbd', {1, 1}, 'p_alive', CL",
             "t:1: bad argument #4 to 'predict' (attempt to use a closed table)");
}

/* fit(name, Table | survivors, opts) -> {...} */
static void test_models_fit(void **state)
{
    cv_engine *e = *state;
    /* Fader & Hardie (2007), "How to project customer retention", the high-end customers:
       alpha = 0.668, beta = 3.806 */
    bc_ok(e, "C.fit", "'sbg', {1000, 869, 743, 653, 593, 551, 517, 491}", 1);
    bc_near(e, "R[1].params.alpha", 0.668, 0.0005);
    bc_near(e, "R[1].params.beta", 3.806, 0.0005);
    bc_is(e, "R[1].model .. ' ' .. table.concat(R[1].names, ',')", "sbg alpha,beta");
    bc_is(e, "R[1].converged", "true");
    bc_is(e, "R[1].status", "converged");
    bc_ok(e, "C.fit", "'nbd', S, {start = {1, 1}}", 1);
    bc_is(e, "R[1].n_rows", "2");
    bc_is(e, "R[1].loglik >= -3 * math.log(2)", "true"); /* no worse than the start */
    bc_fails(e, "C.fit", "'nbd', {1000, 900}",
             "t:1: bad argument #2 to 'fit' (a summary table expected (survivor counts are for "
             "sbg))");
    bc_fails(e, "C.fit", "'sbg', {1000, 1200}",
             "survivor count 2 (1200) exceeds the one before (1000)");
    bc_fails(e, "C.fit", "'nbd', S, {start = {1}}",
             "t:1: cv.fit: bad option 'start' (parameter 2 (alpha) of nbd must be a number)");
    bc_fails(e, "C.fit", "'nbd', S, {start = 1}",
             "t:1: cv.fit: bad option 'start' (table expected, got number)");
    bc_fails(e, "C.fit", "'nbd', S, 5",
             "t:1: bad argument #3 to 'fit' (table expected, got number)");
    bc_fails(e, "C.fit", "'nbd', S, {weight = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.fit", "'zz', S", unknown_model(1, "fit"));
    bc_fails(e, "C.fit", "'nbd', CL",
             "t:1: bad argument #2 to 'fit' (attempt to use a closed table)");
    bc_fails(e, "C.fit", "'nbd', 5",
             "t:1: bad argument #2 to 'fit' (cv.Table expected, got number)");
}

/* clv(name, params, Table, opts) -> Table */
static void test_models_clv(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'week', horizon = 2, spend_value = 10}", 1);
    /* no discount: the expected transactions in 2 weeks (1 and 2, see predict) x 10 */
    bc_is(e, "col(R[1], 'clv')", "10.0,20.0");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {horizon = 2}",
             "t:1: cv.clv: bad option 'unit' (a time unit is required)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'fortnight'}",
             "t:1: bad unit 'fortnight' to 'clv' (\"day\", \"week\", \"month\" or \"year\" "
             "expected)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'week', horizon = 'long'}",
             "t:1: cv.clv: bad option 'horizon' (number expected, got string)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'week', spend_params = {1, 2}}",
             "t:1: cv.clv: bad option 'spend_params' (parameter 3 (gamma) of gamma_gamma must "
             "be a number)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'week', margin_rate = '10%'}",
             "t:1: cv.clv: bad option 'margin_rate' (number expected, got string)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S, {unit = 'week', discount = -2}",
             "clv discount rate -2 must be above -1 (above 0 for an unlimited horizon)");
    bc_fails(e, "C.clv", "'nbd', {1, 1}, S",
             "t:1: bad argument #4 to 'clv' (table expected, got nil)");
}

/* validate(name, params, Table, opts) -> buckets, stats */
static void test_models_validate(void **state)
{
    cv_engine *e = *state;
    /* expected in 2 weeks: 1 and 2 (see predict); actual 0 and 3 */
    bc_ok(e, "C.validate", "'nbd', {1, 1}, S, {horizon = 2, holdout = 'x_holdout'}", 2);
    bc_is(e, "R[2].customers", "2");
    bc_is(e, "R[2].actual", "3");
    bc_is(e, "R[2].expected", "3");
    bc_is(e, "R[2].mae", "1");
    bc_is(e, "R[2].rmse", "1");
    bc_fails(e, "C.validate", "'nbd', {1, 1}, S, {holdout = 'x_holdout'}",
             "t:1: cv.validate: bad option 'horizon' (the holdout length is required)");
    bc_fails(e, "C.validate", "'nbd', {1, 1}, S, {horizon = 2, holdout = 'zz'}",
             "no column 'zz' (columns: x, t_x, T, mean_repeat_spend, x_holdout)");
    bc_fails(e, "C.validate", "'nbd', {1, 1}, S, {horizon = 2, buckets = 'x'}",
             "t:1: cv.validate: bad option 'buckets' (number expected, got string)");
}

/* tracking(name, params, tx, opts) -> Table */
static void test_models_tracking(void **state)
{
    cv_engine *e = *state;
    bc_run(e, "TX = cv.table{{'customer', {1, 1, 2}},"
              " {'date', {'2020-01-01', '2020-01-09', '2020-01-05'}, 'date'}}");
    bc_ok(e, "C.tracking",
          "'nbd', {1, 1}, TX, {unit = 'week', calibration_end = '2020-01-14',"
          " ['end'] = '2020-01-28'}",
          1);
    bc_is(e, "table.concat(R[1]:names(), ',')",
          "period,end,days,actual,expected,actual_cum,expected_cum");
    bc_is(e, "#R[1]", "4");
    bc_fails(e, "C.tracking", "'nbd', {1, 1}, TX, {unit = 'week'}",
             "t:1: cv.tracking: bad option 'calibration_end' (a date is required)");
    bc_fails(e, "C.tracking", "'nbd', {1, 1}, TX, {unit = 'week', calibration_end = '2020-02-30'}",
             "t:1: cv.tracking: bad option 'calibration_end' (a date YYYY-MM-DD expected, got "
             "'2020-02-30')");
    bc_fails(e, "C.tracking",
             "'nbd', {1, 1}, TX, {unit = 'week', calibration_end = '2020-01-14',"
             " customer = 'who'}",
             "no column 'who' (columns: customer, date)");
}

/* simulate(name, params, n, opts) -> Table; simulate_tx(name, params, n, opts) -> Table */
static void test_models_simulate(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.simulate", "'nbd', {1, 1}, 3, {seed = 7, T = 5}", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "x,t_x,T");
    bc_is(e, "col(R[1], 'T')", "5.0,5.0,5.0");
    bc_ok(e, "C.simulate", "'nbd', {1, 1}, 2, {T = {1, 2}}", 1);
    bc_is(e, "col(R[1], 'T')", "1.0,2.0");
    bc_ok(e, "C.simulate", "'nbd', {1, 1}, 0, {T = 1}", 1);
    bc_is(e, "#R[1]", "0");
    bc_fails(e, "C.simulate", "'nbd', {1, 1}, -1, {T = 1}",
             "t:1: bad argument #3 to 'simulate' (a count of customers expected)");
    bc_fails(e, "C.simulate", "'nbd', {1, 1}, 2, {T = 'x'}",
             "t:1: bad option 'T' to 'simulate' (a number or an array expected)");
    bc_fails(e, "C.simulate", "'gamma_gamma', {1, 2, 3}, 2, {}",
             "t:1: bad option 'x' to 'simulate' (a number or an array expected)");
    bc_fails(e, "C.simulate", "'nbd', {1, 1}, 2",
             "t:1: bad argument #4 to 'simulate' (table expected, got no value)");
    bc_fails(e, "C.simulate_tx", "'nbd', {1, 1}, 3, {unit = 'week', seed = 3}",
             "gen draws transactions from bgnbd, mbgnbd or pareto_nbd, not nbd");
    bc_ok(e, "C.simulate_tx", "'bgnbd', {1, 1, 1, 1}, 3, {unit = 'week', seed = 3}", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "customer,date,amount");
    bc_fails(e, "C.simulate_tx", "'bgnbd', {1, 1, 1, 1}, 3, {spend = {1, 1}, unit = 'week'}",
             "t:1: cv.simulate_tx: bad option 'spend' (parameter 3 (gamma) of gamma_gamma must "
             "be a number)");
    bc_fails(e, "C.simulate_tx", "'nbd', {1, 1}, 3, {}",
             "t:1: cv.simulate_tx: bad option 'unit' (a time unit is required)");
    bc_fails(e, "C.simulate_tx", "'nbd', {1, 1}, 3, {unit = 'week', start = 'soon'}",
             "t:1: cv.simulate_tx: bad option 'start' (a date YYYY-MM-DD expected, got 'soon')");
    bc_fails(e, "C.simulate_tx", "'nbd', {1, 1}, 1e9, {unit = 'week'}",
             "t:1: bad argument #3 to 'simulate_tx' (a count of customers expected)");
}

/* rate(what, value, unit [, t]) -> number; correlation(Table, cols) -> number */
static void test_models_rate_correlation(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.rate", "'per_period', 0.21, 'year'", 1);
    bc_near(e, "R[1]", 0.21, 1e-15);
    bc_ok(e, "C.rate", "'annual', 0.1, 'year'", 1);
    bc_near(e, "R[1]", 0.1, 1e-15);
    bc_ok(e, "C.rate", "'discount_factor', 0.1, 'year', 2", 1);
    bc_near(e, "R[1]", 1 / 1.21, 1e-15);
    bc_ok(e, "C.rate", "'unit_days', 2, 'week'", 1);
    bc_is(e, "R[1]", "14");
    bc_ok(e, "C.rate", "'nominal', 0.12, 12", 1); /* 1.01^12 - 1 */
    bc_near(e, "R[1]", 0.12682503013196977, 1e-15);
    bc_fails(e, "C.rate", "'yearly', 0.1, 'year'",
             "t:1: bad argument #1 to 'rate' (invalid option 'yearly')");
    bc_fails(e, "C.rate", "'annual', 0.1, 'fortnight'",
             "t:1: bad unit 'fortnight' to 'rate' (\"day\", \"week\", \"month\" or \"year\" "
             "expected)");
    bc_fails(e, "C.rate", "'annual', 0.1",
             "t:1: bad argument #3 to 'rate' (string expected, got no value)");
    bc_fails(e, "C.rate", "'discount_factor', 0.1, 'year'",
             "t:1: bad argument #4 to 'rate' (number expected, got no value)");
    bc_fails(e, "C.rate", "'per_period', -2, 'year'", "t:1: rate -2.0 is not above -1");
    /* correlation of x and mean spend over x > 0: two customers needed */
    bc_run(e, "G = cv.table{{'x', {1, 2, 3}}, {'mean_repeat_spend', {10, 20, 30}}}");
    bc_ok(e, "C.correlation", "G, {}", 1);
    bc_near(e, "R[1]", 1.0, 1e-12);
    bc_fails(e, "C.correlation", "G, {m = 'zz'}", "no column 'zz' (columns: x, mean_repeat_spend)");
    bc_fails(e, "C.correlation", "CL, {}",
             "t:1: bad argument #1 to 'correlation' (attempt to use a closed table)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_models_list_info),        T(test_models_loglik),   T(test_models_predict1),
        T(test_models_predict),          T(test_models_fit),      T(test_models_clv),
        T(test_models_validate),         T(test_models_tracking), T(test_models_simulate),
        T(test_models_rate_correlation),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
