/* cvkit cohort tracking: actual against expected cumulative transactions per period of a
   transaction log (see include/cvkit/clv.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The day of value i of a date or datetime column. */
static int32_t day_of(const cv_column *c, int64_t i)
{
    if (c->type == CV_DATE)
        return cv_column_i32(c, i);
    {
        int64_t s = cv_column_int(c, i);
        return (int32_t)((s >= 0 ? s : s - 86399) / 86400);
    }
}

/* 1 when customer values i and j of c are equal. */
static int same_customer(const cv_column *c, int64_t i, int64_t j)
{
    if (c->type == CV_STRING)
        return cv_column_i32(c, i) == cv_column_i32(c, j);
    if (c->type == CV_FLOAT64)
        return cv_column_float(c, i) == cv_column_float(c, j);
    return cv_column_int(c, i) == cv_column_int(c, j);
}

cv_table *cv_model_tracking(const cv_model *model, const double *p, const cv_table *tx,
                            const cv_tracking_options *o, cv_error *err)
{
    cv_column *cc, *cd;
    cv_sort_key keys[2];
    int64_t *ord = NULL, r, n = tx->nrows;
    int32_t *firsts = NULL, d0 = INT32_MAX, last = INT32_MIN, endday;
    size_t nc = 0, k, nper, nd = 0, i;
    double *actual = NULL, *expected = NULL, *cnt = NULL;
    int32_t *days = NULL;
    int pd = o->period_days > 0 ? o->period_days : 7, j;
    cv_table *t = NULL;
    cv_column *cols[7] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    static const char *const names[7] = {"period",   "end",        "days",        "actual",
                                         "expected", "actual_cum", "expected_cum"};
    if (!(model->preds & (1u << CV_PRED_EXPECTED)) || model == &cv_model_bgbb) {
        cv_error_set(err, CV_ERR_USAGE, "tracking needs a model of purchases over time, not %s",
                     model->name);
        return NULL;
    }
    if (cv_model_check_params(model, p, err))
        return NULL;
    if (!(cc = cv_table_col(tx, o->customer, err)) || !(cd = cv_table_col(tx, o->date, err)))
        return NULL;
    if (cd->type != CV_DATE && cd->type != CV_DATETIME) {
        cv_error_set(err, CV_ERR_TYPE, "date column '%s' is %s, expected a date", o->date,
                     cv_type_name(cd->type));
        return NULL;
    }
    if (cc->type == CV_BOOL || cc->type == CV_DATE || cc->type == CV_DATETIME) {
        cv_error_set(err, CV_ERR_TYPE, "customer column '%s' is %s, expected ids", o->customer,
                     cv_type_name(cc->type));
        return NULL;
    }
    for (r = 0; r < n; r++)
        if (!cv_column_is_valid(cc, r) || !cv_column_is_valid(cd, r)) {
            cv_error_set(err, CV_ERR_USAGE, "row %lld: missing customer or date", (long long)r + 1);
            return NULL;
        }
    keys[0].col = o->customer, keys[0].desc = 0;
    keys[1].col = o->date, keys[1].desc = 0;
    if (!(ord = cv_table_order(tx, keys, 2, err)))
        return NULL;
    /* pass 1: the cohort's first days and the tracked range */
    firsts = cv_malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    if (!firsts)
        goto nomem;
    for (r = 0; r < n; r++) {
        int64_t a = ord[r];
        int32_t d = day_of(cd, a);
        if (d > last)
            last = d;
        if (r == 0 || !same_customer(cc, a, ord[r - 1]))
            if (d <= o->calibration_end) {
                firsts[nc++] = d;
                if (d < d0)
                    d0 = d;
            }
    }
    if (nc == 0) {
        cv_error_set(err, CV_ERR_USAGE,
                     "no customer first bought on or before the calibration end");
        goto fail;
    }
    endday = o->end_set ? o->end : last;
    if (endday < d0) {
        cv_error_set(err, CV_ERR_USAGE, "the tracking end is before the first purchase");
        goto fail;
    }
    nper = (size_t)(endday - d0) / (size_t)pd + 1;
    actual = cv_calloc(nper, sizeof(double));
    expected = cv_calloc(nper + 1, sizeof(double));
    days = cv_malloc(sizeof(int32_t) * nc);
    cnt = cv_malloc(sizeof(double) * nc);
    if (!actual || !expected || !days || !cnt)
        goto nomem;
    /* pass 2: repeat transactions (distinct later days of a cohort customer) by period */
    {
        int32_t first = 0, prev = 0;
        int in = 0;
        for (r = 0; r < n; r++) {
            int64_t a = ord[r];
            int32_t d = day_of(cd, a);
            if (r == 0 || !same_customer(cc, a, ord[r - 1])) {
                first = prev = d;
                in = d <= o->calibration_end;
                continue;
            }
            if (!in || d == prev)
                continue;
            prev = d;
            if (d <= endday && d > first)
                actual[(size_t)(d - d0) / (size_t)pd] += 1.0;
        }
    }
    /* the cohort by first day: counts of each distinct day */
    {
        int32_t lo = d0, hi = d0;
        for (i = 0; i < nc; i++)
            if (firsts[i] > hi)
                hi = firsts[i];
        {
            size_t span = (size_t)(hi - lo) + 1;
            double *hist = cv_calloc(span, sizeof(double));
            if (!hist)
                goto nomem;
            for (i = 0; i < nc; i++)
                hist[firsts[i] - lo] += 1.0;
            for (i = 0; i < span; i++)
                if (hist[i] > 0)
                    days[nd] = lo + (int32_t)i, cnt[nd++] = hist[i];
            cv_free(hist);
        }
    }
    /* expected cumulative repeat transactions at each period's end */
    for (k = 0; k < nper; k++) {
        int32_t e = d0 + (int32_t)((k + 1) * (size_t)pd) - 1;
        double sum = 0.0;
        if (e > endday)
            e = endday;
        for (i = 0; i < nd; i++) {
            double tt;
            if (days[i] >= e)
                continue;
            tt = cv_time_between(days[i], e, o->unit);
            sum += cnt[i] * model->predict(p, CV_PRED_EXPECTED, 0, 0, 0, 0, tt, 0);
        }
        expected[k + 1] = sum;
    }
    for (j = 0; j < 7; j++)
        if (!(cols[j] = cv_column_new(names[j],
                                      j == 0 || j == 2 ? CV_INT64
                                      : j == 1         ? CV_DATE
                                                       : CV_FLOAT64,
                                      (int64_t)nper)))
            goto nomem;
    {
        double ca = 0.0;
        for (k = 0; k < nper; k++) {
            int32_t b = d0 + (int32_t)(k * (size_t)pd), e = b + pd - 1;
            if (e > endday)
                e = endday; /* the last period may be partial */
            ca += actual[k];
            if (cv_column_push_int(cols[0], (int64_t)k + 1) || cv_column_push_i32(cols[1], e) ||
                cv_column_push_int(cols[2], (int64_t)(e - b) + 1) ||
                cv_column_push_float(cols[3], actual[k]) ||
                cv_column_push_float(cols[4], expected[k + 1] - expected[k]) ||
                cv_column_push_float(cols[5], ca) || cv_column_push_float(cols[6], expected[k + 1]))
                goto nomem;
        }
    }
    if (!(t = cv_table_new()))
        goto nomem;
    for (j = 0; j < 7; j++)
        if (cv_table_add(t, cols[j], err) != 0) {
            cv_table_free(t);
            t = NULL;
            goto fail;
        }
    t->nrows = (int64_t)nper;
    goto fail; /* clean up, keeping t */
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    for (j = 0; j < 7; j++)
        if (cols[j])
            cv_column_unref(cols[j]);
    cv_free(ord), cv_free(firsts), cv_free(actual), cv_free(expected), cv_free(days), cv_free(cnt);
    return t;
}
