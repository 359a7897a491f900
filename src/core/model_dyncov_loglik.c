/* cvkit time-varying covariates for the Pareto/NBD, the log-likelihood (model_dyncov_int.h):
   a sum over the pieces of (t_x, T], by the hypergeometric closed form or quadrature per piece,
   and its analytic gradient. */
#include "cvkit/special.h"
#include "model_dyncov_int.h"

#include <math.h>

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
                const double f =
                    quad_f(rx, s, p, q, m, mid + sg * dyncov_gl_x[j] * h / 2, &lp, &lq);
                if (f > M) {
                    const double sc = exp(M - f);
                    acc *= sc, ga[0] *= sc, ga[1] *= sc, ga[2] *= sc, ga[3] *= sc, M = f;
                }
                w = dyncov_gl_w[j] * exp(f - M);
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

/* Customer i's log-likelihood at th; when gr is not NULL, its gradient by th (4 + ncoef). The
   likelihood is exp(base) (sum_k exp(v_k)) with v_k the pieces' dropout terms and the alive
   term: the gradient is base's plus the v_k's weighted by exp(v_k) / sum, each v_k's by the
   chain rule through A, C and the pieces' p = (alpha+A)/a, q = (beta+C)/c (log_j's d). */
double dyncov_loglik_i(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *th,
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
        dyncov_rates(p, spec, g, p->pc[k].row, &a, &c);
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
            dyncov_rates(p, spec, g, p->pc[k].row, &a, &c);
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
        const double v = dyncov_loglik_i(p, spec, theta, i, NULL, NULL);
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
        sum += dyncov_loglik_i(p, spec, theta, i, gi, NULL);
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
