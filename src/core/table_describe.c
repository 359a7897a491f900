/* cvkit tables: cv_table_describe, one row of statistics per column (count, missing, mean, sd,
   min, quartiles, max, n_distinct), formatted as text where the column's type varies. */
#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "table_int.h"

#include <math.h>
#include <string.h>

/* ---- Describe
 * -------------------------------------------------------------------------------------- */

/* Formats a double (or, for dates and datetimes, a floored day or second) as text into a
   string column, through a one-value scratch column so formatting stays in one place. */
static int push_stat(cv_column *out, cv_type type, double v)
{
    cv_column *s = cv_column_new("", type, 1);
    if (!s)
        return -1;
    int rc;
    if (type == CV_FLOAT64)
        rc = cv_column_push_float(s, v);
    else if (type == CV_DATE)
        rc = cv_column_push_i32(s, (int32_t)floor(v));
    else
        rc = cv_column_push_int(s, (int64_t)floor(v));
    char buf[64];
    /* 15 digits: an interpolated quantile shows 43.395, not 43.394999999999996 */
    size_t len = cv_value_format(s, 0, 15, "", buf, sizeof buf);
    cv_column_unref(s);
    return rc ? -1 : cv_column_push_string(out, buf, len < sizeof buf ? len : sizeof buf - 1);
}

static int push_value(cv_column *out, const cv_column *c, int64_t i)
{
    char buf[256];
    if (c->type == CV_STRING) {
        size_t len;
        const char *s = cv_column_string(c, i, &len);
        return cv_column_push_string(out, s, len);
    }
    size_t len = cv_value_format(c, i, 0, "", buf, sizeof buf);
    return cv_column_push_string(out, buf, len < sizeof buf ? len : sizeof buf - 1);
}

/* Describes column c into the output columns o[0..12). 0 or -1 (memory). */
static int describe_one(const cv_column *c, cv_column **o)
{
    int64_t n = c->n, cnt = 0;
    int rc = 0;
    uint32_t *rank = NULL;
    if (c->type == CV_STRING && !(rank = cv_tbl_string_ranks(c->dict)))
        return -1;
    int64_t lo = -1, hi = -1;
    uint64_t klo = 0, khi = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!present(c, i))
            continue;
        cnt++;
        uint64_t k = order_key(c, i, rank);
        if (lo < 0 || k < klo)
            lo = i, klo = k;
        if (hi < 0 || k > khi)
            hi = i, khi = k;
    }
    cv_free(rank);
    rc |= cv_column_push_string(o[0], c->name, strlen(c->name));
    rc |= cv_column_push_string(o[1], cv_type_name(c->type), strlen(cv_type_name(c->type)));
    rc |= cv_column_push_int(o[2], cnt);
    rc |= cv_column_push_int(o[3], n - cnt);
    if (is_numeric(c->type) && cnt > 0) {
        double s = 0, comp = 0, ss = 0, sc = 0;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i))
                sum_add(&s, &comp, cv_column_number(c, i));
        double mean = (s + comp) / (double)cnt;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i)) {
                double d = cv_column_number(c, i) - mean;
                sum_add(&ss, &sc, d * d);
            }
        rc |= cv_column_push_float(o[4], mean);
        rc |= cnt > 1 ? cv_column_push_float(o[5], sqrt((ss + sc) / (double)(cnt - 1)))
                      : cv_column_push_missing(o[5]);
    } else {
        rc |= cv_column_push_missing(o[4]);
        rc |= cv_column_push_missing(o[5]);
    }
    rc |= lo >= 0 ? push_value(o[6], c, lo) : cv_column_push_missing(o[6]);
    if (cnt > 0 && c->type != CV_STRING && c->type != CV_BOOL) {
        double *v = xmalloc((size_t)cnt * sizeof *v);
        if (!v)
            return -1;
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (present(c, i))
                v[m++] = cv_column_number(c, i);
        cv_tbl_sort_doubles(v, m);
        cv_type st = c->type == CV_DATE || c->type == CV_DATETIME ? c->type : CV_FLOAT64;
        rc |= push_stat(o[7], st, cv_quantile_sorted(v, m, 0.25));
        rc |= push_stat(o[8], st, cv_quantile_sorted(v, m, 0.5));
        rc |= push_stat(o[9], st, cv_quantile_sorted(v, m, 0.75));
        cv_free(v);
    } else {
        rc |= cv_column_push_missing(o[7]);
        rc |= cv_column_push_missing(o[8]);
        rc |= cv_column_push_missing(o[9]);
    }
    rc |= hi >= 0 ? push_value(o[10], c, hi) : cv_column_push_missing(o[10]);
    if (c->type == CV_STRING || c->type == CV_BOOL) {
        int32_t nd = c->type == CV_STRING ? cv_strdict_size(c->dict) : 2;
        uint8_t *seen = xcalloc((size_t)nd, 1);
        if (!seen)
            return -1;
        int64_t d = 0;
        for (int64_t i = 0; i < n; i++) {
            if (!present(c, i))
                continue;
            int32_t k = c->type == CV_STRING ? cv_column_i32(c, i) : cv_column_bool(c, i);
            d += !seen[k];
            seen[k] = 1;
        }
        cv_free(seen);
        rc |= cv_column_push_int(o[11], d);
    } else {
        rc |= cv_column_push_missing(o[11]);
    }
    return rc ? -1 : 0;
}

cv_table *cv_table_describe(const cv_table *t, cv_error *err)
{
    static const char *const names[12] = {"column", "type", "count", "missing",
                                          "mean",   "sd",   "min",   "p25",
                                          "median", "p75",  "max",   "n_distinct"};
    static const cv_type types[12] = {CV_STRING,  CV_STRING,  CV_INT64,  CV_INT64,
                                      CV_FLOAT64, CV_FLOAT64, CV_STRING, CV_STRING,
                                      CV_STRING,  CV_STRING,  CV_STRING, CV_INT64};
    cv_column *o[12] = {0};
    cv_table *r = cv_table_new();
    int ok = r != NULL;
    for (int k = 0; ok && k < 12; k++)
        ok = (o[k] = cv_column_new(names[k], types[k], t->ncols)) != NULL;
    for (int j = 0; ok && j < t->ncols; j++)
        ok = describe_one(t->cols[j], o) == 0;
    for (int k = 0; ok && k < 12; k++)
        ok = cv_table_add(r, o[k], err) == 0;
    for (int k = 0; k < 12; k++)
        cv_column_unref(o[k]);
    if (!ok) {
        NOMEM(err);
        cv_table_free(r);
        return NULL;
    }
    return r;
}
