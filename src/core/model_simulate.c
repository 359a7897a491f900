/* cvkit synthetic transactions drawn from a fitted model (see include/cvkit/clv.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

cv_table *cv_model_simulate_tx(const cv_model *model, const double *p, size_t n,
                               const cv_gen_options *o, cv_error *err)
{
    cv_rng rng;
    cv_column *cid = NULL, *cdate = NULL, *camt = NULL;
    cv_table *t = NULL;
    double *times = NULL, L = cv_unit_days(o->unit);
    size_t cap = 64, i;
    if (model != &cv_model_bgnbd && model != &cv_model_mbgnbd && model != &cv_model_pareto_nbd) {
        cv_error_set(err, CV_ERR_USAGE,
                     "gen draws transactions from bgnbd, mbgnbd or pareto_nbd, not %s",
                     model->name);
        return NULL;
    }
    if (cv_model_check_params(model, p, err))
        return NULL;
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
    cv_free(times);
    return t;
}
