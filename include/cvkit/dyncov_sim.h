/* cvkit simulation of the Pareto/NBD with time-varying covariates (the model of
   include/cvkit/dyncov.h): each customer's purchases and dropout drawn exactly under rates
   that change at each period start, by inverting the piecewise-linear cumulative hazards.
   See docs/models.md, "Simulating customers with covariates". */
#ifndef CVKIT_DYNCOV_SIM_H
#define CVKIT_DYNCOV_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "cvkit/dyncov.h"
#include "cvkit/table.h"
#include "cvkit/units.h"

/* Draws (owned; cv_dyncov_draws_free): customer i made x[i] repeat purchases, the last at
   t_x[i] (0 when none), at times ttime[tbeg[i] .. tbeg[i+1]) (increasing, in (0, T[i]]). */
typedef struct cv_dyncov_draws {
    size_t n;
    double *x, *t_x;
    size_t *tbeg; /* n + 1 */
    double *ttime;
} cv_dyncov_draws;

/* Draws the n customers of d at theta = (log r, log alpha, log s, log beta, the ncoef
   coefficients of spec): lambda ~ Gamma(r, alpha) and mu ~ Gamma(s, beta) (the order of
   cv_model_simulate's Pareto/NBD draws), the dropout at the time tau where mu C(tau) = E, E
   a unit exponential and C(t) the integral of exp(g_life' z(u)) over (0, t], the purchases the
   points where lambda A(t) passes the arrivals of a unit-rate Poisson process (A the integral
   of exp(g_trans' z(u))), before min(tau, T[i]). d's T, pbeg, pstart, pend (NULL: pstart + 1),
   z and ncov are read (x, t_x, tbeg, ttime are not): the periods must cover (0, T[i]] without
   gaps. With coefficients 0 the draws are cv_model_simulate's (pareto_nbd at exp(theta), the
   same seed) to rounding. Deterministic for a seed. 0, CV_ERR_USAGE ("customer 3: the periods
   do not cover 0 to T = 40 without gaps", "customer 3: covariate 2 is not finite in period
   5", a spec naming a column >= ncov, too many coefficients, parameters not finite),
   CV_ERR_NOMEM, CV_ERR_LIMIT (cancelled; looked at every 4096 customers). out is filled only
   on 0. */
int cv_dyncov_simulate(const cv_dyncov_data *d, const cv_dyncov_spec *spec, const double *theta,
                       uint64_t seed, cv_dyncov_draws *out, cv_error *err);
void cv_dyncov_draws_free(cv_dyncov_draws *dr);

/* The first purchase days of n customers into first[n]: uniform over [start, start +
   cohort_days) (cohort_days >= 1), as cv_model_simulate_tx draws them, from the stream of
   seed xor a constant (so they are independent of cv_dyncov_simulate's draws with seed). */
void cv_dyncov_first_days(uint64_t seed, size_t n, int32_t start, int cohort_days, int32_t *first);

/* Transactions of the n customers of d drawn by cv_dyncov_simulate (seed), customer i's times
   counted from its first purchase on day first[i] in unit (day or week): a row on that day,
   then one per repeat purchase on day first[i] + floor(t * days of the unit) (at most end).
   Columns customer (int 1..n, or id's values of row i, its name and type kept: id has n
   rows or is NULL), date, amount (1). NULL with err set: cv_dyncov_simulate's errors,
   CV_ERR_USAGE for another unit ("dyncov: transactions are drawn in days or weeks, not
   month"), an id of other than n rows. */
cv_table *cv_dyncov_simulate_tx(const cv_dyncov_data *d, const cv_dyncov_spec *spec,
                                const double *theta, uint64_t seed, const int32_t *first,
                                int32_t end, cv_time_unit unit, const cv_column *id, cv_error *err);

#endif
