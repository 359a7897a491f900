/* cvkit binding helpers: cv.Table handles, raising core errors with their exit code,
   options tables, and the conversion of values between columns and Lua. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cvkit/models.h"
#include "cvkit/parse.h"
#include "cvkit/redact.h"
#include "lbind.h"

static const char lasterr_key = 'm';  /* registry: message of the last core error raised */
static const char lastcode_key = 'c'; /* registry: its code */

/* ---- The binding frame, pins and anchors ------------------------------------------------- */

#define PIN_MT "cv.pin"                 /* a counter: __close */
#define PIN_GC_MT "cv.pin.gc"           /* a counter holding a deferred object: __close and __gc */
#define FRAME_MARK (LBIND_NARGS + 1)    /* a light userdata: &frame_marker */
#define FRAME_ANCHORS (LBIND_NARGS + 2) /* the anchor table, or nil */

static const char frame_marker = 'f';

/* A handle's pin counter (its user value 1): how many running bindings use the handle,
   and the object of a handle closed meanwhile, released when the count drops to 0. */
typedef struct lbind_pins {
    int pins;
    void *deferred;
    lbind_release_fn release;
} lbind_pins;

void lbind_frame(lua_State *L)
{
    if (lua_gettop(L) >= FRAME_ANCHORS && lua_islightuserdata(L, FRAME_MARK) &&
        lua_touserdata(L, FRAME_MARK) == &frame_marker)
        return;
    int top = lua_gettop(L);
    if (!lua_checkstack(L, (top > LBIND_NARGS ? top : LBIND_NARGS) + 2 + LUA_MINSTACK))
        luaL_error(L, "stack overflow (binding frame)");
    if (top < LBIND_NARGS)
        lua_settop(L, LBIND_NARGS); /* absent arguments are nil */
    lua_pushlightuserdata(L, (void *)&frame_marker);
    lua_pushnil(L); /* the anchor table, made on first use */
    /* values above the arguments (extra arguments, or what the binding pushed before the
       frame, such as a scratch array it still reads) move up two slots, in their order:
       dropped, they would be freed under the binding's feet */
    if (top > LBIND_NARGS)
        lua_rotate(L, FRAME_MARK, 2);
}

/* Releases the deferred object of p, if any. */
static void pins_release(lbind_pins *p)
{
    void *obj = p->deferred;
    p->deferred = NULL;
    if (obj)
        p->release(obj);
}

/* __close of a pin: one binding using the handle returned (or raised). Never raises. */
static int pins_close(lua_State *L)
{
    lbind_pins *p = lua_touserdata(L, 1);
    if (p && p->pins > 0 && --p->pins == 0)
        pins_release(p);
    return 0;
}

/* __gc of a counter holding a deferred object (it gets this metamethod only then, so that
   handles cost no finalizer of their own): nothing can pin it any more, as a binding left
   in a dead coroutine never returns; what it held goes with the coroutine. */
static int pins_gc(lua_State *L)
{
    lbind_pins *p = lua_touserdata(L, 1);
    if (p) {
        p->pins = 0;
        pins_release(p);
    }
    return 0;
}

/* Pushes the metatable of counters, with a __gc when gc (both made on first use, so that
   closing a handle allocates nothing). */
static void pins_metatable(lua_State *L, int gc)
{
    if (!gc) {
        if (luaL_getmetatable(L, PIN_MT) != LUA_TNIL)
            return;
        lua_pop(L, 1); /* pop nil: the first counter; make the other one too */
        pins_metatable(L, 1);
        lua_pop(L, 1); /* pop it */
    }
    if (lbind_newmetatable(L, gc ? PIN_GC_MT : PIN_MT)) { /* protected, as every cvkit one */
        lua_pushcfunction(L, pins_close);
        lua_setfield(L, -2, "__close");
        if (gc) {
            lua_pushcfunction(L, pins_gc);
            lua_setfield(L, -2, "__gc");
        }
    }
}

/* The counter of the handle at idx (user value 1; only the debug library could change
   it), pushed; NULL when it is not one. */
static lbind_pins *pins_of(lua_State *L, int idx)
{
    if (lua_getiuservalue(L, idx, 1) != LUA_TUSERDATA || lua_rawlen(L, -1) != sizeof(lbind_pins))
        return NULL;
    return lua_touserdata(L, -1);
}

void *lbind_newhandle(lua_State *L, size_t size, const char *mt, int nuv)
{
    void *ud = lua_newuserdatauv(L, size, nuv + 1); /* user value 1: the counter, later */
    memset(ud, 0, size);
    luaL_setmetatable(L, mt);
    return ud;
}

void lbind_pin(lua_State *L, int idx)
{
    lbind_pins *p;
    lbind_check_time(L);
    idx = lua_absindex(L, idx);
    lbind_frame(L);
    if (!lua_checkstack(L, LUA_MINSTACK))
        luaL_error(L, "stack overflow (binding pins)");
    if ((p = pins_of(L, idx)) == NULL) {
        if (!lua_isnil(L, -1))
            luaL_error(L, "internal error: a handle without its pin counter");
        lua_pop(L, 1); /* pop nil: the first pin makes the counter */
        p = lua_newuserdatauv(L, sizeof *p, 0);
        memset(p, 0, sizeof *p);
        pins_metatable(L, 0);
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        if (!lua_setiuservalue(L, idx, 1)) /* the handle keeps its counter */
            luaL_error(L, "internal error: a handle without room for its pin counter");
    }
    p->pins++;
    lua_toclose(L, -1); /* dropped when the binding returns or raises */
}

void lbind_close(lua_State *L, int idx, void *obj, lbind_release_fn release)
{
    lbind_pins *p;
    if (obj == NULL)
        return;
    p = pins_of(L, idx);
    if (p && p->pins > 0) {
        pins_release(p); /* none: a handle is closed once */
        p->deferred = obj;
        p->release = release;
        pins_metatable(L, 1); /* from now on the counter is finalized: no allocation */
        lua_setmetatable(L, -2);
    } else {
        release(obj);
    }
    lua_pop(L, 1); /* pop the counter (the handle keeps it) */
}

/* Raises when the text s of length len holds a NUL byte: C would read it cut there. */
static void check_nul(lua_State *L, const char *s, size_t len)
{
    cv_error err;
    if (strlen(s) == len)
        return;
    cv_error_set(&err, CV_ERR_USAGE,
                 "'%s' is followed by a NUL character (\\0): a name, a path or an option "
                 "cannot hold one",
                 s);
    lbind_error(L, &err);
}

const char *lbind_checkstring(lua_State *L, int arg)
{
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    check_nul(L, s, len);
    return s;
}

const char *lbind_optstring(lua_State *L, int arg, const char *def)
{
    return lua_isnoneornil(L, arg) ? def : lbind_checkstring(L, arg);
}

const char *lbind_anchor(lua_State *L, int idx, size_t *len)
{
    const char *s;
    size_t n;
    idx = lua_absindex(L, idx);
    if (!(lua_gettop(L) >= FRAME_ANCHORS && lua_touserdata(L, FRAME_MARK) == &frame_marker))
        luaL_error(L, "internal error: a string anchored outside a binding frame");
    if ((s = lua_tolstring(L, idx, &n)) == NULL)
        return NULL;
    if (len)
        *len = n;
    else
        check_nul(L, s, n); /* a caller that takes no length reads s as a C string */
    if (lua_type(L, FRAME_ANCHORS) != LUA_TTABLE) {
        lua_createtable(L, 8, 0);
        lua_replace(L, FRAME_ANCHORS);
    }
    lua_pushvalue(L, idx);
    lua_rawseti(L, FRAME_ANCHORS, (lua_Integer)lua_rawlen(L, FRAME_ANCHORS) + 1);
    return s;
}

int lbind_rawfield(lua_State *L, int idx, const char *key)
{
    if (lua_type(L, idx) != LUA_TTABLE) { /* not a table: no fields */
        lua_pushnil(L);
        return LUA_TNIL;
    }
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

/* ---- Table handles --------------------------------------------------------------------- */

static void release_table(void *t)
{
    cv_table_free(t);
}

cv_table **lbind_newtable(lua_State *L)
{
    cv_table **slot = lua_newuserdatauv(L, sizeof *slot, 1); /* user value 1: the pin counter */
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
    cv_table **slot;
    idx = lua_absindex(L, idx);
    slot = luaL_checkudata(L, idx, CV_TABLE_MT);
    lbind_pin(L, idx); /* may run a finalizer (the first pin allocates): check after it */
    if (*slot == NULL)
        luaL_argerror(L, idx, "attempt to use a closed table");
    return *slot;
}

void lbind_closetable(lua_State *L, int idx)
{
    cv_table **slot = luaL_checkudata(L, idx, CV_TABLE_MT);
    cv_table *t = *slot;
    *slot = NULL;
    lbind_close(L, idx, t, release_table);
}

/* ---- Errors ------------------------------------------------------------------------------ */

/* Calls cv.i18n.message(msg) when cv.i18n is loaded; else returns msg (for lua_pcall). */
static int core_msg_call(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "cv.i18n") != LUA_TTABLE ||
        lua_getfield(L, -1, "message") != LUA_TFUNCTION) {
        lua_settop(L, 1); /* msg itself */
        return 1;
    }
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

const char *lbind_push_message(lua_State *L, const char *msg)
{
    lua_pushcfunction(L, core_msg_call);
    lua_pushstring(L, msg);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
        lua_pop(L, 1); /* pop the error or the non-string */
        lua_pushstring(L, msg);
    }
    return lua_tostring(L, -1);
}

void lbind_redact_top(lua_State *L)
{
    size_t n, len;
    const char *s = lua_tolstring(L, -1, &n);
    luaL_Buffer b;
    if (lua_type(L, -1) != LUA_TSTRING || (!memchr(s, '@', n) && !memchr(s, '=', n)))
        return;
    len = cv_redact_message(s, NULL, 0);
    cv_redact_message(s, luaL_buffinitsize(L, &b, len + 1), len + 1);
    luaL_pushresultsize(&b, len);
    lua_replace(L, -2);
}

int lbind_error(lua_State *L, const cv_error *err)
{
    cv_error limit, shown;
    int at_limit = lbind_limit_error(L, err, &limit);
    if (at_limit)
        err = &limit;
    /* a URL given as a file or a column name: its password hidden */
    shown = *err;
    cv_redact_message(err->msg, shown.msg, sizeof shown.msg);
    err = &shown;
    lua_pushinteger(L, err->code ? err->code : CV_ERR_SCRIPT);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lastcode_key);
    if (err->code == CV_ERR_NOMEM || at_limit)
        lua_pushstring(L, err->msg); /* no Lua code runs near the engine's limits */
    else
        lbind_push_message(L, err->msg);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lasterr_key);
    return lua_error(L);
}

int lbind_raise(lua_State *L, int code)
{
    lbind_redact_top(L);
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
    idx = lua_absindex(L, idx);
    lbind_frame(L);
    if (lua_isnoneornil(L, idx))
        return 0;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (lbind_rawfield(L, idx, field) == LUA_TNIL) {
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

/* The string is anchored: it stays alive until the binding returns. */
const char *lbind_opt_string(lua_State *L, int idx, const char *field, const char *fname,
                             const char *def)
{
    if (lbind_opt_field(L, idx, field, LUA_TSTRING, fname)) {
        def = lbind_anchor(L, -1, NULL);
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

lua_Integer lbind_opt_integer(lua_State *L, int idx, const char *field, const char *fname,
                              lua_Integer def, lua_Integer lo, lua_Integer hi)
{
    int isint;
    lua_Integer v;
    if (!lbind_opt_field(L, idx, field, LUA_TNUMBER, fname))
        return def;
    v = lua_tointegerx(L, -1, &isint); /* a float converts only when whole and in range */
    if (!isint)
        lbind_opt_error(L, field, fname,
                        lua_pushfstring(L, "a whole number expected, got %f", lua_tonumber(L, -1)));
    if (v < lo || v > hi)
        lbind_opt_error(L, field, fname,
                        lua_pushfstring(L, "%I to %I expected, got %I", lo, hi, v));
    lua_pop(L, 1); /* pop value */
    return v;
}

lua_Integer lbind_checkrange(lua_State *L, int arg, lua_Integer lo, lua_Integer hi)
{
    lua_Integer v = luaL_checkinteger(L, arg);
    if (v < lo || v > hi)
        luaL_argerror(L, arg, lua_pushfstring(L, "%I to %I expected, got %I", lo, hi, v));
    return v;
}

int lbind_opt_option(lua_State *L, int idx, const char *field, const char *fname, int def,
                     const char *const lst[])
{
    const char *v = lbind_opt_string(L, idx, field, fname, NULL);
    int i;
    if (!v)
        return def;
    for (i = 0; lst[i]; i++)
        if (strcmp(lst[i], v) == 0)
            return i;
    return lbind_opt_error(L, field, fname, lua_pushfstring(L, "invalid option '%s'", v));
}

void *lbind_scratch(lua_State *L, size_t size)
{
    luaL_checkstack(L, LUA_MINSTACK, "too many values (binding scratch)");
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

void lbind_setarray(lua_State *L, const char *field, const double *v, int n)
{
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) {
            lua_pushnumber(L, v[i]);
            lua_seti(L, -2, i + 1);
        }
    lua_setfield(L, -2, field);
}

void lbind_setfitstate(lua_State *L, int status, unsigned boundary, const char *const *names, int n,
                       int se_ok)
{
    int j = 0;
    lua_pushstring(L, cv_fit_status_name(status));
    lua_setfield(L, -2, "status");
    lua_createtable(L, 0, 0);
    for (int i = 0; i < n; i++)
        if (boundary & (1u << i)) {
            lua_pushstring(L, names[i]);
            lua_seti(L, -2, ++j);
        }
    lua_setfield(L, -2, "boundary");
    lbind_setboolean(L, "se_ok", se_ok);
}

void lbind_setoptim(lua_State *L, const cv_optim_result *o)
{
    lua_pushstring(L, o->message);
    lua_setfield(L, -2, "message");
    lua_pushstring(L, o->method ? o->method : "bfgs");
    lua_setfield(L, -2, "method");
    lbind_setinteger(L, "iterations", o->iterations);
    lbind_setinteger(L, "evaluations", o->evaluations);
    if (isfinite(o->grad_norm))
        lbind_setnumber(L, "grad_norm", o->grad_norm);
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
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
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
        lua_rawgeti(L, idx, (lua_Integer)i);
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
