/* Segmentation helpers: a stable radix sort of doubles (RFM bins, tiers and the Lorenz
   curve sort up to millions of values), columns read as doubles, a table with one more
   column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seg_int.h"
#include "cvkit/mem.h"

typedef struct {
    uint64_t key;
    int64_t idx;
} pair;

/* The bits of v in an order where unsigned comparison agrees with numeric order (-0
   and 0 are made equal first). */
static uint64_t sortable(double v)
{
    uint64_t b;
    if (v == 0)
        v = 0; /* -0 -> +0 */
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

/* 11-bit digits: 6 passes cover 64 bits, 2048 buckets stay in cache; a pass where every
   key has the same digit (small integers, a shared exponent) is skipped. */
#define DIGIT_BITS 11
#define NDIGITS 6
#define NBUCKETS (1 << DIGIT_BITS)

int64_t *cv_seg_order(const double *x, int64_t n, int64_t *m, double **sorted)
{
    pair *a = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *a);
    pair *b = cv_malloc((size_t)(n > 0 ? n : 1) * sizeof *b);
    int64_t *out = NULL, k = 0;
    size_t(*hist)[NBUCKETS] = cv_calloc(NDIGITS, sizeof *hist);
    if (!a || !b || !hist)
        goto done;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        uint64_t key = sortable(x[i]);
        a[k].key = key;
        a[k].idx = i;
        for (int d = 0; d < NDIGITS; d++)
            hist[d][(key >> (DIGIT_BITS * d)) & (NBUCKETS - 1)]++;
        k++;
    }
    for (int d = 0; d < NDIGITS; d++) {
        size_t sum = 0, *h = hist[d];
        int shift = DIGIT_BITS * d;
        if (k == 0 || h[(a[0].key >> shift) & (NBUCKETS - 1)] == (size_t)k)
            continue; /* every key has this digit: nothing to do */
        for (int v = 0; v < NBUCKETS; v++) {
            size_t c = h[v];
            h[v] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < k; i++)
            b[h[(a[i].key >> shift) & (NBUCKETS - 1)]++] = a[i];
        pair *t = a;
        a = b;
        b = t;
    }
    out = cv_malloc((size_t)(k > 0 ? k : 1) * sizeof *out);
    if (out && sorted) {
        double *v = cv_malloc((size_t)(k > 0 ? k : 1) * sizeof *v);
        if (!v) {
            cv_free(out);
            out = NULL;
            goto done;
        }
        for (int64_t i = 0; i < k; i++) {
            uint64_t key = a[i].key, bits = (key >> 63) ? key ^ 0x8000000000000000ull : ~key;
            memcpy(&v[i], &bits, sizeof bits);
        }
        *sorted = v;
    }
    if (out)
        for (int64_t i = 0; i < k; i++)
            out[i] = a[i].idx;
    *m = k;
done:
    cv_free(a);
    cv_free(b);
    cv_free(hist);
    return out;
}

int cv_column_doubles(const cv_column *c, double *x, cv_error *err)
{
    int64_t n = c->n;
    switch (c->type) {
    case CV_FLOAT64:
        if (n > 0) /* an empty column may have no data at all */
            memcpy(x, c->data, (size_t)n * sizeof *x);
        break;
    case CV_INT64:
    case CV_DATETIME:
        for (int64_t i = 0; i < n; i++)
            x[i] = (double)((const int64_t *)c->data)[i];
        break;
    case CV_DATE:
        for (int64_t i = 0; i < n; i++)
            x[i] = (double)((const int32_t *)c->data)[i];
        break;
    case CV_BOOL:
        for (int64_t i = 0; i < n; i++)
            x[i] = (double)((const uint8_t *)c->data)[i];
        break;
    default:
        return cv_error_set(err, CV_ERR_TYPE, "column '%s' is %s, expected a number", c->name,
                            cv_type_name(c->type));
    }
    if (c->valid)
        for (int64_t i = 0; i < n; i++)
            if (!cv_column_is_valid(c, i))
                x[i] = NAN;
    return 0;
}

double *cv_seg_column(const cv_table *t, const char *name, cv_error *err)
{
    cv_column *c = cv_table_col(t, name, err);
    double *x;
    if (!c)
        return NULL;
    if ((x = cv_malloc((size_t)(c->n > 0 ? c->n : 1) * sizeof *x)) == NULL) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (cv_column_doubles(c, x, err) != 0) {
        cv_free(x);
        return NULL;
    }
    return x;
}

cv_table *cv_seg_with(const cv_table *t, cv_column *c, cv_error *err)
{
    cv_table *r = cv_table_new();
    if (!r) {
        cv_column_unref(c);
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (int k = 0; k < t->ncols; k++)
        if (cv_table_add(r, t->cols[k], err) != 0)
            goto fail;
    if (cv_table_set(r, c, err) != 0)
        goto fail;
    cv_column_unref(c);
    return r;
fail:
    cv_column_unref(c);
    cv_table_free(r);
    return NULL;
}
