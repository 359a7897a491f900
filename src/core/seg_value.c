/* Value concentration: the Gini coefficient, the Lorenz curve, the share of value held by
   the top customers (the 20/80/30 pattern and the whale curve's peak), and value tiers
   by shares of customers or of value. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"
#include "cvkit/mem.h"

/* The present values of x sorted ascending: a new array (caller frees), *m of them. */
static double *sorted_values(const double *x, int64_t n, int64_t *m, cv_error *err)
{
    double *s = NULL;
    int64_t *ord = cv_seg_order(x, n, m, &s);
    if (!ord) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    cv_free(ord);
    return s;
}

/* Gini of sorted s[0..m) (checked non-negative, positive total). */
static double gini_sorted(const double *s, int64_t m, double total)
{
    /* 2 sum i s_i / (m total) - (m + 1) / m, with i from 1; summed as sum (2i - m - 1) s_i
       to keep the two large terms from cancelling */
    double acc = 0;
    for (int64_t i = 0; i < m; i++)
        acc += (double)(2 * (i + 1) - m - 1) * s[i];
    return acc / ((double)m * total);
}

/* Checks the domain of the Gini coefficient over sorted s (values, losses included, with a
   positive total); sets *total. */
static int check_domain(const double *s, int64_t m, double *total, cv_error *err)
{
    double sum = 0;
    if (m == 0)
        return cv_error_set(err, CV_ERR_DOMAIN, "no values");
    for (int64_t i = 0; i < m; i++)
        sum += s[i];
    if (!(sum > 0))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "the values sum to %g, not > 0: shares of the total are undefined",
                            sum);
    *total = sum;
    return 0;
}

int cv_gini(const double *x, int64_t n, double *g, cv_error *err)
{
    int64_t m;
    double total, *s = sorted_values(x, n, &m, err);
    int rc;
    if (!s)
        return CV_ERR_NOMEM;
    if ((rc = check_domain(s, m, &total, err)) == 0)
        *g = gini_sorted(s, m, total);
    cv_free(s);
    return rc;
}

/* L(p) over the cumulative shares cum[0..m] (cum[i] = share of the i smallest). */
static double lorenz_at(const double *cum, int64_t m, double p)
{
    double h = p * (double)m;
    int64_t i = (int64_t)floor(h);
    if (i >= m)
        return cum[m];
    if (i < 0)
        return 0;
    return cum[i] + (h - (double)i) * (cum[i + 1] - cum[i]);
}

/* cum[0..m] of sorted s, divided by total. A new array. */
static double *cumulative(const double *s, int64_t m, double total)
{
    double *cum = cv_malloc((size_t)(m + 1) * sizeof *cum), acc = 0;
    if (!cum)
        return NULL;
    cum[0] = 0;
    for (int64_t i = 0; i < m; i++) {
        acc += s[i];
        cum[i + 1] = acc / total;
    }
    cum[m] = 1; /* exactly, whatever the rounding */
    return cum;
}

int cv_lorenz(const double *x, int64_t n, int npoints, double *px, double *py, double *gini,
              cv_error *err)
{
    int64_t m;
    double total, *s, *cum;
    int rc;
    if (npoints < 2)
        return cv_error_set(err, CV_ERR_USAGE, "a lorenz curve needs 2 points or more");
    if ((s = sorted_values(x, n, &m, err)) == NULL)
        return CV_ERR_NOMEM;
    if ((rc = check_domain(s, m, &total, err)) != 0) {
        cv_free(s);
        return rc;
    }
    if ((cum = cumulative(s, m, total)) == NULL) {
        cv_free(s);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < npoints; k++) {
        double p = (double)k / (double)(npoints - 1);
        px[k] = p;
        py[k] = lorenz_at(cum, m, p);
    }
    if (gini)
        *gini = gini_sorted(s, m, total);
    cv_free(cum);
    cv_free(s);
    return 0;
}

int cv_value_concentration(const double *x, int64_t n, cv_concentration *c, cv_error *err)
{
    int64_t m;
    double total = 0, *s, *cum;
    if ((s = sorted_values(x, n, &m, err)) == NULL)
        return CV_ERR_NOMEM;
    for (int64_t i = 0; i < m; i++)
        total += s[i];
    if (m == 0 || !(total > 0)) {
        cv_free(s);
        if (m == 0)
            return cv_error_set(err, CV_ERR_DOMAIN, "no values");
        return cv_error_set(err, CV_ERR_DOMAIN, "the values sum to %g, expected more than 0",
                            total);
    }
    if ((cum = cumulative(s, m, total)) == NULL) {
        cv_free(s);
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    }
    c->n = m;
    c->total = total;
    c->top20 = 1 - lorenz_at(cum, m, 0.8);
    c->bottom30 = lorenz_at(cum, m, 0.3);
    /* top first: the share held by the top j customers is 1 - cum[m - j] */
    c->peak = 0;
    c->peak_at = 0;
    c->top_for_80 = 1;
    for (int64_t j = 1; j <= m; j++) {
        double held = 1 - cum[m - j];
        if (held > c->peak + 1e-15) {
            c->peak = held;
            c->peak_at = (double)j / (double)m;
        }
    }
    for (int64_t j = 1; j <= m; j++) {
        double before = 1 - cum[m - j + 1], held = 1 - cum[m - j];
        if (held >= 0.8 - 1e-12) { /* interpolate inside the j-th customer */
            double f = held > before ? (0.8 - before) / (held - before) : 1;
            c->top_for_80 = ((double)(j - 1) + f) / (double)m;
            break;
        }
    }
    c->gini = gini_sorted(s, m, total);
    cv_free(cum);
    cv_free(s);
    return 0;
}

cv_table *cv_value_tiers(const cv_table *t, const char *value, const double *shares,
                         const char *const *names, int ntiers, int by_value, const char *out,
                         cv_error *err)
{
    double *x = NULL, *bound = NULL, sum = 0, total = 0;
    int64_t *ord = NULL, m = 0, n = t->nrows;
    cv_column *col = NULL;
    int32_t *codes = NULL, *tier = NULL;
    if (ntiers < 1)
        return cv_error_set(err, CV_ERR_USAGE, "tiers need at least one share"), NULL;
    for (int k = 0; k < ntiers; k++) {
        if (!(shares[k] >= 0))
            return cv_error_set(err, CV_ERR_USAGE, "tier shares must be >= 0"), NULL;
        sum += shares[k];
    }
    if (fabs(sum - 1) > 1e-9)
        return cv_error_set(err, CV_ERR_USAGE, "tier shares sum to %g, expected 1", sum), NULL;
    if ((x = cv_seg_column(t, value, err)) == NULL)
        return NULL;
    for (int64_t i = 0; i < n; i++)
        x[i] = -x[i]; /* descending order by sorting negated values */
    if ((ord = cv_seg_order(x, n, &m, NULL)) == NULL ||
        (bound = cv_malloc((size_t)ntiers * sizeof *bound)) == NULL ||
        (tier = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *tier)) == NULL ||
        (codes = cv_malloc((size_t)ntiers * sizeof *codes)) == NULL ||
        (col = cv_column_new(out, CV_STRING, n)) == NULL)
        goto nomem;
    sum = 0;
    for (int k = 0; k < ntiers; k++) {
        sum += shares[k];
        bound[k] = k == ntiers - 1 ? INFINITY : sum; /* tier k: position share < bound[k] */
        if ((codes[k] = cv_strdict_intern(col->dict, names[k], strlen(names[k]))) < 0)
            goto nomem;
    }
    for (int64_t i = 0; i < m; i++)
        total += -x[ord[i]];
    if (by_value && !(total > 0)) {
        cv_error_set(err, CV_ERR_DOMAIN, "column '%s' sums to %g: no tiers by value", value, total);
        goto fail;
    }
    for (int64_t i = 0; i < n; i++)
        tier[i] = -1;
    {
        int64_t s = 0;
        double above = 0; /* value held by customers ranked above the group */
        while (s < m) {
            int64_t e = s + 1;
            double v = x[ord[s]], pos;
            int k = 0;
            while (e < m && x[ord[e]] == v)
                e++;
            pos = by_value ? above / total : (double)s / (double)m;
            while (k < ntiers - 1 && !(pos < bound[k] - 1e-12))
                k++;
            for (int64_t i = s; i < e; i++)
                tier[ord[i]] = k;
            above += -v * (double)(e - s);
            s = e;
        }
    }
    for (int64_t i = 0; i < n; i++)
        if ((tier[i] < 0 ? cv_column_push_missing(col) : cv_column_push_i32(col, codes[tier[i]])) !=
            0)
            goto nomem;
    cv_free(x);
    cv_free(ord);
    cv_free(bound);
    cv_free(tier);
    cv_free(codes);
    return cv_seg_with(t, col, err);
nomem:
    cv_error_set(err, CV_ERR_NOMEM, "out of memory");
fail:
    if (col)
        cv_column_unref(col);
    cv_free(x);
    cv_free(ord);
    cv_free(bound);
    cv_free(tier);
    cv_free(codes);
    return NULL;
}
