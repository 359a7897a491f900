/* RFM scoring: numbers into 1..n scores by rank-based quantile bins (ties share a bin),
   given cut points, or a split at the mean or median; recency, frequency and monetary
   scores of a per-customer table, flat or nested, with the cut points used. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"
#include "cvkit/mem.h"

/* Scores the present values listed (ascending) in ord[0..m), with their values v[0..m)
   in that order, by rank; fills score and cuts_out (nbins - 1 values, or NULL). */
static void quantile_bins(const double *v, const int64_t *ord, int64_t m, int nbins,
                          int higher_better, int32_t *score, double *cuts_out)
{
    int64_t s = 0;
    if (cuts_out)
        for (int j = 0; j < nbins - 1; j++)
            cuts_out[j] = higher_better ? INFINITY : -INFINITY;
    while (s < m) {
        int64_t e = s + 1;
        double val = v[s];
        while (e < m && v[e] == val)
            e++;
        int64_t worse = higher_better ? s : m - e; /* values strictly worse than val */
        int32_t sc = (int32_t)(1 + ((int64_t)nbins * worse) / m);
        for (int64_t i = s; i < e; i++)
            score[ord[i]] = sc;
        if (cuts_out) {
            /* higher: c_j = least value scoring >= j + 1: the first group reaching it;
               lower: c_j = greatest value scoring >= nbins - j + 1: the last group. */
            for (int k = 2; k <= sc; k++) {
                int j = higher_better ? k - 1 : nbins - k + 1;
                if (higher_better) {
                    if (cuts_out[j - 1] == INFINITY)
                        cuts_out[j - 1] = val;
                } else {
                    cuts_out[j - 1] = val; /* ascending order: the last one wins */
                }
            }
        }
        s = e;
    }
}

int64_t cv_score_bins(const double *x, int64_t n, int nbins, int higher_better,
                      cv_bin_method method, const double *cuts, int32_t *score, double *cuts_out,
                      cv_error *err)
{
    int64_t m = 0;
    if (nbins < 2 || nbins > 1000)
        return cv_error_set(err, CV_ERR_USAGE, "bins must be between 2 and 1000, got %d", nbins),
               -1;
    if ((method == CV_BINS_MEAN || method == CV_BINS_MEDIAN) && nbins != 2)
        return cv_error_set(err, CV_ERR_USAGE, "a %s split has 2 bins, got %d",
                            method == CV_BINS_MEAN ? "mean" : "median", nbins),
               -1;
    for (int64_t i = 0; i < n; i++)
        score[i] = 0;
    if (method == CV_BINS_CUTS) {
        for (int j = 1; j < nbins - 1; j++)
            if (!(cuts[j - 1] <= cuts[j]))
                return cv_error_set(err, CV_ERR_USAGE,
                                    "cut points must be ascending (cut %d is %g, cut %d is %g)", j,
                                    cuts[j - 1], j + 1, cuts[j]),
                       -1;
        for (int64_t i = 0; i < n; i++) {
            double v = x[i];
            int c = 0;
            if (isnan(v))
                continue;
            m++;
            if (higher_better) {
                while (c < nbins - 1 && v >= cuts[c])
                    c++;
                score[i] = 1 + c;
            } else {
                while (c < nbins - 1 && v > cuts[c])
                    c++;
                score[i] = nbins - c;
            }
        }
        if (cuts_out)
            memcpy(cuts_out, cuts, (size_t)(nbins - 1) * sizeof *cuts);
        return m;
    }
    double *sorted = NULL;
    int64_t *ord = cv_seg_order(x, n, &m, &sorted);
    if (!ord)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory"), -1;
    if (method == CV_BINS_QUANTILE) {
        if (m > 0)
            quantile_bins(sorted, ord, m, nbins, higher_better, score, cuts_out);
        else if (cuts_out)
            for (int j = 0; j < nbins - 1; j++)
                cuts_out[j] = NAN;
    } else {
        double c = NAN;
        if (m > 0 && method == CV_BINS_MEAN) {
            double sum = 0, comp = 0; /* Kahan */
            for (int64_t i = 0; i < m; i++) {
                double y = sorted[i] - comp, t = sum + y;
                comp = (t - sum) - y;
                sum = t;
            }
            c = sum / (double)m;
        } else if (m > 0) {
            c = cv_quantile_sorted(sorted, m, 0.5);
        }
        for (int64_t i = 0; i < m; i++) {
            double v = sorted[i];
            score[ord[i]] = (higher_better ? v > c : v < c) ? 2 : 1;
        }
        if (cuts_out)
            cuts_out[0] = c;
    }
    cv_free(ord);
    cv_free(sorted);
    return m;
}

/* ---- RFM ------------------------------------------------------------------------------ */

/* The cut points of one scored group, kept until the cuts table is built. */
typedef struct group_cuts {
    char score[2];
    char within[32];
    int64_t n;
    int ncuts;
    double cuts[];
} group_cuts;

typedef struct cut_list {
    group_cuts **g;
    int n, cap;
} cut_list;

static group_cuts *cuts_push(cut_list *l, const char *score, const char *within, int ncuts)
{
    group_cuts *g;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        group_cuts **p = cv_realloc(l->g, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        l->g = p;
        l->cap = cap;
    }
    if ((g = cv_calloc(1, sizeof *g + (size_t)(ncuts > 0 ? ncuts : 1) * sizeof(double))) == NULL)
        return NULL;
    snprintf(g->score, sizeof g->score, "%s", score);
    snprintf(g->within, sizeof g->within, "%s", within);
    g->ncuts = ncuts;
    l->g[l->n++] = g;
    return g;
}

static void cuts_free(cut_list *l)
{
    for (int i = 0; i < l->n; i++)
        cv_free(l->g[i]);
    cv_free(l->g);
}

/* The cuts table of l: score, within, n, cut_1 .. cut_K. */
static cv_table *cuts_table(const cut_list *l, cv_error *err)
{
    int K = 0;
    cv_table *t = cv_table_new();
    cv_column *c[3 + 1000] = {0};
    int ok = t != NULL;
    for (int i = 0; i < l->n; i++)
        if (l->g[i]->ncuts > K)
            K = l->g[i]->ncuts;
    c[0] = cv_column_new("score", CV_STRING, l->n);
    c[1] = cv_column_new("within", CV_STRING, l->n);
    c[2] = cv_column_new("n", CV_INT64, l->n);
    for (int j = 0; j < K; j++) {
        char name[16];
        snprintf(name, sizeof name, "cut_%d", j + 1);
        c[3 + j] = cv_column_new(name, CV_FLOAT64, l->n);
    }
    for (int j = 0; j < 3 + K; j++)
        ok = ok && c[j] != NULL;
    for (int i = 0; ok && i < l->n; i++) {
        const group_cuts *g = l->g[i];
        ok = cv_column_push_string(c[0], g->score, strlen(g->score)) == 0 &&
             cv_column_push_string(c[1], g->within, strlen(g->within)) == 0 &&
             cv_column_push_int(c[2], g->n) == 0;
        for (int j = 0; ok && j < K; j++)
            ok = (j < g->ncuts ? cv_column_push_float(c[3 + j], g->cuts[j])
                               : cv_column_push_missing(c[3 + j])) == 0;
    }
    for (int j = 0; ok && j < 3 + K; j++)
        ok = cv_table_add(t, c[j], err) == 0;
    for (int j = 0; j < 3 + K; j++)
        if (c[j])
            cv_column_unref(c[j]);
    if (!ok) {
        cv_table_free(t);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return t;
}

/* Scores x over the rows idx[0..m) only (all rows when idx is NULL, m = n) into score,
   recording the group's cut points. 0 or an error code. */
static int score_group(const double *x, int64_t n, const int64_t *idx, int64_t m, int nbins,
                       int higher, cv_bin_method method, const double *cuts, int32_t *score,
                       cut_list *l, const char *name, const char *within, double *tmp,
                       int32_t *tmps, cv_error *err)
{
    group_cuts *g = cuts_push(l, name, within, nbins - 1);
    int64_t got;
    if (!g)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    if (!idx) {
        got = cv_score_bins(x, n, nbins, higher, method, cuts, score, g->cuts, err);
    } else {
        for (int64_t i = 0; i < m; i++)
            tmp[i] = x[idx[i]];
        got = cv_score_bins(tmp, m, nbins, higher, method, cuts, tmps, g->cuts, err);
        for (int64_t i = 0; i < m; i++)
            score[idx[i]] = tmps[i];
    }
    if (got < 0)
        return err ? err->code : CV_ERR_USAGE;
    g->n = got;
    return 0;
}

/* An int score column from s[0..n) (0 = missing). */
static cv_column *score_column(const char *name, const int32_t *s, int64_t n)
{
    cv_column *c = cv_column_new(name, CV_INT64, n);
    int64_t *data;
    if (!c || cv_column_reserve(c, n) != 0) {
        if (c)
            cv_column_unref(c);
        return NULL;
    }
    data = c->data;
    for (int64_t i = 0; i < n; i++)
        data[i] = s[i];
    c->n = n;
    for (int64_t i = 0; i < n; i++)
        if (s[i] == 0 && cv_column_set_missing(c, i) != 0) {
            cv_column_unref(c);
            return NULL;
        }
    return c;
}

/* Nested scoring: F within each R score, M within each (R, F) cell. */
static int score_nested(const double *x[3], int64_t n, int nb[3], int32_t *sc[3], cut_list *l,
                        double *tmp, int32_t *tmps, cv_error *err)
{
    int64_t *idx = cv_malloc((size_t)(n > 0 ? 2 * n : 1) * sizeof *idx); /* group, subgroup */
    int rc = 0;
    if (!idx)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    for (int r = 1; rc == 0 && r <= nb[0]; r++) {
        char within[32];
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (sc[0][i] == r)
                idx[m++] = i;
        snprintf(within, sizeof within, "r=%d", r);
        rc = score_group(x[1], n, idx, m, nb[1], 1, CV_BINS_QUANTILE, NULL, sc[1], l, "f", within,
                         tmp, tmps, err);
        for (int f = 1; rc == 0 && f <= nb[1]; f++) {
            int64_t q = 0;
            for (int64_t i = 0; i < m; i++)
                if (sc[1][idx[i]] == f)
                    idx[m + q++] = idx[i];
            snprintf(within, sizeof within, "r=%d f=%d", r, f);
            rc = score_group(x[2], n, idx + m, q, nb[2], 1, CV_BINS_QUANTILE, NULL, sc[2], l, "m",
                             within, tmp, tmps, err);
        }
    }
    cv_free(idx);
    return rc;
}

cv_table *cv_rfm_score(const cv_table *t, const cv_rfm_options *o, cv_table **cuts, cv_error *err)
{
    static const char *const names[3] = {"r", "f", "m"};
    static const char *const outs[3] = {"r_score", "f_score", "m_score"};
    const char *cols[3];
    double *x[3] = {0}, *tmp = NULL;
    int32_t *sc[3] = {0}, *tmps = NULL;
    int nb[3];
    cut_list l = {0};
    cv_table *res = NULL, *cur = NULL;
    int64_t n = t->nrows;
    int def = (o->method == CV_BINS_MEAN || o->method == CV_BINS_MEDIAN) ? 2 : 5;

    cols[0] = o->recency ? o->recency : "days_since_last";
    cols[1] = o->frequency ? o->frequency : "orders";
    cols[2] = o->monetary ? o->monetary : "revenue";
    if (cuts)
        *cuts = NULL;
    if (o->nested && o->method != CV_BINS_QUANTILE) {
        cv_error_set(err, CV_ERR_USAGE, "nested scores use quantile bins");
        return NULL;
    }
    for (int k = 0; k < 3; k++) {
        nb[k] = o->method == CV_BINS_CUTS ? o->ncuts[k] + 1 : (o->bins > 0 ? o->bins : def);
        if (o->method == CV_BINS_CUTS && (o->ncuts[k] < 1 || !o->cuts[k])) {
            cv_error_set(err, CV_ERR_USAGE, "cut points for %s are missing", names[k]);
            goto done;
        }
        if ((x[k] = cv_seg_column(t, cols[k], err)) == NULL)
            goto done;
        if ((sc[k] = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *sc[k])) == NULL)
            goto nomem;
    }
    if ((tmp = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *tmp)) == NULL ||
        (tmps = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *tmps)) == NULL)
        goto nomem;
    if (score_group(x[0], n, NULL, n, nb[0], 0, o->method, o->cuts[0], sc[0], &l, "r", "", tmp,
                    tmps, err) != 0)
        goto done;
    if (o->nested) {
        for (int k = 1; k < 3; k++)
            for (int64_t i = 0; i < n; i++)
                sc[k][i] = 0;
        if (score_nested((const double **)x, n, nb, sc, &l, tmp, tmps, err) != 0)
            goto done;
        /* a row missing only f or m keeps r; one missing r has no f or m */
    } else {
        for (int k = 1; k < 3; k++)
            if (score_group(x[k], n, NULL, n, nb[k], 1, o->method, o->cuts[k], sc[k], &l, names[k],
                            "", tmp, tmps, err) != 0)
                goto done;
    }
    cur = cv_table_ref((cv_table *)t);
    for (int k = 0; k < 3; k++) {
        cv_column *c = score_column(outs[k], sc[k], n);
        cv_table *next;
        if (!c)
            goto nomem;
        next = cv_seg_with(cur, c, err);
        cv_table_free(cur);
        if ((cur = next) == NULL)
            goto done;
    }
    if (nb[0] <= 9 && nb[1] <= 9 && nb[2] <= 9) {
        cv_column *c = cv_column_new("rfm", CV_INT64, n);
        cv_table *next;
        for (int64_t i = 0; c && i < n; i++) {
            int ok = sc[0][i] && sc[1][i] && sc[2][i];
            if ((ok ? cv_column_push_int(c, 100 * sc[0][i] + 10 * sc[1][i] + sc[2][i])
                    : cv_column_push_missing(c)) != 0) {
                cv_column_unref(c);
                c = NULL;
            }
        }
        if (!c)
            goto nomem;
        next = cv_seg_with(cur, c, err);
        cv_table_free(cur);
        if ((cur = next) == NULL)
            goto done;
    }
    if (cuts && (*cuts = cuts_table(&l, err)) == NULL)
        goto done;
    res = cur;
    cur = NULL;
    goto done;
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
done:
    if (cur)
        cv_table_free(cur);
    for (int k = 0; k < 3; k++) {
        cv_free(x[k]);
        cv_free(sc[k]);
    }
    cv_free(tmp);
    cv_free(tmps);
    cuts_free(&l);
    return res;
}
