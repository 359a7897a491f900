/* cvkit cost of service: the whale curve (cumulative profit over customers ranked by
   profit). Conventions: include/cvkit/costing.h and docs/costing.md. */
#include "costing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"
#include "cvkit/mem.h"

/* ---- Whale curve ------------------------------------------------------------------------ */

cv_table *cv_costing_whale(const cv_table *t, const char *profit, const char *key,
                           cv_whale_stats *st, cv_error *err)
{
    int64_t n = t->nrows;
    const cv_column *p = cv_table_col(t, profit ? profit : "profit", err);
    if (!p || (key && !cv_table_col(t, key, err)))
        return NULL;
    if (!is_numeric(p->type))
        return cv_error_set(err, CV_ERR_TYPE,
                            "whale: profit column '%s' is %s, a number is expected", p->name,
                            cv_type_name(p->type)),
               NULL;
    if (n == 0)
        return cv_error_set(err, CV_ERR_USAGE, "whale: the table has no customers"), NULL;
    for (int64_t i = 0; i < n; i++)
        if (!cv_column_is_valid(p, i) || isnan(cv_column_number(p, i)))
            return cv_error_set(err, CV_ERR_DOMAIN, "whale: profit is missing in row %lld",
                                (long long)i + 1),
                   NULL;
    cv_sort_key sk = {p->name, 1};
    int64_t *ord = cv_table_order(t, &sk, 1, err);
    double *buf = cv_malloc((size_t)n * 4 * sizeof *buf);
    int64_t *rank = cv_malloc((size_t)n * sizeof *rank);
    cv_table *out = NULL;
    cv_whale_stats s;
    memset(&s, 0, sizeof s);
    if (!ord || !buf || !rank) {
        if (ord)
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    double *prof = buf, *cum = buf + n, *share = buf + 2 * n, *cshare = buf + 3 * n;
    double sum = 0, comp = 0;
    int64_t top = (2 * n + 9) / 10, bottom = (3 * n + 9) / 10;
    s.customers = n;
    s.peak = -INFINITY;
    for (int64_t r = 0; r < n; r++) {
        double x = cv_column_number(p, ord[r]);
        double y = x - comp, u = sum + y;
        comp = (u - sum) - y;
        sum = u;
        prof[r] = x;
        cum[r] = sum;
        rank[r] = r + 1;
        if (sum > s.peak) {
            s.peak = sum;
            s.peak_rank = r + 1;
        }
        if (x < 0) {
            s.loss_makers++;
            s.losses += x;
        }
        if (r == top - 1)
            s.top20_share = sum; /* divided by the total below */
        if (r >= n - bottom)
            s.bottom30_profit += x;
    }
    s.total = sum;
    if (!(sum > 0)) {
        cv_error_set(err, CV_ERR_DOMAIN,
                     "whale: total profit is %g, not > 0, so shares of it are undefined", sum);
        goto done;
    }
    s.peak_share = s.peak / sum;
    s.top20_share /= sum;
    for (int64_t r = 0; r < n; r++) {
        share[r] = cum[r] / sum;
        cshare[r] = (double)(r + 1) / (double)n;
    }
    if (!(out = cv_table_new())) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (cost_add_ints(out, "rank", rank, n, err)) {
        cv_table_free(out);
        out = NULL;
        goto done;
    }
    if (key) {
        cv_column *kc = cv_column_take(cv_table_col(t, key, NULL), ord, n);
        if (cost_add_owned(out, kc, err)) {
            cv_table_free(out);
            out = NULL;
            goto done;
        }
    }
    if (cost_add_floats(out, NULL, p->name, prof, n, err) ||
        cost_add_floats(out, NULL, "cum_profit", cum, n, err) ||
        cost_add_floats(out, NULL, "cum_share", share, n, err) ||
        cost_add_floats(out, NULL, "customer_share", cshare, n, err)) {
        cv_table_free(out);
        out = NULL;
        goto done;
    }
    if (st)
        *st = s;
done:
    cv_free(ord);
    cv_free(buf);
    cv_free(rank);
    return out;
}
