/* cvkit holdout validation of a fitted model: actual against expected holdout transactions
   per customer and by calibration frequency (see include/cvkit/clv.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cv_table *cv_model_validate(const cv_model *model, const double *p, const cv_table *s,
                            const cv_model_cols *cols, const char *holdout, double t_holdout,
                            int max_bucket, cv_validation *v, cv_error *err)
{
    cv_model_rows rows;
    cv_validation tot;
    size_t n = (size_t)s->nrows, i;
    double *buf, *act, *expd, *alive, *bsum;
    cv_table *t = NULL;
    cv_column *cx = NULL, *cn = NULL, *ca = NULL, *ce = NULL, *cat = NULL, *cet = NULL;
    cv_error e2;
    int b, rc, ok = 0;
    if (max_bucket < 0 || max_bucket > 1000) {
        cv_error_set(err, CV_ERR_USAGE, "validation buckets: max x %d must lie in 0..1000",
                     max_bucket);
        return NULL;
    }
    if (!(t_holdout > 0.0)) {
        cv_error_set(err, CV_ERR_USAGE, "holdout length must be positive, got %g", t_holdout);
        return NULL;
    }
    if (cv_model_rows_from_table(model, s, cols, &rows, err) != 0)
        return NULL;
    buf = cv_malloc(sizeof(double) * (3 * (n ? n : 1) + 3 * ((size_t)max_bucket + 1)));
    if (!buf) {
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    act = buf, expd = buf + n, alive = buf + 2 * n, bsum = buf + 3 * n;
    memset(bsum, 0, sizeof(double) * 3 * ((size_t)max_bucket + 1));
    if (cv_model_column_doubles(s, holdout ? holdout : "x_holdout", act, err) != 0)
        goto done;
    for (i = 0; i < n; i++)
        if (!(act[i] >= 0.0)) {
            cv_error_set(err, CV_ERR_USAGE, "row %zu: holdout transactions must be a count >= 0",
                         i + 1);
            goto done;
        }
    rc = cv_model_predict(model, p, CV_PRED_CONDITIONAL, &rows.data, t_holdout, 0, expd, &e2);
    if (rc == 0)
        rc = cv_model_predict(model, p, CV_PRED_P_ALIVE, &rows.data, 0, 0, alive, &e2);
    if (rc != 0) {
        if (err)
            *err = e2;
        goto done;
    }
    memset(&tot, 0, sizeof tot);
    for (i = 0; i < n; i++) {
        double d = act[i] - expd[i], y = act[i] > 0.0 ? 1.0 : 0.0;
        b = rows.data.x[i] >= max_bucket ? max_bucket : (int)rows.data.x[i];
        bsum[3 * b] += 1.0;
        bsum[3 * b + 1] += act[i];
        bsum[3 * b + 2] += expd[i];
        tot.customers += 1.0;
        tot.actual += act[i];
        tot.expected += expd[i];
        tot.mae += fabs(d);
        tot.rmse += d * d;
        tot.brier += (alive[i] - y) * (alive[i] - y);
        tot.active += y;
        tot.p_alive += alive[i];
    }
    if (n) {
        tot.mae /= (double)n;
        tot.rmse = sqrt(tot.rmse / (double)n);
        tot.brier /= (double)n;
    }
    if (v)
        *v = tot;
    cx = cv_column_new("x", CV_INT64, max_bucket + 1);
    cn = cv_column_new("customers", CV_INT64, max_bucket + 1);
    ca = cv_column_new("actual", CV_FLOAT64, max_bucket + 1);
    ce = cv_column_new("expected", CV_FLOAT64, max_bucket + 1);
    cat = cv_column_new("actual_total", CV_FLOAT64, max_bucket + 1);
    cet = cv_column_new("expected_total", CV_FLOAT64, max_bucket + 1);
    t = cv_table_new();
    if (!cx || !cn || !ca || !ce || !cat || !cet || !t) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (b = 0; b <= max_bucket; b++) {
        double c = bsum[3 * b];
        rc = cv_column_push_int(cx, b) | cv_column_push_int(cn, (int64_t)c) |
             (c > 0 ? cv_column_push_float(ca, bsum[3 * b + 1] / c) |
                          cv_column_push_float(ce, bsum[3 * b + 2] / c)
                    : cv_column_push_missing(ca) | cv_column_push_missing(ce)) |
             cv_column_push_float(cat, bsum[3 * b + 1]) |
             cv_column_push_float(cet, bsum[3 * b + 2]);
        if (rc) {
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    if (cv_table_add(t, cx, err) || cv_table_add(t, cn, err) || cv_table_add(t, ca, err) ||
        cv_table_add(t, ce, err) || cv_table_add(t, cat, err) || cv_table_add(t, cet, err))
        goto done;
    t->nrows = max_bucket + 1;
    ok = 1;
done: /* the table holds its own references to the columns */
    cv_column_unref(cx), cv_column_unref(cn), cv_column_unref(ca), cv_column_unref(ce);
    cv_column_unref(cat), cv_column_unref(cet);
    if (!ok)
        cv_table_free(t), t = NULL;
    cv_free(buf);
    cv_model_rows_free(&rows);
    return t;
}
