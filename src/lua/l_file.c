/* cvkit Lua module "cv.core.file": the one file layer (src/core/fileio.c) for Lua: text
   written atomically (reports, SVG charts, Monte Carlo output), folders made (cv.mkdir),
   tables as the sheets of one XLSX workbook (src/core/xlsx.c; cv.write_xlsx in
   lua/cv/report.lua is the face). Tables as CSV/TSV/JSON/XLSX: t:write in l_table.c. Every
   path is checked against the sandbox first. */
#include "cvkit/fileio.h"
#include "lbind.h"

#include <string.h>

/* file.write(path, text): writes text to path atomically (folders made as needed) */
static int fl_write(lua_State *L)
{
    size_t len;
    const char *path = lbind_checkstring(L, 1), *s = luaL_checklstring(L, 2, &len);
    cv_error err;
    lbind_check_output(L, path);
    if (cv_file_write_atomic(path, s, len, &err) != 0)
        return lbind_error(L, &err);
    return 0;
}

/* file.mkdir(path) -> true: creates a folder and its parents (like mkdir -p), or raises */
static int fl_mkdir(lua_State *L)
{
    const char *path = lbind_checkstring(L, 1);
    size_t len = strlen(path);
    cv_error err;
    if (len == 0 || len >= 4096)
        return luaL_argerror(L, 1, "bad folder name");
    lbind_check_output_folder(L, path);
    if (cv_mkdirs(path, &err) != 0)
        return lbind_error(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* file.write_xlsx(path, {{"sheet", Table}, ...}): one workbook, a sheet per table, atomically.
   The sheets list is read raw and every table pinned before the names are read (an
   allocation may run a finalizer that closes a table); names and tables stay on the
   stack. */
static int fl_write_xlsx(lua_State *L)
{
    const char *path = lbind_checkstring(L, 1);
    cv_xlsx_sheet *sheets;
    cv_table *tables[1000];
    lua_Integer n;
    int base;
    cv_error err;
    lbind_frame(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 1000, 2, "1 to 1000 sheets expected");
    luaL_checkstack(L, 3 * (int)n + LUA_MINSTACK, "too many sheets");
    base = lua_gettop(L);
    for (lua_Integer k = 1; k <= n; k++) { /* pushes name, table: no allocation */
        if (lua_rawgeti(L, 2, k) != LUA_TTABLE)
            return luaL_error(L, "write_xlsx: sheet %d: expected {name, table}", (int)k);
        if (lua_rawgeti(L, -1, 1) != LUA_TSTRING)
            return luaL_error(L, "write_xlsx: sheet %d: expected a name", (int)k);
        lua_rawgeti(L, -2, 2);
        lua_rotate(L, -3, -1); /* pair on top */
        lua_pop(L, 1);         /* pop pair */
        if (!luaL_testudata(L, -1, CV_TABLE_MT))
            return luaL_error(L, "write_xlsx: sheet %d: expected a table", (int)k);
        if (*(cv_table **)lua_touserdata(L, -1) == NULL)
            return luaL_error(L, "write_xlsx: sheet %d: attempt to use a closed table", (int)k);
    }
    for (int k = 0; k < n; k++) { /* pins; the slot of a table closed meanwhile is NULL */
        cv_table **slot = lua_touserdata(L, base + 2 * k + 2);
        lbind_pin(L, base + 2 * k + 2);
        if ((tables[k] = *slot) == NULL)
            return luaL_error(L, "write_xlsx: sheet %d: attempt to use a closed table", k + 1);
    }
    sheets = lbind_scratch(L, (size_t)n * sizeof *sheets);
    for (int k = 0; k < n; k++) {
        sheets[k].name = lua_tostring(L, base + 2 * k + 1); /* on the stack */
        sheets[k].table = tables[k];                        /* pinned */
    }
    lbind_check_output(L, path);
    if (cv_xlsx_write(path, sheets, (int)n, &err) != 0)
        return lbind_error(L, &err);
    return 0;
}

/* file.check_output(path): raises unless the sandbox lets the program write path (what the
   writers above check first; for a check made before any work starts) */
static int fl_check_output(lua_State *L)
{
    lbind_check_output(L, lbind_checkstring(L, 1));
    return 0;
}

int luaopen_cv_file(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"write", fl_write},
                                     {"mkdir", fl_mkdir},
                                     {"write_xlsx", fl_write_xlsx},
                                     {"check_output", fl_check_output},
                                     {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
