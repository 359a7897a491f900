/* cvkit likelihood-ratio test (include/cvkit/covariates.h): the chi-squared upper tail
   and the test of a full model against a nested, restricted one. */
#include "cvkit/covariates.h"
#include "cvkit/special.h"

#include <math.h>

double cv_chisq_upper(double stat, double df)
{
    if (!(df > 0.0) || isnan(stat))
        return NAN;
    if (!(stat > 0.0))
        return 1.0;
    /* Q(df/2, stat/2) = Gamma(df/2, stat/2) / Gamma(df/2) */
    return fmin(1.0, cv_upper_gamma(0.5 * df, 0.5 * stat) / exp(cv_lgamma(0.5 * df)));
}

int cv_lr_test(double ll1, double ll0, int df, double *stat, double *p, cv_error *err)
{
    if (df < 1)
        return cv_error_set(err, CV_ERR_USAGE,
                            "likelihood-ratio test: the full model must have more parameters "
                            "than the restricted one (df = %d)",
                            df);
    if (!isfinite(ll1) || !isfinite(ll0))
        return cv_error_set(err, CV_ERR_USAGE, "likelihood-ratio test: log-likelihood not finite");
    *stat = fmax(0.0, 2.0 * (ll1 - ll0));
    *p = cv_chisq_upper(*stat, (double)df);
    return 0;
}
