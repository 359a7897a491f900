/* cvkit the bootstrap of a fit with time-invariant covariates (src/core/model_cov_boot.c):
   the fit's customers collapsed on (covariate pattern, x, t_x, T, m) once, then each
   replicate a refit of the same likelihood (cv_cov_objective, model_cov.c) with the
   replicate's row weights, warm-started from the fitted parameters, without the Hessian.
   The interval engine (include/cvkit/intervals.h) draws the weights; cv_model_intervals
   calls these for the bootstrap of a model with covariates. */
#ifndef CVKIT_COV_BOOT_H
#define CVKIT_COV_BOOT_H

#include <stddef.h>

#include "cvkit/covariates.h"
#include "cvkit/error.h"
#include "cvkit/models.h"

/* The distinct rows of a fit's data: data.w the customers each stands for, spec the
   design (the input's proc, each coefficient's column over the distinct rows). Owned. */
typedef struct cv_cov_boot_rows {
    cv_model_data data;
    cv_cov_spec spec;
    double *buf;      /* x, t_x, T, m, w, then the ncoef columns */
    const double **z; /* ncoef */
    unsigned *proc;   /* ncoef */
} cv_cov_boot_rows;

/* Collapses d (d->w may be NULL: 1 a row) with the covariates of spec (columns of d's rows)
   on (pattern, x, t_x, T, m), weights summed, into out (free with cv_cov_boot_rows_free,
   also after a failure). 0, or CV_ERR_NOMEM. */
int cv_cov_boot_rows_make(const cv_model_data *d, const cv_cov_spec *spec, cv_cov_boot_rows *out,
                          cv_error *err);
void cv_cov_boot_rows_free(cv_cov_boot_rows *rows);

/* Refits model with covariates on rows with the weights wb[rows->data.n] (rows with none left
   out) from start (model->nparams parameters, natural scale, then the coefficients: a fit's
   est) into est (the same layout): the maximum of the likelihood cv_cov_model_fit maximizes,
   by the same optimizer and tolerance, without standard errors. Returns 0 (converged);
   1 (est holds the best point, the optimizer stopped without converging, err says why);
   CV_ERR_USAGE (no customers with weight, a model without covariates), CV_ERR_DOMAIN (the
   likelihood is not finite at start), CV_ERR_NOMEM, CV_ERR_LIMIT (cancelled). Reentrant:
   the interval engine calls it from several threads. */
int cv_cov_boot_refit(const cv_model *model, const cv_cov_boot_rows *rows, const double *wb,
                      const double *start, double *est, cv_error *err);

#endif
