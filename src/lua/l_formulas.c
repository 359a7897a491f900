/* The "cv.core.formula" module: the textbook formulas of src/core/formulas.c for Lua
   (descriptors, scalar evaluation, explain steps, column form). The friendly faces
   (cv.clv.simple{...}, cv.explain) are written in Lua on top: lua/cv/formula.lua and
   lua/cv/explain.lua. */
#include <string.h>

#include "cvkit/formulas.h"
#include "cvkit/summary.h"
#include "lbind.h"

static const char *const domain_names[] = {"any",  "nonneg", "positive", "unit",
                                           "rate", "count",  "period"};

/* The formula named by argument idx; raises for an unknown name. */
static const cv_formula *checkformula(lua_State *L, int idx)
{
    const char *name = lbind_checkstring(L, idx);
    const cv_formula *f = cv_formula_find(name);
    if (!f)
        luaL_error(L, "unknown formula '%s' (see cvkit explain --list)", name);
    return f;
}

/* Pushes the descriptor of f as a table {name, inputs = {{name, domain, optional,
   default, list, kind [, unit]}...}, steps = {{key, expr, percent, kind}...}} (kind: a name
   of cvkit/kind.h; a period input has none; unit: a count of periods' time unit, or the
   name of the input that holds it). */
static void push_info(lua_State *L, const cv_formula *f)
{
    lua_createtable(L, 0, 3);
    lua_pushstring(L, f->name);
    lua_setfield(L, -2, "name");
    lua_createtable(L, f->ninputs, 0);
    for (int i = 0; i < f->ninputs; i++) {
        const cv_formula_input *in = &f->inputs[i];
        lua_createtable(L, 0, 5);
        lua_pushstring(L, in->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, domain_names[in->domain]);
        lua_setfield(L, -2, "domain");
        lbind_setboolean(L, "optional", in->optional);
        if (in->optional) {
            lbind_setnumber(L, "default", in->def);
        }
        lbind_setboolean(L, "list", in->list);
        if (cv_kind_name(in->kind)) {
            lua_pushstring(L, cv_kind_name(in->kind));
            lua_setfield(L, -2, "kind");
        }
        if (in->unit) { /* a count of periods: its unit, or the input that names it */
            lua_pushstring(L, in->unit);
            lua_setfield(L, -2, "unit");
        }
        if (in->domain == CV_DOM_PERIOD) { /* choices = the unit names */
            lua_createtable(L, CV_UNIT_YEAR + 1, 0);
            for (int u = 0; u <= CV_UNIT_YEAR; u++) {
                lua_pushstring(L, cv_time_unit_name((cv_time_unit)u));
                lua_seti(L, -2, u + 1);
            }
            lua_setfield(L, -2, "choices");
        }
        lua_seti(L, -2, i + 1); /* inputs[i + 1] = input */
    }
    lua_setfield(L, -2, "inputs");
    lua_createtable(L, f->nsteps, 0);
    for (int k = 0; k < f->nsteps; k++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, f->steps[k].key);
        lua_setfield(L, -2, "key");
        lua_pushstring(L, f->steps[k].expr);
        lua_setfield(L, -2, "expr");
        lbind_setboolean(L, "percent",
                         f->steps[k].kind == CV_KIND_RATE || f->steps[k].kind == CV_KIND_SHARE);
        lua_pushstring(L, cv_kind_name(f->steps[k].kind));
        lua_setfield(L, -2, "kind");
        lua_seti(L, -2, k + 1); /* steps[k + 1] = step */
    }
    lua_setfield(L, -2, "steps");
}

/* Raises for a key of the table at idx that is not an input of f. */
static void check_keys(lua_State *L, int idx, const cv_formula *f)
{
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1); /* pop value, keep key */
        if (lua_type(L, -1) != LUA_TSTRING || cv_formula_input_index(f, lua_tostring(L, -1)) < 0) {
            const char *key = luaL_tolstring(L, -1, NULL);
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (int i = 0; i < f->ninputs; i++) {
                luaL_addstring(&b, i ? ", " : "");
                luaL_addstring(&b, f->inputs[i].name);
            }
            luaL_pushresult(&b);
            luaL_error(L, "%s: unknown input '%s' (inputs: %s)", f->name, key, lua_tostring(L, -1));
        }
    }
}

/* Reads the unit name at the top (a period input's value) into *x and pops it; raises
   naming the input for anything else (a column cannot hold a period). */
static void to_period(lua_State *L, const cv_formula *f, const cv_formula_input *in, double *x)
{
    cv_error err;
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "%s: input '%s' expects a time unit (day, week, month, year), got %s",
                   f->name, in->name, luaL_typename(L, -1));
    if (cv_formula_period(in, lua_tostring(L, -1), x, &err) != 0)
        lbind_error(L, &err);
    lua_pop(L, 1); /* pop the name */
}

/* Reads the inputs table at idx into x[] and the list input into scratch memory (*list,
 *nlist); raises naming the input when one is missing or not a number. */
static void read_inputs(lua_State *L, int idx, const cv_formula *f, double *x, double **list,
                        int *nlist)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    check_keys(L, idx, f);
    *list = NULL;
    *nlist = 0;
    for (int i = 0; i < f->ninputs; i++) {
        const cv_formula_input *in = &f->inputs[i];
        int t = lbind_rawfield(L, idx, in->name);
        if (t == LUA_TNIL && in->optional) {
            x[i] = in->def;
        } else if (t == LUA_TNIL) {
            luaL_error(L, "%s: missing input '%s'", f->name, in->name);
        } else if (in->domain == CV_DOM_PERIOD) {
            to_period(L, f, in, &x[i]);
            continue; /* popped */
        } else if (in->list && t == LUA_TTABLE) {
            lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
            if (n > CV_FORMULA_MAX_LIST)
                luaL_error(L, "%s: input '%s' has too many values", f->name, in->name);
            *nlist = (int)n;
            *list = lbind_scratch(L, (size_t)(n > 0 ? n : 1) * sizeof **list);
            lua_insert(L, -2); /* keep the scratch below the list table */
            for (lua_Integer k = 1; k <= n; k++) {
                if (lua_rawgeti(L, -1, k) != LUA_TNUMBER)
                    luaL_error(L, "%s: input '%s' value %d expects a number, got %s", f->name,
                               in->name, (int)k, luaL_typename(L, -1));
                (*list)[k - 1] = lua_tonumber(L, -1);
                lua_pop(L, 1); /* pop value */
            }
        } else if (t != LUA_TNUMBER || in->list) {
            luaL_error(L, "%s: input '%s' expects %s, got %s", f->name, in->name,
                       in->list ? "a list of numbers" : "a number", luaL_typename(L, -1));
        } else {
            x[i] = lua_tonumber(L, -1);
        }
        lua_pop(L, 1); /* pop field */
    }
}

/* formula.list() -> {info...}: every formula's descriptor, in catalogue order */
static int fml_list(lua_State *L)
{
    int n = cv_formula_count();
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        push_info(L, cv_formula_at(i));
        lua_seti(L, -2, i + 1); /* list[i + 1] = info */
    }
    return 1;
}

/* formula.info(name) -> info | nil */
static int fml_info(lua_State *L)
{
    const cv_formula *f = cv_formula_find(lbind_checkstring(L, 1));
    if (!f)
        return 0;
    push_info(L, f);
    return 1;
}

/* formula.eval(name, inputs) -> number */
static int fml_eval(lua_State *L)
{
    const cv_formula *f = checkformula(L, 1);
    double x[CV_FORMULA_MAX_INPUTS], *list, y;
    int nlist;
    cv_error err;
    read_inputs(L, 2, f, x, &list, &nlist);
    if (cv_formula_eval(f, x, list, nlist, &y, NULL, &err))
        return lbind_error(L, &err);
    lua_pushnumber(L, y);
    return 1;
}

/* formula.explain(name, inputs) -> {{key, expr, numeric, value, v, percent, kind}...} */
static int fml_explain(lua_State *L)
{
    const cv_formula *f = checkformula(L, 1);
    double x[CV_FORMULA_MAX_INPUTS], *list;
    int nlist, n;
    cv_formula_line *lines = lbind_scratch(L, CV_FORMULA_MAX_STEPS * sizeof *lines);
    cv_error err;
    read_inputs(L, 2, f, x, &list, &nlist);
    if (cv_formula_explain(f, x, list, nlist, lines, &n, &err))
        return lbind_error(L, &err);
    lua_createtable(L, n, 0);
    for (int k = 0; k < n; k++) {
        lua_createtable(L, 0, 6);
        lua_pushstring(L, lines[k].key);
        lua_setfield(L, -2, "key");
        lua_pushstring(L, lines[k].expr);
        lua_setfield(L, -2, "expr");
        lua_pushstring(L, lines[k].numeric);
        lua_setfield(L, -2, "numeric");
        lua_pushstring(L, lines[k].value);
        lua_setfield(L, -2, "value");
        lbind_setnumber(L, "v", lines[k].v);
        lbind_setboolean(L, "percent", lines[k].percent);
        lua_pushstring(L, cv_kind_name(lines[k].kind));
        lua_setfield(L, -2, "kind");
        lua_seti(L, -2, k + 1); /* lines[k + 1] = line */
    }
    return 1;
}

/* Sets *a from the Lua value at the top (a column name or a number) and pops it. */
static void to_arg(lua_State *L, const cv_formula *f, const char *input, cv_formula_arg *a)
{
    if (lua_type(L, -1) == LUA_TSTRING) {
        a->col = lbind_anchor(L, -1, NULL);
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
        a->col = NULL;
        a->value = lua_tonumber(L, -1);
    } else {
        luaL_error(L, "%s: input '%s' expects a column name or a number, got %s", f->name, input,
                   luaL_typename(L, -1));
    }
    lua_pop(L, 1); /* pop value */
}

/* formula.apply(t, name, mapping, out) -> Table: t with column out = the formula per row;
   mapping gives each input a column name or a constant (the list input: an array). */
static int fml_apply(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const cv_formula *f = checkformula(L, 2);
    const char *out = lbind_checkstring(L, 4);
    int li = cv_formula_list_index(f), nargs = 0;
    cv_formula_arg *args;
    cv_error err;
    luaL_checktype(L, 3, LUA_TTABLE);
    check_keys(L, 3, f);
    if (li >= 0 && lbind_rawfield(L, 3, f->inputs[li].name) == LUA_TTABLE)
        nargs = (int)lua_rawlen(L, -1);
    if (li >= 0)
        lua_pop(L, 1); /* pop list */
    if (nargs > CV_FORMULA_MAX_LIST)
        return luaL_error(L, "%s: too many list values", f->name);
    nargs += li >= 0 ? f->ninputs - 1 : f->ninputs;
    args = lbind_scratch(L, (size_t)(nargs > 0 ? nargs : 1) * sizeof *args);
    for (int i = 0, a = 0; i < f->ninputs; i++) {
        const cv_formula_input *in = &f->inputs[i];
        int t3 = lbind_rawfield(L, 3, in->name);
        if (in->list && t3 == LUA_TTABLE) {
            for (lua_Integer k = 1; a < nargs; k++) {
                lua_rawgeti(L, -1, k);
                to_arg(L, f, in->name, &args[a++]);
            }
            lua_pop(L, 1); /* pop list */
        } else if (in->list || (t3 == LUA_TNIL && !in->optional)) {
            return luaL_error(L, "%s: missing input '%s'%s", f->name, in->name,
                              in->list ? " (an array of column names or numbers)" : "");
        } else if (t3 == LUA_TNIL) {
            lua_pop(L, 1); /* pop nil */
            args[a].col = NULL;
            args[a++].value = in->def;
        } else if (in->domain == CV_DOM_PERIOD) { /* a unit name, never a column */
            args[a].col = NULL;
            to_period(L, f, in, &args[a++].value);
        } else {
            to_arg(L, f, in->name, &args[a++]);
        }
    }
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_formula_apply(t, f, args, nargs, out, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* formula.format_number(x) -> string: "2,000", "266.67", "0.085" */
static int fml_format_number(lua_State *L)
{
    char buf[600];
    cv_formula_format_number(luaL_checknumber(L, 1), buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

/* formula.format_value(x [, kind]) -> string by kind, as explain shows it: money "2,000.00",
   rate "10%", count "1,000" (cv_formula_format_value); no kind: format_number. */
static int fml_format_value(lua_State *L)
{
    static const char *const kinds[] = {"number", "money", "share", "count", "rate", NULL};
    static const cv_kind values[] = {CV_KIND_NUMBER, CV_KIND_MONEY, CV_KIND_SHARE, CV_KIND_COUNT,
                                     CV_KIND_RATE};
    char buf[600];
    cv_kind k = values[luaL_checkoption(L, 2, "number", kinds)];
    cv_formula_format_value(luaL_checknumber(L, 1), k, buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

int luaopen_cv_formula(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"list", fml_list},
                                     {"info", fml_info},
                                     {"eval", fml_eval},
                                     {"explain", fml_explain},
                                     {"apply", fml_apply},
                                     {"format_number", fml_format_number},
                                     {"format_value", fml_format_value},
                                     {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
