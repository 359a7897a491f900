/* cvkit model predictions on summary tables: every customer's P(alive), expectations,
   DERT, expected spend and CLV as new columns; validation against a holdout period
   (frequency buckets, MAE, RMSE, Brier score), cohort tracking of repeat transactions from
   the transactions, and synthetic transactions drawn from a model (cvkit gen).
   Builds on include/cvkit/models.h (the models), summary.h (the summary table), units.h (its
   time units) and timevalue.h (the one discounting system). See docs/models.md.
   One file per job: src/core/model_predict.c (rows and prediction columns), model_clv.c,
   model_validate.c, model_tracking.c, model_simulate.c. */
#ifndef CVKIT_CLV_H
#define CVKIT_CLV_H

#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/models.h"
#include "cvkit/table.h"
#include "cvkit/units.h"

/* The columns of a summary table a model reads; NULL fields take the names cv_summary
   writes: "x", "t_x", "T", "mean_repeat_spend"; w names an optional column of weights
   (customers per row, as in a BG/BB recency/frequency table; NULL: one a row). */
typedef struct cv_model_cols {
    const char *x, *t_x, *T, *m, *w;
} cv_model_cols;

/* Copies the columns of t that model needs (int or float) and the weights (cols->w) into
   rows owned by out. A missing value is an error ("row 12: missing
   value in column 't_x'"), except mean spend where x = 0 (taken as 0, Gamma-Gamma skips
   those rows). cols may be NULL. Returns 0, CV_ERR_USAGE (a missing column, named with
   the table's columns), CV_ERR_TYPE (not a number column) or CV_ERR_NOMEM. */
int cv_model_rows_from_table(const cv_model *model, const cv_table *t, const cv_model_cols *cols,
                             cv_model_rows *out, cv_error *err);

/* A copy of s with the column name (float) holding prediction kind (cv_model_predict's
   arg, arg2) for every row; rows where the prediction is not computable are missing.
   Computed on cv_threads() threads for large tables (threads.h); CONDITIONAL and DERT are computed
   once per distinct (x, T) as P(alive) times the *_ALIVE prediction. NULL with err set for the
   errors of cv_model_rows_from_table and cv_model_predict (CV_ERR_USAGE). */
cv_table *cv_model_predict_table(const cv_model *model, const double *p, cv_pred kind, double arg,
                                 double arg2, const cv_table *s, const cv_model_cols *cols,
                                 const char *name, cv_error *err);

/* CLV options. Times are in unit (the unit the model was fitted in); the discount rate is
   ANNUAL EFFECTIVE and converted by timevalue.h.
   Value per transaction: spend x margin share, where
     spend  = E[M | x, m] from Gamma-Gamma when spend_params (or spend_row_params: each
              row's own) is set, else the column
              spend, else the number spend_value;
     margin share = the column margin divided by the column revenue (the summary's totals:
              margin from cost data, so it may be negative; 0 when revenue is 0), else the
              number margin_rate (1 when margin_rate_set is 0: value = spend).
   Expected discounted transactions (dtx):
     finite horizon H: sum over periods k = 1..ceil(H) of v^(t_k) (E[Y(t_k)] - E[Y(t_k-1)]),
       t_k = min(k, H), v = 1/(1 + i) with i the per-period rate: each period's expected
       transactions discounted from the period's end (E[Y(t)] the conditional expectation);
     H = INFINITY: DERT at the continuous rate delta = ln(1 + i) per unit, the limit of
       that sum as the periods shrink.
   clv = dtx x spend x margin share. */
typedef struct cv_clv_options {
    cv_time_unit unit;
    double horizon; /* periods of unit, > 0, or INFINITY */
    double discount;
    const double *spend_params; /* Gamma-Gamma p, q, gamma, or NULL */
    const char *spend;          /* a column of spend per transaction, or NULL */
    double spend_value;         /* used when both above are NULL */
    const char *margin;         /* a column of margin totals, or NULL */
    const char *revenue;        /* the revenue totals the margin is a share of (NULL: "revenue") */
    double margin_rate;
    int margin_rate_set;
    /* each row's own model parameters, nparams per row in row order (a fit with
       covariates, cv_cov_params_rows in covariates.h), or NULL: p for every row */
    const double *row_params;
    /* each row's own Gamma-Gamma p, q, gamma, 3 per row in row order (a spend model with
       covariates, cv_cov_params_rows), or NULL: spend_params for every row */
    const double *spend_row_params;
    /* > 0: also the column conditional, E[Y(t) | x, t_x, T] at t = conditional (the
       CONDITIONAL prediction), computed with the rest (P(alive) once per distinct row) */
    double conditional;
} cv_clv_options;

/* cv_clv_options has the field conditional (since issue 18; for programs built against
   several versions, such as tests/bench/bench_models.c) */
#define CV_CLV_CONDITIONAL 1

/* A copy of s with the columns p_alive, (conditional when o->conditional > 0,) dtx
   (expected discounted transactions), spend (per transaction), margin_share, value_tx
   (spend x margin share) and clv. model is BG/NBD, MBG/NBD or Pareto/NBD. P(alive), the
   expectations and dtx are computed once per distinct (x, t_x, T) (their parts for an alive
   customer once per distinct (x, T)) and shared; the money part row by row. NULL with err set: a
   model without CLV, a horizon <= 0, a discount rate <= -1, missing columns, a prediction not
   computable (named by row). */
cv_table *cv_model_clv_table(const cv_model *model, const double *p, const cv_table *s,
                             const cv_model_cols *cols, const cv_clv_options *o, cv_error *err);

/* What a holdout validation found. Per customer i: actual a_i = x_holdout, expected
   e_i = E[Y(t*) | x, t_x, T], P(alive) p_i, active_i = 1 when a_i > 0. */
typedef struct cv_validation {
    double customers;        /* rows */
    double actual, expected; /* sums of a_i and e_i */
    double mae, rmse;        /* mean |a_i - e_i|, sqrt of the mean (a_i - e_i)^2 */
    double brier;            /* mean (p_i - active_i)^2 */
    double active;           /* customers with a_i > 0 */
    double p_alive;          /* sum of p_i */
} cv_validation;

/* Validates model at p on the summary s against its holdout column (NULL: "x_holdout")
   over a holdout of t_holdout units. Returns the calibration-vs-holdout table by frequency
   bucket: x (int, 0..max_bucket, the last also every x above), customers (int),
   actual, expected (means per customer in the bucket), actual_total, expected_total; v
   (if not NULL) gets the totals. NULL with err set. */
cv_table *cv_model_validate(const cv_model *model, const double *p, const cv_table *s,
                            const cv_model_cols *cols, const char *holdout, double t_holdout,
                            int max_bucket, cv_validation *v, cv_error *err);

/* Tracking of the cohort's repeat transactions over time. */
typedef struct cv_tracking_options {
    const char *customer, *date; /* columns of the transactions (date: date or datetime) */
    cv_time_unit unit;           /* the unit the model was fitted in */
    int32_t calibration_end;     /* customers first buying on or before it form the cohort */
    int32_t end;                 /* last day tracked (end_set), else the last purchase */
    int end_set;
    int period_days; /* days per period (0: 7, weekly) */
} cv_tracking_options;

/* From the transactions tx (same-day purchases of a customer are one transaction, as in
   cv_summary_table): periods of period_days days starting at the cohort's earliest first
   purchase d0; columns period (int, 1..), end (date: the period's last day), days (int: the
   days the period covers, period_days except for a last period cut short by the end), actual
   (repeat transactions of the cohort in the period), expected (sum over the cohort of
   E[X(t_ik)] - E[X(t_i,k-1)], t_ik the time from customer i's first purchase to the end of
   period k in unit, 0 before it), actual_cum, expected_cum. The expectation is computed once
   per distinct first-purchase day. NULL with err set. */
cv_table *cv_model_tracking(const cv_model *model, const double *p, const cv_table *tx,
                            const cv_tracking_options *o, cv_error *err);

/* Synthetic transactions (cvkit gen). */
typedef struct cv_gen_options {
    uint64_t seed;
    int32_t start;       /* first day of the acquisition window */
    int cohort_days;     /* first purchases uniform over [start, start + cohort_days) (>= 1) */
    int32_t end;         /* the last day of the data (> start + cohort_days - 1) */
    cv_time_unit unit;   /* the unit the parameters are in */
    const double *spend; /* Gamma-Gamma p, q, gamma for the amounts, or NULL: every amount 1 */
} cv_gen_options;

/* n customers (ids 1..n) drawn from model at p (BG/NBD, MBG/NBD, Pareto/NBD): the first
   purchase on a uniform day of the window, the repeat purchases by the model's story up to
   end (T = cv_time_between(first, end, unit)); the last repeat purchase at t_x, the others
   uniform on (0, t_x) as a Poisson process's are; times turned into days by the unit's mean
   length (floor), amounts from the Gamma-Gamma story (rounded to cents, at least 0.01).
   Rows come by customer, then date; columns customer (int), date (date), amount (float).
   Purchases that land on one day stay separate rows (a summary merges them). NULL with err
   set. */
cv_table *cv_model_simulate_tx(const cv_model *model, const double *p, size_t n,
                               const cv_gen_options *o, cv_error *err);

#endif
