/* cvkit Lua module "cv.core.covariates": fits with time-invariant covariates, predictions and
   CLV with each customer's own parameters, the likelihood-ratio test. Thin: the work is
   src/core/model_cov*.c (include/cvkit/covariates.h); lua/cv/fit.lua builds the model
   objects (cv.fit(name, s, {trans =, life =, constrain =})). */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "cvkit/clv.h"
#include "cvkit/covariates.h"
#include "lbind.h"

static const cv_model *checkmodel(lua_State *L, int idx)
{
    const cv_model *m = cv_model_find(lbind_checkstring(L, idx));
    if (!m || !cv_cov_supported(m))
        luaL_argerror(L, idx,
                      "a model with covariates expected (bgnbd, pareto_nbd, bgbb, gamma_gamma)");
    return m;
}

/* The covariate design at idx, {{column =, proc = "trans" | "life" | "both" | "spend"}, ...},
   with
   the columns read from t into scratch memory. */
typedef struct {
    cv_cov_spec spec;
    unsigned proc[CV_OPTIM_MAXN];
    const double *z[CV_OPTIM_MAXN];
} design;

/* The process named by the string on top of the stack (an element of argument idx, c
   0-based, field "proc" of it when infield): CV_COV_TRANS, CV_COV_LIFE, both or CV_COV_SPEND
   (the core checks that the model has the process); raises naming
   the argument, the element and the value for anything else. */
static unsigned checkproc(lua_State *L, int idx, size_t c, int infield)
{
    const char *at = infield ? ", proc" : "", *s;
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_argerror(L, idx,
                      lua_pushfstring(L, "element %d%s: string expected, got %s", (int)c + 1, at,
                                      luaL_typename(L, -1)));
    s = lua_tostring(L, -1);
    if (strcmp(s, "trans") == 0)
        return CV_COV_TRANS;
    if (strcmp(s, "life") == 0)
        return CV_COV_LIFE;
    if (strcmp(s, "both") == 0)
        return CV_COV_TRANS | CV_COV_LIFE;
    if (strcmp(s, "spend") == 0)
        return CV_COV_SPEND;
    luaL_argerror(L, idx,
                  lua_pushfstring(L,
                                  "element %d%s: invalid process '%s' (trans, life, both or spend)",
                                  (int)c + 1, at, s));
    return 0;
}

/* The number on top of the stack, element c (0-based) of argument idx; raises naming both. */
static double checkelem(lua_State *L, int idx, size_t c)
{
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_argerror(L, idx,
                      lua_pushfstring(L, "element %d: number expected, got %s", (int)c + 1,
                                      luaL_typename(L, -1)));
    return lua_tonumber(L, -1);
}

static void checkdesign(lua_State *L, int idx, const cv_table *t, design *ds)
{
    size_t n = (size_t)t->nrows, c, k;
    cv_error err;
    luaL_checktype(L, idx, LUA_TTABLE);
    k = (size_t)lua_rawlen(L, idx);
    if (k > CV_OPTIM_MAXN)
        luaL_argerror(L, idx, "too many covariate coefficients");
    for (c = 0; c < k; c++) {
        const char *col;
        double *z;
        if (lua_rawgeti(L, idx, (lua_Integer)c + 1) != LUA_TTABLE)
            luaL_argerror(L, idx,
                          lua_pushfstring(L, "element %d: table expected, got %s", (int)c + 1,
                                          luaL_typename(L, -1)));
        if (lbind_rawfield(L, -1, "column") != LUA_TSTRING)
            luaL_argerror(L, idx,
                          lua_pushfstring(L, "element %d, column: string expected, got %s",
                                          (int)c + 1, luaL_typename(L, -1)));
        lbind_rawfield(L, -2, "proc");
        col = lua_tostring(L, -2);
        ds->proc[c] = checkproc(L, idx, c, 1);
        z = lbind_scratch(L, sizeof(double) * (n ? n : 1));
        if (cv_cov_column(t, col, z, &err) != 0)
            lbind_error(L, &err);
        ds->z[c] = z;
        lua_rotate(L, -4, 1); /* the scratch below the entry: it stays on the stack */
        lua_pop(L, 3);        /* pop proc, column, the entry */
    }
    ds->spec.ncoef = k, ds->spec.proc = ds->proc, ds->spec.z = ds->z;
}

static void checkcols(lua_State *L, int idx, const char *fname, cv_model_cols *c)
{
    c->x = lbind_opt_string(L, idx, "x", fname, NULL);
    c->t_x = lbind_opt_string(L, idx, "t_x", fname, NULL);
    c->T = lbind_opt_string(L, idx, "T", fname, NULL);
    c->m = lbind_opt_string(L, idx, "m", fname, NULL);
    c->w = lbind_opt_string(L, idx, "weight", fname, NULL);
}

static void checkest(lua_State *L, int idx, int k, double *est)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    for (int i = 0; i < k; i++) {
        if (lua_rawgeti(L, idx, i + 1) != LUA_TNUMBER)
            luaL_argerror(L, idx, "estimates: numbers expected");
        est[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the value */
    }
}

static const char *const penalty_scales[] = {"log", "natural", NULL};

/* The penalty of options idx: penalizer, penalizer_scale ("log" | "natural"), reg_trans,
   reg_life, reg_spend (0 when absent; the core checks the values). */
static void checkpenalty(lua_State *L, int idx, const char *fname, cv_penalty *pen)
{
    pen->params = lbind_opt_number(L, idx, "penalizer", fname, 0.0);
    pen->scale = lbind_opt_option(L, idx, "penalizer_scale", fname, 0, penalty_scales);
    pen->trans = lbind_opt_number(L, idx, "reg_trans", fname, 0.0);
    pen->life = lbind_opt_number(L, idx, "reg_life", fname, 0.0);
    pen->spend = lbind_opt_number(L, idx, "reg_spend", fname, 0.0);
}

/* covariates.fit(name, Table, design, {x =, t_x =, T =, m =, weight =, penalizer =,
                  penalizer_scale =, reg_trans =, reg_life =, reg_spend =}) -> {est, se, cov, eig,
   eigvec, loglik, loglik0, aic, bic, n_obs, n_rows, n_patterns, converged, status,
   boundary = {names}, se_ok, message, method, iterations, evaluations, grad_norm} (arrays
   in the order: the model's parameters, then the coefficients; se leaves out what could
   not be computed) */
static int cov_fit(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 2);
    cv_model_cols cols;
    cv_model_rows rows;
    cv_cov_fit fit;
    cv_error err;
    cv_penalty pen;
    design ds;
    int rc;
    checkcols(L, 4, "fit", &cols);
    checkpenalty(L, 4, "fit", &pen);
    checkdesign(L, 3, t, &ds);
    if (cv_model_rows_from_table(m, t, &cols, &rows, &err) != 0)
        return lbind_error(L, &err);
    rc = cv_cov_model_fit_pen(m, &rows.data, &ds.spec, &pen, &fit, &err);
    cv_model_rows_free(&rows);
    if (rc > 1) {
        cv_cov_fit_free(&fit);
        return lbind_error(L, &err);
    }
    lua_createtable(L, 0, 24);
    lbind_setarray(L, "est", fit.est, fit.k);
    lbind_setarray(L, "se", fit.se, fit.k);
    if (fit.se_ok)
        lbind_setarray(L, "cov", fit.cov, fit.k * fit.k);
    lbind_setarray(L, "eig", fit.eig, fit.k);
    lbind_setarray(L, "eigvec", fit.eigvec, fit.k * fit.k);
    lbind_setnumber(L, "loglik", fit.loglik);
    lbind_setnumber(L, "loglik0", fit.loglik0);
    if (fit.penalty.params > 0.0 || fit.penalty.trans > 0.0 || fit.penalty.life > 0.0 ||
        fit.penalty.spend > 0.0)
        lbind_setnumber(L, "objective", fit.objective);
    lbind_setnumber(L, "aic", fit.aic);
    lbind_setnumber(L, "bic", fit.bic);
    lbind_setnumber(L, "n_obs", fit.n_obs);
    lbind_setinteger(L, "n_rows", (lua_Integer)fit.n_rows);
    lbind_setinteger(L, "n_patterns", (lua_Integer)fit.n_patterns);
    lbind_setboolean(L, "converged", rc == 0);
    lbind_setfitstate(L, fit.status, fit.boundary, m->param_names, m->nparams, fit.se_ok);
    lbind_setoptim(L, &fit.optim);
    cv_cov_fit_free(&fit);
    return 1;
}

/* covariates.predict(name, est, design, kind, Table, arg, arg2, column, {cols...}) -> Table
   with the column added (rows not computable missing) */
static int cov_predict(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 5);
    const char *kname = lbind_checkstring(L, 4);
    int kind = cv_pred_parse(kname), k;
    double est[CV_OPTIM_MAXN], arg = luaL_optnumber(L, 6, 0), arg2 = luaL_optnumber(L, 7, 0);
    const char *name = lbind_optstring(L, 8, kname);
    cv_model_cols cols;
    cv_error err;
    design ds;
    if (kind < 0)
        return luaL_argerror(L, 4, "unknown prediction");
    checkcols(L, 9, "predict", &cols);
    checkdesign(L, 3, t, &ds);
    k = m->nparams + (int)ds.spec.ncoef;
    checkest(L, 2, k, est);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_cov_predict_table(m, est, &ds.spec, (cv_pred)kind, arg, arg2, t, &cols, name,
                                      &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* covariates.params1(name, est, procs, z) -> the parameters of one customer whose
   covariates are z (one value per coefficient; procs: "trans" | "life" | "both" each) */
static int cov_params1(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double est[CV_OPTIM_MAXN], zv[CV_OPTIM_MAXN], p[CV_MODEL_MAXP];
    const double *z[CV_OPTIM_MAXN];
    unsigned proc[CV_OPTIM_MAXN];
    size_t k, c;
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
    k = (size_t)lua_rawlen(L, 3);
    if (k > (size_t)(CV_OPTIM_MAXN - m->nparams))
        return luaL_argerror(L, 3, "too many coefficients");
    checkest(L, 2, m->nparams + (int)k, est);
    for (c = 0; c < k; c++) {
        lua_rawgeti(L, 3, (lua_Integer)c + 1);
        proc[c] = checkproc(L, 3, c, 0);
        lua_rawgeti(L, 4, (lua_Integer)c + 1);
        zv[c] = checkelem(L, 4, c);
        z[c] = &zv[c];
        lua_pop(L, 2); /* pop z, proc */
    }
    cv_cov_spec spec = {k, proc, z};
    cv_cov_row_params(m, est, &spec, 0, p);
    lua_createtable(L, m->nparams, 0);
    for (int i = 0; i < m->nparams; i++) {
        lua_pushnumber(L, p[i]);
        lua_seti(L, -2, i + 1);
    }
    return 1;
}

/* covariates.clv(name, est, design, Table, {unit =, horizon =, discount =, spend_params =,
   spend_est =, spend_design =, spend =, spend_value =, margin =, margin_rate =, revenue =,
   cols...}) -> Table: the CLV columns of cv_model_clv_table with every customer's own
   parameters. An empty design takes any model (its parameters for every row: a spend model
   with covariates beside a transaction model without); spend_est and spend_design are a
   Gamma-Gamma with covariates (each row's own spend parameters, in place of spend_params). */
static int cov_clv(lua_State *L)
{
    const cv_model *m;
    const cv_table *s = lbind_checktable(L, 4);
    double est[CV_OPTIM_MAXN], sest[CV_OPTIM_MAXN], sp[3], *rowp;
    cv_time_unit unit;
    cv_clv_options o;
    cv_model_cols cols;
    cv_error err;
    design ds, sds;
    size_t n = (size_t)s->nrows;
    luaL_checktype(L, 3, LUA_TTABLE);
    if (lua_rawlen(L, 3) == 0) { /* no covariates on the transactions: any model */
        m = cv_model_find(lbind_checkstring(L, 1));
        if (!m)
            return luaL_argerror(L, 1, "unknown model");
    } else {
        m = checkmodel(L, 1);
    }
    luaL_checktype(L, 5, LUA_TTABLE);
    memset(&o, 0, sizeof o);
    cols.x = lbind_opt_string(L, 5, "x", "clv", NULL);
    cols.t_x = lbind_opt_string(L, 5, "t_x", "clv", NULL);
    cols.T = lbind_opt_string(L, 5, "T", "clv", NULL);
    cols.m = lbind_opt_string(L, 5, "m", "clv", NULL);
    cols.w = NULL;
    if (cv_time_unit_parse(lbind_opt_string(L, 5, "unit", "clv", "?"), &unit) != 0)
        return lbind_opt_error(L, "unit", "clv", "a time unit is required");
    o.unit = unit;
    o.horizon = lbind_opt_number(L, 5, "horizon", "clv", HUGE_VAL);
    o.discount = lbind_opt_number(L, 5, "discount", "clv", 0.0);
    if (lbind_opt_field(L, 5, "spend_params", LUA_TTABLE, "clv")) {
        for (int i = 0; i < 3; i++) {
            if (lua_rawgeti(L, -1, i + 1) != LUA_TNUMBER)
                lbind_opt_error(L, "spend_params", "clv",
                                lua_pushfstring(L, "element %d: number expected, got %s", i + 1,
                                                luaL_typename(L, -1)));
            sp[i] = lua_tonumber(L, -1);
            lua_pop(L, 1); /* pop the value */
        }
        lua_pop(L, 1); /* pop spend_params */
        o.spend_params = sp;
    }
    o.spend = lbind_opt_string(L, 5, "spend", "clv", NULL);
    o.spend_value = lbind_opt_number(L, 5, "spend_value", "clv", 1.0);
    o.margin = lbind_opt_string(L, 5, "margin", "clv", NULL);
    o.revenue = lbind_opt_string(L, 5, "revenue", "clv", NULL);
    if (lbind_opt_field(L, 5, "margin_rate", LUA_TNUMBER, "clv")) {
        o.margin_rate = lua_tonumber(L, -1);
        o.margin_rate_set = 1;
        lua_pop(L, 1); /* pop margin_rate */
    }
    checkdesign(L, 3, s, &ds);
    checkest(L, 2, m->nparams + (int)ds.spec.ncoef, est);
    if (ds.spec.ncoef > 0) {
        rowp = lbind_scratch(L, sizeof(double) * (size_t)m->nparams * (n ? n : 1));
        cv_cov_params_rows(m, est, &ds.spec, n, rowp);
        o.row_params = rowp;
    }
    if (lbind_opt_field(L, 5, "spend_design", LUA_TTABLE, "clv")) {
        const cv_model *gg = &cv_model_gamma_gamma;
        int top = lua_gettop(L);
        double *srow;
        checkdesign(L, top, s, &sds);
        if (!lbind_opt_field(L, 5, "spend_est", LUA_TTABLE, "clv"))
            return lbind_opt_error(L, "spend_est", "clv", "the spend model's estimates are needed");
        checkest(L, lua_gettop(L), gg->nparams + (int)sds.spec.ncoef, sest);
        for (size_t c = 0; c < sds.spec.ncoef; c++)
            if (sds.proc[c] != CV_COV_SPEND)
                return lbind_opt_error(L, "spend_design", "clv", "spend coefficients expected");
        srow = lbind_scratch(L, sizeof(double) * 3 * (n ? n : 1));
        cv_cov_params_rows(gg, sest, &sds.spec, n, srow);
        o.spend_row_params = srow;
        o.spend_params = NULL;
    }
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_clv_table(m, est, s, &cols, &o, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* covariates.profile(name, Table, design, {cols...}, est, j, values) -> {ll = {...}}: the
   profile log-likelihood of parameter j (1-based) at each value (nil where not computed) */
static int cov_profile(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 2);
    cv_model_cols cols;
    cv_model_rows rows;
    cv_error err;
    design ds;
    double est[CV_OPTIM_MAXN], *vals, *ll;
    lua_Integer j = luaL_checkinteger(L, 6);
    size_t n, i;
    int rc;
    checkcols(L, 4, "profile", &cols);
    luaL_checktype(L, 7, LUA_TTABLE);
    n = (size_t)lua_rawlen(L, 7);
    checkdesign(L, 3, t, &ds);
    checkest(L, 5, m->nparams + (int)ds.spec.ncoef, est);
    if (j < 1 || j > m->nparams + (int)ds.spec.ncoef)
        return luaL_argerror(
            L, 6, lua_pushfstring(L, "no parameter %I of %d", j, m->nparams + (int)ds.spec.ncoef));
    vals = lbind_scratch(L, sizeof(double) * 2 * (n ? n : 1));
    ll = vals + n;
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, 7, (lua_Integer)i + 1);
        vals[i] = checkelem(L, 7, i);
        lua_pop(L, 1); /* pop the value */
    }
    if (cv_model_rows_from_table(m, t, &cols, &rows, &err) != 0)
        return lbind_error(L, &err);
    rc = cv_cov_profile(m, &rows.data, &ds.spec, est, (int)j - 1, vals, n, ll, &err);
    cv_model_rows_free(&rows);
    if (rc != 0)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 1);
    lbind_setarray(L, "ll", ll, (int)n);
    return 1;
}

/* covariates.lr_test(ll_full, ll_restricted, df) -> statistic, p-value (df an integer of
   1..INT_MAX) */
static int cov_lr_test(lua_State *L)
{
    double stat, p, ll1 = luaL_checknumber(L, 1), ll0 = luaL_checknumber(L, 2);
    lua_Integer df = luaL_checkinteger(L, 3);
    cv_error err;
    if (df < INT_MIN || df > INT_MAX)
        return luaL_argerror(L, 3, lua_pushfstring(L, "df %I out of range (1 to %d)", df, INT_MAX));
    if (cv_lr_test(ll1, ll0, (int)df, &stat, &p, &err) != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, stat);
    lua_pushnumber(L, p);
    return 2;
}

/* covariates.simulate(name, est, design, Table, seed, in [, id]) -> Table: one simulated
   customer per row of Table with its covariates (the design's columns and the column id,
   copied to the result):
   x, t_x, T (in: T, a number for all or an array) or, for the Gamma-Gamma, x,
   mean_repeat_spend (in: x). The draws are cv_cov_simulate_table's. */
static int cov_simulate(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 4);
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 5);
    size_t n = (size_t)t->nrows, i;
    double est[CV_OPTIM_MAXN], *in;
    const char *keep[CV_OPTIM_MAXN + 1], *id = lbind_optstring(L, 7, NULL);
    cv_error err;
    design ds;
    checkdesign(L, 3, t, &ds);
    checkest(L, 2, m->nparams + (int)ds.spec.ncoef, est);
    in = lbind_scratch(L, sizeof(double) * (n ? n : 1));
    if (lua_type(L, 6) != LUA_TTABLE) {
        double v = luaL_checknumber(L, 6);
        for (i = 0; i < n; i++)
            in[i] = v;
    }
    for (i = 0; i < n && lua_type(L, 6) == LUA_TTABLE; i++) {
        if (lua_rawgeti(L, 6, (lua_Integer)i + 1) != LUA_TNUMBER)
            return luaL_argerror(L, 6,
                                 lua_pushfstring(L, "element %d: number expected", (int)i + 1));
        in[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the element */
    }
    for (i = 0; i < ds.spec.ncoef; i++) {
        lua_rawgeti(L, 3, (lua_Integer)i + 1);
        lbind_rawfield(L, -1, "column");
        keep[i] = lua_tostring(L, -1); /* the design table keeps the string */
        lua_pop(L, 2);                 /* pop column, the entry */
    }
    if (id)
        keep[ds.spec.ncoef] = id;
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_cov_simulate_table(m, est, &ds.spec, t, keep, ds.spec.ncoef + (id != NULL),
                                       seed, in, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* covariates.simulate_tx(name, est, design, Table, {seed =, start =, cohort_days =, end =,
   unit =, spend = {p, q, gamma}} [, id]) -> Table customer (or the column id of Table),
   date, amount: customer i with the covariates of row i of Table (start and end as day
   numbers; lua/cv/fit.lua fills every field). The draws are cv_cov_simulate_tx's. */
static int cov_simulate_tx(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 4);
    const char *id = lbind_optstring(L, 6, NULL), *fn = "simulate_transactions";
    double est[CV_OPTIM_MAXN], sp[3];
    cv_gen_options o;
    cv_column *idc = NULL;
    cv_error err;
    design ds;
    checkdesign(L, 3, t, &ds);
    checkest(L, 2, m->nparams + (int)ds.spec.ncoef, est);
    luaL_checktype(L, 5, LUA_TTABLE);
    memset(&o, 0, sizeof o);
    o.seed = (uint64_t)lbind_opt_integer(L, 5, "seed", fn, 1, LUA_MININTEGER, LUA_MAXINTEGER);
    o.start = (int32_t)lbind_opt_integer(L, 5, "start", fn, 0, INT32_MIN, INT32_MAX);
    o.end = (int32_t)lbind_opt_integer(L, 5, "end", fn, 0, INT32_MIN, INT32_MAX);
    o.cohort_days = (int)lbind_opt_integer(L, 5, "cohort_days", fn, 90, INT_MIN, INT_MAX);
    if (cv_time_unit_parse(lbind_opt_string(L, 5, "unit", fn, "?"), &o.unit) != 0)
        return lbind_opt_error(L, "unit", fn, "a time unit is required");
    if (lbind_opt_field(L, 5, "spend", LUA_TTABLE, fn)) {
        checkest(L, lua_gettop(L), 3, sp);
        lua_pop(L, 1); /* pop spend */
        o.spend = sp;
    }
    if (id && !(idc = cv_table_col(t, id, &err)))
        return lbind_error(L, &err);
    cv_table **slot = lbind_newtable(L);
    *slot = cv_cov_simulate_tx(m, est, &ds.spec, (size_t)t->nrows, &o, idc, &err);
    if (!*slot)
        return lbind_error(L, &err);
    return 1;
}

/* covariates.loglik(name, est, design, Table, {cols...}) -> the log-likelihood of the
   estimates est (the model's parameters, then the coefficients) on the rows of Table, each
   with the covariates of its row (cv_cov_loglik; unpenalized). */
static int cov_loglik(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    const cv_table *t = lbind_checktable(L, 4);
    double est[CV_OPTIM_MAXN], theta[CV_OPTIM_MAXN], ll;
    cv_model_cols cols;
    cv_model_rows rows;
    cv_error err;
    design ds;
    int k, i, rc;
    checkcols(L, 5, "loglik", &cols);
    checkdesign(L, 3, t, &ds);
    k = m->nparams + (int)ds.spec.ncoef;
    checkest(L, 2, k, est);
    for (i = 0; i < k; i++)
        theta[i] = i < m->nparams ? log(est[i]) : est[i];
    if (cv_model_rows_from_table(m, t, &cols, &rows, &err) != 0)
        return lbind_error(L, &err);
    rc = cv_cov_loglik(m, theta, &rows.data, &ds.spec, &ll, NULL, &err);
    cv_model_rows_free(&rows);
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, ll);
    return 1;
}

static const luaL_Reg cov_funcs[] = {{"fit", cov_fit},
                                     {"predict", cov_predict},
                                     {"params1", cov_params1},
                                     {"clv", cov_clv},
                                     {"lr_test", cov_lr_test},
                                     {"profile", cov_profile},
                                     {"simulate", cov_simulate},
                                     {"loglik", cov_loglik},
                                     {"simulate_tx", cov_simulate_tx},
                                     {NULL, NULL}};

int luaopen_cv_covariates(lua_State *L)
{
    luaL_newlib(L, cov_funcs);
    return 1;
}
