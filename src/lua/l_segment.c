/* cvkit Lua module "cv.core.segment": the segmentation core (src/core/rfm.c, seg_rules.c,
   seg_value.c, lifecycle.c, kmeans.c) for lua/cv/segment.lua, which gives the friendly
   faces (cv.rfm, cv.segment, cv.tiers, ...). Arguments here are already normalized. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/segment.h"
#include "lbind.h"

#define RULES_MT "cv.Rules"

/* Reads the numbers of the array at idx into a scratch array; *n gets the count. */
static double *checknumbers(lua_State *L, int idx, int *n)
{
    double *v;
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = (int)lua_rawlen(L, idx);
    v = lbind_scratch(L, (size_t)(*n > 0 ? *n : 1) * sizeof *v);
    for (int i = 0; i < *n; i++) {
        int isnum;
        lua_rawgeti(L, idx, i + 1);
        v[i] = lua_tonumberx(L, -1, &isnum);
        if (!isnum) /* named by argument and item (luaL_checknumber would say "#-1") */
            luaL_argerror(L, idx,
                          lua_pushfstring(L, "item %d: number expected, got %s", i + 1,
                                          luaL_typename(L, -1)));
        lua_pop(L, 1); /* pop number */
    }
    return v;
}

/* Reads the strings of the array at idx (read raw; anchored) into scratch. */
static const char **checkstrings(lua_State *L, int idx, int *n)
{
    const char **v;
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = (int)lua_rawlen(L, idx);
    v = lbind_scratch(L, (size_t)(*n > 0 ? *n : 1) * sizeof *v);
    for (int i = 0; i < *n; i++) {
        lua_rawgeti(L, idx, i + 1);
        if (!lua_isstring(L, -1))
            luaL_argerror(L, idx,
                          lua_pushfstring(L, "item %d: string expected, got %s", i + 1,
                                          luaL_typename(L, -1)));
        v[i] = lbind_anchor(L, -1, NULL);
        lua_pop(L, 1); /* pop the string (anchored) */
    }
    return v;
}

/* rfm_score(t, recency, frequency, monetary, bins, method, nested [, rcuts, fcuts, mcuts])
   -> Table, cuts Table */
static int seg_rfm(lua_State *L)
{
    static const char *const methods[] = {"quantile", "cuts", "mean", "median", NULL};
    cv_table *t = lbind_checktable(L, 1);
    cv_rfm_options o;
    cv_table **slot, **cslot;
    cv_error err;
    memset(&o, 0, sizeof o);
    o.recency = lbind_checkstring(L, 2);
    o.frequency = lbind_checkstring(L, 3);
    o.monetary = lbind_checkstring(L, 4);
    o.bins = (int)lbind_checkrange(L, 5, INT_MIN, INT_MAX);
    o.method = (cv_bin_method)luaL_checkoption(L, 6, NULL, methods);
    o.nested = lua_toboolean(L, 7);
    if (o.method == CV_BINS_CUTS)
        for (int k = 0; k < 3; k++)
            o.cuts[k] = checknumbers(L, 8 + k, &o.ncuts[k]);
    slot = lbind_newtable(L);
    cslot = lbind_newtable(L);
    if ((*slot = cv_rfm_score(t, &o, cslot, &err)) == NULL)
        return lbind_error(L, &err);
    return 2;
}

/* The cv_rules built from the normalized spec at idx: {other = name, {name = n, conds =
   {{col, lo, hi, lo_open, hi_open, lo_stat, hi_stat}, ...}}, ...}; stats are 0 (value),
   1 (mean), 2 (median). Owned by a userdata pushed on the stack. */
static cv_rules *checkrules(lua_State *L, int idx)
{
    cv_rules **ud;
    int top, nr;
    cv_error err;
    luaL_checktype(L, idx, LUA_TTABLE);
    ud = lbind_newhandle(L, sizeof *ud, RULES_MT, 0);
    lbind_rawfield(L, idx, "other");
    *ud = cv_rules_new(lbind_optstring(L, -1, "Others"));
    lua_pop(L, 1); /* pop other */
    if (!*ud)
        luaL_error(L, "out of memory");
    top = lua_gettop(L);
    nr = (int)lua_rawlen(L, idx);
    for (int i = 1; i <= nr; i++, lua_settop(L, top)) {
        int nc;
        if (lua_rawgeti(L, idx, i) != LUA_TTABLE)
            luaL_error(L, "rule %d: {name =, conds =} expected", i);
        lbind_rawfield(L, -1, "name");
        if (!lua_isstring(L, -1)) /* a number is a name too, as luaL_checkstring had it */
            luaL_error(L, "rule %d: name: string expected, got %s", i, luaL_typename(L, -1));
        if (cv_rules_add(*ud, lua_tostring(L, -1), &err) != 0)
            lbind_error(L, &err);
        if (lbind_rawfield(L, -2, "conds") != LUA_TTABLE)
            luaL_error(L, "rule %d: conds expected", i);
        nc = (int)lua_rawlen(L, -1);
        for (int j = 1; j <= nc; j++) {
            double v[7];
            const char *col;
            if (lua_rawgeti(L, -1, j) != LUA_TTABLE)
                luaL_error(L, "rule %d: condition %d: a table expected", i, j);
            lua_rawgeti(L, -1, 1);
            if (!lua_isstring(L, -1))
                luaL_error(L, "rule %d: condition %d: column: string expected, got %s", i, j,
                           luaL_typename(L, -1));
            col = lua_tostring(L, -1);
            for (int q = 2; q <= 7; q++) {
                int isnum = lua_rawgeti(L, -q, q) == LUA_TBOOLEAN;
                v[q - 1] = isnum ? lua_toboolean(L, -1) : lua_tonumberx(L, -1, &isnum);
                if (!isnum)
                    luaL_error(L, "rule %d: condition %d: item %d: number expected, got %s", i, j,
                               q, luaL_typename(L, -1));
            }
            if (!(v[5] == 0 || v[5] == 1 || v[5] == 2) || !(v[6] == 0 || v[6] == 1 || v[6] == 2))
                luaL_error(L, "rule %d: condition %d: bound statistics are 0, 1 or 2", i, j);
            if (cv_rules_cond(*ud, col, v[1], v[3] != 0, (cv_bound_stat)v[5], v[2], v[4] != 0,
                              (cv_bound_stat)v[6], &err) != 0)
                lbind_error(L, &err);
            lua_pop(L, 8); /* pop 6 values, column, condition */
        }
    }
    return *ud;
}

static void release_rules(void *r)
{
    cv_rules_free(r);
}

static int rules_gc(lua_State *L)
{
    cv_rules **ud = luaL_checkudata(L, 1, RULES_MT);
    cv_rules *r = *ud;
    *ud = NULL;
    lbind_close(L, 1, r, release_rules);
    return 0;
}

/* rules_apply(t, spec, out) -> Table, counts Table */
static int seg_apply(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    cv_rules *r = checkrules(L, 2);
    const char *out = lbind_checkstring(L, 3);
    cv_table **slot = lbind_newtable(L), **cslot = lbind_newtable(L);
    cv_error err;
    if ((*slot = cv_rules_apply(r, t, out, cslot, &err)) == NULL)
        return lbind_error(L, &err);
    return 2;
}

/* rules_coverage(spec, {col...}, {lo...}, {hi...}) -> Table, unmatched, overlapping */
static int seg_coverage(lua_State *L)
{
    cv_rules *r;
    lbind_frame(L);
    r = checkrules(L, 1);
    int n, nl, nh;
    const char **cols = checkstrings(L, 2, &n);
    double *lo = checknumbers(L, 3, &nl), *hi = checknumbers(L, 4, &nh);
    int *ilo = lbind_scratch(L, (size_t)(n > 0 ? n : 1) * 2 * sizeof *ilo), *ihi = ilo + n;
    int64_t un = 0, ov = 0;
    cv_table **slot;
    cv_error err;
    if (nl != n || nh != n)
        return luaL_error(L, "coverage: %d columns, %d lows, %d highs", n, nl, nh);
    for (int i = 0; i < n; i++) { /* whole numbers in int's range before the casts */
        luaL_argcheck(L, lo[i] == floor(lo[i]) && fabs(lo[i]) <= 1e9, 3, "whole numbers expected");
        luaL_argcheck(L, hi[i] == floor(hi[i]) && fabs(hi[i]) <= 1e9, 4, "whole numbers expected");
        ilo[i] = (int)lo[i];
        ihi[i] = (int)hi[i];
    }
    slot = lbind_newtable(L);
    if ((*slot = cv_rules_coverage(r, cols, ilo, ihi, n, &un, &ov, &err)) == NULL)
        return lbind_error(L, &err);
    lua_pushinteger(L, (lua_Integer)un);
    lua_pushinteger(L, (lua_Integer)ov);
    return 3;
}

/* tiers(t, value, {shares}, {names}, by_value, out) -> Table */
static int seg_tiers(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    const char *value = lbind_checkstring(L, 2);
    int ns, nn;
    double *shares = checknumbers(L, 3, &ns);
    const char **names = checkstrings(L, 4, &nn);
    int by_value = lua_toboolean(L, 5);
    const char *out = lbind_checkstring(L, 6);
    cv_table **slot;
    cv_error err;
    if (ns != nn)
        return luaL_error(L, "tiers: %d shares but %d names", ns, nn);
    slot = lbind_newtable(L);
    if ((*slot = cv_value_tiers(t, value, shares, names, ns, by_value, out, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* The column named at argument 2 of the table at 1 as doubles (scratch); *n rows. */
static double *checkvalues(lua_State *L, int64_t *n)
{
    cv_table *t = lbind_checktable(L, 1);
    cv_error err;
    cv_column *c = cv_table_col(t, lbind_checkstring(L, 2), &err);
    double *x;
    if (!c) {
        lbind_error(L, &err); /* raises */
        return NULL;
    }
    x = lbind_scratch(L, (size_t)(c->n > 0 ? c->n : 1) * sizeof *x);
    if (cv_column_doubles(c, x, &err) != 0)
        lbind_error(L, &err);
    *n = c->n;
    return x;
}

/* concentration(t, col) -> {n, total, top20, top_for_80, bottom30, peak, peak_at, gini} */
static int seg_concentration(lua_State *L)
{
    int64_t n;
    double *x = checkvalues(L, &n);
    cv_concentration c;
    cv_error err;
    if (cv_value_concentration(x, n, &c, &err) != 0)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 8);
    lbind_setinteger(L, "n", (lua_Integer)c.n);
    lbind_setnumber(L, "total", c.total);
    lbind_setnumber(L, "top20", c.top20);
    lbind_setnumber(L, "top_for_80", c.top_for_80);
    lbind_setnumber(L, "bottom30", c.bottom30);
    lbind_setnumber(L, "peak", c.peak);
    lbind_setnumber(L, "peak_at", c.peak_at);
    if (!isnan(c.gini))
        lbind_setnumber(L, "gini", c.gini);
    return 1;
}

/* lorenz(t, col, npoints) -> {p...}, {L...}, gini */
static int seg_lorenz(lua_State *L)
{
    int64_t n;
    double *x = checkvalues(L, &n), g;
    lua_Integer np = luaL_checkinteger(L, 3);
    double *px, *py;
    cv_error err;
    luaL_argcheck(L, np >= 2 && np <= 100001, 3, "2 to 100001 points expected");
    px = lbind_scratch(L, (size_t)np * 2 * sizeof *px);
    py = px + np;
    if (cv_lorenz(x, n, (int)np, px, py, &g, &err) != 0)
        return lbind_error(L, &err);
    for (int a = 0; a < 2; a++) {
        lua_createtable(L, (int)np, 0);
        for (lua_Integer k = 0; k < np; k++) {
            lua_pushnumber(L, a ? py[k] : px[k]);
            lua_seti(L, -2, k + 1);
        }
    }
    lua_pushnumber(L, g);
    return 3;
}

/* gini(t, col) -> number */
static int seg_gini(lua_State *L)
{
    int64_t n;
    double *x = checkvalues(L, &n), g;
    cv_error err;
    if (cv_gini(x, n, &g, &err) != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, g);
    return 1;
}

/* lifecycle(t, {tenure, recency, orders, orders_mid, orders_old [, p_alive]}, period, p_min,
   {4 stage labels}, {5 state labels}) -> Table */
static int seg_lifecycle(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    int nc, ns, nt;
    const char **cols = checkstrings(L, 2, &nc);
    cv_lifecycle_options o;
    cv_table **slot;
    cv_error err;
    luaL_argcheck(L, nc == 5 || nc == 6, 2, "5 or 6 column names expected");
    o.tenure = cols[0];
    o.recency = cols[1];
    o.orders = cols[2];
    o.orders_mid = cols[3];
    o.orders_old = cols[4];
    o.p_alive = nc == 6 ? cols[5] : NULL;
    o.period = luaL_checknumber(L, 3);
    o.p_alive_min = luaL_checknumber(L, 4);
    o.stage_names = checkstrings(L, 5, &ns);
    o.state_names = checkstrings(L, 6, &nt);
    luaL_argcheck(L, ns == 4, 5, "4 stage labels expected");
    luaL_argcheck(L, nt == 5, 6, "5 state labels expected");
    slot = lbind_newtable(L);
    if ((*slot = cv_lifecycle(t, &o, &err)) == NULL)
        return lbind_error(L, &err);
    return 1;
}

/* kmeans(t, {cols}, k, restarts, max_iter, seed, standardize, sample, out)
   -> Table, {k, d, centers = {{...}...}, sizes, wss, tss, iterations, converged} */
static int seg_kmeans(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    int d;
    const char **cols = checkstrings(L, 2, &d);
    cv_kmeans_options o;
    cv_kmeans_result r;
    cv_table **slot;
    cv_error err;
    o.k = (int)lbind_checkrange(L, 3, INT_MIN, INT_MAX);
    o.restarts = (int)lbind_checkrange(L, 4, INT_MIN, INT_MAX);
    o.max_iter = (int)lbind_checkrange(L, 5, INT_MIN, INT_MAX);
    o.seed = (uint64_t)luaL_checkinteger(L, 6);
    o.standardize = lua_toboolean(L, 7);
    o.sample = (int64_t)luaL_checkinteger(L, 8);
    slot = lbind_newtable(L);
    if ((*slot = cv_kmeans(t, cols, d, &o, lbind_checkstring(L, 9), &r, &err)) == NULL)
        return lbind_error(L, &err);
    lua_createtable(L, 0, 8);
    lbind_setinteger(L, "k", r.k);
    lua_createtable(L, r.k, 0);
    for (int c = 0; c < r.k; c++) {
        lua_createtable(L, r.d, 0);
        for (int j = 0; j < r.d; j++) {
            lua_pushnumber(L, r.centers[(size_t)c * r.d + j]);
            lua_seti(L, -2, j + 1);
        }
        lua_seti(L, -2, c + 1);
    }
    lua_setfield(L, -2, "centers");
    lua_createtable(L, r.k, 0);
    for (int c = 0; c < r.k; c++) {
        lua_pushinteger(L, (lua_Integer)r.sizes[c]);
        lua_seti(L, -2, c + 1);
    }
    lua_setfield(L, -2, "sizes");
    lbind_setnumber(L, "wss", r.wss);
    lbind_setnumber(L, "tss", r.tss);
    lbind_setinteger(L, "iterations", r.iterations);
    lbind_setboolean(L, "converged", r.converged);
    cv_kmeans_result_free(&r);
    return 2;
}

/* silhouette(t, {cols}, label, sample, seed, standardize) -> number */
static int seg_silhouette(lua_State *L)
{
    cv_table *t = lbind_checktable(L, 1);
    int d;
    const char **cols = checkstrings(L, 2, &d);
    double s;
    cv_error err;
    if (cv_silhouette(t, cols, d, lbind_checkstring(L, 3), (int64_t)luaL_checkinteger(L, 4),
                      (uint64_t)luaL_checkinteger(L, 5), lua_toboolean(L, 6), &s, &err) != 0)
        return lbind_error(L, &err);
    lua_pushnumber(L, s);
    return 1;
}

static const luaL_Reg seg_funcs[] = {{"rfm_score", seg_rfm},
                                     {"rules_apply", seg_apply},
                                     {"rules_coverage", seg_coverage},
                                     {"tiers", seg_tiers},
                                     {"concentration", seg_concentration},
                                     {"lorenz", seg_lorenz},
                                     {"gini", seg_gini},
                                     {"lifecycle", seg_lifecycle},
                                     {"kmeans", seg_kmeans},
                                     {"silhouette", seg_silhouette},
                                     {NULL, NULL}};

int luaopen_cv_segment(lua_State *L)
{
    if (lbind_newmetatable(L, RULES_MT)) {
        lua_pushcfunction(L, rules_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1); /* pop metatable */
    luaL_newlib(L, seg_funcs);
    return 1;
}
