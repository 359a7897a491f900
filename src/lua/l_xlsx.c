/* cvkit Lua module "cv.core.xlsx": tables written as the sheets of one XLSX workbook
   (src/core/xlsx.c, libxlsxwriter). cv.write_xlsx in lua/cv/report.lua is the face. */
#include "cvkit/fileio.h"
#include "lbind.h"

/* xlsx.write(path, {{"sheet", Table}, ...}): one workbook, a sheet per table, atomically */
static int xl_write(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 1000, 2, "1 to 1000 sheets expected");
    cv_xlsx_sheet *sheets = lbind_scratch(L, (size_t)n * sizeof *sheets);
    for (lua_Integer k = 1; k <= n; k++) {
        if (lua_geti(L, 2, k) != LUA_TTABLE)
            return luaL_error(L, "write_xlsx: sheet %d: expected {name, table}", (int)k);
        lua_geti(L, -1, 1);
        lua_geti(L, -2, 2);
        if (lua_type(L, -2) != LUA_TSTRING)
            return luaL_error(L, "write_xlsx: sheet %d: expected a name", (int)k);
        sheets[k - 1].name = lua_tostring(L, -2); /* kept alive by the sheets table */
        sheets[k - 1].table = lbind_checktable(L, -1);
        lua_pop(L, 3); /* pop name, table, pair */
    }
    cv_error err;
    lbind_check_output(L, path);
    if (cv_xlsx_write(path, sheets, (int)n, &err) != 0)
        return lbind_error(L, &err);
    return 0;
}

int luaopen_cv_xlsx(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"write", xl_write}, {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
