/* cvkit Lua module "cv.core.date": the core's calendar (src/core/parse.c) for cvkit's Lua
   modules and scripts (cv.date): dates as "YYYY-MM-DD" strings, days since 1970-01-01,
   adding days, weeks, months and years, differences in days. Lua does no date arithmetic
   of its own. */
#include <string.h>

#include "cvkit/parse.h"
#include "lbind.h"

/* The days of the date (an ISO "YYYY-MM-DD" string, a time of day ignored) at idx; raises
   "bad argument #idx to 'f' (a date YYYY-MM-DD expected, got '1997-02-30')". */
static int32_t checkdate(lua_State *L, int idx)
{
    size_t len;
    int32_t days;
    const char *s = luaL_checklstring(L, idx, &len);
    if (cv_parse_date(s, len, CV_DATE_ISO, &days, NULL, NULL) != 0)
        luaL_argerror(L, idx, lua_pushfstring(L, "a date YYYY-MM-DD expected, got '%s'", s));
    return days;
}

/* Pushes days as "YYYY-MM-DD"; raises when it lies outside the years 1..9999. */
static int pushdate(lua_State *L, int64_t days)
{
    char buf[16];
    if (!cv_date_in_range(days))
        return luaL_error(L, "date out of range (the years 1 to 9999)");
    cv_format_date((int32_t)days, buf);
    lua_pushstring(L, buf);
    return 1;
}

/* date.days(date) -> integer: days since 1970-01-01 (negative before) */
static int dat_days(lua_State *L)
{
    lua_pushinteger(L, checkdate(L, 1));
    return 1;
}

/* date.format(days) -> "YYYY-MM-DD" */
static int dat_format(lua_State *L)
{
    return pushdate(L, (int64_t)luaL_checkinteger(L, 1));
}

/* date.valid(s) -> boolean: s is a real ISO date ("1997-02-30" is not) */
static int dat_valid(lua_State *L)
{
    size_t len;
    int32_t days;
    const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : NULL;
    lua_pushboolean(L, s && cv_parse_date(s, len, CV_DATE_ISO, &days, NULL, NULL) == 0);
    return 1;
}

/* date.add(date, n [, unit = "day"]) -> "YYYY-MM-DD": n days, weeks, months or years
   later (n < 0: earlier); months and years keep the day of the month, or take the
   month's last day where it is shorter (2024-01-31 + 1 month = 2024-02-29) */
static int dat_add(lua_State *L)
{
    static const char *const units[] = {"day", "week", "month", "year", NULL};
    int32_t days = checkdate(L, 1), out;
    lua_Integer n = luaL_checkinteger(L, 2);
    int unit = luaL_checkoption(L, 3, "day", units);
    if (n < -4000000 || n > 4000000)
        return luaL_error(L, "date out of range (the years 1 to 9999)");
    if (unit <= 1)
        return pushdate(L, (int64_t)days + n * (unit == 1 ? 7 : 1));
    if (cv_date_add_months(days, (long)(n * (unit == 3 ? 12 : 1)), &out) != 0)
        return luaL_error(L, "date out of range (the years 1 to 9999)");
    return pushdate(L, out);
}

/* date.diff(a, b) -> integer: the days from b to a (a - b) */
static int dat_diff(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)checkdate(L, 1) - checkdate(L, 2));
    return 1;
}

int luaopen_cv_date(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"days", dat_days},   {"format", dat_format},
                                     {"valid", dat_valid}, {"add", dat_add},
                                     {"diff", dat_diff},   {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
