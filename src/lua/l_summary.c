/* cvkit Lua module "cv.core.summary": the per-customer summary of transactions
   (cv.summary from a cv.Table, cv.summary_csv streamed from a file). The work is the
   core's (src/core/summary*.c); this file reads options and pushes the results. */
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"
#include "lbind.h"

/* Reads option `field` (a date "YYYY-MM-DD") into *days; 1 when given, else 0. */
static int optdate(lua_State *L, int idx, const char *field, const char *fname, int32_t *days)
{
    size_t len;
    const char *s = lbind_opt_string(L, idx, field, fname, NULL);
    if (!s)
        return 0;
    len = strlen(s);
    if (cv_parse_date(s, len, CV_DATE_ISO, days, NULL, NULL) != 0)
        lbind_opt_error(L, field, fname,
                        lua_pushfstring(L,
                                        "a date YYYY-MM-DD expected, "
                                        "got '%s'",
                                        s));
    return 1;
}

/* Fills o from the options table at idx, read raw (its strings are anchored): the one
   reader of cv.summary's options, also cv.summary_csv's and cv.summary_sql's (l_sql.c), so
   that they accept the same ones (declared once in lua/cv/init.lua). */
void lbind_summary_options(lua_State *L, int idx, const char *fname, cv_summary_options *o)
{
    static const char *const units[] = {"day", "week", "month", "year", NULL};
    memset(o, 0, sizeof *o);
    luaL_checktype(L, idx, LUA_TTABLE);
    o->customer = lbind_opt_string(L, idx, "customer", fname, NULL);
    o->date = lbind_opt_string(L, idx, "date", fname, NULL);
    o->amount = lbind_opt_string(L, idx, "amount", fname, NULL);
    if (!o->customer || !o->date || !o->amount)
        lbind_opt_error(L,
                        !o->customer ? "customer"
                        : !o->date   ? "date"
                                     : "amount",
                        fname, "a column name is required");
    o->cost = lbind_opt_string(L, idx, "cost", fname, NULL);
    lbind_rawfield(L, idx, "margin");
    if (lua_type(L, -1) == LUA_TNUMBER) {
        o->margin_rate = lua_tonumber(L, -1);
        o->margin_rate_set = 1;
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        o->margin = lbind_anchor(L, -1, NULL);
    } else if (!lua_isnil(L, -1)) {
        lbind_opt_error(L, "margin", fname, "a column name or a rate expected");
    }
    lua_pop(L, 1); /* pop margin */
    const char *unit = lbind_opt_string(L, idx, "unit", fname, "day");
    int u = 0;
    while (units[u] && strcmp(units[u], unit) != 0)
        u++;
    if (!units[u])
        lbind_opt_error(L, "unit", fname,
                        lua_pushfstring(L,
                                        "\"day\", \"week\", \"month\" or "
                                        "\"year\" expected, got '%s'",
                                        unit));
    o->unit = (cv_time_unit)u;
    o->calibration_end_set = optdate(L, idx, "calibration_end", fname, &o->calibration_end);
    o->observation_end_set = optdate(L, idx, "observation_end", fname, &o->observation_end);
    o->split_same_day = !lbind_opt_boolean(L, idx, "merge_same_day", fname, 1);
    o->skip_missing = lbind_opt_boolean(L, idx, "skip_missing", fname, 0);
    o->allow_negative = lbind_opt_boolean(L, idx, "allow_negative", fname, 0);
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

/* Pushes the report as a Lua table (lua/cv/base.lua and lua/cv/sql.lua warn about
   excluded_late, through the i18n catalogue: the binding prints nothing). */
void lbind_summary_report(lua_State *L, const cv_summary_report *r, const cv_summary_options *o)
{
    lua_createtable(L, 0, 14);
    setint(L, "rows", r->rows);
    setint(L, "customers", r->customers);
    setint(L, "excluded_late", r->excluded_late);
    setint(L, "transactions", r->transactions);
    setint(L, "merged_rows", r->merged_rows);
    setint(L, "skipped_missing", r->skipped_missing);
    setint(L, "rows_after_end", r->rows_after_end);
    setint(L, "unsorted_customers", r->unsorted_customers);
    setint(L, "passes", r->passes);
    setdate(L, "first_date", r->first_date);
    setdate(L, "last_date", r->last_date);
    setdate(L, "calibration_end", r->calibration_end);
    if (o->observation_end_set) {
        setdate(L, "observation_end", r->observation_end);
        lbind_setnumber(L, "holdout_length", r->holdout_length);
    }
    lua_pushstring(L, cv_time_unit_name(o->unit));
    lua_setfield(L, -2, "unit");
}

/* cv.summary(tx, {customer =, date =, amount =, cost =, margin =, unit =, calibration_end =,
   observation_end =, merge_same_day = true, skip_missing =, allow_negative =, quiet =})
   -> Table, report */
static int sum_table(lua_State *L)
{
    const cv_table *tx = lbind_checktable(L, 1);
    cv_summary_options o;
    cv_summary_report rep;
    cv_error err;
    lbind_summary_options(L, 2, "summary", &o);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_summary_table(tx, &o, &rep, &err)) == NULL)
        return lbind_error(L, &err);
    lbind_summary_report(L, &rep, &o);
    return 2;
}

/* cv.summary_csv(path, {read_csv options..., the options of cv.summary}) -> Table, report */
static int sum_csv(lua_State *L)
{
    const char *path = lbind_checkstring(L, 1);
    cv_summary_options o;
    cv_summary_report rep;
    cv_csv_options co;
    cv_error err;
    lbind_check_input(L, path);
    lbind_summary_options(L, 2, "summary_csv", &o);
    /* may push scratch arrays: they stay until we return */
    lbind_csv_options(L, 2, "summary_csv", &co);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_summary_csv(path, &co, &o, &rep, &err)) == NULL)
        return lbind_error(L, &err);
    lbind_summary_report(L, &rep, &o);
    return 2;
}

static const luaL_Reg sum_funcs[] = {
    {"summary", sum_table}, {"summary_csv", sum_csv}, {NULL, NULL}};

int luaopen_cv_summary(lua_State *L)
{
    luaL_newlib(L, sum_funcs);
    return 1;
}
