/* cvkit probabilistic customer-base models: BG/NBD, Pareto/NBD, MBG/NBD, BG/BB,
   shifted-beta-geometric, Gamma-Gamma spend and the NBD baseline. Every model has the same face, a
   descriptor (cv_model) that a binding maps onto: cv.fit("bgnbd", summary) is
   cv_model_find("bgnbd") + cv_model_fit(model, data, NULL, &fit, &err).
   The models work on plain arrays (cv_model_data); see docs/models.md. */
#ifndef CVKIT_MODELS_H
#define CVKIT_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/optim.h"

#define CV_MODEL_MAXP 4

/* The per-customer data of a model, as parallel arrays of n rows (borrowed, not owned).
     x    repeat transactions in the calibration period (BG/BB: transactions in the
          n = T opportunities; sBG: renewals observed, x == T meaning still active)
     t_x  recency: time of the last transaction since the first (BG/BB: the period of the
          last transaction, 0 when none); not used by sBG and Gamma-Gamma (may be NULL)
     T    age: time from the first transaction to the end of calibration (BG/BB, sBG: the
          number of periods observed); not used by Gamma-Gamma (may be NULL)
     m    mean spend of the repeat transactions (Gamma-Gamma only, else NULL)
     w    weight of each row, the number of customers it stands for (NULL: 1 each) */
typedef struct cv_model_data {
    size_t n;
    const double *x, *t_x, *T, *m, *w;
} cv_model_data;

/* Rows owned by cvkit (from cv_model_collapse or cv_model_sbg_from_survivors); data is a
   view onto them. Free with cv_model_rows_free. */
typedef struct cv_model_rows {
    double *x, *t_x, *T, *m, *w; /* one allocation; unused columns are NULL */
    cv_model_data data;
} cv_model_rows;

/* What a model can predict (cv_model_predict). Arguments per kind:
     P_ALIVE      P(alive at T | x, t_x, T); BG/BB: alive at the start of period T + 1
     EXPECTED     E[X(t)] for a customer who has just made the first purchase; arg = t
     CONDITIONAL  E[Y(t) | x, t_x, T], transactions in (T, T + t]; arg = t
     PMF          P(X(t) = k) for a new customer; arg = t, arg2 = k (BG/NBD, MBG/NBD,
                  Pareto/NBD, NBD; BG/BB: arg = n opportunities, arg2 = x)
     DERT         discounted expected residual transactions; arg = continuously
                  compounded discount rate per time unit (Pareto/NBD); BG/BB: arg = the
                  discount rate d per period, the purchases of period n + k discounted
                  by (1 + d)^-k (Fader, Hardie & Shang 2010)
     SPEND        E[mean spend | x, m] (Gamma-Gamma; x = 0 gives the population mean)
     SURVIVAL     S(t), the share of a cohort still active after t periods; arg = t (sBG)
     RETENTION    r(t) = S(t) / S(t - 1); arg = t (sBG)
     DERL         discounted expected residual lifetime of a customer who has made x
                  renewals, the next payment undiscounted; arg = discount rate d (sBG)
     CONDITIONAL_ALIVE  E[Y(t) | alive at T, x, T]: CONDITIONAL = P_ALIVE x this (BG/NBD,
                  MBG/NBD, Pareto/NBD; it does not depend on t_x); arg = t
     DERT_ALIVE   DERT of a customer known to be alive at T: DERT = P_ALIVE x this
     DERT (BG/NBD, MBG/NBD too): the posterior expectation of lambda / (delta + p lambda),
                  the discounted sum of the purchases each made with probability (1-p)^(j-1),
                  integrated over lambda numerically (docs/models.md)
     PMF_CONDITIONAL  P(Y(t) = k | x, t_x, T), k transactions in (T, T + t]; arg = t,
                  arg2 = k (BG/NBD, MBG/NBD, Pareto/NBD, NBD; BG/BB: arg = n* periods)
     P_ACTIVE     P(Y(t) > 0 | x, t_x, T), at least one transaction in (T, T + t] (as
                  BTYDplus' "P(active)"); arg = t (BG/NBD, MBG/NBD, Pareto/NBD, NBD, BG/BB) */
typedef enum cv_pred {
    CV_PRED_P_ALIVE = 0,
    CV_PRED_EXPECTED,
    CV_PRED_CONDITIONAL,
    CV_PRED_PMF,
    CV_PRED_DERT,
    CV_PRED_SPEND,
    CV_PRED_SURVIVAL,
    CV_PRED_RETENTION,
    CV_PRED_DERL,
    CV_PRED_CONDITIONAL_ALIVE,
    CV_PRED_DERT_ALIVE,
    CV_PRED_PMF_CONDITIONAL,
    CV_PRED_P_ACTIVE,
    CV_PRED_COUNT_
} cv_pred;

/* The name of a prediction kind ("p_alive", "expected", "conditional", "pmf", "dert",
   "spend", "survival", "retention", "derl", "conditional_alive", "dert_alive",
   "pmf_conditional", "p_active"), and its
   inverse (-1 if unknown). */
const char *cv_pred_name(cv_pred kind);
int cv_pred_parse(const char *name);

/* Columns a model reads, as flags in cv_model.needs. */
enum { CV_NEED_X = 1, CV_NEED_TX = 2, CV_NEED_T = 4, CV_NEED_M = 8 };

/* xoshiro256** seeded through splitmix64: the same seed gives the same numbers on
   every machine. Not for cryptography. */
typedef struct cv_rng {
    uint64_t s[4];
} cv_rng;

/* A model descriptor. All functions are pure and thread-safe. */
typedef struct cv_model {
    const char *name;  /* "bgnbd", "pareto_nbd", "mbgnbd", "bgbb", "sbg", "gamma_gamma", "nbd" */
    const char *title; /* "BG/NBD (Fader, Hardie & Lee 2005)" */
    int nparams;
    const char *const *param_names; /* {"r", "alpha", "a", "b"} */
    unsigned needs;                 /* CV_NEED_* */
    unsigned preds;                 /* bit (1u << kind) for each supported cv_pred */
    /* sum of w_i log L_i over d's rows at parameters p (natural scale, all > 0); grad
       (may be NULL) gets its partial derivatives. Returns 0, or -1 when a row's
       likelihood is not finite (then *ll is NaN). */
    int (*loglik)(const double *p, const cv_model_data *d, double *ll, double *grad);
    /* Rejects rows the model cannot take: returns 0, or -1 with the row and a reason. */
    int (*check)(const cv_model_data *d, size_t *row, const char **why);
    /* Starting values for the fit. */
    void (*start)(const cv_model_data *d, double *p);
    /* One prediction for one customer; NaN when undefined or not computable. */
    double (*predict)(const double *p, cv_pred kind, double x, double t_x, double T, double m,
                      double arg, double arg2);
    /* Draws one customer: reads *T (and *x for Gamma-Gamma), writes x, t_x, m. */
    void (*simulate)(const double *p, cv_rng *rng, double T, double *x, double *t_x, double *m);
    /* Optional (NULL: predict once per horizon): CV_PRED_CONDITIONAL_ALIVE of one customer
       (x, T) at n horizons t[j] into out[j], faster than one by one; NaN where not
       computable. */
    void (*conditional_path)(const double *p, double x, double T, const double *t, size_t n,
                             double *out);
} cv_model;

extern const cv_model cv_model_bgnbd;       /* Fader, Hardie & Lee (2005) */
extern const cv_model cv_model_pareto_nbd;  /* Schmittlein, Morrison & Colombo (1987) */
extern const cv_model cv_model_mbgnbd;      /* Batislam, Denizel & Filiztekin (2007) */
extern const cv_model cv_model_bgbb;        /* Fader, Hardie & Shang (2010) */
extern const cv_model cv_model_sbg;         /* Fader & Hardie (2007) */
extern const cv_model cv_model_gamma_gamma; /* Fader, Hardie & Lee (2005); F&H (2013) */
extern const cv_model cv_model_nbd;         /* Ehrenberg (1959): no dropout (model_nbd.c) */

/* The model called name (also accepts "bg/nbd", "pareto/nbd", "pnbd", "mbg/nbd", "bg/bb",
   "gg", "gammagamma", case-insensitive), or NULL. */
const cv_model *cv_model_find(const char *name);
/* The i-th alias cv_model_find accepts (0-based: "bg/nbd", "pnbd", ...) with the model it
   names in *model (if not NULL); NULL past the last. */
const char *cv_model_alias(size_t i, const cv_model **model);
/* All models, NULL-terminated; *n (if not NULL) gets their number. */
const cv_model *const *cv_model_list(size_t *n);

/* How a fit ended (cv_fit.status). */
typedef enum cv_fit_status {
    CV_FIT_CONVERGED = 0, /* an interior maximum: gradient test passed, Hessian positive definite */
    CV_FIT_BOUNDARY,      /* the likelihood rises towards the edge of the parameter space (some
                             parameters run to 0 or infinity, or it is flat at the optimum):
                             the data do not identify those parameters; cv_fit.boundary names
                             them, their standard errors are NaN (docs/models.md, "Degenerate
                             data and boundary results") */
    CV_FIT_NOT_CONVERGED  /* the optimizer stopped without passing a convergence test;
                             optim.phase says what it tried */
} cv_fit_status;

/* The name of a status: "converged", "boundary", "not_converged". */
const char *cv_fit_status_name(int status);

/* How the penalty on a model's parameters is measured (cv_penalty.scale). */
enum { CV_PENALTY_LOG = 0, CV_PENALTY_NATURAL = 1 };

/* Penalties added to a fit's objective, the mean negative log-likelihood -LL/N (N =
   cv_fit.n_obs), so that a fit whose parameters run to the boundary ends at an interior,
   usable point (docs/models.md, "Regularised fits"):
     params * sum_j (log p_j)^2   scale CV_PENALTY_LOG: a weak normal prior on each
                                  log-parameter, centred on p_j = 1, variance 1/(2 N params);
                                  pulls a parameter back from 0 and from infinity alike
     params * sum_j p_j^2         scale CV_PENALTY_NATURAL: lifetimes' penalizer_coef (pulls
                                  towards 0 only; depends on the time unit)
   over the model's parameters p_j; and, for fits with covariates only (cv_cov_model_fit_pen),
   CLVTools' reg.lambdas: trans * sum g_trans^2 + life * sum g_life^2 over the coefficients (a
   constrained coefficient is in both sums), and the same L2 form spend * sum g_spend^2 on the
   Gamma-Gamma's spend coefficients. All 0, or a NULL cv_penalty: the maximum-likelihood fit,
   bit for bit. */
typedef struct cv_penalty {
    double params;      /* >= 0: weight of the penalty on the model's parameters */
    int scale;          /* CV_PENALTY_LOG or CV_PENALTY_NATURAL */
    double trans, life; /* >= 0: L2 weights on the covariate coefficients */
    double spend;       /* >= 0: L2 weight on the Gamma-Gamma's spend coefficients */
} cv_penalty;

/* 0 when pen is NULL or valid: finite weights >= 0, a known scale, and trans = life = 0 unless
   covariates; else CV_ERR_USAGE ("penalty: reg.trans = -1 must be a number >= 0"; "penalty:
   reg (trans, life) is an L2 penalty on covariate coefficients: the fit has no covariates"). */
int cv_penalty_check(const cv_penalty *pen, int covariates, cv_error *err);

/* A fitted model. */
typedef struct cv_fit {
    const cv_model *model;
    double params[CV_MODEL_MAXP]; /* maximum likelihood estimates, in param_names order */
    double se[CV_MODEL_MAXP];     /* standard errors (delta method from log scale); NaN
                                     when the Hessian is not positive definite */
    double cov_log[CV_MODEL_MAXP * CV_MODEL_MAXP]; /* covariance of the log-parameters */
    double loglik;                                 /* maximized log-likelihood */
    double aic, bic;                               /* 2k - 2LL and k log(N) - 2LL */
    double n_obs;  /* N: customers (sum of weights; Gamma-Gamma: x > 0) */
    size_t n_rows; /* distinct rows after collapsing */
    cv_optim_result optim;
    int status;         /* cv_fit_status */
    unsigned boundary;  /* bit i set: parameter i ran to the boundary (status BOUNDARY) */
    int se_ok;          /* 1 when the Hessian was positive definite (se and cov_log finite) */
    int identical;      /* 1 when all informative customers are alike (one distinct row) */
    cv_penalty penalty; /* the penalty of the fit (all 0: maximum likelihood); with one, params
                           maximize the penalized objective, loglik is the log-likelihood
                           without the penalty there, and se and cov_log come from the Hessian
                           of the penalized objective (a posterior's under the prior) */
    double objective;   /* the minimized objective: -loglik / n_obs + the penalty */
} cv_fit;

/* Fits model to d by maximum likelihood: identical rows are collapsed first, then BFGS on
   the log-parameters with the analytic gradient (Nelder-Mead fallback), then the Hessian
   for standard errors. start (may be NULL for the model's own) gives starting values.
   Returns 0 (status CONVERGED); 1 when the fit is not an interior maximum (fit filled,
   status BOUNDARY or NOT_CONVERGED, optim.message says why, optim.phase what was tried,
   err->msg the message with the model's name); CV_ERR_USAGE for data the model cannot
   take ("row 12: recency t_x must lie between 0 and the age T (x = 2, t_x = 40, T = 39)")
   and for data without information ("bgnbd: no customer made a repeat purchase ..."; every
   age T = 0); CV_ERR_DOMAIN when the likelihood is not finite at the start or the result is
   not finite; CV_ERR_NOMEM. Never returns non-finite params or loglik. */
int cv_model_fit(const cv_model *model, const cv_model_data *d, const double *start, cv_fit *fit,
                 cv_error *err);

/* cv_model_fit with the penalty pen (may be NULL: none; its trans and life must be 0) added
   to the objective; CV_ERR_USAGE for a penalty cv_penalty_check refuses. */
int cv_model_fit_pen(const cv_model *model, const cv_model_data *d, const double *start,
                     const cv_penalty *pen, cv_fit *fit, cv_error *err);

/* The objective a fit minimizes at the log-parameters theta: -LL(exp(theta))/N + the penalty
   pen (may be NULL) into *f, its gradient in theta into grad (may be NULL); N as the fit's
   n_obs. Rows not collapsed. 0, CV_ERR_USAGE (data, penalty), CV_ERR_DOMAIN (not finite). */
int cv_model_objective(const cv_model *model, const double *theta, const cv_model_data *d,
                       const cv_penalty *pen, double *f, double *grad, cv_error *err);

/* The log-likelihood of d at p (rows not collapsed), and its gradient if grad != NULL. */
int cv_model_loglik(const cv_model *model, const double *p, const cv_model_data *d, double *ll,
                    double *grad, cv_error *err);

/* Predictions for every row of d into out[d->n] (see cv_pred for arg and arg2). Rows
   whose prediction fails get NaN. Returns 0; CV_ERR_USAGE when the model does not offer
   kind, a parameter is not positive, or (for P_ALIVE, CONDITIONAL, DERT, SPEND) a row is
   invalid as cv_model_fit would say; CV_ERR_DOMAIN when some prediction was not computable
   (the first such row is named in err; the other rows are still filled). */
int cv_model_predict(const cv_model *model, const double *p, cv_pred kind, const cv_model_data *d,
                     double arg, double arg2, double *out, cv_error *err);

/* Collapses identical rows (equal x, t_x, T, m) into weighted rows, sorted by
   (x, t_x, T, m). Returns 0 or CV_ERR_NOMEM. */
int cv_model_collapse(const cv_model_data *in, cv_model_rows *out, cv_error *err);
void cv_model_rows_free(cv_model_rows *rows);

/* sBG data from a cohort's survivor counts: s[0] customers at the start, s[t] still
   active after t periods (t = 0..k-1, non-increasing). Makes one row per period of
   churn (x = t - 1 renewals, T = k - 1) and one of survivors (x = T). Returns 0,
   CV_ERR_USAGE for counts that grow or are negative, or CV_ERR_NOMEM. */
int cv_model_sbg_from_survivors(const double *s, size_t k, cv_model_rows *out, cv_error *err);

/* The check of the continuous-time models (BG/NBD, Pareto/NBD, MBG/NBD): x a whole
   number >= 0, T >= 0 (a customer first seen on the last day has T = 0 and likelihood 1),
   0 <= t_x <= T, t_x = 0 when x = 0 and t_x > 0 when x > 0 (so T = 0 forces x = 0: such a
   customer's likelihood is 1 and the fit leaves the row out of N). Returns 0, or -1 with the
   0-based row and a reason. */
int cv_model_check_rft(const cv_model_data *d, size_t *row, const char **why);

/* Pearson correlation of x and m over the rows with x > 0 (weighted), the check that
   frequency and spend are independent which the Gamma-Gamma model assumes. NaN when
   fewer than two such rows or no variance. */
double cv_model_spend_correlation(const cv_model_data *d);

/* ---- Simulation ---------------------------------------------------------------------- */

void cv_rng_seed(cv_rng *rng, uint64_t seed);
uint64_t cv_rng_next(cv_rng *rng);
double cv_rng_uniform(cv_rng *rng);             /* in (0, 1) */
double cv_rng_normal(cv_rng *rng);              /* standard normal (polar method) */
double cv_rng_exp(cv_rng *rng);                 /* rate 1 */
double cv_rng_gamma(cv_rng *rng, double shape); /* scale 1 (Marsaglia & Tsang) */
double cv_rng_beta(cv_rng *rng, double a, double b);
double cv_rng_poisson(cv_rng *rng, double mean);

/* Draws n synthetic customers from model at p with seed: T[i] is read (age or number
   of periods); for Gamma-Gamma x[i] is read (the number of repeat transactions) and
   m[i] written; otherwise x, t_x are written (m may be NULL). Deterministic for a seed.
   Returns 0, CV_ERR_USAGE (bad parameters, missing arrays) or CV_ERR_LIMIT "cancelled"
   (include/cvkit/cancel.h; looked at every 4096 customers). */
int cv_model_simulate(const cv_model *model, const double *p, size_t n, uint64_t seed,
                      const double *T, double *x, double *t_x, double *m, cv_error *err);

#endif
