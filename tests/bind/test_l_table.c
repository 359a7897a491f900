/* Tests of the binding module cv.core.table (src/lua/l_table.c): the module's functions and
   the methods of cv.Table and cv.Column, each called from C in a real engine (methods with
   the method syntax, as scripts call them): values worked out by hand, every argument
   error's exact message, and a Lua stack left as it was found with exactly the documented
   results. */
#include "bindcall.h"

#include <unistd.h>

static int setup(void **state)
{
    lua_State *L;
    if (bc_setup_module(state, "cv.core.table") != 0)
        return -1;
    /* lua/cv/init.lua puts t:join and t:kind behind Lua wrappers (their declared options):
       opening the module again gives every table the C methods back, tested here */
    L = cv_engine_lua(*state);
    lua_pushcfunction(L, luaopen_cv_table);
    lua_call(L, 0, 1);
    lua_setglobal(L, "C");
    bc_run(*state, "T = C.from_columns{{'id', {1, 2, 3, 4}}, {'g', {'a', 'b', 'a', 'b'}},\n"
                   "                    {'x', {10, 20, 30, 40.5}}}\n"
                   "X = T:col('x')\n"
                   "CL = C.from_columns{{'a', {1}}}; CLC = CL:col('a'); CL:close()\n"
                   "function col(t, name) local c = t:col(name):totable()\n"
                   "   for i = 1, #c do c[i] = tostring(c[i]) end return table.concat(c, ',') end");
    return 0;
}

/* from_columns{{name, values [, type]}...} -> Table */
static void test_table_from_columns(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.from_columns", "{{'d', {'2020-01-02', n = 3}, 'date'}, {'n', {1, n = 3}}}", 1);
    bc_is(e, "tostring(R[1])", "cv.Table (3 rows \xC3\x97 2 columns)");
    bc_is(e, "table.concat(R[1]:types(), ',')", "date,int");
    bc_is(e, "R[1]:col('d')[1]", "2020-01-02");
    bc_is(e, "R[1]:col('n')[3]", "nil");
    bc_ok(e, "C.from_columns", "{}", 1);
    bc_is(e, "tostring(R[1])", "cv.Table (0 rows × 0 columns)");
    bc_fails(e, "C.from_columns", "{{'a'}}",
             "t:1: bad argument #1 to 'from_columns' (column #1: {name, values} expected)");
    bc_fails(e, "C.from_columns", "{{'a', {1}}, 5}",
             "t:1: bad argument #1 to 'from_columns' (column #2: {name, values} expected)");
    bc_fails(e, "C.from_columns", "{{'a', {1}, 'money'}}",
             "t:1: bad argument #1 to 'from_columns' (column #1: unknown type 'money')");
    bc_fails(e, "C.from_columns", "{{'a', {1}, 7}}",
             "t:1: bad argument #1 to 'from_columns' (column #1: unknown type '7')");
    bc_fails(e, "C.from_columns", "{{'a', {1, n = -1}}}",
             "t:1: bad argument #1 to 'from_columns' (column #1: n must be >= 0, got -1)");
    bc_fails(e, "C.from_columns", "{{'a', {1, 'x'}}}", "column 'a' mixes numbers and strings");
    bc_fails(e, "C.from_columns", "{{'a', {1}}, {'a', {2}}}", "duplicate column name 'a'");
    bc_fails(e, "C.from_columns", "{{'a', {1}}, {'b', {2, 3}}}",
             "column 'b' has 2 values, the table has 1 rows");
    bc_fails(e, "C.from_columns", "{{'d', {'2020-13-01'}, 'date'}}",
             "column 'd', value 1: expected a date, got '2020-13-01'");
    bc_fails(e, "C.from_columns", "'a'",
             "t:1: bad argument #1 to 'from_columns' (table expected, got string)");
}

/* format_kind(value, kind [, decimals [, na]]) -> string; with_kinds(t, kinds) -> Table */
static void test_table_kinds(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.format_kind", "1234.5, 'money'", 1);
    bc_is(e, "R[1]", "1,234.50");
    bc_ok(e, "C.format_kind", "0.2183, 'share'", 1);
    bc_is(e, "R[1]", "21.83%");
    bc_ok(e, "C.format_kind", "1234.5, 'money', 0", 1);
    bc_is(e, "R[1]", "1,235");
    bc_ok(e, "C.format_kind", "0/0, 'money', nil, '-'", 1);
    bc_is(e, "R[1]", "-");
    bc_fails(e, "C.format_kind", "1, 'cash'",
             "t:1: bad argument #2 to 'format_kind' (unknown kind)");
    bc_fails(e, "C.format_kind", "1, 'money', 16",
             "t:1: bad argument #3 to 'format_kind' (0 to 15 decimals expected)");
    bc_fails(e, "C.format_kind", "'x', 'money'",
             "t:1: bad argument #1 to 'format_kind' (number expected, got string)");
    bc_ok(e, "C.with_kinds", "T, {x = 'money', id = {'count', 0}, g = 'money', zz = 'share'}", 1);
    bc_is(e, "R[1]:kinds().x", "money");
    bc_is(e, "R[1]:kinds().id", "count");
    bc_is(e, "R[1]:kinds().g", "nil"); /* a string column is passed over */
    bc_is(e, "T:kinds().x", "nil");    /* t itself unchanged */
    bc_fails(e, "C.with_kinds", "T, {x = 'cash'}", "t:1: with_kinds: unknown kind 'cash'");
    bc_fails(e, "C.with_kinds", "T, {x = 5}", "t:1: with_kinds: unknown kind '5'");
    bc_fails(e, "C.with_kinds", "T, {x = {'money', 'two'}}",
             "t:1: with_kinds: column 'x': decimals expected, got string");
    bc_fails(e, "C.with_kinds", "T",
             "t:1: bad argument #2 to 'with_kinds' (table expected, got nil)");
    bc_fails(e, "C.with_kinds", "CL, {}",
             "t:1: bad argument #1 to 'with_kinds' (attempt to use a closed table)");
    /* t:kind(col, kind [, decimals]) and t:kinds() */
    bc_ok(e, "T:kind", "'x', 'money', 1", 1);
    bc_is(e, "R[1]:kinds().x", "money");
    bc_is(e, "R[1]:to_string('text'):match('40.5') ~= nil", "true");
    bc_ok(e, "T:kinds", "", 1);
    bc_is(e, "next(R[1])", "nil");
    bc_fails(e, "T:kind", "'x', 'cash'", "t:1: bad argument #2 to 'kind' (unknown kind)");
    bc_fails(e, "T:kind", "'x', 'money', -2",
             "t:1: bad argument #3 to 'kind' (0 to 15 decimals expected)");
    bc_fails(e, "T:kind", "'zz', 'money'", "no column 'zz' (columns: id, g, x)");
    bc_fails(e, "T:kind", "", "t:1: bad argument #1 to 'kind' (string expected, got nil)");
    bc_fails(e, "CL:kind", "'a', 'money'",
             "t:1: calling 'kind' on bad self (attempt to use a closed table)");
}

/* nrows, ncols, names, types, row, rows, meta, head, describe, tostring, # */
static void test_table_shape(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "T:nrows", "", 1);
    bc_is(e, "R[1]", "4");
    bc_ok(e, "T:ncols", "", 1);
    bc_is(e, "R[1]", "3");
    bc_ok(e, "T:names", "", 1);
    bc_is(e, "table.concat(R[1], ',')", "id,g,x");
    bc_ok(e, "T:types", "", 1);
    bc_is(e, "table.concat(R[1], ',')", "int,string,float");
    bc_ok(e, "T:row", "4", 1);
    bc_is(e, "R[1].id .. R[1].g .. R[1].x", "4b40.5");
    bc_fails(e, "T:row", "5", "t:1: bad argument #1 to 'row' (row index out of range)");
    bc_fails(e, "T:row", "0", "t:1: bad argument #1 to 'row' (row index out of range)");
    bc_fails(e, "T:row", "'first'", "t:1: bad argument #1 to 'row' (number expected, got string)");
    bc_ok(e, "T:rows", "", 1);
    bc_is(e, "(function() local s = 0 for i, r in R[1] do s = s + i * r.id end return s end)()",
          "30");
    bc_ok(e, "T:meta", "", 1);
    bc_is(e, "R[1]", "nil");
    bc_ok(e, "T:head", "2", 1);
    bc_is(e, "col(R[1], 'id')", "1,2");
    bc_ok(e, "T:head", "-1", 1);
    bc_is(e, "col(R[1], 'id')", "4");
    bc_ok(e, "T:head", "", 1);
    bc_is(e, "#R[1]", "4");
    bc_fails(e, "T:head", "'x'", "t:1: bad argument #1 to 'head' (number expected, got string)");
    bc_ok(e, "T:describe", "", 1);
    bc_is(e, "#R[1]", "3");
    bc_ok(e, "tostring", "CL", 1);
    bc_is(e, "R[1]", "cv.Table (closed)");
    for (int k = 0; k < 2; k++) {
        const char *m = k ? "CL:nrows" : "CL:names";
        char want[128];
        snprintf(want, sizeof want, "t:1: calling '%s' on bad self (attempt to use a closed table)",
                 m + 3);
        bc_fails(e, m, "", want);
    }
    bc_fails(e, "CL:row", "1", "t:1: calling 'row' on bad self (attempt to use a closed table)");
    bc_fails(e, "T.nrows", "X",
             "t:1: bad argument #1 to 'nrows' (cv.Table expected, got cv.Column)");
}

/* select, filter, sort, group_by, join, add */
static void test_table_operations(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "T:select", "'x', 'id'", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "x,id");
    bc_ok(e, "T:select", "{'g'}", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "g");
    bc_fails(e, "T:select", "{'g', 1}",
             "t:1: bad argument #1 to 'select' (column names must be strings)");
    bc_fails(e, "T:select", "'zz'", "no column 'zz' (columns: id, g, x)");
    bc_fails(e, "T:select", "", "t:1: bad argument #1 to 'select' (table expected, got nil)");
    bc_ok(e, "T:filter", "'x', '>', 15", 1);
    bc_is(e, "col(R[1], 'id')", "2,3,4");
    bc_ok(e, "T:filter", "'g', '==', 'a'", 1);
    bc_is(e, "col(R[1], 'id')", "1,3");
    bc_ok(e, "T:filter", "function(r) return r.id % 2 == 0 end", 1);
    bc_is(e, "col(R[1], 'id')", "2,4");
    bc_fails(e, "T:filter", "'x', '=~', 1",
             "t:1: bad argument #2 to 'filter' (unknown operator '=~')");
    bc_fails(e, "T:filter", "function(r) error('no') end", "t:1: no");
    bc_fails(e, "T:filter", "'zz', '>', 1", "no column 'zz' (columns: id, g, x)");
    bc_fails(e, "T:filter", "'x', '>', 'a'",
             "filter on column 'x' (float): expected a number, found a string");
    bc_fails(e, "T:filter", "'x'", "t:1: bad argument #2 to 'filter' (string expected, got nil)");
    bc_ok(e, "T:sort", "'x', 'desc'", 1);
    bc_is(e, "col(R[1], 'id')", "4,3,2,1");
    bc_ok(e, "T:sort", "{'g', {'x', desc = true}}", 1);
    bc_is(e, "col(R[1], 'id')", "3,1,4,2");
    bc_fails(e, "T:sort", "'x', 'down'", "t:1: bad argument #2 to 'sort' (invalid option 'down')");
    bc_fails(
        e, "T:sort", "{5}",
        "t:1: bad argument #1 to 'sort' (sort keys are \"column\" or {\"column\", desc = true})");
    bc_fails(e, "T:sort", "'zz'", "no column 'zz' (columns: id, g, x)");
    bc_ok(e, "T:group_by", "'g', {s = {'sum', 'x'}, n = 'count', {'q', 'quantile', 'x', 0.5}}", 1);
    bc_is(e, "table.concat(R[1]:names(), ',')", "g,q,n,s");
    bc_is(e, "col(R[1], 's')", "40.0,60.5");
    bc_is(e, "col(R[1], 'n')", "2,2");
    bc_fails(e, "T:group_by", "'g', {s = {'total', 'x'}}",
             "t:1: bad aggregate 's' to 'group_by' (expected \"count\" or {\"sum\", \"column\"}; "
             "functions: count sum mean min max first last n_distinct quantile median sd var)");
    bc_fails(e, "T:group_by", "'g', {q = {'quantile', 'x', 2}}",
             "t:1: bad aggregate 'q' to 'group_by' (quantile needs q in [0, 1])");
    bc_fails(e, "T:group_by", "'g', {5}",
             "t:1: bad aggregate #1 to 'group_by' ({out, fn, column} expected)");
    bc_fails(e, "T:group_by", "'g', {{5, 'count'}}",
             "t:1: bad aggregate #1 to 'group_by' ({out, fn, column} expected)");
    bc_fails(e, "T:group_by", "'g', {s = {'sum', 'zz'}}", "no column 'zz' (columns: id, g, x)");
    bc_fails(e, "T:group_by", "'g', 5",
             "t:1: bad argument #2 to 'group_by' (table expected, got number)");
    bc_run(e, "U = C.from_columns{{'key', {'a', 'c'}}, {'label', {'A', 'C'}}}");
    bc_ok(e, "T:join", "U, {on = {g = 'key'}}", 1);
    bc_is(e, "col(R[1], 'label')", "A,A");
    bc_ok(e, "T:join", "U, {on = {g = 'key'}, how = 'left'}", 1);
    bc_is(e, "#R[1]", "4");
    bc_fails(e, "T:join", "U, {on = {g = 'key'}, how = 'outer'}",
             "t:1: cv.join: bad option 'how' (\"inner\" or \"left\" expected)");
    bc_fails(e, "T:join", "U, {on = 5}",
             "t:1: cv.join: bad option 'on' (string or table expected)");
    bc_fails(e, "T:join", "U, {on = {g = 5}}",
             "t:1: cv.join: bad option 'on' (column names must be strings)");
    bc_fails(e, "T:join", "U, {on = 'g'}", "no column 'g' (columns: key, label)");
    bc_fails(e, "T:join", "U", "t:1: bad argument #2 to 'join' (table expected, got nil)");
    bc_fails(e, "T:join", "CL, {on = 'a'}",
             "t:1: bad argument #1 to 'join' (attempt to use a closed table)");
    bc_ok(e, "T:add", "'y', function(r) return r.id * 2 end", 1);
    bc_is(e, "col(R[1], 'y')", "2,4,6,8");
    bc_ok(e, "T:add", "'x', {1, 2}, 'float'", 1); /* replaced, padded with missing values */
    bc_is(e, "table.concat(R[1]:names(), ',')", "id,g,x");
    bc_is(e, "R[1]:col('x')[3]", "nil");
    bc_fails(e, "T:add", "'y', {1, 2, 3, 4, 5}",
             "t:1: column 'y' has 5 values, the table has 4 rows");
    bc_fails(e, "T:add", "'y', {1}, 'money'",
             "t:1: bad argument #3 to 'add' (unknown type 'money')");
    bc_fails(e, "T:add", "'y', 5", "t:1: bad argument #2 to 'add' (table expected, got number)");
    bc_fails(e, "T:add", "'y', function(r) error('bad row') end", "t:1: bad row");
    bc_fails(e, "T:add", "'y', {1, 'a'}", "column 'y' mixes numbers and strings");
}

/* write(path [, format]), to_string([format]), print([n]) */
static void test_table_output(void **state)
{
    cv_engine *e = *state;
    char path[] = "/tmp/cvkit_test_l_table_XXXXXX", code[160];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    bc_ok(e, "T:to_string", "", 1);
    bc_is(e, "R[1]", "id,g,x\n1,a,10\n2,b,20\n3,a,30\n4,b,40.5\n");
    bc_ok(e, "T:to_string", "'tsv'", 1);
    bc_is(e, "R[1]:sub(1, 7)", "id\tg\tx\n");
    bc_ok(e, "T:head", "1", 1);
    bc_run(e, "H = T:head(1)");
    bc_ok(e, "H:to_string", "'json'", 1);
    bc_is(e, "R[1]", "[\n{\"id\":1,\"g\":\"a\",\"x\":10}\n]\n");
    bc_fails(e, "T:to_string", "'yaml'",
             "t:1: bad argument #1 to 'to_string' (invalid option 'yaml')");
    snprintf(code, sizeof code, "P = '%s'", path);
    bc_run(e, code);
    bc_ok(e, "T:write", "P, 'csv'", 0);
    bc_is(e, "(function() local f = io.open(P) local s = f:read('a') f:close() return s end)()",
          "id,g,x\n1,a,10\n2,b,20\n3,a,30\n4,b,40.5\n");
    snprintf(code, sizeof code, "%s: unknown output format (use .csv, .tsv, .json, .md or .xlsx)",
             path);
    bc_fails(e, "T:write", "P", code); /* no extension, no format */
    bc_fails(e, "T:write", "P, 'pdf'", "t:1: bad argument #2 to 'write' (invalid option 'pdf')");
    bc_fails(e, "T:write", "", "t:1: bad argument #1 to 'write' (string expected, got nil)");
    bc_fails(e, "CL:write", "P",
             "t:1: calling 'write' on bad self (attempt to use a closed table)");
    bc_ok(e, "H:print", "", 0);
    remove(path);
}

/* cv.Column: #, [i], name, type, kind, totable, sum, mean, min, max, tostring */
static void test_table_column(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "X:name", "", 1);
    bc_is(e, "R[1]", "x");
    bc_ok(e, "X:type", "", 1);
    bc_is(e, "R[1]", "float");
    bc_ok(e, "X:kind", "", 1);
    bc_is(e, "R[1]", "nil");
    bc_ok(e, "X:totable", "", 1);
    bc_is(e, "R[1].n .. ':' .. R[1][4]", "4:40.5");
    bc_ok(e, "X:sum", "", 1);
    bc_is(e, "R[1]", "100.5");
    bc_ok(e, "X:mean", "", 1);
    bc_is(e, "R[1]", "25.125");
    bc_ok(e, "X:min", "", 1);
    bc_is(e, "R[1]", "10");
    bc_ok(e, "X:max", "", 1);
    bc_is(e, "R[1]", "40.5");
    bc_ok(e, "T:col('g'):max", "", 1);
    bc_is(e, "R[1]", "b");
    bc_run(e, "E = C.from_columns{{'e', {n = 2}, 'float'}}:col('e')");
    bc_ok(e, "E:sum", "", 1);
    bc_is(e, "R[1]", "nil"); /* missing values skipped: nothing is left */
    bc_ok(e, "C.from_columns{{'e', {}, 'float'}}:col('e'):sum", "", 1);
    bc_is(e, "R[1]", "0"); /* the sum of no rows */
    bc_ok(e, "E:mean", "", 1);
    bc_is(e, "R[1]", "nil");
    bc_is(e, "#X", "4");
    bc_is(e, "X[2]", "20");
    bc_is(e, "X[5]", "nil");
    bc_is(e, "X[0]", "nil");
    bc_is(e, "tostring(X)", "cv.Column 'x' (float, 4 values)");
    bc_fails(e, "T:col('g'):sum", "", "sum of column 'g': expected a number column, found string");
    bc_fails(e, "T:col", "'zz'", "no column 'zz' (columns: id, g, x)");
    bc_fails(e, "T:col", "", "t:1: bad argument #1 to 'col' (string expected, got nil)");
    bc_ok(e, "CLC:name", "", 1); /* a column outlives its closed table */
    bc_is(e, "R[1]", "a");
    bc_is(e, "getmetatable(X)", "cv.Column"); /* protected: the type name only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_table_from_columns), T(test_table_kinds),  T(test_table_shape),
        T(test_table_operations),   T(test_table_output), T(test_table_column),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
