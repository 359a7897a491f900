/* cvkit Monte Carlo and root finding: distributions of uncertain inputs drawn with the
   models' generator (cv_rng: the same numbers on every machine), a textbook formula run
   over many draws in C, summaries of the results (percentiles, probability below a
   threshold, histogram), and a bracketing root finder (Brent) for break-even values. */
#ifndef CVKIT_MONTECARLO_H
#define CVKIT_MONTECARLO_H

#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/formulas.h"
#include "cvkit/models.h"

/* ---- Distributions ----------------------------------------------------------------------- */

typedef enum cv_dist_kind {
    CV_DIST_FIXED = 0,  /* p[0] always (draws nothing from the generator) */
    CV_DIST_UNIFORM,    /* min p[0], max p[1] */
    CV_DIST_NORMAL,     /* mean p[0], standard deviation p[1] */
    CV_DIST_LOGNORMAL,  /* exp(N(p[0], p[1])): mean and sd of the logarithm */
    CV_DIST_TRIANGULAR, /* min p[0], mode p[1], max p[2] */
    CV_DIST_BETA,       /* shapes a = p[0], b = p[1], on [0, 1] */
    CV_DIST_RESAMPLE    /* one of values[0..nvalues), each equally likely */
} cv_dist_kind;

/* An uncertain input. lo and hi clamp every draw (use -INFINITY and INFINITY, or
   cv_dist_init, for none): a normal retention rate can be kept inside [0, 1]. */
typedef struct cv_dist {
    cv_dist_kind kind;
    double p[3];
    double lo, hi;
    const double *values; /* CV_DIST_RESAMPLE: borrowed, must outlive the draws */
    int64_t nvalues;
} cv_dist;

/* A distribution of kind with parameters p0, p1, p2 and no clamp. */
cv_dist cv_dist_init(cv_dist_kind kind, double p0, double p1, double p2);
/* The kind named "fixed", "uniform", "normal", "lognormal", "triangular", "beta" or
   "resample"; -1 when unknown. cv_dist_name is the inverse. */
int cv_dist_parse(const char *name);
const char *cv_dist_name(cv_dist_kind kind);
/* Checks the parameters: 0, or CV_ERR_DOMAIN with a message such as "uniform: min 5 must be
   below max 1", "normal: sd must be >= 0, got -1", "resample: no values". */
int cv_dist_check(const cv_dist *d, cv_error *err);
/* One draw (d must have passed cv_dist_check). */
double cv_dist_draw(const cv_dist *d, cv_rng *rng);

/* Fills out[i * k + j] (i < n draws, j < k inputs) with draws of d[j], seeded with seed:
   draw i takes its inputs in order j = 0..k-1, so a seed gives the same table on every
   machine and cv_mc_formula with the same distributions gives the same inputs.
   0, or CV_ERR_DOMAIN from cv_dist_check naming input j ("input 2: ..."). */
int cv_mc_draw(const cv_dist *d, int k, int64_t n, uint64_t seed, double *out, cv_error *err);

/* Runs formula f n times: input i is x[i] when d[i].kind is CV_DIST_FIXED (or d is NULL),
   else a draw of d[i] (drawn in input order, as cv_mc_draw does for the non-fixed inputs
   alone). out[0..n) gets the result of each draw; a draw outside the formula's domain
   (a retention of 1.2) gives NaN in out and counts in *rejected (may be NULL). When draws
   is not NULL, draws[r * m + j] gets the value of the j-th uncertain input of draw r
   (m = the number of non-fixed inputs). The list input of a formula cannot be uncertain.
   0, or CV_ERR_USAGE (a list formula, n < 1) / CV_ERR_DOMAIN (a bad distribution, a fixed
   input outside its domain). */
int cv_mc_formula(const cv_formula *f, const double *x, const cv_dist *d, int64_t n, uint64_t seed,
                  double *out, double *draws, int64_t *rejected, cv_error *err);

/* ---- Summaries ----------------------------------------------------------------------------- */

typedef struct cv_mc_summary {
    int64_t n;       /* finite values summarized */
    int64_t missing; /* NaN values left out */
    double mean, sd; /* sd: sample (n - 1); 0 for one value */
    double min, max;
    double p5, p25, p50, p75, p95; /* quantiles, type 7 (linear interpolation, as R) */
} cv_mc_summary;

/* Sorts v[0..n) ascending in place (NaNs moved to the end) and summarizes it. Returns 0,
   or CV_ERR_DOMAIN when no value is finite (s->n is then 0), CV_ERR_NOMEM. */
int cv_mc_summarize(double *v, int64_t n, cv_mc_summary *s, cv_error *err);
/* The q-quantile (0 <= q <= 1, type 7) of sorted[0..n), n >= 1, no NaNs. */
double cv_mc_quantile(const double *sorted, int64_t n, double q);
/* The share of sorted[0..n) strictly below threshold (0 when n == 0). */
double cv_mc_prob_below(const double *sorted, int64_t n, double threshold);
/* Counts sorted[0..n) into bins equal bins over [lo, hi] (hi falls in the last bin; values
   outside are not counted). counts has bins slots. Any finite lo < hi works, also when
   hi - lo overflows (-1e308 to 1e308). 0, or CV_ERR_USAGE for bins < 1, hi <= lo or a
   bound that is not finite (the message names it). */
int cv_mc_histogram(const double *sorted, int64_t n, int bins, double lo, double hi,
                    int64_t *counts, cv_error *err);

/* ---- Root finding ---------------------------------------------------------------------------- */

/* The function whose root is sought: sets *fx = f(x) and returns 0, or returns non-zero to
   stop the search (that value is then returned by cv_root_find, and err is the callback's
   to fill). */
typedef int (*cv_root_fn)(void *ud, double x, double *fx);

typedef struct cv_root_result {
    double x, fx;  /* the root and f there */
    double fa, fb; /* f at the ends of the range */
    double lo, hi; /* the bracket where the sign changed */
    int evals;     /* calls of f */
} cv_root_result;

/* Finds x in [a, b] with f(x) = 0: evaluates f at a, b and scan - 1 evenly spaced points
   between (scan >= 1), takes the first sub-interval from a where f changes sign (or a
   grid point where f is 0), and narrows it with Brent's method (inverse quadratic
   interpolation, secant and bisection; Brent 1973, "zeroin") to |width| <= xtol (xtol <= 0:
   1e-10 × (|a| + |b|) or 1e-12). Returns 0 with r filled; CV_ERR_DOMAIN when f has the same
   sign at every grid point ("no crossing between a and b: f goes from fa to fb", with
   r->fa and r->fb set) or is NaN somewhere ("f is not a number at x = ..."); CV_ERR_USAGE
   for a >= b or non-finite ends; or the callback's non-zero status. */
int cv_root_find(cv_root_fn f, void *ud, double a, double b, int scan, double xtol,
                 cv_root_result *r, cv_error *err);

#endif
