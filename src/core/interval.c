/* cvkit interval engine: parameter draws (asymptotic normal on the log scale, or bootstrap
   refits on reweighted rows), the predictions at each draw through the problem's callback,
   and percentile intervals of every prediction and parameter (include/cvkit/intervals.h). */
#include "cvkit/cancel.h"
#include "cvkit/intervals.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "cvkit/threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cv_interval_method_name(int method)
{
    return method == CV_INTERVAL_BOOTSTRAP ? "bootstrap" : "asymptotic";
}

int cv_interval_method_parse(const char *name)
{
    if (name && strcmp(name, "asymptotic") == 0)
        return CV_INTERVAL_ASYMPTOTIC;
    if (name && strcmp(name, "bootstrap") == 0)
        return CV_INTERVAL_BOOTSTRAP;
    return -1;
}

/* ---- Binomial draws ------------------------------------------------------------------------ */

/* Inversion: the count whose cumulative probability first reaches a uniform; for means up
   to ~30 (expected steps: the mean). */
static double binom_inv(cv_rng *rng, double n, double p)
{
    double q = 1.0 - p, r = p / q, f = pow(q, n), u = cv_rng_uniform(rng), k = 0.0;
    while (u > f && k < n) {
        u -= f;
        f *= r * (n - k) / (k + 1.0);
        k += 1.0;
        if (!(f > 0.0)) /* rounding left a tail of u: the last count reached */
            break;
    }
    return k;
}

double cv_rng_binomial(cv_rng *rng, double n, double p)
{
    double k = 0.0;
    if (!(n >= 1.0) || !(p > 0.0))
        return 0.0;
    if (p >= 1.0)
        return n;
    /* Knuth (TAOCP 3.4.1 F): the a-th smallest of n uniforms is Beta(a, n + 1 - a); the
       count below p is then a binomial of the uniforms on one side. Exact. */
    while (n * (p < 0.5 ? p : 1.0 - p) > 30.0) {
        double a = floor(1.0 + n / 2.0), b = n + 1.0 - a;
        double x = cv_rng_beta(rng, a, b);
        if (x >= p) {
            n = a - 1.0, p = p / x;
        } else {
            k += a;
            n = b - 1.0, p = (p - x) / (1.0 - x);
        }
        if (!(n >= 1.0) || !(p > 0.0))
            return k;
        if (p >= 1.0)
            return k + n;
    }
    if (p > 0.5)
        return k + n - binom_inv(rng, n, 1.0 - p);
    return k + binom_inv(rng, n, p);
}

/* Multinomial counts of N = round(sum w) customers over the n rows of w (probabilities
   w / sum w), row by row: count_j ~ Binomial(N left, w_j / w left). */
static void multinomial(cv_rng *rng, const double *w, size_t n, double *out)
{
    double left = 0.0, N;
    size_t j;
    for (j = 0; j < n; j++)
        left += w[j];
    N = floor(left + 0.5);
    for (j = 0; j < n; j++) {
        double c = 0.0;
        if (N > 0.0 && w[j] > 0.0)
            c = j + 1 == n || w[j] >= left ? N : cv_rng_binomial(rng, N, w[j] / left);
        out[j] = c;
        N -= c;
        left -= w[j];
    }
}

/* ---- Quantiles --------------------------------------------------------------------------- */

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cv_interval_quantile(double *v, size_t n, double q)
{
    size_t m = 0, i;
    for (i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[m++] = v[i];
    if (m == 0)
        return NAN;
    qsort(v, m, sizeof *v, dcmp);
    return cv_quantile_sorted(v, (int64_t)m, q); /* the one type-7 quantile (table.h) */
}

/* ---- The draws --------------------------------------------------------------------------- */

typedef struct {
    const cv_interval_problem *pb;
    const cv_interval_options *o;
    const double *chol; /* lower triangle of cov_log */
    double *mat;        /* draws x nout */
    double *par;        /* draws x np */
    unsigned char *ok;  /* draws */
    size_t nrows;
} draw_job;

/* 1 when parameter a is drawn on its own scale (cv_interval_problem.linear). */
static int is_linear(const cv_interval_problem *pb, int a)
{
    return a < 32 && ((pb->linear >> a) & 1u);
}

static uint64_t draw_seed(uint64_t seed, size_t b)
{
    uint64_t z = seed ^ ((uint64_t)b * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
    z = (z ^ (z >> 31)) * 0x7FB5D329728EA185ULL;
    return z ^ (z >> 27);
}

static void draw_range(void *v, size_t lo, size_t hi)
{
    const draw_job *j = v;
    const cv_interval_problem *pb = j->pb;
    int np = pb->np, a, c;
    double *wb = NULL;
    size_t b;
    if (j->o->method == CV_INTERVAL_BOOTSTRAP && !(wb = cv_malloc(sizeof(double) * j->nrows))) {
        memset(j->ok + lo, 0, hi - lo);
        return;
    }
    for (b = lo; b < hi; b++) {
        cv_rng rng;
        double *p = j->par + b * (size_t)np;
        j->ok[b] = 0;
        if (cv_cancelled())
            continue;
        cv_rng_seed(&rng, draw_seed(j->o->seed, b));
        if (j->o->method == CV_INTERVAL_ASYMPTOTIC) {
            double z[CV_INTERVAL_MAXP];
            for (a = 0; a < np; a++)
                z[a] = cv_rng_normal(&rng);
            for (a = 0; a < np; a++) {
                int lin = is_linear(pb, a);
                double t = lin ? pb->est[a] : log(pb->est[a]);
                for (c = 0; c <= a; c++)
                    t += j->chol[a * np + c] * z[c];
                p[a] = lin ? t : exp(t);
            }
        } else {
            size_t g, off = 0;
            for (g = 0; g < pb->ngroups; g++) {
                multinomial(&rng, pb->w + off, pb->group_n[g], wb + off);
                off += pb->group_n[g];
            }
            if (pb->refit(pb->ctx, wb, pb->est, p) != 0)
                continue;
        }
        for (a = 0; a < np; a++)
            if ((!is_linear(pb, a) && !(p[a] > 0.0)) || !isfinite(p[a]))
                break;
        if (a < np || pb->predict(pb->ctx, p, j->mat + b * pb->nout) != 0)
            continue;
        j->ok[b] = 1;
    }
    cv_free(wb);
}

/* Cholesky factor of the np x np matrix a into l (lower, row-major); -1 when a is not
   positive definite or not finite. */
static int cholesky(int np, const double *a, double *l)
{
    int i, j, k;
    memset(l, 0, sizeof(double) * (size_t)(np * np));
    for (i = 0; i < np; i++)
        for (j = 0; j <= i; j++) {
            double s = a[i * np + j];
            if (!isfinite(s))
                return -1;
            for (k = 0; k < j; k++)
                s -= l[i * np + k] * l[j * np + k];
            if (i == j) {
                if (!(s > 0.0))
                    return -1;
                l[i * np + i] = sqrt(s);
            } else {
                l[i * np + j] = s / l[j * np + j];
            }
        }
    return 0;
}

typedef struct {
    const double *mat;
    const unsigned char *ok;
    size_t draws, stride, failed;
    double qlo, qhi;
    double *lo, *hi;
} quant_job;

/* Of the n draws with f failed, placed below every value (below = 1) or above (below = 0):
   1 when the type-7 quantile q is not reached by a failed draw, with its order statistic j
   among the others (0-based) and its interpolation fraction fr. */
static int end_bounded(size_t n, size_t f, double q, int below, size_t *j, double *fr)
{
    const double h = (double)(n - 1) * q;
    *j = (size_t)floor(h), *fr = h - (double)*j;
    if (f >= n)
        return 0;
    if (below) {
        if (*j < f)
            return 0;
        *j -= f;
        return 1;
    }
    return *j < n - f && (*fr == 0.0 || *j + 1 < n - f);
}

/* The type-7 quantile q of the m + f values made of v[0..m) (sorted, no NaN) and f failed
   draws placed below (below = 1) or above them (below = 0): the end of the interval whatever
   the failed draws' values were. NaN when they could reach it, or m = 0. */
static double bounded_quantile(const double *v, size_t m, size_t f, double q, int below)
{
    size_t j;
    double fr;
    if (m == 0 || !end_bounded(m + f, f, q, below, &j, &fr))
        return NAN;
    return j + 1 < m ? v[j] + fr * (v[j + 1] - v[j]) : v[j];
}

static void quant_range(void *v, size_t lo, size_t hi)
{
    const quant_job *j = v;
    double *col = cv_malloc(sizeof(double) * j->draws);
    size_t i, b, m, k;
    for (i = lo; i < hi; i++) {
        if (!col) {
            j->lo[i] = j->hi[i] = NAN;
            continue;
        }
        for (b = m = 0; b < j->draws; b++)
            if (j->ok[b])
                col[m++] = j->mat[b * j->stride + i];
        if (j->failed == 0) {
            j->lo[i] = cv_interval_quantile(col, m, j->qlo);
            j->hi[i] = cv_interval_quantile(col, m, j->qhi); /* col is sorted now: cheap */
            continue;
        }
        for (b = k = 0; b < m; b++) /* the NaNs out, then sorted */
            if (!isnan(col[b]))
                col[k++] = col[b];
        qsort(col, k, sizeof *col, dcmp);
        j->lo[i] = bounded_quantile(col, k, j->failed, j->qlo, 1);
        j->hi[i] = bounded_quantile(col, k, j->failed, j->qhi, 0);
    }
    cv_free(col);
}

/* The most failed draws an interval of o's level over o->draws draws can bound: both ends
   keep a draw that did not fail between them and the failed draws, whichever side these lie. */
static size_t failed_allowed(const cv_interval_options *o)
{
    const double qlo = (1.0 - o->level) / 2.0, qhi = (1.0 + o->level) / 2.0;
    size_t f = 0, j;
    double fr;
    while (end_bounded(o->draws, f + 1, qlo, 1, &j, &fr) &&
           end_bounded(o->draws, f + 1, qhi, 0, &j, &fr))
        f++;
    return f;
}

void cv_interval_result_free(cv_interval_result *r)
{
    cv_free(r->est);
    r->est = r->lo = r->hi = NULL;
}

int cv_interval_run(const cv_interval_problem *pb, const cv_interval_options *o,
                    cv_interval_result *r, cv_error *err)
{
    double chol[CV_INTERVAL_MAXP * CV_INTERVAL_MAXP];
    draw_job job;
    quant_job qj;
    size_t b, nrows = 0, g;
    int np = pb->np, a, rc;
    memset(r, 0, sizeof *r);
    if (!(o->level > 0.0 && o->level < 1.0))
        return cv_error_set(err, CV_ERR_USAGE, "interval level must lie between 0 and 1, got %g",
                            o->level);
    if (o->draws < 2)
        return cv_error_set(err, CV_ERR_USAGE, "intervals need at least 2 draws, got %zu",
                            o->draws);
    if (np < 1 || np > CV_INTERVAL_MAXP)
        return cv_error_set(err, CV_ERR_USAGE, "intervals: %d parameters (1 to %d)", np,
                            CV_INTERVAL_MAXP);
    for (a = 0; a < np; a++)
        if ((!is_linear(pb, a) && !(pb->est[a] > 0.0)) || !isfinite(pb->est[a]))
            return cv_error_set(err, CV_ERR_USAGE, "intervals: parameter %d = %g must be positive",
                                a + 1, pb->est[a]);
    if (o->method == CV_INTERVAL_ASYMPTOTIC) {
        if (!pb->cov_log || cholesky(np, pb->cov_log, chol) != 0)
            return cv_error_set(err, CV_ERR_USAGE,
                                "the covariance of the parameters is not positive definite: "
                                "no asymptotic interval (try method = \"bootstrap\")");
    } else if (o->method == CV_INTERVAL_BOOTSTRAP) {
        if (!pb->refit || !pb->w || pb->ngroups < 1 || pb->ngroups > CV_INTERVAL_GROUPS)
            return cv_error_set(err, CV_ERR_USAGE, "intervals: the bootstrap needs the fit's data");
        for (g = 0; g < pb->ngroups; g++)
            nrows += pb->group_n[g];
    } else {
        return cv_error_set(err, CV_ERR_USAGE, "unknown interval method %d", o->method);
    }
    r->nout = pb->nout, r->np = np, r->draws = o->draws;
    r->est = cv_malloc(sizeof(double) * 3 * (pb->nout ? pb->nout : 1));
    job.mat = cv_malloc(sizeof(double) * o->draws * (pb->nout ? pb->nout : 1));
    job.par = cv_malloc(sizeof(double) * o->draws * (size_t)np);
    job.ok = cv_malloc(o->draws);
    if (!r->est || !job.mat || !job.par || !job.ok || o->draws > SIZE_MAX / 8 / (pb->nout + 1)) {
        cv_free(job.mat), cv_free(job.par), cv_free(job.ok);
        cv_interval_result_free(r);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory (%zu draws of %zu predictions)",
                            o->draws, pb->nout);
    }
    r->lo = r->est + pb->nout, r->hi = r->est + 2 * pb->nout;
    if (pb->predict(pb->ctx, pb->est, r->est) != 0) {
        rc = cv_error_set(err, CV_ERR_DOMAIN, "intervals: the predictions at the estimates failed");
        goto fail;
    }
    job.pb = pb, job.o = o, job.chol = chol, job.nrows = nrows;
    cv_par_for(o->draws, 2, draw_range, &job);
    if ((rc = cv_cancel_check(err)) != 0)
        goto fail;
    for (b = 0; b < o->draws; b++)
        r->used += job.ok[b];
    /* The draws that fail are not a random sample of them: a refit fails where the resample
       pins a parameter least (it runs to the fence), a prediction where a draw is extreme.
       The percentile interval of the others would describe the replicates that stayed
       interior, too narrow. So the failed draws are counted as draws whose value is unknown:
       each end is the quantile of all the draws with the failed ones beyond it (below the
       lower end, above the upper), which holds whatever their values were; when they could
       reach an end (more failed draws than the tail beyond it holds) there is no interval. */
    if (r->used < 2 || o->draws - r->used > failed_allowed(o)) {
        const size_t failed = o->draws - r->used, allowed = failed_allowed(o);
        if (o->method == CV_INTERVAL_BOOTSTRAP)
            rc = cv_error_set(err, CV_ERR_DOMAIN,
                              "intervals: %zu of %zu bootstrap refits failed (not converged or "
                              "at the fence); a %g%% interval of %zu draws holds at most %zu: "
                              "refits fail where the data say least, so the rest give too "
                              "narrow an interval (try method = \"asymptotic\" or a penalty)",
                              failed, o->draws, 100.0 * o->level, o->draws, allowed);
        else
            rc = cv_error_set(err, CV_ERR_DOMAIN,
                              "intervals: the predictions failed at %zu of %zu parameter "
                              "draws; a %g%% interval of %zu draws holds at most %zu: the "
                              "failed draws are the extreme ones, so the rest give too narrow "
                              "an interval",
                              failed, o->draws, 100.0 * o->level, o->draws, allowed);
        goto fail;
    }
    qj.ok = job.ok, qj.draws = o->draws, qj.failed = o->draws - r->used;
    qj.qlo = (1.0 - o->level) / 2.0, qj.qhi = (1.0 + o->level) / 2.0;
    qj.mat = job.mat, qj.stride = pb->nout, qj.lo = r->lo, qj.hi = r->hi;
    cv_par_for(pb->nout, 64, quant_range, &qj);
    qj.mat = job.par, qj.stride = (size_t)np, qj.lo = r->p_lo, qj.hi = r->p_hi;
    quant_range(&qj, 0, (size_t)np);
    cv_free(job.mat), cv_free(job.par), cv_free(job.ok);
    return 0;
fail:
    cv_free(job.mat), cv_free(job.par), cv_free(job.ok);
    cv_interval_result_free(r);
    return rc;
}
