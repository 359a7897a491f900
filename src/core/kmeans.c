/* k-means clustering: Lloyd's iterations from k-means++ starts (Arthur & Vassilvitskii
   2007) drawn with the project's seeded PRNG (cv_rng), several restarts keeping the
   least within-cluster sum of squares, on standardized columns; and the silhouette of a
   clustering on a sample. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "seg_int.h"

/* The columns of t as a row-major n x d matrix, standardized when asked (z-scores with
   the sample sd; a constant column is centred only). mean and scale get d values. A new
   array, or NULL with err set (missing values are an error here). */
static double *matrix(const cv_table *t, const char *const *cols, int d, int standardize,
                      double *mean, double *scale, cv_error *err)
{
    int64_t n = t->nrows;
    double *X = cv_malloc((size_t)(n > 0 ? n : 1) * (size_t)d * sizeof *X);
    if (!X) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (int j = 0; j < d; j++) {
        double *x = cv_seg_column(t, cols[j], err), s = 0, ss = 0;
        if (!x) {
            cv_free(X);
            return NULL;
        }
        for (int64_t i = 0; i < n; i++) {
            if (isnan(x[i])) {
                cv_error_set(err, CV_ERR_USAGE,
                             "column '%s' has a missing value at row %lld: k-means needs every "
                             "value (filter or fill them first)",
                             cols[j], (long long)i + 1);
                cv_free(x);
                cv_free(X);
                return NULL;
            }
            s += x[i];
        }
        mean[j] = n > 0 ? s / (double)n : 0;
        for (int64_t i = 0; i < n; i++)
            ss += (x[i] - mean[j]) * (x[i] - mean[j]);
        scale[j] = 1;
        if (standardize && n > 1 && ss > 0)
            scale[j] = sqrt(ss / (double)(n - 1));
        if (!standardize)
            mean[j] = 0;
        for (int64_t i = 0; i < n; i++)
            X[i * d + j] = (x[i] - mean[j]) / scale[j];
        cv_free(x);
    }
    return X;
}

static double dist2(const double *a, const double *b, int d)
{
    double s = 0;
    for (int j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/* k-means++ starts into C (k x d); D is scratch of n doubles. */
static void plusplus(const double *X, int64_t n, int d, int k, cv_rng *rng, double *C, double *D)
{
    int64_t first = (int64_t)(cv_rng_uniform(rng) * (double)n);
    if (first >= n)
        first = n - 1;
    memcpy(C, X + first * d, (size_t)d * sizeof *C);
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        D[i] = dist2(X + i * d, C, d);
        total += D[i];
    }
    for (int c = 1; c < k; c++) {
        int64_t pick = n - 1;
        if (total > 0) {
            double u = cv_rng_uniform(rng) * total, acc = 0;
            for (int64_t i = 0; i < n; i++) {
                acc += D[i];
                if (acc >= u && D[i] > 0) {
                    pick = i;
                    break;
                }
            }
        } else {
            pick = (int64_t)(cv_rng_uniform(rng) * (double)n) % n;
        }
        memcpy(C + (size_t)c * d, X + pick * d, (size_t)d * sizeof *C);
        total = 0;
        for (int64_t i = 0; i < n; i++) {
            double e = dist2(X + i * d, C + (size_t)c * d, d);
            if (e < D[i])
                D[i] = e;
            total += D[i];
        }
    }
}

/* The nearest and second-nearest centers of x: sets *a, *d1, *d2 (distances). */
static void nearest2(const double *x, const double *C, int k, int d, int *a, double *d1, double *d2)
{
    double b1 = INFINITY, b2 = INFINITY;
    int best = 0;
    for (int c = 0; c < k; c++) {
        double e = dist2(x, C + (size_t)c * d, d);
        if (e < b1) {
            b2 = b1;
            b1 = e;
            best = c;
        } else if (e < b2) {
            b2 = e;
        }
    }
    *a = best;
    *d1 = sqrt(b1);
    *d2 = sqrt(b2);
}

/* The means of the clusters into C from sums and counts; an empty cluster takes the
   point farthest from its center (by the upper bounds u), and all lower bounds are then
   reset. Returns the total squared move of the centers; P gets each center's move. */
static double update_centers(const double *X, int64_t n, int d, int k, double *C,
                             const double *sums, const int64_t *cnt, const double *u, double *l,
                             double *P)
{
    double shift = 0;
    for (int c = 0; c < k; c++) {
        double mv = 0, *cc = C + (size_t)c * d;
        if (cnt[c] > 0) {
            for (int j = 0; j < d; j++) {
                double v = sums[(size_t)c * d + j] / (double)cnt[c];
                mv += (v - cc[j]) * (v - cc[j]);
                cc[j] = v;
            }
        } else {
            int64_t far = 0;
            for (int64_t i = 1; i < n; i++)
                if (u[i] > u[far])
                    far = i;
            mv = dist2(cc, X + far * d, d);
            memcpy(cc, X + far * d, (size_t)d * sizeof *cc);
            for (int64_t i = 0; i < n; i++)
                l[i] = 0; /* every point checks all centers again */
        }
        P[c] = sqrt(mv);
        shift += mv;
    }
    return shift;
}

/* One run of k-means from the starts in C, by Hamerly's (2010) exact acceleration of
   Lloyd's iterations (the same result, fewer distances: a point whose distance to its
   center is below both its bound to the second-nearest and half the gap to the nearest
   other center cannot move). Fills lab and C (the means of the final clusters), returns
   the within-cluster sum of squares. Stops when no point changes cluster or the centers
   move by a total squared distance <= tol (scikit-learn's rule: tol = 1e-4 x the mean
   variance of the columns), or after max_iter assignment passes. sums (k x d), cnt (k),
   u and l (n) and P, S (k) are scratch. */
static double lloyd(const double *X, int64_t n, int d, int k, int max_iter, double tol, double *C,
                    int32_t *lab, double *sums, int64_t *cnt, double *u, double *l, double *P,
                    double *S, int *iters, int *converged)
{
    double wss = 0;
    int it = 1;
    *converged = 0;
    memset(sums, 0, (size_t)k * (size_t)d * sizeof *sums);
    memset(cnt, 0, (size_t)k * sizeof *cnt);
    for (int64_t i = 0; i < n; i++) {
        int a;
        nearest2(X + i * d, C, k, d, &a, &u[i], &l[i]);
        lab[i] = a;
        cnt[a]++;
        for (int j = 0; j < d; j++)
            sums[(size_t)a * d + j] += X[i * d + j];
    }
    for (;;) {
        double shift = update_centers(X, n, d, k, C, sums, cnt, u, l, P), pmax = 0;
        int64_t moved = 0;
        if (shift <= tol) {
            *converged = 1;
            break;
        }
        if (it >= max_iter || cv_cancelled()) /* the caller reports the cancellation */
            break;
        for (int c = 0; c < k; c++)
            if (P[c] > pmax)
                pmax = P[c];
        for (int c = 0; c < k; c++) {
            double m = INFINITY;
            for (int c2 = 0; c2 < k; c2++)
                if (c2 != c) {
                    double e = dist2(C + (size_t)c * d, C + (size_t)c2 * d, d);
                    if (e < m)
                        m = e;
                }
            S[c] = 0.5 * sqrt(m);
        }
        it++;
        for (int64_t i = 0; i < n; i++) {
            int a = lab[i], b;
            double bound;
            const double *x = X + i * d;
            u[i] += P[a];
            l[i] -= pmax;
            bound = S[a] > l[i] ? S[a] : l[i];
            if (u[i] <= bound)
                continue;
            u[i] = sqrt(dist2(x, C + (size_t)a * d, d));
            if (u[i] <= bound)
                continue;
            nearest2(x, C, k, d, &b, &u[i], &l[i]);
            if (b != a) {
                moved++;
                lab[i] = b;
                cnt[a]--;
                cnt[b]++;
                for (int j = 0; j < d; j++) {
                    sums[(size_t)a * d + j] -= x[j];
                    sums[(size_t)b * d + j] += x[j];
                }
            }
        }
        if (moved == 0) {
            *converged = 1;
            break;
        }
    }
    *iters = it;
    /* exact means of the final clusters (the running sums drift by rounding) */
    memset(sums, 0, (size_t)k * (size_t)d * sizeof *sums);
    memset(cnt, 0, (size_t)k * sizeof *cnt);
    for (int64_t i = 0; i < n; i++) {
        cnt[lab[i]]++;
        for (int j = 0; j < d; j++)
            sums[(size_t)lab[i] * d + j] += X[i * d + j];
    }
    for (int c = 0; c < k; c++)
        if (cnt[c] > 0)
            for (int j = 0; j < d; j++)
                C[(size_t)c * d + j] = sums[(size_t)c * d + j] / (double)cnt[c];
    for (int64_t i = 0; i < n; i++)
        wss += dist2(X + i * d, C + (size_t)lab[i] * d, d);
    return wss;
}

void cv_kmeans_result_free(cv_kmeans_result *r)
{
    if (!r)
        return;
    cv_free(r->centers);
    cv_free(r->sizes);
    r->centers = NULL;
    r->sizes = NULL;
}

typedef struct order_key {
    int64_t size;
    double first;
    int c;
} order_key;

static int order_cmp(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->c - y->c;
}

cv_table *cv_kmeans(const cv_table *t, const char *const *cols, int d, const cv_kmeans_options *o,
                    const char *out, cv_kmeans_result *res, cv_error *err)
{
    int64_t n = t->nrows, *cnt = NULL;
    int k = o->k, restarts = o->restarts > 0 ? o->restarts : 5;
    int max_iter = o->max_iter > 0 ? o->max_iter : 100;
    double *X = NULL, *mean = NULL, *scale = NULL, *C = NULL, *best = NULL, *sums = NULL;
    double *D = NULL, *U = NULL, *P = NULL, *S = NULL, *XS = NULL, best_wss = INFINITY, tol;
    int64_t sn;
    int32_t *lab = NULL, *best_lab = NULL;
    cv_rng rng;
    cv_column *col = NULL;
    cv_table *tab = NULL;
    order_key *ok = NULL;
    int *rank = NULL;

    memset(res, 0, sizeof *res);
    if (d < 1) {
        cv_error_set(err, CV_ERR_USAGE, "k-means needs at least one column");
        return NULL;
    }
    if (k < 1 || (int64_t)k > n) {
        cv_error_set(err, CV_ERR_USAGE, "k must be between 1 and the %lld rows, got %d",
                     (long long)n, k);
        return NULL;
    }
    if ((mean = cv_malloc((size_t)d * sizeof *mean)) == NULL ||
        (scale = cv_malloc((size_t)d * sizeof *scale)) == NULL)
        goto nomem;
    if ((X = matrix(t, cols, d, o->standardize, mean, scale, err)) == NULL)
        goto done;
    if ((C = cv_malloc((size_t)k * (size_t)d * sizeof *C)) == NULL ||
        (best = cv_malloc((size_t)k * (size_t)d * sizeof *best)) == NULL ||
        (sums = cv_malloc((size_t)k * (size_t)d * sizeof *sums)) == NULL ||
        (cnt = cv_malloc((size_t)k * sizeof *cnt)) == NULL ||
        (D = cv_malloc((size_t)n * sizeof *D)) == NULL ||
        (U = cv_malloc((size_t)n * sizeof *U)) == NULL ||
        (P = cv_malloc((size_t)k * sizeof *P)) == NULL ||
        (S = cv_malloc((size_t)k * sizeof *S)) == NULL ||
        (lab = cv_malloc((size_t)n * sizeof *lab)) == NULL ||
        (best_lab = cv_malloc((size_t)n * sizeof *best_lab)) == NULL)
        goto nomem;
    {
        double v = 0; /* the mean variance of the columns, in clustering units */
        for (int j = 0; j < d; j++) {
            double s1 = 0, s2 = 0;
            for (int64_t i = 0; i < n; i++) {
                s1 += X[i * d + j];
                s2 += X[i * d + j] * X[i * d + j];
            }
            v += s2 / (double)n - (s1 / (double)n) * (s1 / (double)n);
        }
        tol = 1e-4 * v / d;
    }
    cv_rng_seed(&rng, o->seed);
    /* restarts on a sample when the data are large, then one run on all rows */
    sn = o->sample < 0 ? n : o->sample > 0 ? o->sample : (n > 200000 ? 100000 : n);
    if (sn < k || sn > n)
        sn = n;
    if (sn < n) {
        int64_t *idx = cv_malloc((size_t)n * sizeof *idx);
        if (!idx || (XS = cv_malloc((size_t)sn * (size_t)d * sizeof *XS)) == NULL) {
            cv_free(idx);
            goto nomem;
        }
        for (int64_t i = 0; i < n; i++)
            idx[i] = i;
        for (int64_t i = 0; i < sn; i++) { /* partial Fisher-Yates */
            int64_t j = i + (int64_t)(cv_rng_uniform(&rng) * (double)(n - i)), tmp;
            if (j >= n)
                j = n - 1;
            tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        for (int64_t i = 0; i < sn; i++)
            memcpy(XS + i * d, X + idx[i] * d, (size_t)d * sizeof *XS);
        cv_free(idx);
    }
    for (int r = 0; r < restarts; r++) {
        int iters, conv;
        double wss;
        const double *Xr = sn < n ? XS : X;
        if (cv_cancel_check(err))
            goto fail;
        plusplus(Xr, sn, d, k, &rng, C, D);
        wss = lloyd(Xr, sn, d, k, max_iter, tol, C, lab, sums, cnt, D, U, P, S, &iters, &conv);
        if (wss < best_wss) {
            int32_t *tmp = best_lab;
            best_wss = wss;
            memcpy(best, C, (size_t)k * (size_t)d * sizeof *C);
            best_lab = lab;
            lab = tmp;
            res->iterations = iters;
            res->converged = conv;
        }
    }
    if (sn < n) {
        int iters, conv;
        memcpy(C, best, (size_t)k * (size_t)d * sizeof *C);
        best_wss =
            lloyd(X, n, d, k, max_iter, tol, C, best_lab, sums, cnt, D, U, P, S, &iters, &conv);
        memcpy(best, C, (size_t)k * (size_t)d * sizeof *C);
        res->iterations = iters;
        res->converged = conv;
    }
    if (cv_cancel_check(err))
        goto fail;
    /* number the clusters by size, largest first */
    if ((ok = cv_malloc((size_t)k * sizeof *ok)) == NULL ||
        (rank = cv_malloc((size_t)k * sizeof *rank)) == NULL)
        goto nomem;
    for (int c = 0; c < k; c++) {
        ok[c].size = 0;
        ok[c].first = best[(size_t)c * d];
        ok[c].c = c;
    }
    for (int64_t i = 0; i < n; i++)
        ok[best_lab[i]].size++;
    qsort(ok, (size_t)k, sizeof *ok, order_cmp);
    for (int r = 0; r < k; r++)
        rank[ok[r].c] = r;
    res->k = k;
    res->d = d;
    if ((res->centers = cv_malloc((size_t)k * (size_t)d * sizeof *res->centers)) == NULL ||
        (res->sizes = cv_malloc((size_t)k * sizeof *res->sizes)) == NULL)
        goto nomem;
    for (int r = 0; r < k; r++) {
        res->sizes[r] = ok[r].size;
        for (int j = 0; j < d; j++)
            res->centers[(size_t)r * d + j] = best[(size_t)ok[r].c * d + j] * scale[j] + mean[j];
    }
    res->wss = best_wss;
    res->tss = 0;
    {
        double *m = sums; /* reuse: the column means in clustering units */
        for (int j = 0; j < d; j++)
            m[j] = 0;
        for (int64_t i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                m[j] += X[i * d + j];
        for (int j = 0; j < d; j++)
            m[j] /= (double)n;
        for (int64_t i = 0; i < n; i++)
            res->tss += dist2(X + i * d, m, d);
    }
    if ((col = cv_column_new(out, CV_INT64, n)) == NULL)
        goto nomem;
    for (int64_t i = 0; i < n; i++)
        if (cv_column_push_int(col, rank[best_lab[i]] + 1) != 0)
            goto nomem;
    tab = cv_seg_with(t, col, err);
    col = NULL;
    if (!tab)
        cv_kmeans_result_free(res);
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    cv_kmeans_result_free(res);
done:
    if (col)
        cv_column_unref(col);
    cv_free(X);
    cv_free(mean);
    cv_free(scale);
    cv_free(C);
    cv_free(best);
    cv_free(sums);
    cv_free(cnt);
    cv_free(D);
    cv_free(U);
    cv_free(XS);
    cv_free(P);
    cv_free(S);
    cv_free(lab);
    cv_free(best_lab);
    cv_free(ok);
    cv_free(rank);
    return tab;
}

int cv_silhouette(const cv_table *t, const char *const *cols, int d, const char *label,
                  int64_t sample, uint64_t seed, int standardize, double *s, cv_error *err)
{
    int64_t n = t->nrows, m, *idx = NULL;
    double *X = NULL, *mean = NULL, *scale = NULL, *lv = NULL, *sum = NULL, total = 0;
    int *cl = NULL, nl = 0, rc = 0;
    double labels[1024];
    int64_t cnt[1024];
    cv_rng rng;

    if (d < 1)
        return cv_error_set(err, CV_ERR_USAGE, "silhouette needs at least one column");
    if ((mean = cv_malloc((size_t)d * sizeof *mean)) == NULL ||
        (scale = cv_malloc((size_t)d * sizeof *scale)) == NULL) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((X = matrix(t, cols, d, standardize, mean, scale, err)) == NULL ||
        (lv = cv_seg_column(t, label, err)) == NULL) {
        rc = err ? err->code : CV_ERR_USAGE;
        goto done;
    }
    m = sample > 0 && sample < n ? sample : n;
    if ((idx = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *idx)) == NULL ||
        (cl = cv_malloc((size_t)(m > 0 ? m : 1) * sizeof *cl)) == NULL) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < n; i++)
        idx[i] = i;
    cv_rng_seed(&rng, seed);
    for (int64_t i = 0; i < m && m < n; i++) { /* partial Fisher-Yates */
        int64_t j = i + (int64_t)(cv_rng_uniform(&rng) * (double)(n - i));
        int64_t tmp;
        if (j >= n)
            j = n - 1;
        tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
    }
    for (int64_t i = 0; i < m; i++) {
        double v = lv[idx[i]];
        int c;
        if (isnan(v)) {
            rc = cv_error_set(err, CV_ERR_USAGE, "label column '%s' has a missing value", label);
            goto done;
        }
        for (c = 0; c < nl && labels[c] != v; c++)
            ;
        if (c == nl) {
            if (nl == 1024) {
                rc = cv_error_set(err, CV_ERR_USAGE, "more than 1024 clusters in '%s'", label);
                goto done;
            }
            labels[nl] = v;
            cnt[nl++] = 0;
        }
        cl[i] = c;
        cnt[c]++;
    }
    if ((sum = cv_malloc((size_t)nl * sizeof *sum)) == NULL) {
        rc = cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < m; i++) {
        const double *x = X + idx[i] * d;
        double a, b = INFINITY;
        if ((rc = cv_cancel_check(err)) != 0)
            goto done;
        for (int c = 0; c < nl; c++)
            sum[c] = 0;
        for (int64_t j = 0; j < m; j++)
            if (j != i)
                sum[cl[j]] += sqrt(dist2(x, X + idx[j] * d, d));
        if (cnt[cl[i]] <= 1)
            continue; /* s = 0 */
        a = sum[cl[i]] / (double)(cnt[cl[i]] - 1);
        for (int c = 0; c < nl; c++)
            if (c != cl[i] && cnt[c] > 0 && sum[c] / (double)cnt[c] < b)
                b = sum[c] / (double)cnt[c];
        if (nl > 1 && (a > 0 || b > 0))
            total += (b - a) / (a > b ? a : b);
    }
    *s = m > 0 ? total / (double)m : NAN;
done:
    cv_free(X);
    cv_free(mean);
    cv_free(scale);
    cv_free(lv);
    cv_free(sum);
    cv_free(idx);
    cv_free(cl);
    return rc;
}
