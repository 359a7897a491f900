/* Tests of the binding module cv.core.formula (src/lua/l_formulas.c), each function called
   from C in a real engine: values worked out by hand, every argument error's exact message,
   and a Lua stack left as it was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    return bc_setup_module(state, "cv.core.formula");
}

/* formula.list() -> {info...}; formula.info(name) -> info | nil */
static void test_formula_list_info(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.list", "", 1);
    bc_is(e, "R[1][1].name", "clv.simple");
    bc_is(e, "R[1][6].name", "cost.retention_per_customer");
    bc_ok(e, "C.info", "'cost.cac'", 1);
    bc_is(e, "R[1].name", "cost.cac");
    bc_is(e, "#R[1].inputs", "2");
    bc_is(e, "R[1].inputs[2].name", "new_customers");
    bc_is(e, "R[1].inputs[2].optional", "false");
    bc_is(e, "R[1].steps[1].key", "cac");
    bc_is(e, "R[1].steps[1].expr", "{acquisition_spend} ÷ {new_customers}");
    bc_ok(e, "C.info", "'no.such'", 0); /* nothing, not even nil */
    bc_fails(e, "C.info", "", "t:1: bad argument #1 to 'info' (string expected, got no value)");
}

/* formula.eval(name, inputs) -> number */
static void test_formula_eval(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.eval", "'clv.simple', {avg_purchase = 50, frequency = 4, lifetime = 3}", 1);
    bc_is(e, "R[1]", "600");
    bc_ok(e, "C.eval", "'cost.cac', {acquisition_spend = 1000, new_customers = 8}", 1);
    bc_is(e, "R[1]", "125");
    /* 100 x 0.5 / (1 + 0.1 - 0.5) */
    bc_ok(e, "C.eval",
          "'clv.retention', {margin = 100, retention = 0.5, discount = 0.1,"
          " period = 'year'}",
          1);
    bc_near(e, "R[1]", 250.0 / 3, 1e-12);
    /* 100 / 1.1 + 200 / 1.21 */
    bc_ok(e, "C.eval",
          "'profit.lifecycle_npv', {discount = 0.1, period = 'year',"
          " profits = {100, 200}}",
          1);
    bc_near(e, "R[1]", 100 / 1.1 + 200 / 1.21, 1e-12);
    bc_fails(e, "C.eval", "", "t:1: bad argument #1 to 'eval' (string expected, got no value)");
    bc_fails(e, "C.eval", "'no.such', {}",
             "t:1: unknown formula 'no.such' (see cvkit explain --list)");
    bc_fails(e, "C.eval", "'cost.cac'",
             "t:1: bad argument #2 to 'eval' (table expected, got no value)");
    bc_fails(e, "C.eval", "'cost.cac', {acquisition_spend = 1000}",
             "t:1: cost.cac: missing input 'new_customers'");
    bc_fails(e, "C.eval", "'cost.cac', {acquisition_spend = 1000, new_customers = 8, x = 1}",
             "t:1: cost.cac: unknown input 'x' (inputs: acquisition_spend, new_customers)");
    bc_fails(e, "C.eval", "'cost.cac', {acquisition_spend = '1000', new_customers = 8}",
             "t:1: cost.cac: input 'acquisition_spend' expects a number, got string");
    bc_fails(e, "C.eval", "'cost.cac', {acquisition_spend = 1000, new_customers = 0}",
             "new_customers must be > 0, got 0");
    bc_fails(e, "C.eval",
             "'clv.retention', {margin = 1, retention = 0.5, discount = 0.1,"
             " period = 3}",
             "t:1: clv.retention: input 'period' expects a time unit (day, week, month, year), "
             "got number");
    bc_fails(e, "C.eval",
             "'clv.retention', {margin = 1, retention = 0.5, discount = 0.1,"
             " period = 'decade'}",
             "period: unknown unit 'decade' (units: day, week, month, year)");
    bc_fails(e, "C.eval",
             "'profit.lifecycle_npv', {discount = 0.1, period = 'year',"
             " profits = {100, 'x'}}",
             "t:1: profit.lifecycle_npv: input 'profits' value 2 expects a number, got string");
    bc_fails(e, "C.eval",
             "'profit.lifecycle_npv', {discount = 0.1, period = 'year',"
             " profits = 5}",
             "t:1: profit.lifecycle_npv: input 'profits' expects a list of numbers, got number");
}

/* formula.explain(name, inputs) -> {{key, expr, numeric, value, v, percent, kind}...} */
static void test_formula_explain(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.explain", "'cost.cac', {acquisition_spend = 1000, new_customers = 8}", 1);
    bc_is(e, "#R[1]", "1");
    bc_is(e, "R[1][1].key", "cac");
    bc_is(e, "R[1][1].v", "125");
    bc_is(e, "R[1][1].numeric", "1,000.00 ÷ 8"); /* money ÷ count */
    bc_is(e, "R[1][1].value", "125.00");
    bc_is(e, "R[1][1].percent", "false");
    bc_is(e, "R[1][1].kind", "money");
    bc_fails(e, "C.explain", "'cost.cac', {new_customers = 8}",
             "t:1: cost.cac: missing input 'acquisition_spend'");
    bc_fails(e, "C.explain", "'cost.cac', {acquisition_spend = -1, new_customers = 8}",
             "acquisition_spend must be >= 0, got -1");
    bc_fails(e, "C.explain", "7, {}", "t:1: unknown formula '7' (see cvkit explain --list)");
}

/* formula.apply(t, name, mapping, out) -> Table */
static void test_formula_apply(void **state)
{
    cv_engine *e = *state;
    bc_run(e, "T = cv.table{{'spend', {100, 90}}, {'n', {4, 3}}}");
    bc_ok(e, "C.apply",
          "T, 'cost.cac', {acquisition_spend = 'spend', new_customers = 'n'},"
          " 'cac'",
          1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "spend,n,cac");
    bc_is(e, "R[1]:col('cac')[1]", "25");
    bc_is(e, "R[1]:col('cac')[2]", "30");
    bc_ok(e, "C.apply",
          "T, 'cost.cac', {acquisition_spend = 'spend', new_customers = 10},"
          " 'cac'",
          1);
    bc_is(e, "R[1]:col('cac')[2]", "9");
    bc_ok(e, "C.apply",
          "T, 'profit.lifecycle_npv', {discount = 0, period = 'year',"
          " profits = {'spend', 1}}, 'v'",
          1);
    bc_is(e, "R[1]:col('v')[1]", "101");
    bc_fails(e, "C.apply", "T, 'cost.cac', {acquisition_spend = 'spend'}, 'cac'",
             "t:1: cost.cac: missing input 'new_customers'");
    bc_fails(e, "C.apply", "T, 'profit.lifecycle_npv', {discount = 0, period = 'year'}, 'v'",
             "t:1: profit.lifecycle_npv: missing input 'profits' (an array of column names or "
             "numbers)");
    bc_fails(e, "C.apply",
             "T, 'cost.cac', {acquisition_spend = true, new_customers = 1},"
             " 'cac'",
             "t:1: cost.cac: input 'acquisition_spend' expects a column name or a number, "
             "got boolean");
    bc_fails(e, "C.apply",
             "T, 'cost.cac', {acquisition_spend = 'who', new_customers = 1},"
             " 'cac'",
             "no column 'who' (columns: spend, n)");
    bc_fails(e, "C.apply",
             "T, 'cost.cac', {acquisition_spend = 'spend', new_customers = 1,"
             " z = 2}, 'cac'",
             "t:1: cost.cac: unknown input 'z' (inputs: acquisition_spend, new_customers)");
    bc_fails(e, "C.apply", "T, 'cost.cac', {}",
             "t:1: bad argument #4 to 'apply' (string expected, got nil)");
    bc_fails(e, "C.apply", "T, 'cost.cac', nil, 'x'",
             "t:1: bad argument #3 to 'apply' (table expected, got nil)");
    bc_fails(e, "C.apply", "{}, 'cost.cac', {}, 'x'",
             "t:1: bad argument #1 to 'apply' (cv.Table expected, got table)");
    bc_run(e, "CL = cv.table{a = {1}}; CL:close()");
    bc_fails(e, "C.apply", "CL, 'cost.cac', {}, 'x'",
             "t:1: bad argument #1 to 'apply' (attempt to use a closed table)");
}

/* formula.format_number(x) -> string */
static void test_formula_format_number(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.format_number", "2000", 1);
    bc_is(e, "R[1]", "2,000");
    bc_ok(e, "C.format_number", "800 / 3", 1);
    bc_is(e, "R[1]", "266.67");
    bc_ok(e, "C.format_number", "0.085", 1);
    bc_is(e, "R[1]", "0.085");
    bc_fails(e, "C.format_number", "'x'",
             "t:1: bad argument #1 to 'format_number' (number expected, got string)");
}

/* formula.format_value(x [, kind]) -> string by kind */
static void test_formula_format_value(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.format_value", "2000, 'money'", 1);
    bc_is(e, "R[1]", "2,000.00");
    bc_ok(e, "C.format_value", "0.7993, 'rate'", 1);
    bc_is(e, "R[1]", "79.93%");
    bc_ok(e, "C.format_value", "1234, 'count'", 1);
    bc_is(e, "R[1]", "1,234");
    bc_ok(e, "C.format_value", "800 / 3", 1);
    bc_is(e, "R[1]", "266.67");
    bc_fails(e, "C.format_value", "1, 'euro'", "t:1: bad argument #2 to 'format_value' (invalid option 'euro')");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_formula_list_info), T(test_formula_eval),          T(test_formula_explain),
        T(test_formula_apply),     T(test_formula_format_number), T(test_formula_format_value),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
