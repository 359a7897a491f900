/* cvkit Lua module "cv.core.sql": the cv.Connection userdata (an owned cv_sql: a SQLite
   file or a PostgreSQL session) with read, exec, write, summary and close. The work is the
   core's (src/core/sql*.c); convenience forms (cv.read_sql, ...) are in lua/cv/sql.lua. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/sql.h"
#include "lbind.h"

#define CV_SQL_MT "cv.Connection"

/* The open connection at idx, pinned until the binding returns; raises when it is not one
   or when it is closed. */
static cv_sql *checkconn(lua_State *L, int idx)
{
    cv_sql **slot = luaL_checkudata(L, idx, CV_SQL_MT);
    lbind_pin(L, idx); /* may run a finalizer: check after it */
    if (*slot == NULL)
        luaL_argerror(L, idx, "connection is closed");
    return *slot;
}

static void release_conn(void *db)
{
    cv_sql_close(db);
}

/* Reads the Lua array at idx (none or nil: no parameters; a field n counts trailing nils)
   into a scratch array of parameters; strings stay alive in that array's table. */
static cv_sql_param *checkparams(lua_State *L, int idx, int *n)
{
    *n = 0;
    if (lua_isnoneornil(L, idx))
        return NULL;
    luaL_checktype(L, idx, LUA_TTABLE);
    lbind_rawfield(L, idx, "n");
    lua_Integer count =
        lua_isinteger(L, -1) ? lua_tointeger(L, -1) : (lua_Integer)lua_rawlen(L, idx);
    lua_pop(L, 1); /* pop n */
    if (count < 0 || count > 65535)
        luaL_argerror(L, idx, count < 0 ? "a count n >= 0 expected" : "too many parameters");
    /* scratch memory stays on the stack (so alive) until the binding returns */
    cv_sql_param *p = lbind_scratch(L, sizeof *p * (size_t)(count ? count : 1));
    for (lua_Integer k = 1; k <= count; k++) {
        cv_sql_param *q = &p[k - 1];
        memset(q, 0, sizeof *q);
        int t = lua_rawgeti(L, idx, k);
        if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
            q->kind = CV_SQLP_INT;
            q->i = lua_tointeger(L, -1);
        } else if (t == LUA_TNUMBER) {
            q->kind = CV_SQLP_FLOAT;
            q->f = lua_tonumber(L, -1);
        } else if (t == LUA_TSTRING) {
            q->kind = CV_SQLP_TEXT;
            q->s = lbind_anchor(L, -1, NULL);
        } else if (t == LUA_TBOOLEAN) {
            q->kind = CV_SQLP_BOOL;
            q->i = lua_toboolean(L, -1);
        } else if (t != LUA_TNIL) {
            luaL_error(L, "bad parameter %d (number, string, boolean or nil expected, got %s)",
                       (int)k, luaL_typename(L, -1));
            return NULL;
        }
        lua_pop(L, 1); /* pop the value */
    }
    *n = (int)count;
    return p;
}

/* cv.core.sql.connect(url [, timeout]) -> Connection (timeout: seconds per statement,
   cv_sql_set_timeout; lua/cv/sql.lua checks the options) */
static int sql_connect(lua_State *L)
{
    const char *url = lbind_checkstring(L, 1);
    double timeout = luaL_optnumber(L, 2, 0);
    cv_sql **slot;
    lbind_check_sandbox(L, "cv.connect"); /* files and sockets outside the read and write rules */
    slot = lbind_newhandle(L, sizeof *slot, CV_SQL_MT, 0);
    cv_error err;
    if ((*slot = cv_sql_connect(url, &err)) == NULL)
        return lbind_error(L, &err);
    if (timeout != 0 && cv_sql_set_timeout(*slot, timeout, &err) != 0)
        return lbind_error(L, &err); /* the handle's __gc closes the connection */
    return 1;
}

/* __gc, __close and conn:close(): closes the connection (idempotent; a binding still using
   it keeps it until it returns) */
static int sql_close(lua_State *L)
{
    cv_sql **slot = luaL_checkudata(L, 1, CV_SQL_MT);
    cv_sql *db = *slot;
    *slot = NULL;
    lbind_close(L, 1, db, release_conn);
    return 0;
}

/* __tostring: "cv.Connection (postgresql://cvkit@127.0.0.1:54329/cvkit)" */
static int sql_tostring(lua_State *L)
{
    cv_sql **slot = luaL_checkudata(L, 1, CV_SQL_MT);
    if (*slot == NULL)
        lua_pushliteral(L, "cv.Connection (closed)");
    else
        lua_pushfstring(L, "cv.Connection (%s)", cv_sql_describe(*slot));
    return 1;
}

/* conn:kind() -> "sqlite" | "postgresql" | "clickhouse" */
static int sql_kind(lua_State *L)
{
    static const char *const kinds[] = {"sqlite", "postgresql", "clickhouse"};
    lua_pushstring(L, kinds[cv_sql_kind_of(checkconn(L, 1))]);
    return 1;
}

/* conn:traffic() -> bytes received, bytes sent (since the connection was opened) */
static int sql_traffic(lua_State *L)
{
    int64_t rx, tx;
    cv_sql_traffic(checkconn(L, 1), &rx, &tx);
    lua_pushinteger(L, (lua_Integer)rx);
    lua_pushinteger(L, (lua_Integer)tx);
    return 2;
}

/* conn:read(sql [, params]) -> Table */
static int sql_read(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    const char *sql = lbind_checkstring(L, 2);
    int n;
    cv_sql_param *p = checkparams(L, 3, &n);
    cv_error err;
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_sql_read(db, sql, p, n, NULL, 0, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* conn:exec(sql [, params]) -> rows changed */
static int sql_exec(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    const char *sql = lbind_checkstring(L, 2);
    int n;
    cv_sql_param *p = checkparams(L, 3, &n);
    cv_error err;
    int64_t changed = 0;
    if (cv_sql_exec(db, sql, p, n, &changed, &err) != 0)
        return lbind_error(L, &err);
    lua_pushinteger(L, (lua_Integer)changed);
    return 1;
}

/* conn:write(name, t [, {mode = "create" | "append"}]) -> conn */
static int sql_write(lua_State *L)
{
    static const char *const modes[] = {"create", "append", NULL};
    cv_sql *db = checkconn(L, 1);
    const char *name = lbind_checkstring(L, 2);
    const cv_table *t = lbind_checktable(L, 3);
    const char *mode = lbind_opt_string(L, 4, "mode", "write", "create");
    int m = 0;
    while (modes[m] && strcmp(modes[m], mode) != 0)
        m++;
    if (!modes[m])
        lbind_opt_error(L, "mode", "write",
                        lua_pushfstring(L, "\"create\" or \"append\" expected, got '%s'", mode));
    cv_error err;
    if (cv_sql_write(db, name, t, (cv_sql_write_mode)m, &err) != 0)
        return lbind_error(L, &err);
    lua_settop(L, 1);
    return 1;
}

/* The options of cv.summary (docs/summary.md, read by l_summary.c's one reader) plus
   table; returns the table's name. */
static const char *checksummary(lua_State *L, int idx, cv_summary_options *o)
{
    const char *table;
    luaL_checktype(L, idx, LUA_TTABLE);
    table = lbind_opt_string(L, idx, "table", "summary_sql", NULL);
    if (!table)
        lbind_opt_error(L, "table", "summary_sql", "a name is required");
    lbind_summary_options(L, idx, "summary_sql", o);
    return table;
}

static void setint(lua_State *L, const char *k, int64_t v)
{
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, k);
}

static void setdate(lua_State *L, const char *k, int32_t days)
{
    char buf[16];
    cv_format_date(days, buf);
    lua_pushstring(L, buf);
    lua_setfield(L, -2, k);
}

/* conn:summary{table =, customer =, date =, amount =, unit =, calibration_end =,
   observation_end =, cost =, margin =, skip_missing =, allow_negative =, quiet =}
   -> Table, report (as cv.summary's, computed by the database; lua/cv/sql.lua wraps it to
   tell stderr about customers left out, through the i18n catalogue) */
static int sql_summary(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    cv_summary_options o;
    cv_summary_report r;
    cv_error err;
    const char *table = checksummary(L, 2, &o);
    lbind_opt_boolean(L, 2, "quiet", "summary_sql", 0); /* checked here, used in sql.lua */
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_sql_summary(db, table, &o, &r, &err)) == NULL)
        return lbind_error(L, &err);
    lbind_summary_report(L, &r, &o);
    return 2;
}

/* conn:collapse{table =, customer =, ... (conn:summary's options), spend = false}
   -> Table (x, t_x, T, [mean_repeat_spend,] n), report: the fit's input, computed by the
   database */
static int sql_collapse(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    cv_summary_options o;
    cv_summary_report r;
    cv_error err;
    const char *table = checksummary(L, 2, &o);
    int spend = lbind_opt_boolean(L, 2, "spend", "collapse_sql", 0);
    lbind_opt_boolean(L, 2, "quiet", "collapse_sql", 0); /* used in sql.lua */
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_sql_collapse(db, table, &o, spend, &r, &err)) == NULL)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 10);
    setint(L, "rows", r.rows);
    setint(L, "customers", r.customers);
    setint(L, "excluded_late", r.excluded_late);
    setint(L, "transactions", r.transactions);
    setint(L, "merged_rows", r.merged_rows);
    setint(L, "rows_after_end", r.rows_after_end);
    setdate(L, "first_date", r.first_date);
    setdate(L, "last_date", r.last_date);
    setdate(L, "calibration_end", r.calibration_end);
    lua_pushstring(L, cv_time_unit_name(o.unit));
    lua_setfield(L, -2, "unit");
    return 2;
}

/* conn:score_view_text{<conn:summary's options>, rows =, view =, gg = {p, q, gamma} | nil,
   margin_rate = 1} -> the CREATE VIEW statement that attaches the scores of table rows to
   every customer (cv_sql_score_view_text; lua/cv/sql.lua's cv.score_sql runs it) */
static int sql_score_view_text(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    cv_summary_options o;
    cv_error err;
    double gg[3];
    const char *table = checksummary(L, 2, &o);
    const char *rows = lbind_opt_string(L, 2, "rows", "score_sql", NULL);
    const char *view = lbind_opt_string(L, 2, "view", "score_sql", NULL);
    double rate = lbind_opt_number(L, 2, "margin_rate", "score_sql", 1.0);
    int has_gg = lbind_rawfield(L, 2, "gg") == LUA_TTABLE; /* raw, as every option */
    for (int i = 0; i < 3 && has_gg; i++) {
        lua_rawgeti(L, -1, i + 1);
        gg[i] = luaL_checknumber(L, -1);
        lua_pop(L, 1); /* pop gg[i] */
    }
    lua_pop(L, 1); /* pop gg */
    char *text = cv_sql_score_view_text(cv_sql_kind_of(db), table, &o, rows, view,
                                        has_gg ? gg : NULL, rate, &err);
    if (!text)
        return lbind_error(L, &err);
    lua_pushstring(L, text);
    cv_free(text);
    return 1;
}

/* conn:summary_text{...} -> the SQL that conn:summary runs (parameters $1/?1 calibration
   end, $2/?2 observation end, $3/?3 margin rate) */
static int sql_summary_text(lua_State *L)
{
    cv_sql *db = checkconn(L, 1);
    cv_summary_options o;
    cv_error err;
    const char *table = checksummary(L, 2, &o);
    char *text = cv_sql_summary_text(cv_sql_kind_of(db), table, &o, NULL, &err);
    if (!text)
        return lbind_error(L, &err);
    lua_pushstring(L, text);
    cv_free(text);
    return 1;
}

static const luaL_Reg sql_meta[] = {{"__gc", sql_close},
                                    {"__close", sql_close},
                                    {"__tostring", sql_tostring},
                                    {"__index", NULL},
                                    {NULL, NULL}};

static const luaL_Reg sql_methods[] = {{"read", sql_read},
                                       {"exec", sql_exec},
                                       {"write", sql_write},
                                       {"summary", sql_summary},
                                       {"collapse", sql_collapse},
                                       {"score_view_text", sql_score_view_text},
                                       {"summary_text", sql_summary_text},
                                       {"kind", sql_kind},
                                       {"traffic", sql_traffic},
                                       {"close", sql_close},
                                       {NULL, NULL}};

static const luaL_Reg sql_funcs[] = {{"connect", sql_connect}, {NULL, NULL}};

int luaopen_cv_sql(lua_State *L)
{
    lbind_newmetatable(L, CV_SQL_MT);
    luaL_setfuncs(L, sql_meta, 0);
    luaL_newlib(L, sql_methods);
    lua_pushvalue(L, -1);           /* the methods again, for the module */
    lua_setfield(L, -3, "__index"); /* metatable.__index = methods */
    luaL_newlib(L, sql_funcs);
    lua_rotate(L, -2, 1);           /* module below methods */
    lua_setfield(L, -2, "methods"); /* module.methods = methods (sql.lua adds to them) */
    lua_remove(L, -2);              /* remove metatable */
    return 1;
}
