/* cvkit cost of service: driver volumes per customer (through cv_table_group_by) and
   activity-based costing over them. Conventions: include/cvkit/costing.h, docs/costing.md. */
#include "costing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

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
                    cv_column *f = cost_fcol(c->name, g->nrows);
                    if (f)
                        cost_col_doubles(c, f->data, g->nrows);
                    rc = cost_add_owned(out, f, err);
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
    cv_column *tc = cost_fcol("cost_to_serve", n); /* zeros, summed into activity by activity */
    cv_table *cust = NULL, *act = NULL;
    if (!names || !cols || !vol || !xv || !tc) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    double *rate = vol + nacts, *cost = vol + 2 * nacts, *assigned = vol + 3 * nacts,
           *unassigned = vol + 4 * nacts;
    for (int a = 0; a < nacts; a++)
        names[a] = acts[a].name;
    if ((rc = cost_check_names(names, nacts, "activity", err)) != 0)
        goto done;
    if (key && !cv_table_col(drivers, key, err)) {
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    for (int a = 0; a < nacts && !rc; a++) {
        const cv_abc_activity *x = &acts[a];
        if (!(cols[a] = cost_activity_col(drivers, x->name, "driver column", x->driver, err))) {
            rc = err ? err->code : CV_ERR_USAGE;
            break;
        }
        if (x->rate_given) {
            rc = cost_check_amount("activity", x->name, "rate", x->rate, 0, err);
            if (!rc)
                rc = cost_check_amount("activity", x->name, "cost", x->cost, 1, err);
        } else {
            rc = cost_check_amount("activity", x->name, "cost", x->cost, 0, err);
        }
    }
    if (rc)
        goto done;
    /* volumes, activity by activity (column order: one pass over each driver column) */
    for (int a = 0; a < nacts; a++) {
        double s = 0, comp = 0;
        cost_col_doubles(cols[a], xv, n);
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
    if (key && (rc = cost_add_shared(cust, drivers, key, err)) != 0)
        goto done;
    for (int a = 0; a < nacts; a++) {
        char buf[300];
        snprintf(buf, sizeof buf, "cost_%s", acts[a].name);
        cv_column *c = cost_fcol(buf, n);
        if (c) {
            double *d = c->data, *total = tc->data, r = rate[a];
            cost_col_doubles(cols[a], xv, n);
            for (int64_t i = 0; i < n; i++) {
                d[i] = r * xv[i];
                total[i] += d[i];
            }
        }
        if ((rc = cost_add_owned(cust, c, err)) != 0)
            goto done;
    }
    if ((rc = cv_table_add(cust, tc, err)) != 0)
        goto done;
    {
        const char **drv = names + nacts;
        for (int a = 0; a < nacts; a++)
            drv[a] = acts[a].driver;
        if ((rc = cost_add_strings(act, "activity", names, nacts, err)) ||
            (rc = cost_add_strings(act, "driver", drv, nacts, err)) ||
            (rc = cost_add_floats_na(act, "cost", cost, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "volume", vol, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "rate", rate, nacts, err)) ||
            (rc = cost_add_floats(act, NULL, "assigned", assigned, nacts, err)) ||
            (rc = cost_add_floats_na(act, "unassigned", unassigned, nacts, err)))
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
