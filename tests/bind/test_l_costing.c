/* Tests of the binding module cv.core.costing (src/lua/l_costing.c), each function called
   from C in a real engine: costs worked out by hand, every argument error's exact message,
   and a Lua stack left as it was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.costing") != 0)
        return -1;
    bc_run(*state, "D = cv.table{{'id', {1, 2}}, {'orders', {3, 1}}, {'returns', {1, 0}}}\n"
                   "ACTS = {{name = 'order', driver = 'orders', cost = 400},\n"
                   "        {name = 'ret', driver = 'returns', rate = 50}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = tostring(c[i]) end return table.concat(c, ',') end");
    return 0;
}

/* abc(drivers, {key, activities}) -> customers, activities */
static void test_costing_abc(void **state)
{
    cv_engine *e = *state;
    /* order: 400 over 4 orders = 100 each; ret: 50 a return */
    bc_ok(e, "C.abc", "D, {key = 'id', activities = ACTS}", 2);
    bc_is(e, "table.concat(R[1]:names(), ',')", "id,cost_order,cost_ret,cost_to_serve");
    bc_is(e, "col(R[1], 'cost_order')", "300.0,100.0");
    bc_is(e, "col(R[1], 'cost_to_serve')", "350.0,100.0");
    bc_is(e, "col(R[2], 'rate')", "100.0,50.0");
    bc_is(e, "col(R[2], 'volume')", "4.0,1.0");
    bc_fails(e, "C.abc", "D", "t:1: bad argument #2 to 'abc' (table expected, got nil)");
    bc_fails(e, "C.abc", "{}, {}", "t:1: bad argument #1 to 'abc' (cv.Table expected, got table)");
    bc_fails(e, "C.abc", "CL, {activities = ACTS}",
             "t:1: bad argument #1 to 'abc' (attempt to use a closed table)");
    bc_fails(e, "C.abc", "D, {key = 1, activities = ACTS}",
             "t:1: cv.abc: bad option 'key' (string expected, got number)");
    bc_fails(e, "C.abc", "D, {activities = {}}",
             "t:1: cv.abc: bad option 'activities' (a non-empty array of tables expected)");
    bc_fails(e, "C.abc", "D, {activities = {7}}",
             "t:1: bad argument #2 to 'abc' (activities as tables expected, got number)");
    bc_fails(e, "C.abc", "D, {activities = {{driver = 'orders', cost = 1}}}",
             "t:1: bad activity to 'abc' (field 'name': string expected, got nil)");
    bc_fails(e, "C.abc", "D, {activities = {{name = 'o', driver = 'orders', cost = '1'}}}",
             "t:1: bad activity to 'abc' (field 'cost': number expected, got string)");
    bc_fails(e, "C.abc", "D, {activities = {{name = 'o', driver = 'nope', cost = 1}}}",
             "activity 'o': no driver column 'nope' (columns: id, orders, returns)");
    bc_fails(e, "C.abc", "D, {activities = {{name = 'o', driver = 'orders', cost = -1}}}",
             "activity 'o': cost must be a finite number >= 0, got -1");
}

/* tdabc(t, {key, resources, activities}) -> customers, activities, resources */
static void test_costing_tdabc(void **state)
{
    cv_engine *e = *state;
    /* ops: 1000 for 500 minutes = 2 a minute; pick: 3 + items + 10 if rush, per row:
       15, 8 (customer 1: 23 minutes, 46), 4 (customer 2: 4 minutes, 8) */
    bc_run(e, "TT = cv.table{{'id', {1, 1, 2}}, {'items', {2, 5, 1}}, {'rush', {1, 0, 0}}}\n"
              "RES = {{name = 'ops', cost = 1000, capacity = 500}}\n"
              "PICK = {{name = 'pick', base = 3, terms = {{field = 'items', minutes = 1},\n"
              "         {field = 'rush', minutes = 10, kind = 'if_flag'}}}}");
    bc_ok(e, "C.tdabc", "TT, {key = 'id', resources = RES, activities = PICK}", 3);
    bc_is(e, "col(R[1], 'minutes')", "23.0,4.0");
    bc_is(e, "col(R[1], 'cost_to_serve')", "46.0,8.0");
    bc_is(e, "col(R[3], 'used_minutes')", "27.0");
    bc_is(e, "col(R[3], 'unused_cost')", "946.0");
    bc_fails(e, "C.tdabc", "TT, {resources = RES}",
             "t:1: cv.tdabc: bad option 'activities' (a non-empty array of tables expected)");
    bc_fails(e, "C.tdabc", "TT, {resources = {}, activities = PICK}",
             "t:1: cv.tdabc: bad option 'resources' (a non-empty array of tables expected)");
    bc_fails(e, "C.tdabc", "TT, {resources = {'ops'}, activities = PICK}",
             "t:1: bad argument #2 to 'tdabc' (resources as tables expected, got string)");
    bc_fails(e, "C.tdabc", "TT, {resources = {{name = 'ops', cost = 'x'}}, activities = PICK}",
             "t:1: bad resource to 'tdabc' (field 'cost': number expected, got string)");
    bc_fails(e, "C.tdabc", "TT, {resources = RES, activities = {{name = 'p', terms = {5}}}}",
             "t:1: bad argument #2 to 'tdabc' (time terms as tables expected, got number)");
    bc_fails(
        e, "C.tdabc",
        "TT, {resources = RES, activities = {{name = 'p',"
        " terms = {{field = 'items', minutes = 1, kind = 'twice'}}}}}",
        "t:1: bad time term to 'tdabc' (kind \"per_unit\" or \"if_flag\" expected, got 'twice')");
    bc_fails(e, "C.tdabc",
             "TT, {resources = RES, activities = {{name = 'p',"
             " terms = {{minutes = 1}}}}}",
             "t:1: bad time term to 'tdabc' (field 'field': string expected, got nil)");
    bc_fails(e, "C.tdabc", "TT, {resources = RES, activities = {{name = 'p', terms = 'items'}}}",
             "t:1: bad activity to 'tdabc' (field 'terms': table expected, got string)");
    bc_fails(
        e, "C.tdabc",
        "TT, {resources = RES, activities = {{name = 'p',"
        " terms = {{field = 'nope', minutes = 1}}}}}",
        "activity 'p': time equation names an unknown field 'nope' (columns: id, items, rush)");
    bc_fails(e, "C.tdabc", "CL, {resources = RES, activities = PICK}",
             "t:1: bad argument #1 to 'tdabc' (attempt to use a closed table)");
}

/* pnl(t, spec) -> customers, segments; waterfall(pnl, spec [, row]) -> Table */
static void test_costing_pnl_waterfall(void **state)
{
    cv_engine *e = *state;
    bc_run(e, "P = cv.table{{'id', {1, 2}}, {'revenue', {100, 50}}, {'cogs', {40, 30}},\n"
              "             {'serve', {10, 30}}}\n"
              "SPEC = {key = 'id', lines = {{'cogs', 'product'}, {'serve', 'service'}}}");
    bc_ok(e, "C.pnl", "P, SPEC", 2);
    bc_is(e, "col(R[1], 'gross_margin')", "60.0,20.0");
    bc_is(e, "col(R[1], 'profit')", "50.0,-10.0");
    bc_is(e, "col(R[2], 'customers')", "2");
    bc_is(e, "col(R[2], 'profit')", "40.0");
    bc_run(e, "PNL = C.pnl(P, SPEC)");
    bc_ok(e, "C.waterfall", "PNL, SPEC, 1", 1);
    bc_is(e, "col(R[1], 'step')", "revenue,cogs,gross_margin,serve,service_margin,profit");
    bc_is(e, "col(R[1], 'end')", "100.0,60.0,60.0,50.0,50.0,50.0");
    bc_ok(e, "C.waterfall", "PNL, SPEC", 1); /* the totals */
    bc_is(e, "R[1]:col('end')[#R[1]]", "40");
    bc_fails(e, "C.waterfall", "PNL, SPEC, -1",
             "t:1: bad argument #3 to 'waterfall' (a row number >= 1 expected)");
    bc_fails(e, "C.waterfall", "PNL, SPEC, 3", "waterfall: row 3 is past the last row (2)");
    bc_fails(e, "C.waterfall", "PNL, SPEC, 'x'",
             "t:1: bad argument #3 to 'waterfall' (number expected, got string)");
    bc_fails(e, "C.pnl", "P, {lines = {{'cogs', 'tax'}}}",
             "t:1: bad line 1 to 'pnl' ({column, kind} expected, kind one of product, concession, "
             "service, acquisition, retention)");
    bc_fails(e, "C.pnl", "P, {lines = {'cogs'}}",
             "t:1: bad argument #2 to 'pnl' (lines as {column, kind} expected, got string)");
    bc_fails(e, "C.pnl", "P, {lines = {{'nope', 'product'}}}",
             "pnl: no product column 'nope' (columns: id, revenue, cogs, serve)");
    bc_fails(e, "C.pnl", "P, {key = 'id', revenue = 3, lines = {{'cogs', 'product'}}}",
             "t:1: cv.pnl: bad option 'revenue' (string expected, got number)");
    bc_fails(e, "C.pnl", "P", "t:1: bad argument #2 to 'pnl' (table expected, got nil)");
    bc_fails(e, "C.pnl", "P, {}",
             "t:1: cv.pnl: bad option 'lines' (a non-empty array of tables expected)");
    bc_fails(e, "C.waterfall", "CL, SPEC",
             "t:1: bad argument #1 to 'waterfall' (attempt to use a closed table)");
}

/* whale(t, {profit, key}) -> curve, stats */
static void test_costing_whale(void **state)
{
    cv_engine *e = *state;
    /* sorted 60, 50, -10: cumulative 60, 110 (the peak, at rank 2), 100 */
    bc_run(e, "W = cv.table{{'id', {1, 2, 3}}, {'profit', {60, -10, 50}}}");
    bc_ok(e, "C.whale", "W, {key = 'id'}", 2);
    bc_is(e, "R[2].customers", "3");
    bc_is(e, "R[2].total", "100");
    bc_is(e, "R[2].peak", "110");
    bc_is(e, "R[2].peak_rank", "2");
    bc_is(e, "R[2].peak_share", "1.1000000000000001");
    bc_is(e, "R[2].loss_makers", "1");
    bc_is(e, "#R[1]", "3");
    bc_ok(e, "C.whale", "W", 2); /* the defaults */
    bc_is(e, "R[2].total", "100");
    bc_fails(e, "C.whale", "W, {profit = 'p'}", "no column 'p' (columns: id, profit)");
    bc_fails(e, "C.whale", "W, {profit = false}",
             "t:1: cv.whale: bad option 'profit' (string expected, got boolean)");
    bc_fails(e, "C.whale", "W, 5", "t:1: bad argument #2 to 'whale' (table expected, got number)");
    bc_fails(e, "C.whale", "CL", "t:1: bad argument #1 to 'whale' (attempt to use a closed table)");
}

/* drivers(tx, customer, {name = spec...}) -> Table */
static void test_costing_drivers(void **state)
{
    cv_engine *e = *state;
    bc_run(e, "TX = cv.table{{'id', {1, 1, 2}}, {'amt', {5, 7, 1}}}");
    bc_ok(e, "C.drivers", "TX, 'id', {s = {'sum', 'amt'}, n = 'count'}", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "id,n,s");
    bc_is(e, "col(R[1], 'n')", "2.0,1.0");
    bc_is(e, "col(R[1], 's')", "12.0,1.0");
    bc_ok(e, "C.drivers", "TX, 'id', {m = {'quantile', 'amt', 0.5}}", 1);
    bc_is(e, "col(R[1], 'm')", "6.0,1.0");
    bc_fails(e, "C.drivers", "TX, 'id', {}",
             "t:1: bad argument #3 to 'drivers' (at least one named driver expected)");
    bc_fails(e, "C.drivers", "TX, 'id', {'count'}",
             "t:1: bad argument #3 to 'drivers' (at least one named driver expected)");
    bc_fails(e, "C.drivers", "TX, 'id', {n = 'tally'}",
             "t:1: bad driver 'n' to 'drivers' (\"count\" or {\"sum\", \"column\"} expected)");
    bc_fails(e, "C.drivers", "TX, 'id', {n = 5}",
             "t:1: bad driver 'n' to 'drivers' (\"count\" or {\"sum\", \"column\"} expected)");
    bc_fails(e, "C.drivers", "TX, 'id', {m = {'quantile', 'amt', 'half'}}",
             "t:1: bad driver 'm' to 'drivers' (quantile: number expected, got string)");
    bc_fails(e, "C.drivers", "TX, 'id', {s = {'sum', 'nope'}}",
             "no column 'nope' (columns: id, amt)");
    bc_fails(e, "C.drivers", "TX, nil, {n = 'count'}",
             "t:1: bad argument #2 to 'drivers' (string expected, got nil)");
    bc_fails(e, "C.drivers", "TX, 'id'",
             "t:1: bad argument #3 to 'drivers' (table expected, got nil)");
    bc_fails(e, "C.drivers", "CL, 'id', {n = 'count'}",
             "t:1: bad argument #1 to 'drivers' (attempt to use a closed table)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_costing_abc),   T(test_costing_tdabc),   T(test_costing_pnl_waterfall),
        T(test_costing_whale), T(test_costing_drivers),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
