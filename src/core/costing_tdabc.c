/* cvkit cost of service: time-driven activity-based costing (capacity cost rates, time
   equations, used and unused capacity). Conventions: include/cvkit/costing.h, docs/costing.md. */
#include "costing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

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
        if ((rc = cost_check_amount("activity", x->name, "base time", x->base, 0, err)) != 0)
            return rc;
        eq[a].events = NULL;
        if (x->events &&
            !(eq[a].events = cost_activity_col(t, x->name, "events column", x->events, err)))
            return err ? err->code : CV_ERR_USAGE;
        eq[a].terms = termcols + used;
        for (int k = 0; k < x->nterms; k++) {
            const cv_time_term *term = &x->terms[k];
            if (!(termcols[used++] = cost_activity_col(t, x->name, "field", term->field, err)))
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
    if ((rc = cost_check_names(names, nres, "resource", err)) != 0)
        goto done;
    for (int r = 0; r < nres; r++) {
        const cv_tdabc_resource *x = &res[r];
        if (x->rate_given) {
            if ((rc = cost_check_amount("resource", x->name, "rate", x->rate, 0, err)) ||
                (rc = cost_check_amount("resource", x->name, "cost", x->cost, 1, err)) ||
                (rc = cost_check_amount("resource", x->name, "capacity", x->capacity, 1, err)))
                goto done;
            rrate[r] = x->rate;
        } else {
            if ((rc = cost_check_amount("resource", x->name, "cost", x->cost, 0, err)))
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
    if ((rc = cost_check_names(names, nacts, "activity", err)) != 0)
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
    if (key && (rc = cost_add_shared(rows, t, key, err)) != 0)
        goto done;
    for (int a = 0; a < nacts; a++) {
        double r = rrate[eq[a].res], s = 0;
        if ((rc = tdabc_minutes(&acts[a], &eq[a], n, buf, &aev[a], err)) != 0 ||
            (rc = cost_add_floats(rows, "minutes_", acts[a].name, buf, n, err)) != 0)
            goto done;
        for (int64_t i = 0; i < n; i++) {
            s += buf[i];
            buf[i] *= r;
        }
        if ((rc = cost_add_floats(rows, "cost_", acts[a].name, buf, n, err)) != 0)
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
            if ((rc = cost_add_floats(cust, NULL, pass ? "cost_to_serve" : "minutes", buf, m, err)))
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
        if ((rc = cost_add_strings(act, "activity", names, nacts, err)) ||
            (rc = cost_add_strings(act, "resource", rn, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "events", aev, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "minutes", amin, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "rate", arate, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "cost", acost, nacts, err)) ||
            (rc = cost_add_floats_na(act, "minutes_per_event", amper, nacts, err)) ||
            (rc = cost_add_floats_na(act, "cost_per_event", acper, nacts, err)))
            goto done;
        for (int r = 0; r < nres; r++)
            rn[r] = res[r].name;
        if ((rc = cost_add_strings(rtab, "resource", rn, nres, err)) ||
            (rc = cost_add_floats_na(rtab, "cost", rcost, nres, err)) ||
            (rc = cost_add_floats_na(rtab, "capacity", rcap, nres, err)) ||
            (rc = cost_add_floats(rtab, NULL, "rate", rrate, nres, err)) ||
            (rc = cost_add_floats(rtab, NULL, "used_minutes", rused, nres, err)) ||
            (rc = cost_add_floats(rtab, NULL, "used_cost", rusedc, nres, err)) ||
            (rc = cost_add_floats_na(rtab, "unused_minutes", runm, nres, err)) ||
            (rc = cost_add_floats_na(rtab, "unused_cost", runc, nres, err)) ||
            (rc = cost_add_floats_na(rtab, "utilization", rutil, nres, err)))
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
