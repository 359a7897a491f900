/* cvkit Lua module "cv.core.crmcost": the CRM system's life-cycle cost per option
   (cv_lcc, src/core/crmcost.c). The friendly face (cost lines from a table, explain in
   English and Chinese) is lua/cv/crmcost.lua. */
#include <math.h>
#include <string.h>

#include "cvkit/crmcost.h"
#include "lbind.h"

/* A whole number field of the line at t (def when absent); raises for anything else, so
   that no value outside int's range is ever converted. */
static int getint(lua_State *L, int t, int i, const char *key, double def)
{
    double v = lbind_opt_number(L, t, key, "lcc", def);
    if (!(v == floor(v) && fabs(v) <= 1e6))
        luaL_error(L, "bad line %d to 'lcc' (field '%s': a whole number expected, got %f)", i + 1,
                   key, (lua_Number)v);
    return (int)v;
}

/* Reads lines[i] (a table at idx) into *ln; raises naming the line and the field. */
static void checkline(lua_State *L, int idx, int i, cv_lcc_line *ln)
{
    static const char *const kinds[] = {"cost", "benefit", NULL};
    lua_rawgeti(L, idx, i + 1);
    if (!lua_istable(L, -1))
        luaL_error(L, "bad line %d to 'lcc' (table expected, got %s)", i + 1, luaL_typename(L, -1));
    int t = lua_gettop(L);
    ln->option = getint(L, t, i, "option", 0) - 1;
    ln->kind = CV_LCC_COST;
    if (lbind_rawfield(L, t, "kind") != LUA_TNIL) { /* named here: not an argument of lcc */
        int k = 0;
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "bad line %d to 'lcc' (field 'kind': string expected, got %s)", i + 1,
                       luaL_typename(L, -1));
        while (kinds[k] && strcmp(kinds[k], lua_tostring(L, -1)) != 0)
            k++;
        if (!kinds[k])
            luaL_error(L, "bad line %d to 'lcc' (field 'kind': invalid option '%s')", i + 1,
                       lua_tostring(L, -1));
        ln->kind = (cv_lcc_kind)k;
    }
    lua_pop(L, 1); /* pop kind */
    ln->amount = lbind_opt_number(L, t, "amount", "lcc", NAN);
    ln->from = getint(L, t, i, "from", 0);
    ln->to = getint(L, t, i, "to", ln->from);
    ln->per_user = lbind_opt_boolean(L, t, "per_user", "lcc", 0);
    lua_pop(L, 1); /* pop lines[i] */
}

/* lcc(lines, users, discount, years) -> results, line_pv
   lines: {{option = 1.., kind = "cost"|"benefit", amount, from, to, per_user}, ...};
   users: {n1, n2, ...} per option; results[o] = {cost_nominal, cost_pv, benefit_pv, npv,
   annuity, eac, eac_per_user, payback (nil: never)}; line_pv[i]: line i's present value. */
static int crm_lcc(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    double discount = luaL_checknumber(L, 3);
    lua_Integer years = luaL_checkinteger(L, 4);
    int nlines = (int)lua_rawlen(L, 1), nopts = (int)lua_rawlen(L, 2);
    luaL_argcheck(L, years >= 1 && years <= 1000, 4, "years between 1 and 1000 expected");
    luaL_argcheck(L, nopts >= 1, 2, "at least one option expected");
    cv_lcc_line *lines = lbind_scratch(L, (size_t)(nlines ? nlines : 1) * sizeof *lines);
    double *users = lbind_scratch(L, (size_t)nopts * sizeof *users);
    double *pv = lbind_scratch(L, (size_t)(nlines ? nlines : 1) * sizeof *pv);
    cv_lcc_result *res = lbind_scratch(L, (size_t)nopts * sizeof *res);
    for (int i = 0; i < nlines; i++)
        checkline(L, 1, i, &lines[i]);
    for (int o = 0; o < nopts; o++) {
        if (lua_rawgeti(L, 2, o + 1) != LUA_TNUMBER)
            luaL_argerror(L, 2,
                          lua_pushfstring(L, "users of option %d: number expected, got %s", o + 1,
                                          luaL_typename(L, -1)));
        users[o] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop users[o] */
    }
    cv_error err;
    if (cv_lcc(lines, nlines, users, nopts, discount, (int)years, pv, res, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, nopts, 0);
    for (int o = 0; o < nopts; o++) {
        const cv_lcc_result *r = &res[o];
        lua_createtable(L, 0, 8);
        lbind_setnumber(L, "cost_nominal", r->cost_nominal);
        lbind_setnumber(L, "cost_pv", r->cost_pv);
        lbind_setnumber(L, "benefit_pv", r->benefit_pv);
        lbind_setnumber(L, "npv", r->npv);
        lbind_setnumber(L, "annuity", r->annuity);
        lbind_setnumber(L, "eac", r->eac);
        lbind_setnumber(L, "eac_per_user", r->eac_per_user);
        if (!isnan(r->payback))
            lbind_setnumber(L, "payback", r->payback);
        lua_rawseti(L, -2, o + 1); /* results[o + 1] = r */
    }
    lua_createtable(L, nlines, 0);
    for (int i = 0; i < nlines; i++) {
        lua_pushnumber(L, pv[i]);
        lua_rawseti(L, -2, i + 1); /* line_pv[i + 1] */
    }
    return 2;
}

static const luaL_Reg crm_funcs[] = {{"lcc", crm_lcc}, {NULL, NULL}};

int luaopen_cv_crmcost(lua_State *L)
{
    luaL_newlib(L, crm_funcs);
    return 1;
}
