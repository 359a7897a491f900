/* Lua binding of the Pareto/NBD with time-varying covariates (cv.core.dyncov): the arrays
   lua/cv/dyncov.lua builds from the summary, the transactions and the covariate table, into
   src/core/model_dyncov*.c (include/cvkit/dyncov.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "cvkit/dyncov.h"
#include "cvkit/dyncov_sim.h"
#include "cvkit/models.h"
#include "cvkit/units.h"
#include "lbind.h"

/* The numbers of array field f of the table at index idx (n of them; n = -1: its length
   into *n) into scratch memory. Fields are read raw (no metamethod of the data table runs). */
static double *numbers(lua_State *L, int idx, const char *f, size_t *n)
{
    double *v;
    size_t len;
    if (lbind_rawfield(L, idx, f) != LUA_TTABLE)
        luaL_error(L, "dyncov: field '%s' must be an array", f);
    len = (size_t)lua_rawlen(L, -1);
    if (*n != (size_t)-1 && len != *n)
        luaL_error(L, "dyncov: field '%s' has %d values, %d expected", f, (int)len, (int)*n);
    *n = len;
    v = lbind_scratch(L, sizeof(double) * (len ? len : 1));
    lua_insert(L, -2); /* keep the scratch below the array */
    for (size_t i = 0; i < len; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TNUMBER)
            luaL_error(L, "dyncov: field '%s', element %d: number expected", f, (int)i + 1);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop the element */
    }
    lua_pop(L, 1); /* pop the array; the scratch stays on the stack */
    return v;
}

/* Offsets (n + 1) from the counts of field f. */
static size_t *offsets(lua_State *L, int idx, const char *f, size_t n)
{
    size_t m = n, *o;
    const double *c = numbers(L, idx, f, &m);
    o = lbind_scratch(L, sizeof(size_t) * (n + 1));
    o[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(c[i] >= 0 && c[i] == floor(c[i]) && c[i] <= 0x1p53 - (double)o[i])) /* no wrap */
            luaL_error(L, "dyncov: field '%s', element %d: a count expected", f, (int)i + 1);
        o[i + 1] = o[i] + (size_t)c[i];
    }
    return o;
}

typedef struct {
    cv_dyncov_data d;
    cv_dyncov_spec spec;
    cv_penalty pen;
    cv_dyncov_opts o;
    unsigned proc[CV_OPTIM_MAXN];
    size_t col[CV_OPTIM_MAXN];
} args;

static const char *const penalty_scales[] = {"log", "natural", NULL};

/* The data table at idx: {x, t_x, T, ntrans, ttime, nper, pstart, z, ncov, proc, col}, pend
   (optional), and
   optionally the fit's penalizer, penalizer_scale, reg_trans, reg_life and numeric. */
static void checkargs(lua_State *L, int idx, args *a)
{
    size_t n = (size_t)-1, m = (size_t)-1, np, nz, k;
    luaL_checktype(L, idx, LUA_TTABLE);
    memset(a, 0, sizeof *a);
    a->d.x = numbers(L, idx, "x", &n);
    a->d.t_x = numbers(L, idx, "t_x", &n);
    a->d.T = numbers(L, idx, "T", &n);
    a->d.n = n;
    a->d.tbeg = offsets(L, idx, "ntrans", n);
    m = a->d.tbeg[n];
    a->d.ttime = numbers(L, idx, "ttime", &m);
    a->d.pbeg = offsets(L, idx, "nper", n);
    np = a->d.pbeg[n];
    a->d.pstart = numbers(L, idx, "pstart", &np);
    if (lbind_rawfield(L, idx, "pend") != LUA_TNIL) { /* optional: the periods' ends */
        lua_pop(L, 1);                                /* pop pend */
        a->d.pend = numbers(L, idx, "pend", &np);
    } else {
        lua_pop(L, 1); /* pop the nil */
    }
    if (lbind_rawfield(L, idx, "ncov") != LUA_TNUMBER || lua_tointeger(L, -1) < 1 ||
        (double)lua_tointeger(L, -1) * (double)(np ? np : 1) > 0x1p53) /* np * ncov: no wrap */
        luaL_error(L, "dyncov: field 'ncov' must be a positive integer");
    a->d.ncov = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1); /* pop ncov */
    nz = np * a->d.ncov;
    a->d.z = numbers(L, idx, "z", &nz);
    if (lbind_rawfield(L, idx, "proc") != LUA_TTABLE)
        luaL_error(L, "dyncov: field 'proc' must be an array");
    k = (size_t)lua_rawlen(L, -1);
    if (k > CV_OPTIM_MAXN - 4)
        luaL_error(L, "dyncov: at most %d coefficients", CV_OPTIM_MAXN - 4);
    for (size_t i = 0; i < k; i++) {
        const char *p;
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        p = lbind_checkstring(L, -1);
        if (strcmp(p, "trans") == 0)
            a->proc[i] = CV_COV_TRANS;
        else if (strcmp(p, "life") == 0)
            a->proc[i] = CV_COV_LIFE;
        else if (strcmp(p, "both") == 0)
            a->proc[i] = CV_COV_TRANS | CV_COV_LIFE;
        else
            luaL_error(L, "dyncov: coefficient %d: invalid process '%s' (trans, life or both)",
                       (int)i + 1, p);
        lua_pop(L, 1); /* pop the process */
    }
    lua_pop(L, 1); /* pop proc */
    if (lbind_rawfield(L, idx, "col") != LUA_TTABLE || (size_t)lua_rawlen(L, -1) != k)
        luaL_error(L, "dyncov: field 'col' must be an array as long as 'proc'");
    for (size_t i = 0; i < k; i++) {
        lua_Integer c;
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        c = luaL_checkinteger(L, -1);
        if (c < 1 || (size_t)c > a->d.ncov)
            luaL_error(L, "dyncov: coefficient %d: no covariate column %d", (int)i + 1, (int)c);
        a->col[i] = (size_t)(c - 1);
        lua_pop(L, 1); /* pop the column */
    }
    lua_pop(L, 1); /* pop col */
    a->spec.ncoef = k, a->spec.proc = a->proc, a->spec.col = a->col;
    /* the fit's options: the penalty (the core checks the values) and the numerical
       gradient (the check of the analytic one) */
    a->pen.params = lbind_opt_number(L, idx, "penalizer", "dyncov", 0.0);
    a->pen.scale = lbind_opt_option(L, idx, "penalizer_scale", "dyncov", 0, penalty_scales);
    a->pen.trans = lbind_opt_number(L, idx, "reg_trans", "dyncov", 0.0);
    a->pen.life = lbind_opt_number(L, idx, "reg_life", "dyncov", 0.0);
    a->o.pen = &a->pen;
    a->o.numeric = lbind_opt_boolean(L, idx, "numeric", "dyncov", 0);
}

/* Reads the parameter vector at idx into th (log r, log alpha, log s, log beta, then a's
   coefficients: exactly that many numbers) and returns its length. */
static int check_theta(lua_State *L, int idx, const args *a, double *th)
{
    int k = 4 + (int)a->spec.ncoef;
    luaL_checktype(L, idx, LUA_TTABLE);
    if ((int)lua_rawlen(L, idx) != k)
        return luaL_argerror(L, idx, lua_pushfstring(L, "%d values expected", k));
    for (int j = 0; j < k; j++) {
        lua_rawgeti(L, idx, j + 1);
        th[j] = luaL_checknumber(L, -1);
        lua_pop(L, 1); /* pop the value */
    }
    return k;
}

/* dyncov.loglik(data, theta) -> LL, {LL of each customer} at theta (log r, log alpha,
   log s, log beta, coefficients) */
static int dyn_loglik(lua_State *L)
{
    args a;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], ll, *lli;
    int rc;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    lli = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_loglik(p, &a.spec, th, &ll, lli, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, ll);
    lua_createtable(L, (int)a.d.n, 0);
    for (size_t i = 0; i < a.d.n; i++) {
        lua_pushnumber(L, lli[i]);
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
    return 2;
}

/* dyncov.objective(data, theta) -> f, {gradient}: the fit's objective (-LL/N plus the
   penalty of data) at theta and its analytic gradient by theta */
static int dyn_objective(lua_State *L)
{
    args a;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], g[CV_OPTIM_MAXN], f;
    int k, rc;
    checkargs(L, 1, &a);
    k = check_theta(L, 2, &a, th);
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_objective(p, &a.spec, &a.pen, th, &f, g, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, f);
    lua_createtable(L, k, 0);
    for (int j = 0; j < k; j++) {
        lua_pushnumber(L, g[j]);
        lua_seti(L, -2, j + 1);
    }
    return 2;
}

/* dyncov.fit(data) -> {est, se, cov, eig, eigvec, loglik, loglik0, aic, bic, n_obs,
   converged, status, boundary, se_ok, message, method, iterations, evaluations, grad_norm} */
static int dyn_fit(lua_State *L)
{
    static const char *const pn[4] = {"r", "alpha", "s", "beta"};
    args a;
    cv_error err;
    cv_dyncov_prep *p;
    cv_dyncov_fit fit;
    int rc;
    checkargs(L, 1, &a);
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_model_fit(p, &a.spec, &a.o, &fit, &err);
    cv_dyncov_prep_free(p);
    if (rc > 1)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 20);
    lbind_setarray(L, "est", fit.est, fit.k);
    lbind_setarray(L, "se", fit.se, fit.k);
    if (fit.se_ok)
        lbind_setarray(L, "cov", fit.cov, fit.k * fit.k);
    lbind_setarray(L, "eig", fit.eig, fit.k);
    lbind_setarray(L, "eigvec", fit.eigvec, fit.k * fit.k);
    lbind_setnumber(L, "loglik", fit.loglik);
    lbind_setnumber(L, "loglik0", fit.loglik0);
    lbind_setnumber(L, "objective", fit.objective);
    lbind_setnumber(L, "aic", fit.aic);
    lbind_setnumber(L, "bic", fit.bic);
    lbind_setnumber(L, "n_obs", fit.n_obs);
    lbind_setinteger(L, "n_rows", (lua_Integer)a.d.n);
    lbind_setboolean(L, "converged", rc == 0);
    lbind_setfitstate(L, fit.status, fit.boundary, pn, 4, fit.se_ok);
    lbind_setoptim(L, &fit.optim);
    return 1;
}

/* Pushes the array v[n] as a new Lua array. */
static void push_array(lua_State *L, const double *v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
}

/* dyncov.p_alive(data, theta) -> {P(alive) of each customer} at theta */
static int dyn_p_alive(lua_State *L)
{
    args a;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], *pa;
    int rc;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    pa = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_p_alive(p, &a.spec, th, pa, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    push_array(L, pa, a.d.n);
    return 1;
}

/* Reads the future covariate periods {nper, pstart, z[, pend]} of the table at idx (an
   absolute index) for a's customers into f (scratch memory on the stack). */
static void future_arg(lua_State *L, int idx, const args *a, cv_dyncov_data *f)
{
    size_t np, nz;
    memset(f, 0, sizeof *f);
    f->n = a->d.n, f->ncov = a->d.ncov;
    f->pbeg = offsets(L, idx, "nper", f->n);
    np = f->pbeg[f->n];
    f->pstart = numbers(L, idx, "pstart", &np);
    if (lbind_rawfield(L, idx, "pend") != LUA_TNIL) {
        lua_pop(L, 1); /* pop pend */
        f->pend = numbers(L, idx, "pend", &np);
    } else {
        lua_pop(L, 1); /* pop the nil */
    }
    nz = np * f->ncov;
    f->z = numbers(L, idx, "z", &nz);
}

/* dyncov.simulate(data, theta, seed) -> {x =, t_x =, ntrans =, ttime =}: each customer of
   data (its T and periods; its x, t_x and purchases are not read) drawn at theta
   (cv_dyncov_simulate, include/cvkit/dyncov_sim.h) */
static int dyn_simulate(lua_State *L)
{
    args a;
    cv_error err;
    cv_dyncov_draws dr;
    double th[CV_OPTIM_MAXN], *nt;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 3);
    nt = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if (cv_dyncov_simulate(&a.d, &a.spec, th, seed, &dr, &err) != 0)
        return lbind_error(L, &err);
    for (size_t i = 0; i < a.d.n; i++)
        nt[i] = (double)(dr.tbeg[i + 1] - dr.tbeg[i]);
    lua_createtable(L, 0, 4);
    push_array(L, dr.x, a.d.n), lua_setfield(L, -2, "x");
    push_array(L, dr.t_x, a.d.n), lua_setfield(L, -2, "t_x");
    push_array(L, nt, a.d.n), lua_setfield(L, -2, "ntrans");
    push_array(L, dr.ttime, dr.tbeg[a.d.n]), lua_setfield(L, -2, "ttime");
    cv_dyncov_draws_free(&dr);
    return 1;
}

/* dyncov.first_days(seed, n, start, cohort_days) -> {day numbers}: the first purchase days
   of n customers (cv_dyncov_first_days) */
static int dyn_first_days(lua_State *L)
{
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 1);
    size_t n = (size_t)lbind_checkrange(L, 2, 0, 100000000);
    int32_t start = (int32_t)lbind_checkrange(L, 3, INT32_MIN / 2, INT32_MAX / 2);
    int cohort = (int)lbind_checkrange(L, 4, 1, INT32_MAX / 2);
    int32_t *f = lbind_scratch(L, sizeof(int32_t) * (n ? n : 1));
    cv_dyncov_first_days(seed, n, start, cohort, f);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushinteger(L, f[i]);
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* dyncov.simulate_tx(data, theta, seed, first, end, unit [, ids, idname]) -> Table customer
   (or idname with the values ids), date, amount: each customer of data drawn at theta, its
   first purchase on day first[i] (cv_dyncov_simulate_tx) */
static int dyn_simulate_tx(lua_State *L)
{
    static const char *const units[] = {"day", "week", "month", "year", NULL};
    args a;
    cv_error err;
    double th[CV_OPTIM_MAXN];
    int32_t *first;
    cv_column *id = NULL;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    luaL_argcheck(L, lua_rawlen(L, 4) == a.d.n, 4, "one first day per customer expected");
    first = lbind_scratch(L, sizeof(int32_t) * (a.d.n ? a.d.n : 1));
    for (size_t i = 0; i < a.d.n; i++) {
        lua_rawgeti(L, 4, (lua_Integer)i + 1);
        first[i] = (int32_t)lbind_checkrange(L, -1, INT32_MIN / 2, INT32_MAX / 2);
        lua_pop(L, 1); /* pop the day */
    }
    int32_t end = (int32_t)lbind_checkrange(L, 5, INT32_MIN / 2, INT32_MAX / 2);
    cv_time_unit unit = (cv_time_unit)luaL_checkoption(L, 6, NULL, units);
    cv_table **slot = lbind_newtable(L);
    if (!lua_isnoneornil(L, 7)) {
        if (!(id = lbind_tocolumn(L, 7, luaL_checkstring(L, 8), (int64_t)a.d.n, -1, &err)))
            return lbind_error(L, &err);
    }
    *slot = cv_dyncov_simulate_tx(&a.d, &a.spec, th, seed, first, end, unit, id, &err);
    cv_column_unref(id);
    if (!*slot)
        return lbind_error(L, &err);
    return 1;
}

/* dyncov.expected(data, theta, future, t) -> {E[purchases in (T, T+t]] of each customer}:
   future = {nper, pstart, z[, pend]}, the customers' periods after T (data's ncov) */
static int dyn_expected(lua_State *L)
{
    args a;
    cv_dyncov_data f;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], *e, t;
    int rc;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    luaL_checktype(L, 3, LUA_TTABLE);
    t = luaL_checknumber(L, 4);
    future_arg(L, 3, &a, &f);
    e = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_expected(p, &a.spec, th, &f, t, e, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    push_array(L, e, a.d.n);
    return 1;
}

/* dyncov.dtx(data, theta, future, h, delta, per_period) -> {expected discounted repeat
   purchases in (T, T+h] of each customer} (cv_dyncov_dtx): future as dyncov.expected's (its
   pend may hold math.huge), or false: each customer's last covariates before T held; h may
   be math.huge (DERT); per_period a boolean */
static int dyn_dtx(lua_State *L)
{
    args a;
    cv_dyncov_data f;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], *e, h, delta;
    int rc, per;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    h = luaL_checknumber(L, 4);
    delta = luaL_checknumber(L, 5);
    per = lua_toboolean(L, 6);
    memset(&f, 0, sizeof f);
    if (lua_toboolean(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        future_arg(L, 3, &a, &f);
    }
    e = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_dtx(p, &a.spec, th, f.pbeg ? &f : NULL, h, delta, per, e, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    push_array(L, e, a.d.n);
    return 1;
}

/* dyncov.pmf(data, theta, future, t, n) -> {P(n purchases in (T, T+t]) of each customer}
   given future's covariates (as dyncov.expected's) */
static int dyn_pmf(lua_State *L)
{
    args a;
    cv_dyncov_data f;
    cv_error err;
    cv_dyncov_prep *p;
    double th[CV_OPTIM_MAXN], *e, t;
    lua_Integer n;
    int rc;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    luaL_checktype(L, 3, LUA_TTABLE);
    t = luaL_checknumber(L, 4);
    n = luaL_checkinteger(L, 5);
    luaL_argcheck(L, n >= 0 && n <= 1000000000, 5, "a count expected");
    future_arg(L, 3, &a, &f);
    e = lbind_scratch(L, sizeof(double) * (a.d.n ? a.d.n : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_pmf_conditional(p, &a.spec, th, &f, t, (unsigned)n, e, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    push_array(L, e, a.d.n);
    return 1;
}

/* dyncov.pmf_new(data, theta, path, t, n) -> P(X(t) = n), E[X(t)] of a new customer whose
   covariate periods from its first purchase are path = {pstart, z[, pend]} (data gives the
   coefficients' design) */
static int dyn_pmf_new(lua_State *L)
{
    args a;
    cv_error err;
    double th[CV_OPTIM_MAXN], t, pmf, mean;
    const double *ps, *pe = NULL, *z;
    size_t np = (size_t)-1, nz;
    lua_Integer n;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, th);
    luaL_checktype(L, 3, LUA_TTABLE);
    t = luaL_checknumber(L, 4);
    n = luaL_checkinteger(L, 5);
    luaL_argcheck(L, n >= 0 && n <= 1000000000, 5, "a count expected");
    ps = numbers(L, 3, "pstart", &np);
    if (lbind_rawfield(L, 3, "pend") != LUA_TNIL) {
        lua_pop(L, 1); /* pop pend */
        pe = numbers(L, 3, "pend", &np);
    } else {
        lua_pop(L, 1); /* pop the nil */
    }
    nz = np * a.d.ncov;
    z = numbers(L, 3, "z", &nz);
    if (cv_dyncov_pmf_new(&a.spec, th, a.d.ncov, ps, pe, z, np, t, (unsigned)n, &pmf, &mean,
                          &err) != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, pmf);
    lua_pushnumber(L, mean);
    return 2;
}

/* dyncov.profile(data, est, j, values) -> {loglik at each value (NaN where not computed)}:
   the profile log-likelihood of component j (1-based: r, alpha, s, beta, coefficients) */
static int dyn_profile(lua_State *L)
{
    args a;
    cv_error err;
    cv_dyncov_prep *p;
    double est[CV_OPTIM_MAXN], *vals, *ll;
    size_t nv = (size_t)-1;
    lua_Integer j;
    int rc;
    checkargs(L, 1, &a);
    check_theta(L, 2, &a, est); /* natural scale here: the core checks */
    j = luaL_checkinteger(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 4);
    lua_setfield(L, -2, "v"); /* {v = values}: numbers() reads a field */
    vals = numbers(L, lua_gettop(L), "v", &nv);
    ll = lbind_scratch(L, sizeof(double) * (nv ? nv : 1));
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL)
        return lbind_error(L, &err);
    rc = cv_dyncov_profile(p, &a.spec, est, (int)(j < 1 || j > 64 ? 0 : j) - 1, vals, nv, ll, &err);
    cv_dyncov_prep_free(p);
    if (rc != 0)
        return lbind_error(L, &err);
    push_array(L, ll, nv);
    return 1;
}

/* The future periods of field f of the options at idx into *f when it is a table (0 when
   false or absent: NULL in the core, the last covariates held). */
static int opt_future(lua_State *L, int idx, const char *field, const args *a, cv_dyncov_data *f)
{
    if (lbind_rawfield(L, idx, field) != LUA_TTABLE) {
        lua_pop(L, 1); /* pop the non-table */
        return 0;
    }
    future_arg(L, lua_gettop(L), a, f); /* the table stays below the scratch */
    return 1;
}

/* dyncov.intervals(data, est, cov, {kinds = {"p_alive", "conditional", "dert", "clv"},
   cond = future | false, cond_hold =, horizon =, dert = future | false, delta =, clv = future
   | false, clv_horizon =, clv_rate =, value = {...}, spend = a Gamma-Gamma fit as
   cv.core.intervals.run takes it (CLV; value then the margin share) with sx =, sm = {...}
   (each customer's x and mean spend), method =, level =, draws =, seed =, fit =
   the data table the model was fitted on, with its penalty (the bootstrap's)}) ->
   {est =, lo =, hi = (nk (n + 1) each: kind j's customers, then the totals), p_lo =, p_hi =,
   draws =, used =}: cv_dyncov_intervals at est (natural scale) with the fit's covariance cov
   of theta */
static int dyn_intervals(lua_State *L)
{
    static const char *const methods[] = {"asymptotic", "bootstrap", NULL};
    static const char *const FN = "dyncov.intervals";
    args a, af;
    cv_dyncov_data fc, fd, fl;
    cv_dyncov_interval_spec sp;
    cv_interval_options o;
    cv_interval_result r;
    cv_error err;
    cv_dyncov_prep *p, *pf = NULL;
    double est[CV_OPTIM_MAXN], gp[CV_INTERVAL_MAXP], gcov[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP];
    const double *cov;
    size_t nc, nv, nout;
    int k, rc;
    checkargs(L, 1, &a);
    k = check_theta(L, 2, &a, est);
    nc = (size_t)k * (size_t)k;
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "cov"); /* {cov = cov}: numbers() reads a field */
    cov = numbers(L, lua_gettop(L), "cov", &nc);
    luaL_checktype(L, 4, LUA_TTABLE);
    memset(&sp, 0, sizeof sp);
    if (lbind_opt_field(L, 4, "kinds", LUA_TTABLE, FN)) {
        for (int i = 1; i <= (int)lua_rawlen(L, -1); i++, lua_pop(L, 1)) {
            int j = 0;
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                lbind_opt_error(L, "kinds", FN, "strings expected");
            while (j < CV_IV_KINDS && strcmp(lua_tostring(L, -1), cv_iv_name(j)) != 0)
                j++;
            if (j == CV_IV_KINDS)
                lbind_opt_error(L, "kinds", FN, "unknown kind");
            sp.kinds |= 1u << j;
        }
        lua_pop(L, 1); /* pop kinds */
    }
    sp.cond = opt_future(L, 4, "cond", &a, &fc) ? &fc : NULL;
    sp.cond_hold = lbind_opt_boolean(L, 4, "cond_hold", FN, 0);
    sp.horizon = lbind_opt_number(L, 4, "horizon", FN, 0);
    sp.dert = opt_future(L, 4, "dert", &a, &fd) ? &fd : NULL;
    sp.delta = lbind_opt_number(L, 4, "delta", FN, 0);
    sp.clv = opt_future(L, 4, "clv", &a, &fl) ? &fl : NULL;
    sp.clv_horizon = lbind_opt_number(L, 4, "clv_horizon", FN, HUGE_VAL);
    sp.clv_rate = lbind_opt_number(L, 4, "clv_rate", FN, 0);
    if (lbind_rawfield(L, 4, "value") == LUA_TTABLE) {
        lua_pop(L, 1); /* pop value */
        nv = a.d.n;
        sp.value = numbers(L, 4, "value", &nv);
    } else {
        lua_pop(L, 1); /* pop the non-table */
    }
    if (lbind_opt_field(L, 4, "spend", LUA_TTABLE, FN)) {    /* the spend model (CLV) */
        lbind_iv_fit(L, lua_gettop(L), &sp.spend, gp, gcov); /* left on the stack */
        nv = a.d.n;
        sp.sx = numbers(L, 4, "sx", &nv);
        nv = a.d.n;
        sp.sm = numbers(L, 4, "sm", &nv);
    }
    o.method = lbind_opt_option(L, 4, "method", FN, 0, methods);
    o.level = lbind_opt_number(L, 4, "level", FN, 0.9);
    o.draws = (size_t)lbind_opt_integer(L, 4, "draws", FN, 1000, 0, 100000000);
    o.seed = (uint64_t)lbind_opt_integer(L, 4, "seed", FN, 1, LUA_MININTEGER, LUA_MAXINTEGER);
    if (lbind_opt_field(L, 4, "fit", LUA_TTABLE, FN)) { /* the bootstrap's customers */
        checkargs(L, lua_gettop(L), &af);
        if (af.spec.ncoef != a.spec.ncoef)
            lbind_opt_error(L, "fit", FN, "not the model's coefficients");
        if ((pf = cv_dyncov_prepare(&af.d, &err)) == NULL)
            return lbind_error(L, &err);
        sp.fit = pf, sp.pen = &af.pen;
    }
    if ((p = cv_dyncov_prepare(&a.d, &err)) == NULL) {
        cv_dyncov_prep_free(pf);
        return lbind_error(L, &err);
    }
    rc = cv_dyncov_intervals(p, &a.spec, est, cov, &sp, &o, &r, &err);
    cv_dyncov_prep_free(p);
    cv_dyncov_prep_free(pf);
    if (rc != 0)
        return lbind_error(L, &err);
    nout = r.nout;
    lua_createtable(L, 0, 7);
    push_array(L, r.est, nout);
    lua_setfield(L, -2, "est");
    push_array(L, r.lo, nout);
    lua_setfield(L, -2, "lo");
    push_array(L, r.hi, nout);
    lua_setfield(L, -2, "hi");
    push_array(L, r.p_lo, (size_t)r.np);
    lua_setfield(L, -2, "p_lo");
    push_array(L, r.p_hi, (size_t)r.np);
    lua_setfield(L, -2, "p_hi");
    lbind_setinteger(L, "draws", (lua_Integer)r.draws);
    lbind_setinteger(L, "used", (lua_Integer)r.used);
    cv_interval_result_free(&r);
    return 1;
}

/* dyncov.between(a, b, unit) -> the time from day a to day b (days since 1970-01-01) in unit
   "day", "week", "month" or "year", as the summary measures t_x and T (cv_time_between) */
static int dyn_between(lua_State *L)
{
    static const char *const units[] = {"day", "week", "month", "year", NULL};
    const lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);
    const int u = luaL_checkoption(L, 3, NULL, units);
    if (a < -4000000 || a > 4000000 || b < -4000000 || b > 4000000)
        return luaL_error(L, "date out of range (the years 1 to 9999)");
    lua_pushnumber(L, cv_time_between((int32_t)a, (int32_t)b, (cv_time_unit)u));
    return 1;
}

static const luaL_Reg dyn_funcs[] = {{"intervals", dyn_intervals},
                                     {"pmf", dyn_pmf},
                                     {"pmf_new", dyn_pmf_new},
                                     {"profile", dyn_profile},
                                     {"between", dyn_between},
                                     {"dtx", dyn_dtx},
                                     {"expected", dyn_expected},
                                     {"fit", dyn_fit},
                                     {"loglik", dyn_loglik},
                                     {"objective", dyn_objective},
                                     {"p_alive", dyn_p_alive},
                                     {"simulate", dyn_simulate},
                                     {"first_days", dyn_first_days},
                                     {"simulate_tx", dyn_simulate_tx},
                                     {NULL, NULL}};

int luaopen_cv_dyncov(lua_State *L)
{
    luaL_newlib(L, dyn_funcs);
    return 1;
}
