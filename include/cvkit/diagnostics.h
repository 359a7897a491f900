/* cvkit model diagnostics: the standard checks of a fitted customer-base model, as numbers
   (src/core/model_diagnostics.c): the calibration frequency histogram (model vs actual),
   holdout transactions by calibration frequency and by recency, P(alive) and conditional
   expectations over a frequency x recency grid, the fitted heterogeneity distributions,
   Gamma-Gamma's spend distribution and one customer's P(alive) history. Lua composes the
   report section (lua/cv/diagnostics.lua); docs/models.md, "Diagnostics". */
#ifndef CVKIT_DIAGNOSTICS_H
#define CVKIT_DIAGNOSTICS_H

#include <stddef.h>

#include "cvkit/clv.h"
#include "cvkit/error.h"
#include "cvkit/models.h"

/* P(X(t) = k) of a customer who has just made the first purchase: the model's own
   CV_PRED_PMF (BG/BB: t a whole number of periods); for Pareto/NBD, where the closed form
   is not computable (s and beta at the boundary), cv_diag_pmf_pnbd_quad. NaN for other models or
   arguments out of range. */
double cv_diag_pmf(const cv_model *model, const double *p, double t, double k);

/* Pareto/NBD's P(X(t) = k) by quadrature over the customer's lifetime (p = {r, alpha, s,
   beta}): the fallback of cv_diag_pmf. */
double cv_diag_pmf_pnbd_quad(const double *p, double t, double k);

/* The calibration frequency histogram of d (weights d->w, NULL: 1 each): actual[k] the
   customers with k repeat transactions, expected[k] the sum over customers of
   P(X(T_i) = k) given each one's own age T_i (computed once per distinct T), for k = 0 ..
   kmax - 1; [kmax] holds kmax or more (kmax + 1 entries each). Both sum to the number of
   customers. Returns 0; CV_ERR_USAGE when the model has no frequency distribution (sBG,
   Gamma-Gamma), kmax is outside 1..1000 or a row is invalid (the model's check);
   CV_ERR_DOMAIN when a probability is not computable; CV_ERR_NOMEM. */
int cv_diag_histogram(const cv_model *model, const double *p, const cv_model_data *d, int kmax,
                      double *expected, double *actual, cv_error *err);

/* How cv_diag_holdout groups the customers. */
typedef enum cv_diag_by {
    CV_DIAG_BY_FREQUENCY = 0, /* group k = x == k (k < ngroups - 1), the last x >= ngroups - 1 */
    CV_DIAG_BY_RECENCY        /* group 0 = no repeat purchase (x == 0); groups 1 .. ngroups - 1
                                 split (0, max T] into equal widths by t_x */
} cv_diag_by;

/* Holdout transactions by group of customers. For group g (ngroups entries each): lo[g],
   hi[g] the bounds of x or t_x (the values seen: lo > hi when the group is empty),
   n[g] the customers, actual[g] and expected[g] the sums of the holdout transactions
   (holdout[i], d->n of them) and of the conditional expectation E[Y(t_holdout) | x, t_x,
   T] (BG/BB: t_holdout periods). Returns 0; CV_ERR_USAGE (a model without conditional
   expectations, ngroups outside 2..1000, t_holdout not positive, a negative holdout count,
   recency groups without d->t_x);
   CV_ERR_DOMAIN (an expectation not computable); CV_ERR_NOMEM. */
int cv_diag_holdout(const cv_model *model, const double *p, const cv_model_data *d,
                    const double *holdout, double t_holdout, cv_diag_by by, int ngroups, double *lo,
                    double *hi, double *n, double *actual, double *expected, cv_error *err);

/* The prediction kind (CV_PRED_P_ALIVE or CV_PRED_CONDITIONAL with arg) of a customer of
   age T over a grid: frequency xs[i] = i (i < nx), recency txs[j] (nr of them); out[i * nr +
   j]. Continuous-time models: txs[j] = (j + 0.5) T / nr, the middle of nr equal bins of
   [0, T]; a customer without repeat purchases has no recency, so row x = 0 repeats the
   value at t_x = 0. BG/BB: T a whole number of periods n, nr = n + 1, txs[j] = j, and the
   cells that cannot occur (x > t_x, or x = 0 < t_x) are NaN. Returns 0; CV_ERR_USAGE (a kind
   the model does not offer, T not positive, nx or nr outside 1..1000, BG/BB with nr != T +
   1); CV_ERR_DOMAIN when no cell was computable. */
int cv_diag_matrix(const cv_model *model, const double *p, cv_pred kind, double T, int nx, int nr,
                   double arg, double *xs, double *txs, double *out, cv_error *err);

/* One heterogeneity (mixing) distribution of a fitted model. */
typedef struct cv_diag_mixing {
    const char *name; /* what varies: "lambda", "p", "mu", "theta", "nu" */
    int beta;         /* 1: Beta(a, b) on (0, 1); 0: Gamma(shape a, rate b) */
    double a, b;
    double mean, sd;
} cv_diag_mixing;

/* The mixing distributions of model at p into out (at most 2): BG/NBD and MBG/NBD lambda
   ~ Gamma(r, alpha), p ~ Beta(a, b); Pareto/NBD lambda ~ Gamma(r, alpha), mu ~ Gamma(s,
   beta); NBD lambda; BG/BB p ~ Beta(alpha, beta), theta ~ Beta(gamma, delta); sBG theta
   ~ Beta(alpha, beta); Gamma-Gamma nu ~ Gamma(q, gamma). Returns their number. */
int cv_diag_mixings(const cv_model *model, const double *p, cv_diag_mixing out[2]);

/* The density of m at v (0 outside its support). */
double cv_diag_density(const cv_diag_mixing *m, double v);

/* Gamma-Gamma (p = {p, q, gamma}): the distribution of the customers' mean repeat spend,
   model vs actual, over the customers of d with x > 0 (weighted). nb bins: bin 0 = [0,
   cuts[0]), bin k = [cuts[k-1], cuts[k]), bin nb - 1 = [cuts[nb-2], infinity) (cuts
   ascending, nb - 1 of them). expected[k] = sum over customers of P(mean spend in bin k |
   x_i), from the model's marginal law (x m / (gamma + x m) ~ Beta(p x, q)); actual[k] the
   customers whose d->m falls there. Returns 0; CV_ERR_USAGE (nb outside 2..1000, cuts not
   ascending and positive, a row Gamma-Gamma's check refuses); CV_ERR_NOMEM. */
int cv_diag_spend(const double *p, const cv_model_data *d, const double *cuts, int nb,
                  double *expected, double *actual, cv_error *err);

/* One customer's P(alive) history: the repeat purchases at times purch[0 .. k-1] since the
   first purchase (ascending; BG/BB: the periods, whole numbers), P(alive) at each time
   t[j] (n of them, >= 0) as it was known then: frequency = purchases at or before t[j],
   recency = the last of them, age = t[j]; 1 at t[j] = 0. Returns 0; CV_ERR_USAGE (a model
   without P(alive), purchases not ascending or negative, a negative time); out[j] NaN
   where not computable. */
int cv_diag_palive_path(const cv_model *model, const double *p, const double *purch, size_t k,
                        const double *t, size_t n, double *out, cv_error *err);

/* ---- On a summary table (the columns of cols, cv_model_rows_from_table) ---------------- */

/* cv_diag_histogram over the rows of s. Errors as cv_model_rows_from_table's and
   cv_diag_histogram's. */
int cv_diag_histogram_table(const cv_model *model, const double *p, const cv_table *s,
                            const cv_model_cols *cols, int kmax, double *expected, double *actual,
                            cv_error *err);

/* cv_diag_holdout over the rows of s, the holdout counts from its column holdout (NULL:
   "x_holdout"); recency groups read the column t_x for every model. */
int cv_diag_holdout_table(const cv_model *model, const double *p, const cv_table *s,
                          const cv_model_cols *cols, const char *holdout, double t_holdout,
                          cv_diag_by by, int ngroups, double *lo, double *hi, double *n,
                          double *actual, double *expected, cv_error *err);

/* cv_diag_spend over the rows of s (Gamma-Gamma's columns x and m). */
int cv_diag_spend_table(const double *p, const cv_table *s, const cv_model_cols *cols,
                        const double *cuts, int nb, double *expected, double *actual,
                        cv_error *err);

#endif
