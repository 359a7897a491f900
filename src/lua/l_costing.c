/* cvkit Lua module "cv.core.costing": activity-based costing, time-driven ABC, the customer
   P&L and its waterfall, the whale curve. The work is the core's (src/core/costing_*.c); this
   file reads the definition tables and pushes the result tables. The friendly face
   (cv.costing, cv.whale, CSV definitions) is lua/cv/costing.lua. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/costing.h"
#include "lbind.h"

/* t[key] of the table at idx (read raw) as a string (anchored), or NULL when absent; raises
   naming fname, the entry and the key when it is not a string. */
static const char *getstr(lua_State *L, int idx, const char *key, const char *fname,
                          const char *what, int required)
{
    const char *s = NULL;
    int ty = lbind_rawfield(L, idx, key);
    if (ty == LUA_TSTRING)
        s = lbind_anchor(L, -1, NULL);
    else if (ty != LUA_TNIL || required)
        luaL_error(L, "bad %s to '%s' (field '%s': string expected, got %s)", what, fname, key,
                   luaL_typename(L, -1));
    lua_pop(L, 1); /* pop the field */
    return s;
}

/* t[key] as a number, or def (NAN for "not given") when absent. */
static double getnum(lua_State *L, int idx, const char *key, const char *fname, const char *what,
                     double def)
{
    int ty = lbind_rawfield(L, idx, key);
    if (ty == LUA_TNUMBER)
        def = lua_tonumber(L, -1);
    else if (ty != LUA_TNIL)
        luaL_error(L, "bad %s to '%s' (field '%s': number expected, got %s)", what, fname, key,
                   luaL_typename(L, -1));
    lua_pop(L, 1); /* pop the field */
    return def;
}

/* Pushes opts[key], which must be a non-empty array; returns its length. */
static int getlist(lua_State *L, int opts, const char *key, const char *fname)
{
    if (lbind_rawfield(L, opts, key) != LUA_TTABLE || (lua_Integer)lua_rawlen(L, -1) < 1)
        return lbind_opt_error(L, key, fname, "a non-empty array of tables expected");
    return (int)lua_rawlen(L, -1);
}

/* Raises "bad argument #arg to 'f' (<what> expected, got <type>)" naming the type of the
   entry on top (not of argument arg, the table holding it) unless it is a table. */
static void check_entry(lua_State *L, int arg, const char *what)
{
    if (!lua_istable(L, -1))
        luaL_argerror(L, arg,
                      lua_pushfstring(L, "%s expected, got %s", what, luaL_typename(L, -1)));
}

/* Reads the abc activities array at idx into a scratch array. */
static cv_abc_activity *checkabc(lua_State *L, int idx, int n)
{
    cv_abc_activity *a = lbind_scratch(L, (size_t)n * sizeof *a);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, idx, i + 1);
        check_entry(L, 2, "activities as tables");
        int t = lua_gettop(L);
        a[i].name = getstr(L, t, "name", "abc", "activity", 1);
        a[i].driver = getstr(L, t, "driver", "abc", "activity", 1);
        a[i].cost = getnum(L, t, "cost", "abc", "activity", NAN);
        a[i].rate = getnum(L, t, "rate", "abc", "activity", NAN);
        a[i].rate_given = !isnan(a[i].rate);
        lua_pop(L, 1); /* pop activity (its strings live in the options table) */
    }
    return a;
}

/* abc(drivers, {key =, activities = {{name =, driver =, cost = | rate =}, ...}})
   -> customers, activities */
static int cst_abc(lua_State *L)
{
    const cv_table *d = lbind_checktable(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    const char *key = lbind_opt_string(L, 2, "key", "abc", NULL);
    int n = getlist(L, 2, "activities", "abc");
    cv_abc_activity *acts = checkabc(L, lua_gettop(L), n);
    cv_table **c = lbind_newtable(L), **a = lbind_newtable(L);
    cv_abc_result r = {0};
    cv_error err;
    if (cv_costing_abc(d, key, acts, n, &r, &err) != 0)
        return lbind_error(L, &err);
    *c = r.customers;
    *a = r.activities;
    return 2;
}

/* Reads the time terms array at idx (may be absent: nil). */
static cv_time_term *checkterms(lua_State *L, int idx, int *n)
{
    *n = lua_istable(L, idx) ? (int)lua_rawlen(L, idx) : 0;
    cv_time_term *t = lbind_scratch(L, (size_t)(*n ? *n : 1) * sizeof *t);
    for (int i = 0; i < *n; i++) {
        lua_rawgeti(L, idx, i + 1);
        check_entry(L, 2, "time terms as tables");
        int e = lua_gettop(L);
        const char *kind = getstr(L, e, "kind", "tdabc", "time term", 0);
        t[i].field = getstr(L, e, "field", "tdabc", "time term", 1);
        t[i].minutes = getnum(L, e, "minutes", "tdabc", "time term", NAN);
        if (!kind || strcmp(kind, "per_unit") == 0)
            t[i].kind = CV_TIME_PER_UNIT;
        else if (strcmp(kind, "if_flag") == 0)
            t[i].kind = CV_TIME_IF_FLAG;
        else
            luaL_error(L,
                       "bad time term to 'tdabc' (kind \"per_unit\" or \"if_flag\" expected, "
                       "got '%s')",
                       kind);
        lua_pop(L, 1); /* pop term */
    }
    return t;
}

/* Reads the tdabc resources (at ri) and activities (at ai). */
static void checktdabc(lua_State *L, int ri, int nr, cv_tdabc_resource **res, int ai, int na,
                       cv_tdabc_activity **acts)
{
    cv_tdabc_resource *r = *res = lbind_scratch(L, (size_t)nr * sizeof *r);
    cv_tdabc_activity *a = *acts = lbind_scratch(L, (size_t)na * sizeof *a);
    for (int i = 0; i < nr; i++) {
        lua_rawgeti(L, ri, i + 1);
        check_entry(L, 2, "resources as tables");
        int t = lua_gettop(L);
        r[i].name = getstr(L, t, "name", "tdabc", "resource", 1);
        r[i].cost = getnum(L, t, "cost", "tdabc", "resource", NAN);
        r[i].capacity = getnum(L, t, "capacity", "tdabc", "resource", NAN);
        r[i].rate = getnum(L, t, "rate", "tdabc", "resource", NAN);
        r[i].rate_given = !isnan(r[i].rate);
        lua_pop(L, 1); /* pop resource */
    }
    for (int i = 0; i < na; i++) {
        lua_rawgeti(L, ai, i + 1);
        check_entry(L, 2, "activities as tables");
        int t = lua_gettop(L);
        a[i].name = getstr(L, t, "name", "tdabc", "activity", 1);
        a[i].resource = getstr(L, t, "resource", "tdabc", "activity", 0);
        a[i].base = getnum(L, t, "base", "tdabc", "activity", 0);
        a[i].events = getstr(L, t, "events", "tdabc", "activity", 0);
        if (lbind_rawfield(L, t, "terms") != LUA_TNIL && !lua_istable(L, -1))
            luaL_error(L, "bad activity to 'tdabc' (field 'terms': table expected, got %s)",
                       luaL_typename(L, -1));
        a[i].terms = checkterms(L, lua_gettop(L), &a[i].nterms);
        lua_replace(L, t); /* keep the scratch terms alive in the activity's slot */
        lua_pop(L, 1);     /* pop the terms table */
    }
}

/* tdabc(t, {key =, resources = {{name =, cost =, capacity = | rate =}, ...}, activities =
   {{name =, resource =, base =, events =, terms = {{field =, minutes =, kind =}}}, ...}})
   -> customers, activities, resources */
static int cst_tdabc(lua_State *L)
{
    const cv_table *t = lbind_checktable(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    const char *key = lbind_opt_string(L, 2, "key", "tdabc", NULL);
    int nr = getlist(L, 2, "resources", "tdabc"), ri = lua_gettop(L);
    int na = getlist(L, 2, "activities", "tdabc"), ai = lua_gettop(L);
    cv_tdabc_resource *res;
    cv_tdabc_activity *acts;
    checktdabc(L, ri, nr, &res, ai, na, &acts);
    cv_table **c = lbind_newtable(L), **a = lbind_newtable(L), **r = lbind_newtable(L);
    cv_tdabc_result out = {0};
    cv_error err;
    if (cv_costing_tdabc(t, key, res, nr, acts, na, &out, &err) != 0)
        return lbind_error(L, &err);
    *c = out.customers, *a = out.activities, *r = out.resources;
    return 3;
}

/* Reads a P&L spec {key =, segment =, revenue =, lines = {{col, kind}, ...}} at idx. */
static void checkpnl(lua_State *L, int idx, const char *fname, cv_pnl_spec *s)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    s->key = lbind_opt_string(L, idx, "key", fname, NULL);
    s->segment = lbind_opt_string(L, idx, "segment", fname, NULL);
    s->revenue = lbind_opt_string(L, idx, "revenue", fname, "revenue");
    int n = getlist(L, idx, "lines", fname), li = lua_gettop(L);
    cv_pnl_line *l = lbind_scratch(L, (size_t)n * sizeof *l);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, li, i + 1);
        check_entry(L, idx, "lines as {column, kind}");
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        l[i].col = lbind_anchor(L, -2, NULL);
        const char *kind = lua_tostring(L, -1);
        if (!l[i].col || !kind || cv_pnl_kind_parse(kind, &l[i].kind) != 0)
            luaL_error(L,
                       "bad line %d to '%s' ({column, kind} expected, kind one of product, "
                       "concession, service, acquisition, retention)",
                       i + 1, fname);
        lua_pop(L, 3); /* pop kind, column, line (strings stay in the spec table) */
    }
    s->lines = l;
    s->nlines = n;
}

/* pnl(t, spec) -> customers, segments */
static int cst_pnl(lua_State *L)
{
    const cv_table *t = lbind_checktable(L, 1);
    cv_pnl_spec spec;
    checkpnl(L, 2, "pnl", &spec);
    cv_table **c = lbind_newtable(L), **s = lbind_newtable(L);
    cv_pnl_result r = {0};
    cv_error err;
    if (cv_costing_pnl(t, &spec, &r, &err) != 0)
        return lbind_error(L, &err);
    *c = r.customers, *s = r.segments;
    return 2;
}

/* waterfall(pnl, spec [, row]) -> Table (row: 1-based; absent: the totals) */
static int cst_waterfall(lua_State *L)
{
    const cv_table *t = lbind_checktable(L, 1);
    cv_pnl_spec spec;
    checkpnl(L, 2, "waterfall", &spec);
    lua_Integer row = luaL_optinteger(L, 3, 0);
    luaL_argcheck(L, row >= 0, 3, "a row number >= 1 expected");
    cv_table **w = lbind_newtable(L);
    cv_error err;
    if ((*w = cv_costing_waterfall(t, &spec, (int64_t)row - 1, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* whale(t, {profit = "profit", key =}) -> curve, stats */
static int cst_whale(lua_State *L)
{
    const cv_table *t = lbind_checktable(L, 1);
    const char *profit = lbind_opt_string(L, 2, "profit", "whale", "profit");
    const char *key = lbind_opt_string(L, 2, "key", "whale", NULL);
    cv_table **w = lbind_newtable(L);
    cv_whale_stats s;
    cv_error err;
    if ((*w = cv_costing_whale(t, profit, key, &s, &err)) == NULL)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 9);
    lua_pushinteger(L, (lua_Integer)s.customers), lua_setfield(L, -2, "customers");
    lua_pushnumber(L, s.total), lua_setfield(L, -2, "total");
    lua_pushnumber(L, s.peak), lua_setfield(L, -2, "peak");
    lua_pushnumber(L, s.peak_share), lua_setfield(L, -2, "peak_share");
    lua_pushinteger(L, (lua_Integer)s.peak_rank), lua_setfield(L, -2, "peak_rank");
    lua_pushnumber(L, s.top20_share), lua_setfield(L, -2, "top20_share");
    lua_pushnumber(L, s.bottom30_profit), lua_setfield(L, -2, "bottom30_profit");
    lua_pushinteger(L, (lua_Integer)s.loss_makers), lua_setfield(L, -2, "loss_makers");
    lua_pushnumber(L, s.losses), lua_setfield(L, -2, "losses");
    return 2;
}

/* Reads an aggregate spec at idx: "count" or {"sum", "col"} (or {"quantile", "col", q}). */
static void checkagg(lua_State *L, int idx, const char *out, cv_agg *a)
{
    const char *fn = NULL;
    a->out = out;
    a->col = NULL;
    a->q = 0.5;
    if (lua_type(L, idx) == LUA_TSTRING) {
        fn = lua_tostring(L, idx);
    } else if (lua_istable(L, idx)) {
        lua_rawgeti(L, idx, 1), lua_rawgeti(L, idx, 2), lua_rawgeti(L, idx, 3);
        fn = lua_tostring(L, -3);
        a->col = lbind_anchor(L, -2, NULL);
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "bad driver '%s' to 'drivers' (quantile: number expected, got %s)", out,
                       luaL_typename(L, -1));
        a->q = luaL_optnumber(L, -1, 0.5); /* a number or nil: raises nothing */
        lua_pop(L, 3);                     /* the strings stay in the spec table */
    }
    if (!fn || cv_agg_parse(fn, &a->fn) != 0)
        luaL_error(L, "bad driver '%s' to 'drivers' (\"count\" or {\"sum\", \"column\"} expected)",
                   out);
}

static int agg_cmp(const void *a, const void *b)
{
    return strcmp(((const cv_agg *)a)->out, ((const cv_agg *)b)->out);
}

/* drivers(tx, customer, {name = "count" | {"sum", "col"} | ...}) -> Table (drivers in name
   order) */
static int cst_drivers(lua_State *L)
{
    const cv_table *tx = lbind_checktable(L, 1);
    const char *key = lbind_checkstring(L, 2);
    int n = 0, k = 0;
    luaL_checktype(L, 3, LUA_TTABLE);
    for (lua_pushnil(L); lua_next(L, 3); lua_pop(L, 1))
        n += lua_type(L, -2) == LUA_TSTRING;
    luaL_argcheck(L, n > 0, 3, "at least one named driver expected");
    cv_agg *aggs = lbind_scratch(L, (size_t)n * sizeof *aggs);
    for (lua_pushnil(L); lua_next(L, 3); lua_pop(L, 1))
        if (lua_type(L, -2) == LUA_TSTRING && k < n) /* no more than counted */
            checkagg(L, lua_gettop(L), lbind_anchor(L, -2, NULL), &aggs[k++]);
    n = k;
    qsort(aggs, (size_t)n, sizeof *aggs, agg_cmp);
    cv_table **d = lbind_newtable(L);
    cv_error err;
    if ((*d = cv_costing_drivers(tx, key, aggs, n, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

static const luaL_Reg cst_funcs[] = {
    {"abc", cst_abc},     {"tdabc", cst_tdabc},     {"pnl", cst_pnl}, {"waterfall", cst_waterfall},
    {"whale", cst_whale}, {"drivers", cst_drivers}, {NULL, NULL}};

int luaopen_cv_costing(lua_State *L)
{
    luaL_newlib(L, cst_funcs);
    return 1;
}
