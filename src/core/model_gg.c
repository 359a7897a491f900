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

/* The rows of one x whose terms are summed, not logged, one at a time ("fast rows", below). */
typedef struct {
    double n, pu, pm, corr, sy, si;
    int eu, em;
} gg_group;

/* Bounds of the fast rows: a whole weight 1 to 16, 0.5 <= y <= GG_YMAX, |log m| and
   |log gamma| within GG_LMAX (m within 2^+-17), where the sums below lose at most a factor of
   about 1e5 against the rows' own terms (docs/models.md, "Speed"). */
#define GG_YMAX 1024.0
#define GG_LMAX 12.0
#define GG_LN2L 0.693147180559945309417232121458176568L

/* Adds a group's fast rows (functions of x alone: A, lb, dA, dq, lxg = log x - log gamma)
   to the sums and empties it. With l1 = log1p(y), l2 = log1p(1/y) = l1 - ly and ly = lxg +
   log m, a row's log f = -lb - lm - q l1 - A l2 = -lb + (A - 1) lm - (q + A) l1 + A lxg, so a
   group needs n, S l1 = log prod(1 + y) + the roundings of 1 + y, S lm = log prod m, and
   for gamma's derivative (q y - A) / (gamma (1 + y)) the sums of y/(1+y) and 1/(1+y). The
   products are kept as mantissa and power of two. */
static void gg_flush(gg_group *G, double x, double q, double A, double lb, double dA, double dq,
                     double lxg, double ig, long double *sum, long double *gp, long double *gq,
                     long double *gg, int grad)
{
    long double sl1, slm, n = G->n, Al = A;
    if (G->n == 0.0)
        return;
    /* in long double: the group's terms cancel down to the rows' (11 more bits than the
       rows' own roundings need) */
    sl1 = logl(G->pu) + G->eu * GG_LN2L + G->corr;
    slm = logl(G->pm) + G->em * GG_LN2L;
    *sum += n * (Al * lxg - lb) + (Al - 1.0L) * slm - (q + Al) * sl1;
    if (grad) {
        *gp += x * (n * dA - (sl1 - slm - n * lxg));
        *gq += n * dq - sl1;
        *gg += ((long double)q * G->sy - Al * G->si) * ig;
    }
    G->n = G->corr = G->sy = G->si = 0.0;
    G->pu = G->pm = 1.0;
    G->eu = G->em = 0;
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
   Rows of whole weight up to 16 with y in [0.5, GG_YMAX] and moderate logs (the bulk of real
   data) are summed by x without a logarithm of their own (gg_flush); the others, one log1p, of
   min(y, 1/y) (below 1: no cancellation), and the other from log1p(1/y) = log1p(y) - log y,
   a sum of two terms of one sign; log y = log x + log m - log gamma reuses log m, which the
   density needs anyway, and log x, which changes only with x (docs/models.md, "Speed"). */
static int loglik(const double *pp, const cv_model_data *d, double *ll, double *grad)
{
    const double p = pp[0], q = pp[1], g = pp[2], lg = log(g), ig = 1.0 / g;
    const int fast_g = fabs(lg) <= GG_LMAX;
    long double sum = 0.0L, gp = 0.0L, gq = 0.0L, gg = 0.0L;
    /* functions of x alone, kept while x repeats (collapsed rows come sorted by x) */
    double cx = NAN, A = 0.0, lb = 0.0, dA = 0.0, dq = 0.0, lxg = 0.0;
    gg_group G = {0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0, 0};
    size_t i;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], m = d->m[i];
        double xm, l1, l2, lm, ly, y;
        if (w == 0.0 || !(x > 0.0))
            continue;
        if (x != cx) {
            gg_flush(&G, cx, q, A, lb, dA, dq, lxg, ig, &sum, &gp, &gq, &gg, grad != NULL);
            cx = x, A = p * x, lb = cv_lbeta(A, q), lxg = log(x) - lg;
            if (grad)
                dA = cv_digamma_diff(A, q), dq = cv_digamma_diff(q, A);
        }
        xm = x * m, y = xm * ig;
        if (fast_g && y >= 0.5 && y <= GG_YMAX && m >= 0x1p-17 && m <= 0x1p17 && w >= 1.0 &&
            w <= 16.0 && w == (int)w) {
            /* a fast row: u = 1 + y rounded, log1p(y) = log u + (its rounding) / u; a whole
               weight w up to 16 (collapsed duplicates) as u^w and m^w */
            double u = 1.0 + y, iu = 1.0 / u, dl = y > 1.0 ? 1.0 - (u - y) : y - (u - 1.0);
            double uw = u, mw = m;
            int k;
            for (k = 1; k < (int)w; k++)
                uw *= u, mw *= m;
            G.n += w, G.corr += w * (dl * iu), G.sy += w * (y * iu), G.si += w * iu;
            G.pu *= uw, G.pm *= mw;
            if (G.pu > 0x1p500) {
                int e;
                G.pu = frexp(G.pu, &e), G.eu += e;
            }
            if (G.pm > 0x1p500 || G.pm < 0x1p-500) {
                int e;
                G.pm = frexp(G.pm, &e), G.em += e;
            }
            continue;
        }
        lm = log(m), ly = lxg + lm;
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
    gg_flush(&G, cx, q, A, lb, dA, dq, lxg, ig, &sum, &gp, &gq, &gg, grad != NULL);
    *ll = (double)sum;
    if (grad)
        grad[0] = (double)gp, grad[1] = (double)gq, grad[2] = (double)gg;
    return isfinite(*ll) ? 0 : -1;
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
