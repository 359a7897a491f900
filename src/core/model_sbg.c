/* cvkit shifted-beta-geometric (Fader & Hardie 2007, "How to project customer
   retention"): contractual retention where each customer churns at each renewal with
   probability theta ~ Beta(alpha, beta). Rows: x renewals observed over T periods (x < T:
   churned in period x + 1; x == T: still active). DERL after Fader & Hardie (2010),
   "Customer-base valuation in a contractual setting: the perils of ignoring
   heterogeneity". */
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>

static const char *const names[] = {"alpha", "beta"};

static int check(const cv_model_data *d, size_t *row, const char **why)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        double x = d->x[i], T = d->T[i];
        *row = i;
        if (!(T >= 1.0) || T != floor(T) || !(x >= 0.0) || x != floor(x) || x > T) {
            *why = "need whole numbers 0 <= x (renewals) <= T (periods observed), T >= 1";
            return -1;
        }
    }
    return 0;
}

static void start(const cv_model_data *d, double *p)
{
    (void)d;
    p[0] = 1.0;
    p[1] = 1.0;
}

/* churned in period t = x + 1: P(t) = B(alpha+1, beta+t-1)/B(alpha,beta);
   still active after T periods: S(T) = B(alpha, beta+T)/B(alpha,beta). In logs, without
   lgammas of large arguments (docs/models.md, "Precision"):
     log P(x+1) = -log1p((beta+x)/alpha) + log B(alpha, beta+x)/B(alpha, beta)
     log S(T)   = log B(alpha, beta+T)/B(alpha, beta)
   (cv_lbeta_shift), the derivatives likewise (cv_lbeta_shift_db, cv_digamma_diff). */
static int loglik(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    const double al = p[0], be = p[1];
    double sum = 0.0, ga = 0.0, gb = 0.0;
    size_t i;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], T = d->T[i];
        const double n = x < T ? x : T;
        if (w == 0.0)
            continue;
        sum += w * cv_lbeta_shift(al, be, n);
        if (grad) {
            ga -= w * cv_digamma_diff(al + be, n);
            gb += w * cv_lbeta_shift_db(al, be, n);
        }
        if (x < T) { /* times alpha / (alpha + beta + x) */
            const double bx = be + x;
            sum -= w * log1p(bx / al);
            if (grad) {
                ga += w * bx / (al * (al + bx));
                gb -= w / (al + bx);
            }
        }
    }
    *ll = sum;
    if (grad)
        grad[0] = ga, grad[1] = gb;
    return isfinite(sum) ? 0 : -1;
}

static double predict(const double *p, cv_pred kind, double x, double tx, double T, double m,
                      double arg, double arg2)
{
    const double al = p[0], be = p[1];
    double t = arg, f;
    (void)tx, (void)T, (void)m, (void)arg2;
    switch (kind) {
    case CV_PRED_SURVIVAL: /* S(t) = B(alpha, beta+t)/B(alpha, beta) */
        return t >= 0.0 ? exp(cv_lbeta(al, be + t) - cv_lbeta(al, be)) : NAN;
    case CV_PRED_RETENTION: /* r(t) = (beta+t-1)/(alpha+beta+t-1) */
        return t >= 1.0 ? (be + t - 1.0) / (al + be + t - 1.0) : NAN;
    case CV_PRED_DERL: {
        /* n = x + 1: DERL = B(alpha, beta+n)/B(alpha, beta+n-1)
                             2F1(1, beta+n; alpha+beta+n; 1/(1+d)) */
        double n = x + 1.0, dd = arg;
        if (!(dd > 0.0) || !(x >= 0.0))
            return NAN;
        if (cv_hyp2f1(1.0, be + n, al + be + n, 1.0 / (1.0 + dd), &f) != 0)
            return NAN;
        return exp(cv_lbeta(al, be + n) - cv_lbeta(al, be + n - 1.0)) * f;
    }
    default:
        return NAN;
    }
}

/* One customer observed for T periods: theta ~ Beta(alpha, beta), churn at each renewal
   with probability theta. */
static void simulate(const double *p, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    const double th = cv_rng_beta(rng, p[0], p[1]);
    double k = 0.0;
    while (k < T && !(cv_rng_uniform(rng) < th))
        k += 1.0;
    *x = k;
    *tx = 0.0;
    *m = 0.0;
}

const cv_model cv_model_sbg = {
    "sbg",
    "shifted-beta-geometric (Fader & Hardie 2007)",
    2,
    names,
    CV_NEED_X | CV_NEED_T,
    (1u << CV_PRED_SURVIVAL) | (1u << CV_PRED_RETENTION) | (1u << CV_PRED_DERL),
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path */
};
