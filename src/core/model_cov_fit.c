/* cvkit time-invariant covariates, the fit (model_cov_int.h): the penalized objective,
   its minimization (held at the fence when a log-parameter runs off), the standard errors
   from the observed information (partial ones at the boundary), the objective alone and
   the likelihood's profile. */
#include "cvkit/covariates.h"
#include "cvkit/mem.h"
#include "cvkit/progress.h"
#include "model_cov_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* 1 when row r carries no information and is not counted in N: a customer first seen at
   the end (T = 0, likelihood 1); for the Gamma-Gamma, one without repeat spend (x = 0) */
static int continuous_zero_age(const cv_model *model, const cv_model_data *d, size_t r)
{
    if (model == &cv_model_gamma_gamma)
        return !(d->x[r] > 0.0);
    return !(d->T[r] > 0.0);
}

#define COEF_BOUND 50.0 /* |coefficient x covariate| beyond is no rate */

typedef struct {
    const cv_model *model;
    const cov_rows *cr;
    const cv_cov_spec *spec;
    double scale; /* 1 / N */
    double
        bound; /* |log-parameter| allowed: CV_MODEL_LOG_BOUND, one more for the Hessian's steps */
    const cv_penalty *pen; /* added to the objective (NULL: none) */
    cv_progress *prog;
} fit_ctx;

/* The L2 weight of each process's coefficients (indexed by the process bit, as eta):
   CLVTools' reg.lambdas trans and life, and spend on the Gamma-Gamma's spend scale. */
static void proc_lambdas(const cv_penalty *pen, double lam[NETA])
{
    for (int b = 0; b < NETA; b++)
        lam[b] = 0.0;
    lam[CV_COV_TRANS] = pen->trans, lam[CV_COV_LIFE] = pen->life, lam[CV_COV_SPEND] = pen->spend;
}

/* CLVTools' reg.lambdas (its interlayer_regularization), for every process: the sum over the
   coefficients of lambda * coefficient^2, lambda the sum of the weights of the processes the
   coefficient acts on (trans + life for a constrained one, as CLVTools counts it after
   doubling it; spend for the Gamma-Gamma's), added to -LL/N; its gradient in the
   coefficients theta[np ..] is added to g (when not NULL). 0 without a penalty. */
static double coef_penalty(const cv_penalty *pen, const cv_cov_spec *spec, int np,
                           const double *theta, double *g)
{
    double s = 0.0, lamp[NETA];
    if (!pen || !spec || (!(pen->trans > 0.0) && !(pen->life > 0.0) && !(pen->spend > 0.0)))
        return 0.0;
    proc_lambdas(pen, lamp);
    for (size_t c = 0; c < spec->ncoef; c++) {
        double lam = 0.0, v = theta[np + (int)c];
        for (unsigned b = 1; b < NETA; b <<= 1)
            if (spec->proc[c] & b)
                lam += lamp[b];
        s += lam * v * v;
        if (g)
            g[np + (int)c] += 2.0 * lam * v;
    }
    return s;
}

/* A positive weight of reg on a process the model has no coefficients on is refused:
   CV_ERR_USAGE naming the weight, or 0. */
static int check_reg(const cv_model *model, const cv_penalty *pen, cv_error *err)
{
    static const char *const key[NETA] = {NULL, "trans", "life", NULL, "spend"};
    const cov_link *lk = cov_link_of(model);
    double lam[NETA];
    if (!pen || !lk)
        return 0;
    proc_lambdas(pen, lam);
    for (unsigned b = 1; b < NETA; b <<= 1)
        if (lam[b] > 0.0 && !(lk->procs & b))
            return cv_error_set(err, CV_ERR_USAGE,
                                "penalty: reg.%s is an L2 penalty on the %s.* coefficients and "
                                "%s has none",
                                key[b], key[b], model->name);
    return 0;
}

static double objective(int n, const double *theta, double *g, void *vctx)
{
    const fit_ctx *c = vctx;
    const int np = c->model->nparams;
    double ll, gr[CV_OPTIM_MAXN] = {0}, f;
    int i;
    cv_progress_add(c->prog, 1);
    for (i = 0; i < n; i++)
        if (fabs(theta[i]) > (i < np ? c->bound : COEF_BOUND))
            return NAN;
    if (cov_ll(c->model, c->cr, c->spec, theta, &ll, g ? gr : NULL) != 0)
        return NAN;
    for (i = 0; g && i < n; i++)
        g[i] = -gr[i] * c->scale;
    f = -ll * c->scale;
    if (c->pen) /* the model's parameters as every fit (model_fit.c), then the coefficients */
        f += cv_model_penalty(c->pen, np, theta, g) + coef_penalty(c->pen, c->spec, np, theta, g);
    return f;
}

/* The objective over the parameters not in fixed (the others kept at full's values). */
typedef struct {
    fit_ctx *c;
    int k;
    unsigned fixed;
    double full[CV_OPTIM_MAXN];
} part_ctx;

static double objective_part(int n, const double *t, double *g, void *vp)
{
    part_ctx *pc = vp;
    double gf[CV_OPTIM_MAXN], f;
    int i, j;
    for (i = 0, j = 0; i < pc->k; i++)
        if (!(pc->fixed & (1u << i)))
            pc->full[i] = t[j++];
    (void)n;
    f = objective(pc->k, pc->full, g ? gf : NULL, pc->c);
    for (i = 0, j = 0; g && i < pc->k; i++)
        if (!(pc->fixed & (1u << i)))
            g[j++] = gf[i];
    return f;
}

/* Minimizes over the parameters of theta not in fixed, from theta (overwritten with the
   best point), then again from the best point (a fresh quasi-Newton matrix) while that
   gains. cv_optim_minimize's return values. */
static int minimize(fit_ctx *c, int k, double *theta, unsigned fixed, const cv_optim_opts *oo,
                    cv_optim_result *res, cv_error *err)
{
    part_ctx pc;
    double t[CV_OPTIM_MAXN];
    int i, n = 0, rc, again;
    pc.c = c, pc.k = k, pc.fixed = fixed;
    memcpy(pc.full, theta, sizeof(double) * (size_t)k);
    for (i = 0; i < k; i++)
        if (!(fixed & (1u << i)))
            t[n++] = theta[i];
    rc = cv_optim_minimize(n, t, objective_part, &pc, oo, res, err);
    for (again = 0; again < 4 && rc <= 1; again++) {
        cv_optim_result r2;
        double t2[CV_OPTIM_MAXN], f1 = res->f;
        int rc2;
        memcpy(t2, t, sizeof(double) * (size_t)n);
        rc2 = cv_optim_minimize(n, t2, objective_part, &pc, oo, &r2, err);
        if (rc2 > 1 || !(r2.f < f1))
            break;
        memcpy(t, t2, sizeof(double) * (size_t)n);
        r2.evaluations += res->evaluations, r2.iterations += res->iterations;
        *res = r2, rc = rc2;
        if (!((f1 - r2.f) / c->scale > 1e-9))
            break;
    }
    if (rc <= 1)
        for (i = 0, n = 0; i < k; i++)
            if (!(fixed & (1u << i)))
                theta[i] = t[n++];
    return rc;
}

void cv_cov_fit_free(cv_cov_fit *fit)
{
    if (fit) {
        cv_free(fit->est);
        memset(fit, 0, sizeof *fit);
    }
}

/* Standard errors of a fit whose parameters ran to the boundary (the information matrix is
   singular along them): the information of the other parameters with boundary ones left
   out, last first, until the rest is positive definite. When two run off together (s and
   beta; a and b), the likelihood depends on their ratio only, which the one kept carries;
   the coefficients' errors then include the uncertainty of the dropout level. Still
   singular: also without the parameters that weigh 0.3 or more in an eigenvector of a
   numerically zero eigenvalue (below 1e-8 of the largest: a coefficient that has no effect
   at the boundary, as the BG/NBD's life coefficients when a, b run off). The left-out and
   the boundary parameters keep NaN. */
static void partial_se(cv_cov_fit *fit, int np, const double *info)
{
    const int k = fit->k;
    int keep[CV_OPTIM_MAXN], m, i, j, drop;
    double sub[CV_OPTIM_MAXN * CV_OPTIM_MAXN], inv[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    unsigned out = 0, zero = 0;
    for (j = 0; j < k; j++)
        if (!(fit->eig[j] > 1e-8 * fit->eig[k - 1]))
            for (i = 0; i < k; i++)
                if (!(fabs(fit->eigvec[i * k + j]) < 0.3))
                    zero |= 1u << i;
    for (drop = np; drop >= -1; drop--) {
        if (drop == -1) /* every boundary parameter out and not enough: the zero directions */
            out |= zero;
        else if (drop == np || !(fit->boundary & (1u << drop)))
            continue;
        else
            out |= 1u << drop;
        for (m = 0, i = 0; i < k; i++)
            if (!(out & (1u << i)))
                keep[m++] = i;
        for (i = 0; i < m; i++)
            for (j = 0; j < m; j++)
                sub[i * m + j] = info[keep[i] * k + keep[j]];
        if (cv_optim_spd_inverse(m, sub, inv) != 0)
            continue;
        for (i = 0; i < m; i++) {
            int a = keep[i];
            double sd = sqrt(inv[i * m + i]);
            if ((a < np && (fit->boundary & (1u << a))) || (out & (1u << a)))
                continue;
            fit->se[a] = a < np ? fit->est[a] * sd : sd;
            for (j = 0; j < m; j++)
                fit->cov[a * k + keep[j]] = inv[i * m + j];
        }
        return;
    }
}

static int fit_run(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   const cv_penalty *pen, cv_cov_fit *fit, cv_progress *prog, cv_error *err)
{
    const int np = model->nparams;
    const size_t ncoef = spec ? spec->ncoef : 0;
    const int k = np + (int)ncoef;
    cv_fit f0;
    cov_rows cr;
    fit_ctx ctx;
    cv_optim_opts oo;
    double theta[CV_OPTIM_MAXN], h[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    double info[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    int i, rc, have_info = 0;
    memset(fit, 0, sizeof *fit);
    fit->model = model;
    fit->status = CV_FIT_NOT_CONVERGED;
    if (cov_check_spec(model, d, spec, err) || cv_penalty_check(pen, ncoef > 0, err))
        return CV_ERR_USAGE;
    if (check_reg(model, pen, err))
        return CV_ERR_USAGE;
    if (pen && (pen->params > 0.0 || pen->trans > 0.0 || pen->life > 0.0 || pen->spend > 0.0))
        fit->penalty = *pen;
    else
        pen = NULL;
    /* the model without covariates: checks the data, gives the start and the nested LL (the
       maximum-likelihood one; without covariates, the fit itself with its penalty) */
    rc = cv_model_fit_pen(model, d, NULL, ncoef == 0 ? pen : NULL, &f0, err);
    if (rc > 1)
        return rc;
    fit->est = cv_malloc(sizeof(double) * (size_t)(3 * k + 2 * k * k));
    if (!fit->est)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    fit->se = fit->est + k, fit->eig = fit->est + 2 * k, fit->cov = fit->est + 3 * k;
    fit->eigvec = fit->cov + k * k;
    fit->k = k, fit->ncoef = ncoef;
    fit->loglik0 = f0.loglik;
    fit->n_obs = f0.n_obs;
    for (i = 0; i < np; i++)
        theta[i] =
            fmax(fmin(log(f0.params[i]), CV_MODEL_LOG_BOUND - 1.0), 1.0 - CV_MODEL_LOG_BOUND);
    for (i = np; i < k; i++)
        theta[i] = 0.0;
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    fit->n_rows = cr.nrows, fit->n_patterns = cr.ngroups;
    ctx.model = model, ctx.cr = &cr, ctx.spec = spec, ctx.scale = 1.0 / f0.n_obs;
    ctx.bound = CV_MODEL_LOG_BOUND;
    ctx.pen = pen;
    ctx.prog = prog;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9;
    oo.max_eval = 5000;
    if (ncoef == 0) {
        /* no covariates: the model's own fit, exactly (its Hessian is taken here again) */
        fit->optim = f0.optim;
        fit->optim.f = pen ? f0.objective : -f0.loglik * ctx.scale;
        rc = f0.status == CV_FIT_CONVERGED ? 0 : 1;
        for (i = 0; i < np; i++)
            theta[i] = log(f0.params[i]);
    } else {
        rc = minimize(&ctx, k, theta, 0, &oo, &fit->optim, err);
        /* a log-parameter at the fence (the likelihood rises towards infinity there, as s
           and beta of the Pareto/NBD together): held there, the others maximized again; the
           quasi-Newton steps fare badly along the wall */
        if (rc <= 1) {
            unsigned fence = 0;
            for (i = 0; i < np; i++)
                if (fabs(theta[i]) > CV_MODEL_LOG_BOUND - 1.0)
                    fence |= 1u << i;
            if (fence) {
                double t2[CV_OPTIM_MAXN];
                cv_optim_result r2;
                int rc2;
                memcpy(t2, theta, sizeof(double) * (size_t)k);
                rc2 = minimize(&ctx, k, t2, fence, &oo, &r2, err);
                if (rc2 <= 1 && r2.f < fit->optim.f) {
                    memcpy(theta, t2, sizeof(double) * (size_t)k);
                    r2.evaluations += fit->optim.evaluations;
                    r2.iterations += fit->optim.iterations;
                    fit->optim = r2, rc = rc2;
                }
            }
        }
    }
    if (rc > 1) {
        cov_rows_free(&cr);
        return rc;
    }
    for (i = 0; i < k; i++)
        fit->est[i] = i < np ? exp(theta[i]) : theta[i];
    fit->objective = fit->optim.f;
    fit->loglik = ncoef == 0 ? f0.loglik : -fit->optim.f / ctx.scale;
    if (pen && ncoef > 0) { /* the log-likelihood without the penalty, at the optimum */
        double ll = NAN;
        if (cov_ll(model, &cr, spec, theta, &ll, NULL) != 0)
            ll = NAN;
        fit->loglik = ll;
    }
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log(fit->n_obs) - 2.0 * fit->loglik;
    for (i = 0; i < k; i++)
        fit->se[i] = NAN, fit->eig[i] = NAN;
    for (i = 0; i < k * k; i++)
        fit->cov[i] = NAN, fit->eigvec[i] = NAN;
    /* the observed information; at the fence of the log-parameters the steps of the
       differences may cross it (the likelihood is defined beyond) */
    ctx.bound = CV_MODEL_LOG_BOUND + 1.0;
    {
        cv_error e2;
        if (cv_optim_hessian(k, theta, objective, &ctx, h, &e2) == 0) {
            for (i = 0; i < k * k; i++)
                info[i] = h[i] / ctx.scale; /* observed information of the whole sample */
            have_info = 1;
            cv_optim_sym_eigen(k, info, fit->eig, fit->eigvec);
            if (cv_model_std_errors(k, np, info, fit->est, fit->cov, fit->se) == 0) {
                fit->se_ok = 1;
            } else {
                for (i = 0; i < k * k; i++)
                    fit->cov[i] = NAN;
            }
        }
    }
    cov_rows_free(&cr);
    if (!isfinite(fit->loglik))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "%s: the log-likelihood at the fitted parameters "
                            "is not finite",
                            model->name);
    fit->boundary = cv_model_boundary(np, k, theta, fit->cov, fit->se_ok);
    if (!fit->se_ok && fit->boundary && have_info)
        partial_se(fit, np, info);
    return cv_model_fit_verdict(model, rc, fit->boundary, fit->se_ok, "",
                                "the likelihood is flat at the optimum (information matrix not "
                                "positive definite): the data do not identify the parameters",
                                &fit->status, &fit->optim, err);
}

int cv_cov_model_fit_pen(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                         const cv_penalty *pen, cv_cov_fit *fit, cv_error *err)
{
    cv_progress prog;
    cv_progress_begin(&prog, "fit", CV_PROGRESS_EVALS, 0);
    int rc = fit_run(model, d, spec, pen, fit, &prog, err);
    cv_progress_end(&prog, rc == 0 || rc == 1);
    return rc;
}

int cv_cov_model_fit(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                     cv_cov_fit *fit, cv_error *err)
{
    return cv_cov_model_fit_pen(model, d, spec, NULL, fit, err);
}

int cov_objective_prepare(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                          const cv_penalty *pen, double *nobs, cv_error *err)
{
    size_t row = 0;
    const char *why = NULL;
    *nobs = 0.0;
    if (cov_check_spec(model, d, spec, err) ||
        cv_penalty_check(pen, spec && spec->ncoef > 0, err) || check_reg(model, pen, err))
        return CV_ERR_USAGE;
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", row + 1, why);
    for (size_t r = 0; r < d->n; r++)
        if (!continuous_zero_age(model, d, r))
            *nobs += d->w ? d->w[r] : 1.0;
    if (!(*nobs > 0.0))
        return cv_error_set(err, CV_ERR_USAGE, "%s: no customers", model->name);
    return 0;
}

double cov_objective_rows(const cv_model *model, const cov_rows *cr, const cv_cov_spec *spec,
                          const cv_penalty *pen, double nobs, const double *theta, double *grad)
{
    fit_ctx ctx;
    cv_progress quiet;
    memset(&quiet, 0, sizeof quiet); /* a step not begun: reports nothing */
    ctx.model = model, ctx.cr = cr, ctx.spec = spec, ctx.scale = 1.0 / nobs;
    ctx.bound = CV_MODEL_LOG_BOUND, ctx.pen = pen, ctx.prog = &quiet;
    return objective(model->nparams + (int)(spec ? spec->ncoef : 0), theta, grad, &ctx);
}

int cv_cov_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                     const cv_cov_spec *spec, const cv_penalty *pen, double *f, double *grad,
                     cv_error *err)
{
    cov_rows cr;
    double nobs;
    int rc = cov_objective_prepare(model, d, spec, pen, &nobs, err);
    if (rc != 0)
        return rc;
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    *f = cov_objective_rows(model, &cr, spec, pen, nobs, theta, grad);
    cov_rows_free(&cr);
    if (!isfinite(*f))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: objective not finite", model->name);
    return 0;
}

int cv_cov_profile(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   const double *est, int j, const double *values, size_t n, double *ll,
                   cv_error *err)
{
    const int np = model->nparams, k = np + (int)(spec ? spec->ncoef : 0);
    cov_rows cr;
    fit_ctx ctx;
    cv_optim_opts oo;
    cv_progress prog;
    double theta[CV_OPTIM_MAXN], nobs = 0.0;
    size_t row = 0, v;
    const char *why = NULL;
    int i, rc = 0;
    if (cov_check_spec(model, d, spec, err))
        return CV_ERR_USAGE;
    if (j < 0 || j >= k || k < 2)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no parameter %d of %d", j + 1, k);
    if (model->check(d, &row, &why) != 0)
        return cv_error_set(err, CV_ERR_USAGE, "row %zu: %s", row + 1, why);
    for (i = 0; i < np; i++)
        if (!(est[i] > 0.0) || !isfinite(est[i]))
            return cv_error_set(err, CV_ERR_USAGE, "profile: estimate %d must be positive", i + 1);
    for (v = 0; v < n; v++)
        if (!isfinite(values[v]) || (j < np && !(values[v] > 0.0)))
            return cv_error_set(err, CV_ERR_USAGE, "profile: value %g is not %s", values[v],
                                j < np ? "a positive number" : "finite");
    for (size_t r = 0; r < d->n; r++)
        if (!continuous_zero_age(model, d, r))
            nobs += d->w ? d->w[r] : 1.0;
    if (!(nobs > 0.0))
        return cv_error_set(err, CV_ERR_USAGE, "profile: no customers");
    if (cov_rows_make(d, spec, &cr, err) != 0)
        return CV_ERR_NOMEM;
    cv_progress_begin(&prog, "profile", CV_PROGRESS_EVALS, 0);
    ctx.model = model, ctx.cr = &cr, ctx.spec = spec, ctx.scale = 1.0 / nobs;
    ctx.bound = CV_MODEL_LOG_BOUND, ctx.pen = NULL, ctx.prog = &prog; /* the likelihood's profile */
    cv_optim_defaults(&oo);
    oo.gtol = 1e-9;
    oo.max_eval = 5000;
    for (v = 0; v < n && rc == 0; v++) {
        cv_optim_result res;
        for (i = 0; i < k; i++)
            theta[i] = i < np ? log(est[i]) : est[i];
        theta[j] = j < np ? log(values[v]) : values[v];
        if (fabs(theta[j]) > (j < np ? CV_MODEL_LOG_BOUND : COEF_BOUND)) {
            ll[v] = NAN;
            continue;
        }
        int r2 = minimize(&ctx, k, theta, 1u << j, &oo, &res, err);
        if (r2 > 1 && r2 != CV_ERR_DOMAIN)
            rc = r2;
        ll[v] = r2 <= 1 ? -res.f / ctx.scale : NAN;
    }
    cv_progress_end(&prog, rc == 0);
    cov_rows_free(&cr);
    return rc;
}
