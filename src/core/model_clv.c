/* cvkit customer lifetime value over a summary table: P(alive), the expected discounted
   transactions (dtx, per period or DERT), spend and margin share, clv = dtx x spend x
   margin share (see include/cvkit/clv.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/threads.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const cv_model *model;
    const double *p;
    const double *px, *pT;
    double *out;
    double horizon, v; /* periods, discount factor per period */
} det_job;

double cv_model_dtx_alive(const cv_model *model, const double *p, double x, double T,
                          double horizon, double v)
{
    enum { CHUNK = 256 };
    double t[CHUNK], a[CHUNK];
    double prev = 0.0, sum = 0.0, t0 = 0.0;
    size_t k, m;
    while (t0 < horizon && !isnan(sum)) {
        for (m = 0; m < CHUNK && t0 < horizon; m++)
            t[m] = t0 = fmin(t0 + 1.0, horizon);
        if (model->conditional_path)
            model->conditional_path(p, x, T, t, m, a);
        else
            for (k = 0; k < m; k++)
                a[k] = model->predict(p, CV_PRED_CONDITIONAL_ALIVE, x, T, T, 0.0, t[k], 0.0);
        for (k = 0; k < m; k++) {
            sum += pow(v, t[k]) * (a[k] - prev);
            prev = a[k];
        }
    }
    return sum;
}

double cv_model_dtx_alive_at(const cv_model *model, const double *p, double x, double T,
                             const double *t, const double *vt, size_t n, double *last)
{
    enum { CHUNK = 256 }; /* as cv_model_dtx_alive: the same chunks, the same sums */
    double a[CHUNK];
    double prev = 0.0, sum = 0.0;
    size_t i, k, m;
    for (i = 0; i < n && !isnan(sum); i += m) {
        m = n - i < CHUNK ? n - i : CHUNK;
        if (model->conditional_path)
            model->conditional_path(p, x, T, t + i, m, a);
        else
            for (k = 0; k < m; k++)
                a[k] = model->predict(p, CV_PRED_CONDITIONAL_ALIVE, x, T, T, 0.0, t[i + k], 0.0);
        for (k = 0; k < m; k++) {
            sum += vt[i + k] * (a[k] - prev);
            prev = a[k];
        }
    }
    if (last)
        *last = isnan(sum) ? NAN : prev;
    return sum;
}

static void det_pairs(void *vj, size_t lo, size_t hi)
{
    const det_job *j = vj;
    size_t i;
    for (i = lo; i < hi; i++)
        j->out[i] = cv_model_dtx_alive(j->model, j->p, j->px[i], j->pT[i], j->horizon, j->v);
}

/* P(alive) and dtx of rows lo..hi, each with its own parameters (row_params) */
typedef struct {
    const cv_model *model;
    const double *rowp;
    const cv_model_data *d;
    double horizon, v, delta; /* periods (or INFINITY), discount factor, continuous rate */
    double *alive, *dtx;
    double *cond, cond_t; /* CONDITIONAL at cond_t, or NULL */
} row_job;

static void clv_rows(void *vj, size_t lo, size_t hi)
{
    const row_job *j = vj;
    const int np = j->model->nparams;
    for (size_t i = lo; i < hi; i++) {
        const double *p = j->rowp + i * (size_t)np, x = j->d->x[i], T = j->d->T[i];
        j->alive[i] = j->model->predict(p, CV_PRED_P_ALIVE, x, j->d->t_x[i], T, 0, 0, 0);
        if (j->cond)
            j->cond[i] =
                j->model->predict(p, CV_PRED_CONDITIONAL, x, j->d->t_x[i], T, 0, j->cond_t, 0);
        if (isinf(j->horizon)) {
            j->dtx[i] = j->model->predict(p, CV_PRED_DERT, x, j->d->t_x[i], T, 0, j->delta, 0);
        } else {
            det_job dj = {j->model, p, &x, &T, &j->dtx[i], j->horizon, j->v};
            det_pairs(&dj, 0, 1);
            j->dtx[i] *= j->alive[i];
        }
    }
}

cv_table *cv_model_clv_table(const cv_model *model, const double *p, const cv_table *s,
                             const cv_model_cols *cols, const cv_clv_options *o, cv_error *err)
{
    cv_model_rows rows;
    cv_table *t = NULL;
    size_t n = (size_t)s->nrows, i, nbad = 0, bad = 0;
    /* the output columns, computed in place (no copy of a million values each) */
    static const char *const names[7] = {"p_alive",      "conditional", "dtx", "spend",
                                         "margin_share", "value_tx",    "clv"};
    cv_column *oc[7] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    double *buf = NULL, *alive, *dtx, *spend, *share, *value, *clv, *tmp, *cond = NULL;
    double rate;
    int done = 0, c;
    if (!(model->preds & (1u << CV_PRED_CONDITIONAL_ALIVE)) ||
        !(model->preds & (1u << CV_PRED_DERT_ALIVE))) {
        cv_error_set(err, CV_ERR_USAGE,
                     "clv needs a model of purchases over time (bgnbd, mbgnbd, pareto_nbd), "
                     "not %s",
                     model->name);
        return NULL;
    }
    if (cv_model_check_params(model, p, err))
        return NULL;
    if (!(o->horizon > 0.0)) {
        cv_error_set(err, CV_ERR_USAGE, "clv horizon must be positive, got %g", o->horizon);
        return NULL;
    }
    rate = cv_rate_per_period(o->discount, o->unit);
    if (isnan(rate) || (isinf(o->horizon) && !(rate > 0.0))) {
        cv_error_set(err, CV_ERR_USAGE,
                     "clv discount rate %g must be above -1 (above 0 for an unlimited horizon)",
                     o->discount);
        return NULL;
    }
    if (cv_model_rows_from_table(model, s, cols, &rows, err) != 0)
        return NULL;
    {
        const char *why = NULL;
        if (model->check(&rows.data, &bad, &why) == 0) /* the model's own rule */
            goto checked;
        cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", bad + 1, why);
        cv_model_rows_free(&rows);
        return NULL;
    }
checked:
    buf = cv_malloc(sizeof(double) * (n ? n : 1)); /* tmp (its pages touched only when used) */
    for (c = 0; buf && c < 7; c++)
        if ((c != 1 || o->conditional > 0.0) &&
            !(oc[c] = cv_column_new(names[c], CV_FLOAT64, n ? (int64_t)n : 1)))
            cv_free(buf), buf = NULL;
    if (!buf) {
        for (c = 0; c < 7; c++)
            if (oc[c])
                cv_column_unref(oc[c]);
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    alive = oc[0]->data, dtx = oc[2]->data, spend = oc[3]->data, share = oc[4]->data;
    value = oc[5]->data, clv = oc[6]->data, tmp = buf;
    if (oc[1])
        cond = oc[1]->data;
    /* value per transaction */
    if (o->spend_params || o->spend_row_params) {
        cv_model_data g = rows.data;
        double *xm = NULL;
        if (!g.m) { /* the spend model reads the mean repeat spend too */
            cv_model_rows gr;
            if (cv_model_rows_from_table(&cv_model_gamma_gamma, s, cols, &gr, err) != 0)
                goto fail;
            for (i = 0; i < n; i++)
                tmp[i] = gr.m[i];
            cv_model_rows_free(&gr);
            xm = tmp;
        }
        g.m = xm ? xm : g.m;
        for (i = 0; i < n; i++)
            spend[i] = cv_model_gamma_gamma.predict(
                o->spend_row_params ? o->spend_row_params + 3 * i : o->spend_params, CV_PRED_SPEND,
                g.x[i], 0, 0, g.m[i], 0, 0);
        for (i = 0; i < n; i++)
            if (isnan(spend[i]) && nbad++ == 0)
                bad = i;
        if (nbad) { /* refused once, with the reason, rather than missing values */
            char why[160];
            cv_model_nan_reason(&cv_model_gamma_gamma,
                                o->spend_row_params ? o->spend_row_params + 3 * bad
                                                    : o->spend_params,
                                CV_PRED_SPEND, why, sizeof why);
            cv_error_set(err, CV_ERR_DOMAIN,
                         "clv: expected spend not computable for %zu row(s), first row %zu%s", nbad,
                         bad + 1, why);
            goto fail;
        }
    } else if (o->spend) {
        if (cv_model_column_doubles(s, o->spend, spend, err) != 0)
            goto fail;
    } else {
        for (i = 0; i < n; i++)
            spend[i] = o->spend_value;
    }
    if (o->margin) {
        if (cv_model_column_doubles(s, o->margin, share, err) != 0 ||
            cv_model_column_doubles(s, cv_model_col_or(o->revenue, "revenue"), tmp, err) != 0)
            goto fail;
        for (i = 0; i < n; i++)
            share[i] = tmp[i] != 0.0 ? share[i] / tmp[i] : isnan(tmp[i]) ? NAN : 0.0;
    } else {
        for (i = 0; i < n; i++)
            share[i] = o->margin_rate_set ? o->margin_rate : 1.0;
    }
    /* P(alive), the expectation and the discounted transactions together, once per
       distinct row (cv_model_predict_set); with row_params (covariates) row by row, each
       row with its own parameters; below 64 rows P(alive) and then the discounted
       transactions once per distinct (x, T) */
    if (!o->row_params && n >= 64) {
        cv_model_pred_set ps;
        memset(&ps, 0, sizeof ps);
        ps.alive = alive, ps.cond = cond, ps.cond_t = o->conditional;
        if (isinf(o->horizon))
            ps.dert = dtx, ps.dert_arg = log1p(rate);
        else
            ps.dtx = dtx, ps.horizon = o->horizon, ps.v = 1.0 / (1.0 + rate);
        done = cv_model_predict_set(model, p, &rows.data, &ps) == 0;
    }
    if (!done && !o->row_params) {
        cv_model_predict_rows(model, p, CV_PRED_P_ALIVE, &rows.data, 0, 0, alive, &bad);
        if (cond)
            cv_model_predict_rows(model, p, CV_PRED_CONDITIONAL, &rows.data, o->conditional, 0,
                                  cond, &bad);
    }
    if (done) {
        /* dtx filled (its NaN rows are counted below) */
    } else if (o->row_params) {
        row_job rj = {model,       o->row_params, &rows.data, o->horizon, 1.0 / (1.0 + rate),
                      log1p(rate), alive,         dtx,        cond,       o->conditional};
        cv_par_for(n, 2000, clv_rows, &rj);
    } else if (isinf(o->horizon)) {
        /* its NaN rows are counted below (once) */
        cv_model_predict_rows(model, p, CV_PRED_DERT, &rows.data, log1p(rate), 0, dtx, &bad);
    } else {
        cv_model_pairs pp;
        det_job dj;
        double *f;
        if (cv_model_pairs_make(rows.data.x, rows.data.T, n, &pp) != 0 ||
            !(f = cv_malloc(sizeof(double) * (pp.k ? pp.k : 1)))) {
            cv_model_pairs_free(&pp);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        dj.model = model, dj.p = p, dj.px = pp.x, dj.pT = pp.T, dj.out = f;
        dj.horizon = o->horizon, dj.v = 1.0 / (1.0 + rate);
        cv_par_for(pp.k, 256, det_pairs, &dj);
        for (i = 0; i < n; i++)
            dtx[i] = alive[i] * f[pp.idx[i]];
        cv_free(f);
        cv_model_pairs_free(&pp);
    }
    for (i = 0; i < n; i++) {
        value[i] = spend[i] * share[i];
        clv[i] = dtx[i] * value[i];
        if (isnan(dtx[i]) && nbad++ == 0)
            bad = i;
    }
    if (cv_cancel_check(err))
        goto fail;
    if (nbad) {
        char why[160];
        cv_model_nan_reason(model, p, isinf(o->horizon) ? CV_PRED_DERT : CV_PRED_CONDITIONAL, why,
                            sizeof why);
        cv_error_set(err, CV_ERR_DOMAIN,
                     "%s: clv not computable for %zu row(s), first row %zu (x = %g, t_x = %g, "
                     "T = %g)%s",
                     model->name, nbad, bad + 1, rows.data.x[bad], rows.data.t_x[bad],
                     rows.data.T[bad], why);
        goto fail;
    }
    if ((t = cv_model_table_copy(s, err)) == NULL)
        goto fail;
    for (c = 0; c < 7; c++) {
        cv_column *oci = oc[c];
        oc[c] = NULL; /* cv_model_with_filled takes the reference */
        if (oci && !cv_model_with_filled(t, oci, err)) {
            cv_table_free(t);
            t = NULL;
            break;
        }
    }
fail:
    for (c = 0; c < 7; c++)
        if (oc[c])
            cv_column_unref(oc[c]);
    cv_free(buf);
    cv_model_rows_free(&rows);
    return t;
}
