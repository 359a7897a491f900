/* cvkit time-varying covariates for the Pareto/NBD, the fit (model_dyncov_int.h): the
   penalized objective (an L2 penalty on the coefficients as CLVTools' reg.lambdas), BFGS on
   its analytic gradient (a log-parameter that runs off held at the fence), the information by
   differences of the gradient and the standard errors, the likelihood's profile. */
#include "cvkit/models.h"
#include "model_dyncov_int.h"

#include <math.h>
#include <string.h>

/* CLVTools' reg.lambdas on the coefficients theta[4 ..] (trans times the sum of the squared
   coefficients on the purchase process, life times those on the dropout process, a
   constrained coefficient in both; as model_cov_fit.c's coef_penalty) plus the penalty on the
   log-parameters (cv_model_penalty); its gradient added to g when not NULL (model_dyncov_int.h). */
double dyncov_penalty(const cv_penalty *pen, const cv_dyncov_spec *spec, const double *theta,
                      double *g)
{
    double s;
    if (!pen)
        return 0.0;
    s = cv_model_penalty(pen, 4, theta, g);
    for (size_t c = 0; c < spec->ncoef; c++) {
        const double lam = ((spec->proc[c] & CV_COV_TRANS) ? pen->trans : 0.0) +
                           ((spec->proc[c] & CV_COV_LIFE) ? pen->life : 0.0);
        const double v = theta[4 + c];
        s += lam * v * v;
        if (g)
            g[4 + c] += 2.0 * lam * v;
    }
    return s;
}

int cv_dyncov_objective(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const cv_penalty *pen,
                        const double *theta, double *f, double *grad, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    const double N = (double)(p->n ? p->n : 1);
    double ll;
    int rc;
    if ((rc = cv_penalty_check(pen, 1, err)) != 0)
        return rc;
    rc = grad ? cv_dyncov_loglik_grad(p, spec, theta, &ll, grad, err)
              : cv_dyncov_loglik(p, spec, theta, &ll, NULL, err);
    if (rc != 0)
        return rc;
    if (grad)
        for (int j = 0; j < k; j++)
            grad[j] = -grad[j] / N;
    *f = -ll / N + dyncov_penalty(pen, spec, theta, grad);
    return 0;
}

/* The objective of the fit: -LL / n plus the penalty over the free components of theta (the
   others held at full's values), NaN beyond the fence |log p| <= 20; its gradient analytic
   (cv_dyncov_objective) or, with numeric set, by central differences. */
typedef struct {
    const cv_dyncov_prep *p;
    const cv_dyncov_spec *spec;
    const cv_penalty *pen;
    int numeric;
    int k;                      /* all components */
    double full[CV_OPTIM_MAXN]; /* theta, the held components' values */
    int idx[CV_OPTIM_MAXN];     /* the free components */
} fctx;

/* The objective at the free components x (n of them); its gradient by them into grad when
   not NULL (analytic). NaN beyond the fence or where not computable. */
static double negll_g(int n, const double *x, const fctx *c, double *grad)
{
    double th[CV_OPTIM_MAXN], g[CV_OPTIM_MAXN] = {0}, f;
    memcpy(th, c->full, sizeof(double) * (size_t)c->k);
    for (int j = 0; j < n; j++)
        th[c->idx[j]] = x[j];
    for (int j = 0; j < 4; j++)
        if (!(fabs(th[j]) <= 20.0))
            return NAN;
    if (cv_dyncov_objective(c->p, c->spec, c->pen, th, &f, grad ? g : NULL, NULL) != 0)
        return NAN;
    if (grad)
        for (int j = 0; j < n; j++)
            grad[j] = g[c->idx[j]];
    return f;
}

static double negll(int n, const double *x, const fctx *c)
{
    return negll_g(n, x, c, NULL);
}

static double objective(int n, const double *x, double *grad, void *vc)
{
    const fctx *c = vc;
    double f;
    if (grad && !c->numeric)
        return negll_g(n, x, c, grad);
    f = negll(n, x, c);
    if (grad && isfinite(f)) {
        double t[CV_OPTIM_MAXN];
        memcpy(t, x, sizeof(double) * (size_t)n);
        for (int j = 0; j < n; j++) {
            const double h = 1e-5 * (1.0 + fabs(x[j]));
            double fp, fm;
            t[j] = x[j] + h, fp = negll(n, t, c);
            t[j] = x[j] - h, fm = negll(n, t, c);
            t[j] = x[j];
            if (!isfinite(fp) || !isfinite(fm)) /* at the fence: one-sided */
                grad[j] = isfinite(fp) ? (fp - f) / h : isfinite(fm) ? (f - fm) / h : NAN;
            else
                grad[j] = (fp - fm) / (2 * h);
        }
    }
    return f;
}

/* Minimizes over the components not held (held[j] != 0) from c->full, BFGS restarted from
   its best point while it gains; c->full updated. */
static int minimize(fctx *c, const int *held, cv_optim_result *res, cv_error *err)
{
    double x[CV_OPTIM_MAXN], best = HUGE_VAL;
    cv_optim_opts oo;
    int n = 0, rc = 0;
    for (int j = 0; j < c->k; j++)
        if (!held[j])
            c->idx[n] = j, x[n] = c->full[j], n++;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-7, oo.ftol = 1e-13, oo.max_iter = 300, oo.no_fallback = 1;
    for (int round = 0; round < 4; round++) {
        rc = cv_optim_minimize(n, x, objective, c, &oo, res, err);
        if (rc != 0 && rc != 1)
            return rc;
        for (int j = 0; j < n; j++)
            c->full[c->idx[j]] = x[j];
        if (rc == 0 || !(res->f < best - 1e-13))
            break;
        best = res->f;
    }
    return rc;
}

/* The observed information -d2 LL / dtheta2 (of the penalized objective times N) over the n
   free components of c (c->idx) at their values in c->full: central differences of the
   analytic gradient (step 1e-4 (1 + |t|)), symmetrized; with c->numeric, second differences
   of the objective. */
static int information(int n, const fctx *c, double *h)
{
    double th[CV_OPTIM_MAXN] = {0}, t[CV_OPTIM_MAXN], st[CV_OPTIM_MAXN], f0;
    const double N = (double)(c->p->n ? c->p->n : 1);
    for (int j = 0; j < n; j++)
        th[j] = c->full[c->idx[j]];
    memcpy(t, th, sizeof(double) * (size_t)n);
    for (int j = 0; j < n; j++)
        st[j] = 1e-4 * (1.0 + fabs(th[j]));
    if (!c->numeric) {
        double gp[CV_OPTIM_MAXN], gm[CV_OPTIM_MAXN];
        for (int j = 0; j < n; j++) {
            t[j] = th[j] + st[j];
            if (!isfinite(negll_g(n, t, c, gp)))
                return -1;
            t[j] = th[j] - st[j];
            if (!isfinite(negll_g(n, t, c, gm)))
                return -1;
            t[j] = th[j];
            for (int k = 0; k < n; k++)
                h[j * n + k] = N * (gp[k] - gm[k]) / (2 * st[j]);
        }
        for (int j = 0; j < n; j++)
            for (int k = 0; k < j; k++)
                h[j * n + k] = h[k * n + j] = (h[j * n + k] + h[k * n + j]) / 2;
    } else {
        f0 = negll(n, th, c);
        for (int j = 0; j < n; j++) {
            double fp, fm;
            t[j] = th[j] + st[j], fp = negll(n, t, c);
            t[j] = th[j] - st[j], fm = negll(n, t, c);
            t[j] = th[j];
            h[j * n + j] = N * (fp - 2 * f0 + fm) / (st[j] * st[j]);
            for (int k = 0; k < j; k++) {
                double f[4];
                for (int q = 0; q < 4; q++) {
                    t[j] = th[j] + ((q & 1) ? -st[j] : st[j]);
                    t[k] = th[k] + ((q & 2) ? -st[k] : st[k]);
                    f[q] = negll(n, t, c);
                }
                t[j] = th[j], t[k] = th[k];
                h[j * n + k] = h[k * n + j] = N * (f[0] - f[1] - f[2] + f[3]) / (4 * st[j] * st[k]);
            }
        }
    }
    for (int j = 0; j < n * n; j++)
        if (!isfinite(h[j]))
            return -1;
    return 0;
}

int cv_dyncov_model_fit(const cv_dyncov_prep *p, const cv_dyncov_spec *spec,
                        const cv_dyncov_opts *o, cv_dyncov_fit *fit, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    cv_model_data md = {p->n, p->x, p->tx, p->T, NULL, NULL};
    cv_fit f0;
    fctx c;
    double h[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    int held[CV_OPTIM_MAXN] = {0}, rc, j, nfree;
    memset(fit, 0, sizeof *fit);
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    for (size_t q = 0; q < spec->ncoef; q++)
        if (spec->col[q] >= p->ncov || !(spec->proc[q] & (CV_COV_TRANS | CV_COV_LIFE)))
            return cv_error_set(err, CV_ERR_USAGE, "coefficient %zu: no such covariate", q + 1);
    if (o && (rc = cv_penalty_check(o->pen, 1, err)) != 0)
        return rc;
    rc = cv_model_fit(&cv_model_pareto_nbd, &md, NULL, &f0, err);
    if (rc != 0 && rc != 1)
        return rc;
    memset(&c, 0, sizeof c);
    c.p = p, c.spec = spec, c.k = k;
    c.pen = o ? o->pen : NULL, c.numeric = o ? o->numeric : 0;
    fit->k = k, fit->loglik0 = f0.loglik, fit->n_obs = (double)p->n;
    for (j = 0; j < 4; j++)
        c.full[j] = log(f0.params[j]);
    rc = minimize(&c, held, &fit->optim, err);
    if (rc != 0 && rc != 1)
        return rc;
    /* a log-parameter that ran to the fence is held there while the others are maximized
       again (quasi-Newton steps fare badly along the wall) */
    for (j = 0; j < 4; j++)
        if (fabs(c.full[j]) > 19.9) {
            c.full[j] = c.full[j] > 0 ? 20.0 : -20.0, held[j] = 1;
            fit->boundary |= 1u << j;
        }
    if (fit->boundary && (rc = minimize(&c, held, &fit->optim, err)) != 0 && rc != 1)
        return rc;
    fit->objective = fit->optim.f;
    if (cv_dyncov_loglik(p, spec, c.full, &fit->loglik, NULL, err) != 0)
        return CV_ERR_DOMAIN;
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log((double)(p->n ? p->n : 1)) - 2.0 * fit->loglik;
    for (j = 0; j < k; j++)
        fit->est[j] = j < 4 ? exp(c.full[j]) : c.full[j], fit->se[j] = NAN;
    for (j = 0; j < k * k; j++)
        fit->cov[j] = NAN, fit->eigvec[j] = NAN;
    for (j = 0; j < k; j++)
        fit->eig[j] = NAN;
    for (j = 0, nfree = 0; j < k; j++) /* the components not held */
        if (!held[j])
            c.idx[nfree++] = j;
    if (information(nfree, &c, h) == 0) {
        double ev[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
        double val[CV_OPTIM_MAXN], inv[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
        const int nheld = k - nfree;
        /* the eigenvalues: 0 for each held component (its unit vector), then the free ones */
        cv_optim_sym_eigen(nfree, h, val, ev);
        for (j = 0; j < k * k; j++)
            fit->eigvec[j] = 0.0;
        for (j = 0, nfree = 0; j < k; j++)
            if (held[j])
                fit->eig[nfree] = 0.0, fit->eigvec[j * k + nfree] = 1.0, nfree++;
        nfree = k - nheld;
        for (int b = 0; b < nfree; b++) {
            fit->eig[nheld + b] = val[b];
            for (int a2 = 0; a2 < nfree; a2++)
                fit->eigvec[c.idx[a2] * k + nheld + b] = ev[a2 * nfree + b];
        }
        if (cv_optim_spd_inverse(nfree, h, inv) == 0) {
            fit->se_ok = !fit->boundary;
            for (int a2 = 0; a2 < nfree; a2++) {
                const int ja = c.idx[a2];
                for (int b = 0; b < nfree; b++)
                    fit->cov[ja * k + c.idx[b]] = inv[a2 * nfree + b];
                fit->se[ja] = sqrt(inv[a2 * nfree + a2]) * (ja < 4 ? fit->est[ja] : 1.0);
            }
        }
    }
    fit->status = fit->boundary                  ? CV_FIT_BOUNDARY
                  : fit->optim.grad_norm <= 1e-5 ? CV_FIT_CONVERGED
                                                 : CV_FIT_NOT_CONVERGED;
    if (fit->status == CV_FIT_CONVERGED)
        return 0;
    cv_error_set(err, CV_ERR_DOMAIN, "pareto_nbd with dynamic covariates: %s",
                 fit->boundary ? "a parameter ran to the boundary" : fit->optim.message);
    return 1;
}

int cv_dyncov_profile(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est, int j,
                      const double *values, size_t n, double *ll, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    int held[CV_OPTIM_MAXN] = {0}, i;
    fctx c;
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    if (j < 0 || j >= k)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no parameter %d of %d", j + 1, k);
    for (i = 0; i < 4; i++)
        if (!(est[i] > 0.0) || !isfinite(est[i]))
            return cv_error_set(err, CV_ERR_USAGE, "profile: estimate %d must be positive", i + 1);
    for (size_t v = 0; v < n; v++)
        if (!isfinite(values[v]) || (j < 4 && !(values[v] > 0.0)))
            return cv_error_set(err, CV_ERR_USAGE, "profile: value %g is not %s", values[v],
                                j < 4 ? "a positive number" : "finite");
    if (p->n == 0)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no customers");
    held[j] = 1;
    for (size_t v = 0; v < n; v++) {
        cv_optim_result res;
        cv_error e2;
        int rc;
        memset(&c, 0, sizeof c);
        c.p = p, c.spec = spec, c.k = k; /* the likelihood's profile: no penalty */
        for (i = 0; i < k; i++)
            c.full[i] = i < 4 ? log(est[i]) : est[i];
        c.full[j] = j < 4 ? log(values[v]) : values[v];
        if (j < 4 && fabs(c.full[j]) > 20.0) {
            ll[v] = NAN;
            continue;
        }
        rc = minimize(&c, held, &res, &e2);
        if (rc == CV_ERR_LIMIT)
            return cv_error_set(err, CV_ERR_LIMIT, "%s", e2.msg);
        if ((rc != 0 && rc != 1) || cv_dyncov_loglik(p, spec, c.full, &ll[v], NULL, NULL) != 0)
            ll[v] = NAN;
    }
    return 0;
}
