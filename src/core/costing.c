/* cvkit cost of service: driver volumes, activity-based costing, time-driven ABC, the
   customer P&L and its waterfall, the whale curve. Pure C over cv_table; aggregation by
   customer goes through cv_table_group_by. Conventions: include/cvkit/costing.h and
   docs/costing.md. */
#include "cvkit/costing.h"
#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ---------------------------------------------------------------------------- */

/* 1 for the column types that hold numbers a cost can be computed from. */
static int is_numeric(cv_type t)
{
    return t == CV_INT64 || t == CV_FLOAT64 || t == CV_BOOL;
}

/* Value i of a numeric column, a missing value (or a float NaN) counting as 0. */
static double num0(const cv_column *c, int64_t i)
{
    if (!cv_column_is_valid(c, i))
        return 0;
    switch (c->type) {
    case CV_INT64:
        return (double)cv_column_int(c, i);
    case CV_FLOAT64: {
        double v = cv_column_float(c, i);
        return isnan(v) ? 0 : v;
    }
    case CV_BOOL:
        return cv_column_bool(c, i);
    default:
        return 0;
    }
}

/* The values of a numeric column as doubles in d[0..n), as num0 gives them, in one typed
   loop per column type. */
static void col_doubles(const cv_column *c, double *d, int64_t n)
{
    if (c->valid) {
        for (int64_t i = 0; i < n; i++)
            d[i] = num0(c, i);
        return;
    }
    switch (c->type) {
    case CV_INT64: {
        const int64_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = (double)x[i];
        break;
    }
    case CV_FLOAT64: {
        const double *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = isnan(x[i]) ? 0 : x[i];
        break;
    }
    case CV_BOOL: {
        const uint8_t *x = c->data;
        for (int64_t i = 0; i < n; i++)
            d[i] = x[i];
        break;
    }
    default:
        for (int64_t i = 0; i < n; i++)
            d[i] = 0;
        break;
    }
}

/* Writes "did you mean 'x'?" (the columns of t closest to the misspelt name) or "columns:
   a, b, c" (all of them) into buf. */
static const char *colnames(const cv_table *t, const char *name, char *buf, size_t size)
{
    char close[160];
    size_t len = 0;
    buf[0] = '\0';
    if (name && cv_table_suggest(t, name, close, sizeof close) > 0) {
        snprintf(buf, size, "did you mean %s?", close);
        return buf;
    }
    len = (size_t)snprintf(buf, size, "columns: ");
    for (int i = 0; i < t->ncols && len + 1 < size; i++) {
        int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", t->cols[i]->name);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}

/* A new float column of n zeros, or NULL. */
static cv_column *fcol(const char *name, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n > 0 ? n : 1);
    if (!c)
        return NULL;
    if (n > 0)
        memset(c->data, 0, (size_t)n * sizeof(double));
    c->n = n;
    return c;
}

/* Adds c to t and drops the caller's reference; c == NULL means out of memory. */
static int add_owned(cv_table *t, cv_column *c, cv_error *err)
{
    if (!c)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    int rc = cv_table_add(t, c, err);
    cv_column_unref(c);
    return rc;
}

/* Adds a float column named name (with prefix, if not NULL) holding v[0..n). */
static int add_floats(cv_table *t, const char *prefix, const char *name, const double *v, int64_t n,
                      cv_error *err)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", prefix ? prefix : "", name);
    cv_column *c = fcol(buf, n);
    if (c && n > 0)
        memcpy(c->data, v, (size_t)n * sizeof *v);
    return add_owned(t, c, err);
}

/* Adds a float column of n values where NAN stands for missing. */
static int add_floats_na(cv_table *t, const char *name, const double *v, int64_t n, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n > 0 ? n : 1);
    for (int64_t i = 0; c && i < n; i++)
        if ((isnan(v[i]) ? cv_column_push_missing(c) : cv_column_push_float(c, v[i])) != 0) {
            cv_column_unref(c);
            c = NULL;
        }
    return add_owned(t, c, err);
}

static int add_strings(cv_table *t, const char *name, const char *const *s, int64_t n,
                       cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_STRING, n > 0 ? n : 1);
    for (int64_t i = 0; c && i < n; i++)
        if (cv_column_push_string(c, s[i], strlen(s[i])) != 0) {
            cv_column_unref(c);
            c = NULL;
        }
    return add_owned(t, c, err);
}

static int add_ints(cv_table *t, const char *name, const int64_t *v, int64_t n, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_INT64, n > 0 ? n : 1);
    if (c && n > 0)
        memcpy(c->data, v, (size_t)n * sizeof *v);
    if (c)
        c->n = n;
    return add_owned(t, c, err);
}

/* Adds column src of from (shared, not copied) to t. */
static int add_shared(cv_table *t, const cv_table *from, const char *name, cv_error *err)
{
    cv_column *c = cv_table_col(from, name, err);
    return c ? cv_table_add(t, c, err) : err ? err->code : CV_ERR_USAGE;
}

/* Finds the numeric column `name` of t for activity `act`; what says what the column is
   ("driver column", "events column", "field"). NULL with err set. */
static const cv_column *activity_col(const cv_table *t, const char *act, const char *what,
                                     const char *name, cv_error *err)
{
    char names[200];
    int i = name ? cv_table_find(t, name) : -1;
    if (i < 0) {
        if (strcmp(what, "field") == 0)
            cv_error_set(err, CV_ERR_USAGE,
                         "activity '%s': time equation names an unknown field '%s' "
                         "(%s)",
                         act, name ? name : "", colnames(t, name, names, sizeof names));
        else
            cv_error_set(err, CV_ERR_USAGE, "activity '%s': no %s '%s' (%s)", act, what,
                         name ? name : "", colnames(t, name, names, sizeof names));
        return NULL;
    }
    const cv_column *c = t->cols[i];
    if (!is_numeric(c->type)) {
        cv_error_set(err, CV_ERR_TYPE, "activity '%s': %s '%s' is %s, a number is expected", act,
                     what, name, cv_type_name(c->type));
        return NULL;
    }
    return c;
}

/* Checks that names[0..n) (with stride) are non-empty and distinct; what: "activity". */
static int check_names(const char *const *names, int n, const char *what, cv_error *err)
{
    for (int a = 0; a < n; a++) {
        if (!names[a] || !names[a][0])
            return cv_error_set(err, CV_ERR_USAGE, "%s %d has no name", what, a + 1);
        for (int b = 0; b < a; b++)
            if (strcmp(names[a], names[b]) == 0)
                return cv_error_set(err, CV_ERR_USAGE, "%s '%s' is defined twice", what, names[a]);
    }
    return 0;
}

/* Checks an amount: finite and >= 0 (NAN allowed when may_be_nan). */
static int check_amount(const char *what, const char *name, const char *field, double v,
                        int may_be_nan, cv_error *err)
{
    if (isnan(v) && may_be_nan)
        return 0;
    if (!isfinite(v) || v < 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s '%s': %s must be a finite number >= 0, got %g",
                            what, name, field, v);
    return 0;
}

/* ---- Driver volumes --------------------------------------------------------------------- */

/* One cv_table_group_by by the key (its fast path for an int, date or string key: see
   table_group_fast.c), then each aggregate made a float column. */
cv_table *cv_costing_drivers(const cv_table *tx, const char *key, const cv_agg *aggs, int naggs,
                             cv_error *err)
{
    const char *keys[1] = {key};
    if (!key)
        return cv_error_set(err, CV_ERR_USAGE, "drivers: a customer column is required"), NULL;
    const cv_column *kc = cv_table_col(tx, key, err);
    if (!kc)
        return NULL;
    cv_table *g = cv_table_group_by(tx, keys, 1, aggs, naggs, err);
    if (!g)
        return NULL;
    cv_table *out = cv_table_new();
    if (!out) {
        cv_table_free(g);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (int j = 0; j < g->ncols; j++) {
        cv_column *c = g->cols[j];
        int rc;
        if (j == 0) {
            rc = cv_table_add(out, c, err);
        } else {
            if (c->type == CV_STRING || c->type == CV_DATE || c->type == CV_DATETIME) {
                cv_error_set(err, CV_ERR_TYPE, "driver '%s' is %s, a number is expected", c->name,
                             cv_type_name(c->type));
                rc = CV_ERR_TYPE;
            } else {
                int shared = c->type == CV_FLOAT64 && !c->valid;
                for (int64_t i = 0; shared && i < g->nrows; i++)
                    shared = !isnan(((const double *)c->data)[i]);
                if (shared) { /* already floats without a missing value: shared, not copied */
                    rc = cv_table_add(out, c, err);
                } else {
                    cv_column *f = fcol(c->name, g->nrows);
                    if (f)
                        col_doubles(c, f->data, g->nrows);
                    rc = add_owned(out, f, err);
                }
            }
        }
        if (rc) {
            cv_table_free(g);
            cv_table_free(out);
            return NULL;
        }
    }
    cv_table_free(g);
    return out;
}

/* ---- Activity-based costing ------------------------------------------------------------- */

void cv_costing_abc_free(cv_abc_result *r)
{
    if (!r)
        return;
    cv_table_free(r->customers);
    cv_table_free(r->activities);
    r->customers = r->activities = NULL;
}

int cv_costing_abc(const cv_table *drivers, const char *key, const cv_abc_activity *acts, int nacts,
                   cv_abc_result *out, cv_error *err)
{
    int64_t n = drivers->nrows;
    int rc = 0;
    if (nacts < 1)
        return cv_error_set(err, CV_ERR_USAGE, "abc: no activities");
    const char **names = cv_calloc((size_t)nacts * 2, sizeof *names);
    const cv_column **cols = cv_calloc((size_t)nacts, sizeof *cols);
    double *vol = cv_calloc((size_t)nacts * 5, sizeof *vol);
    double *xv = cv_malloc((n > 0 ? (size_t)n : 1) * sizeof *xv); /* a driver's volumes */
    cv_column *tc = fcol("cost_to_serve", n); /* zeros, summed into activity by activity */
    cv_table *cust = NULL, *act = NULL;
    if (!names || !cols || !vol || !xv || !tc) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    double *rate = vol + nacts, *cost = vol + 2 * nacts, *assigned = vol + 3 * nacts,
           *unassigned = vol + 4 * nacts;
    for (int a = 0; a < nacts; a++)
        names[a] = acts[a].name;
    if ((rc = check_names(names, nacts, "activity", err)) != 0)
        goto done;
    if (key && !cv_table_col(drivers, key, err)) {
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    for (int a = 0; a < nacts && !rc; a++) {
        const cv_abc_activity *x = &acts[a];
        if (!(cols[a] = activity_col(drivers, x->name, "driver column", x->driver, err))) {
            rc = err ? err->code : CV_ERR_USAGE;
            break;
        }
        if (x->rate_given) {
            rc = check_amount("activity", x->name, "rate", x->rate, 0, err);
            if (!rc)
                rc = check_amount("activity", x->name, "cost", x->cost, 1, err);
        } else {
            rc = check_amount("activity", x->name, "cost", x->cost, 0, err);
        }
    }
    if (rc)
        goto done;
    /* volumes, activity by activity (column order: one pass over each driver column) */
    for (int a = 0; a < nacts; a++) {
        double s = 0, comp = 0;
        col_doubles(cols[a], xv, n);
        for (int64_t i = 0; i < n; i++) {
            double v = xv[i];
            if (v < 0) {
                rc = cv_error_set(err, CV_ERR_DOMAIN,
                                  "activity '%s': driver '%s' is negative (%g) in row %lld",
                                  acts[a].name, acts[a].driver, v, (long long)i + 1);
                goto done;
            }
            double y = v - comp, t = s + y; /* compensated sum */
            comp = (t - s) - y;
            s = t;
        }
        vol[a] = s;
        if (acts[a].rate_given) {
            rate[a] = acts[a].rate;
        } else if (s > 0) {
            rate[a] = acts[a].cost / s;
        } else {
            rc = cv_error_set(err, CV_ERR_DOMAIN,
                              "activity '%s': driver '%s' has zero total volume, so its rate "
                              "cost ÷ volume is undefined (give the rate)",
                              acts[a].name, acts[a].driver);
            goto done;
        }
        cost[a] = acts[a].cost;
        assigned[a] = acts[a].rate_given ? rate[a] * s : acts[a].cost;
        unassigned[a] = isnan(cost[a]) ? NAN : acts[a].rate_given ? cost[a] - assigned[a] : 0;
    }
    if (!(cust = cv_table_new()) || !(act = cv_table_new())) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (key && (rc = add_shared(cust, drivers, key, err)) != 0)
        goto done;
    for (int a = 0; a < nacts; a++) {
        char buf[300];
        snprintf(buf, sizeof buf, "cost_%s", acts[a].name);
        cv_column *c = fcol(buf, n);
        if (c) {
            double *d = c->data, *total = tc->data, r = rate[a];
            col_doubles(cols[a], xv, n);
            for (int64_t i = 0; i < n; i++) {
                d[i] = r * xv[i];
                total[i] += d[i];
            }
        }
        if ((rc = add_owned(cust, c, err)) != 0)
            goto done;
    }
    if ((rc = cv_table_add(cust, tc, err)) != 0)
        goto done;
    {
        const char **drv = names + nacts;
        for (int a = 0; a < nacts; a++)
            drv[a] = acts[a].driver;
        if ((rc = add_strings(act, "activity", names, nacts, err)) ||
            (rc = add_strings(act, "driver", drv, nacts, err)) ||
            (rc = add_floats_na(act, "cost", cost, nacts, err)) ||
            (rc = add_floats(act, NULL, "volume", vol, nacts, err)) ||
            (rc = add_floats(act, NULL, "rate", rate, nacts, err)) ||
            (rc = add_floats(act, NULL, "assigned", assigned, nacts, err)) ||
            (rc = add_floats_na(act, "unassigned", unassigned, nacts, err)))
            goto done;
    }
    out->customers = cust;
    out->activities = act;
    cust = act = NULL;
done:
    cv_table_free(cust);
    cv_table_free(act);
    cv_free(names);
    cv_free(cols);
    cv_free(vol);
    cv_free(xv);
    cv_column_unref(tc);
    return rc;
}

/* ---- Time-driven ABC -------------------------------------------------------------------- */

void cv_costing_tdabc_free(cv_tdabc_result *r)
{
    if (!r)
        return;
    cv_table_free(r->customers);
    cv_table_free(r->activities);
    cv_table_free(r->resources);
    r->customers = r->activities = r->resources = NULL;
}

/* The resolved columns of one activity's time equation. */
typedef struct tdabc_eq {
    int res;
    const cv_column *events;
    const cv_column **terms;
} tdabc_eq;

/* Resolves and checks the activities' resources, events and term columns into eq. */
static int tdabc_resolve(const cv_table *t, const cv_tdabc_resource *res, int nres,
                         const cv_tdabc_activity *acts, int nacts, tdabc_eq *eq,
                         const cv_column **termcols, cv_error *err)
{
    int rc, used = 0;
    for (int a = 0; a < nacts; a++) {
        const cv_tdabc_activity *x = &acts[a];
        eq[a].res = 0;
        if (x->resource) {
            eq[a].res = -1;
            for (int r = 0; r < nres; r++)
                if (strcmp(res[r].name, x->resource) == 0)
                    eq[a].res = r;
            if (eq[a].res < 0) {
                char buf[200];
                size_t len = 0;
                buf[0] = '\0';
                for (int r = 0; r < nres && len < sizeof buf; r++)
                    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", r ? ", " : "",
                                            res[r].name);
                return cv_error_set(err, CV_ERR_USAGE,
                                    "activity '%s': unknown resource '%s' (resources: %s)", x->name,
                                    x->resource, buf);
            }
        }
        if ((rc = check_amount("activity", x->name, "base time", x->base, 0, err)) != 0)
            return rc;
        eq[a].events = NULL;
        if (x->events &&
            !(eq[a].events = activity_col(t, x->name, "events column", x->events, err)))
            return err ? err->code : CV_ERR_USAGE;
        eq[a].terms = termcols + used;
        for (int k = 0; k < x->nterms; k++) {
            const cv_time_term *term = &x->terms[k];
            if (!(termcols[used++] = activity_col(t, x->name, "field", term->field, err)))
                return err ? err->code : CV_ERR_USAGE;
            if (!isfinite(term->minutes) || term->minutes < 0)
                return cv_error_set(err, CV_ERR_DOMAIN,
                                    "activity '%s': the minutes of field '%s' must be a finite "
                                    "number >= 0, got %g",
                                    x->name, term->field, term->minutes);
            if (term->kind != CV_TIME_PER_UNIT && term->kind != CV_TIME_IF_FLAG)
                return cv_error_set(err, CV_ERR_USAGE,
                                    "activity '%s': field '%s' has an unknown kind", x->name,
                                    term->field);
        }
    }
    return 0;
}

/* Minutes of activity x (resolved as e) for every row of t into m[0..n); also the events.
   Fails naming the activity, field and row for a negative value. */
static int tdabc_minutes(const cv_tdabc_activity *x, const tdabc_eq *e, int64_t n, double *m,
                         double *events, cv_error *err)
{
    double ev = 0;
    for (int64_t i = 0; i < n; i++) {
        double k = e->events ? num0(e->events, i) : 1;
        if (k < 0)
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "activity '%s': events column '%s' is negative (%g) in row %lld",
                                x->name, x->events, k, (long long)i + 1);
        m[i] = x->base * k;
        ev += k;
    }
    for (int j = 0; j < x->nterms; j++) {
        const cv_time_term *term = &x->terms[j];
        const cv_column *c = e->terms[j];
        for (int64_t i = 0; i < n; i++) {
            double v = num0(c, i);
            if (v < 0)
                return cv_error_set(err, CV_ERR_DOMAIN,
                                    "activity '%s': field '%s' is negative (%g) in row %lld",
                                    x->name, term->field, v, (long long)i + 1);
            m[i] +=
                term->kind == CV_TIME_IF_FLAG ? (v != 0 ? term->minutes : 0) : term->minutes * v;
        }
    }
    *events = ev;
    return 0;
}

int cv_costing_tdabc(const cv_table *t, const char *key, const cv_tdabc_resource *res, int nres,
                     const cv_tdabc_activity *acts, int nacts, cv_tdabc_result *out, cv_error *err)
{
    int64_t n = t->nrows;
    int rc = 0, nterms = 0;
    cv_table *rows = NULL, *cust = NULL, *act = NULL, *rtab = NULL;
    double *buf = NULL, *rrate = NULL;
    tdabc_eq *eq = NULL;
    const cv_column **termcols = NULL;
    const char **names = NULL;
    cv_agg *aggs = NULL;
    if (nres < 1)
        return cv_error_set(err, CV_ERR_USAGE, "tdabc: no resources");
    if (nacts < 1)
        return cv_error_set(err, CV_ERR_USAGE, "tdabc: no activities");
    for (int a = 0; a < nacts; a++)
        nterms += acts[a].nterms > 0 ? acts[a].nterms : 0;
    names = cv_calloc((size_t)(nacts > nres ? nacts : nres) * 2, sizeof *names);
    eq = cv_calloc((size_t)nacts, sizeof *eq);
    termcols = cv_calloc((size_t)nterms + 1, sizeof *termcols);
    rrate = cv_calloc((size_t)nres * 9 + (size_t)nacts * 8, sizeof *rrate);
    buf = cv_calloc(n > 0 ? (size_t)n : 1, sizeof *buf);
    if (!names || !eq || !termcols || !rrate || !buf) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* per resource: rate, cost, capacity, used minutes, used cost, unused minutes, unused
       cost, utilization; per activity: events, minutes, rate, cost, per event (2) */
    double *rcost = rrate + nres, *rcap = rrate + 2 * nres, *rused = rrate + 3 * nres,
           *rusedc = rrate + 4 * nres, *runm = rrate + 5 * nres, *runc = rrate + 6 * nres,
           *rutil = rrate + 7 * nres;
    double *aev = rrate + 9 * nres, *amin = aev + nacts, *arate = aev + 2 * nacts,
           *acost = aev + 3 * nacts, *amper = aev + 4 * nacts, *acper = aev + 5 * nacts;
    for (int r = 0; r < nres; r++)
        names[r] = res[r].name;
    if ((rc = check_names(names, nres, "resource", err)) != 0)
        goto done;
    for (int r = 0; r < nres; r++) {
        const cv_tdabc_resource *x = &res[r];
        if (x->rate_given) {
            if ((rc = check_amount("resource", x->name, "rate", x->rate, 0, err)) ||
                (rc = check_amount("resource", x->name, "cost", x->cost, 1, err)) ||
                (rc = check_amount("resource", x->name, "capacity", x->capacity, 1, err)))
                goto done;
            rrate[r] = x->rate;
        } else {
            if ((rc = check_amount("resource", x->name, "cost", x->cost, 0, err)))
                goto done;
            if (!(x->capacity > 0) || !isfinite(x->capacity)) {
                rc = cv_error_set(err, CV_ERR_DOMAIN,
                                  "resource '%s': practical capacity must be > 0 minutes, got %g",
                                  x->name, x->capacity);
                goto done;
            }
            rrate[r] = x->cost / x->capacity;
        }
        rcost[r] = x->cost;
        rcap[r] = x->capacity;
    }
    for (int a = 0; a < nacts; a++)
        names[a] = acts[a].name;
    if ((rc = check_names(names, nacts, "activity", err)) != 0)
        goto done;
    if (key && !cv_table_col(t, key, err)) {
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    if ((rc = tdabc_resolve(t, res, nres, acts, nacts, eq, termcols, err)) != 0)
        goto done;
    /* the per-row table: key, minutes_<a>, cost_<a> */
    if (!(rows = cv_table_new()) || !(act = cv_table_new()) || !(rtab = cv_table_new())) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (key && (rc = add_shared(rows, t, key, err)) != 0)
        goto done;
    for (int a = 0; a < nacts; a++) {
        double r = rrate[eq[a].res], s = 0;
        if ((rc = tdabc_minutes(&acts[a], &eq[a], n, buf, &aev[a], err)) != 0 ||
            (rc = add_floats(rows, "minutes_", acts[a].name, buf, n, err)) != 0)
            goto done;
        for (int64_t i = 0; i < n; i++) {
            s += buf[i];
            buf[i] *= r;
        }
        if ((rc = add_floats(rows, "cost_", acts[a].name, buf, n, err)) != 0)
            goto done;
        amin[a] = s;
        arate[a] = r;
        acost[a] = s * r;
        amper[a] = aev[a] > 0 ? s / aev[a] : NAN;
        acper[a] = aev[a] > 0 ? acost[a] / aev[a] : NAN;
        rused[eq[a].res] += s;
    }
    /* per customer: sums by key through group_by */
    if (key) {
        int na = rows->ncols - 1;
        const char *keys[1] = {key};
        aggs = cv_calloc((size_t)na, sizeof *aggs);
        if (!aggs) {
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (int j = 0; j < na; j++) {
            aggs[j].out = rows->cols[j + 1]->name;
            aggs[j].fn = CV_AGG_SUM;
            aggs[j].col = rows->cols[j + 1]->name;
        }
        if (!(cust = cv_table_group_by(rows, keys, 1, aggs, na, err))) {
            rc = err ? err->code : CV_ERR_NOMEM;
            goto done;
        }
    } else {
        cust = cv_table_ref(rows);
    }
    {
        int64_t m = cust->nrows;
        int first = key ? 1 : 0;
        double *tot = cv_realloc(buf, (m > n ? (size_t)m : (size_t)n) * sizeof *buf + sizeof *buf);
        if (!tot) {
            rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto done;
        }
        buf = tot;
        for (int pass = 0; pass < 2; pass++) { /* 0: minutes, 1: cost */
            memset(buf, 0, (size_t)m * sizeof *buf);
            for (int a = 0; a < nacts; a++) {
                const double *d = cust->cols[first + 2 * a + pass]->data;
                for (int64_t i = 0; i < m; i++)
                    buf[i] += d[i];
            }
            if ((rc = add_floats(cust, NULL, pass ? "cost_to_serve" : "minutes", buf, m, err)))
                goto done;
        }
    }
    for (int r = 0; r < nres; r++) {
        rusedc[r] = rused[r] * rrate[r];
        if (isnan(rcap[r])) {
            runm[r] = runc[r] = rutil[r] = NAN;
        } else {
            runm[r] = rcap[r] - rused[r];
            runc[r] = runm[r] * rrate[r];
            rutil[r] = rcap[r] > 0 ? rused[r] / rcap[r] : NAN;
        }
    }
    {
        const char **rn = names + (nacts > nres ? nacts : nres);
        for (int a = 0; a < nacts; a++)
            rn[a] = res[eq[a].res].name;
        if ((rc = add_strings(act, "activity", names, nacts, err)) ||
            (rc = add_strings(act, "resource", rn, nacts, err)) ||
            (rc = add_floats(act, NULL, "events", aev, nacts, err)) ||
            (rc = add_floats(act, NULL, "minutes", amin, nacts, err)) ||
            (rc = add_floats(act, NULL, "rate", arate, nacts, err)) ||
            (rc = add_floats(act, NULL, "cost", acost, nacts, err)) ||
            (rc = add_floats_na(act, "minutes_per_event", amper, nacts, err)) ||
            (rc = add_floats_na(act, "cost_per_event", acper, nacts, err)))
            goto done;
        for (int r = 0; r < nres; r++)
            rn[r] = res[r].name;
        if ((rc = add_strings(rtab, "resource", rn, nres, err)) ||
            (rc = add_floats_na(rtab, "cost", rcost, nres, err)) ||
            (rc = add_floats_na(rtab, "capacity", rcap, nres, err)) ||
            (rc = add_floats(rtab, NULL, "rate", rrate, nres, err)) ||
            (rc = add_floats(rtab, NULL, "used_minutes", rused, nres, err)) ||
            (rc = add_floats(rtab, NULL, "used_cost", rusedc, nres, err)) ||
            (rc = add_floats_na(rtab, "unused_minutes", runm, nres, err)) ||
            (rc = add_floats_na(rtab, "unused_cost", runc, nres, err)) ||
            (rc = add_floats_na(rtab, "utilization", rutil, nres, err)))
            goto done;
    }
    out->customers = cust;
    out->activities = act;
    out->resources = rtab;
    cust = act = rtab = NULL;
done:
    cv_table_free(rows);
    cv_table_free(cust);
    cv_table_free(act);
    cv_table_free(rtab);
    cv_free(aggs);
    cv_free(buf);
    cv_free(rrate);
    cv_free(eq);
    cv_free(termcols);
    cv_free(names);
    return rc;
}

/* ---- Customer P&L ----------------------------------------------------------------------- */

static const char *const pnl_kinds[] = {"product", "concession", "service", "acquisition",
                                        "retention"};
#define NKINDS 5

int cv_pnl_kind_parse(const char *s, cv_pnl_kind *out)
{
    for (int k = 0; k < NKINDS; k++)
        if (strcmp(s, pnl_kinds[k]) == 0) {
            *out = (cv_pnl_kind)k;
            return 0;
        }
    return -1;
}

const char *cv_pnl_kind_name(cv_pnl_kind k)
{
    return (int)k >= 0 && (int)k < NKINDS ? pnl_kinds[k] : "?";
}

/* The subtotal after each kind (NULL: none after that kind) and the total of a kind. */
static const char *const pnl_subtotal[NKINDS] = {"gross_margin", "pocket_margin", "service_margin",
                                                 NULL, "profit"};
static const char *const pnl_kindtotal[NKINDS] = {NULL, "total_concessions", "total_cost_to_serve",
                                                  NULL, NULL};

void cv_costing_pnl_free(cv_pnl_result *r)
{
    if (!r)
        return;
    cv_table_free(r->customers);
    cv_table_free(r->segments);
    r->customers = r->segments = NULL;
}

/* 1 when name is one of the P&L's own output columns. */
static int pnl_reserved(const char *name)
{
    static const char *const own[] = {"gross_margin", "pocket_margin",     "service_margin",
                                      "profit",       "total_concessions", "total_cost_to_serve",
                                      "customers",    "segment",           "profit_per_customer"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strcmp(name, own[i]) == 0)
            return 1;
    return 0;
}

/* The segments table: group_by the segment (or all rows) with sums of the float columns. */
static cv_table *pnl_segments(const cv_table *c, const char *segment, cv_error *err)
{
    cv_agg *aggs = cv_calloc((size_t)c->ncols + 1, sizeof *aggs);
    int na = 0;
    cv_table *g = NULL, *out = NULL;
    if (!aggs)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory"), NULL;
    aggs[na++] = (cv_agg){"customers", CV_AGG_COUNT, NULL, 0};
    for (int j = 0; j < c->ncols; j++)
        if (c->cols[j]->type == CV_FLOAT64)
            aggs[na++] = (cv_agg){c->cols[j]->name, CV_AGG_SUM, c->cols[j]->name, 0};
    const char *keys[1] = {segment};
    g = cv_table_group_by(c, keys, segment ? 1 : 0, aggs, na, err);
    cv_free(aggs);
    if (!g)
        return NULL;
    if (!(out = cv_table_new()))
        goto nomem;
    if (segment) {
        cv_column *s = cv_column_rename(g->cols[0], "segment");
        if (add_owned(out, s, err))
            goto fail;
    } else {
        const char *all[1] = {"all"};
        if (add_strings(out, "segment", all, 1, err))
            goto fail;
    }
    for (int j = segment ? 1 : 0; j < g->ncols; j++)
        if (cv_table_add(out, g->cols[j], err))
            goto fail;
    {
        const cv_column *n = cv_table_col(out, "customers", NULL);
        const cv_column *p = cv_table_col(out, "profit", NULL);
        cv_column *pp = fcol("profit_per_customer", out->nrows);
        for (int64_t i = 0; pp && i < out->nrows; i++) {
            int64_t k = cv_column_int(n, i);
            ((double *)pp->data)[i] = k > 0 ? cv_column_float(p, i) / (double)k : 0;
        }
        if (add_owned(out, pp, err))
            goto fail;
    }
    cv_table_free(g);
    return out;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    cv_table_free(g);
    cv_table_free(out);
    return NULL;
}

/* A running sum of amounts written with few decimals (prices, costs): the decimals every
   value so far has (2 or 4, as cv_decimals_common; -1 once one has more), the largest size
   and the count, so that the sum is rounded to its exact decimal (cv_round_decimals):
   312,023.27 − 218,415.97 is 93,607.3, not 93,607.30000000002. */
typedef struct decsum {
    int dec, cnt;
    double maxabs;
} decsum;

static void decsum_add(decsum *s, double v)
{
    double a;
    int d = cv_decimals_common(&v, NULL, 1, &a);
    if (s->cnt == 0 || s->dec >= 0)
        s->dec = d < 0 ? -1 : d > s->dec ? d : s->dec;
    s->maxabs = fabs(v) > s->maxabs ? fabs(v) : s->maxabs;
    s->cnt++;
}

static double decsum_round(const decsum *s, double x)
{
    return s->dec > 0 ? cv_round_decimals(x, s->dec, (s->cnt + 1) * s->maxabs * 0x1p-52) : x;
}

int cv_costing_pnl(const cv_table *t, const cv_pnl_spec *spec, cv_pnl_result *out, cv_error *err)
{
    int64_t n = t->nrows;
    int rc = 0;
    double *run = cv_calloc(n > 0 ? (size_t)n : 1, 2 * sizeof *run), *kt = run ? run + n : NULL;
    decsum *rd = cv_calloc(n > 0 ? (size_t)n : 1, 2 * sizeof *rd), *kd = rd ? rd + n : NULL;
    cv_table *c = NULL;
    const cv_column *rev;
    char names[200];
    if (!run || !rd) {
        cv_free(run);
        cv_free(rd);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    if (!spec->revenue || !(rev = cv_table_col(t, spec->revenue, err))) {
        if (!spec->revenue)
            cv_error_set(err, CV_ERR_USAGE, "pnl: a revenue column is required");
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    if (!is_numeric(rev->type)) {
        rc = cv_error_set(err, CV_ERR_TYPE, "pnl: revenue column '%s' is %s, a number is expected",
                          spec->revenue, cv_type_name(rev->type));
        goto done;
    }
    for (int l = 0; l < spec->nlines; l++) {
        const char *col = spec->lines[l].col;
        int i = col ? cv_table_find(t, col) : -1;
        if (i < 0) {
            rc = cv_error_set(err, CV_ERR_USAGE, "pnl: no %s column '%s' (%s)",
                              cv_pnl_kind_name(spec->lines[l].kind), col ? col : "",
                              colnames(t, col, names, sizeof names));
            goto done;
        }
        if (!is_numeric(t->cols[i]->type)) {
            rc = cv_error_set(err, CV_ERR_TYPE, "pnl: %s column '%s' is %s, a number is expected",
                              cv_pnl_kind_name(spec->lines[l].kind), col,
                              cv_type_name(t->cols[i]->type));
            goto done;
        }
        if (pnl_reserved(col) || (unsigned)spec->lines[l].kind >= NKINDS) {
            rc = cv_error_set(err, CV_ERR_USAGE,
                              pnl_reserved(col) ? "pnl: column '%s' has the name of a P&L result; "
                                                  "rename it"
                                                : "pnl: column '%s' has an unknown kind",
                              col);
            goto done;
        }
    }
    if (!(c = cv_table_new())) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((spec->key && (rc = add_shared(c, t, spec->key, err))) ||
        (spec->segment && (rc = add_shared(c, t, spec->segment, err))))
        goto done;
    for (int64_t i = 0; i < n; i++) {
        run[i] = num0(rev, i);
        decsum_add(&rd[i], run[i]);
    }
    if ((rc = add_floats(c, NULL, spec->revenue, run, n, err)) != 0)
        goto done;
    for (int k = 0; k < NKINDS; k++) {
        memset(kt, 0, (size_t)n * sizeof *kt);
        memset(kd, 0, (size_t)n * sizeof *kd);
        for (int l = 0; l < spec->nlines; l++) {
            if ((int)spec->lines[l].kind != k)
                continue;
            const cv_column *src = t->cols[cv_table_find(t, spec->lines[l].col)];
            cv_column *d = fcol(spec->lines[l].col, n);
            for (int64_t i = 0; d && i < n; i++) {
                double v = num0(src, i);
                ((double *)d->data)[i] = v;
                kt[i] += v;
                run[i] -= v;
                decsum_add(&kd[i], v);
                decsum_add(&rd[i], v);
            }
            if ((rc = add_owned(c, d, err)) != 0)
                goto done;
        }
        for (int64_t i = 0; i < n; i++) { /* the exact decimal sums, where they are */
            kt[i] = decsum_round(&kd[i], kt[i]);
            run[i] = decsum_round(&rd[i], run[i]);
        }
        if (pnl_kindtotal[k] && (rc = add_floats(c, NULL, pnl_kindtotal[k], kt, n, err)) != 0)
            goto done;
        if (pnl_subtotal[k] && (rc = add_floats(c, NULL, pnl_subtotal[k], run, n, err)) != 0)
            goto done;
    }
    cv_table *seg = pnl_segments(c, spec->segment, err);
    if (!seg) {
        rc = err ? err->code : CV_ERR_NOMEM;
        goto done;
    }
    out->customers = c;
    out->segments = seg;
    c = NULL;
done:
    cv_table_free(c);
    cv_free(rd);
    cv_free(run);
    return rc;
}

/* Sum of column name of t (row < 0) or its value in row. */
static double pnl_value(const cv_table *t, const char *name, int64_t row)
{
    const cv_column *c = cv_table_col(t, name, NULL);
    if (row >= 0)
        return num0(c, row);
    double s = 0, comp = 0;
    for (int64_t i = 0; i < t->nrows; i++) {
        double y = num0(c, i) - comp, u = s + y;
        comp = (u - s) - y;
        s = u;
    }
    return s;
}

cv_table *cv_costing_waterfall(const cv_table *pnl, const cv_pnl_spec *spec, int64_t row,
                               cv_error *err)
{
    int cap = spec->nlines + NKINDS + 2, m = 0;
    const char **step = cv_calloc((size_t)cap, sizeof *step),
               **kind = cv_calloc((size_t)cap, sizeof *kind);
    double *v = cv_calloc((size_t)cap * 3, sizeof *v), *st = v ? v + cap : NULL,
           *en = v ? v + 2 * cap : NULL;
    cv_table *out = NULL;
    if (!step || !kind || !v) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (row >= pnl->nrows) {
        cv_error_set(err, CV_ERR_USAGE, "waterfall: row %lld is past the last row (%lld)",
                     (long long)row + 1, (long long)pnl->nrows);
        goto done;
    }
    /* every column the spec names must be in the P&L table */
    if (!cv_table_col(pnl, spec->revenue, err) || !cv_table_col(pnl, "profit", err))
        goto done;
    for (int l = 0; l < spec->nlines; l++)
        if (!cv_table_col(pnl, spec->lines[l].col, err))
            goto done;
    double level = pnl_value(pnl, spec->revenue, row);
    step[m] = spec->revenue, kind[m] = "start", v[m] = level, st[m] = 0, en[m] = level, m++;
    for (int k = 0; k < NKINDS; k++) {
        int lines = 0;
        for (int l = 0; l < spec->nlines; l++) {
            if ((int)spec->lines[l].kind != k)
                continue;
            double x = pnl_value(pnl, spec->lines[l].col, row);
            step[m] = spec->lines[l].col, kind[m] = "decrease", v[m] = -x, st[m] = level;
            level -= x;
            en[m] = level, m++, lines++;
        }
        if (k == CV_PNL_RETENTION) {
            level = pnl_value(pnl, "profit", row); /* the table's own, equal up to rounding */
            step[m] = "profit", kind[m] = "total", v[m] = level, st[m] = 0, en[m] = level, m++;
        } else if (pnl_subtotal[k] && lines > 0) {
            level = pnl_value(pnl, pnl_subtotal[k], row);
            step[m] = pnl_subtotal[k], kind[m] = "subtotal", v[m] = level, st[m] = 0, en[m] = level,
            m++;
        }
    }
    if (!(out = cv_table_new())) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (add_strings(out, "step", step, m, err) || add_strings(out, "kind", kind, m, err) ||
        add_floats(out, NULL, "amount", v, m, err) || add_floats(out, NULL, "start", st, m, err) ||
        add_floats(out, NULL, "end", en, m, err)) {
        cv_table_free(out);
        out = NULL;
    }
done:
    cv_free(step);
    cv_free(kind);
    cv_free(v);
    return out;
}

/* ---- Whale curve ------------------------------------------------------------------------ */

cv_table *cv_costing_whale(const cv_table *t, const char *profit, const char *key,
                           cv_whale_stats *st, cv_error *err)
{
    int64_t n = t->nrows;
    const cv_column *p = cv_table_col(t, profit ? profit : "profit", err);
    if (!p || (key && !cv_table_col(t, key, err)))
        return NULL;
    if (!is_numeric(p->type))
        return cv_error_set(err, CV_ERR_TYPE,
                            "whale: profit column '%s' is %s, a number is expected", p->name,
                            cv_type_name(p->type)),
               NULL;
    if (n == 0)
        return cv_error_set(err, CV_ERR_USAGE, "whale: the table has no customers"), NULL;
    for (int64_t i = 0; i < n; i++)
        if (!cv_column_is_valid(p, i) || isnan(cv_column_number(p, i)))
            return cv_error_set(err, CV_ERR_DOMAIN, "whale: profit is missing in row %lld",
                                (long long)i + 1),
                   NULL;
    cv_sort_key sk = {p->name, 1};
    int64_t *ord = cv_table_order(t, &sk, 1, err);
    double *buf = cv_malloc((size_t)n * 4 * sizeof *buf);
    int64_t *rank = cv_malloc((size_t)n * sizeof *rank);
    cv_table *out = NULL;
    cv_whale_stats s;
    memset(&s, 0, sizeof s);
    if (!ord || !buf || !rank) {
        if (ord)
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    double *prof = buf, *cum = buf + n, *share = buf + 2 * n, *cshare = buf + 3 * n;
    double sum = 0, comp = 0;
    int64_t top = (2 * n + 9) / 10, bottom = (3 * n + 9) / 10;
    s.customers = n;
    s.peak = -INFINITY;
    for (int64_t r = 0; r < n; r++) {
        double x = cv_column_number(p, ord[r]);
        double y = x - comp, u = sum + y;
        comp = (u - sum) - y;
        sum = u;
        prof[r] = x;
        cum[r] = sum;
        rank[r] = r + 1;
        if (sum > s.peak) {
            s.peak = sum;
            s.peak_rank = r + 1;
        }
        if (x < 0) {
            s.loss_makers++;
            s.losses += x;
        }
        if (r == top - 1)
            s.top20_share = sum; /* divided by the total below */
        if (r >= n - bottom)
            s.bottom30_profit += x;
    }
    s.total = sum;
    if (!(sum > 0)) {
        cv_error_set(err, CV_ERR_DOMAIN,
                     "whale: total profit is %g, not > 0, so shares of it are undefined", sum);
        goto done;
    }
    s.peak_share = s.peak / sum;
    s.top20_share /= sum;
    for (int64_t r = 0; r < n; r++) {
        share[r] = cum[r] / sum;
        cshare[r] = (double)(r + 1) / (double)n;
    }
    if (!(out = cv_table_new())) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (add_ints(out, "rank", rank, n, err)) {
        cv_table_free(out);
        out = NULL;
        goto done;
    }
    if (key) {
        cv_column *kc = cv_column_take(cv_table_col(t, key, NULL), ord, n);
        if (add_owned(out, kc, err)) {
            cv_table_free(out);
            out = NULL;
            goto done;
        }
    }
    if (add_floats(out, NULL, p->name, prof, n, err) ||
        add_floats(out, NULL, "cum_profit", cum, n, err) ||
        add_floats(out, NULL, "cum_share", share, n, err) ||
        add_floats(out, NULL, "customer_share", cshare, n, err)) {
        cv_table_free(out);
        out = NULL;
        goto done;
    }
    if (st)
        *st = s;
done:
    cv_free(ord);
    cv_free(buf);
    cv_free(rank);
    return out;
}
