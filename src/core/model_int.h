/* cvkit models, internal: what the model core (model_core.c the registry, model_check.c,
   model_fit.c, model_stderr.c, model_collapse.c), the models' files and the table jobs
   (model_predict.c, model_clv.c, model_validate.c, model_tracking.c, model_simulate.c)
   share. */
#ifndef CVKIT_MODEL_INT_H
#define CVKIT_MODEL_INT_H

#include "cvkit/clv.h"
#include "cvkit/models.h"
#include "cvkit/optim.h"
#include "cvkit/table.h"

#include <stdint.h>
#include <string.h>

/* Log-parameters are kept within +-CV_MODEL_LOG_BOUND (parameters between 2e-9 and 5e8); one
   past +-CV_MODEL_LOG_EDGE (6e-6, 1.6e5) after the fit whose log has a standard error above 1
   (or none) is reported as running to the boundary; a large but well-determined one (an
   alpha in minutes) is not; without standard errors, one past CV_MODEL_LOG_SOFT is. Every
   fit's (model_fit.c, model_cov_fit.c). */
#define CV_MODEL_LOG_BOUND 20.0
#define CV_MODEL_LOG_EDGE 12.0
#define CV_MODEL_LOG_SOFT 8.0

/* ---- The checks (model_check.c) ---- */

/* Checks that d has the columns model needs and finite, in-range values: 0, or CV_ERR_USAGE
   naming the bad row with its values ("row 2: recency t_x must lie between 0 and the age T
   (x = 2, t_x = 40, T = 39)") or a NaN or infinity with its column. */
int cv_model_check_data(const cv_model *model, const cv_model_data *d, cv_error *err);

/* 1 for the models of purchases in continuous time (BG/NBD, MBG/NBD, Pareto/NBD, NBD), whose
   customers with T = 0 have likelihood 1 and are left out of N. A new model of that kind is
   added there (docs/hacking.md, "Add a model"). */
int cv_model_continuous_time(const cv_model *model);

/* Data that carry no information for the model, found before fitting: 0, or CV_ERR_USAGE
   saying what is missing and what to check; *nobs gets N, the customers that inform the fit. */
int cv_model_check_information(const cv_model *model, const cv_model_data *d, double *nobs,
                               cv_error *err);

/* Fills out[i] with kind for every row of d (no checks: the caller made them), on
   cv_threads() threads for large d; CONDITIONAL and DERT once per distinct (x, T) times P(alive)
   when the model offers the *_ALIVE kinds. Returns the number of NaN rows, the first in *bad. */
size_t cv_model_predict_rows(const cv_model *model, const double *p, cv_pred kind,
                             const cv_model_data *d, double arg, double arg2, double *out,
                             size_t *bad);

/* Several predictions of every row of d at once (ps's non-NULL outputs), each model
   quantity computed once and shared. Models with the *_ALIVE kinds (BG/NBD, MBG/NBD,
   Pareto/NBD, NBD): the parts of an alive customer (E[Y(t)], the finite-horizon discounted
   path, DERT) once per distinct (x, T) (E[Y(t)] taken from the path's end when t is the
   horizon), P(alive) once per row (one log1p and one exp: cheaper than indexing the rows
   by (x, t_x, T), measured) and multiplied into each. Other models (BG/BB): every
   prediction once per distinct (x, t_x, T) through the collapse radix
   (cv_model_collapse_index), then copied to the rows. The same numbers as
   cv_model_predict_rows kind by kind (the same calls, the same products). On cv_threads()
   threads. Returns 0 (NaN where not computable or cancelled), or -1 when the rows could not
   be indexed (out of memory, too many distinct values, dtx without the *_ALIVE kinds or
   with an unlimited horizon): then nothing is written and the caller goes row by row. */
typedef struct cv_model_pred_set {
    double *alive;   /* P(alive), or NULL */
    double *cond;    /* CONDITIONAL, E[Y(cond_t) | x, t_x, T], or NULL */
    double cond_t;   /* its t */
    double *dert;    /* DERT at dert_arg (cv_pred), or NULL */
    double dert_arg; /* its arg */
    double *dtx;     /* CLV's expected discounted transactions over a finite horizon: P(alive)
                        times cv_model_dtx_alive (needs the *_ALIVE kinds), or NULL */
    double horizon;  /* its periods (finite, > 0) */
    double v;        /* its discount factor per period */
} cv_model_pred_set;

int cv_model_predict_set(const cv_model *model, const double *p, const cv_model_data *d,
                         const cv_model_pred_set *ps);

/* Collapses the rows of in as cv_model_collapse does (sorted, weights summed) and writes
   into idx[i] (in->n) the distinct row of row i. 0; -1 out of memory; 1 when the rows are
   not indexable this way (empty, too many, or too many distinct values: out untouched). */
int cv_model_collapse_index(const cv_model_data *in, cv_model_rows *out, uint32_t *idx);

/* The bits of v as a key of a hash (-0.0 and 0.0 one key): the collapse's and the covariate
   patterns'. */
static inline uint64_t cv_model_key_bits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* The distinct rows of n customers by nkey (at most CV_MODEL_MAXKEY) key columns, key[c][i]
   the c-th number of customer i's key (a NULL column: 0), keys ordered by their first
   differing number, equal keys in customer order: order[j] gets the j-th customer in that
   order, row[i] the distinct row of customer i (0, 1, ... in that order). Returns the number
   of distinct rows, or (size_t)-1 (out of memory). The one sort-and-collapse by (covariate
   pattern, x, t_x, T, m) (model_collapse.c; the covariate bootstrap's rows, the intervals'
   distinct rows); the caller sums what it needs over each row's customers in order. */
#define CV_MODEL_MAXKEY 5
size_t cv_model_rows_distinct(size_t n, int nkey, const double *const *key, size_t *order,
                              size_t *row);

/* Why predictions of kind at p may be NaN, when the parameters explain it: writes into
   buf (size n) "; " and a reason ("q = 0.8 <= 1: ...", "the parameters are at the edge of
   their range ..."), or "" when nothing is known. */
void cv_model_nan_reason(const cv_model *model, const double *p, cv_pred kind, char *buf, size_t n);

/* 0 when every parameter of p is a positive finite number, else CV_ERR_USAGE with
   "<model>: parameter <name> = <value> must be positive". */
int cv_model_check_params(const cv_model *model, const double *p, cv_error *err);

/* Expected discounted transactions of an alive customer with (x, T) over a finite horizon
   (model_clv.c): sum_k v^t_k (A(t_k) - A(t_k-1)), A the CONDITIONAL_ALIVE expectation at the
   period ends t_k = 1, 2, ..., horizon (the last period may be partial); through the model's
   conditional_path when it has one (all horizons at once), in chunks. CLV's dtx is P(alive)
   times this. */
double cv_model_dtx_alive(const cv_model *model, const double *p, double x, double T,
                          double horizon, double v);

/* cv_model_dtx_alive with the period ends t[k] = min(k + 1, horizon) and their discount
   factors vt[k] = v^t[k] given (n = ceil(horizon) of each: the same for every customer);
   *last (when not NULL) gets the path's end, CONDITIONAL_ALIVE at t[n - 1] (NaN when the
   sum is). */
double cv_model_dtx_alive_at(const cv_model *model, const double *p, double x, double T,
                             const double *t, const double *vt, size_t n, double *last);

/* ---- The end of a fit (model_stderr.c): every fit's, with or without covariates ---- */

/* The covariance, the inverse of the observed information info (k x k, in the
   log-parameters of the first np parameters, then coefficients), into cov, and the standard
   errors into se: est[i] sqrt(cov_ii) for a parameter (the delta method for exp(theta)),
   sqrt(cov_ii) for a coefficient. 0, or -1 when info is not positive definite (cov may be
   written, se untouched). */
int cv_model_std_errors(int k, int np, const double *info, const double *est, double *cov,
                        double *se);

/* The log-parameters theta[0..np) that ran to the boundary, as bits: beyond
   CV_MODEL_LOG_EDGE with a log standard error (from cov, k x k) above 1 or none; when se_ok is
   0, also beyond CV_MODEL_LOG_SOFT. */
unsigned cv_model_boundary(int np, int k, const double *theta, const double *cov, int se_ok);

/* The verdict of a fit whose optimizer returned rc (0 converged, 1 not): with a boundary or
   without standard errors, *status CV_FIT_BOUNDARY, optim->converged 0 and optim->message
   "<names> ran to the boundary: the data do not identify them<tail>" (flat when no parameter
   is named), and 1 with err saying it; else *status converged or not, and rc (1 with err
   "optimizer did not converge: ..."). */
int cv_model_fit_verdict(const cv_model *model, int rc, unsigned boundary, int se_ok,
                         const char *tail, const char *flat, int *status, cv_optim_result *optim,
                         cv_error *err);

/* The penalty of pen on the model's np log-parameters theta (model_fit.c, the one place it
   is defined: every fit's objective adds it): pen->params * sum_j (theta_j^2 | exp(2 theta_j))
   by pen->scale; its gradient in theta is added to g (when not NULL). 0 when pen is NULL or
   pen->params is 0 (g untouched). */
double cv_model_penalty(const cv_penalty *pen, int np, const double *theta, double *g);

/* ---- Shared by the table jobs (defined in model_predict.c) ---- */

/* The distinct (x, T) pairs of n rows. */
typedef struct {
    size_t k;      /* distinct pairs */
    double *x, *T; /* k each */
    uint32_t *idx; /* n: the pair of each row */
} cv_model_pairs;

/* Indexes the distinct (x[i], T[i]) (x or T may be NULL: 0). 0 or -1 (out of memory);
   free with cv_model_pairs_free either way. */
int cv_model_pairs_make(const double *x, const double *T, size_t n, cv_model_pairs *pp);
void cv_model_pairs_free(cv_model_pairs *pp);

/* Copies column name of t into dst (t->nrows) as doubles; missing values are NaN. 0, or
   CV_ERR_USAGE (no such column) / CV_ERR_TYPE (not a number) with err set. */
int cv_model_column_doubles(const cv_table *t, const char *name, double *dst, cv_error *err);

/* given, or def when given is NULL (a column name of cv_model_cols or its default). */
static inline const char *cv_model_col_or(const char *given, const char *def)
{
    return given ? given : def;
}

/* Adds (or replaces) a float column name from vals (NaN = missing) to t; t, or NULL with
   err set. */
cv_table *cv_model_with_column(cv_table *t, const char *name, const double *vals, cv_error *err);
/* cv_model_with_column for a float column c whose data already holds t->nrows values (NaN =
   missing; c->n is set here): computed in place, without a copy. Takes the caller's reference
   to c, also on failure. */
cv_table *cv_model_with_filled(cv_table *t, cv_column *c, cv_error *err);

/* A new table sharing s's columns (free with cv_table_free); NULL with err set. */
cv_table *cv_model_table_copy(const cv_table *s, cv_error *err);

/* One prediction for every row of d into out (as cv_model_predict: 0, CV_ERR_DOMAIN with
   NaN rows filled, or another error). */
typedef int (*cv_model_rows_fn)(const void *ctx, const cv_model_data *d, double *out,
                                cv_error *err);

/* A copy of s with the float column name from predict over s's rows (read by
   cv_model_rows_from_table with cols): the table job of cv_model_predict_table and
   cv_cov_predict_table. NULL with err set. */
cv_table *cv_model_table_with(const cv_model *model, const cv_table *s, const cv_model_cols *cols,
                              const char *name, cv_model_rows_fn predict, const void *ctx,
                              cv_error *err);

/* The synthetic transactions of cvkit gen (model_simulate.c) as a table: the columns cid
   (the customers' numbers 1..n; with id, replaced by id's value of row cid - 1, its name and
   type kept), cdate and camt, consumed (unreferenced either way). NULL with err set
   (CV_ERR_NOMEM). Shared with the time-varying covariates' simulation (model_dyncov_sim.c). */
cv_table *cv_gen_table(cv_column *cid, cv_column *cdate, cv_column *camt, const cv_column *id,
                       cv_error *err);

#endif
