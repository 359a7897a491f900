/* Tests of the binding module cv.core.mc (src/lua/l_montecarlo.c), each function called from
   C in a real engine: draws and summaries whose values are known without sampling (fixed
   values, resampling one value, four hand-sorted numbers), every argument error's exact
   message, and a Lua stack left as it was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    return bc_setup_module(state, "cv.core.mc");
}

/* mc.draws({spec...}, n, seed) -> {{values}...} */
static void test_mc_draws(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.draws", "{5, {'resample', {7}}, {'uniform', 1, 3, clamp = {2, 2}}}, 3, 1", 1);
    bc_is(e, "#R[1]", "3");
    bc_is(e, "table.concat(R[1][1], ',')", "5.0,5.0,5.0");
    bc_is(e, "table.concat(R[1][2], ',')", "7.0,7.0,7.0");
    bc_is(e, "table.concat(R[1][3], ',')", "2.0,2.0,2.0"); /* clamped to [2, 2] */
    bc_ok(e, "C.draws", "{{'uniform', 1, 3}}, 1000, 42", 1);
    bc_is(e,
          "(function() for _, v in ipairs(R[1][1]) do if v < 1 or v > 3 then return v end "
          "end return 'in range' end)()",
          "in range");
    bc_fails(e, "C.draws", "{}, 3, 1",
             "t:1: bad argument #1 to 'draws' (1 to 64 distributions expected)");
    bc_fails(e, "C.draws", "{5}, 0, 1",
             "t:1: bad argument #2 to 'draws' (draws must be between 1 and 1e8)");
    bc_fails(e, "C.draws", "{5}, 1.5, 1",
             "t:1: bad argument #2 to 'draws' (number has no integer representation)");
    bc_fails(e, "C.draws", "{5}, 3",
             "t:1: bad argument #3 to 'draws' (number expected, got no value)");
    bc_fails(e, "C.draws", "5, 3, 1",
             "t:1: bad argument #1 to 'draws' (table expected, got number)");
    bc_fails(e, "C.draws", "{'x'}, 3, 1",
             "t:1: input 1: expected a number or a distribution such as {\"uniform\", 1, 2}");
    bc_fails(e, "C.draws", "{5, {'poisson', 1}}, 3, 1",
             "t:1: input 2: unknown distribution 'poisson' (uniform, normal, lognormal, "
             "triangular, beta, resample)");
    bc_fails(e, "C.draws", "{{'uniform', 1}}, 3, 1", "t:1: input 1: uniform expects 2 numbers");
    bc_fails(e, "C.draws", "{{'triangular', 1, 2}}, 3, 1",
             "t:1: input 1: triangular expects 3 numbers");
    bc_fails(e, "C.draws", "{{'resample', 7}}, 3, 1",
             "t:1: input 1: resample expects a list of values");
    bc_fails(e, "C.draws", "{{'resample', {1, 'x'}}}, 3, 1",
             "t:1: input 1: resample value 2 is not a number");
    bc_fails(e, "C.draws", "{{'uniform', 3, 1}}, 3, 1",
             "t:1: input 1: uniform: min 3 must not exceed max 1");
    bc_fails(e, "C.draws", "{{'uniform', 1, 3, clamp = {'low', 2}}}, 3, 1",
             "t:1: input 1: clamp expects {lo, hi} (numbers or nil)");
}

/* mc.formula(name, inputs, n, seed [, out]) -> Table, rejected */
static void test_mc_formula(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.formula",
          "'cost.cac', {acquisition_spend = 1000,"
          " new_customers = {'resample', {8}}}, 2, 1",
          2);
    bc_is(e, "table.concat(R[1]:names(), ',')", "new_customers,value");
    bc_is(e, "table.concat(R[1]:col('value'):totable(), ',')", "125.0,125.0");
    bc_is(e, "R[2]", "0");
    bc_ok(e, "C.formula",
          "'cost.cac', {acquisition_spend = 1000,"
          " new_customers = {'resample', {0}}}, 2, 1, 'cac'",
          2);
    bc_is(e, "table.concat(R[1]:names(), ',')", "new_customers,cac");
    bc_is(e, "R[1]:col('cac')[1]", "nil"); /* outside the domain: missing, counted */
    bc_is(e, "R[2]", "2");
    bc_ok(e, "C.formula",
          "'clv.retention', {margin = 100, retention = 0.5, discount = 0.1,"
          " period = 'year'}, 1, 1",
          2);
    bc_near(e, "R[1]:col('value')[1]", 250.0 / 3, 1e-12);
    bc_fails(e, "C.formula", "'no.such', {}, 1, 1",
             "t:1: unknown formula 'no.such' (see cvkit explain --list)");
    bc_fails(e, "C.formula", "'cost.cac', 5, 1, 1",
             "t:1: bad argument #2 to 'formula' (table expected, got number)");
    bc_fails(e, "C.formula", "'cost.cac', {}, 0, 1",
             "t:1: bad argument #3 to 'formula' (draws must be between 1 and 1e8)");
    bc_fails(e, "C.formula", "'cost.cac', {}, 1",
             "t:1: bad argument #4 to 'formula' (number expected, got no value)");
    bc_fails(e, "C.formula", "'cost.cac', {acquisition_spend = 1}, 1, 1",
             "t:1: cost.cac: input 'new_customers' is missing");
    bc_fails(e, "C.formula", "'cost.cac', {acquisition_spend = 1, new_customers = 'x'}, 1, 1",
             "t:1: cost.cac: input 'new_customers': expected a number or a distribution such as "
             "{\"uniform\", 1, 2}");
    bc_fails(e, "C.formula",
             "'clv.retention', {margin = 1, retention = 0.5, discount = 0.1,"
             " period = 1}, 1, 1",
             "t:1: clv.retention: input 'period' expects a time unit (day, week, month, year)");
    bc_fails(e, "C.formula",
             "'clv.retention', {margin = 1, retention = 0.5, discount = 0.1,"
             " period = 'decade'}, 1, 1",
             "period: unknown unit 'decade' (units: day, week, month, year)");
    bc_fails(e, "C.formula", "'cost.cac', {acquisition_spend = 1, new_customers = 1}, 1, 1, {}",
             "t:1: bad argument #5 to 'formula' (string expected, got table)");
}

/* mc.summary(values | t, col [, opts]) -> {n, missing, mean, ..., hist} */
static void test_mc_summary(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.summary", "{4, 1, 3, 2, 'x'}, {bins = 3, below = 2.5}", 1);
    bc_is(e, "R[1].n", "4");
    bc_is(e, "R[1].missing", "1");
    bc_is(e, "R[1].mean", "2.5");
    bc_is(e, "R[1].min", "1");
    bc_is(e, "R[1].max", "4");
    bc_is(e, "R[1].p50", "2.5");
    bc_is(e, "R[1].below", "0.5");
    bc_near(e, "R[1].sd", 1.2909944487358056, 1e-15); /* sqrt(5 / 3) */
    bc_is(e, "R[1].hist.lo", "1");
    bc_is(e, "R[1].hist.hi", "4");
    bc_is(e, "table.concat(R[1].hist.counts, ',')", "1,1,2");
    bc_ok(e, "C.summary", "cv.table{v = {10, 20}}, 'v', {lo = 0, hi = 40, bins = 2}", 1);
    bc_is(e, "R[1].mean", "15");
    bc_is(e, "table.concat(R[1].hist.counts, ',')", "1,1");
    bc_is(e, "R[1].below", "nil");
    bc_ok(e, "C.summary", "{3, 3}", 1); /* all equal: a bin one unit wide */
    bc_is(e, "R[1].hist.hi", "4");
    bc_is(e, "#R[1].hist.counts", "30");
    bc_fails(e, "C.summary", "{1, 2}, {bins = 'x'}",
             "t:1: cv.summary: bad option 'bins' (number expected, got string)");
    bc_fails(e, "C.summary", "{1, 2}, {bins = 0}",
             "t:1: cv.summary: bad option 'bins' (1 to 1000000 expected, got 0.0)");
    bc_fails(e, "C.summary", "{1, 2}, {bins = 1e300}",
             "t:1: cv.summary: bad option 'bins' (1 to 1000000 expected, got 1e+300)");
    bc_fails(e, "C.summary", "{1, 2}, {below = '1'}",
             "t:1: cv.summary: bad option 'below' (number expected, got string)");
    bc_fails(e, "C.summary", "{1, 2}, {lo = 5, hi = 1}",
             "histogram needs at least 1 bin and lo < hi, got 30 bins over [5, 1]");
    bc_fails(e, "C.summary", "{}", "no finite values to summarize");
    bc_fails(e, "C.summary", "{1, 1/0}",
             "t:1: summary: the value inf cannot be binned (not a finite number)");
    bc_fails(e, "C.summary", "cv.table{s = {'a'}}, 's'", "t:1: summary: column 's' is not numeric");
    bc_fails(e, "C.summary", "cv.table{v = {1}}, 'w'", "no column 'w' (did you mean 'v'?)");
    bc_fails(e, "C.summary", "cv.table{v = {1}}",
             "t:1: bad argument #2 to 'summary' (string expected, got nil)");
    bc_fails(e, "C.summary", "5",
             "t:1: bad argument #1 to 'summary' (cv.Table expected, got number)");
    bc_run(e, "CL = cv.table{v = {1}}; CL:close()");
    bc_fails(e, "C.summary", "CL, 'v'",
             "t:1: bad argument #1 to 'summary' (attempt to use a closed table)");
}

/* mc.root(fn, lo, hi [, opts]) -> x, info | nil, message, {fa, fb} */
static void test_mc_root(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.root", "function(x) return x * x - 4 end, 0, 5", 2);
    bc_near(e, "R[1]", 2.0, 1e-12);
    bc_near(e, "R[2].fa", -4.0, 0);
    bc_near(e, "R[2].fb", 21.0, 0);
    bc_is(e, "math.type(R[2].evals)", "integer");
    bc_ok(e, "C.root", "function(x) return x - 1 end, 0, 5, {scan = 1e300, tol = 1e-6}", 2);
    bc_near(e, "R[1]", 1.0, 1e-6);
    bc_ok(e, "C.root", "function(x) return x * x + 1 end, -1, 1", 3);
    bc_is(e, "R[1]", "nil");
    bc_is(e, "R[2]", "no crossing between -1 and 1: f goes from 2 to 2");
    bc_is(e, "R[3].fa", "2");
    bc_is(e, "R[3].fb", "2");
    bc_fails(e, "C.root", "function(x) error('inner') end, 0, 1", "t:1: inner");
    bc_fails(e, "C.root", "function(x) return 'x' end, 0, 1",
             "the function given to root must return a number, got string");
    bc_fails(e, "C.root", "function(x) return x end, 1, 0",
             "root finding needs a range lo < hi, got [1, 0]");
    bc_fails(e, "C.root", "5, 0, 1",
             "t:1: bad argument #1 to 'root' (function expected, got number)");
    bc_fails(e, "C.root", "print, 0",
             "t:1: bad argument #3 to 'root' (number expected, got no value)");
    bc_fails(e, "C.root", "print, 0, 1, {scan = 'x'}",
             "t:1: cv.root: bad option 'scan' (number expected, got string)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_mc_draws),
        T(test_mc_formula),
        T(test_mc_summary),
        T(test_mc_root),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
