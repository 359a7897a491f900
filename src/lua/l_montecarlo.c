/* cvkit Lua module "cv.core.mc": Monte Carlo draws, formulas run over draws in C, summaries
   of simulated values, the bracketing root finder (calling back into Lua through a
   protected call), over src/core/montecarlo.c. Its files are written through
   "cv.core.file" (l_file.c). The scenario engine (lua/cv/scenario.lua) is the friendly face. */
#include <math.h>
#include <string.h>

#include "cvkit/formulas.h"
#include "cvkit/montecarlo.h"
#include "lbind.h"

/* Reads the distribution spec at idx: {"uniform", 50, 150 [, clamp = {lo, hi}]}, a number
   (fixed), or {"resample", {values...}} (the values go to scratch memory pushed on the
   stack: keep it until the draws are done). what names the input in messages. */
static void checkdist(lua_State *L, int idx, const char *what, cv_dist *d)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TNUMBER) {
        *d = cv_dist_init(CV_DIST_FIXED, lua_tonumber(L, idx), 0, 0);
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE || lua_rawgeti(L, idx, 1) != LUA_TSTRING)
        luaL_error(L, "%s: expected a number or a distribution such as {\"uniform\", 1, 2}", what);
    int kind = cv_dist_parse(lua_tostring(L, -1));
    if (kind < 0)
        luaL_error(L,
                   "%s: unknown distribution '%s' (uniform, normal, lognormal, triangular, "
                   "beta, resample)",
                   what, lua_tostring(L, -1));
    lua_pop(L, 1); /* pop name */
    *d = cv_dist_init((cv_dist_kind)kind, 0, 0, 0);
    if (kind == CV_DIST_RESAMPLE) {
        if (lua_rawgeti(L, idx, 2) != LUA_TTABLE)
            luaL_error(L, "%s: resample expects a list of values", what);
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        double *v = lbind_scratch(L, (size_t)(n > 0 ? n : 1) * sizeof *v);
        for (lua_Integer i = 1; i <= n; i++) {
            int isnum;
            lua_rawgeti(L, -2, i);
            v[i - 1] = lua_tonumberx(L, -1, &isnum);
            if (!isnum)
                luaL_error(L, "%s: resample value %d is not a number", what, (int)i);
            lua_pop(L, 1); /* pop value */
        }
        lua_remove(L, -2); /* remove the list, keep the scratch */
        d->values = v;
        d->nvalues = (int64_t)n;
    } else {
        for (int k = 0; k < 3; k++) {
            int isnum;
            lua_rawgeti(L, idx, k + 2);
            d->p[k] = lua_tonumberx(L, -1, &isnum);
            if (!isnum && (k < 2 || kind == CV_DIST_TRIANGULAR))
                luaL_error(L, "%s: %s expects %d numbers", what, cv_dist_name(d->kind),
                           kind == CV_DIST_TRIANGULAR ? 3 : 2);
            lua_pop(L, 1); /* pop parameter */
        }
    }
    if (lbind_rawfield(L, idx, "clamp") == LUA_TTABLE) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        if ((!lua_isnil(L, -2) && !lua_isnumber(L, -2)) ||
            (!lua_isnil(L, -1) && !lua_isnumber(L, -1)))
            luaL_error(L, "%s: clamp expects {lo, hi} (numbers or nil)", what);
        d->lo = luaL_optnumber(L, -2, -INFINITY);
        d->hi = luaL_optnumber(L, -1, INFINITY);
        lua_pop(L, 2); /* pop lo, hi */
    }
    lua_pop(L, 1); /* pop clamp */
    cv_error err;
    if (cv_dist_check(d, &err) != 0)
        luaL_error(L, "%s: %s", what, lbind_push_message(L, err.msg));
}

/* Drops what a loop pushed from index at up, but the scratch checkdist left on top (the
   resampled values, above the spec and its name): the stack of a binding holds LUA_MINSTACK
   slots, so a loop over up to 64 specs keeps one slot per spec at most. */
static void keep_scratch(lua_State *L, int at)
{
    if (lua_gettop(L) > at && lua_type(L, -1) == LUA_TUSERDATA) {
        lua_replace(L, at);
        lua_settop(L, at);
    } else {
        lua_settop(L, at - 1);
    }
}

/* mc.draws({spec, ...}, n, seed) -> {{values of spec 1}, {values of spec 2}, ...}: draw i
   takes the specs in order (as mc.formula does for its uncertain inputs) */
static int mc_draws(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_checkinteger(L, 2), k = (lua_Integer)lua_rawlen(L, 1);
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 3);
    luaL_argcheck(L, n >= 1 && n <= 100000000, 2, "draws must be between 1 and 1e8");
    luaL_argcheck(L, k >= 1 && k <= 64, 1, "1 to 64 distributions expected");
    cv_dist *d = lbind_scratch(L, (size_t)k * sizeof *d);
    double *out = lbind_scratch(L, (size_t)(n * k) * sizeof *out);
    for (lua_Integer j = 0; j < k; j++) {
        int at = lua_gettop(L) + 1;
        lua_rawgeti(L, 1, j + 1);
        checkdist(L, at, lua_pushfstring(L, "input %d", (int)j + 1), &d[j]);
        keep_scratch(L, at);
    }
    cv_error err;
    if (cv_mc_draw(d, (int)k, (int64_t)n, seed, out, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, (int)k, 0);
    for (lua_Integer j = 0; j < k; j++) {
        lua_createtable(L, (int)n, 0);
        for (lua_Integer i = 0; i < n; i++) {
            lua_pushnumber(L, out[i * k + j]);
            lua_seti(L, -2, i + 1); /* values[i + 1] = draw */
        }
        lua_seti(L, -2, j + 1); /* result[j + 1] = values */
    }
    return 1;
}

/* Adds a float column name holding v[r * stride] for r < n (NaN = missing) to t. */
static int add_column(cv_table *t, const char *name, const double *v, int64_t n, int stride,
                      cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n);
    int rc = c ? 0 : cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (int64_t r = 0; r < n && !rc; r++) {
        double x = v[r * stride];
        rc = isnan(x) ? cv_column_push_missing(c) : cv_column_push_float(c, x);
        if (rc)
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (!rc)
        rc = cv_table_add(t, c, err);
    cv_column_unref(c);
    return rc;
}

/* mc.formula(name, inputs, n, seed [, out = "value"]) -> Table, rejected: inputs maps each
   input of the formula to a number or a distribution spec; the table has one row per draw
   with the uncertain inputs' values and the result (missing where the draw was outside the
   formula's domain, counted in rejected) */
static int mc_formula(lua_State *L)
{
    const char *name = lbind_checkstring(L, 1);
    const cv_formula *f = cv_formula_find(name);
    lua_Integer n = luaL_checkinteger(L, 3);
    uint64_t seed = (uint64_t)luaL_checkinteger(L, 4);
    const char *outname = lbind_optstring(L, 5, "value");
    cv_dist d[CV_FORMULA_MAX_INPUTS];
    double x[CV_FORMULA_MAX_INPUTS];
    int m = 0, names[CV_FORMULA_MAX_INPUTS];
    int64_t rejected = 0;
    cv_error err;
    if (!f)
        return luaL_error(L, "unknown formula '%s' (see cvkit explain --list)", name);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_argcheck(L, n >= 1 && n <= 100000000, 3, "draws must be between 1 and 1e8");
    for (int i = 0; i < f->ninputs; i++) {
        int base = lua_gettop(L) + 1; /* the input's value, its name, maybe a scratch */
        int at = lbind_rawfield(L, 2, f->inputs[i].name) == LUA_TNIL ? 0 : base;
        if (at == 0 && f->inputs[i].optional) {
            d[i] = cv_dist_init(CV_DIST_FIXED, f->inputs[i].def, 0, 0);
        } else {
            const char *what = lua_pushfstring(L, "%s: input '%s'", name, f->inputs[i].name);
            if (at == 0)
                return luaL_error(L, "%s is missing", what);
            if (f->inputs[i].domain == CV_DOM_PERIOD) { /* a unit name, never drawn */
                double u = 0;
                if (lua_type(L, at) != LUA_TSTRING)
                    return luaL_error(L, "%s expects a time unit (day, week, month, year)", what);
                if (cv_formula_period(&f->inputs[i], lua_tostring(L, at), &u, &err) != 0)
                    return lbind_error(L, &err);
                d[i] = cv_dist_init(CV_DIST_FIXED, u, 0, 0);
            } else {
                checkdist(L, at, what, &d[i]);
            }
        }
        keep_scratch(L, base);
        x[i] = d[i].p[0]; /* the fixed value (a placeholder for uncertain ones) */
        if (d[i].kind != CV_DIST_FIXED)
            names[m++] = i;
    }
    double *out = lbind_scratch(L, (size_t)n * sizeof *out);
    double *draws = lbind_scratch(L, (size_t)(n * (m > 0 ? m : 1)) * sizeof *draws);
    cv_table **slot = lbind_newtable(L);
    if (cv_mc_formula(f, x, d, (int64_t)n, seed, out, draws, &rejected, &err) != 0)
        return lbind_error(L, &err);
    if ((*slot = cv_table_new()) == NULL)
        return luaL_error(L, "out of memory");
    for (int j = 0; j < m; j++)
        if (add_column(*slot, f->inputs[names[j]].name, draws + j, (int64_t)n, m, &err) != 0)
            return lbind_error(L, &err);
    if (add_column(*slot, outname, out, (int64_t)n, 1, &err) != 0)
        return lbind_error(L, &err);
    lua_pushinteger(L, (lua_Integer)rejected);
    return 2;
}

static void setnum(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* Reads the values to summarize: a Lua array at idx, or a cv.Table at idx with the column
   named at idx + 1. Returns scratch memory with *n values (nil or missing = NaN). */
static double *checkvalues(lua_State *L, int idx, int64_t *n)
{
    double *v;
    *n = 0;
    if (lua_type(L, idx) == LUA_TTABLE) {
        *n = (int64_t)(lua_Integer)lua_rawlen(L, idx);
        v = lbind_scratch(L, (size_t)(*n > 0 ? *n : 1) * sizeof *v);
        for (int64_t i = 0; i < *n; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
            v[i] = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 1); /* pop value */
        }
        return v;
    }
    cv_table *t = lbind_checktable(L, idx);
    cv_error err;
    cv_column *c = cv_table_col(t, lbind_checkstring(L, idx + 1), &err);
    if (!c) {
        lbind_error(L, &err);
        return NULL; /* not reached: lbind_error raises */
    }
    if (c->type == CV_STRING)
        luaL_error(L, "summary: column '%s' is not numeric", c->name);
    *n = c->n;
    v = lbind_scratch(L, (size_t)(*n > 0 ? *n : 1) * sizeof *v);
    for (int64_t i = 0; i < *n; i++)
        v[i] = cv_column_number(c, i);
    return v;
}

/* mc.summary(values | t, col [, {below = threshold, bins = 30, lo =, hi =}]) ->
   {n, missing, mean, sd, min, max, p5, p25, p50, p75, p95, below, hist = {lo, hi, counts}} */
static int mc_summary(lua_State *L)
{
    int64_t n;
    int oidx = lua_type(L, 1) == LUA_TTABLE ? 2 : 3;
    double *v;
    lbind_frame(L); /* the scratch goes above the options, even when they are absent */
    v = checkvalues(L, 1, &n);
    cv_mc_summary s;
    cv_error err;
    if (cv_mc_summarize(v, n, &s, &err) != 0)
        return lbind_error(L, &err);
    lua_Number nbins = lbind_opt_number(L, oidx, "bins", "summary", 30);
    if (!(nbins >= 1 && nbins <= 1000000)) /* no cast out of int's range, no huge scratch */
        return lbind_opt_error(L, "bins", "summary",
                               lua_pushfstring(L, "1 to 1000000 expected, got %f", nbins));
    int bins = (int)nbins;
    if (!isfinite(s.min) || !isfinite(s.max))
        return luaL_error(L, "summary: the value %f cannot be binned (not a finite number)",
                          isfinite(s.min) ? s.max : s.min);
    double dlo = s.min, dhi = s.max, pad = fmax(1.0, fabs(s.min) * 1e-9);
    if (!(dhi > dlo)) { /* all values equal: one unit wide (1e-9 of a huge value) */
        dhi = dlo + pad;
        if (!isfinite(dhi))
            dhi = dlo, dlo -= pad;
    }
    double lo = lbind_opt_number(L, oidx, "lo", "summary", dlo);
    double hi = lbind_opt_number(L, oidx, "hi", "summary", dhi);
    int64_t *counts = lbind_scratch(L, (size_t)(bins > 0 ? bins : 1) * sizeof *counts);
    if (cv_mc_histogram(v, s.n, bins, lo, hi, counts, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 14);
    lbind_setinteger(L, "n", (lua_Integer)s.n);
    lbind_setinteger(L, "missing", (lua_Integer)s.missing);
    setnum(L, "mean", s.mean);
    setnum(L, "sd", s.sd);
    setnum(L, "min", s.min);
    setnum(L, "max", s.max);
    setnum(L, "p5", s.p5);
    setnum(L, "p25", s.p25);
    setnum(L, "p50", s.p50);
    setnum(L, "p75", s.p75);
    setnum(L, "p95", s.p95);
    if (lbind_opt_field(L, oidx, "below", LUA_TNUMBER, "summary")) {
        double thr = lua_tonumber(L, -1);
        lua_pop(L, 1); /* pop threshold */
        setnum(L, "below", cv_mc_prob_below(v, s.n, thr));
    }
    lua_createtable(L, 0, 3);
    setnum(L, "lo", lo);
    setnum(L, "hi", hi);
    lua_createtable(L, bins, 0);
    for (int b = 0; b < bins; b++) {
        lua_pushinteger(L, (lua_Integer)counts[b]);
        lua_seti(L, -2, b + 1); /* counts[b + 1] = count */
    }
    lua_setfield(L, -2, "counts");
    lua_setfield(L, -2, "hist");
    return 1;
}

/* The root finder's callback: calls the Lua function at stack index 1 with x through a
   protected call; on an error leaves the error value on the stack and returns 1. */
static int root_call(void *ud, double x, double *fx)
{
    lua_State *L = ud;
    lua_pushvalue(L, 1);
    lua_pushnumber(L, x);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK)
        return 1; /* error value on top */
    if (lua_type(L, -1) != LUA_TNUMBER) {
        const char *got = luaL_typename(L, -1);
        lua_pop(L, 1); /* pop result */
        lua_pushfstring(L, "the function given to root must return a number, got %s", got);
        return 1;
    }
    *fx = lua_tonumber(L, -1);
    lua_pop(L, 1); /* pop result */
    return 0;
}

/* mc.root(fn, lo, hi [, {scan = 1, tol = 0}]) -> x, {fx, fa, fb, lo, hi, evals}
   | nil, message, {fa, fb} when fn does not cross 0 in [lo, hi]; raises fn's errors */
static int mc_root(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    double a = luaL_checknumber(L, 2), b = luaL_checknumber(L, 3);
    lua_Number nscan = lbind_opt_number(L, 4, "scan", "root", 1);
    int scan =
        nscan >= 1 ? (nscan < 1000000 ? (int)nscan : 1000000) : 1; /* as the core: < 1 is 1 */
    double tol = lbind_opt_number(L, 4, "tol", "root", 0);
    cv_root_result r;
    cv_error err;
    lua_settop(L, 3);
    int rc = cv_root_find(root_call, L, a, b, scan, tol, &r, &err);
    if (rc == 1)
        return lua_error(L); /* the callback's error value is on top */
    if (rc == CV_ERR_DOMAIN && !isnan(r.fa) && !isnan(r.fb)) {
        lua_pushnil(L);
        lbind_push_message(L, err.msg);
        lua_createtable(L, 0, 2);
        setnum(L, "fa", r.fa);
        setnum(L, "fb", r.fb);
        return 3;
    }
    if (rc != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, r.x);
    lua_createtable(L, 0, 6);
    setnum(L, "fx", r.fx);
    setnum(L, "fa", r.fa);
    setnum(L, "fb", r.fb);
    setnum(L, "lo", r.lo);
    setnum(L, "hi", r.hi);
    lbind_setinteger(L, "evals", r.evals);
    return 2;
}

int luaopen_cv_mc(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"draws", mc_draws},
                                     {"formula", mc_formula},
                                     {"summary", mc_summary},
                                     {"root", mc_root},
                                     {NULL, NULL}};
    luaL_newlib(L, funcs);
    return 1;
}
