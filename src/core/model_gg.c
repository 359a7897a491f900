/* cvkit Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie
   2013, "The Gamma-Gamma model of monetary value"): the mean m of a customer's x repeat
   transactions is Gamma(p x, nu x) given nu, and nu ~ Gamma(q, gamma) across customers.
   Rows with x = 0 carry no spend information and are skipped by the likelihood. */
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>

static const char *const names[] = {"p", "q", "gamma"};

static int check(const cv_model_data *d, size_t *row, const char **why)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        *row = i;
        if (!(d->x[i] >= 0.0) || d->x[i] != floor(d->x[i])) {
            *why = "frequency x must be a whole number >= 0";
            return -1;
        }
        if (d->x[i] > 0.0 && !(d->m[i] > 0.0 && isfinite(d->m[i]))) {
            *why = "mean spend m must be positive when x > 0";
            return -1;
        }
    }
    return 0;
}

/* method of moments on the x > 0 rows would be fancier; these start from p = 1,
   q = 2, gamma = mean spend (so the population mean p gamma/(q-1) matches it) */
static void start(const cv_model_data *d, double *p)
{
    double sw = 0.0, sm = 0.0;
    size_t i;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        if (d->x[i] > 0.0)
            sw += w, sm += w * d->m[i];
    }
    p[0] = 1.0;
    p[1] = 2.0;
    p[2] = sw > 0.0 ? sm / sw : 1.0;
}

/* f(m | p, q, gamma, x) = Gamma(px+q)/(Gamma(px) Gamma(q)) gamma^q x^(px) m^(px-1)
                           / (gamma + x m)^(px+q)
   in logs, with A = p x and y = x m / gamma, written so that nothing large cancels
   (docs/models.md, "Precision"):
     log f = -log B(A, q) - log m - q log1p(y) - A log1p(1/y)
   and its derivatives
     p:     x [psi(A+q) - psi(A) - log1p(1/y)]
     q:     psi(A+q) - psi(q) - log1p(y)
     gamma: (q x m - A gamma) / (gamma (gamma + x m))
   Per row one log1p, of min(y, 1/y) (below 1: no cancellation), and the other from
   log1p(1/y) = log1p(y) - log y, a sum of two terms of one sign; log y = log x + log m -
   log gamma reuses log m, which the density needs anyway, and log x, which changes only
   with x (docs/models.md, "Speed"). */
static int loglik(const double *pp, const cv_model_data *d, double *ll, double *grad)
{
    const double p = pp[0], q = pp[1], g = pp[2], lg = log(g), ig = 1.0 / g;
    double sum = 0.0, gp = 0.0, gq = 0.0, gg = 0.0;
    /* functions of x alone, kept while x repeats (collapsed rows come sorted by x) */
    double cx = NAN, A = 0.0, lb = 0.0, dA = 0.0, dq = 0.0, lxg = 0.0;
    size_t i;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], m = d->m[i];
        double xm, l1, l2, lm, ly;
        if (w == 0.0 || !(x > 0.0))
            continue;
        if (x != cx) {
            cx = x, A = p * x, lb = cv_lbeta(A, q), lxg = log(x) - lg;
            if (grad)
                dA = cv_digamma_diff(A, q), dq = cv_digamma_diff(q, A);
        }
        xm = x * m, lm = log(m), ly = lxg + lm;
        if (ly < 0.0) /* y < 1 */
            l1 = cv_log1p_fast(xm * ig), l2 = l1 - ly;
        else
            l2 = cv_log1p_fast(g / xm), l1 = l2 + ly;
        sum += w * (-lb - lm - q * l1 - A * l2);
        if (grad) {
            /* q x m - A gamma, the products' errors put back when they cancel */
            double pq = A * g, qm = q * xm, num = qm - pq;
            if (fabs(num) < 1e-4 * qm)
                num += fma(q, xm, -qm) - fma(A, g, -pq);
            gp += w * x * (dA - l2);
            gq += w * (dq - l1);
            gg += w * num / (g * (g + xm));
        }
    }
    *ll = sum;
    if (grad)
        grad[0] = gp, grad[1] = gq, grad[2] = gg;
    return isfinite(sum) ? 0 : -1;
}

static double predict(const double *pp, cv_pred kind, double x, double tx, double T, double m,
                      double arg, double arg2)
{
    const double p = pp[0], q = pp[1], g = pp[2];
    (void)tx, (void)T, (void)arg, (void)arg2;
    if (kind != CV_PRED_SPEND)
        return NAN;
    /* E[M | p, q, gamma, m, x] = p (gamma + x m) / (p x + q - 1): finite when p x + q > 1;
       x = 0 gives the population mean p gamma / (q - 1), infinite for q <= 1 (NaN: refused) */
    if (!(x > 0.0))
        return q > 1.0 ? p * g / (q - 1.0) : NAN;
    return p * x + q > 1.0 ? p * (g + x * m) / (p * x + q - 1.0) : NAN;
}

/* Reads *x (repeat transactions); draws nu ~ Gamma(q, gamma) and the mean of x spends
   Gamma(p, nu) as Gamma(p x, x nu). */
static void simulate(const double *pp, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    const double nu = cv_rng_gamma(rng, pp[1]) / pp[2];
    (void)T;
    *tx = 0.0;
    *m = *x > 0.0 ? cv_rng_gamma(rng, pp[0] * *x) / (*x * nu) : 0.0;
}

const cv_model cv_model_gamma_gamma = {
    "gamma_gamma",
    "Gamma-Gamma spend (Fader, Hardie & Lee 2005)",
    3,
    names,
    CV_NEED_X | CV_NEED_M,
    1u << CV_PRED_SPEND,
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path */
};
