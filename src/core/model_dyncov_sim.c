/* cvkit simulation of the Pareto/NBD with time-varying covariates
   (include/cvkit/dyncov_sim.h): exact draws under piecewise-constant rates, by inverting each
   customer's piecewise-linear cumulative hazards of purchase and dropout. */
#include "cvkit/cancel.h"
#include "cvkit/dyncov_sim.h"
#include "cvkit/mem.h"
#include "cvkit/timevalue.h"
#include "model_int.h"

#include <math.h>
#include <string.h>

/* One customer's pieces clipped to (0, T]: start u0[k], length len[k], the factors a[k] =
   exp(g_trans' z_k) and c[k] = exp(g_life' z_k). */
typedef struct {
    double *u0, *len, *a, *c;
    size_t n, cap;
} pieces;

static int pieces_grow(pieces *p, size_t need)
{
    if (need <= p->cap)
        return 0;
    size_t cap = p->cap ? p->cap : 64;
    while (cap < need)
        cap *= 2;
    double *v = cv_realloc(p->u0, sizeof(double) * 4 * cap);
    if (!v)
        return -1;
    p->u0 = v, p->len = v + cap, p->a = v + 2 * cap, p->c = v + 3 * cap, p->cap = cap;
    return 0;
}

/* Customer i's pieces of (0, T] into p; CV_ERR_USAGE with the reason when its periods do not
   cover it or a covariate is not finite. */
static int customer_pieces(const cv_dyncov_data *d, const cv_dyncov_spec *spec, const double *g,
                           size_t i, pieces *p, cv_error *err)
{
    const double T = d->T[i];
    double at = 0.0; /* covered up to */
    p->n = 0;
    if (!(T >= 0.0) || !isfinite(T))
        return cv_error_set(err, CV_ERR_USAGE, "customer %zu: T = %g must be a finite number >= 0",
                            i + 1, T);
    if (pieces_grow(p, d->pbeg[i + 1] - d->pbeg[i] + 1))
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (size_t q = d->pbeg[i]; q < d->pbeg[i + 1] && at < T; q++) {
        double st = d->pstart[q], en = d->pend ? d->pend[q] : d->pstart[q] + 1.0, et = 0.0,
               ec = 0.0;
        if (!(en > st) || !(st <= at + 1e-9 * (1.0 + fabs(at))))
            break; /* a gap or an empty period */
        if (en <= at)
            continue; /* before the first purchase */
        for (size_t c = 0; c < spec->ncoef; c++) {
            double v = d->z[q * d->ncov + spec->col[c]] * g[c];
            if (!isfinite(d->z[q * d->ncov + spec->col[c]]))
                return cv_error_set(err, CV_ERR_USAGE,
                                    "customer %zu: covariate %zu is not finite in period %zu",
                                    i + 1, spec->col[c] + 1, q - d->pbeg[i] + 1);
            if (spec->proc[c] & CV_COV_TRANS)
                et += v;
            if (spec->proc[c] & CV_COV_LIFE)
                ec += v;
        }
        en = en < T ? en : T;
        p->u0[p->n] = at, p->len[p->n] = en - at, p->a[p->n] = exp(et), p->c[p->n] = exp(ec);
        p->n++;
        at = en;
    }
    if (at < T && p->n > 0 && at >= T - 1e-9 * (1.0 + T))
        p->len[p->n - 1] += T - at, at = T; /* the last period ends at T but for rounding */
    if (at < T)
        return cv_error_set(err, CV_ERR_USAGE,
                            "customer %zu: the periods do not cover 0 to T = %g without gaps",
                            i + 1, T);
    return 0;
}

/* The time at which the integral of f over the pieces from 0 reaches h, from piece *k (whose
   start has integral *acc; both advanced), or INFINITY past the last piece. */
static double invert(const pieces *p, const double *f, double h, size_t *k, double *acc)
{
    while (*k < p->n) {
        double step = f[*k] * p->len[*k];
        if (*acc + step >= h)
            return p->u0[*k] + (h - *acc) / f[*k];
        *acc += step;
        (*k)++;
    }
    return INFINITY;
}

int cv_dyncov_simulate(const cv_dyncov_data *d, const cv_dyncov_spec *spec, const double *theta,
                       uint64_t seed, cv_dyncov_draws *out, cv_error *err)
{
    const size_t ncoef = spec ? spec->ncoef : 0;
    const cv_dyncov_spec none = {0, NULL, NULL};
    double r, alpha, s, beta, *tt = NULL;
    size_t cap = 256, m = 0;
    pieces p = {NULL, NULL, NULL, NULL, 0, 0};
    cv_dyncov_draws o = {d->n, NULL, NULL, NULL, NULL};
    cv_rng rng;
    int rc = 0;
    if (!spec)
        spec = &none;
    if (ncoef > CV_OPTIM_MAXN - 4)
        return cv_error_set(err, CV_ERR_USAGE, "dyncov: %zu coefficients, at most %d", ncoef,
                            CV_OPTIM_MAXN - 4);
    for (size_t c = 0; c < ncoef; c++)
        if (spec->col[c] >= d->ncov || !(spec->proc[c] & (CV_COV_TRANS | CV_COV_LIFE)) ||
            (spec->proc[c] & ~(unsigned)(CV_COV_TRANS | CV_COV_LIFE)))
            return cv_error_set(err, CV_ERR_USAGE,
                                "dyncov: coefficient %zu: column %zu of %zu, or no process", c + 1,
                                spec->col[c] + 1, d->ncov);
    for (size_t j = 0; j < 4 + ncoef; j++)
        if (!isfinite(theta[j]))
            return cv_error_set(err, CV_ERR_USAGE, "dyncov: parameter %zu is not finite", j + 1);
    r = exp(theta[0]), alpha = exp(theta[1]), s = exp(theta[2]), beta = exp(theta[3]);
    o.x = cv_malloc(sizeof(double) * 2 * (d->n ? d->n : 1));
    o.tbeg = cv_malloc(sizeof(size_t) * (d->n + 1));
    tt = cv_malloc(sizeof(double) * cap);
    if (!o.x || !o.tbeg || !tt) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    o.t_x = o.x + d->n;
    o.tbeg[0] = 0;
    cv_rng_seed(&rng, seed);
    for (size_t i = 0; i < d->n; i++) {
        double lambda, mu, tau, end, now = 0.0, acc = 0.0, last = 0.0;
        size_t k = 0, x = 0;
        if ((i & 0xfff) == 0 && cv_cancel_check(err)) {
            rc = CV_ERR_LIMIT;
            goto done;
        }
        if ((rc = customer_pieces(d, spec, theta + 4, i, &p, err)) != 0)
            goto done;
        lambda = cv_rng_gamma(&rng, r) / alpha; /* the order of the Pareto/NBD's simulate */
        mu = cv_rng_gamma(&rng, s) / beta;
        tau = invert(&p, p.c, cv_rng_exp(&rng) / mu, &k, &acc);
        end = tau < d->T[i] ? tau : d->T[i];
        k = 0, acc = 0.0;
        for (;;) {
            double u;
            now += cv_rng_exp(&rng) / lambda;
            u = invert(&p, p.a, now, &k, &acc);
            if (u > end)
                break;
            if (m == cap) {
                double *v = cv_realloc(tt, sizeof(double) * cap * 2);
                if (!v) {
                    rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
                    goto done;
                }
                tt = v, cap *= 2;
            }
            tt[m++] = last = u, x++;
        }
        o.x[i] = (double)x, o.t_x[i] = last, o.tbeg[i + 1] = m;
    }
    o.ttime = tt, tt = NULL;
    *out = o;
    o.x = NULL, o.tbeg = NULL;
done:
    cv_free(o.x), cv_free(o.tbeg), cv_free(tt), cv_free(p.u0);
    return rc;
}

void cv_dyncov_draws_free(cv_dyncov_draws *dr)
{
    if (!dr)
        return;
    cv_free(dr->x), cv_free(dr->tbeg), cv_free(dr->ttime);
    memset(dr, 0, sizeof *dr);
}

void cv_dyncov_first_days(uint64_t seed, size_t n, int32_t start, int cohort_days, int32_t *first)
{
    cv_rng rng;
    cv_rng_seed(&rng, seed ^ 0x6a09e667f3bcc908ULL);
    for (size_t i = 0; i < n; i++) {
        int32_t f = start + (int32_t)(cv_rng_uniform(&rng) * cohort_days);
        first[i] = f >= start + cohort_days ? start + cohort_days - 1 : f;
    }
}

cv_table *cv_dyncov_simulate_tx(const cv_dyncov_data *d, const cv_dyncov_spec *spec,
                                const double *theta, uint64_t seed, const int32_t *first,
                                int32_t end, cv_time_unit unit, const cv_column *id, cv_error *err)
{
    cv_dyncov_draws dr;
    cv_column *cid = NULL, *cdate = NULL, *camt = NULL;
    cv_table *t = NULL;
    const double L = cv_unit_days(unit);
    if (unit != CV_UNIT_DAY && unit != CV_UNIT_WEEK) {
        cv_error_set(err, CV_ERR_USAGE, "dyncov: transactions are drawn in days or weeks, not %s",
                     cv_time_unit_name(unit));
        return NULL;
    }
    if (id && (size_t)id->n != d->n) {
        cv_error_set(err, CV_ERR_USAGE, "dyncov: the id column has %lld rows, %zu customers",
                     (long long)id->n, d->n);
        return NULL;
    }
    if (cv_dyncov_simulate(d, spec, theta, seed, &dr, err) != 0)
        return NULL;
    {
        int64_t rows = (int64_t)(d->n + dr.tbeg[d->n]);
        cid = cv_column_new("customer", CV_INT64, rows);
        cdate = cv_column_new("date", CV_DATE, rows);
        camt = cv_column_new("amount", CV_FLOAT64, rows);
    }
    if (!cid || !cdate || !camt)
        goto nomem;
    for (size_t i = 0; i < d->n; i++)
        for (size_t k = dr.tbeg[i]; k <= dr.tbeg[i + 1]; k++) { /* the first, then the repeats */
            int32_t day = first[i];
            if (k > dr.tbeg[i]) {
                day = first[i] + (int32_t)floor(dr.ttime[k - 1] * L);
                day = day > end ? end : day;
            }
            if (cv_column_push_int(cid, (int64_t)i + 1) || cv_column_push_i32(cdate, day) ||
                cv_column_push_float(camt, 1.0))
                goto nomem;
        }
    t = cv_gen_table(cid, cdate, camt, id, err);
    cid = cdate = camt = NULL;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    cv_column_unref(cid), cv_column_unref(cdate), cv_column_unref(camt);
    cv_dyncov_draws_free(&dr);
    return t;
}
