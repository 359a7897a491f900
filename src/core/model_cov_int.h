/* Private to the time-invariant covariates (include/cvkit/covariates.h), whose jobs are
   split over these files:
     model_cov.c          the links: how each model's parameters depend on the covariates
                          (a row's parameters), the checks of a spec, covariate columns
     model_cov_rows.c     the covariate patterns and the rows collapsed on (z, x, t_x, T)
     model_cov_loglik.c   the log-likelihood of the collapsed rows and its gradient
     model_cov_fit.c      the fit: objective, minimization, standard errors, the profile
     model_cov_predict.c  each customer's predictions at its own parameters
     model_cov_simulate.c each customer's transactions or spends drawn
     model_cov_lrtest.c   the likelihood-ratio test
   Not a public header. */
#ifndef CVKIT_MODEL_COV_INT_H
#define CVKIT_MODEL_COV_INT_H

#include "cvkit/covariates.h"
#include "model_int.h"

#include <stddef.h>

/* ---- The links (model_cov.c) ------------------------------------------------------------ */

/* How the model's parameters depend on the covariates: parameter j scales with
   exp(sign[j] eta_proc[j]), eta_trans = g_trans' z, eta_life = g_life' z, eta_spend =
   g_spend' z (proc 0: fixed); eta is indexed by the process bit (1, 2, 4). procs: the
   processes the model's coefficients may act on. */
typedef struct {
    const cv_model *model;
    unsigned proc[CV_MODEL_MAXP];
    double sign[CV_MODEL_MAXP];
    unsigned procs;
} cov_link;

#define NETA 5 /* eta[CV_COV_TRANS], eta[CV_COV_LIFE], eta[CV_COV_SPEND] */

/* The link of model, or NULL when it takes no covariates. */
const cov_link *cov_link_of(const cv_model *model);

/* p = the parameters at base (natural scale) for the linear predictors eta[CV_COV_TRANS],
   eta[CV_COV_LIFE] and eta[CV_COV_SPEND]. */
void cov_params_at(const cov_link *lk, int np, const double *base, const double *eta, double *p);

/* Checks the model, the number of coefficients and the covariates' values (d->n rows):
   CV_ERR_USAGE with the reason in err, or 0. */
int cov_check_spec(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   cv_error *err);

/* ---- The collapsed rows (model_cov_rows.c) ---------------------------------------------- */

typedef struct {
    size_t ncol;                 /* distinct covariate columns */
    const double **col;          /* ncol columns of the input */
    int *coef_col;               /* the column of each coefficient */
    double *x, *t_x, *T, *m, *w; /* nrows collapsed rows, grouped by pattern; t_x, T, m
                                    NULL when the data have none (the Gamma-Gamma: x, m) */
    size_t nrows, ngroups;
    size_t *goff; /* ngroups + 1: the rows of group g are goff[g] .. goff[g+1] */
    double *gz;   /* ngroups x ncol: each group's covariates */
} cov_rows;

/* Collapses d into cr: rows grouped by covariate pattern, identical (x, t_x, T) within a
   pattern summed (cv_model_collapse, sorted by x within the group). 0, or CV_ERR_NOMEM
   (err set, cr empty); the caller frees cr with cov_rows_free. */
int cov_rows_make(const cv_model_data *d, const cv_cov_spec *spec, cov_rows *cr, cv_error *err);

/* Frees what cr holds and zeroes it (an empty cr too). */
void cov_rows_free(cov_rows *cr);

/* ---- The log-likelihood (model_cov_loglik.c) -------------------------------------------- */

/* The log-likelihood of cr at theta (log-parameters, then the coefficients) into *ll and,
   when grad is not NULL, its gradient by theta; the same bits whatever the thread count.
   0, or -1 when not finite. */
int cov_ll(const cv_model *model, const cov_rows *cr, const cv_cov_spec *spec, const double *theta,
           double *ll, double *grad);

/* ---- The objective (model_cov_fit.c) ----------------------------------------------------- */

/* The checks of cv_cov_objective on d (the spec, the penalty, the model's rows) and N, the
   customers' weight that carries information, into *nobs: 0, or CV_ERR_USAGE with err set. */
int cov_objective_prepare(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                          const cv_penalty *pen, double *nobs, cv_error *err);

/* The objective of cv_cov_objective and cv_cov_model_fit at theta over the collapsed rows cr
   of the data cov_objective_prepare checked (nobs its N): -LL/N plus the penalty, its
   gradient into grad (when not NULL); NaN outside the domain. No allocation: the bootstrap's
   refits call it at every step on rows collapsed once. */
double cov_objective_rows(const cv_model *model, const cov_rows *cr, const cv_cov_spec *spec,
                          const cv_penalty *pen, double nobs, const double *theta, double *grad);

#endif
