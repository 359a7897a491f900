/* cvkit synthetic data drawn from a fitted model: transactions (see include/cvkit/clv.h)
   and the summaries of customers with covariates (include/cvkit/covariates.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/covariates.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_cov_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

cv_table *cv_gen_table(cv_column *cid, cv_column *cdate, cv_column *camt, const cv_column *id,
                       cv_error *err)
{
    cv_table *t = NULL;
    if (!cid || !cdate || !camt)
        goto nomem;
    if (id) { /* the customers' ids in place of their numbers */
        cv_column *ids;
        int64_t *row = (int64_t *)cid->data, k;
        for (k = 0; k < cid->n; k++)
            row[k] -= 1;
        if (!(ids = cv_column_take(id, row, cid->n)))
            goto nomem;
        cv_column_unref(cid);
        cid = ids;
    }
    if (!(t = cv_table_new()) || cv_table_add(t, cid, err) || cv_table_add(t, cdate, err) ||
        cv_table_add(t, camt, err)) {
        if (t)
            cv_table_free(t);
        t = NULL;
        goto nomem;
    }
    t->nrows = cid->n;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    cv_column_unref(cid), cv_column_unref(cdate), cv_column_unref(camt);
    return t;
}

cv_table *cv_model_simulate_tx(const cv_model *model, const double *p, size_t n,
                               const cv_gen_options *o, cv_error *err)
{
    return cv_cov_simulate_tx(model, p, NULL, n, o, NULL, err);
}

cv_table *cv_cov_simulate_tx(const cv_model *model, const double *est, const cv_cov_spec *spec,
                             size_t n, const cv_gen_options *o, const cv_column *id, cv_error *err)
{
    cv_rng rng;
    cv_column *cid = NULL, *cdate = NULL, *camt = NULL;
    cv_table *t = NULL;
    double *times = NULL, L = cv_unit_days(o->unit), p[CV_MODEL_MAXP];
    size_t cap = 64, i;
    const int cov = spec && spec->ncoef > 0;
    if (model != &cv_model_bgnbd && model != &cv_model_mbgnbd && model != &cv_model_pareto_nbd) {
        cv_error_set(err, CV_ERR_USAGE,
                     "gen draws transactions from bgnbd, mbgnbd or pareto_nbd, not %s",
                     model->name);
        return NULL;
    }
    if (cv_model_check_params(model, est, err))
        return NULL;
    if (cov) {
        cv_model_data d = {n, NULL, NULL, NULL, NULL, NULL};
        if (cov_check_spec(model, &d, spec, err))
            return NULL;
    }
    if (id && (size_t)id->n != n) {
        cv_error_set(err, CV_ERR_USAGE, "gen: the id column has %lld rows, %zu customers",
                     (long long)id->n, n);
        return NULL;
    }
    if (o->spend && cv_model_check_params(&cv_model_gamma_gamma, o->spend, err))
        return NULL;
    if (o->cohort_days < 1 || o->end < o->start + o->cohort_days - 1) {
        cv_error_set(err, CV_ERR_USAGE,
                     "gen: the acquisition window (%d days) must end on or before the end date",
                     o->cohort_days);
        return NULL;
    }
    cid = cv_column_new("customer", CV_INT64, (int64_t)n * 2);
    cdate = cv_column_new("date", CV_DATE, (int64_t)n * 2);
    camt = cv_column_new("amount", CV_FLOAT64, (int64_t)n * 2);
    times = cv_malloc(sizeof(double) * cap);
    if (!cid || !cdate || !camt || !times)
        goto nomem;
    cv_rng_seed(&rng, o->seed);
    for (i = 0; i < n; i++) {
        if (cv_cancel_check(err)) /* every customer: one may make thousands of purchases */
            goto done;
        int32_t first = o->start + (int32_t)(cv_rng_uniform(&rng) * o->cohort_days);
        double T, x, tx, m, nu = 1.0;
        size_t k, nx;
        if (first >= o->start + o->cohort_days)
            first = o->start + o->cohort_days - 1;
        T = cv_time_between(first, o->end, o->unit);
        cv_cov_row_params(model, est, cov ? spec : NULL, i, p); /* p = est without covariates */
        if (cov && cv_model_check_params(model, p, err))
            goto done;
        if (T > 0.0)
            model->simulate(p, &rng, T, &x, &tx, &m);
        else
            x = 0.0, tx = 0.0;
        nx = (size_t)x;
        if (nx + 1 > cap) {
            double *nt;
            while (cap < nx + 1)
                cap *= 2;
            if (!(nt = cv_realloc(times, sizeof(double) * cap)))
                goto nomem;
            times = nt;
        }
        times[0] = 0.0;
        for (k = 1; k + 1 <= nx; k++) /* the others uniform on (0, t_x) */
            times[k] = cv_rng_uniform(&rng) * tx;
        if (nx > 0)
            times[nx] = tx;
        if (nx > 1)
            qsort(times + 1, nx - 1, sizeof(double), dbl_cmp);
        if (o->spend)
            nu = cv_rng_gamma(&rng, o->spend[1]) / o->spend[2];
        for (k = 0; k <= nx; k++) {
            int32_t d = first + (int32_t)floor(times[k] * L);
            double amt = 1.0;
            if (d > o->end)
                d = o->end;
            if (o->spend) {
                amt = round(cv_rng_gamma(&rng, o->spend[0]) / nu * 100.0) / 100.0;
                if (amt < 0.01)
                    amt = 0.01;
            }
            if (cv_column_push_int(cid, (int64_t)i + 1) || cv_column_push_i32(cdate, d) ||
                cv_column_push_float(camt, amt))
                goto nomem;
        }
    }
    t = cv_gen_table(cid, cdate, camt, id, err);
    cid = cdate = camt = NULL;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    cv_column_unref(cid), cv_column_unref(cdate), cv_column_unref(camt);
    cv_free(times);
    return t;
}

/* A new CV_FLOAT64 (CV_INT64 when as_int) column name of v[n]; NaN where skip[i] == 0 when
   skip is given (a Gamma-Gamma customer without repeat spend). NULL when out of memory. */
static cv_column *column_of(const char *name, const double *v, size_t n, int as_int,
                            const double *skip)
{
    cv_column *c = cv_column_new(name, as_int ? CV_INT64 : CV_FLOAT64, (int64_t)n);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int rc = as_int                   ? cv_column_push_int(c, (int64_t)v[i])
                 : skip && skip[i] == 0.0 ? cv_column_push_missing(c)
                                          : cv_column_push_float(c, v[i]);
        if (rc) {
            cv_column_unref(c);
            return NULL;
        }
    }
    return c;
}

cv_table *cv_cov_simulate_table(const cv_model *model, const double *est, const cv_cov_spec *spec,
                                const cv_table *s, const char *const *keep, size_t nkeep,
                                uint64_t seed, const double *in, cv_error *err)
{
    const size_t n = (size_t)s->nrows;
    const int gg = model == &cv_model_gamma_gamma;
    double *buf = cv_malloc(sizeof(double) * 2 * (n ? n : 1));
    cv_table *t = NULL;
    cv_column *c = NULL;
    int rc;
    if (!buf) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* Gamma-Gamma: in = x, buf = the mean spends; the others: in = T, buf = x, t_x */
    rc = gg ? cv_cov_simulate_spend(model, est, spec, n, seed, in, buf, err)
            : cv_cov_simulate(model, est, spec, n, seed, in, buf, buf + n, err);
    if (rc != 0)
        goto done;
    if (!(t = cv_table_new()))
        goto nomem;
    {
        const char *names[3] = {"x", gg ? "mean_repeat_spend" : "t_x", "T"};
        const double *cols[3] = {gg ? in : buf, gg ? buf : buf + n, in};
        for (int j = 0; j < (gg ? 2 : 3); j++) {
            if (!(c = column_of(names[j], cols[j], n, j == 0, gg ? in : NULL)))
                goto nomem;
            if (cv_table_add(t, c, err))
                goto fail;
            cv_column_unref(c);
            c = NULL;
        }
    }
    for (size_t k = 0; k < nkeep; k++) { /* the covariates, shared with s */
        cv_column *z;
        if (cv_table_find(t, keep[k]) >= 0)
            continue;
        if (!(z = cv_table_col(s, keep[k], err)) || cv_table_add(t, z, err))
            goto fail;
    }
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    cv_column_unref(c);
    if (t)
        cv_table_free(t);
    t = NULL;
done:
    cv_free(buf);
    return t;
}
