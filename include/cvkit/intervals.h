/* cvkit intervals on predictions: percentile intervals of any vector of predictions from
   parameter draws, by (a) the asymptotic distribution of the fitted parameters (log-parameters
   drawn from N(log estimate, cov_log) through its Cholesky factor) or (b) the bootstrap over
   customers with refits (on collapsed data a reweighting of the distinct rows: multinomial
   counts drawn row by row with binomials, each refit warm-started from the estimate).
   The engine (src/core/interval.c) knows no model: it calls back "predict at these
   parameters" and "refit with these row weights, from this start", so any fit plugs in (the
   transaction models with Gamma-Gamma spend: src/core/model_interval.c, cv_model_intervals).
   Seeded and reproducible: draw b uses its own generator seeded from (seed, b), so the
   numbers do not depend on the thread count. See docs/models.md, "Intervals". */
#ifndef CVKIT_INTERVALS_H
#define CVKIT_INTERVALS_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/clv.h"
#include "cvkit/cov_boot.h"
#include "cvkit/covariates.h"
#include "cvkit/error.h"
#include "cvkit/models.h"
#include "cvkit/table.h"

#define CV_INTERVAL_MAXP                                                                           \
    24                       /* parameters of one problem (a model and its spend model, with       \
                                their covariates' coefficients) */
#define CV_INTERVAL_GROUPS 2 /* data sets resampled independently in a bootstrap */

typedef enum cv_interval_method {
    CV_INTERVAL_ASYMPTOTIC = 0, /* draws from the fit's asymptotic normal (log scale) */
    CV_INTERVAL_BOOTSTRAP       /* refits on customers resampled with replacement */
} cv_interval_method;

/* The name of a method ("asymptotic", "bootstrap") and its inverse (-1 if unknown). */
const char *cv_interval_method_name(int method);
int cv_interval_method_parse(const char *name);

typedef struct cv_interval_options {
    int method;    /* cv_interval_method */
    double level;  /* in (0, 1): the interval is the (1-level)/2, (1+level)/2 quantiles */
    size_t draws;  /* parameter draws or refits, >= 2 */
    uint64_t seed; /* the same seed gives the same intervals */
} cv_interval_options;

/* What the engine works on. Everything is borrowed. */
typedef struct cv_interval_problem {
    int np;                /* parameters, 1..CV_INTERVAL_MAXP */
    const double *est;     /* np estimates, natural scale, all > 0 (but the linear ones) */
    const double *cov_log; /* np x np covariance of log(est) (asymptotic method); of est
                              itself for the linear parameters */
    uint32_t linear;       /* bit a: parameter a (a < 32) is drawn on its own scale, any
                              finite value (a covariate's coefficient), not on the log scale */
    size_t nout;           /* predictions per parameter vector */
    /* Writes the nout predictions at parameters p into out; NaN where not computable.
       Returns 0, or -1 to leave the draw out. Called from several threads at once. */
    int (*predict)(void *ctx, const double *p, double *out);
    /* Bootstrap: the rows of up to CV_INTERVAL_GROUPS data sets, laid end to end
       (group g has group_n[g] rows), w the customers each row stands for. Each group's
       customers are resampled independently. */
    size_t ngroups;
    size_t group_n[CV_INTERVAL_GROUPS];
    const double *w;
    /* Refits with the row weights wb (same layout as w; 0 for rows not drawn) from start
       into p (np). Returns 0, or -1 to leave the refit out. Called from several threads. */
    int (*refit)(void *ctx, const double *wb, const double *start, double *p);
    void *ctx;
} cv_interval_problem;

/* The intervals. */
typedef struct cv_interval_result {
    size_t nout;
    double *est, *lo, *hi; /* nout each: predictions at est, the interval's ends (NaN when
                              no draw gave a number) */
    int np;
    double p_lo[CV_INTERVAL_MAXP], p_hi[CV_INTERVAL_MAXP]; /* of each parameter */
    size_t draws;                                          /* draws made */
    size_t used; /* draws whose refit and predictions succeeded; the others count as beyond
                    each end (cv_interval_run) */
} cv_interval_result;

/* Runs the draws of o for pb on cv_threads() threads and fills r (free with
   cv_interval_result_free). Returns 0; CV_ERR_USAGE for a level outside (0, 1), fewer than
   2 draws, np out of range, a bootstrap without refit or rows, an asymptotic method
   without a positive definite cov_log ("the covariance of the parameters is not positive
   definite"); CV_ERR_DOMAIN when fewer than 2 draws succeeded, when more failed (a refit or
   the predictions returned -1) than the interval can hold, or the predictions at est failed.
   A failed draw is not left out as if it were a random one (a refit fails where the resample
   pins a parameter least): each end is the quantile of all the draws with the failed ones
   beyond it, which holds whatever their values; it can hold floor((draws - 1)(1 - level)/2)
   of them (1 of 40 at 0.9, 9 of 200, 49 of 1000); CV_ERR_NOMEM (the draws take draws x nout
   doubles); CV_ERR_LIMIT when cancelled. */
int cv_interval_run(const cv_interval_problem *pb, const cv_interval_options *o,
                    cv_interval_result *r, cv_error *err);
void cv_interval_result_free(cv_interval_result *r);

/* The quantile q in [0, 1] of v[0..n) (sorted in place; NaNs are left out): the linear
   interpolation of the order statistics at (n' - 1) q (Hyndman and Fan's type 7, R's
   default), n' the numbers. NaN when none. */
double cv_interval_quantile(double *v, size_t n, double q);

/* n ~ Binomial(trials, prob): inversion for small means, else Knuth's recursion through
   beta order statistics; exact. */
double cv_rng_binomial(cv_rng *rng, double trials, double prob);

/* ---- The transaction models with their spend model (model_interval.c) ------------------ */

/* The predictions cv_model_intervals gives intervals for (bits of cv_model_interval_spec.kinds). */
enum {
    CV_IV_P_ALIVE = 1,     /* P(alive) */
    CV_IV_CONDITIONAL = 2, /* E[Y(horizon) | x, t_x, T] */
    CV_IV_DERT = 4,        /* DERT at the continuous rate delta */
    CV_IV_SPEND = 8,       /* Gamma-Gamma's E[M | x, m] */
    CV_IV_CLV = 16         /* CLV as cv_model_clv_table computes it */
};
#define CV_IV_KINDS 5

/* The column stem of kind bit i (0..CV_IV_KINDS-1): "p_alive", "conditional", "dert",
   "spend", "clv". */
const char *cv_iv_name(int i);

/* One fitted model taking part: its parameters, the covariance of their logarithms (may be
   NULL for the bootstrap) and the customers it was fitted on (the bootstrap's data). */
typedef struct cv_iv_fit {
    const cv_model *model;
    const double *p;       /* model->nparams, then the cov->ncoef coefficients */
    const double *cov_log; /* of (log parameters, coefficients), k x k */
    /* A fit with covariates (NULL: none): its design, each column z[c] holding the values
       of the customers of the table asked about (not of data), row by row, and the
       coefficients' names (NULL: "coef"). Each customer's parameters are
       cv_cov_row_params' at every draw. */
    const cv_cov_spec *cov;
    const char *const *cov_names;
    const char *const *cov_cols; /* the column of each coefficient in data (bootstrap) */
    const cv_table *data;        /* the fit's summary (bootstrap) */
    cv_model_cols cols;          /* its columns */
} cv_iv_fit;

typedef struct cv_model_interval_spec {
    cv_iv_fit tx;    /* BG/NBD, MBG/NBD, Pareto/NBD or BG/BB (P(alive), CONDITIONAL: the
                        next horizon periods, DERT: delta per period; no CLV); model NULL
                        when only spend is asked */
    cv_iv_fit spend; /* Gamma-Gamma; model NULL when spend is not modelled */
    unsigned kinds;  /* CV_IV_*; 0: the parameters' intervals alone */
    double horizon;  /* CONDITIONAL */
    double delta;    /* DERT */
    /* CLV: the horizon (periods, or INFINITY) and the per-period discount rate as
       cv_clv_options says, and the column of each customer's fixed factor: CLV =
       dtx x spend x factor, spend from the spend model when it is given (factor: the
       margin share), else 1 (factor: value per transaction) */
    double clv_horizon, clv_rate;
    const char *clv_factor;
} cv_model_interval_spec;

/* The bootstrap of one fit f (its model and f->data, with covariates f->cov and f->cov_cols):
   its customers' collapsed rows (cv_iv_boot_make; free with cv_iv_boot_free, also after a
   failure), cv_iv_boot_n of them standing for cv_iv_boot_w customers each (NULL: 1), and a
   refit from start into p with the row weights wb (cv_iv_boot_refit: 0, or -1 when it fails
   or, with covariates, does not converge). What cv_model_intervals does for each of its
   fits, for another problem that takes a spend model (cv_dyncov_intervals). */
typedef struct cv_iv_boot {
    cv_model_rows rows;
    cv_cov_boot_rows crows;
    int is_cov;
} cv_iv_boot;
int cv_iv_boot_make(const cv_iv_fit *f, cv_iv_boot *b, cv_error *err);
size_t cv_iv_boot_n(const cv_iv_boot *b);
const double *cv_iv_boot_w(const cv_iv_boot *b);
int cv_iv_boot_refit(const cv_iv_boot *b, const cv_model *model, const double *wb,
                     const double *start, double *p);
void cv_iv_boot_free(cv_iv_boot *b);

/* Totals over the customers of the table: the sum of each kind's predictions (estimate and
   interval of the sum, from the same draws). */
typedef struct cv_model_interval_totals {
    double est[CV_IV_KINDS], lo[CV_IV_KINDS], hi[CV_IV_KINDS]; /* NaN for kinds not asked */
    int np;                                                    /* parameters: tx's, then spend's */
    const char *names[CV_INTERVAL_MAXP];
    double p_est[CV_INTERVAL_MAXP], p_lo[CV_INTERVAL_MAXP], p_hi[CV_INTERVAL_MAXP];
    size_t draws, used;
} cv_model_interval_totals;

/* A copy of s with <kind>_lo and <kind>_hi (float) for each kind asked, computed on the
   distinct (x, t_x, T, m) rows of s (cols: its columns), and the totals in *tot. The
   asymptotic draws draw tx's and spend's parameters independently (two fits of separate
   likelihoods: block-diagonal covariance); the bootstrap resamples the customers of each
   fit's data independently and refits both. With covariates (tx.cov, spend.cov) the rows
   are also distinct by the covariates, the draws cover the coefficients (on their own scale)
   and each row's predictions use its own parameters; the bootstrap then reads each
   coefficient's column cov_cols[c] of the fit's data and refits with cv_cov_boot_refit
   (include/cvkit/cov_boot.h; a refit that does not converge is left out, as a failed one).
   NULL with err set: the errors of cv_interval_run, a kind the models do not offer, missing
   columns. */
cv_table *cv_model_intervals(const cv_model_interval_spec *spec, const cv_table *s,
                             const cv_model_cols *cols, const cv_interval_options *o,
                             cv_model_interval_totals *tot, cv_error *err);

#endif
