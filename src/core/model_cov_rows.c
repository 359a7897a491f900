/* cvkit time-invariant covariates, the rows (model_cov_int.h): the distinct covariate
   patterns of the customers, and the data collapsed on (z, x, t_x, T) that the
   log-likelihood and the fit walk. */
#include "cvkit/covariates.h"
#include "cvkit/mem.h"
#include "model_cov_int.h"

#include <string.h>

void cov_rows_free(cov_rows *cr)
{
    cv_free(cr->col), cv_free(cr->coef_col), cv_free(cr->x), cv_free(cr->goff), cv_free(cr->gz);
    memset(cr, 0, sizeof *cr);
}

/* The distinct covariate vectors of d's rows (pattern of each row into pid), in order of
   first appearance; the vectors into *gz (grown). Returns the number, or (size_t)-1. */
static size_t patterns(const cov_rows *cr, size_t n, uint32_t *pid, double **gz)
{
    size_t cap = 16, mask, k = 0, have = 64, i, c;
    uint32_t *slot;
    while (cap < 2 * n + 2)
        cap <<= 1;
    mask = cap - 1;
    slot = cv_calloc(cap, sizeof *slot);
    *gz = cv_malloc(sizeof(double) * have * (cr->ncol ? cr->ncol : 1));
    if (!slot || !*gz) {
        cv_free(slot);
        return (size_t)-1;
    }
    for (i = 0; i < n; i++) {
        uint64_t h = 0x9E3779B97F4A7C15ULL;
        for (c = 0; c < cr->ncol; c++)
            h = (h ^ cv_model_key_bits(cr->col[c][i])) * 0xBF58476D1CE4E5B9ULL, h ^= h >> 31;
        for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
            if (slot[s] == 0) {
                if (k == have) {
                    double *g = cv_realloc(*gz, sizeof(double) * (have *= 2) * cr->ncol);
                    if (!g) {
                        cv_free(slot);
                        return (size_t)-1;
                    }
                    *gz = g;
                }
                for (c = 0; c < cr->ncol; c++)
                    (*gz)[k * cr->ncol + c] = cr->col[c][i];
                slot[s] = (uint32_t)(++k);
                pid[i] = (uint32_t)(k - 1);
                break;
            }
            const double *z = *gz + (size_t)(slot[s] - 1) * cr->ncol;
            for (c = 0; c < cr->ncol && cv_model_key_bits(z[c]) == cv_model_key_bits(cr->col[c][i]);
                 c++)
                ;
            if (c == cr->ncol) {
                pid[i] = slot[s] - 1;
                break;
            }
        }
    }
    cv_free(slot);
    return k;
}

size_t cv_cov_patterns(const cv_cov_spec *spec, size_t n, uint32_t *pid)
{
    cov_rows cr;
    double *gz = NULL;
    size_t k, c, u;
    memset(&cr, 0, sizeof cr);
    if (!spec || spec->ncoef == 0) {
        for (k = 0; k < n; k++)
            pid[k] = 0;
        return n ? 1 : 0;
    }
    if (n >= UINT32_MAX || !(cr.col = cv_malloc(sizeof(double *) * spec->ncoef)))
        return (size_t)-1;
    for (c = 0; c < spec->ncoef; c++) { /* each column once, as cov_rows_make */
        for (u = 0; u < cr.ncol && cr.col[u] != spec->z[c]; u++)
            ;
        if (u == cr.ncol)
            cr.col[cr.ncol++] = spec->z[c];
    }
    k = patterns(&cr, n, pid, &gz);
    cv_free(gz);
    cv_free(cr.col);
    return k;
}

/* Collapses d into cr: rows grouped by covariate pattern, identical (x, t_x, T) within a
   pattern summed (cv_model_collapse, sorted by x within the group). */
int cov_rows_make(const cv_model_data *d, const cv_cov_spec *spec, cov_rows *cr, cv_error *err)
{
    size_t n = d->n, ncoef = spec ? spec->ncoef : 0, i, c, g, out = 0;
    uint32_t *pid = NULL;
    size_t *cnt = NULL, *ord = NULL;
    double *tmp = NULL;
    memset(cr, 0, sizeof *cr);
    cr->col = cv_malloc(sizeof(double *) * (ncoef ? ncoef : 1));
    cr->coef_col = cv_malloc(sizeof(int) * (ncoef ? ncoef : 1));
    if (!cr->col || !cr->coef_col)
        goto nomem;
    for (c = 0; c < ncoef; c++) {
        size_t u;
        for (u = 0; u < cr->ncol && cr->col[u] != spec->z[c]; u++)
            ;
        if (u == cr->ncol)
            cr->col[cr->ncol++] = spec->z[c];
        cr->coef_col[c] = (int)u;
    }
    if (n >= UINT32_MAX)
        goto nomem;
    pid = cv_malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!pid)
        goto nomem;
    cr->ngroups = patterns(cr, n, pid, &cr->gz);
    if (cr->ngroups == (size_t)-1) {
        cr->ngroups = 0;
        goto nomem;
    }
    cnt = cv_calloc(cr->ngroups + 1, sizeof *cnt);
    ord = cv_malloc(sizeof(size_t) * (n ? n : 1));
    tmp = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    cr->x = cv_malloc(sizeof(double) * 5 * (n ? n : 1));
    cr->goff = cv_malloc(sizeof(size_t) * (cr->ngroups + 1));
    if (!cnt || !ord || !tmp || !cr->x || !cr->goff)
        goto nomem;
    cr->t_x = d->t_x ? cr->x + n : NULL, cr->T = d->T ? cr->x + 2 * n : NULL;
    cr->m = d->m ? cr->x + 4 * n : NULL, cr->w = cr->x + 3 * n;
    for (i = 0; i < n; i++)
        cnt[pid[i] + 1]++;
    for (g = 1; g <= cr->ngroups; g++)
        cnt[g] += cnt[g - 1];
    for (i = 0; i < n; i++)
        ord[cnt[pid[i]]++] = i; /* cnt[g] ends as the end of group g */
    for (g = 0; g < cr->ngroups; g++) {
        size_t lo = g ? cnt[g - 1] : 0, m = cnt[g] - lo, j;
        double *gx = tmp, *gtx = tmp + n, *gT = tmp + 2 * n, *gw = tmp + 3 * n;
        double *gm = tmp + 4 * n;
        cr->goff[g] = out;
        for (j = 0; j < m; j++) {
            size_t r = ord[lo + j];
            gx[j] = d->x[r], gw[j] = d->w ? d->w[r] : 1.0;
            gtx[j] = d->t_x ? d->t_x[r] : 0.0, gT[j] = d->T ? d->T[r] : 0.0;
            gm[j] = d->m ? d->m[r] : 0.0;
        }
        if (m == 1) {
            cr->x[out] = gx[0], cr->w[out] = gw[0];
            if (cr->t_x)
                cr->t_x[out] = gtx[0];
            if (cr->T)
                cr->T[out] = gT[0];
            if (cr->m)
                cr->m[out] = gm[0];
            out++;
        } else {
            cv_model_data in = {m, gx, d->t_x ? gtx : NULL, d->T ? gT : NULL, d->m ? gm : NULL, gw};
            cv_model_rows rows;
            if (cv_model_collapse(&in, &rows, err) != 0)
                goto fail;
            for (j = 0; j < rows.data.n; j++, out++) {
                cr->x[out] = rows.x[j], cr->w[out] = rows.w[j];
                if (cr->t_x)
                    cr->t_x[out] = rows.t_x[j];
                if (cr->T)
                    cr->T[out] = rows.T[j];
                if (cr->m)
                    cr->m[out] = rows.m[j];
            }
            cv_model_rows_free(&rows);
        }
    }
    cr->goff[cr->ngroups] = out;
    cr->nrows = out;
    cv_free(pid), cv_free(cnt), cv_free(ord), cv_free(tmp);
    return 0;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory collapsing %zu rows with covariates", n);
fail:
    cv_free(pid), cv_free(cnt), cv_free(ord), cv_free(tmp);
    cov_rows_free(cr);
    return CV_ERR_NOMEM;
}
