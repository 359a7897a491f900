/* cvkit Lua module "cv.core.xlsx": tables written as the sheets of one XLSX workbook
   (src/core/xlsx.c, libxlsxwriter). cv.write_xlsx in lua/cv/report.lua is the face. */
#include "cvkit/fileio.h"
#include "lbind.h"

/* xlsx.write(path, {{"sheet", Table}, ...}): one workbook, a sheet per table, atomically.
   The sheets list is read raw; each table is pinned and each name anchored until the
   workbook is written, whatever a finalizer does to the list meanwhile. */
static int xl_write(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    cv_xlsx_sheet *sheets;
    lua_Integer n;
    cv_error err;
    lbind_frame(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 2);
    luaL_argcheck(L, n >= 1 && n <= 1000, 2, "1 to 1000 sheets expected");
    sheets = lbind_scratch(L, (size_t)n * sizeof *sheets);
    for (lua_Integer k = 1; k <= n; k++) {
        if (lua_rawgeti(L, 2, k) != LUA_TTABLE)
            return luaL_error(L, "write_xlsx: sheet %d: expected {name, table}", (int)k);
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "write_xlsx: sheet %d: expected a name", (int)k);
        sheets[k - 1].name = lbind_anchor(L, -1, NULL);
        lua_rawgeti(L, -2, 2);
        lua_replace(L, -3); /* the table in the pair's slot: it stays on the stack */
        lua_pop(L, 1);      /* pop name */
        sheets[k - 1].table = lbind_checktable(L, -1); /* pushes its pin */
    }
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
