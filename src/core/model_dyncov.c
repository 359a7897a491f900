/* cvkit time-varying covariates for the Pareto/NBD (include/cvkit/dyncov.h): the customers'
   pieces of constant covariates, the log-likelihood as a sum over the pieces of (t_x, T],
   its analytic gradient, and the fit (BFGS on that gradient, the information by differences
   of it; an L2 penalty on the coefficients as CLVTools' reg.lambdas). */
#include "cvkit/dyncov.h"
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/special.h"
#include "model_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A piece of a customer's time on which the covariates are those of period row (an index
   into the data's z), len time units long. */
typedef struct {
    size_t row;
    double len;
} piece;

struct cv_dyncov_prep {
    size_t n, ncov;
    const double *z;    /* borrowed from the data */
    double *x, *tx, *T; /* n each (one allocation) */
    double *zsum;       /* n * ncov: the covariates summed over the repeat purchases */
    size_t *pre, *post; /* n + 1 offsets into pc: the pieces of [0, t_x], of (t_x, T] */
    piece *pc;
    size_t npc;
};

void cv_dyncov_prep_free(cv_dyncov_prep *p)
{
    if (!p)
        return;
    cv_free(p->x);
    cv_free(p->zsum);
    cv_free(p->pre);
    cv_free(p->pc);
    cv_free(p);
}

size_t cv_dyncov_prep_n(const cv_dyncov_prep *p)
{
    return p->n;
}

/* Appends the pieces of customer i's periods [pb, pe) that overlap (a, b] to p->pc, merging
   neighbours with equal covariates. Returns -1 when the periods do not cover (a, b]. */
static int add_pieces(cv_dyncov_prep *p, const cv_dyncov_data *d, size_t pb, size_t pe, double a,
                      double b, size_t first)
{
    for (size_t q = pb; q < pe && b > a; q++) {
        double lo = d->pstart[q], hi = d->pend ? d->pend[q] : lo + 1.0, len;
        if (hi <= a)
            continue;
        if (lo > a + 1e-9)
            return -1; /* a gap before this period */
        len = (hi < b ? hi : b) - a;
        if (len <= 1e-9) { /* a rounding sliver (a purchase on a period's start): its pieces'
                              integrals would cancel to a NaN */
            a = hi;
            continue;
        }
        if (p->npc > first && memcmp(&d->z[p->pc[p->npc - 1].row * d->ncov], &d->z[q * d->ncov],
                                     sizeof(double) * d->ncov) == 0)
            p->pc[p->npc - 1].len += len;
        else
            p->pc[p->npc].row = q, p->pc[p->npc].len = len, p->npc++;
        a = hi;
    }
    return b > a + 1e-9 ? -1 : 0;
}

/* The period of customer i's periods [pb, pe) holding time t (start <= t < end). */
static long period_at(const cv_dyncov_data *d, size_t pb, size_t pe, double t)
{
    for (size_t q = pb; q < pe; q++)
        if (d->pstart[q] <= t + 1e-9 && t + 1e-9 < (d->pend ? d->pend[q] : d->pstart[q] + 1.0))
            return (long)q;
    return -1;
}

cv_dyncov_prep *cv_dyncov_prepare(const cv_dyncov_data *d, cv_error *err)
{
    cv_dyncov_prep *p = cv_calloc(1, sizeof *p);
    size_t n = d->n, nper = d->pbeg[n] - d->pbeg[0], i, q, c;
    if (!p)
        goto nomem;
    p->n = n, p->ncov = d->ncov, p->z = d->z;
    p->x = cv_malloc(sizeof(double) * 3 * (n ? n : 1));
    p->zsum = cv_calloc(n * d->ncov + 1, sizeof(double));
    p->pre = cv_malloc(sizeof(size_t) * 2 * (n + 1));
    p->pc = cv_malloc(sizeof(piece) * (2 * nper + 2 * n + 1));
    if (!p->x || !p->zsum || !p->pre || !p->pc)
        goto nomem;
    p->tx = p->x + n, p->T = p->x + 2 * n, p->post = p->pre + n + 1;
    for (q = d->pbeg[0]; q < d->pbeg[n]; q++)
        for (c = 0; c < d->ncov; c++)
            if (!isfinite(d->z[q * d->ncov + c])) {
                cv_error_set(err, CV_ERR_USAGE, "covariate %zu is not a number in period row %zu",
                             c + 1, q + 1);
                goto fail;
            }
    for (q = d->pbeg[0]; d->pend && q < d->pbeg[n]; q++)
        if (!(d->pend[q] > d->pstart[q] && isfinite(d->pend[q]))) {
            cv_error_set(err, CV_ERR_USAGE, "period row %zu ends at %g, not after its start %g",
                         q + 1, d->pend[q], d->pstart[q]);
            goto fail;
        }
    for (i = 0; i < n; i++) {
        size_t pb = d->pbeg[i], pe = d->pbeg[i + 1], nt = d->tbeg[i + 1] - d->tbeg[i];
        double x = d->x[i], tx = d->t_x[i], T = d->T[i];
        p->x[i] = x, p->tx[i] = tx, p->T[i] = T;
        for (q = pb; q + 1 < pe; q++)
            if (d->pstart[q + 1] < (d->pend ? d->pend[q] : d->pstart[q] + 1.0) - 1e-9) {
                cv_error_set(err, CV_ERR_USAGE,
                             "customer %zu: covariate periods %zu and %zu overlap (one period "
                             "per time unit)",
                             i + 1, q + 1, q + 2);
                goto fail;
            }
        if (!(x >= 0 && tx >= 0 && tx <= T && (x > 0 || tx == 0))) {
            cv_error_set(err, CV_ERR_USAGE, "customer %zu: x = %g, t_x = %g, T = %g", i + 1, x, tx,
                         T);
            goto fail;
        }
        if ((double)nt != x) {
            cv_error_set(err, CV_ERR_USAGE, "customer %zu: %zu repeat purchases listed, x = %g",
                         i + 1, nt, x);
            goto fail;
        }
        for (size_t j = d->tbeg[i]; j < d->tbeg[i + 1]; j++) {
            long at = period_at(d, pb, pe, d->ttime[j]);
            if (!(d->ttime[j] > 0 && d->ttime[j] <= T + 1e-9) || at < 0) {
                cv_error_set(err, CV_ERR_USAGE,
                             "customer %zu: no covariates for the repeat purchase at %g (periods "
                             "must cover the first purchase to T without gaps)",
                             i + 1, d->ttime[j]);
                goto fail;
            }
            for (c = 0; c < d->ncov; c++)
                p->zsum[i * d->ncov + c] += d->z[(size_t)at * d->ncov + c];
        }
        p->pre[i] = p->npc;
        if (period_at(d, pb, pe, 0.0) < 0 || add_pieces(p, d, pb, pe, 0.0, tx, p->npc) != 0) {
            cv_error_set(err, CV_ERR_USAGE,
                         "customer %zu: the covariate periods do not cover the first purchase "
                         "to t_x = %g without gaps",
                         i + 1, tx);
            goto fail;
        }
        p->post[i] = p->npc;
        if (add_pieces(p, d, pb, pe, tx, T, p->npc) != 0) {
            cv_error_set(err, CV_ERR_USAGE,
                         "customer %zu: the covariate periods do not cover t_x = %g to T = %g "
                         "without gaps",
                         i + 1, tx, T);
            goto fail;
        }
    }
    p->pre[n] = p->post[n] = p->npc;
    return p;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    cv_dyncov_prep_free(p);
    return NULL;
}

/* log K(t), K(t) = int_t^inf (p+v)^-(rx) (q+v)^-(s+1) dv with rx = r + x, by Euler's form
   of the hypergeometric closed form: 2F1(1, b; rx+s+1; z), z = |p-q|/(max(p,q)+t); when d
   is not NULL, d[0..3] = its derivatives by rx, s, p and q (the 2F1's by its parameters
   from cv_hyp2f1_grad). NaN when the series fails. */
static double log_k(double rx, double s, double p, double q, double t, double *d)
{
    const int pq = p >= q;
    const double g = rx + s, mx = pq ? p : q, z = (pq ? p - q : q - p) / (mx + t);
    double h[5];
    if (d) {
        if (cv_hyp2f1_grad(1.0, pq ? rx : s + 1.0, g + 1.0, z, h) != 0 || !(h[0] > 0))
            return NAN;
    } else if (cv_hyp2f1(1.0, pq ? rx : s + 1.0, g + 1.0, z, &h[0]) != 0 || !(h[0] > 0)) {
        return NAN;
    }
    if (d) {
        const double hb = h[2] / h[0], hc = h[3] / h[0], hz = h[4] / h[0];
        const double ip = 1.0 / (p + t), iq = 1.0 / (q + t);
        d[0] = -log(p + t) + hc - 1.0 / g + (pq ? hb : 0.0);
        d[1] = -log(q + t) + hc - 1.0 / g + (pq ? 0.0 : hb);
        if (pq) { /* z = (p - q)/(p + t) */
            d[2] = -rx * ip + hz * (q + t) * ip * ip;
            d[3] = -s * iq - hz * ip;
        } else { /* z = (q - p)/(q + t), and the factor (p + t)/(q + t) */
            d[2] = -rx * ip - hz * iq + ip;
            d[3] = -s * iq + hz * (p + t) * iq * iq - iq;
        }
    }
    return -rx * log(p + t) - s * log(q + t) + log(h[0]) - log(g) +
           (pq ? 0.0 : -log((q + t) / (p + t)));
}

/* Gauss-Legendre, 10 points on [-1, 1]: the positive nodes and their weights. */
static const double gl_x[5] = {0.1488743389816312, 0.4333953941292472, 0.6794095682990244,
                               0.8650633666889845, 0.9739065285171717};
static const double gl_w[5] = {0.2955242247147529, 0.2692667193099963, 0.2190863625159820,
                               0.1494513491505806, 0.0666713443086881};

/* The log of the integrand in u = log(m + v), m = min(p, q); lp, lq (when not NULL) the
   logs of p + v and q + v. */
static double quad_f(double rx, double s, double p, double q, double m, double u, double *lp,
                     double *lq)
{
    const double w = exp(u), a = log(p - m + w), b = log(q - m + w);
    if (lp)
        *lp = a, *lq = b;
    return u - rx * a - (s + 1.0) * b;
}

/* log int_0^len (p+v)^-(rx) (q+v)^-(s+1) dv by composite Gauss-Legendre in u = log(m + v):
   subintervals short enough that the integrand's log changes by at most about 3 across one. Its
   log is concave in u (unimodal), so the sum stops once the integrand has fallen below
   e^-50 of its largest value past its mode. When d is not NULL, d[0..3] = the derivatives
   of the log by rx, s, p and q: the same rule applied to the integrand's derivatives
   (-log(p+v), -log(q+v), -rx/(p+v), -(s+1)/(q+v) times it). */
static double log_j_quad(double rx, double s, double p, double q, double len, double *d)
{
    const double m = p < q ? p : q, u0 = log(m), u1 = log(m + len);
    /* the slope of the integrand's log, 1 - rx w/(p-m+w) - (s+1) w/(q-m+w) at w = e^u, is
       decreasing: its largest size on [u0, u1] is at an end */
    const double d0 = fabs(1.0 - rx * m / p - (s + 1.0) * m / q);
    const double d1 = fabs(1.0 - rx * (m + len) / (p + len) - (s + 1.0) * (m + len) / (q + len));
    double nsub = ceil((u1 - u0) * ((d0 > d1 ? d0 : d1) + 1.0) / 3.0), h, M = -HUGE_VAL, acc = 0;
    double ga[4] = {0, 0, 0, 0};
    long ns, k;
    int j;
    if (nsub < 1)
        nsub = 1;
    if (nsub > 1e6)
        nsub = 1e6;
    ns = (long)nsub, h = (u1 - u0) / (double)ns;
    for (k = 0; k < ns; k++) {
        const double lo = u0 + (double)k * h, mid = lo + h / 2;
        double fe;
        for (j = 0; j < 5; j++)
            for (int sg = -1; sg <= 1; sg += 2) {
                double lp, lq, w;
                const double f = quad_f(rx, s, p, q, m, mid + sg * gl_x[j] * h / 2, &lp, &lq);
                if (f > M) {
                    const double sc = exp(M - f);
                    acc *= sc, ga[0] *= sc, ga[1] *= sc, ga[2] *= sc, ga[3] *= sc, M = f;
                }
                w = gl_w[j] * exp(f - M);
                acc += w;
                if (d) {
                    ga[0] -= w * lp, ga[1] -= w * lq;
                    ga[2] -= w * rx * exp(-lp), ga[3] -= w * (s + 1.0) * exp(-lq);
                }
            }
        fe = quad_f(rx, s, p, q, m, lo + h, NULL, NULL);
        if (fe < M - 50.0 && fe < quad_f(rx, s, p, q, m, lo, NULL, NULL))
            break;
    }
    if (d)
        for (j = 0; j < 4; j++)
            d[j] = ga[j] / acc;
    return M + log(acc * h / 2);
}

/* log int_0^len (p+v)^-(rx) (q+v)^-(s+1) dv: K(0) - K(len) where the series converges fast
   and the difference keeps its digits, quadrature otherwise; d as log_j_quad's. */
static double log_j(double rx, double s, double p, double q, double len, double *d)
{
    const double mx = p >= q ? p : q, z0 = fabs(p - q) / mx;
    if (z0 <= 0.9) {
        double d0[4], d1[4];
        const double k0 = log_k(rx, s, p, q, 0.0, d ? d0 : NULL);
        const double k1 = log_k(rx, s, p, q, len, d ? d1 : NULL);
        if (isfinite(k0) && isfinite(k1) && k0 - k1 > 1e-3) {
            if (d) { /* log(K0 - K1) = k0 + log(1 - e), e = K1/K0 */
                const double e = exp(k1 - k0), om = -expm1(k1 - k0);
                for (int j = 0; j < 4; j++)
                    d[j] = (d0[j] - e * d1[j]) / om;
            }
            return k0 + log(-expm1(k1 - k0));
        }
    }
    return log_j_quad(rx, s, p, q, len, d);
}

/* exp(g_trans' z) and exp(g_life' z) for period row. */
/* The purchase and dropout rate factors a = exp(g_trans' z), c = exp(g_life' z) of the
   covariates z (one period's row). */
static void z_rates(const cv_dyncov_spec *spec, const double *g, const double *z, double *a,
                    double *c)
{
    double et = 0, el = 0;
    for (size_t k = 0; k < spec->ncoef; k++) {
        const double v = g[k] * z[spec->col[k]];
        if (spec->proc[k] & CV_COV_TRANS)
            et += v;
        if (spec->proc[k] & CV_COV_LIFE)
            el += v;
    }
    *a = exp(et), *c = exp(el);
}

static void rates(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *g, size_t row,
                  double *a, double *c)
{
    z_rates(spec, g, &p->z[row * p->ncov], a, c);
}

/* Customer i's log-likelihood at th; when gr is not NULL, its gradient by th (4 + ncoef). The
   likelihood is exp(base) (sum_k exp(v_k)) with v_k the pieces' dropout terms and the alive
   term: the gradient is base's plus the v_k's weighted by exp(v_k) / sum, each v_k's by the
   chain rule through A, C and the pieces' p = (alpha+A)/a, q = (beta+C)/c (log_j's d). */
static double loglik_i(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *th,
                       size_t i, double *gr, double *pa)
{
    const double r = exp(th[0]), al = exp(th[1]), s = exp(th[2]), be = exp(th[3]);
    const double *g = th + 4, x = p->x[i], rx = r + x;
    const size_t nc = spec->ncoef;
    double A = 0, C = 0, a, c, ll, M, acc;
    /* dA, dC: the derivatives of A and C by the coefficients; ga the weighted sum of the
       terms' gradients (by r, alpha, s, beta, coefficients), dv one term's */
    double dA[CV_OPTIM_MAXN] = {0}, dC[CV_OPTIM_MAXN] = {0}, ga[CV_OPTIM_MAXN] = {0};
    double dv[CV_OPTIM_MAXN], valive = 0;
    size_t k, m;
    ll = lgamma(rx) - lgamma(r) + r * th[1] + s * th[3];
    for (k = 0; k < nc; k++)
        if (spec->proc[k] & CV_COV_TRANS)
            ll += g[k] * p->zsum[i * p->ncov + spec->col[k]];
    for (k = p->pre[i]; k < p->post[i]; k++) {
        const double len = p->pc[k].len, *z = &p->z[p->pc[k].row * p->ncov];
        rates(p, spec, g, p->pc[k].row, &a, &c);
        A += a * len, C += c * len;
        if (gr)
            for (m = 0; m < nc; m++) {
                if (spec->proc[m] & CV_COV_TRANS)
                    dA[m] += a * len * z[spec->col[m]];
                if (spec->proc[m] & CV_COV_LIFE)
                    dC[m] += c * len * z[spec->col[m]];
            }
    }
    /* the dropout terms of the pieces of (t_x, T], then the alive term, summed as
       exp(M) acc with M the largest log so far */
    M = -HUGE_VAL, acc = 0;
    for (k = p->post[i]; k <= p->pre[i + 1]; k++) {
        double v, len = k < p->pre[i + 1] ? p->pc[k].len : 0;
        if (k == p->pre[i + 1]) {
            const double ia = 1.0 / (al + A), ic = 1.0 / (be + C);
            v = -rx * log(al + A) - s * log(be + C);
            valive = v;
            if (gr) {
                dv[0] = -log(al + A), dv[1] = -rx * ia, dv[2] = -log(be + C), dv[3] = -s * ic;
                for (m = 0; m < nc; m++)
                    dv[4 + m] = -rx * dA[m] * ia - s * dC[m] * ic;
            }
        } else if (len > 0) {
            const double *z = &p->z[p->pc[k].row * p->ncov];
            double dj[4], P, Q;
            rates(p, spec, g, p->pc[k].row, &a, &c);
            P = (al + A) / a, Q = (be + C) / c;
            v = log(s) - rx * log(a) - s * log(c) + log_j(rx, s, P, Q, len, gr ? dj : NULL);
            if (gr) {
                const double la = log(a), lc = log(c);
                dv[0] = -la + dj[0], dv[1] = dj[2] / a;
                dv[2] = 1.0 / s - lc + dj[1], dv[3] = dj[3] / c;
                for (m = 0; m < nc; m++) {
                    const int t = (spec->proc[m] & CV_COV_TRANS) != 0;
                    const int l = (spec->proc[m] & CV_COV_LIFE) != 0;
                    const double zm = z[spec->col[m]];
                    const double dP = (dA[m] - (t ? (al + A) * zm : 0.0)) / a;
                    const double dQ = (dC[m] - (l ? (be + C) * zm : 0.0)) / c;
                    dv[4 + m] = -(t ? rx * zm : 0.0) - (l ? s * zm : 0.0) + dj[2] * dP + dj[3] * dQ;
                    if (t)
                        dA[m] += a * len * zm;
                    if (l)
                        dC[m] += c * len * zm;
                }
            }
            A += a * len, C += c * len;
        } else {
            continue;
        }
        if (v > M) {
            const double sc = exp(M - v);
            acc *= sc, M = v;
            if (gr)
                for (m = 0; m < 4 + nc; m++)
                    ga[m] *= sc;
        }
        {
            const double w = exp(v - M);
            acc += w;
            if (gr)
                for (m = 0; m < 4 + nc; m++)
                    ga[m] += w * dv[m];
        }
    }
    if (gr) {
        gr[0] = r * (cv_digamma(rx) - cv_digamma(r) + th[1] + ga[0] / acc);
        gr[1] = al * (r / al + ga[1] / acc);
        gr[2] = s * (th[3] + ga[2] / acc);
        gr[3] = be * (s / be + ga[3] / acc);
        for (m = 0; m < nc; m++)
            gr[4 + m] =
                ga[4 + m] / acc +
                ((spec->proc[m] & CV_COV_TRANS) ? p->zsum[i * p->ncov + spec->col[m]] : 0.0);
    }
    if (pa) /* the alive term's share of the likelihood */
        *pa = exp(valive - M) / acc;
    return ll + M + log(acc);
}

int cv_dyncov_loglik(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                     double *ll, double *ll_i, cv_error *err)
{
    double sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        const double v = loglik_i(p, spec, theta, i, NULL, NULL);
        if (ll_i)
            ll_i[i] = v;
        sum += v;
    }
    *ll = sum;
    if (!isfinite(sum))
        return cv_error_set(err, CV_ERR_DOMAIN, "the log-likelihood is not finite");
    return 0;
}

int cv_dyncov_loglik_grad(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                          double *ll, double *grad, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    double sum = 0, gi[CV_OPTIM_MAXN];
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    for (int j = 0; j < k; j++)
        grad[j] = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        sum += loglik_i(p, spec, theta, i, gi, NULL);
        for (int j = 0; j < k; j++)
            grad[j] += gi[j];
    }
    *ll = sum;
    for (int j = 0; j < k; j++)
        if (!isfinite(grad[j]))
            sum = NAN;
    if (!isfinite(sum))
        return cv_error_set(err, CV_ERR_DOMAIN, "the log-likelihood is not finite");
    return 0;
}

int cv_dyncov_p_alive(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                      double *pa, cv_error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const double v = loglik_i(p, spec, theta, i, NULL, &pa[i]);
        if (!isfinite(v) || !(pa[i] >= 0.0 && pa[i] <= 1.0 + 1e-12))
            return cv_error_set(err, CV_ERR_DOMAIN, "customer %zu: P(alive) is not computable",
                                i + 1);
        if (pa[i] > 1.0)
            pa[i] = 1.0;
    }
    return 0;
}

/* (1 - rho^-e) / e for e = s - 1 and L = log rho >= 0: L at e = 0, by expm1 elsewhere. */
static double surv_int(double e, double L)
{
    if (fabs(e * L) < 1e-10)
        return L * (1.0 - 0.5 * e * L);
    return -expm1(-e * L) / e;
}

/* int_0^len exp(-delta v) a (B / (Bk + c v))^s dv for a piece of finite length: 10-point
   Gauss-Legendre on sub-pieces short enough that the integrand is smooth on each (c len
   max(s, 1) <= Bk / 2, so the pole at -Bk/c is five half-lengths from the centre and the
   decay at most e^-1/2, and delta len <= 1): no cancellation, delta = 0 included. */
static double piece_int(double a, double c, double s, double B, double Bk, double len, double delta)
{
    double sum = 0, u = 0;
    while (len > u) {
        const double w = Bk + c * u;
        const double h =
            fmin(fmin(len - u, 0.5 * w / c / fmax(s, 1.0)), delta > 0 ? 1.0 / delta : INFINITY);
        const double m = u + 0.5 * h, hh = 0.5 * h;
        double part = 0;
        for (int j = 0; j < 5; j++)
            for (int sg = -1; sg <= 1; sg += 2) {
                const double v = m + sg * hh * gl_x[j];
                part += gl_w[j] * exp(-delta * v - s * log((Bk + c * v) / B));
            }
        sum += part * hh;
        u += h;
    }
    return a * sum;
}

/* J(s, z) = int_0^inf exp(-z t) (1 + t)^-s dt = e^z z^(s-1) Gamma(1 - s, z), z > 0: where z + s
   >= 3, Legendre's continued fraction for e^z z^-a Gamma(a, z) at a = 1 - s (modified Lentz,
   as Numerical Recipes' gcf; no e^z or z^s formed, so a dropout side at the boundary, s and
   beta near 10^6 and 10^9, stays finite); elsewhere z^(s-1) U(s, s; z) (cv_hyperu_aa). */
static double laplace_j(double s, double z)
{
    if (z + s >= 3.0) {
        const double tiny = 1e-300, a = 1.0 - s;
        double b = z + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
        for (int i = 1; i < 100000; i++) {
            const double an = -i * (i - a);
            double del;
            b += 2.0;
            d = an * d + b;
            if (fabs(d) < tiny)
                d = tiny;
            c = b + an / c;
            if (fabs(c) < tiny)
                c = tiny;
            d = 1.0 / d, del = d * c, h *= del;
            if (fabs(del - 1.0) < 1e-16)
                return h;
        }
    }
    return exp((s - 1.0) * log(z)) * cv_hyperu_aa(s, z);
}

/* int_0^inf exp(-delta v) a (B / (Bk + c v))^s dv, delta > 0: a (B / Bk)^s (Bk / c) J(s, z)
   with z = delta Bk / c (at c = a = 1 and Bk = B the Pareto/NBD's DERT factor B^s
   delta^(s-1) U(s, s; delta B)). */
static double tail_int(double a, double c, double s, double B, double Bk, double delta)
{
    return a * exp(s * log(B / Bk)) * (Bk / c) * laplace_j(s, delta * Bk / c);
}

/* What a customer's future is integrated for: E[Y(t)] (closed form per piece) or the
   discounted transactions (numeric per piece, per period or continuously discounted). */
enum { FUT_EXPECTED, FUT_DTX };

/* The integral over customer i's future pieces, from T to T + h, of E[lambda] a_k times
   P(alive at v | alive at T) (FUT_EXPECTED), discounted by exp(-delta (v - T)) or per period
   by exp(-delta min(k, h)) (FUT_DTX), into *sum; B = beta + the past dropout exposure. The
   pieces are fut's rows for i, or with fut NULL the last covariates before T held for ever.
   0, or -1 when the pieces leave a gap before T + h. */
static int future_sum(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *g,
                      const cv_dyncov_data *fut, size_t i, double h, double s, double B, int kind,
                      double delta, int per_period, double *sum)
{
    const double T = p->T[i], end = T + h;
    double a, c, Bk = B, u = T;
    size_t qb = 0, qe = 1, last = 0;
    *sum = 0;
    if (fut)
        qb = fut->pbeg[i], qe = fut->pbeg[i + 1];
    else
        last = p->pc[p->pre[i + 1] - 1].row;
    for (size_t q = qb; q < qe && end > u; q++) {
        double lo = T, hi = INFINITY;
        const double *z = &p->z[last * p->ncov];
        if (fut) {
            lo = fut->pstart[q], hi = fut->pend ? fut->pend[q] : lo + 1.0;
            z = &fut->z[q * fut->ncov];
        }
        if (hi <= u)
            continue;
        if (lo > u + 1e-9)
            break; /* a gap */
        z_rates(spec, g, z, &a, &c);
        if (kind == FUT_EXPECTED) {
            /* P = (B / (B_k + c_k v'))^s: B (B / B_k)^(s-1) / c_k (1 - rho^-(s-1)) / (s-1),
               rho = (B_k + c_k len) / B_k */
            const double len = (hi < end ? hi : end) - u, e = s - 1.0;
            *sum += a * B * exp(-e * log(Bk / B)) / c * surv_int(e, log1p(c * len / Bk));
            Bk += c * len, u = hi;
            continue;
        }
        if (isinf(end) && isinf(hi)) { /* the rest of time */
            *sum += exp(-delta * (u - T)) * tail_int(a, c, s, B, Bk, delta);
            u = INFINITY;
            break;
        }
        hi = fmin(hi, end);
        while (hi > u) {
            /* per period: (T + k - 1, T + k] discounted by exp(-delta min(k, h)) */
            double stop = hi, w;
            if (per_period) {
                const double k = floor(u - T + 1e-9) + 1.0;
                stop = fmin(hi, T + k);
                w = exp(-delta * fmin(k, h)) * piece_int(a, c, s, B, Bk, stop - u, 0.0);
            } else {
                w = exp(-delta * (u - T)) * piece_int(a, c, s, B, Bk, stop - u, delta);
            }
            *sum += w;
            Bk += c * (stop - u), u = stop;
        }
    }
    return end > u + 1e-9 ? -1 : 0;
}

/* The future covariates against p: 0, or CV_ERR_USAGE (fut NULL: 0). */
static int check_future(const cv_dyncov_prep *p, const cv_dyncov_data *fut, cv_error *err)
{
    if (!fut)
        return 0;
    if (fut->n != p->n || fut->ncov != p->ncov)
        return cv_error_set(err, CV_ERR_USAGE,
                            "future covariates: %zu customers and %zu covariates, %zu and %zu "
                            "expected",
                            fut->n, fut->ncov, p->n, p->ncov);
    for (size_t q = fut->pbeg[0]; q < fut->pbeg[fut->n]; q++)
        for (size_t c = 0; c < fut->ncov; c++)
            if (!isfinite(fut->z[q * fut->ncov + c]))
                return cv_error_set(err, CV_ERR_USAGE,
                                    "covariate %zu is not a number in future period row %zu", c + 1,
                                    q + 1);
    return 0;
}

/* P(alive) times E[lambda | past] times future_sum, for every customer into out (checked:
   the arguments by the callers, fut by check_future). */
static int future_value(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                        const cv_dyncov_data *fut, double h, int kind, double delta, int per_period,
                        double *out, cv_error *err)
{
    const double r = exp(theta[0]), al = exp(theta[1]), s = exp(theta[2]), be = exp(theta[3]);
    const double *g = theta + 4;
    int rc;
    if ((rc = cv_dyncov_p_alive(p, spec, theta, out, err)) != 0)
        return rc;
    for (size_t i = 0; i < p->n; i++) {
        double A = 0, C = 0, a, c, sum;
        if (!fut && p->pre[i + 1] == p->pre[i])
            return cv_error_set(err, CV_ERR_USAGE,
                                "customer %zu: no covariates before T to hold (T = %g)", i + 1,
                                p->T[i]);
        for (size_t k = p->pre[i]; k < p->pre[i + 1]; k++) {
            rates(p, spec, g, p->pc[k].row, &a, &c);
            A += a * p->pc[k].len, C += c * p->pc[k].len;
        }
        if (future_sum(p, spec, g, fut, i, h, s, be + C, kind, delta, per_period, &sum) != 0)
            return cv_error_set(err, CV_ERR_USAGE,
                                "customer %zu: the future covariate periods do not cover T = %g "
                                "to T + t = %g without gaps",
                                i + 1, p->T[i], p->T[i] + h);
        out[i] *= (r + p->x[i]) / (al + A) * sum;
        if (!isfinite(out[i]))
            return kind == FUT_EXPECTED
                       ? cv_error_set(err, CV_ERR_DOMAIN,
                                      "customer %zu: the expectation is not finite", i + 1)
                       : cv_error_set(err, CV_ERR_DOMAIN,
                                      "customer %zu: the discounted transactions are not finite",
                                      i + 1);
    }
    return 0;
}

int cv_dyncov_expected(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                       const cv_dyncov_data *fut, double t, double *out, cv_error *err)
{
    int rc;
    if (fut->n != p->n || fut->ncov != p->ncov)
        return check_future(p, fut, err);
    if (!(t >= 0.0 && isfinite(t)))
        return cv_error_set(err, CV_ERR_USAGE, "the horizon must be >= 0, got %g", t);
    if ((rc = check_future(p, fut, err)) != 0)
        return rc;
    return future_value(p, spec, theta, fut, t, FUT_EXPECTED, 0.0, 0, out, err);
}

int cv_dyncov_dtx(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                  const cv_dyncov_data *fut, double h, double delta, int per_period, double *out,
                  cv_error *err)
{
    int rc;
    if (fut && (fut->n != p->n || fut->ncov != p->ncov))
        return check_future(p, fut, err);
    if (!(h > 0.0) || (isinf(h) && (per_period || !(delta > 0.0))) || !(delta >= 0.0) ||
        !isfinite(delta))
        return cv_error_set(err, CV_ERR_USAGE,
                            "discounted transactions: horizon %g and rate %g (a horizon > 0; an "
                            "unlimited one needs a continuous rate > 0)",
                            h, delta);
    if ((rc = check_future(p, fut, err)) != 0)
        return rc;
    return future_value(p, spec, theta, fut, h, FUT_DTX, delta, per_period, out, err);
}

/* CLVTools' reg.lambdas on the coefficients theta[4 ..] (trans times the sum of the squared
   coefficients on the purchase process, life times those on the dropout process, a
   constrained coefficient in both; as model_cov_fit.c's coef_penalty) plus the penalty on the
   log-parameters (cv_model_penalty); its gradient added to g when not NULL. */
static double penalty(const cv_penalty *pen, const cv_dyncov_spec *spec, const double *theta,
                      double *g)
{
    double s;
    if (!pen)
        return 0.0;
    s = cv_model_penalty(pen, 4, theta, g);
    for (size_t c = 0; c < spec->ncoef; c++) {
        const double lam = ((spec->proc[c] & CV_COV_TRANS) ? pen->trans : 0.0) +
                           ((spec->proc[c] & CV_COV_LIFE) ? pen->life : 0.0);
        const double v = theta[4 + c];
        s += lam * v * v;
        if (g)
            g[4 + c] += 2.0 * lam * v;
    }
    return s;
}

int cv_dyncov_objective(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const cv_penalty *pen,
                        const double *theta, double *f, double *grad, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    const double N = (double)(p->n ? p->n : 1);
    double ll;
    int rc;
    if ((rc = cv_penalty_check(pen, 1, err)) != 0)
        return rc;
    rc = grad ? cv_dyncov_loglik_grad(p, spec, theta, &ll, grad, err)
              : cv_dyncov_loglik(p, spec, theta, &ll, NULL, err);
    if (rc != 0)
        return rc;
    if (grad)
        for (int j = 0; j < k; j++)
            grad[j] = -grad[j] / N;
    *f = -ll / N + penalty(pen, spec, theta, grad);
    return 0;
}

/* The objective of the fit: -LL / n plus the penalty over the free components of theta (the
   others held at full's values), NaN beyond the fence |log p| <= 20; its gradient analytic
   (cv_dyncov_objective) or, with numeric set, by central differences. */
typedef struct {
    const cv_dyncov_prep *p;
    const cv_dyncov_spec *spec;
    const cv_penalty *pen;
    int numeric;
    int k;                      /* all components */
    double full[CV_OPTIM_MAXN]; /* theta, the held components' values */
    int idx[CV_OPTIM_MAXN];     /* the free components */
} fctx;

/* The objective at the free components x (n of them); its gradient by them into grad when
   not NULL (analytic). NaN beyond the fence or where not computable. */
static double negll_g(int n, const double *x, const fctx *c, double *grad)
{
    double th[CV_OPTIM_MAXN], g[CV_OPTIM_MAXN] = {0}, f;
    memcpy(th, c->full, sizeof(double) * (size_t)c->k);
    for (int j = 0; j < n; j++)
        th[c->idx[j]] = x[j];
    for (int j = 0; j < 4; j++)
        if (!(fabs(th[j]) <= 20.0))
            return NAN;
    if (cv_dyncov_objective(c->p, c->spec, c->pen, th, &f, grad ? g : NULL, NULL) != 0)
        return NAN;
    if (grad)
        for (int j = 0; j < n; j++)
            grad[j] = g[c->idx[j]];
    return f;
}

static double negll(int n, const double *x, const fctx *c)
{
    return negll_g(n, x, c, NULL);
}

static double objective(int n, const double *x, double *grad, void *vc)
{
    const fctx *c = vc;
    double f;
    if (grad && !c->numeric)
        return negll_g(n, x, c, grad);
    f = negll(n, x, c);
    if (grad && isfinite(f)) {
        double t[CV_OPTIM_MAXN];
        memcpy(t, x, sizeof(double) * (size_t)n);
        for (int j = 0; j < n; j++) {
            const double h = 1e-5 * (1.0 + fabs(x[j]));
            double fp, fm;
            t[j] = x[j] + h, fp = negll(n, t, c);
            t[j] = x[j] - h, fm = negll(n, t, c);
            t[j] = x[j];
            if (!isfinite(fp) || !isfinite(fm)) /* at the fence: one-sided */
                grad[j] = isfinite(fp) ? (fp - f) / h : isfinite(fm) ? (f - fm) / h : NAN;
            else
                grad[j] = (fp - fm) / (2 * h);
        }
    }
    return f;
}

/* Minimizes over the components not held (held[j] != 0) from c->full, BFGS restarted from
   its best point while it gains; c->full updated. */
static int minimize(fctx *c, const int *held, cv_optim_result *res, cv_error *err)
{
    double x[CV_OPTIM_MAXN], best = HUGE_VAL;
    cv_optim_opts oo;
    int n = 0, rc = 0;
    for (int j = 0; j < c->k; j++)
        if (!held[j])
            c->idx[n] = j, x[n] = c->full[j], n++;
    cv_optim_defaults(&oo);
    oo.gtol = 1e-7, oo.ftol = 1e-13, oo.max_iter = 300, oo.no_fallback = 1;
    for (int round = 0; round < 4; round++) {
        rc = cv_optim_minimize(n, x, objective, c, &oo, res, err);
        if (rc != 0 && rc != 1)
            return rc;
        for (int j = 0; j < n; j++)
            c->full[c->idx[j]] = x[j];
        if (rc == 0 || !(res->f < best - 1e-13))
            break;
        best = res->f;
    }
    return rc;
}

/* The observed information -d2 LL / dtheta2 (of the penalized objective times N) over the n
   free components of c (c->idx) at their values in c->full: central differences of the
   analytic gradient (step 1e-4 (1 + |t|)), symmetrized; with c->numeric, second differences
   of the objective. */
static int information(int n, const fctx *c, double *h)
{
    double th[CV_OPTIM_MAXN] = {0}, t[CV_OPTIM_MAXN], st[CV_OPTIM_MAXN], f0;
    const double N = (double)(c->p->n ? c->p->n : 1);
    for (int j = 0; j < n; j++)
        th[j] = c->full[c->idx[j]];
    memcpy(t, th, sizeof(double) * (size_t)n);
    for (int j = 0; j < n; j++)
        st[j] = 1e-4 * (1.0 + fabs(th[j]));
    if (!c->numeric) {
        double gp[CV_OPTIM_MAXN], gm[CV_OPTIM_MAXN];
        for (int j = 0; j < n; j++) {
            t[j] = th[j] + st[j];
            if (!isfinite(negll_g(n, t, c, gp)))
                return -1;
            t[j] = th[j] - st[j];
            if (!isfinite(negll_g(n, t, c, gm)))
                return -1;
            t[j] = th[j];
            for (int k = 0; k < n; k++)
                h[j * n + k] = N * (gp[k] - gm[k]) / (2 * st[j]);
        }
        for (int j = 0; j < n; j++)
            for (int k = 0; k < j; k++)
                h[j * n + k] = h[k * n + j] = (h[j * n + k] + h[k * n + j]) / 2;
    } else {
        f0 = negll(n, th, c);
        for (int j = 0; j < n; j++) {
            double fp, fm;
            t[j] = th[j] + st[j], fp = negll(n, t, c);
            t[j] = th[j] - st[j], fm = negll(n, t, c);
            t[j] = th[j];
            h[j * n + j] = N * (fp - 2 * f0 + fm) / (st[j] * st[j]);
            for (int k = 0; k < j; k++) {
                double f[4];
                for (int q = 0; q < 4; q++) {
                    t[j] = th[j] + ((q & 1) ? -st[j] : st[j]);
                    t[k] = th[k] + ((q & 2) ? -st[k] : st[k]);
                    f[q] = negll(n, t, c);
                }
                t[j] = th[j], t[k] = th[k];
                h[j * n + k] = h[k * n + j] = N * (f[0] - f[1] - f[2] + f[3]) / (4 * st[j] * st[k]);
            }
        }
    }
    for (int j = 0; j < n * n; j++)
        if (!isfinite(h[j]))
            return -1;
    return 0;
}

int cv_dyncov_model_fit(const cv_dyncov_prep *p, const cv_dyncov_spec *spec,
                        const cv_dyncov_opts *o, cv_dyncov_fit *fit, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    cv_model_data md = {p->n, p->x, p->tx, p->T, NULL, NULL};
    cv_fit f0;
    fctx c;
    double h[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    int held[CV_OPTIM_MAXN] = {0}, rc, j, nfree;
    memset(fit, 0, sizeof *fit);
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    for (size_t q = 0; q < spec->ncoef; q++)
        if (spec->col[q] >= p->ncov || !(spec->proc[q] & (CV_COV_TRANS | CV_COV_LIFE)))
            return cv_error_set(err, CV_ERR_USAGE, "coefficient %zu: no such covariate", q + 1);
    if (o && (rc = cv_penalty_check(o->pen, 1, err)) != 0)
        return rc;
    rc = cv_model_fit(&cv_model_pareto_nbd, &md, NULL, &f0, err);
    if (rc != 0 && rc != 1)
        return rc;
    memset(&c, 0, sizeof c);
    c.p = p, c.spec = spec, c.k = k;
    c.pen = o ? o->pen : NULL, c.numeric = o ? o->numeric : 0;
    fit->k = k, fit->loglik0 = f0.loglik, fit->n_obs = (double)p->n;
    for (j = 0; j < 4; j++)
        c.full[j] = log(f0.params[j]);
    rc = minimize(&c, held, &fit->optim, err);
    if (rc != 0 && rc != 1)
        return rc;
    /* a log-parameter that ran to the fence is held there while the others are maximized
       again (quasi-Newton steps fare badly along the wall) */
    for (j = 0; j < 4; j++)
        if (fabs(c.full[j]) > 19.9) {
            c.full[j] = c.full[j] > 0 ? 20.0 : -20.0, held[j] = 1;
            fit->boundary |= 1u << j;
        }
    if (fit->boundary && (rc = minimize(&c, held, &fit->optim, err)) != 0 && rc != 1)
        return rc;
    fit->objective = fit->optim.f;
    if (cv_dyncov_loglik(p, spec, c.full, &fit->loglik, NULL, err) != 0)
        return CV_ERR_DOMAIN;
    fit->aic = 2.0 * k - 2.0 * fit->loglik;
    fit->bic = k * log((double)(p->n ? p->n : 1)) - 2.0 * fit->loglik;
    for (j = 0; j < k; j++)
        fit->est[j] = j < 4 ? exp(c.full[j]) : c.full[j], fit->se[j] = NAN;
    for (j = 0; j < k * k; j++)
        fit->cov[j] = NAN, fit->eigvec[j] = NAN;
    for (j = 0; j < k; j++)
        fit->eig[j] = NAN;
    for (j = 0, nfree = 0; j < k; j++) /* the components not held */
        if (!held[j])
            c.idx[nfree++] = j;
    if (information(nfree, &c, h) == 0) {
        double ev[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
        double val[CV_OPTIM_MAXN], inv[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
        const int nheld = k - nfree;
        /* the eigenvalues: 0 for each held component (its unit vector), then the free ones */
        cv_optim_sym_eigen(nfree, h, val, ev);
        for (j = 0; j < k * k; j++)
            fit->eigvec[j] = 0.0;
        for (j = 0, nfree = 0; j < k; j++)
            if (held[j])
                fit->eig[nfree] = 0.0, fit->eigvec[j * k + nfree] = 1.0, nfree++;
        nfree = k - nheld;
        for (int b = 0; b < nfree; b++) {
            fit->eig[nheld + b] = val[b];
            for (int a2 = 0; a2 < nfree; a2++)
                fit->eigvec[c.idx[a2] * k + nheld + b] = ev[a2 * nfree + b];
        }
        if (cv_optim_spd_inverse(nfree, h, inv) == 0) {
            fit->se_ok = !fit->boundary;
            for (int a2 = 0; a2 < nfree; a2++) {
                const int ja = c.idx[a2];
                for (int b = 0; b < nfree; b++)
                    fit->cov[ja * k + c.idx[b]] = inv[a2 * nfree + b];
                fit->se[ja] = sqrt(inv[a2 * nfree + a2]) * (ja < 4 ? fit->est[ja] : 1.0);
            }
        }
    }
    fit->status = fit->boundary                  ? CV_FIT_BOUNDARY
                  : fit->optim.grad_norm <= 1e-5 ? CV_FIT_CONVERGED
                                                 : CV_FIT_NOT_CONVERGED;
    if (fit->status == CV_FIT_CONVERGED)
        return 0;
    cv_error_set(err, CV_ERR_DOMAIN, "pareto_nbd with dynamic covariates: %s",
                 fit->boundary ? "a parameter ran to the boundary" : fit->optim.message);
    return 1;
}

int cv_dyncov_profile(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *est, int j,
                      const double *values, size_t n, double *ll, cv_error *err)
{
    const int k = 4 + (int)spec->ncoef;
    int held[CV_OPTIM_MAXN] = {0}, i;
    fctx c;
    if (k > CV_OPTIM_MAXN)
        return cv_error_set(err, CV_ERR_USAGE, "at most %d coefficients", CV_OPTIM_MAXN - 4);
    if (j < 0 || j >= k)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no parameter %d of %d", j + 1, k);
    for (i = 0; i < 4; i++)
        if (!(est[i] > 0.0) || !isfinite(est[i]))
            return cv_error_set(err, CV_ERR_USAGE, "profile: estimate %d must be positive", i + 1);
    for (size_t v = 0; v < n; v++)
        if (!isfinite(values[v]) || (j < 4 && !(values[v] > 0.0)))
            return cv_error_set(err, CV_ERR_USAGE, "profile: value %g is not %s", values[v],
                                j < 4 ? "a positive number" : "finite");
    if (p->n == 0)
        return cv_error_set(err, CV_ERR_USAGE, "profile: no customers");
    held[j] = 1;
    for (size_t v = 0; v < n; v++) {
        cv_optim_result res;
        cv_error e2;
        int rc;
        memset(&c, 0, sizeof c);
        c.p = p, c.spec = spec, c.k = k; /* the likelihood's profile: no penalty */
        for (i = 0; i < k; i++)
            c.full[i] = i < 4 ? log(est[i]) : est[i];
        c.full[j] = j < 4 ? log(values[v]) : values[v];
        if (j < 4 && fabs(c.full[j]) > 20.0) {
            ll[v] = NAN;
            continue;
        }
        rc = minimize(&c, held, &res, &e2);
        if (rc == CV_ERR_LIMIT)
            return cv_error_set(err, CV_ERR_LIMIT, "%s", e2.msg);
        if ((rc != 0 && rc != 1) || cv_dyncov_loglik(p, spec, c.full, &ll[v], NULL, NULL) != 0)
            ll[v] = NAN;
    }
    return 0;
}

/* NB(n; A): the chance of n purchases at purchase rate lambda ~ Gamma(r, al) over an
   exposure A (the integral of the covariates' factor), log form. */
static double lnb(double r, double al, double A, double ln)
{
    const double lp = ln > 0 ? ln * log(A / (al + A)) : 0.0;
    return lgamma(r + ln) - lgamma(r) - lgamma(ln + 1.0) + r * log(al / (al + A)) + lp;
}

/* The chance of n purchases in (0, t] of a customer alive at 0 with lambda ~ Gamma(r, al)
   and mu ~ Gamma(s, be) (exposures counted from 0) over the pieces (a[k], c[k], len[k]) of
   constant covariates: NB(n; A(t)) S(t) + int_0^t s c(u)/be S(u)^((s+1)/s) NB(n; A(u)) du
   with S(u) = (be/(be + C(u)))^s (dropout at u after n purchases); the integral by 10-point
   Gauss-Legendre on sub-pieces short enough that both factors are smooth on each. Into
   *mean (when not NULL) the expected purchases r/al int a(u) S(u) du (closed form). */
static double pmf_path(double r, double al, double s, double be, const double *a, const double *c,
                       const double *len, size_t np, unsigned n, double *mean)
{
    const double ln = (double)n;
    double A = 0, C = 0, sum = 0, m = 0;
    for (size_t k = 0; k < np; k++) {
        double u = 0, e = s - 1.0;
        const double Bk = be + C;
        m += a[k] * be * exp(-e * log(Bk / be)) / c[k] * surv_int(e, log1p(c[k] * len[k] / Bk));
        while (len[k] > u) {
            const double Au = al + A + a[k] * u, Cu = be + C + c[k] * u;
            const double h = fmin(len[k] - u, fmin(0.25 * Cu / (c[k] * fmax(s, 1.0)),
                                                   0.25 * Au / (a[k] * (r + ln + 1.0))));
            const double mid = u + 0.5 * h, hh = 0.5 * h;
            double part = 0;
            for (int j = 0; j < 5; j++)
                for (int sg = -1; sg <= 1; sg += 2) {
                    const double v = mid + sg * hh * gl_x[j];
                    const double Av = A + a[k] * v, Cv = be + C + c[k] * v;
                    part += gl_w[j] * exp(lnb(r, al, Av, ln) + (s + 1.0) * log(be / Cv));
                }
            sum += part * hh * s * c[k] / be;
            u += h;
        }
        A += a[k] * len[k], C += c[k] * len[k];
    }
    if (mean)
        *mean = r / al * m;
    return sum + exp(lnb(r, al, A, ln) + s * log(be / (be + C)));
}

/* The pieces of periods [qb, qe) of f (starts pstart, ends pend or start + 1, covariates z
   of ncov) over (from, to], into a, c, len (at most qe - qb; their count returned), at the
   coefficients g; (size_t)-1 when the periods leave a gap. */
static size_t path_pieces(const cv_dyncov_spec *spec, const double *g, size_t ncov,
                          const double *pstart, const double *pend, const double *z, size_t qb,
                          size_t qe, double from, double to, double *a, double *c, double *len)
{
    double u = from;
    size_t np = 0;
    for (size_t q = qb; q < qe && to > u; q++) {
        const double lo = pstart[q], hi = pend ? pend[q] : lo + 1.0;
        double et = 0, el = 0;
        if (hi <= u)
            continue;
        if (lo > u + 1e-9)
            break;
        for (size_t k = 0; k < spec->ncoef; k++) {
            const double v = g[k] * z[q * ncov + spec->col[k]];
            if (spec->proc[k] & CV_COV_TRANS)
                et += v;
            if (spec->proc[k] & CV_COV_LIFE)
                el += v;
        }
        a[np] = exp(et), c[np] = exp(el), len[np] = fmin(hi, to) - u;
        u = fmin(hi, to), np++;
    }
    return to > u + 1e-9 ? (size_t)-1 : np;
}

int cv_dyncov_pmf_new(const cv_dyncov_spec *spec, const double *theta, size_t ncov,
                      const double *pstart, const double *pend, const double *z, size_t nper,
                      double t, unsigned n, double *pmf, double *mean, cv_error *err)
{
    double *buf;
    size_t np;
    for (size_t k = 0; k < spec->ncoef; k++)
        if (spec->col[k] >= ncov)
            return cv_error_set(err, CV_ERR_USAGE, "coefficient %zu: no such covariate", k + 1);
    if (!(t >= 0.0 && isfinite(t)))
        return cv_error_set(err, CV_ERR_USAGE, "the horizon must be >= 0, got %g", t);
    for (size_t q = 0; q < nper * ncov; q++)
        if (!isfinite(z[q]))
            return cv_error_set(err, CV_ERR_USAGE,
                                "covariate %zu is not a number in future period row %zu",
                                q % ncov + 1, q / ncov + 1);
    if (!(buf = cv_malloc(sizeof(double) * 3 * (nper + 1))))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    np = path_pieces(spec, theta + 4, ncov, pstart, pend, z, 0, nper, 0.0, t, buf, buf + nper + 1,
                     buf + 2 * (nper + 1));
    if (np == (size_t)-1) {
        cv_free(buf);
        return cv_error_set(err, CV_ERR_USAGE,
                            "the covariate periods do not cover the first purchase to t = %g "
                            "without gaps",
                            t);
    }
    *pmf = pmf_path(exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3]), buf, buf + nper + 1,
                    buf + 2 * (nper + 1), np, n, mean);
    cv_free(buf);
    if (!isfinite(*pmf) || (mean && !isfinite(*mean)))
        return cv_error_set(err, CV_ERR_DOMAIN, "the probability is not computable");
    return 0;
}

int cv_dyncov_pmf_conditional(const cv_dyncov_prep *p, const cv_dyncov_spec *spec,
                              const double *theta, const cv_dyncov_data *fut, double t, unsigned n,
                              double *out, cv_error *err)
{
    const double r = exp(theta[0]), al = exp(theta[1]), s = exp(theta[2]), be = exp(theta[3]);
    const double *g = theta + 4;
    size_t maxp = 1;
    double *buf;
    int rc;
    if ((rc = check_future(p, fut, err)) != 0)
        return rc;
    if (!(t >= 0.0 && isfinite(t)))
        return cv_error_set(err, CV_ERR_USAGE, "the horizon must be >= 0, got %g", t);
    if ((rc = cv_dyncov_p_alive(p, spec, theta, out, err)) != 0)
        return rc;
    for (size_t i = 0; i < p->n; i++)
        if (fut->pbeg[i + 1] - fut->pbeg[i] + 1 > maxp)
            maxp = fut->pbeg[i + 1] - fut->pbeg[i] + 1;
    if (!(buf = cv_malloc(sizeof(double) * 3 * maxp)))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < p->n; i++) {
        double A = 0, C = 0, a, c, pr;
        size_t np;
        for (size_t k = p->pre[i]; k < p->pre[i + 1]; k++) {
            rates(p, spec, g, p->pc[k].row, &a, &c);
            A += a * p->pc[k].len, C += c * p->pc[k].len;
        }
        np = path_pieces(spec, g, fut->ncov, fut->pstart, fut->pend, fut->z, fut->pbeg[i],
                         fut->pbeg[i + 1], p->T[i], p->T[i] + t, buf, buf + maxp, buf + 2 * maxp);
        if (np == (size_t)-1) {
            cv_free(buf);
            return cv_error_set(err, CV_ERR_USAGE,
                                "customer %zu: the future covariate periods do not cover T = %g "
                                "to T + t = %g without gaps",
                                i + 1, p->T[i], p->T[i] + t);
        }
        /* alive at T: lambda ~ Gamma(r+x, al+A(T)), mu ~ Gamma(s, be+C(T)) */
        pr = pmf_path(r + p->x[i], al + A, s, be + C, buf, buf + maxp, buf + 2 * maxp, np, n, NULL);
        out[i] = out[i] * pr + (n == 0 ? 1.0 - out[i] : 0.0);
        if (!isfinite(out[i])) {
            cv_free(buf);
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "customer %zu: the probability is not computable", i + 1);
        }
    }
    cv_free(buf);
    return 0;
}
