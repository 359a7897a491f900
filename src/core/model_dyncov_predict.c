/* cvkit time-varying covariates for the Pareto/NBD, the predictions (model_dyncov_int.h):
   P(alive), the conditional expectation and the discounted transactions (DERT) over the
   future covariates or the last ones held, the PMFs of a new customer's and of a customer's
   future purchases. */
#include "cvkit/mem.h"
#include "cvkit/special.h"
#include "model_dyncov_int.h"

#include <math.h>

int cv_dyncov_p_alive(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *theta,
                      double *pa, cv_error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const double v = dyncov_loglik_i(p, spec, theta, i, NULL, &pa[i]);
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
                const double v = m + sg * hh * dyncov_gl_x[j];
                part += dyncov_gl_w[j] * exp(-delta * v - s * log((Bk + c * v) / B));
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
        dyncov_z_rates(spec, g, z, &a, &c);
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
            dyncov_rates(p, spec, g, p->pc[k].row, &a, &c);
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
                    const double v = mid + sg * hh * dyncov_gl_x[j];
                    const double Av = A + a[k] * v, Cv = be + C + c[k] * v;
                    part += dyncov_gl_w[j] * exp(lnb(r, al, Av, ln) + (s + 1.0) * log(be / Cv));
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
            dyncov_rates(p, spec, g, p->pc[k].row, &a, &c);
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
