/* cvkit the bootstrap refit of a fit with time-invariant covariates
   (include/cvkit/cov_boot.h): the fit's customers collapsed once on (covariate pattern, x,
   t_x, T, m); each replicate keeps the rows its weights draw, groups them by pattern once
   (cov_rows_make) and maximizes over them the objective of cv_cov_objective
   (cov_objective_rows: the same links, collapse and gradient as cv_cov_model_fit), with no
   allocation or check at a step, from the fitted parameters, by the optimizer and tolerance of
   cv_cov_model_fit, with no Hessian. The weights come from the interval engine (interval.c), which
   draws and counts the replicates; nothing here draws a random number. */
#include "cvkit/cov_boot.h"
#include "cvkit/mem.h"
#include "cvkit/optim.h"
#include "model_cov_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- The distinct rows ----------------------------------------------------------------- */

void cv_cov_boot_rows_free(cv_cov_boot_rows *rows)
{
    if (rows) {
        cv_free(rows->buf), cv_free((void *)rows->z), cv_free(rows->proc);
        memset(rows, 0, sizeof *rows);
    }
}

int cv_cov_boot_rows_make(const cv_model_data *d, const cv_cov_spec *spec, cv_cov_boot_rows *out,
                          cv_error *err)
{
    size_t n = d->n, nc = spec ? spec->ncoef : 0, n1 = n ? n : 1, i, c, k = 0, nd = 0;
    uint32_t *pid = cv_malloc(sizeof(uint32_t) * n1);
    size_t *ord = cv_malloc(sizeof(size_t) * n1), *row = cv_malloc(sizeof(size_t) * n1);
    double *g = cv_malloc(sizeof(double) * n1), *x, *tx, *T, *m, *w;
    const double *key[5];
    memset(out, 0, sizeof *out);
    out->buf = cv_malloc(sizeof(double) * (5 + nc) * n1);
    out->z = cv_malloc(sizeof(double *) * (nc ? nc : 1));
    out->proc = cv_malloc(sizeof(unsigned) * (nc ? nc : 1));
    if (pid && g && cv_cov_patterns(spec, n, pid) != (size_t)-1) {
        for (i = 0; i < n; i++)
            g[i] = (double)pid[i];
        key[0] = g, key[1] = d->x, key[2] = d->t_x, key[3] = d->T, key[4] = d->m;
        if (ord && row)
            nd = cv_model_rows_distinct(n, 5, key, ord, row);
    }
    if (!pid || !g || !ord || !row || !out->buf || !out->z || !out->proc || nd == (size_t)-1) {
        cv_free(pid), cv_free(g), cv_free(ord), cv_free(row);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows with covariates",
                            n);
    }
    x = out->buf, tx = x + n1, T = x + 2 * n1, m = x + 3 * n1, w = x + 4 * n1;
    for (i = 0; i < n; i++) { /* the customers by (pattern, x, t_x, T, m), then by index */
        size_t r = ord[i];
        if (row[r] == k) { /* the first of a distinct row */
            x[k] = d->x[r], tx[k] = d->t_x ? d->t_x[r] : 0.0, T[k] = d->T ? d->T[r] : 0.0;
            m[k] = d->m ? d->m[r] : 0.0, w[k] = 0.0;
            for (c = 0; c < nc; c++) /* one pattern: the same covariates */
                out->buf[(5 + c) * n1 + k] = spec->z[c][r];
            k++;
        }
        w[k - 1] += d->w ? d->w[r] : 1.0;
    }
    for (c = 0; c < nc; c++)
        out->z[c] = out->buf + (5 + c) * n1, out->proc[c] = spec->proc[c];
    out->data.n = k, out->data.x = x, out->data.w = w;
    out->data.t_x = d->t_x ? tx : NULL, out->data.T = d->T ? T : NULL;
    out->data.m = d->m ? m : NULL;
    out->spec.ncoef = nc, out->spec.proc = out->proc, out->spec.z = out->z;
    cv_free(pid), cv_free(g), cv_free(ord), cv_free(row);
    return 0;
}

/* ---- The refit ------------------------------------------------------------------------- */

typedef struct {
    const cv_model *model;
    const cov_rows *cr; /* the replicate's rows, grouped once (NULL: the checks failed) */
    const cv_cov_spec *spec;
    double nobs;
} boot_ctx;

/* -LL/N at theta (log-parameters, coefficients) and its gradient: model_cov_fit.c's objective
   (cv_cov_objective's) over the replicate's rows; NaN outside its domain (the optimizer steps
   back) and at every point when the replicate's rows failed cv_cov_objective's checks. */
static double boot_objective(int n, const double *theta, double *g, void *vc)
{
    const boot_ctx *c = vc;
    double f;
    (void)n;
    if (!c->cr)
        return NAN;
    f = cov_objective_rows(c->model, c->cr, c->spec, NULL, c->nobs, theta, g);
    return isfinite(f) ? f : NAN;
}

int cv_cov_boot_refit(const cv_model *model, const cv_cov_boot_rows *rows, const double *wb,
                      const double *start, double *est, cv_error *err)
{
    const size_t n = rows->data.n, nc = rows->spec.ncoef, n1 = n ? n : 1;
    const int np = model->nparams, k = np + (int)nc;
    double *blk, theta[CV_OPTIM_MAXN];
    const double **z;
    cv_model_data d;
    cv_cov_spec spec;
    boot_ctx ctx;
    cov_rows cr;
    cv_error e2;
    cv_optim_opts oo;
    cv_optim_result res;
    size_t i, c, kept = 0;
    int j, rc;
    if (!cv_cov_supported(model))
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s takes no covariates (bgnbd, pareto_nbd, bgbb and gamma_gamma do)",
                            model->name);
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "%s: %zu covariate coefficients, at most %d",
                            model->name, nc, CV_OPTIM_MAXN - np);
    blk = cv_malloc(sizeof(double) * (5 + nc) * n1);
    z = cv_malloc(sizeof(double *) * (nc ? nc : 1));
    if (!blk || !z) {
        cv_free(blk), cv_free((void *)z);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) { /* the rows drawn, with their weights */
        if (!(wb[i] > 0.0))
            continue;
        blk[kept] = rows->data.x[i];
        blk[n1 + kept] = rows->data.t_x ? rows->data.t_x[i] : 0.0;
        blk[2 * n1 + kept] = rows->data.T ? rows->data.T[i] : 0.0;
        blk[3 * n1 + kept] = rows->data.m ? rows->data.m[i] : 0.0;
        blk[4 * n1 + kept] = wb[i];
        for (c = 0; c < nc; c++)
            blk[(5 + c) * n1 + kept] = rows->spec.z[c][i];
        kept++;
    }
    for (c = 0; c < nc; c++)
        z[c] = blk + (5 + c) * n1;
    d.n = kept, d.x = blk, d.w = blk + 4 * n1;
    d.t_x = rows->data.t_x ? blk + n1 : NULL, d.T = rows->data.T ? blk + 2 * n1 : NULL;
    d.m = rows->data.m ? blk + 3 * n1 : NULL;
    spec.ncoef = nc, spec.proc = rows->spec.proc, spec.z = z;
    ctx.model = model, ctx.cr = NULL, ctx.spec = &spec, ctx.nobs = 0.0;
    memset(&cr, 0, sizeof cr);
    if (kept > 0 && cov_objective_prepare(model, &d, &spec, NULL, &ctx.nobs, &e2) == 0) {
        /* grouped by pattern once for the replicate, not at every step (issue 16) */
        if (cov_rows_make(&d, &spec, &cr, &e2) != 0) {
            cv_free(blk), cv_free((void *)z);
            return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        }
        ctx.cr = &cr;
    }
    for (j = 0; j < k; j++)
        theta[j] = j < np ? log(start[j]) : start[j];
    cv_optim_defaults(&oo); /* as cv_cov_model_fit */
    oo.gtol = 1e-9;
    oo.max_eval = 5000;
    if (kept == 0)
        rc = cv_error_set(err, CV_ERR_USAGE, "%s: no customers", model->name);
    else
        rc = cv_optim_minimize(k, theta, boot_objective, &ctx, &oo, &res, err);
    if (rc == 0 || rc == 1)
        for (j = 0; j < k; j++)
            est[j] = j < np ? exp(theta[j]) : theta[j];
    if (rc == 1)
        cv_error_set(err, CV_OK, "%s: %s%s", model->name,
                     "optimizer did not converge: ", res.message);
    cov_rows_free(&cr);
    cv_free(blk), cv_free((void *)z);
    return rc;
}
