/* The "cv.core.decision" module: relevant costs and the differential analysis of options
   (src/core/decision.c) for Lua. The friendly face with words and explain tables is
   lua/cv/decision.lua. */
#include "cvkit/decision.h"
#include "lbind.h"

/* The string at position i of the array at idx (raw), anchored until the binding returns
   (a number is converted to a new string, which nothing else holds); raises naming what.
   The binding's frame must be set up (lbind_frame). */
static const char *rawstring(lua_State *L, int idx, int i, const char *what)
{
    lua_rawgeti(L, idx, i);
    const char *s = lbind_anchor(L, -1, NULL);
    if (!s)
        luaL_error(L, "bad %s #%d (string expected, got %s)", what, i, luaL_typename(L, -1));
    lua_pop(L, 1); /* pop it: the frame's anchors keep it alive */
    return s;
}

/* The number at position i of the array at idx (raw); raises naming what. */
static double rawnumber(lua_State *L, int idx, int i, const char *what)
{
    lua_rawgeti(L, idx, i);
    int isnum;
    double v = lua_tonumberx(L, -1, &isnum);
    if (!isnum)
        luaL_error(L, "bad %s #%d (number expected, got %s)", what, i, luaL_typename(L, -1));
    lua_pop(L, 1); /* pop it */
    return v;
}

/* classify(names, amounts, props) -> verdicts, totals: three arrays of the same length
   (props: integers of CV_COST_* flags); verdicts[i] = {relevant =, term =, terms = {...}},
   totals = {relevant =, irrelevant =, nrelevant =, nirrelevant =}. */
static int dec_classify(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lbind_frame(L); /* the anchors of the names; after the checks, which name "no value" */
    int n = (int)lua_rawlen(L, 1);
    cv_cost_item *items = lbind_scratch(L, (size_t)(n ? n : 1) * sizeof *items);
    cv_cost_verdict *v = lbind_scratch(L, (size_t)(n ? n : 1) * sizeof *v);
    for (int i = 0; i < n; i++) {
        items[i].name = rawstring(L, 1, i + 1, "cost item name");
        items[i].amount = rawnumber(L, 2, i + 1, "cost item amount");
        double props = rawnumber(L, 3, i + 1, "cost item properties");
        if (!(props >= 0 && props <= 0xffff && props == (unsigned)props)) /* no cast out of range */
            luaL_error(L, "bad cost item properties #%d (CV_COST_* flags expected, got %f)", i + 1,
                       props);
        items[i].props = (unsigned)props;
    }
    cv_cost_totals tot;
    cv_error err;
    if (cv_decision_classify(items, n, v, &tot, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        lbind_setboolean(L, "relevant", v[i].relevant);
        lua_pushstring(L, cv_cost_term_name(v[i].term));
        lua_setfield(L, -2, "term");
        lua_newtable(L);
        for (int t = 0, k = 0; t < CV_TERM_COUNT; t++)
            if (v[i].terms & (1u << t)) {
                lua_pushstring(L, cv_cost_term_name((cv_cost_term)t));
                lua_seti(L, -2, ++k);
            }
        lua_setfield(L, -2, "terms");
        lua_seti(L, -2, i + 1); /* verdicts[i + 1] = verdict */
    }
    lua_createtable(L, 0, 4);
    lbind_setnumber(L, "relevant", tot.relevant);
    lbind_setnumber(L, "irrelevant", tot.irrelevant);
    lbind_setinteger(L, "nrelevant", tot.nrelevant);
    lbind_setinteger(L, "nirrelevant", tot.nirrelevant);
    return 2;
}

/* compare(names, revenue, amounts, nopt [, tol]) -> result: names and revenue (booleans)
   per line, amounts[i] the nopt amounts of line i; result = {profit = {...}, diff =
   {{...}...}, differs = {...}, equal = {...}, best =, nbest =, second =, margin =}
   (option indexes 1-based; second nil when every option ties). */
static int dec_compare(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer nopts = luaL_checkinteger(L, 4);
    double tol = luaL_optnumber(L, 5, 0);
    lbind_frame(L); /* the anchors of the names; after the checks, which name "no value" */
    int n = (int)lua_rawlen(L, 1);
    luaL_argcheck(L, nopts >= 0 && nopts <= 10000, 4, "0..10000 options expected");
    int nopt = (int)nopts; /* checked before the cast */
    size_t cells = (size_t)(n ? n : 1) * (size_t)(nopt ? nopt : 1);
    cv_decision_line *lines = lbind_scratch(L, (size_t)(n ? n : 1) * sizeof *lines);
    double *amounts = lbind_scratch(L, cells * sizeof *amounts);
    double *diff = lbind_scratch(L, cells * sizeof *diff);
    double *profit = lbind_scratch(L, (size_t)(nopt ? nopt : 1) * sizeof *profit);
    int *differs = lbind_scratch(L, (size_t)(n ? n : 1) * sizeof *differs);
    int *equal = lbind_scratch(L, (size_t)(nopt ? nopt : 1) * sizeof *equal);
    for (int i = 0; i < n; i++) {
        lines[i].name = rawstring(L, 1, i + 1, "line name");
        lua_rawgeti(L, 2, i + 1);
        lines[i].revenue = lua_toboolean(L, -1);
        lua_pop(L, 1); /* pop flag */
        lua_rawgeti(L, 3, i + 1);
        if (!lua_istable(L, -1)) /* named by the line's own type, not argument 3's */
            luaL_argerror(
                L, 3,
                lua_pushfstring(L, "amounts as tables expected, got %s", luaL_typename(L, -1)));
        for (int k = 0; k < nopt; k++)
            amounts[(size_t)i * nopt + k] = rawnumber(L, lua_gettop(L), k + 1, "amount");
        lua_pop(L, 1); /* pop amounts of line i */
        lines[i].amounts = amounts + (size_t)i * nopt;
    }
    cv_decision_result r;
    cv_error err;
    if (cv_decision_compare(lines, n, nopt, tol, profit, diff, differs, equal, &r, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 8);
    lua_createtable(L, nopt, 0);
    for (int k = 0; k < nopt; k++) {
        lua_pushnumber(L, profit[k]);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "profit");
    lua_createtable(L, nopt, 0);
    for (int k = 0; k < nopt; k++) {
        lua_pushboolean(L, equal[k]);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "equal");
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_createtable(L, nopt, 0);
        for (int k = 0; k < nopt; k++) {
            lua_pushnumber(L, diff[(size_t)i * nopt + k]);
            lua_seti(L, -2, k + 1);
        }
        lua_seti(L, -2, i + 1); /* diff[i + 1] = the line's differences */
    }
    lua_setfield(L, -2, "diff");
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushboolean(L, differs[i]);
        lua_seti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "differs");
    lbind_setinteger(L, "best", r.best + 1);
    lbind_setinteger(L, "nbest", r.nbest);
    if (r.second >= 0)
        lbind_setinteger(L, "second", r.second + 1);
    lbind_setnumber(L, "margin", r.margin);
    return 1;
}

static const luaL_Reg dec_funcs[] = {
    {"classify", dec_classify}, {"compare", dec_compare}, {NULL, NULL}};

/* The module, with PROPS = {differs = 1, opportunity = 2, ...}: the flags by name. */
int luaopen_cv_decision(lua_State *L)
{
    static const struct {
        const char *name;
        unsigned flag;
    } props[] = {{"differs", CV_COST_DIFFERS},
                 {"opportunity", CV_COST_OPPORTUNITY},
                 {"out_of_pocket", CV_COST_CASH},
                 {"replacement", CV_COST_REPLACEMENT},
                 {"marginal", CV_COST_MARGINAL},
                 {"avoidable", CV_COST_AVOIDABLE},
                 {"deferrable", CV_COST_DEFERRABLE},
                 {"specific", CV_COST_SPECIFIC},
                 {"sunk", CV_COST_INCURRED},
                 {"common", CV_COST_COMMON},
                 {"joint", CV_COST_JOINT},
                 {"unavoidable", CV_COST_UNAVOIDABLE},
                 {"nondeferrable", CV_COST_NONDEFERRABLE},
                 {"same", CV_COST_SAME}};
    luaL_newlib(L, dec_funcs);
    lua_createtable(L, 0, (int)(sizeof props / sizeof props[0]));
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
        lbind_setinteger(L, props[i].name, props[i].flag);
    lua_setfield(L, -2, "PROPS");
    return 1;
}
