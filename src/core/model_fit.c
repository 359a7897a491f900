/* cvkit models, fitting (model_int.h): every model's fit by BFGS on the log-parameters over
   the collapsed rows (model_collapse.c) of checked data (model_check.c), the penalty every
   fit's objective adds, a Newton polish and the Hessian at the end for the standard errors
   (model_stderr.c), and the objective alone. */
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/progress.h"
#include "cvkit/threads.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Fitting ------------------------------------------------------------------------- */

typedef struct {
    const cv_model *model;
    const cv_model_data *d;
    double scale;          /* 1 / N: the objective is the mean negative log-likelihood */
    const cv_penalty *pen; /* added to it (NULL: none) */
    cv_progress *prog;     /* the "fit" step: evaluations */
} fit_ctx;

int cv_penalty_check(const cv_penalty *pen, int covariates, cv_error *err)
{
    if (!pen)
        return 0;
    if (!(pen->params >= 0.0) || !isfinite(pen->params))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: penalizer = %g must be a number >= 0",
                            pen->params);
    if (pen->scale != CV_PENALTY_LOG && pen->scale != CV_PENALTY_NATURAL)
        return cv_error_set(err, CV_ERR_USAGE, "penalty: unknown scale %d", pen->scale);
    if (!(pen->trans >= 0.0) || !isfinite(pen->trans))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.trans = %g must be a number >= 0",
                            pen->trans);
    if (!(pen->life >= 0.0) || !isfinite(pen->life))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.life = %g must be a number >= 0",
                            pen->life);
    if (!(pen->spend >= 0.0) || !isfinite(pen->spend))
        return cv_error_set(err, CV_ERR_USAGE, "penalty: reg.spend = %g must be a number >= 0",
                            pen->spend);
    if (!covariates && (pen->trans > 0.0 || pen->life > 0.0 || pen->spend > 0.0))
        return cv_error_set(err, CV_ERR_USAGE,
                            "penalty: reg (trans, life, spend) is an L2 penalty on covariate "
                            "coefficients: the fit has no covariates");
    return 0;
}

double cv_model_penalty(const cv_penalty *pen, int np, const double *theta, double *g)
{
    double s = 0.0, lam;
    int j;
    if (!pen || !(pen->params > 0.0))
        return 0.0;
    lam = pen->params;
    for (j = 0; j < np; j++) {
        if (pen->scale == CV_PENALTY_NATURAL) { /* p^2 = exp(2 theta) */
            double e = exp(2.0 * theta[j]);
            s += e;
            if (g)
                g[j] += 2.0 * lam * e;
        } else {
            s += theta[j] * theta[j];
            if (g)
                g[j] += 2.0 * lam * theta[j];
        }
    }
    return lam * s;
}

/* One half of the rows' log-likelihood (for the two halves of fit_objective). */
typedef struct {
    const cv_model *model;
    const double *p;
    cv_model_data d;
    double ll, g[CV_MODEL_MAXP];
    int want_grad, rc;
} ll_half;

static void ll_halves(void *v, size_t lo, size_t hi)
{
    ll_half *h = v;
    size_t k;
    for (k = lo; k < hi; k++)
        h[k].rc = h[k].model->loglik(h[k].p, &h[k].d, &h[k].ll, h[k].want_grad ? h[k].g : NULL);
}

/* The log-likelihood of d at p: two sums, each over one half of the rows, when d is large
   (the halves are contiguous, so the caches of functions of x still work), run on two
   threads when cv_threads() allows. The split stays two halves whatever the thread count:
   a floating-point sum depends on how it is cut, and a fit must give the same bits on
   every machine and under any CVKIT_THREADS (tests/unit/test_threads.c checks it). */
static int loglik_par(const cv_model *model, const double *p, const cv_model_data *d, double *ll,
                      double *grad)
{
    ll_half h[2];
    size_t mid = d->n / 2, k;
    int i;
    if (d->n < 4096)
        return model->loglik(p, d, ll, grad);
    for (k = 0; k < 2; k++) {
        size_t off = k ? mid : 0;
        h[k].model = model, h[k].p = p, h[k].want_grad = grad != NULL, h[k].rc = 0;
        h[k].d.n = k ? d->n - mid : mid;
        h[k].d.x = d->x ? d->x + off : NULL;
        h[k].d.t_x = d->t_x ? d->t_x + off : NULL;
        h[k].d.T = d->T ? d->T + off : NULL;
        h[k].d.m = d->m ? d->m + off : NULL;
        h[k].d.w = d->w ? d->w + off : NULL;
    }
    cv_par_for(2, 2, ll_halves, h);
    *ll = h[0].ll + h[1].ll;
    if (grad)
        for (i = 0; i < model->nparams; i++)
            grad[i] = h[0].g[i] + h[1].g[i];
    return h[0].rc || h[1].rc ? -1 : 0;
}

/* f(theta) = -LL(exp(theta)) / N and its gradient in theta. */
static double fit_objective(int n, const double *theta, double *g, void *vctx)
{
    const fit_ctx *c = vctx;
    double p[CV_MODEL_MAXP], gp[CV_MODEL_MAXP] = {0}, ll;
    int i;
    cv_progress_add(c->prog, 1);
    for (i = 0; i < n; i++) {
        if (theta[i] > CV_MODEL_LOG_BOUND || theta[i] < -CV_MODEL_LOG_BOUND)
            return NAN;
        p[i] = exp(theta[i]);
    }
    if (loglik_par(c->model, p, c->d, &ll, g ? gp : NULL) != 0 || !isfinite(ll))
        return NAN;
    if (g)
        for (i = 0; i < n; i++)
            g[i] = -gp[i] * p[i] * c->scale;
    return -ll * c->scale + cv_model_penalty(c->pen, n, theta, g);
}

/* A warm start for a fit on many distinct rows: the fit, from theta, on every
   WARM_EVERY-th of the collapsed rows (sorted by x, t_x, T: a subsequence is still sorted,
   and every x keeps its share), each standing for WARM_EVERY times its weight, so that its
   objective estimates the full one (the same scale 1/N). Its optimum is within the sampling
   error of the full one (about 1e-3 relative on the bench summary) and its last BFGS inverse
   Hessian near the full one's, so BFGS on all rows starts near the end with a good metric:
   about 5 full evaluations instead of about 25, for about 25 on a sixteenth of the rows
   (taking whole (x, t_x) groups instead, which would make the Pareto/NBD's series fewer,
   sampled in clusters and started the full fit farther out: 11 to 30 evaluations). The end
   point is still set by the full data alone: BFGS to its tolerance, then the Newton step to
   the gradient's zero. Returns 1 with theta moved and h[k*k] set; 0 (theta unchanged) when
   the rows are few or the subsample fit did not converge. */
#define WARM_MIN_ROWS 131072
#define WARM_EVERY 16
static int warm_start(const fit_ctx *full, int k, double *theta, double *h)
{
    const cv_model_data *d = full->d;
    cv_model_data sd;
    cv_optim_opts oo;
    cv_optim_result res;
    cv_error e;
    fit_ctx ctx = *full;
    double *buf, *col[5], ts[CV_MODEL_MAXP];
    const double *src[5] = {d->x, d->t_x, d->T, d->m, d->w};
    size_t n, r;
    int c, rc;
    if (d->n < WARM_MIN_ROWS)
        return 0;
    n = (d->n + WARM_EVERY / 2 - 1) / WARM_EVERY; /* rows WARM_EVERY / 2, + WARM_EVERY, ... */
    buf = cv_malloc(sizeof(double) * 5 * n);
    if (!buf)
        return 0;
    for (c = 0; c < 5; c++) {
        col[c] = src[c] || c == 4 ? buf + (size_t)c * n : NULL;
        for (r = 0; col[c] && r < n; r++) {
            size_t i = r * WARM_EVERY + WARM_EVERY / 2;
            col[c][r] = c < 4 ? src[c][i] : (d->w ? d->w[i] : 1.0) * WARM_EVERY;
        }
    }
    sd.n = n, sd.x = col[0], sd.t_x = col[1], sd.T = col[2], sd.m = col[3], sd.w = col[4];
    ctx.d = &sd;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-7;
    oo.max_eval = 500;
    oo.no_fallback = 1;
    oo.h_out = h;
    memcpy(ts, theta, sizeof(double) * (size_t)k);
    rc = cv_optim_minimize(k, ts, fit_objective, &ctx, &oo, &res, &e);
    cv_free(buf);
    if (rc != 0)
        return 0;
    memcpy(theta, ts, sizeof(double) * (size_t)k);
    return 1;
}

const char *cv_fit_status_name(int status)
{
    switch (status) {
    case CV_FIT_CONVERGED:
        return "converged";
    case CV_FIT_BOUNDARY:
        return "boundary";
    case CV_FIT_NOT_CONVERGED:
        return "not_converged";
    default:
        return "?";
    }
}

/* cv_model_fit inside its progress step. */
/* fit_at: the fit's parameters, objective, log-likelihood (with a penalty, the one without
   it at the penalized optimum), AIC and BIC at theta (log-parameters, k of them), whose
   objective is f; fit->n_obs is set. */
static void fit_at(const cv_model *model, const cv_model_data *d, const double *theta, int k,
                   double f, const cv_penalty *pen, cv_fit *fit)
{
    for (int i = 0; i < k; i++)
        fit->params[i] = exp(theta[i]);
    fit->objective = f;
    fit->loglik = -f * fit->n_obs;
    if (pen && loglik_par(model, fit->params, d, &fit->loglik, NULL) != 0)
        fit->loglik = NAN;
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log(fit->n_obs) - 2.0 * fit->loglik;
}

static int fit_run(const cv_model *model, const cv_model_data *d, const double *start,
                   const cv_penalty *pen, cv_fit *fit, cv_progress *prog, cv_error *err)
{
    cv_model_rows rows;
    fit_ctx ctx;
    cv_optim_opts oo;
    double theta[CV_MODEL_MAXP], p0[CV_MODEL_MAXP], h[CV_MODEL_MAXP * CV_MODEL_MAXP];
    double cov[CV_MODEL_MAXP * CV_MODEL_MAXP], nobs = 0.0, hw[CV_MODEL_MAXP * CV_MODEL_MAXP];
    int k = model->nparams, i, rc, hrc, one_row;
    memset(fit, 0, sizeof *fit);
    fit->model = model;
    fit->status = CV_FIT_NOT_CONVERGED;
    if (cv_penalty_check(pen, 0, err))
        return CV_ERR_USAGE;
    if (pen && pen->params > 0.0)
        fit->penalty = *pen;
    else
        pen = NULL; /* no penalty: the objective is the mean negative log-likelihood alone */
    if (cv_model_check_data(model, d, err))
        return CV_ERR_USAGE;
    if (cv_model_check_information(model, d, &nobs, err))
        return CV_ERR_USAGE;
    if (cv_model_collapse(d, &rows, err))
        return CV_ERR_NOMEM;
    if (start)
        memcpy(p0, start, sizeof(double) * (size_t)k);
    else
        model->start(&rows.data, p0);
    for (i = 0; i < k; i++) {
        if (!(p0[i] > 0.0) || !isfinite(p0[i])) {
            cv_model_rows_free(&rows);
            return cv_error_set(err, CV_ERR_USAGE, "%s: start value %s = %g must be positive",
                                model->name, model->param_names[i], p0[i]);
        }
        theta[i] = log(p0[i]);
    }
    {
        /* one distinct informative row: every customer alike */
        size_t r, distinct = 0;
        for (r = 0; r < rows.data.n; r++)
            if (rows.data.w[r] > 0.0 && (model == &cv_model_gamma_gamma    ? rows.data.x[r] > 0.0
                                         : cv_model_continuous_time(model) ? rows.data.T[r] > 0.0
                                                                           : 1))
                distinct++;
        one_row = distinct == 1;
        fit->identical = one_row;
    }
    ctx.model = model;
    ctx.d = &rows.data;
    ctx.scale = 1.0 / nobs;
    ctx.pen = pen;
    ctx.prog = prog;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9; /* on the mean log-likelihood: tight enough for flat directions */
    oo.max_eval = 3000;
    if (!one_row && warm_start(&ctx, k, theta, hw))
        oo.h0 = hw;
    rc = cv_optim_minimize(k, theta, fit_objective, &ctx, &oo, &fit->optim, err);
    if (rc == CV_ERR_LIMIT) { /* cancelled */
        cv_model_rows_free(&rows);
        return rc;
    }
    if (rc != 0 && rc != 1) {
        cv_model_rows_free(&rows);
        return cv_error_set(err, rc, "%s: log-likelihood not finite at the start values",
                            model->name);
    }
    fit->n_obs = nobs;
    fit->n_rows = rows.data.n;
    fit_at(model, &rows.data, theta, k, fit->optim.f, pen, fit);
    for (i = 0; i < k; i++)
        fit->se[i] = NAN;
    for (i = 0; i < k * k; i++)
        fit->cov_log[i] = NAN;
    /* standard errors: the Hessian of -LL in theta is N times that of the objective (with a
       penalty, of the penalized objective: the curvature of the log-posterior) */
    if (rc == 0) {
        /* BFGS stops where the objective's changes sink into the rounding of its sum, so
           its end point moves by ~1e-7 with the order of the sum. One Newton step with the
           central-difference Hessian there (error ~1e-10) takes it to the gradient's zero
           (~1e-13 off), which the order does not move. That Hessian is also the standard
           errors': moved by a step of at most 1e-6, it changes by at most about that much
           relative, far below the standard errors' own sampling precision, and k gradient
           evaluations are saved (the step's Hessian was a forward-difference one of its
           own). A longer step (BFGS ended farther out) is followed by a second one, with
           the Hessian taken again at its start, and once more at its end. */
        double fx, gmax, t0[CV_MODEL_MAXP], move = 0.0;
        int steps = -1;
        memcpy(t0, theta, sizeof t0);
        hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
        if (hrc == 0)
            steps = cv_optim_newton_polish_at(k, theta, fit_objective, &ctx, h, fit->optim.f,
                                              fit->optim.grad_ok ? fit->optim.grad : NULL, 1, &fx,
                                              &gmax);
        for (i = 0; i < k; i++)
            move = fmax(move, fabs(theta[i] - t0[i]));
        if (steps > 0 && move > 1e-6) {
            hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
            if (hrc == 0 &&
                cv_optim_newton_polish(k, theta, fit_objective, &ctx, h, 1, &fx, &gmax) > 0)
                hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
        }
        if (steps > 0) {
            fit->optim.f = fx;
            fit->optim.grad_norm = gmax;
            fit_at(model, &rows.data, theta, k, fx, pen, fit);
        }
    } else {
        hrc = cv_optim_hessian(k, theta, fit_objective, &ctx, h, NULL);
    }
    if (hrc == 0) {
        double se[CV_MODEL_MAXP];
        for (i = 0; i < k * k; i++)
            h[i] *= nobs;
        if (cv_model_std_errors(k, k, h, fit->params, cov, se) == 0) {
            int fin = 1;
            for (i = 0; i < k * k; i++)
                fin = fin && isfinite(cov[i]);
            /* a log standard error above 100 (a factor e^100): the Hessian is singular but
               for rounding (a flat direction of the exact likelihood, as when one cohort lets
               alpha and beta grow together): no standard errors */
            for (i = 0; i < k; i++)
                fin = fin && cov[i * k + i] < 1e4;
            if (fin) {
                memcpy(fit->cov_log, cov, sizeof(double) * (size_t)(k * k));
                memcpy(fit->se, se, sizeof(double) * (size_t)k);
                fit->se_ok = 1;
            }
        }
    }
    cv_model_rows_free(&rows);
    for (i = 0; i < k; i++)
        if (!isfinite(fit->params[i]) || !(fit->params[i] > 0.0))
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "%s: the fit ended at %s = %g, not a positive "
                                "number",
                                model->name, model->param_names[i], fit->params[i]);
    if (!isfinite(fit->loglik))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: the log-likelihood at the fitted parameters "
                            "is not finite",
                            model->name);
    /* parameters running to 0 or infinity: the likelihood rises that way (e.g. a, b of the
       BG/NBD growing together when the dropout probability is the same for all). A log-
       parameter beyond CV_MODEL_LOG_EDGE whose standard error on the log scale is above 1 (or not
       defined); when the Hessian is not positive definite at all (no interior maximum, as
       when a cohort all churns at once), also one beyond the softer edge CV_MODEL_LOG_SOFT. */
    fit->boundary = cv_model_boundary(k, k, theta, fit->cov_log, fit->se_ok);
    return cv_model_fit_verdict(model, rc, fit->boundary, fit->se_ok,
                                one_row ? " (all customers are identical)" : "",
                                "the likelihood is flat at the optimum (Hessian not positive "
                                "definite): the data do not identify the parameters",
                                &fit->status, &fit->optim, err);
}

int cv_model_fit_pen(const cv_model *model, const cv_model_data *d, const double *start,
                     const cv_penalty *pen, cv_fit *fit, cv_error *err)
{
    cv_progress prog;
    cv_progress_begin(&prog, "fit", CV_PROGRESS_EVALS, 0);
    int rc = fit_run(model, d, start, pen, fit, &prog, err);
    cv_progress_end(&prog, rc == 0 || rc == 1);
    return rc;
}

int cv_model_fit(const cv_model *model, const cv_model_data *d, const double *start, cv_fit *fit,
                 cv_error *err)
{
    return cv_model_fit_pen(model, d, start, NULL, fit, err);
}

int cv_model_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                       const cv_penalty *pen, double *f, double *grad, cv_error *err)
{
    fit_ctx ctx;
    cv_progress quiet;
    double nobs = 0.0;
    int k = model->nparams, i;
    memset(&quiet, 0, sizeof quiet); /* a step not begun: reports nothing */
    if (cv_penalty_check(pen, 0, err) || cv_model_check_data(model, d, err) ||
        cv_model_check_information(model, d, &nobs, err))
        return CV_ERR_USAGE;
    for (i = 0; i < k; i++)
        if (!isfinite(theta[i]))
            return cv_error_set(err, CV_ERR_USAGE, "%s: log-parameter %s is not finite",
                                model->name, model->param_names[i]);
    ctx.model = model, ctx.d = d, ctx.scale = 1.0 / nobs, ctx.pen = pen, ctx.prog = &quiet;
    *f = fit_objective(k, theta, grad, &ctx);
    if (!isfinite(*f))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: objective not finite", model->name);
    return 0;
}
