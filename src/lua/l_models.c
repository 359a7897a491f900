/* cvkit Lua module "cv.core.models": the customer-base models (fit, predictions on tables and
   single customers, CLV, validation, tracking, simulation) and the time-value conversions.
   Thin: the work is the core's (src/core/model_*.c, timevalue.c); lua/cv/fit.lua builds
   the model objects scripts use (cv.fit, m:p_alive, m:clv, ...). */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "cvkit/clv.h"
#include "cvkit/parse.h"
#include "cvkit/timevalue.h"
#include "lbind.h"

/* The model named by argument idx; raises naming the models of the registry when unknown
   ("unknown model 'zz' (bgnbd, pareto_nbd, ...)"). */
static const cv_model *checkmodel(lua_State *L, int idx)
{
    const char *name = lbind_checkstring(L, idx);
    const cv_model *m = cv_model_find(name);
    if (!m) {
        const cv_model *const *all = cv_model_list(NULL);
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        lua_pushfstring(L, "unknown model '%s' (", name);
        luaL_addvalue(&b);
        for (size_t i = 0; all[i]; i++) {
            luaL_addstring(&b, i ? ", " : "");
            luaL_addstring(&b, all[i]->name);
        }
        luaL_addchar(&b, ')');
        luaL_pushresult(&b);
        luaL_argerror(L, idx, lua_tostring(L, -1));
    }
    return m;
}

/* Reads the parameter array at idx (nparams numbers) into p. */
static void checkparams(lua_State *L, int idx, const cv_model *m, double *p)
{
    int i;
    luaL_checktype(L, idx, LUA_TTABLE);
    for (i = 0; i < m->nparams; i++) {
        if (lua_rawgeti(L, idx, i + 1) != LUA_TNUMBER)
            luaL_argerror(L, idx,
                          lua_pushfstring(L, "parameter %d (%s) of %s must be a number", i + 1,
                                          m->param_names[i], m->name));
        p[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the value */
    }
}

/* Reads the parameters in option field of fname (the table on top of the stack) into p;
   raises "cv.fname: bad option 'field' (parameter 2 (alpha) of nbd must be a number)"
   (checkparams would name the stack slot as an argument number). */
static void checkparams_opt(lua_State *L, const cv_model *m, double *p, const char *field,
                            const char *fname)
{
    int idx = lua_gettop(L);
    for (int i = 0; i < m->nparams; i++) {
        if (lua_rawgeti(L, idx, i + 1) != LUA_TNUMBER)
            lbind_opt_error(L, field, fname,
                            lua_pushfstring(L, "parameter %d (%s) of %s must be a number", i + 1,
                                            m->param_names[i], m->name));
        p[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the value */
    }
}

/* Reads the column names of a model from the options at idx (x, t_x, T, m, weight). */
static void checkcols(lua_State *L, int idx, const char *fname, cv_model_cols *c)
{
    c->x = lbind_opt_string(L, idx, "x", fname, NULL);
    c->t_x = lbind_opt_string(L, idx, "t_x", fname, NULL);
    c->T = lbind_opt_string(L, idx, "T", fname, NULL);
    c->m = lbind_opt_string(L, idx, "m", fname, NULL);
    c->w = lbind_opt_string(L, idx, "weight", fname, NULL);
}

/* The time unit named s; raises naming fname when unknown. */
static cv_time_unit parseunit(lua_State *L, const char *s, const char *fname)
{
    cv_time_unit u;
    if (cv_time_unit_parse(s, &u) != 0)
        luaL_error(L, "bad unit '%s' to '%s' (\"day\", \"week\", \"month\" or \"year\" expected)",
                   s, fname); /* the Lua options refuse it first, with a suggestion */
    return u;
}

/* The time unit in option field of the options at idx: required (a model's parameters
   have one; cvkit never guesses it). */
static cv_time_unit checkunit(lua_State *L, int idx, const char *field, const char *fname)
{
    const char *s = lbind_opt_string(L, idx, field, fname, NULL);
    if (!s)
        lbind_opt_error(L, field, fname, "a time unit is required");
    return parseunit(L, s, fname);
}

static void setnum(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* Pushes {name = value} for the k parameters; non-finite values are left out (nil: a
   standard error that could not be computed is missing, not NaN). */
static void pushnamed(lua_State *L, const cv_model *m, const double *v)
{
    int i;
    lua_createtable(L, 0, m->nparams);
    for (i = 0; i < m->nparams; i++) {
        if (!isfinite(v[i]))
            continue;
        lua_pushnumber(L, v[i]);
        lua_setfield(L, -2, m->param_names[i]);
    }
}

/* Pushes the fit's report: status, boundary = {names}, se_ok, grad_norm, and tried =
   {{method, iterations, evaluations, objective, grad_norm, stopped, kept}, ...}, the
   optimizer's phases in order, into the table on top. */
static void pushreport(lua_State *L, const cv_fit *fit)
{
    const cv_model *m = fit->model;
    int i;
    lbind_setfitstate(L, fit->status, fit->boundary, m->param_names, m->nparams, fit->se_ok);
    lbind_setboolean(L, "identical", fit->identical);
    if (isfinite(fit->optim.grad_norm))
        setnum(L, "grad_norm", fit->optim.grad_norm);
    lua_createtable(L, fit->optim.nphases, 0);
    for (i = 0; i < fit->optim.nphases; i++) {
        const cv_optim_phase *ph = &fit->optim.phase[i];
        lua_createtable(L, 0, 7);
        lua_pushstring(L, ph->method);
        lua_setfield(L, -2, "method");
        lbind_setinteger(L, "iterations", ph->iterations);
        lbind_setinteger(L, "evaluations", ph->evaluations);
        if (isfinite(ph->f))
            setnum(L, "objective", ph->f);
        if (isfinite(ph->grad_norm))
            setnum(L, "grad_norm", ph->grad_norm);
        lua_pushstring(L, ph->why ? ph->why : "");
        lua_setfield(L, -2, "stopped");
        lbind_setboolean(L, "kept", ph->kept);
        lua_seti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "tried");
}

static const char *const penalty_scales[] = {"log", "natural", NULL};

/* models.fit(name, Table | survivors, {x =, t_x =, T =, m =, weight =, start = {...},
                                        penalizer =, penalizer_scale = "log" | "natural"})
   -> {model, title, names, values, params, se, loglik, aic, bic, n_obs, n_rows, converged,
       status, boundary, se_ok, grad_norm, tried, message, method, iterations, evaluations,
       cov_log, correlation, objective}; se and cov_log leave out what could not be computed;
       objective (-LL/N + the penalty) only with a penalty (docs/models.md, "Regularised fits") */
static int mdl_fit(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    cv_model_rows rows;
    cv_model_cols cols;
    cv_fit fit;
    cv_error err;
    cv_penalty pen = {0, CV_PENALTY_LOG, 0, 0, 0};
    double start[CV_MODEL_MAXP], corr = NAN;
    int i, rc, has_start = 0;
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TTABLE);
    checkcols(L, 3, "fit", &cols);
    pen.params = lbind_opt_number(L, 3, "penalizer", "fit", 0.0);
    pen.scale = lbind_opt_option(L, 3, "penalizer_scale", "fit", 0, penalty_scales);
    if (lbind_opt_field(L, 3, "start", LUA_TTABLE, "fit")) {
        checkparams_opt(L, m, start, "start", "fit");
        lua_pop(L, 1); /* pop start */
        has_start = 1;
    }
    if (lua_istable(L, 2) && !luaL_testudata(L, 2, CV_TABLE_MT)) {
        lua_Integer k = (lua_Integer)lua_rawlen(L, 2), t;
        double *s = lbind_scratch(L, sizeof(double) * (size_t)(k ? k : 1));
        if (m != &cv_model_sbg)
            return luaL_argerror(L, 2, "a summary table expected (survivor counts are for sbg)");
        for (t = 0; t < k; t++) {
            lua_rawgeti(L, 2, t + 1);
            s[t] = lua_tonumber(L, -1);
            lua_pop(L, 1); /* pop the count */
        }
        if (cv_model_sbg_from_survivors(s, (size_t)k, &rows, &err) != 0)
            return lbind_error(L, &err);
    } else if (cv_model_rows_from_table(m, lbind_checktable(L, 2), &cols, &rows, &err) != 0) {
        return lbind_error(L, &err);
    }
    rc = cv_model_fit_pen(m, &rows.data, has_start ? start : NULL, &pen, &fit, &err);
    if (m == &cv_model_gamma_gamma && rc <= 1)
        corr = cv_model_spend_correlation(&rows.data);
    cv_model_rows_free(&rows);
    if (rc > 1)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 20);
    lua_pushstring(L, m->name);
    lua_setfield(L, -2, "model");
    lua_pushstring(L, m->title);
    lua_setfield(L, -2, "title");
    lua_createtable(L, m->nparams, 0);
    for (i = 0; i < m->nparams; i++) {
        lua_pushstring(L, m->param_names[i]);
        lua_seti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "names");
    lua_createtable(L, m->nparams, 0);
    for (i = 0; i < m->nparams; i++) {
        lua_pushnumber(L, fit.params[i]);
        lua_seti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "values");
    pushnamed(L, m, fit.params);
    lua_setfield(L, -2, "params");
    pushnamed(L, m, fit.se);
    lua_setfield(L, -2, "se");
    if (fit.se_ok) {
        lua_createtable(L, m->nparams * m->nparams, 0);
        for (i = 0; i < m->nparams * m->nparams; i++) {
            lua_pushnumber(L, fit.cov_log[i]);
            lua_seti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "cov_log");
    }
    setnum(L, "loglik", fit.loglik);
    setnum(L, "aic", fit.aic);
    setnum(L, "bic", fit.bic);
    setnum(L, "n_obs", fit.n_obs);
    lbind_setinteger(L, "n_rows", (lua_Integer)fit.n_rows);
    lbind_setboolean(L, "converged", rc == 0);
    lua_pushstring(L, fit.optim.message);
    lua_setfield(L, -2, "message");
    lua_pushstring(L, fit.optim.method ? fit.optim.method : "bfgs");
    lua_setfield(L, -2, "method");
    lbind_setinteger(L, "iterations", fit.optim.iterations);
    lbind_setinteger(L, "evaluations", fit.optim.evaluations);
    pushreport(L, &fit);
    if (fit.penalty.params > 0.0)
        setnum(L, "objective", fit.objective);
    if (m == &cv_model_gamma_gamma && isfinite(corr))
        setnum(L, "correlation", corr); /* nil when fewer than two customers or no variance */
    return 1;
}

/* models.loglik(name, params, Table, {cols...}) -> number */
static int mdl_loglik(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], ll;
    cv_model_rows rows;
    cv_model_cols cols;
    cv_error err;
    int rc;
    checkparams(L, 2, m, p);
    checkcols(L, 4, "loglik", &cols);
    if (cv_model_rows_from_table(m, lbind_checktable(L, 3), &cols, &rows, &err) != 0)
        return lbind_error(L, &err);
    rc = cv_model_loglik(m, p, &rows.data, &ll, NULL, &err);
    cv_model_rows_free(&rows);
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, ll);
    return 1;
}

/* The prediction kind at idx (a name of cv_pred_name). */
static cv_pred checkkind(lua_State *L, int idx)
{
    const char *s = lbind_checkstring(L, idx);
    int k = cv_pred_parse(s);
    if (k < 0)
        luaL_argerror(L, idx, lua_pushfstring(L, "unknown prediction '%s'", s));
    return (cv_pred)k;
}

/* models.predict(name, params, kind, Table, arg, arg2, column, {cols...}) -> Table */
static int mdl_predict(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP];
    cv_pred kind = checkkind(L, 3);
    const cv_table *s = lbind_checktable(L, 4);
    double arg = luaL_optnumber(L, 5, 0), arg2 = luaL_optnumber(L, 6, 0);
    const char *name = lbind_optstring(L, 7, cv_pred_name(kind));
    cv_model_cols cols;
    cv_error err;
    checkparams(L, 2, m, p);
    checkcols(L, 8, "predict", &cols);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_predict_table(m, p, kind, arg, arg2, s, &cols, name, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* models.predict1(name, params, kind, x, t_x, T, m, arg, arg2) -> number (nil when not
   computable); every argument required (lua/cv/fit.lua reads them from the customer's
   record: a missing one is an error there, never a 0 here) */
static int mdl_predict1(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], v[4], out;
    cv_pred kind = checkkind(L, 3);
    cv_model_data d;
    cv_error err;
    int i, rc;
    checkparams(L, 2, m, p);
    for (i = 0; i < 4; i++)
        v[i] = luaL_checknumber(L, 4 + i);
    d.n = 1, d.x = &v[0], d.t_x = &v[1], d.T = &v[2], d.m = &v[3], d.w = NULL;
    rc = cv_model_predict(m, p, kind, &d, luaL_checknumber(L, 8), luaL_checknumber(L, 9), &out,
                          &err);
    if (rc == CV_ERR_DOMAIN) {
        lua_pushnil(L);
        return 1;
    }
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, out);
    return 1;
}

/* models.clv(name, params, Table, {unit =, horizon =, discount =, spend_params =, spend =,
   spend_value =, margin =, margin_rate =, revenue =, cols...}) -> Table */
static int mdl_clv(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], sp[3];
    const cv_table *s = lbind_checktable(L, 3);
    cv_clv_options o;
    cv_model_cols cols;
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_checktype(L, 4, LUA_TTABLE);
    memset(&o, 0, sizeof o);
    checkcols(L, 4, "clv", &cols);
    o.unit = checkunit(L, 4, "unit", "clv");
    o.horizon = lbind_opt_number(L, 4, "horizon", "clv", HUGE_VAL);
    o.discount = lbind_opt_number(L, 4, "discount", "clv", 0.0);
    if (lbind_opt_field(L, 4, "spend_params", LUA_TTABLE, "clv")) {
        checkparams_opt(L, &cv_model_gamma_gamma, sp, "spend_params", "clv");
        lua_pop(L, 1); /* pop spend_params */
        o.spend_params = sp;
    }
    o.spend = lbind_opt_string(L, 4, "spend", "clv", NULL);
    o.spend_value = lbind_opt_number(L, 4, "spend_value", "clv", 1.0);
    o.margin = lbind_opt_string(L, 4, "margin", "clv", NULL);
    o.revenue = lbind_opt_string(L, 4, "revenue", "clv", NULL);
    if (lbind_opt_field(L, 4, "margin_rate", LUA_TNUMBER, "clv")) {
        o.margin_rate = lua_tonumber(L, -1);
        o.margin_rate_set = 1;
        lua_pop(L, 1); /* pop margin_rate */
    }
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_clv_table(m, p, s, &cols, &o, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* models.validate(name, params, Table, {horizon =, holdout =, buckets = 7, cols...})
   -> Table (buckets), {customers, actual, expected, mae, rmse, brier, active, p_alive} */
static int mdl_validate(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP];
    const cv_table *s = lbind_checktable(L, 3);
    cv_model_cols cols;
    cv_validation v;
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_checktype(L, 4, LUA_TTABLE);
    checkcols(L, 4, "validate", &cols);
    if (!lbind_opt_field(L, 4, "horizon", LUA_TNUMBER, "validate"))
        return lbind_opt_error(L, "horizon", "validate", "the holdout length is required");
    double t = lua_tonumber(L, -1);
    lua_pop(L, 1); /* pop horizon */
    const char *holdout = lbind_opt_string(L, 4, "holdout", "validate", NULL);
    int buckets = (int)lbind_opt_integer(L, 4, "buckets", "validate", 7, INT_MIN, INT_MAX);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_validate(m, p, s, &cols, holdout, t, buckets, &v, &err)) == NULL)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 8);
    setnum(L, "customers", v.customers);
    setnum(L, "actual", v.actual);
    setnum(L, "expected", v.expected);
    setnum(L, "mae", v.mae);
    setnum(L, "rmse", v.rmse);
    setnum(L, "brier", v.brier);
    setnum(L, "active", v.active);
    setnum(L, "p_alive", v.p_alive);
    return 2;
}

/* Reads option field, a date "YYYY-MM-DD", into *days; 1 when given. */
static int optdate(lua_State *L, int idx, const char *field, const char *fname, int32_t *days)
{
    const char *s = lbind_opt_string(L, idx, field, fname, NULL);
    if (!s)
        return 0;
    if (cv_parse_date(s, strlen(s), CV_DATE_ISO, days, NULL, NULL) != 0)
        lbind_opt_error(L, field, fname,
                        lua_pushfstring(L, "a date YYYY-MM-DD expected, got '%s'", s));
    return 1;
}

/* models.tracking(name, params, tx, {customer =, date =, unit =, calibration_end =, end =,
   period_days = 7}) -> Table */
static int mdl_tracking(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP];
    const cv_table *tx = lbind_checktable(L, 3);
    cv_tracking_options o;
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_checktype(L, 4, LUA_TTABLE);
    memset(&o, 0, sizeof o);
    o.customer = lbind_opt_string(L, 4, "customer", "tracking", "customer");
    o.date = lbind_opt_string(L, 4, "date", "tracking", "date");
    o.unit = checkunit(L, 4, "unit", "tracking");
    if (!optdate(L, 4, "calibration_end", "tracking", &o.calibration_end))
        return lbind_opt_error(L, "calibration_end", "tracking", "a date is required");
    o.end_set = optdate(L, 4, "end", "tracking", &o.end);
    o.period_days = (int)lbind_opt_integer(L, 4, "period_days", "tracking", 7, INT_MIN, INT_MAX);
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_tracking(m, p, tx, &o, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* models.simulate(name, params, n, {seed =, T = number | array, x = array}) -> Table with
   x, t_x, T (Gamma-Gamma: x, mean_repeat_spend) */
static int mdl_simulate(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP];
    lua_Integer n = luaL_checkinteger(L, 3), i;
    int gg = m == &cv_model_gamma_gamma;
    double *T, *x, *tx, *mm;
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_argcheck(L, n >= 0 && n <= 100000000, 3, "a count of customers expected");
    luaL_checktype(L, 4, LUA_TTABLE);
    uint64_t seed =
        (uint64_t)lbind_opt_integer(L, 4, "seed", "simulate", 1, LUA_MININTEGER, LUA_MAXINTEGER);
    T = lbind_scratch(L, sizeof(double) * 4 * (size_t)(n ? n : 1));
    x = T + n, tx = T + 2 * n, mm = T + 3 * n;
    lbind_rawfield(L, 4, gg ? "x" : "T");
    for (i = 0; i < n; i++) {
        double v;
        if (lua_istable(L, -1)) {
            lua_rawgeti(L, -1, i + 1);
            v = lua_tonumber(L, -1);
            lua_pop(L, 1); /* pop the element */
        } else if (lua_isnumber(L, -1)) {
            v = lua_tonumber(L, -1);
        } else {
            return luaL_error(L, "bad option '%s' to 'simulate' (a number or an array expected)",
                              gg ? "x" : "T");
        }
        (gg ? x : T)[i] = v;
    }
    lua_pop(L, 1); /* pop T or x */
    if (cv_model_simulate(m, p, (size_t)n, seed, T, x, tx, mm, &err) != 0)
        return lbind_error(L, &err);
    cv_table **slot = lbind_newtable(L);
    cv_table *t = cv_table_new();
    *slot = t;
    {
        const char *names[3] = {"x", gg ? "mean_repeat_spend" : "t_x", "T"};
        double *src[3] = {x, gg ? mm : tx, T};
        int c;
        for (c = 0; c < (gg ? 2 : 3); c++) {
            cv_column *col = cv_column_new(names[c], c == 0 ? CV_INT64 : CV_FLOAT64, n);
            if (!col)
                return luaL_error(L, "out of memory");
            for (i = 0; i < n; i++)
                if (c == 0 ? cv_column_push_int(col, (int64_t)src[c][i])
                           : (gg && src[0][i] == 0 ? cv_column_push_missing(col)
                                                   : cv_column_push_float(col, src[c][i])))
                    break;
            if (i < n || cv_table_add(t, col, &err) != 0) {
                cv_column_unref(col);
                return luaL_error(L, "out of memory");
            }
            cv_column_unref(col);
        }
    }
    return 1;
}

/* models.simulate_tx(name, params, n, {seed =, start =, cohort_days =, end =, unit =,
   spend = {p, q, gamma}}) -> Table customer, date, amount */
static int mdl_simulate_tx(lua_State *L)
{
    const cv_model *m = checkmodel(L, 1);
    double p[CV_MODEL_MAXP], sp[3];
    lua_Integer n = luaL_checkinteger(L, 3);
    cv_gen_options o;
    cv_error err;
    checkparams(L, 2, m, p);
    luaL_argcheck(L, n >= 0 && n <= 100000000, 3, "a count of customers expected");
    luaL_checktype(L, 4, LUA_TTABLE);
    memset(&o, 0, sizeof o);
    o.seed =
        (uint64_t)lbind_opt_integer(L, 4, "seed", "simulate_tx", 1, LUA_MININTEGER, LUA_MAXINTEGER);
    if (!optdate(L, 4, "start", "simulate_tx", &o.start))
        o.start = 9862; /* 1997-01-01 */
    o.cohort_days =
        (int)lbind_opt_integer(L, 4, "cohort_days", "simulate_tx", 90, INT_MIN, INT_MAX);
    if (!optdate(L, 4, "end", "simulate_tx", &o.end))
        o.end = o.start + 546; /* 78 weeks from the start */
    o.unit = checkunit(L, 4, "unit", "simulate_tx");
    if (lbind_opt_field(L, 4, "spend", LUA_TTABLE, "simulate_tx")) {
        checkparams_opt(L, &cv_model_gamma_gamma, sp, "spend", "simulate_tx");
        lua_pop(L, 1); /* pop spend */
        o.spend = sp;
    }
    cv_table **slot = lbind_newtable(L);
    if ((*slot = cv_model_simulate_tx(m, p, (size_t)n, &o, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* Pushes {name =, title =, params = {...}, predicts = {...}, aliases = {...}} for m. */
static void pushinfo(lua_State *L, const cv_model *m)
{
    int k, j = 0;
    const cv_model *of;
    const char *alias;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, m->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, m->title);
    lua_setfield(L, -2, "title");
    lua_createtable(L, m->nparams, 0);
    for (k = 0; k < m->nparams; k++) {
        lua_pushstring(L, m->param_names[k]);
        lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "params");
    lua_createtable(L, 0, 0);
    for (k = 0; k < CV_PRED_COUNT_; k++)
        if (m->preds & (1u << k)) {
            lua_pushstring(L, cv_pred_name((cv_pred)k));
            lua_seti(L, -2, ++j);
        }
    lua_setfield(L, -2, "predicts");
    lua_createtable(L, 0, 0);
    for (size_t i = 0, n = 0; (alias = cv_model_alias(i, &of)) != NULL; i++)
        if (of == m) {
            lua_pushstring(L, alias);
            lua_seti(L, -2, (lua_Integer)++n);
        }
    lua_setfield(L, -2, "aliases");
}

/* models.info(name) -> {name =, title =, params =, predicts =, aliases =} (aliases
   accepted) */
static int mdl_info(lua_State *L)
{
    pushinfo(L, checkmodel(L, 1));
    return 1;
}

/* models.list() -> {{name =, title =, params = {...}, predicts = {...}}, ...} */
static int mdl_list(lua_State *L)
{
    size_t n, i;
    const cv_model *const *ms = cv_model_list(&n);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        pushinfo(L, ms[i]);
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* models.rate(what, value, unit [, t]) -> number (unit required: never a silent year):
   what is "per_period" (annual -> per
   period), "annual" (per period -> annual), "continuous" (annual -> per unit),
   "from_continuous", "discount_factor" (annual, unit, t), "unit_years", "unit_days" (t units
   in years or days: cv_unit_years, cv_unit_days), "nominal"
   (nominal, m: compounded m times a year -> annual) */
static int mdl_rate(lua_State *L)
{
    static const char *const what[] = {"per_period",      "annual",          "continuous",
                                       "from_continuous", "discount_factor", "unit_years",
                                       "nominal",         "unit_days",       NULL};
    int w = luaL_checkoption(L, 1, NULL, what);
    double v = luaL_checknumber(L, 2), r;
    cv_time_unit u = w == 6 ? CV_UNIT_YEAR : parseunit(L, lbind_checkstring(L, 3), "rate");
    switch (w) {
    case 0:
        r = cv_rate_per_period(v, u);
        break;
    case 1:
        r = cv_rate_annual(v, u);
        break;
    case 2:
        r = cv_rate_continuous(v, u);
        break;
    case 3:
        r = cv_rate_from_continuous(v, u);
        break;
    case 4:
        r = cv_discount_factor(v, u, luaL_checknumber(L, 4));
        break;
    case 5:
        r = cv_unit_years(u) * v;
        break;
    case 6:
        r = cv_rate_nominal_to_annual(v, luaL_checknumber(L, 3));
        break;
    default:
        r = cv_unit_days(u) * v;
        break;
    }
    if (isnan(r))
        return luaL_error(L, "rate %f is not above -1", v);
    lua_pushnumber(L, r);
    return 1;
}

/* models.correlation(Table, {x =, m =}) -> Pearson r of x and mean spend over x > 0 */
static int mdl_correlation(lua_State *L)
{
    const cv_table *s = lbind_checktable(L, 1);
    cv_model_rows rows;
    cv_model_cols cols;
    cv_error err;
    double r;
    checkcols(L, 2, "correlation", &cols);
    if (cv_model_rows_from_table(&cv_model_gamma_gamma, s, &cols, &rows, &err) != 0)
        return lbind_error(L, &err);
    r = cv_model_spend_correlation(&rows.data);
    cv_model_rows_free(&rows);
    lua_pushnumber(L, r);
    return 1;
}

static const luaL_Reg mdl_funcs[] = {{"fit", mdl_fit},
                                     {"loglik", mdl_loglik},
                                     {"predict", mdl_predict},
                                     {"predict1", mdl_predict1},
                                     {"clv", mdl_clv},
                                     {"validate", mdl_validate},
                                     {"tracking", mdl_tracking},
                                     {"simulate", mdl_simulate},
                                     {"simulate_tx", mdl_simulate_tx},
                                     {"list", mdl_list},
                                     {"info", mdl_info},
                                     {"rate", mdl_rate},
                                     {"correlation", mdl_correlation},
                                     {NULL, NULL}};

int luaopen_cv_models(lua_State *L)
{
    luaL_newlib(L, mdl_funcs);
    return 1;
}
