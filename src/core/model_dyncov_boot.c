/* cvkit the bootstrap refit of the Pareto/NBD with time-varying covariates
   (cv_dyncov_boot_refit, include/cvkit/dyncov.h; model_dyncov_int.h): the fit's objective,
   -LL/N plus its penalty, with each customer's log-likelihood (dyncov_loglik_i, the fit's
   analytic gradient) counted wb[i] times and N = sum wb, minimized from the fitted parameters
   by the fit's BFGS (its tolerances, the fence |log p| <= 20, restarts from the best point),
   with no Hessian. The weights come from the interval engine (interval.c); nothing here draws
   a random number. */
#include "model_dyncov_int.h"

#include <math.h>
#include <string.h>

typedef struct {
    const cv_dyncov_prep *p;
    const cv_dyncov_spec *spec;
    const cv_penalty *pen;
    const double *wb;
    double N;
} bctx;

/* The weighted objective at theta and its gradient into g (when not NULL); NaN beyond the
   fence or where not finite (the optimizer steps back). */
static double boot_objective(int k, const double *theta, double *g, void *vc)
{
    const bctx *c = vc;
    double ll = 0.0, gi[CV_OPTIM_MAXN] = {0}, f;
    for (int j = 0; j < 4; j++)
        if (!(fabs(theta[j]) <= 20.0))
            return NAN;
    if (g)
        for (int j = 0; j < k; j++)
            g[j] = 0.0;
    for (size_t i = 0; i < c->p->n; i++) {
        const double w = c->wb[i];
        if (!(w > 0.0))
            continue;
        ll += w * dyncov_loglik_i(c->p, c->spec, theta, i, g ? gi : NULL, NULL);
        if (g)
            for (int j = 0; j < k; j++)
                g[j] -= w * gi[j] / c->N;
    }
    f = -ll / c->N + dyncov_penalty(c->pen, c->spec, theta, g);
    if (g)
        for (int j = 0; j < k; j++)
            if (!isfinite(g[j]))
                return NAN;
    return isfinite(f) ? f : NAN;
}

int cv_dyncov_boot_refit(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const cv_penalty *pen,
                         const double *wb, const double *start, double *est, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    double th[CV_OPTIM_MAXN], best = HUGE_VAL;
    cv_optim_opts oo;
    cv_optim_result res;
    bctx c;
    int rc = 0;
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    if ((rc = cv_penalty_check(pen, 1, err)) != 0)
        return rc;
    c.p = p, c.spec = spec, c.pen = pen, c.wb = wb, c.N = 0.0;
    for (size_t i = 0; i < p->n; i++)
        if (wb[i] > 0.0)
            c.N += wb[i];
    if (!(c.N > 0.0) || !isfinite(c.N))
        return cv_error_set(err, CV_ERR_USAGE, "bootstrap refit: no customers drawn");
    for (int j = 0; j < k; j++)
        th[j] = j < 4 ? log(start[j]) : start[j];
    cv_optim_defaults(&oo); /* as the fit's minimize (model_dyncov_fit.c) */
    oo.gtol = 1e-7, oo.ftol = 1e-13, oo.max_iter = 300, oo.no_fallback = 1;
    for (int round = 0; round < 4; round++) {
        rc = cv_optim_minimize(k, th, boot_objective, &c, &oo, &res, err);
        if (rc != 0 && rc != 1)
            return rc;
        if (rc == 0 || !(res.f < best - 1e-13))
            break;
        best = res.f;
    }
    for (int j = 0; j < k; j++)
        est[j] = j < 4 ? exp(th[j]) : th[j];
    if (rc == 1)
        cv_error_set(err, CV_OK, "bootstrap refit: the optimizer did not converge: %s",
                     res.message);
    return rc;
}
