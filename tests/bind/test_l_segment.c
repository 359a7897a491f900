/* Tests of the binding module cv.core.segment (src/lua/l_segment.c), each function called from
   C in a real engine: scores, segments and statistics worked out by hand on a few customers,
   every argument error's exact message, and a Lua stack left as it was found with exactly
   the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    if (bc_setup_module(state, "cv.core.segment") != 0)
        return -1;
    /* four customers: recency, orders, revenue */
    bc_run(*state, "S = cv.table{{'id', {1, 2, 3, 4}}, {'r', {10, 200, 30, 400}},\n"
                   "             {'f', {5, 1, 3, 1}}, {'m', {100, 0, 60, 40}}}\n"
                   "CL = cv.table{a = {1}}; CL:close()\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = tostring(c[i]) end return table.concat(c, ',') end\n"
                   /* best: f >= 3 and m > 50; lost: r > 100 */
                   "RULES = {other = 'rest',\n"
                   "   {name = 'best', conds = {{'f', 3, 1/0, false, false, 0, 0},\n"
                   "                            {'m', 50, 1/0, true, false, 0, 0}}},\n"
                   "   {name = 'lost', conds = {{'r', 100, 1/0, true, false, 0, 0}}}}");
    return 0;
}

/* rfm_score(t, r, f, m, bins, method, nested [, cuts...]) -> Table, cuts */
static void test_segment_rfm(void **state)
{
    cv_engine *e = *state;
    /* cuts: r <= 50 scores 2 (recent is better), f >= 2 scores 2, m > 50 scores 2 */
    bc_ok(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'cuts', false, {50}, {2}, {50}", 2);
    bc_is(e, "col(R[1], 'r_score')", "2,1,2,1");
    bc_is(e, "col(R[1], 'f_score')", "2,1,2,1");
    bc_is(e, "col(R[1], 'm_score')", "2,1,2,1");
    bc_is(e, "col(R[1], 'rfm')", "222,111,222,111");
    bc_is(e, "col(R[2], 'score')", "r,f,m");
    bc_ok(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'median', false", 2);
    bc_is(e, "col(R[1], 'm_score')", "2,1,2,1");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'best', false",
             "t:1: bad argument #6 to 'rfm_score' (invalid option 'best')");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'm', 'two', 'median', false",
             "t:1: bad argument #5 to 'rfm_score' (number expected, got string)");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', nil, 2, 'median', false",
             "t:1: bad argument #4 to 'rfm_score' (string expected, got nil)");
    bc_ok(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'cuts', false, {50}, {'2'}, {50}",
          2); /* as a number */
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'cuts', false, {50}, {true}, {50}",
             "t:1: bad argument #9 to 'rfm_score' (item 1: number expected, got boolean)");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'm', 2, 'cuts', false, {50}, {2}",
             "t:1: bad argument #10 to 'rfm_score' (table expected, got nil)");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'x', 2, 'median', false",
             "no column 'x' (did you mean 'r' or 'f' or 'm'?)");
    bc_fails(e, "C.rfm_score", "S, 'r', 'f', 'm', 1, 'quantile', false",
             "bins must be between 2 and 1000, got 1");
    bc_fails(e, "C.rfm_score", "CL, 'r', 'f', 'm', 2, 'median', false",
             "t:1: bad argument #1 to 'rfm_score' (attempt to use a closed table)");
}

/* rules_apply(t, spec, out) -> Table, counts; rules_coverage(spec, cols, lo, hi) */
static void test_segment_rules(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.rules_apply", "S, RULES, 'seg'", 2);
    bc_is(e, "col(R[1], 'seg')", "best,lost,best,lost");
    bc_is(e, "col(R[2], 'segment')", "best,lost,rest");
    bc_is(e, "col(R[2], 'customers')", "2,2,0");
    bc_fails(e, "C.rules_apply", "S, RULES",
             "t:1: bad argument #3 to 'rules_apply' (string expected, got nil)");
    bc_fails(e, "C.rules_apply", "S, 5, 'seg'",
             "t:1: bad argument #2 to 'rules_apply' (table expected, got number)");
    bc_fails(e, "C.rules_apply", "S, {5}, 'seg'", "t:1: rule 1: {name =, conds =} expected");
    bc_fails(e, "C.rules_apply", "S, {{name = {}, conds = {}}}, 'seg'",
             "t:1: rule 1: name: string expected, got table");
    bc_fails(e, "C.rules_apply", "S, {{name = 'a'}}, 'seg'", "t:1: rule 1: conds expected");
    bc_fails(e, "C.rules_apply", "S, {{name = 'a', conds = {5}}}, 'seg'",
             "t:1: rule 1: condition 1: a table expected");
    bc_fails(e, "C.rules_apply",
             "S, {{name = 'a', conds = {{true, 0, 1, false, false, 0, 0}}}},"
             " 'seg'",
             "t:1: rule 1: condition 1: column: string expected, got boolean");
    bc_fails(e, "C.rules_apply",
             "S, {{name = 'a', conds = {{'f', 'x', 1, false, false, 0, 0}}}},"
             " 'seg'",
             "t:1: rule 1: condition 1: item 2: number expected, got string");
    bc_fails(e, "C.rules_apply",
             "S, {{name = 'a', conds = {{'f', 0, 1, false, false, 3, 0}}}},"
             " 'seg'",
             "t:1: rule 1: condition 1: bound statistics are 0, 1 or 2");
    bc_fails(e, "C.rules_apply",
             "S, {{name = 'a', conds = {{'zz', 0, 1, false, false, 0, 0}}}},"
             " 'seg'",
             "no column 'zz' (columns: id, r, f, m)");
    bc_fails(e, "C.rules_apply", "CL, RULES, 'seg'",
             "t:1: bad argument #1 to 'rules_apply' (attempt to use a closed table)");
    /* a 2 x 2 grid of f (1..2) and m (50..51): only f >= 3 is best: nothing matches best */
    bc_ok(e, "C.rules_coverage",
          "{{name = 'hi', conds = {{'f', 2, 1/0, false, false, 0, 0}}}},"
          " {'f', 'm'}, {1, 50}, {2, 51}",
          3);
    bc_is(e, "col(R[1], 'segment')", "Others,Others,hi,hi");
    bc_is(e, "R[2]", "2");
    bc_is(e, "R[3]", "0");
    bc_fails(e, "C.rules_coverage", "RULES, {'f'}, {1, 2}, {3}",
             "t:1: coverage: 1 columns, 2 lows, 1 highs");
    bc_fails(e, "C.rules_coverage", "RULES, {'f', 'm', 'r'}, {1.5, 0, 0}, {3, 1, 1}",
             "t:1: bad argument #3 to 'rules_coverage' (whole numbers expected)");
    bc_fails(e, "C.rules_coverage", "RULES, {'f', 'm', 'r'}, {1, 0, 0}, {3, 1, 1e300}",
             "t:1: bad argument #4 to 'rules_coverage' (whole numbers expected)");
    bc_fails(e, "C.rules_coverage", "RULES, {'f', 'm'}, {1, 0}, {3, 1}",
             "the rules test 'r', which is not a grid column");
    bc_fails(e, "C.rules_coverage", "RULES, {'f', 2}, {1, 0}, {3, 1}",
             "the rules test 'm', which is not a grid column");
}

/* tiers(t, value, shares, names, by_value, out) -> Table */
static void test_segment_tiers(void **state)
{
    cv_engine *e = *state;
    /* by customers: the top half (by m: 1 then 3) is gold, the rest lead */
    bc_ok(e, "C.tiers", "S, 'm', {0.5, 0.5}, {'gold', 'lead'}, false, 'tier'", 1);
    bc_is(e, "col(R[1], 'tier')", "gold,lead,gold,lead");
    bc_fails(e, "C.tiers", "S, 'm', {0.5, 0.5}, {'gold'}, false, 'tier'",
             "t:1: tiers: 2 shares but 1 names");
    bc_fails(e, "C.tiers", "S, 'm', {0.5, 0.5}, {'gold', {}}, false, 'tier'",
             "t:1: bad argument #4 to 'tiers' (item 2: string expected, got table)");
    bc_fails(e, "C.tiers", "S, 'm', {0.5, 0.5}, {'gold', 'lead'}, false",
             "t:1: bad argument #6 to 'tiers' (string expected, got nil)");
    bc_fails(e, "C.tiers", "S, 'm', {0.7, 0.5}, {'gold', 'lead'}, false, 'tier'",
             "tier shares sum to 1.2, expected 1");
    bc_fails(e, "C.tiers", "S, 'zz', {1}, {'all'}, false, 'tier'",
             "no column 'zz' (columns: id, r, f, m)");
}

/* concentration(t, col) -> {...}; lorenz(t, col, n) -> p, L, gini; gini(t, col) -> number */
static void test_segment_concentration(void **state)
{
    cv_engine *e = *state;
    /* m = 100, 0, 60, 40: total 200; sorted 100, 60, 40, 0 */
    bc_ok(e, "C.concentration", "S, 'm'", 1);
    bc_is(e, "R[1].n", "4");
    bc_is(e, "R[1].total", "200");
    bc_is(e, "R[1].gini", "0.40000000000000002");
    bc_ok(e, "C.gini", "S, 'm'", 1);
    /* mean absolute difference over all pairs / (2 mean): sum |xi - xj| over i, j = 2 x
       (40 + 60 + 100 + 20 + 60 + 40) = 640; 640 / (2 x 16 x 50) = 0.4 */
    bc_near(e, "R[1]", 0.4, 1e-12);
    bc_ok(e, "C.lorenz", "S, 'm', 3", 3);
    bc_is(e, "table.concat(R[1], ',')", "0.0,0.5,1.0");
    bc_is(e, "table.concat(R[2], ',')", "0.0,0.2,1.0");
    bc_near(e, "R[3]", 0.4, 1e-12);
    bc_fails(e, "C.lorenz", "S, 'm', 1",
             "t:1: bad argument #3 to 'lorenz' (2 to 100001 points expected)");
    bc_fails(e, "C.lorenz", "S, 'm'",
             "t:1: bad argument #3 to 'lorenz' (number expected, got nil)");
    bc_fails(e, "C.gini", "S, 'zz'", "no column 'zz' (columns: id, r, f, m)");
    bc_fails(e, "C.gini", "cv.table{s = {'a'}}, 's'", "column 's' is string, expected a number");
    bc_fails(e, "C.gini", "S", "t:1: bad argument #2 to 'gini' (string expected, got nil)");
    bc_fails(e, "C.concentration", "CL, 'm'",
             "t:1: bad argument #1 to 'concentration' (attempt to use a closed table)");
}

/* lifecycle(t, cols, period, p_min, stages, states) -> Table */
static void test_segment_lifecycle(void **state)
{
    cv_engine *e = *state;
    /* period 30: a new customer; one buying more lately (development, active); one
       buying less (decline, at risk); one silent for long (decline, lapsed) */
    bc_run(e, "LC = cv.table{{'tenure', {10, 100, 100, 300}}, {'rec', {5, 5, 40, 200}},\n"
              "   {'n', {1, 4, 3, 2}}, {'n_mid', {0, 1, 3, 2}}, {'n_old', {0, 1, 1, 2}}}\n"
              "STAGES = {'exploration', 'development', 'stability', 'decline'}\n"
              "STATES = {'new', 'active', 'at risk', 'lapsed', 'reactivated'}");
    bc_ok(e, "C.lifecycle",
          "LC, {'tenure', 'rec', 'n', 'n_mid', 'n_old'}, 30, 0.5, STAGES,"
          " STATES",
          1);
    bc_is(e, "col(R[1], 'stage')", "exploration,development,decline,decline");
    bc_is(e, "col(R[1], 'state')", "new,reactivated,at risk,lapsed");
    bc_is(e, "col(R[1], 'recent')", "1,3,0,0");
    bc_fails(e, "C.lifecycle", "LC, {'tenure', 'rec', 'n'}, 30, 0.5, STAGES, STATES",
             "t:1: bad argument #2 to 'lifecycle' (5 or 6 column names expected)");
    bc_fails(e, "C.lifecycle",
             "LC, {'tenure', 'rec', 'n', 'n_mid', 'n_old'}, 30, 0.5,"
             " {'a'}, STATES",
             "t:1: bad argument #5 to 'lifecycle' (4 stage labels expected)");
    bc_fails(e, "C.lifecycle",
             "LC, {'tenure', 'rec', 'n', 'n_mid', 'n_old'}, 30, 0.5,"
             " STAGES, {}",
             "t:1: bad argument #6 to 'lifecycle' (5 state labels expected)");
    bc_fails(e, "C.lifecycle",
             "LC, {'tenure', 'rec', 'n', 'n_mid', 'n_old'}, '30d', 0.5,"
             " STAGES, STATES",
             "t:1: bad argument #3 to 'lifecycle' (number expected, got string)");
    bc_fails(e, "C.lifecycle",
             "LC, {'tenure', 'rec', 'n', 'n_mid', 'n_old'}, 0, 0.5,"
             " STAGES, STATES",
             "the lifecycle period must be > 0 days, got 0");
    bc_fails(e, "C.lifecycle",
             "LC, {'tenure', 'rec', 'zz', 'n_mid', 'n_old'}, 30, 0.5,"
             " STAGES, STATES",
             "no column 'zz' (columns: tenure, rec, n, n_mid, n_old)");
}

/* kmeans(t, cols, k, restarts, max_iter, seed, standardize, sample, out) -> Table, info;
   silhouette(t, cols, label, sample, seed, standardize) -> number */
static void test_segment_kmeans(void **state)
{
    cv_engine *e = *state;
    /* two tight groups: {1, 2, 3} and {101, 102, 103} */
    bc_run(e, "K = cv.table{x = {1, 2, 3, 101, 102, 103}}");
    bc_ok(e, "C.kmeans", "K, {'x'}, 2, 3, 100, 1, false, -1, 'cluster'", 2);
    bc_is(e, "R[2].k", "2");
    bc_is(e, "table.concat(R[2].sizes, ',')", "3,3");
    bc_is(e, "R[2].wss", "4"); /* 1 + 0 + 1 in each group */
    bc_is(e, "R[2].converged", "true");
    bc_is(e, "col(R[1], 'cluster')", "1,1,1,2,2,2");
    bc_is(e,
          "(R[2].centers[1][1] == 2 and R[2].centers[2][1] == 102) or"
          " (R[2].centers[1][1] == 102 and R[2].centers[2][1] == 2)",
          "true");
    bc_run(e, "KL = C.kmeans(K, {'x'}, 2, 3, 100, 1, false, -1, 'cluster')");
    bc_ok(e, "C.silhouette", "KL, {'x'}, 'cluster', -1, 1, false", 1);
    /* 1 - a / b per point, a the mean distance within its group, b to the other one:
       for 1, 2, 3 (and alike 103, 102, 101): 1.5 / 101, 1 / 100, 1.5 / 99 */
    bc_near(e, "R[1]", 1 - (1.5 / 101 + 1 / 100.0 + 1.5 / 99) / 3, 1e-12);
    bc_fails(e, "C.kmeans", "K, {'x'}, 0, 3, 100, 1, false, -1, 'cluster'",
             "k must be between 1 and the 6 rows, got 0");
    bc_fails(e, "C.kmeans", "K, {'zz'}, 2, 3, 100, 1, false, -1, 'cluster'",
             "no column 'zz' (columns: x)");
    bc_fails(e, "C.kmeans", "K, {'x'}, 2, 3, 100, 1, false, -1",
             "t:1: bad argument #9 to 'kmeans' (string expected, got nil)");
    bc_fails(e, "C.kmeans", "K, 'x', 2, 3, 100, 1, false, -1, 'c'",
             "t:1: bad argument #2 to 'kmeans' (table expected, got string)");
    bc_fails(e, "C.kmeans", "K, {'x'}, 2.5, 3, 100, 1, false, -1, 'c'",
             "t:1: bad argument #3 to 'kmeans' (number has no integer representation)");
    bc_fails(e, "C.silhouette", "KL, {'x'}, 'zz', -1, 1, false",
             "no column 'zz' (columns: x, cluster)");
    bc_fails(e, "C.silhouette", "KL, {'x'}, 'cluster', -1",
             "t:1: bad argument #5 to 'silhouette' (number expected, got nil)");
    bc_fails(e, "C.silhouette", "CL, {'x'}, 'cluster', -1, 1, false",
             "t:1: bad argument #1 to 'silhouette' (attempt to use a closed table)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_segment_rfm),           T(test_segment_rules),     T(test_segment_tiers),
        T(test_segment_concentration), T(test_segment_lifecycle), T(test_segment_kmeans),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
