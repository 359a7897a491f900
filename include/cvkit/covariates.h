/* cvkit time-invariant covariates for the Pareto/NBD and the BG/NBD, in the parametrization of
   CLVTools (Meierer, Bachmann & Naef), and for the Gamma-Gamma spend model in the same form:
   customer i's covariates z_i scale the model's scale parameters,
     Pareto/NBD  alpha_i = alpha exp(-g_trans' z_i),  beta_i = beta exp(-g_life' z_i)
     BG/NBD      alpha_i = alpha exp(-g_trans' z_i),  a_i = a exp(g_life' z_i),
                 b_i = b exp(g_life' z_i)
     Gamma-Gamma gamma_i = gamma exp(g_spend' z_i)
   (a positive trans coefficient raises the purchase rate; a positive life coefficient of the
   Pareto/NBD raises the dropout rate, of the BG/NBD it keeps E[p] = a/(a+b) and narrows its
   spread; exp(g_spend) is the factor on the expected spend per transaction, p gamma_i /
   (q - 1), and on E[M | x, m]'s prior part). A covariate may be constrained to one
   coefficient for both processes (Pareto/NBD, BG/NBD).
   The fit is maximum likelihood on theta = (log of the model's parameters, the coefficients)
   with the analytic gradient: the rows are collapsed on (z, x, t_x, T), the rows of one
   covariate pattern share one parameter vector, and the model's own log-likelihood over
   those rows gives the gradient by its natural parameters, carried to theta by the chain
   rule. See docs/models.md, "Covariates". */
#ifndef CVKIT_COVARIATES_H
#define CVKIT_COVARIATES_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/clv.h"
#include "cvkit/error.h"
#include "cvkit/models.h"
#include "cvkit/optim.h"
#include "cvkit/table.h"

/* The processes a coefficient acts on (cv_cov_spec.proc): both trans and life for a
   constrained one; spend for the Gamma-Gamma's scale (alone: no other process). */
enum { CV_COV_TRANS = 1, CV_COV_LIFE = 2, CV_COV_SPEND = 4 };

/* The covariate design of a fit (borrowed, not owned): ncoef coefficients, coefficient c
   acting on the processes proc[c] through the covariate column z[c] (d->n values, finite).
   Two coefficients may share a column (Gender on both processes, unconstrained). */
typedef struct cv_cov_spec {
    size_t ncoef;
    const unsigned *proc;
    const double *const *z;
} cv_cov_spec;

/* 1 when model takes covariates (bgnbd, pareto_nbd, gamma_gamma). */
int cv_cov_supported(const cv_model *model);

/* The parameters of customer i at est = (the model's parameters on their natural scale,
   then the ncoef coefficients) into p[model->nparams]. */
void cv_cov_row_params(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t i,
                       double *p);

/* A fit with covariates: k = model->nparams + ncoef estimates, in that order (the model's
   parameters, natural scale, then the coefficients). Arrays owned (cv_cov_fit_free). */
typedef struct cv_cov_fit {
    const cv_model *model;
    int k;
    size_t ncoef;
    double *est;    /* k estimates */
    double *se;     /* k standard errors (delta method for the model's parameters); NaN
                       when the information matrix is not positive definite */
    double *cov;    /* k x k covariance of theta (log-parameters, coefficients) */
    double *eig;    /* k eigenvalues of the observed information in theta, ascending */
    double *eigvec; /* k x k, row-major: column j is the eigenvector of eig[j] */
    double loglik;  /* maximized log-likelihood */
    double loglik0; /* the same model without covariates (cv_model_fit), the nested model */
    double aic, bic, n_obs;
    size_t n_rows;     /* distinct (z, x, t_x, T) rows */
    size_t n_patterns; /* distinct covariate vectors */
    cv_optim_result optim;
    int status;        /* cv_fit_status */
    unsigned boundary; /* bit j: model parameter j ran to the boundary */
    int se_ok;
    cv_penalty penalty; /* the penalty of the fit (all 0: none; cv_cov_model_fit_pen): est then
                           minimize the penalized objective, loglik is the log-likelihood
                           without the penalty at est, se, cov and eig come from the Hessian
                           of the penalized objective; loglik0 stays the maximum-likelihood
                           fit without covariates (with covariates) */
    double objective;   /* the minimized objective: -loglik / n_obs + the penalty */
} cv_cov_fit;

/* Fits model with the covariates of spec to d (no more than CV_OPTIM_MAXN - nparams
   coefficients), from the no-covariate fit with all coefficients 0. Returns 0 (converged),
   1 (fit filled, status BOUNDARY or NOT_CONVERGED, err->msg says why), CV_ERR_USAGE (a model
   without covariates, too many coefficients, a covariate that is not finite: "row 3:
   covariate 2 is NaN", the data errors of cv_model_fit), CV_ERR_DOMAIN, CV_ERR_NOMEM. With
   ncoef = 0 the result is cv_model_fit's. Free fit with cv_cov_fit_free either way. */
int cv_cov_model_fit(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                     cv_cov_fit *fit, cv_error *err);
void cv_cov_fit_free(cv_cov_fit *fit);

/* cv_cov_model_fit with the penalty pen (may be NULL: none; models.h, cv_penalty) added to the
   objective -LL/N: pen->params on the model's parameters as cv_model_fit_pen, and CLVTools'
   reg.lambdas on the coefficients, pen->trans * sum g_trans^2 + pen->life * sum g_life^2 (a
   constrained coefficient counted in both, as CLVTools counts it after doubling it). With
   ncoef = 0, cv_model_fit_pen's fit; trans or life > 0 without coefficients is CV_ERR_USAGE. */
int cv_cov_model_fit_pen(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                         const cv_penalty *pen, cv_cov_fit *fit, cv_error *err);

/* The objective cv_cov_model_fit_pen minimizes at theta (k values: log-parameters,
   coefficients): -LL/N + the penalty pen (may be NULL) into *f, its gradient in theta into grad
   (may be NULL); N the customers with T > 0. 0, CV_ERR_USAGE, CV_ERR_DOMAIN, CV_ERR_NOMEM. */
int cv_cov_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                     const cv_cov_spec *spec, const cv_penalty *pen, double *f, double *grad,
                     cv_error *err);

/* The log-likelihood of d at theta (k values: log-parameters, coefficients) and, when grad is
   not NULL, its gradient by theta. Rows not collapsed. 0, or CV_ERR_USAGE / CV_ERR_DOMAIN. */
int cv_cov_loglik(const cv_model *model, const double *theta, const cv_model_data *d,
                  const cv_cov_spec *spec, double *ll, double *grad, cv_error *err);

/* The profile log-likelihood of parameter j (0-based in est's order): for each of the n
   values, the log-likelihood maximized over the other parameters with parameter j held at
   the value (natural scale: positive for the model's parameters), from est (a fit's
   estimates); into ll[n] (NaN where the value is beyond the fence of the fit or the
   maximization failed). How the data inform a parameter when the likelihood is not
   quadratic, where standard errors mislead (docs/models.md, "Covariates"). 0, CV_ERR_USAGE,
   CV_ERR_NOMEM, CV_ERR_LIMIT (cancelled). */
int cv_cov_profile(const cv_model *model, const cv_model_data *d, const cv_cov_spec *spec,
                   const double *est, int j, const double *values, size_t n, double *ll,
                   cv_error *err);

/* Predictions of kind for every row of d with each row's own parameters (cv_model_predict's
   contract; every kind the model offers). */
int cv_cov_predict(const cv_model *model, const double *est, const cv_cov_spec *spec, cv_pred kind,
                   const cv_model_data *d, double arg, double arg2, double *out, cv_error *err);

/* A copy of s with the column name holding kind for every row (cv_model_predict_table with
   each row's own parameters; spec's columns are s's rows). NULL with err set. */
cv_table *cv_cov_predict_table(const cv_model *model, const double *est, const cv_cov_spec *spec,
                               cv_pred kind, double arg, double arg2, const cv_table *s,
                               const cv_model_cols *cols, const char *name, cv_error *err);

/* The covariate pattern of each of the n rows of spec's columns into pid[n] (rows with the
   same values of every column share a number; 0.0 and -0.0 are one value), numbered from 0
   in order of first appearance. Returns the number of patterns (1 for a spec NULL or
   without coefficients, 0 for n = 0), or (size_t)-1 when out of memory. */
size_t cv_cov_patterns(const cv_cov_spec *spec, size_t n, uint32_t *pid);

/* Every row's parameters into rowp[n * model->nparams] (for cv_clv_options.row_params). */
void cv_cov_params_rows(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                        double *rowp);

/* Draws n customers with their own parameters through the model's simulate hook: T[i]
   read, x, t_x written; deterministic for a seed. 0 or CV_ERR_USAGE. */
int cv_cov_simulate(const cv_model *model, const double *est, const cv_cov_spec *spec, size_t n,
                    uint64_t seed, const double *T, double *x, double *t_x, cv_error *err);

/* The Gamma-Gamma's draws with covariates: for each of the n customers, x[i] (repeat
   transactions, read) and the mean m[i] of their x spends (written; 0 when x = 0) with the
   customer's own gamma_i; deterministic for a seed. 0 or CV_ERR_USAGE (another model). */
int cv_cov_simulate_spend(const cv_model *model, const double *est, const cv_cov_spec *spec,
                          size_t n, uint64_t seed, const double *x, double *m, cv_error *err);

/* One simulated summary row per row of s (customer i with the covariates of s's row i in
   spec's columns, z[c][i], and the parameters of cv_cov_row_params): cv_cov_simulate (in =
   T, s->nrows values; columns x, t_x, T) or, for the Gamma-Gamma, cv_cov_simulate_spend (in =
   x; columns x, mean_repeat_spend, missing where x = 0), then the columns of s named in
   keep[nkeep] (shared, a name already there once). Deterministic for a seed; with no
   coefficients, cv_model_simulate's draws. NULL with err set (CV_ERR_USAGE: parameters,
   counts, an unknown column). */
cv_table *cv_cov_simulate_table(const cv_model *model, const double *est, const cv_cov_spec *spec,
                                const cv_table *s, const char *const *keep, size_t nkeep,
                                uint64_t seed, const double *in, cv_error *err);

/* cv_model_simulate_tx (include/cvkit/clv.h) with covariates: customer i (0-based, of n)
   drawn at the parameters cv_cov_row_params gives for row i of spec's columns (bgnbd,
   pareto_nbd; spec NULL or without coefficients: any model cv_model_simulate_tx takes, est
   its parameters, the same draws bit for bit). id (may be NULL; n rows) gives the column
   customer instead, its value of row i for customer i (the column's name and type kept), so
   the transactions join with the table of covariates. Deterministic for a seed. NULL with err
   set (CV_ERR_USAGE: a
   model without covariates, a covariate not finite, an id column of other than n rows). */
cv_table *cv_cov_simulate_tx(const cv_model *model, const double *est, const cv_cov_spec *spec,
                             size_t n, const cv_gen_options *o, const cv_column *id, cv_error *err);

/* Copies the covariate column name of t into dst (t->nrows values). Covariates are numbers:
   a text column is refused (CV_ERR_TYPE, "covariate 'Segment' is text: code each category
   but one as a 0/1 column"), as is a missing value (CV_ERR_USAGE, "row 7: covariate 'Age'
   is missing") and an unknown column (CV_ERR_USAGE, the table's columns named). */
int cv_cov_column(const cv_table *t, const char *name, double *dst, cv_error *err);

/* The upper tail of the chi-square distribution with df degrees of freedom at stat >= 0. */
double cv_chisq_upper(double stat, double df);

/* The likelihood-ratio test of a restricted model (loglik ll0) nested in a full one (ll1)
   with df more free parameters: *stat = 2 (ll1 - ll0) (0 when negative by rounding), *p =
   cv_chisq_upper(stat, df). 0, or CV_ERR_USAGE for df < 1 or a non-finite log-likelihood. */
int cv_lr_test(double ll1, double ll0, int df, double *stat, double *p, cv_error *err);

#endif
