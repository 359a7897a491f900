/* cvkit Lua module "cv.core.intervals": intervals on the models' predictions (asymptotic
   draws or the bootstrap with refits). Thin: the work is the core's (src/core/interval.c,
   model_interval.c); lua/cv/fit.lua adds the options interval, method, draws, seed to the
   model's prediction methods. */
#include <math.h>
#include <string.h>

#include "cvkit/intervals.h"
#include "lbind.h"

#define FN "intervals"

/* The whole number opts[field] of the options at idx (def when absent); a float that is not
   a whole number within the integers' range raises. */
static lua_Integer optinteger(lua_State *L, int idx, const char *field, lua_Integer def)
{
    int isint;
    lua_Integer v;
    if (!lbind_opt_field(L, idx, field, LUA_TNUMBER, FN))
        return def;
    v = lua_tointegerx(L, -1, &isint);
    if (!isint)
        lbind_opt_error(L, field, FN,
                        lua_pushfstring(L, "integer expected, got %f", lua_tonumber(L, -1)));
    lua_pop(L, 1); /* pop value */
    return v;
}

/* A fit's covariates: the design and each coefficient's column of the table asked about. */
typedef struct {
    cv_cov_spec spec;
    unsigned proc[CV_INTERVAL_MAXP];
    const double *z[CV_INTERVAL_MAXP];
    const char *names[CV_INTERVAL_MAXP];
    const char *cols[CV_INTERVAL_MAXP]; /* each coefficient's column (the bootstrap's data) */
} ivdesign;

/* The design of the fit at idx, field design = {{column =, proc = "trans" | "life" | "both" |
   "spend", name =}, ...} (cv.covariates' design), its columns read from s (left on the
   stack until the binding returns) into ds; 0 coefficients when absent. */
static void readdesign(lua_State *L, int idx, const cv_table *s, ivdesign *ds)
{
    size_t n, c, k;
    int dt;
    cv_error err;
    memset(ds, 0, sizeof *ds);
    if (!lbind_opt_field(L, idx, "design", LUA_TTABLE, FN))
        return;
    if (!s) {
        lbind_opt_error(L, "design", FN, "a spend model without covariates expected");
        return;
    }
    n = (size_t)s->nrows;
    k = (size_t)lua_rawlen(L, -1);
    if (k > CV_INTERVAL_MAXP)
        lbind_opt_error(L, "design", FN, "too many coefficients");
    luaL_checkstack(L, (int)k + 4, "intervals: design");
    dt = lua_gettop(L);
    for (c = 0; c < k; c++) {
        const char *proc;
        double *z;
        int d = lua_gettop(L);
        if (lua_rawgeti(L, dt, (lua_Integer)c + 1) != LUA_TTABLE ||
            lbind_rawfield(L, d + 1, "column") != LUA_TSTRING ||
            lbind_rawfield(L, d + 1, "proc") != LUA_TSTRING)
            lbind_opt_error(
                L, "design", FN,
                lua_pushfstring(L, "element %d: {column =, proc =} expected", (int)c + 1));
        proc = lua_tostring(L, d + 3);
        ds->proc[c] =
            strcmp(proc, "trans") == 0  ? CV_COV_TRANS
            : strcmp(proc, "life") == 0 ? CV_COV_LIFE
            : strcmp(proc, "both") == 0 ? CV_COV_TRANS | CV_COV_LIFE
            : strcmp(proc, "spend") == 0
                ? CV_COV_SPEND
                : (unsigned)lbind_opt_error(
                      L, "design", FN,
                      lua_pushfstring(L, "element %d: invalid process '%s'", (int)c + 1, proc));
        ds->names[c] =
            lbind_rawfield(L, d + 1, "name") == LUA_TSTRING ? lua_tostring(L, -1) : "coef";
        z = lbind_scratch(L, sizeof(double) * (n ? n : 1));
        if (cv_cov_column(s, lua_tostring(L, d + 2), z, &err) != 0)
            lbind_error(L, &err);
        ds->z[c] = z, ds->cols[c] = lua_tostring(L, d + 2);
        /* the scratch stays; the strings live in the design, kept below it */
        lua_rotate(L, d + 1, 1);
        lua_pop(L, 4); /* pop the entry, column, proc, name */
    }
    ds->spec.ncoef = k, ds->spec.proc = ds->proc, ds->spec.z = ds->z;
}

/* Reads the fit at idx ({model =, params = {...}, cov_log = {...} or nil, data = Table or
   nil, cols = {x =, t_x =, T =, m =, weight =}, design = {...} or nil}) into f, its
   covariates' columns from s; p (CV_INTERVAL_MAXP) and cov (CV_INTERVAL_MAXP^2) hold its
   numbers. A nil argument leaves f->model NULL. */
static void readfit(lua_State *L, int idx, const cv_table *s, cv_iv_fit *f, double *p, double *cov,
                    ivdesign *ds)
{
    int i, k;
    memset(f, 0, sizeof *f);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    f->model = cv_model_find(lbind_opt_string(L, idx, "model", FN, ""));
    luaL_argcheck(L, f->model != NULL, idx, "unknown model");
    readdesign(L, idx, s, ds);
    if (ds->spec.ncoef > 0) {
        if (f->model->nparams + (int)ds->spec.ncoef > CV_INTERVAL_MAXP)
            lbind_opt_error(L, "design", FN, "too many coefficients");
        f->cov = &ds->spec, f->cov_names = ds->names, f->cov_cols = ds->cols;
    }
    k = f->model->nparams + (int)ds->spec.ncoef;
    luaL_argcheck(L, lbind_opt_field(L, idx, "params", LUA_TTABLE, FN), idx, "params expected");
    for (i = 0; i < k; i++, lua_pop(L, 1))
        p[i] = lua_rawgeti(L, -1, i + 1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 1); /* pop params */
    f->p = p;
    if (lbind_opt_field(L, idx, "cov_log", LUA_TTABLE, FN)) {
        for (i = 0; i < k * k; i++, lua_pop(L, 1))
            cov[i] = lua_rawgeti(L, -1, i + 1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
        lua_pop(L, 1); /* pop cov_log */
        f->cov_log = cov;
    }
    if (lbind_rawfield(L, idx, "data") != LUA_TNIL) { /* errors name the fit's argument */
        int d = lua_gettop(L);
        cv_table **slot = luaL_testudata(L, d, CV_TABLE_MT);
        if (!slot) {
            luaL_argerror(
                L, idx, lua_pushfstring(L, "data: cv.Table expected, got %s", luaL_typename(L, d)));
        } else {
            lbind_pin(L, d); /* until the binding returns; may run a finalizer: check after */
            if (*slot == NULL)
                luaL_argerror(L, idx, "data: attempt to use a closed table");
            f->data = *slot;
        }
    }
    if (lbind_opt_field(L, idx, "cols", LUA_TTABLE, FN)) {
        int c = lua_gettop(L);
        f->cols.x = lbind_opt_string(L, c, "x", FN, NULL);
        f->cols.t_x = lbind_opt_string(L, c, "t_x", FN, NULL);
        f->cols.T = lbind_opt_string(L, c, "T", FN, NULL);
        f->cols.m = lbind_opt_string(L, c, "m", FN, NULL);
        f->cols.w = lbind_opt_string(L, c, "weight", FN, NULL);
    }
}

void lbind_iv_fit(lua_State *L, int idx, cv_iv_fit *f, double *p, double *cov)
{
    ivdesign ds; /* none: readdesign refuses one without a table */
    readfit(L, idx, NULL, f, p, cov, &ds);
}

static void pushlohi(lua_State *L, const char *name, double est, double lo, double hi)
{
    lua_createtable(L, 0, 4);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    lbind_setnumber(L, "estimate", est);
    lbind_setnumber(L, "lo", lo);
    lbind_setnumber(L, "hi", hi);
}

/* intervals.run(tx_fit | nil, spend_fit | nil, Table, {kinds = {"p_alive", ...}, horizon =,
   delta =, clv_horizon =, clv_rate =, clv_factor =, method =, level =, draws =, seed =, x =,
   t_x =, T =, m =, weight =}) -> Table (with <kind>_lo, <kind>_hi), {{name =, estimate =,
   lo =, hi =}, ...} (the totals of the kinds asked, in their order), the same of the
   parameters, {draws =, used =} */
static int iv_run(lua_State *L)
{
    static const char *const methods[] = {"asymptotic", "bootstrap", NULL};
    double c1[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP], c2[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP];
    double p1[CV_INTERVAL_MAXP], p2[CV_INTERVAL_MAXP]; /* any model: the core checks */
    ivdesign d1, d2;
    cv_model_interval_spec spec;
    cv_interval_options o;
    cv_model_interval_totals tot;
    cv_model_cols cols;
    cv_error err;
    int i, j = 0;
    lua_Integer draws;
    memset(&spec, 0, sizeof spec);
    const cv_table *s = lbind_checktable(L, 3);
    readfit(L, 1, s, &spec.tx, p1, c1, &d1);
    readfit(L, 2, s, &spec.spend, p2, c2, &d2);
    luaL_checktype(L, 4, LUA_TTABLE);
    if (lbind_opt_field(L, 4, "kinds", LUA_TTABLE, FN)) {
        int n = (int)lua_rawlen(L, -1); /* every element a known kind: none dropped */
        for (i = 1; i <= n; i++, lua_pop(L, 1)) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                lbind_opt_error(L, "kinds", FN,
                                lua_pushfstring(L, "element %d: string expected, got %s", i,
                                                luaL_typename(L, -1)));
            for (j = 0; j < CV_IV_KINDS && strcmp(lua_tostring(L, -1), cv_iv_name(j)) != 0; j++)
                ;
            if (j == CV_IV_KINDS)
                lbind_opt_error(L, "kinds", FN,
                                lua_pushfstring(L, "unknown kind '%s'", lua_tostring(L, -1)));
            spec.kinds |= 1u << j;
        }
        lua_pop(L, 1); /* pop kinds */
    }
    spec.horizon = lbind_opt_number(L, 4, "horizon", FN, 0);
    spec.delta = lbind_opt_number(L, 4, "delta", FN, 0);
    spec.clv_horizon = lbind_opt_number(L, 4, "clv_horizon", FN, HUGE_VAL);
    spec.clv_rate = lbind_opt_number(L, 4, "clv_rate", FN, 0);
    spec.clv_factor = lbind_opt_string(L, 4, "clv_factor", FN, NULL);
    cols.x = lbind_opt_string(L, 4, "x", FN, NULL);
    cols.t_x = lbind_opt_string(L, 4, "t_x", FN, NULL);
    cols.T = lbind_opt_string(L, 4, "T", FN, NULL);
    cols.m = lbind_opt_string(L, 4, "m", FN, NULL);
    cols.w = lbind_opt_string(L, 4, "weight", FN, NULL);
    o.method = lbind_opt_option(L, 4, "method", FN, 0, methods);
    o.level = lbind_opt_number(L, 4, "level", FN, 0.9);
    draws = optinteger(L, 4, "draws", 1000); /* integers: no conversion out of range */
    o.draws = draws < 0 ? 0 : (size_t)draws;
    o.seed = (uint64_t)optinteger(L, 4, "seed", 1);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_intervals(&spec, s, &cols, &o, &tot, &err)) == NULL)
        return lbind_error(L, &err);
    lua_createtable(L, CV_IV_KINDS, 0);
    for (i = 0, j = 0; i < CV_IV_KINDS; i++)
        if (spec.kinds & (1u << i)) {
            pushlohi(L, cv_iv_name(i), tot.est[i], tot.lo[i], tot.hi[i]);
            lua_seti(L, -2, ++j);
        }
    lua_createtable(L, tot.np, 0);
    for (i = 0; i < tot.np; i++) {
        pushlohi(L, tot.names[i], tot.p_est[i], tot.p_lo[i], tot.p_hi[i]);
        lua_seti(L, -2, i + 1);
    }
    lua_createtable(L, 0, 2);
    lbind_setinteger(L, "draws", (lua_Integer)tot.draws);
    lbind_setinteger(L, "used", (lua_Integer)tot.used);
    return 4;
}

static const luaL_Reg iv_funcs[] = {{"run", iv_run}, {NULL, NULL}};

int luaopen_cv_intervals(lua_State *L)
{
    luaL_newlib(L, iv_funcs);
    return 1;
}
