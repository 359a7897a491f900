/* Tests of the binding module cv.core.sql (src/lua/l_sql.c): cv.connect and the methods of
   cv.Connection on a SQLite database in memory, each called from C in a real engine (methods
   with the method syntax): rows written and read back, a summary worked out by hand, every
   argument error's exact message, and a Lua stack left as it was found with exactly the
   documented results. (PostgreSQL: tests/lua/test_sql_pg.lua.) */
#include "bindcall.h"

static int setup(void **state)
{
    lua_State *L;
    if (bc_setup_module(state, "cv.core.sql") != 0)
        return -1;
    /* lua/cv/sql.lua puts conn:summary behind a Lua wrapper: opening the module again gives
       every connection the C methods back, tested here */
    L = cv_engine_lua(*state);
    lua_pushcfunction(L, luaopen_cv_sql);
    lua_call(L, 0, 1);
    lua_setglobal(L, "C");
    bc_run(*state, "DB = C.connect('sqlite::memory:')\n"
                   "CLOSED = C.connect('sqlite::memory:'); CLOSED:close()\n"
                   "TX = cv.table{{'id', {1, 1, 2}},"
                   " {'date', {'2020-01-01', '2020-01-11', '2020-01-05'}, 'date'},"
                   " {'amount', {10, 20, 5}}}\n"
                   "O = {table = 'tx', customer = 'id', date = 'date', amount = 'amount',"
                   " calibration_end = '2020-01-31'}");
    return 0;
}

/* connect(url) -> Connection; kind, tostring, close */
static void test_sql_connect(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.connect", "'sqlite::memory:'", 1);
    bc_is(e, "getmetatable(R[1])", "cv.Connection");
    bc_is(e, "tostring(R[1])", "cv.Connection (sqlite::memory:)");
    bc_run(e, "K = R[1]");
    bc_ok(e, "K:close", "", 0);
    bc_ok(e, "K:close", "", 0); /* idempotent */
    bc_is(e, "tostring(K)", "cv.Connection (closed)");
    bc_ok(e, "DB:kind", "", 1);
    bc_is(e, "R[1]", "sqlite");
    bc_fails(e, "C.connect", "'postgrse://u:secret@db/shop'",
             "unknown database 'postgrse://u:***@db/shop' (expected sqlite:path.db, "
             "postgresql://user@host:port/db or clickhouse://user@host:port/db)");
    bc_fails(e, "C.connect", "",
             "t:1: bad argument #1 to 'connect' (string expected, got no value)");
    bc_fails(e, "CLOSED:kind", "", "t:1: calling 'kind' on bad self (connection is closed)");
    bc_fails(e, "DB.kind", "5",
             "t:1: bad argument #1 to 'kind' (cv.Connection expected, got number)");
}

/* write(name, t [, opts]) -> conn; read(sql [, params]) -> Table; exec(sql [, params]) */
static void test_sql_write_read_exec(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "DB:write", "'tx', TX", 1);
    bc_is(e, "R[1] == DB", "true");
    bc_ok(e, "DB:read", "'SELECT id, amount FROM tx WHERE amount > ? ORDER BY amount', {6}", 1);
    bc_is(e, "R[1]:to_string()", "id,amount\n1,10\n1,20\n");
    bc_ok(e, "DB:exec", "'UPDATE tx SET amount = amount + 1 WHERE id = ?', {1}", 1);
    bc_is(e, "R[1]", "2");
    bc_ok(e, "DB:write", "'tx', TX, {mode = 'append'}", 1);
    bc_ok(e, "DB:read", "'SELECT count(*) AS n, sum(amount) AS s FROM tx'", 1);
    bc_is(e, "R[1]:to_string()", "n,s\n6,72\n"); /* 11 + 21 + 5 + 10 + 20 + 5 */
    bc_ok(e, "DB:read", "'SELECT ? AS a, ? AS b, ? AS c, ? AS d', {1.5, 'x', true, n = 4}", 1);
    bc_is(e, "R[1]:to_string()", "a,b,c,d\n1.5,x,1,\n"); /* true as 1, nil as missing */
    bc_fails(e, "DB:write", "'tx', TX",
             "cannot create table 'tx': table \"tx\" already exists (mode append adds rows to it)");
    bc_fails(e, "DB:write", "'tx', TX, {mode = 'replace'}",
             "t:1: cv.write: bad option 'mode' (\"create\" or \"append\" expected, got 'replace')");
    bc_fails(e, "DB:write", "'tx'", "t:1: bad argument #2 to 'write' (cv.Table expected, got nil)");
    bc_fails(e, "DB:read", "'SELECT nothing FROM nowhere'",
             "sql:1:8: near \"nothing\": syntax error");
    bc_fails(e, "DB:read", "'SELECT ?', {{}}",
             "t:1: bad parameter 1 (number, string, boolean or nil expected, got table)");
    bc_fails(e, "DB:read", "'SELECT ?', {n = -1}",
             "t:1: bad argument #2 to 'read' (a count n >= 0 expected)");
    bc_fails(e, "DB:read", "'SELECT ?', {n = 70000}",
             "t:1: bad argument #2 to 'read' (too many parameters)");
    bc_fails(e, "DB:read", "'SELECT 1', 'x'",
             "t:1: bad argument #2 to 'read' (table expected, got string)");
    bc_fails(e, "DB:read", "", "t:1: bad argument #1 to 'read' (string expected, got nil)");
    bc_fails(e, "DB:exec", "'DELETE FROM nowhere'", "sql: no such table: nowhere");
    bc_fails(e, "CLOSED:read", "'SELECT 1'",
             "t:1: calling 'read' on bad self (connection is closed)");
    bc_fails(e, "CLOSED:exec", "'SELECT 1'",
             "t:1: calling 'exec' on bad self (connection is closed)");
    bc_fails(e, "CLOSED:write", "'t', TX",
             "t:1: calling 'write' on bad self (connection is closed)");
}

/* summary(opts) -> Table, report; summary_text(opts) -> string */
static void test_sql_summary(void **state)
{
    cv_engine *e = *state;
    bc_run(e, "DB:write('tx', TX)");
    /* customer 1: 10 and 20 ten days apart, age 30 on Jan 31; customer 2: one purchase */
    bc_ok(e, "DB:summary", "O", 2);
    bc_is(e, "#R[1]", "2");
    bc_is(e, "R[1]:row(1).x .. ' ' .. R[1]:row(1).t_x .. ' ' .. R[1]:row(1).T", "1 10.0 30.0");
    bc_is(e, "R[1]:row(2).x .. ' ' .. R[1]:row(2).T", "0 26.0");
    bc_is(e, "R[2].customers", "2");
    bc_is(e, "R[2].calibration_end", "2020-01-31");
    bc_is(e, "R[2].unit", "day");
    bc_ok(e, "DB:summary_text", "O", 1);
    bc_is(e, "type(R[1]) == 'string' and R[1]:find('tx', 1, true) ~= nil", "true");
    bc_fails(e, "DB:summary", "{customer = 'id', date = 'date', amount = 'amount'}",
             "t:1: cv.summary_sql: bad option 'table' (a name is required)");
    bc_fails(e, "DB:summary", "{table = 'tx', date = 'date', amount = 'amount'}",
             "t:1: cv.summary_sql: bad option 'customer' (a column name is required)");
    bc_fails(e, "DB:summary",
             "{table = 'tx', customer = 'id', date = 'date', amount = 'amount',"
             " unit = 'fortnight'}",
             "t:1: cv.summary_sql: bad option 'unit' (\"day\", \"week\", \"month\" or \"year\" "
             "expected, got 'fortnight')");
    bc_fails(e, "DB:summary",
             "{table = 'tx', customer = 'id', date = 'date', amount = 'amount',"
             " quiet = 'yes'}",
             "t:1: cv.summary_sql: bad option 'quiet' (boolean expected, got string)");
    bc_fails(e, "DB:summary",
             "{table = 'nowhere', customer = 'id', date = 'date',"
             " amount = 'amount'}",
             "sql: no such table: nowhere");
    bc_fails(e, "DB:summary", "", "t:1: bad argument #1 to 'summary' (table expected, got nil)");
    bc_fails(e, "DB:summary_text", "5",
             "t:1: bad argument #1 to 'summary_text' (table expected, got number)");
    bc_fails(e, "CLOSED:summary", "O", "t:1: calling 'summary' on bad self (connection is closed)");
}

/* In a sandbox, connect refuses. */
static void test_sql_sandboxed(void **state)
{
    cv_engine_options o = {.sandbox = 1, .lang = "en"};
    cv_engine *e = cv_engine_new(&o, NULL);
    lua_State *L;
    (void)state;
    assert_non_null(e);
    L = cv_engine_lua(e);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "cv.core.sql");
    assert_int_equal(lua_type(L, -1), LUA_TTABLE);
    lua_setglobal(L, "C");
    lua_pop(L, 1); /* pop the loaded table */
    bc_fails(e, "C.connect", "'sqlite::memory:'",
             "t:1: 'cv.connect' is not available in the sandbox");
    cv_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_sql_connect),
        T(test_sql_write_read_exec),
        T(test_sql_summary),
        cmocka_unit_test(test_sql_sandboxed),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
