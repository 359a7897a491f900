/* cvkit Lua module "cv.core.diagnostics": the numbers of a fitted model's diagnostics
   (include/cvkit/diagnostics.h). Thin: lua/cv/diagnostics.lua builds the tables, charts and
   the report section from them. Results are plain Lua arrays. */
#include <math.h>
#include <string.h>

#include "cvkit/diagnostics.h"
#include "lbind.h"

/* The model named by argument idx (a name of the registry; lua/cv/fit.lua checked it). */
static const cv_model *checkmodel(lua_State *L, int idx)
{
    const char *name = lbind_checkstring(L, idx);
    const cv_model *m = cv_model_find(name);
    if (!m)
        luaL_argerror(L, idx, lua_pushfstring(L, "unknown model '%s'", name));
    return m;
}

/* Reads the parameter array at idx (the model's nparams numbers) into p. */
static void checkparams(lua_State *L, int idx, const cv_model *m, double *p)
{
    int i;
    luaL_checktype(L, idx, LUA_TTABLE);
    for (i = 0; i < m->nparams; i++) {
        if (lua_rawgeti(L, idx, i + 1) != LUA_TNUMBER)
            luaL_argerror(
                L, idx, lua_pushfstring(L, "parameter %d of %s must be a number", i + 1, m->name));
        p[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the value */
    }
}

/* Reads the array of numbers at idx into scratch memory (pushed on the stack); *n its
   length. field (not NULL): the array is that field of the options of fname, named in the
   error instead of the stack index. */
static double *checkarray(lua_State *L, int idx, size_t *n, const char *field, const char *fname)
{
    size_t i, k;
    double *v;
    luaL_checktype(L, idx, LUA_TTABLE);
    k = (size_t)lua_rawlen(L, idx);
    v = lbind_scratch(L, sizeof(double) * (k ? k : 1));
    for (i = 0; i < k; i++) {
        if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TNUMBER) {
            const char *why = lua_pushfstring(L, "element %d must be a number", (int)i + 1);
            if (field)
                lbind_opt_error(L, field, fname, why);
            luaL_argerror(L, idx, why);
        }
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the element */
    }
    *n = k;
    return v;
}

/* Pushes the n numbers of v as an array (NaN as nil would end it: kept as NaN). */
static void pusharray(lua_State *L, const double *v, size_t n)
{
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* The number opts[field] of the options at idx (def when absent) as an int, raising "why"
   against argument idx unless it lies in lo..hi (checked before the conversion). */
static int optint(lua_State *L, int idx, const char *field, const char *fname, double def, int lo,
                  int hi, const char *why)
{
    double v = lbind_opt_number(L, idx, field, fname, def);
    luaL_argcheck(L, v >= lo && v <= hi, idx, why);
    return (int)v;
}

/* Column names from the options at idx (x, t_x, T, m, weight). */
static void checkcols(lua_State *L, int idx, const char *fname, cv_model_cols *c)
{
    c->x = lbind_opt_string(L, idx, "x", fname, NULL);
    c->t_x = lbind_opt_string(L, idx, "t_x", fname, NULL);
    c->T = lbind_opt_string(L, idx, "T", fname, NULL);
    c->m = lbind_opt_string(L, idx, "m", fname, NULL);
    c->w = lbind_opt_string(L, idx, "weight", fname, NULL);
}

/* diagnostics.histogram(name, params, Table, {max_x = 7, cols...}) -> expected, actual
   (arrays of max_x + 1: counts 0 .. max_x - 1, then max_x or more) */
static int dg_histogram(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], *e;
    const cv_table *s = lbind_checktable(L, 3);
    cv_model_cols cols;
    cv_error err;
    int k;
    checkparams(L, 2, m, p);
    luaL_checktype(L, 4, LUA_TTABLE);
    checkcols(L, 4, "histogram", &cols);
    k = optint(L, 4, "max_x", "histogram", 7, 1, 1000, "max_x must lie in 1..1000");
    e = lbind_scratch(L, sizeof(double) * 2 * ((size_t)k + 1));
    if (cv_diag_histogram_table(m, p, s, &cols, k, e, e + k + 1, &err) != 0)
        return lbind_error(L, &err);
    pusharray(L, e, (size_t)k + 1);
    pusharray(L, e + k + 1, (size_t)k + 1);
    return 2;
}

/* diagnostics.holdout(name, params, Table, {horizon =, by = "frequency" | "recency",
   groups = 8, holdout = "x_holdout", cols...}) -> {lo, hi, customers, actual, expected}
   (arrays of groups; actual and expected are sums) */
static int dg_holdout(lua_State *L)
{
    static const char *const bys[] = {"frequency", "recency", NULL};
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], *v, t;
    const cv_table *s = lbind_checktable(L, 3);
    cv_model_cols cols;
    cv_error err;
    int g, by, j;
    static const char *const names[5] = {"lo", "hi", "customers", "actual", "expected"};
    checkparams(L, 2, m, p);
    luaL_checktype(L, 4, LUA_TTABLE);
    checkcols(L, 4, "holdout", &cols);
    t = lbind_opt_number(L, 4, "horizon", "holdout", NAN);
    g = optint(L, 4, "groups", "holdout", 8, 2, 1000, "groups must lie in 2..1000");
    by = lbind_opt_option(L, 4, "by", "holdout", 0, bys);
    const char *holdout = lbind_opt_string(L, 4, "holdout", "holdout", NULL);
    v = lbind_scratch(L, sizeof(double) * 5 * (size_t)g);
    if (cv_diag_holdout_table(m, p, s, &cols, holdout, t, (cv_diag_by)by, g, v, v + g, v + 2 * g,
                              v + 3 * g, v + 4 * g, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 5);
    for (j = 0; j < 5; j++) {
        pusharray(L, v + (size_t)j * (size_t)g, (size_t)g);
        lua_setfield(L, -2, names[j]);
    }
    return 1;
}

/* diagnostics.matrix(name, params, "p_alive" | "conditional", T, nx, nr [, horizon])
   -> x, t_x, z = {{row for x[1]}, ...} (NaN where a cell cannot occur) */
static int dg_matrix(lua_State *L)
{
    static const char *const kinds[] = {"p_alive", "conditional", NULL};
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], *xs, *txs, *z;
    int kind = luaL_checkoption(L, 3, NULL, kinds), i;
    double T = luaL_checknumber(L, 4);
    lua_Integer nx = luaL_checkinteger(L, 5), nr = luaL_checkinteger(L, 6);
    double arg = luaL_optnumber(L, 7, 0);
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_argcheck(L, nx >= 1 && nx <= 1000, 5, "1..1000 expected");
    luaL_argcheck(L, nr >= 1 && nr <= 1000, 6, "1..1000 expected");
    xs = lbind_scratch(L, sizeof(double) * (size_t)(nx + nr + nx * nr));
    txs = xs + nx, z = txs + nr;
    if (cv_diag_matrix(m, p, kind ? CV_PRED_CONDITIONAL : CV_PRED_P_ALIVE, T, (int)nx, (int)nr, arg,
                       xs, txs, z, &err) != 0)
        return lbind_error(L, &err);
    pusharray(L, xs, (size_t)nx);
    pusharray(L, txs, (size_t)nr);
    lua_createtable(L, (int)nx, 0);
    for (i = 0; i < nx; i++) {
        pusharray(L, z + (size_t)i * (size_t)nr, (size_t)nr);
        lua_rawseti(L, -2, i + 1);
    }
    return 3;
}

/* diagnostics.mixings(name, params) -> {{name =, family = "gamma" | "beta", a =, b =,
   mean =, sd =}, ...} */
static int dg_mixings(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP];
    cv_diag_mixing mx[2];
    int i, k;
    checkparams(L, 2, m, p);
    k = cv_diag_mixings(m, p, mx);
    lua_createtable(L, k, 0);
    for (i = 0; i < k; i++) {
        lua_createtable(L, 0, 6);
        lua_pushstring(L, mx[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, mx[i].beta ? "beta" : "gamma");
        lua_setfield(L, -2, "family");
        lbind_setnumber(L, "a", mx[i].a);
        lbind_setnumber(L, "b", mx[i].b);
        lbind_setnumber(L, "mean", mx[i].mean);
        lbind_setnumber(L, "sd", mx[i].sd);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* diagnostics.density("gamma" | "beta", a, b, {v...}) -> {density...} (gamma: shape a,
   rate b) */
static int dg_density(lua_State *L)
{
    static const char *const fams[] = {"gamma", "beta", NULL};
    cv_diag_mixing mx;
    size_t n, i;
    double *v, *out;
    memset(&mx, 0, sizeof mx);
    mx.beta = luaL_checkoption(L, 1, NULL, fams);
    mx.a = luaL_checknumber(L, 2);
    mx.b = luaL_checknumber(L, 3);
    luaL_argcheck(L, mx.a > 0, 2, "positive parameters expected");
    luaL_argcheck(L, mx.b > 0, 3, "positive parameters expected");
    v = checkarray(L, 4, &n, NULL, NULL);
    out = lbind_scratch(L, sizeof(double) * (n ? n : 1));
    for (i = 0; i < n; i++)
        out[i] = cv_diag_density(&mx, v[i]);
    pusharray(L, out, n);
    return 1;
}

/* diagnostics.spend(params, Table, {cuts = {...}, x =, m =, weight =}) -> expected,
   actual (arrays of #cuts + 1 bins) */
static int dg_spend(lua_State *L)
{
    double p[CV_MODEL_MAXP], *cuts, *e;
    const cv_table *s = lbind_checktable(L, 2);
    cv_model_cols cols;
    cv_error err;
    size_t nc;
    checkparams(L, 1, &cv_model_gamma_gamma, p);
    luaL_checktype(L, 3, LUA_TTABLE);
    checkcols(L, 3, "spend", &cols);
    if (!lbind_opt_field(L, 3, "cuts", LUA_TTABLE, "spend"))
        lbind_opt_error(L, "cuts", "spend", "table expected, got nil");
    cuts = checkarray(L, lua_gettop(L), &nc, "cuts", "spend");
    e = lbind_scratch(L, sizeof(double) * 2 * (nc + 1));
    if (cv_diag_spend_table(p, s, &cols, cuts, (int)nc + 1, e, e + nc + 1, &err) != 0)
        return lbind_error(L, &err);
    pusharray(L, e, nc + 1);
    pusharray(L, e + nc + 1, nc + 1);
    return 2;
}

/* diagnostics.palive_path(name, params, {purchase times...}, {times...}) -> {P(alive)...} */
static int dg_palive_path(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], *purch, *t, *out;
    size_t k, n;
    cv_error err;
    lbind_frame(L); /* argument 4 is read after the scratch of argument 3 is pushed */
    checkparams(L, 2, m, p);
    purch = checkarray(L, 3, &k, NULL, NULL);
    t = checkarray(L, 4, &n, NULL, NULL);
    out = lbind_scratch(L, sizeof(double) * (n ? n : 1));
    if (cv_diag_palive_path(m, p, purch, k, t, n, out, &err) != 0)
        return lbind_error(L, &err);
    pusharray(L, out, n);
    return 1;
}

static const luaL_Reg dg_funcs[] = {{"histogram", dg_histogram},     {"holdout", dg_holdout},
                                    {"matrix", dg_matrix},           {"mixings", dg_mixings},
                                    {"density", dg_density},         {"spend", dg_spend},
                                    {"palive_path", dg_palive_path}, {NULL, NULL}};

int luaopen_cv_diagnostics(lua_State *L)
{
    luaL_newlib(L, dg_funcs);
    return 1;
}
