/* cvkit intervals of the transaction models' and Gamma-Gamma's predictions over a summary
   table (cv_model_intervals, include/cvkit/intervals.h): the problem the interval engine
   (interval.c) draws for. Predictions are made once per distinct (x, t_x, T, m) row of the
   table (CLV's discounted sum once per distinct (x, T)), the refits on the fits' collapsed
   rows; a customer's CLV factor (margin share or value per transaction) is a constant that
   scales its row's interval. With covariates the rows are distinct by covariate pattern too,
   and each row's parameters at a draw are cv_cov_row_params' (model_cov.c: the one formula
   of the point predictions) for a customer of the row; the bootstrap's refits of a fit with
   covariates are cv_cov_boot_refit's (model_cov_boot.c). */
#include "cvkit/intervals.h"
#include "cvkit/mem.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const iv_names[CV_IV_KINDS] = {"p_alive", "conditional", "dert", "spend", "clv"};

/* The index of each kind (its bit's position). */
enum { K_P_ALIVE, K_CONDITIONAL, K_DERT, K_SPEND, K_CLV };

const char *cv_iv_name(int i)
{
    return i >= 0 && i < CV_IV_KINDS ? iv_names[i] : "?";
}

/* The problem's context. */
typedef struct {
    const cv_model_interval_spec *spec;
    const cv_model *tx, *gg;            /* NULL when absent */
    int ntx;                            /* parameters of tx with its coefficients (gg's follow) */
    const cv_cov_spec *cov_tx, *cov_gg; /* NULL: no covariates */
    int kinds[CV_IV_KINDS], nk;
    /* the distinct rows of the table */
    size_t k;
    double *x, *t_x, *T, *m;
    double *wsum;         /* customers of each row */
    double *wfac;         /* sum of the CLV factors of each row's customers */
    size_t *rep;          /* a customer of each row (its covariates) */
    cv_model_pairs pairs; /* distinct (x, T) of the rows (CLV, finite horizon) */
    /* the fits' collapsed rows (bootstrap); with covariates in cfit (covfit[j] = 1) */
    cv_model_rows fit[2];
    cv_cov_boot_rows cfit[2];
    int covfit[2];
    int nfit;
} iv_ctx;

/* The parameters of row r at the draw p: tx's into ptx, gg's into pgg (each the draw's own
   without covariates). */
static void row_params(const iv_ctx *c, const double *p, size_t r, const double **ptx,
                       const double **pgg, double *btx, double *bgg)
{
    *ptx = p, *pgg = p + c->ntx;
    if (c->cov_tx) {
        cv_cov_row_params(c->tx, p, c->cov_tx, c->rep[r], btx);
        *ptx = btx;
    }
    if (c->cov_gg) {
        cv_cov_row_params(c->gg, p + c->ntx, c->cov_gg, c->rep[r], bgg);
        *pgg = bgg;
    }
}

static int iv_predict(void *vc, const double *p, double *out)
{
    const iv_ctx *c = vc;
    const cv_model_interval_spec *s = c->spec;
    double *dtx = NULL, v = 1.0 / (1.0 + s->clv_rate);
    double btx[CV_MODEL_MAXP], bgg[CV_MODEL_MAXP];
    size_t r, k = c->k;
    int j, finite_clv = 0;
    for (j = 0; j < c->nk; j++)
        if (c->kinds[j] == K_CLV && isfinite(s->clv_horizon))
            finite_clv = 1;
    if (c->cov_tx || c->cov_gg) /* a draw whose coefficients put a row's parameter out of
                                   (0, inf): left out, as a draw out of range */
        for (r = 0; r < k; r++) {
            const double *pt, *pg;
            row_params(c, p, r, &pt, &pg, btx, bgg);
            for (j = 0; c->cov_tx && j < c->tx->nparams; j++)
                if (!(pt[j] > 0.0) || !isfinite(pt[j]))
                    return -1;
            for (j = 0; c->cov_gg && j < c->gg->nparams; j++)
                if (!(pg[j] > 0.0) || !isfinite(pg[j]))
                    return -1;
        }
    if (finite_clv && c->cov_tx) { /* each row its own parameters: no sharing of (x, T) */
        if (!(dtx = cv_malloc(sizeof(double) * (k ? k : 1))))
            return -1;
        for (r = 0; r < k; r++) {
            const double *pt, *pg;
            row_params(c, p, r, &pt, &pg, btx, bgg);
            dtx[r] = cv_model_dtx_alive(c->tx, pt, c->x[r], c->T[r], s->clv_horizon, v);
        }
    } else if (finite_clv) {
        if (!(dtx = cv_malloc(sizeof(double) * (c->pairs.k ? c->pairs.k : 1))))
            return -1;
        for (r = 0; r < c->pairs.k; r++)
            dtx[r] = cv_model_dtx_alive(c->tx, p, c->pairs.x[r], c->pairs.T[r], s->clv_horizon, v);
    }
    for (j = 0; j < c->nk; j++) {
        double *o = out + (size_t)j * k, tot = 0.0;
        for (r = 0; r < k; r++) {
            double x = c->x[r], tx = c->t_x[r], T = c->T[r], m = c->m[r], y;
            const double *pt, *pg;
            row_params(c, p, r, &pt, &pg, btx, bgg);
            switch (c->kinds[j]) {
            case K_P_ALIVE:
                y = c->tx->predict(pt, CV_PRED_P_ALIVE, x, tx, T, 0, 0, 0);
                break;
            case K_CONDITIONAL:
                y = c->tx->predict(pt, CV_PRED_CONDITIONAL, x, tx, T, 0, s->horizon, 0);
                break;
            case K_DERT:
                y = c->tx->predict(pt, CV_PRED_DERT, x, tx, T, 0, s->delta, 0);
                break;
            case K_SPEND:
                y = c->gg->predict(pg, CV_PRED_SPEND, x, 0, 0, m, 0, 0);
                break;
            default: /* K_CLV */
                y = dtx ? c->tx->predict(pt, CV_PRED_P_ALIVE, x, tx, T, 0, 0, 0) *
                              dtx[c->cov_tx ? r : c->pairs.idx[r]]
                        : c->tx->predict(pt, CV_PRED_DERT, x, tx, T, 0, log1p(s->clv_rate), 0);
                if (c->gg)
                    y *= c->gg->predict(pg, CV_PRED_SPEND, x, 0, 0, m, 0, 0);
                break;
            }
            o[r] = y;
            tot += (c->kinds[j] == K_CLV ? c->wfac[r] : c->wsum[r]) * y;
        }
        out[(size_t)c->nk * k + (size_t)j] = tot;
    }
    cv_free(dtx);
    return 0;
}

/* Refits one model on the rows of f with weights wb (rows with none left out), from start
   into p. */
static int refit_one(const cv_model *model, const cv_model_rows *f, const double *wb,
                     const double *start, double *p)
{
    const cv_model_data *d = &f->data;
    size_t n = 0, i;
    double *blk = cv_malloc(sizeof(double) * 5 * (d->n ? d->n : 1));
    cv_model_data e;
    cv_fit fit;
    cv_error err;
    int rc;
    if (!blk)
        return -1;
    memset(&e, 0, sizeof e);
    for (i = 0; i < d->n; i++) {
        if (!(wb[i] > 0.0))
            continue;
        blk[n] = wb[i];
        blk[d->n + n] = d->x ? d->x[i] : 0.0;
        blk[2 * d->n + n] = d->t_x ? d->t_x[i] : 0.0;
        blk[3 * d->n + n] = d->T ? d->T[i] : 0.0;
        blk[4 * d->n + n] = d->m ? d->m[i] : 0.0;
        n++;
    }
    e.n = n, e.w = blk;
    e.x = d->x ? blk + d->n : NULL, e.t_x = d->t_x ? blk + 2 * d->n : NULL;
    e.T = d->T ? blk + 3 * d->n : NULL, e.m = d->m ? blk + 4 * d->n : NULL;
    rc = cv_model_fit(model, &e, start, &fit, &err);
    cv_free(blk);
    if (rc > 1)
        return -1;
    memcpy(p, fit.params, sizeof(double) * (size_t)model->nparams);
    return 0;
}

int cv_iv_boot_refit(const cv_iv_boot *b, const cv_model *model, const double *wb,
                     const double *start, double *p)
{
    cv_error err;
    if (b->is_cov)
        return cv_cov_boot_refit(model, &b->crows, wb, start, p, &err) == 0 ? 0 : -1;
    return refit_one(model, &b->rows, wb, start, p);
}

/* Refits fit j of c (its model given) with the weights wb of its rows; 0 or -1 (failed or
   not converged with covariates: a failed draw). */
static int refit_fit(const iv_ctx *c, int j, const cv_model *model, const double *wb,
                     const double *start, double *p)
{
    cv_iv_boot b;
    b.rows = c->fit[j], b.crows = c->cfit[j], b.is_cov = c->covfit[j];
    return cv_iv_boot_refit(&b, model, wb, start, p);
}

static int iv_refit(void *vc, const double *wb, const double *start, double *p)
{
    const iv_ctx *c = vc;
    size_t off = 0;
    if (c->tx) {
        if (refit_fit(c, 0, c->tx, wb, start, p) != 0)
            return -1;
        off = c->covfit[0] ? c->cfit[0].data.n : c->fit[0].data.n;
    }
    if (c->gg && refit_fit(c, c->nfit - 1, c->gg, wb + off, start + c->ntx, p + c->ntx))
        return -1;
    return 0;
}

/* ---- The distinct rows of the table -------------------------------------------------------- */

static void ctx_free(iv_ctx *c)
{
    cv_free(c->x);
    cv_free(c->rep);
    cv_model_pairs_free(&c->pairs);
    cv_model_rows_free(&c->fit[0]);
    cv_model_rows_free(&c->fit[1]);
    cv_cov_boot_rows_free(&c->cfit[0]);
    cv_cov_boot_rows_free(&c->cfit[1]);
}

/* Builds the distinct rows of the n customers (x, t_x, T, m may be NULL: 0; g their
   covariate patterns, may be NULL: one), with their customer counts w and CLV factors f
   (may be NULL: 1) summed; row[i] gets customer i's row. 0 or -1 (out of memory). */
static int distinct_rows(iv_ctx *c, size_t n, const double *x, const double *t_x, const double *T,
                         const double *m, const double *g, const double *w, const double *f,
                         size_t *row)
{
    const double *key[5] = {x, t_x, T, m, g};
    size_t *ord = cv_malloc(sizeof(size_t) * (n ? n : 1)), i, k = 0;
    if (!ord || !(c->rep = cv_malloc(sizeof(size_t) * (n ? n : 1))) ||
        !(c->x = cv_malloc(sizeof(double) * 6 * (n ? n : 1))) ||
        cv_model_rows_distinct(n, 5, key, ord, row) == (size_t)-1) {
        cv_free(ord);
        return -1;
    }
    c->t_x = c->x + n, c->T = c->x + 2 * n, c->m = c->x + 3 * n;
    c->wsum = c->x + 4 * n, c->wfac = c->x + 5 * n;
    for (i = 0; i < n; i++) { /* the customers by (x, t_x, T, m, pattern), then by index */
        size_t ci = ord[i];
        if (row[ci] == k) { /* the first of a distinct row */
            c->x[k] = x ? x[ci] : 0.0, c->t_x[k] = t_x ? t_x[ci] : 0.0;
            c->T[k] = T ? T[ci] : 0.0, c->m[k] = m ? m[ci] : 0.0;
            c->wsum[k] = c->wfac[k] = 0.0;
            c->rep[k] = ci;
            k++;
        }
        c->wsum[k - 1] += w[ci];
        c->wfac[k - 1] += w[ci] * (f ? f[ci] : 1.0);
    }
    c->k = k;
    cv_free(ord);
    return cv_model_pairs_make(c->x, c->T, k, &c->pairs);
}

/* The covariate pattern of each of the n customers, tx's and gg's together, into *gid (n
   numbers, owned by the caller). 0, or -1 (out of memory). */
static int pattern_ids(const iv_ctx *c, size_t n, double **gid)
{
    uint32_t *pt = cv_malloc(sizeof(uint32_t) * 2 * (n ? n : 1));
    size_t kt = 1, kg = 1, i;
    *gid = cv_malloc(sizeof(double) * (n ? n : 1));
    if (!pt || !*gid)
        goto nomem;
    if ((kt = cv_cov_patterns(c->cov_tx, n, pt)) == (size_t)-1 ||
        (kg = cv_cov_patterns(c->cov_gg, n, pt + n)) == (size_t)-1)
        goto nomem;
    for (i = 0; i < n; i++)
        (*gid)[i] = (double)pt[i] * (double)(kg ? kg : 1) + (double)pt[n + i];
    cv_free(pt);
    (void)kt;
    return 0;
nomem:
    cv_free(pt);
    return -1;
}

/* The collapsed rows of a fit's data (the bootstrap's): into out, or with covariates (f->cov
   with coefficients) into cout with *is_cov = 1, each coefficient's column read from the
   data by its name f->cov_cols[c]. */
static int fit_rows(const cv_iv_fit *f, cv_model_rows *out, cv_cov_boot_rows *cout, int *is_cov,
                    cv_error *err)
{
    cv_model_rows raw;
    size_t nc = f->cov ? f->cov->ncoef : 0, n, c;
    double *zb = NULL;
    const double *z[CV_INTERVAL_MAXP];
    cv_cov_spec spec;
    int rc;
    if (!f->data)
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s: the bootstrap needs the data the model was fitted on",
                            f->model->name);
    if ((rc = cv_model_rows_from_table(f->model, f->data, &f->cols, &raw, err)) != 0)
        return rc;
    *is_cov = nc > 0;
    if (nc == 0) {
        rc = cv_model_collapse(&raw.data, out, err);
        cv_model_rows_free(&raw);
        return rc;
    }
    n = raw.data.n;
    if (!f->cov_cols || !(zb = cv_malloc(sizeof(double) * nc * (n ? n : 1)))) {
        cv_model_rows_free(&raw);
        return f->cov_cols ? cv_error_set(err, CV_ERR_NOMEM, "out of memory")
                           : cv_error_set(err, CV_ERR_USAGE,
                                          "%s: the bootstrap needs the data the model was "
                                          "fitted on",
                                          f->model->name);
    }
    for (c = 0, rc = 0; c < nc && rc == 0; c++) {
        z[c] = zb + c * (n ? n : 1);
        rc = cv_cov_column(f->data, f->cov_cols[c], zb + c * (n ? n : 1), err);
    }
    spec.ncoef = nc, spec.proc = f->cov->proc, spec.z = z;
    if (rc == 0)
        rc = cv_cov_boot_rows_make(&raw.data, &spec, cout, err);
    cv_free(zb);
    cv_model_rows_free(&raw);
    return rc;
}

int cv_iv_boot_make(const cv_iv_fit *f, cv_iv_boot *b, cv_error *err)
{
    memset(b, 0, sizeof *b);
    return fit_rows(f, &b->rows, &b->crows, &b->is_cov, err);
}

size_t cv_iv_boot_n(const cv_iv_boot *b)
{
    return b->is_cov ? b->crows.data.n : b->rows.data.n;
}

const double *cv_iv_boot_w(const cv_iv_boot *b)
{
    return b->is_cov ? b->crows.data.w : b->rows.data.w;
}

void cv_iv_boot_free(cv_iv_boot *b)
{
    cv_model_rows_free(&b->rows);
    cv_cov_boot_rows_free(&b->crows);
}

/* The parameters of a fit with its coefficients (0 without a model). */
static int fit_k(const cv_iv_fit *f)
{
    return f->model ? f->model->nparams + (f->cov ? (int)f->cov->ncoef : 0) : 0;
}

static int check_spec(const cv_model_interval_spec *s, cv_error *err)
{
    const cv_model *tx = s->tx.model;
    static const cv_pred need[3] = {CV_PRED_P_ALIVE, CV_PRED_CONDITIONAL, CV_PRED_DERT};
    int i;
    if (s->kinds & ~((1u << CV_IV_KINDS) - 1))
        return cv_error_set(err, CV_ERR_USAGE, "intervals: unknown prediction asked");
    for (i = 0; i < 3; i++)
        if ((s->kinds & (1u << i)) && (!tx || !(tx->preds & (1u << need[i]))))
            return cv_error_set(err, CV_ERR_USAGE, "intervals: %s does not predict %s",
                                tx ? tx->name : "the model", iv_names[i]);
    if ((s->kinds & CV_IV_SPEND) && s->spend.model != &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: spend needs a gamma_gamma model");
    if ((s->kinds & CV_IV_CLV) && (!tx || !(tx->preds & (1u << CV_PRED_CONDITIONAL_ALIVE)) ||
                                   !(tx->preds & (1u << CV_PRED_DERT_ALIVE))))
        return cv_error_set(err, CV_ERR_USAGE,
                            "clv needs a model of purchases over time (bgnbd, mbgnbd, "
                            "pareto_nbd), not %s",
                            tx ? tx->name : "none");
    if (s->spend.model && s->spend.model != &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: the spend model must be gamma_gamma");
    if (tx && cv_model_check_params(tx, s->tx.p, err))
        return CV_ERR_USAGE;
    if (s->spend.model && cv_model_check_params(s->spend.model, s->spend.p, err))
        return CV_ERR_USAGE;
    if (fit_k(&s->tx) + fit_k(&s->spend) > CV_INTERVAL_MAXP)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: too many parameters");
    if ((s->tx.cov && !cv_cov_supported(tx)) || (s->spend.cov && !cv_cov_supported(s->spend.model)))
        return cv_error_set(err, CV_ERR_USAGE, "intervals: %s takes no covariates",
                            s->tx.cov && !cv_cov_supported(tx) ? tx->name : s->spend.model->name);
    return 0;
}

cv_table *cv_model_intervals(const cv_model_interval_spec *spec, const cv_table *s,
                             const cv_model_cols *cols, const cv_interval_options *o,
                             cv_model_interval_totals *tot, cv_error *err)
{
    static const cv_model_cols none = {NULL, NULL, NULL, NULL, NULL};
    iv_ctx c;
    cv_interval_problem pb;
    cv_interval_result res;
    cv_model_rows rt, rg;
    double est[CV_INTERVAL_MAXP], cov[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP];
    double *fac = NULL, *col = NULL, *gid = NULL;
    size_t *row = NULL, n = (size_t)s->nrows, i;
    cv_table *t = NULL;
    int np = 0, j, a, rc, have_cov = 1;
    memset(&c, 0, sizeof c), memset(&rt, 0, sizeof rt), memset(&rg, 0, sizeof rg);
    memset(&pb, 0, sizeof pb), memset(&res, 0, sizeof res), memset(tot, 0, sizeof *tot);
    if (!cols)
        cols = &none;
    if (check_spec(spec, err))
        return NULL;
    c.spec = spec, c.tx = spec->tx.model, c.gg = spec->spend.model;
    c.ntx = fit_k(&spec->tx);
    c.cov_tx = c.tx && spec->tx.cov && spec->tx.cov->ncoef ? spec->tx.cov : NULL;
    c.cov_gg = c.gg && spec->spend.cov && spec->spend.cov->ncoef ? spec->spend.cov : NULL;
    for (j = 0; j < CV_IV_KINDS; j++)
        if (spec->kinds & (1u << j))
            c.kinds[c.nk++] = j;
    /* the parameters: tx's (with its coefficients, drawn on their own scale), then gg's;
       block-diagonal covariance */
    for (j = 0; j < 2; j++) {
        const cv_iv_fit *f = j ? &spec->spend : &spec->tx;
        int kk = fit_k(f);
        if (!f->model)
            continue;
        for (a = 0; a < kk; a++) {
            int is_coef = a >= f->model->nparams;
            est[np + a] = f->p[a];
            tot->names[np + a] = !is_coef       ? f->model->param_names[a]
                                 : f->cov_names ? f->cov_names[a - f->model->nparams]
                                                : "coef";
            if (is_coef && np + a < 32)
                pb.linear |= 1u << (np + a);
        }
        np += kk;
    }
    for (a = 0; a < np * np; a++)
        cov[a] = 0.0;
    for (j = 0, a = 0; j < 2; j++) {
        const cv_iv_fit *f = j ? &spec->spend : &spec->tx;
        int kk = fit_k(f), r2, c2;
        if (!f->model)
            continue;
        if (!f->cov_log) {
            have_cov = 0;
            continue;
        }
        for (r2 = 0; r2 < kk; r2++)
            for (c2 = 0; c2 < kk; c2++)
                cov[(a + r2) * np + a + c2] = f->cov_log[r2 * kk + c2];
        a += kk;
    }
    /* the customers of the table */
    if (c.tx && cv_model_rows_from_table(c.tx, s, cols, &rt, err) != 0)
        goto fail;
    if (c.gg && cv_model_rows_from_table(c.gg, s, cols, &rg, err) != 0)
        goto fail;
    if (c.tx) {
        const char *why = NULL;
        size_t bad = 0;
        if (c.tx->check(&rt.data, &bad, &why) != 0) {
            cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", bad + 1, why);
            goto fail;
        }
    }
    row = cv_malloc(sizeof(size_t) * (n ? n : 1));
    fac = cv_malloc(sizeof(double) * (n ? n : 1));
    if (!row || !fac || ((c.cov_tx || c.cov_gg) && pattern_ids(&c, n, &gid) != 0)) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++)
        fac[i] = 1.0;
    if ((spec->kinds & CV_IV_CLV) && spec->clv_factor &&
        cv_model_column_doubles(s, spec->clv_factor, fac, err) != 0)
        goto fail;
    {
        const cv_model_rows *r0 = c.tx ? &rt : &rg;
        if (distinct_rows(&c, n, r0->data.x, c.tx ? rt.data.t_x : NULL, c.tx ? rt.data.T : NULL,
                          c.gg ? rg.data.m : NULL, gid, r0->w, fac, row) != 0) {
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    /* the bootstrap's rows */
    if (o->method == CV_INTERVAL_BOOTSTRAP) {
        for (j = 0; j < 2; j++) {
            const cv_iv_fit *f = j ? &spec->spend : &spec->tx;
            if (f->model &&
                fit_rows(f, &c.fit[c.nfit], &c.cfit[c.nfit], &c.covfit[c.nfit], err) != 0) {
                c.nfit++;
                goto fail;
            }
            c.nfit += f->model != NULL;
        }
        pb.ngroups = (size_t)c.nfit;
        {
            size_t nr = 0, off = 0;
            double *w;
            for (j = 0; j < c.nfit; j++)
                nr += pb.group_n[j] = c.covfit[j] ? c.cfit[j].data.n : c.fit[j].data.n;
            if (!(w = cv_malloc(sizeof(double) * (nr ? nr : 1)))) {
                cv_error_set(err, CV_ERR_NOMEM, "out of memory");
                goto fail;
            }
            for (j = 0; j < c.nfit; off += pb.group_n[j], j++) {
                const cv_model_data *d = c.covfit[j] ? &c.cfit[j].data : &c.fit[j].data;
                for (i = 0; i < d->n; i++)
                    w[off + i] = d->w ? d->w[i] : 1.0;
            }
            pb.w = w;
        }
    }
    pb.np = np, pb.est = est, pb.cov_log = have_cov ? cov : NULL;
    pb.nout = (size_t)c.nk * (c.k + 1);
    pb.predict = iv_predict, pb.refit = iv_refit, pb.ctx = &c;
    rc = cv_interval_run(&pb, o, &res, err);
    cv_free((void *)pb.w);
    if (rc != 0)
        goto fail;
    /* the columns */
    if (!(col = cv_malloc(sizeof(double) * 2 * (n ? n : 1)))) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (!(t = cv_model_table_copy(s, err)))
        goto fail;
    for (j = 0; j < c.nk; j++) {
        size_t base = (size_t)j * c.k;
        char name[64];
        for (i = 0; i < n; i++) {
            double lo = res.lo[base + row[i]], hi = res.hi[base + row[i]];
            double f = c.kinds[j] == K_CLV ? fac[i] : 1.0;
            col[i] = f >= 0.0 ? f * lo : f * hi;
            col[n + i] = f >= 0.0 ? f * hi : f * lo;
        }
        snprintf(name, sizeof name, "%s_lo", iv_names[c.kinds[j]]);
        if (!cv_model_with_column(t, name, col, err))
            goto fail_t;
        snprintf(name, sizeof name, "%s_hi", iv_names[c.kinds[j]]);
        if (!cv_model_with_column(t, name, col + n, err))
            goto fail_t;
    }
    for (j = 0; j < CV_IV_KINDS; j++)
        tot->est[j] = tot->lo[j] = tot->hi[j] = NAN;
    for (j = 0; j < c.nk; j++) {
        size_t at = (size_t)c.nk * c.k + (size_t)j;
        tot->est[c.kinds[j]] = res.est[at];
        tot->lo[c.kinds[j]] = res.lo[at];
        tot->hi[c.kinds[j]] = res.hi[at];
    }
    tot->np = np;
    for (a = 0; a < np; a++)
        tot->p_est[a] = est[a], tot->p_lo[a] = res.p_lo[a], tot->p_hi[a] = res.p_hi[a];
    tot->draws = res.draws, tot->used = res.used;
    goto done;
fail_t:
    cv_table_free(t);
fail:
    t = NULL;
done:
    cv_interval_result_free(&res);
    cv_free(col), cv_free(fac), cv_free(row), cv_free(gid);
    cv_model_rows_free(&rt), cv_model_rows_free(&rg);
    ctx_free(&c);
    return t;
}
