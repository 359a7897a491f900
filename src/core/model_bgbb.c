/* cvkit BG/BB (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
   noncontractual setting"): n transaction opportunities; while alive a customer
   transacts with probability p ~ Beta(alpha, beta) and drops out before each opportunity
   with probability theta ~ Beta(gamma, delta). Data per row: x transactions, recency t_x
   (the last opportunity with a transaction, 0 if none), n = T opportunities. */
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>

static const char *const names[] = {"alpha", "beta", "gamma", "delta"};

static int check(const cv_model_data *d, size_t *row, const char **why)
{
    size_t i;
    for (i = 0; i < d->n; i++) {
        double x = d->x[i], tx = d->t_x[i], n = d->T[i];
        *row = i;
        if (!(n >= 1.0) || n != floor(n) || n > 1e6) {
            *why = "the number of periods n must be a whole number >= 1";
            return -1;
        }
        if (!(x >= 0.0) || x != floor(x) || !(tx >= 0.0) || tx != floor(tx)) {
            *why = "frequency x and recency t_x must be whole numbers >= 0";
            return -1;
        }
        if (x > tx || tx > n || (x == 0.0) != (tx == 0.0)) {
            *why = "need x <= t_x <= n, and t_x = 0 exactly when x = 0";
            return -1;
        }
    }
    return 0;
}

static void start(const cv_model_data *d, double *p)
{
    (void)d;
    p[0] = p[1] = p[2] = p[3] = 1.0;
}

/* log of one term of L, B(al+x, be+m)/B(al,be) times B(ga, de+n)/B(ga,de) (first = 1,
   t = n) or B(ga+1, de+t)/B(ga,de) (first = 0), and when dl != NULL its derivatives by
   (alpha, beta, gamma, delta). Written with beta functions' ratios at whole-number shifts
   (cv_lbeta_shift) so that no lgamma of a large argument is formed (docs/models.md,
   "Precision"):
     log B(al+x, be+m)/B(al,be) = shift(be+m, al, x) + shift(al, be, m)
     log B(ga+1, de+t)/B(ga,de) = -log1p((de+t)/ga) + shift(ga, de, t). */
static double term_log(const double *p, double x, double m, double t, int first, double *dl)
{
    const double al = p[0], be = p[1], ga = p[2], de = p[3], y = be + m;
    double v = cv_lbeta_shift(y, al, x) + cv_lbeta_shift(al, be, m) + cv_lbeta_shift(ga, de, t);
    if (!first)
        v -= log1p((de + t) / ga);
    if (dl) {
        dl[0] = cv_lbeta_shift_db(y, al, x) - cv_digamma_diff(al + be, m);
        dl[1] = cv_lbeta_shift_db(al, be, m) - cv_digamma_diff(y + al, x);
        dl[2] = -cv_digamma_diff(ga + de, t);
        dl[3] = cv_lbeta_shift_db(ga, de, t);
        if (!first) {
            dl[2] += (de + t) / (ga * (ga + de + t));
            dl[3] -= 1.0 / (ga + de + t);
        }
    }
    return v;
}

/* log L for one row and, when g != NULL, its derivatives by (alpha, beta, gamma, delta):
     L = B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
       + sum_{i=0}^{n-t_x-1} B(al+x, be+t_x-x+i)/B(al,be) B(ga+1, de+t_x+i)/B(ga,de) */
static double row_loglik(const double *p, double x, double tx, double n, double *g)
{
    double terms[256], *lt = terms, big[4] = {0, 0, 0, 0}, m, sum = 0.0, li;
    double dl[256][4] = {{0}}; /* written by term_log; set for cppcheck */
    int k, j, nt = 1 + (int)(n - tx);
    if (nt < 1)
        return NAN;
    if (nt > 256) { /* long histories: accumulate without keeping the terms, the sum and
                       the terms' derivatives weighted by e^(term - largest so far) */
        double mm = -INFINITY, dk[4] = {0, 0, 0, 0};
        for (k = 0; k < nt; k++) {
            double v = k == 0 ? term_log(p, x, n - x, n, 1, g ? dk : NULL)
                              : term_log(p, x, tx - x + (k - 1), tx + (k - 1), 0, g ? dk : NULL);
            double sc = 1.0, wk = 1.0;
            if (v > mm)
                sc = exp(mm - v), mm = v;
            else
                wk = exp(v - mm);
            sum = sum * sc + wk;
            for (j = 0; g && j < 4; j++)
                big[j] = big[j] * sc + wk * dk[j];
        }
        for (j = 0; g && j < 4; j++)
            g[j] = big[j] / sum;
        return mm + log(sum);
    }
    for (k = 0; k < nt; k++)
        lt[k] = k == 0 ? term_log(p, x, n - x, n, 1, g ? dl[k] : NULL)
                       : term_log(p, x, tx - x + (k - 1), tx + (k - 1), 0, g ? dl[k] : NULL);
    m = lt[0];
    for (k = 1; k < nt; k++)
        if (lt[k] > m)
            m = lt[k];
    for (k = 0; k < nt; k++)
        sum += exp(lt[k] - m);
    li = m + log(sum);
    if (g) {
        for (k = 0; k < nt; k++) {
            double wk = exp(lt[k] - li);
            for (j = 0; j < 4; j++)
                big[j] += wk * dl[k][j];
        }
        for (j = 0; j < 4; j++)
            g[j] = big[j];
    }
    return li;
}

static int loglik(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    double sum = 0.0, g[4] = {0, 0, 0, 0}, gi[4] = {0, 0, 0, 0};
    size_t i;
    int j;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        sum += w * row_loglik(p, d->x[i], d->t_x[i], d->T[i], grad ? gi : NULL);
        if (grad)
            for (j = 0; j < 4; j++)
                g[j] += w * gi[j];
    }
    *ll = sum;
    if (grad)
        for (j = 0; j < 4; j++)
            grad[j] = g[j];
    return isfinite(sum) ? 0 : -1;
}

/* Gamma(a + n) / Gamma(b + n) in logs */
static double lratio(double a, double b, double n)
{
    return cv_lgamma(a + n) - cv_lgamma(b + n);
}

/* log of the binomial coefficient n over k */
static double lchoose(double n, double k)
{
    return cv_lgamma(n + 1.0) - cv_lgamma(k + 1.0) - cv_lgamma(n - k + 1.0);
}

/* P(X(n) = x) for a new customer (FHS 2010, eq. 7): alive through the n opportunities and
   x transactions among them, or dropped out after i = x..n-1 of them with x among those:
     C(n, x) B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
     + sum_{i=x}^{n-1} C(i, x) B(al+x, be+i-x)/B(al,be) B(ga+1, de+i)/B(ga,de).
   NaN unless n and x are whole numbers >= 0 (n up to 1e6); 0 for x > n. */
static double pmf_new(const double *p, double n, double x)
{
    const double al = p[0], be = p[1], ga = p[2], de = p[3];
    double lab, lgd, v;
    long i;
    if (!(n >= 0.0) || n != floor(n) || n > 1e6 || !(x >= 0.0) || x != floor(x))
        return NAN;
    if (x > n)
        return 0.0;
    lab = cv_lbeta(al, be), lgd = cv_lbeta(ga, de);
    v = exp(lchoose(n, x) + cv_lbeta(al + x, be + n - x) - lab + cv_lbeta(ga, de + n) - lgd);
    for (i = (long)x; i < (long)n; i++)
        v += exp(lchoose((double)i, x) + cv_lbeta(al + x, be + (double)i - x) - lab +
                 cv_lbeta(ga + 1.0, de + (double)i) - lgd);
    return v;
}

/* The share of L of the histories alive through all n opportunities (the first term of
   the likelihood), li = log L. */
static double alive_n(const double *p, double x, double n, double li)
{
    const double al = p[0], be = p[1], ga = p[2], de = p[3];
    return exp(cv_lbeta(al + x, be + n - x) - cv_lbeta(al, be) + cv_lbeta(ga, de + n) -
               cv_lbeta(ga, de) - li);
}

/* P(X(n, n+ns) = k | x, t_x, n): a customer alive through n (share alive_n) has p ~
   Beta(al+x, be+n-x), theta ~ Beta(ga, de+n) and from there on is a new customer over ns
   opportunities; the others make none. */
static double cond_pmf(const double *p, double x, double n, double li, double ns, double k)
{
    const double post[4] = {p[0] + x, p[1] + n - x, p[2], p[3] + n};
    const double w = alive_n(p, x, n, li);
    return w * pmf_new(post, ns, k) + (k == 0.0 ? 1.0 - w : 0.0);
}

/* P(X(n, n+ns) > 0 | x, t_x, n) = alive_n (1 - P(no transaction in ns | alive through n)) */
static double p_active(const double *p, double x, double n, double li, double ns)
{
    const double post[4] = {p[0] + x, p[1] + n - x, p[2], p[3] + n};
    return alive_n(p, x, n, li) * (1.0 - pmf_new(post, ns, 0.0));
}

/* DERT at a discount rate d per period (FHS 2010, eq. 14): the transactions of periods
   n+1, n+2, ... discounted by (1+d)^-k,
     B(al+x+1, be+n-x)/B(al,be) B(ga, de+n+1)/B(ga,de) / (1+d)
     2F1(1, de+n+1; ga+de+n+1; 1/(1+d)) / L. */
static double dert(const double *p, double x, double n, double li, double d)
{
    const double al = p[0], be = p[1], ga = p[2], de = p[3];
    double f;
    if (!(d > 0.0) || cv_hyp2f1(1.0, de + n + 1.0, ga + de + n + 1.0, 1.0 / (1.0 + d), &f) != 0)
        return NAN;
    return exp(cv_lbeta(al + x + 1.0, be + n - x) - cv_lbeta(al, be) + cv_lbeta(ga, de + n + 1.0) -
               cv_lbeta(ga, de) - li - log1p(d)) *
           f;
}

static double predict(const double *p, cv_pred kind, double x, double tx, double n, double m,
                      double arg, double arg2)
{
    const double al = p[0], be = p[1], ga = p[2], de = p[3];
    double li;
    (void)m;
    if (kind == CV_PRED_PMF)
        return pmf_new(p, arg, arg2);
    if (kind == CV_PRED_EXPECTED) {
        /* E[X(n)] = al/(al+be) de/(ga-1) [1 - Gamma(ga+de) Gamma(1+de+n)
                                                / (Gamma(ga+de+n) Gamma(1+de))] */
        double t = arg;
        if (!(t >= 0.0))
            return NAN;
        return al / (al + be) * de / (ga - 1.0) *
               (1.0 - exp(cv_lgamma(ga + de) - cv_lgamma(1.0 + de) + lratio(1.0 + de, ga + de, t)));
    }
    li = row_loglik(p, x, tx, n, NULL);
    switch (kind) {
    case CV_PRED_PMF_CONDITIONAL:
        return cond_pmf(p, x, n, li, arg, arg2);
    case CV_PRED_P_ACTIVE:
        return p_active(p, x, n, li, arg);
    case CV_PRED_DERT:
        return dert(p, x, n, li, arg);
    case CV_PRED_P_ALIVE:
        /* B(al+x, be+n-x)/B(al,be) B(ga, de+n+1)/B(ga,de) / L */
        return exp(cv_lbeta(al + x, be + n - x) - cv_lbeta(al, be) + cv_lbeta(ga, de + n + 1.0) -
                   cv_lbeta(ga, de) - li);
    case CV_PRED_CONDITIONAL: {
        /* E[X(n, n+n*) | x, t_x, n] = 1/L B(al+x+1, be+n-x)/B(al,be) de/(ga-1)
           Gamma(ga+de)/Gamma(1+de) [Gamma(1+de+n)/Gamma(ga+de+n)
                                     - Gamma(1+de+n+n*)/Gamma(ga+de+n+n*)] */
        double ns = arg, k1, k2;
        if (!(ns >= 0.0))
            return NAN;
        k1 = exp(lratio(1.0 + de, ga + de, n));
        k2 = exp(lratio(1.0 + de, ga + de, n + ns));
        return exp(cv_lbeta(al + x + 1.0, be + n - x) - cv_lbeta(al, be) - li + cv_lgamma(ga + de) -
                   cv_lgamma(1.0 + de)) *
               de / (ga - 1.0) * (k1 - k2);
    }
    default:
        return NAN;
    }
}

static void simulate(const double *p, cv_rng *rng, double n, double *x, double *tx, double *m)
{
    const double q = cv_rng_beta(rng, p[0], p[1]), th = cv_rng_beta(rng, p[2], p[3]);
    double k = 0.0, last = 0.0, t;
    for (t = 1.0; t <= n; t += 1.0) {
        if (cv_rng_uniform(rng) < th)
            break;
        if (cv_rng_uniform(rng) < q) {
            k += 1.0;
            last = t;
        }
    }
    *x = k;
    *tx = last;
    *m = 0.0;
}

const cv_model cv_model_bgbb = {
    "bgbb",
    "BG/BB (Fader, Hardie & Shang 2010)",
    4,
    names,
    CV_NEED_X | CV_NEED_TX | CV_NEED_T,
    (1u << CV_PRED_P_ALIVE) | (1u << CV_PRED_EXPECTED) | (1u << CV_PRED_CONDITIONAL) |
        (1u << CV_PRED_PMF) | (1u << CV_PRED_PMF_CONDITIONAL) | (1u << CV_PRED_P_ACTIVE) |
        (1u << CV_PRED_DERT),
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path */
};
