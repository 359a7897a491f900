/* cvkit Lua module "cv.core.opts": what the options layer (lua/cv/opts.lua) needs from C:
   raising an error at the user's script line with an exit code, and the type name of a
   value as its real metatable says (protected metatables hide it from Lua). */
#include <string.h>

#include "cvkit/suggest.h"
#include "embedded.h"
#include "lbind.h"

/* 1 when source (a lua_Debug source) is one of cvkit's own Lua modules: the embedded
   "@lua/cv/x.lua" or a developer's copy ".../lua/cv/x.lua" under CVKIT_LUA_PATH. */
static int cvkit_source(const char *source)
{
    return source[0] == '@' &&
           (strncmp(source + 1, "lua/cv/", 7) == 0 || strstr(source, "/lua/cv/"));
}

/* 1 when source is one of the bundled model scripts: "@models/NAME.lua" or
   "@.../models/NAME.lua" (the installed share folder, a developer's tree) with NAME one of
   the models embedded in the binary (models.NAME). A user's own script never is. */
static int bundled_model(const char *source)
{
    const char *m = strstr(source, "models/"), *next;
    size_t len;
    if (source[0] != '@' || !m)
        return 0;
    while ((next = strstr(m + 1, "models/")) != NULL)
        m = next; /* the last "models/" */
    if (m != source + 1 && m[-1] != '/')
        return 0;
    m += 7;
    len = strlen(m);
    if (len <= 4 || strcmp(m + len - 4, ".lua") != 0 || memchr(m, '/', len))
        return 0;
    len -= 4;
    for (size_t k = 0; k < cv_embedded_lua_count; k++) {
        const char *name = cv_embedded_lua_files[k].name;
        if (strncmp(name, "models.", 7) == 0 && strlen(name + 7) == len &&
            memcmp(name + 7, m, len) == 0)
            return 1;
    }
    return 0;
}

void lbind_where_user(lua_State *L)
{
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || cvkit_source(ar.source))
            continue; /* a C function or cvkit's own code */
        if (bundled_model(ar.source))
            break; /* a bundled model's lines mean nothing to the user who ran it */
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        return;
    }
    lua_pushliteral(L, "");
}

/* The length of the "lua/cv/x.lua:12: " (or ".../lua/cv/x.lua:12: ") position msg starts
   with, or 0 when it does not start with the position of one of cvkit's own modules. */
static size_t cvkit_position(const char *msg)
{
    const char *p = msg, *cv = strstr(msg, "lua/cv/");
    if (!cv)
        return 0;
    for (; p < cv; p++)
        if (*p == ' ' || *p == ':' || *p == '\n')
            return 0; /* "lua/cv/" is not part of the message's first word */
    p = strstr(cv, ".lua:");
    if (!p)
        return 0;
    p += 5;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    return (p[0] == ':' && p[1] == ' ') ? (size_t)(p + 2 - msg) : 0;
}

void lbind_blame_user(lua_State *L, int idx)
{
    size_t n;
    const char *msg;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TSTRING || (n = cvkit_position(lua_tostring(L, idx))) == 0)
        return;
    msg = lua_tostring(L, idx);
    lbind_where_user(L);
    lua_pushstring(L, msg + n);
    lua_concat(L, 2);
    lua_replace(L, idx);
}

/* ---- pcall and xpcall that blame the user ------------------------------------------------ */

/* Message handler of pcall: an error raised for a call cvkit's own Lua made ("lua/cv/x.lua:
   12: ...") gets the user's line instead, while the stack that raised it is still there. */
static int blame_handler(lua_State *L)
{
    lbind_blame_user(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* Message handler of xpcall: blames the user (above), then calls the script's own handler
   (upvalue 1) on the message. */
static int blame_then(lua_State *L)
{
    lbind_blame_user(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Continuation of both (lbaselib.c's finishpcall): false and the message on an error, else
   true and the results (all but the `extra` slots at the bottom). */
static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

/* pcall(f, ...) as Lua's, under blame_handler. */
static int user_pcall(lua_State *L)
{
    int status;
    luaL_checkany(L, 1);
    lua_pushcfunction(L, blame_handler);
    lua_insert(L, 1);
    lua_pushboolean(L, 1); /* the first result when no error */
    lua_insert(L, 2);
    status = lua_pcallk(L, lua_gettop(L) - 3, LUA_MULTRET, 1, 1, finish_pcall);
    return finish_pcall(L, status, 1); /* the results from true up: all but the handler */
}

/* xpcall(f, msgh, ...) as Lua's, msgh called after blame_handler's work. */
static int user_xpcall(lua_State *L)
{
    int status, n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, blame_then, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1); /* the first result when no error */
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2); /* true and f below f's arguments */
    status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
    return finish_pcall(L, status, 2);
}

void lbind_open_pcall(lua_State *L)
{
    lua_pushglobaltable(L);
    lua_pushcfunction(L, user_pcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, user_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_pop(L, 1); /* pop globals */
}

/* opts.fail(code, msg): raises msg, prefixed with the position of the innermost line of
   the user's code that led here, as an error carrying exit code `code`. */
static int opt_fail(lua_State *L)
{
    int code = (int)luaL_checkinteger(L, 1);
    luaL_checkstring(L, 2);
    lbind_where_user(L);
    lua_pushvalue(L, 2);
    lua_concat(L, 2);
    return lbind_raise(L, code);
}

/* opts.typename(v) -> string: "cv.Table", "cv.Model", ... from the __name field of v's
   real metatable (read raw, whatever __metatable says), else type(v). */
static int opt_typename(lua_State *L)
{
    luaL_checkany(L, 1);
    if (lua_getmetatable(L, 1)) {
        lua_pushliteral(L, "__name");
        if (lua_rawget(L, -2) == LUA_TSTRING)
            return 1;
        lua_pop(L, 2); /* pop the non-string __name and the metatable */
    }
    lua_pushstring(L, luaL_typename(L, 1));
    return 1;
}

/* opts.suggest(word, candidates [, max = 1]) -> {name...}: the candidates (an array of
   strings; others are skipped) closest to word by the core's one measure (cvkit/suggest.h),
   all at the smallest distance, at most max, in the candidates' order; {} when none is
   close or word is not a string. */
static int opt_suggest(lua_State *L)
{
    const char *word = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    lua_Integer max = luaL_optinteger(L, 3, 1), n, k = 0;
    int best = -1;
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 2);
    lua_newtable(L);
    for (int pass = 0; word && pass < 2; pass++)
        for (lua_Integer i = 1; i <= n && k < max; i++) {
            int d = lua_rawgeti(L, 2, i) == LUA_TSTRING
                        ? cv_suggest_score(word, lua_tostring(L, -1))
                        : -1;
            if (pass == 0 && d >= 0 && (best < 0 || d < best))
                best = d;
            if (pass == 1 && d >= 0 && d == best) {
                lua_seti(L, -2, ++k); /* out[k] = the name */
                continue;
            }
            lua_pop(L, 1); /* pop the candidate */
        }
    return 1;
}

int luaopen_cv_opts(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"fail", opt_fail}, {"typename", opt_typename}, {"suggest", opt_suggest}, {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
