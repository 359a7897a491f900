/* cvkit Monte Carlo: distributions drawn with cv_rng (model_rng.c), formulas run over
   draws, summaries of simulated values, and Brent's bracketing root finder. Pure C: the
   Lua face is src/lua/l_montecarlo.c, the scenario engine lua/cv/scenario.lua. */
#include "cvkit/montecarlo.h"

#include "cvkit/cancel.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const dist_names[] = {"fixed",      "uniform", "normal",  "lognormal",
                                         "triangular", "beta",    "resample"};
#define NDIST ((int)(sizeof dist_names / sizeof dist_names[0]))

cv_dist cv_dist_init(cv_dist_kind kind, double p0, double p1, double p2)
{
    cv_dist d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.p[0] = p0;
    d.p[1] = p1;
    d.p[2] = p2;
    d.lo = -INFINITY;
    d.hi = INFINITY;
    return d;
}

int cv_dist_parse(const char *name)
{
    for (int i = 0; i < NDIST; i++)
        if (strcmp(name, dist_names[i]) == 0)
            return i;
    return -1;
}

const char *cv_dist_name(cv_dist_kind kind)
{
    return (int)kind >= 0 && (int)kind < NDIST ? dist_names[kind] : "unknown";
}

int cv_dist_check(const cv_dist *d, cv_error *err)
{
    const double *p = d->p;
    const char *name = cv_dist_name(d->kind);
    int np = d->kind == CV_DIST_FIXED ? 1 : d->kind == CV_DIST_TRIANGULAR ? 3 : 2;
    if ((int)d->kind < 0 || (int)d->kind >= NDIST)
        return cv_error_set(err, CV_ERR_USAGE, "unknown distribution %d", (int)d->kind);
    if (d->kind != CV_DIST_RESAMPLE)
        for (int i = 0; i < np; i++)
            if (!isfinite(p[i]))
                return cv_error_set(err, CV_ERR_DOMAIN, "%s: parameter %d must be a finite number",
                                    name, i + 1);
    if (isnan(d->lo) || isnan(d->hi) || d->lo > d->hi)
        return cv_error_set(err, CV_ERR_DOMAIN, "%s: clamp min %g must not exceed max %g", name,
                            d->lo, d->hi);
    switch (d->kind) {
    case CV_DIST_UNIFORM:
        if (!(p[0] <= p[1]))
            return cv_error_set(err, CV_ERR_DOMAIN, "uniform: min %g must not exceed max %g", p[0],
                                p[1]);
        break;
    case CV_DIST_NORMAL:
    case CV_DIST_LOGNORMAL:
        if (p[1] < 0)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s: sd must be >= 0, got %g", name, p[1]);
        break;
    case CV_DIST_TRIANGULAR:
        if (!(p[0] <= p[1] && p[1] <= p[2]) || p[0] == p[2])
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "triangular: expected min <= mode <= max with min < max, got %g, "
                                "%g, %g",
                                p[0], p[1], p[2]);
        break;
    case CV_DIST_BETA:
        if (!(p[0] > 0 && p[1] > 0))
            return cv_error_set(err, CV_ERR_DOMAIN, "beta: shapes must be > 0, got %g and %g", p[0],
                                p[1]);
        break;
    case CV_DIST_RESAMPLE:
        if (!d->values || d->nvalues < 1)
            return cv_error_set(err, CV_ERR_DOMAIN, "resample: no values");
        for (int64_t i = 0; i < d->nvalues; i++)
            if (!isfinite(d->values[i]))
                return cv_error_set(err, CV_ERR_DOMAIN,
                                    "resample: value %lld is missing or not finite",
                                    (long long)i + 1);
        break;
    default:
        break;
    }
    return 0;
}

double cv_dist_draw(const cv_dist *d, cv_rng *rng)
{
    const double *p = d->p;
    double v, u;
    switch (d->kind) {
    case CV_DIST_UNIFORM:
        v = p[0] + (p[1] - p[0]) * cv_rng_uniform(rng);
        break;
    case CV_DIST_NORMAL:
        v = p[0] + p[1] * cv_rng_normal(rng);
        break;
    case CV_DIST_LOGNORMAL:
        v = exp(p[0] + p[1] * cv_rng_normal(rng));
        break;
    case CV_DIST_TRIANGULAR: /* inverse of the distribution function */
        u = cv_rng_uniform(rng);
        if (u < (p[1] - p[0]) / (p[2] - p[0]))
            v = p[0] + sqrt(u * (p[2] - p[0]) * (p[1] - p[0]));
        else
            v = p[2] - sqrt((1 - u) * (p[2] - p[0]) * (p[2] - p[1]));
        break;
    case CV_DIST_BETA:
        v = cv_rng_beta(rng, p[0], p[1]);
        break;
    case CV_DIST_RESAMPLE: {
        int64_t i = (int64_t)(cv_rng_uniform(rng) * (double)d->nvalues);
        v = d->values[i < d->nvalues ? i : d->nvalues - 1];
        break;
    }
    default:
        v = p[0];
        break;
    }
    return v < d->lo ? d->lo : v > d->hi ? d->hi : v;
}

int cv_mc_draw(const cv_dist *d, int k, int64_t n, uint64_t seed, double *out, cv_error *err)
{
    cv_rng rng;
    for (int j = 0; j < k; j++) {
        cv_error e;
        if (cv_dist_check(&d[j], &e) != 0)
            return cv_error_set(err, e.code, "input %d: %s", j + 1, e.msg);
    }
    cv_rng_seed(&rng, seed);
    for (int64_t i = 0; i < n; i++) {
        if ((i & 0xffff) == 0 && cv_cancel_check(err))
            return CV_ERR_LIMIT;
        for (int j = 0; j < k; j++)
            out[i * k + j] = cv_dist_draw(&d[j], &rng);
    }
    return 0;
}

int cv_mc_formula(const cv_formula *f, const double *x, const cv_dist *d, int64_t n, uint64_t seed,
                  double *out, double *draws, int64_t *rejected, cv_error *err)
{
    int idx[CV_FORMULA_MAX_INPUTS], m = 0;
    double in[CV_FORMULA_MAX_INPUTS], steps[CV_FORMULA_MAX_STEPS];
    int64_t bad = 0;
    cv_rng rng;
    if (cv_formula_list_index(f) >= 0)
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s takes a list of values: monte carlo runs formulas without one",
                            f->name);
    if (n < 1)
        return cv_error_set(err, CV_ERR_USAGE, "monte carlo needs at least 1 draw, got %lld",
                            (long long)n);
    for (int i = 0; i < f->ninputs; i++) {
        in[i] = x[i];
        if (d && d[i].kind != CV_DIST_FIXED) {
            cv_error e;
            if (cv_dist_check(&d[i], &e) != 0)
                return cv_error_set(err, e.code, "%s: %s", f->inputs[i].name, e.msg);
            idx[m++] = i;
        } else if (cv_formula_check_input(&f->inputs[i], x[i], err) != 0) {
            return err ? err->code : CV_ERR_DOMAIN;
        }
    }
    cv_rng_seed(&rng, seed);
    for (int64_t r = 0; r < n; r++) {
        double y;
        if ((r & 0xffff) == 0 && cv_cancel_check(err))
            return CV_ERR_LIMIT;
        for (int j = 0; j < m; j++) {
            in[idx[j]] = cv_dist_draw(&d[idx[j]], &rng);
            if (draws)
                draws[r * m + j] = in[idx[j]];
        }
        if (cv_formula_eval(f, in, NULL, 0, &y, steps, NULL) != 0) {
            y = NAN;
            bad++;
        }
        out[r] = y;
    }
    if (rejected)
        *rejected = bad;
    return 0;
}

/* ---- Summaries ------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cv_mc_quantile(const double *sorted, int64_t n, double q)
{
    double h = (double)(n - 1) * q;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    if (lo < 0)
        return sorted[0];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double cv_mc_prob_below(const double *sorted, int64_t n, double threshold)
{
    int64_t lo = 0, hi = n; /* first index with sorted[i] >= threshold */
    if (n <= 0)
        return 0;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < threshold)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo / (double)n;
}

int cv_mc_summarize(double *v, int64_t n, cv_mc_summary *s, cv_error *err)
{
    int64_t k = 0;
    double mean = 0, m2 = 0;
    memset(s, 0, sizeof *s);
    /* move the NaNs to the end, then sort the finite part */
    for (int64_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            double t = v[k];
            v[k++] = v[i];
            v[i] = t;
        }
    s->n = k;
    s->missing = n - k;
    if (k == 0) {
        s->mean = s->sd = s->min = s->max = NAN;
        s->p5 = s->p25 = s->p50 = s->p75 = s->p95 = NAN;
        return cv_error_set(err, CV_ERR_DOMAIN, "no finite values to summarize");
    }
    qsort(v, (size_t)k, sizeof *v, cmp_double);
    for (int64_t i = 0; i < k; i++) { /* Welford */
        double dlt = v[i] - mean;
        mean += dlt / (double)(i + 1);
        m2 += dlt * (v[i] - mean);
    }
    s->mean = mean;
    s->sd = k > 1 ? sqrt(m2 / (double)(k - 1)) : 0;
    s->min = v[0];
    s->max = v[k - 1];
    s->p5 = cv_mc_quantile(v, k, 0.05);
    s->p25 = cv_mc_quantile(v, k, 0.25);
    s->p50 = cv_mc_quantile(v, k, 0.5);
    s->p75 = cv_mc_quantile(v, k, 0.75);
    s->p95 = cv_mc_quantile(v, k, 0.95);
    return 0;
}

int cv_mc_histogram(const double *sorted, int64_t n, int bins, double lo, double hi,
                    int64_t *counts, cv_error *err)
{
    if (!isfinite(lo) || !isfinite(hi))
        return cv_error_set(err, CV_ERR_USAGE, "histogram bounds must be finite numbers, got %g",
                            isfinite(lo) ? hi : lo);
    if (bins < 1 || !(hi > lo))
        return cv_error_set(err, CV_ERR_USAGE,
                            "histogram needs at least 1 bin and lo < hi, got %d bins over "
                            "[%g, %g]",
                            bins, lo, hi);
    memset(counts, 0, (size_t)bins * sizeof *counts);
    /* hi - lo overflows for huge finite bounds, hi / 2 - lo / 2 cannot (halving costs
       precision only among subnormal numbers, where the first form is used) */
    int half = !isfinite(hi - lo);
    double span = half ? hi / 2 - lo / 2 : hi - lo;
    for (int64_t i = 0; i < n; i++) {
        double x = sorted[i];
        if (!(x >= lo && x <= hi))
            continue;
        double f = (half ? x / 2 - lo / 2 : x - lo) / span * bins; /* in [0, bins] */
        int b = f >= bins ? bins - 1 : f > 0 ? (int)f : 0;
        counts[b]++;
    }
    return 0;
}

/* ---- Root finding ---------------------------------------------------------------------------- */

/* Calls f at x, counting; 0, the callback's status, or CV_ERR_DOMAIN for a NaN. */
static int call(cv_root_fn f, void *ud, double x, double *fx, cv_root_result *r, cv_error *err)
{
    int rc = f(ud, x, fx);
    r->evals++;
    if (rc != 0)
        return rc;
    if (isnan(*fx))
        return cv_error_set(err, CV_ERR_DOMAIN, "f is not a number at x = %.10g", x);
    return 0;
}

/* Brent's zeroin on [a, b] with f(a), f(b) of opposite signs (or one of them 0). */
static int brent(cv_root_fn f, void *ud, double a, double b, double fa, double fb, double xtol,
                 cv_root_result *r, cv_error *err)
{
    double c = b, fc = fb, d = b - a, e = d;
    for (int iter = 0; iter < 300; iter++) {
        if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
            c = a;
            fc = fa;
            e = d = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol1 = 2 * DBL_EPSILON * fabs(b) + 0.5 * xtol, xm = 0.5 * (c - b);
        if (fabs(xm) <= tol1 || fb == 0)
            break;
        if (fabs(e) >= tol1 && fabs(fa) > fabs(fb)) {
            double s = fb / fa, p, q;
            if (a == c) { /* secant */
                p = 2 * xm * s;
                q = 1 - s;
            } else { /* inverse quadratic interpolation */
                double qq = fa / fc, rr = fb / fc;
                p = s * (2 * xm * qq * (qq - rr) - (b - a) * (rr - 1));
                q = (qq - 1) * (rr - 1) * (s - 1);
            }
            if (p > 0)
                q = -q;
            p = fabs(p);
            double min1 = 3 * xm * q - fabs(tol1 * q), min2 = fabs(e * q);
            if (2 * p < (min1 < min2 ? min1 : min2)) {
                e = d;
                d = p / q;
            } else { /* bisection */
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol1 ? d : (xm >= 0 ? tol1 : -tol1);
        int rc = call(f, ud, b, &fb, r, err);
        if (rc != 0)
            return rc;
    }
    r->x = b;
    r->fx = fb;
    return 0;
}

int cv_root_find(cv_root_fn f, void *ud, double a, double b, int scan, double xtol,
                 cv_root_result *r, cv_error *err)
{
    double xprev, fprev;
    int rc;
    memset(r, 0, sizeof *r);
    r->fa = r->fb = r->x = r->fx = NAN;
    if (!isfinite(a) || !isfinite(b) || !(a < b))
        return cv_error_set(err, CV_ERR_USAGE, "root finding needs a range lo < hi, got [%g, %g]",
                            a, b);
    if (scan < 1)
        scan = 1;
    if (xtol <= 0)
        xtol = fabs(a) + fabs(b) > 0 ? 1e-10 * (fabs(a) + fabs(b)) : 1e-12;
    if ((rc = call(f, ud, a, &r->fa, r, err)) != 0)
        return rc;
    if ((rc = call(f, ud, b, &r->fb, r, err)) != 0)
        return rc;
    xprev = a;
    fprev = r->fa;
    for (int k = 1; k <= scan; k++) {
        double x = k == scan ? b : a + (b - a) * k / scan, fx;
        if (fprev == 0) {
            r->x = r->lo = r->hi = xprev;
            r->fx = 0;
            return 0;
        }
        if (k == scan) {
            fx = r->fb;
        } else if ((rc = call(f, ud, x, &fx, r, err)) != 0) {
            return rc;
        }
        if ((fprev < 0) != (fx < 0) || fx == 0) {
            r->lo = xprev;
            r->hi = x;
            if (fx == 0) {
                r->x = x;
                r->fx = 0;
                return 0;
            }
            return brent(f, ud, xprev, x, fprev, fx, xtol, r, err);
        }
        xprev = x;
        fprev = fx;
    }
    return cv_error_set(err, CV_ERR_DOMAIN,
                        "no crossing between %.10g and %.10g: f goes from %.10g to %.10g", a, b,
                        r->fa, r->fb);
}
