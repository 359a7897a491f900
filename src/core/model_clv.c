/* cvkit model predictions on tables: the fast per-row prediction loop (two threads, one
   evaluation per distinct (x, T)), prediction columns, CLV, holdout validation, cohort
   tracking and synthetic transactions (see include/cvkit/clv.h). */
#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- Two threads ------------------------------------------------------------------------ */

typedef struct {
    void (*f)(void *ctx, size_t lo, size_t hi);
    void *ctx;
    size_t lo, hi;
} par_half;

static void *par_run(void *v)
{
    par_half *h = v;
    h->f(h->ctx, h->lo, h->hi);
    return NULL;
}

void cv_model_par_for(size_t n, size_t min_n, void (*f)(void *ctx, size_t lo, size_t hi),
                      void *ctx)
{
    pthread_t th;
    par_half h;
    if (n < min_n || n < 2) {
        f(ctx, 0, n);
        return;
    }
    h.f = f, h.ctx = ctx, h.lo = n / 2, h.hi = n;
    if (pthread_create(&th, NULL, par_run, &h) != 0) {
        f(ctx, 0, n);
        return;
    }
    f(ctx, 0, n / 2);
    pthread_join(th, NULL);
}

/* ---- Distinct (x, T) pairs ---------------------------------------------------------------- */

typedef struct {
    size_t k;          /* distinct pairs */
    double *x, *T;     /* k each */
    uint32_t *idx;     /* n: the pair of each row */
} pairs;

static uint64_t dbits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

static void pairs_free(pairs *pp)
{
    cv_free(pp->x), cv_free(pp->T), cv_free(pp->idx);
    memset(pp, 0, sizeof *pp);
}

/* Indexes the distinct (x[i], T[i]) (x or T may be NULL: 0). 0 or -1 (out of memory). */
static int pairs_make(const double *x, const double *T, size_t n, pairs *pp)
{
    size_t cap = 16, mask, i;
    uint32_t *slot;
    memset(pp, 0, sizeof *pp);
    while (cap < 2 * n)
        cap <<= 1;
    mask = cap - 1;
    slot = cv_calloc(cap, sizeof *slot);
    pp->x = cv_malloc(sizeof(double) * (n ? n : 1));
    pp->T = cv_malloc(sizeof(double) * (n ? n : 1));
    pp->idx = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!slot || !pp->x || !pp->T || !pp->idx || n >= UINT32_MAX) {
        cv_free(slot);
        pairs_free(pp);
        return -1;
    }
    for (i = 0; i < n; i++) {
        double xi = x ? x[i] : 0.0, Ti = T ? T[i] : 0.0;
        size_t h = (size_t)mix(dbits(xi) * 31 + mix(dbits(Ti))) & mask;
        for (;; h = (h + 1) & mask) {
            if (slot[h] == 0) {
                pp->x[pp->k] = xi, pp->T[pp->k] = Ti;
                slot[h] = (uint32_t)(++pp->k);
                pp->idx[i] = (uint32_t)(pp->k - 1);
                break;
            }
            if (dbits(pp->x[slot[h] - 1]) == dbits(xi) && dbits(pp->T[slot[h] - 1]) == dbits(Ti)) {
                pp->idx[i] = slot[h] - 1;
                break;
            }
        }
    }
    cv_free(slot);
    return 0;
}

/* ---- Per-row predictions ------------------------------------------------------------------ */

typedef struct {
    const cv_model *model;
    const double *p;
    cv_pred kind;
    const cv_model_data *d;
    double arg, arg2;
    double *out;
    const double *factor;  /* per distinct pair, or NULL */
    const uint32_t *idx;   /* the pair of each row */
    const double *px, *pT; /* the distinct pairs (for the factor pass) */
} pred_job;

static void pred_rows(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    const cv_model_data *d = j->d;
    size_t i;
    for (i = lo; i < hi; i++) {
        double x = d->x ? d->x[i] : 0.0, tx = d->t_x ? d->t_x[i] : 0.0;
        if ((i & 0xfff) == 0 && cv_cancelled()) { /* cv_model_predict reports it */
            for (; i < hi; i++)
                j->out[i] = NAN;
            return;
        }
        double T = d->T ? d->T[i] : 0.0, m = d->m ? d->m[i] : 0.0;
        if (j->factor)
            j->out[i] = j->model->predict(j->p, CV_PRED_P_ALIVE, x, tx, T, m, 0, 0) *
                        j->factor[j->idx[i]];
        else
            j->out[i] = j->model->predict(j->p, j->kind, x, tx, T, m, j->arg, j->arg2);
    }
}

static void pred_pairs(void *v, size_t lo, size_t hi)
{
    const pred_job *j = v;
    size_t i;
    for (i = lo; i < hi; i++)
        j->out[i] = j->model->predict(j->p, j->kind, j->px[i], j->pT[i], j->pT[i], 0.0, j->arg,
                                      j->arg2);
}

#define PAR_MIN 20000

size_t cv_model_predict_rows(const cv_model *model, const double *p, cv_pred kind,
                             const cv_model_data *d, double arg, double arg2, double *out,
                             size_t *bad)
{
    pred_job job;
    pairs pp;
    double *factor = NULL;
    size_t i, nbad = 0;
    cv_pred alive_kind = kind == CV_PRED_CONDITIONAL ? CV_PRED_CONDITIONAL_ALIVE
                                                      : CV_PRED_DERT_ALIVE;
    memset(&job, 0, sizeof job);
    job.model = model, job.p = p, job.kind = kind, job.d = d, job.arg = arg, job.arg2 = arg2;
    job.out = out;
    if ((kind == CV_PRED_CONDITIONAL || kind == CV_PRED_DERT) &&
        (model->preds & (1u << alive_kind)) && (model->preds & (1u << CV_PRED_P_ALIVE)) &&
        d->n >= 64 && pairs_make(d->x, d->T, d->n, &pp) == 0) {
        factor = cv_malloc(sizeof(double) * (pp.k ? pp.k : 1));
        if (factor) {
            pred_job pj = job;
            pj.kind = alive_kind, pj.out = factor, pj.px = pp.x, pj.pT = pp.T;
            cv_model_par_for(pp.k, 256, pred_pairs, &pj);
            job.factor = factor, job.idx = pp.idx;
        }
    }
    cv_model_par_for(d->n, PAR_MIN, pred_rows, &job);
    if (factor)
        cv_free(factor), pairs_free(&pp);
    for (i = 0; i < d->n; i++)
        if (isnan(out[i]) && nbad++ == 0)
            *bad = i;
    return nbad;
}

/* ---- Tables --------------------------------------------------------------------------------- */

/* Copies column name of t into dst as doubles; missing values are NaN. */
static int column_doubles(const cv_table *t, const char *name, double *dst, cv_error *err)
{
    cv_column *c = cv_table_col(t, name, err);
    int64_t i;
    if (!c)
        return CV_ERR_USAGE;
    if (c->type != CV_INT64 && c->type != CV_FLOAT64)
        return cv_error_set(err, CV_ERR_TYPE, "column '%s' is %s, expected a number", name,
                            cv_type_name(c->type));
    for (i = 0; i < t->nrows; i++)
        dst[i] = !cv_column_is_valid(c, i)    ? NAN
                 : c->type == CV_INT64 ? (double)cv_column_int(c, i)
                                       : cv_column_float(c, i);
    return 0;
}

static const char *col_or(const char *given, const char *def)
{
    return given ? given : def;
}

int cv_model_rows_from_table(const cv_model *model, const cv_table *t, const cv_model_cols *cols,
                             cv_model_rows *out, cv_error *err)
{
    static const cv_model_cols none = {NULL, NULL, NULL, NULL, NULL};
    size_t n = (size_t)t->nrows, i;
    const char *names[5];
    double *arr[5];
    int k, rc;
    double *blk;
    if (!cols)
        cols = &none;
    names[0] = col_or(cols->x, "x");
    names[1] = col_or(cols->t_x, "t_x");
    names[2] = col_or(cols->T, "T");
    names[3] = col_or(cols->m, "mean_repeat_spend");
    names[4] = cols->w;
    memset(out, 0, sizeof *out);
    blk = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    if (!blk)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (k = 0; k < 5; k++) {
        unsigned need = k == 0   ? CV_NEED_X
                        : k == 1 ? CV_NEED_TX
                        : k == 2 ? CV_NEED_T
                        : k == 3 ? CV_NEED_M
                                 : 0;
        /* the weights first (as cv_model_collapse lays rows out), then x, t_x, T, m */
        arr[k] = (k == 4 ? names[4] != NULL : (model->needs & need) != 0)
                     ? blk + (k == 4 ? 0 : (size_t)(k + 1) * n)
                     : NULL;
        if (arr[k] && (rc = column_doubles(t, names[k], arr[k], err)) != 0) {
            cv_free(blk);
            return rc;
        }
    }
    for (i = 0; i < n; i++)
        for (k = 0; k < 5; k++) {
            if (!arr[k] || !isnan(arr[k][i]))
                continue;
            if (k == 3 && arr[0] && arr[0][i] == 0.0) {
                arr[k][i] = 0.0; /* no repeat spend when x = 0: Gamma-Gamma skips the row */
                continue;
            }
            cv_free(blk);
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: missing value in column '%s'", i + 1,
                                names[k]);
        }
    if (!arr[4])
        for (i = 0; i < n; i++)
            blk[i] = 1.0;
    out->w = blk; /* the block's start: cv_model_rows_free frees it */
    out->x = arr[0], out->t_x = arr[1], out->T = arr[2], out->m = arr[3];
    out->data.n = n;
    out->data.x = arr[0], out->data.t_x = arr[1], out->data.T = arr[2], out->data.m = arr[3];
    out->data.w = arr[4];
    return 0;
}

/* A copy of s with a float column name from vals (NaN = missing); NULL with err set. */
static cv_table *with_column(cv_table *t, const char *name, const double *vals, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, t->nrows);
    int64_t i;
    if (!c) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (i = 0; i < t->nrows; i++)
        if ((isnan(vals[i]) ? cv_column_push_missing(c) : cv_column_push_float(c, vals[i])) != 0) {
            cv_column_unref(c);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            return NULL;
        }
    if (cv_table_set(t, c, err) != 0) {
        cv_column_unref(c);
        return NULL;
    }
    cv_column_unref(c);
    return t;
}

/* A new table sharing s's columns. */
static cv_table *table_copy(const cv_table *s, cv_error *err)
{
    cv_table *t = cv_table_new();
    int i;
    if (!t) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (i = 0; i < s->ncols; i++)
        if (cv_table_add(t, s->cols[i], err) != 0) {
            cv_table_free(t);
            return NULL;
        }
    t->nrows = s->nrows;
    return t;
}

cv_table *cv_model_predict_table(const cv_model *model, const double *p, cv_pred kind, double arg,
                                 double arg2, const cv_table *s, const cv_model_cols *cols,
                                 const char *name, cv_error *err)
{
    cv_model_rows rows;
    cv_table *t = NULL;
    double *out;
    cv_error e2;
    int rc;
    if (cv_model_rows_from_table(model, s, cols, &rows, err) != 0)
        return NULL;
    out = cv_malloc(sizeof(double) * (rows.data.n ? rows.data.n : 1));
    if (!out) {
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    rc = cv_model_predict(model, p, kind, &rows.data, arg, arg2, out, &e2);
    if (rc != 0 && rc != CV_ERR_DOMAIN) {
        if (err)
            *err = e2;
    } else if ((t = table_copy(s, err)) != NULL && !with_column(t, name, out, err)) {
        cv_table_free(t);
        t = NULL;
    }
    cv_free(out);
    cv_model_rows_free(&rows);
    return t;
}

/* ---- CLV ------------------------------------------------------------------------------------- */

typedef struct {
    const cv_model *model;
    const double *p;
    const double *px, *pT;
    double *out;
    double horizon, v; /* periods, discount factor per period */
} det_job;

/* Expected discounted transactions of an alive customer with (x, T) over a finite horizon:
   sum_k v^t_k (A(t_k) - A(t_k-1)), A the CONDITIONAL_ALIVE expectation at the period ends
   t_k = 1, 2, ..., the horizon (the last period may be partial). Through the model's
   conditional_path when it has one (all horizons of a customer at once), in chunks. */
static void det_pairs(void *vj, size_t lo, size_t hi)
{
    enum { CHUNK = 256 };
    const det_job *j = vj;
    double t[CHUNK], a[CHUNK];
    size_t i, k, m;
    for (i = lo; i < hi; i++) {
        double prev = 0.0, sum = 0.0, t0 = 0.0;
        while (t0 < j->horizon && !isnan(sum)) {
            for (m = 0; m < CHUNK && t0 < j->horizon; m++)
                t[m] = t0 = fmin(t0 + 1.0, j->horizon);
            if (j->model->conditional_path)
                j->model->conditional_path(j->p, j->px[i], j->pT[i], t, m, a);
            else
                for (k = 0; k < m; k++)
                    a[k] = j->model->predict(j->p, CV_PRED_CONDITIONAL_ALIVE, j->px[i],
                                             j->pT[i], j->pT[i], 0.0, t[k], 0.0);
            for (k = 0; k < m; k++) {
                sum += pow(j->v, t[k]) * (a[k] - prev);
                prev = a[k];
            }
        }
        j->out[i] = sum;
    }
}

cv_table *cv_model_clv_table(const cv_model *model, const double *p, const cv_table *s,
                             const cv_model_cols *cols, const cv_clv_options *o, cv_error *err)
{
    cv_model_rows rows;
    cv_table *t = NULL;
    size_t n = (size_t)s->nrows, i, nbad = 0, bad = 0;
    double *buf = NULL, *alive, *dtx, *spend, *share, *value, *clv, *tmp;
    double rate;
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
    buf = cv_malloc(sizeof(double) * 7 * (n ? n : 1));
    if (!buf) {
        cv_model_rows_free(&rows);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    alive = buf, dtx = buf + n, spend = buf + 2 * n, share = buf + 3 * n, value = buf + 4 * n;
    clv = buf + 5 * n, tmp = buf + 6 * n;
    /* value per transaction */
    if (o->spend_params) {
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
            spend[i] = cv_model_gamma_gamma.predict(o->spend_params, CV_PRED_SPEND, g.x[i], 0, 0,
                                                    g.m[i], 0, 0);
        for (i = 0; i < n; i++)
            if (isnan(spend[i]) && nbad++ == 0)
                bad = i;
        if (nbad) { /* refused once, with the reason, rather than missing values */
            char why[160];
            cv_model_nan_reason(&cv_model_gamma_gamma, o->spend_params, CV_PRED_SPEND, why,
                                sizeof why);
            cv_error_set(err, CV_ERR_DOMAIN,
                         "clv: expected spend not computable for %zu row(s), first row %zu%s",
                         nbad, bad + 1, why);
            goto fail;
        }
    } else if (o->spend) {
        if (column_doubles(s, o->spend, spend, err) != 0)
            goto fail;
    } else {
        for (i = 0; i < n; i++)
            spend[i] = o->spend_value;
    }
    if (o->margin) {
        if (column_doubles(s, o->margin, share, err) != 0 ||
            column_doubles(s, col_or(o->revenue, "revenue"), tmp, err) != 0)
            goto fail;
        for (i = 0; i < n; i++)
            share[i] = tmp[i] != 0.0 ? share[i] / tmp[i] : isnan(tmp[i]) ? NAN : 0.0;
    } else {
        for (i = 0; i < n; i++)
            share[i] = o->margin_rate_set ? o->margin_rate : 1.0;
    }
    /* P(alive), then the discounted transactions once per distinct (x, T) */
    cv_model_predict_rows(model, p, CV_PRED_P_ALIVE, &rows.data, 0, 0, alive, &bad);
    if (isinf(o->horizon)) {
        nbad = cv_model_predict_rows(model, p, CV_PRED_DERT, &rows.data, log1p(rate), 0, dtx, &bad);
    } else {
        pairs pp;
        det_job dj;
        double *f;
        if (pairs_make(rows.data.x, rows.data.T, n, &pp) != 0 ||
            !(f = cv_malloc(sizeof(double) * (pp.k ? pp.k : 1)))) {
            pairs_free(&pp);
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        dj.model = model, dj.p = p, dj.px = pp.x, dj.pT = pp.T, dj.out = f;
        dj.horizon = o->horizon, dj.v = 1.0 / (1.0 + rate);
        cv_model_par_for(pp.k, 256, det_pairs, &dj);
        for (i = 0; i < n; i++)
            dtx[i] = alive[i] * f[pp.idx[i]];
        cv_free(f);
        pairs_free(&pp);
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
    if ((t = table_copy(s, err)) == NULL)
        goto fail;
    if (!with_column(t, "p_alive", alive, err) || !with_column(t, "dtx", dtx, err) ||
        !with_column(t, "spend", spend, err) || !with_column(t, "margin_share", share, err) ||
        !with_column(t, "value_tx", value, err) || !with_column(t, "clv", clv, err)) {
        cv_table_free(t);
        t = NULL;
    }
fail:
    cv_free(buf);
    cv_model_rows_free(&rows);
    return t;
}

/* ---- Validation ------------------------------------------------------------------------------ */

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
    if (column_doubles(s, holdout ? holdout : "x_holdout", act, err) != 0)
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

/* ---- Tracking ---------------------------------------------------------------------------------- */

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
    static const char *const names[7] = {"period", "end", "days", "actual", "expected",
                                         "actual_cum", "expected_cum"};
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
            cv_error_set(err, CV_ERR_USAGE, "row %lld: missing customer or date",
                         (long long)r + 1);
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
        cv_error_set(err, CV_ERR_USAGE, "no customer first bought on or before the calibration end");
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
        if (!(cols[j] = cv_column_new(names[j], j == 0 || j == 2 ? CV_INT64
                                                : j == 1          ? CV_DATE
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

/* ---- Synthetic transactions --------------------------------------------------------------------- */

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
