/* cvkit time-varying covariates for the Pareto/NBD, the customers' pieces
   (model_dyncov_int.h): the data checked and cut into pieces of constant covariates, the
   rates of a piece's covariates, the quadrature's nodes. The likelihood:
   model_dyncov_loglik.c, the fit: model_dyncov_fit.c, the predictions: model_dyncov_predict.c. */
#include "cvkit/mem.h"
#include "model_dyncov_int.h"

#include <math.h>
#include <string.h>

/* (model_dyncov_int.h) */
const double dyncov_gl_x[5] = {0.1488743389816312, 0.4333953941292472, 0.6794095682990244,
                               0.8650633666889845, 0.9739065285171717};
const double dyncov_gl_w[5] = {0.2955242247147529, 0.2692667193099963, 0.2190863625159820,
                               0.1494513491505806, 0.0666713443086881};

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

/* The purchase and dropout rate factors a = exp(g_trans' z), c = exp(g_life' z) of the
   covariates z (one period's row). */
void dyncov_z_rates(const cv_dyncov_spec *spec, const double *g, const double *z, double *a,
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

/* The rate factors of period row of p's data (model_dyncov_int.h). */
void dyncov_rates(const cv_dyncov_prep *p, const cv_dyncov_spec *spec, const double *g, size_t row,
                  double *a, double *c)
{
    dyncov_z_rates(spec, g, &p->z[row * p->ncov], a, c);
}
