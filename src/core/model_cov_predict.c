/* cvkit time-invariant covariates, the predictions (model_cov_int.h): each customer's
   prediction at its own parameters, as numbers and as a table. */
#include "cvkit/covariates.h"
#include "cvkit/threads.h"
#include "model_cov_int.h"

#include <math.h>

typedef struct {
    const cv_model *model;
    const double *est;
    const cv_cov_spec *spec;
    cv_pred kind;
    const cv_model_data *d;
    double arg, arg2, *out;
} pred_job;

static void pred_rows(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    const cv_model_data *d = j->d;
    double p[CV_MODEL_MAXP];
    for (size_t i = lo; i < hi; i++) {
        cv_cov_row_params(j->model, j->est, j->spec, i, p);
        j->out[i] = j->model->predict(p, j->kind, d->x ? d->x[i] : 0.0, d->t_x ? d->t_x[i] : 0.0,
                                      d->T ? d->T[i] : 0.0, d->m ? d->m[i] : 0.0, j->arg, j->arg2);
    }
}

int cv_cov_predict(const cv_model *model, const double *est, const cv_cov_spec *spec, cv_pred kind,
                   const cv_model_data *d, double arg, double arg2, double *out, cv_error *err)
{
    pred_job job = {model, est, spec, kind, d, arg, arg2, out};
    size_t i, nbad = 0, bad = 0, row = 0;
    const char *why = NULL;
    if (cov_check_spec(model, d, spec, err))
        return CV_ERR_USAGE;
    if (kind < 0 || kind >= CV_PRED_COUNT_ || !(model->preds & (1u << kind)))
        return cv_error_set(err, CV_ERR_USAGE, "%s does not predict '%s'", model->name,
                            cv_pred_name(kind));
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    for (i = 0; i < d->n; i++)
        if (!isfinite(d->x[i]) || (d->t_x && !isfinite(d->t_x[i])) || (d->T && !isfinite(d->T[i])))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: x, t_x and T must be finite", i + 1);
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s (x = %g, t_x = %g, T = %g)", row + 1,
                            why, d->x[row], d->t_x[row], d->T[row]);
    cv_par_for(d->n, 20000, pred_rows, &job);
    for (i = 0; i < d->n; i++)
        if (isnan(out[i]) && nbad++ == 0)
            bad = i;
    if (nbad)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: %s not computable for %zu row(s), first row %zu", model->name,
                            cv_pred_name(kind), nbad, bad + 1);
    return 0;
}

typedef struct {
    const cv_model *model;
    const double *est;
    const cv_cov_spec *spec;
    cv_pred kind;
    double arg, arg2;
} cov_predict_ctx;

static int cov_predict_rows(const void *v, const cv_model_data *d, double *out, cv_error *err)
{
    const cov_predict_ctx *c = v;
    return cv_cov_predict(c->model, c->est, c->spec, c->kind, d, c->arg, c->arg2, out, err);
}

cv_table *cv_cov_predict_table(const cv_model *model, const double *est, const cv_cov_spec *spec,
                               cv_pred kind, double arg, double arg2, const cv_table *s,
                               const cv_model_cols *cols, const char *name, cv_error *err)
{
    const cov_predict_ctx c = {model, est, spec, kind, arg, arg2};
    return cv_model_table_with(model, s, cols, name, cov_predict_rows, &c, err);
}
