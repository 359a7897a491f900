/* cvkit time-invariant covariates, the simulation (model_cov_int.h): each customer's
   transactions, or the Gamma-Gamma's spends, drawn at its own parameters. */
#include "cvkit/cancel.h"
#include "cvkit/covariates.h"
#include "model_cov_int.h"

#include <math.h>

int cv_cov_simulate(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                    uint64_t seed, const double *T, double *x, double *t_x, cv_error *err)
{
    cv_model_data d = {n, NULL, NULL, T, NULL, NULL};
    cv_rng rng;
    double p[CV_MODEL_MAXP];
    if (cov_check_spec(model, &d, spec, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    if (!T || !x || !t_x)
        return cv_error_set(err, CV_ERR_USAGE, "%s: simulation arrays missing", model->name);
    if (model == &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE,
                            "gamma_gamma: spend draws need x "
                            "(cv_cov_simulate_spend)");
    for (size_t i = 0; i < n; i++)
        if (!(T[i] >= 0.0) || !isfinite(T[i]))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: T = %g must be a finite number >= 0",
                                i + 1, T[i]);
    cv_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double m = 0.0;
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) /* every 4096 customers */
            return CV_ERR_LIMIT;
        cv_cov_row_params(model, est, spec, i, p);
        if (cv_model_check_params(model, p, err))
            return CV_ERR_USAGE;
        model->simulate(p, &rng, T[i], &x[i], &t_x[i], &m);
    }
    return 0;
}

int cv_cov_simulate_spend(const cv_model *model, const double *est, const cv_cov_spec *spec,
                          size_t n, uint64_t seed, const double *x, double *m, cv_error *err)
{
    cv_model_data d = {n, x, NULL, NULL, NULL, NULL};
    cv_rng rng;
    double p[CV_MODEL_MAXP];
    if (model != &cv_model_gamma_gamma)
        return cv_error_set(err, CV_ERR_USAGE, "%s: spend draws are the gamma_gamma's",
                            model->name);
    if (!x || !m)
        return cv_error_set(err, CV_ERR_USAGE, "%s: simulation arrays missing", model->name);
    if (cov_check_spec(model, &d, spec, err))
        return CV_ERR_USAGE;
    if (cv_model_check_params(model, est, err))
        return CV_ERR_USAGE;
    cv_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double xi = x[i], tx = 0.0;
        if (!(xi >= 0.0) || xi != floor(xi))
            return cv_error_set(err, CV_ERR_USAGE, "row %zu: x = %g is not a count", i + 1, xi);
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) /* every 4096 customers */
            return CV_ERR_LIMIT;
        cv_cov_row_params(model, est, spec, i, p);
        if (cv_model_check_params(model, p, err))
            return CV_ERR_USAGE;
        model->simulate(p, &rng, 0.0, &xi, &tx, &m[i]);
    }
    return 0;
}
