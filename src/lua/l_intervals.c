/* cvkit Lua module "cv.core.intervals": intervals on the models' predictions (asymptotic
   draws or the bootstrap with refits). Thin: the work is the core's (src/core/interval.c,
   model_interval.c); lua/cv/fit.lua adds the options interval, method, draws, seed to the
   model's prediction methods. */
#include <math.h>
#include <string.h>

#include "cvkit/intervals.h"
#include "lbind.h"

#define FN "intervals"

/* Reads the fit at idx ({model =, params = {...}, cov_log = {...} or nil, data = Table or
   nil, cols = {x =, t_x =, T =, m =, weight =}}) into f; p and cov hold its numbers. A nil
   argument leaves f->model NULL. */
static void readfit(lua_State *L, int idx, cv_iv_fit *f, double *p, double *cov)
{
    int i, k;
    memset(f, 0, sizeof *f);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    f->model = cv_model_find(lbind_opt_string(L, idx, "model", FN, ""));
    luaL_argcheck(L, f->model != NULL, idx, "unknown model");
    k = f->model->nparams;
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
    if (lbind_rawfield(L, idx, "data") != LUA_TNIL)
        f->data = lbind_checktable(L, lua_gettop(L)); /* pinned until the binding returns */
    if (lbind_opt_field(L, idx, "cols", LUA_TTABLE, FN)) {
        int c = lua_gettop(L);
        f->cols.x = lbind_opt_string(L, c, "x", FN, NULL);
        f->cols.t_x = lbind_opt_string(L, c, "t_x", FN, NULL);
        f->cols.T = lbind_opt_string(L, c, "T", FN, NULL);
        f->cols.m = lbind_opt_string(L, c, "m", FN, NULL);
        f->cols.w = lbind_opt_string(L, c, "weight", FN, NULL);
    }
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
    double p1[CV_MODEL_MAXP], c1[CV_MODEL_MAXP * CV_MODEL_MAXP], p2[3], c2[9];
    cv_model_interval_spec spec;
    cv_interval_options o;
    cv_model_interval_totals tot;
    cv_model_cols cols;
    cv_error err;
    int i, j = 0;
    memset(&spec, 0, sizeof spec);
    readfit(L, 1, &spec.tx, p1, c1);
    readfit(L, 2, &spec.spend, p2, c2);
    const cv_table *s = lbind_checktable(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    if (lbind_opt_field(L, 4, "kinds", LUA_TTABLE, FN)) {
        for (i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++, lua_pop(L, 1))
            for (j = 0; j < CV_IV_KINDS; j++)
                if (strcmp(lua_tostring(L, -1), cv_iv_name(j)) == 0)
                    spec.kinds |= 1u << j;
        lua_pop(L, 2); /* pop the nil and kinds */
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
    lua_getfield(L, 4, "method");
    o.method = luaL_checkoption(L, -1, "asymptotic", methods);
    o.level = lbind_opt_number(L, 4, "level", FN, 0.9);
    o.draws = (size_t)fmax(0.0, lbind_opt_number(L, 4, "draws", FN, 1000));
    o.seed = (uint64_t)lbind_opt_number(L, 4, "seed", FN, 1);
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
