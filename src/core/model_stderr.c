/* cvkit models, the end of a fit (model_int.h): the standard errors from the observed
   information (the Hessian of -LL), which log-parameters ran to the boundary, and the fit's
   verdict and message. Shared by every fit: model_fit.c and the covariate fits
   (model_cov_fit.c). */
#include "cvkit/models.h"
#include "cvkit/optim.h"
#include "model_int.h"

#include <math.h>
#include <stdio.h>

int cv_model_std_errors(int k, int np, const double *info, const double *est, double *cov,
                        double *se)
{
    if (cv_optim_spd_inverse(k, info, cov) != 0)
        return -1;
    for (int i = 0; i < k; i++) {
        double sd = sqrt(cov[i * k + i]);
        se[i] = i < np ? est[i] * sd : sd; /* the delta method for exp(theta) */
    }
    return 0;
}

unsigned cv_model_boundary(int np, int k, const double *theta, const double *cov, int se_ok)
{
    unsigned b = 0;
    for (int i = 0; i < np; i++)
        if ((fabs(theta[i]) > CV_MODEL_LOG_EDGE && !(sqrt(cov[i * k + i]) < 1.0)) ||
            (!se_ok && fabs(theta[i]) > CV_MODEL_LOG_SOFT))
            b |= 1u << i;
    return b;
}

int cv_model_fit_verdict(const cv_model *model, int rc, unsigned boundary, int se_ok,
                         const char *tail, const char *flat, int *status, cv_optim_result *optim,
                         cv_error *err)
{
    if (boundary || !se_ok) {
        char names[96] = "";
        size_t len = 0;
        for (int i = 0; i < model->nparams; i++)
            if ((boundary & (1u << i)) && len < sizeof names)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                        model->param_names[i]);
        *status = CV_FIT_BOUNDARY;
        optim->converged = 0;
        if (len)
            snprintf(optim->message, sizeof optim->message,
                     "%s ran to the boundary: the data do not identify them%s", names, tail);
        else
            snprintf(optim->message, sizeof optim->message, "%s", flat);
        rc = 1;
    } else {
        *status = rc == 0 ? CV_FIT_CONVERGED : CV_FIT_NOT_CONVERGED;
    }
    if (rc == 1) {
        cv_error_set(
            err, CV_OK, "%s: %s%s", model->name,
            *status == CV_FIT_BOUNDARY ? "" : "optimizer did not converge: ", optim->message);
        return 1;
    }
    return 0;
}
