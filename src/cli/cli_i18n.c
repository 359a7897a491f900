/* cvkit program: the language of its messages and their translation. The program's own
   texts (usage, errors it prints) are written in English in the C source and translated
   gettext-style: cli_tr(english) finds the catalogue entry whose English is that text
   (lua/cv/i18n.lua, the one catalogue, keys "cli.*") and returns the text in the user's
   language. The catalogue is read from the copy embedded in the binary by a small Lua
   state opened on the first translation, so no engine is needed (main's errors come
   before any). */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "cli.h"
#include "embedded.h"

static const char *explicit_lang; /* set by cli_set_lang (--lang) */
static lua_State *tr_L;           /* the translation state, opened on first use */
static int tr_failed;             /* 1: the catalogue could not be loaded; English */

/* 1 when text names Chinese: "zh", "zh_CN.UTF-8", "zh-Hans", "cn", "chinese". */
static int is_chinese(const char *s)
{
    return s && ((strncmp(s, "zh", 2) == 0 || strncmp(s, "ZH", 2) == 0) || strcmp(s, "cn") == 0 ||
                 strcmp(s, "chinese") == 0);
}

void cli_lang_init(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *l = getenv("CVKIT_LANG");
    if (l && *l)
        return;
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) { /* the first one set decides (POSIX precedence) */
            if (is_chinese(v))
                setenv("CVKIT_LANG", "zh", 1);
            return;
        }
    }
}

void cli_set_lang(const char *lang)
{
    explicit_lang = lang;
}

const char *cli_lang(void)
{
    const char *l = explicit_lang ? explicit_lang : getenv("CVKIT_LANG");
    return is_chinese(l) ? "zh" : "en";
}

static void tr_close(void)
{
    if (tr_L)
        lua_close(tr_L);
    tr_L = NULL;
}

/* Opens the translation state: the embedded cv.i18n module in the registry table
   "cvkit.i18n" and a cache table "cvkit.tr" (English text -> translation). Protected. */
static int tr_open(lua_State *L)
{
    const cv_embedded_lua *m = NULL;
    luaL_openlibs(L);
    for (size_t i = 0; i < cv_embedded_lua_count; i++)
        if (strcmp(cv_embedded_lua_files[i].name, "cv.i18n") == 0)
            m = &cv_embedded_lua_files[i];
    if (!m)
        return luaL_error(L, "no embedded cv.i18n");
    if (luaL_loadbufferx(L, (const char *)m->bytes, m->len, "@lua/cv/i18n.lua", "t") != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "cvkit.i18n");
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "cvkit.tr");
    return 0;
}

/* Looks text up (protected) with the catalogue's function named by upvalue 1 ("translate":
   one of the program's texts; "message": a core message, values kept): pushes the result
   in lang, cached per function. */
static int tr_lookup(lua_State *L)
{
    const char *text = lua_tostring(L, 1), *fn = lua_tostring(L, lua_upvalueindex(1));
    lua_getfield(L, LUA_REGISTRYINDEX, "cvkit.tr");
    if (lua_getfield(L, -1, fn) != LUA_TTABLE) {
        lua_pop(L, 1); /* pop nil */
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, fn);
    }
    if (lua_getfield(L, -1, text) == LUA_TSTRING)
        return 1;
    lua_pop(L, 1); /* pop nil */
    lua_getfield(L, LUA_REGISTRYINDEX, "cvkit.i18n");
    lua_getfield(L, -1, fn);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, -4, text); /* cache[fn][text] = translation */
    return 1;
}

/* text through the catalogue's function fn (tr_lookup), or text itself in English or when
   anything fails. */
static const char *tr_with(const char *fn, const char *text)
{
    const char *lang = cli_lang(), *out;
    if (strcmp(lang, "en") == 0 || tr_failed || !text)
        return text;
    if (!tr_L) {
        if ((tr_L = luaL_newstate()) == NULL) {
            tr_failed = 1;
            return text;
        }
        lua_pushcfunction(tr_L, tr_open);
        if (lua_pcall(tr_L, 0, 0, 0) != LUA_OK) {
            tr_close();
            tr_failed = 1;
            return text;
        }
        atexit(tr_close);
    }
    lua_pushstring(tr_L, fn);
    lua_pushcclosure(tr_L, tr_lookup, 1);
    lua_pushstring(tr_L, text);
    lua_pushstring(tr_L, lang);
    if (lua_pcall(tr_L, 2, 1, 0) != LUA_OK || !lua_isstring(tr_L, -1)) {
        lua_pop(tr_L, 1); /* pop message */
        return text;
    }
    out = lua_tostring(tr_L, -1); /* kept alive by the cache table */
    lua_pop(tr_L, 1);             /* pop translation */
    return out;
}

const char *cli_tr(const char *text)
{
    return tr_with("translate", text);
}

const char *cli_tr_message(const char *msg)
{
    return tr_with("message", msg);
}
