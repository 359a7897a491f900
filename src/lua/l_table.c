/* cvkit Lua module "cv.core.table": the cv.Table userdata (an owned cv_table) and the
   cv.Column view (a column that keeps its table alive). Thin: the work is in the core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"
#include "lbind.h"

/* ---- cv.Table: life cycle and metamethods --------------------------------------------- */

/* __gc, __close and t:close(): closes the table (idempotent; a binding still using it
   keeps it until it returns) */
static int tbl_gc(lua_State *L)
{
    lbind_closetable(L, 1);
    return 0;
}

/* __tostring: "cv.Table (6919 rows × 5 columns)", in the user's language through the
   catalogue (core.table.shape, core.table.closed) */
static int tbl_tostring(lua_State *L)
{
    cv_table **slot = luaL_checkudata(L, 1, CV_TABLE_MT);
    char text[96];
    if (*slot == NULL)
        snprintf(text, sizeof text, "cv.Table (closed)");
    else
        snprintf(text, sizeof text, "cv.Table (%lld rows \xC3\x97 %d columns)",
                 (long long)(*slot)->nrows, (*slot)->ncols);
    lbind_push_message(L, text);
    return 1;
}

/* #t and t:nrows() -> integer */
static int tbl_nrows(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lbind_checktable(L, 1)->nrows);
    return 1;
}

/* t:ncols() -> integer */
static int tbl_ncols(lua_State *L)
{
    lua_pushinteger(L, lbind_checktable(L, 1)->ncols);
    return 1;
}

/* t:names() -> {name, ...} in column order */
static int tbl_names(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    lua_createtable(L, t->ncols, 0);
    for (int k = 0; k < t->ncols; k++) {
        lua_pushstring(L, t->cols[k]->name);
        lua_seti(L, -2, k + 1);
    }
    return 1;
}

/* t:types() -> {"int", "string", ...} parallel to t:names() */
static int tbl_types(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    lua_createtable(L, t->ncols, 0);
    for (int k = 0; k < t->ncols; k++) {
        lua_pushstring(L, cv_type_name(t->cols[k]->type));
        lua_seti(L, -2, k + 1);
    }
    return 1;
}

/* Parses the kind name at idx (nil: no kind); raises on an unknown name (lua/cv/init.lua
   checks the name first, with a suggestion). */
static cv_kind checkkind(lua_State *L, int idx)
{
    cv_kind k = CV_KIND_NONE;
    if (!lua_isnoneornil(L, idx) && cv_kind_parse(lbind_checkstring(L, idx), &k) != 0)
        luaL_argerror(L, idx, "unknown kind");
    return k;
}

/* t:kind(column, kind [, decimals]) -> Table: the same table with the column of that kind
   ("money", "share", "count", "rate", "number"; nil removes it), shown with `decimals`
   decimals (default: the kind's). The data are shared, not copied. */
static int tbl_kind(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const char *col = lbind_checkstring(L, 2);
    cv_kind k = checkkind(L, 3);
    lua_Integer dec = luaL_optinteger(L, 4, -1);
    cv_table **slot;
    cv_error err;
    luaL_argcheck(L, dec >= -1 && dec <= 15, 4, "0 to 15 decimals expected");
    slot = lbind_newtable(L);
    if ((*slot = cv_table_with_kind(t, col, k, (int)dec, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* table.with_kinds(t, {column = kind | {kind, decimals}, ...}) -> Table: t with the kinds
   of the columns it has (names it lacks, and columns that are not numbers, are passed
   over), for the functions that make tables (Model:clv, cv.costing.pnl, ...). Data
   shared, not copied. */
static int tbl_with_kinds(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1), **slot;
    cv_error err;
    luaL_checktype(L, 2, LUA_TTABLE);
    slot = lbind_newtable(L);
    *slot = cv_table_ref(t);
    lua_pushnil(L);
    while (lua_next(L, 2)) { /* key, value: strings, made by cvkit's own modules */
        cv_kind k = CV_KIND_NONE;
        const char *col = lua_tostring(L, -2);
        int j = col ? cv_table_find(*slot, col) : -1;
        lua_Integer dec = -1;
        cv_table *r;
        if (lua_type(L, -1) == LUA_TTABLE) { /* {kind, decimals} */
            int isint = lua_rawgeti(L, -1, 2) == LUA_TNIL;
            dec = isint ? -1 : lua_tointegerx(L, -1, &isint);
            if (!isint) /* named (luaL_optinteger would say "bad argument #-1") */
                return luaL_error(L, "with_kinds: column '%s': decimals expected, got %s",
                                  col ? col : "?", luaL_typename(L, -1));
            lua_pop(L, 1); /* pop decimals */
            lua_rawgeti(L, -1, 1);
            lua_replace(L, -2); /* the kind in the value's place */
        }
        if (!lua_isstring(L, -1) || cv_kind_parse(lua_tostring(L, -1), &k) != 0)
            return luaL_error(L, "with_kinds: unknown kind '%s'", luaL_tolstring(L, -1, NULL));
        cv_type ty = j >= 0 ? (*slot)->cols[j]->type : CV_STRING;
        if (ty == CV_INT64 || ty == CV_FLOAT64) {
            if ((r = cv_table_with_kind(*slot, col, k, dec < 0 || dec > 15 ? -1 : (int)dec,
                                        &err)) == NULL)
                return lbind_error(L, &err);
            cv_table_free(*slot);
            *slot = r;
        }
        lua_pop(L, 1); /* pop value */
    }
    return 1;
}

/* t:kinds() -> {column = "money", ...}: the columns whose kind is known */
static int tbl_kinds(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    lua_createtable(L, 0, 0);
    for (int k = 0; k < t->ncols; k++) {
        const char *name = cv_kind_name(t->cols[k]->kind);
        if (name) {
            lua_pushstring(L, name);
            lua_setfield(L, -2, t->cols[k]->name);
        }
    }
    return 1;
}

/* table.format_kind(value, kind [, decimals [, na]]) -> string: value shown by its kind
   (cv_format_kind: money "1,234.50", share "21.83%", count "1,234", rate "10%") */
static int tbl_format_kind(lua_State *L)
{
    char buf[512];
    double v = luaL_checknumber(L, 1);
    cv_kind k = checkkind(L, 2);
    lua_Integer dec = luaL_optinteger(L, 3, -1);
    const char *na = lbind_optstring(L, 4, "na");
    size_t n;
    luaL_argcheck(L, dec >= -1 && dec <= 15, 3, "0 to 15 decimals expected");
    n = cv_format_kind(v, k, (int)dec, na, buf, sizeof buf);
    lua_pushlstring(L, buf, n < sizeof buf ? n : sizeof buf - 1);
    return 1;
}

/* ---- cv.Column: a view of one column ---------------------------------------------------- */

/* The column of the cv.Column at idx (the view holds its own reference), pinned until
   the binding returns; raises when it is closed. */
static cv_column *checkcolumn(lua_State *L, int idx)
{
    cv_column **view = luaL_checkudata(L, idx, CV_COLUMN_MT);
    lbind_pin(L, idx); /* may run a finalizer: check after it */
    if (*view == NULL)
        luaL_argerror(L, idx, "attempt to use a closed column");
    return *view;
}

static void release_column(void *c)
{
    cv_column_unref(c);
}

/* t:col(name) -> Column (keeps t alive) */
static int tbl_col(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const char *name = lbind_checkstring(L, 2);
    cv_column **view = lbind_newhandle(L, sizeof *view, CV_COLUMN_MT, 1);
    cv_column *c;
    cv_error err;
    if ((c = cv_table_col(t, name, &err)) == NULL)
        return lbind_error(L, &err);
    *view = cv_column_ref(c);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 2); /* the view keeps its table alive */
    return 1;
}

/* c:kind() -> "money", "share", "count", "rate", "number" or nil (not known), and the
   decimals shown when they were given (else nil) */
static int col_kind(lua_State *L)
{
    const cv_column *c = checkcolumn(L, 1);
    const char *name = cv_kind_name(c->kind);
    if (!name) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushstring(L, name);
    if (c->decimals1 <= 0)
        return 1;
    lua_pushinteger(L, c->decimals1 - 1);
    return 2;
}

/* Column __gc (idempotent; a binding still using the column keeps it until it returns) */
static int col_gc(lua_State *L)
{
    cv_column **view = luaL_checkudata(L, 1, CV_COLUMN_MT);
    cv_column *c = *view;
    *view = NULL;
    lbind_close(L, 1, c, release_column);
    return 0;
}

/* #c -> integer */
static int col_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)checkcolumn(L, 1)->n);
    return 1;
}

/* c[i] -> value (1-based; nil when missing or out of range); c.method -> method */
static int col_index(lua_State *L)
{
    cv_column *c = checkcolumn(L, 1);
    int isint;
    lua_Integer i = lua_tointegerx(L, 2, &isint);
    if (isint) {
        if (i >= 1 && i <= c->n)
            lbind_pushvalue(L, c, i - 1);
        else
            lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1)); /* methods[key] */
    return 1;
}

/* __tostring: "cv.Column 'amount' (float, 6919 values)" */
static int col_tostring(lua_State *L)
{
    cv_column *c;
    if (*(cv_column **)luaL_checkudata(L, 1, CV_COLUMN_MT) == NULL) {
        lua_pushliteral(L, "cv.Column (closed)");
        return 1;
    }
    c = checkcolumn(L, 1);
    lua_pushfstring(L, "cv.Column '%s' (%s, %I values)", c->name, cv_type_name(c->type),
                    (lua_Integer)c->n);
    return 1;
}

/* c:name() -> string */
static int col_name(lua_State *L)
{
    lua_pushstring(L, checkcolumn(L, 1)->name);
    return 1;
}

/* c:type() -> "int" | "float" | "string" | "date" | "datetime" | "bool" */
static int col_type(lua_State *L)
{
    lua_pushstring(L, cv_type_name(checkcolumn(L, 1)->type));
    return 1;
}

/* c:totable() -> {v1, v2, ..., n = #c} (missing values are holes: use .n) */
static int col_totable(lua_State *L)
{
    cv_column *c = checkcolumn(L, 1);
    lua_createtable(L, c->n < INT32_MAX ? (int)c->n : 0, 1);
    for (int64_t i = 0; i < c->n; i++) {
        lbind_pushvalue(L, c, i);
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
    lbind_setinteger(L, "n", (lua_Integer)c->n);
    return 1;
}

/* A table of c and a constant key column (one group for the core's group-by, which
   needs a key); NULL with err set. */
static cv_table *one_group(cv_column *c, const char *key, cv_error *err)
{
    cv_table *t = cv_table_new();
    cv_column *k = cv_column_new(key, CV_BOOL, c->n);
    int rc = t && k ? 0 : CV_ERR_NOMEM;
    for (int64_t i = 0; rc == 0 && i < c->n; i++)
        rc = cv_column_push_bool(k, 1);
    if (rc == 0)
        rc = cv_table_add(t, k, err) || cv_table_add(t, c, err);
    else
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    cv_column_unref(k);
    if (rc != 0) {
        cv_table_free(t);
        return NULL;
    }
    return t;
}

/* Pushes one aggregate of the column at 1 computed by the core's group-by over the whole
   column (one group). Missing values are skipped; nil when nothing is left. */
static int col_aggregate(lua_State *L, cv_agg_fn fn)
{
    cv_column *c = checkcolumn(L, 1);
    const char *key = strcmp(c->name, "#key") == 0 ? "$key" : "#key";
    cv_agg agg = {"value", fn, c->name, 0};
    cv_table **one = lbind_newtable(L), **res = lbind_newtable(L);
    cv_error err;
    if ((*one = one_group(c, key, &err)) == NULL)
        return lbind_error(L, &err);
    if ((*res = cv_table_group_by(*one, &key, 1, &agg, 1, &err)) == NULL)
        return lbind_error(L, &err);
    if ((*res)->nrows > 0)
        lbind_pushvalue(L, (*res)->cols[(*res)->ncols - 1], 0);
    else if (fn == CV_AGG_SUM)
        lua_pushinteger(L, 0); /* the sum of nothing */
    else
        lua_pushnil(L);
    return 1;
}

/* c:sum() c:mean() c:min() c:max() -> value */
static int col_sum(lua_State *L)
{
    return col_aggregate(L, CV_AGG_SUM);
}
static int col_mean(lua_State *L)
{
    return col_aggregate(L, CV_AGG_MEAN);
}
static int col_min(lua_State *L)
{
    return col_aggregate(L, CV_AGG_MIN);
}
static int col_max(lua_State *L)
{
    return col_aggregate(L, CV_AGG_MAX);
}

/* ---- Rows ----------------------------------------------------------------------------- */

/* t:row(i) -> {name = value, ...} (1-based) */
static int tbl_row(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    lua_Integer i = luaL_checkinteger(L, 2);
    luaL_argcheck(L, i >= 1 && i <= t->nrows, 2, "row index out of range");
    lbind_pushrow(L, t, i - 1);
    return 1;
}

/* The iterator of t:rows(): upvalue 1 the table, upvalue 2 the last index. */
static int rows_next(lua_State *L)
{
    cv_table *t;
    if (*(cv_table **)lua_touserdata(L, lua_upvalueindex(1)) == NULL)
        return luaL_error(L, "attempt to use a closed table");
    t = lbind_checktable(L, lua_upvalueindex(1));
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
    if (i > t->nrows)
        return 0;
    lua_pushinteger(L, i);
    lua_copy(L, -1, lua_upvalueindex(2));
    lbind_pushrow(L, t, i - 1);
    return 2;
}

/* t:rows() -> iterator: for i, row in t:rows() do ... end */
static int tbl_rows(lua_State *L)
{
    lbind_checktable(L, 1);
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, rows_next, 2);
    return 1;
}

/* ---- Operations --------------------------------------------------------------------------- */

/* The length of the array at idx (read raw), checked to fit an int count of items. */
static int checkcount(lua_State *L, int idx)
{
    lua_Unsigned n = lua_rawlen(L, idx);
    if (n > (lua_Unsigned)INT32_MAX / 16)
        luaL_argerror(L, idx, "too many items");
    return (int)n;
}

/* Reads the column names given at idx (a string, or an array of strings, read raw) into a
   scratch array pushed on the stack; sets *n. The strings are anchored. */
static const char **checknames(lua_State *L, int idx, int *n)
{
    const char **names;
    if (lua_type(L, idx) == LUA_TSTRING) {
        names = lbind_scratch(L, sizeof *names);
        names[0] = lbind_checkstring(L, idx);
        *n = 1;
        return names;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = checkcount(L, idx);
    names = lbind_scratch(L, (size_t)*n * sizeof *names);
    for (int k = 0; k < *n; k++) {
        if (lua_rawgeti(L, idx, k + 1) != LUA_TSTRING)
            luaL_argerror(L, idx, "column names must be strings");
        names[k] = lbind_anchor(L, -1, NULL);
        lua_pop(L, 1); /* pop name (anchored) */
    }
    return names;
}

/* t:select{"a", "b"} or t:select("a", "b") -> Table */
static int tbl_select(lua_State *L)
{
    cv_table *t;
    int n;
    const char **names;
    cv_table **slot;
    cv_error err;
    if (lua_type(L, 2) == LUA_TSTRING) { /* pack the varargs into an array, before the frame */
        int top = lua_gettop(L);
        lua_createtable(L, top - 1, 0);
        for (int k = 2; k <= top; k++) {
            lua_pushvalue(L, k);
            lua_rawseti(L, -2, k - 1);
        }
        lua_replace(L, 2);
        lua_settop(L, 2);
    }
    t = lbind_checktable(L, 1);
    names = checknames(L, 2, &n);
    slot = lbind_newtable(L);
    if ((*slot = cv_table_select(t, names, n, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* t:filter(fn) where fn(row) -> truthy: the rows it keeps (per-row Lua) */
static int filter_fn(lua_State *L, cv_table *t)
{
    uint8_t *mask = lbind_scratch(L, (size_t)t->nrows);
    cv_table **slot;
    cv_error err;
    for (int64_t i = 0; i < t->nrows; i++) {
        lua_pushvalue(L, 2);
        lbind_pushrow(L, t, i);
        lua_call(L, 1, 1);
        mask[i] = (uint8_t)lua_toboolean(L, -1);
        lua_pop(L, 1); /* pop result */
    }
    slot = lbind_newtable(L);
    if ((*slot = cv_table_filter_mask(t, mask, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* Reads the scalar at idx (number, string, boolean, nil) into v; strings stay borrowed. */
static void checkvalue(lua_State *L, int idx, cv_value *v)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        v->kind = CV_VAL_NUMBER;
        v->num = lua_tonumber(L, idx);
        break;
    case LUA_TSTRING:
        v->kind = CV_VAL_STRING;
        v->str = lua_tolstring(L, idx, &v->len);
        break;
    case LUA_TBOOLEAN:
        v->kind = CV_VAL_BOOL;
        v->b = lua_toboolean(L, idx);
        break;
    case LUA_TNIL:
    case LUA_TNONE:
        v->kind = CV_VAL_MISSING;
        break;
    default:
        luaL_typeerror(L, idx, "number, string, boolean or nil");
    }
}

/* t:filter(column, op, value) -> Table, or t:filter(fn) */
static int tbl_filter(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    cv_value v = {CV_VAL_MISSING, 0, NULL, 0, 0};
    const char *col, *ops;
    cv_op op;
    cv_table **slot;
    cv_error err;
    if (lua_type(L, 2) == LUA_TFUNCTION)
        return filter_fn(L, t);
    col = lbind_checkstring(L, 2);
    ops = lbind_checkstring(L, 3);
    if (cv_op_parse(ops, &op) != 0)
        return luaL_argerror(L, 3, lua_pushfstring(L, "unknown operator '%s'", ops));
    checkvalue(L, 4, &v);
    slot = lbind_newtable(L);
    if ((*slot = cv_table_filter(t, col, op, &v, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* Reads sort keys from the array at idx: "col" or {"col", desc = true} (or {"col", "desc"}).
   The array is pushed as scratch; *n is set. */
static cv_sort_key *checksortkeys(lua_State *L, int idx, int *n)
{
    cv_sort_key *keys;
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = checkcount(L, idx);
    keys = lbind_scratch(L, (size_t)*n * sizeof *keys);
    for (int k = 0; k < *n; k++) {
        int kind = lua_rawgeti(L, idx, k + 1);
        keys[k].desc = 0;
        if (kind == LUA_TTABLE) {
            lua_rawgeti(L, -1, 1);
            lbind_rawfield(L, -2, "desc");
            lua_rawgeti(L, -3, 2);
            keys[k].desc = lua_toboolean(L, -2) || (lua_type(L, -1) == LUA_TSTRING &&
                                                    strcmp(lua_tostring(L, -1), "desc") == 0);
            lua_pop(L, 2); /* pop desc and [2]; [1] is checked below */
        }
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, idx, "sort keys are \"column\" or {\"column\", desc = true}");
        keys[k].col = lbind_anchor(L, -1, NULL);
        lua_pop(L, kind == LUA_TTABLE ? 2 : 1); /* pop key (and its table) */
    }
    return keys;
}

/* t:sort{"a", {"b", desc = true}} or t:sort("a" [, "asc" | "desc"]) -> Table (stable) */
static int tbl_sort(lua_State *L)
{
    static const char *const dirs[] = {"asc", "desc", NULL};
    cv_table *t = lbind_checktable(L, 1);
    cv_sort_key *keys;
    cv_table **slot;
    cv_error err;
    int n = 1;
    if (lua_type(L, 2) == LUA_TSTRING) {
        int desc = luaL_checkoption(L, 3, "asc", dirs);
        keys = lbind_scratch(L, sizeof *keys);
        keys[0].col = lbind_checkstring(L, 2);
        keys[0].desc = desc;
    } else {
        keys = checksortkeys(L, 2, &n);
    }
    slot = lbind_newtable(L);
    if ((*slot = cv_table_sort(t, keys, n, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* Reads an aggregate for output `out` from the value at spec: a function name ("count"),
   or an array whose elements from `first` on are {fn, column, q}. */
static void checkagg(lua_State *L, int spec, int first, const char *out, cv_agg *a)
{
    const char *fn;
    a->out = out;
    a->col = NULL;
    a->q = 0;
    if (lua_type(L, spec) == LUA_TTABLE) {
        lua_rawgeti(L, spec, first);
        lua_rawgeti(L, spec, first + 1);
        lua_rawgeti(L, spec, first + 2);
        fn = lua_type(L, -3) == LUA_TSTRING ? lua_tostring(L, -3) : NULL;
        a->col = lbind_anchor(L, -2, NULL);
        a->q = lua_tonumber(L, -1);
        lua_pop(L, 3); /* pop fn, column, q */
    } else {
        fn = lua_tostring(L, spec);
    }
    if (!fn || lua_type(L, spec) == LUA_TNUMBER || cv_agg_parse(fn, &a->fn) != 0)
        luaL_error(L,
                   "bad aggregate '%s' to 'group_by' (expected \"count\" or {\"sum\", "
                   "\"column\"}; functions: count sum mean min max first last n_distinct "
                   "quantile median sd var)",
                   out);
    if (a->fn == CV_AGG_QUANTILE && !(a->q >= 0 && a->q <= 1))
        luaL_error(L, "bad aggregate '%s' to 'group_by' (quantile needs q in [0, 1])", out);
}

static int agg_cmp(const void *a, const void *b)
{
    return strcmp(((const cv_agg *)a)->out, ((const cv_agg *)b)->out);
}

/* Reads the aggregates table at idx: array entries {out, fn, column, q} in their order,
   then named entries out = spec sorted by name. Pushes scratch; sets *n. */
static cv_agg *checkaggs(lua_State *L, int idx, int *n)
{
    int narr, k = 0;
    cv_agg *aggs;
    *n = 0;
    if (lua_isnoneornil(L, idx))
        return lbind_scratch(L, sizeof *aggs);
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = narr = checkcount(L, idx);
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
        *n += lua_type(L, -2) == LUA_TSTRING;
    aggs = lbind_scratch(L, (size_t)*n * sizeof *aggs);
    for (k = 0; k < narr; k++) {
        if (lua_rawgeti(L, idx, k + 1) != LUA_TTABLE)
            luaL_error(L, "bad aggregate #%d to 'group_by' ({out, fn, column} expected)", k + 1);
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "bad aggregate #%d to 'group_by' ({out, fn, column} expected)", k + 1);
        checkagg(L, lua_gettop(L) - 1, 2, lbind_anchor(L, -1, NULL), &aggs[k]);
        lua_pop(L, 2); /* pop out name and entry */
    }
    /* a finalizer may have added keys since they were counted: fill no more than that */
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
        if (lua_type(L, -2) == LUA_TSTRING && k < *n)
            checkagg(L, lua_gettop(L), 1, lbind_anchor(L, -2, NULL), &aggs[k++]);
    *n = k;
    qsort(aggs + narr, (size_t)(*n - narr), sizeof *aggs, agg_cmp);
    return aggs;
}

/* t:group_by(keys, {out = {"sum", "col"}, n = "count", ...}) -> Table */
static int tbl_group_by(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    int nkeys, naggs;
    const char **keys = checknames(L, 2, &nkeys);
    cv_agg *aggs = checkaggs(L, 3, &naggs);
    cv_table **slot = lbind_newtable(L);
    cv_error err;
    if ((*slot = cv_table_group_by(t, keys, nkeys, aggs, naggs, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

static int keypair_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reads the `on` value at idx: "id", {"a", "b"} (same names) or {left = right} (sorted
   by left name). Fills a scratch array of 2n names: left0, right0, left1, right1, ... */
static const char **checkjoinkeys(lua_State *L, int idx, int *n)
{
    const char **kv;
    int k = 0;
    if (lua_type(L, idx) == LUA_TSTRING) {
        kv = lbind_scratch(L, 2 * sizeof *kv);
        kv[0] = kv[1] = lbind_checkstring(L, idx);
        *n = 1;
        return kv;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        lbind_opt_error(L, "on", "join", "string or table expected");
    *n = 0;
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
        (*n)++;
    kv = lbind_scratch(L, (size_t)*n * 2 * sizeof *kv);
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1), k++) {
        int named = lua_type(L, -2) == LUA_TSTRING;
        if (k == *n) {     /* a finalizer added keys since they were counted */
            lua_pop(L, 2); /* pop key and value */
            break;
        }
        if (lua_type(L, -1) != LUA_TSTRING)
            lbind_opt_error(L, "on", "join", "column names must be strings");
        kv[2 * k] = named ? lbind_anchor(L, -2, NULL) : lbind_anchor(L, -1, NULL);
        kv[2 * k + 1] = lbind_anchor(L, -1, NULL);
    }
    *n = k;
    qsort(kv, (size_t)*n, 2 * sizeof *kv, keypair_cmp);
    return kv;
}

/* t:join(other, {on = "id" | {"a", "b"} | {left = right}, how = "inner" | "left"}) -> Table */
static int tbl_join(lua_State *L)
{
    cv_table *left = lbind_checktable(L, 1), *right = lbind_checktable(L, 2);
    const char *how = lbind_opt_string(L, 3, "how", "join", "inner");
    const char **kv, **lk, **rk;
    cv_table **slot;
    cv_error err;
    int n;
    if (strcmp(how, "inner") != 0 && strcmp(how, "left") != 0)
        return lbind_opt_error(L, "how", "join", "\"inner\" or \"left\" expected");
    luaL_checktype(L, 3, LUA_TTABLE);
    lbind_rawfield(L, 3, "on");
    kv = checkjoinkeys(L, lua_gettop(L), &n);
    lk = lbind_scratch(L, (size_t)n * 2 * sizeof *lk);
    rk = lk + n;
    for (int k = 0; k < n; k++) {
        lk[k] = kv[2 * k];
        rk[k] = kv[2 * k + 1];
    }
    slot = lbind_newtable(L);
    *slot =
        cv_table_join(left, right, lk, rk, n, how[0] == 'l' ? CV_JOIN_LEFT : CV_JOIN_INNER, &err);
    return *slot ? 1 : lbind_error(L, &err);
}

/* The type named by the optional argument at idx, or -1 (infer). */
static int opttype(lua_State *L, int idx)
{
    cv_type type;
    if (lua_isnoneornil(L, idx))
        return -1;
    if (cv_type_parse(lbind_checkstring(L, idx), &type) != 0)
        return luaL_argerror(L, idx, lua_pushfstring(L, "unknown type '%s'", lua_tostring(L, idx)));
    return (int)type;
}

/* Replaces the function at 3 by the array of its results fn(row) for each row. */
static void call_per_row(lua_State *L, const cv_table *t)
{
    lua_createtable(L, t->nrows < INT32_MAX ? (int)t->nrows : 0, 0);
    for (int64_t i = 0; i < t->nrows; i++) {
        lua_pushvalue(L, 3);
        lbind_pushrow(L, t, i);
        lua_call(L, 1, 1);
        lua_seti(L, -2, (lua_Integer)i + 1); /* a nil result leaves a missing value */
    }
    lua_replace(L, 3);
}

/* t:add(name, fn(row) | {values} [, type]) -> Table with the column added or replaced */
static int tbl_add(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const char *name = lbind_checkstring(L, 2);
    int type = opttype(L, 4);
    int64_t n = t->nrows;
    cv_column *c;
    cv_table **slot;
    cv_error err;
    if (lua_type(L, 3) == LUA_TFUNCTION)
        call_per_row(L, t);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (t->ncols == 0)
        n = (int64_t)lua_rawlen(L, 3);
    else if ((int64_t)lua_rawlen(L, 3) > n)
        return luaL_error(L, "column '%s' has %d values, the table has %I rows", name,
                          (int)lua_rawlen(L, 3), (lua_Integer)n);
    slot = lbind_newtable(L);
    if ((c = lbind_tocolumn(L, 3, name, n, type, &err)) == NULL)
        return lbind_error(L, &err);
    if ((*slot = cv_table_new()) == NULL)
        cv_error_set(&err, CV_ERR_NOMEM, "out of memory");
    for (int k = 0; *slot && k < t->ncols; k++)
        cv_table_add(*slot, t->cols[k], &err); /* only fails out of memory: checked below */
    if (!*slot || (*slot)->ncols != t->ncols || cv_table_set(*slot, c, &err) != 0) {
        cv_column_unref(c);
        return lbind_error(L, &err);
    }
    cv_column_unref(c);      /* the table holds it */
    (*slot)->meta = t->meta; /* the same rows */
    return 1;
}

/* t:meta() -> {unit =, calibration_end =, observation_end =} or nil: what a summary's
   times mean (cv_table_meta), kept by the operations that keep its rows */
static int tbl_getmeta(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    char buf[16];
    if (t->meta.unit < 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 3);
    lua_pushstring(L, cv_time_unit_name((cv_time_unit)t->meta.unit));
    lua_setfield(L, -2, "unit");
    cv_format_date(t->meta.calibration_end, buf);
    lua_pushstring(L, buf);
    lua_setfield(L, -2, "calibration_end");
    if (t->meta.has_observation_end) {
        cv_format_date(t->meta.observation_end, buf);
        lua_pushstring(L, buf);
        lua_setfield(L, -2, "observation_end");
    }
    return 1;
}

/* t:head([n = 10]) -> Table (the last -n rows when n < 0) */
static int tbl_head(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    lua_Integer n = luaL_optinteger(L, 2, 10);
    cv_table **slot = lbind_newtable(L);
    cv_error err;
    if ((*slot = cv_table_head(t, (int64_t)n, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* t:describe() -> Table of per-column statistics */
static int tbl_describe(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    cv_table **slot = lbind_newtable(L);
    cv_error err;
    if ((*slot = cv_table_describe(t, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* The words of t's text table for max_rows in the user's language: the type labels, the
   last line, the missing value, the bools and the line of a table without columns, the
   core's English through the catalogue (lbind_push_message); the texts stay on the stack
   (CV_BOOL + 6 values) until the caller's frame ends. */
static void table_words(lua_State *L, const cv_table *t, int64_t max_rows, cv_table_words *w)
{
    char more[96];
    for (int k = 0; k <= CV_BOOL; k++)
        w->type[k] = lbind_push_message(L, cv_table_type_label((cv_type)k));
    cv_table_more_text(t->nrows - cv_table_format_rows(t, max_rows), more, sizeof more);
    w->more = lbind_push_message(L, more);
    w->na = lbind_push_message(L, "na");
    w->bools[0] = lbind_push_message(L, "false");
    w->bools[1] = lbind_push_message(L, "true");
    cv_table_no_columns_text(t->nrows, more, sizeof more);
    w->no_columns = lbind_push_message(L, more);
}

/* t:print([n = 10]) writes the first n rows as an aligned text table to stdout
   (all rows when n < 0), its type line and last line in the user's language */
static int tbl_print(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    int64_t n = (int64_t)luaL_optinteger(L, 2, 10);
    cv_table_words w;
    table_words(L, t, n, &w);
    char *s = cv_table_format_words(t, n, 40, &w);
    if (!s)
        return luaL_error(L, "out of memory");
    fputs(s, stdout);
    cv_free(s);
    return 0;
}

/* The output format named at idx ("csv", "tsv", "json", "md", "xlsx"), or by path's
   extension. */
static cv_format checkformat(lua_State *L, int idx, const char *path)
{
    static const char *const names[] = {"csv", "tsv", "json", "md", "markdown", "xlsx", NULL};
    static const cv_format fmts[] = {CV_FMT_CSV,      CV_FMT_TSV,      CV_FMT_JSON,
                                     CV_FMT_MARKDOWN, CV_FMT_MARKDOWN, CV_FMT_XLSX};
    int f;
    if (!lua_isnoneornil(L, idx) || !path)
        return fmts[luaL_checkoption(L, idx, path ? NULL : "csv", names)];
    if ((f = cv_format_from_path(path)) < 0) {
        cv_error err;
        cv_error_set(&err, CV_ERR_USAGE,
                     "%s: unknown output format (use .csv, .tsv, .json, .md or .xlsx)", path);
        lbind_error(L, &err);
    }
    return (cv_format)f;
}

/* t:write(path [, format]) writes the table atomically (folders made as needed); format
   from the extension: .csv .tsv .json .md .xlsx */
static int tbl_write(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const char *path = lbind_checkstring(L, 2);
    cv_format fmt = checkformat(L, 3, path);
    cv_error err;
    lbind_check_output(L, path);
    if (cv_table_write(t, path, fmt, &err) != 0)
        return lbind_error(L, &err);
    return 0;
}

/* t:to_string([format = "csv"]) -> string ("csv", "tsv", "json", "md"; "text" as print,
   all rows) */
static int tbl_to_string(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    size_t len = 0;
    char *s;
    cv_error err;
    if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "text") == 0) {
        cv_table_words w;
        table_words(L, t, -1, &w);
        if ((s = cv_table_format_words(t, -1, 40, &w)) == NULL)
            return luaL_error(L, "out of memory");
        len = strlen(s);
    } else if ((s = cv_table_write_string(t, checkformat(L, 2, NULL), &len, &err)) == NULL) {
        return lbind_error(L, &err);
    }
    lua_pushlstring(L, s, len);
    cv_free(s);
    return 1;
}

/* from_columns{{name, values [, type]}, ...} -> Table: the core of cv.table. values may
   carry n (its length, for trailing missing values). */
static int tbl_from_columns(lua_State *L)
{
    int ncols, base;
    cv_table **slot;
    cv_error err;
    luaL_checktype(L, 1, LUA_TTABLE);
    ncols = checkcount(L, 1);
    slot = lbind_newtable(L);
    base = lua_gettop(L);
    if ((*slot = cv_table_new()) == NULL)
        return luaL_error(L, "out of memory");
    for (int k = 1; k <= ncols; k++, lua_settop(L, base)) {
        cv_column *c;
        int rc;
        if (lua_rawgeti(L, 1, k) != LUA_TTABLE || lua_rawgeti(L, -1, 1) != LUA_TSTRING ||
            lua_rawgeti(L, -2, 2) != LUA_TTABLE)
            return luaL_argerror(L, 1,
                                 lua_pushfstring(L, "column #%d: {name, values} expected", k));
        lua_rawgeti(L, base + 1, 3);
        lbind_rawfield(L, base + 3, "n");
        int64_t n = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : (int64_t)lua_rawlen(L, base + 3);
        cv_type type = CV_FLOAT64;
        if (n < 0)
            return luaL_argerror(
                L, 1, lua_pushfstring(L, "column #%d: n must be >= 0, got %I", k, (lua_Integer)n));
        if (!lua_isnil(L, base + 4) &&
            (!lua_isstring(L, base + 4) || cv_type_parse(lua_tostring(L, base + 4), &type) != 0))
            return luaL_argerror(L, 1, /* argument 1, not the stack slot of the type */
                                 lua_pushfstring(L, "column #%d: unknown type '%s'", k,
                                                 luaL_tolstring(L, base + 4, NULL)));
        c = lbind_tocolumn(L, base + 3, lbind_checkstring(L, base + 2), n,
                           lua_isnil(L, base + 4) ? -1 : (int)type, &err);
        if (!c)
            return lbind_error(L, &err);
        rc = cv_table_add(*slot, c, &err);
        cv_column_unref(c);
        if (rc != 0)
            return lbind_error(L, &err);
    }
    lua_settop(L, base);
    return 1;
}

/* ---- Module ----------------------------------------------------------------------------- */

static const luaL_Reg tbl_meta[] = {
    {"__gc", tbl_gc},     {"__close", tbl_gc}, {"__tostring", tbl_tostring},
    {"__len", tbl_nrows}, {"__index", NULL},   {NULL, NULL}};

static const luaL_Reg tbl_methods[] = {{"nrows", tbl_nrows},
                                       {"ncols", tbl_ncols},
                                       {"names", tbl_names},
                                       {"types", tbl_types},
                                       {"col", tbl_col},
                                       {"row", tbl_row},
                                       {"rows", tbl_rows},
                                       {"select", tbl_select},
                                       {"filter", tbl_filter},
                                       {"sort", tbl_sort},
                                       {"group_by", tbl_group_by},
                                       {"join", tbl_join},
                                       {"add", tbl_add},
                                       {"head", tbl_head},
                                       {"describe", tbl_describe},
                                       {"print", tbl_print},
                                       {"write", tbl_write},
                                       {"to_string", tbl_to_string},
                                       {"meta", tbl_getmeta},
                                       {"close", tbl_gc},
                                       {"kind", tbl_kind},
                                       {"kinds", tbl_kinds},
                                       {NULL, NULL}};

static const luaL_Reg col_meta[] = {
    {"__gc", col_gc}, {"__len", col_len}, {"__tostring", col_tostring}, {NULL, NULL}};

static const luaL_Reg col_methods[] = {
    {"name", col_name},       {"type", col_type}, {"kind", col_kind},
    {"totable", col_totable}, {"sum", col_sum},   {"mean", col_mean},
    {"min", col_min},         {"max", col_max},   {NULL, NULL}};

static const luaL_Reg tbl_funcs[] = {{"from_columns", tbl_from_columns},
                                     {"format_kind", tbl_format_kind},
                                     {"with_kinds", tbl_with_kinds},
                                     {NULL, NULL}};

/* The module {from_columns, methods}: methods is the cv.Table methods table, through which
   lua/cv/init.lua puts t:join behind its declared options (lua/cv/opts.lua). */
int luaopen_cv_table(lua_State *L)
{
    lbind_newmetatable(L, CV_TABLE_MT);
    luaL_setfuncs(L, tbl_meta, 0);
    luaL_newlib(L, tbl_methods);
    lua_setfield(L, -2, "__index"); /* metatable.__index = methods */
    lua_pop(L, 1);                  /* pop metatable */
    lbind_newmetatable(L, CV_COLUMN_MT);
    luaL_setfuncs(L, col_meta, 0);
    luaL_newlib(L, col_methods);
    lua_pushcclosure(L, col_index, 1); /* methods as upvalue of __index */
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1); /* pop metatable */
    luaL_newlib(L, tbl_funcs);
    luaL_getmetatable(L, CV_TABLE_MT);
    lua_getfield(L, -1, "__index");
    lua_setfield(L, -3, "methods"); /* module.methods = the Table methods (cv wraps some) */
    lua_pop(L, 1);                  /* pop metatable */
    return 1;
}
