/* cvkit time-varying (dynamic) covariates for the Pareto/NBD, the model of CLVTools' pnbd with
   dynamic covariates (Bachmann, Meierer & Naef, Marketing Science 2021). A customer's
   covariates z(t) are constant within each period (one time unit long, e.g. a week) and
   change between periods. Given the individual rates lambda and mu,
     purchase rate  lambda exp(g_trans' z(t)),   lambda ~ Gamma(r, alpha)
     dropout rate   mu exp(g_life' z(t)),         mu ~ Gamma(s, beta)
   so with a period's covariates held for all time this is the time-invariant model of
   include/cvkit/covariates.h (alpha_i = alpha exp(-g_trans' z)). With A(t), C(t) the
   integrals of exp(g_trans' z) and exp(g_life' z) from the first purchase to t, a customer's
   likelihood is
     Gamma(r+x)/Gamma(r) alpha^r beta^s exp(g_trans' sum_j z(t_j)) [ (alpha+A(T))^-(r+x)
       (beta+C(T))^-s + s int_{t_x}^T c(u) (alpha+A(u))^-(r+x) (beta+C(u))^-(s+1) du ]
   (t_j the repeat purchases), the integral a sum over the pieces of (t_x, T] on which z is
   constant, each a difference of Gauss hypergeometric functions (or, where that difference
   cancels, Gauss-Legendre quadrature). See docs/models.md, "Covariates that change over
   time". */
#ifndef CVKIT_DYNCOV_H
#define CVKIT_DYNCOV_H

#include <stddef.h>

#include "cvkit/covariates.h"
#include "cvkit/error.h"
#include "cvkit/intervals.h"
#include "cvkit/models.h"
#include "cvkit/optim.h"

/* Customers and their covariate periods (borrowed). Times are in the model's time unit,
   counted from each customer's first purchase. Customer i made x[i] repeat purchases, the
   last at t_x[i], and is observed until T[i]; the repeat purchases are at
   ttime[tbeg[i] .. tbeg[i+1]) (x[i] of them, increasing, in (0, T[i]]); its periods start
   at pstart[pbeg[i] .. pbeg[i+1]) and end at pend[..] (NULL: pstart + 1, one time unit;
   calendar months in the unit month are not all one unit long from a customer's first
   purchase): contiguous (each starts where the one before ends), the first starting at or
   before 0, the last ending at or after T[i]; the ncov covariates of period p at
   z[p * ncov ..]. */
typedef struct cv_dyncov_data {
    size_t n, ncov;
    const double *x, *t_x, *T;
    const size_t *tbeg;
    const double *ttime;
    const size_t *pbeg;
    const double *pstart, *pend; /* pend NULL: pstart + 1 */
    const double *z;
} cv_dyncov_data;

/* The coefficients: coefficient c acts on the processes proc[c] (CV_COV_TRANS, CV_COV_LIFE
   or both) through covariate column col[c] (< ncov). */
typedef struct cv_dyncov_spec {
    size_t ncoef;
    const unsigned *proc;
    const size_t *col;
} cv_dyncov_spec;

/* Prepared data (owned; cv_dyncov_prep_free): each customer's pieces of (0, t_x] and
   (t_x, T], consecutive periods with equal covariates merged. */
typedef struct cv_dyncov_prep cv_dyncov_prep;

/* Checks d and prepares it. NULL with err set: CV_ERR_USAGE "customer 3: 2 repeat
   purchases listed, x = 3", "customer 3: no covariates for the period at 12.0 (periods must
   cover the first purchase to T without gaps)", "customer 3: covariate 2 is NaN in period
   5"; CV_ERR_NOMEM. Customers are 0-based in the messages' source order + 1. */
cv_dyncov_prep *cv_dyncov_prepare(const cv_dyncov_data *d, cv_error *err);
void cv_dyncov_prep_free(cv_dyncov_prep *p);

/* The customers of p. */
size_t cv_dyncov_prep_n(const cv_dyncov_prep *p);

/* The log-likelihood at theta = (log r, log alpha, log s, log beta, the ncoef coefficients)
   into *ll; per customer into ll_i[n] when not NULL. 0, or CV_ERR_DOMAIN (not finite). */
int cv_dyncov_loglik(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                     double *ll, double *ll_i, cv_error *err);

/* The log-likelihood (*ll) and its gradient by theta (grad[4 + ncoef]) at theta: the
   pieces' terms differentiated analytically (the hypergeometric differences by their
   parameters with cv_hyp2f1_grad, the quadrature by applying its rule to the integrand's
   derivatives). 0, or CV_ERR_DOMAIN (not finite), CV_ERR_USAGE (too many coefficients). */
int cv_dyncov_loglik_grad(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                          double *ll, double *grad, cv_error *err);

/* P(alive at T) of each customer at theta (as cv_dyncov_loglik) into pa[n]: the alive term
   of the customer's likelihood, Gamma(r+x)/Gamma(r) alpha^r beta^s exp(g_trans' sum_j z(t_j))
   (alpha+A(T))^-(r+x) (beta+C(T))^-s, divided by the likelihood. Needs no covariates after T.
   With coefficients 0 (or covariates constant in time) it is the time-invariant model's
   P(alive) at each customer's own parameters. 0, or CV_ERR_DOMAIN "customer 3: P(alive) is
   not computable". */
int cv_dyncov_p_alive(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                      double *pa, cv_error *err);

/* The conditional expected number of repeat purchases in (T, T+t] of each customer at theta
   into out[n], given the covariates over that period: fut's customers (the same n, in the
   same order) and their periods (fut->pbeg, pstart, pend, z with fut->ncov == the fit's
   ncov; times from each customer's first purchase as in d; fut's x, t_x, T, tbeg and ttime
   are not read), which must cover (T[i], T[i] + t] without gaps (periods before T are
   skipped). Given alive at T, lambda ~ Gamma(r+x, alpha+A(T)) and mu ~ Gamma(s, beta+C(T))
   independently, so
     E = P(alive) (r+x)/(alpha+A(T)) sum_k a_k int_k ((beta+C(T))/(beta+C(u)))^s du
   over the pieces k of constant covariates (a_k = exp(g_trans' z_k), c_k = exp(g_life' z_k),
   C linear on each: closed form, its limit at s = 1 the log form). With covariates constant
   in time it is the time-invariant conditional expectation at each customer's parameters.
   0, CV_ERR_USAGE "customer 3: the future covariate periods do not cover T = 40 to T + t =
   92 without gaps", "the horizon must be >= 0, got -1", "covariate 2 is not a number in
   future period row 7", "future covariates: 3 customers and 2 covariates, 4 and 2
   expected"; CV_ERR_DOMAIN (not computable). */
int cv_dyncov_expected(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                       const cv_dyncov_data *fut, double t, double *out, cv_error *err);

/* The expected discounted repeat purchases of each customer after T at theta into out[n]:
   the integral over (T, T+h] of the purchase rate expected at u given the history,
   E[lambda a(u) 1{alive at u}] = P(alive) (r+x)/(alpha+A(T)) a(u) ((beta+C(T))/(beta+C(u)))^s,
   discounted continuously by exp(-delta (u - T)) (per_period 0), or by unit periods
   (per_period 1): the purchases of (T+k-1, T+k] discounted by exp(-delta min(k, h)), k =
   1..ceil(h), as cv_model_clv_table's finite-horizon dtx (v = exp(-delta)). h = INFINITY
   (continuous, delta > 0): DERT. The covariates after T: fut's periods as
   cv_dyncov_expected's (they must cover (T, T+h] without gaps; a period may end at INFINITY:
   its covariates held for all time), or fut NULL: each customer's covariates of its last
   period before T held for all time. Each piece of constant covariates by 10-point
   Gauss-Legendre on sub-pieces short enough for the integrand to be smooth, the unbounded
   last piece in closed form, a (B/B_k)^s (B_k/c) J(s, z) with z = delta B_k / c and J(s, z) =
   int_0^inf e^-zt (1+t)^-s dt = z^(s-1) U(s, s; z) (U Tricomi's function; a continued
   fraction where z + s >= 3, finite at a dropout side on the boundary, s ~ 10^6). With covariates
   constant in time it is the time-invariant Pareto/NBD's DERT (cv_model_predict's CV_PRED_DERT) and
   finite-horizon dtx at each customer's own parameters. 0, CV_ERR_USAGE (as cv_dyncov_expected;
   "discounted transactions: horizon inf and rate 0 ..."), CV_ERR_DOMAIN (not finite). */
int cv_dyncov_dtx(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                  const cv_dyncov_data *fut, double h, double delta, int per_period, double *out,
                  cv_error *err);

/* The objective the fit minimizes: -LL/N plus the penalty pen (NULL: none; reg's trans and
   life on the coefficients as CLVTools' reg.lambdas, a constrained coefficient in both sums;
   params on the four log-parameters, cv_model_penalty), into *f; its gradient by theta into
   grad when not NULL. 0, CV_ERR_USAGE (a penalty cv_penalty_check refuses), CV_ERR_DOMAIN. */
int cv_dyncov_objective(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const cv_penalty *pen,
                        const double *theta, double *f, double *grad, cv_error *err);

/* Options of the fit (NULL: the defaults, all 0). */
typedef struct cv_dyncov_opts {
    const cv_penalty *pen; /* NULL: maximum likelihood */
    int numeric;           /* 1: central-difference gradient and second-difference
                              information (the check of the analytic ones) */
} cv_dyncov_opts;

/* A fit: est = (r, alpha, s, beta, coefficients), k = 4 + ncoef. */
typedef struct cv_dyncov_fit {
    int k;
    double est[CV_OPTIM_MAXN], se[CV_OPTIM_MAXN]; /* se NaN when the information is not PD */
    double cov[CV_OPTIM_MAXN * CV_OPTIM_MAXN];    /* covariance of theta */
    double eig[CV_OPTIM_MAXN];                    /* eigenvalues of the information, ascending */
    double eigvec[CV_OPTIM_MAXN * CV_OPTIM_MAXN]; /* row-major: column j for eig[j] */
    double loglik, loglik0, aic, bic, n_obs;      /* loglik without the penalty */
    double objective;                             /* the penalized objective at est */
    cv_optim_result optim;
    int status;        /* cv_fit_status */
    unsigned boundary; /* bit j: log-parameter j at the fence |log p| = 20 */
    int se_ok;
} cv_dyncov_fit;

/* The minimum of cv_dyncov_objective (maximum likelihood without a penalty) from the
   Pareto/NBD without covariates (its fit gives loglik0) and coefficients 0, by BFGS on the
   analytic gradient; the information (of the penalized objective, times N) by central
   differences of the gradient (o->numeric: the central-difference gradient, step 1e-5 (1 +
   |theta_j|), and second differences of the objective). Returns 0 (converged), 1 (fit
   filled, not converged or at the boundary; err->msg says why), CV_ERR_USAGE (too many
   coefficients, a penalty cv_penalty_check refuses), CV_ERR_DOMAIN, CV_ERR_NOMEM,
   CV_ERR_LIMIT. */
int cv_dyncov_model_fit(const cv_dyncov_prep *p, const cv_dyncov_spec *spec,
                        const cv_dyncov_opts *o, cv_dyncov_fit *fit, cv_error *err);

/* The profile log-likelihood of component j of (r, alpha, s, beta, coefficients) (0-based):
   for each of the n values, the log-likelihood maximized over the other components with j
   held at the value (natural scale: positive for the four parameters), from est (a fit's
   estimates, natural scale), without the fit's penalty; into ll[n] (NaN beyond the fence
   |log p| <= 20 or where the maximization failed). cv_cov_profile's contract for the
   time-invariant model. 0, CV_ERR_USAGE ("profile: no parameter 7 of 6", "profile: value -1
   is not a positive number"), CV_ERR_LIMIT (cancelled). */
int cv_dyncov_profile(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est, int j,
                      const double *values, size_t n, double *ll, cv_error *err);

/* P(X(t) = n) of a new customer (first purchase at 0) at theta, given the covariates of its
   nper periods (starts pstart, ends pend or NULL: start + 1; ncov covariates each at z[q *
   ncov ..]) covering (0, t] without gaps: with A, C the integrals of exp(g_trans' z) and
   exp(g_life' z) from 0,
     P = NB(n; A(t)) S(t) + int_0^t s c(u)/beta S(u)^((s+1)/s) NB(n; A(u)) du,
   NB(n; A) = Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+A))^r (A/(alpha+A))^n, S(u) = (beta/(beta
   + C(u)))^s (alive at t, or dropped out at u after n purchases), by 10-point Gauss-Legendre
   on short sub-pieces; into *mean (when not NULL) E[X(t)] = r/alpha int_0^t a(u) S(u) du
   (closed form on each piece). With covariates constant in time: the Pareto/NBD's PMF and
   EXPECTED at alpha exp(-g_trans' z), beta exp(-g_life' z). 0, CV_ERR_USAGE ("the covariate
   periods do not cover the first purchase to t = 10 without gaps"), CV_ERR_DOMAIN. */
int cv_dyncov_pmf_new(const cv_dyncov_spec *spec, const double *theta, size_t ncov,
                      const double *pstart, const double *pend, const double *z, size_t nper,
                      double t, unsigned n, double *pmf, double *mean, cv_error *err);

/* P(n purchases in (T, T+t] | history) of each customer at theta into out[n], given fut's
   covariates over (T, T+t] (as cv_dyncov_expected's): 1 - P(alive) (when n = 0) plus
   P(alive) times cv_dyncov_pmf_new's chance with r + x, alpha + A(T), beta + C(T) over the
   future periods (given alive at T the posterior rates are Gamma and independent). With
   covariates constant in time the Pareto/NBD's CV_PRED_PMF_CONDITIONAL at each customer's
   parameters. Errors as cv_dyncov_expected's. */
int cv_dyncov_pmf_conditional(const cv_dyncov_prep *p, const cv_dyncov_spec *spec,
                              const double *theta, const cv_dyncov_data *fut, double t, unsigned n,
                              double *out, cv_error *err);

/* The bootstrap's refit (model_dyncov_boot.c): the minimum of cv_dyncov_objective with
   customer i of p counted wb[i] >= 0 times (-sum wb_i LL_i / sum wb_i plus the penalty pen,
   NULL: none), by the fit's BFGS from start (natural scale, as est) into est, no information.
   With every weight 1 it is cv_dyncov_model_fit's minimum. Returns 0 (converged), 1 (est
   filled, not converged: err->msg says why), CV_ERR_USAGE ("bootstrap refit: no customers
   drawn", a penalty cv_penalty_check refuses), CV_ERR_DOMAIN. */
int cv_dyncov_boot_refit(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const cv_penalty *pen,
                         const double *wb, const double *start, double *est, cv_error *err);

/* What cv_dyncov_intervals gives intervals for (model_dyncov_interval.c): kinds, the bits
   CV_IV_P_ALIVE, CV_IV_CONDITIONAL, CV_IV_DERT and CV_IV_CLV of include/cvkit/intervals.h;
   each prediction as the point predictions of lua/cv/dyncov.lua make it. */
typedef struct cv_dyncov_interval_spec {
    unsigned kinds;
    /* CONDITIONAL over (T, T+horizon]: cv_dyncov_expected on cond (cond_hold 0), or
       cv_dyncov_dtx at rate 0 on cond (NULL: the last covariates held) */
    const cv_dyncov_data *cond;
    int cond_hold;
    double horizon;
    const cv_dyncov_data *dert; /* DERT at delta: cv_dyncov_dtx(dert, INFINITY, delta) */
    double delta;
    /* CLV: cv_dyncov_dtx(clv, clv_horizon, log(1 + clv_rate), per period when the horizon
       is finite) times value[i], each customer's value per transaction (held fixed); with
       a spend model (spend.model the Gamma-Gamma without covariates: its parameters
       spend.p, the covariance of their logarithms spend.cov_log, for the bootstrap the
       data it was fitted on, spend.data and spend.cols) times the customer's expected spend
       E[M | sx[i], sm[i]] at each draw of its parameters too, value[i] then the margin
       share. The spend model's parameters are drawn as cv_model_intervals draws them:
       independently (block-diagonal covariance), its customers resampled and refitted
       (cv_iv_boot_refit) independently of the transaction model's. */
    const cv_dyncov_data *clv;
    double clv_horizon, clv_rate;
    const double *value;
    cv_iv_fit spend;
    const double *sx, *sm;
    /* The bootstrap (method CV_INTERVAL_BOOTSTRAP): the customers the model was fitted on (may
       be p itself) and the fit's penalty (NULL: none), resampled and refitted with
       cv_dyncov_boot_refit */
    const cv_dyncov_prep *fit;
    const cv_penalty *pen;
} cv_dyncov_interval_spec;

/* The intervals of s's predictions of each customer of p and of their totals by the interval
   engine (cv_interval_run, include/cvkit/intervals.h; o its options), the predictions made in
   C at every draw. Asymptotic: parameter draws from N(theta, cov) (theta = log r, log alpha,
   log s, log beta, then the coefficients on their own scale; cov the fit's k x k covariance
   of theta). Bootstrap: the customers of s->fit resampled with replacement (the engine's
   seeded weights), each replicate refitted by cv_dyncov_boot_refit from est (cov not read;
   a refit that fails or does not converge is left out; fewer than half left: CV_ERR_DOMAIN). r
   (free with cv_interval_result_free) holds nout = nk (n + 1) values, nk the kinds asked in bit
   order: kind j's customers at j n .., its total at nk n + j; est at the estimate. With covariates
   constant in time (or 0 and their variance apart) the draws of (r, alpha, s, beta) are
   those of cv_model_intervals' for the Pareto/NBD with the same seed and the same covariance
   of the four. 0, CV_ERR_USAGE (a kind not offered, the bootstrap, cv_interval_run's),
   CV_ERR_DOMAIN, CV_ERR_NOMEM, CV_ERR_LIMIT. */
int cv_dyncov_intervals(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est,
                        const double *cov, const cv_dyncov_interval_spec *s,
                        const cv_interval_options *o, cv_interval_result *r, cv_error *err);

#endif
