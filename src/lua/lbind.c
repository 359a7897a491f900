/* cvkit binding helpers: cv.Table handles, raising core errors with their exit code,
   options tables, and the conversion of values between columns and Lua. */
#include <stdio.h>
#include <string.h>

#include "cvkit/parse.h"
#include "lbind.h"

static const char lasterr_key = 'm';  /* registry: message of the last core error raised */
static const char lastcode_key = 'c'; /* registry: its code */

/* ---- Table handles --------------------------------------------------------------------- */

cv_table **lbind_newtable(lua_State *L)
{
    cv_table **slot = lua_newuserdatauv(L, sizeof *slot, 0);
    *slot = NULL;
    if (luaL_getmetatable(L, CV_TABLE_MT) == LUA_TNIL) {
        lua_pop(L, 1); /* pop nil */
        luaL_requiref(L, "cv.core.table", luaopen_cv_table, 0);
        lua_pop(L, 1); /* pop module */
        luaL_getmetatable(L, CV_TABLE_MT);
    }
    lua_setmetatable(L, -2);
    return slot;
}

int lbind_newmetatable(lua_State *L, const char *name)
{
    if (!luaL_newmetatable(L, name))
        return 0;
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__metatable");
    return 1;
}

cv_table *lbind_checktable(lua_State *L, int idx)
{
    cv_table **slot = luaL_checkudata(L, idx, CV_TABLE_MT);
    if (*slot == NULL)
        luaL_argerror(L, idx, "attempt to use a closed table");
    return *slot;
}

/* ---- Errors ------------------------------------------------------------------------------ */

int lbind_error(lua_State *L, const cv_error *err)
{
    cv_error limit;
    if (lbind_limit_error(L, err, &limit))
        err = &limit;
    lua_pushinteger(L, err->code ? err->code : CV_ERR_SCRIPT);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lastcode_key);
    lua_pushstring(L, err->msg);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lasterr_key);
    return lua_error(L);
}

int lbind_raise(lua_State *L, int code)
{
    lua_pushinteger(L, code ? code : CV_ERR_SCRIPT);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lastcode_key);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lasterr_key);
    return lua_error(L);
}

int lbind_error_code(lua_State *L, int idx)
{
    size_t n, m;
    const char *msg, *last;
    int code = CV_ERR_SCRIPT;
    if (lua_type(L, idx) != LUA_TSTRING)
        return code;
    msg = lua_tolstring(L, idx, &n);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &lasterr_key);
    last = lua_tolstring(L, -1, &m);
    if (last && m > 0 && n >= m && memcmp(msg + n - m, last, m) == 0 &&
        (n == m || (n >= m + 2 && memcmp(msg + n - m - 2, ": ", 2) == 0))) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &lastcode_key);
        code = (int)lua_tointeger(L, -1);
        lua_pop(L, 1); /* pop code */
    } else if (strstr(msg, "bad argument #") != NULL) {
        code = CV_ERR_USAGE; /* luaL_argerror's message */
    }
    lua_pop(L, 1); /* pop last message */
    return code;
}

/* ---- Options tables ------------------------------------------------------------------------ */

int lbind_opt_error(lua_State *L, const char *field, const char *fname, const char *why)
{
    lbind_where_user(L);
    lua_pushfstring(L, "cv.%s: bad option '%s' (%s)", fname, field, why);
    lua_concat(L, 2);
    return lbind_raise(L, CV_ERR_USAGE);
}

int lbind_opt_field(lua_State *L, int idx, const char *field, int type, const char *fname)
{
    if (lua_isnoneornil(L, idx))
        return 0;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (lua_getfield(L, idx, field) == LUA_TNIL) {
        lua_pop(L, 1); /* pop nil */
        return 0;
    }
    if (lua_type(L, -1) != type) {
        const char *why =
            lua_pushfstring(L, "%s expected, got %s", lua_typename(L, type), luaL_typename(L, -1));
        lbind_opt_error(L, field, fname, why);
    }
    return 1;
}

int lbind_opt_boolean(lua_State *L, int idx, const char *field, const char *fname, int def)
{
    if (lbind_opt_field(L, idx, field, LUA_TBOOLEAN, fname)) {
        def = lua_toboolean(L, -1);
        lua_pop(L, 1); /* pop value */
    }
    return def;
}

/* The string stays alive as long as the options table holds it (the call's duration). */
const char *lbind_opt_string(lua_State *L, int idx, const char *field, const char *fname,
                             const char *def)
{
    if (lbind_opt_field(L, idx, field, LUA_TSTRING, fname)) {
        def = lua_tostring(L, -1);
        lua_pop(L, 1); /* pop value */
    }
    return def;
}

lua_Number lbind_opt_number(lua_State *L, int idx, const char *field, const char *fname,
                            lua_Number def)
{
    if (lbind_opt_field(L, idx, field, LUA_TNUMBER, fname)) {
        def = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop value */
    }
    return def;
}

void *lbind_scratch(lua_State *L, size_t size)
{
    return lua_newuserdatauv(L, size ? size : 1, 0);
}

/* ---- Values ------------------------------------------------------------------------------- */

void lbind_pushvalue(lua_State *L, const cv_column *c, int64_t i)
{
    char buf[64];
    size_t len;
    const char *s;
    if (!cv_column_is_valid(c, i)) {
        lua_pushnil(L);
        return;
    }
    switch (c->type) {
    case CV_INT64:
        lua_pushinteger(L, (lua_Integer)cv_column_int(c, i));
        return;
    case CV_FLOAT64:
        lua_pushnumber(L, cv_column_float(c, i));
        return;
    case CV_STRING:
        s = cv_column_string(c, i, &len);
        lua_pushlstring(L, s, len);
        return;
    case CV_BOOL:
        lua_pushboolean(L, cv_column_bool(c, i));
        return;
    case CV_DATE:
    case CV_DATETIME:
        len = cv_value_format(c, i, 0, "", buf, sizeof buf);
        lua_pushlstring(L, buf, len < sizeof buf ? len : sizeof buf - 1);
        return;
    }
    lua_pushnil(L);
}

void lbind_setnumber(lua_State *L, const char *field, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, field);
}

void lbind_setinteger(lua_State *L, const char *field, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, field);
}

void lbind_setboolean(lua_State *L, const char *field, int v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, field);
}

void lbind_pushrow(lua_State *L, const cv_table *t, int64_t i)
{
    lua_createtable(L, 0, t->ncols);
    for (int k = 0; k < t->ncols; k++) {
        lbind_pushvalue(L, t->cols[k], i);
        lua_setfield(L, -2, t->cols[k]->name);
    }
}

/* Infers the type of the values at idx[1..n]; 0, or CV_ERR_TYPE on a mix. */
static int infer_type(lua_State *L, int idx, const char *name, int64_t n, int *type, cv_error *err)
{
    int seen[LUA_NUMTYPES] = {0}, isfloat = 0;
    for (int64_t i = 1; i <= n; i++) {
        int t = lua_geti(L, idx, (lua_Integer)i);
        if (t == LUA_TNUMBER && !lua_isinteger(L, -1))
            isfloat = 1;
        lua_pop(L, 1); /* pop value */
        if (t != LUA_TNIL && t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            return cv_error_set(err, CV_ERR_TYPE,
                                "column '%s', value %lld: expected a number, string or "
                                "boolean, got %s",
                                name, (long long)i, lua_typename(L, t));
        seen[t] = 1;
    }
    if (seen[LUA_TNUMBER] + seen[LUA_TSTRING] + seen[LUA_TBOOLEAN] > 1)
        return cv_error_set(err, CV_ERR_TYPE, "column '%s' mixes %s", name,
                            seen[LUA_TSTRING] && seen[LUA_TNUMBER] ? "numbers and strings"
                            : seen[LUA_TSTRING]                    ? "strings and booleans"
                                                                   : "numbers and booleans");
    *type = seen[LUA_TSTRING]               ? CV_STRING
            : seen[LUA_TBOOLEAN]            ? CV_BOOL
            : isfloat || !seen[LUA_TNUMBER] ? CV_FLOAT64
                                            : CV_INT64;
    return 0;
}

/* Appends the Lua value at the top of the stack to c; 0, or an error code with err set. */
static int push_lua_value(lua_State *L, cv_column *c, int64_t i, cv_error *err)
{
    int t = lua_type(L, -1), isint = 0, has_time = 0;
    size_t len = 0;
    const char *s = t == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    lua_Integer v = lua_tointegerx(L, -1, &isint);
    int32_t days, secs;
    if (t == LUA_TNIL)
        return cv_column_push_missing(c);
    switch (c->type) {
    case CV_INT64:
        if (t == LUA_TNUMBER && isint)
            return cv_column_push_int(c, (int64_t)v);
        break;
    case CV_FLOAT64:
        if (t == LUA_TNUMBER)
            return cv_column_push_float(c, (double)lua_tonumber(L, -1));
        break;
    case CV_STRING:
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            s = lua_tolstring(L, -1, &len); /* converts the stack copy only */
            return cv_column_push_string(c, s, len);
        }
        break;
    case CV_BOOL:
        if (t == LUA_TBOOLEAN)
            return cv_column_push_bool(c, lua_toboolean(L, -1));
        break;
    case CV_DATE:
        if (t == LUA_TNUMBER && isint)
            return cv_column_push_i32(c, (int32_t)v);
        if (s && cv_parse_date(s, len, CV_DATE_ISO, &days, NULL, NULL) == 0)
            return cv_column_push_i32(c, days);
        break;
    case CV_DATETIME:
        if (t == LUA_TNUMBER && isint)
            return cv_column_push_int(c, (int64_t)v);
        if (s && cv_parse_date(s, len, CV_DATE_ISO, &days, &secs, &has_time) == 0)
            return cv_column_push_int(c, (int64_t)days * 86400 + secs);
        break;
    }
    if (s)
        return cv_error_set(err, CV_ERR_TYPE, "column '%s', value %lld: expected a %s, got '%s'",
                            c->name, (long long)i, cv_type_name(c->type), s);
    return cv_error_set(err, CV_ERR_TYPE, "column '%s', value %lld: expected a %s, got %s", c->name,
                        (long long)i, cv_type_name(c->type), lua_typename(L, t));
}

cv_column *lbind_tocolumn(lua_State *L, int idx, const char *name, int64_t n, int type,
                          cv_error *err)
{
    cv_column *c;
    idx = lua_absindex(L, idx);
    if (type < 0 && infer_type(L, idx, name, n, &type, err) != 0)
        return NULL;
    if ((c = cv_column_new(name, (cv_type)type, n)) == NULL) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (int64_t i = 1; i <= n; i++) {
        int rc;
        lua_geti(L, idx, (lua_Integer)i);
        rc = push_lua_value(L, c, i, err);
        lua_pop(L, 1); /* pop value */
        if (rc != 0) {
            if (rc == CV_ERR_NOMEM)
                cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            cv_column_unref(c);
            return NULL;
        }
    }
    return c;
}
