/* cvkit NBD (Ehrenberg 1959; Morrison & Schmittlein 1988): the no-dropout baseline of the
   customer-base models, as BTYDplus's nbd.LL has it. Every customer buys for ever at a
   Poisson rate lambda, lambda ~ Gamma(r, alpha) across customers; the data are the repeat
   purchases x in the age T (t_x is not read). Likelihood with analytic gradient, start
   values, predictions (P(alive) = 1) and simulation; docs/models.md, "NBD". */
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>

static const char *const names[] = {"r", "alpha"};

/* x a whole number >= 0, T >= 0, and T = 0 only with x = 0 (a customer first seen on the
   last day has likelihood 1 and is left out of N by the fit). */
static int check(const cv_model_data *d, size_t *row, const char **why)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        double x = d->x[i], T = d->T[i];
        *row = i;
        if (!(x >= 0.0) || x != floor(x) || !isfinite(x)) {
            *why = "frequency x must be a whole number >= 0";
            return -1;
        }
        if (!(T >= 0.0) || !isfinite(T)) {
            *why = "age T must be >= 0";
            return -1;
        }
        if (T == 0.0 && x > 0.0) {
            *why = "age T must be above 0 when x > 0";
            return -1;
        }
    }
    return 0;
}

/* By moments of the customers with T > 0: the rate r/alpha = mean x / mean T, and r from
   the overdispersion of x, Var x = E x (1 + E x / r) at the mean age (r = 1 when x is not
   overdispersed). */
static void start(const cv_model_data *d, double *p)
{
    double sw = 0, sx = 0, sT = 0, sxx = 0, mx, v;
    size_t i;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        if (!(d->T[i] > 0.0))
            continue;
        sw += w, sx += w * d->x[i], sT += w * d->T[i], sxx += w * d->x[i] * d->x[i];
    }
    if (!(sw > 0.0) || !(sx > 0.0)) {
        p[0] = 1.0, p[1] = 1.0;
        return;
    }
    mx = sx / sw;
    v = sxx / sw - mx * mx;
    p[0] = v > mx ? fmin(fmax(mx * mx / (v - mx), 1e-3), 1e3) : 1.0;
    p[1] = p[0] * sT / sx;
}

/* One customer: log L = lgamma(r+x) - lgamma(r) + r log(alpha) - (r+x) log(alpha+T) (the
   density of the purchase times, BTYDplus's nbd.LL; the count form adds x log T -
   log x!, which does not depend on the parameters). Gradient:
     d/dr     = digamma(r+x) - digamma(r) + log(alpha) - log(alpha+T)
     d/dalpha = r/alpha - (r+x)/(alpha+T) */
static int loglik(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    const double r = p[0], al = p[1], lal = log(al), lgr = cv_lgamma(r);
    const double pr = grad ? cv_digamma(r) : 0.0;
    double sum = 0.0, g0 = 0.0, g1 = 0.0, cx = NAN, lgrx = 0.0, prx = 0.0;
    size_t i;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], T = d->T[i];
        double lat;
        if (w == 0.0)
            continue;
        if (x != cx) { /* kept while x repeats: collapsed rows come sorted by x */
            cx = x;
            lgrx = cv_lgamma(r + x);
            prx = grad ? cv_digamma(r + x) : 0.0;
        }
        lat = log(al + T);
        sum += w * (lgrx - lgr + r * lal - (r + x) * lat);
        if (grad) {
            g0 += w * (prx - pr + lal - lat);
            g1 += w * (r / al - (r + x) / (al + T));
        }
    }
    *ll = sum;
    if (grad)
        grad[0] = g0, grad[1] = g1;
    return isfinite(sum) ? 0 : -1;
}

/* The negative binomial P(N(t) = k) = Gamma(r+k)/(Gamma(r) k!) (a/(a+t))^r (t/(a+t))^k of a
   Poisson count with rate ~ Gamma(r, a); NaN for k not a whole number >= 0. */
static double nb_pmf(double r, double al, double t, double k)
{
    if (!(t >= 0.0) || !(k >= 0.0) || k != floor(k))
        return NAN;
    if (t == 0.0)
        return k == 0.0 ? 1.0 : 0.0;
    return exp(cv_lgamma(r + k) - cv_lgamma(r) - cv_lgamma(k + 1.0) + r * log(al / (al + t)) +
               k * log(t / (al + t)));
}

/* The posterior of lambda after x purchases in T is Gamma(r + x, alpha + T): a customer's
   expected rate is (r + x) / (alpha + T), and nobody drops out. */
static double predict(const double *p, cv_pred kind, double x, double tx, double T, double m,
                      double arg, double arg2)
{
    const double r = p[0], al = p[1], t = arg;
    (void)tx, (void)m;
    switch (kind) {
    case CV_PRED_P_ALIVE:
        return 1.0;
    case CV_PRED_EXPECTED: /* E[X(t)] = r t / alpha */
        return t >= 0.0 ? r * t / al : NAN;
    case CV_PRED_CONDITIONAL: /* E[Y(t) | x, T] = (r + x) t / (alpha + T), P(alive) = 1 */
    case CV_PRED_CONDITIONAL_ALIVE:
        return t >= 0.0 ? (r + x) * t / (al + T) : NAN;
    case CV_PRED_DERT: /* int_0^inf e^(-delta t) (r + x) / (alpha + T) dt */
    case CV_PRED_DERT_ALIVE:
        return arg > 0.0 ? (r + x) / ((al + T) * arg) : NAN;
    case CV_PRED_PMF: /* NBD: Gamma(r+k)/(Gamma(r) k!) (a/(a+t))^r (t/(a+t))^k */
        return nb_pmf(r, al, t, arg2);
    case CV_PRED_PMF_CONDITIONAL: /* the same at the posterior Gamma(r+x, alpha+T) */
        return nb_pmf(r + x, al + T, t, arg2);
    case CV_PRED_P_ACTIVE: /* 1 - ((alpha+T)/(alpha+T+t))^(r+x) */
        return t >= 0.0 ? -expm1(-(r + x) * log1p(t / (al + T))) : NAN;
    default:
        return NAN;
    }
}

/* One customer: lambda ~ Gamma(r, alpha), then Poisson purchases at rate lambda in (0, T]:
   x of them, the last at t_x (0 when none). */
static void simulate(const double *p, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    const double lambda = cv_rng_gamma(rng, p[0]) / p[1];
    double now = 0.0, n = 0.0, last = 0.0;
    for (;;) {
        now += cv_rng_exp(rng) / lambda;
        if (!(now <= T))
            break;
        n += 1.0;
        last = now;
    }
    *x = n;
    *tx = last;
    *m = 0.0;
}

const cv_model cv_model_nbd = {
    "nbd",
    "NBD (Ehrenberg 1959)",
    2,
    names,
    CV_NEED_X | CV_NEED_T,
    (1u << CV_PRED_P_ALIVE) | (1u << CV_PRED_EXPECTED) | (1u << CV_PRED_CONDITIONAL) |
        (1u << CV_PRED_PMF) | (1u << CV_PRED_DERT) | (1u << CV_PRED_CONDITIONAL_ALIVE) |
        (1u << CV_PRED_DERT_ALIVE) | (1u << CV_PRED_PMF_CONDITIONAL) | (1u << CV_PRED_P_ACTIVE),
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path: predict is already closed-form */
};
